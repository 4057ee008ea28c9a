"""Sanitise the HTML of pages: whatever a contributor commits, no script runs and nothing
touches the page's machinery.

Runs on the HTML that Markdown produced from a page. Two passes:

1. nh3 keeps the elements our templates use (tables, details, SVG charts and maps, filter
   forms) and removes scripts, event handlers, ``javascript:`` URLs and anything else outside
   the allow-list.
2. A pass over nh3's well-formed output namespaces what contributors wrote. Their Markdown is
   placed between two marker comments by the ``markdown`` filter of the templates
   (:func:`contributor_block`); inside, every ``id`` and ``name`` gets the ``uc-`` prefix
   (GitHub's approach), in-page links and label references are rewritten to match, classes
   are limited to the admonitions and ``data-*`` attributes are dropped, so that contributed
   HTML can neither replace nor clobber an element the theme's scripts look for
   (``__config``, ``__search``…) nor trigger a theme feature that loads a script (``mermaid``).
   Outside the markers, an identifier starting with ``_`` (the theme's own) is namespaced too:
   a heading whose title slugifies to ``__config`` can't break the page either. Everywhere,
   an image from another host loses its address, and table alignment becomes a class.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from dataclasses import dataclass, field

import nh3

_TAGS = {
    "a",
    "abbr",
    "article",
    "aside",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "nav",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    # forms of the action-plan filters
    "form",
    "fieldset",
    "legend",
    "label",
    "input",
    "select",
    "option",
    "button",
    "output",
    "meter",
    "textarea",
    # inline SVG (maps, charts)
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "line",
    "polyline",
    "text",
    "tspan",
    "title",
    "desc",
}
# aria-* and data-* attributes are listed one by one: a prefix would also let through names
# that no HTML tokenizer reads the same way (« data-a"b »).
_COMMON = {
    "class",
    "id",
    "title",
    "lang",
    "role",
    "hidden",
    "tabindex",
    "aria-label",
    "aria-labelledby",
    "aria-describedby",
    "aria-current",
    "aria-live",
    "aria-hidden",
    "aria-expanded",
    "aria-controls",
    # the action-plan filters and the share box (docs/assets/js)
    "data-group",
    "data-axe",
    "data-epci",
    "data-porteur",
    "data-priorite",
    "data-statut",
    "data-copy",
    "data-fin",
    "data-copy-target",
}
_ATTRIBUTES: dict[str, set[str]] = {
    "*": _COMMON,
    "a": {"href", "hreflang", "rel", "target", "download", "type"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "time": {"datetime"},
    "details": {"open"},
    "ol": {"start", "reversed"},
    # no action: a form in contributed HTML can't send anything to another site
    "form": {"method"},
    "label": {"for"},
    "input": {"type", "name", "value", "checked", "placeholder", "autocomplete", "inputmode"},
    "select": {"name", "multiple"},
    "option": {"value", "selected"},
    "button": {"type", "name", "value"},
    "output": {"for"},
    "meter": {"min", "max", "value", "low", "high", "optimum"},
    "textarea": {"rows", "cols", "readonly", "name"},
    "svg": {"viewbox", "viewBox", "xmlns", "width", "height", "focusable", "preserveAspectRatio"},
    "path": {"d", "fill", "stroke", "stroke-width", "transform"},
    "g": {"transform", "fill"},
    "rect": {"x", "y", "width", "height", "rx", "fill"},
    "circle": {"cx", "cy", "r", "fill"},
    "line": {"x1", "y1", "x2", "y2", "stroke", "stroke-width"},
    "polyline": {"points", "fill", "stroke", "stroke-width"},
    "text": {"x", "y", "dx", "dy", "text-anchor", "dominant-baseline", "font-size"},
    "tspan": {"x", "y", "dx", "dy"},
}


# The only inline styles kept by nh3: column alignment written by Markdown tables. The second
# pass turns them into classes (the Content-Security-Policy forbids inline styles).
_ALIGN = {f"text-align: {side};" for side in ("left", "right", "center")}
_VALUES = {"td": {"style": _ALIGN}, "th": {"style": _ALIGN}}

PREFIX = "uc-"
# Classes kept in contributed HTML: admonitions (« !!! note »), their title, and the section
# links that Markdown adds to headings.
_ADMONITIONS = (
    "note abstract summary tldr info todo tip hint important success check done question help "
    "faq warning caution attention failure fail missing danger error bug example quote cite"
)
CONTRIBUTOR_CLASSES = frozenset(
    {"admonition", "admonition-title", "headerlink", *_ADMONITIONS.split()}
)
_IDREF_ATTRIBUTES = {
    "for",
    "headers",
    "list",
    "aria-activedescendant",
    "aria-controls",
    "aria-describedby",
    "aria-details",
    "aria-errormessage",
    "aria-flowto",
    "aria-labelledby",
    "aria-owns",
}
_START = "ti-uc:"
_END = "/ti-uc:"
_TOKEN = re.compile(
    r"<!--(.*?)-->|<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s=>/\"]+(?:=\"[^\"]*\")?)*)\s*(/?)>",
    re.S,
)
_MARKER = re.compile(r"<!--(/?ti-uc:[0-9a-f]*)-->")
# After the second pass, every « <letter » starts a tag it has read (text has « &lt; »).
_UNREAD_TAG = re.compile(
    r"<(?![a-zA-Z][a-zA-Z0-9-]*(?:\s+[^\s=>/\"]+(?:=\"[^\"]*\")?)*\s*/?>)[a-zA-Z][^>]*>?"
)
_ATTRIBUTE = re.compile(r'([^\s=>/"]+)(?:="([^"]*)")?')
# An SVG shape's paint in contributed HTML: a colour, never a « url(…) » (a paint server, which
# the browser fetches, from another host too; CSS escapes can spell it « \\75 rl( »).
_PAINT = {"fill", "stroke"}
_COLOUR = re.compile(
    r"none|currentcolor|transparent|#[0-9a-f]{3,8}|[a-z]{3,20}"
    r"|(?:rgb|rgba|hsl|hsla)\(\s*[-0-9.,%\s/a-z]{1,60}\)",
    re.I,
)
# Outside contributor blocks, only these attributes are changed (see _rewrite).
_OUTSIDE_CHANGES = re.compile(r' (?:style|src)="|="#?_')
_STRIPPED = re.compile(r"[\t\n\r]")


def block_nonce(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def contributor_block(text: str, indent: int = 0) -> str:
    """Contributor Markdown between the two marker comments that the second pass looks for.

    The markers carry a digest of the text. The renderer records the digests of a page's blocks
    and the second pass requires exactly that sequence of markers (see ``_intact``): a marker
    written by a contributor, or one swallowed by a tag they left open, is detected.
    """
    nonce = block_nonce(text)
    pad = " " * indent
    return f"<!--{_START}{nonce}-->\n\n{pad}{text}\n\n{pad}<!--{_END}{nonce}-->"


def same_site(value: str) -> bool:
    """A resource address that the visitor's browser fetches from the site itself.

    Browsers ignore tabs and line breaks in URLs and read a backslash as a slash: ``/\\host``
    and ``/\t/host`` both mean ``//host``, another site.
    """
    text = _STRIPPED.sub("", value).strip()
    if re.match(r"^[/\\]{2}", text):
        return False
    return not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", text)


@dataclass
class Sanitized:
    html: str
    renamed: dict[str, str] = field(default_factory=dict)  # identifiers namespaced: old → new
    intact: bool = True  # False: a contributor block swallowed what followed it (see _intact)


def _namespaced(value: str, inside: bool) -> str:
    return PREFIX + value if inside or value.startswith("_") else value


def _rewrite(tag: str, attributes: str, inside: bool, renamed: dict[str, str]) -> str:
    out: list[tuple[str, str]] = []
    classes: list[str] = []
    for name, raw in _ATTRIBUTE.findall(attributes):
        value = html_lib.unescape(raw)
        lower = name.lower()
        if lower == "class":
            wanted = value.split()
            classes += [c for c in wanted if c in CONTRIBUTOR_CLASSES] if inside else wanted
            continue
        if lower == "style":
            match = re.fullmatch(r"text-align: (left|right|center);", value)
            if match:
                classes.append(f"ti-align-{match.group(1)}")
            continue
        if inside and (lower.startswith("data-") or lower == "hidden"):
            # hidden: text only the search index would read (and rank) is shown instead
            continue
        if lower == "src" and not same_site(value):
            continue  # images from another host are refused at check time; never loaded
        if lower in _PAINT and not _COLOUR.fullmatch(value.strip()):
            continue  # « url(https://…) »: a paint from another host; only colours are kept
        if lower in ("id", "name"):
            new = _namespaced(value, inside)
            if new != value and lower == "id":
                renamed[value] = new
            value = new
        elif lower in _IDREF_ATTRIBUTES:
            value = " ".join(_namespaced(v, inside) for v in value.split())
        elif lower == "href" and value.startswith("#") and len(value) > 1:
            value = "#" + _namespaced(value[1:], inside)
        out.append((name, value))
    if classes:
        out.insert(0, ("class", " ".join(dict.fromkeys(classes))))
    text = "".join(f' {n}="{html_lib.escape(v, quote=True)}"' for n, v in out)
    return f"<{tag}{text}>"


def _markers(cleaned: str) -> list[str]:
    """Every marker comment of ``cleaned``, in order (« ti-uc:N », « /ti-uc:N »)."""
    return [m.group(1) for m in _MARKER.finditer(cleaned)]


def _intact(cleaned: str, blocks: tuple[str, ...]) -> bool:
    """Whether the contributor blocks came out of HTML parsing as they went in.

    Each block must give exactly its opening and closing markers, in order, and no marker text
    may be anywhere else. A tag left open by a contributor (a comment, ``<script>``,
    ``<textarea>``…) swallows the closing marker of its block; a marker written by a
    contributor is one too many: in both cases the sequence differs.
    """
    expected = [f"{_START}{n}" if i % 2 == 0 else f"{_END}{n}" for n in blocks for i in (0, 1)]
    if _markers(cleaned) != expected:
        return False
    return cleaned.count("ti-uc:") == len(expected)


def _second_pass(cleaned: str, blocks: tuple[str, ...], contributed: bool = False) -> Sanitized:
    intact = _intact(cleaned, blocks)
    renamed: dict[str, str] = {}
    parts: list[str] = []
    position = 0
    # Not intact: the whole page is treated as contributed (fail closed).
    region: str | None = None if intact and not contributed else "*"
    for match in _TOKEN.finditer(cleaned):
        parts.append(cleaned[position : match.start()])
        position = match.end()
        comment, tag, attributes, _ = match.groups()
        if comment is not None:
            if intact and region is None and comment.startswith(_START):
                region = comment[len(_START) :]
            elif intact and region is not None and comment == _END + region:
                region = None
            continue  # comments are never published
        if not attributes or (region is None and not _OUTSIDE_CHANGES.search(attributes)):
            parts.append(match.group(0))  # nothing to change: most tags of a page
            continue
        parts.append(_rewrite(tag, attributes, region is not None, renamed))
    parts.append(cleaned[position:])
    html = "".join(parts).replace("<p></p>", "")
    if _UNREAD_TAG.search(html):
        # a tag this pass could not read: never published as it is
        html = _UNREAD_TAG.sub(lambda m: html_lib.escape(m.group(0)), html)
        intact = False
    return Sanitized(html, renamed, intact)


def sanitize(html: str, blocks: tuple[str, ...] = (), contributed: bool = False) -> Sanitized:
    """Both passes: the clean HTML and the identifiers that were namespaced.

    ``blocks``: the nonces of the contributor blocks of the page, in order (see
    :func:`contributor_block`); ``contributed``: the whole page is contributed (a page of
    docs/): everything is namespaced as in a block.
    """
    cleaned = nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        tag_attribute_values=_VALUES,
        generic_attribute_prefixes=set(),
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
        strip_comments=False,  # the markers of contributor blocks; removed by the second pass
        clean_content_tags={"script", "style"},
    )
    return _second_pass(cleaned, blocks, contributed)


def sanitize_html(html: str) -> str:
    return sanitize(html).html


VOID_ELEMENTS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
    | {"track", "wbr", "param", "keygen"}
)
_ELEMENT = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")


def deepest_nesting(html: str) -> int:
    """How deep the elements of ``html`` nest once parsed as a browser parses it (by nh3's
    parser, html5ever): end tags a browser ignores are ignored, blocks it closes are closed and
    formatting elements it opens again in each following block are counted. Every element the
    pages or the email versions keep counts (the sanitisers drop the others, keeping their
    content); nothing else is kept, so the scan reads tags and text only."""
    bare = nh3.clean(
        html,
        tags=_TAGS | nh3.ALLOWED_TAGS,
        attributes={},
        strip_comments=True,
        clean_content_tags={"script", "style"},
        link_rel=None,
    )
    depth = deepest = 0
    for tag in _ELEMENT.finditer(bare):  # « < » in text is « &lt; » there
        if tag[2].lower() in VOID_ELEMENTS:
            continue
        depth += -1 if tag[1] else 1
        deepest = max(deepest, depth)
    return deepest
