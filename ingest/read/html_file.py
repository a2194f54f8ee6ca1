"""HTML bytes → text lines; each table row becomes one `| a | b |` line, a merged cell once; pictures by OCR."""

from __future__ import annotations

import base64
import re
from pathlib import Path
from urllib.parse import unquote

from core.errors import ReportError
from ingest.read.decode import BOMS, decode_text

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


def read_html(data: bytes, where: str, base: Path | None = None) -> tuple[str, str, bool]:
    """Text, encoding, and whether pictures (tables printed as images: data URIs, or files under `base`, the
    folder of a saved page) were read by OCR."""
    from bs4 import BeautifulSoup

    text, encoding = _decode_html(data, where)
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as e:  # lxml rejects very little; anything it does reject is a broken file
        raise ReportError(f"无法解析 HTML：{e}", hint="请重新保存网页", where=where) from e
    out = _Lines()
    out.base = base
    _walk_html(soup, out)
    out.flush()
    lines = out.lines
    # The page title lives in <head>, which is dropped; keep it when the body does not repeat it.
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    if title and not any(title in line for line in lines[:20]):
        lines.insert(0, collapse(title))
    return "\n".join(lines), encoding, out.pictures > 0


def _decode_html(data: bytes, where: str) -> tuple[str, str]:
    """A declared <meta charset> wins when it decodes cleanly; otherwise detect as for text files."""
    if not data.startswith(tuple(b for b, _ in BOMS)):
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
        self.base: Path | None = None  # folder that relative picture addresses are read from
        self.pictures = 0  # pictures read by OCR

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


def collapse(text: str) -> str:
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
        elif name == "img":
            _picture(child.get("src") or "", out)
        elif name == "table":
            out.flush()
            _html_table(child, out)
        elif name in _BLOCKS:
            out.flush()
            _walk_html(child, out)
            out.flush()
        else:
            _walk_html(child, out)


def _picture_bytes(src: str, base: Path | None) -> bytes | None:
    """A picture's bytes from a data URI, or from a file inside the saved page's folder; never from the network."""
    if src.startswith("data:image/") and ";base64," in src[:100]:
        try:
            return base64.b64decode(src.split(",", 1)[1])
        except ValueError:
            return None
    if base is None or re.match(r"^[a-z][a-z0-9+.-]*:", src, re.IGNORECASE):
        return None
    path = (base / unquote(src.split("?")[0].split("#")[0])).resolve()
    inside = path.is_relative_to(base.resolve())
    return path.read_bytes() if inside and path.is_file() and path.stat().st_size < 20_000_000 else None


def _picture(src: str, out: _Lines) -> None:
    """A picture large enough to hold a table → its text by OCR, in place."""
    data = _picture_bytes(src.strip(), out.base)
    if not data:
        return
    try:
        from ingest.read.scan_pdf import read_picture
    except ImportError:  # OCR not installed: the picture stays unread, as before
        return
    lines = read_picture(data)
    if lines:
        out.pictures += 1
        for line in lines.split("\n"):
            out.emit(line)


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
        out.emit(collapse(caption.get_text(" ")))
    for _, cells in rows:
        if cells:
            out.emit(pipe_row(_html_cell_text(c) for c in cells))


def _html_cell_text(cell) -> str:
    inner = _Lines()
    _walk_html(cell, inner)
    inner.flush()
    return collapse(" ".join(inner.lines))


def pipe_row(cells) -> str:
    return "| " + " | ".join(cells) + " |"
