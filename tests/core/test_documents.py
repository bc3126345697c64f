"""Parsing of user documents: emails, captions, notes, .docx, and every error a user can meet."""

from __future__ import annotations

import io
import textwrap
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copilot.core.documents import (
    DocumentError,
    EmailMessage,
    EmailThread,
    Transcript,
    Utterance,
    html_to_text,
    load_email,
    load_transcript,
    parse_email_text,
    parse_eml,
    parse_plain,
    parse_srt,
    parse_vtt,
    read_docx_text,
)


def eml(text: str) -> bytes:
    """A message source as mail programs save it, with CRLF line ends (8-bit parts in UTF-8)."""
    return textwrap.dedent(text).lstrip("\n").replace("\n", "\r\n").encode("utf-8")


# --------------------------------------------------------------------------- .eml


SPANISH_QP = eml("""
    From: =?utf-8?q?Ana_G=C3=B3mez?= <ana@example.com>
    To: =?iso-8859-1?q?Luis_Pe=F1a?= <luis@example.com>
    Subject: =?UTF-8?B?UmV1bmnDs24gZGUgbWHDsWFuYQ==?=
    Date: Mon, 3 Jun 2024 10:00:00 +0200
    MIME-Version: 1.0
    Content-Type: text/plain; charset="utf-8"
    Content-Transfer-Encoding: quoted-printable

    Hola Luis, =C2=BFpodemos mover la reuni=C3=B3n a las 11? Ma=C3=B1ana no lle=
    go a tiempo porque tengo una cita con el dentista.
    """)


def test_eml_decodes_rfc2047_headers_and_quoted_printable_body():
    thread = parse_eml(SPANISH_QP)
    assert len(thread.messages) == 1
    msg = thread.latest
    assert msg.sender == "Ana Gómez <ana@example.com>"
    assert msg.to == "Luis Peña <luis@example.com>"
    assert msg.subject == thread.subject == "Reunión de mañana"
    assert msg.date == "Mon, 3 Jun 2024 10:00:00 +0200"
    assert msg.body == ("Hola Luis, ¿podemos mover la reunión a las 11? Mañana no llego a tiempo "
                        "porque tengo una cita con el dentista.")
    assert thread.context_text() == ""


def test_eml_prefers_the_plain_part_of_multipart_alternative():
    data = eml("""
        From: ana@example.com
        Subject: Hi
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="b1"

        --b1
        Content-Type: text/plain; charset=utf-8

        Plain version.
        --b1
        Content-Type: text/html; charset=utf-8

        <p>HTML version.</p>
        --b1--
        """)
    assert parse_eml(data).latest.body == "Plain version."


def test_eml_falls_back_to_html_converted_to_text_and_splits_the_gmail_quote():
    data = eml("""
        From: Luis <luis@example.com>
        Subject: Re: =?utf-8?q?Reuni=C3=B3n?=
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        --outer
        Content-Type: multipart/alternative; boundary="inner"

        --inner
        Content-Type: text/html; charset="iso-8859-1"
        Content-Transfer-Encoding: quoted-printable

        <html><head><style>p { color: red; }</style><title>x</title></head><body>
        <p>Confirmo la reuni=F3n.</p><p>Hasta&nbsp;ma=F1ana,<br>Luis</p>
        <ul><li>Sala&nbsp;2</li><li>11:00</li></ul>
        <div class=3D"gmail_quote"><div class=3D"gmail_attr">El lun, 3 jun 2024 a las 10:00, Ana =
        G=F3mez &lt;<a href=3D"mailto:ana@example.com">ana@example.com</a>&gt; escribi=F3:<br></div>
        <blockquote>=BFPodemos vernos a las 11?</blockquote></div>
        </body></html>
        --inner--
        --outer
        Content-Type: application/pdf; name="agenda.pdf"
        Content-Disposition: attachment; filename="agenda.pdf"
        Content-Transfer-Encoding: base64

        JVBERi0xLjQK
        --outer--
        """)
    thread = parse_eml(data)
    assert thread.latest.body == "Confirmo la reunión.\n\nHasta mañana,\nLuis\n- Sala 2\n- 11:00"
    assert thread.subject == "Re: Reunión"
    earlier, = thread.messages[:-1]
    assert earlier.sender == "Ana Gómez <ana@example.com>"
    assert earlier.date == "lun, 3 jun 2024 a las 10:00"
    assert earlier.body == "¿Podemos vernos a las 11?"


