"""A cited row or paragraph → the page of the original PDF it was printed on, rendered, with that place marked."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import quote as url_quote

import streamlit as st

from core.records import Citation, Place, Report
from ingest.parse.places import squeeze
from store import Store
from ui.safe import esc, md_escape

SCALE = 1.5  # a text PDF's page rendered at 108 dpi: readable on a screen, ~0.1 s a page
MARK = (220, 30, 30)
_SENTENCE_END = re.compile(r"(?<=[。！？；])")


def offered(report: Report | None) -> bool:
    """Whether a report's citations can show the original page: it came as a PDF (text layer or scanned)."""
    return report is not None and report.layout in ("pdf", "pdf-ocr")


def marked(places: Sequence[Place], c: Citation) -> tuple[Place, ...]:
    """The places to mark for a citation: a row's; a paragraph's lines holding the quoted sentence(s) (all of them
    when the quote is not found in the paragraph as printed)."""
    if c.type == "cell" or not places:
        return tuple(places)
    text, quote = squeeze(c.text), squeeze(c.quote)
    at = text.find(quote) if quote else -1
    if at < 0:
        return tuple(places)
    ends = [p.start for p in places[1:]] + [len(text)]
    return tuple(p for p, end in zip(places, ends, strict=True) if p.start < at + len(quote) and end > at)


def link_html(report: str, c: Citation, places: Sequence[Place], which: str = "") -> str:
    """“查看原件第N页” (`which` row, when a block cites several): a link opening the page in a new tab (the
    conversation stays), or "" without a place."""
    shown = marked(places, c)
    if not shown:
        return ""
    query = f"?original={url_quote(report)}&at={url_quote(c.place)}"
    if c.type == "paragraph" and c.quote:
        query += f"&quote={url_quote(c.quote[:200])}"
    which = f"（{esc(which)}）" if which else ""
    return (f' · <a class="original-link" href="{esc(query)}" target="_blank">'
            f"查看原件第{shown[0].page}页{which}</a>")


def page_image(data: bytes, page: int, boxes: Sequence[tuple[float, float, float, float]], scanned: bool):
    """The page rendered (a scan as OCR read it: at its render scale and straightened), each box outlined."""
    import numpy as np
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    doc = pdfium.PdfDocument(data)
    try:
        if scanned:
            from ingest.read.ruling import straighten
            from ingest.read.scan_pdf import SCALE as SCAN_SCALE

            gray = np.asarray(doc[page - 1].render(scale=SCAN_SCALE, grayscale=True).to_pil().convert("L"))
            image = Image.fromarray(straighten(gray)).convert("RGB")
        else:
            image = doc[page - 1].render(scale=SCALE).to_pil().convert("RGB")
    finally:
        doc.close()
    w, h = image.size
    draw = ImageDraw.Draw(image)
    pad, width = max(3, w // 300), max(3, w // 250)
    for x0, y0, x1, y1 in boxes:
        draw.rectangle((x0 * w - pad, y0 * h - pad, x1 * w + pad, y1 * h + pad), outline=MARK, width=width)
    return image


def original_view(store: Store, report_id: str, at: str, quote: str = "") -> bool:
    """The page of the original holding a citation's place, marked; a plain message when there is none."""
    report = store.report(report_id)
    places = store.places(report_id).get(at, ()) if report else ()
    data = store.original(report_id) if places and offered(report) else None
    if not data:
        st.info("这份报告没有可显示的原件页面（只有 PDF 原件可以显示）。")
        return False
    c = Citation("cell", report_id)
    if not at.startswith("表"):
        section, _, number = at.rpartition("/")
        p = store.paragraph(report_id, section, int(number)) if number.isdigit() else None
        c = Citation("paragraph", report_id, text=p.text if p else "", quote=quote)
    shown = marked(places, c)
    page = shown[0].page
    st.subheader(md_escape(f"原件第{page}页 · {report.source}"))
    what = "表格行" if at.startswith("表") else ("引用的句子" if quote and shown != tuple(places) else "引用的段落")
    st.caption(md_escape(f"红框标出{what}：{at}"
                         + (" · 扫描件，页面已按识别时扶正" if report.layout == "pdf-ocr" else "")))
    image = page_image(data, page, [p.box for p in shown if p.page == page], report.layout == "pdf-ocr")
    st.image(image, width="stretch")
    return True
