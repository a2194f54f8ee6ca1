"""Test helpers: render one report (title, narrative, table cells) into HTML, DOCX, PDF and legacy text encodings."""

from __future__ import annotations

import copy
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from core.records import Cell
from core.template import (
    APPLICANTS,
    DECISIONS,
    DOCS,
    FEES,
    ITEM_1,
    ITEM_5,
    ITEM_6,
    ITEM_8,
    OUTCOMES,
    TABLE_3,
    TABLE_4,
)
from core.text import norm

FIXTURES = Path(__file__).parent / "fixtures"
TEMPLATE_DOCX = FIXTURES / "template_blank.docx"

# Narrative: plain lines (headings recognised by their numbering) or (section path, text) pairs,
# where the section path is "一、总体情况/（一）主动公开" and "" means the preface.
Narrative = Sequence[str | tuple[str, str]]


# ---- the national table layout, with its merged cells -----------------------------------


@dataclass(frozen=True)
class Span:
    """A label or header cell; "\\n" is a line break inside the cell (as the DOCX template has)."""

    text: str
    rows: int = 1
    cols: int = 1


@dataclass(frozen=True)
class LayoutRow:
    labels: tuple[Span, ...]  # label/header cells, printed before the values
    row: str = ""  # canonical row path of the values that follow; "" for a header row
    columns: tuple[str, ...] = ()  # canonical column paths of those values, in printed order
    value_cols: int = 1  # grid columns each value cell spans


@dataclass(frozen=True)
class Layout:
    table: str  # "二" | "三" | "四"
    heading: str  # the section heading printed above the table
    widths: tuple[float, ...]  # grid column widths in PDF points (sum = text width of A4 with 50pt margins)
    rows: tuple[LayoutRow, ...]
    docx_index: int  # position of this table in template_blank.docx; its rows match `rows` one to one


def _s(*texts: str) -> tuple[Span, ...]:
    return tuple(Span(t) for t in texts)


_NAME = "信息内容"
LAYOUT_2 = Layout(
    "二",
    "二、主动公开政府信息情况",
    (147.0, 116.0, 116.0, 116.0),
    (
        LayoutRow((Span(ITEM_1, cols=4),)),
        LayoutRow(_s(_NAME, *DOCS)),
        LayoutRow(_s("规章"), f"{ITEM_1}/规章", DOCS),
        LayoutRow(_s("行政规范性文件"), f"{ITEM_1}/行政规范性文件", DOCS),
        LayoutRow((Span(ITEM_5, cols=4),)),
        LayoutRow((Span(_NAME), Span(DECISIONS[0], cols=3))),
        LayoutRow(_s("行政许可"), f"{ITEM_5}/行政许可", DECISIONS, 3),
        LayoutRow((Span(ITEM_6, cols=4),)),
        LayoutRow((Span(_NAME), Span(DECISIONS[0], cols=3))),
        LayoutRow(_s("行政处罚"), f"{ITEM_6}/行政处罚", DECISIONS, 3),
        LayoutRow(_s("行政强制"), f"{ITEM_6}/行政强制", DECISIONS, 3),
        LayoutRow((Span(ITEM_8, cols=4),)),
        LayoutRow((Span(_NAME), Span(FEES, cols=3))),
        LayoutRow(_s("行政事业性收费"), f"{ITEM_8}/行政事业性收费", (FEES,), 3),
    ),
    docx_index=0,
)

