"""MkDocs hooks: wire the ``tisite`` core into a MkDocs (or ProperDocs) build. Thin on purpose.

The build, in the order the engine calls these events:

1. on_startup: remember whether this is the preview (``serve``);
2. on_config: load and validate the content, generate every page and file (SiteBuild.load);
3. on_files: hand the generated pages and files to the engine, plan the page cache, start
   drawing the social images, check that no published address disappears;
4. on_env: share the compiled templates' cache with the theme;
5. per page: on_page_context (sharing tags, escaped metadata, search filters), then
   on_page_content (the HTML cleaned), then on_post_page (security policy, page cache);
6. on_post_template: security policy of the theme's own pages (404, sitemap);
7. on_post_build: linked files, social images, web editor, search index.

Hook modules stay loaded across ``mkdocs serve`` rebuilds: all state is reset in on_config.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import mkdocs
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import CountHandler

from tisite import settings
from tisite.build import SiteBuild, escape_page_meta, escape_theme_config
from tisite.buildlog import french
from tisite.csp import protect, theme_scripts
from tisite.errors import ContentError
from tisite.pagecache import PLACEHOLDER_TEMPLATE
from tisite.preview import preview_error_page
from tisite.searchindex import Indexing, missing_from_index
from tisite.sharing import SharedPage
from tisite.textutil import agree, plural

# « mkdocs » is ProperDocs' own package under ProperDocs (see tisite.engine): its loggers too
ENGINE = mkdocs.__name__
log = logging.getLogger(f"{ENGINE}.hooks.territoires")
IMAGES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
_state: dict[str, Any] = {}
_command = {"preview": False}  # set once per process by on_startup


def on_startup(*, command: str, dirty: bool) -> None:
    """Once per process: the preview allows the live-reload script."""
    # `mkdocs serve` injects an inline live-reload script: the preview's policy allows it.
    _command["preview"] = command == "serve"


class _French(logging.Filter):
    """MkDocs' messages about the links of a page, in French, naming the source file and line.

    The record keeps its level: a broken link still fails a strict build.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        build: SiteBuild | None = _state.get("build")
        if build is not None:
            text = french(record.getMessage(), build.locate)
            if text is not None:
                record.msg, record.args = text, ()
        return True


_FRENCH = _French()
# MkDocs loads this file again for every build of a process (ti serve's rebuilds, tests): the
# filter of a previous load would rewrite messages with that build's sources first.
_PAGES_LOG = logging.getLogger(f"{ENGINE}.structure.pages")
for _old in [f for f in _PAGES_LOG.filters if type(f).__name__ == "_French"]:
    _PAGES_LOG.removeFilter(_old)
_PAGES_LOG.addFilter(_FRENCH)


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Load, validate and generate the whole site (SiteBuild.load), with the settings."""
    if "warnings" in _state:
        logging.getLogger(ENGINE).removeHandler(_state["warnings"])
    if "build" in _state:
        _state["build"].stop_drawing()
    _state.clear()
    # MkDocs' own counter of the build's warnings: the page cache keeps pages of a clean build
    _state["warnings"] = CountHandler(level=logging.WARNING)
    logging.getLogger(ENGINE).addHandler(_state["warnings"])
    root = Path(config.config_file_path).parent
    try:
        options = settings.for_build(config.extra)
        build = SiteBuild.load(
            root, only=options.territoire, drafts=options.brouillons, site_url=config.site_url
        )
    except ContentError as exc:
        if _command["preview"]:
            # the preview shows the problems in the browser and waits for the fix (see
            # preview_error_page); a build for publication stops here
            _state["errors"] = exc.report()
            config.theme.static_templates.clear()  # no theme page: the site can't be built
            return config
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
    _state["options"] = options
    # one name for the site, the one of site.yml (the tab title, the header, the feeds)
    config.site_name = build.site.settings.titre
    build.theme_scripts = theme_scripts(config.theme.dirs)
    escape_theme_config(config)
    config.extra["ti"] = build.theme_settings(docs_dir=Path(config.docs_dir))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Hand the generated pages and files to the engine; the navigation; the page cache."""
    if "errors" in _state:
        return Files([])  # the error page only, written after the build
    build: SiteBuild = _state["build"]
    config.nav = build.nav(docs_dir=Path(config.docs_dir))
    parts = {
        "mkdocs.yml": Path(config.config_file_path).read_text(encoding="utf-8"),
        "site_url": config.site_url,
        "use_directory_urls": config.use_directory_urls,
        "extra": dict(config.extra),
        "nav": config.nav,
    }
    options: settings.BuildSettings = _state["options"]
    build.plan_page_cache(parts, [f.url for f in files], enabled=options.cache_pages)
    build.start_drawing(options.processus_images)
    for page in build.pages:
        files.append(File.generated(config, page.path, content=build.markdown_for(page)))
    for path, content in build.mkdocs_assets():
        files.append(File.generated(config, path, content=content))
    for image in [
        f for f in files if f.generated_by is None and f.src_uri.lower().endswith(IMAGES)
    ]:
        files.remove(image)  # published encoded again, without its metadata
        content = build.clean_docs_image(Path(image.abs_src_path or ""))
        files.append(File.generated(config, image.src_uri, content=content))
    page_urls = [f.url for f in files.documentation_pages()]
    try:
        new = build.check_urls(build.produced_urls(page_urls))
    except ContentError as exc:
        if _command["preview"]:
            _state["errors"] = exc.report()
            config.theme.static_templates.clear()
            build.stop_drawing()
            return Files([])
        raise PluginError("adresses publiées :\n" + exc.report()) from None
    if new:
        log.info(
            f"{plural(len(new), 'adresse')} pas encore dans urls-publiees.txt (ajoutées par "
            "`ti build`)."
        )
    return files


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """The theme's templates use the compiled templates' cache of .cache/jinja."""
    if "errors" in _state:
        return env
    build: SiteBuild = _state["build"]
    env.bytecode_cache = build.renderer.env.bytecode_cache  # Material's templates, compiled once
    return env