REPLY_CHAIN = eml("""
    From: Luis <luis@example.com>
    To: =?utf-8?q?Ana_G=C3=B3mez?= <ana@example.com>
    Subject: RE: Presupuesto 2025
    Date: Tue, 4 Jun 2024 09:00:00 +0200
    Content-Type: text/plain; charset=utf-8
    Content-Transfer-Encoding: 8bit

    Perfecto, lo firmo hoy.

    El lun, 3 jun 2024 a las 10:00, Ana (<ana@example.com>)
    escribió:
    > Luis, ¿puedes revisar la cifra?
    >
    > ________________________________
    > De: Luis <luis@example.com>
    > Enviado: viernes, 31 de mayo de 2024 18:00
    > Para: Ana Gómez <ana@example.com>;
    >   Marta <marta@example.com>
    > Asunto: Presupuesto 2025
    >
    > Adjunto el presupuesto: 12.500 EUR.
    > Un saludo
    """)


def test_reply_chain_splits_gmail_and_outlook_quotes_into_earlier_messages():
    thread = parse_eml(REPLY_CHAIN)
    first, second, latest = thread.messages
    assert latest.body == "Perfecto, lo firmo hoy."
    assert (latest.sender, latest.to) == ("Luis <luis@example.com>", "Ana Gómez <ana@example.com>")
    assert second.sender == "Ana <ana@example.com>"
    assert second.date == "lun, 3 jun 2024 a las 10:00"
    assert second.body == "Luis, ¿puedes revisar la cifra?"
    assert first == EmailMessage(
        sender="Luis <luis@example.com>",
        to="Ana Gómez <ana@example.com>; Marta <marta@example.com>",
        subject="Presupuesto 2025",
        date="viernes, 31 de mayo de 2024 18:00",
        body="Adjunto el presupuesto: 12.500 EUR.\nUn saludo",
    )
    assert thread.subject == "RE: Presupuesto 2025"
    assert thread.context_text() == (
        "From: Luis <luis@example.com>\nDate: viernes, 31 de mayo de 2024 18:00\n\n"
        "Adjunto el presupuesto: 12.500 EUR.\nUn saludo"
        "\n\n---\n\n"
        "From: Ana <ana@example.com>\nDate: lun, 3 jun 2024 a las 10:00\n\n"
        "Luis, ¿puedes revisar la cifra?"
    )


OUTLOOK_HTML = """\
<html><head><style>p.MsoNormal { margin: 0 }</style></head><body><div class=WordSection1>
<p class=MsoNormal>Hola Ana,<o:p></o:p></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoNormal>Te confirmo el jueves.<o:p></o:p></p>
<p class=MsoNormal>Luis<o:p></o:p></p>
<div><div style="border:none;border-top:solid #E1E1E1 1.0pt">
<p class=MsoNormal><b>De:</b> Ana G&oacute;mez &lt;ana@example.com&gt;<br><b>Enviado:</b> lunes, 3 de junio
de 2024 10:00<br><b>Para:</b> Luis<br><b>Asunto:</b> Jueves<o:p></o:p></p></div></div>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<div><div>&iquest;Nos vemos el jueves?</div><div><br></div><div>Ana</div></div>
</div></body></html>
"""