_NOTE_3 = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def _layout_3_rows() -> tuple[LayoutRow, ...]:
    """Table 三 from the canonical row paths: a group label spans the rows of its leaves (rowspan),
    and a leaf fills the label columns its ancestors leave free (colspan), as in the template."""
    head = (
        LayoutRow((Span(_NOTE_3, rows=3, cols=3), Span("申请人情况", cols=7))),
        LayoutRow((Span("自然人", rows=2), Span("法人或其他组织", cols=5), Span("总计", rows=2))),
        LayoutRow(_s("商业\n企业", "科研\n机构", "社会公益组织", "法律服务机构", "其他")),
    )
    leaves = [r.path for r in TABLE_3.rows if not r.group]
    label_cols = 3
    body = []
    for path in leaves:
        parts = path.split("/")
        labels = []
        for depth in range(len(parts) - 1):
            group = "/".join(parts[: depth + 1])
            under = [p for p in leaves if p.startswith(group + "/")]
            if under[0] == path:  # the group label starts at its first leaf
                labels.append(Span(parts[depth], rows=len(under)))
        labels.append(Span(parts[-1], cols=label_cols - (len(parts) - 1)))
        body.append(LayoutRow(tuple(labels), path, APPLICANTS))
    return head + tuple(body)


LAYOUT_3 = Layout(
    "三",
    "三、收到和处理政府信息公开申请情况",
    (22.0, 50.0, 199.0, *(32.0,) * 7),
    _layout_3_rows(),
    docx_index=1,
)

_O1 = ("结果\n维持", "结果\n纠正", "其他\n结果", "尚未\n审结", "总计")
LAYOUT_4 = Layout(
    "四",
    "四、政府信息公开行政复议、行政诉讼情况",
    (33.0,) * 15,
    (
        LayoutRow((Span("行政复议", cols=5), Span("行政诉讼", cols=10))),
        LayoutRow(
            (
                *(Span(t, rows=2) for t in ("结果维持", *_O1[1:])),
                Span("未经复议直接起诉", cols=5),
                Span("复议后起诉", cols=5),
            )
        ),
        LayoutRow(_s(*_O1, *_O1)),
        LayoutRow((), TABLE_4.rows[0].path, TABLE_4.rows[0].columns),
    ),
    docx_index=2,
)

LAYOUTS = (LAYOUT_2, LAYOUT_3, LAYOUT_4)
TAIL_HEADINGS = ("五、存在的主要问题及改进情况", "六、其他需要报告的事项")
assert OUTCOMES == ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")  # _O1 spells them with breaks


