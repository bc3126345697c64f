"""The diagnostics bundle: a zip a user can attach to a bug report, with nothing of their text.

What goes in: app and library versions; llama.cpp's system info and backend; the hardware
(core.doctor's report); the settings, secrets and home-folder paths redacted; the tail of
each log file; the last benchmark and the fit plan of the chosen model; the network audit;
and the figures of past runs (core.store.Run: counts and speeds, never text).

What never goes in: drafts, history, prompts, answers, transcripts (the database is not
read for anything but the ``runs`` table). Redaction happens here, on every member, so a
caller cannot forget it: home folder -> ``~``, the user name -> ``<user>``, values of keys
named like a secret, and token-shaped strings (``hf_…``, ``sk-…``, ``Bearer …``, URL passwords).

Help ▸ Save diagnostics… (ui/diagnostics_dialog.py) and ``private-copilot diagnostics -o
FILE.zip`` (cli_diagnostics.py) both build a :class:`Bundle` with :func:`collect`, show its
:meth:`Bundle.summary`, then :meth:`Bundle.write` it.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import platform
import re
import sqlite3
import sys
import tempfile
import time
import zipfile
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import Any

from copilot import __version__
from copilot.core.paths import AppPaths

log = logging.getLogger("copilot.diagnostics")

LOG_CAP = 2 * 1024 * 1024  # bytes of each log file: its last 2 MB
MAX_LOG_FILES = 10  # the newest ones
BENCHMARK_FILE = "last_benchmark.json"  # under AppPaths.data: written by save_last_benchmark
RECENT_RUNS = 200
REDACTED = "<redacted>"
PACKAGES = ("PySide6", "llama_cpp_python", "huggingface_hub", "numpy", "psutil", "platformdirs", "keyring",
            "pynput", "faster-whisper", "ctranslate2", "av", "icalendar", "python-docx", "lxml", "gguf")
_SECRET_ANYWHERE = {"password", "passwd", "passphrase", "secret", "secrets", "credential", "credentials", "apikey",
                    "authorization", "cookie", "auth"}
_SECRET_LAST = {"token", "key", "pat"}  # hf_token, server_api_key… as the name's last word
_NOT_SECRET_BEFORE = {"first", "last", "hot", "sort", "primary", "foreign", "per", "max", "min"}  # time_to_first_token
_TOKEN_PATTERNS = (
    re.compile(r"\bhf_[A-Za-z0-9]{8,}"),  # Hugging Face
    re.compile(r"\bsk-[A-Za-z0-9_\-]{8,}"),  # OpenAI-style API keys
    re.compile(r"(?i)\b(bearer|token)\s+[A-Za-z0-9._\-+/=]{8,}"),
)
_URL_PASSWORD = re.compile(r"(?P<scheme>[a-z][a-z0-9+.\-]*://)(?P<auth>[^/@\s:]+(:[^/@\s]*)?)@", re.I)


class DiagnosticsError(Exception):
    """The bundle could not be written; the message is for the user."""


def is_secret_key(name: str) -> bool:
    """``api_key``, ``hf_token``, ``serverPassword``… but not ``hotkey`` or ``kv_type``."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(name))
    parts = [p for p in re.split(r"[^A-Za-z0-9]+", spaced.lower()) if p]
    if not parts:
        return False
    if any(p in _SECRET_ANYWHERE for p in parts) or "".join(parts).endswith(("apikey", "password", "secret")):
        return True
    return parts[-1] in _SECRET_LAST and (len(parts) < 2 or parts[-2] not in _NOT_SECRET_BEFORE)


