"""`private-copilot bench PATH`: how fast this machine runs a model, in llama-bench's terms.

Load time, resident memory after load, prompt processing (pp) and generation (tg) tokens/s.
The first-run wizard's quick benchmark uses the same measurement.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from copilot.core.engine import LocalEngine, ModelConfig, default_threads


@dataclass(frozen=True)
class BenchResult:
    model: str
    path: str
    size_gb: float
    backend: str
    threads: int
    n_ctx: int
    flash_attn: bool
    kv_type: str
    n_ubatch: int
    load_seconds: float
    rss_mb: float
    pp_tokens: int
    pp_tokens_per_second: float
    tg_tokens: int
    tg_tokens_per_second: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def table(self) -> str:
        head = (f"{'model':<28} {'size':>8} {'backend':<8} {'threads':>7} {'fa':>2} {'kv':>4} {'ubatch':>6} "
                f"{'test':>7} {'t/s':>9}")
        name = self.model[:28]
        setup = f"{self.threads:>7} {int(self.flash_attn):>2} {self.kv_type:>4} {self.n_ubatch:>6}"
        rows = [
            head,
            "-" * len(head),
            f"{name:<28} {self.size_gb:>6.2f}GB {self.backend:<8} {setup} "
            f"{'pp' + str(self.pp_tokens):>7} {self.pp_tokens_per_second:>9.2f}",
            f"{'':<28} {'':>8} {'':<8} {'':>7} {'':>2} {'':>4} {'':>6} "
            f"{'tg' + str(self.tg_tokens):>7} {self.tg_tokens_per_second:>9.2f}",
            "",
            f"load {self.load_seconds:.2f} s, resident memory after load {self.rss_mb:,.0f} MB, "
            f"context {self.n_ctx:,} tokens",
        ]
        return "\n".join(rows)


def run_benchmark(path: Path, *, pp: int = 512, tg: int = 128, n_ctx: int = 4096, threads: int | None = None,
                  gpu_layers: int = -1) -> BenchResult:
    """Load ``path`` and measure it; raises ModelFileError / EngineError like a normal load."""
    import psutil

    engine = LocalEngine()
    threads = threads or default_threads()
    t0 = time.perf_counter()
    info = engine.load(ModelConfig(path, n_ctx=max(n_ctx, pp + tg), n_threads=threads, n_gpu_layers=gpu_layers))
    load_seconds = time.perf_counter() - t0
    rss_mb = psutil.Process().memory_info().rss / 2**20
    try:
        engine.measure(min(pp, 64), min(tg, 2))  # warm-up: first-use allocations, page-in of the weights (all experts)
        pp_s, tg_s = engine.measure(pp, tg)
    finally:
        engine.close()
    return BenchResult(
        model=info.name, path=str(info.path), size_gb=info.file_size / 1e9, backend=info.backend, threads=threads,
        n_ctx=info.n_ctx, flash_attn=info.flash_attn, kv_type=info.kv_type, n_ubatch=info.n_ubatch,
        load_seconds=load_seconds, rss_mb=rss_mb, pp_tokens=pp,
        pp_tokens_per_second=pp / pp_s, tg_tokens=tg, tg_tokens_per_second=tg / tg_s,
    )
