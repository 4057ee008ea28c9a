"""The web editor for real: Decap CMS in Chromium, served by `ti serve` (the preview of
`make serve`), saving through decap-server (`make editeur-local`) into a copy of the example.

A chef de projet creates a letter with a cover image and publishes it, edits the status of a
fiche action and adds an agenda event; each time the file written is checked, `ti check`
accepts the project and the preview shows the change. axe reads the editor's pages.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock
from PIL import Image
from playwright.sync_api import Browser, Page

from browser import free_port, start_preview, start_process, stop_process, until, wait_http
from conftest import ROOT, copy_project, flat, starts_ti, ti_inprocess
from tisite.editor import cms

pytestmark = pytest.mark.browser

DECAP_SERVER = ROOT / ".cache/serveur-editeur/node_modules/decap-server/dist/index.js"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
TERRITORY = "hainaut-douaisis-cambresis"
LOCAL = cms.LOCAL_BACKEND.rsplit("/api", 1)[0]


def _port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture(scope="module")
@starts_ti
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A copy of the example previewed by `ti serve`, with decap-server writing into it."""
    for needed, command in (
        (DECAP_SERVER, "make quality-deps"),
        (ROOT / cms.EDITOR_DIR, "make editeur"),
    ):
        if not needed.exists():
            pytest.fail(f"{needed.relative_to(ROOT)} manque : lancez `{command}`")
    project = _project_with_editor(tmp_path_factory.mktemp("editeur") / "projet")
    with _servers(project) as url:
        yield {"project": project, "url": url}


def _project_with_editor(dest: Path) -> Path:
    project = copy_project(dest)
    (project / ".cache").mkdir()
    (project / cms.EDITOR_DIR).symlink_to(ROOT / cms.EDITOR_DIR)
    return project


@contextlib.contextmanager
def _servers(project: Path, mode: str = "fs") -> Iterator[str]:
    """`ti serve` of ``project``, and decap-server writing into it (« fs » mode, as `make
    editeur-local`; « git » mode: saves on branches, as a forge's merge requests)."""
    local_port = int(LOCAL.rsplit(":", 1)[1])
    # The editor asks for the local server at a fixed port: one test process at a time holds
    # it (the suite's workers may run this module and test_browser_editeur_flux together).
    with FileLock(Path(tempfile.gettempdir()) / f"ti-tests-editeur-{local_port}.lock", 1800):
        yield from _servers_on(project, mode, local_port)


def _servers_on(project: Path, mode: str, local_port: int) -> Iterator[str]:
    assert _port_free(local_port), f"le port {local_port} du serveur local de l'éditeur est pris"
    port = free_port()
    serve = start_preview(project, port)
    local = start_process(
        ["node", str(DECAP_SERVER)],
        cwd=project,
        env={
            "MODE": mode,
            "PORT": str(local_port),
            "BIND_HOST": "127.0.0.1",
            "GIT_REPO_DIRECTORY": str(project),
        },
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url + "admin/", timeout=120)
        until(lambda: not _port_free(local_port) or local.poll() is not None, 60)  # listening
        assert local.poll() is None, "decap-server s'est arrêté au démarrage"
        assert not _port_free(local_port), "decap-server n'écoute pas"
        yield url
    finally:
        logs = stop_process(serve), stop_process(local)
        ARTIFACTS.mkdir(exist_ok=True)
        (ARTIFACTS / f"editeur-{mode}.log").write_text("\n".join(logs), encoding="utf-8")


def _open(browser: Browser, url: str, width: int = 1280) -> tuple[Page, list[str], list[str]]:
    """The editor, signed in through the local server; requests and console errors recorded."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
    page = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(url + "admin/")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector("text=Lettres — Hainaut-Douaisis-Cambrésis", timeout=30_000)
    return page, requests, errors


def _outside(requests: list[str], url: str) -> list[str]:
    return [r for r in requests if not r.startswith((url, LOCAL + "/", "blob:", "data:"))]


def _publish(page: Page) -> None:
    page.get_by_role("button", name="Publier").click()
    page.get_by_text("Publier maintenant").click()
    page.wait_for_selector("text=MODIFICATIONS ENREGISTRÉES", timeout=30_000)


def _wait_for_page(page: Page, url: str, text: str, timeout: float = 90) -> str:
    """The preview rebuilt after the editor's save shows ``text`` at ``url``."""
    deadline = time.monotonic() + timeout
    while True:
        response = page.request.get(url)
        body = response.text() if response.ok else ""
        if text in flat(body):
            return body
        assert time.monotonic() < deadline, f"{url} ne montre pas « {text} »"
        time.sleep(1)


