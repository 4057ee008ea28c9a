"""Record in the repository the addresses a CI build added to urls-publiees.txt.

A site published from the browser (the web editor, a forge's editor) never runs ``ti build``
on a computer: the addresses it publishes would never reach urls-publiees.txt, and a page
removed later would break its links unnoticed. The publishing workflows run this after the
site is published (on the default branch only): the new lines are committed (« [skip ci] »:
no second build) on top of the branch as it is then, merged with any address another run
added meanwhile, and pushed. A push refused (protected branch, no token) is a warning: the
site is published all the same, and the next local ``ti build`` records them.

    python scripts/enregistrer_adresses.py <branche> [<dépôt distant>]
    python scripts/enregistrer_adresses.py --controle-jeton

The remote is « origin » (GitHub: the checkout's credentials), or on GitLab the project's
address with the token of the variable TI_JETON_DEPOT. That token can push to the protected
branch: ``--controle-jeton`` (the first step of GitLab's « verifier » job, on every branch)
fails the pipeline when a branch that is not protected can read it (a variable not marked
« Protect variable »): any Developer's branch runs its own Makefile, which could send it away.

Messages in French (read in the CI log); never a failure of the workflow, but for an exposed
token (``--controle-jeton``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REGISTRY = "urls-publiees.txt"
MESSAGE = "Adresses publiées : celles que la construction du site a ajoutées [skip ci]"
IDENTITY = ["-c", "user.name=Publication du site", "-c", "user.email=publication@example.invalid"]


def git(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """git, never asking for a password (a CI job has no one to answer), its output kept
    (a remote's address may hold a token)."""
    environment = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    return subprocess.run(
        ["git", *IDENTITY, *args], capture_output=True, text=True, check=check, env=environment
    )


def lines_at(revision: str) -> list[str] | None:
    shown = git("show", f"{revision}:{REGISTRY}", check=False)
    return shown.stdout.splitlines() if shown.returncode == 0 else None


def plural(count: int, one: str, more: str) -> str:
    return f"{count} {one if count <= 1 else more}"


def warn(text: str) -> None:
    """A warning in the CI log (an annotation on GitHub)."""
    prefix = "::warning title=Adresses publiées::" if os.environ.get("GITHUB_ACTIONS") else ""
    print(f"{prefix}Attention : {text}")


def gitlab_remote() -> str | None:
    """The project's address on a GitLab server, with the token of TI_JETON_DEPOT (its
    port and path kept: a server of one's own may have them), or None without a token."""
    token = os.environ.get("TI_JETON_DEPOT")
    server, project = os.environ.get("CI_SERVER_URL", ""), os.environ.get("CI_PROJECT_PATH", "")
    if not token or "://" not in server or not project:
        return None
    scheme, rest = server.rstrip("/").split("://", 1)
    return f"{scheme}://oauth2:{token}@{rest}/{project}.git"


TOKEN_EXPOSED = (
    "Erreur : la variable TI_JETON_DEPOT (jeton qui peut pousser sur la branche principale) "
    "est lisible par la branche « {branch} », qui n'est pas protégée : n'importe quel membre "
    "Developer du projet (et chaque utilisateur de l'éditeur web) pourrait la faire sortir "
    "depuis une branche de travail. Dans Settings → CI/CD → Variables, modifiez TI_JETON_DEPOT "
    "et cochez « Protect variable » (gardez « Mask variable ») ; puis, par prudence, révoquez "
    "ce jeton et créez-en un autre (guide des contributeurs, « Publier automatiquement »)."
)


def token_check() -> int:
    """1 (and why) when this GitLab job runs for a branch that is not protected and can read
    TI_JETON_DEPOT; 0 otherwise (GitHub, no token, a protected branch)."""
    if not os.environ.get("GITLAB_CI") or not os.environ.get("TI_JETON_DEPOT"):
        return 0
    if os.environ.get("CI_COMMIT_REF_PROTECTED") == "true":
        return 0
    branch = os.environ.get("CI_COMMIT_REF_NAME", "?")
    print(TOKEN_EXPOSED.format(branch=branch), file=sys.stderr)
    return 1


def main(branch: str, remote: str | None = None) -> int:
    """Never a failure of the workflow (the site is published): anything unexpected (no git,
    no registry, a hook refusing the commit) is a warning, without git's own output."""
    try:
        return _record(branch, remote)
    except (OSError, subprocess.CalledProcessError, UnicodeError) as exc:
        kind = type(exc).__name__  # (its text may hold the remote's address, and its token)
        warn(
            f"les nouvelles adresses de {REGISTRY} n'ont pas pu être enregistrées ({kind}) ; le "
            "site est publié ; lancez `ti build` sur votre poste et enregistrez le fichier."
        )
        return 0


def _addresses(lines: list[str]) -> list[str]:
    return [line for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _record(branch: str, remote: str | None) -> int:
    built = Path(REGISTRY).read_text(encoding="utf-8").splitlines()
    committed = lines_at("HEAD") or []
    new = [line for line in _addresses(built) if line not in set(committed)]
    if not new:
        print(f"{REGISTRY} : aucune adresse nouvelle.")
        return 0
    if os.environ.get("GITLAB_CI"):
        remote = remote or gitlab_remote()
    if os.environ.get("GITLAB_CI") and remote is None:
        warn(
            f"{plural(len(new), 'nouvelle adresse', 'nouvelles adresses')} dans {REGISTRY}, non "
            "enregistrée(s) : définissez la "
            "variable TI_JETON_DEPOT (guide des contributeurs, « Publier automatiquement »), ou "
            "lancez `ti build` sur votre poste et enregistrez le fichier."
        )
        return 0
    remote = remote or "origin"
    for _ in range(3):  # another run may push in between: fetched again, merged again
        fetched = git("fetch", "-q", remote, branch, check=False)
        if fetched.returncode != 0:
            break
        theirs = lines_at("FETCH_HEAD") or []
        added = [line for line in new if line not in set(theirs)]
        if not added:
            print(f"{REGISTRY} : les nouvelles adresses sont déjà enregistrées.")
            return 0
        with tempfile.TemporaryDirectory() as folder:  # the branch's tip, the work tree kept
            work = Path(folder) / "arbre"
            try:
                git("worktree", "add", "-q", "--detach", str(work), "FETCH_HEAD")
                (work / REGISTRY).write_text("\n".join(theirs + added) + "\n", encoding="utf-8")
                git("-C", str(work), "commit", "-q", "-m", MESSAGE, "--", REGISTRY)
                pushed = git("-C", str(work), "push", "-q", remote, f"HEAD:{branch}", check=False)
            finally:
                git("worktree", "remove", "--force", str(work), check=False)
                git("worktree", "prune", check=False)  # (one whose « add » failed half-way)
        if pushed.returncode == 0:
            said = plural(
                len(added), "nouvelle adresse enregistrée", "nouvelles adresses enregistrées"
            )
            print(f"{REGISTRY} : {said} dans {branch}.")
            return 0
    warn(
        f"{plural(len(new), 'nouvelle adresse', 'nouvelles adresses')} de {REGISTRY} non "
        "enregistrée(s) dans "
        f"la branche {branch} (branche protégée, ou jeton sans droit d'écriture : voir le guide "
        "des contributeurs, « Publier automatiquement ») ; le site est publié ; lancez "
        "`ti build` sur votre poste et enregistrez le fichier."
    )
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--controle-jeton"]:
        sys.exit(token_check())
    sys.exit(main(*sys.argv[1:3]))
