"""Will a model fit this computer, and how: GPU layers, context size, a verdict with reasons.

Memory that llama.cpp needs for a model, as llama-cpp-python 0.3.36 allocates it:

* **weights**: the tensors, memory-mapped from the file. On the CPU they stay clean file
  pages that the kernel can drop and read again (slow, never fatal); offloaded layers
  are copied to the GPU.
* **KV cache**: ``n_layer × n_head_kv × (key_length + value_length) × 2 bytes`` (f16) per
  token of context, for the whole context from the start. llama-cpp-python keeps a
  full-size cache for sliding-window layers too (llama.cpp logs "using full-size SWA
  cache"), so gpt-oss-20b needs 48 KiB per token, 768 MiB at 16k tokens.
* **compute buffer**: the largest set of intermediate tensors alive at once while the
  worst-case batch (``n_ubatch`` tokens against the full cache) is evaluated; see
  :func:`compute_bytes`. Without flash attention it is dominated by the attention
  scores, ``n_head × n_ubatch × n_ctx`` floats: 2.1 GiB for gpt-oss-20b at 16k tokens.

KV cache and compute buffer are anonymous memory: if they do not fit in the free RAM
the system swaps or kills a process. That is what :func:`check_fits` refuses.

Not modelled: llama.cpp's CPU "repack" of some quantization types (Q4_0, IQ4_NL, ...)
turns those weights into anonymous memory too; several GPUs (we plan for the largest);
recurrent/hybrid architectures (Mamba and friends keep a different state).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from copilot.core.models.gguf_header import GGUFInfo, ModelFileError
from copilot.core.models.hardware import GPU, Hardware

MiB = 1 << 20
GiB = 1 << 30
N_UBATCH = 512  # llama-cpp-python's default n_ubatch: the most tokens one graph evaluates
CTX_PAD = 256  # llama.cpp rounds the context up to a multiple of this (1000 -> 1024, 1100 -> 1280)
GPU_HEADROOM_SHARE = 0.10  # of a discrete GPU's memory left to the desktop and the driver
GPU_HEADROOM_MIN = 512 * MiB  # and at least this much (a CUDA context alone takes ~300 MiB)
CACHE_TYPE_BYTES = {"f32": 4.0, "f16": 2.0, "bf16": 2.0, "q8_0": 34 / 32, "q5_1": 24 / 32, "q5_0": 22 / 32,
                    "q4_1": 20 / 32, "q4_0": 18 / 32, "iq4_nl": 18 / 32}
VERDICTS = ("well", "slowly", "no_fit")
_BLOCK = re.compile(r"blk\.(\d+)\.")


class ModelTooLarge(ModelFileError):
    """The model (at this context size) needs more memory than this computer has."""


@dataclass(frozen=True)
class ModelShape:
    """What sizes a model's memory: from its GGUF header, or written out for a model we only know of."""

    weights: int  # bytes of all tensors
    n_layer: int
    n_embd: int
    n_head: int
    n_head_kv: int
    head_dim_k: int
    head_dim_v: int
    n_vocab: int
    n_ctx_train: int = 0
    n_ff: int = 0  # dense feed-forward width (0 for a pure mixture of experts)
    sliding_window: int = 0  # 0: every layer attends to the whole context
    n_expert: int = 0
    n_expert_used: int = 0
    n_ff_exp: int = 0  # each expert's feed-forward width
    layer_bytes: tuple[int, ...] = ()  # per repeating layer (blk.N); () means spread evenly
    embd_bytes: int = 0  # token_embd: llama.cpp always keeps the input layer in RAM
    output_bytes: int = 0  # output + output_norm: on the GPU only when every layer is
    output_tied: bool = False  # no output.weight: the output reuses token_embd (copied to a GPU)
    name: str = "The model"

    def layers(self) -> tuple[int, ...]:
        if len(self.layer_bytes) == self.n_layer:
            return self.layer_bytes
        rest = max(0, self.weights - self.embd_bytes - self.output_bytes)
        return (rest // max(1, self.n_layer),) * self.n_layer


@dataclass(frozen=True)
class Estimate:
    weights: int  # on all devices: a tied output layer offloaded to a GPU is counted twice, as it is copied
    kv: int
    compute: int  # graph buffers + the logits output buffer, on all devices
    total: int
    gpu_bytes: int
    cpu_bytes: int  # in RAM: weights (reclaimable with mmap) + cpu_anon
    cpu_anon: int  # KV cache + compute buffers in RAM: what cannot be paged back to the file
    n_ctx: int  # the context llama.cpp will allocate (padded)
    n_gpu_layers: int  # resolved: 0 .. n_layer + 1 (n_layer + 1: the output layer too)


@dataclass(frozen=True)
class Plan:
    n_ctx: int
    n_gpu_layers: int
    estimate: Estimate
    verdict: str  # "well", "slowly" or "no_fit"
    reasons: list[str]


# -- the model ---------------------------------------------------------------------------------------
def _int(value: Any, default: int = 0) -> int:
    """A header value as one int: per-layer arrays give their largest value (never underestimate)."""
    if isinstance(value, list):
        value = max((v for v in value if isinstance(v, int)), default=default)
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default


def shape_of(info: GGUFInfo) -> ModelShape:
    g = info.get
    n_layer = _int(g("block_count"))
    n_embd = _int(g("embedding_length"))
    n_head = _int(g("attention.head_count")) or 1
    n_head_kv = _int(g("attention.head_count_kv"), n_head) or n_head
    head_k = _int(g("attention.key_length")) or n_embd // n_head
    head_v = _int(g("attention.value_length")) or head_k
    names = {t.name: t for t in info.tensors}
    tokens = info.metadata.get("tokenizer.ggml.tokens")
    n_vocab = len(tokens) if tokens is not None else 0
    if not n_vocab and "token_embd.weight" in names:
        n_vocab = names["token_embd.weight"].shape[-1]
    layers = [0] * n_layer
    embd = output = 0
    for t in info.tensors:
        m = _BLOCK.match(t.name)
        if m and int(m.group(1)) < n_layer:
            layers[int(m.group(1))] += t.nbytes
        elif t.name.startswith("token_embd"):
            embd += t.nbytes
        elif t.name.startswith(("output.", "output_norm.")):
            output += t.nbytes
    return ModelShape(
        weights=sum(t.nbytes for t in info.tensors), n_layer=n_layer, n_embd=n_embd, n_head=n_head,
        n_head_kv=n_head_kv, head_dim_k=head_k, head_dim_v=head_v, n_vocab=n_vocab,
        n_ctx_train=info.context_length or 0, n_ff=_int(g("feed_forward_length")),
        sliding_window=_int(g("attention.sliding_window")), n_expert=_int(g("expert_count")),
        n_expert_used=_int(g("expert_used_count")), n_ff_exp=_int(g("expert_feed_forward_length")),
        layer_bytes=tuple(layers), embd_bytes=embd, output_bytes=output,
        output_tied="output.weight" not in names, name=info.name,
    )


# -- memory ------------------------------------------------------------------------------------------
def padded_ctx(n_ctx: int) -> int:
    return max(CTX_PAD, -(-n_ctx // CTX_PAD) * CTX_PAD)


def kv_bytes_per_token(shape: ModelShape, cache_type: str = "f16") -> int:
    """KV cache bytes per token of context, every layer at full size (swa_full)."""
    per_value = CACHE_TYPE_BYTES[cache_type]
    return int(shape.n_layer * shape.n_head_kv * (shape.head_dim_k + shape.head_dim_v) * per_value)


def _n_ubatch(n_ctx: int, n_batch: int) -> int:
    return max(1, min(n_batch, n_ctx, N_UBATCH))


def _phases(shape: ModelShape, n_ctx: int, n_batch: int, flash_attn: bool) -> dict[str, int]:
    """Peak live bytes of each part of the graph; llama.cpp's buffer is the largest of them.

    Calibrated on llama.cpp's own reports (tests/core/test_fit.py):
    * attention: the scores, f32 ``n_head × n_ub × n_kv``, plus the f32 masks ``n_ub × n_kv``
      (two for sliding-window models: one per cache). Flash attention keeps no scores and
      f16 masks. Plus the per-token activations alive meanwhile: about five n_embd-wide rows
      (residual, norm, Q, roped Q, attention output) and K, V: SmolLM2 measures 13,076
      bytes/token against 13,056 predicted.
    * output: the logits of every token of the batch, f32 ``n_vocab × n_ub`` (llama.cpp
      reserves for all outputs), plus two n_embd rows.
    * feed-forward: gate, up and their product, f32 ``n_ff`` (for a mixture of experts,
      ``n_expert_used × n_ff_exp``) per token, plus the experts' outputs.
    """
    n_kv = padded_ctx(n_ctx)
    n_ub = _n_ubatch(n_ctx, n_batch)
    masks = 2 if shape.sliding_window else 1
    rows = 5 * shape.n_embd + shape.n_head_kv * (shape.head_dim_k + shape.head_dim_v)
    if flash_attn:
        attention = n_ub * n_kv * 2 * masks
    else:
        attention = n_ub * n_kv * 4 * (shape.n_head + masks)
    ff = shape.n_expert_used * shape.n_ff_exp if shape.n_expert else shape.n_ff
    return {
        "attention": attention + n_ub * 4 * rows,
        "output": n_ub * 4 * (shape.n_vocab + 2 * shape.n_embd),
        "ffn": n_ub * 4 * (3 * ff + (shape.n_expert_used + 2) * shape.n_embd),
    }


def compute_bytes(shape: ModelShape, n_ctx: int, n_batch: int = 512, flash_attn: bool = False) -> int:
    """The compute buffer llama.cpp reserves when one device runs the whole graph."""
    return max(_phases(shape, n_ctx, n_batch, flash_attn).values())


def output_buffer_bytes(shape: ModelShape) -> int:
    """The logits of one token, kept in RAM (llama.cpp's "output buffer")."""
    return shape.n_vocab * 4


def _resolve_layers(shape: ModelShape, n_gpu_layers: int) -> int:
    return shape.n_layer + 1 if n_gpu_layers < 0 else min(n_gpu_layers, shape.n_layer + 1)


def estimate(shape: ModelShape, n_ctx: int, n_gpu_layers: int = 0, n_batch: int = 512,
             flash_attn: bool = False, cache_type: str = "f16") -> Estimate:
    """Memory for ``shape`` at ``n_ctx`` tokens with ``n_gpu_layers`` on a GPU (-1: all, as llama.cpp).

    llama.cpp offloads the last ``n_gpu_layers`` repeating layers, and the output layer
    once ``n_gpu_layers`` exceeds ``n_layer``; the token embeddings stay in RAM.
    """
    n_gpu = _resolve_layers(shape, n_gpu_layers)
    on_gpu = min(n_gpu, shape.n_layer)
    output_gpu = n_gpu > shape.n_layer
    layers = shape.layers()
    gpu_layer_bytes = sum(layers[shape.n_layer - on_gpu:]) if on_gpu else 0
    gpu_w = gpu_layer_bytes
    cpu_w = shape.weights - gpu_layer_bytes
    if output_gpu:
        gpu_w += shape.output_bytes + (shape.embd_bytes if shape.output_tied else 0)
        cpu_w -= shape.output_bytes
    n_kv = padded_ctx(n_ctx)
    kv_layer = kv_bytes_per_token(shape, cache_type) * n_kv // max(1, shape.n_layer)
    kv_gpu = kv_layer * on_gpu
    kv_cpu = kv_layer * (shape.n_layer - on_gpu)

    phases = _phases(shape, n_ctx, n_batch, flash_attn)
    if n_gpu == 0:
        gpu_c, cpu_c = 0, max(phases.values())
    elif on_gpu == shape.n_layer and output_gpu:
        # the whole graph runs on the GPU; RAM keeps the input embeddings of the batch
        gpu_c, cpu_c = max(phases.values()), _n_ubatch(n_ctx, n_batch) * 4 * shape.n_embd
    else:  # each side reserves for the parts of the graph that it runs
        gpu_c = max(phases["ffn"], phases["attention"] if on_gpu else 0, phases["output"] if output_gpu else 0)
        cpu_c = max(phases["ffn"], phases["attention"] if on_gpu < shape.n_layer else 0,
                    0 if output_gpu else phases["output"])
    cpu_c += output_buffer_bytes(shape)
    weights = cpu_w + gpu_w
    kv = kv_cpu + kv_gpu
    compute = cpu_c + gpu_c
    return Estimate(
        weights=weights, kv=kv, compute=compute, total=weights + kv + compute,
        gpu_bytes=gpu_w + kv_gpu + gpu_c, cpu_bytes=cpu_w + kv_cpu + cpu_c, cpu_anon=kv_cpu + cpu_c,
        n_ctx=n_kv, n_gpu_layers=n_gpu,
    )


# -- the machine -------------------------------------------------------------------------------------
def _gb(n: float) -> str:
    return f"{n / GiB:.1f}"


def offload_gpu(hw: Hardware) -> GPU | None:
    """The GPU llama.cpp would put layers on, or None (none found, or a CPU-only build)."""
    if not hw.gpu_offload:
        return None
    known = [g for g in hw.gpus if g.vram_total]
    if hw.unified_memory:
        known = [g for g in known if g.backend == "Metal"] or known
    return max(known, key=lambda g: usable_vram(g, hw), default=None)


def usable_vram(gpu: GPU, hw: Hardware) -> int:
    """GPU memory a model may take. Apple: Metal's working-set budget (already a share of RAM);
    a discrete GPU: what is free, leaving 10% (at least 512 MiB) to the desktop and the driver."""
    total = gpu.vram_total or 0
    if hw.unified_memory and gpu.backend == "Metal":
        return total
    headroom = max(int(total * GPU_HEADROOM_SHARE), GPU_HEADROOM_MIN)
    free = gpu.vram_free if gpu.vram_free is not None else total
    return max(0, min(total - headroom, free - GPU_HEADROOM_MIN))


def _ram_need(est: Estimate, hw: Hardware) -> tuple[int, int]:
    """(anonymous bytes, all bytes) this estimate puts in RAM: with unified memory, the GPU's too."""
    if hw.unified_memory and est.n_gpu_layers:
        return est.kv + est.compute, est.total
    return est.cpu_anon, est.cpu_bytes


def _problem(est: Estimate, hw: Hardware) -> str | None:
    """Why this estimate cannot run on ``hw`` (it would swap hard or be killed); None if it can."""
    anon, in_ram = _ram_need(est, hw)
    if in_ram > hw.ram_total:
        vram = "" if hw.unified_memory or not est.gpu_bytes else f" (after {_gb(est.gpu_bytes)} GB on the GPU)"
        return (f"Needs {_gb(in_ram)} GB of RAM{vram} at a {est.n_ctx:,}-token context "
                f"({_gb(est.weights)} GB model, {_gb(est.kv + est.compute)} GB working memory); "
                f"this computer has {_gb(hw.ram_total)} GB")
    if anon > hw.ram_available:
        return (f"Needs {_gb(anon)} GB of free memory for its working data at a {est.n_ctx:,}-token context "
                f"({_gb(est.kv)} GB context cache, {_gb(est.compute)} GB for computing); "
                f"this computer has {_gb(hw.ram_available)} GB free of {_gb(hw.ram_total)} GB")
    return None


def contexts(want_ctx: int, min_ctx: int, n_ctx_train: int = 0) -> list[int]:
    """Context sizes to try, largest first: ``want_ctx`` halved down to ``min_ctx``, multiples of 256."""
    if n_ctx_train:
        want_ctx = min(want_ctx, n_ctx_train)
    want = max(CTX_PAD, want_ctx // CTX_PAD * CTX_PAD)
    low = min(want, padded_ctx(min_ctx))
    out = []
    c = want
    while c > low:
        out.append(c)
        c = c // 2 // CTX_PAD * CTX_PAD
    out.append(low)
    return out


# How the engine runs a model unless told otherwise (docs/PERFORMANCE.md, "Tuned defaults"):
# 128-token passes on the CPU (the same prompt speed as 512, a quarter of the compute buffer),
# 512 when layers go to a GPU; with flash attention, a q8_0 KV cache for a mixture of experts on
# the CPU when the heads hold whole 32-value blocks.
CPU_UBATCH = 128


def default_ubatch(offload: bool) -> int:
    return 512 if offload else CPU_UBATCH


def whole_q8_blocks(shape: ModelShape) -> bool:
    """Whether the attention heads hold whole q8_0 blocks (32 values), as a q8_0 KV cache needs."""
    return shape.head_dim_k % 32 == 0 and shape.head_dim_v % 32 == 0


def auto_cache_type(shape: ModelShape, flash_attn: bool, offload: bool) -> str:
    """f16: the quality-safe cache, for every model.

    q8_0 halves the KV cache and on gpt-oss-20b on the CPU was measured as fast as f16
    (docs/PERFORMANCE.md), and on dense SmolLM2 its loss was negligible (KL 0.005). But on the
    real gpt-oss-20b, llama-perplexity found q8_0 K/V at a median KL-divergence of 0.055 and
    only 74.9 % of tokens with the same top choice as f16, CPU alone included (reported in
    TheTom/llama-cpp-turboquant issue 305: models with attention sinks suffer from any
    quantized K), ten times what a dense model loses, and the answers stay fluent, which hides
    it. Without trained gpt-oss weights here to show otherwise, q8_0 is a memory-saving choice
    in Settings (``kv_type``), not the default."""
    return "f16"


def memory_saving_cache(shape: ModelShape, flash_attn: bool) -> bool:
    """Whether a q8_0 cache can be chosen for this model (it needs flash attention and heads of
    whole 32-value blocks)."""
    return flash_attn and whole_q8_blocks(shape)


def plan(shape: ModelShape, hw: Hardware, *, want_ctx: int = 16384, min_ctx: int = 4096,
         n_batch: int | None = None, flash_attn: bool = True) -> Plan:
    """How to run ``shape`` here: all on a GPU ("well"), partly or on the CPU ("slowly"), or not."""
    ctxs = contexts(want_ctx, min_ctx, shape.n_ctx_train)
    gpu = offload_gpu(hw)
    usable = usable_vram(gpu, hw) if gpu else 0

    def shrunk(ctx: int) -> list[str]:
        return [f"Context limited to {ctx:,} tokens (of {ctxs[0]:,} wanted) to fit in memory"] if ctx < ctxs[0] else []

    def est(ctx: int, layers: int) -> Estimate:  # as the engine will load it (None: its defaults)
        offload = layers != 0
        return estimate(shape, ctx, layers, n_batch=n_batch or default_ubatch(offload), flash_attn=flash_attn,
                        cache_type=auto_cache_type(shape, flash_attn, offload))

    if gpu:
        for ctx in ctxs:
            e = est(ctx, shape.n_layer + 1)
            if e.gpu_bytes <= usable and _problem(e, hw) is None:
                where = "in the GPU's share of memory" if hw.unified_memory else "in GPU memory"
                reasons = [f"Runs entirely on the {gpu.name}: needs {_gb(e.gpu_bytes)} GB {where}, "
                           f"{_gb(usable)} GB usable", *shrunk(ctx)]
                return Plan(e.n_ctx, e.n_gpu_layers, e, "well", reasons)

    for ctx in ctxs:
        layers = 0
        if gpu:
            layers = next((n for n in range(shape.n_layer, 0, -1) if est(ctx, n).gpu_bytes <= usable), 0)
        e = est(ctx, layers)
        if _problem(e, hw) is None:
            return Plan(e.n_ctx, e.n_gpu_layers, e, "slowly", _slow_reasons(shape, e, hw, gpu, usable) + shrunk(ctx))

    e = est(ctxs[-1], 0)
    reasons = [_problem(e, hw) or "Does not fit in this computer's memory"]
    return Plan(e.n_ctx, 0, e, "no_fit", reasons)


def _slow_reasons(shape: ModelShape, e: Estimate, hw: Hardware, gpu: GPU | None, usable: int) -> list[str]:
    reasons = []
    if e.n_gpu_layers:
        reasons.append(f"Only {e.n_gpu_layers} of {shape.n_layer} layers fit on the {gpu.name} "
                       f"({_gb(usable)} GB usable); the processor runs the rest")
    elif gpu:
        reasons.append(f"The {gpu.name} has too little memory ({_gb(usable)} GB usable) to help; "
                       "the processor runs the model")
    elif hw.gpus and not hw.gpu_offload:
        reasons.append(f"This llama.cpp build cannot use the {hw.gpus[0].name} "
                       f"(a {hw.gpus[0].backend} build would); the processor runs the model")
    else:
        reasons.append("No GPU that this llama.cpp build can use; the processor runs the model")
    if hw.has_fast_cpu is False:
        reasons.append("This processor lacks AVX2 (or NEON): answers will be very slow")
    _, in_ram = _ram_need(e, hw)
    if in_ram > hw.ram_available:
        reasons.append(f"Needs {_gb(in_ram)} GB; this computer has {_gb(hw.ram_available)} GB free of "
                       f"{_gb(hw.ram_total)} GB, so other programs' data will be pushed out of memory")
    return reasons


def check_fits(info: GGUFInfo, n_ctx: int, n_gpu_layers: int, hw: Hardware | None = None, *,
               n_batch: int = 512, flash_attn: bool = False, cache_type: str = "f16") -> None:
    """Raise ModelTooLarge if loading ``info`` this way would exhaust this computer's memory.

    Only what would get the app killed or the machine swapping is refused: RAM for the
    part that stays on the CPU, free RAM for the KV cache and compute buffers. A GPU too
    small for the layers asked of it is left to llama.cpp, which fails that allocation
    with an error the engine reports.
    """
    if hw is None:
        from copilot.core.models.hardware import detect

        hw = detect(quick=True)
    shape = shape_of(info)
    layers = n_gpu_layers if hw.gpu_offload else 0
    e = estimate(shape, n_ctx, layers, n_batch=n_batch, flash_attn=flash_attn, cache_type=cache_type)
    problem = _problem(e, hw)
    if problem:
        raise ModelTooLarge(
            f"{shape.name} is too large for this computer's memory. {problem}. "
            "Choose a smaller context size or a smaller model, or close other programs."
        )


# -- catalog models, before their file exists ---------------------------------------------
# The wizard judges the fit before a 12 GB download, so the catalog models' shapes are
# written out here (from their GGUF headers: 24/36 blocks, 2880 wide, 64 query heads, 8 KV
# heads of 64, 201088 tokens, 128-token sliding window, 32/128 experts of which 4 are used).
# Embeddings and output are Q8_0 (1.0625 bytes per weight); the rest is the experts in MXFP4.
_GPT_OSS_VOCAB, _GPT_OSS_EMBD = 201088, 2880
_Q8_0_ROW = _GPT_OSS_EMBD * 34 // 32


def _gpt_oss_shape(name: str, weights: int, n_layer: int, n_expert: int) -> ModelShape:
    table = _GPT_OSS_VOCAB * _Q8_0_ROW
    return ModelShape(
        weights=weights, n_layer=n_layer, n_embd=_GPT_OSS_EMBD, n_head=64, n_head_kv=8, head_dim_k=64,
        head_dim_v=64, n_vocab=_GPT_OSS_VOCAB, n_ctx_train=131072, sliding_window=128, n_expert=n_expert,
        n_expert_used=4, n_ff_exp=2880, embd_bytes=table, output_bytes=table, name=name,
    )


CATALOG_SHAPES = {
    "gpt-oss-20b": _gpt_oss_shape("gpt-oss-20b", 12_109_566_560, 24, 32),
    "gpt-oss-120b": _gpt_oss_shape("gpt-oss-120b", 63_387_346_464, 36, 128),
}


def catalog_shape(key: str) -> ModelShape:
    return CATALOG_SHAPES[key]
