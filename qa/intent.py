"""Focus → the measures an answer computes (which cells to add up), and the Intent record answers are built from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.template import RESULTS, TABLE_2, TABLE_2_2019, TABLE_3, TABLE_4, TOTAL_COLUMN
from core.vocabulary import DONE, TABLE_2_TWINS
from qa.labels import column_label, row_label
from qa.understand import Focus, Pick, default_first


@dataclass(frozen=True)
class Measure:
    """One figure: the sum of these cells (usually one). A group row stands for its leaves when not printed."""

    table: str
    pairs: tuple[tuple[str, str], ...]  # (row path, column path)
    label: str  # "予以公开（总计）"


@dataclass(frozen=True)
class Intent:
    """A question resolved against the stored reports and the conversation: what to compute, over which reports."""

    kind: str  # figure | derived | compare | rank | check | narrative | unanswerable
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
    count: bool = False  # asks "how many": a quoted paragraph must state a count to answer it
    note: str = ""  # how the question was read, said before the answer ("尚未收录2026年的报告，以下按最新报告回答。")


TOTAL = Pick((TOTAL_COLUMN,), "总计")


def _each(picks: tuple[Pick, ...], label: Callable[[str], str]) -> list[Pick]:
    out: list[Pick] = []
    for p in picks:
        out += [Pick((t,), label(t)) for t in p.targets] if p.combine == "each" and len(p.targets) > 1 else [p]
    return out


def measures(focus: Focus) -> list[Measure]:
    """Every figure the focus names, one per (first, second) pick; defaults fill the dimensions left out."""
    t = focus.table
    if t == "四":
        row = TABLE_4.rows[0].path
        groups = _each(focus.first or default_first(t), lambda g: g)
        outcomes = _each(focus.second or (TOTAL,), lambda o: o)
        return [Measure(t, tuple((row, f"{g}/{o}") for g in gp.targets for o in op.targets), f"{gp.label}{op.label}")
                for gp in groups for op in outcomes]
    rows = _each(focus.first or default_first(t), lambda r: row_label(t, r))
    if t == "三":
        cols = _each(focus.second or (TOTAL,), lambda c: column_label(t, c))
        return [Measure(t, tuple((r, c) for r in rp.targets for c in cp.targets), f"{rp.label}（{cp.label}）")
                for rp in rows for cp in cols]
    out = []
    for rp in rows:
        for r in rp.targets:
            allowed = table_2_columns(r)
            named = [c for p in focus.second for c in p.targets if c in allowed]
            for c in (named if focus.second else table_2_columns(r, first_layout=True)):
                out.append(Measure(t, ((r, c),), f"{row_label(t, r)}（{column_label(t, c)}）"))
    return out


def table_2_columns(row: str, first_layout: bool = False) -> tuple[str, ...]:
    """The columns of a 表二 row in either layout (2021, then 2019; twins in synonyms.TABLE_2_TWINS), or only in the
    first layout that prints the row (what a question naming no column means)."""
    twins = {row} | {a for a, b in TABLE_2_TWINS.items() if b == row} | {TABLE_2_TWINS.get(row, row)}
    back = {b: a for a, b in TABLE_2_TWINS.items()}  # a column as the vocabulary names it ("本年处理决定数量")
    layouts = [[back.get(c, c) for r in t.rows if r.path in twins for c in r.columns] for t in (TABLE_2, TABLE_2_2019)]
    if first_layout:
        return tuple(next((cols for cols in layouts if cols), []))
    return tuple(dict.fromkeys(c for cols in layouts for c in cols))


def merged(ms: list[Measure]) -> Measure:
    """Several measures as one sum: "予以公开、部分公开（总计）"."""
    if len(ms) == 1:
        return ms[0]
    heads, tails = zip(*(m.label.partition("（")[::2] for m in ms), strict=True)
    label = f"{'、'.join(dict.fromkeys(heads))}（{tails[0]}" if len(set(tails)) == 1 else "与".join(m.label for m in ms)
    return Measure(ms[0].table, tuple(dict.fromkeys(p for m in ms for p in m.pairs)), label)


def _is_result(row: str) -> bool:
    return row.startswith(RESULTS + "/") and row != DONE


def denominator(focus: Focus, explicit: Focus | None) -> Focus | None:
    """What a share is a share of: results of 办理结果总计, applicants of 总计, outcomes of their group's 总计."""
    first = focus.first or default_first(focus.table)
    if explicit and explicit.table == focus.table and focus.table != "二":
        den_first = explicit.first or first
        same_rows = {t for p in den_first for t in p.targets} == {t for p in first for t in p.targets}
        return Focus(focus.table, den_first, explicit.second or ((TOTAL,) if same_rows else focus.second))
    rows = {t for p in first for t in p.targets}
    if focus.table == "三" and rows and all(_is_result(r) for r in rows):
        return Focus("三", (Pick((DONE,), "办理结果总计"),), focus.second)
    if focus.table == "三" and focus.second and focus.second != (TOTAL,):
        return Focus("三", first, (TOTAL,))
    if focus.table == "四" and focus.second and focus.second != (TOTAL,):
        return Focus("四", first, (TOTAL,))
    if focus.table == "四" and focus.first:
        return Focus("四", default_first("四"), (TOTAL,))
    return None


def group_rows(focus: Focus) -> list[str]:
    """Leaves of the one 表三 group row the focus names (for "不予公开里哪一项最多"), else []."""
    first = focus.first
    if focus.table != "三" or len(first) != 1 or len(first[0].targets) != 1:
        return []
    path = first[0].targets[0]
    return [r.path for r in TABLE_3.rows if r.path.startswith(path + "/")]
