"""Every page of the site as finished HTML, made by the core before the engine sees it.

For each page, generated or hand-written (docs/): its front matter, its Markdown converted once
(see convert), then finished in one pass (sanitiser, tables for phones, French typography), its
table of contents with titles reduced to text and identifiers renamed like the page's, the
anchors it holds and the links it makes. Kept on disk under a digest of its Markdown, its
address, the Markdown settings and the code (diskcache.memo): an unchanged page costs one read.

Then ``check_links`` checks every link and anchor of every page against the site's files: the
engine, which receives HTML, checks nothing.
"""

from __future__ import annotations

import dataclasses
import difflib
import html as html_lib
import json
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import nh3
from markdown.extensions.toc import nest_toc_tokens
from ruamel.yaml import YAML

from tisite import urls
from tisite.content import sources
from tisite.content.errors import Problem
from tisite.content.remote import MAX_REPORTED, more_problems
from tisite.content.yamlio import FRONT_MATTER
from tisite.finish.sanitize import VOID_ELEMENTS, sanitize
from tisite.finish.tables import stack_on_phones
from tisite.finish.typography import french_html
from tisite.generate.convert import Converter, Link, page_address

_LINK_FIELDS = dataclasses.fields(Link)
_ID = re.compile(r"""\s(?:id|name)="([^"]*)\"""")


