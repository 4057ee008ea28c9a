"""Load newsletter issues (lettres/<numero>.md) and the agenda they feed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import itertools
import os
import posixpath
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from tisite import clock
from tisite.content import images, remote, schema, sources, vocab
from tisite.content.errors import Problem
from tisite.content.models import AgendaEntry, Letter
from tisite.content.validation import read_published, validate
from tisite.content.yamlio import Source, read_markdown, read_yaml
from tisite.generate.textutil import day_of, long_date, numero

NUMBER_RE = re.compile(r"[0-9]{1,4}")  # ASCII digits only: « １７ » or « ١٧ » is not 17


class FilesByName:
    """The files of a letters folder by name, listed once (when first asked) for all the
    images of its letters: a letter with thousands of missing images reads the folder once."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._names: dict[str, list[str]] | None = None

    def first(self, name: str) -> str | None:
        """The path from the folder of the first file (alphabetical order) called ``name``;
        a symbolic link is never given (refused where it is used)."""
        if self._names is None:
            self._names = {}
            for top, _, files in os.walk(self.folder):  # links to folders not followed
                for file in files:
                    path = Path(top) / file
                    if path.is_file() and not path.is_symlink():
                        rel = path.relative_to(self.folder).as_posix()
                        self._names.setdefault(file, []).append(rel)
        found = self._names.get(name)
        return min(found) if found else None


def letter_image(folder: Path, relpath: str, names: FilesByName) -> tuple[str | None, str | None]:
    """(why ``relpath`` is not published, where it is published under the letter's address):
    a readable image inside the ``lettres/`` folder, published at the same relative path from
    the letter's page (lettres/<numero>/index.md) as from its file (lettres/<numero>.md).
    ``names``: the folder's files by name, for a missing image's suggestion."""
    if "\\" in relpath:  # a Windows path: browsers may mend it, validators and mail clients not
        return (
            f"chemin d'image « {relpath} » écrit avec « \\ » : séparez les dossiers par « / » "
            f"(« {relpath.replace(chr(92), '/')} »)",
            None,
        )
    rel = relpath
    path = (folder / rel).resolve()
    # « ../lettres/x.png » names a file of lettres/, but from the letter's page (one folder
    # further down) the browser looks for it elsewhere: the path may not climb at all
    if folder.resolve() not in path.parents or posixpath.normpath(rel).startswith("../"):
        return f"image « {relpath} » hors du dossier lettres/", None
    if not path.is_file() or not images.named_as_written(folder, rel):
        named = images.as_named(folder, rel)
        if named is not None:  # « Images/Visite.JPG » for « images/visite.jpg »
            return (
                f"image introuvable : « {relpath} » : le fichier s'appelle « {named} » (le "
                "site publié distingue les majuscules) : écrivez ce nom",
                None,
            )
        elsewhere = names.first(posixpath.basename(rel))
        if elsewhere is not None:  # « couverture.jpg » for « images/couverture.jpg »
            return (
                f"image introuvable : « {relpath} » : un fichier de ce nom est dans « "
                f"{elsewhere} » (chemin depuis le dossier lettres/) : écrivez ce chemin",
                None,
            )
        return (
            f"image introuvable : « {relpath} » (placez le fichier dans le dossier lettres/ "
            "et vérifiez l'orthographe, majuscules comprises)",
            None,
        )
    refused = images.problem(path, relpath)
    if refused:
        return refused, None
    return None, posixpath.normpath(rel)


def _body_place(folder: Path, found: list[str], names: FilesByName) -> remote.Place:
    """Images of a letter's body: next to the letter; those published are added to ``found``."""

    def place(url: str) -> str | None:
        refused, published = letter_image(folder, url, names)
        if published:
            found.append(published)
        return refused

    return place


# « Lettre n°18 : … » in a title the site already starts with « Lettre n°18 : »
_NUMBERED_TITLE = re.compile(
    r"\s*(?:lettre|newsletter)\b[^\d:]{0,20}?(?:n\s*[°ºo]\.?|num[ée]ro|#)\s*(\d+)\s*[:,.–—-]?\s*",
    re.I,
)
# Markdown in a plain text field: bold, emphasis by « * », a link, code
_MARKDOWN_IN_TEXT = re.compile(
    r"\*\*\S|\S\*\*|\[[^\]]+\]\([^)]*\)|`[^`]+`|(?<!\w)\*\S[^*]*\*(?!\w)"
)


