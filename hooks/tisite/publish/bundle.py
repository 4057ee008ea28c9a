"""The data bundle every territory site publishes for the national portal (federation).

One JSON file per territory (``{t}/donnees.json`` in the URL table) holds what the national
pages need, as text and numbers, never HTML: identity, priorities and objectives, every
published fiche action, letters, agenda, feeds, the site's address, the generator's version and
the bundle's schema version. A file at the site's root (``federation.json``) lists the bundles
of the site: the portal reads it first (tisite.content.harvest).

The bundle's shape is the pydantic model :class:`Bundle` below: the site publishes its JSON
Schema (``schemas/donnees-territoire-1.schema.json``, also committed in ``schemas/``), and the
portal validates what it receives with the same model. Keys are sorted and lists in a fixed
order: unchanged content gives identical bytes. Drafts never appear (even in a preview).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata
import json
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tisite import urls
from tisite.clock import PARIS
from tisite.content import schema, vocab
from tisite.content.models import ActionItem, SiteModel, Territory

VERSION = 1  # the bundle's schema version: a new one for any incompatible change
SCHEMA_NAME = f"donnees-territoire-{VERSION}"  # schemas/<name>.schema.json
PACKAGE = "territoires-industrie-site"

# Bounds of what a portal accepts (a 30-action territory weighs about 60 KB).
MAX_ACTIONS = 1000
MAX_LETTERS = 1000
MAX_AGENDA = 2000
MAX_SMALL = schema.MAX_LIST  # objectives, EPCIs, budget lines, progress entries…

Short = Annotated[schema.Text, Field(max_length=300)]
Title = Annotated[schema.Text, Field(max_length=300)]
Summary = Annotated[schema.Text, Field(max_length=1000)]
Link = Annotated[schema.Url, Field(max_length=2000)]
Priority = Literal[tuple(vocab.PRIORITES)]  # type: ignore[valid-type]
Axis = Literal[tuple(vocab.AXES)]  # type: ignore[valid-type]
Status = Literal[(*vocab.STATUTS, "Non renseigné")]  # type: ignore[valid-type]
Phase = Literal[(*vocab.PHASES, "Non renseignée")]  # type: ignore[valid-type]
BudgetStatus = Literal[vocab.BUDGET_STATUTS]  # type: ignore[valid-type]


# The French titles of the bundle's own keys (the content's come from schema.LABELS).
TITLES = {
    "actions": "Fiches actions",
    "actions_csv": "Fiches actions (CSV)",
    "actions_json": "Fiches actions (JSON)",
    "agenda": "Agenda",
    "agenda_ics": "Agenda (iCalendar)",
    "budget_acquis": "Budget acquis",
    "budget_total": "Budget connu",
    "code": "Code",
    "departements": "Départements",
    "flux": "Flux et fichiers",
    "generateur": "Générateur",
    "lettre": "Lettre qui l'annonce",
    "lettres": "Lettres",
    "lettres_atom": "Flux Atom des lettres",
    "lettres_rss": "Flux RSS des lettres",
    "modifie": "Dernière modification",
    "numero": "Numéro",
    "pages": "Pages du territoire",
    "population_annee": "Millésime des populations",
    "regions": "Régions",
    "site": "Site",
    "territoire": "Territoire",
    "version": "Version",
    "version_schema": "Version du schéma",
}


def _title(name: str, *_: object) -> str:
    return TITLES.get(name) or schema.label(name)


class Part(BaseModel):
    """Every part of a bundle: unknown keys refused, values immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=False, field_title_generator=_title
    )


class Generator(Part):
    nom: Short
    version: Short


class EpciOut(Part):
    siren: schema.Siren
    nom: Short
    sigle: Short | None = None


class Departement(Part):
    code: Annotated[str, Field(pattern=r"^(?:[0-9]{2}|2A|2B|97[1-6])$")]
    nom: Short


class Jobs(Part):
    part: Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
    source: Short
    date: schema.PartialDate


def _page_title(name: str, *_: object) -> str:
    """« Page Priorités »: a page of the territory, by its title in the navigation."""
    titles = {key.replace("-", "_"): title for key, title in urls.TERRITORY_SECTIONS}
    return f"Page {titles.get(name) or 'du territoire'}"


