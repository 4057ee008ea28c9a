"""A build with nothing to do keeps the site folder (tisite.publish.uptodate), and anything that shapes
the site makes it build again: content, a new file, the engine adapter, the engine, the day, a
file of the site removed by hand. Never stale."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path

import pytest

from conftest import ti_inprocess
from tisite import clock, pipeline
from tisite.publish import uptodate


def _git(project: Path, *args: str) -> None:
    identity = ["-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "-C", str(project), *identity, *args], check=True, capture_output=True)


def _build(project: Path) -> str:
    done = ti_inprocess("build", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


@pytest.mark.lent
def test_nothing_changed_keeps_the_site_and_any_change_builds_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "exemple")
    first = _build(project)
    assert uptodate.UNCHANGED not in first
    site = project / "site"
    before = uptodate.listing(site)

    # Nothing changed: no stage of the pipeline runs, the folder is the same, the report too.
    def no_stage(*args: object, **kwargs: object) -> None:
        raise AssertionError("une étape de la construction a été lancée")

    with monkeypatch.context() as m:
        m.setattr(pipeline, "prepare", no_stage)
        again = _build(project)
    assert uptodate.UNCHANGED in again and "Site à jour dans" in again
    assert "Pages en cache" in again  # the report of the build that made the site, repeated
    assert uptodate.listing(site) == before

    # A fiche action edited, not committed: built again, the edit published.
    fiche = next((project / "territoires").glob("*/actions/*.md"))
    fiche.write_text(
        fiche.read_text(encoding="utf-8").replace(
            "\n---\n", "\n---\n\nMot témoin zygomorphe.\n", 1
        ),
        encoding="utf-8",
    )
    edited = _build(project)
    assert uptodate.UNCHANGED not in edited
    assert any("zygomorphe" in p.read_text(encoding="utf-8") for p in site.rglob("index.html"))
    assert uptodate.UNCHANGED in _build(project)

    # The engine adapter edited (the project's hooks/), or the core's code: built again.
    adapter = project / "hooks" / "mkdocs_hooks.py"
    adapter.write_text(adapter.read_text(encoding="utf-8") + "\n# modifié\n", encoding="utf-8")
    assert uptodate.UNCHANGED not in _build(project)
    assert uptodate.UNCHANGED in _build(project)
    with monkeypatch.context() as m:
        m.setattr(uptodate, "code_digest", lambda: "code modifié")
        assert uptodate.UNCHANGED not in _build(project)
    assert uptodate.UNCHANGED not in _build(project)  # back to the code that runs

    # Another day (late actions, the index's date), another engine: built again.
    with monkeypatch.context() as m:
        m.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2099, 1, 1, tzinfo=dt.UTC).timestamp())))
        assert uptodate.UNCHANGED not in _build(project)
    key = uptodate.inputs_key(project, "mkdocs", {}, clock.today())
    assert key != uptodate.inputs_key(project, "properdocs", {}, clock.today())

    # A page of the site removed by hand: built again, the page back.
    assert uptodate.UNCHANGED not in _build(project)  # back to today's site
    assert uptodate.UNCHANGED in _build(project)
    page = next(site.glob("*/plan-action/index.html"))
    page.unlink()
    assert uptodate.UNCHANGED not in _build(project)
    assert page.is_file()

    # A new file not yet committed counts too.
    (project / "docs" / "nouvelle-page.md").write_text("# Nouvelle page\n", encoding="utf-8")
    assert uptodate.UNCHANGED not in _build(project)
    assert (site / "nouvelle-page" / "index.html").is_file()

    # Control: a key blind to the content keeps a stale site.
    monkeypatch.setattr(uptodate, "inputs_key", lambda *args: "toujours la même")
    _build(project)
    fiche.write_text(fiche.read_text(encoding="utf-8").replace("zygomorphe", "xérophile"))
    assert uptodate.UNCHANGED in _build(project)
    assert not any("xérophile" in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


@pytest.mark.lent
def test_a_site_folder_outside_the_project_is_kept_too(project: Path, tmp_path: Path) -> None:
    _git(project, "init", "-q", "-b", "main")
    outside = tmp_path / "ailleurs" / "site"
    for expected in (False, True):
        done = ti_inprocess("build", "--site-dir", str(outside), cwd=project)
        assert done.returncode == 0, done.stdout + done.stderr
        assert (uptodate.UNCHANGED in done.stderr) is expected, done.stderr
    assert (outside / "index.html").is_file()


def test_the_installed_editor_is_an_input(project: Path) -> None:
    """The web editor's files come from .cache/editeur (make editeur), not from git."""
    _git(project, "init", "-q", "-b", "main")
    before = uptodate.inputs_key(project, "mkdocs", {}, clock.today())
    (project / ".cache" / "moteur").mkdir(parents=True)
    (project / ".cache" / "moteur" / "x.json").write_text("{}", encoding="utf-8")
    assert uptodate.inputs_key(project, "mkdocs", {}, clock.today()) == before  # control
    editor = project / ".cache" / "editeur"
    editor.mkdir(parents=True)
    (editor / "decap-cms.js").write_text("// 3.11", encoding="utf-8")
    assert uptodate.inputs_key(project, "mkdocs", {}, clock.today()) != before


