"""The site's open data described for its reusers: a schema for every data file and one
catalogue of them all.

- The CSV files (a territory's ``actions.csv``, the site's ``territoires.csv``) have a Table
  Schema (Frictionless, the format of schema.data.gouv.fr): each column's type, constraints and
  meaning in French. The columns below are the ones the CSV writers write, in that order (one
  table for both).
- The JSON files (``actions.json``, ``territoires.json``, ``federation.json``) have a JSON
  Schema; the data bundle's (``donnees.json``) is tisite.publish.bundle's.
- ``datapackage.json``, at the site's root, is a Frictionless Data Package: every data file of
  the site, its format, its schema, the licence and the sources. ``frictionless validate
  datapackage.json`` checks every CSV file against its schema.

Each schema's ``$id`` (when the site's address is known) is the address it is published at.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from tisite import urls
from tisite.content import reference, schema, vocab
from tisite.content.models import SiteModel
from tisite.publish import bundle

JSON_SCHEMA = "https://json-schema.org/draft/2020-12/schema"
TABLE_SCHEMA = "https://frictionlessdata.io/schemas/table-schema.json"
LIST = " Plusieurs valeurs sont séparées par « ; »."
MISSING = " Vide : non renseigné."
SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
PERIOD = r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$"
SIRENS = r"^[0-9]{9}(?:;[0-9]{9})*$"
DEPARTEMENTS = r"^(?:[0-9]{2,3}|2[AB])(?:;(?:[0-9]{2,3}|2[AB]))*$"
YES_NO = {"trueValues": ["oui"], "falseValues": ["non"]}
BUDGET_TOTAL = (
    "Budget connu : somme des montants écrits des lignes de budget qui ne sont pas refusées, "
    "en euros (une ligne sans montant n'y compte pas)"
)
BUDGET_ACQUIRED = "Somme des montants écrits des lignes de budget acquises, en euros"
NO_AMOUNT = (
    "Vide : aucun montant écrit ; 0 quand toutes les lignes sont refusées ou qu'aucune n'est "
    "encore acquise."
)
WHEN = (
    " Calculé le jour où le fichier a été produit (le champ « date » d'actions.json, « created » "
    "de datapackage.json) : le site le refait chaque jour."
)
FORMULAS = (
    " Une cellule qui commencerait par « = », « + », « - » ou « @ » (une formule pour un "
    "tableur) est précédée d'une apostrophe ; les fichiers JSON gardent la valeur telle quelle."
)


@dataclass(frozen=True)
class Column:
    """A column of a CSV file, as its Table Schema describes it."""

    name: str
    title: str
    description: str
    type: str = "string"
    constraints: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)  # format, trueValues…

    def described(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "title": self.title, "type": self.type}
        out.update(self.options)
        out["description"] = self.description
        if self.constraints:
            out["constraints"] = self.constraints
        return out


def _count_column(name: str, title: str, description: str) -> Column:
    """A column of whole numbers from 0."""
    return Column(name, title, description, type="integer", constraints={"minimum": 0})


ACTIONS_CSV = (
    Column(
        "territoire",
        "Territoire",
        "Identifiant du territoire (son adresse sur le site).",
        constraints={"required": True, "pattern": SLUG},
    ),
    Column(
        "id",
        "Identifiant",
        "Identifiant de la fiche action dans son territoire (son adresse sur le site).",
        constraints={"required": True},
    ),
    Column("titre", "Titre", "Titre de la fiche action.", constraints={"required": True}),
    Column("resume", "Résumé", "Résumé en une ou deux phrases.", constraints={"required": True}),
    Column(
        "axe",
        "Axe du contrat",
        "Axe du contrat Territoires d'industrie." + MISSING,
        constraints={"enum": list(vocab.AXES)},
    ),
    Column(
        "priorites",
        "Priorités 2023-2027",
        "Priorités nationales du programme (identifiants : "
        + ", ".join(vocab.PRIORITES)
        + ")."
        + LIST,
    ),
    Column("objectif", "Objectif", "Identifiant de l'objectif du territoire." + MISSING),
    Column("porteur", "Porteur", "Nom du porteur de l'action." + MISSING),
    Column("partenaires", "Partenaires", "Noms des partenaires." + LIST),
    Column(
        "phase",
        "Phase",
        "Phase du dernier point d'avancement." + MISSING,
        constraints={"enum": list(vocab.PHASES)},
    ),
    Column(
        "statut",
        "Statut",
        "Statut du dernier point d'avancement, tel que le territoire l'a déclaré." + MISSING,
        constraints={"enum": list(vocab.STATUTS)},
    ),
    Column(
        "date_dernier_point",
        "Date du dernier point",
        "Date du dernier point d'avancement." + MISSING,
        type="date",
    ),
    Column(
        "debut",
        "Début",
        "Début prévu : AAAA, AAAA-MM ou AAAA-MM-JJ (la précision écrite par le territoire)."
        + MISSING,
        constraints={"pattern": PERIOD},
    ),
    Column(
        "fin",
        "Fin prévue",
        "Fin prévue : AAAA, AAAA-MM ou AAAA-MM-JJ." + MISSING,
        constraints={"pattern": PERIOD},
    ),
    Column(
        "budget_total",
        "Budget total (€)",
        BUDGET_TOTAL + " (point décimal). " + NO_AMOUNT,
        type="number",
        constraints={"minimum": 0},
    ),
    Column(
        "budget_acquis",
        "Budget acquis (€)",
        BUDGET_ACQUIRED + " (point décimal). " + NO_AMOUNT,
        type="number",
        constraints={"minimum": 0},
    ),
    Column("financeurs", "Financeurs", "Financeurs des lignes de budget." + LIST),
    Column(
        "nature_soutien",
        "Nature du soutien",
        "Nature du soutien attendu (" + ", ".join(vocab.NATURES_SOUTIEN) + ")." + LIST,
    ),
    Column(
        "epci",
        "Intercommunalités",
        "SIREN des intercommunalités concernées." + LIST + " Vide : tout le territoire.",
        constraints={"pattern": SIRENS},
    ),
    Column("filieres", "Filières", "Filières industrielles concernées." + LIST),
    Column(
        "en_retard",
        "En retard",
        "« oui » quand le dernier point d'avancement dit « En retard » ou « Bloqué », ou que la "
        "fin prévue est passée sans point d'avancement « Terminé » ou « Abandonné » : les "
        "actions que la page du plan d'action compte « en retard ou à échéance dépassée »." + WHEN,
        type="boolean",
        constraints={"required": True},
        options=YES_NO,
    ),
    Column(
        "echeance_depassee",
        "Échéance dépassée",
        "« oui » quand la fin prévue est passée alors que le statut ne dit pas le retard (une "
        "action toujours « En cours » après sa fin prévue)." + WHEN,
        type="boolean",
        constraints={"required": True},
        options=YES_NO,
    ),
    Column(
        "url",
        "Adresse",
        "Adresse de la fiche action sur le site.",
        constraints={"required": True},
        options={"format": "uri"},
    ),
)

TERRITORIES_CSV = (
    Column(
        "id",
        "Identifiant",
        "Identifiant du territoire (son adresse sur le site).",
        constraints={"required": True, "unique": True, "pattern": SLUG},
    ),
    Column("nom", "Nom", "Nom du territoire.", constraints={"required": True}),
    Column("regions", "Régions", "Régions du territoire." + LIST),
    Column(
        "departements",
        "Départements",
        "Codes des départements du territoire (INSEE, « 2A » et « 2B » pour la Corse)." + LIST,
        constraints={"pattern": DEPARTEMENTS},
    ),
    Column(
        "epci",
        "Intercommunalités",
        "SIREN des intercommunalités membres." + LIST,
        constraints={"pattern": SIRENS},
    ),
    _count_column(
        "communes",
        "Communes",
        "Nombre de communes des intercommunalités membres.",
    ),
    _count_column(
        "population",
        "Population",
        "Population municipale des intercommunalités membres (millésime du référentiel, voir "
        "« sources »).",
    ),
    _count_column(
        "actions",
        "Fiches actions",
        "Nombre de fiches actions publiées.",
    ),
    Column(
        "budget_connu",
        "Budget connu (€)",
        "Somme des budgets renseignés des fiches actions, en euros (point décimal)." + MISSING,
        type="number",
        constraints={"minimum": 0},
    ),
    _count_column(
        "lettres",
        "Lettres",
        "Nombre de lettres d'information publiées.",
    ),
    Column(
        "derniere_lettre",
        "Dernière lettre",
        "Date de la dernière lettre d'information." + MISSING,
        type="date",
    ),
    Column(
        "url",
        "Adresse",
        "Adresse de la page du territoire sur ce site.",
        constraints={"required": True},
        options={"format": "uri"},
    ),
)


def names(columns: tuple[Column, ...]) -> tuple[str, ...]:
    return tuple(c.name for c in columns)


def _meaning(name: str) -> str:
    """The description of a column of actions.csv (the same field in actions.json)."""
    return next(c.description for c in ACTIONS_CSV if c.name == name)


def _with_id(doc: dict[str, Any], name: str, site_url: str | None) -> dict[str, Any]:
    """``doc`` with its published address as ``$id`` first (when the site's is known)."""
    if not site_url:
        return doc
    return {"$id": urls.absolute(site_url, urls.url_to(name)), **doc}


def dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def table_schema(
    columns: tuple[Column, ...], title: str, description: str, primary_key: list[str]
) -> dict[str, Any]:
    return {
        "$schema": TABLE_SCHEMA,
        "title": title,
        "description": description,
        "fields": [c.described() for c in columns],
        "missingValues": [""],
        "primaryKey": primary_key,
    }


def actions_csv_schema(site_url: str | None) -> str:
    doc = table_schema(
        ACTIONS_CSV,
        "Fiches actions d'un territoire d'industrie",
        "Une ligne par fiche action publiée (fichier actions.csv de chaque territoire). UTF-8 "
        "avec une marque d'ordre d'octets (BOM) pour les tableurs, séparateur « , »." + FORMULAS,
        ["territoire", "id"],
    )
    return dump(_with_id(doc, "schema-actions-csv", site_url))


def territories_csv_schema(site_url: str | None) -> str:
    doc = table_schema(
        TERRITORIES_CSV,
        "Territoires d'industrie du site",
        "Une ligne par territoire publié (fichier territoires.csv). UTF-8 avec une marque "
        "d'ordre d'octets (BOM) pour les tableurs, séparateur « , »." + FORMULAS,
        ["id"],
    )
    return dump(_with_id(doc, "schema-territoires-csv", site_url))


# --- JSON files -------------------------------------------------------------------------------

_LICENCE = {
    "type": "object",
    "description": "Licence des données.",
    "properties": {"nom": {"type": "string"}, "url": {"type": "string"}},
    "required": ["nom", "url"],
}
_NULLABLE_NUMBER = {"type": ["number", "null"], "minimum": 0}
UNKNOWN = " « Non renseigné(e) » : aucun point d'avancement."


@functools.cache
def _action_item() -> dict[str, Any]:
    """A fiche action of actions.json: the fields of a fiche as the site reads them (the
    content schema's serialisation, drafts excluded), and what the site derives from them."""
    item = schema.Action.model_json_schema(mode="serialization")
    defs = item.pop("$defs", {})
    item.pop("title", None)
    item["properties"].pop("brouillon", None)
    item["description"] = (
        "Une fiche action publiée : ses champs tels que le territoire les a écrits "
        "(normalisés), puis ce que le site en déduit."
    )
    text = "texte lu sur la page, sans mise en forme (le Markdown de la source converti)"
    item["properties"].update(
        {
            "id": {"type": "string", "description": "Identifiant de la fiche (son adresse)."},
            "url": {"type": "string", "description": "Adresse de la fiche sur le site."},
            "statut": {
                "enum": [*vocab.STATUTS, "Non renseigné"],
                "description": _meaning("statut").replace(MISSING, "") + UNKNOWN,
            },
            "phase": {
                "enum": [*vocab.PHASES, "Non renseignée"],
                "description": _meaning("phase").replace(MISSING, "") + UNKNOWN,
            },
            "budget_total": {
                **_NULLABLE_NUMBER,
                "description": f"{BUDGET_TOTAL}. {NO_AMOUNT.replace('Vide', 'null')}",
            },
            "budget_acquis": {
                **_NULLABLE_NUMBER,
                "description": f"{BUDGET_ACQUIRED}. {NO_AMOUNT.replace('Vide', 'null')}",
            },
            "diagnostic": {"type": ["string", "null"], "description": f"Diagnostic : {text}."},
            "description": {
                "type": ["string", "null"],
                "description": f"Description de l'action : {text}.",
            },
            "en_retard": {"type": "boolean", "description": _meaning("en_retard")},
            "echeance_depassee": {
                "type": "boolean",
                "description": _meaning("echeance_depassee"),
            },
        }
    )
    item["required"] = sorted(
        {
            *item.get("required", ()),
            *("id", "url", "statut", "phase", "budget_total", "budget_acquis"),
            *("diagnostic", "description", "en_retard", "echeance_depassee"),
        }
    )
    item["additionalProperties"] = False
    return {"item": item, "defs": defs}


def actions_json_schema(site_url: str | None) -> str:
    action = _action_item()
    doc = {
        "$schema": JSON_SCHEMA,
        "title": "Fiches actions d'un territoire d'industrie (actions.json)",
        "type": "object",
        "properties": {
            "territoire": {
                "type": "object",
                "properties": {"id": {"type": "string"}, "nom": {"type": "string"}},
                "required": ["id", "nom"],
            },
            "date": {
                "type": "string",
                "format": "date",
                "description": "Jour du calcul des retards (en_retard, echeance_depassee).",
            },
            "licence": _LICENCE,
            "actions": {"type": "array", "items": action["item"]},
        },
        "required": ["territoire", "date", "licence", "actions"],
        "additionalProperties": False,
        "$defs": action["defs"],
    }
    return dump(_with_id(doc, "schema-actions-json", site_url))


def _object(properties: dict[str, Any], description: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object"}
    if description:
        out["description"] = description
    out.update(properties=properties, required=list(properties), additionalProperties=False)
    return out


def _string(description: str, nullable: bool = False) -> dict[str, Any]:
    return {"type": ["string", "null"] if nullable else "string", "description": description}


def _count(description: str) -> dict[str, Any]:
    return {"type": "integer", "minimum": 0, "description": description}


def territories_json_schema(site_url: str | None) -> str:
    counts = {"type": "object", "additionalProperties": {"type": "integer", "minimum": 0}}
    territory = _object(
        {
            "id": _string("Identifiant du territoire (son adresse sur le site)."),
            "nom": _string("Nom du territoire."),
            "url": _string("Adresse de la page du territoire."),
            "resume": _string("Présentation en une phrase.", nullable=True),
            "regions": {"type": "array", "items": {"type": "string"}},
            "departements": {
                "type": "array",
                "items": _object({"code": _string("Code INSEE."), "nom": _string("Nom.")}),
            },
            "epci": {
                "type": "array",
                "description": "Intercommunalités membres.",
                "items": _object(
                    {
                        "siren": {"type": "string", "pattern": "^[0-9]{9}$"},
                        "nom": _string("Nom officiel."),
                    }
                ),
            },
            "communes": _count("Nombre de communes des intercommunalités membres."),
            "population": _count("Population municipale (millésime du référentiel)."),
            "emploi_industriel_part": {
                "type": ["number", "null"],
                "description": "Part de l'emploi industriel, en %.",
            },
            "filieres": {"type": "array", "items": {"type": "string"}},
            "entreprises": {"type": "array", "items": {"type": "string"}},
            "objectifs": {
                "type": "array",
                "items": _object(
                    {
                        "id": {"type": "string"},
                        "titre": {"type": "string"},
                        "priorites": {
                            "type": "array",
                            "items": {"enum": list(vocab.PRIORITES)},
                        },
                    }
                ),
            },
            "actions": _object(
                {
                    "nombre": _count("Nombre de fiches actions publiées."),
                    "par_statut": {**counts, "description": "Nombre d'actions par statut."},
                    "par_priorite": {
                        **counts,
                        "description": "Nombre d'actions par priorité (libellé).",
                    },
                    "budget_connu": {
                        **_NULLABLE_NUMBER,
                        "description": "Somme des budgets renseignés, en euros.",
                    },
                    "actions_budget_connu": _count("Nombre d'actions au budget renseigné."),
                    "donnees": _string("Adresse du fichier actions.json du territoire."),
                }
            ),
            "lettres": _object(
                {
                    "nombre": _count("Nombre de lettres publiées."),
                    "derniere": {
                        "type": ["string", "null"],
                        "format": "date",
                        "description": "Date de la dernière lettre.",
                    },
                    "flux_rss": _string("Adresse du flux RSS des lettres."),
                }
            ),
            "agenda_ics": _string("Adresse de l'agenda au format iCalendar."),
        },
        "Un territoire publié.",
    )
    doc = {
        "$schema": JSON_SCHEMA,
        "title": "Territoires d'industrie du site (territoires.json)",
        "type": "object",
        "properties": {
            "titre": _string("Titre du site."),
            "date": {
                "type": "string",
                "format": "date",
                "description": "Date de publication du fichier.",
            },
            "licence": _LICENCE,
            "referentiel": {
                "type": "object",
                "description": "Référentiel des intercommunalités (source des populations).",
                "additionalProperties": {"type": "string"},
            },
            "nombre": _count("Nombre de territoires."),
            "territoires": {"type": "array", "items": territory},
        },
        "required": ["titre", "date", "licence", "referentiel", "nombre", "territoires"],
        "additionalProperties": False,
    }
    return dump(_with_id(doc, "schema-territoires-json", site_url))


def federation_schema(site_url: str | None) -> str:
    doc = bundle.Index.model_json_schema(mode="validation")
    doc = {
        "$schema": JSON_SCHEMA,
        **doc,
        "title": f"Données des territoires du site (federation.json, version {bundle.VERSION})",
        "description": (
            "La liste des fichiers donnees.json du site, que lit un portail national : "
            "l'adresse de chacun, le territoire qu'il décrit."
        ),
    }
    return dump(_with_id(doc, "schema-federation", site_url))


def bundle_schema(site_url: str | None) -> str:
    """The data bundle's JSON Schema as published: tisite.publish.bundle's, with its ``$id``."""
    return dump(_with_id(json.loads(bundle.json_schema()), "schema-donnees", site_url))


@functools.cache
def projets_schema() -> str:
    """The national schema « Projets de collectivités » (schema.data.gouv.fr), as shipped."""
    return (reference.DATA / "projets-territoire.schema.json").read_text(encoding="utf-8")


def schema_files(site_url: str | None) -> list[tuple[str, str]]:
    """(address, text) of every schema the site publishes."""
    return [
        (urls.url_to("schema-donnees"), bundle_schema(site_url)),
        (urls.url_to("schema-federation"), federation_schema(site_url)),
        (urls.url_to("schema-actions-csv"), actions_csv_schema(site_url)),
        (urls.url_to("schema-actions-json"), actions_json_schema(site_url)),
        (urls.url_to("schema-territoires-csv"), territories_csv_schema(site_url)),
        (urls.url_to("schema-territoires-json"), territories_json_schema(site_url)),
        (urls.url_to("schema-projets"), projets_schema()),
    ]


# --- the catalogue ----------------------------------------------------------------------------


def _resource(
    name: str, address: str, title: str, media: str, schema_name: str | None = None
) -> dict[str, Any]:
    fmt = address.rsplit(".", 1)[-1]
    out: dict[str, Any] = {"name": name, "path": address, "title": title}
    if fmt == "csv":
        out.update(
            profile="tabular-data-resource",
            format="csv",
            mediatype=media,
            encoding="utf-8",  # its byte order mark is skipped by readers
        )
    else:
        out.update(format=fmt, mediatype=media, encoding="utf-8")
    if schema_name is not None:
        out["schema" if fmt == "csv" else "jsonSchema"] = urls.url_to(schema_name)
    return out


_LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})