def test_html_to_text_keeps_outlook_lines_and_gmail_divs():
    assert html_to_text(OUTLOOK_HTML) == (
        "Hola Ana,\n\nTe confirmo el jueves.\nLuis\n"
        "De: Ana Gómez <ana@example.com>\nEnviado: lunes, 3 de junio de 2024 10:00\nPara: Luis\nAsunto: Jueves\n"
        "\n¿Nos vemos el jueves?\n\nAna"
    )
    assert html_to_text("<p>One</p><p>Two<br>three</p><script>x()</script><pre>a  b</pre>") == (
        "One\n\nTwo\nthree\na  b")


def test_outlook_html_reply_splits_at_the_spanish_header_block():
    earlier, latest = parse_email_text(html_to_text(OUTLOOK_HTML)).messages
    assert latest.body == "Hola Ana,\n\nTe confirmo el jueves.\nLuis"
    assert earlier == EmailMessage(sender="Ana Gómez <ana@example.com>", to="Luis", subject="Jueves",
                                   date="lunes, 3 de junio de 2024 10:00", body="¿Nos vemos el jueves?\n\nAna")


def test_eml_with_a_malformed_address_keeps_the_header_as_written():
    # The stdlib address parser raises on this; the header is shown as written instead.
    data = b"From: =?utf-8?q?Ana_G=C3=B3mez?= <\r\nTo: Luis\r\nSubject: Hola\r\n\r\nTexto"
    msg = parse_eml(data).latest
    assert (msg.sender, msg.to, msg.body) == ("Ana Gómez <", "Luis", "Texto")


def test_eml_with_an_unknown_charset_is_read_as_utf8():
    data = eml("""
        From: a@example.com
        Content-Type: text/plain; charset="x-no-such-charset"

        Hola
        """)
    assert parse_eml(data).latest.body == "Hola"


# --------------------------------------------------------------------------- pasted email text


def test_pasted_text_with_english_headers_and_an_outlook_original_message():
    thread = parse_email_text(textwrap.dedent("""\
        From: Bob Smith [mailto:bob@example.com]
        Sent: Monday, June 3, 2024 10:00 AM
        To: Ana
        Subject: Q3 report

        Thanks, I will send it on Friday.
        > an inline quote with no header is dropped
        Bob

        -----Original Message-----
        From: Ana <ana@example.com>
        Sent: Friday, May 31, 2024 5:00 PM
        Subject: Q3 report

        Could you send the Q3 report?
        """))
    earlier, latest = thread.messages
    assert latest == EmailMessage(sender="Bob Smith <bob@example.com>", to="Ana", subject="Q3 report",
                                  date="Monday, June 3, 2024 10:00 AM",
                                  body="Thanks, I will send it on Friday.\nBob")
    assert earlier.sender == "Ana <ana@example.com>"
    assert earlier.body == "Could you send the Q3 report?"


def test_pasted_text_with_spanish_headers_and_rfc2047_words():
    thread = parse_email_text(
        "De: =?utf-8?q?Ana_G=C3=B3mez?= <ana@example.com>\n"
        "Para: Luis\n"
        "Fecha: 3 de junio de 2024\n"
        "Asunto: Cambio de fecha\n"
        "\n"
        "¿Podemos pasarlo al jueves?\n"
    )
    assert thread.latest == EmailMessage(sender="Ana Gómez <ana@example.com>", to="Luis",
                                         subject="Cambio de fecha", date="3 de junio de 2024",
                                         body="¿Podemos pasarlo al jueves?")


def test_pasted_text_without_headers_is_one_message_and_wrapped_attribution_is_split():
    thread = parse_email_text(textwrap.dedent("""\
        Sounds good, see you then.

        On Mon, Jun 3, 2024 at 10:00 AM Ana Gómez <
        ana@example.com> wrote:

        > Shall we meet at 11?
        > On Sun, Jun 2, 2024, Bob wrote:
        >> Any time works.
        """))
    oldest, middle, latest = thread.messages
    assert latest == EmailMessage(sender="", to="", subject="", date="", body="Sounds good, see you then.")
    assert middle.sender == "Ana Gómez <ana@example.com>"
    assert middle.date == "Mon, Jun 3, 2024 at 10:00 AM"
    assert middle.body == "Shall we meet at 11?"
    assert (oldest.sender, oldest.date, oldest.body) == ("Bob", "Sun, Jun 2, 2024", "Any time works.")


