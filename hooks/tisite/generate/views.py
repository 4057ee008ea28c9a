"""Views: what each computed page shows, built in Python from the models.

A page template receives one view and lays it out with loops and conditions: the counts,
totals, sorted groups, filter options and chart series are computed and typed here (and
tested here), never in the templates. Values stay raw (numbers, labels from YAML): the
templates escape them where they meet Markdown or HTML; only figures are formatted here
because their wording (singular or plural) depends on the number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NamedTuple

from tisite.content import vocab
from tisite.content.models import ActionItem, AgendaEntry, Letter, SiteModel, Territory
from tisite.generate import actionplan, national, textutil
from tisite.generate.actionplan import Change, Quarter

Series = tuple[tuple[str, float], ...]  # a chart's bars: (label, value)


class Figure(NamedTuple):
    """A key figure: « 12 » « fiches actions » (and a note under it)."""

    value: str
    label: str
    note: str | None = None


@dataclass(frozen=True)
class Option:
    """A filter's choice: the key it matches (``data-*`` attributes) and what it shows."""

    key: str
    label: str


def _budget_figure(actions: tuple[ActionItem, ...]) -> Figure:
    total, known = actionplan.budget_known(actions)
    note = (
        f"{textutil.plural(known, 'action')} sur {textutil.number(len(actions))}"
        f"{' a' if known <= 1 else ' ont'} un budget renseigné"
    )
    if not known:  # « Aucun budget connu », not « non renseigné de budget connu »
        return Figure("Aucun", "budget connu", note)
    return Figure(textutil.euros(total), "de budget connu", note)


def _actions_figure(count: int) -> Figure:
    return Figure(textutil.number(count), textutil.agree(count, "fiche action", "fiches actions"))


def _budget_text(budget: tuple[float | int, int], cents: bool = False) -> str:
    """A known budget (actionplan.budget_known) in euros, or « non renseigné »."""
    total, known = budget
    return textutil.euros(total, cents) if known else "non renseigné"


# --- a territory's action plan --------------------------------------------------------------


@dataclass(frozen=True)
class ActionCard:
    """One fiche action in the plan's list, with the keys its filters match."""

    action: ActionItem
    axe: str
    priorites: str  # the priority keys, space-separated
    statut: str
    porteur: str  # the porteur's key
    epci: str  # the SIRENs, space-separated, or « * » when it concerns all of them
    porteur_nom: str
    budget: str
    priorite_labels: tuple[str, ...]
    overdue: str | None  # its planned end, when passed without a final point


@dataclass(frozen=True)
class AxisGroup:
    label: str
    anchor: str
    cards: tuple[ActionCard, ...]


@dataclass(frozen=True)
class Facet:
    """One filter of the plan: its name (the cards' ``data-*`` attribute and the address's
    parameter), its label, its first choice (everything) and its choices."""

    name: str
    label: str
    everything: str
    options: tuple[Option, ...]


@dataclass(frozen=True)
class PlanView:
    """The action plan page: key figures, the filters that can narrow the list, the actions by
    axis and charts."""

    actions: tuple[ActionItem, ...]
    figures: tuple[Figure, ...]
    filters: tuple[Facet, ...]
    groups: tuple[AxisGroup, ...]
    by_partner: Series
    by_axis: Series
    by_status: Series
    by_priority: Series


def _card(a: ActionItem, today: dt.date) -> ActionCard:
    porteur = a.data.porteur.nom if a.data.porteur else ""
    return ActionCard(
        action=a,
        axe=a.data.axe or "",
        priorites=" ".join(a.data.priorites),
        statut=actionplan.key(a.statut),
        porteur=actionplan.key(porteur),
        epci=" ".join(a.data.epci) or "*",
        porteur_nom=porteur or "non renseigné",
        budget=textutil.euros(a.budget_total),
        priorite_labels=tuple(vocab.PRIORITES[p] for p in a.data.priorites),
        overdue=actionplan.overdue(a, today),
    )


