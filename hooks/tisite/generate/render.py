"""Render models into Markdown pages (with front matter) through Jinja2 templates.

Every ``{{ value }}`` is escaped for Markdown unless it is explicitly marked safe (Markup):
values from YAML can never inject markup. Free Markdown written by contributors goes through
the ``markdown`` filter and is sanitised after conversion (see ``sanitize``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from markdown.extensions.toc import slugify as toc_slugify
from markdown.extensions.toc import unique as toc_unique
from markupsafe import Markup

from tisite import clock, urls
from tisite.content import federation, fieldref, history, sources, vocab
from tisite.content.models import ActionItem, AgendaEntry, SiteModel, Territory
from tisite.finish.sanitize import sanitize
from tisite.generate import actionplan, finder, national, opendata, reuse, sharing, textutil, views
from tisite.generate.charts import bar_chart
from tisite.generate.convert import HEADERLINK, Converter, Link, markdown_settings
from tisite.generate.maps import (
    locator_map,
    map_attribution,
    map_description,
    national_links,
    national_map,
)
from tisite.generate.pagehtml import front_matter_text
from tisite.generate.templatecache import CompiledTemplates
from tisite.memo import Recent
from tisite.publish import bundle, publishing, searchindex
from tisite.publish.social import Card

TEMPLATES = Path(__file__).parents[1] / "templates"


class Rendered(str):
    """A rendered page (front matter and HTML), with the links its contributor fields make and
    the identifiers they had before the sanitiser renamed them; and its template."""

    links: tuple[Link, ...] = ()
    former: tuple[str, ...] = ()  # contributors' identifiers renamed « uc-… » (still anchors)
    template: str = ""

    @property
    def is_html(self) -> bool:
        return self.template.endswith(".html.j2")

    def head_only(self) -> Rendered:
        """The same page without its body, once the core has finished it (SiteBuild.make_html):
        a site's pages are not held twice in memory. Keeps the front matter, the links, the
        former identifiers and the template."""
        head, _ = front_matter_text(self)
        out = Rendered(f"---\n{head}\n---\n" if head else "")
        out.links, out.former, out.template = self.links, self.former, self.template
        return out


Files = tuple[tuple[str, str | bytes], ...]  # generated files: (path under the site, content)


def _as_bytes(files: list[tuple[str, str | bytes]], start: int = 0) -> int:
    """Generated files from ``start`` on as UTF-8 bytes, as they are written (in place): French
    text with a narrow no-break space or a typographic apostrophe takes two bytes a character as
    a string. Returns where the next call starts."""
    for index in range(start, len(files)):
        path, content = files[index]
        if isinstance(content, str):
            files[index] = (path, content.encode("utf-8"))
    return len(files)


@dataclass
class _Rendering:
    """What an HTML template's filters need of the page being rendered."""

    page_path: str  # its file (links of contributor Markdown are written from it)
    converter: Converter
    links: list[Link]
    ids: set[str]  # heading identifiers already given on the page
    former: set[str] = field(default_factory=set)  # contributors' identifiers, renamed


_RENDERING: ContextVar[_Rendering | None] = ContextVar("rendering", default=None)


@dataclass(frozen=True)
class Page:
    """A generated page: its path under the site (``slug/priorites/index.md``) and content."""

    path: str
    title: str
    content: str
    card: Card | None = None  # what its social image shows
    og_type: str = "website"
    published: dt.date | None = None
    modified: dt.date | None = None
    leaf: bool = False  # a fiche action or a letter: out of the navigation, cacheable
    source: str | None = None  # the file (or territory folder) it is made from, for messages
    facets: searchindex.Facets = ()  # what the search index files it under (see searchindex)
    details: searchindex.Facets = ()  # what search results show of it beyond its kind
    indexed: bool = True  # found by the site's search (the finder's lists are not)

    @property
    def url(self) -> str:
        return self.path.removesuffix("index.md")

    @property
    def template(self) -> str:
        """The page template it was rendered from."""
        return getattr(self.content, "template", "")

    @property
    def links(self) -> tuple[Link, ...]:
        """Links of its contributor fields (an HTML page; see ``_markdown_html``)."""
        return getattr(self.content, "links", ())

    @property
    def former(self) -> tuple[str, ...]:
        """Contributors' identifiers its HTML renamed (links written before still use them)."""
        return getattr(self.content, "former", ())

    @property
    def is_html(self) -> bool:
        return bool(getattr(self.content, "is_html", False))