def test_body_lines_that_look_like_headers_stay_in_the_body():
    text = "Hola,\nDe: lunes a viernes abrimos a las 9.\nTo: be confirmed\nSaludos"
    thread = parse_email_text(text)
    assert thread.messages == (EmailMessage(sender="", to="", subject="", date="", body=text),)


def test_pasted_raw_message_source_goes_through_the_mime_parser():
    source = SPANISH_QP.decode("ascii")
    assert parse_email_text("\n" + source).latest == parse_eml(SPANISH_QP).latest


def test_forwarded_message_without_headers_is_stripped():
    thread = parse_email_text("FYI\n\n---------- Forwarded message ---------\nsomething unparseable\n")
    assert len(thread.messages) == 1
    assert thread.latest.body == "FYI"


def test_thread_needs_a_message():
    with pytest.raises(ValueError):
        EmailThread(())


# --------------------------------------------------------------------------- captions

VTT = """\
WEBVTT
Kind: captions
Language: es

NOTE exported by the meeting app

STYLE
::cue(v[voice="Ana Gómez"]) { color: teal }

intro
00:00:01.000 --> 00:00:04.000 position:10%
<v Ana Gómez>Buenos días &amp; <i>bienvenidos</i>.</v>

00:04.000 --> 00:06.500
<v.loud Luis>¡Hola!</v>
<v Ana Gómez>Empecemos.</v>

00:00:06.500 --> 00:00:08.000
<v Ana Gómez>Primero, el presupuesto.</v>

00:00:08.000 --> 00:00:09.000
Marta: Tengo una pregunta.
"""

ROLLING_VTT = "\n".join([  # YouTube's automatic captions; a list, so that no editor trims the " " lines
    "WEBVTT",
    "Kind: captions",
    "",
    "00:00:00.160 --> 00:00:02.270 align:start position:0%",
    " ",  # padding YouTube writes before the text: not the end of the cue
    "hello<00:00:00.480><c> everyone</c>",
    "",
    "00:00:02.270 --> 00:00:02.280 align:start position:0%",
    "hello everyone",
    " ",
    "",
    "00:00:02.280 --> 00:00:05.000 align:start position:0%",
    "hello everyone",
    "welcome<00:00:02.600><c> to</c><c> the</c><c> call</c>",
    "",
    "00:00:05.000 --> 00:00:05.010 align:start position:0%",
    "welcome to the call",
    " ",
    "",
])


def test_vtt_voices_tags_entities_and_short_timestamps():
    transcript = parse_vtt(VTT)
    assert transcript.utterances == (
        Utterance("Ana Gómez", "Buenos días & bienvenidos.", 1.0),
        Utterance("Luis", "¡Hola!", 4.0),
        Utterance("Ana Gómez", "Empecemos.", 4.0),
        Utterance("Ana Gómez", "Primero, el presupuesto.", 6.5),
        Utterance("Marta", "Tengo una pregunta.", 8.0),
    )
    assert transcript.speakers() == ["Ana Gómez", "Luis", "Marta"]
    assert transcript.to_text() == (
        "Ana Gómez: Buenos días & bienvenidos.\n"
        "Luis: ¡Hola!\n"
        "Ana Gómez: Empecemos. Primero, el presupuesto.\n"
        "Marta: Tengo una pregunta."
    )


def test_vtt_rolling_duplicates_collapse():
    transcript = parse_vtt(ROLLING_VTT)
    assert [(u.text, u.start) for u in transcript.utterances] == [
        ("hello everyone", 0.16), ("welcome to the call", 2.28)]
    assert transcript.speakers() == []
    assert transcript.to_text() == "hello everyone\nwelcome to the call"


