"""ingestion.metadata: title, published date, author, source domain and the document numbers cited."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.clean import clean_text
from ingestion.metadata import DocNumber, DocumentMeta, extract_doc_numbers, extract_metadata, iso_date

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "sample"
NAME_000 = "000_bcc9d3f070f74c9b.txt"
NAME_002 = "002_2a1730ed412324ac.txt"


def _meta(name: str) -> DocumentMeta:
    return extract_metadata(clean_text((SAMPLE / name).read_text(encoding="utf-8")), name)


@pytest.fixture(scope="module")
def meta000() -> DocumentMeta:
    return _meta(NAME_000)


@pytest.fixture(scope="module")
def meta002() -> DocumentMeta:
    return _meta(NAME_002)


def _numbers(meta: DocumentMeta) -> dict[str, DocNumber]:
    return {d.number: d for d in meta.doc_numbers}


# --- sample 000 ----------------------------------------------------------------------------------


def test_000_title_date_author(meta000: DocumentMeta) -> None:
    assert meta000.title == "Tăng cường sự lãnh đạo của Đảng, nâng cao hiệu quả đối ngoại nhân dân trong tình hình mới"
    # The header line "Thứ năm - 12/01/2023 04:44" is the article's date, not 05/01/2022 from the body.
    assert meta000.published == "2023-01-12"
    assert meta000.author == "Ngô Phương Văn"
    assert meta000.source == NAME_000
    assert meta000.source_domain is None


def test_000_directive_number_kind_date_issuer(meta000: DocumentMeta) -> None:
    ct12 = _numbers(meta000)["12-CT/TW"]
    assert (ct12.kind, ct12.date, ct12.issuer) == ("Chỉ thị", "2022-01-05", "Ban Bí thư")


def test_000_plan_number_kind_date_issuer(meta000: DocumentMeta) -> None:
    kh108 = _numbers(meta000)["108-KH/TU"]
    assert (kh108.kind, kh108.date, kh108.issuer) == ("Kế hoạch", "2022-05-20", "Ban Thường vụ Thành ủy")


def test_000_action_programme_number(meta000: DocumentMeta) -> None:
    prog = _numbers(meta000)["1830/LHHN-VP"]
    assert prog.kind == "Chương trình hành động"
    assert prog.date is None
    assert prog.issuer == "Liên hiệp các tổ chức hữu nghị Việt Nam"


def test_000_every_number_once_in_order_of_first_mention(meta000: DocumentMeta) -> None:
    numbers = [d.number for d in meta000.doc_numbers]
    assert numbers == ["12-CT/TW", "38-CT/TW", "108-KH/TU", "1830/LHHN-VP"]
    text = clean_text((SAMPLE / NAME_000).read_text(encoding="utf-8"))
    for d in meta000.doc_numbers:
        assert text[d.offset : d.offset + len(d.number)] == d.number
    ct38 = _numbers(meta000)["38-CT/TW"]
    assert (ct38.kind, ct38.date, ct38.issuer) == ("Chỉ thị", "2019-09-19", "Ban Bí thư")


# --- sample 002 ----------------------------------------------------------------------------------


def test_002_title_no_date_source_domain(meta002: DocumentMeta) -> None:
    assert meta002.title == (
        "Nâng cao vai trò, chất lượng, hiệu quả hoạt động của Liên hiệp các tổ chức hữu nghị thành phố Hải Phòng"
    )
    assert meta002.published is None  # no header date; 19/9/2019 and the "Tin khác" dates are not it
    assert meta002.author is None  # the last lines are "Nguồn" lines, not a writer's name
    assert meta002.source_domain == "haiphong.gov.vn"


def test_002_numbers(meta002: DocumentMeta) -> None:
    numbers = _numbers(meta002)
    assert set(numbers) == {"38-CT/TW", "74-UBND-KH"}
    ct38 = numbers["38-CT/TW"]
    assert (ct38.kind, ct38.date, ct38.issuer) == ("Chỉ thị", "2019-09-19", "Ban Bí thư Trung ương")
    assert numbers["74-UBND-KH"].kind is None


def test_as_dict_is_plain_data(meta000: DocumentMeta) -> None:
    data = meta000.as_dict()
    assert data["published"] == "2023-01-12"
    assert data["doc_numbers"][0]["number"] == "12-CT/TW"


# --- synthetic sentences -------------------------------------------------------------------------


def test_decree_number_with_year_and_d_bar() -> None:
    text = "Căn cứ Nghị định số 15/2020/NĐ-CP ngày 03/02/2020 của Chính phủ về xử phạt vi phạm hành chính."
    (decree,) = extract_doc_numbers(text)
    assert decree.number == "15/2020/NĐ-CP"
    assert (decree.kind, decree.date, decree.issuer) == ("Nghị định", "2020-02-03", "Chính phủ")


def test_issuer_stops_before_the_documents_own_title() -> None:
    """Legal citations often run straight into the title ("... của Chính phủ quy định xử phạt ...")."""
    text = (
        "Căn cứ Nghị định số 15/2020/NĐ-CP ngày 03/02/2020 của Chính phủ quy định xử phạt vi phạm hành chính "
        "trong lĩnh vực bưu chính, viễn thông."
    )
    (decree,) = extract_doc_numbers(text)
    assert decree.issuer == "Chính phủ"


def test_decision_number_and_later_details_fill_in() -> None:
    text = (
        "Thực hiện Quyết định 45/QĐ-UBND, các sở triển khai ngay. "
        "Quyết định số 45/QĐ-UBND ngày 10/01/2023 của Ủy ban nhân dân tỉnh (sau đây gọi là Quyết định 45)."
    )
    (decision,) = extract_doc_numbers(text)
    assert decision.number == "45/QĐ-UBND"
    assert (decision.kind, decision.date, decision.issuer) == ("Quyết định", "2023-01-10", "Ủy ban nhân dân tỉnh")
    assert decision.offset == text.index("45/QĐ-UBND")


def test_dates_are_not_document_numbers() -> None:
    assert extract_doc_numbers("Ngày 05/01/2022 và ngày 20/5/2022, hội nghị đã diễn ra.") == []


def test_header_date_forms() -> None:
    assert extract_metadata("Tiêu đề\nNgày đăng: 03/4/2023\nNội dung.", "a.txt").published == "2023-04-03"
    assert extract_metadata("Tiêu đề\nCập nhật: 7/11/2024\nNội dung.", "a.txt").published == "2024-11-07"
    assert extract_metadata("Tiêu đề\nChủ nhật, 01/12/2024\nNội dung.", "a.txt").published == "2024-12-01"
    # A date in the body is the directive's, not the article's.
    assert extract_metadata("Tiêu đề\nChỉ thị ngày 05/01/2022 yêu cầu.", "a.txt").published is None


def test_header_date_beats_a_hint_and_hints_fill_gaps() -> None:
    text = "Tiêu đề trong văn bản\nNgày đăng: 03/4/2023\nNội dung.\nTác giả: Trần Văn An"
    meta = extract_metadata(text, "a.html", {"title": "Tiêu đề từ thẻ title", "date": "2020-01-01T00:00:00"})
    assert meta.title == "Tiêu đề từ thẻ title"
    assert meta.published == "2023-04-03"
    assert meta.author == "Trần Văn An"
    plain = extract_metadata("Tiêu đề\nNội dung.", "b.html", {"date": "2020-01-01", "hostname": "a.gov.vn"})
    assert plain.published == "2020-01-01"
    assert plain.source_domain == "a.gov.vn"


def test_title_falls_back_to_first_line_then_source() -> None:
    assert extract_metadata("\n\n# Kế hoạch 108\n\nNội dung", "k.md").title == "Kế hoạch 108"
    assert extract_metadata("   ", "trong.txt").title == "trong.txt"


def test_iso_date_rejects_impossible_dates() -> None:
    assert iso_date("5", "1", "2022") == "2022-01-05"
    assert iso_date(31, 2, 2023) is None
