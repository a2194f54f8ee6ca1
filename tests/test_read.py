"""Reading files into Documents: each format and encoding from one report, the real PDFs, and bad inputs."""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

import docx
import pytest

from core.errors import ReportError
from core.records import Cell
from core.template import APPLICANTS, TABLE_3, TABLE_4
from core.text import norm, to_traditional
from ingest.parse.clean import clean_text, drop_footers
from ingest.read.document import SUPPORTED, Document, read_document
from tests.render import (
    TEMPLATE_DOCX,
    encodable,
    expected_rows,
    render_docx,
    render_html,
    render_pdf,
    write_encoded,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = ROOT / "tests" / "fixtures"
LIUYANG = (SAMPLES / "liuyang_2023.txt").read_text(encoding="utf-8")
HONGZE = (SAMPLES / "hongze_2023.txt").read_text(encoding="utf-8")
NEW_REQUESTS = "一、本年新收政府信息公开申请数量"


# ---- one report's cells and narrative, taken from the liuyang sample --------------------------


def _liuyang_table_3() -> list[Cell]:
    """Table 三 straight from the flattened web cells: a label line, then its seven number lines."""
    lines = LIUYANG.split("\n")
    start = next(i for i, line in enumerate(lines) if norm(clean_text(line)).startswith("三、收到和处理"))
    end = next(i for i, line in enumerate(lines) if norm(clean_text(line)).startswith("四、政府信息公开行政"))
    numbers: dict[str, list[int]] = {}
    label = ""
    for line in lines[start:end]:
        text = line.replace("|", "").strip()
        if text.isdigit():
            numbers.setdefault(label, []).append(int(text))
        elif text:
            label = text
    leaves = [r for r in TABLE_3.rows if not r.group]
    cells = []
    for label, values in numbers.items():
        key = norm(clean_text(label))
        row = next(r for r in leaves if any(re.search(p, key) for p in r.patterns))
        assert len(values) == 7, label
        cells += [Cell("liuyang_2023", "三", row.path, col, v, "件") for col, v in zip(APPLICANTS, values, strict=True)]
    return cells


def _liuyang_cells() -> list[Cell]:
    t2 = [
        ("第二十条第（一）项/规章", ("本年制发件数", "本年废止件数", "现行有效件数"), (0, 0, 0), "件"),
        ("第二十条第（一）项/行政规范性文件", ("本年制发件数", "本年废止件数", "现行有效件数"), (11, 27, 75), "件"),
        ("第二十条第（五）项/行政许可", ("本年处理决定数量",), (497244,), "件"),
        ("第二十条第（六）项/行政处罚", ("本年处理决定数量",), (93701,), "件"),
        ("第二十条第（六）项/行政强制", ("本年处理决定数量",), (1446,), "件"),
        ("第二十条第（八）项/行政事业性收费", ("本年收费金额（单位：万元）",), (17732.5,), "万元"),
    ]
    cells = [
        Cell("liuyang_2023", "二", row, col, v, unit)
        for row, cols, values, unit in t2
        for col, v in zip(cols, values, strict=True)
    ]
    cells += _liuyang_table_3()
    t4 = (2, 0, 1, 1, 4, 1, 0, 1, 2, 4, 1, 0, 0, 0, 1)
    row4 = TABLE_4.rows[0]
    cells += [Cell("liuyang_2023", "四", row4.path, c, v, "件") for c, v in zip(row4.columns, t4, strict=True)]
    return cells


CELLS = _liuyang_cells()
# Narrative as printed (traditional script with pinyin readings): every line that is not a table cell.
NARRATIVE = [line for line in LIUYANG.split("\n") if line.strip() and "|" not in line]
TITLE, PARAGRAPHS = NARRATIVE[0], NARRATIVE[1:]
# Lines of the tables as an HTML/DOCX reading must give them: label cells once, merged cells once.
ROW_3_FIRST = f"| {NEW_REQUESTS} | 219 | 5 | 0 | 0 | 0 | 0 | 224 |"
ROW_3_WITHHELD = "| （三）不予公开 | 1.属于国家秘密 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |"
ROW_3_WITHHELD_2 = "| 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"
ROW_4 = "|" + "".join(f" {v} |" for v in (2, 0, 1, 1, 4, 1, 0, 1, 2, 4, 1, 0, 0, 0, 1))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Document]:
    tmp = tmp_path_factory.mktemp("rendered")
    return {
        "html": read_document(render_html(TITLE, PARAGRAPHS, CELLS, tmp / "liuyang.html")),
        "docx": read_document(render_docx(TITLE, PARAGRAPHS, CELLS, tmp / "liuyang.docx")),
        "pdf": read_document(render_pdf(TITLE, PARAGRAPHS, CELLS, tmp / "liuyang.pdf")),
    }


