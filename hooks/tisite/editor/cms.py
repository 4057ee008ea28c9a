"""The web editor at /admin/ (Decap CMS): its configuration, generated from the content schema.

Every form field comes from the JSON Schema of the file it edits (``schema.json_schemas``):
label, help text, required flag, type, choices and patterns. The territory's own vocabularies
(its objectives, its EPCIs, its fiches actions) become choices. Nothing here is written by
hand per field, so a change to the schema changes the editor.

The editor's files are written by the project's setup (``make editeur``, from npm, pinned and
checked) into ``.cache/editeur/``; the build copies them to ``admin/`` with the generated
``config.json`` (see ``admin_files``). No engine import here.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tisite import urls
from tisite.content import fieldref, schema, sources, vocab
from tisite.content.errors import ContentError, Problem
from tisite.content.models import SiteModel, Territory

EDITOR_DIR = Path(".cache") / "editeur"  # under the project root, see scripts/editeur.py
DECAP_FILE = "decap-cms/decap-cms.js"
YAML_FILE = "yaml/index.js"
TEMPLATES = Path(__file__).parents[1] / "templates" / "editeur"
OWN_FILES = ("ti-init.js", "ti-editeur.js", "ti-formats.js", "ti-editeur.css")
LOCAL_BACKEND = "http://127.0.0.1:8081/api/v1"  # decap-server (make editeur-local)
LETTER_SECTIONS = (
    "Actualité nationale",
    "Actualités locales",
    "Actualités des territoires voisins",
    "Boîte à outils",
)
LETTER_IMAGES = "images"  # beside the letters (lettres/images/), where the editor puts them
# Fields of a fiche action whose menu lists the territory's own objectives, EPCIs and actions.
TERRITORY_CHOICES = ("objectif", "epci", "actions_liees")
SINGLE_FILES = "ti-fichier"  # format of territoire.yml, priorites.yml, gouvernance.yml, agenda.yml
# Vocabularies whose values have a label (« competences » reads « Recrutement et compétences »).
NAMED_VALUES = (vocab.AXES, vocab.PRIORITES)
# Where each file's JSON Schema lies, seen from the file (the modeline the guide shows).
MODELINE = "yaml-language-server: $schema={up}schemas/{name}.schema.json"


@dataclass(frozen=True)
class FileKind:
    schema: str  # name in schema.SCHEMAS
    depth: int  # folders between the project root and the file
    frontmatter: bool  # Markdown file with YAML front matter

    @property
    def format(self) -> str:
        return f"ti-{self.schema}"

    @property
    def modeline(self) -> str:
        return MODELINE.format(up="../" * self.depth, name=self.schema)


KINDS = {
    "lettre": FileKind("lettre", 3, True),
    "action": FileKind("action", 3, True),
    "territoire": FileKind("territoire", 2, False),
    "priorites": FileKind("priorites", 2, False),
    "gouvernance": FileKind("gouvernance", 2, False),
    "agenda": FileKind("agenda", 2, False),
}


MANIFEST = Path(__file__).parents[1] / "data" / "editeur-empreintes.json"


def installed(root: Path) -> bool:
    """True when the editor's files were installed by the project's setup."""
    base = root / EDITOR_DIR
    return (base / DECAP_FILE).is_file() and (base / YAML_FILE).is_file()


def editor_library(root: Path) -> list[tuple[str, bytes]]:
    """Decap's and YAML's files as installed, each checked against its committed SHA-256
    (MANIFEST): a cache changed after `make editeur` can't slip code into /admin/."""
    base = root / EDITOR_DIR
    expected: dict[str, str] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    out, wrong = [], []
    for name, digest in expected.items():
        path = base / name
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else b""
        if hashlib.sha256(data).hexdigest() != digest:
            wrong.append(name)
        out.append((name, data))
    if wrong:
        raise ContentError(
            [
                Problem(
                    str(EDITOR_DIR / wrong[0]),
                    None,
                    None,
                    f"{len(wrong)} fichier(s) de l'éditeur web absent(s) ou différent(s) de la "
                    "version vérifiée : relancez `make editeur` (il les réinstalle depuis npm)",
                )
            ]
        )
    return out


