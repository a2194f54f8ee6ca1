"""An unread scanned cell (〓) is decided by a report's identity only when what the scan saw in it agrees."""

from __future__ import annotations

import numpy as np
import pytest

from core.template import SCAN_INK_NOTE, SCAN_UNREAD_NOTE
from ingest.parse import tables
from ingest.parse.tables import parse_tables
from ingest.parse.tokens import Seen, tokenize

# 表四 of hongze_2023 as printed: 行政复议 10 + 1 + 0 + 0 beside a 总计 of 0 (the report's own error)
FOUR = ("四、政府信息公开行政复议、行政诉讼情况\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
        "| 10 | 1 | 0 | 0 | {total} | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n五、存在的主要问题\n")
TOTAL = "行政复议/总计"


def total(cell_text: str) -> object:
    return next(c for c in parse_tables(FOUR.format(total=cell_text), "r")[0] if c.column == TOTAL)


def test_a_total_the_identity_gives_but_the_ink_does_not_show_stays_unknown(monkeypatch):
    """The scan saw one figure, read (unsurely) as 0; the identity gives 11: the print is 0, so 11 is refused."""
    cell = total("〓1:0")
    assert cell.value is None and cell.note == SCAN_INK_NOTE and cell.note.startswith(SCAN_UNREAD_NOTE)
    for seen in ("〓1:", "〓2:", "〓1:11", "〓2:17", "〓0:", "〓"):  # each of the two witnesses alone is not enough
        assert total(seen).value is None, seen
    monkeypatch.setattr(tables, "ink_agrees", lambda seen, value: True)  # the guard off: the old wrong value
    assert total("〓1:0").value == 11


def test_a_total_whose_ink_agrees_with_the_identity_is_decided_with_the_note():
    cell = total("〓2:11/17")  # two figures, one reading 11
    assert cell.value == 11
    assert cell.note.startswith(SCAN_UNREAD_NOTE) and "勾稽关系推得" in cell.note and "字迹相符" in cell.note


def test_an_unread_cell_decided_in_turn_through_two_identities():
    """结果纠正 unread, 总计 printed: the identity of 行政复议 decides it; the ink must agree there too."""
    text = ("四、政府信息公开行政复议、行政诉讼情况\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
            "| 1 | {c} | 0 | 0 | 3 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n五、存在的主要问题\n")
    corrected = "行政复议/结果纠正"
    got = {c.column: c for c in parse_tables(text.format(c="〓1:2/7"), "r")[0]}
    assert got[corrected].value == 2 and "勾稽关系" in got[corrected].note
    got = {c.column: c for c in parse_tables(text.format(c="〓1:7"), "r")[0]}
    assert got[corrected].value is None and got[corrected].note == SCAN_INK_NOTE


def test_an_unread_cell_keeps_its_column_when_a_blank_at_the_row_end_is_dropped():
    """hongze_2024's 表三 总计 row as a rough scan prints it: a blank cell first (merged label), then seven cells,
    one unread; the blank is dropped as for the row's readings, so only that cell is unread (and what was seen in
    it stays with it). An unread cell among those dropped leaves the whole row unread."""
    from ingest.parse.assign import Group

    seen = Seen(1, ("0",))
    row = Group([None, "95", None, "0", "0", "0", "0", "95"], [], unread=[None, None, seen, *[None] * 5])
    assert tables._unread_columns(row, 7) == {1: seen}
    row = Group([None, "95", "1", "0", "0", "0", "0", "95"], [], unread=[seen, *[None] * 7])
    assert tables._unread_columns(row, 7) == dict.fromkeys(range(7), Seen())


def test_the_hint_is_read_from_the_cell_and_other_text_is_untouched():
    kinds = [(t.kind, t.text, t.seen) for t in tokenize("| 〓2:11/17 | 〓1: | 〓 | 〓?:1 | 12 | — | 〓3 |")
             if t.kind != "break"]
    assert kinds[:6] == [("unread", "", Seen(2, ("11", "17"))), ("unread", "", Seen(1, ())),
                         ("unread", "", Seen()), ("unread", "", Seen(None, ("1",))), ("num", "12", None),
                         ("empty", "", None)]
    assert kinds[6][0] == "text"  # not the reader's form: a label, never an unread cell


