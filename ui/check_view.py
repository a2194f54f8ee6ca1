"""Stored checks (勾稽关系, narrative vs table) → escaped HTML with both sides' numbers, failures first and marked."""

from __future__ import annotations

from collections.abc import Sequence

from core.records import Cell, Check
from ingest.check.rules import KIND_LABELS
from ui.safe import esc
from ui.table_view import fmt

STATUS = {"fail": "✗ 不符", "unknown": "？ 无法判断", "note": "ℹ 说明", "pass": "✓ 一致"}
ORDER = {"fail": 0, "unknown": 1, "note": 2, "pass": 3}
KIND = KIND_LABELS


def status_label(check: Check) -> str:
    """“✗ 不符”; a plausibility check that does not hold is a doubt to look into, not an error of the report."""
    if check.kind == "plausibility" and check.status == "fail":
        return "⚠ 存疑（合理性提示）"
    return STATUS.get(check.status, check.status)


def summary(checks: Sequence[Check]) -> str:
    """“共 12 项核对：10 项一致，1 项不符，1 项无法判断”, and the notes apart (a unit converted exactly)."""
    count = {s: sum(c.status == s for c in checks) for s in ORDER}
    notes = f"，另有 {count['note']} 项说明（不是错误）" if count["note"] else ""
    return (f"共 {len(checks) - count['note']} 项核对：{count['pass']} 项一致，{count['fail']} 项不符，"
            f"{count['unknown']} 项无法判断{notes}")


def _terms(addresses: Sequence[str], cells: dict[str, Cell], rows: bool, columns: bool) -> str:
    """“一、本年新收…（34）+ 二、上年结转…（2）”: each cell by the part of its address that varies."""
    out = []
    for address in addresses:
        cell = cells.get(address)
        if cell is None:
            out.append(address.rsplit("/", 1)[-1])
            continue
        row, column = cell.row.rsplit("/", 1)[-1], cell.column.replace("/", "·")
        name = "｜".join(p for p, keep in ((row, rows), (column, columns)) if keep) or row
        out.append(f"{name}（{fmt(cell.value)}）")
    return " + ".join(out)


def _detail(check: Check, cells: dict[str, Cell]) -> str:
    """Both sides term by term, for a check that does not hold (narrative checks quote the text already)."""
    if check.kind != "identity" or check.status == "pass":
        return ""
    terms = [cells[a] for a in (*check.left_terms, *check.right_terms) if a in cells]
    rows, columns = len({c.row for c in terms}) > 1, len({c.column for c in terms}) > 1
    left = _terms(check.left_terms, cells, rows, columns)
    right = _terms(check.right_terms, cells, rows, columns)
    return f'<div class="terms">左边 = {esc(left)}<br>右边 = {esc(right)}</div>'


def _row(check: Check, cells: dict[str, Cell]) -> str:
    left_name, right_name = ("正文", "表格") if check.kind == "narrative" else ("左边", "右边")
    return (f'<tr class="row-{esc(check.status)}"><td class="status">{esc(status_label(check))}</td>'
            f'<td><div class="kind">{esc(KIND.get(check.kind, check.kind))}</div>{esc(check.description)}'
            f'{_detail(check, cells)}</td>'
            f'<td class="num"><span class="side">{left_name}</span>{esc(fmt(check.left))}</td>'
            f'<td class="num"><span class="side">{right_name}</span>{esc(fmt(check.right))}</td></tr>')


def checks_html(checks: Sequence[Check], cells: Sequence[Cell]) -> str:
    """Checks in one table, failures first, then undecided, then the ones that hold."""
    if not checks:
        return '<p class="empty">没有需要列出的核对项目。</p>'
    by_address = {c.address: c for c in cells}
    rows = "".join(_row(c, by_address) for c in sorted(checks, key=lambda c: ORDER.get(c.status, 1)))
    return ('<div class="scroll"><table class="checks"><thead><tr><th>结果</th><th>核对内容</th>'
            f"<th>左边／正文</th><th>右边／表格</th></tr></thead><tbody>{rows}</tbody></table></div>")
