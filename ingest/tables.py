"""Report text → the cells of tables 二, 三, 四, matched to the national template (never guessed)."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from .checks import Identity, identities, row_identity
from .clean import fold
from .digits import Reading, TooMany, can_fill, readings
from .models import Cell, Figure, Finding
from .template import (
    AFTER_TABLES,
    LAYOUT_2019_MARKERS,
    TABLE_2,
    TABLE_2_2019,
    TABLE_3,
    TABLE_4,
    TABLE_ANCHORS,
    TABLE_HEADINGS,
    Row,
    Table,
)
from .tokens import Token, tokenize

JOINT_LIMIT = 100_000  # combinations of ambiguous rows tried against the column identities


@dataclass
class Group:
    """Numbers printed together (one table row, as far as the layout shows)."""

    tokens: list[str | None]  # number text, None for an empty cell
    labels: list[Row]  # value rows named by the text just before it
    source: str = ""


# ---- regions --------------------------------------------------------------------------


def _squeeze(text: str) -> tuple[str, list[int]]:
    """Text without whitespace, and for each kept character its position in the original."""
    keep = [(i, ch) for i, ch in enumerate(text) if not ch.isspace()]
    return "".join(ch for _, ch in keep), [i for i, _ in keep]


def regions(text: str) -> dict[str, str]:
    """The part of the (folded) text that holds each table: from its heading to the next table."""
    flat, where = _squeeze(text)
    where.append(len(text))
    found: dict[str, int] = {}
    after = 0
    for name in ("二", "三", "四"):
        anchor = re.compile(TABLE_ANCHORS[name]).search(flat, after)
        if not anchor:
            continue
        heads = [m.start() for m in re.finditer(TABLE_HEADINGS[name], flat[after : anchor.start()])]
        start = after + heads[-1] if heads else anchor.start()
        found[name] = start
        after = anchor.end()
    out = {}
    names = list(found)
    for i, name in enumerate(names):
        if i + 1 < len(names):
            end = found[names[i + 1]]
        else:
            m = re.compile(AFTER_TABLES).search(flat, after)
            end = m.start() if m else len(flat)
        out[name] = text[where[found[name]] : where[end]]
    return out


# ---- label/number stream → groups -----------------------------------------------------


def _rows_named(token: Token, table: Table) -> list[Row]:
    text = token.norm
    hits = [(m.start(), row) for row in table.rows for p in row.patterns if (m := re.search(p, text))]
    return [row for _, row in sorted(hits, key=lambda h: h[0])]


def _groups(tokens: list[Token], table: Table) -> tuple[list[Group], set[str]]:
    """Split the stream into number groups, each with the labels printed since the previous group."""
    groups: list[Group] = []
    present: set[str] = set()
    labels: list[Row] = []
    current: list[Token] = []

    def close() -> None:
        nonlocal labels, current
        if any(t.kind == "num" for t in current):
            nums = [t.text if t.kind == "num" else None for t in current]
            groups.append(Group(nums, labels, " ".join(t.text or "□" for t in current)))
            labels = []
        current = []

    for tok in tokens:
        if tok.kind in ("num", "empty"):
            current.append(tok)
        elif tok.kind == "break":
            close()
        else:
            close()
            named = _rows_named(tok, table)
            present.update(r.path for r in named)
            labels.extend(named)
    close()
    return groups, present


def _trim(tokens: list[str | None], columns: int) -> list[str | None]:
    """Drop empty cells at the ends beyond the row's width (merged cells leave them)."""
    tokens = list(tokens)
    while len(tokens) > columns and tokens and tokens[-1] is None:
        tokens.pop()
    while len(tokens) > columns and tokens and tokens[0] is None:
        tokens.pop(0)
    return tokens


# ---- groups → rows ----------------------------------------------------------------------


def _anchored(groups: list[Group], rows: list[Row]) -> dict[str, Group]:
    """Each group to the value row named just before it (label-then-numbers layouts)."""
    wanted = {r.path for r in rows}
    out: dict[str, Group] = {}
    for g in groups:
        named = [r for r in g.labels if r.path in wanted]
        if not named or named[-1].path in out:
            continue
        width = len(named[-1].columns)
        if can_fill(_trim(g.tokens, width), width):
            out[named[-1].path] = g
    return out


def _ordinal(groups: list[Group], rows: list[Row]) -> dict[str, Group] | None:
    """Groups in printed order to rows in template order (labels drift away from numbers)."""
    fits = [g for g in groups if can_fill(_trim(g.tokens, len(rows[0].columns)), len(rows[0].columns))]
    if len(fits) != len(rows):
        return None
    return {r.path: g for r, g in zip(rows, fits, strict=True)}


def assign(table: Table, tokens: list[Token]) -> tuple[dict[str, Group], list[str]]:
    """Which printed numbers belong to which template row; notes say what could not be matched."""
    groups, present = _groups(tokens, table)
    if table.name == "四":
        merged = [t for g in groups for t in g.tokens]
        row = table.rows[0]
        if not merged:
            return {}, ["表四：未找到数字"]
        return {row.path: Group(_trim(merged, len(row.columns)), [row], " ".join(g.source for g in groups))}, []
    rows = table.value_rows(present)
    anchored = _anchored(groups, rows)
    if len(anchored) == len(rows):
        return anchored, []
    for candidate in (rows, table.value_rows(set())):
        ordinal = _ordinal(groups, candidate)
        if ordinal:
            return ordinal, []
    missing = [r.path for r in rows if r.path not in anchored]
    if not anchored:
        return {}, [f"表{table.name}：无法与国家模板对应（找到{len(groups)}组数字、{len(present)}个行标签）"]
    return anchored, [f"表{table.name}：未找到“{m}”行的数字" for m in missing]


