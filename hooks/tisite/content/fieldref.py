"""Field documentation generated from the schema: the schema is its single reference."""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from tisite.content import schema, sources

# (file, model, short explanation) in the order contributors meet them.
FILES: tuple[tuple[str, type[BaseModel], str], ...] = (
    (
        "territoires/<territoire>/territoire.yml",
        schema.Territoire,
        "Carte d'identité du territoire.",
    ),
    ("territoires/<territoire>/priorites.yml", schema.Priorites, "Objectifs et priorités."),
    ("territoires/<territoire>/gouvernance.yml", schema.Gouvernance, "Gouvernance et animation."),
    ("territoires/<territoire>/actions/<action>.md", schema.Action, "En-tête d'une fiche action."),
    (
        "territoires/<territoire>/lettres/<numéro>.md",
        schema.Lettre,
        "En-tête d'une lettre d'information (le texte de la lettre suit, en Markdown).",
    ),
    (
        "territoires/<territoire>/agenda.yml",
        schema.Agenda,
        "Appels à projets et événements hors lettres (facultatif).",
    ),
    (sources.SITE, schema.Site, "Réglages du site."),
)

# Descriptions of fields whose schema has none: by path where the meaning depends on the place,
# else by name (the same word means the same thing everywhere).
BY_PATH = {
    "objectifs": "Objectifs du territoire (au moins un).",
    "objectifs[].sous_objectifs": "Déclinaison de l'objectif en sous-objectifs.",
    "binomes": "Binômes élu-industriel qui pilotent le territoire.",
    "binomes[].elu": "L'élu ou l'élue du binôme.",
    "binomes[].industriel": "L'industriel ou l'industrielle du binôme.",
    "binomes_description": "Présentation du pilotage par les binômes (Markdown).",
    "chef_de_projet": "Le poste de chef de projet : structure, missions, financement.",
    "chef_de_projet.fonction": "Intitulé du poste.",
    "chef_de_projet.lieu": "Lieu de travail.",
    "chef_de_projet.depuis": "Date de prise de poste (AAAA-MM-JJ).",
    "chef_de_projet.missions": "Missions du poste, une par ligne.",
    "chef_de_projet.financement": "Financeurs du poste et montants.",
    "chef_de_projet.financement_source": "Document d'où viennent les montants.",
    "equipe": "Autres membres de l'équipe projet (fonction et structure).",
    "signataires": "Signataires du contrat ou du protocole.",
    "partenaires": "Partenaires (un nom seul, ou un ensemble nom, rôle, site web…).",
    "porteur": "Porteur de projet (maître d'ouvrage).",
    "calendrier": "Début, fin et jalons de l'action.",
    "calendrier.jalons": "Étapes datées de l'action.",
    "calendrier.jalons[].date": "Date prévue : AAAA, AAAA-MM ou AAAA-MM-JJ.",
    "calendrier.jalons[].atteint": "true (oui) quand le jalon est atteint.",
    "indicateurs": "Indicateurs de suivi, de résultat ou de performance.",
    "indicateurs[].type": "Nature de l'indicateur.",
    "indicateurs[].valeur": "Dernière valeur mesurée.",
    "actions_liees": "Identifiants d'autres fiches actions du territoire liées à celle-ci.",
    "accessibilite": "Déclaration d'accessibilité du site (page « Accessibilité »).",
    "accessibilite.non_conformites": "Défauts d'accessibilité connus, un par ligne.",
    "donnees_personnelles": "Traitement des données personnelles (page du même nom).",
    "licence": "Licence des contenus et des données ouvertes.",
    "appels_a_projets": "Appels à projets signalés : ils rejoignent l'agenda à leur date limite.",
    "evenements": "Événements annoncés : ils rejoignent l'agenda et son fichier iCalendar.",
    "depenses[].poste": "Poste de dépense (salaire, locaux, prestation…).",
    "labels": "Labels et distinctions obtenus par le territoire.",
    "labels.date": "Date d'obtention (AAAA-MM-JJ).",
    "declarations": "Chiffres déclarés dans vos documents, comparés au référentiel des EPCI "
    "(un écart donne un avertissement ; le site affiche le référentiel).",
    "declarations.communes": "Nombre de communes déclaré.",
    "declarations.population": "Population déclarée.",
    "emploi_industriel": "Part de l'emploi industriel dans l'emploi total.",
    "emploi_industriel.date": "Date de la mesure : AAAA, AAAA-MM ou AAAA-MM-JJ.",
    "entreprises": "Entreprises emblématiques du territoire.",
    "entreprises.emplois_directs": "Nombre d'emplois directs.",
    "entreprises.filiere": "Filière de l'entreprise.",
    "entreprises_source": "Document d'où viennent les informations sur les entreprises.",
    "chiffres_cles": "Chiffres clés affichés sur la carte d'identité.",
    "licence.url": "Adresse du texte de la licence.",
}
BY_NAME = {
    "titre": "Titre, tel qu'il s'affiche.",
    "nom": "Nom, tel qu'il s'affiche.",
    "description": "Description (Markdown).",
    "sigle": "Sigle usuel.",
    "role": "Rôle dans le territoire ou dans l'action.",
    "site_web": "Adresse du site web (https://…).",
    "linkedin": "Adresse de la page LinkedIn (https://…).",
    "lien": "Adresse de la page de référence (https://…).",
    "lieu": "Lieu (adresse, commune).",
    "source": "Document ou organisme d'où vient l'information.",
    "budget_source": "Document d'où viennent les montants.",
    "commentaire": "Précision libre.",
    "montant": "Montant en euros, sans espace ni séparateur de milliers (15000).",
    "siret": "Numéro SIRET (14 chiffres).",
    "participants": "Qui y participe, un par ligne.",
    "animation": "Qui anime.",
    "fonction": "Fonction (pas une personne nommée).",
    "structure": "Structure d'appartenance.",
    "adresse": "Adresse postale.",
    "telephone": "Numéro de téléphone (standard ou ligne générique).",
    "financeur": "Qui finance.",
    "periode": "Période couverte.",
    "libelle": "Intitulé.",
    "unite": "Unité affichée après la valeur.",
    "filieres": "Filières industrielles concernées.",
}


