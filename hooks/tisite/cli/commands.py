"""The ``ti`` command: check, build, serve, schemas and scaffolding.

Heavy modules (models, validation, rendering) are imported by the commands that need them:
``ti build`` and ``ti serve`` hand over to MkDocs in a child process and start at once.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tisite import clock
from tisite.cli.argparse_fr import FrenchParser, french
from tisite.cli.workspace import DEFAULT_WAIT
from tisite.content import sources
from tisite.content.errors import ContentError, Problem
from tisite.generate.textutil import agree, long_date, plural
from tisite.publish import registry


def find_root(start: Path) -> Path:
    """The project root: the closest folder holding mkdocs.yml."""
    for folder in [start, *start.parents]:
        if (folder / "mkdocs.yml").is_file():
            return folder
    raise SystemExit(
        f"mkdocs.yml introuvable dans {start} ni dans ses dossiers parents : lancez la commande "
        "depuis le dossier du projet (celui qui contient mkdocs.yml), ou indiquez-le avec "
        "--racine <dossier>."
    )


def cmd_check(args: argparse.Namespace) -> int:
    """Validate the content, then build the site for nothing (into a temporary folder, with
    the same hooks, cache and strict mode as ``ti build``): « valide » means the build passes.
    ``--rapide`` stops after the content."""
    from tisite.content.loader import load_site

    root = find_root(Path(args.racine).resolve())
    config = config_problem(root)
    if config is not None:
        report_problems([config], args)
        print(config.format(), file=sys.stderr)
        return 1
    try:
        # a portal's sources harvested; letters dated later checked as their day's build
        # will publish them (a scheduled letter's broken link would fail that night's build)
        site = load_site(root, only=args.territoire, harvest=True, scheduled=True)
    except ContentError as exc:
        report_problems(exc.problems, args)
        print(exc.report(), file=sys.stderr)
        return 1
    report_problems(list(site.warnings), args)
    for warning in site.warnings:
        print(warning.format(), file=sys.stderr)
    if site.harvest:
        print(site.harvest, file=sys.stderr)
    if not args.rapide:
        from tisite.adapters.buildlog import os_error_text
        from tisite.cli import workspace

        try:
            with workspace.project_lock(root, args.attente):
                problems = dry_build(root, args)
        except OSError as exc:
            print(f"La construction a échoué : {os_error_text(exc)}.", file=sys.stderr)
            print("Vérification interrompue : le site n'a pas pu être construit.", file=sys.stderr)
            return 1
        if problems:
            report_problems(problems, args)
            for problem in problems:
                print(problem.format(), file=sys.stderr)
            count = len(problems)
            print(
                f"{count} erreur{'s' if count > 1 else ''} à la construction : le contenu est "
                "valide fichier par fichier, mais le site ne peut pas être construit ; "
                "corrigez les lignes indiquées.",
                file=sys.stderr,
            )
            return 1
    names = ", ".join(t.nom for t in site.territories)
    if site.territories:
        print(f"Contenu valide : {plural(len(site.territories), 'territoire')} ({names}).")
    else:  # a portal with no territory of its own and nothing harvested yet
        print("Contenu valide : aucun territoire (le portail n'en a encore récolté aucun).")
    own = site.own_territory
    if own is not None:
        print(
            f"Site d'un seul territoire : l'accueil du site est celui de {own.nom} ; sans pages "
            "du réseau (guide du contributeur, « Un seul territoire : le site est le sien »)."
        )
    if not args.rapide:
        print("Construction vérifiée : le site se construit sans erreur (rien n'a été publié).")
    print(editor_status(site.settings.edition, site_url(root)))
    return 0


def site_url(root: Path) -> str | None:
    """« site_url » of mkdocs.yml (read as config_problem checks it: tags allowed)."""
    from ruamel.yaml import YAML

    config = YAML(typ="rt").load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    value = config.get("site_url") if isinstance(config, dict) else None
    return str(value) if value else None


def editor_status(edition: Any, url: str | None = None) -> str:
    """What `ti check` says of the web editor (/admin/), and what it needs when it is off."""
    from tisite.content.schema import GUIDE_EDITOR
    from tisite.editor.cms import shared_origin

    if edition is None:
        # one line, said at every check: what to add is in the guide
        return (
            f"Éditeur web (/admin/) : non activé (bloc « edition » de site.yml ; {GUIDE_EDITOR})."
        )
    mode = "demandes de fusion" if edition.workflow_editorial else "publication directe"
    shared = shared_origin(url)
    line = f"Éditeur web (/admin/) : {edition.forge}, {edition.depot}, {mode}."
    return line + (f"\n{shared}." if shared else "")


_PROBLEM_LINE = re.compile(r"^(?P<file>[^\s:][^:]*?)(?::(?P<line>\d+))?: (?P<message>.+)$", re.S)


def _as_problem(text: str) -> Problem:
    """A French message of the build as a Problem (file and line when the message names them)."""
    match = _PROBLEM_LINE.match(text)
    if match and ("/" in match["file"] or match["file"].endswith((".yml", ".md", ".txt"))):
        line = int(match["line"]) if match["line"] else None
        return Problem(match["file"], line, None, match["message"])
    return Problem("mkdocs.yml", None, None, text)


def dry_build(root: Path, args: argparse.Namespace) -> list[Problem]:
    """Build the site into a temporary folder, in this process; the problems it reports (an
    OSError, the disk's, is raised)."""
    import logging

    from tisite import pipeline
    from tisite.adapters import engine
    from tisite.adapters.buildlog import console_line, crash_message
    from tisite.cli import workspace

    class Collect(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.WARNING)
            self.messages: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            shown = console_line(record.getMessage())
            if shown:
                self.messages.append(shown)

    os.environ.update(engine.environment())  # no English banner
    logger = logging.getLogger(args.moteur)
    collect = Collect()
    logger.addHandler(collect)
    propagate, logger.propagate = logger.propagate, False
    problems: list[Problem] = []
    tmp = workspace.temporary_folder(root, root, "verification")
    try:
        # a portal's sources were just harvested (cmd_check): the build reads those copies
        pipeline.build(
            root, tmp, args.moteur, **build_options(args), moisson=False, programmees=True
        )
    except ContentError as exc:  # refused before the engine ran (links, addresses)
        problems += exc.problems
    except engine.BuildAborted as exc:
        problems += _problems_in(str(exc))
    except OSError:
        raise  # the disk, not the content: one French sentence (cmd_check)
    except Exception as exc:
        problems.append(Problem("mkdocs.yml", None, None, crash_message(repr(exc))))
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate
        shutil.rmtree(tmp, ignore_errors=True)
    for message in collect.messages:
        problems += _problems_in(message)
    return list(dict.fromkeys(problems))


def _problems_in(message: str) -> list[Problem]:
    """The problems of a message of the build (one per line; headings and counts dropped)."""
    from tisite.adapters.buildlog import console_line

    out = []
    for line in message.splitlines():
        text = (console_line(line) or "").removeprefix("erreur : ")
        if text.endswith(" :") or re.match(r"^\d+ erreurs? dans le contenu", text):
            continue  # a heading (« adresses publiées : ») or the count line
        if text and not text.startswith("Construction interrompue"):
            out.append(_as_problem(text.replace(": erreur : ", ": ", 1)))
    return out


def config_problem(root: Path) -> Problem | None:
    """A syntax error in mkdocs.yml, in French with its line (MkDocs would say it in English)."""
    from tisite.content.yamlio import config_syntax_problem

    return config_syntax_problem(root / "mkdocs.yml", "mkdocs.yml")


def report_problems(problems: list[Problem], args: argparse.Namespace) -> None:
    """Machine-readable copies of the problems for forges: annotations (GitHub), the job's
    summary (GitHub shows ten annotations of each kind per step: the summary lists them all)
    and the Code Quality report (GitLab). Called at each stage of ``ti check``: the summary and
    the report are written again with every problem reported so far."""
    reported: list[Problem] = getattr(args, "reported", [])
    args.reported = reported = reported + [p for p in problems if p not in reported]
    if args.format == "github":
        for p in problems:
            level, title = (
                ("error", "Erreur") if p.severity == "erreur" else ("warning", "Avertissement")
            )
            where = f"file={_property(p.file)}" + (f",line={p.line}" if p.line else "")
            print(f"::{level} {where},title={title}::{_data(p.said())}")
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:
            Path(summary).write_text(github_summary(reported), encoding="utf-8")
    if args.rapport_gitlab:
        # the same problem keeps its fingerprint when lines above it move (its line is not in
        # it); the same words twice in a file are told apart by their order (GitLab shows one
        # issue per fingerprint)
        seen: dict[tuple[str, str, str], int] = {}
        issues = []
        for p in reported:
            what = (p.file, p.field or "", p.message)
            seen[what] = seen.get(what, 0) + 1
            issues.append(
                {
                    "description": p.format(),
                    "check_name": "contenu",
                    "fingerprint": hashlib.sha1(
                        "\n".join([*what, str(seen[what])]).encode("utf-8")
                    ).hexdigest(),
                    "severity": "major" if p.severity == "erreur" else "minor",
                    "location": {"path": p.file, "lines": {"begin": p.line or 1}},
                }
            )
        Path(args.rapport_gitlab).write_text(
            json.dumps(issues, ensure_ascii=False, indent=2), encoding="utf-8"
        )


def github_summary(problems: list[Problem]) -> str:
    """The job's summary on GitHub (Markdown): counts, then every problem as text in a fenced
    block (content quoted in a message is never read as Markdown or HTML)."""
    errors = sum(p.severity == "erreur" for p in problems)
    warnings = len(problems) - errors
    lines = [p.format() for p in problems]
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    head = (
        f"### Vérification du contenu : {plural(errors, 'erreur')}, "
        f"{plural(warnings, 'avertissement')}\n\n"
    )
    if not problems:
        return head
    return (
        head + "GitHub n'affiche que dix annotations de chaque sorte par étape ; voici la liste "
        "complète, dans l'ordre.\n\n" + f"{fence}text\n" + "\n".join(lines) + f"\n{fence}\n"
    )


def _data(text: str) -> str:
    """A workflow command's message, escaped as GitHub's runner expects: a file name or a value
    can't end the command and start another one (``::set-env``, ``::add-mask``…)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A workflow command's property (file, title): data escaping, plus « : » and « , »."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def build_options(args: argparse.Namespace) -> dict[str, Any]:
    """The build settings (tisite.settings) that ``ti``'s options ask for."""
    options: dict[str, Any] = {}
    if args.territoire:
        options["territoire"] = args.territoire
    if getattr(args, "brouillons", False):
        options["brouillons"] = True
    if getattr(args, "sans_cache", False):
        options["cache_pages"] = False
    if getattr(args, "processus_images", None):
        options["processus_images"] = args.processus_images
    if getattr(args, "commande", None) == "serve" and not getattr(args, "moissonner", False):
        options["moisson"] = False  # a portal's preview: the last copies, unless asked
    return options


def cmd_build(args: argparse.Namespace) -> int:
    """Build into a temporary folder, then swap it in: a failed build leaves the old site.
    One command at a time per project (workspace.project_lock); only a folder that an earlier
    build wrote (workspace.SITE_MARK) is ever replaced."""
    from tisite.adapters.buildlog import os_error_text
    from tisite.cli import workspace

    root = find_root(Path(args.racine).resolve())
    config = config_problem(root)
    if config is not None:
        print(config.format(), file=sys.stderr)
        print("Échec de la construction : le site précédent est conservé.", file=sys.stderr)
        return 1
    target = Path(args.site_dir).resolve() if args.site_dir else root / "site"
    with workspace.project_lock(root, args.attente):
        refused = workspace.destination_problem(
            root, target, workspace.SITE_MARK, "ti build", docs_dir(root)
        )
        if refused:
            option = "--site-dir " if args.site_dir else ""
            print(f"{option}{workspace.shown(root, target)} : {refused}.", file=sys.stderr)
            return 1
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = workspace.temporary_folder(root, target.parent, "site")
        except OSError as exc:
            print(
                f"Impossible d'écrire le site dans {target.parent} : {os_error_text(exc)}.",
                file=sys.stderr,
            )
            return 1
        try:
            code = _build_into(tmp, root, args, target)
            if code == UNCHANGED:
                print(f"Site à jour dans {target}")
                return 0
            if code != 0:
                print("Échec de la construction : le site précédent est conservé.", file=sys.stderr)
                return code
            try:
                workspace.replace_folder(tmp, target)
            except OSError as exc:
                print(
                    f"Impossible de remplacer {target} : {os_error_text(exc)}. Le site "
                    "précédent est conservé.",
                    file=sys.stderr,
                )
                return 1
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        print(f"Site construit dans {target}")
        if not args.territoire and not args.brouillons:  # drafts are not published addresses
            record_published_urls(root, target)
    return 0


UNCHANGED = -1  # _build_into: nothing changed, the site folder is kept (tisite.publish.uptodate)


def _build_into(tmp: Path, root: Path, args: argparse.Namespace, target: Path | None = None) -> int:
    """The pipeline (tisite.pipeline.build) into ``tmp``, to replace ``target``, in this
    process, its report in French on the error stream; 0, UNCHANGED (nothing to do: ``tmp``
    is left empty), or 1 after a failure."""
    import logging

    from tisite import pipeline
    from tisite.adapters import engine
    from tisite.adapters.buildlog import console_line, crash_message, os_error_text

    engine.select(args.moteur)  # before anything imports the engine (ProperDocs replaces it)
    os.environ.update(engine.environment())  # no English banner

    class Show(logging.Handler):
        """The engine's own messages (warnings, errors), as ``ti`` shows them."""

        def emit(self, record: logging.LogRecord) -> None:
            shown = console_line(f"{record.levelname} - {record.getMessage()}")
            if shown:
                print(shown, file=sys.stderr, flush=True)

    logger = logging.getLogger(args.moteur)
    show = Show(logging.WARNING)
    logger.addHandler(show)
    propagate, logger.propagate = logger.propagate, False

    def say(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    try:
        result = pipeline.build(root, tmp, args.moteur, target, **build_options(args))
    except ContentError as exc:
        say(f"erreur : {exc.heading} :\n" + exc.report())
        return 1
    except engine.BuildAborted as exc:
        for line in str(exc).splitlines():
            if (shown := console_line(line)) is not None:
                say(shown)
        return 1
    except OSError as exc:
        say(f"La construction a échoué : {os_error_text(exc)}.")
        return 1
    except Exception as exc:  # never a traceback: what to do, in French
        say(crash_message(f"{type(exc).__name__}: {exc}"))
        return 1
    finally:
        logger.removeHandler(show)
        logger.propagate = propagate
    for line in result.lines:
        say(line)
    return UNCHANGED if result.unchanged else 0


def docs_dir(root: Path) -> str:
    """« docs_dir » of mkdocs.yml (docs by default)."""
    from ruamel.yaml import YAML

    try:
        config = YAML(typ="rt").load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    except Exception:  # config_problem reports a broken file
        return "docs"
    value = config.get("docs_dir") if isinstance(config, dict) else None
    return str(value).strip("/") if value else "docs"


def _mkdocs_process(command: list[str], env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    """MkDocs in a child process whose output (both streams) ``ti`` reads line by line."""
    return subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    )


def run_mkdocs(command: list[str], env: dict[str, str], cwd: Path) -> int:
    """Run MkDocs, showing its output in French (English noise hidden, no traceback)."""
    from tisite.adapters.buildlog import console_line, crash_message

    process = _mkdocs_process(command, env, cwd)
    assert process.stdout is not None
    captured: list[str] = []
    crashed = False
    for line in process.stdout:
        captured.append(line)
        crashed = crashed or line.startswith("Traceback (most recent call last)")
        shown = None if crashed else console_line(line)
        if shown is not None:
            print(shown, file=sys.stderr, flush=True)
    code = process.wait()
    if code != 0 and crashed:
        print(crash_message("".join(captured)), file=sys.stderr)
    return code


def record_published_urls(root: Path, site_dir: Path) -> None:
    """Add the URLs of this build to urls-publiees.txt (the build refuses to drop them later)."""
    new = registry.record(root, site_dir)
    if new:
        added = agree(len(new), "nouvelle adresse ajoutée", "nouvelles adresses ajoutées")
        print(f"{len(new)} {added} à {sources.REGISTRY} : enregistrez-le.")


def free_address(address: str) -> tuple[str, str | None]:
    """``address`` (host:port), or the next free port with a French note when it is taken."""
    import socket

    host, _, port_text = address.rpartition(":")
    if not port_text.isdigit():
        return address, None
    port = int(port_text)
    for candidate in range(port, min(port + 50, 65536)):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host or "127.0.0.1", candidate))
            except OSError:
                continue
        if candidate == port:
            return address, None
        return (
            f"{host}:{candidate}",
            f"Le port {port} est déjà utilisé (un autre aperçu est-il ouvert ?) : l'aperçu "
            f"utilise le port {candidate}.",
        )
    return address, f"Les ports {port} à {port + 49} sont tous utilisés : fermez un aperçu."