def _assert_block(lines: list[str], block: list[str]) -> None:
    """The block's lines appear consecutively, in order."""
    at = lines.index(block[0])
    assert lines[at : at + len(block)] == block


def test_liuyang_cells_were_read():
    assert len(CELLS) == 10 + 25 * 7 + 15


# ---- HTML and DOCX: one line per table row, merged cells once ----------------------------


@pytest.mark.parametrize("layout", ["html", "docx"])
def test_table_rows_in_order_with_merged_cells_once(rendered, layout):
    doc = rendered[layout]
    assert doc.layout == layout
    lines = doc.text.split("\n")
    for table in ("二", "三", "四"):
        _assert_block(lines, expected_rows(table, CELLS))
    # Literal lines, independent of the layout data in render.py.
    assert ROW_3_FIRST in lines
    assert lines[lines.index(ROW_3_WITHHELD) + 1] == ROW_3_WITHHELD_2
    assert lines[lines.index(ROW_3_WITHHELD) - 1].startswith("| （二）部分公开")
    assert "| 三、本年度办理结果 | （一）予以公开 | 86 | 3 | 0 | 0 | 0 | 0 | 89 |" in lines
    assert "| 行政许可 | 497244 |" in lines
    assert "| 行政事业性收费 | 17732.5 |" in lines
    assert "| 行政复议 | 行政诉讼 |" in lines
    assert ROW_4 in lines
    assert sum("三、本年度办理结果" in line for line in lines) == 1  # rowspan over 22 rows, printed once


@pytest.mark.parametrize("layout", ["html", "docx"])
def test_narrative_in_order_around_the_tables(rendered, layout):
    lines = rendered[layout].text.split("\n")
    assert lines[0] == TITLE
    positions = [lines.index(p.strip()) for p in PARAGRAPHS]
    assert positions == sorted(positions)
    heading_3, heading_4 = (next(p for p in PARAGRAPHS if p.startswith(n)) for n in ("三、", "四、"))
    assert lines.index(heading_3) < lines.index(ROW_3_FIRST) < lines.index(heading_4)
    assert "脚本不是正文" not in rendered[layout].text and "注释不是正文" not in rendered[layout].text


@pytest.mark.parametrize("render", [render_html, render_docx])
def test_section_paths_and_canonical_headings(tmp_path, render):
    """Narrative given as (section path, text); the table sections and 五/六 are added in numbering order."""
    narrative = [
        ("", "前言"),
        ("一、总体情况/（一）主动公开", "甲"),
        ("一、总体情况/（一）主动公开", "乙"),
        ("六、其他需要报告的事项", "丙"),
    ]
    cells = [Cell("x", "二", "第二十条第（五）项/行政许可", "本年处理决定数量", 7, "件")]
    lines = read_document(render("某报告", narrative, cells, tmp_path / f"s.{render.__name__[7:]}")).text.split("\n")
    headings = [line for line in lines if re.match(r"^[一二三四五六]、", line)]
    assert lines[:5] == ["某报告", "前言", "一、总体情况", "（一）主动公开", "甲"]
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert "| 行政许可 | 7 |" in lines and "| 行政处罚 |  |" in lines
    assert lines[-1] == "丙"


def test_html_and_docx_read_the_same(rendered):
    assert rendered["html"].text == rendered["docx"].text


def test_docx_template_really_has_merged_cells(rendered):
    # python-docx repeats a merged cell in row.cells; the reader must not.
    table = docx.Document(str(TEMPLATE_DOCX)).tables[1]
    row = table.rows[7]  # （三）不予公开 / 1.属于国家秘密
    assert len(row.cells) == 10
    assert row.cells[0]._tc is table.rows[6].cells[0]._tc  # 三、本年度办理结果, vertically merged
    assert ROW_3_WITHHELD.count("|") - 1 == 9


# ---- PDF ------------------------------------------------------------------------------


