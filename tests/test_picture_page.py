"""A web page whose tables are pictures, ingested by OCR, then asked about in a real browser (headless Chromium)."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.render import FIXTURES
from tests.test_browser import CHROMEDRIVER, CHROMIUM, served
from tests.test_browser import browser as browser  # noqa: PLC0414 - the module's headless Chromium fixture

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="needs Debian's chromium and chromium-driver: `make browser`")


def picture_page(folder: Path) -> Path:
    """A saved web page (its files folder beside it) whose 表三 and 表四 are screen-resolution pictures."""
    import pypdfium2 as pdfium

    (folder / "nb_files").mkdir(parents=True)
    pdf = pdfium.PdfDocument(str(FIXTURES / "hongze_2023.pdf"))
    pictures = ""
    for i in (2, 3):  # the pages printing 表三 and 表四
        out = io.BytesIO()
        pdf[i].render(scale=1.5).to_pil().save(out, "PNG")
        (folder / "nb_files" / f"p{i}.png").write_bytes(out.getvalue())
        pictures += f'<img src="nb_files/p{i}.png">'
    pdf.close()
    page = folder / "hongze_pictures.html"
    page.write_text('<html><head><meta charset="utf-8"><title>洪泽区人民政府2023年政府信息公开工作年度报告</title>'
                    "</head><body><p>洪泽区人民政府2023年政府信息公开工作年度报告</p><p>一、总体情况</p>"
                    f"<p>2023年，洪泽区人民政府推进政府信息公开工作规范、有序、健康发展。</p>{pictures}</body></html>",
                    encoding="utf-8")
    return page


@pytest.fixture(scope="module")
def picture_app(tmp_path_factory, embedder) -> Iterator[str]:
    """The app (ui.serve) over a store holding only the picture page, read by OCR."""
    pytest.importorskip("rapidocr_onnxruntime")
    from ingest.index.vectors import NarrativeIndex
    from ingest.pipeline import ingest_paths
    from store import Store

    db = tmp_path_factory.mktemp("picturedb") / "db"
    store = Store(db)
    (outcome,) = ingest_paths([picture_page(tmp_path_factory.mktemp("page"))], store, NarrativeIndex(db, embedder))
    assert outcome.status == "ingested" and store.report(outcome.report.id).layout == "html-ocr"
    store.close()
    env = {**os.environ, "REPORTS_DB": str(db), "LLM_PROVIDER": "", "PYTHONPATH": str(ROOT)}
    for name in ("DATABASE_URL", "STAFF_PASSWORD_HASH", "STAFF_ACCOUNTS"):
        env.pop(name, None)
    yield from served(env, tmp_path_factory.mktemp("picturelog"))


def test_a_cell_of_a_table_picture_is_answered_and_cited_in_a_browser(picture_app: str, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, 60)
    browser.set_window_size(1100, 1000)
    browser.get(picture_app)
    box = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "[data-testid=stChatInputTextArea]")))
    box.send_keys("洪泽区2023年新收了多少件政府信息公开申请？")
    box.send_keys(Keys.ENTER)
    cell = wait.until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".cite-cell td.hit mark")))
    answer = browser.find_element(By.CSS_SELECTOR, "[data-testid=stChatMessage] .answer").text
    assert cell.text == "21" and "21" in answer
    assert "本年新收政府信息公开申请数量" in cell.find_element(By.XPATH, "ancestor::tr").text
    provenance = browser.find_element(By.CSS_SELECTOR, ".cite-cell .cite-prov").text
    assert "hongze_pictures.html" in provenance and "OCR" in provenance  # read from a picture, and said so
    assert "查看原件" not in browser.find_element(By.CSS_SELECTOR, ".cite-cell").text  # a web page: no PDF page
    shot = ROOT / "artifacts"
    shot.mkdir(exist_ok=True)
    browser.save_screenshot(str(shot / "browser_picture_table.png"))
