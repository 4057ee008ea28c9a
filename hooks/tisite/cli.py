"""The ``ti`` command: check, build, serve, schemas and scaffolding."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import schema
from .errors import ContentError
from .loader import load_site

SCHEMAS: dict[str, type[schema.Strict]] = {
    "site": schema.Site,
    "territoire": schema.Territoire,
    "priorites": schema.Priorites,
    "gouvernance": schema.Gouvernance,
    "action": schema.Action,
    "lettre": schema.Lettre,
    "agenda": schema.Agenda,
}


def find_root(start: Path) -> Path:
    """The project root: the closest folder holding mkdocs.yml."""
    for folder in [start, *start.parents]:
        if (folder / "mkdocs.yml").is_file():
            return folder
    raise SystemExit(f"mkdocs.yml introuvable dans {start} ni dans ses dossiers parents.")


def cmd_check(args: argparse.Namespace) -> int:
    root = find_root(Path(args.racine).resolve())
    try:
        site = load_site(root, only=args.territoire)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    for warning in site.warnings:
        print(warning.format(), file=sys.stderr)
    names = ", ".join(t.nom for t in site.territories)
    print(f"Contenu valide : {len(site.territories)} territoire(s) ({names}).")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    """Build into a temporary folder, then swap it in: a failed build leaves the old site."""
    root = find_root(Path(args.racine).resolve())
    target = Path(args.site_dir).resolve() if args.site_dir else root / "site"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-", dir=target.parent))
    env = dict(os.environ)
    if args.territoire:
        env["TI_TERRITOIRE"] = args.territoire
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean"]
    command += ["--config-file", str(root / "mkdocs.yml"), "--site-dir", str(tmp)]
    result = subprocess.run(command, env=env, cwd=root, check=False)
    if result.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        print("Échec de la construction : le site précédent est conservé.", file=sys.stderr)
        return result.returncode or 1
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    print(f"Site construit dans {target}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    root = find_root(Path(args.racine).resolve())
    env = dict(os.environ)
    if args.territoire:
        env["TI_TERRITOIRE"] = args.territoire
    if args.brouillons:
        env["TI_BROUILLONS"] = "1"
    command = [sys.executable, "-m", "mkdocs", "serve", "--livereload", "--dev-addr", args.adresse]
    return subprocess.call([*command, "--config-file", str(root / "mkdocs.yml")], env=env, cwd=root)


def json_schemas() -> dict[str, dict[str, object]]:
    out = {}
    for name, model in SCHEMAS.items():
        data = model.model_json_schema(mode="validation")
        data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        data["title"] = f"Territoires d'industrie — {name}.yml"
        out[name] = data
    return out


def cmd_schema(args: argparse.Namespace) -> int:
    root = find_root(Path(args.racine).resolve())
    folder = root / "schemas"
    folder.mkdir(exist_ok=True)
    for name, data in json_schemas().items():
        path = folder / f"{name}.schema.json"
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"Écrit : {path.relative_to(root)}")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ti", description="Sites des Territoires d'industrie")
    p.add_argument(
        "--racine", default=".", help="dossier du projet (par défaut : le dossier courant)"
    )
    sub = p.add_subparsers(dest="commande", required=True)

    check = sub.add_parser("check", help="valide le contenu sans construire le site")
    check.add_argument("--territoire", help="ne valider qu'un territoire (son dossier)")
    check.set_defaults(func=cmd_check)

    build = sub.add_parser("build", help="construit le site public (mode strict)")
    build.add_argument("--territoire", help="ne construire qu'un territoire")
    build.add_argument("--site-dir", help="dossier de sortie (par défaut : site/)")
    build.set_defaults(func=cmd_build)

    serve = sub.add_parser("serve", help="aperçu local avec rechargement automatique")
    serve.add_argument("--territoire", help="ne prévisualiser qu'un territoire")
    serve.add_argument("--brouillons", action="store_true", help="affiche aussi les brouillons")
    serve.add_argument("--adresse", default="127.0.0.1:8000")
    serve.set_defaults(func=cmd_serve)

    sch = sub.add_parser("schema", help="écrit les schémas JSON utilisés par les éditeurs")
    sch.set_defaults(func=cmd_schema)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
