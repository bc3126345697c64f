"""Read and check a GGUF file's header before llama.cpp ever sees it.

llama.cpp aborts the whole process (not an exception: abort()) on some malformed files,
for instance a gpt-oss file without ``expert_used_count``. A desktop app must never die
on a bad download, so every file goes through :func:`inspect_gguf` first: it reads the
header with bounded, defensive parsing and raises :class:`ModelFileError` with a message
for the user.
"""

from __future__ import annotations

import math
import os
import struct
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterator

MAGIC = b"GGUF"
SUPPORTED_VERSIONS = (2, 3)
DEFAULT_ALIGNMENT = 32
_MAX_STRING = 64 * 1024 * 1024  # a chat template is kilobytes; 64 MiB means a corrupt length
_MAX_COUNT = 1 << 31
_MAX_DIMS = 4
_SMALL_ARRAY = 64  # arrays longer than this are skipped, only their length kept

# Metadata that llama.cpp needs for these architectures and may abort without.
REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "gpt-oss": (
        "block_count", "context_length", "embedding_length", "attention.head_count",
        "attention.layer_norm_rms_epsilon", "attention.sliding_window", "expert_count",
        "expert_used_count", "expert_feed_forward_length",
    ),
}
GENERIC_REQUIRED = ("block_count", "embedding_length")

_SCALARS = {
    0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d",
}
_STRING, _ARRAY = 8, 9


