"""A question and the picked scope → an Answer from the qa package; any failure becomes a short Chinese message."""

from __future__ import annotations

import logging
from dataclasses import replace

import streamlit as st

from core.errors import ReportError
from core.records import Answer
from core.settings import setting
from qa.answer import Answerer, LazyRetriever, Session
from qa.llm import from_settings
from qa.retrieve import Retriever
from ui import resources
from ui.resources import Resources

log = logging.getLogger(__name__)
SORRY = "抱歉，系统暂时无法回答这个问题，请稍后再试或换一种问法。"
LLM_SETTINGS = ("LLM_PROVIDER", "LLM_MODEL", "OPENAI_BASE_URL", "OLLAMA_BASE_URL")


@st.cache_resource(show_spinner=False)
def answerer(_res: Resources, key: str, llm: str) -> tuple[Answerer, str]:
    """One answerer per database folder and LLM setting, shared by all sessions; and why the LLM is off, if it is."""
    phraser, why = from_settings()
    # the index opens with the first narrative question: a figure answer does not wait for Chroma and the embedder
    return Answerer(_res.store, LazyRetriever(lambda: Retriever(_res.store, _res.index)), phraser), why


def engine(res: Resources) -> tuple[Answerer, str]:
    """The shared answerer for the current settings, and why the LLM is off when one is configured but cannot start."""
    return answerer(res, f"{res.folder}|{id(res)}", "|".join(setting(n) for n in LLM_SETTINGS))


def _session(res: Resources, scope: list[str] | None) -> Session:
    """This browser session's conversation; a newly picked scope becomes what unnamed questions are about."""
    engine_, _ = engine(res)
    session = st.session_state.get("qa_session")
    if session is None or session.answerer is not engine_:
        session = st.session_state["qa_session"] = Session(engine_)
        st.session_state.pop("qa_scope", None)
    wanted = tuple(scope or ())
    if st.session_state.get("qa_scope") != wanted:
        session.state = replace(session.state, reports=wanted)
        st.session_state["qa_scope"] = wanted
    return session


def warm_up(res: Resources) -> None:
    """Warm, in the background, what the first answer would wait for: the answerer over the example questions
    a first visitor sees, and the chart library."""
    from ui import charts, chat

    answerer_ = engine(res)[0]
    resources.warm(res, answerer_, lambda: chat.examples(answerer_.catalog()), (charts.altair,))


def ask(res: Resources, question: str, scope: list[str] | None) -> Answer:
    """The answer to one question; never raises (a failure is logged and shown as a plain sentence)."""
    try:
        return _session(res, scope).ask(question)
    except ReportError as e:
        return Answer(question, False, f"{SORRY}（{e.message}）", kind="error", notice=e.hint)
    except Exception:
        log.exception("answering %r failed", question)
        return Answer(question, False, SORRY, kind="error")