class Redactor:
    """Home folder -> ``~``, the user name -> ``<user>``, secrets -> ``<redacted>``."""

    def __init__(self, home: str | os.PathLike[str] | None = None, user: str | None = None) -> None:
        home = str(home if home is not None else Path.home())
        variants = {home, home.replace("\\", "/")}
        try:
            variants.add(str(Path(home).resolve()))
        except OSError:
            pass
        # longest first: /home/ana/x must not become ~ana/x through /home/an
        self._homes = sorted((v.rstrip("/\\") for v in variants if len(v.rstrip("/\\")) > 1), key=len, reverse=True)
        if user is None:
            try:
                user = getpass.getuser()
            except Exception:  # no name for this uid (containers): nothing to replace
                user = ""
        self._user = re.compile(rf"(?<![A-Za-z0-9]){re.escape(user)}(?![A-Za-z0-9])", re.I) if len(user) >= 2 \
            else None

    def text(self, s: str) -> str:
        for home in self._homes:
            s = s.replace(home, "~")
        for pattern in _TOKEN_PATTERNS:
            s = pattern.sub(REDACTED, s)
        s = _URL_PASSWORD.sub(lambda m: f"{m['scheme']}{REDACTED}@", s)
        if self._user is not None:
            s = self._user.sub("<user>", s)
        return s

    def tree(self, value: Any, key: str = "") -> Any:
        """A JSON-able copy of ``value`` (dicts, lists, dataclasses, paths), redacted."""
        if key and is_secret_key(key) and value not in (None, "", False, 0):
            return REDACTED
        if is_dataclass(value) and not isinstance(value, type):
            value = asdict(value)
        if isinstance(value, dict):
            return {str(k): self.tree(v, str(k)) for k, v in value.items()}
        if isinstance(value, (list, tuple, set, frozenset)):
            return [self.tree(v) for v in value]
        if isinstance(value, (bool, int, float)) or value is None:
            return value
        return self.text(str(value))


@dataclass(frozen=True)
class Member:
    name: str  # path inside the zip
    data: bytes
    about: str  # one line for the summary

    @property
    def size(self) -> int:
        return len(self.data)


