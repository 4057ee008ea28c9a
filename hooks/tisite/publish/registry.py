"""The published-address registry (urls-publiees.txt): every address the site has ever
published. A build that would drop one fails, naming the line and the fix (an old identifier
makes a redirect); ``ti build`` records the new addresses after a full build; removing the
example territories removes their lines.
"""

from __future__ import annotations

import os
from pathlib import Path

from tisite import settings, urls
from tisite.content import sources
from tisite.content.errors import ContentError, Problem

HEADER = (
    "# Adresses publiées : la construction échoue si l'une disparaît sans redirection.",
    "# Tenu à jour par `ti build` : enregistrez-le avec vos modifications (git commit).",
)


def published(root: Path) -> list[tuple[int, str]]:
    """(line, address) of every address of urls-publiees.txt (none if there is no file)."""
    registry = root / sources.REGISTRY
    if not registry.is_file():
        return []
    lines = registry.read_text(encoding="utf-8").splitlines()
    return [(n, u.strip()) for n, u in enumerate(lines, 1) if u.strip() and not u.startswith("#")]


def check(root: Path, produced: set[str]) -> list[str]:
    """The addresses of ``produced`` not yet in the registry; raises a ContentError naming
    every published address the build would drop."""
    known = published(root)
    if not known:
        return []
    missing = [(n, u) for n, u in known if u not in produced]
    if missing:
        raise ContentError(_gone(missing, produced, root), building=True)
    return sorted(produced - {u for _, u in known})


def _gone(missing: list[tuple[int, str]], produced: set[str], root: Path) -> list[Problem]:
    """One problem per address that would disappear; one for a whole folder of addresses that
    would all disappear (a territory's folder renamed or removed: said once, with its fix)."""
    folders: dict[str, list[tuple[int, str]]] = {}
    for n, u in missing:
        first = u.strip("/").split("/", 1)[0]
        if first:
            folders.setdefault(first, []).append((n, u))
    whole = {
        first
        for first, lost in folders.items()
        if len(lost) > 1 and not any(p.startswith(f"/{first}/") for p in produced)
    }
    problems = [
        Problem(
            sources.REGISTRY,
            lost[0][0],
            None,
            f"les {len(lost)} adresses publiées sous /{first}/ (lignes {lost[0][0]} à "
            f"{lost[-1][0]}) disparaîtraient : le dossier territoires/{first}/ a-t-il été "
            "renommé ou supprimé ? S'il a été renommé, ajoutez « anciens_identifiants: "
            f"[{first}] » au territoire.yml du nouveau dossier (chaque ancienne adresse "
            "mènera à la nouvelle) ; si la suppression est voulue, retirez ces lignes",
        )
        for first, lost in folders.items()
        if first in whole
    ]
    problems += [
        Problem(sources.REGISTRY, n, None, _gone_page(u, root))
        for n, u in missing
        if u.strip("/").split("/", 1)[0] not in whole
    ]
    return sorted(problems, key=lambda p: p.line or 0)


