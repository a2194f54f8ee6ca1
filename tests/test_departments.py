"""Acceptance set over six 平潭 department and 片区 reports (tests/departments.jsonl) through the real Answerer.

The six reports (tests/fixtures/departments/, byte for byte as crawled) are web pages whose whole body is one line
with table cells run together. The expected figures were read from the printed text by hand, never from the parser
(tests/fixtures/departments/NOTES.md gives the reading cell by cell and the cells the print leaves undecidable).
Each question carries "split": "tune" (财政金融局, 旅游与文化体育局, 君山片区) or "heldout" (经济发展局, 金井片区,
苏平片区, and any question touching one of them); fixes are to be made on the tune split and checked on the held-out.

Rates by name (公开率, 纠错率, 办结率) are in tests/departments_rates.jsonl with their numerator and denominator cells;
their shape is checked here, their answers in tests/test_rates.py.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.settings import ROOT
from ingest.index.vectors import NarrativeIndex
from qa.answer import Answerer
from qa.evaluate import KINDS, Result, Verdict, failures, load, run
from qa.judge import cell_citations, expectation
from qa.retrieve import Retriever
from store import Store

QUESTIONS = ROOT / "tests" / "departments.jsonl"
RATES = ROOT / "tests" / "departments_rates.jsonl"
FOLDER = ROOT / "tests" / "fixtures" / "departments"
REPORTS = {"pingtan_caizheng_2022": "tune", "pingtan_lvyou_2024": "tune", "pingtan_junshan_2021": "tune",
           "pingtan_jingjifazhan_2022": "heldout", "pingtan_jinjing_2024": "heldout", "pingtan_suping_2025": "heldout"}
TODAY = date(2026, 11, 25)
TARGET = 0.95


def _rows(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


SPLITS = {row["id"]: row["split"] for row in _rows(QUESTIONS)}


@pytest.fixture(scope="module")
def department_db(tmp_path_factory, embedder) -> Path:
    """The six reports (and nothing else) ingested through the real pipeline."""
    from ingest.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("departments")
    store = Store(folder)
    outcomes = ingest_paths([FOLDER / f"{r}.txt" for r in REPORTS], store, NarrativeIndex(folder, embedder))
    assert [(o.path, o.status) for o in outcomes if o.status != "ingested"] == []
    store.close()
    return folder


@pytest.fixture(scope="module")
def result(department_db, embedder) -> Result:
    store = Store(department_db)
    answerer = Answerer(store, Retriever(store, NarrativeIndex(department_db, embedder)), today=TODAY)
    out = run(answerer, load(QUESTIONS))
    store.close()
    print("\n" + accuracy_table(out))
    return out


# ---- what counts as a wrong figure ----


def _same(cited, expected) -> bool:
    if expected is None or cited is None:
        return expected is None and cited is None
    return Decimal(str(cited)).normalize() == Decimal(str(expected)).normalize()


# a count stated in an answer: "8件", "123条", "9116.36万元"
_COUNT = re.compile(r"(?<![\d.])\d+(?:\.\d+)?\s*(?:件|条|个|次|项|万元)")


def wrong_figures(v: Verdict) -> list[str]:
    """Figures the answer gives that differ from the printed ones: an expected cell cited with another value; a cell
    of the same row and column cited from another report instead of the expected one (another agency's or year's
    figure); a count stated from other reports only; or a figure given where the set expects a refusal."""
    answer, e = v.answer, v.question.expect
    if not answer.answered:
        return []
    cited = cell_citations(answer)
    counts = _COUNT.findall(answer.text)
    shape = expectation(v.question.kind, e)
    if shape == "unanswerable":
        out = [f"{a} = {c.value}" for a, c in cited.items() if c.value is not None]
        asks_count = any(w in v.question.conversation[-1] for w in ("多少", "几"))
        return out or ([f"states {', '.join(counts)} for a question no report answers"] if asks_count and counts
                       else [])
    expected = [e] if shape == "figure" else [x for x in e.get("cells", []) if isinstance(x, dict)]
    addresses = {f"{x['report']}/{x['table']}/{x['row']}/{x['column']}" for x in expected}
    out = []
    for x in expected:
        address = f"{x['report']}/{x['table']}/{x['row']}/{x['column']}"
        if address in cited:
            if not _same(cited[address].value, x["value"]):
                out.append(f"{address} = {cited[address].value}, printed {x['value']}")
            continue
        out += [f"{a} = {c.value} given for {x['report']} (printed {x['value']})" for a, c in cited.items()
                if (c.table, c.row, c.column) == (x["table"], x["row"], x["column"]) and a not in addresses
                and c.value is not None]
    wanted = {x["report"] for x in expected}
    if wanted and counts and answer.citations and not wanted & {c.report for c in answer.citations}:
        out.append(f"states {', '.join(counts)} from {sorted({c.report for c in answer.citations})}, "
                   f"asked about {sorted(wanted)}")
    return out


def accuracy_table(result: Result) -> str:
    lines = [f"{'split':<9}{'kind':<14}{'right':>9}{'accuracy':>10}{'wrong fig.':>11}"]
    for split in ("tune", "heldout"):
        for kind in (*KINDS, "all"):
            vs = [v for v in result.verdicts if SPLITS[v.question.id] == split and kind in ("all", v.question.kind)]
            if not vs:
                continue
            right = sum(v.right for v in vs)
            wrong = sum(bool(wrong_figures(v)) for v in vs)
            lines.append(f"{split:<9}{kind:<14}{right:>4}/{len(vs):<4}{right / len(vs):>10.1%}{wrong:>11}")
    return "\n".join(lines)


def _wrong_list(result: Result) -> str:
    return "\n".join(f"{v.question.id} {' → '.join(v.question.conversation)}: {'; '.join(wrong_figures(v))}"
                     for v in result.verdicts if wrong_figures(v))


# ---- the set itself ----


def test_department_set_shape():
    rows = _rows(QUESTIONS)
    questions = load(QUESTIONS)
    assert len(questions) >= 120 and len({q.id for q in questions}) == len(questions)
    assert {r["split"] for r in rows} == {"tune", "heldout"}
    counts = Counter(q.kind for q in questions)
    assert set(counts) == set(KINDS), counts
    for r in rows:
        e = r["expect"]
        named = {e.get("report")}
        named |= {x["report"] if isinstance(x, dict) else x.split("/")[0] for x in e.get("cells", [])}
        if named & set(REPORTS):
            assert r["split"] == ("heldout" if "heldout" in {REPORTS.get(n) for n in named} else "tune"), r["id"]
    for name in REPORTS:
        assert (FOLDER / f"{name}.txt").is_file()


def test_department_rates_shape():
    for r in _rows(RATES):
        assert r["rate"] in ("公开率", "纠错率", "办结率") and r["numerator"] and r["denominator"], r["id"]
        assert r["split"] == REPORTS[r["report"]]
        if r["denominator_value"]:
            assert r["value"] == round(r["numerator_value"] / r["denominator_value"] * 100, 1)
        else:
            assert r["value"] is None


# ---- the answers ----


def test_department_accuracy_meets_target(result):
    for split in ("tune", "heldout"):
        vs = [v for v in result.verdicts if SPLITS[v.question.id] == split]
        assert sum(v.right for v in vs) / len(vs) >= TARGET, "\n" + accuracy_table(result) + "\n" + failures(
            result, verbose=True)


def test_no_department_answer_gives_a_wrong_figure(result):
    """A refusal or a question back beats a wrong number: no answer on either split states a figure that differs
    from the printed cell it should cite, nor one for a question the reports do not answer."""
    assert not _wrong_list(result), "\n" + _wrong_list(result)
