"""The build of a site, top to bottom: the one function every entry point goes through.

    load → validate → model → generate HTML → check → render (engine) → finish → publish

``build`` reads in that order. The stages before the engine (``prepare``) and after it
(``publish``) are the core's; the engine adapter (``tisite.adapters.engine`` and the
MkDocs/ProperDocs hooks, ``hooks/mkdocs_hooks.py``) only wraps each page's ready HTML in the
theme and the navigation, and finishes each page it writes (security policy, ``csp.protect``).
When MkDocs is run by hand (``mkdocs build``, ``mkdocs serve``), the hooks call ``prepare``
and ``publish`` themselves; when ``ti`` or a test runs ``build``, the hooks take the prepared
site from here (``handed``) and leave the publication to ``build``.

Where each stage lives: ``content/`` (load, validate, model; ``content/sources.py``, the
table of the project's sources), ``generate/`` (every page's HTML), ``adapters/`` (the only
code that imports an engine), ``finish/`` (what every page goes through), ``publish/`` (the
files beside the pages, the search index, the caches), ``editor/``, ``cli/``.
"""

from __future__ import annotations

import contextlib
import re
import urllib.parse
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tisite import clock, settings
from tisite.build import SiteBuild
from tisite.cli import workspace
from tisite.content.errors import ContentError, Problem
from tisite.generate.convert import page_address
from tisite.generate.textutil import agree, plural, trim
from tisite.publish import searchindex, uptodate
from tisite.publish.diskcache import MEMO_FOLDERS, kept_names, prune_older, prune_unused
from tisite.publish.searchindex import Catching, Indexing, missing_from_index, write_harvested

SITE_URL_MISSING = (
    "« site_url » est obligatoire : indiquez l'adresse publique du site (par exemple "
    "https://mon-territoire.example.org/). Elle sert aux aperçus LinkedIn, aux flux RSS, aux "
    "versions courriel et au plan du site."
)


# What a site's public address may hold: a scheme, a host (letters, digits, dots, dashes), a
# port, a path of unreserved characters. It is printed raw by the theme (canonical link,
# sitemap, feeds): a quote or a « < » would end the attribute it is in.
_SITE_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:/[A-Za-z0-9._~%/+-]*)?")


def site_url_problem(root: Path, site_url: object) -> Problem | None:
    """A ``site_url`` that is not a clean web address: without « https:// » (« industrie.
    example.fr »: MkDocs says it in English), with a space, a quote or a « < » (the theme
    prints it raw in every page), with a user name or password (they would be published).
    In French, on its line of mkdocs.yml, with the address to write."""
    text = str(site_url)
    try:
        parts = urllib.parse.urlsplit(text)
        port = parts.port
    except ValueError:
        parts, port = None, None
    if _SITE_URL.fullmatch(text) and parts is not None and (port is None or 0 < port < 65536):
        return None
    try:
        lines = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    line = next((n for n, text in enumerate(lines, 1) if text.startswith("site_url:")), None)
    shown = trim(text, 80)  # (control characters: made visible by Problem.format)
    if "@" in text.split("://", 1)[-1].split("/", 1)[0]:
        advice = (
            "ne mettez ni identifiant ni mot de passe dans l'adresse publique (ce qui précède "
            "« @ ») : ils seraient publiés dans chaque page"
        )
    elif re.match(r"https?://", text):
        advice = (
            "elle contient un caractère qui n'a pas sa place dans une adresse web (espace, "
            "guillemet, « < », accent…) : écrivez seulement l'adresse, par exemple "
            "« https://mon-territoire.fr/ » (un nom de domaine accentué s'écrit sous sa forme "
            "« xn--… »)"
        )
    else:
        bare = text.strip().split("://")[-1].strip("/")
        good = f"https://{bare}/"
        example = good if _SITE_URL.fullmatch(good) else "https://mon-territoire.fr/"
        advice = f"écrivez-la avec « https:// », par exemple « {example} »"
    return Problem(
        "mkdocs.yml",
        line,
        "site_url",
        f"« {shown} » n'est pas une adresse web complète : {advice}",
    )


