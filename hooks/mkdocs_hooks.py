"""MkDocs hooks: the engine adapter of the ``tisite`` pipeline (tisite/pipeline.py). Thin on
purpose: the engine wraps each page's ready HTML in the theme and the navigation.

In the order the engine calls these events:

1. on_startup: remember whether this is the preview (``serve``), which keeps what it made from
   one build to the next (tisite.memo);
2. on_config: take the site the pipeline prepared, or prepare it here when the engine runs by
   hand (pipeline.prepare: load, validate, model, every page's HTML, links and addresses
   checked); the theme's values escaped;
3. on_files: hand the ready pages (ReadyPage: no file read, no Markdown, no link check) and the
   generated files to the engine, the navigation; plan the page cache;
4. on_env: share the compiled templates' cache with the theme;
5. per page: on_page_context (sharing tags, escaped metadata, search filters), then on_post_page
   (finish: the theme's markup made valid, security policy; the page cache);
6. on_post_template: security policy of the theme's own pages (404);
7. on_post_build: by hand, the publication (pipeline.publish; in the preview, the search index
   is finished in the background); under the pipeline, nothing;
8. on_serve (the preview, once): its server told of a save by the system's file events
   (tisite.adapters.enginewatch);
9. on_shutdown: the preview's search index, if still being made, abandoned.

Hook modules stay loaded across ``mkdocs serve`` rebuilds: all state is reset in on_config.
"""

from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Any

import mkdocs
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import CountHandler, clean_directory

from tisite import memo, pipeline, settings
from tisite.adapters import enginewatch, themefiles, themenav
from tisite.adapters.memory import PageCounter
from tisite.build import SiteBuild, escape_page_meta, escape_theme_config
from tisite.cli import workspace
from tisite.cli.preview import preview_error_page
from tisite.content.errors import ContentError
from tisite.finish.csp import protect, theme_scripts
from tisite.finish.themehtml import valid_theme_html
from tisite.generate.pagehtml import Ready
from tisite.generate.sharing import SharedPage
from tisite.generate.textutil import agree, plural, tab_title
from tisite.publish import searchindex
from tisite.publish.served import Served, digest_held
from tisite.publish.served import digest as served_digest

# « mkdocs » is ProperDocs' own package under ProperDocs (see tisite.adapters.engine): its
# loggers too
ENGINE = mkdocs.__name__
log = logging.getLogger(f"{ENGINE}.hooks.territoires")
IMAGES = (".jpg", ".jpeg", ".png", ".webp", ".gif")
_state: dict[str, Any] = {}
_command = {"preview": False, "dirty": False}  # set once per process by on_startup
# The preview's folder, written again only where a save changed it (``ti serve`` runs the
# engine's « dirty » builds: see tisite.publish.served)
_served = Served()
# This file as it was loaded (the engine loads a hooks file once per process): the page cache's
# key, with the engine's name and version, so that no page rendered by other code is served
ADAPTER_DIGEST = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
_held: dict[str, Any] = {}  # the project's lock, held by a preview's rebuild (see on_config)
_idle = memo.IdleCollection()  # the preview's full garbage collections, between its builds


