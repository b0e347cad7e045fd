"""Logins and a survey upload in a real Streamlit server and a real headless Chromium: the session survives a reload
through its cookie (never the address), a viewer cannot open a tool page by its address, and a GBK survey CSV goes
through the upload page's file chooser, preview and commit."""
from __future__ import annotations

import time

import urllib.parse

import pytest

from tests.conftest import add_account, browser_log_in, query, streamlit_server
from tests.test_upload import THREE, survey_bytes

VIEWER = ("viewer.zhao", "viewer-password-1")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """(URL, warehouse) of a Streamlit server on a warehouse not created yet, with a viewer account."""
    warehouse = tmp_path_factory.mktemp("browser-upload") / "wh" / "quality.duckdb"
    add_account(warehouse, VIEWER[0], "viewer", VIEWER[1])
    with streamlit_server(warehouse) as url:
        yield url, warehouse


def session_cookies(page) -> list[dict]:
    """The app's session cookies in the page's browser context."""
    return [c for c in page.context.cookies() if c["name"] == "quality_session"]


def test_a_login_survives_a_reload_through_a_cookie_and_logout_ends_it(server, browser_page):
    url, _ = server
    page = browser_page
    page.goto(url)
    page.get_by_label("密码").wait_for(timeout=30_000)
    assert page.get_by_role("heading", level=1).first.inner_text() == "登录质量 KPI 看板"
    assert page.locator('[data-testid="stMetric"]').count() == 0
    browser_log_in(page, url)
    [cookie] = session_cookies(page)
    assert cookie["sameSite"] == "Strict" and cookie["path"] == "/" and cookie["expires"] == -1   # ends with the browser
    query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)                       # not in the address:
    assert cookie["value"] not in page.url and set(query) <= {"lang", "period", "year", "month"}   # only the view
    page.reload()
    page.get_by_role("button", name="退出登录").wait_for(timeout=30_000)
    assert page.get_by_role("heading", level=1).first.inner_text() == "总览"
    assert page.get_by_label("密码").count() == 0
    page.get_by_role("button", name="退出登录").click()
    page.get_by_label("密码").wait_for(timeout=30_000)
    page.wait_for_function("() => !document.cookie.includes('quality_session=')", timeout=10_000)
    assert not session_cookies(page)
    page.reload()
    page.get_by_label("密码").wait_for(timeout=30_000)
    assert page.get_by_role("button", name="退出登录").count() == 0


@pytest.mark.parametrize("path", ["upload", "refresh", "users"])
def test_a_viewer_opening_a_tool_pages_address_gets_no_such_page(server, browser_page, path):
    url, _ = server
    page = browser_page
    page.goto(f"{url}/{path}")
    page.get_by_label("密码").wait_for(timeout=30_000)             # logged out: the address shows the login form
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    browser_log_in(page, url, *VIEWER, path=path)                 # logging in there lands on the overview
    assert page.get_by_role("heading", level=1).first.inner_text() == "总览"
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    page.goto(f"{url}/{path}")                                   # logged in (the cookie), asking for the address
    page.get_by_text("Page not found").wait_for(timeout=30_000)
    page.get_by_role("button", name="退出登录").wait_for(timeout=30_000)
    assert page.get_by_role("heading", level=1).first.inner_text() == "总览"
    assert page.locator('[data-testid="stFileUploader"]').count() == 0
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert "总览" in nav and not any(word in nav for word in ("上传", "刷新", "用户", "审计", "报告"))


def test_a_gbk_survey_uploads_through_the_page(server, browser_page, tmp_path):
    url, warehouse = server
    page = browser_page
    survey = tmp_path / "2021年顾客满意度调查.csv"
    survey.write_bytes(survey_bytes(THREE, "gbk"))
    browser_log_in(page, url, path="upload")
    assert page.get_by_role("heading", level=1).first.inner_text() == "上传"
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(survey))
    page.get_by_text("可导入 3 行").wait_for(timeout=60_000)
    caption = page.get_by_text("编码 gb18030").first.inner_text()
    assert "GBK" in caption and "数据 3 行" in caption
    mapping = page.locator('[data-testid="stTable"]').first.inner_text()
    for header, column in [("调查年度", "survey_year"), ("问卷编号", "response_id"), ("客户名称", "customer"),
                           ("总体满意度", "overall_score"), ("问题8", "q:问题8")]:
        assert header in mapping and column in mapping
    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("已导入 3 行").wait_for(timeout=60_000)
    page.get_by_test_id("stText").get_by_text("2021年顾客满意度调查.csv", exact=True).wait_for(timeout=10_000)  # batch list
    assert query(warehouse, "SELECT count(*), min(upload_batch) LIKE 'U%' FROM survey_response") == [(3, True)]