def _filters(t: Territory, cards: list[ActionCard]) -> tuple[Facet, ...]:
    """The plan's filters that can narrow its list: a filter whose every choice keeps every
    action (one status for all, every action for the whole territory) is not offered."""
    actions = tuple(c.action for c in cards)
    facets = (
        Facet(
            "axe",
            "Axe",
            "Tous les axes",
            tuple(
                Option(k, label)
                for k, label in vocab.AXES.items()
                if any(a.data.axe == k for a in actions)
            ),
        ),
        Facet(
            "priorite",
            "Priorité 2023-2027",
            "Toutes les priorités",
            tuple(
                Option(k, label)
                for k, label in vocab.PRIORITES.items()
                if any(k in a.data.priorites for a in actions)
            ),
        ),
        Facet(
            "statut",
            "Statut",
            "Tous les statuts",
            tuple(Option(actionplan.key(s), s) for s, _ in actionplan.status_counts(actions)),
        ),
        Facet(
            "porteur",
            "Porteur",
            "Tous les porteurs",
            tuple(Option(actionplan.key(p), p) for p in actionplan.porteurs(actions)),
        ),
        Facet(
            "epci",
            "Intercommunalité",
            "Toutes les intercommunalités",
            tuple(Option(e.siren, e.nom) for e in t.epcis),
        ),
    )
    return tuple(
        f
        for f in facets
        if any(not all(_matches(c, f.name, o.key) for c in cards) for o in f.options)
    )


def _matches(card: ActionCard, name: str, key: str) -> bool:
    """Whether a card stays when ``key`` is chosen in filter ``name`` (as plan-action.js)."""
    value: str = card.priorites if name == "priorite" else getattr(card, name)
    if name == "epci" and value == "*":  # concerns the whole territory
        return True
    return key in value.split(" ")


def plan(t: Territory, today: dt.date) -> PlanView:
    actions = t.actions
    late = actionplan.late_actions(actions, today)
    statuses = actionplan.status_counts(actions)
    cards = {id(a): _card(a, today) for a in actions}
    return PlanView(
        actions=actions,
        figures=(
            _actions_figure(len(actions)),
            _budget_figure(actions),
            Figure(
                textutil.number(len(late)),
                textutil.agree(
                    len(late),
                    "action en retard ou à échéance dépassée",
                    "actions en retard ou à échéance dépassée",
                ),
                f"au {textutil.long_date(today)}",
            ),
        ),
        filters=_filters(t, list(cards.values())),
        groups=tuple(
            AxisGroup(label, actionplan.key(label), tuple(cards[id(a)] for a in group))
            for label, group in actionplan.by_axis(actions)
        ),
        by_partner=tuple(actionplan.budget_by_partner(actions)),
        by_axis=tuple(actionplan.budget_by_axis(actions)),
        by_status=tuple(statuses),
        by_priority=tuple(actionplan.count_by_priority(actions)),
    )


# --- a territory's progress report ------------------------------------------------------------


@dataclass(frozen=True)
class ProgressRow:
    action: ActionItem
    last_entry: dt.date | None
    deadline: str | None  # a date, or a month « 2026-06 » or a year


@dataclass(frozen=True)
class ProgressView:
    """The quarterly progress report: counts by status, late actions, every action's state
    and the dated changes by quarter."""

    total: int
    by_status: Series
    late: tuple[tuple[ActionItem, str], ...]  # (action, why it is late)
    rows: tuple[ProgressRow, ...]
    quarters: tuple[tuple[Quarter, tuple[Change, ...]], ...]
    latest: dt.date | None = None  # the newest progress point of any action
    stale: bool = False  # that point is more than six months before the report's date


def progress(t: Territory, today: dt.date) -> ProgressView:
    actions = t.actions
    points = [a.current.date for a in actions if a.current is not None]
    latest = max(points, default=None)
    return ProgressView(
        latest=latest,
        stale=latest is not None and (today - latest).days > 183,
        total=len(actions),
        by_status=tuple(actionplan.status_counts(actions)),
        late=tuple(
            (a, actionplan.lateness(a, today)) for a in actionplan.late_actions(actions, today)
        ),
        rows=tuple(
            ProgressRow(a, a.current.date if a.current else None, a.data.calendrier.fin)
            for a in actions
        ),
        quarters=tuple((q, tuple(c)) for q, c in actionplan.changes_by_quarter(actions)),
    )


