"""The Nu Html Checker (vnu.jar from the npm package vnu-jar, run by Java) for the tests.

``make test`` installs it (target ``quality-deps``) and passes its path in ``VNU_JAR``.
Errors that come from Material for MkDocs' own templates, and not from ours, are listed in
``MATERIAL_ERRORS`` with the reason; every other error fails the tests.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JAR = ROOT / ".cache" / "outils" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# (message pattern, extract pattern, why it is not ours)
MATERIAL_ERRORS: tuple[tuple[str, str, str], ...] = (
    (
        r"^Attribute “autocomplete” is only allowed when the input type is",
        r'class="md-toggle"[^>]*type="checkbox"',
        "base.html de Material : cases à cocher d'état (tiroir, recherche) avec autocomplete=off",
    ),
    (
        r"^The value of the “for” attribute of the “label” element must be the ID of a non-hidden",
        r'<label class="md-nav__title" for="__toc"',
        "partials/toc.html de Material : libellé du sommaire intégré quand la case __toc est absente",
    ),
)


@dataclass(frozen=True)
class HtmlError:
    file: str
    line: int | None
    message: str
    extract: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message} [{self.extract.strip()[:160]}]"


def vnu_jar() -> Path:
    jar = Path(os.environ.get("VNU_JAR") or DEFAULT_JAR)
    if not jar.is_file() or shutil.which("java") is None:
        raise RuntimeError(
            f"Nu Html Checker absent ({jar}) ou Java absent : lancez `make quality-deps` "
            "(ou `make test`, qui l'installe)."
        )
    return jar


def check_html(files: list[Path], base: Path) -> list[HtmlError]:
    """All errors reported by the checker for ``files`` (paths shown relative to ``base``)."""
    command = ["java", "-Xss4m", "-jar", str(vnu_jar()), "--errors-only", "--format", "json"]
    result = subprocess.run(
        [*command, *map(str, files)], capture_output=True, text=True, check=False
    )
    report = json.loads(result.stderr)
    errors = []
    for message in report["messages"]:
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        path = Path(url.removeprefix("file:")) if url else base
        errors.append(
            HtmlError(
                file=path.relative_to(base).as_posix() if path.is_relative_to(base) else url,
                line=message.get("lastLine"),
                message=message["message"],
                extract=message.get("extract", ""),
            )
        )
    return errors


def is_material_error(error: HtmlError) -> bool:
    return any(
        re.search(msg, error.message) and re.search(extract, error.extract)
        for msg, extract, _ in MATERIAL_ERRORS
    )


def our_errors(files: list[Path], base: Path) -> list[HtmlError]:
    """Errors that are not Material's own: those the project's templates or content cause."""
    return [e for e in check_html(files, base) if not is_material_error(e)]
