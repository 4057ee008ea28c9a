"""Social images (Open Graph, 1200×627 PNG) drawn at build time with Pillow.

LinkedIn reads only Open Graph tags and ignores SVG and WebP. Each card shows the kind of page,
its title (wrapped, never overflowing), the territory and, where it fits, a key figure. Cards
are cached by a hash of their content: an unchanged page costs nothing on rebuild. Every line
is at least 40 px tall (12 px in a 360 px wide thumbnail); the key figure is a one-line badge.
A card is drawn straight in palette indices and written as PNG by blocks of rows, the blocks
it shares with its kind's background compressed once (see compose and _png).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
import re
import struct
import unicodedata
import zlib
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tisite.publish.diskcache import atomic_write, link_or_copy, loaded_digest

WIDTH, HEIGHT = 1200, 627
FONTS = Path(__file__).parents[1] / "data" / "fonts"
BLUE = (0, 0, 145)
RED = (201, 25, 30)
WHITE = (255, 255, 255)
SOFT = (227, 227, 253)


@dataclass(frozen=True)
class Card:
    """What a social image shows."""

    title: str
    kind: str  # « Fiche action », « Lettre n°14 »…
    territory: str | None = None
    figure: str | None = None  # « 765 780 habitants »
    site_name: str = "Territoires d'industrie"

    def version(self) -> str:
        """A short hash of what the card shows and of how it is drawn (``digest``): the
        query of its address in a page's tags (« partage.png?v=… »), so that LinkedIn, which
        keeps an image by its address, shows the new card when it changes (a status, a
        title, a new layout)."""
        return self.digest()[:10]

    def digest(self) -> str:
        """The card's name in the cache: a hash of what it shows and of the code, fonts and
        libraries that draw it (diskcache.loaded_digest; computed once per card)."""
        known: str | None = self.__dict__.get("_digest")
        if known is None:
            shown = {"code": loaded_digest(), **asdict(self)}
            payload = json.dumps(shown, ensure_ascii=False, sort_keys=True)
            known = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]
            object.__setattr__(self, "_digest", known)  # frozen: what it shows can't change
        return known


@lru_cache(maxsize=32)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


# --- text the font can draw ---------------------------------------------------------------

MAX_MARKS = 2  # combining marks kept on one letter (more climb out of the title box)


def _extends(char: str) -> bool:
    """Whether ``char`` belongs to the cluster before it: combining mark, joiner, variation
    selector, skin tone, tag."""
    code = ord(char)
    return (
        unicodedata.category(char) in ("Mn", "Me", "Mc")
        or char in "\u200d\ufe0e\ufe0f"
        or 0x1F3FB <= code <= 0x1F3FF
        or 0xE0020 <= code <= 0xE007F
    )


def graphemes(text: str) -> list[str]:
    """User-perceived characters (letter + marks, emoji sequences): never cut inside one."""
    clusters: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if clusters and (_extends(char) or clusters[-1].endswith("\u200d")):
            clusters[-1] += char
        else:
            clusters.append(char)
    return clusters


@lru_cache(maxsize=2)
def _missing_mask(bold: bool) -> bytes:
    return _mask(font(40, bold), "\U0010fffd")  # a code point no font draws


def _mask(fnt: ImageFont.FreeTypeFont, char: str) -> bytes:
    mask = fnt.getmask(char)
    return repr(mask.size).encode() + bytes(mask)


@lru_cache(maxsize=8192)
def has_glyph(char: str, bold: bool = False) -> bool:
    """Whether the bundled font draws ``char`` (else FreeType draws its empty box)."""
    return char.isspace() or _mask(font(40, bold), char) != _missing_mask(bold)


@lru_cache(maxsize=2)
def _plain(bold: bool) -> frozenset[str]:
    """Characters drawn as they are (Latin letters, digits, French punctuation): a text made
    of them only needs its spaces collapsed (see drawable)."""
    chars = [*map(chr, range(0x20, 0x250)), *"’‘“”«»–—…€•·"]
    return frozenset(
        c
        for c in chars
        if unicodedata.category(c) not in ("Mn", "Me", "Mc", "Cf", "Cc") and has_glyph(c, bold)
    )


def drawable(text: str, bold: bool = False) -> str:
    """``text`` as the card can show it: clusters whose base the font lacks (emoji, rare
    scripts) are left out rather than drawn as boxes, at most MAX_MARKS marks per letter,
    no invisible format character, spaces collapsed. The page's own title keeps everything."""
    if _plain(bold).issuperset(text):  # the usual case, at once
        return " ".join(text.split())
    kept = []
    for cluster in graphemes(text):
        cluster = unicodedata.normalize("NFD", cluster)  # « é » counts as e + one mark
        base = cluster[0]
        if unicodedata.category(base) in ("Cf", "Cc") or not has_glyph(base, bold):
            continue
        marks = [c for c in cluster[1:] if unicodedata.category(c) in ("Mn", "Me", "Mc")]
        marks = [m for m in marks if has_glyph(m, bold)][:MAX_MARKS]
        kept.append(unicodedata.normalize("NFC", base + "".join(marks)))
    return " ".join("".join(kept).split())


