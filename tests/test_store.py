"""The store: a cell reads back equal to what was written (property test), migrations run once."""

from __future__ import annotations

import sqlite3
import tempfile

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.models import Cell, Check, Report
from ingest.store import MIGRATIONS, Store

values = st.one_of(st.none(), st.integers(min_value=0, max_value=10**9),
                   st.floats(min_value=0, max_value=1e7, allow_nan=False).map(lambda v: round(v, 6)))


@settings(max_examples=40, deadline=None)
@given(st.lists(values, min_size=1, max_size=7))
def test_a_stored_cell_reads_back_equal(row):
    with tempfile.TemporaryDirectory() as folder:
        store = Store(folder)
        report = Report("r", "某县人民政府", 2023, "t", None, "r.txt", "h", "txt")
        row_path = "一、本年新收政府信息公开申请数量"
        cells = [Cell("r", "三", row_path, f"c{i}", v, "件", "src", "") for i, v in enumerate(row)]
        check = Check("r", "n", "identity", "d", row[0], row[-1], ("a",), ("b",), "pass")
        store.replace_report(report, [], cells, [check], [])
        back = store.cells(report="r")
        assert [c.value for c in back] == row
        assert all(type(b.value) is type(v) or float(b.value) == v for b, v in zip(back, row, strict=True))
        assert store.checks("r")[0].left == row[0]
        store.close()


def test_migrations_run_once(tmp_path):
    Store(tmp_path).close()
    Store(tmp_path).close()
    with sqlite3.connect(tmp_path / "reports.sqlite3") as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == (str(len(MIGRATIONS)),)
