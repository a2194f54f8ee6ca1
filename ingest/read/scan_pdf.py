"""A scanned PDF, or a picture of a table → text by OCR (RapidOCR, offline): lines, tables as `| a | b |` rows."""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from core.template import SCAN_SEEN_SPLIT, SCAN_UNREAD, SCAN_WEAK
from ingest.read.page_lines import printed_lines, scan_lines
from ingest.read.ruling import Box, Grid, grids, ink, rulings, straighten

log = logging.getLogger(__name__)

MAX_SIDE = 1600  # the detector's longest side: 2000 reads a few more cells of a rough scan for 600 MiB more memory
SCALE = 2.5  # render scale (180 dpi): small digits survive, a page stays under RapidOCR's 2000-pixel side
MIN_SCORE = 0.9  # recognition confidence below which a table number is not taken
MIN_INK = 30  # dark pixels (specks removed) that make a cell printed rather than empty
SPECK = 15  # connected dark pixels below this are scanner noise, not print (a decimal point has more)
STROKE_LENGTH = 4  # a mark at least this many times as long as it is wide is a printed stroke, however small
MIN_STROKE = 8  # pixels (1 mm at SCALE): a shorter line is a speck, not a stroke of a figure
FIGURE_GAP = 0.5  # marks closer than this share of the figure's height along its line belong to it
SURE_SCORE = 0.95  # a page reading this sure stands in for a cell the cell's own reading cannot read
PAGE_SCORE = 0.8  # a clean page reading at least this sure, equal to a sure cell reading: the number as printed
AGREE_SCORE = 0.6  # two readings of a whole number that agree are taken down to this confidence
TWO_LOOKS = 0.75  # the scanned grey and the median-filtered figure read alike, each at least this sure: weak number
ONE_FIGURE = 0.9  # a run of ink wider than this share of its height holds more than one figure (a 0 is ~0.6–0.8)
FIGURE_PITCH = 0.65  # width per figure, in heights, of figures run together by blur (measured 0.6–0.7)
FIGURE_SPACE = 0.25  # the space between two figures, in heights: n figures are n pitches less one space wide
_CJK = re.compile(r"[\u3400-\u9fff]")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_STRAY = ".'`。,，-·:：°"  # specks the page-level reading adds at a number's ends
_DASHES = {"-", "—", "－", "--", "/", "／"}
_LOOK_ALIKE = {"0": "oO〇", "1": "lI|丨"}  # letters a number cell's digit is read as
_DIGIT_LIKE = str.maketrans({ch: d for d, chars in _LOOK_ALIKE.items() for ch in chars})
_PAGE_NUMBER = re.compile(r"^[-—–－·\s]*\d{1,3}[-—–－·\s]*$")
_ENUMERATOR = re.compile(r"\d{1,2}[.、,，]?")  # "1." printed before a label, which the detector may box apart


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
    """RapidOCR's pipeline with the PP-OCR models inside its wheel (nothing is downloaded), no angle classifier (pages
    are upright); its detector and recogniser run on OpenVINO (`_Network`)."""
    from rapidocr_onnxruntime import RapidOCR
    from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH
    from rapidocr_onnxruntime.utils import read_yaml, update_model_path

    # short figures are recognised at 160 pixels' width, not 320; 16 at a time
    ocr = RapidOCR(use_cls=False, rec_img_shape=[3, 48, 160], rec_batch_num=16, max_side_len=MAX_SIDE)
    models = update_model_path(read_yaml(str(DEFAULT_CFG_PATH)))
    ocr.text_det.infer = _Network(models["Det"]["model_path"])
    ocr.text_rec.session = _Network(models["Rec"]["model_path"])
    return ocr


