"""The dashboard in a real Streamlit server and a real headless Chromium."""
from __future__ import annotations

import pytest

from tests.conftest import browser_log_in, streamlit_server


@pytest.fixture(scope="module")
def demo_url(demo_warehouse):
    """URL of a Streamlit server on the demo warehouse."""
    with streamlit_server(demo_warehouse) as url:
        yield url


def test_dashboard_renders_chinese_with_a_cjk_font(demo_url, browser_page):
    browser_log_in(browser_page, demo_url)
    title = browser_page.get_by_role("heading", level=1).first
    title.wait_for(timeout=30_000)
    assert "质量" in title.inner_text() or "总览" in title.inner_text()
    # the glyphs are drawn with a CJK font, not tofu boxes: the fonts Chromium used for the heading
    session = browser_page.context.new_cdp_session(browser_page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    node = session.send("DOM.querySelector", {"nodeId": session.send("DOM.getDocument")["root"]["nodeId"],
                                              "selector": "h1"})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    assert any("CJK" in f["familyName"] or "Noto Sans SC" in f["familyName"] for f in fonts), fonts
