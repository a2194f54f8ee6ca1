"""Question text → the reports it names: agencies (full names and short forms from the stored reports) and years."""

from __future__ import annotations

import copy
import gc
import logging
import marshal
import re
import struct
import sys
import threading
import time
import weakref
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, fields
from functools import cache, cached_property, partial
from itertools import islice
from typing import Any

from core.overlay import Overlay
from core.records import Report
from core.text import norm
from core.vocabulary import ADMIN_SUFFIXES, DEPARTMENT_SUFFIXES, NAMELESS_ORGANS, ORGAN_TAILS, PLACE_STOPWORDS
from qa.agencies import Mention, Name, Resolver, structure, surface_forms
from qa.labels import shown_name
from qa.match import MASK, Lexicon, tagged
from store import database_errors

log = logging.getLogger(__name__)
LISTED = 20  # agencies named one by one when an answer says what is stored
_ADMIN = re.compile(r"^.{1,8}?(?:" + "|".join(map(re.escape, ADMIN_SUFFIXES)) + ")")
_ENDINGS = ADMIN_SUFFIXES + ORGAN_TAILS  # what an unknown place's, department's or organ's name ends in
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


@cache  # by printed name: a catalog brought forward after a write reads only the new names
def agency_aliases(agency: str) -> frozenset[str]:
    """Ways a question may name this agency (qa.agencies.surface_forms)."""
    return frozenset(a for a in surface_forms(agency) if len(a) >= 2)


@dataclass(frozen=True)
class Agency:
    """The reports of one agency, by year."""

    key: str
    name: str  # the name as its latest report prints it
    reports: tuple[Report, ...]  # oldest first

    def report(self, year: int) -> Report | None:
        return next((r for r in self.reports if r.year == year), None)


Row = tuple  # a Report's fields in order (REPORT_FIELDS): what the catalog keeps of a report until one is read
REPORT_FIELDS = tuple(f.name for f in fields(Report))
# the name of the catalog's snapshot in the store (Store.snapshot): one per layout family, so that a process of the
# code before layout 3 (which cannot read it: its loads would raise) still finds its own during a rolling upgrade
SNAPSHOT = "catalog.3"
# What a snapshot is written in: marshal (plain data only, so loading it runs no code, unlike pickle; a new Python
# or a new layout of the state reads everything instead), with this layout number. Layout 3: MAGIC, the header's
# length, the header (layout, generation, each part's chunk lengths, the chunks' CRC-32), then the chunks — each
# dict of the state cut into marshals of SNAPSHOT_CHUNK entries, so that one marshal call (which holds the GIL) stays
# short.
SNAPSHOT_LAYOUT = (3, sys.version_info[:2])
SNAPSHOT_MAGIC = b"qa.scope catalog\0"  # what a layout-3 snapshot starts with (layout 2 was one marshalled tuple)
SNAPSHOT_CHUNK = 5_000  # dict entries a chunk holds (rows at 100,000 reports: ~1.5 MB, a few ms of marshal)
SNAPSHOT_EVERY = 500  # writes past the store's snapshot after which a process holding a newer catalog saves it


_UNKNOWN = "\0"  # the latest report of a catalog whose latest was removed or rewritten: found when asked


def _row(report: Report) -> Row:
    return tuple(getattr(report, f) for f in REPORT_FIELDS)


def _oldest_first(row: Row) -> tuple:
    """(year, agency, id): one order for an agency's reports however they were read."""
    return (row[2] or 0, row[1], row[0])


def _group(name: str) -> tuple[str, str]:
    """What qa.scope.agency_keys decides a name's key among: its most specific place and organ ("" and the name
    itself for a name without places: keyed alone)."""
    s = structure(name)
    return (s.places[-1], s.organ) if s.places else ("", name)


def _report_of(rows: Mapping[str, Row], rid: str) -> Report:
    return Report(*rows[rid])


def _agency_of(ids: Mapping[str, tuple[str, ...]], rows: Mapping[str, Row], reports: Mapping[str, Report],
               key: str) -> Agency:
    of = ids[key]
    return Agency(key, rows[of[-1]][1], tuple(reports[i] for i in of))


