"""Cells and paragraphs → cross-footing checks (勾稽关系) and narrative-vs-table checks."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .clean import norm
from .models import Cell, Check, Figure, Paragraph
from .template import (
    APPEAL_GROUPS,
    APPLICANTS,
    NARRATIVE_FIGURES,
    NARRATIVE_SUMS,
    OUTCOMES,
    RESULTS,
    TOTAL_COLUMN,
    Table,
)

Key = tuple[str, str]  # (row path, column path)
ROW_NEW, ROW_CARRIED = "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"
ROW_TOTAL, ROW_NEXT = f"{RESULTS}/（七）总计", "四、结转下年度继续办理"


@dataclass(frozen=True)
class Identity:
    """left = right, over cells of one table."""

    table: str
    name: str
    description: str
    left: tuple[Key, ...]
    right: tuple[Key, ...]

    def evaluate(self, values: Mapping[Key, float | int | None]) -> tuple[float | None, float | None, str]:
        """(left sum, right sum, "pass" | "fail" | "unknown"); a missing or unknown term makes it unknown."""
        sums = []
        for side in (self.left, self.right):
            terms = [values.get(k) for k in side]
            sums.append(None if any(t is None for t in terms) else round(sum(terms), 6))
        left, right = sums
        if left is None or right is None:
            return left, right, "unknown"
        return left, right, "pass" if abs(left - right) < 1e-6 else "fail"


def _short(row: str) -> str:
    return row.rsplit("/", 1)[-1]


def row_identity(table: Table, row: str) -> Identity | None:
    """The identity inside one printed row (表三: 总计 = six applicant columns; 表四: each group's 总计)."""
    if table.name == "三":
        parts = tuple((row, c) for c in APPLICANTS[:-1])
        return Identity("三", f"三/行/{row}", f"表三“{_short(row)}”行：总计 = 各类申请人之和",
                        ((row, TOTAL_COLUMN),), parts)
    return None


def identities(table: Table, rows: Iterable[str]) -> list[Identity]:
    """Every identity of FORMAT.md that the printed rows allow."""
    rows = list(rows)
    out: list[Identity] = []
    if table.name == "三":
        out += [i for r in rows if (i := row_identity(table, r))]
        if {ROW_NEW, ROW_CARRIED, ROW_TOTAL, ROW_NEXT} <= set(rows):
            for c in APPLICANTS:
                out.append(Identity("三", f"三/列/{c}/收支", f"表三“{c}”列：一 + 二 = 三（七）总计 + 四",
                                    ((ROW_NEW, c), (ROW_CARRIED, c)), ((ROW_TOTAL, c), (ROW_NEXT, c))))
        results = [r for r in rows if r.startswith(RESULTS + "/") and r != ROW_TOTAL]
        if ROW_TOTAL in rows and results:
            for c in APPLICANTS:
                out.append(Identity("三", f"三/列/{c}/办理结果", f"表三“{c}”列：（七）总计 = 各项办理结果之和",
                                    ((ROW_TOTAL, c),), tuple((r, c) for r in results)))
    if table.name == "四":
        row = table.rows[0].path
        for g in APPEAL_GROUPS:
            out.append(Identity("四", f"四/{g}", f"表四“{g}”：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
                                ((row, f"{g}/总计"),), tuple((row, f"{g}/{o}") for o in OUTCOMES[:-1])))
    return out


def table_checks(report: str, table: Table, cells: list[Cell]) -> list[Check]:
    values = {(c.row, c.column): c.value for c in cells if c.table == table.name}
    rows = dict.fromkeys(c.row for c in cells if c.table == table.name)
    out = []
    for ident in identities(table, rows):
        left, right, status = ident.evaluate(values)
        addr = lambda k: f"{report}/{table.name}/{k[0]}/{k[1]}"  # noqa: E731
        out.append(Check(report, ident.name, "identity", ident.description, left, right,
                         tuple(map(addr, ident.left)), tuple(map(addr, ident.right)), status))
    return out


def narrative_figures(paragraphs: Iterable[Paragraph]) -> list[Figure]:
    """Figures the narrative quotes for a cell, e.g. “受理依申请公开事项224件” → 表三 一/总计 = 224."""
    out: list[Figure] = []
    seen: set[tuple] = set()
    for p in paragraphs:
        text = norm(p.plain)
        for table, row, column, pattern in NARRATIVE_FIGURES:
            for m in re.finditer(pattern, text):
                key = (table, row, column, p.address)
                if key not in seen:
                    seen.add(key)
                    out.append(Figure(table, row, column, int(m.group(1)), m.group(0), p.address))
    return out


def narrative_checks(report: str, cells: list[Cell], figures: list[Figure]) -> list[Check]:
    values = {(c.table, c.row, c.column): c for c in cells}
    out = []
    for f in figures:
        cell = values.get((f.table, f.row, f.column))
        if cell is None:
            continue
        terms, value, note = [cell], cell.value, ""
        summed = [values.get((f.table, r, f.column)) for r in NARRATIVE_SUMS.get((f.table, f.row), ())]
        if value != f.value and summed and all(c is not None and c.value is not None for c in summed):
            if sum(c.value for c in summed) == f.value:  # the narrative counts carried-over requests too
                terms, value = summed, f.value
                note = "（含" + "、".join(_short(c.row) for c in summed[1:]) + "）"
        status = "unknown" if value is None else ("pass" if value == f.value else "fail")
        out.append(Check(report, f"叙述/{f.table}/{f.row}/{f.column}", "narrative",
                         f"正文“{f.quote}”对照表{f.table}“{_short(f.row)}/{f.column}”{note}",
                         f.value, value, (f.paragraph,), tuple(c.address for c in terms), status))
    return out
