"""Parsed question + what the conversation was about → a resolved Intent (follow-ups keep row, column, reports)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.vocabulary import ANY_DEPARTMENT, FALLBACK_YEARS
from qa.agencies import GOVERNMENT, OFFICE, Name
from qa.intent import Intent, denominator, group_rows, measures, merged
from qa.scope import Catalog
from qa.understand import Focus, Parsed, columns_only, focus_of

PERSON = "年度报告只公布汇总的统计数字，不含具体申请人或个人（“{}”）的申请和办理情况。"
FUTURE = "年度报告只记录当年已经发生的情况，不含对今后数字的预测或计划。"
SERIES_AGENCIES = 5  # a change-over-time question naming no agency is answered for at most this many agencies
ASK_WHICH = 20  # a question naming no agency (nor a ranking) is answered for every report up to this many agencies;
# beyond, it is asked back (one line per report of a province would bury the answer, and search every paragraph)


@dataclass(frozen=True)
class Conversation:
    """What the conversation is about so far: the last question that named table cells, and the reports in scope."""

    last: Intent | None = None  # the last answered question with a table focus
    reports: tuple[str, ...] = ()  # report ids the last answered question covered
    turns: int = 0

    def after(self, intent: Intent) -> Conversation:
        """The state for the next question: a question that named reports sets the scope even if unanswered."""
        keep = intent if intent.focus is not None and intent.kind != "unanswerable" else self.last
        return Conversation(keep, intent.reports or self.reports, self.turns + 1)


def _unanswerable(p: Parsed, reason: str) -> Intent:
    return Intent("unanswerable", p.question, reason=reason)


def _agencies(p: Parsed, state: Conversation, catalog: Catalog, figure: bool) -> tuple[Parsed, str, str]:
    """Settle the agencies named: a refusal naming the nearest stored ones, or a question back among several; and
    a note when a place alone stands for the one agency stored there ("上海" of 上海市科委, never for a figure)."""
    note = ""
    for m in p.unmatched:
        near = catalog.resolver.nearest(m)
        here = [k for k in near if catalog.resolver.names[k].places[-1:] == tuple(m.place.split("、"))]
        if not m.organ_said and here and set(here) & set(p.agencies):
            continue  # "上海市科委…上海科技": the place's agency is named as well
        if not m.organ_said and len(here) == 1 and not figure:
            p = replace(p, agencies=tuple(dict.fromkeys((*p.agencies, here[0]))))
            note = f"未收录{m.text}本级政府的报告，以下为{catalog.agencies[here[0]].name}的报告。"
            continue
        hint = f"最接近的是：{catalog.names(near)}。" if near else f"已收录：{catalog.listing()}。"
        return p, f"已收录的报告中没有“{m.text}”的报告。{hint}", ""
    if p.unknown:
        return p, f"已收录的报告中没有“{p.unknown[0]}”的报告。已收录：{catalog.listing()}。", ""
    before = {catalog.agency_of(r) for r in state.reports if r in catalog.reports}
    settled = list(p.agencies)
    for m in p.ambiguous:
        meant = [k for k in m.candidates if k in before or k in p.agencies]
        if len(meant) != 1:  # neither the question nor the conversation says which one
            return p, f"“{m.text}”可能指多个机关，请问是哪一个：{catalog.names(m.candidates)}？", ""
        settled.append(meant[0])
    return replace(p, agencies=tuple(dict.fromkeys(settled))), "", note


def _merge(new: Focus | None, old: Focus | None, p: Parsed) -> Focus | None:
    """A follow-up keeps what it does not say: "那自然人呢？" keeps the row, "2022年呢？" keeps everything."""
    if old is None:
        return new
    if new is None:
        if p.followup and old.table == "二" and (columns := columns_only(p.terms, "二")):
            return Focus("二", old.first, columns)  # "废止了几件呢？" after "规范性文件制发了几件？"
        return old if not p.rest else None
    if p.followup and new.table == old.table:
        return Focus(new.table, new.first or old.first, new.second or old.second)
    return new


def _scope(p: Parsed, before: tuple[str, ...], catalog: Catalog, ranking: bool,
           compare: bool = False) -> tuple[list[str], str, str]:
    """Report ids the question is about, or the reason none fits (a year or agency not ingested), and a note
    on how the years were read ("今年" with no report yet → the latest one). In a comparison a relative year is
    the other side: "（2022年…）比上年多多少" is 2022 against 2021."""
    last_reports = [catalog.reports[r] for r in before if r in catalog.reports]
    by_level = False  # the agencies of one level ("哪个县"): a year some of them lack is noted, not refused
    if p.agencies:
        keys = list(p.agencies)
    elif last_reports and not (ranking and p.quantity and not p.followup):
        keys = list(dict.fromkeys(k for k in (catalog.agency_of(r.id) for r in last_reports)))
    else:
        keys = list(catalog.agencies)
        if ranking and p.level:  # "哪个县…最多": the counties' governments only
            keys, by_level = [k for k in keys if _at_level(catalog.resolver.names[k], p.level)], True
            if not keys:
                said = "部门" if ANY_DEPARTMENT in p.level else "、".join(p.level) + "级政府"
                return [], f"未收录任何{said}的报告。已收录：{catalog.listing()}。", ""
    base = p.years[-1] if p.years else max((r.year or 0 for r in last_reports), default=0)
    if p.offsets and not base:
        return [], "请说明是哪一年的报告（例如“2023年”）。", ""
    hard = list(dict.fromkeys([*p.years, *(base + o for o in p.offsets if base)]))  # "2024年…同年": one year
    if compare and p.offsets and not p.years and base:
        hard = list(dict.fromkeys([base, *hard]))
    latest, note = p.latest, ""
    for word, year in p.calendar:
        stored = [y for k in keys for y in _years(catalog, k)]
        if word in FALLBACK_YEARS and stored and year > max(stored):  # that report is not out yet
            latest = True
            note = f"尚未收录{year}年（{word}）的报告，以下按已收录的最新报告回答。"
        else:
            hard.append(year)
    if p.span:
        hard, note = _span(p, keys, last_reports, catalog)
    soft = [] if hard or p.agencies else [r.year for r in last_reports]
    if p.agencies and len(p.agencies) == len(p.years) > 1 and not p.offsets and not p.ranged:
        ids, problem = _pairs(p, catalog)  # "浏阳市2023年和淮安市2024年…": each agency with its own year
        return ids, problem, note
    out: list[str] = []
    for key in keys:
        agency = catalog.of_key(key)
        years = hard or [y for y in soft if agency.report(y)] or [r.year for r in agency.reports]
        if latest or (ranking and not hard and len(keys) > 1):
            years = [agency.reports[-1].year]  # a ranking of agencies uses each one's latest report
        out += [r.id for y in years if (r := agency.report(y))]
    ranged = p.ranged or p.span
    missing = [y for y in dict.fromkeys(hard) if not all(catalog.of_key(k).report(y) for k in keys)]
    narrowed = len(keys) < len(catalog.agencies) and not by_level
    for y in missing:
        holders = [k for k in keys if catalog.of_key(k).report(y)]
        if ranged and out:
            who = "、".join(catalog.of_key(k).name for k in keys if not catalog.of_key(k).report(y))
            note += f"未收录{who}{y}年的报告。"
        elif not holders or narrowed:
            who = "、".join(catalog.of_key(k).name for k in keys if not catalog.of_key(k).report(y)) if narrowed else ""
            return [], f"未收录{who}{y}年的报告。已收录：{catalog.listing()}。", ""
    if not out:
        return [], f"未收录所问年份的报告。已收录：{catalog.listing()}。", ""
    return out, "", note


def _at_level(name: Name, level: tuple[str, ...]) -> bool:
    """The agency is a government of a place of that level, or a department when ANY_DEPARTMENT is asked."""
    if ANY_DEPARTMENT in level:
        return name.organ not in (GOVERNMENT, OFFICE)
    return name.organ == GOVERNMENT and bool(name.places) and name.places[-1].endswith(level)


def _years(catalog: Catalog, key: str) -> list[int]:
    return [r.year for r in catalog.of_key(key).reports if r.year]


def _span(p: Parsed, keys: list[str], last: list, catalog: Catalog) -> tuple[list[int], str]:
    """"历年" → every stored year; "这三年" → the conversation's three years; "近三年" → the latest three stored."""
    stored = sorted({y for k in keys for y in _years(catalog, k)})
    if p.span < 0 or not stored:
        return stored, ""
    said = sorted({r.year for r in last if r.year})
    if p.recent and len(said) == p.span:
        return said, ""
    return list(range(stored[-1] - p.span + 1, stored[-1] + 1)), ""


