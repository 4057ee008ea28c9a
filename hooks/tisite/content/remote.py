"""What contributor Markdown makes visitors' browsers load: the one place that finds images
(Markdown and raw HTML ``<img>``), frames, videos and styles in a text (:func:`references`).

An image, a frame, a video or a style taken from another site tells that site who reads the
page (a tracking pixel) and breaks when it goes away. The sanitiser never lets such an address
through; this check explains it beforehand, at ``ti check`` time, with the file and line, so
that the contributor places the file next to the letter instead.

Every other image must be a file the build publishes (the caller's ``place`` says where: next
to a letter, in docs/; nowhere for the other texts), and carry a text alternative: an image
that is only decoration says so with ``alt="" role="presentation"`` (raw HTML; in Markdown,
``![](x.png)`` is far more often a forgotten description than a decision).
"""

from __future__ import annotations

import bisect
import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from types import FrameType
from typing import Any

import markdown

from tisite.content import commonmark
from tisite.content.errors import Problem
from tisite.finish.sanitize import VOID_ELEMENTS, deepest_nesting, same_site
from tisite.generate.textutil import line_of, trim
from tisite.generate.textutil import number as french_number

# Elements and attributes through which a page loads something.
_LOADS = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "audio": ("src",),
    "video": ("src", "poster"),
    "track": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "script": ("src",),
    "link": ("href",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "body": ("background",),
    "table": ("background",),
    "td": ("background",),
}
_KINDS = {
    "img": "image",
    "source": "image ou vidéo",
    "audio": "son",
    "video": "vidéo",
    "track": "sous-titres",
    "iframe": "cadre (iframe)",
    "frame": "cadre",
    "embed": "contenu intégré",
    "object": "contenu intégré",
    "script": "script",
    "link": "feuille de style",
}
# Attributes read as CSS, where « url(…) » loads something: styles, and SVG's presentation
# attributes (a shape's paint, filter, clipping, mask, markers).
_CSS_ATTRIBUTES = frozenset(
    {"style", "fill", "stroke", "filter", "clip-path", "mask", "marker-start", "marker-mid"}
    | {"marker-end", "cursor"}
)
_CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")\s]+)", re.I)
_IMPORT = re.compile(r"@import\s+['\"]([^'\"]+)", re.I)


@dataclass(frozen=True)
class Reference:
    """An address through which a text makes the browser load something."""

    kind: str  # what is loaded, in French: « image », « vidéo »…
    url: str  # as the browser reads it (character references decoded)
    written: str  # as the HTML wrote it (« &#104;ttps://… »): what the source text holds
    tag: str = ""
    alt: str | None = None  # an image's text alternative; None: no alt attribute at all
    decorative: bool = False  # an image marked role="presentation" (or "none")
    # the whole tag as the HTML wrote it, and the lines from its start to the address: a tag
    # written in HTML is in the source as it is (Markdown passes it through)
    tag_text: str = ""
    offset: int = 0
    # what the sanitiser takes out of the page (a script, a handler, a « javascript: » link),
    # said as a warning (French): the text is published without it
    removed: str = ""

    @property
    def image(self) -> bool:
        return self.tag == "img" and self.kind == "image"


