"""Benchmark (``make bench``): our build against plain MkDocs + Material builds.

The search is measured too: size of the index on disk, bytes a visitor's browser downloads
(driven in Chromium against a local server) for a page view, a first query and four queries,
against Material's search on the plain site; and Pagefind's indexing time against the time
Material's search plugin adds to the same build.

For N synthetic territories (default 10, 60 and 183) it prints pages built, wall time, CPU
time, peak memory, mean HTML page size and site size, for our build (cold, then rebuilt with no
change; at the largest N, the one-territory preview, ti serve and the search too) and for
plain MkDocs + Material builds like for like:
ordinary Markdown pages at the same addresses, with the same navigation (regions → territories
→ sections, fiches and letters out of the tree) and the same theme settings, and plain
MkDocs + Material building the very pages our core generates (HTML under a YAML header, passed
through by Markdown; same extensions, same navigation, none of our hooks). Each baseline twice:
with Material's search plugin, and with ``plugins: []`` then Pagefind ``--site site`` (the
very Pagefind our build runs: 1.6 from npm when make installed it). Then a territory with
1,000 letters against Material's blog plugin on the same 1,000 posts. Figures, not pass/fail:
the targets are printed beside them.

Federation (issue 28): N bundles (default 183), one per source, served by one local server
(``python -m http.server``, which answers If-Modified-Since by 304) to a portal with no
territory of its own: the harvest alone with an empty cache, the harvest again with every
answer a 304, and the portal's ``ti build`` (its harvest included).

Method: every row runs ``--repetitions`` times (default 3), interleaved (ours, baseline, ours,
baseline…, so that the shared machine's slow moments fall on every row alike), and the median
is printed with the range [min–max], never the best. CPU is user + sys of the whole process
tree (every descendant reaped by its parent); memory is the peak of the sum of the resident
memory of the command and all its descendants, sampled every 50 ms (see ``MEASURE``). Ratios
are given for wall time and CPU time, against each baseline. The builds compared with the
baselines (ours cold and images cached, the baselines themselves) start without the former
site/, and a cold one without .cache/, as in a fresh clone: both sides skip replacing a former
site. Those outputs are set aside by a rename and deleted once the rows are measured
(``Aside``; the federation's cold harvest sets its cache aside alike); the preview, search
and « nouvelle lettre » timings keep their former outputs.

    python scripts/bench.py [--tailles 10,60,183] [--lettres 1000] [--federation 183]
                            [--repetitions 3] [--garder DOSSIER]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import bench_cartes
from bench_cartes import BEFORE
from synthetic import FIXTURE, LOREM, ROOT, write_letter, write_project
from tisite.publish import searchindex

PYTHON = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# Runs commands one after the other (argv[1]: a JSON list of argument lists) and prints, as
# the last line of its stderr, the JSON of: wall time, CPU time (user + sys) of the whole
# process tree, and the peak of the tree's total resident memory. CPU comes from
# getrusage(RUSAGE_CHILDREN): every descendant reaped by its parent is counted (a process left
# orphaned would not be). Memory: every ~50 ms the wrapper sums the RSS of the running command
# and all its descendants (/proc/<pid>/task/*/children, /proc/<pid>/statm); pages shared
# between processes count once per process. The largest single process (ru_maxrss) is a floor.
MEASURE = r"""
import json, os, resource, subprocess, sys, threading, time

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024


def tree(pid):
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            tasks = os.listdir(f"/proc/{p}/task")
        except OSError:
            continue
        for t in tasks:
            try:
                with open(f"/proc/{p}/task/{t}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
            except OSError:
                pass
    return found


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE_KIB
    except (OSError, IndexError, ValueError):
        return 0


peak = own = 0


def sample(pid, stop):
    global peak, own
    while True:
        peak = max(peak, sum(rss_kib(p) for p in tree(pid)))
        own = max(own, rss_kib(pid))  # the command's own process (ti: the engine runs in it)
        if stop.wait(0.05):
            return


before = resource.getrusage(resource.RUSAGE_CHILDREN)
start = time.perf_counter()
code = 0
for command in json.loads(sys.argv[1]):
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    stop = threading.Event()
    thread = threading.Thread(target=sample, args=(proc.pid, stop))
    thread.start()
    code = proc.wait()
    stop.set()
    thread.join()
    if code:
        break
wall = time.perf_counter() - start
after = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
peak = max(peak, after.ru_maxrss)
print(json.dumps({"wall": wall, "cpu": cpu, "peak_kib": peak, "own_kib": own}), file=sys.stderr)
sys.exit(code)
"""


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # seconds, user + sys of the whole process tree
    peak_mb: float  # peak of the tree's total resident memory
    log: str
    own_mb: float = 0.0  # peak resident memory of the command's own process


@dataclass
class Series:
    """The interleaved runs of one row: medians, with the range (min–max) beside them."""

    runs: list[Run]

    def median(self, attr: str) -> float:
        return float(statistics.median(getattr(r, attr) for r in self.runs))

    @property
    def wall(self) -> float:
        return self.median("wall")

    @property
    def cpu(self) -> float:
        return self.median("cpu")

    @property
    def peak_mb(self) -> float:
        return self.median("peak_mb")

    @property
    def own_mb(self) -> float:
        return self.median("own_mb")

    @property
    def log(self) -> str:
        """The log of the median run (by wall time)."""
        ranked = sorted(self.runs, key=lambda r: r.wall)
        return ranked[(len(ranked) - 1) // 2].log

    def cell(self, attr: str, digits: int = 1) -> str:
        """« 12.3 [11.9–13.0] »: median [min–max]."""
        values = [getattr(r, attr) for r in self.runs]
        median = statistics.median(values)
        if len(values) == 1:
            return f"{median:.{digits}f}"
        return f"{median:.{digits}f} [{min(values):.{digits}f}–{max(values):.{digits}f}]"


@dataclass
class Site:
    pages: int
    mean_kb: float
    size_mb: float


def run(*commands: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    result = subprocess.run(
        [PYTHON, "-c", MEASURE, json.dumps(commands)],
        cwd=cwd,
        env={**ENV, **(env or {})},
        capture_output=True,
        text=True,
    )
    lines = result.stderr.strip().splitlines()
    if result.returncode != 0:
        shown = " && ".join(" ".join(c) for c in commands)
        raise SystemExit(f"échec de {shown} dans {cwd} :\n{result.stderr[-3000:]}")
    figures = json.loads(lines[-1])
    return Run(
        figures["wall"],
        figures["cpu"],
        figures["peak_kib"] / 1024,
        "\n".join(lines[:-1]),
        figures["own_kib"] / 1024,
    )


def interleaved(steps: dict[str, Callable[[], Run]], repetitions: int) -> dict[str, Series]:
    """Each step once per round, in turn (ours, baseline, ours, baseline…), ``repetitions``
    rounds: the machine's slow moments fall on every row alike, not on one."""
    runs: dict[str, list[Run]] = {name: [] for name in steps}
    for _ in range(max(1, repetitions)):
        for name, step in steps.items():
            runs[name].append(step())
    return {name: Series(r) for name, r in runs.items()}


def as_repository(root: Path) -> Path:
    """The project as a territory keeps it: a git repository (the build reads the history for
    the dates of last change, and knows from it what changed), its outputs ignored."""
    (root / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "contenu"]):
        subprocess.run(["git", "-C", str(root), *identity, *args], check=True)
    return root


