"""The engine that turns the generated source into HTML: MkDocs 1.6 (by default) or ProperDocs
1.6 (its maintained continuation), both with Material for MkDocs and the same hooks.

With ``hooks/mkdocs_hooks.py``, the only code of the project that imports an engine, and only
inside the functions below: the rest of ``tisite`` is the engine-free core.

``ti build`` and ``ti serve`` run ``python -m tisite.adapters.engine <moteur> <options JSON>
<arguments of the engine's own command>``: the options become the build settings of that process
(``tisite.settings``), then the engine's command line runs as if typed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tisite import settings

ENGINES = ("mkdocs", "properdocs")
DEFAULT = "mkdocs"
# ``ti serve`` gives its engine's process its own process number under this name: the engine
# then stops with it (adapters.enginewatch.under_ti).
PARENT_VARIABLE = "TI_SERVE_PID"
# How ``ti`` stops its engine: as Ctrl+C does in the engine's process (enginewatch.stop_on_signal),
# but by a signal that a process started in the background does not ignore.
STOP_SIGNAL = signal.SIGTERM


def available(engine: str) -> bool:
    return importlib.util.find_spec(engine) is not None


def command(engine: str, options: Mapping[str, Any], arguments: list[str]) -> list[str]:
    """The command line of an engine's process that builds with these options."""
    given = json.dumps(dict(options), ensure_ascii=False)
    return [sys.executable, "-m", "tisite.adapters.engine", engine, given, *arguments]


def environment() -> dict[str, str]:
    """The engines' process environment: without their English banners (MkDocs 2, ProperDocs)."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def select(engine: str) -> None:
    """Make ``import mkdocs`` (ours, Material's) the chosen engine. ProperDocs answers the
    ``mkdocs.*`` imports itself once its ``replacement`` module is imported."""
    if engine not in ENGINES:
        raise SystemExit(f"moteur inconnu « {engine} » : {' ou '.join(ENGINES)}")
    if engine == "properdocs":
        import properdocs.replacement  # noqa: F401


class BuildAborted(Exception):
    """The engine stopped the build (its message: ours, in French, or the engine's own)."""


def render(root: Path, site_dir: Path, engine: str = DEFAULT) -> bool:
    """The engine's stage of the pipeline: a strict build of the prepared site by MkDocs or
    ProperDocs (their hooks take it from tisite.pipeline); returns whether it logged no
    warning. Raises BuildAborted when the engine stops."""
    import logging

    select(engine)
    from mkdocs.commands.build import build as build_site
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException
    from mkdocs.utils import CountHandler

    counter = CountHandler(level=logging.WARNING)
    logger = logging.getLogger(engine)
    logger.addHandler(counter)
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
        build_site(config)
    except MkDocsException as exc:
        raise BuildAborted(str(exc)) from None
    finally:
        logger.removeHandler(counter)
    return not counter.get_counts()


def theme_problems(root: Path, engine: str = DEFAULT) -> list[Any]:
    """What mkdocs.yml gives the theme that it cannot show safely (themefiles), as the hooks
    check it when they build: for ``ti exporter``, whose export runs no hook of ours."""
    select(engine)
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from tisite.adapters import themefiles
    from tisite.content.errors import Problem

    try:
        config = load_config(str(root / "mkdocs.yml"))
    except MkDocsException as exc:  # its settings' errors, printed in French by buildlog
        return [Problem("mkdocs.yml", None, None, f"réglages refusés par le moteur : {exc}")]
    return themefiles.problems(
        config.theme,
        config.theme.dirs,
        Path(config.docs_dir),
        (root / "mkdocs.yml").read_text(encoding="utf-8"),
        config,
    )


def main(argv: list[str] | None = None) -> None:
    arguments = sys.argv[1:] if argv is None else argv
    if len(arguments) < 2:
        raise SystemExit(
            "usage : python -m tisite.adapters.engine <moteur> <options JSON> <arguments>"
        )
    engine, options, *rest = arguments
    select(engine)  # first: ProperDocs answers the imports of ``mkdocs`` from now on
    from tisite.adapters.enginewatch import under_ti

    under_ti()  # before the first build: ``ti`` may be gone before it is over
    settings.give(json.loads(options))
    os.environ.update({k: v for k, v in environment().items() if "MKDOCS_2" in k})
    from mkdocs.__main__ import cli

    cli.main(args=rest, prog_name=engine)


if __name__ == "__main__":  # the engine's process of ``ti serve`` (see command)
    from tisite.memo import collect_less

    collect_less()
    main()
