"""Installs the web editor's files into .cache/editeur/ (`make editeur`).

Decap CMS and the YAML library it is read with come from the npm registry, at pinned versions,
and each package is checked against its pinned integrity before anything is extracted: the
build copies these files to /admin/ and never downloads anything itself.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / ".cache" / "editeur"
# (package, version, integrity published by the registry, folder of the package, kept files)
PACKAGES = (
    (
        "decap-cms",
        "3.16.3",
        "sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw==",
        "package/dist/",
        ("decap-cms.js", ".decap-cms.js", ".wasm", "decap-cms.js.LICENSE.txt"),
        "decap-cms",
    ),
    (
        "yaml",
        "2.9.1",
        "sha512-3NxN8+78OdzbT7C/WjGsyfPAtJaN3FNDsWxv7Y7mcDsT/oOmgW8BpyQQFFBnvZE3j9Y2Sdz1ULFLezL7Eb2yFw==",
        "package/browser/dist/",
        (".js",),
        "yaml",
    ),
)
STAMP = TARGET / "versions.txt"
# SHA-256 of every installed file, committed: the build checks the files against it before
# publishing them (tisite/editor/cms.py), so a changed cache can't slip code into /admin/.
# `python scripts/installer_editeur.py --empreintes` writes it after a version change.
MANIFEST = ROOT / "hooks" / "tisite" / "data" / "editeur-empreintes.json"


def wanted() -> str:
    return "".join(f"{name}@{version}\n" for name, version, *_ in PACKAGES)


def integrity(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def fetch(name: str, version: str, folder: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        sys.exit(
            "npm est introuvable : installez Node.js (paquet Debian « npm »), puis relancez "
            "`make editeur`."
        )
    done = subprocess.run(
        [npm, "pack", "--silent", f"{name}@{version}", "--pack-destination", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"téléchargement de {name}@{version} impossible :\n{done.stderr.strip()}")
    return folder / done.stdout.strip().splitlines()[-1]


def extract(archive: Path, prefix: str, suffixes: tuple[str, ...], target: Path) -> int:
    count = 0
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            if not member.isfile() or not member.name.startswith(prefix):
                continue
            relative = member.name[len(prefix) :]
            if not relative.endswith(suffixes) or relative.endswith(".map"):
                continue
            member.name = relative
            tar.extract(member, target, filter="data")
            count += 1
    return count


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "versions.txt"
    }


def main() -> int:
    write_manifest = "--empreintes" in sys.argv[1:]
    if (
        not write_manifest
        and STAMP.is_file()
        and STAMP.read_text(encoding="utf-8") == wanted()
        and MANIFEST.is_file()
        and digests(TARGET) == json.loads(MANIFEST.read_text(encoding="utf-8"))
    ):
        print("Éditeur web déjà installé (.cache/editeur).")
        return 0
    staging = TARGET.with_name("editeur.nouveau")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, version, expected, prefix, suffixes, folder in PACKAGES:
            archive = fetch(name, version, Path(tmp))
            found = integrity(archive)
            if found != expected:
                shutil.rmtree(staging)
                sys.exit(
                    f"{name}@{version} : l'archive reçue ne correspond pas à l'empreinte "
                    f"attendue ({found} au lieu de {expected}) : rien n'est installé."
                )
            count = extract(archive, prefix, suffixes, staging / folder)
            print(f"{name}@{version} : {count} fichiers, empreinte vérifiée.")
    found = digests(staging)
    if write_manifest:
        MANIFEST.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
        print(f"Empreintes écrites : {MANIFEST.relative_to(ROOT)} ({len(found)} fichiers).")
    elif found != json.loads(MANIFEST.read_text(encoding="utf-8")):
        shutil.rmtree(staging)
        sys.exit(
            "les fichiers installés ne correspondent pas aux empreintes de "
            f"{MANIFEST.relative_to(ROOT)} : rien n'est installé."
        )
    (staging / "versions.txt").write_text(wanted(), encoding="utf-8")
    shutil.rmtree(TARGET, ignore_errors=True)
    staging.rename(TARGET)
    print("Éditeur web installé dans .cache/editeur (copié dans admin/ à chaque construction).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
