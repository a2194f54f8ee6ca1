"""The staff view of one report: the three standard tables with CSV downloads, the checks, parsing findings; below,
for signed-in staff only, upload, replace, remove and the records (ui/staff/manage.py)."""

from __future__ import annotations

import streamlit as st

from core.records import Report
from core.template import TABLES
from ingest.index.vectors import NarrativeIndex
from qa.scope import Catalog
from store import Store
from ui import picker
from ui.check_view import checks_html, summary
from ui.citations import provenance_html, report_name
from ui.safe import md_escape
from ui.staff.manage import staff_panel
from ui.staff.problem_list import findings_view
from ui.table_view import cells_csv, table_csv, table_html, title


def pick_report(catalog: Catalog, preferred: str | None) -> Report | None:
    """A report chooser for the table view; starts on the sidebar's report when one is chosen there. Every report
    is listed when there are few; else the agency is found by name first (picker.choose_agency), then its year."""
    if len(catalog.reports) <= picker.LIST_ALL:  # in the store's order: by agency, year, id
        reports = sorted(catalog.reports.values(), key=lambda r: (r.agency, r.year or 0, r.id))
    else:
        key = catalog.agency_of(preferred) if preferred in catalog.reports else picker.choose_agency(
            catalog, "staff_agency", "机关")
        if key is None:
            return None
        reports = sorted(catalog.agencies[key].reports, key=lambda r: (r.year or 0, r.id), reverse=True)
    if not reports:
        return None
    ids = [r.id for r in reports]
    names = {r.id: f"{report_name(r)}（{r.id}）" for r in reports}
    start = ids.index(preferred) if preferred in ids else 0
    chosen = st.selectbox("选择报告", ids, index=start, format_func=names.get, key=f"staff_report_{preferred}")
    return catalog.reports[chosen]


def tables_view(store: Store, report: Report) -> None:
    """The three standard tables as printed, each downloadable as CSV."""
    cells = store.cells(report=report.id)
    for name in TABLES:
        st.markdown(f"##### {md_escape(title(name))}")
        st.html(table_html(cells, name))
        if any(c.table == name for c in cells):
            st.download_button(f"下载表{name}（CSV）", table_csv(cells, name).encode("utf-8-sig"),
                               file_name=f"{report.id}_表{name}.csv", mime="text/csv", key=f"csv_{report.id}_{name}",
                               on_click="ignore")
    st.download_button("下载全部表格数字（CSV，含单位与说明）", cells_csv(cells).encode("utf-8-sig"),
                       file_name=f"{report.id}_cells.csv", mime="text/csv", key=f"csv_{report.id}_all",
                       on_click="ignore")


def checks_view(store: Store, report: Report) -> None:
    """勾稽关系 and narrative-vs-table checks with both sides' numbers: problems shown, the ones that hold folded."""
    checks = store.checks(report=report.id)
    cells = store.cells(report=report.id)
    problems = [c for c in checks if c.status != "pass"]
    st.markdown("##### 核对结果（勾稽关系、正文与表格）")
    (st.warning if any(c.status == "fail" for c in checks) else st.success)(summary(checks))
    if problems:
        st.html(checks_html(problems, cells))
    passed = [c for c in checks if c.status == "pass"]
    if passed:
        with st.expander(f"一致的核对（{len(passed)} 项）"):
            st.html(checks_html(passed, cells))
    findings = store.findings(report=report.id)
    if findings:
        with st.expander(f"解析提示（{len(findings)} 条）"):
            for f in findings:
                st.caption(md_escape(f.message if f.message.startswith(f.where) else f"{f.where}：{f.message}"))


def staff_view(store: Store, index: NarrativeIndex, catalog: Catalog, preferred: str | None) -> None:
    """Tables and checks for everyone (read-only); the staff panel below for those signed in."""
    report = pick_report(catalog, preferred)
    if report is None:
        st.info("还没有导入任何报告。" if not catalog.reports else "请先查找并选择机关。")
    else:
        st.caption(md_escape(report.title))
        st.html(provenance_html(report))
        tables_view(store, report)
        checks_view(store, report)
        findings_view(store, catalog)
    staff_panel(store, index, report)
