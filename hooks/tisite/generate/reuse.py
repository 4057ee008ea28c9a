"""A territory's generated pages and files, kept from one build to the next within one process
(``ti serve`` builds again after each save, a test session builds the same sites again): when
nothing a territory's pages are made from changed, its pages, their finished HTML and its files
(data bundle, feeds, agenda, email versions, open data: ``Renderer.territory_files``) are those
of the last build; only the edited territory and the pages and files across territories are
made again. A territory's feeds also take the time of the build in two cases
(``Renderer.feed_moment``): its files are kept only when that is the same too.

Only where the process keeps results between builds (tisite.memo.keep_between_builds): a
``ti build`` keeps nothing. A territory's pages (``Renderer.territory_pages``, then
``SiteBuild.make_html``) are made from
the territory itself (everything loaded from its folder), the build's context (the project,
the day, the site's address and settings, the reference data, the files' commit dates, the
Markdown settings, the home territory, the harvested territories linked to) and our code and
templates (``diskcache.code_digest``). The key is a hash of all of it; the territory and the
objects of the context are hashed as pickled (equal bytes: equal content), so that a field
added to a model is part of the key without a change here. Only the last build's pages of
each territory are kept: memory holds one site's finished HTML, as a build does anyway.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tisite import urls
from tisite.content.models import SiteModel, Territory
from tisite.memo import Recent
from tisite.publish.diskcache import code_digest

if TYPE_CHECKING:
    from tisite.generate.pagehtml import Ready
    from tisite.generate.render import Files, Page, Renderer


@dataclass(frozen=True)
class Made:
    """A territory's pages as the last build left them (their bodies dropped, see
    ``Rendered.head_only``), their finished HTML and the territory's files (with the time its
    feeds were dated by, see ``Renderer.feed_moment``), under the key they were made with."""

    key: str
    pages: tuple[Page, ...]
    html: dict[str, Ready]
    files: tuple[object, Files]


_kept: Recent[Made] = Recent()  # territory slug → its pages of the last build


def _pickled(value: object) -> bytes:
    """``value`` as pickled; a value that cannot be pickled gets bytes of its own that no
    other value has (its pages are then never reused: reuse needs proof of sameness)."""
    try:
        return pickle.dumps(value, protocol=5)
    except (pickle.PicklingError, AttributeError, TypeError):
        return _UNPICKLABLE + os.urandom(16)


_UNPICKLABLE = b"unpicklable:"


def context_key(renderer: Renderer, root: Path | None) -> bytes:
    """What every territory's pages are made from besides the territory (see the module)."""
    site = renderer.site
    context = (
        code_digest(),
        str(root),
        renderer.today.isoformat(),
        renderer.site_url,
        site.settings,
        site.reference_source,
        sorted(renderer.file_dates.items()),
        renderer.converter.settings,
        site.home,
        urls.home_territory(),
        sorted(renderer.remote.items()),
    )
    return hashlib.sha256(_pickled(context)).digest()


# The national action finder's pages (``Renderer.finder_pages``), kept beside the territories'
# under a name no territory can take (a folder name has no « @ »). They are made from every
# territory's actions and identity (and the build's context, the published addresses, the
# site's last change), never from its letters or agenda: a saved letter leaves them as they are
# (unless it changes the site's date).
FINDER = "@fiches-actions"


def finder_key(
    context: bytes, site: SiteModel, published: frozenset[str], site_date: object
) -> str:
    """``site_date``: the date the finder's pages give as their last change (the newest of the
    territories' sections, their letters included: see Renderer.site_date)."""
    digest = hashlib.sha256(context)
    digest.update(_pickled((sorted(published), site_date)))
    for t in site.territories:
        digest.update(_digests(t)[1])
    return digest.hexdigest()


def territory_key(context: bytes, territory: Territory) -> str:
    digest = hashlib.sha256(context)
    digest.update(_digests(territory)[0])
    return digest.hexdigest()


# A loaded territory's digests as pickled (whole; without its letters and agenda), by the
# object: a territory the loader kept from the last build (content/loader) is the very same
# object, never modified (frozen; its derived figures are not pickled, see ActionItem), and
# is not pickled again. The entry holds the object, so that its id names no other one.
_DIGESTS: Recent[tuple[Territory, bytes, bytes]] = Recent()


def _digests(t: Territory) -> tuple[bytes, bytes]:
    kept = _DIGESTS.peek(id(t))
    if kept is not None and kept[0] is t:
        _DIGESTS.put(id(t), kept)  # used by this build: kept for the next
        return kept[1], kept[2]
    whole = _pickled(t)
    without = _pickled(dataclasses.replace(t, letters=(), agenda=()))
    digests = hashlib.sha256(whole).digest(), hashlib.sha256(without).digest()
    if not whole.startswith(_UNPICKLABLE):  # never reused: not kept either
        _DIGESTS.put(id(t), (t, *digests))
    return digests


def kept(slug: str, key: str) -> Made | None:
    """The territory's pages of the last build, when made from the very same inputs."""
    made = _kept.peek(slug)
    return made if made is not None and made.key == key else None


def keep(made: dict[str, Made]) -> None:
    """This build's pages of each territory, for the next build (the others are forgotten)."""
    _kept.clear()
    for slug, pages in made.items():
        _kept.put(slug, pages)


def forget() -> None:
    _kept.clear()
