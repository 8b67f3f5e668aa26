"""The assignment (task) extractor on small hand-made excerpts of administrative writing."""

from __future__ import annotations

from datetime import date
from typing import Any

from ingestion.actors import find_actors
from ingestion.assignment_fields import _whole_heading_name, field_line, year_deadline
from ingestion.assignments import Task, extract_tasks
from ingestion.sections import SectionIndex, parse_sections
from ingestion.split import sentence_spans
from ingestion.unwrap import unwrap

REF = date(2025, 11, 20)


def tasks_of(raw: str, reference: date | None = REF, skip: list[tuple[int, int]] | None = None) -> list[Task]:
    text = unwrap(raw)
    index = SectionIndex(parse_sections(text, 0, len(text), skip=skip or []))
    found = extract_tasks(text, sentence_spans(text), index, reference, None, skip)
    for t in found:  # the span is the exact text of the task
        assert text[t.start : t.end] == t.sentence
    return found


def roles(task: Task) -> list[tuple[str, str]]:
    return [(a["name"], a["role"]) for a in task.actors]


def only(found: list[Task], needle: str) -> Task:
    hits = [t for t in found if needle in t.sentence]
    assert len(hits) == 1, [t.sentence for t in found]
    return hits[0]


def test_subject_of_the_sentence_leads() -> None:
    found = tasks_of("1. Sở Tài chính chủ trì, phối hợp với Sở Nội vụ rà soát các quy định.\n")
    assert roles(only(found, "rà soát")) == [("Sở Tài chính", "lead"), ("Sở Nội vụ", "support")]


def test_giao_makes_a_lead() -> None:
    found = tasks_of("2. Giao Sở Y tế chủ trì theo dõi, tổng hợp tình hình dịch bệnh.\n")
    assert roles(only(found, "Sở Y tế")) == [("Sở Y tế", "lead")]


def test_request_wording_makes_an_assignee() -> None:
    found = tasks_of("3. Đề nghị Công an tỉnh tăng cường tuần tra, kiểm soát trên các tuyến đường.\n")
    assert roles(only(found, "tuần tra")) == [("Công an tỉnh", "assignee")]


def test_heading_address_gives_its_bullets_a_lead() -> None:
    raw = "2. Sở Tài chính:\n\n- Bố trí kinh phí thực hiện Kế hoạch.\n\n- Phối hợp với Sở Nội vụ hướng dẫn các xã.\n"
    found = tasks_of(raw)
    assert len(found) == 2  # the heading line itself is no task
    assert roles(only(found, "Bố trí")) == [("Sở Tài chính", "lead")]
    assert roles(only(found, "hướng dẫn")) == [("Sở Tài chính", "lead"), ("Sở Nội vụ", "support")]
    assert all(t.inherited for t in found)


def test_request_heading_gives_assignees_unless_the_point_leads() -> None:
    raw = (
        "12. Đề nghị Công ty Điện lực Đắk Lắk:\n\n- Bảo đảm an toàn điện tại khu vực còn ngập.\n\n"
        "- Chủ trì kiểm tra hệ thống lưới điện sau lũ.\n"
    )
    found = tasks_of(raw)
    assert only(found, "an toàn điện").actors[0]["role"] == "assignee"
    assert only(found, "Chủ trì kiểm tra").actors[0]["role"] == "lead"


def test_heading_that_names_a_body_in_passing_addresses_nobody() -> None:
    raw = "1. Rà soát các văn bản của Sở Nội vụ\n\n- Cập nhật danh mục văn bản hết hiệu lực.\n"
    assert tasks_of(raw) == []


def test_heading_with_subject_and_supporters_introducing_points() -> None:
    raw = (
        "3. Bộ Y tế theo chức năng, nhiệm vụ chủ trì, phối hợp với các địa phương:\n\n"
        "a) Chuẩn bị đầy đủ thuốc, vật tư y tế.\n\nb) Hướng dẫn xử lý môi trường sau lũ.\n"
    )
    found = tasks_of(raw)
    assert len(found) == 2
    assert roles(found[0]) == [("Bộ Y tế", "lead"), ("các địa phương", "support")]


