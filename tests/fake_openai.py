"""A stand-in for an OpenAI-compatible chat server (vLLM, llama-server, Ollama), on 127.0.0.1.

It serves ``GET /v1/models`` and streamed ``POST /v1/chat/completions`` as server-sent
events in a chunked body, as uvicorn does. It covers what llama-cpp-python's real server
cannot produce: reasoning in ``reasoning_content`` (vLLM, llama-server) or in ``reasoning``
(Ollama), raw harmony text in ``content`` split at awkward places, a usage chunk, model
lists in the vLLM and llama.cpp styles, and what goes wrong in real life: HTTP errors with
an OpenAI-style body, garbage instead of events, a stream that stalls or drops mid-answer,
an answer that never starts. Every request's headers and JSON body are recorded.
"""

from __future__ import annotations

import datetime
import json
import socket
import ssl
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# /v1/models as vLLM answers it: the served context in max_model_len
VLLM_MODELS = [{"id": "openai/gpt-oss-20b", "object": "model", "created": 1700000000, "owned_by": "vllm",
                "root": "openai/gpt-oss-20b", "parent": None, "max_model_len": 32768}]
# ... as llama.cpp's llama-server answers it: the training context in meta
LLAMA_SERVER_MODELS = [{"id": "gpt-oss-20b-mxfp4.gguf", "object": "model", "created": 1700000000,
                        "owned_by": "llamacpp", "meta": {"vocab_type": 2, "n_vocab": 201088, "n_ctx_train": 131072,
                                                         "n_embd": 2880, "n_params": 20914757184,
                                                         "size": 12109565760}}]
# ... as Ollama answers it: no context at all
OLLAMA_MODELS = [{"id": "gpt-oss:20b", "object": "model", "created": 1700000000, "owned_by": "library"}]

# What a server that does not parse gpt-oss's channels streams, split where it hurts.
RAW_HARMONY = ("<|chan", "nel|>anal", "ysis<|mess", "age|>Let me ", "think.<", "|end|><|st",
               "art|>assistant<|channel|>fi", "nal<|message|>Hola", " mundo", "<|ret", "urn|>")
RAW_HARMONY_TEXT = "".join(RAW_HARMONY)

_GARBAGE = {
    # a web server's page where the API was expected
    "garbage": b"<html><head><title>Welcome</title></head><body>It works!</body></html>\n",
    # an event whose data is cut-off JSON
    "json": b'data: {"id": "chatcmpl-1", "choices": [{"delta": {"content": "Hel\n\ndata: [DONE]\n\n',
    # a server that ignores "stream": true and answers with one whole completion
    "json_body": json.dumps({"id": "chatcmpl-1", "object": "chat.completion", "choices": [
        {"index": 0, "message": {"role": "assistant", "content": "Hello"}, "finish_reason": "stop"}]}).encode(),
}


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: dict | None