@dataclasses.dataclass(frozen=True)
class _Announced:
    """An entry of a file's « appels_a_projets » or « evenements » list, where it is written."""

    key: str  # the list: « appels_a_projets » or « evenements »
    kind: str  # « appel » or « evenement » (AgendaEntry.kind)
    index: int
    item: schema.AppelAProjets | schema.Evenement

    @property
    def moment(self) -> dt.date | dt.datetime | None:
        """The call's deadline or the event's start (a call without deadline has none)."""
        if isinstance(self.item, schema.AppelAProjets):
            return self.item.date_limite
        return self.item.date

    @property
    def ident(self) -> str | None:
        return None if self.item.identifiant is None else str(self.item.identifiant)


def _announced(
    calls: list[schema.AppelAProjets], events: list[schema.Evenement]
) -> list[_Announced]:
    """A file's calls then events, in the order the agenda takes them."""
    return [_Announced("appels_a_projets", "appel", i, c) for i, c in enumerate(calls)] + [
        _Announced("evenements", "evenement", i, e) for i, e in enumerate(events)
    ]


def identifier_problems(
    source: Source, rel: str, calls: list[schema.AppelAProjets], events: list[schema.Evenement]
) -> list[Problem]:
    """An « identifiant » given twice in one file (to two calls, or to two events): each
    names one entry, which the agenda shows once."""
    out = []
    first: dict[tuple[str, str], int] = {}
    for a in _announced(calls, events):
        if a.ident is None:
            continue
        if (a.key, a.ident) in first:
            out.append(
                Problem(
                    rel,
                    source.line_of((a.key, a.index, "identifiant")),
                    f"{a.key}[{a.index + 1}].identifiant",
                    f"identifiant « {a.ident} » déjà donné à l'entrée "
                    f"{numero(first[(a.key, a.ident)] + 1)} de « {a.key} » dans ce fichier : "
                    "chaque entrée a le sien (un report se note en changeant la date de "
                    "l'entrée, ou dans une lettre suivante)",
                )
            )
        else:
            first[(a.key, a.ident)] = a.index
    return out


def _header_warnings(source: Source, rel: str, number: int, data: schema.Lettre) -> list[Problem]:
    """A title that repeats the number the site writes before it; Markdown in the summary,
    which pages, feeds and emails show as typed (it is plain text)."""
    out = []
    numbered = _NUMBERED_TITLE.match(data.titre)
    if numbered and int(numbered[1]) == number:
        rest = data.titre[numbered.end() :].strip() or "…"
        out.append(
            Problem(
                rel,
                source.line_of(("titre",)),
                "titre",
                f"le titre commence par « {numbered[0].strip()} » : le site l'écrit déjà devant "
                f"(« Lettre {numero(number)} : {data.titre} ») ; écrivez seulement « {rest} »",
                severity="avertissement",
            )
        )
    if _MARKDOWN_IN_TEXT.search(data.resume):
        out.append(
            Problem(
                rel,
                source.line_of(("resume",)),
                "resume",
                "le résumé est du texte simple (pages, flux, courriels, LinkedIn) : le gras, "
                "l'italique et les liens Markdown s'y afficheraient tels quels (« ** », « [ ] ») ; "
                "mettez-les dans le texte de la lettre",
                severity="avertissement",
            )
        )
    return out


HEADING_RE = re.compile(r" {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$")
FENCE_RE = re.compile(r" {0,3}(```|~~~)")


def empty_sections(body: str) -> list[tuple[int, str]]:
    """(line index in ``body``, title) of every heading with nothing under it before the next
    heading of its level or above, or the end: a section of the template left unwritten."""
    lines = body.split("\n")
    # text[i]: lines of text (not a heading, not blank) among the first i lines
    text = [0] * (len(lines) + 1)
    empty: list[tuple[int, str]] = []
    open_: list[tuple[int, int, str]] = []  # (index, level, title) of the sections still open

    def close(index: int, level: int) -> None:
        """The sections of ``level`` and below end at line ``index``."""
        while open_ and open_[-1][1] >= level:
            start, _, title = open_.pop()
            if text[index] == text[start + 1]:
                empty.append((start, title))

    for index, line, code, heading in _read_lines(lines):
        is_text = code or bool(line.strip())
        if heading:
            is_text = False
            close(index, len(heading.group(1)))
            open_.append((index, len(heading.group(1)), heading.group(2).strip()))
        text[index + 1] = text[index] + is_text
    close(len(lines), 1)
    return sorted(empty)