def _package_name(title: str) -> str:
    """A Data Package's name (« ^[a-z0-9._/-]+$ »): the title as an address would write it."""
    name = re.sub(r"[^a-z0-9]+", "-", vocab.fold(title).translate(_LIGATURES)).strip("-")
    return name or "territoires-industrie"


# The addresses of the Licence Ouverte 2.0 (Etalab), whose SPDX name is « etalab-2.0 »
ETALAB_2 = (
    "https://www.etalab.gouv.fr/licence-ouverte-open-licence",
    "https://www.etalab.gouv.fr/wp-content/uploads/2017/04/ETALAB-Licence-Ouverte-v2.0.pdf",
)


def _licence(licence: dict[str, str]) -> dict[str, str]:
    described = {"path": licence["url"], "title": licence["nom"]}
    if licence["url"].rstrip("/").replace("http://", "https://", 1) in ETALAB_2:
        return {"name": "etalab-2.0", **described}
    return described


def datapackage(
    site: SiteModel,
    site_url: str | None,
    licence: dict[str, str],
    today: dt.date,
    updated: dt.date | None,
) -> str:
    """The site's catalogue of data files (``datapackage.json``): a Frictionless Data Package
    whose paths are relative to the site's root. ``today``: the day the files were made (some
    values are computed on it: lateness); ``updated``: the last change of the site's content
    (the date reusers cite under the Licence Ouverte), None when unknown."""
    resources = [r for _, group in resource_groups(site) for r in group]
    harvested = sorted({t.remote.site for t in site.territories if t.remote is not None})
    changed = f" Dernière modification du contenu : {updated.isoformat()}." if updated else ""
    doc: dict[str, Any] = {
        "profile": "data-package",
        "name": _package_name(site.settings.titre),
        "title": site.settings.titre,
        "description": (
            "Les données ouvertes du site : territoires, fiches actions, agendas et lettres "
            "d'information. Chaque tableur (CSV) a son schéma (Table Schema, propriété "
            "« schema ») ; chaque fichier JSON nomme le sien (JSON Schema) dans la propriété "
            "« jsonSchema », que les outils Frictionless ne lisent pas : vérifiez-le avec un "
            "validateur JSON Schema (check-jsonschema…). Les fichiers sont refaits chaque jour "
            "(« created ») ; les territoires d'autres sites viennent de leurs propres données "
            "(« sources »)." + changed
        ),
        "created": f"{today.isoformat()}T00:00:00Z",
        "licenses": [_licence(licence)],
        "sources": _sources(site.reference_source)
        + [{"title": f"Données du site {address}", "path": address} for address in harvested],
        "resources": resources,
    }
    if site_url:
        doc["homepage"] = site_url
    return dump(doc)