class _Lazy(Mapping):
    """key → value made on first read from the catalog's plain data (a Report from its row, an Agency from its
    reports): a process loading a snapshot of 100,000 reports builds only the few it answers about.

    A catalog brought forward takes, on first read, what the one before it had made, except for the keys a write
    changed (`stale`): nothing is copied when it is brought forward (its made values would be 100,000)."""

    def __init__(self, source: Mapping, make: Callable[[str], Any], earlier: dict | None = None,
                 stale: frozenset = frozenset()) -> None:
        self._source, self._make, self._made = source, make, {}
        self._earlier, self._stale = earlier if earlier is not None else {}, stale

    def __getitem__(self, key: str) -> Any:
        value = self._made.get(key)
        if value is None:
            if key not in self._source:
                raise KeyError(key)
            value = None if key in self._stale else self._earlier.get(key)
            self._made[key] = value = value if value is not None else self._make(key)
        return value

    def __contains__(self, key: object) -> bool:
        return key in self._source

    def __iter__(self) -> Iterator[str]:
        return iter(self._source)

    def __len__(self) -> int:
        return len(self._source)


class Catalog:
    """The stored reports grouped by agency, with every alias a question may use.

    Built from every report (`Catalog(reports)`), loaded from a snapshot (`loads`), or brought forward from an
    older one by the reports written since (`advance`): the three give the same catalog. A catalog is never
    changed once built (readers on other threads keep using it); `advance` returns a new one sharing what did not
    change."""

    def __init__(self, reports: Iterable[Report], generation: int = 0) -> None:
        self.generation = generation  # the store's generation it reflects (qa.scope.catalog_of)
        # (what grows with the corpus is kept in overlays: `advance` copies only what a write changed)
        rows = {r.id: _row(r) for r in sorted(reports, key=lambda r: r.id)}
        self._rows = Overlay.of(rows)  # report id → its row
        self._printed = Overlay.of(dict(Counter(row[1] for row in rows.values())))  # name as printed → reports
        self.key_of = Overlay.of(agency_keys(self._printed))  # agency name as printed → its agency's key
        groups: dict[tuple[str, str], set[str]] = defaultdict(set)
        for name in self._printed:
            groups[_group(name)].add(name)
        self._groups = Overlay.of({g: tuple(sorted(names)) for g, names in groups.items()})  # (place, organ) → names
        ids: dict[str, list[str]] = {}
        for row in sorted(rows.values(), key=_oldest_first):
            ids.setdefault(self.key_of[row[1]], []).append(row[0])
        self._ids = Overlay.of({k: tuple(ids[k]) for k in sorted(ids)})  # agency key → its report ids, oldest first
        # each agency resolved by its fullest printed chain (the one its key is made of)
        self.resolver = Resolver({k: self._fullest(v) for k, v in self._ids.items()})
        self._years = dict(Counter(row[2] for row in self._rows.values() if row[2]))  # year → its reports
        self._latest = self._newest(self._rows.values())
        self._normed: Overlay | None = None  # key → the agency's name normalised (`search`)
        self._aliases: Lexicon | None = None  # `alias_names`
        self._alias_of: Overlay = Overlay()  # key → its aliases (`alias_names`)
        self._views()

    def _views(self, earlier: Catalog | None = None, written: Iterable[str] = (), touched: Iterable[str] = ()) -> None:
        """The reports and agencies as records, made on first read (taken from `earlier` where no write changed
        them). What makes them holds the catalog's data, not the catalog: a catalog is in no reference cycle, so
        one no longer held is freed at once, without the cycle collector (`catalog_of` freezes the first)."""
        reports, agencies = (earlier.reports._made, earlier.agencies._made) if earlier is not None else (None, None)
        self.reports: Mapping[str, Report] = _Lazy(self._rows, partial(_report_of, self._rows), reports,
                                                   frozenset(written))
        self.agencies: Mapping[str, Agency] = _Lazy(self._ids, partial(_agency_of, self._ids, self._rows,
                                                                       self.reports), agencies, frozenset(touched))
        self.years = sorted(self._years)

    def _fullest(self, ids: Iterable[str]) -> Name:
        return max((structure(self._rows[i][1]) for i in ids), key=lambda n: len(n.places))

    @staticmethod
    def _newest(rows: Iterable[Row]) -> str | None:
        return max(rows, key=lambda row: (row[2] or 0, row[0]), default=(None,))[0]

    @property
    def latest(self) -> Report | None:
        """The latest report (by year, then id), for the example questions."""
        if self._latest is _UNKNOWN:
            self._latest = self._newest(self._rows.values())
        return None if self._latest is None else self.reports[self._latest]

    @cached_property
    def by_name(self) -> Mapping[str, str]:
        """An agency's name as a picker shows it → its key."""
        return Overlay.of({self._rows[ids[-1]][1]: k for k, ids in self._ids.items()})

    # ---- brought forward ----
    def advance(self, generation: int, written: dict[str, Report | None]) -> Catalog:
        """This catalog with the reports written since (id → the report as stored now, None: removed): only the
        agencies of the names those reports printed before and print now are read again — their groups' keys
        (`agency_keys` is local to a place and organ), reports, resolver entries and aliases."""
        new = copy.copy(self)
        new.__dict__.pop("by_name", None)
        new.generation = generation
        # copies share nothing a write changes (overlays: each copies its changes, not its 100,000 entries)
        new._rows, new._printed, new._years = self._rows.copy(), self._printed.copy(), self._years.copy()
        names: set[str] = set()
        for rid, report in written.items():
            if (old := new._rows.pop(rid, None)) is not None:
                names.add(old[1])
                new._printed[old[1]] -= 1
                new._years[old[2]] = new._years.get(old[2], 0) - 1
            if report is not None:
                new._rows[rid] = _row(report)
                names.add(report.agency)
                new._printed[report.agency] = new._printed.get(report.agency, 0) + 1
                new._years[report.year] = new._years.get(report.year, 0) + 1
        for name in names:  # names no report prints any more are gone
            if new._printed[name] <= 0:
                del new._printed[name]
        years = {r.year for r in written.values() if r is not None} | {self._rows[i][2] for i in written
                                                                         if i in self._rows}
        for year in years:  # years no report is of any more are gone
            if year in new._years and (not year or new._years[year] <= 0):
                del new._years[year]
        new._groups, new.key_of = self._groups.copy(), self.key_of.copy()
        before: set[str] = set()  # keys of the touched groups' names before
        after: set[str] = set()
        for group in {_group(n) for n in names}:
            members = tuple(sorted(n for n in {*self._groups.get(group, ()), *names}
                                   if n in new._printed and _group(n) == group))
            for name in self._groups.get(group, ()):
                before.add(self.key_of[name])
                new.key_of.pop(name)
            if members:
                new._groups[group] = members
                keys = agency_keys(members)
                new.key_of.update(keys)
                after.update(keys.values())
            else:
                new._groups.pop(group, None)
        touched = before | after
        # every report of a touched key (a key of another group holding the same string is re-read whole)
        pool = {i for k in touched for i in self._ids.get(k, ())} | set(written)
        rows = sorted((new._rows[i] for i in pool if i in new._rows), key=_oldest_first)
        new._ids = self._ids.copy()
        for key in touched:
            new._ids.pop(key, None)
        for row in rows:
            key = new.key_of[row[1]]
            new._ids[key] = (*new._ids.get(key, ()), row[0])
        gone = {k: self.resolver.names[k] for k in touched if k in self.resolver.names}
        came = {k: new._fullest(new._ids[k]) for k in touched if k in new._ids}
        new.resolver = self.resolver.changed(gone, came)
        if self._latest is _UNKNOWN or self._latest in written:  # found on first use: every report is read then
            new._latest = _UNKNOWN
        else:
            new._latest = self._newest([r for i in (self._latest, *written) if (r := new._rows.get(i)) is not None])
        if "by_name" in self.__dict__:  # (the picker's, once read)
            new.by_name = self.by_name.copy()
            for key in touched & self._ids.keys():
                new.by_name.pop(self._rows[self._ids[key][-1]][1], None)
            new.by_name.update({new._rows[new._ids[k][-1]][1]: k for k in touched if k in new._ids})
        if self._normed is not None:
            new._normed = self._normed.copy()
            for key in touched:
                new._normed.pop(key, None)
            new._normed.update({k: norm(new._rows[new._ids[k][-1]][1]) for k in touched if k in new._ids})
        if self._aliases is not None:
            new._aliases, new._alias_of = self._aliases.copy(), self._alias_of.copy()
            for key in touched:
                new._alias(key)
        new._views(self, written, touched)
        return new

    # ---- names a question may use (the retriever's) ----
    def alias_names(self) -> Lexicon:
        """Every name a question may use for an agency (OCR slips included) → the keys of the agencies it names.
        Built on first use (narrative questions only), then brought forward with the catalog."""
        if self._aliases is None:
            owners: dict[str, set[str]] = defaultdict(set)
            alias_of = {}
            for key in self._ids:
                alias_of[key] = self._printed_aliases(key)
                for alias in alias_of[key]:
                    owners[alias].add(key)
            self._alias_of = Overlay.of(alias_of)
            self._aliases = Lexicon((a, tuple(sorted(keys))) for a, keys in owners.items())
            _freeze("aliases", len(self._rows))
        return self._aliases

    def _printed_aliases(self, key: str) -> frozenset[str]:
        return frozenset().union(*(agency_aliases(p) for p in {self._rows[i][1] for i in self._ids[key]}))

    def _alias(self, key: str) -> None:
        """Bring one agency's aliases forward (its names, or its being gone)."""
        old = self._alias_of.pop(key, frozenset())
        now = self._printed_aliases(key) if key in self._ids else frozenset()
        if now:
            self._alias_of[key] = now
        for alias in old | now:
            keys = (set(self._aliases.get(alias, ())) - {key}) | ({key} if alias in now else set())
            if keys:
                self._aliases.put(alias, tuple(sorted(keys)))
            else:
                self._aliases.drop(alias)

    # ---- a snapshot: the state as plain data ----
    def dumps(self) -> bytes:
        """The catalog as plain data (marshal): what a new process loads instead of reading every report."""
        return b"".join(self.dump_pieces())

    def dump_pieces(self, pause: Callable[[], None] = lambda: None) -> list[bytes]:
        """`dumps` in pieces, to be written one after another (`Store.save_snapshot`): a background save never
        holds the GIL for one big copy (a b"".join or a fresh buffer of 37 MB at 100,000 reports: 25–45 ms).

        `pause` is called between chunks (`time.sleep(0)` on a background thread: the threads answering meanwhile
        get the GIL between two chunks, not after the whole 37 MB of 100,000 reports). The catalog is never
        changed once built, so another thread reads it meanwhile as it is."""
        r = self.resolver
        latest = self.latest
        parts = (self._rows.plain(), self._printed.plain(), self.key_of.plain(), self._groups.plain(),
                 self._ids.plain(), self._years, latest and latest.id,
                 {k: (n.places, n.organ) for k, n in r.names.items()}, r.ending.plain(), r.by_organ.plain(),
                 r.places.words, r._shared.plain())
        chunks: list[bytes] = []
        crc = 0  # (a byte changed inside a chunk may still unmarshal: the checksum rejects it)
        lengths: list[list[int] | int] = []  # per part: its chunks' lengths (a dict) or one length (anything else)
        for part in parts:
            if isinstance(part, dict):
                lengths.append([])
                items = iter(part.items())
                while chunk := dict(islice(items, SNAPSHOT_CHUNK)):
                    chunks.append(marshal.dumps(chunk))
                    lengths[-1].append(len(chunks[-1]))
                    crc = zlib.crc32(chunks[-1], crc)
                    pause()
            else:
                chunks.append(marshal.dumps(part))
                lengths.append(len(chunks[-1]))
                crc = zlib.crc32(chunks[-1], crc)
        header = marshal.dumps((SNAPSHOT_LAYOUT, self.generation, lengths, crc))
        return [SNAPSHOT_MAGIC + struct.pack("<I", len(header)) + header, *chunks]

    @classmethod
    def loads(cls, data: bytes) -> Catalog | None:
        """A catalog from `dumps`; None when it was written by another layout or Python, or is cut short or
        otherwise unreadable (read everything then: never a catalog misread)."""
        try:
            state = _parts(data)
        except (ValueError, EOFError, TypeError, struct.error):  # (what marshal and struct raise on bad bytes)
            log.warning("the catalog's snapshot is unreadable: every report is read instead", exc_info=True)
            return None
        if state is None:
            return None
        new = cls.__new__(cls)
        (new.generation, rows, printed, key_of, groups, ids, new._years, new._latest,
         names, ending, by_organ, places, shared) = state
        new._rows, new._printed, new.key_of = Overlay.of(rows), Overlay.of(printed), Overlay.of(key_of)
        new._groups, new._ids = Overlay.of(groups), Overlay.of(ids)
        new.resolver = Resolver.restore({k: Name(p, o) for k, (p, o) in names.items()}, ending, by_organ, places,
                                        shared)
        new._normed, new._aliases, new._alias_of = None, None, Overlay()
        new._views()
        return new

    def latest_of(self, ids: Iterable[str]) -> Report | None:
        """The latest of these stored reports (by year, then id); None when none is stored."""
        latest = self._newest(self._rows[i] for i in ids if i in self._rows)
        return None if latest is None else self.reports[latest]

    def search(self, typed: str, limit: int) -> list[str]:
        """Keys of the agencies a typed name may mean, at most `limit`: what a question naming it would resolve to
        (short forms, either script: "洪泽区政府", "發改局"), then names holding the typed text."""
        text = norm(typed)
        if not text:
            return []
        keys = [k for m in self.find(text)[0] for k in m.candidates]
        if self._normed is None:  # built on the first search only: most processes never search names
            self._normed = Overlay.of({k: norm(self._rows[ids[-1]][1]) for k, ids in self._ids.items()})
        keys += sorted(k for k, name in self._normed.items() if text in name)
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

    def listing(self, keys: Iterable[str] | None = None) -> str:
        """"浏阳市人民政府（2023年）、平潭综合实验区（2021、2022年）" for an unanswerable answer; past LISTED agencies
        a count and the years (a province's list would be the whole answer). `keys`: only these agencies (the ones
        a question named: the years they have are what the asker needs, not every agency's)."""
        if keys is not None:
            return "、".join(self._listed(self.agencies[k]) for k in sorted(set(keys)) if k in self.agencies)
        if len(self.agencies) > LISTED:
            years = f"{self.years[0]}—{self.years[-1]}年" if self.years else "年份不详"
            return (f"{len(self.agencies)} 个机关的 {len(self.reports)} 份报告（{years}），"
                    "可在“发布机关”中输入名称查找")
        return "、".join(self._listed(self.agencies[k]) for k in sorted(self.agencies)) or "（尚未收录任何报告）"

    @staticmethod
    def _listed(a: Agency) -> str:
        return f"{shown_name(a.name)}（{'、'.join(str(r.year) for r in a.reports if r.year) or '年份不详'}年）"