@dataclass
class FakeOpenAI:
    models: list[dict] = field(default_factory=lambda: [{"id": "fake-model", "object": "model", "owned_by": "me"}])
    reasoning: tuple[str, ...] = ("Let me ", "think", ".")
    content: tuple[str, ...] = ("Hello", ", world", ".")
    reasoning_field: str = "reasoning_content"  # vLLM, llama-server; "reasoning": Ollama
    raw_harmony: tuple[str, ...] | None = None  # content deltas with harmony markers, instead of the above
    finish_reason: str = "stop"
    usage: dict | None = field(default_factory=lambda: {"prompt_tokens": 21, "completion_tokens": 7,
                                                        "total_tokens": 28})  # sent if include_usage asked
    status: int | None = None  # answer /chat/completions with this HTTP error
    models_status: int | None = None  # answer /models with this HTTP error
    error_message: str = "The server had an error while processing your request."
    models_raw: bytes | None = None  # answer /models with these bytes (200, application/json)
    broken: str | None = None  # "garbage", "json" or "json_body" instead of the event stream
    error_after: int | None = None  # after this many deltas, an {"error": ...} event (then [DONE])
    stall_after: int | None = None  # after this many deltas go silent, connection open, until stop()
    stall_headers: bool = False  # read the request, then send nothing at all until stop()
    drop_after: int | None = None  # after this many deltas close the connection, no [DONE]
    chunked: bool = True  # False: a close-delimited body (Connection: close), so a drop reads as a clean end
    trickle: bool = False  # send the stream a byte or two at a time (UTF-8 characters and lines split)
    ping: bool = False  # a comment line before every event, as sse-starlette's keep-alive pings
    tls: tuple[Path, Path] | None = None  # (certificate chain, key): serve https
    ping_interval: float | None = None  # while stalled mid-stream, a keep-alive comment this often
    props: dict | None = None  # llama-server's /props (the served context); None: 404 like other servers
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._release = threading.Event()  # ends stalls
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()

    # -- lifecycle
    def start(self) -> "FakeOpenAI":
        fake = self

        class Handler(_Handler):
            pass

        Handler.fake = fake
        self._release.clear()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*map(str, self.tls))
            # the handshake happens in the handler's thread, on its first read
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True,
                                                      do_handshake_on_connect=False)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close every open connection, kept-alive and stalled ones too."""
        self._release.set()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None
        with self._lock:
            connections, self._connections = list(self._connections), set()
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    @property
    def root(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"{'https' if self.tls else 'http'}://{host}:{port}"

    @property
    def url(self) -> str:
        return f"{self.root}/v1"

    def chats(self) -> list[Recorded]:
        return [r for r in self.requests if r.path == "/v1/chat/completions"]

    # -- what a stream is made of
    def deltas(self) -> list[dict]:
        if self.raw_harmony is not None:
            return [{"content": text} for text in self.raw_harmony]
        extra = {"content": ""} if self.reasoning_field == "reasoning" else {}  # Ollama sends both
        return ([{self.reasoning_field: text, **extra} for text in self.reasoning]
                + [{"content": text} for text in self.content])


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAI
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def setup(self) -> None:
        super().setup()
        with self.fake._lock:
            self.fake._connections.add(self.connection)

    def handle(self) -> None:
        try:
            super().handle()
        except OSError:  # a client that went away, or refused our certificate
            self.close_connection = True

    def finish(self) -> None:
        with self.fake._lock:
            self.fake._connections.discard(self.connection)
        try:
            super().finish()
        except OSError:
            pass

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def _route(self, method: str) -> None:
        fake = self.fake
        body = None
        if method == "POST":
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
        path = self.path.split("?", 1)[0]
        fake.requests.append(Recorded(method, path, dict(self.headers.items()), body))
        if path == "/v1/models" and method == "GET":
            if fake.models_status:
                return self._error(fake.models_status)
            if fake.models_raw is not None:
                return self._send(200, fake.models_raw)
            return self._json(200, {"object": "list", "data": fake.models})
        if path == "/props" and method == "GET" and fake.props is not None:
            return self._json(200, fake.props)
        if path == "/v1/chat/completions" and method == "POST":
            return self._chat(body or {})
        self._error(404, "Not Found")

    # -- answers
    def _send(self, status: int, data: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json(self, status: int, payload) -> None:
        self._send(status, json.dumps(payload).encode())

    def _error(self, status: int, message: str | None = None) -> None:
        kinds = {401: "invalid_request_error", 404: "not_found_error", 429: "rate_limit_error"}
        kind = kinds.get(status, "server_error")
        if status == 401:
            message = message or "Incorrect API key provided."
        self._json(status, {"error": {"message": message or self.fake.error_message, "type": kind,
                                      "param": None, "code": None}})

    def _stall(self, pings: bool = False) -> None:
        # with ping_interval set, a stalled stream still sends keep-alive comments (sse-starlette)
        while not self.fake._release.wait(self.fake.ping_interval if pings and self.fake.ping_interval else None):
            try:
                self._write(b": ping\r\n\r\n")
            except OSError:
                break
        self.close_connection = True

    def _chat(self, body: dict) -> None:
        fake = self.fake
        if fake.stall_headers:
            return self._stall()
        if fake.status:
            return self._error(fake.status)
        if fake.broken:
            return self._send(200, _GARBAGE[fake.broken], "text/html" if fake.broken == "garbage"
                              else "text/event-stream")
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        if fake.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        model = body.get("model", "")
        try:
            self._event(self._chunk(model, {"role": "assistant", "content": ""}))
            for n, delta in enumerate(fake.deltas()):
                if n == fake.stall_after:
                    return self._stall(pings=True)
                if n == fake.drop_after:
                    return self._drop()
                if n == fake.error_after:
                    self._event({"error": {"message": fake.error_message, "type": "server_error"}})
                    return self._done()
                self._event(self._chunk(model, delta))
            if len(fake.deltas()) == fake.stall_after:
                return self._stall()
            if len(fake.deltas()) == fake.drop_after:
                return self._drop()
            self._event(self._chunk(model, {}, fake.finish_reason))
            if fake.usage and (body.get("stream_options") or {}).get("include_usage"):
                self._event({**self._chunk(model, {}), "choices": [], "usage": fake.usage})
            self._done()
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    @staticmethod
    def _chunk(model: str, delta: dict, finish: str | None = None) -> dict:
        return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000, "model": model,
                "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}]}

    def _write(self, data: bytes) -> None:
        step = 2 if self.fake.trickle else len(data)
        for i in range(0, len(data), step):
            piece = data[i:i + step]
            self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece) if self.fake.chunked else piece)
            self.wfile.flush()

    def _event(self, payload) -> None:
        if self.fake.ping:
            self._write(b": ping - 2025-01-01 00:00:00.000000+00:00\r\n\r\n")
        self._write(b"data: " + json.dumps(payload, ensure_ascii=False).encode() + b"\n\n")

    def _done(self) -> None:
        self._write(b"data: [DONE]\n\n")
        if self.fake.chunked:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()

    def _drop(self) -> None:
        self.wfile.flush()
        self.connection.shutdown(socket.SHUT_RDWR)
        self.close_connection = True


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A private certificate authority and a server certificate for 127.0.0.1 signed by it,
    as a team's own CA would issue: (CA bundle, server certificate, server key), PEM files."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.timezone.utc)
    valid = dict(not_valid_before=now - datetime.timedelta(days=1), not_valid_after=now + datetime.timedelta(days=2))

    def name(text):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_ski = x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key())
    ca = (x509.CertificateBuilder().subject_name(name("Team CA")).issuer_name(name("Team CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(valid["not_valid_before"]).not_valid_after(valid["not_valid_after"])
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(ca_ski, critical=False)
          .sign(ca_key, hashes.SHA256()))
    cert = (x509.CertificateBuilder().subject_name(name("127.0.0.1")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(valid["not_valid_before"]).not_valid_after(valid["not_valid_after"])
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ca_ski), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    paths = folder / "team-ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(pem))
    paths[1].write_bytes(cert.public_bytes(pem))
    paths[2].write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return paths