def cmd_serve(args: argparse.Namespace) -> int:
    from tisite.adapters import engine
    from tisite.cli import workspace

    root = find_root(Path(args.racine).resolve())
    address, note = free_address(args.adresse)
    if note:
        print(note, file=sys.stderr, flush=True)
    # not strict: a broken link shows the preview's error page (mkdocs_hooks.on_post_build)
    # instead of stopping the build, which would leave the preview unanswering until the fix
    # dirty: the preview's folder is kept between rebuilds and only what a save changed is
    # written again (the hooks decide what changed, by content: tisite.publish.served)
    arguments = ["serve", "--livereload", "--dirty", "--no-strict", "--dev-addr", address]
    arguments += ["--config-file", str(root / "mkdocs.yml")]
    command = engine.command(args.moteur, build_options(args), arguments)
    # Stopped by a signal (a terminal closed, a test ending), ``ti serve`` stops its server too
    # (and a server whose ``ti`` is gone however it ended stops itself: enginewatch).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if hasattr(signal, "SIGHUP"):  # the terminal closed (not on Windows)
        signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
    # the engine's own temporary folders (MkDocs' served site) live under the project's
    # .cache/tmp/, in one folder ti removes at its end, or the next command when ti was killed
    # (MkDocs creates its folder before it is ready to remove it: a stop in its first seconds
    # left it in the system's temporary folder)
    scratch = workspace.scratch_folder(root, "apercu")
    child = _mkdocs_process(command, _serve_environment(scratch), root)
    try:
        # the generator's code saved: the engine's process can't take it, a new one starts
        # on the same address (the open page reloads when it finds the new server)
        restarted = False
        while True:
            if _follow_preview(child):
                _stop(child)
                print("Aperçu : redémarrage avec le nouveau code…", file=sys.stderr, flush=True)
            else:
                code = child.wait()
                if not restarted or code <= 0:
                    return code
                # the new code does not start (a syntax error just saved): wait for the fix
                print(
                    "Le nouveau code du générateur ne démarre pas (voir ci-dessus) : corrigez-le, "
                    "l'aperçu repart au prochain enregistrement du code.",
                    file=sys.stderr,
                    flush=True,
                )
                _wait_for_code_change()
            restarted = True
            child = _mkdocs_process(command, _serve_environment(scratch), root)
    finally:
        _stop(child)
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _code_state() -> dict[str, tuple[int, int]]:
    """Time and size of each module and data file of the generator (what a restart loads)."""
    import tisite
    from tisite.publish.diskcache import code_files

    package = Path(tisite.__file__).resolve().parent
    state = {}
    for path in [*code_files(package, per_build=False), package.parent / "mkdocs_hooks.py"]:
        with contextlib.suppress(OSError):
            found = path.stat()
            state[str(path)] = (found.st_mtime_ns, found.st_size)
    return state