def _parts(data: bytes) -> tuple | None:
    """`Catalog.dumps`'s generation and parts (each dict joined from its chunks); None when another layout or
    Python wrote it. Raises ValueError (or what marshal and struct raise) when the bytes are not a whole snapshot."""
    if not data.startswith(SNAPSHOT_MAGIC):
        return None  # layout 2 and before: one marshalled tuple
    at = len(SNAPSHOT_MAGIC)
    (size,) = struct.unpack_from("<I", data, at)
    at += 4
    header = marshal.loads(data[at:at + size])
    if not (isinstance(header, tuple) and len(header) == 4 and header[0] == SNAPSHOT_LAYOUT):
        return None
    _, generation, lengths, crc = header
    at += size
    if zlib.crc32(memoryview(data)[at:]) != crc:
        raise ValueError("a catalog snapshot whose checksum does not match")
    view = memoryview(data)
    parts: list[Any] = []
    for length in lengths:
        if isinstance(length, list):
            part: dict = {}
            for n in length:
                part.update(_piece(view, at, n))
                at += n
            parts.append(part)
        else:
            parts.append(_piece(view, at, length))
            at += length
    if at != len(data) or len(parts) != 12:
        raise ValueError(f"a catalog snapshot of {len(data)} bytes, {at} read, {len(parts)} parts")
    return (generation, *parts)


