"""Load every source of the site, validate it all, and build the models.

All problems of all files are collected before stopping: a contributor sees every mistake at
once. Warnings (declared figures that disagree with the reference…) do not stop the build.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import hashlib
import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from tisite import clock, memo, urls
from tisite.content import images, remote, schema, sources, vocab
from tisite.content.errors import ContentError, Problem
from tisite.content.letters import heading_warnings, load_agenda, load_letters
from tisite.content.models import ActionItem, Epci, SiteModel, Territory
from tisite.content.reference import load_reference
from tisite.content.safety import unsafe_entries
from tisite.content.validation import body_invisible, format_loc, read_published, renamed, validate
from tisite.content.yamlio import EMPTY, Source, read_markdown, read_yaml
from tisite.generate.textutil import agree, french_sorted, line_of, long_date
from tisite.publish import registry

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # always used with fullmatch
ACTION_NAME = (
    SLUG_RE,
    "lettres minuscules sans accent, chiffres et tirets seulement, suivis de .md (il devient "
    "l'adresse de l'action)",
)


def territory_dirs(root: Path) -> list[Path]:
    base = root / sources.TERRITORIES
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _restore(rel: str) -> str:
    """How to get a required file back: from git, or from the guide's model."""
    return (
        f"retrouvez-le avec git (`git checkout HEAD -- {rel}`), ou écrivez-le d'après le modèle du "
        "guide du contributeur (pour un territoire, `ti nouveau-territoire` écrit les trois "
        "fichiers d'un territoire nouveau, à recopier)"
    )


def _read(root: Path, path: Path, problems: list[Problem]) -> Source | None:
    """A required YAML file (site.yml, a territory's three files)."""
    rel = _rel(root, path)
    if not path.is_file():
        problems.append(Problem(rel, None, None, f"fichier obligatoire manquant : {_restore(rel)}"))
        return None
    source, problem = read_yaml(path, rel)
    if problem and problem.message.startswith(EMPTY):  # not to be removed: it is required
        problem = dataclasses.replace(
            problem, message=f"le fichier est vide, et il est obligatoire : {_restore(rel)}"
        )
    if problem:
        problems.append(problem)
    if source is not None and source.data is None:  # comments only: empty all the same
        message = (
            f"le fichier ne contient que des commentaires, et il est obligatoire : {_restore(rel)}"
        )
        problems.append(Problem(rel, None, None, message))
        return None
    return source


def load_settings(root: Path, problems: list[Problem]) -> schema.Site | None:
    source = _read(root, root / sources.SITE, problems)
    return validate(schema.Site, source, problems) if source else None


def _read_markdown_as_pages(root: Path) -> None:
    """The check reads contributor Markdown with the pages' extensions (those of mkdocs.yml):
    what it accepts, the build reads alike."""
    from tisite.generate.convert import markdown_settings

    try:
        remote.read_as(*markdown_settings(root))
    except Exception:  # a broken mkdocs.yml: the build names it; the defaults meanwhile
        remote.read_as(*markdown_settings(None))


def load_site(
    root: Path,
    only: str | None = None,
    drafts: bool = False,
    harvest: bool = False,
    scheduled: bool = False,
) -> SiteModel:
    """Load ``root`` (holding site.yml and territoires/). Raises ContentError on any error.

    ``scheduled``: letters dated later are read as published (``ti check``: what the build of
    their day will publish is checked now, see letters.load_letters).

    ``only`` restricts the build to one territory (fast preview); the others are not read.
    A national portal (site.yml's « portail ») adds the territories harvested from its
    sources: fetched again (``harvest``) or read from the last copies in .cache/portail.
    """
    root = root.resolve()
    unsafe = unsafe_entries(root)
    if unsafe:  # nothing is read before: a link may point to a device or a secret
        raise ContentError(unsafe)
    problems: list[Problem] = []
    _read_markdown_as_pages(root)
    settings = load_settings(root, problems)
    portail = settings.portail if settings is not None and not only else None
    dirs = territory_dirs(root)
    if only:
        dirs = [d for d in dirs if d.name == only]
        if not dirs:
            known = ", ".join(d.name for d in territory_dirs(root)) or "aucun"
            problems.append(
                Problem(
                    sources.TERRITORIES,
                    None,
                    None,
                    f"territoire « {only} » introuvable (connus : {known}) : relancez la "
                    "commande avec le nom d'un de ces dossiers (--territoire ou TERRITOIRE=)",
                )
            )
    elif not dirs and not (portail and portail.sources) and not _portal_refused(root, settings):
        problems.append(
            Problem(
                sources.TERRITORIES,
                None,
                None,
                "aucun territoire : créez un dossier par territoire",
            )
        )

    home = home_territory(root, settings, territory_dirs(root), problems)
    urls.set_home_territory(home)  # every address of this build (see urls.url_to)
    territories = [t for d in dirs if (t := _territory_kept(root, d, problems, drafts, scheduled))]
    load_docs(root, problems)
    _check_across(root, territories, problems)
    problems += local_addresses(root, dirs)  # and the templates' texts left in place
    problems += settings_placeholders(root)  # the example's legal notices, left in site.yml

    errors = [p for p in problems if p.severity == "erreur"]
    if errors or settings is None:
        raise ContentError(problems)
    line = None
    if portail and portail.sources:  # a portal: no source, no request
        from tisite.content.harvest import gather

        harvested, notes, line = gather(root, portail, territories, harvest)
        territories += harvested
        problems += notes
        if any(p.severity == "erreur" for p in notes):
            raise ContentError(problems)
    return SiteModel(
        settings=settings,
        territories=tuple(french_sorted(territories, "nom")),
        reference_source=load_reference().source,
        warnings=tuple(p for p in problems if p.severity == "avertissement"),
        harvest=line,
        home=home,
    )


