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
    """A cell OCR could not read is decided only when an identity has it as its one unknown (and its ink agrees:
    tests/test_scan_guard.py); its note says so."""
    text = ("四、政府信息公开行政复议、行政诉讼情况\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
            "| 1 | 〓1:2 | 0 | 0 | 3 | 0 | 0 | 0 | 0 | 0 | 〓 | 〓 | 0 | 0 | 0 |\n五、存在的主要问题\n")
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


def test_small_print_cells_cut_out_and_read(tmp_path):
    """huaian_2024 prints its figures at about 7 pt: each value cell of a scanned table page, cut out alone, is
    found printed (a thin 1 is not a speck) and read as printed — the bars of 7, 5 and 2 and the decimal point
    kept with the digits, faint strokes kept grey — and a sure reading is never another number."""
    import numpy as np
    import pdfplumber
    import pypdfium2 as pdfium

    from ingest.read import ruling, scan_pdf

    v = next(v for v in VARIANTS if v.name == "clean")
    scan = make_scan(FIXTURES / "huaian_2024.pdf", tmp_path / "p4.pdf", v, [3])
    pdf = pdfium.PdfDocument(str(scan))
    gray = ruling.straighten(np.asarray(pdf[0].render(scale=scan_pdf.SCALE, grayscale=True).to_pil().convert("L")))
    pdf.close()
    binary = ruling.ink(gray)
    clean = scan_pdf._specks_out(binary, *ruling.rulings(binary))
    with pdfplumber.open(FIXTURES / "huaian_2024.pdf") as text_layer:
        words = text_layer.pages[3].extract_words()
    k = scan_pdf.SCALE
    truth, crops, empty = [], [], []
    for grid in ruling.grids(binary):
        for band in grid.bands:
            for cell in band.cells:
                inside = [w["text"] for w in words
                          if cell.holds((w["x0"] + w["x1"]) / 2 * k, (w["top"] + w["bottom"]) / 2 * k)]
                crop = scan_pdf._ink_crop(cell, gray, clean)
                if len(inside) == 1 and inside[0].replace(".", "").isdigit():
                    assert crop is not None, f"printed {inside[0]} taken for an empty cell"
                    truth.append(inside[0])
                    crops.append(crop)
                elif not inside:
                    empty.append(crop)
    read = scan_pdf._read_figures(crops)
    assert {"1", "7", "746", "96171.6"} <= set(truth) and len(truth) >= 80
    exact = sum(t == r for t, (r, _) in zip(truth, read, strict=True))
    assert exact >= 0.97 * len(truth), [(t, r) for t, r in zip(truth, read, strict=True) if t != r[0]]
    assert not [(t, r) for t, (r, s) in zip(truth, read, strict=True) if s >= scan_pdf.MIN_SCORE and r != t]
    assert all(c is None for c in empty)  # the cells the print leaves empty


def test_printed_mark_against_specks():
    """A cell is printed by a mark drawn as a line (a 1 of small print: few pixels), not by a clump of specks."""
    import numpy as np

    from ingest.read.scan_pdf import _printed

    one, clump, nothing = (np.zeros((30, 30), np.uint8) for _ in range(3))
    one[8:21, 14:16] = 255  # 13 × 2 pixels: 26, under the ink a figure of several strokes has
    clump[10:15, 10:15] = 255  # 25 pixels, round
    assert _printed(one) and not _printed(clump) and not _printed(nothing)


def test_three_readings_weighed():
    """0 read as o counts as 0; two readings that agree against a third number never decide (53 read as 33)."""
    from ingest.read.ruling import Box
    from ingest.read.scan_pdf import SCAN_UNREAD, SCAN_WEAK, Word, _as_figure, _tie_break, _weigh

    box = Box(0, 0, 10, 10)
    assert _as_figure("o") == "0" and _as_figure(".o") == "0" and _as_figure("Q") == "Q"
    assert _weigh(("0", 0.97), Word(box, "o", 0.9), 1) == "0"
    assert _weigh(("53", 0.88), Word(box, "33", 0.92), 1) is None
    assert _tie_break(("53", 0.88), Word(box, "33", 0.92), 1, ("53", 0.7)) == SCAN_UNREAD
    assert _tie_break(("0", 0.95), None, 0, ("0", 0.93)) == SCAN_WEAK + "0"
    assert _tie_break(("0", 0.95), None, 0, ("0", 0.7)) == SCAN_UNREAD
    assert _tie_break(("", 0.0), Word(box, "12", 0.97), 1, ("12", 0.8)) == SCAN_WEAK + "12"


