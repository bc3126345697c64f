"""What this computer offers a local model: memory, GPUs, CPU features, disk, the llama.cpp build.

``detect()`` is cheap (no model is loaded, no benchmark runs) and never raises because
of the machine: a probe that fails (no NVIDIA driver, no ``sysctl``, a broken llama.cpp)
leaves its fields empty. Every read of the machine goes through :class:`Probes`, so tests
pass literal values (an Apple laptop, a machine without ``pynvml``) instead of patching
modules.
"""

from __future__ import annotations

import ctypes
import platform
import subprocess
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Mapping

GiB = 1 << 30

# Apple silicon: the GPU shares RAM, but Metal lets it use only part of it, reported by
# MTLDevice.recommendedMaxWorkingSetSize (llama.cpp's Metal backend prints it at start-up,
# e.g. "recommendedMaxWorkingSetSize = 11453.25 MB" on a 16 GB Mac: exactly 2/3 of RAM).
# macOS gives about 2/3 of RAM on smaller machines and 3/4 from 36 GB up (the limit that
# `sysctl iogpu.wired_limit_mb` overrides; see llama.cpp discussion #2182). We cannot ask
# Metal from Python without PyObjC, so we apply that rule.
APPLE_BIG_RAM = 36 * GiB
APPLE_GPU_SHARE_SMALL = 2 / 3
APPLE_GPU_SHARE_BIG = 3 / 4

# /proc/cpuinfo flags (x86 "flags", ARM "Features") -> the names llama.cpp's system info uses
_LINUX_FLAGS = {
    "pni": "SSE3", "ssse3": "SSSE3", "avx": "AVX", "avx2": "AVX2", "fma": "FMA", "f16c": "F16C",
    "avx_vnni": "AVX_VNNI", "avx512f": "AVX512", "avx512_vnni": "AVX512_VNNI", "avx512_bf16": "AVX512_BF16",
    "avx512vbmi": "AVX512_VBMI", "amx_int8": "AMX_INT8",
    "asimd": "NEON", "neon": "NEON", "asimddp": "DOTPROD", "i8mm": "MATMUL_INT8", "sve": "SVE", "sme": "SME",
    "fphp": "FP16",
}
# macOS sysctl hw.optional.* (Intel Macs and Apple silicon) -> the same names
_SYSCTL_FLAGS = {
    "hw.optional.sse3": "SSE3", "hw.optional.supplementalsse3": "SSSE3", "hw.optional.avx1_0": "AVX",
    "hw.optional.avx2_0": "AVX2", "hw.optional.fma": "FMA", "hw.optional.f16c": "F16C",
    "hw.optional.avx512f": "AVX512", "hw.optional.avx512vnni": "AVX512_VNNI",
    "hw.optional.neon": "NEON", "hw.optional.AdvSIMD": "NEON", "hw.optional.arm.FEAT_DotProd": "DOTPROD",
    "hw.optional.arm.FEAT_I8MM": "MATMUL_INT8", "hw.optional.arm.FEAT_FP16": "FP16",
    "hw.optional.arm.FEAT_SME": "SME",
}
# Windows IsProcessorFeaturePresent constants (winnt.h)
_WINDOWS_FLAGS = {13: "SSE3", 36: "SSSE3", 39: "AVX", 40: "AVX2", 41: "AVX512", 19: "NEON", 43: "DOTPROD"}
# The order features are listed in (as llama.cpp does: oldest first)
_FEATURE_ORDER = ("SSE3", "SSSE3", "AVX", "AVX_VNNI", "AVX2", "F16C", "FMA", "AVX512", "AVX512_VBMI",
                  "AVX512_VNNI", "AVX512_BF16", "AMX_INT8", "NEON", "FP16", "DOTPROD", "MATMUL_INT8", "SVE", "SME")


@dataclass(frozen=True)
class GPU:
    name: str
    vram_total: int | None  # bytes; None when unknown
    vram_free: int | None
    backend: str  # the llama.cpp backend that drives it: "CUDA", "Metal", ...


@dataclass(frozen=True)
class Hardware:
    ram_total: int
    ram_available: int
    swap_free: int = 0
    unified_memory: bool = False  # Apple silicon: the GPU's memory is the RAM
    gpus: tuple[GPU, ...] = ()
    disk_free: int | None = None  # bytes free where models are kept; None when not asked
    cpu_name: str = ""
    physical_cores: int | None = None
    cpu_features: tuple[str, ...] = ()
    gpu_offload: bool = False  # this llama.cpp build can put layers on a GPU
    build_features: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # llama_print_system_info

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["build_features"] = {k: dict(v) for k, v in self.build_features.items()}
        return d

    @property
    def has_fast_cpu(self) -> bool | None:
        """Whether the CPU has the vector units llama.cpp relies on (AVX2 or NEON); None: unknown."""
        if not self.cpu_features:
            return None
        return bool({"AVX2", "NEON"} & set(self.cpu_features))


