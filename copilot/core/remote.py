"""A second Engine: an OpenAI-compatible server (vLLM, llama.cpp's server, Ollama, LM Studio).

Same interface and events as :class:`~copilot.core.engine.LocalEngine`: Reasoning and
Answer events come out identical whichever way a server returns gpt-oss's reasoning —
in ``reasoning_content`` (vLLM, llama-server), in ``reasoning`` (Ollama), or as raw
harmony text in ``content`` (llama-cpp-python's server), which goes through the same
harmony parser as the local engine. Every failure is a ``Failed`` event with a message
for the user; cancel shuts the socket, so it takes effect at once even mid-read.
"""

from __future__ import annotations

import json
import logging
import math
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence
from urllib.parse import urlsplit

from copilot.core import harmony
from copilot.core.engine import ChatRequest, EngineError, ModelInfo
from copilot.core.events import Answer, Event, Failed, Finished, Notice, Reasoning, Stats

log = logging.getLogger(__name__)

DEFAULT_CTX = 8192  # when the server does not say
# Servers do not share a tokenizer endpoint; for the context budget, over-count: three ASCII
# characters per token (English runs nearer four, code nearer three), three tokens for any
# other character.
CHARS_PER_TOKEN = 3
PER_MESSAGE = 8


@dataclass(frozen=True)
class RemoteConfig:
    endpoint: str  # e.g. http://gpu-box:8000/v1 ("/v1" is added when missing)
    model: str = ""  # "": the first model the server lists
    api_key: str | None = field(default=None, repr=False)
    verify: bool | str = True  # TLS verification: True, or a CA bundle file; False only if asked
    n_ctx: int = 0  # 0: what the server reports, else DEFAULT_CTX
    connect_timeout: float = 10.0
    stall_timeout: float = 60.0  # the longest silence accepted before and during an answer

    @property
    def base(self) -> str:
        url = self.endpoint.strip().rstrip("/")
        return url if url.endswith("/v1") else url + "/v1"

    @property
    def host(self) -> str:
        return urlsplit(self.base).netloc or self.base


class ServerUnavailable(EngineError):
    """The server cannot take the request now (down, overloaded): a fallback may help."""


