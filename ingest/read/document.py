"""Read one report file (txt, md, html, docx, pdf) into a Document: plain text lines, tables as `| a | b |` rows."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from core.errors import ReportError
from ingest.read.decode import decode_text, refuse_binary, refuse_control_chars
from ingest.read.docx_file import read_docx
from ingest.read.html_file import read_html
from ingest.read.page_lines import Line
from ingest.read.pdf_file import read_pdf

SUPPORTED = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
_LAYOUTS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}


@dataclass(frozen=True)
class Document:
    path: Path
    text: str  # whole report as plain text lines; table rows as "| a | b | ... |"
    layout: str  # "txt" | "md" | "html" | "docx" | "pdf"; "pdf-ocr", "html-ocr": read (partly) by OCR
    encoding: str  # detected encoding of text formats (txt, md, html); "" for binary formats
    sha256: str  # hex sha256 of the file bytes
    lines: tuple[Line, ...] = field(default=(), repr=False)  # a PDF's lines and rows with their places on its pages
    original: bytes = field(default=b"", repr=False)  # a PDF's own bytes: its pages are shown beside citations


def read_document(path: Path) -> Document:
    """Read a report file into a Document; any problem becomes a ReportError naming the file."""
    path = Path(path)
    where = path.name or str(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise ReportError("找不到文件", hint="请检查路径和文件名", where=where)
    if not path.is_file():
        raise ReportError("不是文件", hint="请给出一份报告文件的路径", where=where)
    if suffix not in SUPPORTED:
        raise ReportError(
            f"不支持的文件类型 {suffix or '（无扩展名）'!r}",
            hint=f"请转换为以下格式之一：{' '.join(SUPPORTED)}",
            where=where,
        )
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ReportError(f"无法读取文件：{e.strerror or e}", hint="请检查文件权限", where=where) from e
    if not data.strip():
        raise ReportError("文件为空", hint="请重新导出报告", where=where)

    layout = _LAYOUTS[suffix]
    encoding = ""
    lines: list[Line] = []
    if layout in ("txt", "md"):
        refuse_binary(data, where)
        text, encoding = decode_text(data, where)
        refuse_control_chars(text, where)
    elif layout == "html":
        refuse_binary(data, where)
        text, encoding, pictures = read_html(data, where, path.parent)
        layout = "html-ocr" if pictures else "html"
    elif layout == "docx":
        text = read_docx(data, where)
    else:
        text, scanned = read_pdf(data, where, lines)
        layout = "pdf-ocr" if scanned else "pdf"
    if not text.strip():
        # whitespace in another encoding (a BOM, full-width spaces), or a document with no text in it
        raise ReportError("文件中没有文字", hint="请确认这就是报告本身", where=where)
    return Document(path, text, layout, encoding, hashlib.sha256(data).hexdigest(), tuple(lines),
                    data if layout.startswith("pdf") else b"")
