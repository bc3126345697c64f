"""Trust benchmarks, run by hand; results go to docs/PERFORMANCE.md with --write.

1. The commitment check (copilot/core/check.py) on the hand-written drafts of
   bench/trust_drafts.py: recall (planted spans overlapped by a finding / planted spans),
   false-positive rate (faithful drafts with at least one finding / faithful drafts),
   findings per faithful draft, and the time per check.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from copilot.core.check import check_draft, parse_email_date  # noqa: E402
from trust_drafts import CASES, HELD_OUT  # noqa: E402

SECTION = "Commitment check (issue: Trust)"


def _overlaps(finding, start: int, end: int) -> bool:
    return finding.start < end and start < finding.end


def _long_inputs() -> tuple[str, str]:
    paragraph = ("Thanks for the update on the project. We reviewed the figures with the team and the plan looks "
                 "good. The delivery of 250 units is planned for Thursday 26 March at 10:00 and the invoice of "
                 "4.500 € follows a week later. ")
    thread = "From: Maria Lopez <maria@acme.es>\n\n" + paragraph * 55
    draft = "Hi Maria,\n\n" + paragraph * 8
    return thread, draft


def check_quality(write: bool) -> dict:
    """Recall, false positives and timing of the commitment check on trust_drafts.CASES, and
    apart on HELD_OUT (drafts written after the check was corrected on CASES)."""
    check_draft("Warm-up: I will pay 10 € on Friday at 11:00, Thu 3-Dec.", ["nothing"], points="ok")
    first, held = score(CASES), score(HELD_OUT)
    speed = long_timing()
    lines = quality_table(first, held, speed)
    print("\n".join(lines))
    for name, res in (("CASES", first), ("HELD_OUT", held)):
        for label, items in (("missed planted spans", res["misses"]),
                             ("findings on faithful drafts", res["false_positives"])):
            print(f"\n{name}, {label}: {len(items)}")
            for item in items:
                print(f"  - {item}")
    if write:
        from perf_doc import add_to_section

        add_to_section(SECTION, "Reproduce with `python bench/bench_trust.py --write`. The drafts are written by "
                                "hand in bench/trust_drafts.py, apart from the unit tests.", lines)
        print(f"\nappended to docs/PERFORMANCE.md, section {SECTION!r}")
    return {"cases": first, "held_out": held, "speed": speed}


def score(cases: list[dict]) -> dict:
    planted_total = planted_found = 0
    faithful = faithful_flagged = faithful_findings = 0
    times, misses, false_positives = [], [], []
    for case in cases:
        reference = parse_email_date(case["reference"])
        t0 = time.perf_counter()  # the first call for this source: its facts are not cached yet
        findings = check_draft(case["draft"], [case["source"]], points=case["points"], reference=reference,
                               mode=case["mode"])
        times.append(time.perf_counter() - t0)
        if case["planted"]:
            for span in case["planted"]:
                start = case["draft"].index(span)
                planted_total += 1
                if any(_overlaps(f, start, start + len(span)) for f in findings):
                    planted_found += 1
                else:
                    misses.append(f"{case['id']}: {span!r}")
        else:
            faithful += 1
            faithful_findings += len(findings)
            if findings:
                faithful_flagged += 1
                false_positives.append(f"{case['id']}: " + ", ".join(f"{f.kind} {f.text!r}" for f in findings))
    return {
        "cases": len(cases), "faithful": faithful, "planted_cases": len(cases) - faithful,
        "planted": planted_total, "found": planted_found, "recall": planted_found / planted_total,
        "fp_drafts": faithful_flagged, "fp_rate": faithful_flagged / faithful,
        "per_faithful": faithful_findings / faithful,
        "median_ms": statistics.median(times) * 1000, "max_ms": max(times) * 1000,
        "misses": misses, "false_positives": false_positives,
    }


def long_timing(rounds: int = 7) -> dict:
    """A 300-word draft against a 2,000-word thread: the first call, then calls with the thread's
    facts cached (each draft differs, so the draft side is never cached)."""
    thread, draft = _long_inputs()
    t0 = time.perf_counter()
    check_draft(draft, [thread], points="ok")
    first = time.perf_counter() - t0
    times = []
    for i in range(rounds):
        t0 = time.perf_counter()
        check_draft(draft.replace("250", str(251 + i)), [thread], points="ok")
        times.append(time.perf_counter() - t0)
    return {"first_ms": first * 1000, "median_ms": statistics.median(times) * 1000, "max_ms": max(times) * 1000,
            "rounds": rounds, "draft_words": len(draft.split()), "thread_words": len(thread.split())}


def quality_table(first: dict, held: dict, speed: dict) -> list[str]:
    def row(label, key, fmt):
        return f"| {label} | {fmt(first)} | {fmt(held)} |"

    return [
        f"Commitment check (`copilot/core/check.py`), measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, "
        f"Python {platform.python_version()}. Hand-written drafts in English and Spanish, replies and rewrites; "
        "HELD_OUT was written after the check had been corrected on CASES' first run (CASES' first run: 100% "
        "recall, 6/25 faithful drafts flagged; HELD_OUT's first run: 100% recall, 1/8 flagged, a job title in a "
        "signature, since fixed).",
        "",
        f"| figure | CASES ({first['cases']} drafts) | HELD_OUT ({held['cases']} drafts) |",
        "| --- | --- | --- |",
        row("recall: planted spans overlapped by a finding", "recall",
            lambda r: f"**{r['recall']:.0%}** ({r['found']}/{r['planted']})"),
        row("false-positive rate: faithful drafts with >= 1 finding", "fp_rate",
            lambda r: f"**{r['fp_rate']:.0%}** ({r['fp_drafts']}/{r['faithful']})"),
        row("findings per faithful draft", "per_faithful", lambda r: f"{r['per_faithful']:.2f}"),
        row("time per check, first call for its source (median / max)", "median_ms",
            lambda r: f"{r['median_ms']:.1f} ms / {r['max_ms']:.1f} ms"),
        "",
        f"A {speed['draft_words']}-word draft against a {speed['thread_words']}-word thread: first call "
        f"{speed['first_ms']:.0f} ms (the thread's facts are extracted once and cached), then median "
        f"{speed['median_ms']:.1f} ms, max {speed['max_ms']:.1f} ms over {speed['rounds']} different drafts.",
        "",
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true", help="append the figures to docs/PERFORMANCE.md")
    parser.add_argument("--seeds", type=int, default=20, help="SmolLM2 replies per length setting (default 20)")
    args = parser.parse_args()
    check_quality(args.write)
    lengths(args.seeds, args.write)
    return 0


LENGTHS_SECTION = "Bounded answers: SmolLM2 replies against the length setting"


def lengths(seeds: int, write: bool) -> list[dict]:
    """The longest of ``seeds`` seeded SmolLM2 replies, in words and seconds, for each length
    setting, against the issue's figures before the caps (698-2,422 words, runs past 300 s)."""
    from trust_lengths import reply_lengths, table

    results, lines = [], []
    for length in ("short", "medium", "long"):
        result = reply_lengths(seeds, length)
        rows = table(result)
        lines.extend(rows if not lines else rows[2:])
        results.append(result)
    print("\n".join(lines))
    if write:
        from perf_doc import add_to_section

        add_to_section(LENGTHS_SECTION, "Reproduce with `python bench/bench_trust.py --write`: `reply` to a Spanish "
                                        "thread with points \"sí al jueves 27 a las 11\", seeds 1 to N, SmolLM2-135M "
                                        "on the CPU. Before the caps, seeds 1-6 at medium wrote 698 to 2,422 words "
                                        "and two ran past 300 s.", lines)
        print(f"\nappended to docs/PERFORMANCE.md, section {LENGTHS_SECTION!r}")
    return results


if __name__ == "__main__":
    sys.exit(main())
