"""Markdown as contributors write it (tisite.content.commonmark): a list right under a line of
text, a list nested by two spaces and a hashtag at the start of a line read as in CommonMark
(GitHub's preview, the web editor's), on the pages, in the email version and in the check.
Each case has its negative control: Python-Markdown alone reads it otherwise."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from conftest import build_site
from tisite.content import commonmark

PAGES = ["toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition", "def_list"]


def shape(text: str, habits: bool = True) -> str:
    """The element structure of ``text`` converted: tags, and the text of each leaf."""
    html = markdown.markdown(text, extensions=[*PAGES, *([commonmark.NAME] if habits else [])])
    soup = BeautifulSoup(html, "html.parser")

    def walk(node: object) -> str:
        children = [c for c in getattr(node, "children", []) if getattr(c, "name", None)]
        if not children:
            return f"{node.name}({' '.join(node.get_text().split())})"  # type: ignore[attr-defined]
        return f"{node.name}[{', '.join(walk(c) for c in children)}]"  # type: ignore[attr-defined]

    return ", ".join(walk(c) for c in soup.children if getattr(c, "name", None))


CASES = {
    # a list right under a line of text
    "Les outils :\n- le fonds ;\n- les sociétés.\n": (
        "p(Les outils :), ul[li(le fonds ;), li(les sociétés.)]",
        "p(Les outils : - le fonds ; - les sociétés.)",
    ),
    "Étapes :\n1. une\n2. deux\n": (
        "p(Étapes :), ol[li(une), li(deux)]",
        "p(Étapes : 1. une 2. deux)",
    ),
    # nested by two spaces, as GitHub and the editor write it
    "- **ZIBAC** : appel\n  - volet 1\n  - volet 2\n- Autre\n": (
        "ul[li[strong(ZIBAC), ul[li(volet 1), li(volet 2)]], li(Autre)]",
        "ul[li[strong(ZIBAC)], li(volet 1), li(volet 2), li(Autre)]",
    ),
    # a paragraph indented by two after an item, under its text: in the item (CommonMark),
    # with its lines; the list goes on (Python-Markdown ended it and ran « - b » into the text)
    "- a\n\n  suite\n  qui continue\n- b\n": (
        "ul[li[p(a), p(suite qui continue)], li[p(b)]]",
        "ul[li(a)], p(suite qui continue - b)",
    ),
    # the same one level down, a quote in the item, then text at the margin: out of the list
    "- a\n  - b\n\n    suite b\n\n  > citation\n\nFin.\n": (
        "ul[li[p(a), ul[li[p(b), p(suite b)]], blockquote[p(citation)]]], p(Fin.)",
        "ul[li(a), li[p(b), p(suite b)]], blockquote[p(citation)], p(Fin.)",
    ),
    # a heading after a list ends it: the next indented lines are a list, not code
    "## Objectifs\n- Former\n- Ouvrir\n## Partenaires\n  - CCI\n  - Région\n": (
        "h2(Objectifs), ul[li(Former), li(Ouvrir)], h2(Partenaires), ul[li(CCI), li(Région)]",
        "h2(Objectifs), ul[li(Former), li(Ouvrir)], h2(Partenaires), ul[li(CCI), li(Région)]",
    ),
    # code at the start of an item's line is not a fence: what follows the list stays out
    "- Installer\n  - sous Windows\n    ```winget install ti``` puis relancer\n- Vérifier\n\n"
    "## Actualités\n\nTexte.\n": (
        "ul[li[ul[li[code(winget install ti)]]], li(Vérifier)], h2(Actualités), p(Texte.)",
        "ul[li(Installer), li[code(winget install ti)], li(Vérifier)], h2(Actualités), p(Texte.)",
    ),
    # fenced code in a numbered step, as the guide writes it: code in the step, the steps go
    # on (a command on two lines, « \\ » at the end of the first, stays on two lines)
    "1. Enregistrez :\n\n   ```sh\n   git add x \\\n     y\n   ```\n\n2. Fin.\n": (
        "ol[li[p(Enregistrez :), pre[code(git add x \\ y)]], li[p(Fin.)]]",
        "ol[li(Enregistrez :)], p[code(sh git add x \\ y)], ol[li(Fin.)]",
    ),
    # HTML shown as code in an item (Python-Markdown set it aside as raw HTML, which ran live
    # and cut the list), a comment too; a fence of four holds one of three
    "- Exemple :\n\n  ```html\n  <details>\n  <summary>Plus</summary>\n  </details>\n"
    "  <!-- note -->\n  ```\n- Publiez.\n": (
        "ul[li[p(Exemple :), pre[code(<details> <summary>Plus</summary> </details> "
        "<!-- note -->)]], li[p(Publiez.)]]",
        "ul[li(Exemple :)], p[br(), details[summary(Plus)]], p(``` - Publiez.)",
    ),
    "- Exemple :\n\n  ````md\n  ```sh\n  ls\n  ```\n  ````\n- Suite\n": (
        "ul[li[p(Exemple :), pre[code(```sh ls ```)]], li[p(Suite)]]",
        "ul[li(Exemple :)], p[code(md ```sh ls ```)]",
    ),
    # a fence left open in an item ends with the item: the rest of the letter is not code
    "- Lancez :\n  ```\n  make check\n\n## Suite\n\nTexte.\n": (
        "ul[li[pre[code(make check)]]], h2(Suite), p(Texte.)",  # « Lancez : » is its text
        "ul[li(Lancez : ``` make check)], h2(Suite), p(Texte.)",
    ),
    # hashtags in a list item's text and in a quote: text
    "- a\n#tag\n\n> #tag\n": (
        "ul[li(a #tag)], blockquote[p(#tag)]",
        "ul[li(a)], h1(tag), blockquote[h1(tag)]",
    ),
    # hashtags at the start of a line: text, not a heading
    "Texte.\n\n#TerritoiresDIndustrie #Hainaut\n": (
        "p(Texte.), p(#TerritoiresDIndustrie #Hainaut)",
        "p(Texte.), h1(TerritoiresDIndustrie #Hainaut)",
    ),
}

UNCHANGED = [
    # what the third outside review found changed: a quote inside an item, « 1) » lines
    "- Visite :\n  > « Nous recrutons. »\n- Atelier.\n",
    "Texte\n1) un\n2) deux\n",
    "- a\n    - b\n    - c\n- d\n",  # nested by four: Python-Markdown's way, kept
    "- a\n\n- b\n",
    "En 2022\n2. pas une liste\n",  # « 2. » does not start a list under a line of text
    "Texte\n\n    - du code\n",
    "Texte\n```\n- a\n  - b\n#x\n```\n",
    "!!! note\n    - a\n    - b\n",
    "# Titre\n\n## Sous-titre\n\nTexte.\n",
    "- a\nsuite\n- b\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    # an HTML block less indented than the item's text ends the item (CommonMark): the text
    # after it is not moved into the item
    "1. un\n  <!-- c -->\n   suite\n",
]


@pytest.mark.parametrize("text", list(CASES))
def test_written_as_in_commonmark(text: str) -> None:
    ours, theirs = CASES[text]
    assert shape(text) == ours
    assert shape(text, habits=False) == theirs  # negative control


@pytest.mark.parametrize("text", UNCHANGED)
def test_what_python_markdown_already_reads_right_is_unchanged(text: str) -> None:
    assert shape(text) == shape(text, habits=False)


def test_a_letter_on_its_page_and_in_its_email(project: Path) -> None:
    """In a built site: the page and the email version show the list and the hashtags as
    written; no second first-level heading."""
    body = (
        "\n## Les outils\n\nLes outils à connaître :\n- le fonds ;\n  - son volet régional\n"
        "- les sociétés de projets.\n\n#TerritoiresDIndustrie #Hainaut\n"
    )

    letter = project / "territoires/hainaut-douaisis-cambresis/lettres/15.md"
    letter.write_text(letter.read_text("utf-8") + body, "utf-8")
    site = build_site(project)
    folder = site / "hainaut-douaisis-cambresis/lettres/15"
    for name in ("index.html", "email.html"):
        page = BeautifulSoup((folder / name).read_text("utf-8"), "html.parser")
        items = [" ".join(li.get_text().split()) for li in page.select("li")]
        assert any(x.startswith("le fonds ;") for x in items), (name, items)
        assert "son volet régional" in items, (name, items)
        nested = page.find("li", string="son volet régional")
        assert nested is not None and nested.find_parent("li") is not None, name
        assert len(page.select("h1")) <= 1, name
        assert "#TerritoiresDIndustrie #Hainaut" in page.get_text(), name


def test_paragraphs_and_lists_in_a_folded_yaml_block(project: Path) -> None:
    """« diagnostic: >- » then paragraphs and a list: YAML folds the block into one line (the
    list's items run together), so such a block is read as a literal one (« | »), as its
    author wrote it. A block of wrapped lines only is folded as YAML says. Negative control:
    a plain YAML reader folds the list into the paragraph."""
    from ruamel.yaml import YAML

    from tisite.content import yamlio

    block = "diagnostic: >-\n  Un texte\n  sur deux lignes.\n\n  Freins :\n\n  - le coût ;\n  - le foncier.\n"
    data, _, problem = yamlio._load(block, "a.yml", 0)
    assert problem is None
    assert (
        data["diagnostic"] == "Un texte\nsur deux lignes.\n\nFreins :\n\n- le coût ;\n- le foncier."
    )
    plain = YAML(typ="safe").load(block)["diagnostic"]
    assert plain == "Un texte sur deux lignes.\nFreins :\n- le coût ; - le foncier."
    wrapped = "resume: >-\n  Une phrase\n  sur deux lignes.\n"
    assert yamlio._load(wrapped, "a.yml", 0)[0] == {"resume": "Une phrase sur deux lignes."}
    action = project / "territoires/hainaut-douaisis-cambresis/actions/industrie-bas-carbone.md"
    text = action.read_text("utf-8")
    start = text.index("diagnostic:")
    end = text.index("\n", text.index("\n", start) + 1)
    while text[end + 1 : end + 3] == "  ":
        end = text.index("\n", end + 1)
    action.write_text(text[:start] + block.rstrip("\n") + text[end:], "utf-8")
    site = build_site(project)
    page = BeautifulSoup(
        (
            site / "hainaut-douaisis-cambresis/plan-action/industrie-bas-carbone/index.html"
        ).read_text("utf-8"),
        "html.parser",
    )
    items = [" ".join(li.get_text().split()) for li in page.select("article li")]
    assert "le coût ;" in items and "le foncier." in items, items


def test_the_check_measures_nesting_as_the_pages_read_it() -> None:
    """Lists nested by two are real levels now: the quick check (remote.overloaded) counts
    them as such, and names the line of the level too deep (it let them through, and the build
    then failed without a line). Control: ten levels pass."""
    from tisite.content import remote

    deep = "\n".join("  " * k + "- x" for k in range(99)) + "\n"
    found = remote.overloaded(deep)
    assert found is not None and found[0] == 50 and "niveaux de listes" in found[1]
    assert remote.overloaded("\n".join("  " * k + "- x" for k in range(10)) + "\n") is None
