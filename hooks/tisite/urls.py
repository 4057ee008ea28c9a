"""Every address of the site in one table: pages, sections, feeds, exports, files.

An address is relative to the site's root: a page ends with « / » (``lettres/14/``), a file
does not (``lettres/rss.xml``). Adding a section or a file is one line here; a test checks
that the example site produces every entry (tests/test_urls.py).
"""

from __future__ import annotations

import html
import posixpath
import re
import string
from urllib.parse import urljoin

from markupsafe import Markup

# name → address pattern; {t}: a territory's folder name, {id}: a fiche action's identifier,
# {numero}: a letter's number, {facette}/{valeur}: a list of the action finder.
TABLE: dict[str, str] = {
    # national pages
    "accueil": "",
    "tableau-de-bord": "tableau-de-bord/",
    "actions": "actions/",
    "actions-liste": "actions/{facette}/{valeur}/",
    "mentions-legales": "mentions-legales/",
    "accessibilite": "accessibilite/",
    "donnees-personnelles": "donnees-personnelles/",
    "donnees-ouvertes": "donnees-ouvertes/",  # the data files, for people (catalogue: below)
    "reference-des-champs": "contribuer/reference-des-champs/",
    "contribuer": "contribuer/",  # docs/contribuer/index.md, written by hand
    # a territory's pages
    "territoire": "{t}/",
    "carte-identite": "{t}/carte-identite/",
    "priorites": "{t}/priorites/",
    "plan-action": "{t}/plan-action/",
    "avancement": "{t}/plan-action/avancement/",
    "fiche": "{t}/plan-action/{id}/",
    "gouvernance": "{t}/gouvernance/",
    "lettres": "{t}/lettres/",
    "lettre": "{t}/lettres/{numero}/",
    "lettre-courriel": "{t}/lettres/{numero}/email.html",
    "lettre-texte": "{t}/lettres/{numero}/email.txt",
    "lettre-envoi-html": "{t}/lettres/{numero}/envoi.html",  # to paste in a mailing tool
    "lettre-envoi-texte": "{t}/lettres/{numero}/envoi.txt",
    "agenda": "{t}/agenda/",
    # a territory's files
    "carte-territoire": "{t}/carte-identite/carte.svg",
    "actions-csv": "{t}/plan-action/actions.csv",
    "actions-json": "{t}/plan-action/actions.json",
    "projets-csv": "{t}/plan-action/projets-territoire.csv",
    "lettres-rss": "{t}/lettres/rss.xml",
    "lettres-atom": "{t}/lettres/atom.xml",
    "agenda-ics": "{t}/agenda/agenda.ics",
    # the territory's data bundle for a national portal (tisite.publish.bundle,
    # tisite.content.federation)
    "donnees-territoire": "{t}/donnees.json",
    # national files
    "rss": "rss.xml",
    "atom": "atom.xml",
    "territoires-json": "territoires.json",
    "territoires-csv": "territoires.csv",
    "carte-territoires": "carte-territoires.svg",
    "plan-du-site": "sitemap.xml",
    "robots": "robots.txt",
    "redirections": "_redirects",
    "entetes": "_headers",  # HTTP headers, for hosts that read the file (Netlify, Cloudflare)
    # the site's icon for what reads no SVG (publish.assets.site_icons), where browsers and
    # phones look for them
    "icone": "favicon.ico",
    "icone-ecran": "apple-touch-icon.png",
    # federation: the site's bundles (read by a national portal) and their JSON Schema
    "federation": "federation.json",
    "schema-donnees": "schemas/donnees-territoire-1.schema.json",
    # the catalogue of the site's open data and the schemas of its files (tisite.generate.opendata)
    "catalogue-donnees": "datapackage.json",
    "schema-federation": "schemas/federation-1.schema.json",
    "schema-actions-csv": "schemas/actions-csv.schema.json",
    "schema-actions-json": "schemas/actions-json.schema.json",
    "schema-territoires-csv": "schemas/territoires-csv.schema.json",
    "schema-territoires-json": "schemas/territoires-json.schema.json",
    "schema-projets": "schemas/projets-territoire.schema.json",
}

