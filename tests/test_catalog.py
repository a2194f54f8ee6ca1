"""The incremental catalog (issue 21): after any sequence of adds, replaces, removes and renames on a real store,
the catalog a reader brought forward by the change log — and one loaded from the snapshot — equals one read from
every report, in everything a question can observe."""

from __future__ import annotations

import random

import pytest

import qa.scope
import store.schema
from core.records import Report
from core.text import norm
from qa.agencies import surface_forms
from qa.scope import Catalog, catalog_of
from store import Store

# Names that join and split agencies: 洪泽区人民政府 beside 淮安市洪泽区人民政府 and 江苏省淮安市洪泽区人民政府 is one
# agency while only one chain fits it; a second 鼓楼区 under another city makes the bare 鼓楼区 an agency of its own;
# departments by printed name and short form, an area's governing body, a department no form names, a name without
# places.
NAMES = (
    "洪泽区人民政府", "淮安市洪泽区人民政府", "江苏省淮安市洪泽区人民政府", "淮安市人民政府", "淮安市淮安区人民政府",
    "鼓楼区人民政府", "福州市鼓楼区人民政府", "南京市鼓楼区人民政府", "福州市人民政府", "南京市鼓楼区发展和改革局",
    "浏阳市人民政府", "浏阳市人民政府办公室", "浏阳市发展和改革局", "浏阳市发改局", "长沙市浏阳市财政局",
    "平潭综合实验区管理委员会", "平潭综合实验区君山片区管理局", "平潭综合实验区旅游与文化体育局",
    "上海市科学技术委员会", "上海市科委", "上海市绿化和市容管理局", "沭阳县人民政府", "沐阳县人民政府",
    "青石县财政金融局", "临川市青石县人民政府", "青石县人民政府", "国家统计局",
)
YEARS = (None, 2021, 2022, 2023, 2024)
# Questions naming agencies in the ways people do; plus every stored name's surface forms (below).
QUESTIONS = (
    "2023年洪泽区收到多少申请", "淮安市洪泽区政府2023年", "鼓楼区政府新收多少件", "福州鼓楼区2022年",
    "南京鼓楼区发改局",
    "市政府收到多少", "哪个县政府收到最多", "发改局", "浏阳发改委", "浏阳市政府办", "平潭公安", "君山片区",
    "平潭文体局", "上海科委", "沭阳县", "青石县财金局", "青石县政府", "国家统计局2023年", "北京市发改委",
    "哪个片区管理局最多", "区政府", "淮安区", "江苏省淮安市洪泽区人民政府2024年",
)


def _report(rng: random.Random, rid: str, name: str) -> Report:
    return Report(rid, name, rng.choice(YEARS), f"{name}年报", None, f"{rid}.txt", rid * 2, "txt",
                  rng.randrange(1000), "cli", "2026-12-01T00:00:00+00:00", "")


def _step(rng: random.Random, db: Store, serial: list[int]) -> None:
    """One random write: add a report, replace one (its name or year changed), remove one, or rename an agency."""
    stored = db.reports()
    kind = rng.choices(("add", "replace", "remove", "rename"), (5, 3, 2, 1))[0] if stored else "add"
    if kind == "add":
        serial[0] += 1
        db.replace_report(_report(rng, f"r{serial[0]}", rng.choice(NAMES)), [], [], [], [])
    elif kind == "replace":
        db.replace_report(_report(rng, rng.choice(stored).id, rng.choice(NAMES)), [], [], [], [])
    elif kind == "remove":
        db.delete_report(rng.choice(stored).id)
    else:
        db.rename_agency(rng.choice(stored).agency, rng.choice(NAMES))


def _questions(catalog: Catalog) -> list[str]:
    said = {f for name in NAMES for f in sorted(surface_forms(name))[:6]}
    return [*QUESTIONS, *sorted(said), *(f"{f}2023年新收了多少件申请" for f in sorted(said)[::5])]


