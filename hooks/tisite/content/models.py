"""Immutable models built from validated sources, with derived figures computed once."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import groupby
from pathlib import Path
from urllib.parse import quote

from tisite import urls
from tisite.content import schema
from tisite.content.errors import Problem
from tisite.content.reference import EpciRef
from tisite.generate.textutil import cents_sum


@dataclass(frozen=True)
class Epci:
    ref: EpciRef
    sigle: str | None

    @property
    def siren(self) -> str:
        return self.ref.siren

    @property
    def nom(self) -> str:
        return self.ref.nom


CLOSED = ("Terminé", "Abandonné")


def period_end(value: str | None) -> dt.date | None:
    """Last day covered by a partial date (« 2024 » → 2024-12-31, « 2024-06 » → 2024-06-30)."""
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        year, month = parts
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(parts[0], 12, 31)


def period_start(value: str | None) -> dt.date | None:
    if not value:
        return None
    parts = [int(p) for p in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


@dataclass(frozen=True)
class ActionItem:
    """A published fiche action with its derived figures."""

    id: str
    territory_slug: str
    data: schema.Action
    description: str
    source: str
    remote_url: str | None = None  # a harvested territory's action: its own site's address

    @property
    def titre(self) -> str:
        return self.data.titre

    @property
    def url(self) -> str:
        if self.remote_url is not None:
            return self.remote_url
        return urls.url_to("fiche", t=self.territory_slug, id=self.id)

    def __getstate__(self) -> dict[str, object]:
        """What the action is made of, without the figures derived and kept once asked for
        (``cached_property``): equal actions pickle the same whether or not a page read them
        (the reuse of a territory's pages compares them pickled, see generate/reuse)."""
        return {k: v for k, v in self.__dict__.items() if k not in _DERIVED}

    def _known_sum(self, kept: Callable[[str], bool]) -> float | int | None:
        """The sum of the known amounts of the lines whose statut is ``kept``, to the cent (a
        whole number of euros as an int). None (« non renseigné ») when such lines exist but
        none has an amount. No such line: 0 when the budget's other amounts are known (lines
        all refused, or none acquired yet), else None."""
        lines = [b for b in self.data.budget if kept(b.statut)]
        amounts = [b.montant for b in lines if b.montant is not None]
        if not amounts:
            if lines or all(b.montant is None for b in self.data.budget):
                return None
            return 0
        return cents_sum(amounts)

    @cached_property
    def budget_total(self) -> float | None:
        return self._known_sum(lambda statut: statut != "refusé")

    @cached_property
    def budget_unknown(self) -> int:
        """How many lines counted in the total (not refused) have no amount: the total is
        then what is known, and says so."""
        return sum(b.montant is None and b.statut != "refusé" for b in self.data.budget)

    @cached_property
    def budget_acquis(self) -> float | None:
        return self._known_sum(lambda statut: statut == "acquis")

    @cached_property
    def history(self) -> tuple[schema.Avancement, ...]:
        return tuple(sorted(self.data.avancement, key=lambda a: a.date))

    @property
    def current(self) -> schema.Avancement | None:
        return self.history[-1] if self.history else None

    @property
    def statut(self) -> str:
        return self.current.statut if self.current else "Non renseigné"

    @property
    def phase(self) -> str:
        return self.current.phase if self.current else "Non renseignée"

    def is_late(self, today: dt.date) -> bool:
        """Declared late or blocked, or past its end date without being closed."""
        if self.statut in ("En retard", "Bloqué"):
            return True
        end = period_end(self.data.calendrier.fin)
        return bool(end and end < today and self.statut not in CLOSED)

    def status_at(self, day: dt.date) -> schema.Avancement | None:
        past = [a for a in self.history if a.date <= day]
        return past[-1] if past else None


_DERIVED = frozenset(
    name for name, value in vars(ActionItem).items() if isinstance(value, cached_property)
)


@dataclass(frozen=True)
class Remote:
    """Where a harvested territory lives (a national portal, see tisite.content.federation): its own
    site's addresses, checked under the source's origin, and the date of the copy used."""

    source: str  # the address listed in site.yml (portail.sources)
    site: str  # the site's address, as its bundle gives it
    harvested: dt.date  # when this copy was fetched (the last good one)
    stale: bool  # the last harvest failed: an older copy is shown
    addresses: dict[str, str]  # name in the URL table → absolute address on its site
    actions: dict[str, str] = field(default_factory=dict)  # action id → absolute address
    letters: dict[int, str] = field(default_factory=dict)  # letter number → absolute address

    def address(self, name: str, **params: object) -> str:
        """The absolute address of an entry of the URL table on the territory's own site."""
        if name == "fiche":
            return self.actions[str(params["id"])]
        if name == "lettre":
            return self.letters[int(str(params["numero"]))]
        return self.addresses[name]


@dataclass(frozen=True)
class Territory:
    slug: str
    source_dir: str
    info: schema.Territoire
    priorites: schema.Priorites
    gouvernance: schema.Gouvernance
    epcis: tuple[Epci, ...]
    departements: tuple[tuple[str, str], ...]  # (code, name)
    regions: tuple[str, ...]
    nb_communes: int
    population: int
    actions: tuple[ActionItem, ...] = ()
    letters: tuple[Letter, ...] = ()  # newest first
    agenda: tuple[AgendaEntry, ...] = ()  # chronological
    remote: Remote | None = None  # harvested from its own site (a national portal)

    @property
    def nom(self) -> str:
        return self.info.nom

    def address(self, site_url: str | None, name: str, **params: object) -> str:
        """The absolute address of one of its pages or files: on this site, or on its own
        site for a harvested territory."""
        params = {**params, "t": self.slug}
        if self.remote is not None:
            return self.remote.address(name, **params)
        return urls.absolute(site_url, urls.url_to(name, **params))

    @property
    def region_label(self) -> str:
        return " / ".join(self.regions)

    @property
    def url(self) -> str:
        """Its home's address: relative to this site's root, absolute for a harvested one."""
        if self.remote is not None:
            return self.remote.address("territoire")
        return urls.url_to("territoire", t=self.slug)

    def objective(self, objective_id: str | None) -> schema.Objectif | None:
        return next((o for o in self.priorites.objectifs if o.id == objective_id), None)

    def action(self, action_id: str) -> ActionItem | None:
        return next((a for a in self.actions if a.id == action_id), None)

    def letter(self, numero: int) -> Letter | None:
        return next((x for x in self.letters if x.numero == numero), None)

    def epci_by_siren(self, siren: str) -> Epci | None:
        return next((e for e in self.epcis if e.siren == siren), None)


@dataclass(frozen=True)
class SiteModel:
    settings: schema.Site
    territories: tuple[Territory, ...]
    reference_source: dict[str, str]
    warnings: tuple[Problem, ...] = field(default=())
    harvest: str | None = None  # a portal: what its harvest did (the line the build prints)
    home: str | None = None  # the territory whose site this is (see loader.home_territory)

    @property
    def own_territory(self) -> Territory | None:
        """A one-territory site's territory (its home is the site's home); None: a network."""
        return self.territory(self.home) if self.home else None

    def by_region(self) -> list[tuple[str, list[Territory]]]:
        """Territories grouped by region (a multi-regional one appears in each region)."""
        pairs = sorted(
            ((region, t) for t in self.territories for region in t.regions),
            key=lambda p: (p[0], p[1].nom),
        )
        return [
            (region, [t for _, t in group]) for region, group in groupby(pairs, key=lambda p: p[0])
        ]

    def territory(self, slug: str) -> Territory | None:
        return next((t for t in self.territories if t.slug == slug), None)

    @property
    def local(self) -> tuple[Territory, ...]:
        """The territories of this repository (pages, files): not the harvested ones."""
        return tuple(t for t in self.territories if t.remote is None)


@dataclass(frozen=True)
class Letter:
    """A published newsletter issue."""

    numero: int
    territory_slug: str
    data: schema.Lettre
    body: str
    source: str
    folder: Path  # the lettres/ folder, for images placed next to the letter
    images: tuple[str, ...] = ()  # relative paths referenced by the letter (cover and body)
    cover_size: tuple[int, int] | None = None  # the cover as published (width, height)
    remote_url: str | None = None  # a harvested territory's letter: its own site's address
    # (relative path, width, height) of each image of ``images`` as published
    image_sizes: tuple[tuple[str, int, int], ...] = ()

    @property
    def titre(self) -> str:
        return self.data.titre

    @property
    def cover_address(self) -> str | None:
        """The cover's address relative to the letter's page: a file named with a space, « # »,
        « % » or an accent has them percent-encoded there (« couverture%20bilan.jpg »)."""
        return quote(self.data.image) if self.data.image else None

    @property
    def date(self) -> dt.date:
        return self.data.date

    @property
    def url(self) -> str:
        if self.remote_url is not None:
            return self.remote_url
        return urls.url_to("lettre", t=self.territory_slug, numero=self.numero)


@dataclass(frozen=True)
class AgendaEntry:
    """A call for projects (dated by its deadline) or an event, from a letter or agenda.yml."""

    kind: str  # "appel" or "evenement"
    titre: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None
    lieu: str | None
    lien: str | None
    description: str | None
    operateur: str | None
    letter: int | None
    territory_slug: str
    # another entry of the territory has the same kind, title and start: what tells this one
    # apart (its end and place, see letters.load_agenda), else empty
    variant: str = ""
    # the contributor's stable name (« identifiant »): the entry's identity, whatever its date
    ident: str | None = None
    # how many times an identified event was announced before this announcement (its
    # calendar's SEQUENCE: an importer takes the new date as an update)
    sequence: int = 0

    @property
    def day(self) -> dt.date:
        return self.start.date() if isinstance(self.start, dt.datetime) else self.start

    @property
    def last_day(self) -> dt.date:
        end = self.end or self.start
        return end.date() if isinstance(end, dt.datetime) else end

    @property
    def uid(self) -> str:
        if self.ident is not None:  # postponed, renamed, announced again: the same event
            return f"{self.territory_slug}-{self.kind}-{self.ident}"
        origin = f"lettre-{self.letter}" if self.letter is not None else "agenda"
        digest = hashlib.sha1(self.titre.encode("utf-8")).hexdigest()[:10]
        # the hour of a timed entry: two sessions of a day keep their own identifier, whatever
        # comes or goes around them
        when = f"{self.start:%Y-%m-%dT%H%M}" if isinstance(self.start, dt.datetime) else self.day
        uid = f"{self.territory_slug}-{origin}-{self.kind}-{when}-{digest}"
        return f"{uid}-{self.variant}" if self.variant else uid

    @property
    def said(self) -> tuple[object, ...]:
        """All an entry says of its event: an entry announced again as it was (a reminder in a
        later letter) says the same."""
        return (self.kind, self.titre, self.start, self.end, self.lieu)

    @property
    def same_event(self) -> tuple[object, ...]:
        """The event an entry announces: its identifier when it has one (a postponed event
        keeps it), else all it says (see letters.load_agenda for a reminder of an identified
        event written without its identifier)."""
        if self.ident is not None:
            return (self.kind, "identifiant", self.ident)
        return self.said