def test_field_lines_give_the_item_its_actors_and_date() -> None:
    raw = (
        "1. Xây dựng Quyết định ban hành Chương trình quốc gia\n\n- Cơ quan chủ trì: Bộ Công an.\n\n"
        "- Cơ quan phối hợp: Văn phòng Chính phủ.\n\n- Thời hạn ban hành: trước ngày 31 tháng 12 năm 2026.\n"
    )
    (task,) = tasks_of(raw)
    assert roles(task) == [("Bộ Công an", "lead"), ("Văn phòng Chính phủ", "support")]
    assert task.deadline is not None and task.deadline["date"] == "2026-12-31"
    assert task.sentence.startswith("1. Xây dựng") and task.sentence.endswith("2026.")  # item with its fields


def test_field_block_under_bullets_describes_the_bullets() -> None:
    raw = (
        "4. Nâng cao năng lực cán bộ\n\n- Tổ chức tập huấn kỹ năng xây dựng pháp luật.\n\n"
        "Đơn vị chủ trì thực hiện: Sở Tư pháp.\n\nĐơn vị phối hợp: Sở Nội vụ.\n\nThời gian thực hiện: Thường xuyên.\n"
    )
    (task,) = tasks_of(raw)  # the item heading is a title, the bullet is the task
    assert "tập huấn" in task.sentence
    assert roles(task) == [("Sở Tư pháp", "lead"), ("Sở Nội vụ", "support")]
    assert task.deadline is None


def test_time_field_of_years_ends_with_the_last_year() -> None:
    raw = "6. Xây dựng Cổng thông tin quốc gia\n\n- Cơ quan thực hiện: Bộ Công an.\n\n- Thời gian thực hiện: năm 2026 - 2027.\n"
    (task,) = tasks_of(raw)
    assert task.deadline is not None and task.deadline["date"] == "2027-12-31"
    deadline = year_deadline(" 2025", 10)
    assert deadline is not None and deadline.date == "2025-12-31" and (deadline.start, deadline.end) == (11, 15)


def test_field_line_with_its_own_sentence_is_a_task_line() -> None:
    text = "- Cơ quan thực hiện: Bộ Công an tiến hành rà soát các văn bản quy phạm pháp luật có liên quan."
    assert field_line(text, 0, len(text), REF) is None
    plain = "- Cơ quan thực hiện: Bộ Công an."
    line = field_line(plain, 0, len(plain), REF)
    assert line is not None and line.kind == "lead" and line.actors[0]["name"] == "Bộ Công an"


def test_report_to_and_deadline_with_reference_year() -> None:
    found = tasks_of("- Sở Nông nghiệp và Môi trường tổng hợp, báo cáo Ủy ban nhân dân tỉnh trước ngày 25/12 hàng năm.\n")
    task = only(found, "tổng hợp")
    assert task.report_to == "Ủy ban nhân dân tỉnh"
    assert task.deadline is not None and task.deadline["date"] == "2025-12-25"
    assert task.deadline["recurrence"] == "annual"
    assert [a["name"] for a in task.actors] == ["Sở Nông nghiệp và Môi trường"]  # the recipient is no actor


def test_past_statement_is_not_a_task() -> None:
    assert tasks_of("- Sở Y tế đã cấp phát 2.000 cơ số thuốc cho các xã vùng lũ.\n") == []


def test_aims_section_assigns_nothing() -> None:
    raw = "I. MỤC ĐÍCH, YÊU CẦU\n\n1. Sở Tư pháp bảo đảm triển khai đồng bộ, hiệu quả.\n"
    assert tasks_of(raw) == []


