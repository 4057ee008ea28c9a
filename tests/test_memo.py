"""Results kept by content within a process (tisite.memo): the YAML of a text, the HTML of
contributor Markdown, its plain text for open data. A process that builds again and again
(``ti serve``) reuses them, and an edit always shows in the next build."""

from __future__ import annotations

import json
import os
from collections.abc import Hashable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import copy_project, ti_inprocess
from tisite.content import yamlio
from tisite.generate import render, reuse
from tisite.memo import Recent
from tisite.publish import publishing

HDC = "hainaut-douaisis-cambresis"
ACTION = f"territoires/{HDC}/actions/communication.md"
OLD_BODY, NEW_BODY = "Étapes du projet", "Étapes revues du projet"
OLD_TITLE, NEW_TITLE = "Titre d'origine de la fiche", "Titre revu de la fiche"
OLD_LINK, NEW_LINK = "Lien vers cette section", "Aller à cette section"
MEMOS = [(yamlio, "_LOADED"), (render, "_FIELDS"), (publishing, "_TEXTS")]


@pytest.fixture
def fresh_memos(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Empty memos for the test (the session's builds filled them), the session's put back."""
    for module, name in MEMOS:
        monkeypatch.setattr(module, name, Recent())
    yield


class Blind(Recent[Any]):
    """Negative control: a memo that cannot tell the edited texts from the former ones (as one
    keyed by a file's name or by a part of its content would): it serves what it kept."""

    def get(self, key: Hashable, produce: Any) -> Any:
        def former(part: object) -> object:
            if isinstance(part, tuple):
                return tuple(former(p) for p in part)
            if isinstance(part, str):
                for old, new in ((OLD_BODY, NEW_BODY), (OLD_TITLE, NEW_TITLE)):
                    part = part.replace(new, old)
            return part

        return super().get(former(key), produce)


def _write(project: Path, body: str, title: str) -> None:
    """The fiche action with ``title`` and a first heading ``body`` (its text else as in the
    example)."""
    path = project / ACTION
    original = project.parent / "communication.md.orig"  # beside the project: not a source
    if not original.exists():
        original.write_bytes(path.read_bytes())
    head, rest = original.read_text(encoding="utf-8").split("\n---\n", 1)
    lines = [line for line in head.splitlines() if not line.startswith("titre:")]
    lines.insert(2, f"titre: {title}")
    path.write_text("\n".join(lines) + f"\n---\n## {body}\n\n" + rest, encoding="utf-8")


def _build(project: Path) -> tuple[str, str]:
    """The fiche action's page and the plan's open data, after an in-process build."""
    result = ti_inprocess("build", "--sans-cache", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    page = project / "site" / HDC / "plan-action" / "communication" / "index.html"
    data = json.loads((project / "site" / HDC / "plan-action" / "actions.json").read_text())
    described = [a["description"] for a in data["actions"] if a["id"] == "communication"]
    return page.read_text(encoding="utf-8"), described[0].casefold()  # headings in capitals


@pytest.mark.lent
@pytest.mark.parametrize("blind", [False, True])
def test_an_edit_shows_in_the_next_build_of_the_same_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_memos: None, blind: bool
) -> None:
    """Two builds in one process: the second reuses what the first converted (the memos are
    used), and shows every edit made in between: a front-matter field (YAML), the Markdown
    body (page and open data), the site's Markdown settings (mkdocs.yml). Negative control:
    memos blind to the edit, the former title and body stay on the page."""
    project = copy_project(tmp_path / "projet")
    _write(project, OLD_BODY, OLD_TITLE)
    page, described = _build(project)
    assert OLD_TITLE in page and OLD_BODY in page and OLD_LINK in page
    assert OLD_BODY.casefold() in described
    if blind:
        for module, name in MEMOS:
            monkeypatch.setattr(module, name, Blind())
        reuse.forget()  # the territories' pages made again: the blind memos filled
        _build(project)
    hits = {name: getattr(module, name).hits for module, name in MEMOS}
    _write(project, NEW_BODY, NEW_TITLE)
    page, described = _build(project)
    if blind:
        assert OLD_TITLE in page and OLD_BODY in page and OLD_BODY.casefold() in described
        return
    for module, name in MEMOS:  # the other texts of the site were not parsed again
        assert getattr(module, name).hits > hits[name], name
    assert NEW_TITLE in page and OLD_TITLE not in page
    assert NEW_BODY in page and OLD_BODY not in page
    assert NEW_BODY.casefold() in described and OLD_BODY.casefold() not in described
    # the Markdown settings are part of the key: the same text, converted again
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(OLD_LINK, NEW_LINK), "utf-8")
    page, _ = _build(project)
    assert NEW_LINK in page and OLD_LINK not in page and NEW_BODY in page


def test_what_the_last_build_did_not_use_is_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    """At most two builds' results: a result the last build used stays for the next build,
    one it did not use goes when a build starts. Off (a process that builds once), nothing
    is kept at all."""
    from tisite import memo

    recent: Recent[int] = Recent()
    made: list[str] = []

    def make(key: str) -> int:
        made.append(key)
        return len(made)

    assert recent.get("a", lambda: make("a")) == 1
    assert recent.get("b", lambda: make("b")) == 2
    recent.new_build()  # the next build uses « a » only
    assert recent.get("a", lambda: make("a")) == 1
    recent.new_build()  # « b » was not used by the last build: gone
    assert recent.get("b", lambda: make("b")) == 3
    assert recent.get("a", lambda: make("a")) == 1
    assert made == ["a", "b", "b"] and (recent.hits, recent.misses) == (2, 3)
    # The preview's build is over: what the build before made and this one did not use goes
    # at once, not at the next build (the preview waits for a save holding one build).
    recent.new_build()
    assert recent.get("a", lambda: make("a")) == 1  # this build uses « a » only
    assert recent.peek("b") == 3  # control: until the build is over, « b » is still held
    recent.build_over()  # this memo only: the session's memos keep their results
    assert recent.peek("b") is None and recent.peek("a") == 1 and len(recent) == 1
    recent.new_build()
    assert recent.get("a", lambda: make("a")) == 1 and made == ["a", "b", "b"]
    monkeypatch.setitem(memo._on, "kept", False)  # `ti build`, `ti check`
    assert recent.get("c", lambda: make("c")) == 4
    assert recent.get("c", lambda: make("c")) == 5 and recent.peek("c") is None


def test_a_disk_memo_is_answered_from_memory_in_the_same_process(tmp_path: Path) -> None:
    """The disk memos (emails, agendas, a page's finished HTML) are read once per process;
    another material is another value. Control: forgotten, the value is read from disk."""
    from tisite import memo
    from tisite.publish import diskcache

    made: list[int] = []

    def produce() -> dict[str, int]:
        made.append(1)
        return {"n": len(made)}

    assert diskcache.memo(tmp_path, ["a"], produce) == {"n": 1}
    entry = next(tmp_path.glob("*.json"))
    entry.write_text('{"n": 99}', encoding="utf-8")  # what the disk says now
    assert diskcache.memo(tmp_path, ["a"], produce) == {"n": 1}  # from memory
    assert diskcache.memo(tmp_path, ["b"], produce) == {"n": 2} and len(made) == 2
    memo.forget_all()
    assert diskcache.memo(tmp_path, ["a"], produce) == {"n": 99}  # read from disk again


@pytest.mark.parametrize("blind", [False, True])
def test_an_unchanged_territory_is_not_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, blind: bool
) -> None:
    """The preview loads again only the territories whose folder changed: an unchanged
    territory is neither read nor validated, and its warnings are reported again. Any entry of
    the folder counts, an image's bytes included. Negative control: a key blind to what the
    files hold (their names only) keeps serving the former title of an edited fiche."""
    from tisite.content import loader

    project = copy_project(tmp_path / "projet")
    (project / "territoires" / HDC / "notes.txt").write_text("à trier", encoding="utf-8")
    monkeypatch.setattr(loader, "_LOADED", Recent())
    if blind:
        monkeypatch.setattr(
            loader, "_folder_key", lambda root, folder, *options: repr(sorted(os.listdir(folder)))
        )
    loaded: list[str] = []
    real = loader.load_territory

    def counted(root: Path, directory: Path, problems: list[Any], *options: bool) -> Any:
        loaded.append(directory.name)
        return real(root, directory, problems, *options)

    monkeypatch.setattr(loader, "load_territory", counted)

    def warned(site: Any) -> bool:
        return any("notes.txt" in w.format() for w in site.warnings)

    first = loader.load_site(project)
    assert sorted(loaded) == ["grand-chatellerault", HDC] and warned(first)
    second = loader.load_site(project)
    assert sorted(loaded) == ["grand-chatellerault", HDC] and warned(second)  # nothing read
    assert [t.slug for t in second.territories] == [t.slug for t in first.territories]
    assert all(a is b for a, b in zip(first.territories, second.territories, strict=True))
    _write(project, OLD_BODY, NEW_TITLE)
    third = loader.load_site(project)
    titles = [a.titre for t in third.territories for a in t.actions]
    if blind:
        assert NEW_TITLE not in titles and loaded.count(HDC) == 1  # stale: what the test catches
        return
    assert (
        NEW_TITLE in titles and loaded.count(HDC) == 2 and loaded.count("grand-chatellerault") == 1
    )
    images = project / "territoires" / "grand-chatellerault" / "images"
    images.mkdir(exist_ok=True)
    (images / "photo.png").write_bytes(b"\x89PNG une image")
    loader.load_site(project)
    (images / "photo.png").write_bytes(b"\x89PNG une autre image")  # same name, other bytes
    loader.load_site(project)
    assert loaded.count("grand-chatellerault") == 3 and loaded.count(HDC) == 2


def test_the_preview_collects_its_garbage_between_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    """During a rebuild only Python's full collections wait (half a second each for what a
    national preview keeps); one runs once the build is over, unless another build started."""
    import gc
    import time

    from tisite import memo

    collected: list[float] = []
    monkeypatch.setattr(memo.gc, "collect", lambda *args: collected.append(time.monotonic()))
    before = gc.get_threshold()
    idle = memo.IdleCollection(delay=0.05)
    idle.building()
    try:
        assert gc.get_threshold() == (before[0], before[1], memo.IdleCollection._NEVER)
        idle.building()  # a second start (a failed build never said it ended) changes nothing
    finally:
        idle.idle()
    assert gc.get_threshold() == before
    deadline = time.monotonic() + 20
    while not collected:  # the collection after the build (a state, not a time)
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert len(collected) == 1
    # A build that starts before the collection cancels it; a late one does nothing.
    idle = memo.IdleCollection(delay=3600)
    idle.idle()
    late = idle._build
    idle.building()
    try:
        idle._collect(late)
        assert len(collected) == 1
        # Control: the same call with no build under way collects.
        idle._threshold, saved = None, idle._threshold
        idle._collect(idle._build)
        assert len(collected) == 2
        idle._threshold = saved
    finally:
        idle.idle()
        assert idle._timer is not None
        idle._timer.cancel()
    assert gc.get_threshold() == before


@pytest.mark.lent
@pytest.mark.parametrize("command", ["serve", "build"])
def test_the_preview_holds_one_build_between_saves(
    tmp_path: Path, fresh_memos: None, command: str
) -> None:
    """Once a preview's build is over, the memos hold only what it used: the fiche action's
    former text, parsed by the build before, is not kept while the preview waits for the next
    save. Control: an engine's ``build`` command (not the preview) keeps it until a build
    starts, as before."""
    from test_page_cache import _preview_build

    project = copy_project(tmp_path / "projet")
    _write(project, OLD_BODY, OLD_TITLE)
    _preview_build(project, "apercu", command, dirty=command == "serve")
    _write(project, NEW_BODY, NEW_TITLE)
    _preview_build(project, "apercu", command, dirty=command == "serve")
    held = [text for text in yamlio._LOADED._previous if OLD_TITLE in str(text)]
    assert bool(held) == (command == "build"), held
    assert any(NEW_TITLE in str(text) for text in yamlio._LOADED._current)


def test_a_ti_process_collects_young_garbage_less_often() -> None:
    """``ti`` (every command) starts a collection of the young objects every 10,000
    allocations instead of Python's 700, keeping the older generations' settings (the preview
    reads them, above). What it saves is measured by `make bench`, never here."""
    import gc

    from tisite import memo
    from tisite.cli import commands

    saved = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)  # Python's default
        assert commands.main(["--help"]) == 0
        assert gc.get_threshold() == (memo.YOUNG_COLLECTIONS_EVERY, 10, 10)
    finally:
        gc.set_threshold(*saved)