def home_territory(
    root: Path, settings: schema.Site | None, dirs: list[Path], problems: list[Problem]
) -> str | None:
    """The territory whose site this is: the only folder of territoires/ (unless site.yml
    says « mode: national »), or the one « mode: territoire » asks for. None: a network."""
    mode = settings.mode if settings else None
    portal = bool(settings and settings.portail and settings.portail.sources)
    if not dirs or mode == "national" or (mode is None and (len(dirs) != 1 or portal)):
        return None  # a portal that harvests other sites is a network
    if len(dirs) == 1:
        return dirs[0].name
    source, _ = read_yaml(root / sources.SITE, sources.SITE)
    line = source.line_of(["mode"]) if source else None
    found = ", ".join(d.name for d in dirs) or "aucun"
    problems.append(
        Problem(
            sources.SITE,
            line,
            "mode",
            f"« mode: territoire » demande un seul dossier dans {sources.TERRITORIES}/ (trouvés : "
            f"{len(dirs)}, {found}) : retirez les autres territoires, ou écrivez « mode: "
            "national » pour un site de plusieurs territoires",
        )
    )
    return None


DOCS_DIR = "docs"
DOCS_IMAGES = (".jpg", ".jpeg", ".png", ".webp", ".gif")


# Names of docs/ files: they become addresses (see load_docs).
DOCS_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*(/[A-Za-z0-9_][A-Za-z0-9._-]*)*")


def _suggest_name(inside: str) -> str:
    decomposed = unicodedata.normalize("NFKD", inside)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    parts = [
        re.sub(r"[^A-Za-z0-9._-]+", "-", part).strip("-.") or "page"
        for part in ascii_only.split("/")
    ]
    return "/".join(parts)


def load_docs(root: Path, problems: list[Problem]) -> None:
    """Check the hand-written pages of docs/: only Markdown pages and raster images are
    published from there (an HTML page, a script or an SVG image would run code on the site's
    origin), their front matter holds only the keys the site uses, their images are readable
    and next to them, and nothing is loaded from another host."""
    base = root / DOCS_DIR
    if not base.is_dir():
        return
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(base).parts):
            continue  # MkDocs publishes no hidden file
        rel = _rel(root, path)
        suffix = path.suffix.lower()
        inside = path.relative_to(base).as_posix()
        first = inside.split("/", 1)[0].removesuffix(".md")
        if not DOCS_NAME.fullmatch(inside):
            problems.append(
                Problem(
                    rel,
                    None,
                    None,
                    "nom de fichier refusé dans docs/ : il devient une adresse du site, qui ne "
                    "doit contenir que des lettres sans accent, des chiffres, « - », « _ » et "
                    "« . » (une espace, un « # », un « ? » ou une barre oblique inverse donnent "
                    "une adresse cassée ou qui mène ailleurs). Renommez-le, par exemple "
                    f"« {_suggest_name(inside)} »",
                )
            )
            continue
        if PurePosixPath(inside).name.casefold() == "readme.md":
            problems.append(
                Problem(
                    rel,
                    None,
                    None,
                    "MkDocs publie un « README.md » comme la page d'accueil de son dossier (à "
                    "la racine de docs/, celle du site) : renommez-le, par exemple "
                    "« lisez-moi.md »",
                )
            )
            continue
        # a disk that ignores capitals (a contributor's Mac or Windows machine) makes « Atom.xml/ »
        # and « atom.xml » one name
        if first.casefold() in GENERATED_TOP:
            problems.append(
                Problem(
                    rel,
                    None,
                    None,
                    f"« {first} » est une adresse que le site produit lui-même (/{first}/) : "
                    "une page de docs/ à cet endroit la remplacerait ou serait écrasée. "
                    "Choisissez un autre nom",
                )
            )
            continue
        if suffix in DOCS_IMAGES:
            refused = images.problem(path, rel)
            if refused:
                problems.append(Problem(rel, None, None, refused))
        elif path.suffix == ".md":
            _check_docs_page(root, path, rel, problems)
        elif suffix == ".md":
            problems.append(
                Problem(
                    rel,
                    None,
                    None,
                    f"extension « {path.suffix} » : écrivez « .md » en minuscules (sinon le "
                    "fichier serait publié tel quel, sans être mis en page ni nettoyé)",
                )
            )
        else:
            problems.append(
                Problem(
                    rel,
                    None,
                    None,
                    "fichier refusé dans docs/ : seules des pages .md et des images (JPEG, PNG, "
                    "WebP, GIF) y sont publiées ; une page HTML, un script ou une image SVG "
                    "pourrait exécuter du code sur le site. Retirez-le",
                )
            )