def _pairs(p: Parsed, catalog: Catalog) -> tuple[list[str], str]:
    out = []
    for key, year in zip(p.agencies, p.years, strict=True):
        report = catalog.of_key(key).report(year)
        if report is None:
            return [], f"未收录{catalog.of_key(key).name}{year}年的报告。已收录：{catalog.listing()}。"
        out.append(report.id)
    return out, ""


def resolve(p: Parsed, state: Conversation, catalog: Catalog) -> Intent:
    """The Intent of one question in its conversation: kind, cells, operation and reports."""
    if not catalog.reports:
        return _unanswerable(p, "尚未收录任何报告，请先导入报告（python -m ingest PATH --db DIR）。")
    p, asked, named = _agencies(p, state, catalog, figure=focus_of(p.terms, p.text, p.tables)[0] is not None)
    if asked:
        return _unanswerable(p, asked)
    if p.person:
        return _unanswerable(p, PERSON.format(p.person))
    new, problem = focus_of(p.terms, p.text, p.tables)
    if p.future and (p.quantity or new is not None):
        return _unanswerable(p, FUTURE)
    if p.offtopic and (new is None or not new.first):  # "居民人均可支配收入": 居民 is no applicant here
        return _unanswerable(p, f"政府信息公开工作年度报告不包含“{p.offtopic}”这类数据。")
    told = new is not None and not p.check and p.narrative_only(new.table)
    if told:  # "办理了多少条市长信箱留言": no table counts that; the narrative may
        new, problem = None, ""
    last = state.last
    focus = new if p.check or told else _merge(new, last.focus if last else None, p)
    carried = focus is not None and new is None
    inherit_op = (carried or p.followup) and last is not None and not p.ops
    ops = tuple(o for o in ((last.operation,) if inherit_op and last else p.ops) if o)
    ranking = bool({"max", "min", "rank"} & set(ops))
    across = "sum" in ops and len(p.agencies) > 1  # "三家加起来": each agency's latest report unless a year is said
    reports, missing, note = _scope(p, state.reports, catalog, ranking or across, "diff" in ops)
    if missing:
        return _unanswerable(p, missing)
    ranks = ranking and focus is not None  # "存在哪些问题" is no ranking: nothing to rank
    if not (p.agencies or ranks or across or (p.check and p.which_reports)) and len(reports) > ASK_WHICH and len(
            {catalog.agency_of(r) for r in reports}) > ASK_WHICH:  # a province's every report: ask which one
        example = catalog.label(catalog.latest_of(reports).id)
        return _unanswerable(p, f"请说明是哪个机关、哪一年的报告（例如“{example}……”），"
                                f"或在“发布机关”中选定范围。已收录：{catalog.listing()}。")
    base = Intent("narrative", p.question, tuple(reports), focus, note=named + note, count=p.count)
    if p.check:
        tables = (("叙述",) if p.narrative_check else ()) + (p.tables or ((new.table,) if new else ()))
        if p.which_reports:  # "哪些报告…": every report in scope, not each agency's latest
            every = reports if p.agencies or p.years else list(catalog.reports)
            return replace(base, kind="check", tables=tables, focus=new, operation="list", reports=tuple(every))
        return replace(base, kind="check", tables=tables, focus=new)
    if problem:
        return _unanswerable(p, problem + "。")
    if focus is None:
        return base
    if not (p.quantity or ops or p.followup or carried):
        named = new is not None and bool(new.first or new.second)  # "申请" alone is no table question
        return replace(base, measures=tuple(measures(focus)), fallback=named)
    return _figures(p, base, focus, ops, state.reports, catalog)


