"""Sharing: the Open Graph values of a page (title, description, image and dates LinkedIn
shows), the social image (card) to draw for it, and the text a page offers for a post.

Pure: the card is returned with the tags, never recorded here; the build decides what to
draw (see ``SiteBuild.share``).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from PIL import Image

from tisite import urls
from tisite.generate.textutil import share_title, trim
from tisite.publish.social import HEIGHT, WIDTH, Card, alt_text

if TYPE_CHECKING:  # render uses suggested_post: no import cycle at run time
    from tisite.generate.render import Page

SOCIAL_IMAGE = urls.SHARING_IMAGE  # next to each page's index.html


@dataclass(frozen=True)
class SharedSite:
    """What every page's sharing tags take from the site."""

    titre: str
    description: str
    site_url: str | None
    docs_dir: Path  # hand-written pages and their images (an image of their own)


@dataclass(frozen=True)
class SharedPage:
    """A page as the engine sees it: its source, address, title and front matter."""

    src_uri: str
    url: str
    title: str
    meta: Mapping[str, Any]
    canonical: str | None = None
    generated: Page | None = None  # the generated page it comes from, if any


@dataclass(frozen=True)
class Sharing:
    """A page's Open Graph values (rendered by main.html) and, unless it has an image of its
    own, the card to draw at ``card_path``."""

    tags: dict[str, Any]
    card_path: str | None = None
    card: Card | None = None


def _own_image(page: SharedPage, docs_dir: Path) -> tuple[str, Path] | None:
    """A hand-written page's own ``image:``, when it is a file inside docs/."""
    own = page.meta.get("image") if page.generated is None else None
    if not own:
        return None
    path = (docs_dir / Path(page.src_uri).parent / str(own)).resolve()
    if docs_dir.resolve() not in path.parents or not path.is_file():
        return None
    return str(own), path


def open_graph(page: SharedPage, site: SharedSite) -> Sharing:
    """One complete set of Open Graph values for ``page``, and the card it needs."""
    base = (site.site_url or "/").rstrip("/") + "/"
    url = page.canonical or base + page.url
    generated = page.generated
    # Generated pages carry HTML-escaped front matter (Material prints it raw): decoded here; a
    # hand-written page's front matter is text as typed; a title the engine read from a page's
    # heading is HTML text; main.html escapes every value once.
    meta = page.meta
    if generated:
        title = trim(html.unescape(str(meta.get("title") or page.title)), 200)
    elif meta.get("title"):
        title = trim(meta["title"], 200)
    else:
        title = trim(html.unescape(str(page.title)), 200)
    if meta.get("description"):
        own_text = html.unescape(str(meta["description"])) if generated else meta["description"]
        description = trim(own_text, 200)
    else:
        description = trim(site.description, 200)
    tags: dict[str, Any] = {
        "title": share_title(title),
        "description": description,
        "url": url,
        "type": generated.og_type if generated else "website",
        "site_name": site.titre,
        "locale": "fr_FR",
        "published": generated.published.isoformat() if generated and generated.published else None,
        "modified": generated.modified.isoformat() if generated and generated.modified else None,
    }
    own = _own_image(page, site.docs_dir)
    if own is not None:
        address, path = own
        with Image.open(path) as img:
            width, height = img.size
        tags.update(
            image=urljoin(url, address),
            image_width=width,
            image_height=height,
            image_alt=trim(meta.get("image_alt") or tags["title"]),
        )
        return Sharing(tags)
    card = (
        generated.card
        if generated and generated.card
        else Card(tags["title"], "Territoires d'industrie", None, None, site.titre)
    )
    card_path = page.url + SOCIAL_IMAGE
    tags.update(
        image=f"{base}{card_path}?v={card.version()}",
        image_width=WIDTH,
        image_height=HEIGHT,
        image_alt=alt_text(card),
    )
    return Sharing(tags, card_path, card)


def suggested_post(title: str, summary: object, url: str, territory: str) -> str:
    """The text a page offers for a LinkedIn post: its title, its summary cut at 260
    characters, its address and the programme's and the territory's hashtags."""
    tag = territory.replace("-", "").replace(" ", "").replace("'", "")
    return f"{title}\n\n{trim(summary, 260)}\n\n{url}\n\n#TerritoiresDIndustrie #{tag}"
