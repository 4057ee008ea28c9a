"""Field documentation generated from the schema: the schema is its single reference."""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from . import schema

# (file, model, short explanation) in the order contributors meet them.
FILES: tuple[tuple[str, type[BaseModel], str], ...] = (
    (
        "territoires/<territoire>/territoire.yml",
        schema.Territoire,
        "Carte d'identité du territoire.",
    ),
    ("territoires/<territoire>/priorites.yml", schema.Priorites, "Objectifs et priorités."),
    ("territoires/<territoire>/gouvernance.yml", schema.Gouvernance, "Gouvernance et animation."),
    ("territoires/<territoire>/actions/<action>.md", schema.Action, "En-tête d'une fiche action."),
    ("site.yml", schema.Site, "Réglages du site."),
)


@dataclass(frozen=True)
class FieldDoc:
    path: str
    kind: str
    required: bool
    description: str


def _strip(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _optional(tp: Any) -> tuple[Any, bool]:
    tp = _strip(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _strip(args[0]), True
    return tp, False


def kind_of(tp: Any) -> str:
    tp, _ = _optional(tp)
    origin = typing.get_origin(tp)
    if origin is typing.Literal:
        return "une valeur parmi : " + ", ".join(f"« {v} »" for v in typing.get_args(tp))
    if origin is list:
        return "liste de " + kind_of(typing.get_args(tp)[0]).removeprefix("une ")
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "ensemble de champs"
    labels = {str: "texte", int: "nombre entier", float: "nombre", bool: "true ou false"}
    if tp is dt.date:
        return "date AAAA-MM-JJ"
    return labels.get(tp, "texte")


def _model_in(tp: Any) -> type[BaseModel] | None:
    tp, _ = _optional(tp)
    if typing.get_origin(tp) is list:
        tp, _ = _optional(typing.get_args(tp)[0])
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def field_docs(model: type[BaseModel], prefix: str = "") -> list[FieldDoc]:
    out: list[FieldDoc] = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        required = info.is_required()
        out.append(FieldDoc(path, kind_of(info.annotation), required, info.description or ""))
        default = info.default
        if default not in (PydanticUndefined, None, [], ()) and not isinstance(default, BaseModel):
            doc = out[-1]
            out[-1] = FieldDoc(
                path, doc.kind, False, f"{doc.description} Par défaut : {default}.".strip()
            )
        nested = _model_in(info.annotation)
        if nested is not None:
            is_list = typing.get_origin(_optional(info.annotation)[0]) is list
            out.extend(field_docs(nested, f"{path}[]." if is_list else f"{path}."))
    return out