class RemoteEngine:
    """Chat completions over HTTP; one request at a time, like the local engine."""

    def __init__(self) -> None:
        self.info: ModelInfo | None = None
        self.config: RemoteConfig | None = None
        self._client = None
        self._cancel = threading.Event()
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()

    # -- connecting ------------------------------------------------------------------------
    @staticmethod
    def _http(config: RemoteConfig):
        import ssl

        import httpx2

        headers = {"Accept": "application/json"}
        if config.api_key:
            headers["Authorization"] = f"Bearer {config.api_key}"
        timeout = httpx2.Timeout(config.stall_timeout, connect=config.connect_timeout)
        verify = config.verify
        if isinstance(verify, str):  # a team's own certificate authority
            try:
                verify = ssl.create_default_context(cafile=verify)
            except (OSError, ssl.SSLError) as exc:
                raise EngineError(f"The CA bundle {config.verify} cannot be used ({exc}). Choose the PEM file of "
                                  "your team's certificate authority in Settings.") from None
        return httpx2.Client(headers=headers, timeout=timeout, verify=verify, trust_env=False)

    def load(self, config: RemoteConfig) -> ModelInfo:
        """Ask the server for its models; raise EngineError (ServerUnavailable) for the user."""
        self.close()
        client = self._http(config)  # (a bad CA bundle raises EngineError here)
        t0 = time.perf_counter()
        try:
            response = self._checked(lambda: client.get(f"{config.base}/models"), config)
            models = _model_entries(response.json())
        except ValueError:
            client.close()
            raise EngineError(f"{config.host} answered /v1/models with something that is not an OpenAI model "
                              "list. Check the address: it should be the server's OpenAI-compatible endpoint.") from None
        except EngineError:
            client.close()
            raise
        if not models:
            client.close()
            raise EngineError(f"{config.host} serves no model.")
        ids = [m["id"] for m in models]
        chosen = next((m for m in models if m["id"] == config.model), None) if config.model else models[0]
        if chosen is None:
            client.close()
            raise EngineError(f"{config.host} does not serve {config.model!r}; it serves: {', '.join(ids)}.")
        n_ctx = config.n_ctx or _served_context(client, config) or _context_of(chosen) or DEFAULT_CTX
        self._client, self.config = client, config
        self.latency = time.perf_counter() - t0
        self.models = ids
        self.info = ModelInfo(
            name=chosen["id"], path=Path(chosen["id"]), architecture="remote", n_ctx=n_ctx,
            n_ctx_train=_context_of(chosen) or n_ctx, harmony="gpt-oss" in chosen["id"].lower() or "gpt_oss" in
            chosen["id"].lower(), backend=f"Server: {config.host}", file_size=0,
        )
        return self.info

    def _checked(self, call, config: RemoteConfig):
        """Run an HTTP call; map transport errors and refusals to messages for the user."""
        import httpx2

        try:
            response = call()
        except httpx2.ConnectError as exc:
            if "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper():
                raise EngineError(f"The certificate of {config.host} could not be verified ({exc}). If your team "
                                  "uses its own certificate authority, choose its CA bundle in Settings.") from None
            raise ServerUnavailable(f"The server {config.host} cannot be reached ({_reason(exc)}). Check the "
                                    "address and that the server is running.") from None
        except httpx2.TimeoutException:
            raise ServerUnavailable(f"The server {config.host} did not answer within "
                                    f"{config.stall_timeout:.0f} s.") from None
        except httpx2.HTTPError as exc:
            raise ServerUnavailable(f"The server {config.host} broke the connection ({_reason(exc)}).") from None
        _raise_for_status(response, config)
        return response

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
        self._client = None
        self.info = None

    # -- counting --------------------------------------------------------------------------
    def count_text(self, text: str) -> int:
        plain = sum(1 for c in text if c < "\x80")
        # Outside ASCII a character can take several tokens (CJK, emoji: up to 3 with
        # byte-level vocabularies); count each as 3, never fewer than the real count.
        return math.ceil(plain / CHARS_PER_TOKEN) + 3 * (len(text) - plain)

    def count_tokens(self, messages: Sequence[dict], reasoning_effort: str = "medium") -> int:
        return sum(self.count_text(str(m.get("content", ""))) + PER_MESSAGE for m in messages) + PER_MESSAGE

    # -- generation ------------------------------------------------------------------------
    def prepare(self, chats: Sequence[Sequence[dict]], reasoning_effort: str = "medium", *,
                keep: bool = False) -> Iterator[Event]:
        """Nothing to evaluate ahead here: a server keeps its own prompt cache (llama-server
        reuses the longest shared prefix by itself), and text is sent only to be answered."""
        return 0
        yield  # a generator, like LocalEngine.prepare

    def cancel(self) -> None:
        """Stop the running request at once: the socket is shut, a blocked read returns."""
        self._cancel.set()
        with self._lock:
            sock = self._sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def stream(self, request: ChatRequest) -> Iterator[Event]:
        """Yield Reasoning and Answer events, then exactly one Finished or Failed."""
        if self._client is None or self.info is None:
            yield Failed("No server is connected.")
            return
        self._cancel.clear()
        config, info = self.config, self.info
        assert config is not None
        body = {"model": info.name, "messages": list(request.messages), "stream": True,
                "stream_options": {"include_usage": True}}
        if info.harmony:
            body["reasoning_effort"] = request.reasoning_effort
        if request.max_tokens:
            # a server counts gpt-oss's reasoning in max_tokens: give it the reasoning budget too
            extra = (request.max_reasoning_tokens or 0) if info.harmony else 0
            body["max_tokens"] = request.max_tokens + extra
        if request.sampling is not None:
            body.update(temperature=request.sampling.temperature, top_p=request.sampling.top_p)
        t0 = time.perf_counter()
        t_first = t_last = None
        pieces = 0
        usage: dict = {}
        finish = None
        router = _ContentRouter(info.harmony)
        try:
            # A connection of its own for each answer: cancel() can shut its socket from the
            # moment it connects, also while the server is still reading the prompt (no headers
            # yet), which a pooled connection would only reveal with the response.
            with self._http(config) as client, client.stream(
                    "POST", f"{config.base}/chat/completions", json=body,
                    extensions={"trace": self._trace}) as response:
                if self._cancel.is_set():
                    raise _Cancelled
                if response.status_code >= 400:
                    response.read()
                    _raise_for_status(response, config, chat=True)
                last_data = time.monotonic()
                for data in _sse_data(response.iter_lines()):
                    if self._cancel.is_set():
                        raise _Cancelled
                    if not data:  # keep-alive pings reset the socket's timeout, not ours
                        if time.monotonic() - last_data > config.stall_timeout:
                            raise EngineError(f"The server {config.host} sent nothing but keep-alive pings for "
                                              f"{config.stall_timeout:.0f} s. It may be overloaded; try again.")
                        continue
                    last_data = time.monotonic()
                    if data == "[DONE]":
                        break
                    chunk = json.loads(data)
                    if "error" in chunk:
                        raise EngineError(f"The server {config.host} reported an error: {_error_text(chunk)}")
                    usage = chunk.get("usage") or usage
                    for choice in chunk.get("choices") or ():
                        delta = choice.get("delta") or {}
                        events = list(_delta_events(delta, router))
                        if events:
                            t_last = time.perf_counter()
                            t_first = t_first or t_last
                            pieces += 1
                            yield from events
                        finish = choice.get("finish_reason") or finish
                else:
                    if finish is None:
                        raise EngineError(f"The connection to {config.host} ended in the middle of the answer. "
                                          "Try again.")
            yield from router.close()
        except _Cancelled:
            yield from self._finished(t0, t_first, t_last, pieces, usage, "cancelled")
            return
        except (json.JSONDecodeError, UnicodeDecodeError, AttributeError, TypeError):
            yield Failed(f"The server {config.host} sent a malformed stream (not OpenAI-style server-sent "
                         "events). Is the address an OpenAI-compatible endpoint?")
            return
        except EngineError as exc:
            yield Failed(str(exc), unavailable=isinstance(exc, ServerUnavailable) and t_first is None)
            return
        except Exception as exc:  # httpx errors mid-stream; a cancel that shut the socket lands here too
            if self._cancel.is_set():
                yield from self._finished(t0, t_first, t_last, pieces, usage, "cancelled")
                return
            import httpx2

            if isinstance(exc, httpx2.ConnectError):
                message = f"The server {config.host} cannot be reached ({_reason(exc)})."
            elif isinstance(exc, httpx2.TimeoutException):
                message = (f"The server {config.host} stopped sending for {config.stall_timeout:.0f} s. "
                           "It may be overloaded; try again.")
            elif isinstance(exc, httpx2.HTTPError):
                message = f"The server {config.host} broke the connection ({_reason(exc)}). Try again."
            else:
                raise
            yield Failed(message, unavailable=t_first is None)  # nothing shown yet: another engine may answer
            return
        finally:
            with self._lock:
                self._sock = None
        yield from self._finished(t0, t_first, t_last, pieces, usage, "length" if finish == "length" else "stop")

    def _finished(self, t0, t_first, t_last, pieces, usage, reason) -> Iterator[Event]:
        generated = int(usage.get("completion_tokens") or pieces)
        ttft = (t_first - t0) if t_first is not None else time.perf_counter() - t0
        tps = (generated - 1) / (t_last - t_first) if generated > 1 and t_last and t_last > t_first else 0.0
        yield Finished(Stats(prompt_tokens=int(usage.get("prompt_tokens") or 0), cached_tokens=0,
                             generated_tokens=generated, time_to_first_token=ttft, tokens_per_second=tps,
                             stop_reason=reason))

    def _trace(self, event: str, info: dict) -> None:
        """httpcore's trace hook: note the socket as soon as the connection is open."""
        if event.endswith(("connect_tcp.complete", "start_tls.complete")):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            with self._lock:
                self._sock = sock
            if self._cancel.is_set() and sock is not None:  # cancelled while connecting
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class _Cancelled(Exception):
    pass


