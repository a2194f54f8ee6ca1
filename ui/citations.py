"""Citations → escaped HTML readable in place: cited table rows with the cells marked, or the quoted paragraph."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import quote as url_quote

from core.records import Cell, Citation, Report
from qa.labels import shown_name
from store import Store
from ui.original import link_html, offered
from ui.safe import esc, highlight
from ui.table_view import UNKNOWN, fmt, label, thead, title, unknown_note, value_td


def report_name(report: Report | None, fallback: str = "") -> str:
    """“浏阳市人民政府 2023年度报告” for people; the id when the report is gone."""
    if report is None:
        return fallback
    name = shown_name(report.agency)  # a printed OCR slip with the right name beside it
    return f"{name} {report.year}年度报告" if report.year else name


def provenance_html(report: Report | None) -> str:
    """The one line under a citation saying where its report came from: “来源：xx.pdf · 2026-11-30 导入”, with a link
    to the page it was published on when staff gave one (http/https only, checked at ingest)."""
    if report is None:
        return '<div class="cite-prov">来源报告已被移除，此出处不再有效。</div>'
    link = (f' · <a href="{esc(report.source_url)}" target="_blank" rel="noopener noreferrer nofollow">原文网页</a>'
            if report.source_url.startswith(("https://", "http://")) else "")
    return f'<div class="cite-prov">{esc(report.provenance())}{link}</div>'


def figure(c: Citation) -> str:
    """“（一）予以公开｜总计 = 89 件” (or 无法确定 with the reason): the cited value in one line."""
    where = f"{label(c.row)}｜{label(c.column)}"
    if c.value is None:
        return f"{where}：{UNKNOWN}" + (f"（{c.note}）" if c.note else "")
    return f"{where} = {fmt(c.value)} {c.unit}"


def _as_cell(c: Citation) -> Cell:
    return Cell(c.report, c.table, c.row, c.column, c.value, c.unit, note=c.note)


def _common(paths: Sequence[str]) -> str:
    """The group path shared by all rows ("三、本年度办理结果/（三）不予公开"), "" when they share none."""
    parts = [p.split("/")[:-1] for p in paths]
    common = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return "/".join(common) if len(paths) > 1 else ""


def card_link(report: str) -> str:
    """A link from a citation to its report's card (ui.card), in a new tab: the conversation stays open."""
    return f' · <a class="card-link" href="?card={esc(url_quote(report))}" target="_blank">报告概况</a>'


def cells_html(cited: Sequence[Citation], rows: Sequence[Sequence[Cell]], source: str, origin: str = "",
               pages: str = "") -> str:
    """Cited cells of one table of one report: each cited row whole (labels, every column), cited cells marked;
    `pages`: links to the original's pages with the rows marked (original_links)."""
    rows = [list(row) or [_as_cell(c)] for c, row in zip(cited, rows, strict=True)]
    rows = list({row[0].row: row for row in rows}.values())
    columns = [x.column for x in rows[0]]
    hits = {(c.row, c.column) for c in cited}
    group = _common([row[0].row for row in rows])
    body = [f'<tr class="group"><th colspan="{len(columns) + 1}">{esc(label(group))}</th></tr>'] if group else []
    for row in rows:
        name = row[0].row[len(group) + 1:] if group else row[0].row
        tds = "".join(value_td(x, hit=(x.row, x.column) in hits) for x in row)
        body.append(f'<tr><th class="{"d1" if group else "d0"}">{esc(label(name))}</th>{tds}</tr>')
    figures = f'<div class="cite-fig"><mark>{esc("；".join(figure(c) for c in cited))}</mark></div>' \
        if len(cited) <= 2 else ""
    units = "、".join(dict.fromkeys(c.unit or "件" for c in cited))
    return (f'<div class="cite cite-cell"><div class="cite-src">表格出处：{esc(source)} · {esc(title(cited[0].table))}'
            f'{card_link(cited[0].report)}{pages}</div>{figures}<div class="cite-tables">'
            f'<div class="scroll"><table class="report-table cite-row"><thead>{thead(columns)}</thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>{_narrow(rows, hits, group)}</div>'
            f'<div class="units">单位：{esc(units)}</div>'
            f"{unknown_note(_as_cell(c) for c in cited if len(cited) > 2)}{origin}</div>")


