"""Synthetic but realistic territories for the benchmark and the national-scale tests.

``write_project(dest, n)`` writes a complete project (mkdocs.yml, site.yml and docs/ of the test
fixture, the project's hooks/) with ``n`` generated territories: real EPCIs from the reference
(each in one territory only), an identity card, priorities, governance, about a dozen fiches
actions with budgets, calendars, progress and indicators, and six newsletters a year.
Generation is deterministic (seeded).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import shutil
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "hooks" / "tisite" / "data" / "epci-reference.json"

FILIERES = (
    "automobile", "aéronautique", "agroalimentaire", "métallurgie", "chimie", "plasturgie",
    "ferroviaire", "textile", "verre", "bois", "naval", "santé", "électronique", "énergie",
)  # fmt: skip
FUNDERS = (
    "État (FNADT)", "Région", "Banque des Territoires", "Bpifrance", "ADEME", "Département",
    "Communauté d'agglomération", "CCI", "Fonds européen FEDER", "France Travail",
)  # fmt: skip
VERBS = (
    "Accompagner", "Structurer", "Développer", "Créer", "Mutualiser", "Former", "Recruter",
    "Réhabiliter", "Promouvoir", "Animer", "Financer", "Décarboner",
)  # fmt: skip
OBJECTS = (
    "les compétences industrielles", "une plateforme de recrutement", "le foncier économique",
    "un réseau d'entreprises", "la transition écologique des PME", "l'innovation collaborative",
    "l'accueil des nouveaux salariés", "une friche industrielle", "l'apprentissage",
    "la robotisation des ateliers", "l'écologie industrielle territoriale", "un campus des métiers",
)  # fmt: skip
AXES = ("attirer", "recruter", "innover", "simplifier")
PRIORITIES = ("competences", "innovation", "foncier", "transition-ecologique")
STATUSES = ("En cours", "En cours", "En cours", "En retard", "Terminé", "En pause")
PHASES = ("Idée", "Étude", "Opération")
LOREM = (
    "Le territoire s'appuie sur ses entreprises industrielles et sur les intercommunalités pour "
    "porter cette action, en lien avec la Région et les opérateurs de l'État. Les partenaires "
    "se réunissent chaque trimestre pour suivre l'avancement, ajuster le calendrier et partager "
    "les résultats obtenus auprès des industriels du bassin d'emploi."
)


def _yaml_text(data: Any) -> str:
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.width = 100
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def _epci_groups(n: int, rng: random.Random) -> list[list[str]]:
    """Disjoint groups of 2 to 6 real EPCIs, each group within one region."""
    reference = json.loads(REFERENCE.read_text(encoding="utf-8"))["epci"]
    by_region: dict[str, list[str]] = {}
    for siren, item in sorted(reference.items()):
        by_region.setdefault(item["regions"][0], []).append(siren)
    pools = [sirens for _, sirens in sorted(by_region.items())]
    for pool in pools:
        rng.shuffle(pool)
    groups: list[list[str]] = []
    index = 0
    while len(groups) < n:
        pool = pools[index % len(pools)]
        size = rng.randint(2, 6)
        if len(pool) >= size:
            groups.append([pool.pop() for _ in range(size)])
        elif not any(len(p) >= 2 for p in pools):
            raise ValueError(f"référentiel trop petit pour {n} territoires")
        index += 1
    return groups


def _action(rng: random.Random, i: int, sirens: list[str], letter_day: dt.date) -> str:
    axe = AXES[i % 4]
    start = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 700))
    end = start + dt.timedelta(days=rng.randint(180, 900))
    funders = rng.sample(FUNDERS, rng.randint(2, 4))
    data: dict[str, Any] = {
        "titre": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} ({i + 1})",
        "resume": "Action du plan 2023-2027 : " + LOREM[:180].rsplit(" ", 1)[0] + ".",
        "axe": axe,
        "priorites": [PRIORITIES[i % 4]],
        "objectif": axe,
        "porteur": {"nom": f"Communauté d'agglomération n°{i % 3 + 1}", "categorie": "EPCI"},
        "partenaires": [{"nom": f, "role": "Cofinanceur"} for f in funders],
        "diagnostic": LOREM,
        "objectifs": ["Accompagner 30 entreprises", "Créer 50 emplois industriels"],
        "budget": [
            {
                "financeur": f,
                "montant": rng.randint(5, 300) * 1000,
                "statut": rng.choice(("prévisionnel", "sollicité", "acquis")),
            }
            for f in funders
        ],
        "depenses": [{"poste": "Ingénierie", "montant": rng.randint(10, 90) * 1000}],
        "nature_soutien": ["ingénierie", "financement"],
        "calendrier": {
            "debut": start.isoformat(),
            "fin": end.isoformat(),
            "jalons": [{"date": start.isoformat(), "libelle": "Lancement", "atteint": True}],
        },
        "avancement": [
            {
                "date": min(letter_day, start + dt.timedelta(days=60)).isoformat(),
                "phase": rng.choice(PHASES),
                "statut": rng.choice(STATUSES),
                "commentaire": "Point d'étape du comité technique.",
            }
        ],
        "indicateurs": [
            {
                "nom": "Entreprises accompagnées",
                "type": "résultat",
                "cible": 30,
                "valeur": rng.randint(0, 30),
            }
        ],
        "epci": [sirens[i % len(sirens)]],
        "filieres": [rng.choice(FILIERES)],
    }
    body = f"## Contexte\n\n{LOREM}\n\n## Modalités\n\n- {LOREM[:90]}\n- {LOREM[90:180]}\n"
    return f"---\n{_yaml_text(data)}---\n{body}"


def _letter(rng: random.Random, numero: int, day: dt.date) -> str:
    data = {
        "titre": f"Actualités industrielles ({numero})",
        "date": day.isoformat(),
        "resume": "Appels à projets, événements et actualités des entreprises du territoire.",
        "appels_a_projets": [
            {
                "titre": "France 2030 — Industrialisation",
                "operateur": "Bpifrance",
                "date_limite": (day + dt.timedelta(days=45)).isoformat(),
                "lien": "https://appels-a-projets.example.org/industrialisation",
            }
        ],
        "evenements": [
            {
                "titre": "Petit-déjeuner des industriels",
                "date": (day + dt.timedelta(days=20)).isoformat() + "T08:30",
                "lieu": "Hôtel de communauté",
            }
        ],
    }
    body = (
        f"## Actualité nationale\n\n{LOREM}\n\n## Actualités locales\n\n{LOREM}\n\n"
        f"| Indicateur | Valeur |\n| --- | ---: |\n| Entreprises accompagnées | {numero * 3} |\n\n"
        f"## Boîte à outils\n\n{LOREM[:200]}\n"
    )
    return f"---\n{_yaml_text(data)}---\n{body}"


def write_territory(
    folder: Path,
    name: str,
    sirens: list[str],
    rng: random.Random,
    actions: int = 12,
    letters: int = 6,
) -> None:
    folder.mkdir(parents=True)
    filieres = rng.sample(FILIERES, 3)
    (folder / "territoire.yml").write_text(
        _yaml_text(
            {
                "nom": name,
                "resume": f"Territoire d'industrie synthétique ({', '.join(filieres)}).",
                "epci": [{"siren": s} for s in sirens],
                "emploi_industriel": {"part": rng.randint(10, 35), "source": "INSEE", "date": 2021},
                "filieres": filieres,
                "entreprises": [
                    {"nom": f"Entreprise {k}", "emplois_directs": rng.randint(50, 900)}
                    for k in range(3)
                ],
            }
        ),
        encoding="utf-8",
    )
    (folder / "priorites.yml").write_text(
        _yaml_text(
            {
                "ambition": LOREM,
                "objectifs": [
                    {"id": axe, "titre": axe.capitalize(), "priorites": [PRIORITIES[k]]}
                    for k, axe in enumerate(AXES)
                ],
            }
        ),
        encoding="utf-8",
    )
    (folder / "gouvernance.yml").write_text(
        _yaml_text(
            {
                "binomes": [
                    {
                        "elu": {"fonction": "Président de l'agglomération"},
                        "industriel": {"fonction": "Dirigeant d'une PME industrielle"},
                    }
                ],
                "instances": [{"nom": "Comité de pilotage", "role": "Valide le plan d'action"}],
                "chef_de_projet": {"structure": "Communauté d'agglomération"},
                "partenaires": [{"nom": f, "categorie": "Partenaire"} for f in FUNDERS[:5]],
            }
        ),
        encoding="utf-8",
    )
    (folder / "actions").mkdir()
    first = dt.date(2026, 1, 15)
    for i in range(actions):
        (folder / "actions" / f"action-{i + 1:03d}.md").write_text(
            _action(rng, i, sirens, first), encoding="utf-8"
        )
    if letters:
        (folder / "lettres").mkdir()
        for numero in range(1, letters + 1):
            write_letter(folder, numero, rng)


def write_letter(folder: Path, numero: int, rng: random.Random) -> Path:
    """Letter ``numero`` of a territory folder, two months after the previous one."""
    day = dt.date(2020, 1, 10) + dt.timedelta(days=61 * (numero - 1))
    path = folder / "lettres" / f"{numero}.md"
    path.write_text(_letter(rng, numero, day), encoding="utf-8")
    return path


SHARED = ("mkdocs.yml", "site.yml", "docs", "hooks")
# What a territory's fork changes (its settings: mkdocs.yml, site.yml; its pages: docs/; its
# content: territoires/, urls-publiees.txt) comes from a frozen copy of the examples
# (tests/fixtures/exemple), never from the live project, so that a fork keeps a green suite;
# only the code (hooks/) comes from the project. Nothing else can be copied.
FIXTURE = ROOT / "tests" / "fixtures" / "exemple"
CONTENT = ("mkdocs.yml", "site.yml", "docs", "territoires", "urls-publiees.txt")
CODE = ("hooks",)


def source(name: str) -> Path:
    """Where an entry of a test or benchmark project comes from: the fixture or the code."""
    if name in CONTENT:
        return FIXTURE / name
    if name in CODE:
        return ROOT / name
    raise ValueError(f"{name} : ni du contenu de {FIXTURE} {CONTENT}, ni du code {CODE}")


def copy_entries(dest: Path, names: tuple[str, ...]) -> Path:
    """Copy entries of a project into ``dest`` (caches left behind): settings and content
    from the fixture, code from the project root (see :func:`source`)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        src = source(name)
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(src, dest / name)
    return dest


def write_project(
    dest: Path, n: int, actions: int = 12, letters: int = 6, seed: int = 2027
) -> Path:
    """A buildable project with ``n`` synthetic territories (and none of the examples)."""
    rng = random.Random(seed)
    copy_entries(dest, SHARED)
    for k, sirens in enumerate(_epci_groups(n, rng)):
        write_territory(
            dest / "territoires" / f"territoire-{k + 1:03d}",
            f"Territoire synthétique {k + 1}",
            sirens,
            rng,
            actions,
            letters,
        )
    return dest
