"""Question words → slots (Parsed): agency mentions, years, table terms and the table part they name, operations."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from core.template import TABLE_3
from core.text import norm, to_simplified
from core.vocabulary import (
    BARE_DISCLOSED,
    BARE_DISCLOSED_NOT_AFTER,
    CHECK_WORDS,
    CONNECTIVES,
    COUNT_WORDS,
    COUNTED_THINGS,
    EACH_WORDS,
    EVENT_MEASURES,
    FOLLOWUP_PREFIXES,
    FOLLOWUP_SUFFIXES,
    FRAME_WORDS,
    FUTURE_WORDS,
    GENERIC_MEASURE,
    LIKE_PIECES,
    NAMELESS_ORGANS,
    NARRATIVE_CHECK,
    NARRATIVE_UNITS,
    OFF_TOPIC,
    OPERATIONS,
    PERSON_AFTER,
    PERSON_BEFORE,
    PIECE_MEASURES,
    POINTED_ONLY,
    POINTING_WORDS,
    QUANTITY,
    RANK_LEVELS,
    RANK_OVER_REPORTS,
    REGIONAL_WORDS,
    REQUEST_ONLY,
    REQUEST_WORDS,
    TABLE_CHECK_WORDS,
    TABLE_OBJECTS,
    TERMS,
    WEAK_VERBS,
    WHICH_REPORTS,
    Term,
)
from qa.agencies import Mention
from qa.focus import Focus, focus_of, overview
from qa.labels import leaf
from qa.match import MASK, Found, contains, find, tagged
from qa.scope import Catalog, unknown_places
from qa.year_words import absolute_years, relative_years

_TABLE = re.compile(r"表格?([二三四234])(?![\d.])|第([二三四234])张?表")
_TABLE_NUMBER = str.maketrans("234", "二三四")  # "表2" is 表二
_SHARE_SPLIT = ("占", "所占")  # terms after these words name the denominator ("予以公开占办结的比例")
# Left of a question once names, years, terms and operation words are masked: these say nothing new.
_FILLER = re.compile(r"[□的了是有和跟与同较那么呢吗啊呀件个项数年度里中又再请问,，。.?？!！、\s]")
_UNITS = sorted([*NARRATIVE_UNITS, "件", "个", "项", "万元", "所", "张", "吨", *LIKE_PIECES], key=len, reverse=True)
_ASKED_UNIT = re.compile(r"(?:多少|几)(" + "|".join(map(re.escape, _UNITS)) + ")")
_HAN = re.compile(r"[\u3400-\u9fff]")
_NAMELESS = re.compile("^[□0-9年度的]*(?P<said>(?P<pointing>" + "|".join(POINTING_WORDS) + ")?(?P<organ>" + "|".join(
    sorted(NAMELESS_ORGANS, key=len, reverse=True)) + "))(?!信息|公开)")
_BARE_DISCLOSED = re.compile(r"公开(?:了|的|过)?(?:有)?(?=几|多少)")  # "公开了几件": see core.vocabulary.BARE_DISCLOSED
_NOT_WORD = re.compile(r"[^\u3400-\u9fffA-Za-z0-9]+")
# "哪个县" (the level a ranking is over, core.vocabulary.RANK_LEVELS); not 市场, 县长, 市委, 区民
_LEVEL = re.compile(r"(?:哪(?:个|一个|些|几个|一)?|各)(" + "|".join(sorted(RANK_LEVELS, key=len, reverse=True))
                    + r")(?!场|长|委|民)")


@lru_cache(maxsize=1)
def _taiwan_phrases():
    from opencc import OpenCC

    return OpenCC("tw2sp")  # Taiwan phrases → mainland ones ("資訊" → "信息"), loaded once


def mainland(question: str) -> str:
    """A question in Taiwan/Hong Kong wording → mainland wording. Only a question in traditional script goes through
    the phrase dictionary, and never where it would change a word of the vocabulary (tw2sp turns 查詢 into 查找,
    but "行政查詢" is a row): "資訊" → "信息", "軟體" → "软件"."""
    plain = to_simplified(question)
    if plain != question:
        phrased = _taiwan_phrases().convert(question)
        if len(phrased) == len(plain):
            kept = [False] * len(plain)
            for f in find(plain, [(w, t) for w, t in vocabulary()] + list(_operation_words()))[0]:
                kept[f.start:f.end] = [True] * (f.end - f.start)
            plain = "".join(a if keep else b for a, b, keep in zip(plain, phrased, kept, strict=True))
    for regional, standard in REGIONAL_WORDS:
        plain = plain.replace(regional, standard)
    return plain


@lru_cache(maxsize=1)
def vocabulary() -> tuple[tuple[str, Term], ...]:
    """Every alias of core.vocabulary, plus the template's own row labels, normalised for matching; each also as
    people write its connectives ("法人或者其他组织", "其它组织"), so that a phrase is never split into a group's
    short alias and one of its own leaves ("法人" + "其他组织" would read as the column 其他)."""
    out = [(v, t) for t in TERMS for a in t.aliases for v in _written(norm(a))]
    known = {a for a, _ in out}
    for row in TABLE_3.rows:
        label = norm(leaf(row.path))
        if len(label) >= 3 and label not in known and label != "总计":
            out.append((label, Term("三", "row", (row.path,), (label,))))
            known.add(label)
    return tuple(out)


def _written(alias: str) -> list[str]:
    """An alias and its variants: each connective of CONNECTIVES as any other, 其他 as 其它."""
    out = [alias]
    for word, others in CONNECTIVES.items():
        if word in alias:
            out += [alias.replace(word, other) for other in others]
    return list(dict.fromkeys(out + [v.replace("其他", "其它") for v in out if "其他" in v]))


@lru_cache(maxsize=1)
def _operation_words() -> tuple[tuple[str, str], ...]:
    words = [(norm(w), op) for op, ws in OPERATIONS.items() for w in ws]
    return tuple(words + [(norm(w), "quantity") for w in QUANTITY])


@dataclass(frozen=True)
class Parsed:
    """What the question says, before the conversation fills in what it leaves out."""

    question: str
    text: str  # normalised (NFKC, simplified, no spaces)
    agencies: tuple[str, ...] = ()  # agency keys of the catalog, in order
    years: tuple[int, ...] = ()  # absolute years named, ranges spelled out ("2021到2023年" → 2021, 2022, 2023)
    calendar: tuple[tuple[str, int], ...] = ()  # calendar words and their years: ("去年", 2025)
    span: int = 0  # "近三年" → 3, "历年" → -1 (every stored year)
    recent: bool = False  # "这三年": the years the conversation covered
    latest: bool = False  # "最新": each agency's latest report
    ranged: bool = False  # the years came as a range
    offsets: tuple[int, ...] = ()  # years relative to the conversation's year (上一年 = -1)
    unmatched: tuple[Mention, ...] = ()  # agencies named that no stored agency fits ("某县发改局" beside its 政府)
    ambiguous: tuple[Mention, ...] = ()  # agencies named that several stored agencies fit ("市政府")
    unknown: tuple[str, ...] = ()  # places or departments named that no stored report matches
    terms: tuple[Found, ...] = ()  # vocabulary found (Found.value is a Term)
    focus: Focus | None = None  # the table part the terms name (qa.focus.focus_of), None when none
    problem: str = ""  # a term names a split that table does not have ("报告的表三没有按…区分的数字")
    denominator: Focus | None = None  # the table part named after 占: what a share is a share of
    tables: tuple[str, ...] = ()  # tables named ("表三")
    ops: tuple[str, ...] = ()  # sum | share | diff | max | min | rank
    quantity: bool = False  # asks for a number
    count: bool = False  # asks how many ("多少", "几次"): only a stated count answers it
    each: bool = False  # 分别: one figure per item, not their sum
    check: bool = False
    which_reports: bool = False  # "哪些报告…": a check question over every report in scope
    narrative_check: bool = False
    over_reports: bool = False  # a ranking of agencies or years, not of rows
    followup: bool = False
    offtopic: str = ""
    rest: str = ""  # what the question says beyond all that ("" for "2022年呢？": it leans on the last question)
    unit: str = ""  # the unit a quantity is asked in ("条" of "多少条"), "" when none is said
    other: str = ""  # content words left once table words, the table's objects and courtesies are taken out
    disclosed: bool = False  # 公开 said bare before a count ("公开了几件"): 予以公开 where requests are asked about
    future: bool = False  # asks for a forecast ("预计", "明年计划收到")
    person: str = ""  # a person's name: the reports hold no individual's case
    nameless: str = ""  # an organ said with no name as the question's subject ("管理局2024年…", "该局"), "" if none
    level: tuple[str, ...] = ()  # "哪个县": the place suffixes (or DEPARTMENTS) of the agencies a ranking is over
    loose: tuple[str, ...] = ()  # words left once names, years, terms, operations and the frame are taken out
    # ("网上" of "网上申请有多少件"): a cell answers the question only if its labels or its agency account for them

    def narrative_only(self, table: str) -> bool:
        """The words that matched table terms are said of something no table counts: "办理了多少条留言"."""
        if self.unit in NARRATIVE_UNITS and table not in NARRATIVE_UNITS[self.unit]:
            return True
        if self.petitions():
            return True
        return bool(self.terms) and all(f.word in WEAK_VERBS for f in self.terms) and len("".join(self.loose)) >= 2

    def petitions(self) -> tuple[str, ...]:
        """Words of REQUEST_ONLY said of something other than requests ("处理了多少件群众信访"): no table counts
        petitions, complaints or reports an agency handles in its own line of work."""
        if contains(self.text, REQUEST_WORDS):
            return ()
        said = [f for f in self.terms if f.word in REQUEST_ONLY]
        groups = {t for f in self.terms if f.word not in REQUEST_ONLY for t in f.value.targets}
        return tuple(f.word for f in said if not any(t.startswith(g + "/") for t in f.value.targets for g in groups))


def asked_unit(text: str) -> str:
    """The measure word a question counts in ("多少条" → "条"), "" when it says none; "份", "宗", "起" … count what
    件 counts: the unit asked is 件."""
    m = _ASKED_UNIT.search(norm(text))
    return "" if m is None else "件" if m.group(1) in LIKE_PIECES else m.group(1)


def said_in(unit: str) -> str:
    """A regex alternation of the measure words a stated count may use to answer a count asked in `unit`: the unit
    itself, or 个 for a counted thing; for 个 asked, any counted thing's (core.vocabulary.GENERIC_MEASURE); for an
    occurrence, any occurrence's (EVENT_MEASURES: 几次 is answered by 2场); for a piece published, 篇 or 条."""
    if unit == GENERIC_MEASURE:
        words = (GENERIC_MEASURE, *COUNTED_THINGS)
    elif unit in EVENT_MEASURES or unit in PIECE_MEASURES:
        words = (*(EVENT_MEASURES if unit in EVENT_MEASURES else PIECE_MEASURES), GENERIC_MEASURE)
    elif unit in COUNTED_THINGS:
        words = (unit, GENERIC_MEASURE)
    else:
        words = (unit,)
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


