"""What search excerpts are made of, read from the built Pagefind index: the words of adjacent
cells, terms and list items stay apart, charts and maps are not indexed as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pagefind_index import indexed_pages

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
    # the share box repeats the page's title, summary and address for a post: not page text
    action = f"{plan}chef-de-projet/"
    assert "Texte suggéré pour un post LinkedIn" in (built_site / action / "index.html").read_text(
        encoding="utf-8"
    )
    assert "Texte suggéré" not in pages[f"/{action}"]["content"]
    assert "https://" not in pages[f"/{action}"]["content"]
    # a chart's label and value ran together (« compétences1 »)
    assert not [u for u, p in pages.items() if re.search(r"[a-zé]{4}\d", p["content"])]


@pytest.mark.lent
def test_without_the_spaces_the_index_runs_cells_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: the same pages without the line break after each cell give
    « StatutActions » in the index."""
    from conftest import build_site, copy_project
    from tisite.generate import pagehtml

    monkeypatch.setattr(pagehtml, "spaced", lambda html: html)
    site = build_site(copy_project(tmp_path / "projet"))
    content = indexed_pages(site)[f"/{HDC}/plan-action/avancement/"]["content"]
    assert "StatutActions" in content
