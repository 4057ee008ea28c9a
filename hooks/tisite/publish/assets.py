"""Published images: the images the loader found and checked (a letter's cover and body
images, the hand-written pages' images of docs/), encoded again without their metadata (see
images) and kept in the disk cache. The renderer writes text; the images come from here.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from tisite import urls
from tisite.content import images
from tisite.content.models import Letter, SiteModel

File = tuple[str, bytes]  # (path under the site, content)


def letter_images(letter: Letter, cache: Path | None) -> list[File]:
    """A letter's images (``Letter.images``, checked by the loader), as published."""
    return [
        (f"{letter.url}{rel}", images.published(letter.folder / rel, cache, letter.source))
        for rel in letter.images
    ]


def site_images(site: SiteModel, cache: Path | None) -> list[File]:
    """Every letter's images, territory by territory."""
    return [f for t in site.local for letter in t.letters for f in letter_images(letter, cache)]


def docs_image(path: Path, cache: Path | None, source: str) -> bytes:
    """An image of docs/ (checked by the loader's check of docs/), as published. ``source``:
    its path in the project, for a message."""
    return images.published(path, cache, source)


# The site's icon (assets/favicon.svg: a factory on a rounded square), for what cannot read
# SVG: a browser asking /favicon.ico beside a JSON or text file, a phone's home screen.
ICON_BLUE = (0, 0, 145)  # #000091, the site's colour
ICON_FACTORY = [(4, 20), (4, 10), (9, 13), (9, 10), (14, 13), (14, 6), (20, 6), (20, 20)]


def _icon(size: int, rounded: bool) -> Image.Image:
    """The icon drawn at ``size`` pixels from the SVG's 24-unit shapes, large then reduced
    (smooth edges)."""
    big = 24 * 32
    img = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    if rounded:
        draw.rounded_rectangle([0, 0, big - 1, big - 1], radius=4 * 32, fill=ICON_BLUE)
    else:  # a phone rounds the corners itself
        draw.rectangle([0, 0, big, big], fill=ICON_BLUE)
    draw.polygon([(x * 32, y * 32) for x, y in ICON_FACTORY], fill=(255, 255, 255))
    return img.resize((size, size), Image.Resampling.LANCZOS)


def site_icons() -> list[File]:
    """``favicon.ico`` (16, 32 and 48 px) and the home-screen icon (180 px,
    ``apple-touch-icon.png``) at the site's root, the same every build (their names are in
    the table of addresses: no page or image of docs/ takes them)."""
    ico, png = io.BytesIO(), io.BytesIO()
    _icon(48, rounded=True).save(ico, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    _icon(180, rounded=False).convert("RGB").save(png, format="PNG", optimize=True)
    return [(urls.url_to("icone"), ico.getvalue()), (urls.url_to("icone-ecran"), png.getvalue())]