def parse(question: str, catalog: Catalog, today: date) -> Parsed:
    """Find, in this order, agencies, years, table names, vocabulary, relative years and operation words."""
    text = norm(mainland(question))
    mentions, masked = catalog.find(text)
    agencies = [m.candidates[0] for m in mentions if len(m.candidates) == 1]
    said, masked = absolute_years(masked, today)
    tables = tuple((a or b).translate(_TABLE_NUMBER) for a, b in _TABLE.findall(masked))
    masked = _TABLE.sub(lambda m: MASK * len(m.group(0)), masked)
    found, masked = find(masked, vocabulary())
    disclosed, found, masked = _bare_disclosed(text, found, masked)
    calendar, offsets, masked = relative_years(masked, today)
    # "明年", "后年": no report is of a year to come; said with a figure it asks a forecast, else the plans a report
    # states ("明年打算怎么改")
    ahead = [word for word, year in calendar if year > today.year]
    calendar = [(word, year) for word, year in calendar if year <= today.year]
    words, masked = find(masked, _operation_words())
    # the level after a masked "哪个" ("哪个区县") is the ranking's, after "各" ("平潭各部门") the agencies it goes
    # through; not something the question asks about
    if level := _LEVEL.search(text):
        if text.startswith("各", level.start()):
            masked = masked[:level.start()] + MASK * (level.end() - level.start()) + masked[level.end():]
        else:
            masked = masked.replace(MASK + level.group(1), MASK * (1 + len(level.group(1))), 1)
    split = next((w.start for w in words if w.word in _SHARE_SPLIT), -1)
    ops = tuple(dict.fromkeys(w.value for w in words if w.value != "quantity"))
    bare = text.rstrip("?？。.!！")
    unknown = unknown_places(masked, named=bool(mentions))
    for place in _parents(unknown, text, mentions):  # said before the agency they qualify: nothing else is named
        unknown.remove(place)
        masked = masked.replace(place, MASK * len(place), 1)
    nameless = "" if mentions else nameless_organ(masked)
    if nameless:  # "该局", "这个局": the agency the conversation is about, or a question back; no word of content
        at = masked.index(nameless)
        masked = masked[:at] + MASK * len(nameless) + masked[at + len(nameless):]
    terms = tuple(f for f in found if split < 0 or f.start < split)
    denominator = tuple(f for f in found if 0 <= split < f.start)
    focus, problem = focus_of(terms, text, tables)
    check = contains(text, CHECK_WORDS) or (bool(tables) and contains(text, TABLE_CHECK_WORDS))
    whole = bool(tables) and not check and not ops and (focus is None or focus == Focus(tables[0]))
    if whole:  # "表三的数据", "表四": the table's main figures
        focus = overview(tables[0])
    return Parsed(
        question=question, text=text, agencies=tuple(dict.fromkeys(agencies)), span=said.span, recent=said.recent,
        latest=said.latest, ranged=said.ranged, calendar=tuple(calendar),
        unmatched=tuple(m for m in mentions if not m.candidates),
        ambiguous=tuple(m for m in mentions if len(m.candidates) > 1), years=said.named,
        offsets=tuple(offsets), unknown=tuple(unknown),
        terms=terms, focus=focus, problem=problem,
        denominator=focus_of(denominator, text)[0] if denominator else None, tables=tables, ops=ops,
        quantity=bool(words) or contains(text, QUANTITY) or whole, count=contains(text, COUNT_WORDS),
        each=contains(text, EACH_WORDS),
        check=check, which_reports=contains(text, WHICH_REPORTS),
        narrative_check=contains(text, NARRATIVE_CHECK), over_reports=contains(text, RANK_OVER_REPORTS),
        followup=text.startswith(FOLLOWUP_PREFIXES) or bare.endswith(FOLLOWUP_SUFFIXES),
        offtopic=next((w for w in OFF_TOPIC if w.lower() in text.lower()), ""), rest=_FILLER.sub("", masked),
        unit=asked_unit(text), other=_other(masked), future=contains(text, FUTURE_WORDS) or bool(ahead),
        person=_person(masked, frozenset(m.start for m in mentions)),
        level=RANK_LEVELS[level.group(1)] if level else (), nameless=nameless, disclosed=disclosed,
        loose=_loose(_unit_masked(text, masked)),
    )