@dataclass
class Prepared:
    """A site ready for the engine: every page's HTML made and checked."""

    build: SiteBuild
    options: settings.BuildSettings
    lines: list[str] = field(default_factory=list)  # what the build reports (information)
    pages: str = searchindex.PAGES  # the names of the site's page files (searchindex)


def prepare(
    root: Path,
    options: settings.BuildSettings,
    site_url: str | None,
    docs_dir: Path,
    directory_urls: bool = True,
) -> Prepared:
    """Load and validate the content, model it, generate every page's HTML and every file,
    check every link, anchor and published address. Raises ContentError with all problems.
    ``directory_urls``: the engine's ``use_directory_urls`` (each page an ``index.html``)."""
    if site_url and (problem := site_url_problem(root, site_url)):  # before anything uses it
        raise ContentError([problem])
    if problem := clock.problem():  # the build's date (MkDocs would stop on it in English)
        raise ContentError([problem])
    build = SiteBuild.load(
        root,
        only=options.territoire,
        drafts=options.brouillons,
        scheduled=options.programmees,
        site_url=site_url,
        harvest=options.moisson,
        reuse_pages=True,
    )
    if not site_url:
        raise ContentError([Problem("mkdocs.yml", None, "site_url", SITE_URL_MISSING)])
    lines = [w.format() for w in build.site.warnings]
    if build.site.harvest:
        lines.append(build.site.harvest)
    build.make_html(docs_dir, build.other_files(docs_dir))
    lines += [note.format() for note in build.notes]
    # (letters dated later, read as published by `ti check`, are not online today: the
    # published addresses are checked without them, as today's build will)
    later = build.dated_later()
    pages = [p.url for p in build.pages if p.url not in later]
    pages += [page_address(p) for p in build.docs_pages(docs_dir)]
    new = build.check_urls(build.produced_urls(pages))
    if new:
        added = agree(len(new), "ajoutée")
        lines.append(
            f"{plural(len(new), 'adresse')} pas encore dans urls-publiees.txt ({added} par "
            "`ti build`)."
        )
    build.start_drawing(options.processus_images)  # social images, in the background
    return Prepared(build, options, lines, searchindex.pages_pattern(directory_urls))


def publish(
    prepared: Prepared,
    site_dir: Path,
    site_url: str | None,
    preview: bool,
    clean: bool,
    later: Callable[[list[str], list[str]], None] | None = None,
) -> tuple[list[str], list[str]]:
    """After the engine wrote the pages: the page cache kept (``clean``: no warning in this
    build), linked files and social images written, the web editor, the search index.
    Returns (information, warnings); raises ContentError when a file cannot be published.

    ``later`` (the preview): the search index is finished in the background, and ``later``
    gets its lines (information, warnings) when it is; ``stop_catching`` ends it."""
    build = prepared.build
    lines = [build.finish_page_cache(clean=clean, prune=later is None)]
    warnings: list[str] = []
    # made from the pages as written, while the files are written; or the index of a former
    # build made from the very same pages (.cache/recherche), copied
    search_cache = build.cache("recherche") if prepared.options.cache_pages else None
    indexing = Indexing(
        site_dir, None if later else search_cache, staged=later is not None, pages=prepared.pages
    )
    try:
        build.write_artefacts(site_dir, prune=later is None)
        lines.append(build.write_editor(site_dir, site_url, preview))
    except BaseException:
        indexing.stop()
        raise
    if later is not None:
        _catching.append(Catching(indexing, build.to_index, later))
    else:
        report = indexing.finish()
        lines.append(report.line())
        if report.pages != build.to_index:  # a page Pagefind could not read: the build fails
            warnings.append(missing_from_index(report.pages, build.to_index))
    # a portal's harvested actions (their records kept in .cache between builds)
    harvested = write_harvested(
        site_dir, build.site, build.cache("index-recolte"), build.renderer.today
    )
    if harvested:
        lines.append(
            f"Recherche d'actions : {plural(harvested, 'fiche action', 'fiches actions')} des "
            "territoires récoltés indexées (sur leurs propres sites)."
        )
    # a preview of one territory does not use every entry; a preview prunes nothing (the
    # next `ti build` does): each of its rebuilds would read the dates of every entry again
    if not build.only_preview and later is None:
        for folder in MEMO_FOLDERS:
            prune_older(build.cache(folder), "*.json")
        prune_older(build.cache("jinja"), "__jinja2_*")  # compiled by former code (in their key)
        # images made by former code or for former content (keyed by both): not used, old
        prune_unused(build.cache("images"), kept_names())
        prune_unused(build.card_cache, {f"{card.digest()}.png" for card in build.cards.values()})
    # the mark of a folder a build made: the only kind a later build replaces (see workspace)
    (site_dir / workspace.SITE_MARK).write_text(workspace.SITE_MARK_TEXT, encoding="utf-8")
    stats = build.social_stats
    drawn = agree(stats["drawn"], "dessinée")
    lines.append(f"Images de partage : {stats['drawn']} {drawn}, {stats['cached']} en cache.")
    return lines, warnings


