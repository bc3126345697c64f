"""Download a catalog model with the huggingface_hub client: resumable, verified, cancellable.

huggingface_hub's own ``hf_hub_download`` writes to a temporary file unique to the process
and deletes it on any failure, so a 12 GB download killed at 90 % would start over. We
use its lower-level pieces instead (``get_paths_info`` for size and sha256,
``get_hf_file_metadata`` for the file's current address, ``http_get`` with
``resume_size`` for the Range requests) and keep the partial file ourselves, in
``<models>/.partial/``, with a small JSON record of what it is a part of. A restart, even
after the app was killed, carries on from the last byte on disk.

Every finished file is checked against the sha256 the Hub publishes before it is used; a
mismatch moves it to ``<models>/quarantine/`` and says so.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import queue
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from copilot import __version__
from copilot.core.models.catalog import CatalogEntry, hub_endpoint

log = logging.getLogger(__name__)

PARTIAL_DIR = ".partial"
QUARANTINE_DIR = "quarantine"
MANIFEST = "verified.json"
DISK_MARGIN = 256 * 1024**2  # leave room for the OS and the app's own files
_CHUNK = 8 * 1024**2
# http_get reads the network in chunks of huggingface_hub's DOWNLOAD_CHUNK_SIZE (10 MB) and
# reports progress once per chunk: too coarse for a progress bar on a slow link, for a
# prompt pause, and for what a killed app loses. 1 MiB costs nothing in throughput.
NETWORK_CHUNK = 1024**2


@dataclass(frozen=True)
class RemoteFile:
    repo_id: str
    filename: str
    revision: str  # the commit the file is taken from
    size: int
    sha256: str | None  # None only for files the Hub does not keep in LFS (small ones)


@dataclass(frozen=True)
class DownloadProgress:
    phase: str  # "checking" (hashing a part already on disk) | "downloading" | "verifying"
    filename: str
    done: int  # bytes of all files of the model
    total: int
    speed: float  # bytes per second over the last few seconds; 0 while unknown
    eta: float | None  # seconds left, None while unknown


class DownloadError(Exception):
    """A download that cannot go on; the message says why and what to do."""


class AuthRequired(DownloadError):
    """The Hub wants a token (401/403): a gated mirror, or rate limits for anonymous users."""


class ChecksumMismatch(DownloadError):
    def __init__(self, message: str, quarantined: Path) -> None:
        super().__init__(message)
        self.quarantined = quarantined


class NotEnoughDisk(DownloadError):
    def __init__(self, message: str, needed: int, free: int) -> None:
        super().__init__(message)
        self.needed = needed
        self.free = free


class DownloadStopped(Exception):
    """Paused (the partial file stays, to resume) or cancelled (it is deleted)."""

    def __init__(self, paused: bool) -> None:
        super().__init__("paused" if paused else "cancelled")
        self.paused = paused


def fmt_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if abs(n) < 1000 or unit == "TB":
            return f"{n:.0f} {unit}" if unit in ("B", "KB") else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"  # pragma: no cover


# -- the Hub ------------------------------------------------------------------------------
def _hub_call(what: str, endpoint: str, fn: Callable):
    """Run a huggingface_hub call, turning its exceptions into DownloadError for the user."""
    import httpx2
    from huggingface_hub.errors import (
        EntryNotFoundError,
        HfHubHTTPError,
        OfflineModeIsEnabled,
        RevisionNotFoundError,
    )

    try:
        return fn()
    except OfflineModeIsEnabled:
        raise DownloadError("Downloads are switched off (HF_HUB_OFFLINE is set). Unset it to download, "
                            "or choose a model file you already have.") from None
    except (RevisionNotFoundError, EntryNotFoundError) as exc:
        raise DownloadError(f"The Hub no longer has {what} ({exc.response.status_code}). Update Private Copilot, "
                            "or choose a model file you already have.") from None
    except HfHubHTTPError as exc:
        status = exc.response.status_code if exc.response is not None else None
        if status in (401, 403):
            raise AuthRequired(f"The Hub asks for a Hugging Face access token to download {what}. "
                               "Create a read token at huggingface.co/settings/tokens and enter it.") from None
        if status == 429:
            raise DownloadError("The Hub is limiting downloads right now (too many requests). Wait a few minutes "
                                "and resume, or enter a Hugging Face token: signed-in users get higher limits.") from None
        raise DownloadError(f"The Hub answered {status} for {what}. Try again later; the download resumes "
                            "where it stopped.") from None
    except (httpx2.ConnectError, httpx2.TimeoutException, httpx2.NetworkError, httpx2.RemoteProtocolError) as exc:
        raise DownloadError(f"Cannot reach {endpoint} ({type(exc).__name__}). Check the internet connection, "
                            "then resume: nothing downloaded so far is lost.") from None


def _headers(token: str | None) -> dict[str, str]:
    from huggingface_hub.utils import build_hf_headers

    # token=False: never fall back to a token file the user keeps for other programs.
    return build_hf_headers(token=token or False, library_name="private-copilot", library_version=__version__)


def remote_files(entry: CatalogEntry, *, token: str | None = None, endpoint: str | None = None) -> list[RemoteFile]:
    """Size and sha256 of each file of ``entry`` as the Hub has them now."""
    from huggingface_hub import HfApi

    endpoint = endpoint or hub_endpoint()
    api = HfApi(endpoint=endpoint, token=token or False, library_name="private-copilot",
                library_version=__version__)
    infos = _hub_call(entry.title, endpoint,
                      lambda: api.get_paths_info(entry.repo_id, list(entry.filenames), revision=entry.revision))
    by_path = {getattr(i, "path", None): i for i in infos}
    files = []
    for name in entry.filenames:
        info = by_path.get(name)
        if info is None or not hasattr(info, "size"):
            raise DownloadError(f"The Hub has no file {name} in {entry.repo_id}. Update Private Copilot, "
                                "or choose a model file you already have.")
        sha = info.lfs.sha256 if info.lfs else None
        files.append(RemoteFile(entry.repo_id, name, entry.revision, int(info.size), sha))
    return files


# -- partial files ------------------------------------------------------------------------
def _partial_paths(dest: Path, filename: str) -> tuple[Path, Path]:
    folder = dest / PARTIAL_DIR
    return folder / f"{filename}.part", folder / f"{filename}.json"


@dataclass(frozen=True)
class Pending:
    """A download that stopped before the end (paused, failed, or the app was killed)."""

    remote: RemoteFile
    done: int


def pending_downloads(dest: Path) -> list[Pending]:
    folder = dest / PARTIAL_DIR
    found = []
    for record in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        try:
            remote = RemoteFile(**json.loads(record.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            continue
        part = record.with_suffix(".part")
        found.append(Pending(remote, part.stat().st_size if part.exists() else 0))
    return found


def discard_partial(dest: Path, filename: str) -> None:
    for p in _partial_paths(dest, filename):
        p.unlink(missing_ok=True)


# -- verified files -------------------------------------------------------------------------
# One record per models folder, keyed by the file's resolved path: hashing 12 GB takes a
# minute, so a file is hashed once and trusted again while its size and mtime are unchanged.
# Files the user keeps elsewhere (LM Studio's folder, say) are recorded here too, never
# in their folders.
def _manifest(folder: Path) -> dict:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def record_verified(folder: Path, path: Path, sha256: str) -> None:
    """Remember in ``folder``'s record that ``path``, as it is now, hashes to ``sha256``."""
    data = _manifest(folder)
    real = Path(path).resolve()
    st = real.stat()
    data[str(real)] = {"sha256": sha256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(data, indent=2), encoding="utf-8")
    os.replace(tmp, folder / MANIFEST)