def _wait_for_code_change(pause: float = 0.5) -> None:
    before = _code_state()
    while _code_state() == before:
        time.sleep(pause)


def _follow_preview(child: subprocess.Popen[str]) -> bool:
    """Show the preview's lines in French until it ends (False) or says the generator's code
    changed (True: it must start again)."""
    from tisite.adapters.buildlog import asks_restart, serve_crash, serve_line

    assert child.stdout is not None
    traceback_lines = 0
    for line in child.stdout:
        # a rebuild that crashes prints a Python traceback: one French line instead
        if line.startswith("Traceback (most recent call last)"):
            traceback_lines = 1
            continue
        if traceback_lines:
            if line.startswith((" ", "\t")) or not line.strip():
                continue
            traceback_lines = 0
            print(serve_crash(line), file=sys.stderr)
            continue
        shown = serve_line(line)
        if shown is not None:
            print(shown, file=sys.stderr, flush=True)
        if asks_restart(line):
            return True
    return False


def _serve_environment(scratch: Path | None) -> dict[str, str]:
    """The preview engine's environment: with this process's number, so that the engine stops
    with ``ti`` however it ends (adapters.enginewatch), and ``scratch`` as its temporary
    folder (the names Python's tempfile reads, on every system; the system's own without)."""
    from tisite.adapters import engine

    names = ("TMPDIR", "TEMP", "TMP") if scratch is not None else ()
    temporary = dict.fromkeys(names, str(scratch))
    return {**engine.environment(), **temporary, engine.PARENT_VARIABLE: str(os.getpid())}


