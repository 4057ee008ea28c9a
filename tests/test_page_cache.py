"""The page cache (.cache/pages): a rebuild serves unchanged fiches and letters from the cache,
writes exactly the site a full render writes, and still reports every broken link or anchor."""

from __future__ import annotations

import filecmp
import json
import re
import shutil
from pathlib import Path

import pytest
from prune_check import aged, pruned_after_a_build

from conftest import built_copy, copy_project, ti_inprocess
from pagefind_index import indexed_pages
from tisite import pipeline
from tisite.build import SiteBuild

HDC = "hainaut-douaisis-cambresis"
LETTRES = f"territoires/{HDC}/lettres"
LEAVES = 12  # fiches actions and letters of the example


def build(project: Path, site: str, *options: str) -> str:
    result = ti_inprocess("build", "--site-dir", str(project / site), *options, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def served(log: str) -> int:
    found = re.search(r"Pages en cache : (\d+) reprises?, (\d+) enregistrée", log)
    assert found, log
    return int(found.group(1))


def different_files(a: Path, b: Path) -> list[str]:
    """Files that differ between two built sites. Pagefind numbers pages in the order its
    threads read them: its files are compared by what they hold, page by page."""

    def files(site: Path) -> list[str]:
        paths = (p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
        return sorted(p for p in paths if not p.startswith("pagefind/"))

    files_a = files(a)
    assert files_a == files(b)
    different = [f for f in files_a if not filecmp.cmp(a / f, b / f, shallow=False)]
    if indexed_pages(a) != indexed_pages(b):
        different.append("pagefind/")
    return different


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.mark.lent
def test_rebuild_serves_leaves_from_cache_with_identical_output(project: Path) -> None:
    first = build(project, "site-1")
    assert served(first) == 0
    assert len(list((project / ".cache" / "pages").glob("*.json"))) == LEAVES
    second = build(project, "site-2")
    assert served(second) == LEAVES
    # Every file, sitemap included, is byte for byte the full render's; the same search index.
    assert different_files(project / "site-1", project / "site-2") == []
    assert f"/{HDC}/lettres/14/" in indexed_pages(project / "site-2")  # cached, and searchable
    # Without the cache, the same site again, and nothing served from the cache.
    third = build(project, "site-3", "--sans-cache")
    assert served(third) == 0
    assert different_files(project / "site-1", project / "site-3") == []


@pytest.mark.lent
def test_changed_letter_is_rendered_again(built_site: Path, tmp_path: Path) -> None:
    project = built_copy(built_site, tmp_path / "projet")  # built once: its cache is full
    append(
        project / LETTRES / "14.md", "\n## Dernière minute\n\nUn atelier s'ajoute au programme.\n"
    )
    log = build(project, "site")
    assert served(log) == LEAVES - 1
    page = (project / f"site/{HDC}/lettres/14/index.html").read_text("utf-8")
    assert "Un atelier s'ajoute au programme." in page
    index = indexed_pages(project / "site")[f"/{HDC}/lettres/14/"]["content"]
    assert "Un atelier s'ajoute au programme." in index
    # The site is the one a build without cache writes.
    build(project, "site-plein", "--sans-cache")
    assert different_files(project / "site", project / "site-plein") == []


@pytest.mark.lent
def test_draft_is_never_served_from_cache(built_site: Path, tmp_path: Path) -> None:
    project = built_copy(built_site, tmp_path / "projet")  # built once: its cache is full
    letter = project / LETTRES / "15.md"
    text = letter.read_text(encoding="utf-8")
    letter.write_text(text.replace("---\n", "---\nbrouillon: true\n", 1), encoding="utf-8")
    (project / "urls-publiees.txt").unlink()
    build(project, "site")
    assert not (project / f"site/{HDC}/lettres/15").exists()
    assert f"/{HDC}/lettres/15/" not in indexed_pages(project / "site")


@pytest.mark.lent
def test_cached_page_whose_link_target_disappears_fails_the_build(project: Path) -> None:
    append(
        project / LETTRES / "14.md",
        "\nVoir [la fiche](../../plan-action/communication/index.md).\n",
    )
    build(project, "site")
    (project / f"territoires/{HDC}/actions/communication.md").unlink()
    (project / "urls-publiees.txt").unlink()
    result = ti_inprocess("build", cwd=project)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    # named by its source file and line, in French
    assert f"territoires/{HDC}/lettres/14.md:" in out and "la page ou le fichier visé" in out
    assert "plan-action/communication/index.md" in out


@pytest.mark.lent
def test_cached_page_whose_anchor_disappears_fails_the_build(project: Path) -> None:
    append(
        project / LETTRES / "14.md", "\nVoir [la boîte à outils](../15/index.md#boite-a-outils).\n"
    )
    log = build(project, "site")
    assert served(log) == 0
    # Letter 15 loses its heading; letter 14 is unchanged, so it is served from the cache, and
    # MkDocs still checks its anchor link against the new letter 15.
    letter = project / LETTRES / "15.md"
    text = letter.read_text(encoding="utf-8")
    letter.write_text(text.replace("## Boîte à outils", "## Ressources"), encoding="utf-8")
    result = ti_inprocess("build", cwd=project)
    out = result.stdout + result.stderr
    assert result.returncode != 0, out
    assert "#boite-a-outils" in out
    assert f"territoires/{HDC}/lettres/14.md:" in out


@pytest.mark.lent
def test_warning_build_stores_nothing(project: Path) -> None:
    append(project / LETTRES / "14.md", "\nVoir [une page absente](../../absente/index.md).\n")
    result = ti_inprocess("build", cwd=project)
    assert result.returncode != 0
    assert not list((project / ".cache" / "pages").glob("*.json"))


# Two builds in one process, as `ti serve` rebuilds: the theme and an email template are edited
# between them. ``control`` switches the per-build refresh off (negative control).
def _two_builds(
    project: Path, control: bool, monkeypatch: pytest.MonkeyPatch
) -> tuple[list[Path], list[Path]]:
    from tisite import pipeline
    from tisite.publish import diskcache, publishing

    with monkeypatch.context() as patch:
        # the code and templates of the copy are the build's (as its hooks/ on PYTHONPATH)
        code = project / "hooks" / "tisite"
        patch.setattr(diskcache, "__file__", str(code / "publish" / "diskcache.py"))
        patch.setattr(publishing, "TEMPLATES", code / "templates" / "email")
        if control:
            patch.setattr(diskcache, "new_build", lambda: None)
            patch.setattr(publishing, "new_build", lambda: None)
        pipeline.build(project, project / "site-1")
        footer = code / "templates/theme/partials/copyright.html"
        footer.write_text(footer.read_text("utf-8").replace("Site généré", "Site modifié"), "utf-8")
        email = code / "templates/email/lettre.txt.j2"
        email.write_text(email.read_text("utf-8") + "Pied modifié\n", "utf-8")
        pipeline.build(project, project / "site-2")
    diskcache.new_build()  # what the control kept is forgotten
    publishing.new_build()
    site = project / "site-2"
    pages = [p for p in site.rglob("index.html") if "Site généré" in p.read_text("utf-8")]
    emails = [p for p in site.rglob("email.txt") if "Pied modifié" not in p.read_text("utf-8")]
    return pages, emails


@pytest.mark.lent
def test_a_rebuild_in_the_same_process_sees_edited_templates(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale_pages, stale_emails = _two_builds(project, False, monkeypatch)
    assert stale_pages == [] and stale_emails == []
    assert len(list((project / "site-2").rglob("email.txt"))) >= 2
    # Control: the code read once per process, the cached pages and emails are stale.
    again = project.parent / "controle"
    copy_project(again)
    stale_pages, stale_emails = _two_builds(again, True, monkeypatch)
    assert len(stale_pages) >= LEAVES and len(stale_emails) >= 2


def _edit_file(path: Path, added: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + added, encoding="utf-8")


def test_the_code_in_a_cache_key_is_the_code_that_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A module saved while a process runs (``ti serve``) is not the code that runs: Python does
    not import it again. The keys keep the code the process loaded (what it makes is stored
    under the former code's key, never the new one's); templates and styles, read by every
    build, change the keys at the next build. A new process takes the module as saved."""
    from tisite.publish import diskcache

    package = tmp_path / "tisite"
    shutil.copytree(
        Path(diskcache.__file__).parents[1], package, ignore=shutil.ignore_patterns("__pycache__")
    )
    try:
        with monkeypatch.context() as patch:
            patch.setattr(diskcache, "__file__", str(package / "publish" / "diskcache.py"))
            diskcache.forget_loaded()  # a new process
            diskcache.new_build()
            loaded, code = diskcache.loaded_digest(), diskcache.code_digest()
            assert diskcache.loaded_files_changed() == []
            _edit_file(package / "publish" / "social.py", "\nBLUE = (0, 0, 120)\n")
            _edit_file(package / "data" / "epci-reference.json", " ")
            diskcache.new_build()  # the next build of the same process
            assert (diskcache.loaded_digest(), diskcache.code_digest()) == (loaded, code)
            # what the preview is told when it starts watching (saved during its first build)
            changed = ["data/epci-reference.json", "publish/social.py"]
            assert diskcache.loaded_files_changed() == changed
            _edit_file(package / "templates" / "pages" / "action.html.j2", "{# modifié #}\n")
            diskcache.new_build()
            assert diskcache.loaded_digest() == loaded and diskcache.code_digest() != code
            after_template = diskcache.code_digest()
            diskcache.forget_loaded()  # a new process: the module as saved
            diskcache.new_build()
            assert diskcache.loaded_digest() != loaded
            assert diskcache.code_digest() not in (code, after_template)
    finally:
        diskcache.forget_loaded()
        diskcache.new_build()


# The adapter and the engine shape every page: a cache keyed without them serves stale pages.
ADAPTER = "hooks/mkdocs_hooks.py"
ADAPTER_KEY = '        "adaptateur": ADAPTER_DIGEST,\n'
ENGINE_KEY = '        "moteur": f"{ENGINE} {mkdocs.__version__}",\n'


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def _pages_without(site: Path, text: str) -> list[str]:
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("index.html")
        if "http-equiv" in (html := p.read_text("utf-8")) and text not in html
    )


def _adapter_edited_between_builds(project: Path, built: bool = False) -> list[str]:
    """``built``: the project was built already (a copy of the shared built example)."""
    from conftest import build_site

    if not built:
        build_site(project)
    assert len(list((project / ".cache" / "pages").glob("*.json"))) == LEAVES
    # the adapter (not the core) changes what it returns for every page; the engine loads a
    # hooks file once per process: the next build is as a new process's
    from mkdocs.config.config_options import Hooks

    Hooks._load_hook.cache_clear()
    _edit(
        project / ADAPTER,
        "self.content = self.ready.html if",
        'self.content = self.ready.html + "<p>ADAPT-2</p>" if',
    )
    return _pages_without(build_site(project), "ADAPT-2")


@pytest.mark.lent
def test_an_edited_adapter_renders_every_page_again(built_site: Path, tmp_path: Path) -> None:
    project = built_copy(built_site, tmp_path / "projet")
    assert _adapter_edited_between_builds(project, built=True) == []
    # Control: without the adapter in the key, the cached leaves keep the former output.
    control = copy_project(project.parent / "controle")
    _edit(control / ADAPTER, ADAPTER_KEY, "")
    stale = _adapter_edited_between_builds(control)
    assert len(stale) == LEAVES, stale


# Switching engine (ProperDocs after MkDocs): test_engines.py, which starts ProperDocs.


def _prune_after_a_build(project: Path) -> tuple[bool, bool]:
    """(an unused old entry of .cache/html is still there, a used old one is still there),
    ``project`` built once already (a copy of the shared built example)."""
    unused = "0123456789abcdef0123456789abcdef.json"
    return pruned_after_a_build(project, "html", "*.json", unused, lambda: None)


@pytest.mark.lent
def test_pages_html_cache_keeps_what_builds_use_and_drops_the_rest(
    built_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _prune_after_a_build(built_copy(built_site, tmp_path / "projet")) == (False, True)
    # Control: entries read without being marked as used are dropped after 30 days too.
    from tisite.publish import diskcache

    monkeypatch.setattr(diskcache.os, "utime", lambda *args, **kwargs: None)
    again = built_copy(built_site, tmp_path / "controle")
    assert _prune_after_a_build(again) == (False, False)


@pytest.mark.lent
@pytest.mark.parametrize("pruned", [True, False])
def test_images_made_by_former_code_do_not_stay_for_ever(
    built_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pruned: bool
) -> None:
    """Share images and re-encoded images are named by their content and the code: every code
    change makes them all again. After a whole build, those it did not use and older than 30
    days go; those it used stay, however old. Control (``pruned`` False): without the
    pruning, the former ones stay."""
    from conftest import build_site
    from tisite import pipeline

    if not pruned:
        monkeypatch.setattr(pipeline, "prune_unused", lambda *args, **kwargs: 0)
    project = built_copy(built_site, tmp_path / "projet")
    kinds = {"images-partage": ".png", "images": ""}
    used, former = [], []
    for folder, suffix in kinds.items():
        entries = sorted((project / ".cache" / folder).iterdir())
        assert entries, folder
        used += entries
        stale = project / ".cache" / folder / f"{'0' * 20}{suffix}"
        stale.write_bytes(b"image d'un code d'avant")
        former.append(stale)
    for path in used + former:
        aged(path)
    build_site(project)
    assert all(p.exists() for p in used)
    assert [p.exists() for p in former] == [not pruned] * 2


def test_a_ready_page_is_kept_whole() -> None:
    """Every field of a page's finished HTML goes into the cache and comes back the same (a
    field added later and forgotten by as_json fails here)."""
    import dataclasses

    from tisite.generate.convert import Link
    from tisite.generate.pagehtml import Ready

    toc = [{"level": 2, "id": "a", "name": "A", "children": [{"level": 3, "id": "b"}]}]
    page = Ready("<p>x</p>", {"title": "T"}, toc, ("a", "b"), (Link("x.md", "page", "x/"),), False)
    kept = page.as_json()
    assert set(kept) == {f.name for f in dataclasses.fields(Ready)}
    assert Ready.from_json(json.loads(json.dumps(kept))) == page


def _preview_build(project: Path, site: str, command: str, dirty: bool = False) -> str:
    """A build by the engine as its ``serve`` (``command="serve"``: the preview) or ``build``
    command starts it, in this process; returns its log. ``dirty``: as ``ti serve`` runs it
    (into a folder kept between rebuilds, see tisite.publish.served). The hooks are put back
    as a build's."""
    import logging

    from mkdocs.commands.build import build as engine_build
    from mkdocs.config import load_config

    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / site))
    try:
        config.plugins.on_startup(command=command, dirty=dirty)
        engine_build(config, dirty=dirty)
        for catching in pipeline._catching:  # the preview's search index, let finish
            catching.thread.join(60)
            assert not catching.thread.is_alive(), "Pagefind ne s'est pas arrêté en 60 s"
    finally:
        config.plugins.on_startup(command="build", dirty=False)
        config.plugins.on_shutdown()  # the preview's search index, if still being made
        logger.removeHandler(handler)
        logger.setLevel(level)
    return "\n".join(lines)


