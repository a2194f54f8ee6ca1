"""Intent + stored cells → answers with every cell cited: figures, sums, shares, differences, rankings, series."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from core.records import Answer, Cell, Citation, Paragraph, Point
from core.template import TABLES, TOTAL_COLUMN
from core.text import norm
from core.vocabulary import NEW, NO_REQUESTS, TABLE_2_TWINS
from qa.consistency import Consistency
from qa.focus import group_rows
from qa.intent import Intent, Measure
from qa.labels import amount, column_label, exact_sum, leaf, number, percent, row_label, shown_name
from qa.rate_answers import answer_rate
from qa.scope import Catalog
from store import Store

UNKNOWN = "该项数值在原报告中无法确定"
FEW = 20  # reports read one by one; more are read together (cells_across)
RANKED = 10  # places of a ranking listed and cited; the rest are counted (a ranking may span every agency)


# A cell's note said with its value: it was deduced rather than printed, or its row breaks its own total.
SAID_WITH_VALUE = ("推得", "合计不符", "按正文所述数字拆分")  # a value that leans on more than its own print


@dataclass(frozen=True)
class Value:
    """A measure in one report: the cells it adds up and their sum (None when a cell is unknown or missing)."""

    report: str
    measure: Measure
    cells: tuple[Cell, ...]
    missing: bool = False  # the report prints no such cell
    # missing, but the report prints the row or table: why its figures were not read (a Finding; looked up for an
    # answer about a few reports, not for a ranking over many, hence not part of equality)
    lost: str = field(default="", compare=False)

    @property
    def total(self) -> float | int | None:
        if self.missing or any(c.value is None for c in self.cells):
            return None
        return exact_sum(c.value for c in self.cells)

    @property
    def unit(self) -> str:
        return self.cells[0].unit if self.cells else "件"

    @property
    def arithmetic(self) -> str:
        if len(self.cells) < 2 or self.total is None:
            return ""
        return f"{' + '.join(number(c.value) for c in self.cells)} = {number(self.total)}"

    def describe(self) -> str:
        """"224件", "107件（89 + 18 = 107）", or why there is no figure."""
        if self.missing:
            return f"{UNKNOWN}（原因：{self.lost}）" if self.lost else "该报告没有这一项"
        if self.total is None:
            notes = "；".join(dict.fromkeys(c.note for c in self.cells if c.value is None and c.note)) or "原表此处为空"
            return f"{UNKNOWN}（原因：{notes}）"
        shown = amount(self.total, self.unit)
        shown = f"{shown}（{self.arithmetic}）" if self.arithmetic else shown
        caveats = "；".join(dict.fromkeys(c.note for c in self.cells if any(m in c.note for m in SAID_WITH_VALUE)))
        return f"{shown}（注：{caveats}）" if caveats else shown

    def point(self, series: str, x: str) -> Point:
        """This value as a chart point, carrying the addresses of the cells it adds up."""
        return Point(series, x, self.total, self.unit, self.report, tuple(c.address for c in self.cells))


def _twins(row: str, column: str) -> list[tuple[str, str]]:
    """The cell as asked, then as the other layout of 表二 prints it (synonyms.TABLE_2_TWINS)."""
    back = {b: a for a, b in TABLE_2_TWINS.items()}
    rows = [row, TABLE_2_TWINS.get(row, back.get(row, row))]
    columns = [column, TABLE_2_TWINS.get(column, back.get(column, column))]
    return list(dict.fromkeys((r, c) for r in rows for c in columns))


def _value(report: str, measure: Measure, grid: dict[tuple[str, str], Cell]) -> Value:
    """The measure in one report, from its cells by (row, column)."""
    cells: list[Cell] = []
    for row, column in measure.pairs:
        printed = next((p for p in _twins(row, column) if p in grid), None)  # either layout of 表二
        if printed is not None:
            cells.append(grid[printed])
            continue
        leaves = [grid[(r.path, column)] for r in TABLES[measure.table].rows
                  if r.path.startswith(row + "/") and (r.path, column) in grid]
        if not leaves:
            return Value(report, measure, tuple(cells), missing=True)
        cells += leaves
    return Value(report, measure, tuple(cells))


class Figures:
    """Reads the cells of the reports in scope once per answer and builds the answer text and citations."""

    def __init__(self, store: Store, catalog: Catalog) -> None:
        self.store = store
        self.catalog = catalog

    def value(self, report: str, measure: Measure) -> Value:
        grid = {(c.row, c.column): c for c in self.store.cells(report=report, table=measure.table)}
        found = _value(report, measure, grid)
        if found.missing:  # printed but not read ("未找到…行的数字") is unknown, not absent
            said = [f"未找到“{r}”" for row, column in measure.pairs for r, _ in _twins(row, column)]
            lost = [f.message for f in self.store.findings(report) if f"未找到表{measure.table}" in f.message
                    or (f.where == f"表{measure.table}" and any(x in f.message for x in said))]
            found = replace(found, lost="；".join(dict.fromkeys(lost)))
        return found

    def values(self, reports: tuple[str, ...] | list[str], measure: Measure) -> list[Value]:
        """The measure in each report; past a few reports, its cells for all of them in one query."""
        if len(reports) <= FEW:
            return [self.value(r, measure) for r in reports]
        rows = {r for row, column in measure.pairs for r, _ in _twins(row, column)}
        rows |= {r.path for row, _ in measure.pairs for r in TABLES[measure.table].rows if r.path.startswith(row + "/")}
        columns = {c for row, column in measure.pairs for _, c in _twins(row, column)}
        grids: dict[str, dict[tuple[str, str], Cell]] = {r: {} for r in reports}
        for c in self.store.cells_across(measure.table, sorted(rows), sorted(columns), reports):
            grids[c.report][(c.row, c.column)] = c
        return [_value(r, measure, grids[r]) for r in reports]

    def label(self, report: str) -> str:
        return self.catalog.label(report)

    def answer(self, intent: Intent) -> Answer:
        build = {"figure": self.figure, "derived": self.figure, "compare": self.compare, "rank": self.rank,
                 "series": self.series, "rate": lambda i: answer_rate(self, i)}
        return build[intent.kind](intent)

    # ---- one figure per report and measure (sums included) ----
    def figure(self, intent: Intent) -> Answer:
        if intent.operation == "share":
            return self.share(intent)
        values = [v for m in intent.measures for v in self.values(intent.reports, m)]
        printed = {v.measure for v in values if not v.missing}
        if len(intent.measures) > 1 and printed:  # columns of the other layout of 表二: no report here prints them
            values = [v for v in values if v.measure in printed]
            intent = replace(intent, measures=tuple(m for m in intent.measures if m in printed))
        lines, said = [], []
        for m in intent.measures:
            vs = [v for v in values if v.measure == m]
            verb = "合计" if any(len(v.cells) > 1 for v in vs) else "为"
            verb = verb if all(v.total is not None for v in vs) else "："
            if len(vs) == 1:
                lines.append(f"{self.label(vs[0].report)}{m.label}{verb}{vs[0].describe()}。")
            else:
                lines.append(f"{m.label}：" + "".join(f"\n- {self.label(v.report)}：{v.describe()}" for v in vs))
                if intent.operation == "sum":  # "三家加起来": one sum across the reports, its arithmetic shown
                    lines.append(self._across(vs))
            for v in vs:
                if (quoted := self.no_requests(v)) is not None:
                    lines.append(f"{self.label(v.report)}报告正文写明：“{quoted[0]}”")
                    said.append(Citation.from_paragraph(quoted[1], quoted[0]))
        derived = any(len(v.cells) > 1 for v in values) or (intent.operation == "sum" and len(intent.reports) > 1)
        return self._answer(intent, lines, values, "derived" if derived else "figure", said=said)

    def no_requests(self, v: Value) -> tuple[str, Paragraph] | None:
        """A report whose 表三 is not printed (a page cut short) asked how many requests came: the narrative's own
        sentence saying none came ("全年未收到政府信息公开申请"), to quote beside the unknown figure; else None."""
        if not (v.missing and f"未找到表{v.measure.table}" in v.lost and v.measure.table == "三"
                and all(row == NEW for row, _ in v.measure.pairs)):
            return None
        return self.printed(v.report, re.compile(NO_REQUESTS))

    def _across(self, vs: list[Value]) -> str:
        """"合计：224 + 3119 = 3343件" over several reports, or why there is no sum."""
        if any(v.total is None for v in vs) or len({v.unit for v in vs}) > 1:
            return "其中有数值无法确定，无法相加。"
        total = exact_sum(v.total for v in vs)
        sums = f"{' + '.join(number(v.total) for v in vs)} = {number(total)}"
        return f"以上各报告合计{amount(total, vs[0].unit)}（{sums}）。"

    def share(self, intent: Intent) -> Answer:
        den = intent.denominator
        assert den is not None
        lines, values, sums, quoted = [], [], [], []
        for r in intent.reports:
            below = self.value(r, den)
            for m in intent.measures:
                top = self.value(r, m)
                values += [top, below]
                head = f"{self.label(r)}{m.label}为{top.describe()}，{den.label}为{below.describe()}"
                if top.total is None or below.total is None:
                    lines.append(f"{head}，因此无法计算占比。")
                elif not below.total:
                    lines.append(f"{head}，分母为0，无法计算占比。")
                elif printed := self.printed_share(r, m):  # the report's own share, as printed: not recomputed
                    sentence, paragraph = printed
                    lines.append(f"{head}；报告原文写明：“{sentence}”")
                    quoted.append(Citation.from_paragraph(paragraph, sentence))
                else:
                    share = percent(top.total, below.total)
                    sums.append(f"{number(top.total)} ÷ {number(below.total)} = {share}")
                    lines.append(f"{head}，占比{share}（{sums[-1]}）。")
        answer = self._answer(intent, lines, values, "derived", extra=sums)
        return replace(answer, citations=answer.citations + tuple(quoted)) if quoted else answer

    def printed_share(self, report: str, m: Measure) -> tuple[str, Paragraph] | None:
        """A sentence of the report that prints this share ("予以公开89件，占办结总数的39.7%"), with its paragraph."""
        row, column = m.pairs[0]
        word = leaf(row) if column in ("总计", TOTAL_COLUMN) or m.table != "三" else leaf(column)
        # the share of this measure alone: not "予以公开及部分公开258件，占33.9%" for 部分公开 (上海市政府办公厅 2019)
        alone = r"(?<![及和与、])" + re.escape(word) + r"(?:(?![及和与、])[^。；;]){0,30}?占"
        return self.printed(report, re.compile(alone + r"[^。；;]{0,24}?\d+(?:\.\d+)?\s*%"))

    def printed(self, report: str, pattern: re.Pattern,
                about: Callable[[str], bool] = lambda sentence: True) -> tuple[str, Paragraph] | None:
        """The first sentence of the report the pattern finds (in its matching form) and `about` accepts, with its
        paragraph."""
        for p in self.store.paragraphs(report):
            for sentence in re.split(r"(?<=[。；;])", p.plain):
                if pattern.search(norm(sentence)) and about(norm(sentence)):
                    return sentence.strip(), p
        return None

    # ---- two reports: the difference ----
    def compare(self, intent: Intent) -> Answer:
        a, b = self._ordered(intent.reports)
        lines, values, sums, points = [], [], [], []
        for m in intent.measures:
            va, vb = self.value(a, m), self.value(b, m)
            values += [va, vb]
            points += [vb.point(m.label, self.label(b)), va.point(m.label, self.label(a))]
            la, lb = self._names(a, b)
            head = f"{m.label}：{self.label(a)}为{va.describe()}，{self.label(b)}为{vb.describe()}"
            if va.total is None or vb.total is None:
                lines.append(f"{head}，因此无法比较。")
                continue
            diff, written = _minus(va.total, vb.total)
            sums.append(written)
            if diff == 0:
                lines.append(f"{head}，两者持平（{sums[-1]}）。")
                continue
            word = "多" if diff > 0 else "少"
            trend = "增长" if diff > 0 else "减少"
            same = self.catalog.agency_of(a) == self.catalog.agency_of(b)
            change = f"，{trend}{percent(abs(diff), vb.total)}" if vb.total and same else ""
            lines.append(f"{head}，{la}比{lb}{word}{amount(abs(diff), va.unit)}（{sums[-1]}）{change}。")
        return self._answer(intent, lines, values, "compare", extra=sums, chart="bar", points=points)

    def _ordered(self, reports: tuple[str, ...]) -> tuple[str, str]:
        a, b = (self.catalog.reports[r] for r in reports[:2])
        if self.catalog.agency_of(a.id) == self.catalog.agency_of(b.id) and (a.year or 0) < (b.year or 0):
            a, b = b, a  # the later year first: "2024年比2023年多…"
        return a.id, b.id

    def _names(self, a: str, b: str) -> tuple[str, str]:
        ra, rb = self.catalog.reports[a], self.catalog.reports[b]
        if self.catalog.agency_of(a) == self.catalog.agency_of(b) and ra.year and rb.year:
            return f"{ra.year}年", f"{rb.year}年"
        return self.label(a), self.label(b)

    # ---- rankings: over reports, or over the leaves of one group row ----
    def rank(self, intent: Intent) -> Answer:
        m = intent.measures[0]
        if intent.over == "rows" and intent.focus is not None:
            column = m.pairs[0][1]
            leaves = [Measure(m.table, ((r, column),), row_label(m.table, r)) for r in group_rows(intent.focus)]
            groups = [[self.value(r, leaf) for leaf in leaves] for r in intent.reports]
        elif intent.over == "items":  # "哪类申请人最多": the measures named, ranked within each report
            groups = [[self.value(r, item) for item in intent.measures] for r in intent.reports]
        else:
            groups = [self.values(intent.reports, m)]
        within = intent.over in ("rows", "items")
        lines, values, points = [], [], []
        for vs in groups:
            line, shown = self._ranking(vs, intent.operation, intent.over)
            lines.append(line)
            values += shown  # only what the answer lists is cited and charted
            points += [v.point(self.label(v.report), v.measure.label) if within
                       else v.point(m.label, self.label(v.report)) for v in shown]
        return self._answer(intent, lines, values, "rank", chart="bar", points=points)

    def _ranking(self, vs: list[Value], op: str, over: str) -> tuple[str, list[Value]]:
        """The ranking's text and the values it lists: every one, or the first RANKED places and the unknowns
        counted when more are ranked (across every agency of a province that is thousands of lines)."""
        known = sorted((v for v in vs if v.total is not None), key=lambda v: v.total, reverse=op != "min")
        unknown = [v for v in vs if v.total is None]
        head = self.label(vs[0].report)
        if over == "items":  # the columns of one row ("哪类申请人最多")
            (row, _), table = vs[0].measure.pairs[0], vs[0].measure.table
            title, name = f"{head}{row_label(table, row)}中", (lambda v: column_label(table, v.measure.pairs[0][1]))
        elif over == "rows":
            title, name = f"{head}{vs[0].measure.label.split('·')[0]}各项", (lambda v: v.measure.label)
        else:
            title, name = vs[0].measure.label, (lambda v: self.label(v.report))
        if not known:
            shown = unknown[:RANKED]
            more = f"（共 {len(unknown)} 份报告，均无法确定）" if len(unknown) > RANKED else ""
            return f"{title}：各项数值均无法确定，无法排序{more}。", shown
        top = [v for v in known if v.total == known[0].total]
        word = "最少" if op == "min" else "最多"
        tied = "、".join(name(v) for v in top[:RANKED]) + (f"等 {len(top)} 份报告并列" if len(top) > RANKED else "")
        head = f"{title}{word}的是{tied}（{amount(known[0].total, known[0].unit)}）。"
        listed = known[:RANKED]
        order = "".join(f"\n{i}. {name(v)}：{v.describe()}" for i, v in enumerate(listed, 1))
        if len(known) > RANKED:
            order += f"\n……共 {len(known)} 份报告参与排序，以上为前 {RANKED} 名。"
        if len(unknown) > RANKED:
            rest, listed_unknown = f"\n另有 {len(unknown)} 份报告该项数值无法确定，未参与排序。", []
        else:
            rest, listed_unknown = "".join(f"\n- {name(v)}：{v.describe()}" for v in unknown), unknown
        shown = sorted(listed, key=lambda v: -v.total) + listed_unknown  # the chart: largest first
        return head + "\n排序：" + order + rest, shown

    # ---- change over time: one agency's years, each year against the one before ----
    def series(self, intent: Intent) -> Answer:
        lines, values, sums, points = [], [], [], []
        for m in intent.measures:
            for reports in self._by_agency(intent.reports):
                name = shown_name(self.catalog.of_key(self.catalog.agency_of(reports[-1])).name)
                vs = [self.value(r, m) for r in reports]
                values += vs
                line, arithmetic = self._changes(name, m, vs)
                lines.append(line)
                sums += arithmetic
                series = name if len(intent.measures) == 1 else f"{name}·{m.label}"
                points += [v.point(series, self._year(v.report)) for v in vs]
        return self._answer(intent, lines, values, "series", extra=sums, chart="line", points=points)

    def _by_agency(self, reports: tuple[str, ...]) -> list[list[str]]:
        """Report ids grouped by agency (in the order first named), each group oldest first."""
        groups: dict[str, list[str]] = {}
        for r in reports:
            groups.setdefault(self.catalog.agency_of(r), []).append(r)
        return [sorted(g, key=lambda r: self.catalog.reports[r].year or 0) for g in groups.values()]

    def _year(self, report: str) -> str:
        year = self.catalog.reports[report].year
        return f"{year}年" if year else "年份不详"

    def _changes(self, name: str, m: Measure, vs: list[Value]) -> tuple[str, list[str]]:
        """"…：2022年150件，比2021年多30件（150 − 120 = 30）…" and each difference's arithmetic."""
        if len(vs) == 1:
            return f"{name}只收录了{self._year(vs[0].report)}的报告，无法看出变化：{m.label}为{vs[0].describe()}。", []
        items, sums, steps, before = [], [], [], None
        for v in vs:
            item = f"\n- {self._year(v.report)}：{v.describe()}"
            if v.total is not None and before is not None:
                diff, written = _minus(v.total, before.total)
                sums.append(written)
                steps.append(diff)
                word = f"比{self._year(before.report)}{'多' if diff > 0 else '少'}{amount(abs(diff), v.unit)}"
                item += f"，{word if diff else f'与{self._year(before.report)}持平'}（{written}）"
            before = v if v.total is not None else before
            items.append(item)
        known = [v for v in vs if v.total is not None]
        head = f"{name}{m.label}"
        if len(known) < 2:
            return f"{head}：已知数值不足两年，无法比较。" + "".join(items), sums
        first, last = known[0], known[-1]
        diff, total = _minus(last.total, first.total)
        shape = ("逐年增加" if all(d > 0 for d in steps) else "逐年减少" if all(d < 0 for d in steps)
                 else "各年持平" if not any(steps) else "有增有减")
        if len(known) == 2:
            shape = "增加" if diff > 0 else "减少" if diff < 0 else "持平"
        rate = f"，{'增长' if diff > 0 else '下降'}{percent(abs(diff), first.total)}" if diff and first.total else ""
        span = f"{self._year(last.report)}比{self._year(first.report)}"
        change = f"{span}{'多' if diff > 0 else '少'}{amount(abs(diff), last.unit)}（{total}{rate}）" if diff \
            else f"{span}持平（{total}）"
        if len(known) > 2:
            sums.append(total)
        return f"{head}{shape}，{change}。" + "".join(items), sums

    # ---- the Answer record ----
    def _answer(self, intent: Intent, lines: list[str], values: list[Value], kind: str,
                extra: list[str] | None = None, chart: str = "", points: list[Point] | None = None,
                said: list[Citation] | None = None) -> Answer:
        citations = tuple(dict.fromkeys(Citation.from_cell(c) for v in values for c in v.cells))
        citations += tuple(said or ())  # sentences quoted where the table is not printed
        reports = tuple(dict.fromkeys(v.report for v in values))
        text = "\n".join(lines)
        if len(reports) > 1 and kind in ("figure", "derived"):
            text += f"\n（涵盖{len(reports)}份报告：{'、'.join(self.label(r) for r in reports)}。）"
        arithmetic = "；".join([v.arithmetic for v in values if v.arithmetic] + (extra or []))
        warnings, more = self.warnings(values)
        if warnings:
            text += "\n" + "\n".join(warnings)
            citations = tuple(dict.fromkeys(citations + tuple(more)))
        return Answer(intent.question, bool(citations), text, citations, kind if citations else "unanswerable",
                      reports, arithmetic, chart=chart if citations and points else "", points=tuple(points or ()))

    def warnings(self, values: list[Value]) -> tuple[list[str], list[Citation]]:
        """Failed checks that involve a cited cell, with both sides cited: the user should know the report disagrees."""
        used = {c.address for v in values for c in v.cells}
        lines: list[str] = []
        cited: list[Citation] = []
        explain = Consistency(self.store, self.catalog).explain
        for report in dict.fromkeys(v.report for v in values):
            failed = [c for c in self.store.checks(report, status="fail") if used & set(c.left_terms + c.right_terms)]
            cells = {c.address: c for c in self.store.cells(report=report)} if failed else {}
            for check in failed:
                line, more = explain(check, cells)
                lines.append(f"注意：{self.label(report)}报告{line}")
                cited += more
        return lines[:3], cited


def _minus(a: float | int, b: float | int) -> tuple[float | int, str]:
    """a − b and the sum written out: (30, "150 − 120 = 30")."""
    diff = a - b
    diff = round(diff, 6) if isinstance(diff, float) else diff
    return diff, f"{number(a)} − {number(b)} = {number(diff)}"
