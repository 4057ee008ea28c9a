"""Markdown to HTML, once, by the core: the engine is handed finished HTML it never parses.

The Markdown of a page (the hand-written pages of docs/, and generated pages whose template
is still Markdown) is converted here with the site's extensions (``markdown_extensions`` of
mkdocs.yml); its links are resolved from the page's file to the site's addresses by the one
resolver of the site (``resolve``), and recorded so that the core checks every link and anchor
of every page (see ``links``). The table of contents is the Markdown ``toc`` extension's.

No engine import: ``ti exporter`` and the engine adapters use the same HTML.
"""

from __future__ import annotations

import json
import posixpath
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from tisite import urls

ENGINE_DEFAULTS = ["toc", "tables", "fenced_code"]  # what MkDocs always adds
# A heading's link to itself (« ¶ », shown on hover): out of the Tab order and of what a
# screen reader reads, as on GitHub; a page's headings stay reachable by the reader's own
# heading list and by the table of contents.
HEADERLINK = {"tabindex": "-1", "aria-hidden": "true"}


@dataclass(frozen=True)
class Link:
    """A link (``a href``) or image (``img src``) of a page, as its author wrote it.

    ``target``: the site file it leads to (``t/priorites/index.md``, ``t/lettres/14/a.jpg``),
    None for a link to the page itself; ``kind``: ``page`` or ``file`` (relative links, to be
    found among the site's files), ``self`` (an anchor of this page), ``site`` (« /t/x/ »:
    ``target`` is the address of a page or a file, from the site's root), ``absolute``
    (« \\x », left as it is, reported).
    """

    raw: str
    kind: str
    target: str | None = None
    anchor: str = ""


@dataclass
class Converted:
    html: str
    toc: list[dict[str, Any]] = field(default_factory=list)  # the toc extension's tokens
    links: list[Link] = field(default_factory=list)


def page_address(target: str) -> str:
    """The address of a page file (``a/index.md`` → ``a/``, ``a/b.md`` → ``a/b/``)."""
    if target == "index.md" or target.endswith("/index.md"):
        return target.removesuffix("index.md")
    return target.removesuffix(".md") + "/"


def own_path(url: str, site_url: str | None) -> str | None:
    """The path from the site's root (« /t/plan-action/x/ ») of a full address of the site
    itself (« https://site.fr/t/plan-action/x/ », http:// or https://, any case of the host),
    None for another site or another path of its host."""
    if not site_url:
        return None
    parts, site = urlsplit(url), urlsplit(site_url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    if parts.netloc.lower() != site.netloc.lower():
        return None
    base = site.path if site.path.endswith("/") else site.path + "/"
    path = parts.path or "/"
    if not (path if path.endswith("/") else path + "/").startswith(base):
        return None
    rest = path[len(base) :]  # (« » for the site's path written without its last « / »)
    if rest.startswith("/") or "\\" in rest:
        return None  # « https://site//autre.hote/ »: « //autre.hote/ » would lead elsewhere
    return urlunsplit(("", "", "/" + rest, parts.query, parts.fragment))


def resolve(page_path: str, url: str, site_url: str | None = None) -> tuple[str, Link | None]:
    """A link of the page at ``page_path`` (its file) as the site publishes it, and what it
    leads to (None for other sites, e-mail addresses and anything that is not a link of ours).

    A relative link names a file from the page file's folder (« ../15/index.md »,
    « images/a.jpg »); it is written relative to the page's address (« ../15/ »,
    « images/a.jpg » from « t/lettres/14/ »). A full address of the site itself
    (``site_url``) is a link from its root (« /t/x/ »): checked like the others, and written
    relative (it works in the preview too).
    """
    raw, own = url, own_path(url, site_url)  # (a message quotes the link as written)
    if own is not None:
        url = own
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or AMP_SUBSTITUTE in url:
        return url, None
    if url.startswith("\\"):
        return url, Link(url, "absolute")
    if url.startswith("/"):
        # an address of the site from its root (« /t/priorites/ »): written relative to the
        # page, so that it leads there on a site published under a path of its host too
        # (« https://x.gitlab.io/ti/ »), and checked like the others
        address = posixpath.normpath(unquote(parts.path)).lstrip("/")
        if parts.path.endswith("/") and address:
            address += "/"
        elif address.endswith(".md"):  # a page's file from the root: its address
            address = page_address(address)
        written = urls.relative(page_address(page_path), address).replace(" ", "%20")
        link = Link(raw, "site", address, parts.fragment)
        return urlunsplit(("", "", written, parts.query, parts.fragment)), link
    if not parts.path:
        return url, Link(url, "self", None, parts.fragment) if parts.fragment else None
    path = unquote(parts.path)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), path)).lstrip("/")
    kind = "page" if target.endswith(".md") else "file"
    address = page_address(target) if kind == "page" else target
    # a file named with a space (« photo usine.jpg »): a space is not allowed in an address
    written = urls.relative(page_address(page_path), address).replace(" ", "%20")
    link = Link(url, kind, target, parts.fragment)
    return urlunsplit(("", "", written, parts.query, parts.fragment)), link


