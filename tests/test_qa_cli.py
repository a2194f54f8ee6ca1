"""The `python -m qa ask` contract, run as a subprocess: --json lines, --batch conversations, text output, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.vocabulary import NEW

from .test_qa_figures import build_store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("qa-cli")
    build_store(folder).close()
    return folder


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "LLM_PROVIDER": "", "DATABASE_URL": "", "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "qa", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, encoding="utf-8", timeout=120)


def lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_json_one_conversation(db):
    questions = ("浏阳市2023年新收了多少件申请？", "那自然人呢？", "浏阳市2023年GDP是多少？")
    done = run("ask", "--db", str(db), "--json", *questions)
    assert done.returncode == 0, done.stderr
    first, second, third = lines(done.stdout)
    assert first == {"question": "浏阳市2023年新收了多少件申请？", "answered": True, "answer": first["answer"],
                     "citations": [{"type": "cell", "report": "liuyang_2023", "table": "三", "row": NEW,
                                    "column": "总计", "value": 224, "unit": "件"}]}
    assert "224" in first["answer"]
    assert [(c["column"], c["value"]) for c in second["citations"]] == [("自然人", 219)]
    assert third["answered"] is False and third["citations"] == []


def test_batch_conversations_start_fresh(db, tmp_path):
    batch = tmp_path / "questions.jsonl"
    batch.write_text('["浏阳市2023年新收了多少件申请？", "那自然人呢？"]\n\n["那自然人呢？"]\n'
                     '"平潭2021年行政规范性文件制发了多少件？"\n', encoding="utf-8")
    done = run("ask", "--db", str(db), "--json", "--batch", str(batch))
    assert done.returncode == 0, done.stderr
    answers = lines(done.stdout)
    assert [a["question"] for a in answers] == ["浏阳市2023年新收了多少件申请？", "那自然人呢？", "那自然人呢？",
                                                "平潭2021年行政规范性文件制发了多少件？"]
    assert [c["report"] for c in answers[1]["citations"]] == ["liuyang_2023"]
    assert len({c["report"] for c in answers[2]["citations"]}) > 1  # fresh: no report carried over
    (unknown,) = answers[3]["citations"]
    assert unknown["value"] is None and unknown["note"]


def test_text_output_lists_citations(db):
    done = run("ask", "--db", str(db), "浏阳市2023年予以公开和部分公开一共多少？")
    assert done.returncode == 0, done.stderr
    assert "答：" in done.stdout and "107件" in done.stdout
    assert "[1] liuyang_2023 表三 三、本年度办理结果/（一）予以公开 | 总计 = 89件" in done.stdout


def test_errors_are_one_line_with_a_hint(db, tmp_path):
    missing = run("ask", "--db", str(tmp_path / "none"), "浏阳市2023年新收了多少件申请？")
    assert missing.returncode == 2 and missing.stderr.startswith("error:") and "python -m ingest" in missing.stderr
    assert "Traceback" not in missing.stderr and not (tmp_path / "none").exists()
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n", encoding="utf-8")
    broken = run("ask", "--db", str(db), "--json", "--batch", str(bad))
    assert broken.returncode == 2 and "line 1" in broken.stderr and "Traceback" not in broken.stderr


def test_help_documents_ask():
    done = run("ask", "--help")
    assert done.returncode == 0 and "--batch" in done.stdout and "--json" in done.stdout
