"""A rate asked for by name (公开率, 纠错率, 办结率 …) → the Intent that computes it from cited cells, or a refusal.

The formulas are data (core.vocabulary.RATES). A rate by a name no table holds ("满意率") is never computed as
another one: it goes to the narrative, where only a sentence stating it answers."""

from __future__ import annotations

import re
from dataclasses import replace

from core.records import Answer
from core.template import APPEAL_GROUPS, TABLE_4, TOTAL_COLUMN
from core.text import norm
from core.vocabulary import NOT_RATES, RATE_FRAME, RATE_SUBJECT_NAMES, RATE_SUBJECTS, RATES, Rate
from qa.focus import Focus, Pick
from qa.intent import Intent, Measure, Ratio
from qa.labels import column_label, group_label
from qa.match import holds
from qa.parse import Parsed

_RATE_WORD = re.compile(r"[\u3400-\u9fff]{2}率")
_HAN = re.compile(r"[\u3400-\u9fff]")
LITIGATION = Pick(APPEAL_GROUPS[1:], "行政诉讼（未经复议直接起诉与复议后起诉合计）")
DEFAULT_GROUPS = (Pick(APPEAL_GROUPS[:1], "行政复议"), LITIGATION)  # 纠错率 said of no group: each
GROWTH = next(r for r in RATES if not r.table)


def named(text: str) -> tuple[Rate, str] | None:
    """The rate a question names and the word it uses, longest word first."""
    words = sorted(((norm(a), r) for r in RATES for a in r.aliases), key=lambda w: -len(w[0]))
    return next(((r, a) for a, r in words if a in text), None)


def unknown(text: str) -> str:
    """A word for a rate no formula gives ("满意率", "好评率"), or ""."""
    for m in _RATE_WORD.finditer(text):
        if not any(m.group(0).endswith(w) for w in NOT_RATES):
            return m.group(0)
    return ""


def listing() -> str:
    return "、".join(r.name for r in RATES)


def _qualified(p: Parsed, rate: Rate) -> bool:
    """The question says more than the rate, its table and the frame: "部门预决算的公开率" is not the requests' one."""
    left = p.other
    words = {w for a in rate.aliases for w in (norm(a), norm(a).rstrip("率"))} | set(RATE_FRAME)
    for w in sorted(words, key=len, reverse=True):
        left = left.replace(w, "")
    # what the rate is of anyway ("申请公开的办结率": the table's requests) qualifies nothing
    subject = RATE_SUBJECTS.get(rate.table, "") + "".join(s for _, s in rate.numerator + rate.denominator)
    left = "".join(_HAN.findall(left))
    return len(left) >= 2 and not holds(subject, left)


def plan_rate(p: Parsed, base: Intent, focus: Focus | None, figure: Measure | None) -> Intent | None:
    """The Intent of a question naming a rate; None when it names none. `figure`: what the focus names (增长率)."""
    found = named(p.text)
    if found is None:
        word = unknown(p.text)
        return replace(base, kind="narrative", needs=word, count=True, measures=()) if word else None
    rate, word = found
    if _qualified(p, rate):  # a rate of something the tables do not count: only the report's own words answer
        return replace(base, kind="narrative", needs=word, count=True, measures=())
    if not rate.table:
        return _growth(base, figure)
    ratios = _table_4(rate, focus) if rate.table == "四" else _table_3(rate, focus)
    return replace(base, kind="rate", rate=rate.name, ratios=tuple(ratios), operation="rate")


def _table_3(rate: Rate, focus: Focus | None) -> list[Ratio]:
    """One ratio per applicant column named (总计 when none)."""
    columns = focus.second if focus and focus.table == "三" and focus.second else (Pick((TOTAL_COLUMN,), "总计"),)
    out = []
    for c in columns:
        def terms(side: tuple[tuple[str, str], ...], c: Pick = c) -> tuple[Measure, ...]:
            return tuple(Measure("三", tuple((row, t) for t in c.targets), short) for row, short in side)
        head = "" if c.targets == (TOTAL_COLUMN,) else "、".join(column_label("三", t) for t in c.targets)
        out.append(Ratio(f"{head}{rate.name}", terms(rate.numerator), terms(rate.denominator), rate.none))
    return out


def _table_4(rate: Rate, focus: Focus | None) -> list[Ratio]:
    """One ratio per appeal group named; 行政复议 and 行政诉讼 (both groups, summed) when none is."""
    groups = focus.first if focus and focus.table == "四" and focus.first else DEFAULT_GROUPS
    row = TABLE_4.rows[0].path
    out = []
    for g in groups:
        label = LITIGATION.label if set(g.targets) == set(LITIGATION.targets) else "、".join(
            group_label(t) for t in g.targets)
        short = label.split("（")[0] if g == LITIGATION or len(g.targets) > 1 else g.targets[0].split("/")[-1]

        def terms(side: tuple[tuple[str, str], ...], g: Pick = g, kind: str = short) -> tuple[Measure, ...]:
            return tuple(Measure("四", tuple((row, f"{t}/{o}") for t in g.targets), f"{kind}{word}")
                         for o, word in side)
        out.append(Ratio(f"{label}{rate.name}", terms(rate.numerator), terms(rate.denominator), f"没有{short}案件"))
    return out


def _growth(base: Intent, figure: Measure | None) -> Intent:
    """增长率 of the figure the question names, each report against the same agency's year before."""
    if figure is None:
        return replace(base, kind="unanswerable", measures=(),
                       reason="请说明是哪一项的增长率（例如“2024年新收申请的增长率是多少？”）。")
    return replace(base, kind="rate", rate=GROWTH.name, measures=(figure,), operation="rate")


def stated(answer: Answer, word: str) -> Answer:
    """A narrative answer kept only where a quoted sentence states `word` itself; else a refusal naming the rates the
    tables give."""
    if answer.answered and any(word in norm(c.quote) for c in answer.citations):
        return answer
    found = named(word)
    if found and found[0].table:  # a rate the tables give, asked of something else ("部门预决算的公开率")
        of = RATE_SUBJECT_NAMES[found[0].table]
        return Answer(answer.question, False, f"报告没有给出所问的“{word}”。按表格能计算的{found[0].name}只针对{of}，"
                      "与所问的不是一回事。", kind="unanswerable")
    return Answer(answer.question, False, f"报告没有给出“{word}”。按表格能计算的比率有：{listing()}。",
                  kind="unanswerable")