def verified_sha256(folder: Path, path: Path) -> str | None:
    """The sha256 recorded for ``path`` if the file has not changed since it was hashed."""
    real = Path(path).resolve()
    entry = _manifest(folder).get(str(real))
    try:
        st = real.stat()
    except OSError:
        return None
    if isinstance(entry, dict) and entry.get("size") == st.st_size and entry.get("mtime_ns") == st.st_mtime_ns:
        return entry.get("sha256")
    return None


def quarantine(path: Path, dest: Path) -> Path:
    folder = dest / QUARANTINE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{path.name.removesuffix('.part')}.{time.strftime('%Y%m%d-%H%M%S')}"
    os.replace(path, target)
    return target


# -- downloading ----------------------------------------------------------------------------
class _Speed:
    """Bytes per second over a sliding window of a few seconds."""

    def __init__(self, window: float = 4.0) -> None:
        self.window = window
        self.samples: list[tuple[float, int]] = []

    def add(self, done: int) -> float:
        now = time.monotonic()
        self.samples.append((now, done))
        while len(self.samples) > 2 and now - self.samples[0][0] > self.window:
            self.samples.pop(0)
        (t0, d0), (t1, d1) = self.samples[0], self.samples[-1]
        return (d1 - d0) / (t1 - t0) if t1 - t0 > 0.2 else 0.0


