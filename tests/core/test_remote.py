"""The server engine: an OpenAI-compatible Chat Completions client, and the local fallback.

A fake server (tests/fake_openai.py) plays vLLM, llama-server and Ollama and everything that
goes wrong; llama-cpp-python's own server, serving SmolLM2 and a scripted tiny gpt-oss, checks
the real thing end to end.
"""

from __future__ import annotations

import logging
import socket
import threading
import time

import pytest

from copilot.core.engine import ChatRequest, EngineError, LocalEngine, ModelConfig, Sampling
from copilot.core.events import Answer, Failed, Finished, Notice, Reasoning
from copilot.core.harmony import MARKERS
from copilot.core.remote import DEFAULT_CTX, FallbackEngine, RemoteConfig, RemoteEngine, ServerUnavailable
from fake_openai import LLAMA_SERVER_MODELS, OLLAMA_MODELS, RAW_HARMONY, RAW_HARMONY_TEXT, VLLM_MODELS, FakeOpenAI
from tests.conftest import start_llama_server
from tests.core.test_engine import ANSWER_SCRIPT, THINK_SCRIPT
from tiny_gpt_oss import write_tiny_gpt_oss

SYSTEM = {"role": "system", "content": "You are a careful proofreader. Correct the user's text."}
MESSAGES = [SYSTEM, {"role": "user", "content": "Ths sentense has erors."}]
KEY = "sk-test-5eCr3t-d0-not-l0g"


def request(**kw) -> ChatRequest:
    return ChatRequest(kw.pop("messages", MESSAGES), **kw)


def ended(events):
    """The one Finished or Failed, which must come last."""
    ends = [e for e in events if isinstance(e, (Finished, Failed))]
    assert len(ends) == 1 and events[-1] is ends[0], events[-3:]
    return ends[0]


def text_of(events, kind) -> str:
    return "".join(e.text for e in events if isinstance(e, kind))


@pytest.fixture
def fake():
    """Start fake servers with knobs; all stopped in teardown."""
    servers: list[FakeOpenAI] = []

    def make(**knobs) -> FakeOpenAI:
        server = FakeOpenAI(**knobs).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.stop()


@pytest.fixture
def engine():
    engine = RemoteEngine()
    yield engine
    engine.close()


