"""The original page beside a citation: PDF reports (text layer and scanned) keep their file and the places of their
rows and paragraphs; a cited row or sentence opens its page with the place marked."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pdfplumber
import pytest
from streamlit.testing.v1 import AppTest

from core.records import Citation, paragraph_place, row_place
from ingest.index.vectors import NarrativeIndex
from ingest.pipeline import ingest_paths
from store import Store
from tests.render import FIXTURES
from tests.scanned import VARIANTS, make_scan
from ui.citations import citations_html
from ui.original import MARK, marked, page_image

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
PDFS = ("hongze_2023", "hongze_2024", "huaian_2024")
TOTAL = row_place("三", "三、本年度办理结果/（七）总计")
NEW = row_place("三", "一、本年新收政府信息公开申请数量")
_FIGURE = re.compile(r"\d+(?:\.\d+)?(?![.、．\d])")  # a printed figure, not a label's numbering (“1.属于…”)


@pytest.fixture(scope="module")
def pdf_db(tmp_path_factory, embedder) -> Iterator[Path]:
    """The three sample PDFs and a scan of hongze 2023's table pages (OCR, ~25 s), ingested through the pipeline."""
    pytest.importorskip("rapidocr_onnxruntime")
    folder = tmp_path_factory.mktemp("pdfdb")
    files = tmp_path_factory.mktemp("pdfs")
    scan = make_scan(FIXTURES / "hongze_2023.pdf", files / "hongze_scan.pdf",
                     next(v for v in VARIANTS if v.name == "office"), [2, 3])
    store = Store(folder / "db")
    outcomes = ingest_paths([*(FIXTURES / f"{name}.pdf" for name in PDFS), scan, ROOT / "samples" / "liuyang_2023.txt"],
                            store, NarrativeIndex(folder / "db", embedder))
    assert [o.error for o in outcomes if o.status != "ingested"] == []
    store.close()
    yield folder / "db"


def _crop_text(pdf: Path, page: int, box) -> str:
    with pdfplumber.open(pdf) as doc:
        p = doc.pages[page - 1]
        w, h = float(p.width), float(p.height)
        return p.crop((box[0] * w, box[1] * h, box[2] * w, box[3] * h)).extract_text() or ""


@pytest.mark.parametrize("name", PDFS)
def test_every_printed_row_of_a_text_pdf_is_placed_where_its_figures_are(pdf_db, name):
    """Read back independently (pdfplumber's words inside the stored box), each row's box holds exactly its
    printed figures: the row itself, no neighbour."""
    store = Store(pdf_db)
    places = store.places(name)
    rows = {}
    for c in store.cells(report=name):
        rows.setdefault(row_place(c.table, c.row), c.source)
    assert TOTAL in places and NEW in places
    wrong = {}
    for key, source in rows.items():
        assert key in places, key
        (place,) = places[key]
        got = _FIGURE.findall(_crop_text(FIXTURES / f"{name}.pdf", place.page, place.box))
        if got != _FIGURE.findall(source):
            wrong[key] = (source, got)
    assert not wrong
    assert "总计" in _crop_text(FIXTURES / f"{name}.pdf", places[TOTAL][0].page, places[TOTAL][0].box)


def test_paragraphs_are_placed_line_by_line_and_a_quote_marks_its_lines(pdf_db):
    store = Store(pdf_db)
    places = store.places("hongze_2023")
    paragraphs = store.paragraphs("hongze_2023")
    assert all(paragraph_place(p.section, p.number) in places for p in paragraphs)
    p = next(p for p in paragraphs if "受理政府信息公开申请 21 件" in p.text)
    lines = places[paragraph_place(p.section, p.number)]
    printed = re.sub(r"\s", "", "".join(_crop_text(FIXTURES / "hongze_2023.pdf", x.page, x.box) for x in lines))
    assert re.sub(r"\s", "", p.text) in printed
    quote = "2023 年全区受理政府信息公开申请 21 件，均在法定期限答复。"
    shown = marked(lines, Citation.from_paragraph(p, quote))
    assert len(lines) == 3 and shown == lines[1:]  # the quote begins on the second printed line
    assert "21" in _crop_text(FIXTURES / "hongze_2023.pdf", shown[0].page, shown[0].box)


def test_the_original_is_kept_for_pdfs_only_and_goes_with_the_report(pdf_db, tmp_path):
    store = Store(pdf_db)
    assert store.original("huaian_2024") == (FIXTURES / "huaian_2024.pdf").read_bytes()
    assert store.original("liuyang_2023") is None and store.places("liuyang_2023") == {}
    report = store.report("hongze_2024")
    copy = Store(tmp_path)
    copy.replace_report(report, [], [], [], [], original=b"%PDF-1.4", places=store.places("hongze_2024"))
    assert copy.original("hongze_2024") == b"%PDF-1.4" and copy.places("hongze_2024")
    copy.delete_report("hongze_2024")
    assert copy.original("hongze_2024") is None and copy.places("hongze_2024") == {}


def test_a_scanned_row_is_placed_on_the_straightened_page_where_ocr_reads_it(pdf_db):
    """The scan's 总计 row: its box, cut from the page as the view renders it, reads 总计 and 21 (OCR again)."""
    from ingest.read.scan_pdf import engine

    store = Store(pdf_db)
    report = store.report("hongze_scan")
    assert report.layout == "pdf-ocr"
    places = store.places("hongze_scan")
    (place,) = places[TOTAL]
    image = page_image(store.original("hongze_scan"), place.page, [], scanned=True)
    w, h = image.size
    x0, y0, x1, y1 = place.box
    crop = np.asarray(image.crop((int(x0 * w), int(y0 * h), int(x1 * w), int(y1 * h))))
    found, _ = engine()(crop, use_cls=False)
    text = "".join(t for _, t, _ in found or [])
    assert "总计" in text and "21" in text, text
    assert sum(k.startswith("表三") for k in places) >= 20  # the scan's 表三 rows, each placed
    marked_image = np.asarray(page_image(store.original("hongze_scan"), place.page, [place.box], scanned=True))
    red = (marked_image[:, :, 0] == MARK[0]) & (marked_image[:, :, 1] == MARK[1]) & (marked_image[:, :, 2] == MARK[2])
    ys, xs = np.nonzero(red)
    assert len(ys) > 500 and abs(ys.min() / h - y0) < 0.01 and abs(ys.max() / h - y1) < 0.01


