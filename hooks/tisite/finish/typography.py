"""French typography on published text: no line break where French forbids one.

A no-break space (U+00A0) before « : » and before a « · » separator and inside
« guillemets », a narrow no-break space (U+202F) before « ; ! ? », a no-break space between a
number and its unit, the groups of digits of a number typed with ordinary spaces (« 77 000 »,
« 5 413,33 ») joined by a narrow no-break space, as the site writes its own figures, and a few
phrases kept on one line.
Only spaces that are there are changed (nothing is added), only in text: tags, attributes,
comments, code and scripts are left as they are. Pages, emails, feeds and calendars get it.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
NNBSP = "\u202f"
_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # (a text node may start with the space: « <a>lien</a> : suite »)
    (re.compile(r"(?:(?<=\S)|^)[ \u00a0](?=[;!?](?:\s|$|[»)\]]))"), NNBSP),
    (re.compile(r"(?:(?<=\S)|^) (?=:(?:\s|$))"), NBSP),
    # « A · B »: the separator stays with what it follows (never at the start of a line)
    (re.compile(r"(?:(?<=\S)|^) (?=·(?:\s|$))"), NBSP),
    (re.compile(r"« "), "«" + NBSP),
    (re.compile(r" »"), NBSP + "»"),
    (re.compile(r"(?<=\d) (?=(?:%|€|M€|k€|Md€|ha|km|m²)(?!\w))"), NBSP),
    (re.compile(r"\b(non|n°|p\.) (?=\w)"), r"\1" + NBSP),
)
# « 77 000 », « 1 250 000 », « 5 413,33 »: one to three digits, then groups of exactly three
# (« en 2022 2023 » or a telephone number « 03 27 71 » are not one number)
_DIGIT_GROUPS = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0]\d{3})+(?![\d])")
# Where any rule may apply: most text nodes have none of these, and one search is cheaper
# than six substitutions.
_ANY = re.compile(r"[;!?:«»·]|(?<=\d)[ \u00a0]|\b(?:non|n°|p\.) ")
_PIECES = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_VERBATIM = re.compile(r"<(/?)(pre|code|kbd|samp|script|style|textarea)\b", re.I)


def french_text(text: str) -> str:
    if not _ANY.search(text):
        return text
    text = _DIGIT_GROUPS.sub(lambda m: re.sub("[ \u00a0]", NNBSP, m.group(0)), text)
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def french_html(html: str) -> str:
    """``french_text`` on the text nodes of ``html``, outside code and scripts."""
    pieces = _PIECES.split(html)
    verbatim = 0
    for i, piece in enumerate(pieces):
        if i % 2:  # a tag or a comment
            tag = _VERBATIM.match(piece)
            if tag:
                verbatim = max(0, verbatim + (-1 if tag.group(1) else 1))
        elif not verbatim and piece.strip():
            pieces[i] = french_text(piece)
    return "".join(pieces)
