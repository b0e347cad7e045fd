"""The dashboard's server: `streamlit run app/serve.py` serves app/main.py through Streamlit's own server, with one
addition for phones on mobile data: Streamlit sends its front-end scripts and styles uncompressed (about 2.5 MB on a
first visit), so GET /static/… for a script, style sheet or other text file is answered here gzip-compressed
(compressed once per process, kept in memory), with a year-long cache header (the file names carry a content hash).
Anything else, and a browser that does not accept gzip, goes on to Streamlit unchanged."""
from __future__ import annotations

import gzip
import mimetypes
from pathlib import Path

import streamlit
import streamlit as st
from starlette.middleware import Middleware

FRONTEND = (Path(streamlit.__file__).parent / "static").resolve()   # /static/js/x.js is FRONTEND/static/js/x.js
TEXT = {".js", ".mjs", ".css", ".json", ".svg", ".map", ".txt", ".html", ".wasm"}
CACHE_HEADER = b"public, max-age=31536000, immutable"


class CompressedFrontend:
    """ASGI middleware: Streamlit's static text files gzip-compressed, compressed once and kept."""

    def __init__(self, app):
        self.app = app
        self.compressed: dict[Path, bytes] = {}

    def frontend_file(self, scope) -> Path | None:
        """The front-end text file a GET or HEAD asks for in gzip, or None (then Streamlit answers)."""
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or not scope["path"].startswith("/static/"):
            return None
        accepted = dict(scope["headers"]).get(b"accept-encoding", b"")
        if b"gzip" not in accepted:
            return None
        file = (FRONTEND / scope["path"].lstrip("/")).resolve()
        if file.suffix not in TEXT or not file.is_relative_to(FRONTEND) or not file.is_file():
            return None
        return file

    async def __call__(self, scope, receive, send):
        file = self.frontend_file(scope)
        if file is None:
            await self.app(scope, receive, send)
            return
        body = self.compressed.get(file)
        if body is None:
            body = self.compressed[file] = gzip.compress(file.read_bytes(), compresslevel=9, mtime=0)
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        await send({"type": "http.response.start", "status": 200, "headers": [
            (b"content-type", kind.encode() + (b"; charset=utf-8" if kind.startswith(("text/", "application/j")) else b"")),
            (b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding"), (b"cache-control", CACHE_HEADER),
            (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body if scope["method"] == "GET" else b""})


app = st.App(Path(__file__).resolve().parent / "main.py", middleware=[Middleware(CompressedFrontend)])
