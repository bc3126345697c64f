"""A stand-in for the Hugging Face Hub's HTTP endpoints, on 127.0.0.1.

The real huggingface_hub client talks to it (HF_ENDPOINT points here): it serves
``POST /api/models/{repo}/paths-info/{rev}`` (sizes and LFS sha256),
``GET /api/models/{repo}/revision/{rev}`` (model info with file metadata), and
``HEAD/GET /{repo}/resolve/{rev}/{file}``, which, like the Hub, answers with the
X-Repo-Commit / X-Linked-Etag / X-Linked-Size headers and redirects to a "CDN" address
that honours Range requests. Knobs reproduce what goes wrong in real life: a token
required (401), the connection dropped mid-file, corrupted bytes, a slow link.
"""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote

COMMIT = "ef9b12f2ff56c69cf32153a02784e7a3c88bf524"


@dataclass
class HubFile:
    data: bytes
    sha256: str = ""  # what the Hub claims; defaults to the real hash of data

    def __post_init__(self) -> None:
        self.sha256 = self.sha256 or hashlib.sha256(self.data).hexdigest()


@dataclass
class Request:
    method: str
    path: str
    range: str | None
    authorization: str | None
    sent: int = 0  # body bytes sent in answer


@dataclass
class FakeHub:
    repo_id: str
    files: dict[str, HubFile]
    commit: str = COMMIT
    token: str | None = None  # when set, API and resolve calls without it get 401
    drop_after: int | None = None  # close the connection after this many body bytes, once
    corrupt: bool = False  # serve bytes that do not match the advertised sha256
    bytes_per_second: float | None = None  # throttle the body
    requests: list[Request] = field(default_factory=list)
    served: int = 0  # body bytes sent by the CDN address

    def __post_init__(self) -> None:
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    # -- lifecycle
    def start(self) -> "FakeHub":
        hub = self

        class Handler(_Handler):
            pass

        Handler.hub = hub
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def ranges(self) -> list[str | None]:
        return [r.range for r in self.requests if r.method == "GET" and r.path.startswith("/cdn/")]

    def _count(self, n: int) -> None:
        with self._lock:
            self.served += n