# The pages of a territory in the order of its navigation: (name, navigation title).
TERRITORY_SECTIONS = (
    ("territoire", None),
    ("carte-identite", "Carte d'identité"),
    ("priorites", "Priorités"),
    ("plan-action", "Plan d'action"),
    ("avancement", "État d'avancement"),
    ("gouvernance", "Gouvernance"),
    ("lettres", "Lettres d'information"),
    ("agenda", "Agenda"),
)
SHARING_IMAGE = "partage.png"  # beside every page (its Open Graph image)
EDITOR = "admin/"  # the web editor: not a page of the site
# Folders of the site that no entry of the table names: the site's and the theme's own files,
# the search index, the web editor; and first segments kept for national pages to come.
SITE_FOLDERS = (
    "assets",
    "search",
    "pagefind",
    "pagefind-portail",  # a national portal's index of its harvested actions (searchindex)
    EDITOR.rstrip("/"),
    "territoires",
    "lettres",
)
# Files the engine writes at the top of the site besides the table's (its « not found » page,
# the compressed sitemap), and the home page's own files (« index » is the home page itself).
SITE_FILES = ("404.html", "sitemap.xml.gz", "index.html", SHARING_IMAGE)
# The email versions of a letter, beside its page (entries of the table and the copy to send).
EMAIL_NAMES = ("lettre-courriel", "lettre-texte", "lettre-envoi-html", "lettre-envoi-texte")
# Pages and files of a network of territories only: a one-territory site leaves them out (its
# published addresses among them redirect to the territory: see ``set_home_territory``).
NETWORK_ONLY = ("tableau-de-bord", "actions", "actions-liste", "carte-territoires")

# A one-territory site (site.yml « mode », or a single folder in territoires/): that territory's
# home is the site's home « », and its former address « <t>/ » redirects there. Set by each
# build once the content is loaded (loader.home_territory), for every address of that build.
_home_territory: str | None = None


def set_home_territory(slug: str | None) -> None:
    """The territory whose site this is (None: a network of territories)."""
    global _home_territory
    _home_territory = slug


def home_territory() -> str | None:
    return _home_territory


def reserved_top() -> frozenset[str]:
    """First segments of the site's own addresses (national pages and files, its folders), as
    they are (« atom.xml ») and without their extension (« atom »): a territory's folder name
    (or a page of docs/) can't take one, or its pages would replace them (a page
    « docs/atom.xml.md » is the folder « atom.xml/ » where the feed is a file). Derived from the
    table."""
    firsts = {
        TABLE[name].split("/", 1)[0]
        for name in TABLE
        if TABLE[name] and not TABLE[name].startswith("{")
    }
    stems = {f.split(".", 1)[0] for f in firsts}
    return frozenset(firsts | stems | set(SITE_FILES) | {"index"} | set(SITE_FOLDERS))


def reserved_in_plan() -> frozenset[str]:
    """Pages of a territory's action plan besides the fiches (« avancement »): a fiche action
    (or its former identifier) can't take their name. Derived from the table."""
    prefix = "{t}/plan-action/"
    return frozenset(
        rest.split("/", 1)[0]
        for pattern in TABLE.values()
        if pattern.startswith(prefix)
        and (rest := pattern[len(prefix) :]).endswith("/")
        and not rest.startswith("{")
    )


def email_files() -> tuple[str, ...]:
    """The file names of a letter's email versions (``email.html``…), from the table."""
    return tuple(TABLE[name].rsplit("/", 1)[1] for name in EMAIL_NAMES)


def parameters(name: str) -> set[str]:
    """The parameters an entry's pattern takes."""
    return {field for _, field, _, _ in string.Formatter().parse(TABLE[name]) if field}


