"""Validate parsed sources against the schema and explain every error in French."""

from __future__ import annotations

import ast
import dataclasses
import difflib
import re
import types
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from tisite.content.errors import Problem
from tisite.content.schema import date_advice, invisible_character
from tisite.content.yamlio import DottedThousands, OddFloat, OddInt, Source, read_markdown
from tisite.generate.textutil import identifier_like, number, plural

M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], source: Source, problems: list[Problem]) -> M | None:
    """Validate ``source.data`` as ``model``; append French problems and return None on error."""
    data = source.data
    if not isinstance(data, dict):
        problems.append(
            Problem(
                source.rel,
                source.line_of(()),
                None,
                f"le contenu doit être une liste de champs « clé: valeur » (reçu {_kind(data)})",
            )
        )
        return None
    dotted = list(_read_otherwise(data, ()))
    for loc, value in dotted:
        problems.append(
            Problem(source.rel, source.line_of(loc), format_loc(loc) or None, _otherwise(value))
        )
    try:
        valid = model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        typos = _misspelt_required(errors)
        for err in errors:
            loc = tuple(err["loc"])
            if err["type"] == "missing" and loc in typos.values():
                continue  # said once, on the misspelt key's line
            problem = to_problem(err, model, source)
            if err["type"] == "extra_forbidden" and loc in typos:
                wanted = str(typos[loc][-1])
                problem = dataclasses.replace(
                    problem,
                    message=f"nom mal écrit : écrivez « {wanted} » (champ obligatoire)",
                )
            problems.append(problem)
        return None
    return None if dotted else valid  # every problem of the file is listed at once


def _misspelt_required(errors: list[ErrorDetails]) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    """An unknown key close to a missing required one beside it (« resumé » for « resume »):
    its location → the missing one's. One typo, one message (it was two: « champ obligatoire
    manquant » on the first line, « champ inconnu » on its own)."""
    missing = [tuple(e["loc"]) for e in errors if e["type"] == "missing" and e["loc"]]
    found: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] != "extra_forbidden" or not loc:
            continue
        names = [str(m[-1]) for m in missing if m[:-1] == loc[:-1] and m not in found.values()]
        close = difflib.get_close_matches(str(loc[-1]), names, n=1, cutoff=0.6)
        if close:
            found[loc] = (*loc[:-1], close[0])
    return found


def _read_otherwise(node: Any, loc: tuple[str | int, ...]) -> Any:
    """(location, value) of every number YAML reads otherwise than written: « 15.000 »,
    « 0017 », « 0x1F », « 1_000 » (see yamlio)."""
    if isinstance(node, (DottedThousands, OddInt, OddFloat)):
        yield loc, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _read_otherwise(value, (*loc, str(key)))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _read_otherwise(value, (*loc, index))


def _otherwise(value: DottedThousands | OddInt | OddFloat) -> str:
    """What a number YAML reads otherwise than written becomes, and how to write it."""
    text = value.text
    if isinstance(value, DottedThousands):
        return (
            f"« {text} » se lit {number(float(value))} (le point sépare les décimales) : "
            f"pour {text.replace('.', ' ')}, écrivez {text.replace('.', '')}, "
            "sans séparateur de milliers"
        )
    read = number(float(value)) if isinstance(value, OddFloat) else str(int(value))
    return (
        f"« {text} » se lit comme le nombre {read} : pour un texte (un code, un identifiant), "
        f'mettez-le entre guillemets ("{text}") ; pour un nombre, écrivez-le en chiffres, '
        "sans zéro devant ni séparateur"
    )


def renamed(
    name: str,
    suffix: str,
    taken: frozenset[str] | set[str] = frozenset(),
    pattern: re.Pattern[str] | None = None,
    existing: Path | None = None,
) -> str:
    """« ; renommez-le « reseau-eco.md » » for a refused file or folder name, when one can be
    made of it that ``pattern`` takes and that is not ``taken`` (the name of a page of the
    site); else nothing. ``existing``: the folder of the file, where a file of the suggested
    name may be already (then said instead)."""
    better = identifier_like(name)
    if not better or better in taken or (pattern is not None and not pattern.fullmatch(better)):
        return ""
    # the folder's listing, not a look-up: a disk that ignores case (macOS, Windows) finds
    # « forum.md » for « Forum.md », the very file to rename
    if existing is not None and f"{better}{suffix}" in _names_in(existing):
        # (a case-insensitive disk holds one of the two names only: never « mv » over it)
        return (
            f" ; « {better}{suffix} » existe déjà à côté : fusionnez les deux, ou choisissez un "
            "autre nom"
        )
    return f" ; renommez-le « {better}{suffix} »"


