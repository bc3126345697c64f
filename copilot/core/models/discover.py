"""Find gpt-oss GGUF files the user already has, to offer them instead of a 12 GB download.

Only the folders where other programs keep models are looked at (never all of home):
the Hugging Face hub cache, LM Studio, Jan, Ollama, and our own models folder. The walk
is cheap: bounded depth, directory symlinks never followed (no loops), unreadable folders
skipped, and each file costs a header read, never a hash (hashing 12 GB is the caller's
decision, see :func:`~copilot.core.models.verify.sha256_file`).
"""

from __future__ import annotations

import json
import os
import re
import struct
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from .gguf_header import ModelFileError, header_reader
from .verify import architecture_ok, check_file, expected_sha256_from_location

SOURCES = ("huggingface", "lmstudio", "jan", "ollama", "models-folder")
_WHERE = {
    "huggingface": "Hugging Face cache", "lmstudio": "LM Studio", "jan": "Jan",
    "models-folder": "Private Copilot models folder",
}
MAX_DEPTH = 4  # LM Studio: publisher/repo/file; Jan: llamacpp/models/<id>/model.gguf under data
MAX_ENTRIES = 20_000  # directory entries looked at per location, whatever is found
_MANIFEST_LIMIT = 1 << 20
_PEEK_KEYS = 64
_GPT_OSS_NAME = re.compile(r"gpt[-_ ]?oss", re.IGNORECASE)
_SPLIT_PART = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$", re.IGNORECASE)
_DIGEST = re.compile(r"sha256:([0-9a-f]{64})")
_OLLAMA_MODEL_LAYER = "application/vnd.ollama.image.model"


@dataclass(frozen=True)
class Found:
    path: Path  # the real file (symlinks resolved)
    source: str  # one of SOURCES
    label: str  # for people: "ggml-org/gpt-oss-20b-GGUF (Hugging Face cache)", "Ollama gpt-oss:20b"
    size: int
    usable: bool
    reason: str  # "" when usable, else why not, in plain words
    expected_sha256: str | None  # when the storage name is the file's hash


@dataclass(frozen=True)
class _Candidate:
    path: Path
    label: str
    expected: bool  # a gpt-oss file was expected here: report it even if it cannot be read


# --------------------------------------------------------------------------- where to look

def default_locations(
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
    *,
    platform: str | None = None,
    models_dir: Path | None = None,
) -> list[tuple[str, Path]]:
    """(source, folder) pairs where models usually live on this kind of machine, existing or not."""
    home = Path(home) if home is not None else Path.home()
    env = os.environ if env is None else env
    platform = platform or sys.platform
    out: list[tuple[str, Path]] = []

    def add(source: str, path: Path | str | None) -> None:
        if path:
            item = (source, _expand(path, home))
            if item not in out:
                out.append(item)

    if models_dir is not None:
        add("models-folder", models_dir)

    # Hugging Face: the same order of precedence as huggingface_hub itself
    if env.get("HF_HUB_CACHE"):
        add("huggingface", env["HF_HUB_CACHE"])
    elif env.get("HUGGINGFACE_HUB_CACHE"):
        add("huggingface", env["HUGGINGFACE_HUB_CACHE"])
    elif env.get("HF_HOME"):
        add("huggingface", Path(env["HF_HOME"]) / "hub")
    elif env.get("XDG_CACHE_HOME"):
        add("huggingface", Path(env["XDG_CACHE_HOME"]) / "huggingface" / "hub")
    else:
        add("huggingface", home / ".cache" / "huggingface" / "hub")

    # LM Studio: its home can be moved (a pointer file says where) and its models folder too
    lms_home = _read_small(home / ".lmstudio-home-pointer")
    if lms_home:
        add("lmstudio", Path(lms_home.strip()) / "models")
    add("lmstudio", home / ".lmstudio" / "models")
    add("lmstudio", home / ".cache" / "lm-studio" / "models")
    settings = _read_json(home / ".lmstudio" / "settings.json")
    if isinstance(settings, dict) and isinstance(settings.get("downloadsFolder"), str):
        add("lmstudio", settings["downloadsFolder"])

    # Jan: before 0.6 ~/jan/models; since then <app data>/Jan/data/llamacpp/models/<id>/model.gguf
    add("jan", home / "jan" / "models")
    if platform == "darwin":
        jan_data = home / "Library" / "Application Support" / "Jan" / "data"
    elif platform.startswith("win"):
        jan_data = Path(env.get("APPDATA") or home / "AppData" / "Roaming") / "Jan" / "data"
    else:
        jan_data = Path(env.get("XDG_DATA_HOME") or home / ".local" / "share") / "Jan" / "data"
    add("jan", jan_data / "llamacpp" / "models")
    add("jan", jan_data / "models")

    # Ollama: OLLAMA_MODELS, the per-user default, and the Linux service's own home
    add("ollama", env.get("OLLAMA_MODELS"))
    add("ollama", home / ".ollama" / "models")
    if platform.startswith("linux"):
        add("ollama", Path("/usr/share/ollama/.ollama/models"))
    return out