def _check_docs_page(root: Path, path: Path, rel: str, problems: list[Problem]) -> None:
    text = path.read_text(encoding="utf-8", errors="replace")
    if text.startswith("---"):
        source, problem = read_markdown(path, rel)
        if source is None:
            if problem:
                problems.append(problem)
            return
        page = validate(schema.PageDocs, source, problems)
        if page is not None and page.image:
            target = (path.parent / page.image).resolve()
            line = source.line_of(("image",))
            if not target.is_file() or (root / DOCS_DIR).resolve() not in target.parents:
                problems.append(
                    Problem(
                        rel,
                        line,
                        "image",
                        f"image introuvable à côté de la page : « {page.image} »",
                    )
                )
            elif refused := images.problem(target, page.image):
                problems.append(Problem(rel, line, "image", refused))
        body, first = source.body, source.body_line
    else:
        body, first = text, 1
    invisible = body_invisible(body, rel, first)
    if invisible:
        problems.append(invisible)
    # the HTML images are only looked for once the text is known to be readable (problems_in
    # refuses an overloaded one first): HTMLParser reads « <a <a <a … » in quadratic time
    place = _docs_place(root, path, functools.cache(lambda: remote.raw_image_addresses(body)))
    problems.extend(remote.problems_in(body, rel, first, None, body=True, place=place))


def _docs_place(root: Path, page: Path, raw: Callable[[], set[str]]) -> remote.Place:
    """Images of a page of docs/: image files of docs/, which MkDocs publishes at their own
    path. A Markdown image is relative to the page's file (MkDocs rewrites it for the page's
    address); an ``<img>`` written in HTML is left as written, so the browser reads it from the
    page's address: « docs/a/b.md » is published as « /a/b/ »."""
    docs = (root / DOCS_DIR).resolve()

    def place(url: str) -> str | None:
        base = page.parent
        if page.name != "index.md" and url in raw():
            base = page.parent / page.stem
        target = (base / url.replace("\\", "/")).resolve()
        if docs not in target.parents:
            return f"image « {url} » hors du dossier docs/ : placez le fichier à côté de la page"
        inside = target.relative_to(docs).as_posix()
        hidden = any(p.startswith(".") for p in inside.split("/"))
        if not target.is_file() or hidden or not images.named_as_written(docs, inside):
            html = (
                " (une balise <img> se lit depuis l'adresse de la page)"
                if base != page.parent
                else ""
            )
            return (
                f"image introuvable : « {url} », cherchée en docs/{inside}{html} : placez le "
                "fichier à côté de la page et vérifiez l'orthographe, majuscules comprises"
            )
        if target.suffix.lower() not in DOCS_IMAGES:
            return f"« {url} » n'est pas une image JPEG, PNG, WebP ou GIF (.jpg, .png, .webp, .gif)"
        return None  # the image itself is checked as a file of docs/ (load_docs)

    return place


# A territory as loaded, with the problems its loading found, by everything it is read from
# (see _folder_key): in a process that builds again (``ti serve``), an unchanged territory is
# neither read nor validated again (tisite.memo). Loaded territories are never modified.
_LOADED: memo.Recent[tuple[Territory | None, tuple[Problem, ...]]] = memo.Recent()


def _folder_key(root: Path, directory: Path, drafts: bool, scheduled: bool) -> bytes:
    """Everything ``load_territory`` reads: every entry under the territory's folder (its path,
    kind and bytes, read by blocks; never a file's date), where the project is, whether drafts
    and letters dated later are shown, the build's day (a letter appears on its day), the home
    territory (its addresses), our code and reference data (diskcache.code_digest). Raises
    OSError when an entry can't be read (gone meanwhile)."""
    from tisite.publish.diskcache import code_digest

    shape = (code_digest(), str(root), directory.name, drafts, scheduled, clock.today())
    digest = hashlib.sha256(repr((*shape, urls.home_territory())).encode())
    _digest_entries(digest, str(directory), b"")
    return digest.digest()


def _digest_entries(digest: Any, folder: str, prefix: bytes) -> None:
    """Each entry under ``folder`` into ``digest``, in name order: its path under the territory
    and its kind; a link's target, a file's bytes (os.scandir: no look-up per entry, this runs
    for every territory at each save of the preview)."""
    with os.scandir(folder) as found:
        entries = sorted(found, key=lambda entry: entry.name)
    for entry in entries:
        rel = prefix + os.fsencode(entry.name)
        if entry.is_symlink():
            digest.update(b"\0" + rel + b"\0lien\0" + os.fsencode(os.readlink(entry.path)))
        elif entry.is_dir(follow_symlinks=False):
            digest.update(b"\0" + rel + b"/")
            _digest_entries(digest, entry.path, rel + b"/")
        elif entry.is_file(follow_symlinks=False):
            with open(entry.path, "rb") as handle:
                digest.update(b"\0" + rel + b"\0" + hashlib.file_digest(handle, "sha256").digest())
        else:  # a pipe or a device: refused before (safety), never opened
            digest.update(b"\0" + rel + b"\0autre")


def _territory_kept(
    root: Path, directory: Path, problems: list[Problem], drafts: bool, scheduled: bool
) -> Territory | None:
    """``load_territory``, or the territory the last build loaded from the very same folder."""
    if not memo.keeping():
        return load_territory(root, directory, problems, drafts, scheduled)

    def load() -> tuple[Territory | None, tuple[Problem, ...]]:
        found: list[Problem] = []
        return load_territory(root, directory, found, drafts, scheduled), tuple(found)

    try:
        key = _folder_key(root, directory, drafts, scheduled)
    except OSError:  # an entry gone while it was read (an editor's temporary file): not kept
        return load_territory(root, directory, problems, drafts, scheduled)
    territory, found = _LOADED.get(key, load)
    problems.extend(found)
    return territory


