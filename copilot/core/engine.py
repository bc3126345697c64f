"""The inference engine: load a GGUF, stream a chat as events, cancel.

``LocalEngine`` runs llama.cpp in-process through llama-cpp-python. It is not thread-safe
(neither is a llama.cpp context): one thread streams, any thread may call ``cancel``.
"""

from __future__ import annotations

import codecs
import contextlib
import ctypes
import logging
import math
import os
import re
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterator, Protocol, Sequence

from copilot.core import harmony
from copilot.core.events import Answer, Event, Failed, Finished, PromptProgress, Reasoning, Stats
from copilot.core.models.fit import auto_cache_type, check_fits, default_ubatch, shape_of, whole_q8_blocks
from copilot.core.models.adapter import AdapterInfo, check_adapter
from copilot.core.models.gguf_header import GGUFInfo, ModelFileError, inspect_gguf
from copilot.core.models.hardware import Hardware
from copilot.core.prompt import ChatTemplate, Segment, TemplateError


@dataclass(frozen=True)
class Sampling:
    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1


# OpenAI's recommended settings for gpt-oss; llama-cpp-python's own defaults differ.
GPT_OSS_SAMPLING = Sampling(temperature=1.0, top_p=1.0, top_k=0, min_p=0.0, repeat_penalty=1.0)
DEFAULT_SAMPLING = Sampling()