def test_vtt_same_text_from_another_voice_is_not_a_duplicate():
    transcript = parse_vtt("WEBVTT\n\n00:01.000 --> 00:02.000\n<v Ana>Sí\n\n00:02.000 --> 00:03.000\n<v Luis>Sí\n")
    assert transcript.to_text() == "Ana: Sí\nLuis: Sí"


SRT = """\
1
00:00:01,000 --> 00:00:03,500
Ana: Buenos días a todos,
gracias por venir.

2
00:00:03,500 --> 00:00:05,000
<i>seguimos con el plan</i>

3
00:01:05,250 --> 00:01:07,000
{\\an8}[Luis] De acuerdo.
- Marta: ¿Y el presupuesto?

4
01:00:00,000 --> 01:00:02,000
- Ya está aprobado.
"""


def test_srt_speakers_from_prefixes():
    transcript = parse_srt(SRT)
    assert transcript.utterances == (
        Utterance("Ana", "Buenos días a todos, gracias por venir.", 1.0),
        Utterance("Ana", "seguimos con el plan", 3.5),  # no name: the same speaker goes on
        Utterance("Luis", "De acuerdo.", 65.25),
        Utterance("Marta", "¿Y el presupuesto?", 65.25),
        Utterance("", "Ya está aprobado.", 3600.0),  # a dash marks a new, unnamed speaker
    )
    assert transcript.speakers() == ["Ana", "Luis", "Marta"]
    assert transcript.to_text().splitlines()[0] == "Ana: Buenos días a todos, gracias por venir. seguimos con el plan"


def test_srt_blank_lines_made_of_spaces_still_separate_cues():
    transcript = parse_srt("1\n00:00:01,000 --> 00:00:02,000\nHola\n  \n2\n00:00:02,000 --> 00:00:03,000\nAdiós\n")
    assert [u.text for u in transcript.utterances] == ["Hola", "Adiós"]


def test_srt_stray_blank_line_inside_a_cue_keeps_the_text_on_its_cue():
    transcript = parse_srt("1\n00:00:01,000 --> 00:00:03,500\nAna: Buenos días,\n\ngracias por venir.\n\n"
                           "7\n00:00:03,500 --> 00:00:05,000\nLuis: ¿Empezamos?\n\n2024\n")
    assert transcript.utterances == (
        Utterance("Ana", "Buenos días, gracias por venir.", 1.0),
        Utterance("Luis", "¿Empezamos? 2024", 3.5),  # a number alone is text unless a timing follows
    )


def test_vtt_text_between_cues_is_not_a_cue_text():
    # In WebVTT a line before a timing is the cue's id (Teams: a GUID), never its text.
    transcript = parse_vtt("WEBVTT\n\nc1b2a3d4-5e6f/12-0\n00:00:03.120 --> 00:00:05.480\n<v Ana Gómez>Hola.</v>\n\n"
                           "c1b2a3d4-5e6f/13-0\n00:00:05.480 --> 00:00:08.000\n<v Luis>Adiós.</v>\n")
    assert transcript.utterances == (Utterance("Ana Gómez", "Hola.", 3.12), Utterance("Luis", "Adiós.", 5.48))


@pytest.mark.parametrize("parse", [parse_vtt, parse_srt])
def test_captions_without_any_timing_are_an_error(parse):
    with pytest.raises(DocumentError, match="No timed captions"):
        parse("WEBVTT\n\njust some words\n")


# --------------------------------------------------------------------------- plain notes


def test_plain_notes_speakers_and_continuations():
    transcript = parse_plain(textwrap.dedent("""\
        Reunión semanal
        Ana Gómez: Empezamos con el presupuesto,
        que ya está aprobado.

        **Luis:** Perfecto.
        Marta: ¿Quién llama a los clientes?
        Luis: Yo.

        Próxima reunión el jueves.
        """))
    assert transcript.utterances == (
        Utterance("", "Reunión semanal", None),
        Utterance("Ana Gómez", "Empezamos con el presupuesto, que ya está aprobado.", None),
        Utterance("Luis", "Perfecto.", None),
        Utterance("Marta", "¿Quién llama a los clientes?", None),
        Utterance("Luis", "Yo.", None),
        Utterance("", "Próxima reunión el jueves.", None),
    )
    assert transcript.speakers() == ["Ana Gómez", "Luis", "Marta"]