def load_territory(
    root: Path,
    directory: Path,
    problems: list[Problem],
    drafts: bool = False,
    scheduled: bool = False,
) -> Territory | None:
    rel_dir = _rel(root, directory)
    before = len([p for p in problems if p.severity == "erreur"])
    if not SLUG_RE.fullmatch(directory.name):
        problems.append(
            Problem(
                rel_dir,
                None,
                None,
                "nom de dossier invalide : lettres minuscules sans accent, chiffres et tirets "
                "seulement (il devient l'adresse du territoire)"
                + renamed(directory.name, "", reserved_names(root), existing=directory.parent),
            )
        )
        return None
    for entry in sorted(directory.iterdir()):
        if entry.name not in sources.TERRITORY_ENTRIES and not entry.name.startswith("."):
            problems.append(
                Problem(
                    _rel(root, entry),
                    None,
                    None,
                    "fichier ou dossier non reconnu, ignoré (attendus : "
                    + ", ".join(sorted(sources.TERRITORY_ENTRIES))
                    + ")",
                    "avertissement",
                )
            )

    sources_read = {
        name: _read(root, directory / name, problems) for name in sources.TERRITORY_FILES
    }
    info = _validated(schema.Territoire, sources_read[sources.TERRITORY], problems)
    priorites = _validated(schema.Priorites, sources_read[sources.PRIORITIES], problems)
    gouvernance = _validated(schema.Gouvernance, sources_read[sources.GOVERNANCE], problems)

    epcis: list[Epci] = []
    identity = sources_read[sources.TERRITORY]
    if info is not None and identity is not None:
        epcis = _resolve_epcis(info, identity, problems)

    problems += _remote_in_fields(info, priorites, gouvernance, sources_read)
    errors_now = len([p for p in problems if p.severity == "erreur"])
    if info is None or priorites is None or gouvernance is None or errors_now > before:
        # Still read the actions, so that their errors are reported in the same run.
        load_actions(root, directory, None, problems, drafts)
        load_agenda(
            root,
            directory,
            load_letters(root, directory, problems, drafts, _rel, scheduled),
            problems,
            _rel,
        )
        return None
    territory = _build_territory(
        directory.name,
        rel_dir,
        info,
        priorites,
        gouvernance,
        epcis,
        sources_read[sources.TERRITORY],
        problems,
    )
    actions = load_actions(root, directory, territory, problems, drafts)
    letters = load_letters(root, directory, problems, drafts, _rel, scheduled)
    agenda = load_agenda(root, directory, letters, problems, _rel)
    return dataclasses.replace(territory, actions=actions, letters=letters, agenda=agenda)


def _objective_advice(value: str, territory: Territory, invalid: bool = False) -> str:
    """What to write for an action's « objectif » that names none of the territory's: the
    identifier of the objective whose title it is (« objectif: Consolider l'attractivité… »),
    else the nearest identifier, and every identifier."""
    objectifs = territory.priorites.objectifs
    listed = ", ".join(f"« {o.id} »" for o in objectifs) or "aucun objectif n'y est défini"
    cut = value.endswith("…")  # a long value as the message quotes it: its beginning
    wanted = vocab.fold(value.rstrip("…").replace("’", "'")).strip(" .")
    for o in objectifs:
        title = vocab.fold(o.titre.replace("’", "'")).strip(" .")
        if title == wanted or (cut and len(wanted) >= 20 and title.startswith(wanted)):
            return (
                f"« {value} » est le titre d'un objectif : écrivez son identifiant, « {o.id} » "
                "(celui qui suit « id: » dans priorites.yml)"
            )
    close = difflib.get_close_matches(value, [o.id for o in objectifs], n=1)
    near = f"vouliez-vous dire « {close[0]} » ? Sinon, " if close else ""
    # ``invalid``: not even written as an identifier (« ../x », spaces, capitals)
    lead = "identifiant invalide" if invalid else "objectif inconnu"
    return (
        f"{lead} (reçu « {value} ») : {near}indiquez l'identifiant d'un objectif de "
        f"priorites.yml (ce qui suit « id: ») : {listed}"
    )


_INVALID_ID = re.compile(r"^identifiant invalide : .*\(reçu « (.*) »\)$")