def _bare_disclosed(text: str, found: list[Found], masked: str) -> tuple[bool, list[Found], str]:
    """公开 said bare before a count ("收到几件申请，公开了几件"): with requests in sight (申请, or a 表三 row said)
    it is the term 予以公开, masked; else only the flag, for the conversation to read after a question about requests
    (alone, "公开了几件" may be of anything published: the narrative answers it as before)."""
    m = _BARE_DISCLOSED.search(masked)
    if m is None or text[:m.start()].endswith(BARE_DISCLOSED_NOT_AFTER):
        return False, found, masked
    if contains(text, REQUEST_WORDS) or any(f.value.table == "三" and f.value.kind == "row" for f in found):
        found = sorted([*found, Found(m.start(), m.end(), m.group(0), BARE_DISCLOSED)], key=lambda f: f.start)
        masked = masked[:m.start()] + MASK * (m.end() - m.start()) + masked[m.end():]
    return True, found, masked


def _parents(places: list[str], text: str, mentions: list[Mention]) -> list[str]:
    """Places no report is from said right before a stored agency whose name prints none of them ("江苏省宿迁市" of
    "江苏省宿迁市泗阳县教育局"): parent qualifiers, no other agency."""
    starts = {m.start for m in mentions if m.candidates}
    spots = sorted(((text.find(p), p) for p in places if p.endswith(("省", "市", "州", "盟", "自治区"))), reverse=True)
    out = []
    for at, place in spots:
        if at >= 0 and at + len(place) in starts:
            out.append(place)
            starts.add(at)
    return out


