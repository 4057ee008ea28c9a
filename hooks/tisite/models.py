"""Immutable models built from validated sources, with derived figures computed once."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from . import schema
from .errors import Problem
from .reference import EpciRef


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

    @property
    def nom(self) -> str:
        return self.info.nom

    @property
    def region_label(self) -> str:
        return " / ".join(self.regions)

    @property
    def url(self) -> str:
        return f"{self.slug}/"

    def objective(self, objective_id: str) -> schema.Objectif | None:
        return next((o for o in self.priorites.objectifs if o.id == objective_id), None)


@dataclass(frozen=True)
class SiteModel:
    settings: schema.Site
    territories: tuple[Territory, ...]
    reference_source: dict[str, str]
    warnings: tuple[Problem, ...] = field(default=())

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
