"""The suite tests the tool, not the live site: test projects are the frozen example of
tests/fixtures/exemple (settings, pages, territories) plus the project's code (hooks/), so that
a territory's fork that follows the guide (« Faire du site celui de votre territoire ») keeps a
green suite. conftest.py fails any test that reads the live settings or content."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import synthetic
from conftest import ROOT, TI, copy_project, live_reads, reading_live_project, run_ti, ti_inprocess
from synthetic import FIXTURE, write_project

HDC = "territoires/hainaut-douaisis-cambresis"
LIVE = ("mkdocs.yml", "site.yml", "urls-publiees.txt", "docs", "territoires")


def live_paths(paths: list[str]) -> set[str]:
    """The entries of the live project among ``paths`` (relative to the project)."""
    return {Path(p).relative_to(ROOT).parts[0] for p in paths}


def test_test_projects_come_from_the_fixture_and_the_code_only(tmp_path: Path) -> None:
    copy_project(tmp_path / "exemple")
    write_project(tmp_path / "synthetique", 1, actions=1, letters=1)
    assert not live_reads, live_reads
    for name in LIVE:
        assert (tmp_path / "exemple" / name).exists(), name
        assert (FIXTURE / name).exists(), name
    with pytest.raises(ValueError, match="ni du code"):  # nothing else can be copied
        synthetic.copy_entries(tmp_path / "autre", ("README.md",))


def test_the_guard_sees_a_copy_of_the_live_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: with the old copy (settings and docs/ from the project root), the
    audit hook of conftest.py records the reads that would fail the test."""
    old_content = ("site.yml", "territoires", "urls-publiees.txt")
    monkeypatch.setattr(
        synthetic, "source", lambda name: (FIXTURE if name in old_content else ROOT) / name
    )
    with reading_live_project():  # what the guard would report at the end of the test
        copy_project(tmp_path / "exemple")
        write_project(tmp_path / "synthetique", 1, actions=1, letters=1)
        seen = live_paths(live_reads)
    assert seen == {"mkdocs.yml", "docs"}, seen
    with reading_live_project():
        (ROOT / "site.yml").read_text(encoding="utf-8")
        list((ROOT / "territoires").iterdir())
        seen = live_paths(live_reads)
    assert seen == {"site.yml", "territoires"}


def _fork(dest: Path) -> Path:
    """A copy of the project (as a clone has it) that follows the guide's steps to become a
    territory's own site."""
    ignored = shutil.ignore_patterns(
        ".git", ".venv", ".cache", "site", "site.old", ".site-*", "__pycache__", "*.egg-info",
        ".pytest_cache", ".ruff_cache", ".mypy_cache", ".hypothesis", "test-artifacts",
    )  # fmt: skip
    with reading_live_project():
        shutil.copytree(ROOT, dest, ignore=ignored)
    removed = ti_inprocess("retirer-exemples", cwd=dest)
    assert removed.returncode == 0, removed.stderr
    created = ti_inprocess(
        "nouveau-territoire", "lacq-pau-tarbes", "--nom", "Lacq-Pau-Tarbes",
        "--epci", "200039204", "--epci", "tarbes lourdes", cwd=dest,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    site = dest / "site.yml"
    text = site.read_text(encoding="utf-8")
    text = text.replace("titre: Territoires d'industrie", "titre: Industrie Lacq-Pau-Tarbes")
    site.write_text(text.replace("demonstration: true", "demonstration: false"), "utf-8")
    from PIL import Image

    Image.new("RGB", (96, 96), "#c9191e").save(dest / "docs" / "logo.png")
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "site_url: https://territoires-industrie.example.org/" in text
    text = text.replace(
        "site_url: https://territoires-industrie.example.org/",
        "site_url: https://industrie.lacq-pau-tarbes.fr/",
    )
    config.write_text(text.replace("theme:\n", "theme:\n  logo: logo.png\n", 1), "utf-8")
    page = dest / "docs" / "programme.md"
    page.write_text(page.read_text("utf-8").replace("# Le programme", "# Notre programme"), "utf-8")
    return dest


# Tests that read the example's territories, addresses, title, site_url and docs/ pages.
KEY_TESTS = [
    "tests/test_render.py",
    "tests/test_urls.py",
    "tests/test_links.py",
    "tests/test_sharing.py::test_every_page_has_one_complete_set_of_open_graph_tags",
    "tests/test_sharing.py::test_sitemap_and_robots",
    "tests/test_dates.py::test_without_history_a_page_has_no_date_rather_than_a_false_one",
]


# For the negative control, one test of each kind among them (a page, the sitemap): enough to
# show the guard is what keeps them green, without building every example page again.
CONTROL_TESTS = [
    "tests/test_render.py::test_the_agenda_page_says_what_each_entry_is_about",
    "tests/test_sharing.py::test_sitemap_and_robots",
]


def _run_suite(fork: Path, tests: list[str] = KEY_TESTS) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(fork / "hooks"), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests],
        cwd=fork,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.lent
