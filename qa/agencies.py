"""Agency names by their structure (place chain + organ) → the stored agencies a mention in a question names.

A name is a chain of places (省/市/县/区/综合实验区/片区/街道 …) followed by an organ: the place's 人民政府 (a
片区's 管理局, a 街道's 办事处: core.vocabulary.AREA_GOVERNMENTS), its general office (办公室/办公厅, "政府办"), or a
department. A department's short forms come from its printed name by rule (`organ_forms`: "旅游与文化体育局" →
旅游局, 文体局, 旅游文体局 …; "财政金融局" → 财金局, 财政局, 金融局, 财政金融), with the standard forms of
core.vocabulary.DEPARTMENTS as extra vocabulary. A mention names the stored agencies with the same most specific
place and an organ the words said may mean: a department is never its government, nor the reverse, and a place
followed by a department-like word ("平潭公安", "平潭海洋渔业局") is never that place's government. No match → the
nearest stored agencies are named; several → the question asks which one.
"""

from __future__ import annotations

import copy
import re
from bisect import bisect_left, insort
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache
from itertools import product

from core.overlay import Overlay
from core.text import norm
from core.vocabulary import (
    ADMIN_SUFFIXES,
    AREA_GOVERNMENTS,
    COMPOUND_JOINS,
    DEPARTMENTS,
    GENERIC_FIELDS,
    GOVERNMENT_WORDS,
    LEVEL_WORDS,
    NAME_SLIPS,
    OFFICE_WORDS,
    ORGAN_SUFFIXES,
    SAME_LEVEL,
    TERMS,
    ZONE_FORMS,
)
from qa.match import MASK, Lexicon, find, tagged

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
_RANKED = set("个些哪每各")  # "哪个县政府", "每个片区管理局", "各片区管理局": a level ranked or gone through
_FUNCTION_TAGS = set("rpvadcufmqtyo")  # jieba tags of words that are never a place
_JOINS = re.compile("|".join(map(re.escape, COMPOUND_JOINS)))
_ORGAN_ENDS = tuple(sorted({s for s, alts in ORGAN_SUFFIXES for s in (s, *alts)} | {"办事处"}, key=len, reverse=True))
_GOVERNMENT = frozenset({GOVERNMENT})


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


@lru_cache(maxsize=1)
def _longest_first() -> tuple[str, ...]:
    return tuple(sorted(department_forms(), key=len, reverse=True))


def _organ(base: str) -> tuple[str, str, str]:
    """(the name before its organ, the organ, the organ as printed): departments first ("住房和城乡建设局" holds 乡)."""
    forms = department_forms()
    for form in _longest_first():
        if base.endswith(form):
            return base[: -len(form)], forms[form], form
    for words, organ in ((OFFICE_WORDS[:5], OFFICE), (GOVERNMENT_WORDS, GOVERNMENT)):
        for word in words:
            if base.endswith(word) and len(base) > len(word):
                return base[: -len(word)], organ, word
    return base, "", ""


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
    """"淮安市洪泽区人民政府" → (淮安市, 洪泽区) + 人民政府; "上海市科委" → (上海市,) + 科学技术局;
    "平潭综合实验区君山片区管理局" → (平潭综合实验区, 君山片区) + 人民政府: an area's governing body is its
    government."""
    base, organ, printed = _organ(norm(agency))
    units: list[str] = []
    while (m := _ADMIN.match(base)) and not _JOINS.search(m.group(0)[1:]):  # "绿化和市" is no place
        units.append(m.group(0))
        base = base[m.end():]
    if base in {w for end, words in AREA_GOVERNMENTS.items() if units and units[-1].endswith(end) for w in words}:
        return Name(tuple(units), GOVERNMENT)
    if base:  # a department no form here names ("上海市绿化和市容管理局"): its printed words are its organ
        organ = base + ("" if organ == GOVERNMENT else printed)
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


