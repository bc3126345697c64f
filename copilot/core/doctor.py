"""`private-copilot doctor`: what this machine and this llama.cpp build can do."""

from __future__ import annotations

import platform
import sys
from pathlib import Path
from typing import Any

from copilot import __version__
from copilot.core.models.hardware import detect
from copilot.core.paths import AppPaths


def doctor_report(paths: AppPaths, model: Path | None) -> dict[str, Any]:
    import psutil

    hw = detect(paths.models)
    report: dict[str, Any] = {
        "app": {"version": __version__, "python": sys.version.split()[0], "platform": platform.platform()},
        "cpu": {
            "name": hw.cpu_name,
            "physical_cores": hw.physical_cores,
            "logical_cores": psutil.cpu_count(logical=True),
            "features": list(hw.cpu_features),
        },
        "memory": {"total_gb": _gb(hw.ram_total), "available_gb": _gb(hw.ram_available)},
        "gpus": [{"name": g.name, "backend": g.backend,
                  "vram_gb": _gb(g.vram_total) if g.vram_total is not None else None,
                  "vram_free_gb": _gb(g.vram_free) if g.vram_free is not None else None} for g in hw.gpus],
        "unified_memory": hw.unified_memory,
        "paths": {"config": str(paths.config), "data": str(paths.data), "models": str(paths.models),
                  "logs": str(paths.logs)},
    }
    try:
        import llama_cpp

        info = llama_cpp.llama_print_system_info().decode("utf-8", "replace")
        report["llama_cpp"] = {
            "version": llama_cpp.__version__,
            "gpu_offload": bool(llama_cpp.llama_supports_gpu_offload()),
            "mmap": bool(llama_cpp.llama_supports_mmap()),
            "mlock": bool(llama_cpp.llama_supports_mlock()),
            "system_info": info.strip(),
        }
    except Exception as exc:  # the report is most useful exactly when llama.cpp is broken
        report["llama_cpp"] = {"error": f"{type(exc).__name__}: {exc}"}
    report["disk"] = {"models_free_gb": _gb(hw.disk_free) if hw.disk_free is not None else None}
    if model is None:
        report["model"] = {"status": "none chosen", "hint": "pass --model PATH, or download gpt-oss-20b in the app"}
    else:
        from copilot.core.models.gguf_header import ModelFileError, inspect_gguf

        try:
            g = inspect_gguf(model)
            report["model"] = {"status": "ok", "path": str(g.path), "name": g.name, "architecture": g.architecture,
                               "size_gb": round(g.file_size / 2**30, 2), "context_length": g.context_length}
        except ModelFileError as exc:
            report["model"] = {"status": "unusable", "path": str(model), "reason": str(exc)}
    return report


def _gb(n: int) -> float:
    return round(n / 2**30, 1)


def _or_unknown(value: Any) -> str:
    return "unknown" if value is None else str(value)


def format_report(r: dict[str, Any]) -> str:
    ll = r["llama_cpp"]
    lines = [
        f"Private Copilot {r['app']['version']} (Python {r['app']['python']}, {r['app']['platform']})",
        f"CPU      {r['cpu']['name']}: {r['cpu']['physical_cores']} cores, {r['cpu']['logical_cores']} threads",
        f"         features: {', '.join(r['cpu'].get('features', [])) or 'unknown'}",
        f"Memory   {r['memory']['total_gb']} GB total, {r['memory']['available_gb']} GB available",
        f"Disk     {_or_unknown(r['disk']['models_free_gb'])} GB free for models ({r['paths']['models']})",
    ]
    for g in r["gpus"]:
        vram = f"{g['vram_gb']} GB" if g["vram_gb"] is not None else "memory unknown"
        if g["vram_free_gb"] is not None:
            vram += f", {g['vram_free_gb']} GB free"
        if r["unified_memory"] and g["backend"] == "Metal":
            vram += " of the RAM, which it shares with the CPU"
        lines.append(f"GPU      {g['name']} ({g['backend']}): {vram}")
    if not r["gpus"]:
        lines.append("GPU      none found (looked for NVIDIA GPUs through their driver, and Apple silicon)")
    if "error" in ll:
        lines.append(f"llama.cpp  NOT WORKING: {ll['error']}")
    else:
        gpu = "yes" if ll["gpu_offload"] else "no (CPU-only build; see README for CUDA/Metal/Vulkan builds)"
        lines.append(f"llama.cpp  llama-cpp-python {ll['version']}; GPU offload: {gpu}; mmap: "
                     f"{'yes' if ll['mmap'] else 'no'}")
    m = r["model"]
    if m["status"] == "ok":
        lines.append(f"Model    {m['name']} ({m['architecture']}, {m['size_gb']} GB) at {m['path']}")
    elif m["status"] == "unusable":
        lines.append(f"Model    UNUSABLE: {m['reason']}")
    else:
        lines.append(f"Model    none chosen: {m['hint']}")
    return "\n".join(lines)
