"""Stored reports → the sidebar picker (agency, year, or 全部报告) → the report ids in scope (None = all).

Every option of a select box goes to the browser with each page run, so agencies are listed in full only up to
LIST_ALL; beyond that (a province's portal holds tens of thousands) they are found by typing a name, read as a
question would read it (short forms, either script), and only the matches are listed."""

from __future__ import annotations

import streamlit as st

from core.records import Report
from qa.labels import shown_name
from qa.scope import Catalog

ALL = "全部报告"
ALL_YEARS = "全部年份"
LIST_ALL = 300  # agencies listed in a picker without a search box
FOUND = 50  # agencies listed for a typed name


def _year_label(r: Report, reports: list[Report]) -> str:
    label = f"{r.year}年" if r.year else "年份不详"
    twins = [x for x in reports if x.year == r.year]
    return f"{label}（{r.source}）" if len(twins) > 1 else label


def _from_link(catalog: Catalog) -> None:
    """A QR code on a report page links to ?report=<id>: start the picker on that report (first run only)."""
    if "agency" in st.session_state:
        return
    wanted = st.query_params.get("report")
    if wanted in catalog.reports:
        name = catalog.agencies[catalog.agency_of(wanted)].name
        st.session_state["agency"] = name
        st.session_state[f"year_{name}"] = wanted


def choose_agency(catalog: Catalog, key: str, label: str = "发布机关", everything: str = ALL) -> str | None:
    """The key of the agency picked, None for `everything`: every agency in a select box when there are few, else
    a search box and the agencies it finds (the one picked before stays listed)."""
    names = []
    if len(catalog.agencies) > LIST_ALL:  # (never every agency read: a catalog makes them on first use)
        typed = st.text_input(f"查找{label}", key=f"{key}_search", max_chars=60,
                              placeholder="输入名称，如：浏阳市、洪泽区政府、发改局")
        found = catalog.search(typed, FOUND)
        names = [catalog.agencies[k].name for k in found]
        if (picked := st.session_state.get(key)) in catalog.by_name and picked not in names:
            names.insert(0, picked)
        if typed.strip() and not found:
            st.caption("没有找到名称相符的机关。")
    else:
        names = sorted(a.name for a in catalog.agencies.values())
    picked = st.selectbox(label, [everything, *names], key=key, format_func=shown_name)
    return catalog.by_name.get(picked)


def pick_scope(catalog: Catalog) -> list[str] | None:
    """Agency then year; 全部报告 → None (every report), else the chosen report ids."""
    _from_link(catalog)
    key = choose_agency(catalog, "agency")
    if key is None:
        return None
    agency = catalog.agencies[key]
    own = sorted(agency.reports, key=lambda r: (r.year or 0, r.id), reverse=True)
    options = [r.id for r in own] + ([ALL_YEARS] if len(own) > 1 else [])
    labels = {r.id: _year_label(r, own) for r in own} | {ALL_YEARS: ALL_YEARS}
    chosen = st.selectbox("年度", options, key=f"year_{agency.name}", format_func=labels.get)
    return [r.id for r in own] if chosen == ALL_YEARS else [chosen]


def describe(scope: list[str] | None, catalog: Catalog) -> str:
    """“当前范围：全部 8 份报告” / “当前范围：浏阳市人民政府 2023年”."""
    if scope is None:
        return f"当前范围：全部 {len(catalog.reports)} 份报告"
    chosen = [catalog.reports[i] for i in scope if i in catalog.reports]
    return "当前范围：" + "、".join(f"{shown_name(r.agency)} {r.year}年" if r.year else shown_name(r.agency)
                               for r in chosen)
