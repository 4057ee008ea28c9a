"""Start a territory, find an EPCI, remove the example territories: what a chef de projet does
first, without knowing the files by heart (``ti nouveau-territoire``, ``ti epci``,
``ti retirer-exemples``)."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tisite import urls
from tisite.content import sources
from tisite.content.errors import ContentError, Problem
from tisite.content.loader import (
    RESERVED,
    SLUG_RE,
    load_site,
    reserved_names,
    territory_dirs,
)
from tisite.content.reference import EpciRef, load_reference
from tisite.generate.textutil import identifier_like, number
from tisite.publish import registry

# The territories shipped as examples (removed by ``ti retirer-exemples``).
EXAMPLES = ("grand-chatellerault", "hainaut-douaisis-cambresis")


class ScaffoldError(Exception):
    """A French message for the person at the terminal (no traceback)."""


def epci_line(e: EpciRef) -> str:
    reference = load_reference()
    departements = ", ".join(f"{reference.departement_name(c)} ({c})" for c in e.departements)
    return (
        f"{e.siren}  {e.nom} — {e.type}, {departements}, {number(len(e.communes))} communes, "
        f"{number(e.population)} habitants"
    )


def find_epci(text: str) -> EpciRef:
    """One EPCI from a SIREN or an unambiguous name; else a message listing the candidates."""
    reference = load_reference()
    digits = "".join(text.split())
    if digits.isdigit() and len(digits) == 9:
        found = reference.get(digits)
        if found is None:
            raise ScaffoldError(f"SIREN {digits} inconnu du référentiel des EPCI.")
        return found
    matches = reference.search(text, limit=8)
    exact = [e for e in matches if _same(e.nom, text)]
    if len(exact) == 1 or len(matches) == 1:
        return exact[0] if exact else matches[0]
    if not matches:
        raise ScaffoldError(
            f"aucune intercommunalité ne correspond à « {text} » : essayez un autre mot du nom "
            "(ti epci <mot>)."
        )
    listed = "\n".join("  " + epci_line(e) for e in matches)
    raise ScaffoldError(
        f"plusieurs intercommunalités correspondent à « {text} » ; indiquez le SIREN de la "
        f"vôtre :\n{listed}"
    )


def _same(a: str, b: str) -> bool:
    from tisite.content.vocab import fold

    return fold(a).replace("-", " ") == fold(b).replace("-", " ")


def _quoted(value: str) -> str:
    """A YAML scalar on one line, always quoted (a name like « Oui » or « 2024 » stays text)."""
    return json.dumps(value, ensure_ascii=False)


@dataclass(frozen=True)
class NewTerritory:
    slug: str
    nom: str
    epcis: tuple[EpciRef, ...]


def check_slug(root: Path, slug: str) -> None:
    if not SLUG_RE.fullmatch(slug) or len(slug) > 80:
        better = identifier_like(slug) or "lacq-pau-tarbes"
        raise ScaffoldError(
            f"identifiant « {slug} » invalide : lettres minuscules sans accent, chiffres et "
            f"tirets (par exemple « {better} ») ; il devient l'adresse du territoire"
        )
    if slug in RESERVED or slug in reserved_names(root):
        raise ScaffoldError(
            f"« {slug} » est déjà l'adresse d'une page du site (/{slug}/) : choisissez un autre "
            "identifiant"
        )
    if sources.territory(root, slug).exists():
        raise ScaffoldError(f"le territoire « {slug} » existe déjà (territoires/{slug}/)")


def write_territory(root: Path, new: NewTerritory) -> list[Path]:
    """The three required files of a territory, every required field filled in, with the
    editor modelines and short French comments. Returns the files written.

    Nothing is written when ``ti check`` would refuse the new territory (ScaffoldError)."""
    check_slug(root, new.slug)
    files = territory_files(new)
    refused = problems_of_new_territory(root, new.slug, files)
    if refused:
        lines = "\n".join(f"  {_shown(p)}" for p in refused)
        fields = {(p.field or "").split(".")[0].split("[")[0] for p in refused}
        options = [f"--{f}" for f in ("nom", "epci") if f in fields]
        fix = f"Corrigez {' et '.join(options)}" if options else "Corrigez la commande"
        raise ScaffoldError(
            f"ti check refuserait ses fichiers, rien n'a été écrit :\n{lines}\n{fix} et relancez."
        )
    folder = root / sources.TERRITORIES / new.slug
    folder.mkdir(parents=True)
    written = []
    for name, text in files.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    for sub in ("actions", "lettres"):
        (folder / sub).mkdir()
    return written


def _shown(problem: Problem) -> str:
    """A problem as the scaffold reports it: the value received cut short (a name of 100,000
    characters is not printed back)."""
    line = problem.format()
    return line if len(line) <= 400 else line[:399] + "…"


def problems_of_new_territory(root: Path, slug: str, files: dict[str, str]) -> list[Problem]:
    """The errors ``ti check`` would report once ``files`` are written in territoires/<slug>/,
    and not before: the same loader runs on a temporary copy of what the checks between
    territories read (site.yml, urls-publiees.txt, every territory's own files), without then
    with the new territory. Nothing is written in ``root``."""
    with tempfile.TemporaryDirectory(prefix="ti-nouveau-territoire-") as tmp:
        copy = Path(tmp)
        for name in (sources.SITE, sources.REGISTRY):
            _copy_file(root / name, copy / name)
        (copy / sources.TERRITORIES).mkdir()
        for folder in territory_dirs(root):
            if folder.is_symlink():
                continue
            (copy / sources.TERRITORIES / folder.name).mkdir()
            for name in sources.TERRITORY_FILES:
                _copy_file(folder / name, copy / sources.TERRITORIES / folder.name / name)
        before = _errors(copy)
        folder = copy / sources.TERRITORIES / slug
        folder.mkdir()
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8")
        return [p for p in _errors(copy) if p not in before]


def _copy_file(source: Path, target: Path) -> None:
    if source.is_file() and not source.is_symlink():  # a link is refused by ti check anyway
        shutil.copyfile(source, target)


def _errors(root: Path) -> list[Problem]:
    try:
        load_site(root)
    except ContentError as exc:
        return exc.errors
    return []


def territory_files(new: NewTerritory) -> dict[str, str]:
    """The text of the three required files of a new territory, by file name."""
    epcis = "\n".join(
        f'  - siren: "{e.siren}"  # {e.nom} ({number(e.population)} habitants)' for e in new.epcis
    )
    return {
        sources.TERRITORY: f"""# yaml-language-server: $schema=../../schemas/territoire.schema.json
# Carte d'identité du territoire. Champs : page « Référence des champs » du guide.
nom: {_quoted(new.nom)}
# Présentation en une ou deux phrases (300 caractères au plus) : elle s'affiche sous le nom et
# dans les aperçus LinkedIn.
resume: >-
  À compléter : le territoire, ses filières, son ambition industrielle.
# Intercommunalités membres, par SIREN : les communes et la population en sont tirées.
epci:
{epcis}
# Contact générique (une fonction, pas une personne nommée), par exemple :
# contact:
#   fonction: Chef de projet Territoire d'industrie
#   structure: …
#   courriel: territoire-industrie@…
""",
        sources.PRIORITIES: """# yaml-language-server: $schema=../../schemas/priorites.schema.json
# Objectifs du territoire et priorités nationales auxquelles ils répondent
# (transition-ecologique, innovation, competences, foncier).
objectifs:
  - id: objectif-1  # identifiant stable : les fiches actions y renvoient
    titre: À compléter
    priorites: [competences]
""",
        sources.GOVERNANCE: """# yaml-language-server: $schema=../../schemas/gouvernance.schema.json
# Gouvernance : binôme élu-industriel, instances, chef de projet, partenaires. Tout est
# facultatif ; décommentez et complétez, par exemple :
# binomes:
#   - elu:
#       fonction: Président de …
#     industriel:
#       fonction: Directeur du site …
partenaires: []
""",
    }


# The national pages made from the territories' content (the dashboard, the action finder
# and its lists): a one-territory site has none.
NATIONAL_PAGES = ("tableau-de-bord", "actions")


def remove_examples(root: Path) -> tuple[list[str], list[str]]:
    """Remove the example territories and the addresses published with them; returns
    (folders, addresses).

    The examples' own addresses always go. The national pages made from their content (the
    action finder of their regions and priorities, the national dashboard) go too while the
    registry holds no territory of the site's own (a new copy of the project, which never
    published them); once the site has published its own territory, they stay, and redirect
    if they are no more. ``ti build`` records what the site publishes."""
    removed = []
    for slug in EXAMPLES:
        folder = sources.territory(root, slug)
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder)
            removed.append(f"territoires/{slug}/")
    if not removed:
        return [], []
    territories = sources.territories(root)
    if territories.is_dir() and not any(territories.iterdir()):
        # git keeps no empty folder: a clone would have no territoires/ (a portal's project
        # stays without territory of its own; MkDocs refuses a watched folder that is absent)
        (territories / ".gitkeep").write_text("", encoding="utf-8")
    examples = tuple(f"/{slug}/" for slug in EXAMPLES)
    national = tuple("/" + urls.TABLE[name].split("{", 1)[0] for name in NATIONAL_PAGES)
    addresses = {address for _, address in registry.published(root)}
    # a territory of the site's own, published: an address in one of its folders
    folders = tuple(f"/{d.name}/" for d in territory_dirs(root))
    own = bool(folders) and any(a.startswith(folders) for a in addresses)
    kept = {a for a in addresses if not a.startswith(examples)}
    if not own:  # nothing of its own published yet: the national pages were the examples'
        kept = {a for a in kept if not a.startswith(national)}
    return removed, registry.forget_all_but(root, kept)
