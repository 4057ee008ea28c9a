"""The options of one build, validated in one place: what ``ti`` was asked, or mkdocs.yml says.

Two sources, the first that gives a value wins:

1. the options ``ti build``/``ti serve``/``ti check`` were given (``--territoire``,
   ``--brouillons``, ``--sans-cache``, ``--processus-images``), handed to the engine's process
   by ``tisite.adapters.engine`` (its command line, not environment variables);
2. the ``ti_construction`` block of mkdocs.yml's ``extra``, for whoever runs the engine
   (``mkdocs build``, ``properdocs serve``) without ``ti``.

No engine import: the hooks call :func:`for_build` with the configuration's ``extra``.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tisite.content.errors import ContentError, Problem
from tisite.content.validation import format_loc
from tisite.memo import Recent

BLOCK = "ti_construction"  # key of mkdocs.yml's « extra »


class BuildSettings(BaseModel):
    """What a build does beyond the content: one territory, drafts, caches, processes."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    territoire: str | None = Field(
        None, description="ne construire qu'un territoire (le nom de son dossier)"
    )
    brouillons: bool = Field(False, description="publier aussi les brouillons (aperçu)")
    programmees: bool = Field(
        False,
        description="publier aussi les lettres datées d'un jour à venir (`ti check` : la "
        "construction de leur jour est vérifiée dès maintenant)",
    )
    cache_pages: bool = Field(
        True, description="reprendre de .cache/pages les pages dont rien n'a changé"
    )
    moisson: bool = Field(
        True,
        description="un portail national récolte ses sources sur le réseau (sinon : les "
        "dernières copies de .cache/portail)",
    )
    processus_images: int | None = Field(
        None,
        ge=1,
        le=64,
        description="processus qui dessinent les images de partage (par défaut : un par "
        "processeur au-delà du premier)",
    )


_given: dict[str, Any] = {}  # the options of this process's `ti` command (see engine.main)


def give(options: Mapping[str, Any]) -> None:
    """Record the options ``ti`` gave this process (validated now: a typo stops here)."""
    _given.clear()
    _given.update(BuildSettings.model_validate(dict(options)).model_dump(exclude_unset=True))


@contextmanager
def given(**options: Any) -> Iterator[None]:
    """The options of one build made in this process (``ti check``, tests), then none."""
    saved = dict(_given)
    give(options)
    try:
        yield
    finally:
        _given.clear()
        _given.update(saved)


def _engine_yaml(text: str) -> dict[str, Any]:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.constructor.add_constructor(None, lambda loader, node: None)
    return yaml.load(text) or {}


_CONFIGS: Recent[dict[str, Any]] = Recent()


def engine_config(root: Path) -> dict[str, Any]:
    """What the core reads of mkdocs.yml (the engine's configuration): ``docs_dir``,
    ``site_url``, ``use_directory_urls``, ``extra`` and ``markdown_extensions``, read as plain
    YAML (the engine's own tags, such as ``!!python/name``, are not needed here)."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    # read once by text in a process that builds again (tisite.memo); a copy is given out
    config = copy.deepcopy(_CONFIGS.get(text, lambda: _engine_yaml(text)))
    return {
        "docs_dir": str(config.get("docs_dir") or "docs"),
        "site_url": config.get("site_url") or None,
        "use_directory_urls": config.get("use_directory_urls") is not False,
        "extra": config.get("extra") or {},
        "markdown_extensions": config.get("markdown_extensions") or [],
    }


def for_build(extra: Mapping[str, Any] | None) -> BuildSettings:
    """The settings of a build: ``ti``'s options over mkdocs.yml's ``extra.ti_construction``.

    Raises a ContentError naming mkdocs.yml, the field and the fix when the block is wrong.
    """
    block = (extra or {}).get(BLOCK) or {}
    if not isinstance(block, Mapping):
        raise ContentError(
            [
                Problem(
                    "mkdocs.yml",
                    None,
                    f"extra.{BLOCK}",
                    "doit être un ensemble de champs (territoire, brouillons, programmees, "
                    "cache_pages, processus_images, moisson)",
                )
            ]
        )
    try:
        return BuildSettings.model_validate({**block, **_given})
    except ValidationError as exc:
        raise ContentError([_problem(err) for err in exc.errors(include_url=False)]) from None


EXPECTED = {
    "territoire": "le nom du dossier d'un territoire, entre guillemets",
    "brouillons": "true ou false",
    "programmees": "true ou false",
    "cache_pages": "true ou false",
    "processus_images": "un nombre entier de 1 à 64",
    "moisson": "true ou false",
}


def _problem(err: Any) -> Problem:
    loc = [str(p) for p in err["loc"]]
    field = f"extra.{BLOCK}." + format_loc(loc)
    if err["type"] == "extra_forbidden":
        message = f"champ inconnu ; les champs possibles : {', '.join(EXPECTED)}"
    else:
        message = f"valeur refusée (reçu « {err.get('input')} ») : écrivez {EXPECTED[loc[0]]}"
    return Problem("mkdocs.yml", None, field, message)