def _names_in(folder: Path) -> set[str]:
    try:
        return {entry.name for entry in folder.iterdir()}
    except OSError:
        return set()


def read_published(
    path: Path,
    rel: str,
    model: type[M],
    problems: list[Problem],
    drafts: bool,
    name: tuple[re.Pattern[str], str] | None = None,
    body_problems: Callable[[Source], list[Problem]] | None = None,
    taken: frozenset[str] = frozenset(),
) -> tuple[Source, M] | None:
    """A Markdown file with front matter, validated; None if broken or a draft not shown.

    ``name``: the pattern the file name (without .md) must match, and what to say otherwise
    (with a name to write, unless it is one of ``taken``, the names of the site's pages);
    ``body_problems``: the checks of the text under the front matter, run here when the front
    matter is refused (every problem of the file is said at once; the caller runs them on a
    valid file).
    """
    if name is not None and not name[0].fullmatch(path.stem):
        fix = renamed(path.stem, ".md", taken, name[0], path.parent)
        problems.append(Problem(rel, None, None, f"nom de fichier invalide : {name[1]}{fix}"))
        return None
    source, problem = read_markdown(path, rel)
    if source is None:
        if problem:
            problems.append(problem)
        return None
    data = validate(model, source, problems)
    invisible = body_invisible(source.body, rel, source.body_line)
    if invisible:
        problems.append(invisible)
        return None
    if data is None:
        if body_problems is not None:
            problems += body_problems(source)
        return None
    if getattr(data, "brouillon", False) and not drafts:
        return None
    return source, data


def body_invisible(body: str, rel: str, first_line: int) -> Problem | None:
    """An invisible character in a Markdown body (see schema.invisible_character), with its
    line."""
    found = invisible_character(body, markdown=True)
    if found is None:
        return None
    index, what = found
    return Problem(
        rel,
        first_line + body[:index].count("\n"),
        None,
        f"{what} dans le texte : retapez la ligne (il vient souvent d'un copier-coller)",
    )


def to_problem(err: ErrorDetails, model: type[BaseModel], source: Source) -> Problem:
    loc = [p for p in err["loc"] if not _is_internal(p)]
    field = format_loc(loc)
    message = _message(err, model, loc)
    return Problem(source.rel, source.line_of(loc), field or None, message)


def explain(err: ErrorDetails, model: type[BaseModel]) -> tuple[str, str]:
    """(field, French message) of one error of ``model``, for a document that is not a file
    of the repository (a bundle harvested by a national portal, tisite.content.federation)."""
    loc = [p for p in err["loc"] if not _is_internal(p)]
    return format_loc(loc), _message(err, model, loc)


def _is_internal(part: Any) -> bool:
    # pydantic adds the name of a function validator or of a union member to the location.
    return isinstance(part, str) and (
        part.startswith("function-") or part in {"str", "int", "float", "bool", "list", "dict"}
    )


def format_loc(loc: Sequence[str | int]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part + 1}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _received(value: Any) -> str:
    if isinstance(value, dict | list):
        return _kind(value)
    text = str(value)
    if len(text) > 60:
        text = text[:57] + "…"
    return f"« {text} »"


def _kind(value: Any) -> str:
    if value is None:
        return "une valeur vide"
    if isinstance(value, dict):
        return "un ensemble de champs"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, bool):
        return "un booléen"
    if isinstance(value, int | float):
        return "un nombre"
    return "un texte"


