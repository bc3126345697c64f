"""Write small LoRA adapter GGUFs for a base GGUF, as llama.cpp's convert_lora_to_gguf.py does.

The format (llama.cpp src/llama-adapter.cpp): metadata ``general.type = "adapter"``,
``adapter.type = "lora"``, ``adapter.lora.alpha`` (float32) and ``general.architecture``
equal to the base model's; for every adapted base tensor ``W`` (numpy shape ``(out, in)``,
GGUF dimensions ``[in, out]``) a pair ``<name>.lora_a`` of numpy shape ``(rank, in)`` and
``<name>.lora_b`` of numpy shape ``(out, rank)``. llama.cpp then computes
``W x + scale * (alpha / rank) * B (A x)``.

Values are deterministic (a seed), so tests can redo the math in numpy.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

# every attention and feed-forward matrix of a dense llama-style block
ATTN_FFN = ("blk.*.attn_q.weight", "blk.*.attn_k.weight", "blk.*.attn_v.weight", "blk.*.attn_output.weight",
            "blk.*.ffn_gate.weight", "blk.*.ffn_up.weight", "blk.*.ffn_down.weight")


@dataclass
class LoraData:
    path: Path
    arch: str
    rank: int
    alpha: float | None
    # base tensor name -> (A (rank, in), B (out, rank)) as written, in float32
    pairs: dict[str, tuple[np.ndarray, np.ndarray]] = field(repr=False)

    def factor(self, scale: float = 1.0) -> float:
        """What llama.cpp multiplies B A x by: scale * alpha / rank (scale alone without alpha)."""
        return scale * (self.alpha / self.rank if self.alpha else 1.0)


def base_shapes(base: Path) -> tuple[str, dict[str, tuple[int, ...]]]:
    """(architecture, tensor name -> GGUF dimensions [ne0, ne1, ...]) of a model, header only.

    The app's bounded header parser: gguf's GGUFReader parses every vocabulary entry (seconds)."""
    from copilot.core.models.gguf_header import inspect_gguf

    info = inspect_gguf(base)
    return info.architecture, {t.name: tuple(t.shape) for t in info.tensors}


def write_lora(path: Path, base: Path, targets: Iterable[str] = ("output.weight",), *, rank: int = 2,
               alpha: float | None = 4.0, seed: int = 0, std: float = 0.05, zero_b: bool = False,
               arch: str | None = None, general_type: str | None = "adapter", adapter_type: str | None = "lora",
               break_shape: str | None = None, extra_tensors: Mapping[str, np.ndarray] | None = None,
               dtype=np.float32) -> LoraData:
    """Write a LoRA adapter for ``base`` to ``path``: one A/B pair for every base tensor whose
    name matches one of ``targets`` (fnmatch patterns).

    To build broken adapters: ``arch`` overrides the architecture written; ``general_type`` /
    ``adapter_type`` override (None: leave out) those keys; ``break_shape`` is "in", "out" or "rank"
    (A's input width, B's output height, or B's rank one off); ``extra_tensors`` adds tensors as they are.
    """
    import gguf

    base_arch, shapes = base_shapes(base)
    names = [n for n in shapes if any(fnmatch.fnmatchcase(n, p) for p in targets)]
    if not names:
        raise ValueError(f"no tensor of {base.name} matches {list(targets)}")
    rng = np.random.default_rng(seed)
    w = gguf.GGUFWriter(str(path), arch or base_arch)
    if general_type is not None:
        w.add_type(general_type)
    if adapter_type is not None:
        w.add_string(gguf.Keys.Adapter.TYPE, adapter_type)
    if alpha is not None:
        w.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(alpha))
    w.add_name(f"test-lora-{base.stem}")
    pairs = {}
    for name in names:
        dims = shapes[name]
        if len(dims) != 2:
            raise ValueError(f"{name} has {len(dims)} dimensions: only matrices are adapted here")
        n_in, n_out = dims  # GGUF order: ne0 = input width
        a_in = n_in + (1 if break_shape == "in" else 0)
        b_out = n_out + (1 if break_shape == "out" else 0)
        b_rank = rank + (1 if break_shape == "rank" else 0)
        a = (rng.standard_normal((rank, a_in)) * std).astype(np.float32)
        b = (rng.standard_normal((b_out, b_rank)) * std).astype(np.float32)
        if zero_b:
            b[:] = 0.0
        w.add_tensor(f"{name}.lora_a", a.astype(dtype))
        w.add_tensor(f"{name}.lora_b", b.astype(dtype))
        pairs[name] = (a, b)
    for name, data in (extra_tensors or {}).items():
        w.add_tensor(name, data)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return LoraData(Path(path), arch or base_arch, rank, alpha, pairs)
