"""A scanned PDF, or a picture of a table → text by OCR (RapidOCR, offline): lines, tables as `| a | b |` rows."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from core.template import SCAN_UNREAD, SCAN_WEAK
from ingest.read.page_lines import scan_lines
from ingest.read.ruling import Box, Grid, grids, ink, rulings, straighten

log = logging.getLogger(__name__)

MAX_SIDE = 1600  # the detector's longest side: 2000 reads a few more cells of a rough scan for 600 MiB more memory
SCALE = 2.5  # render scale (180 dpi): small digits survive, a page stays under RapidOCR's 2000-pixel side
MIN_SCORE = 0.9  # recognition confidence below which a table number is not taken
MIN_INK = 30  # dark pixels (specks removed) that make a cell printed rather than empty
SPECK = 15  # connected dark pixels below this are scanner noise, not print (a decimal point has more)
SURE_SCORE = 0.95  # a page reading this sure stands in for a cell the cell's own reading cannot read
PAGE_SCORE = 0.8  # a clean page reading at least this sure, equal to a sure cell reading: the number as printed
AGREE_SCORE = 0.6  # two readings of a whole number that agree are taken down to this confidence
_CJK = re.compile(r"[\u3400-\u9fff]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_STRAY = ".'`。,，-·:：°"  # specks the page-level reading adds at a number's ends
_DASHES = {"-", "—", "－", "--", "/", "／"}
_PAGE_NUMBER = re.compile(r"^[-—–－·\s]*\d{1,3}[-—–－·\s]*$")


@dataclass(frozen=True)
class Word:
    """One line of text the detector found, where it is and how sure the recogniser was."""

    box: Box
    text: str
    score: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.box.x0 + self.box.x1) / 2, (self.box.y0 + self.box.y1) / 2


@lru_cache(maxsize=1)
def engine():
    """RapidOCR with the models inside its wheel (nothing is downloaded); no angle classifier (pages are upright)."""
    from rapidocr_onnxruntime import RapidOCR
    from rapidocr_onnxruntime.utils import infer_engine

    # RapidOCR turns onnxruntime's memory arena off and leaves its threads spinning: on two shared cores that
    # doubles the time of a page (mostly system time, bench/README.md). Its sessions are made with these options
    # changed, then it is put back.
    made = infer_engine.OrtInferSession.__dict__.get("_init_sess_opts")

    def options(config):
        opts = made.__func__(config)
        opts.enable_cpu_mem_arena = True
        opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
        return opts

    if isinstance(made, staticmethod):
        infer_engine.OrtInferSession._init_sess_opts = staticmethod(options)
    try:
        # short figures are recognised at 160 pixels' width, not 320; 16 at a time
        return RapidOCR(use_cls=False, rec_img_shape=[3, 48, 160], rec_batch_num=16, max_side_len=MAX_SIDE)
    finally:
        if isinstance(made, staticmethod):
            infer_engine.OrtInferSession._init_sess_opts = made


def read_scan(data: bytes, where: str, on_page: Callable[[int, int], None] | None = None,
              lines: list | None = None) -> str:
    """Every page by OCR, in order; `on_page(done, total)` after each page; `lines`, when given, receives where
    each printed line and table band sits on its straightened page (page_lines.Line)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        out = []
        for i in range(len(doc)):
            gray = np.asarray(doc[i].render(scale=SCALE, grayscale=True).to_pil().convert("L"))
            found: list | None = [] if lines is not None else None
            out.append(read_page(gray, found))
            if lines is not None:
                lines += scan_lines(i + 1, *found, size=gray.shape)  # straightened in place: same size
            log.info("%s：第 %d/%d 页已识别", where, i + 1, len(doc))
            if on_page:
                on_page(i + 1, len(doc))
    finally:
        doc.close()
    return "\n".join(out)