def load_actions(
    root: Path,
    directory: Path,
    territory: Territory | None,
    problems: list[Problem],
    drafts: bool,
) -> tuple[ActionItem, ...]:
    """Read actions/*.md. Drafts are skipped unless ``drafts`` (local preview)."""
    folder = sources.actions(directory)
    if not folder.is_dir():
        return ()
    loaded: list[tuple[ActionItem, Source]] = []
    broken: set[str] = set()  # actions with errors of their own: they exist all the same
    for path in sorted(folder.iterdir()):
        rel = _rel(root, path)
        if path.name.startswith(".") or path.is_dir():
            continue
        if path.suffix != ".md":
            problems.append(
                Problem(
                    rel,
                    None,
                    None,
                    "fichier ignoré : une action est un fichier .md",
                    "avertissement",
                )
            )
            continue
        errors_before = sum(p.severity == "erreur" for p in problems)
        refused: list[Source] = []  # the file, when its front matter is refused

        def body_problems(
            source: Source, rel: str = rel, refused: list[Source] = refused
        ) -> list[Problem]:
            refused.append(source)
            return remote.problems_in(
                source.body, rel, source.body_line, None, body=True
            ) + heading_warnings(source.body, rel, source.body_line)

        start = len(problems)
        read = read_published(
            path, rel, schema.Action, problems, drafts, ACTION_NAME, body_problems, RESERVED_ACTIONS
        )
        if read is None:
            for at in range(start, len(problems)):  # an objective's title, not its identifier
                found = _INVALID_ID.match(problems[at].message)
                if territory is not None and problems[at].field == "objectif" and found:
                    advice = _objective_advice(found[1], territory, invalid=True)
                    problems[at] = dataclasses.replace(problems[at], message=advice)
            fields = {problems[at].field or "" for at in range(start, len(problems))}
            if refused and territory is not None:  # every problem said at once
                problems += _refused_fiche_checks(refused[0], territory, fields)
            if sum(p.severity == "erreur" for p in problems) > errors_before:
                broken.add(path.stem)  # reported once, in its own file: no error elsewhere
            continue
        source, action = read
        problems += body_problems(source)
        problems += _diagnostic_problems(action.diagnostic, source)
        for index, point in enumerate(action.avancement):
            if point.date > clock.today():
                problems.append(
                    Problem(
                        rel,
                        source.line_of(("avancement", index, "date")),
                        f"avancement[{index + 1}].date",
                        f"point d'avancement daté du {long_date(point.date)}, dans le futur : "
                        "un point dit où en est l'action à sa date ; vérifiez l'année",
                        severity="avertissement",
                    )
                )
        item = ActionItem(path.stem, directory.name, action, source.body.strip(), rel)
        loaded.append((item, source))
    if territory is not None:
        _check_actions(territory, loaded, problems, broken)
    return tuple(item for item, _ in sorted(loaded, key=lambda pair: pair[0].id))


def _refused_fiche_checks(source: Source, territory: Territory, said: set[str]) -> list[Problem]:
    """What the checks of a valid fiche would say of a fiche whose front matter is refused for
    other fields: its objective and EPCIs when not the territory's, a remote image in its
    diagnostic (the guide promises every problem at once). ``said``: the fields the schema
    refused already (nothing more said of them)."""
    data = source.data if isinstance(source.data, dict) else {}
    out: list[Problem] = []
    value = data.get("objectif")
    if (
        isinstance(value, str)
        and value
        and "objectif" not in said
        and value not in {o.id for o in territory.priorites.objectifs}
    ):
        advice = _objective_advice(value, territory)
        out.append(Problem(source.rel, source.line_of(("objectif",)), "objectif", advice))
    sirens = data.get("epci")
    if isinstance(sirens, list) and not any(f.startswith("epci") for f in said):
        for index, siren in enumerate(sirens):
            if isinstance(siren, str) and territory.epci_by_siren(siren) is None:
                out.append(
                    Problem(
                        source.rel,
                        source.line_of(("epci", index)),
                        f"epci[{index + 1}]",
                        _not_a_member(siren, territory),
                    )
                )
    diagnostic = data.get("diagnostic")
    if isinstance(diagnostic, str) and "diagnostic" not in said:
        out += _diagnostic_problems(diagnostic, source)
    return out


def _diagnostic_problems(diagnostic: str | None, source: Source) -> list[Problem]:
    """A fiche's diagnostic (Markdown): what it may not hold (remote.problems_in)."""
    place = functools.partial(source.line_of, ("diagnostic",))
    return remote.problems_in(diagnostic, source.rel, place, "diagnostic")


def _not_a_member(siren: str, territory: Territory) -> str:
    members = ", ".join(
        f"{e.siren} ({e.nom})" for e in sorted(territory.epcis, key=lambda e: e.siren)
    )
    return (
        f"l'EPCI {siren} ne fait pas partie du territoire (membres : {members}) ; "
        "`ti epci <nom>` donne le SIREN d'une intercommunalité"
    )


def _check_actions(
    territory: Territory,
    loaded: list[tuple[ActionItem, Source]],
    problems: list[Problem],
    broken: set[str],
) -> None:
    """Cross-file checks: objective, EPCIs, linked actions and former ids. ``broken``: the
    actions whose own errors are reported; a link to one of them is not an error too."""
    ids = {item.id for item, _ in loaded} | broken
    objectives = [o.id for o in territory.priorites.objectifs]
    members = {e.siren for e in territory.epcis}
    former_seen: dict[str, str] = {}
    for item, source in loaded:
        data = item.data
        if item.id in RESERVED_ACTIONS:
            problems.append(
                Problem(
                    source.rel,
                    None,
                    None,
                    f"« {item.id} » est l'adresse d'une page du plan d'action "
                    f"(plan-action/{item.id}/) : renommez le fichier",
                )
            )

        def report(
            loc: tuple[str | int, ...], field: str, message: str, src: Source = source
        ) -> None:
            problems.append(Problem(src.rel, src.line_of(loc), field, message))

        if data.objectif and data.objectif not in objectives:
            report(("objectif",), "objectif", _objective_advice(data.objectif, territory))
        for index, siren in enumerate(data.epci):
            if siren not in members:
                report(("epci", index), f"epci[{index + 1}]", _not_a_member(siren, territory))
        for index, other in enumerate(data.actions_liees):
            if other == item.id:
                report(
                    ("actions_liees", index),
                    f"actions_liees[{index + 1}]",
                    f"« {other} » est cette fiche même : une fiche n'est pas liée à elle-même ; "
                    "retirez-la de la liste",
                )
            elif other not in ids:
                close = difflib.get_close_matches(other, sorted(ids - {item.id}), n=1)
                near = f"vouliez-vous dire « {close[0]} » ? Sinon, " if close else ""
                report(
                    ("actions_liees", index),
                    f"actions_liees[{index + 1}]",
                    f"action inconnue (reçu « {other} ») : {near}indiquez le nom d'un fichier "
                    "de actions/ sans « .md »",
                )
        for index, former in enumerate(data.anciens_identifiants):
            where = ("anciens_identifiants", index)
            field = f"anciens_identifiants[{index + 1}]"
            if former in ids:
                report(where, field, f"« {former} » est l'identifiant d'une action existante")
            elif former in RESERVED_ACTIONS:
                report(where, field, f"« {former} » est l'adresse d'une page du plan d'action")
            elif former in former_seen:
                report(where, field, f"« {former} » est déjà déclaré par {former_seen[former]}")
            former_seen[former] = source.rel


