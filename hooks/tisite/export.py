"""`ti exporter <dossier>`: the generated site source as a plain docs folder, for an engine that
runs no hooks (Zensical, MkDocs or ProperDocs without ours).

What the hooks do at build time is done here, before: every generated page is converted to
HTML by Python-Markdown with the extensions of mkdocs.yml, its links to other pages (``.md``)
become their addresses, and it goes through the same cleaning as in a build (sanitiser,
tables for phones, French typography). The page is then written as Markdown whose body is
that HTML, so that an engine which knows nothing of our content has no contributor text to
convert. The Open Graph values, search filters and sitemap dates the hooks would hand to the
theme are written in each page's front matter, the social images beside the pages, and every
other generated file (feeds, agendas, exports, email versions, redirects) into the folder.

No engine import: this is the core's own output.
"""

from __future__ import annotations

import io
import json
import posixpath
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from ruamel.yaml import YAML

from . import workspace
from .build import SiteBuild, escape_page_meta
from .errors import ContentError, Problem
from .pagecache import PLACEHOLDER_TEMPLATE
from .sharing import SharedPage
from .social import write_cached
from .textutil import md_escape, plain

MARK = ".export-territoires"  # written in every export: only such a folder is replaced
ENGINE_DEFAULTS = ["toc", "tables", "fenced_code"]  # what MkDocs always adds
DROPPED = ("hooks", "watch")  # the exported configuration runs no code of ours


def page_address(target: str) -> str:
    """The directory URL of a page file (``a/index.md`` → ``a/``, ``a/b.md`` → ``a/b/``)."""
    if target.endswith("index.md"):
        return target.removesuffix("index.md")
    return target.removesuffix(".md") + "/"


class _PageLinks(Treeprocessor):
    """Relative links and images from the page file's folder to its address (as MkDocs writes
    them); a link to a ``.md`` file becomes that page's address."""

    def __init__(self, md: markdown.Markdown, page_path: str) -> None:
        super().__init__(md)
        self.page_path = page_path

    def run(self, root: ET.Element) -> None:
        for tag, attribute in (("a", "href"), ("img", "src")):
            for element in root.iter(tag):
                value = element.get(attribute)
                # an e-mail address, its letters turned into entities by Markdown (placeholders)
                if value and AMP_SUBSTITUTE not in value:
                    element.set(attribute, self.relative(value))

    def relative(self, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
            return url
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.page_path), parts.path))
        if target.endswith(".md"):
            target = page_address(target) or "."
        relative = posixpath.relpath(target, page_address(self.page_path) or ".")
        if target.endswith("/") or target == ".":
            relative = "./" if relative == "." else relative + "/"
        return urlunsplit(("", "", relative, parts.query, parts.fragment))


class _Links(Extension):
    def __init__(self, page_path: str) -> None:
        super().__init__()
        self.page_path = page_path

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_PageLinks(md, self.page_path), "ti_liens", 0)


