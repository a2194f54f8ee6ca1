"""The staff panel (signed in only): upload, replace or remove a report, every report's provenance, the audit log.

Visitors see none of it; with no sign-in configured there is no panel at all (operators use the command line).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

import streamlit as st

from core.errors import ReportError
from core.records import AuditEntry, Report
from ingest.index.vectors import NarrativeIndex
from ingest.remove import remove_report
from store import Store
from store.audit import ACTIONS, PROVENANCE_FIELDS, provenance
from ui.citations import report_name
from ui.safe import esc, md_escape
from ui.staff import signin
from ui.staff.upload import TYPES, replace_upload, show_outcome, upload_view
from ui.table_view import csv_download

AUDIT_HEADS = ("时间（UTC）", "操作人", "操作", "报告", "文件", "原 sha256", "新 sha256", "说明")
SHOWN = 200  # rows of a long list drawn on the page; its CSV holds all
REPORT_HEADS = ("编号", "机关", "年份", "标题", "文件", "sha256", "大小（字节）", "格式", "导入人", "导入时间（UTC）",
                "来源网址")


def _csv(heads: Sequence[str], rows: Sequence[Sequence]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(heads)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # Excel opens UTF-8 with a BOM as UTF-8


def _html(heads: Sequence[str], rows: Sequence[Sequence], cls: str) -> str:
    """Rows as an escaped HTML table; long hashes shortened on screen (full in the CSV and on hover)."""
    def cell(v) -> str:
        text = "" if v is None else str(v)
        if len(text) == 64 and all(c in "0123456789abcdef" for c in text):
            return f'<td title="{esc(text)}"><code>{esc(text[:12])}…</code></td>'
        return f"<td>{esc(text)}</td>"
    head = "".join(f"<th>{esc(h)}</th>" for h in heads)
    body = "".join("<tr>" + "".join(cell(v) for v in row) + "</tr>" for row in rows)
    return f'<div class="scroll"><table class="staff-list {cls}"><thead><tr>{head}</tr></thead>' \
           f"<tbody>{body}</tbody></table></div>"


def audit_rows(entries: Sequence[AuditEntry], short: bool = False) -> list[tuple]:
    """Entries as table rows; `short` shows the time to the second (the CSV keeps it whole)."""
    return [(e.at[:19].replace("T", " ") if short else e.at, e.who, ACTIONS.get(e.action, e.action), e.report,
             e.file, e.before_sha256, e.after_sha256, e.detail) for e in entries]


def audit_view(store: Store) -> None:
    """The audit log, newest first, and the whole of it as CSV."""
    entries = store.audit_log()
    if not entries:
        st.caption("还没有操作记录。")
        return
    st.html(_html(AUDIT_HEADS, audit_rows(entries[:200], short=True), "audit"))
    st.download_button(f"下载全部操作记录（CSV，{len(entries)} 条）", _csv(AUDIT_HEADS, audit_rows(entries)),
                       file_name="audit_log.csv", mime="text/csv", key="csv_audit", on_click="ignore")


def _provenance_rows(reports: Sequence[Report]) -> list[tuple]:
    return [tuple(provenance(r)[k] for k in PROVENANCE_FIELDS) for r in reports]


def reports_view(store: Store) -> None:
    """Every stored report with its provenance: file, hash, size, format, who brought it in, when, from where.
    The page lists the SHOWN latest ingested; the CSV holds all (written on click when the list is long)."""
    reports = sorted(store.reports(), key=lambda r: r.ingested_at, reverse=True)
    if len(reports) > SHOWN:
        st.caption(f"共 {len(reports)} 份，下表列出最近导入的 {SHOWN} 份，全部见 CSV。")
    st.html(_html(REPORT_HEADS, _provenance_rows(reports[:SHOWN]), "provenance"))
    csv_download("下载报告来源清单（CSV）", lambda: _csv(REPORT_HEADS, _provenance_rows(reports)), len(reports) > SHOWN,
                 file_name="reports_provenance.csv", key="csv_provenance")


def change_view(store: Store, index: NarrativeIndex, report: Report, who: str) -> None:
    """Replace the chosen report with a corrected file, or remove it; the result is shown after the page reloads."""
    name = md_escape(f"{report_name(report)}（{report.id}）")
    st.markdown(f"**替换** {name}：上传更正后的文件，原内容（数字、正文、检索索引）将被整体替换。")
    file = st.file_uploader("更正后的文件", type=TYPES, key=f"replace_file_{report.id}")
    url = st.text_input("来源网址（可选）", value=report.source_url, key=f"replace_url_{report.id}", max_chars=500)
    if st.button("替换", disabled=file is None, key="do_replace"):
        outcome = replace_upload(file, report.id, store, index, by=who, url=url)
        st.session_state["change_result"] = ("outcome", outcome)
        st.session_state.pop("upload_results", None)  # an earlier upload's results would read as this one's
        st.rerun()
    st.markdown(f"**移除** {name}：从问答、报表和检索索引中删除，操作记入记录。")
    sure = st.checkbox("我确认要移除这份报告", key=f"confirm_remove_{report.id}")
    if st.button("移除", disabled=not sure, key="do_remove"):
        try:
            gone = remove_report(report.id, store, index, by=who)
            st.session_state["change_result"] = ("removed", f"已移除 {report_name(gone)}（{gone.id}，{gone.source}）")
        except ReportError as e:
            st.session_state["change_result"] = ("error", str(e))
        st.session_state.pop("upload_results", None)
        st.rerun()


def last_change() -> None:
    """What the last replace or remove did (kept across the reload that refreshes the report lists)."""
    kind, value = st.session_state.pop("change_result", (None, None))
    if kind == "outcome":
        show_outcome(value)
    elif kind == "removed":
        st.success(md_escape(value), icon="🗑️")
    elif kind == "error":
        st.error(md_escape(value), icon="❌")


def staff_panel(store: Store, index: NarrativeIndex, report: Report | None) -> None:
    """Sign-in for staff when configured; once signed in, every way to change the store and its records."""
    if not signin.enabled():
        return  # no upload at all: the command line stays for operators on the server
    st.markdown("##### 工作人员")
    who = signin.account()
    if who is None:
        signin.signin_view(store)
        return
    signin.signout_button(who)
    last_change()
    st.markdown("###### 上传新报告")
    upload_view(store, index, who)
    if report is not None:
        with st.expander("替换或移除当前报告", key=f"change_{report.id}"):
            change_view(store, index, report, who)
    with st.expander("已收录报告的来源", key="provenance_list"):
        reports_view(store)
    with st.expander("操作记录", key="audit_log"):
        audit_view(store)