def _suffix(organ: str) -> tuple[str, tuple[str, ...]]:
    """"财政金融局" → ("财政金融", ("局",)); "卫生健康委员会" → ("卫生健康", ("委员会", "委")); none: (organ, ())."""
    for suffix, alternatives in ORGAN_SUFFIXES:
        if organ.endswith(suffix) and len(organ) - len(suffix) >= 2:
            return organ[: -len(suffix)], (suffix, *alternatives)
    return organ, ()


def fields(stem: str) -> list[list[str]]:
    """The fields of a department's stem, by part: "旅游与文化体育" → [[旅游], [文化, 体育]] (a part of four characters
    is two fields run together); "财政金融" → [[财政, 金融]]; "市场监督管理" → [[市场监督管理]]."""
    parts = [p for p in _JOINS.split(stem) if p]
    return [[p[:2], p[2:]] if len(p) == 4 else [p] for p in parts]


@cache
def rule_forms(organ: str) -> tuple[frozenset[str], frozenset[str]]:
    """A department's short forms by rule: (said with a suffix, said without one).

    "旅游与文化体育局" → 旅游局, 文化体育局, 文化局, 体育局, 文体局, 旅游文体局, 旅文体局 …; without a suffix
    旅游与文化体育, 旅游文化体育, 文化体育 (only after a place: "平潭文化体育"). Each part and each field with the
    suffix, and each part either whole or by its initials; fields like 管理 alone name nothing."""
    stem, ends = _suffix(organ)
    if not ends:
        return frozenset({organ}), frozenset()
    parts = fields(stem)
    whole = ["".join(p) for p in parts]
    options = [{"".join(p), "".join(f[0] for f in p)} if len(p) > 1 or len(parts) > 1 else {"".join(p)}
               for p in parts]
    combos = {"".join(c) for c in product(*options)}
    singles = {f for p in parts for f in p if f not in GENERIC_FIELDS} | set(whole)
    singles |= {"".join(f[0] for f in p) for p in parts if len(p) > 1}
    stems = {s for s in {stem, *combos, *singles} if len(s) >= 2}
    bare = {stem, "".join(whole), *("".join(p) for p in parts if len(p) > 1)}
    return frozenset(s + e for s in stems for e in ends), frozenset(b for b in bare if len(b) >= 2)


@lru_cache(maxsize=1)
def _standard_fields() -> tuple[tuple[frozenset[str], tuple[str, ...]], ...]:
    """Each standard department (core.vocabulary.DEPARTMENTS) with the fields of its name, read once."""
    return tuple((frozenset(x for p in fields(_suffix(forms[0])[0]) for x in p), forms) for forms in DEPARTMENTS)


@cache
def organ_forms(organ: str) -> frozenset[str]:
    """Ways to say an organ after its place; "" for a government (the place alone names it). A department: its forms
    by rule, and every form of each standard department (core.vocabulary.DEPARTMENTS) whose fields it holds all of
    ("旅游与文化体育局" holds 文化 and 旅游: 文旅局; "财政金融局" holds 财政: 财政局)."""
    if organ == GOVERNMENT:
        return frozenset({"", *GOVERNMENT_WORDS})
    if organ == OFFICE:
        return frozenset(OFFICE_WORDS)
    held = {f for p in fields(_suffix(organ)[0]) for f in p}
    covered = {f for std, forms in _standard_fields() if organ in forms or std <= held for f in forms}
    return frozenset({organ} | set(rule_forms(organ)[0]) | {norm(f) for f in covered})


@lru_cache(maxsize=1)
def department_stems() -> dict[str, str]:
    """Standard department forms without their suffix ("公安", "发改", "教育") → the department's standard name; words
    that also name a row or column of the tables (信访, 审批) are left out."""
    words = {norm(a) for t in TERMS for a in t.aliases} | set(GOVERNMENT_WORDS) | set(OFFICE_WORDS)
    out = {}
    for form, std in department_forms().items():
        stem, ends = _suffix(form)
        if ends and len(stem) >= 2 and stem not in words:
            out.setdefault(stem, std)
    return out


