"""Resolved question + the conversation so far → a Request: follow-ups keep row, column, operation and reports."""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.vocabulary import (
    ANY_DEPARTMENT,
    BARE_DISCLOSED,
    CALENDAR_YEARS,
    FALLBACK_YEARS,
    OTHER_APPLICANTS,
    OTHER_WORDS,
    QUANTITY,
)
from qa.agencies import GOVERNMENT, OFFICE, Name, at_level
from qa.focus import Focus, Pick, columns_only, focus_of, ranks_within
from qa.intent import Intent
from qa.labels import column_label
from qa.match import Found, contains
from qa.parse import Parsed
from qa.resolve import Resolved
from qa.scope import Catalog

ASK_WHICH = 20  # a question naming no agency (nor a ranking) is answered for every report up to this many agencies;
# beyond, it is asked back (one line per report of a province would bury the answer, and search every paragraph)


@dataclass(frozen=True)
class Conversation:
    """What the conversation is about so far: the last question that named table cells, and the reports in scope."""

    last: Intent | None = None  # the last answered question with a table focus
    reports: tuple[str, ...] = ()  # report ids the last answered question covered
    turns: int = 0
    earlier: tuple[str, ...] = ()  # the reports in scope before those ("2024年…" then "那2023年呢？": 2024's)
    checking: tuple[str, ...] | None = None  # the last turn checked these tables (() = all): "和2022年比呢？" checks
    pending: tuple[str, str] = ()  # (question, words) the last turn asked which agency the words mean: a reply
    # naming one completes that question
    narrative: str = ""  # the words the last answered question looked for in the narrative, when it was one:
    # "前一年呢" after "君山23年主动公开了多少条信息" asks that again of 2022

    def after(self, intent: Intent) -> Conversation:
        """The state for the next question: a question that named reports sets the scope even if unanswered."""
        keep = intent if intent.focus is not None and intent.kind != "unanswerable" else self.last
        moved = bool(intent.reports) and intent.reports != self.reports
        checking = None  # a check's tables, kept past a refusal ("和2019年比呢？" with 2019 not stored)
        if intent.kind == "check":
            checking = intent.tables
        elif intent.kind == "unanswerable":
            checking = self.checking
        pending = (intent.question, intent.asked_about) if intent.asked_about else ()
        narrative = self.narrative if intent.kind == "unanswerable" else ""
        if intent.kind == "narrative":
            narrative = intent.search or intent.question
        return Conversation(keep, intent.reports or self.reports, self.turns + 1,
                            self.reports if moved else self.earlier, checking, pending, narrative)


@dataclass(frozen=True)
class Request:
    """A question with what the conversation fills in: the table part, operation and reports it is about."""

    parsed: Parsed
    new: Focus | None = None  # the table part the question itself names; None when it speaks of what no table counts
    focus: Focus | None = None  # the table part once the conversation fills in what the question leaves out
    problem: str = ""  # a term names a split the table does not have (Parsed.problem)
    carried: bool = False  # the focus is the conversation's: the question names none
    ops: tuple[str, ...] = ()  # the question's operations, or the conversation's for a follow-up
    reports: tuple[str, ...] = ()  # report ids in scope
    before: tuple[str, ...] = ()  # report ids the conversation covered (a follow-up comparison adds them)
    note: str = ""  # how the question was read, said before the answer
    search: str = ""  # a follow-up naming only another year or agency ("前一年呢") of a narrative question: its words
    refusal: str = ""  # why the question cannot be answered (a year not stored, too many reports); "" if none
    asked_about: str = ""  # the refusal asks which agency these words mean (qa.resolve.Resolved.asked_about)