def on_page_context(
    context: dict[str, Any], page: Page, config: MkDocsConfig, nav: Any
) -> dict[str, Any]:
    """Sharing tags (Open Graph), escaped metadata and search filters of the page."""
    build: SiteBuild = _state["build"]
    # the footer's previous / next links stay within the page's territory (or guide)
    for side in ("previous_page", "next_page"):
        other = getattr(page, side, None)
        if other is not None and build.section_of(other.url) != build.section_of(page.url):
            setattr(page, side, None)
    shared = SharedPage(
        page.file.src_uri, page.url, page.title or "", page.meta, page.canonical_url
    )
    page.meta["ti_og"] = build.share(shared, config.site_url, Path(config.docs_dir))
    escape_page_meta(page.meta, page.title)
    page.meta["ti_recherche"] = build.search_facets(page.file.src_uri)  # main.html
    return context


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    """The page's HTML cleaned (sanitiser, phone tables, typography), or the cached page."""
    build: SiteBuild = _state["build"]
    # the sitemap's <lastmod> (written before the pages, templates/theme/sitemap.xml): when the
    # content changed, or nothing (MkDocs would write the build's date)
    page.meta["ti_lastmod"] = build.modified(page.file.src_uri, Path(config.docs_dir))
    cached = build.cached_page(page.file.src_uri)
    if cached is None:
        clean = build.postprocess_html(page.file.src_uri, html)
        if not clean.intact:  # published fail-closed, and the strict build stops
            log.warning(build.swallowed_message(page.file.src_uri))
        build.clean_toc(page.toc, clean.renamed)
        if clean.renamed:
            page.present_anchor_ids = build.renamed_anchors(page.present_anchor_ids, clean.renamed)
        return clean.html
    # Served from the page cache: a trivial template; MkDocs still validates the anchors this
    # page links to and the anchors other pages link to here.
    page.meta.update(template=PLACEHOLDER_TEMPLATE)
    page.present_anchor_ids = set(cached.anchors)
    page.links_to_anchors = {
        target: links
        for uri, links in cached.anchor_links.items()
        if (target := files.get_file_from_path(uri)) is not None
    }
    return ""


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """The page's security policy; the page kept for the page cache."""
    build: SiteBuild = _state["build"]
    cached = build.cached_page(page.file.src_uri)
    if cached is not None:
        return protect(cached.output, build.theme_scripts, _command["preview"])
    build.page_cache.remember(
        page.file.src_uri,
        output,
        page.present_anchor_ids or set(),
        {f.src_uri: links for f, links in (page.links_to_anchors or {}).items()},
        page.content or "",
    )
    return protect(output, build.theme_scripts, _command["preview"])


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """The security policy of the theme's own pages (404)."""
    if "errors" in _state:
        return output
    build: SiteBuild = _state["build"]
    if not template_name.endswith(".html"):
        return output
    return protect(output, build.theme_scripts, _command["preview"])


def on_post_build(config: MkDocsConfig) -> None:
    """Files linked from the cache, social images, web editor, search index, build log."""
    if "errors" in _state:
        report = _state["errors"]
        for line in report.splitlines():
            log.info(line)  # a warning would stop the (strict) preview build: no page at all
        page = preview_error_page(report)
        site = Path(config.site_dir)
        for name in ("index.html", "404.html"):
            (site / name).write_text(page, encoding="utf-8")
        return
    build: SiteBuild = _state["build"]
    warnings: CountHandler = _state["warnings"]
    logging.getLogger(ENGINE).removeHandler(warnings)
    log.info(build.finish_page_cache(clean=not warnings.get_counts()))
    # the search index, made from the pages as written (see tisite/searchindex), while the
    # other files are written
    indexing = Indexing(Path(config.site_dir))
    try:
        build.write_artefacts(Path(config.site_dir))
        log.info(build.write_editor(Path(config.site_dir), config.site_url, _command["preview"]))
    except ContentError as exc:
        indexing.stop()
        raise PluginError(exc.report()) from None
    except BaseException:
        indexing.stop()
        raise
    try:
        report = indexing.finish()
    except ContentError as exc:
        raise PluginError(exc.report()) from None
    log.info(report.line())
    if report.pages != build.to_index:  # a page Pagefind could not read: the build fails
        log.warning(missing_from_index(report.pages, build.to_index))
    stats = build.social_stats
    drawn = agree(stats["drawn"], "dessinée")
    log.info(f"Images de partage : {stats['drawn']} {drawn}, {stats['cached']} en cache.")


def on_build_error(error: Exception) -> None:
    """A failed build stops the background drawing of social images."""
    if "build" in _state:
        _state["build"].stop_drawing()
        _state["build"].page_cache.store(keep=False)  # nothing of a failed build is kept