class _Network:
    """One of RapidOCR's ONNX networks compiled by OpenVINO, called as RapidOCR calls its onnxruntime sessions.

    The same model in float32 (pinned: a CPU with bf16 would otherwise compute in bf16) gives the same text as
    onnxruntime on the forty benchmark scans for about a third less CPU (bench/README.md, "OpenVINO"). One request
    serves one page at a time: pages are read one after another, and two uploads at once take turns."""

    def __init__(self, path: str) -> None:
        import threading

        import openvino as ov

        compiled = ov.Core().compile_model(path, "CPU", {"INFERENCE_PRECISION_HINT": "f32",
                                                          "PERFORMANCE_HINT": "LATENCY"})
        self._request = compiled.create_infer_request()
        self._turn = threading.Lock()

    def __call__(self, batch: np.ndarray) -> list[np.ndarray]:
        with self._turn:
            return [self._request.infer({0: batch})[0]]  # outputs are copied out of the request (share_outputs=False)


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
    out = []
    for row, text in printed_lines(words):
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
    # (band, cell, crop, the page's words in the cell) where the page's reading does not settle the value
    doubtful: list[tuple[int, int, np.ndarray, list[Word]]] = []
    for b, band in enumerate(table.bands):
        cells = [(cell, sorted((w for w in words if cell.holds(*w.centre)), key=lambda w: (w.box.y0, w.box.x0)))
                 for cell in band.cells]
        first = len(cells)
        while first > 0 and not any(_CJK.search(w.text) for w in cells[first - 1][1]):
            first -= 1
        texts = [_label(inside, header=first == len(cells)) for _, inside in cells[:first]]
        for c, (cell, inside) in enumerate(cells[first:], start=first):
            crop = _ink_crop(cell, gray, clean)
            # ink too faint to be print where the page read a word: unread, with the page's reading (figures unknown)
            texts.append(_seen(None, [(_as_figure(w.text), w.score) for w in inside]) if crop is None and inside
                         else "" if crop is None else SCAN_UNREAD)
            if crop is not None:
                doubtful.append((b, c, crop, inside))
        bands.append(texts)
    _second_look(doubtful, bands)
    return [(band.top, "| " + " | ".join(texts) + " |") for band, texts in zip(table.bands, bands, strict=True)]


def _label(words: list[Word], header: bool) -> str:
    """A label cell's words as text, without readings of specks that would bring a number into the table: a word
    with a digit and no Chinese character is kept only as an enumerator ("1.") just left of the label's own words,
    and never in a header band (a band of labels only: the template's headers hold no figures)."""
    def kept(w: Word) -> bool:
        if _CJK.search(w.text) or not any(ch.isdigit() for ch in w.text):
            return True
        return not header and bool(_ENUMERATOR.fullmatch(w.text)) and any(
            _CJK.search(o.text) and 0 <= o.box.x0 - w.box.x1 < 2 * (w.box.y1 - w.box.y0)
            and o.box.y0 < w.centre[1] < o.box.y1 for o in words)
    return " ".join(w.text for w in words if kept(w))


def _second_look(doubtful: list, bands: list[list[str]]) -> None:
    """Every printed value cell recognised alone, then weighed against the page's reading of it; where the two do
    not settle it, the cell is recognised a third time at twice the size, and two readings that agree decide."""
    if not doubtful:
        return
    alone = _read_figures([crop for _, _, crop, _ in doubtful])
    pages = [(inside[0] if len(inside) == 1 else None, len(inside)) for *_, inside in doubtful]
    verdicts = [_weigh(r, page, seen) for r, (page, seen) in zip(alone, pages, strict=True)]
    again = [i for i, v in enumerate(verdicts) if v is None]
    thirds: dict[int, tuple[str, float]] = {}
    medians: dict[int, tuple[str, float]] = {}
    if again:
        larger = [_larger(doubtful[i][2]) for i in again]
        for i, third in zip(again, _read_figures(larger), strict=True):
            thirds[i] = third
            verdicts[i] = _tie_break(alone[i], *pages[i], third)
    # Left unknown: the figure read once more, median-filtered — an image treated otherwise, whose specks are gone
    # (a speck in a 0 that makes it a 6 for every grey reading is not in it), so it can confirm the grey reading;
    # a weak number the two grey readings alone gave (the page silent or unsure) is checked by it too
    unread = [i for i, v in enumerate(verdicts) if v == SCAN_UNREAD and pages[i][1] <= 1]
    grey_only = [i for i in again if verdicts[i].startswith(SCAN_WEAK) and not _page_says(pages[i][0], verdicts[i][1:])]
    if unread or grey_only:
        filtered = _read_figures([_filtered(doubtful[i][2]) for i in unread + grey_only])
        missing = [i for i in unread if i not in thirds]
        larger = [_larger(doubtful[i][2]) for i in missing]
        thirds.update(zip(missing, _read_figures(larger), strict=True))
        for i, median in zip(unread + grey_only, filtered, strict=True):
            medians[i] = median
            if i in thirds and verdicts[i] == SCAN_UNREAD:
                verdicts[i] = _two_looks(alone[i], thirds[i], median, pages[i][0])
            elif _NUMBER.fullmatch(median[0]) and median[0] != verdicts[i][1:] and median[1] >= AGREE_SCORE / 2:
                verdicts[i] = SCAN_UNREAD  # the filtered figure reads another number: the grey may hold a speck
    for i, ((b, c, crop, _), verdict) in enumerate(zip(doubtful, verdicts, strict=True)):
        if verdict == SCAN_UNREAD:  # what was seen, for the identities (tables._decide_unread)
            page = pages[i][0]
            looks = [alone[i], thirds.get(i), medians.get(i), (_as_figure(page.text), page.score) if page else None]
            verdict = _seen(crop, [look for look in looks if look])
        bands[b][c] = verdict


