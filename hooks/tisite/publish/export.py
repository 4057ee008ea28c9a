"""`ti exporter <dossier>`: the generated site source as a plain docs folder, for an engine that
runs no hooks (Zensical, MkDocs or ProperDocs without ours).

What the hooks do at build time is done here, before: every generated page is converted to
HTML by Python-Markdown with the extensions of mkdocs.yml, its links to other pages (``.md``)
become their addresses, and it goes through the same cleaning as in a build (sanitiser,
tables for phones, French typography). The page is then written as Markdown whose body is
that HTML (in blocks Markdown leaves whole, see ``_raw``), so that an engine which knows
nothing of our content has no contributor text to convert. The Open Graph values, search
filters and sitemap dates the hooks would hand to the theme are written in each page's front
matter, the social images beside the pages, and every other generated file (feeds, agendas,
exports, email versions, redirects) into the folder.

No engine import: this is the core's own output.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ruamel.yaml import YAML

from tisite.build import (
    THEME_CONFIG,
    SiteBuild,
    escape_page_meta,
    escape_theme_config,
    theme_text,
)
from tisite.cli import workspace
from tisite.finish.csp import static_policy, theme_folders
from tisite.generate.convert import page_address
from tisite.generate.pagehtml import front_matter_text, listed_headings, top_headings
from tisite.generate.sharing import SharedPage
from tisite.generate.textutil import md_escape, tab_title
from tisite.pipeline import prepare
from tisite.publish.pagecache import PLACEHOLDER_TEMPLATE
from tisite.publish.social import write_cached
from tisite.settings import engine_config, for_build

MARK = ".export-territoires"  # written in every export: only such a folder is replaced
DROPPED = ("hooks", "watch")  # the exported configuration runs no code of ours


def _split(content: str) -> tuple[str, str]:
    """(front matter lines, body) of a generated page."""
    head, body = front_matter_text(content)
    return (head + "\n" if head else ""), body


def page_html(build: SiteBuild, path: str, body: str) -> str:
    """A page's body as the core made it (see pagehtml), headings as Markdown for the engine's
    table of contents. ``body``: its Markdown (unused: the core converted it once)."""
    return with_markdown_headings(build.html[path].html)


def with_markdown_headings(page: str) -> str:
    """The page's HTML with its top-level headings written as Markdown headings, so that the
    engine builds the table of contents from them (it does not look inside raw HTML); the HTML
    between them in blocks the engine passes on as they are (``_raw``)."""
    out, position = [], 0
    for start, end, level, ident, text in top_headings(page):
        out.append(_raw(page[position:start]))
        anchor = f" {{#{ident}}}" if re.fullmatch(r"[\w-]+", ident) else ""
        out.append(f"\n\n{'#' * level} {md_escape(text)}{anchor}\n\n")
        position = end
    out.append(_raw(page[position:]))
    return "".join(out)


RAW_BLOCK = "ti-export"  # styled « display: contents » (ti.css): the page lays out as built


def _raw(html: str) -> str:
    """Finished HTML in one block element, which Markdown leaves whole. Loose, the text of a
    tag the sanitiser removed (« <center>[lien](javascript:…){: onclick=…}</center> ») would
    sit between blocks, and the engine would read it as Markdown again: links, images,
    attributes (attr_list), none of them sanitised."""
    if not html.strip():
        return html
    return f'\n\n<div class="{RAW_BLOCK}">\n{html}\n</div>\n\n'


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
    theme = build.theme_settings(docs_dir=docs)
    # no hook adds the security policy: the theme writes it in every page (main.html), 404 too
    theme["politique"] = static_policy(
        theme_folders(Path(__file__).parents[1] / "templates" / "theme"), _base_urls(build, docs)
    )
    extra["ti"] = _plain(theme)
    extra.pop("ti_construction", None)
    # the theme prints these raw: escaped as the hooks escape them (escape_theme_config)
    config["site_name"] = build.site.settings.titre
    escape_theme_config(config)
    for key in THEME_CONFIG:
        if key in config:
            config[key] = _plain(config[key])
    out = io.StringIO()
    yaml.dump(config, out)
    lines = out.getvalue().splitlines(keepends=True)
    while lines and lines[0].startswith("#"):
        lines.pop(0)  # the project's own header
    return HEADER + "".join(lines)


def _base_urls(build: SiteBuild, docs: Path) -> list[str]:
    """Every base URL a page of the export has: ``.``, ``..``, ``../..``… down to its deepest
    page, and the site's own path for the error page (see MkDocs' build of 404.html)."""
    addresses = [p.url for p in build.pages]
    addresses += [page_address(p.relative_to(docs).as_posix()) for p in docs.rglob("*.md")]
    deepest = max((len([s for s in a.split("/") if s]) for a in addresses), default=0)
    relative = [".", *("/".join([".."] * depth) for depth in range(1, deepest + 1))]
    return [*relative, urlsplit(build.renderer.site_url or "/").path or "/"]


HEADER = (
    "# Export de `ti exporter` : les pages sont déjà générées et nettoyées (aucun hook). À\n"
    "# construire avec zensical build, mkdocs build ou properdocs build ; voir le README du\n"
    "# projet d'origine (« Moteurs »).\n"
)


def _plain(value: Any) -> Any:
    """Navigation and theme values as plain YAML (Markup is a str: kept escaped)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value) if isinstance(value, str) else value


