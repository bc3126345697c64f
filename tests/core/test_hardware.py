"""Hardware detection: this machine, and literal samples of what other machines report."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from copilot.core.models.hardware import (
    GPU, GiB, Hardware, Probes, apple_gpu_budget, detect, existing_parent, nvidia_gpus, parse_cpuinfo_flags,
    parse_cpuinfo_name, parse_sysctl, parse_system_info, sysctl_features,
)

X86_CPUINFO = """\
processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Core(TM) i7-1165G7 @ 2.80GHz
flags\t\t: fpu vme de pse tsc msr pae mce cx8 sse sse2 ss ht pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 \
avx f16c rdrand avx2 bmi2 avx512f avx512dq avx512_vnni
processor\t: 1
flags\t\t: fpu sse2
"""
OLD_X86_CPUINFO = "model name\t: Intel(R) Core(TM)2 Duo CPU\nflags\t\t: fpu sse sse2 pni ssse3\n"
ARM_CPUINFO = """\
processor\t: 0
BogoMIPS\t: 48.00
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp i8mm
CPU implementer\t: 0x41
"""
CPU_ONLY_INFO = ("CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX_VNNI = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | "
                 "AVX512 = 1 | LLAMAFILE = 1 | OPENMP = 1 | REPACK = 1 | ")
CUDA_INFO = ("CUDA : ARCHS = 500,610,700,750,800,860,890 | USE_GRAPHS = 1 | PEER_MAX_BATCH_SIZE = 128 | "
             "CPU : SSE3 = 1 | AVX2 = 1 | FMA = 1 | LLAMAFILE = 1 | OPENMP = 1 | REPACK = 1 | ")
METAL_INFO = ("Metal : EMBED_LIBRARY = 1 | CPU : NEON = 1 | ARM_FMA = 1 | FP16_VA = 1 | DOTPROD = 1 | "
              "MATMUL_INT8 = 1 | ACCELERATE = 1 | REPACK = 1 | ")
OLD_INFO = "AVX = 1 | AVX2 = 1 | AVX512 = 0 | FMA = 1 | NEON = 0 | "
APPLE_SYSCTL = """\
hw.optional.arm.FEAT_FP16: 1
hw.optional.arm.FEAT_DotProd: 1
hw.optional.arm.FEAT_I8MM: 0
hw.optional.arm.FEAT_SME: 0
hw.optional.floatingpoint: 1
hw.optional.AdvSIMD: 1
hw.optional.neon: 1
hw.optional.armv8_crc32: 1
"""


def _no_nvml():
    raise ImportError("No module named 'pynvml'")


def _llama(offload: bool, info: str = CPU_ONLY_INFO):
    return SimpleNamespace(llama_supports_gpu_offload=lambda: offload,
                           llama_print_system_info=lambda: info.encode())


def _probes(**kw) -> Probes:
    """A machine made of literal values: nothing is read from this one."""
    base = dict(system="Linux", machine="x86_64", memory=lambda: (16 * GiB, 9 * GiB, 2 * GiB),
                cpuinfo=lambda: X86_CPUINFO, sysctl=lambda name: "", windows_feature=lambda code: False,
                windows_cpu_name=lambda: "", load_nvml=_no_nvml, load_llama=lambda: _llama(False),
                physical_cores=lambda: 4, disk_free=lambda path: 100 * GiB)
    base.update(kw)
    return Probes(**base)


# -- this machine --------------------------------------------------------------------------------------
def test_detect_this_machine(tmp_path):
    hw = detect(tmp_path / "not" / "yet" / "models")
    assert hw.ram_total > 0
    assert 0 < hw.ram_available <= hw.ram_total
    assert hw.swap_free >= 0
    assert hw.disk_free and hw.disk_free > 0
    assert hw.gpu_offload is False  # the project's llama-cpp-python is a CPU build
    assert "CPU" in hw.build_features
    assert hw.physical_cores and hw.physical_cores >= 1
    assert hw.cpu_name
    if sys.platform == "linux" and Path("/proc/cpuinfo").exists():
        assert hw.cpu_features  # x86 flags or ARM Features
    json.dumps(hw.as_dict())  # plain data, ready for a report


def test_quick_detect_reads_only_memory_and_gpus():
    hw = detect(quick=True)
    assert hw.ram_total > 0 and hw.ram_available <= hw.ram_total
    assert hw.disk_free is None and hw.cpu_features == () and hw.build_features == {}
    assert hw.gpu_offload is False


def test_existing_parent(tmp_path):
    assert existing_parent(tmp_path / "a" / "b" / "c") == tmp_path
    assert existing_parent(tmp_path) == tmp_path


# -- parsers -------------------------------------------------------------------------------------------
def test_cpuinfo_flags_x86():
    assert parse_cpuinfo_flags(X86_CPUINFO) == ("SSE3", "SSSE3", "AVX", "AVX2", "F16C", "FMA", "AVX512",
                                                "AVX512_VNNI")
    assert parse_cpuinfo_name(X86_CPUINFO) == "Intel(R) Core(TM) i7-1165G7 @ 2.80GHz"
    assert "AVX2" not in parse_cpuinfo_flags(OLD_X86_CPUINFO)


def test_cpuinfo_features_arm():
    assert parse_cpuinfo_flags(ARM_CPUINFO) == ("NEON", "FP16", "DOTPROD", "MATMUL_INT8")


def test_cpuinfo_empty():
    assert parse_cpuinfo_flags("") == () and parse_cpuinfo_name("") == ""


def test_system_info_cpu_build():
    info = parse_system_info(CPU_ONLY_INFO)
    assert list(info) == ["CPU"]
    assert info["CPU"]["AVX2"] == "1" and info["CPU"]["REPACK"] == "1"


def test_system_info_cuda_build():
    info = parse_system_info(CUDA_INFO)
    assert info["CUDA"]["ARCHS"] == "500,610,700,750,800,860,890"
    assert info["CUDA"]["USE_GRAPHS"] == "1"
    assert info["CPU"] == {"SSE3": "1", "AVX2": "1", "FMA": "1", "LLAMAFILE": "1", "OPENMP": "1", "REPACK": "1"}


def test_system_info_metal_and_old_builds():
    assert parse_system_info(METAL_INFO)["Metal"] == {"EMBED_LIBRARY": "1"}
    assert parse_system_info(METAL_INFO)["CPU"]["DOTPROD"] == "1"
    assert parse_system_info(OLD_INFO) == {"CPU": {"AVX": "1", "AVX2": "1", "AVX512": "0", "FMA": "1", "NEON": "0"}}
    assert parse_system_info("") == {}


def test_sysctl_features():
    values = parse_sysctl(APPLE_SYSCTL)
    assert values["hw.optional.neon"] == "1"
    assert sysctl_features(values) == ("NEON", "FP16", "DOTPROD")
    intel = parse_sysctl("hw.optional.avx1_0: 1\nhw.optional.avx2_0: 1\nhw.optional.fma: 1\nhw.optional.avx512f: 0\n")
    assert sysctl_features(intel) == ("AVX", "AVX2", "FMA")


# -- GPUs ----------------------------------------------------------------------------------------------
class FakeNVML:
    """pynvml's calls, as nvidia-ml-py answers them on a two-GPU machine."""

    def __init__(self, devices, fail_init=False):
        self.devices = devices
        self.fail_init = fail_init
        self.shut = False

    def nvmlInit(self):
        if self.fail_init:
            raise RuntimeError("NVML Shared Library Not Found")

    def nvmlShutdown(self):
        self.shut = True

    def nvmlDeviceGetCount(self):
        return len(self.devices)

    def nvmlDeviceGetHandleByIndex(self, i):
        return i

    def nvmlDeviceGetName(self, i):
        return self.devices[i][0]

    def nvmlDeviceGetMemoryInfo(self, i):
        name, total, free = self.devices[i]
        return SimpleNamespace(total=total, free=free, used=total - free)


