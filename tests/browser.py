"""Helpers for browser tests: Debian's Chromium driven by Playwright, and local servers."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


# Debian's headless build of Chromium (package chromium-headless-shell, the « old headless »
# that Playwright itself runs by default): the same Blink, without the browser's windows. Each
# new page costs it about a third of the processor time the whole browser (package chromium,
# whose headless mode is the browser with its windows hidden) spends on it, and the browser
# tests open some hundreds of pages. The whole browser stays the fallback.
CHROMIUM_PROGRAMS = ("chromium-headless-shell", "chromium", "chromium-browser")


def chromium_path() -> str:
    path = next(filter(None, map(shutil.which, CHROMIUM_PROGRAMS)), None)
    if not path:
        raise RuntimeError(
            "Chromium est introuvable : lancez `make browser-deps` (paquets Debian)."
        )
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


@contextlib.contextmanager
def static_server(directory: Path) -> Iterator[str]:
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "http.server",
            str(port),
            "--bind",
            "127.0.0.1",
            "-d",
            str(directory),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/"
        wait_http(base)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


_TRAP = """Object.defineProperty(window, "__ti_pirate", {
  set(value) { window.__ti_signal("window.__ti_pirate"); }, configurable: true
});"""


def start_process(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> Any:
    """A background process (a preview, a local server) whose output the test reads at the end
    (see stop_process)."""
    return subprocess.Popen(
        args,
        cwd=cwd,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def start_preview(project: Path, port: int, env: dict[str, str] | None = None) -> Any:
    """`ti serve` of ``project`` on 127.0.0.1:``port`` (what `make serve` runs)."""
    from conftest import TI

    command = [*TI, "--racine", str(project), "serve"]
    return start_process([*command, "--adresse", f"127.0.0.1:{port}"], cwd=project, env=env)


def stop_process(process: Any) -> str:
    """Stop a process of start_process; returns what it printed."""
    process.terminate()
    try:
        output, _ = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return str(output or "")


def injected_script_events(
    browser: Browser,
    url: str,
    search: str | None = None,
    bypass_csp: bool = False,
    blocked: list[str] | None = None,
) -> list[str]:
    """Load a page (and optionally search): what injected code managed to do, if anything.

    ``bypass_csp``: the browser ignores the page's Content-Security-Policy (negative control);
    ``blocked`` receives the policy violations the browser reported.
    """
    events: list[str] = []
    origin = url.split("/", 3)[:3]
    context = browser.new_context(bypass_csp=bypass_csp)
    page = context.new_page()
    page.on(
        "console",
        lambda m: (
            blocked.append(m.text)
            if blocked is not None and "Content Security Policy" in m.text
            else None
        ),
    )
    page.expose_function("__ti_signal", lambda what: events.append(what))
    page.add_init_script(_TRAP)
    page.on("dialog", lambda d: (events.append(f"dialogue {d.message}"), d.dismiss()))
    page.on(
        "framenavigated",
        lambda f: (
            events.append(f"navigation vers {f.url}")
            if f.url.split("/", 3)[:3] != origin and not f.url.startswith("about:")
            else None
        ),
    )
    page.goto(url, wait_until="networkidle")
    if search:
        page.keyboard.press("s")
        page.keyboard.type(search)
        try:
            page.wait_for_selector(".ti-recherche__resultats li", timeout=10_000)
        except PlaywrightTimeout:
            raise AssertionError(f"aucun résultat en 10 s : {search_state(page)}") from None
        page.wait_for_timeout(300)
    context.close()
    return events


def search_state(page: Page) -> dict[str, object]:
    """What the site's search shows (for the message of a search that gives nothing): whether
    its dialog is open, the text typed, its status line, the focused element."""
    return dict(
        page.evaluate(
            """() => {
                const dialog = document.getElementById('ti-recherche');
                const input = document.querySelector('.ti-recherche__texte');
                const status = document.querySelector('.ti-recherche__etat');
                const e = document.activeElement;
                return {
                    ouvert: !!(dialog && dialog.open),
                    texte: input ? input.value : null,
                    etat: status ? status.textContent : null,
                    focus: e ? e.tagName + '.' + e.className : null,
                };
            }"""
        )
    )


def until(
    state: Callable[[], object], seconds: float, pause: Callable[[], object] | None = None
) -> bool:
    """Waits until ``state()`` is true, looking again after ``pause()`` (a short sleep by
    default; ``page.wait_for_timeout`` lets Playwright deliver the page's events meanwhile).
    A state, not a time: ``seconds`` only stops a wait for what never comes. Whether the state
    came."""
    deadline = time.monotonic() + seconds
    while not state():
        if time.monotonic() > deadline:
            return False
        if pause is None:
            time.sleep(0.02)
        else:
            pause()
    return True


def wait_until(page: Any, expression: str, timeout: float = 10) -> None:
    """Wait until ``expression`` is true in the page.

    Playwright's ``wait_for_function`` evaluates a string with ``eval`` inside the page, which
    the site's Content-Security-Policy forbids; ``evaluate`` is run by the browser itself.
    """
    if not until(lambda: page.evaluate(expression), timeout, lambda: page.wait_for_timeout(50)):
        raise TimeoutError(expression)


# The site's search script has set itself up: it shows its button once it listens to its keys
# (« / » pressed before that opens nothing).
SEARCH_READY = "!document.querySelector('.ti-recherche__ouvrir').hidden"