# -- probes: every read of the machine, replaceable in tests ------------------------------------
def _read_memory() -> tuple[int, int, int]:
    import psutil

    mem = psutil.virtual_memory()
    try:
        swap_free = psutil.swap_memory().free
    except Exception:  # some containers refuse to tell
        swap_free = 0
    return mem.total, mem.available, swap_free


def _read_cpuinfo() -> str:
    try:
        return Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return ""


def _sysctl(name: str) -> str:
    """``sysctl NAME`` output ("name: value" lines); "" where there is no sysctl."""
    try:
        r = subprocess.run(["sysctl", name], capture_output=True, text=True, timeout=3)
    except (OSError, subprocess.SubprocessError):
        return ""
    return r.stdout if r.returncode == 0 else ""


def _windows_feature(code: int) -> bool:
    try:
        return bool(ctypes.windll.kernel32.IsProcessorFeaturePresent(code))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return False


def _windows_cpu_name() -> str:
    try:
        import winreg

        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, r"HARDWARE\DESCRIPTION\System\CentralProcessor\0") as key:
            return str(winreg.QueryValueEx(key, "ProcessorNameString")[0]).strip()
    except (ImportError, OSError):
        return ""


def _load_nvml():
    import pynvml  # nvidia-ml-py: pure Python, loads the driver's libnvidia-ml at nvmlInit

    return pynvml


def _load_llama():
    import llama_cpp

    return llama_cpp


def _physical_cores() -> int | None:
    try:
        import psutil

        return psutil.cpu_count(logical=False)
    except Exception:
        return None


def _disk_free(path: Path) -> int | None:
    try:
        import psutil

        return psutil.disk_usage(str(existing_parent(path))).free
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Probes:
    """Where detect() reads the machine from. ``Probes()`` reads this one."""

    system: str = field(default_factory=platform.system)  # "Linux", "Darwin", "Windows"
    machine: str = field(default_factory=platform.machine)  # "x86_64", "arm64", "AMD64"
    memory: Callable[[], tuple[int, int, int]] = _read_memory  # total, available, swap free
    cpuinfo: Callable[[], str] = _read_cpuinfo
    sysctl: Callable[[str], str] = _sysctl
    windows_feature: Callable[[int], bool] = _windows_feature
    windows_cpu_name: Callable[[], str] = _windows_cpu_name
    load_nvml: Callable[[], Any] = _load_nvml  # raises ImportError when nvidia-ml-py is absent
    load_llama: Callable[[], Any] = _load_llama
    physical_cores: Callable[[], int | None] = _physical_cores
    disk_free: Callable[[Path], int | None] = _disk_free


def detect(models_dir: Path | None = None, *, quick: bool = False, probes: Probes | None = None) -> Hardware:
    """Describe this computer.

    ``quick`` reads only what deciding whether a model fits needs (memory, GPUs, whether
    the build offloads): what the engine asks before every load. The full form adds the
    CPU, its features, the free disk under ``models_dir`` and the llama.cpp build's features.
    """
    p = probes or Probes()
    ram_total, ram_available, swap_free = p.memory()
    llama = _try(p.load_llama)
    gpu_offload = bool(_try(lambda: llama.llama_supports_gpu_offload())) if llama is not None else False
    apple = is_apple_silicon(p.system, p.machine)
    cpu_name = "" if quick and not apple else _cpu_name(p)
    gpus = nvidia_gpus(p.load_nvml)
    if apple:
        gpus = (apple_gpu(ram_total, cpu_name),) + gpus
    hw = Hardware(ram_total=ram_total, ram_available=min(ram_available, ram_total), swap_free=swap_free,
                  unified_memory=apple, gpus=gpus, gpu_offload=gpu_offload)
    if quick:
        return hw
    build: dict[str, dict[str, str]] = {}
    if llama is not None:
        text = _try(lambda: llama.llama_print_system_info().decode("utf-8", "replace"))
        build = parse_system_info(text or "")
    features = _cpu_features(p)
    if not features:  # the CPU backend's own runtime detection is the next best thing
        features = tuple(f for f in _FEATURE_ORDER if build.get("CPU", {}).get(f) == "1")
    return replace(
        hw,
        cpu_name=cpu_name,
        physical_cores=p.physical_cores(),
        cpu_features=features,
        disk_free=p.disk_free(models_dir) if models_dir is not None else None,
        build_features=build,
    )


