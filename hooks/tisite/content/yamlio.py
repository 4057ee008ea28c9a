"""Read YAML and Markdown front matter while keeping the source line of every value."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError, RoundTripConstructor, SafeConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from tisite.content.errors import Problem
from tisite.memo import Recent


class _Constructor(RoundTripConstructor):
    """Keeps timestamps as text: the schema parses dates and reports bad ones with their line."""


_Constructor.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda self, node: self.construct_scalar(node),
)

# A page's front matter between two « --- » lines: the one rule of the check and the build.
FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)?^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)


@dataclass(frozen=True)
class Source:
    """A parsed source file: plain data, the line-tracking tree, and the Markdown body."""

    path: Path
    rel: str
    data: Any
    tree: Any  # line-tracking tree; None: parsed from ``yaml_text`` when a line is asked for
    line_offset: int = 0
    body: str = ""
    body_line: int = 1
    yaml_text: str | None = None

    def _line_tree(self) -> Any:
        if self.tree is None and self.yaml_text is not None:
            object.__setattr__(self, "tree", _line_tree_of(self.yaml_text))
        return self.tree

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """1-based line of the value at ``loc`` (or of its closest known parent)."""
        node = self._line_tree()
        line: int | None = 1 if node is not None else None
        first = node.lc.key(next(iter(node))) if isinstance(node, CommentedMap) and node else None
        if first is not None:  # a field missing at the top: where the fields start, not a
            line = first[0] + 1  # comment above them
        for key in loc:
            if isinstance(node, CommentedMap) and key in node:
                pos = node.lc.key(key)
                line = pos[0] + 1
                node = node[key]
            elif isinstance(node, CommentedSeq) and isinstance(key, int) and key < len(node):
                pos = node.lc.item(key)
                line = pos[0] + 1
                node = node[key]
            else:
                break
        return None if line is None else line + self.line_offset


class DottedThousands(float):
    """A YAML number like « 15.000 »: YAML reads 15, a French writer meant fifteen thousand.
    Kept apart so that validation refuses it (see validation.validate)."""

    text: str = ""


_DOTTED_THOUSANDS = re.compile(r"^[+-]?[0-9]{1,3}(?:\.[0-9]{3})+$")


class OddInt(int):
    """A YAML integer not written as plain decimal digits: « 0017 » (read 17: the zeros are
    lost), « 0x1F » (31), « 0o17 » (15), « 0b101 » (5), « 1_000 » (1000). An identifier or a
    code meant as text, or a typing mistake: kept apart so that validation refuses it with the
    way to write it (see validation.validate) rather than publish a changed value."""

    text: str = ""


class OddFloat(float):
    """The same for a decimal number: « 0015.5 », « 1_000.5 »."""

    text: str = ""


# leading zeros before a digit, a base prefix, or an underscore between digits
_ODD_NUMBER = re.compile(r"^[+-]?(?:0[0-9_]|0[xXoObB]|[0-9.]*_)")


def _marked(value: Any, node: Any) -> Any:
    text = node.value.strip() if isinstance(node.value, str) else ""
    kind: type[Any] | None = None
    if isinstance(value, float) and _DOTTED_THOUSANDS.match(text):
        kind = DottedThousands
    elif _ODD_NUMBER.match(text) and not isinstance(value, bool):
        kind = OddFloat if isinstance(value, float) else OddInt
    if kind is None:
        return value
    marked = kind(value)
    marked.text = text
    return marked


def _number(default: Any) -> Any:
    def construct(self: Any, node: Any) -> Any:
        return _marked(default(self, node), node)

    return construct


class _SafeConstructor(SafeConstructor):
    """Plain values, timestamps kept as text (as in the line-tracking loader)."""


_SafeConstructor.add_constructor(
    "tag:yaml.org,2002:float", _number(SafeConstructor.construct_yaml_float)
)
_Constructor.add_constructor(
    "tag:yaml.org,2002:float", _number(RoundTripConstructor.construct_yaml_float)
)
_SafeConstructor.add_constructor(
    "tag:yaml.org,2002:int", _number(SafeConstructor.construct_yaml_int)
)
_Constructor.add_constructor(
    "tag:yaml.org,2002:int", _number(RoundTripConstructor.construct_yaml_int)
)


_SafeConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda self, node: self.construct_scalar(node),
)


@functools.cache
def _safe_yaml() -> YAML:
    """One libyaml-backed loader, reused: building one costs about as much as a small load."""
    yaml = YAML(typ="safe")
    yaml.Constructor = _SafeConstructor
    yaml.allow_duplicate_keys = False
    return yaml


_LOADED: Recent[tuple[bool, Any]] = Recent()  # a text parsed once per process (tisite.memo)


def _fast_load(text: str) -> tuple[bool, Any]:
    """Plain data through libyaml when available; (False, None) when the text has a problem.

    Lines are only needed to explain a problem, so the slow line-tracking parse runs only then
    (or when a later check asks for a line). Kept by text within the process (tisite.memo):
    the data is only read (``depth``) and copied (``to_plain``), never modified.
    """

    def parse() -> tuple[bool, Any]:
        try:
            return True, _safe_yaml().load(text)
        except (YAMLError, DuplicateKeyError, ValueError, RecursionError):
            return False, None  # explained by the line-tracking parse

    return _LOADED.get(text, parse)


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.allow_duplicate_keys = False
    return yaml


_TYPED_SPACES = "\u00a0\u202f"


def to_plain(node: Any) -> Any:
    """Convert ruamel's round-trip containers and scalars into plain Python values."""
    if isinstance(node, dict):
        plain = {str(k): to_plain(v) for k, v in node.items()}
        # « titre : » typed with a no-break space before the colon (a word processor's French
        # spacing): YAML keeps it in the key; the field is the one meant, unless also given
        meant = {k: k.rstrip(_TYPED_SPACES) for k in plain}
        return {(meant[k] if meant[k] not in plain else k): v for k, v in plain.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, (OddInt, OddFloat, DottedThousands)):
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


