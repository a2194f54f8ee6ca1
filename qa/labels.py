"""Canonical paths and numbers → the short Chinese labels and figures an answer shows."""

from __future__ import annotations

import re

from core.template import RESULTS
from core.vocabulary import ADMIN_SUFFIXES, NAME_SLIPS

_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)")


def leaf(path: str) -> str:
    """"三、本年度办理结果/（三）不予公开/1.属于国家秘密" → "属于国家秘密" (numbering and notes dropped)."""
    text = _NUMBERING.sub("", path.rsplit("/", 1)[-1])
    return re.sub(r"（[^）]*）$", "", text) or text


def shown_name(name: str) -> str:
    """An agency name as people know it: a printed OCR slip stays, the right name beside it (synonyms.NAME_SLIPS).

    "沐阳县人民政府" → "沐阳县（即沭阳县）人民政府"; a name printed right is returned unchanged."""
    for right, slip in NAME_SLIPS:
        found = re.search(re.escape(slip) + "(?:" + "|".join(map(re.escape, ADMIN_SUFFIXES)) + ")?", name)
        if found and right not in name and "（即" not in name:
            printed = found.group(0)
            name = name.replace(printed, f"{printed}（即{printed.replace(slip, right)}）", 1)
    return name


def row_label(table: str, row: str) -> str:
    """Row path → label: "不予公开·属于国家秘密", "办理结果总计", "行政规范性文件"."""
    if table == "四":
        return ""
    if table == "二":
        return leaf(row)
    if row == f"{RESULTS}/（七）总计":
        return "办理结果总计"
    parts = [leaf(p) for p in row.split("/")]
    if len(parts) == 3:
        return f"{parts[1]}·{parts[2]}"
    return parts[-1]


def column_label(table: str, column: str) -> str:
    """Column path → label: "商业企业", "总计", "行政诉讼（复议后起诉）结果维持"."""
    parts = column.split("/")
    if table == "四":
        if len(parts) == 3:
            return f"{parts[0]}（{parts[1]}）{parts[2]}"
        return "".join(parts)
    if table == "二":
        return re.sub(r"（单位：万元）", "", column)
    return parts[-1] if parts[0] != "法人或其他组织" or parts[-1] != "其他" else "法人或其他组织·其他"


def group_label(group: str) -> str:
    """Appeal group path → "行政复议", "行政诉讼（未经复议直接起诉）"."""
    parts = group.split("/")
    return f"{parts[0]}（{parts[1]}）" if len(parts) == 2 else group


def cell_label(table: str, row: str, column: str) -> str:
    """"表三 予以公开（总计）", "表四 行政复议尚未审结"."""
    r, c = row_label(table, row), column_label(table, column)
    return f"表{table} {r}（{c}）" if r else f"表{table} {c}"


def exact_sum(values) -> float | int:
    """A sum as the cells add up: integers stay integers, decimals rounded off their float noise (25.1 + 0.2)."""
    total = sum(values)
    return round(total, 6) if isinstance(total, float) else total


def number(value: float | int) -> str:
    """224 → "224", 9116.36 → "9116.36", 17732.0 → "17732" (no thousands separators, no float noise)."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def amount(value: float | int, unit: str) -> str:
    return f"{number(value)}{unit}"


def percent(part: float, whole: float) -> str:
    return f"{part / whole * 100:.1f}%"
