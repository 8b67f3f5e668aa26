"""qa_service.answering on a hand-made official document (hard wraps, headings, signature) next to
the sample news pages: typed answers, compound questions, tasks of a body, abstention, exact spans."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingestion.pipeline import ingest_paths
from qa_service.answering.analysis import analyze, answer_types, same_doer
from qa_service.answering.compose import written_date
from qa_service.answering.lexicon import ABSTAIN_TEXT
from qa_service.question import analyze_question
from qa_service.schemas import ChatRequest
from qa_service.service import QAService, build_service, build_store
from qa_service.settings import Settings
from vectorstore.analyzer import fold

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "official"
SAMPLE = Path(__file__).resolve().parent.parent / "data" / "sample"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> QAService:
    settings = Settings(_env_file=None, data_dir=tmp_path_factory.mktemp("official"), embeddings="fake",  # type: ignore[call-arg]
                        retrieval_mode="lexical")
    ingest_paths(build_store(settings), [FIXTURE, SAMPLE])
    return build_service(settings)


def ask(service: QAService, q: str) -> tuple[str, bool, list]:  # type: ignore[type-arg]
    r = service.chat(ChatRequest(message=q))
    for c in r.citations:  # every citation is an exact span of the stored text
        rec = service.store.registry.get_document(c.doc_id)
        assert rec is not None and rec.text[c.start : c.end] == c.snippet
        assert r.abstained or f"[{c.index}]" in r.answer
    return r.answer, r.abstained, r.citations


@pytest.mark.parametrize(
    ("question", "types"),
    [
        ("Kế hoạch 624/KH-UBND do ai ban hành và vào ngày nào?", ["issuer", "issue_date"]),
        ("Kế hoạch 624/KH-UBND do ai ký?", ["signer"]),
        ("Cơ quan nào chủ trì xây dựng kho học liệu số?", ["actor"]),
        ("Sở Tài chính phải làm gì?", ["action"]),
        ("Hạn hoàn thành kho học liệu số là khi nào?", ["deadline"]),
        ("Có bao nhiêu trụ cột đối ngoại?", ["quantity"]),
        ("Tóm tắt nội dung chính của Kế hoạch 624/KH-UBND", ["summary"]),
        ("Ai chủ trì và phải hoàn thành trước ngày nào?", ["actor", "deadline"]),
        ("Quyết định 77/2025/QĐ-UBND thay thế quyết định nào?", ["reference"]),
        ("Kế hoạch 0204/KH-UBND được gửi (kính gửi) tới cơ quan nào?", ["recipients"]),
        ("Thông báo 432-TB/VPTW yêu cầu những nhiệm vụ, giải pháp chính nào về chăm sóc trẻ em?", ["summary"]),
        ("Nghị quyết 57/2025/NQ-HĐND quy định những biện pháp và lộ trình chính nào?", ["summary"]),
        ("UBND xã lập danh sách gửi cơ quan Bảo hiểm xã hội trước ngày nào?", ["deadline"]),
        ("Báo cáo kết quả thực hiện thì gửi cho ai?", ["actor"]),
        ("Kết luận 126-KL/TW về tinh gọn bộ máy được ký ngày nào?", ["issue_date"]),
        ("Nhà máy điện Nhơn Trạch 4 phải hoàn thành mấy hạng mục?", ["quantity"]),
        ("Công điện 96/CĐ-BXD triển khai công điện nào của Thủ tướng?", ["reference"]),
        ("Theo Kế hoạch 1026/KH-UBND, các sở báo cáo kết quả thực hiện kế hoạch cho cơ quan nào?", ["actor"]),
        # who issues an instrument the document speaks of is a duty, not the document's issuer
        ("Theo nghị định về UBND phường, ai ban hành Quy chế làm việc của Ủy ban nhân dân phường?", ["actor"]),
        # when a body must do the issuing is a duty's deadline; when the document was issued is its date
        ("Khi nào Thủ tướng Chính phủ cần ban hành quy định về việc lập kế hoạch viện trợ?", ["deadline"]),
        ("Bộ Tài chính phải ban hành thông tư hướng dẫn khi nào?", ["deadline"]),
        ("Nghị định 305/2025/NĐ-CP được ban hành khi nào?", ["issue_date"]),
    ],
)
def test_answer_types(question: str, types: list[str]) -> None:
    assert answer_types(fold(question)) == types


@pytest.mark.parametrize(
    ("question", "refs"),
    [
        ("Kế hoạch 308 giao Sở Tài chính việc gì?", [("ke hoach", "308")]),
        ("Quyết định số 2623 ngày 15/3/2025 do ai ký?", [("quyet dinh", "2623")]),
        ("Chương trình hành động 12 của Tỉnh ủy có mấy nhiệm vụ?", [("chuong trinh hanh dong", "12")]),
        ("Kết luận 123 của Bộ Chính trị yêu cầu gì?", [("ket luan", "123")]),
        ("Văn bản số 15 gửi cơ quan nào?", [("van ban", "15")]),
        # a number followed by a unit is a length, not a document's number
        ("Báo cáo 6 tháng đầu năm phải gửi trước ngày nào?", []),
        ("Kế hoạch 5 năm của ngành được phê duyệt khi nào?", []),
    ],
)
def test_a_kind_and_a_number_name_a_document(question: str, refs: list[tuple[str, str]]) -> None:
    assert analyze(analyze_question(question)).doc_refs == refs


def test_metadata_from_the_layout(service: QAService) -> None:
    answer, abstained, cites = ask(service, "Kế hoạch 624/KH-UBND do ai ký?")
    assert not abstained and "Nguyễn Thị Nguyệt" in answer and "Phó Chủ tịch" in answer
    assert any("Nguyễn Thị Nguyệt" in c.snippet for c in cites)


def test_compound_question_answers_every_part(service: QAService) -> None:
    answer, abstained, _ = ask(service, "Kế hoạch 624/KH-UBND do cơ quan nào ban hành và vào ngày nào?")
    assert not abstained
    assert "Ủy ban nhân dân tỉnh Hà Tĩnh" in answer and "19/11/2025" in answer


def test_actor_of_a_bullet_comes_from_its_heading(service: QAService) -> None:
    answer, abstained, cites = ask(service, "Theo Kế hoạch 624/KH-UBND, cơ quan nào chủ trì xây dựng kho học liệu số dùng chung?")
    assert not abstained
    assert answer.startswith("Sở Giáo dục và Đào tạo")
    assert "Sở Khoa học và Công nghệ" in answer  # the supporting body is named too
    assert "kho học liệu số" in answer and "\n" not in cites[-1].snippet.strip()


def test_deadline_is_quoted_with_its_sentence(service: QAService) -> None:
    answer, abstained, _ = ask(service, "Theo Kế hoạch 624/KH-UBND, kho học liệu số phải hoàn thành trước ngày nào?")
    assert not abstained and "30/6/2026" in answer


def test_tasks_of_a_body(service: QAService) -> None:
    answer, abstained, cites = ask(service, "Theo Kế hoạch 624/KH-UBND, Sở Tài chính phải làm gì?")
    assert not abstained
    assert "bố trí kinh phí" in answer and "tháng 12/2025" in answer
    assert "kho học liệu" not in answer  # another department's task


def test_abstains_when_a_named_place_is_not_in_the_documents(service: QAService) -> None:
    answer, abstained, _ = ask(service, "Kế hoạch chuyển đổi số của tỉnh Quảng Bình giao sở nào chủ trì?")
    assert abstained and answer == ABSTAIN_TEXT


def test_abstains_when_the_document_does_not_state_a_signer(service: QAService) -> None:
    _, abstained, _ = ask(service, "Kế hoạch 624/KH-UBND có hiệu lực đến năm nào và mức phạt bao nhiêu tiền?")
    assert abstained


def test_news_pages_still_answered(service: QAService) -> None:
    answer, abstained, _ = ask(service, "Kế hoạch số 108-KH/TU ban hành ngày nào?")
    assert not abstained and "20/5/2022" in answer


def test_what_a_body_must_do_is_where_it_acts_not_where_others_work_with_it(service: QAService) -> None:
    answer, abstained, _ = ask(service, "Liên hiệp các tổ chức hữu nghị thành phố phải làm gì?")
    assert not abstained and "xây dựng Chương trình hành động" in answer
    assert not answer.startswith("Phối hợp")  # "… phối hợp chặt chẽ với Liên hiệp …" is others' duty


def test_a_news_page_is_summarised_by_its_lead(service: QAService) -> None:
    answer, abstained, cites = ask(service, "Tóm tắt nội dung chính của văn bản về đối ngoại nhân dân của Hải Phòng")
    assert not abstained and answer.startswith("Nội dung chính của") and len(cites) >= 2
    assert "đối ngoại nhân dân" in answer


def test_a_count_written_in_words_answers_how_many(service: QAService) -> None:
    answer, abstained, _ = ask(service, "Có bao nhiêu trụ cột đối ngoại?")
    assert not abstained and "ba trụ cột" in answer  # the text says "ba trụ cột", no digit
    answer, abstained, _ = ask(service, "Có bao nhiêu trụ cột an ninh mạng?")
    assert abstained  # no count of those


def test_a_news_pages_document_gets_issuer_and_date_when_both_are_asked(service: QAService) -> None:
    answer, abstained, cites = ask(service, "Kế hoạch 108-KH/TU do ai ban hành và vào ngày nào?")
    assert not abstained and "Ban Thường vụ Thành ủy" in answer and "20/5/2022" in answer
    assert any("20/5/2022" in c.snippet for c in cites)
    answer, _, _ = ask(service, "Kế hoạch 108-KH/TU do ai ban hành?")
    assert "Ban Thường vụ Thành ủy" in answer and "20/5/2022" not in answer  # only what is asked


@pytest.mark.parametrize(
    ("question", "deadline"),
    [  # no document named: the body's own dated task answers (table row and bullet under a body heading)
        ("Sở Công Thương phải xây dựng Bộ tiêu chí đánh giá mức độ chuyển đổi số doanh nghiệp trước ngày nào?",
         "Quí IV-2025"),
        ("Hạn Sở Tài chính tham mưu bố trí kinh phí thực hiện Kế hoạch là khi nào?", "tháng 12/2025"),
    ],
)
def test_a_bodys_dated_task_answers_without_a_named_document(service: QAService, question: str, deadline: str) -> None:
    answer, abstained, cites = ask(service, question)
    assert not abstained and deadline in answer, answer
    assert any(deadline in c.snippet or deadline.split()[-1] in c.snippet for c in cites)


def test_the_same_task_asked_of_another_body_is_refused(service: QAService) -> None:
    """Sở Y tế is assigned nothing like it: the rule needs the asked body among the task's doers."""
    answer, abstained, _ = ask(service, "Sở Y tế phải xây dựng Bộ tiêu chí đánh giá mức độ chuyển đổi số doanh nghiệp trước ngày nào?")
    assert abstained, answer


