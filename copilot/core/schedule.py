"""Who may use the CPU cores now: a request the user waits for (a draft, a rewrite) or the
long background work (transcribing a recording).

On a 2-core laptop, llama.cpp and Whisper side by side would both crawl. The background job
holds the cores and calls ``checkpoint`` between two pieces of work (a line of transcript, a
few seconds of decoding); when an urgent job is waiting, the checkpoint lets it run to the end
and then takes the cores back. An urgent job waits for at most one piece.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator


class Cores:
    def __init__(self) -> None:
        self._cv = threading.Condition()
        self._urgent = 0  # urgent jobs running or waiting
        self._background = False  # the background job is computing

    @contextmanager
    def urgent(self) -> Iterator[None]:
        with self._cv:
            self._urgent += 1
            while self._background:
                self._cv.wait()
        try:
            yield
        finally:
            with self._cv:
                self._urgent -= 1
                self._cv.notify_all()

    @contextmanager
    def background(self) -> Iterator["Cores"]:
        with self._cv:
            while self._urgent:
                self._cv.wait()
            self._background = True
        try:
            yield self
        finally:
            with self._cv:
                self._background = False
                self._cv.notify_all()

    def checkpoint(self, cancelled: threading.Event | None = None) -> bool:
        """From the background job: give the cores to waiting urgent jobs until they are done.
        Returns whether it waited. A set ``cancelled`` ends the wait at once."""
        with self._cv:
            if not self._urgent:
                return False
            self._background = False
            self._cv.notify_all()
            while self._urgent and not (cancelled is not None and cancelled.is_set()):
                self._cv.wait(0.2)
            self._background = True
            return True

    @property
    def urgent_waiting(self) -> bool:
        with self._cv:
            return self._urgent > 0
