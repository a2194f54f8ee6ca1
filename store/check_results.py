"""Checks and findings ⇄ their rows: identities shared by every report, results per report, the open ones listed."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from core.records import Check, Finding, Report
from store.dialect import _number
from store.dictionary import InternMixin
from store.schema import REPORT_COLUMNS, SchemaMixin

# Check kinds whose description quotes the report's own text (a sentence, a printed amount): kept per report.
QUOTING_KINDS = ("narrative", "conflict", "unit")
_CHECK_FROM = " FROM check_results c JOIN check_identities i ON i.id = c.identity"
_CHECK_COLUMNS = ("c.report, i.name, i.kind, COALESCE(c.description, i.description), c.lhs, c.rhs, "
                  "COALESCE(c.terms, i.terms), c.status" + _CHECK_FROM)


def _relative(report: str, term: str) -> str | list[str]:
    """A term as stored: an address inside the check's own report as [rest] (the report itself as []), so
    reports share it; anything else (another report's address, a quote) as the string it is."""
    if term == report:
        return []
    return [term[len(report) + 1:]] if term.startswith(report + "/") else term


def _absolute(report: str, term: str | list[str]) -> str:
    if isinstance(term, str):
        return term
    return f"{report}/{term[0]}" if term else report


def _check_parts(c: Check) -> tuple[tuple, tuple]:
    """(name, kind, description, terms) shared by every report, and (description, terms) of this report only
    (None where the shared ones hold): a description that quotes the report or names a report stays its own,
    and so do terms naming another report."""
    terms = [[_relative(c.report, t) for t in c.left_terms], [_relative(c.report, t) for t in c.right_terms]]
    named = {t.split("/", 1)[0] for side in terms for t in side if isinstance(t, str)} | {c.report}
    encoded = json.dumps(terms, ensure_ascii=False)
    own_terms = encoded if any(isinstance(t, str) for side in terms for t in side) else None
    own_text = c.description if c.kind in QUOTING_KINDS or any(n and n in c.description for n in named) else None
    shared = (c.name, c.kind, None if own_text is not None else c.description, None if own_terms else encoded)
    return shared, (own_text, own_terms)


def _check(r: tuple) -> Check:
    left, right = json.loads(r[6])
    return Check(r[0], r[1], r[2], r[3], _number(r[4]), _number(r[5]), tuple(_absolute(r[0], t) for t in left),
                 tuple(_absolute(r[0], t) for t in right), r[7])


class ChecksMixin(InternMixin, SchemaMixin):
    """A report's checks and findings written and read; the open checks of the whole store listed and counted."""

    def replace_checks(self, report: str, kinds: Iterable[str], checks: list[Check]) -> None:
        """Replace a report's checks of some kinds (the cross-year ones, recomputed when a neighbour changes)."""
        kinds = tuple(kinds)
        with self._transaction() as cur:
            cur.execute(self._sql("DELETE FROM check_results WHERE report = ? AND identity IN (SELECT id FROM "
                                  f"check_identities WHERE kind IN ({', '.join('?' * len(kinds))}))"),
                        (report, *kinds))
            fresh = self._write_checks(cur, checks)
            self._count(cur)
        self._remember(fresh)

    def _write_checks(self, cur, checks: list[Check]) -> set[tuple[str, tuple, int]]:
        """Checks as (report, identity id, sides, status); the description and terms go with the identity when
        every report may share them, else stay in the report's row (quotes, other reports' addresses)."""
        rows = [_check_parts(c) for c in checks]
        ids, fresh = self._intern(cur, "check_identities", "name, kind, description, terms",
                                  [shared for shared, _ in rows])
        self._insert(cur, "check_results", [(c.report, ids[shared], c.left, c.right, c.status, *own)
                                            for c, (shared, own) in zip(checks, rows, strict=True)])
        return fresh

    def checks(self, report: str | None = None, status: str | None = None) -> list[Check]:
        where, args = self._where(**{"c.report": report, "c.status": status})
        rows = self._rows(f"SELECT {_CHECK_COLUMNS}{where} ORDER BY c.report, i.kind, i.name", args)
        return [_check(r) for r in rows]

    def findings(self, report: str | None = None) -> list[Finding]:
        where, args = self._where(report=report)
        rows = self._rows(f"SELECT report, place, message FROM findings{where} ORDER BY report, position", args)
        return [Finding(*r) for r in rows]

    def problems(self, agency: str | None = None, year: int | None = None, kind: str | None = None,
                 reports: Sequence[str] | None = None, limit: int | None = None,
                 status: str | None = None) -> list[tuple[Report, Check]]:
        """Every check across the store that failed or could not be decided, and the notes for staff, with its
        report: failures first (plausibility warnings after them), then undecided, then notes; filtered by agency,
        year, check kind, report ids and status; the first `limit` of them (a page draws 200 of a province's)."""
        where, args = self._open_where(agency, year, kind, reports, status)
        cols = ", ".join(f"r.{c.strip()}" for c in REPORT_COLUMNS.split(","))
        text = self._code_points
        rows = self._rows(f"SELECT {cols}, {_CHECK_COLUMNS}{where} ORDER BY "
                          "CASE c.status WHEN 'fail' THEN 0 WHEN 'note' THEN 4 ELSE 2 END + CASE i.kind "
                          f"WHEN 'plausibility' THEN 1 ELSE 0 END, r.agency{text}, COALESCE(r.year, 0), r.id{text}, "
                          f"i.name{text}" + (" LIMIT ?" if limit is not None else ""),
                          [*args, *([limit] if limit is not None else [])])
        n = len(REPORT_COLUMNS.split(","))
        return [(Report(*r[:n]), _check(r[n:])) for r in rows]

    def problem_tally(self, agency: str | None = None, year: int | None = None, kind: str | None = None,
                      reports: Sequence[str] | None = None) -> dict[str, int]:
        """Open checks under the filters of `problems`, by what they are: "fail", "warn" (a plausibility check
        that does not hold), "unknown" (undecidable) and "note" (shown to staff, not a failure)."""
        where, args = self._open_where(agency, year, kind, reports)
        return {s: int(n) for s, n in self._rows(
            "SELECT CASE WHEN c.status = 'fail' AND i.kind = 'plausibility' THEN 'warn' ELSE c.status END, "
            f"COUNT(*){_CHECK_FROM}{where} GROUP BY 1", args)}

    def problem_counts(self, agency: str | None = None, year: int | None = None, kind: str | None = None,
                       reports: Sequence[str] | None = None) -> tuple[int, int]:
        """(open checks, of which failed and not plausibility warnings) under the filters of `problems`."""
        tally = self.problem_tally(agency, year, kind, reports)
        return sum(tally.values()), tally.get("fail", 0)

    def _open_where(self, agency: str | None, year: int | None, kind: str | None,
                    reports: Sequence[str] | None, status: str | None = None) -> tuple[str, list]:
        """The join with the reports and the conditions after `_CHECK_FROM` that pick open checks by filter."""
        where, args = self._where(**{"r.agency": agency, "r.year": year, "i.kind": kind, "c.status": status})
        if reports is not None:
            within, ids = self._within("c.report", reports)
            where += f"{' AND' if where else ' WHERE'} {within}"
            args.append(ids)
        return f" JOIN reports r ON r.id = c.report{where}{' AND' if where else ' WHERE'} c.status != 'pass'", args

    def open_reports(self, reports: Sequence[str]) -> dict[str, bool]:
        """Which of these reports have a check that failed or could not be decided: {report id: any failed}. Notes
        (a unit converted exactly) are no problem of a report."""
        within, ids = self._within("report", reports)
        return {r: bool(failed) for r, failed in self._rows(
            "SELECT report, MAX(CASE WHEN status = 'fail' THEN 1 ELSE 0 END) FROM check_results "
            f"WHERE status != 'pass' AND status != 'note' AND {within} GROUP BY report", [ids])}