def _page_says(page: Word | None, value: str) -> bool:
    """The page's reading gives this number at the agreeing confidence."""
    return page is not None and _as_figure(page.text) == value and page.score >= AGREE_SCORE


def _weigh(cell: tuple[str, float], page: Word | None, seen: int) -> str | None:
    """Two readings of one cell → the number (sure), ≈number (agreeing, but not sure), 〓 (no number), or None:
    the two disagree or one is missing, and a third reading is to decide."""
    text, score = cell
    if text in _DASHES and score >= MIN_SCORE:
        return "—"
    if seen > 1:
        return SCAN_UNREAD  # two separate marks the page read in one cell: not one number
    other = _as_figure(page.text) if page else ""
    if page is None or not _NUMBER.fullmatch(text) or other != text:
        return None
    if score >= MIN_SCORE and page.score >= PAGE_SCORE and page.text.strip() == page.text.strip().strip(_STRAY):
        return text  # (a page reading with a speck at its end is not sure)
    # agreeing, but one of the two unsure: the third reading decides, as where the page is silent (an unsure page
    # reading of the same number is no evidence against it)
    return SCAN_WEAK + text if min(score, page.score) >= AGREE_SCORE else None


def _tie_break(cell: tuple[str, float], page: Word | None, seen: int, third: tuple[str, float]) -> str:
    """The cell's reading, the page's and the cell's at twice the size: a number two of them read alike, against
    no third number, is taken as weak (the identities then check it); anything else stays unknown."""
    page_text = _as_figure(page.text) if page else ""
    readings = [(cell[0], cell[1]), (page_text, page.score if page else 0.0), third]
    numbers = [(t, s) for t, s in readings if _NUMBER.fullmatch(t) and s >= AGREE_SCORE]
    for value in dict.fromkeys(t for t, _ in numbers):
        agreeing = [s for t, s in numbers if t == value]
        against = [t for t, s in readings if t and t != value and s >= AGREE_SCORE / 2]
        if len(agreeing) >= 2 and not any(_NUMBER.fullmatch(t) for t in against):
            # the two readings of the cell alone are not independent: with the page silent or unsure they must
            # both be sure; a reading the page gives alike is enough at the agreeing confidence
            if page_text == value and page.score >= AGREE_SCORE or min(agreeing) >= MIN_SCORE and not against:
                return SCAN_WEAK + value
    if page and _NUMBER.fullmatch(page.text) and page.score >= SURE_SCORE \
            and not any(_NUMBER.fullmatch(t) and t != page.text for t in (cell[0], third[0])):
        return SCAN_WEAK + page.text  # the cell alone is unreadable, the page read it cleanly
    return SCAN_UNREAD


def _seen(crop: np.ndarray | None, looks: list[tuple[str, float]]) -> str:
    """An unread cell as `〓glyphs:reading/reading`: its figures counted in the ink (`?` without a cut-out figure),
    and every number a look gave at least AGREE_SCORE / 2 sure (the level at which a reading counts against another
    elsewhere)."""
    numbers = dict.fromkeys(unicodedata.normalize("NFKC", t) for t, s in looks
                            if _NUMBER.fullmatch(t) and s >= AGREE_SCORE / 2)  # "１" and "1" are one reading
    return f"{SCAN_UNREAD}{'?' if crop is None else _glyphs(crop)}:{SCAN_SEEN_SPLIT.join(numbers)}"


def _glyphs(crop: np.ndarray) -> int:
    """How many figures the cut-out ink holds: its runs of ink across the line (marks at least a third of the
    figure's height: a decimal point is no figure), a run wider than ONE_FIGURE heights counted as figures run
    together by blur, one per FIGURE_PITCH. On four sample scans' table pages: exact for 536 of 540 number
    cells, the others one off (bench/README.md)."""
    import cv2

    _, dark = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    count, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    if count <= 1:
        return 0
    columns = np.zeros(dark.shape[1], dtype=bool)
    for x, _, w, h, area in stats[1:]:
        if h >= heights.max() / 3 and area >= 6:
            columns[x : x + w] = True
    edges = np.flatnonzero(np.diff(np.concatenate(([0], columns.astype(np.int8), [0]))))
    widths = (edges[1::2] - edges[::2]) / heights.max()
    return sum(1 if w < ONE_FIGURE else max(2, round((w + FIGURE_SPACE) / FIGURE_PITCH)) for w in widths)