def _remote_in_fields(
    info: schema.Territoire | None,
    priorites: schema.Priorites | None,
    gouvernance: schema.Gouvernance | None,
    read: dict[str, Source | None],
) -> list[Problem]:
    """Remote resources in the Markdown fields of the territory's YAML files."""
    fields: list[tuple[str, tuple[str | int, ...], str | None]] = []
    if info is not None:
        fields.append((sources.TERRITORY, ("presentation",), info.presentation))
    if priorites is not None:
        fields.append((sources.PRIORITIES, ("ambition",), priorites.ambition))
        for i, o in enumerate(priorites.objectifs):
            fields.append((sources.PRIORITIES, ("objectifs", i, "description"), o.description))
            for j, sub in enumerate(o.sous_objectifs):
                sub_loc: tuple[str | int, ...] = ("objectifs", i, "sous_objectifs", j)
                fields.append((sources.PRIORITIES, (*sub_loc, "description"), sub.description))
    if gouvernance is not None:
        fields.append(
            (sources.GOVERNANCE, ("binomes_description",), gouvernance.binomes_description)
        )
    out: list[Problem] = []
    for name, loc, text in fields:
        source = read[name]
        if text and source is not None:
            out += remote.problems_in(
                text, source.rel, functools.partial(source.line_of, loc), format_loc(list(loc))
            )
    return out


def _validated(model: type[schema.Strict], source: Source | None, problems: list[Problem]):  # type: ignore[no-untyped-def]
    return validate(model, source, problems) if source is not None else None


def _resolve_epcis(info: schema.Territoire, source: Source, problems: list[Problem]) -> list[Epci]:
    reference = load_reference()
    out: list[Epci] = []
    for index, item in enumerate(info.epci):
        ref = reference.get(item.siren)
        if ref is None:
            near = reference.near_sirens(item.siren)
            hint = (
                "vouliez-vous dire "
                + " ou ".join(f"{e.siren} ({e.nom})" for e in near)
                + " ? Sinon, cherchez"
                if near
                else "cherchez"
            )
            problems.append(
                Problem(
                    source.rel,
                    source.line_of(("epci", index, "siren")),
                    f"epci[{index + 1}].siren",
                    f"SIREN inconnu du référentiel des EPCI ({reference.source['paquet']}) "
                    f"(reçu « {item.siren} ») : {hint} l'intercommunalité par son nom avec "
                    "« ti epci <nom> » (par exemple « ti epci Châtellerault »)",
                )
            )
            continue
        out.append(Epci(ref, item.sigle))
    return out


def _build_territory(
    slug: str,
    rel_dir: str,
    info: schema.Territoire,
    priorites: schema.Priorites,
    gouvernance: schema.Gouvernance,
    epcis: list[Epci],
    source: Source | None,
    problems: list[Problem],
) -> Territory:
    reference = load_reference()
    nb_communes = sum(len(e.ref.communes) for e in epcis)
    population = sum(e.ref.population for e in epcis)
    dept_codes = sorted({d for e in epcis for d in e.ref.departements})
    region_codes = sorted({r for e in epcis for r in e.ref.regions})
    if source is not None:
        paquet = reference.source["paquet"]
        declared = info.declarations
        for name, declared_value, computed in (
            ("communes", declared.communes, nb_communes),
            ("population", declared.population, population),
        ):
            if declared_value is not None and declared_value != computed:
                problems.append(
                    Problem(
                        source.rel,
                        source.line_of(("declarations", name)),
                        f"declarations.{name}",
                        f"valeur déclarée {declared_value} différente du référentiel "
                        f"({computed} selon {paquet}) : le site affiche la valeur du référentiel",
                        "avertissement",
                    )
                )
    return Territory(
        slug=slug,
        source_dir=rel_dir,
        info=info,
        priorites=priorites,
        gouvernance=gouvernance,
        epcis=tuple(epcis),
        departements=tuple((c, reference.departement_name(c)) for c in dept_codes),
        regions=tuple(reference.region_name(c) for c in region_codes),
        nb_communes=nb_communes,
        population=population,
    )


# First segments of the site's own pages and folders, from the address table: a territory (or
# its former identifier) can't take them, or its pages would replace the legal notices, the
# search or the theme.
RESERVED = urls.reserved_top()
# Top-level addresses the site makes itself, which a page of docs/ can't take either (docs/ has
# its own « contribuer » and « assets »).
GENERATED_TOP = RESERVED - {"contribuer", "assets"}
# Pages of a territory's action plan that an action (or its former identifier) can't take.
RESERVED_ACTIONS = urls.reserved_in_plan()


