"""Headless subcommands: rewrite, reply, summarize, tasks, check, transcribe, doctor, bench, models.

Exit codes (stable, for scripts):
  0 success, 1 generation failed, 2 usage error, 3 model file problem,
  4 input problem (empty, unreadable, too long), 130 cancelled with Ctrl+C.
The answer goes to stdout as it streams; everything else goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import queue
import signal
import sys
import threading
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator, TextIO

from copilot import __version__, cli_actions, cli_diagnostics
from copilot.core.audio import AUDIO_SUFFIXES, is_audio
from copilot.core.events import Answer, Cited, Failed, Finished, Findings, JobEvent, Notice, Progress, Reasoning
from copilot.core.harmony import REASONING_EFFORTS
from copilot.core.paths import AppPaths, app_paths
from copilot.core.settings import Settings, load_settings
from copilot.core.tasks.email import INTENTS, LENGTHS, TONES
from copilot.core.tasks.meeting import TEMPLATES
from copilot.core.tasks.writing import BUILTIN_ACTIONS

ACTIONS_HELP = [k for k in BUILTIN_ACTIONS if k != "custom"]

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_MODEL, EXIT_INPUT, EXIT_CANCELLED = 0, 1, 2, 3, 4, 130
DEFAULT_MODEL_FILE = "gpt-oss-20b-mxfp4.gguf"

log = logging.getLogger("copilot.cli")


class CliError(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="private-copilot",
        description="Private Copilot: email replies, meeting minutes and writing help from gpt-oss-20b, "
                    "entirely on this computer. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--basedir", metavar="DIR",
                        help="keep every file the app uses (settings, data, models, cache, logs) under DIR")
    parser.add_argument("--show", action="store_true",
                        help="bring the running app's window to the front (start it if none runs)")
    parser.add_argument("--smoke-test", action="store_true",
                        help="check that this installation works (llama.cpp, a tiny bundled model, the window), "
                             "in a temporary folder; prints one line, exits 0 if all is well")
    parser.add_argument("--trigger", nargs="?", const="", metavar="ACTION",
                        help="act as if the global hotkey was pressed in the running app (bind this in your "
                             "desktop's shortcut settings where global hotkeys are not available, e.g. Wayland); "
                             "ACTION (proofread, rewrite, …) starts that action at once")
    parser.add_argument("--model", dest="gui_model", metavar="PATH",
                        help="open the app with this GGUF model instead of the one in Settings")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def model_options(p: argparse.ArgumentParser) -> None:
        g = p.add_argument_group("model")
        g.add_argument("--model", metavar="PATH", help="GGUF model file (default: the one chosen in the app); "
                                                        "with --endpoint, the server's model name")
        g.add_argument("--endpoint", metavar="URL",
                       help="an OpenAI-compatible server (vLLM, llama-server, Ollama, LM Studio), e.g. "
                            "http://gpu-box:8000/v1, instead of the local model: the text is sent there")
        g.add_argument("--api-key-from-keyring", action="store_true",
                       help="send the server API key saved in the app's Settings (kept in the OS keyring)")
        g.add_argument("--reasoning", choices=REASONING_EFFORTS,
                       help="gpt-oss reasoning effort (default: depends on the task)")
        g.add_argument("--show-reasoning", action="store_true",
                       help="print the model's reasoning to stderr as it thinks")
        g.add_argument("--ctx", type=_positive, metavar="N", help="context size in tokens")
        g.add_argument("--threads", type=_positive, metavar="N", help="CPU threads (default: physical cores)")
        g.add_argument("--gpu-layers", type=int, metavar="N", help="layers to offload to the GPU (-1: all)")
        g.add_argument("--max-tokens", type=_positive, metavar="N", help="stop the answer after N tokens")
        g.add_argument("--seed", type=int, metavar="N", help="sampling seed, for repeatable output")

    p = sub.add_parser("rewrite", help="apply a writing action to text from stdin (or --input)",
                       description="Reads text from stdin (or --input FILE) and writes the result to stdout.")
    p.add_argument("--action", default="rewrite", metavar="NAME",
                   help="what to do: a built-in action (" + ", ".join(ACTIONS_HELP) + "), one of your own "
                        "(`private-copilot actions list`) or custom (default: rewrite)")
    p.add_argument("--instruction", default="", help="the instruction for --action custom")
    p.add_argument("--to", metavar="CODE", help="the language to write in, e.g. es or de (needed by translate)")
    p.add_argument("--input", metavar="FILE", help="read the text from FILE instead of stdin")
    model_options(p)
    cli_actions.add_parser(sub)

    p = sub.add_parser("reply", help="draft a reply to an email",
                       description="Drafts a reply to the newest message of an email thread.")
    p.add_argument("--email", metavar="FILE", help=".eml or .txt file (default: the email text from stdin)")
    p.add_argument("--points", default="", help="what you want to say, in any language")
    p.add_argument("--intent", choices=list(INTENTS), help="the gist of the reply")
    p.add_argument("--tone", choices=list(TONES), default="neutral")
    p.add_argument("--length", choices=list(LENGTHS), default="medium")
    p.add_argument("--sign-off", default="", metavar="NAME", help="name to sign the reply with")
    p.add_argument("--language", metavar="CODE", help="reply language, e.g. es or en (default: the email's)")
    p.add_argument("--invite", metavar="OUT.ics",
                   help="also write the meeting the reply accepts (or the email proposes) as a calendar invitation")
    model_options(p)

    def asr_model_option(g) -> None:
        g.add_argument("--asr-model", metavar="DIR",
                       help="faster-whisper model folder (default: the one chosen in the app, or the downloaded "
                            "whisper-small)")

    def asr_options(p: argparse.ArgumentParser) -> None:
        g = p.add_argument_group("speech (audio and video files)")
        asr_model_option(g)
        g.add_argument("--asr-language", metavar="CODE", help="language spoken, e.g. es or en (default: detected)")

    p = sub.add_parser("transcribe", help="transcribe a recording on this computer (audio or video file)",
                       description="Transcribe a meeting recording locally with a Whisper model. Progress goes to "
                                   "stderr, the transcript to stdout.")
    p.add_argument("file", metavar="FILE", help="audio or video: " + " ".join(AUDIO_SUFFIXES))
    asr_model_option(p)
    p.add_argument("--language", metavar="CODE", help="language spoken, e.g. es or en (default: detected)")
    p.add_argument("--format", choices=("txt", "vtt", "srt", "json"), default="txt",
                   help="txt: a line per segment with its time (default); vtt/srt: subtitles; json: segments")
    p.add_argument("--threads", type=_positive, metavar="N", help="CPU threads (default: physical cores)")

    p = sub.add_parser("summarize", help="minutes of a meeting from notes, a transcript or a recording",
                       description="Writes Summary, Decisions, Action items and Open questions.")
    p.add_argument("file", nargs="?", help=".txt, .md, .vtt, .srt or .docx, or a recording (.wav, .mp3, .m4a, "
                                           ".mp4…: transcribed first) (default: text from stdin)")
    p.add_argument("--template", choices=list(TEMPLATES), default="general")
    p.add_argument("--language", metavar="CODE", help="language of the minutes (default: the transcript's)")
    asr_options(p)
    p.add_argument("--json", action="store_true",
                   help="print {summary, decisions, action_items, open_questions} as JSON, each item with its "
                        "owner, due date, evidence (transcript line, start time, quote) and whether it is verified")
    p.add_argument("--ics", metavar="OUT.ics", help="also write the action items as calendar tasks (one VTODO each)")
    p.add_argument("--meeting-date", metavar="YYYY-MM-DD", type=_iso_date,
                   help="the day the meeting took place, for due dates like \"Friday\" (default: a date the notes "
                        "state, else the file's date)")
    model_options(p)

    p = sub.add_parser("tasks", help="turn minutes into tasks: text, a Markdown checklist or an .ics (no model)",
                       description="Reads minutes (written by the app, or by hand with an \"## Action items\" "
                                   "section of \"- **Owner**: task (due: date)\" bullets) and prints their action "
                                   "items; due dates are resolved against the meeting's date.")
    p.add_argument("minutes", metavar="MINUTES.md", help="the minutes, Markdown or text")
    p.add_argument("--meeting-date", metavar="YYYY-MM-DD", type=_iso_date,
                   help="the day the meeting took place (default: a date the minutes state, else the file's date)")
    p.add_argument("--ics", metavar="OUT.ics", help="write the tasks as an iCalendar file (one VTODO each)")
    p.add_argument("--checklist", action="store_true", help="print a Markdown checklist: - [ ] **Owner**: task (due …)")
    p.add_argument("--json", action="store_true", help="print the tasks as JSON")

    p = sub.add_parser("check", help="flag what a draft adds beyond its source (dates, amounts, names, promises)",
                       description="The commitment check, without a model: prints every date, time, amount, "
                                   "number, address, name or promise of DRAFT_FILE that the sources and the "
                                   "points do not support, one per line (kind<TAB>text<TAB>reason). Exit 0 "
                                   "whether or not something was found.")
    p.add_argument("draft", metavar="DRAFT_FILE", help="the draft (- for stdin)")
    p.add_argument("--source", action="append", default=[], metavar="FILE", required=True,
                   help="what the draft answers or rewrites: .eml, .txt, .md, .vtt, .srt or .docx (repeatable)")
    p.add_argument("--points", default="", help="what you asked the reply to say")
    p.add_argument("--mode", choices=("reply", "rewrite"), default="reply",
                   help="reply: the draft is new text; rewrite: the draft is the source proofread or rewritten, "
                        "so every changed number, date or name counts (default: reply)")
    p.add_argument("--date", metavar="YYYY-MM-DD", type=_iso_date,
                   help="the day relative dates (tomorrow, el viernes) count from (default: an .eml's Date "
                        "header, else today)")
    p.add_argument("--json", action="store_true",
                   help="a JSON list of {kind, text, start, end, reason} instead of lines")

    p = sub.add_parser("bench", help="measure how fast this machine runs a model (llama-bench style)",
                       description="Loads the model and reports load time, memory, prompt processing (pp) "
                                   "and generation (tg) speed.")
    bench_options(p)

    p = sub.add_parser("models", help="list, download, verify, import or benchmark models",
                       description="Manage the GGUF models Private Copilot runs.")
    msub = p.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    q = msub.add_parser("list", help="the catalog, downloaded files, paused downloads and GGUFs found on this computer")
    q.add_argument("--json", action="store_true", help="machine-readable output")
    q = msub.add_parser("download", help="download a catalog model (resumes a paused download)",
                        description="Downloads, resumes and verifies a model from the Hugging Face Hub: the only "
                                    "network use of Private Copilot. Ctrl+C pauses; run it again to resume. "
                                    "A token, if the Hub asks for one, is read from $HF_TOKEN or the OS keyring.")
    q.add_argument("name", metavar="NAME", help="catalog name, e.g. gpt-oss-20b (see `models list`)")
    q.add_argument("--dir", metavar="DIR", help="download into DIR instead of the app's models folder")
    q = msub.add_parser("verify", help="check a GGUF file: header, loadability and checksum")
    q.add_argument("path", metavar="PATH")
    q = msub.add_parser("import", help="use a GGUF file you already have, in place (nothing is copied)")
    q.add_argument("path", metavar="PATH")
    q = msub.add_parser("bench", help="same as `private-copilot bench PATH`")
    bench_options(q)

    p = sub.add_parser("doctor", help="report hardware, the llama.cpp build and the model")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--model", metavar="PATH", help="check this model file too")
    cli_diagnostics.add_parser(sub)
    return parser


def bench_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("model_file", metavar="PATH", help="GGUF model file")
    p.add_argument("--pp", type=_positive, default=512, metavar="N", help="prompt tokens to process (default 512)")
    p.add_argument("--tg", type=_positive, default=128, metavar="N", help="tokens to generate (default 128)")
    p.add_argument("--ctx", type=_positive, default=4096, metavar="N", help="context size (default 4096)")
    p.add_argument("--threads", type=_positive, metavar="N", help="CPU threads (default: physical cores)")
    p.add_argument("--gpu-layers", type=int, default=-1, metavar="N", help="layers to offload to the GPU (-1: all)")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _iso_date(text: str):
    from datetime import datetime

    try:
        return datetime.strptime(text, "%Y-%m-%d")
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date of the form YYYY-MM-DD: {text}") from None


def _positive(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {text}")
    return value


# -- running ----------------------------------------------------------------------------
def run(args: argparse.Namespace, *, stdin: TextIO | None = None, stdout: TextIO | None = None,
        stderr: TextIO | None = None) -> int:
    stdin, stdout, stderr = stdin or sys.stdin, stdout or sys.stdout, stderr or sys.stderr
    paths = app_paths(args.basedir).ensure()
    setup_logging(paths)
    settings, warnings = load_settings(paths.settings_file)
    for w in warnings:
        print(f"warning: {w}", file=stderr)
    try:
        if args.command == "doctor":
            from copilot.core.doctor import doctor_report, format_report

            report = doctor_report(paths, _model_path(args, settings, paths, required=False))
            print(json.dumps(report, indent=2) if args.json else format_report(report), file=stdout)
            return EXIT_OK
        if args.command == "diagnostics":
            return cli_diagnostics.run(args, settings, paths, stdout, stderr)
        if args.command == "bench" or (args.command == "models" and args.models_command == "bench"):
            return _bench(args, stdout, stderr, paths)
        if args.command == "check":
            return _check(args, stdin, stdout)
        if args.command == "transcribe":
            return _transcribe(args, settings, paths, stdout, stderr)
        if args.command == "tasks":
            from copilot import cli_calendar

            try:
                return cli_calendar.run_tasks(args, stdout, stderr)
            except cli_calendar.CalendarCliError as exc:
                raise CliError(str(exc), exc.code) from None
        if args.command == "models":
            from copilot import cli_models

            return cli_models.run(args, settings, paths, stdout, stderr)
        if args.command == "actions":
            return cli_actions.run(args, paths, stdout, stderr)
        return _run_task(args, settings, paths, stdin, stdout, stderr)
    except cli_actions.ActionsCliError as exc:
        print(f"private-copilot: {exc}", file=stderr)
        return exc.code
    except CliError as exc:
        print(f"private-copilot: {exc}", file=stderr)
        return exc.code


def _bench(args, stdout: TextIO, stderr: TextIO, paths: AppPaths) -> int:
    from copilot.core.benchmark import run_benchmark
    from copilot.core.engine import EngineError
    from copilot.core.models.gguf_header import ModelFileError

    if stderr.isatty():
        print("Measuring… (load, then prompt processing, then generation)", file=stderr)
    try:
        result = run_benchmark(Path(args.model_file).expanduser(), pp=args.pp, tg=args.tg, n_ctx=args.ctx,
                               threads=args.threads, gpu_layers=args.gpu_layers)
    except (ModelFileError, EngineError) as exc:
        raise CliError(str(exc), EXIT_MODEL) from None
    print(json.dumps(result.as_dict(), indent=2) if args.json else result.table(), file=stdout)
    try:  # for the diagnostics bundle
        from copilot.core.diagnostics import save_last_benchmark

        save_last_benchmark(paths, result)
    except OSError:
        pass
    return EXIT_OK


def _check(args, stdin: TextIO, stdout: TextIO) -> int:
    from copilot.core.check import check_draft, parse_email_date
    from copilot.core.documents import DocumentError, load_email, load_transcript

    if args.draft == "-":
        draft = stdin.read()
    else:
        draft = _read_input(argparse.Namespace(draft=args.draft), stdin, "draft")
    sources: list[str] = []
    reference = args.date
    for name in args.source:
        suffix = Path(name).suffix.lower()
        try:
            if suffix == ".eml":
                thread = load_email(name)
                latest = thread.latest
                sources += [latest.with_headers(), thread.context_text()]
                reference = reference or parse_email_date(latest.date)
            elif suffix in (".vtt", ".srt", ".docx"):
                sources.append(load_transcript(name).to_text())
            else:
                sources.append(_read_input(argparse.Namespace(source=name), stdin, "source"))
        except DocumentError as exc:
            raise CliError(str(exc), EXIT_INPUT) from None
    findings = check_draft(draft, sources, points=args.points, reference=reference, mode=args.mode)
    if args.json:
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2), file=stdout)
    else:
        for f in findings:
            print(f"{f.kind}\t{_one_line(f.text)}\t{f.reason}", file=stdout)
    return EXIT_OK


def _one_line(text: str) -> str:
    return " ".join(text.split())


def setup_logging(paths: AppPaths) -> None:
    root = logging.getLogger("copilot")
    if root.handlers:
        return
    handler = logging.FileHandler(paths.logs / "copilot.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    root.propagate = False  # never onto the user's terminal
    hub = logging.getLogger("huggingface_hub")  # its retry warnings: to the log file, not the terminal
    hub.addHandler(handler)
    hub.propagate = False


def _model_path(args, settings: Settings, paths: AppPaths, required: bool = True) -> Path | None:
    if getattr(args, "model", None):
        return Path(args.model).expanduser()
    if settings.model_path:
        return Path(settings.model_path).expanduser()
    default = paths.models / DEFAULT_MODEL_FILE
    if default.exists() or not required:
        return default if default.exists() else None
    raise CliError(
        "no model chosen. Pass --model PATH to a GGUF file, or open the app to download gpt-oss-20b "
        f"(it is looked for at {default}).", EXIT_MODEL)


def _read_input(args, stdin: TextIO, attr: str) -> str:
    name = getattr(args, attr, None)
    if name:
        try:
            return Path(name).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CliError(f"{name}: no such file", EXIT_INPUT) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"{name}: cannot be read ({exc})", EXIT_INPUT) from None
    if stdin.isatty():
        print("Type or paste the text, then press Ctrl+D.", file=sys.stderr)
    return stdin.read()


def _speech_model(args, settings: Settings, paths: AppPaths) -> Path:
    from copilot.core.speech import SpeechModelError, check_model_dir, find_model

    chosen = getattr(args, "asr_model", None) or settings.asr_model_path
    path = find_model(chosen, paths.speech_models)
    if path is None:
        raise CliError("no speech model yet. Download one with `private-copilot models download whisper-small` "
                       "(484 MB), or pass --asr-model DIR (a faster-whisper model folder).", EXIT_MODEL)
    try:
        return check_model_dir(path)
    except SpeechModelError as exc:
        raise CliError(str(exc), EXIT_MODEL) from None


def _hear(args, settings: Settings, paths: AppPaths, language: str | None, stderr: TextIO):
    """Transcribe args.file with progress on stderr; Ctrl+C stops it (exit 130)."""
    from copilot.core import audio, speech
    from copilot.core.audio import format_duration as _duration

    model = _speech_model(args, settings, paths)
    result = speech.SpeechTranscript()
    tty = stderr.isatty()
    try:
        decoded = audio.decode(args.file)
        if decoded.truncated:
            print(f"warning: {Path(args.file).name} ends early or is damaged part-way; transcribing the "
                  f"{_duration(decoded.seconds)} that could be read.", file=stderr)
        print(f"Transcribing {Path(args.file).name} ({_duration(decoded.seconds)}) with {model.name}…", file=stderr)
        last = -1
        for p in speech.transcribe(decoded, model, language=language or None,
                                   threads=getattr(args, "threads", None) or settings.n_threads or None,
                                   result=result):
            pct = int(100 * p.done / p.total) if p.total else 100
            left = f", {_duration(p.eta)} left" if p.eta else ""
            if tty:
                print(f"\r\033[K{pct}%{left}", end="", file=stderr, flush=True)
            elif pct // 10 != last:
                print(f"{pct}%{left}", file=stderr, flush=True)
            last = pct // 10
        if tty:
            print(file=stderr)
    except KeyboardInterrupt:
        print("\nCancelled.", file=stderr)
        raise CliError("the transcription was cancelled", EXIT_CANCELLED) from None
    except (audio.AudioError, speech.SpeechModelError) as exc:
        raise CliError(str(exc), EXIT_INPUT if isinstance(exc, audio.AudioError) else EXIT_MODEL) from None
    if not result.segments:
        raise CliError(f"{Path(args.file).name}: no speech was heard in it (silence or noise only).", EXIT_INPUT)
    return result


def _transcribe(args, settings: Settings, paths: AppPaths, stdout: TextIO, stderr: TextIO) -> int:
    result = _hear(args, settings, paths, args.language or settings.asr_language, stderr)
    stdout.write(result.export(args.format))
    return EXIT_OK


def _prepare(args, stdin: TextIO, settings: Settings, paths: AppPaths,
             stderr: TextIO) -> Callable[..., Iterator[JobEvent]]:
    """Parse the input into a job: a function of the engine that yields events."""
    from copilot.core import jobs
    from copilot.core.documents import DocumentError, load_email, load_transcript, parse_email_text, parse_plain
    from copilot.core.tasks.email import email_reply_prompt
    from copilot.core.tasks.writing import writing_prompt

    effort = args.reasoning
    try:
        if args.command == "rewrite":
            action = None if args.action == "custom" else cli_actions.rewrite_action(args, paths, stderr)
            text = _read_input(args, stdin, "input")
            if action is None:
                prompt = writing_prompt("custom", text, instruction=args.instruction, effort=effort,
                                        target=args.to or "")
                mode = "rewrite"
            else:
                prompt, mode = cli_actions.rewrite_prompt(action, args, text, effort)
            prompt = replace(prompt, max_tokens=args.max_tokens or prompt.max_tokens)
            check = jobs.CheckSpec((text,), mode=mode, language="en")  # the CLI's findings are English
            return lambda engine: jobs.run_prompt(engine, prompt, source=text, check=check)
        if args.command == "reply":
            if args.email:
                thread = load_email(args.email)
            else:
                text = _read_input(args, stdin, "email")
                if not text.strip():
                    raise ValueError("There is no email to reply to: pass --email FILE or pipe the email in.")
                thread = parse_email_text(text)
            prompt = email_reply_prompt(thread, points=args.points, intent=args.intent, tone=args.tone,
                                        length=args.length, sign_off=args.sign_off, language=args.language,
                                        effort=effort or "medium")
            prompt = replace(prompt, max_tokens=args.max_tokens or prompt.max_tokens)
            check = jobs.CheckSpec.for_reply(thread, args.points, language="en")
            if args.invite:
                args.after = lambda printer: _invite_after(args, thread, printer, stderr)
            return lambda engine: jobs.run_prompt(engine, prompt, source="", echo_of=thread.latest.body,
                                                  check=check)
        if args.command == "summarize":
            if args.file and is_audio(args.file):
                transcript = _hear(args, settings, paths, args.asr_language or settings.asr_language,
                                   stderr).to_transcript()
            elif args.file:
                transcript = load_transcript(args.file)
            else:
                transcript = parse_plain(_read_input(args, stdin, "file"))
            text = transcript.to_text()
            if not text.strip():
                raise ValueError("There is nothing to summarize: the input is empty.")
            eff = effort or "high"
            starts = transcript.line_starts()
            if args.ics:
                from copilot import cli_calendar

                day = cli_calendar.meeting_date(args.meeting_date, text, args.file, stderr)
                args.after = lambda printer: _tasks_after(args, day, printer, stderr)
            return lambda engine: jobs.summarize_job(engine, text, template=args.template, language=args.language,
                                                     effort=eff, max_tokens=args.max_tokens, starts=starts)
    except (DocumentError, ValueError) as exc:
        raise CliError(str(exc), EXIT_INPUT) from None
    raise CliError(f"unknown command {args.command}", EXIT_USAGE)


def _invite_after(args, thread, printer: "_Printer", stderr: TextIO) -> int:
    from copilot import cli_calendar

    if not printer.answer.strip():
        return EXIT_OK
    try:
        return cli_calendar.write_invitation(thread, printer.answer, args.points, Path(args.invite), stderr)
    except cli_calendar.CalendarCliError as exc:
        print(f"private-copilot: {exc}", file=stderr)
        return exc.code


def _tasks_after(args, day, printer: "_Printer", stderr: TextIO) -> int:
    from copilot import cli_calendar
    from copilot.core import ics

    if printer.cited is None:
        return EXIT_OK
    try:
        tasks = ics.tasks_from_minutes(printer.cited.text, day, lines=list(printer.cited.lines.values()))
        cli_calendar.write_tasks_ics(tasks, Path(args.ics), day, stderr, meeting=f"the meeting of {day.isoformat()}")
    except (ics.CalendarError, cli_calendar.CalendarCliError) as exc:
        print(f"private-copilot: {exc}", file=stderr)
        return EXIT_INPUT
    cli_calendar.report_dates(tasks, stderr)
    return EXIT_OK


def _server_config(args, settings: Settings, paths: AppPaths, local):
    from copilot.core.remote import RemoteConfig, ServerConfig
    from copilot.core.secrets import SERVER_API_KEY, SecretStore

    if settings.local_only:
        raise CliError("privacy mode is on (Settings: only this computer): --endpoint would send the text to "
                       "a server. Turn privacy mode off in the app's Settings to use a server.", EXIT_USAGE)
    key = None
    if args.api_key_from_keyring:
        key = SecretStore().get(SERVER_API_KEY)
        if not key:
            raise CliError("no server API key is saved: enter it in the app's Settings (Server), which keeps it "
                           "in the OS keyring.", EXIT_USAGE)
    remote = RemoteConfig(args.endpoint, model=args.model or "", api_key=key,
                          verify=settings.server_ca_bundle or True, n_ctx=args.ctx or 0)
    return ServerConfig(remote, local, fallback=settings.server_fallback and local is not None)


def _run_task(args, settings: Settings, paths: AppPaths, stdin: TextIO, stdout: TextIO, stderr: TextIO) -> int:
    job = _prepare(args, stdin, settings, paths, stderr)  # input problems surface before a 12 GB model loads
    from copilot.core.engine import EngineError, ModelConfig
    from copilot.core.models.gguf_header import ModelFileError
    from copilot.core.remote import EngineSwitch

    if args.endpoint:
        model = None if args.model else _model_path(args, settings, paths, required=False)
    else:
        model = _model_path(args, settings, paths)
    config = None if model is None else ModelConfig(
        path=model,
        n_ctx=args.ctx or settings.n_ctx,
        n_threads=args.threads or settings.n_threads or None,
        n_gpu_layers=settings.n_gpu_layers if args.gpu_layers is None else args.gpu_layers,
        flash_attn=settings.flash_attn,
        kv_type=settings.kv_type,
        seed=-1 if args.seed is None else args.seed,
    )
    if args.endpoint:
        config = _server_config(args, settings, paths, config)
    engine = EngineSwitch()
    with _CtrlC(engine) as ctrl_c:
        try:
            engine.load(config)
        except (ModelFileError, EngineError) as exc:
            raise CliError(str(exc), EXIT_MODEL) from None
        try:
            if ctrl_c.pressed:  # during the load, which llama.cpp cannot interrupt
                print("Cancelled.", file=stderr)
                return EXIT_CANCELLED
            return _stream(engine, job, args, stdout, stderr, ctrl_c)
        finally:
            engine.close()


class _CtrlC:
    """Ctrl+C cancels the generation instead of raising KeyboardInterrupt wherever the main
    thread happens to be (inside llama.cpp's free, say); a second Ctrl+C quits at once."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.pressed = False
        self._previous = None

    def __enter__(self) -> "_CtrlC":
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._on_sigint)
        return self

    def __exit__(self, *exc) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)

    def _on_sigint(self, _signum, _frame) -> None:
        if self.pressed:
            os._exit(EXIT_CANCELLED)
        self.pressed = True
        self.engine.cancel()


