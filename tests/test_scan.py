"""Scans made from the sample PDFs (turned, speckled, JPEG-compressed) → OCR'd cells: never a wrong value."""

from __future__ import annotations

import pytest

from core.template import SCAN_NOTE, SCAN_UNREAD_NOTE
from ingest.parse.clean import clean_text
from ingest.parse.tables import parse_tables
from ingest.read.document import read_document
from tests.render import FIXTURES
from tests.scanned import VARIANTS, make_scan

pytest.importorskip("rapidocr_onnxruntime")

# Only the table pages, to keep OCR in the suite near a minute (bench/ocr_scan.py measures whole reports).
CASES = [("clean", [1, 2, 3], 0.95), ("office", [2, 3], 0.95)]


@pytest.mark.parametrize(("variant", "pages", "share"), CASES)
def test_scanned_tables_never_wrong(tmp_path, variant, pages, share):
    text_copy = {(c.table, c.row, c.column): c.value
                 for c in parse_tables(clean_text(read_document(FIXTURES / "hongze_2023.pdf").text), "r")[0]}
    v = next(v for v in VARIANTS if v.name == variant)
    scan = make_scan(FIXTURES / "hongze_2023.pdf", tmp_path / "scan.pdf", v, pages)
    doc = read_document(scan)
    assert doc.layout == "pdf-ocr"
    cells, _ = parse_tables(clean_text(doc.text), "r")
    got = {(c.table, c.row, c.column): c for c in cells}
    wrong = {k: (text_copy.get(k), c.value) for k, c in got.items()
             if c.value is not None and text_copy.get(k) != c.value}
    assert not wrong, wrong
    scanned = [k for k in text_copy if k[0] != "二" or 1 in pages]
    read = sum(got[k].value is not None for k in scanned if k in got)
    print(f"{variant}: {read}/{len(scanned)} cells read, 0 wrong")
    assert read / len(scanned) >= share
    assert all(c.note.startswith(SCAN_UNREAD_NOTE) for c in cells if c.value is None and "格为空" not in c.note)


def test_ocr_note_and_provenance():
    from core.records import Report

    assert "OCR" in SCAN_NOTE
    assert "OCR" in Report("r", "a", 2023, "t", None, "x.pdf", "0", layout="pdf-ocr").provenance()
    assert "OCR" not in Report("r", "a", 2023, "t", None, "x.pdf", "0", layout="pdf").provenance()


def test_unread_cell_decided_by_identity():
    """A cell OCR could not read is decided only when an identity has it as its one unknown; its note says so."""
    text = ("四、政府信息公开行政复议、行政诉讼情况\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
            "| 1 | 〓 | 0 | 0 | 3 | 0 | 0 | 0 | 0 | 0 | 〓 | 〓 | 0 | 0 | 0 |\n五、存在的主要问题\n")
    cells = {c.column: c for c in parse_tables(text, "r")[0] if c.table == "四"}
    decided = cells["行政复议/结果纠正"]
    assert decided.value == 2 and "勾稽关系" in decided.note and decided.note.startswith(SCAN_UNREAD_NOTE)
    assert cells["行政诉讼/复议后起诉/结果维持"].value is None
    assert cells["行政诉讼/复议后起诉/结果维持"].note == SCAN_UNREAD_NOTE


def test_table_pictures_in_a_web_page(tmp_path):
    """A saved web page whose table is a picture in its files folder → the same cells as the text copy."""
    import io

    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(FIXTURES / "hongze_2023.pdf"))
    picture = io.BytesIO()
    pdf[3].render(scale=1.5).to_pil().save(picture, "PNG")  # the end of 表三 and 表四, at screen resolution
    pdf.close()
    (tmp_path / "nb_files").mkdir()
    (tmp_path / "nb_files" / "p4.png").write_bytes(picture.getvalue())
    page = ('<html><head><meta charset="utf-8"><title>洪泽区人民政府2023年政府信息公开工作年度报告</title></head>'
            '<body><p>一、总体情况</p><p>2023年全区受理政府信息公开申请21件。</p><img src="nb_files/p4.png">'
            '<img src="../outside.png"><img src="http://example.invalid/never.png"></body></html>')
    (tmp_path / "nb.html").write_text(page, encoding="utf-8")
    doc = read_document(tmp_path / "nb.html")
    assert doc.layout == "html-ocr"
    text_copy = {(c.table, c.row, c.column): c.value
                 for c in parse_tables(clean_text(read_document(FIXTURES / "hongze_2023.pdf").text), "r")[0]}
    got = {(c.table, c.row, c.column): c.value for c in parse_tables(clean_text(doc.text), "r")[0]}
    assert not {k: v for k, v in got.items() if v is not None and text_copy.get(k) != v}
    assert sum(got.get(k) is not None for k in text_copy if k[0] == "四") >= 12


def test_picture_sources(tmp_path):
    """Pictures come from data URIs or the saved page's own folder, never from the network or outside it."""
    import base64

    from ingest.read.html_file import _picture_bytes

    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "a b.png").write_bytes(b"png")
    (tmp_path / "secret.png").write_bytes(b"no")
    base = tmp_path / "page_files"
    assert _picture_bytes("data:image/png;base64," + base64.b64encode(b"png").decode(), None) == b"png"
    assert _picture_bytes("a%20b.png?x=1", base) == b"png"
    assert _picture_bytes("../secret.png", base) is None
    assert _picture_bytes("https://www.example.gov.cn/a.png", base) is None
    assert _picture_bytes("file:///etc/passwd", base) is None
