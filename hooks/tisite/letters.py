"""Load newsletter issues (lettres/<numero>.md) and the agenda they feed."""

from __future__ import annotations

import re
from pathlib import Path

from . import images, remote, schema
from .errors import Problem
from .models import AgendaEntry, Letter
from .textutil import line_of
from .validation import read_published, validate
from .yamlio import Source, read_yaml

NUMBER_RE = re.compile(r"[0-9]{1,4}")  # ASCII digits only: « １７ » or « ١٧ » is not 17
MD_IMAGE_RE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def body_images(body: str) -> list[str]:
    """Relative image paths referenced by Markdown images in a letter body."""
    return [m for m in MD_IMAGE_RE.findall(body) if not re.match(r"^[a-z]+:|^/|^#", m, re.I)]


def _image_line(source: Source, relpath: str, cover: bool) -> int | None:
    """Line of the reference to ``relpath``: the ``image`` field, or its first use in the body."""
    if cover:
        return source.line_of(("image",))
    return line_of(source.body, relpath, source.body_line)


def _check_image(
    folder: Path, relpath: str, source: Source, problems: list[Problem], cover: bool
) -> bool:
    rel = relpath.replace("\\", "/")
    line = _image_line(source, relpath, cover)
    field = "image" if cover else None
    path = (folder / rel).resolve()
    if folder.resolve() not in path.parents:
        problems.append(
            Problem(source.rel, line, field, f"image « {relpath} » hors du dossier lettres/")
        )
        return False
    if not path.is_file():
        problems.append(
            Problem(
                source.rel,
                line,
                field,
                f"image introuvable : « {relpath} » (placez le fichier dans le dossier lettres/ "
                "et vérifiez l'orthographe, majuscules comprises)",
            )
        )
        return False
    refused = images.problem(path, relpath)
    if refused:
        problems.append(Problem(source.rel, line, field, refused))
        return False
    return True


LETTER_NAME = (
    NUMBER_RE,
    "une lettre s'appelle par son numéro, par exemple « 14.md » (il devient l'adresse "
    "/lettres/14/)",
)


def load_letters(
    root: Path, directory: Path, problems: list[Problem], drafts: bool, rel_of
) -> tuple[Letter, ...]:  # type: ignore[no-untyped-def]
    folder = directory / "lettres"
    if not folder.is_dir():
        return ()
    letters: list[Letter] = []
    for path in sorted(folder.iterdir()):
        if path.is_dir() and path.suffix.lower() == ".md":
            problems.append(
                Problem(
                    rel_of(root, path),
                    None,
                    None,
                    "ce dossier porte un nom de lettre : une lettre est un fichier .md ; "
                    "renommez ou supprimez le dossier",
                )
            )
            continue
        if path.is_dir() or path.name.startswith(".") or path.suffix.lower() != ".md":
            continue  # images and other assets placed next to the letters
        rel = rel_of(root, path)
        read = read_published(path, rel, schema.Lettre, problems, drafts, LETTER_NAME)
        if read is None:
            continue
        source, data = read
        problems += remote.problems_in(source.body, rel, source.body_line, None, True, True)
        wanted = [(data.image, True)] if data.image else []
        wanted += [(i, False) for i in body_images(source.body)]
        found = tuple(
            dict.fromkeys(
                i for i, cover in wanted if _check_image(folder, i, source, problems, cover)
            )
        )
        letters.append(
            Letter(int(path.stem), directory.name, data, source.body.strip(), rel, folder, found)
        )
    numbers = [x.numero for x in letters]
    for dup in sorted({n for n in numbers if numbers.count(n) > 1}):
        problems.append(
            Problem(
                f"{rel_of(root, folder)}",
                None,
                None,
                f"deux fichiers portent le numéro {dup} (par exemple « {dup}.md » et "
                f"« 0{dup}.md ») : gardez-en un",
            )
        )
    return tuple(sorted(letters, key=lambda x: (x.date, x.numero), reverse=True))


def _entries(
    slug: str, calls: list[schema.AppelAProjets], events: list[schema.Evenement], letter: int | None
) -> list[AgendaEntry]:
    out = [
        AgendaEntry(
            "appel",
            c.titre,
            c.date_limite,
            None,
            None,
            c.lien,
            c.description,
            c.operateur,
            letter,
            slug,
        )
        for c in calls
        if c.date_limite is not None
    ]
    out += [
        AgendaEntry(
            "evenement", e.titre, e.date, e.fin, e.lieu, e.lien, e.description, None, letter, slug
        )
        for e in events
    ]
    return out


def load_agenda(
    root: Path, directory: Path, letters: tuple[Letter, ...], problems: list[Problem], rel_of
) -> tuple[AgendaEntry, ...]:  # type: ignore[no-untyped-def]
    slug = directory.name
    entries: list[AgendaEntry] = []
    for letter in letters:
        entries += _entries(
            slug, letter.data.appels_a_projets, letter.data.evenements, letter.numero
        )
    path = directory / "agenda.yml"
    if path.is_file():
        source, problem = read_yaml(path, rel_of(root, path))
        if problem:
            problems.append(problem)
        elif source is not None and (agenda := validate(schema.Agenda, source, problems)):
            entries += _entries(slug, agenda.appels_a_projets, agenda.evenements, None)
    return tuple(sorted(entries, key=lambda e: (e.day, e.titre)))
