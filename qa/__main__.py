"""Command line: `python -m qa ask --db DIR [--json] [--batch FILE] QUESTION...` — one conversation per call or line;
`python -m qa warm --db DIR` — the store's catalog snapshot brought up to date, so that a new process starts on it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core.errors import ReportError
from core.records import Answer, Citation
from core.settings import setting


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m qa", description="Ask questions about ingested reports.")
    sub = parser.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer questions (one conversation, in order)",
                         description="Answer questions; the questions given form one conversation, in order.")
    ask.add_argument("questions", nargs="*", metavar="QUESTION", help="questions, in conversation order")
    ask.add_argument("--db", default=None, help="database folder (default: REPORTS_DB)")
    ask.add_argument("--json", action="store_true", help="one JSON object per question per line")
    ask.add_argument("--batch", metavar="FILE", default=None,
                     help="one conversation per line, as a JSON array of questions; each starts fresh")
    warm = sub.add_parser("warm", help="save the agency catalog's snapshot (after a batch, before replicas start)")
    warm.add_argument("--db", default=None, help="database folder (default: REPORTS_DB)")
    return parser


def _store(folder: str | None):
    from store import open_store

    folder = folder or setting("REPORTS_DB")
    if not setting("DATABASE_URL") and not (Path(folder) / "reports.sqlite3").exists():
        raise ReportError(f"no database in {folder}", f"ingest reports first: python -m ingest PATH --db {folder}")
    return open_store(folder), folder


def _retriever(store, folder: str):
    """Narrative retrieval, built on the first narrative question (loading the embedder takes a while)."""
    from qa.answer import LazyRetriever

    def build():
        from ingest.index.embed import get_embedder
        from ingest.index.vectors import NarrativeIndex
        from qa.retrieve import Retriever

        return Retriever(store, NarrativeIndex(folder, get_embedder(setting("EMBEDDING_MODEL") or None)))

    return LazyRetriever(build)


def _conversations(args) -> list[list[str]]:
    if not args.batch:
        if not args.questions:
            raise ReportError("no question given", "pass QUESTION... or --batch FILE")
        return [args.questions]
    out = []
    lines = Path(args.batch).read_text(encoding="utf-8-sig").splitlines()
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as e:
            raise ReportError(f"line {number} is not JSON ({e.msg})", "write one JSON array of questions per line",
                              args.batch) from None
        item = [item] if isinstance(item, str) else item
        if not isinstance(item, list) or not all(isinstance(q, str) for q in item):
            raise ReportError(f"line {number} is not a list of questions", 'e.g. ["2023年新收了多少件申请？"]',
                              args.batch)
        out.append(item)
    return out


def _cite(c: Citation) -> str:
    if c.type == "cell":
        value = "无法确定（" + c.note + "）" if c.value is None else f"{c.value}{c.unit}"
        return f"{c.report} 表{c.table} {c.row} | {c.column} = {value}"
    return f"{c.report} {c.section} 第{c.paragraph}段：“{c.quote or c.text}”"


def _show(answer: Answer, as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer.as_dict(), ensure_ascii=False), flush=True)
        return
    print(f"问：{answer.question}\n答：{answer.text}")
    for i, c in enumerate(answer.citations, 1):
        print(f"  [{i}] {_cite(c)}")
    if answer.notice:
        print(f"  （{answer.notice}）")
    print(flush=True)


def ask(args) -> int:
    from qa.answer import Answerer, Session
    from qa.llm import from_settings

    conversations = _conversations(args)
    store, folder = _store(args.db)
    phraser, notice = from_settings()
    if notice:
        print(notice, file=sys.stderr)
    answerer = Answerer(store, _retriever(store, folder), phraser)
    for questions in conversations:
        session = Session(answerer)
        for q in questions:
            _show(session.ask(q), args.json)
    return 0


def warm(args) -> int:
    """Read the catalog (the snapshot brought forward, or every report) and save it as the store's snapshot."""
    import time

    from qa.scope import save_catalog

    store, _ = _store(args.db)
    start = time.perf_counter()
    catalog = save_catalog(store)
    print(f"catalog of {len(catalog.reports)} reports ({len(catalog.agencies)} agencies) saved at generation "
          f"{catalog.generation} in {time.perf_counter() - start:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return warm(args) if args.command == "warm" else ask(args)
    except ReportError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
