"""What the search index and the action finder are made from (no browser): contributed text
can't hide from readers while talking to the index, and the finder's addresses outlive the
data that made them."""

from __future__ import annotations

import shutil
import sys
from importlib import metadata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from packaging.version import Version

from conftest import built_copy, ti_inprocess
from pagefind_index import indexed_pages
from tisite.content.loader import load_site
from tisite.finish.sanitize import sanitize
from tisite.generate import finder

GC = "territoires/grand-chatellerault"
GONE = "/actions/statut/non-renseigne/"


def test_hidden_contributed_text_is_shown_not_only_indexed() -> None:
    html = '<div hidden>mot caché</div><p data-pagefind-weight="10">texte</p>'
    clean = sanitize(html, contributed=True).html
    assert "hidden" not in clean and "data-pagefind" not in clean and "mot caché" in clean
    # control: the site's own markup keeps its hidden elements (filters without JavaScript)
    assert "hidden" in sanitize('<form hidden class="ti-filters"></form>').html


def set_status(root: Path) -> None:
    """Both Grand-Châtellerault actions get a dated status: none is « Non renseigné » any more."""
    for path in (root / GC / "actions").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        text = text.replace(
            "\n---\n",
            "\navancement:\n  - date: 2024-01-01\n    phase: Opération\n    statut: En cours\n---\n",
            1,
        )
        path.write_text(text, encoding="utf-8")


@pytest.mark.lent
def test_a_shared_finder_address_survives_its_last_action(built_site: Path, tmp_path: Path) -> None:
    project = built_copy(built_site, tmp_path / "projet")  # the example, built and published
    assert GONE in (project / "urls-publiees.txt").read_text(encoding="utf-8")
    set_status(project)
    # control: without the published address, no action leaves the page to be made
    site = load_site(project)
    assert not [v for v in finder.facet_pages(site) if "/" + v.url == GONE]
    assert [
        v.count for v in finder.facet_pages(site, frozenset({GONE})) if "/" + v.url == GONE
    ] == [0]
    second = ti_inprocess("build", cwd=project)
    assert second.returncode == 0, second.stdout + second.stderr
    page = BeautifulSoup(
        (project / "site" / GONE.strip("/") / "index.html").read_text(encoding="utf-8"),
        "html.parser",
    )
    assert "Aucune fiche action ne correspond pour l'instant" in page.get_text()
    assert "/actions/statut/non-renseigne/" not in indexed_pages(project / "site")


def test_a_failed_indexing_says_so_in_french(tmp_path: Path) -> None:
    from tisite.content.errors import ContentError
    from tisite.publish.searchindex import Indexing

    (tmp_path / "site").write_text("pas un dossier", encoding="utf-8")
    try:
        Indexing(tmp_path / "site").finish()
    except ContentError as exc:
        report = exc.report()
    else:
        raise AssertionError("Pagefind a accepté un site qui n'est pas un dossier")
    assert "l'index de recherche n'a pas pu être construit (Pagefind)" in report
    assert "Traceback" not in report


def _page(site: Path, name: str, text: str) -> None:
    path = site / name / "index.html"
    path.parent.mkdir(parents=True, exist_ok=True)
    html = f'<!doctype html><html lang="fr"><head><title>{name}</title></head><body>'
    path.write_text(html + f"<main data-pagefind-body><p>{text}</p></main></body></html>")


def _words(site: Path) -> str:
    return " ".join(record["content"] for record in indexed_pages(site).values())


def test_pagefind_reads_only_the_pages(tmp_path: Path) -> None:
    """With addresses as folders, Pagefind reads the ``index.html`` files only: a letter's
    email copy beside its page is never read (it was never indexed; reading it took a third of
    Pagefind's time). Negative control: told that every HTML file may be a page, it reads and
    indexes the copy, which here is marked like a page."""
    from tisite.publish import searchindex

    site = tmp_path / "site"
    _page(site, "lettre", "Les friches industrielles du bassin")
    copy = site / "lettre" / "email.html"
    copy.write_text(
        '<!doctype html><html lang="fr"><head><title>copie</title></head><body>'
        "<main data-pagefind-body><p>tréfilerie</p></main></body></html>",
        encoding="utf-8",
    )
    assert searchindex.pages_pattern(directory_urls=True) == searchindex.PAGES
    report = searchindex.Indexing(site, pages=searchindex.PAGES).finish()
    assert report.pages == 1 and "friches" in _words(site) and "tréfilerie" not in _words(site)
    shutil.rmtree(site / searchindex.BUNDLE)
    every = searchindex.pages_pattern(directory_urls=False)
    assert searchindex.Indexing(site, pages=every).finish().pages == 2
    assert "tréfilerie" in _words(site)


