"""Layout in a real Streamlit server and Debian Chromium: every page on a 390×844 phone (no sideways scrolling, no
text under 14 px, every KPI card of the phone view visible, a card opening its trend by touch and by keyboard), the
phone view as the landing page on a phone, and meeting mode on a 1920×1080 projector (every slide fits without
scrolling, KPI values at least 48 px, ← → turn the slides, Chinese in a CJK font, the PDF pack downloaded and read).

One server (the real app/main.py) and one logged-in page per viewport for the whole module.
"""
from __future__ import annotations

import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from tests.conftest import ADMIN_PASSWORD, SCREENSHOT_DIR, streamlit_server

ROOT = Path(__file__).resolve().parents[1]
PHONE, PROJECTOR = {"width": 390, "height": 844}, {"width": 1920, "height": 1080}
IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.4 Mobile/15E148 Safari/604.1")
MIN_TEXT_PX, MIN_VALUE_PX = 14, 48
MEETING_TITLES = ["质量例会 · 指标总览", "检验合格率", "客诉与及时性", "供应商", "顾客满意度与市场占有率", "纠正措施、计量与安全", "质量成本",
                  "数据质量"]

LAYOUT_JS = """(minPx) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const block = document.querySelector('[data-testid="stMainBlockContainer"]');
  const small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    if (!text) continue;
    const el = node.parentElement, style = getComputedStyle(el);
    if (style.visibility === 'hidden' || parseFloat(style.opacity) === 0) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const shown = [...range.getClientRects()]
      .some(r => r.width > 1 && r.height > 1 && r.right > 0 && r.left < innerWidth);
    if (shown && parseFloat(style.fontSize) < minPx) small.push(style.fontSize + ' ' + text.slice(0, 30));
  }
  return {page: [document.documentElement.scrollWidth, innerWidth], main: [main.scrollWidth, main.clientWidth],
          block: [block.scrollWidth, block.clientWidth], small: small.slice(0, 10)};
}"""
SLIDE_JS = """() => {
  const main = document.querySelector('[data-testid="stMain"]'), slide = document.querySelector('.mt-slide');
  const values = [...slide.querySelectorAll('.mt-value')].map(e => parseFloat(getComputedStyle(e).fontSize));
  return {page: [document.documentElement.scrollHeight, innerHeight], main: [main.scrollHeight, main.clientHeight],
          bottom: slide.getBoundingClientRect().bottom, slide: +slide.dataset.slide, slides: +slide.dataset.slides,
          title: slide.querySelector('.mt-title').textContent, values: values};
}"""


@pytest.fixture(scope="module")
def app_url(demo_warehouse):
    """URL of one server on the demo warehouse for the module."""
    with streamlit_server(demo_warehouse, {"QUALITY_ADMIN_PASSWORD": ADMIN_PASSWORD}) as url:
        yield url


def log_in(page, url: str) -> None:
    """Log in as admin at url (a narrow window may switch pages meanwhile: any logout button will do)."""
    page.goto(url)
    page.get_by_label("用户名").fill("admin")
    page.get_by_label("密码").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("button", name="退出登录").first.wait_for(timeout=30_000)


def settled(page, timeout: float = 60_000) -> None:
    """Wait until the script run is over and the page has drawn (charts included)."""
    page.wait_for_timeout(300)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=timeout)
    page.wait_for_timeout(700)


@pytest.fixture(scope="module")
def phone_page(chromium, app_url):
    """A logged-in 390×844 page of a desktop browser (its width says phone); landed_on: (h1, URL) after login."""
    context = chromium.new_context(viewport=PHONE, locale="zh-CN")
    page = context.new_page()
    log_in(page, app_url)
    page.locator(".ph-row").first.wait_for(timeout=60_000)
    page.landed_on = (page.get_by_role("heading", level=1).first.inner_text(), page.url)
    yield page
    context.close()


@pytest.fixture(scope="module")
def projector_page(chromium, app_url):
    """A logged-in page in a 1920×1080 window, on meeting mode."""
    context = chromium.new_context(viewport=PROJECTOR, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    log_in(page, app_url)
    page.goto(f"{app_url}/meeting")
    page.locator(".mt-slide").wait_for(timeout=60_000)
    settled(page)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def screenshot_on_failure(request):
    """When a test fails, a screenshot of the module's pages it used goes to SCREENSHOT_DIR."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    for name in ("phone_page", "projector_page"):
        if name in request.fixturenames:
            shot = SCREENSHOT_DIR / f"{request.node.name}-{name}.png"
            request.getfixturevalue(name).screenshot(path=str(shot))
            print(f"screenshot of the failure: {shot}")


def platform_fonts(page, selector: str) -> list[str]:
    """The font families Chromium drew the first element matching selector with (CDP)."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument")["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    session.detach()
    return [f["familyName"] for f in fonts]


def assert_fits_a_phone(page, where: str) -> None:
    """No sideways scrolling (page, main area, main block) and no visible text under 14 px."""
    found = page.evaluate(LAYOUT_JS, MIN_TEXT_PX)
    for box in ("page", "main", "block"):
        assert found[box][0] <= found[box][1], (where, box, found)
    assert not found["small"], (where, found["small"])


# The phone ---------------------------------------------------------------------------------------------------------


def test_a_narrow_window_lands_on_the_phone_view_with_every_card_visible(phone_page, app_url):
    assert phone_page.landed_on[0] == "手机看板"                          # logged in at / : the phone view
    phone_page.goto(f"{app_url}/phone")
    phone_page.locator(".ph-row").first.wait_for(timeout=60_000)
    settled(phone_page)
    cards = phone_page.locator(".ph-row")
    assert cards.count() == 19
    for i in range(cards.count()):
        card = cards.nth(i)
        card.scroll_into_view_if_needed()
        box = card.bounding_box()
        assert box and box["height"] > 40 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], i
        assert card.evaluate("""c => { const r = c.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return c.closest('[data-testid="stVerticalBlock"]').contains(hit); }"""), i
    assert_fits_a_phone(phone_page, "phone")
    assert any("CJK" in f or "Noto Sans SC" in f for f in platform_fonts(phone_page, ".ph-label")), "no CJK font"


