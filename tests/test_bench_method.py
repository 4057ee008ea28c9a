"""The benchmark's method (scripts/bench.py): interleaved runs reported by their median, CPU and
memory of the whole process tree. Fast: no build, a few small Python processes."""

from __future__ import annotations

import sys
from pathlib import Path

import bench
import pytest

# A command whose child allocates 60 MB and starts a grandchild that allocates 100 MB and burns
# 0.5 s of CPU while both hold their memory (the grandchild is reaped by the child).
GRANDPARENT = """
import subprocess, sys
held = b"x" * (60 * 1024 * 1024)
subprocess.run([sys.executable, "-c", sys.argv[1]], check=True)
"""
GRANDCHILD = """
import time
held = b"y" * (100 * 1024 * 1024)
while time.process_time() < 0.5:
    pass
"""


def test_cpu_and_memory_are_those_of_the_whole_tree(tmp_path: Path) -> None:
    measured = bench.run([sys.executable, "-c", GRANDPARENT, GRANDCHILD], cwd=tmp_path)
    # the grandchild's CPU is counted (it was reaped by its parent, then the parent by us)
    assert measured.cpu >= 0.5, measured
    # both processes' memory at once: more than the largest single process (~110 MB), which
    # is all that ru_maxrss, the former measure, could report
    assert measured.peak_mb >= 150, measured
    assert measured.wall >= 0.5, measured


def test_without_sampling_the_tree_only_the_largest_process_is_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: the sampling of the tree is what sees both processes at once."""
    sampling = "peak = max(peak, sum(rss_kib(p) for p in tree(pid)))"
    assert sampling in bench.MEASURE
    monkeypatch.setattr(bench, "MEASURE", bench.MEASURE.replace(sampling, "pass"))
    measured = bench.run([sys.executable, "-c", GRANDPARENT, GRANDCHILD], cwd=tmp_path)
    assert 100 <= measured.peak_mb < 150, measured


def test_rows_run_in_turn_and_report_the_median() -> None:
    calls: list[str] = []
    walls = {"ours": iter([1.0, 5.0, 2.0]), "base": iter([3.0, 3.5, 4.0])}

    def step(name: str) -> bench.Run:
        calls.append(name)
        return bench.Run(next(walls[name]), 1.0, 10.0, f"journal {len(calls)}")

    got = bench.interleaved({"ours": lambda: step("ours"), "base": lambda: step("base")}, 3)
    assert calls == ["ours", "base"] * 3
    ours = got["ours"]
    assert ours.wall == 2.0  # the median, not the best (1.0)
    assert ours.cell("wall") == "2.0 [1.0–5.0]"
    assert ours.log == "journal 5"  # the median run's log (third round)
    assert bench.ratios(ours, got["base"]) == "0.57 | 1.00"


def test_a_failing_command_stops_the_benchmark(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="échec de"):
        bench.run([sys.executable, "-c", "raise SystemExit(3)"], cwd=tmp_path)


def test_without_the_children_s_usage_the_cpu_is_not_seen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Negative control: the CPU comes from the reaped descendants (RUSAGE_CHILDREN)."""
    assert bench.MEASURE.count("RUSAGE_CHILDREN") == 2
    monkeypatch.setattr(bench, "MEASURE", bench.MEASURE.replace("RUSAGE_CHILDREN", "RUSAGE_SELF"))
    measured = bench.run([sys.executable, "-c", GRANDPARENT, GRANDCHILD], cwd=tmp_path)
    assert measured.cpu < 0.5, measured


# What our fake build finds in its folder: for « images en cache », the cards' cache alone
# (a cold build without drawing a card); with nothing changed, everything the former built.
CARDS_ONLY = [".cache", ".cache/images-partage"]
EVERYTHING = [
    ".cache",
    "site",
    *(f".cache/{p}" for p in ("courriels", "html", "images-partage", "pages")),
]


def _fake_builds(monkeypatch: pytest.MonkeyPatch, ours: Path) -> list[tuple[str, list[str]]]:
    """``bench.run`` replaced by a build that notes which outputs its folder holds when it
    starts, then writes a site/ (and, for ours, a .cache/)."""
    seen: list[tuple[str, list[str]]] = []

    def fake_run(*commands: list[str], cwd: Path, env: object = None) -> bench.Run:
        outputs = sorted(p.name for p in cwd.iterdir() if p.name in ("site", ".cache"))
        if (cwd / ".cache").is_dir():  # and what .cache/ holds (« .cache/images-partage »)
            outputs += sorted(f".cache/{p.name}" for p in (cwd / ".cache").iterdir())
        seen.append((cwd.name, outputs))
        (cwd / "site").mkdir(exist_ok=True)
        if cwd == ours:
            for part in ("images-partage", "html", "courriels", "pages"):
                (cwd / ".cache" / part).mkdir(parents=True, exist_ok=True)
        return bench.Run(1.0, 1.0, 1.0, "")

    monkeypatch.setattr(bench, "run", fake_run)
    return seen


def test_compared_builds_start_without_the_former_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ours cold starts as in a fresh clone (no site/, no .cache/), images cached with the
    cards' cache alone (no former site/), the baselines without their site/; « sans
    changement » keeps the site it measures. Set aside by a rename, deleted only when the
    rows are measured."""
    root = tmp_path / "ti"
    plain_roots = {k: tmp_path / k for k in ("plain", "plain_pagefind", "same", "same_pagefind")}
    for folder in (root, *plain_roots.values()):
        (folder / "site").mkdir(parents=True)
        (folder / "site" / "index.html").write_text("ancien", encoding="utf-8")
    (root / ".cache").mkdir()
    seen = _fake_builds(monkeypatch, root)
    work = tmp_path / "travail"
    work.mkdir()
    aside = bench.Aside(work)
    bench.interleaved(bench.size_steps(root, plain_roots, aside), 2)
    one_round = [
        ("ti", []),  # cold
        ("plain", []),
        ("ti", CARDS_ONLY),  # images cached: all but the cards made again, into an empty site/
        ("plain_pagefind", []),
        ("ti", EVERYTHING),  # nothing changed: the former site is what it keeps
        ("same", []),
        ("same_pagefind", []),
    ]
    assert seen == one_round * 2
    kept = [p for p in aside.folder.rglob("index.html")]
    assert len(kept) == 5  # the first site of each folder, not deleted before the rows end
    aside.empty()
    assert not aside.folder.exists()


def test_the_letters_comparison_sets_the_same_outputs_aside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, blog, blog_pagefind = tmp_path / "lettres", tmp_path / "blog", tmp_path / "blogpf"
    for folder in (root, blog, blog_pagefind):
        (folder / "site").mkdir(parents=True)
    seen = _fake_builds(monkeypatch, root)
    letters: list[int] = []
    aside = bench.Aside(tmp_path)
    steps = bench.letter_steps(root, blog, blog_pagefind, lambda: letters.append(1), aside)
    bench.interleaved(steps, 2)
    one_round = [
        ("lettres", []),  # cold
        ("blog", []),
        ("lettres", CARDS_ONLY),  # images cached
        ("lettres", EVERYTHING),  # nothing changed
        ("lettres", EVERYTHING),  # after a new letter: the former build kept
        ("blogpf", []),
    ]
    assert seen == one_round * 2
    assert letters == [1, 1]