_QUOTE = "mettez entre guillemets un texte qui commence par"
_MESSAGES = [
    (
        "found character '\\t' that cannot start any token",
        "tabulation interdite : indentez avec des espaces",
    ),
    (
        "mapping values are not allowed here",
        "« : » inattendu : mettez le texte entre guillemets s'il contient « : »",
    ),
    ("could not find expected ':'", "« : » manquant après une clé, ou guillemet non refermé"),
    (
        "found unexpected end of stream",
        "fin de fichier inattendue : un guillemet ou un crochet n'est pas refermé",
    ),
    ("did not find expected key", "indentation incohérente : alignez les clés d'un même bloc"),
    ("did not find expected '-' indicator", "élément de liste mal aligné : alignez les « - »"),
    (
        "expected <block end>, but found",
        "indentation incohérente : alignez les clés d'un même bloc",
    ),
    ("found undefined alias", "alias « * » inconnu"),
    (
        "expected ',' or ']'",
        "liste entre crochets mal formée : crochet « ] » manquant ou virgule oubliée ; "
        "mettez entre guillemets un texte qui commence par « [ »",
    ),
    (
        "expected ',' or '}'",
        "accolade « } » manquante ou virgule oubliée ; mettez entre guillemets un texte qui "
        "commence par « { »",
    ),
    ("found character '@' that cannot start", f"{_QUOTE} « @ »"),
    ("found character '%' that cannot start", f'{_QUOTE} « % » (par exemple « "%" »)'),
    ("while scanning a block scalar", f"{_QUOTE} « > » ou « | »"),
    ("found character '`' that cannot start", f"{_QUOTE} « ` »"),
    ("while parsing a block collection", "élément de liste mal aligné : alignez les « - »"),
    ("while scanning an alias", f"{_QUOTE} « * »"),
    ("while scanning an anchor", f"{_QUOTE} « & »"),
    ("while scanning a tag", f"{_QUOTE} « ! »"),
    ("while scanning a quoted scalar", "guillemet non refermé"),
]


def _translate(exc: YAMLError) -> str:
    text = str(exc)
    for english, french in _MESSAGES:
        if english in text:
            return french
    return (
        "syntaxe YAML invalide : vérifiez l'indentation, les guillemets et les crochets de "
        "cette ligne et de la précédente"
    )


def _decode(path: Path, rel: str, raw: bytes) -> tuple[str | None, Problem | None]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, Problem(
            rel,
            line,
            None,
            f"le fichier n'est pas encodé en UTF-8 (octet 0x{raw[exc.start]:02x} illisible) : "
            "enregistrez-le en UTF-8 depuis votre éditeur",
        )
    if "\x00" in text:
        return None, Problem(
            rel, None, None, "le fichier contient des octets nuls : ce n'est pas un fichier texte"
        )
    return text, None


_STANDARD_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


def _refused_feature(text: str, rel: str, line_offset: int) -> Problem | None:
    """Aliases and explicit tags are refused: content is plain data, written by hand.

    An alias can multiply a value exponentially (the "billion laughs" attack) and a tag such as
    ``!!python/object`` asks for a type this site never builds: both are explained, not loaded.
    """
    if "*" not in text and "!" not in text and "<<" not in text:
        return None
    for event in _yaml().parse(text):
        line = event.start_mark.line + 1 + line_offset if event.start_mark else None
        if type(event).__name__ == "ScalarEvent" and event.value == "<<" and not event.style:
            return Problem(  # a merge key: fields that come from elsewhere, without a line
                rel,
                line,
                None,
                "« << » (fusion de blocs YAML) non pris en charge : écrivez les champs "
                "eux-mêmes ; un texte qui commence par « << » s'écrit entre guillemets",
            )
        if type(event).__name__ == "AliasEvent":
            return Problem(
                rel,
                line,
                None,
                f"« *{event.anchor} » se lit comme un alias YAML, non pris en charge : un texte "
                "qui commence par « * » (une mise en italique) s'écrit entre guillemets "
                f'(« "*{event.anchor}…" ») ; pour un alias, recopiez la valeur',
            )
        tag = getattr(event, "tag", None)
        if tag and tag not in _STANDARD_TAGS:
            return Problem(
                rel,
                line,
                None,
                f"étiquette YAML « {tag.replace('tag:yaml.org,2002:', '!!')} » non prise en "
                "charge : retirez-la (les valeurs sont du texte, des nombres, des dates, des "
                "listes ou des champs)",
            )
    return None


@functools.lru_cache(maxsize=64)
def _line_tree_of(yaml_text: str) -> Any:
    """The line-tracking tree of a YAML text, kept by its content (only read, by ``line_of``):
    a file with a warning is parsed again once per process, not on each check of the
    preview."""
    tree, _ = parse_yaml_text(yaml_text, "")
    return tree if tree is not None else CommentedMap()


def _duplicate_problem(exc: DuplicateKeyError, text: str, rel: str, line_offset: int) -> Problem:
    """A key written twice in a block: a new list item whose « - » was forgotten, or a key
    to remove or rename (the line of the second one)."""
    mark = exc.problem_mark
    key = re.search(r'found duplicate key "([^"]*)"', str(exc))
    name = key.group(1) if key else None
    line = mark.line + 1 + line_offset if mark else None
    item = _item_without_dash(text.split("\n"), mark.line, line_offset) if mark else None
    if item is not None:  # a new item of a list, its « - » forgotten
        return Problem(rel, item[0] + 1 + line_offset, item[1], item[2])
    first = _first_of_key(text.split("\n"), mark.line, name) if mark and name else None
    where = f" (déjà à la ligne {first + 1 + line_offset})" if first is not None else ""
    return Problem(rel, line, name, f"clé en double{where} : supprimez ou renommez l'une des deux")


# a key and where it starts: it starts after the dashes and spaces and ends on a character
# that is no space, so that a long run of spaces or dashes without « : » is read once
# (« [^:#]*?\s* » tried every split of it, and a key could start at any dash: squares)
_PLAIN_KEY = r"[^\s#:'\"-](?:[^:#]*[^\s:#])?"
_BLOCK_KEY = re.compile(rf"^([ -]*)({_PLAIN_KEY}|'[^']*'|\"[^\"]*\")[ \t]*:(?:\s|$)")


