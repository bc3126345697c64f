"""Clipboard hygiene for the hotkey tests."""

import pytest


@pytest.fixture(autouse=True)
def clean_clipboard(qapp):
    """Leave the clipboard empty: a Python-made QMimeData left on the offscreen platform's
    clipboard crashes the interpreter at exit (segfault after the last test)."""
    yield
    qapp.clipboard().clear()
