"""Say, on a pull/merge request, when it changes more than content.

Advisory only: the request runs its own copy of this script and of the workflow, so a request
could silence it; what enforces a maintainer's review is a CODEOWNERS file with « code owner
approval » on the protected branch (guide des contributeurs, « Publier automatiquement »).

Content (``territoires/``, ``docs/``, ``site.yml``, ``urls-publiees.txt``) is checked by the
build, whoever writes it. Everything else is the program or its configuration (``hooks/``,
``mkdocs.yml`` — its ``hooks:`` run Python —, the Makefile, the workflows, the scripts…): a
request that changes it gets the same green check as a content change, so this step says so
in French, with the files, for the maintainers who must review it (README, « Sécurité »).

    python scripts/code_modifie.py [<révision de base>]

The base is the request's target: on GitHub the first parent of the merge commit the workflow
checks out (HEAD^1), on GitLab CI_MERGE_REQUEST_DIFF_BASE_SHA. Exit 0 when only content
changed (or nothing can be compared), 3 when code changed: GitLab's job allows that code
(``allow_failure: exit_codes``) and shows the pipeline « passed with warnings »; GitHub's
step prints a notice and a summary, and passes. Standard library only (the CI's Python).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

CODE_CHANGED = 3
CONTENT = ("territoires/", "docs/")
CONTENT_FILES = ("site.yml", "urls-publiees.txt")


def is_content(path: str) -> bool:
    return path.startswith(CONTENT) or path in CONTENT_FILES


def changed(base: str) -> list[str] | None:
    """The files changed between ``base`` and HEAD (None when git cannot say)."""
    done = subprocess.run(
        ["git", "diff", "--name-only", "--no-renames", "-z", base, "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    return [name for name in done.stdout.split("\0") if name]


def shown(path: str) -> str:
    """A file name as one line of a CI log (a name may hold a line break or a control)."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in path)


def message(code: list[str]) -> str:
    listed = ", ".join(shown(p) for p in code[:20]) + (" …" if len(code) > 20 else "")
    return (
        f"Cette demande modifie le programme ou sa configuration, pas seulement le contenu "
        f"({len(code)} fichier{'s' if len(code) > 1 else ''} : {listed}). La vérification ne "
        "juge que le contenu : un mainteneur doit relire ces fichiers avant la fusion."
    )


def main(base: str | None = None) -> int:
    github = bool(os.environ.get("GITHUB_ACTIONS"))
    # GitLab: the target's tip for a merged-results pipeline (its merge commit holds the
    # target's own changes too), else where the request's branch started
    base = (
        base
        or os.environ.get("CI_MERGE_REQUEST_TARGET_BRANCH_SHA")
        or os.environ.get("CI_MERGE_REQUEST_DIFF_BASE_SHA")
        or "HEAD^1"
    )
    files = changed(base)
    if files is None:  # nothing known: said as a change to review, never as « contenu »
        said = (
            f"Fichiers modifiés : comparaison impossible avec {shown(base)} ; un mainteneur "
            "doit vérifier lui-même si cette demande modifie autre chose que le contenu."
        )
        if github:
            print(f"::notice title=Relecture d'un mainteneur::{said}")
            return 0
        print(f"Attention : {said}")
        return CODE_CHANGED
    code = [p for p in files if not is_content(p)]
    if not code:
        print("Cette demande ne modifie que du contenu.")
        return 0
    said = message(code)
    if github:
        escaped = said.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        print(f"::notice title=Relecture d'un mainteneur::{escaped}")
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary:  # the names as text in a fenced block, never read as Markdown or HTML
            names = [shown(p) for p in code]
            longest = max((len(run) for n in names for run in re.findall(r"`+", n)), default=0)
            fence = "`" * max(3, longest + 1)
            with Path(summary).open("a", encoding="utf-8") as out:
                out.write(
                    "### Relecture d'un mainteneur\n\nCette demande modifie le programme ou sa "
                    "configuration, pas seulement le contenu ; la vérification ne juge que le "
                    "contenu : un mainteneur doit relire ces fichiers avant la fusion.\n\n"
                    f"{fence}text\n" + "\n".join(names) + f"\n{fence}\n"
                )
        return 0
    print(f"Attention : {said}")
    return CODE_CHANGED


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
