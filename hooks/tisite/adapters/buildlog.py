"""MkDocs speaks English; contributors read French. This module turns the engine's messages
into French ones and recognises those that say nothing useful to a contributor (hidden). (The
engine checks no link: the core does, in French, naming the source file and line, see
pagehtml.check_links.)

No MkDocs import: it works on message strings, for the hooks (log records of a build) and for
``ti build`` (the lines its MkDocs process prints).
"""

from __future__ import annotations

import errno
import re

# Lines of a MkDocs run that say nothing to a contributor (English, about MkDocs itself).
NOISE = re.compile(
    r"^(?:INFO\s+-\s+)?(?:"
    r"Cleaning site directory"
    r"|Building documentation to directory: .*"
    r"|The following pages exist in the docs directory, but are not included in the "
    r'"nav" configuration:'
    r"|Aborted with a BuildError!"
    r"|Documentation built in .*"
    r")$"
)
_CONFIG_VALUE = re.compile(r"^(?:ERROR\s+-\s+)?Config value '(?P<key>[^']+)': (?P<message>.*)$")
_ABSENT_PATH = re.compile(r"^The path '(?P<path>[^']*)' isn't an existing file or directory\.?$")
_CONFIG_ABORT = re.compile(r"^Aborted with (?:\d+ configuration errors|a configuration error)!$")
_PAGE_ERROR = re.compile(
    r"^(?:ERROR\s+-\s+)?Error (?:reading|building) page '(?P<page>[^']*)': (?P<message>.*)$"
)
_STRICT = re.compile(r"^Aborted with (\d+) warnings? in strict mode!$")
_LEVEL = re.compile(r"^(INFO|WARNING|ERROR|DEBUG)\s+-\s+")
# Every build is strict (ti build, ti check; the preview shows its error page): a warning of
# MkDocs stops it, so it is an error, one word for one thing (the content's own warnings, which
# do not stop the build, are logged as information and say « avertissement » themselves).
_LEVELS = {"INFO": "", "DEBUG": "", "WARNING": "erreur : ", "ERROR": "erreur : "}
# The system errors a contributor meets, in French with what to do (by errno name: the numbers
# differ between systems); the others are named « erreur système ELOOP ».
_ERRNO = {
    "ENOSPC": ("plus de place sur le disque", "libérez de l'espace, puis relancez"),
    "EDQUOT": ("quota de disque dépassé", "libérez de l'espace, puis relancez"),
    "EACCES": (
        "permission refusée",
        "vérifiez les droits sur ce fichier ou dossier, ou choisissez-en un autre",
    ),
    "EROFS": (
        "système de fichiers en lecture seule",
        "choisissez un dossier sur un disque où l'on peut écrire",
    ),
    "ENOENT": ("fichier ou dossier introuvable", "vérifiez le chemin"),
    "EISDIR": ("c'est un dossier, pas un fichier", "vérifiez le chemin"),
    "ENOTDIR": ("un élément du chemin est un fichier, pas un dossier", "vérifiez le chemin"),
    "EEXIST": (
        "un fichier ou un dossier porte déjà ce nom",
        "choisissez un autre nom, ou supprimez-le",
    ),
    "ENOTEMPTY": ("le dossier n'est pas vide", "choisissez un dossier vide ou nouveau"),
    "ENAMETOOLONG": ("nom de fichier trop long", "raccourcissez le chemin"),
    "EMFILE": ("trop de fichiers ouverts à la fois", "relancez"),
}
_ERRNO["EPERM"] = _ERRNO["EACCES"]