def test_median_filtered_second_look():
    """Two cells cut out of a rough scan of huaian_2024 (150 dpi, blur, specks, JPEG 35). A 0 with a speck inside it
    reads 6 in the scanned grey at any size; median-filtered it reads 0, so it stays unknown. A plain 0 the grey
    and the filtered image both read as 0 is taken (weak: the identities check it)."""
    import cv2

    from ingest.read.ruling import Box
    from ingest.read.scan_pdf import SCAN_UNREAD, SCAN_WEAK, Word, _filtered, _larger, _read_figures, _two_looks

    def looks(name: str, page: Word | None) -> str:
        crop = cv2.imread(str(FIXTURES / "scan_cells" / name), cv2.IMREAD_GRAYSCALE)
        grey, larger, median = _read_figures([crop, _larger(crop), _filtered(crop)])
        return _two_looks(grey, larger, median, page)

    assert looks("zero_speck_in_it.png", None) == SCAN_UNREAD
    assert looks("zero_speck_in_it.png", Word(Box(0, 0, 10, 10), "6.", 0.54)) == SCAN_UNREAD
    assert looks("zero_rough.png", None) == SCAN_WEAK + "0"
    assert looks("zero_rough.png", Word(Box(0, 0, 10, 10), "8", 0.5)) == SCAN_UNREAD  # another number read


def test_grey_readings_alone_are_checked_by_the_filtered_look():
    """The 0 with a speck in it (huaian_2024 rough) reads 6 at 0.99 in the grey at both sizes. With the page silent,
    or agreeing only unsurely ("6." at 0.54), the two grey readings once made it ≈6; the median-filtered figure
    reads 0, so it stays unknown. An unsure page reading that agrees no longer stops two sure grey readings of a
    plain 0 (it defers to the third reading, as a silent page does)."""
    import cv2

    from ingest.read.ruling import Box
    from ingest.read.scan_pdf import SCAN_UNREAD, SCAN_WEAK, Word, _second_look, _weigh

    def verdict(name: str, page: list[Word]) -> str:
        crop = cv2.imread(str(FIXTURES / "scan_cells" / name), cv2.IMREAD_GRAYSCALE)
        bands = [[""]]
        _second_look([(0, 0, crop, page)], bands)
        return bands[0][0]

    box = Box(0, 0, 10, 10)
    assert verdict("zero_speck_in_it.png", []).startswith(SCAN_UNREAD)
    assert verdict("zero_speck_in_it.png", [Word(box, "6.", 0.54)]).startswith(SCAN_UNREAD)
    assert _weigh(("0", 0.98), Word(box, "0", 0.53), 1) is None  # once 〓: the unsure page ended it
    assert _weigh(("0", 0.98), Word(box, "8", 0.53), 1) is None
    assert _weigh(("0", 0.7), Word(box, "0", 0.65), 1) == SCAN_WEAK + "0"


def test_filtered_look_with_a_speck_at_the_foot():
    """A 0 of hongze_2023's rough scan with a speck at its foot reads "0." in the grey at both sizes (the page: "0."
    at 0.91); filtered, it reads 0 at 0.99. The speck at the reading's end is dropped, so the grey and the filtered
    figure agree: weak 0. The page may be the second look too, and any look giving another number keeps it unknown."""
    import cv2

    from ingest.read.ruling import Box
    from ingest.read.scan_pdf import SCAN_UNREAD, SCAN_WEAK, Word, _filtered, _larger, _read_figures, _two_looks

    crop = cv2.imread(str(FIXTURES / "scan_cells" / "zero_speck_at_foot.png"), cv2.IMREAD_GRAYSCALE)
    grey, larger, median = _read_figures([crop, _larger(crop), _filtered(crop)])
    box = Box(0, 0, 10, 10)
    assert grey[0] == "0." and median[0] == "0"
    assert _two_looks(grey, larger, median, None) == SCAN_WEAK + "0"
    assert _two_looks(("Q", 0.99), ("Q", 0.99), median, Word(box, "0", 0.9)) == SCAN_WEAK + "0"
    assert _two_looks(("Q", 0.99), ("Q", 0.99), median, None) == SCAN_UNREAD  # the filtered look alone
    assert _two_looks(grey, larger, median, Word(box, "6", 0.5)) == SCAN_UNREAD


def test_a_lone_row_of_many_cells_is_a_table_and_a_ruled_box_is_not():
    """表四's one row of figures alone atop its page (浏阳 2023 printed and scanned, held out: 15 cells lost on every
    scan) is a grid of one band; a box of two cells (a framed note) is still no table."""
    import numpy as np

    from ingest.read import ruling

    def page(columns: int) -> np.ndarray:
        binary = np.zeros((400, 1200), dtype=np.uint8)
        binary[60:63, 100:1100] = binary[110:113, 100:1100] = 255  # the band's top and bottom lines
        for x in np.linspace(100, 1097, columns + 1).astype(int):
            binary[60:113, x:x + 3] = 255
        return binary

    (grid,) = ruling.grids(page(15))
    assert len(grid.bands) == 1 and len(grid.bands[0].cells) == 15
    assert ruling.grids(page(2)) == []
