"""Stored cells → the standard tables as escaped HTML laid out as printed (multi-level headers), and as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from itertools import groupby

import streamlit as st

from core.records import Cell
from core.template import TABLE_2_2019, TABLES
from ui.safe import esc

UNKNOWN = "无法确定"
ROW_SEP = " › "


def fmt(value: float | int | None) -> str:
    """A stored number as printed: 12, 3.5; None → 无法确定."""
    if value is None:
        return UNKNOWN
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def label(path: str, sep: str = ROW_SEP) -> str:
    """A row or column path for people: "一、…/（三）不予公开" → "一、… › （三）不予公开"."""
    return sep.join(p for p in path.split("/") if p)


def header_rows(columns: Sequence[str]) -> list[list[tuple[str, int, int]]]:
    """Column paths → header rows of (text, colspan, rowspan), merging shared prefixes as the report prints them."""
    parts = [tuple(c.split("/")) for c in columns]
    depth = max((len(p) for p in parts), default=1)
    rows: list[list[tuple[str, int, int]]] = []
    for level in range(depth):
        row, i = [], 0
        while i < len(parts):
            p = parts[i]
            if len(p) <= level:  # covered by a leaf's rowspan above
                i += 1
            elif len(p) == level + 1:  # a leaf: fill the remaining header depth
                row.append((p[level], 1, depth - level))
                i += 1
            else:
                j = i
                while j < len(parts) and len(parts[j]) > level + 1 and parts[j][: level + 1] == p[: level + 1]:
                    j += 1
                row.append((p[level], j - i, 1))
                i = j
        rows.append(row)
    return rows


def thead(columns: Sequence[str], corner: str = "项目") -> str:
    rows = header_rows(columns)
    out = []
    for n, row in enumerate(rows):
        cells = [f'<th rowspan="{len(rows)}" class="corner">{esc(corner)}</th>'] if n == 0 else []
        cells += [f'<th colspan="{c}" rowspan="{r}">{esc(text)}</th>' for text, c, r in row]
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(out)


def value_td(cell: Cell | None, hit: bool = False) -> str:
    """One value cell; an unknown value says so, with the reason as a tooltip; the cited one is marked."""
    if cell is None:
        return "<td></td>"
    text = esc(fmt(cell.value))
    if cell.value is None:
        text = f'<span class="unknown" title="{esc(cell.note)}">{text}</span>'
    if hit:
        return f'<td class="hit"><mark>{text}</mark></td>'
    return f"<td>{text}</td>"


def _printed_order(table: str) -> tuple[dict[str, int], dict[str, int]]:
    """Row and column positions in the national layout (2021, then the 2019 table 二), as the report prints them."""
    layouts = [t for t in (TABLES.get(table), TABLE_2_2019 if table == "二" else None) if t]
    rows = [r for t in layouts for r in t.rows]
    columns = [c for r in rows for c in r.columns]
    return _first_at(r.path for r in rows), _first_at(columns)


def _first_at(items: Iterable[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, item in enumerate(items):
        out.setdefault(item, i)
    return out


def _rows_in_order(cells: Iterable[Cell]) -> dict[str, dict[str, Cell]]:
    """Row path → column path → cell, in the layout's order (rows the layout lacks keep their stored order)."""
    cells = list(cells)
    if not cells:
        return {}
    row_at, col_at = _printed_order(cells[0].table)
    stored = _first_at(c.row for c in cells)
    out: dict[str, dict[str, Cell]] = {}
    for c in sorted(cells, key=lambda c: (row_at.get(c.row, len(row_at) + stored[c.row]),
                                          col_at.get(c.column, len(col_at)))):
        out.setdefault(c.row, {})[c.column] = c
    return out