def on_startup(*, command: str, dirty: bool) -> None:
    """Once per process: the preview allows the live-reload script."""
    # `mkdocs serve` injects an inline live-reload script: the preview's policy allows it.
    _command["preview"] = command == "serve"
    _command["dirty"] = command == "serve" and dirty
    if command == "serve":  # it builds again after each save: what did not change is kept
        memo.keep_between_builds()
    if _command["dirty"]:  # what the engine says of dirty builds is for its own bookkeeping
        logging.getLogger(f"{ENGINE}.commands.build").addFilter(_not_dirty_warning)


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns at every dirty build that its navigation may be wrong: ours is made by the
    core and every page an edit changes is written again (tisite.publish.served)."""
    return not str(record.msg).startswith("A 'dirty' build is being performed")


class _Collect(logging.Handler):
    """The build's warnings, in French: in the preview (not strict, see cmd_serve), errors that
    replace the site by the error page, as a strict build would stop on them."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """The site the pipeline prepared (``ti build``, tests), or prepared here when the engine
    runs by hand (``mkdocs build``, ``mkdocs serve``): loaded, validated, every page's HTML
    made and every link checked (pipeline.prepare)."""
    pipeline.stop_catching()  # the preview's former search index: this build empties the site
    themefiles.list_visible_only(config.theme)  # (the same files, listed faster)
    if _command["preview"]:
        _idle.building()
    if _command["dirty"]:
        _served.begin(Path(config.site_dir))
    for handler in ("warnings", "collect"):
        if handler in _state:
            logging.getLogger(ENGINE).removeHandler(_state[handler])
    if "prepared" in _state and _state["by_hand"]:
        _state["prepared"].build.stop_drawing()
    _state.clear()
    # MkDocs' own counter of the build's warnings: the page cache keeps pages of a clean build
    _state["warnings"] = CountHandler(level=logging.WARNING)
    logging.getLogger(ENGINE).addHandler(_state["warnings"])
    _state["collect"] = _Collect()
    logging.getLogger(ENGINE).addHandler(_state["collect"])
    _state["written"] = PageCounter()  # free memory given back while pages are rendered
    prepared = pipeline.handed()
    _state["by_hand"] = prepared is None
    if prepared is None:
        root = Path(config.config_file_path).parent
        try:
            pipeline.trusted_cache(root)  # before the lock is written into .cache/
            if _command["preview"]:
                _hold_project(root)
            options = settings.for_build(config.extra)
            prepared = pipeline.prepare(
                root,
                options,
                config.site_url,
                Path(config.docs_dir),
                config.use_directory_urls,
            )
        except ContentError as exc:
            if _command["preview"]:
                # the preview shows the problems in the browser and waits for the fix (see
                # preview_error_page); a build for publication stops here
                _state["errors"] = exc.report(preview=True)
                config.theme.static_templates.clear()  # no theme page: the site can't be built
                return config
            raise PluginError(f"{exc.heading} :\n" + exc.report()) from None
        for line in prepared.lines:
            log.info(line)
    # the engine's own reading of mkdocs.yml (YAML 1.1: « no » is false) says which files are
    # pages, whoever prepared the site (the search index reads those only)
    prepared.pages = searchindex.pages_pattern(config.use_directory_urls)
    _state["prepared"] = prepared
    build = prepared.build
    _state["build"] = build
    # one name for the site, the one of site.yml (the tab title, the header, the feeds)
    config.site_name = build.site.settings.titre
    build.theme_scripts = theme_scripts(config.theme.dirs)
    missing = themefiles.problems(
        config.theme,
        config.theme.dirs,
        Path(config.docs_dir),
        Path(config.config_file_path).read_text(encoding="utf-8"),
        config,
    )
    if missing:  # a logo or icon the theme would not find: before any page is rendered
        if _command["preview"]:  # shown in the browser until fixed, as the content's
            _state["errors"] = ContentError(missing).report(preview=True)
            config.theme.static_templates.clear()
            return config
        raise PluginError("contenu invalide :\n" + ContentError(missing).report())
    escape_theme_config(config)
    config.extra["ti"] = build.theme_settings(docs_dir=Path(config.docs_dir))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Hand the ready pages and the generated files to the engine; the navigation; the page
    cache (the engine's own output, kept)."""
    if "errors" in _state:
        return Files([])  # the error page only, written after the build
    build: SiteBuild = _state["build"]
    config.nav = build.nav(docs_dir=Path(config.docs_dir))
    parts = {
        # the engine that renders (MkDocs or ProperDocs, its version: the generator tag) and
        # this adapter as loaded: an edit of either makes every page again
        "moteur": f"{ENGINE} {mkdocs.__version__}",
        "adaptateur": ADAPTER_DIGEST,
        "mkdocs.yml": Path(config.config_file_path).read_text(encoding="utf-8"),
        "site_url": config.site_url,
        "use_directory_urls": config.use_directory_urls,
        "extra": dict(config.extra),
        "nav": config.nav,
    }
    options: settings.BuildSettings = _state["prepared"].options
    pages = {page.path: File.generated(config, page.path, content="") for page in build.pages}

    def as_served(src_uri: str, key: str) -> bool:  # a dirty preview: written as it is?
        return not _served.changed(pages[src_uri].dest_uri, key)

    # the preview: every generated page (only those an edit changed are rendered again)
    build.plan_page_cache(
        parts,
        enabled=options.cache_pages,
        every_page=_command["preview"],
        as_served=as_served if _command["dirty"] else None,
    )
    for page_file in pages.values():
        files.append(page_file)
    made: dict[str, str | bytes] = {}  # the generated files' contents
    for path, content in build.mkdocs_assets():
        files.append(File.generated(config, path, content=content))
        made[path] = content
    for image in [
        f for f in files if f.generated_by is None and f.src_uri.lower().endswith(IMAGES)
    ]:
        files.remove(image)  # published encoded again, without its metadata
        try:
            content = build.clean_docs_image(Path(image.abs_src_path or ""))
        except ContentError as exc:  # pixels that cannot be read
            raise PluginError("contenu invalide :\n" + exc.report()) from None
        files.append(File.generated(config, image.src_uri, content=content))
    if _command["dirty"]:
        _keep_what_is_served(files, build, set(pages), made)
    titles = _nav_titles(config.nav)
    docs_dir = Path(config.docs_dir)
    for file in files.documentation_pages():
        ready = build.html[file.src_uri]
        meta = build.meta_of(file.src_uri, ready, docs_dir)
        ReadyPage(titles.get(file.src_uri), file, config, ready, meta)
    return files