@pytest.mark.lent
@pytest.mark.parametrize("command", ["serve", "build"])
def test_the_preview_serves_every_unchanged_page_from_cache(project: Path, command: str) -> None:
    """The preview builds again after each save: every generated page whose inputs did not
    change is served from the page cache, not only the fiches and letters, and the pages are
    those of a full render; an edited territory's pages are rendered again. Control: a build
    for publication (``build``) caches the leaves only."""
    _preview_build(project, "site-1", command)
    log = _preview_build(project, "site-2", command)
    generated = len(SiteBuild.load(project).pages)
    assert served(log) == (generated if command == "serve" else LEAVES)
    # the pages are the full render's (the preview's search index comes later: not compared)
    for site in ("site-1", "site-2"):
        shutil.rmtree(project / site / "pagefind", ignore_errors=True)
    assert different_files(project / "site-1", project / "site-2") == []
    if command == "build":
        return
    # the body of one fiche action: its page alone goes through the theme again
    append(project / "territoires" / HDC / "actions" / "communication.md", "\nPhrase témoin.\n")
    log = _preview_build(project, "site-3", command)
    page = project / "site-3" / HDC / "plan-action" / "communication" / "index.html"
    assert "Phrase témoin." in page.read_text("utf-8") and served(log) == generated - 1
