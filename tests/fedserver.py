"""A territory site for the federation tests: a threaded HTTP server on 127.0.0.1 that serves a
folder (ETag and Last-Modified, answered 304 when unchanged) and, for chosen paths, a hostile
behaviour (error codes, redirects, a silent or slow answer, an endless body)."""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import os
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from tisite.content.harvest import LOCAL_NETWORK

Behaviour = Callable[[BaseHTTPRequestHandler], None]
STAMP = email.utils.formatdate(1_760_000_000, usegmt=True)


@dataclass
class Site:
    folder: Path
    url: str = ""
    behaviours: dict[str, Behaviour] = field(default_factory=dict)
    answers: Counter[int] = field(default_factory=Counter)  # status code → how many
    conditional: bool = True  # ETag and Last-Modified sent (and honoured)
    stop: threading.Event = field(default_factory=threading.Event)  # ends hanging answers

    def path_of(self, url_path: str) -> Path | None:
        rel = url_path.split("?", 1)[0].lstrip("/")
        target = (self.folder / rel).resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_relative_to(self.folder.resolve()) or not target.is_file():
            return None
        return target


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet
            pass

        def send_response(self, code: int, message: str | None = None) -> None:
            site.answers[code] += 1
            super().send_response(code, message)

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            behaviour = site.behaviours.get(path)
            if behaviour is not None:
                behaviour(self)
                return
            target = site.path_of(path)
            if target is None:
                self.send_error(404)
                return
            body = target.read_bytes()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            # If-None-Match first (RFC 9110): a file rewritten within the same second
            asked = self.headers.get("If-None-Match")
            same = asked == etag if asked else self.headers.get("If-Modified-Since") == STAMP
            if site.conditional and same:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(200)
            kind = "application/json" if target.suffix == ".json" else "text/html; charset=utf-8"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if site.conditional:
                self.send_header("ETag", etag)
                self.send_header("Last-Modified", STAMP)
            self.end_headers()
            self.wfile.write(body)

    return Handler


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that leaves mid-answer (the harvester stopping a too big file): quiet."""


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[Site]:
    """Serve ``folder`` on a free port of 127.0.0.1 while the block runs; the harvest may come
    to this machine meanwhile (TI_MOISSON_RESEAU_LOCAL=1: it goes to public sites only)."""
    before = os.environ.get(LOCAL_NETWORK)
    os.environ[LOCAL_NETWORK] = "1"
    try:
        with _serving(folder) as site:
            yield site
    finally:
        if before is None:
            os.environ.pop(LOCAL_NETWORK, None)
        else:
            os.environ[LOCAL_NETWORK] = before


@contextlib.contextmanager
def _serving(folder: Path) -> Iterator[Site]:
    site = Site(folder)
    server = _Server(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.url = f"http://127.0.0.1:{server.server_address[1]}/"
    # shutdown() waits for the loop to look again: every 20 ms, not the default half second
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        site.stop.set()
        server.shutdown()
        server.server_close()


# --- hostile behaviours -----------------------------------------------------------------------


def status(code: int) -> Behaviour:
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(code)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return answer


def body(data: bytes, declared: int | None = None) -> Behaviour:
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data) if declared is None else declared))
        h.end_headers()
        h.wfile.write(data)

    return answer


def redirect(location: str) -> Behaviour:
    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(302)
        h.send_header("Location", location)
        h.send_header("Content-Length", "0")
        h.end_headers()

    return answer


def silent(site: Site) -> Behaviour:
    """Accepts the request, never answers (until the server stops)."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        site.stop.wait(30)

    return answer


def drip(site: Site, data: bytes, pieces: int, pause: float) -> Behaviour:
    """The whole ``data``, in ``pieces`` sent ``pause`` seconds apart (a slow-drip answer:
    every read gets bytes before the read timeout)."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        h.end_headers()
        size = -(-len(data) // pieces)
        for start in range(0, len(data), size):
            try:
                h.wfile.write(data[start : start + size])
                h.wfile.flush()
            except OSError:
                return
            if site.stop.wait(pause):
                return

    return answer


def endless() -> Behaviour:
    """A body that never ends (no Content-Length): 1 MB chunks until the client leaves."""

    def answer(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Connection", "close")
        h.end_headers()
        chunk = b"[" * 0 + b" " * 1_000_000
        for _ in range(50):  # 50 MB at most
            try:
                h.wfile.write(chunk)
            except OSError:
                return

    return answer