class _Handler(BaseHTTPRequestHandler):
    hub: FakeHub
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    # -- routing
    def do_HEAD(self) -> None:
        self._route("HEAD")

    def do_GET(self) -> None:
        self._route("GET")

    def do_POST(self) -> None:
        self._route("POST")

    def _route(self, method: str) -> None:
        hub = self.hub
        path = unquote(self.path.split("?", 1)[0])
        self.request_record = Request(method, path, self.headers.get("Range"), self.headers.get("Authorization"))
        hub.requests.append(self.request_record)
        body = b""
        if method == "POST":
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if path.startswith("/cdn/"):
            return self._cdn(method, path.removeprefix("/cdn/"))
        if hub.token and self.headers.get("Authorization") != f"Bearer {hub.token}":
            return self._error(401, "GatedRepo", f"Access to model {hub.repo_id} is restricted. You must have "
                                                 "access to it and be authenticated to access it.")
        repo = re.escape(hub.repo_id)
        if m := re.fullmatch(rf"/api/models/{repo}/paths-info/([^/]+)", path):
            return self._paths_info(m.group(1), body)
        if m := re.fullmatch(rf"/api/models/{repo}/revision/([^/]+)", path):
            return self._model_info(m.group(1))
        if m := re.fullmatch(rf"/{repo}/resolve/([^/]+)/(.+)", path):
            return self._resolve(method, m.group(1), m.group(2))
        if path.startswith("/api/models/") or "/resolve/" in path:
            return self._error(404, "RepoNotFound", "Repository not found")
        return self._error(404, None, "Not found")

    # -- answers
    def _json(self, status: int, payload, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, code: str | None, message: str) -> None:
        headers = {"X-Error-Message": message}
        if code:
            headers["X-Error-Code"] = code
        if self.command == "HEAD":
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._json(status, {"error": message}, headers)

    def _revision_ok(self, revision: str) -> bool:
        if revision in (self.hub.commit, "main"):
            return True
        self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}")
        return False

    def _entry(self, name: str) -> dict:
        f = self.hub.files[name]
        return {
            "type": "file", "path": name, "size": len(f.data),
            "oid": hashlib.sha1(f.data).hexdigest(),
            "lfs": {"oid": f.sha256, "size": len(f.data), "pointerSize": 134},
        }

    def _paths_info(self, revision: str, body: bytes) -> None:
        if not self._revision_ok(revision):
            return
        form = parse_qs(body.decode())
        wanted = form.get("paths", [])
        self._json(200, [self._entry(p) for p in wanted if p in self.hub.files])

    def _model_info(self, revision: str) -> None:
        if not self._revision_ok(revision):
            return
        siblings = [{"rfilename": name, "size": e["size"], "blobId": e["oid"], "lfs": e["lfs"]}
                    for name, e in ((n, self._entry(n)) for n in self.hub.files)]
        self._json(200, {"id": self.hub.repo_id, "modelId": self.hub.repo_id, "sha": self.hub.commit,
                         "private": False, "siblings": siblings, "tags": ["gguf"]})

    def _resolve(self, method: str, revision: str, name: str) -> None:
        if not self._revision_ok(revision):
            return
        f = self.hub.files.get(name)
        if f is None:
            return self._error(404, "EntryNotFound", f"{name} does not exist on {revision}")
        # Like the Hub for LFS files: a redirect to the storage, with the file's facts in headers.
        self.send_response(302)
        self.send_header("Location", f"{self.hub.url}/cdn/{f.sha256}")
        self.send_header("X-Repo-Commit", self.hub.commit)
        self.send_header("X-Linked-Etag", f'"{f.sha256}"')
        self.send_header("X-Linked-Size", str(len(f.data)))
        self.send_header("ETag", f'"{hashlib.sha1(f.data).hexdigest()}"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _cdn(self, method: str, sha: str) -> None:
        hub = self.hub
        f = next((f for f in hub.files.values() if f.sha256 == sha), None)
        if f is None:
            return self._error(404, None, "no such object")
        data = f.data
        if hub.corrupt:
            data = bytes([data[0] ^ 0xFF]) + data[1:]
        start = 0
        status = 200
        rng = self.headers.get("Range")
        if rng and (m := re.fullmatch(r"bytes=(\d+)-(\d*)", rng)):
            start = int(m.group(1))
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(data)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = 206
        body = data[start:]
        self.send_response(status)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Length", str(len(body)))
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        self.end_headers()
        if method == "HEAD":
            return
        self._send_body(body)

    def _send_body(self, body: bytes) -> None:
        hub = self.hub
        chunk = 64 * 1024
        sent = 0
        t0 = time.monotonic()
        try:
            while sent < len(body):
                piece = body[sent:sent + chunk]
                if hub.drop_after is not None and sent + len(piece) > hub.drop_after:
                    cut = max(hub.drop_after - sent, 0)
                    self.wfile.write(piece[:cut])
                    hub._count(cut)
                    self.request_record.sent += cut
                    hub.drop_after = None  # once
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                self.wfile.write(piece)
                sent += len(piece)
                hub._count(len(piece))
                self.request_record.sent += len(piece)
                if hub.bytes_per_second:
                    ahead = sent / hub.bytes_per_second - (time.monotonic() - t0)
                    if ahead > 0:
                        time.sleep(ahead)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


def serve_model(path: Path, repo_id: str, filename: str, **knobs) -> FakeHub:
    """A started fake Hub serving the file at ``path`` as ``repo_id/filename``."""
    return FakeHub(repo_id, {filename: HubFile(Path(path).read_bytes())}, **knobs).start()