def _gone_page(address: str, root: Path) -> str:
    """What to do about one published address that would disappear."""
    # a line written as the build writes them (« /t/lettres/16/ »): else putting the page
    # back would not make this line match it
    canonical = address == "/" + address.strip("/") + "/" and "//" not in address
    draft = _draft_source(address, root) if canonical else None
    if draft is not None and urls.matches("lettre", address) and not _marked_draft(root, draft):
        return (  # not a draft: a letter dated later, published on its day
            f"l'adresse publiée {address} disparaîtrait : {draft} est daté d'un jour à venir, "
            "et une lettre ne paraît que le jour de sa date ; remettez sa date pour la garder "
            "en ligne, ou, si son retrait est voulu, retirez cette ligne"
        )
    if draft is not None:  # its file is there: set back as a draft (« brouillon »)
        return (
            f"l'adresse publiée {address} disparaîtrait : {draft} est marqué « brouillon », "
            "et un brouillon n'est pas publié ; retirez « brouillon: true » pour la garder "
            "en ligne, ou, si son retrait est voulu, retirez cette ligne"
        )
    if urls.matches("lettre", address):  # a letter keeps its number: no former identifier
        number = address.rstrip("/").rsplit("/", 1)[-1]
        return (
            f"l'adresse publiée {address} disparaîtrait : une lettre garde son numéro ; si le "
            f"fichier {number}.md a été renommé ou supprimé par erreur, remettez-le sous ce nom "
            "(dans lettres/) ; si la suppression de la lettre est voulue, retirez cette ligne"
        )
    if urls.matches("fiche", address):
        return (
            f"l'adresse publiée {address} disparaîtrait : si la fiche action a été renommée, "
            "déclarez l'ancien identifiant dans « anciens_identifiants » du nouveau fichier "
            "(une redirection sera créée) ; si sa suppression est voulue, retirez cette ligne"
        )
    first = address.strip("/").split("/", 1)[0]
    if first and (sources.territories(root) / first).is_dir():  # a page of a territory
        return (
            f"l'adresse publiée {address} disparaîtrait : le fichier du territoire qui la "
            f"produit (dans territoires/{first}/) a-t-il été retiré ? Remettez-le ; si le "
            "retrait de la page est voulu, retirez cette ligne"
        )
    if any(  # a page the build makes for the whole network (the national dashboard…)
        "{t}" not in pattern and name != "contribuer" and urls.matches(name, address)
        for name, pattern in urls.TABLE.items()
    ):
        return (
            f"l'adresse publiée {address} disparaîtrait : cette page du réseau n'est plus "
            "produite (le site est-il passé à un seul territoire ? voyez « mode » dans "
            "site.yml) ; si c'est voulu, retirez cette ligne"
        )
    page = address.strip("/") or "index"  # a page written by hand, in docs/
    return (
        f"l'adresse publiée {address} disparaîtrait : la page {_docs(root)}/{page}.md (ou "
        f"{page}/index.md) a-t-elle été renommée ou supprimée ? Remettez-la sous ce nom ; si "
        "c'est voulu, retirez cette ligne (l'ancienne adresse ne mènera plus nulle part)"
    )


def _docs(root: Path) -> str:
    """The folder of the pages written by hand (mkdocs.yml's « docs_dir »)."""
    try:
        return settings.engine_config(root)["docs_dir"].strip("/")
    except Exception:  # an unreadable mkdocs.yml is reported on its own
        return "docs"


def _marked_draft(root: Path, source: str) -> bool:
    """Whether the front matter of the file ``source`` (relative to ``root``) says
    « brouillon: true »."""
    try:
        text = (root / source).read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return True  # (what it says cannot be read: the usual message)
    return sources.DRAFT.search(text.split("\n---", 1)[0]) is not None


def _draft_source(address: str, root: Path) -> str | None:
    """The file of a letter or fiche action at ``address`` when it is still there (then marked
    as a draft: it would be published else), relative to the project; None otherwise."""
    for name, folder, key in (
        ("lettre", sources.LETTERS, "numero"),
        ("fiche", sources.ACTIONS, "id"),
    ):
        params = urls.parse(name, address)
        if params is None or any(v.startswith(".") for v in params.values()):
            continue  # (« .. » in urls-publiees.txt names no file of a territory)
        path = sources.territory(root, params["t"]) / folder / f"{params[key]}.md"
        if path.is_file():
            return path.relative_to(root).as_posix()
    return None


def built_addresses(site_dir: Path) -> set[str]:
    """The address of every page of a built site (the web editor is not a page)."""
    editor = urls.EDITOR.strip("/")
    found = {
        "/" + p.parent.relative_to(site_dir).as_posix().removeprefix(".") + "/"
        for p in site_dir.rglob("index.html")
        if p.relative_to(site_dir).parts[0] != editor
    }
    return {u.replace("//", "/") for u in found}


def record(root: Path, site_dir: Path) -> list[str]:
    """Add the addresses of the site built in ``site_dir`` to the registry; the new ones."""
    registry = root / sources.REGISTRY
    lines = registry.read_text(encoding="utf-8").splitlines() if registry.is_file() else []
    new = sorted(built_addresses(site_dir) - {line.strip() for line in lines})
    if new:
        header = [] if lines else list(HEADER)
        _write(registry, "\n".join(header + lines + new) + "\n")
    return new


def _write(path: Path, text: str) -> None:
    """Replace ``path`` at once: a reader (another command, an editor) never sees it half
    written, and a failed write (full disk) leaves the previous file whole."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def forget_all_but(root: Path, kept_addresses: set[str]) -> list[str]:
    """Remove from the registry every address not in ``kept_addresses``; the removed."""
    registry = root / sources.REGISTRY
    if not registry.is_file():
        return []
    removed: list[str] = []
    kept: list[str] = []
    for line in registry.read_text(encoding="utf-8").splitlines():
        address = line.strip()
        gone = address and not address.startswith("#") and address not in kept_addresses
        (removed if gone else kept).append(line)
    _write(registry, "\n".join(kept) + "\n")
    return [line.strip() for line in removed]
