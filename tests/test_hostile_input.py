"""Broken and hostile input, one test per case: each gets a precise French error naming the
file, the line and the field (and ``ti check`` exits 1 without a traceback), or, for content
that is valid but dangerous, is rendered inert (see test_hostile_rendering.py)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import build_site, ti_inprocess
from tisite.cli.commands import main

GC = "territoires/grand-chatellerault"
HDC = "territoires/hainaut-douaisis-cambresis"
ACTION = f"{GC}/actions/diagnostic-attractivite.md"
TITLE = "titre: Réaliser un diagnostic d'attractivité"
LETTER = f"{HDC}/lettres/14.md"


def edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def add_to_action(yaml: str) -> Callable[[Path], None]:
    """Insert lines in the front matter of the Grand-Châtellerault action, from line 15."""
    return edit(ACTION, "nature_soutien:", yaml + "\nnature_soutien:")


def write(rel: str, content: bytes) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(content)

    return apply


def transform(rel: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / rel).write_bytes(change((root / rel).read_bytes()))

    return apply


def rename(rel: str, name: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        (root / rel).rename((root / rel).with_name(name))

    return apply


def copy(rel: str, name: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        shutil.copy(root / rel, (root / rel).with_name(name))

    return apply


@dataclass(frozen=True)
class Case:
    setup: Callable[[Path], None]
    expected: str  # one full line of the report


def docs_page_named(file: str, first: str) -> Case:
    """A page of docs/ named like an address the site makes at its root."""
    return Case(
        write(f"docs/{file}", b"# Page\n"),
        f"docs/{file}: « {first} » est une adresse que le site produit lui-même (/{first}/) : "
        "une page de docs/ à cet endroit la remplacerait ou serait écrasée. Choisissez un autre "
        "nom",
    )


A = ACTION
# an « edition » block in site.yml (lines 9 to 12), for the web editor's settings
EDITION = "demonstration: true\nedition:\n  forge: gitlab\n  depot: {depot}\n  application_id: abc"
EMPTY_FIX = (
    " : écrivez son contenu (partez d'un fichier du même dossier ou du modèle du guide) "
    "ou supprimez-le"
)
CASES: dict[str, Case] = {
    # Files that cannot be read
    "yaml-malforme": Case(
        write(f"{GC}/territoire.yml", b"nom: [Grand-Ch\xc3\xa2tellerault\nresume: x\n"),
        f"{GC}/territoire.yml:1: liste entre crochets mal formée : crochet « ] » manquant ou "
        "virgule oubliée ; mettez entre guillemets un texte qui commence par « [ »",
    ),
    "deux-points-non-proteges": Case(
        write(f"{GC}/territoire.yml", b"nom: Territoire : Grand: Ch\n"),
        f"{GC}/territoire.yml:1: champ « nom » : la valeur de « nom » contient « : » suivi "
        "d'une espace ou en fin de ligne, que YAML lit comme une clé : mettez toute la valeur entre guillemets, par "
        'exemple nom: "Territoire : Grand: Ch"',
    ),
    "tabulation": Case(
        edit(A, "\nobjectif: attirer", "\n\tobjectif: attirer"),
        f"{A}:9: tabulation interdite : indentez avec des espaces",
    ),
    "octets-non-utf8": Case(
        transform(A, lambda b: b.replace("Réaliser".encode(), "Réaliser".encode("latin-1"))),
        f"{A}:3: le fichier n'est pas encodé en UTF-8 (octet 0xe9 illisible) : enregistrez-le "
        "en UTF-8 depuis votre éditeur",
    ),
    "octets-nuls": Case(
        transform(A, lambda b: b.replace(b"CNER", b"CN\x00ER")),
        f"{A}: le fichier contient des octets nuls : ce n'est pas un fichier texte",
    ),
    "fichier-vide": Case(write(A, b""), f"{A}: le fichier est vide" + EMPTY_FIX),
    "fichier-blanc": Case(
        write(f"{GC}/priorites.yml", b"\n   \n"),
        # a required file: not to be removed (outside review: removed, it was « manquant »)
        f"{GC}/priorites.yml: le fichier est vide, et il est obligatoire : retrouvez-le avec "
        f"git (`git checkout HEAD -- {GC}/priorites.yml`), ou écrivez-le d'après le modèle du guide "
        "du contributeur (pour un territoire, `ti nouveau-territoire` écrit les trois "
        "fichiers d'un territoire nouveau, à recopier)",
    ),
    # typed in a word processor (an outside review): quotes YAML does not read as quotes, a
    # no-break space after a key
    "guillemets-francais-et-deux-points": Case(
        edit(A, TITLE, "titre: « Diagnostic : attractivité »"),
        f"{A}:3: champ « titre » : les guillemets « », “ ” ou ‘ ’ ne comptent pas pour YAML : "
        'entourez toute la valeur de guillemets droits " ", par exemple '
        'titre: "« Diagnostic : attractivité »"',
    ),
    "guillemet-droit-ferme-par-un-courbe": Case(
        edit(A, TITLE, "titre: \"Diagnostic d'attractivité”"),
        f"{A}:3: guillemet ouvert mais pas refermé : la valeur finit par « ” », un guillemet "
        "typographique que YAML ne lit pas comme la fin ; finissez-la par le même guillemet "
        "droit qu'au début",
    ),
    "espace-insecable-apres-la-cle": Case(
        edit(A, TITLE, "titre:\u00a0Réaliser un diagnostic d'attractivité"),
        f"{A}:3: champ « titre » : une espace insécable suit « titre: » (un copier-coller "
        "depuis un traitement de texte) : remplacez-la par une espace ordinaire",
    ),
    "espace-insecable-apres-la-cle-et-deux-points-plus-loin": Case(
        edit(A, TITLE, "titre:\u00a0Diagnostic : attractivité"),
        f"{A}:3: champ « titre:\u00a0Diagnostic » : une espace insécable suit « titre: » (un "
        "copier-coller depuis un traitement de texte) : remplacez-la par une espace ordinaire",
    ),
    "en-tete-ferme-par-quatre-tirets": Case(
        write(A, b"---\ntitre: Un titre\n----\n\nTexte.\n"),
        f"{A}:3: la ligne « ---- » qui ferme l'en-tête doit être exactement « --- », au bord "
        "(sans espace devant)",
    ),
    "en-tete-absent": Case(
        write(A, "# Une action sans en-tête\n".encode()),
        f"{A}:1: en-tête manquant : le fichier doit commencer par une ligne « --- », les champs "
        "YAML, puis une autre ligne « --- »",
    ),
    "en-tete-non-referme": Case(
        write(A, "---\ntitre: Sans fin d'en-tête\n\nTexte.\n".encode()),
        f"{A}:1: en-tête non refermé : le fichier commence bien par « --- », mais aucune autre "
        "ligne « --- » ne termine ses champs ; ajoutez une ligne « --- » après le dernier champ, "
        "avant le texte",
    ),
    "cle-en-double": Case(
        add_to_action("axe: innover"),
        f"{A}:15: champ « axe » : clé en double (déjà à la ligne 7) : supprimez ou renommez l'une des deux",
    ),
    "liste-au-lieu-de-champs": Case(
        write(f"{GC}/gouvernance.yml", b"- binomes\n- instances\n"),
        f"{GC}/gouvernance.yml:1: le contenu doit être une liste de champs « clé: valeur » "
        "(reçu une liste)",
    ),
    "alias-yaml-exponentiel": Case(
        add_to_action(
            "a: &a [x, x, x, x, x, x, x, x, x]\n"
            "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            "d: [*c, *c, *c, *c, *c, *c, *c, *c, *c]"
        ),
        f"{A}:16: « *a » se lit comme un alias YAML, non pris en charge : un texte qui commence "
        'par « * » (une mise en italique) s\'écrit entre guillemets (« "*a…" ») ; pour un '
        "alias, recopiez la valeur",
    ),
    "etiquette-python": Case(
        edit(A, TITLE, "titre: !!python/object/apply:os.system ['touch /tmp/ti-pirate']"),
        f"{A}:3: étiquette YAML « !!python/object/apply:os.system » non prise en charge : "
        "retirez-la (les valeurs sont du texte, des nombres, des dates, des listes ou des champs)",
    ),
    # Fields
    "cle-inconnue-proche": Case(
        edit(A, "resume:", "resumé:"),
        f"{A}:4: champ « resumé » : nom mal écrit : écrivez « resume » (champ obligatoire)",
    ),
    "cle-inconnue": Case(
        add_to_action("couleur: bleu"),
        f"{A}:15: champ « couleur » : champ inconnu. Champs possibles : actions_liees, "
        "anciens_identifiants, avancement, axe, brouillon, budget, budget_source, calendrier, "
        "depenses, diagnostic, epci, filieres, indicateurs, nature_soutien, objectif, objectifs, "
        "partenaires, porteur, priorites, resume, titre.",
    ),
    "champ-obligatoire-manquant": Case(
        edit(A, TITLE + "\n", ""),
        f"{A}:3: champ « titre » : champ obligatoire manquant : Titre de la fiche action",
    ),
    "champ-vide": Case(
        edit(A, TITLE, "titre:"),
        f"{A}:3: champ « titre » : valeur vide : ce champ est obligatoire, renseignez-le",
    ),
    "liste-au-lieu-de-texte": Case(
        edit(A, TITLE, "titre: [Diagnostic, attractivité]"),
        f"{A}:3: champ « titre » : doit être un texte (reçu une liste)",
    ),
    "nombre-au-lieu-de-texte": Case(
        edit(A, TITLE, "titre: 2024"),
        f"{A}:3: champ « titre » : doit être un texte (reçu « 2024 ») : mettez la valeur entre "
        "guillemets",
    ),
    "texte-au-lieu-de-champs": Case(
        add_to_action("calendrier: 2024"),
        f"{A}:15: champ « calendrier » : doit être un ensemble de champs « clé: valeur » "
        "(reçu « 2024 »)",
    ),
    "titre-tres-long": Case(
        edit(A, TITLE, "titre: " + "Diagnostic d'attractivité industrielle " * 8),
        f"{A}:3: champ « titre » : trop long : 160 caractères au plus (reçu 311)",
    ),
    "valeur-hors-vocabulaire": Case(
        add_to_action("avancement:\n  - date: 2024-01-15\n    phase: Opération\n    statut: Fini"),
        f"{A}:18: champ « avancement[1].statut » : valeur non reconnue (reçu « Fini ») : valeurs "
        "possibles : « En cours », « En retard », « En pause », « Bloqué », « Abandonné », "
        "« Terminé »",
    ),
    # a YAML merge key: fields from elsewhere, with no line (a traceback in the review)
    "fusion-yaml": Case(
        add_to_action("<<: {axe: nimporte}"),
        f"{A}:15: « << » (fusion de blocs YAML) non pris en charge : écrivez les champs "
        "eux-mêmes ; un texte qui commence par « << » s'écrit entre guillemets",
    ),
    # a point's phase written as its status: told which field it belongs to
    "phase-ecrite-comme-statut": Case(
        add_to_action(
            "avancement:\n  - date: 2024-01-15\n    phase: Terminée\n    statut: En cours"
        ),
        f"{A}:17: champ « avancement[1].phase » : valeur non reconnue (reçu « Terminée ») : "
        "valeurs possibles : « Idée », « Étude », « Opération » ; « Terminé » est une valeur du "
        "champ « statut », à côté",
    ),
    # a new progress point typed under the last one without its « - » (YAML: a key twice, or
    # an indentation): told to add the dash, not to remove a key (the former point)
    "point-sans-tiret-cles-alignees": Case(
        add_to_action(
            "avancement:\n  - date: 2024-01-15\n    phase: Opération\n"
            "    date: 2024-03-01\n    phase: Opération"
        ),
        f"{A}:18: champ « date » : « date: » commence un nouvel élément de la liste "
        "« avancement » sans son tiret : un élément commence par « - », aligné sur celui de la "
        "ligne 16 ; remplacez les deux espaces avant « date » par « - » (sans tiret, il se "
        "confond avec l'élément du dessus : n'en retirez rien)",
    ),
    "point-sans-tiret-au-bord-des-tirets": Case(
        add_to_action(
            "avancement:\n  - date: 2024-01-15\n    phase: Opération\n"
            "  date: 2024-03-01\n  phase: Opération"
        ),
        f"{A}:18: champ « date » : « date: » commence un nouvel élément de la liste "
        "« avancement » sans son tiret : un élément commence par « - », aligné sur celui de la "
        "ligne 16 ; écrivez « - date: … » et mettez ses autres clés sous « date » (sans tiret, "
        "il se confond avec l'élément du dessus : n'en retirez rien)",
    ),
    # Amounts
    "montant-non-numerique": Case(
        add_to_action("budget:\n  - financeur: Région\n    montant: beaucoup\n    statut: acquis"),
        f"{A}:17: champ « budget[1].montant » : doit être un nombre, sans espace ni unité "
        "(reçu « beaucoup »)",
    ),
    "montant-avec-unite": Case(
        add_to_action("budget:\n  - financeur: Région\n    montant: 12 000 €\n    statut: acquis"),
        f"{A}:17: champ « budget[1].montant » : doit être un nombre, sans unité "
        "(reçu « 12 000 € ») : écrivez 12000",
    ),
    "montant-negatif": Case(
        add_to_action("budget:\n  - financeur: Région\n    montant: -5000\n    statut: acquis"),
        f"{A}:17: champ « budget[1].montant » : doit être un nombre positif (reçu « -5000 »)",
    ),
    "montant-infini": Case(
        add_to_action("budget:\n  - financeur: Région\n    montant: 1e400\n    statut: acquis"),
        f"{A}:17: champ « budget[1].montant » : doit être un nombre fini (reçu « inf »)",
    ),
    # Dates
    "date-inexistante": Case(
        add_to_action("calendrier:\n  debut: 2023-02-30"),
        f"{A}:16: champ « calendrier.debut » : le 30 février 2023 n'existe pas (février 2023 "
        "n'a que 28 jours) : vérifiez le jour et le mois (reçu « 2023-02-30 »)",
    ),
    "mois-inexistant": Case(
        add_to_action("calendrier:\n  debut: 2023-13"),
        f"{A}:16: champ « calendrier.debut » : il n'y a pas de mois 13 (les mois vont de 01 à "
        "12) (reçu « 2023-13 »)",
    ),
    "29-fevrier-non-bissextile": Case(
        edit(LETTER, "date: 2022-09-20", "date: 2023-02-29"),
        f"{LETTER}:4: champ « date » : le 29 février 2023 n'existe pas (février 2023 n'a que "
        "28 jours) : vérifiez le jour et le mois (reçu « 2023-02-29 »)",
    ),
    "31-fevrier": Case(
        edit(LETTER, "date: 2022-09-20", "date: 2026-02-31"),
        f"{LETTER}:4: champ « date » : le 31 février 2026 n'existe pas (février 2026 n'a que "
        "28 jours) : vérifiez le jour et le mois (reçu « 2026-02-31 »)",
    ),
    "date-a-la-francaise": Case(
        edit(LETTER, "date: 2022-09-20", "date: 20/09/2022"),
        f"{LETTER}:4: champ « date » : doit être une date au format AAAA-MM-JJ (reçu "
        "« 20/09/2022 ») : écrivez 2022-09-20",
    ),
    "date-a-la-francaise-inexistante": Case(
        edit(LETTER, "date: 2022-09-20", "date: 31/02/2026"),
        f"{LETTER}:4: champ « date » : doit être une date au format AAAA-MM-JJ (reçu "
        "« 31/02/2026 ») : écrivez 2026-02-31 ; attention, le 31 février 2026 n'existe pas "
        "(février 2026 n'a que 28 jours)",
    ),
    "date-partielle-a-la-francaise": Case(
        add_to_action("calendrier:\n  debut: 15/03/2026"),
        f"{A}:16: champ « calendrier.debut » : doit être une date au format AAAA-MM-JJ (reçu "
        "« 15/03/2026 ») : écrivez 2026-03-15",
    ),
    "evenement-a-la-francaise": Case(
        write(
            f"{HDC}/agenda.yml",
            "evenements:\n  - titre: Comité\n    date: 15/03/2026 à 9h30\n".encode(),
        ),
        f"{HDC}/agenda.yml:3: champ « evenements[1].date » : doit être une date au format "
        "AAAA-MM-JJ ou AAAA-MM-JJTHH:MM (reçu « 15/03/2026 à 9h30 ») : écrivez "
        "2026-03-15T09:30",
    ),
    "evenement-a-l-heure-sans-minutes": Case(
        write(
            f"{HDC}/agenda.yml",
            "evenements:\n  - titre: Comité\n    date: 2027-04-09 9h\n".encode(),
        ),
        f"{HDC}/agenda.yml:3: champ « evenements[1].date » : doit être une date au format "
        "AAAA-MM-JJ ou AAAA-MM-JJTHH:MM (reçu « 2027-04-09 9h ») : écrivez 2027-04-09T09:00",
    ),
    "mois-a-la-francaise": Case(
        add_to_action("calendrier:\n  fin: 12/2025"),
        f"{A}:16: champ « calendrier.fin » : doit être une année (AAAA), un mois (AAAA-MM) ou "
        "une date (AAAA-MM-JJ) (reçu « 12/2025 ») : écrivez 2025-12",
    ),
    "date-en-toutes-lettres": Case(
        add_to_action("calendrier:\n  debut: 27 février 2027"),
        f"{A}:16: champ « calendrier.debut » : doit être une date au format AAAA-MM-JJ (reçu "
        "« 27 février 2027 ») : écrivez 2027-02-27",
    ),
    "mois-en-toutes-lettres": Case(
        add_to_action("calendrier:\n  fin: septembre 2025"),
        f"{A}:16: champ « calendrier.fin » : doit être une année (AAAA), un mois (AAAA-MM) ou "
        "une date (AAAA-MM-JJ) (reçu « septembre 2025 ») : écrivez 2025-09",
    ),
    "jour-et-mois-inverses": Case(
        write(
            f"{HDC}/agenda.yml", b"evenements:\n  - titre: Comit\xc3\xa9\n    date: 2027-31-01\n"
        ),
        f"{HDC}/agenda.yml:3: champ « evenements[1].date » : il n'y a pas de mois 31 (les mois "
        "vont de 01 à 12) : le jour et le mois semblent inversés ; écrivez 2027-01-31 (année, "
        "mois, jour) (reçu « 2027-31-01 »)",
    ),
    "jour-manquant": Case(
        write(f"{HDC}/agenda.yml", b"evenements:\n  - titre: Comit\xc3\xa9\n    date: mars 2027\n"),
        f"{HDC}/agenda.yml:3: champ « evenements[1].date » : doit être une date au format "
        "AAAA-MM-JJ ou AAAA-MM-JJTHH:MM (reçu « mars 2027 ») : le jour manque ; par exemple "
        "2027-03-01 pour le premier du mois",
    ),
    "heure-inexistante": Case(
        write(
            f"{HDC}/agenda.yml",
            b"evenements:\n  - titre: Comit\xc3\xa9\n    date: 2024-01-01T25:00\n",
        ),
        f"{HDC}/agenda.yml:3: champ « evenements[1].date » : l'heure 25:00 n'existe pas : une "
        "heure va de 00:00 à 23:59 (reçu « 2024-01-01T25:00 »)",
    ),
    "heure-sautee-par-l-heure-d-ete": Case(
        write(
            f"{HDC}/agenda.yml",
            b"evenements:\n  - titre: Comit\xc3\xa9\n    date: 2027-03-28T02:30\n",
        ),
        f"{HDC}/agenda.yml:3: champ « evenements[1].date » : l'heure 02:30 n'existe pas à "
        "Paris le 28/03/2027 (passage à l'heure d'été : les horloges sautent de 2 h à 3 h) : "
        "choisissez une autre heure (reçu « 2027-03-28T02:30 »)",
    ),
    "evenement-fini-avant-de-commencer": Case(
        write(
            f"{HDC}/agenda.yml",
            b"evenements:\n  - titre: Comit\xc3\xa9\n    date: 2026-06-20T09:00\n"
            b"    fin: 2026-06-20T08:00\n",
        ),
        f"{HDC}/agenda.yml:4: champ « evenements[1].fin » : la fin (2026-06-20T08:00) précède "
        "le début (2026-06-20T09:00) : vérifiez les dates et les heures",
    ),
    "point-virgule-dans-un-financeur": Case(
        add_to_action("budget:\n  - financeur: Région; Département\n    statut: acquis"),
        f"{A}:16: champ « budget[1].financeur » : « ; » sépare les éléments d'une liste dans "
        "les données ouvertes (actions.csv) : écrivez un élément par ligne « - » de la liste, "
        "sans « ; » (reçu « Région; Département »)",
    ),
    "fin-avant-debut": Case(
        add_to_action("calendrier:\n  debut: 2024-05-01\n  fin: 2023-12"),
        f"{A}:17: champ « calendrier.fin » : la fin (2023-12) précède le début (2024-05-01) : "
        "vérifiez les dates",
    ),
    # Identifiers and references
    "siren-inconnu": Case(
        edit(f"{GC}/territoire.yml", '"248600413"', '"123456789"'),
        f"{GC}/territoire.yml:15: champ « epci[1].siren » : SIREN inconnu du référentiel des EPCI "
        "(@etalab/decoupage-administratif 6.0.0) (reçu « 123456789 ») : cherchez l'intercommunalité "
        "par son nom avec « ti epci <nom> » (par exemple « ti epci Châtellerault »)",
    ),
    "siren-mal-forme": Case(
        edit(f"{GC}/territoire.yml", '"248600413"', '"2486 004"'),
        f"{GC}/territoire.yml:15: champ « epci[1].siren » : un SIREN compte exactement 9 chiffres "
        "(reçu « 2486004 »)",
    ),
    "siren-en-double": Case(
        edit(f"{GC}/territoire.yml", '  - siren: "248600413"', '  - siren: "248600413"\n' * 2),
        f"{GC}/territoire.yml:14: champ « epci » : le SIREN 248600413 est listé deux fois",
    ),
    "identifiant-en-double": Case(
        edit(f"{GC}/priorites.yml", "objectifs:", "objectifs:\n  - id: attirer\n    titre: Bis"),
        f"{GC}/priorites.yml:7: champ « objectifs » : identifiant d'objectif en double : attirer",
    ),
    "identifiant-remontant-les-dossiers": Case(
        edit(A, "objectif: attirer", "objectif: ../../../etc/passwd"),
        f"{A}:9: champ « objectif » : identifiant invalide (reçu « ../../../etc/passwd ») : "
        "indiquez l'identifiant d'un objectif de priorites.yml (ce qui suit « id: ») : "
        "« recruter », « innover », « attirer », « simplifier »",
    ),
    "identifiant-avec-barre-oblique": Case(
        add_to_action("actions_liees: [plan-action/autre]"),
        f"{A}:15: champ « actions_liees[1] » : identifiant invalide : lettres minuscules sans "
        "accent, chiffres et tirets seulement (reçu « plan-action/autre »)",
    ),
    "nom-de-fichier-invalide": Case(
        rename(A, "Diagnostic Été.md"),
        f"{GC}/actions/Diagnostic Été.md: nom de fichier invalide : lettres minuscules sans "
        "accent, chiffres et tirets seulement, suivis de .md (il devient l'adresse de l'action) ; "
        "renommez-le « diagnostic-ete.md »",
    ),
    # the name it would be given is a fiche already (review: « mv » would overwrite it)
    "nom-de-fichier-deja-pris": Case(
        copy(A, "Diagnostic-Attractivite.md"),
        f"{GC}/actions/Diagnostic-Attractivite.md: nom de fichier invalide : lettres minuscules "
        "sans accent, chiffres et tirets seulement, suivis de .md (il devient l'adresse de "
        "l'action) ; « diagnostic-attractivite.md » existe déjà à côté : fusionnez les deux, ou "
        "choisissez un autre nom",
    ),
    "lettre-mal-nommee": Case(
        copy(LETTER, "quatorze.md"),
        f"{HDC}/lettres/quatorze.md: nom de fichier invalide : une lettre s'appelle par son "
        "numéro, par exemple « 14.md » (il devient l'adresse /lettres/14/)",
    ),
    "lettre-numero-en-double": Case(
        copy(LETTER, "014.md"),
        f"{HDC}/lettres/014.md: le numéro 14 est aussi celui de « 14.md » : gardez un seul des "
        "deux fichiers, ou donnez à celui-ci le numéro suivant libre (« 17.md »)",  # 16: a draft
    ),
    "image-hors-du-dossier": Case(
        edit(LETTER, "image: images/couverture-bilan-relance.jpg", "image: ../../../site.yml"),
        f"{LETTER}:8: champ « image » : le chemin ne peut pas remonter dans les dossiers "
        "(« .. » interdit)",
    ),
    # Images: each one a file the build publishes, of the type its name says, with alt text
    "image-html-introuvable": Case(
        edit(
            LETTER,
            "## Actualités locales\n",
            '## Actualités locales\n<img src="images/plan.png"\n  alt="Plan">\n',
        ),
        f"{LETTER}:23: image introuvable : « images/plan.png » (placez le fichier dans le "
        "dossier lettres/ et vérifiez l'orthographe, majuscules comprises)",
    ),
    "image-chemin-absolu": Case(
        edit(LETTER, "## Actualités locales\n", "## Actualités locales\n![c](/etc/passwd)\n"),
        f"{LETTER}:23: image « /etc/passwd » : chemin absolu (il ne mène pas à un fichier du "
        "dépôt et dépend de l'adresse où le site est publié) ; indiquez le chemin du fichier "
        "à partir du fichier de la page, par exemple images/photo.jpg pour un fichier "
        "photo.jpg placé dans un dossier images/ à côté de lui",
    ),
    "image-jpeg-nommee-png": Case(
        lambda root: (
            copy(f"{HDC}/lettres/images/couverture-bilan-relance.jpg", "couverture.png")(root),
            edit(
                LETTER, "image: images/couverture-bilan-relance.jpg", "image: images/couverture.png"
            )(root),
        ),
        f"{LETTER}:8: champ « image » : le fichier « images/couverture.png » est en réalité une "
        "image JPEG : renommez-le « images/couverture.jpg » (et écrivez ce nom là où la page "
        "l'indique) ; le site publie chaque image sous le type que dit son nom",
    ),
    "image-docs-png-nommee-jpg": Case(
        copy("docs/contribuer/images/editeur-lettre.png", "capture.jpg"),
        "docs/contribuer/images/capture.jpg: le fichier « docs/contribuer/images/capture.jpg » "
        "est en réalité une image PNG : renommez-le « docs/contribuer/images/capture.png » (et "
        "écrivez ce nom là où la page l'indique) ; le site publie chaque image sous le type "
        "que dit son nom",
    ),
    "image-sans-texte-de-remplacement": Case(
        edit(
            LETTER,
            "## Actualités locales\n",
            "## Actualités locales\n![](images/couverture-bilan-relance.jpg)\n",
        ),
        f"{LETTER}:23: image sans texte de remplacement (« images/couverture-bilan-relance.jpg ») : "
        "décrivez-la en une phrase, lue aux personnes aveugles et affichée si l'image ne se "
        "charge pas : ![Description de l'image](images/couverture-bilan-relance.jpg) en "
        'Markdown, alt="Description de l\'image" dans une balise <img>. Une image purement '
        "décorative, qui n'apporte rien au texte, s'écrit <img "
        'src="images/couverture-bilan-relance.jpg" alt="" role="presentation">',
    ),
    # the address written with a character reference is found where it is written
    "image-distante-en-entites": Case(
        edit(
            LETTER,
            "## Actualités locales\n",
            '## Actualités locales\n<img alt="p"\n  src="&#104;ttps://evil.example/x.png">\n',
        ),
        f"{LETTER}:24: image chargée depuis un autre site (« https://evil.example/x.png ») : le "
        "site ne fait rien charger d'ailleurs à ses visiteurs ; enregistrez le fichier dans le "
        "dossier lettres/ et indiquez son nom, par exemple ![description](images/photo.jpg)",
    ),
    # Dangerous values refused at validation
    "url-javascript": Case(
        edit(f"{GC}/territoire.yml", "epci:", "site_web: javascript:alert(document.cookie)\nepci:"),
        f"{GC}/territoire.yml:14: champ « site_web » : doit être une adresse web commençant par "
        "https:// (reçu une adresse « javascript: »)",
    ),
    "url-qui-ferme-l-attribut": Case(
        edit(
            f"{GC}/territoire.yml",
            "epci:",
            "site_web: 'https://exemple.fr/\"><script>alert(1)</script>'\nepci:",
        ),
        f"{GC}/territoire.yml:14: champ « site_web » : une adresse web ne peut contenir ni "
        "espace, ni guillemet, ni chevron",
    ),
    "lien-d-appel-a-projets-data": Case(
        edit(
            LETTER,
            "    description: Pour les entreprises",
            "    lien: data:text/html,<script>alert(1)</script>\n    description: Pour les "
            "entreprises",
        ),
        f"{LETTER}:12: champ « appels_a_projets[1].lien » : doit être une adresse web commençant "
        "par https:// (reçu une adresse « data: »)",
    ),
    # Values that passed check and crashed the build: refused with file, line and field
    "annee-9999": Case(
        add_to_action("calendrier:\n  debut: 9999"),
        f"{A}:16: champ « calendrier.debut » : année 9999 hors de la période acceptée "
        "(1900-2100) : vérifiez la date (reçu « 9999 »)",
    ),
    "annee-0000": Case(
        add_to_action("calendrier:\n  debut: 2024-01\n  fin: 0000-01-01"),
        f"{A}:17: champ « calendrier.fin » : année 0 hors de la période acceptée (1900-2100) : "
        "vérifiez la date (reçu « 0000-01-01 »)",
    ),
    "agenda-9999-12-31": Case(
        edit(f"{HDC}/agenda.yml", "    date: 2022-09-15", "    date: 9999-12-31"),
        f"{HDC}/agenda.yml:9: champ « evenements[2].date » : année 9999 hors de la période "
        "acceptée (1900-2100) : vérifiez la date (reçu « 9999-12-31 »)",
    ),
    "montant-1e308": Case(
        add_to_action("budget:\n  - financeur: Région\n    montant: 1e308\n    statut: acquis"),
        f"{A}:17: champ « budget[1].montant » : doit être inférieur ou égal à "
        "1\u202f000\u202f000\u202f000\u202f000 (reçu « 1e+308 »)",
    ),
    "montant-plus-fin-que-le-centime": Case(
        add_to_action(
            "budget:\n  - financeur: Région\n    montant: 10833.3333\n    statut: acquis"
        ),
        f"{A}:17: champ « budget[1].montant » : un montant s'écrit au centime près : deux "
        "décimales au plus (reçu « 10833.3333 »)",
    ),
    "indicateur-infini": Case(
        add_to_action("indicateurs:\n  - nom: Emplois\n    type: résultat\n    valeur: .inf"),
        f"{A}:18: champ « indicateurs[1].valeur » : doit être un nombre fini (reçu « inf »)",
    ),
    "cible-negative": Case(
        add_to_action("indicateurs:\n  - nom: Emplois\n    type: résultat\n    cible: -5"),
        f"{A}:18: champ « indicateurs[1].cible » : doit être un nombre positif (reçu « -5 »)",
    ),
    "caractere-de-controle": Case(
        edit(A, TITLE, 'titre: "Réaliser\\b un diagnostic"'),
        f"{A}:3: champ « titre » : caractère de contrôle invisible (code 0x08) en position 9 : "
        "retapez le texte à cet endroit (il vient souvent d'un copier-coller)",
    ),
    "caractere-de-controle-dans-le-texte": Case(
        edit(A, "Action d'exemple :", "Action\x1b[31m d'exemple :"),
        f"{A}:17: caractère de contrôle invisible (code 0x1b) dans le texte : retapez la ligne "
        "(il vient souvent d'un copier-coller)",
    ),
    "imbrication-profonde": Case(
        add_to_action("filieres: " + "[" * 300 + "]" * 300),
        f"{A}:15: imbrication trop profonde (plus de 20 niveaux de listes ou de champs) : le "
        "contenu n'en demande jamais autant ; vérifiez l'indentation et les crochets",
    ),
    "nombre-de-5000-chiffres": Case(
        add_to_action("depenses:\n  - poste: Étude\n    montant: " + "9" * 5000),
        f"{A}:17: nombre beaucoup trop long : un nombre du contenu compte au plus 15 chiffres",
    ),
    "lettre-chiffres-arabes": Case(
        copy(LETTER, "\u0661\u0667.md"),
        f"{HDC}/lettres/\u0661\u0667.md: nom de fichier invalide : une lettre s'appelle par son "
        "numéro, par exemple « 14.md » (il devient l'adresse /lettres/14/)",
    ),
    "lettre-chiffres-pleine-chasse": Case(
        copy(LETTER, "\uff11\uff17.md"),
        f"{HDC}/lettres/\uff11\uff17.md: nom de fichier invalide : une lettre s'appelle par son "
        "numéro, par exemple « 14.md » (il devient l'adresse /lettres/14/) ; renommez-le "
        "« 17.md »",
    ),
    "lettre-nom-avec-retour-a-la-ligne": Case(
        copy(LETTER, "17\n.md"),
        f"{HDC}/lettres/17\\n.md: nom de fichier invalide : une lettre s'appelle par son "
        "numéro, par exemple « 14.md » (il devient l'adresse /lettres/14/) ; renommez-le "
        "« 17.md »",
    ),
    "dossier-nomme-comme-une-lettre": Case(
        lambda root: (root / HDC / "lettres" / "17.md").mkdir(),
        f"{HDC}/lettres/17.md: ce dossier porte un nom de lettre : une lettre est un fichier "
        ".md ; renommez ou supprimez le dossier",
    ),
    "action-nommee-avancement": Case(
        copy(A, "avancement.md"),
        f"{GC}/actions/avancement.md: « avancement » est l'adresse d'une page du plan d'action "
        "(plan-action/avancement/) : renommez le fichier",
    ),
    "ancien-identifiant-sur-une-page-du-site": Case(
        edit(f"{GC}/territoire.yml", "epci:", "anciens_identifiants: [mentions-legales]\nepci:"),
        f"{GC}/territoire.yml:14: champ « anciens_identifiants[1] » : « mentions-legales » est "
        "l'adresse d'une page du site (/mentions-legales/) : une redirection la remplacerait ; "
        "retirez cet identifiant",
    ),
    "meme-ancien-identifiant-deux-territoires": Case(
        lambda root: (
            edit(f"{GC}/territoire.yml", "epci:", "anciens_identifiants: [ancien]\nepci:")(root),
            edit(f"{HDC}/territoire.yml", "epci:", "anciens_identifiants: [ancien]\nepci:")(root),
        ),
        f"{HDC}/territoire.yml:22: champ « anciens_identifiants[1] » : « ancien » est déjà un "
        f"ancien identifiant du territoire {GC} : une adresse ne redirige que vers une page",
    ),
    "territoire-sur-une-page-du-site": Case(
        rename(GC, "search"),
        "territoires/search: « search » est l'adresse d'une page du site (/search/) : renommez "
        "le dossier du territoire",
    ),
    "meme-nom-deux-territoires": Case(
        edit(f"{GC}/territoire.yml", "nom: Grand-Châtellerault", "nom: Hainaut-Douaisis-Cambrésis"),
        f"{HDC}/territoire.yml:4: champ « nom » : « Hainaut-Douaisis-Cambrésis » est déjà le nom "
        f"du territoire {GC} : deux territoires ne peuvent pas porter le même nom",
    ),
    "meme-epci-deux-territoires": Case(
        edit(
            f"{GC}/territoire.yml",
            '  - siren: "248600413"',
            '  - siren: "248600413"\n  - siren: "245901160"',
        ),
        f"{HDC}/territoire.yml:23: champ « epci » : l'EPCI 245901160 (CA Valenciennes "
        f"Métropole) appartient déjà au territoire {GC} : une intercommunalité n'est comptée "
        "que dans un territoire",
    ),
    # Names of docs/ files become addresses: a backslash would send a search result to another
    # host, the site's own folders would be replaced (Pagefind hangs on a folder named like its
    # script)
    "docs-nom-barre-inverse": Case(
        write("docs/\\evil.example.md", b"# Page\n\nTexte.\n"),
        "docs/\\evil.example.md: nom de fichier refusé dans docs/ : il devient une adresse du "
        "site, qui ne doit contenir que des lettres sans accent, des chiffres, « - », « _ » et "
        "« . » (une espace, un « # », un « ? » ou une barre oblique inverse donnent une adresse "
        "cassée ou qui mène ailleurs). Renommez-le, par exemple « evil.example.md »",
    ),
    "docs-nom-du-flux": docs_page_named("atom.xml.md", "atom.xml"),
    "docs-nom-de-l-image-de-partage": docs_page_named("partage.png.md", "partage.png"),
    # the site's generated icon (review: an image of docs/ under its name was replaced)
    "docs-nom-de-l-icone": docs_page_named("apple-touch-icon.png.md", "apple-touch-icon.png"),
    # 14 MB of budget lines took a minute and 1.5 GB to check (outside review)
    "fichier-de-plus-d-un-mega-octet": Case(
        write(f"{HDC}/agenda.yml", b"#" + b"x" * 1_000_000 + b"\nevenements: []\n"),
        f"{HDC}/agenda.yml: fichier de 1\u202f000\u202f017 octets : un fichier de contenu fait "
        "au plus 1 000 000 d'octets (des centaines de pages) ; découpez-le (une fiche action "
        "ou une lettre par fichier)",
    ),
    "docs-lisez-moi": Case(
        write("docs/README.md", b"# Lisez-moi\n"),
        "docs/README.md: MkDocs publie un « README.md » comme la page d'accueil de son dossier "
        "(à la racine de docs/, celle du site) : renommez-le, par exemple « lisez-moi.md »",
    ),
    "docs-nom-du-site-en-capitales": docs_page_named("Atom.xml.md", "Atom.xml"),
    "docs-adresse-du-site": Case(
        write("docs/pagefind/pagefind.js/index.md", b"# Page\n"),
        "docs/pagefind/pagefind.js/index.md: « pagefind » est une adresse que le site produit "
        "lui-même (/pagefind/) : une page de docs/ à cet endroit la remplacerait ou serait "
        "écrasée. Choisissez un autre nom",
    ),
    # The same name written with a combining accent is the same name (search filters, finder)
    "nom-territoire-decompose": Case(
        edit(
            f"{HDC}/territoire.yml",
            "nom: Hainaut-Douaisis-Cambrésis",
            'nom: "Grand-Cha\\u0302tellerault"',
        ),
        f"{HDC}/territoire.yml:4: champ « nom » : « Grand-Cha\u0302tellerault » est déjà le nom "
        "du territoire territoires/grand-chatellerault : deux territoires ne peuvent pas porter "
        "le même nom",
    ),
    # Invisible characters: a bidirectional control shows the text in another order (and
    # reached 20 outputs), a zero-width character hides a difference between two names
    "inversion-du-sens-dans-un-titre": Case(
        edit(A, TITLE, 'titre: "Réaliser\\u202e un diagnostic"'),
        f"{A}:3: champ « titre » : U+202E, caractère invisible qui inverse le sens du texte, en "
        "position 9 : retapez le texte à cet endroit (il vient souvent d'un copier-coller)",
    ),
    "espace-invisible-dans-un-nom": Case(
        edit(
            f"{GC}/territoire.yml", "nom: Grand-Châtellerault", 'nom: "Grand-\\u200bChâtellerault"'
        ),
        f"{GC}/territoire.yml:4: champ « nom » : U+200B, espace invisible de largeur nulle, en "
        "position 7 : retapez le texte à cet endroit (il vient souvent d'un copier-coller)",
    ),
    "trait-d-union-conditionnel-dans-un-nom": Case(
        edit(
            f"{GC}/territoire.yml", "nom: Grand-Châtellerault", 'nom: "Grand-Châtel\\u00adlerault"'
        ),
        f"{GC}/territoire.yml:4: champ « nom » : U+00AD, trait d'union conditionnel invisible, en "
        "position 13 : retapez le texte à cet endroit (il vient souvent d'un copier-coller)",
    ),
    "isolement-bidi-dans-le-texte": Case(
        edit(A, "Action d'exemple :", "Action\u2067 d'exemple :"),
        f"{A}:17: U+2067, caractère invisible qui isole un passage dans un autre sens de lecture, "
        "dans le texte : retapez la ligne (il vient souvent d'un copier-coller)",
    ),
    "inversion-du-sens-dans-un-champ-markdown": Case(
        add_to_action('diagnostic: "Un diagnostic \\u202e inversé"'),
        f"{A}:15: champ « diagnostic » : U+202E, caractère invisible qui inverse le sens du "
        "texte, en position 15 : retapez le texte à cet endroit (il vient souvent d'un "
        "copier-coller)",
    ),
    "caractere-de-format-generique": Case(
        edit(A, TITLE, 'titre: "Réaliser un diagnostic\\U000e0041"'),
        f"{A}:3: champ « titre » : U+E0041, caractère invisible (format Unicode), en position "
        "23 : retapez le texte à cet endroit (il vient souvent d'un copier-coller)",
    ),
    # Look-alike names: another script, or the skeleton of another territory's name (TR39)
    "nom-a-l-alphabet-mele": Case(
        edit(f"{GC}/territoire.yml", "nom: Grand-Châtellerault", "nom: Grand-Chаtellerault"),
        f"{GC}/territoire.yml:4: champ « nom » : le nom mêle les écritures latine et cyrillique : "
        "« а » en position 9 appartient à l'écriture cyrillique et peut imiter un caractère de "
        "l'écriture latine ; retapez le nom au clavier, dans une seule écriture (reçu "
        "« Grand-Chаtellerault »)",
    ),
    "entreprise-a-l-alphabet-mele": Case(
        edit(f"{HDC}/territoire.yml", "  - nom: Stellantis", "  - nom: Stellаntis"),
        f"{HDC}/territoire.yml:66: champ « entreprises[4].nom » : le nom mêle les écritures "
        "latine et cyrillique : « а » en position 6 appartient à l'écriture cyrillique et peut "
        "imiter un caractère de l'écriture latine ; retapez le nom au clavier, dans une seule "
        "écriture (reçu « Stellаntis »)",
    ),
    "nom-sosie-d-un-autre-territoire": Case(
        edit(
            f"{HDC}/territoire.yml", "nom: Hainaut-Douaisis-Cambrésis", "nom: Grand-ChâteIlerault"
        ),
        f"{HDC}/territoire.yml:4: champ « nom » : « Grand-ChâteIlerault » ressemble à s'y "
        "méprendre au nom du territoire « Grand-Châtellerault » "
        f"({GC}/territoire.yml) : choisissez un nom qui s'en distingue à l'œil (les lettres "
        "d'une autre écriture, « I » pour « l » ou « 0 » pour « O » ne suffisent pas)",
    ),
    # Addresses that leave by a trick
    "adresse-sans-schema": Case(
        edit(f"{GC}/territoire.yml", "epci:", "site_web: //evil.example/u\nepci:"),
        f"{GC}/territoire.yml:14: champ « site_web » : doit être une adresse web commençant par "
        "https:// : une adresse qui commence par « / » mène, selon la page, vers un autre site ; "
        "écrivez l'adresse complète, https://… (reçu « //evil.example/u »)",
    ),
    "adresse-avec-utilisateur": Case(
        edit(
            f"{HDC}/territoire.yml",
            "  inscription: https://lettres.example.org/subscription/form",
            "  inscription: https://brevo.com@evil.example/x",
        ),
        f"{HDC}/territoire.yml:131: champ « diffusion.inscription » : l'adresse contient "
        "« brevo.com@ » avant le nom du site : elle mène en réalité vers « evil.example » ; "
        "retirez ce qui précède « @ » (reçu « https://brevo.com@evil.example/x »)",
    ),
    "balise-de-desinscription-sans-schema": Case(
        edit(
            f"{HDC}/territoire.yml",
            "  outil: listmonk",
            "  outil: autre\n  balise_desinscription: //evil.example/u",
        ),
        f"{HDC}/territoire.yml:131: champ « diffusion.balise_desinscription » : une balise de "
        "désinscription ne peut pas commencer par « / » (« //… » mène vers un autre site) : "
        "recopiez la balise de votre outil, ou une adresse complète https://…",
    ),
    "adresse-en-http": Case(
        edit(
            LETTER,
            "    description: Pour les entreprises",
            "    lien: http://exemple.fr/aap\n    description: Pour les entreprises",
        ),
        f"{LETTER}:12: champ « appels_a_projets[1].lien » : doit être une adresse web commençant "
        "par https:// (reçu « http://exemple.fr/aap ») : http:// n'est admis que pour un essai "
        "sur cet ordinateur (localhost, 127.0.0.1 ou [::1])",
    ),
    "adresse-port-hors-limites": Case(
        edit(f"{GC}/territoire.yml", "epci:", "site_web: https://exemple.fr:99999/\nepci:"),
        f"{GC}/territoire.yml:14: champ « site_web » : port invalide dans « exemple.fr:99999 » : "
        "un numéro de port va de 1 à 65535",
    ),
    "adresse-mailto": Case(
        edit(f"{GC}/territoire.yml", "epci:", "site_web: mailto:contact@exemple.fr\nepci:"),
        f"{GC}/territoire.yml:14: champ « site_web » : doit être une adresse web commençant par "
        "https:// (reçu une adresse « mailto: »)",
    ),
    # The web editor's repository, branch and forge
    "depot-remontant-les-dossiers": Case(
        edit("site.yml", "demonstration: true", EDITION.format(depot="../../admin")),
        "site.yml:11: champ « edition.depot » : segment « .. » interdit : le dépôt s'écrit "
        "groupe/projet, sans « / » en trop ni « . » ou « .. » (reçu « ../../admin »)",
    ),
    "branche-remontant-les-dossiers": Case(
        edit("site.yml", "demonstration: true", EDITION.format(depot="a/b") + "\n  branche: ../.."),
        "site.yml:13: champ « edition.branche » : un nom de branche ne contient pas « .. » (reçu "
        "« ../.. ») : écrivez le nom de la branche, par exemple main",
    ),
    "forge-port-hors-limites": Case(
        edit(
            "site.yml",
            "demonstration: true",
            EDITION.format(depot="a/b") + "\n  url_forge: https://gitlab.exemple.org:99999",
        ),
        "site.yml:13: champ « edition.url_forge » : port invalide dans « gitlab.exemple.org:99999 » "
        ": un numéro de port va de 1 à 65535",
    ),
    "forge-en-http": Case(
        edit(
            "site.yml",
            "demonstration: true",
            EDITION.format(depot="a/b") + "\n  url_forge: http://gitlab.exemple.org",
        ),
        "site.yml:13: champ « edition.url_forge » : doit commencer par https:// (reçu "
        "« http://gitlab.exemple.org ») : l'éditeur ne joint une forge qu'en https://, même pour "
        "un essai",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_gets_a_precise_french_error(
    name: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES[name]
    case.setup(project)
    assert main(["--racine", str(project), "check"]) == 1
    err = capsys.readouterr().err
    assert case.expected in err.splitlines(), err
    assert "Traceback" not in err
    assert err.rstrip().endswith("(aucun site n'a été écrit).")


def test_values_at_the_limits_are_accepted(project: Path) -> None:
    """Negative control of the limits above: the largest accepted values build."""
    add_to_action(
        "calendrier:\n  debut: 1900\n  fin: 2100-12-31\n"
        "budget:\n  - financeur: Région\n    montant: 1e12\n    statut: acquis\n"
        "indicateurs:\n  - nom: Emplois\n    type: résultat\n    cible: 0\n    valeur: -3\n"
        "filieres: [Métallurgie, Chimie]"
    )(project)
    assert main(["--racine", str(project), "check", "--rapide"]) == 0


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.lent
@pytest.mark.parametrize("name", ["octets-non-utf8", "alias-yaml-exponentiel", "url-javascript"])
def test_build_refuses_bad_input_without_output(name: str, project: Path) -> None:
    """Through the real build: exit 1, the error, no traceback, no site/ and no temp folder."""
    CASES[name].setup(project)
    result = ti_inprocess("build", cwd=project)
    assert result.returncode == 1
    assert CASES[name].expected in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not (project / "site").exists()
    assert not list(project.glob(".site-*"))
    assert not Path("/tmp/ti-pirate").exists()


# The refusals of invisible characters, look-alike names, tricked addresses and editor
# settings, together in one project: check and build list the same lines and exit 1, and the
# build leaves the previous site as it was.
TOGETHER = (
    "inversion-du-sens-dans-un-titre",
    "isolement-bidi-dans-le-texte",
    "nom-sosie-d-un-autre-territoire",
    "adresse-en-http",
    "depot-remontant-les-dossiers",
)


@pytest.mark.lent
def test_check_and_build_agree_and_keep_the_previous_site(project: Path) -> None:
    build_site(project)  # the previous site, in site/
    before = {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in (project / "site").rglob("*")
        if p.is_file()
    }
    for name in TOGETHER:
        CASES[name].setup(project)
    check = ti_inprocess("check", cwd=project)
    build = ti_inprocess("build", cwd=project)
    for result in (check, build):
        assert result.returncode == 1
        assert "Traceback" not in result.stdout + result.stderr
        for name in TOGETHER:
            assert CASES[name].expected in result.stderr.splitlines(), (name, result.stderr)
    problems = [
        line for line in check.stderr.splitlines() if line.startswith(("territoires/", "site"))
    ]
    assert problems == [line for line in build.stderr.splitlines() if line in problems]
    assert "le site précédent est conservé" in build.stdout + build.stderr
    after = {
        p.relative_to(project).as_posix(): p.read_bytes()
        for p in (project / "site").rglob("*")
        if p.is_file()
    }
    assert after == before
    assert not list(project.glob(".site-*"))


def test_errors_are_capped_per_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Thousands of wrong values give a readable report, not thousands of lines."""
    items = "\n".join(f"  - porteur{i}: x" for i in range(2000))
    add_to_action("depenses:\n" + items)(project)
    assert main(["--racine", str(project), "check"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) < 40
    assert any("… et " in line and "autres problèmes dans ce fichier" in line for line in lines)


@pytest.mark.lent
def test_crlf_line_endings_and_bom_are_accepted(project: Path) -> None:
    path = project / ACTION
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert main(["--racine", str(project), "check"]) == 0


# --- the command line itself: help, usage and errors in French ---------------------------------
# argparse's own English (its gettext sentences), as it would print them
ARGPARSE_ENGLISH = (
    "usage:",
    "positional arguments",
    "options:",
    "show this help message",
    "unrecognized arguments",
    "invalid choice",
    "choose from",
    "the following arguments are required",
    "expected one argument",
    "invalid int value",
    "ambiguous option",
    "error:",
)
COMMANDS = (
    "check",
    "build",
    "serve",
    "nouvelle-lettre",
    "epci",
    "nouveau-territoire",
    "retirer-exemples",
    "exporter",
    "schema",
)
WRONG_COMMAND_LINES = {
    ("build", "--inconnue"): "ti build : erreur : option inconnue « --inconnue »",
    ("build", "--sans-cahce"): "vouliez-vous dire « --sans-cache » ?",
    ("nouveau-territoire", "x", "--nmo", "X"): (
        "ti nouveau-territoire : erreur : option inconnue « --nmo » : vouliez-vous dire « --nom » ?\n"
    ),
    ("build", "--moteur", "mkdoc"): (
        "ti build : erreur : --moteur : choix inconnu (reçu « mkdoc ») : vouliez-vous dire "
        "« mkdocs » ? Choix possibles : « mkdocs », « properdocs »"
    ),
    ("biuld",): "commande inconnue (reçu « biuld ») : vouliez-vous dire « build » ?",
    (): "ti : erreur : il manque : COMMANDE",
    ("epci",): "ti epci : erreur : il manque : texte",
    ("epci", "Douai", "--nombre"): "ti epci : erreur : --nombre : il manque sa valeur",
    ("epci", "Douai", "--nombre", "dix"): (
        "--nombre : doit être un nombre entier supérieur ou égal à 1 (reçu « dix »)"
    ),
    ("build", "--s"): "option ambiguë « --s » : écrivez-la en entier",
    ("build", "--processus-images", "0"): "doit être un nombre entier de 1 à 64 (reçu « 0 »)",
}


def _command_line_output(project: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Everything ``ti`` prints for every command's help and for the wrong command lines."""
    printed = []
    for args in [("--help",), *((command, "--help") for command in COMMANDS)]:
        assert main(["--racine", str(project), *args]) == 0, args
        out = capsys.readouterr()
        printed.append(out.out + out.err)
    for args in WRONG_COMMAND_LINES:
        assert main(["--racine", str(project), *args]) == 1, args
        out = capsys.readouterr()
        printed.append(out.out + out.err)
    return "\n".join(printed)


def test_the_command_line_speaks_french(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = _command_line_output(project, capsys)
    for english in ARGPARSE_ENGLISH:
        assert english not in output, english
    assert "Utilisation : ti build [-h]" in output and "affiche cette aide" in output
    assert "commandes :" in output and "options :" in output
    for expected in WRONG_COMMAND_LINES.values():
        assert expected in output, expected
    assert "Corrigez la commande ; la liste de ses options : ti build --help" in output
    assert "Traceback" not in output


def test_plain_argparse_prints_english(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: without the French catalogue and parser, argparse's English shows."""
    import argparse
    import contextlib

    import tisite.cli.commands

    monkeypatch.setattr(tisite.cli.commands, "french", contextlib.nullcontext)
    monkeypatch.setattr(tisite.cli.commands, "FrenchParser", argparse.ArgumentParser)
    printed = []
    for args in [("--help",), ("build", "--help"), ("build", "--x"), ("build", "--moteur", "x")]:
        main(["--racine", str(project), *args])
        out = capsys.readouterr()
        printed.append(out.out + out.err)
    output = "\n".join(printed)
    for english in ("usage:", "show this help message", "unrecognized arguments", "choose from"):
        assert english in output, english


def test_every_sentence_of_argparse_has_its_french() -> None:
    """A new Python may add sentences to argparse: each must be in the catalogue."""
    import argparse
    import ast

    from tisite.cli.argparse_fr import CATALOGUE

    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    sentences = {
        arg.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"_", "ngettext"}
        for arg in node.args
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
    }
    assert len(sentences) > 30
    assert sentences <= set(CATALOGUE), sentences - set(CATALOGUE)


@pytest.mark.parametrize("count", ["-1", "0"])
def test_epci_refuses_a_number_of_results_below_one(
    count: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tisite.content.reference import load_reference

    assert main(["--racine", str(project), "epci", "Douai", "--nombre", count]) == 1
    err = capsys.readouterr().err
    assert (
        f"ti epci : erreur : --nombre : doit être un nombre entier supérieur ou égal à 1 (reçu "
        f"« {count} »)"
    ) in err
    assert "Aucune intercommunalité" not in err
    # negative control: such a number finds nothing, although Douai exists
    assert load_reference().search("Douai", limit=int(count)) == []
    assert main(["--racine", str(project), "epci", "Douai", "--nombre", "1"]) == 0
    assert "Douaisis" in capsys.readouterr().out


def test_a_broken_action_still_exists_for_the_actions_that_link_to_it(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An action missing « resume » is one error, in its own file: the action that links to it
    gets no « action inconnue » (the file is there)."""
    from tisite.content import loader

    target = f"{HDC}/actions/projets-de-territoire.md"
    path = project / target
    text = path.read_text(encoding="utf-8")
    start = text.index("resume: >-")
    path.write_text(text[:start] + text[text.index("axe:", start) :], encoding="utf-8")
    assert "projets-de-territoire" in (
        project / HDC / "actions/industrie-bas-carbone.md"
    ).read_text(encoding="utf-8")
    assert main(["--racine", str(project), "check", "--rapide"]) == 1
    errors = [
        line for line in capsys.readouterr().err.splitlines() if ": avertissement" not in line
    ]
    assert errors == [
        f"{target}:3: champ « resume » : champ obligatoire manquant : Résumé en une ou deux "
        "phrases",
        "1 erreur dans le contenu : corrigez les fichiers indiqués puis relancez ; les liens "
        "entre les pages seront vérifiés ensuite (aucun site n'a été écrit).",
    ]
    # negative control: without the broken actions counted, the false second error comes back
    original = loader._check_actions
    monkeypatch.setattr(
        loader,
        "_check_actions",
        lambda t, loaded, problems, broken: original(t, loaded, problems, set()),
    )
    assert main(["--racine", str(project), "check", "--rapide"]) == 1
    assert "action inconnue (reçu « projets-de-territoire »)" in capsys.readouterr().err