FORCED_STOP = "L'aperçu ne s'arrêtait pas : il a été arrêté de force."


def _stop(child: subprocess.Popen[str]) -> None:
    """Stop the preview as Ctrl+C does (the engine removes its temporary site folder), then
    harder if it does not end. Not by Ctrl+C's own signal, which a process started in the
    background ignores: by the one the engine takes for it (engine.STOP_SIGNAL)."""
    from tisite.adapters.engine import STOP_SIGNAL

    if child.poll() is None:
        child.send_signal(STOP_SIGNAL)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            print(FORCED_STOP, file=sys.stderr, flush=True)


def cmd_export(args: argparse.Namespace) -> int:
    """The generated source as a plain docs folder, for an engine without hooks (Zensical)."""
    from tisite.adapters.buildlog import os_error_text
    from tisite.cli import workspace
    from tisite.publish.export import export

    root = find_root(Path(args.racine).resolve())
    config = config_problem(root)
    if config is not None:
        print(config.format(), file=sys.stderr)
        return 1
    url = site_url(root)
    if not url:
        print("mkdocs.yml : « site_url » est obligatoire pour l'export.", file=sys.stderr)
        return 1
    dest = Path(args.dossier).resolve()
    from tisite.adapters.engine import theme_problems

    theme = theme_problems(root)  # as a build checks them: the export runs no hook of ours
    if theme:
        print(ContentError(theme).report(), file=sys.stderr)
        print("Export interrompu : rien n'a été écrit.", file=sys.stderr)
        return 1
    try:
        with workspace.project_lock(root, args.attente):
            said, lines = export(root, dest, url)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        print("Export interrompu : rien n'a été écrit.", file=sys.stderr)
        return 1
    except workspace.Refused as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(
            f"Impossible d'écrire l'export dans {dest} : {os_error_text(exc)}. Rien n'a été "
            "remplacé.",
            file=sys.stderr,
        )
        return 1
    for line in said:  # warnings, as ti build says them
        print(line, file=sys.stderr)
    for line in lines:
        print(line)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from tisite.content import schema

    root = find_root(Path(args.racine).resolve())
    folder = root / "schemas"
    folder.mkdir(exist_ok=True)
    for name, data in schema.json_schemas().items():
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"Écrit : {path.relative_to(root)}")
    from tisite.publish import bundle

    path = folder / f"{bundle.SCHEMA_NAME}.schema.json"
    path.write_text(bundle.json_schema(), encoding="utf-8")
    print(f"Écrit : {path.relative_to(root)}")
    return 0