def console_line(line: str) -> str | None:
    """A line printed by MkDocs, as ``ti`` shows it: French prefixes, noise hidden (None)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip()
    if NOISE.match(text) or re.match(r"^\s+- \S+\.md$", text):
        return None
    if (m := _CONFIG_VALUE.match(text)) and (absent := _ABSENT_PATH.match(m["message"])):
        return (
            f"mkdocs.yml: réglage « {m['key']} » : « {absent['path']} » n'existe pas ; créez-le "
            "(un dossier vide garde un fichier .gitkeep, sans quoi git ne l'enregistre pas : "
            "un clone ne l'aurait pas) ou retirez-le de la liste"
        )
    if m:
        return (
            f"mkdocs.yml: réglage « {m['key']} » invalide : {m['message']} (message de MkDocs, "
            "en anglais) ; comparez avec le mkdocs.yml du projet d'origine"
        )
    if _CONFIG_ABORT.match(text):
        return None  # the invalid settings were listed just before
    if m := _PAGE_ERROR.match(text):
        return f"{m['page']}: la page n'a pas pu être construite ({_system(m['message'])})"
    if m := _STRICT.match(text):
        count = int(m.group(1))
        s = "s" if count > 1 else ""
        return (
            f"Construction interrompue : {count} erreur{s} (voir ci-dessus) ; corrigez-les "
            "puis relancez."
        )
    if m := _LEVEL.match(text):
        prefix, rest = _LEVELS[m.group(1)], text[m.end() :]
        located = re.match(r"^([^\s:]+/[^\s:]+(?::\d+)?): ", rest)
        if prefix and located and not rest[located.end() :].startswith(prefix):
            return f"{located.group(1)}: {prefix}{rest[located.end() :]}"
        return prefix + rest
    return text


# What the preview says when the generator's own code is saved (adapters.enginewatch): the
# running process can't take it; ``ti serve`` starts the preview again when it reads this.
CODE_CHANGED = "Le code du générateur a changé"


_RESTART = re.compile(
    rf"^(?:INFO\s+-\s+)?(?:\[\d\d:\d\d:\d\d\]\s+)?{re.escape(CODE_CHANGED)} \((?:hooks/|/)"
)


def asks_restart(line: str) -> bool:
    """Whether a line of the preview's engine is its own saying that its code changed (see
    CODE_CHANGED): at the start of the line, never quoted by a message about the content (a
    value « Le code du générateur a changé » would restart the preview again and again)."""
    return bool(_RESTART.match(re.sub(r"\x1b\[[0-9;]*m", "", line)))


_SERVE = (
    (re.compile(r"^Serving on (\S+)$"), "Aperçu sur {0} (Ctrl+C pour arrêter)"),
    (re.compile(r"^Building documentation\.\.\.$"), "Construction de l'aperçu…"),
    (re.compile(r"^Detected file changes$"), "Modification détectée : nouvelle construction…"),
    (re.compile(r"^Reloading browsers$"), "La page ouverte dans le navigateur se recharge."),
    (re.compile(r"^Shutting down\.\.\.$"), "Arrêt de l'aperçu."),
    (
        re.compile(r"^An error happened during the rebuild\..*"),
        "La construction a échoué (voir ci-dessus) : corrigez le fichier indiqué, l'aperçu "
        "repart de lui-même.",
    ),
)
_SERVE_NOISE = re.compile(
    r"^(?:Watching paths for changes: .*|Browser (?:connected|disconnected): .*"
    r"|Waiting for file changes to stop happening"
    r'|"(?:GET|HEAD) \S+ HTTP/[0-9.]+" code \d+)$'
)


def serve_line(line: str) -> str | None:
    """A line of ``mkdocs serve``, as ``ti serve`` shows it (French, noise hidden)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip()
    bare = re.sub(r"^(?:INFO|DEBUG|WARNING|ERROR)\s+-\s+(?:\[\d\d:\d\d:\d\d\]\s+)?", "", text)
    if _SERVE_NOISE.match(bare):
        return None
    for pattern, french_text in _SERVE:
        if m := pattern.match(bare):
            return french_text.format(*m.groups())
    return console_line(line)


def os_error(number: int | None, path: str | None) -> str:
    """French explanation of an operating-system error (its errno number) and what to do,
    naming ``path``: the common ones in words, the others by their errno name."""
    name = errno.errorcode.get(number or 0)
    where = f" ({path})" if path else ""
    if name in _ERRNO:
        what, fix = _ERRNO[name]
        return f"{what}{where} : {fix}"
    return f"erreur système {name}{where}" if name else f"erreur système{where}"


def os_error_text(exc: OSError) -> str:
    """The French text of an OSError that reaches the user (never the system's English words);
    one function for every command. A copy that failed (shutil.Error: no errno) names its first
    file."""
    path = exc.filename
    if exc.errno is None and exc.args and isinstance(exc.args[0], list) and exc.args[0]:
        first = exc.args[0][0]  # shutil.Error: [(source, destination, reason), ...]
        if isinstance(first, tuple) and len(first) == 3:
            number = re.search(r"\[Errno (\d+)\]", str(first[2]))
            return os_error(int(number[1]) if number else None, str(first[1]))
    if exc.filename2:
        path = f"{exc.filename} → {exc.filename2}"
    return os_error(exc.errno, str(path) if path else None)


_SYSTEM = re.compile(r"\[Errno (\d+)\] [^:']*(?:: '([^']*)')?")


def _system(message: str) -> str:
    """A message with a system error in English (« [Errno 28] No space left on device: 'x' »)
    written in French."""
    return _SYSTEM.sub(lambda m: os_error(int(m[1]), m[2]), message)


def crash_message(output: str) -> str:
    """French explanation of a build that ended with a Python exception (the traceback is not
    shown: it says nothing to a contributor)."""
    last = [line for line in output.splitlines() if line.strip()][-1:] or [""]
    error = last[0].strip()
    number = re.search(r"\[Errno (\d+)\]", error)
    path = re.search(r"'([^']+)'", error)
    if number:
        explained = os_error(int(number.group(1)), path and path.group(1))
        return f"La construction a échoué : {explained}."
    return (
        "La construction a échoué sur une erreur interne : "
        f"{error or 'inconnue'}. Relancez avec `ti build --sans-cache` ; si l'erreur persiste, "
        "signalez-la aux mainteneurs du projet avec ce message."
    )


def serve_crash(line: str) -> str:
    """The last line of a traceback of a preview's rebuild, as ``ti serve`` shows it: a system
    error (the disk, the rights) in French, anything else as an internal error."""
    if re.search(r"\[Errno \d+\]", line):
        return crash_message(line)
    return f"Erreur interne pendant la construction : {line.strip()}"
