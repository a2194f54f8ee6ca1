"""One report → its card: who and when, headline figures (each a cited cell), the findings, the tables as printed."""

from __future__ import annotations

import streamlit as st

from core.records import Citation, Report
from core.template import APPEAL_GROUPS, RESULTS, TABLE_4, TOTAL_COLUMN
from core.vocabulary import DONE, NEW
from qa.figures import Figures, Value
from qa.intent import Measure
from qa.labels import amount, number, percent, shown_name
from qa.scope import Catalog
from store import Store
from ui.citations import citations_html, provenance_html
from ui.safe import esc, md_escape
from ui.staff.view import checks_view, tables_view
from ui.table_view import label

_APPEALS = TABLE_4.rows[0].path
# The figures a card leads with: (label, cells added up). 予以公开 is also shown as a share of 办结.
HEADLINES: tuple[Measure, ...] = (
    Measure("三", ((NEW, TOTAL_COLUMN),), "新收申请"),
    Measure("三", ((DONE, TOTAL_COLUMN),), "办结申请"),
    Measure("三", ((f"{RESULTS}/（一）予以公开", TOTAL_COLUMN),), "予以公开"),
    Measure("四", ((_APPEALS, f"{APPEAL_GROUPS[0]}/{TOTAL_COLUMN}"),), "行政复议"),
    Measure("四", tuple((_APPEALS, f"{g}/{TOTAL_COLUMN}") for g in APPEAL_GROUPS[1:]), "行政诉讼"),
)


def link(report_id: str) -> str:
    """The card's address, opened from a citation in a new tab so the conversation stays where it was."""
    return f"?card={report_id}"


def _source(v: Value) -> str:
    return "；".join(f"表{c.table} {label(c.row)} | {label(c.column)}" for c in v.cells)


def _figure(v: Value, share: str = "") -> str:
    shown = v.describe() if v.total is None or v.missing else amount(v.total, v.unit)
    extra = f"（{v.arithmetic}）" if v.arithmetic else ""
    return (f'<div class="card-fig"><div class="card-k">{esc(v.measure.label)}</div>'
            f'<div class="card-v">{esc(shown)}</div><div class="card-x">{esc(extra + share)}</div>'
            f'<div class="card-s">{esc(_source(v))}</div></div>')


def _share(part: Value, whole: Value) -> str:
    """“占办结的42.4%（89 ÷ 210）”, or nothing when either side is unknown or 办结 is 0."""
    if part.total is None or not whole.total:
        return ""
    return f"占办结的{percent(part.total, whole.total)}（{number(part.total)} ÷ {number(whole.total)}）"


def headline_html(values: list[Value]) -> str:
    by = {v.measure.label: v for v in values}
    blocks = [_figure(v, _share(v, by["办结申请"]) if v.measure.label == "予以公开" else "") for v in values]
    return f'<div class="card-figs">{"".join(blocks)}</div>'


def card_view(store: Store, catalog: Catalog, report_id: str) -> Report | None:
    """The card of one report; a clear message when the id names no stored report."""
    report = store.report(report_id)
    if report is None:
        st.error(f"没有找到报告“{md_escape(report_id)}”，它可能已被删除或替换。")
        return None
    st.subheader(md_escape(f"{shown_name(report.agency)} {report.year or '年份不详'}年 政府信息公开工作年度报告"))
    facts = [f"发布机关：{shown_name(report.agency)}", f"报告年度：{report.year or '不详'}",
             f"发布日期：{report.published or '未注明'}", f"来源文件：{report.source}"]
    st.caption(md_escape(" · ".join(facts)))
    if report.title:
        st.caption(md_escape(f"标题：{report.title}"))
    st.html(provenance_html(report))  # where the file came from: the same line as under every citation
    figures = Figures(store, catalog)
    values = [figures.value(report.id, m) for m in HEADLINES]
    st.markdown("##### 主要数字")
    st.html(headline_html(values))
    cited = tuple(dict.fromkeys(Citation.from_cell(c) for v in values for c in v.cells))
    with st.expander("这些数字在报表中的位置"):
        for block in citations_html(cited, store):
            st.html(block)
    checks_view(store, report)
    st.markdown("##### 报表（按报告原样）")
    tables_view(store, report)
    return report
