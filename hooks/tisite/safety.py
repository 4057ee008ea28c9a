"""The build reads only the repository: links and special files in the content are refused.

A symbolic link committed in ``territoires/`` or ``docs/`` (a letter, an image, a whole
territory) would otherwise publish whatever it points to: ``/proc/self/environ`` (the build's
environment, secrets included in CI), ``.git/config`` (where CI checkouts keep their token), a
file of the home folder. A link is accepted only when it stays inside the content folders and
out of hidden folders; a pipe, socket or device file is never read (it would hang the build).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import Problem

CONTENT_FOLDERS = ("territoires", "docs")
ROOT_FILES = ("site.yml", "mkdocs.yml", "urls-publiees.txt")


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _link_problem(root: Path, path: Path) -> Problem | None:
    rel = _rel(root, path)
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return Problem(
            rel,
            None,
            None,
            f"lien symbolique cassé ou en boucle (vers « {os.readlink(path)} ») : remplacez-le "
            "par le fichier lui-même",
        )
    allowed = [(root / folder).resolve() for folder in CONTENT_FOLDERS]
    inside = next((base for base in allowed if target == base or base in target.parents), None)
    hidden = inside is not None and any(
        part.startswith(".") for part in target.relative_to(inside).parts
    )
    if inside is None or hidden:
        return Problem(
            rel,
            None,
            None,
            f"lien symbolique vers « {os.readlink(path)} », hors des dossiers de contenu du dépôt "
            f"({', '.join(CONTENT_FOLDERS)}) : il publierait un fichier qui n'est pas dans le "
            "dépôt ; remplacez le lien par une copie du fichier",
        )
    return None


def _special_problem(root: Path, path: Path, mode: int) -> Problem | None:
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return Problem(
        _rel(root, path),
        None,
        None,
        "fichier spécial (tube, socket ou périphérique) refusé : seuls les fichiers ordinaires "
        "sont lus ; supprimez-le",
    )


def unsafe_entries(root: Path) -> list[Problem]:
    """Problems for every link leaving the content folders and every special file under them.

    Links are not followed while walking: a linked folder is judged by its target.
    """
    root = root.resolve()
    problems: list[Problem] = []
    paths = [root / name for name in ROOT_FILES]
    for folder in CONTENT_FOLDERS:
        base = root / folder
        if not base.exists() and not base.is_symlink():
            continue
        paths.append(base)
        for directory, dirs, files in os.walk(base, followlinks=False):
            here = Path(directory)
            paths += [here / name for name in dirs + files]
    for path in paths:
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue
        if stat.S_ISLNK(mode):
            problem = _link_problem(root, path)
        else:
            problem = _special_problem(root, path, mode)
        if problem is not None:
            problems.append(problem)
    return problems