def nameless_organ(text: str) -> str:
    """The organ a normalised question (its agencies masked) begins with when it names none ("管理局", "该局");
    core.vocabulary.POINTED_ONLY only after a pointing word, so "局长" or "政府网站" are not read as one."""
    m = _NAMELESS.match(text)
    if m is None or (m.group("organ") in POINTED_ONLY and not m.group("pointing")):
        return ""
    return m.group("said")


def _other(masked: str) -> str:
    """The Han characters of the masked question once the table's own objects and courtesies are taken out."""
    words = TABLE_OBJECTS + EACH_WORDS + QUANTITY + FOLLOWUP_PREFIXES + RANK_OVER_REPORTS
    _, left = find(masked, [(w, w) for w in words])
    return "".join(_HAN.findall(_FILLER.sub("", left)))


def _unit_masked(text: str, masked: str) -> str:
    """The masked question with the measure word asked in masked too ("多少条": 条 belongs to the frame)."""
    m = _ASKED_UNIT.search(text)
    return masked if m is None else masked[: m.start(1)] + MASK * len(m.group(1)) + masked[m.end(1):]


def _loose(masked: str) -> tuple[str, ...]:
    """The runs of words the masked question still holds once the table's objects, courtesies and the frame's words
    (core.vocabulary.FRAME_WORDS) are taken out: "网上" of "□□□□网上申请有多少件"."""
    words = TABLE_OBJECTS + EACH_WORDS + QUANTITY + FOLLOWUP_PREFIXES + RANK_OVER_REPORTS + FRAME_WORDS
    _, left = find(masked, [(w, w) for w in words])
    return tuple(run for run in _NOT_WORD.split(_FILLER.sub(" ", left)) if run)