def _read_lines(lines: list[str]) -> Iterator[tuple[int, str, bool, re.Match[str] | None]]:
    """(index, line, whether it is fenced code or a fence, its heading if it is one) of each
    line of a Markdown body: a heading only outside fenced code."""
    fence = None
    for index, line in enumerate(lines):
        opened = FENCE_RE.match(line)
        if fence is not None:
            if opened and opened.group(1) == fence:
                fence = None
            yield index, line, True, None
        elif opened:
            fence = opened.group(1)
            yield index, line, True, None
        else:
            yield index, line, False, HEADING_RE.fullmatch(line)


# Headings the Markdown heading pattern does not see, counted for the level check: one in a
# quote (« > #### ») and one written as HTML (« <h4> », outside inline code).
_QUOTED_HEADING = re.compile(r" {0,3}(?:> ?)+ {0,3}(#{1,6})(?:[ \t]+.*)?$")
_HTML_HEADING = re.compile(r"<h([1-6])\b", re.I)
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def _heading_levels(body: str) -> Iterator[tuple[int, int, str]]:
    """(line index, level, as written: « #### » or « <h4> ») of each heading of a Markdown
    body, in order, outside fenced code."""
    for index, line, fenced, heading in _read_lines(body.split("\n")):
        if fenced:
            continue
        if heading is not None:
            yield index, len(heading.group(1)), heading.group(1)
            continue
        quoted = _QUOTED_HEADING.fullmatch(line)
        if quoted:
            yield index, len(quoted.group(1)), quoted.group(1)
            continue
        for tag in _HTML_HEADING.finditer(_CODE_SPAN.sub("", line)):
            level = int(tag.group(1))
            yield index, level, f"<h{level}>"


def heading_warnings(body: str, rel: str, first_line: int) -> list[Problem]:
    """A warning for each first-level heading of a text shown under the page's own title,
    and for each heading that skips a level (« ## » then « #### »: RGAA 9.1, screen readers
    list the headings by level). Headings in a quote or written as HTML count too."""
    out = []
    above = 1  # the page's own title
    for index, level, written in _heading_levels(body):
        html_tag = written.startswith("<")
        if level == 1:
            message = (
                f"intertitre de premier niveau (« {written} ») : la page a déjà son titre ; "
                f"écrivez « {'<h2>' if html_tag else '##'} » pour un intertitre (les lecteurs "
                "d'écran et les moteurs de recherche lisent le titre de premier niveau comme "
                "celui de la page)"
            )
        elif level > above + 1:
            wanted = f"<h{above + 1}>" if html_tag else "#" * (above + 1)
            message = (
                f"intertitre de niveau {level} (« {written} ») sous un intertitre de niveau "
                f"{above} : un niveau est sauté ; écrivez « {wanted} » (les lecteurs "
                "d'écran listent les intertitres par niveau)"
            )
        else:
            above = level
            continue
        above = max(level, 2)
        out.append(Problem(rel, first_line + index, None, message, severity="avertissement"))
    return out


def without_empty_sections(body: str) -> str:
    """``body`` without the headings of its empty sections (see empty_sections)."""
    dropped = {index for index, _ in empty_sections(body)}
    lines = [line for i, line in enumerate(body.split("\n")) if i not in dropped]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


LETTER_NAME = (
    NUMBER_RE,
    "une lettre s'appelle par son numéro, par exemple « 14.md » (il devient l'adresse "
    "/lettres/14/)",
)


# files that look like a letter meant to be published but are not one (a text, a word
# processor's document, another Markdown extension): said, not silently left out. Other files
# (images, a PDF a letter links to) are the letters' assets.
_NOT_A_LETTER = frozenset(
    {".txt", ".text", ".markdown", ".mdown", ".mkd", ".mdx", ".doc", ".docx", ".odt", ".rtf"}
)


def _next_free(folder: Path) -> str:
    """« , ou donnez à celui-ci le numéro suivant libre (« 17.md ») », the next number no
    letter file has (a draft's included, a name the check takes: ASCII digits, four at most);
    nothing past 9999."""
    taken = [int(p.stem) for p in folder.glob("*.md") if NUMBER_RE.fullmatch(p.stem)]
    free = 1 + max(taken, default=0)
    if free > 9999:
        return ""
    return f", ou donnez à celui-ci le numéro suivant libre (« {free}.md »)"