def test_issue_date_keeps_the_documents_own_digits(service: QAService) -> None:
    # "ngày 05 tháng 12 năm 2025" → "05/12/2025"; "ngày 19 tháng 11" (no padding written) → "19/11/2025"
    answer, abstained, _ = ask(service, "Quyết định 77/2025/QĐ-UBND được ban hành ngày nào?")
    assert not abstained and "05/12/2025" in answer


@pytest.mark.parametrize(
    ("iso", "said", "written"),
    [("2025-09-13", "Hà Nội, ngày 13 tháng 9 năm 2025", "13/9/2025"),
     ("2025-12-02", "Hà Nội, ngày 02 tháng 12 năm 2025", "02/12/2025"),
     ("2022-01-05", "ngày 05/01/2022", "05/01/2022"),
     ("2025-12-02", "", "2/12/2025"),
     ("2025-12-02", "ngày 03 tháng 12 năm 2025", "2/12/2025")],  # another date is not this one's wording
)
def test_written_date(iso: str, said: str, written: str) -> None:
    assert written_date(iso, said) == written


@pytest.mark.parametrize(
    ("question", "expected", "not_expected"),
    [
        ("Quyết định 77/2025/QĐ-UBND của tỉnh Quảng Bình thay thế quyết định nào?", "31/2019/QĐ-UBND", "12/CT-TTg"),
        ("Quyết định 77/2025/QĐ-UBND của tỉnh Quảng Bình thực hiện chỉ thị nào của Thủ tướng?", "12/CT-TTg",
         "31/2019/QĐ-UBND"),
    ],
)
def test_which_other_document_follows_the_asked_relation(service: QAService, question: str, expected: str,
                                                         not_expected: str) -> None:
    answer, abstained, cites = ask(service, question)
    assert not abstained and expected in answer and not_expected not in answer
    assert any(expected in c.snippet for c in cites)