LETTER_TEMPLATE = """---
# yaml-language-server: $schema=../../../schemas/lettre.schema.json
# Le site écrit « Lettre n° {numero} : » devant le titre : ne le répétez pas.
titre: Titre de la lettre
date: {date}
resume: >-
  Deux ou trois phrases qui résument la lettre (archive, flux et aperçus de partage).
# Passez à false (ou supprimez la ligne) quand la lettre est prête à être publiée.
brouillon: true
# Image de couverture facultative, placée dans le dossier lettres/ :
# image_alt: Description de l'image en une phrase
# image: images/couverture-{numero}.jpg
# Appels à projets et événements annoncés (facultatifs) : enlevez les « # » des lignes
# voulues, en gardant l'alignement.
# appels_a_projets:
#   - titre: Nom de l'appel à projets
#     operateur: Bpifrance
#     date_limite: {date}
#     lien: https://www.exemple.fr/appel-a-projets
#     identifiant: nom-de-l-appel-{annee}   # le même si sa date limite change (voir le guide)
# evenements:
#   - titre: Nom de l'événement
#     date: {date}T09:30
#     lieu: Ville, salle
#     lien: https://www.exemple.fr/evenement
#     identifiant: nom-de-l-evenement-{annee}   # le même s'il est reporté (voir le guide)
---
## Actualité nationale

## Actualités locales

## Actualités des territoires voisins

## Boîte à outils
"""


