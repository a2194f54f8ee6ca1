"""Question text → the years it names: digits (2023, 24年, 二〇二三年), ranges, spans (近三年, 历年), the latest."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.vocabulary import ALL_YEARS, CALENDAR_YEARS, CARRIED_INTO, CONTEXT_YEARS, LATEST_WORDS, RANGE_WORDS
from qa.match import MASK, find

_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CN_YEAR = re.compile(r"(?<![〇零一二三四五六七八九十])([〇零一二三四五六七八九]{4})年")
_ONE = r"(?:(?:19|20)\d{2}|\d{2})"  # a year in digits: 2023, or 23 in "21到23年"
_RANGE = re.compile(rf"(?<![\d.])(?:从)?({_ONE})(?:年度|年)?(?:{'|'.join(map(re.escape, RANGE_WORDS))})"
                    rf"({_ONE})(?:年度|年)(?!\d)|(?<![\d.])((?:19|20)\d{{2}})(?:年度|年)?"
                    rf"(?:{'|'.join(map(re.escape, RANGE_WORDS))})((?:19|20)\d{{2}})(?![\d])")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年度|年)?(?!\d)")
_SHORT_YEAR = re.compile(r"(?<![\d.\-/])(\d{2})(?:年度|年)(?!\d)")
_CN_COUNT = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_SPAN = re.compile(r"(最近|近|过去|这)([一两二三四五六七八九十]|\d{1,2})个?年(?:来|里|中|间|内|度)?")
# "和前两年比": the years before the conversation's year, back that many (前一年 alone is a CONTEXT_YEARS word)
_BEFORE = re.compile(r"(?<![近最])前([两二三四五六七八九十]|[2-9])个?年(?:度)?")


@dataclass(frozen=True)
class Years:
    """The years a question names, before the stored reports and the conversation settle them."""

    named: tuple[int, ...] = ()  # 2023; "24年" → 2024; "2021到2023年" → 2021, 2022, 2023
    ranged: bool = False  # a range was said: a year in it with no report is noted, not refused
    span: int = 0  # "近三年" → 3 (the latest three years stored); "历年" → -1 (every year stored)
    recent: bool = False  # "这三年": the years the conversation was about, when it covered that many
    latest: bool = False  # "最新": each agency's latest report


def full_year(digits: str, today: date) -> int | None:
    """"2023" → 2023; "24" → 2024 when that is a year reports can be about (2008 up to next year), else None."""
    if len(digits) == 4:
        return int(digits)
    year = 2000 + int(digits)
    return year if 2008 <= year <= today.year + 1 else None


def absolute_years(text: str, today: date | None = None) -> tuple[Years, str]:
    """Years said with digits, ranges and spans, in order, and the text with them masked."""
    today = today or date.today()
    text = _CN_YEAR.sub(lambda m: m.group(1).translate(_CN_DIGITS) + "年", text)
    years: list[int] = []
    ranged = False

    def ranges(m: re.Match) -> str:
        nonlocal ranged
        a, b = (full_year(d, today) for d in (m.group(1) or m.group(3), m.group(2) or m.group(4)))
        if a is None or b is None or not 0 < b - a <= 30:
            return m.group(0)
        years.extend(range(a, b + 1))
        ranged = True
        return MASK * len(m.group(0))

    text = _RANGE.sub(ranges, text)
    for pattern in (_YEAR, _SHORT_YEAR):
        def one(m: re.Match) -> str:
            year = full_year(m.group(1), today)
            if year is None:
                return m.group(0)
            if m.string.endswith(CARRIED_INTO, 0, m.start()) and m.group(0).endswith("年"):
                # "结转到2026年": the requests 2025's report carries into the next year (its 结转下年度)
                years.append(year - 1)
                return "下年" + MASK * (len(m.group(0)) - 2)
            years.append(year)
            return MASK * len(m.group(0))
        text = pattern.sub(one, text)
    span, recent = 0, False
    if m := _SPAN.search(text):
        n = m.group(2)
        span, recent = (int(n) if n.isdigit() else _CN_COUNT[n]), m.group(1) == "这"
        text = text[: m.start()] + MASK * len(m.group(0)) + text[m.end():]
    if any(w in text for w in ALL_YEARS):  # not masked: "历年", "这几年" also ask for a trend (OPERATIONS)
        span = -1
    found, text = find(text, [(w, "latest") for w in LATEST_WORDS])
    latest = bool(found)
    return Years(tuple(dict.fromkeys(years)), ranged, span, recent, latest), text


def relative_years(text: str, today: date) -> tuple[list[tuple[str, int]], list[int], str]:
    """(calendar words with their years: 去年 = today's year − 1; offsets from the conversation's year: 上一年 = −1;
    the masked text)."""
    before: list[int] = []

    def back(m: re.Match) -> str:
        n = m.group(1)
        before.extend(range(-1, -(int(n) if n.isdigit() else _CN_COUNT[n]) - 1, -1))
        return MASK * len(m.group(0))

    text = _BEFORE.sub(back, text)
    found, text = find(text, [(w, ("calendar", o)) for w, o in CALENDAR_YEARS.items()]
                       + [(w, ("context", o)) for w, o in CONTEXT_YEARS.items()])
    calendar = [(f.word, today.year + f.value[1]) for f in found if f.value[0] == "calendar"]
    return calendar, [f.value[1] for f in found if f.value[0] == "context"] + before, text