def _first_of_key(lines: list[str], index: int, name: str) -> int | None:
    """The index of the line where ``name``, written again at ``lines[index]``, was first
    given in the same block: the nearest line above at the same column, before the block
    starts (a key further left, or the dash that starts the list item the key is in). None
    when the line is not read as ``name:`` (a flow mapping, an escaped or anchored key): no
    line rather than a wrong one."""

    def key_at(line: str) -> tuple[int, str, bool] | None:
        found = _BLOCK_KEY.match(line)
        if not found:
            return None
        return len(found[1]), found[2].strip("'\""), "-" in found[1]

    here = key_at(lines[index]) if index < len(lines) else None
    if here is None or here[1] != name:
        return None
    for j in range(index - 1, -1, -1):
        other = key_at(lines[j])
        if other is None:
            continue
        if other[0] < here[0]:
            return None  # the block began below: the first is not in view
        if other[0] == here[0] and other[1] == name:
            return j
        if other[0] == here[0] and other[2]:
            return None  # the first key of the item the duplicate is in: the item began here
    return None


def _syntax_problem(exc: MarkedYAMLError, text: str, rel: str, line_offset: int) -> Problem:
    """A YAML syntax error in French, on the line to mend: an unclosed quote, a missing space
    after a key, a key out of line (see _line_hint), else the parser's own words, translated."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 + line_offset if mark else None
    unclosed = _unclosed_quote(text, mark.line if mark else None)
    if unclosed is not None:
        curly = re.search(r"[”’]\s*(#.*)?$", text.splitlines()[unclosed])
        return Problem(
            rel,
            unclosed + 1 + line_offset,
            None,
            "guillemet ouvert mais pas refermé : "
            + (
                f"la valeur finit par « {curly[0].strip()[0]} », un guillemet typographique "
                "que YAML ne lit pas comme la fin ; finissez-la par le même guillemet droit "
                "qu'au début"
                if curly
                else "ajoutez le guillemet de fin sur cette ligne"
            ),
        )
    hint = _line_hint(text, mark.line if mark else None, line_offset)
    if hint is not None:
        at, field, message = hint
        return Problem(rel, at + 1 + line_offset, field, message)
    opened = exc.context_mark if "flow" in str(exc.context or "") else None
    if opened is not None:  # « [ » or « { » not closed: the line where it opens
        line = opened.line + 1 + line_offset
    message = _translate(exc)
    if message.startswith("tabulation interdite"):  # the parser stops at the first one
        # the other lines a tab indents before a key or a « - » (a tab inside a block of
        # text, « | », is text), ten at most
        others = [
            index + 1 + line_offset
            for index, row in enumerate(text.split("\n"))
            if _TAB_INDENT.match(row) and index + 1 + line_offset != line
        ]
        if others:
            listed = ", ".join(str(n) for n in others[:10]) + (" …" if len(others) > 10 else "")
            message += f" (aussi {'ligne' if len(others) == 1 else 'lignes'} {listed})"
    return Problem(rel, line, None, message)


_TAB_INDENT = re.compile(r"^ *\t[ \t]*(?:-(?:\s|$)|[^\s:#][^:#]*:(?:\s|$))")


def parse_yaml_text(text: str, rel: str, line_offset: int = 0) -> tuple[Any, Problem | None]:
    try:
        refused = _refused_feature(text, rel, line_offset)
        if refused:
            return None, refused
        tree = _yaml().load(text)
    except DuplicateKeyError as exc:
        return None, _duplicate_problem(exc, text, rel, line_offset)
    except MarkedYAMLError as exc:
        return None, _syntax_problem(exc, text, rel, line_offset)
    except YAMLError as exc:
        return None, Problem(rel, None, None, _translate(exc))
    except RecursionError:
        return None, _too_deep(rel, text, line_offset)
    except ValueError:  # an integer of thousands of digits (Python refuses to convert it)
        match = _LONG_NUMBER.search(text)
        line = text[: match.start()].count("\n") + 1 + line_offset if match else None
        return None, Problem(
            rel,
            line,
            None,
            "nombre beaucoup trop long : un nombre du contenu compte au plus 15 chiffres",
        )
    return tree, None


_KEY_LINE = re.compile(r"^\s*(?:-\s+)?[\w-]+:(?:\s|$)")

# What a person typing YAML by hand gets wrong on a line, which YAML reports on a later line
# with a cause of its own (« « : » inattendu », « indentation incohérente »): found on the
# lines up to the one YAML names, nearest first, and said with the fix.
_NO_SPACE_AFTER_COLON = re.compile(r"^\s*(?:-\s+)?([^\W\d][\w-]*):(?=[^\s:/\\])(.*)$")
_NO_SPACE_AFTER_DASH = re.compile(r"^\s*-(?=[^\W\d])([\w-]+)")
# « role: Financeur: principal »: a plain value holding « : » and a space, read as a key
_COLON_IN_VALUE = re.compile(
    r"^\s*(?:-\s+)?([^\W\d][\w-]*)[ \t]*:[ \t]+([^\s'\"\[{|>&*!#%@`][^#]*?:(?:[ \t].*)?)$"
)
_TYPED_INDENT = re.compile(r"^[ \t]*[\u00a0\u202f\u2007\u3000]")
_QUOTED_THEN_MORE = re.compile(
    r"""^\s*(?:-\s+)?([^\W\d][\w-]*):\s+((["'])(?:(?!\3).)*\3\s*[^\s#].*)$"""
)
_BRACKET_THEN_MORE = re.compile(r"^\s*(?:-\s+)?([^\W\d][\w-]*):\s+(\[[^\]]*\]\s*[^\s#,].*)$")
_NBSP_AFTER_COLON = re.compile(r"^\s*(?:-\s+)?([^\W\d][\w-]*):[\u00a0\u202f\u2007]")
# a value between typographic quotes (« », “ ”, ‘ ’), which YAML reads as ordinary characters
_TYPOGRAPHIC_QUOTED = re.compile(r"^\s*(?:-\s+)?([^\W\d][\w-]*):\s+([«“‘„‹].*)$")
_KEY_AT = re.compile(r"^(\s*)(?:-\s+)?([^\W\d][\w-]*)[ \u00a0\u202f]*:(?:\s|$)")


def _line_hint(
    text: str, error_line: int | None, line_offset: int = 0
) -> tuple[int, str | None, str] | None:
    """(0-based line, field, message) of a mistake a line shows, on the line YAML complains
    about or the one above (never inside a block of text); None when no line shows one."""
    lines = text.split("\n")
    last = len(lines) - 1 if error_line is None else min(error_line, len(lines) - 1)
    for index in range(last, max(-1, last - 2), -1):
        line = lines[index]
        if line.lstrip().startswith("#") or _in_block_text(lines, index):
            continue
        hint = _hint_of(line)
        if hint is not None:
            return index, *hint
    return (
        _item_without_dash(lines, last, line_offset)
        or _misaligned_key(lines, last)
        or _loose_line(lines, last)
    )


def _hint_of(line: str) -> tuple[str | None, str] | None:
    """(field, message) of the typing mistake ``line`` shows, if any."""
    if _TYPED_INDENT.match(line):
        return None, (
            "la ligne commence par des espaces insécables (un copier-coller depuis un "
            "traitement de texte) : remplacez-les par des espaces ordinaires"
        )
    if found := _NBSP_AFTER_COLON.match(line):
        key = found[1]
        return key, (
            f"une espace insécable suit « {key}: » (un copier-coller depuis un traitement de "
            "texte) : remplacez-la par une espace ordinaire"
        )
    value = re.sub(r"\s+#.*$", "", found[2]) if (found := _TYPOGRAPHIC_QUOTED.match(line)) else ""
    if found and re.search(r":(\s|$)", value):  # (a comment after the value is no part of it)
        key, value = found[1], value.strip()
        return key, (
            "les guillemets « », “ ” ou ‘ ’ ne comptent pas pour YAML : entourez toute la "
            f'valeur de guillemets droits " ", par exemple {key}: {_quoted(value)}'
        )
    if found := _NO_SPACE_AFTER_COLON.match(line):
        key, value = found[1], found[2].strip()
        return key, f"il manque une espace après « {key}: » : écrivez « {key}: {_short(value)} »"
    if found := _COLON_IN_VALUE.match(line):
        # a « # » after a space starts a comment, unless a word follows it (« salle #3 »)
        key, value = found[1], re.sub(r"\s+#(?:\s.*)?$", "", found[2]).strip()
        return key, (
            f"la valeur de « {key} » contient « : » suivi d'une espace ou en fin de ligne, "
            "que YAML lit comme une clé : mettez toute la valeur entre guillemets, par exemple "
            f"{key}: {_quoted(value)}"
        )
    if _NO_SPACE_AFTER_DASH.match(line):
        return None, (
            "il manque une espace après le tiret d'un élément de liste : écrivez "
            f"« - {_short(line.strip()[1:])} »"
        )
    if found := _QUOTED_THEN_MORE.match(line) or _BRACKET_THEN_MORE.match(line):
        key, value = found[1], found[2].strip()
        cause = (
            "une valeur qui commence par « [ » se lit comme une liste"
            if value.startswith("[")
            else "une valeur qui commence par un guillemet doit finir par le même guillemet"
        )
        return key, (
            f"{cause} : mettez toute la valeur entre guillemets, par exemple "
            f"{key}: {_quoted(value)}"
        )
    return None


def _loose_line(lines: list[str], last: int) -> tuple[int, str | None, str] | None:
    """A line of text that is neither « clé: valeur » nor a list item nor indented under a
    value: the rest of the value above, which went to the next line; or a key left at the
    margin inside a list."""
    for index in range(last, max(0, last - 3), -1):
        line = lines[index]
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", "- ", "---")) or _KEY_AT.match(line):
            continue
        above = lines[index - 1]
        key = _KEY_AT.match(above)
        if (
            key
            and above.split(":", 1)[1].strip()
            and (len(line) - len(line.lstrip()) <= len(above) - len(above.lstrip(" -")))
        ):
            return (
                index,
                key[2],
                (
                    f"cette ligne continue-t-elle le texte de « {key[2]} », à la ligne "
                    "au-dessus ? Remettez-la au bout de cette ligne, ou indentez-la de deux "
                    f"espaces de plus que « {key[2]} »"
                ),
            )
    if last >= 1 and lines[last].lstrip().startswith("- "):
        dash = len(lines[last]) - len(lines[last].lstrip())
        for index in range(last - 1, -1, -1):
            key = _KEY_AT.match(lines[index])
            if key is None:
                continue
            column = len(lines[index]) - len(lines[index].lstrip(" -"))
            if column < dash and not lines[index].rstrip().endswith(":"):
                return (
                    index,
                    key[2],
                    (
                        f"la clé « {key[2]} » est au bord, au milieu d'une liste : indentez-la "
                        "comme les autres clés de son élément de liste"
                    ),
                )
            break
    return None


def _quoted(value: str) -> str:
    """``value`` as one quoted YAML value: « 'L'usine du futur' » meant the text between its
    quotes; « "Made in Hainaut", le salon » keeps them."""
    if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    if '"' not in value and "\\" not in value:  # (in double quotes, « \ » starts an escape)
        return _short(f'"{value}"', 80)
    return _short("'" + value.replace("'", "''") + "'", 80)


# the end of a line that opens a block of text (« resume: | », « - > »)
_BLOCK_START = re.compile(r"[:-][ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?$")


def _in_block_text(lines: list[str], index: int) -> bool:
    """Whether line ``index`` is inside a block of text (after « | » or « > »), where « : »
    and « - » are the text's own."""
    indent = len(lines[index]) - len(lines[index].lstrip())
    for above in range(index - 1, max(-1, index - 200), -1):
        line = lines[above]
        if not line.strip():
            continue
        margin = len(line) - len(line.lstrip())
        if margin < indent:
            return bool(_BLOCK_START.search(line))
    return False


def _filled_above(lines: list[str], index: int) -> list[int]:
    """The lines above line ``index`` that hold something (neither blank nor a comment)."""
    return [n for n in range(index) if lines[n].strip() and not lines[n].lstrip().startswith("#")]


def _pulled_out(
    lines: list[str], index: int, nearest: str, column: Callable[[str], int]
) -> tuple[int, str | None, str] | None:
    """The first key of a block written at the margin of the block's own key (« editeur: »
    then « nom: » under it at the same column, « adresse: » indented): that key is the one to
    move (the line under it is where its block is), said on its own line."""
    above = _filled_above(lines, index)
    if len(above) < 2 or lines[above[-1]] != nearest:
        return None
    first, parent = above[-1], lines[above[-2]]
    owner, key = _KEY_AT.match(parent), _KEY_AT.match(nearest)
    if owner is None or key is None or column(parent) != column(nearest):
        return None
    if not parent.split("#", 1)[0].rstrip().endswith(":"):
        return None  # the key above has its value: « nom » is its sibling
    if lines[index].lstrip().startswith("-"):  # items follow: it is the list's first item
        dash = len(lines[index]) - len(lines[index].lstrip())
        return (
            first,
            key[2],
            f"« {key[2]}: » commence le premier élément de la liste « {owner[2]}: » : écrivez "
            f"« - {key[2]}: » {_at(dash)}, comme les éléments qui suivent, et ses autres "
            "champs dessous, alignés sur lui",
        )
    return (
        first,
        key[2],
        f"« {key[2]}: » est le premier champ du bloc « {owner[2]}: » : indentez-le comme les "
        f"suivants, {_at(column(lines[index]))} (il est {_at(column(nearest))}, comme "
        f"« {owner[2]}: » qui l'attend)",
    )


def _key_left_out(
    lines: list[str], index: int, column: Callable[[str], int]
) -> tuple[int, str | None, str] | None:
    """A key with its value, less indented than the keys of its block around it (« logo: »
    at the margin between two keys of « theme: »): that key is the line to move."""
    above = _filled_above(lines, index)
    if len(above) < 2:
        return None
    at = column(lines[index])
    out = above[-1]
    # the closest line above it not deeper than this one (a block's own lines are skipped:
    # « features: » and its list before « logo: »)
    before = next((lines[n] for n in reversed(above[:-1]) if column(lines[n]) <= at), "")
    key, sibling = _KEY_AT.match(lines[out]), _KEY_AT.match(before)
    if (
        key is None
        or sibling is None
        or lines[out].split("#", 1)[0].rstrip().endswith(":")  # it opens a block: not this
        or not column(lines[out]) < at == column(before)
        or lines[out].lstrip().startswith("-")
        or lines[index].lstrip().startswith("-")  # an item after it: a list's own advice
    ):
        return None
    return (
        out,
        key[2],
        f"la clé « {key[2]} » est {_at(column(lines[out]))}, entre des clés du même bloc "
        f"{_at(at)} : alignez-la sur elles, comme « {sibling[2]} »",
    )


def _block_columns(lines: list[str], index: int, column: Callable[[str], int]) -> set[int]:
    """The columns of the keys above ``lines[index]`` in the block it is in: up to the line
    that starts further left (a key of another block at the same column, « debut » under
    « calendrier », says nothing of where a key of « budget » goes). Keys quoted, numbered or
    anchored count too; a line of text (a value's) only where it starts."""
    here = column(lines[index])
    columns = set()
    for line in reversed(lines[:index]):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if _BLOCK_KEY.match(line):
            columns.add(column(line))
        if len(line) - len(line.lstrip()) < here:
            break
    return columns


def _misaligned_key(lines: list[str], last: int) -> tuple[int, str | None, str] | None:
    """A key at a column where no key above it is (« montant » one space further than
    « financeur »): aligned on the key of the line above, it belongs to the same block."""

    def column(line: str) -> int:
        return len(line) - len(line.lstrip(" -"))

    for index in (last, last - 1):
        if index < 1 or not (here := _KEY_AT.match(lines[index])):
            continue
        nearest = next(
            (
                line
                for line in reversed(lines[:index])
                if line.strip() and not line.lstrip().startswith("#")
            ),
            "",
        )
        there = _KEY_AT.match(nearest)
        if there is not None and (out := _key_left_out(lines, index, column)):
            return out
        # a key less indented than the one above is placed among the keys of its own block
        # (a key of another block at its column says nothing of where it goes); otherwise
        # among every key above
        columns = (
            _block_columns(lines, index, column)
            if column(lines[index]) < column(nearest)
            else {column(line) for line in lines[:index] if _KEY_AT.match(line)}
        )
        # the line above is a key with its value, at a column this one is not at
        if there is None or nearest.rstrip().endswith(":") or column(lines[index]) in columns:
            continue
        key, wanted = here[2], column(nearest)
        dash, dash_above = _dash_at(lines[index]), _dash_at(nearest)
        if dash is not None and dash_above is not None and dash != dash_above:
            return (
                index,
                key,
                f"le tiret de cet élément de liste n'est pas aligné sur celui de l'élément "
                f"au-dessus : mettez-le {_at(dash_above)} (il est {_at(dash)})",
            )
        if column(lines[index]) < wanted:  # less indented: the block it meant to end in
            children = _children_column(lines, index, column)
            levels = _enclosing_levels(lines[:index], column)
            # a key's own children are deeper than it: it belongs to a level above them
            levels = [lv for lv in levels if children is None or lv[0] < children]
            here_at = column(lines[index])
            deeper = [lv for lv in levels if lv[0] > here_at]
            shallower = [lv for lv in levels if lv[0] < here_at]
            choices = [c for c in (min(deeper, default=None), max(shallower, default=None)) if c]
            if choices:
                said = " ou ".join(f"{_at(at)}, comme « {sibling} »" for at, sibling in choices)
                return (
                    index,
                    key,
                    f"la clé « {key} » n'est alignée sur aucune clé au-dessus : alignez-la sur "
                    f"celles du bloc dont elle fait partie, {said} (elle est {_at(here_at)})",
                )
        if _in_block_text(lines, index):
            continue
        # one column too far: a typing slip; two or more: the value of the key above going on
        # over the next line (its « : » is then the thing to quote), or a key pushed in
        if column(lines[index]) > wanted + 1 and (
            pulled := _pulled_out(lines, index, nearest, column)
        ):
            return pulled
        if column(lines[index]) > wanted + 1:
            return (
                index,
                key,
                f"« {key}: » est plus indenté que « {there[2]} », la clé au-dessus : si c'est "
                f"un champ, mettez-le {_at(wanted)}, comme « {there[2]} » (il est "
                f"{_at(column(lines[index]))}) ; si c'est la suite du texte de « {there[2]} », "
                "mettez tout ce texte entre guillemets",
            )
        return (
            index,
            key,
            (
                f"la clé « {key} » n'est pas alignée sur « {there[2]} », la clé au-dessus : "
                f"mettez-la {_at(wanted)} (elle est {_at(column(lines[index]))})"
            ),
        )
    return None


def _item_without_dash(
    lines: list[str], last: int, line_offset: int = 0
) -> tuple[int, str | None, str] | None:
    """A new item of a list written without its « - » (« date: » typed under the last point
    of « avancement » to add one): its key is one the item above has, at the column of that
    item's keys (YAML: a key given twice) or of its « - » (YAML: indentation). Told to start
    it with « - », not to remove a key (which would lose the former point)."""
    if not 0 <= last < len(lines) or (here := _KEY_AT.match(lines[last])) is None:
        return None
    if _dash_at(lines[last]) is not None:
        return None
    key, at = here[2], len(here[1])
    for index in range(last - 1, -1, -1):
        line = lines[index]
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        dash = _dash_at(line)
        indent = len(line) - len(line.lstrip(" "))
        if dash is not None and at in (dash, dash + 2):
            item = [lines[index]] + [x for x in lines[index + 1 : last] if x.strip()]
            keys = {found[2] for x in item if (found := _KEY_AT.match(x))}
            first = _KEY_AT.match(lines[index])
            # at the item's keys, a new item begins with the key its first line has (« date »);
            # another key given twice in one item is a true duplicate
            if key not in keys or (at == dash + 2 and (first is None or first[2] != key)):
                return None
            # the list's own key: the nearest block above that opens left of its « - »
            levels = _enclosing_levels(lines[:index], lambda x: len(x) - len(x.lstrip(" ")))
            owner = next((name for column, name in levels if column < dash), None)
            listed = f"de la liste « {owner} » " if owner else ""
            move = (
                f"remplacez les deux espaces avant « {key} » par « - »"
                if at == dash + 2
                else f"écrivez « - {key}: … » et mettez ses autres clés sous « {key} »"
            )
            return (
                last,
                key,
                f"« {key}: » commence un nouvel élément {listed}sans son tiret : un élément "
                f"commence par « - », aligné sur celui de la ligne {index + 1 + line_offset} ; "
                f"{move} (sans tiret, il se confond avec l'élément du dessus : n'en retirez "
                "rien)",
            )
        if indent < at or (dash is None and indent == at and not _KEY_AT.match(line)):
            return None
        if dash is not None and dash < at:
            return None
    return None


def _dash_at(line: str) -> int | None:
    """The column of a list item's « - », None when the line is not a list item."""
    found = re.match(r"^( *)- ", line)
    return len(found[1]) if found else None


def _at(count: int) -> str:
    """Where a line starts, in words: « au bord », « à 1 espace du bord »…"""
    return "au bord" if count == 0 else f"à {count} espace{'s' if count > 1 else ''} du bord"


def _enclosing_levels(above: list[str], column: Callable[[str], int]) -> list[tuple[int, str]]:
    """The blocks open at the end of ``above``, from the innermost out: (column, a key of that
    level), the columns of the keys that lead to its last line."""
    levels: list[tuple[int, str]] = []
    for line in reversed(above):
        found = _KEY_AT.match(line)
        if found and (not levels or column(line) < levels[-1][0]):
            levels.append((column(line), found[2]))
    return levels


def _children_column(lines: list[str], index: int, column: Callable[[str], int]) -> int | None:
    """The column of the first key or item under the key of line ``index`` when it opens a
    block (« industriel: » followed by its fields), None when it has a value of its own."""
    if lines[index].split(":", 1)[1].split("#", 1)[0].strip():
        return None
    for line in lines[index + 1 :]:
        if line.strip() and not line.lstrip().startswith("#"):
            deeper = len(line) - len(line.lstrip(" "))
            return column(line) if deeper > column(lines[index]) else None
    return None


_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[^\s:#'"][^:#]*:\s+)?(["'])(.*)$""")


def _unclosed_quote(text: str, error_line: int | None) -> int | None:
    """The 0-based line, at or before the one YAML complains about, of a value that opens a
    quote and never closes it (YAML then reports a later line with an unrelated cause)."""
    lines = text.splitlines()
    last = len(lines) - 1 if error_line is None else min(error_line, len(lines) - 1)
    for index in range(last, -1, -1):
        match = _QUOTED_VALUE.match(lines[index])
        if match is None:
            continue
        quote, rest = match.groups()
        body = rest.replace('\\"', "") if quote == '"' else rest.replace("''", "")
        if quote not in body:
            # a quoted value may go on over indented lines; the next key at the same level
            # (or a file that ends) means it was never closed
            indent = len(lines[index]) - len(lines[index].lstrip())
            nxt = lines[index + 1] if index + 1 < len(lines) else ""
            if not nxt.strip() and index + 1 >= len(lines):
                return index
            nxt_indent = len(nxt) - len(nxt.lstrip())
            if _KEY_LINE.match(nxt) and nxt_indent <= indent:
                return index
    return None


_LONG_NUMBER = re.compile(r"\d{100,}")
MAX_DEPTH = 20  # the deepest field of the schema is 5 levels down


def _too_deep(rel: str, text: str, line_offset: int = 0) -> Problem:
    lines = text.split("\n")
    levels = [
        (len(line) - len(line.lstrip(" -")) // 2 + line.count("[") + line.count("{"), index)
        for index, line in enumerate(lines)
    ]
    deepest = max(levels)[1] + 1 + line_offset if levels else None
    return Problem(
        rel,
        deepest,
        None,
        f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux de listes ou de champs) : "
        "le contenu n'en demande jamais autant ; vérifiez l'indentation et les crochets",
    )


def depth(data: Any) -> int:
    """Nesting depth of plain data (lists and mappings), computed without recursion."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict | list):
            deepest = max(deepest, level)
            if level > MAX_DEPTH:
                break
            values = node.values() if isinstance(node, dict) else node
            stack.extend((v, level + 1) for v in values)
    return deepest


# A content file (YAML, or Markdown with its front matter) is read whole, then parsed: 1 MB
# is hundreds of pages of text; YAML's parser takes about 4 s a megabyte, and 14 MB of budget
# lines took a minute and 1.5 GB (outside review).
MAX_SOURCE_BYTES = 1_000_000
TOO_BIG = (
    "fichier de {size} octets : un fichier de contenu fait au plus 1 000 000 d'octets (des "
    "centaines de pages) ; découpez-le (une fiche action ou une lettre par fichier)"
)


EMPTY = "le fichier est vide"


def _read_text(path: Path, rel: str) -> tuple[str | None, Problem | None]:
    """Decoded, non-empty text of a file, or the problem that prevents reading it."""
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        shown = f"{size:,}".replace(",", "\u202f")
        return None, Problem(rel, None, None, TOO_BIG.format(size=shown))
    text, problem = _decode(path, rel, path.read_bytes())
    if problem or text is None:
        return None, problem
    if not text.strip():
        return None, Problem(
            rel,
            None,
            None,
            f"{EMPTY} : écrivez son contenu (partez d'un fichier du même dossier ou du modèle du "
            "guide) ou supprimez-le",
        )
    return text, None


def read_yaml(path: Path, rel: str) -> tuple[Source | None, Problem | None]:
    """Parse a YAML file. Returns the source, or a problem explaining why it can't be read."""
    text, problem = _read_text(path, rel)
    if text is None:
        return None, problem
    data, tree, problem = _load(text, rel, 0)
    if problem:
        return None, problem
    return Source(path, rel, data, tree, yaml_text=text), None


# A folded block (« resume: >- », then indented lines) joins its lines with spaces and turns a
# blank line into a single line break: paragraphs written in it ran together, and a list's
# items into one line (« Freins : - le coût ; - le manque »). Such a block, with a blank line
# between its lines or a line that starts a list, is read as a literal one (« | »): its lines
# as written, which Markdown reads as its author wrote them. Lines stay where they are.
_FOLDED = re.compile(
    r"^(?P<head>[ \t]*(?:-[ \t]+)*(?:[^\s#'\"-][^:#]*:[ \t]+)?)"
    r"(?P<style>[>|])(?P<rest>[-+0-9]*[ \t]*(?:#.*)?)$"
)
_LIST_LINE = re.compile(r"^[ \t]*(?:[-*+]|(\d{1,9})[.)])[ \t]+\S")


def _structured_folds_literal(text: str) -> str:
    """``text`` with the header of each such folded block made literal (one pass: a block's
    lines are never read as headers themselves)."""
    if ">" not in text:
        return text
    lines = text.split("\n")  # a literal block (« | ») is walked over too: its lines are text
    changed = False
    index = 0
    while index < len(lines):
        found = _FOLDED.match(lines[index])
        index += 1
        if found is None:
            continue
        head = found["head"]
        parent = len(head) - len(head.lstrip(" -"))  # the key's column (after « - » items)
        start = index
        while index < len(lines) and (
            not lines[index].strip() or len(lines[index]) - len(lines[index].lstrip()) > parent
        ):
            index += 1
        block = lines[start:index]
        while block and not block[-1].strip():
            block.pop()
        if found["style"] == ">" and _structured(block):
            lines[start - 1] = f"{head}|{found['rest']}"
            changed = True
    return "\n".join(lines) if changed else text


def _structured(block: list[str]) -> bool:
    """Whether a folded block's lines hold paragraphs (a blank line between lines) or a list
    (« - », « * », « + » items; numbered from « 1. », or after a blank line)."""
    previous_blank = False
    for position, line in enumerate(block):
        if not line.strip():
            previous_blank = True
            continue
        if previous_blank and position:
            return True
        found = _LIST_LINE.match(line)
        if found and position and (found[1] is None or found[1] == "1"):
            return True
        previous_blank = False
    return False


def _load(text: str, rel: str, line_offset: int) -> tuple[Any, Any, Problem | None]:
    """Plain data, the line-tracking tree (None until a line is asked for), or the problem."""
    text = _structured_folds_literal(text)
    fast = "*" not in text and "!" not in text and "<<" not in text  # (see _refused_feature)
    ok, data = _fast_load(text) if fast else (False, None)
    if ok:
        if depth(data) > MAX_DEPTH:
            return None, None, _too_deep(rel, text, line_offset)
        cut = _value_cut_by_comment(text, rel, line_offset) or _dash_read_as_text(
            text, rel, line_offset
        )
        if cut:
            return None, None, cut
        return to_plain(data) if data is not None else None, None, None
    tree, problem = parse_yaml_text(text, rel, line_offset)
    if problem is None and depth(tree) > MAX_DEPTH:
        return None, None, _too_deep(rel, text, line_offset)
    if problem is None:
        problem = _value_cut_by_comment(text, rel, line_offset) or _dash_read_as_text(
            text, rel, line_offset
        )
        if problem:
            return None, None, problem
    return to_plain(tree), tree, problem


_DASH_LINE = re.compile(r"^( *)-[ \t]+(\S.*)$")
_PLAIN_START = re.compile(r"""^[^\s'"\[{|>&*!#%@`]""")
_KEY_VALUE = re.compile(rf"^( *)({_PLAIN_KEY})[ \t]*:[ \t]+(\S.*)$")


def _plain(value: str) -> bool:
    """Whether a value written on its line is a plain text that a deeper line continues (not
    quoted, not a list or a block, no « key: » in it, no comment ending it)."""
    return bool(_PLAIN_START.match(value)) and not re.search(r":(?:\s|$)|\s#", value)


def _block_text_lines(lines: list[str]) -> set[int]:
    """The lines inside a block of text (after « | » or « > »), in one pass: those below the
    line that opens it and further right than it, blank lines included."""
    inside: set[int] = set()
    margin = None  # the column of the line that opened the block being read
    for index, line in enumerate(lines):
        indent = len(line) - len(line.lstrip())
        if margin is not None and (not line.strip() or indent > margin):
            inside.add(index)
            continue
        margin = indent if _BLOCK_START.search(line) else None
    return inside


def _dash_read_as_text(text: str, rel: str, line_offset: int) -> Problem | None:
    """A line that starts with « - », indented deeper than the list item or the « key: value »
    above it: YAML reads it as the rest of that text (« Intercommunalités du territoire -
    Clubs d'entreprises »), not as an item of its own, and publishes both as one. Refused, with
    where the dash goes."""
    if "\n" not in text or "-" not in text:
        return None
    lines = text.split("\n")
    previous = None  # index of the last line that holds something
    texts: set[int] | None = None  # the lines of block texts, listed when first needed
    for index, line in enumerate(lines):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        above, previous = previous, index
        found = _DASH_LINE.match(line)
        if found is None or above is None:
            continue
        here = len(found[1])
        item = _DASH_LINE.match(lines[above])
        # « - nom: A »: the key's column, as if its dash were a space
        pair = _KEY_VALUE.match(lines[above].replace("-", " ", 1) if item else lines[above])
        if item is not None and _plain(item[2]) and here > len(item[1]):
            column, what = len(item[1]), "l'élément de liste"
            value, fix = (
                item[2],
                f"alignez son tiret sur celui de la ligne au-dessus ({_at(column)})",
            )
        elif pair is not None and _plain(pair[3]) and here > len(pair[1]):
            column, what, value = len(pair[1]), f"« {pair[2]} »", pair[3]
            fix = (
                f"pour une liste, laissez « {pair[2]}: » seul sur sa ligne et mettez chaque "
                "élément sur la sienne, « - » en tête"
            )
            if item is not None:  # or a new item of the list « - nom: … » is in
                fix = (
                    "si c'est un nouvel élément de la liste, alignez son tiret sur celui de la "
                    f"ligne au-dessus ({_at(len(item[1]))}) ; si c'est une liste de "
                    f"« {pair[2]} », laissez « {pair[2]}: » seul sur sa ligne et mettez chaque "
                    "élément sur la sienne, « - » en tête"
                )
        else:
            continue
        if texts is None:
            texts = _block_text_lines(lines)
        if above in texts or index in texts:
            continue  # the « - » of a text written after « | » or « > »
        return Problem(
            rel,
            index + 1 + line_offset,
            None,
            f"« - {_short(found[2])} » est plus indenté que {what} de la ligne "
            f"{above + 1 + line_offset} : YAML le lit comme la suite de son texte (« "
            f"{_short(value)} - {_short(found[2])} »), pas comme un nouvel élément ; {fix}",
        )
    return None


# A « # » after a space starts a YAML comment, which the value loses: « titre: Lettre #15 - … »
# is read « Lettre », « lieu: Salle des fêtes #2, Montigny » « Salle des fêtes », a hashtag
# (« #France2030 ») vanishes. A comment written as such has a space after its « # ».
_HASH_WORD = re.compile(r"[ \t]#[^\s#]")
_AFTER_VALUE = re.compile(r"(?:[ \t]*:)?[ \t]+(#[^\s#][^\r\n]*)")


def _value_cut_by_comment(text: str, rel: str, line_offset: int) -> Problem | None:
    """A value followed on its line by « #word », which YAML reads as a comment and drops: a
    plain value's end, or what was meant to follow a quoted one. Refused, with the way to keep
    it (the whole value in quotes)."""
    if not _HASH_WORD.search(text):
        return None
    try:  # the fast parser read the text; this one may refuse what it accepts (a tab): no cut
        events = list(_yaml().parse(text))
    except (YAMLError, ValueError, AssertionError, RecursionError):
        return None
    for index, event in enumerate(events):
        # a plain value, or a quoted one the « #word » follows (« "Lettre n°15" #15 »)
        if type(event).__name__ != "ScalarEvent" or event.style not in (None, '"', "'"):
            continue
        found = _AFTER_VALUE.match(text, event.end_mark.index)
        if found is None:
            continue
        following = type(events[index + 1]).__name__ if index + 1 < len(events) else ""
        if following in ("MappingStartEvent", "SequenceStartEvent"):
            continue  # « partenaires: #à compléter » above its list: a comment, nothing cut
        key = _KEY_AT.match(text.splitlines()[event.end_mark.line])
        name = key[2] if key else None
        # the scalar followed by « : » is the key of an empty value: the whole value is cut
        value = "" if found[0].lstrip(" \t").startswith(":") else event.value
        example = f"{name}: {_quoted(f'{value} {found[1]}'.strip())}" if key else ""
        return Problem(
            rel,
            event.end_mark.line + 1 + line_offset,
            name,
            f"« {_short(found.group(1))} » est lu comme un commentaire YAML (un « # » après "
            "une espace) et retiré du texte : mettez toute la valeur entre guillemets"
            + (f", par exemple {_short(example, 90)}" if key else ""),
        )
    return None


def _short(text: str, limit: int = 40) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def read_markdown(path: Path, rel: str) -> tuple[Source | None, Problem | None]:
    """Parse a Markdown file with a YAML front matter between two ``---`` lines."""
    text, problem = _read_text(path, rel)
    if text is None:
        return None, problem
    match = FRONT_MATTER.match(text)
    if not match and re.match(r"---[ \t]*\r?(\n|\Z)", text):
        lines = text.split("\n")
        near = next(
            (n for n, line in enumerate(lines[1:], 2) if re.fullmatch(r"\s*-{3,}\s*", line)), None
        )
        if near is not None:  # « ---- » or « --- » indented: YAML wants « --- » at the margin
            return None, Problem(
                rel,
                near,
                None,
                f"la ligne « {lines[near - 1].strip()} » qui ferme l'en-tête doit être "
                "exactement « --- », au bord (sans espace devant)",
            )
        return None, Problem(
            rel,
            1,
            None,
            "en-tête non refermé : le fichier commence bien par « --- », mais aucune autre "
            "ligne « --- » ne termine ses champs ; ajoutez une ligne « --- » après le dernier "
            "champ, avant le texte",
        )
    if not match:
        return None, Problem(
            rel,
            1,
            None,
            "en-tête manquant : le fichier doit commencer par une ligne « --- », les champs "
            "YAML, puis une autre ligne « --- »",
        )
    header = match.group(1)
    body = text[match.end() :]
    body_line = text[: match.end()].count("\n") + 1
    data, tree, problem = _load(header, rel, 1)
    if problem:
        return None, problem
    return Source(path, rel, data or {}, tree, 1, body, body_line, yaml_text=header), None


def config_syntax_problem(path: Path, rel: str) -> Problem | None:
    """A YAML syntax error in a configuration file (mkdocs.yml), in French with its line.

    Tags are allowed there (``!ENV``, ``!!python/name``): only the syntax is checked.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Problem(rel, None, None, "fichier de configuration introuvable")
    except OSError as exc:
        from tisite.adapters.buildlog import os_error_text

        return Problem(rel, None, None, f"fichier illisible : {os_error_text(exc)}")
    except UnicodeDecodeError:
        return Problem(rel, None, None, "fichier illisible : enregistrez-le en UTF-8")
    return _config_syntax_problem(text, rel)


@functools.lru_cache(maxsize=8)
def _config_syntax_problem(text: str, rel: str) -> Problem | None:
    """:func:`config_syntax_problem` of a text, kept by its content (the preview checks the
    configuration on every save)."""
    try:
        YAML(typ="rt").load(text)
    except DuplicateKeyError as exc:
        return _duplicate_problem(exc, text, rel, 0)
    except MarkedYAMLError as exc:
        return _syntax_problem(exc, text, rel, 0)
    except YAMLError as exc:
        return Problem(rel, None, None, _translate(exc))
    return None