def test_without_git_or_for_a_portal_every_build_is_a_full_one(project: Path) -> None:
    assert uptodate.inputs_key(project, "mkdocs", {}, clock.today()) is None
    _git(project, "init", "-q", "-b", "main")
    assert uptodate.inputs_key(project, "mkdocs", {}, clock.today()) is not None  # control
    site_yml = project / "site.yml"
    site_yml.write_text(
        site_yml.read_text(encoding="utf-8")
        + "\nportail:\n  sources:\n    - https://territoire.example.org/\n",
        encoding="utf-8",
    )
    assert uptodate.inputs_key(project, "mkdocs", {}, clock.today()) is None


def test_what_the_build_reads_is_in_the_key_even_where_git_looks_away(project: Path) -> None:
    """The build reads docs/ and territoires/ whole: a page in a folder .gitignore names is
    published all the same, so it is an input. A content file no commit dates shows the time
    it was written (a feed without letter): that time is an input. A link is not followed
    (one to /dev/zero would never end). Controls: an ignored file outside what the build reads,
    and a committed file touched, leave the key as it was."""

    def key() -> str | None:
        return uptodate.inputs_key(project, "mkdocs", {}, clock.today())

    (project / ".gitignore").write_text("site/\nbrouillons-perso/\n", encoding="utf-8")
    _git(project, "init", "-q", "-b", "main")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "exemple")
    before = key()
    (project / "brouillons-perso").mkdir()
    (project / "brouillons-perso" / "idee.md").write_text("# Idée\n", encoding="utf-8")
    committed = project / "territoires" / "grand-chatellerault" / "priorites.yml"
    os.utime(committed, (1_000_000_000, 1_000_000_000))
    assert key() == before  # controls
    ignored = project / "docs" / "site" / "exemple.md"
    ignored.parent.mkdir()
    ignored.write_text("# Publiée quand même\n", encoding="utf-8")
    with_page = key()
    assert with_page != before
    ignored.unlink()
    ignored.parent.rmdir()
    folder = project / "territoires" / "grand-chatellerault"
    moved = folder.rename(project / "territoires" / "chatellerault")  # not committed yet
    renamed = key()
    os.utime(moved / "priorites.yml", (1_500_000_000, 1_500_000_000))
    assert key() not in (before, renamed)
    (moved / "images").mkdir(exist_ok=True)
    (moved / "images" / "zero.png").symlink_to("/dev/zero")
    assert key() is not None
    # site.yml as a link is not read here (a pipe would block, /dev/zero never end): no key,
    # a full build, which refuses it
    site_yml = project / "site.yml"
    site_yml.rename(project / "site-reel.yml")
    os.mkfifo(project / "tube")
    site_yml.symlink_to(project / "tube")
    assert key() is None
    site_yml.unlink()
    (project / "site-reel.yml").rename(site_yml)
    # a docs_dir outside the project (refused by the build) is not walked
    outside = uptodate.inputs_key(project, "mkdocs", {}, clock.today(), docs_dir="/usr/share")
    assert outside is not None
