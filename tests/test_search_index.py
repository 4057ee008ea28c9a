"""What the search index and the action finder are made from (no browser): contributed text
can't hide from readers while talking to the index, and the finder's addresses outlive the
data that made them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ti_inprocess
from pagefind_index import indexed_pages
from tisite import finder
from tisite.loader import load_site
from tisite.sanitize import sanitize

GC = "territoires/grand-chatellerault"
GONE = "/actions/statut/non-renseigne/"


def test_hidden_contributed_text_is_shown_not_only_indexed() -> None:
    html = '<div hidden>mot caché</div><p data-pagefind-weight="10">texte</p>'
    clean = sanitize(html, contributed=True).html
    assert "hidden" not in clean and "data-pagefind" not in clean and "mot caché" in clean
    # control: the site's own markup keeps its hidden elements (filters without JavaScript)
    assert "hidden" in sanitize('<form hidden class="ti-filters"></form>').html


def set_status(root: Path) -> None:
    """Both Grand-Châtellerault actions get a dated status: none is « Non renseigné » any more."""
    for path in (root / GC / "actions").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        text = text.replace(
            "\n---\n",
            "\navancement:\n  - date: 2024-01-01\n    phase: Opération\n    statut: En cours\n---\n",
            1,
        )
        path.write_text(text, encoding="utf-8")


@pytest.mark.lent
def test_a_shared_finder_address_survives_its_last_action(project: Path) -> None:
    first = ti_inprocess("build", cwd=project)
    assert first.returncode == 0, first.stderr
    assert GONE in (project / "urls-publiees.txt").read_text(encoding="utf-8")
    set_status(project)
    # control: without the published address, no action leaves the page to be made
    site = load_site(project)
    assert not [v for v in finder.facet_pages(site) if "/" + v.url == GONE]
    assert [
        v.count for v in finder.facet_pages(site, frozenset({GONE})) if "/" + v.url == GONE
    ] == [0]
    second = ti_inprocess("build", cwd=project)
    assert second.returncode == 0, second.stdout + second.stderr
    page = BeautifulSoup(
        (project / "site" / GONE.strip("/") / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    assert "Aucune fiche action ne correspond pour l'instant" in page.get_text()
    assert "/actions/statut/non-renseigne/" not in indexed_pages(project / "site")


def test_a_failed_indexing_says_so_in_french(tmp_path: Path) -> None:
    from tisite.errors import ContentError
    from tisite.searchindex import Indexing

    (tmp_path / "site").write_text("pas un dossier", encoding="utf-8")
    try:
        Indexing(tmp_path / "site").finish()
    except ContentError as exc:
        report = exc.report()
    else:
        raise AssertionError("Pagefind a accepté un site qui n'est pas un dossier")
    assert "l'index de recherche n'a pas pu être construit (Pagefind)" in report
    assert "Traceback" not in report


HDC = "hainaut-douaisis-cambresis"
# Words of adjacent cells, terms and definitions, which the index must keep apart.
APART = {
    f"/{HDC}/plan-action/avancement/": ("Statut Actions",),
    f"/{HDC}/plan-action/chef-de-projet/": ("Axe Simplifier", "maître d'ouvrage CCI"),
    f"/{HDC}/carte-identite/": ("Intercommunalité Sigle SIREN Communes Population",),
    f"/{HDC}/gouvernance/": ("Modalité Fréquence Description",),
}


def _joined(text: str) -> str:
    return text.replace(" ", "")


def test_cells_and_list_items_keep_a_space_in_the_index(built_site: Path) -> None:
    pages = indexed_pages(built_site)
    for url, phrases in APART.items():
        content = " ".join(pages[url]["content"].split())
        for phrase in phrases:
            assert phrase in content, (url, phrase)
            first, _, rest = phrase.partition(" ")
            assert first + rest.split(" ")[0] not in content, (url, phrase)


def test_charts_and_maps_are_not_indexed_as_text(built_site: Path) -> None:
    """The words of a chart (its labels, values and data table) and of a map's caption are on
    the page but not in its indexed text: a search for « foncier » does not find a chart (the dashboard's table of actions by
    priority and status is text, and stays indexed)."""
    pages = indexed_pages(built_site)
    plan = f"{HDC}/plan-action/"
    html = (built_site / plan / "index.html").read_text(encoding="utf-8")
    for words in ("Données du graphique", "Actions par priorité nationale"):
        assert words in html
        assert words not in pages[f"/{plan}"]["content"], words
    dashboard = pages["/tableau-de-bord/"]["content"]
    assert "Données du graphique" not in dashboard
    assert "Fond de carte" not in pages[f"/{HDC}/carte-identite/"]["content"]
    assert "Départements selon le nombre" not in pages["/"]["content"]
    # a chart's label and value ran together (« compétences1 »)
    assert not [u for u, p in pages.items() if re.search(r"[a-zé]{4}\d", p["content"])]


@pytest.mark.lent
def test_without_the_spaces_the_index_runs_cells_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: the same pages without the line break after each cell give
    « StatutActions » in the index."""
    from conftest import build_site, copy_project
    from tisite import pagehtml

    monkeypatch.setattr(pagehtml, "spaced", lambda html: html)
    site = build_site(copy_project(tmp_path / "projet"))
    content = indexed_pages(site)[f"/{HDC}/plan-action/avancement/"]["content"]
    assert "StatutActions" in content
