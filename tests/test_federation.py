"""Federation (issue 28): every territory site publishes a data bundle; a national portal
harvests the bundles of the sites it lists, survives a failing source and treats every byte
as hostile. Sources are served on 127.0.0.1 by tests/fedserver.py (no sleep: a hanging answer
waits on an event that the server's end sets)."""

from __future__ import annotations

import contextlib
import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from fedserver import Site, body, drip, endless, redirect, serve, silent, status

from conftest import copy_project, flat, own_legal_notices
from tisite import clock, urls
from tisite.build import SiteBuild
from tisite.content import federation, harvest
from tisite.content.errors import ContentError
from tisite.content.loader import load_site
from tisite.pipeline import build as pipeline_build
from tisite.publish import bundle

EXAMPLE_URL = "https://territoires-industrie.example.org/"
HDC = "hainaut-douaisis-cambresis"
GC = "grand-chatellerault"
SCHEMA = Path(__file__).resolve().parent.parent / "schemas" / f"{bundle.SCHEMA_NAME}.schema.json"


# --- the territory side: the bundle ----------------------------------------------------------


def test_every_site_publishes_one_bundle_per_territory(built_site: Path) -> None:
    index = json.loads((built_site / "federation.json").read_text("utf-8"))
    assert [t["id"] for t in index["territoires"]] == [GC, HDC]
    for t in index["territoires"]:
        assert t["donnees"] == EXAMPLE_URL + urls.url_to("donnees-territoire", t=t["id"])
        data = json.loads((built_site / t["id"] / "donnees.json").read_text("utf-8"))
        assert data["version_schema"] == bundle.VERSION
        assert data["site"] == EXAMPLE_URL
        assert data["generateur"]["nom"] == bundle.PACKAGE
        bundle.Bundle.model_validate(data)  # the model the portal reads it with
    # a timed event says its offset from UTC (Paris time, summer: +02:00); a day stays a day
    agenda = json.loads((built_site / HDC / "donnees.json").read_text("utf-8"))["agenda"]
    starts = {e["titre"].split(" (")[0]: e["debut"] for e in agenda}
    assert starts["Conseil communautaire de la CA du Caudrésis-Catésis"] == (
        "2022-07-06T18:00:00+02:00"
    )
    assert starts["Rencontre nationale des Territoires d'industrie"] == "2019-06-12"
    # the schema is published, the same as the committed one, with its address as « $id »
    published = json.loads((built_site / urls.url_to("schema-donnees")).read_text("utf-8"))
    assert published.pop("$id") == "https://territoires-industrie.example.org/" + urls.url_to(
        "schema-donnees"
    )
    assert published == json.loads(SCHEMA.read_text("utf-8"))
    assert SCHEMA.read_text("utf-8") == bundle.json_schema()


def test_bundles_are_discoverable_from_the_pages(built_site: Path) -> None:
    page = (built_site / HDC / "priorites" / "index.html").read_text("utf-8")
    assert (
        '<link rel="alternate describedby" type="application/json" title="Données ouvertes pour '
        'le portail national" href="../donnees.json">' in page
    )
    home = (built_site / "index.html").read_text("utf-8")
    assert (
        'type="application/json" title="Données ouvertes pour le portail national" href="federation.json"'
        in home
    )
    dashboard = (built_site / "tableau-de-bord" / "index.html").read_text("utf-8")
    assert "alternate describedby" not in dashboard  # a national page has no bundle of its own


