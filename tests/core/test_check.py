"""The commitment check on tables: invented facts are flagged with their spans, faithful drafts
produce nothing. (bench/trust_drafts.py is a separate, larger set for measuring, not tuning.)"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copilot.core.check import Finding, check_draft, parse_email_date, summary_line

REF = datetime(2026, 3, 20, 9, 30)  # a Friday; Thursday the 26th, Friday the 27th

THREAD_EN = ("From: Anna Smith <anna.smith@acme.com>\nDate: Fri, 20 Mar 2026 09:30:00 +0100\nSubject: Chairs\n\n"
             "Hi,\nCould you send us a quote for the 40 chairs? Our budget is around $5,000.\n"
             "We could meet on Thursday 26 March or Friday 27 March to discuss it.\nThanks,\nAnna")
THREAD_ES = ("De: Carlos Ruiz <carlos@ruiz.es>\n\nHola,\n¿Podéis enviarnos el presupuesto de las 3 mesas? "
             "Nos gustaría tenerlo antes del 27 de marzo. Si os va bien, podemos vernos el jueves 26 a las 10:00.\n"
             "Un saludo,\nCarlos")

# (id, draft, sources, points, mode, [(kind, text), ...] expected findings, in draft order)
FLAGGED = [
    ("en-amount-invented", "Hi Anna, the quote for the 40 chairs is 3.500 €.", [THREAD_EN], "quote 3.200 €", "reply",
     [("amount", "3.500 €")]),
    ("en-currency-changed", "Hi Anna, we can do it for 5,000 €.", [THREAD_EN], "yes, within budget", "reply",
     [("amount", "5,000 €")]),
    ("en-date-changed", "Hi Anna, March 28 works for us.", [THREAD_EN], "ok", "reply", [("date", "March 28")]),
    ("en-weekday-invented", "Hi Anna, let's meet on Monday.", [THREAD_EN], "ok", "reply", [("date", "Monday")]),
    ("en-relative-wrong", "See you tomorrow.", ["Can we talk next Tuesday?"], "sí, el martes", "reply",
     [("date", "tomorrow")]),
    ("en-time-invented", "Hi Anna, Thursday at 11:30 is perfect.", [THREAD_EN], "jueves a las 11", "reply",
     [("time", "11:30")]),
    ("en-percent-invented", "We can offer a 15 % discount on the 40 chairs.", [THREAD_EN], "offer 10% discount",
     "reply", [("percent", "15 %")]),
    ("en-number-changed", "The quote covers 45 chairs.", [THREAD_EN], "ok", "reply", [("number", "45")]),
    ("en-email-invented", "Please write to sales@acme-chairs.com for the details.", [THREAD_EN], "ok", "reply",
     [("email", "sales@acme-chairs.com")]),
    ("en-url-invented", "The catalogue is at https://chairs.example.org/catalogue.", [THREAD_EN], "ok", "reply",
     [("url", "https://chairs.example.org/catalogue")]),
    ("en-phone-invented", "Call me on +44 20 7946 0958 if anything is unclear.", [THREAD_EN], "ok", "reply",
     [("phone", "+44 20 7946 0958")]),
    ("en-name-invented", "Hi Anna, my colleague Peter will prepare the quote.", [THREAD_EN], "ok", "reply",
     [("name", "Peter")]),
    ("en-promise-strong", "Hi Anna, we guarantee the chairs arrive in perfect condition.", [THREAD_EN],
     "say yes to the quote", "reply", [("commitment", "we guarantee")]),
    ("en-promise-tied", "Hi Anna, I will deliver the chairs on 2 April.", [THREAD_EN], "yes", "reply",
     [("commitment", "I will"), ("date", "2 April")]),
    ("en-promise-unasked", "Thanks for the report. I'll call you to go through it.", ["Here is the report."], "",
     "reply", [("commitment", "I'll")]),
    ("es-amount-words", "Hola Carlos, el presupuesto de las 3 mesas es de quince mil euros.", [THREAD_ES],
     "presupuesto 12.000 €", "reply", [("amount", "quince mil euros")]),
    ("es-date-invented", "Hola Carlos, os lo enviamos el 30 de marzo.", [THREAD_ES], "lo enviamos", "reply",
     [("date", "30 de marzo")]),
    ("es-weekday-mismatch", "Hola Carlos, nos vemos el viernes 26 a las 10:00.", [THREAD_ES], "sí", "reply",
     [("date", "viernes 26")]),
    ("es-time-words", "Hola Carlos, el jueves 26 a las once y media me va bien.", [THREAD_ES], "sí", "reply",
     [("time", "las once y media")]),
    ("es-percent-words", "Hola Carlos, os aplicamos un veinte por ciento de descuento.", [THREAD_ES],
     "descuento del 10 %", "reply", [("percent", "veinte por ciento")]),
    ("es-confirm-tied", "Hola Carlos, te confirmo la reunión del jueves 19.", [THREAD_ES], "sí al jueves 26",
     "reply", [("commitment", "te confirmo"), ("date", "jueves 19")]),
    ("es-promise-strong", "Hola Carlos, me comprometo a mandaros el presupuesto antes del 27 de marzo.",
     [THREAD_ES], "sí, lo mandamos", "reply", [("commitment", "me comprometo")]),
    ("es-future-unasked", "Gracias por el informe. Mañana enviaré los comentarios.", ["Adjunto el informe."], "",
     "reply", [("date", "Mañana"), ("commitment", "enviaré")]),
    ("es-name-invented", "Hola Carlos, Lucía os enviará el presupuesto y se lo pasaremos a Javier.", [THREAD_ES],
     "sí", "reply", [("name", "Lucía"), ("commitment", "pasaremos"), ("name", "Javier")]),
    ("cross-date", "Yes, Thursday the 28th at 11:00 works for me.", ["Can we meet next week?"],
     "sí al jueves 27 a las 11", "reply", [("date", "Thursday the 28th")]),
    ("cross-time", "Yes, Thursday the 27th at 12:00 works for me.", ["Can we meet next week?"],
     "sí al jueves 27 a las 11", "reply", [("time", "12:00")]),
    ("rw-number", "We need 14 boxes by Friday, please.", ["we need 15 boxes by friday please"], "", "rewrite",
     [("number", "14")]),
    ("rw-amount", "The total is 1.250 € plus VAT.", ["the total is 1.200 € plus VAT"], "", "rewrite",
     [("amount", "1.250 €")]),
    ("rw-date", "Nos vemos el 4 de abril en la oficina.", ["nos vemos el 3 de abril en la oficina"], "", "rewrite",
     [("date", "4 de abril")]),
    ("rw-name", "Please send the contract to Maria.", ["pls send the contract to Marta"], "", "rewrite",
     [("name", "Maria")]),
    ("rw-swap", "We ordered 15 chairs and 12 tables.", ["we ordered 12 chairs and 15 tables"], "", "rewrite",
     [("number", "15"), ("number", "12")]),
    ("en-greeting-invented", "Hi John,\n\nThanks, the quote follows.", [THREAD_EN], "ok", "reply",
     [("name", "John")]),
    ("en-range-changed", "Hi Anna, we can do March 26-28.", [THREAD_EN], "ok", "reply", [("date", "28")]),
    ("rw-promise", "I promise the report will be ready on Monday.", ["the report should be ready monday"], "",
     "rewrite", [("commitment", "I promise")]),
]

FAITHFUL = [
    ("en-reply", "Hi Anna,\n\nThanks for your email. The quote for the 40 chairs is $4,800, within your budget "
                 "of $5,000. Thursday 26 March works for me.\n\nBest,\nDavid",
     [THREAD_EN], "quote 4800 dollars, yes to thursday", "reply"),
    ("en-amount-formats", "Hi Anna, the quote is €12,000 (12.000 € incl. delivery), i.e. 12,000 EUR.", [THREAD_EN],
     "doce mil euros", "reply"),
    ("en-weekday-from-date", "Hi Anna, Friday suits me. See you then.", [THREAD_EN], "ok", "reply"),
    ("en-relative", "Sure, see you tomorrow at 11 am.", ["Are you free on Saturday at 11?"], "yes", "reply"),
    ("en-small-words", "Thanks Anna, one of us will bring a couple of samples and two catalogues.", [THREAD_EN],
     "yes, we'll bring samples", "reply"),
    ("en-list", "Hi Anna, two questions:\n1. Do you need the 40 chairs assembled?\n2. Is the budget of $5,000 "
                "firm?\n\nKind regards,\nDavid", [THREAD_EN], "ask questions", "reply"),
    ("en-greeting-from-header", "Dear Ms. Smith,\n\nthank you. We will send the quote on Friday 27 March.",
     [THREAD_EN], "yes, send quote friday", "reply"),
    ("es-reply", "Hola Carlos:\n\nOs enviaremos el presupuesto de las tres mesas antes del 27 de marzo. "
                 "El jueves 26 a las 10 nos va bien.\n\nUn saludo,\nLucía", [THREAD_ES], "sí a todo", "reply"),
    ("es-idioms", "Mil gracias, Carlos. Un par de cosas más: ¿las mesas son de madera?", [THREAD_ES], "", "reply"),
    ("es-morning", "Hola Carlos, el jueves por la mañana, a las 10:00, perfecto.", [THREAD_ES], "vale", "reply"),
    ("cross-language", "Yes, Thursday the 27th at 11:00 works for me.", ["Can we meet next week?"],
     "sí al jueves 27 a las 11", "reply"),
    ("cross-language-es", "Sí, te envío el presupuesto de 12.000 € el viernes.", ["Can you send the quote?"],
     "yes, 12,000 EUR quote on Friday", "reply"),
    ("rw-proofread", "We need 15 boxes by Friday, 27 March, at 11:00. The total is 1.200 €.",
     ["we need fifteen boxes by friday 27 march at 11 am. the total is 1200 EUR"], "", "rewrite"),
    ("rw-formal-es", "Estimado Carlos: le confirmo que el pedido de 3 mesas llegará el jueves 26 a las diez.",
     ["carlos te confirmo q el pedido de 3 mesas llega el jueves 26 a las 10"], "más formal", "rewrite"),
    ("cross-language-range", "Hola Anna, nos va bien del 26 al 27 de marzo.",
     ["Could we do the workshop on March 26-27?\nAnna"], "sí a las fechas", "reply"),
    ("signature-title", "Hi Anna,\n\nthe quote follows on Friday.\n\nKind regards,\nPeter Novak\nDirector of Sales",
     [THREAD_EN], "yes, quote on friday", "reply"),
    ("heading-line", "Hi Anna,\n\nNext Steps\nWe prepare the quote for the 40 chairs.", [THREAD_EN], "ok", "reply"),
    ("points-cover-promise", "Sure, I'll book the room for the 40 people.", ["We are 40 people."],
     "book room", "reply"),
    ("sentence-with-decimals", "We will pay the €1,250.50 by the end of the month.", ["Invoice: €1,250.50"],
     "pay it by end of month", "reply"),
    ("rw-lowercase-month", "Please reply by May 12.", ["pls reply by may 12"], "", "rewrite"),
    ("html-source", "Hola, el precio es de 3.000 € y nos vemos el jueves a las 10.",
     ["<html><body><p>El precio es de 3.000&nbsp;&euro;.<br>¿Nos vemos el jueves a las 10?</p></body></html>"],
     "vale", "reply"),
    ("qp-source", "Hola, el precio es de 3.000 € y nos vemos el jueves a las 10.",
     ["El precio es de 3.000 =E2=82=AC. =C2=BFNos vemos el jueves=\n a las 10?"], "vale", "reply"),
]


def _check(draft, sources, points, mode):
    findings = check_draft(draft, sources, points=points, reference=REF, mode=mode)
    for f in findings:
        assert draft[f.start:f.end] == f.text, f
        assert f.reason and f.kind in {"date", "time", "amount", "percent", "number", "email", "url", "phone",
                                       "name", "commitment"}
    return findings


@pytest.mark.parametrize("draft,sources,points,mode,expected", [c[1:] for c in FLAGGED], ids=[c[0] for c in FLAGGED])
def test_planted_facts_are_flagged(draft, sources, points, mode, expected):
    findings = _check(draft, sources, points, mode)
    assert [(f.kind, f.text) for f in findings] == expected, [f.as_dict() for f in findings]


@pytest.mark.parametrize("draft,sources,points,mode", [c[1:] for c in FAITHFUL], ids=[c[0] for c in FAITHFUL])
def test_faithful_drafts_have_no_finding(draft, sources, points, mode):
    assert _check(draft, sources, points, mode) == []


@pytest.mark.parametrize("draft,source,expected", [
    ("We need 14 boxes.", "we need 15 boxes", "the rewrite says 14 where the text says 15"),
    ("Nos vemos el 4 de abril.", "nos vemos el 3 de abril", "the rewrite says 4 de abril where the text says 3 de abril"),
    ("The total is 1.250 €.", "the total is 1.200 €", "the rewrite says 1.250 € where the text says 1.200 €"),
])
def test_rewrite_pairs_the_changed_value(draft, source, expected):
    [finding] = _check(draft, [source], "", "rewrite")
    assert finding.reason == expected


def test_rewrite_reasons_speak_of_the_original():
    [f] = _check("I promise the report will be ready on Monday.", ["the report should be ready monday"], "",
                 "rewrite")
    assert f.reason == "a stronger promise (I promise) than the original text makes"
    [f] = _check("See you at 3 pm.", ["see you at 2 pm"], "", "rewrite")
    assert (f.text, f.reason) == ("3 pm", "the rewrite says 3 pm where the text says 2 pm")


def test_reasons_name_the_missing_fact():
    [f] = _check("The quote is 15.000 €.", ["Send the quote"], "quote 12.000 €", "reply")
    assert f.reason == "15.000 € is not in the email or your points"
    assert f.as_dict() == {"kind": "amount", "text": "15.000 €", "start": 13, "end": 21, "reason": f.reason}
    [f] = _check("The quote is 15.000 €.", ["Send the quote of 12.000 €"], "", "reply")
    assert f.reason == "15.000 € is not in the email"


def test_a_fact_inside_a_date_is_not_flagged_twice():
    findings = _check("Let's meet on 2026-04-03 at 11:00, I'd say.", ["Let's meet next week"], "ok", "reply")
    assert [(f.kind, f.text) for f in findings] == [("date", "2026-04-03"), ("time", "11:00")]


def test_reference_resolves_relative_dates():
    sources = ["Can we meet on Monday 23 March?"]
    assert _check("Sure, see you Monday.", sources, "yes", "reply") == []
    # from a Sunday the 22nd, tomorrow is the Monday that was asked for; from a Friday it is not
    assert check_draft("Sure, see you tomorrow.", sources, points="yes", reference=date(2026, 3, 22)) == []
    assert [f.text for f in check_draft("Sure, see you tomorrow.", sources, points="yes", reference=REF)] \
        == ["tomorrow"]


def test_dateparser_fallback_reads_forms_the_patterns_do_not():
    findings = _check("The invoice is due 4-Dec-2026.", ["The invoice is due 3-Dec-2026."], "ok", "reply")
    assert [(f.kind, f.text) for f in findings] == [("date", "4-Dec-2026")]
    assert _check("The invoice is due 3-Dec-2026.", ["The invoice is due 3-Dec-2026."], "ok", "reply") == []


def test_empty_and_odd_input():
    assert check_draft("", ["anything"]) == []
    assert check_draft("   \n", ["anything"]) == []
    assert check_draft("Thanks!", []) == []
    weird = "<div>=\n=E2=82=AC =ZZ &amp; &#9999999; <b>12 &euro;</b>\x00</div>"
    assert [f.text for f in check_draft("It is 12 €.", [weird], reference=REF)] == []
    check_draft(weird, [weird, ""], points=weird, reference=datetime(2026, 3, 20, tzinfo=timezone.utc))


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.:/-€$%@ajuevsmñTFM\n")), max_size=80), st.text(max_size=40))
def test_offsets_always_match_on_arbitrary_text(draft, source):
    for f in check_draft(draft, [source], points=source, reference=REF):
        assert draft[f.start:f.end] == f.text
        assert isinstance(f, Finding)


def test_parse_email_date():
    assert parse_email_date("Fri, 20 Mar 2026 09:30:00 +0100") == datetime(2026, 3, 20, 9, 30, tzinfo=timezone.utc).replace(
        tzinfo=parse_email_date("Fri, 20 Mar 2026 09:30:00 +0100").tzinfo)
    assert parse_email_date("Fri, 20 Mar 2026 09:30:00 +0100").utcoffset().total_seconds() == 3600
    assert parse_email_date("not a date") is None
    assert parse_email_date("") is None


def test_summary_line():
    findings = _check("Hi Anna, I will send 15.000 € on Monday.", [THREAD_EN], "yes", "reply")
    assert len(findings) == 3
    line = summary_line(findings)
    assert line.startswith("3 things to check: ") and "15.000 € is not in the email or your points" in line
    es = summary_line(findings, lang="es")
    assert es.startswith("3 cosas que revisar: ") and "15.000 € no está en el correo ni en tus notas" in es
    assert summary_line(findings[:1]).startswith("1 thing to check: ")
    assert summary_line([]) == ""


def test_fast_after_the_first_call():
    paragraph = ("Thanks for the update on the project. We reviewed the figures with the team and the plan looks "
                 "good. The delivery of 250 units is planned for Thursday 26 March at 10:00 and the invoice of "
                 "4.500 € follows a week later. ")
    thread = "From: Maria Lopez <maria@acme.es>\n\n" + paragraph * 55          # ~2,000 words
    draft = "Hi Maria,\n\n" + paragraph * 8                                      # ~300 words
    check_draft(draft, [thread], points="ok", reference=REF)
    times = []
    for i in range(3):
        t0 = time.perf_counter()
        findings = check_draft(draft.replace("250", str(260 + i)), [thread], points="ok", reference=REF)
        times.append(time.perf_counter() - t0)
        assert len(findings) == 8
    assert min(times) < 0.1, times


def test_import_is_light():
    code = "import sys, copilot.core.check; print('dateparser' in sys.modules, 'text_to_num' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["False", "False"], out.stdout + out.stderr


def test_each_reason_in_the_language_of_the_summary():
    from copilot.core.check import reason_in

    f = next(f for f in check_draft("Pagaremos 15.000 € mañana.", ["¿Cuándo pagáis?"], points="pagamos mañana")
             if f.kind == "amount")
    assert reason_in(f, "es") == "15.000 € no está en el correo ni en tus notas"
    assert reason_in(f, "en") == f.reason == "15.000 € is not in the email or your points"
