"""Scanned table rows: a row whose label OCR misread is found by its place in the template and its label read with a
slip; a speck read beside a label (a header's "7t+.") brings no number into the table; a tall 1 is no ruling, and a
row that lost a cell with its ruling is not filled by splitting a number."""

from __future__ import annotations

import numpy as np
import pytest

from ingest.parse.clean import clean_text
from ingest.parse.tables import parse_tables
from ingest.read.document import read_document
from tests.render import FIXTURES

GRANTED = "三、本年度办理结果/（一）予以公开"
PETITION = "三、本年度办理结果/（五）不予处理/1.信访举报投诉类申请"


SCANNED = FIXTURES / "scan_text" / "huaian_2024_soft_table3.txt"  # 表三 as huaian_2024's soft scan was read


@pytest.fixture(scope="module")
def want() -> dict:
    return _cells(read_document(FIXTURES / "huaian_2024.pdf").text)


def _cells(text: str) -> dict:
    return {(c.table, c.row, c.column): c.value for c in parse_tables(clean_text(text), "r")[0] if c.table == "三"}


def test_misread_labels_taken_by_place(want):
    """huaian_2024's soft scan read 予以公开 as 子以公开 and 信访 as 信诉: both rows were lost (14 cells). Between
    anchored neighbours, one group of numbers whose label is the row's own with one slip is that row."""
    text = SCANNED.read_text(encoding="utf-8")
    assert "子以公开" in text and "信诉" in text
    got = _cells(text)
    for path in (GRANTED, PETITION):
        row = {k: v for k, v in got.items() if k[1] == path}
        assert len(row) == 7 and row == {k: v for k, v in want.items() if k[1] == path}
    assert not {k: v for k, v in got.items() if v is not None and want.get(k) != v}


@pytest.mark.parametrize("edit", [
    ("子以公开", "另行答复"),  # not the row's label: more than one character in four differs
    ("（一）子以公开 |", "（一）子以公开 | 9 | 0 | 0 | 0 | 0 | 0 | 9 |\n|  | 其中：网上 |"),  # two groups between
    ("（一）子以公开 | 1288 | 21 |", "（一）子以公开 | 1288 | 21 | 5 |"),  # the numbers do not fit the row
])
def test_misread_label_needs_place_and_label(want, edit):
    """Neither the place alone nor a similar label alone puts numbers under a row."""
    text = SCANNED.read_text(encoding="utf-8")
    assert edit[0] in text
    got = _cells(text.replace(*edit))
    assert all(v is None for k, v in got.items() if k[1] == GRANTED)
    assert not {k: v for k, v in got.items() if v is not None and want.get(k) != v}


def test_speck_beside_a_label_brings_no_number():
    """The header of 表四 in huaian_2024's rough scan: "其他结 果 7t+." (a speck read as 7t+.) put a 7 before the
    15 values and lost them all. A word with a digit and no Chinese is dropped from a header band, and from a
    label cell unless it is an enumerator just left of the label ("1." of "1.属于国家秘密")."""
    from ingest.read.ruling import Band, Box, Grid
    from ingest.read.scan_pdf import Word, _table_rows

    gray = np.full((120, 600), 255, np.uint8)  # white: the value cells are empty, only the labels are read
    header = Band(0, 50, (Box(0, 0, 200, 50), Box(200, 0, 400, 50), Box(400, 0, 600, 50)))
    row = Band(50, 120, (Box(0, 50, 200, 120), Box(200, 50, 400, 120), Box(400, 50, 500, 120),
                         Box(500, 50, 600, 120)))  # the last: a value cell, empty
    words = [Word(Box(10, 5, 60, 20), "结果维持", 0.99), Word(Box(210, 5, 260, 20), "其他结", 0.98),
             Word(Box(220, 25, 240, 40), "果", 0.97), Word(Box(250, 25, 290, 40), "7t+.", 0.5),
             Word(Box(410, 5, 430, 20), "1", 0.6), Word(Box(440, 5, 480, 20), "总计", 0.99),
             Word(Box(10, 60, 30, 75), "1.", 0.95), Word(Box(32, 60, 150, 75), "属于国家秘密", 0.99),
             Word(Box(210, 60, 250, 75), "（六）其", 0.99), Word(Box(210, 80, 250, 95), "他处理", 0.99),
             Word(Box(260, 80, 275, 95), "5", 0.6), Word(Box(410, 60, 450, 75), "2、重复", 0.9)]
    rows = _table_rows(Grid(Box(0, 0, 600, 120), (header, row)), words, gray, np.zeros_like(gray))
    assert [text for _, text in rows] == ["| 结果维持 | 其他结 果 | 总计 |",
                                          "| 1. 属于国家秘密 | （六）其 他处理 | 2、重复 |  |"]


def test_a_tall_one_is_no_ruling():
    """hongze_2024's soft scan: the 1 in a 总计 cell, 28 pixels tall, outlasted the opening that finds vertical
    rulings (a page's height / 80) and split the cell in two; the row's cells no longer lined up and all seven were
    lost. A ruling meets the band's top or bottom line (hongze_2024's skewed scan has one broken at the other end); the
    stroke of a figure stands clear of both."""
    from ingest.read.ruling import grids

    page = np.zeros((2100, 1500), np.uint8)  # ink as 255: the binary page
    for y in (300, 342, 384):
        page[y : y + 2, 200:1300] = 255
    for x in (200, 700, 1000, 1298):
        page[300:386, x : x + 2] = 255
    page[374:386, 700:702] = 0  # a ruling broken on the scan: it still meets the band's top line
    page[308:336, 1150:1153] = 255  # a printed 1 in the last cell of the first band
    (table,) = grids(page)
    assert [len(band.cells) for band in table.bands] == [3, 3]


def test_a_row_short_of_a_cell_is_not_filled_by_splitting_a_number(want):
    """hongze_2024's skewed scan, while a broken ruling was dropped: "31 | 0 | 0 | 0 | ≈0 | 0" for seven cells (the
    总计 cell merged with its neighbour). Splitting 31 into 3 and 1 fills the row but breaks its total: nothing
    confirms it, so the row is unknown (a run of seven digits printed as one, "1000000", is still split)."""
    text = SCANNED.read_text(encoding="utf-8")
    line = "| 746 | ≈12 | 0 | ≈0 | 10 | ≈1 | 769 |"
    assert line in text
    got = _cells(text.replace(line, "| 769 | ≈12 | 0 | ≈0 | 10 | ≈1 |"))
    assert all(v is None for k, v in got.items() if k[1].endswith("不掌握相关政府信息"))
    assert not {k: v for k, v in got.items() if v is not None and want.get(k) != v}


def test_a_row_short_of_a_cell_is_decided_where_the_report_prints_a_group_as_one_row():
    """hongze_2023's 表三 prints （六）其他处理 as one row (no leaves): its column identities stand on that row. A row
    the skewed scan read short of a cell ("3 0 ≈0 ≈0 0 ≈0") is decided by them — 7 cells lost when every leaf of
    the template was required (a leaf not found must stay an unknown term, never a 0; a group printed whole is
    found)."""
    want = {k: v for k, v in _cells(read_document(FIXTURES / "hongze_2023.pdf").text).items()}
    got = _cells((FIXTURES / "scan_text" / "hongze_2023_skewed_table3.txt").read_text(encoding="utf-8"))
    assert {k: v for k, v in got.items() if v is not None} == want