def test_one_sentence_answering_two_parts_is_quoted_once(service: QAService) -> None:
    answer, abstained, cites = ask(
        service, "Quyết định 77/2025/QĐ-UBND của tỉnh Quảng Bình có hiệu lực từ ngày nào và thay thế quyết định nào?")
    assert not abstained and "15 tháng 12 năm 2025" in answer and "31/2019/QĐ-UBND" in answer
    assert answer.count("31/2019/QĐ-UBND") == 1 and len(cites) == 1


def test_addressees_of_a_letter(service: QAService) -> None:
    answer, abstained, cites = ask(service, "Công văn 9123/BNV-CQĐP được gửi tới cơ quan nào?")
    assert not abstained and "Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương" in answer
    assert len(cites) == 1 and cites[0].snippet.startswith("Kính gửi")


def test_a_document_without_addressees_does_not_invent_them(service: QAService) -> None:
    answer, abstained, _ = ask(service, "Kế hoạch 624/KH-UBND được gửi tới cơ quan nào?")
    assert abstained and answer == ABSTAIN_TEXT


def test_summary_of_a_document_whose_top_level_is_its_points(service: QAService) -> None:
    answer, abstained, cites = ask(service, "Thông báo 501-TB/VPTW yêu cầu những nhiệm vụ, giải pháp chính nào?")
    assert not abstained
    for point in ("Mở rộng mạng lưới thư viện cộng đồng", "Số hóa tài liệu địa chí", "Khuyến khích xã hội hóa"):
        assert point in answer  # not only the "phân công nhiệm vụ" part that the word "nhiệm vụ" names
    assert len(cites) >= 3


