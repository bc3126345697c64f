"""Our caption parsers (core/documents.py) against webvtt-py and srt on meeting-app files.

    .venv/bin/pip install webvtt-py==0.6.0 srt==3.5.3   # compared, not dependencies
    .venv/bin/python bench/bench_subtitle_parsers.py [--runs 15]

Builds the kinds of .vtt/.srt files Teams, Zoom and Google Meet (and other tools) write in a
temp dir and reads each through ``load_transcript`` four ways: with our own cue reader, and
with the cue reader swapped for webvtt-py 0.6 (``webvtt.from_string``), srt 3.5 strict
(``srt.parse``) and srt lenient (``ignore_errors=True``). Everything around the cue reader
stays ours (decoding, speakers, rolling duplicates), so a case fails only where the
package reads the cues differently. A case passes when the utterances (speaker, text,
start) are exactly the expected ones. Also prints each package's import time (median of
fresh interpreters) and installed size. The files are synthetic: no user text.
"""

from __future__ import annotations

import argparse
import logging
import time
import warnings
import importlib.metadata
import importlib.util
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from copilot.core import documents  # noqa: E402
from copilot.core.documents import DocumentError, load_transcript  # noqa: E402

GUID = "c1b2a3d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d"

# (name, suffix, file bytes, expected (speaker, text, start) utterances)
CASES: list[tuple[str, str, bytes, list[tuple[str, str, float]]]] = []


def case(name: str, suffix: str, text: str | bytes, expected: list[tuple[str, str, float]]) -> None:
    CASES.append((name, suffix, text.encode("utf-8") if isinstance(text, str) else text, expected))


TEAMS = (f"WEBVTT\n\n{GUID}/12-0\n00:00:03.120 --> 00:00:05.480\n<v Ana Gómez>Buenos días a todos.</v>\n\n"
         f"{GUID}/13-0\n00:00:05.480 --> 00:00:08.000\n<v Luis Peña>Hola, empecemos.</v>\n")
TEAMS_EXPECTED = [("Ana Gómez", "Buenos días a todos.", 3.12), ("Luis Peña", "Hola, empecemos.", 5.48)]
case("vtt Teams: <v> voices, GUID cue ids", ".vtt", TEAMS, TEAMS_EXPECTED)
ZOOM = ("WEBVTT\n\n1\n00:00:01.500 --> 00:00:04.000\nAna Gómez: Buenos días.\n\n"
        "2\n00:00:04.000 --> 00:00:06.000\nLuis: ¿Empezamos?\n")
ZOOM_EXPECTED = [("Ana Gómez", "Buenos días.", 1.5), ("Luis", "¿Empezamos?", 4.0)]
case("vtt Zoom: numeric ids, 'Name: text'", ".vtt", ZOOM, ZOOM_EXPECTED)
case("vtt UTF-8 BOM + CRLF (Teams)", ".vtt", b"\xef\xbb\xbf" + TEAMS.replace("\n", "\r\n").encode("utf-8"),
     TEAMS_EXPECTED)
case("vtt NOTE / STYLE / REGION blocks", ".vtt",
     "WEBVTT - reunión\nKind: captions\nLanguage: es\n\nREGION\nid:fred\nwidth:40%\n\n"
     "STYLE\n::cue { color: white }\n\nNOTE exported by the app\nover two lines\n\n"
     "00:00:01.000 --> 00:00:02.000 region:fred\nAna: Hola.\n\nNOTE between cues\n\n"
     "00:00:02.000 --> 00:00:03.000\nLuis: Adiós.\n",
     [("Ana", "Hola.", 1.0), ("Luis", "Adiós.", 2.0)])
case("vtt cue settings (align:start position:10%)", ".vtt",
     "WEBVTT\n\n00:00:01.000 --> 00:00:02.000 align:start position:10% line:0\nAna: Hola.\n",
     [("Ana", "Hola.", 1.0)])