class _Links(Treeprocessor):
    def __init__(self, md: markdown.Markdown, converter: Converter) -> None:
        super().__init__(md)
        self.converter = converter

    def run(self, root: ET.Element) -> None:
        for element in root.iter("a"):
            if element.get("class") == "headerlink":
                element.attrib.update(HEADERLINK)
        for tag, attribute in (("a", "href"), ("img", "src")):
            for element in root.iter(tag):
                value = element.get(attribute)
                if value is None:
                    continue
                written, link = resolve(self.converter.page_path, value, self.converter.site_url)
                element.set(attribute, written)
                if link is not None:
                    self.converter.links.append(link)


class _LinksExtension(Extension):
    def __init__(self, converter: Converter) -> None:
        super().__init__()
        self.converter = converter

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # after the inline patterns (20) and before the raw HTML is put back
        md.treeprocessors.register(_Links(md, self.converter), "ti_liens", 0)


def markdown_settings(root: Path | None) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The Markdown extensions of mkdocs.yml and their options, read as the engine reads them
    (its own defaults first, then the contributors' habits: tisite.content.commonmark); the
    engine's defaults alone without a project."""
    from tisite.content import commonmark
    from tisite.settings import engine_config

    config = engine_config(root) if root is not None else {}
    # Markdown read as its contributors wrote it (lists and hashtags as in CommonMark)
    names: list[str] = [*ENGINE_DEFAULTS, commonmark.NAME]
    options: dict[str, dict[str, Any]] = {}
    for entry in config.get("markdown_extensions") or []:
        name, given = (entry, None) if isinstance(entry, str) else next(iter(entry.items()))
        if name not in names:
            names.append(name)
        if given:
            options[name] = dict(given)
    return names, options


class Converter:
    """One Markdown converter for a whole build (reset between pages: no new instance per
    page, unlike an engine)."""

    def __init__(
        self,
        extensions: list[str],
        options: dict[str, dict[str, Any]],
        site_url: str | None = None,
    ) -> None:
        self.page_path = ""
        self.links: list[Link] = []
        self.extensions, self.options = extensions, options
        self.site_url = site_url  # its full addresses are links of the site (see resolve)
        # what the HTML of a text depends on besides the text and the page (see tisite.memo)
        self.settings = json.dumps([extensions, options, site_url], sort_keys=True, default=str)
        self.md = markdown.Markdown(
            extensions=[*extensions, _LinksExtension(self)],
            extension_configs=options,
            output_format="html",
        )

    def convert(self, page_path: str, text: str) -> Converted:
        """``text``, the Markdown of the page whose file is ``page_path``, as HTML."""
        self.md.reset()
        self.page_path, self.links = page_path, []
        html = self.md.convert(text)
        return Converted(html, list(getattr(self.md, "toc_tokens", [])), self.links)

    @property
    def permalink_title(self) -> str:
        """The title of a heading's link to itself (mkdocs.yml, toc: permalink_title)."""
        return str(self.options.get("toc", {}).get("permalink_title", "Permanent link"))