class ModelFileError(ValueError):
    """A model file that cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class TensorInfo:
    name: str
    shape: tuple[int, ...]
    type: int
    offset: int
    nbytes: int


@dataclass(frozen=True)
class GGUFInfo:
    path: Path
    version: int
    file_size: int
    architecture: str
    metadata: dict[str, Any] = field(repr=False)
    tensors: tuple[TensorInfo, ...] = field(repr=False)
    data_offset: int = 0

    @property
    def name(self) -> str:
        return str(self.metadata.get("general.name") or self.path.stem)

    @property
    def chat_template(self) -> str | None:
        value = self.metadata.get("tokenizer.chat_template")
        return value if isinstance(value, str) else None

    @property
    def context_length(self) -> int | None:
        value = self.metadata.get(f"{self.architecture}.context_length")
        return int(value) if isinstance(value, int) else None

    @property
    def is_harmony(self) -> bool:
        """gpt-oss speaks the harmony format (channels analysis / commentary / final)."""
        return self.architecture == "gpt-oss"

    def get(self, key: str, default: Any = None) -> Any:
        return self.metadata.get(f"{self.architecture}.{key}", default)


class _Reader:
    def __init__(self, f: BinaryIO, size: int) -> None:
        self.f = f
        self.size = size

    def read(self, n: int) -> bytes:
        data = self.f.read(n)
        if len(data) != n:
            raise ModelFileError("the file ends in the middle of its header: it is truncated")
        return data

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.read(struct.calcsize(fmt)))[0]

    def u32(self) -> int:
        return self.unpack("<I")

    def u64(self) -> int:
        return self.unpack("<Q")

    def count(self, what: str) -> int:
        n = self.u64()
        if n > _MAX_COUNT:
            raise ModelFileError(f"the header claims {n} {what}: the file is corrupt")
        return n

    def string(self) -> str:
        n = self.u64()
        if n > _MAX_STRING or self.f.tell() + n > self.size:
            raise ModelFileError("the header holds a string longer than the file: the file is corrupt or truncated")
        return self.read(n).decode("utf-8", errors="replace")

    def skip_strings(self, n: int) -> None:
        for _ in range(n):
            length = self.u64()
            if length > _MAX_STRING:
                raise ModelFileError("the header holds a string longer than the file: the file is corrupt")
            self.f.seek(length, os.SEEK_CUR)
        if self.f.tell() > self.size:
            raise ModelFileError("the file ends in the middle of its header: it is truncated")

    def value(self, vtype: int, depth: int = 0) -> Any:
        if vtype in _SCALARS:
            return self.unpack(_SCALARS[vtype])
        if vtype == _STRING:
            return self.string()
        if vtype == _ARRAY and depth == 0:
            etype = self.u32()
            n = self.count("array items")
            if n <= _SMALL_ARRAY:
                return [self.value(etype, depth + 1) for _ in range(n)]
            if etype in _SCALARS:
                width = struct.calcsize(_SCALARS[etype])
                if self.f.tell() + n * width > self.size:
                    raise ModelFileError("the file ends in the middle of its header: it is truncated")
                self.f.seek(n * width, os.SEEK_CUR)
            elif etype == _STRING:
                self.skip_strings(n)
            else:
                raise ModelFileError(f"the header holds an array of unknown type {etype}: the file is corrupt")
            return _LongArray(n)
        raise ModelFileError(f"the header holds a value of unknown type {vtype}: the file is corrupt")


@dataclass(frozen=True)
class _LongArray:
    """Stands for an array too long to keep (a vocabulary): only its length is known."""

    length: int

    def __len__(self) -> int:
        return self.length


@contextmanager
def header_reader(path: str | os.PathLike[str]) -> Iterator[tuple[_Reader, int, int, int] | None]:
    """(reader, version, tensor count, metadata count) over an opened file, or None if it is
    not a GGUF file this parser reads. For quick looks (discovery, lenient re-reads) with
    their own rules; reading on may raise OSError, ModelFileError or struct.error."""
    size = os.stat(path).st_size
    with open(path, "rb") as f:
        if f.read(4) != MAGIC:
            yield None
            return
        r = _Reader(f, size)
        version = r.u32()
        if version not in SUPPORTED_VERSIONS:
            yield None
            return
        yield r, version, r.count("tensors"), r.count("metadata entries")


def inspect_gguf(path: str | os.PathLike[str]) -> GGUFInfo:
    """Parse and check the header of a GGUF file; raise ModelFileError with a user-facing reason."""
    p = Path(path).expanduser()
    if not p.exists():
        raise ModelFileError(f"No model file at {p}. Check the path, or download the model again.")
    if p.is_dir():
        raise ModelFileError(f"{p} is a folder, not a model file. Choose the .gguf file inside it.")
    try:
        size = p.stat().st_size
        with open(p, "rb") as f:
            return _parse(p, f, size)
    except PermissionError:
        raise ModelFileError(f"Cannot read {p}: permission denied.") from None
    except ModelFileError as exc:
        raise ModelFileError(f"{p.name} cannot be used: {exc}") from None
    except OSError as exc:
        raise ModelFileError(f"Cannot read {p}: {exc.strerror or exc}.") from None


def _parse(path: Path, f: BinaryIO, size: int) -> GGUFInfo:
    if size == 0:
        raise ModelFileError("the file is empty (an interrupted download?). Download it again")
    r = _Reader(f, size)
    magic = f.read(4)
    if magic != MAGIC:
        raise ModelFileError("it is not a GGUF model file. Private Copilot runs GGUF files (.gguf)")
    version = r.u32()
    if version not in SUPPORTED_VERSIONS:
        if struct.unpack(">I", struct.pack("<I", version))[0] in SUPPORTED_VERSIONS:
            raise ModelFileError("it is a big-endian GGUF file; this machine needs a little-endian one")
        raise ModelFileError(f"it uses GGUF version {version}; supported versions are 2 and 3")
    n_tensors = r.count("tensors")
    n_kv = r.count("metadata entries")

    metadata: dict[str, Any] = {}
    for _ in range(n_kv):
        key = r.string()
        metadata[key] = r.value(r.u32())

    arch = metadata.get("general.architecture")
    if not isinstance(arch, str) or not arch:
        raise ModelFileError("its header has no general.architecture: the file is corrupt or not a model")

    alignment = metadata.get("general.alignment", DEFAULT_ALIGNMENT)
    if not isinstance(alignment, int) or alignment <= 0 or alignment & (alignment - 1):
        raise ModelFileError(f"its header gives an invalid alignment {alignment!r}: the file is corrupt")

    tensors = []
    for _ in range(n_tensors):
        name = r.string()
        n_dims = r.u32()
        if n_dims == 0 or n_dims > _MAX_DIMS:
            raise ModelFileError(f"tensor {name!r} has {n_dims} dimensions: the file is corrupt")
        shape = tuple(r.u64() for _ in range(n_dims))
        ttype = r.u32()
        offset = r.u64()
        tensors.append(TensorInfo(name, shape, ttype, offset, _nbytes(name, shape, ttype)))
    if not tensors:
        raise ModelFileError("it holds no tensors: it is not a model (a vocabulary-only file?)")

    data_offset = -(-f.tell() // alignment) * alignment
    _check_metadata(arch, metadata)
    needed = max(data_offset + t.offset + t.nbytes for t in tensors)
    if needed > size:
        raise ModelFileError(
            f"the file is truncated: it has {size:,} bytes but its tensors need {needed:,}. "
            "The download did not finish; download it again"
        )
    return GGUFInfo(path, version, size, arch, metadata, tuple(tensors), data_offset)


def _nbytes(name: str, shape: tuple[int, ...], ttype: int) -> int:
    # imported here: the gguf package pulls in numpy, 0.1 s that the app's start-up need not pay
    from gguf.constants import GGML_QUANT_SIZES, GGMLQuantizationType

    try:
        block, type_size = GGML_QUANT_SIZES[GGMLQuantizationType(ttype)]
    except (ValueError, KeyError):
        raise ModelFileError(
            f"tensor {name!r} uses type {ttype}, unknown to this version of Private Copilot"
        ) from None
    elements = math.prod(shape)
    if shape[0] % block:
        raise ModelFileError(f"tensor {name!r} has a shape that its quantization cannot hold: the file is corrupt")
    return elements // block * type_size


def _check_metadata(arch: str, metadata: dict[str, Any]) -> None:
    for key in ("tokenizer.ggml.model", "tokenizer.ggml.tokens"):
        if key not in metadata:
            raise ModelFileError(f"its header lacks {key}: the file has no tokenizer")
    required = REQUIRED_KEYS.get(arch, GENERIC_REQUIRED)
    missing = [k for k in required if f"{arch}.{k}" not in metadata]
    if missing:
        raise ModelFileError(
            f"its {arch} header lacks {', '.join(missing)}: the file is incomplete or was made by a broken converter"
        )
    if arch == "gpt-oss":
        experts = metadata[f"{arch}.expert_count"]
        used = metadata[f"{arch}.expert_used_count"]
        if isinstance(used, list) and used and all(isinstance(u, int) for u in used):
            used = max(used)  # llama.cpp also accepts one count per layer
        if not (isinstance(experts, int) and isinstance(used, int) and 0 < used <= experts):
            raise ModelFileError(
                f"its header says {used!r} of {experts!r} experts are used per token: the file is corrupt"
            )
