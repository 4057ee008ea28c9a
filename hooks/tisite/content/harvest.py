"""Harvesting a national portal's sources (site.yml « portail: sources: »), with httpx.

For each source, its list of bundles (``federation.json`` at its root), then every bundle it
lists, each checked (tisite.content.federation) before anything is kept:

- concurrent, at most WORKERS sources at a time; a deadline per source (all its requests), a
  timeout per connection and read;
- at most MAX_REDIRECTS redirections, each followed by hand and only within the source's
  origin;
- at most MAX_BYTES per file, counted while reading (a false Content-Length changes nothing;
  no compression asked), MAX_SOURCE_BYTES per source;
- conditional requests (ETag, Last-Modified): an unchanged file is answered 304;
- a disk cache, ``.cache/portail/``, that keeps the last good copy of each source with its
  date: a source that fails is shown from it, and the build still passes.

A build whose site.yml lists no source never comes here: no network request at all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import ipaddress
import json
import os
import socket
import ssl
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpcore
import httpx

from tisite import clock
from tisite.clock import PARIS
from tisite.content import federation, sources
from tisite.content.errors import Problem, Severity
from tisite.content.federation import Refused
from tisite.content.models import Territory
from tisite.generate.textutil import agree, line_of, plural

CACHE = ".cache"

FOLDER = "portail"  # under .cache/
MAX_BYTES = 5_000_000  # one file (a real bundle: about 60 KB for 12 actions)
MAX_SOURCE_BYTES = 20_000_000  # every file of one source together
MAX_REDIRECTS = 3
WORKERS = 16
TIMEOUT = 10.0  # seconds, for each connection and each read
DEADLINE = 30.0  # seconds, for all the requests of one source
USER_AGENT = "territoires-industrie-portail (+https://github.com/)"


LOCAL_NETWORK = "TI_MOISSON_RESEAU_LOCAL"  # « 1 »: sources on this machine or its network


class Failure(Exception):
    """Why a source could not be harvested (French)."""


class NotPublic(Exception):
    """A source's host is, or resolves to, an address that is not on the public Internet."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(host, address)
        self.host, self.address = host, address


