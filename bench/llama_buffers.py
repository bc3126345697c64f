"""llama.cpp's own report of its buffers (KV cache, compute), read from the engine's log.

The engine routes llama.cpp's logging to the logger "copilot.llama"; the bench children that
measure memory listen there before they load a model.
"""

from __future__ import annotations

import logging


class BufferReport(logging.Handler):
    """MiB of every "KV buffer size = …" and "compute buffer size = …" line, as they come."""

    def __init__(self) -> None:
        super().__init__()
        self.kv: list[float] = []
        self.compute: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        for key, bucket in (("KV buffer size", self.kv), ("compute buffer size", self.compute)):
            if key in text:
                try:
                    bucket.append(float(text.split("=")[1].split("MiB")[0]))
                except (IndexError, ValueError):  # e.g. "compute buffer size is … MiB, matches expectation"
                    pass


def listen(*, quiet: bool = False) -> BufferReport:
    """Start collecting; ``quiet`` also keeps llama.cpp's chatter out of stderr."""
    report = BufferReport()
    log = logging.getLogger("copilot.llama")
    log.addHandler(report)
    log.setLevel(logging.DEBUG)
    if quiet:
        log.propagate = False
    return report