def _observed(catalog: Catalog, questions: list[str]) -> dict:
    """Everything a question, an answer or a page can read of a catalog."""
    r = catalog.resolver
    return {
        "key_of": catalog.key_of, "agencies": dict(catalog.agencies), "reports": dict(catalog.reports),
        "years": catalog.years, "latest": catalog.latest, "by_name": catalog.by_name,
        "names": r.names, "ending": r.ending, "by_organ": r.by_organ, "places": r.places.words,
        "longest": r.places.longest, "organs": r.organs, "stems": r.stems, "bare": r.bare,
        "aliases": catalog.alias_names().words,
        "find": [catalog.find(norm(q)) for q in questions],
        "nearest": [[r.nearest(m) for m in catalog.find(norm(q))[0]] for q in questions],
        "search": [catalog.search(q, 50) for q in ("鼓楼", "洪泽", "发改局", "政府")],
        "listing": catalog.listing(),
        "label": {i: catalog.label(i) for i in catalog.reports},
    }


def _same(a: Catalog, b: Catalog, questions: list[str]) -> None:
    seen, full = _observed(a, questions), _observed(b, questions)
    for part in full:
        assert seen[part] == full[part], part


@pytest.mark.parametrize("seed", range(6))
def test_brought_forward_equals_read_from_every_report(tmp_path, seed, monkeypatch):
    rng = random.Random(seed)
    writer, reader = Store(tmp_path), Store(tmp_path)  # two processes on one database
    serial = [0]
    searched = catalog_of(reader)
    searched.search("洪泽", 5)  # a catalog whose search names and aliases are built is brought forward with them
    searched.alias_names()
    assert searched.by_name == {}
    monkeypatch.setattr(reader, "reports", lambda agency=None: pytest.fail("every report read"))
    for _ in range(40):
        for _ in range(rng.choice((1, 1, 1, 3))):  # a reader meets one write or several
            _step(rng, writer, serial)
        held = catalog_of(reader)
        assert held.generation == reader.generation() == writer.generation()
        full = Catalog(writer.reports(), held.generation)
        _same(held, full, _questions(full))
    assert len(held.agencies) > 5 and len(held.reports) > 10
    # a new process: the snapshot brought forward by the change log
    for _ in range(5):
        _step(rng, writer, serial)
    fresh = Store(tmp_path)
    loaded = catalog_of(fresh)
    full = Catalog(fresh.reports(), fresh.generation())
    _same(loaded, full, _questions(full))


def test_joined_then_split(tmp_path):
    """洪泽区 joins 淮安市洪泽区 (one agency, its reports together), then a second 鼓楼区 makes the bare one its own
    agency, asked back; removing the other city's undoes it — each after one write, brought forward."""
    writer, reader = Store(tmp_path), Store(tmp_path)
    rng = random.Random(1)
    writer.replace_report(_report(rng, "a", "洪泽区人民政府"), [], [], [], [])
    writer.replace_report(_report(rng, "g", "鼓楼区人民政府"), [], [], [], [])
    writer.replace_report(_report(rng, "f", "福州市鼓楼区人民政府"), [], [], [], [])
    first = catalog_of(reader)
    assert first.key_of["鼓楼区人民政府"] == "福州市鼓楼区"
    writer.replace_report(_report(rng, "b", "淮安市洪泽区人民政府"), [], [], [], [])
    joined = catalog_of(reader)
    assert joined.key_of["洪泽区人民政府"] == joined.key_of["淮安市洪泽区人民政府"] == "淮安市洪泽区"
    assert [r.id for r in joined.of_key("淮安市洪泽区").reports] in (["a", "b"], ["b", "a"])
    writer.replace_report(_report(rng, "n", "南京市鼓楼区人民政府"), [], [], [], [])
    split = catalog_of(reader)
    assert split.key_of["鼓楼区人民政府"] == "鼓楼区"
    assert split.find(norm("鼓楼区政府"))[0][0].candidates == ("南京市鼓楼区", "福州市鼓楼区", "鼓楼区")
    writer.delete_report("n")
    back = catalog_of(reader)
    assert back.key_of["鼓楼区人民政府"] == "福州市鼓楼区" and "南京市鼓楼区" not in back.agencies
    assert first.key_of["鼓楼区人民政府"] == "福州市鼓楼区" and "b" not in first.reports  # older ones unchanged
    for held in (joined, split, back):
        assert held.generation < reader.generation() or held is back
    _same(back, Catalog(reader.reports(), back.generation), _questions(back))