def load_letters(  # type: ignore[no-untyped-def]
    root: Path,
    directory: Path,
    problems: list[Problem],
    drafts: bool,
    rel_of,
    scheduled: bool = False,
) -> tuple[Letter, ...]:
    folder = sources.letters(directory)
    if not folder.is_dir():
        return ()
    letters: list[Letter] = []
    names = FilesByName(folder)  # where a missing image's name is (see letter_image)
    for path in sorted(folder.iterdir()):
        if path.is_dir() and path.suffix.lower() == ".md":
            problems.append(
                Problem(
                    rel_of(root, path),
                    None,
                    None,
                    "ce dossier porte un nom de lettre : une lettre est un fichier .md ; "
                    "renommez ou supprimez le dossier",
                )
            )
            continue
        if path.is_file() and path.suffix.lower() in _NOT_A_LETTER:
            problems.append(
                Problem(
                    rel_of(root, path),
                    None,
                    None,
                    "fichier ignoré : une lettre est un fichier .md nommé par son numéro "
                    "(par exemple 17.md), écrit en Markdown ; ce fichier n'est pas publié",
                    "avertissement",
                )
            )
            continue
        if path.is_file() and path.suffix.lower() == ".md" and path.suffix != ".md":
            problems.append(
                Problem(
                    rel_of(root, path),
                    None,
                    None,
                    f"fichier ignoré : l'extension d'une lettre s'écrit en minuscules ; "
                    f"renommez-le « {path.stem}.md »",
                    "avertissement",
                )
            )
            continue
        if path.is_dir() and not path.name.startswith("."):
            # a letter put in a folder of the letters' images: said, not silently left out
            for inner in sorted(path.rglob("*")):
                if inner.suffix.lower() == ".md" and inner.is_file():
                    problems.append(
                        Problem(
                            rel_of(root, inner),
                            None,
                            None,
                            "fichier ignoré : une lettre se place directement dans le dossier "
                            f"lettres/ (pas dans {path.name}/) ; déplacez-la en "
                            f"« lettres/{inner.name} »",
                            "avertissement",
                        )
                    )
            continue
        if path.name.startswith(".") or path.suffix != ".md":
            continue  # images and other assets placed next to the letters
        rel = rel_of(root, path)
        found: list[str] = []  # the images of the letter (see _body_place)

        def body_problems(
            source: Source, rel: str = rel, found: list[str] = found
        ) -> list[Problem]:
            """The letter's text: its images, raw HTML, empty sections and headings."""
            out = remote.problems_in(
                source.body,
                rel,
                source.body_line,
                None,
                True,
                True,
                _body_place(folder, found, names),
            )
            for index, title in empty_sections(source.body):
                out.append(
                    Problem(
                        rel,
                        source.body_line + index,
                        None,
                        f"rubrique « {title} » vide : écrivez son texte ou retirez l'intertitre "
                        "(elle n'est pas publiée)",
                        severity="avertissement",
                    )
                )
            return out + heading_warnings(source.body, rel, source.body_line)

        read = read_published(
            path, rel, schema.Lettre, problems, drafts, LETTER_NAME, body_problems
        )
        if read is None:
            continue
        source, data = read
        cover_size = None
        if data.image:
            refused, cover = letter_image(folder, data.image, names)
            if refused:
                problems.append(Problem(rel, source.line_of(("image",)), "image", refused))
            else:
                found.append(str(cover))
                cover_size = images.shown_size(folder / str(cover))
        problems += body_problems(source)
        problems += _header_warnings(source, rel, int(path.stem), data)
        problems += identifier_problems(source, rel, data.appels_a_projets, data.evenements)
        found = list(dict.fromkeys(found))
        if data.date > clock.today():  # scheduled: published on its day (nightly build)
            shown = (
                "vérifiée dès maintenant comme publiée"
                if scheduled
                else "montrée comme brouillon dans cet aperçu"
                if drafts
                else "`make serve BROUILLONS=1` la montre"
            )
            problems.append(
                Problem(
                    rel,
                    source.line_of(("date",)),
                    "date",
                    f"lettre datée du {long_date(data.date)}, dans le futur : elle sera publiée "
                    f"ce jour-là (par la construction de la nuit), pas avant ({shown}) ; si "
                    "l'année est fausse, corrigez la date",
                    severity="avertissement",
                )
            )
            if not scheduled:  # (ti check: checked now as the build of its day will)
                if not drafts:
                    continue
                data = data.model_copy(update={"brouillon": True})
        body = without_empty_sections(source.body)
        letters.append(
            Letter(
                int(path.stem),
                directory.name,
                data,
                body,
                rel,
                folder,
                tuple(found),
                cover_size=cover_size,
                image_sizes=tuple(
                    (image, *size)
                    for image in found
                    if (size := images.shown_size(folder / image)) is not None
                ),
            )
        )
    numbers = [x.numero for x in letters]
    for dup in sorted({n for n in numbers if numbers.count(n) > 1}):
        first, *others = sorted((x.source for x in letters if x.numero == dup), key=len)
        for other in others:  # the file with the longer name (« 015.md »), named
            problems.append(
                Problem(
                    other,
                    None,
                    None,
                    f"le numéro {dup} est aussi celui de « {posixpath.basename(first)} » : "
                    f"gardez un seul des deux fichiers{_next_free(folder)}",
                )
            )
    by_number = sorted(letters, key=lambda x: x.numero)
    for earlier, later in itertools.pairwise(by_number):
        if later.date < earlier.date:
            problems.append(
                Problem(
                    later.source,
                    None,
                    "date",
                    f"la lettre {numero(later.numero)} est datée du {long_date(later.date)}, "
                    f"avant la lettre {numero(earlier.numero)} ({long_date(earlier.date)}) : "
                    "vérifiez sa date ou son numéro (la liste des lettres les range par date)",
                    severity="avertissement",
                )
            )
    return tuple(sorted(letters, key=lambda x: (x.date, x.numero), reverse=True))


