"""Read one report file (txt, md, html, docx, pdf) into a Document: plain text lines, tables as `| a | b |` rows."""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ingest.errors import ReportError

SUPPORTED = (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
_LAYOUTS = {".txt": "txt", ".md": "md", ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx"}


@dataclass(frozen=True)
class Document:
    path: Path
    text: str  # whole report as plain text lines; table rows as "| a | b | ... |"
    layout: str  # "txt" | "md" | "html" | "docx" | "pdf"
    encoding: str  # detected encoding of text formats (txt, md, html); "" for binary formats
    sha256: str  # hex sha256 of the file bytes


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
    if layout in ("txt", "md"):
        _refuse_binary(data, where)
        text, encoding = decode_text(data, where)
        _refuse_control_chars(text, where)
    elif layout == "html":
        _refuse_binary(data, where)
        text, encoding = _read_html(data, where)
    elif layout == "docx":
        text = _read_docx(data, where)
    else:
        text = _read_pdf(data, where)
    if not text.strip():
        # whitespace in another encoding (a BOM, full-width spaces), or a document with no text in it
        raise ReportError("文件中没有文字", hint="请确认这就是报告本身", where=where)
    return Document(path, text, layout, encoding, hashlib.sha256(data).hexdigest())


# ---- text encodings ------------------------------------------------------------------------

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Two-byte legacy encodings of Chinese, tried in this order; a tie goes to the first (mainland reports).
_LEGACY = ("gb18030", "big5", "cp950")


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """The most used characters: GB2312 level 1 (simplified) and Big5 常用字 (traditional).

    A wrong two-byte decoding still decodes, but into rare characters and private-use code points,
    so the count of common characters tells the right encoding apart.
    """
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        chars.update(bytes([lead, t]).decode("gb2312", "ignore") for t in range(0xA1, 0xFF))
    for lead in range(0xA4, 0xC7):
        for t in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            chars.add(bytes([lead, t]).decode("big5", "ignore"))
    chars.discard("")
    return frozenset(chars)


def decode_text(data: bytes, where: str = "") -> tuple[str, str]:
    """Decode the bytes of a text file; return (text, encoding). The text is otherwise unchanged."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise _undecodable(where, f"it starts with a {enc} byte-order mark but does not decode") from e
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    common = _common_hanzi()
    best: tuple[int, str, str] | None = None
    for enc in _LEGACY:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = sum(ch in common for ch in text)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None:
        raise _undecodable(where, "it is neither UTF-8 nor GB18030 nor Big5")
    return best[1], "big5" if best[2] == "cp950" else best[2]


def _undecodable(where: str, why: str) -> ReportError:
    return ReportError(f"无法识别文字编码：{why}", hint="请另存为 UTF-8 后重试", where=where)


# Signatures of binary formats that get renamed to .txt/.html by mistake.
_MAGIC = (
    (b"%PDF", "PDF 文件", "请把扩展名改为 .pdf"),
    (b"PK\x03\x04", "ZIP 压缩包（DOCX、XLSX 等）", "如果是 Word 文件，请把扩展名改为 .docx"),
    (b"\xd0\xcf\x11\xe0", "旧版 Office 文件（DOC/XLS）", "请另存为 .docx 或 .pdf"),
    (b"\x89PNG", "PNG 图片", "请先做文字识别（OCR）"),
    (b"\xff\xd8\xff", "JPEG 图片", "请先做文字识别（OCR）"),
    (b"GIF8", "GIF 图片", "请先做文字识别（OCR）"),
    (b"{\\rtf", "RTF 文件", "请另存为 .docx 或 .txt"),
)


def _refuse_binary(data: bytes, where: str) -> None:
    for magic, what, hint in _MAGIC:
        if data.startswith(magic):
            raise ReportError(f"这是{what}，不是文本文件", hint=hint, where=where)
    # NUL bytes never occur in UTF-8 or GB/Big5 text; UTF-16 (which has them) comes with a BOM.
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReportError("文件内容是二进制数据，不是文字", hint="请提供文本、HTML、DOCX 或 PDF 报告", where=where)


def _refuse_control_chars(text: str, where: str) -> None:
    sample = text[:65536]
    control = sum(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v" for ch in sample)
    if control > max(2, len(sample) // 100):
        raise ReportError("文件内容是二进制数据，不是文字", hint="请提供文本、HTML、DOCX 或 PDF 报告", where=where)


# ---- HTML -----------------------------------------------------------------------------------

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Declared names mapped to the codec that decodes them (GB18030 is a superset of GB2312 and GBK).
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "utf8": "utf-8",
    "big5-hkscs": "big5hkscs",
    "x-big5": "big5",
}
_DROP = {"script", "style", "noscript", "template", "head", "iframe", "object", "svg", "select", "button"}
_BLOCKS = set(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd tr td th section article header footer main nav aside blockquote"
    " pre address figure figcaption form fieldset center hr caption body html title".split()
)
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def _read_html(data: bytes, where: str) -> tuple[str, str]:
    from bs4 import BeautifulSoup

    text, encoding = _decode_html(data, where)
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as e:  # lxml rejects very little; anything it does reject is a broken file
        raise ReportError(f"无法解析 HTML：{e}", hint="请重新保存网页", where=where) from e
    out = _Lines()
    _walk_html(soup, out)
    out.flush()
    lines = out.lines
    # The page title lives in <head>, which is dropped; keep it when the body does not repeat it.
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if title and not any(title in line for line in lines[:20]):
        lines.insert(0, _collapse(title))
    return "\n".join(lines), encoding


def _decode_html(data: bytes, where: str) -> tuple[str, str]:
    """A declared <meta charset> wins when it decodes cleanly; otherwise detect as for text files."""
    if not data.startswith(tuple(b for b, _ in _BOMS)):
        m = _META_CHARSET.search(data[:8192])
        if m:
            declared = m.group(1).decode("ascii", "ignore").lower()
            codec = _CHARSET_ALIASES.get(declared, declared)
            try:
                return data.decode(codec), codec
            except (LookupError, UnicodeDecodeError):
                pass  # a wrong declaration is common; fall back to detection
    return decode_text(data, where)


class _Lines:
    """Collects inline text into lines; a block boundary ends the current line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._buf: list[str] = []

    def add(self, text: str) -> None:
        self._buf.append(text)

    def flush(self) -> None:
        line = _HTML_SPACE.sub(" ", "".join(self._buf)).strip()
        self._buf = []
        if line:
            self.lines.append(line)

    def emit(self, line: str) -> None:
        self.flush()
        self.lines.append(line)


def _collapse(text: str) -> str:
    """All whitespace runs (incl. full-width and no-break spaces) to one space: the form of a table cell."""
    return " ".join(text.split())


def _walk_html(node, out: _Lines) -> None:
    from bs4 import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

    for child in node.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
                out.add(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower()
        if name in _DROP:
            continue
        if name == "br":
            out.flush()
        elif name == "table":
            out.flush()
            _html_table(child, out)
        elif name in _BLOCKS:
            out.flush()
            _walk_html(child, out)
            out.flush()
        else:
            _walk_html(child, out)


def _html_rows(table) -> list:
    """The table's own rows (inside thead/tbody/tfoot or directly), not the rows of nested tables."""
    rows = []
    for child in table.find_all(recursive=False):
        if child.name == "tr":
            rows.append(child)
        elif child.name in ("thead", "tbody", "tfoot"):
            rows.extend(child.find_all("tr", recursive=False))
    return rows


def _html_table(table, out: _Lines) -> None:
    rows = [(tr, tr.find_all(("td", "th"), recursive=False)) for tr in _html_rows(table)]
    # A table used for page layout (it holds other tables, or has one cell per row) is not data:
    # read its cells as ordinary blocks so the tables inside it become the rows.
    if table.find("table") is not None or all(len(cells) <= 1 for _, cells in rows):
        _walk_html(table, out)
        out.flush()
        return
    caption = table.find("caption", recursive=False)
    if caption is not None:
        out.emit(_collapse(caption.get_text(" ")))
    for _, cells in rows:
        if cells:
            out.emit(_pipe_row(_html_cell_text(c) for c in cells))


def _html_cell_text(cell) -> str:
    inner = _Lines()
    _walk_html(cell, inner)
    inner.flush()
    return _collapse(" ".join(inner.lines))


def _pipe_row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


# ---- DOCX -----------------------------------------------------------------------------------


def _read_docx(data: bytes, where: str) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not data.startswith(b"PK"):
        what = "这是旧版 Word .doc 文件" if data.startswith(b"\xd0\xcf\x11\xe0") else "不是 DOCX（ZIP）文件"
        raise ReportError(what, hint="请用 Word 打开并另存为 .docx", where=where)
    try:
        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        _docx_blocks(document.element.body, lines)
    except PackageNotFoundError as e:
        raise ReportError("DOCX 文件已损坏：其中没有 Word 文档", hint="请重新另存为 .docx", where=where) from e
    except Exception as e:  # zipfile, lxml and python-docx raise many kinds for a damaged file
        raise ReportError(f"DOCX 文件已损坏：{e}", hint="请用 Word 打开后重新保存", where=where) from e
    return "\n".join(lines)


_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


@lru_cache(maxsize=64)
def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{tag}")


def _docx_blocks(container, lines: list[str]) -> None:
    """Paragraphs and tables of a body or cell, in document order (content controls opened)."""
    for child in container.iterchildren():
        if child.tag == _w("p"):
            text = _docx_paragraph(child)
            lines.extend(line for line in (s.strip() for s in text.split("\n")) if line)
        elif child.tag == _w("tbl"):
            _docx_table(child, lines)
        elif child.tag in (_w("sdt"), _w("customXml")):
            inner = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if inner is not None:
                _docx_blocks(inner, lines)


def _docx_paragraph(p) -> str:
    """Text of the runs in order, also inside hyperlinks, smart tags, inline content controls and tracked
    insertions (python-docx's Paragraph.text skips the last three); text boxes and fallback copies are skipped."""
    skip = {_w("txbxContent"), _w("del"), _w("moveFrom"), _MC_FALLBACK}
    parts = []
    for el in p.iter(_w("t"), _w("tab"), _w("br"), _w("cr")):
        if el.getparent().tag != _w("r") or any(a.tag in skip for a in el.iterancestors()):
            continue
        parts.append(el.text or "" if el.tag == _w("t") else "\t" if el.tag == _w("tab") else "\n")
    return "".join(parts)


def _docx_children(parent, tag: str) -> list:
    """Children with this tag, looking inside content controls (w:sdt) and custom XML wrappers."""
    out = []
    for child in parent.iterchildren():
        if child.tag == _w(tag):
            out.append(child)
        elif child.tag in (_w("sdt"), _w("customXml")):
            inner = child.find(_w("sdtContent")) if child.tag == _w("sdt") else child
            if inner is not None:
                out.extend(_docx_children(inner, tag))
    return out


def _docx_rows(tbl) -> list:
    return _docx_children(tbl, "tr")


def _docx_cells(tr) -> list:
    """The row's physical cells, without the continuations of merges that began above or to the left."""
    cells = []
    for tc in _docx_children(tr, "tc"):
        pr = tc.find(_w("tcPr"))
        if pr is not None:
            # vMerge without val="restart" continues the cell above; hMerge is Word 97's horizontal merge.
            vmerge, hmerge = pr.find(_w("vMerge")), pr.find(_w("hMerge"))
            if vmerge is not None and vmerge.get(_w("val")) != "restart":
                continue
            if hmerge is not None and hmerge.get(_w("val")) != "restart":
                continue
        cells.append(tc)
    return cells


def _docx_table(tbl, lines: list[str]) -> None:
    rows = [(tr, _docx_cells(tr)) for tr in _docx_rows(tbl)]
    nested = any(tc.find(".//" + _w("tbl")) is not None for _, cells in rows for tc in cells)
    if nested or all(len(cells) <= 1 for _, cells in rows):
        # A layout table: read its cells as ordinary content, so inner tables give the rows.
        for _, cells in rows:
            for tc in cells:
                _docx_blocks(tc, lines)
        return
    for _, cells in rows:
        if cells:
            lines.append(_pipe_row(_docx_cell_text(tc) for tc in cells))


def _docx_cell_text(tc) -> str:
    inner: list[str] = []
    _docx_blocks(tc, inner)
    return _collapse(" ".join(inner))


# ---- PDF ------------------------------------------------------------------------------------


def _read_pdf(data: bytes, where: str) -> str:
    # pdfplumber gives back the hongze/huaian text layers exactly as the sample .txt copies;
    # pypdf splits the table header cells differently and moves page footers.
    import pdfplumber

    if b"%PDF" not in data[:1024]:
        raise ReportError("不是 PDF 文件（缺少 %PDF 文件头）", hint="请确认文件确实是 PDF", where=where)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except Exception as e:  # pdfminer raises its own syntax, password and type errors
        name = type(e).__name__
        if "Password" in name or "Encrypt" in name:
            raise ReportError("PDF 有密码保护", hint="请先去除密码", where=where) from e
        raise ReportError(f"PDF 文件已损坏（{name}）", hint="请重新下载或导出 PDF", where=where) from e
    text = "\n".join(pages)
    # Scans sometimes carry a stray page number or stamp as text; a report has far more letters.
    if sum(ch.isalpha() for ch in text) < 10:
        raise ReportError("PDF 没有文字层，可能是扫描图片", hint="请先做文字识别（OCR）", where=where)
    return text
