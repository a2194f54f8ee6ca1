"""Every failed or undecided check across the store → one staff view: filters, failures first, both sides with the
addresses of their cells and paragraphs (linked to the report's card), and a CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from urllib.parse import quote as url_quote

import streamlit as st

from core.records import Check, Report
from ingest.check.rules import KIND_LABELS
from qa.scope import Catalog
from store import Store
from ui import picker
from ui.check_view import status_label
from ui.citations import report_name
from ui.safe import esc
from ui.table_view import csv_download, fmt

ALL = "全部"
SHOWN = 200  # problems drawn on the page; the CSV holds all of them
CSV_HEADER = ("机关", "年度", "报告", "类别", "结果", "核对内容", "左边／正文", "右边／表格", "左边出处", "右边出处")
Problem = tuple[Report, Check]
RESULTS = {"fail": "不符", "unknown": "无法判断", "note": "说明（不是错误）"}  # the status filter
TALLY = (("fail", "不符"), ("warn", "存疑（合理性提示）"), ("unknown", "无法判断"), ("note", "说明（不是错误）"))


def where(address: str, report: str) -> str:
    """An address without its report id: “表三/一、本年新收…/总计” or a paragraph's “一、总体情况/…/2”."""
    rest = address.removeprefix(report + "/") if address.startswith(report + "/") else address
    return f"表{rest}" if rest[:1] in "二三四" and rest[1:2] == "/" else rest


def _terms_html(addresses: Sequence[str], report: str) -> str:
    """Each cited cell or paragraph by its address, linked to the card of the report it belongs to."""
    out = []
    for address in addresses:
        owner = address.split("/", 1)[0]
        out.append(f'<a href="?card={esc(url_quote(owner))}" target="_blank" title="{esc(address)}">'
                   f"{esc(('' if owner == report else owner + '：') + where(address, owner))}</a>")
    return "<br>".join(out)


def _row(report: Report, check: Check) -> str:
    return (f'<tr class="row-{esc(check.status)}"><td class="status">{esc(status_label(check))}</td>'
            f"<td>{esc(report_name(report, report.id))}<div class=\"kind\">{esc(report.id)}</div></td>"
            f'<td><div class="kind">{esc(KIND_LABELS.get(check.kind, check.kind))}</div>{esc(check.description)}'
            f'<div class="terms">左边：{_terms_html(check.left_terms, report.id)}</div>'
            f'<div class="terms">右边：{_terms_html(check.right_terms, report.id)}</div></td>'
            f'<td class="num">{esc(fmt(check.left))}</td><td class="num">{esc(fmt(check.right))}</td></tr>')


def problems_html(problems: Sequence[Problem]) -> str:
    """The problems in one table, in the order given (the store puts failures first)."""
    if not problems:
        return '<p class="empty">所选范围内没有不符或无法判断的核对项目。</p>'
    rows = "".join(_row(r, c) for r, c in problems)
    head = "".join(f"<th>{h}</th>" for h in ("结果", "报告", "核对内容与出处", "左边／正文", "右边／表格"))
    return (f'<div class="scroll"><table class="checks findings"><thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table></div>")


def problems_csv(problems: Sequence[Problem]) -> str:
    """The same rows as CSV, every address in full."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for r, c in problems:
        writer.writerow((r.agency, r.year or "", r.id, KIND_LABELS.get(c.kind, c.kind), status_label(c),
                         c.description, "" if c.left is None else fmt(c.left), "" if c.right is None else fmt(c.right),
                         "；".join(c.left_terms), "；".join(c.right_terms)))
    return out.getvalue()


def _choice(label: str, options: Sequence, key: str, show=str):
    picked = st.selectbox(label, [ALL, *options], key=key, format_func=lambda o: o if o == ALL else show(o))
    return None if picked == ALL else picked


def findings_view(store: Store, catalog: Catalog) -> None:
    """全部报告的核对问题: filter by agency, year and kind; failures first; CSV of what is shown."""
    st.markdown("##### 全部报告的核对问题（不符、无法判断与说明）")
    left, middle, right, last = st.columns(4)
    with left:
        agency = picker.choose_agency(catalog, "findings_agency", "机关", everything=ALL)
    with middle:
        year = _choice("年度", sorted(catalog.years, reverse=True), "findings_year")
    with right:
        kind = _choice("类别", list(KIND_LABELS), "findings_kind", KIND_LABELS.get)
    with last:
        status = _choice("结果", list(RESULTS), "findings_status", RESULTS.get)
    reports = None if agency is None else [r.id for r in catalog.agencies[agency].reports]
    tally = store.problem_tally(year=year, kind=kind, reports=reports)
    total = tally.get(status, 0) if status else sum(tally.values())
    more = f"下表列出前 {SHOWN} 项，全部见 CSV。" if total > SHOWN else ""
    st.caption(f"{tally_text(tally)}。{more}")
    st.html(problems_html(store.problems(year=year, kind=kind, reports=reports, limit=SHOWN, status=status)))
    csv_download("下载以上核对问题（CSV）",
                 lambda: problems_csv(store.problems(year=year, kind=kind, reports=reports, status=status))
                 .encode("utf-8-sig"),
                 bool(more), file_name="核对问题.csv", key="findings_csv", disabled=not total)


def tally_text(tally: dict[str, int]) -> str:
    """“共 7 项：2 项不符，1 项存疑（合理性提示），3 项无法判断，1 项说明（不是错误）”: failures apart from doubts and
    notes, so staff see at once what needs correcting."""
    parts = [f"{tally[s]} 项{label}" for s, label in TALLY if tally.get(s)]
    return f"共 {sum(tally.values())} 项" + (f"：{'，'.join(parts)}" if parts else "")