# --- wrapping -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    lines: list[str]
    split_word: bool  # a word spans two lines (after one of its hyphens, or cut)
    cut_word: bool  # a word was cut where it has no hyphen
    ellipsis: bool  # the text did not fit


def _pieces(word: str) -> list[str]:
    """A word's break opportunities: after each hyphen (« Hainaut-Douaisis-Cambrésis »)."""
    parts = [p for p in re.split(r"(?<=-)", word) if p]
    return parts or [word]


@lru_cache(maxsize=16384)
def _length(fnt: ImageFont.FreeTypeFont, word: str) -> float:
    """A word's width, measured once per font: a line's width is the sum of its words' and
    spaces' (layout checks each line it returns against the width measured whole)."""
    return float(fnt.getlength(word))


def layout(
    text: str, fnt: ImageFont.FreeTypeFont, width: int, max_lines: int, exact: bool = False
) -> Layout:
    """Word-wrap to a pixel width, breaking long words after their hyphens first, cutting a
    word (between graphemes, with a hyphen) only when one piece is wider than the line; the
    last line is ellipsised when the text is too long. Lines are measured word by word, then
    checked whole (``exact``: measured whole all along, if a check failed)."""
    lines: list[str] = []
    current = ""
    current_w = 0.0
    space = _length(fnt, " ")
    cut = split = False
    for word in text.split():
        if len(lines) > max_lines:
            break  # enough to know the text does not fit
        candidate = f"{current} {word}".strip()
        if exact:
            candidate_w = fnt.getlength(candidate)
        else:
            candidate_w = current_w + space + _length(fnt, word) if current else _length(fnt, word)
        if candidate_w <= width:
            current, current_w = candidate, candidate_w
            continue
        for index, piece in enumerate(_pieces(word)):
            joined = (current + piece) if index else f"{current} {piece}".strip()
            if fnt.getlength(joined) <= width:
                current = joined
                continue
            if current:
                lines.append(current)
                split = split or index > 0
            current = piece
            while fnt.getlength(current) > width and len(lines) <= max_lines:
                # one piece wider than the line: the longest head that fits, by bisection
                clusters = graphemes(current)
                low, high = 1, len(clusters) - 1
                while low < high:
                    middle = (low + high + 1) // 2
                    if fnt.getlength("".join(clusters[:middle]) + "-") <= width:
                        low = middle
                    else:
                        high = middle - 1
                lines.append("".join(clusters[:low]) + "-")
                current = "".join(clusters[low:])
                cut = split = True
        current_w = fnt.getlength(current)
    if current:
        lines.append(current)
    if not exact and any(fnt.getlength(line) > width for line in lines[:max_lines]):
        return layout(text, fnt, width, max_lines, exact=True)
    ellipsis = len(lines) > max_lines
    if ellipsis:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and fnt.getlength(last + " …") > width:
            last = last.rsplit(" ", 1)[0] if " " in last else "".join(graphemes(last)[:-1])
        lines[-1] = last.rstrip(",;:-") + " …"
    return Layout(lines, split, cut, ellipsis)