def cmd_new_letter(args: argparse.Namespace) -> int:
    root = find_root(Path(args.racine).resolve())
    folder = sources.territory(root, args.territoire)
    if not folder.is_dir():
        known = ", ".join(sorted(p.name for p in sources.territories(root).iterdir() if p.is_dir()))
        print(f"Territoire « {args.territoire} » introuvable (connus : {known}).", file=sys.stderr)
        return 1
    letters = sources.letters(folder)
    letters.mkdir(exist_ok=True)
    numbers = [int(p.stem) for p in letters.glob("*.md") if re.fullmatch(r"[0-9]{1,4}", p.stem)]
    numero = max(numbers, default=0) + 1
    when = args.date or clock.today().isoformat()
    try:
        day = dt.date.fromisoformat(when)
    except ValueError:
        from tisite.content.schema import date_advice

        advice = date_advice(when) or f"doit être une date au format AAAA-MM-JJ (reçu « {when} »)"
        print(f"Lettre non créée : --date : {advice}.", file=sys.stderr)
        return 1
    path = letters / f"{numero}.md"
    path.write_text(
        LETTER_TEMPLATE.format(numero=numero, date=when, annee=day.year), encoding="utf-8"
    )
    said = f"brouillon, n°\u00a0{numero}, datée du {long_date(day)}"
    print(f"Lettre créée : {path.relative_to(root)} ({said}).")
    print("Rédigez-la, passez « brouillon » à false, vérifiez avec `make check`, puis enregistrez.")
    return 0


def cmd_epci(args: argparse.Namespace) -> int:
    from tisite.cli.scaffold import epci_line
    from tisite.content.reference import load_reference

    text = " ".join(args.texte)
    found = load_reference().search(text, limit=args.nombre)
    if not found:
        print(f"Aucune intercommunalité ne correspond à « {text} ».", file=sys.stderr)
        return 1
    for e in found:
        print(epci_line(e))
    return 0


def _ask(question: str) -> str:
    try:
        return input(question).strip()
    except EOFError:
        return ""


