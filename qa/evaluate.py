"""The question set → answers from the real Answerer → accuracy per kind, the failures, and whether targets are met.

`python -m qa.evaluate [--db DIR] [--questions FILE] [--kind KIND] [--verbose]`: without --db the bundled samples
are ingested into a temporary folder first (real pipeline, SQLite, Chroma, embedder). Exits 1 below a target.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from core.records import Answer
from core.settings import ROOT
from qa.judge import judge, unsupported

QUESTIONS = ROOT / "tests" / "questions.jsonl"
KINDS = ("figure", "derived", "narrative", "check", "multi", "followup", "unanswerable")
# Share of questions of a kind that must be right; kinds not listed are reported, not gated.
TARGETS = {"figure": 1.0, "derived": 1.0, "narrative": 0.95, "unanswerable": 0.95}


@dataclass(frozen=True)
class Question:
    """One line of questions.jsonl: a conversation whose last question is judged."""

    id: str
    kind: str  # one of KINDS
    conversation: tuple[str, ...]
    expect: Mapping = field(default_factory=dict)

    @classmethod
    def from_json(cls, row: dict) -> Question:
        if row["kind"] not in KINDS or not row["conversation"]:
            raise ValueError(f"bad question {row.get('id')!r}: kind {row['kind']!r}, {row['conversation']!r}")
        return cls(row["id"], row["kind"], tuple(row["conversation"]), row["expect"])


@dataclass(frozen=True)
class Verdict:
    question: Question
    answer: Answer
    right: bool
    why: str  # what was wrong ("" when right)
    unsupported: tuple[str, ...]  # numbers in the answer that no citation holds
    seconds: float  # time to answer the last question


@dataclass(frozen=True)
class Result:
    verdicts: tuple[Verdict, ...]

    def of(self, kind: str) -> list[Verdict]:
        return [v for v in self.verdicts if v.question.kind == kind]

    def accuracy(self, kind: str) -> float:
        vs = self.of(kind)
        return sum(v.right for v in vs) / len(vs) if vs else 1.0

    def shortfalls(self) -> list[str]:
        """Every target missed, as a line; empty when all are met."""
        out = [f"{k}: {self.accuracy(k):.1%} right, target {t:.0%}" for k, t in TARGETS.items()
               if self.of(k) and self.accuracy(k) < t]
        bad = [v for v in self.verdicts if v.unsupported]
        if bad:
            out.append(f"{len(bad)} answers state figures no citation holds")
        return out


def load(path: Path | str = QUESTIONS) -> list[Question]:
    with open(path, encoding="utf-8") as f:
        return [Question.from_json(json.loads(line)) for line in f if line.strip()]


def run(answerer, questions: list[Question]) -> Result:
    """Ask each conversation afresh through `answerer` (qa.answer.Answerer) and judge its last answer."""
    out = []
    for q in questions:
        state = None
        for turn in q.conversation[:-1]:
            _, state = answerer.ask(turn, state)
        start = time.perf_counter()
        answer, _ = answerer.ask(q.conversation[-1], state)
        seconds = time.perf_counter() - start
        right, why = judge(q.kind, q.expect, answer)
        out.append(Verdict(q, answer, right, why, tuple(unsupported(answer)), seconds))
    return Result(tuple(out))


def table(result: Result) -> str:
    """Accuracy and answer time per kind, as aligned text."""
    lines = [f"{'kind':<13}{'right':>9}{'accuracy':>10}{'target':>8}{'median ms':>11}"]
    for kind in KINDS:
        vs = result.of(kind)
        if not vs:
            continue
        target = f"{TARGETS[kind]:.0%}" if kind in TARGETS else "-"
        ms = statistics.median(v.seconds for v in vs) * 1000
        lines.append(f"{kind:<13}{sum(v.right for v in vs):>4}/{len(vs):<4}{result.accuracy(kind):>10.1%}"
                     f"{target:>8}{ms:>11.1f}")
    lines.append(f"answers with unsupported figures: {sum(bool(v.unsupported) for v in result.verdicts)}")
    return "\n".join(lines)


def failures(result: Result, verbose: bool = False) -> str:
    lines = []
    for v in result.verdicts:
        if v.right and not v.unsupported:
            continue
        what = v.why if not v.right else f"unsupported figures {list(v.unsupported)}"
        lines.append(f"FAIL {v.question.id} {' → '.join(v.question.conversation)}\n     {what}")
        if verbose:
            lines.append("     answer: " + v.answer.text.replace("\n", " / ")[:300])
    return "\n".join(lines)


def answerer(folder: Path, ingest_samples: bool = False):
    """An Answerer over the database in `folder` (real store, index and embedder); optionally ingest the samples
    into it first, through the real pipeline."""
    from core.settings import setting
    from ingest.index.embed import get_embedder
    from ingest.index.vectors import NarrativeIndex
    from ingest.pipeline import ingest_paths
    from qa.answer import Answerer
    from qa.retrieve import Retriever
    from store import Store

    store = Store(folder)
    index = NarrativeIndex(folder, get_embedder(setting("EMBEDDING_MODEL") or None))
    if ingest_samples:
        ingest_paths(sorted(Path(setting("SAMPLES_DIR")).glob("*.txt")), store, index)
    return Answerer(store, Retriever(store, index))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qa.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None, help="an ingested database folder (default: ingest the samples afresh)")
    parser.add_argument("--questions", default=str(QUESTIONS), help="question set (JSON lines)")
    parser.add_argument("--kind", choices=KINDS, action="append", help="only these kinds (repeatable)")
    parser.add_argument("--verbose", action="store_true", help="show each failing answer's text")
    args = parser.parse_args(argv)
    questions = [q for q in load(args.questions) if not args.kind or q.kind in args.kind]
    with tempfile.TemporaryDirectory(prefix="qa-eval-") as tmp:
        qa = answerer(Path(args.db)) if args.db else answerer(Path(tmp), ingest_samples=True)
        result = run(qa, questions)
        qa.store.close()
    report = failures(result, args.verbose)
    print(table(result))
    if report:
        print(report)
    missed = result.shortfalls()
    for line in missed:
        print(f"BELOW TARGET: {line}", file=sys.stderr)
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