def _entries(
    slug: str, calls: list[schema.AppelAProjets], events: list[schema.Evenement], letter: int | None
) -> list[AgendaEntry]:
    """The agenda's entries of a file (a call without deadline is not one)."""
    out = []
    for a in _announced(calls, events):
        item, start = a.item, a.moment
        if start is None:
            continue
        if isinstance(item, schema.AppelAProjets):
            end, place, operator = None, None, item.operateur
        else:
            end, place, operator = item.fin, item.lieu, None
        out.append(
            AgendaEntry(
                a.kind,
                item.titre,
                start,
                end,
                place,
                item.lien,
                item.description,
                operator,
                letter,
                slug,
                ident=a.ident,
            )
        )
    return out


def _event_of(entries: list[AgendaEntry]) -> Callable[[AgendaEntry], tuple[object, ...]]:
    """The event each entry announces: an entry without identifier that says what an
    identified one says is a reminder of that event."""
    named = {e.said: e.same_event for e in entries if e.ident is not None}
    return lambda e: e.same_event if e.ident is not None else named.get(e.said, e.said)


def _reused_identifiers(letters: list[Letter]) -> list[Problem]:
    """Warnings where a letter's identifiers likely say something else than meant: an
    identifier given again when the event it named was already over at the letter's date (most
    likely a new event, the next annual meeting, which the agenda would take for the former one
    postponed); an event of the same title still to come, announced under another identifier
    or none, at another date (most likely the same event postponed, which the agenda would show
    twice)."""
    out = []
    # the last announcement under each identifier: (day, letter, title)
    last: dict[tuple[str, str], tuple[dt.date, int, str]] = {}
    # every earlier announcement of a title: (day, letter, identifier)
    titled: dict[tuple[str, str], list[tuple[dt.date, int, str | None]]] = {}
    for letter in letters:
        named = _announced(letter.data.appels_a_projets, letter.data.evenements)
        # what this letter announces under each title: (days, identifiers)
        here: dict[tuple[str, str], tuple[set[dt.date], set[str]]] = {}
        for a in named:
            if a.moment is not None:
                days, idents = here.setdefault((a.kind, _title_key(a.item.titre)), (set(), set()))
                days.add(day_of(a.moment))
                if a.ident is not None:
                    idents.add(a.ident)
        for a in named:
            if a.moment is None:
                continue
            key, kind, index, ident, title = a.key, a.kind, a.index, a.ident, a.item.titre
            day = day_of(a.moment)
            message = None
            where: tuple[str | int, ...] = (key, index)
            former = last.get((kind, ident)) if ident is not None else None
            if former is not None and former[1] == letter.numero:
                former = None  # twice in this letter: an error of its own (identifier_problems)
            same_title = _postponed_without_identifier(
                titled.get((kind, _title_key(title)), []),
                letter,
                day,
                ident,
                here[(kind, _title_key(title))],
            )
            if former is not None and former[0] < letter.date:
                message = (
                    f"identifiant « {ident} » déjà donné dans la lettre {numero(former[1])} à une "
                    f"entrée du {long_date(former[0])}, déjà passée le jour de cette lettre : "
                    "l'agenda montre celle-ci à sa place, comme un report ; s'il s'agit d'un "
                    "nouvel événement, donnez-lui un nouvel identifiant"
                )
                where = (key, index, "identifiant")
            elif former is not None and ident and _another_event(former[2], former[0], title, day):
                message = _another_event_message(ident, former[2], former[0], former[1])
                where = (key, index, "identifiant")
            elif same_title is not None:
                was = (
                    f"sous l'identifiant « {same_title[2]} »"
                    if same_title[2]
                    else "sans identifiant"
                )
                wanted = same_title[2] or ident
                message = (
                    f"« {title} » est déjà annoncé dans la lettre {numero(same_title[1])} pour le "
                    f"{long_date(same_title[0])}, {was} : s'il s'agit du même événement, "
                    f"reporté, donnez-lui dans les deux lettres l'identifiant « {wanted} » "
                    "(sinon l'agenda montre les deux dates)"
                )
            if message is not None:
                source, _ = read_markdown(letter.folder / f"{letter.numero}.md", letter.source)
                out.append(
                    Problem(
                        letter.source,
                        source.line_of(where) if source else None,
                        f"{key}[{index + 1}]" + ("".join(f".{p}" for p in where[2:])),
                        message,
                        severity="avertissement",
                    )
                )
            if ident is not None:
                last[(kind, ident)] = (day, letter.numero, title)
            titled.setdefault((kind, _title_key(title)), []).append((day, letter.numero, ident))
    return out


