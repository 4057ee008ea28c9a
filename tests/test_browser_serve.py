"""`make serve` for real: editing a file under territoires/ reloads the page in the browser."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Browser

from browser import free_port, wait_http

pytestmark = pytest.mark.browser


def test_live_reload_after_editing_territory(project: Path, browser: Browser) -> None:
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tisite.cli",
            "--racine",
            str(project),
            "serve",
            "--adresse",
            f"127.0.0.1:{port}",
        ],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/grand-chatellerault/"
    try:
        wait_http(url, timeout=90)
        tab = browser.new_page()
        tab.goto(url)
        assert "Territoire pilote de Nouvelle-Aquitaine" in tab.inner_text("article")
        path = project / "territoires/grand-chatellerault/territoire.yml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Territoire pilote de", "Territoire modifié de"))
        # No navigation by the test: the page must reload by itself (live reload).
        # (polled from here: the page's policy forbids the evaluation of strings)
        deadline = time.monotonic() + 60
        while "Territoire modifié de" not in tab.inner_text("article"):
            assert time.monotonic() < deadline, "la page ne s'est pas rechargée"
            tab.wait_for_timeout(250)
        tab.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
