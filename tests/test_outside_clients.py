"""Outputs and schemas checked by tools nobody on the project wrote: check-jsonschema (ECMAScript
regexes, as editors' Ajv), feedparser, two iCalendar parsers (icalendar and vobject) and
frictionless. Each protection has its negative control."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import feedparser
import pytest
import vobject
from frictionless import Resource
from icalendar import Calendar
from ruamel.yaml import YAML

from conftest import ROOT, copy_project, ti_inprocess
from synthetic import write_project

SCHEMAS = ROOT / "schemas"
CHECK = [sys.executable, "-m", "check_jsonschema"]
# which schema validates which file of a territory (the modelines say the same to editors)
KINDS = {
    "territoire.yml": "territoire",
    "priorites.yml": "priorites",
    "gouvernance.yml": "gouvernance",
    "agenda.yml": "agenda",
}


def content_documents(project: Path, out: Path) -> dict[str, list[Path]]:
    """Every content file of ``project`` as JSON-ready YAML, grouped by schema (the front
    matter of Markdown files is extracted, as editors do)."""
    yaml = YAML(typ="safe")
    groups: dict[str, list[Path]] = {}

    def add(kind: str, source: Path, text: str) -> None:
        target = out / kind / source.relative_to(project).as_posix().replace("/", "__")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.with_suffix(".yml").write_text(text, encoding="utf-8")
        groups.setdefault(kind, []).append(target.with_suffix(".yml"))

    add("site", project / "site.yml", (project / "site.yml").read_text("utf-8"))
    for folder in sorted((project / "territoires").iterdir()):
        for name, kind in KINDS.items():
            if (folder / name).is_file():
                add(kind, folder / name, (folder / name).read_text("utf-8"))
        for sub, kind in (("actions", "action"), ("lettres", "lettre")):
            for path in sorted((folder / sub).glob("*.md")):
                front = path.read_text("utf-8").split("---\n")[1]
                yaml.load(front)  # valid YAML, or the test says where
                add(kind, path, front)
    return groups


def check_jsonschema(schema: Path, files: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CHECK, "--schemafile", str(schema), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_schemas_compile_with_ecmascript_regexes() -> None:
    """Editors (VS Code's YAML extension, Ajv) compile patterns as ECMAScript with the « u »
    flag: check-jsonschema checks every schema that way (regress engine)."""
    schemas = sorted(SCHEMAS.glob("*.schema.json"))
    assert len(schemas) == 8  # the files of the content, and the bundle (tisite.publish.bundle)
    result = subprocess.run(
        [*CHECK, "--check-metaschema", *map(str, schemas)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_python_only_regex_is_caught(tmp_path: Path) -> None:
    """Negative control: the former e-mail pattern (an escaped quote, fine in Python, an error
    with the « u » flag) fails the same check."""
    schema = json.loads((SCHEMAS / "territoire.schema.json").read_text("utf-8"))
    schema["$defs"]["Contact"]["properties"]["courriel"]["pattern"] = (
        "^[^@\\s<>\\\"']+@[^@\\s<>\\\"']+\\.[a-zA-Z]{2,}$"
    )
    bad = tmp_path / "territoire.schema.json"
    bad.write_text(json.dumps(schema), encoding="utf-8")
    result = subprocess.run(
        [*CHECK, "--check-metaschema", str(bad)], capture_output=True, text=True
    )
    assert result.returncode == 1 and "is not a 'regex'" in result.stdout


@pytest.mark.lent
@pytest.mark.parametrize("source", ["exemples", "synthétique"])
def test_every_content_file_matches_its_schema(tmp_path: Path, source: str) -> None:
    """What the build accepts, the editors' schemas accept: the example territories and a
    synthetic project (every field the generator writes)."""
    project = copy_project(tmp_path / "p") if source == "exemples" else tmp_path / "p"
    if source != "exemples":
        write_project(project, 2, actions=4, letters=3)
    groups = content_documents(project, tmp_path / "documents")
    assert {"site", "territoire", "priorites", "gouvernance", "action", "lettre"} <= set(groups)
    for kind, files in groups.items():
        result = check_jsonschema(SCHEMAS / f"{kind}.schema.json", files)
        assert result.returncode == 0, f"{kind} : {result.stdout}{result.stderr}"


def test_an_invalid_file_is_refused_by_schema_and_check(project: Path, tmp_path: Path) -> None:
    """Negative control: one mistake, refused by the editors' schema and by « ti check »."""
    action = next((project / "territoires/hainaut-douaisis-cambresis/actions").glob("*.md"))
    text = action.read_text("utf-8")
    assert "\npartenaires:\n" in text
    action.write_text(text.replace("\npartenaires:\n", "\npartenaires:\n  - 12\n", 1), "utf-8")
    groups = content_documents(project, tmp_path / "documents")
    result = check_jsonschema(SCHEMAS / "action.schema.json", groups["action"])
    assert result.returncode == 1 and "12" in result.stdout
    checked = ti_inprocess("check", "--rapide", cwd=project)
    assert checked.returncode == 1 and action.name in checked.stdout + checked.stderr


def test_every_feed_reads_in_feedparser(built_site: Path) -> None:
    feeds = sorted(built_site.rglob("rss.xml")) + sorted(built_site.rglob("atom.xml"))
    assert len(feeds) == 6  # national + two territories, RSS and Atom
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo, (path, feed.get("bozo_exception"))
        assert feed.feed.get("link", "").endswith("/lettres/") or path.parent == built_site
        assert feed.feed.get("updated_parsed"), path


def test_every_calendar_reads_in_two_parsers(built_site: Path) -> None:
    calendars = sorted(built_site.rglob("*.ics"))
    assert len(calendars) == 2
    for path in calendars:
        data = path.read_bytes()
        events = Calendar.from_ical(data).walk("VEVENT")
        parsed = vobject.readOne(data.decode("utf-8"))
        assert len(parsed.contents.get("vevent", [])) == len(events), path
        assert parsed.vtimezone.tzid.value == "Europe/Paris"
        for event in parsed.contents.get("vevent", []):
            # every event ends (RFC 5545 makes an event without end last no time at all)
            assert "dtend" in event.contents or "duration" in event.contents, path
            assert event.dtend.value > event.dtstart.value, event.summary.value
        # a subscribed calendar asks again twice a day (RFC 7986, and Outlook's property)
        calendar = Calendar.from_ical(data)
        assert calendar["refresh-interval"].dt == dt.timedelta(hours=12)
        assert b"\r\nX-PUBLISHED-TTL:PT12H\r\n" in data


def test_an_agenda_page_offers_a_subscription(built_site: Path) -> None:
    """A link to the .ics imports it once on a phone: the page offers the webcal:// address
    a calendar subscribes to, beside the file (review: nothing to subscribe to)."""
    hdc = "hainaut-douaisis-cambresis"
    page = (built_site / hdc / "agenda/index.html").read_text(encoding="utf-8")
    webcal = re.search(r'href="(webcal://[^"]+)"', page)
    assert webcal and webcal[1].endswith(f"/{hdc}/agenda/agenda.ics"), webcal
    assert webcal[1].startswith("webcal://territoires-industrie.example.org/")
    assert 'href="agenda.ics">télécharger le fichier iCalendar</a>' in page


def test_every_csv_is_valid_for_frictionless_and_excel(built_site: Path) -> None:
    csvs = sorted(built_site.rglob("*.csv"))
    assert len(csvs) == 5
    for path in csvs:
        report = Resource(path=path.name, basepath=str(path.parent)).validate()
        assert report.valid, (path, report.flatten(["rowNumber", "fieldName", "type"]))
        raw = path.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), path  # BOM: French Excel reads the accents
        header = raw[3:].split(b"\n", 1)[0].decode("utf-8")
        assert not header.startswith("\ufeff"), path  # one BOM, not two


