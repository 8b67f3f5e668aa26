"""qa_service.answering.summary on small hand-made excerpts: how a Vietnamese directive, plan or
resolution says its main points (the announcing sentence, its numbered or inline points, the parts a
question names) and how each line quotes a point."""

from __future__ import annotations

from langchain_core.documents import Document

from ingestion.sections import parse_sections
from qa_service.answering.analysis import analyze
from qa_service.answering.compose import Composer
from qa_service.answering.summary import summarize
from qa_service.answering.summary_lines import cut, inline_points, lead_in, point_spans
from qa_service.citations import CitationBuilder
from qa_service.question import analyze_question
from vectorstore.registry import DocumentRecord

DIRECTIVE = """CHỈ THỊ
Về tăng cường xử lý lấn chiếm đất rừng

Thời gian qua, tình trạng lấn chiếm đất rừng còn diễn biến phức tạp. Để nâng cao hiệu quả công tác xử lý lấn chiếm đất rừng trên địa bàn tỉnh, Ủy ban nhân dân tỉnh yêu cầu:

1. Ủy ban nhân dân các xã:
- Rà soát toàn bộ diện tích đất rừng bị lấn chiếm, lập hồ sơ từng trường hợp để thu hồi theo quy định.
2. Sở Tài chính:
- Bố trí kinh phí cắm mốc ranh giới các đơn vị chủ rừng.
3. Công an tỉnh điều tra, xử lý nghiêm các hành vi chống người thi hành công vụ.
"""

PAGE = """Toàn văn Chỉ thị 99/CT-TTg về năm học mới

Để thực hiện hiệu quả nhiệm vụ năm học, là năm học đầu tiên triển khai Nghị quyết 71-NQ/TW, Thủ tướng Chính phủ yêu cầu các bộ, ngành tập trung thực hiện một số nhiệm vụ trọng tâm sau:

(i) Hoàn thiện thể chế, cơ chế, chính sách để thể chế hóa chủ trương đột phá phát triển giáo dục. (ii) Hướng dẫn địa phương thực hiện (iii) Đẩy mạnh chuyển đổi số trong giáo dục và đào tạo; triển khai học bạ số, văn bằng số. (iv) Nâng cao chất lượng giáo dục mầm non. Triển khai thực hiện phổ cập giáo dục mầm non cho trẻ em từ 3 đến 5 tuổi.

Toàn văn Nghị quyết 71?
"""

RESOLUTION = """NGHỊ QUYẾT
Điều 1. Phạm vi điều chỉnh
Nghị quyết này quy định vùng phát thải thấp.
Điều 2. Các biện pháp áp dụng
1. Phát triển vận tải hành khách công cộng trong vùng phát thải thấp.
2. Cấm xe mô tô sử dụng nhiên liệu hóa thạch lưu thông trong vùng phát thải thấp.
3. Lắp đặt hệ thống camera giám sát phương tiện ra vào vùng phát thải thấp.
Điều 3. Lộ trình thực hiện
1. Trước ngày 01 tháng 01 năm 2030:
a) Từ năm 2026: thí điểm tại một số khu vực trong Vành đai 1;
b) Từ năm 2028: thực hiện tại Vành đai 2;
c) Từ năm 2030: thực hiện tại Vành đai 3.
2. Từ năm 2031: mọi khu vực đủ tiêu chí thực hiện vùng phát thải thấp.
"""


def record(text: str, number: str, kind: str) -> DocumentRecord:
    sections = [s.as_dict() for s in parse_sections(text) if s.is_heading]
    return DocumentRecord(doc_id="d", source="d.txt", path="d.txt", title=kind, published=None, content_hash="h",
                          text=text, metadata={"sections": sections, "number": number, "doc_kind": kind},
                          ingested_at=0.0)


def composer(rec: DocumentRecord, question: str, size: int = 10_000) -> Composer:
    """A composer citing from chunks of about `size` characters, split at spaces (no overlap)."""
    bounds = [0]
    while bounds[-1] + size < len(rec.text):
        bounds.append(rec.text.rindex(" ", bounds[-1] + 1, bounds[-1] + size) + 1)
    bounds.append(len(rec.text))
    chunks = [Document(page_content=rec.text[a:b], metadata={
        "chunk_id": f"d:{a}", "doc_id": "d", "start": a, "end": b, "source": "d.txt", "title": rec.title,
        "published": None, "score": 0.0}) for a, b in zip(bounds, bounds[1:], strict=False)]

    def chunk_at(doc_id: str, offset: int) -> Document | None:
        return next((c for c in chunks if c.metadata["start"] <= offset < c.metadata["end"]), None)

    return Composer(analyze(analyze_question(question)), CitationBuilder(chunk_at), {"d": rec})