def _piece(view: memoryview, at: int, length: int) -> Any:
    if at + length > len(view):
        raise ValueError("a catalog snapshot cut short")
    return marshal.loads(view[at:at + length])


_CATALOGS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store → its Catalog
# store → the generation of its snapshot, as known; None: the stored one is unreadable (replaced at any generation)
_SAVED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_SAVERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store → the thread saving its snapshot, last
_SAVING: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # store → held while its snapshot is being saved
_SAVERS_LOCK = threading.Lock()  # (guards the two above)
_BUILDING = threading.Lock()
FREEZE_FROM = 10_000  # reports of a catalog past which the process's objects are frozen (`_freeze`)
_FROZEN: set[str] = set()  # what the process's objects were frozen after (`_freeze`)


def catalog_of(store) -> Catalog:
    """The catalog of a store's reports, shared by everything that answers over it (the answerer, the retriever):
    one row read per call; after a write, brought forward by the reports written since (the store's change log).

    A process's first catalog is the store's snapshot brought forward the same way, else one read from every
    report. Whoever holds a catalog SNAPSHOT_EVERY writes past the snapshot saves it again, so that a new process
    never has more than that to apply: on a thread of its own (`save_later`), never inside the answer that met it."""
    generation = store.generation()
    held = _CATALOGS.get(store)
    if held is None or held.generation != generation:
        with _BUILDING:  # two threads (a page run, the warm-up) meeting a write bring it forward once
            held = _CATALOGS.get(store)
            if held is None or held.generation != generation:
                first = held is None
                held = _CATALOGS[store] = _current(store, held)
                if first:
                    _freeze("catalog", len(held.reports))
                saved = _SAVED.get(store, -SNAPSHOT_EVERY)
                if saved is None or held.generation - saved >= SNAPSHOT_EVERY:
                    save_later(store, held)
    return held


