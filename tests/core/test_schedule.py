"""The cores go to the request the user waits for; the background work waits at a checkpoint."""

import threading
import time

from copilot.core.schedule import Cores


def test_urgent_job_runs_at_the_next_checkpoint_and_background_resumes():
    cores = Cores()
    log = []
    piece_done = threading.Event()

    def background():
        with cores.background():
            for i in range(3):
                log.append(f"piece {i}")
                if i == 0:
                    piece_done.set()
                    time.sleep(0.2)  # the urgent one arrives mid-piece
                cores.checkpoint()

    def urgent():
        piece_done.wait(5)
        with cores.urgent():
            log.append("urgent")

    threads = [threading.Thread(target=background), threading.Thread(target=urgent)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert log == ["piece 0", "urgent", "piece 1", "piece 2"]


def test_background_waits_for_a_running_urgent_job():
    cores = Cores()
    log = []
    inside = threading.Event()

    def urgent():
        with cores.urgent():
            inside.set()
            time.sleep(0.2)
            log.append("urgent")

    t = threading.Thread(target=urgent)
    t.start()
    inside.wait(5)
    with cores.background():
        log.append("background")
    t.join(5)
    assert log == ["urgent", "background"]


def test_checkpoint_without_urgent_work_does_not_wait():
    cores = Cores()
    with cores.background():
        assert cores.checkpoint() is False


def test_cancel_ends_the_wait():
    cores = Cores()
    release = threading.Event()
    inside = threading.Event()

    def urgent():
        with cores.urgent():
            inside.set()
            release.wait(5)

    t = threading.Thread(target=urgent)
    with cores.background():
        t.start()
        time.sleep(0.1)
        cancelled = threading.Event()
        cancelled.set()
        started = time.monotonic()
        assert cores.checkpoint(cancelled) is True
        assert time.monotonic() - started < 1.0
    release.set()
    t.join(5)