_WRITTEN = re.compile(r"""([^\s"'>/=]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")


# what a contributor pasted that the page cannot keep (an embed's <script>, an onclick, a
# « javascript: » link): the sanitiser removes it; the check says so, as a warning
_SCRIPT = (
    "balise <script> retirée à la publication : le site ne publie aucun script ; pour montrer "
    "une vidéo ou un post, mettez plutôt un lien [texte](adresse)"
)
_HANDLER = (
    "retiré à la publication : le site ne publie aucun script (le reste de la balise est gardé)"
)
_SCRIPT_LINK = (
    "retiré à la publication : un lien mène à une adresse web (https://…) ou à une page du "
    "site ; le texte est publié sans lien"
)
_SCRIPT_ADDRESS = re.compile(r"^\s*(javascript|vbscript|data)\s*:", re.I)
_SCRIPT_ANYWHERE = re.compile(r"(javascript|vbscript|data|script)\s*:|&#", re.I)


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Reference] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # each attribute value as written (entities kept), to find it in the source text, and
        # its line within the tag
        tag_text = self.get_starttag_text() or ""
        written: dict[str, tuple[str, int]] = {}
        for match in _WRITTEN.finditer(tag_text):
            lines = tag_text.count("\n", 0, match.start())
            written.setdefault(match[1].lower(), (match[2].strip("\"'"), lines))
        values = dict(attrs)
        if tag == "script" and not _elsewhere(values.get("src") or ""):
            self.found.append(Reference("script", "", "", tag, tag_text=tag_text, removed=_SCRIPT))
        for name, value in attrs:
            if value is None:
                continue
            raw, offset = written.get(name, (value, 0))
            if name.startswith("on"):  # onclick, onload…: a script run by the page
                said = f"attribut « {name} » {_HANDLER}"
                self.found.append(
                    Reference("script", "", "", tag, None, False, tag_text, offset, said)
                )
                continue
            # (a browser ignores tabs, line breaks and controls inside a scheme: « java\tscript: »)
            scheme = re.sub(r"[\x00-\x20]", "", value)
            if name in ("href", "xlink:href", "action", "formaction") and _SCRIPT_ADDRESS.match(
                scheme
            ):
                said = f"lien « {trim(value, 40)} » {_SCRIPT_LINK}"
                self.found.append(Reference("lien", value, raw, tag, removed=said))
                continue
            if name in _LOADS.get(tag, ()):
                kind = _KINDS.get(tag, "ressource")
                if name == "srcset":
                    urls = [u.split()[0] for u in value.split(",") if u.strip()]
                    self.found += [Reference(kind, u, u) for u in urls]
                    continue
                alt, decorative = None, False
                if tag == "img" and name == "src":
                    alt = values.get("alt")
                    decorative = (values.get("role") or "").strip().lower() in (
                        "presentation",
                        "none",
                    )
                self.found.append(
                    Reference(kind, value, raw, tag, alt, decorative, tag_text, offset)
                )
            elif name in _CSS_ATTRIBUTES:
                self.found += [Reference("style", u, u) for u in _CSS_URL.findall(value)]
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            urls = _CSS_URL.findall(data) + _IMPORT.findall(data)
            self.found += [Reference("style", u, u) for u in urls]


# The pages' Markdown extensions and their options (tisite.generate.convert.markdown_settings:
# those of mkdocs.yml after the engine's own), as JSON: set by the loader for its project. The
# check must read a text as the build does: without « fenced_code », a « ~~~ » fence hid an
# opening backtick from the check only, and 12,000 « <div> » reached the pages (an outside
# review).
# (before a loader sets them: the engine's and those of this repository's mkdocs.yml)
_PAGE_MARKDOWN: list[str] = [
    json.dumps(
        [["toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition", "def_list"], {}]
    )
]


def read_as(names: list[str], options: dict[str, dict[str, Any]]) -> None:
    """Read the pages' texts with these Markdown extensions (the project's)."""
    _PAGE_MARKDOWN[0] = json.dumps([names, options], sort_keys=True)


# The Markdown extensions of a letter's email version (tisite.publish.publishing): tables,
# lists, the contributors' habits; no attribute lists (see _converter)
EMAIL_MARKDOWN = ("tables", "sane_lists", commonmark.NAME)


@lru_cache(maxsize=8)
def _converter(pages: str | None) -> markdown.Markdown:
    """The text as the pages read it (``pages``: their extensions and options as JSON, see
    read_as), or as the email version reads it (None; no attribute lists:
    ``![x](https://…){ src="local.jpg" }`` shows a local image on the page and the remote one
    in the email)."""
    if pages is not None:
        names, options = json.loads(pages)
        return markdown.Markdown(extensions=names, extension_configs=options)
    return markdown.Markdown(extensions=list(EMAIL_MARKDOWN))


class TooDeep(ValueError):
    """A text nested too deeply: converting it exhausts Python's recursion limit, or its HTML
    nests more elements than the build reads (MAX_HTML_DEPTH). Its argument: the French
    reason."""


TOO_DEEP_TEXT = (
    "texte imbriqué beaucoup trop profondément (des centaines de balises HTML, de listes ou de "
    "définitions les unes dans les autres) : Markdown ne le lirait pas ; simplifiez ce passage"
)
# Elements one in another, as a browser builds them from the text: the email inliner
# (css_inline) walks them by recursion and crashed the whole build (a segmentation fault, no
# message) on a letter with 12,000 « <div> » never closed. Far below that, and above what
# Markdown nests by itself (50 levels of lists, three elements each at most): refused.
MAX_HTML_DEPTH = 200
TOO_DEEP_HTML = (
    f"plus de {MAX_HTML_DEPTH} éléments HTML les uns dans les autres dans ce texte, tels qu'un "
    "navigateur les lit (« <div> » jamais refermés, « </div> » qu'un tableau ouvert fait "
    "ignorer, balises « <b> » restées ouvertes qui se rouvrent dans chaque paragraphe suivant) "
    ": la construction ne pourrait pas les lire ; refermez chaque balise à sa place ou "
    "retirez-les"
)


# Frames a conversion may use when the check reads a text: fewer than any build has left when
# it converts the same text (the build converts at a depth of 20 to 60 frames of Python's
# 1,000), so that what the check reads the build reads too.
CHECK_STACK = 700


@contextmanager
def _less_stack() -> Iterator[None]:
    """Python's recursion limit lowered to CHECK_STACK frames above the caller's. The limit is
    the whole process's: the check reads the content in one thread, and the other threads of
    a build or a preview (the harvest's downloads, the preview's server) stay far shallower."""
    depth = 0
    frame: FrameType | None = sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    former = sys.getrecursionlimit()
    sys.setrecursionlimit(min(former, depth + CHECK_STACK))
    try:
        yield
    finally:
        sys.setrecursionlimit(former)


def references(text: str) -> list[Reference]:
    """Every address ``text`` makes the browser load, on the page or in the email version, in
    order: the one place that finds images (and frames, videos, styles) in contributor
    Markdown and raw HTML. Raises TooDeep for absurdly nested HTML."""
    if "![" not in text and "<" not in text and not _SCRIPT_ANYWHERE.search(text):
        return []  # neither an image, HTML nor a script's link: nothing to find
    return list(_references(text, _PAGE_MARKDOWN[0]))


@lru_cache(maxsize=256)
def _references(text: str, page_markdown: str) -> tuple[Reference, ...]:
    """:func:`references` of a text that may load something, kept by its content (two Markdown
    conversions each: the slowest part of checking a page of docs/), so that the preview, which
    loads the content again on every save, converts only the texts that changed."""
    found: dict[Reference, None] = {}
    for pages in (page_markdown, None):
        finder = _Finder()
        try:
            with _less_stack():
                html = _converter(pages).reset().convert(text)
        except RecursionError:
            raise TooDeep(TOO_DEEP_TEXT) from None
        if deepest_nesting(html) > MAX_HTML_DEPTH:
            raise TooDeep(TOO_DEEP_HTML)
        finder.feed(html)
        finder.close()
        # what the page takes out is said from the page's reading only (a <script> shown in a
        # fenced code block is code there: the email's reading, without fences, sees a tag)
        found.update(dict.fromkeys(r for r in finder.found if pages or not r.removed))
    return tuple(found)


class _RawImages(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.found.update(v for n, v in attrs if n == "src" and v is not None)


def raw_image_addresses(text: str) -> set[str]:
    """The addresses of the images ``text`` writes as HTML ``<img>`` tags (not in Markdown):
    MkDocs rewrites Markdown images for the page's address, never raw HTML."""
    if "<" not in text:
        return set()
    finder = _RawImages()
    finder.feed(text)
    finder.close()
    return finder.found


def remote_resources(text: str) -> list[tuple[str, str]]:
    """(kind, address) of every resource ``text`` would load from another host, on the page or
    in the email version. Raises TooDeep for absurdly nested HTML."""
    pairs = dict.fromkeys((r.kind, r.url) for r in references(text) if _elsewhere(r.url))
    return list(pairs)


def line_in(text: str, ref: Reference, first: int) -> int:
    """Line of ``ref`` in ``text`` (whose first line is ``first``): where its address is
    written: in the tag as written in HTML, in the Markdown image, or the address as written
    (an address spelt with character references, « &#104;ttps:// », is found as such), or as
    read; the text's first line when none is found."""
    if ref.tag_text and (start := line_of(text, ref.tag_text, first)) is not None:
        return start + ref.offset
    markdown = [f"]({ref.written}", f"](<{ref.written}"] if ref.written else []
    if ref.alt is not None and ref.written:
        markdown.insert(0, f"![{ref.alt}]({ref.written}")
    for needle in (*markdown, ref.written, ref.url):
        found = line_of(text, needle, first) if needle else None
        if found is not None:
            return found
    if ref.written:  # written with Markdown's backslash escapes: « images\\a.png », « a\\_b »
        escaped = "".join(
            rf"\\?{re.escape(c)}" if c in _PUNCTUATION else re.escape(c) for c in ref.written
        )
        match = re.search(rf"\]\(<?{escaped}", text)
        if match:
            return first + text.count("\n", 0, match.start())
    return first


_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")  # what a backslash escapes


def _elsewhere(url: str) -> bool:
    """An address on another host; data: and script addresses load nothing from a host (the
    sanitiser removes them)."""
    if same_site(url):
        return False
    return not re.match(r"^\s*(data|javascript|vbscript|blob|about|mailto|tel):", url, re.I)


# Where the images of a text are published: a local address → why it is not a file the build
# publishes (French), or None. None as a place: nothing is published next to the text.
Place = Callable[[str], str | None]


def problems_in(
    text: str | None,
    rel: str,
    line: int | Callable[[], int | None] | None,
    field: str | None,
    next_to_letter: bool = False,
    body: bool = False,
    place: Place | None = None,
) -> list[Problem]:
    """One problem per remote resource of ``text``, per image that is not a file the build
    publishes (``place``) and per image without a text alternative; ``body``: ``line`` is the
    text's first line and each problem gets the line of its address. ``line`` may be a
    function: finding a line in YAML costs a second parse, done only when there is a problem
    to report."""
    heavy = overloaded(text) if text else None
    if heavy is not None:
        first = line() if callable(line) else line
        at, reason = heavy
        return [Problem(rel, first + at if body and first else first, field, reason)]
    try:
        found = references(text) if text else []
    except TooDeep as deep:
        first = line() if callable(line) else line
        return [Problem(rel, first, field, str(deep))]
    if not found or not text:
        return []
    messages: list[tuple[Reference, str]] = []
    for ref in found:
        if ref.removed:
            messages.append((ref, ref.removed))
            continue
        if _elsewhere(ref.url):
            messages.append((ref, message(ref.kind, ref.url, next_to_letter)))
            continue
        if not ref.image:
            continue  # a frame or a video of the site itself: the sanitiser removes the element
        refused = _not_published(ref.url, place)
        if refused:
            messages.append((ref, refused))
        missing = _without_alt(ref)
        if missing:
            messages.append((ref, missing))
    if not messages:
        return []
    first = line() if callable(line) else line
    problems = [
        Problem(
            rel,
            line_in(text, ref, first) if body and first else first,
            field,
            said,
            "avertissement" if ref.removed else "erreur",  # published without it
        )
        for ref, said in messages[:MAX_REPORTED]  # each line is looked for in the whole text
    ]
    if len(messages) > MAX_REPORTED:  # after the last one reported (messages sort by line)
        more = more_problems(len(messages) - MAX_REPORTED, "image ou adresse", "images ou adresses")
        problems.append(Problem(rel, problems[-1].line, field, more))
    return list(dict.fromkeys(problems))  # the page and the email version read it alike


MAX_REPORTED = 20  # problems reported for one text (or one page's links): then how many more


def more_problems(count: int, one: str, many: str) -> str:
    """The French line that stands for the ``count`` problems not reported one by one (``one``,
    ``many``: what they are about, « adresse » and « adresses »)."""
    what = one if count == 1 else many
    return (
        f"… et {french_number(count)} {what} de plus à corriger plus loin dans ce texte (mêmes "
        "règles) : commencez par les problèmes ci-dessus, puis relancez ti check"
    )


# Opening brackets in one paragraph: Python-Markdown's search for links and images takes a
# time that grows with their square (12,000 « ![ » in a 25 KB letter: 143 s per conversion).
MAX_BRACKETS = 1000
MAX_TEXT_BRACKETS = 5000  # in a whole text: about 2 s per conversion at worst
CROWDED = (
    f"paragraphe de plus de {french_number(MAX_BRACKETS)} crochets « [ » (liens, images), ou "
    f"texte de plus de {french_number(MAX_TEXT_BRACKETS)} : les lire prendrait des minutes à "
    "chaque construction ; coupez-le en paragraphes (une ligne vide entre eux), en plusieurs "
    "textes, ou retirez des crochets"
)


def crowded_block(text: str) -> int | None:
    """The line (from 0) where a paragraph of ``text`` with more than MAX_BRACKETS opening
    brackets starts (0 when the whole text has more than MAX_TEXT_BRACKETS), or None. A blank
    line is one Markdown takes for blank: spaces and tabs only (a line of no-break spaces
    does not end a paragraph)."""
    total = text.count("[")
    if total <= MAX_BRACKETS:
        return None
    if total > MAX_TEXT_BRACKETS:  # paragraphs joined again (<p markdown="1">), or many
        return 0
    return next((first for first, p in _blocks(text) if p.count("[") > MAX_BRACKETS), None)


# Python-Markdown reads nested blocks and nested emphasis by recursion: a few hundred levels
# exhaust Python's stack (330 admonitions, 248 lists one in another, 450 terms each followed
# by its definition without a blank line, 992 « *a » unclosed in a paragraph). Far below
# those, and all together still below: refused before any conversion.
MAX_DEPTH = 50
MAX_EMPHASIS = 1000
MAX_OPEN_TAGS = 500  # « <a » never closed: Python-Markdown's search for « > » is quadratic
TOO_DEEP = (
    f"plus de {MAX_DEPTH} niveaux de listes, de citations, d'encadrés ou de définitions les uns "
    f"dans les autres (ou une ligne en retrait de plus de {4 * MAX_DEPTH} espaces) : Markdown ne "
    "les lirait pas ; simplifiez ce passage (une définition suivie d'un terme sans ligne vide "
    "entre eux ouvre un niveau : séparez les entrées d'une liste de définitions par une ligne "
    "vide)"
)
TOO_EMPHASISED = (
    f"paragraphe de plus de {french_number(MAX_EMPHASIS)} marques d'emphase « * » ou « _ » : "
    "Markdown ne les lirait pas ; coupez-le en paragraphes (une ligne vide entre eux) ou "
    "retirez des marques"
)
# Work Python-Markdown does in quadratic time, in characters read: each « \\ », « & », tag,
# code span or line break rewrites its whole paragraph (190,000 « \\ »: 7 s per conversion;
# 80,000 « <b>x</b> » in one paragraph: 175 s, found by an outside review); each « [ » (and each
# link's « ]( ») reads on to its closing mark or to the paragraph's end (999 never closed in
# 100 KB: 10 s). Both bounds keep a conversion under about half a second.
INLINE_WORK = 1_000_000_000
BRACKETS_WORK = 2_000_000
OPEN_TAGS_WORK = 2_000_000  # unclosed tags × characters of the text: each one reads on to its end
_INLINE_MARKS = ("\\", "&", "<", "`", "  \n")
TOO_MANY_MARKS = (
    "trop de « \\ », « & », balises « < », « ` » ou fins de ligne à deux espaces pour la "
    "longueur du paragraphe : "
    "Markdown le lirait en un temps qui croît avec leur carré ; coupez-le en paragraphes (une "
    "ligne vide entre eux)"
)
TOO_OPEN_BRACKETS = (
    "paragraphe où des crochets « [ » (ou les parenthèses d'un lien) restent ouverts sur une "
    "trop grande longueur : Markdown le lirait en un temps qui croît avec leur carré ; fermez "
    "chaque « [ » par « ] », ou coupez le paragraphe (une ligne vide)"
)
TOO_MANY_OPEN_TAGS = (
    "trop de balises HTML ouvertes sans « > » pour la longueur du texte (au plus "
    f"{MAX_OPEN_TAGS}, moins dans un long texte) : Markdown relirait le texte jusqu'au bout pour "
    "chacune ; fermez-les (« <a> ») ou écrivez « &lt; » pour un « < »"
)
_BLOCK_MARK = re.compile(r">|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t])")
_RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")  # a thematic break, no list
_DEFINITION = re.compile(r"^[ \t]*:[ \t]")
# a run of marks that may open or close emphasis (at most three levels: « *** »); an
# underscore inside a word (« snake_case ») is no emphasis for Python-Markdown
_EMPHASIS = re.compile(r"\*+|(?<![^\W_])_+|_+(?![^\W_])")
_UNCLOSED = re.compile(r"<[A-Za-z!?/][^<>]*(?=<|$)")


def _levels(row: str) -> tuple[int, int]:
    """(levels, columns) a line opens, and its indentation in columns: the quote and list
    marks that start it, and each run of blanks before, between and after them (four columns
    a level: a quote's content indented by a tab is a list or code inside it; a tab goes to
    the next multiple of four, counted from the start of the line as Markdown does)."""
    levels, column, blank, indentation = 0, 0, 0, None
    position, rule = 0, _RULE.match(row) is not None
    while position < len(row):
        char = row[position]
        if char in " \t":
            width = 1 if char == " " else 4 - column % 4
            column, blank, position = column + width, blank + width, position + 1
            continue
        indentation = column if indentation is None else indentation
        levels, blank = levels + blank // 4, 0
        mark = None if rule else _BLOCK_MARK.match(row, position)
        if mark is None:
            break
        levels, column, position = levels + 1, column + mark.end() - position, mark.end()
    return levels + blank // 4, column if indentation is None else indentation


def _emphasis(row: str) -> int:
    """The emphasis levels a line may open or close. Code is counted too: what a fence or
    backticks hold is code only when Markdown finds their end (« ``` a b » opens no block,
    « \\` » no code span), and a letter's email version reads fences as text."""
    if "*" not in row and "_" not in row:
        return 0
    return sum(min(len(run), 3) for run in _EMPHASIS.findall(row))


_BRACKET = re.compile(r"\]\(|[][()]")


def _paragraphs(text: str) -> Iterator[tuple[int, str]]:
    """(first line from 0, text) of each paragraph: lines between blank lines (spaces, tabs;
    a line of no-break spaces is no blank line for Markdown)."""
    start, rows = 0, list[str]()
    for number, row in enumerate(text.split("\n")):
        if row.strip(" \t\r"):
            start = start if rows else number
            rows.append(row)
        elif rows:
            yield start, "\n".join(rows)
            rows = []
    if rows:
        yield start, "\n".join(rows)


# Python-Markdown's markers, indented less than 8 columns (deeper, after an item: continuation
# of its text); « - » and « 1. » apart (the email's reading, sane_lists, continues a « - »
# list's item with a « 1. » line)
_BULLET = re.compile(r"(?: {0,7}|\t| {1,3}\t)[*+-][ \t]")
_NUMBERED = re.compile(r"(?: {0,7}|\t| {1,3}\t)\d{1,9}\.[ \t]")
_TABLE_RULE = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?")


def _cells(row: str) -> int:
    """Cells of a table row as written (outer pipes left out)."""
    row = row.strip(" \t")
    return len(row.removeprefix("|").removesuffix("|").split("|"))


@lru_cache(maxsize=1)
def _table_reader() -> Any:
    """The tables extension's own test of a block (header, then a rule of as many cells)."""
    return markdown.Markdown(extensions=["tables"]).parser.blockprocessors["table"]


def table_columns(paragraph: str) -> int:
    """The columns of ``paragraph`` when Markdown reads it as a table, else 0: asked of the
    tables extension itself (a header without outer pipes over a rule with them is a
    paragraph for it; an outside review got 56 s conversions through a guess)."""
    if "|" not in paragraph or "\n" not in paragraph:
        return 0
    reader = _table_reader()
    return len(reader.separator) if reader.test(None, paragraph) else 0


def _blocks(text: str) -> Iterator[tuple[int, str]]:
    """(first line from 0, text) of each part of ``text`` Markdown reads inline on its own:
    each paragraph, except that each row of a table and each item of a list (a paragraph
    that starts with an item: Python-Markdown starts no list inside a paragraph) is read
    apart."""
    for first, paragraph in _paragraphs(text):
        rows = paragraph.split("\n")
        if table_columns(paragraph):
            yield from ((first + k, row) for k, row in enumerate(rows))
        elif _BULLET.match(rows[0]) or _NUMBERED.match(rows[0]):
            marker = _BULLET if _BULLET.match(rows[0]) else _NUMBERED
            start = 0
            for k in range(1, len(rows) + 1):
                if k == len(rows) or marker.match(rows[k]):
                    yield first + start, "\n".join(rows[start:k])
                    start = k
        else:
            yield first, paragraph


def _inline_work(text: str) -> bool:
    """Whether a part of ``text`` has too many inline marks for its length."""
    for _, part in _blocks(text):
        if sum(part.count(mark) for mark in _INLINE_MARKS) * len(part) > INLINE_WORK:
            return True
    return False


def _inline_text(text: str) -> str:
    """``text`` with its raw HTML blocks set aside as Python-Markdown sets them aside (a table
    pasted from a spreadsheet is never read inline: its tags cost nothing), unless a block
    asks to be read as Markdown (« markdown="1" »)."""
    if re.search(r"\bmarkdown\s*=", text, re.I):
        return text
    reader = markdown.Markdown()
    return "\n".join(reader.preprocessors["html_block"].run(text.split("\n")))


def _bracket_work(paragraph: str) -> int:
    """Characters Python-Markdown reads looking for the ends of the paragraph's links: from
    each « [ » to its « ] » (nested ones counted) or to the paragraph's end, and from each
    link's « ]( » to its « ) »."""
    work, brackets, parens = 0, list[int](), list[int]()
    for found in _BRACKET.finditer(paragraph):
        mark, at = found.group(), found.start()
        if mark == "[":
            brackets.append(at)
        elif mark in ("]", "](") and brackets:
            work += at - brackets.pop()
        if mark == "](" or (mark == "(" and parens):
            parens.append(at)  # a link's destination, or a parenthesis inside one
        elif mark == ")" and parens:
            work += at - parens.pop()
    end = len(paragraph)
    return work + sum(end - at for at in brackets) + sum(end - at for at in parens)


def overloaded(text: str) -> tuple[int, str] | None:
    """(line from 0, French reason) of the first part of ``text`` Python-Markdown could not
    read in reasonable time or stack (too many brackets, emphasis or other inline marks in a
    paragraph, unclosed tags for the text's length, blocks nested too deeply), or None."""
    if len(text) > MAX_TEXT_LENGTH:
        return 0, TOO_LONG
    crowded = crowded_block(text)
    if crowded is not None:
        return crowded, CROWDED
    if "<" in text:
        most = min(MAX_OPEN_TAGS, OPEN_TAGS_WORK // max(len(text), 1))
        for count, unclosed in enumerate(_UNCLOSED.finditer(text), 1):
            if count > most:
                return text.count("\n", 0, unclosed.start()), TOO_MANY_OPEN_TAGS
        reopened = _reopened(text)
        if reopened is None:
            reopened = _left_open(text)
        if reopened is not None:
            return text.count("\n", 0, reopened), TOO_DEEP_HTML
    lines = _line_problem(text)
    if lines is not None:
        return lines
    for first, paragraph in _blocks(text):
        marks = sum(paragraph.count(mark) for mark in _INLINE_MARKS)
        if marks * len(paragraph) > INLINE_WORK and _inline_work(_inline_text(text)):
            return first, TOO_MANY_MARKS
        if "[" in paragraph and _bracket_work(paragraph) > BRACKETS_WORK:
            return first, TOO_OPEN_BRACKETS
    for first, block in _blocks(text):
        emphasis = sum(_emphasis(row) for row in block.split("\n"))
        if emphasis > MAX_EMPHASIS:
            return first, TOO_EMPHASISED
    # nesting as Python-Markdown reads it: list items nested by two are indented by four
    # (tisite.content.commonmark), line for line
    as_read = "\n".join(commonmark.as_read(text.split("\n"), blank_lines=False))
    for first, paragraph in _paragraphs(as_read):
        definitions = 0
        for offset, row in enumerate(paragraph.split("\n")):
            definitions += 1 if _DEFINITION.match(row) else 0
            if len(row) + definitions <= MAX_DEPTH:
                continue  # a character opens a level at most
            levels, columns = _levels(row)
            if levels + definitions > MAX_DEPTH or columns > 4 * MAX_DEPTH:
                return first + offset, TOO_DEEP
    return None


# Found by a second outside review, each read in a time that grows with a square: fences
# never closed (Python-Markdown looks for each one's end from its line to the end of the text:
# 16,000 « ~~~x » in 100 KB took 13 s), attribute lists « { » on a line (a heading of 66,000
# « {a »: 43 s) and very long headings; and « [TOC] », replaced by the whole table of contents
# each time (1,000 of them and 4,000 headings: a page of 150 MB and 5 GB of memory).
FENCE_WORK = 100_000_000  # fence lines × characters of the text
BRACES_WORK = 100_000_000  # « { » × characters of their line
MAX_HEADING = 20_000
_TOC_MARKER = re.compile(r"^[ \t]*\[TOC\][ \t]*$", re.M)
TOO_MANY_FENCES = (
    "trop de clôtures de code « ``` » ou « ~~~ » pour la longueur du texte : Markdown "
    "chercherait la fin de chacune jusqu'au bout du texte ; fermez chaque bloc de code ou "
    "découpez le texte"
)
TOO_MANY_BRACES = (
    "ligne trop longue avec trop d'accolades « { » (listes d'attributs) : Markdown la lirait en "
    "un temps qui croît avec leur carré ; coupez la ligne ou retirez des accolades"
)
TOO_LONG_HEADING = (
    f"titre de plus de {french_number(MAX_HEADING)} caractères : raccourcissez-le (la suite "
    "va dans un paragraphe sous le titre)"
)
TOC_MARKER = (
    "marqueur « [TOC] » : le site affiche déjà le sommaire de chaque page (et Markdown recopie "
    "tout le sommaire à chaque marqueur) ; retirez cette ligne"
)


# Found by a third outside review: a table's short rows are filled up to its columns (20,000
# rows of « | » under 200 columns: 4 million cells, more than 4 GB, the build killed), and
# each copy of a heading's identifier is looked for from the first (« #a_5 » 12,000 times: 24 s).
MAX_TABLE_CELLS = 60_000  # in a text, every table together: about a second a conversion
MAX_HEADINGS = 2000
TOO_MANY_CELLS = (
    f"tableaux de plus de {french_number(MAX_TABLE_CELLS)} cases en tout (colonnes × lignes) "
    "dans ce texte : Markdown les lirait en plusieurs minutes ; publiez ces données dans un "
    "fichier (CSV) et faites-y un lien, ou découpez le tableau"
)
TOO_MANY_HEADINGS = (
    f"plus de {french_number(MAX_HEADINGS)} titres dans ce texte : Markdown les lirait en un "
    "temps qui croît avec leur carré ; découpez-le en plusieurs pages ou lettres"
)
_SETEXT = re.compile(r" {0,3}(?:=+|-+)[ \t]*")  # the line under a title (« Titre » then « === »)
# a heading anywhere Markdown reads one: after quote marks, list markers and indentation, or
# written in HTML (« <h2 markdown="1"> »)
_ANY_HEADING = re.compile(r"^[ \t>]*(?:(?:[*+-]|\d{1,9}\.)[ \t]+[ \t>]*)*#|<h[1-6]\b", re.I)
# a table's rule as loosely as Markdown may take one, quote marks before it: « |---|:-:| »,
# « ||| »
_LOOSE_RULE = re.compile(r"[ \t>]*\|?[ \t:|-]*\|[ \t:|-]*")
_FENCE_LINE = re.compile(r"(`{3,}|~{3,})(.*)")  # fenced_code: at the start of a line


def _fence_work(text: str) -> int | None:
    """Where (a line from 0) the fences Python-Markdown cannot close cost too much, or None.
    It takes the fences in order (fenced_code: a fence starts its line): one closes at the
    first later line that is the very same fence, spaces after it only (the lines between
    are code); one that never closes is looked for to the end of the text, and so is each
    later fence. Closed blocks cost little."""
    fences = [
        (k, m[1], not m[2].strip(" "))
        for k, row in enumerate(text.split("\n"))
        if (m := _FENCE_LINE.fullmatch(row))
    ]
    closers: dict[str, list[int]] = {}  # a fence → the indexes of its bare lines, in order
    for index, (_, fence, bare) in enumerate(fences):
        if bare:
            closers.setdefault(fence, []).append(index)
    unclosed, index = 0, 0
    while index < len(fences):
        line, fence, _ = fences[index]
        later = closers.get(fence, [])
        found = bisect.bisect_right(later, index)
        if found < len(later):  # closed there: the lines between are code
            index = later[found] + 1
            continue
        unclosed += 1
        if unclosed * len(text) > FENCE_WORK:
            return line
        index += 1
    return None


def _line_problem(text: str) -> tuple[int, str] | None:
    """(line from 0, reason) of the first fence, line, marker, table or heading above those
    bounds, or None."""
    marker = _TOC_MARKER.search(text)
    if marker is not None:
        return text.count("\n", 0, marker.start()), TOC_MARKER
    if ("```" in text or "~~~" in text) and (line := _fence_work(text)) is not None:
        return line, TOO_MANY_FENCES
    cells, headings, fence = 0, 0, ""
    for first, paragraph in _paragraphs(text):
        rows = paragraph.split("\n")
        for k, row in enumerate(rows):
            opened = _FENCE_LINE.fullmatch(row)
            if fence:  # code: neither a table nor a heading
                fence = "" if opened and opened[1] == fence and not opened[2].strip(" ") else fence
                continue
            if opened:
                fence = opened[1]
                continue
            if k and _LOOSE_RULE.fullmatch(row):  # every row below it: as many cells
                cells += (row.count("|") + 1) * (len(rows) - k - 1)
                if cells > MAX_TABLE_CELLS:
                    return first + k, TOO_MANY_CELLS
            if _ANY_HEADING.search(row) or (k and _SETEXT.fullmatch(row)):
                headings += 1
                if headings > MAX_HEADINGS:
                    return first + k, TOO_MANY_HEADINGS
    if "{" not in text and len(text) <= MAX_HEADING:
        return None
    for index, row in enumerate(text.split("\n")):
        if row.count("{") * len(row) > BRACES_WORK:
            return index, TOO_MANY_BRACES
        if len(row) > MAX_HEADING and _ANY_HEADING.search(row):  # in a list or quote too
            return index, TOO_LONG_HEADING
    return None


# Formatting elements a browser opens again in each following block when a block closes
# them (« <p><b>x</p><p>y »: « y » is bold): each one left open wraps the rest of the text one
# level deeper, and the parser walks all of them at each block. 12,000 left open with
# different attributes took the sanitiser's parser a time that grows with their square
# (an outside review). Refused before any parsing once more are left open than the depth the
# build reads; a new « <a> » or « <nobr> » closes the former one, so neither is counted.
_FORMATTING = re.compile(
    r"<(/?)(b|big|code|em|font|i|s|small|strike|strong|tt|u)(?=[\s/>])([^<>]*)>", re.I
)


def _reopened(text: str) -> int | None:
    """Where (an offset) more than MAX_HTML_DEPTH formatting elements are left open in
    ``text``, as a browser keeps them: an end tag closes the last one of its name, and at most
    three identical ones (same name and attributes) count, or None."""
    open_: dict[str, list[str]] = {}  # name → attributes of those left open, in order
    same: dict[tuple[str, str], int] = {}  # (name, attributes) → how many are open
    counted = 0
    for tag in _FORMATTING.finditer(text):
        name = tag[2].lower()
        stack = open_.setdefault(name, [])
        if tag[1]:
            if stack:
                key = (name, stack.pop())
                same[key] -= 1
                counted -= 1 if same[key] < 3 else 0
            continue
        key = (name, " ".join(tag[3].split()))
        stack.append(key[1])
        same[key] = same.get(key, 0) + 1
        counted += 1 if same[key] <= 3 else 0
        if counted > MAX_HTML_DEPTH:
            return tag.start()
    return None


# Elements left open, counted on the text before any parsing: the sanitiser's parser takes a
# time that grows with the depth for each tag (60,000 « <div> » never closed: 32 s in the
# check, an outside review). Start tags minus end tags of the same name, except elements a
# browser closes by a sibling (« <li>a<li>b », cells, paragraphs), comments and the content
# of elements that hold text only (« <textarea></div></textarea> »). It errs on the side of
# counting (« <p><span>x</p> » leaves a « span » here, not in a browser), and under-counts
# end tags a browser ignores (across a table) at most a few times: far above the depth the
# build reads (MAX_HTML_DEPTH, measured after parsing), far below what the parser reads slowly.
MAX_LEFT_OPEN = 2000
# Python-Markdown reads a text's blocks in a time that grows faster than their number
# (300,000 short paragraphs, 1 MB: 30 s per conversion; the check converts a text twice, the
# build three times). Six times the contributor guide, a hundred pages or so: a page or letter
# longer than that is several.
MAX_TEXT_LENGTH = 300_000
TOO_LONG = (
    f"texte de plus de {french_number(MAX_TEXT_LENGTH)} caractères (une centaine de pages) : "
    "Markdown le lirait en plusieurs minutes à chaque construction ; découpez-le en plusieurs "
    "pages ou lettres"
)
_HIDDEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(textarea|title|script|style|xmp|iframe|noembed|noframes|noscript)[ \t\n\r\f/>]"
    r".*?(?:</\1[ \t\n\r\f/>]|\Z)|<plaintext[ \t\n\r\f/>].*",
    re.S | re.I,
)
_ANY_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)(?=[ \t\n\r\f/>])")  # HTML's own blanks
_CLOSED_BY_SIBLING = frozenset(
    {"p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup"}
    | {"colgroup", "caption", "html", "head", "body"}
)