def _body(rows: dict[str, dict[str, Cell]], columns: Sequence[str], shown: set[str]) -> str:
    """Value rows, each preceded by the group headings it opens (indented by depth)."""
    out = []
    for path, by_column in rows.items():
        parts = path.split("/")
        for depth in range(len(parts) - 1):
            group = "/".join(parts[: depth + 1])
            if group not in shown:
                shown.add(group)
                out.append(f'<tr class="group"><th class="d{depth}" colspan="{len(columns) + 1}">'
                           f"{esc(parts[depth])}</th></tr>")
        shown.add(path)
        tds = "".join(value_td(by_column.get(c)) for c in columns)
        name = "数量" if len(rows) == 1 and len(parts) == 1 else parts[-1]  # 表四: one row named as the table
        out.append(f'<tr><th class="d{len(parts) - 1}">{esc(name)}</th>{tds}</tr>')
    return "".join(out)


def table_html(cells: Sequence[Cell], table: str) -> str:
    """One standard table of one report; rows sharing their columns share one header, as in the report."""
    rows = _rows_in_order(c for c in cells if c.table == table)
    if not rows:
        return '<p class="empty">本报告中未识别出此表。</p>'
    corner = "信息内容" if table == "二" else "项目"
    shown: set[str] = set()
    blocks = []
    for columns, group in groupby(rows.items(), key=lambda item: tuple(item[1])):
        body = _body(dict(group), columns, shown)
        blocks.append(f'<table class="report-table"><thead>{thead(columns, corner)}</thead>'
                      f"<tbody>{body}</tbody></table>")
    shown_cells = [c for by_column in rows.values() for c in by_column.values()]
    return f'<div class="scroll">{"".join(blocks)}</div>{units_note(cells, table)}{unknown_note(shown_cells)}'


def unknown_note(cells: Iterable[Cell]) -> str:
    """Why each 无法确定 is unknown, in words (a tooltip alone is out of reach on a phone)."""
    lines = [f"{label(c.row)}｜{label(c.column)}：{c.note or '原表无法确定此数'}" for c in cells if c.value is None]
    return "".join(f'<p class="units unknown-why">{UNKNOWN}：{esc(line)}</p>' for line in lines)


def units_note(cells: Sequence[Cell], table: str) -> str:
    """“单位：件；行政事业性收费：万元” for the rows of one table."""
    units: dict[str, list[str]] = {}
    for c in cells:
        if c.table == table:
            names = units.setdefault(c.unit, [])
            leaf = c.row.rsplit("/", 1)[-1]
            if leaf not in names:
                names.append(leaf)
    if not units:
        return ""
    main = max(units, key=lambda u: len(units[u]))
    parts = [f"单位：{main}"] + [f"{'、'.join(rows)}：{u}" for u, rows in units.items() if u != main]
    return f'<p class="units">{esc("；".join(parts))}</p>'


def title(table: str) -> str:
    t = TABLES.get(table)
    return f"表{table} {t.title}" if t else f"表{table}"


def table_csv(cells: Sequence[Cell], table: str) -> str:
    """The table as a spreadsheet: one line per row path, one column per column path; unknown = 无法确定."""
    rows = _rows_in_order(c for c in cells if c.table == table)
    columns = list(dict.fromkeys(col for by_column in rows.values() for col in by_column))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["行", *columns, "单位"])
    for path, by_column in rows.items():
        values = [fmt(by_column[c].value) if c in by_column else "" for c in columns]
        writer.writerow([path, *values, next(iter(by_column.values())).unit])
    return out.getvalue()


def cells_csv(cells: Sequence[Cell]) -> str:
    """Every cell of a report, one per line, with unit and the reason a value is unknown."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["report", "table", "row", "column", "value", "unit", "note"])
    for c in cells:
        writer.writerow([c.report, c.table, c.row, c.column, "" if c.value is None else fmt(c.value), c.unit, c.note])
    return out.getvalue()


def csv_download(label: str, build: Callable[[], bytes], long: bool, **kwargs) -> None:
    """A CSV download button; a long file is written only when the button is clicked, not with every page run."""
    st.download_button(label, build if long else build(), mime="text/csv", on_click="ignore", **kwargs)