class Aside:
    """The outputs of a former build moved out of the way before a timed build, and deleted
    once the interleaved rows are measured (``empty``, then the file system synced). A rename
    costs nothing, whereas deleting thousands of files just before a build slows that build's
    own writes (on this machine, ext4 with ``discard``: a cold build at N = 60 in one process
    took 13.7 to 14.4 s of CPU in its main process after deleting the former .cache/ and site/,
    12.3 to 12.4 s after renaming them). Each build compared, ours and the baselines alike,
    starts as in a fresh clone: without the former ``site/``, and without ``.cache/`` when it
    is cold. Until ``empty``, the folder holds every output set aside (about 3 GB at N = 183
    with 3 repetitions): it is under the work folder, on the same disk as the outputs."""

    def __init__(self, work: Path) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="mis-de-cote-", dir=work))
        self.count = 0

    def __call__(self, *paths: Path) -> None:
        for path in paths:
            if path.exists():
                self.count += 1
                dest = self.folder / str(self.count)
                dest.mkdir()
                path.rename(dest / path.name)

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        os.sync()


def cold_build(root: Path, aside: Aside) -> Run:
    """A build with nothing cached, as in a fresh clone: .cache/ and site/ set aside first."""
    aside(root / ".cache", root / "site")
    return run(ti(root, "build"), cwd=root)


def pages_build(root: Path, aside: Aside) -> Run:
    """Everything made again but the share cards: the former site/ and every folder of
    .cache/ but the cards' (the finished HTML of the texts, email versions, calendars, pages,
    search) set aside, ``--sans-cache``. What the row « images en cache » names: the cold
    build without drawing a card."""
    cache = root / ".cache"
    parts = [p for p in cache.iterdir() if p.name != "images-partage"] if cache.is_dir() else []
    aside(root / "site", *parts)
    return run(ti(root, "build", "--sans-cache"), cwd=root)


