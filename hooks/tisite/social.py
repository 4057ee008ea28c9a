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
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .pagecache import atomic_write, link_or_copy

WIDTH, HEIGHT = 1200, 627
FONTS = Path(__file__).parent / "data" / "fonts"
BLUE = (0, 0, 145)
RED = (201, 25, 30)
WHITE = (255, 255, 255)
SOFT = (227, 227, 253)
VERSION = "1"  # bump when the drawing changes, to refresh cached cards


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


def wrap(text: str, fnt: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """Word-wrap to a pixel width; the last line is ellipsised when the text is too long."""
    words, lines, current = text.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if fnt.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while fnt.getlength(current) > width:  # a single word wider than the line
            cut = len(current)
            while cut > 1 and fnt.getlength(current[:cut] + "-") > width:
                cut -= 1
            lines.append(current[:cut] + "-")
            current = current[cut:]
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and fnt.getlength(last + " …") > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = last.rstrip(",;:") + " …"
    return lines


def fit_title(text: str, width: int, height: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest title size (64 → 34 px) whose wrapped lines fit in the box."""
    for size in range(64, 33, -4):
        fnt = font(size, bold=True)
        line_height = int(size * 1.25)
        max_lines = max(1, height // line_height)
        lines = wrap(text, fnt, width, max_lines)
        if not lines[-1].endswith("…") or size == 36:
            return fnt, lines
    return font(36, bold=True), wrap(text, font(36, bold=True), width, height // 45)


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
    d.text((left + 16, 154), card.kind, font=kind_font, fill=BLUE, anchor="lm")
    figure_w = 0
    if card.figure:
        ffont = font(34, bold=True)
        figure_lines = wrap(card.figure, ffont, 300, 3)
        figure_w = 340
        box_top = 220
        box_h = 30 + 46 * len(figure_lines)
        d.rectangle([right - figure_w, box_top, right, box_top + box_h], fill=SOFT)
        d.rectangle([right - figure_w, box_top, right - figure_w + 8, box_top + box_h], fill=BLUE)
        for i, line in enumerate(figure_lines):
            d.text((right - figure_w + 28, box_top + 20 + 46 * i), line, font=ffont, fill=BLUE)
    title_w = right - left - (figure_w + 40 if figure_w else 0)
    tfont, lines = fit_title(card.title, title_w, 300)
    line_h = int(tfont.size * 1.25)
    for i, line in enumerate(lines):
        d.text((left, 215 + i * line_h), line, font=tfont, fill=(22, 22, 22))
    if card.territory:
        territory = wrap(f"Territoire d'industrie {card.territory}", font(30), right - left, 1)[0]
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