class _ContentRouter:
    """``content`` deltas: the answer as it comes, unless they carry raw harmony markers
    (a server that does not parse gpt-oss's channels), which then go through the parser."""

    def __init__(self, harmony_model: bool) -> None:
        self.parser: harmony.HarmonyParser | None = None
        self.harmony_model = harmony_model
        self.held = ""

    def feed(self, text: str) -> Iterator[Event]:
        if self.parser is None and self.harmony_model and "<|" in self.held + text:
            self.parser = harmony.HarmonyParser()
            text, self.held = self.held + text, ""
        if self.parser is not None:
            yield from self.parser.feed(text)
            return
        # A marker may arrive split ("<" then "|channel|>"): hold a trailing "<" back.
        text, self.held = self.held + text, ""
        if self.harmony_model and text.endswith("<"):
            text, self.held = text[:-1], "<"
        if text:
            yield Answer(text)

    def close(self) -> Iterator[Event]:
        if self.parser is not None:
            yield from self.parser.close()
        elif self.held:
            yield Answer(self.held)


def _delta_events(delta: dict, router: _ContentRouter) -> Iterator[Event]:
    reasoning = delta.get("reasoning_content") or delta.get("reasoning")
    if isinstance(reasoning, str) and reasoning:
        yield Reasoning(reasoning)
    content = delta.get("content")
    if isinstance(content, str) and content:
        yield from router.feed(content)


