"""Unread scanned cells that an identity leaves 0 together: counts are never negative, so each is 0 — when the ink of
each shows a 0 (one figure, a reading of 0)."""

from __future__ import annotations

import pytest

from core.template import SCAN_UNREAD_NOTE
from ingest.parse import tables
from ingest.parse.tables import parse_tables

# 表四 as a scan prints it; 行政复议: 结果维持, 结果纠正, 其他结果, 尚未审结, 总计
TEXT = ("四、政府信息公开行政复议、行政诉讼情况\n| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |\n"
        "| 3 | {a} | {b} | 0 | {total} | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n五、存在的主要问题\n")


def appeal(a: str, b: str, total: str = "3") -> dict:
    return {c.column.split("/")[-1]: c for c in parse_tables(TEXT.format(a=a, b=b, total=total), "r")[0]
            if c.column.startswith("行政复议/")}


def test_two_unread_cells_left_zero_by_their_total_are_zero():
    """huaian_2024's rough scan: "4.无正当理由大量反复申请 | 〓1:0 | ≈0 | ≈0 | ≈0 | 0 | 〓1:0 | 0": the row's total
    leaves the two unread cells 0 together."""
    got = appeal("〓1:0", "〓1:0/6")
    for column in ("结果纠正", "其他结果"):
        assert got[column].value == 0
        assert got[column].note.startswith(SCAN_UNREAD_NOTE) and "勾稽关系推得" in got[column].note


@pytest.mark.parametrize(("a", "b", "total"), [
    ("〓1:0", "〓1:0", "4"),  # the two make 1 together: which is which is not known
    ("〓1:0", "〓1:", "3"),  # no reading of the second gave 0
    ("〓1:0", "〓2:0", "3"),  # the second holds two figures: a 0 is not what is printed
    ("〓1:0", "〓", "3"),  # nothing was seen in the second
])
def test_zero_parts_need_a_zero_sum_and_every_ink(a, b, total):
    got = appeal(a, b, total)
    assert got["结果纠正"].value is None and got["其他结果"].value is None


def test_zero_parts_refused_when_an_ink_shows_another_figure(monkeypatch):
    got = appeal("〓1:0", "〓2:10")
    assert got["其他结果"].value is None and got["结果纠正"].value is None
    assert got["其他结果"].note == got["结果纠正"].note == SCAN_UNREAD_NOTE  # unread; no one value was refused
    monkeypatch.setattr(tables, "_zero_parts", lambda *a: False)  # without the rule: both unknown, nothing refused
    got = appeal("〓1:0", "〓1:0")
    assert got["结果纠正"].value is None and got["其他结果"].value is None
