"""A question in a conversation → an Answer: table cells for figures and checks, paragraphs for the rest."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from core.records import Answer, Citation, Paragraph
from core.text import norm, to_simplified
from core.vocabulary import (
    COUNT_MEASURES,
    FOLLOWUP_PREFIXES,
    NONE_WORDS,
    OTHER_MATTERS,
    OTHER_MATTERS_TOPICS,
    WHO_WORDS,
)
from qa.consistency import Consistency
from qa.conversation import Conversation, merge
from qa.figures import Figures
from qa.intent import Intent
from qa.llm import Phraser, clean_sentences
from qa.match import holds, tagged
from qa.parse import Parsed, asked_unit, parse, said_in
from qa.plan import plan
from qa.rates import stated
from qa.resolve import resolve
from qa.scope import Catalog, catalog_of
from qa.sentences import item_heading, sentences
from store import Store

NOT_FOUND = "已收录的报告中没有找到能回答这个问题的内容。"
WAITS = "请先说明上一问是哪个机关，再一并回答。"
NO_COUNT = "报告没有给出这个数字。"
NO_PERSON = "报告没有写明是谁。"
NARRATIVE_HITS = 3  # paragraphs quoted at most (the best one per report)


# Dates are no counts: "2024年", "2023年1月5日", "1月".
_DATES = re.compile(r"\d{4}\s*年度?|\d{1,2}\s*月\s*(?:\d{1,2}\s*日)?|\d{1,2}\s*日")
_MEASURES = "|".join(map(re.escape, sorted(COUNT_MEASURES, key=len, reverse=True)))
_NUMERAL = r"(?:\d[\d,.]*|[一二两三四五六七八九十百千万]+)\s*[余多]?\s*"


def _counted(unit: str) -> re.Pattern:
    """A number with a measure word: the one asked ("多少条" → "161条"), or any when none was asked."""
    return re.compile(_NUMERAL + "(?:" + (said_in(unit) if unit else _MEASURES) + ")")


def states_count(quote: str, unit: str = "") -> bool:
    """Whether a quoted sentence gives some count in the unit asked ("多少条" → "161条"); when none was asked, any
    number (a telephone number), a counted numeral ("三场") or none ("未收取"). Years and dates are no counts."""
    plain = _DATES.sub("", quote)
    if unit:
        return bool(_counted(unit).search(plain))
    return bool(re.search(r"\d", plain) or _counted("").search(plain)) or any(w in plain for w in NONE_WORDS)


def gives_count(quote: str, unit: str = "", qualifiers: tuple[str, ...] = ()) -> bool:
    """A quoted sentence answers "多少" when one of its sentences states a count in the unit asked and holds every word
    of the question no cell covered ("网上申请…": the count must be said of 网上)."""
    plain = to_simplified(quote)  # "發布信息6057條" states a count in 条
    return any(states_count(s, unit) and all(holds(s, q) for q in qualifiers) for s in sentences(plain) or [plain])


def names_person(quote: str, question: str) -> bool:
    """Whether a quote names a person (a name as jieba tags it) and the office asked (the two characters before
    "是谁": 局长, 书记): only such a quote answers "局长是谁"."""
    plain, asked = to_simplified(quote), to_simplified(question)
    at = min((asked.find(w) for w in WHO_WORDS if w in asked), default=-1)
    office = asked[max(at - 2, 0) : at].strip("的") if at > 0 else ""
    if office and office not in plain:
        return False
    return any(w.flag == "nr" and 2 <= len(w.word) <= 3 for w in tagged(plain))


# An asking clause: it holds a question word ("多少", "几件", "是否") or, after the first, ends in 呢 ("企业申请多少，
# 个人呢"); clauses of a question split at commas (its questions at question marks: questions()).
_ASKS = re.compile(r"多少|几[件个次项家名人条批场篇期]?|是否|有没有|有无")
_LEANS = re.compile(r"呢\s*$")
_CLAUSE_END = re.compile(r"[，,；;]")
_QUESTION_END = re.compile(r"[？?]")
_WORD = re.compile(r"[\u3400-\u9fffA-Za-z0-9]{2}")
CLAUSE_KINDS = ("figure", "derived", "compare")  # answers that join into one: cited figures, each labelled


def clauses(question: str) -> list[str]:
    """The asking clauses of a question, each with the words before it that ask nothing ("淮安24年行政复议一共多少件，
    维持了多少？" → two); one clause → [question]."""
    out, lead = [], ""
    for piece in _CLAUSE_END.split(question):
        if not piece.strip():
            continue
        if _ASKS.search(piece) or (out and _LEANS.search(piece)):
            out.append(lead + piece)
            lead = ""
        else:
            lead += piece + "，"
    if lead and out:
        out[-1] += "，" + lead.rstrip("，")
    return out if len(out) > 1 else [question]


def questions(message: str) -> list[str]:
    """The questions of a message, each ending in a question mark ("…多少申请？存在什么问题？" → two); those of one
    question's clauses are clauses(); a piece saying nothing (a lone "？") is no question; one → [message]."""
    out = [q.strip() for q in _QUESTION_END.split(message) if _WORD.search(q)]
    return out if len(out) > 1 else [message]


def intent_of(p: Parsed, state: Conversation, catalog: Catalog) -> Intent:
    """A parsed question down the rest of the path, once: its agencies resolved → merged with the conversation →
    planned; a refusal on the way is handed on to the end."""
    return plan(merge(resolve(p, state.reports, catalog), state, catalog), catalog)


def joined(question: str, answers: list[Answer]) -> Answer:
    """The answers to a question's clauses as one answer: each text in turn, every citation once."""
    citations = tuple(dict.fromkeys(c for a in answers for c in a.citations))
    kinds = {a.kind for a in answers}
    chart = next((a for a in answers if a.chart), None)
    lines = dict.fromkeys(line for a in answers for line in a.text.splitlines())  # a warning said once
    return Answer(question, True, "\n".join(lines), citations,
                  kinds.pop() if len(kinds) == 1 else "figure",
                  tuple(dict.fromkeys(r for a in answers for r in a.reports)),
                  "\n".join(a.arithmetic for a in answers if a.arithmetic),
                  next((a.notice for a in answers if a.notice), ""),
                  chart.chart if chart else "", chart.points if chart else ())


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

    def catalog(self) -> Catalog:
        """The reports' aliases, rebuilt only after a write to the store (its generation: one row read per question)."""
        return catalog_of(self.store)

    def ask(self, question: str, state: Conversation | None = None) -> tuple[Answer, Conversation]:
        """The answer to one question, and the conversation state to pass with the next question.

        A question of several asking clauses ("行政复议一共多少件，维持了多少？") is answered clause by clause, each
        read in the light of the ones before, when that answers all it says: else as one question."""
        meant = self._completed(question, state)
        if meant:  # "淮安" after "“市政府”可能指多个机关…": the question asked back, about the agency named
            answer, after = self._by_clause(meant, replace(state, pending=()))
            answer = replace(answer, question=question, text=f"（即：{meant}）\n{answer.text}")
        else:
            answer, after = self._by_clause(question, state)
        if after.pending:  # a part of this message was asked back: the reply completes the whole message
            after = replace(after, pending=(meant or question, after.pending[1]))
        if self.phraser is not None and answer.answered:  # once, for the answer shown
            answer = self.phraser.phrase(answer)
        return answer, after

    def _completed(self, reply: str, state: Conversation | None) -> str:
        """The question the last turn asked back about ("“市政府”可能指多个机关…"), with the agency the reply names
        in place of the words asked about; "" when the reply does more than name one agency."""
        if state is None or not state.pending:
            return ""
        catalog = self.catalog()
        p = parse(reply, catalog, self.today)
        said = p.agencies[0] if len(p.agencies) == 1 and not (p.ambiguous or p.unmatched or p.unknown) else ""
        if not said or p.focus is not None or p.terms or p.ops or p.rest or p.tables or p.check or p.years \
                or p.calendar or p.offsets:
            return ""
        question, words = state.pending
        return question.replace(words, catalog.agencies[said].name, 1)

    def _by_clause(self, question: str, state: Conversation | None) -> tuple[Answer, Conversation]:
        asked = questions(question)
        if len(asked) > 1:  # "收到多少申请？存在什么问题？": each question answered, whatever its kind
            answers, state_ = self._in_turn(asked, state)
            if any(a.answered for a in answers):  # a part not answered says which it was
                return joined(question, [a if a.answered else replace(a, text=f"“{a.question}”：{a.text}")
                                         for a in answers]), state_
        whole, after = self._ask(question, state)
        parts = clauses(question)
        if len(parts) < 2 or not whole.answered:
            return whole, after
        answers, state_ = self._in_turn(parts, state)
        if not all(a.answered and a.kind in CLAUSE_KINDS for a in answers):
            return whole, after
        cited = {c for a in answers for c in a.citations}
        if not all(c in cited for c in whole.citations):  # the clauses lost part of the whole's answer
            return whole, after
        return joined(question, answers), state_

    def _in_turn(self, parts: list[str], state: Conversation | None) -> tuple[list[Answer], Conversation | None]:
        """Each part answered in turn; a later part naming no agency leans on the one before it, as a follow-up does
        ("维持了多少，纠正了多少": 复议's); one naming its agency is a question of its own."""
        answers = []
        catalog = self.catalog()
        for n, part in enumerate(parts):
            alone = part.startswith(FOLLOWUP_PREFIXES) or bool(catalog.find(norm(part))[0])
            if state is not None and state.pending and n and not alone:  # leans on a part asked back: wait for it
                answers.append(Answer(part, False, WAITS, kind="unanswerable"))
                continue
            lean = "那" if n and not alone else ""
            answer, state = self._ask(lean + part, state)
            answers.append(replace(answer, question=part))
        return answers, state

    def _ask(self, question: str, state: Conversation | None) -> tuple[Answer, Conversation]:
        """The deterministic answer to one question (or clause) and the state after it."""
        state = state or Conversation()
        catalog = self.catalog()
        intent = intent_of(parse(question, catalog, self.today), state, catalog)
        answer = self.deterministic(intent, catalog)
        if intent.note and answer.answered:
            answer = replace(answer, text=f"{intent.note}\n{answer.text}")
        kept = intent if answer.answered else replace(intent, kind="unanswerable")
        return answer, state.after(kept)

    def deterministic(self, intent: Intent, catalog: Catalog) -> Answer:
        if intent.kind == "unanswerable":
            return Answer(intent.question, False, intent.reason or NOT_FOUND, kind="unanswerable")
        if intent.kind == "check":
            return Consistency(self.store, catalog).answer(intent)
        if intent.kind == "narrative":
            answer = self.narrative(intent, catalog)
            if intent.needs:  # a rate no table gives ("满意率"): only a sentence stating it answers (qa.rates)
                return stated(answer, intent.needs)
            off = intent.named and not any(w in norm(c.quote) for c in answer.citations for w in intent.named)
            if (not answer.answered or off) and intent.fallback and intent.measures:
                return Figures(self.store, catalog).answer(replace(intent, kind="figure"))
            return answer
        return Figures(self.store, catalog).answer(intent)

    def narrative(self, intent: Intent, catalog: Catalog) -> Answer:
        """The best answering paragraph of each report in scope, quoted; nothing when no paragraph answers."""
        if self.retriever is None:
            return Answer(intent.question, False, NOT_FOUND, kind="unanswerable", notice="叙述检索未启用。")
        scope = list(intent.reports) if 0 < len(intent.reports) < len(catalog.reports) else None
        asked = intent.search or intent.question
        try:
            hits = self.retriever.search(asked, scope, k=5)
        except Exception as e:  # the index or embedder failed to load: figures still work, say why
            return Answer(intent.question, False, NOT_FOUND, kind="unanswerable",
                          notice=f"叙述检索不可用：{type(e).__name__}: {e}")
        unit = asked_unit(asked)
        if intent.count:  # "多少篇": of a report's answering paragraphs, one stating a count comes first ("21个")
            hits = sorted(hits, key=lambda h: not gives_count(clean_sentences(h.quote), unit, intent.qualifiers))
        lines, citations, seen = [], [], {}
        for hit in hits:
            quote = clean_sentences(hit.quote)
            if not hit.answers or hit.paragraph.report in seen or not quote or len(seen) >= NARRATIVE_HITS:
                continue
            seen[hit.paragraph.report] = True
            section = hit.paragraph.section.rsplit("/", 1)[-1]
            if hit.items and item_heading(hit.paragraph.section):  # the whole list: titled by its own heading
                section = hit.paragraph.section.rsplit("/", 2)[-2]
            more = [(item, clean_sentences(item.text)) for item in hit.items]
            said = "".join(f"“{to_simplified(q)}”" for q in [quote, *(q for _, q in more)] if q)
            lines.append(f"{catalog.label(hit.paragraph.report)}报告（{section}）：{said}")
            citations.append(Citation.from_paragraph(hit.paragraph, quote))
            citations += [Citation.from_paragraph(item, q) for item, q in more if q]
        if not citations:
            return self._nothing_else(intent, asked, catalog) or Answer(intent.question, False, NOT_FOUND,
                                                                        kind="unanswerable")
        who = any(w in to_simplified(asked) for w in WHO_WORDS)
        if (who and not any(names_person(c.quote, asked) for c in citations)) or (
                intent.count and not any(gives_count(c.quote, unit, intent.qualifiers) for c in citations)):
            related, why = "\n".join(lines), NO_PERSON if who else NO_COUNT
            return Answer(intent.question, False, f"{why}\n相关段落（仅供参考，不是答案）：\n{related}",
                          tuple(citations), "unanswerable", tuple(seen))
        return Answer(intent.question, True, "\n".join(lines), tuple(citations), "narrative", tuple(seen))

    def _nothing_else(self, intent: Intent, asked: str, catalog: Catalog) -> Answer | None:
        """"有没有收取信息处理费" that no paragraph answers, of reports whose 六、其他需要报告的事项 (where the format
        puts the fees) says only "无。": that statement, quoted, and that the report states no fee. None otherwise."""
        if not any(w in to_simplified(asked) for w in OTHER_MATTERS_TOPICS):
            return None
        scope = intent.reports or tuple(catalog.reports)
        if len(scope) > NARRATIVE_HITS:
            return None
        lines, citations = [], []
        for r in scope:
            part = [p for p in self.store.paragraphs(report=r) if OTHER_MATTERS in p.section.split("/", 1)[0]]
            said = nil_statement(part[0], catalog.reports[r].agency) if len(part) == 1 else ""
            if not said:
                return None  # a report saying more, or nothing: not for this rule to read
            lines.append(f"{catalog.label(r)}报告（{part[0].section.split('/', 1)[0]}）只写了“{said}”，"
                         "没有报告收取信息处理费。")
            citations.append(Citation.from_paragraph(part[0], said))
        if not citations:
            return None
        return Answer(intent.question, True, "\n".join(lines), tuple(citations), "narrative", tuple(scope))


_NIL_CLAUSE = re.compile(r"[。；;\s]")


def nil_statement(p: Paragraph, agency: str) -> str:
    """The paragraph's statement that there is nothing to report ("无。", "无其他需要报告的事项。",
    "无需要说明的其他事项。", "无" glued to the signature "无平潭综合实验区行政审批局 2020年1月2日"), or "" when it
    says anything else."""
    first = _NIL_CLAUSE.split(p.plain.strip(), maxsplit=1)[0]
    if first == "无" or (first.startswith("无") and agency and first[1:] == agency):
        return "无"
    if first.startswith("无") and first.endswith("事项") and len(first) <= 14 and "无法" not in first:
        return first
    return ""


class Session:
    """One conversation: `ask(question) -> Answer`, each question read in the light of the ones before."""

    def __init__(self, answerer: Answerer) -> None:
        self.answerer = answerer
        self.state = Conversation()

    def ask(self, question: str) -> Answer:
        answer, self.state = self.answerer.ask(question, self.state)
        return answer