def _person(masked: str, agencies_at: frozenset[int] = frozenset()) -> str:
    """A person's name said in the question ("申请人李四", "张三向…申请"), as jieba tags it; "" when none. A word
    right before an agency's name (`agencies_at`: where names start) is the place it is in ("宿迁沭阳县"), not a
    person jieba takes it for."""
    if not any(w in masked for w in PERSON_BEFORE + PERSON_AFTER):
        # a name counts only beside a word ending or starting in one of these, a piece of the masked text: without
        # one there is none, and jieba's dictionary and tag table (1-1.5 s in a new process) need not be loaded
        return ""
    return _person_cut(masked, agencies_at)


def _person_cut(masked: str, agencies_at: frozenset[int] = frozenset()) -> str:
    """`_person` read by jieba's words and tags."""
    words, end = [], 0
    for w in tagged(masked):
        end += len(w.word)
        if MASK not in w.word and w.word.strip():
            words.append((w.word, w.flag, end in agencies_at))
    for i, (word, flag, placed) in enumerate(words):
        if flag != "nr" or not 2 <= len(word) <= 3 or word in TABLE_OBJECTS or placed:
            continue
        before = words[i - 1][0] if i else ""
        after = words[i + 1][0] if i + 1 < len(words) else ""
        if before.endswith(PERSON_BEFORE) or after.startswith(PERSON_AFTER):
            return word
    return ""
