"""Agency names by their structure (place chain + organ) → the stored agencies a mention in a question names.

A name is a chain of places (省/市/县/区/综合实验区 …) followed by an organ: the place's 人民政府, its
general office (办公室/办公厅, "政府办"), or a department (发改委 = 发展和改革委员会; the forms are data in
core.vocabulary.DEPARTMENTS). A mention names the stored agencies with the same most specific place and the
same organ: a department is never its government, nor the reverse. No match → the nearest stored agencies
are named; several → the question asks which one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from core.text import norm
from core.vocabulary import (
    ADMIN_SUFFIXES,
    DEPARTMENTS,
    GOVERNMENT_WORDS,
    LEVEL_WORDS,
    NAME_SLIPS,
    OFFICE_WORDS,
    ZONE_FORMS,
)
from qa.match import MASK, Lexicon, find

GOVERNMENT = "人民政府"
OFFICE = "人民政府办公室"
# A place unit: the shortest run ending in a place suffix that is not the start of a longer one ("苏州市", not "苏州")
_ADMIN = re.compile(r"^.{1,8}?(?:" + "|".join(map(re.escape, ADMIN_SUFFIXES)) + ")(?![省市州盟县区旗镇乡])")
_HAN = re.compile(r"[\u3400-\u9fff]")
_LEVELS = sorted(LEVEL_WORDS, key=len, reverse=True)
_UNIT_ENDS = sorted({*ADMIN_SUFFIXES, *(z for forms in ZONE_FORMS for z in forms)}, key=len, reverse=True)
# What may stand right before an organ said without its place ("请问发改委…", "□□□□年市政府…"); any other
# character there is the end of a place no report here is from ("北京市发改委").
_BEFORE_BARE = set("的问下查看和与跟及或是在了吗呢、，,。？?！!：:；;和同对比" + MASK)
# Words before a level that make it no mention: "本市政府信息公开", "全县政府".
_NOT_A_LEVEL = set("本全我该各此")
_FUNCTION_TAGS = set("rpvadcufmqtyo")  # jieba tags of words that are never a place


@lru_cache(maxsize=1)
def department_forms() -> dict[str, str]:
    """Every form of every department (normalised) → the department's standard name."""
    return {norm(form): norm(forms[0]) for forms in DEPARTMENTS for form in forms}


def short(unit: str) -> str:
    """"洪泽区" → "洪泽", "平潭综合实验区" → "平潭"; names that would fall under two characters stay whole."""
    for suffix in ADMIN_SUFFIXES:
        if unit.endswith(suffix) and len(unit) - len(suffix) >= 2:
            return unit[: -len(suffix)]
    return unit


def _organ(base: str) -> tuple[str, str]:
    """(the name before its organ, the organ): departments first ("住房和城乡建设局" holds 乡)."""
    forms = department_forms()
    for form in sorted(forms, key=len, reverse=True):
        if base.endswith(form):
            return base[: -len(form)], forms[form]
    for words, organ in ((OFFICE_WORDS[:5], OFFICE), (GOVERNMENT_WORDS, GOVERNMENT)):
        for word in words:
            if base.endswith(word) and len(base) > len(word):
                return base[: -len(word)], organ
    return base, ""


@dataclass(frozen=True)
class Name:
    """An agency name read by its structure."""

    places: tuple[str, ...]  # ("淮安市", "洪泽区"), outermost first
    organ: str  # GOVERNMENT, OFFICE, a department's standard name, or a department printed as no form here

    @property
    def key(self) -> str:
        """The agency's key: its whole place chain, plus the organ if not 政府. Two 鼓楼区 of different cities are two
        agencies; a name printed without its leading places is keyed by qa.scope.agency_keys."""
        return "".join(self.places) + ("" if self.organ == GOVERNMENT else self.organ)


@cache  # every stored name, not 4,096: a catalog rebuilt after a write reads each name again
def structure(agency: str) -> Name:
    """"淮安市洪泽区人民政府" → (淮安市, 洪泽区) + 人民政府; "上海市科委" → (上海市,) + 科学技术局."""
    base, organ = _organ(norm(agency))
    units: list[str] = []
    while m := _ADMIN.match(base):
        units.append(m.group(0))
        base = base[m.end():]
    if base:  # a department no form here names ("上海市绿化和市容管理局"): its printed words are its organ
        organ = base + ("" if organ == GOVERNMENT else organ)
    return Name(tuple(units), organ or GOVERNMENT)


