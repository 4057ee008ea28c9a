"""Content-Security-Policy of every page: the visitor's browser loads only from the site.

GitHub and GitLab Pages send no custom header, so the policy is a ``<meta http-equiv>`` tag,
the first element of ``<head>`` after the character set. Scripts, styles, images, fonts and
connections come from the site's own origin; inline scripts run only if they are the theme's
own, recognised by their text and allowed by hash. A script that escaped the sanitiser would
still be blocked by the browser (defence in depth).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

# The theme's CSS draws its icons from data: URIs (mask-image); nothing else needs data:.
DIRECTIVES = (
    ("default-src", "'self'"),
    ("img-src", "'self' data:"),
    ("style-src", "'self'"),
    ("font-src", "'self'"),
    ("connect-src", "'self'"),
    ("worker-src", "'self'"),
    ("media-src", "'self'"),
    ("frame-src", "'none'"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
    ("manifest-src", "'self'"),
)
# Pages that are not the theme's (redirections, email copies) run no script at all.
STATIC_PAGE = (
    "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; "
    "form-action 'none'"
)


def static_page(site_url: str | None) -> str:
    """STATIC_PAGE, with images also from the site's public address (the email copy's images
    have absolute URLs, so that they show in mail clients)."""
    match = re.match(r"^https?://[^/?#\s\"';]+", site_url or "")
    if not match:
        return STATIC_PAGE
    return STATIC_PAGE.replace("img-src 'self'", f"img-src 'self' {match.group(0)}")


_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_JINJA_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
_JINJA_STATEMENT = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.S)
_CHARSET = '<meta charset="utf-8">'


def theme_scripts(theme_dirs: Iterable[str | Path]) -> list[re.Pattern[str]]:
    """Patterns of the inline scripts the theme writes, read from its templates.

    A Jinja expression inside a script (the page's base URL) matches a relative URL only.
    """
    patterns: list[re.Pattern[str]] = []
    seen: set[str] = set()
    for folder in theme_dirs:
        for template in sorted((Path(folder) / "partials" / "javascripts").glob("*.html")):
            text = _JINJA_STATEMENT.sub("", template.read_text(encoding="utf-8"))
            for body in _INLINE_SCRIPT.findall(text):
                if body in seen:
                    continue
                seen.add(body)
                parts = _JINJA_EXPRESSION.split(body)
                patterns.append(re.compile(r"[A-Za-z0-9./_-]*".join(map(re.escape, parts))))
    return patterns


def theme_folders(custom_dir: Path) -> list[Path]:
    """The theme's template folders without importing the engine: our overrides, then Material's
    own templates (found where the package is installed, read as files)."""
    import importlib.util

    spec = importlib.util.find_spec("material")
    found = [custom_dir]
    if spec is not None and spec.origin:
        found.append(Path(spec.origin).parent / "templates")
    return found


def static_policy(theme_dirs: Iterable[str | Path], base_urls: Iterable[str]) -> str:
    """The policy of a site built by an engine that runs none of our code (``ti exporter``):
    one policy for every page, written by the theme itself, that allows the theme's inline
    scripts as they are at each of the given base URLs (a script holds its page's base URL)."""
    bodies: set[str] = set()
    for folder in theme_dirs:
        for template in sorted((Path(folder) / "partials" / "javascripts").glob("*.html")):
            text = _JINJA_STATEMENT.sub("", template.read_text(encoding="utf-8"))
            for body in _INLINE_SCRIPT.findall(text):
                parts = _JINJA_EXPRESSION.split(body)
                bodies.update(base.join(parts) for base in base_urls)
    return policy(_hash(body) for body in bodies)


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def policy(script_hashes: Iterable[str], preview: bool = False) -> str:
    """The policy; ``preview`` (``ti serve`` only, never a published page): inline scripts are
    allowed, for the live-reload script that MkDocs injects into every page it serves."""
    scripts = ["'unsafe-inline'"] if preview else sorted(set(script_hashes))
    parts = []
    for name, value in DIRECTIVES:
        parts.append(f"{name} {value}")
        if name == "default-src":
            # 'wasm-unsafe-eval': the search (Pagefind) runs a WebAssembly module of the site;
            # it allows compiling WebAssembly, not eval() or inline scripts
            parts.append(" ".join(["script-src 'self' 'wasm-unsafe-eval'", *scripts]))
    return "; ".join(parts)


def meta_tag(content: str) -> str:
    return f'<meta http-equiv="Content-Security-Policy" content="{content}">'


def protect(output: str, known: list[re.Pattern[str]], preview: bool = False) -> str:
    """The page with its policy: the theme's inline scripts found in it are allowed by hash."""
    hashes = [
        _hash(body)
        for body in _INLINE_SCRIPT.findall(output)
        if any(p.fullmatch(body) for p in known)
    ]
    return with_policy(output, policy(hashes, preview))


def with_policy(output: str, content: str) -> str:
    """Insert the policy before anything that could load or run (after the character set)."""
    tag = meta_tag(content)
    if _CHARSET in output:
        return output.replace(_CHARSET, _CHARSET + tag, 1)
    return re.sub(r"<head>", lambda m: m.group(0) + tag, output, count=1, flags=re.I)
