"""The HTTP side of ``lectern serve``: local only, lesson outputs and its own page only.

Every request is refused unless its Host header names this machine (a web page
elsewhere cannot reach the server by pointing a DNS name at 127.0.0.1), and only these
paths exist; nothing maps a URL to a file path, so no URL, encoded or not, reaches a
file that is not a lesson's artifact, and there is no directory to list:

    /                                the page           /assets/NAME   its script and style
    /api/state                       every lesson       /events        updates (SSE)
    /lesson/NAME/KIND/N.png          a picture          /lesson/NAME/files/ARTIFACT
"""

from __future__ import annotations

import json
import queue
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urlsplit

from builder.serve.previews import Previews

ASSETS = {
    "page.js": "text/javascript; charset=utf-8",
    "page.css": "text/css; charset=utf-8",
}
LOCAL_NAMES = ("127.0.0.1", "localhost", "[::1]")
KEEPALIVE = 15.0
"""Seconds between comments on an idle event stream, so proxies and browsers keep it."""
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'self'; img-src 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class Events:
    """Updates for every open page: each stream has its own queue."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: list[queue.Queue] = []

    def publish(self, event: str, data: dict) -> None:
        message = f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"
        with self._lock:
            for stream in self._streams:
                stream.put(message)

    def subscribe(self) -> queue.Queue:
        stream: queue.Queue = queue.Queue()
        with self._lock:
            self._streams.append(stream)
        return stream

    def unsubscribe(self, stream: queue.Queue) -> None:
        with self._lock:
            self._streams.remove(stream)


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host headers a request may carry: this machine's names (and the --host
    address), with the port."""
    names = {*LOCAL_NAMES, f"[{host}]" if ":" in host else host}
    return {f"{name}:{port}" for name in names} | ({*names} if port == 80 else set())


def make_server(host: str, port: int, previews: Previews, events: Events) -> ThreadingHTTPServer:
    """A server bound to host:port (port 0: any free one), not yet serving."""

    class Handler(_Handler):
        pass

    Handler.previews, Handler.events = previews, events
    server = ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    Handler.hosts = allowed_hosts(host, server.server_address[1])
    return server


class _Handler(BaseHTTPRequestHandler):
    previews: Previews
    events: Events
    hosts: set[str]
    server_version = "lectern"
    sys_version = ""

    def log_message(self, format: str, *args) -> None:  # the terminal shows builds, not GETs
        pass

    def do_GET(self) -> None:
        self._answer(body=True)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def _refuse(self, status: int, why: str) -> None:
        data = f"{status} {why}\n".encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def _send(self, data: bytes, kind: str, body: bool, extra: dict | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for name, value in {**SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if body:
            self.wfile.write(data)

    def _answer(self, body: bool) -> None:
        if self.headers.get("Host", "").lower() not in self.hosts:
            return self._refuse(403, "this server answers only requests for this machine")
        path = urlsplit(self.path).path
        if path == "/":
            return self._send(_asset("page.html"), "text/html; charset=utf-8", body)
        if path == "/api/state":
            data = json.dumps(self.previews.state(), ensure_ascii=False).encode()
            return self._send(data, "application/json", body)
        if path == "/events":
            return self._stream()
        try:
            parts = [unquote(part, errors="strict") for part in path.split("/")[1:]]
        except UnicodeDecodeError:
            return self._refuse(400, "not a path")
        if len(parts) == 2 and parts[0] == "assets" and parts[1] in ASSETS:
            return self._send(_asset(parts[1]), ASSETS[parts[1]], body)
        if len(parts) == 4 and parts[0] == "lesson":
            return self._lesson_file(parts[1], parts[2], parts[3], body)
        return self._refuse(404, "not found")

    def _lesson_file(self, name: str, kind: str, item: str, body: bool) -> None:
        if kind == "files":
            found = self.previews.download(name, item)
            try:
                data = found.read_bytes() if found and found.is_file() else None
            except OSError:
                data = None
            if data is None:
                return self._refuse(404, "not found")
            disposition = {"Content-Disposition": "attachment"}
            return self._send(data, _kind(item), body, disposition)
        number = item.removesuffix(".png")
        if item.endswith(".png") and number.isascii() and number.isdigit():
            picture = self.previews.picture(name, kind, int(number) - 1)
            if picture is not None:
                return self._send(picture.png, "image/png", body)
        return self._refuse(404, "not found")

    def _stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        for name, value in SECURITY_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        stream = self.events.subscribe()
        try:
            self.wfile.write(b": connected\n\n")
            self.wfile.flush()
            while True:
                try:
                    message = stream.get(timeout=KEEPALIVE)
                except queue.Empty:
                    message = ": keepalive\n\n"
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        finally:
            self.events.unsubscribe(stream)


def _asset(name: str) -> bytes:
    return files("builder.serve").joinpath("assets", name).read_bytes()


def _kind(artifact: str) -> str:
    suffix = Path(artifact).suffix
    return {
        ".pdf": "application/pdf",
        ".png": "image/png",
        ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    }.get(suffix, "application/octet-stream")