# --- the national dashboard -------------------------------------------------------------------


@dataclass(frozen=True)
class RegionRow:
    region: str
    territories: int
    actions: int
    budget: str
    letters: int


@dataclass(frozen=True)
class TerritoryRow:
    territory: Territory
    budget: str
    latest: Letter | None


@dataclass(frozen=True)
class DashboardView:
    """The national dashboard: key figures, actions by priority and status, funders, and
    figures by region and by territory."""

    description: str
    territories: int
    figures: tuple[Figure, ...]
    has_actions: bool
    statuses: tuple[str, ...]  # the matrix's columns
    matrix: tuple[tuple[str, tuple[int, ...], int], ...]  # (priority, counts, total)
    by_priority: Series
    by_status: Series
    by_partner: Series
    interregional: bool
    regions: tuple[RegionRow, ...]
    rows: tuple[TerritoryRow, ...]


def dashboard(site: SiteModel) -> DashboardView:
    actions = national.all_actions(site)
    count = len(site.territories)
    letters = sum(len(t.letters) for t in site.territories)
    statuses, matrix = national.priority_status_matrix(site)
    region_rows = national.region_rows(site)
    # one column of amounts: the cents of one are the cents of all (textutil.euros)
    region_cents = textutil.has_cents(r["budget_connu"] for r in region_rows)
    budgets = {t.slug: actionplan.budget_known(t.actions) for t in site.territories}
    cents = textutil.has_cents(total for total, _ in budgets.values())
    return DashboardView(
        description=(
            "Actions par priorité et par statut, financements par partenaire et chiffres par "
            f"région des {count} Territoires d'industrie publiés."
        ),
        territories=count,
        figures=(
            Figure(
                textutil.number(count),
                textutil.agree(count, "Territoire d'industrie", "Territoires d'industrie"),
            ),
            _actions_figure(len(actions)),
            _budget_figure(actions),
            Figure(
                textutil.number(letters),
                textutil.agree(letters, "lettre d'information", "lettres d'information"),
            ),
        ),
        has_actions=bool(actions),
        statuses=tuple(statuses),
        matrix=tuple((label, tuple(counts), n) for label, counts, n in matrix),
        by_priority=tuple(actionplan.count_by_priority(actions)),
        by_status=tuple(actionplan.status_counts(actions)),
        by_partner=tuple(national.budget_by_partner(site)),
        interregional=bool(national.interregional(site)),
        regions=tuple(
            RegionRow(
                r["region"],
                r["territoires"],
                r["actions"],
                _budget_text((r["budget_connu"], r["actions_budget_connu"]), region_cents),
                r["lettres"],
            )
            for r in region_rows
        ),
        rows=tuple(
            TerritoryRow(
                t, _budget_text(budgets[t.slug], cents), t.letters[0] if t.letters else None
            )
            for t in textutil.french_sorted(site.territories, "nom")
        ),
    )


# --- the home page ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TerritoryCard:
    territory: Territory
    elsewhere: str | None  # « Aussi en Bretagne et Normandie » for a multi-regional one


@dataclass(frozen=True)
class HomeView:
    """The national home page: key figures, the map's départements and the territories by
    region."""

    figures: tuple[Figure, ...]
    departements: tuple[tuple[str, str, tuple[Territory, ...]], ...]  # (code, name, territories)
    regions: tuple[tuple[str, tuple[TerritoryCard, ...]], ...]


def _elsewhere(t: Territory, region: str) -> str | None:
    others = textutil.french_sorted([r for r in t.regions if r != region])
    if not others:
        return None
    head = ", ".join(others[:-1])
    return f"Aussi en {head}{' et ' if len(others) > 1 else ''}{others[-1]}"


