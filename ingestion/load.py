"""Loaders: bytes on disk → text (+ what the format itself says about title, date, author).

Every failure is an `InvalidDocumentError`/`UnsupportedFileError` with a reason a person can act
on; the pipeline records it per file and carries on with the rest of the batch.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ingestion.limits import Budget
from vectorstore.analyzer import to_nfc
from vectorstore.errors import InvalidDocumentError, UnsupportedFileError

SUPPORTED = {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}
MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
# Letters that only Vietnamese text decoded right contains; used to tell cp1258 from noise.
_VI_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")


@dataclass
class LoadedFile:
    path: str
    name: str
    kind: str
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def load_file(path: Path) -> LoadedFile:
    if not path.is_file():
        raise InvalidDocumentError(f"not a file: {path}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InvalidDocumentError(f"file too large ({size // 1024 // 1024} MB > {MAX_FILE_BYTES // 1024 // 1024} MB)")
    return load_bytes(path.name, path.read_bytes(), str(path))


def load_bytes(name: str, data: bytes, path: str | None = None, budget: Budget | None = None) -> LoadedFile:
    """`budget` bounds the work (pages, characters, time): over it, `LimitExceededError`."""
    budget = budget or Budget()
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED:
        raise UnsupportedFileError(
            f"unsupported file type '{suffix or name}' (supported: {', '.join(sorted(SUPPORTED))})"
        )
    if not data.strip():
        raise InvalidDocumentError("empty file")
    kind = {".htm": "html", ".markdown": "md"}.get(suffix, suffix[1:])
    loaded = LoadedFile(path=path or name, name=name, kind=kind, text="")
    match kind:
        case "txt" | "md":
            loaded.text = decode_text(data, loaded.notes)
        case "html":
            _load_html(decode_text(data, loaded.notes), loaded)
        case "pdf":
            _load_pdf(data, loaded, budget)
        case "docx":
            _load_docx(data, loaded)
    budget.check(len(loaded.text))
    loaded.text = to_nfc(loaded.text).replace("\r\n", "\n").replace("\r", "\n")
    if not loaded.text.strip():
        raise InvalidDocumentError("no text could be extracted")
    return loaded


def decode_text(data: bytes, notes: list[str]) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1258; binary is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    head = data[:8192]
    if b"\x00" in head:
        raise InvalidDocumentError("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise InvalidDocumentError("cannot decode: not UTF-8 nor Windows-1258") from exc
    folded = to_nfc(text)
    letters = sum(ch.isalpha() for ch in folded) or 1
    # TCVN3 (ABC) and VNI bytes also decode as Windows-1258, into symbol soup (µ ¸ ª ® Ç …).
    symbols = sum(1 for ch in folded if "\xa1" <= ch <= "\xbf" or ch in "ÇÊËÌÍÎÏÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞ")
    if symbols > 0.02 * letters:
        raise InvalidDocumentError(
            "cannot decode: looks like a legacy TCVN3 (ABC) or VNI Vietnamese encoding; "
            "convert the file to Unicode (UTF-8) first"
        )
    if not any(ch in _VI_LETTERS for ch in folded):
        raise InvalidDocumentError(
            "cannot decode: not UTF-8, and not recognisable Vietnamese in Windows-1258 "
            "(TCVN3/VNI files must be converted to Unicode first)"
        )
    notes.append("decoded from Windows-1258")
    return folded


def _load_html(html: str, loaded: LoadedFile) -> None:
    import trafilatura

    # No extensive date search: a date guessed from the body is a cited directive's, not the page's.
    doc = trafilatura.bare_extraction(html, include_comments=False, include_tables=True, with_metadata=True,
                                      date_extraction_params={"extensive_search": False})
    if doc is None:
        raise InvalidDocumentError("no main content found in HTML")
    text = getattr(doc, "text", None) or ""
    loaded.text = text
    for key in ("title", "date", "author", "sitename", "hostname"):
        value = getattr(doc, key, None)
        if value:
            loaded.meta[key] = str(value)


def _load_pdf(data: bytes, loaded: LoadedFile, budget: Budget) -> None:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        budget.pages(len(reader.pages))  # the page tree alone: refused before any text is extracted
        pages: list[str] = []
        chars = 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            chars += len(pages[-1])
            budget.check(chars)
        title = reader.metadata.title if reader.metadata else None
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise InvalidDocumentError(f"unreadable PDF: {exc}") from exc
    loaded.text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not loaded.text.strip():
        raise InvalidDocumentError("PDF has no text layer (scanned image?); OCR it first")
    if title:
        loaded.meta["title"] = str(title)


def _load_docx(data: bytes, loaded: LoadedFile) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            total = sum(info.file_size for info in zf.infolist())
            if total > MAX_DOCX_UNCOMPRESSED:
                raise InvalidDocumentError(f"DOCX expands to {total // 1024 // 1024} MB: refused (zip bomb?)")
    except zipfile.BadZipFile as exc:
        raise InvalidDocumentError("not a valid DOCX (zip) file") from exc
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InvalidDocumentError(f"unreadable DOCX: {exc}") from exc
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    loaded.text = "\n\n".join(p.strip() for p in parts if p.strip())
    title = document.core_properties.title
    if title:
        loaded.meta["title"] = title
