"""Benchmark (``make bench``): our build against plain MkDocs + Material builds.

The search is measured too: size of the index on disk, bytes a visitor's browser downloads
(driven in Chromium against a local server) for a page view, a first query and four queries,
against Material's search on the plain site; and Pagefind's indexing time against the time
Material's search plugin adds to the same build.

For N synthetic territories (default 10, 60 and 183) it prints pages built, wall time, peak
memory, mean HTML page size and site size, for our build (cold, then rebuilt with no change,
then the one-territory preview) and for a plain MkDocs + Material build like for like: ordinary
Markdown pages at the same addresses, with the same navigation (regions → territories →
sections, fiches and letters out of the tree) and the same theme settings, and plain
MkDocs + Material building the very Markdown our core generates (same pages, same
extensions, same navigation, none of our hooks); then a territory
with 1,000 letters against Material's blog plugin on the same 1,000 posts. Figures, not
pass/fail: the targets are printed beside them.

    python scripts/bench.py [--tailles 10,60,183] [--lettres 1000] [--garder DOSSIER]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from synthetic import FIXTURE, LOREM, ROOT, write_letter, write_project

PYTHON = sys.executable
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
# Runs a command and prints the peak resident memory of it and its children, in KiB.
PEAK = (
    "import resource, subprocess, sys; "
    "code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=sys.stderr); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(code)"
)


@dataclass
class Run:
    wall: float
    peak_mb: float
    log: str


@dataclass
class Site:
    pages: int
    mean_kb: float
    size_mb: float


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    start = time.perf_counter()
    result = subprocess.run(
        [PYTHON, "-c", PEAK, *command],
        cwd=cwd,
        env={**ENV, **(env or {})},
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - start
    lines = result.stderr.strip().splitlines()
    if result.returncode != 0:
        raise SystemExit(f"échec de {' '.join(command)} dans {cwd} :\n{result.stderr[-3000:]}")
    return Run(wall, int(lines[-1]) / 1024, "\n".join(lines[:-1]))


def best(command: list[str], cwd: Path, repetitions: int) -> Run:
    """The fastest of ``repetitions`` runs (the machine's noise only ever adds time)."""
    runs = [run(command, cwd) for _ in range(max(1, repetitions))]
    return min(runs, key=lambda r: r.wall)


def best_cold(root: Path, repetitions: int) -> Run:
    """Fastest of ``repetitions`` builds with nothing cached: .cache/ is deleted before each."""
    runs = []
    for _ in range(max(1, repetitions)):
        shutil.rmtree(root / ".cache", ignore_errors=True)
        runs.append(run(ti(root, "build"), root))
    return min(runs, key=lambda r: r.wall)


def measure_site(site: Path) -> Site:
    pages = [p for p in site.rglob("*.html") if p.name == "index.html" or p.name == "404.html"]
    pages = [p for p in pages if 'http-equiv="refresh"' not in p.read_text(encoding="utf-8")]
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    mean = sum(p.stat().st_size for p in pages) / max(len(pages), 1)
    return Site(len(pages), mean / 1024, size / 1024 / 1024)


def ti(root: Path, *args: str) -> list[str]:
    return [PYTHON, "-m", "tisite.cli", "--racine", str(root), *args]


def mkdocs(root: Path) -> list[str]:
    return [PYTHON, "-m", "mkdocs", "build", "--clean", "-q", "-f", str(root / "mkdocs.yml")]


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


def write_plain_same(dest: Path, root: Path) -> int:
    """Plain MkDocs + Material building our own content: the Markdown our core generates for
    ``root`` (every page, as handed to MkDocs) and the hand-written pages, with our Markdown
    extensions, theme settings and navigation, but none of our hooks (no sanitiser, no
    typography, no social images, no Pagefind, no checks). What the engine alone costs on the
    same pages: the difference with our build is our own work. Returns the number of pages."""
    import yaml

    from tisite.build import SiteBuild

    docs = dest / "docs"
    build = SiteBuild.load(root, site_url="https://exemple.org/")
    for page in build.pages:
        target = docs / page.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    shutil.copytree(root / "docs", docs, dirs_exist_ok=True)
    config = plain_config([{"search": {"lang": "fr"}}])
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


def write_plain_like(dest: Path, root: Path) -> int:
    """Plain MkDocs + Material with our pages' addresses and our navigation (regions →
    territories → sections, fiches and letters out of the tree, navigation.prune): the same
    number of pages and the same navigation shape as our build of ``root``, with ordinary
    Markdown pages. Returns the number of pages."""
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
    config = plain_config([{"search": {"lang": "fr"}}])
    config["nav"] = json_plain(build.nav(docs_dir=docs))
    (dest / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return len(paths)


def write_blog(dest: Path, letters_dir: Path) -> None:
    """The same letters as posts of Material's blog plugin."""
    import yaml

    docs = dest / "docs"
    posts = docs / "blog" / "posts"
    posts.mkdir(parents=True)
    config = plain_config([{"search": {"lang": "fr"}}, {"blog": {}}])
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
    """« 1012 pages et 1028 images en cache, 0 dessinée » from a build log."""
    found = re.search(r"Pages en cache : (\d+) reprise", log)
    pages = found.group(1) if found else "?"
    drawn, kept = _cards(log)
    drawn_word = "dessinées" if drawn.isdigit() and int(drawn) > 1 else "dessinée"
    return f"{pages} pages et {kept} images en cache, {drawn} {drawn_word}"


def row(cells: list[str], widths: list[int]) -> str:
    pairs = enumerate(zip(cells, widths, strict=False))
    return "  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in pairs)


# `ti serve` rebuilds in the process that already built once (modules imported, theme read):
# the time of such a rebuild of one territory, the best of two after a first build.
SERVE_REBUILD = """
import sys, time
from pathlib import Path
from tisite import engine
root, out = Path(sys.argv[1]), Path(sys.argv[2])
times = []
for _ in range(3):
    start = time.perf_counter()
    engine.build(root, out, territoire="territoire-001")
    times.append(time.perf_counter() - start)
print(min(times[1:]))
"""


def serve_rebuild(root: Path, out: Path) -> float:
    """Seconds of a one-territory rebuild inside a running process (as in `ti serve`)."""
    env = {**ENV, "PYTHONPATH": str(root / "hooks")}
    done = subprocess.run(
        [PYTHON, "-c", SERVE_REBUILD, str(root), str(out)],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def bench_sizes(sizes: list[int], work: Path, repetitions: int) -> list[dict[str, float]]:
    header = ["build", "N", "pages", "temps (s)", "ms/page", "mémoire (Mo)", "page (Ko)"]
    header.append("site (Mo)")
    widths = [58, 4, 6, 10, 8, 13, 10, 10]
    print(row(header, widths))
    results = []
    for n in sizes:
        root = write_project(work / f"ti-{n}", n)
        cold = best_cold(root, repetitions)
        ours = measure_site(root / "site")
        pages_only = run(ti(root, "build", "--sans-cache"), root)
        warm = best(ti(root, "build"), root, repetitions)
        preview_dir = work / f"apercu-{n}"
        preview_command = ti(
            root, "build", "--territoire", "territoire-001", "--site-dir", str(preview_dir)
        )
        run(preview_command, root)  # the first preview fills the page cache for this view
        preview = best(preview_command, root, repetitions)
        rebuild = serve_rebuild(root, work / f"apercu-serve-{n}")
        plain_root = work / f"mkdocs-{n}"
        write_plain_like(plain_root, root)
        plain = best(mkdocs(plain_root), plain_root, repetitions)
        base = measure_site(plain_root / "site")
        same_root = work / f"mkdocs-memes-pages-{n}"
        write_plain_same(same_root, root)
        same = best(mkdocs(same_root), same_root, repetitions)
        same_site = measure_site(same_root / "site")
        preview_pages = measure_site(preview_dir).pages
        label_preview = f"aperçu d'un territoire ({preview_pages} pages)"
        for label, r, s in (
            ("ti build à froid (rien en cache)", cold, ours),
            ("ti build, images en cache", pages_only, ours),
            (f"ti build sans changement ({cached(warm.log)})", warm, ours),
            ("MkDocs + Material seul, pages ordinaires", plain, base),
            ("MkDocs + Material seul, notre Markdown généré", same, same_site),
        ):
            print(
                row(
                    [
                        label,
                        str(n),
                        str(s.pages),
                        f"{r.wall:.1f}",
                        f"{1000 * r.wall / s.pages:.1f}",
                        f"{r.peak_mb:.0f}",
                        f"{s.mean_kb:.1f}",
                        f"{s.size_mb:.1f}",
                    ],
                    widths,
                )
            )
        print(
            row(
                [label_preview, str(n), "", f"{preview.wall:.1f}"],
                widths[:4],
            )
        )
        print(
            row(
                [
                    "  le même, reconstruit dans ti serve (processus déjà lancé)",
                    str(n),
                    "",
                    f"{rebuild:.1f}",
                ],
                widths[:4],
            )
        )
        searched = bench_search(n, root, plain_root, repetitions)
        results.append(
            {
                "n": n,
                "pages": ours.pages,
                "cold": cold.wall,
                "warm": warm.wall,
                "pages_only": pages_only.wall,
                "plain": plain.wall,
                "same": same.wall,
                "plain_peak": plain.peak_mb,
                "preview": preview.wall,
                "rebuild": rebuild,
                "peak": max(cold.peak_mb, warm.peak_mb),
                "mean_kb": ours.mean_kb,
                "redrawn": float(_cards(warm.log)[0].replace("?", "-1")),
                **searched,
            }
        )
        shutil.rmtree(plain_root, ignore_errors=True)
        shutil.rmtree(same_root, ignore_errors=True)
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
        return run(ti(root, "build", "--sans-cache"), root)
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
    alone, both = [], []
    for _ in range(max(2, repetitions)):
        alone.append(run(ti(root, "build", "--sans-cache"), root))
        both.append(with_material_search(root))
    fastest = min(alone, key=lambda r: r.wall)
    pagefind = _pagefind_seconds(fastest.log)
    material = min(r.wall for r in both) - fastest.wall
    kb = Transfer.kb
    print(
        f"  recherche N={n} : index {kb(folder_size(root / 'site' / 'pagefind'))} Ko sur disque "
        f"(Material : {kb(folder_size(plain_root / 'site' / 'search'))} Ko) ; "
        f"visite d'une page {kb(ours.page)} Ko dont {kb(ours.page_search)} Ko de recherche "
        f"(Material : {kb(plain.page)} Ko dont {kb(plain.page_search)} Ko) ; "
        f"première requête {kb(ours.first_query)} Ko, quatre requêtes {kb(ours.four_queries)} Ko "
        f"(Material : {kb(plain.first_query + plain.page_search)} Ko dès la première) ; "
        f"indexation Pagefind {pagefind:.1f} s, plugin de recherche de Material "
        f"+{material:.1f} s"
    )
    return {
        "search_page": ours.page_search,
        "first_query": ours.first_query,
        "four_queries": ours.four_queries,
        "pagefind_s": pagefind,
        "material_s": material,
    }


def bench_letters(count: int, work: Path, repetitions: int) -> dict[str, float]:
    """Our build of one territory with ``count`` letters, and the blog plugin on the same posts.

    Both sides take the fastest of ``repetitions`` runs; ours « à froid » deletes .cache/
    before each run. « nouvelle lettre » is what a chef de projet waits for: one more letter
    committed, the cache kept from the previous build.
    """
    root = write_project(work / "lettres", 1, actions=12, letters=count)
    folder = root / "territoires" / "territoire-001"
    blog_root = work / "blog"
    write_blog(blog_root, folder / "lettres")
    blog = best(mkdocs(blog_root), blog_root, repetitions)
    cold = best_cold(root, repetitions)
    pages_only = run(ti(root, "build", "--sans-cache"), root)
    warm = best(ti(root, "build"), root, repetitions)
    rng = random.Random(count)
    added = []
    for k in range(max(1, repetitions)):
        write_letter(folder, count + 1 + k, rng)
        added.append(run(ti(root, "build"), root))
    new_letter = min(added, key=lambda r: r.wall)
    pages = measure_site(root / "site").pages
    print(f"\n{count} lettres d'un territoire, {pages} pages (meilleur de {repetitions}) :")
    for label, r in (
        ("ti build à froid (rien en cache)", cold),
        ("ti build, images en cache", pages_only),
        (f"ti build sans changement ({cached(warm.log)})", warm),
        (f"ti build après une nouvelle lettre ({cached(new_letter.log)})", new_letter),
        (f"Material, plugin blog ({measure_site(blog_root / 'site').pages} pages)", blog),
    ):
        print(f"  {label:58s} {r.wall:7.1f} s  {r.peak_mb:5.0f} Mo")
    return {
        "cold": cold.wall,
        "pages_only": pages_only.wall,
        "warm": warm.wall,
        "new_letter": new_letter.wall,
        "blog": blog.wall,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tailles", default="10,60,183", help="nombres de territoires")
    parser.add_argument("--lettres", type=int, default=1000, help="0 : pas de comparaison blog")
    parser.add_argument(
        "--repetitions",
        type=int,
        default=1,
        help="exécutions des builds courts (on garde la plus rapide ; 1000 lettres : au moins 3)",
    )
    parser.add_argument("--garder", help="dossier de travail conservé (par défaut : temporaire)")
    args = parser.parse_args()
    sizes = [int(x) for x in args.tailles.split(",") if x]
    work = Path(args.garder) if args.garder else Path(tempfile.mkdtemp(prefix="ti-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"Machine : {machine()}\nDossier de travail : {work}\n")
    try:
        results = bench_sizes(sizes, work, args.repetitions)
        print("\nRatios et objectifs :")
        for r in results:
            print(
                f"  N={r['n']:>3} : ours/plain = {r['cold'] / r['plain']:.2f} (à froid, ≤ 1,3), "
                f"{r['pages_only'] / r['plain']:.2f} (images en cache, ≤ 1,1), "
                f"{r['warm'] / r['plain']:.2f} (sans changement) ; "
                f"contre MkDocs seul sur notre Markdown : {r['cold'] / r['same']:.2f} (à froid), "
                f"{r['pages_only'] / r['same']:.2f} (images en cache) ; "
                f"page moyenne {r['mean_kb']:.1f} Ko (< 60) ; "
                f"mémoire {r['peak']:.0f} Mo (< 500 à N=183) ; "
                f"aperçu {r['preview']:.1f} s (< 1,5), reconstruit dans ti serve "
                f"{r['rebuild']:.1f} s ; images redessinées sans changement : "
                f"{r['redrawn']:.0f} (0)"
            )
            print(
                f"         recherche : {r['search_page']:.0f} octet sur une page vue (0) ; "
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
                ratio = (last[key] / last["pages"]) / (first[key] / first["pages"])
                print(
                    f"  coût par page N={last['n']} / N={first['n']} ({label}) : {ratio:.2f} "
                    "(objectif ≤ 1,3)"
                )
        if args.lettres:
            times = bench_letters(args.lettres, work, max(3, args.repetitions))
            blog = times["blog"]
            print(
                f"  plugin blog / ti build : {blog / times['cold']:.1f} (à froid), "
                f"{blog / times['pages_only']:.1f} (images en cache), "
                f"{blog / times['warm']:.1f} (sans changement), "
                f"{blog / times['new_letter']:.1f} (nouvelle lettre) — objectif ≥ 3"
            )
    finally:
        if not args.garder:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
