"""Question text → the reports it names: agencies (full names and short forms from the stored reports) and years."""

from __future__ import annotations

import re
import threading
import weakref
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from core.records import Report
from core.text import norm
from core.vocabulary import ADMIN_SUFFIXES, DEPARTMENT_SUFFIXES, PLACE_STOPWORDS
from qa.agencies import Mention, Name, Resolver, structure, surface_forms
from qa.labels import shown_name
from qa.match import MASK

LISTED = 20  # agencies named one by one when an answer says what is stored
_ADMIN = re.compile(r"^.{1,8}?(?:" + "|".join(map(re.escape, ADMIN_SUFFIXES)) + ")")
_NOT_A_NAME = set("rpvudcmq")  # jieba tags of words before 片区/街道 that are no part of its name ("哪个片区")
_LEAD = re.compile(r"[□\s,，。?？、]|请问|问一下|想知道")  # what may stand before a bare place name


def agency_keys(names: Iterable[str]) -> dict[str, str]:
    """Each agency name → the key of its agency, among these names.

    Names with one organ whose place chains differ only by leading places left out (江苏省淮安市洪泽区人民政府,
    淮安市洪泽区人民政府, 洪泽区人民政府) are one agency, keyed by the fullest chain, when that chain is the only one
    they fit. Places of one name under different parents (福州市鼓楼区, 南京市鼓楼区) are different agencies, and a
    name that fits several (鼓楼区人民政府 beside both) is an agency of its own: a question naming it is asked back."""
    out: dict[str, str] = {}
    groups: dict[tuple[str, str], list[tuple[str, Name]]] = defaultdict(list)  # (most specific place, organ)
    for name in set(names):
        s = structure(name)
        if s.places:
            groups[(s.places[-1], s.organ)].append((name, s))
        else:
            out[name] = norm(name)
    for members in groups.values():
        chains = {s.places for _, s in members}
        fullest = [c for c in chains if not any(len(o) > len(c) and o[-len(c):] == c for o in chains)]
        for name, s in members:
            fits = [c for c in fullest if c[-len(s.places):] == s.places]
            out[name] = Name(fits[0] if len(fits) == 1 else s.places, s.organ).key
    return out


def agency_aliases(agency: str) -> set[str]:
    """Ways a question may name this agency (qa.agencies.surface_forms)."""
    return {a for a in surface_forms(agency) if len(a) >= 2}


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
        self.key_of = agency_keys(r.agency for r in reports)  # agency name as printed → its agency's key
        groups: dict[str, list[Report]] = defaultdict(list)
        for r in reports:
            groups[self.key_of[r.agency]].append(r)
        by_year = {k: tuple(sorted(v, key=lambda r: r.year or 0)) for k, v in groups.items()}
        self.agencies = {k: Agency(k, v[-1].agency, v) for k, v in by_year.items()}
        # each agency resolved by its fullest printed chain (the one its key is made of)
        self.resolver = Resolver({k: max((structure(r.agency) for r in a.reports), key=lambda n: len(n.places))
                                  for k, a in self.agencies.items()})
        self.reports = {r.id: r for r in reports}
        self.years = sorted({r.year for r in reports if r.year})
        self.latest = self.latest_of(self.reports)  # for the example questions
        self.by_name = {a.name: k for k, a in self.agencies.items()}  # as a picker shows it → key
        self._normed: dict[str, str] | None = None

    def latest_of(self, ids: Iterable[str]) -> Report | None:
        """The latest of these stored reports (by year, then id); None when none is stored."""
        return max((self.reports[i] for i in ids if i in self.reports), key=lambda r: (r.year or 0, r.id),
                   default=None)

    def search(self, typed: str, limit: int) -> list[str]:
        """Keys of the agencies a typed name may mean, at most `limit`: what a question naming it would resolve to
        (short forms, either script: "洪泽区政府", "發改局"), then names holding the typed text."""
        text = norm(typed)
        if not text:
            return []
        keys = [k for m in self.find(text)[0] for k in m.candidates]
        if self._normed is None:  # built on the first search only: most processes never search names
            self._normed = {k: norm(a.name) for k, a in self.agencies.items()}
        keys += [k for k, name in self._normed.items() if text in name]
        return list(dict.fromkeys(keys))[:limit]

    def find(self, text: str) -> tuple[list[Mention], str]:
        """Agency mentions in the (normalised) question, in order, and the text with those names masked."""
        return self.resolver.find(text)

    def names(self, keys: list[str] | tuple[str, ...]) -> str:
        """"淮安市人民政府、淮安市洪泽区人民政府" for a question back or a refusal."""
        return "、".join(self.agencies[k].name for k in keys)

    def agency_of(self, report_id: str) -> str:
        """The key of a stored report's agency."""
        return self.key_of[self.reports[report_id].agency]

    def of_key(self, key: str) -> Agency:
        return self.agencies[key]

    def label(self, report_id: str) -> str:
        r = self.reports[report_id]
        name = shown_name(r.agency)
        return f"{name}{r.year}年" if r.year else name

    def listing(self) -> str:
        """"浏阳市人民政府（2023年）、平潭综合实验区（2021、2022年）" for an unanswerable answer; past LISTED agencies
        a count and the years (a province's list would be the whole answer)."""
        if len(self.agencies) > LISTED:
            years = f"{self.years[0]}—{self.years[-1]}年" if self.years else "年份不详"
            return (f"{len(self.agencies)} 个机关的 {len(self.reports)} 份报告（{years}），"
                    "可在“发布机关”中输入名称查找")
        parts = [f"{shown_name(a.name)}（{'、'.join(str(r.year) for r in a.reports if r.year) or '年份不详'}年）"
                 for a in self.agencies.values()]
        return "、".join(parts) or "（尚未收录任何报告）"