class Pages(Part):
    """Absolute addresses of the territory's pages on its own site."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=False, field_title_generator=_page_title
    )

    territoire: Link
    carte_identite: Link
    priorites: Link
    plan_action: Link
    avancement: Link
    gouvernance: Link
    lettres: Link
    agenda: Link


class Identity(Part):
    id: schema.Slug
    nom: Annotated[schema.Name, Field(max_length=120)]
    resume: Short
    url: Link
    pages: Pages
    epci: list[EpciOut] = Field(min_length=1, max_length=MAX_SMALL)
    communes: schema.Count
    population: schema.Count
    population_annee: Annotated[
        str,
        Field(
            pattern=r"^[0-9]{4}$",
            description="Millésime du référentiel qui donne les populations (année de "
            "publication des populations municipales par l'INSEE).",
        ),
    ]
    regions: list[Short] = Field(max_length=20)
    departements: list[Departement] = Field(max_length=40)
    emploi_industriel: Jobs | None = None
    filieres: list[Short] = Field(default_factory=list, max_length=MAX_SMALL)
    entreprises: list[Short] = Field(default_factory=list, max_length=MAX_SMALL)


class Objective(Part):
    id: schema.Slug
    titre: Title
    priorites: list[Priority] = Field(default_factory=list, max_length=10)  # type: ignore[valid-type]
    sous_objectifs: list[Title] = Field(default_factory=list, max_length=MAX_SMALL)


class BudgetLine(Part):
    financeur: Short
    montant: schema.Amount | None = None
    statut: BudgetStatus


class Calendar(Part):
    debut: schema.PartialDate | None = None
    fin: schema.PartialDate | None = None


class Progress(Part):
    date: schema.Day
    phase: Literal[vocab.PHASES]  # type: ignore[valid-type]
    statut: Literal[vocab.STATUTS]  # type: ignore[valid-type]


class Action(Part):
    id: schema.Slug
    titre: Title
    resume: Summary
    url: Link
    statut: Status = Field(  # type: ignore[valid-type]
        description="Statut du dernier point d'avancement (« Non renseigné » sans point)."
    )
    phase: Phase = Field(  # type: ignore[valid-type]
        description="Phase du dernier point d'avancement (« Non renseignée » sans point)."
    )
    axe: Axis | None = None  # type: ignore[valid-type]
    priorites: list[Priority] = Field(default_factory=list, max_length=10)  # type: ignore[valid-type]
    objectif: schema.Slug | None = None
    porteur: Short | None = None
    budget: list[BudgetLine] = Field(default_factory=list, max_length=MAX_SMALL)
    budget_total: schema.Total | None = Field(
        None,
        description="Budget connu, en euros : somme des montants écrits des lignes qui ne sont "
        "pas refusées (null : aucun montant écrit).",
    )
    budget_acquis: schema.Total | None = Field(
        None, description="Somme des montants écrits des lignes acquises, en euros."
    )
    calendrier: Calendar = Field(default_factory=Calendar)
    avancement: list[Progress] = Field(default_factory=list, max_length=MAX_SMALL)
    epci: list[schema.Siren] = Field(default_factory=list, max_length=MAX_SMALL)
    modifie: schema.Day | None = Field(
        None,
        description="Dernière modification de la fiche : son dernier point d'avancement, sinon le "
        "dernier commit de son fichier (null : inconnue).",
    )


class Letter(Part):
    numero: Annotated[int, Field(ge=1, le=100_000)]
    titre: Title
    date: schema.Day
    resume: Summary
    url: Link


MOMENT = (
    "AAAA-MM-JJ pour un jour, ou date et heure de Paris avec son décalage UTC "
    "(AAAA-MM-JJTHH:MM:SS+02:00)"
)


class AgendaItem(Part):
    type: Literal["appel", "evenement"]
    titre: Title
    debut: Annotated[
        str,
        Field(
            max_length=40,
            pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}",
            description=f"Début (la date limite d'un appel à projets) : {MOMENT}.",
        ),
    ]
    fin: (
        Annotated[
            str,
            Field(
                max_length=40,
                pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}",
                description=f"Fin : {MOMENT}. Sans fin, un événement à heure fixe dure une "
                "heure dans l'agenda iCalendar du territoire.",
            ),
        ]
        | None
    ) = None
    lieu: Short | None = None
    operateur: Short | None = None
    lettre: Annotated[int, Field(ge=1, le=100_000)] | None = None


class Feeds(Part):
    lettres_rss: Link
    lettres_atom: Link
    agenda_ics: Link
    actions_json: Link
    actions_csv: Link


class Bundle(Part):
    """A territory's bundle, version 1."""

    version_schema: Literal[1] = Field(
        description="Version de ce schéma : un portail refuse une version qu'il ne lit pas."
    )
    generateur: Generator
    site: Link
    territoire: Identity
    objectifs: list[Objective] = Field(max_length=MAX_SMALL)
    actions: list[Action] = Field(max_length=MAX_ACTIONS)
    lettres: list[Letter] = Field(max_length=MAX_LETTERS)
    agenda: list[AgendaItem] = Field(max_length=MAX_AGENDA)
    flux: Feeds


class Listed(Part):
    id: schema.Slug
    nom: Annotated[schema.Name, Field(max_length=120)]
    donnees: Link


class Index(Part):
    """The site's root file (federation.json): the bundles of the site."""

    version_schema: Literal[1]
    generateur: Generator
    site: Link
    territoires: list[Listed] = Field(max_length=50)


# --- JSON Schema ------------------------------------------------------------------------------


@functools.cache
def json_schema() -> str:
    """The bundle's JSON Schema (published by the site, committed in schemas/)."""
    data = Bundle.model_json_schema(mode="validation")
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    data["title"] = f"Territoires d'industrie — données d'un territoire (version {VERSION})"
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- what a territory site publishes ----------------------------------------------------------


def generator() -> dict[str, str]:
    try:
        version = importlib.metadata.version(PACKAGE)
    except importlib.metadata.PackageNotFoundError:
        version = "inconnue"
    return {"nom": PACKAGE, "version": version}