@pytest.mark.processus
def test_a_territory_fork_that_follows_the_guide_keeps_a_green_suite(tmp_path: Path) -> None:
    fork = _fork(tmp_path / "fork")
    checked = ti_inprocess("check", cwd=fork)  # a real, valid territory's site
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Lacq-Pau-Tarbes" in checked.stdout
    result = _run_suite(fork)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    # Negative control: the same tests on projects copied from the fork's own settings and
    # content (FIXTURE = the project root, the guard off) fail.
    synthetic_py = fork / "scripts" / "synthetic.py"
    text = synthetic_py.read_text(encoding="utf-8")
    line = 'FIXTURE = ROOT / "tests" / "fixtures" / "exemple"'
    assert line in text
    synthetic_py.write_text(text.replace(line, "FIXTURE = ROOT"), encoding="utf-8")
    conftest_py = fork / "tests" / "conftest.py"
    text = conftest_py.read_text(encoding="utf-8")
    assert "\nsys.addaudithook(_audit)\n" in text
    conftest_py.write_text(text.replace("\nsys.addaudithook(_audit)\n", "\n"), "utf-8")
    assert all(t in KEY_TESTS or t.split("::")[0] in KEY_TESTS for t in CONTROL_TESTS)
    control = _run_suite(fork, CONTROL_TESTS)
    assert control.returncode == 1, control.stdout[-3000:]
    for test in CONTROL_TESTS:
        assert f"FAILED {test}" in control.stdout, control.stdout[-3000:]


