"""Rendering: golden files of the generated Markdown, and escaping of YAML values.

Regenerate the golden files after an intended change with ``UPDATE_GOLDEN=1 make test``
and review the diff.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from markdown import Markdown

from tisite.build import SiteBuild
from tisite.generate.textutil import md_escape

GOLDEN = Path(__file__).parent / "golden"
TODAY = dt.date(2026, 11, 22)


def golden_name(path: str, html: bool = False) -> str:
    """The golden file of a page or file: a page rendered from an HTML template is HTML."""
    name = path.replace("/", "__")
    return name.removesuffix(".md") + ".html" if html else name


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SiteBuild:
    from conftest import copy_project

    root = copy_project(tmp_path_factory.mktemp("golden") / "projet")
    return SiteBuild.load(root, today=TODAY)


@pytest.fixture(scope="module")
def pages(built: SiteBuild) -> dict[str, tuple[str, bool]]:
    return {p.path: (p.content, p.is_html) for p in built.pages}


GOLDEN_PAGES = [
    "actions/index.md",
    "actions/priorite/foncier-industriel/index.md",
    "index.md",
    "hainaut-douaisis-cambresis/index.md",
    "hainaut-douaisis-cambresis/carte-identite/index.md",
    "hainaut-douaisis-cambresis/priorites/index.md",
    "hainaut-douaisis-cambresis/gouvernance/index.md",
    "grand-chatellerault/gouvernance/index.md",
    "hainaut-douaisis-cambresis/plan-action/index.md",
    "hainaut-douaisis-cambresis/plan-action/chef-de-projet/index.md",
    "hainaut-douaisis-cambresis/plan-action/avancement/index.md",
    "grand-chatellerault/plan-action/volontariat-territorial-entreprise/index.md",
    "accessibilite/index.md",
    "mentions-legales/index.md",
    "donnees-personnelles/index.md",
    "donnees-ouvertes/index.md",
    "contribuer/reference-des-champs/index.md",
    "tableau-de-bord/index.md",
    "hainaut-douaisis-cambresis/lettres/index.md",
    "hainaut-douaisis-cambresis/lettres/15/index.md",
    "hainaut-douaisis-cambresis/agenda/index.md",
]
# One file per kind of artefact the templates and the feed and calendar writers make: both
# email templates (web copy and the copy sent), one feed, one calendar.
GOLDEN_FILES = [
    "hainaut-douaisis-cambresis/lettres/15/email.html",
    "hainaut-douaisis-cambresis/lettres/15/email.txt",
    "hainaut-douaisis-cambresis/lettres/15/envoi.txt",
    "hainaut-douaisis-cambresis/lettres/atom.xml",
    "hainaut-douaisis-cambresis/agenda/agenda.ics",
]
TEMPLATES = Path(__file__).resolve().parent.parent / "hooks" / "tisite" / "templates"


def test_every_page_template_has_a_golden_file(built: SiteBuild) -> None:
    """Each page template renders at least one page that has a golden file (control: a
    template without a golden page is named)."""
    covered = {page.template for page in built.pages if page.path in GOLDEN_PAGES}
    templates = {t.name for t in (TEMPLATES / "pages").glob("*.j2") if not t.name.startswith("_")}
    assert templates - covered == set(), "modèles de page sans fichier de référence"
    assert {"lettre.html.j2", "lettre.txt.j2"} == {
        t.name for t in (TEMPLATES / "email").glob("*.j2")
    }


@pytest.mark.parametrize("path", GOLDEN_PAGES)
def test_golden_pages(pages: dict[str, tuple[str, bool]], path: str) -> None:
    content, html = pages[path]
    expected_file = GOLDEN / golden_name(path, html)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.mkdir(exist_ok=True)
        expected_file.write_text(content, encoding="utf-8")
    assert expected_file.is_file(), f"golden file missing: run UPDATE_GOLDEN=1 ({expected_file})"
    assert content == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", GOLDEN_FILES)
def test_golden_files(built: SiteBuild, path: str) -> None:
    files = {p: bytes(c).decode("utf-8") for p, c in built.assets if p in GOLDEN_FILES}
    expected_file = GOLDEN / golden_name(path)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected_file.write_text(files[path], encoding="utf-8", newline="")
    assert expected_file.is_file(), f"golden file missing: run UPDATE_GOLDEN=1 ({expected_file})"
    assert files[path] == expected_file.read_bytes().decode("utf-8")


def test_every_page_starts_with_front_matter(pages: dict[str, tuple[str, bool]]) -> None:
    for path, (content, _) in pages.items():
        assert content.startswith("---\ntitle: "), path
        assert "\ndescription: " in content.split("\n---\n", 1)[0], path


def to_html(text: str) -> str:
    return Markdown(extensions=["attr_list", "md_in_html", "tables"]).convert(text)


@pytest.mark.parametrize(
    "value",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[lien](javascript:alert(1))",
        "Titre {: onclick='alert(1)' }",
        "**gras** _it_ `code` # titre",
        "1. pas une liste",
        "a | b | c",
    ],
)
def test_md_escape_renders_values_as_plain_text(value: str) -> None:
    soup = BeautifulSoup(to_html(f"Texte : {md_escape(value)}"), "html.parser")
    assert [tag.name for tag in soup.find_all(True)] == ["p"]
    assert soup.p is not None and soup.p.attrs == {}
    assert soup.get_text() == f"Texte : {value}"


def test_heading_attribute_injection_is_inert() -> None:
    soup = BeautifulSoup(to_html("# " + md_escape("Titre { onclick=alert(1) }")), "html.parser")
    assert soup.h1 is not None and soup.h1.attrs == {}
    assert soup.h1.get_text() == "Titre { onclick=alert(1) }"


SINGLE_QUOTED_VALUE = re.compile(r"""=\s*'[^'<>]*\{\{""")


def test_no_template_writes_a_value_in_a_single_quoted_attribute() -> None:
    """Values are escaped for text and double-quoted attributes only (the apostrophe is kept):
    a single-quoted attribute would let a value end it."""
    found = {
        t.name: SINGLE_QUOTED_VALUE.findall(t.read_text(encoding="utf-8"))
        for t in (TEMPLATES / "pages").glob("*.j2")
    }
    assert {name: hits for name, hits in found.items() if hits} == {}
    # control: such an attribute is seen
    assert SINGLE_QUOTED_VALUE.findall("<a title='{{ x.titre }}'>")


def test_values_keep_their_apostrophe_and_never_end_an_attribute() -> None:
    from tisite.generate.render import _html_finalize

    assert str(_html_finalize("Territoire d'industrie")) == "Territoire d'industrie"
    assert str(_html_finalize('"><script>')) == "&quot;&gt;&lt;script&gt;"
    assert str(_html_finalize(None)) == "non renseigné" and str(_html_finalize(12)) == "12"


def test_the_agenda_page_says_what_each_entry_is_about(pages: dict[str, tuple[str, bool]]) -> None:
    """An entry's description (of agenda.yml or of a letter) is on the agenda page as in the
    calendar file, and the page says that entries come from the agenda too. Control: the page
    showed only date, title and place, and spoke of letters only."""
    html = pages["hainaut-douaisis-cambresis/agenda/index.md"][0]
    assert "Paris 7e. Organisée par Régions de France et l'AdCF" in html
    assert "Montigny-en-Cambrésis. Délibération 2022/70" in html
    assert "inscrits à son agenda" in html and "dès qu'une lettre les annonce" not in html


def test_a_description_follows_a_title_or_place_that_ends_its_own_sentence() -> None:
    """« Quel avenir pour l'industrie ?. » and « 12 rue Foch.. » (an outside review): no full
    stop is added after text that ends with its own. Control: one is added otherwise."""
    from tisite.generate.textutil import full_stop

    assert [full_stop(t) for t in ("Quel avenir ?", "12 rue Foch.", "Douai", "Vraiment !")] == [
        "",
        "",
        ".",
        "",
    ]
