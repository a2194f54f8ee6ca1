"""Sample PDFs → scans (tests/scanned.py variants) → OCR: cells read and wrong per variant, seconds per page, and the
unread cells the identities decide (ink agreeing) or the guard refuses, with what deciding them all would store;
`--held-out` does the same for reports of other bodies printed by Chromium in other typesettings (tests/printed.py),
against the printed PDF's own text layer, with the narrative's likeness; `--engines` compares RapidOCR and Tesseract
(chi_sim) cell by cell on one table page."""

from __future__ import annotations

import argparse
import os
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from core.template import SCAN_INK_NOTE
from core.text import norm
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


def variants(name: str, work: Path, keep: Path | None, pdf: Path | None = None, chosen: str = "",
             typed: str | None = None) -> None:
    """Each scan of the PDF against its text layer; the narrative against `typed` (what was printed) when given,
    else against the text layer's paragraphs."""
    pdf = pdf or FIXTURES / f"{name}.pdf"
    text_layer = read_document(pdf).text
    typed = typed if typed is not None else narrative_of(text_layer)
    want = {k: c.value for k, c in cells_of(text_layer).items()}
    printed = [k for k, val in want.items() if val is not None]  # the cells the print decides
    for v in VARIANTS:
        if chosen and v.name not in chosen.split(","):
            continue
        scan = make_scan(pdf, work / f"{name}_{v.name}.pdf", v)
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
        read = sum(got.get(k) is not None for k in printed)
        wrong = sum(1 for k, val in got.items() if val is not None and want.get(k) != val)
        print(f"{name} {v.name:7} {read}/{len(printed)} read ({read / len(printed):.1%}), {wrong} wrong, "
              f"{took / pages:.1f} s/page, cpu {cpu / pages:.1f} s/page ({pages} pages, "
              f"load {os.getloadavg()[0]:.1f}); "
              f"identity-decided {decided}, guard refused {len(refused)}, of them wrong unguarded {loose_wrong}"
              f"; narrative {likeness(typed, narrative_of(text)):.1%} alike")
        for k in printed:
            if got.get(k) is None:
                print(f"    unread {k[0]} {k[1][-18:]} · {k[2]}: {cells[k].note if k in cells else 'no cell'}")
        for k, val in got.items():
            if val is not None and want.get(k) != val:
                print(f"    WRONG {k}: printed {want.get(k)}, stored {val}")


def narrative_of(text: str) -> str:
    """A report's narrative paragraphs joined in reading order, width, script and spaces folded."""
    from ingest.parse.sections import paragraphs

    return "".join(norm(p.text).replace(" ", "") for p in paragraphs("r", clean_text(text)))


def likeness(printed: str, scanned: str) -> float:
    """How alike two narratives are, in reading order (difflib's ratio: 1.0 when equal)."""
    import difflib

    return difflib.SequenceMatcher(None, printed, scanned, autojunk=False).ratio()


def held_out(work: Path, keep: Path | None, chosen: str, reports: str) -> None:
    """The held-out reports printed (tests/printed.py), each checked against its text copy, then scanned."""
    from tests.printed import HELD_OUT, printed, report_parts

    for report in HELD_OUT:
        if reports and report.name not in reports.split(","):
            continue
        pdf = printed(report, work)
        _, narrative, cells = report_parts(report.source)
        typed = {(c.table, c.row, c.column): c.value for c in cells}
        words = "".join(norm(text).replace(" ", "") for _, text in narrative)
        layer = read_document(pdf).text
        read = cells_of(layer)
        shown = [k for k, value in typed.items() if value is not None]  # printed; the rest is an empty cell
        same = sum(k in read and read[k].value == typed[k] for k in shown)
        print(f"{report.name} ({report.body}; {report.typeset.name}): text layer {same}/{len(shown)} printed cells, "
              f"narrative {likeness(words, narrative_of(layer)):.1%} alike")
        variants(report.name, work, keep, pdf, chosen, words)


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
    parser.add_argument("--reports", default="", help="comma-separated fixture PDFs (default hongze_2023), or with "
                        "--held-out some of its reports (default all)")
    parser.add_argument("--engines", action="store_true", help="RapidOCR against Tesseract on one table page")
    parser.add_argument("--keep", type=Path, help="write each scan's OCR text into this folder")
    parser.add_argument("--held-out", action="store_true", help="the held-out printed reports (tests/printed.py)")
    parser.add_argument("--variants", default="", help="comma-separated scan variants (default: all)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.engines:
            engines("hongze_2023", 2, Path(tmp))
            return
        if args.held_out:
            held_out(Path(tmp), args.keep, args.variants, args.reports)
            return
        for name in (args.reports or "hongze_2023").split(","):
            variants(name, Path(tmp), args.keep, chosen=args.variants)


if __name__ == "__main__":
    main()
