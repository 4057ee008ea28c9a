"""Views (tisite.generate.views): what the computed pages show is decided in Python, from the models,
and page templates receive no module to compute with."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
from pathlib import Path

import pytest

from conftest import copy_project
from tisite.content.loader import load_site
from tisite.content.models import SiteModel
from tisite.generate import views
from tisite.generate.render import make_env

TODAY = dt.date(2026, 11, 22)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> SiteModel:
    return load_site(copy_project(tmp_path_factory.mktemp("vues") / "projet"))


def test_plan_view_offers_only_the_choices_its_actions_have(site: SiteModel) -> None:
    t = next(t for t in site.territories if t.slug == "hainaut-douaisis-cambresis")
    view = views.plan(t, TODAY)
    offered = {f.name: f.options for f in view.filters}
    assert [o.key for o in offered["axe"]] == sorted(
        {a.data.axe for a in t.actions if a.data.axe}, key=[*views.vocab.AXES].index
    )
    assert {o.key for o in offered["priorite"]} == {p for a in t.actions for p in a.data.priorites}
    # every action « En cours », every action for the whole territory: these filters would
    # keep every action whatever the choice, and are not offered
    assert {a.statut for a in t.actions} == {"En cours"} and not any(a.data.epci for a in t.actions)
    assert [f.name for f in view.filters] == ["axe", "priorite", "porteur"]
    assert sum(len(g.cards) for g in view.groups) == len(t.actions)
    count, budget, late = view.figures
    assert (count.value, count.label) == (str(len(t.actions)), "fiches actions")
    assert budget.label == "de budget connu" and budget.note and "sur" in budget.note
    assert late.note == "au 22 novembre 2026"
    card = view.groups[0].cards[0]
    assert card.statut == views.actionplan.key(card.action.statut)
    assert card.epci == (" ".join(card.action.data.epci) or "*")


def test_plan_view_of_a_territory_with_one_action_speaks_in_the_singular(
    site: SiteModel,
) -> None:
    t = site.territories[0]
    one = dataclasses.replace(t, actions=t.actions[:1])
    count, budget, _ = views.plan(one, TODAY).figures
    assert count == ("1", "fiche action", None)
    assert budget.note is not None and budget.note.endswith(
        ("a un budget renseigné", "ont un budget renseigné")
    )
    empty = views.plan(dataclasses.replace(t, actions=()), TODAY)
    assert empty.groups == () and empty.by_status == () and empty.filters == ()


def test_a_filter_is_offered_when_one_of_its_choices_narrows_the_list(site: SiteModel) -> None:
    """An action for two intercommunalities: the intercommunality filter is offered, with
    every intercommunality (an action for the whole territory concerns each). Control: when
    every action is for the whole territory, it is not (above)."""
    t = next(t for t in site.territories if t.slug == "hainaut-douaisis-cambresis")
    first, *others = t.actions
    data = first.data.model_copy(update={"epci": [e.siren for e in t.epcis[:2]]})
    changed = dataclasses.replace(first, data=data)
    view = views.plan(dataclasses.replace(t, actions=(changed, *others)), TODAY)
    names = [f.name for f in view.filters]
    assert names == ["axe", "priorite", "porteur", "epci"], names
    epci = next(f for f in view.filters if f.name == "epci")
    assert [o.key for o in epci.options] == [e.siren for e in t.epcis]


def test_progress_view_lists_late_actions_with_the_reason(site: SiteModel) -> None:
    t = site.territories[0]
    far = views.progress(t, dt.date(2100, 1, 1))  # every deadline is past
    near = views.progress(t, dt.date(2000, 1, 1))
    assert len(far.late) >= len(near.late)
    assert all(why for _, why in far.late)
    assert far.total == len(t.actions) == len(far.rows)
    assert sum(n for _, n in far.by_status) == far.total


def test_dashboard_view_sums_the_territories(site: SiteModel) -> None:
    view = views.dashboard(site)
    assert view.territories == len(site.territories)
    total = next(r for r in view.regions if r.region.startswith("Total"))
    assert total.territories == len(site.territories)
    assert total.actions == sum(len(t.actions) for t in site.territories)
    names = [r.territory.nom for r in view.rows]
    assert names == views.textutil.french_sorted(names)
    assert all(r.latest is None or r.latest == r.territory.letters[0] for r in view.rows)


def test_letters_archive_is_by_year_newest_first(site: SiteModel) -> None:
    t = next(t for t in site.territories if t.letters)
    years = views.letters_by_year(t)
    assert [y for y, _ in years] == sorted({x.date.year for x in t.letters}, reverse=True)
    for year, letters in years:
        assert all(x.date.year == year for x in letters)
        assert [x.date for x in letters] == sorted((x.date for x in letters), reverse=True)


def test_home_view_names_the_other_regions_of_a_territory(site: SiteModel) -> None:
    t = site.territories[0]
    spread = dataclasses.replace(t, regions=("Normandie", "Bretagne", "Île-de-France"))
    assert views._elsewhere(spread, "Normandie") == "Aussi en Bretagne et Île-de-France"
    assert views._elsewhere(dataclasses.replace(t, regions=("Normandie",)), "Normandie") is None
    view = views.home(site, "2021")
    assert view.figures[0].value == str(len(site.territories))
    assert view.figures[3].note == "population municipale en vigueur en 2021"


def test_templates_get_no_module_to_compute_with() -> None:
    env = make_env()
    modules = [k for k, v in env.globals.items() if isinstance(v, types.ModuleType)]
    assert modules == []
    # control: the check sees a module exposed to templates
    env.globals["ap"] = views.actionplan
    assert [k for k, v in env.globals.items() if isinstance(v, types.ModuleType)] == ["ap"]


# What templates must not do: call the old module globals, or sort, group, filter and sum
# collections (views do).
COMPUTING = re.compile(
    r"\b(?:ap|nat)\.|\|\s*(?:sort|sum|groupby|selectattr|rejectattr|map|min|max)\b"
)


def test_page_templates_only_loop_and_test() -> None:
    pages = Path(views.__file__).parent / "templates" / "pages"
    found = {t.name: COMPUTING.findall(t.read_text(encoding="utf-8")) for t in pages.glob("*.j2")}
    assert {name: calls for name, calls in found.items() if calls} == {}
    # control: the check sees a template that sums and one that calls a module
    assert COMPUTING.findall('{{ d.depenses|sum(attribute="montant") }} {{ ap.key(s) }}') == [
        "|sum",
        "ap.",
    ]