@pytest.fixture
def refused_url():
    """An address where nothing listens: a bound socket that never listens refuses at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        yield f"http://127.0.0.1:{s.getsockname()[1]}/v1"


def connect(engine, server, **config):
    return engine.load(RemoteConfig(server.url, **config))


def timed_cancel(engine, delay: float):
    """Cancel from another thread after ``delay``; returns (timer, dict that gets the time it fired)."""
    fired = {}

    def fire():
        fired["t"] = time.perf_counter()
        engine.cancel()

    timer = threading.Timer(delay, fire)
    timer.start()
    return timer, fired


# -- streaming: reasoning and answer ----------------------------------------------------------
@pytest.mark.parametrize("models, field", [(VLLM_MODELS, "reasoning_content"), (OLLAMA_MODELS, "reasoning")],
                         ids=["vllm", "ollama"])
def test_reasoning_then_answer_events(fake, engine, models, field):
    server = fake(models=models, reasoning_field=field)
    info = connect(engine, server)
    assert info.name == models[0]["id"] and info.harmony and info.architecture == "remote"
    events = list(engine.stream(request(reasoning_effort="high", max_tokens=64,
                                        sampling=Sampling(temperature=0.2, top_p=0.9))))
    end = ended(events)
    assert events[:-1] == [Reasoning("Let me "), Reasoning("think"), Reasoning("."),
                           Answer("Hello"), Answer(", world"), Answer(".")]
    assert isinstance(end, Finished)
    s = end.stats
    assert (s.prompt_tokens, s.generated_tokens, s.cached_tokens, s.stop_reason) == (21, 7, 0, "stop")
    assert s.time_to_first_token > 0 and s.tokens_per_second >= 0
    body = server.chats()[0].body
    assert body["model"] == models[0]["id"] and body["messages"] == MESSAGES
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    assert body["reasoning_effort"] == "high" and body["max_tokens"] == 64
    assert (body["temperature"], body["top_p"]) == (0.2, 0.9)


@pytest.mark.parametrize("model_id, harmony", [
    ("openai/gpt-oss-20b", True), ("gpt-oss:120b", True), ("ggml-org/gpt-oss-20b-GGUF", True),
    ("unsloth/GPT_OSS-20B", True), ("Qwen/Qwen3-8B", False), ("llama3.2:3b", False),
])
def test_reasoning_effort_is_sent_to_gpt_oss_only(fake, engine, model_id, harmony):
    server = fake(models=[{"id": model_id, "object": "model"}])
    assert connect(engine, server).harmony is harmony
    assert isinstance(ended(list(engine.stream(request(reasoning_effort="low")))), Finished)
    body = server.chats()[0].body
    assert body["model"] == model_id
    assert body.get("reasoning_effort") == ("low" if harmony else None)
    assert "max_tokens" not in body and "temperature" not in body


def test_finish_reason_length(fake, engine):
    connect(engine, fake(finish_reason="length"))
    assert ended(list(engine.stream(request(max_tokens=6)))).stats.stop_reason == "length"


def test_without_usage_the_deltas_are_counted(fake, engine):
    connect(engine, fake(usage=None, reasoning=(), content=("a", "b", "c", "d")))
    end = ended(list(engine.stream(request())))
    assert end.stats.generated_tokens == 4 and end.stats.prompt_tokens == 0


def test_plain_answer_with_lone_angle_brackets_is_kept_whole(fake, engine):
    # a harmony model's parsed answer that happens to end a delta in "<": held back, never lost
    connect(engine, fake(models=VLLM_MODELS, reasoning=(), content=("1 <", " 2", " and 3 <")))
    events = list(engine.stream(request()))
    assert text_of(events, Answer) == "1 < 2 and 3 <" and isinstance(ended(events), Finished)


def test_markers_from_a_model_that_is_not_gpt_oss_are_left_alone(fake, engine):
    connect(engine, fake(reasoning=(), content=("type <|", "endoftext|> to stop")))
    events = list(engine.stream(request()))
    assert events[:-1] == [Answer("type <|"), Answer("endoftext|> to stop")]


# -- raw harmony in content (servers that do not parse gpt-oss's channels) ------------------------
@pytest.mark.parametrize("deltas", [
    RAW_HARMONY,
    tuple(RAW_HARMONY_TEXT),  # one character at a time
    ("<", "|channel|>analysis<|message|>Let me think.<|end|>", "<|start|>assistant<|channel|>final<|message|>",
     "Hola mundo"),
    ("<|channel|>analysis<|message|>Let me think.<|end|><|start|>assistant<|channel|>final<|message|>Hola mundo",),
], ids=["awkward", "by-character", "lone-angle", "whole"])
def test_raw_harmony_is_split_into_reasoning_and_answer(fake, engine, deltas):
    connect(engine, fake(models=LLAMA_SERVER_MODELS, raw_harmony=deltas))
    events = list(engine.stream(request()))
    assert isinstance(ended(events), Finished)
    assert text_of(events, Reasoning) == "Let me think."
    assert text_of(events, Answer) == "Hola mundo"
    kinds = [type(e) for e in events if isinstance(e, (Reasoning, Answer))]
    assert kinds == sorted(kinds, key=lambda k: k is Answer)  # all reasoning before any answer
    for e in events[:-1]:
        assert not any(m in e.text for m in MARKERS) and "<|" not in e.text, e


# -- /v1/models ----------------------------------------------------------------------------
@pytest.mark.parametrize("models, n_ctx, expected", [
    (VLLM_MODELS, 0, 32768),
    (LLAMA_SERVER_MODELS, 0, 131072),
    (OLLAMA_MODELS, 0, DEFAULT_CTX),
    (VLLM_MODELS, 4096, 4096),
], ids=["vllm-max_model_len", "llama-server-meta", "unreported", "configured"])
def test_context_size_from_the_model_list(fake, engine, models, n_ctx, expected):
    info = connect(engine, fake(models=models), n_ctx=n_ctx)
    assert info.n_ctx == expected
    assert info.backend == f"Server: {engine.config.host}" and engine.config.host.startswith("127.0.0.1:")


def test_model_chosen_by_id_else_the_first(fake, engine):
    models = [{"id": "first-model"}, *VLLM_MODELS]
    server = fake(models=models)
    assert connect(engine, server).name == "first-model"
    assert connect(engine, server, model="openai/gpt-oss-20b").name == "openai/gpt-oss-20b"
    with pytest.raises(EngineError, match="does not serve 'nope'.*first-model, openai/gpt-oss-20b"):
        connect(engine, server, model="nope")
    assert engine.info is None
    assert list(engine.stream(request())) == [Failed("No server is connected.")]


@pytest.mark.parametrize("suffix", ["", "/"])
def test_v1_is_added_to_the_endpoint(fake, engine, suffix):
    server = fake()
    assert engine.load(RemoteConfig(server.root + suffix)).name == "fake-model"
    assert isinstance(ended(list(engine.stream(request()))), Finished)
    # (/props: llama-server's context size, asked for at the root, beside /v1)
    assert [r.path for r in server.requests] == ["/v1/models", "/props", "/v1/chat/completions"]


def test_empty_or_foreign_model_list_fails_clearly(fake, engine):
    with pytest.raises(EngineError, match="serves no model"):
        connect(engine, fake(models=[]))
    with pytest.raises(EngineError, match="not an OpenAI model list") as err:
        connect(engine, fake(models_raw=b'{"status": "ok"}'))
    assert not isinstance(err.value, ServerUnavailable)


# -- API key --------------------------------------------------------------------------------
def test_api_key_is_sent_and_never_shown(fake, engine, caplog):
    caplog.set_level(logging.DEBUG)
    server = fake(models=VLLM_MODELS)
    config = RemoteConfig(server.url, api_key=KEY)
    assert KEY not in repr(config) and KEY not in str(config)
    engine.load(config)
    events = list(engine.stream(request()))
    assert isinstance(ended(events), Finished)
    assert [r.headers.get("Authorization") for r in server.requests] == [f"Bearer {KEY}"] * 3
    assert caplog.records, "httpx logs its requests: the check below would be empty otherwise"
    for record in caplog.records:
        assert KEY not in record.getMessage() and KEY not in str(record.args), record
    assert KEY not in repr(engine.info) and KEY not in repr(events)


def test_no_api_key_no_authorization_header(fake, engine):
    server = fake()
    connect(engine, server)
    list(engine.stream(request()))
    assert all("Authorization" not in r.headers for r in server.requests)


def test_401_on_chat_mentions_the_api_key(fake, engine, caplog):
    caplog.set_level(logging.DEBUG)
    server = fake(models=VLLM_MODELS)
    connect(engine, server, api_key=KEY)
    server.status = 401
    events = list(engine.stream(request()))
    assert len(events) == 1 and isinstance(events[0], Failed)
    assert "API key" in events[0].message and not events[0].unavailable
    assert KEY not in events[0].message
    assert not any(KEY in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("status", [401, 403])
def test_401_at_load_mentions_the_api_key(fake, engine, status):
    with pytest.raises(EngineError, match="API key") as err:
        connect(engine, fake(models_status=status), api_key=KEY)
    assert not isinstance(err.value, ServerUnavailable) and KEY not in str(err.value)


# -- errors ---------------------------------------------------------------------------------
def test_404_at_load_points_at_v1(fake, engine):
    with pytest.raises(EngineError, match="/v1") as err:
        connect(engine, fake(models_status=404))
    assert not isinstance(err.value, ServerUnavailable)


def test_404_on_chat_keeps_the_servers_reason(fake, engine):
    server = fake(models=VLLM_MODELS, error_message="The model `openai/gpt-oss-20b` does not exist.")
    connect(engine, server)
    server.status = 404
    events = list(engine.stream(request()))
    assert len(events) == 1 and isinstance(events[0], Failed)
    assert "does not exist" in events[0].message


@pytest.mark.parametrize("status", [429, 500, 503])
def test_busy_or_failing_server_is_unavailable(fake, engine, status):
    server = fake(status=status, error_message="KV cache is full")
    connect(engine, server)
    events = list(engine.stream(request()))
    assert len(events) == 1 and isinstance(events[0], Failed), events
    assert events[0].unavailable and str(status) in events[0].message
    assert "KV cache is full" in events[0].message


@pytest.mark.parametrize("status", [429, 503])
def test_busy_server_at_load_is_unavailable(fake, engine, status):
    with pytest.raises(ServerUnavailable, match=str(status)):
        connect(engine, fake(models_status=status))


def test_400_is_not_unavailable(fake, engine):
    server = fake(status=400, error_message="This model's maximum context length is 2048 tokens.")
    connect(engine, server)
    events = list(engine.stream(request()))
    assert events == [Failed(events[0].message)] and "2048 tokens" in events[0].message


@pytest.mark.parametrize("broken", ["garbage", "json", "json_body"])
def test_malformed_stream_fails_clearly(fake, engine, broken):
    connect(engine, fake(broken=broken))
    end = ended(list(engine.stream(request())))
    assert isinstance(end, Failed) and "malformed" in end.message


def test_error_event_mid_stream(fake, engine):
    connect(engine, fake(error_after=4, error_message="CUDA out of memory"))
    events = list(engine.stream(request()))
    end = ended(events)
    assert isinstance(end, Failed) and "CUDA out of memory" in end.message
    assert len([e for e in events if isinstance(e, (Reasoning, Answer))]) == 4


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "close-delimited"])
def test_dropped_connection_fails_not_hangs(fake, engine, chunked):
    connect(engine, fake(drop_after=4, chunked=chunked), stall_timeout=5.0)
    t0 = time.perf_counter()
    events = list(engine.stream(request()))
    assert time.perf_counter() - t0 < 2
    end = ended(events)
    assert isinstance(end, Failed) and not end.unavailable  # half an answer was shown
    assert events[:-1] == [Reasoning("Let me "), Reasoning("think"), Reasoning("."), Answer("Hello")]


def test_dropped_before_anything_is_unavailable(fake, engine):
    connect(engine, fake(drop_after=0))
    end = ended(list(engine.stream(request())))
    assert isinstance(end, Failed) and end.unavailable


@pytest.mark.parametrize("after", [0, 3])
def test_stall_fails_within_the_stall_timeout(fake, engine, after):
    connect(engine, fake(stall_after=after), stall_timeout=1.0)
    t0 = time.perf_counter()
    events = list(engine.stream(request()))
    elapsed = time.perf_counter() - t0
    end = ended(events)
    assert isinstance(end, Failed) and "stopped sending" in end.message, end
    assert 0.9 < elapsed < 4, elapsed
    assert len(events) == after + 1 and end.unavailable is (after == 0)


def test_no_answer_at_all_fails_within_the_stall_timeout(fake, engine):
    connect(engine, fake(stall_headers=True), stall_timeout=1.0)
    t0 = time.perf_counter()
    end = ended(list(engine.stream(request())))
    assert 0.9 < time.perf_counter() - t0 < 4
    assert isinstance(end, Failed) and end.unavailable


def test_connection_refused_at_load_is_unavailable_quickly(engine, refused_url):
    t0 = time.perf_counter()
    with pytest.raises(ServerUnavailable, match="cannot be reached"):
        engine.load(RemoteConfig(refused_url))
    assert time.perf_counter() - t0 < 2
    assert engine.info is None


def test_server_gone_after_load_is_unavailable(fake, engine):
    server = fake()
    connect(engine, server, stall_timeout=5.0)
    server.stop()
    t0 = time.perf_counter()
    events = list(engine.stream(request()))
    assert time.perf_counter() - t0 < 2
    assert len(events) == 1 and isinstance(events[0], Failed) and events[0].unavailable, events


# -- cancel ---------------------------------------------------------------------------------
def test_cancel_during_a_stall_ends_promptly(fake, engine):
    server = fake(stall_after=2)
    connect(engine, server, stall_timeout=30.0)
    timer, fired = timed_cancel(engine, 0.3)
    try:
        events = list(engine.stream(request()))
        t_end = time.perf_counter()
    finally:
        timer.join()
    assert t_end - fired["t"] < 1.0
    end = ended(events)
    assert isinstance(end, Finished) and end.stats.stop_reason == "cancelled"
    assert events[:-1] == [Reasoning("Let me "), Reasoning("think")]
    # the engine is still usable: the next request gets a new connection
    server.stall_after = None
    again = list(engine.stream(request()))
    assert ended(again).stats.stop_reason == "stop" and text_of(again, Answer) == "Hello, world."


def test_cancel_between_requests_does_not_cancel_the_next(fake, engine):
    connect(engine, fake())
    engine.cancel()
    assert ended(list(engine.stream(request()))).stats.stop_reason == "stop"


def test_cancel_while_waiting_for_the_response_headers(fake, engine):
    server = fake(stall_headers=True)
    connect(engine, server, stall_timeout=30.0)
    timer, fired = timed_cancel(engine, 0.3)
    result = {}

    def consume():
        result["events"] = list(engine.stream(request()))
        result["t"] = time.perf_counter()

    worker = threading.Thread(target=consume)
    worker.start()
    try:
        worker.join(3)  # not the 30 s stall timeout
        blocked = worker.is_alive()
    finally:
        timer.join()
        server.stop()  # ends the stall, so the worker always ends
        worker.join(10)
    assert not blocked, "stream() still blocked 2.7 s after cancel()"
    assert result["t"] - fired["t"] < 1.0
    end = ended(result["events"])
    assert isinstance(end, Finished) and end.stats.stop_reason == "cancelled"


# -- fallback to the local model --------------------------------------------------------------
@pytest.fixture
def fallback(smol_path):
    """FallbackEngine(allow=...) over a RemoteEngine and SmolLM2 (not loaded yet); closed after."""
    made: list[FallbackEngine] = []

    def make(*, allow: bool) -> FallbackEngine:
        fb = FallbackEngine(RemoteEngine(), LocalEngine(), ModelConfig(smol_path, n_ctx=2048, seed=7), allow=allow)
        made.append(fb)
        return fb

    yield make
    for fb in made:
        fb.close()


def local_answer(events, notices: int):
    assert sum(isinstance(e, Notice) for e in events) == notices
    if notices:
        assert isinstance(events[0], Notice)
    assert not any(isinstance(e, Reasoning) for e in events)
    assert text_of(events, Answer).strip()
    end = ended(events)
    assert isinstance(end, Finished) and end.stats.stop_reason in ("stop", "length")


@pytest.mark.slow
def test_fallback_when_the_server_is_down_at_load(fallback, refused_url):
    fb = fallback(allow=True)
    info = fb.load(RemoteConfig(refused_url))
    assert info is fb.local.info and info.architecture == "llama" and fb.info is info
    first = list(fb.stream(request(max_tokens=8)))
    local_answer(first, notices=1)
    assert "cannot be reached" in first[0].message and "local model" in first[0].message
    local_answer(list(fb.stream(request(max_tokens=4))), notices=0)


@pytest.mark.slow
def test_fallback_when_the_server_answers_503(fake, fallback):
    server = fake(models=VLLM_MODELS, status=503)
    fb = fallback(allow=True)
    assert fb.load(RemoteConfig(server.url)).name == "openai/gpt-oss-20b"
    assert fb.local.info is None  # loaded only when needed
    events = list(fb.stream(request(max_tokens=8)))
    local_answer(events, notices=1)
    assert "503" in events[0].message and "local model" in events[0].message
    assert len(server.chats()) == 1 and fb.info is fb.local.info


@pytest.mark.slow
def test_no_fallback_when_not_allowed(fake, fallback, refused_url):
    fb = fallback(allow=False)
    fb.load(RemoteConfig(fake(status=503).url))
    events = list(fb.stream(request(max_tokens=8)))
    assert len(events) == 1 and isinstance(events[0], Failed) and events[0].unavailable
    with pytest.raises(ServerUnavailable):
        fb.load(RemoteConfig(refused_url))
    assert fb.local.info is None


@pytest.mark.slow
@pytest.mark.parametrize("knobs", [{"drop_after": 4}, {"status": 401}], ids=["half-shown", "unauthorized"])
def test_no_fallback_after_part_of_an_answer_or_for_a_refusal(fake, fallback, knobs):
    fb = fallback(allow=True)
    fb.load(RemoteConfig(fake(**knobs).url))
    events = list(fb.stream(request(max_tokens=8)))
    end = ended(events)
    assert isinstance(end, Failed) and not end.unavailable
    assert not any(isinstance(e, Notice) for e in events) and fb.local.info is None


@pytest.mark.slow
def test_no_stale_notice_after_the_server_comes_back(fake, fallback, refused_url):
    fb = fallback(allow=True)
    fb.load(RemoteConfig(refused_url))  # down: the local model
    assert fb.load(RemoteConfig(fake().url)).name == "fake-model"  # back: the server
    events = list(fb.stream(request()))
    assert events[:-1] == [Reasoning("Let me "), Reasoning("think"), Reasoning("."),
                           Answer("Hello"), Answer(", world"), Answer(".")]


# -- llama-cpp-python's real server ----------------------------------------------------------
@pytest.mark.slow
def test_real_server_lists_the_model(smol_server, smol_path, engine):
    info = engine.load(RemoteConfig(smol_server))
    assert info.name == str(smol_path) and engine.models == [str(smol_path)]
    assert info.n_ctx == DEFAULT_CTX  # llama-cpp-python's /v1/models does not report the context
    assert not info.harmony and info.architecture == "remote"
    assert engine.load(RemoteConfig(smol_server, n_ctx=2048)).n_ctx == 2048


@pytest.mark.slow
def test_real_server_streams_an_answer(smol_server, engine):
    engine.load(RemoteConfig(smol_server, n_ctx=2048))
    events = list(engine.stream(request(max_tokens=16)))
    end = ended(events)
    assert isinstance(end, Finished), end
    assert sum(isinstance(e, Answer) for e in events) >= 2 and text_of(events, Answer).strip()
    assert not any(isinstance(e, Reasoning) for e in events)
    assert end.stats.stop_reason in ("stop", "length") and 1 <= end.stats.generated_tokens <= 16
    assert end.stats.time_to_first_token > 0


@pytest.mark.slow
def test_real_server_cancel_mid_stream(smol_server, engine):
    engine.load(RemoteConfig(smol_server, n_ctx=2048))
    events = []
    t_cancel = None
    for event in engine.stream(request(messages=[{"role": "user", "content": "Write a long story about a dragon."}],
                                       max_tokens=200)):
        events.append(event)
        if isinstance(event, Answer) and t_cancel is None:
            canceller = threading.Thread(target=engine.cancel)
            canceller.start()
            canceller.join()
            t_cancel = time.perf_counter()
            shown = len(events)
    assert t_cancel is not None, events
    assert time.perf_counter() - t_cancel < 1.0
    end = ended(events)
    assert isinstance(end, Finished) and end.stats.stop_reason == "cancelled"
    assert len(events) == shown + 1  # nothing after the cancel but Finished
    # the server and the engine take the next request
    again = list(engine.stream(request(max_tokens=4)))
    assert isinstance(ended(again), Finished) and text_of(again, Answer)


@pytest.fixture
def gpt_oss_server(tmp_path):
    """Serve a scripted tiny gpt-oss; the server's model id is the path, named to count as gpt-oss."""
    procs = []

    def serve(script):
        proc, url = start_llama_server(write_tiny_gpt_oss(tmp_path / "gpt-oss-tiny.gguf", script=script))
        procs.append(proc)
        return url

    yield serve
    for proc in procs:
        proc.terminate()
        proc.wait(10)