def test_plain_times_urls_and_long_phrases_are_not_speakers():
    text = ("10:30 empezamos\n"
            "Ver https://example.com/acta\n"
            "Las próximas tareas del equipo de ventas: llamar a clientes\n")
    transcript = parse_plain(text)
    assert transcript.speakers() == []
    assert transcript.to_text() == text.strip()


def test_transcript_to_text_merges_only_consecutive_turns_of_a_named_speaker():
    transcript = Transcript((Utterance("Ana", "Uno.", 0.0), Utterance("Ana", "Dos.", 1.0),
                             Utterance("", "nota", None), Utterance("", "otra", None),
                             Utterance("Ana", "Tres.", 2.0)))
    assert transcript.to_text() == "Ana: Uno. Dos.\nnota\notra\nAna: Tres."


# --------------------------------------------------------------------------- .docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)


PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)


def docx(body_xml: str, *, parts: dict[str, str | None] | None = None) -> bytes:
    """A minimal .docx: content types, the package relationships (they name the main part,
    as Word and python-docx need) and word/document.xml around ``body_xml``; ``parts``
    replace or (as None) remove those files."""
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<w:document xmlns:w="{W_NS}"><w:body>{body_xml}</w:body></w:document>')
    files = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": PACKAGE_RELS, "word/document.xml": document,
             **(parts or {})}
    files = {name: content for name, content in files.items() if content is not None}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


MEETING_DOCX_BODY = (
    # Tab stops in the paragraph properties are layout, not text.
    '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
    "<w:r><w:t>Ana Gómez: </w:t></w:r><w:r><w:t>Revisamos el año.</w:t></w:r></w:p>"
    "<w:p/>"
    "<w:p><w:r><w:t>Luis:</w:t><w:tab/><w:t>Cifras</w:t><w:br/><w:t>en euros</w:t></w:r></w:p>"
    "<w:sdt><w:sdtContent><w:p><w:r><w:t>Marta: Conforme.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    "<w:tbl>"
    "<w:tr><w:tc><w:p><w:r><w:t>Tarea</w:t></w:r></w:p></w:tc>"
    "<w:tc><w:p><w:r><w:t>Responsable</w:t></w:r></w:p></w:tc></w:tr>"
    "<w:tr><w:tc><w:p><w:r><w:t>Contrato</w:t></w:r></w:p><w:p><w:r><w:t>firmado</w:t></w:r></w:p></w:tc>"
    "<w:tc><w:p><w:r><w:t>Ana</w:t></w:r></w:p></w:tc></w:tr>"
    "</w:tbl>"
    "<w:sectPr/>"
)


def test_docx_paragraphs_tabs_breaks_and_tables():
    assert read_docx_text(docx(MEETING_DOCX_BODY)) == (
        "Ana Gómez: Revisamos el año.\n"
        "\n"
        "Luis:\tCifras\nen euros\n"
        "Marta: Conforme.\n"
        "Tarea | Responsable\n"
        "Contrato firmado | Ana"
    )


MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def test_docx_runs_of_insertions_inline_controls_links_and_text_boxes_but_not_deletions():
    body = (
        f'<w:p xmlns:mc="{MC_NS}"><w:r><w:t xml:space="preserve">Ana: </w:t></w:r>'
        '<w:ins w:id="1" w:author="x"><w:r><w:t>añadido</w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="x"><w:r><w:delText>borrado</w:delText><w:tab/></w:r></w:del>'
        '<w:sdt><w:sdtContent><w:r><w:t xml:space="preserve"> el lunes</w:t></w:r></w:sdtContent></w:sdt>'
        '<w:hyperlink w:anchor="acta"><w:r><w:t xml:space="preserve"> (acta)</w:t></w:r></w:hyperlink>'
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:txbxContent><w:p><w:r>'
        '<w:t xml:space="preserve"> caja</w:t></w:r></w:p></w:txbxContent></mc:Choice>'
        '<mc:Fallback><w:txbxContent><w:p><w:r><w:t> caja</w:t></w:r></w:p></w:txbxContent></mc:Fallback>'
        "</mc:AlternateContent></w:r></w:p>"
    )
    assert read_docx_text(docx(body)) == "Ana: añadido el lunes (acta) caja"


