"""Test helper: a report the repo holds as text → the web page it was published as (its three tables in the national
layout, with borders) → a PDF printed by Debian's headless Chromium in one of several typesettings (font size, table
width, cell padding: where the pages break inside a table follows). Offline: a local file, no fetching.

These are the held-out layouts of issue 22: other bodies, another font (WenQuanYi Micro Hei, not the Jiangsu
fixtures' Song), other table drawings; bench/ocr_scan.py --held-out scans them all, tests/test_scan_heldout.py one."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from core.template import PREAMBLE
from tests.render import FIXTURES, render_html

SAMPLES = FIXTURES.parent.parent / "samples"
DEPARTMENTS = FIXTURES / "departments"


@dataclass(frozen=True)
class Typeset:
    name: str
    font_pt: float  # body and table text
    table_width: str  # CSS width of every table: "100%" stretches the columns, "auto" keeps them to their text
    pad_px: int  # cell padding: row height, hence where table 三 breaks across pages
    margin_mm: int = 20  # page margins


@dataclass(frozen=True)
class HeldOut:
    name: str  # file stem under samples/ or tests/fixtures/departments/
    body: str  # what kind of body publishes it
    typeset: Typeset

    @property
    def source(self) -> Path:
        own = DEPARTMENTS / f"{self.name}.txt"
        return own if own.exists() else SAMPLES / f"{self.name}.txt"


HELD_OUT = (
    HeldOut("pingtan_jingjifazhan_2022", "department (经济发展局)", Typeset("9pt-wide", 9, "100%", 2)),
    HeldOut("pingtan_junshan_2021", "片区管理局", Typeset("12pt-auto", 12, "auto", 3, 15)),
    HeldOut("pingtan_2022", "general office (管委会办公室)", Typeset("10.5pt-wide", 10.5, "100%", 6)),
    HeldOut("liuyang_2023", "county-level city government", Typeset("11pt-narrow", 11, "88%", 4, 25)),
    HeldOut("shuyang_2025", "county government", Typeset("10pt-auto", 10, "auto", 1)),
)


def report_parts(source: Path) -> tuple[str, list[tuple[str, str]], list]:
    """A text copy → its title, narrative (section path, paragraph) and cells, as the pipeline reads them."""
    from ingest.parse.clean import clean_text
    from ingest.parse.metadata import metadata
    from ingest.parse.sections import paragraphs
    from ingest.parse.tables import parse_tables
    from ingest.read.document import read_document

    text = clean_text(read_document(source).text)
    title = metadata(text, source.name).get("title") or source.stem
    narrative = []
    for p in paragraphs("r", text):
        section = "" if p.section.startswith(PREAMBLE) else p.section
        words = p.text
        if section.startswith(_TABLE_PARTS) and "。" in words:
            words = words[: words.rindex("。") + 1]  # a flattened copy's table text after the part's sentences
        if words.strip() and words.strip() != title:  # the title repeated as the first line
            narrative.append((section, words))
    return title, narrative, parse_tables(text, "r")[0]


_TABLE_PARTS = ("二、", "三、", "四、")


def css(t: Typeset) -> str:
    return (f"@page{{size:A4;margin:{t.margin_mm}mm}}"
            f"body{{font-family:'WenQuanYi Micro Hei',sans-serif;font-size:{t.font_pt}pt;line-height:1.6}}"
            f"h1{{font-size:{t.font_pt * 1.6}pt;text-align:center}}h2,h3{{font-size:{t.font_pt * 1.1}pt}}"
            f"p{{text-indent:2em;margin:0.3em 0}}"
            f"table{{width:{t.table_width};margin:0.5em 0}}"
            f"td{{font-size:{t.font_pt}pt;padding:{t.pad_px}px 3px;text-align:center}}")


def chromium_pdf(html: Path, pdf: Path) -> Path:
    """Print a local HTML file to PDF with Debian's headless Chromium (no header or footer lines)."""
    exe = shutil.which("chromium")
    if exe is None:
        raise FileNotFoundError("chromium")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([exe, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                        "--no-pdf-header-footer", f"--print-to-pdf={pdf}", html.resolve().as_uri()],
                       check=True, capture_output=True, timeout=120)
    return pdf


def printed(report: HeldOut, folder: Path) -> Path:
    """The held-out report as a printed PDF with a text layer, in its own typesetting."""
    title, narrative, cells = report_parts(report.source)
    page = render_html(title, narrative, cells, folder / f"{report.name}.html", css=css(report.typeset))
    return chromium_pdf(page, folder / f"{report.name}.pdf")
