"""Markdown as contributors write it: three habits of CommonMark (GitHub's preview, the web
editor's) that Python-Markdown reads otherwise, so that a page shows what its author saw.

- A list right under a line of text, without a blank line (« Les outils :\\n- le fonds… »):
  CommonMark starts the list there; Python-Markdown ran it into the paragraph
  (« Les outils : - le fonds… - les sociétés… »). A blank line is put before it (a list in
  order only from « 1. », as in CommonMark: « 2022\\n2. » in a sentence stays text).
- A list nested by two spaces, under the text of its item (« - a\\n  - b »): CommonMark nests
  it; Python-Markdown, which nests by four, flattened it. Lists and the lines that go on an
  item are indented again by four per level (a list nested by four is unchanged).
- A hashtag at the start of a line (« #TerritoiresDIndustrie »): CommonMark asks for a space
  after the « # » of a heading; Python-Markdown made it a first-level heading. It stays text,
  as « ##Boîte à outils » does (as in the editor's preview, and for the check of empty
  sections, tisite.content.letters).

Fenced code, raw HTML blocks (already set aside) and four-space code are left as they are.
Loaded by name (``NAME``) with the site's extensions, the email version's and the check's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

NAME = "tisite.content.commonmark"

_FENCE = re.compile(r"(`{3,}|~{3,})")
# a list item with text after its marker: bullet, or number then « . » or « ) »
_ITEM = re.compile(r"^( *)([-*+]|(\d{1,9})[.)])( {1,4})(?=\S)")
_HASHTAG = re.compile(r"^#{1,6}(?=[^\s#])")
NEST = 4  # Python-Markdown's indentation of a nested block


@dataclass
class _Item:
    indent: int  # of its marker, as written
    content: int  # column of its text, as written
    written: int  # of its marker, as given to Python-Markdown
    loose: bool = False  # a blank line inside it: its next sibling comes after a blank line


class _Habits(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        items: list[_Item] = []  # the open list items, outermost first
        fence: str | None = None  # the marker of the fenced code the line is in
        shift = 0  # how much the lines of that fenced code move
        # the previous line: blank; text outside any list; text going on a list item
        blank, text, going_on = True, False, False
        for line in lines:
            if fence is not None:
                out.append(" " * shift + line if shift > 0 and line.strip() else line)
                if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                    fence = None
                continue
            if not line.strip():
                out.append(line)
                for open_item in items:  # Python-Markdown then reads these items loose
                    open_item.loose = True
                blank, text, going_on = True, False, False
                continue
            indent = len(line) - len(line.lstrip(" "))
            item = _ITEM.match(line)
            if item and not items and indent > 3:
                item = None  # four spaces at the margin: code, not a list
            if item and not any(indent >= i.content for i in items) and text:
                # a list under a line of text starts there, but in order only from « 1. »
                # (« En 2022\n2. » in a sentence stays text, as in CommonMark)
                item = item if item[3] in (None, "1") else None
            if item:
                popped = False
                while items and indent < items[-1].content:
                    popped = items.pop().loose or popped
                child = bool(items)
                if (text and not child) or (going_on and child) or (popped and not blank):
                    out.append("")  # Python-Markdown would run it into the text above
                    for open_item in items:
                        open_item.loose = True
                written = items[-1].written + NEST if items else 0
                items.append(_Item(indent, indent + len(item[2]) + len(item[4]), written))
                out.append(" " * written + line[indent:])
                blank, text, going_on = False, False, False
                continue
            if items and indent == 0 and blank:
                items.clear()  # text back at the margin after a blank line: the list ended
            moved = _moved(items, indent)
            found = _FENCE.match(line[indent:]) if indent <= 3 or items else None
            if found:
                fence, shift = found[1][0] * 3, moved - indent
            if not items and indent == 0 and _HASHTAG.match(line):
                line = "\\" + line  # a hashtag, not a heading
            out.append(" " * moved + line[indent:] if moved != indent else line)
            blank, text, going_on = False, not items, bool(items) and moved != indent
        return out


def _moved(items: list[_Item], indent: int) -> int:
    """Where a line that goes on a list item is given to Python-Markdown: under the deepest
    item whose text it reaches, four columns in per level; a line left of every item's text
    (a lazy continuation, or no list) stays where it is."""
    for item in reversed(items):
        if indent >= item.content:
            # up to four columns past the marker is the item's text (« 1. » then a line at
            # four: Python-Markdown's way; at three: CommonMark's); beyond, it keeps the rest
            return item.written + NEST + max(0, indent - max(item.content, item.indent + NEST))
    return indent


class CommonMarkHabits(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # after the raw HTML blocks (20) and fenced code (25) are set aside
        md.preprocessors.register(_Habits(md), "ti_habitudes", 15)


def makeExtension(**kwargs: object) -> CommonMarkHabits:  # the name Python-Markdown loads
    return CommonMarkHabits(**kwargs)