def test_no_pynvml_means_no_nvidia_gpu():
    assert nvidia_gpus(_no_nvml) == ()
    hw = detect(probes=_probes())
    assert hw.gpus == () and hw.unified_memory is False


def test_no_driver_means_no_nvidia_gpu():
    assert nvidia_gpus(lambda: FakeNVML([], fail_init=True)) == ()


def test_nvidia_gpus_through_nvml():
    nvml = FakeNVML([(b"NVIDIA GeForce RTX 3060", 12 * GiB, 11 * GiB), ("NVIDIA RTX 4090", 24 * GiB, 23 * GiB)])
    gpus = nvidia_gpus(lambda: nvml)
    assert gpus == (GPU("NVIDIA GeForce RTX 3060", 12 * GiB, 11 * GiB, "CUDA"),
                    GPU("NVIDIA RTX 4090", 24 * GiB, 23 * GiB, "CUDA"))
    assert nvml.shut
    hw = detect(probes=_probes(load_nvml=lambda: nvml, load_llama=lambda: _llama(True, CUDA_INFO)))
    assert hw.gpus == gpus and hw.gpu_offload and "CUDA" in hw.build_features


def test_broken_llama_cpp_is_not_an_error():
    def broken():
        raise OSError("libllama.so: cannot open shared object file")

    hw = detect(probes=_probes(load_llama=broken))
    assert hw.gpu_offload is False and hw.build_features == {}
    assert hw.cpu_features  # from /proc/cpuinfo, not from llama.cpp