def test_recipients_block_is_skipped() -> None:
    raw = "1. Sở Công Thương chủ trì kiểm tra thị trường.\n\nNơi nhận:\n- Sở Công Thương;\n- Lưu: VT.\n"
    start = raw.index("Nơi nhận")
    found = tasks_of(raw, skip=[(start, len(raw))])
    assert [t.sentence for t in found] == ["1. Sở Công Thương chủ trì kiểm tra thị trường."]


def test_one_task_per_bullet_but_a_timed_report_stands_alone() -> None:
    raw = (
        "- Sở Nội vụ chủ trì xây dựng Kế hoạch thực hiện. Hoàn thành trong tháng 12/2025. "
        "Định kỳ báo cáo kết quả về Ủy ban nhân dân tỉnh trước ngày 15 tháng 11 hằng năm.\n"
    )
    found = tasks_of(raw)
    assert len(found) == 2
    assert found[0].deadline is not None and found[0].deadline["date"] == "2025-12-31"
    assert found[1].deadline is not None and found[1].deadline["date"] == "2026-11-15"
    assert found[1].report_to == "Ủy ban nhân dân tỉnh"
    assert roles(found[1]) == [("Sở Nội vụ", "lead")]  # the bullet's doer


def test_second_subject_after_semicolon_is_a_second_task() -> None:
    raw = "- Bộ Công an rà soát các văn bản thuộc thẩm quyền; các bộ, cơ quan ngang bộ rà soát văn bản được phân công.\n"
    found = tasks_of(raw)
    assert [[a["name"] for a in t.actors] for t in found] == [["Bộ Công an"], ["các bộ, cơ quan ngang bộ"]]


def test_bodies_after_directing_words_are_objects() -> None:
    raw = "3. Sở Xây dựng:\n\n- Chỉ đạo các đơn vị liên quan phối hợp lực lượng tại chỗ mở đường tạm.\n"
    (task,) = tasks_of(raw)
    assert roles(task) == [("Sở Xây dựng", "lead")]


def test_fact_keys_are_unchanged() -> None:
    (task,) = tasks_of("1. Giao Sở Tài chính chủ trì tổng hợp trước ngày 30/11/2025.\n")
    fact: dict[str, Any] = task.as_fact()
    assert set(fact) == {"kind", "actors", "action", "start", "end", "sentence", "section", "deadline",
                         "report_to", "inherited", "chunk_id"}
    assert set(fact["actors"][0]) == {"name", "role", "start", "end", "key"}
    assert set(fact["deadline"]) == {"text", "date", "recurrence", "start", "end"}


def test_conclusion_notice_gives_tasks_and_its_closing_formula_gives_none() -> None:
    from ingestion.load import load_bytes
    from ingestion.pipeline import content_hash, prepare

    text = (
        "VĂN PHÒNG CHÍNH PHỦ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "---------------\nSố: 700/TB-VPCP\nHà Nội, ngày 10 tháng 11 năm 2025\n\nTHÔNG BÁO\n\n"
        "KẾT LUẬN CỦA THỦ TƯỚNG CHÍNH PHỦ TẠI BUỔI LÀM VIỆC VỚI TỈNH X\n\n"
        "Thủ tướng Chính phủ kết luận như sau:\n\n1. Về các kiến nghị của tỉnh:\n\n"
        "a) Về dự án đường cao tốc: giao Bộ Xây dựng chủ trì, phối hợp với Bộ Tài chính khẩn trương hoàn\n"
        "thiện hồ sơ, báo cáo Thủ tướng Chính phủ trước ngày 15 tháng 12 năm 2025.\n\n"
        "Văn phòng Chính phủ thông báo để các cơ quan liên quan biết, thực hiện./.\n\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\nNguyễn Văn A\n"
    )
    data = text.encode()
    doc = prepare(load_bytes("tb.txt", data, "tb.txt"), "tb.txt", content_hash(data), "tb")
    tasks = [t.as_json() for t in doc.tasks]
    assert len(tasks) == 1
    assert {(a["name"], a["role"]) for a in tasks[0]["actors"]} == {("Bộ Xây dựng", "lead"), ("Bộ Tài chính", "support")}
    assert tasks[0]["deadline"]["date"] == "2025-12-15"
    assert doc.record.text[tasks[0]["start"] : tasks[0]["end"]] == tasks[0]["sentence"]