def read_picture(data: bytes) -> str:
    """A picture in a web page (PNG, JPEG, GIF…) → its text; "" when it is not a picture or too small to hold a
    table. A screen-resolution picture is enlarged so its characters reach the size the scanned pages have."""
    import cv2

    gray = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_GRAYSCALE)
    if gray is None or gray.shape[1] < 300 or gray.shape[0] < 80:
        return ""
    if gray.shape[1] < 1400:
        factor = min(3.0, 1400 / gray.shape[1])
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    return read_page(gray)


def read_page(gray: np.ndarray, found: list | None = None) -> str:
    """One page image → its text lines and table rows, top to bottom; `found`, when given, receives the words
    outside tables and each table band as (Box, text), on the straightened page (for page_lines.scan_lines)."""
    gray = straighten(gray)
    binary = ink(gray)
    tables = grids(binary)
    words = _words(gray)
    items: list[tuple[float, str]] = []
    loose = [w for w in words if not any(t.box.holds(*w.centre) for t in tables)]
    items += _lines(loose, gray.shape[0])
    bands: list[tuple[Box, str]] = []
    for table in tables:
        rows = _table_rows(table, words, gray, binary)
        items += rows
        bands += [(Box(table.box.x0, band.top, table.box.x1, band.bottom), text)
                  for band, (_, text) in zip(table.bands, rows, strict=True)]
    if found is not None:
        found += [loose, bands]
    return "\n".join(text for _, text in sorted(items, key=lambda it: it[0]))


def _words(gray: np.ndarray) -> list[Word]:
    rgb = np.repeat(gray[:, :, None], 3, axis=2)
    found, _ = engine()(rgb, use_cls=False)
    out = []
    for points, text, score in found or []:
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        out.append(Word(Box(int(min(xs)), int(min(ys)), int(max(xs)), int(max(ys))), text.strip(), float(score)))
    return out


def _lines(words: list[Word], height: int) -> list[tuple[float, str]]:
    """Narrative words → printed lines in reading order; page numbers at the top or foot dropped."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: w.centre[1]):
        if rows and abs(rows[-1][-1].centre[1] - w.centre[1]) < (w.box.y1 - w.box.y0) / 2:
            rows[-1].append(w)
        else:
            rows.append([w])
    out = []
    for row in rows:
        text = "".join(w.text for w in sorted(row, key=lambda w: w.box.x0)).strip()
        y = row[0].centre[1]
        if not text or (_PAGE_NUMBER.match(text) and not 0.1 * height < y < 0.9 * height):
            continue
        out.append((y, text))
    return out


def _table_rows(table: Grid, words: list[Word], gray: np.ndarray, binary: np.ndarray) -> list[tuple[float, str]]:
    """Each band → `| label | … | value | … |`: labels as detected, numbers checked cell by cell."""
    horizontal, vertical = rulings(binary)
    clean = _specks_out(binary, horizontal, vertical)
    bands = []
    doubtful: list[tuple[int, int, np.ndarray]] = []  # (band, cell, crop) the page's reading does not settle
    for b, band in enumerate(table.bands):
        cells = [(cell, sorted((w for w in words if cell.holds(*w.centre)), key=lambda w: (w.box.y0, w.box.x0)))
                 for cell in band.cells]
        first = len(cells)
        while first > 0 and not any(_CJK.search(w.text) for w in cells[first - 1][1]):
            first -= 1
        texts = [" ".join(w.text for w in inside) for _, inside in cells[:first]]
        for c, (cell, inside) in enumerate(cells[first:], start=first):
            crop = _ink_crop(cell, gray, clean)
            texts.append("" if crop is None and not inside else SCAN_UNREAD)
            if crop is not None:
                doubtful.append((b, c, crop))
        bands.append(texts)
    _second_look(doubtful, bands, table, words)
    return [(band.top, "| " + " | ".join(texts) + " |") for band, texts in zip(table.bands, bands, strict=True)]


def _second_look(doubtful: list, bands: list[list[str]], table: Grid, words: list[Word]) -> None:
    """Every printed value cell recognised alone, then weighed against the page's reading of it."""
    if not doubtful:
        return
    found, _ = engine().text_rec([np.repeat(crop[:, :, None], 3, axis=2) for _, _, crop in doubtful])
    for (b, c, _), (text, score) in zip(doubtful, found, strict=True):
        cell = table.bands[b].cells[c]
        inside = [w for w in words if cell.holds(*w.centre)]
        bands[b][c] = _weigh(text.strip(), float(score), inside[0] if len(inside) == 1 else None, len(inside))