def _keep_what_is_served(
    files: Files, build: SiteBuild, generated: set[str], made: dict[str, str | bytes]
) -> None:
    """A dirty preview: the engine neither renders nor writes a page or file this process
    already wrote as it is now (tisite.publish.served). A generated page's key is its page-cache
    key (build.plan_page_cache); another file's, the digest of its bytes (``made``: the
    generated files' contents); a page of docs/ is always written (a few pages, whose theme the
    key would not cover)."""
    for file in files:
        if file.src_uri in generated:
            if file.src_uri in build.left_as_served:
                file.is_modified = _unmodified  # type: ignore[method-assign]
                build.search_facets(file.src_uri)  # counted among the pages to index
            continue  # the others: generated, always written by the engine
        if file.is_documentation_page():
            changed = _served.changed(file.dest_uri, None)
        elif file.src_uri in made:
            changed = _served.changed(file.dest_uri, digest_held(made[file.src_uri]))
        else:  # the theme's files, docs/
            changed = _served.changed(file.dest_uri, served_digest(file.content_bytes))
        # never the engine's own guess from the files' dates
        file.is_modified = _modified if changed else _unmodified  # type: ignore[method-assign]
    # the email versions, written after the pages (build.write_artefacts)
    build.linked_as_served = {
        path
        for path, content in build.linked_files()
        if not _served.changed(path, digest_held(content))
    }


def _unmodified() -> bool:
    return False


def _modified() -> bool:
    return True


# what ReadyPage._set_canonical_url joins without the engine's URL parser: an origin and a path
# of plain segments; a page's address of plain segments (a folder, or a file of .html pages)
_PLAIN_BASE = re.compile(r"https?://[A-Za-z0-9.:-]+(?:/[A-Za-z0-9_~-]+)*/?")
_PLAIN_URL = re.compile(r"(?:[A-Za-z0-9_-]+/)*(?:[A-Za-z0-9_-]+\.html)?")


