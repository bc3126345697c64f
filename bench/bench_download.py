"""Download throughput, run by hand; results go to docs/PERFORMANCE.md.

The app's download (huggingface_hub's client: metadata calls, redirect, Range-capable
GET in 1 MiB chunks, the sha256 computed as bytes arrive, fsync, rename) ÷ a raw HTTP
copy of the same file from the same loopback server (http.client, 1 MiB reads straight
into a file, nothing else). Rounds alternate in one process. Goal >= 0.9.

    .venv/bin/python bench/bench_download.py [--mb 1024] [--rounds 5] [--limit MB/S] [--write]
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from copilot.core.models.catalog import GPT_OSS_20B  # noqa: E402
from copilot.core.models.download import Download  # noqa: E402
from fake_hub import FakeHub, HubFile  # noqa: E402
from perf_doc import add_to_section  # noqa: E402

CHUNK = 1024 * 1024


def raw_copy(url: str, dest: Path, fsync: bool = False) -> float:
    parts = urlsplit(url)
    t0 = time.perf_counter()
    conn = http.client.HTTPConnection(parts.hostname, parts.port)
    conn.request("GET", parts.path)
    response = conn.getresponse()
    assert response.status == 200, response.status
    with open(dest, "wb") as f:
        while chunk := response.read(CHUNK):
            f.write(chunk)
        if fsync:
            f.flush()
            os.fsync(f.fileno())
    conn.close()
    return time.perf_counter() - t0


def app_download(url: str, dest: Path) -> float:
    t0 = time.perf_counter()
    Download(GPT_OSS_20B, dest, endpoint=url).run()
    return time.perf_counter() - t0


def serve(mb: int, ready, limit: float | None = None) -> None:
    """The fake Hub in its own process, as the real one is on another machine: it must not
    share this process's GIL with the client being measured."""
    data = os.urandom(mb * CHUNK)
    hub = FakeHub(GPT_OSS_20B.repo_id, {GPT_OSS_20B.filename: HubFile(data)},
                  bytes_per_second=limit * 1e6 if limit else None).start()
    ready.send((hub.url, hub.files[GPT_OSS_20B.filename].sha256, len(data)))
    ready.recv()  # until the benchmark is done
    hub.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mb", type=int, default=1024, help="file size in MiB (default 1024)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--limit", type=float, metavar="MB/S",
                        help="the server sends at most this fast: a real link instead of loopback's memory copy")
    parser.add_argument("--write", action="store_true", help="append the result to docs/PERFORMANCE.md")
    args = parser.parse_args()

    parent, child = multiprocessing.Pipe()
    server = multiprocessing.Process(target=serve, args=(args.mb, child, args.limit), daemon=True)
    server.start()
    url, sha, size = parent.recv()
    cdn = f"{url}/cdn/{sha}"
    raw, durable, ours = [], [], []
    try:
        with tempfile.TemporaryDirectory(dir=ROOT / "bench") as tmp:
            for i in range(args.rounds):
                runs = (("raw", raw, lambda d: raw_copy(cdn, d / "raw.bin")),
                        ("app", ours, lambda d: app_download(url, d)),
                        ("raw+fsync", durable, lambda d: raw_copy(cdn, d / "raw.bin", fsync=True)))
                for name, results, run in runs:
                    folder = Path(tmp) / f"{name}{i}"
                    folder.mkdir()
                    seconds = run(folder)
                    results.append(size / seconds / 1e6)
                    for p in folder.rglob("*"):
                        if p.is_file():
                            p.unlink()
                print(f"round {i + 1}: raw {raw[-1]:.0f} MB/s, app {ours[-1]:.0f} MB/s, "
                      f"raw+fsync {durable[-1]:.0f} MB/s", flush=True)
    finally:
        parent.send("stop")
        server.join(10)
    ratios = [o / r for o, r in zip(ours, raw)]
    ratio = statistics.median(ratios)
    durable_ratio = statistics.median(o / r for o, r in zip(ours, durable))
    lines = [
        f"- {time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
        f"{args.mb} MiB file, {args.rounds} alternating rounds over loopback"
        + (f", server limited to {args.limit:g} MB/s:" if args.limit else ", unlimited:"),
        f"  raw copy median **{statistics.median(raw):.0f} MB/s**, app download (incl. sha256 + fsync) median "
        f"**{statistics.median(ours):.0f} MB/s**; ratio per round {', '.join(f'{r:.2f}' for r in ratios)}; "
        f"median **{ratio:.2f}** (goal >= 0.9)",
        f"  against a raw copy that also fsyncs before it is done (as the app must, before it trusts the file): "
        f"median {statistics.median(durable):.0f} MB/s, ratio **{durable_ratio:.2f}**",
    ]
    print("\n".join(lines))
    if args.write:
        add_to_section("Model download (issue: First-run wizard)",
                       "`python bench/bench_download.py --write`: the app's download through huggingface_hub ÷ a "
                       "raw HTTP copy of the same file from the same loopback fake Hub.", lines)
    return 0 if ratio >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