def _ip(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # without an IPv6 zone
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped  # « ::ffff:127.0.0.1 » is 127.0.0.1
    return ip


# IPv6 ranges that carry an IPv4 address (NAT64, 6to4, the former « IPv4-compatible »): the
# IPv4 address inside is the one reached, and must be public too
_LOW32, _BITS_6TO4 = 0xFFFFFFFF, 80  # where the IPv4 address sits in each range


def _low(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(int(ip) & _LOW32)


def _six_to_four(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address((int(ip) >> _BITS_6TO4) & _LOW32)


_CARRIERS = (
    (ipaddress.ip_network("64:ff9b::/96"), _low),
    (ipaddress.ip_network("64:ff9b:1::/48"), _low),
    (ipaddress.ip_network("::/96"), _low),
    (ipaddress.ip_network("2002::/16"), _six_to_four),
)
_SITE_LOCAL = ipaddress.ip_network("fec0::/10")  # deprecated, still routed inside some networks


def _public(address: str) -> bool:
    """An address of the public Internet. This computer and its network are reached only
    with TI_MOISSON_RESEAU_LOCAL=1 (a trial, « http://127.0.0.1:8000/ »; an internal
    network), which connects without this check (see harvest)."""
    ip = _ip(address)
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in _SITE_LOCAL:
            return False
        for network, inner in _CARRIERS:
            if ip in network:
                carried = inner(ip)
                return carried.is_global and not carried.is_multicast
    return ip.is_global and not ip.is_multicast


class _PublicOnly(httpcore.SyncBackend):
    """Connects only to public addresses: a source on the portal's machine or network
    (« http://127.0.0.1:2375/ », or a name that points to 169.254.169.254, a cloud machine's
    secrets) is never asked: the harvest runs in the portal's CI. The name is resolved here
    and the connection made to the address that was checked, so that a second answer of the
    name server cannot send it elsewhere (the certificate is still checked against the name).
    TI_MOISSON_RESEAU_LOCAL=1 allows them (a trial on one's machine, an internal network)."""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:  # a name no server knows
            raise httpcore.ConnectError(f"{host} : nom introuvable") from exc
        addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
        for address in addresses:
            if not _public(address):
                raise NotPublic(host, address)
        error: Exception = httpcore.ConnectError(f"{host} : aucune adresse")
        for address in addresses:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        raise error


@dataclass(frozen=True)
class Entry:
    """One file of a source as last received (its text was checked)."""

    url: str
    body: str
    etag: str | None = None
    modified: str | None = None


@dataclass(frozen=True)
class Copy:
    """The last good copy of a source: its list of bundles and the bundles, with its date."""

    source: str
    date: dt.datetime  # when it was last harvested without a problem (UTC)
    index: Entry
    bundles: tuple[Entry, ...]


@dataclass
class Outcome:
    """What a source gave this build: the copy to use (None: never harvested) and the
    problem of this harvest (None: the copy is fresh)."""

    source: str
    copy: Copy | None
    problem: str | None = None
    received: int = 0  # files answered 200
    unchanged: int = 0  # files answered 304
    before: Copy | None = None  # the copy kept before this harvest (its territories came first)


# --- the disk cache ---------------------------------------------------------------------------


def _cache_file(folder: Path, source: str) -> Path:
    return folder / f"{hashlib.sha256(source.encode('utf-8')).hexdigest()[:32]}.json"


def read_copy(folder: Path, source: str) -> Copy | None:
    """The last good copy of ``source`` kept in ``folder`` (None if none, or unreadable)."""
    try:
        data = json.loads(_cache_file(folder, source).read_text(encoding="utf-8"))
        if data["source"] != source:
            return None
        return Copy(
            source,
            dt.datetime.fromisoformat(data["date"]),
            Entry(**data["index"]),
            tuple(Entry(**e) for e in data["bundles"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_copy(folder: Path, copy: Copy) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    target = _cache_file(folder, copy.source)
    data = {
        "source": copy.source,
        "date": copy.date.isoformat(),
        "index": dataclasses.asdict(copy.index),
        "bundles": [dataclasses.asdict(e) for e in copy.bundles],
    }
    tmp = target.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, target)


# --- one request ------------------------------------------------------------------------------


def _seconds(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def get(
    client: httpx.Client, url: str, source: str, previous: Entry | None, deadline: float
) -> tuple[Entry, bool]:
    """``url`` (of ``source``), conditionally if ``previous`` is given: (entry, changed).
    Raises Failure."""
    if not federation.same_origin(url, source):  # whatever a list of bundles names
        raise Failure(f"{federation.shown(url)} n'est pas une adresse du site de la source")
    # identity: what is counted (MAX_BYTES) is what is read, never a compressed bomb
    headers = {"Accept": "application/json", "Accept-Encoding": "identity"}
    if previous is not None and previous.url == url:
        etag, modified = _header_value(previous.etag), _header_value(previous.modified)
        if etag:
            headers["If-None-Match"] = etag
        if modified:
            headers["If-Modified-Since"] = modified
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Failure(f"le site ne répond pas à temps (plus de {_seconds(DEADLINE)} s)")
        request = client.build_request(
            "GET", current, headers=headers, timeout=httpx.Timeout(min(TIMEOUT, remaining))
        )
        try:
            response = client.send(request, stream=True)
        except NotPublic as exc:
            raise Failure(
                f"{federation.shown(current)} : {federation.shown(exc.host)} est une adresse "
                f"du réseau local ({federation.shown(exc.address)}), pas un site public : la "
                f"récolte n'y va pas (pour un essai sur cette machine ou des sites d'un réseau "
                f"interne : {LOCAL_NETWORK}=1)"
            ) from None
        except httpx.TimeoutException:
            raise Failure(
                f"le site ne répond pas à temps (plus de {_seconds(TIMEOUT)} s)"
            ) from None
        except httpx.HTTPError:
            raise Failure(f"le site est injoignable ({current})") from None
        try:
            if response.has_redirect_location:
                target = urljoin(current, response.headers.get("location", ""))
                if not federation.same_origin(target, source):
                    raise Failure(
                        f"{current} redirige hors du site de la source, vers "
                        f"« {federation.shown(target)} »"
                    )
                current = target
                continue
            if response.status_code == 304 and previous is not None and previous.url == url:
                return previous, False
            if response.status_code != 200:
                reason = federation.shown(response.reason_phrase or "")  # the server's text
                raise Failure(f"{current} répond {response.status_code} {reason}".rstrip())
            return _read(response, url, deadline), True
        except httpx.TimeoutException:
            raise Failure(
                f"le site ne répond pas à temps (plus de {_seconds(TIMEOUT)} s)"
            ) from None
        except httpx.HTTPError:
            raise Failure(f"la réponse de {current} a été interrompue") from None
        finally:
            response.close()
    raise Failure(f"{url} : plus de {MAX_REDIRECTS} redirections")


def _header_value(value: str | None) -> str | None:
    """A validator (ETag, Last-Modified) that can be sent back: printable ASCII only (another
    one could never be written in a request, and the source would stay stuck)."""
    if value and value.isascii() and value.isprintable() and len(value) <= 200:
        return value
    return None


def _too_big(url: str) -> Failure:
    return Failure(f"{url} est trop volumineux (plus de {MAX_BYTES // 1_000_000} Mo)")


def _read(response: httpx.Response, url: str, deadline: float) -> Entry:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BYTES:
        raise _too_big(url)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_raw():
        size += len(chunk)
        if size > MAX_BYTES:
            raise _too_big(url)
        if time.monotonic() > deadline:
            raise Failure(f"le site ne répond pas à temps (plus de {_seconds(DEADLINE)} s)")
        chunks.append(chunk)
    body = b"".join(chunks)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise Failure(f"{url} n'est pas du texte UTF-8") from None
    etag, modified = response.headers.get("etag"), response.headers.get("last-modified")
    return Entry(url, text, _header_value(etag), _header_value(modified))


# --- one source -------------------------------------------------------------------------------


def harvest_one(client: httpx.Client, source: str, previous: Copy | None) -> Outcome:
    deadline = time.monotonic() + DEADLINE
    outcome = Outcome(source, previous, before=previous)
    try:
        address = federation.index_address(source)
        index, changed = get(
            client, address, source, previous.index if previous else None, deadline
        )
        outcome.received += changed
        outcome.unchanged += not changed
        try:
            listed = federation.parse_index(index.body.encode("utf-8"), source)
        except Refused as exc:
            raise Failure(f"{address} : {exc}") from None
        before = {e.url: e for e in previous.bundles} if previous else {}
        bundles = []
        addresses = [item.donnees for item in listed.territoires]
        if len(set(addresses)) != len(addresses):
            raise Failure(f"{address} : la même adresse de données est listée deux fois")
        received = len(index.body)
        for item in listed.territoires:
            entry, changed = get(client, item.donnees, source, before.get(item.donnees), deadline)
            received += len(entry.body)
            if received > MAX_SOURCE_BYTES:  # one source cannot fill the portal's memory
                raise Failure(
                    f"les données de la source dépassent {MAX_SOURCE_BYTES // 1_000_000} Mo en tout"
                )
            outcome.received += changed
            outcome.unchanged += not changed
            if changed:  # an unchanged file was checked when it came (the loader reads it)
                try:
                    document = federation.parse_bundle(entry.body.encode("utf-8"), source)
                    federation.territory(document, source, clock.today(), False)
                except Refused as exc:
                    raise Failure(f"{item.donnees} : {exc}") from None
            bundles.append(entry)
    except Failure as exc:
        outcome.problem = str(exc)
        return outcome
    except Exception as exc:  # never a traceback: the source is named, the build goes on
        outcome.problem = f"réponse inattendue ({type(exc).__name__})"
        return outcome
    outcome.copy = Copy(source, clock.now(), index, tuple(bundles))
    return outcome


@functools.cache
def _certificates() -> ssl.SSLContext:
    """The certificates httpx checks by default (certifi's), read once per process rather
    than for every harvest (about 25 ms each: the preview harvests on demand)."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def harvest(sources: list[str], cache: Path, network: bool = True) -> list[Outcome]:
    """Every source, in the order given: fetched again (``network``) or from the cache only.
    A fresh copy replaces the cached one; a failed harvest keeps it."""
    previous = {s: read_copy(cache, s) for s in sources}
    if not network:
        return [
            Outcome(
                s,
                previous[s],
                None if previous[s] else "pas de copie en cache (récolte non demandée)",
                before=previous[s],
            )
            for s in sources
        ]
    limits = httpx.Limits(max_connections=WORKERS * 2, max_keepalive_connections=WORKERS)
    transport = httpx.HTTPTransport(verify=_certificates(), limits=limits, trust_env=False)
    if os.environ.get(LOCAL_NETWORK) != "1":
        # httpx gives no way to choose how its pool connects: its pool is replaced by the
        # same one, made with the backend that checks addresses
        transport._pool = httpcore.ConnectionPool(
            ssl_context=_certificates(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_PublicOnly(),
        )
    with (
        httpx.Client(
            follow_redirects=False,
            headers={"User-Agent": USER_AGENT},
            trust_env=False,
            transport=transport,
        ) as client,
        ThreadPoolExecutor(max_workers=max(1, min(WORKERS, len(sources)))) as pool,
    ):
        outcomes = list(pool.map(lambda s: harvest_one(client, s, previous[s]), sources))
    for outcome in outcomes:
        if outcome.problem is None and outcome.copy is not None:
            write_copy(cache, outcome.copy)
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    return {
        "sources": len(outcomes),
        "received": sum(o.received for o in outcomes),
        "unchanged": sum(o.unchanged for o in outcomes),
        "failed": sum(o.problem is not None for o in outcomes),
    }


# --- into the loading stage -------------------------------------------------------------------


def _day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(PARIS).date()


def gather(
    root: Path, portail: Any, local: list[Territory], network: bool
) -> tuple[list[Territory], list[Problem], str]:
    """The harvested territories of a portal (site.yml's ``portail``), the problems of its
    sources (warnings, errors with ``stricte: true``) and the line the build prints.
    ``local``: the territories of the repository (a source can't claim one)."""
    outcomes = harvest(list(portail.sources), root / CACHE / FOLDER, network)
    severity: Severity = "erreur" if portail.stricte else "avertissement"
    try:
        settings_text = (root / sources.SITE).read_text(encoding="utf-8")
    except OSError:
        settings_text = ""
    found: list[tuple[Territory, Callable[[str], None], Outcome, Entry]] = []
    problems: list[Problem] = []
    reserved = 0
    for number, outcome in enumerate(outcomes, start=1):

        def note(message: str, number: int = number, source: str = outcome.source) -> None:
            problems.append(
                Problem(
                    sources.SITE,
                    line_of(settings_text, source),
                    f"portail.sources[{number}]",
                    message,
                    severity,
                )
            )

        copy = outcome.copy
        day = _day(copy.date) if copy else None
        if outcome.problem is not None:
            note(federation.copy_line(outcome.source, outcome.problem, day))
        if copy is None or day is None:
            continue
        for entry in copy.bundles:
            try:
                document = federation.parse_bundle(entry.body.encode("utf-8"), outcome.source)
                t = federation.territory(
                    document, outcome.source, day, stale=outcome.problem is not None
                )
            except Refused as exc:
                note(f"{outcome.source} : copie en cache illisible ({exc}) ; relancez la récolte")
                continue
            if why := federation.reserved_problem(t):
                note(f"{outcome.source} : {why}")
                reserved += 1
                continue
            found.append((t, note, outcome, entry))
    # two territories claiming the same identifier, name or EPCI: known once all are read; a
    # claim its source held before (in the copy kept) is kept against a newcomer's
    before = {
        o.source: set().union(*(federation.raw_claims(e.body) for e in o.before.bundles))
        if o.before
        else set()
        for o in outcomes
    }
    held = [before[o.source] for _, _, o, _ in found]
    left_out = federation.contested(local, [t for t, _, _, _ in found], held)
    for index, why in sorted(left_out.items()):
        found[index][1](why)
    # a territory left out is not kept in its source's copy: what the source held stays the
    # last good copy of its claims (the newcomer's claim never becomes « held before »)
    cache = root / CACHE / FOLDER
    losers: dict[str, set[int]] = {}
    for index in left_out:
        losers.setdefault(found[index][2].source, set()).add(id(found[index][3]))
    for outcome in outcomes:
        if outcome.source in losers and network and outcome.problem is None and outcome.copy:
            gone = losers[outcome.source]
            kept = tuple(e for e in outcome.copy.bundles if id(e) not in gone)
            write_copy(cache, dataclasses.replace(outcome.copy, bundles=kept))
    taken = [t for index, (t, _, _, _) in enumerate(found) if index not in left_out]
    figures = summary(outcomes)
    count, read = figures["sources"], figures["sources"] - figures["failed"]
    mode = (
        f"{agree(read, 'récoltée')} sur {count}"
        if network
        else f"{agree(read, 'lue')} sur {count} dans .cache/portail (récolte non demandée)"
    )
    aside = len(left_out) + reserved
    aside_text = f", {plural(aside, 'laissé')} de côté" if aside else ""
    line = (
        f"Portail : {plural(read, 'source')} {mode}, "
        f"{plural(len(taken), 'territoire')}{aside_text} ; {figures['received']} "
        f"{agree(figures['received'], 'fichier reçu', 'fichiers reçus')}, "
        f"{figures['unchanged']} {agree(figures['unchanged'], 'inchangé')} (304), "
        f"{figures['failed']} en échec."
    )
    return taken, problems, line
