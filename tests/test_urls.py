"""One table of addresses (tisite.urls): every entry is produced, and changing one is one edit."""

from __future__ import annotations

import itertools
import posixpath
from pathlib import Path

import pytest

from tisite import urls
from tisite.build import SiteBuild

HDC = "hainaut-douaisis-cambresis"
EXAMPLE = {
    "t": HDC,
    "id": "communication",
    "numero": 15,
    "facette": "axe",
    "valeur": "attirer",
}


def test_every_entry_of_the_table_is_produced(built_site: Path) -> None:
    for name in urls.TABLE:
        address = urls.url_to(name, **{k: EXAMPLE[k] for k in urls.parameters(name)})
        produced = built_site / (
            address + "index.html" if address.endswith("/") or not address else address
        )
        assert produced.is_file(), (name, address)


def test_relative_addresses() -> None:
    assert urls.relative("a/plan-action/x/", "a/priorites/") == "../../priorites/"
    assert urls.relative("a/", "a/") == "./"
    assert urls.relative("", "a/") == "a/"
    assert urls.relative("a/lettres/", "a/lettres/rss.xml") == "rss.xml"
    assert urls.relative("a/lettres/15/", "a/lettres/rss.xml") == "../rss.xml"
    assert urls.relative("tableau-de-bord/", "territoires.json") == "../territoires.json"
    assert urls.absolute("https://x.org/ti/", "a/b/") == "https://x.org/ti/a/b/"
    assert urls.absolute(None, "a/") == "/a/"
    with pytest.raises(KeyError):
        urls.url_to("lettre", t=HDC)


def test_relative_addresses_are_those_of_relpath() -> None:
    """The relative address of a link is computed without posixpath.relpath (two system calls
    per link), with the very same result, for every pair of addresses of up to three levels."""
    names = ["a", "b", "plan-action"]
    addresses = [""]
    for depth in (1, 2, 3):
        for parts in itertools.product(names, repeat=depth):
            addresses += ["/".join(parts), "/".join(parts) + "/"]
    # and those it leaves to relpath: absolute, or with « . » or « .. »
    addresses += ["/a/", "/a/b", "./a/", "a/./b", "../a/", "a/../b/", "a/.."]
    for folder, start in itertools.product(addresses, repeat=2):
        expected = posixpath.relpath(folder or ".", start.rstrip("/") or ".")
        assert urls._relative_folder(folder, start) == expected, (folder, start)


def test_an_address_changed_in_the_table_changes_pages_links_and_files(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(urls.TABLE, "lettre", "{t}/bulletins/{numero}/")
    monkeypatch.setitem(urls.TABLE, "lettre-courriel", "{t}/bulletins/{numero}/email.html")
    monkeypatch.setitem(urls.TABLE, "lettre-texte", "{t}/bulletins/{numero}/email.txt")
    monkeypatch.setitem(urls.TABLE, "lettre-envoi-html", "{t}/bulletins/{numero}/envoi.html")
    monkeypatch.setitem(urls.TABLE, "lettre-envoi-texte", "{t}/bulletins/{numero}/envoi.txt")
    build = SiteBuild.load(project, site_url="https://exemple.org/")
    paths = {page.path for page in build.pages}
    assert f"{HDC}/bulletins/15/index.md" in paths
    assert f"{HDC}/lettres/15/index.md" not in paths
    home = next(p for p in build.pages if p.path == f"{HDC}/index.md").content
    assert 'href="bulletins/15/"' in home and 'href="lettres/15/"' not in home
    letter = next(p for p in build.pages if p.path == f"{HDC}/bulletins/15/index.md").content
    assert 'href="../../lettres/rss.xml"' in letter and 'href="email.html"' in letter
    assert 'href="../14/"' in letter  # the previous letter, at its new address too
    files = {path for path, _ in build.assets}
    assert f"{HDC}/bulletins/15/email.html" in files
    feed = dict(build.assets)[f"{HDC}/lettres/rss.xml"]
    assert "https://exemple.org/hainaut-douaisis-cambresis/bulletins/15/" in bytes(feed).decode()
