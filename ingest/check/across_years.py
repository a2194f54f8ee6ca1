"""Consecutive reports of one agency → checks across years: carry-over (上年结转 = 上年的结转下年度继续办理) per
applicant column, and, as plausibility only, 现行有效 against last year's plus this year's changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache

from core.records import Cell, Check, Report
from core.template import APPLICANTS, CARRIED, DOCS, ITEM_1, NEXT_YEAR
from ingest.check.rules import guarded
from store import Store

CROSS_YEAR = ("continuity", "plausibility")  # Check.kind of the checks this module owns, stored under year N
MADE, REPEALED, VALID = DOCS
DOC_ROWS = (f"{ITEM_1}/规章", f"{ITEM_1}/行政规范性文件")


def _grid(cells: Iterable[Cell]) -> dict[tuple[str, str, str], Cell]:
    return {(c.table, c.row, c.column): c for c in cells}


def carry_over(earlier: Report, later: Report, before: list[Cell], after: list[Cell]) -> list[Check]:
    """上年结转 (N) = 结转下年度继续办理 (N−1), for every applicant column both reports print."""
    old, new = _grid(before), _grid(after)
    out = []
    for column in APPLICANTS:
        left, right = new.get(("三", CARRIED, column)), old.get(("三", NEXT_YEAR, column))
        if left is None or right is None:
            continue
        status = "unknown" if None in (left.value, right.value) else ("pass" if left.value == right.value else "fail")
        out.append(Check(later.id, f"跨年/上年结转/{column}", "continuity",
                         f"{later.year}年“上年结转”（{column}）= {earlier.year}年“结转下年度继续办理”（{column}）",
                         left.value, right.value, (left.address,), (right.address,), status))
    return out


def still_valid(earlier: Report, later: Report, before: list[Cell], after: list[Cell]) -> list[Check]:
    """现行有效 (N) against 现行有效 (N−1) + 本年制发 (N) − 本年废止 (N): a plausibility check, not an identity
    (documents also lapse or are consolidated without being counted as 废止)."""
    old, new = _grid(before), _grid(after)
    out = []
    for row in DOC_ROWS:
        terms = [old.get(("二", row, VALID)), new.get(("二", row, MADE)), new.get(("二", row, REPEALED))]
        valid = new.get(("二", row, VALID))
        if valid is None or any(t is None for t in terms):
            continue  # the 2019 layout prints other columns: nothing to compare
        values = [t.value for t in terms]
        expected = None if None in values else values[0] + values[1] - values[2]
        status = "unknown" if None in (expected, valid.value) else ("pass" if expected == valid.value else "fail")
        name = row.rsplit("/", 1)[-1]
        out.append(Check(later.id, f"跨年/现行有效/{name}", "plausibility",
                         f"{later.year}年{name}“现行有效件数”与 {earlier.year}年现行有效 + {later.year}年本年制发 − "
                         f"{later.year}年本年废止 对照（合理性提示，非勾稽关系）",
                         valid.value, expected, (valid.address,), tuple(t.address for t in terms), status))
    return out


def _pair_checks(earlier: Report, later: Report, cells: Callable[[str], list[Cell]]) -> list[Check]:
    before, after = cells(earlier.id), cells(later.id)
    return [*guarded(later.id, "跨年度结转", lambda: carry_over(earlier, later, before, after)),
            *guarded(later.id, "跨年度现行有效", lambda: still_valid(earlier, later, before, after))]


def recheck_agency(store: Store, agency: str) -> list[Check]:
    """Recompute the cross-year checks of every report of one agency and store them (replacing the old ones).

    Call it whenever a report of the agency is added, replaced or removed (the pipeline and removal do)."""
    reports = [r for r in store.reports(agency=agency) if r.year]
    by_year: dict[int, list[Report]] = {}
    for r in reports:
        by_year.setdefault(r.year, []).append(r)
    out: list[Check] = []
    cells = cache(lambda report: store.cells(report=report))  # a middle year is both pairs' "later" and "earlier"
    for later in reports:
        previous = by_year.get(later.year - 1, [])
        if len(previous) == 1:
            checks = _pair_checks(previous[0], later, cells)
        elif previous:  # two reports claim the same year: which one carries over is not ours to guess
            ids = "、".join(r.id for r in previous)
            checks = [Check(later.id, "跨年/上年报告不唯一", "continuity",
                            f"{later.year - 1}年有多份报告（{ids}），无法确定与哪一份对照", None, None,
                            tuple(r.id for r in previous), (later.id,), "unknown")]
        else:
            checks = []
        store.replace_checks(later.id, CROSS_YEAR, checks)
        out += checks
    return out


def recheck(store: Store, *agencies: str) -> list[Check]:
    """Cross-year checks for each named agency (duplicates and empty names skipped)."""
    return [c for a in dict.fromkeys(agencies) if a for c in recheck_agency(store, a)]