def at_level(place: str, level: str) -> bool:
    """The place is of that level ("" is every level): "洪泽区" is a 区, "君山片区" a 片区 and no 区,
    "乐平经济开发区" an 开发区."""
    end = max((s for s in ADMIN_SUFFIXES if place.endswith(s)), key=len, default="")
    return not level or SAME_LEVEL.get(end, end) == level


def surface_forms(agency: str) -> set[str]:
    """Names a question may use for this agency (each place form × each organ form), OCR slips included."""
    name = structure(agency)
    if not name.places:
        return {norm(agency)}
    chain_forms = [f for f, chain in place_forms(name.places).items() if chain == name.places]
    organs = set(organ_forms(name.organ))
    if name.organ == GOVERNMENT:  # an area's governing body said by its own word: "君山片区管理局", "某某街道办事处"
        organs |= {w for end, words in AREA_GOVERNMENTS.items() if name.places[-1].endswith(end) for w in words}
    return {p + o for p in chain_forms for o in organs} | {norm(agency)}


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
    organs: frozenset[str] = field(default=frozenset(), compare=False)  # every organ the words said may mean


def _place_before(text: str, at: int) -> str:
    """The word right before `at` when it may be a place ("宿迁" of "宿迁市政府", which jieba tags as a name): any
    word but a pronoun, preposition, verb, adverb or other function word ("我们市政府", "通过县政府网站")."""
    words = [w for w in tagged(text[max(0, at - 8):at]) if MASK not in w.word]
    if not words:
        return ""
    last = words[-1]
    return "" if last.flag[:1] in _FUNCTION_TAGS else last.word