def _expand(path: Path | str, home: Path) -> Path:
    text = str(path)
    if text == "~" or text.startswith(("~/", "~\\")):
        return home / text[2:]
    return Path(text)


def _read_small(path: Path, limit: int = 64 * 1024) -> str | None:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read(limit)
    except OSError:
        return None


def _read_json(path: Path) -> object:
    text = _read_small(path, _MANIFEST_LIMIT)
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


# --------------------------------------------------------------------------- walking

def _walk(root: Path, max_depth: int = MAX_DEPTH) -> Iterator[tuple[Path, tuple[str, ...]]]:
    """(path, parts relative to root) of every file down to max_depth, cheaply and safely."""
    stack: list[tuple[Path, tuple[str, ...]]] = [(root, ())]
    seen = 0
    while stack:
        folder, rel = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listing = sorted(entries, key=lambda e: e.name)
        except OSError:
            continue  # unreadable or vanished: not our business
        for entry in listing:
            seen += 1
            if seen > MAX_ENTRIES:
                return
            parts = (*rel, entry.name)
            try:
                if entry.is_dir(follow_symlinks=False):
                    if len(parts) < max_depth and not entry.name.startswith("."):
                        stack.append((Path(entry.path), parts))
                elif entry.is_file():  # follows file symlinks (HF snapshots, Jan imports)
                    yield Path(entry.path), parts
            except OSError:
                continue


def _is_gguf(name: str) -> bool:
    if not name.lower().endswith(".gguf"):
        return False
    split = _SPLIT_PART.search(name)
    return split is None or int(split.group(1)) == 1  # llama.cpp opens a split model by its first part


def _scan_tree(root: Path, source: str) -> Iterator[_Candidate]:
    """LM Studio (publisher/repo/file), Jan (<id>/model.gguf, or model.yml naming a file), our folder."""
    where = _WHERE.get(source, source)
    for path, parts in _walk(root):
        if path.name == "model.yml" and source == "jan":
            target = _jan_model_path(path)
            if target is not None:
                yield _Candidate(target, f"{parts[-2] if len(parts) > 1 else target.name} ({where})",
                                 bool(_GPT_OSS_NAME.search(str(target))))
            continue
        if not _is_gguf(path.name):
            continue
        if source == "lmstudio" and len(parts) >= 3:
            name = f"{parts[-3]}/{parts[-2]}"
        elif source == "jan" and len(parts) >= 2:
            name = parts[-2]
        else:
            name = path.name
        yield _Candidate(path, f"{name} ({where})", bool(_GPT_OSS_NAME.search("/".join(parts))))


def _jan_model_path(yml: Path) -> Path | None:
    """An imported model that Jan left in place: model.yml's model_path, when absolute."""
    text = _read_small(yml) or ""
    match = re.search(r"^model_path:\s*['\"]?(.+?)['\"]?\s*$", text, re.MULTILINE)
    if not match:
        return None
    target = Path(match.group(1))
    return target if target.is_absolute() and _is_gguf(target.name) else None


def _scan_huggingface(root: Path, source: str) -> Iterator[_Candidate]:
    """models--<org>--<name>/snapshots/<rev>/<file>.gguf, usually symlinks into ../blobs."""
    try:
        repos = sorted(p for p in root.iterdir() if p.name.startswith("models--"))
    except OSError:
        return
    for repo in repos:
        org_name = repo.name[len("models--"):].replace("--", "/", 1)
        snapshots = repo / "snapshots"
        try:
            revisions = sorted(snapshots.iterdir())
        except OSError:
            continue
        for revision in revisions:
            for path, parts in _walk(revision, max_depth=3):
                if _is_gguf(path.name):
                    yield _Candidate(path, f"{org_name} ({_WHERE['huggingface']})",
                                     bool(_GPT_OSS_NAME.search(f"{org_name}/{'/'.join(parts)}")))


