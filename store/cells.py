"""Cells ⇄ `cell_tables`: a report's table as one row of key ids, values and printed texts (schema.CELL_TABLES)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from core.errors import ReportError
from core.records import Cell
from store.dictionary import InternMixin


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _pick(packed: str, wanted: set[int]) -> list[tuple[int, object, int]]:
    """(key id, value, text number) of the wanted keys in a `cells` column, in printed order. A ranking reads one
    cell of every report: splitting the three flat lists of numbers (what `_json` wrote: no strings, never empty)
    is ~3× faster than parsing them."""
    at, values, printed = (part.split(",") for part in packed[2:-2].split("],["))
    found = sorted(at.index(k) for k in map(str, wanted) if k in at)
    return [(int(at[i]), json.loads(values[i]), int(printed[i])) for i in found]


def _whole(value):
    """A value read back from JSON as the database columns gave it: int when whole."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


class CellsMixin(InternMixin):
    """Writing a report's cells and reading them back, by report and table or across reports."""

    _key_of: dict[int, tuple[str, str, str, str]]  # cell key id → (table, row path, column path, unit), as read

    def cells(self, report: str | None = None, table: str | None = None, row: str | None = None,
              column: str | None = None) -> list[Cell]:
        """Cells in printed order, filtered by any of report, table, row path, column path."""
        where, args = self._where(report=report, tbl=table)
        cells = self._unpack(self._rows(f"SELECT report, cells, texts FROM cell_tables{where} ORDER BY report, tbl",
                                        args))
        return [c for c in cells if row in (None, c.row) and column in (None, c.column)]

    def cells_across(self, table: str, rows: Sequence[str], columns: Sequence[str],
                     reports: Sequence[str]) -> list[Cell]:
        """The cells at these rows × columns of one table in each of `reports`, in no order: one query however many
        reports (a ranking across every agency), each report's table found by its primary key (report, tbl)."""
        marks = lambda xs: ", ".join("?" * len(xs))  # noqa: E731
        wanted = self._read_keys(f"tbl = ? AND row_path IN ({marks(rows)}) AND col_path IN ({marks(columns)})",
                                 [table, *rows, *columns])
        if not wanted:
            return []
        within, ids = self._within("report", reports)
        return self._unpack(self._rows(f"SELECT report, cells, texts FROM cell_tables WHERE {within} AND tbl = ?",
                                       [ids, table]), wanted)

    def _write_cells(self, cur, cells: list[Cell]) -> set[tuple[str, tuple, int]]:
        """A report's cells as one row per table (CELL_TABLES), their table/row/column/unit by key id; a printed
        row's source and note, which its cells share, stored once. Returns the dictionary ids added (_remember)."""
        keys = [(c.table, c.row, c.column, c.unit) for c in cells]
        ids, fresh = self._intern(cur, "cell_keys", "tbl, row_path, col_path, unit", keys)
        tables: dict[tuple[str, str], tuple[list, list, list, dict]] = {}
        seen: set[tuple[str, int]] = set()
        for c, k in zip(cells, keys, strict=True):
            if (c.report, ids[k]) in seen:
                raise ReportError(f"two cells at one address: {c.address}", "a parsing error: please report it")
            seen.add((c.report, ids[k]))
            at, values, printed, texts = tables.setdefault((c.report, c.table), ([], [], [], {}))
            at.append(ids[k])
            values.append(c.value)
            printed.append(texts.setdefault((c.source, c.note), len(texts)))
        self._insert(cur, "cell_tables", [(r, t, _json([at, values, printed]), _json([[s for s, _ in texts],
                                                                                      [n for _, n in texts]]))
                                          for (r, t), (at, values, printed, texts) in tables.items()])
        return fresh

    def _keys(self, ids: Iterable[int]) -> dict[int, tuple[str, str, str, str]]:
        """(table, row path, column path, unit) of cell key ids, read once per process (ids never change)."""
        missing = sorted({i for i in ids if i not in self._key_of})
        for start in range(0, len(missing), 500):
            part = missing[start:start + 500]
            self._read_keys(f"id IN ({', '.join('?' * len(part))})", part)
        return self._key_of

    def _read_keys(self, where: str, args: Sequence) -> set[int]:
        """The ids of the cell keys meeting a condition, their content cached for `_keys`."""
        rows = self._rows(f"SELECT id, tbl, row_path, col_path, unit FROM cell_keys WHERE {where}", args)
        self._key_of.update((r[0], tuple(r[1:])) for r in rows)
        return {r[0] for r in rows}

    def _unpack(self, rows: Iterable[tuple[str, str, str]], wanted: set[int] | None = None) -> list[Cell]:
        """Cells of (report, cells, texts) rows of `cell_tables`, in their order; only key ids in `wanted`."""
        out = []
        for report, packed, texts in rows:
            found = list(zip(*json.loads(packed), strict=True)) if wanted is None else _pick(packed, wanted)
            if not found:
                continue
            keys, (sources, notes) = self._keys(k for k, _, _ in found), json.loads(texts)
            out += [Cell(report, *keys[k][:3], _whole(v), keys[k][3], sources[t], notes[t]) for k, v, t in found]
        return out