def format_value(value: float | int | None) -> str:
    """A cell value as a report prints it: 17732, 7730.28; unknown → empty cell."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _values(cells: Iterable[Cell]) -> dict[tuple[str, str, str], str]:
    return {(c.table, c.row, c.column): format_value(c.value) for c in cells}


def _row_values(layout: Layout, row: LayoutRow, values: dict[tuple[str, str, str], str]) -> list[str]:
    return [values.get((layout.table, row.row, col), "") for col in row.columns]


def expected_rows(table: str, cells: Iterable[Cell]) -> list[str]:
    """The `| a | b |` lines that read_document should give for this table of an HTML or DOCX rendering."""
    layout = next(lay for lay in LAYOUTS if lay.table == table)
    values = _values(cells)
    out = []
    for row in layout.rows:
        texts = [" ".join(s.text.split()) for s in row.labels] + _row_values(layout, row, values)
        out.append("| " + " | ".join(texts) + " |")
    return out


def _grid(layout: Layout, values: dict[tuple[str, str, str], str]) -> list[list[tuple[int, int, Span | str]]]:
    """Place every physical cell on the grid: per row, (column, colspan, cell) after earlier rowspans."""
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(layout.rows):
        placed = []
        col = 0
        items: list[Span | str] = [*row.labels, *_row_values(layout, row, values)]
        for item in items:
            span = item if isinstance(item, Span) else Span(item, cols=row.value_cols)
            while (r, col) in taken:
                col += 1
            for dr in range(span.rows):
                for dc in range(span.cols):
                    taken.add((r + dr, col + dc))
            placed.append((col, span.cols, item))
            col += span.cols
        out.append(placed)
    return out


# ---- narrative ----------------------------------------------------------------------------

_TOP = re.compile(r"^\s*([一二三四五六七八九十]+)、")
_SUB = re.compile(r"^\s*[（(][一二三四五六七八九十]+[）)]")
_NUMERALS = "一二三四五六七八九十"


@dataclass
class _Section:
    heading: str  # "" for the preface
    blocks: list[tuple[int, str]]  # (3, sub-heading) | (0, paragraph)
    table: Layout | None = None


def _is_heading(line: str, pattern: re.Pattern) -> bool:
    return bool(pattern.match(line)) and len(line) <= 40 and "。" not in line.rstrip("。")


def _sections(paragraphs: Narrative) -> list[_Section]:
    """Narrative → sections in order, with the table sections 二/三/四 and the closing 五/六 always present."""
    sections = [_Section("", [])]
    sub = ""
    for item in paragraphs:
        if isinstance(item, str):
            line = item.strip()
            if _is_heading(line, _TOP):
                sections.append(_Section(line, []))
            elif _is_heading(line, _SUB):
                sections[-1].blocks.append((3, line))
            elif line:
                sections[-1].blocks.append((0, line))
            continue
        path, text = item
        parts = [p for p in path.split("/") if p]
        top = parts[0] if parts else ""
        if top != sections[-1].heading:
            sections.append(_Section(top, []))
            sub = ""
        if len(parts) > 1 and parts[1] != sub:
            sub = parts[1]
            sections[-1].blocks.append((3, sub))
        sections[-1].blocks.append((0, text))

    def numeral(heading: str) -> int:
        m = _TOP.match(heading)
        return _NUMERALS.index(m.group(1)[-1]) + 1 if m and len(m.group(1)) == 1 else 0

    for heading in (*(lay.heading for lay in LAYOUTS), *TAIL_HEADINGS):
        n = numeral(heading)
        if any(numeral(s.heading) == n for s in sections):
            continue
        at = next((i for i, s in enumerate(sections) if numeral(s.heading) > n), len(sections))
        sections.insert(at, _Section(heading, []))
    for s in sections:
        s.table = next((lay for lay in LAYOUTS if numeral(lay.heading) == numeral(s.heading) != 0), None)
    return sections


# ---- HTML ---------------------------------------------------------------------------------


def render_html(title: str, paragraphs: Narrative, cells: Iterable[Cell], path: Path, encoding: str = "utf-8",
                css: str = "") -> Path:
    """An HTML page with the three tables in the national layout, merged cells as real rowspan/colspan.

    `encoding` is both declared in <meta charset> and used for the bytes (e.g. "gb18030"); `css` is added to the
    page's style (a printed copy's font size and column widths: tests/printed.py)."""
    values = _values(cells)
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        f'<html lang="zh-CN"><head><meta charset="{e(encoding)}"><title>{e(title)}</title>',
        "<style>table{border-collapse:collapse}td,th{border:1px solid #000;padding:2px 4px}" + css + "</style>",
        "</head><body>",
        "<script>var tracker = '脚本不是正文';</script><style>p{margin:0}</style><!-- 注释不是正文 -->",
        '<div class="content">',
        f"<h1>{e(title)}</h1>",
    ]
    for section in _sections(paragraphs):
        if section.heading:
            out.append(f"<h2>{e(section.heading)}</h2>")
        for level, text in section.blocks:
            out.append(f"<h3>{e(text)}</h3>" if level == 3 else f"<p>{e(text)}</p>")
        if section.table is not None:
            out.append(_html_table(section.table, values))
    out.append("</div></body></html>")
    path = Path(path)
    path.write_bytes("\n".join(out).encode(encoding))
    return path


def _html_table(layout: Layout, values: dict[tuple[str, str, str], str]) -> str:
    rows = []
    for row in layout.rows:
        tds = []
        for span in row.labels:
            attrs = (f' rowspan="{span.rows}"' if span.rows > 1 else "") + (
                f' colspan="{span.cols}"' if span.cols > 1 else ""
            )
            text = "<br>".join(html.escape(t) for t in span.text.split("\n"))
            tds.append(f"<td{attrs}>{text}</td>")
        colspan = f' colspan="{row.value_cols}"' if row.value_cols > 1 else ""
        tds.extend(f"<td{colspan}>{html.escape(v)}</td>" for v in _row_values(layout, row, values))
        rows.append("<tr>" + "".join(tds) + "</tr>")
    return '<table border="1"><tbody>\n' + "\n".join(rows) + "\n</tbody></table>"


# ---- DOCX ---------------------------------------------------------------------------------


def render_docx(
    title: str, paragraphs: Narrative, cells: Iterable[Cell], path: Path, template: Path = TEMPLATE_DOCX
) -> Path:
    """Fill the national template (a copy): values into its empty table cells, narrative as its paragraphs."""
    import docx
    from docx.oxml.ns import qn

    values = _values(cells)
    document = docx.Document(str(template))
    body = document.element.body
    tables = body.findall(qn("w:tbl"))
    paras = body.findall(qn("w:p"))
    # Prototype paragraphs keep the template's fonts and indents: title, bold heading, body text.
    proto_title = next(p for p in paras if _docx_text(p).startswith("政府信息公开"))
    proto_head = next(p for p in paras if _docx_text(p) == "一、总体情况")
    proto_text = next(p for p in paras if _docx_text(p) == "（文字描述）")
    protos = {
        1: copy.deepcopy(proto_title),
        2: copy.deepcopy(proto_head),
        3: copy.deepcopy(proto_head),
        0: copy.deepcopy(proto_text),
    }
    proto_blank = copy.deepcopy(proto_text)
    _set_paragraph_text(proto_blank, "")

    for layout in LAYOUTS:
        _fill_docx_table(tables[layout.docx_index], layout, values)

    # Rebuild the body in order: paragraphs from the prototypes, the filled tables where they belong.
    sect = body.find(qn("w:sectPr"))
    for child in list(body):
        if child is not sect:
            body.remove(child)
    blocks = [_docx_para(protos[1], title)]
    for section in _sections(paragraphs):
        if section.heading:
            blocks.append(_docx_para(protos[2], section.heading))
        blocks.extend(_docx_para(protos[level], text) for level, text in section.blocks)
        if section.table is not None:
            blocks.append(tables[section.table.docx_index])
            blocks.append(copy.deepcopy(proto_blank))  # Word needs a paragraph between tables
    for block in blocks:
        if sect is not None:
            sect.addprevious(block)
        else:
            body.append(block)
    path = Path(path)
    document.save(str(path))
    return path


def _docx_text(element) -> str:
    # lxml's itertext() repeats run text on python-docx's element classes; read the w:t nodes instead.
    from docx.oxml.ns import qn

    return "".join(t.text or "" for t in element.iter(qn("w:t"))).strip()


def _docx_para(proto, text: str):
    p = copy.deepcopy(proto)
    _set_paragraph_text(p, text)
    return p


def _set_paragraph_text(p, text: str) -> None:
    """Replace a paragraph's runs by one run with the text, keeping the first run's formatting."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    runs = p.findall(qn("w:r"))
    rpr = copy.deepcopy(runs[0].find(qn("w:rPr"))) if runs and runs[0].find(qn("w:rPr")) is not None else None
    if rpr is None:  # an empty paragraph keeps its run formatting on the paragraph mark
        mark = p.find(qn("w:pPr"))
        mark = mark.find(qn("w:rPr")) if mark is not None else None
        rpr = copy.deepcopy(mark) if mark is not None else None
    for child in list(p):
        if child.tag != qn("w:pPr"):
            p.remove(child)
    if not text:
        return
    run = OxmlElement("w:r")
    if rpr is not None:
        run.append(rpr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    p.append(run)


def _fill_docx_table(tbl, layout: Layout, values: dict[tuple[str, str, str], str]) -> None:
    from docx.oxml.ns import qn

    rows = tbl.findall(qn("w:tr"))
    if len(rows) != len(layout.rows):
        raise ValueError(f"template table {layout.table} has {len(rows)} rows, layout has {len(layout.rows)}")
    for tr, row in zip(rows, layout.rows, strict=True):
        tcs = tr.findall(qn("w:tc"))
        if row.labels:
            # A guard against a template whose rows do not match the layout (the mapping is by position).
            printed = norm(_docx_text(tr))
            leaf = norm(row.labels[-1].text)
            if leaf not in printed:
                raise ValueError(f"template table {layout.table}: expected {leaf!r} in row {printed!r}")
        if not row.row:
            continue
        texts = _row_values(layout, row, values)
        for tc, text in zip(tcs[len(tcs) - len(texts) :], texts, strict=True):
            paras = tc.findall(qn("w:p"))
            for extra in paras[1:]:
                tc.remove(extra)
            _set_paragraph_text(paras[0], text)


# ---- PDF ----------------------------------------------------------------------------------

_PDF_FONT = "STSong-Light"  # an Adobe CID font the PDF names without embedding: no font file is needed


def render_pdf(title: str, paragraphs: Narrative, cells: Iterable[Cell], path: Path) -> Path:
    """A PDF with a real text layer: narrative and the three tables drawn as grids with merged cells.

    Its text layer reads like a real report's: short rows as "label n n n", long labels wrapped,
    a page footer "- n -" on every page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont(_PDF_FONT))
    values = _values(cells)

    def style(name: str, size: float, **kw) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=_PDF_FONT, fontSize=size, leading=size * 1.5, wordWrap="CJK", **kw)

    styles = {
        1: style("title", 16, alignment=1, spaceAfter=12),
        2: style("h2", 12, spaceBefore=6, spaceAfter=4),
        3: style("h3", 10.5, firstLineIndent=21),
        0: style("body", 10.5, firstLineIndent=21),
        "cell": style("cell", 7.5, alignment=1),  # 7.5pt: "结果维持" fits the 33pt columns of table 四
    }
    story = [Paragraph(_xml(title), styles[1])]
    for section in _sections(paragraphs):
        if section.heading:
            story.append(Paragraph(_xml(section.heading), styles[2]))
        story.extend(Paragraph(_xml(text), styles[level]) for level, text in section.blocks)
        if section.table is not None:
            story.append(_pdf_table(section.table, values, styles["cell"]))
            story.append(Spacer(1, 8))

    def footer(canvas, doc) -> None:
        canvas.setFont(_PDF_FONT, 9)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {doc.page} -")

    path = Path(path)
    doc = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=50, rightMargin=50, topMargin=50, bottomMargin=50, title=title
    )
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return path


def _xml(text: str) -> str:
    return html.escape(text, quote=False)


def _pdf_table(layout: Layout, values: dict[tuple[str, str, str], str], cell_style):
    from reportlab.platypus import Paragraph, Table, TableStyle

    n_cols = len(layout.widths)
    data: list[list] = [["" for _ in range(n_cols)] for _ in layout.rows]
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), _PDF_FONT, 7.5),
        ("GRID", (0, 0), (-1, -1), 0.5, (0, 0, 0)),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 1),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1),
    ]
    for r, placed in enumerate(_grid(layout, values)):
        for col, cols, item in placed:
            if isinstance(item, Span):
                data[r][col] = Paragraph("<br/>".join(_xml(t) for t in item.text.split("\n")), cell_style)
                if item.rows > 1 or item.cols > 1:
                    commands.append(("SPAN", (col, r), (col + item.cols - 1, r + item.rows - 1)))
            else:
                data[r][col] = item
                if cols > 1:
                    commands.append(("SPAN", (col, r), (col + cols - 1, r)))
    return Table(data, colWidths=list(layout.widths), style=TableStyle(commands), repeatRows=0)


# ---- text encodings -----------------------------------------------------------------------


def encodable(text: str, encoding: str) -> str:
    """The text without the characters the encoding cannot represent (Big5 lacks e.g. 爲 and pinyin tone letters)."""
    return "".join(ch for ch in text if _encodes(ch, encoding))


def _encodes(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def write_encoded(text: str, path: Path, encoding: str) -> Path:
    """Write text as bytes in "utf-8", "utf-8-sig" (with BOM), "gb18030", "big5"… ; fails on unencodable text."""
    path = Path(path)
    path.write_bytes(text.encode(encoding))
    return path