@pytest.mark.slow
def test_real_server_raw_harmony_answer(gpt_oss_server, engine):
    info = engine.load(RemoteConfig(gpt_oss_server(ANSWER_SCRIPT)))
    assert info.harmony and info.name.endswith("gpt-oss-tiny.gguf")
    events = list(engine.stream(request(reasoning_effort="high", max_tokens=20)))
    assert events[:-1] == [Answer("Hola"), Answer(" mundo")]
    assert ended(events).stats.stop_reason == "stop"


@pytest.mark.slow
def test_real_server_raw_harmony_reasoning_never_reaches_the_answer(gpt_oss_server, engine):
    engine.load(RemoteConfig(gpt_oss_server(THINK_SCRIPT)))
    events = list(engine.stream(request(max_tokens=12)))
    end = ended(events)
    assert isinstance(end, Finished) and end.stats.stop_reason == "length"
    assert not any(isinstance(e, Answer) for e in events)
    reasoning = text_of(events, Reasoning)
    assert reasoning.startswith("Pensando") and reasoning.replace("Pensando", "") == ""


# -- the wire: bytes split anywhere, keep-alive comments ---------------------------------------
def test_trickled_stream_with_pings_and_split_characters(fake, engine):
    content = ("Año", " ñandú", " 😀 ", "你好", "\u00e9t\u00e9")
    connect(engine, fake(reasoning=("Pensé ", "🤔"), content=content, trickle=True, ping=True))
    events = list(engine.stream(request()))
    assert events[:-1] == [Reasoning("Pensé "), Reasoning("🤔"), *map(Answer, content)]
    assert isinstance(ended(events), Finished)