@dataclass(frozen=True)
class Ready:
    """A page as the engine receives it."""

    html: str  # the finished body
    meta: dict[str, Any]  # its front matter
    toc: list[dict[str, Any]] = field(default_factory=list)  # tokens: level, id, name, children
    anchors: tuple[str, ...] = ()  # identifiers a link may point to
    links: tuple[Link, ...] = ()
    intact: bool = True  # see sanitize: False when a contributor block swallowed the rest

    @property
    def heading(self) -> str | None:
        """The text of its first level-1 heading (the title of a page without one)."""
        for token in self.toc:
            if token["level"] == 1:
                return str(token["name"])
        return None

    def as_json(self) -> dict[str, Any]:
        """Its fields as JSON values (not copied: ``dataclasses.asdict`` would copy every
        heading of the table of contents, for a value written once)."""
        return {
            "html": self.html,
            "meta": self.meta,
            "toc": self.toc,
            "anchors": list(self.anchors),
            "links": [[getattr(x, f.name) for f in _LINK_FIELDS] for x in self.links],
            "intact": self.intact,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Ready:
        links = tuple(Link(*x) for x in data.pop("links"))
        return cls(**{**data, "anchors": tuple(data["anchors"]), "links": links})


class _TopHeadings(HTMLParser):
    """Where the headings of the page's top level that the table of contents lists (those with
    a permalink) are: (start, end, level, id, text)."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lines = [0]
        for line in source.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.depth = 0
        self.open: tuple[int, int, str] | None = None
        self.text: list[str] = []
        self.in_link = False
        self.listed = False
        self.found: list[tuple[int, int, int, str, str]] = []

    def where(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_ELEMENTS:
            return
        if self.depth == 0 and re.fullmatch(r"h[1-6]", tag):
            self.open = (self.where(), int(tag[1]), dict(attrs).get("id") or "")
            self.text = []
            self.listed = False
        if tag == "a" and ("class", "headerlink") in attrs:
            self.in_link = True
            if self.open is not None:  # a heading of the table of contents
                self.listed = True
        self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID_ELEMENTS:
            return
        self.depth -= 1
        if tag == "a":
            self.in_link = False
        if self.depth == 0 and self.open is not None:
            start, level, ident = self.open
            end = self.rawdata.index(">", self.where()) + 1
            if self.listed:
                self.found.append((start, end, level, ident, "".join(self.text).strip()))
            self.open = None

    def handle_data(self, data: str) -> None:
        if self.open is not None and not self.in_link:
            self.text.append(data)


def top_headings(page: str) -> list[tuple[int, int, int, str, str]]:
    """The headings of the page's top level that carry a link to themselves (those the table
    of contents lists): (start, end, level, id, text)."""
    parser = _TopHeadings(page)
    parser.feed(page)
    parser.close()
    return parser.found


_LISTED = re.compile(
    r'<h([1-6]) id="([^"]*)">(.*?)<a [^>]*\bclass="headerlink"[^>]*>[^<]*</a></h\1>', re.S
)
_TAG = re.compile(r"<[^>]+>")


def listed_headings(page: str) -> list[tuple[int, str, str]]:
    """(level, id, text) of the headings of a page rendered from an HTML template that carry a
    link to themselves: the ones ``titre()`` writes and those of contributor Markdown (the toc
    extension's), the table of contents. One expression over the page (an HTML parser costs a
    fifth of a page's making)."""
    return [
        (int(level), ident, html_lib.unescape(_TAG.sub("", inner)).strip())
        for level, ident, inner in _LISTED.findall(page)
    ]


def front_matter_text(content: str) -> tuple[str, str]:
    """(front matter as written, without its « --- » lines; body) of a page; ("", content)
    when it has none. The rule of the check (yamlio.FRONT_MATTER: a « --- » line may end with
    spaces), so that both read the same front matter."""
    match = FRONT_MATTER.match(content)
    if match is None:
        return "", content
    return match.group(1), content[match.end() :]


def split_front_matter(content: str) -> tuple[dict[str, Any], str]:
    """(front matter, body) of a page. Generated pages write one JSON value a line (fast to
    read); a hand-written page may use any YAML."""
    head, body = front_matter_text(content)
    if not head:
        return {}, body
    meta: dict[str, Any] = {}
    try:
        for line in head.splitlines():
            key, _, value = line.partition(": ")
            meta[key] = json.loads(value)
    except ValueError:
        yaml = YAML(typ="safe", pure=True)
        meta = dict(yaml.load(head) or {})
    return meta, body


def _clean_toc(tokens: list[dict[str, Any]], renamed: dict[str, str]) -> list[dict[str, Any]]:
    """Titles reduced to escaped text (the theme prints them raw; Markdown makes them with a
    tag-stripping expression of its own, which crafted HTML gets through), identifiers renamed
    like the page's."""
    return [
        {
            "level": t["level"],
            "id": renamed.get(t["id"], t["id"]),
            "name": nh3.clean(str(t["name"]), tags=set()),
            "children": _clean_toc(t.get("children") or [], renamed),
        }
        for t in tokens
    ]


# The end of a cell, a term, a definition or a list item right before the next tag: a line
# break there changes nothing on screen (white space between cells or blocks is not drawn) and
# keeps the words apart in the text of the page that search reads (« Statut Actions », not
# « StatutActions »: Pagefind joins adjacent elements' text).
_BLOCK_END = re.compile(r"(</(?:td|th|dt|dd|li|caption)>)(?=<)")


def spaced(html: str) -> str:
    """``html`` with a line break after each cell, term, definition and list item that a tag
    follows directly."""
    return _BLOCK_END.sub("\\1\n", html)


def finish(html: str, blocks: tuple[str, ...] = (), contributed: bool = False) -> Any:
    """One pass over a page's HTML: sanitiser, then tables for phones and French typography
    on the clean HTML (see sanitize: ``blocks`` are the digests of its contributor blocks;
    ``contributed``: the whole page is a contributor's, as a page of docs/)."""
    clean = sanitize(html, blocks, contributed=contributed)
    return dataclasses.replace(clean, html=spaced(french_html(stack_on_phones(clean.html))))


def html_ready(
    meta: dict[str, Any], body: str, links: tuple[Link, ...], former: tuple[str, ...] = ()
) -> Ready:
    """A page rendered from an HTML template: its values were escaped by the template and its
    contributor fields converted and sanitised one by one (render._markdown_html); finished
    with tables for phones and French typography. Its table of contents lists its top-level
    headings."""
    html = spaced(french_html(stack_on_phones(body)))
    # titles as escaped text (the theme prints them raw): « <territoire> » in a title is text
    flat = [
        {"level": level, "id": ident, "name": html_lib.escape(text, quote=False), "children": []}
        for level, ident, text in listed_headings(html)
    ]
    anchors = tuple(sorted(set(_ID.findall(html)) | set(former)))
    return Ready(html, meta, nest_toc_tokens(flat), anchors, links)


def make_ready(
    converter: Converter,
    path: str,
    content: str,
    blocks: tuple[str, ...] = (),
    contributed: bool = False,
    links: tuple[Link, ...] | None = None,
    former: tuple[str, ...] = (),
) -> Ready:
    """A page's Ready: ``links`` given (those of its contributor fields) for a page rendered
    from an HTML template, None for Markdown (converted here)."""
    meta, body = split_front_matter(content)
    if links is not None:
        return html_ready(meta, body, links, former)
    converted = converter.convert(path, body)
    clean = finish(converted.html, blocks, contributed)
    anchors = set(_ID.findall(clean.html)) | set(clean.renamed)
    return Ready(
        clean.html,
        meta,
        _clean_toc(converted.toc, clean.renamed),
        tuple(sorted(anchors)),
        tuple(converted.links),
        clean.intact,
    )


def ready_page(
    cache: Path | None,
    settings: Any,
    converter: Converter,
    path: str,
    content: str,
    blocks: tuple[str, ...] = (),
    contributed: bool = False,
    links: tuple[Link, ...] | None = None,
    former: tuple[str, ...] = (),
) -> Ready:
    """``make_ready``, kept on disk (see diskcache.memo) under everything the page is made of."""
    from tisite.publish.diskcache import memo

    material = {
        "page": path,
        "md": content,
        "blocks": blocks,
        "docs": contributed,
        "settings": settings,
        "links": None if links is None else [dataclasses.astuple(x) for x in links],
        "former": former,
    }
    data = memo(
        cache,
        material,
        lambda: make_ready(converter, path, content, blocks, contributed, links, former).as_json(),
    )
    return Ready.from_json(dict(data))


# --- links ---------------------------------------------------------------------------------

# a web address written without « https:// » (« www.site.fr », « site.fr/page »): Markdown
# reads it as a file of the site
_BARE_WEB = re.compile(
    r"(?i)(?:www\.[^/\s]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:fr|com|org|net|eu|info|io))(?:/\S*)?"
)


_LETTER_PAGE = re.compile(r"([^/]+)/lettres/[^/]+/index\.md")  # a letter's page file


def missing_target(link: str, target: str, meant: str | None = None, page: str = "") -> str:
    if meant:
        return (
            f"lien vers « {link} » : la page ou le fichier visé n'existe pas ({target}) ; "
            f"écrivez « {meant} »"
        )
    if _BARE_WEB.fullmatch(link):
        return (
            f"lien vers « {link} » : une adresse web commence par https:// (sans quoi elle se "
            f"lit comme un fichier du site) ; écrivez « https://{link} »"
        )
    return (
        f"lien vers « {link} » : la page ou le fichier visé n'existe pas ({target}) ; "
        f"{_path_hint(page, target)}"
    )


def _path_hint(page: str, target: str = "") -> str:
    """How to write the way to a fiche action from ``page`` (a territory's page: its folder
    is the first), or to a letter when ``target`` is one, and, from a letter, where its images
    go."""
    parts = page.split("/")
    if len(parts) < 3 or parts[1] not in ("plan-action", "lettres", "priorites", "gouvernance"):
        return "vérifiez le chemin depuis ce fichier, nom et majuscules compris"
    if found := _LETTER_PAGE.fullmatch(target):
        letter = posixpath.relpath(f"{found[1]}/lettres/N/index.md", posixpath.dirname(page))
        return (
            f"vérifiez le chemin (une lettre : {letter.replace('/N/', '/<numéro>/')}, "
            "numéro et dossiers compris)"
        )
    fiche = posixpath.relpath(f"{parts[0]}/plan-action/ID/index.md", posixpath.dirname(page))
    image = " ; une image : placée dans le dossier lettres/" if parts[1] == "lettres" else ""
    return (
        f"vérifiez le chemin (une fiche action : {fiche.replace('ID', '<identifiant>')}{image}, "
        "nom et majuscules compris)"
    )


def _close(target: str, known: set[str]) -> str | None:
    """A page or file whose path is one slip away from ``target`` (« diagnostic-energies »
    for « diagnostic-energie »), at the same depth: what to suggest, not to write for sure."""
    parts = target.split("/")
    best, score = None, 0.8
    for candidate in known:
        if abs(len(candidate) - len(target)) > 3:  # more than a slip: not read further
            continue
        other = candidate.split("/")
        if len(other) != len(parts):
            continue
        differ = [(a, b) for a, b in zip(parts, other, strict=True) if a != b]
        if len(differ) != 1 or len(differ[0][0]) < 5:  # one name, long enough to be a slip
            continue
        ratio = difflib.SequenceMatcher(None, *differ[0]).ratio()
        if ratio > score:
            best, score = candidate, ratio
    return best


def _meant(target: str, known: set[str], folded: dict[str, str]) -> str | None:
    """The page or file a broken link surely means: the page of a source file (« ../14.md »
    for the letter's page, « ../../actions/x.md » for the fiche's), or the file written with
    other capitals (« Images/Visite.JPG »)."""
    if target.casefold() in folded:
        return folded[target.casefold()]
    head, _, name = target.rpartition("/")
    if not name.endswith(".md"):
        return None
    stem = name.removesuffix(".md")
    candidates = [f"{head}/{stem}/index.md".lstrip("/")]
    territory, _, folder = head.rpartition("/")
    if folder == sources.ACTIONS and territory:
        candidates.append(urls.page_file(urls.url_to("fiche", t=territory, id=stem)))
    return next((c for c in candidates if c in known), None)


NEAR_ANCHORS = 50  # more sections within a slip of the identifier: none is suggested


def _near_anchor(raw: str, anchor: str, known: frozenset[str]) -> str:
    """« vouliez-vous dire » the link ``raw`` to the section whose identifier is closest to
    ``anchor``, if any (a contributor's heading is named once, without its « uc- » twin).
    Only identifiers of about the same length are compared, and none when there are more than
    NEAR_ANCHORS of them: a page of thousands of alike sections costs one pass, not thousands
    of comparisons per link."""
    names = [
        a
        for a in known
        if abs(len(a) - len(anchor)) <= 3 and not (a.startswith("uc-") and a[3:] in known)
    ]
    if len(names) > NEAR_ANCHORS:
        return ""
    close = difflib.get_close_matches(anchor, sorted(names), n=1, cutoff=0.75)
    return f" ; vouliez-vous dire « {raw.rsplit('#', 1)[0]}#{close[0]} » ?" if close else ""


def _letters_of(target: str, known: set[str], later: frozenset[str] = frozenset()) -> str:
    """For a link to a letter that does not exist, the numbers of the territory's letters
    online (``later``: those checked now but dated later, left out); nothing when the build
    holds none (a build of another territory alone knows none of its letters)."""
    found = _LETTER_PAGE.fullmatch(target)
    if found is None:
        return ""
    numbers = sorted(
        int(m[1])
        for name in known
        if name not in later
        and (m := re.fullmatch(rf"{re.escape(found[1])}/lettres/([0-9]+)/index\.md", name))
    )
    if not numbers:
        return ""
    said = ", ".join(str(n) for n in numbers[-10:])
    return f" ; lettres publiées de ce territoire : n°\u00a0{said}"


def unpublished_target(link: str, target: str) -> str:
    return (
        f"lien vers « {link} » : la page visée ({target}) n'est pas publiée, son fichier est "
        "un brouillon (brouillon: true) ou une lettre datée d'un jour à venir : publiez-la, ou "
        "retirez le lien en attendant"
    )


def missing_anchor_here(link: str) -> str:
    return (
        f"lien vers « {link} » : aucune section de cette page ne porte cet identifiant ; "
        "l'identifiant d'un titre s'écrit en minuscules sans accent, avec des tirets à la "
        "place des espaces"
    )


def missing_anchor_there(link: str, target: str, anchor: str) -> str:
    return f"lien vers « {link} » : la page {target} n'a pas de section « {anchor} »"


def unrecognized(link: str) -> str:
    return (
        f"lien « {link} » non reconnu : un lien vers une page du site vise son fichier .md (une "
        "fiche action depuis une lettre : ../../plan-action/<identifiant>/index.md ; la page "
        "d'un territoire : ../../priorites/index.md) ; une adresse web commence par https://"
    )


def no_such_address(link: str, meant: str | None = None) -> str:
    if meant:
        return (
            f"lien « {link} » : aucune page ni aucun fichier du site à cette adresse ; "
            f"l'adresse de la page finit par « / » : écrivez « {meant} »"
        )
    return (
        f"lien « {link} » : aucune page ni aucun fichier du site à cette adresse ; vérifiez-la "
        "(l'adresse d'une page s'affiche dans le navigateur), ou écrivez le chemin du fichier "
        ".md depuis ce fichier (par exemple ../../priorites/index.md)"
    )


def absolute(link: str) -> str:
    return (
        f"lien absolu « {link} » laissé tel quel : préférez un chemin relatif vers le fichier .md"
    )


Locate = Callable[[str, str], tuple[str, int | None]]


def check_links(
    pages: dict[str, Ready],
    files: Iterable[str],
    locate: Locate,
    draft: Callable[[str], bool] = lambda target: False,
    later: frozenset[str] = frozenset(),
) -> tuple[list[Problem], list[Problem]]:
    """(errors, notes) about the links of ``pages`` (page file → Ready): every relative link
    leads to a page or a file of the site (``files``: the site's other files), every anchor to
    an identifier of its page. ``locate``: the source file and line of a link's text;
    ``draft``: whether a page file missing from the site is a draft's (said as such);
    ``later``: pages checked now that are not online yet (`ti check`: letters dated later),
    which only one another may link to."""
    known = set(files) | set(pages)
    errors: list[Problem] = []
    notes: list[Problem] = []

    # (errors or notes, page) → how many, and the first link not reported one by one: the
    # line of each reported link is looked for in its source
    reported: dict[tuple[int, str], int] = {}
    left: dict[tuple[int, str], tuple[list[Problem], str]] = {}

    def said(path: str) -> bool:
        """Whether the next error of ``path`` is said one by one (its fix looked for: a page
        of thousands of broken links does not search the site thousands of times)."""
        return reported.get((id(errors), path), 0) < MAX_REPORTED

    def report(into: list[Problem], path: str, raw: str, message: str) -> None:
        key = (id(into), path)
        reported[key] = reported.get(key, 0) + 1
        if reported[key] > MAX_REPORTED:
            left.setdefault(key, (into, raw))
            return
        source, line = locate(path, raw)
        into.append(Problem(source, line, None, message))

    sets: dict[str, frozenset[str]] = {}  # a page's anchors as a set: a page may hold thousands

    def anchors(path: str, ready: Ready) -> frozenset[str]:
        if path not in sets:
            sets[path] = frozenset(ready.anchors)
        return sets[path]

    by_address = {page_address(page): page for page in pages}
    folded = {name.casefold(): name for name in known}
    for path, ready in pages.items():
        for link in ready.links:
            if link.kind == "absolute":
                report(notes, path, link.raw, absolute(link.raw))
                continue
            if link.kind == "self":
                if link.anchor not in anchors(path, ready):
                    message = missing_anchor_here(link.raw)
                    if said(path):
                        message += _near_anchor(link.raw, link.anchor, anchors(path, ready))
                    report(errors, path, link.raw, message)
                continue
            target = link.target or ""
            if link.kind == "site":
                address, target = target, by_address.get(target, target)
                if target not in known:
                    if f"{address}/" in by_address:  # « /t/priorites » for « /t/priorites/ »
                        message = no_such_address(link.raw, f"/{address}/")
                    elif address.endswith("/") and draft(urls.page_file(address)):
                        message = unpublished_target(link.raw, urls.page_file(address))
                    else:
                        message = no_such_address(link.raw)
                        near = _close(address, set(by_address)) if said(path) else None
                        if near is not None:  # « …/friche-industrielles/ » for « …/friches-… »
                            message += f" ; vouliez-vous dire « /{near} » ?"
                    report(errors, path, link.raw, message)
                    continue
            if target in later and path not in later:  # online later than the linking page
                report(errors, path, link.raw, unpublished_target(link.raw, target))
                continue
            if target not in known:
                if "." not in target.rsplit("/", 1)[-1] and target not in known:
                    report(errors, path, link.raw, unrecognized(link.raw))
                elif draft(target):
                    report(errors, path, link.raw, unpublished_target(link.raw, target))
                else:
                    meant = _meant(target, known, folded)
                    written = posixpath.relpath(meant, posixpath.dirname(path)) if meant else None
                    looked = said(path) and not meant  # a fix looked for (see said)
                    close = _close(target, known) if looked else None
                    message = missing_target(link.raw, target, written, path)
                    if close:
                        near = posixpath.relpath(close, posixpath.dirname(path))
                        message += f" ; vouliez-vous dire « {near} » ?"
                    elif looked:
                        message += _letters_of(target, known, later)
                    report(errors, path, link.raw, message)
                continue
            other = pages.get(target)
            if link.anchor and other is not None and link.anchor not in anchors(target, other):
                message = missing_anchor_there(link.raw, target, link.anchor)
                if said(path):
                    message += _near_anchor(link.raw, link.anchor, anchors(target, other))
                report(errors, path, link.raw, message)
    for key, (into, raw) in left.items():
        source, line = locate(key[1], raw)
        into.append(
            Problem(
                source, line, None, more_problems(reported[key] - MAX_REPORTED, "lien", "liens")
            )
        )
    return errors, notes
