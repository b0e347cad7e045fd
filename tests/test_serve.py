"""The dashboard's own server (app/serve.py, as the README starts it) against a real Streamlit server: the front end
from memory, text gzip-compressed with a year-long cache header, and the page shell compressed without the preload
of a web font the theme never uses. The bytes are compared with the files Streamlit ships."""
from __future__ import annotations

import gzip
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest
import streamlit

from tests.conftest import streamlit_server

SHIPPED = Path(streamlit.__file__).parent / "static"          # what Streamlit serves at /


@pytest.fixture(scope="module")
def server(demo_warehouse):
    with streamlit_server(demo_warehouse) as url:
        yield url


def fetch(url: str, gzip_ok: bool = True, method: str = "GET") -> tuple[int, dict, bytes]:
    """(status, headers with lower-case names, body as sent on the wire)."""
    request = urllib.request.Request(url, method=method, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


class Tags(HTMLParser):
    """Every <link> and <script> of a page, as (tag, sorted attributes)."""

    def __init__(self, page: bytes):
        super().__init__()
        self.tags = []
        self.feed(page.decode())

    def handle_starttag(self, tag, attrs):
        if tag in ("link", "script"):
            self.tags.append((tag, tuple(sorted(attrs, key=lambda a: a[0]))))


def shipped_script() -> Path:
    """The largest of Streamlit's front-end scripts."""
    return max((SHIPPED / "static" / "js").glob("*.js"), key=lambda p: p.stat().st_size)


def test_a_front_end_script_goes_gzip_compressed_with_a_year_long_cache_header(server):
    script = shipped_script()
    status, headers, body = fetch(f"{server}/static/js/{script.name}")
    assert status == 200 and headers["content-encoding"] == "gzip"
    assert gzip.decompress(body) == script.read_bytes()
    assert len(body) < 0.4 * script.stat().st_size
    assert "max-age=31536000" in headers["cache-control"] and "immutable" in headers["cache-control"]
    assert "javascript" in headers["content-type"]
    status, headers, body = fetch(f"{server}/static/js/{script.name}", gzip_ok=False)   # a client without gzip
    assert status == 200 and "content-encoding" not in headers and body == script.read_bytes()


def test_fonts_pass_as_they_are_with_the_cache_header(server):
    font = next((SHIPPED / "static" / "media").glob("MaterialSymbols*.woff2"))
    status, headers, body = fetch(f"{server}/static/media/{font.name}")
    assert status == 200 and "content-encoding" not in headers and body == font.read_bytes()
    assert headers["content-type"] == "font/woff2" and "immutable" in headers["cache-control"]


@pytest.mark.parametrize("path", ["/", "/phone", "/overview"])
def test_the_page_shell_goes_compressed_and_without_the_web_font_preload(server, path):
    status, headers, body = fetch(server + path)
    assert status == 200 and headers["content-encoding"] == "gzip"
    page, shipped = gzip.decompress(body), (SHIPPED / "index.html").read_bytes()
    preloads = [t for t in Tags(shipped).tags if ("rel", "preload") in t[1]]
    assert preloads and all("/SourceSans" in dict(t[1])["href"] for t in preloads)    # Streamlit's Latin web font
    assert Tags(page).tags == [t for t in Tags(shipped).tags if t not in preloads]
    assert len(body) < 0.5 * len(page)


def test_a_head_request_and_a_client_without_gzip_get_the_shell_as_streamlit_sends_it(server):
    status, headers, body = fetch(server + "/phone", method="HEAD")
    assert status == 200 and body == b"" and "content-encoding" not in headers
    status, headers, body = fetch(server + "/phone", gzip_ok=False)
    assert status == 200 and "content-encoding" not in headers
    assert b"SourceSans" not in body and Tags(body).tags


def test_nothing_outside_the_front_end_folder_is_answered(server):
    secret = (SHIPPED.parent / "__init__.py").read_bytes()
    climbs = ("..%2f..%2f", "%2e%2e/%2e%2e/", "js/" + "../" * 3)            # encoded, and plain dot segments
    for path in [f"/static/{climb}__init__.py" for climb in climbs]:
        status, _, body = fetch(server + path, gzip_ok=False)
        assert body != secret and (status != 200 or body.lstrip().startswith((b"<!--", b"<!DOCTYPE")))