def _freeze(built: str, reports: int) -> None:
    """Leave what the process holds now out of every later cycle collection, once after it built its first catalog
    and once after that catalog's aliases (`Catalog.alias_names`): what a process holds for its lifetime.

    A full collection visits every object the process holds: with a catalog of 100,000 reports that took 0.3–0.7 s
    (bench/README.md), paid by whichever answer happened to trigger it. Frozen objects are still freed when no
    longer referenced; only cycles among them never would be, and catalogs make none (`Catalog._views`). Below
    FREEZE_FROM reports a collection is short and nothing is frozen (gc.get_referrers no longer sees frozen
    objects, which libraries such as Hypothesis use)."""
    if reports >= FREEZE_FROM and built not in _FROZEN:
        _FROZEN.add(built)
        gc.freeze()


def _current(store, held: Catalog | None) -> Catalog:
    """`held` (or the store's snapshot) brought forward to the store's generation; every report read when neither
    is there or the change log no longer reaches back to it."""
    if held is None and (snapshot := store.snapshot(SNAPSHOT)) is not None:
        held = Catalog.loads(snapshot[1])
        _SAVED[store] = snapshot[0] if held is not None else None  # (an unreadable one is saved again soon)
    since = store.changes_after(held.generation) if held is not None else None
    if since is None or since[0] < held.generation:  # (a store put back from an older copy: read everything)
        generation = store.generation()  # before the reports: a write meanwhile is applied on the next call
        return Catalog(store.reports(), generation)
    generation, ids = since
    if ids:
        return held.advance(generation, {i: None for i in ids} | store.reports_with(ids))
    catalog = copy.copy(held)  # writes that changed no report (a cross-year check)
    catalog.generation = generation
    return catalog