# -- other platforms, from literal values ----------------------------------------------------------
def _mac(ram: int, **kw) -> Probes:
    def sysctl(name):
        return {"hw.optional": APPLE_SYSCTL, "machdep.cpu.brand_string": "machdep.cpu.brand_string: Apple M2\n"}[name]

    return _probes(system="Darwin", machine="arm64", memory=lambda: (ram, ram // 2, 0), sysctl=sysctl,
                   cpuinfo=lambda: pytest.fail("macOS has no /proc/cpuinfo"),
                   load_llama=lambda: _llama(True, METAL_INFO), **kw)


def test_apple_silicon_16gb():
    hw = detect(Path("/models"), probes=_mac(16 * GiB))
    assert hw.unified_memory
    assert hw.gpus == (GPU("Apple M2 GPU", int(16 * GiB * 2 / 3), None, "Metal"),)
    assert hw.cpu_name == "Apple M2"
    assert hw.cpu_features == ("NEON", "FP16", "DOTPROD")
    assert hw.gpu_offload and "Metal" in hw.build_features


def test_apple_silicon_big_machines_give_the_gpu_three_quarters():
    assert apple_gpu_budget(36 * GiB) == 27 * GiB
    assert apple_gpu_budget(64 * GiB) == 48 * GiB
    assert apple_gpu_budget(32 * GiB) == int(32 * GiB * 2 / 3)
    hw = detect(quick=True, probes=_mac(64 * GiB))
    assert hw.unified_memory and hw.gpus[0].vram_total == 48 * GiB


def test_intel_mac_is_not_unified():
    hw = detect(probes=_probes(system="Darwin", machine="x86_64",
                               sysctl=lambda name: "hw.optional.avx2_0: 1\nhw.optional.fma: 1\n"))
    assert not hw.unified_memory and hw.gpus == ()
    assert hw.cpu_features == ("AVX2", "FMA")


def test_windows_features():
    hw = detect(probes=_probes(system="Windows", machine="AMD64", windows_feature=lambda code: code in (13, 39, 40),
                               windows_cpu_name=lambda: "AMD Ryzen 7 5800X 8-Core Processor"))
    assert hw.cpu_features == ("SSE3", "AVX", "AVX2")
    assert hw.cpu_name == "AMD Ryzen 7 5800X 8-Core Processor"


def test_features_fall_back_to_llama_cpp_when_the_os_says_nothing():
    hw = detect(probes=_probes(cpuinfo=lambda: ""))
    assert hw.cpu_features == ("SSE3", "SSSE3", "AVX", "AVX_VNNI", "AVX2", "F16C", "FMA", "AVX512")


def test_hardware_fast_cpu():
    assert Hardware(1, 1, cpu_features=("AVX", "AVX2")).has_fast_cpu is True
    assert Hardware(1, 1, cpu_features=("SSE3", "AVX")).has_fast_cpu is False
    assert Hardware(1, 1).has_fast_cpu is None