def _figures(p: Parsed, base: Intent, focus: Focus, ops: tuple[str, ...], before: tuple[str, ...],
             catalog: Catalog) -> Intent:
    ms = measures(focus)
    if not ms:
        return _unanswerable(p, f"报告的表{focus.table}没有这一项。")
    reports = list(base.reports)
    one_agency = len({catalog.agency_of(r) for r in reports}) == 1
    if "trend" in ops or ("diff" in ops and one_agency and len(reports) > 2 and not p.followup):
        return _series(p, replace(base, measures=tuple(ms if p.each else [merged(ms)])), catalog)
    if "diff" in ops:
        if p.followup and before:
            reports = list(dict.fromkeys([*before, *reports]))
        if len(reports) == 1:
            r = catalog.reports[reports[0]]
            year = (r.year or 0) - 1
            prior = catalog.of_key(catalog.agency_of(r.id)).report(year)
            if prior is None:
                return _unanswerable(p, f"未收录{r.agency}{year}年的报告，无法比较。已收录：{catalog.listing()}。")
            reports.append(prior.id)
        one = ms if p.each else [merged(ms)]
        return replace(base, kind="compare" if len(reports) == 2 else "figure", reports=tuple(reports),
                       measures=tuple(one), operation="diff")
    if {"max", "min", "rank"} & set(ops):
        op = "min" if "min" in ops else "max"
        leaves = group_rows(focus)
        over = "rows" if leaves and not p.over_reports else "reports"
        return replace(base, kind="rank", measures=(merged(ms),), operation=op, over=over)
    if "share" in ops:
        explicit, _ = focus_of(p.denominator, p.text) if p.denominator else (None, "")
        den = denominator(focus, explicit)
        if den is None:
            return _unanswerable(p, "请说明占什么的比例（例如“予以公开占办结总数的比例”）。")
        nums = ms if p.each else [merged(ms)]
        return replace(base, kind="derived", measures=tuple(nums), denominator=merged(measures(den)),
                       operation="share")
    if "sum" in ops or any(len(m.pairs) > 1 for m in ms):
        return replace(base, kind="derived", measures=tuple(ms if p.each else [merged(ms)]), operation="sum")
    return replace(base, kind="figure", measures=tuple(ms))


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
    years = set(p.years) | ({catalog.reports[r].year for r in base.reports} if p.span > 0 else set())
    reports = [r.id for k in keys for r in catalog.of_key(k).reports if not years or r.year in years]
    return replace(base, kind="series", reports=tuple(reports), operation="trend")