def _html_finalize(value: Any) -> Any:
    """An HTML template's value: « non renseigné » for nothing, the rest on one line and
    escaped for HTML text and double-quoted attributes (``& < > "``); the apostrophe, frequent
    in French, is kept as it is: no template writes a value in a single-quoted attribute (a
    test checks it)."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("non renseigné")
    text = textutil.one_line(value) if isinstance(value, str) else str(value)
    return Markup(html.escape(text, quote=False).replace('"', "&quot;"))


_FIELDS: Recent[tuple[str, tuple[str, ...], tuple[Link, ...]]] = Recent()


_HEADING_TAG = re.compile(r"<(/?)h([1-6])\b")


@pass_context  # (Jinja never calls it while compiling: it depends on the page rendered)
def _markdown_html(context: Any, value: str | None, under: int = 1) -> Markup:
    """Contributor-written Markdown in an HTML template: converted once by the core with the
    site's extensions, its links resolved from the page's file and recorded for the link
    check, and sanitised as a contributor's (identifiers namespaced « uc- »).

    ``under``: the level of the heading the text is shown under (1: the page's title; 2: a
    section's, such as a fiche action's « Description »). The contributor writes « ## » for
    a heading of the text, as in a letter (the check asks for it: letters.heading_warnings);
    under a section it becomes an « h3 », so that the page's outline stays a tree."""
    if not value:
        return Markup("")
    rendering = _RENDERING.get()
    assert rendering is not None, "une page HTML se rend par Renderer.render"
    text = str(value).replace("\r\n", "\n").strip()
    converter = rendering.converter

    def convert() -> tuple[str, tuple[str, ...], tuple[Link, ...]]:
        converted = converter.convert(rendering.page_path, text)
        clean = sanitize(converted.html, contributed=True)
        # the sanitiser namespaced the block's identifiers and its links to them (« #x » →
        # « #uc-x », the headings' own links included): the links recorded follow them
        links = tuple(
            dataclasses.replace(link, anchor=clean.renamed.get(link.anchor, link.anchor))
            if link.kind == "self"
            else link
            for link in converted.links
        )
        return clean.html, tuple(clean.renamed), links

    # the same text on the same page with the same settings: the same HTML (tisite.memo)
    html, renamed, links = _FIELDS.get((converter.settings, rendering.page_path, text), convert)
    rendering.former.update(renamed)
    rendering.links.extend(links)
    if under > 1:  # (the sanitiser wrote every tag in lower case, text « < » as « &lt; »)
        html = _HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + under - 1)}", html)
    return Markup(html)


_HEADERLINK = "".join(f' {name}="{value}"' for name, value in HEADERLINK.items())


def _heading(level: int, text: object, ident: str | None = None) -> Markup:
    """A heading of an HTML page, as the Markdown ``toc`` extension writes one: an identifier
    made from its text (unique on the page) and a link to itself. The page's table of
    contents lists the headings written at its top level (see pagehtml)."""
    rendering = _RENDERING.get()
    assert rendering is not None, "une page HTML se rend par Renderer.render"
    label = textutil.one_line(text)
    wanted = ident or toc_slugify(html.unescape(label), "-")
    ident = toc_unique(wanted, rendering.ids)
    escaped = html.escape(label, quote=False)
    return Markup(
        f'<h{level} id="{html.escape(ident)}">{escaped}<a class="headerlink" '
        f'href="#{html.escape(ident)}" title="{html.escape(rendering.converter.permalink_title)}"'
        f"{_HEADERLINK}>&para;</a></h{level}>"
    )


def _yaml_str(value: object) -> Markup:
    return Markup(json.dumps(textutil.one_line(value), ensure_ascii=False))


def _meta_text(value: object, limit: int | None = None) -> Markup:
    """A front-matter value that Material prints as raw HTML (title, description): escaped."""
    text = html.escape(textutil.trim(value, limit), quote=False).replace('"', "&quot;")
    return Markup(json.dumps(text, ensure_ascii=False))


def _chart_format(items: list[tuple[str, float]], fmt: str) -> Callable[[Any], str]:
    """How a chart writes its values: numbers, or euros with the cents of one for all."""
    if fmt != "euros":
        return textutil.number
    cents = textutil.has_cents(value for _, value in items)
    return lambda value: textutil.euros(value, cents)


