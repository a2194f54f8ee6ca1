"""Vocabulary terms found in a question → the part of a table they name: a Focus of row and column Picks."""

from __future__ import annotations

from dataclasses import dataclass

from core.template import APPEAL_GROUPS, OUTCOMES, RESULTS, TABLE_2, TABLE_2_2019, TABLE_3
from core.vocabulary import DONE, NEW, TABLE_2_IMPLIED, TABLE_2_TWINS, WEAK_VERBS, Term
from qa.labels import column_label, group_label, leaf, row_label
from qa.match import Found


@dataclass(frozen=True)
class Pick:
    """One thing named along a table dimension: row(s), column(s), appeal group(s) or outcome(s)."""

    targets: tuple[str, ...]
    label: str
    combine: str = "sum"  # several targets: "sum" or "each"


@dataclass(frozen=True)
class Focus:
    """The part of one table a question is about; an empty dimension takes its default later."""

    table: str
    first: tuple[Pick, ...] = ()  # 二/三: rows · 四: appeal groups
    second: tuple[Pick, ...] = ()  # 二/三: columns · 四: outcomes


OUTCOMES_ASKED = "结果"  # said of an appeal with no outcome named: every outcome is asked


def _pick(term: Term) -> Pick:
    if term.label or len(term.targets) > 1:
        return Pick(term.targets, term.label or "、".join(leaf(t) for t in term.targets), term.combine)
    target = term.targets[0]
    label = {"row": lambda: row_label(term.table, target), "column": lambda: column_label(term.table, target),
             "group": lambda: group_label(target), "outcome": lambda: target}[term.kind]()
    return Pick(term.targets, label, term.combine)


def _table(terms: list[Term], text: str, named: tuple[str, ...]) -> str:
    kinds = {(t.table, t.kind) for t in terms}
    if any(t.table == "四" for t in terms):
        return "四"
    for table, kind in (("三", "row"), ("二", "row"), ("三", "column")):
        if (table, kind) in kinds:
            return table
    if "申请" in text:
        return "三"
    return named[0] if named else ""


def _inside(inner: Pick, outer: Pick) -> bool:
    """"属于国家秘密" is inside "不予公开"; "复议后起诉" inside "行政诉讼"; "商业企业" inside "法人或其他组织"."""
    return inner.targets != outer.targets and all(
        any(t == o or t.startswith(o + "/") for o in outer.targets) for t in inner.targets)


def _specific(picks: list[Pick]) -> tuple[Pick, ...]:
    """Drop a pick another pick narrows down: "因属于国家秘密不予公开" means the leaf, not the group."""
    unique = list(dict.fromkeys(picks))
    return tuple(p for p in unique if not any(_inside(q, p) for q in unique))


def _generic(term: Term, table: str) -> bool:
    """Words that fit any table: 表二's column words (发布, 决定), and 收到/办结 said of appeals (表四)."""
    if term.table == "二" and term.kind == "column":
        return True
    return table == "四" and term.kind == "row" and set(term.targets) <= {NEW, DONE}


def _implied(terms: list[Term]) -> list[Term]:
    """The 表二 row a column only that row prints names, when no 表二 row is said ("采购总金额" → 政府集中采购)."""
    if any(t.table == "二" and t.kind == "row" for t in terms):
        return []
    rows = {TABLE_2_IMPLIED[c] for t in terms if t.table == "二" and t.kind == "column" for c in t.targets
            if c in TABLE_2_IMPLIED}
    return [Term("二", "row", (r,), ()) for r in sorted(rows)]


def focus_of(found: tuple[Found, ...], text: str, named: tuple[str, ...] = ()) -> tuple[Focus | None, str]:
    """The table part the terms name, and a problem when a term names a split the table does not have."""
    if any(f.value.table == "二" and f.value.kind == "row" for f in found):  # "收费收了多少": the verb is 表二's
        found = tuple(f for f in found if not (f.value.table == "三" and f.word in WEAK_VERBS))
    terms = [f.value for f in found]
    terms += _implied(terms)
    table = _table(terms, text, named)
    if not table:
        return None, ""
    first_kind, second_kind = ("group", "outcome") if table == "四" else ("row", "column")
    first = _specific([_pick(t) for t in terms if t.table == table and t.kind == first_kind])
    second = _specific([_pick(t) for t in terms if t.table == table and t.kind == second_kind])
    if table == "四" and not second and OUTCOMES_ASKED in text:  # "复议的结果是什么": each outcome, and the total
        second = tuple(Pick((o,), o) for o in OUTCOMES)
    stray = [f for f in found if f.value.table != table and not _generic(f.value, table)]
    if stray:
        return Focus(table, first, second), f"报告的表{table}没有按“{stray[0].word}”区分的数字"
    if table == "三" and not first and not second and "申请" not in text:
        return None, ""
    if table == "二" and not first:
        return None, ""
    return Focus(table, first, second), ""


def columns_only(found: tuple[Found, ...], table: str) -> tuple[Pick, ...]:
    """The columns of `table` the terms name, for a follow-up that changes only the column ("废止了几件呢？")."""
    return _specific([_pick(f.value) for f in found if f.value.table == table and f.value.kind == "column"])


def overview(table: str) -> Focus:
    """What "表二/表三/表四的数据" asks for: 表三's rows of totals (its groups summed), every appeal group of 表四,
    every row and column of 表二 in either layout (a report's cells answer; what its layout does not print is
    absent), named as the vocabulary names them."""
    if table == "三":
        rows = [r.path for r in TABLE_3.rows if r.path.count("/") <= 1 and r.path != RESULTS]
        return Focus(table, tuple(Pick((r,), row_label("三", r)) for r in rows))
    if table == "二":
        tables, named = (*TABLE_2.rows, *TABLE_2_2019.rows), {b: a for a, b in TABLE_2_TWINS.items()}
        rows = dict.fromkeys(named.get(r.path, r.path) for r in tables)
        columns = dict.fromkeys(named.get(c, c) for r in tables for c in r.columns)
        return Focus(table, tuple(Pick((r,), row_label("二", r)) for r in rows),
                     tuple(Pick((c,), column_label("二", c)) for c in columns))
    return Focus(table, default_first(table))


def default_first(table: str) -> tuple[Pick, ...]:
    """What a dimension means when the question leaves it out: 新收 for 表三, every appeal group for 表四."""
    if table == "三":
        return (Pick((NEW,), leaf(NEW)),)
    if table == "四":
        return tuple(Pick((g,), group_label(g)) for g in APPEAL_GROUPS)
    return ()


def group_rows(focus: Focus) -> list[str]:
    """Leaves of the one 表三 group row the focus names (for "不予公开里哪一项最多"), else []."""
    first = focus.first
    if focus.table != "三" or len(first) != 1 or len(first[0].targets) != 1:
        return []
    path = first[0].targets[0]
    return [r.path for r in TABLE_3.rows if r.path.startswith(path + "/")]


def ranks_within(focus: Focus) -> bool:
    """The focus names several figures of one report to rank among themselves: the leaves of one 表三 group row
    ("不予公开的理由哪个最多") or a term said of each of its targets ("哪类申请人最多")."""
    return bool(group_rows(focus)) or any(p.combine == "each" and len(p.targets) > 1
                                          for p in (*focus.first, *focus.second))
