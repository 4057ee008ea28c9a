"""Social images (Open Graph, 1200×627 PNG) drawn at build time with Pillow.

LinkedIn reads only Open Graph tags and ignores SVG and WebP. Each card shows the kind of page,
its title (wrapped, never overflowing), the territory and, where it fits, a key figure. Cards
are cached by a hash of their content: an unchanged page costs nothing on rebuild.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import multiprocessing
import os
import re
import unicodedata
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .diskcache import atomic_write, link_or_copy

WIDTH, HEIGHT = 1200, 627
FONTS = Path(__file__).parent / "data" / "fonts"
BLUE = (0, 0, 145)
RED = (201, 25, 30)
WHITE = (255, 255, 255)
SOFT = (227, 227, 253)
VERSION = "2"  # bump when the drawing changes, to refresh cached cards


@dataclass(frozen=True)
class Card:
    """What a social image shows."""

    title: str
    kind: str  # « Fiche action », « Lettre n°14 »…
    territory: str | None = None
    figure: str | None = None  # « 765 780 habitants »
    site_name: str = "Territoires d'industrie"

    def digest(self) -> str:
        payload = json.dumps({"v": VERSION, **asdict(self)}, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


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


def drawable(text: str, bold: bool = False) -> str:
    """``text`` as the card can show it: clusters whose base the font lacks (emoji, rare
    scripts) are left out rather than drawn as boxes, at most MAX_MARKS marks per letter,
    no invisible format character, spaces collapsed. The page's own title keeps everything."""
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


def layout(text: str, fnt: ImageFont.FreeTypeFont, width: int, max_lines: int) -> Layout:
    """Word-wrap to a pixel width, breaking long words after their hyphens first, cutting a
    word (between graphemes, with a hyphen) only when one piece is wider than the line; the
    last line is ellipsised when the text is too long."""
    lines: list[str] = []
    current = ""
    cut = split = False
    for word in text.split():
        if len(lines) > max_lines:
            break  # enough to know the text does not fit
        candidate = f"{current} {word}".strip()
        if fnt.getlength(candidate) <= width:
            current = candidate
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
    if current:
        lines.append(current)
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


def draw_card(card: Card) -> bytes:
    # A flat design needs few colours: mapped onto a fixed 64-colour palette (the anti-aliasing
    # shades included), the file is about three times lighter and the encoding several times
    # faster than full RGB.
    out = io.BytesIO()
    image = _draw(card).quantize(palette=_palette(), dither=Image.Dither.NONE)
    image.save(out, "PNG", compress_level=3)
    return out.getvalue()


@lru_cache(maxsize=1)
def _palette() -> Image.Image:
    """The palette of every card, taken from a sample card that uses every element."""
    sample = Card(
        "Échantillon de couleurs : titre, badge, chiffre clé et territoire",
        "Fiche action",
        "Territoire d'exemple",
        "1 000 000 € de budget",
        "Territoires d'industrie",
    )
    return _draw(sample).quantize(colors=64, method=Image.Quantize.FASTOCTREE)


@lru_cache(maxsize=4)
def _background(site_name: str) -> Image.Image:
    """What every card of a site shares: the header band with its logo and name, the red line."""
    img = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, WIDTH, 96], fill=BLUE)
    # Logo: a small factory drawn with shapes (no external asset).
    factory = [
        (48, 68),
        (48, 44),
        (60, 36),
        (60, 44),
        (72, 36),
        (72, 44),
        (80, 40),
        (80, 26),
        (88, 26),
        (88, 68),
    ]
    d.polygon(factory, fill=WHITE)
    d.text((108, 48), site_name, font=font(30, bold=True), fill=WHITE, anchor="lm")
    d.rectangle([0, HEIGHT - 14, WIDTH, HEIGHT], fill=RED)
    return img


def _draw(card: Card) -> Image.Image:
    img = _background(card.site_name).copy()
    d = ImageDraw.Draw(img)
    left, right = 64, WIDTH - 64
    kind_font = font(28, bold=True)
    d.rounded_rectangle(
        [left, 130, left + int(kind_font.getlength(card.kind)) + 32, 178], radius=8, fill=SOFT
    )
    d.text((left + 16, 154), drawable(card.kind, bold=True), font=kind_font, fill=BLUE, anchor="lm")
    figure_w = 0
    if card.figure:
        ffont = font(34, bold=True)
        figure_lines = wrap(drawable(card.figure, bold=True), ffont, 300, 3)
        figure_w = 340
        box_top = 220
        box_h = 30 + 46 * len(figure_lines)
        d.rectangle([right - figure_w, box_top, right, box_top + box_h], fill=SOFT)
        d.rectangle([right - figure_w, box_top, right - figure_w + 8, box_top + box_h], fill=BLUE)
        for i, line in enumerate(figure_lines):
            d.text((right - figure_w + 28, box_top + 20 + 46 * i), line, font=ffont, fill=BLUE)
    title_w = right - left - (figure_w + 40 if figure_w else 0)
    tfont, lines = fit_title(drawable(card.title, bold=True) or card.kind, title_w, 300)
    line_h = int(tfont.size * 1.25)
    for i, line in enumerate(lines):
        d.text((left, 215 + i * line_h), line, font=tfont, fill=(22, 22, 22))
    if card.territory:
        name = drawable(f"Territoire d'industrie {card.territory}")
        territory = wrap(name, font(30), right - left, 1)[0]
        d.text((left, HEIGHT - 64), territory, font=font(30), fill=(58, 58, 58), anchor="ls")
    return img


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

    With one processor, or without a cache folder, nothing is started: the cards are then drawn
    when they are written (write_cached).
    """

    CHUNK = 64

    def __init__(self, cache_dir: Path | None, workers: int | None = None) -> None:
        self.cache_dir = cache_dir
        available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
        self.workers = max(0, (available - 1) if workers is None else workers)
        self.pending: set[str] = set()  # digests being drawn in the background
        self._futures: list[Future[int]] = []
        self._pool: ProcessPoolExecutor | None = None

    def submit(self, cards: list[Card]) -> None:
        if self.cache_dir is None or self.workers == 0:
            return
        todo: dict[str, Card] = {}
        for card in cards:
            digest = card.digest()
            if digest not in self.pending and not (self.cache_dir / f"{digest}.png").is_file():
                todo[digest] = card
        if not todo:
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
