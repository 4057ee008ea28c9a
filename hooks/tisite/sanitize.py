"""Sanitise the HTML of generated pages: whatever a contributor commits, no script runs.

Runs on the HTML that Markdown produced from our generated pages. It keeps the elements our
templates use (tables, details, SVG charts and maps, filter forms) and removes scripts, event
handlers, ``javascript:`` URLs and anything else outside the allow-list.
"""

from __future__ import annotations

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
_COMMON = {"class", "id", "title", "lang", "role", "hidden", "tabindex"}
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


# The only inline styles kept: column alignment written by Markdown tables. Any other style
# (for example a fixed block covering the page) is removed.
_ALIGN = {f"text-align: {side};" for side in ("left", "right", "center")}
_VALUES = {"td": {"style": _ALIGN}, "th": {"style": _ALIGN}}


def sanitize_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        tag_attribute_values=_VALUES,
        generic_attribute_prefixes={"aria-", "data-"},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel=None,
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )
