"""The task register page (`/tasks`) in a real headless Chromium, against the real app on a loopback port.

The service runs with API keys (no public chat), as in production: most tests put the chat key in
sessionStorage the way the chat page's key prompt does, and one test goes through the prompt itself.
The index holds the Hà Tĩnh plan fixture and a hand-made plan whose tasks carry HTML. A second server,
open (no keys), holds only a plan with markup in every field the page shows (action, body, document
title, section, source). Statuses are computed at a fixed `as_of` passed in the page URL, so the
tests do not depend on today's date.

Chromium comes from the system (`scripts/ensure_deb.sh`); screenshots land in artifacts/screenshots/.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from tests.test_web_browser import CHROMIUM, CHROMIUM_ARGS, SHOTS, PageErrors, _skip_or_fail, serve_app

try:
    from playwright.sync_api import expect
except ImportError:  # reported by the `browser` fixture: skip locally, fail in CI
    expect = None  # type: ignore[assignment]

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "official" / "kehoach-mau-ha-tinh.txt"
CHAT_KEY, ADMIN_KEY = "tasks-test-chat", "tasks-test-admin"
KEY_STORE = "qa-widget-api-key"
AS_OF = "2026-01-10"
XSS_IMG = '<img src=x onerror="window.__xss=1">'
XSS_DOC = f"""ỦY BAN NHÂN DÂN
TỈNH KIỂM THỬ
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 99/KH-UBND
Kiểm Thử, ngày 01 tháng 10 năm 2025

KẾ HOẠCH

KIỂM THỬ HIỂN THỊ TRÊN SỔ NHIỆM VỤ

I. TỔ CHỨC THỰC HIỆN

1. Sở Nội vụ chủ trì {XSS_IMG} hoàn thành trước ngày 31/12/2025.

2. Sở Y tế phối hợp với Sở Nội vụ kiểm tra <b onmouseover="window.__xss=1">nội dung</b> và
<script>window.__xss=1</script>, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/01/2026.
"""
# A plan whose task action, lead body (a task table's cell no body pattern knows is taken whole),
# trích yếu (the document title), section heading and file name (the task's source) all carry markup.
XSS_SCRIPT = "<script>window.__xss=2</script>"
XSS_SVG = '"><svg onload=window.__xss=3>'
XSS_JS_URL = "javascript:window.__xss=4"
XSS_SOURCE = "javascript:window.__xss=5;document.txt"
XSS_ACTOR = f"Tổ công tác {XSS_IMG}"
XSS_PLAN = f"""ỦY BAN NHÂN DÂN
TỈNH KIỂM THỬ
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 98/KH-UBND
Kiểm Thử, ngày 02 tháng 10 năm 2025

KẾ HOẠCH

Về kiểm thử sổ nhiệm vụ {XSS_SCRIPT} {XSS_SVG}

I. TỔ CHỨC THỰC HIỆN {XSS_SVG}

1. Sở Nội vụ chủ trì lập danh mục {XSS_IMG} tại {XSS_JS_URL}, hoàn thành trước ngày 31/12/2025.

Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn Mẫu

PHỤ LỤC

DANH MỤC NHIỆM VỤ

STT
Nội dung nhiệm vụ
Cơ quan chủ trì
Cơ quan phối hợp
Thời gian hoàn thành
1
Rà soát, chuẩn hóa các biểu mẫu báo cáo định kỳ của các cơ quan, đơn vị trên địa bàn tỉnh và
công bố danh mục biểu mẫu đã rà soát trên Cổng thông tin điện tử của tỉnh để người dân theo dõi,
kèm {XSS_SCRIPT}.
{XSS_ACTOR}
Tháng 12/2026
"""
# Task actions (substrings) in the two documents, as the register extracts them.
KHO_HOC_LIEU = "xây dựng kho học liệu số"
KINH_PHI = "bố trí kinh phí thực hiện Kế hoạch"
TONG_HOP = "Tổng hợp kết quả thực hiện"
HANG_QUY = "bố trí giáo viên phụ trách công nghệ thông tin"
NOI_VU = "hoàn thành trước ngày 31/12/2025"
Y_TE = "kiểm tra <b onmouseover"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app under uvicorn (keys required, fake embeddings), with the two plans ingested."""
    from tests.conftest import api_settings

    settings = api_settings(tmp_path_factory.mktemp("tasks-index"), api_keys=f"{CHAT_KEY}:chat,{ADMIN_KEY}:admin")
    files = [
        ("files", (FIXTURE.name, FIXTURE.read_bytes(), "text/plain")),
        ("files", ("kiem-thu-so-nhiem-vu.txt", XSS_DOC.encode(), "text/plain")),
    ]
    with serve_app(settings, files, {"Authorization": f"Bearer {ADMIN_KEY}"}) as url:
        yield url


