"""A report id → the report gone from the store and the vector index together, with an audit entry."""

from __future__ import annotations

from core.errors import ReportError
from core.records import Report
from ingest.check.across_years import recheck
from ingest.index.vectors import NarrativeIndex
from store import Store, audit


def remove_report(report_id: str, store: Store, index: NarrativeIndex, by: str = audit.CLI) -> Report:
    """Remove one report (its paragraphs, cells, checks, findings and vectors); returns what was removed.

    The store goes first, with its audit entry in the same transaction: answers cite only what the store holds
    (the lexical index follows the store's reports), so from that moment nothing of the report can answer. The
    vectors go next; should that fail, removing the id again takes them."""
    old = store.report(report_id)
    if old is None:
        index.delete_report(report_id)  # vectors a half-done removal may have left
        raise ReportError(f"没有编号为 {report_id!r} 的报告", "用 `python -m ingest export --reports` 列出已收录的报告")
    store.delete_report(report_id, audit.change(by, old, None))
    recheck(store, old.agency)  # the next year's carry-over check loses its counterpart
    index.delete_report(report_id)
    return old
