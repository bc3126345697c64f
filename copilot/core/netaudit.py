"""The network audit: every outbound connection attempt this process makes, with its purpose.

A ``sys.addaudithook`` (installed once, first thing in :func:`copilot.app.main`) sees the
socket events CPython raises before the syscall: ``socket.connect`` (``connect_ex`` raises
the same event), ``socket.getaddrinfo``, ``socket.gethostbyname`` (``gethostbyname_ex``
too), ``socket.gethostbyaddr``, ``socket.getnameinfo``, ``socket.sendto`` and
``socket.sendmsg``. Loopback (127/8, ::1, "localhost") and AF_UNIX / AF_NETLINK traffic
(the X server, the single-instance socket, D-Bus, the resolver's netlink) stays on this
computer: it is counted, never listed. Everything else is recorded with the time, the
destination and a purpose: "model download" (Hugging Face), "team server" (the configured
OpenAI-compatible server) or "unexpected". An unexpected attempt while privacy mode is on is
refused by raising :class:`ConnectionBlocked` from the hook, so the syscall never happens
(a blocked name lookup never reaches the resolver either).

Only destinations are recorded (host, port, purpose): never a byte of what is sent.

Native code (llama.cpp, Qt) does not go through Python's socket module and so is not seen
here; tests/e2e/test_no_network.py watches the whole process with strace for that.
"""

from __future__ import annotations

import atexit
import errno
import ipaddress
import json
import os
import socket
import sys
import threading
from collections import Counter
from datetime import datetime, timezone
from typing import Any, Callable
from urllib.parse import urlsplit

LOG_ENV = "PRIVATE_COPILOT_NETAUDIT_LOG"  # a path: the audit is written there at exit (JSON lines)
MODEL_DOWNLOAD = "model download"
TEAM_SERVER = "team server"
UNEXPECTED = "unexpected"
MAX_RECORDS = 1000  # the most recent ones are kept; the total count is kept too

_CONNECT_EVENTS = frozenset({"socket.connect", "socket.sendto", "socket.sendmsg"})
_LOOKUP_EVENTS = frozenset({"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
                            "socket.getnameinfo"})
_WATCHED = _CONNECT_EVENTS | _LOOKUP_EVENTS
_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", ""})
# Hugging Face: the site, its CDNs (cdn-lfs*.huggingface.co) and the Xet storage (cas-bridge.xethub.hf.co)
_HF_SUFFIXES = ("huggingface.co", "hf.co")
_LOCAL_FAMILIES = frozenset(f for f in (getattr(socket, "AF_UNIX", None), getattr(socket, "AF_NETLINK", None))
                            if f is not None)
_INET_FAMILIES = frozenset({socket.AF_INET, socket.AF_INET6})


class ConnectionBlocked(PermissionError):
    """Raised (from the audit hook, before the syscall) for an unexpected destination in privacy mode."""

    def __init__(self, host: str) -> None:
        super().__init__(errno.EACCES, f"Private Copilot blocked a connection to {host}: privacy mode is on")
        self.host = host


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.installed = False
        self.privacy: Callable[[], bool] = lambda: False
        self.allowed: Callable[[], dict[str, str]] | None = None
        self.records: list[dict[str, Any]] = []
        self.total = 0
        self.local: Counter[str] = Counter()
        self.listeners: list[Callable[[dict[str, Any]], None]] = []
        self.resolved: dict[str, tuple[str, str]] = {}  # IP -> (host name, purpose), for allowed hosts only
        self.busy = threading.local()  # re-entry guard: a listener's own socket use is not audited again
        self.log_path: str | None = None


_state = _State()


# -- classification ------------------------------------------------------------------------

