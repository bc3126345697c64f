"""The network audit (copilot.core.netaudit): what it records, what it blocks, and that nothing leaves.

No test here may send a packet off this computer, even when netaudit has a bug: a second audit
hook, added after netaudit's, stops every non-local socket event that netaudit let through
(CPython calls hooks in order and stops at the first that raises, before the syscall). The
tests that need a real connect syscall run in a subprocess inside a network namespace with
no interface but a downed loopback (`unshare -n`), under strace.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from copilot.core import netaudit
from copilot.core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


class LeakStopped(Exception):
    """The safety net stopped a socket event netaudit allowed (no packet was sent)."""


_net = threading.local()
_net_installed = False


def _safety_net(event: str, args: tuple) -> None:
    if event not in netaudit._WATCHED or not getattr(_net, "armed", False):
        return
    where = netaudit._destination(event, args)
    if where is not None and not netaudit.is_local(where[0]):
        raise LeakStopped(f"{event} {where}")


@pytest.fixture
def audit():
    """netaudit installed (once per process), empty, privacy off; the safety net armed on this thread."""
    global _net_installed
    netaudit.install()
    if not _net_installed:
        sys.addaudithook(_safety_net)  # after netaudit's hook: it sees only what netaudit let through
        _net_installed = True
    netaudit.configure(privacy=lambda: False, allowed=lambda: {})
    netaudit.clear()
    _net.armed = True
    yield netaudit
    _net.armed = False
    netaudit.configure(privacy=lambda: False, allowed=lambda: {})
    netaudit.clear()


def test_loopback_and_unix_sockets_are_not_recorded(audit, tmp_path):
    before = sum(audit.local_counts().values())
    with socket.socket() as s:
        s.connect_ex(("127.0.0.1", 1))  # refused: nothing listens there
    with socket.socket(socket.AF_INET6) as s:
        s.connect_ex(("::1", 1))
    socket.getaddrinfo("localhost", 80)
    socket.getaddrinfo(None, 80)  # a local address to bind to
    with socket.socket(socket.AF_UNIX) as s:
        s.connect_ex(str(tmp_path / "no-such-socket"))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.sendto(b"", ("127.0.0.2", 9))
    assert audit.snapshot() == []
    assert audit.summary() == "No connections since the app started"
    assert sum(audit.local_counts().values()) >= before + 6


@pytest.mark.parametrize("host", ["huggingface.co", "cdn-lfs-us-1.huggingface.co", "cas-bridge.xethub.hf.co",
                                  "HuggingFace.co."])
def test_hugging_face_hosts_are_a_model_download(audit, host):
    audit.configure(privacy=lambda: True)  # downloads send no text: privacy mode allows them
    with pytest.raises(LeakStopped):  # netaudit let it through; the safety net stops the lookup
        socket.getaddrinfo(host, 443)
    [record] = audit.snapshot()
    assert record["host"] == host and record["port"] == 443
    assert record["purpose"] == "model download" and record["blocked"] is False
    assert record["event"] == "socket.getaddrinfo" and record["time"].endswith("+00:00")


def test_hf_endpoint_host_is_a_model_download(audit, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", "https://hf-mirror.example.org")
    assert audit.purpose_of("hf-mirror.example.org") == "model download"
    assert audit.purpose_of("example.org") == "unexpected"


def test_unexpected_lookup_is_blocked_in_privacy_mode_before_the_resolver_runs(audit):
    audit.configure(privacy=lambda: True)
    # Had the resolver run, example.invalid would give socket.gaierror (and a DNS query);
    # the hook refuses first, so the error is ours.
    with pytest.raises(netaudit.ConnectionBlocked, match="blocked a connection to example.invalid: privacy mode"):
        socket.getaddrinfo("example.invalid", 80)
    with pytest.raises(PermissionError):
        socket.gethostbyname("example.invalid")
    with pytest.raises(OSError):
        socket.gethostbyname_ex("example.invalid")
    records = audit.snapshot()
    assert [(r["host"], r["purpose"], r["blocked"]) for r in records] == [("example.invalid", "unexpected", True)] * 3
    assert audit.summary() == "3 connections: example.invalid (unexpected, 3 blocked, 3 times)"


def test_unexpected_connect_is_blocked_in_privacy_mode(audit):
    audit.configure(privacy=lambda: True)
    with socket.socket() as s, pytest.raises(netaudit.ConnectionBlocked):
        s.connect(("192.0.2.1", 80))
    with socket.socket() as s, pytest.raises(netaudit.ConnectionBlocked):
        s.connect_ex(("192.0.2.1", 80))  # connect_ex raises socket.connect too
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u, pytest.raises(netaudit.ConnectionBlocked):
        u.sendto(b"", ("192.0.2.1", 53))
    assert [(r["event"], r["host"], r["port"], r["blocked"]) for r in audit.snapshot()] == [
        ("socket.connect", "192.0.2.1", 80, True), ("socket.connect", "192.0.2.1", 80, True),
        ("socket.sendto", "192.0.2.1", 53, True)]


def test_unexpected_is_reported_but_not_blocked_without_privacy_mode(audit):
    with pytest.raises(LeakStopped):  # allowed by netaudit; only the test's safety net stops it
        socket.getaddrinfo("example.invalid", 80)
    [record] = audit.snapshot()
    assert record["purpose"] == "unexpected" and record["blocked"] is False
    assert audit.summary() == "1 connection: example.invalid (unexpected)"


def test_team_server_from_settings(audit):
    privacy, allowed = audit.policy_for(Settings(backend="server", server_url="https://GPU-box.example:8000/v1"))
    assert privacy() is False and allowed() == {"gpu-box.example": "team server"}
    audit.apply_settings(Settings(backend="server", server_url="https://gpu-box.example:8000/v1"))
    with pytest.raises(LeakStopped):
        socket.getaddrinfo("gpu-box.example", 8000)
    assert audit.snapshot()[-1]["purpose"] == "team server"
    # privacy mode: the server is not used, so a connection to it is unexpected, and blocked
    audit.apply_settings(Settings(backend="server", server_url="https://gpu-box.example:8000/v1", local_only=True))
    with pytest.raises(netaudit.ConnectionBlocked):
        socket.getaddrinfo("gpu-box.example", 8000)
    assert audit.snapshot()[-1]["purpose"] == "unexpected" and audit.snapshot()[-1]["blocked"]
    assert audit.policy_for(Settings(backend="local", server_url="https://gpu-box.example"))[1]() == {}


def test_a_connect_to_an_address_takes_the_purpose_of_the_name_it_was_resolved_from(audit, monkeypatch):
    fake = [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("203.0.113.7", 443))]
    monkeypatch.setattr(netaudit, "_real_getaddrinfo", lambda *a, **k: fake)  # no resolver at all
    assert socket.getaddrinfo("cdn-lfs.hf.co", 443) == fake
    audit.configure(privacy=lambda: True)
    with socket.socket() as s, pytest.raises(LeakStopped):
        s.connect(("203.0.113.7", 443))
    [record] = audit.snapshot()
    assert record["host"] == "cdn-lfs.hf.co (203.0.113.7)" and record["purpose"] == "model download"
    assert not record["blocked"]


def test_listener_and_threads(audit):
    audit.configure(privacy=lambda: True)
    seen, lock = [], threading.Lock()

    def listener(record):
        with lock:
            seen.append(record)

    remove = audit.add_listener(listener)
    errors = []

    def work(i):
        _net.armed = True
        for j in range(50):
            try:
                socket.getaddrinfo(f"h{i}-{j}.example.invalid", 80)
            except netaudit.ConnectionBlocked:
                continue
            errors.append("not blocked")

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    remove()
    assert not errors
    records = audit.snapshot()
    assert len(records) == len(seen) == 400 and all(r["blocked"] for r in records)
    assert {r["host"] for r in records} == {f"h{i}-{j}.example.invalid" for i in range(8) for j in range(50)}
    with pytest.raises(netaudit.ConnectionBlocked):
        socket.getaddrinfo("after.example.invalid", 80)
    assert len(seen) == 400  # removed


def test_a_broken_listener_or_policy_never_breaks_local_sockets(audit):
    remove = audit.add_listener(lambda record: 1 / 0)
    audit.configure(privacy=lambda: 1 / 0, allowed=lambda: 1 / 0)
    try:
        socket.getaddrinfo("localhost", 80)
        # a privacy callable that fails means privacy mode (the safe side)
        with pytest.raises(netaudit.ConnectionBlocked):
            socket.getaddrinfo("example.invalid", 80)
    finally:
        remove()


def test_install_is_idempotent_and_log_holds_destinations_only(audit, tmp_path):
    hooks_before = audit._state.installed
    audit.install()
    audit.install(privacy=lambda: True)
    assert hooks_before and audit.installed()
    with pytest.raises(netaudit.ConnectionBlocked):
        socket.getaddrinfo("example.invalid", 80)
    [record] = audit.snapshot()  # one hook: one record
    log = tmp_path / "audit.jsonl"
    audit.write_log(log)
    lines = [json.loads(line) for line in log.read_text().splitlines()]
    assert lines[0] == record and set(record) == {"time", "host", "port", "purpose", "blocked", "event"}
    assert lines[-1]["summary"].startswith("1 connection: example.invalid")


# -- in a subprocess: the real syscalls, inside a network namespace, under strace --------------

CHILD = """
import socket, sys
from copilot.core import netaudit
netaudit.install(privacy=lambda: True)
for call in (lambda: socket.getaddrinfo("example.invalid", 80),
             lambda: socket.create_connection(("192.0.2.1", 80), timeout=2),
             lambda: socket.socket().connect_ex(("192.0.2.1", 80))):
    try:
        call()
        print("NOT BLOCKED")
    except netaudit.ConnectionBlocked:
        pass
print(len(netaudit.snapshot()))
"""


def netns_prefix() -> list[str] | None:
    """A command prefix that runs in a new network namespace (no route anywhere), or None."""
    if shutil.which("unshare") is None:
        return None
    for prefix in (["unshare", "-n"], ["unshare", "-rn"]):
        if subprocess.run([*prefix, "true"], capture_output=True, timeout=10).returncode == 0:
            return prefix
    return None


def test_blocked_connects_never_reach_the_syscall(tmp_path):
    prefix = netns_prefix()
    if prefix is None or shutil.which("strace") is None:
        pytest.skip("needs unshare -n (a network namespace: nothing can leave) and strace")
    trace = tmp_path / "trace"
    r = subprocess.run([*prefix, "strace", "-f", "-qq", "-e", "trace=connect,sendto,sendmsg", "-o", str(trace),
                        sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["3"], r.stdout
    inet = [line for line in trace.read_text().splitlines() if "AF_INET" in line]
    assert inet == [], inet  # no connect, no DNS query: the hook refused before the syscall
