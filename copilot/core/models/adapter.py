"""Check a LoRA adapter GGUF against its base model before llama.cpp sees the pair.

An adapter (llama.cpp's ``convert_lora_to_gguf.py`` writes them from a PEFT fine-tune) is a
GGUF with ``general.type = "adapter"``, ``adapter.type = "lora"``, an optional float32
``adapter.lora.alpha``, the base model's ``general.architecture``, and for every adapted
weight ``W`` of the model (GGUF dimensions ``[in, out]``) two tensors ``<W's name>.lora_a``
of dimensions ``[in, rank]`` and ``<W's name>.lora_b`` of ``[rank, out]``: llama.cpp then
computes ``W x + scale * alpha / rank * B (A x)`` (src/llama-adapter.cpp, llama-graph.cpp).

llama.cpp itself refuses most mismatches with nothing but a log line and a NULL, and a few
with ``abort()``: an adapter on the shared embedding of a model that has no separate output
head (SmolLM2, Llama 3.2 1B) fails a ggml assertion at the first evaluation, and a metadata
value of an unexpected type fails an assertion while loading. Everything is checked here
first, from the headers alone (no weights read), with a message that says what to do.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from copilot.core.models.gguf_header import MAGIC, GGUFInfo, ModelFileError, inspect_gguf

LORA_A, LORA_B = ".lora_a", ".lora_b"
TOKEN_EMBD = "token_embd.weight"
_MAX_LISTED = 3  # problems named in one message; the rest are counted


@dataclass(frozen=True)
class AdapterInfo:
    path: Path
    name: str
    architecture: str
    rank: int  # the largest rank: adapters may give each weight its own (PEFT's rank_pattern)
    ranks: tuple[int, ...]  # every rank used, ascending
    alpha: float | None  # None: not in the file; llama.cpp then applies B A unscaled (times the scale)
    targets: tuple[str, ...]  # the model weights it adapts
    tensor_count: int  # lora_a + lora_b tensors (norm tensors that llama.cpp ignores not counted)
    ignored: tuple[str, ...]  # tensors llama.cpp skips (*_norm.weight)
    nbytes: int  # adapter weights: what the load adds to memory
    file_size: int

    def factor(self, scale: float, rank: int | None = None) -> float:
        """What llama.cpp multiplies ``B (A x)`` by for a weight of this ``rank`` at ``scale``."""
        r = rank or self.rank
        return scale * self.alpha / r if self.alpha else scale


class AdapterError(ModelFileError):
    """An adapter file that cannot be used with the chosen model; the message says why and what to do."""


def check_adapter(adapter_path: str | os.PathLike[str], model_path: str | os.PathLike[str] | GGUFInfo) -> AdapterInfo:
    """Check that ``adapter_path`` is a LoRA adapter that llama.cpp can apply to the model.

    ``model_path`` may be an already inspected :class:`GGUFInfo` (the engine has one). Raises
    :class:`AdapterError` (a ModelFileError) for a bad adapter, ModelFileError for a bad model.
    """
    model = model_path if isinstance(model_path, GGUFInfo) else inspect_gguf(model_path)
    p = Path(adapter_path).expanduser()
    _check_file(p)
    where = f"{p.name} cannot be used as an adapter"
    metadata = _peek(p, where)  # bounded: a model's 200,000-token vocabulary is skipped, not parsed

    general_type = metadata.get("general.type")
    if general_type != "adapter":
        if general_type in (None, "model") and "tokenizer.ggml.tokens" in metadata:
            raise AdapterError(f"{where}: it is a model, not an adapter. Choose it as the model, or choose "
                               "the adapter's own .gguf file (megabytes, made by convert_lora_to_gguf.py).")
        what = f"general.type is {general_type!r}" if general_type else "it has no general.type"
        raise AdapterError(f"{where}: {what}, not 'adapter'. Convert the fine-tune with llama.cpp's "
                           "convert_lora_to_gguf.py.")
    adapter_type = metadata.get("adapter.type")
    if adapter_type != "lora":
        what = f"a {adapter_type!r} adapter" if adapter_type else "an adapter of no stated type"
        raise AdapterError(f"{where}: it is {what}, not a LoRA adapter. Only LoRA adapters can be applied.")
    arch = metadata.get("general.architecture")
    if not isinstance(arch, str) or not arch:
        raise AdapterError(f"{where}: its header has no general.architecture: the file is corrupt.")
    if arch != model.architecture:
        raise AdapterError(
            f"{where}: it is an adapter for {arch}, but the model is {model.architecture} ({model.path.name}). "
            f"Choose an adapter fine-tuned from this model, or the {arch} model it was made for.")
    reader = _read(p)
    fields = reader.fields
    for key in ("general.type", "adapter.type", "general.architecture"):
        _string(fields, key, where)
    alpha = _alpha(fields, where)

    tensors = {t.name: t for t in reader.tensors}
    size = p.stat().st_size
    for t in reader.tensors:
        if t.data_offset + t.n_bytes > size:
            raise AdapterError(f"{where}: the file is truncated: it has {size:,} bytes but its tensors need "
                               f"{t.data_offset + t.n_bytes:,}. Copy or convert it again.")
    pairs: dict[str, dict[str, object]] = {}
    ignored, problems = [], []
    for name, t in tensors.items():
        if name.endswith(LORA_A) or name.endswith(LORA_B):
            pairs.setdefault(name[:-len(LORA_A)], {})[name[-len(LORA_A):]] = t
        elif name.endswith("_norm.weight"):
            ignored.append(name)  # llama.cpp skips these (fine-tuned norms): the adapter still works
        else:
            problems.append(f"tensor {name!r} is neither a lora_a nor a lora_b")
    if not pairs and not problems:
        raise AdapterError(f"{where}: it holds no LoRA weights (no .lora_a/.lora_b tensors).")

    model_tensors = {t.name: t.shape for t in model.tensors}
    tied = "output.weight" not in model_tensors
    ranks = set()
    nbytes = 0
    for base, ab in sorted(pairs.items()):
        a, b = ab.get(LORA_A), ab.get(LORA_B)
        if a is None or b is None:
            problems.append(f"{base} has a {'lora_b' if a is None else 'lora_a'} but no "
                            f"{'lora_a' if a is None else 'lora_b'}")
            continue
        if base not in model_tensors:
            problems.append(f"the model has no tensor {base}")
            continue
        if base == TOKEN_EMBD and tied:
            # llama.cpp would apply the pair both to the embedding lookup and, with the other
            # orientation, to the output head that shares the tensor: ggml asserts and the app dies
            raise AdapterError(
                f"{where} with {model.path.name}: it adapts {TOKEN_EMBD}, which this model also uses as its "
                "output head, and llama.cpp cannot apply an adapter to a shared tensor. Fine-tune without the "
                "embeddings (leave embed_tokens and lm_head out of PEFT's target_modules) and convert again.")
        problem, rank = _shape_problem(base, model_tensors[base], _dims(a), _dims(b))
        if problem:
            problems.append(problem)
            continue
        ranks.add(rank)
        nbytes += int(a.n_bytes) + int(b.n_bytes)
    if problems:
        more = f" (and {len(problems) - _MAX_LISTED} more)" if len(problems) > _MAX_LISTED else ""
        raise AdapterError(
            f"{where} with {model.path.name}: {'; '.join(problems[:_MAX_LISTED])}{more}. The adapter was made "
            f"for another {arch} model (another size or version): choose the adapter fine-tuned from this model.")
    return AdapterInfo(
        path=p, name=_string(fields, "general.name", where) or p.stem,
        architecture=arch, rank=max(ranks), ranks=tuple(sorted(ranks)), alpha=alpha,
        targets=tuple(sorted(pairs)), tensor_count=2 * len(pairs), ignored=tuple(sorted(ignored)),
        nbytes=nbytes, file_size=size,
    )


def _check_file(p: Path) -> None:
    if not p.exists():
        raise AdapterError(f"No adapter file at {p}. Check the path, or choose no adapter.")
    if p.is_dir():
        raise AdapterError(f"{p} is a folder, not an adapter file. Choose the .gguf file inside it.")
    try:
        with open(p, "rb") as f:
            head = f.read(4)
    except PermissionError:
        raise AdapterError(f"Cannot read {p}: permission denied.") from None
    except OSError as exc:
        raise AdapterError(f"Cannot read {p}: {exc.strerror or exc}.") from None
    if not head:
        raise AdapterError(f"{p.name} cannot be used as an adapter: the file is empty. Copy or convert it again.")
    if head != MAGIC:
        raise AdapterError(
            f"{p.name} cannot be used as an adapter: it is not a GGUF file. Convert the fine-tune (a PEFT folder "
            "with adapter_model.safetensors) with llama.cpp's convert_lora_to_gguf.py and choose the .gguf it writes.")


def _peek(p: Path, where: str) -> dict:
    """The header's metadata, read with the model checker's bounded parser."""
    import struct

    from copilot.core.models.gguf_header import header_reader

    try:
        with header_reader(p) as head:
            if head is None:
                raise AdapterError(f"{where}: it uses a GGUF version this app does not read. Convert it again "
                                   "with a current llama.cpp.")
            r, _version, _n_tensors, n_kv = head
            metadata = {}
            for _ in range(n_kv):
                key = r.string()
                metadata[key] = r.value(r.u32())
            return metadata
    except AdapterError:
        raise
    except ModelFileError as exc:
        raise AdapterError(f"{where}: {exc}. Copy or convert it again.") from None
    except (OSError, struct.error, UnicodeDecodeError) as exc:
        raise AdapterError(f"{where}: its header cannot be read ({exc}): the file is corrupt.") from None


def _read(p: Path):
    # imported here: the gguf package pulls in numpy, which the app's start-up need not pay for
    from gguf import GGUFReader

    try:
        # memory-mapped: only the header is read; tensor data stays on disk
        return GGUFReader(str(p), "r")
    except Exception as exc:  # the reader raises ValueError, IndexError, struct errors... on a bad file
        raise AdapterError(f"{p.name} cannot be used as an adapter: its GGUF header cannot be read ({exc}); "
                           "the file is truncated or corrupt. Copy or convert it again.") from None


def _string(fields, key: str, where: str) -> str | None:
    from gguf import GGUFValueType

    field = fields.get(key)
    if field is None:
        return None
    if field.types != [GGUFValueType.STRING]:  # llama.cpp asserts on the type: the process would die
        raise AdapterError(f"{where}: its {key} is not a string: the file is corrupt.")
    return str(field.contents())


def _alpha(fields, where: str) -> float | None:
    from gguf import GGUFValueType

    field = fields.get("adapter.lora.alpha")
    if field is None:
        return None
    if field.types != [GGUFValueType.FLOAT32]:  # llama.cpp reads it with an assertion on float32
        raise AdapterError(f"{where}: its adapter.lora.alpha is stored as {field.types[0].name.lower()}, "
                           "not float32 as llama.cpp requires. Convert the fine-tune again.")
    alpha = float(field.contents())
    if not math.isfinite(alpha):
        raise AdapterError(f"{where}: its adapter.lora.alpha is {alpha}: the file is corrupt.")
    return alpha or None  # llama.cpp treats 0 as absent


def _dims(t) -> tuple[int, ...]:
    return tuple(int(d) for d in t.shape)  # GGUF order: ne0 (the contiguous dimension) first


def _shape_problem(base: str, w: tuple[int, ...], a: tuple[int, ...], b: tuple[int, ...]) -> tuple[str | None, int]:
    """llama.cpp's rules (llama_adapter_lora_init_impl, build_lora_mm[_id], build_inp_embd): the
    problem with a pair for weight ``base`` of GGUF dimensions ``w``, or None; and the rank."""
    if len(w) < 2:
        return f"{base} is not a weight matrix", 0
    if len(a) != len(w) or len(b) != len(w) or a[2:] != w[2:] or b[2:] != w[2:]:
        return (f"{base} has dimensions {list(w)} but its lora_a {list(a)} and lora_b {list(b)}"), 0
    if base == TOKEN_EMBD:  # a lookup, not a product: A holds one row per token, B maps rank -> embedding
        n_embd, n_vocab = w[0], w[1]
        if a[1] != n_vocab or b[1] != n_embd:
            return (f"{base} holds {n_vocab} tokens of {n_embd} values, the adapter "
                    f"{a[1]} tokens of {b[1]}"), 0
        if a[0] != b[0] or a[0] == 0:
            return f"{base}'s lora_a has rank {a[0]} and its lora_b {b[0]}", 0
        return None, a[0]
    n_in, n_out = w[0], w[1]
    if a[0] != n_in or b[1] != n_out:
        return (f"{base} takes {n_in} inputs to {n_out} outputs, the adapter's pair "
                f"{a[0]} to {b[1]}"), 0
    if a[1] != b[0] or a[1] == 0:
        return f"{base}'s lora_a has rank {a[1]} and its lora_b {b[0]} (lora_a must be stored transposed)", 0
    return None, a[1]