def is_local(host: str) -> bool:
    """Loopback (or the unspecified address, which Linux routes to loopback): never leaves this computer."""
    name = host.strip().lower().rstrip(".")
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(name.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback or ip.is_unspecified


def _hf_hosts() -> set[str]:
    endpoint = os.environ.get("HF_ENDPOINT", "")
    host = urlsplit(endpoint).hostname if endpoint else None
    return {host.lower()} if host else set()


def purpose_of(host: str) -> str:
    """"model download", "team server" (or what ``allowed`` says) or "unexpected"."""
    name = host.strip().lower().rstrip(".")
    if name in _hf_hosts() or any(name == s or name.endswith("." + s) for s in _HF_SUFFIXES):
        return MODEL_DOWNLOAD
    allowed = _allowed()
    if name in allowed:
        return allowed[name]
    with _state.lock:
        known = _state.resolved.get(name)
    return known[1] if known else UNEXPECTED


def _allowed() -> dict[str, str]:
    if _state.allowed is None:
        return {}
    try:
        return {str(k).lower(): str(v) for k, v in (_state.allowed() or {}).items()}
    except Exception:  # a broken callable must not break the app's sockets
        return {}


def _privacy_on() -> bool:
    try:
        return bool(_state.privacy())
    except Exception:  # when in doubt, keep the promise of privacy mode
        return True


def _destination(event: str, args: tuple) -> tuple[str, int | None] | None:
    """(host, port) for an event that can leave this computer; None for local or unknown traffic."""
    if event in _CONNECT_EVENTS:
        sock, address = args[0], args[1]
        if address is None:  # sendmsg on a connected socket: its connect was seen
            return None
        if isinstance(address, (str, bytes, bytearray)):  # AF_UNIX paths (bytes: the abstract namespace)
            return None
        try:
            family = sock.family
        except Exception:
            family = None
        if family in _LOCAL_FAMILIES:
            return None
        if family in _INET_FAMILIES or family is None:
            if isinstance(address, tuple) and address and isinstance(address[0], (str, bytes)):
                host = address[0].decode("ascii", "replace") if isinstance(address[0], bytes) else address[0]
                port = address[1] if len(address) > 1 and isinstance(address[1], int) else None
                return (host, port)
            return (repr(address), None)
        return (f"{getattr(family, 'name', family)} {address!r}", None)  # AF_PACKET and the like: list it
    # name lookups
    if event == "socket.getnameinfo":
        sockaddr = args[0] if args else None
        host = sockaddr[0] if isinstance(sockaddr, tuple) and sockaddr else None
        port = sockaddr[1] if isinstance(sockaddr, tuple) and len(sockaddr) > 1 else None
    else:
        host = args[0] if args else None
        port = args[1] if event == "socket.getaddrinfo" and len(args) > 1 else None
    if host is None:  # getaddrinfo(None, port): a local address to bind to
        return None
    if isinstance(host, (bytes, bytearray)):
        host = bytes(host).decode("idna", "replace")
    if isinstance(port, (bytes, bytearray)):
        port = bytes(port).decode("ascii", "replace")
    if isinstance(port, str):
        port = int(port) if port.isdigit() else None
    return (str(host), port if isinstance(port, int) else None)


# -- the hook ------------------------------------------------------------------------------

def _hook(event: str, args: tuple) -> None:
    if event not in _WATCHED:  # every audited event in the process comes here: the cheap test first
        return
    if getattr(_state.busy, "on", False):
        return
    _state.busy.on = True
    try:
        blocked_host = _observe(event, args)
    finally:
        _state.busy.on = False
    if blocked_host is not None:
        raise ConnectionBlocked(blocked_host)


def _observe(event: str, args: tuple) -> str | None:
    """Record the event; the host to block, or None. Never raises."""
    try:
        where = _destination(event, args)
        if where is None:
            with _state.lock:
                _state.local[event] += 1
            return None
        host, port = where
        if is_local(host):
            with _state.lock:
                _state.local[event] += 1
            return None
        with _state.lock:
            known = _state.resolved.get(host.lower())
        shown = host if known is None or known[0] == host else f"{known[0]} ({host})"
        purpose = purpose_of(host)
        blocked = purpose == UNEXPECTED and _privacy_on()
        record = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds"), "host": shown,
                  "port": port, "purpose": purpose, "blocked": blocked, "event": event}
        with _state.lock:
            _state.records.append(record)
            del _state.records[:-MAX_RECORDS]
            _state.total += 1
            listeners = list(_state.listeners)
        for listener in listeners:
            try:
                listener(dict(record))
            except Exception:  # a listener's bug must not break a download
                pass
        return host if blocked else None
    except Exception:
        return None


_real_getaddrinfo = socket.getaddrinfo


def _getaddrinfo(host, port, *args, **kwargs):
    """socket.getaddrinfo, remembering which addresses an allowed host resolved to: a connect
    goes to an IP, and its purpose is the name's."""
    results = _real_getaddrinfo(host, port, *args, **kwargs)
    try:
        if isinstance(host, str) and not is_local(host):
            purpose = purpose_of(host)
            if purpose != UNEXPECTED:
                with _state.lock:
                    for *_rest, sockaddr in results:
                        if isinstance(sockaddr, tuple) and sockaddr and isinstance(sockaddr[0], str):
                            _state.resolved[sockaddr[0].lower()] = (host, purpose)
    except Exception:
        pass
    return results


