"""Command line: `python -m ingest PATH... [--db DIR] [--json]` and `python -m ingest export --db DIR`."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from .errors import ReportError
from .settings import setting

EXPORT_FIELDS = ("report", "table", "row", "column", "value", "unit")


def _ingest(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Ingest 政府信息公开工作年度报告 files (.txt .md .html .htm .pdf .docx) or folders of them. "
        "Also: `python -m ingest export --help`.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders")
    parser.add_argument("--db", default=None, help="database folder (default: REPORTS_DB)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per file instead of text")
    args = parser.parse_args(argv)

    from tqdm import tqdm

    from .embed import get_embedder
    from .index import NarrativeIndex
    from .pipeline import expand, ingest_paths
    from .store import open_store

    folder = args.db or setting("REPORTS_DB")
    store = open_store(folder)
    index = NarrativeIndex(folder, get_embedder(setting("EMBEDDING_MODEL")))
    files = expand(args.paths)
    if not files:
        print(f"nothing to ingest in {' '.join(args.paths)} (supported: .txt .md .html .htm .pdf .docx)",
              file=sys.stderr)
        return 1
    bar = (lambda it: tqdm(it, total=len(files), unit="file", file=sys.stderr)) if len(files) > 3 else iter
    outcomes = ingest_paths(files, store, index, progress=bar)
    for o in outcomes:
        if args.json:
            print(json.dumps(o.as_dict(), ensure_ascii=False))
        else:
            print(o.line(), file=sys.stderr if o.status == "failed" else sys.stdout)
            for f in o.findings:
                print(f"    {f}")
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def _export(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest export",
                                     description="Print every stored cell: one JSON object per line, or CSV.")
    parser.add_argument("--db", default=None, help="database folder (default: REPORTS_DB)")
    parser.add_argument("--report", default=None, help="only this report id")
    parser.add_argument("--csv", action="store_true", help="CSV with a header row, for spreadsheets")
    args = parser.parse_args(argv)

    from .store import open_store

    store = open_store(args.db or setting("REPORTS_DB"))
    if args.report and not store.report(args.report):
        raise ReportError(f"no report with id {args.report!r}", "list ids with `python -m ingest export`")
    writer = csv.writer(sys.stdout) if args.csv else None
    if writer:
        writer.writerow([*EXPORT_FIELDS, "note"])
    for c in store.cells(report=args.report):
        row = {"report": c.report, "table": c.table, "row": c.row, "column": c.column, "value": c.value,
               "unit": c.unit}
        if c.value is None:
            row["note"] = c.note  # why the value is unknown
        if writer:
            writer.writerow([*(row[k] if row[k] is not None else "" for k in EXPORT_FIELDS), c.note])
        else:
            print(json.dumps(row, ensure_ascii=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        return _export(argv[1:]) if argv[:1] == ["export"] else _ingest(argv)
    except ReportError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
