"""Images contributors place next to their letters: checked, then published clean.

Every published image is decoded and encoded again: what reaches the site holds pixels only,
never the EXIF block of a phone photo (GPS position, device, author), XMP packets, ICC profile
descriptions, JPEG comments or PNG text chunks. Large images are reduced; an image whose
header announces more pixels than any photo needs (a "decompression bomb", a few kilobytes that
would take gigabytes to decode) is refused before it is decoded.

The name must say the real type, read from the file's content by Pillow: a JPEG photo named
``x.png`` is refused (« le fichier x.png est en réalité une image JPEG : renommez-le x.jpg »),
not encoded again as a PNG. Hosts serve a file with the type its name says; encoding it to
that type would quietly turn a photo into a PNG five times heavier (or a PNG into a JPEG
without its transparency), and the file in the repository would go on lying about its type to
the editor and to the next person who opens it. Renaming costs the contributor one step and
changes nothing in the picture.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
from pathlib import Path, PurePosixPath

from PIL import Image, ImageOps, ImageSequence

from tisite.content.errors import ContentError, Problem
from tisite.publish.diskcache import kept, loaded_digest

MAX_SIDE = 1600  # pixels: larger images are reduced at build time
MAX_PIXELS = 40_000_000  # a 40-megapixel photo; beyond, the image is refused
# An animation's pixels, all its pictures together: each is decoded and kept while it is
# encoded again (a few kilobytes of GIF can hold thousands of full-size pictures).
MAX_ANIMATION_PIXELS = 50_000_000
MAX_FRAMES = 1000  # pictures of an animation (each is an image to decode and encode again)
MAX_FILE = 30_000_000  # bytes
FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# A JPEG followed by more pictures (a phone's depth map, a camera's second view): Pillow names
# it MPO, browsers show its first picture, and it is published as a JPEG of that picture.
JPEG_LIKE = {"MPO": "JPEG"}
# The name a format is written with (the first suffix is the one suggested), and how it is said.
SUFFIXES = {"JPEG": (".jpg", ".jpeg"), "PNG": (".png",), "WEBP": (".webp",), "GIF": (".gif",)}
SAID = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "GIF": "GIF"}


def problem(path: Path, label: str | None = None) -> str | None:
    """Why ``path`` can't be published as an image (French), or None.

    Reads the header only: the size is known before anything is decoded.
    """
    name = label or path.name
    if path.stat().st_size > MAX_FILE:
        return (
            f"« {name} » pèse plus de {MAX_FILE // 1_000_000} Mo : réduisez-la avant de "
            "l'ajouter (1 600 pixels de large suffisent)"
        )
    try:
        fmt, (width, height), frames, total = _header(path)
        fmt = JPEG_LIKE.get(fmt or "", fmt)
        if fmt not in FORMATS:
            return f"« {name} » est au format {fmt} : utilisez JPEG, PNG, WebP ou GIF"
        if width * height > MAX_PIXELS:
            return (
                f"« {name} » mesure {width} × {height} pixels, plus que les "
                f"{MAX_PIXELS // 1_000_000} millions de pixels acceptés : réduisez-la "
                "(1 600 pixels de large suffisent)"
            )
        if frames > MAX_FRAMES:
            return (
                f"« {name} » est une animation de {frames} images, plus que les {MAX_FRAMES} "
                "acceptées : réduisez son nombre d'images"
            )
        if total > MAX_ANIMATION_PIXELS:
            return (
                f"« {name} » est une animation de {frames} images jusqu'à {width} × {height} "
                f"pixels, plus que les {MAX_ANIMATION_PIXELS // 1_000_000} millions de pixels "
                "acceptés pour toutes ses images ensemble : réduisez sa taille ou son nombre "
                "d'images"
            )
        with Image.open(path) as img:
            img.verify()
    # Pillow says an unreadable file in many ways (UnidentifiedImageError, OSError, SyntaxError
    # for a bad PNG checksum, EOFError, struct's and zlib's errors, bombs…)
    except Exception:
        return f"« {name} » n'est pas une image lisible (JPEG, PNG, WebP ou GIF)"
    return misnamed(name, fmt)


def misnamed(name: str, fmt: str) -> str | None:
    """Why the file ``name`` holding an image in ``fmt`` is wrongly named, or None."""
    suffix = PurePosixPath(name.replace("\\", "/")).suffix
    if suffix.lower() in SUFFIXES[fmt]:
        return None
    stem = name[: len(name) - len(suffix)] if suffix else name
    right = stem + SUFFIXES[fmt][0]
    return (
        f"le fichier « {name} » est en réalité une image {SAID[fmt]} : renommez-le « {right} » "
        "(et écrivez ce nom là où la page l'indique) ; le site publie chaque image sous le "
        "type que dit son nom"
    )


def named_as_written(base: Path, rel: str) -> bool:
    """Whether the file ``rel`` under ``base`` has exactly that name, capitals included: on a
    contributor's Mac or Windows machine « Photo.JPG » opens « photo.jpg », on the web server
    it does not."""
    folder = base
    for part in PurePosixPath(posixpath.normpath(rel)).parts:
        if part == "..":
            folder = folder.parent
            continue
        try:
            names = {entry.name for entry in os.scandir(folder)}
        except OSError:
            return False
        if part not in names:
            return False
        folder = folder / part
    return True


def as_named(base: Path, rel: str) -> str | None:
    """The path of the file ``rel`` under ``base`` written with other capitals
    (« Images/Visite.JPG » for « images/visite.jpg »), as the file is named; None when there is
    none (or only the same name)."""
    folder, named = base, []
    for part in PurePosixPath(posixpath.normpath(rel)).parts:
        if part == "..":
            folder = folder.parent
            named.append(part)
            continue
        try:
            names = [entry.name for entry in os.scandir(folder)]
        except OSError:
            return None
        same = [n for n in names if n == part] or [
            n for n in names if n.casefold() == part.casefold()
        ]
        if len(same) != 1:
            return None
        folder = folder / same[0]
        named.append(same[0])
    found = "/".join(named)
    return found if found != posixpath.normpath(rel) and folder.is_file() else None


def shown_size(path: Path) -> tuple[int, int] | None:
    """The size of ``path`` as published (turned upright, reduced to MAX_SIDE: see clean),
    read from its header, for the page's ``width`` and ``height``: the browser keeps its place
    before it loads. None when the header cannot be read (the check says why)."""
    try:
        with Image.open(path) as img:
            width, height = img.size
            if img.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # turned a quarter
                width, height = height, width
    except Exception:  # any unreadable header: no size (the check says why)
        return None
    scale = min(1.0, MAX_SIDE / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _header(path: Path) -> tuple[str | None, tuple[int, int], int, int]:
    """Format, size, number of pictures and pixels of all pictures together (an animation's),
    read without Pillow's own bomb check (which raises before telling the size). An
    animation's pictures are walked through, each with its own size (a GIF's picture may be
    larger than the size its header declares), until they are too many or too large."""
    limit = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None
    try:
        with Image.open(path) as img:
            frames = int(getattr(img, "n_frames", 1)) if img.format in ("GIF", "WEBP") else 1
            size, total = img.size, img.size[0] * img.size[1]
            if 1 < frames <= MAX_FRAMES:
                total = 0
                for index in range(frames):
                    img.seek(index)  # the picture's header: where it is drawn, nothing decoded
                    boxes = [tile[1] for tile in img.tile if tile[1] is not None]
                    right = max([img.size[0], *(box[2] for box in boxes)])
                    bottom = max([img.size[1], *(box[3] for box in boxes)])
                    size = (max(size[0], right), max(size[1], bottom))
                    total += right * bottom  # decoding grows the picture to hold it
                    if total > MAX_ANIMATION_PIXELS:
                        break
            return img.format, size, frames, total
    finally:
        Image.MAX_IMAGE_PIXELS = limit


def _reduced(frame: Image.Image) -> Image.Image:
    frame = frame.copy()
    frame.thumbnail((MAX_SIDE, MAX_SIDE))
    return frame


def clean(raw: bytes) -> bytes:
    """The image encoded again from its pixels only, reduced to MAX_SIDE."""
    with Image.open(io.BytesIO(raw)) as img:
        fmt = JPEG_LIKE.get(img.format or "JPEG", img.format or "JPEG")
        out = io.BytesIO()
        if getattr(img, "n_frames", 1) > 1 and fmt in ("GIF", "WEBP"):
            frames: list[Image.Image] = []
            total = 0
            for picture in ImageSequence.Iterator(img):  # within the check's bounds (problem)
                total += picture.size[0] * picture.size[1]
                if len(frames) >= MAX_FRAMES or total > MAX_ANIMATION_PIXELS:
                    raise ValueError("animation plus grande que ce que la validation accepte")
                frames.append(_reduced(picture.convert("RGBA")))
            for frame in frames:
                frame.info = {}  # a GIF comment or a WebP EXIF block would be written back
            durations = img.info.get("duration", 100)
            frames[0].save(
                out, fmt, save_all=True, append_images=frames[1:], duration=durations, loop=0
            )
            return out.getvalue()
        upright = ImageOps.exif_transpose(img)  # the photo as seen, before its EXIF goes
        pixels = _reduced(upright)
        # no text chunk, profile, comment or EXIF is carried over; transparency is pixels
        pixels.info = {k: v for k, v in upright.info.items() if k == "transparency"}
        if fmt == "JPEG":
            pixels.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
        elif fmt == "PNG":
            pixels.save(out, "PNG", optimize=True)
        elif fmt == "WEBP":
            pixels.save(out, "WEBP", quality=85)
        else:
            pixels.save(out, fmt)
        return out.getvalue()


def published(path: Path, cache: Path | None, source: str) -> bytes:
    """``clean`` of the file at ``path``, kept in ``cache`` under a hash of its bytes and of
    the code and libraries that encode it (diskcache.loaded_digest). Raises ContentError
    naming ``source`` (the file that shows the image) when its pixels cannot be read: the
    check reads headers only (``problem``), a file cut short or damaged after them is found
    here."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw + loaded_digest().encode()).hexdigest()[:40]

    def make() -> bytes:
        try:
            return clean(raw)
        # Pillow says a damaged image in many ways (OSError, SyntaxError, EOFError, zlib's
        # error…): any of them while decoding this file means its pixels cannot be read
        except Exception as exc:
            raise ContentError(
                [Problem(source, None, None, UNREADABLE.format(name=path.name))]
            ) from exc

    return kept(cache, digest, make)


UNREADABLE = (
    "l'image « {name} » ne se lit pas jusqu'au bout (fichier coupé ou abîmé) : enregistrez-la "
    "de nouveau depuis un logiciel d'images, puis remplacez le fichier"
)