def make_env() -> Environment:
    """The page templates' environment: HTML with every value escaped (autoescape), contributor
    Markdown converted by the ``markdown`` filter, headings by ``titre``."""
    env = Environment(
        auto_reload=False,  # templates do not change during a build: no stat per render
        loader=FileSystemLoader(str(TEMPLATES / "pages")),
        undefined=StrictUndefined,
        autoescape=True,
        finalize=_html_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        html=textutil.html_escape,
        multiline=textutil.multiline,
        markdown=_markdown_html,
        yaml_str=_yaml_str,
        meta_text=_meta_text,
        trim=textutil.trim,
        number=textutil.number,
        euros=textutil.euros,
        has_cents=textutil.has_cents,
        percent=textutil.percent,
        long_date=textutil.long_date,
        plain=textutil.plain,
        plural=textutil.plural,
        when=textutil.when,
        when_html=textutil.when_html,
        numero=textutil.numero,  # « n° 15 », a no-break space after « n° »
        full_stop=textutil.full_stop,  # « . » unless the text ends with its own
    )
    env.tests["dated_by"] = textutil.dates_itself  # {% if source is dated_by(date) %}
    env.filters["french_sort"] = textutil.french_sorted
    env.filters["key"] = actionplan.key  # « En cours » → « en-cours » (CSS classes, filters)
    env.filters["overdue"] = actionplan.is_overdue  # a|overdue(today): its planned end passed
    env.globals.update(
        plural=textutil.plural,
        agree=textutil.agree,
        licence_phrase=textutil.licence_phrase,
        of_name=textutil.of_name,
        suggested_post=sharing.suggested_post,
        AXES=vocab.AXES,
        PRIORITES=vocab.PRIORITES,
        chart=lambda items, title, fmt: Markup(bar_chart(items, title, _chart_format(items, fmt))),
        map_attribution=map_attribution,
        national_links=lambda rows: Markup(national_links(rows)),
        # links between pages, from the address table (``ici``: the page being rendered)
        url_to=urls.url_to,
        lien=urls.href,
        adresse=urls.href,
        titre=_heading,
    )
    return env


DASHBOARD = urls.page_file(urls.url_to("tableau-de-bord"))
NAV_BY_REGION = 12

# Sections of a territory: (address below the territory, navigation title, template), in the
# order of urls.TERRITORY_SECTIONS. Leaves (one action, one letter) are generated separately
# and kept out of the navigation tree.
TEMPLATES_OF = {
    "territoire": "territoire.html.j2",
    "carte-identite": "carte-identite.html.j2",
    "priorites": "priorites.html.j2",
    "gouvernance": "gouvernance.html.j2",
    "plan-action": "plan-action.html.j2",
    "avancement": "avancement.html.j2",
    "lettres": "lettres.html.j2",
    "agenda": "agenda.html.j2",
}
SECTIONS = tuple(
    (name, urls.section(name), title, TEMPLATES_OF[name]) for name, title in urls.TERRITORY_SECTIONS
)
# The national pages written from site.yml: (name in urls.TABLE, title, template).
INFORMATION_PAGES = (
    ("mentions-legales", "Mentions légales", "mentions-legales.html.j2"),
    ("accessibilite", "Déclaration d'accessibilité", "accessibilite.html.j2"),
    ("donnees-personnelles", "Données personnelles", "donnees-personnelles.html.j2"),
)


# A data file's format as the page « Données ouvertes » names it, by its media type.
FORMATS = {
    "text/csv": "tableur CSV",
    "application/json": "JSON",
    "text/calendar": "iCalendar",
    "application/rss+xml": "RSS",
    "application/atom+xml": "Atom",
}
# HTTP headers for the hosts that read a « _headers » file (Netlify, Cloudflare Pages): GitHub
# and GitLab Pages send none of their own, and ignore it (the pages' <meta> policy applies).
HEADERS = """/*
  Content-Security-Policy: frame-ancestors 'self'
  X-Frame-Options: SAMEORIGIN
  X-Content-Type-Options: nosniff
  Referrer-Policy: strict-origin-when-cross-origin
"""


def _actions(count: int) -> str:
    return textutil.plural(count, "fiche action", "fiches actions")