def _weigh(text: str, score: float, page: Word | None, seen: int) -> str:
    """Two readings of one cell → the number (sure), ≈number (agreeing, but not sure) or 〓 (no number)."""
    if text in _DASHES and score >= MIN_SCORE:
        return "—"
    other = page.text.strip(_STRAY) if page else ""
    if seen > 1 or (page and not _NUMBER.fullmatch(other)) or not _NUMBER.fullmatch(text):
        if page and _NUMBER.fullmatch(page.text) and page.score >= SURE_SCORE and seen == 1:
            return SCAN_WEAK + page.text  # the cell alone is unreadable, the page read it cleanly
        return SCAN_UNREAD
    if page is None:
        return SCAN_WEAK + text if score >= MIN_SCORE else SCAN_UNREAD
    if other != text:
        return SCAN_UNREAD  # the readings disagree
    if score >= MIN_SCORE and page.score >= PAGE_SCORE and other == page.text:
        return text
    return SCAN_WEAK + text if min(score, page.score) >= AGREE_SCORE else SCAN_UNREAD


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _specks_out(binary: np.ndarray, horizontal: np.ndarray, vertical: np.ndarray) -> np.ndarray:
    """Ink without ruling lines and without specks (components of a few pixels)."""
    import cv2

    ink_only = cv2.bitwise_and(binary, cv2.bitwise_not(cv2.bitwise_or(horizontal, vertical)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink_only, connectivity=8)
    keep = np.zeros(count, dtype=np.uint8)
    keep[1:] = (stats[1:, cv2.CC_STAT_AREA] >= SPECK) * 255
    return keep[labels]


def _ink_crop(cell: Box, gray: np.ndarray, clean: np.ndarray) -> np.ndarray | None:
    """The printed figure of a cell on white paper (specks beside it removed), or None when the cell is empty.

    Kept: marks at least half as tall as the tallest (the digits), and smaller ones between them (a decimal point)."""
    import cv2

    pad = 4
    y0, x0 = cell.y0 + pad, cell.x0 + pad
    area = clean[y0 : cell.y1 - pad, x0 : cell.x1 - pad]
    if area.size == 0 or int((area > 0).sum()) < MIN_INK:
        return None
    count, labels, stats, _ = cv2.connectedComponentsWithStats(area, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    tall = [i + 1 for i, h in enumerate(heights) if h >= 0.5 * heights.max()]
    left = min(stats[i, cv2.CC_STAT_LEFT] for i in tall)
    right = max(stats[i, cv2.CC_STAT_LEFT] + stats[i, cv2.CC_STAT_WIDTH] for i in tall)
    starts, ends = stats[:, cv2.CC_STAT_LEFT], stats[:, cv2.CC_STAT_LEFT] + stats[:, cv2.CC_STAT_WIDTH]
    between = [i for i in range(1, count) if i not in tall and left < starts[i] and ends[i] < right]
    mask = cv2.dilate(np.isin(labels, tall + between).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    if int(mask.sum()) < MIN_INK:
        return None
    ys, xs = np.nonzero(mask)
    paper = np.where(mask, gray[y0 : cell.y1 - pad, x0 : cell.x1 - pad], 255).astype(np.uint8)
    figure = paper[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    margin = max(6, figure.shape[0] // 3)
    return cv2.copyMakeBorder(figure, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255)
