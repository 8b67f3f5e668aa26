"""ingestion.clean on the real scraped samples: site chrome out, the article and its own spelling in."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from ingestion.clean import clean_text

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
RAW_000 = (SAMPLE / "000_bcc9d3f070f74c9b.txt").read_text(encoding="utf-8")
RAW_002 = (SAMPLE / "002_2a1730ed412324ac.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def doc000() -> str:
    return clean_text(RAW_000)


@pytest.fixture(scope="module")
def doc002() -> str:
    return clean_text(RAW_002)


# --- sample 000 (Thành ủy, new tone style) ------------------------------------------------------


def test_000_login_prompt_is_gone(doc000: str) -> None:
    assert "Bạn đã không sử dụng Site" in RAW_000
    assert "không sử dụng Site" not in doc000
    assert "đăng nhập" not in doc000
    assert "Thời gian chờ" not in doc000


def test_000_view_counters_dropped_date_and_time_kept(doc000: str) -> None:
    assert "Thứ năm - 12/01/2023 04:44 120 0" in RAW_000
    lines = doc000.split("\n")
    assert "Thứ năm - 12/01/2023 04:44" in lines
    assert "120 0" not in doc000


def test_000_image_stub_is_gone(doc000: str) -> None:
    assert "12 1 dongoai" in RAW_000
    assert "dongoai" not in doc000


def test_000_article_sentences_and_author_remain(doc000: str) -> None:
    assert doc000.startswith("Tăng cường sự lãnh đạo của Đảng, nâng cao hiệu quả đối ngoại nhân dân trong tình hình mới")
    for sentence in (
        "Ban Thường vụ Thành ủy vừa ban hành công văn chỉ đạo về tiếp tục lãnh đạo",
        "Chỉ thị số 12-CT/TW ngày 05/01/2022 của Ban Bí thư",
        "Kế hoạch số 108-KH/TU ngày 20/5/2022 của Ban Thường vụ Thành ủy",
        "có trách nhiệm xây dựng Chương trình hành động và kế hoạch triển khai thực hiện",
        "Đối với Liên hiệp các tổ chức hữu nghị Việt Nam thành phố bám sát sự chỉ đạo",
        "nhiệm kỳ 2020 - 2025",
        "theo dõi, đôn đốc, kiểm tra việc triển khai thực hiện các Chỉ thị, Chương trình, Kế hoạch…",
    ):
        assert sentence in doc000
    assert doc000.split("\n")[-1] == "Ngô Phương Văn"


def test_000_keeps_its_own_tone_style(doc000: str) -> None:
    assert "Thành ủy" in doc000
    assert "Thành uỷ" not in doc000
    assert "cụ thể hóa" in doc000
    assert "Ủy ban Mặt trận" in doc000


# --- sample 002 (Thành uỷ, old tone style) ------------------------------------------------------


def test_002_leading_breadcrumb_is_gone(doc002: str) -> None:
    assert RAW_002.startswith("Chính sách\n")
    assert not doc002.startswith("Chính sách")
    assert doc002.startswith("Nâng cao vai trò, chất lượng, hiệu quả hoạt động của Liên hiệp")


def test_002_other_news_list_and_its_dates_are_gone(doc002: str) -> None:
    assert "Tin khác" not in doc002
    assert "Không có việc tạm dừng các thủ tục hành chính" not in doc002
    assert "Khai trương Dự án Chính quyền số" not in doc002
    assert "22/11/2024" not in doc002
    assert "21/11/2024" not in doc002


def test_002_cookie_banner_and_read_more_are_gone(doc002: str) -> None:
    assert "cookies" not in doc002
    assert "Read More" not in doc002


def test_002_article_and_source_lines_remain(doc002: str) -> None:
    for sentence in (
        "Uỷ ban nhân dân thành phố vừa ban hành Kế hoạch thực hiện Chỉ thị số 38-CT/TW ngày 19/9/2019",
        "Uỷ ban nhân dân thành phố yêu cầu các Sở, ban, ngành, tổ chức chính trị – xã hội",
        "Tài liệu đính kèm tải tại đây 74-UBND-KH.signed",
    ):
        assert sentence in doc002
    lines = doc002.split("\n")
    assert "(Nguồn: sotttt.haiphong.gov.vn)" in lines
    assert lines[-1] == "Nguồn tin: haiphong.gov.vn"


def test_002_keeps_its_own_tone_style(doc002: str) -> None:
    assert "Thành uỷ" in doc002
    assert "Thành ủy" not in doc002
    assert "Uỷ ban nhân dân" in doc002


# --- general properties --------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [RAW_000, RAW_002], ids=["000", "002"])
def test_output_is_nfc_with_tidy_paragraphs(raw: str) -> None:
    cleaned = clean_text(raw)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert "\n\n\n" not in cleaned
    assert cleaned == cleaned.strip()
    assert all(line == line.strip() for line in cleaned.split("\n"))
    assert clean_text(cleaned) == cleaned  # idempotent


def test_nfd_and_crlf_input_give_the_same_text() -> None:
    variant = unicodedata.normalize("NFD", RAW_000).replace("\n", "\r\n")
    assert clean_text(variant) == clean_text(RAW_000)


def test_chrome_lines_in_the_middle_are_dropped() -> None:
    text = (
        "Tiêu đề bài viết về công tác đối ngoại nhân dân\n\n"
        "Đoạn thứ nhất của bài viết.\n"
        "Chia sẻ\n"
        "Read More\n"
        "Lượt xem: 1234\n"
        "This website uses cookies. See Our policy to learn more.\n"
        "Đoạn thứ hai của bài viết.\n"
        "Tin liên quan\n"
        "Một bài khác không thuộc bài này\n"
    )
    lines = [line for line in clean_text(text).split("\n") if line]
    assert lines == [
        "Tiêu đề bài viết về công tác đối ngoại nhân dân",
        "Đoạn thứ nhất của bài viết.",
        "Đoạn thứ hai của bài viết.",
    ]


def test_short_title_is_not_taken_for_a_breadcrumb() -> None:
    text = "Thông báo\n\nNgắn\n\nNội dung"
    assert clean_text(text) == text
