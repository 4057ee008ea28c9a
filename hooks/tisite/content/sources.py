"""Every source of a project in one table: where the content is read from.

The URL table (tisite.urls) says where each page is published; this one says where each source
is found. Modules name these entries, never the strings: a renamed folder changes here only.

    site.yml                    réglages du site (et du portail national)
    mkdocs.yml                  réglages du moteur
    urls-publiees.txt           adresses déjà publiées (jamais perdues)
    docs/                       pages écrites à la main (docs_dir de mkdocs.yml)
    territoires/<territoire>/
        territoire.yml          carte d'identité
        priorites.yml           priorités et objectifs
        gouvernance.yml         binôme, instances, partenaires
        actions/<id>.md         une fiche action par fichier
        lettres/<numéro>.md     une lettre par fichier, ses images à côté
        agenda.yml              rendez-vous hors des lettres (facultatif)
        images/                 images du territoire
        README.md               notes de l'équipe (non publiées)
"""

from __future__ import annotations

import re
from pathlib import Path

SITE = "site.yml"
ENGINE = "mkdocs.yml"
REGISTRY = "urls-publiees.txt"
DOCS = "docs"  # the default; mkdocs.yml's docs_dir may say otherwise
TERRITORIES = "territoires"

TERRITORY = "territoire.yml"
PRIORITIES = "priorites.yml"
GOVERNANCE = "gouvernance.yml"
TERRITORY_FILES = (TERRITORY, PRIORITIES, GOVERNANCE)
ACTIONS = "actions"
LETTERS = "lettres"
AGENDA = "agenda.yml"
IMAGES = "images"
NOTES = "README.md"
# What a territory's folder may hold (anything else is reported).
TERRITORY_ENTRIES = frozenset({*TERRITORY_FILES, ACTIONS, LETTERS, IMAGES, AGENDA, NOTES})

# Where the content is (the history dates it, the build reads nothing else of the project).
CONTENT_FOLDERS = (TERRITORIES, DOCS)
ROOT_FILES = (SITE, ENGINE, REGISTRY)


def territories(root: Path) -> Path:
    return root / TERRITORIES


def territory(root: Path, slug: str) -> Path:
    return root / TERRITORIES / slug


def actions(territory_dir: Path) -> Path:
    return territory_dir / ACTIONS


def letters(territory_dir: Path) -> Path:
    return territory_dir / LETTERS


def agenda(territory_dir: Path) -> Path:
    return territory_dir / AGENDA


# « brouillon » set to what the schema reads as true (pydantic's and French booleans), as a line
# of a front matter: read without loading the file (the loader's check of the example site's
# placeholders, publish.registry telling a draft from a letter dated later)
TRUE = r"(['\"]?)(?:true|oui|yes|vrai|on|1|y|t)"  # as the schema reads true, quoted or not
DRAFT = re.compile(rf"^(['\"]?)brouillon\1\s*:\s*{TRUE}\2\s*(#.*)?$", re.M | re.I)
