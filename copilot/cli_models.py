"""`private-copilot models list | download | verify | import`: the wizard's work, headless.

(`models bench` is `private-copilot bench`, in cli.py.) Progress goes to stderr, results to
stdout; exit codes are cli.py's.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from copilot.cli import EXIT_CANCELLED, EXIT_FAILED, EXIT_MODEL, EXIT_OK, CliError, _CtrlC
from copilot.core.audio import format_duration
from copilot.core.models import catalog
from copilot.core.models.download import fmt_bytes
from copilot.core.paths import AppPaths
from copilot.core.settings import Settings, save_settings


def run(args, settings: Settings, paths: AppPaths, stdout: TextIO, stderr: TextIO) -> int:
    command = args.models_command
    if command == "list":
        return _list(args, settings, paths, stdout)
    if command == "download":
        return _download(args, settings, paths, stdout, stderr)
    if command == "verify":
        check_file(Path(args.path).expanduser(), paths, stderr)
        print(f"{args.path}: OK", file=stdout)
        return EXIT_OK
    if command == "import":
        return _import(args, settings, paths, stdout, stderr)
    raise CliError(f"unknown models action {command}", 2)


# -- list ---------------------------------------------------------------------------------
def _list(args, settings: Settings, paths: AppPaths, stdout: TextIO) -> int:
    from copilot.core.models.discover import discover
    from copilot.core.models.download import pending_downloads, verified_sha256

    pending = {p.remote.filename: p for p in pending_downloads(paths.models)}
    rows = []
    for e in catalog.CATALOG:
        path = paths.models / e.filename
        if path.exists():
            state = "downloaded, verified" if verified_sha256(paths.models, path) else "downloaded, not verified"
        elif e.filename in pending:
            p = pending[e.filename]
            state = f"paused at {fmt_bytes(p.done)} of {fmt_bytes(p.remote.size)}"
        else:
            state = "not downloaded"
        rows.append({"name": e.key, "repo": e.repo_id, "file": e.filename, "size": e.approx_size,
                     "state": state, "path": str(path) if path.exists() else None})
    for e in catalog.SPEECH_CATALOG:
        folder = paths.speech_models / e.key
        done = catalog.speech_downloaded(e, paths.speech_models)
        rows.append({"name": e.key, "repo": e.repo_id, "file": "/".join(e.filenames), "size": e.approx_size,
                     "state": "downloaded" if done else "not downloaded", "path": str(folder) if done else None})
    found = [f for f in discover(models_dir=paths.models) if f.path.parent != paths.models]
    current = settings.model_path or (str(paths.models / catalog.DEFAULT.filename)
                                      if (paths.models / catalog.DEFAULT.filename).exists() else "")
    if args.json:
        print(json.dumps({
            "current": current or None,
            "catalog": rows,
            "found": [{"path": str(f.path), "source": f.source, "label": f.label, "size": f.size,
                       "usable": f.usable, "reason": f.reason} for f in found],
        }, indent=2), file=stdout)
        return EXIT_OK
    print(f"In use: {current or 'none (run `private-copilot models download gpt-oss-20b`)'}", file=stdout)
    print("\nCatalog:", file=stdout)
    for r in rows:
        print(f"  {r['name']:<22} ~{fmt_bytes(r['size']):>9}  {r['state']}", file=stdout)
    print("\nFound on this computer:" if found else "\nNo other gpt-oss GGUF files found on this computer.",
          file=stdout)
    for f in found:
        status = "usable" if f.usable else f"not usable: {f.reason}"
        print(f"  {f.label}\n    {f.path} ({fmt_bytes(f.size)}, {status})", file=stdout)
    return EXIT_OK


# -- download -----------------------------------------------------------------------------
class _ProgressLine:
    """One updating line on a terminal; a line per 10 % when stderr is a file or a pipe."""

    def __init__(self, stderr: TextIO) -> None:
        self.stderr = stderr
        self.tty = stderr.isatty()
        self.last_decile = -1
        self.last = 0.0

    def __call__(self, p) -> None:
        pct = 100 * p.done / p.total if p.total else 0
        verb = {"checking": "Checking the part already downloaded", "verifying": "Verifying"}.get(p.phase,
                                                                                                   "Downloading")
        speed = f"  {fmt_bytes(p.speed)}/s" if p.speed else ""
        eta = f"  {format_duration(p.eta)} left" if p.eta is not None and p.phase == "downloading" else ""
        text = f"{verb} {p.filename}: {fmt_bytes(p.done)} of {fmt_bytes(p.total)} ({pct:.0f}%){speed}{eta}"
        if self.tty:
            now = time.monotonic()
            if now - self.last >= 0.2 or p.done == p.total:
                self.last = now
                print(f"\r\033[K{text}", end="", file=self.stderr, flush=True)
        elif int(pct // 10) != self.last_decile:
            self.last_decile = int(pct // 10)
            print(text, file=self.stderr, flush=True)

    def end(self) -> None:
        if self.tty:
            print(file=self.stderr)


def _download(args, settings: Settings, paths: AppPaths, stdout: TextIO, stderr: TextIO) -> int:
    from copilot.core.models.download import (
        AuthRequired,
        ChecksumMismatch,
        Download,
        DownloadError,
        DownloadStopped,
    )
    from copilot.core.secrets import HF_TOKEN, SecretStore

    try:
        entry = catalog.entry(args.name)
    except KeyError as exc:
        raise CliError(str(exc.args[0]), 2) from None
    speech = catalog.is_speech(entry)
    if speech:  # a folder of files; small beside the language model, so no fit check
        dest = Path(args.dir).expanduser() if args.dir else paths.speech_models / entry.key
    else:
        dest = Path(args.dir).expanduser() if args.dir else paths.models
        _refuse_if_it_cannot_fit(entry, dest)
    progress = _ProgressLine(stderr)
    download = Download(entry, dest, token=SecretStore().get(HF_TOKEN), on_progress=progress,
                        manifest=paths.models)

    class _Pause:  # what _CtrlC calls on the first Ctrl+C
        def cancel(self) -> None:
            download.pause()

    print(f"Downloading {entry.title} from {catalog.hub_endpoint()}/{entry.repo_id} into {dest}", file=stderr)
    with _CtrlC(_Pause()):
        try:
            path = download.run()
        except DownloadStopped:
            progress.end()
            print("Paused. Run the same command to resume where it stopped.", file=stderr)
            return EXIT_CANCELLED
        except AuthRequired as exc:
            progress.end()
            raise CliError(f"{exc} Set it in $HF_TOKEN, or save it in the app's model manager.", EXIT_FAILED) from None
        except ChecksumMismatch as exc:
            progress.end()
            raise CliError(str(exc), EXIT_MODEL) from None
        except DownloadError as exc:
            progress.end()
            raise CliError(str(exc), EXIT_FAILED) from None
        except OSError as exc:  # the disk filled up under us, a folder we may not write, …
            progress.end()
            raise CliError(f"Cannot write to {dest}: {exc.strerror or exc}. The download resumes where it "
                           "stopped once this is fixed.", EXIT_FAILED) from None
    progress.end()
    if speech:
        if args.dir or settings.asr_model_path:
            save_settings(paths.settings_file, replace(settings, asr_model_path=str(dest)))
        print(str(dest), file=stdout)
        return EXIT_OK
    if dest != paths.models or settings.model_path:
        _use(path, settings, paths)
    print(str(path), file=stdout)
    return EXIT_OK


def _refuse_if_it_cannot_fit(entry, dest: Path) -> None:
    """No 63 GB download to learn at the end that the model will not run here."""
    from copilot.core.models import fit, hardware

    plan = fit.plan(fit.catalog_shape(entry.key), hardware.detect(dest))
    if plan.verdict == "no_fit":
        raise CliError(f"{entry.title} will not fit in this computer's memory, so it is not downloaded "
                       f"(~{fmt_bytes(entry.approx_size)}). {' '.join(plan.reasons)}", EXIT_MODEL)


# -- verify / import ----------------------------------------------------------------------
def check_file(path: Path, paths: AppPaths, stderr: TextIO) -> None:
    """Header, loadability, and the checksum where a reference is known."""
    from copilot.core.models.download import DownloadProgress
    from copilot.core.models.gguf_header import ModelFileError
    from copilot.core.models.verify import check_file as check_structure
    from copilot.core.models.verify import verify_checksum

    progress = _ProgressLine(stderr)
    try:
        info = check_structure(path)
        print(f"{path.name}: {info.architecture}, {fmt_bytes(info.file_size)}, header and tensors OK", file=stderr)
        how = verify_checksum(path, paths.models, on_progress=lambda done, total: progress(
            DownloadProgress("verifying", path.name, done, total, 0.0, None)))
    except ModelFileError as exc:
        progress.end()
        raise CliError(str(exc), EXIT_MODEL) from None
    progress.end()
    print({"recorded": "Checksum verified before, file unchanged since.",
           "hashed": "Checksum verified.",
           "unknown": "No reference checksum is known for this file (it was not downloaded by Private Copilot); "
                      "its structure was checked."}[how], file=stderr)


def _import(args, settings: Settings, paths: AppPaths, stdout: TextIO, stderr: TextIO) -> int:
    path = Path(args.path).expanduser().resolve()
    if path.is_dir():  # a faster-whisper speech model folder
        from copilot.core.speech import SpeechModelError, check_model_dir

        try:
            check_model_dir(path)
        except SpeechModelError as exc:
            raise CliError(str(exc), EXIT_MODEL) from None
        save_settings(paths.settings_file, replace(settings, asr_model_path=str(path)))
        print(f"Private Copilot now transcribes with the speech model in {path} (nothing was copied).", file=stdout)
        return EXIT_OK
    check_file(path, paths, stderr)
    _use(path, settings, paths)
    print(f"Private Copilot now uses {path} in place (nothing was copied).", file=stdout)
    return EXIT_OK


def _use(path: Path, settings: Settings, paths: AppPaths) -> None:
    save_settings(paths.settings_file, replace(settings, model_path=str(path)))