def test_an_article_on_a_bodys_duties_gives_its_clauses_to_that_body() -> None:
    """Nghị định / Thông tư: "Điều 15. Trách nhiệm của Sở Tài chính" heads numbered clauses without a subject."""
    from ingestion.load import load_bytes
    from ingestion.pipeline import content_hash, prepare

    text = (
        "BỘ TƯ PHÁP\nSố: 23/2025/TT-BTP\nHà Nội, ngày 10 tháng 11 năm 2025\n\nTHÔNG TƯ\n\nQUY ĐỊNH PHÂN CẤP QUẢN LÝ\n\n"
        "Điều 15. Trách nhiệm của Sở Tài chính\n\n1. Chủ trì bố trí kinh phí thực hiện, hoàn thành trước ngày 31/12/2025.\n\n"
        "2. Hướng dẫn các đơn vị lập dự toán.\n\nĐiều 16. Hiệu lực thi hành\n\nThông tư này có hiệu lực từ ngày 01/01/2026.\n"
    )
    doc = prepare(load_bytes("tt.txt", text.encode(), "tt.txt"), "tt.txt", content_hash(text.encode()), "tt")
    tasks = [t.as_json() for t in doc.tasks]
    assert [[(a["name"], a["role"]) for a in t["actors"]] for t in tasks] == [[("Sở Tài chính", "lead")]] * 2
    assert tasks[0]["deadline"]["date"] == "2025-12-31"


def _tasks_of(text: str) -> list[dict]:
    from ingestion.load import load_bytes
    from ingestion.pipeline import content_hash, prepare

    doc = prepare(load_bytes("x.txt", text.encode(), "x.txt"), "x.txt", content_hash(text.encode()), "x")
    return [t.as_json() for t in doc.tasks]


HEAD = "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 70/2025/NQ-HĐND\nHà Nội, ngày 10 tháng 11 năm 2025\n\n"


def test_points_under_a_dated_heading_take_its_deadline() -> None:
    text = HEAD + (
        "NGHỊ QUYẾT\n\nQUY ĐỊNH SỬ DỤNG NGÂN SÁCH\n\nĐiều 7. Trách nhiệm thực hiện\n\n"
        "1. Định kỳ (trước ngày 30 tháng 6 hằng năm), Ủy ban nhân dân cấp xã có trách nhiệm:\n\n"
        "a) Rà soát, lập danh mục các dự án xây dựng công trình hạ tầng;\n\n"
        "b) Có văn bản đề xuất chủ trương giao chủ đầu tư dự án.\n"
    )
    tasks = _tasks_of(text)
    assert [t["action"][:7] for t in tasks] == ["Rà soát", "Có văn "]
    assert {(t["deadline"]["date"], t["deadline"]["recurrence"]) for t in tasks} == {("2026-06-30", "annual")}
    assert all(t["actors"][0]["name"] == "Ủy ban nhân dân cấp xã" for t in tasks)


def test_a_heading_that_introduces_prose_is_no_task_and_a_later_doer_starts_its_own() -> None:
    text = HEAD + (
        "NGHỊ QUYẾT\n\nQUY ĐỊNH ỦY THÁC VỐN\n\nĐiều 5. Thực hiện ủy thác\n\n"
        "3. Quỹ đầu tư phát triển Thành phố có trách nhiệm:\n"
        "Quản lý, sử dụng vốn ủy thác đúng mục đích. Định kỳ hàng năm (trước ngày 30 tháng 10), Quỹ đầu tư phát "
        "triển Thành phố có trách nhiệm báo cáo Ủy ban nhân dân Thành phố kết quả sử dụng vốn.\n"
    )
    tasks = _tasks_of(text)
    assert [t["action"][:20] for t in tasks] == ["Quản lý, sử dụng vốn", "có trách nhiệm báo c"]
    assert tasks[1]["deadline"]["date"] == "2026-10-30" and tasks[0]["deadline"] is None
    assert all(t["actors"][0]["name"] == "Quỹ đầu tư phát triển Thành phố" for t in tasks)