def _extensions(config: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    names: list[str] = list(ENGINE_DEFAULTS)
    settings: dict[str, Any] = {}
    for entry in config.get("markdown_extensions") or []:
        name, options = (entry, None) if isinstance(entry, str) else next(iter(entry.items()))
        if name not in names:
            names.append(name)
        if options:
            settings[name] = dict(options)
    return names, settings


def _split(content: str) -> tuple[str, str]:
    """(front matter, body) of a generated page."""
    if content.startswith("---\n"):
        end = content.index("\n---\n", 4)
        return content[4 : end + 1], content[end + 5 :]
    return "", content


def page_html(build: SiteBuild, path: str, body: str, config: dict[str, Any]) -> str:
    """A generated page's body as HTML, cleaned as the hooks clean it."""
    names, settings = _extensions(config)
    converter = markdown.Markdown(
        extensions=[*names, _Links(path)], extension_configs=settings, output_format="html"
    )
    clean = build.postprocess_html(path, converter.convert(body))
    if not clean.intact:
        message = build.swallowed_message(path).split(": ", 1)[1]
        raise ContentError([Problem(build.source_of(path), None, None, message)])
    return with_markdown_headings(clean.html)


class _TopHeadings(HTMLParser):
    """Where the headings of the page's top level that the table of contents lists (those with
    a permalink) are: (start, end, level, id, text)."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lines = [0]
        for line in source.splitlines(keepends=True):
            self.lines.append(self.lines[-1] + len(line))
        self.depth = 0
        self.open: tuple[int, int, str] | None = None
        self.text: list[str] = []
        self.in_link = False
        self.listed = False
        self.found: list[tuple[int, int, int, str, str]] = []

    def where(self) -> int:
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if self.depth == 0 and re.fullmatch(r"h[1-6]", tag):
            self.open = (self.where(), int(tag[1]), dict(attrs).get("id") or "")
            self.text = []
            self.listed = False
        if tag == "a" and ("class", "headerlink") in attrs:
            self.in_link = True
            if self.open is not None:  # a heading of the table of contents
                self.listed = True
        self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        self.depth -= 1
        if tag == "a":
            self.in_link = False
        if self.depth == 0 and self.open is not None:
            start, level, ident = self.open
            end = self.rawdata.index(">", self.where()) + 1
            if self.listed:
                self.found.append((start, end, level, ident, "".join(self.text).strip()))
            self.open = None

    def handle_data(self, data: str) -> None:
        if self.open is not None and not self.in_link:
            self.text.append(data)


_VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "col", "area"}


def with_markdown_headings(page: str) -> str:
    """The page's HTML with its top-level headings written as Markdown headings, so that the
    engine builds the table of contents from them (it does not look inside raw HTML)."""
    parser = _TopHeadings(page)
    parser.feed(page)
    parser.close()
    out, position = [], 0
    for start, end, level, ident, text in parser.found:
        out.append(page[position:start])
        anchor = f" {{#{ident}}}" if re.fullmatch(r"[\w-]+", ident) else ""
        out.append(f"\n\n{'#' * level} {md_escape(text)}{anchor}\n\n")
        position = end
    out.append(page[position:])
    return "".join(out)


def json_value(value: Any) -> Any:
    """A front-matter value as JSON can write it (dates as ISO text)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _front_matter(head: str, extra: dict[str, Any]) -> str:
    """The page's own front matter, then the values the hooks would give the theme (JSON is
    YAML: no value can open a construct of its own)."""
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in extra.items()]
    return "---\n" + head + "\n".join(lines) + "\n---\n"


def _configuration(root: Path, build: SiteBuild, docs: Path) -> str:
    yaml = YAML(typ="rt")
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in DROPPED:
        config.pop(key, None)
    config["docs_dir"] = "docs"
    config["site_dir"] = "site"
    config["strict"] = False  # warnings of MkDocs about the export's raw HTML are not ours
    config["theme"]["custom_dir"] = "theme"
    config["nav"] = _plain(build.nav(docs_dir=docs))
    extra = config.setdefault("extra", {})
    extra["ti"] = _plain(build.theme_settings(docs_dir=docs))
    extra.pop("ti_construction", None)
    config["site_name"] = build.site.settings.titre
    out = io.StringIO()
    yaml.dump(config, out)
    lines = out.getvalue().splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)  # the project's own header
    return HEADER + "".join(lines)


HEADER = (
    "# Export de `ti exporter` : les pages sont déjà générées et nettoyées (aucun hook). À\n"
    "# construire avec zensical build, mkdocs build ou properdocs build ; voir le README.\n"
)


