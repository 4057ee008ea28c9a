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


def _empty_by_definition(body: str) -> list[tuple[int, str]]:
    """The definition, line by line: a heading whose lines down to the next heading of its
    level or above (or the end) hold no text. In a square of the number of headings: the check
    did this, and took 23 s on a letter of 80,000 headings."""
    lines = body.split("\n")
    kinds: list[tuple[int, str] | str] = []  # (level, title) for a heading, else "text" or ""
    fence = None
    for line in lines:
        opened = letters.FENCE_RE.match(line)
        if fence is not None:  # inside a code block: text, until its closing fence
            fence = None if opened and opened[1] == fence else fence
            kinds.append("text")
            continue
        if opened:
            fence = opened[1]
            kinds.append("text")
            continue
        heading = letters.HEADING_RE.fullmatch(line)
        kinds.append((len(heading[1]), heading[2].strip()) if heading else line.strip() and "text")
    found = []
    for index, kind in enumerate(kinds):
        if isinstance(kind, tuple):
            after = kinds[index + 1 :]
            end = next(
                (k for k, x in enumerate(after) if isinstance(x, tuple) and x[0] <= kind[0]),
                len(after),
            )
            if "text" not in after[:end]:
                found.append((index, kind[1]))
    return found


def test_empty_sections_follow_their_definition_on_any_text() -> None:
    """The sections found in one pass (a stack of open sections, counts of text lines) are
    those of the definition, on random letters made of headings, text, blank lines and code
    fences."""
    import random

    pieces = ["# A", "## B", "### C", "#### D", "", "texte", "```", "~~~", "   ## E", "#G", "# H #"]
    rng = random.Random(7)
    for _ in range(3000):
        body = "\n".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        assert empty_sections(body) == _empty_by_definition(body), body


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