class ReadyPage(Page):
    """A page whose HTML the core made (see tisite.generate.pagehtml): the engine reads no file,
    parses no Markdown and checks no link (the core did); it applies the theme and navigation."""

    def __init__(
        self,
        title: str | None,
        file: File,
        config: MkDocsConfig,
        ready: Ready,
        meta: dict[str, Any],
    ) -> None:
        super().__init__(title, file, config)
        self.ready, self.ready_meta = ready, meta
        # known before the page is read: a dirty preview does not read a page it leaves as it
        # is, and the sitemap lists it with its date all the same
        self.meta = dict(meta)

    def _set_canonical_url(self, base: str | None) -> None:
        """The engine's own rule (``urljoin(base, url)``, whose path is ``abs_url``) without its
        URL parser when the result is plain concatenation: an address of the site's own form
        (see tisite.urls) under a base with no dot segment, query or fragment. Each of a
        national site's pages takes this at each rebuild of the preview."""
        url = self.url
        if base and _PLAIN_BASE.fullmatch(base) and _PLAIN_URL.fullmatch(url):
            base = base if base.endswith("/") else base + "/"
            self.canonical_url = base + url
            self.abs_url = base[base.index("/", base.index("//") + 2) :] + url
        else:
            super()._set_canonical_url(base)

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown, self.meta = "", dict(self.ready_meta)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = self.ready.html if "template" not in self.meta else ""
        self.toc = get_toc(self.ready.toc)  # type: ignore[arg-type]
        self._title_from_render = self.ready.heading
        self.present_anchor_ids = set(self.ready.anchors)
        self.links_to_anchors = {}


def _nav_titles(nav: Any) -> dict[str, str]:
    """Page file → its title in the navigation (already escaped, see SiteBuild.nav)."""
    found: dict[str, str] = {}
    for item in nav if isinstance(nav, list) else [nav]:
        if isinstance(item, dict):
            for title, value in item.items():
                if isinstance(value, str):
                    found[value] = title
                else:
                    found.update(_nav_titles(value))
    return found


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    """The theme's templates use the compiled templates' cache of .cache/jinja, and our
    navigation (tisite.adapters.themenav)."""
    themenav.install(env)  # the navigation and tables of contents, made in Python
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
    if _command["dirty"]:  # its share image goes with the page (tisite.publish.served)
        card = build.card_of.get(page.file.src_uri)
        _served.written_with(page.file.dest_uri, (card,) if card else ())
    escape_page_meta(page.meta, page.title, generated=page.file.src_uri in build.generated)
    title = page.meta.get("title")  # escaped: the browser's tab, without what the site says
    if isinstance(title, str) and title:
        page.meta["ti_onglet"] = tab_title(title, config.site_name)
    page.meta["ti_recherche"] = build.search_facets(page.file.src_uri)  # main.html
    return context


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    """The theme's markup made valid, the page's security policy; the page kept for the page
    cache."""
    build: SiteBuild = _state["build"]
    _state["written"].page_written()
    cached = build.cached_page(page.file.src_uri)
    if cached is not None:
        return protect(cached.output, build.theme_scripts, _command["preview"])
    output = valid_theme_html(output)
    build.page_cache.remember(page.file.src_uri, output)
    return protect(output, build.theme_scripts, _command["preview"])


def on_post_template(output: str, template_name: str, config: MkDocsConfig) -> str:
    """The theme's markup made valid and the security policy of the theme's own pages (404)."""
    if "errors" in _state:
        return output
    build: SiteBuild = _state["build"]
    if not template_name.endswith(".html"):
        return output
    return protect(valid_theme_html(output), build.theme_scripts, _command["preview"])


def _preview_errors(config: MkDocsConfig, report: str, terminal: bool) -> None:
    """The preview's error page at every address (the site's pages removed): what a strict
    build would stop on. ``terminal``: the report is also printed (else the engine printed it)."""
    if terminal:
        for line in report.splitlines():
            log.info(line)  # a warning would stop the (strict) preview build: no page at all
    page = preview_error_page(report)
    site = Path(config.site_dir)
    clean_directory(str(site))  # the preview's own temporary folder (see cmd_serve)
    _served.forget()  # emptied: the next build writes everything
    for name in ("index.html", "404.html"):
        (site / name).write_text(page, encoding="utf-8")


def _build_errors() -> str | None:
    """The errors the build logged, as the preview's report; None if none."""
    collect: _Collect = _state["collect"]
    if not collect.lines:
        return None
    count = len(collect.lines)
    log.info(
        f"{plural(count, 'erreur')} à la construction : l'aperçu en affiche la liste jusqu'à la "
        "correction (ti check et ti build s'arrêtent aussi)."
    )
    return "\n".join(collect.lines)