@dataclass
class Bundle:
    members: list[Member] = field(default_factory=list)
    created: float = field(default_factory=time.time)

    def add_text(self, name: str, text: str, about: str) -> None:
        self.members.append(Member(name, text.encode("utf-8"), about))

    def add_json(self, name: str, value: Any, about: str) -> None:
        self.add_text(name, json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n", about)

    def names(self) -> list[str]:
        return [m.name for m in self.members]

    def member(self, name: str) -> Member:
        return next(m for m in self.members if m.name == name)

    @property
    def size(self) -> int:
        return sum(m.size for m in self.members)

    def summary(self) -> str:
        """What is inside, one line a file: shown before anything is saved."""
        width = max((len(m.name) for m in self.members), default=10)
        lines = [f"Diagnostics bundle: {len(self.members)} files, {human_size(self.size)} before compression"]
        lines += [f"  {m.name:<{width}}  {human_size(m.size):>9}  {m.about}" for m in self.members]
        lines.append("Nothing you typed or the model wrote is included; secrets, your user name and paths "
                     "in your home folder are redacted.")
        return "\n".join(lines)

    def write(self, dest: str | os.PathLike[str]) -> Path:
        """Write the zip to ``dest`` whole or not at all (a temp file, then a rename);
        DiagnosticsError with a message for the user when it cannot be written."""
        dest = Path(dest).expanduser()
        if dest.is_dir():
            raise DiagnosticsError(f"{dest} is a folder: choose a file name ending in .zip.")
        folder = dest.parent
        if not folder.is_dir():
            raise DiagnosticsError(f"Cannot write {dest}: the folder {folder} does not exist.")
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(prefix=".diagnostics-", suffix=".zip", dir=folder)
            stamp = time.localtime(self.created)[:6]
            with os.fdopen(fd, "wb") as f, zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
                for m in self.members:
                    info = zipfile.ZipInfo(m.name, date_time=stamp)
                    info.compress_type = zipfile.ZIP_DEFLATED
                    z.writestr(info, m.data)
            os.replace(tmp, dest)
            tmp = None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            raise DiagnosticsError(f"Cannot write {dest}: {reason}. Choose another folder.") from None
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
        log.info("diagnostics bundle written: %d files, %d bytes", len(self.members), self.size)
        return dest


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    for unit in ("KB", "MB", "GB", "TB"):
        n /= 1024
        if n < 1024 or unit == "TB":
            return f"{n:.1f} {unit}"
    return f"{n:.1f} TB"  # pragma: no cover


# -- the parts ----------------------------------------------------------------------------
def read_tail(path: Path, cap: int = LOG_CAP) -> tuple[str, int, bool]:
    """The last ``cap`` bytes of ``path`` (from a line start), its whole size, whether it was cut.
    Reads only those bytes: a 10 GB log costs 2 MB of memory."""
    with open(path, "rb") as f:
        size = f.seek(0, os.SEEK_END)
        start = max(0, size - cap)
        f.seek(start)
        data = f.read(cap)
    cut = start > 0
    if cut:  # drop the partial first line
        nl = data.find(b"\n")
        data = data[nl + 1:] if nl >= 0 else data
    return data.decode("utf-8", "replace"), size, cut


def versions() -> dict[str, Any]:
    from importlib import metadata

    packages = {}
    for name in PACKAGES:
        try:
            packages[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            packages[name] = None
    return {"app": __version__, "python": sys.version.split()[0], "implementation": platform.python_implementation(),
            "platform": platform.platform(), "machine": platform.machine(), "frozen": bool(getattr(sys, "frozen", False)),
            "packages": packages}


def llama_info() -> dict[str, Any]:
    try:
        import llama_cpp

        from copilot.core.engine import _backend_name

        return {"version": llama_cpp.__version__, "backend": _backend_name(llama_cpp),
                "gpu_offload": bool(llama_cpp.llama_supports_gpu_offload()),
                "system_info": llama_cpp.llama_print_system_info().decode("utf-8", "replace").strip()}
    except Exception as exc:  # most useful exactly when llama.cpp is broken
        return {"error": f"{type(exc).__name__}: {exc}"}


def system_report(paths: AppPaths, model: Path | None) -> dict[str, Any]:
    from copilot.core.doctor import doctor_report

    try:
        return doctor_report(paths, model)
    except Exception as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}


def fit_plan(paths: AppPaths, model: Path | None, settings) -> dict[str, Any]:
    """How the chosen model fits this computer now (core.models.fit.plan: header only, no load)."""
    if model is None or not model.exists():
        return {"status": "no model file chosen or found"}
    try:
        from copilot.core.models import fit, hardware
        from copilot.core.models.gguf_header import inspect_gguf

        shape = fit.shape_of(inspect_gguf(model))
        p = fit.plan(shape, hardware.detect(paths.models, quick=True), want_ctx=getattr(settings, "n_ctx", 16384),
                     flash_attn=getattr(settings, "flash_attn", True))
        return {"status": "ok", "model": str(model), "plan": asdict(p)}
    except Exception as exc:
        return {"status": "failed", "model": str(model), "error": f"{type(exc).__name__}: {exc}"}


def save_last_benchmark(paths: AppPaths, result: Any, plan: Any = None) -> Path:
    """Keep a benchmark (benchmark.BenchResult) and the plan it ran with, for the next bundle."""
    record = {"time": time.time(), "result": asdict(result) if is_dataclass(result) else result,
              "plan": asdict(plan) if is_dataclass(plan) else plan}
    target = paths.data / BENCHMARK_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(json.dumps(record, indent=2, default=str), encoding="utf-8")
    os.replace(tmp, target)
    return target


def last_benchmark(paths: AppPaths) -> dict[str, Any]:
    target = paths.data / BENCHMARK_FILE
    if not target.exists():
        return {"status": "none recorded (run `private-copilot bench PATH`, or the model manager's quick test)"}
    try:
        return {"status": "ok", **json.loads(target.read_text(encoding="utf-8"))}
    except (OSError, ValueError) as exc:
        return {"status": "unreadable", "error": str(exc)}


def network_audit() -> tuple[Any, str]:
    """(the audit's events, its summary); "not available" where core.netaudit does not exist."""
    import importlib

    try:
        netaudit = importlib.import_module("copilot.core.netaudit")
    except ImportError:
        return None, "network audit: not available"
    try:
        return list(netaudit.snapshot()), str(netaudit.summary())
    except Exception as exc:
        return None, f"network audit: failed ({type(exc).__name__})"


def run_figures(store=None, database: Path | None = None) -> dict[str, Any]:
    """Totals per day and per backend, and the recent runs: figures only (store.Run)."""
    from copilot.core.store import Store

    opened = None
    try:
        if store is None:
            if database is None or not database.exists():
                return {"status": "no database"}
            store = opened = Store.read_only(database)
        return {"status": "ok", "private_mode": bool(store.ephemeral),
                "per_day": [t.as_dict() for t in store.run_totals("day")],
                "per_backend": [t.as_dict() for t in store.run_totals("backend")],
                "recent": [r.as_dict() for r in store.runs(RECENT_RUNS)]}
    except sqlite3.Error as exc:
        return {"status": "unreadable", "error": f"{type(exc).__name__}: {exc}"}
    finally:
        if opened is not None:
            opened.close()


def log_files(paths: AppPaths) -> list[Path]:
    if not paths.logs.is_dir():
        return []
    files = [p for p in paths.logs.iterdir() if p.is_file() and ".log" in p.name]
    files.sort(key=lambda p: p.stat().st_mtime, reverse=True)
    return files[:MAX_LOG_FILES]


def collect(paths: AppPaths, settings=None, *, store=None, model: Path | None = None, loaded: Any = None,
            redactor: Redactor | None = None, log_cap: int = LOG_CAP, system: bool = True) -> Bundle:
    """Everything the bundle holds, redacted, in memory (the logs at most ``log_cap`` bytes each).

    ``store``: the app's open store (in private mode, memory only); otherwise the database file is
    opened read-only for its run figures. ``loaded``: the engine.ModelInfo now loaded, if any.
    ``system=False`` leaves out the hardware probe (tests)."""
    from copilot.core.settings import Settings, changed_keys, load_settings

    r = redactor or Redactor()
    warnings: list[str] = []
    if settings is None:
        settings, warnings = load_settings(paths.settings_file)
    if model is None:
        chosen = Path(settings.model_path).expanduser() if settings.model_path else paths.models / "gpt-oss-20b-mxfp4.gguf"
        model = chosen if chosen.exists() else None
    b = Bundle()

    b.add_json("versions.json", r.tree(versions()), "app and library versions")
    b.add_json("llama_cpp.json", r.tree(llama_info()), "llama.cpp version, backend and system info")
    if system:
        b.add_json("system.json", r.tree(system_report(paths, model)), "hardware, llama.cpp build and model file")
    state = {"settings": asdict(settings) if isinstance(settings, Settings) else dict(vars(settings)),
             "changed_from_defaults": sorted(changed_keys(settings)) if isinstance(settings, Settings) else [],
             "warnings": warnings,
             "private_mode": getattr(settings, "history_retention", "") == "none",
             "loaded_model": None if loaded is None else {
                 "name": getattr(loaded, "name", ""), "backend": getattr(loaded, "backend", ""),
                 "architecture": getattr(loaded, "architecture", ""), "n_ctx": getattr(loaded, "n_ctx", 0)},
             "paths": {"config": str(paths.config), "data": str(paths.data), "cache": str(paths.cache),
                       "logs": str(paths.logs)}}
    b.add_json("settings.json", r.tree(state), "settings, secrets and home paths redacted")
    b.add_json("benchmark.json", r.tree({"last_benchmark": last_benchmark(paths),
                                         "fit_plan": fit_plan(paths, model, settings)}),
               "the last benchmark and the fit plan of the chosen model")
    events, audit_summary = network_audit()
    audit = {"summary": audit_summary, "events": events} if events is not None else {"summary": audit_summary}
    b.add_json("network_audit.json", r.tree(audit), audit_summary.splitlines()[0] if audit_summary else "")
    b.add_json("runs.json", r.tree(run_figures(store, paths.database)),
               "figures of past runs: tokens, speed, backend (never their text)")
    for path in log_files(paths):
        try:
            text, size, cut = read_tail(path, log_cap)
        except OSError as exc:
            warnings.append(f"{path.name}: not readable ({exc.strerror or exc})")
            continue
        about = (f"log, the last {human_size(log_cap)} of {human_size(size)}" if cut
                 else f"log, whole ({human_size(size)})")
        header = f"[diagnostics: last {log_cap} bytes of {size}]\n" if cut else ""
        b.add_text(f"logs/{path.name}", header + r.text(text), about)
    readme = [f"Private Copilot {__version__} diagnostics, made {time.strftime('%Y-%m-%d %H:%M:%S %z')}", "",
              "Inside:"] + [f"  {m.name}: {m.about}" for m in b.members] + [
              "", "Left out on purpose: drafts, history, prompts, answers, transcripts and recordings.",
              "Redacted: secrets (API keys, tokens), the user name, paths in the home folder (shown as ~).",
              f"Each log is cut to its last {human_size(log_cap)}."]
    if warnings:
        readme += ["", "Notes:"] + [f"  {w}" for w in warnings]
    b.members.insert(0, Member("README.txt", (r.text("\n".join(readme)) + "\n").encode("utf-8"),
                               "what is inside, and what was left out"))
    return b


def default_filename(now: float | None = None) -> str:
    return time.strftime("private-copilot-diagnostics-%Y%m%d-%H%M%S.zip", time.localtime(now))