def _written(path: Path, before: str | None, timeout: float = 30) -> str:
    """The file once the editor's save reached the disk (created, or changed from ``before``)."""
    deadline = time.monotonic() + timeout
    while not path.is_file() or path.read_text(encoding="utf-8") == before:
        assert time.monotonic() < deadline, f"{path.name} n'a pas été enregistré"
        time.sleep(0.5)
    return path.read_text(encoding="utf-8")


def _check(project: Path) -> None:
    result = ti_inprocess("check", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contenu valide" in result.stdout


def test_a_letter_with_a_cover_image_written_in_the_browser(
    browser: Browser, editor: dict[str, Any], tmp_path: Path
) -> None:
    project, url = editor["project"], editor["url"]
    letters = project / "territoires" / TERRITORY / "lettres"
    numero = max(int(p.stem) for p in letters.glob("*.md")) + 1
    cover = tmp_path / "usine-au-lever-du-jour.png"
    Image.new("RGB", (1200, 630), (0, 0, 145)).save(cover)
    page, requests, errors = _open(browser, url)
    opened = time.strftime("%Y-%m-%d")  # the editor dates the new letter the day it opens it
    page.goto(url + f"admin/#/collections/lettres-{TERRITORY}/new")
    assert page.get_by_label("Numéro (optionnel)").input_value() == str(numero)
    page.get_by_label("Titre", exact=True).fill("Une lettre écrite dans le navigateur")
    page.get_by_label("Résumé").fill("La première lettre rédigée dans l'éditeur du site.")
    page.get_by_role("button", name="Choisir une image").click()
    page.set_input_files("input[type=file]", str(cover))
    page.get_by_role("button", name="Choisir les éléments sélectionnés").click()
    # an image without its alt text is refused before the save, in French (schema's
    # « dependentRequired »), not only by the CI afterwards
    page.get_by_role("button", name="Publier").click()
    page.get_by_text("Publier maintenant").click()
    page.get_by_text("« Texte alternatif de l'image » est obligatoire avec « Image »").wait_for(
        timeout=15_000
    )
    assert not list(letters.glob(f"{numero}.md"))
    page.get_by_label("Texte alternatif de l'image (optionnel)").fill(
        "Façade bleue d'une usine au lever du jour."
    )
    body = page.locator("[contenteditable=true]").last  # the letter's Markdown (raw mode)
    assert body.inner_text().startswith("## Actualité nationale")
    body.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.type("Un atelier **industrie du futur** à Douai.")
    assert page.get_by_label("Brouillon (optionnel)").is_checked()  # a new letter is a draft
    page.get_by_label("Brouillon (optionnel)").click()  # published: unticked
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "editeur-lettre-1280.png"))
    _publish(page)
    path = letters / f"{numero}.md"
    text = _written(path, None)
    # that day, or the next when the test runs across midnight
    assert any(
        text.startswith(
            "---\n# yaml-language-server: $schema=../../../schemas/lettre.schema.json\n"
            "titre: Une lettre écrite dans le navigateur\n"
            f"date: {day}\n"
            "resume: La première lettre rédigée dans l'éditeur du site.\n"
            "image_alt: Façade bleue d'une usine au lever du jour.\n"
            "image: images/usine-au-lever-du-jour.png\n"
            "brouillon: false\n---\n## Actualité nationale\n"
        )
        for day in {opened, time.strftime("%Y-%m-%d")}
    ), text
    assert "numero" not in text  # the number names the file only
    saved = letters / "images" / "usine-au-lever-du-jour.png"
    assert saved.read_bytes() == cover.read_bytes()
    _check(project)
    html = _wait_for_page(
        page, f"{url}{TERRITORY}/lettres/{numero}/", "Une lettre écrite dans le navigateur"
    )
    assert "industrie du futur" in html
    cover_html = re.search(r'<figure class="ti-cover"><img [^>]+>', html)
    assert cover_html is not None
    assert "usine-au-lever-du-jour" in cover_html.group(0)
    assert "Façade bleue d" in cover_html.group(0)  # the alt text
    assert not _outside(requests, url), _outside(requests, url)
    assert not [e for e in errors if "Content Security Policy" in e and "inline" not in e], errors
    page.context.close()


def _choose(page: Page, field: Any, value: str) -> None:
    """A Decap menu (react-select): open it, pick the option."""
    field.click()
    page.get_by_role("option", name=value, exact=True).click()


