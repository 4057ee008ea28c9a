"""Tables that a phone can read: each data cell carries its column's header as ``data-label``.

On a narrow screen the stylesheet (``assets/css/ti.css``) stacks the rows of a marked table:
one block per row, every figure beside its header, nothing hidden behind a sideways scroll.
Applied to the final HTML of every page (after the sanitiser, so the labels are text this step
escapes itself, never a contributor's attribute).
"""

from __future__ import annotations

import html as html_lib
import re

_TABLE = re.compile(r"<table\b([^>]*)>(.*?)</table>", re.S | re.I)
_HEAD = re.compile(r"<thead\b[^>]*>(.*?)</thead>", re.S | re.I)
_BODY = re.compile(r"<tbody\b[^>]*>.*?</tbody>|<tfoot\b[^>]*>.*?</tfoot>", re.S | re.I)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S | re.I)
_CELL = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</\1>", re.S | re.I)
_TAG = re.compile(r"<[^>]*>")
_SPAN = re.compile(r"\b(?:colspan|rowspan)=", re.I)


LABEL_LIMIT = 80  # a header copied into every cell: a long one would swell the page


def _text(fragment: str) -> str:
    text = " ".join(html_lib.unescape(_TAG.sub(" ", fragment)).split())
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1].rstrip() + "…"


def _labelled_rows(section: str, labels: list[str]) -> str:
    def row(match: re.Match[str]) -> str:
        cells = iter(labels)

        def cell(m: re.Match[str]) -> str:
            label = next(cells, "")
            if m.group(1).lower() == "th" or not label:
                return m.group(0)
            escaped = html_lib.escape(label, quote=True)
            return f'<td data-label="{escaped}"{m.group(2)}>{m.group(3)}</td>'

        return _CELL.sub(cell, match.group(0))

    return _ROW.sub(row, section)


# The labels a table's cells carry, at most (header text × rows): each header is copied into
# every cell of its column, so a table of long headers and thousands of rows grew a page to
# 72 MB (an outside review). Beyond, the table scrolls as a complex one does.
LABELS_BUDGET = 2_000_000


def stack_on_phones(page_html: str) -> str:
    """Mark every simple table (one header row, no merged cell) as stackable and label its
    cells; other tables are left as they are (they scroll, see ``a11y.js``)."""

    def table(match: re.Match[str]) -> str:
        attributes, inner = match.groups()
        head = _HEAD.search(inner)
        if head is None or _SPAN.search(inner) or "<table" in inner.lower():
            return match.group(0)
        rows = _ROW.findall(head.group(1))
        if len(rows) != 1:
            return match.group(0)
        labels = [_text(m.group(3)) for m in _CELL.finditer(rows[0])]
        if sum(map(len, labels)) * inner.lower().count("<tr") > LABELS_BUDGET:
            return match.group(0)
        body = _BODY.sub(lambda m: _labelled_rows(m.group(0), labels), inner)
        return f"<table{attributes} data-stack>{body}</table>"

    return _TABLE.sub(table, page_html)