def _moment(value: dt.date | dt.datetime) -> str:
    """A day as itself, a time (Paris time, as written) with its offset from UTC: a reader of
    the data never has to guess the time zone."""
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=PARIS).isoformat()
    return value.isoformat()


def dump(doc: dict[str, Any]) -> str:
    """Stable bytes: sorted keys, no spaces, one final newline."""
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def _absolute(site_url: str | None, name: str, **params: object) -> str:
    return urls.absolute(site_url, urls.url_to(name, **params))


def _action(a: ActionItem, site_url: str | None, changed: dt.date | None) -> dict[str, Any]:
    d = a.data
    return {
        "id": a.id,
        "titre": a.titre,
        "resume": d.resume,
        "url": urls.absolute(site_url, a.url),
        "statut": a.statut,
        "phase": a.phase,
        "axe": d.axe,
        "priorites": list(d.priorites),
        "objectif": d.objectif,
        "porteur": d.porteur.nom if d.porteur else None,
        "budget": [
            {"financeur": b.financeur, "montant": b.montant, "statut": b.statut} for b in d.budget
        ],
        "budget_total": a.budget_total,
        "budget_acquis": a.budget_acquis,
        "calendrier": {"debut": d.calendrier.debut, "fin": d.calendrier.fin},
        "avancement": [
            {"date": e.date.isoformat(), "phase": e.phase, "statut": e.statut} for e in a.history
        ],
        "epci": list(d.epci),
        "modifie": changed.isoformat() if changed else None,
    }


def territory_bundle(
    t: Territory,
    site_url: str | None,
    millesime: str,
    changed: Callable[[ActionItem], dt.date | None] = lambda a: None,
) -> str:
    """The bundle of one territory (published drafts left out: a preview with drafts still
    publishes none)."""
    info = t.info
    sections = {
        name.replace("-", "_"): _absolute(site_url, name, t=t.slug)
        for name, _ in urls.TERRITORY_SECTIONS
    }
    jobs = info.emploi_industriel
    actions = sorted((a for a in t.actions if not a.data.brouillon), key=lambda a: a.id)
    letters = sorted((x for x in t.letters if not x.data.brouillon), key=lambda x: x.numero)
    published_letters = {x.numero for x in letters}
    doc = {
        "version_schema": VERSION,
        "generateur": generator(),
        "site": urls.absolute(site_url, ""),
        "territoire": {
            "id": t.slug,
            "nom": t.nom,
            "resume": info.resume,
            "url": urls.absolute(site_url, t.url),
            "pages": sections,
            "epci": [{"siren": e.siren, "nom": e.nom, "sigle": e.sigle} for e in t.epcis],
            "communes": t.nb_communes,
            "population": t.population,
            "population_annee": millesime,
            "regions": list(t.regions),
            "departements": [{"code": c, "nom": n} for c, n in t.departements],
            "emploi_industriel": (
                {"part": jobs.part, "source": jobs.source, "date": jobs.date} if jobs else None
            ),
            "filieres": list(info.filieres),
            "entreprises": [e.nom for e in info.entreprises],
        },
        "objectifs": [
            {
                "id": o.id,
                "titre": o.titre,
                "priorites": list(o.priorites),
                "sous_objectifs": [s.titre for s in o.sous_objectifs],
            }
            for o in t.priorites.objectifs
        ],
        "actions": [_action(a, site_url, changed(a)) for a in actions],
        "lettres": [
            {
                "numero": x.numero,
                "titre": x.titre,
                "date": x.date.isoformat(),
                "resume": x.data.resume,
                "url": urls.absolute(site_url, x.url),
            }
            for x in letters
        ],
        "agenda": [
            {
                "type": e.kind,
                "titre": e.titre,
                "debut": _moment(e.start),
                "fin": _moment(e.end) if e.end else None,
                "lieu": e.lieu,
                "operateur": e.operateur,
                "lettre": e.letter,
            }
            for e in t.agenda
            if e.letter is None or e.letter in published_letters
        ],
        "flux": {
            "lettres_rss": _absolute(site_url, "lettres-rss", t=t.slug),
            "lettres_atom": _absolute(site_url, "lettres-atom", t=t.slug),
            "agenda_ics": _absolute(site_url, "agenda-ics", t=t.slug),
            "actions_json": _absolute(site_url, "actions-json", t=t.slug),
            "actions_csv": _absolute(site_url, "actions-csv", t=t.slug),
        },
    }
    return dump(doc)


def site_index(site: SiteModel, site_url: str | None) -> str:
    """federation.json: the bundles of the site's own territories (never a harvested one)."""
    doc = {
        "version_schema": VERSION,
        "generateur": generator(),
        "site": urls.absolute(site_url, ""),
        "territoires": [
            {
                "id": t.slug,
                "nom": t.nom,
                "donnees": _absolute(site_url, "donnees-territoire", t=t.slug),
            }
            for t in sorted(site.territories, key=lambda t: t.slug)
            if t.remote is None
        ],
    }
    return dump(doc)
