"""A letter that keeps the template's empty section headings (« ## Actualités locales » with nothing
under it): `ti check` warns, naming the file and line, and the build leaves the heading out."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import build_site, flat, ti_inprocess
from tisite.content import letters
from tisite.content.letters import empty_sections, without_empty_sections

LETTER = "territoires/hainaut-douaisis-cambresis/lettres/15.md"
TEMPLATE_END = "\n\n## Actualités locales\n\n## Actualités des territoires voisins\n\n"


def test_empty_sections_are_found_and_left_out() -> None:
    body = (
        "Intro.\n\n## Vide\n\n## Pleine\n\nTexte.\n\n## Parent\n\n### Enfant\n\nTexte.\n\n"
        "## Code\n\n```\n## pas un titre\n```\n\n## Fin\n"
    )
    assert empty_sections(body) == [(2, "Vide"), (20, "Fin")]
    kept = without_empty_sections(body)
    assert "## Vide" not in kept and "## Fin" not in kept
    assert "## Parent" in kept and "## pas un titre" in kept and "## Code" in kept


def _with_empty_sections(project: Path) -> int:
    """Letter 15 ending with the template's last two headings, empty; the line of the first."""
    path = project / LETTER
    text = path.read_text(encoding="utf-8").rstrip("\n")
    path.write_text(text + TEMPLATE_END, encoding="utf-8")
    return text.count("\n") + 3


@pytest.mark.lent
def test_check_warns_and_the_build_leaves_the_heading_out(project: Path) -> None:
    line = _with_empty_sections(project)
    checked = ti_inprocess("check", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    out = flat(checked.stdout + checked.stderr)
    assert (f"{LETTER}:{line}: avertissement : rubrique « Actualités locales » vide") in out, out
    assert (
        f"{LETTER}:{line + 2}: avertissement : rubrique « Actualités des territoires voisins » vide"
        in out
    )
    site = build_site(project)
    page = BeautifulSoup(
        (site / "hainaut-douaisis-cambresis/lettres/15/index.html").read_text("utf-8"),
        "html.parser",
    )
    headings = [flat(h.get_text(" ")).replace("¶", "").strip() for h in page.select("article h2")]
    assert "Boîte à outils" in headings, headings  # a section with text stays
    assert (
        "Actualités locales" not in headings
        and "Actualités des territoires voisins" not in headings
    )
    email = (site / "hainaut-douaisis-cambresis/lettres/15/email.txt").read_text("utf-8")
    assert "BOÎTE À OUTILS" in email and "ACTUALITÉS LOCALES" not in email.upper()


@pytest.mark.lent
def test_control_without_the_rule_the_heading_is_published(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: with the detection switched off, the empty heading is published."""
    monkeypatch.setattr(letters, "empty_sections", lambda body: [])
    _with_empty_sections(project)
    site = build_site(project)
    html = (site / "hainaut-douaisis-cambresis/lettres/15/index.html").read_text("utf-8")
    assert "Actualités locales" in html