def merge(resolved: Resolved, state: Conversation, catalog: Catalog) -> Request:
    """The question in its conversation: the focus and operation a follow-up keeps, and the reports in scope."""
    p = resolved.parsed
    if resolved.refusal:  # handed on to the plan, which says it
        return Request(p, refusal=resolved.refusal, asked_about=resolved.asked_about)
    again = _checks_again(p, state)
    if again:  # "表三勾稽关系对得上吗？" then "和2022年比呢？" / "那表四呢？": the same check, elsewhere
        p = replace(p, check=True, tables=p.tables or state.checking or ())
    new, problem = p.focus, p.problem
    moved_only = not (p.terms or p.rest or p.ops or p.tables or p.check or p.unknown or p.focus) and bool(
        p.followup or p.years or p.offsets or p.calendar or p.agencies)
    if state.narrative and p.ops == ("diff",) and not (p.terms or p.rest or p.tables or p.check or p.unknown
                                                       or p.focus or p.agencies) and len(state.reports) == 1:
        return _narrative_compared(p, state, catalog, resolved.note)
    if state.narrative and moved_only:  # "前一年呢" after a narrative question: that question, elsewhere
        reports, missing, note = _scope(p, state.reports, catalog, False)
        if missing:
            return Request(p, refusal=missing)
        return Request(p, reports=tuple(reports), before=state.reports, note=resolved.note + note,
                       search=state.narrative)
    told = new is not None and not p.check and p.narrative_only(new.table)
    if told:  # "办理了多少条市长信箱留言": no table counts that; the narrative may
        new, problem = None, ""
    last = state.last
    if new is None and p.disclosed and last is not None and last.focus is not None and last.focus.table == "三":
        # "公开了几件？" after "收到几件申请？": the requests' 予以公开
        new = focus_of((Found(0, 0, "公开", BARE_DISCLOSED),), p.text)[0]
    focus = new if p.check or told else _merge(new, last.focus if last else None, p)
    carried = focus is not None and new is None
    inherit_op = (carried or p.followup) and last is not None and not p.ops
    ops = tuple(o for o in ((last.operation,) if inherit_op and last else p.ops) if o)
    ranking = bool({"max", "min", "rank"} & set(ops))
    across = "sum" in ops and len(p.agencies) > 1  # "三家加起来": each agency's latest report unless a year is said
    # a ranking of agencies leaves the conversation's agency; "存在哪些问题" ranks nothing, "哪类申请人最多" and
    # "不予公开的理由哪个最多" rank the figures of each report: those stay with it
    within = focus is not None and not (p.over_reports or p.level) and ranks_within(focus)
    ranks = ranking and focus is not None and not within
    reports, missing, note = _scope(p, state.reports, catalog, ranking or across, "diff" in ops, ranks or across)
    if missing:
        return Request(p, refusal=missing)
    if again and "diff" in p.ops:  # "和2022年比呢": both sides checked, the conversation's first
        reports = list(dict.fromkeys([*state.reports, *reports]))
    if "diff" in ops and not (p.agencies or p.years or p.offsets or p.calendar) and (
            pair := _two_years(state, catalog)):  # "2024年…", "那2023年呢？", "增长了多少？": those two years
        reports = pair
    if not (p.agencies or ranks or across or (p.check and p.which_reports)) and len(reports) > ASK_WHICH and len(
            {catalog.agency_of(r) for r in reports}) > ASK_WHICH:  # a province's every report: ask which one
        example = catalog.label(catalog.latest_of(reports).id)
        return Request(p, refusal=f"请说明是哪个机关、哪一年的报告（例如“{example}……”），"
                                  f"或在“发布机关”中选定范围。已收录：{catalog.listing()}。")
    return Request(p, new, focus, problem, carried, ops, tuple(reports), state.reports, resolved.note + note)


def _checks_again(p: Parsed, state: Conversation) -> bool:
    """A follow-up to a check that names no cell of its own ("和2022年比呢？", "那表四呢？", "洪泽区呢？") asks for the
    same check of other reports or tables; a table asked for its figures ("表三的数据") is no check."""
    tables = bool(p.tables) and not contains(p.text, QUANTITY)
    return state.checking is not None and not p.check and not p.terms and (p.followup or tables)


def _merge(new: Focus | None, old: Focus | None, p: Parsed) -> Focus | None:
    """A follow-up keeps what it does not say: "那自然人呢？" keeps the row, "2022年呢？" keeps everything."""
    if old is None:
        return new
    if new is None:
        # "废止了几件呢？", "现行有效几件" after "规范性文件制发了几件？": a 表二 column said alone is the last row's
        if old.table == "二" and (columns := columns_only(p.terms, "二")):
            return Focus("二", old.first, columns)
        if p.followup and old.table == "三" and old.second and p.rest in OTHER_WORDS:  # "其他呢" after "律所呢"
            return Focus("三", old.first, (Pick((OTHER_APPLICANTS,), column_label("三", OTHER_APPLICANTS)),))
        return old if not p.rest else None
    if p.followup and new.table == old.table:
        return Focus(new.table, new.first or old.first, new.second or old.second)
    return new


