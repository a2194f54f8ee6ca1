"""DOCX bytes → text lines in body order; tables as `| a | b |` rows, merged cells once."""

from __future__ import annotations

import io
from functools import lru_cache

from core.errors import ReportError
from ingest.read.html_file import collapse, pipe_row


def read_docx(data: bytes, where: str) -> str:
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
            lines.append(pipe_row(_docx_cell_text(tc) for tc in cells))


def _docx_cell_text(tc) -> str:
    inner: list[str] = []
    _docx_blocks(tc, inner)
    return collapse(" ".join(inner))