def _hold_project(root: Path) -> None:
    """A rebuild of the preview writes the project's cache: it holds the project's lock, as
    ``ti build`` and ``ti check`` do (waiting for them, saying so), until it ends. The
    publication build runs in ``ti build``, which holds the lock itself."""
    if "lock" in _held:
        return  # a rebuild whose configuration failed: still held
    lock = workspace.project_lock(root, announce=log.info)
    try:
        lock.__enter__()
    except workspace.Busy as exc:
        raise PluginError(str(exc)) from None
    _held["lock"] = lock


def _release_project() -> None:
    lock = _held.pop("lock", None)
    if lock is not None:
        lock.__exit__(None, None, None)


def _build_ended() -> None:
    """A build ended, done or failed: the project released; the preview keeps only what this
    build used (tisite.memo) and collects its garbage while it waits for a save."""
    _release_project()
    if _command["preview"]:
        memo.build_over()
        _idle.idle()


def on_post_build(config: MkDocsConfig) -> None:
    """By hand (``mkdocs build``, ``mkdocs serve``): the publication (pipeline.publish: files,
    social images, web editor, search index); under the pipeline, ``pipeline.build`` does it.
    The preview shows its error page when the build logged an error."""
    try:
        _post_build(config)
    finally:
        _build_ended()


def _post_build(config: MkDocsConfig) -> None:
    if "errors" in _state:
        _preview_errors(config, _state["errors"], terminal=True)
        return
    build: SiteBuild = _state["build"]
    if _command["preview"] and (report := _build_errors()) is not None:
        build.stop_drawing()
        build.page_cache.store(keep=False)  # nothing of a failed build is kept
        _preview_errors(config, report, terminal=False)
        return
    for handler in ("warnings", "collect"):
        logging.getLogger(ENGINE).removeHandler(_state[handler])
    warnings: CountHandler = _state["warnings"]
    _state["clean"] = not warnings.get_counts()
    if not _state["by_hand"]:
        return
    if _command["dirty"]:  # before the search index reads the folder
        kept, removed = _served.kept, _served.end()
        unchanged = f"{agree(kept, 'inchangé')}, non {agree(kept, 'réécrit')}"
        if kept or removed:  # not the first build: everything is written then
            log.info(
                f"Aperçu : {plural(kept, 'fichier')} {unchanged} ; "
                f"{plural(removed, 'fichier')} {agree(removed, 'retiré')}."
            )
    try:
        lines, problems = pipeline.publish(
            _state["prepared"],
            Path(config.site_dir),
            config.site_url,
            _command["preview"],
            _state["clean"],
            # the preview shows the edit at once; its search catches up in the background
            later=_search_caught_up if _command["preview"] else None,
        )
    except ContentError as exc:
        _served.failed()
        raise PluginError(exc.report()) from None
    for line in lines:
        log.info(line)
    for problem in problems:
        log.warning(problem)
    if _command["preview"] and problems:
        _preview_errors(config, "\n".join(problems), terminal=False)  # missing from the index


def _search_caught_up(lines: list[str], problems: list[str]) -> None:
    """The preview's search index, finished after the pages were shown (pipeline.publish)."""
    for line in lines:
        log.info(line)
    for problem in problems:
        log.warning(problem)


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    """The preview is told of a save by the system at once, the engine's polling kept as a
    safety net (tisite.adapters.enginewatch)."""
    return enginewatch.quicker(server)


def on_shutdown() -> None:
    """The preview stops: its search index, if still being made, is abandoned."""
    pipeline.stop_catching()


def on_build_error(error: Exception) -> None:
    """A failed build keeps nothing; by hand, it stops the background drawing of social images
    (under the pipeline, ``pipeline.build`` does)."""
    _served.failed()  # the folder may be half written: the next build writes everything
    try:
        if "build" in _state:
            if _state["by_hand"]:
                _state["build"].stop_drawing()
            _state["build"].page_cache.store(keep=False)  # nothing of a failed build is kept
    finally:
        _build_ended()