class Resolver:
    """Stored agencies by structure; `find` reads the mentions of a (normalised) question."""

    def __init__(self, names: dict[str, Name]) -> None:
        self.names = dict(sorted(names.items()))  # agency key → Name, in key order however the catalog was built
        self.ending: dict[str, list[str]] = {}  # most specific place → keys of the agencies there, sorted
        self.by_organ: dict[str, list[str]] = {}  # organ → keys of the agencies with it, sorted
        chains: dict[str, dict[tuple[str, ...], int]] = {}
        for key, name in self.names.items():  # in key order: the lists come out sorted
            if name.places:
                self.ending.setdefault(name.places[-1], []).append(key)
            self.by_organ.setdefault(name.organ, []).append(key)
            for form, chain in place_forms(name.places).items():
                chains.setdefault(form, {}).setdefault(chain, 0)
                chains[form][chain] += 1
        self.places = Lexicon((f, frozenset(c)) for f, c in chains.items())
        # how many agencies say a place this way with each chain, where more than one does: a chain stays while
        # one agency still has it (an agency removed or renamed takes away only what was its alone)
        self._shared = Overlay.of({(f, c): n for f, cs in chains.items() for c, n in cs.items() if n > 1})
        # (overlays: `changed` copies only what it changes, however many agencies there are)
        self.names, self.ending, self.by_organ = Overlay.of(self.names), Overlay.of(self.ending), Overlay.of(
            self.by_organ)
        self._organ_tables()

    @classmethod
    def restore(cls, names: dict[str, Name], ending: dict[str, list[str]], by_organ: dict[str, list[str]],
                places: dict[str, frozenset], shared: dict[tuple, int]) -> Resolver:
        """A resolver from what a catalog's snapshot saved of one: no name is parsed again."""
        new = cls.__new__(cls)
        new.names, new.ending, new.by_organ = Overlay.of(names), Overlay.of(ending), Overlay.of(by_organ)
        new._shared = Overlay.of(shared)
        new.places = Lexicon.of(places)
        new._organ_tables()
        return new

    def changed(self, gone: dict[str, Name], came: dict[str, Name]) -> Resolver:
        """A resolver without the agencies `gone` and with those that `came` (key → Name; one key may be in both),
        this one left as it is for whoever still reads it: only those agencies' places and organs are touched."""
        new = copy.copy(self)
        new.names, new.ending, new.by_organ = self.names.copy(), self.ending.copy(), self.by_organ.copy()
        new._shared, new.places = self._shared.copy(), self.places.copy()  # (overlays: the size of their changes)
        for key, name in gone.items():
            del new.names[key]
            if name.places:
                _unlist(new.ending, name.places[-1], key)
            _unlist(new.by_organ, name.organ, key)
            new._count_chains(name.places, -1)
        for key, name in came.items():
            new.names[key] = name
            if name.places:
                _enlist(new.ending, name.places[-1], key)
            _enlist(new.by_organ, name.organ, key)
            new._count_chains(name.places, 1)
        organs = {n.organ for n in (*gone.values(), *came.values())}  # an organ no agency had came, or the last
        if any((o in new.by_organ) != (o in self.by_organ) for o in organs):  # of one went: its forms change
            new._organ_tables()
        return new

    def _count_chains(self, places: tuple[str, ...], step: int) -> None:
        for form, chain in place_forms(places).items():
            chains = self.places.get(form, frozenset())
            n = self._shared.get((form, chain), 1 if chain in chains else 0) + step
            self._shared.pop((form, chain), None)
            if n > 1:
                self._shared[(form, chain)] = n
            chains = chains | {chain} if n else chains - {chain}
            if chains:
                self.places.put(form, chains)
            else:
                self.places.drop(form)

    def _organ_tables(self) -> None:
        """The organ words a question may say (every standard department, and each stored organ's forms), the stems
        of departments said without their suffix, and the organs said without a place: from the stored organs."""
        organs: dict[str, set[str]] = {f: {GOVERNMENT} for f in GOVERNMENT_WORDS}
        for form in OFFICE_WORDS:
            organs.setdefault(form, set()).add(OFFICE)
        for form, std in department_forms().items():
            organs.setdefault(form, set()).add(std)
        stems = {stem: {std} for stem, std in department_stems().items()}
        for organ in sorted(set(self.by_organ) - {GOVERNMENT, OFFICE}):
            for form in organ_forms(organ):
                organs.setdefault(form, set()).add(organ)
            for stem in rule_forms(organ)[1]:
                stems.setdefault(stem, set()).add(organ)
        for stem in stems:  # "平潭公安": the department said without its suffix means what its forms mean
            stems[stem] |= {o for e in _ORGAN_ENDS for o in organs.get(stem + e, ())}
        self.organs = sorted(((f, frozenset(o)) for f, o in organs.items()), key=lambda fo: (-len(fo[0]), fo[0]))
        self.stems = sorted(((f, frozenset(o)) for f, o in stems.items()), key=lambda fo: (-len(fo[0]), fo[0]))
        self.terms = sorted({norm(a) for t in TERMS for a in t.aliases}, key=lambda t: (-len(t), t))
        # organs said without a stored place: a department alone ("发改委"), or any organ after a level ("市政府",
        # "片区管理局")
        self.bare = [(f, o) for f, o in self.organs if OFFICE not in o or "府" in f]
        self.bare += [(w, _GOVERNMENT) for words in AREA_GOVERNMENTS.values() for w in words if len(w) > 1]

    def find(self, text: str) -> tuple[list[Mention], str]:
        """The agency mentions of a normalised question, in order, and the text with them masked."""
        found, masked = find(text, self.places)
        chars = list(masked)
        mentions: list[Mention] = []
        for f in found:  # a stored place, and the organ said right after it (none: its government)
            organs, end = self._organ_after(text, f.end, f.value)
            if end == f.end and f.end - f.start > 2:  # "临川市场监管局": the place's 市 begins the department
                shared, end2 = self._organ_after(text, f.end - 1, f.value)
                if end2 > f.end and not shared & {GOVERNMENT, OFFICE}:
                    organs, end = shared, end2
            if end == f.end:  # "平潭公安", "平潭海洋渔业局": a department said, never the place's government
                organs, end = self._department_after(text, f.end)
            other = next((sfx for sfx in _UNIT_ENDS if end == f.end and text.startswith(sfx, end)), "")
            if other and not f.word.endswith(ADMIN_SUFFIXES):  # "淮安区" is not 淮安市, "东湖高新区" not 东湖区
                chars[f.start:end + len(other)] = MASK * (end + len(other) - f.start)
                mentions.append(Mention(text[f.start:end + len(other)], f.start, end + len(other), GOVERNMENT, ()))
                continue
            chars[f.start:end] = MASK * (end - f.start)
            mention = self._resolve(text[f.start:end], f.start, end, frozenset(f.value), "", organs)
            mentions.append(replace(mention, organ_said=end > f.end))
        masked = "".join(chars)
        bare, _ = find(masked, self.bare)
        areas = {w: lv for lv, words in AREA_GOVERNMENTS.items() for w in words}
        for f in bare:  # an organ said without a stored place: "市政府", "发改委", "北京市发改委"
            organs = f.value
            level = next((lv for lv in _LEVELS if masked.endswith(lv, 0, f.start)), "")
            if not level and organs & {GOVERNMENT, OFFICE} or f.word in areas and areas[f.word] != level:
                continue  # "政府" alone names no agency, "管理局" only after "片区"
            f = replace(f, start=f.start - len(level), word=level + f.word)
            before = masked[f.start - 1] if f.start else ""
            if GOVERNMENT in organs and before in _RANKED:  # "哪个片区管理局…最多": the level ranked, no agency
                chars[f.start:f.end] = MASK * (f.end - f.start)
                continue
            if GOVERNMENT in organs and (masked[f.end:f.end + 2] == "信息" or before in _NOT_A_LEVEL):
                continue  # "本市政府信息公开": no agency named
            chars[f.start:f.end] = MASK * (f.end - f.start)
            foreign = before and _HAN.match(before) and before not in _BEFORE_BARE
            if foreign and (place := _place_before(masked, f.start)):
                start = f.start - len(place)  # "北京市发改委": a place no report here is from
                mentions.append(Mention(text[start:f.end], start, f.end, _said(organs, f.word), (), organs=organs))
            else:
                mentions.append(self._resolve(f.word, f.start, f.end, frozenset(), level, organs))
        return sorted(mentions, key=lambda m: m.start), "".join(chars)

    def _organ_after(self, text: str, at: int, chains) -> tuple[frozenset[str], int]:
        """The organ said right after a place, or after "的" ("淮安市的发改委"); none: its government. A 片区's
        管理局 and a 街道's 办事处 are its government (core.vocabulary.AREA_GOVERNMENTS)."""
        area = {w for end, words in AREA_GOVERNMENTS.items() if all(c[-1].endswith(end) for c in chains)
                for w in words}
        for skip in ("", "的"):
            if not text.startswith(skip, at):
                continue
            if word := next((w for w in sorted(area, key=len, reverse=True) if text.startswith(w, at + len(skip))),
                            ""):
                return _GOVERNMENT, at + len(skip) + len(word)
            for form, organs in self.organs:
                if text.startswith(form, at + len(skip)):
                    if GOVERNMENT in organs and text.startswith("信息", at + len(skip) + len(form)):
                        return _GOVERNMENT, at  # "浏阳市政府信息公开…": the place's government, said with the subject
                    if skip and organs & {GOVERNMENT, OFFICE} and len(form) < 3:
                        continue  # "浏阳市的政府信息" is no organ said
                    return organs, at + len(skip) + len(form)
        return _GOVERNMENT, at

    def _department_after(self, text: str, at: int) -> tuple[frozenset[str], int]:
        """A department said after a place in words no stored form holds: a department's stem ("平潭公安", "平潭财政",
        not a word of the tables like 信访) means what its forms mean; an unknown word ending in an organ suffix
        ("平潭海洋与渔业局") means no stored agency. Neither: (GOVERNMENT, at), the place alone."""
        term = next((len(t) for t in self.terms if text.startswith(t, at)), 0)
        for stem, organs in self.stems:
            if text.startswith(stem, at) and len(stem) > term:
                return organs, at + len(stem)
        word = _organ_word(text, at)
        return (frozenset({word}), at + len(word)) if word else (_GOVERNMENT, at)

    def _resolve(self, said: str, start: int, end: int, chains: frozenset[tuple[str, ...]], level: str,
                 organs: frozenset[str]) -> Mention:
        """The stored agencies with an organ said and a place chain that ends one said (福州鼓楼区: 福州市's, and a
        鼓楼区 printed without its city; 鼓楼区: every stored 鼓楼区), or, for a level alone ("市政府"), every stored
        place of that level."""
        # a chain said ends where the agency's does: only agencies with that last place are read (not every one)
        near = sorted({k for c in chains for k in self.ending.get(c[-1], ())}) if chains else self.names
        keys = tuple(sorted(k for k in near if (n := self.names[k]).organ in organs and n.places and (
            any(c[-len(n.places):] == n.places for c in chains) if chains else at_level(n.places[-1], level))))
        place = "、".join(sorted({c[-1] for c in chains}))
        return Mention(said, start, end, _said(organs, said), keys, place, organs=organs)

    def nearest(self, mention: Mention) -> list[str]:
        """Stored agencies closest to a mention no agency fits: same place first, then same organ."""
        units = set(mention.place.split("、")) - {""}
        same_place = sorted({k for u in units for k in self.ending.get(u, ())})
        organs = (mention.organs or {mention.organ}) - {GOVERNMENT}
        same_organ = [k for o in sorted(organs) for k in self.by_organ.get(o, [])]
        return list(dict.fromkeys(same_place + same_organ))