def test_bundles_match_their_schema_with_check_jsonschema(built_site: Path) -> None:
    files = sorted(built_site.glob("*/donnees.json"))
    assert len(files) == 2
    command = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMA)]
    result = subprocess.run([*command, *map(str, files)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_jsonschema_refuses_a_broken_bundle(built_site: Path, tmp_path: Path) -> None:
    """Negative control: HTML in place of a number, an unknown key."""
    data = json.loads((built_site / HDC / "donnees.json").read_text("utf-8"))
    data["territoire"]["population"] = "<b>beaucoup</b>"
    data["html"] = "<p>non</p>"
    bad = tmp_path / "donnees.json"
    bad.write_text(json.dumps(data), "utf-8")
    command = [sys.executable, "-m", "check_jsonschema", "--schemafile", str(SCHEMA), str(bad)]
    result = subprocess.run(command, capture_output=True, text=True)
    assert result.returncode == 1 and "population" in result.stdout


@pytest.mark.lent
def test_the_bundle_is_stable_has_no_draft_and_is_small(project: Path, tmp_path: Path) -> None:
    from synthetic import write_project

    def bundles(root: Path, drafts: bool = False) -> dict[str, str]:
        build = SiteBuild.load(root, site_url=EXAMPLE_URL, drafts=drafts)
        return {p: bytes(c).decode() for p, c in build.assets if p.endswith("donnees.json")}

    first, second = bundles(project), bundles(project)
    assert first == second  # identical bytes for unchanged content
    text = first[f"{HDC}/donnees.json"]
    assert text.encode("utf-8") == second[f"{HDC}/donnees.json"].encode("utf-8")
    # a draft letter (16) and its agenda entries: never in the bundle, even in a preview
    with_drafts = bundles(project, drafts=True)[f"{HDC}/donnees.json"]
    numbers = [x["numero"] for x in json.loads(with_drafts)["lettres"]]
    assert numbers and 16 not in numbers
    assert with_drafts == text
    # negative control: the draft exists and the preview publishes it as a page
    preview = SiteBuild.load(project, site_url=EXAMPLE_URL, drafts=True)
    assert any(p.path == f"{HDC}/lettres/16/index.md" for p in preview.pages)
    # 30 actions: under 200 KB
    synthetic = write_project(tmp_path / "s", 1, actions=30, letters=12)
    (synthetic / "urls-publiees.txt").write_text("", "utf-8")
    sizes = [len(c.encode("utf-8")) for c in bundles(synthetic).values()]
    data = json.loads(next(iter(bundles(synthetic).values())))
    assert len(data["actions"]) == 30
    assert sizes and max(sizes) < 200_000, sizes


# --- the portal side: helpers -----------------------------------------------------------------


def publish_bundles(built: Path, dest: Path, url: str, only: str | None = None) -> Path:
    """The federation files of a built site as another origin would serve them."""
    dest.mkdir(parents=True, exist_ok=True)
    for rel in [
        "federation.json",
        *(p.relative_to(built).as_posix() for p in built.glob("*/donnees.json")),
    ]:
        text = (built / rel).read_text("utf-8").replace(EXAMPLE_URL, url)
        if rel == "federation.json" and only:
            doc = json.loads(text)
            doc["territoires"] = [t for t in doc["territoires"] if t["id"] == only]
            text = bundle.dump(doc)
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        (dest / rel).write_text(text, "utf-8")
    return dest


def portal(root: Path, sources: list[str], local: bool = False, strict: bool = False) -> Path:
    """A portal project: the example's settings, no territory of its own unless ``local``."""
    if not root.exists():
        copy_project(root)
        own_legal_notices(root)
    if not local:
        shutil.rmtree(root / "territoires", ignore_errors=True)
        (root / "territoires").mkdir()
    (root / "urls-publiees.txt").write_text("", "utf-8")
    text = (root / "site.yml").read_text("utf-8").split("\nportail:")[0].rstrip("\n")
    listed = "".join(f"\n    - {s}" for s in sources)
    text += f"\nportail:\n  sources:{listed}\n" + ("  stricte: true\n" if strict else "")
    (root / "site.yml").write_text(text, "utf-8")
    return root


def lines(site_model: object) -> list[str]:
    return [w.format() for w in site_model.warnings]  # type: ignore[attr-defined]


def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short timeouts: a silent source is given up in a fraction of a second."""
    monkeypatch.setattr(harvest, "TIMEOUT", 0.3)
    monkeypatch.setattr(harvest, "DEADLINE", 1.0)


@pytest.fixture
def source(built_site: Path, tmp_path: Path) -> object:
    """The example's two territories, served by one local site."""
    with serve(tmp_path / "source") as site:
        publish_bundles(built_site, site.folder, site.url)
        yield site


# --- harvesting --------------------------------------------------------------------------------


def test_a_portal_harvests_its_sources_then_asks_again_conditionally(
    source: Site, tmp_path: Path
) -> None:
    root = portal(tmp_path / "portail", [source.url])
    site = load_site(root, harvest=True)
    assert {t.slug for t in site.territories} == {GC, HDC}
    assert all(t.remote is not None and not t.remote.stale for t in site.territories)
    assert source.answers[200] == 3 and source.answers[304] == 0
    assert "3 fichiers reçus, 0 inchangé (304), 0 en échec" in (site.harvest or "")
    load_site(root, harvest=True)
    assert source.answers[304] == 3 and source.answers[200] == 3  # nothing sent again
    # negative control: a server without ETag nor Last-Modified sends everything again
    source.conditional = False
    load_site(root, harvest=True)
    assert source.answers[200] == 6


def test_a_source_that_points_to_the_local_network_is_never_asked(
    source: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The harvest runs in the portal's CI: a source on that machine or its network, written
    « http://127.0.0.1:… » or a name that resolves there (« territoire.example » made to point
    to 127.0.0.1, where a site answers), is refused before anything is sent, with the way to
    allow it. Controls: allowed (TI_MOISSON_RESEAU_LOCAL=1), the same sources are asked."""
    real = socket.getaddrinfo

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> Any:
        return real("127.0.0.1" if host == "territoire.example" else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.delenv(harvest.LOCAL_NETWORK)  # (set by the local site while it serves)
    port = source.url.rsplit(":", 1)[1]
    named = portal(tmp_path / "portail", [f"https://territoire.example:{port}"])
    model = load_site(named, harvest=True)
    assert sum(source.answers.values()) == 0 and not model.territories
    assert (
        "territoire.example est une adresse du réseau local (127.0.0.1), pas un site public : "
        "la récolte n'y va pas (pour un essai sur cette machine ou des sites d'un réseau "
        "interne : TI_MOISSON_RESEAU_LOCAL=1)"
    ) in "\n".join(lines(model))
    trial = portal(tmp_path / "essai", [source.url])  # « http://127.0.0.1:port/ »
    assert not load_site(trial, harvest=True).territories
    assert sum(source.answers.values()) == 0
    monkeypatch.setenv(harvest.LOCAL_NETWORK, "1")  # controls: allowed, both are asked
    assert "réseau local" not in "\n".join(lines(load_site(named, harvest=True)))
    assert {t.slug for t in load_site(trial, harvest=True).territories} == {GC, HDC}
    for address in ("::ffff:127.0.0.1", "169.254.169.254", "10.0.0.1", "100.64.0.1", "::1"):
        assert not harvest._public(address), address
    # IPv6 forms that carry a private IPv4 address (NAT64, 6to4, IPv4-compatible), site-local
    for address in ("64:ff9b::a9fe:a9fe", "2002:a9fe:a9fe::1", "::7f00:1", "fec0::1"):
        assert not harvest._public(address), address
    assert not harvest._public("fe80::1%eth0")
    assert not harvest._public("224.0.0.1")
    assert not harvest._public("127.0.0.1")  # this computer: only when allowed
    for address in ("8.8.8.8", "2001:4860:4860::8888", "64:ff9b::808:808"):  # control
        assert harvest._public(address), address


def test_a_source_whose_name_no_server_knows_is_said_unreachable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name that does not resolve: « injoignable », in French (it was « réponse inattendue
    (gaierror) »)."""

    def unknown(host: str, *args: Any, **kwargs: Any) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", unknown)
    model = load_site(portal(tmp_path / "portail", ["https://inconnu.example/"]), harvest=True)
    said = "\n".join(lines(model))
    assert "le site est injoignable (https://inconnu.example/federation.json)" in said, said
    assert "gaierror" not in said


def test_a_harvested_territory_links_to_its_own_site(source: Site, tmp_path: Path) -> None:
    root = portal(tmp_path / "portail", [source.url])
    site = load_site(root, harvest=True)
    hdc = site.territory(HDC)
    assert hdc is not None and hdc.url == f"{source.url}{HDC}/"
    assert hdc.actions[0].url.startswith(f"{source.url}{HDC}/plan-action/")
    # its figures come from the portal's own reference, from its SIRENs
    assert hdc.population > 0 and hdc.departements


def test_no_source_no_request(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build that lists no source makes no network request."""
    sent: list[str] = []

    def refuse(self: httpx.Client, request: httpx.Request, **kwargs: object) -> httpx.Response:
        sent.append(str(request.url))
        raise httpx.ConnectError("réseau interdit dans ce test")

    monkeypatch.setattr(httpx.Client, "send", refuse)
    site = load_site(project, harvest=True)
    assert site.harvest is None and sent == []
    # negative control: one source listed, and the harvester does ask the network
    portal(project, ["https://un-territoire.example.fr/"], local=True)
    site = load_site(project, harvest=True)
    assert sent == ["https://un-territoire.example.fr/federation.json"]
    assert any("jamais récoltée" in line for line in lines(site))
    # with what to do (partner's review: the guide's advice was not said)
    assert any("vérifiez l'adresse (celle de l'accueil du site)" in x for x in lines(site))


def test_serve_reads_the_cache_and_harvests_only_when_asked(source: Site, tmp_path: Path) -> None:
    root = portal(tmp_path / "portail", [source.url])
    first = load_site(root, harvest=False)  # nothing harvested yet: left out, said
    assert first.territories == ()
    assert any("jamais récoltée" in line for line in lines(first))
    assert sum(source.answers.values()) == 0
    load_site(root, harvest=True)
    asked = sum(source.answers.values())
    cached = load_site(root, harvest=False)
    assert {t.slug for t in cached.territories} == {GC, HDC}
    assert sum(source.answers.values()) == asked  # no request


def test_a_value_outside_the_vocabulary_is_said_with_every_value(built_site: Path) -> None:
    """A harvested fiche's status outside the vocabulary: the message lists every value
    (partner's review: cut after a hundred characters, « Valeurs possibles : « En … »). Its
    own text from the source stays cut (control: a long hostile status)."""
    from tisite.content import vocab
    from tisite.content.federation import Refused, parse_bundle

    doc = json.loads((built_site / HDC / "donnees.json").read_text("utf-8"))
    doc["actions"][0]["statut"] = "Termine"
    with pytest.raises(Refused) as refused:
        parse_bundle(json.dumps(doc).encode(), "https://source.example.fr/")
    said = str(refused.value)
    assert "vouliez-vous dire « Terminé »" in said
    assert all(f"« {value} »" in said for value in vocab.STATUTS), said
    doc["actions"][0]["statut"] = "x" * 5000
    with pytest.raises(Refused) as refused:
        parse_bundle(json.dumps(doc).encode(), "https://source.example.fr/")
    assert len(str(refused.value)) < 700 and "x" * 500 not in str(refused.value)


def test_the_cli_options_of_a_portal() -> None:
    from tisite.cli import commands as cli

    serve_args = cli.parser().parse_args(["serve"])
    assert cli.build_options(serve_args)["moisson"] is False
    asked = cli.parser().parse_args(["serve", "--moissonner"])
    assert "moisson" not in cli.build_options(asked)
    assert "moisson" not in cli.build_options(cli.parser().parse_args(["build"]))


# --- a failing source --------------------------------------------------------------------------


def harvested_then(source: Site, root: Path, path: str, behaviour: object) -> object:
    """Harvest once (a good copy), break ``path`` of the source, harvest again."""
    load_site(root, harvest=True)
    source.behaviours[path] = behaviour  # type: ignore[assignment]
    return load_site(root, harvest=True)


BUNDLE = f"/{HDC}/donnees.json"


@pytest.mark.parametrize(
    ("path", "make", "expected"),
    [
        ("/federation.json", lambda s: status(404), "répond 404"),
        (BUNDLE, lambda s: status(500), "répond 500"),
        (BUNDLE, lambda s: body(b'{"version_schema": 1,'), "JSON invalide"),
        (BUNDLE, lambda s: body(b'{"version_schema": 1}'), "non conforme au schéma"),
        (BUNDLE, lambda s: body(b"[" * 100_000 + b"]" * 100_000), "trop imbriqué"),
        (BUNDLE, lambda s: body(b'{"version_schema": NaN}'), "n'est pas un nombre admis"),
        (BUNDLE, lambda s: endless(), "trop volumineux (plus de 5 Mo)"),
        (BUNDLE, lambda s: body(b"{}", declared=60_000_000), "trop volumineux"),
        (BUNDLE, lambda s: silent(s), "ne répond pas à temps"),
        (
            BUNDLE,
            lambda s: redirect("https://ailleurs.example.net/x.json"),
            "redirige hors du site",
        ),
        (
            BUNDLE,
            lambda s: redirect(s.url.replace("127.0.0.1", "localhost") + "x"),
            "redirige hors",
        ),
        (BUNDLE, lambda s: redirect(BUNDLE), "redirections"),
        (BUNDLE, lambda s: redirect("http://[::1"), "injoignable"),  # a broken Location
    ],
)
def test_a_failing_source_keeps_its_last_copy(
    source: Site,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    make: object,
    expected: str,
) -> None:
    from tisite.generate.textutil import long_date

    if expected == "ne répond pas à temps":  # only the silent source waits for a timeout:
        fast(monkeypatch)  # the others keep the real ones, sturdy on a loaded machine

    root = portal(tmp_path / "portail", [source.url])
    site = harvested_then(source, root, path, make(source))  # type: ignore[operator]
    problems = lines(site)
    assert len(problems) == 1, problems
    line = problems[0]
    assert line.startswith("site.yml:") and "avertissement" in line and source.url in line
    assert expected in line
    today = clock.today()
    assert f"le portail garde la dernière copie (données du {long_date(today)})" in line
    hdc = site.territory(HDC)  # type: ignore[attr-defined]
    assert hdc is not None and hdc.remote.stale and hdc.remote.harvested == today


def test_a_redirect_within_the_source_is_followed(source: Site, tmp_path: Path) -> None:
    """Negative control of the redirect rule: the same origin is followed."""
    root = portal(tmp_path / "portail", [source.url])
    (source.folder / "ailleurs.json").write_bytes((source.folder / BUNDLE[1:]).read_bytes())
    source.behaviours[BUNDLE] = redirect("/ailleurs.json")
    site = load_site(root, harvest=True)
    assert lines(site) == [] and site.territory(HDC) is not None


@pytest.mark.lent
def test_a_slow_drip_is_cut_at_the_deadline(
    source: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = portal(tmp_path / "portail", [source.url])
    data = (source.folder / BUNDLE[1:]).read_bytes()
    source.behaviours[BUNDLE] = drip(source, data, pieces=8, pause=0.1)
    # every piece comes far before the read timeout (0.1 s apart, even on a loaded machine):
    # only the deadline for the whole answer (8 pieces: 0.8 s at least) can cut it
    monkeypatch.setattr(harvest, "TIMEOUT", 10.0)
    monkeypatch.setattr(harvest, "DEADLINE", 0.3)
    cut = load_site(root, harvest=True)
    assert any("ne répond pas à temps (plus de 0,3 s)" in line for line in lines(cut))
    assert cut.territory(HDC) is None  # never harvested: left out
    # negative control: the same drip within the deadline is harvested
    monkeypatch.setattr(harvest, "DEADLINE", 30.0)
    whole = load_site(root, harvest=True)
    assert lines(whole) == [] and whole.territory(HDC) is not None


def test_a_never_harvested_source_is_left_out_and_strict_fails(
    source: Site, tmp_path: Path
) -> None:
    source.behaviours["/federation.json"] = status(503)
    root = portal(tmp_path / "portail", [source.url])
    site = load_site(root, harvest=True)
    assert site.territories == ()
    assert lines(site) == [
        f"site.yml:{lines_of(root, source.url)}: avertissement : champ « portail.sources[1] » : "
        f"{source.url} : {source.url}federation.json répond 503 Service Unavailable ; jamais "
        "récoltée, ses territoires sont laissés de côté : vérifiez l'adresse (celle de "
        "l'accueil du site), ou demandez à son équipe de reconstruire son site"
    ]
    strict = portal(root, [source.url], strict=True)
    with pytest.raises(ContentError) as refused:
        load_site(strict, harvest=True)
    assert "répond 503" in refused.value.report()


def lines_of(root: Path, text: str) -> int:
    return next(
        n
        for n, line in enumerate((root / "site.yml").read_text("utf-8").splitlines(), 1)
        if text in line
    )


def test_the_settings_check_the_sources(project: Path) -> None:
    portal(project, ["javascript:alert(1)", "ftp://x.example.fr/"], local=True)
    with pytest.raises(ContentError) as refused:
        load_site(project)
    report = refused.value.report()
    assert "portail.sources" in report and "https://" in report
    portal(project, ["https://a.example.fr/", "https://a.example.fr"], local=True)
    with pytest.raises(ContentError) as twice:
        load_site(project)
    assert "écrite deux fois" in twice.value.report()
    # the address of a file of the site (partner's review: « …/federation.json/federation.json
    # répond 404 »): the home address to write instead
    portal(project, ["https://a.example.fr/ti/federation.json"], local=True)
    with pytest.raises(ContentError) as file:
        load_site(project)
    assert "par exemple « https://a.example.fr/ti/ »" in file.value.report()
    portal(project, ["https://a.example.fr/ti/"], local=True)  # control: a home address
    load_site(project)


# --- hostile bundles ---------------------------------------------------------------------------


def edited(source: Site, change: object) -> None:
    path = source.folder / BUNDLE[1:]
    data = json.loads(path.read_text("utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(bundle.dump(data), "utf-8")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d, u: d["actions"][0].update(url="javascript:alert(1)"), "actions[1].url"),
        (
            lambda d, u: d["actions"][0].update(url="https://ailleurs.example.net/a/"),
            "hors du site",
        ),
        (
            lambda d, u: d["territoire"]["pages"].update(priorites=u.replace("http:", "https:")),
            "hors du site",
        ),
        (lambda d, u: d["actions"][0].update(budget_total=1e300), "budget_total"),
        (lambda d, u: d["territoire"].update(population=10**12), "population"),
        (lambda d, u: d["actions"][0].update(titre="a\u0000b"), "titre"),
        (lambda d, u: d["territoire"]["epci"][0].update(siren="123456789"), "SIREN inconnu"),
        (
            lambda d, u: d.update(version_schema=2),
            "version 2 du schéma, ce portail lit la version 1",
        ),
    ],
)
def test_a_hostile_bundle_is_refused(
    source: Site, tmp_path: Path, change: object, expected: str
) -> None:
    root = portal(tmp_path / "portail", [source.url])
    edited(source, lambda d: change(d, source.url))  # type: ignore[operator]
    site = load_site(root, harvest=True)
    assert site.territory(HDC) is None and site.territory(GC) is None  # the source as a whole
    assert len(lines(site)) == 1 and expected in lines(site)[0], lines(site)
    # said to the portal's operator: what is wrong and whose data it is, not an author's
    # advice (« retapez le texte à cet endroit »)
    assert "retapez" not in lines(site)[0]


def test_a_bundle_within_bounds_is_taken(source: Site, tmp_path: Path) -> None:
    """Negative control of the refusals above: an address of the source's own site, a large
    but plausible budget, a script in a title (text, shown as text) are taken."""
    root = portal(tmp_path / "portail", [source.url])

    def change(d: dict[str, object]) -> None:
        action = d["actions"][0]  # type: ignore[index]
        action.update(
            url=f"{source.url}{HDC}/ailleurs/", budget_total=1e12, titre="<script>alert(1)</script>"
        )

    edited(source, change)
    site = load_site(root, harvest=True)
    hdc = site.territory(HDC)
    assert lines(site) == [] and hdc is not None
    assert hdc.actions[0].titre == "<script>alert(1)</script>"


@pytest.mark.lent
def test_two_sources_claiming_the_same_territory(built_site: Path, tmp_path: Path) -> None:
    """Two sources publishing a territory of the same identifier, name or EPCI: both are left
    out, whichever comes first in site.yml (the portal can't tell which is right), each
    warning naming the other; the rest of each source is taken."""
    with serve(tmp_path / "a") as a, serve(tmp_path / "b") as b:
        publish_bundles(built_site, a.folder, a.url)
        publish_bundles(built_site, b.folder, b.url, only=HDC)
        for order in ([a.url, b.url], [b.url, a.url]):
            root = portal(tmp_path / "portail", order)
            site = load_site(root, harvest=True)
            assert site.territory(HDC) is None and site.territory(GC) is not None
            found = lines(site)
            assert len(found) == 2, found
            for line in found:
                assert b.url in line and a.url in line and "l'autre aussi" in line
                assert "revendique l'identifiant « hainaut-douaisis-cambresis »" in line
            assert "1 territoire, 2 laissés de côté" in (site.harvest or "")
        # the same EPCI under another identifier and name: refused too
        data = json.loads((b.folder / BUNDLE[1:]).read_text("utf-8"))
        data["territoire"].update(id="autre", nom="Un autre nom")
        (b.folder / BUNDLE[1:]).write_text(bundle.dump(data), "utf-8")
        site = load_site(root, harvest=True)
        assert site.territory(HDC) is None and site.territory("autre") is None
        line = next(x for x in lines(site) if "(autre)" in x)
        assert "revendique l'EPCI" in line and a.url in line
        # a name written like the other's (accents aside, or with look-alike letters)
        data["territoire"].update(nom="Hainaut-Douaisis-Cambresis")
        (b.folder / BUNDLE[1:]).write_text(bundle.dump(data), "utf-8")
        line = next(x for x in lines(load_site(root, harvest=True)) if "(autre)" in x)
        assert "« Hainaut-Douaisis-Cambresis », semblable à « Hainaut-Douaisis-Cambrésis »" in (
            line
        ), line
        # negative control: alone, the second source is taken
        alone = load_site(portal(root, [b.url]), harvest=True)
        assert lines(alone) == [] and alone.territory("autre") is not None


@pytest.mark.lent
def test_a_newcomer_cannot_push_a_territory_off_the_portal(
    built_site: Path, tmp_path: Path
) -> None:
    """A territory the portal already had from its source stays when another source starts
    claiming it (outside review: any source could then remove any territory); the newcomer is
    left out, in either order, build after build (its claim is never kept as « had before »)."""
    with serve(tmp_path / "a") as a, serve(tmp_path / "b") as b:
        publish_bundles(built_site, a.folder, a.url)
        publish_bundles(built_site, b.folder, b.url, only=HDC)
        root = portal(tmp_path / "portail", [a.url])
        assert load_site(root, harvest=True).territory(HDC) is not None  # a had it first
        for order in ([b.url, a.url], [a.url, b.url], [b.url, a.url]):
            site = load_site(portal(root, order), harvest=True)
            hdc = site.territory(HDC)
            assert hdc is not None and hdc.remote is not None and hdc.remote.source == a.url
            [line] = lines(site)
            assert f"de la source {b.url} revendique l'identifiant" in line, line
            assert (
                f"déjà pris par le territoire « Hainaut-Douaisis-Cambrésis » ({HDC}) de la "
                f"source {a.url}"
                in line
                and "l'autre aussi" not in line
            )
            assert "2 territoires, 1 laissé de côté" in (site.harvest or "")


@pytest.mark.lent
def test_a_source_holding_a_territory_cannot_take_another_s_by_renaming_its_own(
    built_site: Path, tmp_path: Path
) -> None:
    """What a source held is judged claim by claim (second review: a source already on the
    portal renamed its own territory after another's, and both went): the renamed one is left
    out, the other stays; a source renaming its own territory keeps what it held against a
    claimant waiting for it."""
    gc_bundle = f"{GC}/donnees.json"
    with serve(tmp_path / "a") as a, serve(tmp_path / "b") as b:
        publish_bundles(built_site, a.folder, a.url, only=HDC)
        publish_bundles(built_site, b.folder, b.url, only=GC)
        root = portal(tmp_path / "portail", [a.url, b.url])
        site = load_site(root, harvest=True)
        assert site.territory(HDC) is not None and site.territory(GC) is not None
        path = b.folder / gc_bundle
        data = json.loads(path.read_text("utf-8"))
        data["territoire"]["nom"] = "Hainaut-Douaisis-Cambrésis"
        path.write_text(bundle.dump(data), "utf-8")
        for _ in range(2):  # and on the next build (b's claim not kept as held)
            site = load_site(root, harvest=True)
            assert site.territory(HDC) is not None and site.territory(GC) is None
            [line] = lines(site)
            assert f"({GC}) de la source {b.url} revendique le nom" in line and "déjà pris" in line


def test_a_source_claiming_a_local_territory(source: Site, tmp_path: Path) -> None:
    root = portal(copy_project(tmp_path / "portail"), [source.url], local=True)
    shutil.rmtree(root / "territoires" / GC)
    site = load_site(root, harvest=True)
    hdc = site.territory(HDC)
    assert hdc is not None and hdc.remote is None  # the local one stays
    assert site.territory(GC) is not None and site.territory(GC).remote is not None  # type: ignore[union-attr]
    [line] = [x for x in lines(site) if "portail.sources" in x]
    assert "de ce dépôt (territoires/hainaut-douaisis-cambresis)" in line and source.url in line


def test_the_parser_refuses_what_json_loads_would_take() -> None:
    with pytest.raises(federation.Refused, match="trop imbriqué"):
        federation.parse_json(b"[" * 50 + b"]" * 50)
    with pytest.raises(federation.Refused, match="Infinity"):
        federation.parse_json(b"[Infinity]")
    assert federation.parse_json(b'["[[[[[[[[[[[[[[[[[["]') == ["[" * 18]  # brackets in text


# --- what will be checked: two sites built separately, a portal that lists both ---------------

SCRIPT = "<script>alert('portail')</script>"


def territory_site(root: Path, url: str, keep: str) -> Path:
    """A newcomer's site: one territory of the example, its own site_url."""
    copy_project(root)
    for folder in (root / "territoires").iterdir():
        if folder.name != keep:
            shutil.rmtree(folder)
    (root / "urls-publiees.txt").write_text("", "utf-8")
    config = (root / "mkdocs.yml").read_text("utf-8").replace(EXAMPLE_URL, url)
    (root / "mkdocs.yml").write_text(config, "utf-8")
    return root


def texts(site_dir: Path) -> dict[str, str]:
    kinds = (".html", ".json", ".csv", ".xml", ".txt", ".ics")
    return {
        p.relative_to(site_dir).as_posix(): p.read_text("utf-8")
        for p in site_dir.rglob("*")
        if p.suffix in kinds and "pagefind" not in p.parts
    }


@pytest.mark.lent
def test_a_portal_of_two_territory_sites(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    from conftest import build_site
    from tisite.pipeline import build as pipeline_build

    with serve(tmp_path / "a" / "site") as a, contextlib.ExitStack() as running_b:
        b = running_b.enter_context(serve(tmp_path / "b" / "site"))
        build_site(territory_site(tmp_path / "a", a.url, GC))
        project_b = territory_site(tmp_path / "b", b.url, HDC)
        action = project_b / "territoires" / HDC / "actions" / "communication.md"
        text = action.read_text("utf-8")
        action.write_text(
            text.replace("titre: Réaliser", f'titre: "{SCRIPT} Réaliser', 1).replace(
                "actions de communication\n", 'actions de communication"\n', 1
            ),
            "utf-8",
        )
        build_site(project_b)
        root = portal(tmp_path / "portail", [a.url, b.url])
        result = pipeline_build(root, root / "site")
        site = root / "site"
        assert not (site / GC).exists() and not (site / HDC).exists()  # nothing re-hosted
        home = BeautifulSoup((site / "index.html").read_text("utf-8"), "html.parser")
        links = {x.get_text(): x["href"] for x in home.select(".grid.cards a")}
        # each source is a one-territory site: its home is the territory's (its root)
        assert links == {"Grand-Châtellerault": a.url, "Hainaut-Douaisis-Cambrésis": b.url}
        assert "Portail : 2 sources récoltées sur 2, 2 territoires" in "\n".join(result.lines)
        # the portal's catalogue lists its own files only, and each harvested site as a source
        catalogue = json.loads((site / "datapackage.json").read_text("utf-8"))
        assert all((site / r["path"]).is_file() for r in catalogue["resources"])
        assert not [r for r in catalogue["resources"] if r["name"].startswith((GC, HDC))]
        assert [x.get("path") for x in catalogue["sources"][1:]] == sorted([a.url, b.url])
        # the finder's lists (no JavaScript) link every action of both sources to its site
        wanted = set()
        for served in (a, b):
            for data_file in served.folder.glob("*/donnees.json"):
                wanted |= {x["url"] for x in json.loads(data_file.read_text("utf-8"))["actions"]}
        assert len(wanted) > 8
        found = set()
        for page in (site / "actions").rglob("index.html"):
            soup = BeautifulSoup(page.read_text("utf-8"), "html.parser")
            found |= {x["href"] for x in soup.select(".ti-facet-list a")}
        assert wanted <= found
        # the script of one source's title: text in every page, never an element
        files = texts(site)
        shown = 0
        for name, content in files.items():
            if name.endswith(".html"):
                soup = BeautifulSoup(content, "html.parser")
                assert not any(
                    "alert('portail')" in (s.string or "") for s in soup.find_all("script")
                ), name
                shown += SCRIPT in soup.get_text()
            else:
                assert SCRIPT not in content or name.endswith(".json"), name
        assert shown >= 2  # at least the finder's lists
        data = json.loads((site / "territoires.json").read_text("utf-8"))
        assert {t["url"] for t in data["territoires"]} == {a.url, b.url}
        rows = (site / "territoires.csv").read_text("utf-8-sig").splitlines()
        assert {row.rsplit(",", 1)[1] for row in rows[1:]} == {a.url, b.url}
        # source B stopped: the portal still builds, names it in French, keeps its last copy
        running_b.close()
        result = pipeline_build(root, root / "site")
        [problem] = [line for line in result.lines if "portail.sources" in line]
        assert problem.startswith("site.yml:") and "portail.sources[2]" in problem
        assert f"{b.url} : le site est injoignable" in problem
        assert "le portail garde la dernière copie (données du " in problem
        home = BeautifulSoup((root / "site" / "index.html").read_text("utf-8"), "html.parser")
        cards = {
            flat(c.select_one("a").get_text()): flat(c.get_text())
            for c in home.select(".grid.cards li")
        }
        assert set(cards) == {"Grand-Châtellerault", "Hainaut-Douaisis-Cambrésis"}
        assert "dernière copie : données du " in cards["Hainaut-Douaisis-Cambrésis"]
        assert "dernière copie" not in cards["Grand-Châtellerault"]  # A answered
        assert (root / "site" / "actions" / "index.html").read_text("utf-8").count(b.url) >= 1


def test_check_says_the_same_as_the_build(source: Site, tmp_path: Path) -> None:
    from conftest import ti_inprocess

    root = portal(tmp_path / "portail", [source.url])
    good = ti_inprocess("check", "--rapide", cwd=root)
    assert good.returncode == 0, good.stderr
    assert "Portail : 1 source récoltée sur 1, 2 territoires" in good.stderr
    source.behaviours["/federation.json"] = status(500)
    failing = ti_inprocess("check", "--rapide", cwd=root)
    assert failing.returncode == 0
    assert f"{source.url} : {source.url}federation.json répond 500" in failing.stderr
    assert "le portail garde la dernière copie (données du " in failing.stderr
    assert "Contenu valide : 2 territoires" in failing.stdout
    portal(root, [source.url], strict=True)
    strict = ti_inprocess("check", "--rapide", cwd=root)
    assert strict.returncode == 1 and "répond 500" in strict.stderr
    # a portal that has harvested nothing yet: said in words (it said « 0 territoire () »)
    fresh = portal(tmp_path / "neuf", [source.url])
    nothing = ti_inprocess("check", "--rapide", cwd=fresh)
    assert nothing.returncode == 0, nothing.stderr
    assert "Contenu valide : aucun territoire (le portail n'en a encore récolté aucun)." in (
        nothing.stdout
    )


def test_the_workflows_keep_the_last_copies() -> None:
    """The last good copies survive from one CI run to the next (a failing source keeps its
    territory on the portal), and the nightly build harvests again."""
    from ruamel.yaml import YAML

    root = Path(__file__).resolve().parent.parent
    github = YAML(typ="safe").load((root / ".github/workflows/site.yml").read_text("utf-8"))
    cache = next(s for s in github["jobs"]["verifier"]["steps"] if "cache" in s.get("uses", ""))
    assert f".cache/{harvest.FOLDER}" in cache["with"]["path"].split()
    assert github["on"]["schedule"]
    # a key of its own for every run: actions/cache never saves under a key it restored
    # exactly, so with the commit alone the nightly harvest (same commit as the last push)
    # was never kept (partner's review)
    assert "github.run_id" in cache["with"]["key"], cache["with"]["key"]
    assert cache["with"]["restore-keys"].split()[-1] == "rendus-"
    gitlab = YAML(typ="safe").load((root / ".gitlab-ci.yml").read_text("utf-8"))
    assert f".cache/{harvest.FOLDER}" in gitlab["cache"]["paths"]


def test_a_harvested_action_past_its_end_says_so_in_the_search(
    source: Site, tmp_path: Path
) -> None:
    """The finder's result of a harvested action whose planned end passed says « échéance
    dépassée » beside its status, as the site's own actions do (partner's review: only the
    status was said). Control: the actions not past their end say nothing of it."""
    from conftest import build_site
    from tisite import clock
    from tisite.content.loader import load_site as load
    from tisite.generate.actionplan import OVERDUE, is_overdue

    root = portal(tmp_path / "portail", [source.url])
    build_site(root)
    model = load(root, harvest=False)
    late = {a.url for t in model.territories for a in t.actions if is_overdue(a, clock.today())}
    records = [p.read_text("utf-8") for p in (root / ".cache" / "index-recolte").glob("*.html")]
    assert records and late and len(late) < len(records)
    said = [r for r in records if f'data-pagefind-meta="echeance">{OVERDUE}<' in r]
    assert len(said) == len(late)
    assert all(any(f'data-pagefind-meta="lien">{url}<' in r for r in said) for url in late)


@pytest.mark.browser
def test_the_finder_of_a_portal_finds_harvested_actions(
    browser: object, source: Site, tmp_path: Path
) -> None:
    """With JavaScript, /actions/ of a portal lists the harvested actions (an index of the
    portal's own, merged), linked to their sites; a script in a title stays text."""
    from browser import static_server, wait_until
    from conftest import build_site

    edited(source, lambda d: d["actions"][0].update(titre=SCRIPT))
    root = portal(tmp_path / "portail", [source.url])
    site = build_site(root)
    assert (site / "pagefind-portail" / "pagefind-entry.json").is_file()
    origin = source.url.rstrip("/")
    with static_server(site) as base:
        page = browser.new_page()  # type: ignore[attr-defined]
        alerts: list[str] = []
        page.on("dialog", lambda d: (alerts.append(d.message), d.dismiss()))
        page.goto(base + "actions/", wait_until="networkidle")
        status = "document.getElementById('ti-trouveur-etat').textContent"
        wait_until(page, f"/fiche/.test({status}) && !{status}.startsWith('Recherche')")
        assert not page.is_visible("#ti-trouveur-plus")  # every result on the first screen
        shown = page.eval_on_selector_all(
            ".ti-finder__result a", "links => links.map(a => [a.textContent, a.href])"
        )
        assert len(shown) >= 10, shown
        assert all(href.startswith(origin + "/") for _, href in shown), shown
        assert {href.split("/")[3] for _, href in shown} == {GC, HDC}
        assert SCRIPT in [title for title, _ in shown]  # shown as text
        assert alerts == []
        # negative control of the origin check: another site's address is never a link
        link = "([u, o]) => window.tiRecherche.link(u, o)"
        assert page.evaluate(link, ["https://ailleurs.example.net/x/", [origin]]) is None
        assert page.evaluate(link, [f"{origin}/x/", [origin]]) == f"{origin}/x/"
        assert page.evaluate(link, [f"{origin}/x/", None]) is None
        page.close()


@pytest.mark.browser
def test_a_bundle_with_a_payload_in_every_text_field(
    source: Site, tmp_path: Path, browser: object
) -> None:
    """Every string of a harvested bundle stays text in every output of the portal: pages,
    JSON, CSV (formula guard), feeds, search index; nothing runs in a browser."""
    from bs4 import BeautifulSoup

    from browser import injected_script_events, static_server
    from hostile import RUN, YAML_PAYLOADS, make_hostile_bundle

    placed = 0
    for data_file in source.folder.glob("*/donnees.json"):
        data = json.loads(data_file.read_text("utf-8"))
        placed += make_hostile_bundle(data)
        if data["territoire"]["id"] == HDC:  # a name that a spreadsheet would run
            data["territoire"]["nom"] = f"{YAML_PAYLOADS['formule-tableur']} Hainaut"
        data_file.write_text(bundle.dump(data), "utf-8")
    assert placed > 50
    root = portal(tmp_path / "portail", [source.url])
    result = pipeline_build(root, root / "site")
    assert not [line for line in result.lines if "portail.sources" in line]  # all taken
    site = root / "site"
    files = texts(site)
    assert len(files) > 20
    for name, content in files.items():
        if name.endswith(".html"):
            soup = BeautifulSoup(content, "html.parser")
            for tag in soup.find_all(True):
                assert not any(a.startswith("on") for a in tag.attrs), (name, tag)
                assert tag.name != "svg" or "onload" not in str(tag), name
            assert not any(RUN in (s.string or "") for s in soup.find_all("script")), name
        elif name.endswith(".xml"):  # feeds, sitemap: escaped, never an element
            assert "<script" not in content and "<img" not in content, name
    csv = (site / "territoires.csv").read_text("utf-8")
    assert "'=HYPERLINK" in csv and ",=HYPERLINK" not in csv  # a spreadsheet shows it as text
    feed = (site / "rss.xml").read_text("utf-8")
    # the harvested letters, their summaries escaped for feed readers (HTML descriptions)
    assert f"{source.url}{HDC}/lettres/" in feed and "&amp;lt;script&amp;gt;" in feed
    with static_server(site) as base:
        for page in ("", "actions/", "tableau-de-bord/", "actions/statut/en-cours/"):
            assert injected_script_events(browser, base + page) == [], page  # type: ignore[arg-type]


# --- found by an outside review -------------------------------------------------------------


def test_an_address_in_capitals_is_an_address_of_another_site(built_site: Path) -> None:
    """« HTTPS://ailleurs » is the same address as « https://ailleurs » for a browser: it must
    be under the source's origin too (control: the same address in lower case was refused)."""
    text = (built_site / HDC / "donnees.json").read_text("utf-8")
    data = json.loads(text)
    source = data["site"]  # the site that published it
    federation.parse_bundle(text.encode(), source)  # control: its own addresses are taken
    for link in ("https://ailleurs.example.net/hameçon", "HTTPS://ailleurs.example.net/x"):
        data["actions"][0]["url"] = link
        with pytest.raises(federation.Refused, match="adresse hors du site de la source"):
            federation.parse_bundle(json.dumps(data).encode(), source)
    index = (built_site / "federation.json").read_text("utf-8")
    federation.parse_index(index.encode(), source)  # control
    listed = json.loads(index)
    listed["territoires"][0]["donnees"] = "HTTP://127.0.0.2:8802/d.json"
    with pytest.raises(federation.Refused, match="hors du site"):
        federation.parse_index(json.dumps(listed).encode(), source)


def test_an_address_elsewhere_is_never_requested(source: Site, tmp_path: Path) -> None:
    """Whatever a list of bundles names, the harvest asks only the source's own site."""
    with pytest.raises(harvest.Failure, match="n'est pas une adresse du site de la source"):
        harvest.get(None, "http://127.0.0.2:9/x.json", source.url, None, 0.0)  # type: ignore[arg-type]


def test_no_compression_is_asked_and_a_bad_validator_is_not_sent_back(
    source: Site, tmp_path: Path
) -> None:
    asked: list[str] = []
    data = (source.folder / BUNDLE[1:]).read_bytes()

    def answer(h: object) -> None:
        asked.append(h.headers.get("Accept-Encoding", ""))  # type: ignore[attr-defined]
        h.send_response(200)  # type: ignore[attr-defined]
        h.send_header("Content-Type", "application/json")  # type: ignore[attr-defined]
        h.send_header("Content-Length", str(len(data)))  # type: ignore[attr-defined]
        h.send_header("ETag", '"\u00e9t\u00e9"')  # type: ignore[attr-defined]  (not ASCII)
        h.end_headers()  # type: ignore[attr-defined]
        h.wfile.write(data)  # type: ignore[attr-defined]

    source.behaviours[BUNDLE] = answer
    cache = tmp_path / "cache"
    for _ in range(3):  # harvested again and again: never stuck on the stored validator
        outcome = harvest.harvest([source.url], cache)[0]
        assert outcome.problem is None, outcome.problem
    assert asked and set(asked) == {"identity"}
    assert harvest._header_value('"\u00e9t\u00e9"') is None  # control: what would be sent back
    assert harvest._header_value('"abc"') == '"abc"'


def test_one_source_cannot_fill_the_portal(
    source: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outcome = harvest.harvest([source.url], tmp_path / "cache")[0]
    assert outcome.problem is None  # control: within the limit
    # dated by the build's clock (SOURCE_DATE_EPOCH, set for the tests), not the machine's:
    # a portal built « au 30 novembre » never shows « données du 7 décembre »
    assert outcome.copy is not None and outcome.copy.date == clock.now()
    monkeypatch.setattr(harvest, "MAX_SOURCE_BYTES", 1000)
    outcome = harvest.harvest([source.url], tmp_path / "autre")[0]
    assert outcome.problem is not None and "en tout" in outcome.problem


def test_a_number_of_too_many_digits_is_named() -> None:
    with pytest.raises(federation.Refused, match="trop de chiffres"):
        federation.parse_json(b'{"population": ' + b"9" * 100_000 + b"}")