def default_threads() -> int:
    """Physical cores: llama.cpp gains nothing from hyper-threads and loses from oversubscription."""
    try:
        import psutil

        n = psutil.cpu_count(logical=False)
    except Exception:  # psutil cannot tell on some virtual machines
        n = None
    return max(1, n or (os.cpu_count() or 2) // 2 or 1)


KV_TYPES = {"f16": 1, "q8_0": 8}  # ggml_type values


@dataclass(frozen=True)
class ModelConfig:
    path: Path
    n_ctx: int = 8192
    n_threads: int | None = None  # None: physical cores
    # Threads for reading prompts. None: as n_threads, like llama.cpp's own tools; llama-cpp-python
    # would use every logical CPU, hyper-threads included, which oversubscribes the cores.
    n_threads_batch: int | None = None
    n_gpu_layers: int = -1  # -1: all layers that the build can offload (none on a CPU build)
    n_batch: int = 512
    # Tokens per forward pass while reading a prompt. None: 512 (llama.cpp's default) when layers
    # go to a GPU, where bigger passes read prompts faster; fit.CPU_UBATCH on the CPU, where they do not
    # and only cost memory (bench/sweep_20b.py).
    n_ubatch: int | None = None
    # Flash attention: on gpt-oss-20b on the CPU, prompts and generation as fast or faster, and a
    # compute buffer a tenth the size at 32k (docs/PERFORMANCE.md); llama.cpp's advice on GPUs.
    flash_attn: bool = True
    # KV cache element type: "f16", "q8_0" (half the memory; needs flash attention), or "auto":
    # q8_0 when a mixture of experts (gpt-oss) runs on the CPU, where it was measured as fast as
    # f16 and not slower deep in a long context as f16 with flash attention is; f16 otherwise
    # (fit.auto_cache_type).
    kv_type: str = "auto"
    use_mmap: bool = True
    # llama-cpp-python keeps a full-context cache for the sliding-window layers too (gpt-oss:
    # every other layer); False gives them only their 128-token window (bench/bench_20b.py).
    swa_full: bool = True
    # llama.cpp's CPU "repack" copies Q8_0/MXFP4 weights into faster layouts: on the synthetic
    # gpt-oss-20b it made resident memory 22.6 GB instead of 12.5 and the load 43 s instead of
    # 2.5, for 14 % more generation speed (docs/PERFORMANCE.md). Off by default: a 16 GB machine
    # must be able to run the model, and reloading after an idle unload must be quick.
    cpu_repack: bool = False
    seed: int = -1  # -1: random
    # A LoRA adapter GGUF (convert_lora_to_gguf.py) applied at lora_scale; checked against the model
    # before loading (models/adapter.py). llama.cpp computes W x + scale * alpha / rank * B (A x).
    lora_path: Path | None = None
    lora_scale: float = 1.0


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: Path
    architecture: str
    n_ctx: int
    n_ctx_train: int
    harmony: bool
    backend: str
    file_size: int
    # how llama.cpp runs it (empty for a server): what `private-copilot bench` reports
    flash_attn: bool = False
    kv_type: str = ""
    n_ubatch: int = 0
    adapter: str = ""  # the LoRA adapter's file name; "" for none
    adapter_scale: float = 0.0


@dataclass(frozen=True)
class ChatRequest:
    messages: Sequence[dict]
    reasoning_effort: str = "medium"
    max_tokens: int | None = None  # the answer's cap (final channel on gpt-oss); None: what the context leaves
    sampling: Sampling | None = None  # None: the model family's defaults
    # gpt-oss: tokens of reasoning (analysis/commentary) before the model is moved on to its final
    # answer, counted apart from max_tokens; None: no cap but the context
    max_reasoning_tokens: int | None = None


class EngineError(RuntimeError):
    """Loading or running a model failed; the message is meant for the user."""


class Engine(Protocol):
    info: ModelInfo | None

    def load(self, config: ModelConfig) -> ModelInfo: ...

    def stream(self, request: ChatRequest) -> Iterator[Event]: ...

    def cancel(self) -> None: ...

    def prepare(self, chats: Sequence[Sequence[dict]], reasoning_effort: str = "medium", *,
                keep: bool = False) -> Iterator[Event]: ...

    def count_tokens(self, messages: Sequence[dict], reasoning_effort: str = "medium") -> int: ...

    def close(self) -> None: ...


class _AbortFlag:
    """A cancel flag that llama.cpp polls between graph nodes without touching Python.

    ggml's CPU backend calls the abort callback before every node of the graph. A Python
    callback would take the GIL thousands of times per token and cost several percent of
    throughput, so the callback is C's own ``strlen`` over a two-byte buffer: it returns 1
    once the first byte is set, 0 otherwise, and ``bool(*)(void*)`` and
    ``size_t(*)(const char*)`` share the calling convention on every platform we ship for.
    """

    def __init__(self, llama_cpp_module) -> None:
        self._buf = ctypes.create_string_buffer(2)
        self.callback = None
        strlen = _libc_strlen()
        cb_type = llama_cpp_module.ggml_abort_callback
        if strlen is not None:
            self.callback = cb_type(ctypes.cast(strlen, ctypes.c_void_p).value)
        else:  # pragma: no cover - no C library found: slower, still correct
            self.callback = cb_type(lambda _data: self._buf.raw[0] != 0)
        self.data = ctypes.cast(self._buf, ctypes.c_void_p)

    def set(self) -> None:
        self._buf[0] = b"\x01"

    def clear(self) -> None:
        self._buf[0] = b"\x00"

    def is_set(self) -> bool:
        return self._buf.raw[0] != 0


def _libc_strlen():
    try:
        libc = ctypes.cdll.msvcrt if sys.platform == "win32" else ctypes.CDLL(None)
        return libc.strlen
    except (OSError, AttributeError):  # pragma: no cover
        return None


def _special_tokens(llama_cpp_module, llm) -> tuple[re.Pattern[str] | None, frozenset[int]]:
    """A regex matching the text of every control or user-defined token of the vocabulary, and
    the ids of the control tokens that must never reach an answer: all of them but the harmony
    markers that the parser consumes (gpt-oss's vocabulary has hundreds of ``<|reserved_N|>``)."""
    vocab = llm._model.vocab
    control = llama_cpp_module.LLAMA_TOKEN_ATTR_CONTROL
    mask = control | llama_cpp_module.LLAMA_TOKEN_ATTR_USER_DEFINED
    texts = set()
    dropped = set()
    for i in range(llama_cpp_module.llama_vocab_n_tokens(vocab)):
        attr = llama_cpp_module.llama_vocab_get_attr(vocab, i)
        if attr & mask:
            text = llama_cpp_module.llama_vocab_get_text(vocab, i).decode("utf-8", "replace")
            if len(text) > 1:
                texts.add(text)
            if attr & control and text not in harmony.MARKERS:
                dropped.add(i)
    pattern = None
    if texts:
        pattern = re.compile("|".join(re.escape(t) for t in sorted(texts, key=len, reverse=True)))
    return pattern, frozenset(dropped)


_log = logging.getLogger("copilot.llama")
_engine_log = logging.getLogger("copilot.engine")
_log_callback = None


def _route_llama_logs(llama_cpp_module) -> None:
    """Send llama.cpp's own logging to ours (the log file), never to the user's terminal."""
    global _log_callback
    if _log_callback is not None:
        return
    # ggml_log_level: 1 debug, 2 info, 3 warn, 4 error, 5 continuation. llama.cpp warns about
    # tuning choices (full SWA cache, n_ctx < n_ctx_train) that are ours to make, not the user's news.
    levels = {3: logging.INFO, 4: logging.WARNING}

    def on_log(level: int, text: bytes, _data) -> None:
        lvl = levels.get(level, logging.DEBUG)
        if _log.isEnabledFor(lvl):
            _log.log(lvl, "%s", text.decode("utf-8", "replace").rstrip())

    _log_callback = llama_cpp_module.llama_log_callback(on_log)
    llama_cpp_module.llama_log_set(_log_callback, ctypes.c_void_p(0))


def _backend_name(llama_cpp_module) -> str:
    try:
        info = llama_cpp_module.llama_print_system_info().decode("utf-8", "replace")
    except Exception:  # pragma: no cover - very old builds
        info = ""
    for name in ("CUDA", "Metal", "Vulkan", "ROCm", "SYCL"):
        if name.upper() in info.upper() and llama_cpp_module.llama_supports_gpu_offload():
            return name
    return "CPU"


@contextlib.contextmanager
def _weights_in_place(llama_cpp_module, keep: bool):
    """While a model loads, ask llama.cpp not to repack the weights into extra CPU buffers
    (``use_extra_bufts``), which llama-cpp-python's Llama() does not expose: it takes its model
    parameters from the bindings' ``llama_model_default_params``, wrapped here for the load."""
    bindings = llama_cpp_module.llama_cpp
    default = bindings.llama_model_default_params
    if not keep:
        yield
        return

    def without_repack():
        params = default()
        params.use_extra_bufts = False
        return params

    bindings.llama_model_default_params = without_repack
    try:
        yield
    finally:
        bindings.llama_model_default_params = default


# Kept prompt prefixes (LocalEngine.prepare(keep=True)): a few, and a bounded size. One token of
# gpt-oss-20b's KV cache takes 48 KiB, so a 300-token instruction prefix is about 14 MiB.
MAX_SNAPSHOTS = 4
SNAPSHOT_BYTES = 256 * 2**20
# A prefix already in the context followed by at most this many tokens is kept as it is (and
# snapshotted with them) rather than cut back to the prefix.
KEEP_EXTRA_TOKENS = 1024
MIN_RESTORE_GAIN = 32  # restore a snapshot only when it saves evaluating at least this many tokens


@dataclass(eq=False)
class _Snapshot:
    tokens: tuple[int, ...]
    data: object  # ctypes buffer from llama_state_seq_get_data
    size: int


def bench_tokens(n_vocab: int, count: int, seed: int = 0) -> list[int]:
    """``count`` pseudo-random token ids, the same for a given seed (benchmarks compare runs)."""
    import random

    rnd = random.Random(seed)
    return [rnd.randrange(n_vocab) for _ in range(count)]


def _common_prefix(a: Sequence[int], b: Sequence[int]) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


class LocalEngine:
    """llama.cpp in this process."""

    def __init__(self, *, hardware: Hardware | None = None) -> None:
        self._hardware = hardware  # None: look at this computer before each load
        self.info: ModelInfo | None = None
        self.gguf: GGUFInfo | None = None
        self._llm = None
        self._template: ChatTemplate | None = None
        self._abort: _AbortFlag | None = None
        self._stop_ids: frozenset[int] = frozenset()
        self._specials: re.Pattern[str] | None = None
        self._dropped_ids: frozenset[int] = frozenset()  # control tokens that never reach an answer
        self._snapshots: list[_Snapshot] = []  # most recently used first
        self._window = 0  # sliding window of a cache that keeps only the window, else 0
        self.adapter: AdapterInfo | None = None
        self._lora = None  # llama_adapter_lora pointer, freed with the Llama (its exit stack)

    # -- loading -------------------------------------------------------------------------
    def load(self, config: ModelConfig) -> ModelInfo:
        """Load a model; raise ModelFileError / EngineError with a user-facing message."""
        gguf = inspect_gguf(config.path)  # before llama.cpp: it aborts on some malformed files
        adapter = None
        if config.lora_path is not None:  # also before close(): a bad adapter leaves the current model loaded
            adapter = check_adapter(config.lora_path, gguf)
            if not math.isfinite(config.lora_scale):
                raise EngineError(f"The adapter scale {config.lora_scale!r} is not a number: use 1.0, or 0 to turn it off.")
        self.close()  # first: the model being replaced frees the memory that the check counts
        n_ctx = config.n_ctx if config.n_ctx > 0 else (gguf.context_length or 4096)
        # before llama.cpp allocates: a KV cache larger than the free RAM gets the app killed, not an error
        if config.kv_type not in KV_TYPES and config.kv_type != "auto":
            raise EngineError(f"Unknown KV cache type {config.kv_type!r}: choose auto, {', '.join(KV_TYPES)}.")
        if config.kv_type not in ("f16", "auto") and not config.flash_attn:
            raise EngineError(f"A {config.kv_type} KV cache needs flash attention: turn it on, or use f16.")
        import llama_cpp

        offload = config.n_gpu_layers != 0 and llama_cpp.llama_supports_gpu_offload()
        n_ubatch = min(config.n_ubatch or default_ubatch(offload), config.n_batch, n_ctx)
        kv_type = config.kv_type
        heads = shape_of(gguf)
        if kv_type == "auto":
            kv_type = auto_cache_type(heads, config.flash_attn, offload)
        elif kv_type != "f16" and not whole_q8_blocks(heads):
            raise EngineError(f"A {kv_type} KV cache needs attention heads of a multiple of 32 values; "
                              f"{gguf.path.name} has {heads.head_dim_k}: use f16.")
        # the compute buffer follows the physical batch (n_ubatch), which fit.py calls n_batch
        check_fits(gguf, n_ctx, config.n_gpu_layers, self._hardware,
                   n_batch=n_ubatch, flash_attn=config.flash_attn, cache_type=kv_type)

        _route_llama_logs(llama_cpp)
        try:
            with _weights_in_place(llama_cpp, keep=not config.cpu_repack):
                llm = llama_cpp.Llama(
                    model_path=str(gguf.path),
                    n_ctx=n_ctx,
                    n_batch=min(config.n_batch, n_ctx),
                    n_ubatch=n_ubatch,
                    type_k=KV_TYPES[kv_type],
                    type_v=KV_TYPES[kv_type],
                    n_threads=config.n_threads or default_threads(),
                    n_threads_batch=config.n_threads_batch or config.n_threads or default_threads(),
                    n_gpu_layers=config.n_gpu_layers,
                    flash_attn=config.flash_attn,
                    swa_full=config.swa_full,
                    use_mmap=config.use_mmap,
                    seed=config.seed if config.seed >= 0 else llama_cpp.LLAMA_DEFAULT_SEED,
                    verbose=False,
                )
        except (ValueError, RuntimeError, OSError) as exc:
            raise EngineError(
                f"llama.cpp could not load {gguf.path.name} ({gguf.architecture}): {exc}. "
                "The file may be corrupt, or made for a newer llama.cpp than this app's."
            ) from exc
        if adapter is not None:
            self._apply_adapter(llama_cpp, llm, adapter, config.lora_scale)
        self._abort = _AbortFlag(llama_cpp)
        llama_cpp.llama_set_abort_callback(llm._ctx.ctx, self._abort.callback, self._abort.data)

        self._llm = llm
        self.gguf = gguf
        self._window = 0 if config.swa_full else heads.sliding_window
        self._template = ChatTemplate(
            gguf.chat_template,
            bos_token=self._piece(llm.token_bos()),
            eos_token=self._piece(llm.token_eos()),
        )
        stops = {llm.token_eos()}
        if gguf.is_harmony:
            for text in (harmony.RETURN, harmony.CALL):
                ids = llm.tokenize(text.encode(), add_bos=False, special=True)
                if len(ids) == 1:
                    stops.add(ids[0])
        self._stop_ids = frozenset(stops)
        self._specials, self._dropped_ids = _special_tokens(llama_cpp, llm)
        self.info = ModelInfo(
            name=gguf.name,
            path=gguf.path,
            architecture=gguf.architecture,
            n_ctx=llm.n_ctx(),
            n_ctx_train=gguf.context_length or llm.n_ctx(),
            harmony=gguf.is_harmony,
            backend=_backend_name(llama_cpp),
            file_size=gguf.file_size,
            flash_attn=config.flash_attn,
            kv_type=kv_type,
            n_ubatch=n_ubatch,
            adapter=adapter.path.name if adapter else "",
            adapter_scale=config.lora_scale if adapter else 0.0,
        )
        return self.info

    def _apply_adapter(self, llama_cpp, llm, adapter: AdapterInfo, scale: float) -> None:
        """Load the adapter into llama.cpp and set it on the context.

        Done here, not by Llama(lora_path=...): llama-cpp-python 0.3.36 then turns use_mmap off (a
        relic of LoRAs merged into the weights), which copies the whole model into private memory
        (SmolLM2: 153 MB instead of 61; gpt-oss-20b: 12 GB). llama.cpp's adapters leave the weights as
        they are and need no copy. The same calls as llama-cpp-python's, freed with the Llama.
        """
        lora = llama_cpp.llama_adapter_lora_init(llm._model.model, str(adapter.path).encode("utf-8"))
        if not lora:
            llm.close()
            raise EngineError(f"llama.cpp could not load the adapter {adapter.path.name}; the log file says why.")

        def free() -> None:
            llama_cpp.llama_adapter_lora_free(lora)
            if self._lora is lora:
                self._lora = None

        self._lora = lora
        llm._stack.callback(free)  # runs first on close: the adapter goes before its context and model
        self.adapter = adapter
        try:
            self._set_lora(llama_cpp, llm, scale)
        except EngineError:
            llm.close()
            self.adapter = None
            raise

    def _set_lora(self, llama_cpp, llm, scale: float) -> None:
        adapters = (llama_cpp.llama_adapter_lora_p_ctypes * 1)(self._lora)
        scales = (ctypes.c_float * 1)(scale)
        if llama_cpp.llama_set_adapters_lora(llm._ctx.ctx, adapters, 1, scales):
            raise EngineError(f"llama.cpp could not apply the adapter {self.adapter.path.name}.")

    def set_lora_scale(self, scale: float) -> None:
        """Change the loaded adapter's scale without reloading (0 turns it off).

        The KV cache and the kept prefixes hold states computed at the old scale: they are dropped,
        so that no prompt state is reused across scales.
        """
        llm = self._require()
        if self._lora is None:
            raise EngineError("No adapter is loaded: choose one in Settings, then reload the model.")
        if not math.isfinite(scale):
            raise EngineError(f"The adapter scale {scale!r} is not a number: use 1.0, or 0 to turn it off.")
        import llama_cpp

        self._set_lora(llama_cpp, llm, scale)
        self._snapshots.clear()
        llm.reset()
        llm._ctx.kv_cache_seq_rm(-1, -1, -1)
        if self.info is not None:
            self.info = replace(self.info, adapter_scale=scale)

    def close(self) -> None:
        if self._llm is not None:
            self._llm.close()
        self._llm = None
        self.info = None
        self.adapter = None
        self._snapshots.clear()

    def _piece(self, token: int) -> str:
        if token < 0:
            return ""
        return self._llm.detokenize([token], special=True).decode("utf-8", "replace")

    def _require(self):
        if self._llm is None:
            raise EngineError("No model is loaded.")
        return self._llm

    # -- prompts -------------------------------------------------------------------------
    def tokenize_chat(self, messages: Sequence[dict], reasoning_effort: str = "medium") -> list[int]:
        """The prompt tokens of a chat, through the model's own chat template."""
        llm = self._require()
        harmony.check_effort(reasoning_effort)
        segments = self._template.render(messages, reasoning_effort=reasoning_effort)
        return self._tokenize_segments(llm, segments)

    def _tokenize_segments(self, llm, segments: list[Segment]) -> list[int]:
        tokens: list[int] = []
        bos = llm.token_bos()
        first = "".join(s.text for s in segments)
        if llm._model.add_bos_token() and bos >= 0 and not (
            self._template.bos_token and first.startswith(self._template.bos_token)
        ):
            tokens.append(bos)
        for seg in segments:
            if seg.special:
                tokens.extend(llm.tokenize(seg.text.encode("utf-8"), add_bos=False, special=True))
            else:
                for piece in self._plain_pieces(seg.text):
                    tokens.extend(llm.tokenize(piece.encode("utf-8"), add_bos=False, special=False))
        return tokens

    def _plain_pieces(self, text: str) -> Iterator[str]:
        """Split user text so that no piece holds a whole special token's text.

        llama.cpp matches user-defined tokens (gpt-oss marks its harmony tokens so) even
        with special parsing off, so "<|end|>" typed in an email would end the message.
        Cut after the first character, it stays two ordinary text tokens.
        """
        if self._specials is None:
            yield text
            return
        pos = 0
        for match in self._specials.finditer(text):
            yield text[pos:match.start() + 1]
            pos = match.start() + 1
        yield text[pos:]

    def count_tokens(self, messages: Sequence[dict], reasoning_effort: str = "medium") -> int:
        return len(self.tokenize_chat(messages, reasoning_effort))

    def count_text(self, text: str) -> int:
        llm = self._require()
        return len(llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def sampling_for(self, request: ChatRequest) -> Sampling:
        if request.sampling is not None:
            return request.sampling
        return GPT_OSS_SAMPLING if self.info and self.info.harmony else DEFAULT_SAMPLING

    # -- measuring -----------------------------------------------------------------------
    def measure(self, pp_tokens: int, tg_tokens: int) -> tuple[float, float]:
        """Seconds to evaluate a ``pp_tokens`` prompt, then to decode ``tg_tokens`` one by one.

        As llama-bench does: random token ids (always the same ones), no sampling, an empty
        context each time; it measures the model and this build, not a particular chat. One
        token repeated would not do for a mixture of experts such as gpt-oss: every position
        would go to the same 4 of the 32 experts, and reading a prompt would look faster
        than it is.
        """
        llm = self._require()
        if pp_tokens + tg_tokens > llm.n_ctx():
            raise ValueError(f"pp + tg = {pp_tokens + tg_tokens} tokens do not fit the {llm.n_ctx()}-token context")
        tokens = bench_tokens(llm.n_vocab(), pp_tokens + tg_tokens)
        llm.reset()
        t0 = time.perf_counter()
        llm.eval(tokens[:pp_tokens])
        pp_seconds = time.perf_counter() - t0
        llm.reset()
        t0 = time.perf_counter()
        for token in tokens[pp_tokens:]:
            llm.eval([token])
        tg_seconds = time.perf_counter() - t0
        llm.reset()  # the next chat must not reuse this synthetic prefix
        return pp_seconds, tg_seconds

    # -- generation ----------------------------------------------------------------------
    def cancel(self) -> None:
        """Stop the running request as soon as possible; safe from any thread."""
        if self._abort is not None:
            self._abort.set()

    def stream(self, request: ChatRequest) -> Iterator[Event]:
        """Yield PromptProgress, Reasoning, Answer, then exactly one Finished or Failed."""
        try:
            llm = self._require()
            prompt = self.tokenize_chat(request.messages, request.reasoning_effort)
        except (EngineError, TemplateError, ValueError) as exc:
            yield Failed(str(exc))
            return
        self._abort.clear()
        yield from self._run(llm, prompt, request)

    def _run(self, llm, prompt: list[int], request: ChatRequest) -> Iterator[Event]:
        t0 = time.perf_counter()
        n_ctx = llm.n_ctx()
        room = n_ctx - len(prompt)
        if room <= 0 or (request.max_tokens is not None and request.max_tokens > room):
            want = request.max_tokens or 1
            yield Failed(
                f"The input is too long for the model's context: {len(prompt):,} prompt tokens "
                f"+ {want:,} for the answer > {n_ctx:,}. Shorten the text, or raise the context size."
            )
            return
        import llama_cpp

        is_eog, vocab = llama_cpp.llama_vocab_is_eog, llm._model.vocab
        sampling = self.sampling_for(request)
        is_harmony = self.info.harmony
        parser = harmony.HarmonyParser() if is_harmony else None
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        answer_cap = request.max_tokens
        reasoning_cap = request.max_reasoning_tokens if is_harmony else None
        generated = answered = reasoned = dropped = 0
        context = list(prompt)  # the prompt and every token written: where a resumed pass starts
        t_first = t_last = None
        stop_reason = "length"
        cached = 0

        def sample(tokens: list[int]):
            return llm.generate(tokens, temp=sampling.temperature, top_p=sampling.top_p, top_k=sampling.top_k,
                                min_p=sampling.min_p, repeat_penalty=sampling.repeat_penalty)

        try:
            cached = yield from self._prefill(llm, prompt)
            if cached < 0:
                stop_reason, cached, tokens = "cancelled", 0, ()
            else:
                tokens = sample(prompt)
            while True:
                resume = False
                for token in tokens:
                    if self._abort.is_set():
                        stop_reason = "cancelled"
                        break
                    t_last = time.perf_counter()
                    if t_first is None:
                        t_first = t_last
                    if token in self._stop_ids or is_eog(vocab, token):
                        stop_reason = "stop"
                        break
                    generated += 1
                    context.append(token)
                    before = parser.channel if parser else None  # the body this token was written in
                    if token in self._dropped_ids:
                        dropped += 1  # <|reserved_286|> and friends: never text, never the answer
                    else:
                        text = decoder.decode(llm.detokenize([token], special=is_harmony))
                        if text:
                            yield from (parser.feed(text) if parser else (Answer(text),))
                    # reasoning is what an analysis/commentary body holds; everything else (the answer,
                    # message headers, dropped tokens, text outside harmony) counts against the answer's
                    # cap, so that no output at all runs unbounded
                    channel = parser.channel if parser else None
                    if before not in (None, "final"):
                        reasoned += 1
                    else:
                        answered += 1
                    if (answer_cap is not None and answered >= answer_cap) or len(context) >= n_ctx:
                        stop_reason = "length"
                        break
                    if reasoning_cap is not None and reasoned >= reasoning_cap and channel not in (None, "final"):
                        resume = True
                        break
                if not resume:
                    break
                # The reasoning budget is spent: end the analysis message and open the final one,
                # as the model itself would, so the answer keeps all of its own budget.
                _engine_log.info("reasoning budget of %d tokens spent: moved on to the answer", reasoning_cap)
                reasoning_cap = None
                yield from parser.feed(decoder.decode(b"", final=True))
                decoder = codecs.getincrementaldecoder("utf-8")("replace")
                bridge = harmony.END + harmony.START + "assistant" + harmony.CHANNEL + "final" + harmony.MESSAGE
                yield from parser.feed(bridge)
                context.extend(llm.tokenize(bridge.encode(), add_bos=False, special=True))
                if len(context) >= n_ctx:
                    stop_reason = "length"
                    break
                if (yield from self._prefill(llm, context)) < 0:
                    stop_reason = "cancelled"
                    break
                tokens = sample(context)
            tail = decoder.decode(b"", final=True)
            if parser:
                yield from parser.feed(tail)
                yield from parser.close()
            elif tail:
                yield Answer(tail)
        except RuntimeError as exc:
            if self._abort.is_set():
                stop_reason = "cancelled"
            else:
                yield Failed(f"Generation failed inside llama.cpp: {exc}")
                return
        finally:
            self._abort.clear()
        if dropped:
            _engine_log.info("dropped %d control tokens from the model's output", dropped)
        ttft = (t_first - t0) if t_first is not None else time.perf_counter() - t0
        tps = (generated - 1) / (t_last - t_first) if generated > 1 and t_last > t_first else 0.0
        yield Finished(Stats(
            prompt_tokens=len(prompt), cached_tokens=cached, generated_tokens=generated,
            time_to_first_token=ttft, tokens_per_second=tps, stop_reason=stop_reason,
            reasoning_tokens=reasoned, dropped_tokens=dropped,
        ))

    # -- prompt prefixes ---------------------------------------------------------------
    def prepare(self, chats: Sequence[Sequence[dict]], reasoning_effort: str = "medium", *,
                keep: bool = False) -> Iterator[PromptProgress]:
        """Evaluate the start that ``chats`` share (all of it, for one chat) without generating,
        so that a later prompt beginning the same way evaluates only the rest.

        Pass two chats that differ only where the future prompt is unknown (two actions on
        one selection, two texts under one instruction): their common tokens are exactly the
        part worth evaluating now. ``keep`` also snapshots it, so that other prompts run in
        between do not lose it (the hotkey actions' instruction prefix, evaluated after load).
        Yields progress; returns the number of tokens ready, or -1 when cancelled.
        """
        llm = self._require()
        lists = [self.tokenize_chat(chat, reasoning_effort) for chat in chats]
        if not lists:
            return 0
        tokens = lists[0][:min(map(len, lists))]
        for other in lists[1:]:
            tokens = tokens[:_common_prefix(tokens, other)]
        self._abort.clear()
        if len(tokens) < 2 or len(tokens) >= llm.n_ctx() // 2:
            return 0  # nothing shared, or so long that the request will not fit with its answer
        if keep and self._kept(tokens):
            return len(tokens)  # already kept: leave the context (perhaps a selection just read) alone
        have = llm._input_ids
        if _common_prefix(have, tokens) < len(tokens) or len(have) > len(tokens) + KEEP_EXTRA_TOKENS:
            try:
                if (yield from self._prefill(llm, tokens)) < 0:
                    return -1
            except RuntimeError:  # llama.cpp stopped by the abort callback
                if self._abort.is_set():
                    return -1
                raise
            finally:
                self._abort.clear()
        # else: already in the context, followed by a little more (the last request on this
        # selection, which a retry or another action reuses): leave it as it is
        if keep:
            self._snapshot(llm)
        return len(tokens)

    def _kept(self, tokens: list[int]) -> bool:
        """Whether a snapshot starts with all of ``tokens``."""
        return any(_common_prefix(snap.tokens, tokens) == len(tokens) for snap in self._snapshots)

    def _use(self, snap: "_Snapshot") -> None:
        """Mark ``snap`` most recently used: the last to be dropped."""
        self._snapshots.remove(snap)
        self._snapshots.insert(0, snap)

    def _snapshot(self, llm) -> None:
        """Copy the context's KV cache out of llama.cpp, under the tokens it holds."""
        import llama_cpp

        key = tuple(int(t) for t in llm._input_ids)
        for snap in self._snapshots:
            if snap.tokens == key:
                self._use(snap)
                return
        ctx = llm._ctx.ctx
        size = llama_cpp.llama_state_seq_get_size(ctx, 0)
        buf = (ctypes.c_uint8 * size)()
        n = llama_cpp.llama_state_seq_get_data(ctx, buf, size, 0)
        if not n:
            return
        self._snapshots.insert(0, _Snapshot(key, buf, n))
        while len(self._snapshots) > MAX_SNAPSHOTS or self.snapshot_bytes > SNAPSHOT_BYTES:
            self._snapshots.pop()

    def _restore(self, llm, snap: "_Snapshot") -> bool:
        import llama_cpp

        llm._ctx.kv_cache_seq_rm(0, -1, -1)
        if not llama_cpp.llama_state_seq_set_data(llm._ctx.ctx, snap.data, snap.size, 0):
            llm.reset()
            self._snapshots.remove(snap)  # it will not restore better next time
            return False
        n = len(snap.tokens)
        llm.input_ids[:n] = snap.tokens
        llm.n_tokens = n
        llm._requires_eval = True
        self._use(snap)
        return True

    @property
    def snapshot_bytes(self) -> int:
        return sum(s.size for s in self._snapshots)

    def _prefill(self, llm, prompt: list[int]) -> Iterator[PromptProgress]:
        """Bring the context to exactly ``prompt``, reusing the longest shared prefix.

        Yields progress; returns how many prompt tokens were reused, or -1 when cancelled. Evaluates in
        batches so a long document reports progress and cancels between (and, through
        the abort callback, within) batches. At least one token is always evaluated so
        the logits that the sampler reads belong to this prompt.
        """
        limit = len(prompt) - 1
        reuse = min(_common_prefix(llm._input_ids, prompt), limit)
        best, best_len = None, reuse + MIN_RESTORE_GAIN - 1  # a few tokens are cheaper to evaluate
        for snap in self._snapshots:  # a kept prefix that this prompt shares more of
            shared = min(_common_prefix(snap.tokens, prompt), limit)
            if shared > best_len:
                best, best_len = snap, shared
        if best is not None and self._restore(llm, best):
            reuse = best_len
        elif best is not None:
            reuse = 0
        if reuse and self._window:
            # A sliding-window cache without full size (swa_full=False) has dropped the positions
            # that slid out; the tokens after ``reuse`` need the window before it (llama-server's rule).
            import llama_cpp

            pos_min = llama_cpp.llama_memory_seq_pos_min(llama_cpp.llama_get_memory(llm._ctx.ctx), 0)
            if pos_min > max(0, reuse - self._window):
                reuse = 0
        if reuse and not llm._ctx.kv_cache_seq_rm(-1, reuse, -1):
            reuse = 0  # this memory type cannot drop a suffix: start over
        if reuse == 0:
            llm.reset()
        llm.n_tokens = reuse
        total = len(prompt)
        step = llm.n_batch
        pos = reuse
        while pos < total:
            if self._abort.is_set():
                return -1
            end = min(total, pos + step)
            llm.eval(prompt[pos:end])
            pos = end
            if total - reuse > step:  # only long prompts are worth a progress bar
                yield PromptProgress(pos, total)
        return reuse