ENGLISH_UPLOADER = ("Upload", "per file", "Drag and drop", "File must be", "Error:", "Add files", "Remove ", "file upload",
                    "add icon")


def uploader_text(page) -> str:
    """Everything the first file uploader says, to sight and to a screen reader (text, aria-labels, titles)."""
    return page.locator('[data-testid="stFileUploader"]').first.evaluate(
        "u => [u.innerText, ...Array.from(u.querySelectorAll('[aria-label], [title]'), "
        "e => (e.getAttribute('aria-label') || '') + ' ' + (e.getAttribute('title') || ''))].join('\\n')")


def settled_uploader_text(page, words: list[str], seconds: float = 10) -> str:
    """uploader_text once none of words is in it (the page translates what Streamlit redraws a moment after it
    draws it), or as it stands after seconds."""
    deadline = time.monotonic() + seconds
    text = uploader_text(page)
    while any(w in text for w in words) and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        text = uploader_text(page)
    return text


def drag_over(page) -> None:
    """A file dragged over the first uploader's drop zone (the events a browser sends while dragging)."""
    files = page.evaluate_handle("() => { const d = new DataTransfer(); "
                                 "d.items.add(new File(['a,b'], 'a.csv', {type: 'text/csv'})); return d; }")
    page.locator('[data-testid="stFileUploaderDropzone"]').first.dispatch_event("dragenter", {"dataTransfer": files})


def test_the_uploaders_own_texts_are_in_the_pages_language(server, browser_page, tmp_path):
    url, _ = server
    page = browser_page
    big = tmp_path / "big.csv"
    big.write_bytes(b"a,b\n" + b"1,2\n" * (21 * 1024 * 1024 // 4))      # over the 20 MB limit
    browser_log_in(page, url, path="refresh")
    instructions = page.locator('[data-testid="stFileUploaderDropzoneInstructions"]').first
    instructions.get_by_text("单个文件不超过 20MB").wait_for(timeout=30_000)
    assert instructions.inner_text() == "单个文件不超过 20MB • CSV, TXT, TSV, XLSX, XLSM, XLS, HTML"
    dropzone = page.locator('[data-testid="stFileUploaderDropzone"]').first
    assert dropzone.locator('[data-testid="stBaseButton-secondary"]').inner_text().split("\n")[-1] == "选择文件"
    drag_over(page)
    dropzone.get_by_text("将文件拖放到此处").wait_for(timeout=10_000)
    assert not any(word in uploader_text(page) for word in ENGLISH_UPLOADER), uploader_text(page)
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(str(big))
    alert = page.locator('[data-testid="stFileUploader"] [role="alert"]').first
    alert.wait_for(state="attached", timeout=30_000)
    assert alert.text_content() == "错误：文件不能超过 20.0MB。"
    page.locator('[data-testid="stFileChip"]').first.hover()
    page.locator('[data-testid="stTooltipErrorContent"]').get_by_text("文件不能超过 20.0MB。").wait_for(timeout=10_000)
    text = settled_uploader_text(page, ENGLISH_UPLOADER)
    assert "删除 big.csv" in text and "添加文件" in text and not any(w in text for w in ENGLISH_UPLOADER), text

    page.get_by_text("English", exact=True).click()                          # the same page in English
    page.get_by_role("heading", name="Refresh").wait_for(timeout=30_000)
    alert.get_by_text("Error: File must be 20.0MB or smaller.").wait_for(state="attached", timeout=10_000)
    text = uploader_text(page)
    assert "Remove big.csv" in text and "Add files" in text and not any("\u4e00" <= ch <= "\u9fff" for ch in text), text

    page.get_by_role("link", name="Upload").click()                           # the upload page, in English
    page.get_by_role("heading", name="Upload", level=1).wait_for(timeout=30_000)
    instructions = page.locator('[data-testid="stFileUploaderDropzoneInstructions"]').first
    instructions.get_by_text("20MB per file").wait_for(timeout=30_000)
    assert instructions.inner_text() == "20MB per file • CSV, TXT, XLSX, XLS, HTML"
    assert page.locator('[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"]').first.inner_text().split("\n")[-1] == "Upload"
    drag_over(page)
    page.get_by_text("Drag and drop a file here").wait_for(timeout=10_000)

    page.get_by_text("中文", exact=True).click()                              # and back in Chinese
    page.get_by_role("heading", name="上传", level=1).wait_for(timeout=30_000)
    instructions.get_by_text("单个文件不超过 20MB").wait_for(timeout=30_000)
    assert "选择文件" in uploader_text(page) and not any(w in uploader_text(page) for w in ENGLISH_UPLOADER)