def _message(err: ErrorDetails, model: type[BaseModel], loc: list[str | int]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    value = err.get("input")
    got = f" (reçu {_received(value)})"
    if kind == "missing":
        about = _description(model, loc)
        return "champ obligatoire manquant" + (f" : {about}" if about else "")
    if kind == "extra_forbidden":
        known = _fields_at(model, loc[:-1])
        name = str(loc[-1]) if loc else ""
        # « titre:\u00a0Comité : bilan » read as the key « titre: Comité » (YAML wants an
        # ordinary space after « : »; the « : » further on ended the key there)
        typed = re.match(r"^([^\W\d][\w-]*):[\u00a0\u202f\u2007]", name)
        if typed:
            return (
                f"une espace insécable suit « {typed[1]}: » (un copier-coller depuis un "
                "traitement de texte) : remplacez-la par une espace ordinaire"
            )
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        if close:
            return f"champ inconnu : vouliez-vous dire « {close[0]} » ?"
        if known:
            return f"champ inconnu. Champs possibles : {', '.join(sorted(known))}."
        return "champ inconnu"
    if value is None and kind not in {"value_error", "assertion_error"}:
        if _required(model, loc):
            return "valeur vide : ce champ est obligatoire, renseignez-le"
        return "valeur vide : renseignez ce champ ou supprimez la ligne"
    if kind in {"string_type"}:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f"doit être un texte{got} : mettez la valeur entre guillemets"
        return f"doit être un texte{got}"
    if kind in {"int_type", "int_from_float"}:
        return f"doit être un nombre entier{got}"
    if kind in {"float_type", "float_parsing", "int_parsing"}:
        return _number_message(value, got, kind)
    if kind == "finite_number":
        return f"doit être un nombre fini{got}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"doit valoir oui (true) ou non (false){got}"
    if kind in {"greater_than_equal", "greater_than"}:
        bound = ctx.get("ge", ctx.get("gt"))
        if bound == 0:
            return f"doit être un nombre positif{got}"
        return f"doit être supérieur ou égal à {number(bound)}{got}"
    if kind in {"less_than_equal", "less_than"}:
        return f"doit être inférieur ou égal à {number(ctx.get('le', ctx.get('lt')))}{got}"
    if kind in {
        "date_type",
        "date_parsing",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
    }:
        advice = date_advice(value) if isinstance(value, str) else None
        return advice or f"doit être une date au format AAAA-MM-JJ{got}"
    if kind == "datetime_parsing" or kind == "datetime_type":
        advice = date_advice(value, time=True) if isinstance(value, str) else None
        return advice or f"doit être une date et une heure au format AAAA-MM-JJTHH:MM{got}"
    if kind in {"literal_error", "enum"}:
        said = _choice_message(str(ctx.get("expected", "")), value, got)
        return said + _other_field(loc, value)
    if kind == "string_pattern_mismatch":
        return _pattern_message(loc, got)
    if kind == "string_too_short":
        return "ne doit pas être vide"
    if kind == "string_too_long":
        return f"trop long : {ctx.get('max_length')} caractères au plus (reçu {len(str(value))})"
    if kind == "too_short":
        return f"doit contenir au moins {plural(int(ctx.get('min_length', 1)), 'élément')}"
    if kind == "too_long":
        return f"doit contenir au plus {plural(int(ctx.get('max_length', 1)), 'élément')}"
    if kind == "list_type":
        return f"doit être une liste (lignes commençant par « - »){got}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"doit être un ensemble de champs « clé: valeur »{got}"
    if kind in {"value_error", "assertion_error"}:
        text = str(ctx.get("error", err["msg"]))
        return text.removeprefix("Value error, ")
    return f"{err['msg']}{got}"


_EXPECTED = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"")


def _other_field(loc: list[str | int], value: Any) -> str:
    """A progress point's phase written as its status (« phase: Terminé ») or the reverse: the
    value belongs to the field beside it."""
    from tisite.content.vocab import PHASES, STATUTS, fold

    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if not isinstance(value, str) or name not in ("phase", "statut") or "avancement" not in loc:
        return ""  # (a budget line's « statut » is another vocabulary)
    other, choices = ("statut", STATUTS) if name == "phase" else ("phase", PHASES)
    written = fold(value)
    forms = {written, written[:-1]} if written.endswith("e") else {written}  # « Terminée »
    for choice in choices:
        if fold(choice) in forms:
            return f" ; « {choice} » est une valeur du champ « {other} », à côté"
    return ""