def test_a_letter_asks_its_addressees_when_a_dated_duty_names_nobody() -> None:
    text = (
        "BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH\nSố: 6386/BVHTTDL-KHCNĐTMT\nHà Nội, ngày 25 tháng 11 năm 2025\n"
        "V/v tổ chức hoạt động thi đua\n\nKính gửi: Các cơ sở đào tạo trực thuộc Bộ\n\n"
        "Bộ Văn hóa, Thể thao và Du lịch đề nghị tổ chức các hoạt động thi đua.\n\n"
        "Kết quả các hoạt động gửi về Vụ KHCNĐTMT, trước ngày 31/12/2025.\n\n"
        "Các hoạt động cần bảo đảm tiết kiệm.\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"
    )
    tasks = _tasks_of(text)
    dated = [t for t in tasks if t["deadline"] and t["deadline"]["date"] == "2025-12-31"]
    assert [[(a["name"], a["role"]) for a in t["actors"]] for t in dated] == [
        [("Các cơ sở đào tạo trực thuộc Bộ", "assignee")]]
    assert text[dated[0]["actors"][0]["start"] : dated[0]["actors"][0]["end"]] == "Các cơ sở đào tạo trực thuộc Bộ"
    assert not any("tiết kiệm" in t["action"] for t in tasks)  # undated and doerless: not assigned to anyone


def test_a_letter_asking_quy_uy_ban_assigns_its_addressees() -> None:
    """"đề nghị Quý Ủy ban gửi báo cáo về Bộ Tài chính (Cục Thống kê)": the addressees do it; the bodies
    after the honorific are where the report goes. The closing thanks assigns nothing."""
    text = (
        "BỘ TÀI CHÍNH\nSố: 17809/BTC-CTK\nHà Nội, ngày 14 tháng 11 năm 2025\n"
        "V/v báo cáo số liệu GRDP\n\nKính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương\n\n"
        "Để đảm bảo thời gian tổng hợp số liệu,\nđề nghị Quý Ủy ban gửi báo cáo về Bộ Tài chính (Cục\n"
        "Thống kê) chậm nhất ngày 22/11/2025.\n"
        "Bộ Tài chính trân trọng cảm ơn sự phối hợp của Quý Ủy\nban./.\n\nNơi nhận:\n- Như trên;\n- Lưu: VT.\n"
    )
    tasks = _tasks_of(text)
    assert len(tasks) == 1, [t["action"] for t in tasks]
    (task,) = tasks
    assert [(a["name"], a["role"]) for a in task["actors"]] == [
        ("Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương", "assignee")]
    assert task["action"].startswith("gửi báo cáo về Bộ Tài chính") and task["deadline"]["date"] == "2025-11-22"


def test_points_under_a_lead_in_are_the_asked_bodys() -> None:
    raw = ("Để bảo đảm trật tự, an toàn giao thông dịp lễ, Thủ tướng Chính phủ yêu cầu Bộ Công an chỉ đạo Công an\n"
           "các địa phương như sau:\n"
           "- Tăng cường tuần tra, kiểm soát, xử lý nghiêm các hành vi vi phạm nồng độ cồn.\n"
           "- Chủ động ngăn chặn và xử lý nghiêm các hành vi đua xe trái phép.\n"
           "Các bộ, ngành theo chức năng chủ động thực hiện nhiệm vụ được giao.\n")
    found = tasks_of(raw)
    assert roles(only(found, "đua xe trái phép")) == [("Bộ Công an", "assignee")]
    assert roles(only(found, "nồng độ cồn")) == [("Bộ Công an", "assignee")]