def test_docx_written_by_word_like_tools_reads_back():
    import docx as python_docx

    document = python_docx.Document()
    document.core_properties.author = ""
    document.add_heading("Acta de la reunión", level=1)
    document.add_paragraph("Ana Gómez: Revisamos el año.")
    document.add_paragraph("Luis: ", style="List Bullet").add_run("Cifras").bold = True
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Tarea", "Responsable"
    buffer = io.BytesIO()
    document.save(buffer)
    assert read_docx_text(buffer.getvalue()) == (
        "Acta de la reunión\nAna Gómez: Revisamos el año.\nLuis: Cifras\nTarea | Responsable")


def test_docx_without_a_body_says_so():
    with pytest.raises(DocumentError, match="it has no body"):
        read_docx_text(docx("", parts={"word/document.xml": f'<w:document xmlns:w="{W_NS}"/>'}))
    with pytest.raises(DocumentError, match="old .doc file or a password-protected one"):
        read_docx_text(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))


def test_load_transcript_from_docx(tmp_path):
    path = tmp_path / "acta.docx"
    path.write_bytes(docx(MEETING_DOCX_BODY))
    transcript = load_transcript(path)
    assert transcript.speakers() == ["Ana Gómez", "Luis", "Marta"]
    assert transcript.utterances[0] == Utterance("Ana Gómez", "Revisamos el año.", None)


@pytest.mark.parametrize("data", [
    b"this is not a zip file",
    docx("", parts={"word/document.xml": None}),  # no word/document.xml
    docx("", parts={"_rels/.rels": None}),  # no package relationships: Word refuses it too
    docx("", parts={"word/document.xml": "<w:document"}),  # broken XML
    docx("", parts={"word/document.xml": f'<w:document xmlns:w="{W_NS}"/>'}),  # no body
    docx("", parts={"[Content_Types].xml": CONTENT_TYPES.replace(".main+xml", ".sheet.main+xml")}),  # not Word
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),  # an old .doc
], ids=["not-zip", "no-document", "no-rels", "bad-xml", "no-body", "not-word", "old-doc"])
def test_invalid_docx_is_a_document_error(data):
    with pytest.raises(DocumentError, match=r"is not a valid \.docx"):
        read_docx_text(data)


# --------------------------------------------------------------------------- loading files


def test_load_transcript_dispatches_by_suffix_case_insensitively(tmp_path):
    (tmp_path / "call.VTT").write_text(VTT, encoding="utf-8")
    (tmp_path / "call.srt").write_bytes(b"\xef\xbb\xbf" + SRT.encode("utf-8"))  # UTF-8 with BOM
    (tmp_path / "notes.md").write_text("# Notas\n\n**Ana:** Hola.\n", encoding="utf-8")
    assert load_transcript(tmp_path / "call.VTT") == parse_vtt(VTT)
    assert load_transcript(str(tmp_path / "call.srt")) == parse_srt(SRT)
    assert load_transcript(tmp_path / "notes.md").to_text() == "# Notas\nAna: Hola."


