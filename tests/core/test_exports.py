"""Minutes exports: Word styles and runs read back with python-docx, plain text, atomic files."""

from __future__ import annotations

import io
import os
from datetime import datetime, timedelta, timezone

import docx
import pytest

from copilot.core import exports
from copilot.core.exports import minutes_docx, minutes_text, save_minutes

MINUTES_ES = """\
## Resumen
Se revisó el **presupuesto** de *mañana* con Ana Gómez.

## Decisiones
- Aprobar 12.500 EUR [12-14]
  - con revisión trimestral [15]

## Tareas
- **Ana Gómez**: enviar el contrato (due: viernes) [12:03]
- **Luis**: llamar a los clientes _(no source found)_
1. primero
2. segundo
   continúa aquí

## Preguntas abiertas
- ¿Quién firma? [20]
"""


def read_back(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_docx_styles_runs_and_citations():
    document = read_back(minutes_docx(MINUTES_ES, title="Acta de la reunión"))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs == [
        ("Title", "Acta de la reunión"),
        ("Heading 1", "Resumen"),
        ("Normal", "Se revisó el presupuesto de mañana con Ana Gómez."),
        ("Heading 1", "Decisiones"),
        ("List Bullet", "Aprobar 12.500 EUR [12-14]"),
        ("List Bullet 2", "con revisión trimestral [15]"),
        ("Heading 1", "Tareas"),
        ("List Bullet", "Ana Gómez: enviar el contrato (due: viernes) [12:03]"),
        ("List Bullet", "Luis: llamar a los clientes (no source found)"),
        ("List Number", "primero"),
        ("List Number", "segundo continúa aquí"),
        ("Heading 1", "Preguntas abiertas"),
        ("List Bullet", "¿Quién firma? [20]"),
    ]
    assert not any("*" in text or "_(" in text for _style, text in paragraphs)
    summary, owner, unverified = document.paragraphs[2], document.paragraphs[7], document.paragraphs[8]
    assert [(r.text, bool(r.bold), bool(r.italic)) for r in summary.runs] == [
        ("Se revisó el ", False, False), ("presupuesto", True, False), (" de ", False, False),
        ("mañana", False, True), (" con Ana Gómez.", False, False)]
    assert [r.text for r in owner.runs if r.bold] == ["Ana Gómez"]
    assert [r.text for r in unverified.runs if r.italic] == ["(no source found)"]


def test_docx_english_headings_levels_and_bold_section_lines():
    document = read_back(minutes_docx(
        "**Summary**\nShort.\n\n## Decisions\n### Budget\n- Ship it [3]\n\n## Action items\nNone.\n"))
    assert [(p.style.name, p.text) for p in document.paragraphs] == [
        ("Heading 1", "Summary"), ("Normal", "Short."), ("Heading 1", "Decisions"), ("Heading 2", "Budget"),
        ("List Bullet", "Ship it [3]"), ("Heading 1", "Action items"), ("Normal", "None.")]


def test_docx_core_properties_are_private():
    document = read_back(minutes_docx("## Summary\nHi.\n", title="Weekly sync"))
    props = document.core_properties
    assert props.title == "Weekly sync"
    assert props.author == "" and props.last_modified_by == "" and props.comments == ""
    created = props.created if props.created.tzinfo else props.created.replace(tzinfo=timezone.utc)
    assert abs(datetime.now(timezone.utc) - created) < timedelta(minutes=2)


def test_docx_without_title_has_no_title_paragraph():
    document = read_back(minutes_docx("## Summary\nHi.\n"))
    assert [p.style.name for p in document.paragraphs] == ["Heading 1", "Normal"]
    assert document.core_properties.title == ""


def test_plain_text_exactly():
    assert minutes_text(MINUTES_ES) == (
        "Resumen\n"
        "=======\n"
        "Se revisó el presupuesto de mañana con Ana Gómez.\n"
        "\n"
        "Decisiones\n"
        "==========\n"
        "• Aprobar 12.500 EUR [12-14]\n"
        "  • con revisión trimestral [15]\n"
        "\n"
        "Tareas\n"
        "======\n"
        "• Ana Gómez: enviar el contrato (due: viernes) [12:03]\n"
        "• Luis: llamar a los clientes (no source found)\n"
        "1. primero\n"
        "2. segundo continúa aquí\n"
        "\n"
        "Preguntas abiertas\n"
        "==================\n"
        "• ¿Quién firma? [20]\n"
    )


def test_plain_text_keeps_words_with_underscores_and_products():
    assert minutes_text("- rename file_name_v2 to 2*3*4 [7]\n") == "• rename file_name_v2 to 2*3*4 [7]\n"
    assert minutes_text("### Sub\n* one\n+ two\n\n---\n\nend\n") == "Sub\n===\n• one\n• two\n\nend\n"
    assert minutes_text("") == ""


def test_save_minutes_by_suffix(tmp_path):
    save_minutes(MINUTES_ES, tmp_path / "acta.md")
    assert (tmp_path / "acta.md").read_bytes() == MINUTES_ES.encode("utf-8")
    save_minutes(MINUTES_ES, tmp_path / "acta.TXT", title="Acta")
    assert (tmp_path / "acta.TXT").read_text(encoding="utf-8") == "Acta\n====\n\n" + minutes_text(MINUTES_ES)
    save_minutes(MINUTES_ES, tmp_path / "acta.docx", title="Acta")
    document = docx.Document(str(tmp_path / "acta.docx"))
    assert document.paragraphs[0].text == "Acta"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["acta.TXT", "acta.docx", "acta.md"]  # no temp left


@pytest.mark.parametrize("name", ["acta.pdf", "acta", "acta.doc"])
def test_save_minutes_refuses_other_suffixes(tmp_path, name):
    with pytest.raises(ValueError, match=r"\.md .*\.docx .*\.txt"):
        save_minutes(MINUTES_ES, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failed_write_leaves_the_old_file_untouched(tmp_path, monkeypatch, failing):
    path = tmp_path / "acta.md"
    path.write_text("old minutes", encoding="utf-8")

    def fail(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports.os, failing, fail)
    with pytest.raises(OSError, match="No space left"):
        save_minutes(MINUTES_ES, path)
    assert path.read_text(encoding="utf-8") == "old minutes"
    assert [p.name for p in tmp_path.iterdir()] == ["acta.md"]  # the temp file is removed


def test_missing_folder_is_an_os_error(tmp_path):
    with pytest.raises(OSError):
        save_minutes(MINUTES_ES, tmp_path / "gone" / "acta.txt")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_replacing_a_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "acta.txt"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o640)
    save_minutes(MINUTES_ES, path)
    assert path.stat().st_mode & 0o777 == 0o640