@pytest.mark.lent
@pytest.mark.processus
def test_ti_inprocess_says_what_the_ti_process_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tests' in-process `ti` (conftest.ti_inprocess) prints and returns what the command
    does in a process of its own, and leaves no logging handler or build setting behind.
    `ti build` in a process of its own, with its engine's process, shows no English noise
    nor MkDocs 2 banner, and broken content fails without writing a site."""
    import logging

    from tisite import settings

    projects = [copy_project(tmp_path / name) for name in ("ici", "processus")]
    for project in projects:
        letter = project / "territoires/hainaut-douaisis-cambresis/lettres/14.md"
        letter.write_text(
            letter.read_text(encoding="utf-8")
            + "\nVoir [la fiche](../../plan-action/absente.md).\n",
            encoding="utf-8",
        )
    handlers = list(logging.getLogger("mkdocs").handlers)
    here = ti_inprocess("build", "--brouillons", cwd=projects[0])
    assert logging.getLogger("mkdocs").handlers == handlers
    assert settings._given == {}
    there = run_ti("build", "--brouillons", cwd=projects[1])
    assert (here.returncode, here.stdout) == (there.returncode, there.stdout) == (1, "")
    timing = re.compile(r" en \d+,\d s\.$", re.M)  # Pagefind's time
    assert timing.sub("", here.stderr) == timing.sub("", there.stderr), here.stderr
    assert "lettres/14.md" in here.stderr and "Échec de la construction" in here.stderr
    again = ti_inprocess("build", "--brouillons", cwd=projects[0])  # MkDocs drops repeats
    assert "lettres/14.md" in again.stderr, again.stderr
    # a crash of the engine: the same French message, no traceback
    import mkdocs.commands.build

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("panne simulée")

    monkeypatch.setattr(mkdocs.commands.build, "build", crash)
    letter = projects[0] / "territoires/hainaut-douaisis-cambresis/lettres/14.md"
    text = letter.read_text(encoding="utf-8")  # valid content: the engine runs, and crashes
    letter.write_text(
        text.replace("\nVoir [la fiche](../../plan-action/absente.md).\n", ""), "utf-8"
    )
    crashed = ti_inprocess("build", cwd=projects[0])
    assert crashed.returncode == 1
    assert "erreur interne : RuntimeError: panne simulée" in crashed.stderr, crashed.stderr
    assert "Traceback" not in crashed.stderr
    # `ti build`, its own process and its engine's: no English noise, no MkDocs 2 banner
    project = projects[1]
    letter = project / "territoires/hainaut-douaisis-cambresis/lettres/14.md"
    letter.write_text(
        text.replace("\nVoir [la fiche](../../plan-action/absente.md).\n", ""), "utf-8"
    )
    env = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"}
    ok = subprocess.run(
        [*TI, "--racine", str(project), "build"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    output = ok.stdout + ok.stderr
    assert ok.returncode == 0, output
    for english in ("Cleaning site directory", "Building documentation", "end of life", '"nav"'):
        assert english not in output, output
    # broken content: the process fails without writing a site, the previous one is kept
    marker = (project / "site" / "index.html").read_text(encoding="utf-8")
    path = project / HDC / "territoire.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("part: 19.5", "part: dix-neuf"))
    failed = run_ti("build", cwd=project)
    assert failed.returncode != 0
    output = failed.stdout + failed.stderr
    assert (
        f"{HDC}/territoire.yml:39: champ « emploi_industriel.part » : doit être un nombre, sans "
        "espace ni unité (reçu « dix-neuf »)"
    ) in output
    assert "Traceback" not in output
    assert "le site précédent est conservé" in output
    assert (project / "site" / "index.html").read_text(encoding="utf-8") == marker
    assert not list(project.glob(".site-*"))


# --- the tests call the pipeline in this process; at most 10 start a `ti` process ------------


def process_tests() -> list[str]:
    """The test functions marked « processus » (on the function or its whole module) and the
    fixtures of conftest.starts_ti, read from the source of tests/test_*.py: the only ones
    allowed to start a `ti` process."""
    import ast

    def marked(decorators: list[ast.expr]) -> bool:
        return any("mark.processus" in ast.unparse(d) for d in decorators)

    found = []
    for path in sorted((ROOT / "tests").glob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = any(
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)
            and "mark.processus" in ast.unparse(node.value)
            for node in tree.body
        )
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            test = node.name.startswith("test_") and (module or marked(node.decorator_list))
            shared = any(ast.unparse(d) == "starts_ti" for d in node.decorator_list)
            if test or shared:  # a fixture of starts_ti: one process for its tests
                found.append(f"{path.name}::{node.name}")
    return found


def test_at_most_ten_tests_start_a_ti_process() -> None:
    from conftest import MAX_PROCESS_TESTS

    found = process_tests()
    assert 0 < len(found) <= MAX_PROCESS_TESTS, "\n".join(found)


def test_a_test_that_starts_ti_without_the_marker_fails() -> None:
    """Negative control of conftest._no_ti_process: this test (not marked) cannot start `ti`,
    an engine, the bench or pytest; other programs still run."""
    from conftest import spawns_ti

    for command in (
        [sys.executable, "-m", "tisite.cli.commands", "--version"],
        [sys.executable, "-m", "mkdocs", "--version"],
        [sys.executable, "-c", "import tisite"],
        [sys.executable, "scripts/bench.py", "--aide"],
        [sys.executable, "-m", "pytest", "--version"],
    ):
        assert spawns_ti(command), command
        with pytest.raises(AssertionError, match="marquez le test « processus »"):
            subprocess.run(command, cwd=ROOT, capture_output=True, check=False)
    for command in (["git", "-C", "/tmp/pytest-of-x/test_mkdocs0", "status"], ["true"]):
        assert not spawns_ti(command), command
    assert subprocess.run(["true"], check=False).returncode == 0