case("vtt timestamps without hours (01:02.500)", ".vtt",
     "WEBVTT\n\n01:02.500 --> 01:04.000\nAna: Hola.\n\n59:59.000 --> 1:00:01.000\nLuis: Adiós.\n",
     [("Ana", "Hola.", 62.5), ("Luis", "Adiós.", 3599.0)])
case("vtt multi-line cue (Meet: no ids)", ".vtt",
     "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ana>Primera línea\nsegunda línea</v>\n\n"
     "00:00:04.000 --> 00:00:06.000\nLuis: uno\ny dos\n",
     [("Ana", "Primera línea segunda línea", 1.0), ("Luis", "uno y dos", 4.0)])
case("vtt empty cue", ".vtt",
     "WEBVTT\n\n1\n00:00:01.000 --> 00:00:02.000\n\n2\n00:00:02.000 --> 00:00:03.000\nAna: Hola.\n",
     [("Ana", "Hola.", 2.0)])
case("vtt no final newline", ".vtt", ZOOM.rstrip("\n"), ZOOM_EXPECTED)
case("vtt cp1252 (Zoom, Notepad)", ".vtt", ZOOM.encode("cp1252"), ZOOM_EXPECTED)
case("vtt YouTube rolling + ' ' padding", ".vtt",
     "\n".join(["WEBVTT", "Kind: captions", "", "00:00:00.160 --> 00:00:02.270 align:start position:0%", " ",
                "hello<00:00:00.480><c> everyone</c>", "", "00:00:02.270 --> 00:00:02.280 align:start position:0%",
                "hello everyone", " ", "", "00:00:02.280 --> 00:00:05.000 align:start position:0%",
                "hello everyone", "welcome<00:00:02.600><c> to</c><c> the</c><c> call</c>", ""]),
     [("", "hello everyone", 0.16), ("", "welcome to the call", 2.28)])
case("vtt without the WEBVTT header", ".vtt", ZOOM.removeprefix("WEBVTT\n\n"), ZOOM_EXPECTED)
case("vtt: an .srt renamed .vtt (comma decimals)", ".vtt",
     "1\n00:00:01,500 --> 00:00:04,000\nAna Gómez: Buenos días.\n\n"
     "2\n00:00:04,000 --> 00:00:06,000\nLuis: ¿Empezamos?\n",
     ZOOM_EXPECTED)

SRT = ("1\n00:00:01,000 --> 00:00:03,500\nAna: Buenos días,\ngracias por venir.\n\n"
       "2\n00:00:03,500 --> 00:00:05,000\nLuis: ¿Empezamos?\n")
SRT_EXPECTED = [("Ana", "Buenos días, gracias por venir.", 1.0), ("Luis", "¿Empezamos?", 3.5)]
case("srt comma decimals (Zoom/other)", ".srt", SRT, SRT_EXPECTED)
case("srt dot decimals", ".srt", SRT.replace(",000", ".000").replace(",500", ".500"), SRT_EXPECTED)
case("srt no final newline", ".srt", SRT.rstrip("\n"), SRT_EXPECTED)
case("srt numbering gaps", ".srt", SRT.replace("2\n00", "7\n00"), SRT_EXPECTED)
case("srt stray blank line inside a cue", ".srt",
     "1\n00:00:01,000 --> 00:00:03,500\nAna: Buenos días,\n\ngracias por venir.\n\n"
     "2\n00:00:03,500 --> 00:00:05,000\nLuis: ¿Empezamos?\n",
     SRT_EXPECTED)
case("srt UTF-8 BOM + CRLF", ".srt", b"\xef\xbb\xbf" + SRT.replace("\n", "\r\n").encode("utf-8"), SRT_EXPECTED)
case("srt cp1252", ".srt", SRT.encode("cp1252"), SRT_EXPECTED)
case("srt empty cue", ".srt",
     "1\n00:00:00,500 --> 00:00:01,000\n\n" + SRT.replace("1\n00", "2\n00", 1).replace("2\n00:00:03", "3\n00:00:03"),
     SRT_EXPECTED)