def test_a_directive_is_summarised_by_the_sentence_announcing_its_points_then_the_points() -> None:
    rec = record(DIRECTIVE, "06/CT-UBND", "Chỉ thị")
    answer = summarize(composer(rec, "Chỉ thị 06/CT-UBND yêu cầu những nội dung chính nào?"), rec, [])
    assert answer is not None
    lines = answer.splitlines()[1:]
    assert lines[0].startswith("- Để nâng cao hiệu quả công tác xử lý lấn chiếm đất rừng") and "yêu cầu: [1]" in lines[0]
    assert "thu hồi" in answer and "cắm mốc ranh giới" in answer and "chống người thi hành công vụ" in answer
    assert "Thời gian qua" not in answer  # the sentence before the announcing one is not a point


def test_points_in_running_text_after_the_announcing_sentence() -> None:
    rec = record(PAGE, "99/CT-TTg", "Chỉ thị")
    answer = summarize(composer(rec, "Chỉ thị 99/CT-TTg yêu cầu những nội dung chính nào?"), rec, [])
    assert answer is not None and "Nghị quyết 71-NQ/TW" in answer
    assert "(ii) Hướng dẫn địa phương thực hiện" not in answer  # a point that says nothing of its own
    # a point whose first sentence is only its title is quoted with what follows
    assert "phổ cập giáo dục mầm non" in answer and "chuyển đổi số" in answer
    assert "Toàn văn Nghị quyết 71" not in answer


def test_each_aspect_the_question_names_gets_its_part_and_an_announcing_point_its_sub_points() -> None:
    rec = record(RESOLUTION, "57/2025/NQ-HĐND", "Nghị quyết")
    answer = summarize(composer(rec, "Nghị quyết 57/2025/NQ-HĐND quy định những biện pháp và lộ trình chính nào?"), rec, [])
    assert answer is not None
    assert "Điều 2. Các biện pháp áp dụng; Điều 3. Lộ trình thực hiện" in answer.splitlines()[0]
    assert "nhiên liệu hóa thạch" in answer and "Vành đai 1" in answer and "Vành đai 3" in answer
    assert "Phạm vi điều chỉnh" not in answer


def test_a_line_running_past_its_chunk_goes_on_in_the_next_one() -> None:
    rec = record(PAGE, "99/CT-TTg", "Chỉ thị")
    answer = summarize(composer(rec, "Chỉ thị 99/CT-TTg yêu cầu những nội dung chính nào?", size=120), rec, [])
    assert answer is not None
    mầm_non = next(ln for ln in answer.splitlines() if "(iv)" in ln)
    assert mầm_non.count("[") == 2 and "phổ cập" in mầm_non  # two citations, each inside one chunk


def test_cut_keeps_the_title_of_a_point_and_ends_at_a_clause() -> None:
    text = "3. Đổi mới mô hình chăm sóc. Chuyển từ chăm sóc tập trung sang chăm sóc gia đình - cộng đồng, theo hướng nhà nhỏ, để mỗi nhóm trẻ có người chăm sóc."
    end = cut(text, 0, 110, 0)
    assert text[:end].endswith("gia đình - cộng đồng,")  # not after the title sentence alone
    assert text[cut(text, 0, 55, 0, words=True)] == " "  # a word end


def test_lead_in_and_inline_points_and_short_points() -> None:
    assert lead_in(DIRECTIVE, DIRECTIVE.index("1. Ủy ban"), 0) is not None
    assert lead_in(DIRECTIVE, DIRECTIVE.index("2. Sở"), 0) is None  # not right before the points
    found = inline_points(PAGE, 0)
    assert found is not None and [PAGE[a:a + 4] for a, _ in found[1]] == ["(i) ", "(iii", "(iv)"]
    items = [{"heading": f"{i}. Việc {i}", "start": a, "end": a + 30, "level": 0} for i, a in enumerate((0, 30, 60, 90))]
    assert point_spans("x" * 120, items, 2, lambda start: 120) == [(0, 120)]  # four short points, one line
    assert point_spans("x" * 120, items, 2, lambda start: 60 if start < 60 else 120) == [(0, 60), (60, 120)]


def test_a_long_lead_in_is_quoted_from_its_purpose_clause_and_footnote_marks_are_dropped() -> None:
    grounds = ", ".join(f"Chỉ thị số {n}/CT-UBND ngày 19/3/2019 của Ủy ban nhân dân tỉnh" for n in range(1, 12))
    text = (f"Để tiếp tục thực hiện nghiêm {grounds}, và để nâng cao hiệu quả công tác xử lý lấn chiếm đất rừng, "
            "Ủy ban nhân dân tỉnh yêu cầu:\n1. Các xã rà soát diện tích đất rừng bị lấn chiếm theo Chỉ thị[1] đã ban hành.\n"
            "2. Sở Tài chính bố trí kinh phí cắm mốc ranh giới.\n3. Công an tỉnh xử lý nghiêm vi phạm.\n")
    rec = record(text, "07/CT-UBND", "Chỉ thị")
    span = lead_in(text, text.index("1. Các xã"), 0)
    assert span is not None and text[span[0]:span[1]].startswith("để nâng cao hiệu quả")
    answer = summarize(composer(rec, "Chỉ thị 07/CT-UBND yêu cầu những nội dung chính nào?"), rec, [])
    assert answer is not None and "\n- Để nâng cao hiệu quả" in answer and "Chỉ thị[1]" not in answer