def reserved_names(root: Path) -> set[str]:
    """RESERVED and the top-level entries of docs/ (hand-written pages and assets)."""
    docs = root / "docs"
    own = (
        {p.stem if p.suffix == ".md" else p.name for p in docs.iterdir()}
        if docs.is_dir()
        else set()
    )
    return set(RESERVED) | own


def _line_of_text(root: Path, rel: str, needle: str) -> int | None:
    try:
        return line_of((root / rel).read_text(encoding="utf-8"), needle)
    except OSError:
        return None


# An address of this computer (allowed by the content's address rule for local trials of the
# site's own settings): in a territory's content, a link that no visitor can open.
def _placeholders(root: Path, path: Path, text: str) -> list[Problem]:
    """The templates' texts left in a file that is not a draft, one warning per line."""
    if not any(p in text for p in PLACEHOLDERS) or sources.DRAFT.search(text.split("\n---", 1)[0]):
        return []
    out = []
    lines = text.split("\n")
    # YAML lines (a .yml file, a page's front matter) whose « # » starts a comment; in a
    # page's Markdown, « # » starts a heading, which is shown
    yaml_lines = len(lines)
    if path.suffix == ".md":
        ends = [n for n, line in enumerate(lines) if n and line.rstrip() == "---"]
        yaml_lines = ends[0] if lines and lines[0].rstrip() == "---" and ends else 0
    for number, line in enumerate(lines, start=1):
        if number <= yaml_lines and line.lstrip().startswith("#"):
            continue
        for phrase in PLACEHOLDERS:
            if phrase in line and (phrase not in WHOLE_VALUES or _whole_value(phrase, line)):
                out.append(
                    Problem(
                        _rel(root, path),
                        number,
                        None,
                        f"« {phrase.rstrip('/')} » est un texte du modèle : remplacez-le par le "
                        "vôtre avant de publier"
                        + (
                            " (ou laissez « brouillon: true » tant que le fichier n'est pas prêt)"
                            if path.suffix == ".md"
                            else ""
                        ),
                        severity="avertissement",
                    )
                )
    return out


_LOCAL_ADDRESS = re.compile(
    r"https?://(?:[^@/\s]*@)?(?:localhost|127(?:\.[0-9]{1,3}){3}|0\.0\.0\.0|\[::1\])"
    r"(?![\w.-])[^\s)>\]\"']*",
    re.I,
)


# Texts of the templates ``ti nouvelle-lettre`` and ``ti nouveau-territoire`` write, to be
# replaced (tests check that the templates hold each one).
PLACEHOLDERS = (
    "Titre de la lettre",
    "Deux ou trois phrases qui résument la lettre",
    "À compléter",
    "Nom de l'appel à projets",
    "Nom de l'événement",
    "Ville, salle",
    "nom-de-l-appel",
    "nom-de-l-evenement",
    "https://www.exemple.fr/",
)
# Of them, those that are the template's only as a whole YAML value (« lieu: Ville, salle »,
# quoted or not; an identifier with its year): « Hôtel de Ville, salle du Conseil » is a real
# place, « …#prenom-de-l-appelant » a real address.
WHOLE_VALUES = ("Ville, salle", "nom-de-l-appel", "nom-de-l-evenement")


def _whole_value(phrase: str, line: str) -> bool:
    """Whether ``phrase`` is the whole value of the YAML line (a year may follow it)."""
    return bool(re.search(rf":\s*([\"']?){re.escape(phrase)}(-[0-9]{{4}})?\1\s*(#.*)?$", line))


def _portal_refused(root: Path, settings: object) -> bool:
    """site.yml was refused (its problems are said) and it has a « portail: » block: a
    portal may have no territory of its own, « aucun territoire » would be a second, wrong
    error."""
    if settings is not None:
        return False
    try:
        text = (root / sources.SITE).read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return False
    return re.search(r"^portail\s*:", text, re.M) is not None


# What the example's site.yml says until a territory writes its own legal notices: published
# as they are, they name no publisher, no host, and a mailbox nobody reads.
SETTINGS_PLACEHOLDERS = ("(à remplacer)", "(à renseigner)", "@example.org")
_DEMO = re.compile(rf"^(['\"]?)demonstration\1\s*:\s*{sources.TRUE}\2\s*(#.*)?$", re.I)


def settings_placeholders(root: Path) -> list[Problem]:
    """One warning when site.yml still holds the example's legal notices (« (à remplacer) »,
    mailboxes @example.org) or marks the site a demonstration: on the first such line, naming
    the others."""
    try:
        text = (root / sources.SITE).read_text(encoding="utf-8")
    except (OSError, UnicodeError):
        return []  # said where the file is read
    demo: int | None = None
    found: dict[int, str] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if line.lstrip().startswith("#"):
            continue
        if _DEMO.match(line.strip()):
            demo = number
        value = re.sub(r"\s#\s.*$", "", line)  # a comment after the value is no part of it
        for phrase in SETTINGS_PLACEHOLDERS:
            if phrase in value:
                found.setdefault(number, f"« {phrase} »")
    if not found and demo is None:
        return []
    parts = []
    if found:
        numbers = list(found)
        parts.append(
            "les mentions légales sont encore celles du site d'exemple ("
            + ", ".join(dict.fromkeys(found.values()))
            + f", {agree(len(numbers), 'ligne')} {', '.join(map(str, numbers))}) : écrivez "
            "celles de votre site (éditeur, directeur de la publication, hébergeur, contacts)"
        )
    if demo is not None:
        parts.append(
            f"« demonstration: true » (ligne {demo}) annonce sur chaque page un site de "
            "démonstration : retirez-le"
        )
    return [
        Problem(
            sources.SITE,
            min([*found, *([demo] if demo else [])]),
            None,
            " ; ".join(parts) + " avant de publier",
            severity="avertissement",
        )
    ]