def _another_event(former_title: str, former_day: dt.date, title: str, day: dt.date) -> bool:
    """Whether an announcement under an identifier changes both its title and its day: most
    likely another event given the identifier by mistake (a copied block), not a postponement
    (a new date) nor a renaming (a new title)."""
    return _title_key(former_title) != _title_key(title) and former_day != day


def _another_event_message(ident: str, title: str, day: dt.date, letter: int | None) -> str:
    where = f"la lettre {numero(letter)}" if letter is not None else "agenda.yml"
    return (
        f"identifiant « {ident} » déjà donné dans {where} à « {title} » "
        f"({long_date(day)}) : cette annonce a un autre titre et une autre date, et l'agenda "
        f"ne garde que la dernière annonce d'un identifiant (« {title} » en disparaîtrait) ; "
        "s'il s'agit d'un autre événement, donnez-lui son propre identifiant"
    )


def _completed(entry: AgendaEntry, former: AgendaEntry) -> AgendaEntry:
    """A later announcement of an identified entry, with what it leaves out taken from the
    former one (a short reminder keeps the place, the link, the description; the end when it
    starts as before)."""
    return dataclasses.replace(
        entry,
        lieu=entry.lieu or former.lieu,
        lien=entry.lien or former.lien,
        description=entry.description or former.description,
        operateur=entry.operateur or former.operateur,
        end=entry.end if entry.end is not None or entry.start != former.start else former.end,
    )


def _title_key(title: str) -> str:
    """A title as compared across letters: case, accents and apostrophes aside."""
    return vocab.fold(title.replace("\u2019", "'"))


def _postponed_without_identifier(
    earlier: list[tuple[dt.date, int, str | None]],
    letter: Letter,
    day: dt.date,
    ident: str | None,
    here: tuple[set[dt.date], set[str]],
) -> tuple[dt.date, int, str | None] | None:
    """The former announcement, in another letter, of an entry's title that the entry likely
    postpones with its identifier forgotten on one side: still to come at the letter's date,
    at another day, exactly one of the two identified. None when an earlier announcement is
    this entry (its identifier, or its day: a reminder), or is announced again by this letter
    too (a session added to others), or when both have identifiers of their own (recurring
    meetings, waves of a call)."""
    days, idents = here
    others = [
        e
        for e in earlier
        if e[1] != letter.numero and e[0] not in days and (e[2] is None or e[2] not in idents)
    ]
    if any(e[0] == day or (ident is not None and e[2] == ident) for e in earlier):
        return None
    candidates = [e for e in others if e[0] >= letter.date and (ident is None) != (e[2] is None)]
    return candidates[-1] if candidates else None