# -- TLS ------------------------------------------------------------------------------------
@pytest.fixture
def certs(tmp_path):
    pytest.importorskip("cryptography")
    from fake_openai import make_certificates

    return make_certificates(tmp_path)


def test_untrusted_certificate_says_so(fake, engine, certs):
    ca, cert, key = certs
    with pytest.raises(EngineError, match="certificate.*CA bundle") as err:
        connect(engine, fake(tls=(cert, key)))
    assert not isinstance(err.value, ServerUnavailable)


def test_certificate_checks_can_be_turned_off(fake, engine, certs):
    ca, cert, key = certs
    connect(engine, fake(tls=(cert, key)), verify=False)
    assert isinstance(ended(list(engine.stream(request()))), Finished)


def test_team_ca_bundle_is_trusted(fake, engine, certs):
    ca, cert, key = certs
    connect(engine, fake(tls=(cert, key)), verify=str(ca))
    assert isinstance(ended(list(engine.stream(request()))), Finished)


@pytest.mark.filterwarnings("ignore:`verify=<str>` is deprecated:DeprecationWarning")  # the bug above
def test_missing_ca_bundle_fails_clearly(fake, engine, tmp_path):
    with pytest.raises(EngineError, match="no-such-ca.pem"):
        connect(engine, fake(), verify=str(tmp_path / "no-such-ca.pem"))