def _sse_data(lines: Iterator[str]) -> Iterator[str]:
    """The data of each server-sent event (multi-line data joined), comments skipped."""
    buffer: list[str] = []
    for line in lines:
        if not line:
            if buffer:
                yield "\n".join(buffer)
                buffer = []
            continue
        if line.startswith(":"):
            yield ""  # a keep-alive comment: no data, but the caller may check how long it has waited
            continue
        name, _, value = line.partition(":")
        if name == "data":
            buffer.append(value[1:] if value.startswith(" ") else value)
        elif name not in ("event", "id", "retry"):
            raise json.JSONDecodeError("not a server-sent event line", line, 0)
    if buffer:
        yield "\n".join(buffer)


def _model_entries(payload) -> list[dict]:
    data = payload.get("data") if isinstance(payload, dict) else None
    if not isinstance(data, list):
        raise ValueError("no data list")
    return [m for m in data if isinstance(m, dict) and isinstance(m.get("id"), str)]


def _served_context(client, config: RemoteConfig) -> int | None:
    """llama-server's /props tells the context it was started with (its /v1/models gives only
    the model's training context); other servers have no such endpoint."""
    root = config.base.removesuffix("/v1")
    try:
        response = client.get(f"{root}/props", timeout=2.0)
        if response.status_code != 200:
            return None
        props = response.json()
    except Exception:
        return None
    settings = props.get("default_generation_settings") if isinstance(props, dict) else None
    for value in ((settings or {}).get("n_ctx"), props.get("n_ctx") if isinstance(props, dict) else None):
        if isinstance(value, int) and value > 0:
            return value
    return None


def _context_of(model: dict) -> int | None:
    for key in ("max_model_len", "context_length", "max_context_length", "n_ctx"):
        value = model.get(key)
        if isinstance(value, int) and value > 0:
            return value
    meta = model.get("meta")
    if isinstance(meta, dict):
        for key in ("n_ctx", "n_ctx_train"):
            value = meta.get(key)
            if isinstance(value, int) and value > 0:
                return value
    return None


def _error_text(payload) -> str:
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        return str(error.get("message") or error)
    return str(error or payload)[:300]


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return text[:200] if text else type(exc).__name__


def _raise_for_status(response, config: RemoteConfig, chat: bool = False) -> None:
    status = response.status_code
    if status < 400:
        return
    try:
        detail = _error_text(response.json())
    except ValueError:
        detail = response.text[:200].strip()
    detail = f" ({detail})" if detail else ""
    if status in (401, 403):
        raise EngineError(f"{config.host} refused the request ({status}): the API key is missing or wrong. "
                          "Set it in Settings; it is kept in the system keyring.")
    if status == 404 and chat:  # the address answered /models: the model is what it does not know
        raise EngineError(f"{config.host} rejected the request (404){detail}. Check the model name in Settings.")
    if status == 404:
        raise EngineError(f"{config.host} has no OpenAI-compatible API at {config.base} (404). Check the address "
                          "(it usually ends in /v1).")
    if status == 429:
        raise ServerUnavailable(f"The server {config.host} is busy (429, too many requests){detail}. "
                                "Try again in a moment.")
    if status >= 500:
        raise ServerUnavailable(f"The server {config.host} failed ({status}){detail}. Try again later.")
    raise EngineError(f"{config.host} rejected the request ({status}){detail}.")