class _HashingFile:
    """The partial file as http_get sees it: a writer thread hashes and writes what arrives.

    Hashing and writing 1 MiB takes about as long as receiving it; on their own thread
    (hashlib and file writes release the GIL) they overlap with the network instead of
    adding to it. http_get seeks back and truncates when a server ignores the Range header
    and resends the whole file: the running hash then no longer describes the file, which
    is hashed again from disk at the end.
    """

    _DEPTH = 32  # chunks in flight: 32 MiB at most in memory

    def __init__(self, f, hasher) -> None:
        self._f = f
        self.hasher = hasher
        self.valid = True
        self._pos = f.tell()
        self._error: BaseException | None = None
        self._queue: queue.Queue = queue.Queue(self._DEPTH)
        self._thread = threading.Thread(target=self._drain, name="download-writer", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while True:
            data = self._queue.get()
            try:
                if data is None:
                    return
                if self._error is None:
                    if self.valid:
                        self.hasher.update(data)
                    self._f.write(data)
            except BaseException as exc:  # a full disk: reported to the network side at its next write
                self._error = exc
            finally:
                self._queue.task_done()

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def write(self, data: bytes) -> int:
        self._raise()
        self._queue.put(bytes(data))
        self._pos += len(data)
        return len(data)

    def tell(self) -> int:
        return self._pos

    def _settle(self) -> None:
        self._queue.join()
        self._raise()

    def seek(self, *args) -> int:
        self._settle()
        self.valid = False
        self._pos = self._f.seek(*args)
        return self._pos

    def truncate(self, *args) -> int:
        self._settle()
        self.valid = False
        return self._f.truncate(*args)

    def flush(self) -> None:
        self._settle()
        self._f.flush()

    def close(self) -> None:
        """Write out everything received (also when the transfer stopped), then stop the thread."""
        self._queue.put(None)
        self._thread.join()
        self._raise()


class Download:
    """One model's download. ``run`` blocks (call it on a worker thread); ``pause`` and
    ``cancel`` may be called from any thread and take effect within one network chunk."""

    def __init__(self, entry: CatalogEntry, dest: Path, *, token: str | None = None,
                 endpoint: str | None = None,
                 on_progress: Callable[[DownloadProgress], None] | None = None,
                 disk_usage: Callable[[Path], int] | None = None, report_interval: float = 0.1,
                 manifest: Path | None = None) -> None:
        self.entry = entry
        self.dest = Path(dest)
        self.manifest = manifest or self.dest
        self.token = token
        self.endpoint = endpoint or hub_endpoint()
        self.on_progress = on_progress or (lambda p: None)
        self._disk_free = disk_usage or (lambda p: shutil.disk_usage(p).free)
        self._stop: bool | None = None  # None: run; True: pause; False: cancel
        self._lock = threading.Lock()
        self._total = 0
        self._before = 0  # bytes of the files finished before the current one
        self._speed = _Speed()
        self._last_report = 0.0
        self._interval = report_interval

    @property
    def path(self) -> Path:
        return self.dest / self.entry.filename

    def pause(self) -> None:
        with self._lock:
            if self._stop is None:
                self._stop = True

    def cancel(self) -> None:
        with self._lock:
            self._stop = False

    def _check_stop(self) -> None:
        if self._stop is not None:
            raise DownloadStopped(paused=self._stop)

    def run(self) -> Path:
        """Download (or resume) every file, verify it, and return the path to load."""
        self.dest.mkdir(parents=True, exist_ok=True)
        files = remote_files(self.entry, token=self.token, endpoint=self.endpoint)
        self._total = sum(f.size for f in files)
        todo = [f for f in files if not self._already_there(f)]
        self._check_disk(todo)
        self._before = self._total - sum(f.size for f in todo)
        try:
            for remote in todo:
                self._check_stop()
                self._fetch(remote)
                self._before += remote.size
        except DownloadStopped as stop:
            if not stop.paused:
                for remote in todo:
                    discard_partial(self.dest, remote.filename)
            raise
        return self.path

    def _already_there(self, remote: RemoteFile) -> bool:
        final = self.dest / remote.filename
        if not final.exists():
            return False
        if remote.sha256 and verified_sha256(self.manifest, final) == remote.sha256:
            return True
        # A file of that name that we did not verify (or that changed, or a re-upload):
        # do not overwrite what may be the user's; download beside it and swap at the end.
        return False

    def _check_disk(self, todo: list[RemoteFile]) -> None:
        needed = 0
        for remote in todo:
            part, record = _partial_paths(self.dest, remote.filename)
            have = part.stat().st_size if part.exists() and self._same_record(record, remote) else 0
            needed += max(remote.size - have, 0)
        if not needed:
            return
        free = self._disk_free(self.dest)
        if free < needed + DISK_MARGIN:
            raise NotEnoughDisk(
                f"Not enough disk space in {self.dest}: the download needs {fmt_bytes(needed + DISK_MARGIN)} "
                f"and {fmt_bytes(free)} is free. Free up space, or choose another folder for models.",
                needed + DISK_MARGIN, free)

    @staticmethod
    def _same_record(record: Path, remote: RemoteFile) -> bool:
        try:
            old = json.loads(record.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return old.get("sha256") == remote.sha256 and old.get("size") == remote.size

    def _fetch(self, remote: RemoteFile) -> None:
        from huggingface_hub import constants, get_hf_file_metadata, hf_hub_url
        from huggingface_hub.file_download import http_get

        constants.DOWNLOAD_CHUNK_SIZE = NETWORK_CHUNK

        part, record = _partial_paths(self.dest, remote.filename)
        part.parent.mkdir(parents=True, exist_ok=True)
        if not self._same_record(record, remote):
            # a different file (a re-upload, another revision), or none: start from zero
            part.unlink(missing_ok=True)
            record.write_text(json.dumps(asdict(remote)), encoding="utf-8")
        if part.exists() and part.stat().st_size > remote.size:
            part.unlink()

        hasher = hashlib.sha256()
        resume = part.stat().st_size if part.exists() else 0
        if resume:
            self._hash_existing(part, hasher, remote)

        url = hf_hub_url(remote.repo_id, remote.filename, revision=remote.revision, endpoint=self.endpoint)
        headers = _headers(self.token)
        meta = _hub_call(remote.filename, self.endpoint,
                         lambda: get_hf_file_metadata(url, token=self.token or False, endpoint=self.endpoint,
                                                      headers={"user-agent": headers.get("user-agent", "")}))
        if meta.size is not None and meta.size != remote.size:
            raise DownloadError(f"The Hub gives two different sizes for {remote.filename}; it is probably being "
                                "updated. Try again in a few minutes.")
        if urlsplit(meta.location).netloc != urlsplit(url).netloc:
            headers.pop("authorization", None)  # a signed storage address: the token stays with the Hub
        self._report("downloading", remote.filename, self._before + resume, force=True)
        with open(part, "ab") as f:
            sink = _HashingFile(f, hasher)
            try:
                _hub_call(remote.filename, self.endpoint,
                          lambda: http_get(meta.location, sink, resume_size=resume, headers=headers,
                                           expected_size=remote.size, tqdm_class=self._bar_class(remote.filename)))
            finally:
                sink.close()  # what arrived before a pause or an error is kept, to resume from
            f.flush()
            os.fsync(f.fileno())
        self._report("downloading", remote.filename, self._before + remote.size, force=True)
        if not sink.valid:
            hasher = hashlib.sha256()
            self._hash_existing(part, hasher, remote, phase="verifying")
        self._verify(part, record, remote, hasher.hexdigest())

    def _hash_existing(self, part: Path, hasher, remote: RemoteFile, phase: str = "checking") -> None:
        size = part.stat().st_size
        done = 0
        with open(part, "rb") as f:
            while chunk := f.read(_CHUNK):
                self._check_stop()
                hasher.update(chunk)
                done += len(chunk)
                self._report(phase, remote.filename, self._before + done)
        self._report(phase, remote.filename, self._before + size, force=True)

    def _verify(self, part: Path, record: Path, remote: RemoteFile, digest: str) -> None:
        if remote.sha256 and digest != remote.sha256:
            moved = quarantine(part, self.dest)
            record.unlink(missing_ok=True)
            raise ChecksumMismatch(
                f"The downloaded {remote.filename} is damaged: its checksum does not match the Hub's. "
                f"It was moved aside to {moved} and will not be used. Download it again.", moved)
        final = self.dest / remote.filename
        os.replace(part, final)
        record.unlink(missing_ok=True)
        if remote.sha256:
            record_verified(self.manifest, final, digest)
        log.info("downloaded and verified %s (%d bytes)", remote.filename, remote.size)

    def _report(self, phase: str, filename: str, done: int, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_report < self._interval:
            return
        self._last_report = now
        speed = self._speed.add(done) if phase == "downloading" else 0.0
        eta = (self._total - done) / speed if speed > 0 else None
        self.on_progress(DownloadProgress(phase, filename, done, self._total, speed, eta))

    def _bar_class(self, filename: str):
        download = self

        class _Bar:
            """What http_get takes for a tqdm progress bar: counts bytes, and is where a
            pause or cancel interrupts the transfer (between two network chunks)."""

            def __init__(self, *args, total=None, initial=0, **kwargs) -> None:
                self.n = initial

            def update(self, n: int = 1) -> None:
                self.n += n
                download._check_stop()
                download._report("downloading", filename, download._before + self.n)

            def __enter__(self):
                return self

            def __exit__(self, *exc) -> None:
                return None

            def close(self) -> None:
                return None

        return _Bar
