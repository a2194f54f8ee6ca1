"""Request → Intent: the kind of answer, the measures it computes (which cells to add up) and a share's denominator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from core.template import RESULTS, TABLE_2, TABLE_2_2019, TABLE_4, TOTAL_COLUMN
from core.text import norm
from core.vocabulary import (
    CALENDAR_YEARS,
    DONE,
    JOINERS,
    LABEL_PARAPHRASES,
    LIKE_PIECES,
    MONEY_WORDS,
    NEGATIONS,
    STORED_ASKED,
    TABLE_2_ALIKE,
    TABLE_2_TWINS,
)
from qa.conversation import Request
from qa.focus import Focus, Pick, default_first, group_rows
from qa.intent import Intent, Measure
from qa.labels import column_label, row_label
from qa.match import contains, holds
from qa.parse import Parsed
from qa.rates import plan_rate
from qa.scope import Catalog

SERIES_AGENCIES = 5  # a change-over-time question naming no agency is answered for at most this many agencies

TOTAL = Pick((TOTAL_COLUMN,), "总计")


def _each(picks: tuple[Pick, ...], label: Callable[[str], str]) -> list[Pick]:
    out: list[Pick] = []
    for p in picks:
        out += [Pick((t,), label(t)) for t in p.targets] if p.combine == "each" and len(p.targets) > 1 else [p]
    return out


def measures(focus: Focus, both_layouts: bool = False) -> list[Measure]:
    """Every figure the focus names, one per (first, second) pick; defaults fill the dimensions left out. A 表二 row
    asked with no column has the columns of its first layout, or of both when no column of the one has a twin in the
    other (`both_layouts`: the answer keeps those each report prints)."""
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
            said = [TABLE_2_ALIKE.get((r, c), c) for p in focus.second for c in p.targets]  # 采购 的 金额
            named = list(dict.fromkeys(c for c in said if c in allowed))
            first = table_2_columns(r, first_layout=True)
            twinned = any(c in TABLE_2_TWINS or c in TABLE_2_TWINS.values() for c in first)
            for c in (named if focus.second else first if twinned or not both_layouts else table_2_columns(r)):
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
    head = "、".join(dict.fromkeys(heads))
    if len(set(tails)) == 1:  # one column said once: "予以公开、部分公开（总计）"; none: "行政复议总计、行政诉讼总计"
        label = f"{head}（{tails[0]}" if tails[0] else head
    else:
        label = "与".join(m.label for m in ms)
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


def plan(r: Request, catalog: Catalog) -> Intent:
    """The Intent of a question merged with its conversation: kind, cells, operation and reports."""
    p, new, focus = r.parsed, r.new, r.focus
    if r.refusal:
        return replace(_unanswerable(p, r.refusal), asked_about=r.asked_about)
    base = Intent("narrative", p.question, r.reports, focus, note=r.note, count=p.count)
    if p.check:
        tables = (("叙述",) if p.narrative_check else ()) + (p.tables or ((new.table,) if new else ()))
        if p.which_reports:  # "哪些报告…": every report in scope, not each agency's latest
            every = r.reports if p.agencies or p.years else sorted(catalog.reports)
            return replace(base, kind="check", tables=tables, focus=new, operation="list", reports=tuple(every))
        return replace(base, kind="check", tables=tables, focus=new)
    if contains(p.text, STORED_ASKED):  # "财金局有几年的报告": what is stored, from the catalog, never a quote
        keys = list(dict.fromkeys(catalog.agency_of(i) for i in r.reports)) if p.agencies else None
        return _unanswerable(p, f"问的是收录情况，不是报告的内容。已收录：{catalog.listing(keys)}。")
    if r.problem:
        return _unanswerable(p, r.problem + "。")
    if r.search:  # "前一年呢" after a narrative question: the same words, in the reports it moves to
        return replace(base, search=r.search)
    if focus is None and not (p.terms or r.ops or p.rest or p.unknown):  # "平潭2023年", "多少", "？？": asks nothing
        who = catalog.label(base.reports[0]) if len(base.reports) == 1 else ""
        return _unanswerable(p, f"请说明想了解什么，例如“{who}收到多少政府信息公开申请？”“{who}存在哪些问题？”")
    figure = merged(ms) if focus is not None and (ms := measures(focus)) else None
    if (rated := plan_rate(p, base, focus, figure)) is not None:  # a rate by name: its formula, or a refusal
        return rated
    if focus is None:
        if p.focus is not None and p.narrative_only(p.focus.table):  # "线上收到几件": said of what no cell counts,
            return replace(base, qualifiers=uncovered(p, p.focus, base.reports, catalog))  # so a quote must say it
        return base
    if left := uncovered(p, focus, base.reports, catalog):  # "网上申请有多少件": no cell counts that
        return replace(base, qualifiers=left)
    if not (p.quantity or r.ops or p.followup or r.carried):
        named = new is not None and bool(new.first or new.second)  # "申请" alone is no table question
        said = tuple(dict.fromkeys(norm(a) for f in p.terms for a in (f.word, *f.value.aliases)))
        return replace(base, measures=tuple(measures(focus)), fallback=named, named=said if named else ())
    return _figures(p, base, focus, r.ops, r.before, catalog)


def uncovered(p: Parsed, focus: Focus, reports: tuple[str, ...], catalog: Catalog) -> tuple[str, ...]:
    """The question's words (Parsed.loose) that neither the labels of the cells the focus names nor the agencies in
    scope account for: a qualifier the cell does not carry ("网上", "12345热线", "信访") means the cell answers a
    broader question than the one asked. A word is accounted for when a label holds it, or each of its bigrams, or an
    agency's name each of its characters; an everyday word of LABEL_PARAPHRASES counts as the label word it stands
    for. A single character left over (办, 提, 人 of "办了多少", "企业提的", "有人申请") is a verb or a pronoun of the
    frame, not a qualifier (those are words: 网上, 热线, 信访) — unless it is a negation (没 of "有多少没有公开")."""
    if p.petitions():
        return p.petitions()
    ms = measures(focus) + (measures(p.denominator) if p.denominator else [])
    labels = "".join(f"{r}{c}{m.label}" for m in ms for r, c in m.pairs)
    if any(m.table == TABLE_2.name for m in ms):  # every cell of 表二 is a 主动公开 figure (its title says so)
        labels += TABLE_2.title
    names = "".join(catalog.reports[r].agency for r in reports if r in catalog.reports)
    for word, label in LABEL_PARAPHRASES:
        if label in labels:
            labels += word
    if "万元" in labels:  # a money cell accounts for the everyday words for money
        labels += "".join(MONEY_WORDS)
    return tuple(w for w in p.loose if (len(w) > 1 or w in NEGATIONS) and w not in LIKE_PIECES and w not in JOINERS
                 and not holds(labels + names, w)
                 and not set(w) <= set(names))  # an agency said by its initials ("财金局")


def _unanswerable(p: Parsed, reason: str) -> Intent:
    return Intent("unanswerable", p.question, reason=reason)


def _figures(p: Parsed, base: Intent, focus: Focus, ops: tuple[str, ...], before: tuple[str, ...],
             catalog: Catalog) -> Intent:
    ms = measures(focus)
    if not ms:
        return _unanswerable(p, f"报告的表{focus.table}没有这一项。")
    reports = list(base.reports)
    one_agency = len({catalog.agency_of(r) for r in reports}) == 1
    # "和前两年比呢" (offsets −1, −2) is a follow-up asking for three years: a series, like "2022到2024年比"
    if "trend" in ops or ("diff" in ops and one_agency and len(reports) > 2 and (not p.followup or len(p.offsets) > 1)):
        return _series(p, replace(base, measures=tuple(ms if p.each else [merged(ms)])), catalog)
    if "diff" in ops:
        # "和浏阳比呢": the conversation's reports are one side; a question naming its agency and its figure
        # ("洪泽区2024年收到多少，和2023年比呢") is whole without them
        if p.followup and before and not (p.agencies and p.focus is not None):
            reports = list(dict.fromkeys([*before, *reports]))
        if len(reports) == 1:
            r = catalog.reports[reports[0]]
            # "和前年比呢" about 2024, asked in 2026: 前年 is that very year, so it counts from it (2022), not the
            # year before it
            step = next((CALENDAR_YEARS[w] for w, y in p.calendar if y == r.year and CALENDAR_YEARS.get(w, 0) < 0), -1)
            year = (r.year or 0) + step
            prior = catalog.of_key(catalog.agency_of(r.id)).report(year)
            if prior is None:
                return _unanswerable(p, f"未收录{r.agency}{year}年的报告，无法比较。已收录："
                                        f"{catalog.listing([catalog.agency_of(r.id)])}。")
            reports.append(prior.id)
        one = ms if p.each else [merged(ms)]
        return replace(base, kind="compare" if len(reports) == 2 else "figure", reports=tuple(reports),
                       measures=tuple(one), operation="diff")
    if {"max", "min", "rank"} & set(ops):
        op = "min" if "min" in ops else "max"
        leaves = group_rows(focus)
        over = "rows" if leaves and not p.over_reports else "reports"
        if over == "reports" and len(ms) > 1 and not p.over_reports and len({m.pairs[0][0] for m in ms}) == 1:
            # "淮安2024年哪类申请人最多": the columns the question goes through, in each report
            return replace(base, kind="rank", measures=tuple(ms), operation=op, over="items")
        if over == "reports" and len(base.reports) == 1 and not p.over_reports:
            return _unanswerable(p, f"所问范围只有{catalog.label(base.reports[0])}一份报告，无从比较；请说明要比较的"
                                    "机关或年份，或问表中的某一项（例如“自然人申请了多少件”）。")
        return replace(base, kind="rank", measures=(merged(ms),), operation=op, over=over)
    if "share" in ops:
        den = denominator(focus, p.denominator)
        if den is None:
            return _unanswerable(p, "请说明占什么的比例（例如“予以公开占办结总数的比例”）。")
        nums = ms if p.each else [merged(ms)]
        return replace(base, kind="derived", measures=tuple(nums), denominator=merged(measures(den)),
                       operation="share")
    if "sum" in ops or any(len(m.pairs) > 1 for m in ms):
        return replace(base, kind="derived", measures=tuple(ms if p.each else [merged(ms)]), operation="sum")
    # "2019年规范性文件公开了几件": the 2019 layout's columns too, where only 2021's were asked and none printed
    return replace(base, kind="figure", measures=tuple(measures(focus, both_layouts=True)))


def _series(p: Parsed, base: Intent, catalog: Catalog) -> Intent:
    """Change over time: every stored year (or every year named) of each agency in scope, oldest first."""
    keys = list(dict.fromkeys(catalog.agency_of(r) for r in base.reports))
    if not p.agencies and len(keys) > 1:  # "这几年…" naming no agency: the agencies with more than one year
        keys = [k for k in keys if len(catalog.of_key(k).reports) > 1]
        if not keys:
            listing = catalog.listing()
            return _unanswerable(p, f"已收录的报告中没有同一机关多个年度的报告，无法看出变化。已收录：{listing}。")
        if len(keys) > SERIES_AGENCIES:
            return _unanswerable(p, "请说明是哪个机关（例如“浏阳市这几年收到的申请是多了还是少了？”）。")
    # "近三年", "比前两年": the years in scope, not every year stored
    years = set(p.years) | ({catalog.reports[r].year for r in base.reports}
                            if p.span > 0 or len(p.offsets) > 1 else set())
    reports = [r.id for k in keys for r in catalog.of_key(k).reports if not years or r.year in years]
    return replace(base, kind="series", reports=tuple(reports), operation="trend")