def test_log_pruned_reads_everything(tmp_path, monkeypatch):
    """A reader further behind than the change log reaches reads every report (and still equals a full read)."""
    monkeypatch.setattr(store.schema, "CHANGES_KEPT", 3)
    writer, reader = Store(tmp_path), Store(tmp_path)
    rng, serial = random.Random(3), [0]
    for _ in range(4):
        _step(rng, writer, serial)
    held = catalog_of(reader)
    for _ in range(8):
        _step(rng, writer, serial)
    assert reader.changes_after(held.generation) is None
    now = catalog_of(reader)
    assert now.generation == writer.generation()
    _same(now, Catalog(reader.reports(), now.generation), _questions(now))


def test_snapshot_loaded_by_a_new_process(tmp_path, monkeypatch):
    """The snapshot is saved by a process that read everything and loaded by the next one without reading every
    report; one of another layout (or Python) is ignored and everything read again."""
    writer = Store(tmp_path)
    rng, serial = random.Random(5), [0]
    for _ in range(12):
        _step(rng, writer, serial)
    catalog_of(writer)
    assert qa.scope.wait_for_save(writer, 60)  # (saved on a thread of its own)
    generation, data = writer.snapshot(qa.scope.SNAPSHOT)
    assert generation == writer.generation()
    _step(rng, writer, serial)
    fresh = Store(tmp_path)
    monkeypatch.setattr(fresh, "reports", lambda agency=None: pytest.fail("every report read"))
    loaded = catalog_of(fresh)
    assert loaded.generation == writer.generation()
    _same(loaded, Catalog(writer.reports(), loaded.generation), _questions(loaded))
    monkeypatch.setattr(qa.scope, "SNAPSHOT_LAYOUT", (0, (0, 0)))
    assert Catalog.loads(data) is None
    other = Store(tmp_path)
    assert catalog_of(other).generation == writer.generation()


def _saved_once(tmp_path, monkeypatch, every: int, seed: int):
    """A writer and a reader on one store, a snapshot saved every `every` writes, after one write and one read:
    (writer, reader, rng, serial, the snapshot's generation)."""
    monkeypatch.setattr(qa.scope, "SNAPSHOT_EVERY", every)
    writer, reader = Store(tmp_path), Store(tmp_path)
    rng, serial = random.Random(seed), [0]
    _step(rng, writer, serial)
    catalog_of(reader)
    assert qa.scope.wait_for_save(reader, 60)
    return writer, reader, rng, serial, reader.snapshot_generation(qa.scope.SNAPSHOT)


def test_snapshot_kept_recent_by_whoever_reads(tmp_path, monkeypatch, capsys):
    """A process holding a catalog SNAPSHOT_EVERY writes past the snapshot saves it again; `python -m qa warm`
    saves it at once."""
    from qa.__main__ import main

    writer, reader, rng, serial, first = _saved_once(tmp_path, monkeypatch, every=4, seed=7)
    for _ in range(3):
        _step(rng, writer, serial)
        catalog_of(reader)
        assert qa.scope.wait_for_save(reader, 60)
    assert reader.snapshot_generation(qa.scope.SNAPSHOT) == first
    _step(rng, writer, serial)
    catalog_of(reader)
    assert qa.scope.wait_for_save(reader, 60)
    assert reader.snapshot_generation(qa.scope.SNAPSHOT) == writer.generation() == first + 4
    _step(rng, writer, serial)
    assert main(["warm", "--db", str(tmp_path)]) == 0
    assert reader.snapshot_generation(qa.scope.SNAPSHOT) == writer.generation()
    assert f"saved at generation {writer.generation()}" in capsys.readouterr().out


