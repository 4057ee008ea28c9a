"""The web editor's editorial workflow (the published site's default), in Chromium with
decap-server in git mode. In a module of its own, with servers of its own; the local server's
fixed port is taken by one test process at a time (a lock in test_browser_editeur._servers)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser
from test_browser_editeur import TERRITORY, _project_with_editor, _servers

pytestmark = pytest.mark.browser


def _git(project: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(project), *args], capture_output=True, text=True, check=True
    )
    return done.stdout


@pytest.mark.processus
def test_editorial_workflow_saves_on_a_branch_until_published(
    browser: Browser, tmp_path: Path
) -> None:
    """The published editor's default (« workflow_editorial »): a save is a branch — a merge
    request on the forge, where CI checks it — and the site's branch changes only when the
    change is published. Played with decap-server in git mode, which does what the forge
    does with branches, on a copy of the example made a git repository."""
    project = _project_with_editor(tmp_path / "projet")
    # as in the project: the cache (here, the link to the installed editor) is not committed
    (project / ".gitignore").write_text(".cache/\nsite/\n", encoding="utf-8")
    _git(project, "init", "-q", "-b", "main")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    _git(project, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x")
    numero = (
        max(int(p.stem) for p in (project / "territoires" / TERRITORY / "lettres").glob("*.md")) + 1
    )
    with _servers(project, mode="git") as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")

        def workflow(route: Any) -> None:  # what site.yml's « edition » gives a published site
            config = json.loads(route.fetch().text())
            config["decap"]["publish_mode"] = "editorial_workflow"
            route.fulfill(body=json.dumps(config), content_type="application/json")

        context.route("**/admin/config.json", workflow)
        page = context.new_page()
        page.goto(url + "admin/")
        page.get_by_role("button", name="Se connecter").click()
        page.goto(url + f"admin/#/collections/lettres-{TERRITORY}/new")
        page.get_by_label("Titre", exact=True).fill("Lettre relue avant publication")
        page.get_by_label("Résumé").fill("Une lettre qui passe par une demande de fusion.")
        page.get_by_role("button", name="Enregistrer").click()
        page.wait_for_selector("text=MODIFICATIONS ENREGISTRÉES", timeout=30_000)
        branches = [b.strip(" *") for b in _git(project, "branch").splitlines()]
        saved = [b for b in branches if b.startswith("cms/")]
        assert saved, branches
        relative = f"territoires/{TERRITORY}/lettres/{numero}.md"
        on_main = subprocess.run(
            ["git", "-C", str(project), "cat-file", "-e", f"main:{relative}"], check=False
        )
        assert on_main.returncode != 0  # the site's branch is unchanged until published
        text = _git(project, "show", f"{saved[0]}:{relative}")
        assert text.startswith(
            "---\n# yaml-language-server: $schema=../../../schemas/lettre.schema.json\n"
            "titre: Lettre relue avant publication\n"
        ), text
        assert "brouillon: true" in text
        context.close()
