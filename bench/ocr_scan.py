"""Sample PDFs → scans (tests/scanned.py variants) → OCR: cells read and wrong per variant, seconds per page, and the
unread cells the identities decide (ink agreeing) or the guard refuses, with what deciding them all would store;
`--engines` compares RapidOCR and Tesseract (chi_sim) cell by cell on one table page."""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from core.template import SCAN_INK_NOTE
from ingest.parse import tables
from ingest.parse.clean import clean_text
from ingest.parse.tables import parse_tables
from ingest.read.document import read_document
from tests.render import FIXTURES
from tests.scanned import VARIANTS, make_scan


def cells_of(text: str) -> dict:
    return {(c.table, c.row, c.column): c for c in parse_tables(clean_text(text), "r")[0]}


def unguarded(text: str) -> dict:
    """The cells as they would be with every unread cell an identity gives taken, whatever its ink shows."""
    agrees = tables.ink_agrees
    tables.ink_agrees = lambda seen, value: True
    try:
        return cells_of(text)
    finally:
        tables.ink_agrees = agrees


def variants(name: str, work: Path, keep: Path | None) -> None:
    want = {k: c.value for k, c in cells_of(read_document(FIXTURES / f"{name}.pdf").text).items()}
    for v in VARIANTS:
        scan = make_scan(FIXTURES / f"{name}.pdf", work / f"{name}_{v.name}.pdf", v)
        start, cpu = time.perf_counter(), time.process_time()
        text = read_document(scan).text
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
        if keep:
            (keep / f"{name}_{v.name}.txt").write_text(text, encoding="utf-8")
        cells = cells_of(text)
        got = {k: c.value for k, c in cells.items()}
        decided = sum("按勾稽关系推得" in c.note and "扫描件" in c.note for c in cells.values())
        refused = [k for k, c in cells.items() if c.note == SCAN_INK_NOTE]
        loose = unguarded(text)
        loose_wrong = [(k[2], want.get(k), loose[k].value) for k in refused
                       if loose[k].value is not None and want.get(k) != loose[k].value]
        import pypdfium2 as pdfium

        pages = len(pdfium.PdfDocument(str(scan)))
        read = sum(got.get(k) is not None for k in want)
        wrong = sum(1 for k, val in got.items() if val is not None and want.get(k) != val)
        print(f"{name} {v.name:7} {read}/{len(want)} read ({read / len(want):.1%}), {wrong} wrong, "
              f"{took / pages:.1f} s/page, cpu {cpu / pages:.1f} s/page ({pages} pages, "
              f"load {os.getloadavg()[0]:.1f}); "
              f"identity-decided {decided}, guard refused {len(refused)}, of them wrong unguarded {loose_wrong}")


def engines(name: str, page: int, work: Path) -> None:
    """Every value cell of one scanned table page, recognised alone by each engine, against the text layer."""
    import cv2
    import pdfplumber
    import pypdfium2 as pdfium

    from ingest.read import ruling, scan_pdf

    scan = make_scan(FIXTURES / f"{name}.pdf", work / "one.pdf", VARIANTS[1], [page])
    gray = ruling.straighten(np.asarray(pdfium.PdfDocument(str(scan))[0].render(scale=scan_pdf.SCALE,
                                                                                 grayscale=True).to_pil()))
    binary = ruling.ink(gray)
    clean = scan_pdf._specks_out(binary, *ruling.rulings(binary))
    with pdfplumber.open(FIXTURES / f"{name}.pdf") as pdf:
        words = pdf.pages[page].extract_words()
    k = scan_pdf.SCALE
    truth, crops = [], []
    for grid in ruling.grids(binary):
        for band in grid.bands:
            for cell in band.cells:
                inside = [w["text"] for w in words
                          if cell.holds((w["x0"] + w["x1"]) / 2 * k, (w["top"] + w["bottom"]) / 2 * k)]
                if len(inside) == 1 and inside[0].replace(".", "").isdigit():
                    crop = scan_pdf._ink_crop(cell, gray, clean)
                    if crop is not None:
                        truth.append(inside[0])
                        crops.append(crop)
    start = time.perf_counter()
    rapid = scan_pdf.engine().text_rec([np.repeat(c[:, :, None], 3, axis=2) for c in crops])[0]
    t_rapid = time.perf_counter() - start
    start = time.perf_counter()
    tess = []
    for i, crop in enumerate(crops):
        cv2.imwrite(str(work / f"c{i}.png"), crop)
        out = subprocess.run(["tesseract", str(work / f"c{i}.png"), "-", "-l", "chi_sim", "--psm", "7"],
                             capture_output=True, text=True, check=False).stdout
        tess.append(out.strip())
    t_tess = time.perf_counter() - start
    ok_rapid = sum(t == r[0].strip() for t, r in zip(truth, rapid, strict=True))
    sure = [(t, r) for t, r in zip(truth, rapid, strict=True) if r[1] >= scan_pdf.MIN_SCORE]
    ok_tess = sum(t == s for t, s in zip(truth, tess, strict=True))
    print(f"{len(truth)} number cells of {name} page {page + 1} ({VARIANTS[1].name} scan)")
    print(f"RapidOCR  {ok_rapid}/{len(truth)} exact, {t_rapid:.1f} s; score >= {scan_pdf.MIN_SCORE}: "
          f"{len(sure)} cells, {sum(t != r[0].strip() for t, r in sure)} of them wrong")
    print(f"Tesseract {ok_tess}/{len(truth)} exact, {t_tess:.1f} s (one process per cell)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ocr_scan", description=__doc__)
    parser.add_argument("--reports", default="hongze_2023", help="comma-separated fixture PDFs")
    parser.add_argument("--engines", action="store_true", help="RapidOCR against Tesseract on one table page")
    parser.add_argument("--keep", type=Path, help="write each scan's OCR text into this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.engines:
            engines("hongze_2023", 2, Path(tmp))
            return
        for name in args.reports.split(","):
            variants(name, Path(tmp), args.keep)


if __name__ == "__main__":
    main()