def test_an_action_status_changed_in_the_browser(browser: Browser, editor: dict[str, Any]) -> None:
    project, url = editor["project"], editor["url"]
    path = project / "territoires" / TERRITORY / "actions" / "ateliers-intercommunalites.md"
    before = path.read_text(encoding="utf-8")
    page, requests, _ = _open(browser, url)
    page.goto(url + f"admin/#/collections/actions-{TERRITORY}/entries/ateliers-intercommunalites")
    page.get_by_role("button", name="Ajouter avancement").click()
    page.locator("input[id^='date-field']").last.fill("2026-11-20")
    _choose(page, page.locator("input[id^='phase-field']").last, "Opération")
    _choose(page, page.locator("input[id^='statut-field']").last, "Terminé")
    page.locator("input[id^='commentaire-field']").last.fill("Douze intercommunalités formées.")
    page.screenshot(path=str(ARTIFACTS / "editeur-action-1280.png"))
    _publish(page)
    text = _written(path, before)
    assert text.startswith(
        "---\n# yaml-language-server: $schema=../../../schemas/action.schema.json\ntitre: "
    )
    assert (
        "  - date: 2026-11-20\n    phase: Opération\n    statut: Terminé\n"
        "    commentaire: Douze intercommunalités formées.\n"
    ) in text, text
    assert "partenaires:\n  - Intercommunalités du territoire\n" in text  # short form kept
    assert text.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]  # description intact
    _check(project)
    _wait_for_page(page, f"{url}{TERRITORY}/plan-action/ateliers-intercommunalites/", "Terminé")
    assert not _outside(requests, url), _outside(requests, url)
    page.context.close()


def test_an_agenda_event_added_in_the_browser(browser: Browser, editor: dict[str, Any]) -> None:
    project, url = editor["project"], editor["url"]
    path = project / "territoires" / TERRITORY / "agenda.yml"
    before = path.read_text(encoding="utf-8")
    page, requests, _ = _open(browser, url)
    page.goto(url + f"admin/#/collections/territoire-{TERRITORY}/entries/agenda")
    page.get_by_role("button", name="Ajouter événements").click()
    page.locator("input[id^='titre-field']").last.fill("Matinale de l'industrie à Valenciennes")
    page.locator("input[id^='date-field']").last.fill("2027-02-04T08:30")
    page.locator("input[id^='lieu-field']").last.fill("Valenciennes, CCI Grand Hainaut")
    _publish(page)
    text = _written(path, before)
    assert text.startswith("# yaml-language-server: $schema=../../schemas/agenda.schema.json\n")
    assert (
        "  - titre: Matinale de l'industrie à Valenciennes\n"
        "    date: 2027-02-04T08:30\n"
        "    lieu: Valenciennes, CCI Grand Hainaut\n"
    ) in text, text
    _check(project)
    _wait_for_page(page, f"{url}{TERRITORY}/agenda/", "Matinale de l'industrie à Valenciennes")
    assert not _outside(requests, url), _outside(requests, url)
    page.context.close()


def test_the_editor_pages_read_by_axe(browser: Browser, editor: dict[str, Any]) -> None:
    """axe on the sign-in page, a collection and a letter's form, at 375 and 1280 px. What
    our page owns (language, title, viewport, our styles' contrast) must pass; Decap's own
    findings are written to test-artifacts/editeur-axe.json and listed in the guide."""
    url = editor["url"]
    report: dict[str, list[str]] = {}
    # ours: the page around Decap, and what ti-editeur.css and ti-editeur.js fix in Decap
    ours = {
        "html-has-lang",
        "html-lang-valid",
        "document-title",
        "meta-viewport",
        "color-contrast",
        "frame-title",
        "aria-input-field-name",
    }
    for width in (375, 1280):
        context = browser.new_context(
            viewport={"width": width, "height": 800}, locale="fr-FR", bypass_csp=True
        )
        page = context.new_page()
        page.goto(url + "admin/")
        page.get_by_role("button", name="Se connecter").wait_for()
        views = [("connexion", None)]
        views += [("collection", f"admin/#/collections/lettres-{TERRITORY}")]
        views += [("lettre", f"admin/#/collections/lettres-{TERRITORY}/entries/15")]
        for name, address in views:
            if address is None:
                page.screenshot(path=str(ARTIFACTS / f"editeur-connexion-{width}.png"))
            else:
                if name == "collection":
                    page.get_by_role("button", name="Se connecter").click()
                page.goto(url + address)
                _shown(page, name)
                page.screenshot(path=str(ARTIFACTS / f"editeur-{name}-{width}.png"))
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
            found = [f"{v['id']} ({v['impact']}, {len(v['nodes'])})" for v in result["violations"]]
            report[f"{name}-{width}"] = found
            mine = [v["id"] for v in result["violations"] if v["id"] in ours]
            assert not mine, f"{name} à {width} px : {mine}"
        # control: without our stylesheet, Decap's grey texts fail the contrast rule
        page.evaluate("document.querySelector('link[href=\"ti-editeur.css\"]').remove()")
        page.goto(url + f"admin/#/collections/lettres-{TERRITORY}")
        _shown(page, "collection")
        control = page.evaluate(
            "async () => (await axe.run(document, {runOnly: ['color-contrast']})).violations"
        )
        assert control, "sans ti-editeur.css, axe devrait trouver des contrastes insuffisants"
        context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "editeur-axe.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8"
    )


