"""The ingest command end to end: summaries, export contract, re-ingest, atomic replace, bad input in a batch."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import ReportError
from store import Store
from tests.conftest import ROOT, SAMPLES

LIUYANG = SAMPLES / "liuyang_2023.txt"


def run(*args: str, db: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "ingest", *args, "--db", str(db)], capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, env=env, timeout=300)


@pytest.fixture(scope="module")
def liuyang_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("liuyang")
    done = run(str(LIUYANG), "--json", db=db)
    assert done.returncode == 0, done.stderr
    return db


def test_summary_as_json(liuyang_db):
    done = run(str(LIUYANG), "--json", db=liuyang_db)  # second time: unchanged, nothing written
    summary = json.loads(done.stdout.splitlines()[0])
    assert summary["status"] == "unchanged" and summary["report"] == "liuyang_2023"


def test_first_summary_line(tmp_path):
    done = run(str(LIUYANG), db=tmp_path)
    assert done.returncode == 0
    line = done.stdout.splitlines()[0]
    assert line.startswith("liuyang_2023  浏阳市人民政府  2023")
    assert "cells=200" in line and "0 failed" in line


def test_export_contract(liuyang_db):
    done = subprocess.run([sys.executable, "-m", "ingest", "export", "--db", str(liuyang_db)], capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT, timeout=120)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 200
    assert all(list(r) == ["report", "table", "row", "column", "value", "unit"] for r in rows)
    new = next(r for r in rows if r["row"] == "一、本年新收政府信息公开申请数量" and r["column"] == "总计")
    assert new == {"report": "liuyang_2023", "table": "三", "row": "一、本年新收政府信息公开申请数量",
                   "column": "总计", "value": 224, "unit": "件"}
    secret = [r for r in rows if r["row"] == "三、本年度办理结果/（三）不予公开/1.属于国家秘密"]
    assert [r["value"] for r in secret] == [1, 0, 0, 0, 0, 0, 1]
    done = subprocess.run([sys.executable, "-m", "ingest", "export", "--db", str(liuyang_db), "--csv",
                           "--report", "liuyang_2023"], capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    table = list(csv.reader(io.StringIO(done.stdout)))
    assert table[0][:6] == ["report", "table", "row", "column", "value", "unit"] and len(table) == 201


def test_changed_file_replaces_its_report(tmp_path):
    copy = tmp_path / "liuyang_2023.txt"
    shutil.copy(LIUYANG, copy)
    db = tmp_path / "db"
    assert run(str(copy), db=db).returncode == 0
    text = copy.read_text(encoding="utf-8").replace("\n1446 |", "\n1447 |")
    copy.write_text(text, encoding="utf-8")
    done = run(str(copy), "--json", db=db)
    assert json.loads(done.stdout)["status"] == "ingested"
    store = Store(db)
    assert [c.value for c in store.cells(row="第二十条第（六）项/行政强制")] == [1447]
    assert len(store.cells()) == 200 and len(store.reports()) == 1


def test_failed_write_leaves_the_old_report(tmp_path, monkeypatch):
    store = Store(tmp_path)
    from core.records import Cell, Report

    report = Report("r", "某市人民政府", 2023, "t", None, "r.txt", "x", "txt")
    store.replace_report(report, [], [Cell("r", "三", "a", "总计", 1, "件")], [], [])
    with pytest.raises(ReportError, match="two cells at one address"):
        store.replace_report(report, [], [Cell("r", "三", "a", "总计", 2, "件"), Cell("r", "三", "a", "总计", 3, "件")],
                             [], [])  # the duplicate address fails half-way through (the old rows deleted)
    assert [c.value for c in store.cells(report="r")] == [1]


def test_batch_with_bad_files(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "notes.txt").write_text("今天开会讨论了明年的工作计划。\n会议由办公室主持。\n", encoding="utf-8")
    gb = LIUYANG.read_text(encoding="utf-8")
    (folder / "liuyang_gb.txt").write_bytes(gb.encode("gb18030"))
    cut = (SAMPLES / "hongze_2024.txt").read_text(encoding="utf-8")
    (folder / "cut_2024.txt").write_text(cut[: cut.index("1.属于国家秘密")], encoding="utf-8")
    broken = (SAMPLES / "hongze_2024.txt").read_text(encoding="utf-8").replace(
        "（七）总计 95 0 0 0 0 0 95", "（七）总计 96 0 0 0 0 0 96")
    (folder / "broken_2024.txt").write_text(broken, encoding="utf-8")
    done = run(str(folder), "--json", db=tmp_path / "db")
    assert done.returncode == 1
    out = {Path(o["file"]).name: o for o in map(json.loads, done.stdout.splitlines())}
    assert {n for n, o in out.items() if o["status"] == "failed"} == {"empty.txt", "binary.txt", "notes.txt"}
    assert all("empty.txt" in out["empty.txt"]["error"] or o for o in out.values())
    assert out["liuyang_gb.txt"]["status"] == "ingested" and out["liuyang_gb.txt"]["cells"] == 200
    # cut half-way: ingested with the missing rows reported, nothing guessed
    assert out["cut_2024.txt"]["status"] == "ingested"
    assert any("未找到" in f or "无法" in f for f in out["cut_2024.txt"]["findings"])
    # an identity broken by the report itself is a finding, not an error
    assert out["broken_2024.txt"]["status"] == "ingested" and out["broken_2024.txt"]["checks_failed"] > 0
    store = Store(tmp_path / "db")
    assert {r.id for r in store.reports()} == {"liuyang_gb", "cut_2024", "broken_2024"}
    assert not store.cells(report="empty") and not store.paragraphs(report="notes")


def test_each_failure_names_its_file(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    done = run(str(bad), db=tmp_path / "db")
    assert done.returncode == 1
    assert "bad.txt" in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_samples_metadata(sample_db):
    store = Store(sample_db)
    got = {r.id: (r.agency, r.year) for r in store.reports()}
    assert got["liuyang_2023"] == ("浏阳市人民政府", 2023)
    assert got["pingtan_2021"][1] == 2021 and got["pingtan_2022"][1] == 2022
    assert got["hongze_2023"] == ("淮安市洪泽区人民政府", 2023)  # printed “洪泽区人民政府”: one name per agency
    assert got["hongze_2024"] == ("淮安市洪泽区人民政府", 2024)
    assert got["huaian_2024"] == ("淮安市人民政府", 2024)
    assert got["shanghai_kewei_2024"][1] == 2024 and got["shuyang_2025"][1] == 2025
    assert store.report("liuyang_2023").published == "2024-02-05"


def test_sample_checks_are_stored_with_both_sides(sample_db):
    store = Store(sample_db)
    checks = store.checks(report="liuyang_2023")
    assert checks and all(c.status == "pass" for c in checks)
    narrative = [c for c in checks if c.kind == "narrative"]
    assert {(c.left, c.right) for c in narrative} >= {(224, 224), (210, 210), (22, 22), (11, 11)}
    hongze = store.checks(report="hongze_2023")
    failed = [c for c in hongze if c.status == "fail"]
    assert failed and all(c.left is not None and c.right is not None for c in failed)


def test_digit_run_decided_by_the_reports_own_narrative(sample_db):
    cells = Store(sample_db).cells(report="pingtan_2022", row="第二十条第（一）项/行政规范性文件")
    assert [c.value for c in cells] == [88, 55, 698]
    assert all("正文" in c.note for c in cells)
    unknown = Store(sample_db).cells(report="pingtan_2021", row="第二十条第（一）项/行政规范性文件")
    assert [c.value for c in unknown] == [None, None, None]


def test_a_name_printed_without_its_city_joins_a_fuller_one_only_when_sure(tmp_path):
    """Years of one agency get one name (洪泽区人民政府 → 淮安市洪泽区人民政府, above); a 鼓楼区人民政府 is not
    joined to 福州市's when its text never says 福州, nor to either city's when two 鼓楼区 are stored."""
    base = (SAMPLES / "hongze_2024.txt").read_text(encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()

    def variant(name: str, city: str, header: str) -> Path:
        text = base.replace("淮安市洪泽区", f"{city}鼓楼区").replace("淮安市洪\n泽区", f"{city}鼓楼区")
        text = text.replace("洪泽区", "鼓楼区").replace("淮安市", city or "本市").replace("洪泽", "鼓楼")
        path = folder / f"{name}.txt"
        path.write_text(text.replace(text.split("\n", 1)[0], header, 1), encoding="utf-8")
        return path

    db = tmp_path / "db"
    assert run(str(variant("fuzhou_2024", "福州市", "福州市鼓楼区人民政府")), db=db).returncode == 0
    assert run(str(variant("bare_2023", "", "鼓楼区人民政府")), db=db).returncode == 0
    assert run(str(variant("fuzhou_2023", "福州市", "鼓楼区人民政府")), db=db).returncode == 0  # says 福州
    assert run(str(variant("nanjing_2024", "南京市", "南京市鼓楼区人民政府")), db=db).returncode == 0
    assert run(str(variant("fuzhou_2022", "福州市", "鼓楼区人民政府")), db=db).returncode == 0  # two cities now
    got = {r.id: r.agency for r in Store(db).reports()}
    assert got == {"fuzhou_2024": "福州市鼓楼区人民政府", "bare_2023": "鼓楼区人民政府",
                   "fuzhou_2023": "福州市鼓楼区人民政府", "nanjing_2024": "南京市鼓楼区人民政府",
                   "fuzhou_2022": "鼓楼区人民政府"}