def test_a_tap_or_the_keyboard_opens_a_cards_24_month_trend(phone_page, app_url):
    phone_page.goto(f"{app_url}/phone")
    phone_page.locator(".ph-row").first.wait_for(timeout=60_000)
    settled(phone_page)
    card = phone_page.locator('[class*="st-key-phone-row-final_inspection_pass_rate"]')
    card.scroll_into_view_if_needed()
    box = card.locator(".ph-value").bounding_box()
    phone_page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)    # a tap on the value
    card.locator('[data-testid="stVegaLiteChart"]').wait_for(timeout=30_000)
    settled(phone_page)
    assert_fits_a_phone(phone_page, "phone with a trend open")
    summary = phone_page.locator('[class*="st-key-phone-row-airtightness_first_pass_rate"] summary')
    summary.focus()
    phone_page.keyboard.press("Enter")
    phone_page.locator('[class*="st-key-phone-row-airtightness_first_pass_rate"] [data-testid="stVegaLiteChart"]') \
        .wait_for(timeout=30_000)


def test_every_page_fits_a_390_px_phone(phone_page, app_url):
    phone_page.goto(app_url)
    settled(phone_page)
    links = phone_page.locator('a[data-testid="stSidebarNavLink"]')
    paths = sorted({urllib.parse.urlparse(links.nth(i).get_attribute("href")).path.strip("/")
                    for i in range(links.count())})
    assert {"phone", "meeting", "inspections"} <= set(paths), paths
    for path in paths:
        phone_page.goto(f"{app_url}/{path}")
        phone_page.locator("h1, .mt-slide").first.wait_for(timeout=60_000)
        settled(phone_page)
        assert_fits_a_phone(phone_page, path or "/")


def test_a_phone_lands_on_the_phone_view_at_once(chromium, app_url):
    context = chromium.new_context(viewport=PHONE, locale="zh-CN", user_agent=IPHONE)
    try:
        page = context.new_page()
        page.goto(app_url)
        page.get_by_label("密码").wait_for(timeout=60_000)
        settled(page)
        assert_fits_a_phone(page, "login")                             # the login form fits a phone too
        log_in(page, app_url)
        page.locator(".ph-row").first.wait_for(timeout=60_000)
        assert urllib.parse.urlparse(page.url).path.strip("/") == ""   # the landing page itself, not a switch
    finally:
        context.close()


# The projector ------------------------------------------------------------------------------------------------


def test_meeting_slides_fit_a_1920_by_1080_projector_and_turn_with_the_arrow_keys(projector_page):
    page = projector_page
    if page.evaluate(SLIDE_JS)["slide"] != 1:
        page.reload()
        page.locator(".mt-slide").wait_for(timeout=60_000)
        settled(page)
    assert page.locator('section[data-testid="stSidebar"]').is_hidden()
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    first = page.evaluate(SLIDE_JS)
    assert first["slide"] == 1
    titles = []
    for n in range(1, first["slides"] + 1):
        found = page.evaluate(SLIDE_JS)
        assert found["slide"] == n
        assert found["page"][0] <= found["page"][1] and found["main"][0] <= found["main"][1], (n, found)
        assert found["bottom"] <= PROJECTOR["height"], (n, found)
        assert all(v >= MIN_VALUE_PX for v in found["values"]), (n, found["values"])
        titles.append(found["title"].replace("（续）", ""))
        if n < first["slides"]:
            page.keyboard.press("ArrowRight")
            page.wait_for_function(f"() => +document.querySelector('.mt-slide').dataset.slide === {n + 1}",
                                   timeout=15_000)
    assert list(dict.fromkeys(titles)) == MEETING_TITLES
    page.keyboard.press("ArrowLeft")
    page.wait_for_function(f"() => +document.querySelector('.mt-slide').dataset.slide === {first['slides'] - 1}",
                           timeout=15_000)
    assert any("CJK" in f or "Noto Sans SC" in f for f in platform_fonts(page, ".mt-title")), "no CJK font"


def test_the_meeting_pack_downloads_as_a_pdf_with_chinese_titles_on_pages_that_are_not_blank(projector_page, tmp_path):
    from PIL import Image

    assert shutil.which("pdftotext") and shutil.which("pdftoppm"), "apt-get install poppler-utils"
    with projector_page.expect_download(timeout=60_000) as download:
        projector_page.get_by_role("button", name="下载会议材料 PDF").click()
    pdf = tmp_path / "pack.pdf"
    download.value.save_as(pdf)
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert all(title in text for title in MEETING_TITLES), text[:300]
    subprocess.run(["pdftoppm", "-r", "20", "-png", str(pdf), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) >= len(MEETING_TITLES)
    for image in images:
        grey = Image.open(image).convert("L")
        dark = sum(1 for value in grey.getdata() if value < 128)
        assert dark > 0.005 * grey.width * grey.height, image.name