def test_gitlab_sign_in_goes_to_the_forge_with_pkce(browser: Browser, tmp_path: Path) -> None:
    """The published editor, with site.yml's « edition » for GitLab: « Se connecter » leads
    to the forge's authorisation page with a PKCE challenge and the site's /admin/ as return
    address; the page asks nothing of any other host before."""
    from browser import static_server

    project = copy_project(tmp_path / "projet")
    (project / ".cache").mkdir()
    (project / cms.EDITOR_DIR).symlink_to(ROOT / cms.EDITOR_DIR)
    with (project / "site.yml").open("a", encoding="utf-8") as f:
        f.write(
            "edition:\n  forge: gitlab\n  depot: territoires/mon-site\n"
            "  application_id: abc123\n  url_forge: https://gitlab.exemple.org\n"
        )
    result = ti_inprocess("build", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    with static_server(project / "site") as url:
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        seen: list[str] = []
        page.on("request", lambda r: seen.append(r.url))
        authorise: list[str] = []

        def forge(route: Any) -> None:
            authorise.append(route.request.url)
            route.fulfill(status=200, body="forge", content_type="text/plain")

        context.route("https://gitlab.exemple.org/**", forge)
        page.goto(url + "admin/")
        page.get_by_role("button", name="Se connecter avec GitLab").click()
        until(lambda: authorise, 30, lambda: page.wait_for_timeout(50))  # the forge asked
        assert authorise, seen
        assert authorise[0].startswith("https://gitlab.exemple.org/oauth/authorize?")
        assert "client_id=abc123" in authorise[0]
        assert "code_challenge_method=S256" in authorise[0]
        assert "code_challenge=" in authorise[0]
        before = seen[: seen.index(authorise[0])] if authorise[0] in seen else seen
        assert not [r for r in before if not r.startswith(url)], before
        context.close()


HOSTILE = (
    '<img src="x" onerror="window.tiPwned=1">\n\n<script>window.tiPwned = 2</script>\n\n'
    "[lien](javascript:window.tiPwned=3)\n"
)


def _shown(page: Page, view: str) -> None:
    """Waits until the editor shows ``view``: the letters' list (« collection ») or a letter
    and its preview (« lettre »)."""
    if view == "collection":  # the list's entries, no letter open (its title names the list)
        page.wait_for_url(f"**/collections/lettres-{TERRITORY}", timeout=30_000)
        page.wait_for_selector("#preview-pane", state="detached", timeout=30_000)
        entries = f'a[href*="/collections/lettres-{TERRITORY}/entries/"]'
        page.locator(entries).first.wait_for(timeout=30_000)
    else:
        page.wait_for_selector("#preview-pane", timeout=30_000)
        page.frame_locator("#preview-pane").locator("h1, h2, p").first.wait_for(timeout=30_000)


def _pwned(page: Page) -> list[Any]:
    return [f.evaluate("() => window.tiPwned") for f in page.frames if f.url != "about:srcdoc"] + [
        f.evaluate("() => window.tiPwned") for f in page.frames if f.url == "about:srcdoc"
    ]


def _hostile_preview(
    browser: Browser, url: str, bypass_csp: bool, sanitize: bool, runs: bool = False
) -> list[Any]:
    """What the hostile letter's script set in the editor's preview; ``runs``: the control,
    where it must run (waited for); otherwise it is read once the preview's images have loaded
    or failed (the image's error handler is the first to run) and a short while after."""
    context = browser.new_context(bypass_csp=bypass_csp, locale="fr-FR")
    if not sanitize:

        def unsanitized(route: Any) -> None:
            body = (
                route.fetch()
                .text()
                .replace('"sanitize_preview": true', '"sanitize_preview": false')
            )
            route.fulfill(body=body, content_type="application/json")

        context.route("**/admin/config.json", unsanitized)
    page = context.new_page()
    page.goto(url + "admin/")
    page.get_by_role("button", name="Se connecter").click()
    page.goto(url + f"admin/#/collections/lettres-{TERRITORY}/entries/16")
    page.wait_for_selector("#preview-pane", timeout=30_000)
    preview = page.frame_locator("#preview-pane")
    preview.get_by_text("lien", exact=True).first.wait_for(timeout=30_000)  # the body shown
    links = preview.locator("a")
    for i in range(links.count()):  # a javascript: link runs only if clicked
        links.nth(i).click(timeout=5000)

    def pause() -> None:  # Playwright delivers the page's events meanwhile
        page.wait_for_timeout(50)

    if runs:
        until(lambda: any(s is not None for s in _pwned(page)), 30, pause)
    else:
        images = preview.locator("img")
        loaded = "all => all.every(i => i.complete)"
        assert until(lambda: images.evaluate_all(loaded), 30, pause), (
            "les images de l'aperçu ne se chargent pas"
        )
        page.wait_for_timeout(500)  # nothing may run: a time is the only bound
    seen = [s for s in _pwned(page) if s is not None]
    context.close()
    return seen


def test_hostile_markdown_stays_inert_in_the_editor_preview(
    browser: Browser, editor: dict[str, Any]
) -> None:
    """A letter opened in the editor with script in its Markdown (a partner's pull request):
    the preview runs none of it. Two layers, each shown alone: Decap's sanitiser
    (« sanitize_preview », set on every Markdown field) and the page's policy (no inline
    script). Control: with both off, the same letter runs its script."""
    project, url = editor["project"], editor["url"]
    path = project / "territoires" / TERRITORY / "lettres" / "16.md"
    original = path.read_text(encoding="utf-8")
    path.write_text(original.rstrip("\n") + "\n\n" + HOSTILE, encoding="utf-8")
    try:
        assert _hostile_preview(browser, url, bypass_csp=False, sanitize=True) == []
        assert _hostile_preview(browser, url, bypass_csp=True, sanitize=True) == []
        assert _hostile_preview(browser, url, bypass_csp=False, sanitize=False) == []
        control = _hostile_preview(browser, url, bypass_csp=True, sanitize=False, runs=True)
        assert control, "contrôle : sans politique ni nettoyage, le script devrait s'exécuter"
    finally:
        path.write_text(original, encoding="utf-8")


def test_the_editor_does_not_start_in_a_frame(
    browser: Browser, editor: dict[str, Any], tmp_path: Path
) -> None:
    """Another site can't show the editor in a frame and steer clicks on it (the hosts send
    no frame-ancestors header). Control: the same page opened directly starts."""
    from browser import static_server

    url = editor["url"]
    (tmp_path / "index.html").write_text(
        f'<!doctype html><title>Autre site</title><iframe src="{url}admin/"></iframe>',
        encoding="utf-8",
    )
    with static_server(tmp_path) as other:  # another origin: another port
        context = browser.new_context(locale="fr-FR")
        page = context.new_page()
        page.goto(other)
        frame = page.frame_locator("iframe")
        frame.locator("text=l'éditeur ne s'ouvre pas dans un cadre").wait_for(timeout=30_000)
        assert frame.get_by_role("button", name="Se connecter").count() == 0
        page.goto(url + "admin/")
        page.get_by_role("button", name="Se connecter").wait_for(timeout=30_000)
        context.close()


def _replacing(old: str, new: str, kind: str) -> Any:
    """A route handler that serves the file with ``old`` replaced by ``new``."""

    def edited(route: Any) -> None:
        body = route.fetch().text()
        assert old in body, old
        route.fulfill(body=body.replace(old, new), content_type=kind)

    return edited


def _signed_in(
    browser: Browser,
    url: str,
    config: tuple[str, str] | None = None,
    script: tuple[str, str] | None = None,
) -> Page:
    """The editor after « Se connecter », with ``config.json`` or ``ti-editeur.js`` changed
    on the way (``(text, replacement)``: the negative controls)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    for pattern, change, kind in (
        ("**/admin/config.json", config, "application/json"),
        ("**/admin/ti-editeur.js", script, "text/javascript"),
    ):
        if change is not None:
            context.route(pattern, _replacing(*change, kind))
    page = context.new_page()
    page.goto(url + "admin/")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_selector(f"text=Lettres — {HDC}", timeout=30_000)
    return page


HDC = "Hainaut-Douaisis-Cambrésis"
COVER = "couverture-bilan-relance.jpg"  # in lettres/images/ of the example


def _library_of_a_new_letter(page: Page, url: str) -> None:
    page.goto(url + f"admin/#/collections/lettres-{TERRITORY}/new")
    page.get_by_role("button", name="Choisir une image").click()


def test_the_image_library_of_a_new_letter_lists_the_letters_images(
    browser: Browser, editor: dict[str, Any]
) -> None:
    url = editor["url"]
    page = _signed_in(browser, url)
    _library_of_a_new_letter(page, url)
    page.get_by_text(COVER).first.wait_for(timeout=30_000)
    assert page.get_by_role("button", name="Téléverser une image").is_visible()  # the guide's
    page.context.close()
    # control: the folder relative to the letter (the former setting) is empty for a new one
    folder = f"/territoires/{TERRITORY}/lettres/images"
    page = _signed_in(
        browser, url, config=(f'"media_folder": "{folder}"', '"media_folder": "images"')
    )
    _library_of_a_new_letter(page, url)
    page.get_by_text("Aucune image trouvée").wait_for(timeout=30_000)
    assert not page.get_by_text(COVER).count()
    page.context.close()


MISSING_WORDS = """() => {
  const keys = (o, p = "") => Object.entries(o).flatMap(([k, v]) =>
    v && typeof v === "object" ? keys(v, p + k + ".") : [p + k]);
  const fr = new Set(keys(window.CMS.getLocale("fr")));
  return keys(window.CMS.getLocale("en")).filter((k) => !fr.has(k));
}"""


def _speaks_french(page: Page, url: str) -> list[str]:
    """What the editor still says in English or as a file does: header, words Decap's French
    lacks (it falls back to English), ISO dates in the list, « true » in a help line."""
    found: list[str] = []
    header = page.locator("header").first.inner_text()
    if "Media" in header or "Images" not in header:
        found.append(f"en-tête : {header!r}")
    found += page.evaluate(MISSING_WORDS)
    page.goto(url + f"admin/#/collections/lettres-{TERRITORY}")
    page.get_by_text("Décarbonation de l'industrie").first.wait_for(timeout=30_000)
    listed = page.locator("main").inner_text() if page.locator("main").count() else ""
    listed = listed or page.inner_text("body")
    if re.search(r"\(\d{4}-\d{2}-\d{2}\)", listed):
        found.append("date ISO dans la liste")
    if "(15/11/2022)" not in listed:
        found.append("date de la lettre 15 absente de la liste")
    page.goto(url + f"admin/#/collections/lettres-{TERRITORY}/entries/15")
    page.get_by_text("Activé : la lettre n'est pas publiée.").or_(
        page.get_by_text("true : la lettre n'est pas publiée.")
    ).first.wait_for(timeout=30_000)
    if "true :" in page.inner_text("body"):
        found.append("« true : » dans une aide")
    return found


def test_the_editor_speaks_french_with_the_guides_words(
    browser: Browser, editor: dict[str, Any]
) -> None:
    url = editor["url"]
    page = _signed_in(browser, url)
    assert _speaks_french(page, url) == []
    page.context.close()
    # controls: Decap's own French, the former list summary, the schema's help as it is
    register = 'window.CMS.registerLocale("fr", merged(window.CMS.getLocale("fr"), FRENCH));'
    page = _signed_in(browser, url, script=(register, ""))
    found = _speaks_french(page, url)
    assert any(f.startswith("en-tête") for f in found), found
    assert "editor.editorWidgets.datetime.setToNow" in found, found
    page.context.close()
    summary = "{{titre}} ({{date | date('DD/MM/YYYY')}})"
    hint = "Activé : la lettre n'est pas publiée."
    page = _signed_in(
        browser,
        url,
        config=(json.dumps(summary)[1:-1], "{{titre}} ({{date}})"),
    )
    assert "date ISO dans la liste" in _speaks_french(page, url)
    page.context.close()
    page = _signed_in(browser, url, config=(hint, "true : la lettre n'est pas publiée."))
    assert "« true : » dans une aide" in _speaks_french(page, url)
    page.context.close()