class Renderer:
    """Turns a SiteModel into the list of generated pages and files."""

    def __init__(
        self,
        site: SiteModel,
        today: dt.date | None = None,
        site_url: str | None = None,
        cache_dir: Path | None = None,
        file_dates: dict[str, dt.date] | None = None,
        published: frozenset[str] = frozenset(),
        markdown_options: tuple[list[str], dict[str, dict[str, Any]]] | None = None,
        root: Path | None = None,
    ) -> None:
        self.site = site
        self.root = root  # the project (the date of a feed without letter, see _last_change)
        self.published = published  # addresses already published (urls-publiees.txt)
        self.file_dates = file_dates or {}  # last commit of each source file (see history)
        self.today = today or clock.today()
        # the build's time (a feed's date is never later): now, or the start of a given day
        self.now = (
            clock.now()
            if self.today == clock.today()
            else dt.datetime.combine(self.today, dt.time(0, 0), tzinfo=clock.PARIS)
        )
        self.site_url = site_url
        self.cache_dir = cache_dir  # email versions cached by content hash (.cache/courriels)
        self.env = make_env()
        self.converter = Converter(*(markdown_options or markdown_settings(None)), site_url)
        # compiled templates kept between builds
        self.env.bytecode_cache = CompiledTemplates(cache_dir and cache_dir / "jinja")
        self.env.globals["absolute_url"] = lambda path: urls.absolute(site_url, path)
        self.env.globals["webcal"] = lambda name, **params: urls.webcal(
            site_url, urls.url_to(name, **params)
        )
        # a harvested territory's pages are on its own site: links go there, by absolute address
        self.remote = {t.slug: t for t in site.territories if t.remote is not None}
        self.env.globals.update(lien=self.href, adresse=self.href)

    def href(self, from_page: str, name: str, **params: object) -> Markup:
        """``urls.href``, with a harvested territory's addresses on its own site."""
        harvested = self.remote.get(str(params.get("t", "")))
        if harvested is not None:
            return Markup(html.escape(harvested.address(self.site_url, name, **params)))
        return urls.href(from_page, name, **params)

    def render(self, template: str, ici: str, **context: Any) -> Rendered:
        """A page's front matter and HTML; ``ici``: its address (links are written relative
        to it). A territory's page (``t`` given) is not handed the whole site: it is made from
        its territory and the build's context only, what reuse keys it by (a template that
        reads ``site`` there fails, StrictUndefined)."""
        rendering = _Rendering(urls.page_file(ici), self.converter, [], set())
        token = _RENDERING.set(rendering)
        whole = {} if "t" in context else {"site": self.site}
        try:
            text = self.env.get_template(template).render(
                ici=ici,
                settings=self.site.settings,
                reference=self.site.reference_source,
                today=self.today,
                **whole,
                **context,
            )
        finally:
            _RENDERING.reset(token)
        out = Rendered(text)
        out.links = tuple(rendering.links)
        out.former = tuple(sorted(rendering.former))
        out.template = template
        return out

    def view_of(self, section: str, t: Territory) -> dict[str, Any]:
        """The view a territory section's template lays out (see views)."""
        builders: dict[str, Callable[[], object]] = {
            urls.section("territoire"): lambda: views.territory(t, self.millesime),
            urls.section("carte-identite"): lambda: map_description(
                [code for code, _ in t.departements], t.nom
            ),
            urls.section("priorites"): lambda: views.priority_links(t),
            urls.section("plan-action"): lambda: views.plan(t, self.today),
            urls.section("avancement"): lambda: views.progress(t, self.today),
            urls.section("gouvernance"): lambda: views.chef_funding_total(t),
            urls.section("lettres"): lambda: views.letters_by_year(t),
            urls.section("agenda"): lambda: views.agenda(t, self.today),
        }
        builder = builders.get(section)
        return {"view": builder()} if builder else {}

    @property
    def millesime(self) -> str:
        """The year of the population figures (reference data)."""
        return self.site.reference_source["millesime"]

    def action_date(self, action: ActionItem) -> dt.date | None:
        """When a fiche action last changed: its newest progress entry, else its file's last
        commit."""
        dates = [e.date for e in action.history]
        return max(dates) if dates else self.file_dates.get(action.source)

    def section_dates(self, t: Territory) -> dict[str, dt.date | None]:
        """When each page of a territory last changed, from the content it shows."""

        def of(name: str) -> dt.date | None:
            return self.file_dates.get(f"{t.source_dir}/{name}")

        actions = history.newest(*(self.action_date(a) for a in t.actions))
        letters = t.letters[0].date if t.letters else None
        dates: dict[str, dt.date | None] = {
            urls.section("carte-identite"): of(sources.TERRITORY),
            urls.section("priorites"): of(sources.PRIORITIES),
            urls.section("plan-action"): actions,
            urls.section("avancement"): actions,
            urls.section("gouvernance"): of(sources.GOVERNANCE),
            urls.section("lettres"): letters,
            urls.section("agenda"): history.newest(of(sources.AGENDA), letters),
        }
        dates[""] = history.newest(*dates.values())
        return dates

    def site_date(self) -> dt.date | None:
        return history.newest(
            *(self.section_dates(t)[""] for t in self.site.local),
            self.file_dates.get(sources.SITE),
        )

    def open_data_page(self) -> Page:
        """« Données ouvertes »: every data file of the catalogue (datapackage.json) for a
        person, with its format and its schema (the catalogue itself is for programs)."""
        here = urls.url_to("donnees-ouvertes")
        groups = []
        for territory, resources in opendata.resource_groups(self.site):
            rows = []
            for r in resources:
                schema = r.get("schema") or r.get("jsonSchema")
                title = r["title"].removeprefix(f"{territory} : ") if territory else r["title"]
                rows.append(
                    {
                        "href": urls.relative(here, r["path"]),
                        "file": r["path"].rsplit("/", 1)[-1],
                        "title": title[:1].upper() + title[1:],
                        "format": FORMATS.get(r["mediatype"], r["format"]),
                        "schema": urls.relative(here, schema) if schema else None,
                    }
                )
            groups.append((territory, rows))
        title = "Données ouvertes"
        return Page(
            urls.page_file(here),
            title,
            self.render(
                "donnees-ouvertes.html.j2",
                here,
                groups=groups,
                catalogue=urls.relative(here, urls.url_to("catalogue-donnees")),
                updated=self.site_date(),
            ),
            self.card(title, "Informations"),
            modified=self.site_date(),
        )

    def card(
        self, title: str, kind: str, t: Territory | None = None, figure: str | None = None
    ) -> Card:
        return Card(title, kind, t.nom if t else None, figure, self.site.settings.titre)

    def pages(self, known: dict[str, tuple[Page, ...]] | None = None) -> list[Page]:
        """Every generated page. A one-territory site (``SiteModel.own_territory``) has no
        network pages: the territory's home is the site's (see urls.set_home_territory).
        ``known``: territories whose pages a former build made from the same inputs (see
        reuse), by slug (and the action finder's, under reuse.FINDER); theirs are not made
        again. ``by_territory`` records the paths of each territory's pages (and the finder's;
        paths only: a page's body is freed once its HTML is made)."""
        known = known or {}
        self.by_territory: dict[str, tuple[str, ...]] = {}
        own = self.site.own_territory is not None
        pages = [] if own else self.network_pages()
        for name, title, template in INFORMATION_PAGES:
            pages.append(
                Page(
                    urls.page_file(urls.url_to(name)),
                    title,
                    self.render(template, urls.url_to(name)),
                    self.card(title, "Informations"),
                    modified=self.file_dates.get(sources.SITE),
                )
            )
        pages.append(self.open_data_page())
        files = [(f, m, about, fieldref.field_docs(m)) for f, m, about in fieldref.FILES]
        title = "Référence des champs"
        pages.append(
            Page(
                urls.page_file(urls.url_to("reference-des-champs")),
                title,
                self.render(
                    "reference-des-champs.html.j2", urls.url_to("reference-des-champs"), files=files
                ),
                self.card(title, "Contribuer"),
            )
        )
        if not own:  # reused as a territory's pages are (see reuse.FINDER)
            finder_made = known.get(reuse.FINDER) or tuple(self.finder_pages())
            self.by_territory[reuse.FINDER] = tuple(page.path for page in finder_made)
            pages.extend(finder_made)
        for territory in self.site.local:  # a portal's harvested territories are on their sites
            slug = territory.slug
            made = known.get(slug) or tuple(self.territory_pages(territory))
            self.by_territory[slug] = tuple(page.path for page in made)
            pages.extend(made)
        # a date of the content may be ahead (a progress entry or a letter dated later): a
        # page has not changed after the build (the sitemap's <lastmod>, og:modified_time)
        return [
            dataclasses.replace(page, modified=self.today)
            if page.modified is not None and page.modified > self.today
            else page
            for page in pages
        ]

    def network_pages(self) -> list[Page]:
        """The home page and the dashboard of a site of several territories."""
        home = self.site.settings.titre
        nb = len(self.site.territories)
        everything = self.site_date()
        pages = [
            Page(
                "index.md",
                home,
                self.render(
                    "home.html.j2",
                    urls.url_to("accueil"),
                    view=views.home(self.site, self.millesime),
                ),
                self.card(home, "Le réseau", figure=textutil.plural(nb, "territoire")),
                modified=everything,
            ),
        ]
        title = "Tableau de bord national"
        pages.append(
            Page(
                DASHBOARD,
                title,
                self.render(
                    "tableau-de-bord.html.j2",
                    urls.url_to("tableau-de-bord"),
                    view=views.dashboard(self.site),
                ),
                self.card(title, "Le réseau", figure=textutil.plural(nb, "territoire")),
                modified=everything,
            )
        )
        return pages

    def finder_pages(self) -> list[Page]:
        """The national action finder and its pages by facet (see finder)."""
        values = finder.facet_values(self.site)
        total = sum(len(t.actions) for t in self.site.territories)
        everything = self.site_date()
        title = "Toutes les fiches actions"
        pages = [
            Page(
                urls.page_file(finder.ROOT),
                title,
                self.render(
                    "actions.html.j2",
                    finder.ROOT,
                    total=total,
                    facets=finder.FACETS,
                    paged=finder.PAGED,
                    values=values,
                    groups=finder.grouped(self.site),
                    # a portal: the index of its harvested actions, and the sites they are on
                    harvested=urls.relative(finder.ROOT, searchindex.HARVESTED + "/"),
                    origins=" ".join(
                        sorted(
                            {
                                federation.web_origin(t.remote.site)
                                for t in self.remote.values()
                                if t.remote
                            }
                        )
                    ),
                    first=finder.first_results(self.site),
                ),
                self.card(title, "Le réseau", figure=_actions(total)),
                modified=everything,
            )
        ]
        for v in finder.facet_pages(self.site, self.published):
            groups = finder.grouped(self.site, v.facet, v.label)
            title = f"Fiches actions — {finder.TITLES[v.facet]}{v.label}"
            pages.append(
                Page(
                    v.path,
                    title,
                    self.render(
                        "actions-facette.html.j2",
                        v.url,
                        title=title,
                        v=v,
                        groups=groups,
                        territories=sum(len(g.territories) for g in groups),
                    ),
                    self.card(title, "Le réseau", figure=_actions(v.count)),
                    modified=everything,
                    indexed=False,
                )
            )
        return pages

    def territory_pages(self, t: Territory) -> list[Page]:
        population = f"{textutil.number(t.population)} habitants"
        figures = {  # a section's key figure on its share card
            urls.section("territoire"): population,
            urls.section("carte-identite"): population,
            urls.section("plan-action"): _actions(len(t.actions)) if t.actions else None,
            urls.section("lettres"): (
                textutil.plural(len(t.letters), "lettre") if t.letters else None
            ),
        }
        changed = self.section_dates(t)
        pages = [
            Page(
                urls.page_file(urls.url_to(name, t=t.slug)),
                title or t.nom,
                self.render(tpl, urls.url_to(name, t=t.slug), t=t, **self.view_of(sub, t)),
                # the territory's name as the title, the section as the badge (review:
                # « Gouvernance » twice, the territory in small print at the bottom)
                self.card(t.nom, title or "Territoire d'industrie", t, figures.get(sub)),
                modified=changed[sub],
                source=t.source_dir,
                facets=searchindex.territory_facets(t, searchindex.TERRITORY),
            )
            for name, sub, title, tpl in SECTIONS
        ]
        for action in t.actions:
            # its planned end passed: said as its page says it, by its share card (« Statut :
            # En cours » beside « Échéance dépassée ») and by the finder's results
            overdue = actionplan.is_overdue(action, self.today)
            figure = (
                f"{textutil.euros(action.budget_total)} de budget"
                if action.budget_total is not None
                else f"{action.statut} · {actionplan.OVERDUE}"
                if overdue
                else f"Statut : {action.statut}"
                if action.current is not None
                else None  # (« Statut : Non renseigné » on a shared card says nothing)
            )
            dates = [e.date for e in action.history]
            late = (("echeance", actionplan.OVERDUE),) if overdue else ()
            pages.append(
                Page(
                    urls.page_file(action.url),
                    action.titre,
                    self.render(
                        "action.html.j2",
                        action.url,
                        t=t,
                        a=action,
                        view=views.action(action, self.today),
                    ),
                    self.card(action.titre, "Fiche action", t, figure),
                    "article",
                    min(dates) if dates else None,
                    self.action_date(action),
                    leaf=True,
                    source=action.source,
                    facets=searchindex.action_facets(t, action),
                    details=(
                        ("resume", action.data.resume),
                        ("statut", action.statut),
                        *late,  # the finder's results say it as the plan's cards do
                    ),
                )
            )
        letters = t.letters  # newest first
        for index, letter in enumerate(letters):
            newer = letters[index - 1] if index > 0 else None
            older = letters[index + 1] if index + 1 < len(letters) else None
            content = self.render(
                "lettre.html.j2",
                letter.url,
                t=t,
                x=letter,
                newer=newer,
                older=older,
                updated=_updates(t, letter.numero),
            )
            card = self.card(
                letter.titre,
                f"Lettre {textutil.numero(letter.numero)}",
                t,
                textutil.long_date(letter.date),
            )
            pages.append(
                Page(
                    urls.page_file(letter.url),
                    letter.titre,
                    content,
                    card,
                    "article",
                    letter.date,
                    letter.date,
                    leaf=True,
                    source=letter.source,
                    facets=searchindex.territory_facets(t, searchindex.LETTER),
                )
            )
        return pages

    def _last_change(self, folder: str) -> dt.datetime | None:
        """When the content under ``folder`` last changed, the date of a feed without letter:
        the start of the day of its last commit, else the newest time a file of it was written
        (the same for every build of the same files); None when nothing is known."""
        days = [d for path, d in self.file_dates.items() if path.startswith(folder)]
        if days:
            return dt.datetime.combine(max(days), dt.time(0, 0), tzinfo=clock.PARIS)
        if self.root is None or not (self.root / folder).is_dir():
            return None
        times = [p.stat().st_mtime for p in (self.root / folder).rglob("*") if p.is_file()]
        if not times:
            return None
        moment = dt.datetime.fromtimestamp(int(max(times)), tz=clock.PARIS)
        return min(moment, self.now)

    def assets(
        self, known: dict[str, tuple[object, Files]] | None = None
    ) -> list[tuple[str, str | bytes]]:
        """Generated files that are not pages: (path under the site, content). ``known``: a
        territory's files as a former build made them from the same inputs (see reuse), with
        the time their feeds were dated by (``feed_moment``), by slug; those whose feeds' date
        is the same are not made again. ``files_by_territory`` records each territory's files
        and that time."""
        known = known or {}
        self.files_by_territory: dict[str, tuple[object, Files]] = {}
        licence = {"nom": self.site.settings.licence.nom, "url": self.site.settings.licence.url}
        out: list[tuple[str, str | bytes]] = []
        out += publishing.site_feeds(
            self.site,
            self.site_url,
            self.now,
            None
            if any(t.letters for t in self.site.territories)
            else self._last_change(f"{sources.TERRITORIES}/"),
        )
        if self.site.own_territory is None:  # the national home's map
            counts = {code: len(ts) for code, _, ts in national.by_departement(self.site)}
            out.append((urls.url_to("carte-territoires"), national_map(counts)))
        out.append(
            (
                urls.url_to("territoires-json"),
                national.territories_json(self.site, self.site_url, licence, self.today),
            )
        )
        out.append(
            (urls.url_to("territoires-csv"), national.territories_csv(self.site, self.site_url))
        )
        out.append((urls.url_to("federation"), bundle.site_index(self.site, self.site_url)))
        out += opendata.schema_files(self.site_url)
        out.append(
            (
                urls.url_to("catalogue-donnees"),
                opendata.datapackage(
                    self.site, self.site_url, licence, self.today, self.site_date()
                ),
            )
        )
        _as_bytes(out)
        for t in self.site.local:
            moment = self.feed_moment(t)
            former = known.get(t.slug)
            if former is not None and former[0] == moment:
                files = former[1]
            else:
                files = self.territory_files(t, licence, moment)
            self.files_by_territory[t.slug] = (moment, files)
            out += files
        redirects = self.redirects()
        out += [(f"{src}index.html", html) for src, html, _ in redirects]
        out.append(
            (
                urls.url_to("redirections"),
                "".join(f"/{src} /{dest} 301\n" for src, _, dest in redirects),
            )
        )
        # what a <meta> policy cannot say: no other site frames these pages (clickjacking)
        out.append((urls.url_to("entetes"), HEADERS))
        sitemap = urls.absolute(self.site_url, urls.url_to("plan-du-site"))
        out.append((urls.url_to("robots"), f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n"))
        _as_bytes(out)
        return out

    def feed_moment(self, t: Territory) -> object:
        """What a territory's feeds take of the time of the build besides the territory and
        the build's context (its day): the date of a feed without letter (its content's last
        change), and whether noon has passed when a letter is dated today or later (a
        letter's moment is never later than the build: publishing.feed_moment). None:
        nothing."""
        if not t.letters:
            return ("sans lettre", self._last_change(f"{t.source_dir}/"))
        if max(letter.date for letter in t.letters) >= self.today:
            paris = self.now.astimezone(clock.PARIS)  # the day of the feeds' times
            return ("lettre du jour", paris.date(), publishing.after_noon(self.now))
        return None

    def territory_files(self, t: Territory, licence: dict[str, str], moment: object) -> Files:
        """A territory's files (data bundle, feeds, agenda, email versions, map, open data), as
        UTF-8 bytes. ``moment``: see feed_moment."""
        stamp = dt.datetime.combine(self.today, dt.time(0, 0), tzinfo=dt.UTC)
        quiet = moment[1] if isinstance(moment, tuple) and moment[0] == "sans lettre" else None
        out: list[tuple[str, str | bytes]] = [
            (
                urls.url_to("donnees-territoire", t=t.slug),
                bundle.territory_bundle(t, self.site_url, self.millesime, self.action_date),
            )
        ]
        out += publishing.territory_feeds(t, self.site_url, self.now, quiet)
        out.append(
            (
                urls.url_to("agenda-ics", t=t.slug),
                publishing.agenda_ics(t, self.site_url, stamp, self.cache_dir),
            )
        )
        for letter in t.letters:
            out += [
                (letter.url + name, document)
                for name, document in publishing.email_versions(
                    t, letter, self.site.settings, self.site_url, self.cache_dir
                )
            ]
        out += [
            (
                urls.url_to("carte-territoire", t=t.slug),
                locator_map([c for c, _ in t.departements], t.nom),
            ),
            (
                urls.url_to("actions-csv", t=t.slug),
                actionplan.actions_csv(t, self.site_url, self.today),
            ),
            (
                urls.url_to("actions-json", t=t.slug),
                actionplan.actions_json(t, self.site_url, licence, self.today),
            ),
            (
                urls.url_to("projets-csv", t=t.slug),
                actionplan.projets_territoire_csv(t, self.today, self.action_date),
            ),
        ]
        _as_bytes(out)  # a national site's files are held until written
        return tuple(out)

    def redirects(self) -> list[tuple[str, str, str]]:
        """(former directory URL, redirect page, new directory URL) for declared former ids."""
        pairs: list[tuple[str, str, str]] = []
        for t in self.site.local:
            for former in t.info.anciens_identifiants:
                for name, title in urls.TERRITORY_SECTIONS:
                    new = urls.url_to(name, t=t.slug)
                    pairs.append((urls.url_to(name, t=former), new, title or t.nom))
                for action in t.actions:
                    old = urls.url_to("fiche", t=former, id=action.id)
                    pairs.append((old, action.url, action.titre))
                for letter in t.letters:
                    old = urls.url_to("lettre", t=former, numero=letter.numero)
                    pairs.append((old, letter.url, letter.titre))
            for action in t.actions:
                for former_id in action.data.anciens_identifiants:
                    old = urls.url_to("fiche", t=t.slug, id=former_id)
                    pairs.append((old, action.url, action.titre))
        own = self.site.own_territory
        if own is not None:
            pairs += self.network_redirects(own)
        return [(src, self._redirect(src, dest, title), dest) for src, dest, title in pairs]

    def network_redirects(self, own: Territory) -> list[tuple[str, str, str]]:
        """A one-territory site: the territory's former home « <t>/ » leads to the site's home,
        and the network's pages already published (urls-publiees.txt) to what replaces them:
        the dashboard to the home, the action finder and its lists to the action plan."""
        home = urls.url_to("territoire", t=own.slug)
        pairs = [(urls.network_url("territoire", t=own.slug), home, own.nom)]
        plan = urls.url_to("plan-action", t=own.slug)
        targets = {"tableau-de-bord": (home, own.nom), "actions": (plan, "Plan d'action")}
        targets["actions-liste"] = targets["actions"]
        for address in sorted(self.published):
            for name, (dest, title) in targets.items():
                if urls.matches(name, address):
                    pairs.append((address.lstrip("/"), dest, title))
                    break
        return pairs

    def _redirect(self, src: str, dest: str, title: str) -> str:
        target_abs = urls.absolute(self.site_url, dest) if self.site_url else None
        return actionplan.redirect_html(urls.relative(src, dest), target_abs, title)

    def nav(self, extra: list[Any] | None = None) -> list[Any]:
        """MkDocs navigation: one section per territory; leaves stay out of the tree.

        Past NAV_BY_REGION territories (a regional or national site), territories are grouped
        by region: with navigation.prune, each page then carries the regions, the territories
        of its own region and its own sections, not every territory of the country.
        """
        own = self.site.own_territory
        if own is not None:  # the territory's site: its navigation starts at its sections
            return [
                {"Accueil": urls.page_file(urls.url_to("accueil"))},
                *(
                    {title: urls.page_file(urls.url_to(name, t=own.slug))}
                    for name, title in urls.TERRITORY_SECTIONS
                    if title
                ),
                *(extra or []),
            ]
        nav: list[Any] = [
            {"Accueil": urls.page_file(urls.url_to("accueil"))},
            {"Tableau de bord national": DASHBOARD},
            {"Toutes les fiches actions": urls.page_file(finder.ROOT)},
        ]
        nav.extend(extra or [])

        def section(t: Territory) -> dict[str, Any]:
            items: list[Any] = [urls.page_file(urls.url_to("territoire", t=t.slug))]
            items += [
                {title: urls.page_file(urls.url_to(name, t=t.slug))}
                for name, title in urls.TERRITORY_SECTIONS
                if title
            ]
            return {t.nom: items}

        if len(self.site.local) <= NAV_BY_REGION:
            nav.extend(section(t) for t in self.site.local)
            return nav
        seen: set[str] = set()
        for region, territories in self.site.by_region():
            # a territory on two regions is listed under the first one only
            listed = [t for t in territories if t.slug not in seen and t.remote is None]
            seen.update(t.slug for t in listed)
            if listed:
                nav.append({region: [section(t) for t in listed]})
        return nav


def _updates(t: Territory, number: int) -> dict[tuple[str, str], AgendaEntry]:
    """The entries a letter announced under an identifier that a later announcement changed
    (postponed, renamed, moved), by (kind, identifier): the letter's page says where to read
    the update (its archive keeps what it said)."""
    out = {}
    for entry in t.agenda:
        if entry.ident is None or entry.letter == number:
            continue
        out[(entry.kind, entry.ident)] = entry
    return out
