"""What mkdocs.yml gives the theme (engine adapter), checked before the engine renders
anything, in French, on its line of mkdocs.yml:

- the logo and favicon: an image file the site has (MkDocs publishes a missing one as a
  broken image on every page, an absolute path or a template as it is written);
- the icons (``theme.icon.*``, nested ones included): icons the theme has (a mistyped one
  stopped the engine with a template error: « erreur système » and no line);
- the values the theme prints raw in every page (``repo_url``, ``repo_name``, ``extra.social``
  …): no quote nor « < » (``repo_url: 'https://x/"><meta http-equiv=refresh …>'`` sent every
  visitor to another site);
- no audience measurement (``extra.analytics``: another site's script in every visitor's
  browser).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader

from tisite.content.errors import Problem

CONFIG = "mkdocs.yml"
OWN_ASSETS = Path(__file__).resolve().parents[1] / "assets"  # published under assets/
ICON_EXAMPLE = "material/factory"
IMAGES = (".png", ".jpg", ".jpeg", ".svg", ".webp", ".gif", ".ico")
# What the theme prints raw in every page, from mkdocs.yml: addresses (in href) and texts
URL_SETTINGS = ("repo_url", "edit_uri", "extra.homepage", "extra.scope")
TEXT_SETTINGS = ("repo_name", "extra.consent.title", "extra.consent.description")
# Characters that would end an attribute or open an element where the theme prints a value
_UNSAFE_URL = re.compile(r"[\"'<>`\s\x00-\x1f\x7f]")
_UNSAFE_TEXT = re.compile(r"[\"'<>`&\x00-\x1f\x7f]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")


def problems(
    theme: Mapping[str, Any],
    theme_dirs: Sequence[str],
    docs_dir: Path,
    config_text: str,
    config: Mapping[str, Any] | None = None,
) -> list[Problem]:
    """What mkdocs.yml names and the site cannot show safely: ``theme.logo`` and
    ``theme.favicon``, ``theme.icon.*``, and (``config``: the whole configuration) the
    values the theme prints raw and an audience measurement."""
    found: list[Problem] = []
    dirs = [Path(d) for d in theme_dirs]
    docs = docs_dir.name or "docs"
    for key in ("logo", "favicon"):
        value = theme.get(key)
        if value is None or value == "":
            continue
        message = _image_problem(value, docs_dir, dirs, docs)
        if message is not None:
            line = _line(config_text, key, value) if isinstance(value, str) else None
            found.append(Problem(CONFIG, line, f"theme.{key}", message))
    for field, value in _icons(theme.get("icon"), "theme.icon"):
        if isinstance(value, str) and ".." not in value and _exists(f".icons/{value}.svg", dirs):
            continue
        shown = value if isinstance(value, str) else "une liste ou un ensemble"
        found.append(
            Problem(
                CONFIG,
                _line(config_text, field.rsplit(".", 1)[-1], str(value)),
                field,
                f"icône « {shown} » inconnue du thème : écrivez le nom d'une icône de "
                f"Material for MkDocs (par exemple « {ICON_EXAMPLE} », une usine), ou "
                "retirez la ligne",
            )
        )
    if config is not None:
        found += _printed_raw(config, config_text)
    return found


def _image_problem(value: object, docs_dir: Path, dirs: list[Path], docs: str) -> str | None:
    """Why a logo or favicon cannot be shown (None: it can)."""
    if not isinstance(value, str):
        return "doit être le nom d'un fichier image (par exemple « logo.png »)"
    if _SCHEME.match(value) or value.startswith("//"):
        return (
            f"« {value} » est une adresse : le site ne charge rien d'un autre site ; placez "
            f"l'image dans {docs}/ et écrivez son nom (par exemple « logo.png »)"
        )
    parts = Path(value).parts
    if (
        value.startswith("/")
        or ".." in parts
        or any(part.startswith(".") for part in parts)
        or Path(value).suffix.lower() not in IMAGES
        or _UNSAFE_URL.search(value)
    ):
        return (
            f"« {value} » : écrivez le nom d'une image (PNG, JPEG, SVG, WebP, GIF ou ICO) "
            f"placée dans {docs}/, à partir de ce dossier (« logo.png » pour {docs}/logo.png), "
            "sans « / » au début, sans « .. » ni nom commençant par « . »"
        )
    if _exists(value, [docs_dir, *dirs]) or _own_asset(value):
        return None
    inside = value.removeprefix(f"{docs}/")
    if inside != value and _exists(inside, [docs_dir]):
        return f"« {value} » : le nom part du dossier {docs}/, écrivez « {inside} »"
    return (
        f"image « {value} » introuvable : placez-la dans {docs}/ ({docs}/{value}) ou "
        "corrigez son nom"
    )


def _icons(value: object, field: str) -> list[tuple[str, object]]:
    """Every icon named under ``theme.icon`` (« logo », « admonition.note »…): (field, value)."""
    if isinstance(value, Mapping):
        return [pair for key, inner in value.items() for pair in _icons(inner, f"{field}.{key}")]
    return [] if value is None or field == "theme.icon" else [(field, value)]


def _printed_raw(config: Mapping[str, Any], text: str) -> list[Problem]:
    """The values of mkdocs.yml the theme prints raw that would not stay what they are."""
    found: list[Problem] = []
    extra = config.get("extra")
    extra = extra if isinstance(extra, Mapping) else {}
    if extra.get("analytics"):
        found.append(
            Problem(
                CONFIG,
                None,
                "extra.analytics",
                "une mesure d'audience charge le script d'un autre site dans le navigateur de "
                "chaque visiteur, et le site n'en charge aucun : retirez ce bloc",
            )
        )
    values: list[tuple[str, object, bool]] = [
        (name, _get(config, name), name in URL_SETTINGS) for name in URL_SETTINGS + TEXT_SETTINGS
    ]
    for list_name in ("social", "alternate"):
        items = extra.get(list_name)
        for index, item in enumerate(items if isinstance(items, list) else []):
            for key, value in item.items() if isinstance(item, Mapping) else ():
                values.append((f"extra.{list_name}[{index + 1}].{key}", value, key == "link"))
    status = extra.get("status")
    for key, value in status.items() if isinstance(status, Mapping) else ():
        values.append((f"extra.status.{key}", value, False))
    for field, value, is_url in values:
        if value is None or value == "":
            continue
        written = str(value)
        if is_url:
            scheme = _SCHEME.match(written)
            safe = _UNSAFE_URL.search(written) is None and (
                scheme is None or scheme[1].lower() in ("http", "https", "mailto")
            )
        else:
            safe = _UNSAFE_TEXT.search(written) is None
        if safe:
            continue
        found.append(
            Problem(
                CONFIG,
                _line(text, field.rsplit(".", 1)[-1], written),
                field,
                (
                    "adresse écrite telle quelle dans chaque page par le thème : écrivez une "
                    "adresse https://… sans espace, guillemet, « < » ni « > »"
                    if is_url
                    else "texte écrit tel quel dans chaque page par le thème : retirez les "
                    "guillemets, « < », « > », « & » et « ` »"
                ),
            )
        )
    return found


def _get(config: Mapping[str, Any], dotted: str) -> object:
    value: object = config
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value


def _exists(relative: str, folders: Sequence[Path]) -> bool:
    if ".." in Path(relative).parts:
        return False
    return any((folder / relative).is_file() for folder in folders)


def _own_asset(relative: str) -> bool:
    rest = relative.removeprefix("assets/")
    return rest != relative and _exists(rest, [OWN_ASSETS])


def _line(text: str, key: str, value: str) -> int | None:
    """The line of mkdocs.yml that gives ``key`` this value (quoted or not), if one does."""
    key = re.sub(r"\[\d+\]$", "", key)
    pattern = re.compile(
        rf"^\s*(?:-\s+)?{re.escape(key)}\s*:\s*['\"]?{re.escape(value)}['\"]?\s*(#.*)?$"
    )
    for number, line in enumerate(text.splitlines(), 1):
        if pattern.match(line):
            return number
    return None


class _VisibleFiles(FileSystemLoader):
    """The theme's templates, listed without hidden files and folders.

    The engine lists every file of the theme's folders to publish its static files, then
    leaves out each name with a part starting with « . » (MkDocs' own filter: « .* »,
    « */.* »). Material's ``.icons`` folder alone holds some ten thousand icons (included by
    name, never published as files): walking and filtering them cost a third of a small
    site's engine stage. Not listing them gives the same files."""

    def list_templates(self) -> list[str]:
        found = set()
        for searchpath in self.searchpath:
            for folder, folders, names in os.walk(searchpath, followlinks=self.followlinks):
                folders[:] = [name for name in folders if not name.startswith(".")]
                under = Path(folder).relative_to(searchpath).as_posix()
                for name in names:
                    if not name.startswith("."):
                        found.add(name if under == "." else f"{under}/{name}")
        return sorted(found)


def list_visible_only(theme: Any) -> None:
    """The theme's environments (``theme.get_env``) list its files without the hidden ones."""
    make_env = theme.get_env
    if getattr(make_env, "__name__", "") == "env_listing_visible_files":
        return  # (done for this theme already)

    def env_listing_visible_files() -> Environment:
        env = make_env()
        loader = env.loader
        if type(loader) is FileSystemLoader:  # (another loader is left as it is)
            env.loader = _VisibleFiles(loader.searchpath, loader.encoding, loader.followlinks)
        return env

    theme.get_env = env_listing_visible_files