def test_load_transcript_reads_windows_cp1252_and_utf16_files(tmp_path):
    text = "Ana: Mañana revisamos la información.\r\nLuis: ¿A qué hora?\r\n"
    (tmp_path / "cp1252.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))  # Notepad's "Unicode", with its BOM
    for name in ("cp1252.txt", "utf16.txt"):
        transcript = load_transcript(tmp_path / name)
        assert transcript.to_text() == "Ana: Mañana revisamos la información.\nLuis: ¿A qué hora?"


def test_load_email_eml_and_txt(tmp_path):
    (tmp_path / "mensaje.eml").write_bytes(SPANISH_QP)
    (tmp_path / "mensaje.txt").write_bytes("De: Ana\nAsunto: Reunión\n\n¿Mañana?\n".encode("cp1252"))
    assert load_email(tmp_path / "mensaje.eml").subject == "Reunión de mañana"
    latest = load_email(tmp_path / "mensaje.txt").latest
    assert (latest.sender, latest.subject, latest.body) == ("Ana", "Reunión", "¿Mañana?")


# --------------------------------------------------------------------------- errors


def test_document_error_is_a_value_error():
    assert issubclass(DocumentError, ValueError)


@pytest.mark.parametrize("name, content, message", [
    ("slides.pdf", b"%PDF", r"slides\.pdf: .*cannot be read as a transcript.*\.vtt, \.srt, \.txt, \.md, \.docx"),
    ("empty.txt", b"", r"empty\.txt: the file is empty"),
    ("blank.vtt", b"\xef\xbb\xbf \r\n\n", r"blank\.vtt: the file is empty"),
    ("blank.docx", docx("<w:p/><w:p><w:r><w:t> </w:t></w:r></w:p>"), r"blank\.docx: the file is empty"),
    ("broken.docx", b"PK\x03\x04 truncated", r"broken\.docx: .*is not a valid \.docx"),
    ("nocues.srt", b"hello\nworld\n", r"nocues\.srt: No timed captions.*SubRip"),
    ("silent.vtt", b"WEBVTT\n\n00:01.000 --> 00:02.000\n<c></c>\n", r"silent\.vtt: the captions contain no text"),
])
def test_load_transcript_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        load_transcript(path)


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(DocumentError, match=r"gone\.vtt was not found"):
        load_transcript(tmp_path / "gone.vtt")
    with pytest.raises(DocumentError, match=r"gone\.eml was not found"):
        load_email(tmp_path / "gone.eml")
    (tmp_path / "folder.txt").mkdir()
    with pytest.raises(DocumentError, match=r"folder\.txt could not be read"):
        load_transcript(tmp_path / "folder.txt")


@pytest.mark.parametrize("name, content, message", [
    ("mail.msg", b"\xd0\xcf\x11\xe0", r"mail\.msg: Outlook \.msg files cannot be read.*Text Only"),
    ("mail.pdf", b"%PDF", r"mail\.pdf: .*cannot be read as an email.*\.eml or \.txt"),
    ("empty.eml", b"\r\n", r"empty\.eml: The email file is empty"),
    ("empty.txt", b"\xef\xbb\xbf  \n", r"empty\.txt: The email is empty"),
    ("nothing.eml", b"X-Mailer: test\r\n\r\n\r\n", r"nothing\.eml: This file does not contain an email"),
])
def test_load_email_errors(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        load_email(path)


def test_parsers_reject_empty_emails():
    with pytest.raises(DocumentError, match="empty"):
        parse_eml(b"  \r\n")
    with pytest.raises(DocumentError, match="empty"):
        parse_email_text("\ufeff \n\t")


# --------------------------------------------------------------------------- robustness

@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from("Ana:<>v.-[] \n\t0123456789,→>&;WEBVTTNOTEOnEl wrote escribió De")))
def test_parsers_never_fail_on_arbitrary_text(text):
    """Whatever a user opens or pastes: a result, or a DocumentError, never a crash."""
    for parse in (parse_vtt, parse_srt, parse_plain, parse_email_text):
        try:
            parse(text)
        except DocumentError:
            pass


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    import copilot.core.documents as documents

    monkeypatch.setattr(documents, "MAX_FILE_BYTES", 1000)
    path = tmp_path / "huge.vtt"
    path.write_bytes(b"WEBVTT\n\n" + b"x" * 2000)
    with pytest.raises(DocumentError, match=r"huge\.vtt is 0 MB, too large.*limit is 0 MB"):
        load_transcript(path)