# the files of the built site that are data for reuse (not pages, images, search or theme)
DATA_SUFFIXES = {".csv", ".json", ".ics", ".xml"}
NOT_DATA = {"pagefind", "assets", "schemas", "search"}


def data_files(site: Path) -> set[str]:
    return {
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.suffix in DATA_SUFFIXES
        and not NOT_DATA & set(p.relative_to(site).parts)
        and p.name not in {"sitemap.xml", "datapackage.json"}
    }


def test_the_catalogue_lists_every_data_file_and_each_csv_passes_its_schema(
    built_site: Path, tmp_path: Path
) -> None:
    """datapackage.json (Frictionless Data Package) lists every data file of the site with its
    licence and schema; frictionless validates each CSV against its published Table Schema.
    Control: a population written with a space and a lateness value other than « oui » or
    « non » make the package invalid, each in its own file."""
    from frictionless import Package

    catalogue = json.loads((built_site / "datapackage.json").read_text("utf-8"))
    listed = {r["path"] for r in catalogue["resources"]}
    assert listed == data_files(built_site)
    assert catalogue["licenses"][0]["name"] == "etalab-2.0"
    assert catalogue["created"].endswith("T00:00:00Z")
    for resource in catalogue["resources"]:
        if resource["path"].endswith((".csv", ".json")) and resource["name"] != "federation":
            assert resource.get("schema") or resource.get("jsonSchema"), resource["name"]
    report = Package(str(built_site / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type"])
    tables = [r for r in catalogue["resources"] if r["path"].endswith(".csv")]
    assert len(tables) == 5

    broken = tmp_path / "site"
    shutil.copytree(built_site, broken, ignore=shutil.ignore_patterns("pagefind", "assets"))
    hdc = "hainaut-douaisis-cambresis"
    edits = {
        "territoires.csv": (",765780,", ",765 780,"),
        f"{hdc}/plan-action/actions.csv": (",oui,", ",peut-être,"),
    }
    for name, (before, after) in edits.items():
        path = broken / name
        text = path.read_text("utf-8")
        assert before in text, name
        path.write_text(text.replace(before, after, 1), "utf-8")
    report = Package(str(broken / "datapackage.json")).validate()
    errors = {(task.name, e.type) for task in report.tasks for e in task.errors}
    assert errors == {("territoires", "type-error"), (f"{hdc}-actions", "type-error")}


def test_every_json_file_passes_its_published_schema(built_site: Path) -> None:
    """Each JSON data file is valid for the JSON Schema the catalogue gives it (jsonschema, the
    validator check-jsonschema runs, formats checked, in this process); each schema's ``$id`` is
    the address it is published at and passes its own metaschema (JSON Schema's, or
    Frictionless' for the Table Schemas). Controls: a count written as text is refused, and a
    schema with a wrong type."""
    from frictionless import Schema
    from jsonschema import FormatChecker
    from jsonschema.exceptions import SchemaError
    from jsonschema.validators import validator_for

    def errors(schema: dict[str, Any], document: object) -> list[str]:
        validator = validator_for(schema)(schema, format_checker=FormatChecker())
        return [e.message for e in validator.iter_errors(document)]

    catalogue = json.loads((built_site / "datapackage.json").read_text("utf-8"))
    site_url = catalogue["homepage"]
    checked = 0
    for resource in catalogue["resources"]:
        if "jsonSchema" not in resource:
            continue
        schema = json.loads((built_site / resource["jsonSchema"]).read_text("utf-8"))
        assert schema["$id"] == site_url + resource["jsonSchema"]
        document = json.loads((built_site / resource["path"]).read_text("utf-8"))
        assert errors(schema, document) == [], resource["path"]
        checked += 1
    assert checked == 6  # territoires, federation, and each territory's actions and bundle
    schemas = sorted((built_site / "schemas").glob("*.json"))
    assert len(schemas) == 7
    for path in schemas:
        schema = json.loads(path.read_text("utf-8"))
        if "fields" in schema:  # a Table Schema: Frictionless reads it or raises
            Schema.from_descriptor(schema)
        else:
            validator_for(schema).check_schema(schema)

    document = json.loads((built_site / "territoires.json").read_text("utf-8"))
    document["territoires"][0]["communes"] = "47"
    schema = json.loads((built_site / "schemas/territoires-json.schema.json").read_text("utf-8"))
    assert "'47' is not of type 'integer'" in errors(schema, document)
    with pytest.raises(SchemaError):  # control: the metaschema check refuses a broken schema
        validator_for(schema).check_schema({**schema, "type": 12})


@pytest.mark.lent
@pytest.mark.parametrize(
    ("diffusion", "valid"),
    [
        ('  outil: Autre\n  balise_desinscription: "[unsubscribe]"\n', True),
        ('  outil: listmonk\n  balise_desinscription: "[unsubscribe]"\n', False),
        ("  outil: autre\n", False),
        ('  balise_desinscription: "[unsubscribe]"\n', False),
    ],
)
def test_unsubscribe_rule_is_the_same_for_schema_and_check(
    project: Path, tmp_path: Path, diffusion: str, valid: bool
) -> None:
    path = project / "territoires/hainaut-douaisis-cambresis/territoire.yml"
    text = path.read_text("utf-8")
    start = text.index("diffusion:\n")
    path.write_text(text[:start] + "diffusion:\n" + diffusion, "utf-8")
    groups = content_documents(project, tmp_path / "documents")
    schema_ok = check_jsonschema(SCHEMAS / "territoire.schema.json", groups["territoire"])
    build_ok = ti_inprocess("check", "--rapide", cwd=project)
    assert (schema_ok.returncode == 0) == valid, schema_ok.stdout
    assert (build_ok.returncode == 0) == valid, build_ok.stderr


def test_a_calendars_name_with_commas_reads_whole_in_two_parsers(tmp_path: Path) -> None:
    """The calendar's name is escaped as text (outside review: « Sambre, Avesnois » read as
    « Sambre » by vobject: a property of its own name is written by the library as given).
    Control: the name added as the library takes it by default is cut short."""
    import datetime as dt

    from icalendar import Calendar as Cal

    from conftest import copy_project
    from tisite.content.loader import load_site
    from tisite.publish import publishing

    project = copy_project(tmp_path / "projet")
    identity = project / "territoires" / "grand-chatellerault" / "territoire.yml"
    name = "Sambre, Avesnois; Nord \\ Sud"
    identity.write_text(
        identity.read_text("utf-8").replace(
            "nom: Grand-Châtellerault", f"nom: {json.dumps(name)}", 1
        ),
        "utf-8",
    )
    territory = next(t for t in load_site(project).territories if t.slug == "grand-chatellerault")
    stamp = dt.datetime(2026, 12, 6, tzinfo=dt.UTC)
    data = publishing._agenda_ics(territory, "https://exemple.org/", stamp)
    expected = f"Agenda — {name}"
    assert vobject.readOne(data).x_wr_calname.value == expected
    # as RFC 5545 writes a text (icalendar keeps a property it does not know as written)
    assert "X-WR-CALNAME:Agenda — Sambre\\, Avesnois\\; Nord \\\\ Sud\r\n" in data
    # Control: the name as the library writes an unknown property by default
    raw = Cal.from_ical(data)
    raw.pop("X-WR-CALNAME")
    raw.add("x-wr-calname", expected)
    assert vobject.readOne(raw.to_ical().decode("utf-8")).x_wr_calname.value != expected


MIXED_AGENDA = """evenements:
  - titre: Salon jusqu'à une heure
    date: 2026-06-15
    fin: 2026-06-17T10:00
  - titre: Atelier jusqu'à un jour
    date: 2026-06-22T09:00
    fin: 2026-06-24
  - titre: Instant
    date: 2026-06-25T09:00
    fin: 2026-06-25T09:00
"""


def test_an_events_end_has_the_type_of_its_start_in_the_calendar(tmp_path: Path) -> None:
    """A day with an end hour, or an hour with an end day (outside review: DTSTART a date and
    DTEND a date-time, against RFC 5545, 3.8.2.2): whole days until the end's day, or from the
    hour until the end day is over; an end equal to the start lasts the default hour. Read by
    vobject and icalendar."""
    import datetime as dt

    from icalendar import Calendar as Cal

    from tisite.content.loader import load_site
    from tisite.publish import publishing

    project = copy_project(tmp_path / "projet")
    (project / "territoires" / "grand-chatellerault" / "agenda.yml").write_text(
        MIXED_AGENDA, encoding="utf-8"
    )
    territory = next(t for t in load_site(project).territories if t.slug == "grand-chatellerault")
    stamp = dt.datetime(2026, 12, 6, tzinfo=dt.UTC)
    data = publishing._agenda_ics(territory, "https://exemple.org/", stamp)
    events = {str(e["summary"]): e for e in Cal.from_ical(data).walk("VEVENT")}
    spans = {}
    for title, event in events.items():
        start, end = event["dtstart"].dt, event["dtend"].dt
        assert isinstance(start, dt.datetime) == isinstance(end, dt.datetime), title
        assert end > start, title
        spans[title.replace("\u202f", " ").replace("\u00a0", " ")] = (start, end)
    assert spans["Salon jusqu'à une heure"] == (dt.date(2026, 6, 15), dt.date(2026, 6, 18))
    paris = spans["Atelier jusqu'à un jour"][0].tzinfo
    assert spans["Atelier jusqu'à un jour"][1] == dt.datetime(2026, 6, 25, tzinfo=paris)
    assert spans["Instant"][1] - spans["Instant"][0] == dt.timedelta(hours=1)
    for event in vobject.readOne(data).contents["vevent"]:
        assert type(event.dtstart.value) is type(event.dtend.value)


def test_the_catalogue_names_the_package_and_the_licence_as_the_spec_asks() -> None:
    """A Data Package's name is « ^[a-z0-9._/-]+$ »: any title gives one (ligatures spelled
    out, nothing left: a default). Only the Licence Ouverte 2.0 is named « etalab-2.0 »
    (SPDX). Control: the Licence Ouverte 1.0 and another licence get no SPDX name."""
    from tisite.generate import opendata

    names = [
        opendata._package_name(title)
        for title in ("Territoires d’industrie", "Cœur de Loire", "« ! »", "Æsir & Straße")
    ]
    assert names == [
        "territoires-d-industrie",
        "coeur-de-loire",
        "territoires-industrie",
        "aesir-strasse",
    ]
    etalab = {
        "nom": "Licence Ouverte 2.0",
        "url": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    }
    assert opendata._licence(etalab)["name"] == "etalab-2.0"
    old = "https://www.etalab.gouv.fr/wp-content/uploads/2014/05/Licence_Ouverte.pdf"
    for url in (old, "https://creativecommons.org/licenses/by/4.0/"):
        assert "name" not in opendata._licence({"nom": "Autre", "url": url})


def test_the_open_data_page_lists_every_file_of_the_catalogue(built_site: Path) -> None:
    """A person reads « Données ouvertes », a program the catalogue (review: every link to the
    data opened the raw datapackage.json): the page links every resource and its schema,
    each a file of the site."""
    from bs4 import BeautifulSoup

    catalogue = json.loads((built_site / "datapackage.json").read_text(encoding="utf-8"))
    page = built_site / "donnees-ouvertes/index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    links = {(page.parent / a["href"]).resolve() for a in soup.select("article table a[href]")}
    wanted = {(built_site / r["path"]).resolve() for r in catalogue["resources"]}
    wanted |= {
        (built_site / (r.get("schema") or r.get("jsonSchema"))).resolve()
        for r in catalogue["resources"]
        if r.get("schema") or r.get("jsonSchema")
    }
    assert wanted and links == wanted
    assert all(path.is_file() for path in links)
    footer = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'href="donnees-ouvertes/">Données ouvertes</a>' in footer


def test_the_site_has_the_icons_browsers_and_phones_ask_for(built_site: Path) -> None:
    """/favicon.ico (a browser asks it beside a JSON or text file: it was a 404) and a PNG
    for a phone's home screen, linked from every page."""
    from PIL import Image

    with Image.open(built_site / "favicon.ico") as ico:
        assert ico.format == "ICO" and {(16, 16), (32, 32)} <= set(ico.info["sizes"])
    with Image.open(built_site / "apple-touch-icon.png") as png:
        assert png.format == "PNG" and png.size == (180, 180)
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="apple-touch-icon" href="apple-touch-icon.png">' in home


def test_hosts_that_read_headers_forbid_framing(built_site: Path) -> None:
    """A <meta> policy cannot forbid framing: the _headers file Netlify and Cloudflare Pages
    read says it for every page."""
    lines = (built_site / "_headers").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "/*"
    assert "  Content-Security-Policy: frame-ancestors 'self'" in lines
    assert "  X-Content-Type-Options: nosniff" in lines
