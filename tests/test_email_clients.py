"""The document a chef de projet pastes into the mailing tool (envoi.html), checked against
what Gmail and Outlook accept (doiuse-email, from the data of caniemail.com): nothing they
refuse but the features kept on purpose, each with what happens in the clients that drop it
(the contributor guide, « Envoyer la lettre par courriel », says the same)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.courriel
ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT / ".cache/outils/courriel/node_modules/doiuse-email/bin/cli.js"
CLIENTS = ("gmail.*", "outlook.*")

# Feature (as doiuse-email names it) → the clients that drop it, and what the reader gets there.
KEPT_ON_PURPOSE = {
    "@media": (
        {"gmail.mobile-webmail", "outlook.windows", "outlook.windows-mail"},
        "la colonne fluide de 600 px au plus, avec les marges d'un écran large",
    ),
    "<body> element": (
        {"outlook.ios", "outlook.android"},
        "le fond gris vient du tableau qui entoure la lettre, pas de <body>",
    ),
    "role attribute": (
        {"outlook.windows-mail"},
        "les tableaux de mise en page sont annoncés comme des tableaux",
    ),
    "word-break": (
        {"outlook.windows-mail"},
        "une très longue adresse de lien peut élargir le message",
    ),
}


def doiuse_email() -> Path:
    tool = Path(os.environ.get("DOIUSE_EMAIL") or DEFAULT)
    if not tool.is_file() or shutil.which("node") is None:
        raise RuntimeError(
            f"doiuse-email absent ({tool}) ou Node.js absent : lancez `make quality-deps` "
            "(ou `make test`, qui l'installe)."
        )
    return tool


def refused(document: Path) -> dict[str, set[str]]:
    """Feature → the clients of Gmail and Outlook that do not support it."""
    found: dict[str, set[str]] = {}
    for clients in CLIENTS:
        result = subprocess.run(
            ["node", str(doiuse_email()), f"--email-clients={clients}", str(document)],
            capture_output=True,
            text=True,
            check=False,
        )
        report = json.loads(result.stdout)
        for error in report.get("errors", []):
            feature, _, client = error.partition(" is not supported by ")
            found.setdefault(feature.strip("`"), set()).add(client.strip("`"))
    return found


def test_the_document_to_send_keeps_to_what_gmail_and_outlook_support(built_site: Path) -> None:
    sent = sorted(built_site.rglob("envoi.html"))
    assert sent
    for document in sent:
        features = refused(document)
        unexpected = {
            feature: clients
            for feature, clients in features.items()
            if not clients <= KEPT_ON_PURPOSE.get(feature, (set(), ""))[0]
        }
        assert not unexpected, f"{document.relative_to(built_site)} : {unexpected}"


def test_the_check_sees_what_a_client_refuses(built_site: Path) -> None:
    """Negative control: the web copy keeps its <link rel="canonical"> (a web page), which
    Gmail and Outlook on phones refuse; the check reports it."""
    copy = built_site / "hainaut-douaisis-cambresis/lettres/15/email.html"
    assert '<link rel="canonical"' in copy.read_text(encoding="utf-8")
    features = refused(copy)
    assert {"gmail.ios", "outlook.android"} <= features.get("<link> element", set()), features
    sent = copy.with_name("envoi.html").read_text(encoding="utf-8")
    assert "<link" not in sent


def test_the_tool_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """doiuse-email is part of the test tools: a missing one is an error, never a skip."""
    assert doiuse_email().is_file()
    monkeypatch.setenv("DOIUSE_EMAIL", "/inexistant/cli.js")
    with pytest.raises(RuntimeError, match="make quality-deps"):
        doiuse_email()