def cmd_new_territory(args: argparse.Namespace) -> int:
    from tisite.cli.scaffold import (
        NewTerritory,
        ScaffoldError,
        check_slug,
        epci_line,
        find_epci,
        write_territory,
    )

    root = find_root(Path(args.racine).resolve())
    interactive = sys.stdin.isatty()
    try:
        check_slug(root, args.identifiant)
        nom = args.nom or (_ask("Nom du territoire : ") if interactive else "")
        if not nom:
            raise ScaffoldError("indiquez le nom du territoire : --nom « Lacq-Pau-Tarbes »")
        wanted = list(args.epci)
        if not wanted and interactive:
            print("Intercommunalités membres (nom ou SIREN), une par ligne ; ligne vide : fin")
            while line := _ask("  EPCI : "):
                wanted.append(line)
        if not wanted:
            raise ScaffoldError(
                "indiquez au moins une intercommunalité : --epci « CC de Lacq-Orthez » (ou son "
                "SIREN ; cherchez-la avec ti epci <nom>)"
            )
        epcis = []
        for text in wanted:
            e = find_epci(text)
            if e in epcis:
                raise ScaffoldError(f"« {e.nom} » est indiquée deux fois")
            epcis.append(e)
        written = write_territory(root, NewTerritory(args.identifiant, nom, tuple(epcis)))
    except ScaffoldError as error:
        print(f"Territoire non créé : {error}", file=sys.stderr)
        return 1
    print(f"Territoire « {nom} » créé dans territoires/{args.identifiant}/ :")
    for path in written:
        print(f"  {path.relative_to(root)}")
    for e in epcis:
        print(f"  EPCI : {epci_line(e)}")
    print(
        "Complétez « resume » et les objectifs, ajoutez des fiches actions dans actions/, "
        "puis vérifiez avec `make check` et regardez le site avec `make serve`."
    )
    return 0


def cmd_remove_examples(args: argparse.Namespace) -> int:
    from tisite.cli import workspace
    from tisite.cli.scaffold import remove_examples

    root = find_root(Path(args.racine).resolve())
    with workspace.project_lock(root, args.attente):
        folders, urls = remove_examples(root)
    if not folders and not urls:
        print("Aucun territoire d'exemple à retirer.")
        return 0
    for folder in folders:
        print(f"Retiré : {folder}")
    removed = agree(len(urls), "adresse retirée", "adresses retirées")
    print(
        f"{len(urls)} {removed} de {sources.REGISTRY} : celles des exemples (et celles des "
        "pages nationales faites de leur contenu, tant que le site n'a publié aucun territoire "
        "à lui) ; `ti build` y inscrit celles de votre site."
    )
    print(
        f"Écrivez aussi vos mentions légales dans {sources.SITE} (éditeur, hébergeur, "
        "contacts ; retirez « demonstration: true ») et l'adresse de votre site dans "
        "mkdocs.yml (site_url)."
    )
    territories = sources.territories(root)
    if not any(p.is_dir() for p in territories.iterdir()) if territories.is_dir() else True:
        print(
            "Le site n'a plus de territoire : créez le vôtre avec "
            "`ti nouveau-territoire <identifiant>` avant `make check`."
        )
    print("Vérifiez avec `make check`, puis enregistrez (git add -A && git commit).")
    return 0


def engine_option(command: argparse.ArgumentParser) -> None:
    from tisite.adapters.engine import DEFAULT, ENGINES

    command.add_argument(
        "--moteur",
        choices=ENGINES,
        default=DEFAULT,
        help="moteur qui écrit les pages : MkDocs 1.6 (par défaut) ou ProperDocs 1.6, sa "
        "continuation maintenue ; le site produit est le même",
    )