def test_rendered_pdf_has_text_layer(rendered):
    doc = rendered["pdf"]
    assert doc.layout == "pdf" and doc.encoding == ""
    lines = doc.text.split("\n")
    assert f"{NEW_REQUESTS} 219 5 0 0 0 0 224" in lines
    assert "（七）总计 205 5 0 0 0 0 210" in lines
    assert "规章 0 0 0" in lines and "行政规范性文件 11 27 75" in lines
    assert " ".join(ROW_4.replace("|", "").split()) in lines
    assert "- 1 -" in lines  # page footers, as real PDFs have
    # The narrative comes back character for character (wrapped lines and footers aside).
    flat = re.sub(r"\s+", "", drop_footers(doc.text))
    for paragraph in PARAGRAPHS:
        assert re.sub(r"\s+", "", paragraph) in flat


@pytest.mark.parametrize("name", ["hongze_2023", "hongze_2024", "huaian_2024"])
def test_real_pdfs(name):
    path = FIXTURES / f"{name}.pdf"
    doc = read_document(path)
    assert doc.layout == "pdf" and doc.encoding == ""
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert NEW_REQUESTS in doc.text
    # The sample .txt copies are these PDFs' text layers: pdfplumber gives them back exactly.
    assert doc.text == (SAMPLES / f"{name}.txt").read_text(encoding="utf-8").rstrip("\n")


def test_hongze_pdf_rows():
    lines = read_document(FIXTURES / "hongze_2023.pdf").text.split("\n")
    assert f"{NEW_REQUESTS} 21 0 0 0 0 0 21" in lines
    assert "行政事业性收费 7730.28" in lines


# ---- text encodings ---------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_liuyang_in_each_encoding(tmp_path, encoding):
    doc = read_document(write_encoded(LIUYANG, tmp_path / "liuyang.txt", encoding))
    assert doc.encoding == encoding
    assert doc.text == LIUYANG
    assert doc.layout == "txt"


def test_big5_traditional_hongze(tmp_path):
    text = encodable(to_traditional(HONGZE), "big5")
    assert len(text) > len(HONGZE) - 10  # only a few variants (爲) are outside Big5
    doc = read_document(write_encoded(text, tmp_path / "hongze.txt", "big5"))
    assert (doc.encoding, doc.text) == ("big5", text)


def test_gb18030_simplified_hongze_as_markdown(tmp_path):
    doc = read_document(write_encoded(HONGZE, tmp_path / "hongze.md", "gb18030"))
    assert (doc.layout, doc.encoding, doc.text) == ("md", "gb18030", HONGZE)


def test_text_is_returned_unchanged(tmp_path):
    text = "報(bào)告\r\n　　第一行\xa0 |\r\n||||\n"
    assert read_document(write_encoded(text, tmp_path / "r.txt", "utf-8")).text == text


def test_real_sample_reads_as_utf8():
    doc = read_document(SAMPLES / "liuyang_2023.txt")
    assert (doc.encoding, doc.text) == ("utf-8", LIUYANG)


@pytest.mark.parametrize("declared", ["gb18030", "utf-8"])
def test_html_in_gb18030(tmp_path, declared, rendered):
    """A GB18030 page is read by its <meta charset>, or detected when the declaration is wrong."""
    path = render_html(TITLE, PARAGRAPHS, CELLS, tmp_path / "page.htm", encoding="gb18030")
    if declared != "gb18030":
        path.write_bytes(path.read_bytes().replace(b'charset="gb18030"', f'charset="{declared}"'.encode()))
    doc = read_document(path)
    assert (doc.layout, doc.encoding) == ("html", "gb18030")
    assert doc.text == rendered["html"].text


# ---- HTML and DOCX details ----------------------------------------------------------------

HTML_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>某区2023年报告</title>
<style>td { color: red }</style></head><body>
<table><tr><td>
  <h2>三、收到和处理政府信息公开申请情况</h2>
  <table border="1">
   <thead><tr><th rowspan="2" colspan="2">申请人情况</th><th colspan="2">法人或其他组织</th></tr>
   <tr><th>商业<br/>企业</th><th>其他</th></tr></thead>
   <tbody><tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td><td>1</td><td></td></tr>
   <tr><td>（二）部分  公开&nbsp;情形</td><td><p>2</p></td><td><span>3</span></td></tr></tbody>
  </table>
  <p>　　文字<b>加粗</b>继续<br>换行</p><!-- 注释 -->