def measure_site(site: Path) -> Site:
    pages = [p for p in site.rglob("*.html") if p.name == "index.html" or p.name == "404.html"]
    pages = [p for p in pages if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    mean = sum(p.stat().st_size for p in pages) / max(len(pages), 1)
    return Site(len(pages), mean / 1024, size / 1024 / 1024)


def ti(root: Path, *args: str) -> list[str]:
    return [PYTHON, "-m", "tisite.cli.commands", "--racine", str(root), *args]


def mkdocs(root: Path) -> list[str]:
    return [PYTHON, "-m", "mkdocs", "build", "--clean", "-q", "-f", str(root / "mkdocs.yml")]


def size_steps(
    root: Path, plain_roots: dict[str, Path], aside: Aside
) -> dict[str, Callable[[], Run]]:
    """The interleaved rows of one size: ours cold, images cached (every page made again) and
    with nothing changed (the former site kept: what it measures), and the four baselines."""
    return {
        "cold": partial(cold_build, root, aside),
        "plain": partial(plain_build, plain_roots["plain"], True, aside),
        "pages_only": partial(pages_build, root, aside),
        "plain_pagefind": partial(plain_build, plain_roots["plain_pagefind"], False, aside),
        "warm": partial(run, ti(root, "build"), cwd=root),  # the former site kept
        "same": partial(plain_build, plain_roots["same"], True, aside),
        "same_pagefind": partial(plain_build, plain_roots["same_pagefind"], False, aside),
    }


def plain_build(root: Path, material_search: bool, aside: Aside) -> Run:
    """A plain MkDocs build into an empty site/ (the former one set aside): with Material's
    search plugin, or with ``plugins: []`` followed by Pagefind ``--site site`` (the very
    program our build runs), timed as one."""
    aside(root / "site")
    if material_search:
        return run(mkdocs(root), cwd=root)
    pagefind = [*searchindex.program().command, "--site", str(root / "site")]
    return run(mkdocs(root), pagefind, cwd=root)


def plain_config(plugins: list[object]) -> dict[str, object]:
    """Our theme settings, without our hooks, templates or extra files."""
    import yaml

    ours = yaml.safe_load((FIXTURE / "mkdocs.yml").read_text(encoding="utf-8"))
    theme = {k: v for k, v in ours["theme"].items() if k != "custom_dir"}
    return {
        "site_name": "Territoires d'industrie (MkDocs seul)",
        "site_url": ours["site_url"],
        "theme": theme,
        "markdown_extensions": ours.get("markdown_extensions", []),
        "plugins": plugins,
    }


PAGE = """# Page {k} du dossier {folder}

{lorem}

## Chiffres

| Indicateur | Valeur |
| --- | ---: |
| Entreprises accompagnées | {k} |
| Emplois industriels | {jobs} |

## Détails

- {lorem_a}
- {lorem_b}

{lorem}
"""


def write_plain_same(dest: Path, root: Path, material_search: bool = True) -> int:
    """Plain MkDocs + Material building our own content: the pages our core generates for
    ``root`` (every page, as handed to MkDocs: HTML under a YAML header since the core writes
    generated pages in HTML, which Markdown passes through as raw HTML) and the hand-written
    Markdown pages, with our Markdown extensions, theme settings and navigation, but none of
    our hooks (no sanitiser, no typography, no social images, no checks). Material's search
    plugin, or ``plugins: []`` when ``material_search`` is false (then Pagefind is run after
    the build, see ``plain_build``). What the engine alone costs on the same pages: the
    difference with our build is our own work. Returns the number of pages."""
    import yaml

    from tisite.build import SiteBuild

    docs = dest / "docs"
    build = SiteBuild.load(root, site_url="https://exemple.org/")
    for page in build.pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    shutil.copytree(root / "docs", docs, dirs_exist_ok=True)
    config = plain_config([{"search": {"lang": "fr"}}] if material_search else [])
    config["nav"] = json_plain(build.nav(docs_dir=docs))
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return len(build.pages) + len(list((root / "docs").rglob("*.md")))


def json_plain(value: object) -> object:
    """The navigation's escaped titles as plain text (for a YAML file)."""
    if isinstance(value, list):
        return [json_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_plain(v) for k, v in value.items()}
    return str(value)


def write_plain_like(dest: Path, root: Path, material_search: bool = True) -> int:
    """Plain MkDocs + Material with our pages' addresses and our navigation (regions →
    territories → sections, fiches and letters out of the tree, navigation.prune): the same
    number of pages and the same navigation shape as our build of ``root``, with ordinary
    Markdown pages. Material's search plugin, or ``plugins: []`` when ``material_search`` is
    false (Pagefind then runs after the build). Returns the number of pages."""
    import yaml

    from tisite.build import SiteBuild

    docs = dest / "docs"
    build = SiteBuild.load(root, site_url="https://exemple.org/")
    paths = [page.path for page in build.pages]
    own = root / "docs"
    paths += [p.relative_to(own).as_posix() for p in own.rglob("*.md")]
    for k, path in enumerate(paths):
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        text = PAGE.format(
            k=k,
            folder=path.split("/")[0],
            lorem=LOREM,
            jobs=k * 7,
            lorem_a=LOREM[:90],
            lorem_b=LOREM[90:180],
        )
        target.write_text(text, encoding="utf-8")
    config = plain_config([{"search": {"lang": "fr"}}] if material_search else [])
    config["nav"] = json_plain(build.nav(docs_dir=docs))
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return len(paths)


def write_blog(dest: Path, letters_dir: Path, material_search: bool = True) -> None:
    """The same letters as posts of Material's blog plugin, with Material's search plugin or
    without it (Pagefind then runs after the build, see ``plain_build``)."""
    import yaml

    docs = dest / "docs"
    posts = docs / "blog" / "posts"
    posts.mkdir(parents=True)
    search: list[object] = [{"search": {"lang": "fr"}}] if material_search else []
    config = plain_config([*search, {"blog": {}}])
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (docs / "index.md").write_text("# Accueil\n", encoding="utf-8")
    (docs / "blog" / "index.md").write_text("# Lettres d'information\n", encoding="utf-8")
    for path in sorted(letters_dir.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        head, body = text.split("---\n", 2)[1:]
        meta = yaml.safe_load(head)
        post = (
            f"---\ndate: {meta['date']}\n---\n\n# {meta['titre']}\n\n{meta['resume']}\n\n"
            f"<!-- more -->\n\n{body}"
        )
        (posts / f"{path.stem}.md").write_text(post, encoding="utf-8")


def machine() -> str:
    cpu = "processeur inconnu"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found.group(1).strip() if found else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        found = re.search(r"MemTotal:\s*(\d+)", meminfo.read_text())
        memory = f", {int(found.group(1)) / 1024 / 1024:.0f} Gio de mémoire" if found else ""
    import material
    import mkdocs

    return (
        f"{cpu}, {os.cpu_count()} cœurs{memory} ; {platform.system()} {platform.release()} ; "
        f"Python {platform.python_version()}, MkDocs {mkdocs.__version__}, "
        f"Material {material.__version__}"
    )


def _cards(log: str) -> tuple[str, str]:
    """(drawn, cached) social images from a build log."""
    found = re.search(r"Images de partage : (\d+) dessinées?, (\d+) en cache", log)
    return (found.group(1), found.group(2)) if found else ("?", "?")


def cached(log: str) -> str:
    """« 1012 pages et 1028 images en cache, 0 dessinée » from a build log; « site gardé »
    when the build found nothing to do (tisite.publish.uptodate)."""
    if "Rien n'a changé" in log:
        return "rien à refaire : site gardé tel quel"
    found = re.search(r"Pages en cache : (\d+) reprise", log)
    pages = found.group(1) if found else "?"
    drawn, kept = _cards(log)
    drawn_word = "dessinées" if drawn.isdigit() and int(drawn) > 1 else "dessinée"
    return f"{pages} pages et {kept} images en cache, {drawn} {drawn_word}"


def row(cells: list[str], widths: list[int]) -> str:
    pairs = enumerate(zip(cells, widths, strict=False))
    return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in pairs)


def after_edit(edited: Path, command: list[str], root: Path) -> Run:
    """``command`` after an edit (a line added to ``edited``): with nothing changed, a build
    keeps the site folder as it is (tisite.publish.uptodate) and would measure nothing."""
    with edited.open("a", encoding="utf-8") as text:
        text.write("\nUne ligne de plus.\n")
    return run(command, cwd=root)


def _get(url: str, timeout: float) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as answer:
        return str(answer.read().decode())


def serve_rebuild(
    root: Path, repetitions: int, edited: Path, edited_page: str, territory: str = ""
) -> Series:
    """Wall seconds from a save to the page that shows it, in a running `ti serve` of one
    territory or (``territory`` empty) of the whole site: a line is added to ``edited`` (a
    letter: no change of navigation; the page ``edited_page`` must show it), then
    the preview's live-reload address answers with a new version once the rebuild is visible
    (the moment the open page reloads). Before the next edit, the preview's search index has
    caught up (it is made in the background). CPU and memory are not measured (0)."""
    only = ["--territoire", territory] if territory else []
    for attempt in range(3):
        try:
            return _serve_rebuild(root, repetitions, edited, edited_page, only)
        except _Unstarted as unstarted:  # a port taken meanwhile, a slow exit of the former
            print(f"(aperçu relancé, essai {attempt + 2}) {unstarted}", file=sys.stderr)
    raise SystemExit("ti serve n'a pas démarré en trois essais")


class _Unstarted(Exception):
    """The preview stopped before it served its first build."""


def _stop_group(server: subprocess.Popen[bytes]) -> None:
    """Stop the preview and every process it started (the engine's), and wait for all of
    them: the next command must not find them still running."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=60)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            os.killpg(server.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)


def _serve_rebuild(
    root: Path, repetitions: int, edited: Path, edited_page: str, only: list[str]
) -> Series:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = ti(root, "serve", "--adresse", f"127.0.0.1:{port}", *only)
    with tempfile.TemporaryFile() as log:  # what the preview said, shown if it stops
        server = subprocess.Popen(
            command,
            cwd=root,
            env=ENV,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"

        def said() -> str:
            log.seek(0)
            text = "\n".join(log.read().decode(errors="replace").splitlines()[-30:])
            state = "arrêté" if server.poll() is not None else "toujours lancé"
            return f"(ti serve {state}) ; ses derniers messages :\n{text}"

        def index_served(seconds: float, former: str | None = None) -> str:
            """The preview's search index is served (made in the background after each build) and
            is not ``former`` (the index of the build before the edit, which the kept folder of the
            preview serves until the new one is whole): its entry file, which names its content."""
            deadline = time.monotonic() + seconds
            while True:
                try:
                    entry = _get(f"{base}/pagefind/pagefind-entry.json", 5)
                    if entry != former:
                        return entry
                except OSError:
                    pass
                if server.poll() is not None and former is None:
                    raise _Unstarted(f"ti serve s'est arrêté avant de servir {base} {said()}")
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"ti serve ne sert pas son nouvel index sur {base} {said()}")
                time.sleep(0.2)

        times = []
        try:
            entry = index_served(1800)  # the first build (a national one, on a slow machine)
            version = _get(f"{base}/livereload/0/0", 60)
            for index in range(max(1, repetitions)):
                with edited.open("a", encoding="utf-8") as text:
                    text.write("\nUne ligne de plus.\n")
                start = time.perf_counter()
                seen = version
                while seen == version:  # the server answers a poll after 60 s with no change
                    seen = _get(f"{base}/livereload/{version}/{index + 1}", 600)
                    if time.perf_counter() - start > 1800:
                        raise SystemExit(
                            f"ti serve n'a pas reconstruit après la modification {said()}"
                        )
                version = seen
                times.append(time.perf_counter() - start)
                written = edited.read_text(encoding="utf-8").count("Une ligne de plus.")
                if _get(f"{base}/{edited_page}", 60).count("Une ligne de plus.") != written:
                    raise SystemExit(f"la page modifiée ne montre pas la modification {said()}")
                entry = index_served(600, entry)  # the search caught up: the machine is idle
        finally:
            _stop_group(server)
    return Series([Run(t, 0.0, 0.0, "") for t in times])


def ratio(ours: Series, base: Series, attr: str) -> str:
    return f"{ours.median(attr) / base.median(attr):.2f}"


def ratios(ours: Series, base: Series) -> str:
    """« 1.20 | 1.35 »: wall time ratio | CPU time ratio, of the medians."""
    return f"{ratio(ours, base, 'wall')} | {ratio(ours, base, 'cpu')}"


def bench_preview(
    root: Path, n: int, work: Path, repetitions: int
) -> tuple[Series, Series, Series, int]:
    """The one-territory preview after an edit (a command), then ti serve showing a saved letter
    (one territory, the whole site): the series and the preview's page count."""
    preview_dir = work / f"apercu-{n}"
    preview_command = ti(
        root, "build", "--territoire", "territoire-001", "--site-dir", str(preview_dir)
    )
    run(preview_command, cwd=root)  # the first preview fills the page cache for this view
    edited = root / "territoires" / "territoire-001" / "lettres" / "1.md"
    runs = [after_edit(edited, preview_command, root) for _ in range(max(1, repetitions))]
    letter_page = "territoire-001/lettres/1/"
    rebuild = serve_rebuild(root, repetitions, edited, letter_page, "territoire-001")
    whole = serve_rebuild(root, repetitions, edited, letter_page)
    return Series(runs), rebuild, whole, measure_site(preview_dir).pages


def bench_sizes(sizes: list[int], work: Path, repetitions: int) -> list[dict[str, Any]]:
    header = ["build", "N", "pages", "temps (s)", "CPU (s)", "ms/page", "mémoire (Mo)"]
    header += ["page (Ko)", "site (Mo)"]
    widths = [72, 4, 6, 18, 18, 8, 16, 10, 10]
    print(
        f"Médiane [min–max] de {max(1, repetitions)} exécution(s) alternées par ligne ; "
        "CPU : utilisateur + système de tous les processus de la construction ; mémoire : "
        "pic de la somme des mémoires résidentes de ces processus.\n"
    )
    print(row(header, widths))
    results: list[dict[str, Any]] = []
    for n in sizes:
        root = as_repository(write_project(work / f"ti-{n}", n))
        plain_roots = {}
        for key, write, material in (
            ("plain", write_plain_like, True),
            ("plain_pagefind", write_plain_like, False),
            ("same", write_plain_same, True),
            ("same_pagefind", write_plain_same, False),
        ):
            plain_roots[key] = work / f"mkdocs-{key}-{n}"
            write(plain_roots[key], root, material)
        aside = Aside(work)
        got = interleaved(size_steps(root, plain_roots, aside), repetitions)
        aside.empty()  # before the next timings (preview, ti serve, search)
        ours = measure_site(root / "site")
        sites = {key: measure_site(path / "site") for key, path in plain_roots.items()}
        for label, key in (
            ("ti build à froid (rien en cache)", "cold"),
            ("ti build, images en cache", "pages_only"),
            (f"ti build sans changement ({cached(got['warm'].log)})", "warm"),
            ("MkDocs + Material seul, pages ordinaires, recherche Material", "plain"),
            ("  les mêmes, plugins: [] puis Pagefind", "plain_pagefind"),
            ("MkDocs + Material seul, notre Markdown généré, recherche Material", "same"),
            ("  le même, plugins: [] puis Pagefind", "same_pagefind"),
        ):
            r, site = got[key], sites.get(key, ours)
            print(
                row(
                    [
                        label,
                        str(n),
                        str(site.pages),
                        r.cell("wall"),
                        r.cell("cpu"),
                        f"{1000 * r.wall / site.pages:.1f}",
                        r.cell("peak_mb", 0),
                        f"{site.mean_kb:.1f}",
                        f"{site.size_mb:.1f}",
                    ],
                    widths,
                )
            )
        measured: dict[str, Any] = {}
        if n == max(sizes):  # the preview, ti serve and the search: at the largest N only
            preview, rebuild, whole, preview_pages = bench_preview(root, n, work, repetitions)
            label_preview = f"aperçu d'un territoire ({preview_pages} pages)"
            cells = [label_preview, str(n), "", preview.cell("wall"), preview.cell("cpu")]
            print(row(cells, widths))
            label_rebuild = "  le même dans ti serve : une lettre enregistrée, la page rechargée"
            print(row([label_rebuild, str(n), "", rebuild.cell("wall")], widths))
            label_whole = "ti serve du site entier : une lettre enregistrée, la page rechargée"
            print(row([label_whole, str(n), str(ours.pages), whole.cell("wall")], widths))
            measured = {
                "preview": preview.wall,
                "rebuild": rebuild.wall,
                "whole_preview": whole.wall,
                **bench_search(n, root, plain_roots["plain"], repetitions),
            }
        results.append(
            {
                "n": n,
                "pages": ours.pages,
                **got,
                **measured,
                "peak": max(got["cold"].peak_mb, got["warm"].peak_mb),
                "own": max(got["cold"].own_mb, got["warm"].own_mb),
                "mean_kb": ours.mean_kb,
                "redrawn": float(_cards(got["warm"].log)[0].replace("?", "-1"))
                if "Rien n'a changé" not in got["warm"].log
                else 0.0,
            }
        )
        for path in plain_roots.values():
            shutil.rmtree(path, ignore_errors=True)
    return results


QUERIES = ("industrie", "foncier", "financements", "recrutement")
# What the browser fetches for Material's search: its worker, lunr and the index.
MATERIAL_SEARCH = re.compile(r"^(search/|assets/javascripts/(workers|lunr)/)")
OUR_SEARCH = re.compile(r"^pagefind/")


@dataclass
class Transfer:
    page: int  # every file of a first page view, search files included
    page_search: int  # the search files of that page view
    first_query: int  # search files fetched by the first query
    four_queries: int  # by the first four queries

    @staticmethod
    def kb(size: int) -> str:
        return f"{size / 1024:,.0f}".replace(",", " ")


def _sizes(site: Path, base: str, urls: list[str]) -> list[tuple[str, int]]:
    """(path under the site, size on disk) of every file requested from the local server."""
    out = []
    for url in urls:
        if not url.startswith(base):
            continue
        path = url[len(base) :].split("?", 1)[0].split("#", 1)[0]
        file = site / path
        if file.is_dir() or not path:
            file = file / "index.html"
        if file.is_file():
            out.append((path, file.stat().st_size))
    return out


def transfer(site: Path, page_path: str, ours: bool) -> Transfer:
    """Bytes a new visitor's browser downloads on ``page_path``, then searching (files as
    served by a plain static server: no compression)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM_ARGS, chromium_path, static_server, wait_until

    search = OUR_SEARCH if ours else MATERIAL_SEARCH
    with static_server(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        urls: list[str] = []
        page.on("requestfinished", lambda r: urls.append(r.url))
        page.goto(base + page_path, wait_until="networkidle")
        page.wait_for_timeout(500)
        viewed = _sizes(site, base, urls)
        seen = len(urls)
        counts = []
        for query in QUERIES:
            if ours:
                if not page.evaluate("document.getElementById('ti-recherche').open"):
                    page.keyboard.press("/")
                page.fill(".ti-recherche__texte", query)
                wait_until(
                    page,
                    "/résultat|Aucun/.test(document.querySelector('.ti-recherche__etat')"
                    ".textContent)",
                )
            else:
                page.keyboard.press("/")
                page.fill("input.md-search__input", query)
                page.wait_for_selector(".md-search-result__meta")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)
            counts.append(
                sum(n for path, n in _sizes(site, base, urls[seen:]) if search.match(path))
            )
        browser.close()
    return Transfer(
        sum(n for _, n in viewed),
        sum(n for path, n in viewed if search.match(path)),
        counts[0],
        counts[-1],
    )


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.is_dir() else 0


def with_material_search(root: Path) -> Run:
    """Our build with Material's search plugin added (Pagefind still runs): what the plugin
    costs on the same pages."""
    config = root / "mkdocs.yml"
    original = config.read_text(encoding="utf-8")
    config.write_text(original.replace("plugins: []", "plugins:\n  - search"), encoding="utf-8")
    try:
        return run(ti(root, "build", "--sans-cache"), cwd=root)
    finally:
        config.write_text(original, encoding="utf-8")


def _pagefind_seconds(log: str) -> float:
    found = re.search(r"Recherche : .* en ([\d,]+) s", log)
    return float(found.group(1).replace(",", ".")) if found else float("nan")


def bench_search(n: int, root: Path, plain_root: Path, repetitions: int) -> dict[str, float]:
    """Index size, bytes transferred and indexing time for one size (see module docstring)."""
    page = "territoire-001/plan-action/"
    ours = transfer(root / "site", page, ours=True)
    plain_page = page  # the same address (see write_plain_like)
    plain = transfer(plain_root / "site", plain_page, ours=False)
    # the same build (no page cache, images drawn) with and without Material's plugin, in turn
    got = interleaved(
        {
            "alone": lambda: run(ti(root, "build", "--sans-cache"), cwd=root),
            "both": lambda: with_material_search(root),
        },
        repetitions,
    )
    pagefind = statistics.median(_pagefind_seconds(r.log) for r in got["alone"].runs)
    material = got["both"].wall - got["alone"].wall
    kb = Transfer.kb
    print(
        f"  recherche N={n} : index {kb(folder_size(root / 'site' / 'pagefind'))} Ko sur disque "
        f"(Material : {kb(folder_size(plain_root / 'site' / 'search'))} Ko) ; "
        f"visite d'une page {kb(ours.page)} Ko dont {kb(ours.page_search)} Ko de recherche "
        f"(Material : {kb(plain.page)} Ko dont {kb(plain.page_search)} Ko) ; "
        f"première requête {kb(ours.first_query)} Ko, quatre requêtes {kb(ours.four_queries)} Ko "
        f"(Material : {kb(plain.first_query + plain.page_search)} Ko dès la première) ; "
        f"indexation Pagefind {pagefind:.1f} s, plugin de recherche de Material "
        f"+{material:.1f} s (médianes)"
    )
    return {
        "search_page": ours.page_search,
        "first_query": ours.first_query,
        "four_queries": ours.four_queries,
        "pagefind_s": pagefind,
        "material_s": material,
    }


def letter_steps(
    root: Path, blog: Path, blog_pagefind: Path, new_letter: Callable[[], None], aside: Aside
) -> dict[str, Callable[[], Run]]:
    """The interleaved rows of the letters' comparison: ours cold, images cached, with nothing
    changed and after a new letter (both with the former site kept), the blog twice."""

    def after_new_letter() -> Run:
        new_letter()
        return run(ti(root, "build"), cwd=root)

    return {
        "cold": partial(cold_build, root, aside),
        "blog": partial(plain_build, blog, True, aside),
        "pages_only": partial(pages_build, root, aside),
        "warm": partial(run, ti(root, "build"), cwd=root),
        "new_letter": after_new_letter,
        "blog_pagefind": partial(plain_build, blog_pagefind, False, aside),
    }


def bench_letters(count: int, work: Path, repetitions: int) -> dict[str, Series]:
    """Our build of one territory with ``count`` letters, and the blog plugin on the same posts.

    ``repetitions`` interleaved rounds (ours à froid, blog, ours images en cache, ours sans
    changement, ours après une nouvelle lettre, blog with Pagefind), medians: ours « à froid »
    starts without .cache/ and site/, ours « images en cache » with the cards' cache alone
    and no site/, the blog without its former site/ (Aside, see letter_steps). « nouvelle
    lettre » is what a chef de projet waits for: one more letter committed, the cache and site
    kept from the previous build (each round adds one).
    """
    root = write_project(work / "lettres", 1, actions=12, letters=count)
    folder = root / "territoires" / "territoire-001"
    blog_root, blog_pagefind_root = work / "blog", work / "blog-pagefind"
    write_blog(blog_root, folder / "lettres")
    write_blog(blog_pagefind_root, folder / "lettres", material_search=False)
    rng = random.Random(count)
    added = iter(range(count + 1, count + 1 + max(1, repetitions)))

    def new_letter() -> None:
        write_letter(folder, next(added), rng)

    aside = Aside(work)
    steps = letter_steps(root, blog_root, blog_pagefind_root, new_letter, aside)
    got = interleaved(steps, repetitions)
    aside.empty()
    pages = measure_site(root / "site").pages
    print(
        f"\n{count} lettres d'un territoire, {pages} pages (médiane [min–max] de "
        f"{max(1, repetitions)} exécution(s) alternées ; temps, CPU, mémoire) :"
    )
    for label, r in (
        ("ti build à froid (rien en cache)", got["cold"]),
        ("ti build, images en cache", got["pages_only"]),
        (f"ti build sans changement ({cached(got['warm'].log)})", got["warm"]),
        (
            f"ti build après une nouvelle lettre ({cached(got['new_letter'].log)})",
            got["new_letter"],
        ),
        (f"Material, plugin blog ({measure_site(blog_root / 'site').pages} pages)", got["blog"]),
        ("  le même, sans le plugin de recherche, puis Pagefind", got["blog_pagefind"]),
    ):
        print(
            f"  {label:80s} {r.cell('wall'):>18} s  {r.cell('cpu'):>18} s  "
            f"{r.cell('peak_mb', 0):>14} Mo"
        )
    return got


# The harvest alone (what `ti build` of a portal does first), its figures on stderr.
HARVEST = r"""
import json, sys
from pathlib import Path
from tisite.content import harvest
root = Path(sys.argv[1])
sources = json.loads((root / "sources.json").read_text(encoding="utf-8"))
outcomes = harvest.harvest(sources, root / ".cache" / harvest.FOLDER)
print(json.dumps(harvest.summary(outcomes)), file=sys.stderr)
"""


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def write_sources(n: int, folder: Path, base: str) -> list[str]:
    """``n`` territory sites under ``folder`` (one per path, ``s001/``…), each with its
    federation.json and its one bundle, as ``base`` serves them."""
    from tisite import urls
    from tisite.content.loader import load_site
    from tisite.publish import bundle

    project = write_project(folder.parent / "federation-contenu", n, actions=12, letters=6)
    site = load_site(project)
    sources = []
    for k, t in enumerate(site.territories, start=1):
        url = f"{base}s{k:03d}/"
        out = folder / f"s{k:03d}"
        (out / t.slug).mkdir(parents=True, exist_ok=True)
        data = bundle.territory_bundle(t, url, site.reference_source["millesime"])
        (out / urls.url_to("donnees-territoire", t=t.slug)).write_text(data, encoding="utf-8")
        listed = site.__class__(site.settings, (t,), site.reference_source)
        (out / urls.url_to("federation")).write_text(
            bundle.site_index(listed, url), encoding="utf-8"
        )
        sources.append(url)
    return sources


def bench_federation(n: int, work: Path, repetitions: int) -> dict[str, Series]:
    """A portal harvesting ``n`` sources served by one local server (see the module's doc)."""
    import time

    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    served = work / "federation-sites"
    sources = write_sources(n, served, base)
    root = write_project(work / "portail", 0)
    (root / "territoires").mkdir(exist_ok=True)  # watched by mkdocs.yml, empty in a portal
    (root / "sources.json").write_text(json.dumps(sources), encoding="utf-8")
    settings = (root / "site.yml").read_text(encoding="utf-8").rstrip("\n")
    listed = "".join(f"\n    - {s}" for s in sources)
    (root / "site.yml").write_text(f"{settings}\nportail:\n  sources:{listed}\n", "utf-8")
    server = subprocess.Popen(
        [PYTHON, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory", str(served)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        import socket

        for _ in range(200):  # the server is up when it accepts a connection
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        harvest = [PYTHON, "-c", HARVEST, str(root)]
        local = {"TI_MOISSON_RESEAU_LOCAL": "1"}  # the sources are on this machine

        aside = Aside(work)

        def cold() -> Run:
            aside(root / ".cache" / "portail")
            return run(harvest, cwd=root, env=local)

        got = interleaved(
            {
                "cold": cold,
                "unchanged": partial(run, harvest, cwd=root, env=local),
                "portal": partial(run, ti(root, "build"), cwd=root, env=local),
            },
            repetitions,
        )
        aside.empty()
    finally:
        server.terminate()
        server.wait()
    pages = measure_site(root / "site").pages
    print(
        f"\nFédération : un portail sans territoire propre récolte {n} sources servies par un "
        f"serveur local, {pages} pages (médiane [min–max] de {max(1, repetitions)} "
        "exécution(s) alternées ; temps, CPU, mémoire) :"
    )
    for label, r in (
        ("récolte à froid (cache vide)", got["cold"]),
        ("récolte, toutes les réponses 304", got["unchanged"]),
        ("ti build du portail (récolte 304 comprise)", got["portal"]),
    ):
        last = r.log.strip().splitlines()[-1] if r.log.strip() else ""
        counts = ""
        if last.startswith("{"):
            f = json.loads(last)
            counts = f"({f['received']} reçus, {f['unchanged']} en 304, {f['failed']} en échec)"
        print(
            f"  {label:80s} {r.cell('wall'):>18} s  {r.cell('cpu'):>18} s  "
            f"{r.cell('peak_mb', 0):>14} Mo  {counts}"
        )
    share = got["unchanged"].wall / max(got["portal"].wall, 1e-9)
    print(
        f"  récolte 304 / construction du portail : {share:.2f} (la récolte ne doit pas être "
        "la partie lente)"
    )
    return got


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tailles", default="10,60,183", help="nombres de territoires")
    parser.add_argument("--lettres", type=int, default=1000, help="0 : pas de comparaison blog")
    parser.add_argument(
        "--federation", type=int, default=183, help="sources d'un portail (0 : pas de mesure)"
    )
    parser.add_argument(
        "--repetitions",
        type=int,
        default=3,
        help="exécutions alternées de chaque ligne (notre build, la référence, …) ; on donne "
        "la médiane et l'étendue (min–max)",
    )
    parser.add_argument("--garder", help="dossier de travail conservé (par défaut : temporaire)")
    args = parser.parse_args()
    sizes = [int(x) for x in args.tailles.split(",") if x]
    work = Path(args.garder) if args.garder else Path(tempfile.mkdtemp(prefix="ti-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"Machine : {machine()}\nDossier de travail : {work}\n")
    try:
        results = bench_sizes(sizes, work, args.repetitions)
        print(
            "\nRatios et objectifs (ours/plain = temps | CPU, rapports des médianes, contre "
            "MkDocs + Material seul sur des pages ordinaires et sur notre Markdown généré) :"
        )
        for r in results:
            print(f"  N={r['n']:>3} :")
            for key, label, target in (
                ("cold", "à froid", "objectif ≤ 1,3"),
                ("pages_only", "images en cache", "objectif ≤ 1,0"),
                ("warm", "sans changement", "objectif < 0,5"),
            ):
                print(
                    f"    {label:16s} pages ordinaires : {ratios(r[key], r['plain'])} "
                    f"(recherche Material), {ratios(r[key], r['plain_pagefind'])} (Pagefind) ; "
                    f"notre Markdown : {ratios(r[key], r['same'])} (recherche Material), "
                    f"{ratios(r[key], r['same_pagefind'])} (Pagefind) — {target}"
                )
            print(
                f"    page moyenne {r['mean_kb']:.1f} Ko (< 60) ; "
                f"mémoire : notre processus {r['own']:.0f} Mo (< 400 à N=183), avec Pagefind "
                f"et les images {r['peak']:.0f} Mo ; images redessinées sans changement : "
                f"{r['redrawn']:.0f} (0)"
            )
            if "preview" not in r:
                continue  # measured at the largest N only
            print(
                f"    aperçu {r['preview']:.1f} s (< 1,5) ; ti serve, une lettre enregistrée, "
                f"la page rechargée : un territoire {r['rebuild']:.1f} s, site entier "
                f"{r['whole_preview']:.1f} s (< 2 à N=183)"
            )
            print(
                f"    recherche : {r['search_page']:.0f} octet sur une page vue (0) ; "
                f"première requête {r['first_query'] / 1024:.0f} Ko (≤ 200 à N=183) ; "
                f"indexation {r['pagefind_s']:.1f} s contre +{r['material_s']:.1f} s pour le "
                "plugin de Material (pas plus lente)"
            )
        if len(results) > 1:
            first, last = results[0], results[-1]
            for key, label in (
                ("cold", "à froid"),
                ("pages_only", "images en cache"),
                ("warm", "sans changement"),
            ):
                per_page = (last[key].wall / last["pages"]) / (first[key].wall / first["pages"])
                print(
                    f"  coût par page N={last['n']} / N={first['n']} ({label}, temps) : "
                    f"{per_page:.2f} (objectif ≤ 1,3)"
                )
        # share cards: cards per second now and with the former drawing (bench_cartes.py)
        print("\n" + "\n".join(bench_cartes.bench(min(sizes), args.repetitions, BEFORE, work)))
        if args.lettres:
            got = bench_letters(args.lettres, work, args.repetitions)
            for key, label in (("blog", "recherche Material"), ("blog_pagefind", "Pagefind")):
                blog = got[key]
                print(
                    f"  plugin blog / ti build (temps | CPU ; {label}) : "
                    f"{ratios(blog, got['cold'])} (à froid), "
                    f"{ratios(blog, got['pages_only'])} (images en cache), "
                    f"{ratios(blog, got['warm'])} (sans changement), "
                    f"{ratios(blog, got['new_letter'])} (nouvelle lettre) — objectif ≥ 3"
                )
        if args.federation:
            bench_federation(args.federation, work, args.repetitions)
    finally:
        if not args.garder:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
