"""Chat turns → messages on the page: the question as text, the answer with its citations, arithmetic and scope."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from core.records import Answer
from core.text import to_traditional
from qa.answer import NOT_FOUND as QA_NOT_FOUND
from qa.scope import Catalog
from store import Store
from ui.charts import chart, left_out
from ui.citations import citations_html, report_name
from ui.safe import esc, md_escape

NOT_FOUND = "报告中没有找到相关信息。"
SHOWN = 3  # citation blocks shown in full under an answer; more go into an expander
HINT = "可以问报告里的数字（如申请数量、办理结果、行政复议、规范性文件），也可以问工作情况（如存在的问题、收费情况）。"


def examples(catalog: Catalog, scope: Sequence[str] | None = None) -> list[str]:
    """Questions a first-time visitor can click, written for the latest report in scope (None: every report)."""
    if scope is None:
        r, several = catalog.latest, len(catalog.agencies) > 1
    else:
        r = catalog.latest_of(scope)
        several = len({catalog.agency_of(i) for i in scope if i in catalog.reports}) > 1
    if r is None:
        return []
    who = f"{r.agency}{r.year}年" if r.year else r.agency
    out = [f"{who}收到多少件政府信息公开申请？", f"{who}予以公开的申请占办结总数的比例是多少？",
           f"{who}政府信息公开工作存在哪些问题？"]
    if several:
        out.append("哪个机关收到的政府信息公开申请最多？")
    return out


def show_question(text: str) -> None:
    with st.chat_message("user"):
        st.html(f'<div class="question">{esc(text)}</div>')


def _covers(answer: Answer, store: Store) -> str:
    names = [report_name(store.report(r), r) for r in answer.reports]
    if not names:
        return ""
    head = f"本回答涵盖 {len(names)} 份报告：" if len(names) > 1 else "依据："
    return head + "、".join(names)


def show_answer(answer: Answer, store: Store, traditional: bool, n: int,
                ask: Callable[[str], None] | None = None, suggestions: Sequence[str] = ()) -> None:
    """An answer with everything behind it in place: scope, arithmetic, each citation, notice, suggestions."""
    conv: Callable[[str], str] = to_traditional if traditional else str
    with st.chat_message("assistant"):
        if not answer.answered and answer.kind != "error":
            st.html(f'<div class="answer">{esc(conv(NOT_FOUND))}</div>')
            if answer.text and answer.text not in (QA_NOT_FOUND, NOT_FOUND):  # say why, when there is a reason
                st.caption(md_escape(conv(answer.text)))
        else:
            st.html(f'<div class="answer">{esc(conv(answer.text))}</div>')
        if answer.arithmetic:
            st.html(f'<div class="arith">{esc(conv("计算：" + answer.arithmetic))}</div>')
        if covers := _covers(answer, store):
            st.html(f'<div class="covers">{esc(conv(covers))}</div>')
        show_chart(answer, store, conv)
        blocks = citations_html(answer.citations, store)
        for block in blocks[:SHOWN]:
            st.html(block)
        if len(blocks) > SHOWN:
            with st.expander(conv(f"更多出处（{len(blocks) - SHOWN}）")):
                for block in blocks[SHOWN:]:
                    st.html(block)
        if answer.notice:
            st.caption("ℹ️ " + md_escape(conv(answer.notice)))
        if not answer.answered and answer.kind != "error":
            suggest(suggestions, n, ask, conv)


def show_chart(answer: Answer, store: Store, conv: Callable[[str], str]) -> None:
    """The answer's figures as a chart (hover a point for its report and cell); the citations follow below it."""
    drawn = chart(answer, store, conv)
    if drawn is None:
        return
    st.altair_chart(drawn, width="stretch", alt=conv(f"{answer.text.splitlines()[0]}（图表）"))
    if missing := left_out(answer):
        st.caption(md_escape(conv("图中未画出无法确定的数值：" + "、".join(f"{p.series} {p.x}" for p in missing))))


def suggest(suggestions: Sequence[str], n: int, ask: Callable[[str], None] | None,
            conv: Callable[[str], str]) -> None:
    """What can be asked instead, as buttons."""
    st.caption(conv(HINT))
    for i, q in enumerate(suggestions):
        st.button(md_escape(conv(q)), key=f"suggest_{n}_{i}", on_click=ask, args=(q,), disabled=ask is None)