def _saving(store) -> threading.Lock:
    with _SAVERS_LOCK:
        return _SAVING.setdefault(store, threading.Lock())


def save_later(store, catalog: Catalog) -> threading.Thread | None:
    """Save the catalog as the store's snapshot on a daemon thread, and return that thread; None (nothing done)
    while this process is saving the store's snapshot already.

    At 100,000 reports a save is ~1 s of marshal and ~0.6 s of writing 31 MB: on a thread of its own, in chunks
    (`Catalog.dumps`) with the GIL given up between them, written on a connection of its own (the store's shared one
    stays free for the answers). A process ended meanwhile leaves the snapshot as it was (the write is one
    transaction)."""
    lock = _saving(store)
    if not lock.acquire(blocking=False):
        return None
    try:
        thread = threading.Thread(target=_save_then_release, args=(store, catalog, lock), daemon=True,
                                  name="catalog-snapshot")
        with _SAVERS_LOCK:
            _SAVERS[store] = thread
        thread.start()
    except BaseException:
        lock.release()
        raise
    return thread


def _save_then_release(store, catalog: Catalog, lock: threading.Lock) -> None:
    try:
        _save(store, catalog, partial(time.sleep, 0))
    except Exception:  # (a daemon thread: nobody else would see it) the next process reads more, nothing else
        log.warning("the catalog's snapshot could not be saved", exc_info=True)
    finally:
        lock.release()