case("srt extra blank lines between cues", ".srt", SRT.replace("\n\n", "\n\n\n\n"), SRT_EXPECTED)
case("srt timestamps without hours (01:02,500)", ".srt",
     "1\n01:02,500 --> 01:04,000\nAna: Hola.\n", [("Ana", "Hola.", 62.5)])
case("srt: a .vtt renamed .srt (WEBVTT header)", ".srt",
     "WEBVTT\n\n00:00:01.000 --> 00:00:03.500\nAna: Buenos días,\ngracias por venir.\n\n"
     "00:00:03.500 --> 00:00:05.000\nLuis: ¿Empezamos?\n", SRT_EXPECTED)
case("srt two-digit fraction (00:00:01,50)", ".srt",
     "1\n00:00:01,50 --> 00:00:02,00\nAna: Hola.\n", [("Ana", "Hola.", 1.5)])


# --------------------------------------------------------------------------- cue readers


def webvtt_cues(text: str, **_options: bool) -> list[tuple[float, list[str]]]:
    import webvtt

    return [(c.start_time.in_milliseconds() / 1000, list(c.lines)) for c in webvtt.from_string(text).captions]


def srt_cues(text: str, *, ignore_errors: bool = False, **_options: bool) -> list[tuple[float, list[str]]]:
    import srt

    return [(s.start.total_seconds(), s.content.split("\n"))
            for s in srt.parse(text.lstrip("\ufeff"), ignore_errors=ignore_errors)]


READERS = {
    "ours": None,
    "webvtt-py": webvtt_cues,
    "srt strict": srt_cues,
    "srt lenient": lambda text, **_options: srt_cues(text, ignore_errors=True),
}
FORMATS = {"webvtt-py": ".vtt", "srt strict": ".srt", "srt lenient": ".srt"}


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def run_case(reader: str, path: Path, expected: list[tuple[str, str, float]]) -> str:
    patch = (mock.patch.object(documents, "_cues", READERS[reader]) if READERS[reader]
             else mock.patch.object(documents, "_cues", documents._cues))
    records = _Records()
    root = logging.getLogger()
    root.addHandler(records)
    try:
        with patch, warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            got = [(u.speaker, u.text, u.start) for u in load_transcript(path).utterances]
        # A package that logs or warns with the file's text breaks "never log user text".
        if records.records or caught:
            return "FAIL (logs the file's text)" if got == [(s, t, float(x)) for s, t, x in expected] else \
                "FAIL (wrong, and logs the file's text)"
    except DocumentError as exc:
        return f"FAIL (DocumentError: {str(exc).split(': ', 1)[-1][:40]})"
    except Exception as exc:  # the package's own exception types
        return f"FAIL ({type(exc).__name__})"
    finally:
        root.removeHandler(records)
    if got == [(s, t, float(start)) for s, t, start in expected]:
        return "pass"
    if [(sp, t) for sp, t, _start in got] == [(sp, t) for sp, t, _start in expected]:
        return "FAIL (wrong start times)"
    if len(got) != len(expected):
        return f"FAIL ({len(got)} utterances, {len(expected)} expected)"
    return "FAIL (different text/speaker/start)"


# --------------------------------------------------------------------------- costs


def import_ms(module: str, runs: int, after: str = "") -> float:
    """Median import time in fresh interpreters; ``after``: a module imported first (the
    stdlib modules it shares with ``module`` are then already loaded, as in the app)."""
    code = (f"{'import ' + after + ';' if after else ''}import time; t = time.perf_counter(); "
            f"import {module}; print((time.perf_counter() - t) * 1000)")
    samples = [float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                    text=True, cwd=ROOT).stdout) for _ in range(runs)]
    return statistics.median(samples)