@pytest.fixture(scope="module")
def xss_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An open server (no keys) holding only the plan whose every shown field carries markup."""
    from tests.conftest import api_settings

    files = [("files", (XSS_SOURCE, XSS_PLAN.encode(), "text/plain"))]
    with serve_app(api_settings(tmp_path_factory.mktemp("tasks-xss-index")), files, {}) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        _skip_or_fail(f"{CHROMIUM} is not installed")
    if expect is None:
        _skip_or_fail("playwright is not installed in this environment")
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def new_page(browser: Any, *, key: str | None = CHAT_KEY, **context_args: Any) -> Any:
    """A page in a fresh context; `key` goes where the chat page's key prompt puts it."""
    args = {"viewport": {"width": 1280, "height": 860}, "locale": "vi-VN", **context_args}
    context = browser.new_context(accept_downloads=True, **args)
    context.set_default_timeout(20_000)
    if key:
        context.add_init_script(f"window.sessionStorage.setItem({KEY_STORE!r}, {key!r})")
    pg = context.new_page()
    pg.errors = PageErrors(pg)  # type: ignore[attr-defined]
    return pg


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    pg = new_page(browser)
    yield pg
    pg.context.close()


def open_tasks(page: Any, base_url: str, query: str = f"as_of={AS_OF}", hash_: str = "") -> Any:
    """Go to /tasks?query and wait for the list; returns the rows locator."""
    page.goto(f"{base_url}/tasks?{query}{hash_}")
    expect(page.locator("#results")).to_have_attribute("aria-busy", "false")
    return page.locator("#task-rows tr")


def row(page: Any, text: str) -> Any:
    return page.locator("#task-rows tr", has_text=text)


def wait_rows(page: Any, count: int) -> None:
    expect(page.locator("#results")).to_have_attribute("aria-busy", "false")
    expect(page.locator("#task-rows tr")).to_have_count(count)