def _stream(engine, job, args, stdout: TextIO, stderr: TextIO, ctrl_c: _CtrlC) -> int:
    """Run the job on a worker thread so Ctrl+C is handled at once, even inside llama.cpp."""
    events: queue.Queue = queue.Queue()

    def work() -> None:
        try:
            for event in job(engine):
                events.put(event)
        except Exception as exc:  # a bug must not hang the main thread
            log.exception("job failed")
            events.put(Failed(f"internal error: {exc}"))
        finally:
            events.put(None)

    worker = threading.Thread(target=work, name="copilot-job", daemon=True)
    worker.start()
    printer = _Printer(args.show_reasoning, stdout, stderr,
                       as_json=args.command == "summarize" and getattr(args, "json", False))
    while True:
        try:
            event = events.get(timeout=0.1)
            if event is None:
                break
            printer.show(event)
        except BrokenPipeError:  # the reader went away (`| head`): stop generating, say nothing
            engine.cancel()
            printer.stdout = open(os.devnull, "w")
        except queue.Empty:
            continue
    # Ctrl+C cancelled the engine: the worker ended with Finished(cancelled) and we drained it
    printer.cancelled = printer.cancelled or ctrl_c.pressed
    worker.join()
    code = printer.close()
    after = getattr(args, "after", None)
    if code == EXIT_OK and after is not None:  # summarize --ics, reply --invite
        code = after(printer)
    return code