# -- counting for the context budget -----------------------------------------------------------
def test_count_text_and_tokens():
    engine = RemoteEngine()
    assert engine.count_text("") == 0 and engine.count_text("abc") == 1 and engine.count_text("abcd") == 2
    assert engine.count_tokens(MESSAGES) == sum(engine.count_text(m["content"]) + 8 for m in MESSAGES) + 8


EMAIL_EN = "Please find attached the quarterly report. Let me know if you have any questions before Friday's meeting."
EMAIL_ZH = "请查收附件中的季度报告。如果您在周五会议之前有任何问题，请告诉我。"


@pytest.mark.slow
def test_count_over_counts_english(smol_engine):
    real = len(smol_engine._llm.tokenize(EMAIL_EN.encode(), add_bos=False, special=False))
    assert RemoteEngine().count_text(EMAIL_EN) >= real


@pytest.mark.slow
def test_count_over_counts_chinese(smol_engine):
    real = len(smol_engine._llm.tokenize(EMAIL_ZH.encode(), add_bos=False, special=False))
    assert RemoteEngine().count_text(EMAIL_ZH) >= real


def test_llama_server_props_give_the_served_context(fake, engine):
    server = fake(models=VLLM_MODELS)
    server.props = {"default_generation_settings": {"n_ctx": 3072}}
    assert engine.load(RemoteConfig(server.url)).n_ctx == 3072


def test_pings_without_data_end_in_a_clear_failure(fake, engine):
    server = fake(stall_after=1, ping=True)
    server.ping_interval = 0.2
    engine.load(RemoteConfig(server.url, stall_timeout=1.0))
    t0 = time.monotonic()
    events = list(engine.stream(request()))
    assert isinstance(events[-1], Failed) and "keep-alive" in events[-1].message
    assert time.monotonic() - t0 < 5
