"""Is this model file one that our llama.cpp will load, and is it the file it claims to be?

:func:`~copilot.core.models.gguf_header.inspect_gguf` proves a header is well formed.
That is not enough: a file can parse and still be refused by llama.cpp, and the most
common such file on a user's disk is Ollama's copy of gpt-oss. What we found about it:

* Ollama converts gpt-oss with its own converter (ollama/ollama ``convert/convert_gptoss.go``):
  architecture ``gptoss`` instead of ``gpt-oss``, tensors ``attn_out``, ``ffn_norm``,
  a bare ``attn_sinks`` (no ``.weight``), fused ``ffn_gate_up_exps`` / ``attn_qkv``.
  Ollama's own runner accepts both spellings (``model/models/gptoss/model.go``); llama.cpp
  does not ("unknown model architecture: 'gpt-oss'" the other way round: ollama/ollama#11816).
* Its MXFP4 expert weights were stored with tensor type 4, Ollama's number for MXFP4, which
  llama.cpp calls DEPRECATED (llama.cpp's MXFP4 is 39): llama.cpp refuses the published
  ``gpt-oss:20b``/``120b`` blobs with "tensor 'blk.0.ffn_down_exps.weight' of type 4
  (DEPRECATED) ... not a multiple of block size (0)" (ggml-org/llama.cpp#15597,
  ollama/ollama#11718); the numbering mismatch is ollama/ollama#11796.

So :func:`check_loadable` recognises those signs and says so in plain words, and for
gpt-oss it checks the tensor set that this llama.cpp build's loader asks for
(``src/models/openai-moe.cpp`` of the vendored llama.cpp in llama-cpp-python 0.3.36),
because a missing or extra tensor makes llama.cpp refuse the file.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import re
import struct
from collections.abc import Callable
from pathlib import Path
from time import monotonic as _monotonic

from .gguf_header import _MAX_DIMS, GGUFInfo, ModelFileError, TensorInfo, header_reader, inspect_gguf

__all__ = [
    "ModelFileError", "VerifyCancelled", "architecture_ok", "check_file", "check_loadable",
    "expected_sha256_from_location", "known_tensor_types", "read_header_leniently", "sha256_file",
]

GPT_OSS = "gpt-oss"
MXFP4_OLLAMA = 4  # Ollama's early tensor-type number for MXFP4; llama.cpp's 4 is a removed type
CHUNK = 8 * 1024 * 1024
_PROGRESS_INTERVAL = 0.1  # seconds: at most ~10 progress reports a second

OLLAMA_FORMAT = (
    "This copy of gpt-oss was made for Ollama, in Ollama's own variant of the GGUF format, "
    "and the llama.cpp inside Private Copilot cannot load it. Ollama can keep using it; "
    "for Private Copilot, download the GGUF file instead."
)
_DOWNLOAD_AGAIN = "Download a fresh copy from the list of models."

# Types that ggml dropped: files still using them are refused by every current llama.cpp.
_REMOVED_TYPES = {
    4: "Q4_2", 5: "Q4_3", 31: "Q4_0_4_4", 32: "Q4_0_4_8", 33: "Q4_0_8_8",
    36: "IQ4_NL_4_4", 37: "IQ4_NL_4_8", 38: "IQ4_NL_8_8",
}
# Tensor names that only Ollama's gpt-oss converter writes (llama.cpp names them otherwise).
_OLLAMA_NAMES = re.compile(r"^blk\.\d+\.(attn_out\.|ffn_norm\.|attn_sinks$)")


class VerifyCancelled(Exception):
    """The user stopped a check that was under way."""


# --------------------------------------------------------------------------- tensor types

@functools.cache
def known_tensor_types() -> frozenset[int]:
    """The ggml tensor types that the installed llama.cpp can read from a GGUF file.

    Asked of the bundled libggml itself (a type is readable when it is below
    GGML_TYPE_COUNT and has a block size); if that library cannot be reached, the
    ``gguf`` package's list stands in (it already leaves the removed types out).
    """
    try:
        from llama_cpp import llama_cpp as _llama_cpp
        from llama_cpp._ggml import libggml

        block_size = ctypes.CFUNCTYPE(ctypes.c_int64, ctypes.c_int)(("ggml_blck_size", libggml))
        count = int(_llama_cpp.GGML_TYPE_COUNT)
        return frozenset(t for t in range(count) if block_size(t) > 0)
    except Exception:  # a missing or odd llama_cpp build: fall back rather than fail a check
        from gguf.constants import GGMLQuantizationType

        return frozenset(int(t) for t in GGMLQuantizationType)


def _type_name(ttype: int) -> str:
    if ttype in _REMOVED_TYPES:
        return _REMOVED_TYPES[ttype]
    from gguf.constants import GGMLQuantizationType

    try:
        return GGMLQuantizationType(ttype).name
    except ValueError:
        return f"type {ttype}"


def _check_types(info: GGUFInfo) -> None:
    known = known_tensor_types()
    for t in info.tensors:
        if t.type in known:
            continue
        if t.type in _REMOVED_TYPES:
            raise ModelFileError(
                f"This file stores its weights as {_REMOVED_TYPES[t.type]}, a layout that llama.cpp "
                "no longer reads (it rearranges weights itself now). Download a current version of the model."
            )
        raise ModelFileError(
            f"This file stores weights in a format ({_type_name(t.type)}) that this version of llama.cpp "
            "does not know; it was probably made for a newer program. Update Private Copilot, "
            "or download the model from the list of models."
        )


# --------------------------------------------------------------------------- gpt-oss tensors

def architecture_ok(info: GGUFInfo | str, wanted: str = GPT_OSS) -> bool:
    """Is this a ``wanted`` model, whatever spelling its maker used ("gptoss" is Ollama's)?

    This says what the model *is*, not whether llama.cpp loads it: see :func:`check_loadable`.
    """
    arch = info if isinstance(info, str) else info.architecture
    return _normal(arch) == _normal(wanted)


def _normal(arch: str) -> str:
    return re.sub(r"[-_ ]", "", arch).lower()


def _block_names(i: int, present: set[str]) -> tuple[set[str], set[str]]:
    """(required, allowed) tensor names of block ``i``, as the gpt-oss loader creates them."""
    b = f"blk.{i}."
    required = {
        b + n for n in (
            "attn_norm.weight", "post_attention_norm.weight", "attn_output.weight", "attn_output.bias",
            "attn_sinks.weight", "ffn_gate_inp.weight", "ffn_gate_inp.bias",
            "ffn_gate_exps.weight", "ffn_gate_exps.bias", "ffn_up_exps.weight", "ffn_up_exps.bias",
            "ffn_down_exps.weight", "ffn_down_exps.bias",
        )
    }
    allowed = set(required)
    qkv_biases = {b + "attn_q.bias", b + "attn_k.bias", b + "attn_v.bias"}
    if b + "attn_qkv.weight" in present:  # one fused matrix, with a fused bias or separate ones
        allowed |= {b + "attn_qkv.weight", b + "attn_qkv.bias"}
        if b + "attn_qkv.bias" not in present:
            allowed |= qkv_biases
    else:  # separate Q, K, V; their biases are optional for this loader
        separate = {b + "attn_q.weight", b + "attn_k.weight", b + "attn_v.weight"}
        required |= separate
        allowed |= separate | qkv_biases
    return required, allowed


def _expected_tensors(info: GGUFInfo) -> tuple[set[str], set[str]]:
    present = {t.name for t in info.tensors}
    required = {"token_embd.weight", "output_norm.weight", "output.weight"}
    allowed = set(required)
    blocks = info.get("block_count")
    for i in range(blocks if isinstance(blocks, int) and 0 < blocks < 10_000 else 0):
        r, a = _block_names(i, present)
        required |= r
        allowed |= a
    # llama.cpp also reads optional per-tensor scales (NVFP4 and the like) beside any weight
    allowed |= {
        n[: -len("weight")] + suffix
        for n in present & allowed if n.endswith(".weight")
        for suffix in ("scale", "input_scale")
    }
    return required, allowed


def _expected_shapes(info: GGUFInfo) -> dict[str, tuple[int, ...]]:
    """Shapes (ggml order, as stored) that llama.cpp insists on, where the header settles them."""
    def num(key: str) -> int | None:
        value = info.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None

    tokens = info.metadata.get("tokenizer.ggml.tokens")
    e, h, x, f = num("embedding_length"), num("attention.head_count"), num("expert_count"), num(
        "expert_feed_forward_length")
    v = len(tokens) if tokens is not None else None
    shapes: dict[str, tuple[int | None, ...]] = {
        "token_embd.weight": (e, v), "output.weight": (e, v), "output_norm.weight": (e,),
    }
    blocks = num("block_count") or 0
    for i in range(min(blocks, 10_000)):
        b = f"blk.{i}."
        shapes.update({
            b + "attn_norm.weight": (e,), b + "post_attention_norm.weight": (e,),
            b + "attn_output.bias": (e,), b + "attn_sinks.weight": (h,),
            b + "ffn_gate_inp.weight": (e, x), b + "ffn_gate_inp.bias": (x,),
            b + "ffn_gate_exps.weight": (e, f, x), b + "ffn_up_exps.weight": (e, f, x),
            b + "ffn_down_exps.weight": (f, e, x), b + "ffn_gate_exps.bias": (f, x),
            b + "ffn_up_exps.bias": (f, x), b + "ffn_down_exps.bias": (e, x),
        })
    return {name: shape for name, shape in shapes.items() if None not in shape}  # type: ignore[misc]


def _padded(shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(shape) + (1,) * (_MAX_DIMS - len(shape))


def _looks_like_ollama(info: GGUFInfo) -> bool:
    if _normal(info.architecture) == _normal(GPT_OSS) and info.architecture != GPT_OSS:
        return True  # "gptoss"
    return any(t.type == MXFP4_OLLAMA or _OLLAMA_NAMES.match(t.name) for t in info.tensors)


def _listing(names: set[str]) -> str:
    first = sorted(names, key=_natural)[:3]
    more = len(names) - len(first)
    return ", ".join(first) + (f" and {more} more" if more else "")


def _natural(name: str) -> list[object]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _check_gpt_oss(info: GGUFInfo) -> None:
    required, allowed = _expected_tensors(info)
    present = {t.name for t in info.tensors}
    split = info.metadata.get("split.count")
    missing = set() if isinstance(split, int) and split > 1 else required - present  # other parts hold the rest
    if missing:
        raise ModelFileError(
            f"This gpt-oss file lacks parts that llama.cpp needs ({_listing(missing)}): it is incomplete, "
            f"or was made by a converter that this version of llama.cpp does not understand. {_DOWNLOAD_AGAIN}"
        )
    extra = present - allowed
    if extra:
        raise ModelFileError(
            f"This gpt-oss file holds parts that llama.cpp does not expect ({_listing(extra)}), so it "
            f"refuses the file: it was made by a different converter or for another program. {_DOWNLOAD_AGAIN}"
        )
    shapes = _expected_shapes(info)
    for t in info.tensors:
        want = shapes.get(t.name)
        if want is not None and _padded(t.shape) != _padded(want):
            raise ModelFileError(
                f"Part {t.name} of this gpt-oss file has the wrong size for the model its header describes "
                f"({list(t.shape)} instead of {list(want)}): the file is damaged or was made by a broken "
                f"converter. {_DOWNLOAD_AGAIN}"
            )


def check_loadable(info: GGUFInfo) -> None:
    """Raise ModelFileError when this llama.cpp build would refuse a file whose header parses.

    Every file: each tensor type must be one this llama.cpp reads. gpt-oss files (any
    spelling): Ollama-made copies are named as such; otherwise the tensor set must be
    exactly what the gpt-oss loader creates, with the shapes the header implies.
    """
    is_gpt_oss = architecture_ok(info, GPT_OSS)
    if is_gpt_oss and _looks_like_ollama(info):
        raise ModelFileError(OLLAMA_FORMAT)
    _check_types(info)
    if is_gpt_oss:
        _check_gpt_oss(info)


# --------------------------------------------------------------------------- whole files

def read_header_leniently(path: str | os.PathLike[str]) -> GGUFInfo | None:
    """The header's metadata and tensor list, without the checks that would refuse it.

    For explaining a file that :func:`inspect_gguf` refused (Ollama's tensor type 4 is
    one): ``nbytes`` is 0 and ``data_offset`` unknown (0). None if not even this works.
    """
    p = Path(path)
    try:
        with header_reader(p) as preamble:
            if preamble is None:
                return None
            r, version, n_tensors, n_kv = preamble
            size = p.stat().st_size
            metadata = {}
            for _ in range(n_kv):
                key = r.string()
                metadata[key] = r.value(r.u32())
            arch = metadata.get("general.architecture")
            if not isinstance(arch, str) or not arch:
                return None
            tensors = []
            for _ in range(n_tensors):
                name = r.string()
                n_dims = r.u32()
                if not 0 < n_dims <= _MAX_DIMS:
                    return None
                shape = tuple(r.u64() for _ in range(n_dims))
                ttype, offset = r.u32(), r.u64()
                tensors.append(TensorInfo(name, shape, ttype, offset, 0))
    except (OSError, ModelFileError, struct.error):
        return None
    return GGUFInfo(p, version, size, arch, metadata, tuple(tensors), 0)


def check_file(path: str | os.PathLike[str]) -> GGUFInfo:
    """inspect_gguf, then check_loadable; the ModelFileError says why in the plainest words we have.

    When the header checks refuse a file, a lenient read looks for a better explanation
    (an Ollama-made file fails on its tensor types before anything says "Ollama").
    """
    try:
        info = inspect_gguf(path)
    except ModelFileError as exc:
        lenient = read_header_leniently(path)
        if lenient is not None:
            try:
                check_loadable(lenient)
            except ModelFileError as better:
                raise better from exc
        raise
    check_loadable(info)
    return info


# --------------------------------------------------------------------------- hashes

def sha256_file(
    path: str | os.PathLike[str],
    *,
    on_progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    chunk: int = CHUNK,
) -> str:
    """The file's SHA-256 (hex), read in ``chunk``-sized pieces.

    ``on_progress(done_bytes, total_bytes)`` is called at most ~10 times a second, and
    once at the end; ``should_stop()`` is asked before each piece and True raises
    :class:`VerifyCancelled`.
    """
    digest = hashlib.sha256()
    buffer = bytearray(max(1, chunk))
    view = memoryview(buffer)
    with open(path, "rb") as f:
        total = os.fstat(f.fileno()).st_size
        done = 0
        last_report = _monotonic()
        while True:
            if should_stop is not None and should_stop():
                raise VerifyCancelled("Checking the model file was cancelled.")
            n = f.readinto(buffer)
            if not n:
                break
            digest.update(view[:n])
            done += n
            if on_progress is not None:
                now = _monotonic()
                if now - last_report >= _PROGRESS_INTERVAL:
                    last_report = now
                    on_progress(done, total)
    if on_progress is not None:
        on_progress(done, total)
    return digest.hexdigest()


_HEX64 = re.compile(r"[0-9a-fA-F]{64}")
_OLLAMA_BLOB = re.compile(r"sha256[-:]([0-9a-fA-F]{64})")


def expected_sha256_from_location(path: str | os.PathLike[str]) -> str | None:
    """The SHA-256 a file must have when its storage name is its hash, else None.

    A Hugging Face cache blob (``models--org--name/blobs/<64 hex>``, usually reached
    through a ``snapshots/<rev>/<file>`` symlink, which is resolved) and an Ollama blob
    (``blobs/sha256-<64 hex>``; very old Ollama used ``sha256:``).
    """
    try:
        real = Path(path).resolve()
    except (OSError, RuntimeError):
        return None
    if real.parent.name != "blobs":
        return None
    if _HEX64.fullmatch(real.name) and real.parent.parent.name.startswith("models--"):
        return real.name.lower()
    match = _OLLAMA_BLOB.fullmatch(real.name)
    return match.group(1).lower() if match else None


def verify_checksum(path: Path, manifest: Path, *, on_progress: Callable[[int, int], None] | None = None,
                    should_stop: Callable[[], bool] | None = None) -> str:
    """Check ``path`` against the checksum known for it; say how: "recorded" (verified before,
    unchanged since), "hashed" (hashed now, matches, recorded in ``manifest``'s folder) or
    "unknown" (no reference: only the structure could be checked). A mismatch raises
    ModelFileError; VerifyCancelled when ``should_stop`` says so."""
    from .download import record_verified, verified_sha256

    if verified_sha256(manifest, path):
        return "recorded"
    expected = expected_sha256_from_location(path)
    if expected is None:
        return "unknown"
    digest = sha256_file(path, on_progress=on_progress, should_stop=should_stop)
    if digest != expected:
        raise ModelFileError(f"{path} is damaged: its sha256 {digest[:12]}… does not match {expected[:12]}…, the "
                             "checksum its location records. Download the model again.")
    record_verified(manifest, path, digest)
    return "hashed"