def test_summary_of_a_plan_lists_the_part_that_holds_its_substance(service: QAService) -> None:
    answer, abstained, _ = ask(service, "Tóm tắt nội dung chính của Kế hoạch 624/KH-UBND")
    assert not abstained and "Sở Giáo dục và Đào tạo" in answer and "Sở Tài chính" in answer


def test_summary_covers_every_aspect_the_question_names(service: QAService) -> None:
    answer, abstained, _ = ask(service, "Nghị quyết 88/2025/NQ-HĐND quy định những biện pháp và lộ trình chính nào?")
    assert not abstained
    assert "xe điện trung chuyển" in answer and "Tam Cốc - Bích Động" in answer  # both Điều 2 and Điều 3
    assert "Phạm vi điều chỉnh" not in answer


def test_a_news_page_states_a_documents_date_and_signer_in_its_prose(service: QAService) -> None:
    answer, abstained, cites = ask(service, "Kết luận số 999-KL/TW được ký ngày nào và ai ký thay mặt Bộ Chính trị?")
    assert not abstained and "14/2/2025" in answer and "Trần Văn Khải" in answer
    assert any("Trần Văn Khải" in c.snippet for c in cites)


def test_inside_the_named_document_coverage_counts_the_words_that_ask() -> None:
    """The words naming the document ("Kế hoạch 165/KH-UBND … về công tác dân số") are its title's, not the
    answering sentence's: inside that document a sentence is measured by the rest of the question."""
    from langchain_core.documents import Document

    from qa_service.answering.analysis import analyze
    from qa_service.answering.candidates import Candidate, _naming_tokens, _score_coverage
    from qa_service.evidence import sentence_tokens
    from qa_service.question import analyze_question
    from vectorstore.registry import DocumentRecord

    rec = DocumentRecord(doc_id="d", source="kh.txt", path="kh.txt", title="Kế hoạch công tác dân số năm 2026",
                         published=None, content_hash="h", text="", metadata={"doc_kind": "Kế hoạch",
                                                                               "number": "165/KH-UBND"},
                         ingested_at=0.0)
    analysis = analyze(analyze_question(
        "Kế hoạch 165/KH-UBND về công tác dân số đặt mục tiêu giảm bao nhiêu phần trăm số cặp tảo hôn?"))
    text = "Phấn đấu giảm 60% số cặp tảo hôn."

    def cand(said: str, focus: bool = True) -> Candidate:
        c = Candidate(Document(page_content=said, metadata={"doc_id": "d"}), said, 0, len(said), 0, 1.0,
                      focus_doc=focus)
        c.tokens = c.context = frozenset(sentence_tokens(said))
        return c

    inside, outside = cand(text), cand(text, focus=False)
    others = [cand(t) for t in ("Sở Y tế chủ trì tuyên truyền.", "Ủy ban nhân dân xã bố trí kinh phí.",
                                "Báo cáo kết quả trước ngày 15/12 hằng năm.", "Kế hoạch công tác dân số năm 2026.")]
    _score_coverage(analysis, [inside, outside, *others], _naming_tokens([rec]))
    assert inside.features["coverage"] > 1.5 * outside.features["coverage"]
    assert others[-1].features["coverage"] < 0.1  # the title said again answers nothing