def _scope(p: Parsed, before: tuple[str, ...], catalog: Catalog, ranking: bool,
           compare: bool = False, ranks: bool = True) -> tuple[list[str], str, str]:
    """Report ids the question is about, or the reason none fits (a year or agency not ingested), and a note
    on how the years were read ("今年" with no report yet → the latest one). In a comparison a relative year is
    the other side: "（2022年…）比上年多多少" is 2022 against 2021."""
    last_reports = [catalog.reports[r] for r in before if r in catalog.reports]
    by_level = False  # the agencies of one level ("哪个县"): a year some of them lack is noted, not refused
    bounds = _bounds(p, catalog) if p.level else []
    if bounds:  # "平潭各部门", "平潭哪个片区": the agencies of that level inside the places named
        keys, by_level = _within(bounds, p, catalog), True
        if not keys:
            said = "部门" if ANY_DEPARTMENT in p.level else "、".join(p.level)
            return [], f"未收录{'、'.join(b[-1] for b in bounds)}的{said}的报告。已收录：{catalog.listing()}。", ""
    elif p.agencies:
        keys = list(p.agencies)
    # "主动公开了哪些内容" after a question about one agency stays with it: "哪些" ranks nothing without a table part
    # (`ranks`), so only a real ranking leaves the conversation's agency for every stored one
    elif last_reports and not (ranks and p.quantity and not p.followup) and not p.level:
        keys = list(dict.fromkeys(k for k in (catalog.agency_of(r.id) for r in last_reports)))
    else:
        keys = sorted(catalog.agencies)
        if p.level:  # "哪个县…最多", "各县…": the counties' governments only
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
    ranged = p.ranged or p.span or len(p.offsets) > 1  # "前两年": a year of them not stored is noted
    missing = [y for y in dict.fromkeys(hard) if not all(catalog.of_key(k).report(y) for k in keys)]
    narrowed = len(keys) < len(catalog.agencies) and not by_level
    for y in missing:
        holders = [k for k in keys if catalog.of_key(k).report(y)]
        if ranged and out:
            who = "、".join(catalog.of_key(k).name for k in keys if not catalog.of_key(k).report(y))
            note += f"未收录{who}{y}年的报告。"
        elif not holders or narrowed:
            who = "、".join(catalog.of_key(k).name for k in keys if not catalog.of_key(k).report(y)) if narrowed else ""
            return [], f"未收录{who}{y}年的报告。已收录：{catalog.listing(keys if narrowed else None)}。", ""
    if not out:
        return [], f"未收录所问年份的报告。已收录：{catalog.listing()}。", ""
    return out, "", note


def _narrative_compared(p: Parsed, state: Conversation, catalog: Catalog, note: str) -> Request:
    """"和去年比呢" after "存在什么问题" about one report: that question in the year compared with too. The year is
    said, or counted back from the one asked about (去年 after 2021 is 2020, as for a figure), never the latest."""
    r = catalog.reports[state.reports[0]]
    step = p.offsets[0] if p.offsets else next(
        (CALENDAR_YEARS[w] for w, y in p.calendar if y == r.year and CALENDAR_YEARS.get(w, 0) < 0), -1)
    year = p.years[0] if p.years else (r.year or 0) + step
    other = catalog.of_key(catalog.agency_of(r.id)).report(year)
    if other is None or other.id == r.id:
        return Request(p, refusal=f"未收录{r.agency}{year}年的报告，无法比较。已收录："
                                  f"{catalog.listing([catalog.agency_of(r.id)])}。")
    return Request(p, reports=(r.id, other.id), before=state.reports, note=note, search=state.narrative)


def _two_years(state: Conversation, catalog: Catalog) -> list[str]:
    """The last two turns' reports, later year first, when each was one report of the same agency in another
    year; else []."""
    rs = [catalog.reports[r] for r in (*state.reports, *state.earlier) if r in catalog.reports]
    if len(rs) != 2 or len(state.reports) != 1 or catalog.agency_of(rs[0].id) != catalog.agency_of(rs[1].id) \
            or rs[0].year == rs[1].year or not (rs[0].year and rs[1].year):
        return []
    return [r.id for r in sorted(rs, key=lambda r: r.year, reverse=True)]


def _bounds(p: Parsed, catalog: Catalog) -> list[tuple[str, ...]]:
    """The places a level is asked inside ("平潭各部门"): each said by its stored government, or alone when none is
    stored (a mention no agency fits, left to this by qa.resolve)."""
    names = catalog.resolver.names
    said = [names[a].places for a in p.agencies if names[a].organ == GOVERNMENT and names[a].places]
    return said + [tuple(m.place.split("、")) for m in p.unmatched if not m.organ_said and m.place]


def _within(bounds: list[tuple[str, ...]], p: Parsed, catalog: Catalog) -> list[str]:
    """The stored agencies of the level asked (Parsed.level) inside one of the places, other than their governments."""
    return [k for k, n in catalog.resolver.names.items() if k not in p.agencies and _at_level(n, p.level)
            and any(b[-1] in n.places for b in bounds)]


def _at_level(name: Name, level: tuple[str, ...]) -> bool:
    """The agency is a government of a place of that level, or a department when ANY_DEPARTMENT is asked."""
    if ANY_DEPARTMENT in level:
        return name.organ not in (GOVERNMENT, OFFICE)
    return name.organ == GOVERNMENT and bool(name.places) and any(at_level(name.places[-1], lv) for lv in level)


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
            return [], f"未收录{catalog.of_key(key).name}{year}年的报告。已收录：{catalog.listing([key])}。"
        out.append(report.id)
    return out, ""


