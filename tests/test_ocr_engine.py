"""The OCR engine as scan_pdf runs it (RapidOCR's networks on OpenVINO) against RapidOCR as shipped (onnxruntime):
the same words on a scanned table page, and one engine shared by two uploads at once."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from tests.render import FIXTURES
from tests.scanned import VARIANTS, make_scan

pytest.importorskip("rapidocr_onnxruntime")
pytest.importorskip("openvino")


@pytest.fixture(scope="module")
def table_page(tmp_path_factory) -> np.ndarray:
    """The upper half of hongze 2023's 表三 page, scanned ("office") and rendered as scan_pdf renders it."""
    import pypdfium2 as pdfium

    from ingest.read.scan_pdf import SCALE

    scan = make_scan(FIXTURES / "hongze_2023.pdf", tmp_path_factory.mktemp("scan") / "scan.pdf",
                     next(v for v in VARIANTS if v.name == "office"), [3])
    doc = pdfium.PdfDocument(scan.read_bytes())
    gray = np.asarray(doc[0].render(scale=SCALE, grayscale=True).to_pil().convert("L"))
    doc.close()
    return np.repeat(gray[: gray.shape[0] // 2, :, None], 3, axis=2)


@pytest.fixture(scope="module")
def crops(table_page) -> list[np.ndarray]:
    """The page's detected words cut out, as the recogniser gets them."""
    from ingest.read.scan_pdf import engine

    boxes, _ = engine().text_det(table_page)
    return engine().get_crop_img_list(table_page, boxes)


def _words(found) -> list[tuple[str, float]]:
    return [(text, float(score)) for _, text, score in found or []]


def test_openvino_reads_the_words_onnxruntime_reads(table_page):
    from rapidocr_onnxruntime import RapidOCR

    from ingest.read.scan_pdf import MAX_SIDE, engine

    shipped = RapidOCR(use_cls=False, rec_img_shape=[3, 48, 160], rec_batch_num=16, max_side_len=MAX_SIDE)
    ours, _ = engine()(table_page, use_cls=False)
    theirs, _ = shipped(table_page, use_cls=False)
    assert len(ours) > 40  # labels and figures of the table
    assert [t for t, _ in _words(ours)] == [t for t, _ in _words(theirs)]
    # the detector finds the same boxes, within a pixel (float arithmetic at a threshold's edge)
    assert np.abs(np.array([b for b, _, _ in ours]) - np.array([b for b, _, _ in theirs])).max() <= 2
    for (_, a), (_, b) in zip(_words(ours), _words(theirs), strict=True):
        assert abs(a - b) < 0.1  # the same networks; a word whose box lies a pixel apart is read a little less sure


def test_two_pages_read_at_once_read_as_one_at_a_time(crops):
    """Two uploads OCR'd in two threads share one engine: they take turns on its networks, each reading alike."""
    from ingest.read.scan_pdf import engine

    ocr = engine()
    alone = ocr.text_rec(crops)[0]
    results: list = [None, None]

    def read(i: int) -> None:
        results[i] = ocr.text_rec(crops)[0]

    threads = [threading.Thread(target=read, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [alone, alone]
