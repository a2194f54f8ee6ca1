"""A PDF's printed lines and table rows with where they sit on their pages (pdfplumber's words, or OCR boxes)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.template import SCAN_SEEN, SCAN_UNREAD

LINE, ROW, RULE = "line", "row", "rule"
_SEEN = re.compile(SCAN_SEEN)


@dataclass(frozen=True)
class Line:
    """A printed line (or a scanned table's band: its label and numbers) on a page; a text PDF's ruled table cell
    (its text: which table of the page) only widens a row's mark to its rulings."""

    page: int  # 1-based
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 as shares of the page's width and height
    text: str
    kind: str = LINE  # LINE | ROW (a scan's band, cut along its rulings) | RULE (a text PDF's ruled table cell)


def _share(x0: float, y0: float, x1: float, y1: float, width: float, height: float) -> tuple[float, ...]:
    return (round(x0 / width, 4), round(y0 / height, 4), round(x1 / width, 4), round(y1 / height, 4))


def text_layer_lines(pdf) -> list[Line]:
    """Every page of an open pdfplumber document: its text lines, and the cells of its ruled tables."""
    out: list[Line] = []
    for number, page in enumerate(pdf.pages, start=1):
        w, h = float(page.width), float(page.height)
        for line in page.extract_text_lines():
            out.append(Line(number, _share(line["x0"], line["top"], line["x1"], line["bottom"], w, h), line["text"]))
        for t, table in enumerate(page.find_tables()):  # each cell, its text the table's number on the page
            out += [Line(number, _share(*cell, w, h), str(t), RULE) for cell in table.cells]
    return out


def printed_lines(words: Sequence) -> list[tuple[list, str]]:
    """OCR'd words (scan_pdf.Word) → printed lines top to bottom: a word joins the line above when its centre lies
    within half its height of that line's last word; each line's words and its text left to right."""
    rows: list[list] = []
    for word in sorted(words, key=lambda word: word.centre[1]):
        if rows and abs(rows[-1][-1].centre[1] - word.centre[1]) < (word.box.y1 - word.box.y0) / 2:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [(row, "".join(word.text for word in sorted(row, key=lambda word: word.box.x0)).strip()) for row in rows]


def scan_lines(number: int, words: Sequence, bands: Sequence[tuple], size: tuple[int, int]) -> list[Line]:
    """One OCR'd page: its narrative words grouped into lines (`printed_lines`, as scan_pdf._lines reads them), and
    its table bands as (Box, text); `size` (height, width) of the straightened page image the boxes are on."""
    h, w = size
    out = []
    for row, text in printed_lines(words):
        if text:
            out.append(Line(number, _share(min(x.box.x0 for x in row), min(x.box.y0 for x in row),
                                           max(x.box.x1 for x in row), max(x.box.y1 for x in row), w, h), text))
    # an unread cell's hint ("〓1:0": what the scan saw) is no printed number: a row is found by its numbers
    out += [Line(number, _share(box.x0, box.y0, box.x1, box.y1, w, h), _SEEN.sub(SCAN_UNREAD, text), ROW)
            for box, text in bands]
    return sorted(out, key=lambda line: line.box[1])
