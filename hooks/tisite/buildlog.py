"""MkDocs speaks English; contributors read French. This module turns the engine's messages
into French ones and recognises those that say nothing useful to a contributor (hidden). (The
engine checks no link: the core does, in French, naming the source file and line, see
pagehtml.check_links.)

No MkDocs import: it works on message strings, for the hooks (log records of a build) and for
``ti build`` (the lines its MkDocs process prints).
"""

from __future__ import annotations

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
_ERRNO = {
    "28": "plus de place sur le disque : libérez de l'espace, puis relancez",
    "13": "permission refusée : le dossier de sortie n'est pas accessible en écriture",
    "30": "système de fichiers en lecture seule : choisissez un autre dossier de sortie",
    "122": "quota de disque dépassé : libérez de l'espace, puis relancez",
    "2": "dossier introuvable : vérifiez le chemin du dossier de sortie",
    "17": "un fichier porte déjà ce nom : choisissez un autre dossier de sortie",
    "20": "un élément du chemin est un fichier, pas un dossier : choisissez un autre dossier de "
    "sortie",
}


def console_line(line: str) -> str | None:
    """A line printed by MkDocs, as ``ti`` shows it: French prefixes, noise hidden (None)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip()
    if NOISE.match(text) or re.match(r"^\s+- \S+\.md$", text):
        return None
    if m := _CONFIG_VALUE.match(text):
        return (
            f"mkdocs.yml: réglage « {m['key']} » invalide : {m['message']} (message de MkDocs, "
            "en anglais) ; comparez avec le mkdocs.yml du projet d'origine"
        )
    if _CONFIG_ABORT.match(text):
        return None  # the invalid settings were listed just before
    if m := _PAGE_ERROR.match(text):
        return f"{m['page']}: la page n'a pas pu être construite ({m['message']})"
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


def os_error(errno: int | None, path: str | None) -> str | None:
    """French explanation of an operating-system error met while writing, or None."""
    if str(errno) not in _ERRNO:
        return None
    return _ERRNO[str(errno)] + (f" ({path})" if path else "")


def crash_message(output: str) -> str:
    """French explanation of a build that ended with a Python exception (the traceback is not
    shown: it says nothing to a contributor)."""
    last = [line for line in output.splitlines() if line.strip()][-1:] or [""]
    error = last[0].strip()
    number = re.search(r"\[Errno (\d+)\]", error)
    path = re.search(r"'([^']+)'", error)
    explained = os_error(int(number.group(1)), path and path.group(1)) if number else None
    if explained:
        return f"La construction a échoué : {explained}."
    return (
        "La construction a échoué sur une erreur interne : "
        f"{error or 'inconnue'}. Relancez avec `ti build --sans-cache` ; si l'erreur persiste, "
        "signalez-la aux mainteneurs du projet avec ce message."
    )
