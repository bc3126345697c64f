"""`private-copilot doctor`: what this machine and this llama.cpp build can do."""

from __future__ import annotations

import platform
import re
import sys
from pathlib import Path
from typing import Any

from copilot import __version__
from copilot.core.paths import AppPaths

CPU_FEATURES = ("SSE3", "SSSE3", "AVX", "AVX2", "F16C", "FMA", "AVX512", "AVX512_VNNI", "AVX512_BF16",
                "AMX_INT8", "NEON", "ARM_FMA", "SVE", "DOTPROD", "MATMUL_INT8")


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def doctor_report(paths: AppPaths, model: Path | None) -> dict[str, Any]:
    import psutil

    mem = psutil.virtual_memory()
    report: dict[str, Any] = {
        "app": {"version": __version__, "python": sys.version.split()[0], "platform": platform.platform()},
        "cpu": {
            "name": _cpu_name(),
            "physical_cores": psutil.cpu_count(logical=False),
            "logical_cores": psutil.cpu_count(logical=True),
        },
        "memory": {"total_gb": round(mem.total / 2**30, 1), "available_gb": round(mem.available / 2**30, 1)},
        "paths": {"config": str(paths.config), "data": str(paths.data), "models": str(paths.models),
                  "logs": str(paths.logs)},
    }
    try:
        import llama_cpp

        info = llama_cpp.llama_print_system_info().decode("utf-8", "replace")
        flags = dict(re.findall(r"(\w+) = (\d)", info))
        report["llama_cpp"] = {
            "version": llama_cpp.__version__,
            "gpu_offload": bool(llama_cpp.llama_supports_gpu_offload()),
            "mmap": bool(llama_cpp.llama_supports_mmap()),
            "mlock": bool(llama_cpp.llama_supports_mlock()),
            "system_info": info.strip(),
        }
        report["cpu"]["features"] = [f for f in CPU_FEATURES if flags.get(f) == "1"]
    except Exception as exc:  # the report is most useful exactly when llama.cpp is broken
        report["llama_cpp"] = {"error": f"{type(exc).__name__}: {exc}"}
    disk = psutil.disk_usage(str(_existing_parent(paths.models)))
    report["disk"] = {"models_free_gb": round(disk.free / 2**30, 1)}
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


def _existing_parent(p: Path) -> Path:
    while not p.exists() and p.parent != p:
        p = p.parent
    return p


def format_report(r: dict[str, Any]) -> str:
    ll = r["llama_cpp"]
    lines = [
        f"Private Copilot {r['app']['version']} (Python {r['app']['python']}, {r['app']['platform']})",
        f"CPU      {r['cpu']['name']}: {r['cpu']['physical_cores']} cores, {r['cpu']['logical_cores']} threads",
        f"         features: {', '.join(r['cpu'].get('features', [])) or 'unknown'}",
        f"Memory   {r['memory']['total_gb']} GB total, {r['memory']['available_gb']} GB available",
        f"Disk     {r['disk']['models_free_gb']} GB free for models ({r['paths']['models']})",
    ]
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
