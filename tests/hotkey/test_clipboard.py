"""copilot.hotkey.clipboard on Qt's offscreen platform.

The offscreen clipboard is in-process (Qt's generic QPlatformClipboard): `mimeData()` hands
back the very QMimeData that was set, change signals fire synchronously inside
``setMimeData``, and there is no selection (PRIMARY) clipboard. So these tests prove the
format bookkeeping, the markers and the watcher's logic, not X11/Windows/macOS conversions.
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QMimeData, QTimer, QUrl
from PySide6.QtGui import QClipboard, QColor, QGuiApplication, QImage

from copilot.hotkey.clipboard import (ID_FORMAT, IMAGE_FORMAT, TRANSIENT_FORMATS, ClipboardSnapshot,
                                      ClipboardWatcher, holds_ours, primary_selection_text, write_transient)

Mode = QClipboard.Mode


@pytest.fixture
def clipboard(qapp):
    cb = QGuiApplication.clipboard()
    cb.clear()
    yield cb
    # Offscreen keeps the clipboard's QMimeData in a C++ global freed at process exit, after
    # Python is gone; freeing a Python-made QMimeData then segfaults. Clear it while we can.
    cb.clear()


def small_png() -> tuple[QImage, bytes]:
    from copilot.hotkey.clipboard import _png_bytes

    image = QImage(3, 2, QImage.Format.Format_ARGB32)
    image.fill(QColor(200, 30, 60, 128))
    image.setPixelColor(1, 1, QColor(0, 255, 0, 255))
    return image, _png_bytes(image)


def rich_mime() -> tuple[QMimeData, dict[str, bytes]]:
    _, png = small_png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    expected = {
        "text/plain": "héllo wörld\n".encode(),
        "text/html": b"<p>h\xc3\xa9llo <b>w\xc3\xb6rld</b></p>",
        "image/png": png,
        "text/uri-list": b"file:///tmp/a%20b.txt\r\nhttps://example.org/\r\n",
        "application/x-test": bytes(range(256)),  # every byte value, NULs included
    }
    mime = QMimeData()
    for name, data in expected.items():
        mime.setData(name, data)
    return mime, expected


def test_snapshot_restore_round_trip_keeps_every_format_byte_for_byte(clipboard):
    mime, expected = rich_mime()
    clipboard.setMimeData(mime)

    snap = ClipboardSnapshot.take()
    assert dict(snap.formats) == expected
    assert [name for name, _ in snap.formats] == list(expected)  # the owner's order
    assert snap.text() == "héllo wörld\n"
    assert not snap.is_empty

    clipboard.setText("something else entirely")  # the copy shortcut's result, say
    assert ClipboardSnapshot.take().formats == (("text/plain", b"something else entirely"),)

    snap.restore()
    restored = clipboard.mimeData()
    assert restored is not mime  # a fresh QMimeData, not the (deleted) original
    assert {name: bytes(restored.data(name)) for name in restored.formats()} == expected
    assert ClipboardSnapshot.take() == snap
    assert clipboard.text() == "héllo wörld\n"


def test_snapshot_is_a_copy_not_a_view(clipboard):
    clipboard.setText("before")
    snap = ClipboardSnapshot.take()
    clipboard.setText("after")
    assert snap.text() == "before"


def test_snapshot_repr_shows_sizes_not_contents(clipboard):
    clipboard.setText("my password is hunter2")
    text = repr(ClipboardSnapshot.take())
    assert "hunter2" not in text and "text/plain: 22 B" in text


def test_image_set_in_process_survives_as_png(clipboard):
    # setImageData() stores a QImage, whose data() bytes are empty: the snapshot encodes it
    image, png = small_png()
    mime = QMimeData()
    mime.setImageData(image)
    mime.setText("caption")
    clipboard.setMimeData(mime)

    snap = ClipboardSnapshot.take()
    assert snap.data(IMAGE_FORMAT) == png
    clipboard.setText("replaced")
    snap.restore()

    assert clipboard.mimeData().hasImage()
    restored = clipboard.image()
    assert restored.size() == image.size()
    assert restored.pixelColor(1, 1) == QColor(0, 255, 0, 255)
    assert restored.pixelColor(0, 0) == image.pixelColor(0, 0)
    assert clipboard.text() == "caption"
    assert ClipboardSnapshot.take() == snap


def test_empty_clipboard_restores_to_empty(clipboard):
    snap = ClipboardSnapshot.take()
    assert snap.is_empty and snap.text() == ""
    clipboard.setText("ours")
    snap.restore()
    assert ClipboardSnapshot.take().is_empty


def test_transient_write_is_marked_and_recognised(clipboard):
    clipboard.setText("the user's own clipboard")
    marker = write_transient("rewritten text")

    mime = clipboard.mimeData()
    assert clipboard.text() == "rewritten text"
    assert bytes(mime.data(ID_FORMAT)) == marker.token and len(marker.token) == 32
    assert bytes(mime.data("x-kde-passwordManagerHint")) == b"secret"
    for name, data in TRANSIENT_FORMATS:
        assert mime.hasFormat(name) and bytes(mime.data(name)) == data
    assert any("ExcludeClipboardContentFromMonitorProcessing" in name for name, _ in TRANSIENT_FORMATS)
    assert holds_ours(marker)
    assert holds_ours(marker, Mode.Clipboard)


def test_another_write_means_the_clipboard_is_no_longer_ours(clipboard):
    marker = write_transient("rewritten text")
    other = QMimeData()
    other.setText("rewritten text")  # even the very same text, written by another app
    other.setHtml("<b>rewritten text</b>")
    clipboard.setMimeData(other)
    assert not holds_ours(marker)


def test_each_write_has_its_own_id(clipboard):
    first = write_transient("one")
    second = write_transient("two")
    assert first.token != second.token
    assert not holds_ours(first) and holds_ours(second)
    clipboard.clear()
    assert not holds_ours(second)


def test_paste_back_cycle_restores_the_users_clipboard(clipboard):
    mime, expected = rich_mime()
    clipboard.setMimeData(mime)
    before = ClipboardSnapshot.take()
    marker = write_transient("result")
    if holds_ours(marker):
        before.restore()
    assert dict(ClipboardSnapshot.take().formats) == expected


def test_wait_for_change_returns_true_when_the_clipboard_changes(clipboard):
    watcher = ClipboardWatcher()
    QTimer.singleShot(50, lambda: clipboard.setText("copied"))
    started = time.monotonic()
    assert watcher.wait_for_change(5000) is True
    assert time.monotonic() - started < 4  # well before the timeout
    assert watcher.result is True
    assert clipboard.text() == "copied"


def test_wait_for_change_times_out_when_nothing_changes(clipboard):
    watcher = ClipboardWatcher()
    started = time.monotonic()
    assert watcher.wait_for_change(300) is False
    elapsed = time.monotonic() - started
    assert 0.2 < elapsed < 5  # it waited about the timeout: no early return, no hang
    assert watcher.result is False


def test_a_change_between_arming_and_waiting_counts(clipboard):
    # arm first, send the copy shortcut, then wait: a change that lands in between is not lost
    watcher = ClipboardWatcher()
    clipboard.setText("copied synchronously")  # offscreen emits inside setMimeData
    started = time.monotonic()
    assert watcher.wait_for_change(3000) is True
    assert time.monotonic() - started < 1


def test_changes_before_arming_do_not_count(clipboard):
    watcher = ClipboardWatcher()
    clipboard.setText("old news")
    watcher.arm()
    assert watcher.wait_for_change(100) is False


def test_async_changed_signal(qtbot, clipboard):
    watcher = ClipboardWatcher()
    results = []
    watcher.sig_changed.connect(results.append)
    with qtbot.waitSignal(watcher.sig_changed, timeout=5000) as blocker:
        watcher.start(5000)
        QTimer.singleShot(50, lambda: clipboard.setText("copied"))
    assert blocker.args == [True]
    clipboard.setText("later")  # disconnected after the result: emitted once only
    qtbot.wait(20)
    assert results == [True]


def test_async_timeout_signal(qtbot, clipboard):
    watcher = ClipboardWatcher()
    with qtbot.waitSignal(watcher.sig_changed, timeout=5000) as blocker:
        watcher.start(100)
    assert blocker.args == [False]


def test_async_signal_comes_from_the_event_loop_even_if_already_changed(qtbot, clipboard):
    watcher = ClipboardWatcher()
    clipboard.setText("copied")
    results = []
    watcher.sig_changed.connect(results.append)
    watcher.start(5000)
    assert results == []  # never emitted from inside start()
    qtbot.waitUntil(lambda: results == [True], timeout=2000)


def test_cancel_emits_nothing(qtbot, clipboard):
    watcher = ClipboardWatcher()
    results = []
    watcher.sig_changed.connect(results.append)
    watcher.start(50)
    watcher.cancel()
    clipboard.setText("copied")
    qtbot.wait(150)
    assert results == []


def test_rearmed_watcher_runs_another_round(clipboard):
    watcher = ClipboardWatcher()
    assert watcher.wait_for_change(50) is False
    with pytest.raises(RuntimeError):
        watcher.start(50)
    watcher.arm()
    QTimer.singleShot(20, lambda: clipboard.setText("second"))
    assert watcher.wait_for_change(3000) is True


def test_polled_change_counter_catches_changes_qt_does_not_report(clipboard):
    # macOS: Qt misses other apps' writes while in the background; NSPasteboard.changeCount
    # is polled instead. A fake counter stands in for it: no Qt clipboard signal at all.
    count = [7]
    watcher = ClipboardWatcher(change_count=lambda: count[0], poll_interval_ms=10)
    QTimer.singleShot(50, lambda: count.__setitem__(0, 8))
    started = time.monotonic()
    assert watcher.wait_for_change(5000) is True
    assert time.monotonic() - started < 4


def test_polled_counter_unchanged_times_out(clipboard):
    watcher = ClipboardWatcher(change_count=lambda: 3, poll_interval_ms=10)
    assert watcher.wait_for_change(100) is False


def test_dropped_watcher_stays_quiet(clipboard):
    watcher = ClipboardWatcher()
    del watcher
    clipboard.setText("after the watcher is gone")  # no dangling slot, no warning


def test_primary_selection(clipboard):
    if clipboard.supportsSelection():  # X11: a string, possibly empty
        assert isinstance(primary_selection_text(), str)
    else:  # offscreen, Windows, macOS
        assert primary_selection_text() is None


def test_unsupported_modes(clipboard):
    if clipboard.supportsSelection():
        pytest.skip("this platform has a selection clipboard")
    assert ClipboardSnapshot.take(Mode.Selection).is_empty
    with pytest.raises(ValueError):
        write_transient("x", Mode.Selection)
    with pytest.raises(ValueError):
        ClipboardSnapshot((("text/plain", b"x"),)).restore(Mode.Selection)