# --- fields from the JSON Schema ------------------------------------------------------------


def _resolve(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref:
        target = dict(defs[ref.rsplit("/", 1)[-1]])
        return {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


def _branches(node: dict[str, Any], defs: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    """The alternatives a value may take, and whether it may be null."""
    options = [_resolve(b, defs) for b in node.get("anyOf", [node])]
    kept = [b for b in options if b.get("type") != "null"]
    return kept, len(kept) < len(options)


def _pattern(node: dict[str, Any]) -> list[str] | None:
    """Decap's ``pattern`` (regex, message) from a string schema's pattern or lengths."""
    if node.get("pattern"):
        return [node["pattern"], "Format non reconnu : voyez l'aide sous le champ."]
    low, high = node.get("minLength"), node.get("maxLength")
    if high:
        return [
            f"^[\\s\\S]{{{low or 0},{high}}}$",
            f"{high} caractères au plus.",
        ]
    return None


@dataclass(frozen=True)
class Choices:
    """The territory's vocabularies, by field path (« objectif », « epci »)."""

    by_path: dict[str, list[dict[str, str]]]


def _markdown(description: str) -> bool:
    return "(Markdown)" in description


def _long(node: dict[str, Any], defs: dict[str, Any]) -> bool:
    """A text of a few sentences (a résumé): a text area rather than a line."""
    branches, _ = _branches(node, defs)
    return any(b.get("maxLength", 0) >= 300 for b in branches)


def _widget(
    node: dict[str, Any],
    defs: dict[str, Any],
    path: str,
    choices: Choices,
    optional: bool = False,
) -> dict[str, Any]:
    """The Decap widget options of one value of the schema (without name and label)."""
    branches, _ = _branches(node, defs)
    kinds = {b.get("type") for b in branches}
    own = choices.by_path.get(path)
    if own is not None and "array" not in kinds:
        return {"widget": "select", "options": own}
    enums = [b for b in branches if "enum" in b]
    if enums:
        values = list(enums[0]["enum"])
        named = next((v for v in NAMED_VALUES if set(v) == set(values)), None)
        if named is not None:
            options = [{"label": named[v], "value": v} for v in values]
            return {"widget": "select", "options": options}
        return {"widget": "select", "options": values}
    objects = [b for b in branches if b.get("type") == "object" and "properties" in b]
    if objects:  # « - nom » shorthands are read as objects (see ti-formats.js)
        # an optional group (« porteur ») left empty must not block the save: its fields
        # are optional in the form (the build still requires them once the group is there)
        return {
            "widget": "object",
            "collapsed": False,
            "fields": _fields(objects[0], defs, f"{path}.", choices, optional),
        }
    if "boolean" in kinds:
        return {"widget": "boolean"}
    if "array" in kinds:
        array = next(b for b in branches if b.get("type") == "array")
        return _list(array, defs, path, choices)
    strings = [b for b in branches if b.get("type") == "string"]
    if strings:
        text = strings[0]
        if text.get("format") == "date":
            return {
                "widget": "datetime",
                "format": "YYYY-MM-DD",
                "date_format": "DD/MM/YYYY",
                "time_format": False,
            }
        out: dict[str, Any] = {"widget": "string"}
        pattern = _pattern(text)
        if pattern:
            out["pattern"] = pattern
        return out
    numbers = [b for b in branches if b.get("type") in ("number", "integer")]
    if numbers:
        number = numbers[0]
        out = {"widget": "number", "value_type": "int" if number["type"] == "integer" else "float"}
        for key, decap in (("minimum", "min"), ("maximum", "max")):
            if key in number and abs(number[key]) < 10**12:
                out[decap] = number[key]
        return out
    return {"widget": "string"}


def _list(
    array: dict[str, Any], defs: dict[str, Any], path: str, choices: Choices
) -> dict[str, Any]:
    items = _resolve(array.get("items", {}), defs)
    own = choices.by_path.get(path)
    item_branches, _ = _branches(items, defs)
    if own is not None:
        out: dict[str, Any] = {"widget": "select", "options": own, "multiple": True}
    elif any("enum" in b for b in item_branches):
        widget = _widget(items, defs, path, choices)
        out = {**widget, "multiple": True}
    elif any(b.get("type") == "object" and "properties" in b for b in item_branches):
        inner = _widget(items, defs, f"{path}[]", choices)
        out = {"widget": "list", "collapsed": True, "fields": inner["fields"]}
    else:
        inner = _widget(items, defs, f"{path}[]", choices)
        out = {"widget": "list", "field": {"name": "valeur", "label": "Valeur", **inner}}
    if array.get("minItems"):
        out["min"] = array["minItems"]
    return out


def switch_hint(hint: str) -> str:
    """A yes/no field's help as the editor shows it: a switch, not the YAML value
    (« true : la lettre n'est pas publiée. » → « Activé : la lettre n'est pas publiée. »)."""
    return re.sub(r"^true\s*:\s*", "Activé : ", hint)


def _hint(node: dict[str, Any], path: str, name: str) -> str:
    generic = path.replace("[].", ".").replace("[]", "")
    text = node.get("description") or fieldref.BY_PATH.get(generic)
    return text or fieldref.BY_NAME.get(name, "")


def _fields(
    model: dict[str, Any],
    defs: dict[str, Any],
    prefix: str,
    choices: Choices,
    optional: bool = False,
) -> list[dict[str, Any]]:
    required = set() if optional else set(model.get("required", []))
    out = []
    for name, node in model.get("properties", {}).items():
        path = f"{prefix}{name}"
        hint = _hint(node, path, name)
        field: dict[str, Any] = {
            "name": name,
            "label": node.get("title") or schema.label(name),
            "required": name in required,
        }
        widget = _widget(node, defs, path, choices, optional or name not in required)
        if widget["widget"] == "boolean":
            hint = switch_hint(hint)
        if hint:
            field["hint"] = hint
        if widget["widget"] == "string" and _markdown(hint):
            widget = {"widget": "markdown", "modes": ["raw"], "sanitize_preview": True}
        elif widget["widget"] == "string" and _long(node, defs):
            widget = {**widget, "widget": "text"}
        field.update(widget)
        default = node.get("default")
        # no default inside a list's items: Decap would add an item to every new entry
        if default not in (None, [], {}) and not isinstance(default, dict) and "[]" not in prefix:
            field["default"] = default
        out.append(field)
    return out


def schema_fields(name: str, choices: Choices | None = None) -> list[dict[str, Any]]:
    """The Decap fields of one kind of file, from its JSON Schema."""
    data = schema.json_schemas()[name]
    return _fields(data, data.get("$defs", {}), "", choices or Choices({}))


# --- collections --------------------------------------------------------------------------


def _numbers(folder: Path) -> list[int]:
    return [int(p.stem) for p in folder.glob("*.md") if re.fullmatch(r"[0-9]{1,4}", p.stem)]


def territory_choices(territory: Territory, root: Path) -> Choices:
    """The territory's vocabularies: its objectives, EPCIs and fiches actions."""
    actions = sorted(p.stem for p in sources.actions(root / territory.source_dir).glob("*.md"))
    return Choices(
        {
            "objectif": [
                {"label": f"{o.titre} ({o.id})", "value": str(o.id)}
                for o in territory.priorites.objectifs
            ],
            "epci": [{"label": e.nom, "value": e.siren} for e in territory.epcis],
            "actions_liees": [{"label": a, "value": a} for a in actions],
        }
    )


def letter_body() -> str:
    return "".join(f"## {title}\n\n" for title in LETTER_SECTIONS)


def territory_collections(territory: Territory, root: Path) -> list[dict[str, Any]]:
    slug, nom = territory.slug, territory.nom
    folder = f"territoires/{slug}"
    choices = territory_choices(territory, root)
    nxt = max(_numbers(sources.letters(root / territory.source_dir)), default=0) + 1
    letter_fields = []
    for f in schema_fields("lettre"):
        if f["name"] == "brouillon":
            f = {**f, "default": True}
        if f["name"] == "date":
            f = {**f, "default": "{{now}}"}
        if f["name"] == "image":
            f = {**f, "widget": "image", "choose_url": False}
            f.pop("pattern", None)
        letter_fields.append(f)
    numero = {
        "name": "numero",
        "label": "Numéro",
        "widget": "number",
        "value_type": "int",
        "min": 1,
        "default": nxt,
        "required": False,
        "hint": f"Pour une nouvelle lettre : {nxt} est proposé. Le numéro donne le nom du "
        f"fichier ({nxt}.md) et l'adresse de la lettre ; il ne change plus ensuite (sans effet "
        "sur une lettre déjà créée).",
    }
    body_hint = "Texte en Markdown : « ## » devant un intertitre, « - » devant un élément de liste."
    return [
        {
            "name": f"lettres-{slug}",
            "label": f"Lettres — {nom}",
            "label_singular": "Lettre",
            "description": f"Lettres d'information de {nom} : une par fichier, nommé par son "
            "numéro.",
            "folder": f"{folder}/lettres",
            "extension": "md",
            "format": KINDS["lettre"].format,
            "create": True,
            "slug": "{{fields.numero}}",
            "identifier_field": "titre",
            # the list shows dates as the site does (15/11/2022), not as the file (ISO)
            "summary": "{{titre}} ({{date | date('DD/MM/YYYY')}})",
            "sortable_fields": ["date", "titre"],
            # the letters' images folder, from the project's root: the image library lists it
            # for a new letter too (a folder relative to the entry is empty until it is saved)
            "media_folder": f"/{folder}/lettres/{LETTER_IMAGES}",
            "public_folder": LETTER_IMAGES,  # written in the letter: « images/x.png »
            "fields": [
                numero,
                *letter_fields,
                {
                    "name": "body",
                    "label": "Texte de la lettre",
                    "widget": "markdown",
                    "modes": ["raw"],
                    "sanitize_preview": True,
                    "default": letter_body(),
                    "required": False,
                    "hint": body_hint,
                },
            ],
        },
        {
            "name": f"actions-{slug}",
            "label": f"Fiches actions — {nom}",
            "label_singular": "Fiche action",
            "description": f"Plan d'action de {nom} : une fiche par fichier, nommé d'après son "
            "titre à la création.",
            "folder": f"{folder}/actions",
            "extension": "md",
            "format": KINDS["action"].format,
            "create": True,
            "slug": "{{slug}}",
            "identifier_field": "titre",
            "summary": "{{titre}}",
            "sortable_fields": ["titre"],
            "fields": [
                *schema_fields("action", choices),
                {
                    "name": "body",
                    "label": "Description de l'action",
                    "widget": "markdown",
                    "modes": ["raw"],
                    "sanitize_preview": True,
                    "required": False,
                    "hint": body_hint,
                },
            ],
        },
        {
            "name": f"territoire-{slug}",
            "label": f"Territoire — {nom}",
            "label_singular": "Fichier",
            # one format for the collection (Decap reads no format per file): it tells each
            # file by the names of its fields (see formats and ti-formats.js)
            "format": SINGLE_FILES,
            "files": [
                {
                    "name": kind,
                    "label": label,
                    "file": f"{folder}/{kind}.yml",
                    "fields": schema_fields(kind),
                }
                for kind, label in (
                    ("territoire", "Carte d'identité (territoire.yml)"),
                    ("priorites", "Priorités (priorites.yml)"),
                    ("gouvernance", "Gouvernance (gouvernance.yml)"),
                    ("agenda", "Agenda (agenda.yml)"),
                )
                if kind != "agenda" or sources.agenda(root / territory.source_dir).is_file()
            ],
        },
    ]


@dataclass(frozen=True)
class ValuePaths:
    """What ti-formats.js normalises where, read from the JSON Schema (paths such as
    « avancement[].statut »): vocabulary values, yes/no flags, identifiers the territory's menus
    show as text, and « - Nom » short forms of « - nom: Nom » (the schema accepts both)."""

    choices: dict[str, list[str]]
    flags: list[str]
    texts: list[str]
    shorthands: list[str]


def _value_paths(name: str) -> ValuePaths:
    data = schema.json_schemas()[name]
    defs = data.get("$defs", {})
    out = ValuePaths({}, [], [], [])

    def walk(node: dict[str, Any], path: str) -> None:
        branches, _ = _branches(node, defs)
        kinds = {b.get("type") for b in branches}
        if path.removesuffix("[]") in TERRITORY_CHOICES and "array" not in kinds:
            out.texts.append(path)
        if path and "string" in kinds and any("properties" in b for b in branches):
            out.shorthands.append(path)
        for b in branches:
            if "enum" in b and path:
                out.choices[path] = list(b["enum"])
            elif b.get("type") == "boolean" and path:
                out.flags.append(path)
            elif b.get("type") == "array":
                walk(_resolve(b.get("items", {}), defs), f"{path}[]")
            elif b.get("type") == "object":
                for key, sub in b.get("properties", {}).items():
                    walk(sub, f"{path}.{key}" if path else key)

    walk(data, "")
    return out


def _together(name: str) -> dict[str, list[str]]:
    """The schema's « dependentRequired »: fields that need others (an image, its alt text),
    checked by the editor before it saves (see ti-editeur.js)."""
    rules = schema.json_schemas()[name].get("dependentRequired", {})
    return {field: list(others) for field, others in rules.items()}


def _format(kind: FileKind) -> dict[str, Any]:
    together = _together(kind.schema)
    named = set(together) | {other for others in together.values() for other in others}
    return {
        "extension": "md" if kind.frontmatter else "yml",
        "frontmatter": kind.frontmatter,
        "modeline": kind.modeline,
        "editor_only": ["numero"] if kind.schema == "lettre" else [],
        "together": together,
        "labels": {key: schema.label(key) for key in sorted(named)},
        **dataclasses.asdict(_value_paths(kind.schema)),
    }


def formats() -> dict[str, dict[str, Any]]:
    """How ti-formats.js reads and writes each kind of file (see its header)."""
    out = {kind.format: _format(kind) for kind in KINDS.values() if kind.frontmatter}
    # the single files share one format (Decap reads no format per file): their rules merged
    singles = [_format(k) for k in KINDS.values() if not k.frontmatter]
    out[SINGLE_FILES] = {
        "extension": "yml",
        "frontmatter": False,
        "modeline": None,
        # Decap hands the names of the file's fields to the format: they tell which file it is
        "modelines": {
            ",".join(f["name"] for f in schema_fields(k.schema)): k.modeline
            for k in KINDS.values()
            if not k.frontmatter
        },
        "editor_only": [],
        "together": {},
        "labels": {},
        "choices": {p: v for f in singles for p, v in f["choices"].items()},
        "flags": sorted({p for f in singles for p in f["flags"]}),
        "texts": [],
        "shorthands": sorted({p for f in singles for p in f["shorthands"]}),
    }
    return out


# --- the whole configuration -----------------------------------------------------------------


@dataclass(frozen=True)
class Backend:
    config: dict[str, Any]
    origins: tuple[str, ...]  # what the editor's page may connect to, beyond its own origin


def _origin(url: str) -> str:
    match = re.match(r"^(https?://[A-Za-z0-9.-]+(?::[0-9]{1,5})?)", url)
    return match.group(1) if match else ""


def backend(site: SiteModel, local: bool) -> Backend:
    edition = site.settings.edition
    if local or edition is None:
        return Backend(
            {"name": "proxy", "proxy_url": LOCAL_BACKEND, "branch": "main"},
            (_origin(LOCAL_BACKEND),),
        )
    if edition.forge == "gitlab":
        base = (edition.url_forge or "https://gitlab.com").rstrip("/")
        return Backend(
            {
                "name": "gitlab",
                "repo": edition.depot,
                "branch": edition.branche,
                "auth_type": "pkce",
                "app_id": edition.application_id,
                "base_url": base,
                "api_root": f"{base}/api/v4",
            },
            (_origin(base),),
        )
    api = (
        f"{edition.url_forge.rstrip('/')}/api/v3" if edition.url_forge else "https://api.github.com"
    )
    # Decap takes the sign-in window's answer only from base_url's origin: a path goes to
    # auth_endpoint
    auth = urlsplit(edition.url_authentification or "")
    config = {
        "name": "github",
        "repo": edition.depot,
        "branch": edition.branche,
        "base_url": f"{auth.scheme}://{auth.netloc}",
        "api_root": api,
    }
    if auth.path.strip("/"):
        config["auth_endpoint"] = f"{auth.path.strip('/')}/auth"
    return Backend(config, (_origin(api),))


def editor_config(site: SiteModel, root: Path, site_url: str | None, local: bool) -> dict[str, Any]:
    """Decap's configuration (``decap``) and how to read and write files (``formats``)."""
    chosen = backend(site, local)
    edition = site.settings.edition
    workflow = not local and edition is not None and edition.workflow_editorial
    decap: dict[str, Any] = {
        "backend": chosen.config,
        "locale": "fr",
        "load_config_file": False,
        "media_folder": "docs/images",
        "public_folder": "/images",
        "logo_url": "logo.svg",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "editor": {"preview": True},
        "collections": [c for t in site.local for c in territory_collections(t, root)],
    }
    if site_url:
        decap["site_url"] = site_url
        decap["display_url"] = site_url
    if workflow:
        decap["publish_mode"] = "editorial_workflow"
    return {"decap": decap, "formats": formats()}


# --- the files of /admin/ -----------------------------------------------------------------


SHARED_HOSTS = re.compile(r"^https?://[^/]+\.(github\.io|gitlab\.io)/[^/?#]+", re.I)


def shared_origin(site_url: str | None) -> str | None:
    """A warning when the site's address is a folder of a github.io or gitlab.io host: the
    other sites of the same account share its origin, and could read the editor's sign-in key
    (Decap keeps it in the browser's storage for the origin)."""
    match = SHARED_HOSTS.match(site_url or "")
    if match is None:
        return None
    return (
        f"avertissement : le site est publié à {site_url}, une adresse que les autres sites du "
        f"même compte sur {match.group(1)} partagent : chacun d'eux pourrait lire la clé de "
        "connexion de l'éditeur web. Publiez le site à une adresse à lui (domaine "
        "personnalisé sur GitHub, « domaine unique » des Pages sur GitLab), puis indiquez-la "
        "dans « site_url » de mkdocs.yml"
    )


def content_security_policy(origins: tuple[str, ...]) -> str:
    """The editor's own policy: its scripts compile their validators (``'unsafe-eval'``, the
    editor page only) and inject styles; it connects to the forge's API and nothing else."""
    connect = " ".join(("'self'", "blob:", *origins))
    return (
        "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' blob: data:; font-src 'self' data:; connect-src {connect}; "
        "worker-src 'self' blob:; frame-src 'none'; object-src 'none'; base-uri 'self'; "
        "form-action 'none'; manifest-src 'none'"
    )


def _page(title: str, policy: str) -> str:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True),
        undefined=StrictUndefined,
    )
    return env.get_template("index.html.j2").render(title=title, policy=policy)


def admin_files(
    site: SiteModel,
    root: Path,
    site_url: str | None,
    local: bool,
) -> Iterator[tuple[str, bytes]]:
    """Every file of /admin/ (path under the site, content)."""
    config = editor_config(site, root, site_url, local)
    policy = content_security_policy(backend(site, local).origins)
    title = f"Éditeur — {site.settings.titre}"
    yield urls.EDITOR + "index.html", _page(title, policy).encode("utf-8")
    settings = json.dumps(config, ensure_ascii=False, indent=1)
    yield urls.EDITOR + "config.json", settings.encode("utf-8")
    for name in OWN_FILES:
        yield urls.EDITOR + name, (TEMPLATES / name).read_bytes()
    yield (
        urls.EDITOR + "logo.svg",
        (Path(__file__).parents[1] / "assets" / "favicon.svg").read_bytes(),
    )
    for name, data in editor_library(root):
        yield urls.EDITOR + name, data