def _slips(forms: set[str]) -> set[str]:
    for a, b in NAME_SLIPS:
        forms = forms | {f.replace(a, b) for f in forms} | {f.replace(b, a) for f in forms}
    return forms


@cache  # as `structure`: a catalog rebuilt after a write reads each stored chain again (callers only read it)
def place_forms(places: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Ways to say each place of a chain → the chain down to it: "洪泽", "淮安洪泽区" → (淮安市, 洪泽区)."""
    out: dict[str, tuple[str, ...]] = {}
    for i, unit in enumerate(places):
        forms = {unit, short(unit)}
        for zone in ZONE_FORMS:
            if unit.endswith(zone) and short(unit) != unit:
                forms |= {short(unit) + z for z in zone}
        for parent in reversed(places[:i]):  # each parent said in full, short, or not at all
            forms |= {p + f for p in (parent, short(parent)) for f in forms}
        for form in _slips(forms):
            if len(form) >= 2:
                out[form] = places[: i + 1]
    return out


def organ_forms(organ: str) -> set[str]:
    """Ways to say an organ after its place; "" for a government (the place alone names it)."""
    if organ == GOVERNMENT:
        return {"", *GOVERNMENT_WORDS}
    if organ == OFFICE:
        return set(OFFICE_WORDS)
    return {organ} | {f for f, std in department_forms().items() if std == organ}


def surface_forms(agency: str) -> set[str]:
    """Names a question may use for this agency (each place form × each organ form), OCR slips included."""
    name = structure(agency)
    if not name.places:
        return {norm(agency)}
    chain_forms = [f for f, chain in place_forms(name.places).items() if chain == name.places]
    return {p + o for p in chain_forms for o in organ_forms(name.organ)} | {norm(agency)}


@dataclass(frozen=True)
class Mention:
    """One agency named in a question, and the stored agencies (keys) it fits."""

    text: str  # as said ("某县发改局", "市政府")
    start: int
    end: int
    organ: str  # the organ said (GOVERNMENT when only a place is said)
    candidates: tuple[str, ...]  # keys of the stored agencies that fit; one = resolved
    place: str = ""  # the most specific stored place(s) said, "、"-joined ("" when only a level or nothing is)
    organ_said: bool = True  # False for a place alone ("上海"): its government is meant, if it has one stored


def _place_before(text: str, at: int) -> str:
    """The word right before `at` when it may be a place ("宿迁" of "宿迁市政府", which jieba tags as a name): any
    word but a pronoun, preposition, verb, adverb or other function word ("我们市政府", "通过县政府网站")."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    words = [w for w in pseg.cut(text[max(0, at - 8):at]) if MASK not in w.word]
    if not words:
        return ""
    last = words[-1]
    return "" if last.flag[:1] in _FUNCTION_TAGS else last.word


class Resolver:
    """Stored agencies by structure; `find` reads the mentions of a (normalised) question."""

    def __init__(self, names: dict[str, Name]) -> None:
        self.names = names  # agency key → Name
        self.order = {key: i for i, key in enumerate(names)}
        self.ending: dict[str, list[str]] = {}  # most specific place → keys of the agencies there
        self.by_organ: dict[str, list[str]] = {}  # organ → keys of the agencies with it
        for key, name in names.items():
            if name.places:
                self.ending.setdefault(name.places[-1], []).append(key)
            self.by_organ.setdefault(name.organ, []).append(key)
        places: dict[str, set[tuple[str, ...]]] = {}
        for name in names.values():
            for form, chain in place_forms(name.places).items():
                places.setdefault(form, set()).add(chain)
        self.places = Lexicon((f, frozenset(c)) for f, c in places.items())
        organs = {form: GOVERNMENT for form in GOVERNMENT_WORDS} | {form: OFFICE for form in OFFICE_WORDS}
        organs |= department_forms() | {n.organ: n.organ for n in names.values() if n.organ not in organs}
        self.organs = sorted(organs.items(), key=lambda fo: -len(fo[0]))
        # organs said without a stored place: a department alone ("发改委"), or any organ after a level ("市政府")
        self.bare = [(f, o) for f, o in organs.items() if o != OFFICE or "府" in f]

    def find(self, text: str) -> tuple[list[Mention], str]:
        """The agency mentions of a normalised question, in order, and the text with them masked."""
        found, masked = find(text, self.places)
        chars = list(masked)
        mentions: list[Mention] = []
        for f in found:  # a stored place, and the organ said right after it (none: its government)
            organ, end = self._organ_after(text, f.end)
            if end == f.end and f.end - f.start > 2:  # "临川市场监管局": the place's 市 begins the department
                shared, end2 = self._organ_after(text, f.end - 1)
                organ, end = (shared, end2) if end2 > f.end and shared not in (GOVERNMENT, OFFICE) else (organ, end)
            other = next((sfx for sfx in _UNIT_ENDS if end == f.end and text.startswith(sfx, end)), "")
            if other and not f.word.endswith(ADMIN_SUFFIXES):  # "淮安区" is not 淮安市, "东湖高新区" not 东湖区
                chars[f.start:end + len(other)] = MASK * (end + len(other) - f.start)
                mentions.append(Mention(text[f.start:end + len(other)], f.start, end + len(other), GOVERNMENT, ()))
                continue
            chars[f.start:end] = MASK * (end - f.start)
            mention = self._resolve(text[f.start:end], f.start, end, frozenset(f.value), "", organ)
            mentions.append(replace(mention, organ_said=end > f.end))
        masked = "".join(chars)
        bare, _ = find(masked, self.bare)
        for f in bare:  # an organ said without a stored place: "市政府", "发改委", "北京市发改委"
            organ = f.value
            level = next((lv for lv in _LEVELS if masked.endswith(lv, 0, f.start)), "")
            if not level and organ in (GOVERNMENT, OFFICE):
                continue  # "政府" alone names no agency
            f = replace(f, start=f.start - len(level), word=level + f.word)
            before = masked[f.start - 1] if f.start else ""
            if organ == GOVERNMENT and (masked[f.end:f.end + 2] == "信息" or before in _NOT_A_LEVEL):
                continue  # "本市政府信息公开": no agency named
            chars[f.start:f.end] = MASK * (f.end - f.start)
            foreign = before and _HAN.match(before) and before not in _BEFORE_BARE
            if foreign and (place := _place_before(masked, f.start)):
                start = f.start - len(place)  # "北京市发改委": a place no report here is from
                mentions.append(Mention(text[start:f.end], start, f.end, organ, ()))
            else:
                mentions.append(self._resolve(f.word, f.start, f.end, frozenset(), level, organ))
        return sorted(mentions, key=lambda m: m.start), "".join(chars)

    def _organ_after(self, text: str, at: int) -> tuple[str, int]:
        """The organ said right after a place, or after "的" ("淮安市的发改委"); none: its government."""
        for skip in ("", "的"):
            if not text.startswith(skip, at):
                continue
            for form, organ in self.organs:
                if text.startswith(form, at + len(skip)):
                    if organ == GOVERNMENT and text.startswith("信息", at + len(skip) + len(form)):
                        return GOVERNMENT, at  # "浏阳市政府信息公开…": the place's government, said with the subject
                    if skip and organ in (GOVERNMENT, OFFICE) and len(form) < 3:
                        continue  # "浏阳市的政府信息" is no organ said
                    return organ, at + len(skip) + len(form)
        return GOVERNMENT, at

    def _resolve(self, said: str, start: int, end: int, chains: frozenset[tuple[str, ...]], level: str,
                 organ: str) -> Mention:
        """The stored agencies with the organ said and a place chain that ends one said (福州鼓楼区: 福州市's, and a
        鼓楼区 printed without its city; 鼓楼区: every stored 鼓楼区), or, for a level alone ("市政府"), every stored
        place of that level."""
        # a chain said ends where the agency's does: only agencies with that last place are read (not every one)
        near = sorted({k for c in chains for k in self.ending.get(c[-1], ())}, key=self.order.get) if chains \
            else self.names
        keys = tuple(k for k in near if (n := self.names[k]).organ == organ and n.places and (
            any(c[-len(n.places):] == n.places for c in chains) if chains else n.places[-1].endswith(level)))
        return Mention(said, start, end, organ, keys, "、".join(sorted({c[-1] for c in chains})))

    def nearest(self, mention: Mention) -> list[str]:
        """Stored agencies closest to a mention no agency fits: same place first, then same organ."""
        units = set(mention.place.split("、")) - {""}
        same_place = sorted({k for u in units for k in self.ending.get(u, ())}, key=self.order.get)
        same_organ = self.by_organ.get(mention.organ, []) if mention.organ != GOVERNMENT else []
        return list(dict.fromkeys(same_place + same_organ))
