"""Question text → the reports it names: agencies (full names and short forms from the stored reports) and years."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ingest.clean import norm
from ingest.models import Report
from ingest.synonyms import (
    ADMIN_SUFFIXES,
    AGENCY_ABBREVIATIONS,
    AGENCY_SUFFIXES,
    CALENDAR_YEARS,
    CONTEXT_YEARS,
    DEPARTMENT_SUFFIXES,
    NAME_SLIPS,
    PLACE_STOPWORDS,
)

from .labels import shown_name
from .match import MASK, find

_ADMIN = re.compile(r"^.{1,8}?(?:" + "|".join(map(re.escape, ADMIN_SUFFIXES)) + ")")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:年度|年)?(?!\d)")
_CN_YEAR = re.compile(r"([〇零一二三四五六七八九]{4})年")
_LEAD = re.compile(r"[□\s,，。?？、]|请问|问一下|想知道")  # what may stand before a bare place name
_CN_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def place_parts(agency: str) -> tuple[list[str], str]:
    """"淮安市洪泽区人民政府" → (["淮安市", "洪泽区"], ""); "上海市科委" → (["上海市"], "科委")."""
    base = norm(agency)
    for suffix in AGENCY_SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            base = base[: -len(suffix)]
            break
    units: list[str] = []
    while m := _ADMIN.match(base):
        units.append(m.group(0))
        base = base[m.end():]
    return units, base


def short(unit: str) -> str:
    """"洪泽区" → "洪泽", "平潭综合实验区" → "平潭"; names that would fall under two characters stay whole."""
    for suffix in ADMIN_SUFFIXES:
        if unit.endswith(suffix) and len(unit) - len(suffix) >= 2:
            return unit[: -len(suffix)]
    return unit


def agency_key(agency: str) -> str:
    """One key per agency however its name is printed: the most specific place, plus a department if any."""
    units, rest = place_parts(agency)
    return (units[-1] if units else "") + rest or norm(agency)


def agency_aliases(agency: str) -> set[str]:
    """Ways a question may name this agency: full name, without 人民政府, the place alone, short forms."""
    units, rest = place_parts(agency)
    out = {norm(agency), "".join(units) + rest}
    if not rest and units:
        last = units[-1]
        out |= {last, short(last)}
        for parent in units[:-1]:
            out |= {parent + last, short(parent) + last, short(parent) + short(last)}
    elif rest:
        forms = {rest}
        for long, abbrs in AGENCY_ABBREVIATIONS.items():
            if rest == long or rest in abbrs:
                forms |= {long, *abbrs}
        for form in forms:
            out.add(form)
            if units:
                out |= {units[-1] + form, short(units[-1]) + form, units[-1][-1] + form}
    for a, b in NAME_SLIPS:
        out |= {n.replace(a, b) for n in out} | {n.replace(b, a) for n in out}
    return {a for a in out if len(a) >= 2}


@dataclass(frozen=True)
class Agency:
    """The reports of one agency, by year."""

    key: str
    name: str  # the name as its latest report prints it
    reports: tuple[Report, ...]  # oldest first

    def report(self, year: int) -> Report | None:
        return next((r for r in self.reports if r.year == year), None)


class Catalog:
    """The stored reports grouped by agency, with every alias a question may use."""

    def __init__(self, reports: list[Report]) -> None:
        groups: dict[str, list[Report]] = defaultdict(list)
        for r in reports:
            groups[agency_key(r.agency)].append(r)
        self.agencies = {k: Agency(k, sorted(v, key=lambda r: r.year or 0)[-1].agency,
                                   tuple(sorted(v, key=lambda r: r.year or 0))) for k, v in groups.items()}
        owners: dict[str, set[str]] = defaultdict(set)
        for key, agency in self.agencies.items():
            for r in agency.reports:
                for alias in agency_aliases(r.agency):
                    owners[alias].add(key)
        # an alias two agencies share (e.g. "科委" of two cities) names neither, unless it is a key itself
        self.aliases = [(a, next(iter(k)) if len(k) == 1 else a) for a, k in owners.items()
                        if len(k) == 1 or a in self.agencies]
        owned = {a for a, _ in self.aliases}
        # places an agency sits in that are no agency here ("上海" of 上海市科委): named, they pick no report
        self.places = {f for r in reports for u in place_parts(r.agency)[0] for f in (u, short(u))} - owned
        self.reports = {r.id: r for r in reports}
        self.years = sorted({r.year for r in reports if r.year})

    def find(self, text: str) -> tuple[list[str], str]:
        """Agency keys named in the (normalised) question, in order, and the text with those names masked."""
        found, masked = find(text, self.aliases)
        return list(dict.fromkeys(f.value for f in found)), masked

    def of_key(self, key: str) -> Agency:
        return self.agencies[key]

    def label(self, report_id: str) -> str:
        r = self.reports[report_id]
        name = shown_name(r.agency)
        return f"{name}{r.year}年" if r.year else name

    def listing(self) -> str:
        """"浏阳市人民政府（2023年）、平潭综合实验区（2021、2022年）" for an unanswerable answer."""
        parts = [f"{shown_name(a.name)}（{'、'.join(str(r.year) for r in a.reports if r.year) or '年份不详'}年）"
                 for a in self.agencies.values()]
        return "、".join(parts) or "（尚未收录任何报告）"


def absolute_years(text: str) -> tuple[list[int], str]:
    """Years written with digits (or 二〇二三年) in the question, in order, and the text with them masked."""
    text = _CN_YEAR.sub(lambda m: m.group(1).translate(_CN_DIGITS) + "年", text)
    years = [int(m.group(1)) for m in _YEAR.finditer(text)]
    return list(dict.fromkeys(years)), _YEAR.sub(lambda m: MASK * len(m.group(0)), text)


def relative_years(text: str, today: date) -> tuple[list[int], list[int], str]:
    """(calendar years: 去年 = today's year − 1; offsets from the conversation's year: 上一年 = −1; masked text)."""
    found, text = find(text, [(w, ("calendar", o)) for w, o in CALENDAR_YEARS.items()]
                       + [(w, ("context", o)) for w, o in CONTEXT_YEARS.items()])
    years = [today.year + f.value[1] for f in found if f.value[0] == "calendar"]
    return years, [f.value[1] for f in found if f.value[0] == "context"], text


def unknown_places(masked: str, places: set[str] = frozenset(), named: bool = False) -> tuple[list[str], list[str]]:
    """Places or departments named in what is left of the question: (no report is theirs, seat of an agency here).

    `named`: the question already names a stored agency; a bare word like "新建" is then not read as a place."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    words = [(w.word, w.flag) for w in pseg.cut(masked)]
    unknown: list[str] = []
    near: list[str] = []
    for i, (word, flag) in enumerate(words):
        if MASK in word or len(word) < 2:
            continue
        if i + 1 < len(words) and words[i + 1][0] in ("市", "区", "县", "省"):
            word += words[i + 1][0]
        admin = word.endswith(ADMIN_SUFFIXES) and len(word) >= 3
        department = word.endswith(DEPARTMENT_SUFFIXES[:3]) and len(word) >= 3
        department |= flag == "nt" and len(word) >= 4 and bool(_ADMIN.match(word))  # "北京市教委"
        # a bare place name ("北京") counts only where a question names its agency: before anything else is said
        leading = not named and flag.startswith("ns") and not _LEAD.sub("", "".join(w for w, _ in words[:i]))
        if not (admin or department or leading) or word in PLACE_STOPWORDS:
            continue
        (near if word in places or short(word) in places else unknown).append(word)
    return list(dict.fromkeys(unknown)), list(dict.fromkeys(near))