@pytest.mark.parametrize(
    ("question", "units", "asks"),
    [("Mức hỗ trợ là bao nhiêu và ngân sách hỗ trợ bao nhiêu phần trăm?", (), 2),
     ("GRDP tăng bao nhiêu phần trăm và xuất khẩu đạt bao nhiêu tỷ USD?", ("%", "phan tram", "ty"), 2),
     ("Kế hoạch bố trí bao nhiêu kinh phí?", ("dong", "trieu", "ty", "nghin", "usd"), 1),
     ("Ban Chỉ đạo có bao nhiêu thành viên?", ("thanh vien", "nguoi"), 1)],
)
def test_quantity_asks_and_their_units(question: str, units: tuple[str, ...], asks: int) -> None:
    from qa_service.answering.analysis import asked_units, quantity_asks

    assert asked_units(fold(question)) == units and quantity_asks(fold(question)) == asks


def test_two_numbers_asked_get_two_passages(service: QAService) -> None:
    answer, abstained, cites = ask(
        service, "Theo Nghị quyết 88/2025/NQ-HĐND, chủ xe khách chuyển đổi sang xe điện được hỗ trợ bao nhiêu tiền "
                 "và ngân sách tỉnh hỗ trợ bao nhiêu phần trăm chi phí lắp đặt trạm sạc?")
    assert not abstained and "20.000.000 đồng/xe" in answer and "70%" in answer and len(cites) == 2


@pytest.mark.parametrize(
    ("question", "deadline"),
    [  # a plan item: "a) Nhiệm vụ: …", its lead and its time in the field lines after it
        ("Khi nào Sở Văn hóa, Thể thao và Du lịch phải số hóa toàn bộ tài liệu địa chí?", "Hoàn thành trong năm 2026"),
        ("Hạn hoàn thành việc mở lớp bồi dưỡng kỹ năng quản trị thư viện số của Sở Nội vụ là khi nào?", "Quý II/2027"),
        # "đề nghị các Bộ: Văn hóa, Thể thao và Du lịch; Thông tin và Truyền thông …": each ministry is asked
        ("Bộ Thông tin và Truyền thông phải hỗ trợ tỉnh xây dựng kho dữ liệu thư viện số trước ngày nào?", "30/6/2026"),
    ],
)
def test_a_plan_items_task_answers_from_its_field_lines(service: QAService, question: str, deadline: str) -> None:
    answer, abstained, cites = ask(service, question)
    assert not abstained and deadline in answer, answer
    assert any(deadline in c.snippet for c in cites)  # the time is cited where the field line states it
    assert answer.count("thời hạn") <= 1  # one deadline: the item's, not a second from a near tie


def test_a_plan_items_task_is_not_given_to_another_body(service: QAService) -> None:
    answer, abstained, _ = ask(service, "Sở Nội vụ phải số hóa toàn bộ tài liệu địa chí trước ngày nào?")
    assert abstained, answer


def test_the_action_words_leave_out_the_body_and_the_question_frame() -> None:
    a = analyze(analyze_question("Hạn hoàn thành việc đầu tư trang thiết bị của Sở Tài chính là khi nào?"))
    assert "trang_thiết" in a.action_tokens and "đầu_tư" in a.action_tokens
    assert not {"hạn", "hoàn_thành", "sở", "tài_chính"} & set(a.action_tokens)


@pytest.mark.parametrize(
    ("question", "doers"),
    [
        ("Các bộ, ngành phải gửi kết quả rà soát về Bộ Công an trước ngày nào?", ["bo nganh"]),  # a recipient
        ("Hạn hoàn thành việc đầu tư trang thiết bị của Sở Tài chính là khi nào?", ["so tai chinh"]),
        ("Theo Chỉ thị số 45-CT/TW của Bộ Chính trị, đại hội cấp cơ sở phải hoàn thành trước ngày nào?", []),
        ("Nghị định 302/2025/NĐ-CP yêu cầu UBND cấp tỉnh phải thành lập xong Quỹ nhà ở địa phương khi nào?",
         ["uy ban nhan dan cap tinh"]),  # the fund is what is set up
        ("Bộ Công an chủ trì, phối hợp với Bộ Tư pháp xây dựng nghị định trước ngày nào?", ["bo cong an"]),
    ],
)
def test_the_asked_doers_leave_out_recipients_issuers_and_objects(question: str, doers: list[str]) -> None:
    assert analyze(analyze_question(question)).doer_keys == doers


def test_a_class_of_bodies_asked_is_not_one_of_its_members() -> None:
    assert not same_doer(["so"], ["so tai chinh"])  # "các sở" asked, Sở Tài chính's task
    assert same_doer(["so"], ["so", "so tai chinh"])
    assert same_doer(["bo truong"], ["bo truong bo xay dung"])  # one body contains the other