def _scan_ollama(root: Path, source: str) -> Iterator[_Candidate]:
    """manifests/<host>/<namespace>/<model>/<tag> (JSON) name the model blob: blobs/sha256-<hex>."""
    for manifest, parts in _walk(root / "manifests", max_depth=4):
        if len(parts) != 4:
            continue
        host, namespace, model, tag = parts
        data = _read_json(manifest)
        layers = data.get("layers") if isinstance(data, dict) else None
        for layer in layers if isinstance(layers, list) else ():
            if not isinstance(layer, dict) or layer.get("mediaType") != _OLLAMA_MODEL_LAYER:
                continue
            digest = _DIGEST.fullmatch(str(layer.get("digest", "")).lower())
            if digest is None:  # never build a path from anything but 64 hex digits
                continue
            blob = next((b for b in (root / "blobs" / f"sha256-{digest.group(1)}",
                                     root / "blobs" / f"sha256:{digest.group(1)}") if b.is_file()), None)
            if blob is None:
                continue  # listed but not (or no longer) downloaded
            official = host == "registry.ollama.ai" and namespace == "library"
            name = f"{model}:{tag}" if official else f"{host}/{namespace}/{model}:{tag}"
            yield _Candidate(blob, f"Ollama {name}", bool(_GPT_OSS_NAME.search(model)))


_SCANNERS = {"huggingface": _scan_huggingface, "ollama": _scan_ollama}


# --------------------------------------------------------------------------- judging a file

def _peek_architecture(path: Path) -> str | None:
    """general.architecture from the first metadata entries, without reading the whole header."""
    try:
        with header_reader(path) as preamble:
            for _ in range(min(preamble[3], _PEEK_KEYS) if preamble else 0):
                key = preamble[0].string()
                value = preamble[0].value(preamble[0].u32())
                if key == "general.architecture":
                    return value if isinstance(value, str) else None
    except (OSError, ModelFileError, struct.error):
        return None
    return None


def _judge(candidate: _Candidate) -> tuple[bool, str] | None:
    """(usable, reason) for a gpt-oss file; None for a file that is not one (or not readable
    where no gpt-oss file was expected)."""
    arch = _peek_architecture(candidate.path)
    if arch is not None and not architecture_ok(arch):
        return None  # another model: not ours to offer
    if arch is None and not candidate.expected:
        return None
    try:
        check_file(candidate.path)
    except ModelFileError as exc:
        return False, str(exc)
    return True, ""


def discover(
    locations: Iterable[tuple[str, Path]] | None = None,
    *,
    models_dir: Path | None = None,
    max_files: int = 200,
) -> list[Found]:
    """gpt-oss files found in ``locations`` (default: :func:`default_locations`), usable first, then largest.

    A file reached twice (HF snapshot symlinks, hard links between apps) is reported once,
    under the first location that reached it. At most ``max_files`` files are examined.
    """
    places = list(default_locations() if locations is None else locations)
    if models_dir is not None and ("models-folder", Path(models_dir)) not in places:
        places.insert(0, ("models-folder", Path(models_dir)))

    found: dict[tuple[int, int], Found] = {}
    shown_names: dict[tuple[int, int], str] = {}  # the name people see (an HF blob's is a hash)
    examined = 0
    for source, root in places:
        scan = _SCANNERS.get(source, _scan_tree)
        for candidate in scan(Path(root), source):
            try:
                real = candidate.path.resolve()
                st = real.stat()
            except (OSError, RuntimeError):
                continue
            key = (st.st_dev, st.st_ino)
            expected_sha = expected_sha256_from_location(candidate.path)
            if key in found:
                if found[key].expected_sha256 is None and expected_sha:
                    found[key] = replace(found[key], expected_sha256=expected_sha)
                continue
            if examined >= max_files:
                break
            examined += 1
            verdict = _judge(candidate)
            if verdict is None:
                continue
            usable, reason = verdict
            found[key] = Found(real, source, candidate.label, st.st_size, usable, reason, expected_sha)
            shown_names[key] = candidate.path.name
        if examined >= max_files:
            break
    ordered = sorted(found.items(), key=lambda kv: (not kv[1].usable, -kv[1].size, kv[1].label))
    return _with_distinct_labels(ordered, shown_names)


def _with_distinct_labels(
    items: list[tuple[tuple[int, int], Found]], names: dict[tuple[int, int], str]
) -> list[Found]:
    """Two quantizations from one repository would share a label: add the file name to each."""
    counts: dict[str, int] = {}
    for _, item in items:
        counts[item.label] = counts.get(item.label, 0) + 1
    return [
        replace(item, label=f"{item.label} · {names[key]}") if counts[item.label] > 1 else item
        for key, item in items
    ]
