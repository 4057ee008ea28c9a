"""Site search with Pagefind: what each page tells the index, and the index of the built site.

Pagefind (a Rust program: the npm package ``pagefind`` 1.6 that make installs in
``.cache/outils/pagefind``, else the one inside the PyPI package ``pagefind-bin``; nothing is
downloaded during a build) reads the built HTML once every page is written, stems French
words (« financements » finds « financement ») and writes ``pagefind/``: small index chunks that
the visitor's browser fetches only when searching (``assets/js/recherche.js``), instead of one
index of the whole site on every first page view.

Only pages marked ``data-pagefind-body`` are indexed (``templates/theme/main.html``): the theme's
pages; not the redirections, the email copies, the 404 page. The filters and the details shown in
results come from the theme template, never from contributed HTML: the sanitiser drops every
``data-pagefind-*`` attribute a contributor writes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tisite.content import vocab
from tisite.content.errors import ContentError, Problem
from tisite.content.models import ActionItem, SiteModel, Territory
from tisite.generate.actionplan import OVERDUE, axis_label, is_overdue
from tisite.publish.diskcache import versions

BUNDLE = "pagefind"  # folder of the site where the index goes
STAGED = ".pagefind-en-cours"  # the preview's index while Pagefind writes it (see Indexing)
# A national portal's second index: the fiches actions of its harvested territories (their
# pages are on their own sites), merged into the first one by the action finder (trouveur.js).
HARVESTED = "pagefind-portail"
TIMEOUT = 300  # seconds; the national site of 183 territories takes about 10
LANGUAGE = "fr"

# Kinds of page, as results and the « Type » filter name them.
TERRITORY = "Territoire"
ACTION = "Fiche action"
LETTER = "Lettre"
PAGE = "Page"
GUIDE = "Guide de contribution"  # shown after the other results (assets/js/recherche.js)

# Filters, in the order the search dialog shows them: (name in the index, French label).
FILTERS = (
    ("type", "Type de page"),
    ("region", "Région"),
    ("territoire", "Territoire"),
    ("priorite", "Priorité"),
    ("axe", "Axe"),
    ("statut", "Statut"),
)
# Pagefind's own interfaces, which the site doesn't use (it has its own, assets/js): not
# published, so that no page can load them.
UNUSED = re.compile(r"^pagefind-(ui|modular-ui|component-ui|highlight)\b.*\.(js|css)$")

Facets = tuple[tuple[str, str], ...]

# Pagefind from npm, installed beside the tool by make (target ``$(PAGEFIND)``): from 1.6 on,
# its output is the same from one build to the next, names and bytes (browsers keep what did not
# change, a sync-style deploy sends only the rest); PyPI's 1.5 names its filter files anew on
# every run.
NPM_FOLDER = Path(__file__).resolve().parents[3] / ".cache" / "outils" / "pagefind"
NPM_PROGRAMS = ("pagefind_extended", "pagefind")


@dataclass(frozen=True)
class Program:
    """The Pagefind a build runs: the start of its command line and its version."""

    command: tuple[str, ...]
    version: str


def program() -> Program:
    """Pagefind from npm when make installed it, else the one of the PyPI package."""
    suffix = ".exe" if os.name == "nt" else ""
    for package in sorted((NPM_FOLDER / "node_modules" / "@pagefind").glob("*/package.json")):
        for name in NPM_PROGRAMS:
            binary = package.parent / "bin" / (name + suffix)
            if binary.is_file() and os.access(binary, os.X_OK):
                try:
                    version = json.loads(package.read_text(encoding="utf-8"))["version"]
                except (OSError, ValueError, KeyError, TypeError):
                    continue  # a damaged install: the PyPI package's Pagefind
                return Program((str(binary),), f"pagefind {version} (npm)")
    return Program(
        (sys.executable, "-m", "pagefind"), versions("pagefind", "pagefind-bin", "pagefind_bin")
    )


def territory_facets(t: Territory, kind: str) -> Facets:
    """Filters of a page of a territory (its home page, a section, a letter)."""
    return (("type", kind), ("territoire", t.nom), *(("region", r) for r in t.regions))


def action_facets(t: Territory, action: ActionItem) -> Facets:
    """Filters of a fiche action: the territory's, plus its priorities, axis and status."""
    priorities = tuple(("priorite", vocab.PRIORITES[p]) for p in action.data.priorites)
    return (
        *territory_facets(t, ACTION),
        *priorities,
        ("axe", axis_label(action)),
        ("statut", action.statut),
    )