def test_snapshot_saved_off_the_answering_thread(tmp_path, monkeypatch):
    """The catalog that reaches SNAPSHOT_EVERY writes past the snapshot is returned while its save still runs (on
    another thread, which the answer never waits for); a second save meanwhile is skipped, not written twice; once
    the first is written, the next one due is saved again."""
    import threading

    writer, reader, rng, serial, first = _saved_once(tmp_path, monkeypatch, every=3, seed=23)
    release, dumping, dumped_on, written = threading.Event(), threading.Event(), [], []
    dump_pieces, save_snapshot = Catalog.dump_pieces, reader.save_snapshot

    def slow_dumps(catalog, pause=lambda: None):
        dumped_on.append(threading.current_thread())
        dumping.set()
        assert release.wait(60)
        return dump_pieces(catalog, pause)

    monkeypatch.setattr(Catalog, "dump_pieces", slow_dumps)
    monkeypatch.setattr(reader, "save_snapshot", lambda *a: written.append(a[1]) or save_snapshot(*a))
    for _ in range(3):
        _step(rng, writer, serial)
    held = catalog_of(reader)  # due: its save starts and blocks in dumps, the answer goes on
    assert held.generation == writer.generation() == first + 3
    assert dumping.wait(60) and dumped_on == [qa.scope._SAVERS[reader]] != [threading.current_thread()]
    assert reader.snapshot_generation(qa.scope.SNAPSHOT) == first and not written
    for _ in range(3):  # due again while the first save runs: skipped
        _step(rng, writer, serial)
        assert catalog_of(reader).generation == writer.generation()
    assert qa.scope.save_later(reader, catalog_of(reader)) is None
    assert len(dumped_on) == 1
    release.set()
    assert qa.scope.wait_for_save(reader, 60)
    assert written == [first + 3] and reader.snapshot_generation(qa.scope.SNAPSHOT) == first + 3
    _step(rng, writer, serial)  # the next catalog finds the snapshot 4 writes behind: saved again
    catalog_of(reader)
    assert qa.scope.wait_for_save(reader, 60)
    assert written == [first + 3, writer.generation()] and len(dumped_on) == 2
    assert reader.snapshot_generation(qa.scope.SNAPSHOT) == writer.generation()


def test_snapshot_in_chunks_loads_as_read_from_every_report(tmp_path, monkeypatch):
    """A snapshot cut into chunks of a few entries (a pause between each, where a saving thread gives up the GIL)
    loads equal to the catalog read from every report, brought forward or not."""
    monkeypatch.setattr(qa.scope, "SNAPSHOT_CHUNK", 3)
    writer = Store(tmp_path)
    rng, serial = random.Random(29), [0]
    for _ in range(30):
        _step(rng, writer, serial)
    held = catalog_of(writer)
    held.alias_names()
    _step(rng, writer, serial)
    held = catalog_of(writer)  # brought forward: overlays with changes of their own
    full = Catalog(writer.reports(), held.generation)
    pauses = []
    pieces = held.dump_pieces(lambda: pauses.append(1))
    assert len(pauses) > len(held.reports) // 3  # (the rows alone are more chunks than that)
    writer.save_snapshot(qa.scope.SNAPSHOT, held.generation, pieces)  # (written piece by piece: the same bytes)
    data = writer.snapshot(qa.scope.SNAPSHOT)[1]
    assert data == b"".join(pieces)
    loaded = Catalog.loads(data)
    assert loaded.generation == held.generation
    _same(loaded, full, _questions(full))
    assert _state(loaded) == _state(full)
    # the state itself, part by part: the brought-forward catalog's chunks hold what a full read holds
    assert qa.scope._parts(data) == qa.scope._parts(full.dumps()) == qa.scope._parts(loaded.dumps())