class _Printer:
    def __init__(self, show_reasoning: bool, stdout: TextIO, stderr: TextIO, *, as_json: bool = False) -> None:
        self.show_reasoning = show_reasoning
        self.as_json = as_json  # summarize --json: the minutes come as one JSON object at the end
        self.stdout, self.stderr = stdout, stderr
        self.code = EXIT_OK
        self.cancelled = False
        self.line_open = False
        self.answered = False
        self.looped = False
        self.answer = ""  # the whole answer, for reply --invite
        self.cited = None  # the minutes' verified citations, for summarize --ics

    def show(self, event: JobEvent) -> None:
        if isinstance(event, Answer):
            self.answer += event.text
        if isinstance(event, Cited):
            self.cited = event.minutes
        if isinstance(event, Answer) and self.as_json:
            self.answered = self.answered or bool(event.text.strip())
        elif isinstance(event, Answer):
            self.stdout.write(event.text)
            self.stdout.flush()
            self.answered = self.answered or bool(event.text.strip())
            self.line_open = not event.text.endswith("\n")
        elif isinstance(event, Reasoning) and self.show_reasoning:
            self.stderr.write(event.text)
            self.stderr.flush()
        elif isinstance(event, Progress):
            print(f"[{event.label}]", file=self.stderr)
        elif isinstance(event, Failed):
            print(f"private-copilot: {event.message}", file=self.stderr)
            self.code = EXIT_FAILED
        elif isinstance(event, Notice):
            print(f"private-copilot: {event.message}", file=self.stderr)
        elif isinstance(event, Findings):  # after the answer: what it adds beyond the sources
            self._end_line()
            if event.findings and not self.looped:  # a stopped loop gets its one line, nothing more
                print(f"private-copilot: {event.summary.split(':', 1)[0]}:", file=self.stderr)
                for f in event.findings:
                    print(f"  {f.kind}\t{_one_line(f.text)}\t{f.reason}", file=self.stderr)
        elif isinstance(event, Cited):  # after the minutes: which items the transcript backs
            self._show_cited(event.minutes)
        elif isinstance(event, Finished):
            if event.stats.stop_reason == "cancelled":
                self.cancelled = True
                return
            if event.stats.stop_reason == "repetition":  # the Notice before it said why, in one line
                self.code = EXIT_FAILED
                self.looped = True
                return
            if event.stats.stop_reason == "length":
                print("private-copilot: the answer was cut at the length limit (the task's, --max-tokens, or the "
                      "context); run again with a higher --max-tokens for more.", file=self.stderr)
            if not self.answered:
                print("private-copilot: the model wrote no answer (only reasoning, or nothing). Try again, "
                      "with a lower --reasoning or a higher --max-tokens.", file=self.stderr)
                self.code = EXIT_FAILED

    def _show_cited(self, minutes) -> None:
        if self.as_json:
            if not self.looped:
                json.dump(minutes.as_dict(), self.stdout, ensure_ascii=False, indent=2)
                self.stdout.write("\n")
                self.stdout.flush()
            return
        self._end_line()
        bad = minutes.unverified
        if bad and not self.looped:
            print(f"private-copilot: {minutes.report()}", file=self.stderr)
            for item in bad:
                print(f"  {item.section}\t{_one_line(item.text)}\t{'; '.join(item.problems)}", file=self.stderr)

    def _end_line(self) -> None:
        if self.line_open:
            self.stdout.write("\n")
            self.stdout.flush()
            self.line_open = False

    def close(self) -> int:
        self._end_line()
        if self.cancelled:
            print("Cancelled.", file=self.stderr)
            return EXIT_CANCELLED
        return self.code
