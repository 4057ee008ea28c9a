"""MkDocs hooks: wire the ``tisite`` core into a MkDocs build. Thin on purpose.

Hook modules stay loaded across ``mkdocs serve`` rebuilds: all state is reset in on_config.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from tisite.build import SiteBuild
from tisite.errors import ContentError

log = logging.getLogger("mkdocs.hooks.territoires")
_state: dict[str, Any] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _state.clear()
    root = Path(config.config_file_path).parent
    only = os.environ.get("TI_TERRITOIRE") or None
    drafts = os.environ.get("TI_BROUILLONS") == "1"
    try:
        build = SiteBuild.load(root, only=only, drafts=drafts, site_url=config.site_url)
    except ContentError as exc:
        raise PluginError("contenu invalide :\n" + exc.report()) from None
    if not config.site_url:
        raise PluginError(
            "mkdocs.yml : « site_url » est obligatoire : indiquez l'adresse publique du site "
            "(par exemple https://mon-territoire.example.org/). Elle sert aux aperçus LinkedIn, "
            "aux flux RSS, aux versions courriel et au plan du site."
        )
    for warning in build.site.warnings:
        log.info(warning.format())
    _state["build"] = build
    config.extra["ti"] = build.theme_settings(docs_dir=Path(config.docs_dir))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    build: SiteBuild = _state["build"]
    for page in build.pages:
        files.append(File.generated(config, page.path, content=page.content))
    for path, content in build.assets:
        files.append(File.generated(config, path, content=content))
    config.nav = build.nav(docs_dir=Path(config.docs_dir))
    page_urls = [f.url for f in files.documentation_pages()]
    try:
        new = build.check_urls(build.produced_urls(page_urls))
    except ContentError as exc:
        raise PluginError("adresses publiées :\n" + exc.report()) from None
    if new:
        log.info(
            f"{len(new)} adresse(s) pas encore dans urls-publiees.txt (ajoutées par `ti build`)."
        )
    return files


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any
) -> dict[str, Any]:
    build: SiteBuild = _state["build"]
    page.meta["ti_og"] = build.open_graph(
        page.file.src_uri,
        page.url,
        page.title or "",
        page.meta,
        page.canonical_url,
        config.site_url,
        Path(config.docs_dir),
    )
    return context


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    build: SiteBuild = _state["build"]
    return build.postprocess_html(page.file.src_uri, html)


def on_post_build(config: MkDocsConfig) -> None:
    build: SiteBuild = _state["build"]
    build.write_artefacts(Path(config.site_dir))
    stats = build.social_stats
    log.info(f"Images de partage : {stats['drawn']} dessinée(s), {stats['cached']} en cache.")
