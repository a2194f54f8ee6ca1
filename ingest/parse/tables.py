"""Report text → the cells of tables 二, 三, 四, matched to the national template (never guessed)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import replace

from core.records import Cell, Figure, Finding
from core.template import (
    LAYOUT_2019_MARKERS,
    SCAN_INK_NOTE,
    SCAN_UNREAD_NOTE,
    SCAN_WEAK_NOTE,
    TABLE_2,
    TABLE_2_2019,
    TABLE_3,
    TABLE_4,
    Row,
    Table,
)
from core.text import fold
from ingest.check.rules import Identity, identities
from ingest.check.units import convert, header_money_unit, in_column_unit, same_unit
from ingest.parse.assign import Group, assign, trim
from ingest.parse.digits import Blank, Reading, Sums, TooMany, can_fill, readings
from ingest.parse.regions import regions
from ingest.parse.tokens import Seen, tokenize

JOINT_LIMIT = 100_000  # combinations of ambiguous rows tried against the column identities
SHOWN_READINGS = 12  # possible readings listed in the note of an undecidable digit run
BLANK_NOTE = "原表此格为空，且按勾稽关系不能视为0"
SHORT_OF_CELLS = "有格在转换中丢失"  # a row printed with fewer digits than cells: the identities may decide it
BROKEN_TOTAL = "本行数字与行合计不符"  # the print decides the cells; the failed total is a check


# ---- rows → values ------------------------------------------------------------------------


def _balanced(tokens: list[str | None], columns: int, sums: Sums) -> tuple[list[Reading], bool]:
    """Readings that keep as many of the row's own totals as any reading can; True when some total had to go.

    A report may print a total that its parts do not add up to (“总计” printed as 0): the print still decides
    every cell a split of its own decides, and the broken total is a finding of the checks, not a reason to drop
    the row. Where several totals can go, the readings of every such choice are kept, so a cell is decided only
    when all of them agree (e.g. table 四's first two groups, whatever the third one does)."""
    for dropped in range(len(sums) + 1):
        found: list[Reading] = []
        for kept in itertools.combinations(sums, len(sums) - dropped):
            found += readings(tokens, columns, kept)
        if found:
            return list(dict.fromkeys(found)), dropped > 0
    return [], False


def _row_readings(table: Table, row: Row, group: Group) -> tuple[list[Reading], str]:
    """Readings of one row as printed, keeping the row's own identities where the print allows; a note when the
    layout left doubt or the print breaks a total."""
    tokens = trim(group.tokens, len(row.columns))
    checks = identities(table, [row.path])  # one row alone: only the identities inside that row
    sums = tuple((row.columns.index(i.left[0][1]), tuple(row.columns.index(k[1]) for k in i.right)) for i in checks)
    if not can_fill(tokens, len(row.columns)):
        if _digits(tokens) and len(_digits(tokens)) < len(row.columns):
            return [], f"{SHORT_OF_CELLS}：印出的数字“{group.source}”少于本行的{len(row.columns)}格"
        return [], f"印出的数字“{group.source}”不足或多于本行的{len(row.columns)}格，无法对应"
    try:
        found, broken = _balanced(tokens, len(row.columns), sums)
    except TooMany:
        return [], f"数字串“{group.source}”可拆分的组合过多，无法确定"
    if not found:
        return [], f"数字串“{group.source}”无法拆分为本行的{len(row.columns)}格"
    ok = []
    for reading in found:
        values = dict(zip(((row.path, c) for c in row.columns), reading, strict=True))
        zeroed = {k: (0 if v is None else v) for k, v in values.items()}
        if checks and all(i.evaluate(zeroed)[2] == "pass" for i in checks):
            reading = tuple(Blank() if v is None else v for v in reading)
        ok.append(reading)
    return ok, (BROKEN_TOTAL if broken else "")


def _joint(table: Table, rows: list[Row], options: dict[str, list[Reading]]) -> list[dict[str, Reading]]:
    """Combinations of the ambiguous rows' readings that satisfy every column identity."""
    ambiguous = [r.path for r in rows if len(options[r.path]) > 1]
    fixed = {r.path: options[r.path][0] for r in rows if len(options[r.path]) == 1}
    total = 1
    for path in ambiguous:
        total *= len(options[path])
    if total > JOINT_LIMIT:
        return []
    # over the template's rows (_terms): a row not found, or found unreadable, leaves its identities unknown
    col_ids: list[Identity] = [i for i in identities(table, _terms(table, {r.path for r in rows})) if "/列/" in i.name]
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
    for f in figures:  # only a figure naming this one cell (“受理…” may also count carried-over requests)
        if f.single and f.table == table.name and f.row == path and f.column in row.columns:
            i = row.columns.index(f.column)
            narrowed = [s for s in solutions if s[path][i] == f.value]
            if narrowed and len(narrowed) < len(solutions):
                solutions, narrowed_any = narrowed, True
    return solutions, narrowed_any


def _as_printed(value, note: str, group: Group, columns: int, i: int, header: str, target: str) -> tuple:
    """A cell's value in its column's unit: the unit printed in the cell first, else the header's (exact)."""
    own = group.units[i] if len(group.units) == columns else ""
    # a unit we cannot give one cell; one this column cannot take (“6 251000元”: 元 is no count of projects) is the
    # other cell's, and leaves this one as printed (上海市政府办公厅's 采购项目数量 was unknown)
    if not own and any(u and not same_unit(u, header) and convert(1, u, header) is not None for u in group.units):
        return None, f"数字串“{group.source}”印有单位，无法确定各格的单位"
    amount, unit_note = in_column_unit(value, own, header, target)
    return amount, unit_note or note


def solve(table: Table, assigned: dict[str, Group], figures: list[Figure],
          money: str = "万元") -> tuple[list[Cell], list[str]]:
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
    weak_cells: set[tuple[str, str]] = set()  # scanned numbers read without full confidence
    seen: dict[tuple[str, str], Seen] = {}  # scanned cells OCR could not read: what the scan saw in each
    blanks: set[tuple[str, str]] = set()  # cells printed blank that no 0 fits
    for row in rows:
        group = assigned[row.path]
        # a row the joint solutions leave out (identities broken elsewhere, or too many combinations) keeps its
        # own readings: the narrative may still fix some of its cells
        candidates = [s for s in solutions if row.path in s] or [{row.path: r} for r in options[row.path]]
        row_solutions, by_text = _agree(table, row.path, candidates, figures)
        split = len(group.tokens) < len(row.columns)
        # numbers printed apart, one of them split to fill the row, and the row's total broken: nothing confirms the
        # split (a scan that lost a cell's ruling gives "31 0 0 0 0 0" for seven cells; 3 and 1 would be a guess)
        guessed = split and sum(t is not None for t in group.tokens) > 1
        broken = notes[row.path] == BROKEN_TOTAL
        possible = [s[row.path] for s in row_solutions] or options[row.path]
        unread = _unread_columns(group, len(row.columns))
        weak = {i for i, w in enumerate(group.weak) if w} if len(group.weak) == len(row.columns) else set()
        open_ = [i for i in range(len(row.columns)) if len({r[i] for r in possible}) != 1 or possible[0][i] is None]
        for i, column in enumerate(row.columns):
            values = {s[row.path][i] for s in row_solutions}
            note = notes[row.path]
            if len(values) == 1 and None not in values and not (broken and guessed):
                value = values.pop()
                if broken:
                    note = f"按印出数字存储；{BROKEN_TOTAL}（见核对）"
                elif split:
                    how = "正文所述数字" if by_text else "勾稽关系"
                    note = f"由无分隔数字串“{group.source}”按{how}拆分"
            else:
                value = None
                if possible and (split or not options[row.path]):
                    why = "没有与行合计相符的拆分" if broken else "有多种拆分"
                    span = slice(open_[0], open_[-1] + 1) if broken and open_ else slice(None)  # the undecided group
                    note = f"数字串“{group.source}”{why}，无法确定：{_listed([r[span] for r in possible])}"
                note = note or BLANK_NOTE
                if note == BLANK_NOTE and possible and all(r[i] is None or isinstance(r[i], Blank) for r in possible):
                    blanks.add((row.path, column))  # printed blank: the identities may still decide it
            unit = "万元" if "万元" in column else row.unit  # 2019 layout: 采购总金额 beside a count
            if value is not None and not isinstance(value, Blank):
                value, note = _as_printed(value, note, group, len(row.columns), i, money if unit == "万元" else unit,
                                          unit)
            if i in unread:
                value, note = None, SCAN_UNREAD_NOTE
                seen[(row.path, column)] = unread[i]
            cell = Cell("", table.name, row.path, column, value, unit, group.source, note)
            if i in weak and value is not None:
                weak_cells.add((row.path, column))
            cells.append(cell)
    cells = _take_back_blanks(table, cells, blanks)
    cells = _doubt_weak(table, cells, weak_cells)
    cells = _decide_unread(table, cells, seen)
    short = {r.path: assigned[r.path] for r in rows if notes[r.path].startswith(SHORT_OF_CELLS)}
    cells = _lost_cells(table, cells, short)
    findings = [f"表{table.name}“{c.row}/{c.column}”：{c.note}" for c in cells if c.value is None]
    return cells, findings


def _terms(table: Table, present: set[str]) -> list[str]:
    """The rows the identities add up: every leaf row of the template (one not found is an unknown term, never a 0),
    but a group the report prints as one row, none of its leaves printed, stands for them (洪泽区's （六）其他处理)."""
    whole = {r.path for r in table.rows if r.group and r.path in present
             and not any(p.startswith(r.path + "/") for p in present)}
    return [r.path for r in table.rows if r.path in whole
            or (not r.group and not any(r.path.startswith(g + "/") for g in whole))]


def _digits(tokens: list[str | None]) -> str:
    """The digits printed, when every token is a plain digit run (else "")."""
    return "".join(t for t in tokens if t is not None) if all(t is None or t.isdigit() for t in tokens) else ""


def _printed_within(values: list[int], digits: str) -> bool:
    """Whether the printed digits are these cells with some cells left out (the lost ones), in order."""
    def walk(i: int, rest: str, dropped: bool) -> bool:
        if i == len(values):
            return not rest and dropped
        text = str(values[i])
        return (rest.startswith(text) and walk(i + 1, rest[len(text):], dropped)) or walk(i + 1, rest, True)
    return walk(0, digits, False)


def _lost_cells(table: Table, cells: list[Cell], short: dict[str, Group]) -> list[Cell]:
    """Cells of rows printed short of digits, decided by the table's identities where each has one unknown term
    (“四、结转下年度” = 一 + 二 − （七）总计, column by column); kept only when the row's printed digits are these
    values with the lost cells left out, else the row stays unknown with its reason."""
    if not short:
        return cells
    values = {(c.row, c.column): c.value for c in cells}
    # every row the template prints: a row not found is an unknown term, never a 0 (the lost cells would take its
    # figures: 部分公开 given （六）1's 8 2 0 0 0 0 10 when that row's wrapped label hid it)
    used = _deduce(identities(table, _terms(table, {c.row for c in cells})), values, lambda k: k[0] in short)
    decided = {path for path, g in short.items()
               if all((path, c) in used for c in table.row(path).columns)
               and _printed_within([values[(path, c)] for c in table.row(path).columns], _digits(g.tokens))}
    out = []
    for c in cells:
        if c.row in decided:
            note = (f"原表本行印出“{short[c.row].source}”，少于{len(table.row(c.row).columns)}格（有格在转换中丢失）；"
                    f"此格按勾稽关系推得（{used[(c.row, c.column)]}），与印出的数字相符")
            c = replace(c, value=values[(c.row, c.column)], note=note)
        out.append(c)
    return out


def _unread_columns(group: Group, columns: int) -> dict[int, Seen]:
    """Columns of a scanned row that OCR could not read, with what the scan saw in each: the row's cells as its
    readings take them (empty cells at the ends beyond its width dropped, `trim`); all of them, nothing seen, when
    the cells do not line up or an unread cell is among those dropped."""
    if not any(group.unread):
        return {}
    kept = trim(list(range(len(group.tokens))), columns, [t is None for t in group.tokens])
    if len(kept) != columns or len(group.unread) != len(group.tokens) \
            or any(group.unread[i] for i in range(len(group.tokens)) if i not in kept):
        return dict.fromkeys(range(columns), Seen())
    return {j: group.unread[i] for j, i in enumerate(kept) if group.unread[i]}


def _doubt_weak(table: Table, cells: list[Cell], weak: set[tuple[str, str]]) -> list[Cell]:
    """Scanned numbers read without full confidence are dropped from every identity they break (unknown then)."""
    if not weak:
        return cells
    values = {(c.row, c.column): c.value for c in cells}
    doubtful: set[tuple[str, str]] = set()
    for ident in identities(table, dict.fromkeys(c.row for c in cells)):
        if ident.evaluate(values)[2] == "fail":
            doubtful.update(k for k in (*ident.left, *ident.right) if k in weak)
    return [replace(c, value=None, note=SCAN_WEAK_NOTE) if (c.row, c.column) in doubtful else c for c in cells]


def _decide_unread(table: Table, cells: list[Cell], seen: dict[tuple[str, str], Seen]) -> list[Cell]:
    """Scanned cells OCR could not read, decided where an identity has them as its one unknown term and the
    value agrees with the cell's ink (ink_agrees); a value the ink does not show is refused, and the note says so."""
    if not any(c.note == SCAN_UNREAD_NOTE for c in cells):
        return cells
    values = {(c.row, c.column): c.value for c in cells}
    open_ = {(c.row, c.column) for c in cells if c.note == SCAN_UNREAD_NOTE}
    # over every row of the template: an identity with a term the scan lost (a row missing) decides nothing
    rules = identities(table, [r.path for r in table.rows])
    refused: set[tuple[str, str]] = set()

    def fits(key: tuple[str, str], value: int, note: bool = True) -> bool:
        if not _fits_all(rules, values, key, value):
            return False
        if not ink_agrees(seen.get(key, Seen()), value):
            if note:
                refused.add(key)
            return False
        return True

    used = _deduce(rules, values, open_.__contains__, fits)
    out = []
    for c in cells:
        if (c.row, c.column) in used:
            c = replace(c, value=values[(c.row, c.column)],
                        note=f"{SCAN_UNREAD_NOTE}；此格按勾稽关系推得（{used[(c.row, c.column)]}），与扫描件字迹相符")
        elif (c.row, c.column) in refused:
            c = replace(c, note=SCAN_INK_NOTE)
        out.append(c)
    return out


def ink_agrees(seen: Seen, value: int) -> bool:
    """Whether what the scan saw in an unread cell shows this value: some reading of the cell gave its very
    digits, however unsure, and the cell's ink holds as many figures (where they could be counted: ink too faint
    to count is taken on its reading alone). The identity and the scan are two witnesses; either alone may be
    wrong (a report's 总计 printed 0 beside parts adding to 11; a misread), and a reading that agrees by chance
    with a wrong identity is also caught by the count of figures, which tells 11 from 0 and 1 from 10. Ink of no
    figure, or a cell no reading gave a number for, shows no value: not even 0."""
    digits = str(value)
    return seen.glyphs != 0 and seen.glyphs in (None, len(digits)) and digits in seen.readings


def _deduce(rules: list[Identity], values: dict, open_: Callable[[tuple[str, str]], bool],
            fits: Callable[..., bool] = lambda k, v, note=True: True) -> dict[tuple[str, str], str]:
    """Open cells that are the one unknown term of an identity, solved from it (a count, not negative) until none
    is left; `values` is filled in place. Each decided cell → the description of the identity that decided it."""
    used: dict[tuple[str, str], str] = {}
    found = True
    while found:
        found = False
        for ident in rules:
            keys = (*ident.left, *ident.right)
            unknown = [k for k in keys if values.get(k) is None]
            if any(k not in values for k in keys) or not unknown or not all(open_(k) for k in unknown):
                continue
            if len(unknown) > 1:
                if _zero_parts(ident, values, unknown, fits):
                    used.update(dict.fromkeys(unknown, ident.description))
                    found = True
                continue
            k = unknown[0]
            left = sum(values[x] for x in ident.left if x != k)
            right = sum(values[x] for x in ident.right if x != k)
            value = right - left if k in ident.left else left - right
            if isinstance(value, int) and value >= 0 and fits(k, value):
                values[k], used[k], found = value, ident.description, True
    return used


def _zero_parts(ident: Identity, values: dict, unknown: list[tuple[str, str]],
                fits: Callable[..., bool]) -> bool:
    """Several unknown terms on one side of an identity whose other terms leave them 0 together: counts are never
    negative, so each is 0 (a row's 总计 printed 0 beside two unread cells) — taken only when each fits (its ink shows
    0, no other identity over it objects); `values` is filled in place."""
    side = ident.left if unknown[0] in ident.left else ident.right
    if not all(k in side for k in unknown):
        return False
    other = ident.right if side is ident.left else ident.left
    rest = sum(values[x] for x in other) - sum(values[x] for x in side if x not in unknown)
    if rest != 0 or not all(isinstance(values[x], int) for x in (*ident.left, *ident.right) if x not in unknown):
        return False
    if not all(fits(k, 0, note=False) for k in unknown):  # the identity alone names no one cell's value: no note
        return False
    values.update(dict.fromkeys(unknown, 0))
    return True


def _fits_all(rules: list[Identity], values: dict, key: tuple[str, str], value: int) -> bool:
    """A value an identity gives breaks no other identity over that cell (a report breaking one is not trusted)."""
    trial = {**values, key: value}
    return all(i.evaluate(trial)[2] != "fail" for i in rules if key in (*i.left, *i.right))


def _plain(v) -> str:
    """A reading as printed: 6442278, 2895.9 — never 6.44228e+06."""
    return str(v) if isinstance(v, int) else format(v, "f").rstrip("0").rstrip(".")


def _listed(possible: list[Reading]) -> str:
    """The possible readings of a row, e.g. "11、27、75 / 1、127、75 / …（共10种）"."""
    found = list(dict.fromkeys(possible))
    shown = " / ".join("、".join("空" if v is None else _plain(v) for v in r) for r in found[:SHOWN_READINGS])
    return shown + (f" / …（共{len(found)}种）" if len(found) > SHOWN_READINGS else "")


def _take_back_blanks(table: Table, cells: list[Cell], blanks: set[tuple[str, str]] = frozenset()) -> list[Cell]:
    """A blank read as 0 stays 0 only where no identity over it fails; elsewhere (and `blanks`, printed blank in a
    row no 0 balances) it is unknown unless the identities decide it."""
    values = {(c.row, c.column): c.value for c in cells}
    doubtful: set[tuple[str, str]] = set()
    for ident in identities(table, dict.fromkeys(c.row for c in cells)):
        if ident.evaluate(values)[2] == "fail":
            doubtful.update(k for k in ident.left + ident.right if isinstance(values.get(k), Blank))
    for k in doubtful:
        values[k] = None
    for k, v in values.items():
        if isinstance(v, Blank):
            values[k] = 0
    # a blank no 0 fits may still be decided: 上海市政府办公厅's 表三 prints only the applicant columns of most result
    # rows (总计 blank beside 258 12 1 1) and leaves whole columns blank; each identity with one such cell as its
    # only unknown gives it, and an identity whose other terms leave several at 0 makes each 0 (counts are never
    # negative) — as a lost cell is decided, the rule in the note
    open_ = doubtful | {k for k in blanks if values.get(k) is None}
    rules = identities(table, _terms(table, {c.row for c in cells}))
    used = _deduce(rules, values, open_.__contains__, lambda k, v, note=True: _fits_all(rules, values, k, v))
    # a second witness: each decided blank lies in two identities at least, all of them holding once every blank is
    # decided (the row that gave 予以公开's total and the 总计 column that adds it up); else none is kept
    if any(len(over := [i for i in rules if k in (*i.left, *i.right)]) < 2
           or any(i.evaluate(values)[2] != "pass" for i in over) for k in used):
        used = {}
    out = []
    for c in cells:
        key = (c.row, c.column)
        if key in used:
            c = replace(c, value=values[key], note=f"原表此格为空；此格按勾稽关系推得（{used[key]}）")
        elif isinstance(c.value, Blank):
            c = replace(c, value=None, note=BLANK_NOTE) if key in doubtful else replace(c, value=0)
        out.append(c)
    return out


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
        found, more = solve(table, assigned, figures or [], header_money_unit(parts[name]))
        cells += [Cell(report, c.table, c.row, c.column, c.value, c.unit, c.source, c.note) for c in found]
        findings += [Finding(report, f"表{name}", n) for n in notes + more]
    return cells, findings