_CATALOGS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store → (generation, its Catalog)
_BUILDING = threading.Lock()


def catalog_of(store) -> Catalog:
    """The catalog of a store's reports, shared by everything that answers over it (the answerer, the retriever)
    and rebuilt only after a write (the store's generation: one row read per call)."""
    generation = store.generation()
    held = _CATALOGS.get(store)
    if held is None or held[0] != generation:
        with _BUILDING:  # two threads (a page run, the warm-up) meeting a write build it once
            held = _CATALOGS.get(store)
            if held is None or held[0] != generation:
                held = _CATALOGS[store] = (generation, Catalog(store.reports()))
    return held[1]


def unknown_places(masked: str, named: bool = False) -> list[str]:
    """Places or departments named in what is left of the question (stored agencies are masked): none is stored.

    `named`: the question already names a stored agency; a bare word like "新建" is then not read as a place."""
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)
    words = [(w.word, w.flag) for w in pseg.cut(masked)]
    unknown: list[str] = []
    for i, (word, flag) in enumerate(words):
        if MASK in word or len(word) < 2:
            continue
        if i + 1 < len(words) and words[i + 1][0] in ("市", "区", "县", "省"):
            word += words[i + 1][0]
        if word in ADMIN_SUFFIXES:  # "澳/前/片区": an area no report is from, cut apart by jieba
            word = _name_before(words[:i]) + word
        admin = word.endswith(ADMIN_SUFFIXES) and len(word) >= 3
        department = word.endswith(DEPARTMENT_SUFFIXES[:3]) and len(word) >= 3
        department |= flag == "nt" and len(word) >= 4 and bool(_ADMIN.match(word))  # "北京市教委"
        # a bare place name ("北京") counts only where a question names its agency: before anything else is said
        leading = not named and flag.startswith("ns") and not _LEAD.sub("", "".join(w for w, _ in words[:i]))
        if not (admin or department or leading) or word in PLACE_STOPWORDS:
            continue
        unknown.append(word)
    return list(dict.fromkeys(unknown))


def _name_before(words: list[tuple[str, str]]) -> str:
    """The short words right before an area ending said alone ("澳", "前" of "澳前片区"), at most two characters;
    "" when they are a pronoun, verb or other function word ("哪个片区") or a stored name (masked)."""
    name = ""
    for word, flag in reversed(words):
        if MASK in word or flag[:1] in _NOT_A_NAME or len(name + word) > 2 or not "\u4e00" <= word[0] <= "\u9fff":
            break
        name = word + name
    return name if len(name) == 2 else ""
