"""`ti exporter`: the generated source as a plain docs folder that an engine without our hooks
builds into the same pages, inert whatever the content."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import switch_off, ti_inprocess
from hostile import RUN, SCRIPT, live_injections, make_hostile
from tisite.finish import csp
from tisite.finish.sanitize import Sanitized
from tisite.publish import export


def plain_build(folder: Path) -> Path:
    """The export built by MkDocs with no hook of ours (as Zensical would: see README)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    build(load_config(str(folder / "mkdocs.yml"), site_dir=str(folder / "site")))
    return folder / "site"


def pages(site: Path) -> dict[str, BeautifulSoup]:
    out = {}
    for path in sorted(site.rglob("index.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if soup.select_one("article") is not None:  # not a redirect page
            out[path.relative_to(site).as_posix()] = soup
    return out


def _view(soup: BeautifulSoup) -> dict[str, object]:
    article = soup.select_one("article")
    assert article is not None
    return {
        "texte": article.get_text(" ", strip=True),
        "liens": [a.get("href") for a in article.select("a")],
        "images": [(i.get("src"), i.get("alt")) for i in article.select("img")],
        "partage": [(m.get("property"), m.get("content")) for m in soup.select("meta[property]")],
        "titre": soup.title.string if soup.title else None,
        # the site's navigation (the page's own table of contents, inside it, is compared apart)
        "navigation": [
            a.get("href")
            for a in soup.select("nav.md-nav--primary a")
            if not str(a.get("href")).startswith("#")
        ],
    }


@pytest.mark.lent
def test_export_builds_without_hooks_into_the_same_pages(
    built_site: Path, project: Path, tmp_path: Path
) -> None:
    result = ti_inprocess("exporter", str(tmp_path / "export"), cwd=project)
    assert result.returncode == 0, result.stderr
    assert "pages générées" in result.stdout
    # the content's warnings, as ti build says them (outside review: an export said none)
    assert "avertissement : champ « declarations.communes »" in result.stderr, result.stderr
    config = (tmp_path / "export/mkdocs.yml").read_text(encoding="utf-8")
    assert "\nhooks:" not in config and "custom_dir: theme" in config
    site = plain_build(tmp_path / "export")
    ours, theirs = pages(built_site), pages(site)
    assert sorted(ours) == sorted(theirs)
    for name, soup in ours.items():
        assert _view(theirs[name]) == _view(soup), name
        toc = [a.get("href") for a in soup.select("nav.md-nav--secondary a")]
        other = [a.get("href") for a in theirs[name].select("nav.md-nav--secondary a")]
        assert other == toc, name  # every page's headings at its top level
        described = [x.get("href") for x in soup.select('link[rel="alternate describedby"]')]
        exported = [x.get("href") for x in theirs[name].select('link[rel="alternate describedby"]')]
        assert exported == described, name  # the open data a page describes
    home = ours["hainaut-douaisis-cambresis/index.html"]
    assert home.select('link[rel="alternate describedby"]')  # control: there is one to keep
    # the other files (feeds, calendars, exports, email versions, social images, redirects) are
    # in the export as the build writes them; the theme's own (Material's icon) as the engine
    # copies them, and the sitemap is the engine's (dated by the build)
    docs = tmp_path / "export/docs"
    for path in built_site.rglob("*"):
        rel = path.relative_to(built_site).as_posix()
        ours = not rel.startswith("pagefind/") and rel != ".ti-site"  # the build's own mark
        if path.is_file() and not rel.endswith(".html") and ours:
            assert (site / rel).is_file(), rel
            if (docs / rel).is_file():
                assert (site / rel).read_bytes() == path.read_bytes(), rel
    assert len([p for p in docs.rglob("*") if p.suffix not in {".md", ""}]) > 80


STRIPPED_MARKDOWN = """

<header>
{"base": ".", "search": "assets/javascripts/workers/search.js"}
{: #__config data-md-component="search" }
</header>

<center>
[cliquez](javascript:document.title='PWNED') ![trace](https://pirate.example/pixel.png)
{: onclick="document.title='PWNED2'" }
</center>
"""


def _markdown_again(soup: BeautifulSoup) -> list[str]:
    """What the engine made of the removed tags' text, read as Markdown (STRIPPED_MARKDOWN)."""
    article = soup.select_one("article")
    assert article is not None
    found = [f"#{e.get('id')}" for e in article.select("[id='__config'], [data-md-component]")]
    found += [str(a.get("href")) for a in article.select("a[href^='javascript:']")]
    found += [str(i.get("src")) for i in article.select("img[src*='pirate.example']")]
    found += [e.name for e in article.select("[onclick]")]
    return found


def all_html(site: Path) -> dict[str, str]:
    """Every HTML file of a built site (the theme's own pages and redirects included)."""
    return {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(site.rglob("*.html"))
    }


def uncovered_scripts(html: str) -> list[str]:
    """The page's inline scripts that its Content-Security-Policy does not allow (all of them
    when it has none): what the browser would refuse, or run unchecked without a policy."""
    soup = BeautifulSoup(html, "html.parser")
    tag = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    policy = str(tag.get("content")) if tag else ""
    scripts = [
        s.string or ""
        for s in soup.find_all("script")
        if not s.get("src") and s.get("type", "text/javascript") == "text/javascript"
    ]
    hashes = {csp._hash(body) for body in scripts}
    return [h for h in hashes if h not in policy] if tag else ["aucune politique", *hashes]


@pytest.mark.lent
def test_export_of_hostile_content_is_inert(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_hostile(project)
    site_yml = project / "site.yml"
    site_yml.write_text(
        site_yml.read_text(encoding="utf-8").replace(
            "titre: Territoires d'industrie", f"titre: '<img src=x onerror=\"{RUN}\">'", 1
        ),
        encoding="utf-8",
    )
    docs = project / "docs" / "programme.md"
    docs.write_text(
        f"---\ntitle: '</title>{SCRIPT}'\n---\n" + docs.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    # a page titled by its heading, whose text holds « < », « & » and quotes (outside review:
    # « > » was dropped from the exported title), emphasis and a link (its Markdown was the
    # exported page's title, tab and share title)
    (project / "docs" / "contribuer" / "titre-code.md").write_text(
        '# Titre `<code>` & "x" *mis en avant* [lien](../programme.md)\n\nTexte.\n',
        encoding="utf-8",
    )
    # the text of tags the sanitiser removes, written as Markdown the engine would read again
    letter = project / "territoires/hainaut-douaisis-cambresis/lettres/14.md"
    letter.write_text(letter.read_text(encoding="utf-8") + STRIPPED_MARKDOWN, encoding="utf-8")
    said, lines = export.export(project, tmp_path / "export", "https://exemple.org/")
    assert lines and any("declarations.communes" in x for x in said), said
    site = plain_build(tmp_path / "export")
    built = pages(site)
    assert len(built) > 40
    alive = {name: found for name, soup in built.items() if (found := live_injections(str(soup)))}
    assert alive == {}
    assert _markdown_again(built["hainaut-douaisis-cambresis/lettres/14/index.html"]) == []
    heading_page = built["contribuer/titre-code/index.html"]
    assert heading_page.title is not None
    assert heading_page.title.get_text().startswith('Titre <code> & "x" mis en avant lien — ')
    shared = heading_page.select_one('meta[property="og:title"]')
    assert shared is not None and shared["content"] == 'Titre <code> & "x" mis en avant lien'
    # Control: the HTML between headings loose (not in blocks), the engine reads the removed
    # tags' text as Markdown: a theme setting, a javascript: link, an outside image, a handler.
    monkeypatch.setattr(export, "_raw", lambda html: html)
    export.export(project, tmp_path / "vrac", "https://exemple.org/")
    loose = pages(plain_build(tmp_path / "vrac"))[
        "hainaut-douaisis-cambresis/lettres/14/index.html"
    ]
    assert len(_markdown_again(loose)) == 4, _markdown_again(loose)
    monkeypatch.undo()  # the blocks back
    # every HTML file (the theme's 404 included) is inert and carries the policy, which allows
    # the theme's own inline scripts and nothing else
    every = all_html(site)
    assert "404.html" in every and len(every) > len(built)
    alive = {name: live_injections(html) for name, html in every.items()}
    assert {name: found for name, found in alive.items() if found} == {}
    uncovered = {name: uncovered_scripts(html) for name, html in every.items()}
    assert {name: bad for name, bad in uncovered.items() if bad} == {}
    assert "&lt;img src=x onerror" in every["404.html"]
    # Control: the generated pages handed over unsanitised (contributor fields and whole
    # pages), the engine publishes the payloads.
    switch_off(monkeypatch, "finish.sanitize", "sanitize", lambda html, *a, **k: Sanitized(html))
    export.export(project, tmp_path / "brut", "https://exemple.org/")
    raw = pages(plain_build(tmp_path / "brut"))
    assert any(live_injections(str(soup)) for soup in raw.values())
    # Controls: the title as site.yml gives it, and no policy from the theme, as before.
    monkeypatch.setattr(export, "escape_theme_config", lambda config: None)
    monkeypatch.setattr(export, "static_policy", lambda dirs, bases: "")
    export.export(project, tmp_path / "sans", "https://exemple.org/")
    unprotected = all_html(plain_build(tmp_path / "sans"))
    assert live_injections(unprotected["404.html"])
    assert uncovered_scripts(unprotected["404.html"])[0] == "aucune politique"


@pytest.mark.lent
def test_export_never_replaces_another_folder(project: Path, tmp_path: Path) -> None:
    other = tmp_path / "travail"
    other.mkdir()
    (other / "notes.txt").write_text("à garder", encoding="utf-8")
    refused = ti_inprocess("exporter", str(other), cwd=project)
    assert refused.returncode == 1
    assert refused.stderr.startswith(f"{other} : ce dossier existe, n'est pas vide et n'a pas")
    assert "(il n'a pas de fichier .export-territoires)" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert [p.name for p in other.iterdir()] == ["notes.txt"]
    # a previous export is replaced whole
    target = tmp_path / "export"
    assert ti_inprocess("exporter", str(target), cwd=project).returncode == 0
    (target / "docs" / "reste.md").write_text("ancien", encoding="utf-8")
    assert ti_inprocess("exporter", str(target), cwd=project).returncode == 0
    assert not (target / "docs" / "reste.md").exists()
