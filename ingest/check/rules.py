"""Cells and paragraphs → cross-footing checks (勾稽关系) and narrative-vs-table checks."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from core.records import Cell, Check, Figure, Paragraph
from core.template import (
    APPEAL_GROUPS,
    APPLICANTS,
    NARRATIVE_PHRASES,
    OUTCOME_WORDS,
    OUTCOMES,
    RESULTS,
    SUB_UNIT,
    TABLES,
    TOTAL_COLUMN,
    Phrase,
    Table,
)
from core.text import norm
from ingest.check.units import CONFLICT
from ingest.parse.digits import number

Key = tuple[str, str]  # (row path, column path)
# Check.kind → what staff read: the report's own identities, its text against its tables, across years…
KIND_LABELS = {"identity": "勾稽关系", "narrative": "正文与表格", "conflict": "正文前后", "unit": "单位",
               "continuity": "跨年度结转", "plausibility": "跨年度合理性（仅供参考）", "error": "核对出错"}
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


def _clause(text: str, start: int) -> str:
    """The clause a match starts in, up to the match: “2024年,区政府办代表区政府” of “…代表区政府受理…”."""
    return re.split(r"[,。;]", text[:start])[-1]


def _confident(phrase: Phrase, m: re.Match, text: str) -> bool:
    """Only phrases that name their cells unambiguously: no other kind of result named inside the quote or
    joined to it, and for totals, no sub-unit of the agency named in the clause."""
    words = [w for w in OUTCOME_WORDS if w in m.group(0)]
    joined = re.search(f"(?:{'|'.join(OUTCOME_WORDS)})(?:及|和|与|、|或)$", text[:m.start()])
    if len(phrase.sums[0]) == 1 and (len(words) > 1 or joined):  # “予以公开和不予公开共12件”: a sum we don't know
        return False
    return not (phrase.scoped and re.search(SUB_UNIT, _clause(text, m.start()) + m.group(0)))


def narrative_figures(paragraphs: Iterable[Paragraph]) -> list[Figure]:
    """Figures the narrative quotes for cells, e.g. “受理依申请公开事项224件” → 表三 一/总计 = 224;
    “予以公开及部分公开30件” → （一）+（二）. Each printed number belongs to the first phrase that claims it."""
    out: list[Figure] = []
    for p in paragraphs:
        text = norm(p.plain)
        claimed: set[int] = set()
        found: list[Figure] = []
        for phrase in NARRATIVE_PHRASES:
            for pattern in phrase.patterns:
                for m in re.finditer(pattern, text):
                    if m.start(1) in claimed or not _confident(phrase, m, text):
                        continue
                    claimed.add(m.start(1))
                    found.append(Figure(phrase.table, phrase.row, phrase.column, int(m.group(1)), m.group(0),
                                        p.address, phrase.sums, m.start(1)))
        out += sorted(found, key=lambda f: f.position)
    return out


def _term_value(cells: Mapping[tuple[str, str, str], Cell], table: str, row: str, column: str) -> list[Cell] | None:
    """The cells a row stands for in one column: the row's own cell, or a group's leaves; None when not printed."""
    if (table, row, column) in cells:
        return [cells[(table, row, column)]]
    leaves = [c for (t, r, col), c in cells.items() if t == table and col == column and r.startswith(row + "/")]
    return leaves or None


def _alternative(cells: Mapping, figure: Figure, rows: tuple[str, ...]) -> list[Cell] | None:
    terms: list[Cell] = []
    for row in rows:
        found = _term_value(cells, figure.table, row, figure.column)
        if found is None:
            return None
        terms += found
    return terms


def _total(terms: list[Cell]) -> float | int | None:
    if any(c.value is None for c in terms):
        return None
    total = sum(c.value for c in terms)
    return round(total, 6) if isinstance(total, float) else total


def narrative_checks(report: str, cells: list[Cell], figures: list[Figure]) -> list[Check]:
    """Each narrative figure against its cell or sum of cells; two sentences that disagree are a finding too.

    Repeated figures get distinct names (“…#2”), so a report that says the same thing twice still goes in."""
    by_key = {(c.table, c.row, c.column): c for c in cells}
    out: list[Check] = []
    seen: dict[str, list[Figure]] = {}
    for f in figures:
        options = [t for rows in f.alternatives if (t := _alternative(by_key, f, rows))]
        if not options:
            continue  # the report prints no such cell: nothing to compare with
        base = f"叙述/{f.table}/{f.row}/{f.column}"
        seen.setdefault(base, []).append(f)
        name = base if len(seen[base]) == 1 else f"{base}#{len(seen[base])}"
        terms = next((t for t in options if _total(t) == f.value), options[0])
        value = _total(terms)
        note = "" if len(terms) < 2 else "（" + " + ".join(_short(c.row) for c in terms) + "）"
        status = "unknown" if value is None else ("pass" if value == f.value else "fail")
        out.append(Check(report, name, "narrative", f"正文“{f.quote}”对照表{f.table}“{_label(f)}/{f.column}”{note}",
                         f.value, value, (f.paragraph,), tuple(c.address for c in terms), status))
    return out + _conflicts(report, seen)


def _label(f: Figure) -> str:
    return "+".join(_short(r) for r in f.alternatives[0])


def _conflicts(report: str, seen: dict[str, list[Figure]]) -> list[Check]:
    """Two sentences giving one figure different values (only where the phrase names exactly one sum)."""
    out = []
    for base, figures in seen.items():
        first = figures[0]
        if len(first.alternatives) > 1:
            continue  # “受理” may or may not count carried-over requests: two values can both be right
        for k, other in enumerate(figures[1:], start=2):
            if other.value != first.value:
                out.append(Check(report, f"{base}#{k}/前后", "conflict",
                                 f"正文前后不一致：“{first.quote}”与“{other.quote}”（表{first.table}“{_label(first)}”）",
                                 first.value, other.value, (first.paragraph,), (other.paragraph,), "fail"))
    return out


def guarded(report: str, family: str, run: Callable[[], list[Check]]) -> list[Check]:
    """One family of checks; a failure inside it becomes a finding about that family, never a rejected report."""
    try:
        return run()
    except Exception as e:  # a check must not stop the report going in
        why = f"核对“{family}”时程序出错（{type(e).__name__}），该项未能核对"
        return [Check(report, f"出错/{family}", "error", why, None, None, (), (), "unknown")]


def unique(checks: list[Check]) -> list[Check]:
    """Distinct names (the stored address of a check): a repeated name gets “#2”, “#3”…"""
    seen: dict[str, int] = {}
    out = []
    for c in checks:
        seen[c.name] = seen.get(c.name, 0) + 1
        out.append(c if seen[c.name] == 1 else replace(c, name=f"{c.name}#{seen[c.name]}"))
    return out


def unit_checks(report: str, cells: list[Cell]) -> list[Check]:
    """A cell that prints its own unit unlike its column header's ("251000元" under 万元): stored converted exactly,
    and shown to staff as a note (status "note", not a failure) with the printed amount beside the stored one; a
    unit that measures something else ("5件" under 万元) leaves the cell unknown and is a failure of the print."""
    out = []
    for c in cells:
        if c.note.startswith(CONFLICT):
            printed = re.match(rf"{CONFLICT}“([-+]?\d+(?:\.\d+)?)", c.note)
            left = number(printed.group(1)) if printed else None
            out.append(Check(report, f"单位/{c.table}/{c.row}/{c.column}", "unit",
                             f"表{c.table}“{_short(c.row)}/{c.column}”：{c.note}", left, c.value,
                             (c.address,), (c.address,), "fail" if c.value is None else "note"))
    return out


def report_checks(report: str, cells: list[Cell], figures: list[Figure]) -> list[Check]:
    """Every check of one report: the tables' identities, units as printed, the narrative's figures; each family
    guarded."""
    out: list[Check] = guarded(report, "单位", lambda: unit_checks(report, cells))
    for table in TABLES.values():
        out += guarded(report, f"表{table.name}勾稽关系", lambda t=table: table_checks(report, t, cells))
    out += guarded(report, "正文与表格", lambda: narrative_checks(report, cells, figures))
    return unique(out)