def export(root: Path, dest: Path, site_url: str) -> tuple[list[str], list[str]]:
    """Write the export of the project at ``root`` into ``dest``; returns what the build
    says (the content's warnings, the portal's harvest: as ``ti build`` says them) and the
    export's own report lines."""
    settings = engine_config(root)
    docs_dir = settings["docs_dir"].strip("/")
    refused = workspace.destination_problem(
        root, dest, MARK, "ti exporter", docs_dir, example="../export/"
    )
    if refused:
        raise workspace.Refused(f"{workspace.shown(root, dest)} : {refused}.")
    source_docs = root / docs_dir
    # the pipeline's stages up to the engine: every page's HTML made, every link checked
    prepared = prepare(root, for_build(settings["extra"]), site_url, source_docs)
    build = prepared.build
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = workspace.temporary_folder(root, dest.parent, "export")
    try:
        _write(build, root, source_docs, tmp, site_url)
        workspace.replace_folder(tmp, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        build.stop_drawing()
    pages = len(build.pages)
    return prepared.lines, [
        f"Export écrit dans {dest} : {pages} pages générées, {len(build.assets)} fichiers, "
        f"{len(build.cards)} images de partage.",
        f"Construire : cd {dest} && zensical build (ou mkdocs build), puis "
        "python -m pagefind --site site pour la recherche.",
    ]


def _write(
    build: SiteBuild,
    root: Path,
    source_docs: Path,
    dest: Path,
    site_url: str,
) -> None:
    docs = dest / "docs"
    site_name = str(theme_text(build.site.settings.titre))  # as escape_theme_config has it
    if source_docs.is_dir():
        shutil.copytree(source_docs, docs)
    for image in docs.rglob("*"):
        if image.is_file() and image.suffix.lower() in {".jpg", ".jpeg", ".png", ".webp", ".gif"}:
            image.write_bytes(build.clean_docs_image(source_docs / image.relative_to(docs)))
    for source in sorted(docs.rglob("*.md")):  # hand-written pages, cleaned like the others
        rel = source.relative_to(docs).as_posix()
        head, body = _split(source.read_text(encoding="utf-8"))
        own = YAML(typ="safe", pure=True).load(head) or {}
        # without a title, the text of its first heading, as the engine takes it (no Markdown)
        first = next((h for h in listed_headings(build.html[rel].html) if h[0] == 1), None)
        title = str(own.get("title") or (first[2] if first else rel))
        og = build.share(SharedPage(rel, page_address(rel), title, own), site_url, docs)
        # the theme prints these raw: escaped as the hooks escape them (escape_page_meta)
        meta: dict[str, Any] = {k: json_value(v) for k, v in own.items()}
        escape_page_meta(meta, title)  # a heading's text: « < » is text
        meta.update(ti_og=og, ti_recherche=build.search_facets(rel))
        if meta.get("title"):  # the browser's tab, as the hooks write it
            meta["ti_onglet"] = tab_title(str(meta["title"]), site_name)
        meta.update(build.described(rel, source_docs))
        text = _front_matter("", meta) + "\n" + page_html(build, rel, body)
        source.write_text(text, encoding="utf-8")
    for page in build.pages:
        head, body = _split(page.content)
        own = YAML(typ="safe", pure=True).load(head) or {}
        og = build.share(SharedPage(page.path, page.url, page.title, own), site_url, docs)
        given: dict[str, Any] = {"ti_og": og, "ti_recherche": build.search_facets(page.path)}
        if own.get("title"):
            given["ti_onglet"] = tab_title(str(own["title"]), site_name)
        given.update(build.described(page.path, source_docs))
        text = _front_matter(head, given) + "\n" + page_html(build, page.path, body)
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
    # none; the engine's own sitemap dates pages by the build) and the navigation made in
    # Python by our adapter (themenav): the engine's theme writes the same with its templates
    shutil.copytree(
        Path(__file__).parents[1] / "templates" / "theme",
        dest / "theme",
        ignore=shutil.ignore_patterns(
            "sitemap.xml", PLACEHOLDER_TEMPLATE, "nav-item.html", "toc-item.html"
        ),
    )
    (dest / "mkdocs.yml").write_text(_configuration(root, build, docs), encoding="utf-8")
    (dest / MARK).write_text(
        "Export de `ti exporter` : ce dossier est remplacé à chaque export.\n", encoding="utf-8"
    )