def trusted_cache(root: Path) -> None:
    """Raises ContentError when .cache/ came with the repository or is a link (see
    workspace.cache_problem): nothing of it is read or written. Called where a build starts:
    ``build``, and the engine's hooks when it runs by hand, before they lock the project."""
    problem = workspace.cache_problem(root)
    if problem is not None:
        raise ContentError([Problem(workspace.CACHE, None, None, problem)])


_catching: list[Catching] = []  # the preview's search index, being finished (see publish)


def stop_catching() -> None:
    """The preview rebuilds (or stops): the index of the former build is abandoned."""
    while _catching:
        _catching.pop().stop()


_HANDED: ContextVar[Prepared | None] = ContextVar("prepared_site", default=None)


def handed() -> Prepared | None:
    """The site ``build`` prepared for the engine it runs (None: the engine runs by hand)."""
    return _HANDED.get()


@contextlib.contextmanager
def handing(prepared: Prepared) -> Iterator[None]:
    token = _HANDED.set(prepared)
    try:
        yield
    finally:
        _HANDED.reset(token)


@dataclass
class Result:
    prepared: Prepared | None  # None: nothing changed, the site folder is kept (uptodate)
    lines: list[str]

    @property
    def unchanged(self) -> bool:
        return self.prepared is None


def build(
    root: Path,
    site_dir: Path,
    engine: str = "mkdocs",
    replaces: Path | None = None,
    **given: Any,
) -> Result:
    """One build of the project at ``root`` into ``site_dir``: the whole pipeline, in order.

    ``replaces``: the site folder ``site_dir`` will replace (``ti build`` builds beside it, then
    swaps); when nothing that shapes the site changed since the build that made it, nothing is
    built and the result says so (``unchanged``). ``given``: the build settings
    (tisite.settings). Raises ContentError (content refused, with every problem) or
    engine.BuildAborted (the engine stopped).
    """
    from tisite.adapters import engine as adapter

    trusted_cache(root)  # before the nothing-changed record is read
    config = settings.engine_config(root)
    with settings.given(**given):
        options = settings.for_build(config["extra"])
    key = None
    if replaces is not None:
        shaping = {k: v for k, v in given.items() if k not in uptodate.NOT_SHAPING}
        key = uptodate.inputs_key(
            root, engine, shaping, clock.today(), replaces, config["docs_dir"]
        )
        kept = uptodate.unchanged(root, replaces, key) if key and options.cache_pages else None
        if kept is not None:
            return Result(None, [uptodate.UNCHANGED, *(f"  {line}" for line in kept)])
        uptodate.forget(root, replaces)
    docs_dir = root / config["docs_dir"]
    prepared = prepare(  # load … check
        root, options, config["site_url"], docs_dir, config["use_directory_urls"]
    )
    try:
        with handing(prepared):
            clean = adapter.render(root, site_dir, engine)  # theme, navigation, finish
        lines, warnings = publish(prepared, site_dir, config["site_url"], False, clean)
    finally:
        prepared.build.stop_drawing()
    if warnings:
        raise adapter.BuildAborted("\n".join(warnings))
    result = Result(prepared, prepared.lines + lines)
    if key and replaces is not None:
        uptodate.remember(root, replaces, site_dir, key, result.lines)
    return result
