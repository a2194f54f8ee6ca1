"""Command line: `python -m ingest PATH...`, `… export`, `… remove ID`, `… password` (the staff password's hash),
`… warm` (the vector index loaded before replicas take traffic)."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from core.errors import ReportError
from core.settings import setting

EXPORT_FIELDS = ("report", "table", "row", "column", "value", "unit")


def _ingest(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Ingest 政府信息公开工作年度报告 files (.txt .md .html .htm .pdf .docx) or folders of them. "
        "Also: `python -m ingest export --help`, `… remove --help`, `… password --help`, `… warm --help`.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders")
    parser.add_argument("--db", default=None, help="database folder (default: REPORTS_DB)")
    parser.add_argument("--json", action="store_true", help="print one JSON object per file instead of text")
    parser.add_argument("--source-url", default="", metavar="URL",
                        help="the government web page the report was published on (one file only)")
    parser.add_argument("--workers", type=int, default=1, metavar="N",
                        help="worker processes that read, parse and embed while this one writes (default 1)")
    args = parser.parse_args(argv)
    if args.workers < 1:
        raise ReportError(f"--workers {args.workers}: at least 1 is needed")

    from tqdm import tqdm

    from ingest.index.embed import get_embedder
    from ingest.index.vectors import NarrativeIndex, writer_lock
    from ingest.pipeline import expand, ingest_paths
    from store import open_store

    files = expand(args.paths)
    if not files:
        print(f"nothing to ingest in {' '.join(args.paths)} (supported: .txt .md .html .htm .pdf .docx)",
              file=sys.stderr)
        return 1
    if args.source_url and len(files) > 1:
        raise ReportError(f"--source-url names one report's page, but {len(files)} files were given",
                          "ingest the files one at a time, each with its own --source-url")
    _show_pages()
    folder = args.db or setting("REPORTS_DB")
    store = open_store(folder)
    bar = (lambda it: tqdm(it, total=len(files), unit="file", file=sys.stderr)) if len(files) > 3 else iter
    with writer_lock(folder, on_wait=_waiting):
        index = NarrativeIndex(folder, get_embedder(setting("EMBEDDING_MODEL")))
        outcomes = ingest_paths(files, store, index, progress=bar, url=args.source_url, workers=args.workers,
                                folder=folder)
    for o in outcomes:
        if args.json:
            print(json.dumps(o.as_dict(), ensure_ascii=False))
        else:
            print(o.line(), file=sys.stderr if o.status == "failed" else sys.stdout)
            for f in o.findings:
                print(f"    {f}")
    return 1 if any(o.status == "failed" for o in outcomes) else 0


def _show_pages() -> None:
    """Progress of a scan's OCR, one line per page on stderr (the reader logs it)."""
    import logging

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    pages = logging.getLogger("ingest.read.scan_pdf")
    pages.addHandler(handler)
    pages.setLevel(logging.INFO)


def _export(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest export",
                                     description="Print every stored cell: one JSON object per line, or CSV.")
    parser.add_argument("--db", default=None, help="database folder (default: REPORTS_DB)")
    parser.add_argument("--report", default=None, help="only this report id")
    parser.add_argument("--csv", action="store_true", help="CSV with a header row, for spreadsheets")
    parser.add_argument("--reports", action="store_true",
                        help="one line per report with its provenance (file, sha256, size, format, who, when, URL)")
    args = parser.parse_args(argv)

    from store import open_store

    store = open_store(args.db or setting("REPORTS_DB"))
    if args.report and not store.report(args.report):
        raise ReportError(f"no report with id {args.report!r}", "list ids with `python -m ingest export --reports`")
    if args.reports:
        return _export_reports(store, args.report, args.csv)
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


def _export_reports(store, report_id: str | None, as_csv: bool) -> int:
    from store.audit import PROVENANCE_FIELDS, provenance

    rows = [provenance(r) for r in store.reports() if report_id in (None, r.id)]
    if as_csv:
        writer = csv.DictWriter(sys.stdout, PROVENANCE_FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    for row in [] if as_csv else rows:
        print(json.dumps(row, ensure_ascii=False))
    return 0


def _remove(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest remove",
                                     description="Remove reports from the store and the search index, audited "
                                     "as done by \"cli\". Ids as in `python -m ingest export --reports`.")
    parser.add_argument("ids", nargs="+", metavar="ID", help="report id, e.g. liuyang_2023")
    parser.add_argument("--db", default=None, help="database folder (default: REPORTS_DB)")
    args = parser.parse_args(argv)

    from ingest.index.embed import get_embedder
    from ingest.index.vectors import NarrativeIndex, writer_lock
    from ingest.remove import remove_report
    from store import open_store

    _show_pages()
    folder = args.db or setting("REPORTS_DB")
    store = open_store(folder)
    failed = 0
    with writer_lock(folder, on_wait=_waiting):
        index = NarrativeIndex(folder, get_embedder(setting("EMBEDDING_MODEL")))
        for rid in args.ids:
            try:
                gone = remove_report(rid, store, index)
                print(f"{gone.id}  {gone.agency}  {gone.year or '年份不详'}  removed ({gone.source}, "
                      f"sha256 {gone.sha256})")
            except ReportError as e:
                print(f"FAILED {rid}: {e}", file=sys.stderr)
                failed += 1
    return 1 if failed else 0


def _waiting() -> None:
    print("another ingest is writing to this folder's index; waiting for it to finish…", file=sys.stderr)


def _password(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest password",
                                     description="Read a staff password (typed twice, or one line on standard input) "
                                     "and print the hash to set as STAFF_PASSWORD_HASH. The password is not stored.")
    parser.parse_args(argv)
    import getpass

    from ui.staff.passwords import MIN_LENGTH, hash_password

    if sys.stdin.isatty():
        password = getpass.getpass("staff password: ")
        if getpass.getpass("again: ") != password:
            raise ReportError("the two passwords differ", "run the command again")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < MIN_LENGTH:
        raise ReportError(f"the password is shorter than {MIN_LENGTH} characters", "choose a longer one")
    print(hash_password(password))
    return 0


def _warm(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m ingest warm",
                                     description="Run one search against the vector index (the Chroma server of "
                                     "CHROMA_URL, or the embedded one) so it loads its index before replicas take "
                                     "traffic; prints how long that took and how many chunks are indexed.")
    parser.add_argument("--db", default=None, help="database folder (default: REPORTS_DB)")
    args = parser.parse_args(argv)
    import time

    from ingest.index.embed import get_embedder
    from ingest.index.vectors import NarrativeIndex

    start = time.perf_counter()
    index = NarrativeIndex(args.db or setting("REPORTS_DB"), get_embedder(setting("EMBEDDING_MODEL")))
    index.search("政府信息公开申请办理情况", k=1)  # the server reads the collection's index on its first query
    print(f"index warm: {index.count()} chunks, first search after {time.perf_counter() - start:.1f} s")
    return 0


COMMANDS = {"export": _export, "remove": _remove, "password": _password, "warm": _warm}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        command = COMMANDS.get(argv[0]) if argv else None
        return command(argv[1:]) if command else _ingest(argv)
    except ReportError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
