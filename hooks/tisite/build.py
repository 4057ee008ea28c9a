"""One build of the site, independent of MkDocs: pages, navigation, post-processing, artefacts.

The MkDocs hooks call into this object; tests can use it directly.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import hashlib
import html
import re
import shutil
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from tisite import clock, memo, urls
from tisite.content import history, schema, sources
from tisite.content.errors import ContentError, Problem
from tisite.content.loader import load_site, territory_dirs
from tisite.content.models import SiteModel
from tisite.editor import cms
from tisite.generate import reuse, sharing
from tisite.generate.convert import markdown_settings
from tisite.generate.pagehtml import Ready, check_links, ready_page
from tisite.generate.render import Page, Rendered, Renderer
from tisite.generate.textutil import agree
from tisite.publish import assets, diskcache, publishing, registry, searchindex
from tisite.publish.diskcache import link_blob, prune_older, signature
from tisite.publish.pagecache import PLACEHOLDER_TEMPLATE, Entry, PageCache
from tisite.publish.social import Card, CardPainter, write_cached

THEME_ASSETS = Path(__file__).parent / "assets"  # published under assets/
CACHE = ".cache"  # kept between builds (the workflows save it): see pagecache

# Hand-written pages of docs/ that get a place in the navigation, when present.
DOCS_NAV = [("Le programme", "programme.md")]
DOCS_NAV_END = [("Contribuer", "contribuer/index.md")]
FIELD_REFERENCE = "contribuer/reference-des-champs/index.md"
GUIDE_SECTION = "contribuer"  # the contributors' guide: its pages, docs/ and generated
# Generated files linked from .cache/fichiers after the pages rather than handed to MkDocs: the
# email documents of each letter, never the target of a Markdown link (MkDocs need not know them).
LINKED_FILES = tuple(f"/{name}" for name in publishing.EMAIL_FILES)


def theme_text(value: object, markup: bool = False) -> Markup:
    """A value for a MkDocs or Material template, which prints it without escaping.

    A value is text (« &cent » in a territory's name is shown as typed, not as « ¢ »), except
    with ``markup``: HTML text already (a title MkDocs read from a page's headings, a setting
    of mkdocs.yml such as ``copyright``), whose entities are read before it is escaped again,
    so that it is not escaped twice. A value this function made is returned as it is. The
    apostrophe, frequent in French, is kept: the theme quotes its attributes with ``"``.
    """
    if isinstance(value, Markup):
        return value
    text = html.unescape(str(value)) if markup else str(value)
    return Markup(html.escape(text, quote=False).replace('"', "&quot;"))


def _line_of_link(content: str, text: str) -> int | None:
    """The line of ``content`` where the link ``text`` is written: where it ends as a link
    ends (« /a/b » is not the start of « /a/b/#c » on an earlier line), else anywhere; in the
    text as written, or with its Markdown escapes read (« priorite\\_s »: backslashes hold no
    line break)."""
    for source in (content, re.sub(r"\\([^\n])", r"\1", content)):
        whole = re.search(re.escape(text) + r"""(?=[)"'>\s]|$)""", source)
        index = whole.start() if whole else source.find(text)
        if index >= 0:
            return source[:index].count("\n") + 1
    return None


def escape_titles(nav: Any) -> Any:
    """The navigation with every title escaped: Material prints ``nav_item.title`` raw, and
    titles come from the content (territory names) and from docs/ pages."""
    if isinstance(nav, list):
        return [escape_titles(item) for item in nav]
    if isinstance(nav, dict):
        return {theme_text(title): escape_titles(value) for title, value in nav.items()}
    return nav


THEME_CONFIG = ("site_name", "site_description", "site_author", "copyright")


def escape_theme_config(config: Any) -> None:
    """Escape the configuration values Material prints raw (title, description, footer). The
    site's name is site.yml's ``titre`` (text); the others are mkdocs.yml's, written for an
    engine that prints them as HTML (« &copy; » is « © » there)."""
    for key in THEME_CONFIG:
        if config.get(key):
            config[key] = theme_text(config[key], markup=key != "site_name")


def escape_page_meta(
    meta: MutableMapping[str, Any], title: str | None, generated: bool = False
) -> None:
    """Escape the front-matter values Material prints raw (title, description, author): text
    in a hand-written page's front matter; HTML text already in a generated page's (the core
    escapes them, ``generated``). A page without a title in its front matter gets its own
    (``title``: from the navigation or its first heading, HTML text), so that the theme prints
    an escaped one."""
    for key in ("title", "description", "author", "subtitle", "status"):
        if isinstance(meta.get(key), str):
            meta[key] = theme_text(meta[key], markup=generated)
    if title and not meta.get("title"):
        meta["title"] = theme_text(title, markup=True)


# A page's source digest (SiteBuild._source_digest), by its page and HTML objects
_SOURCE_DIGESTS: memo.Held[str] = memo.Held()


@dataclass
class SiteBuild:
    site: SiteModel
    renderer: Renderer
    pages: list[Page]
    assets: list[tuple[str, str | bytes]]
    generated: set[str] = field(default_factory=set)
    root: Path | None = None
    cards: dict[str, Card] = field(default_factory=dict)  # image path under the site → card
    card_of: dict[str, str] = field(default_factory=dict)  # page file → its image's path
    # generated pages the preview's folder holds as they are now (see plan_page_cache), and
    # email versions (see write_artefacts)
    left_as_served: set[str] = field(default_factory=set)
    linked_as_served: set[str] = field(default_factory=set)
    social_stats: dict[str, int] = field(default_factory=lambda: {"drawn": 0, "cached": 0})
    page_cache: PageCache = field(default_factory=lambda: PageCache(None, ""))
    painter: CardPainter | None = None
    theme_scripts: list[re.Pattern[str]] = field(default_factory=list)  # see csp.protect
    to_index: int = 0  # pages marked for the search index in this build (see search_facets)
    html: dict[str, Ready] = field(default_factory=dict)  # page file → its finished HTML
    notes: list[Problem] = field(default_factory=list)  # what the build reports, not an error
    # territory slug → the key of its pages' inputs, and the HTML of a former build's pages
    # made from the same inputs (see generate/reuse)
    territory_keys: dict[str, str] = field(default_factory=dict)
    reused_html: dict[str, Ready] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_path = {p.path: p for p in self.pages}

    @classmethod
    def load(
        cls,
        root: Path,
        only: str | None = None,
        drafts: bool = False,
        today: dt.date | None = None,
        site_url: str | None = None,
        harvest: bool = False,
        reuse_pages: bool = False,
        scheduled: bool = False,
    ) -> SiteBuild:
        """The content loaded and every generated page made. ``reuse_pages`` (the pipeline,
        which makes each page's HTML next): a territory whose pages a former build of this
        process made from the same inputs gets them back, bodies dropped (see reuse)."""
        diskcache.new_build()  # code and templates are read again: one may have changed
        publishing.new_build()
        memo.new_build()  # what the last build of this process did not use is forgotten
        site = load_site(root, only=only, drafts=drafts, harvest=harvest, scheduled=scheduled)
        renderer = Renderer(
            site,
            today=today,
            site_url=site_url,
            cache_dir=root / CACHE,
            file_dates=history.file_dates(root, today),
            published=frozenset(u for _, u in registry.published(root)),
            markdown_options=markdown_settings(root),
            root=root,
        )
        # a territory whose pages a former build of this process made from the same inputs;
        # a process that builds once keeps nothing: no key to compute
        keys: dict[str, str] = {}
        if reuse_pages and memo.keeping():
            context = reuse.context_key(renderer, root)
            keys = {t.slug: reuse.territory_key(context, t) for t in site.local}
            if site.own_territory is None:  # the national action finder's pages
                keys[reuse.FINDER] = reuse.finder_key(
                    context, site, renderer.published, renderer.site_date()
                )
        known = {slug: made for slug, key in keys.items() if (made := reuse.kept(slug, key))}
        pages = renderer.pages(known={slug: made.pages for slug, made in known.items()})
        files = (
            renderer.assets(known={slug: made.files for slug, made in known.items()})
            + assets.site_images(site, root / CACHE / "images")
            + assets.site_icons()
        )
        build = cls(site, renderer, pages, files, {p.path for p in pages}, root)
        build.territory_keys = keys
        build.reused_html = {path: r for made in known.values() for path, r in made.html.items()}
        return build

    def theme_settings(self, docs_dir: Path) -> dict[str, Any]:
        """Values for the theme's templates, HTML-escaped: MkDocs templates print them raw."""
        s = self.site.settings
        return {
            "accessibilite_statut": theme_text(s.accessibilite.statut),
            "editeur": theme_text(s.editeur.nom),
            "licence": theme_text(s.licence.nom),
            "demonstration": s.demonstration,
            "has_contributor_guide": (docs_dir / "contribuer" / "index.md").is_file(),
            # the site of one territory (its home is the territory's): what the 404 page says
            "un_territoire": self.site.own_territory is not None,
        }

    def nav(self, docs_dir: Path) -> list[Any]:
        def present(items: list[tuple[str, str]]) -> list[dict[str, str]]:
            return [{title: path} for title, path in items if (docs_dir / path).is_file()]

        end: list[Any] = present(DOCS_NAV_END)
        if end:
            end = [
                {"Contribuer": ["contribuer/index.md", {"Référence des champs": FIELD_REFERENCE}]}
            ]
        return escape_titles(self.renderer.nav(extra=present(DOCS_NAV)) + end)

    def docs_pages(self, docs_dir: Path) -> list[str]:
        """The hand-written pages of docs/ (their paths there), as the engine publishes them."""
        if not docs_dir.is_dir():
            return []
        found = (p.relative_to(docs_dir) for p in docs_dir.rglob("*.md") if p.is_file())
        return sorted(p.as_posix() for p in found if not any(x.startswith(".") for x in p.parts))

    def other_files(self, docs_dir: Path) -> list[str]:
        """Paths of the site's files that are not pages (what a link may lead to besides a
        page): the files of docs/, the site's own assets and every generated file."""
        found: list[str] = []
        if docs_dir.is_dir():
            for path in docs_dir.rglob("*"):
                rel = path.relative_to(docs_dir)
                hidden = any(part.startswith(".") for part in rel.parts)
                if path.is_file() and path.suffix != ".md" and not hidden:
                    found.append(rel.as_posix())
        # and what the engine writes itself: the sitemap (and its gzip copy), the 404 page
        engine = [urls.url_to("plan-du-site"), urls.url_to("plan-du-site") + ".gz", "404.html"]
        return found + [path for path, _ in self.mkdocs_assets()] + engine

    def make_html(self, docs_dir: Path, other_files: list[str]) -> None:
        """Every page's finished HTML (generated pages and docs/), made by the core once: the
        engine parses nothing. Then every link and anchor of the site is checked; raises a
        ContentError with all the broken ones (and a page whose contributor text swallowed
        the rest). ``other_files``: paths of the site's files that are not pages."""
        converter = self.renderer.converter
        cache, settings = self.cache("html"), [converter.extensions, converter.options]
        self.html = {}
        for index, page in enumerate(self.pages):
            if page.path in self.reused_html:  # a territory's pages made by a former build
                self.html[page.path] = self.reused_html[page.path]
                continue
            self.html[page.path] = ready_page(
                cache,
                settings,
                converter,
                page.path,
                page.content,
                links=page.links if page.is_html else None,
                former=page.former,
            )
            # the finished HTML is the page from now on: its body is not held twice (the
            # page is replaced where it is held, so the body is freed now)
            if isinstance(page.content, Rendered):
                page = dataclasses.replace(page, content=page.content.head_only())
                self.pages[index] = self._by_path[page.path] = page
        for rel in self.docs_pages(docs_dir):
            text = (docs_dir / rel).read_text(encoding="utf-8-sig")
            self.html[rel] = ready_page(cache, settings, converter, rel, text, contributed=True)
        problems = [
            Problem(self.source_of(path), None, None, self.swallowed_message(path))
            for path, ready in self.html.items()
            if not ready.intact
        ]
        files = [*other_files, *(p for p, _ in self.assets)]
        later = frozenset(urls.page_file(url) for url in self.dated_later())
        errors, self.notes = check_links(self.html, files, self.locate, self.is_draft_page, later)
        if problems or errors:
            raise ContentError(problems + errors, building=True)
        self._keep_territories()

    def dated_later(self) -> frozenset[str]:
        """The addresses of the letters dated after the build's day: read as published by
        `ti check` (the build of their day is checked now), not online today."""
        today = clock.today()
        return frozenset(x.url for t in self.site.local for x in t.letters if x.date > today)

    def is_draft_page(self, target: str) -> bool:
        """Whether a page file the site does not have is a fiche action's or a letter's whose
        source is there, left out as a draft (a broken one stops the build on its own)."""
        if self.root is None:
            return False
        address = target.removesuffix("index.md")
        for name, folder in (("fiche", sources.actions), ("lettre", sources.letters)):
            if not urls.matches(name, address):
                continue
            slug, stem = address.split("/", 1)[0], address.strip("/").rsplit("/", 1)[-1]
            if (folder(sources.territory(self.root, slug)) / f"{stem}.md").is_file():
                return True
        return False

    def _keep_territories(self) -> None:
        """Each territory's pages, as made in this build, for the next build of this process
        (generate/reuse): their bodies are dropped already, their finished HTML is held by
        this build anyway."""
        made: dict[str, reuse.Made] = {}
        for slug, key in self.territory_keys.items():
            pages = tuple(self._by_path[path] for path in self.renderer.by_territory[slug])
            html = {p.path: self.html[p.path] for p in pages}
            files = self.renderer.files_by_territory.get(slug, (None, ()))  # the finder: none
            made[slug] = reuse.Made(key, pages, html, files)
        reuse.keep(made)

    def swallowed_message(self, src_uri: str) -> str:
        """The French warning for a page whose contributor text left a tag open."""
        return (
            "une balise HTML ouverte et jamais refermée (commentaire « <!-- », "
            "<script>, <textarea>, <style>…) englobe la suite de la page, ou le texte contient "
            "un marqueur réservé « ti-uc: » : refermez la balise ou retirez-la"
        )

    def source_of(self, src_uri: str) -> str:
        """The file (or territory folder) a page is made from, as messages name it."""
        page = self.page_by_path(src_uri)
        return (page.source or sources.SITE) if page is not None else f"docs/{src_uri}"

    def locate(self, src_uri: str, text: str) -> tuple[str, int | None]:
        """The source file of a page and the line where ``text`` appears in it (for messages
        about a link of a generated page: contributors edit sources, not generated pages)."""
        rel = self.source_of(src_uri)
        if self.root is None:
            return rel, None
        base = self.root / rel
        candidates = sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else [base]
        for path in candidates:
            try:
                content = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            line = _line_of_link(content, text)
            if line is not None:
                return path.relative_to(self.root).as_posix(), line
        return rel, None

    # --- sharing: Open Graph and social images --------------------------------------------

    def page_by_path(self, src_uri: str) -> Page | None:
        return self._by_path.get(src_uri)

    # --- leaf pages served from the page cache (see pagecache) ------------------------------

    def plan_page_cache(
        self,
        parts: dict[str, Any],
        enabled: bool,
        every_page: bool,
        as_served: Callable[[str, str], bool] | None = None,
    ) -> int:
        """Decide which leaf pages are served from ``.cache/pages``; returns how many.

        ``parts``: what else the HTML depends on (configuration, navigation, address, engine).
        ``every_page``: every generated page, not only the leaves (the preview, which builds
        again after each save: only the pages an edit changed go through the theme again).
        ``as_served`` (the preview's dirty builds): told each page's key, whether the preview's
        folder holds that page as it is now; those pages are left as they are
        (``left_as_served``), neither rendered nor taken from the cache.
        """
        directory = self.cache("pages") if enabled else None
        settings = self.site.settings.model_dump(mode="json")
        self.page_cache = cache = PageCache(directory, signature({**parts, "settings": settings}))
        self.left_as_served = set()
        if as_served is not None:
            for p in self.pages:
                if as_served(p.path, cache.key(self._source_digest(p))):
                    self.left_as_served.add(p.path)
        if directory is None:
            return 0
        cacheable = [
            (p.path, self._source_digest(p))
            for p in self.pages
            if (p.leaf or every_page) and p.path not in self.left_as_served
        ]
        return len(cache.plan(cacheable))

    def _source_digest(self, page: Page) -> str:
        """What a page is made from: its own fields and front matter, and its finished HTML
        (make_html). A page and HTML reused from the last build (a territory that did not
        change, see reuse) are the very same objects: their digest is not made again."""
        ready = self.html[page.path]

        def made() -> str:
            text = repr(page) + "\n" + ready.html
            return hashlib.sha256(text.encode("utf-8")).hexdigest()

        return _SOURCE_DIGESTS.get((page, ready), made)

    def search_facets(self, src_uri: str) -> dict[str, Any]:
        """What the search index files a page under (filters) and shows of it (details), for
        main.html: a generated page's facets, « Page » for the national and docs/ pages."""
        page = self.page_by_path(src_uri)
        if page is not None and page.facets:
            facets = page.facets
        elif self.section_of(src_uri.removesuffix("index.md")) == GUIDE_SECTION:
            facets = (("type", searchindex.GUIDE),)  # after the visitors' results (recherche.js)
        else:
            facets = (("type", searchindex.PAGE),)
        first = dict(reversed(facets))  # the first value of each filter
        details = [("type", first["type"])]
        if "territoire" in first:
            details.append(("territoire", first["territoire"]))
        details += page.details if page is not None else ()
        indexed = page is None or page.indexed
        self.to_index += indexed
        return {
            "indexe": indexed,
            "filtres": list(facets),
            "details": details,
        }

    def section_of(self, url: str) -> str:
        """The part of the site a page belongs to: its territory, the guide, or the national
        pages. The footer's previous/next links never leave it."""
        first = url.strip("/").split("/", 1)[0]
        if not first and self.site.home:  # a one-territory site's home is the territory's
            return self.site.home
        if first in self._local_slugs:
            return first
        return GUIDE_SECTION if first == GUIDE_SECTION else ""

    @functools.cached_property
    def _local_slugs(self) -> frozenset[str]:
        return frozenset(t.slug for t in self.site.local)

    def cached_page(self, src_uri: str) -> Entry | None:
        return self.page_cache.entry(src_uri)

    def finish_page_cache(self, clean: bool, prune: bool = True) -> str:
        """Store this build's pages if ``clean`` (no warning was logged), prune old entries
        (``prune``: not in the preview, whose rebuilds would read every entry's date again; the
        next ``ti build`` does); returns the line for the build log."""
        cache = self.page_cache
        stored = cache.store(keep=clean)
        if prune:
            cache.prune()
        hits = len(cache.hits)
        return (
            f"Pages en cache : {hits} {agree(hits, 'reprise')}, "
            f"{stored} {agree(stored, 'enregistrée')}."
        )

    def meta_of(self, src_uri: str, ready: Ready, docs_dir: Path) -> dict[str, Any]:
        """A page's metadata for the theme: its front matter, when its content last changed
        (the sitemap's <lastmod>; MkDocs would write the build's date), and for a page served
        from the page cache, the trivial template that stands for it."""
        meta = {**ready.meta, **self.described(src_uri, docs_dir)}
        if src_uri in self.page_cache.hits:
            meta["template"] = PLACEHOLDER_TEMPLATE
        return meta

    def described(self, src_uri: str, docs_dir: Path) -> dict[str, str | None]:
        """What the theme reads of a page besides its own front matter, for a build and an
        export alike: when its content last changed (``ti_lastmod``), and the open data it
        describes (``ti_donnees``, its « alternate describedby » link: the bundle of a
        territory's pages, tisite.publish.bundle; the site's list on its home)."""
        found: dict[str, str | None] = {"ti_lastmod": self.modified(src_uri, docs_dir)}
        section = self.section_of(src_uri.removesuffix("index.md"))
        if src_uri == "index.md":
            found["ti_donnees"] = urls.url_to("federation")
        elif section and section != GUIDE_SECTION:
            found["ti_donnees"] = urls.url_to("donnees-territoire", t=section)
        return found

    def modified(self, src_uri: str, docs_dir: Path) -> str | None:
        """When a page's content last changed (ISO date): the generated page's own date, the
        last commit of a docs/ page; None when unknown (never the build's date)."""
        page = self.page_by_path(src_uri)
        if page is not None:
            return page.modified.isoformat() if page.modified else None
        if self.root is None:
            return None
        try:
            source = (docs_dir / src_uri).resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return None
        day = self.renderer.file_dates.get(source)
        return day.isoformat() if day else None

    def share(
        self, page: sharing.SharedPage, site_url: str | None, docs_dir: Path
    ) -> dict[str, Any]:
        """A page's Open Graph values (see sharing); the card it needs is recorded here, to be
        drawn with the others after the pages (write_artefacts)."""
        site = sharing.SharedSite(
            self.site.settings.titre, self.site.settings.description, site_url, docs_dir
        )
        shared = sharing.open_graph(
            dataclasses.replace(page, generated=self.page_by_path(page.src_uri)), site
        )
        if shared.card_path is not None and shared.card is not None:
            self.cards[shared.card_path] = shared.card
            self.card_of[page.src_uri] = shared.card_path
        return shared.tags

    # --- URLs that never break ------------------------------------------------------------

    def produced_urls(self, page_urls: list[str]) -> set[str]:
        redirects = {src for src, _, _ in self.renderer.redirects()}
        pages = {"/" + ("" if u in (".", "./") else u) for u in page_urls}
        return pages | {"/" + u for u in redirects}

    def check_urls(self, produced: set[str]) -> list[str]:
        """The new addresses of this build (see registry); raises a ContentError if it drops a
        published one. A preview of one territory checks nothing."""
        if self.root is None or self.only_preview:
            return []
        return registry.check(self.root, produced)

    @property
    def only_preview(self) -> bool:
        return len(self.site.local) < len(self._all_territory_dirs())

    def _all_territory_dirs(self) -> list[Path]:
        return territory_dirs(self.root) if self.root else []

    def cache(self, name: str) -> Path | None:
        """A folder of the project's .cache/, or None when the build has no project root."""
        return self.root / CACHE / name if self.root is not None else None

    @property
    def card_cache(self) -> Path | None:
        return self.cache("images-partage")

    def start_drawing(self, workers: int | None = None) -> None:
        """Draw the generated pages' missing social images in the background (CardPainter).

        ``workers``: processes to use (by default, one per processor beyond the first).
        """
        self.painter = CardPainter(self.card_cache, workers)
        self.painter.submit([p.card for p in self.pages if p.card is not None])

    def stop_drawing(self) -> None:
        if self.painter is not None:
            self.painter.close()

    def mkdocs_assets(self) -> list[tuple[str, str | bytes]]:
        """The generated files MkDocs copies (the others are linked by write_artefacts), and the
        site's own styles, scripts and icon: code of the project, kept out of docs/ (content)."""
        own = [
            (f"assets/{p.relative_to(THEME_ASSETS).as_posix()}", p.read_bytes())
            for p in sorted(THEME_ASSETS.rglob("*"))
            if p.is_file()
        ]
        return own + [(p, c) for p, c in self.assets if not p.endswith(LINKED_FILES)]

    def clean_docs_image(self, path: Path) -> bytes:
        """An image of docs/ as published: encoded again, without metadata (see images)."""
        source = path.name
        if self.root is not None:
            with contextlib.suppress(ValueError):
                source = path.resolve().relative_to(self.root.resolve()).as_posix()
        return assets.docs_image(path, self.cache("images"), source)

    def write_editor(self, site_dir: Path, site_url: str | None, preview: bool) -> str:
        """The web editor's files under admin/ (see cms); returns the line the build prints.

        The preview always has it, signed in through the local server (`make editeur-local`);
        a published site has it when site.yml's « edition » says where the repository is.
        """
        edition = self.site.settings.edition
        if self.root is None or (edition is None and not preview):
            return (
                "Éditeur web : non activé. Pour l'activer, ajoutez à site.yml le bloc "
                "« edition » (forge, depot, et application_id ou url_authentification) ; "
                f"{schema.GUIDE_EDITOR}."
            )
        if not cms.installed(self.root):
            message = (
                "l'éditeur web (Decap CMS) n'est pas installé dans .cache/editeur : lancez "
                "`make editeur` (il le télécharge depuis npm, à une version vérifiée)"
            )
            if preview:  # the preview's folder is kept: a former build's editor goes
                shutil.rmtree(site_dir / urls.EDITOR, ignore_errors=True)
                return f"Éditeur web : absent de l'aperçu ({message})."
            raise ContentError([Problem(sources.SITE, None, "edition", message)])
        blobs = self.cache("fichiers")
        for path, content in cms.admin_files(self.site, self.root, site_url, local=preview):
            link_blob(blobs, content, site_dir / path)
        if preview:
            return (
                "Éditeur web : /admin/, enregistre dans vos fichiers par le serveur local "
                "(`make editeur-local` dans un autre terminal)."
            )
        assert edition is not None
        mode = "demandes de fusion" if edition.workflow_editorial else "publication directe"
        shared = cms.shared_origin(site_url)
        return f"Éditeur web : /admin/ ({edition.forge}, {edition.depot}, {mode})." + (
            f"\n{shared}." if shared else ""
        )

    def linked_files(self) -> list[tuple[str, str | bytes]]:
        """The generated files written by write_artefacts, not by the engine (email versions)."""
        return [(p, c) for p, c in self.assets if p.endswith(LINKED_FILES)]

    def write_artefacts(self, site_dir: Path, prune: bool = True) -> None:
        """Files written after the pages: email versions and social images (from .cache).
        ``prune``: the files no build used for a while are removed from .cache (not by the
        preview: the next ``ti build`` does). An email version the preview's folder holds as it
        is now (``linked_as_served``, see tisite.publish.served) is not written again."""
        blobs = self.cache("fichiers")
        for path, content in self.linked_files():
            if path not in self.linked_as_served:
                link_blob(blobs, content, site_dir / path)
        if prune and not self.only_preview:
            prune_older(blobs, "*")
        cache = self.card_cache
        background: set[str] = set()
        if self.painter is not None:
            self.painter.wait()
            background = self.painter.pending
        for path, card in self.cards.items():
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            cached = write_cached(card, cache, target) and card.digest() not in background
            self.social_stats["cached" if cached else "drawn"] += 1