def _left_open(text: str) -> int | None:
    """Where (an offset) more than MAX_LEFT_OPEN elements are left open in ``text``, or None."""
    visible = _HIDDEN.sub(lambda hidden: " " * len(hidden[0]), text)  # offsets kept
    open_: dict[str, int] = {}
    count = 0
    for tag in _ANY_TAG.finditer(visible):
        name = tag[2].lower()
        if name in VOID_ELEMENTS or name in _CLOSED_BY_SIBLING:
            continue
        if tag[1]:
            if open_.get(name):
                open_[name] -= 1
                count -= 1
            continue
        open_[name] = open_.get(name, 0) + 1
        count += 1
        if count > MAX_LEFT_OPEN:
            return tag.start()
    return None


def _shown(url: str) -> str:
    """An address as a message quotes it: on one line, cut when long."""
    url = " ".join(url.split())
    return url if len(url) <= 80 else url[:77] + "…"


def _not_published(url: str, place: Place | None) -> str | None:
    """Why the image at ``url`` (not on another host) shows nothing, or None."""
    if not url.strip():
        return (
            "image sans adresse (src vide) : indiquez le fichier de l'image, ou retirez la "
            "balise <img>"
        )
    if not same_site(url):  # data:, javascript:…: the sanitiser removes the address
        return (
            f"image qui n'est pas un fichier (« {_shown(url)} ») : le site ne publie que des "
            "images enregistrées dans un fichier ; enregistrez-la (JPEG, PNG, WebP ou GIF) et "
            "indiquez le nom du fichier"
        )
    if place is None:
        return (
            f"image « {_shown(url)} » : aucune image n'est publiée avec ce texte (seules les "
            "lettres, avec le dossier lettres/, et les pages de docs/ publient leurs images) ; "
            "retirez-la, ou mettez-la dans une lettre et faites ici un lien vers la lettre"
        )
    if url.lstrip().startswith(("/", "\\")):
        return (
            f"image « {_shown(url)} » : chemin absolu (il ne mène pas à un fichier du dépôt et "
            "dépend de l'adresse où le site est publié) ; indiquez le chemin du fichier à "
            "partir du fichier de la page, par exemple images/photo.jpg pour un fichier "
            "photo.jpg placé dans un dossier images/ à côté de lui"
        )
    if any(c in url for c in "?#%"):
        return (
            f"image « {_shown(url)} » : écrivez le nom du fichier tel quel, sans « ? », « # » "
            "ni « % » (renommez le fichier s'il en contient)"
        )
    return place(url)