def local_addresses(root: Path, dirs: list[Path]) -> list[Problem]:
    """A warning for each address of this computer (« http://localhost:8000/… ») written in a
    territory's files: copied from the local preview, it opens nothing for a visitor. And for
    each text of a template left in a file to be published (« Titre de la lettre »): a draft
    (« brouillon: true ») may keep them."""
    out = []
    for directory in dirs:
        for path in sorted(directory.rglob("*")):
            if path.suffix not in (".yml", ".yaml", ".md") or not path.is_file():
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeError):
                continue  # said where the file is read
            out += _placeholders(root, path, text)
            if "://" not in text:
                continue
            for number, line in enumerate(text.split("\n"), start=1):  # lines as YAML counts
                for found in _LOCAL_ADDRESS.finditer(line):
                    out.append(
                        Problem(
                            _rel(root, path),
                            number,
                            None,
                            f"adresse de cet ordinateur « {_shown_address(found[0])} » : "
                            "copiée depuis l'aperçu local, elle ne s'ouvre pour aucun visiteur ; "
                            "écrivez l'adresse publique de la page (https://…), ou un lien "
                            "relatif vers le fichier de la page",
                            severity="avertissement",
                        )
                    )
    return out


def _shown_address(address: str) -> str:
    return address if len(address) <= 80 else address[:77] + "…"


def _check_across(root: Path, territories: list[Territory], problems: list[Problem]) -> None:
    """Checks between territories: names, EPCIs, identifiers and former identifiers. When two
    territories clash, the problem is reported in the newer one's file: a territory whose
    address is not yet published (urls-publiees.txt) comes after those already published."""
    reserved = reserved_names(root)
    current = {t.slug for t in territories}
    names: dict[str, Territory] = {}
    looks: dict[str, Territory] = {}
    members: dict[str, Territory] = {}
    formers: dict[str, Territory] = {}
    homes = {address for _, address in registry.published(root)}
    for t in sorted(territories, key=lambda t: f"/{t.slug}/" not in homes):
        rel = f"{t.source_dir}/territoire.yml"
        if t.slug in reserved:
            problems.append(
                Problem(
                    t.source_dir,
                    None,
                    None,
                    f"« {t.slug} » est l'adresse d'une page du site (/{t.slug}/) : renommez le "
                    "dossier du territoire",
                )
            )
        # the same name however it is written: composed or not, with invisible characters
        normal = unicodedata.normalize("NFKC", t.nom)
        key = "".join(c for c in normal if unicodedata.category(c) != "Cf").casefold()
        if key in names:
            problems.append(
                Problem(
                    rel,
                    _line_of_text(root, rel, "nom:"),
                    "nom",
                    f"« {t.nom} » est déjà le nom du territoire {names[key].source_dir} : deux "
                    "territoires ne peuvent pas porter le même nom",
                )
            )
        names.setdefault(key, t)
        # a name that looks like another one (Unicode TR39 skeletons): « Grand-ChâteIlerault »
        # with a capital I, or written in another script
        look = schema.confusable_key(t.nom)
        twin = looks.get(look)
        if twin is not None and names.get(key) is not twin:
            problems.append(
                Problem(
                    rel,
                    _line_of_text(root, rel, "nom:"),
                    "nom",
                    f"« {t.nom} » ressemble à s'y méprendre au nom du territoire « {twin.nom} » "
                    f"({twin.source_dir}/territoire.yml) : choisissez un nom qui s'en distingue "
                    "à l'œil (les lettres d'une autre écriture, « I » pour « l » ou « 0 » pour "
                    "« O » ne suffisent pas)",
                )
            )
        looks.setdefault(look, t)
        for epci in t.epcis:
            siren = epci.ref.siren
            if siren in members:
                problems.append(
                    Problem(
                        rel,
                        _line_of_text(root, rel, siren),
                        "epci",
                        f"l'EPCI {siren} ({epci.ref.nom}) appartient déjà au territoire "
                        f"{members[siren].source_dir} : une intercommunalité n'est comptée "
                        "que dans un territoire",
                    )
                )
            members.setdefault(siren, t)
        for index, former in enumerate(t.info.anciens_identifiants):
            field = f"anciens_identifiants[{index + 1}]"
            line = _line_of_text(root, rel, former)
            formers.setdefault(former, t)
            if former in current:
                problems.append(
                    Problem(
                        rel,
                        line,
                        field,
                        f"« {former} » est l'identifiant d'un territoire existant : il ne peut pas "
                        "rediriger",
                    )
                )
            elif former in formers and formers[former] is not t:
                problems.append(
                    Problem(
                        rel,
                        line,
                        field,
                        f"« {former} » est déjà un ancien identifiant du territoire "
                        f"{formers[former].source_dir} : une adresse ne redirige que vers une page",
                    )
                )
            elif former in reserved:
                problems.append(
                    Problem(
                        rel,
                        line,
                        field,
                        f"« {former} » est l'adresse d'une page du site (/{former}/) : une "
                        "redirection la remplacerait ; retirez cet identifiant",
                    )
                )