class _ServerOrLocal:
    """A server engine and the local one, answering through ``active``; both are stopped and
    closed together."""

    remote: RemoteEngine
    local: object
    active: object

    @property
    def info(self) -> ModelInfo | None:
        return self.active.info

    def prepare(self, chats: Sequence[Sequence[dict]], reasoning_effort: str = "medium", *,
                keep: bool = False) -> Iterator[Event]:
        return (yield from self.active.prepare(chats, reasoning_effort, keep=keep))

    def count_tokens(self, messages: Sequence[dict], reasoning_effort: str = "medium") -> int:
        return self.active.count_tokens(messages, reasoning_effort)

    def count_text(self, text: str) -> int:
        return self.active.count_text(text)

    def cancel(self) -> None:
        self.remote.cancel()
        self.local.cancel()

    def close(self) -> None:
        self.remote.close()
        self.local.close()


class FallbackEngine(_ServerOrLocal):
    """The server first; the local model when the server is down or overloaded, if allowed.

    The switch happens only before anything of an answer was shown (never half an answer
    from each), and the user is told once, with a Notice event.
    """

    def __init__(self, remote: RemoteEngine, local, local_config, *, allow: bool) -> None:
        self.remote, self.local, self.local_config, self.allow = remote, local, local_config, allow
        self.active = remote
        self._told = False
        self._pending_notice: str | None = None
        self._fell_back_at: float | None = None

    @property
    def can_fall_back(self) -> bool:
        return self.allow and self.local_config is not None

    def load(self, config: RemoteConfig) -> ModelInfo:
        self._pending_notice = None
        self._told = False
        try:
            info = self.remote.load(config)
            self.active = self.remote
            return info
        except ServerUnavailable as exc:
            if not self.can_fall_back:
                raise
            log.info("server unavailable at load, using the local model")
            self._pending_notice = f"{exc} Using the local model on this computer instead."
            return self._use_local()

    def _use_local(self) -> ModelInfo:
        if self.local.info is None:
            self.local.load(self.local_config)
        self.active = self.local
        return self.local.info

    RETRY_SERVER_AFTER = 60.0  # seconds on the local model before the server is tried again

    def stream(self, request: ChatRequest) -> Iterator[Event]:
        if (self.active is self.local and self.remote.info is not None and self._fell_back_at is not None
                and time.monotonic() - self._fell_back_at > self.RETRY_SERVER_AFTER):
            self.active, self._fell_back_at, self._told = self.remote, None, False  # a busy server recovers
        notice = self._pending_notice
        if notice and not self._told:
            self._told = True
            yield Notice(notice)
        if self.active is self.local:
            yield from self.local.stream(request)
            return
        for event in self.remote.stream(request):
            if isinstance(event, Failed) and event.unavailable and self.can_fall_back:
                try:
                    self._use_local()
                    self._fell_back_at = time.monotonic()
                except (EngineError, ValueError) as exc:
                    yield Failed(f"{event.message} The local model could not take over: {exc}")
                    return
                if not self._told:
                    self._told = True
                    yield Notice(f"{event.message} Using the local model on this computer instead.")
                yield from self.local.stream(request)
                return
            yield event


@dataclass(frozen=True)
class ServerConfig:
    """What the app loads when Settings say "server": the server, and the local model to
    fall back to (None: no fallback)."""

    remote: RemoteConfig
    local: object | None = None  # engine.ModelConfig
    fallback: bool = True

    @property
    def path(self) -> Path:  # what the status bar names while connecting
        return Path(self.remote.host)


class EngineSwitch(_ServerOrLocal):
    """The engine the runner owns: the local model, or a server (with its fallback), chosen
    by the config given to ``load``. One object, so the runner's thread rules stay the same."""

    def __init__(self, local=None) -> None:
        from copilot.core.engine import LocalEngine

        self.local = local or LocalEngine()
        self.remote = RemoteEngine()
        self.active = self.local  # the local engine, or a FallbackEngine over the server

    def load(self, config) -> ModelInfo:
        if isinstance(config, ServerConfig):
            self.active = FallbackEngine(self.remote, self.local, config.local, allow=config.fallback)
            return self.active.load(config.remote)
        self.remote.close()
        self.active = self.local
        return self.local.load(config)

    def stream(self, request: ChatRequest) -> Iterator[Event]:
        return self.active.stream(request)
