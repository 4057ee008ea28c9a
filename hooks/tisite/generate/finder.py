"""The national action finder: every fiche action of every territory, by facet.

``/actions/`` filters across territories in the browser, from the search index
(``assets/js/trouveur.js``, Pagefind's filters). Without JavaScript, one page per facet value
(``/actions/region/occitanie/``, ``/actions/priorite/foncier-industriel/``…) lists the matching
actions by region and territory: addresses that can be shared and never depend on a script.

The facets of an action are the ones the search index files it under
(:func:`searchindex.action_facets`): the finder and the search can't disagree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from tisite import urls
from tisite.content import vocab
from tisite.content.models import ActionItem, SiteModel, Territory
from tisite.content.reference import load_reference
from tisite.generate import actionplan, textutil
from tisite.publish import searchindex

ROOT = urls.url_to("actions")
# Facets of the finder, in the order of its form: (index filter, label, label of « all »).
FACETS = (
    ("region", "Région", "Toutes les régions"),
    ("territoire", "Territoire", "Tous les territoires"),
    ("priorite", "Priorité 2023-2027", "Toutes les priorités"),
    ("axe", "Axe", "Tous les axes"),
    ("statut", "Statut", "Tous les statuts"),
)
# How a facet page's title names its value: « Fiches actions — région Occitanie ».
TITLES = {"region": "", "priorite": "priorité ", "axe": "axe ", "statut": "statut "}
# Results shown at once, then by « Afficher plus » (assets/js/trouveur.js, PAGE).
FIRST = 20
# Facets with pages of their own (a territory's actions are its action plan's page).
PAGED = ("region", "priorite", "axe", "statut")
_ORDER = {
    "priorite": list(vocab.PRIORITES.values()),
    "axe": [*vocab.AXES.values(), "Axe non renseigné"],
    "statut": list(actionplan.STATUS_ORDER),
}


@dataclass(frozen=True)
class FacetValue:
    facet: str
    label: str
    count: int

    @property
    def url(self) -> str:
        return urls.url_to("actions-liste", facette=self.facet, valeur=actionplan.key(self.label))

    @property
    def path(self) -> str:
        return urls.page_file(self.url)


@dataclass(frozen=True)
class TerritoryGroup:
    territory: Territory
    actions: tuple[ActionItem, ...]


@dataclass(frozen=True)
class RegionGroup:
    region: str
    territories: tuple[TerritoryGroup, ...]

    @property
    def count(self) -> int:
        return sum(len(g.actions) for g in self.territories)


def _pairs(site: SiteModel) -> list[tuple[Territory, ActionItem, searchindex.Facets]]:
    return [(t, a, searchindex.action_facets(t, a)) for t in site.territories for a in t.actions]


def facet_values(site: SiteModel) -> dict[str, list[FacetValue]]:
    """Every value of every facet that at least one action has, with its number of actions."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for _, _, facets in _pairs(site):
        for name, value in set(facets):
            counts[name][value] += 1
    out: dict[str, list[FacetValue]] = {}
    for name, _, _ in FACETS:
        values = counts.get(name, {})
        order = _ORDER.get(name)
        labels = [v for v in order if v in values] if order else textutil.french_sorted(values)
        out[name] = [FacetValue(name, label, values[label]) for label in labels]
    return out


def grouped(
    site: SiteModel, facet: str | None = None, label: str | None = None
) -> list[RegionGroup]:
    """The actions (those with ``facet`` = ``label`` if given) by region, then territory. A
    territory on several regions is listed under the first one (the region asked for, on a
    region's page)."""
    by_territory: dict[str, list[ActionItem]] = defaultdict(list)
    for t, a, facets in _pairs(site):
        if facet is None or (facet, label) in facets:
            by_territory[t.slug].append(a)
    regions = []
    seen: set[str] = set()
    for region, territories in site.by_region():
        if facet == "region" and region != label:
            continue
        own = [t for t in territories if by_territory.get(t.slug) and t.slug not in seen]
        seen.update(t.slug for t in own)
        groups = tuple(TerritoryGroup(t, tuple(by_territory[t.slug])) for t in own)
        if groups:
            regions.append(RegionGroup(region, groups))
    return regions


def first_results(site: SiteModel) -> list[tuple[Territory, ActionItem]]:
    """The results the finder shows before any choice, written into its page: the first
    FIRST actions by region, then territory (as the lists below the form)."""
    ordered = ((tg.territory, a) for g in grouped(site) for tg in g.territories for a in tg.actions)
    return [pair for pair, _ in zip(ordered, range(FIRST), strict=False)]


def _universe(facet: str) -> list[str]:
    """Every value a paged facet can take (regions: those of the reference data)."""
    if facet == "region":
        return list(load_reference().regions.values())
    return _ORDER[facet]


def facet_pages(site: SiteModel, published: frozenset[str] = frozenset()) -> list[FacetValue]:
    """The facet values that get a page of their own: those of at least one action, and those
    whose page was published before (``published``: the addresses of urls-publiees.txt), so
    that an address shared once keeps working when its last action changes status, priority or
    axis (the page then says there is none)."""
    values = facet_values(site)
    out = []
    for name in PAGED:
        present = {v.label for v in values[name]}
        former = [
            FacetValue(name, label, 0)
            for label in _universe(name)
            if label not in present and "/" + FacetValue(name, label, 0).url in published
        ]
        out += values[name] + former
    return out
