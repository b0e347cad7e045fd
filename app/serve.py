"""The dashboard's server: `streamlit run app/serve.py` serves app/main.py through Streamlit's own server, with two
additions for phones on mobile data, where every byte before the first figure counts:
- GET /static/… is answered from memory: Streamlit sends its front-end files uncompressed (about 2.5 MB of scripts
  and styles on a first visit) and through its whole middleware stack; here scripts, style sheets and other text go
  gzip-compressed (compressed once per process) to a browser that accepts gzip, fonts and images as they are, all
  with a year-long cache header (the file names carry a content hash).
- The page shell (Streamlit's index.html, the answer to / and to every page's address) goes gzip-compressed and
  without its preload of Streamlit's Latin web font: the app's theme names the platform's own fonts, and that
  preload (170 kB) would compete with the scripts for the link.
Anything else goes on to Streamlit unchanged."""
from __future__ import annotations

import gzip
import mimetypes
import re
from pathlib import Path

import streamlit
import streamlit as st
from starlette.middleware import Middleware

FRONTEND = (Path(streamlit.__file__).parent / "static").resolve()   # /static/js/x.js is FRONTEND/static/js/x.js
TEXT = {".js", ".mjs", ".css", ".json", ".svg", ".map", ".txt", ".html", ".wasm"}
CACHE_HEADER = b"public, max-age=31536000, immutable"


class Answer:
    """One front-end file, ready to send: its headers and body, plain and (for text) gzip-compressed."""

    def __init__(self, file: Path):
        self.plain = file.read_bytes()
        self.gzipped = gzip.compress(self.plain, compresslevel=9, mtime=0) if file.suffix in TEXT else None
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        charset = b"; charset=utf-8" if kind.startswith(("text/", "application/j")) else b""
        self.common = [(b"content-type", kind.encode() + charset), (b"cache-control", CACHE_HEADER)]

    def start_and_body(self, gzip_accepted: bool) -> tuple[list, bytes]:
        if self.gzipped is not None and gzip_accepted:
            body, extra = self.gzipped, [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding")]
        else:
            body, extra = self.plain, [(b"vary", b"Accept-Encoding")] if self.gzipped is not None else []
        return [*self.common, *extra, (b"content-length", str(len(body)).encode())], body


WEB_FONT_PRELOAD = re.compile(rb'<link\s+rel="preload"\s+href="[^"]*/SourceSans[^"]*"[^>]*>\s*')


class PageShell:
    """The send of one response: an HTML page passes gzip-compressed (for a browser that accepts it) and without the
    web font's preload; any other response passes as it came."""

    def __init__(self, send, gzip_accepted: bool):
        self.send, self.gzip_accepted = send, gzip_accepted
        self.start, self.body = None, []

    async def __call__(self, message):
        if message["type"] == "http.response.start":
            headers = dict(message.get("headers", []))
            if (message["status"] == 200 and headers.get(b"content-type", b"").startswith(b"text/html")
                    and headers.get(b"content-encoding", b"gzip") == b"gzip"):
                self.start = message                              # kept until the whole body is in
                return
        elif message["type"] == "http.response.body" and self.start is not None:
            self.body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            await self.send_page(b"".join(self.body))
            return
        await self.send(message)

    async def send_page(self, page: bytes) -> None:
        dropped = (b"content-length", b"vary", b"content-encoding")
        if (b"content-encoding", b"gzip") in self.start.get("headers", []):    # Streamlit compresses some pages
            page = gzip.decompress(page)
        page = WEB_FONT_PRELOAD.sub(b"", page)
        headers = [(k, v) for k, v in self.start.get("headers", []) if k not in dropped]
        headers.append((b"vary", b"Accept-Encoding"))
        if self.gzip_accepted and page:
            page = gzip.compress(page, compresslevel=9, mtime=0)
            headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(page)).encode()))
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": page})


class CompressedFrontend:
    """ASGI middleware: Streamlit's static front-end files from memory, text gzip-compressed, read once and kept;
    the page shell compressed and without the web font's preload."""

    def __init__(self, app):
        self.app = app
        self.answers: dict[str, Answer] = {}             # by the request's path: only paths of front-end files

    def answer(self, path: str) -> Answer | None:
        """The front-end file a path names (read and kept on the first request), or None."""
        if path not in self.answers:
            file = (FRONTEND / path.lstrip("/")).resolve()
            if not (file.is_relative_to(FRONTEND) and file.is_file()):
                return None
            self.answers[path] = Answer(file)
        return self.answers[path]

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        gzip_accepted = any(name == b"accept-encoding" and b"gzip" in value for name, value in scope["headers"])
        answer = self.answer(scope["path"]) if scope["path"].startswith("/static/") else None
        if answer is None:
            await self.app(scope, receive, PageShell(send, gzip_accepted) if scope["method"] == "GET" else send)
            return
        headers, body = answer.start_and_body(gzip_accepted)
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})


app = st.App(Path(__file__).resolve().parent / "main.py", middleware=[Middleware(CompressedFrontend)])