@pytest.mark.parametrize(("seen", "value", "agrees"), [
    (Seen(2, ("11",)), 11, True), (Seen(1, ("0",)), 11, False), (Seen(2, ("17",)), 11, False),
    (Seen(1, ("11",)), 11, False), (Seen(0, ("0",)), 0, False), (Seen(), 0, False), (Seen(1, ("0", "6")), 0, True),
    (Seen(None, ("1",)), 1, True), (Seen(None, ("1",)), 11, False), (Seen(1, ()), 0, False),
])
def test_ink_agrees(seen, value, agrees):
    assert tables.ink_agrees(seen, value) is agrees


def _figure(text: str, gap: int = 6) -> np.ndarray:
    """Digits drawn one by one on white paper, `gap` pixels apart (negative: run together)."""
    import cv2

    page = np.full((60, 40 + 40 * len(text)), 255, np.uint8)
    x = 20
    for ch in text:
        (w, _), _ = cv2.getTextSize(ch, cv2.FONT_HERSHEY_SIMPLEX, 1.2, 3)
        cv2.putText(page, ch, (x, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
        x += w + gap
    return page


def test_figures_are_counted_in_the_ink():
    from ingest.read.scan_pdf import _glyphs, _seen

    assert [_glyphs(_figure(t)) for t in ("0", "11", "105", "4119")] == [1, 2, 3, 4]
    assert _glyphs(_figure("50", gap=-3)) == 2  # touching: one run of ink two figures wide
    assert _glyphs(np.full((40, 40), 255, np.uint8)) == 0
    # only numbers, read at least half the agreeing level sure, go into the hint
    assert _seen(_figure("0"), [("0", 0.4), ("Q", 0.9), ("6", 0.2), ("0", 0.7)]) == "〓1:0"
    assert _seen(_figure("11"), [("17", 0.5), ("11", 0.3)]) == "〓2:17/11"
    assert _seen(_figure("1"), [("１", 0.5), ("1", 0.9)]) == "〓1:1"
    assert _seen(None, [("1", 0.5)]) == "〓?:1"  # ink too faint to cut out a figure: the page's reading only


def test_a_scanned_total_struck_through_is_not_taken_from_a_broken_identity(tmp_path, monkeypatch):
    """hongze_2023's 表四 scanned with a pen stroke across its 行政复议 总计 (printed 0, beside 10 + 1 + 0 + 0): the
    cell is unread, its ink one figure; the identity's 11 is refused, every other cell is as the text copy, and the
    row is still found on its page (the hint is not printed numbers)."""
    pytest.importorskip("rapidocr_onnxruntime")
    import pdfplumber
    from PIL import ImageDraw

    from core.records import row_place
    from ingest.parse.clean import clean_text
    from ingest.parse.places import places
    from ingest.read.document import read_document
    from tests.render import FIXTURES
    from tests.scanned import VARIANTS, make_scan

    pdf = FIXTURES / "hongze_2023.pdf"
    with pdfplumber.open(pdf) as doc:
        numbers = [w for w in doc.pages[3].extract_words() if w["text"].isdigit()]
    row = sorted((w for w in numbers if abs(w["top"] - 452) < 2), key=lambda w: w["x0"])
    assert [w["text"] for w in row[:5]] == ["10", "1", "0", "0", "0"]  # 表四's one row: the total is the fifth
    v = VARIANTS[0]

    def strike(_: int, image):
        k = v.dpi / 72
        x0, x1, y = row[4]["x0"] * k - 2, row[4]["x1"] * k + 2, (row[4]["top"] + row[4]["bottom"]) / 2 * k
        ImageDraw.Draw(image).line((x0, y, x1, y), fill=60, width=2)
        return image

    doc = read_document(make_scan(pdf, tmp_path / "scan.pdf", v, [3], strike))
    text = clean_text(doc.text)
    cells = {(c.table, c.row, c.column): c for c in parse_tables(text, "r")[0]}
    struck = next(c for k, c in cells.items() if k[0] == "四" and k[2] == TOTAL)
    assert struck.value is None and struck.note == SCAN_INK_NOTE
    assert "〓1:" in doc.text  # one figure seen, no number read
    assert row_place("四", struck.row) in places(doc.lines, [], list(cells.values()))
    text_copy = {(c.table, c.row, c.column): c.value for c in parse_tables(clean_text(read_document(pdf).text), "r")[0]}
    assert not {k: c.value for k, c in cells.items() if c.value is not None and text_copy.get(k) != c.value}
    monkeypatch.setattr(tables, "ink_agrees", lambda seen, value: True)  # the guard off: the wrong total
    assert next(c for c in parse_tables(text, "r")[0] if c.table == "四" and c.column == TOTAL).value == 11