def resource_groups(site: SiteModel) -> list[tuple[str | None, list[dict[str, Any]]]]:
    """The site's data files as the catalogue lists them (Data Package resources), grouped:
    the site's own (None), then each local territory's (its name). The catalogue and the
    page « Données ouvertes » are made from this one list."""
    network = [
        _resource(
            "territoires",
            urls.url_to("territoires-csv"),
            "Territoires (tableur)",
            "text/csv",
            "schema-territoires-csv",
        ),
        _resource(
            "territoires-json",
            urls.url_to("territoires-json"),
            "Territoires (JSON)",
            "application/json",
            "schema-territoires-json",
        ),
        _resource(
            "federation",
            urls.url_to("federation"),
            "Fichiers de données des territoires (pour un portail national)",
            "application/json",
            "schema-federation",
        ),
        _resource(
            "lettres-rss",
            urls.url_to("rss"),
            "Lettres de tous les territoires (RSS)",
            "application/rss+xml",
        ),
        _resource(
            "lettres-atom",
            urls.url_to("atom"),
            "Lettres de tous les territoires (Atom)",
            "application/atom+xml",
        ),
    ]
    groups: list[tuple[str | None, list[dict[str, Any]]]] = [(None, network)]
    for t in site.local:
        files = (
            ("actions", "actions-csv", "fiches actions (tableur)", "text/csv", "actions-csv"),
            (
                "actions-json",
                "actions-json",
                "fiches actions (JSON)",
                "application/json",
                "actions-json",
            ),
            (
                "projets",
                "projets-csv",
                "fiches actions au schéma national « Projets de collectivités »",
                "text/csv",
                "projets",
            ),
            (
                "donnees",
                "donnees-territoire",
                "données du territoire (pour un portail national)",
                "application/json",
                "donnees",
            ),
            ("agenda", "agenda-ics", "agenda (iCalendar)", "text/calendar", None),
            ("lettres-rss", "lettres-rss", "lettres (RSS)", "application/rss+xml", None),
            ("lettres-atom", "lettres-atom", "lettres (Atom)", "application/atom+xml", None),
        )
        groups.append(
            (
                t.nom,
                [
                    _resource(
                        f"{t.slug}-{suffix}",
                        urls.url_to(name, t=t.slug),
                        f"{t.nom} : {title}",
                        media,
                        None if schema_name is None else f"schema-{schema_name}",
                    )
                    for suffix, name, title, media, schema_name in files
                ],
            )
        )
    return groups


def _sources(reference: dict[str, str]) -> list[dict[str, str]]:
    """The reference of intercommunalities (populations, names) as a source, when known."""
    if not reference:
        return []
    title = f"{reference.get('nom', '')} : {reference.get('description', '')}".strip(" :")
    return [{"title": title}]
