"""The reliability soak, short (bench/soak.py --quick runs the same rounds; the full soak is
20 GUI kills and 10 download kills): the real app killed with SIGKILL while typing and while
generating keeps everything typed more than a second before the kill, in a database that
passes integrity_check; a download killed at random byte offsets resumes from its part file,
receives nothing twice and ends with the right sha256."""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import soak  # noqa: E402

SEED = random.randrange(10**6)  # a different draw each run; the seed is in the failure message


def test_gui_kills_keep_what_was_typed(xserver):
    rounds = soak.gui_soak(3, SEED, log=lambda s: None)  # its own X server: a fresh desktop per soak
    assert [r.mode for r in rounds] == ["typing", "generating", "typing"]
    failed = [f"round {r.n} ({r.pane}, {r.mode}): {r.problem}" for r in rounds if not r.ok]
    assert not failed, f"seed {SEED}: " + "; ".join(failed)
    assert all(r.integrity == "ok" and r.restored for r in rounds)


def test_download_kills_resume_from_the_part_file():
    rounds = soak.download_soak(2, 64 * 2**20 + 12345, SEED, log=lambda s: None)
    failed = [f"round {r.n} (kill at {r.offset}): {r.problem}" for r in rounds if not r.ok]
    assert not failed, f"seed {SEED}: " + "; ".join(failed)
    for r in rounds:
        assert r.resume_range == f"bytes={r.part}-" and r.sha_ok