def _choice_message(expected: str, value: Any, got: str) -> str:
    """A value outside a vocabulary: the close match (« competance » → « competences »), then
    every value, in French quotes. ``expected`` is pydantic's list (« 'a', 'b' or 'c' »)."""
    from tisite.content.vocab import fold

    choices = [ast.literal_eval(m.group()) for m in _EXPECTED.finditer(expected)]
    listed = ", ".join(f"« {c} »" for c in choices) or expected
    folded = {fold(str(c)).replace("-", " "): str(c) for c in choices}
    wanted = fold(str(value)).replace("-", " ") if isinstance(value, str) else ""
    close = difflib.get_close_matches(wanted, list(folded), n=1, cutoff=0.6)
    if close:
        return (
            f"valeur non reconnue{got} : vouliez-vous dire « {folded[close[0]]} » ? Valeurs "
            f"possibles : {listed}"
        )
    return f"valeur non reconnue{got} : valeurs possibles : {listed}"


_THOUSANDS = re.compile(r"^[+-]?[0-9]{1,3}(?:[ .\u00a0\u202f'][0-9]{3})+(?:,[0-9]+)?$")
_UNIT = re.compile(r"\s*(?P<unit>€|euros?|eur|k€|m€|%)$", re.I)
_SCALE = {"k€": 1_000, "m€": 1_000_000}


def _number_message(value: Any, got: str, kind: str) -> str:
    """What to write instead of a French-looking number."""
    text = str(value).strip() if isinstance(value, str) else ""
    whole = "un nombre entier" if kind == "int_parsing" else "un nombre"
    unit = _UNIT.search(text)
    if unit and text[: unit.start()].strip():
        figure = text[: unit.start()].strip()
        digits = re.sub(r"[ \u00a0\u202f.']", "", figure) if _THOUSANDS.match(figure) else figure
        digits = digits.replace(",", ".")
        scale = _SCALE.get(unit["unit"].lower(), 1)
        try:
            amount = float(digits) * scale
        except ValueError:
            return f"doit être {whole}, sans espace ni unité{got}"
        shown = f"{amount:.2f}".rstrip("0").rstrip(".")
        return f"doit être {whole}, sans unité{got} : écrivez {shown}"
    if _THOUSANDS.match(text):
        digits = re.sub(r"[^0-9,+-]", "", text).replace(",", ".")
        return (
            f"doit être {whole} écrit sans séparateur de milliers{got} : écrivez {digits} "
            "(le point sépare les décimales, pas les milliers)"
        )
    if re.fullmatch(r"[+-]?[0-9]+,[0-9]+", text):
        point = text.replace(",", ".")
        return f"doit être {whole}{got} : la virgule décimale s'écrit avec un point, {point}"
    return f"doit être {whole}, sans espace ni unité{got}"


def _pattern_message(loc: list[str | int], got: str) -> str:
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if name == "siren":
        return f"un SIREN compte exactement 9 chiffres{got}"
    if name in {"courriel", "contact"}:
        return f"doit être une adresse électronique valide{got}"
    if name == "siret":
        return f"un SIRET compte exactement 14 chiffres{got}"
    return (
        f"identifiant invalide : lettres minuscules sans accent, chiffres et tirets seulement{got}"
    )


def _model_at(model: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model of the values at ``loc`` inside ``model`` (lists and optionals gone through),
    or None when ``loc`` leads elsewhere."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = info.annotation
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _fields_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """Names of the fields accepted at ``loc`` inside ``model`` (for suggestions)."""
    found = _model_at(model, loc)
    return list(found.model_fields) if found is not None else []


def _description(model: type[BaseModel], loc: Sequence[str | int]) -> str | None:
    """What the field at ``loc`` is for, from the schema (« Résumé en une ou deux phrases »),
    without its final full stop; None when the schema says nothing."""
    if not loc or not isinstance(loc[-1], str):
        return None
    found = _model_at(model, loc[:-1])
    info = found.model_fields.get(loc[-1]) if found is not None else None
    text = (info.description or "").strip() if info is not None else ""
    if not text:
        return None
    return text.rstrip(".")


def _required(model: type[BaseModel], loc: Sequence[str | int]) -> bool:
    """Whether the field at ``loc`` must be given (an empty value cannot just be removed)."""
    if not loc or not isinstance(loc[-1], str):
        return False
    found = _model_at(model, loc[:-1])
    info = found.model_fields.get(loc[-1]) if found is not None else None
    return info is not None and info.is_required()


def _unwrap(tp: Any) -> Any:
    """Strip Optional, list[...] and Annotated down to the model class they hold."""
    for _ in range(6):
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (list, tuple, set) or origin is typing.Union or origin is types.UnionType:
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            tp = models[0] if models else (args[0] if args else tp)
        else:
            break
    return tp
