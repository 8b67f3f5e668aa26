"""ingestion.load: bytes on disk → NFC text, or a clear, per-file error."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import pytest

from ingestion.load import MAX_DOCX_UNCOMPRESSED, LoadedFile, load_bytes, load_file
from vectorstore.errors import InvalidDocumentError, QAError, UnsupportedFileError

VI = "Ban Thường vụ Thành ủy yêu cầu các cấp ủy đảng quán triệt Chỉ thị số 12-CT/TW ngày 05/01/2022."
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def _cp1258(text: str) -> bytes:
    """Windows-1258 as old Vietnamese editors wrote it: base letter (ư ơ â ă ê ô đ) + combining tone."""
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tones)
    return "".join(out).encode("cp1258")


def _pdf(lines: list[str], title: str | None = None) -> bytes:
    """A one-page PDF whose text layer holds `lines` (a ToUnicode map makes any character extractable)."""
    chars = sorted({ch for line in lines for ch in line})
    code = {ch: i + 1 for i, ch in enumerate(chars)}
    shown = " ".join("<" + "".join(f"{code[ch]:02X}" for ch in line) + "> '" for line in lines)
    content = f"BT /F1 12 Tf 72 720 Td 14 TL {shown} ET"
    bfchars = "\n".join(f"<{code[ch]:02X}> <{ord(ch):04X}>" for ch in chars)
    cmap = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <00> <FF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{bfchars}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        f"<< /Length {len(cmap)} >>\nstream\n{cmap}\nendstream",
    ]
    if title:
        objs.append(f"<< /Title ({title}) >>")
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    info = f" /Info {len(objs)} 0 R" if title else ""
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R{info} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


# --- plain text: encodings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(VI.encode("utf-8"), id="utf-8"),
        pytest.param(VI.encode("utf-8-sig"), id="utf-8-bom"),
        pytest.param(VI.encode("utf-16"), id="utf-16-bom"),
        pytest.param(b"\xfe\xff" + VI.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(unicodedata.normalize("NFD", VI).encode("utf-8"), id="utf-8-nfd"),
    ],
)
def test_text_encodings_decode_to_the_same_nfc_text(data: bytes) -> None:
    loaded = load_bytes("chi-thi.txt", data)
    assert loaded.text == VI
    assert not loaded.text.startswith("\ufeff")
    assert loaded.kind == "txt"
    assert loaded.notes == []


def test_windows_1258_is_decoded_with_a_note() -> None:
    data = _cp1258(VI)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    loaded = load_bytes("cu.txt", data)
    assert loaded.text == VI
    assert unicodedata.is_normalized("NFC", loaded.text)
    assert loaded.notes == ["decoded from Windows-1258"]


# TCVN3 (ABC), the other legacy 8-bit Vietnamese encoding: one byte per letter, toned letters in 0xB5-0xFE.
_TCVN3 = dict(zip(
    "àảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵăâêôơưđĂÂÊÔƠƯĐ",
    bytes([0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB, 0xCC, 0xCE,
           0xCF, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE, 0xDF, 0xE1, 0xE2, 0xE3,
           0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED, 0xEE, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4, 0xF5,
           0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xA1,
           0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7]),
    strict=True,
))


def test_tcvn3_is_refused_not_decoded_as_windows_1258_mojibake() -> None:
    """DESIGN.md: legacy encodings are normalised to NFC or rejected with a clear error."""
    data = b"".join(bytes([_TCVN3[c]]) if c in _TCVN3 else c.encode("ascii") for c in VI)
    with pytest.raises(InvalidDocumentError, match="TCVN3"):
        loaded = load_bytes("tcvn3.txt", data)
        pytest.fail(f"accepted as {loaded.notes}: {loaded.text!r}")


def test_non_utf8_bytes_that_are_not_vietnamese_are_refused() -> None:
    with pytest.raises(InvalidDocumentError, match="cannot decode"):
        load_bytes("latin.txt", "Café crème brûlée à la française".encode("latin-1"))


def test_crlf_becomes_lf() -> None:
    loaded = load_bytes("a.md", "Dòng một\r\nDòng hai\rDòng ba".encode())
    assert loaded.text == "Dòng một\nDòng hai\nDòng ba"
    assert loaded.kind == "md"


def test_binary_is_refused() -> None:
    with pytest.raises(InvalidDocumentError, match="NUL"):
        load_bytes("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))


@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n"])
def test_empty_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidDocumentError, match="empty"):
        load_bytes("empty.txt", data)


@pytest.mark.parametrize("name", ["bang-tinh.xlsx", "anh.png", "README", "script.exe"])
def test_unsupported_suffix(name: str) -> None:
    with pytest.raises(UnsupportedFileError) as info:
        load_bytes(name, b"some bytes")
    assert info.value.status_code == 415
    assert ".docx" in info.value.message  # says what is supported


def test_errors_are_domain_errors_with_a_message() -> None:
    with pytest.raises(QAError) as info:
        load_bytes("empty.txt", b"")
    assert info.value.status_code == 422
    assert info.value.message


# --- files on disk -----------------------------------------------------------------------------


def test_load_file_reads_from_disk(tmp_path: Path) -> None:
    path = tmp_path / "văn bản.txt"
    path.write_text(VI, encoding="utf-8")
    loaded = load_file(path)
    assert isinstance(loaded, LoadedFile)
    assert loaded.text == VI
    assert loaded.name == "văn bản.txt"
    assert loaded.path == str(path)


def test_load_file_refuses_a_folder(tmp_path: Path) -> None:
    with pytest.raises(InvalidDocumentError, match="not a file"):
        load_file(tmp_path)


# --- HTML ----------------------------------------------------------------------------------------


def test_html_keeps_the_main_content_without_scripts_or_navigation() -> None:
    body = (
        "Ban Thường vụ Thành ủy yêu cầu các cấp ủy đảng, chính quyền tiếp tục quán triệt, thực hiện nghiêm túc "
        "Chỉ thị số 12-CT/TW của Ban Bí thư về tăng cường sự lãnh đạo của Đảng."
    )
    html = f"""<!doctype html><html lang="vi"><head><meta charset="utf-8">
    <title>Tăng cường đối ngoại nhân dân</title>
    <script>var secret = "SCRIPT_TEXT";</script><style>.x {{ color: red }}</style></head>
    <body><nav><a href="/">Trang chủ</a> | <a href="/tin">Tin tức</a> | MENU_TEXT</nav>
    <article><h1>Tăng cường đối ngoại nhân dân</h1><p>{body}</p>
    <p>Các quận ủy, huyện ủy có trách nhiệm xây dựng Chương trình hành động và kế hoạch triển khai thực hiện,
    phù hợp với đặc điểm, tình hình của cơ quan, đơn vị, địa phương.</p>
    <script>document.write("INLINE_SCRIPT_TEXT")</script></article>
    <footer>FOOTER_TEXT Bản quyền thuộc Cổng thông tin điện tử</footer></body></html>"""
    loaded = load_bytes("bai-viet.html", html.encode("utf-8"))
    assert loaded.kind == "html"
    assert body in loaded.text
    assert "có trách nhiệm xây dựng Chương trình hành động" in loaded.text
    for chrome in ("SCRIPT_TEXT", "INLINE_SCRIPT_TEXT", "color: red", "MENU_TEXT"):
        assert chrome not in loaded.text
    assert loaded.meta.get("title") == "Tăng cường đối ngoại nhân dân"


def test_htm_suffix_is_html() -> None:
    html = "<html><body><article><p>" + VI * 3 + "</p></article></body></html>"
    loaded = load_bytes("a.HTM", html.encode())
    assert loaded.kind == "html"
    assert VI in loaded.text


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_with_a_text_layer() -> None:
    lines = ["Chỉ thị số 12-CT/TW ngày 05/01/2022", "Ban Bí thư ban hành, Thành ủy quán triệt."]
    loaded = load_bytes("chi-thi.pdf", _pdf(lines, title="Chi thi 12"))
    assert loaded.kind == "pdf"
    assert loaded.text == "\n".join(lines)
    assert unicodedata.is_normalized("NFC", loaded.text)
    assert loaded.meta["title"] == "Chi thi 12"


def test_blank_pdf_has_no_text_layer() -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(InvalidDocumentError, match="no text layer"):
        load_bytes("scan.pdf", buf.getvalue())


def test_broken_pdf_is_refused() -> None:
    with pytest.raises(InvalidDocumentError, match="unreadable PDF"):
        load_bytes("broken.pdf", b"%PDF-1.4\nthis is not really a pdf")


# --- DOCX ----------------------------------------------------------------------------------------


def _docx(tmp_path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = "Kế hoạch 108-KH/TU"
    document.add_heading("Kế hoạch số 108-KH/TU", level=1)
    document.add_paragraph("Ban Thường vụ Thành uỷ ban hành Kế hoạch ngày 20/5/2022.")
    document.add_paragraph("   ")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Đơn vị"
    table.cell(0, 1).text = "Thời hạn"
    table.cell(1, 0).text = "Sở Ngoại vụ"
    table.cell(1, 1).text = "trước ngày 30/6/2023"
    path = tmp_path / "ke-hoach.docx"
    document.save(str(path))
    return path


def test_docx_paragraphs_tables_and_title(tmp_path: Path) -> None:
    loaded = load_file(_docx(tmp_path))
    assert loaded.kind == "docx"
    assert loaded.text.split("\n\n") == [
        "Kế hoạch số 108-KH/TU",
        "Ban Thường vụ Thành uỷ ban hành Kế hoạch ngày 20/5/2022.",
        "Đơn vị | Thời hạn",
        "Sở Ngoại vụ | trước ngày 30/6/2023",
    ]
    assert "Thành uỷ" in loaded.text  # the document's own tone style is kept
    assert loaded.meta["title"] == "Kế hoạch 108-KH/TU"


def test_docx_that_is_not_a_zip_is_refused() -> None:
    with pytest.raises(InvalidDocumentError, match="not a valid DOCX"):
        load_bytes("fake.docx", b"PK but not really a zip file at all")


def test_zip_that_is_not_a_docx_is_refused(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "xin chào")
    with pytest.raises(InvalidDocumentError, match="DOCX"):
        load_bytes("other.docx", buf.getvalue())


def test_zip_bomb_docx_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    """A real DOCX plus a member that declares 256 MB of zeros (about 1 MB on disk)."""
    source = _docx(tmp_path)
    bomb = tmp_path / "bomb.docx"
    size = 256 * 1024 * 1024
    assert size > MAX_DOCX_UNCOMPRESSED
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        with dst.open("word/media/zeros.bin", "w", force_zip64=True) as member:
            block = bytes(1 << 20)
            for _ in range(size // len(block)):
                member.write(block)
    assert bomb.stat().st_size < 5 * 1024 * 1024
    with pytest.raises(InvalidDocumentError, match="zip bomb"):
        load_file(bomb)
