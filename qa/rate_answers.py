"""A rate Intent + stored cells → the rate in each report, its formula written out with every term a cited cell.

"公开率 = (予以公开 12 + 部分公开 3) ÷ 办理结果总计 20 = 75.0%". A denominator of 0 means there were no cases: said
so, never 0% or 100%. A sentence of the report printing the rate itself is quoted first, beside the computation."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from core.records import Answer, Citation, Paragraph
from core.text import norm
from core.vocabulary import RATE_TOPICS, RATES
from qa.intent import Intent, Ratio
from qa.labels import amount, exact_sum, number, percent

if TYPE_CHECKING:
    from qa.figures import Figures, Value


def _sum(vs: list[Value]) -> float | int:
    return exact_sum(v.total for v in vs)


def _side(vs: list[Value]) -> str:
    """"予以公开 12 + 部分公开 3" in brackets when several; a term of several cells shows them: "结果纠正 (1 + 0)"."""
    def term(v: Value) -> str:
        cells = " + ".join(number(c.value) for c in v.cells)
        return f"{v.measure.label} {f'({cells})' if len(v.cells) > 1 else cells}"
    text = " + ".join(term(v) for v in vs)
    return f"({text})" if len(vs) > 1 else text


def _arithmetic(top: list[Value], below: list[Value], result: str) -> str:
    """The computation in numbers only ("12 + 3 = 15；15 ÷ 20 = 75.0%"): each sum, then the division."""
    steps, totals = [], []
    for side in (top, below):
        cells = [c.value for v in side for c in v.cells]
        totals.append(number(_sum(side)))
        if len(side) > 1:  # a term of several cells has its own sum written out (figures.Value.arithmetic)
            steps.append(f"{' + '.join(number(x) for x in cells)} = {totals[-1]}")
    return "；".join([*steps, f"{totals[0]} ÷ {totals[1]} = {result}"])


def ratio_line(head: str, ratio: Ratio, top: list[Value], below: list[Value]) -> tuple[str, str]:
    """The sentence for one ratio in one report, and its arithmetic ("" when nothing is computed)."""
    unknown = [v for v in top + below if v.total is None]
    if unknown:
        return f"{head}{ratio.label}无法计算：{'；'.join(f'{v.measure.label}{v.describe()}' for v in unknown)}。", ""
    den = _sum(below)
    if not den:
        zero = _side(below) + (" = 0" if len(below) > 1 or len(below[0].cells) > 1 else "")
        return f"{head}{ratio.none}（{zero}），{ratio.label}无从计算。", ""
    result = percent(_sum(top), den)
    return f"{head}{ratio.label} = {_side(top)} ÷ {_side(below)} = {result}。", _arithmetic(top, below, result)


def printed_rate(figures: Figures, report: str, words: tuple[str, ...],
                 table: str = "") -> tuple[str, Paragraph] | None:
    """A sentence of the report printing the rate itself ("办结率100%"), with its paragraph; for a rate of 表三 or
    表四, one that speaks of requests or appeals (a 12345 hotline's "办理率达100%" is no rate of requests)."""
    said = "(?:" + "|".join(map(re.escape, words)) + ")"
    about = RATE_TOPICS.get(table, ())
    return figures.printed(report, re.compile(said + r"[^。；;]{0,8}?\d+(?:\.\d+)?\s*%"),
                           lambda sentence: not about or any(w in sentence for w in about))


def answer_rate(figures: Figures, intent: Intent) -> Answer:
    """Each ratio of the intent in each report in scope (增长率: each report against its year before)."""
    if not intent.ratios:
        return growth(figures, intent)
    rate = next(r for r in RATES if r.name == intent.rate)
    lines, values, sums, quoted = [], [], [], []
    for report in intent.reports:
        head = figures.label(report)
        for ratio in intent.ratios:
            top = [figures.value(report, m) for m in ratio.numerator]
            below = [figures.value(report, m) for m in ratio.denominator]
            values += top + below
            line, arithmetic = ratio_line(head, ratio, top, below)
            lines.append(line)
            sums += [arithmetic] if arithmetic else []
        if printed := printed_rate(figures, report, tuple(norm(a) for a in rate.aliases), rate.table):
            sentence, paragraph = printed
            lines.append(f"{head}报告原文写明：“{sentence}”")
            quoted.append(Citation.from_paragraph(paragraph, sentence))
    answer = figures._answer(intent, lines, values, "derived", extra=sums)
    return _quoted_first(answer, quoted)


def _quoted_first(answer: Answer, quoted: list[Citation]) -> Answer:
    return replace(answer, citations=tuple(quoted) + answer.citations) if quoted else answer


def growth(figures: Figures, intent: Intent) -> Answer:
    """(本年 − 上年) ÷ 上年 of the measure, each report against the same agency's report of the year before."""
    m = intent.measures[0]
    catalog = figures.catalog
    lines, values, sums = [], [], []
    for report in intent.reports:
        r = catalog.reports[report]
        prior = catalog.of_key(catalog.agency_of(report)).report((r.year or 0) - 1)
        if prior is None:
            lines.append(f"未收录{r.agency}{(r.year or 0) - 1}年的报告，无法计算{r.year}年{m.label}的增长率。")
            continue
        now, before = figures.value(report, m), figures.value(prior.id, m)
        values += [now, before]
        head = f"{figures.label(report)}{m.label}为{now.describe()}，{figures.label(prior.id)}为{before.describe()}"
        if now.total is None or before.total is None:
            lines.append(f"{head}，因此无法计算增长率。")
        elif not before.total:
            lines.append(f"{head}，上一年为0，增长率无从计算（{amount(now.total, now.unit)}，上一年没有）。")
        else:
            diff = round(now.total - before.total, 6)
            share = percent(diff, before.total)
            sums.append(f"{number(now.total)} − {number(before.total)} = {number(diff)}；"
                        f"{number(diff)} ÷ {number(before.total)} = {share}")
            lines.append(f"{head}；增长率 = ({r.year}年 {number(now.total)} − {prior.year}年 {number(before.total)}) ÷ "
                         f"{prior.year}年 {number(before.total)} = {share}。")
    if not values:
        return Answer(intent.question, False, "\n".join(lines), kind="unanswerable")
    return figures._answer(intent, lines, values, "derived", extra=sums)