def url_to(name: str, **params: object) -> str:
    """The address of an entry of the table, relative to the site's root."""
    missing = parameters(name) - set(params)
    if missing:
        raise KeyError(f"{name} : paramètres manquants {sorted(missing)}")
    if name == "territoire" and _home_territory is not None and str(params["t"]) == _home_territory:
        return TABLE["accueil"]
    return network_url(name, **params)


def network_url(name: str, **params: object) -> str:
    """The address an entry has on a site of several territories: on a one-territory site,
    the former address of its home (« <t>/ », a redirect) and of the network's pages."""
    return TABLE[name].format(**{k: str(v) for k, v in params.items()})


def matches(name: str, address: str) -> bool:
    """Whether a root-relative address (« /actions/axe/attirer/ ») is one of the entry's."""
    return parse(name, address) is not None


def parse(name: str, address: str) -> dict[str, str] | None:
    """The parameters of a root-relative address of the entry (« /t1/lettres/3/ » →
    {"t": "t1", "numero": "3"}), or None when it is not one of the entry's."""
    pattern = "".join(
        re.escape(literal) + (f"(?P<{field}>[^/]+)" if field else "")
        for literal, field, _, _ in string.Formatter().parse(TABLE[name])
    )
    found = re.fullmatch(pattern, address.lstrip("/"))
    return found.groupdict() if found else None


def section(name: str) -> str:
    """A territory page's address below the territory (« priorites/ », « » for its home)."""
    return TABLE[name].removeprefix("{t}/")


def page_file(address: str) -> str:
    """The generated Markdown file of a page (« a/b/ » → « a/b/index.md »)."""
    return f"{address}index.md"


def absolute(site_url: str | None, address: str) -> str:
    """The full address (feeds, emails, sharing, exports); the root-relative one with no
    site_url."""
    return urljoin((site_url or "/").rstrip("/") + "/", address.lstrip("/"))


def webcal(site_url: str | None, address: str) -> str | None:
    """A calendar file's subscription address (« webcal://… »: a phone or a calendar
    subscribes to it and refreshes it, where a link to the file imports it once); None
    without an absolute site address."""
    full = absolute(site_url, address)
    scheme, sep, rest = full.partition("://")
    return f"webcal://{rest}" if sep and scheme in ("http", "https") else None


def relative(from_page: str, address: str) -> str:
    """``address`` as a link written on the page at ``from_page`` (both root-relative): a page
    as its folder (« ../priorites/ »), a file as itself (« ../lettres/rss.xml »)."""
    folder = address if address.endswith("/") or not address else posixpath.dirname(address)
    rel = _relative_folder(folder, from_page)
    if address.endswith("/") or not address:
        return "./" if rel == "." else rel + "/"
    name = posixpath.basename(address)
    return name if rel == "." else f"{rel}/{name}"


def _relative_folder(folder: str, start: str) -> str:
    """``posixpath.relpath(folder, start)`` for two root-relative folders, without its system
    calls (it asks for the working folder twice; a build calls this for every link of every
    page); an absolute path, or one with « . » or « .. », goes to relpath itself."""
    to = [part for part in folder.split("/") if part]
    at = [part for part in start.split("/") if part]
    if folder.startswith("/") or start.startswith("/") or {".", ".."} & {*to, *at}:
        return posixpath.relpath(folder or ".", start.rstrip("/") or ".")
    common = 0
    for mine, theirs in zip(to, at, strict=False):
        if mine != theirs:
            break
        common += 1
    parts = [".."] * (len(at) - common) + to[common:]
    return "/".join(parts) or "."


def href(from_page: str, name: str, **params: object) -> Markup:
    """For templates: an address relative to the page, for a ``href`` or ``src`` attribute."""
    return Markup(html.escape(relative(from_page, url_to(name, **params))))