def test_a_pdf_citation_links_its_page_and_others_do_not(pdf_db):
    store = Store(pdf_db)
    cell = next(c for c in store.cells(report="huaian_2024", table="三") if c.row.endswith("（七）总计"))
    page = store.places("huaian_2024")[TOTAL][0].page
    (block,) = citations_html([Citation.from_cell(cell)], store)
    assert f"查看原件第{page}页" in block and "?original=huaian_2024&amp;at=" in block
    txt = next(c for c in store.cells(report="liuyang_2023", table="三") if c.row.endswith("（七）总计"))
    assert "查看原件" not in citations_html([Citation.from_cell(txt)], store)[0]


@pytest.fixture
def app_env(pdf_db, monkeypatch):
    monkeypatch.setenv("REPORTS_DB", str(pdf_db))
    monkeypatch.setenv("LLM_PROVIDER", "")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("STAFF_PASSWORD_HASH", raising=False)
    return pdf_db


def test_the_page_shows_the_original_page_of_a_cited_cell(app_env):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.chat_input(key="question").set_value("2024年淮安市人民政府办结了多少件申请？").run()
    assert not at.exception
    reply = "\n".join(h.value for h in at.chat_message[-1].html)
    link = re.search(r'href="\?(original=huaian_2024[^"]*)"[^>]*>查看原件第(\d+)页', reply)
    assert link, reply
    page = AppTest.from_file(APP, default_timeout=120)
    for part in html.unescape(link.group(1)).split("&"):
        key, _, value = part.partition("=")
        from urllib.parse import unquote

        page.query_params[key] = unquote(value)
    page.run()
    assert not page.exception
    assert f"原件第{link.group(2)}页" in page.subheader[0].value
    assert len(page.get("image")) == 1
    assert "红框" in "".join(c.value for c in page.caption)
    page.button(key="back").click().run()
    assert "original" not in page.query_params


def test_a_report_without_an_original_says_so(app_env):
    page = AppTest.from_file(APP, default_timeout=120)
    page.query_params["original"] = "liuyang_2023"
    page.query_params["at"] = TOTAL
    page.run()
    assert not page.exception and not page.get("image")
    assert "没有可显示的原件页面" in page.info[0].value


def test_the_upload_page_follows_a_scan_page_by_page(pdf_db, tmp_path, monkeypatch):
    """Staff upload a scan: the bar follows its OCR page by page, and the result says how many pages were read."""
    import shutil

    from ui.staff.passwords import hash_password

    folder = tmp_path / "db"
    shutil.copytree(pdf_db, folder)
    monkeypatch.setenv("REPORTS_DB", str(folder))
    monkeypatch.setenv("LLM_PROVIDER", "")
    monkeypatch.setenv("STAFF_PASSWORD_HASH", hash_password("pw for pages", n=2**10))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    scan = make_scan(FIXTURES / "hongze_2024.pdf", tmp_path / "hongze_2024_scan.pdf",
                     next(v for v in VARIANTS if v.name == "clean"), [3, 4])
    seen: list[str] = []
    monkeypatch.setattr("streamlit.delta_generator.DeltaGenerator.progress",
                        _recording(seen, __import__("streamlit").delta_generator.DeltaGenerator.progress))
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.session_state["view"] = "报表与核对"
    at.run()
    at.text_input(key="signin_name").input("测试人员")
    at.text_input(key="signin_password").input("pw for pages")
    at.button(key="signin_submit").click().run()
    at.file_uploader(key="uploads").set_value([(scan.name, scan.read_bytes(), "application/pdf")])
    at.run()
    at.button(key="do_upload").click().run()
    assert not at.exception
    # what the bar said while the upload ran (AppTest sees only the page after it)
    assert [t.replace("\\", "") for t in seen if "扫描件文字识别第" in t] == [
        "正在导入 hongze_2024_scan.pdf（1/1）：扫描件文字识别第 1/2 页",
        "正在导入 hongze_2024_scan.pdf（1/1）：扫描件文字识别第 2/2 页"]
    assert any("逐页文字识别（OCR）2/2 页" in c.value for c in at.caption)


def _recording(seen: list[str], progress):
    def record(self, value, text=None, **kw):
        seen.append(text or "")
        return progress(self, value, text=text, **kw)

    return record


def test_postgres_keeps_the_original_bytes_and_places(pdf_db, pg_url):
    """BYTEA through COPY, and the places' JSON, read back as written; removed with the report."""
    lite = Store(pdf_db)
    pg = Store(url=pg_url)
    report = lite.report("huaian_2024")
    pg.replace_report(report, lite.paragraphs("huaian_2024"), lite.cells("huaian_2024"), [], [],
                      original=lite.original("huaian_2024"), places=lite.places("huaian_2024"))
    assert pg.original("huaian_2024") == (FIXTURES / "huaian_2024.pdf").read_bytes()
    assert pg.places("huaian_2024") == lite.places("huaian_2024") and TOTAL in pg.places("huaian_2024")
    pg.delete_report("huaian_2024")
    assert pg.original("huaian_2024") is None and pg.places("huaian_2024") == {}
