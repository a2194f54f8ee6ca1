"""One report in every format gives the same cells: HTML (rowspan/colspan), DOCX (the national template), PDF."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.parse.clean import clean_text
from ingest.parse.sections import paragraphs
from ingest.parse.tables import parse_tables
from ingest.read.document import read_document
from store import Store
from tests.conftest import FIXTURES, SAMPLES
from tests.render import encodable, render_docx, render_html, render_pdf, write_encoded


def cells_of(path: Path, name: str = "r"):
    cells, findings = parse_tables(clean_text(read_document(path).text), name)
    return {(c.table, c.row, c.column): c.value for c in cells}, findings


@pytest.fixture(scope="module")
def liuyang():
    text = clean_text((SAMPLES / "liuyang_2023.txt").read_text(encoding="utf-8"))
    cells, _ = parse_tables(text, "r")
    narrative = [(p.section, p.text) for p in paragraphs("r", text)]
    return cells, narrative


@pytest.mark.parametrize("render,suffix", [(render_html, ".html"), (render_docx, ".docx"), (render_pdf, ".pdf")])
def test_rendered_report_gives_the_same_cells(tmp_path, liuyang, render, suffix):
    cells, narrative = liuyang
    path = render("浏阳市人民政府2023年政府信息公开工作年度报告", narrative, cells, tmp_path / f"liuyang{suffix}")
    got, findings = cells_of(path)
    assert findings == []
    assert got == {(c.table, c.row, c.column): c.value for c in cells}
    assert len(got) == 200


@pytest.mark.parametrize("name", ["hongze_2023", "hongze_2024", "huaian_2024"])
def test_original_pdf_matches_its_text_copy(name):
    from_pdf, _ = cells_of(FIXTURES / f"{name}.pdf")
    from_txt, _ = cells_of(SAMPLES / f"{name}.txt")
    assert from_pdf == from_txt and len(from_pdf) >= 186


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "big5"])
def test_encodings_give_the_same_cells(tmp_path, encoding):
    source = SAMPLES / ("hongze_2024.txt" if encoding == "big5" else "liuyang_2023.txt")
    text = source.read_text(encoding="utf-8")
    if encoding == "big5":
        from core.text import to_traditional

        text = encodable(to_traditional(text), "big5")  # 爲 and a few others have no Big5 code
    path = write_encoded(text, tmp_path / f"copy_{encoding}.txt", encoding)
    assert cells_of(path)[0] == cells_of(source)[0]


def test_empty_template_is_not_a_report(tmp_path):
    from ingest.index.embed import get_embedder
    from ingest.index.vectors import NarrativeIndex
    from ingest.pipeline import ingest_paths

    store = Store(tmp_path)
    [outcome] = ingest_paths([FIXTURES / "template_blank.docx"], store, NarrativeIndex(tmp_path, get_embedder(None)))
    assert outcome.status == "failed" and "template_blank.docx" in outcome.error
    assert store.reports() == []