def parser() -> argparse.ArgumentParser:
    p = FrenchParser(prog="ti", description="Sites des Territoires d'industrie")
    p.add_argument(
        "--racine",
        default=".",
        metavar="DOSSIER",
        help="dossier du projet (par défaut : le dossier courant)",
    )
    p.add_argument(
        "--attente",
        type=float,
        default=DEFAULT_WAIT,
        metavar="SECONDES",
        help="durée d'attente maximale quand une autre commande (construction, vérification, "
        "export) écrit dans le projet (par défaut : 1800)",
    )
    sub = p.add_subparsers(dest="commande", required=True, title="commandes", metavar="COMMANDE")

    check = sub.add_parser(
        "check",
        help="vérifie tout ce que la construction vérifie (contenu, liens, adresses publiées, "
        "configuration) en construisant le site à part, sans toucher à site/",
    )
    check.add_argument("--territoire", help="ne valider qu'un territoire (son dossier)")
    check.add_argument(
        "--rapide",
        action="store_true",
        help="valide le contenu sans construire le site pour rien (les liens entre pages, "
        "les adresses publiées et la configuration ne sont alors pas vérifiés)",
    )
    check.add_argument(
        "--format",
        choices=["texte", "github"],
        default="texte",
        help="github : annotations affichées sur les lignes concernées d'une pull request",
    )
    check.add_argument(
        "--rapport-gitlab", metavar="FICHIER", help="écrit un rapport Code Quality pour GitLab"
    )
    engine_option(check)
    check.set_defaults(func=cmd_check)

    build = sub.add_parser("build", help="construit le site public (mode strict)")
    build.add_argument("--territoire", help="ne construire qu'un territoire")
    build.add_argument(
        "--site-dir", metavar="DOSSIER", help="dossier de sortie (par défaut : site/)"
    )
    build.add_argument(
        "--sans-cache",
        action="store_true",
        help="refait toutes les pages sans reprendre celles de .cache/pages (le résultat est le "
        "même, en plus lent)",
    )
    build.add_argument(
        "--brouillons",
        action="store_true",
        help="publie aussi les brouillons (pour relire un site complet, jamais pour le publier)",
    )
    build.add_argument(
        "--processus-images",
        type=whole_number(1, 64),
        metavar="N",
        help="processus qui dessinent les images de partage (par défaut : un par processeur "
        "au-delà du premier ; aucun pour moins de 100 images à dessiner, dessinées sur place)",
    )
    engine_option(build)
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help="aperçu local avec rechargement automatique")
    serve.add_argument("--territoire", help="ne prévisualiser qu'un territoire")
    serve.add_argument("--brouillons", action="store_true", help="affiche aussi les brouillons")
    serve.add_argument(
        "--adresse",
        default="127.0.0.1:8000",
        metavar="HÔTE:PORT",
        help="adresse de l'aperçu (par défaut : 127.0.0.1:8000 ; le port suivant s'il est pris)",
    )
    serve.add_argument(
        "--sans-cache", action="store_true", help="refait toutes les pages à chaque rechargement"
    )
    serve.add_argument(
        "--moissonner",
        action="store_true",
        help="un portail national récolte à nouveau ses sources (sinon : leurs dernières "
        "copies, dans .cache/portail)",
    )
    engine_option(serve)
    serve.set_defaults(func=cmd_serve)

    new = sub.add_parser("nouvelle-lettre", help="crée la prochaine lettre d'un territoire")
    new.add_argument(
        "territoire", help="dossier du territoire, par exemple hainaut-douaisis-cambresis"
    )
    new.add_argument("--date", help="date de parution AAAA-MM-JJ (par défaut : aujourd'hui)")
    new.set_defaults(func=cmd_new_letter)

    epci = sub.add_parser("epci", help="cherche une intercommunalité par son nom ou son SIREN")
    epci.add_argument("texte", nargs="+", help="mots du nom (accents et majuscules indifférents)")
    epci.add_argument("--nombre", type=whole_number(1), default=10, help="nombre de résultats (10)")
    epci.set_defaults(func=cmd_epci)

    nt = sub.add_parser(
        "nouveau-territoire",
        help="crée un territoire (territoire.yml, priorites.yml, gouvernance.yml)",
    )
    nt.add_argument("identifiant", help="adresse du territoire, par exemple lacq-pau-tarbes")
    nt.add_argument("--nom", help="nom du territoire (demandé s'il manque)")
    nt.add_argument(
        "--epci",
        action="append",
        default=[],
        help="une intercommunalité membre, par nom ou SIREN (à répéter ; demandées si absentes)",
    )
    nt.set_defaults(func=cmd_new_territory)

    rx = sub.add_parser(
        "retirer-exemples", help="retire les territoires d'exemple et leurs adresses publiées"
    )
    rx.set_defaults(func=cmd_remove_examples)

    ex = sub.add_parser(
        "exporter",
        help="écrit le site généré en dossier docs/ ordinaire, pour un moteur sans hooks "
        "(Zensical)",
    )
    ex.add_argument("dossier", help="dossier de l'export (vide, nouveau ou export précédent)")
    ex.set_defaults(func=cmd_export)

    sch = sub.add_parser("schema", help="écrit les schémas JSON utilisés par les éditeurs")
    sch.set_defaults(func=cmd_schema)
    return p


def whole_number(low: int, high: int | None = None) -> Callable[[str], int]:
    """An option's type: a whole number from ``low`` (to ``high``), else a French refusal."""

    def read(text: str) -> int:
        span = f"de {low} à {high}" if high is not None else f"supérieur ou égal à {low}"
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"doit être un nombre entier {span} (reçu « {text} »)")
        return value

    return read


def main(argv: list[str] | None = None) -> int:
    from tisite.adapters.buildlog import os_error_text
    from tisite.cli import workspace
    from tisite.memo import collect_less

    collect_less()
    try:
        with french():  # help, usage and errors of the command line in French
            args = parser().parse_args(argv)
    except SystemExit as stop:  # --help (0) or a wrong command (1)
        return stop.code if isinstance(stop.code, int) else 1
    try:
        with workspace.interruptible():
            # what interrupted commands left; outside a project, the command says so if it needs
            with contextlib.suppress(SystemExit):
                root = find_root(Path(args.racine).resolve())
                problem = workspace.cache_problem(root)  # before anything reads or writes it
                if problem is not None:
                    print(f"Commande refusée : {problem}", file=sys.stderr)
                    return 1
                workspace.clean(root)
            code = int(args.func(args))
            workspace.stop_if_interrupted()
            return code
    except KeyboardInterrupt:
        return 130
    except workspace.Busy as exc:
        print(exc, file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"La commande a échoué : {os_error_text(exc)}.", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