def _try(fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except Exception:  # a broken optional component must not break the report
        return None


def is_apple_silicon(system: str, machine: str) -> bool:
    return system == "Darwin" and machine.lower() in ("arm64", "aarch64")


def apple_gpu_budget(ram_total: int) -> int:
    """Bytes of unified memory that Metal lets the GPU use (≈ recommendedMaxWorkingSetSize)."""
    share = APPLE_GPU_SHARE_BIG if ram_total >= APPLE_BIG_RAM else APPLE_GPU_SHARE_SMALL
    return int(ram_total * share)


def apple_gpu(ram_total: int, cpu_name: str = "") -> GPU:
    name = f"{cpu_name} GPU" if cpu_name.startswith("Apple") else "Apple GPU"
    return GPU(name=name, vram_total=apple_gpu_budget(ram_total), vram_free=None, backend="Metal")


def nvidia_gpus(load_nvml: Callable[[], Any]) -> tuple[GPU, ...]:
    """NVIDIA GPUs through NVML; () when nvidia-ml-py or the driver is missing."""
    try:
        nvml = load_nvml()
        nvml.nvmlInit()
    except Exception:  # ImportError, NVMLError (no driver), OSError: no NVIDIA GPU for us
        return ()
    gpus = []
    try:
        for i in range(nvml.nvmlDeviceGetCount()):
            handle = nvml.nvmlDeviceGetHandleByIndex(i)
            name = nvml.nvmlDeviceGetName(handle)
            if isinstance(name, bytes):  # older bindings return bytes
                name = name.decode("utf-8", "replace")
            try:
                mem = nvml.nvmlDeviceGetMemoryInfo(handle)
                total, free = int(mem.total), int(mem.free)
            except Exception:  # some virtual GPUs do not report memory
                total = free = None
            gpus.append(GPU(name=str(name), vram_total=total, vram_free=free, backend="CUDA"))
    except Exception:
        pass
    finally:
        _try(nvml.nvmlShutdown)
    return tuple(gpus)


def _cpu_name(p: Probes) -> str:
    if p.system == "Darwin":
        name = parse_sysctl(p.sysctl("machdep.cpu.brand_string")).get("machdep.cpu.brand_string", "")
    elif p.system == "Windows":
        name = p.windows_cpu_name()
    else:
        name = parse_cpuinfo_name(p.cpuinfo())
    return name or platform.processor() or p.machine


def _cpu_features(p: Probes) -> tuple[str, ...]:
    if p.system == "Darwin":
        return sysctl_features(parse_sysctl(p.sysctl("hw.optional")))
    if p.system == "Windows":
        return _ordered(name for code, name in _WINDOWS_FLAGS.items() if p.windows_feature(code))
    return parse_cpuinfo_flags(p.cpuinfo())


def _ordered(names) -> tuple[str, ...]:
    found = set(names)
    return tuple(f for f in _FEATURE_ORDER if f in found)


# -- parsers: pure functions over the text the machine gives --------------------------------------
def parse_cpuinfo_flags(text: str) -> tuple[str, ...]:
    """CPU features from /proc/cpuinfo (the first processor's "flags" or "Features" line)."""
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() in ("flags", "features"):
            return _ordered(_LINUX_FLAGS[f] for f in value.split() if f in _LINUX_FLAGS)
    return ()


def parse_cpuinfo_name(text: str) -> str:
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in ("model name", "Model", "Hardware") and value.strip():
            return value.strip()
    return ""


def parse_sysctl(text: str) -> dict[str, str]:
    """``sysctl`` output ("name: value" per line) as a dict."""
    out = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            out[key.strip()] = value.strip()
    return out


def sysctl_features(values: Mapping[str, str]) -> tuple[str, ...]:
    return _ordered(name for key, name in _SYSCTL_FLAGS.items() if values.get(key, "0").strip() not in ("", "0"))


def parse_system_info(text: str) -> dict[str, dict[str, str]]:
    """``llama_print_system_info()``, e.g. "CUDA : ARCHS = 890 | CPU : AVX2 = 1 | ", as
    {"CUDA": {"ARCHS": "890"}, "CPU": {"AVX2": "1"}}. Older builds list no backend names;
    their features go under "CPU"."""
    out: dict[str, dict[str, str]] = {}
    backend = "CPU"
    for part in text.split("|"):
        part = part.strip()
        if not part:
            continue
        head, sep, rest = part.partition(" : ")
        if sep and "=" not in head:
            backend, part = head.strip(), rest.strip()
        key, sep, value = part.partition("=")
        section = out.setdefault(backend, {})
        if sep:
            section[key.strip()] = value.strip()
    return out


def existing_parent(p: Path) -> Path:
    """``p`` or its nearest parent that exists (the models folder may not exist yet)."""
    p = Path(p).expanduser()
    while not p.exists() and p.parent != p:
        p = p.parent
    return p


def cpu_name() -> str:
    return _cpu_name(Probes())


__all__ = [
    "GPU", "Hardware", "Probes", "detect", "apple_gpu", "apple_gpu_budget", "nvidia_gpus", "is_apple_silicon",
    "parse_cpuinfo_flags", "parse_cpuinfo_name", "parse_sysctl", "sysctl_features", "parse_system_info",
    "existing_parent", "cpu_name", "GiB",
]
