"""The build reads only the repository: links and special files in the content are refused.

A symbolic link committed in ``territoires/`` or ``docs/`` (a letter, an image, a whole
territory, the folder itself) would otherwise publish whatever it points to:
``/proc/self/environ`` (the build's environment, secrets included in CI), ``.git/config``
(where CI checkouts keep their token), a file of the home folder, a draft. No link is accepted;
a pipe, socket or device file is never read (it would hang the build).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from tisite.content import sources
from tisite.content.errors import Problem


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _link_problem(root: Path, path: Path) -> Problem:
    """Every symbolic link is refused: content is files, and a link, even one that stays in the
    repository, can publish what was never meant to be (a draft, ``.git/config``)."""
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    return Problem(
        _rel(root, path),
        None,
        None,
        f"lien symbolique (vers « {target} ») refusé : le contenu du site est fait de fichiers "
        "ordinaires ; remplacez le lien par une copie du fichier",
    )


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


def _docs_dir(root: Path) -> str:
    """mkdocs.yml's docs_dir (the pages MkDocs reads), « docs » when it can't be read (the
    configuration's own check says why)."""
    from tisite.settings import engine_config

    try:
        return engine_config(root)["docs_dir"]
    except Exception:
        return sources.DOCS


def unsafe_entries(root: Path) -> list[Problem]:
    """Problems for every link and every special file in the content folders (and for the
    folders and root files themselves). Links are never followed."""
    root = root.resolve()
    problems: list[Problem] = []
    paths = [root / name for name in sources.ROOT_FILES]
    docs = _docs_dir(root)
    if not (root / docs).resolve().is_relative_to(root):
        problems.append(
            Problem(
                sources.ENGINE,
                None,
                "docs_dir",
                f"le dossier des pages « {ascii(docs)[1:-1]} » est hors du projet : la "
                "construction ne lit que le dépôt ; indiquez un dossier du projet (docs)",
            )
        )
        docs = sources.DOCS
    for folder in dict.fromkeys((*sources.CONTENT_FOLDERS, docs)):
        base = root / folder
        if not base.exists() and not base.is_symlink():
            continue
        paths.append(base)
        if base.is_symlink():
            continue
        for directory, dirs, files in os.walk(base, followlinks=False):
            here = Path(directory)
            paths += [here / name for name in dirs + files]
    for path in paths:
        try:
            mode = os.lstat(path).st_mode
        except FileNotFoundError:
            continue
        problem = (
            _link_problem(root, path) if stat.S_ISLNK(mode) else _special_problem(root, path, mode)
        )
        if problem is not None:
            problems.append(problem)
    return problems