def home(site: SiteModel, millesime: str) -> HomeView:
    regions = site.by_region()
    count = len(site.territories)
    return HomeView(
        figures=(
            Figure(
                textutil.number(count),
                textutil.agree(count, "Territoire d'industrie", "Territoires d'industrie"),
            ),
            Figure(textutil.number(len(regions)), "régions" if len(regions) > 1 else "région"),
            Figure(
                textutil.number(epcis := sum(len(t.epcis) for t in site.territories)),
                textutil.agree(epcis, "intercommunalité", "intercommunalités"),
            ),
            Figure(
                textutil.number(sum(t.population for t in site.territories)),
                "habitants",
                f"population municipale en vigueur en {millesime}",
            ),
        ),
        departements=tuple(
            (code, name, tuple(ts)) for code, name, ts in national.by_departement(site)
        ),
        regions=tuple(
            (region, tuple(TerritoryCard(t, _elsewhere(t, region)) for t in territories))
            for region, territories in regions
        ),
    )


# --- a territory's home, identity card, priorities and agenda --------------------------------


def territory(t: Territory, millesime: str) -> tuple[Figure, ...]:
    """The key figures of a territory's home page."""
    count = len(t.epcis)
    figures = [
        Figure(textutil.number(count), "intercommunalités" if count > 1 else "intercommunalité"),
        Figure(textutil.number(t.nb_communes), "communes"),
        Figure(
            textutil.number(t.population),
            "habitants",
            f"population municipale en vigueur en {millesime}",
        ),
    ]
    emploi = t.info.emploi_industriel
    if emploi:
        figures.append(
            Figure(
                f"{textutil.number(emploi.part)} %", "des emplois sont industriels", emploi.source
            )
        )
    return tuple(figures)


@dataclass(frozen=True)
class PriorityLink:
    """A national priority and the territory's objectives attached to it."""

    label: str
    objectives: tuple[Any, ...]  # schema.Objectif


def priority_links(t: Territory) -> tuple[PriorityLink, ...]:
    return tuple(
        PriorityLink(label, tuple(o for o in t.priorites.objectifs if key in o.priorites))
        for key, label in vocab.PRIORITES.items()
    )


@dataclass(frozen=True)
class AgendaView:
    """The agenda split at the build's date (agenda.js moves entries that pass later)."""

    upcoming: tuple[AgendaEntry, ...]  # chronological
    past: tuple[AgendaEntry, ...]  # newest first


def agenda(t: Territory, today: dt.date) -> AgendaView:
    return AgendaView(
        tuple(e for e in t.agenda if e.last_day >= today),
        tuple(reversed([e for e in t.agenda if e.last_day < today])),
    )


# --- one fiche action ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionView:
    """What a fiche action's page computes: its priorities by name, its milestones in order,
    the total of its planned expenses, and its planned end when passed."""

    priorites: tuple[str, ...]
    jalons: tuple[Any, ...]  # schema.Jalon, by date
    depenses_total: float
    overdue: str | None  # its planned end, when passed without a final point (actionplan)


def action(a: ActionItem, today: dt.date) -> ActionView:
    d = a.data
    return ActionView(
        priorites=tuple(vocab.PRIORITES[p] for p in d.priorites),
        jalons=tuple(sorted(d.calendrier.jalons, key=lambda j: str(j.date))),
        depenses_total=sum(x.montant for x in d.depenses),
        overdue=actionplan.overdue(a, today),
    )


def chef_funding_total(t: Territory) -> float | None:
    """The total of the chef de projet's funding lines (gouvernance page), if any."""
    chef = t.gouvernance.chef_de_projet
    if chef is None or not chef.financement:
        return None
    return textutil.cents_sum(f.montant for f in chef.financement)


def letters_by_year(t: Territory) -> tuple[tuple[int, tuple[Letter, ...]], ...]:
    """The letters archive: years newest first, each year's letters newest first."""
    years: dict[int, list[Letter]] = {}
    for letter in t.letters:
        years.setdefault(letter.date.year, []).append(letter)
    return tuple(
        (year, tuple(sorted(years[year], key=lambda x: x.date, reverse=True)))
        for year in sorted(years, reverse=True)
    )
