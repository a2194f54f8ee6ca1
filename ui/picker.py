"""Stored reports → the sidebar picker (agency, year, or 全部报告) → the report ids in scope (None = all)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from ingest.models import Report
from qa.labels import shown_name

ALL = "全部报告"
ALL_YEARS = "全部年份"


def _year_label(r: Report, reports: Sequence[Report]) -> str:
    label = f"{r.year}年" if r.year else "年份不详"
    twins = [x for x in reports if x.agency == r.agency and x.year == r.year]
    return f"{label}（{r.source}）" if len(twins) > 1 else label


def _from_link(reports: Sequence[Report]) -> None:
    """A QR code on a report page links to ?report=<id>: start the picker on that report (first run only)."""
    if "agency" in st.session_state:
        return
    wanted = st.query_params.get("report")
    r = next((x for x in reports if x.id == wanted), None)
    if r is not None:
        st.session_state["agency"] = r.agency
        st.session_state[f"year_{r.agency}"] = r.id


def pick_scope(reports: Sequence[Report]) -> list[str] | None:
    """Agency then year; 全部报告 → None (every report), else the chosen report ids."""
    _from_link(reports)
    agencies = list(dict.fromkeys(r.agency for r in reports))
    agency = st.selectbox("发布机关", [ALL, *agencies], key="agency", format_func=shown_name)
    if agency == ALL or agency not in agencies:
        return None
    own = sorted((r for r in reports if r.agency == agency), key=lambda r: (r.year or 0, r.id), reverse=True)
    options = [r.id for r in own] + ([ALL_YEARS] if len(own) > 1 else [])
    labels = {r.id: _year_label(r, own) for r in own} | {ALL_YEARS: ALL_YEARS}
    chosen = st.selectbox("年度", options, key=f"year_{agency}", format_func=labels.get)
    return [r.id for r in own] if chosen == ALL_YEARS else [chosen]


def describe(scope: list[str] | None, reports: Sequence[Report]) -> str:
    """“当前范围：全部 8 份报告” / “当前范围：浏阳市人民政府 2023年”."""
    if scope is None:
        return f"当前范围：全部 {len(reports)} 份报告"
    chosen = [r for r in reports if r.id in scope]
    return "当前范围：" + "、".join(f"{shown_name(r.agency)} {r.year}年" if r.year else shown_name(r.agency)
                               for r in chosen)
