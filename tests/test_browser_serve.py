"""`make serve` for real: editing a file under territoires/ reloads the page in the browser."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser

from browser import free_port, start_preview, stop_process, wait_http
from conftest import copied_hooks_env

pytestmark = pytest.mark.browser


@pytest.mark.processus
def test_live_reload_after_editing_territory(project: Path, browser: Browser) -> None:
    port = free_port()
    # the preview runs the generator's code copied into the project (saved below)
    server = start_preview(project, port, copied_hooks_env(project))
    url = f"http://127.0.0.1:{port}/grand-chatellerault/"
    try:
        wait_http(url, timeout=90)
        tab = browser.new_page()
        tab.goto(url)
        assert "Territoire pilote de Nouvelle-Aquitaine" in tab.inner_text("article")
        entry = f"http://127.0.0.1:{port}/pagefind/pagefind-entry.json"
        wait_http(entry, timeout=60)  # the first build's index, made in the background
        former = _read(entry)
        path = project / "territoires/grand-chatellerault/territoire.yml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Territoire pilote de", "Territoire modifié de"))
        # No navigation by the test: the page must reload by itself (live reload).
        # (polled from here: the page's policy forbids the evaluation of strings)
        deadline = time.monotonic() + 60
        while "Territoire modifié de" not in tab.inner_text("article"):
            assert time.monotonic() < deadline, "la page ne s'est pas rechargée"
            tab.wait_for_timeout(250)
        # the preview's search is made again with its pages, in the background after each
        # rebuild: the former index is served until the new one is whole (renamed into place
        # when Pagefind is done); its entry file names its content
        deadline = time.monotonic() + 90
        while _read(entry) in (former, b""):
            assert time.monotonic() < deadline, "l'index de recherche n'a pas été refait"
            tab.wait_for_timeout(250)
        tab.wait_for_load_state("load")  # the reload's scripts are set up
        tab.click(".ti-recherche__ouvrir", timeout=20_000)
        tab.fill(".ti-recherche__texte", "modifié")
        tab.wait_for_selector(".ti-recherche__resultats li", timeout=40_000)
        assert "Grand-Châtellerault" in tab.inner_text(".ti-recherche__resultats")
        tab.keyboard.press("Escape")
        # Broken content: the open page becomes the French list of problems, by itself...
        path.write_text(text.replace("nom: Grand-Châtellerault", "nom: [", 1), encoding="utf-8")
        wait_for_text(tab, "h1", "Le site ne peut pas être construit")
        problems = tab.inner_text("main ul")
        assert "territoires/grand-chatellerault/territoire.yml:" in problems
        assert "syntaxe YAML invalide" in problems
        # ... any address of the preview says the same (not a page stuck on the old site)...
        other = browser.new_page()
        other.goto(f"http://127.0.0.1:{port}/grand-chatellerault/priorites/")
        assert "contenu à corriger" in other.inner_text("h1")
        other.close()
        # ... and the repaired site comes back without a click.
        path.write_text(text, encoding="utf-8")
        wait_for_text(tab, "article", "Territoire pilote de Nouvelle-Aquitaine")
        # A link to a fiche action that does not exist: the same error page at once (the
        # preview keeps answering), then the site again once the link is fixed.
        letter = project / "territoires/hainaut-douaisis-cambresis/lettres/14.md"
        letter_text = letter.read_text(encoding="utf-8")
        broken = "\nVoir [la fiche](../../plan-action/inexistante/index.md).\n"
        letter.write_text(letter_text + broken, encoding="utf-8")
        wait_for_text(tab, "h1", "Le site ne peut pas être construit")
        problems = tab.inner_text("main ul")
        assert "territoires/hainaut-douaisis-cambresis/lettres/14.md:" in problems
        assert "lien vers « ../../plan-action/inexistante/index.md »" in problems
        other = browser.new_page()
        other.goto(f"http://127.0.0.1:{port}/hainaut-douaisis-cambresis/lettres/14/")
        assert "contenu à corriger" in other.inner_text("h1")
        other.close()
        letter.write_text(letter_text, encoding="utf-8")
        wait_for_text(tab, "article", "Territoire pilote de Nouvelle-Aquitaine")
        # The generator's own code saved (a module of the copy this preview runs): the running
        # process can't take it (a rebuild would show the former code's page); the preview
        # starts again, and the open page reloads by itself with the new code's output.
        views = project / "hooks/tisite/generate/views.py"
        code = views.read_text(encoding="utf-8")
        assert code.count("population municipale en vigueur en") == 2
        views.write_text(code.replace("population municipale en vigueur", "population légale"))
        wait_for_text(tab, "article", "population légale en", timeout=120)
        tab.close()
    finally:
        output = stop_process(server)
    # the terminal says the same in French, and nothing of MkDocs' English
    assert "territoires/grand-chatellerault/territoire.yml:" in output
    assert "Aperçu sur http://127.0.0.1:" in output
    assert "Le code du générateur a changé (hooks/tisite/generate/views.py)" in output
    assert output.count("Aperçu : redémarrage avec le nouveau code") == 1
    # the broken link is an error, as ti check and ti build say (one word for one thing)
    assert "lettres/14.md:" in output and ": lien vers « ../../plan-action/" in output
    assert "1 erreur dans le contenu" in output
    assert ": avertissement : lien" not in output
    for english in ("Aborted", "appear stuck", "Building documentation", "Serving on", "INFO"):
        assert english not in output, english


def wait_for_text(tab: Any, selector: str, text: str, timeout: float = 60) -> None:
    """Poll from the test (the page's policy forbids evaluating strings in the page)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if text in tab.inner_text(selector, timeout=1000):
                return
        except Exception:  # the page is reloading: its element is not there yet
            pass
        assert time.monotonic() < deadline, f"« {text} » n'apparaît pas dans {selector}"
        tab.wait_for_timeout(250)


def test_a_busy_port_gets_the_next_free_one() -> None:
    import socket

    from tisite.cli.commands import free_address

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        address, note = free_address(f"127.0.0.1:{port}")
    assert address != f"127.0.0.1:{port}" and note is not None
    assert note.startswith(f"Le port {port} est déjà utilisé")
    free, none = free_address(address)
    assert free == address and none is None


def _read(url: str) -> bytes:
    """What the preview serves at ``url`` (empty while it is not there: an index being renamed
    into place)."""
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return bytes(answer.read())
    except OSError:
        return b""
