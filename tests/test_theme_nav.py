"""The navigation and tables of contents made in Python (tisite.adapters.themenav) are Material's: the
same elements, attributes and text on every page of the example site as the theme's own
templates give, only without their blank lines."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_site, copy_project, switch_off

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


@pytest.mark.lent
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


@pytest.mark.lent
def test_hostile_titles_stay_text_in_the_python_navigation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The navigation and tables of contents print their titles as HTML (themenav, as
    Material's templates): every title is escaped before — a territory's name by
    build.escape_titles, a docs page's title by build.escape_page_meta (other front matter fields a template
    would print, such as subtitle, are refused by the schema), a heading by the
    core's Markdown conversion and sanitiser. Hostile values in all three stay text in the menu
    and in the table of contents of every page (control: escape_titles switched off)."""
    from hostile import RUN, live_injections

    payload = f'"\'><svg onload="{RUN}"><script>alert(1)</script>'
    root = copy_project(tmp_path / "projet")
    identity = root / "territoires" / "grand-chatellerault" / "territoire.yml"
    text = identity.read_text("utf-8")
    identity.write_text(
        text.replace("nom: Grand-Châtellerault", f"nom: {json.dumps('GC ' + payload)}", 1),
        "utf-8",
    )
    page = root / "docs" / "contribuer" / "piege.md"
    page.write_text(
        f"---\ntitle: {json.dumps('Page ' + payload)}\n---\n\n"
        f"# Page piégée\n\n## Section {payload}\n\nTexte.\n\n## Suite\n\nTexte.\n",
        "utf-8",
    )
    site = build_site(root)
    named = 0
    for html_file in sorted(site.rglob("*.html")):
        html = html_file.read_text("utf-8")
        assert live_injections(html) == [], html_file
        soup = BeautifulSoup(html, "html.parser")
        for menu in soup.select("nav.md-nav--primary, nav.md-nav--secondary"):
            assert not menu.find_all("script"), html_file
            assert not [t for t in menu.find_all(True) if any(a.startswith("on") for a in t.attrs)]
            named += "<script>alert(1)</script>" in menu.get_text()
    assert named > 10  # the payloads went through the Python navigation, as text
    # Control: without the escaping before it, the Python navigation prints a live script.
    switch_off(monkeypatch, "build", "escape_titles", lambda nav: nav)
    unescaped = build_site(root)
    menu = BeautifulSoup((unescaped / "index.html").read_text("utf-8"), "html.parser")
    assert menu.select("nav.md-nav--primary script")
