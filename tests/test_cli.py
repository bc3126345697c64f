"""The command line, run as a user runs it: a subprocess, a fresh HOME, real models."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.test_engine import ANSWER_SCRIPT, THINK_SCRIPT
from tiny_gpt_oss import write_tiny_gpt_oss

SPANISH_EML = (
    "From: =?utf-8?q?Luc=C3=ADa?= <lucia@example.es>\nTo: marta@example.es\n"
    "Subject: =?utf-8?q?Reuni=C3=B3n?=\nDate: Mon, 23 Nov 2026 10:00:00 +0100\n"
    "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
    "Hola Marta, ¿podemos vernos el jueves a las 11:00?\nGracias, Lucía\n"
)
VTT = ("WEBVTT\n\n00:00:01.000 --> 00:00:04.000\n<v Ana>We ship on Friday.</v>\n\n"
       "00:00:04.000 --> 00:00:07.000\n<v Luis>I will update the release notes by Thursday.</v>\n")


@pytest.fixture
def env(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    e = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "PRIVATE_COPILOT"))}
    e.update(HOME=str(home), PYTHONUNBUFFERED="1")
    return e


def cli(args, env, tmp_path, stdin="", timeout=300):
    base = tmp_path / "base"
    return subprocess.run([sys.executable, "-m", "copilot", "--basedir", str(base), *args], input=stdin,
                          capture_output=True, text=True, env=env, timeout=timeout)


def test_rewrite_proofread_streams_smollm2(env, tmp_path, smol_path):
    secret = "Ths sentense has a speling eror that nobody else should read."
    r = cli(["rewrite", "--action", "proofread", "--model", str(smol_path), "--max-tokens", "30", "--seed", "1"],
            env, tmp_path, stdin=secret)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()
    # the user's text is never logged, and nothing is written outside --basedir
    log = (tmp_path / "base" / "logs" / "copilot.log")
    assert secret not in (log.read_text() if log.exists() else "")
    assert list((tmp_path / "home").iterdir()) == []


def test_gpt_oss_answer_without_markers_and_reasoning_on_stderr(env, tmp_path):
    model = write_tiny_gpt_oss(tmp_path / "answer.gguf", script=ANSWER_SCRIPT)
    r = cli(["rewrite", "--reasoning", "high", "--model", str(model)], env, tmp_path, stdin="hola mundo")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "Hola mundo\n"

    model = write_tiny_gpt_oss(tmp_path / "think.gguf", script=THINK_SCRIPT)
    r = cli(["rewrite", "--reasoning", "high", "--show-reasoning", "--max-tokens", "20", "--model", str(model)],
            env, tmp_path, stdin="hola")
    assert r.stdout.strip() == ""  # reasoning never reaches stdout
    assert "Pensando" in r.stderr and "<|" not in r.stderr
    assert "no answer" in r.stderr and r.returncode == 1


def test_random_tiny_gpt_oss_runs_with_high_reasoning(env, tmp_path, tiny_gpt_oss):
    r = cli(["rewrite", "--reasoning", "high", "--max-tokens", "40", "--show-reasoning", "--model",
             str(tiny_gpt_oss)], env, tmp_path, stdin="hola")
    assert r.returncode in (0, 1), r.stderr  # noise may hold no final message; it must not crash
    for marker in ("<|channel|>", "<|message|>", "<|start|>", "<|end|>", "<|return|>"):
        assert marker not in r.stdout and marker not in r.stderr


def test_reply_to_eml(env, tmp_path, smol_path):
    eml = tmp_path / "thread.eml"
    eml.write_bytes(SPANISH_EML.encode())
    r = cli(["reply", "--email", str(eml), "--points", "sí, el jueves me va bien", "--sign-off", "Marta",
             "--model", str(smol_path), "--max-tokens", "30", "--seed", "3"], env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()


def test_summarize_vtt_standup(env, tmp_path, smol_path):
    vtt = tmp_path / "standup.vtt"
    vtt.write_text(VTT)
    r = cli(["summarize", str(vtt), "--template", "standup", "--reasoning", "low", "--model", str(smol_path),
             "--max-tokens", "40", "--seed", "3"], env, tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip()


MINUTES = "## Decisions\n|- Ship on Friday |[1]\n|## Action items\n|- **Luis**: |update the release notes |(due: Thursday) |[2]\n|- **Ana**: buy a boat |[7]\n"


def _minutes_model(tmp_path):
    words = [w.replace(" ", "Ġ").replace("\n", "Ċ") for w in MINUTES.split("|")]
    return write_tiny_gpt_oss(tmp_path / "minutes.gguf", script=("<|channel|>", "final", "<|message|>", *words,
                                                                  "<|return|>"))


def test_summarize_json_gives_items_with_evidence_and_cue_times(env, tmp_path):
    vtt = tmp_path / "standup.vtt"
    vtt.write_text(VTT)
    r = cli(["summarize", str(vtt), "--json", "--reasoning", "low", "--model", str(_minutes_model(tmp_path))],
            env, tmp_path)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert set(data) == {"summary", "decisions", "action_items", "open_questions"}
    assert data["decisions"][0]["evidence"] == [{"line": 1, "start_time": 1.0, "quote": "Ana: We ship on Friday."}]
    notes, boat = data["action_items"]
    assert notes["owner"] == "Luis" and notes["due"] == "Thursday" and notes["verified"] is True
    assert notes["evidence"][0]["start_time"] == 4.0
    assert boat["verified"] is False and boat["evidence"] == [] and boat["problems"] == ["line 7 does not exist"]


def test_summarize_plain_keeps_markdown_citations_and_lists_what_has_no_source(env, tmp_path):
    r = cli(["summarize", "--reasoning", "low", "--model", str(_minutes_model(tmp_path))], env, tmp_path,
            stdin="Ana: We ship on Friday.\nLuis: I will update the release notes by Thursday.\n")
    assert r.returncode == 0, r.stderr
    assert r.stdout == MINUTES.replace("|", "")
    assert "1 of 3 items have no verified source in the transcript" in r.stderr
    assert "action_items\tbuy a boat\tline 7 does not exist" in r.stderr


@pytest.mark.parametrize("args, stdin, code, message", [
    (["rewrite", "--model", "{missing}"], "text", 3, "No model file"),
    (["rewrite", "--model", "{corrupt}"], "text", 3, "not a GGUF model file"),
    (["rewrite"], "text", 3, "no model chosen"),
    (["rewrite", "--model", "{smol}"], "   \n", 4, "no text"),
    (["rewrite", "--action", "custom", "--model", "{smol}"], "text", 4, "needs an instruction"),
    (["reply", "--email", "{missing}", "--model", "{smol}"], "", 4, ""),
    (["summarize", "{corrupt}", "--model", "{smol}"], "", 4, ""),
    (["rewrite", "--action", "shout"], "", 2, "unknown action 'shout'"),
    (["rewrite", "--ctx", "0"], "", 2, "positive"),
])
def test_errors_have_stable_exit_codes(env, tmp_path, smol_path, args, stdin, code, message):
    corrupt = tmp_path / "corrupt.bin"
    corrupt.write_bytes(b"\x00garbage" * 100)
    subst = {"{missing}": str(tmp_path / "missing.gguf"), "{corrupt}": str(corrupt), "{smol}": str(smol_path)}
    r = cli([subst.get(a, a) for a in args], env, tmp_path, stdin=stdin)
    assert r.returncode == code, r.stderr
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert r.stdout == ""


def test_input_too_long_for_context(env, tmp_path, smol_path):
    r = cli(["rewrite", "--model", str(smol_path), "--ctx", "512"], env, tmp_path, stdin="palabra " * 600)
    assert r.returncode == 1 and "too long" in r.stderr and "--ctx" in r.stderr


def test_doctor(env, tmp_path, smol_path):
    r = cli(["doctor", "--json", "--model", str(smol_path)], env, tmp_path)
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["model"]["status"] == "ok" and report["model"]["architecture"] == "llama"
    assert isinstance(report["llama_cpp"]["gpu_offload"], bool)
    assert report["memory"]["total_gb"] > 0
    assert report["paths"]["models"].startswith(str(tmp_path / "base"))
    text = cli(["doctor"], env, tmp_path)
    assert text.returncode == 0 and "llama.cpp" in text.stdout and "Model" in text.stdout


def test_a_looping_model_is_stopped_with_one_line_and_exit_1(env, tmp_path):
    model = write_tiny_gpt_oss(tmp_path / "loop.gguf",
                               script=("<|channel|>", "final", "<|message|>", "ĠWe", "Ġagree", "ĠWe"))
    r = cli(["rewrite", "--action", "continue", "--model", str(model), "--max-tokens", "1500"], env, tmp_path,
            stdin="Once upon a time")
    assert r.returncode == 1, r.stderr
    assert r.stderr.strip().splitlines() == ["private-copilot: The model started repeating itself; stopped. "
                                             "Try again or raise the reasoning effort."]
    assert r.stdout.startswith(" We agree We agree") and len(r.stdout.split()) < 100  # kept, and short


def test_check_flags_what_the_draft_adds(env, tmp_path):
    pytest.importorskip("dateparser")
    eml = tmp_path / "thread.eml"
    eml.write_text(SPANISH_EML, encoding="utf-8")
    draft = "Hola Lucía,\n\nSí, el jueves a las 11:00 me viene bien. El presupuesto será de 15.000 €.\n\nMarta"
    r = cli(["check", "-", "--source", str(eml), "--points", "sí al jueves a las 11"], env, tmp_path, stdin=draft)
    assert r.returncode == 0, r.stderr
    lines = [line.split("\t") for line in r.stdout.splitlines()]
    assert [kind for kind, *_ in lines] == ["amount"], r.stdout
    assert "15.000 €" in lines[0][1]
    r = cli(["check", "-", "--source", str(eml), "--json"], env, tmp_path, stdin=draft)
    found = json.loads(r.stdout)
    assert {"kind", "text", "start", "end", "reason"} <= set(found[0])
    assert all(draft[f["start"]:f["end"]] == f["text"] for f in found)
    # faithful: nothing, still exit 0
    r = cli(["check", "-", "--source", str(eml), "--points", "sí al jueves a las 11"], env, tmp_path,
            stdin="Hola Lucía, sí, el jueves a las 11:00 me viene bien. Gracias, Marta")
    assert r.returncode == 0 and r.stdout == "", r.stdout
    # bad input
    assert cli(["check", "-"], env, tmp_path).returncode == 2  # --source is required
    r = cli(["check", str(tmp_path / "missing.txt"), "--source", str(eml)], env, tmp_path)
    assert r.returncode == 4 and "no such file" in r.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_cancels_cleanly(env, tmp_path):
    # a model that writes in its final channel forever, still streaming when Ctrl+C comes: a cycle of
    # 25 different 20-letter tokens, too long a period (500 characters, no spaces) for the loop guard
    cycle = [f"Palabra{i:02d}" + "abcdefghijk" for i in range(25)]
    model = write_tiny_gpt_oss(tmp_path / "endless.gguf",
                               script=("<|channel|>", "final", "<|message|>", *cycle, cycle[0]))
    with subprocess.Popen(
        [sys.executable, "-m", "copilot", "--basedir", str(tmp_path / "base"), "rewrite", "--action", "continue",
         "--model", str(model), "--max-tokens", "100000", "--ctx", "120000"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    ) as proc:
        proc.stdin.write("Once upon a time, in a small village by the sea, there lived an old fisherman who")
        proc.stdin.close()
        assert proc.stdout.read(1)  # blocks until the answer streams
        proc.send_signal(signal.SIGINT)
        start = time.monotonic()
        code = proc.wait(timeout=60)
        assert time.monotonic() - start < 10
        stderr = proc.stderr.read()
    assert code == 130, stderr
    assert "Cancelled." in stderr and "Traceback" not in stderr


def test_max_tokens_is_honoured(env, tmp_path):
    model = write_tiny_gpt_oss(tmp_path / "x.gguf", always="x")
    r = cli(["rewrite", "--max-tokens", "7", "--model", str(model)], env, tmp_path, stdin="hola")
    assert r.stdout == "xxxxxxx\n"
    assert "cut at the length limit" in r.stderr and r.returncode == 0


def test_bench_reports_llama_bench_style_figures(env, tmp_path, smol_path):
    r = cli(["bench", str(smol_path), "--pp", "64", "--tg", "8", "--json"], env, tmp_path)
    assert r.returncode == 0, r.stderr
    result = json.loads(r.stdout)
    assert result["pp_tokens"] == 64 and result["tg_tokens"] == 8
    assert result["pp_tokens_per_second"] > 0 and result["tg_tokens_per_second"] > 0
    assert result["load_seconds"] > 0 and result["rss_mb"] > 50 and result["backend"] == "CPU"
    # the app's defaults on a CPU for a dense model: flash attention, f16 KV cache, 128-token passes
    assert (result["flash_attn"], result["kv_type"], result["n_ubatch"]) == (True, "f16", 128)
    text = cli(["bench", str(smol_path), "--pp", "32", "--tg", "4"], env, tmp_path)
    assert text.returncode == 0 and "pp32" in text.stdout and "tg4" in text.stdout
    assert " fa   kv ubatch" in text.stdout and " 1  f16    128" in text.stdout
    bad = cli(["bench", str(tmp_path / "missing.gguf")], env, tmp_path)
    assert bad.returncode == 3 and "No model file" in bad.stderr


def test_measure_leaves_the_engine_ready_for_chat(smol_engine):
    from copilot.core.engine import ChatRequest
    from copilot.core.events import Finished

    pp_s, tg_s = smol_engine.measure(32, 4)
    assert pp_s > 0 and tg_s > 0
    events = list(smol_engine.stream(ChatRequest([{"role": "user", "content": "Hi"}], max_tokens=3)))
    assert isinstance(events[-1], Finished) and events[-1].stats.cached_tokens == 0