def _larger(crop: np.ndarray) -> np.ndarray:
    import cv2

    return cv2.resize(crop, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)


def _filtered(crop: np.ndarray) -> np.ndarray:
    """The cut-out figure median-filtered (3 × 3): specks of a pixel or two are gone, strokes stay."""
    import cv2

    return cv2.medianBlur(crop, 3)


def _two_looks(cell: tuple[str, float], larger: tuple[str, float], median: tuple[str, float],
               page: Word | None) -> str:
    """The median-filtered figure and another look (the scanned grey, alone or at twice the size, or the page) read
    one number, each at least TWO_LOOKS sure, and no look gives another number: weak (the identities then check
    it). Specks at a reading's ends are dropped first: a speck at a 0's foot reads "0." in the grey, and the
    filtered figure, without it, reads 0."""
    value = _as_figure(median[0])
    if not _NUMBER.fullmatch(value) or median[1] < TWO_LOOKS:
        return SCAN_UNREAD
    others = [(_as_figure(t), s) for t, s in [cell, larger] + ([(page.text, page.score)] if page else [])]
    if any(_NUMBER.fullmatch(t) and t != value for t, s in others if s >= AGREE_SCORE / 2):
        return SCAN_UNREAD
    return SCAN_WEAK + value if any(t == value and s >= TWO_LOOKS for t, s in others) else SCAN_UNREAD


def _as_figure(text: str) -> str:
    """A page reading of a number cell without the specks at its ends, letters shaped like digits as digits."""
    core = text.strip().strip(_STRAY)
    mapped = core.translate(_DIGIT_LIKE)
    return mapped if _NUMBER.fullmatch(mapped) else core


def _read_figures(crops: list[np.ndarray]) -> list[tuple[str, float]]:
    """Crops of number cells → (text, confidence) each. The recogniser's own output per position, with the letters
    that share a digit's shape (o O 〇 → 0, l I | → 1) counted for that digit: in a number cell a round mark is a
    0 however the model, trained on running text, splits it between 0 and o."""
    rec = engine().text_rec
    chars = rec.postprocess_op.character
    merged = _merge_matrix(tuple(chars))
    out: list[tuple[str, float]] = [("", 0.0)] * len(crops)
    order = sorted(range(len(crops)), key=lambda i: crops[i].shape[1] / crops[i].shape[0])
    _, height, width = rec.rec_image_shape
    for start in range(0, len(order), rec.rec_batch_num):
        batch = order[start : start + rec.rec_batch_num]
        ratio = max(width / height, *(crops[i].shape[1] / crops[i].shape[0] for i in batch))
        images = np.stack([rec.resize_norm_img(np.repeat(crops[i][:, :, None], 3, axis=2), ratio) for i in batch])
        probs = rec.session(images.astype(np.float32))[0]
        for i, p in zip(batch, probs, strict=True):
            out[i] = _decode(p, merged, chars)
    return out