@dataclass(frozen=True)
class IndexReport:
    pages: int
    words: int
    seconds: float
    reused: bool = False  # the index of a former build made from the very same pages

    def line(self) -> str:
        if self.reused:
            return (
                f"Recherche : index repris ({self.pages} pages, aucune page modifiée depuis "
                "la construction qui l'a fait)."
            )
        took = f"{self.seconds:.1f}".replace(".", ",")
        return f"Recherche : {self.pages} pages indexées ({self.words} mots distincts) en {took} s."


KEEP = 3  # indexes kept in .cache/recherche (the last builds' ones)

# The files Pagefind reads. With addresses as folders (MkDocs' ``use_directory_urls``, the
# default), every page of the site is an ``index.html``: the other HTML files (a letter's
# email copies, the 404 page) are never indexed, and not reading them spares about a third of
# Pagefind's time. Else every HTML file is read (each page marks what it indexes).
PAGES = "index.html"
EVERY_HTML = "*.html"


def pages_pattern(directory_urls: bool) -> str:
    return PAGES if directory_urls else EVERY_HTML


def pages_digest(site_dir: Path, options: list[str], version: str, pages: str = EVERY_HTML) -> str:
    """Everything Pagefind reads and is: every HTML file of the site it reads (``pages``: the
    file names, see PAGES; name and bytes), the options it runs with (not where the site is: a
    build writes into a folder of its own), its version. Two builds with the same digest get
    the same index."""
    options = ["SITE" if part == str(site_dir) else part for part in options]
    digest = hashlib.sha256(json.dumps(options).encode())
    digest.update(version.encode())
    for path in sorted(site_dir.rglob(pages)):
        rel = path.relative_to(site_dir).as_posix()
        if rel.startswith(BUNDLE + "/"):
            continue
        digest.update(rel.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


class Indexing:
    """Pagefind indexing the built site into ``site_dir/pagefind``, in a process of its own:
    started once the pages are written, it runs while the build writes its other files
    (images, email copies); :meth:`finish` waits for it."""

    def __init__(
        self,
        site_dir: Path,
        cache_dir: Path | None = None,
        staged: bool = False,
        pages: str = EVERY_HTML,
    ) -> None:
        """``cache_dir``: where the indexes of former builds are kept (.cache/recherche); when
        one was made from exactly the pages now written, it is copied instead of re-indexing.
        ``staged`` (the preview, whose pages are served while Pagefind runs): the index is
        written beside ``pagefind/`` and renamed once whole, so that a served index is whole.
        ``pages``: the names of the files that are pages (see PAGES)."""
        self.site_dir = site_dir
        self.output = STAGED if staged else BUNDLE
        if staged:  # what an abandoned indexing left
            shutil.rmtree(site_dir / STAGED, ignore_errors=True)
        self.start = time.perf_counter()
        self.process: subprocess.Popen[str] | None = None
        self.error = ""
        pagefind = program()
        options = [
            "--site",
            str(site_dir),
            "--output-subdir",
            self.output,
            "--glob",
            f"**/{pages}",
            "--force-language",
            LANGUAGE,
            # the « ¶ » links of headings are not words of the page
            "--exclude-selectors",
            ".headerlink",
        ]
        command = [*pagefind.command, *options]
        self.cache_dir = cache_dir
        self.key = (
            pages_digest(site_dir, options, pagefind.version, pages)
            if cache_dir is not None
            else ""
        )
        self.reused = self._reuse()
        if self.reused is not None:
            return
        try:
            self.process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
        except OSError as exc:
            from tisite.adapters.buildlog import os_error_text

            self.process, self.error = None, os_error_text(exc)

    def _reuse(self) -> IndexReport | None:
        """The index a former build made from the same pages, copied into the site."""
        if self.cache_dir is None:
            return None
        entry, figures = self.cache_dir / self.key, self.cache_dir / f"{self.key}.json"
        try:
            counts = json.loads(figures.read_text(encoding="utf-8"))
            shutil.rmtree(self.site_dir / BUNDLE, ignore_errors=True)
            shutil.copytree(entry, self.site_dir / BUNDLE)
        except (OSError, ValueError):
            shutil.rmtree(self.site_dir / BUNDLE, ignore_errors=True)
            return None  # not kept, or damaged: indexed again
        figures.touch()  # recently used: kept by _keep
        return IndexReport(int(counts["pages"]), int(counts["words"]), 0.0, reused=True)

    def _keep(self, report: IndexReport) -> None:
        """The index just made, kept for the next build (copied whole, then named)."""
        if self.cache_dir is None:
            return
        tmp = self.cache_dir / f".{self.key}.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(self.site_dir / BUNDLE, tmp)
        shutil.rmtree(self.cache_dir / self.key, ignore_errors=True)
        tmp.rename(self.cache_dir / self.key)
        counts = {"pages": report.pages, "words": report.words}
        (self.cache_dir / f"{self.key}.json").write_text(json.dumps(counts), encoding="utf-8")
        kept = sorted(self.cache_dir.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for old in kept[:-KEEP]:
            shutil.rmtree(old.with_suffix(""), ignore_errors=True)
            old.unlink(missing_ok=True)

    def finish(self) -> IndexReport:
        """The figures of the index; a French error (ContentError) if Pagefind failed."""
        if self.reused is not None:
            return self.reused
        if self.process is None:
            raise _failure(self.error)
        try:
            out, err = self.process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()
            raise _failure(
                f"Pagefind ne s'est pas arrêté en {TIMEOUT} secondes (un fichier ou un dossier "
                f"du site porte-t-il le nom « {BUNDLE} » ?)"
            ) from None
        if self.process.returncode != 0:
            raise _failure((err or out).strip()[-2000:])
        for path in (self.site_dir / self.output).iterdir():
            if UNUSED.match(path.name):
                path.unlink()
        if self.output != BUNDLE:
            shutil.rmtree(self.site_dir / BUNDLE, ignore_errors=True)
            (self.site_dir / self.output).rename(self.site_dir / BUNDLE)
        pages = re.search(r"Indexed (\d+) pages?", out)
        words = re.search(r"Indexed (\d+) words?", out)
        report = IndexReport(
            int(pages.group(1)) if pages else 0,
            int(words.group(1)) if words else 0,
            time.perf_counter() - self.start,
        )
        with contextlib.suppress(OSError):  # not kept: the next build indexes again
            self._keep(report)
        return report

    def stop(self) -> None:
        """End it (the build failed meanwhile)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


class Catching:
    """The preview's index, finished in the background: the edited page is shown as soon as it
    is written, and the search catches up a few seconds later (``report`` gets the lines:
    information, warnings). ``stop`` ends it before the next rebuild empties the site."""

    def __init__(
        self,
        indexing: Indexing,
        expected: int,
        report: Callable[[list[str], list[str]], None],
    ) -> None:
        self.indexing, self.expected, self.report = indexing, expected, report
        self.stopped = False
        self.thread = threading.Thread(target=self._wait, name="pagefind", daemon=True)
        self.thread.start()

    def _wait(self) -> None:
        try:
            done = self.indexing.finish()
        except ContentError as exc:
            if not self.stopped:
                self.report([], [exc.report()])
            return
        except OSError as exc:  # its folder, or the renaming of it (never a traceback)
            if not self.stopped:
                from tisite.adapters.buildlog import os_error_text

                self.report([], [f"index de recherche de l'aperçu : {os_error_text(exc)}"])
            return
        if self.stopped:
            return
        found, expected = done.pages, self.expected
        missing = [missing_from_index(found, expected)] if found != expected else []
        self.report([done.line()], missing)

    def stop(self) -> None:
        """Pagefind killed (its thread then ends), waited for: nothing writes into the site any
        more."""
        self.stopped = True
        process = self.indexing.process
        if process is not None and process.poll() is None:
            process.kill()
        self.thread.join()
        shutil.rmtree(self.indexing.site_dir / STAGED, ignore_errors=True)


def missing_from_index(indexed: int, expected: int) -> str:
    return (
        f"index de recherche : {indexed} pages indexées sur {expected} attendues ; une page "
        "dont l'adresse contient un caractère inattendu ne peut pas être trouvée par la "
        "recherche. Relancez avec `ti build --sans-cache` ; si l'écart persiste, signalez-le "
        "aux mainteneurs du projet"
    )


def _failure(detail: str) -> ContentError:
    return ContentError(
        [
            Problem(
                "pagefind",
                None,
                None,
                "l'index de recherche n'a pas pu être construit (Pagefind) : "
                + (detail or "erreur inconnue")
                + ". Si le programme manque, réinstallez les dépendances (`make site` le fait ; "
                "le paquet pagefind[bin] le contient)",
            )
        ]
    )


RECORD = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>{title}</title></head><body>
<main data-pagefind-body><h1>{title}</h1><p>{resume}</p>
<div hidden data-pagefind-ignore>{filters}{meta}</div></main></body></html>
"""


def write_harvested(
    site_dir: Path, site: SiteModel, records_dir: Path | None, today: dt.date
) -> int:
    """The index of the harvested territories' fiches actions (``HARVESTED``), made by
    Pagefind from a record of each (its title and summary, escaped, with the same filters and
    details as the site's own actions) written in ``records_dir`` (kept in .cache between
    builds: only a changed record is written again), never published: their pages are on
    their own sites, whose address each record carries (detail « lien »).
    Returns how many; writes nothing when there is none. (Pagefind's Python API answers about
    ten records a second: the command line indexes them all at once.)"""
    import html
    import shutil
    import tempfile

    records = [(t, a) for t in site.territories if t.remote is not None for a in t.actions]
    if records_dir is not None and records_dir.exists() and not records:
        shutil.rmtree(records_dir, ignore_errors=True)
    if not records:
        shutil.rmtree(site_dir / HARVESTED, ignore_errors=True)  # a kept folder (the preview)
        return 0

    def spans(kind: str, pairs: Facets) -> str:
        return "".join(
            f'<span data-pagefind-{kind}="{html.escape(name)}">{html.escape(value)}</span>'
            for name, value in pairs
        )

    output = site_dir / HARVESTED
    with contextlib.ExitStack() as stack:
        if records_dir is None:
            records_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ti-")))
        records_dir.mkdir(parents=True, exist_ok=True)
        wanted = set()
        for number, (t, a) in enumerate(records):
            # its planned end passed: said as the site's own actions say it (« échéance
            # dépassée » beside the status, on the portal's day)
            late = (("echeance", OVERDUE),) if is_overdue(a, today) else ()
            details = (
                ("territoire", t.nom),
                ("statut", a.statut),
                *late,
                ("resume", a.data.resume),
                ("lien", a.url),
            )
            text = RECORD.format(
                title=html.escape(a.titre),
                resume=html.escape(a.data.resume),
                filters=spans("filter", action_facets(t, a)),
                meta=spans("meta", details),
            )
            page = records_dir / f"{number}.html"
            wanted.add(page.name)
            try:
                same = page.read_text(encoding="utf-8") == text
            except OSError:
                same = False
            if not same:
                page.write_text(text, encoding="utf-8")
        for path in records_dir.iterdir():
            if path.name not in wanted:
                path.unlink()
        command = [
            *program().command,
            "--site",
            str(records_dir),
            "--output-path",
            str(output),
            "--force-language",
            LANGUAGE,
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
        if done.returncode != 0:
            raise _failure((done.stderr or done.stdout).strip()[-2000:])
    for path in output.iterdir():
        if UNUSED.match(path.name):
            path.unlink()
    return len(records)
