"""Markdown as contributors write it: five habits of CommonMark (GitHub's preview, the web
editor's) that Python-Markdown reads otherwise, so that a page shows what its author saw.

- A list right under a line of text, without a blank line (« Les outils :\\n- le fonds… »):
  CommonMark starts the list there; Python-Markdown ran it into the paragraph
  (« Les outils : - le fonds… - les sociétés… »). A blank line is put before it (a list in
  order only from « 1. », as in CommonMark: « 2022\\n2. » in a sentence stays text).
- A list nested by two spaces, under the text of its item (« - a\\n  - b »): CommonMark nests
  it; Python-Markdown, which nests by four, flattened it. List items are indented again by
  four per level (a list nested by four is unchanged); the lines that go on an item are left
  where they are, which Python-Markdown reads in the item (a quote, a note, code in it).
- Fenced code in a list item (« 2. Lancez :\n\n   ```sh »): Python-Markdown reads fences at the
  margin only, and made it a line of inline code. It becomes code indented in the item.
- A paragraph (or a quote) after a blank line, under the text of an item (« - a\n\n  suite »):
  CommonMark keeps it in the item; Python-Markdown, which asks for four columns past the
  marker, ended the list there (and ran the next item into it). It is indented to where
  Python-Markdown reads it in the item, with the lines that go on it.
- A hashtag at the start of a line (« #TerritoiresDIndustrie », in a list or a quote too):
  CommonMark asks for a space after the « # » of a heading; Python-Markdown made it a heading.
  It stays text,
  as « ##Boîte à outils » does (as in the editor's preview, and for the check of empty
  sections, tisite.content.letters).

Fenced code, raw HTML blocks (already set aside) and four-space code are left as they are.
Loaded by name (``NAME``) with the site's extensions, the email version's and the check's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.util import HTML_PLACEHOLDER

NAME = "tisite.content.commonmark"

# a line standing for raw HTML that Python-Markdown set aside
_PLACEHOLDER = re.compile(re.escape(HTML_PLACEHOLDER).replace("%s", r"(\d+)"))
# a fence: three backticks or tildes; a backtick fence's info string has no backtick
# (« ```winget``` puis » is code in a line, not a fence)
_FENCE = re.compile(r"(`{3,})(?!.*`)|(~{3,})")
# a list item with text after its marker: bullet, or number then « . » (Python-Markdown reads
# no « 1) » list: such lines are left as they are)
_ITEM = re.compile(r"^( *)([-*+]|(\d{1,9})\.)( {1,4})(?=\S)")
# a line that starts a block of its own at the margin: it ends a list (CommonMark), unlike a
# lazy line of text that goes on the item's paragraph
_BLOCK_START = re.compile(
    r"^ {0,3}(?:#{1,6}(?:\s|$)|>|\||(?:[-*_][ \t]*){3,}$|`{3}|~{3}|!!!|\?\?\?)"
)
# a hashtag where a heading would start: at the margin, in an item's text, after « > »
_HASHTAG = re.compile(r"^((?: {0,3}>[ \t]?)*[ \t]*)(#{1,6})(?=[^\s#])")
NEST = 4  # Python-Markdown's indentation of a nested block


@dataclass
class _Item:
    indent: int  # of its marker, as written
    content: int  # column of its text, as written
    written: int  # of its marker, as given to Python-Markdown
    loose: bool = False  # a blank line inside it: its next sibling comes after a blank line


def as_read(lines: list[str], blank_lines: bool = True) -> list[str]:
    """``lines`` as given to Python-Markdown; without the blank lines put in (``blank_lines``
    False), line for line: what the check measures (its lines are the author's)."""
    return _Habits.read(lines, blank_lines)


class _Habits(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        blocks = self.md.htmlStash.rawHtmlBlocks

        def raw(line: str) -> str | None:
            """The raw HTML Python-Markdown set aside where ``line`` stands for it."""
            found = _PLACEHOLDER.fullmatch(line.strip())
            block = blocks[int(found[1])] if found and int(found[1]) < len(blocks) else None
            return block if isinstance(block, str) else None

        return self.read(lines, True, raw)

    @staticmethod
    def read(
        lines: list[str], blank_lines: bool, raw: Callable[[str], str | None] | None = None
    ) -> list[str]:
        """``raw``: the raw HTML a line stands for (set aside before this preprocessor runs:
        in fenced code of a list item, it is code, written back as such)."""
        out: list[str] = []
        items: list[_Item] = []  # the open list items, outermost first
        fence: str | None = None  # the marker of the fenced code the line is in
        # the previous line: blank; text outside any list; text going on a list item
        blank, text, going_on = True, False, False
        shift = 0  # columns added to the lines of a block moved into its item (see below)
        # fenced code in a list item: where its lines go (Python-Markdown's code in the item),
        # the columns of its fence (taken off its lines), the column of its item's text
        code_at: int | None = None
        fence_from = item_text = 0
        # raw HTML that Python-Markdown set aside as a block stands on a line of its own, the
        # spaces before its tag on the line before, two empty lines after it
        after_html = 0
        for number, line in enumerate(lines):
            stripped = line.strip()
            lead = len(line) - len(line.lstrip(" "))
            before = lines[number - 1] if number else ""
            spaces = before if before and not before.strip() else ""
            if code_at is not None and raw is not None:
                block = raw(line)
                if block is not None:  # HTML in code of an item: code, written back as such
                    if spaces and out and out[-1] == "":
                        out.pop()
                    for part in (spaces + block).split("\n"):
                        at = len(part) - len(part.lstrip(" "))
                        out.append(
                            " " * code_at + part[min(at, fence_from) :] if part.strip() else ""
                        )
                    after_html = 2
                    continue
                if after_html and not line:
                    after_html -= 1
                    continue
                after_html = 0
            if fence is None and items and _PLACEHOLDER.fullmatch(stripped):
                # an HTML block less indented than an item's text ends the item (CommonMark)
                while items and len(spaces) < items[-1].content:
                    items.pop()
                shift = 0
            if fence is not None and code_at is not None and stripped and lead < item_text:
                fence = code_at = None  # the item ends, and its code with it (CommonMark)
            if fence is not None:
                closing = stripped.startswith(fence) and not stripped.strip(fence[0])
                if code_at is None:
                    out.append(line)
                elif closing or not stripped:
                    out.append("")
                else:
                    out.append(" " * code_at + line[min(lead, fence_from) :])
                if closing:
                    fence = None
                    if code_at is not None:
                        code_at = None
                        blank, text, going_on = True, False, False
                continue
            if not stripped:
                out.append(line)
                for open_item in items:  # Python-Markdown then reads these items loose
                    open_item.loose = True
                blank, text, going_on = True, False, False
                continue
            indent = lead
            # four spaces at the margin, or past an item's text: code
            code = indent >= (items[-1].content if items else 0) + NEST
            item = None if code else _ITEM.match(line)
            if item and text and not any(indent >= i.content for i in items):
                # a list under a line of text starts there, but in order only from « 1. »
                # (« En 2022\n2. » in a sentence stays text, as in CommonMark)
                item = item if item[3] in (None, "1") else None
            if item:
                popped = False
                while items and indent < items[-1].content:
                    popped = items.pop().loose or popped
                child = bool(items)
                if (text and not child) or (going_on and child) or (popped and not blank):
                    if blank_lines:
                        out.append("")  # Python-Markdown would run it into the text above
                    for open_item in items:
                        open_item.loose = True
                written = items[-1].written + NEST if items else 0
                shift = 0
                items.append(_Item(indent, indent + len(item[2]) + len(item[4]), written))
                out.append(" " * written + line[indent:])
                blank, text, going_on = False, False, False
                continue
            if items and indent < items[0].content and (blank or _BLOCK_START.match(line)):
                items.clear()  # back at the margin after a blank line, or a new block: no list
                shift = 0
            if blank:
                shift = 0
            while items and blank and indent < items[-1].written + NEST:
                if indent >= items[-1].content:
                    # a block after a blank line, under the text of its item (« - a\n\n  b »):
                    # in the item for CommonMark; Python-Markdown keeps in an item only what
                    # is indented four columns past its marker: moved there, with the lines
                    # that go on it
                    shift = items[-1].written + NEST - items[-1].content
                    break
                # else the item ends here (for CommonMark too)
                items.pop()
            line = " " * shift + line
            if not code:
                found = _FENCE.match(stripped)
                if found:
                    fence = found[1] or found[2]  # closed by as many or more
                    if items and indent >= items[-1].content:
                        # in an item (« 2. Lancez :\n\n   ```sh »): Python-Markdown reads fences
                        # at the margin only, and made it a line of inline code (a command's
                        # « \\ » line breaks lost); four-space code in the item, which it reads
                        code_at = items[-1].written + 2 * NEST
                        fence_from, item_text = indent, items[-1].content
                        out.append("")  # the fence: the blank line before the code
                        for open_item in items:
                            open_item.loose = True
                        blank, text, going_on = True, False, False
                        continue
                line = _HASHTAG.sub(lambda m: m[1] + "\\" + m[2], line, count=1)
            # lines that go on an item stay where they are (Python-Markdown reads them in it)
            out.append(line)
            blank, text, going_on = False, not items, bool(items)
        return out


class CommonMarkHabits(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # after the raw HTML blocks (20) and fenced code (25) are set aside
        md.preprocessors.register(_Habits(md), "ti_habitudes", 15)


def makeExtension(**kwargs: object) -> CommonMarkHabits:  # the name Python-Markdown loads
    return CommonMarkHabits(**kwargs)
