"""PDF bytes → the text layer, page after page (the layout the hongze/huaian text copies show); none → OCR."""

from __future__ import annotations

import io

from core.errors import ReportError
from ingest.read.page_lines import text_layer_lines


def read_pdf(data: bytes, where: str, lines: list | None = None) -> tuple[str, bool]:
    """The text and whether it came by OCR: a PDF whose pages carry no text layer is a scan (scan_pdf.py).
    `lines`, when given, receives where each printed line and table row sits on its page (page_lines.Line)."""
    # pdfplumber gives back the hongze/huaian text layers exactly as the sample .txt copies;
    # pypdf splits the table header cells differently and moves page footers.
    import pdfplumber

    if b"%PDF" not in data[:1024]:
        raise ReportError("不是 PDF 文件（缺少 %PDF 文件头）", hint="请确认文件确实是 PDF", where=where)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
            placed = text_layer_lines(pdf) if lines is not None else []
    except Exception as e:  # pdfminer raises its own syntax, password and type errors
        name = type(e).__name__
        if "Password" in name or "Encrypt" in name:
            raise ReportError("PDF 有密码保护", hint="请先去除密码", where=where) from e
        raise ReportError(f"PDF 文件已损坏（{name}）", hint="请重新下载或导出 PDF", where=where) from e
    text = "\n".join(pages)
    # Scans sometimes carry a stray page number or stamp as text; a report has far more letters.
    if sum(ch.isalpha() for ch in text) < 10:
        from ingest.read.scan_pdf import read_scan

        try:
            text = read_scan(data, where, lines=lines)
        except ImportError as e:
            raise ReportError("PDF 没有文字层，可能是扫描图片；文字识别（OCR）组件未安装",
                              hint="请安装 requirements.txt 中的 rapidocr-onnxruntime，或先做文字识别（OCR）",
                              where=where) from e
        if sum(ch.isalpha() for ch in text) < 10:
            raise ReportError("PDF 没有文字层，文字识别（OCR）也没有读出文字",
                              hint="请确认扫描件清晰（文字识别 OCR 读不出）", where=where)
        return text, True
    if lines is not None:
        lines += placed
    return text, False
