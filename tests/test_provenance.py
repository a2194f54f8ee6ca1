"""Provenance, replace, remove and the audit log through the real pipeline; limits and field cleaning at ingest."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from core.errors import ReportError
from core.records import Report
from core.text import clean_field
from ingest.__main__ import main
from ingest.index.vectors import NarrativeIndex
from ingest.limits import MAX_FILE_MB, MAX_TABLES, MAX_TEXT_CHARS, check_url
from ingest.pipeline import ingest_file
from ingest.remove import remove_report
from qa.answer import Answerer
from qa.retrieve import Retriever
from store import Store
from store.schema import MIGRATIONS
from tests.conftest import SAMPLES
from ui.staff.passwords import hash_password, valid_hash, verify, wait_seconds

FIGURE = "青山市绿水区2024年收到多少件政府信息公开申请？"
NARRATIVE = "青山市绿水区2024年平台建设防护演练是怎么做的？"
SENTENCE = "平台建设防护演练每季度开展一次。"


def report_file(folder: Path, name: str = "qingshan_2024.txt") -> Path:
    """hongze 2024 under another agency's name, with one sentence of its own."""
    text = (SAMPLES / "hongze_2024.txt").read_text(encoding="utf-8").replace("淮安市洪泽区", "青山市绿水区")
    assert "（四）政府信息公开平台建设情况。" in text
    text = text.replace("（四）政府信息公开平台建设情况。", f"（四）政府信息公开平台建设情况。{SENTENCE}", 1)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def db(sample_db: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "db"
    shutil.copytree(sample_db, folder)
    return folder


def cited(answer, report_id: str) -> bool:
    return any(c.report == report_id for c in answer.citations)


def test_upload_replace_remove_keep_store_indexes_and_audit_together(db, tmp_path, embedder):
    store, index = Store(db), NarrativeIndex(db, embedder)
    answerer = Answerer(store, Retriever(store, index))
    path = report_file(tmp_path)
    first = ingest_file(path, store, index, by="王芳", url="https://www.example.gov.cn/xxgk/2025/nb.html")
    r = store.report("qingshan_2024")
    assert first.status == "ingested" and r.ingested_by == "王芳" and r.source == "qingshan_2024.txt"
    assert r.size == path.stat().st_size and r.layout == "txt" and len(r.sha256) == 64 and r.ingested_at[:2] == "20"
    assert r.source_url == "https://www.example.gov.cn/xxgk/2025/nb.html"
    assert r.provenance() == f"来源：qingshan_2024.txt · {r.ingested_at[:10]} 导入"
    figure, narrative = answerer.ask(FIGURE)[0], answerer.ask(NARRATIVE)[0]
    assert cited(figure, "qingshan_2024") and cited(narrative, "qingshan_2024")
    assert any("每季度" in c.quote for c in narrative.citations)

    corrected = tmp_path / "corrected.txt"
    corrected.write_text(path.read_text(encoding="utf-8").replace(SENTENCE, "平台建设防护演练每月开展一次。"),
                         encoding="utf-8")
    again = ingest_file(corrected, store, index, by="李明", replaces="qingshan_2024")
    new = store.report("qingshan_2024")
    assert again.status == "ingested" and new.source == "corrected.txt" and new.ingested_by == "李明"
    assert new.sha256 != r.sha256 and new.source_url == ""
    narrative = answerer.ask(NARRATIVE)[0]
    assert any("每月" in c.quote for c in narrative.citations)
    assert not any("每季度" in p.text for p in store.paragraphs(report="qingshan_2024"))

    gone = remove_report("qingshan_2024", store, index, by="李明")
    assert gone.sha256 == new.sha256 and store.report("qingshan_2024") is None
    assert "qingshan_2024" not in index.reports()  # no orphan vectors
    assert not store.cells(report="qingshan_2024") and not store.paragraphs(report="qingshan_2024")
    for question in (FIGURE, NARRATIVE):  # the same answerer: its lexical index follows the store
        answer = answerer.ask(question)[0]
        assert not cited(answer, "qingshan_2024") and "每月" not in answer.text, answer
    log = store.audit_log(report="qingshan_2024")
    assert [(e.action, e.who) for e in log] == [("remove", "李明"), ("replace", "李明"), ("add", "王芳")]
    assert (log[0].before_sha256, log[0].after_sha256) == (new.sha256, "")
    assert (log[1].before_sha256, log[1].after_sha256) == (r.sha256, new.sha256)
    assert (log[2].before_sha256, log[2].after_sha256) == ("", r.sha256)
    with pytest.raises(ReportError, match="qingshan_2024"):
        remove_report("qingshan_2024", store, index)
    with pytest.raises(ReportError, match="已不存在"):
        ingest_file(corrected, store, index, replaces="qingshan_2024")


def run(capsys, *args: str) -> tuple[int, str, str]:
    """`python -m ingest ARGS` in this process (the embedder is loaded once per session)."""
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_source_url_export_reports_and_remove(db, tmp_path, capsys, embedder):
    path = report_file(tmp_path)
    url = "https://www.example.gov.cn/nb/2024.html"
    assert run(capsys, str(path), "--db", str(db), "--source-url", url)[0] == 0
    code, out, _ = run(capsys, "export", "--db", str(db), "--reports", "--report", "qingshan_2024")
    row = json.loads(out)
    assert row["file"] == "qingshan_2024.txt" and row["ingested_by"] == "cli" and row["source_url"] == url
    assert row["format"] == "txt" and row["size"] == path.stat().st_size and len(row["sha256"]) == 64
    code, out, err = run(capsys, "export", "--db", str(db), "--reports", "--csv")
    assert out.splitlines()[0].startswith("report,agency,year,title,file,sha256,size,format,ingested_by")
    code, out, err = run(capsys, "remove", "qingshan_2024", "no_such_report", "--db", str(db))
    assert code == 1 and "qingshan_2024" in out and "no_such_report" in err
    store = Store(db)
    assert store.report("qingshan_2024") is None
    assert [(e.action, e.who) for e in store.audit_log(report="qingshan_2024")] == [("remove", "cli"), ("add", "cli")]
    assert "qingshan_2024" not in NarrativeIndex(db, embedder).reports()
    code, _, err = run(capsys, str(path), str(SAMPLES / "liuyang_2023.txt"), "--db", str(db), "--source-url", url)
    assert code == 2 and "--source-url" in err


def test_limits_refuse_with_the_file_and_the_limit(tmp_path, embedder):
    store, index = Store(tmp_path / "db"), NarrativeIndex(tmp_path / "db", embedder)
    big = tmp_path / "big_2024.txt"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_MB * 1024 * 1024 + 1)  # sparse: large on paper, nothing written to disk
    long = tmp_path / "long_2024.txt"
    long.write_text("报告正文。" * (MAX_TEXT_CHARS // 5 + 1), encoding="utf-8")
    tables = tmp_path / "tables_2024.txt"
    tables.write_text("\n\n说明\n".join(["| a | 1 |"] * (MAX_TABLES + 1)), encoding="utf-8")
    for path, words in ((big, "文件过大"), (long, "文字过长"), (tables, "表格过多")):
        with pytest.raises(ReportError) as e:
            ingest_file(path, store, index)
        assert words in str(e.value) and path.name in str(e.value)
    with pytest.raises(ReportError, match="来源网址无效"):
        ingest_file(report_file(tmp_path), store, index, url="javascript:alert(1)")
    assert store.reports() == [] and store.audit_log() == []
    assert check_url(" https://www.gov.cn/a ") == "https://www.gov.cn/a"
    for url in ("ftp://x.cn/a", "https://", "https://x.cn/a b", 'https://x.cn/"><script>'):
        with pytest.raises(ReportError):
            check_url(url)


def test_markup_and_control_characters_are_cleaned_from_metadata(tmp_path, embedder):
    assert clean_field("<b>青山市</b>人民政府<script>alert(1)</script>") == "青山市人民政府"
    assert clean_field("&lt;i&gt;青山市&lt;/i&gt;\u200b人民\x07政府\u202e") == "青山市人民政府"
    assert clean_field("青山市  人民\n政府", limit=4) == "青山市"
    text = (SAMPLES / "hongze_2024.txt").read_text(encoding="utf-8")
    title = text.split("\n", 1)[0]
    assert "淮安市洪泽区" in title
    marked = text.replace(title, title.replace("淮安市洪泽区", "<b onclick=x>青山市\u200b红石区</b>"), 1)
    path = tmp_path / "hongshi_2024.txt"
    path.write_text(marked, encoding="utf-8")
    store = Store(tmp_path / "db")
    ingest_file(path, store, NarrativeIndex(tmp_path / "db", embedder))
    r = store.report("hongshi_2024")
    assert r.agency == "青山市红石区人民政府" and "<" not in r.title and "\u200b" not in r.title and r.year == 2024


def test_a_store_of_the_first_schema_gains_provenance_columns(tmp_path):
    with sqlite3.connect(tmp_path / "reports.sqlite3") as old:
        old.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        old.executescript(MIGRATIONS[0])
        old.execute("INSERT INTO meta VALUES ('schema', '1')")
        old.execute("INSERT INTO reports VALUES ('r', '某县人民政府', 2023, 't', NULL, 'r.txt', 'h', 'txt')")
    store = Store(tmp_path)
    assert store.report("r") == Report("r", "某县人民政府", 2023, "t", None, "r.txt", "h", "txt")
    assert store.report("r").provenance() == "来源：r.txt" and store.audit_log() == []


def test_password_hash_verify_and_throttle():
    stored = hash_password("correct horse battery", n=2**10)  # a cheap cost keeps the test fast
    assert stored.startswith("scrypt$1024$") and "correct" not in stored
    assert verify("correct horse battery", stored) and not verify("correct horse batterY", stored)
    assert hash_password("correct horse battery", n=2**10) != stored  # salted
    assert not verify("correct horse battery", "correct horse battery")  # a plain password is not a hash
    assert not valid_hash("") and not verify("", "scrypt$1$1$1$!!$!!")
    assert [wait_seconds(n, 0) for n in range(6)] == [0, 0, 0, 30, 60, 120]
    assert wait_seconds(3, 29.5) == 1 and wait_seconds(3, 30) == 0 and wait_seconds(40, 0) == 900


def test_password_command_prints_a_hash_never_the_password(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("a long enough secret\n"))
    code, out, _ = run(capsys, "password")
    assert code == 0 and verify("a long enough secret", out.strip()) and "secret" not in out
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    assert run(capsys, "password")[0] == 2