def _without_alt(ref: Reference) -> str | None:
    """Why an image needs a text alternative, or None: it has one, or says it is decoration."""
    if (ref.alt or "").strip() or ref.decorative:
        return None
    shown = _shown(ref.url)
    return (
        f"image sans texte de remplacement (« {shown} ») : décrivez-la en une phrase, "
        f"lue aux personnes aveugles et affichée si l'image ne se charge pas : "
        f"![Description de l'image]({shown}) en Markdown, alt=\"Description de l'image\" "
        "dans une balise <img>. Une image purement décorative, qui n'apporte rien au texte, "
        f's\'écrit <img src="{shown}" alt="" role="presentation">'
    )


# the kinds (_KINDS) said in the masculine, or the plural: the message agrees with them
_MASCULINE = frozenset({"son", "cadre (iframe)", "cadre", "contenu intégré", "script", "style"})
_PLURAL = frozenset({"sous-titres"})


def message(kind: str, url: str, next_to_letter: bool) -> str:
    shown = _shown(url)
    if kind in _PLURAL:
        loaded, it = "chargés", "les"
    elif kind in _MASCULINE:
        loaded, it = "chargé", "le"
    else:
        loaded, it = "chargée", "la"
    fix = (
        "enregistrez le fichier dans le dossier lettres/ et indiquez son nom, par exemple "
        "![description](images/photo.jpg)"
        if next_to_letter and kind == "image"
        else f"remplacez-{it} par un lien [texte](adresse) vers la page qui {it} montre"
    )
    return (
        f"{kind} {loaded} depuis un autre site (« {shown} ») : le site ne fait rien charger "
        f"d'ailleurs à ses visiteurs ; {fix}"
    )
