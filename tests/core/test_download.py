"""Downloads through the real huggingface_hub client against a fake Hub on 127.0.0.1."""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from copilot.core.models.catalog import GPT_OSS_20B
from copilot.core.models.download import (
    NETWORK_CHUNK,
    AuthRequired,
    ChecksumMismatch,
    Download,
    DownloadError,
    DownloadStopped,
    NotEnoughDisk,
    pending_downloads,
    remote_files,
    verified_sha256,
)
from fake_hub import FakeHub, HubFile

SIZE = 6 * NETWORK_CHUNK + 12345


@pytest.fixture
def payload() -> bytes:
    return os.urandom(SIZE)


@pytest.fixture
def hub(payload):
    server = FakeHub(GPT_OSS_20B.repo_id, {GPT_OSS_20B.filename: HubFile(payload)}).start()
    yield server
    server.stop()


def _run(hub, dest, **kwargs) -> tuple[Path, list]:
    events = []
    kwargs.setdefault("report_interval", 0)
    path = Download(GPT_OSS_20B, dest, endpoint=hub.url, on_progress=events.append, **kwargs).run()
    return path, events


def test_remote_files_come_from_the_hub_metadata(hub, payload):
    (remote,) = remote_files(GPT_OSS_20B, endpoint=hub.url)
    assert remote.size == SIZE
    assert remote.sha256 == hashlib.sha256(payload).hexdigest()
    assert remote.revision == GPT_OSS_20B.revision


def test_full_download_reports_progress_and_verifies(hub, payload, tmp_path):
    path, events = _run(hub, tmp_path)
    assert path == tmp_path / GPT_OSS_20B.filename
    assert path.read_bytes() == payload
    assert verified_sha256(tmp_path, path) == hashlib.sha256(payload).hexdigest()
    done = [e.done for e in events if e.phase == "downloading"]
    assert done == sorted(done) and done[-1] == SIZE and len(done) >= 3
    assert all(e.total == SIZE for e in events)
    assert not pending_downloads(tmp_path)
    assert not list((tmp_path / ".partial").glob("*.part"))
    # A second run finds the verified file and downloads nothing.
    before = hub.served
    _run(hub, tmp_path)
    assert hub.served == before


def test_dropped_connection_resumes_with_a_range_request(hub, payload, tmp_path):
    hub.drop_after = 2 * NETWORK_CHUNK + 500
    path, _ = _run(hub, tmp_path)
    assert path.read_bytes() == payload
    ranges = hub.ranges()
    assert ranges[0] is None and ranges[-1] is not None and ranges[-1].startswith("bytes=")
    assert int(ranges[-1].removeprefix("bytes=").rstrip("-")) >= 2 * NETWORK_CHUNK


def test_pause_keeps_the_part_and_resume_continues(hub, payload, tmp_path):
    events = []
    download = None

    def on_progress(p):
        events.append(p)
        if p.phase == "downloading" and p.done >= 2 * NETWORK_CHUNK:
            download.pause()

    download = Download(GPT_OSS_20B, tmp_path, endpoint=hub.url, on_progress=on_progress, report_interval=0)
    with pytest.raises(DownloadStopped) as stopped:
        download.run()
    assert stopped.value.paused
    (pending,) = pending_downloads(tmp_path)
    assert 2 * NETWORK_CHUNK <= pending.done < SIZE
    assert not (tmp_path / GPT_OSS_20B.filename).exists()

    served_before = hub.served
    path, events = _run(hub, tmp_path)
    assert path.read_bytes() == payload
    assert hub.ranges()[-1] == f"bytes={pending.done}-"
    assert hub.served - served_before == SIZE - pending.done
    assert events[0].phase == "checking"  # the part on disk is hashed, not trusted


def test_cancel_deletes_the_part(hub, tmp_path):
    download = None

    def on_progress(p):
        if p.phase == "downloading" and p.done >= NETWORK_CHUNK:
            download.cancel()

    download = Download(GPT_OSS_20B, tmp_path, endpoint=hub.url, on_progress=on_progress, report_interval=0)
    with pytest.raises(DownloadStopped) as stopped:
        download.run()
    assert not stopped.value.paused
    assert not pending_downloads(tmp_path)
    assert not list(tmp_path.rglob("*.part"))