# ---- rows → values ------------------------------------------------------------------------


def _row_readings(table: Table, row: Row, group: Group) -> tuple[list[Reading], str]:
    """Readings of one row that its own identity allows; a note when the layout left doubt."""
    tokens = _trim(group.tokens, len(row.columns))
    try:
        found = readings(tokens, len(row.columns))
    except TooMany:
        return [], f"数字串“{group.source}”可拆分的组合过多，无法确定"
    ident = row_identity(table, row.path) if table.name == "三" else None
    checks = [ident] if ident else identities(table, [row.path]) if table.name == "四" else []
    if not checks:
        return found, ""
    ok = []
    for reading in found:
        values = dict(zip(((row.path, c) for c in row.columns), reading, strict=True))
        zeroed = {k: (0 if v is None else v) for k, v in values.items()}
        if all(i.evaluate(zeroed)[2] == "pass" for i in checks):
            ok.append(tuple(0 if v is None else v for v in reading))
        elif all(i.evaluate(values)[2] != "fail" for i in checks):
            ok.append(reading)
    if ok:
        return ok, ""
    return found, "本行数字与行合计不符" if len(found) == 1 else ""


def _joint(table: Table, rows: list[Row], options: dict[str, list[Reading]]) -> list[dict[str, Reading]]:
    """Combinations of the ambiguous rows' readings that satisfy every column identity."""
    ambiguous = [r.path for r in rows if len(options[r.path]) > 1]
    fixed = {r.path: options[r.path][0] for r in rows if len(options[r.path]) == 1}
    total = 1
    for path in ambiguous:
        total *= len(options[path])
    if total > JOINT_LIMIT:
        return []
    col_ids: list[Identity] = [i for i in identities(table, [r.path for r in rows]) if "/列/" in i.name]
    out = []
    for combo in itertools.product(*(options[p] for p in ambiguous)):
        chosen = {**fixed, **dict(zip(ambiguous, combo, strict=True))}
        values = {(p, c): v for p, reading in chosen.items()
                  for c, v in zip(table.row(p).columns, reading, strict=True)}
        if all(i.evaluate(values)[2] != "fail" for i in col_ids):
            out.append(chosen)
    return out


def _agree(table: Table, path: str, solutions: list[dict[str, Reading]], figures: list[Figure]) -> tuple[list, bool]:
    """Narrow several solutions with figures the narrative states for these cells; True when that decided."""
    row = table.row(path)
    narrowed_any = False
    for f in figures:
        if f.table == table.name and f.row == path and f.column in row.columns:
            i = row.columns.index(f.column)
            narrowed = [s for s in solutions if s[path][i] == f.value]
            if narrowed and len(narrowed) < len(solutions):
                solutions, narrowed_any = narrowed, True
    return solutions, narrowed_any


def solve(table: Table, assigned: dict[str, Group], figures: list[Figure]) -> tuple[list[Cell], list[str]]:
    rows = [table.row(p) for p in assigned]
    options: dict[str, list[Reading]] = {}
    notes: dict[str, str] = {}
    for row in rows:
        options[row.path], notes[row.path] = _row_readings(table, row, assigned[row.path])
    solvable = [r for r in rows if options[r.path]]
    solutions = _joint(table, solvable, options) if any(len(options[r.path]) > 1 for r in solvable) else []
    if not solutions:  # identities broken elsewhere, or too many: decide row by row
        solutions = [{r.path: options[r.path][0] for r in solvable if len(options[r.path]) == 1}]
    cells: list[Cell] = []
    findings: list[str] = []
    for row in rows:
        group = assigned[row.path]
        row_solutions, by_text = _agree(table, row.path, [s for s in solutions if row.path in s], figures)
        split = len(group.tokens) < len(row.columns)
        for i, column in enumerate(row.columns):
            values = {s[row.path][i] for s in row_solutions}
            note = notes[row.path]
            if len(values) == 1 and None not in values:
                value = values.pop()
                if split:
                    how = "正文所述数字" if by_text else "勾稽关系"
                    note = note or f"由无分隔数字串“{group.source}”按{how}拆分"
            else:
                value = None
                if not note:
                    note = (f"数字串“{group.source}”有多种拆分，无法确定" if split or not options[row.path]
                            else "原表此格为空，且按勾稽关系不能视为0")
                findings.append(f"表{table.name}“{row.path}/{column}”：{note}")
            unit = "万元" if "万元" in column else row.unit  # 2019 layout: 采购总金额 beside a count
            cells.append(Cell("", table.name, row.path, column, value, unit, group.source, note))
    return cells, findings


def parse_tables(text: str, report: str, figures: list[Figure] | None = None) -> tuple[list[Cell], list[Finding]]:
    """All cells of the three standard tables, and findings for what could not be read."""
    folded = fold(text)
    parts = regions(folded)
    cells: list[Cell] = []
    findings: list[Finding] = []
    for name, base in (("二", TABLE_2), ("三", TABLE_3), ("四", TABLE_4)):
        if name not in parts:
            findings.append(Finding(report, f"表{name}", f"未找到表{name}（{base.title}）"))
            continue
        table = base
        if name == "二" and any(re.search(m, re.sub(r"\s", "", parts[name])) for m in LAYOUT_2019_MARKERS):
            table = TABLE_2_2019
        assigned, notes = assign(table, tokenize(parts[name]))
        found, more = solve(table, assigned, figures or [])
        cells += [Cell(report, c.table, c.row, c.column, c.value, c.unit, c.source, c.note) for c in found]
        findings += [Finding(report, f"表{name}", n) for n in notes + more]
    return cells, findings