@lru_cache(maxsize=1)
def _merge_matrix(chars: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Columns of the model's alphabet that count for each digit (with its look-alikes) and for the blank."""
    index = {ch: i for i, ch in enumerate(chars)}
    groups = np.zeros((len(chars), 10), dtype=np.float32)
    for d in range(10):
        for ch in (str(d), chr(0xFF10 + d), *_LOOK_ALIKE.get(str(d), "")):
            if ch in index:
                groups[index[ch], d] = 1
    return groups, groups.sum(axis=1) > 0


def _decode(p: np.ndarray, merged: tuple[np.ndarray, np.ndarray], chars: list[str]) -> tuple[str, float]:
    """CTC decoding of one crop's output, each digit with its look-alikes' probability added: at each position the
    blank, the best digit or the best other character, whichever is likeliest (on a tie the later of the three)."""
    groups, is_digit = merged
    digits = p @ groups  # (positions, 10)
    other = np.where(is_digit, 0, p)
    other[:, 0] = 0  # the blank
    d, o = digits.argmax(axis=1), other.argmax(axis=1)
    rows = np.arange(len(p))
    best = np.stack([p[:, 0], digits[rows, d], other[rows, o]], axis=1)
    kind = 2 - best[:, ::-1].argmax(axis=1)  # argmax from the end: a tie goes to the later kind
    symbol = np.where(kind == 0, -1, np.where(kind == 1, d, 10 + o))  # -1 blank, 0–9 a digit, 10+ another character
    kept = (symbol >= 0) & (symbol != np.concatenate(([-1], symbol[:-1])))  # CTC: a repeat counts after a change
    text = "".join(str(s) if s < 10 else chars[s - 10] for s in symbol[kept].tolist())
    scores = best[rows, kind][kept].astype(np.float64)
    return text.strip(), float(scores.mean()) if len(scores) else 0.0


def _specks_out(binary: np.ndarray, horizontal: np.ndarray, vertical: np.ndarray) -> np.ndarray:
    """Ink without ruling lines and without specks (components of a few pixels)."""
    import cv2

    ink_only = cv2.bitwise_and(binary, cv2.bitwise_not(cv2.bitwise_or(horizontal, vertical)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink_only, connectivity=8)
    keep = np.zeros(count, dtype=np.uint8)
    keep[1:] = (stats[1:, cv2.CC_STAT_AREA] >= SPECK) * 255
    return keep[labels]


def _ink_crop(cell: Box, gray: np.ndarray, clean: np.ndarray) -> np.ndarray | None:
    """The printed figure of a cell on white paper (marks away from it removed), or None when the cell is empty.

    The figure is its tall marks (the digits) and the marks joined to them along the line (gaps under half their
    height): the bars of a 7, 5 or 2, which the threshold may part from the rest, stay with it. Within the
    figure the page's grey is kept as scanned: thin strokes lighter than the page's threshold are part of it."""
    import cv2

    pad = 4
    y0, x0 = cell.y0 + pad, cell.x0 + pad
    area = clean[y0 : cell.y1 - pad, x0 : cell.x1 - pad]
    if area.size == 0 or not _printed(area):
        return None
    count, labels, stats, _ = cv2.connectedComponentsWithStats(area, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    tall = 1 + np.flatnonzero(heights >= 0.5 * heights.max())  # the digits
    reach = max(3, int(heights.max() * FIGURE_GAP)) | 1
    _, lines = cv2.connectedComponents(cv2.dilate(area, np.ones((3, reach), np.uint8)), connectivity=8)
    figure = np.isin(labels, tall)
    figure |= (labels > 0) & np.isin(lines, np.unique(lines[figure]))
    apart = cv2.dilate(((labels > 0) & ~figure).astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    ys, xs = np.nonzero(figure)
    top, bottom = max(0, ys.min() - 1), min(area.shape[0], ys.max() + 2)
    left, right = max(0, xs.min() - 1), min(area.shape[1], xs.max() + 2)
    paper = gray[y0 : cell.y1 - pad, x0 : cell.x1 - pad]
    level, _ = cv2.threshold(paper, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)  # the cell's own ink level
    apart |= _specks_near(paper < level, figure, (top, bottom, left, right))
    paper = np.where(apart, 255, paper)[top:bottom, left:right]
    margin = max(6, paper.shape[0] // 3)
    return cv2.copyMakeBorder(paper.astype(np.uint8), margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255)


def _printed(area: np.ndarray) -> bool:
    """Ink that is print, not scanner noise: enough of it, or one mark drawn as a line (a printed 1 or a dash is
    thin and long; a clump of specks is round): its length at least STROKE_LENGTH times its width (area/length)
    and MIN_STROKE pixels."""
    import cv2

    if int((area > 0).sum()) >= MIN_INK:
        return True
    count, _, stats, _ = cv2.connectedComponentsWithStats(area, connectivity=8)
    length = stats[1:count, [cv2.CC_STAT_WIDTH, cv2.CC_STAT_HEIGHT]].max(axis=1)
    thin = length.astype(np.int64) ** 2 >= STROKE_LENGTH * stats[1:count, cv2.CC_STAT_AREA]
    return bool((thin & (length >= MIN_STROKE)).any())


def _specks_near(dark: np.ndarray, figure: np.ndarray, box: tuple[int, int, int, int]) -> np.ndarray:
    """Dark specks too small to be print that are not part of the figure: within its box they would read as a
    decimal point or a quote ('0.'). Kept: marks joined to the figure's own, and a decimal point — a small mark between
    the digits, low on the line."""
    import cv2

    top, bottom, left, right = box
    count, labels, stats, _ = cv2.connectedComponentsWithStats(dark.astype(np.uint8), connectivity=8)
    keep = set(np.unique(labels[figure & dark]).tolist())
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        if left + 2 < x and x + w < right - 2 and y + h / 2 > top + 0.6 * (bottom - top):
            keep.add(i)
    return (labels > 0) & ~np.isin(labels, list(keep))