def _plain(value: Any) -> Any:
    """Navigation and theme values as plain YAML (Markup is a str: kept escaped)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value) if isinstance(value, str) else value


def export(root: Path, dest: Path, site_url: str) -> list[str]:
    """Write the export of the project at ``root`` into ``dest``; returns the report lines."""
    docs_dir = str(_settings(root).get("docs_dir") or "docs").strip("/")
    refused = workspace.destination_problem(
        root, dest, MARK, "ti exporter", docs_dir, example="../export/"
    )
    if refused:
        raise workspace.Refused(f"{workspace.shown(root, dest)} : {refused}.")
    build = SiteBuild.load(root, site_url=site_url)
    settings = _settings(root)
    source_docs = root / str(settings.get("docs_dir") or "docs")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = workspace.temporary_folder(root, dest.parent, "export")
    try:
        _write(build, root, source_docs, tmp, settings, site_url)
        workspace.replace_folder(tmp, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    pages = len(build.pages)
    return [
        f"Export écrit dans {dest} : {pages} pages générées, {len(build.assets)} fichiers, "
        f"{len(build.cards)} images de partage.",
        f"Construire : cd {dest} && zensical build (ou mkdocs build), puis "
        "python -m pagefind --site site pour la recherche.",
    ]


def _settings(root: Path) -> dict[str, Any]:
    """mkdocs.yml as plain values (its tags are not needed here)."""
    config = YAML(typ="safe", pure=True)
    config.constructor.add_constructor(None, lambda loader, node: None)
    return config.load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}


def _write(
    build: SiteBuild,
    root: Path,
    source_docs: Path,
    dest: Path,
    settings: dict[str, Any],
    site_url: str,
) -> None:
    docs = dest / "docs"
    if source_docs.is_dir():
        shutil.copytree(source_docs, docs)
    for image in docs.rglob("*"):
        if image.is_file() and image.suffix.lower() in {".jpg", ".jpeg", ".png", ".webp", ".gif"}:
            image.write_bytes(build.clean_docs_image(source_docs / image.relative_to(docs)))
    for source in sorted(docs.rglob("*.md")):  # hand-written pages, cleaned like the others
        rel = source.relative_to(docs).as_posix()
        head, body = _split(source.read_text(encoding="utf-8"))
        own = YAML(typ="safe", pure=True).load(head) or {}
        heading = re.search(r"^#\s+(.+?)\s*#*$", body, re.MULTILINE)
        title = str(own.get("title") or (heading[1] if heading else rel))
        og = build.share(SharedPage(rel, page_address(rel), title, own), site_url, docs)
        # the theme prints these raw: escaped as the hooks escape them (escape_page_meta)
        meta: dict[str, Any] = {k: json_value(v) for k, v in own.items()}
        escape_page_meta(meta, plain(title))
        meta.update(ti_og=og, ti_recherche=build.search_facets(rel))
        lastmod = build.modified(rel, source_docs)
        if lastmod:
            meta["ti_lastmod"] = lastmod
        text = _front_matter("", meta) + "\n" + page_html(build, rel, body, settings)
        source.write_text(text, encoding="utf-8")
    for page in build.pages:
        head, body = _split(page.content)
        own = YAML(typ="safe", pure=True).load(head) or {}
        og = build.share(SharedPage(page.path, page.url, page.title, own), site_url, docs)
        given: dict[str, Any] = {"ti_og": og, "ti_recherche": build.search_facets(page.path)}
        if page.modified:
            given["ti_lastmod"] = page.modified.isoformat()
        text = _front_matter(head, given) + "\n" + page_html(build, page.path, body, settings)
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for path, content in build.assets + build.mkdocs_assets():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    for path, card in build.cards.items():
        write_cached(card, build.card_cache, docs / path)
    # the theme's overrides, but for the sitemap (it reads MkDocs' file objects: Zensical has
    # none; the engine's own sitemap dates pages by the build)
    shutil.copytree(
        Path(__file__).parent / "templates" / "theme",
        dest / "theme",
        ignore=shutil.ignore_patterns("sitemap.xml", PLACEHOLDER_TEMPLATE),
    )
    (dest / "mkdocs.yml").write_text(_configuration(root, build, docs), encoding="utf-8")
    (dest / MARK).write_text(
        "Export de `ti exporter` : ce dossier est remplacé à chaque export.\n", encoding="utf-8"
    )
