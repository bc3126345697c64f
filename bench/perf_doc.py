"""Writing benchmark results into docs/PERFORMANCE.md, shared by the bench scripts' --write."""

from __future__ import annotations

from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "PERFORMANCE.md"


def add_to_section(heading: str, intro: str, lines: list[str], doc: Path = DOC) -> None:
    """Append ``lines`` at the end of the ``## heading`` section (created, with ``intro``, at
    the end of the file if it is missing), before whatever section follows it."""
    text = doc.read_text(encoding="utf-8")
    marker = f"## {heading}"
    block = "\n".join(lines) + "\n"
    if marker not in text:
        doc.write_text(text.rstrip("\n") + f"\n\n{marker}\n\n{intro}\n\n{block}", encoding="utf-8")
        return
    start = text.index(marker) + len(marker)
    following = text.find("\n## ", start)
    if following < 0:
        doc.write_text(text.rstrip("\n") + "\n" + block, encoding="utf-8")
    else:
        head, tail = text[:following].rstrip("\n"), text[following:]
        doc.write_text(f"{head}\n{block}{tail}", encoding="utf-8")