def wrap(text: str, fnt: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    return layout(text, fnt, width, max_lines).lines


TITLE_SIZES = range(64, 39, -4)  # 40 px at least: 13 px in a 400 px wide thumbnail


def fit_title(text: str, width: int, height: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest title size whose lines fit in the box with every word whole; else the
    largest that only breaks compound words after a hyphen; else the largest that fits with
    a cut word; else the smallest, ellipsised."""
    layouts: dict[int, tuple[ImageFont.FreeTypeFont, Layout]] = {}

    def at(size: int) -> tuple[ImageFont.FreeTypeFont, Layout]:
        """The layout at ``size``, computed once and only when asked: most titles fit at the
        largest size, and measuring text is most of the cost of a card."""
        if size not in layouts:
            fnt = font(size, bold=True)
            layouts[size] = fnt, layout(text, fnt, width, max(1, height // int(size * 1.25)))
        return layouts[size]

    for acceptable in (
        lambda r: not r.split_word,
        lambda r: not r.cut_word,
        lambda r: True,
    ):
        for size in TITLE_SIZES:
            fnt, result = at(size)
            if not result.ellipsis and acceptable(result):
                return fnt, result.lines
    fnt, result = at(TITLE_SIZES[-1])
    return fnt, result.lines


def territory_line(card: Card) -> str | None:
    """The card's bottom line: « Territoire d'industrie <name> », or « Territoire d'industrie »
    when the title is the name, nothing when the badge says it already (each thing once)."""
    if not card.territory:
        return None
    if card.territory != card.title:
        return f"Territoire d'industrie {card.territory}"
    return None if "territoire d'industrie" in card.kind.casefold() else "Territoire d'industrie"


def alt_text(card: Card) -> str:
    """What the card shows, each thing once (« Agenda », not « Agenda : Agenda »)."""
    title = card.title.casefold()
    parts = [] if card.kind.casefold() in title else [card.kind]
    parts.append(card.title)
    if card.figure:
        parts.append(card.figure)
    if card.territory and card.territory.casefold() not in title:
        parts.append(f"Territoire d'industrie {card.territory}")
    return " — ".join(parts)


# --- drawing ------------------------------------------------------------------------------
# Every line of a card is at least 40 px tall (MIN_TEXT): 12 px in a 360 px wide thumbnail
# (LinkedIn's feed on a phone). The key figure is a badge on one line, never broken.
MIN_TEXT = 40
SITE_SIZE = 40  # the site's name, in the header band
KIND_SIZE = 40  # the badge of the kind of page (« Fiche action »)
FIGURE_SIZE = 40  # the key figure's badge
TERRITORY_SIZE = 40  # « Territoire d'industrie … », at the bottom
LEFT, RIGHT = 64, WIDTH - 64
HEADER = 100  # height of the blue band
BADGE_TOP, BADGE_H = 124, 64
TITLE_TOP = BADGE_TOP + BADGE_H + 28
TERRITORY_BASELINE = HEIGHT - 40
RED_LINE = HEIGHT - 14
GAP = 24

# A card is drawn straight in palette indices (an « L » image whose values are indices), never
# in RGB then quantised: each text has one colour on one background, and its anti-aliasing is a
# ramp of RAMP shades between the two. Palette: one ramp per (text, background), then red.
RAMP = 16
TEXT, MUTED, BADGE, HEADER_TEXT = 0, 1, 2, 3  # ramps
_RAMPS = (((22, 22, 22), WHITE), ((58, 58, 58), WHITE), (BLUE, SOFT), (WHITE, BLUE))
WHITE_I, SOFT_I, BLUE_I = TEXT * RAMP, BADGE * RAMP, HEADER_TEXT * RAMP  # the backgrounds
RED_I = len(_RAMPS) * RAMP
PALETTE = [
    round(bg[c] + (fg[c] - bg[c]) * step / (RAMP - 1))
    for fg, bg in _RAMPS
    for step in range(RAMP)
    for c in range(3)
] + list(RED)


@dataclass(frozen=True)
class Drawn:
    """A line of text drawn on a card: its text, font size and ink box (for the tests)."""

    text: str
    size: int
    box: tuple[int, int, int, int]
    ramp: int
    bold: bool


@lru_cache(maxsize=128)
def _patch(
    text: str, size: int, bold: bool, ramp: int, anchor: str
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """A line drawn once on the first index of its ramp (its background colour): Pillow
    blends the anti-aliased text from there to the last index (its colour), so that every
    pixel is an index of the ramp. Returns the patch and its box around the anchor point.
    Lines that come back (a territory's name, a status, a kind) are drawn once."""
    fnt = font(size, bold)
    left, top, right, bottom = (int(v) for v in fnt.getbbox(text, anchor=anchor))
    patch = Image.new("L", (max(1, right - left), max(1, bottom - top)), ramp * RAMP)
    fill = ramp * RAMP + RAMP - 1
    ImageDraw.Draw(patch).text((-left, -top), text, font=fnt, fill=fill, anchor=anchor)
    return patch, (left, top, right, bottom)


def _text(
    canvas: Image.Image,
    xy: tuple[int, int],
    text: str,
    fnt: ImageFont.FreeTypeFont,
    ramp: int,
    anchor: str = "la",
    bold: bool = False,
    keep: bool = True,
) -> Drawn:
    """Draw a line on ``canvas``, whose box lies on the ramp's background colour (``keep``:
    the line may come back, its patch is kept)."""
    size = int(fnt.size)
    x, y = xy
    if keep:
        patch, (left, top, right, bottom) = _patch(text, size, bold, ramp, anchor)
        canvas.paste(patch, (x + left, y + top))
    else:  # a title's line, drawn in place: it lies on white, the first index of its ramp
        left, top, right, bottom = (int(v) for v in fnt.getbbox(text, anchor=anchor))
        fill = ramp * RAMP + RAMP - 1
        ImageDraw.Draw(canvas).text(xy, text, font=fnt, fill=fill, anchor=anchor)
    return Drawn(text, size, (x + left, y + top, x + right, y + bottom), ramp, bold)


def _one_line(text: str, fnt: ImageFont.FreeTypeFont, width: int) -> str:
    return wrap(text, fnt, width, 1)[0] if text else text


@dataclass
class _Background:
    """What the cards of one kind share, drawn once: the header band with its logo and the
    site's name, the kind's badge, the red line; and its PNG rows, compressed when first met
    unchanged in a card (see _png)."""

    canvas: Image.Image  # palette indices
    lines: tuple[Drawn, ...]
    badge_right: int
    raw: bytes = b""
    blocks: dict[int, bytes] = field(default_factory=dict)


@lru_cache(maxsize=16)  # about 1.5 MB each: cards come page after page, kind after kind
def _background(site_name: str, kind: str) -> _Background:
    img = Image.new("L", (WIDTH, HEIGHT), WHITE_I)
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, WIDTH, HEADER], fill=BLUE_I)
    # Logo: a small factory drawn with shapes (no external asset).
    factory = [(48, 72), (48, 46), (61, 37), (61, 46), (74, 37), (74, 46), (83, 42)]
    d.polygon([*factory, (83, 26), (92, 26), (92, 72)], fill=WHITE_I)
    name_font = font(SITE_SIZE, bold=True)
    name = _one_line(drawable(site_name, bold=True), name_font, RIGHT - 116)
    lines = []
    if name:
        lines.append(_text(img, (116, HEADER // 2), name, name_font, HEADER_TEXT, "lm", True))
    kind_font = font(KIND_SIZE, bold=True)
    label = _one_line(drawable(kind, bold=True), kind_font, RIGHT - LEFT - 48)
    badge_right = LEFT + int(kind_font.getlength(label)) + 48
    d.rounded_rectangle([LEFT, BADGE_TOP, badge_right, BADGE_TOP + BADGE_H], 10, fill=SOFT_I)
    middle = BADGE_TOP + BADGE_H // 2
    lines.append(_text(img, (LEFT + 24, middle), label, kind_font, BADGE, "lm", True))
    d.rectangle([0, RED_LINE, WIDTH, HEIGHT], fill=RED_I)
    return _Background(img, tuple(lines), badge_right, _rows(img))


def compose(card: Card) -> tuple[Image.Image, list[Drawn]]:
    """The card as palette indices (see PALETTE) and every line drawn on it."""
    background = _background(card.site_name, card.kind)
    img = background.canvas.copy()
    lines = list(background.lines)
    d = ImageDraw.Draw(img)
    bottom = RED_LINE - 24  # the lowest the title may reach
    footer = territory_line(card)
    if footer:
        tfont = font(TERRITORY_SIZE)
        name = _one_line(drawable(footer), tfont, RIGHT - LEFT)
        lines.append(_text(img, (LEFT, TERRITORY_BASELINE), name, tfont, MUTED, "ls"))
        bottom = TERRITORY_BASELINE - tfont.getmetrics()[0] - GAP
    if card.figure:  # a badge on one line: beside the kind's if there is room, else above
        ffont = font(FIGURE_SIZE, bold=True)
        figure = _one_line(drawable(card.figure, bold=True), ffont, RIGHT - LEFT - 56)
        width = int(ffont.getlength(figure)) + 56
        top = BADGE_TOP
        if background.badge_right + GAP + width > RIGHT:
            top = bottom - BADGE_H
            bottom = top - GAP
        x = RIGHT - width if top == BADGE_TOP else LEFT
        d.rectangle([x, top, x + width, top + BADGE_H], fill=SOFT_I)
        d.rectangle([x, top, x + 8, top + BADGE_H], fill=BLUE_I)
        middle = (x + 32, top + BADGE_H // 2)
        lines.append(_text(img, middle, figure, ffont, BADGE, "lm", bold=True))
    title = drawable(card.title, bold=True) or drawable(card.kind, bold=True)
    tfont, title_lines = fit_title(title, RIGHT - LEFT, bottom - TITLE_TOP)
    line_h = int(tfont.size * 1.25)
    for i, line in enumerate(title_lines):
        xy = (LEFT, TITLE_TOP + i * line_h)
        lines.append(_text(img, xy, line, tfont, TEXT, bold=True, keep=False))
    return img, lines


def draw_card(card: Card) -> bytes:
    """The card's PNG, written from its palette indices (no quantisation)."""
    canvas, _ = compose(card)
    return _png(canvas, _background(card.site_name, card.kind))


# --- PNG ----------------------------------------------------------------------------------
# A card differs from its kind's background in a few bands of rows (title, figure, territory):
# its image data is compressed by blocks of BLOCK rows, each block on its own (a full flush
# ends it), so that a block left as in the background is compressed once per kind and reused.
BLOCK = 8
_LEVEL = 1  # deflate level: the flat image compresses well at the fastest one


def _rows(canvas: Image.Image) -> bytes:
    """The PNG image data before compression: each row after its filter byte (0, none), made
    by pasting the canvas one column to the right of a column of zeros."""
    wide = Image.new("L", (WIDTH + 1, HEIGHT), 0)
    wide.paste(canvas, (1, 0))
    return wide.tobytes()


def _deflate(block: bytes) -> bytes:
    packer = zlib.compressobj(_LEVEL, zlib.DEFLATED, -15)  # raw deflate, fresh dictionary
    return packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _png(canvas: Image.Image, background: _Background) -> bytes:
    """A PNG (8-bit palette, no metadata) of ``canvas``: blocks equal to the background's are
    taken compressed from it."""
    raw = _rows(canvas)
    size = BLOCK * (WIDTH + 1)
    parts = [b"\x78\x01"]  # zlib header: deflate, 32 KiB window, fastest
    changed = -1  # start of the run of changed blocks not yet compressed (-1: none)
    for start in range(0, len(raw), size):
        block = raw[start : start + size]
        if block != background.raw[start : start + size]:
            changed = start if changed < 0 else changed
            continue
        if changed >= 0:  # a run of changed blocks, compressed at once
            parts.append(_deflate(raw[changed:start]))
            changed = -1
        if start not in background.blocks:
            background.blocks[start] = _deflate(block)
        parts.append(background.blocks[start])
    if changed >= 0:
        parts.append(_deflate(raw[changed:]))
    parts.append(zlib.compressobj(_LEVEL, zlib.DEFLATED, -15).flush(zlib.Z_FINISH))
    parts.append(struct.pack(">I", zlib.adler32(raw)))
    header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 3, 0, 0, 0)  # 8-bit palette
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"PLTE", bytes(PALETTE)),
            _chunk(b"IDAT", b"".join(parts)),
            _chunk(b"IEND", b""),
        )
    )


def draw_missing(cards: list[Card], cache_dir: Path) -> int:
    """Draw into ``cache_dir`` the cards not there yet; returns how many were drawn.

    Runs in worker processes (see CardPainter): each file appears atomically under its name.
    """
    drawn = 0
    for card in cards:
        path = cache_dir / f"{card.digest()}.png"
        if not path.is_file():
            atomic_write(path, draw_card(card))
            drawn += 1
    return drawn


class CardPainter:
    """Draws the missing cards into the cache in worker processes while MkDocs renders pages.

    With one processor, without a cache folder, or with fewer than ``minimum`` cards to draw,
    nothing is started: the cards are then drawn when they are written (write_cached). A
    worker is a new Python process that imports Pillow and our code (about 0.3 s of
    processor time): a territory's site draws its 50 to 100 cards for less (3 ms each), and
    a preview's rebuild draws one or two.
    """

    CHUNK = 64
    MINIMUM = 100  # cards to draw below which no worker is started

    def __init__(
        self, cache_dir: Path | None, workers: int | None = None, minimum: int | None = None
    ) -> None:
        self.cache_dir = cache_dir
        self.minimum = self.MINIMUM if minimum is None else minimum
        available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        self.workers = max(0, (available - 1) if workers is None else workers)
        self.pending: set[str] = set()  # digests being drawn in the background
        self._futures: list[Future[int]] = []
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, cards: list[Card]) -> None:
        if self.cache_dir is None or self.workers == 0:
            return
        todo: dict[str, Card] = {}
        drawn = _names_in(self.cache_dir)  # one listing, not a look-up per card
        for card in cards:
            digest = card.digest()
            if digest not in self.pending and f"{digest}.png" not in drawn:
                todo[digest] = card
        if not todo or len(todo) < self.minimum:
            return
        if self._pool is None:
            context = multiprocessing.get_context("spawn")  # no fork of a busy MkDocs process
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
        self.pending.update(todo)
        batch = list(todo.values())
        for start in range(0, len(batch), self.CHUNK):
            chunk = batch[start : start + self.CHUNK]
            self._futures.append(self._pool.submit(draw_missing, chunk, self.cache_dir))

    def wait(self) -> None:
        """Wait for the background drawing; a failed worker leaves its cards to write_cached."""
        try:
            for future in self._futures:
                with contextlib.suppress(Exception):
                    future.result()
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None
        self._futures = []


def _names_in(folder: Path) -> set[str]:
    """The names of the files in ``folder`` (none when it is missing)."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name for entry in entries if entry.is_file()}
    except OSError:
        return set()


def write_cached(card: Card, cache_dir: Path | None, target: Path) -> bool:
    """Write the card's PNG to ``target``; returns whether it came from the cache.

    The card is drawn into the cache when missing, then hard-linked (no copy) when the file
    system allows it.
    """
    if cache_dir is None:
        target.write_bytes(draw_card(card))
        return False
    hit = draw_missing([card], cache_dir) == 0
    link_or_copy(cache_dir / f"{card.digest()}.png", target)
    return hit