def test_a_lead_in_that_asks_nobody_gives_its_points_no_doer() -> None:
    raw = ("Để thực hiện tốt công tác này, Chủ tịch Ủy ban nhân dân tỉnh chỉ đạo:\n"
           "- Tăng cường kiểm tra việc chấp hành pháp luật về đất đai.\n")
    assert not [t for t in tasks_of(raw) if "kiểm tra việc chấp hành" in t.sentence]


def test_a_body_named_as_its_clauses_topic_leads() -> None:
    raw = ("Đối với Sở Tài chính: bố trí kinh phí thực hiện Kế hoạch, hoàn thành trước ngày 15/12/2025.\n"
           "Tăng cường phối hợp đối với Sở Y tế trong công tác tuyên truyền.\n")
    found = tasks_of(raw)
    assert ("Sở Tài chính", "lead") in roles(only(found, "bố trí kinh phí"))
    assert not any(("Sở Y tế", "lead") in roles(t) for t in found)  # "đối với" inside a clause: not a doer


def test_a_request_to_a_shared_head_list_is_one_task_for_every_listed_ministry() -> None:
    text = ("III. TỔ CHỨC THỰC HIỆN\n\nBan Chỉ đạo đề nghị các Bộ: Xây dựng; Y tế; Tài chính rà soát quy trình"
            " nội bộ, báo cáo trước ngày 15/12/2025.\n")
    found = tasks_of(text)
    assert len(found) == 1, found
    assert [r for r in roles(found[0]) if r[0].startswith("Bộ")] == [
        ("Bộ Xây dựng", "assignee"), ("Bộ Y tế", "assignee"), ("Bộ Tài chính", "assignee")]
    assert found[0].deadline is not None and found[0].deadline["date"] == "2025-12-15"


def test_the_author_of_a_request_is_not_a_doer() -> None:
    """"UBND tỉnh giao Sở Tài chính …", "Bộ Xây dựng đề nghị UBND các tỉnh …": the bodies after the verb do it."""
    found = tasks_of("Ủy ban nhân dân tỉnh giao Sở Tài chính chủ trì bố trí kinh phí trước ngày 30/6/2026.\n")
    assert [r for r in roles(found[0])] == [("Sở Tài chính", "lead")]
    found = tasks_of("Bộ Xây dựng đề nghị Ủy ban nhân dân các tỉnh báo cáo kết quả trước ngày 15/12/2025.\n")
    assert [r[0] for r in roles(found[0])] == ["Ủy ban nhân dân các tỉnh"]


def test_a_time_field_is_due_as_its_whole_value_says() -> None:
    text = "c) Thời gian thực hiện: Hoàn\nthành trong năm 2026.\n"
    line = field_line(text, 0, len(text.rstrip()), REF)
    assert line is not None and line.deadline is not None
    assert text[line.deadline.start : line.deadline.end] == line.deadline.text == "Hoàn\nthành trong năm 2026"
    assert line.deadline.date == "2026-12-31"


def test_a_body_after_an_opening_time_is_its_clause_s_subject_whatever_the_verb() -> None:
    """"Trước ngày 01 tháng 8 hằng năm, Bộ Tài chính tính toán …" (a verb no list holds), and a body named by its
    role ("cơ quan chủ quản")."""
    found = tasks_of("d) Trước ngày 01 tháng 8 hằng năm, Bộ Tài chính tính toán và thông báo số kiểm tra.\n")
    assert [r for r in roles(found[0])] == [("Bộ Tài chính", "lead")]
    assert found[0].deadline is not None and found[0].deadline["recurrence"] == "annual"
    found = tasks_of("đ) Trước ngày 15 tháng 8 hằng năm, cơ quan chủ quản hoàn thiện dự kiến kế hoạch.\n")
    assert [r for r in roles(found[0])] == [("cơ quan chủ quản", "lead")]
    # a body after a time but no clause start stays what it was: the object of "gửi"
    found = tasks_of("Trước ngày 15/12/2025, Sở Y tế gửi báo cáo về Sở Nội vụ.\n")
    assert [r[0] for r in roles(found[0]) if r[1] == "lead"] == ["Sở Y tế"]


