"""Published images: the images the loader found and checked (a letter's cover and body
images, the hand-written pages' images of docs/), encoded again without their metadata (see
images) and kept in the disk cache. The renderer writes text; the images come from here.
"""

from __future__ import annotations

from pathlib import Path

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