</td></tr></table>
<script>document.write("脚本")</script>
</body></html>"""


def test_html_layout_table_nested_table_and_breaks(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML_PAGE, encoding="utf-8")
    assert read_document(path).text.split("\n") == [
        "某区2023年报告",  # from <title>: the body does not print it
        "三、收到和处理政府信息公开申请情况",
        "| 申请人情况 | 法人或其他组织 |",
        "| 商业 企业 | 其他 |",
        "| 三、本年度办理结果 | （一）予以公开 | 1 |  |",
        "| （二）部分 公开 情形 | 2 | 3 |",
        "文字加粗继续",
        "换行",
    ]


def test_docx_built_with_python_docx_merges(tmp_path):
    d = docx.Document()
    d.add_paragraph("前言")
    t = d.add_table(rows=3, cols=3)
    t.cell(0, 0).merge(t.cell(0, 1)).text = "横向合并"
    t.cell(0, 2).text = "C"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "纵向合并"
    t.cell(1, 1).text, t.cell(1, 2).text, t.cell(2, 1).text = "1", "2", "3"
    d.add_paragraph("中间")
    outer = d.add_table(rows=1, cols=1)  # a layout table holding a data table
    outer.cell(0, 0).paragraphs[0].text = "外层说明"
    inner = outer.cell(0, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text, inner.cell(0, 1).text = "内 层", "9"
    d.add_paragraph("后记")
    d.save(str(tmp_path / "built.docx"))
    doc = read_document(tmp_path / "built.docx")
    assert (doc.layout, doc.encoding) == ("docx", "")
    assert doc.text.split("\n") == [
        "前言",
        "| 横向合并 | C |",
        "| 纵向合并 | 1 | 2 |",
        "| 3 |  |",
        "中间",
        "外层说明",
        "| 内 层 | 9 |",
        "后记",
    ]


def test_docx_tracked_changes_and_smart_tags(tmp_path):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    d = docx.Document()
    p = d.add_paragraph("共收到申请")
    p._p.append(parse_xml(f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t>21</w:t></w:r></w:ins>'))
    p._p.append(parse_xml(f'<w:del {nsdecls("w")} w:id="2" w:author="a"><w:r><w:delText>12</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(f'<w:smartTag {nsdecls("w")} w:uri="u" w:element="e"><w:r><w:t>件</w:t></w:r></w:smartTag>'))
    d.save(str(tmp_path / "tracked.docx"))
    assert read_document(tmp_path / "tracked.docx").text == "共收到申请21件"


# ---- bad inputs ---------------------------------------------------------------------------


def _bad(path: Path, data: bytes | None) -> ReportError:
    if data is not None:
        path.write_bytes(data)
    with pytest.raises(ReportError) as info:
        read_document(path)
    assert path.name in str(info.value)
    assert info.value.where == path.name and info.value.hint
    return info.value


def _scanned_pdf(path: Path) -> bytes:
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.rect(50, 50, 400, 600, fill=1)  # an "image" of a page, no text
    c.save()
    return path.read_bytes()


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("empty.txt", b"", "为空"),
        ("blank.txt", b"  \r\n\t \n", "为空"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
        ("random.txt", random.Random(7).randbytes(4096), "二进制"),
        ("noisy.txt", bytes(range(1, 32)) * 50, "二进制"),
        ("latin.txt", bytes(range(0x80, 0x100)) * 8, "编码"),
        ("report.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "不支持"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage\n%%EOF", "PDF 文件已损坏"),
        ("fake.pdf", b"<html>not a pdf</html>", "不是 PDF"),
        ("broken.docx", b"PK\x03\x04" + b"garbage" * 20, "DOCX 文件已损坏"),
        ("old.docx", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, ".doc"),
        ("empty.pdf", b"", "为空"),
        ("image.html", b"\x89PNG\r\n\x1a\n\x00\x00", "PNG"),
    ],
)
def test_bad_inputs(tmp_path, name, data, words):
    assert words in str(_bad(tmp_path / name, data))


def test_truncated_pdf(tmp_path):
    _bad(tmp_path / "cut.pdf", (FIXTURES / "hongze_2023.pdf").read_bytes()[:3000])


def test_scanned_pdf(tmp_path):
    path = tmp_path / "scan.pdf"
    err = _bad(path, _scanned_pdf(path))
    assert "没有文字层" in err.message and "OCR" in err.hint


def test_missing_path_and_directory(tmp_path):
    assert "找不到文件" in str(_bad(tmp_path / "nowhere.txt", None))
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    _bad(folder, None)


def test_supported():
    assert SUPPORTED == (".txt", ".md", ".html", ".htm", ".pdf", ".docx")