def test_who_allocates_a_plan_does_it_who_assigns_a_body_does_not() -> None:
    found = tasks_of("b) Trước ngày 20 tháng 11 hằng năm, Thủ tướng Chính phủ giao kế hoạch viện trợ năm sau.\n")
    assert [r for r in roles(found[0])] == [("Thủ tướng Chính phủ", "lead")]
    found = tasks_of("Thủ tướng Chính phủ giao Bộ Tài chính hướng dẫn lập kế hoạch trước ngày 01/7/2026.\n")
    assert [r for r in roles(found[0])] == [("Bộ Tài chính", "lead")]


def test_a_heading_that_is_one_department_s_name_names_it_whole() -> None:
    """Only the first syllable of each part is capitalised ("Cục Mỹ thuật, Nhiếp ảnh và Triển lãm"), so the
    name patterns stop at "Cục Mỹ"; a heading that is the name alone gives it whole to its points."""
    text = ("II. NHIỆM VỤ CỤ THỂ\n\n4. Cục Mỹ thuật, Nhiếp ảnh và Triển lãm:\n\n"
            "- Hoàn thiện dự thảo Nghị định sửa đổi trước ngày 31/12/2025.\n\n"
            "5. Vụ Pháp chế:\n\n- Rà soát các dự thảo văn bản trước ngày 15/12/2025.\n")
    found = tasks_of(text)
    assert [roles(t) for t in found] == [[("Cục Mỹ thuật, Nhiếp ảnh và Triển lãm", "lead")], [("Vụ Pháp chế", "lead")]]
    # a heading that goes on with what the body does keeps the name the patterns found
    heading = "5. Cục Báo chí chủ trì, phối hợp với Vụ Pháp chế"
    first = find_actors(heading, 0)[0]
    assert _whole_heading_name(heading, 0, first) == {}


def test_a_body_that_directs_others_leads_the_duty() -> None:
    """"Bộ Xây dựng chỉ đạo Sở Xây dựng …": the ministry answers for it (the directed bodies are no actors); only
    a lead-in ("Chủ tịch UBND tỉnh chỉ đạo:") makes its author no doer."""
    found = tasks_of("2. Bộ trưởng Bộ Y tế chỉ đạo các cơ sở y tế rà soát trang thiết bị, hoàn thành trước ngày"
                     " 15/12/2025.\n")
    task = only(found, "rà soát trang thiết bị")
    assert roles(task) == [("Bộ trưởng Bộ Y tế", "lead")]
    assert task.deadline is not None and task.deadline["date"] == "2025-12-15"


def test_a_body_named_in_an_opening_phrase_is_not_in_the_subjects_list() -> None:
    """"Căn cứ hướng dẫn của Bộ Tài chính, cơ quan chủ quản có trách nhiệm: …": the body after the comma is the
    subject; the one in the opening phrase is named in passing."""
    raw = ("b) Căn cứ hướng dẫn của Bộ Tài chính, cơ quan chủ quản có trách nhiệm: lập dự kiến kế hoạch năm sau;"
           " trước ngày 20 tháng 7 hằng năm, gửi Bộ Tài chính kế hoạch năm sau;\n")
    task = only(tasks_of(raw), "lập dự kiến kế hoạch")
    assert [r for r in roles(task) if r[1] == "lead"] == [("cơ quan chủ quản", "lead")]
    assert task.deadline is not None and task.deadline["date"] == "2026-07-20"
    # a list after "đề nghị" stays one list of the asked bodies
    asked = only(tasks_of("Đề nghị Sở Y tế, Sở Nội vụ rà soát danh mục, báo cáo trước ngày 15/12/2025.\n"), "rà soát")
    assert roles(asked) == [("Sở Y tế", "assignee"), ("Sở Nội vụ", "assignee")]