def wait_for_save(store, timeout: float | None = None) -> bool:
    """Wait for this process's snapshot save of the store, if one is running; False if it still runs."""
    with _SAVERS_LOCK:
        thread = _SAVERS.get(store)
    if thread is not None:
        thread.join(timeout)
        return not thread.is_alive()
    return True


def _save(store, catalog: Catalog, pause: Callable[[], None] = lambda: None) -> None:
    """Save the catalog as the store's snapshot, unless another process saved one as recent meanwhile (or, when
    the stored one is unreadable, one more recent)."""
    unreadable = store in _SAVED and _SAVED[store] is None
    try:
        stored = store.snapshot_generation(SNAPSHOT)
        if stored is None or stored < catalog.generation or (unreadable and stored == catalog.generation):
            store.save_snapshot(SNAPSHOT, catalog.generation, catalog.dump_pieces(pause))
            stored = catalog.generation
        _SAVED[store] = max(catalog.generation, stored)
    except database_errors():  # (a replica allowed only to read): the next process reads more, nothing else changes
        log.warning("the catalog's snapshot could not be saved", exc_info=True)
        _SAVED[store] = catalog.generation  # (tried again SNAPSHOT_EVERY writes on, not after every write)


def save_catalog(store) -> Catalog:
    """Bring the store's catalog snapshot up to date (`python -m qa warm`: after a batch, before replicas start),
    on this thread; after a save this process had running, if any (two never write at once)."""
    catalog = catalog_of(store)
    with _saving(store):
        _save(store, catalog)
    return catalog


def unknown_places(masked: str, named: bool = False) -> list[str]:
    """Places or departments named in what is left of the question (stored agencies are masked): none is stored.

    `named`: the question already names a stored agency; a bare word like "新建" is then not read as a place."""
    if named and not any(s in masked for s in _ENDINGS):
        # every word `_unknown_words` finds ends in one of these (a bare place name counts only when none is named):
        # without one it finds none, and jieba's dictionary and tag table (seconds) need not be loaded to see it
        return []
    return _unknown_words(masked, named)


def _unknown_words(masked: str, named: bool) -> list[str]:
    """`unknown_places` read by jieba's words and tags."""
    words = [(w.word, w.flag) for w in tagged(masked)]
    unknown: list[str] = []
    for i, (word, flag) in enumerate(words):
        if MASK in word:
            continue
        organ = _organ_named(words, i)
        if organ:
            unknown.append(organ)
            continue
        if len(word) < 2:
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
        if not (admin or department or leading) or word in PLACE_STOPWORDS or word in NAMELESS_ORGANS:
            continue
        unknown.append(word)
    return list(dict.fromkeys(unknown))


def _organ_named(words: list[tuple[str, str]], i: int) -> str:
    """An organ named by nouns before its last word ("社会事业局", "融媒体中心", "区委宣传部", "党工委办"), said
    where word i is that last word; "" when word i ends no organ or no noun leads it (the next word is no noun)."""
    word = words[i][0]
    if not word.endswith(ORGAN_TAILS) or (i + 1 < len(words) and words[i + 1][1][:1] == "n"
                                          and MASK not in words[i + 1][0]):
        return ""
    name = word
    for before, flag in reversed(words[:i]):
        if MASK in before or flag[:1] not in ("n", "v") or flag == "v" or len(name + before) > 10:
            break
        name = before + name
    return name if name != word and len(name) >= 4 else ""


def _name_before(words: list[tuple[str, str]]) -> str:
    """The short words right before an area ending said alone ("澳", "前" of "澳前片区"), at most two characters;
    "" when they are a pronoun, verb or other function word ("哪个片区") or a stored name (masked)."""
    name = ""
    for word, flag in reversed(words):
        if MASK in word or flag[:1] in _NOT_A_NAME or len(name + word) > 2 or not "\u4e00" <= word[0] <= "\u9fff":
            break
        name = word + name
    return name if len(name) == 2 else ""