def test_killed_process_resumes_without_starting_over(hub, payload, tmp_path):
    hub.bytes_per_second = 4 * NETWORK_CHUNK
    script = textwrap.dedent(f"""
        from pathlib import Path
        from copilot.core.models.catalog import GPT_OSS_20B
        from copilot.core.models.download import Download
        Download(GPT_OSS_20B, Path({str(tmp_path)!r}), endpoint={hub.url!r}).run()
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=Path(__file__).parents[2])
    part = tmp_path / ".partial" / f"{GPT_OSS_20B.filename}.part"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (part.exists() and part.stat().st_size >= 2 * NETWORK_CHUNK):
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    have = part.stat().st_size
    assert 2 * NETWORK_CHUNK <= have < SIZE

    hub.bytes_per_second = None
    path, _ = _run(hub, tmp_path)
    assert path.read_bytes() == payload
    assert hub.ranges()[-1] == f"bytes={have}-"
    assert hub.requests[-1].sent == SIZE - have


def test_checksum_mismatch_quarantines_the_file(hub, tmp_path):
    hub.corrupt = True
    with pytest.raises(ChecksumMismatch) as err:
        _run(hub, tmp_path)
    assert "damaged" in str(err.value) and str(err.value.quarantined) in str(err.value)
    assert err.value.quarantined.exists() and err.value.quarantined.parent.name == "quarantine"
    assert not (tmp_path / GPT_OSS_20B.filename).exists()
    assert not pending_downloads(tmp_path)


def test_401_asks_for_a_token_and_the_token_works(hub, payload, tmp_path, caplog):
    hub.token = "hf_secret_token_123"
    with pytest.raises(AuthRequired) as err:
        _run(hub, tmp_path)
    assert "token" in str(err.value)
    caplog.set_level(logging.DEBUG)
    path, _ = _run(hub, tmp_path, token="hf_secret_token_123")
    assert path.read_bytes() == payload
    assert {r.authorization for r in hub.requests[-4:]} == {"Bearer hf_secret_token_123"}
    assert "hf_secret_token_123" not in caplog.text


def test_server_gone_is_a_clear_error(hub, tmp_path):
    url = hub.url
    hub.stop()
    t0 = time.monotonic()
    with pytest.raises(DownloadError) as err:
        Download(GPT_OSS_20B, tmp_path, endpoint=url).run()
    assert "Cannot reach" in str(err.value) and url in str(err.value)
    assert time.monotonic() - t0 < 10


def test_small_disk_is_refused_before_downloading(hub, tmp_path):
    with pytest.raises(NotEnoughDisk) as err:
        _run(hub, tmp_path, disk_usage=lambda p: SIZE // 2)
    assert err.value.free == SIZE // 2 and err.value.needed > SIZE
    assert "Not enough disk space" in str(err.value)
    assert hub.ranges() == []


def test_a_reuploaded_file_restarts_the_partial(hub, payload, tmp_path):
    download = None

    def on_progress(p):
        if p.phase == "downloading" and p.done >= NETWORK_CHUNK:
            download.pause()

    download = Download(GPT_OSS_20B, tmp_path, endpoint=hub.url, on_progress=on_progress, report_interval=0)
    with pytest.raises(DownloadStopped):
        download.run()
    new = os.urandom(SIZE)
    hub.files[GPT_OSS_20B.filename] = HubFile(new)
    path, _ = _run(hub, tmp_path)
    assert path.read_bytes() == new
    assert hub.ranges()[-1] is None  # from byte 0: the old part belonged to another file


def test_unknown_revision_says_update(payload, tmp_path):
    server = FakeHub(GPT_OSS_20B.repo_id, {GPT_OSS_20B.filename: HubFile(payload)}, commit="0" * 40).start()
    try:
        with pytest.raises(DownloadError) as err:
            Download(GPT_OSS_20B, tmp_path, endpoint=server.url).run()
    finally:
        server.stop()
    assert "Update Private Copilot" in str(err.value)
