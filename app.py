"""The public page: a chat over the stored annual reports (every answer cited in place) and the staff tables."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from core.records import Answer
from qa.scope import Catalog
from ui import answering, card, chat, original, picker, resources, style
from ui.safe import md_escape
from ui.staff.view import staff_view


@dataclass(frozen=True)
class Turn:
    """One question and its answer, kept for the session."""

    question: str
    answer: Answer | None = None  # None while the question waits its turn


def ask_later(question: str) -> None:
    """Queue a question (typed, or a button's callback): it joins the history at once and is answered in turn."""
    st.session_state.setdefault("history", []).append(Turn(question))


def answer_now(res: resources.Resources, history: list[Turn], n: int, scope: list[str] | None) -> Turn:
    """Answer the n-th question and keep the answer before anything else is drawn: a question typed meanwhile
    reruns the page from the next drawing call on, and neither question may be lost."""
    with st.spinner("正在查找……"):
        history[n] = Turn(history[n].question, answering.ask(res, history[n].question, scope))
    return history[n]


def sidebar(res: resources.Resources, catalog: Catalog) -> tuple[list[str] | None, bool]:
    with st.sidebar:
        st.subheader("报告范围")
        scope = picker.pick_scope(catalog)
        traditional = st.toggle("繁體", key="traditional", help="以繁体字显示回答")
        st.caption(f"已收录 {len(catalog.reports)} 份政府信息公开工作年度报告。回答均出自报告原文和报表，并标明出处。")
        if why := answering.engine(res)[1]:
            st.caption("ℹ️ " + md_escape(why))
        if st.button("清空对话", key="clear"):
            st.session_state["history"] = []
            st.session_state.pop("qa_session", None)
    return scope, traditional


def chat_view(res: resources.Resources, catalog: Catalog, scope: list[str] | None, traditional: bool) -> None:
    """The conversation so far, then the new question (typed or clicked) and its answer; `catalog`: the stored
    reports as the answerer knows them (re-read only after a write, not per page run)."""
    history: list[Turn] = st.session_state.setdefault("history", [])
    examples = chat.examples(catalog, scope)
    st.caption(md_escape(picker.describe(scope, catalog)))
    if not history:  # a greeting in the chat's own form: the page the first answer lands in is already built
        with st.chat_message("assistant"):
            st.html('<div class="greeting">您好！请输入问题，或点击下面的例子。</div>')
            st.markdown("**可以这样问：**")
            for i, q in enumerate(examples):
                st.button(md_escape(q), key=f"example_{i}", on_click=ask_later, args=(q,))
    for n, turn in enumerate(history):
        chat.show_question(turn.question)
        if turn.answer is None:
            turn = answer_now(res, history, n, scope)
        chat.show_answer(turn.answer, res.store, traditional, n, ask_later, examples)


def card_page(res: resources.Resources, report_id: str) -> None:
    """A report's card (opened from a citation): its figures, findings and tables; a way back to the chat."""
    card.card_view(res.store, answering.engine(res)[0].catalog(), report_id)
    st.button("← 返回问答", key="back", on_click=st.query_params.clear)


def original_page(res: resources.Resources, report_id: str) -> None:
    """A page of a report's original PDF with the cited row or sentence marked (opened from a citation)."""
    original.original_view(res.store, report_id, st.query_params.get("at", ""), st.query_params.get("quote", ""))
    st.button("← 返回问答", key="back", on_click=st.query_params.clear)


def main() -> None:
    st.set_page_config(page_title="政府信息公开年报问答", page_icon="📑", layout="centered")
    style.inject()
    res = resources.current()
    resources.ensure_samples(res)
    answering.warm_up(res)
    if report_id := st.query_params.get("card"):
        card_page(res, report_id)
        return
    if report_id := st.query_params.get("original"):
        original_page(res, report_id)
        return
    catalog = answering.engine(res)[0].catalog()
    scope, traditional = sidebar(res, catalog)
    st.title("政府信息公开年报问答")
    ask_tab, staff_tab = st.tabs(["问答", "报表与核对"], key="view", on_change="rerun")
    if staff_tab.open:
        with staff_tab:
            staff_view(res.store, res.index, catalog, scope[0] if scope and len(scope) == 1 else None)
        return
    if typed := st.chat_input("请输入您的问题", max_chars=500, key="question"):
        ask_later(typed)
    with ask_tab:
        chat_view(res, catalog, scope, traditional)
    res.shown.set()  # the warm-up may take the interpreter now


main()
