"""Everything that does not need Qt: engine, prompts, documents, settings, paths.

Nothing below this package may import Qt (tests/core/test_no_qt.py enforces it).
"""