def query_of(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def shot(page: Any, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def api_tasks(base_url: str, **params: str) -> dict[str, Any]:
    res = httpx.get(f"{base_url}/v1/tasks", params=params, headers={"X-API-Key": CHAT_KEY})
    assert res.status_code == 200, res.text
    return res.json()  # type: ignore[no-any-return]


# ---- the table --------------------------------------------------------------------------------


def test_rows_show_deadlines_actors_documents_and_status(page: Any, base_url: str) -> None:
    rows = open_tasks(page, base_url)
    expect(rows).to_have_count(6)
    expect(page.locator("#summary")).to_contain_text("trên 6 nhiệm vụ")
    expect(page.locator("#summary")).to_contain_text("10/01/2026")  # the as_of the statuses use

    kinh_phi = row(page, KINH_PHI)
    expect(kinh_phi.locator(".col-deadline")).to_contain_text("31/12/2025")
    expect(kinh_phi.locator(".col-deadline")).to_contain_text("trong tháng 12/2025")  # the document's words
    expect(kinh_phi.locator(".col-actors")).to_have_text(re.compile(r"Sở Tài chính\s*chủ trì"))
    expect(kinh_phi.locator(".col-doc")).to_contain_text("Kế hoạch 624/KH-UBND")
    expect(kinh_phi.locator(".col-doc")).to_contain_text("ngày 19/11/2025")
    # Overdue at as_of: highlighted, and said in words (not by colour alone).
    expect(kinh_phi).to_have_attribute("data-status", "overdue")
    expect(kinh_phi.locator(".badge")).to_have_text("Quá hạn")

    kho = row(page, KHO_HOC_LIEU)
    expect(kho.locator(".col-deadline")).to_contain_text("30/06/2026")
    expect(kho.locator(".actor")).to_have_count(2)
    expect(kho.locator(".actor").nth(0)).to_have_text(re.compile(r"Sở Giáo dục và Đào tạo\s*chủ trì"))
    expect(kho.locator(".actor").nth(1)).to_have_text(re.compile(r"Sở Khoa học và Công nghệ\s*phối hợp"))
    expect(kho.locator(".badge")).to_have_count(0)  # upcoming: no badge

    y_te = row(page, Y_TE)
    expect(y_te.locator(".badge")).to_have_text("Sắp đến hạn")
    expect(y_te.locator(".col-deadline")).to_contain_text("15/01/2026")

    # Recurring: the next occurrence after as_of, and the recurrence in words.
    yearly = row(page, TONG_HOP)
    expect(yearly.locator(".due-date")).to_have_text("15/12/2026")
    expect(yearly.locator(".recur")).to_have_text("Định kỳ: hằng năm")
    # No day in the document ("hằng quý"): due by the end of the quarter holding as_of, with its own words.
    quarterly = row(page, HANG_QUY)
    expect(quarterly.locator(".due-date")).to_have_text("31/03/2026")
    expect(quarterly.locator(".due-source")).to_have_text("Văn bản ghi: hằng quý")
    expect(quarterly.locator(".recur")).to_have_text("Định kỳ: hằng quý")

    # Sorted by deadline: dated tasks first, earliest first.
    dates = rows.locator(".due-date").all_inner_texts()
    iso = [f"{d[6:]}-{d[3:5]}-{d[:2]}" for d in dates]
    assert iso == sorted(iso), dates
    expect(page.locator("th[data-sort-key=deadline]")).to_have_attribute("aria-sort", "ascending")
    shot(page, "tasks-desktop", full_page=True)

    page.get_by_label("Tình trạng").select_option("overdue")
    wait_rows(page, 2)
    assert query_of(page) == {"status": ["overdue"], "as_of": [AS_OF]}
    for badge in page.locator("#task-rows .badge").all_inner_texts():
        assert badge == "Quá hạn"
    expect(page.locator("#task-rows tr.status-overdue")).to_have_count(2)

    page.get_by_label("Tình trạng").select_option("upcoming")
    expect(row(page, HANG_QUY)).to_have_count(1)
    assert page.errors.errors == []


def test_filters_alias_role_period_sort_and_pages_live_in_the_url(page: Any, base_url: str) -> None:
    open_tasks(page, base_url)
    # The picker lists the bodies from /v1/actors.
    options = page.locator("#actor-options option")
    expect(options).not_to_have_count(0)
    assert "Sở Nội vụ" in [o.get_attribute("value") for o in options.all()]

    actor = page.get_by_label("Cơ quan")
    actor.fill("Sở GD&ĐT")  # an abbreviation the documents never use
    actor.press("Enter")
    wait_rows(page, 2)
    for text in page.locator("#task-rows .col-actors").all_inner_texts():
        assert "Sở Giáo dục và Đào tạo" in text
    assert query_of(page)["actor"] == ["Sở GD&ĐT"]

    # A bookmark of this view shows the same view.
    page.reload()
    wait_rows(page, 2)
    expect(page.get_by_label("Cơ quan")).to_have_value("Sở GD&ĐT")

    actor.fill("Sở KH&CN")
    page.get_by_label("Vai trò").select_option("support")  # also applies the typed actor
    wait_rows(page, 1)
    expect(row(page, KHO_HOC_LIEU)).to_have_count(1)
    assert query_of(page)["role"] == ["support"] and query_of(page)["actor"] == ["Sở KH&CN"]
    page.get_by_role("button", name="Xoá bộ lọc").first.click()
    wait_rows(page, 6)
    assert query_of(page) == {"as_of": [AS_OF]}

    # Quick period, relative to as_of: 10/01/2026 – 09/02/2026 holds only the Sở Y tế task.
    page.get_by_role("button", name="30 ngày tới").click()
    wait_rows(page, 1)
    expect(row(page, Y_TE)).to_have_count(1)
    assert query_of(page)["due_from"] == ["2026-01-10"] and query_of(page)["due_to"] == ["2026-02-09"]
    expect(page.get_by_role("button", name="30 ngày tới")).to_have_attribute("aria-pressed", "true")
    page.get_by_role("button", name="Tháng này").click()
    wait_rows(page, 1)
    assert query_of(page)["due_to"] == ["2026-01-31"]
    page.get_by_label("Đến ngày").fill("2026-12-31")
    page.get_by_label("Từ ngày").fill("2026-01-01")
    page.get_by_role("button", name="Lọc", exact=True).click()
    wait_rows(page, 3)  # 15/01, 30/06, 15/12 (the yearly report's next date)
    page.get_by_role("button", name="Mọi thời hạn").click()
    wait_rows(page, 6)

    # Sort by document date, newest document first (the column header is a button too).
    page.get_by_role("button", name="Văn bản", exact=True).click()
    expect(page.locator("th[data-sort-key=document_date]")).to_have_attribute("aria-sort", "descending")
    wait_rows(page, 6)
    assert query_of(page)["sort"] == ["document_date"]
    docs = page.locator("#task-rows .doc-name").all_inner_texts()
    assert docs[0] == "Kế hoạch 624/KH-UBND" and docs[-1] == "Kế hoạch 99/KH-UBND", docs

    # Pages: limit and offset in the URL, the total shown.
    open_tasks(page, base_url, f"as_of={AS_OF}&limit=4")
    expect(page.locator("#summary")).to_contain_text("Hiển thị 1–4 trên 6 nhiệm vụ")
    expect(page.locator("#page-info")).to_have_text("Trang 1/2")
    expect(page.get_by_role("button", name="Trang trước")).to_be_disabled()
    page.get_by_role("button", name="Trang sau").click()
    wait_rows(page, 2)
    expect(page.locator("#summary")).to_contain_text("Hiển thị 5–6 trên 6 nhiệm vụ")
    assert query_of(page)["offset"] == ["4"]
    page.go_back()  # filters are history entries
    wait_rows(page, 4)
    assert "offset" not in query_of(page)
    assert page.errors.errors == []


def test_empty_and_error_states(page: Any, base_url: str) -> None:
    open_tasks(page, base_url, f"as_of={AS_OF}&q=điện hạt nhân")
    empty = page.locator("#empty")
    expect(empty).to_be_visible()
    expect(empty).to_contain_text("Không có nhiệm vụ nào khớp bộ lọc")
    expect(page.locator("#task-table")).to_be_hidden()
    empty.get_by_role("button", name="Xoá bộ lọc").click()
    wait_rows(page, 6)
    expect(page.get_by_label("Từ khoá trong nhiệm vụ")).to_have_value("")

    failing = re.compile(r"/v1/tasks\?")
    body = {"error": {"code": "internal", "message": "Lỗi chỉ mục nhiệm vụ"}}
    page.route(failing, lambda r: r.fulfill(status=500, json=body))
    page.get_by_label("Tình trạng").select_option("overdue")
    problem = page.locator("#problem")
    expect(problem).to_contain_text("Máy chủ gặp lỗi")
    expect(problem).to_contain_text("Lỗi chỉ mục nhiệm vụ")
    expect(problem).to_have_attribute("role", "alert")
    page.unroute(failing)
    problem.get_by_role("button", name="Thử lại").click()
    wait_rows(page, 2)
    expect(problem).to_be_hidden()

    page.route(failing, lambda r: r.abort("internetdisconnected"))
    page.get_by_label("Tình trạng").select_option("")
    expect(problem).to_contain_text("Không kết nối được máy chủ")
    page.unroute(failing)


# ---- the passage panel ------------------------------------------------------------------------


def test_row_click_opens_the_passage_and_deep_links_open_it_directly(page: Any, base_url: str) -> None:
    open_tasks(page, base_url)
    target = row(page, TONG_HOP)
    task_id = target.get_attribute("data-task-id")
    target.click()
    panel = page.get_by_role("dialog")
    expect(panel).to_be_visible()
    expect(panel.locator(".snippet")).to_have_text(
        "- Tổng hợp kết quả thực hiện, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12 hằng năm."
    )
    meta = panel.locator(".panel-meta")
    expect(meta).to_contain_text("Kế hoạch 624/KH-UBND, ngày 19/11/2025")
    expect(meta).to_contain_text("Kế hoạch thực hiện chương trình chuyển đổi số trong các trường học")
    expect(meta).to_contain_text("II. TỔ CHỨC THỰC HIỆN › 1. Sở Giáo dục và Đào tạo")
    expect(meta).to_contain_text("Báo cáo về")
    expect(meta).to_contain_text("Ủy ban nhân dân tỉnh")
    expect(meta).to_contain_text("hằng năm")
    expect(meta).to_contain_text("kehoach-mau-ha-tinh.txt")
    expect(target).to_have_class(re.compile(r"\bis-active\b"))
    assert page.url.endswith(f"#task={task_id}")
    shot(page, "tasks-desktop-panel")
    page.get_by_role("button", name="Đóng đoạn văn gốc").click()
    expect(panel).to_be_hidden()
    assert "#task=" not in page.url

    # The panel's "every task of this document" button narrows the list to that document.
    row(page, NOI_VU).click()
    page.get_by_role("button", name="Xem mọi nhiệm vụ của văn bản này").click()
    wait_rows(page, 2)
    expect(page.locator("#doc-filter")).to_contain_text("Kế hoạch 99/KH-UBND")
    assert query_of(page)["doc_id"][0].startswith("kiem-thu-so-nhiem-vu")
    page.get_by_role("button", name="Bỏ lọc theo văn bản").click()
    wait_rows(page, 6)

    # A bookmarked / calendar link opens the panel directly, whatever the list shows.
    deep = new_page(page.context.browser)
    try:
        open_tasks(deep, base_url, f"as_of={AS_OF}&status=overdue", f"#task={task_id}")
        dialog = deep.get_by_role("dialog")
        expect(dialog).to_be_visible()
        expect(dialog.locator(".snippet")).to_contain_text("Tổng hợp kết quả thực hiện")
        expect(deep.locator("#panel-heading")).to_be_focused()
        deep.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(deep.locator("#page-title")).to_be_focused()  # the task was not in the list

        deep.goto(f"{base_url}/tasks?as_of={AS_OF}#task=t-khong-co")
        expect(deep.get_by_role("dialog")).to_contain_text("Không tìm thấy nhiệm vụ này")
        assert deep.errors.errors == [] or all("404" in e for e in deep.errors.errors), deep.errors.errors
    finally:
        deep.context.close()


def test_csv_and_calendar_downloads_use_the_filters_and_the_key(page: Any, base_url: str) -> None:
    open_tasks(page, base_url, f"as_of={AS_OF}&status=overdue")
    wait_rows(page, 2)
    requests: list[Any] = []
    page.on("request", lambda r: requests.append(r) if "/v1/tasks." in r.url else None)

    with page.expect_download() as info:
        page.get_by_role("button", name="Tải CSV").click()
    download = info.value
    assert download.suggested_filename == "nhiem-vu.csv"
    text = Path(download.path()).read_bytes().decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == 2, text
    assert {r["Trạng thái"] for r in table} == {"Quá hạn"}
    assert {r["Chủ trì"] for r in table} == {"Sở Tài chính", "Sở Nội vụ"}
    assert {r["Hạn"] for r in table} == {"31/12/2025"}
    expect(page.locator("#export-status")).to_contain_text("Đã tải tệp nhiem-vu.csv")

    from icalendar import Calendar

    with page.expect_download() as info:
        page.get_by_role("button", name="Thêm vào lịch (.ics)").click()
    download = info.value
    assert download.suggested_filename == "nhiem-vu.ics"
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 2
    assert sorted(str(e["SUMMARY"]).split(":")[0] for e in events) == ["Sở Nội vụ", "Sở Tài chính"]
    assert all(e.decoded("DTSTART").isoformat() == "2025-12-31" for e in events)
    links = [str(e["URL"]) for e in events]
    assert all(re.search(r"/tasks#task=t-[0-9a-f]+$", u) for u in links), links

    # Both downloads carried the current filters and the key in a header (never in the URL).
    assert len(requests) == 2
    for req in requests:
        q = parse_qs(urlparse(req.url).query)
        assert q["status"] == ["overdue"] and q["as_of"] == [AS_OF] and "limit" not in q
        assert req.headers.get("authorization") == f"Bearer {CHAT_KEY}"
        assert CHAT_KEY not in req.url

    # The calendar's link opens that task's passage.
    page.goto(links[0].replace("/tasks#", f"/tasks?as_of={AS_OF}#"))
    expect(page.get_by_role("dialog").locator(".snippet")).to_contain_text("31/12/2025")
    assert page.errors.errors == []


def test_document_html_is_shown_as_text_never_run(page: Any, base_url: str) -> None:
    open_tasks(page, base_url)
    noi_vu = row(page, NOI_VU)
    expect(noi_vu.locator(".action")).to_contain_text(XSS_IMG)
    expect(row(page, Y_TE).locator(".action")).to_contain_text('<b onmouseover="window.__xss=1">nội dung</b>')
    noi_vu.click()
    panel = page.get_by_role("dialog")
    expect(panel.locator(".snippet")).to_contain_text(f"Sở Nội vụ chủ trì {XSS_IMG} hoàn thành")
    expect(panel.locator(".panel-meta")).to_contain_text("I. TỔ CHỨC THỰC HIỆN")  # the section above the item
    expect(panel.locator(".panel-meta")).to_contain_text("Kế hoạch kiểm")  # the trích yếu
    row(page, Y_TE).click()
    expect(panel.locator(".snippet")).to_contain_text("và <script>window.__xss=1</script>, báo cáo")
    row(page, Y_TE).hover()
    shot(page, "tasks-xss-as-text")
    assert page.evaluate("typeof window.__xss") == "undefined"
    # Nothing was built from document text: no image, script or <b> anywhere in the list or panel.
    assert page.locator("#results img, #results script, #results b, #panel img, #panel script, #panel b").count() == 0
    assert page.errors.errors == []


def test_markup_in_every_field_stays_text(browser: Any, xss_url: str) -> None:
    """Action, body name, document title, section and source all carry markup; the page shows it as
    text. The page's CSP would stop an inline handler even if one got in, so the test also looks for
    the elements and attributes themselves, not only for `window.__xss`."""
    res = httpx.get(f"{xss_url}/v1/tasks", params={"as_of": AS_OF})
    assert res.status_code == 200, res.text
    tasks = res.json()["tasks"]
    prose = next(t for t in tasks if XSS_JS_URL in t["action"])
    table = next(t for t in tasks if any(a["name"] == XSS_ACTOR for a in t["actors"]))
    assert XSS_IMG in prose["action"] and XSS_SVG in prose["section"]
    assert XSS_SCRIPT in table["action"]
    for task in (prose, table):  # the payloads reach the register: the test cannot pass vacuously
        assert XSS_SCRIPT in task["title"] and XSS_SVG in task["title"], task["title"]
        assert task["source"] == XSS_SOURCE
    actors = httpx.get(f"{xss_url}/v1/actors").json()["actors"]
    assert XSS_ACTOR in [a["name"] for a in actors]

    pg = new_page(browser, key=None)  # an open server: no key to give
    try:
        rows = open_tasks(pg, xss_url)
        expect(rows).to_have_count(len(tasks))
        prose_row, table_row = row(pg, XSS_JS_URL), row(pg, "Rà soát, chuẩn hóa")
        expect(prose_row.locator(".action")).to_contain_text(f"{XSS_IMG} tại {XSS_JS_URL}")
        expect(prose_row.locator(".doc-title")).to_have_text(prose["title"])
        expect(table_row.locator(".action")).to_contain_text(XSS_SCRIPT)
        expect(table_row.locator(".actor-name")).to_have_text(XSS_ACTOR)
        picker = pg.locator("#actor-options option")
        expect(picker).not_to_have_count(0)  # the body picker is filled after the first page of results
        assert XSS_ACTOR in [o.get_attribute("value") for o in picker.all()]

        prose_row.click()
        panel = pg.get_by_role("dialog")
        meta = panel.locator(".panel-meta")
        expect(panel.locator(".panel-action")).to_have_text(prose["action"])
        expect(meta).to_contain_text(f"I. TỔ CHỨC THỰC HIỆN {XSS_SVG}")  # the section
        expect(meta).to_contain_text(XSS_SCRIPT)  # the title
        expect(meta).to_contain_text(XSS_SOURCE)
        expect(panel.locator(".snippet")).to_contain_text(f"{XSS_IMG} tại {XSS_JS_URL}")
        table_row.click()
        expect(meta).to_contain_text(f"{XSS_ACTOR} (chủ trì)")
        expect(panel.locator(".snippet")).to_contain_text(XSS_SCRIPT)
        table_row.hover()
        shot(pg, "tasks-xss-every-field")

        # The body's name (markup and all) as a filter, the way the picker offers it.
        actor = pg.get_by_label("Cơ quan")
        actor.fill(XSS_ACTOR)
        actor.press("Enter")
        wait_rows(pg, 1)
        expect(row(pg, "Rà soát, chuẩn hóa")).to_have_count(1)
        assert query_of(pg)["actor"] == [XSS_ACTOR]

        assert pg.evaluate("typeof window.__xss") == "undefined"
        built = "#results img, #results svg, #results script, #panel-body img, #panel-body svg, #panel-body script"
        assert pg.locator(built).count() == 0
        handlers = pg.evaluate(
            """() => [...document.querySelectorAll('*')]
                  .filter(e => [...e.attributes].some(a => a.name.toLowerCase().startsWith('on')))
                  .map(e => e.outerHTML)"""
        )
        assert handlers == []
        scripts = pg.evaluate("() => [...document.scripts].map(s => s.getAttribute('src'))")
        assert scripts == ["static/tasks.js"], scripts  # the page's own, nothing inline
        js_links = pg.evaluate(
            """() => [...document.querySelectorAll('[href], [src], [action], [formaction]')]
                  .filter(e => ['href', 'src', 'action', 'formaction']
                      .some(n => /^\\s*javascript:/i.test(e.getAttribute(n) || '')))
                  .map(e => e.outerHTML)"""
        )
        assert js_links == []
        assert pg.locator("#panel-body a").count() == 0  # a javascript: source is no link
        assert pg.errors.errors == []
    finally:
        pg.context.close()


# ---- phone, keyboard, keys, the chat page's link ------------------------------------------------


def test_phone_width_has_no_horizontal_overflow(browser: Any, base_url: str) -> None:
    pg = new_page(browser, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    try:
        rows = open_tasks(pg, base_url)
        expect(rows).to_have_count(6)
        assert pg.evaluate("document.documentElement.scrollWidth") <= 360
        # Stacked cards: each row's cells are one above the other, within the screen.
        first = rows.first
        assert first.evaluate("r => getComputedStyle(r).display") == "block"
        cells = [c.bounding_box() for c in first.locator("td").all()]
        assert all(c and c["x"] >= 0 and c["x"] + c["width"] <= 360 for c in cells), cells
        assert [c["y"] for c in cells if c] == sorted(c["y"] for c in cells if c)
        # The filters fold away above the list; one button shows them.
        toggle = pg.locator("#filters-toggle")
        expect(toggle).to_have_accessible_name("Bộ lọc")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(pg.get_by_label("Tình trạng")).to_be_hidden()
        assert rows.first.bounding_box()["y"] < 740  # type: ignore[index]  # the list starts on the first screen
        shot(pg, "tasks-phone")
        toggle.click()
        expect(pg.get_by_label("Tình trạng")).to_be_visible()
        for name in ("Tải CSV", "Thêm vào lịch (.ics)", "Lọc", "30 ngày tới"):
            box = pg.get_by_role("button", name=name, exact=True).bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= 360, (name, box)
        pg.get_by_label("Tình trạng").select_option("due_soon")
        wait_rows(pg, 1)
        expect(toggle).to_have_text("Bộ lọc (1 đang dùng)")
        assert pg.evaluate("document.documentElement.scrollWidth") <= 360
        shot(pg, "tasks-phone-filters")
        pg.get_by_label("Tình trạng").select_option("")
        wait_rows(pg, 6)
        label = rows.first.locator(".col-deadline").evaluate("c => getComputedStyle(c, '::before').content")
        assert label == '"Hạn"', label  # each cell names its column (the header row is hidden)
        toggle.click()
        shot(pg, "tasks-phone-full", full_page=True)
        row(pg, KINH_PHI).tap()
        panel = pg.get_by_role("dialog")
        expect(panel).to_be_visible()
        box = panel.bounding_box()
        assert box and box["x"] >= 0 and box["width"] <= 360
        assert pg.evaluate("document.documentElement.scrollWidth") <= 360
        shot(pg, "tasks-phone-panel")
    finally:
        pg.context.close()


def test_keyboard_only(page: Any, base_url: str) -> None:
    open_tasks(page, base_url)
    # Every control has a name a screen reader can read.
    unnamed = page.evaluate(
        """() => [...document.querySelectorAll('input, select, button, a[href]')]
              .filter(e => e.offsetParent !== null)
              .filter(e => !((e.labels && e.labels.length) || e.getAttribute('aria-label') || e.textContent.trim()))
              .map(e => e.outerHTML)"""
    )
    assert unnamed == []

    page.locator("body").focus()
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('task-row')"):
            break
    else:
        pytest.fail("Tab never reached a row of the table")
    focused = page.evaluate("document.activeElement.dataset.taskId")
    assert page.evaluate("document.activeElement.matches(':focus-visible')")
    ring = page.evaluate("getComputedStyle(document.activeElement.cells[0]).boxShadow")
    assert ring and ring != "none", ring  # a visible focus ring

    page.keyboard.press("Enter")
    panel = page.get_by_role("dialog")
    expect(panel).to_be_visible()
    expect(page.locator("#panel-heading")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Đóng đoạn văn gốc")).to_be_focused()
    shot(page, "tasks-keyboard-panel")
    page.keyboard.press("Escape")
    expect(panel).to_be_hidden()
    assert page.evaluate("document.activeElement.dataset.taskId") == focused

    # Filters by keyboard: the status select, then the next row, Enter, Escape.
    page.get_by_label("Tình trạng").focus()
    page.keyboard.press("ArrowDown")  # "Quá hạn"
    wait_rows(page, 2)
    page.locator("#task-rows tr").first.focus()
    page.keyboard.press("Enter")
    expect(panel).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#task-rows tr").first).to_be_focused()


def test_with_keys_the_page_asks_for_one_then_works(browser: Any, base_url: str) -> None:
    pg = new_page(browser, key=None)
    try:
        task_id = api_tasks(base_url, as_of=AS_OF, q="kho học liệu")["tasks"][0]["task_id"]
        pg.goto(f"{base_url}/tasks?as_of={AS_OF}#task={task_id}")
        problem = pg.locator("#problem")
        expect(problem).to_contain_text("cần khóa API")
        key = pg.get_by_label("Khóa API")
        expect(key).to_have_attribute("type", "password")
        key.fill("not-a-key")
        key.press("Enter")
        expect(problem).to_contain_text("Khóa API không hợp lệ")
        expect(pg.get_by_label("Khóa API")).to_be_focused()
        shot(pg, "tasks-key-prompt")
        pg.get_by_label("Khóa API").fill(CHAT_KEY)
        pg.get_by_role("button", name="Lưu khóa").click()
        wait_rows(pg, 6)
        expect(problem).to_be_hidden()
        # The deep link waited for the key, then opened.
        expect(pg.get_by_role("dialog").locator(".snippet")).to_contain_text("kho học liệu số")
        expect(pg.locator("#actor-options option")).not_to_have_count(0)
        # The key is the chat page's: one prompt for both pages in this tab.
        assert pg.evaluate(f"sessionStorage.getItem({KEY_STORE!r})") == CHAT_KEY
        assert all("Failed to load resource" in e for e in pg.errors.errors), pg.errors.errors  # only the 401s
    finally:
        pg.context.close()


def test_chat_page_links_to_the_register_and_back(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/")
    link = page.get_by_role("link", name="Sổ nhiệm vụ")
    expect(link).to_be_visible()
    shot(page, "tasks-chat-link")
    link.click()
    page.wait_for_url(f"{base_url}/tasks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sổ nhiệm vụ")
    wait_rows(page, 6)
    page.get_by_role("link", name="Về trang hỏi đáp").click()
    page.wait_for_url(f"{base_url}/")
    assert page.errors.errors == []
