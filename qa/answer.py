"""A question in a conversation → an Answer: table cells for figures and checks, paragraphs for the rest."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from ingest.clean import to_simplified
from ingest.models import Answer, Citation
from ingest.store import Store

from .consistency import Consistency
from .conversation import Conversation, resolve
from .figures import Figures
from .intent import Intent
from .llm import Phraser, clean_sentences
from .scope import Catalog
from .understand import parse

NOT_FOUND = "已收录的报告中没有找到能回答这个问题的内容。"
NO_COUNT = "报告没有给出这个数字。"
NARRATIVE_HITS = 3  # paragraphs quoted at most (the best one per report)


_YEARS = re.compile(r"\d{4}\s*年度?")
# A sentence that states a count: digits, a Chinese numeral with a measure word ("三场"), or none at all ("未收取").
_COUNT = re.compile(r"\d|[一二两三四五六七八九十百千万]+[件个次场项条名人家期篇批轮份位]|未|没有|均无|为零")


def states_count(quote: str) -> bool:
    """Whether a quoted sentence gives some count (years do not count): else it cannot answer "多少"."""
    return bool(_COUNT.search(_YEARS.sub("", quote)))


class LazyRetriever:
    """Builds the narrative retriever (and its embedder) on the first narrative question, not before."""

    def __init__(self, build: Callable[[], object]) -> None:
        self._build = build
        self._inner = None

    def search(self, question: str, reports: list[str] | None = None, k: int = 5) -> list:
        if self._inner is None:
            self._inner = self._build()
        return self._inner.search(question, reports, k)


class Answerer:
    """Answers questions over one store; `retriever` (qa.retrieve.Retriever) for narrative, `llm` to phrase."""

    def __init__(self, store: Store, retriever=None, llm=None, today: date | None = None) -> None:
        self.store = store
        self.retriever = retriever
        self.phraser = llm if llm is None or isinstance(llm, Phraser) else Phraser(llm)
        self.today = today or date.today()  # 今年/去年 are calendar words
        self._catalog: tuple[int, Catalog] | None = None

    def catalog(self) -> Catalog:
        """The reports' aliases, rebuilt only after a write to the store (its generation: one row read per question)."""
        generation = self.store.generation()
        if self._catalog is None or self._catalog[0] != generation:
            self._catalog = (generation, Catalog(self.store.reports()))
        return self._catalog[1]

    def ask(self, question: str, state: Conversation | None = None) -> tuple[Answer, Conversation]:
        """The answer to one question, and the conversation state to pass with the next question."""
        state = state or Conversation()
        catalog = self.catalog()
        intent = resolve(parse(question, catalog, self.today), state, catalog)
        answer = self.deterministic(intent, catalog)
        if intent.note and answer.answered:
            answer = replace(answer, text=f"{intent.note}\n{answer.text}")
        if self.phraser is not None and answer.answered:
            answer = self.phraser.phrase(answer)
        kept = intent if answer.answered else replace(intent, kind="unanswerable")
        return answer, state.after(kept)

    def deterministic(self, intent: Intent, catalog: Catalog) -> Answer:
        if intent.kind == "unanswerable":
            return Answer(intent.question, False, intent.reason or NOT_FOUND, kind="unanswerable")
        if intent.kind == "check":
            return Consistency(self.store, catalog).answer(intent)
        if intent.kind == "narrative":
            answer = self.narrative(intent, catalog)
            if not answer.answered and intent.fallback and intent.measures:
                return Figures(self.store, catalog).answer(replace(intent, kind="figure"))
            return answer
        return Figures(self.store, catalog).answer(intent)

    def narrative(self, intent: Intent, catalog: Catalog) -> Answer:
        """The best answering paragraph of each report in scope, quoted; nothing when no paragraph answers."""
        if self.retriever is None:
            return Answer(intent.question, False, NOT_FOUND, kind="unanswerable", notice="叙述检索未启用。")
        scope = list(intent.reports) if 0 < len(intent.reports) < len(catalog.reports) else None
        try:
            hits = self.retriever.search(intent.question, scope, k=5)
        except Exception as e:  # the index or embedder failed to load: figures still work, say why
            return Answer(intent.question, False, NOT_FOUND, kind="unanswerable",
                          notice=f"叙述检索不可用：{type(e).__name__}: {e}")
        lines, citations, seen = [], [], {}
        for hit in hits:
            quote = clean_sentences(hit.quote)
            if not hit.answers or hit.paragraph.report in seen or not quote or len(seen) >= NARRATIVE_HITS:
                continue
            seen[hit.paragraph.report] = True
            section = hit.paragraph.section.rsplit("/", 1)[-1]
            lines.append(f"{catalog.label(hit.paragraph.report)}报告（{section}）：“{to_simplified(quote)}”")
            citations.append(Citation.from_paragraph(hit.paragraph, quote))
        if not citations:
            return Answer(intent.question, False, NOT_FOUND, kind="unanswerable")
        if intent.count and not any(states_count(c.quote) for c in citations):  # a count no paragraph gives
            related = "\n".join(lines)
            return Answer(intent.question, False, f"{NO_COUNT}\n相关段落（仅供参考，不是答案）：\n{related}",
                          tuple(citations), "unanswerable", tuple(seen))
        return Answer(intent.question, True, "\n".join(lines), tuple(citations), "narrative", tuple(seen))


class Session:
    """One conversation: `ask(question) -> Answer`, each question read in the light of the ones before."""

    def __init__(self, answerer: Answerer) -> None:
        self.answerer = answerer
        self.state = Conversation()

    def ask(self, question: str) -> Answer:
        answer, self.state = self.answerer.ask(question, self.state)
        return answer