@dataclass(frozen=True)
class FieldDoc:
    path: str
    kind: str
    required: bool
    description: str


def _strip(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _optional(tp: Any) -> tuple[Any, bool]:
    tp = _strip(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _strip(args[0]), True
    return tp, False


def kind_of(tp: Any) -> str:
    tp, _ = _optional(tp)
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return "une valeur parmi : " + ", ".join(f"« {v} »" for v in typing.get_args(tp))
    if origin is list:
        item = kind_of(typing.get_args(tp)[0]).removeprefix("une ")
        plurals = {
            "ensemble de champs": "d'ensembles de champs",
            "texte": "de textes",
            "nombre": "de nombres",
            "nombre entier": "de nombres entiers",
            "date AAAA-MM-JJ": "de dates AAAA-MM-JJ",
        }
        return "liste " + plurals.get(item, f"de {item}")
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "ensemble de champs"
    labels = {str: "texte", int: "nombre entier", float: "nombre", bool: "true ou false"}
    if tp is dt.date:
        return "date AAAA-MM-JJ"
    return labels.get(tp, "texte")


def _model_in(tp: Any) -> type[BaseModel] | None:
    tp, _ = _optional(tp)
    if typing.get_origin(tp) is list:
        tp, _ = _optional(typing.get_args(tp)[0])
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def field_docs(model: type[BaseModel], prefix: str = "") -> list[FieldDoc]:
    out: list[FieldDoc] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        required = info.is_required()
        general = BY_PATH.get(path.replace("[].", ".").replace("[]", "")) or BY_PATH.get(path)
        text = info.description or general or BY_NAME.get(name, "")
        out.append(FieldDoc(path, kind_of(info.annotation), required, text))
        default = info.default
        if default not in (PydanticUndefined, None, [], ()) and not isinstance(default, BaseModel):
            doc = out[-1]
            shown = {True: "oui (true)", False: "non (false)"}.get(default, default)
            out[-1] = FieldDoc(
                path, doc.kind, False, f"{doc.description} Par défaut : {shown}.".strip()
            )
        nested = _model_in(info.annotation)
        if nested is not None:
            is_list = typing.get_origin(_optional(info.annotation)[0]) is list
            out.extend(field_docs(nested, f"{path}[]." if is_list else f"{path}."))
    return out