def test_the_index_of_unchanged_pages_is_reused_and_never_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tisite.publish import searchindex

    cache = tmp_path / "cache"

    def index(site: Path) -> searchindex.IndexReport:
        return searchindex.Indexing(site, cache).finish()

    first, second = tmp_path / "premier", tmp_path / "second"
    for site in (first, second):
        _page(site, "a", "Les friches industrielles du bassin")
        _page(site, "b", "Recrutement des apprentis")
    assert not index(first).reused
    again = index(second)  # the same pages, in another folder (a build writes its own)
    assert again.reused and again.pages == 2
    assert "index repris" in again.line()
    assert "apprentis" in _words(second)
    # One page changes: indexed again, the new word found, the old one gone.
    _page(second, "b", "Formation des soudeurs")
    changed = index(second)
    assert not changed.reused
    assert "soudeurs" in _words(second) and "apprentis" not in _words(second)
    # Control: a key blind to the pages' content would serve the former index.
    _page(second, "b", "Usine du futur")
    monkeypatch.setattr(
        searchindex, "pages_digest", lambda site_dir, options, version, pages: "meme-cle"
    )
    index(first)
    stale = index(second)
    assert stale.reused and "Usine" not in _words(second)
    # Only the last few indexes are kept.
    assert len(list(cache.glob("*.json"))) <= searchindex.KEEP


@pytest.mark.pagefind
def test_the_index_is_the_same_from_one_build_to_the_next(
    built_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """For the same pages, the Pagefind the build runs (1.6 from npm, installed by make) writes
    the same files, names and bytes: browsers and sync-style deploys keep what did not change."""
    from tisite.publish import searchindex

    npm = searchindex.program()
    assert npm.version.endswith("(npm)"), "Pagefind 1.6 absent : lancez `make pagefind`"

    def index(program: searchindex.Program, name: str) -> dict[str, bytes]:
        site = tmp_path / name
        shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("pagefind"))
        monkeypatch.setattr(searchindex, "program", lambda: program)
        assert searchindex.Indexing(site).finish().pages > 30
        files = (site / "pagefind").rglob("*")
        return {p.relative_to(site).as_posix(): p.read_bytes() for p in files if p.is_file()}

    first = index(npm, "premier")
    assert sum(name.startswith("pagefind/filter/") for name in first) >= 3
    assert index(npm, "second") == first
    # Control: PyPI's Pagefind 1.5 names its filter files anew on every run (from 1.6 on,
    # PyPI's is stable too: then there is no unstable Pagefind left to compare with).
    if Version(metadata.version("pagefind")) < Version("1.6"):
        pypi = searchindex.Program((sys.executable, "-m", "pagefind"), "PyPI")
        names = {frozenset(index(pypi, f"pypi-{n}")) for n in range(4)}
        assert len(names) > 1


@pytest.mark.parametrize("staged", [True, False])
def test_the_preview_serves_its_index_only_once_whole(tmp_path: Path, staged: bool) -> None:
    """The preview's pages are served while Pagefind writes: its index is written beside
    ``pagefind/`` and renamed when Pagefind is done, so that the search never reads half an
    index. Negative control: not staged, ``pagefind/`` is there before the build has read the
    figures of a finished Pagefind (it is written in place)."""
    from tisite.publish import searchindex

    site = tmp_path / "site"
    _page(site, "a", "Les friches industrielles du bassin")
    indexing = searchindex.Indexing(site, staged=staged)
    assert indexing.process is not None
    indexing.process.wait()  # Pagefind wrote everything; finish() not called yet
    bundle = site / searchindex.BUNDLE
    if not staged:
        assert (bundle / "pagefind-entry.json").is_file()
        return
    assert not bundle.exists() and (site / searchindex.STAGED).is_dir()
    assert indexing.finish().pages == 1
    assert (bundle / "pagefind-entry.json").is_file() and not (site / searchindex.STAGED).exists()
    assert "friches" in _words(site)


def test_the_preview_index_catches_up_in_the_background_or_is_abandoned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``Catching``: the rebuild returns without waiting for Pagefind, whose lines come when it
    is done; a rebuild that starts meanwhile abandons it (killed, nothing reported, nothing
    more written). Negative control for the count: a page fewer than expected is reported."""
    import threading

    from tisite.publish import searchindex

    site = tmp_path / "site"
    for name in ("a", "b"):
        _page(site, name, f"Page {name} du réseau")
    reports: list[tuple[list[str], list[str]]] = []
    done = threading.Event()

    def later(lines: list[str], warnings: list[str]) -> None:
        reports.append((lines, warnings))
        done.set()

    searchindex.Catching(searchindex.Indexing(site, staged=True), 2, later)
    assert done.wait(60)
    assert reports[0][0][0].startswith("Recherche : 2 pages indexées") and reports[0][1] == []
    assert (site / searchindex.BUNDLE / "pagefind-entry.json").is_file()
    done.clear()
    searchindex.Catching(searchindex.Indexing(site, staged=True), 3, later).thread.join(60)
    assert "2 pages indexées sur 3 attendues" in reports[1][1][0]
    # abandoned: a Pagefind that would run for a minute, killed, then silent
    shutil.rmtree(site / searchindex.BUNDLE)
    slow = searchindex.Program((sys.executable, "-c", "import time; time.sleep(60)"), "lent")
    monkeypatch.setattr(searchindex, "program", lambda: slow)
    catching = searchindex.Catching(searchindex.Indexing(site, staged=True), 2, later)
    process = catching.indexing.process
    assert process is not None
    catching.stop()
    assert process.poll() is not None and not catching.thread.is_alive()
    assert len(reports) == 2 and not (site / searchindex.BUNDLE).exists()