def _variant(entry: AgendaEntry) -> str:
    """What tells apart entries of the same title starting together: their end and place."""
    told = f"{entry.end!r}|{entry.lieu or ''}"
    return hashlib.sha1(told.encode("utf-8")).hexdigest()[:6]


def load_agenda(
    root: Path, directory: Path, letters: tuple[Letter, ...], problems: list[Problem], rel_of
) -> tuple[AgendaEntry, ...]:  # type: ignore[no-untyped-def]
    slug = directory.name
    entries: list[AgendaEntry] = []
    in_order = sorted(letters, key=lambda x: x.numero)
    for letter in in_order:
        entries += _entries(
            slug, letter.data.appels_a_projets, letter.data.evenements, letter.numero
        )
    from_letters = len(entries)
    problems += _reused_identifiers(in_order)
    path = sources.agenda(directory)
    if path.is_file():
        rel = rel_of(root, path)
        source, problem = read_yaml(path, rel)
        if problem:
            problems.append(problem)
        elif source is not None and (agenda := validate(schema.Agenda, source, problems)):
            problems += identifier_problems(source, rel, agenda.appels_a_projets, agenda.evenements)
            own = _entries(slug, agenda.appels_a_projets, agenda.evenements, None)
            entries += own
            event = _event_of(entries)
            announced = {event(e): e.letter for e in reversed(entries[:from_letters])}
            # where each entry is written: (list, index), in the order _entries made them
            places = [
                (a.key, a.index)
                for a in _announced(agenda.appels_a_projets, agenda.evenements)
                if a.moment is not None
            ]
            # the last letter's announcement under each identifier
            lettered = {(e.kind, e.ident): e for e in entries[:from_letters] if e.ident}
            for entry, (kind, index) in zip(own, places, strict=True):
                earlier = lettered.get((entry.kind, entry.ident)) if entry.ident else None
                if (
                    earlier is not None
                    and entry.ident is not None
                    and _another_event(earlier.titre, earlier.day, entry.titre, entry.day)
                ):
                    problems.append(
                        Problem(
                            rel,
                            source.line_of((kind, index, "identifiant")),
                            f"{kind}[{index + 1}].identifiant",
                            _another_event_message(
                                entry.ident, earlier.titre, earlier.day, earlier.letter
                            ),
                            severity="avertissement",
                        )
                    )
                if event(entry) in announced and entry.ident is None:
                    problems.append(
                        Problem(
                            rel,
                            source.line_of((kind, index)),
                            f"{kind}[{index + 1}]",
                            f"« {entry.titre} » est déjà annoncé dans la lettre "
                            f"{numero(announced[event(entry)])} : l'agenda le montre une fois, "
                            "avec la lettre ; retirez-le d'agenda.yml (réservé aux événements "
                            "qui ne figurent dans aucune lettre)",
                            severity="avertissement",
                        )
                    )
    # an event announced again (a reminder in a later letter, agenda.yml): once, from the
    # letter that announced it first, or, when it has an identifier, as last announced under
    # it (a later letter or agenda.yml says it was postponed: its calendar's SEQUENCE counts
    # the announcements before); two entries of the same title starting together (two rooms)
    # are told apart by their end and place, or calendars show only one
    event = _event_of(entries)
    once: dict[tuple[object, ...], AgendaEntry] = {}
    sequence: dict[tuple[object, ...], int] = {}
    for entry in entries:
        key = event(entry)
        if entry.ident is not None:
            sequence[key] = sequence.get(key, -1) + 1
            former = once.get(key)
            if former is not None:
                entry = _completed(entry, former)
            once[key] = dataclasses.replace(entry, sequence=sequence[key])
        else:
            once.setdefault(key, entry)
    kept = list(dict.fromkeys(once.values()))
    uids: dict[str, int] = {}
    for entry in kept:
        uids[entry.uid] = uids.get(entry.uid, 0) + 1
    kept = [
        dataclasses.replace(entry, variant=_variant(entry)) if uids[entry.uid] > 1 else entry
        for entry in kept
    ]
    return tuple(sorted(kept, key=lambda e: (e.day, e.titre)))
