"""The records a planned question hands to the answer modules: the Intent and the Measures it computes."""

from __future__ import annotations

from dataclasses import dataclass

from qa.focus import Focus


@dataclass(frozen=True)
class Measure:
    """One figure: the sum of these cells (usually one). A group row stands for its leaves when not printed."""

    table: str
    pairs: tuple[tuple[str, str], ...]  # (row path, column path)
    label: str  # "予以公开（总计）"


@dataclass(frozen=True)
class Ratio:
    """A named rate in one part of a table: the sum of the numerator's measures over the denominator's."""

    label: str  # "行政诉讼纠错率（未经复议直接起诉与复议后起诉合计）"
    numerator: tuple[Measure, ...]  # one measure per term of the formula, labelled as the formula prints it
    denominator: tuple[Measure, ...]
    none: str  # said when the denominator is 0 (core.vocabulary.Rate.none)


@dataclass(frozen=True)
class Intent:
    """A question resolved against the stored reports and the conversation: what to compute, over which reports."""

    kind: str  # figure | derived | compare | rank | check | narrative | rate | unanswerable
    question: str
    reports: tuple[str, ...] = ()  # report ids in scope, in the order answers list them
    focus: Focus | None = None  # table part asked about (kept for follow-ups)
    measures: tuple[Measure, ...] = ()
    denominator: Measure | None = None  # share: what the measure is a share of
    operation: str = ""  # sum | share | diff | max | min | rank
    over: str = ""  # rank: "reports" (agencies, years) or "rows" (the leaves of one group)
    tables: tuple[str, ...] = ()  # check: tables asked about ("" = all)
    reason: str = ""  # unanswerable: why, in Chinese
    fallback: bool = False  # narrative first; the figures when no paragraph answers
    search: str = ""  # narrative: the words to look for, when not the question's own ("前一年呢": the last question's)
    named: tuple[str, ...] = ()  # fallback: the words for the table part named ("复议"); a quote saying none answers
    # something else ("复议的结果是什么" is not "绩效评价结果"), and the figures answer instead
    count: bool = False  # asks "how many": a quoted paragraph must state a count to answer it
    rate: str = ""  # rate: its name (core.vocabulary.RATES); "增长率" compares each report with the year before
    ratios: tuple[Ratio, ...] = ()  # rate: the formulas computed in each report ("增长率": none, `measures` instead)
    needs: str = ""  # narrative: a word every quoted sentence must hold (a rate no table gives: "满意率")
    qualifiers: tuple[str, ...] = ()  # words no cell covers ("网上"): a quoted count must be said of them
    asked_about: str = ""  # unanswerable: it asks which agency these words ("市政府") mean; the reply completes it
    note: str = ""  # how the question was read, said before the answer ("尚未收录2026年的报告，以下按最新报告回答。")
