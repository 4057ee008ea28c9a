"""Problems found in the content, reported in French, one per line."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from tisite.generate.textutil import plural

Severity = Literal["erreur", "avertissement"]


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one source file. ``line`` is 1-based when known."""

    file: str
    line: int | None
    field: str | None
    message: str
    severity: Severity = "erreur"

    def format(self) -> str:
        """One line, whatever the content put in it: the file, the field and the message
        (which may quote a value) each through ``_visible``."""
        file = _visible(self.file)
        where = f"{file}:{self.line}" if self.line else file
        prefix = "" if self.severity == "erreur" else "avertissement : "
        return f"{where}: {prefix}{self.said()}"

    def said(self) -> str:
        """The field and the message, without the file and line (a forge's annotation shows
        them itself), through ``_visible`` as in ``format``."""
        message = _visible(self.message)
        if self.field:
            return f"champ « {_visible(self.field)} » : {message}"
        return message


def _visible(text: str) -> str:
    """A text of the content as shown in a report, a terminal or a CI log: a line break or a
    control character in it is written as an escape (« 17\\n.md »), so that one problem stays
    on one line (no line of its own for a CI's workflow command such as « ::error:: ») and no
    terminal escape sequence (colours, title, clearing) reaches the screen."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if _hidden(ch) else ch for ch in text
    )


def _hidden(ch: str) -> bool:
    """A control, format (bidirectional overrides), unassigned or private character, or a
    line or paragraph separator; spaces (the no-break ones of French typography) are shown."""
    category = unicodedata.category(ch)
    return category[0] == "C" or category in ("Zl", "Zp")


MAX_PER_FILE = 25


class ContentError(Exception):
    """Raised when the content has at least one error; carries every problem found."""

    def __init__(self, problems: Iterable[Problem], building: bool = False) -> None:
        """``building``: found once every file was read valid (links between pages, published
        addresses), which the closing line says."""
        self.problems = sorted(problems, key=_sort_key)
        self.building = building
        super().__init__(self.report())

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "erreur"]

    @property
    def heading(self) -> str:
        """What the first line of a failed build says: the content refused, or the site."""
        return "le site ne peut pas être construit" if self.building else "contenu invalide"

    def report(self, preview: bool = False) -> str:
        """Every problem, then what to do; ``preview``: for ``ti serve``, which builds again by
        itself once a file is saved."""
        again = "enregistrez : l'aperçu se reconstruit de lui-même" if preview else "relancez"
        lines: list[str] = []
        per_file: dict[str, int] = {}
        for p in self.problems:
            per_file[p.file] = per_file.get(p.file, 0) + 1
            if per_file[p.file] <= MAX_PER_FILE:
                lines.append(p.format())
        for file, total in per_file.items():
            if total > MAX_PER_FILE:
                more = plural(total - MAX_PER_FILE, "autre problème", "autres problèmes")
                lines.append(
                    f"{_visible(file)}: … et {more} dans ce fichier (corrigez les premiers, puis "
                    f"{again})"
                )
        count = len(self.errors)
        if self.building:
            lines.append(
                f"{plural(count, 'erreur')} à la construction : le contenu est valide fichier "
                "par fichier, mais le site ne peut pas être construit ; corrigez les lignes "
                + (
                    "indiquées et " + again + "."
                    if preview
                    else "indiquées (aucun site n'a été écrit)."
                )
            )
            return "\n".join(lines)
        lines.append(
            f"{plural(count, 'erreur')} dans le contenu : corrigez les fichiers indiqués "
            + (
                f"et {again}."
                if preview
                # what the build checks (links between pages, addresses) comes after: told, so
                # that a second list of errors is expected
                else "puis relancez ; les liens entre les pages seront vérifiés ensuite (aucun "
                "site n'a été écrit)."
            )
        )
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.report()


def _sort_key(p: Problem) -> tuple[bool, str, int, str]:
    """Errors first (what stops the build), then warnings; each by file and line."""
    return (p.severity != "erreur", p.file, p.line or 0, p.field or "")