def _narrow(rows: Sequence[Sequence[Cell]], hits: set[tuple[str, str]], group: str) -> str:
    """The cited cells alone under their column headers, shown first on a phone-width screen (style.py), where the
    whole row would push a cited 总计 off screen; the whole row stays below, scrolling sideways."""
    cited = {c for _, c in hits}
    columns = [x.column for x in rows[0] if x.column in cited] + sorted(cited - {x.column for x in rows[0]})
    body = []
    for row in rows:
        by_column = {x.column: x for x in row}
        if not any((row[0].row, c) in hits for c in columns):
            continue
        name = row[0].row[len(group) + 1:] if group else row[0].row
        tds = "".join(value_td(by_column.get(c), hit=(row[0].row, c) in hits) for c in columns)
        body.append(f'<tr><th class="d0">{esc(label(name))}</th>{tds}</tr>')
    return (f'<div class="cite-narrow"><table class="report-table"><thead>{thead(columns)}</thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def cell_html(c: Citation, row: Sequence[Cell], source: str, origin: str = "") -> str:
    """One cited cell with its whole row; `origin` is the report's provenance line (provenance_html)."""
    return cells_html([c], [row], source, origin)


def paragraph_html(c: Citation, source: str, origin: str = "", pages: str = "") -> str:
    """The quoted paragraph with its section path; the answering sentence marked; `pages` as for cells_html."""
    body, found = highlight(c.text, c.quote)
    quote = "" if found or not c.quote else f'<div class="cite-quote"><mark>{esc(c.quote)}</mark></div>'
    where = label(c.section) or "正文"
    head = f"原文出处：{source} · {where} · 第{c.paragraph}段"
    return (f'<div class="cite cite-para"><div class="cite-src">{esc(head)}{card_link(c.report)}{pages}</div>{quote}'
            f'<blockquote class="cite-text">{body}</blockquote>{origin}</div>')


def citations_html(citations: Sequence[Citation], store: Store) -> list[str]:
    """One block per paragraph, and one per report table for cells (rows with the same columns share a header)."""
    names: dict[str, str] = {}
    origins: dict[str, str] = {}
    places: dict[str, dict] = {}  # a PDF report's rows and paragraphs on its original pages
    groups: dict[tuple, tuple[list[Citation], list[list[Cell]]]] = {}
    for i, c in enumerate(citations):
        if c.report not in names:
            report = store.report(c.report)
            names[c.report], origins[c.report] = report_name(report, c.report), provenance_html(report)
            places[c.report] = store.places(c.report) if offered(report) else {}
        if c.type != "cell":
            groups[("p", i)] = ([c], [])
            continue
        row = store.cells(report=c.report, table=c.table, row=c.row)
        key = ("c", c.report, c.table, tuple(x.column for x in row) or (c.column,))
        cited, rows = groups.setdefault(key, ([], []))
        cited.append(c)
        rows.append(row)
    return [cells_html(cited, rows, names[cited[0].report], origins[cited[0].report],
                       original_links(cited, places[cited[0].report])) if key[0] == "c"
            else paragraph_html(cited[0], names[cited[0].report], origins[cited[0].report],
                                original_links(cited, places[cited[0].report]))
            for key, (cited, rows) in groups.items()]


def original_links(cited: Sequence[Citation], places: dict) -> str:
    """“查看原件第N页” for each cited row or paragraph placed on the original's pages (one per row), else ""."""
    seen = dict.fromkeys(c.place for c in cited)
    first = {c.place: c for c in reversed(cited)}
    named = len(seen) > 1
    return "".join(link_html(first[k].report, first[k], places.get(k, ()),
                             label(first[k].row.split("/")[-1]) if named else "") for k in seen)
