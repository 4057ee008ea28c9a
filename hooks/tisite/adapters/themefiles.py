"""The theme's own files named in mkdocs.yml (engine adapter): its logo and icon as image or
as one of the theme's icons, and its favicon. One that does not exist is refused before the
engine renders anything, in French, on its line of mkdocs.yml: MkDocs publishes a missing
logo as a broken image on every page, and a mistyped icon stops it with a template error
(« erreur système » and no line).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from tisite.content.errors import Problem

CONFIG = "mkdocs.yml"
OWN_ASSETS = Path(__file__).resolve().parents[1] / "assets"  # published under assets/
ICON_EXAMPLE = "material/factory"


def problems(
    theme: Mapping[str, Any], theme_dirs: Sequence[str], docs_dir: Path, config_text: str
) -> list[Problem]:
    """What mkdocs.yml's ``theme`` names and the site cannot find: ``logo`` and ``favicon``
    (a file of docs/, of the theme or of the site's own assets) and ``icon.*`` (an icon the
    theme has, « material/factory »)."""
    found: list[Problem] = []
    dirs = [Path(d) for d in theme_dirs]
    docs = docs_dir.name or "docs"
    for key in ("logo", "favicon"):
        value = theme.get(key)
        if not isinstance(value, str) or not value:
            continue
        if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value) or value.startswith("//"):
            message = (
                f"« {value} » est une adresse : le site ne charge rien d'un autre site ; "
                f"placez l'image dans {docs}/ et écrivez son nom (par exemple « logo.png »)"
            )
        elif _exists(value, [docs_dir, *dirs]) or _own_asset(value):
            continue
        else:
            message = (
                f"image « {value} » introuvable : placez-la dans {docs}/ (ici {docs}/{value}) "
                "ou corrigez son nom"
            )
        found.append(Problem(CONFIG, _line(config_text, key, value), f"theme.{key}", message))
    icons = theme.get("icon")
    for key, value in icons.items() if isinstance(icons, Mapping) else ():
        if not isinstance(value, str) or not value:
            continue
        if not _exists(f".icons/{value}.svg", dirs):
            found.append(
                Problem(
                    CONFIG,
                    _line(config_text, key, value),
                    f"theme.icon.{key}",
                    f"icône « {value} » inconnue du thème : écrivez le nom d'une icône de "
                    f"Material for MkDocs (par exemple « {ICON_EXAMPLE} », une usine), ou "
                    "retirez la ligne",
                )
            )
    return found


def _exists(relative: str, folders: Sequence[Path]) -> bool:
    if ".." in Path(relative).parts:
        return False
    return any((folder / relative).is_file() for folder in folders)


def _own_asset(relative: str) -> bool:
    rest = relative.removeprefix("assets/")
    return rest != relative and _exists(rest, [OWN_ASSETS])


def _line(text: str, key: str, value: str) -> int | None:
    """The line of mkdocs.yml that gives ``key`` this value (quoted or not), if one does."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*:\s*['\"]?{re.escape(value)}['\"]?\s*(#.*)?$")
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None