def long_files(cues: int) -> tuple[str, str]:
    def stamp(ms: int, sep: str) -> str:
        return f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d}{sep}{ms % 1000:03d}"

    vtt, srt_ = ["WEBVTT", ""], []
    for i in range(cues):
        a, b = i * 3000, i * 3000 + 2900
        name = ("Ana Gómez", "Luis Peña", "Marta")[i % 3]
        vtt += [f"{GUID}/{i}-0", f"{stamp(a, '.')} --> {stamp(b, '.')}",
                f"<v {name}>Frase número {i} de la reunión.</v>", ""]
        srt_ += [str(i + 1), f"{stamp(a, ',')} --> {stamp(b, ',')}", f"{name}: Frase número {i} de la reunión.", ""]
    return "\n".join(vtt), "\n".join(srt_)


def installed_kib(dist: str) -> float:
    files = importlib.metadata.distribution(dist).files or []
    return sum(f.locate().stat().st_size for f in files if f.locate().is_file()) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters per import time")
    args = parser.parse_args()
    missing = [m for m in ("webvtt", "srt") if importlib.util.find_spec(m) is None]
    if missing:
        sys.exit("install the packages compared first (they are not dependencies of the app):\n"
                 "  .venv/bin/pip install webvtt-py==0.6.0 srt==3.5.3")
    readers = list(READERS)
    with tempfile.TemporaryDirectory() as tmp:
        rows = []
        for i, (name, suffix, data, expected) in enumerate(CASES):
            path = Path(tmp) / f"case{i}{suffix}"
            path.write_bytes(data)
            rows.append((name, [run_case(r, path, expected) if FORMATS.get(r, suffix) == suffix else "—"
                                for r in readers]))
    width = max(len(name) for name, _ in rows)
    print(f"| {'case'.ljust(width)} | " + " | ".join(readers) + " |")
    print(f"|{'-' * (width + 2)}|" + "|".join("-" * (len(r) + 2) for r in readers) + "|")
    for name, results in rows:
        print(f"| {name.ljust(width)} | " + " | ".join(results) + " |")
    for r in readers:
        fmt = FORMATS.get(r)
        relevant = [res[readers.index(r)] for _n, res in rows if res[readers.index(r)] != "—"]
        print(f"{r}: {sum(x == 'pass' for x in relevant)}/{len(relevant)} pass" + (f" ({fmt})" if fmt else ""))
    print()
    print(f"import time, median of {args.runs} fresh interpreters (ms):")
    print(f"  {'module':24s} {'alone':>7s} {'after copilot.core.documents':>30s}")
    print(f"  {'copilot.core.documents':24s} {import_ms('copilot.core.documents', args.runs):7.1f}")
    for module in ("webvtt", "srt", "docx"):
        print(f"  {module:24s} {import_ms(module, args.runs):7.1f} "
              f"{import_ms(module, args.runs, 'copilot.core.documents'):30.1f}")
    print("parse time of a 2-hour Teams-like file, 2,400 cues (ms, median of 5):")
    big_vtt, big_srt = long_files(2400)
    for label, fn, text in (("ours .vtt", documents.parse_vtt, big_vtt), ("ours .srt", documents.parse_srt, big_srt),
                            ("webvtt-py cues", webvtt_cues, big_vtt), ("srt cues", srt_cues, big_srt)):
        samples = []
        for _ in range(5):
            t = time.perf_counter()
            fn(text)
            samples.append((time.perf_counter() - t) * 1000)
        print(f"  {label:24s} {statistics.median(samples):7.1f}")
    print("installed size (KiB, files in the wheel's RECORD):")
    for dist in ("webvtt-py", "srt", "python-docx", "lxml"):
        try:
            print(f"  {dist:24s} {installed_kib(dist):9.0f}")
        except importlib.metadata.PackageNotFoundError:
            print(f"  {dist:24s} not installed")


if __name__ == "__main__":
    main()
