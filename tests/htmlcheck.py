"""The Nu Html Checker (vnu.jar from the npm package vnu-jar, run by Java) for the tests.

``make test`` installs it (target ``quality-deps``) and passes its path in ``VNU_JAR``.
Every error fails the tests, the theme's too: what Material's templates print that HTML does
not allow is set right by the build (tisite/finish/themehtml.py), never left out of the check.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JAR = ROOT / ".cache" / "outils" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


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
