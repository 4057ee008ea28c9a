"""The navigation and tables of contents made in Python (tisite.adapters.themenav) are Material's: the
same elements, attributes and text on every page of the example site as the theme's own
templates give, only without their blank lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_site, copy_project

OURS = ("nav-item.html", "toc-item.html")


def _dom(html: str) -> str:
    """The page as a browser lays it out: whitespace next to a tag, and runs of it, count as
    nothing / one space."""
    text = str(BeautifulSoup(html, "html.parser"))
    text = re.sub(r">\s+", ">", text)
    text = re.sub(r"\s+<", "<", text)
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def material_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site built with Material's own navigation templates."""
    root = copy_project(tmp_path_factory.mktemp("material") / "projet")
    theme = root / "hooks" / "tisite" / "templates" / "theme" / "partials"
    for name in OURS:
        (theme / name).unlink()
    return build_site(root)


def test_every_page_has_materials_navigation(built_site: Path, material_site: Path) -> None:
    pages = sorted(built_site.rglob("*.html"))
    assert len(pages) > 40
    differing = [
        p.relative_to(built_site).as_posix()
        for p in pages
        if _dom(p.read_text("utf-8"))
        != _dom((material_site / p.relative_to(built_site)).read_text("utf-8"))
    ]
    assert differing == []
    # Ours ran (no template whitespace inside the entries), and wrote fewer bytes.
    home = (built_site / "index.html").read_text("utf-8")
    assert '<span class="md-ellipsis">Accueil</span>' in home
    assert '<span class="md-ellipsis">Accueil</span>' not in (
        material_site / "index.html"
    ).read_text("utf-8")
    size = sum(p.stat().st_size for p in pages)
    assert size < sum((material_site / p.relative_to(built_site)).stat().st_size for p in pages)
    # Control: an entry marked differently (not the active one) is a difference.
    page = next(p for p in pages if "md-nav__link--active" in p.read_text("utf-8"))
    text = page.read_text("utf-8")
    changed = text.replace("md-nav__link--active", "md-nav__link", 1)
    assert _dom(changed) != _dom((material_site / page.relative_to(built_site)).read_text("utf-8"))