def _unlist(lists: dict[str, list[str]], at: str, key: str) -> None:
    """`key` out of the sorted list at `at` (a new list: the old one may still be read); the entry goes when empty."""
    rest = list(lists[at])
    del rest[bisect_left(rest, key)]
    if rest:
        lists[at] = rest
    else:
        del lists[at]


def _enlist(lists: dict[str, list[str]], at: str, key: str) -> None:
    """`key` into the sorted list at `at` (a new list, as `_unlist`)."""
    keys = list(lists.get(at, ()))
    insort(keys, key)
    lists[at] = keys


def _said(organs: frozenset[str], words: str) -> str:
    """The organ a mention names: GOVERNMENT or OFFICE when the words mean it, else the department's one standard
    name, or the words said."""
    for organ in (GOVERNMENT, OFFICE):
        if organ in organs:
            return organ
    return next(iter(organs)) if len(organs) == 1 else words


def _organ_word(text: str, at: int) -> str:
    """An unknown department named right at `at`: the words up to an organ suffix ("海洋与渔业局", "公安分局"), nouns
    only ("举办" is no 办); "" when none."""
    window = text[at:at + 10]
    if not any(end in window for end in _ORGAN_ENDS):  # what it returns ends in one: jieba (seconds to load) not needed
        return ""
    return _organ_cut(window)


def _organ_cut(window: str) -> str:
    """`_organ_word` read by jieba's words and tags."""
    said = ""
    for w in tagged(window):
        if not _HAN.match(w.word) or MASK in w.word or len(said) >= 8:
            return ""
        said += w.word
        if w.word.endswith(_ORGAN_ENDS) and w.flag[:1] not in _FUNCTION_TAGS and len(said) >= 3:
            return said
    return ""