# -- API -----------------------------------------------------------------------------------

def install(*, privacy: Callable[[], bool] = lambda: False,
            allowed: Callable[[], dict[str, str]] | None = None) -> None:
    """Start auditing (once per process; a second call only reconfigures).

    ``privacy``: whether privacy mode is on now (unexpected attempts are then refused).
    ``allowed``: {host: purpose} of the destinations the user configured (the team server).
    With $PRIVATE_COPILOT_NETAUDIT_LOG set, the audit is written to that file at exit.
    """
    configure(privacy=privacy, allowed=allowed)
    with _state.lock:
        if _state.installed:
            return
        _state.installed = True
        _state.log_path = os.environ.get(LOG_ENV) or None
    socket.getaddrinfo = _getaddrinfo
    sys.addaudithook(_hook)
    if _state.log_path:
        atexit.register(write_log, _state.log_path)


def installed() -> bool:
    return _state.installed


def configure(*, privacy: Callable[[], bool] | None = None,
              allowed: Callable[[], dict[str, str]] | None = None) -> None:
    """Change the policy at runtime (the user applied new settings); None keeps the current one."""
    if privacy is not None:
        _state.privacy = privacy
    if allowed is not None:
        _state.allowed = allowed


def policy_for(settings) -> tuple[Callable[[], bool], Callable[[], dict[str, str]]]:
    """Privacy mode and the allowed hosts that a :class:`~copilot.core.settings.Settings` means."""
    local_only = bool(settings.local_only)
    hosts: dict[str, str] = {}
    if settings.backend == "server" and settings.server_url and not local_only:
        host = urlsplit(settings.server_url if "//" in settings.server_url
                        else "//" + settings.server_url).hostname
        if host:
            hosts[host.lower()] = TEAM_SERVER
    return (lambda: local_only), (lambda: dict(hosts))


def apply_settings(settings) -> None:
    """configure() from Settings: privacy mode = local_only; the team server when one is used."""
    privacy, allowed = policy_for(settings)
    configure(privacy=privacy, allowed=allowed)


def snapshot() -> list[dict[str, Any]]:
    """The recorded attempts, oldest first: time (ISO, UTC), host, port, purpose, blocked, event."""
    with _state.lock:
        return [dict(r) for r in _state.records]


def local_counts() -> dict[str, int]:
    """How many local (loopback, AF_UNIX) socket events were seen, by event: not listed, only counted."""
    with _state.lock:
        return dict(_state.local)


def clear() -> None:
    with _state.lock:
        _state.records.clear()
        _state.total = 0
        _state.local.clear()


def summary() -> str:
    """One line for people: "No connections since the app started" or "2 connections: …"."""
    with _state.lock:
        records, total = list(_state.records), _state.total
    if not total:
        return "No connections since the app started"
    by_destination: dict[tuple[str, str], list[dict]] = {}
    for r in records:
        by_destination.setdefault((r["host"], r["purpose"]), []).append(r)
    parts = []
    for (host, purpose), rs in by_destination.items():
        blocked = sum(r["blocked"] for r in rs)
        detail = purpose + (f", {blocked} blocked" if blocked else "")
        parts.append(f"{host} ({detail}{'' if len(rs) == 1 else f', {len(rs)} times'})")
    noun = "connection" if total == 1 else "connections"
    return f"{total} {noun}: " + "; ".join(parts)


def add_listener(listener: Callable[[dict[str, Any]], None]) -> Callable[[], None]:
    """Call ``listener(record)`` for each new attempt, on the thread that made it (keep it short,
    never block; in Qt, emit a signal). Returns a function that removes it."""
    with _state.lock:
        _state.listeners.append(listener)

    def remove() -> None:
        with _state.lock:
            if listener in _state.listeners:
                _state.listeners.remove(listener)

    return remove


def write_log(path: str | os.PathLike[str]) -> None:
    """The audit as JSON lines (one per attempt, then {"summary", "local"}): destinations only."""
    try:
        with open(path, "w", encoding="utf-8") as f:
            for record in snapshot():
                f.write(json.dumps(record) + "\n")
            f.write(json.dumps({"summary": summary(), "local": local_counts()}) + "\n")
    except OSError:
        pass  # at exit, nobody is left to tell