def test_unreadable_snapshot_rejected_and_saved_again(tmp_path):
    """A snapshot of the layout before, cut short, or with a byte changed is never loaded (None): every report is
    read instead, and the unreadable one replaced by a readable one of the same generation."""
    import marshal

    writer = Store(tmp_path)
    rng, serial = random.Random(31), [0]
    for _ in range(10):
        _step(rng, writer, serial)
    good = Catalog(writer.reports(), writer.generation()).dumps()
    old = marshal.dumps(((2, qa.scope.SNAPSHOT_LAYOUT[1]), writer.generation(), {}, {}, {}, {}, {}, {}, None, {}, {},
                         {}, {}, {}))
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0x01
    for bad in (old, good[:-7], good[: len(good) // 2], bytes(flipped), b"", b"\x00" * 40, good[:30]):
        assert Catalog.loads(bad) is None
    assert Catalog.loads(good) is not None
    writer.save_snapshot(qa.scope.SNAPSHOT, writer.generation(), bytes(flipped))
    fresh = Store(tmp_path)
    loaded = catalog_of(fresh)
    full = Catalog(writer.reports(), writer.generation())
    _same(loaded, full, _questions(full))
    assert qa.scope.wait_for_save(fresh, 60)
    generation, data = fresh.snapshot(qa.scope.SNAPSHOT)
    assert generation == writer.generation() and data != bytes(flipped)
    _same(Catalog.loads(data), full, _questions(full))


def test_brought_forward_on_postgres(pg_url):
    """The same on PostgreSQL: two Store objects (two replicas) on one database, the snapshot in it for a third."""
    import uuid

    import psycopg

    name = f"catalog_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    url = pg_url.rsplit("/", 1)[0] + f"/{name}"
    writer, reader = Store(url=url), Store(url=url)
    rng, serial = random.Random(11), [0]
    for _ in range(25):
        for _ in range(rng.choice((1, 2))):
            _step(rng, writer, serial)
        held = catalog_of(reader)
        assert held.generation == writer.generation()
        _same(held, Catalog(writer.reports(), held.generation), _questions(held))
    assert qa.scope.wait_for_save(reader, 60)  # (the first catalog's save, on its thread: joined pieces there)
    saved = reader.snapshot(qa.scope.SNAPSHOT)
    assert saved is not None and Catalog.loads(saved[1]).generation == saved[0]
    _step(rng, writer, serial)
    third = catalog_of(Store(url=url))
    _same(third, Catalog(writer.reports(), third.generation), _questions(third))


def test_lexicon_copies_share_their_words(monkeypatch):
    """A Lexicon copy changed word by word reads as a dict changed the same way, and the one it was copied from
    does not change, whether the changes are kept beside the shared words or folded into its own."""
    import core.overlay
    from qa.match import Lexicon

    monkeypatch.setattr(core.overlay, "FOLD_AT", 3)
    rng = random.Random(2)
    words = ["".join(rng.choice("甲乙丙丁戊") for _ in range(rng.randint(1, 4))) for _ in range(60)]
    lexicon, expected = Lexicon((w, i) for i, w in enumerate(words[:20])), dict(zip(words[:20], range(20), strict=True))
    history = []
    for step in range(200):
        history.append((lexicon, dict(expected)))
        lexicon = lexicon.copy()
        for _ in range(rng.randint(1, 3)):
            word = rng.choice(words)
            if rng.random() < 0.4:
                lexicon.drop(word)
                expected.pop(word, None)
            else:
                lexicon.put(word, step)
                expected[word] = step
        assert lexicon.words == expected and lexicon.longest == max(map(len, expected), default=0)
        text = "".join(rng.choice("甲乙丙丁戊子") for _ in range(12))
        assert lexicon.within(text) == sorted((w, v) for w, v in expected.items() if w in text)
    assert all(old.words == was for old, was in history)


def _state(catalog: Catalog) -> dict:
    """What a catalog holds, read whole: to see that an older one never changes."""
    r = catalog.resolver
    return {"key_of": dict(catalog.key_of), "reports": dict(catalog.reports), "agencies": dict(catalog.agencies),
            "years": list(catalog.years), "latest": catalog.latest, "by_name": dict(catalog.by_name),
            "names": dict(r.names), "ending": dict(r.ending), "by_organ": dict(r.by_organ), "places": r.places.words,
            "aliases": catalog.alias_names().words, "search": catalog.search("鼓楼", 50),
            "find": [catalog.find(norm(q)) for q in QUESTIONS]}


def test_older_catalogs_unchanged_across_folds(tmp_path, monkeypatch):
    """Each catalog brought forward shares what did not change with the one before (core.overlay): one held by a
    reader still reads as it did after any number of newer ones were brought forward from it — whether their
    changes were kept beside the shared entries or folded into entries of their own (FOLD_AT small: both happen)."""
    import core.overlay

    monkeypatch.setattr(core.overlay, "FOLD_AT", 2)
    writer, reader = Store(tmp_path), Store(tmp_path)
    rng, serial = random.Random(13), [0]
    history = []
    for _ in range(30):
        for _ in range(rng.choice((1, 1, 2))):
            _step(rng, writer, serial)
        held = catalog_of(reader)
        history.append((held, _state(held)))
    for old, was in history:
        assert _state(old) == was
    shared = [a._rows._base is b._rows._base for (a, _), (b, _) in zip(history, history[1:], strict=False)]
    assert True in shared and False in shared  # changes kept beside the shared rows, and folded
    _same(held, Catalog(writer.reports(), held.generation), _questions(held))


def test_overlay_reads_as_a_dict(monkeypatch):
    """An Overlay changed key by key reads as a dict changed the same way (len, iteration, membership, equality),
    and every copy it was made from keeps reading as it did, across folds."""
    import core.overlay
    from core.overlay import Overlay

    monkeypatch.setattr(core.overlay, "FOLD_AT", 3)
    rng = random.Random(4)
    keys = [f"k{i}" for i in range(40)]
    overlay, expected = Overlay((k, 0) for k in keys[:20]), {k: 0 for k in keys[:20]}
    history = []
    for step in range(300):
        history.append((overlay, dict(expected)))
        overlay = overlay.copy()
        for _ in range(rng.randint(1, 4)):
            key, act = rng.choice(keys), rng.random()
            if act < 0.3:
                assert overlay.pop(key, None) == expected.pop(key, None)
            elif act < 0.4 and key in expected:
                del overlay[key], expected[key]
            elif act < 0.5:
                assert overlay.setdefault(key, step) == expected.setdefault(key, step)
            else:
                overlay[key] = expected[key] = step
        assert len(overlay) == len(expected) and sorted(overlay) == sorted(expected)
        assert overlay == expected and overlay.plain() == expected and dict(overlay.items()) == expected
        assert all((k in overlay) == (k in expected) and overlay.get(k) == expected.get(k) for k in keys)
        with pytest.raises(KeyError):
            overlay["absent"]
    assert all(old == was and len(old) == len(was) for old, was in history)


def test_a_catalog_no_longer_held_is_freed_at_once(tmp_path):
    """A catalog makes no reference cycle, read in every way and brought forward: one no longer held is freed by
    its reference count, without the cycle collector — so freezing the process's objects (qa.scope._freeze: a full
    collection at 100,000 reports takes 0.3–0.7 s) never keeps a catalog alive."""
    import gc
    import weakref

    writer, reader = Store(tmp_path), Store(tmp_path)
    rng, serial = random.Random(17), [0]
    for _ in range(8):
        _step(rng, writer, serial)
    held = catalog_of(reader)
    _state(held)
    _step(rng, writer, serial)
    newer = catalog_of(reader)
    _state(newer)
    full = Catalog(reader.reports(), newer.generation)
    _state(full)
    assert qa.scope.wait_for_save(reader, 60)  # (the save of the first catalog holds it until it is written)
    refs = [weakref.ref(c) for c in (held, held.resolver, held.reports, held.agencies, held.alias_names(), full)]
    gc.disable()
    try:
        del held, full
        assert [r() for r in refs] == [None] * len(refs)
    finally:
        gc.enable()
    assert newer.generation == writer.generation()


def test_objects_frozen_once_past_a_size(tmp_path, monkeypatch):
    """Past FREEZE_FROM reports a process freezes its objects once after its first catalog and once after that
    catalog's aliases (a full collection then skips them); never again for later catalogs, nor below the size."""
    import gc

    calls = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append(len(calls)))
    monkeypatch.setattr(qa.scope, "_FROZEN", set())
    writer, reader = Store(tmp_path), Store(tmp_path)
    rng, serial = random.Random(19), [0]
    for _ in range(4):
        _step(rng, writer, serial)
    catalog_of(reader).alias_names()
    assert calls == []
    monkeypatch.setattr(qa.scope, "FREEZE_FROM", 2)
    fresh = Store(tmp_path)
    catalog_of(fresh)
    assert calls == [0]
    catalog_of(fresh).alias_names()
    assert calls == [0, 1]
    _step(rng, writer, serial)
    catalog_of(reader).alias_names()
    Catalog(reader.reports(), 0).alias_names()
    assert calls == [0, 1]
