"""A number with the unit printed beside it (元, 万元, 亿元, 个, 件) → the same amount in the template's unit,
by exact decimal arithmetic, with a note that keeps the printed text."""

from __future__ import annotations

import re
from decimal import Decimal

from core.template import COUNT_UNITS, HEADER_MONEY_UNIT, MONEY_UNITS

Number = int | float
# A cell whose own unit differs from its column header's: the note starts with this, the unit check reads it back.
CONFLICT = "原文印为"


def _text(value: Number) -> str:
    """A number as printed: 251000, 25.1 (never 2.51e+05)."""
    return str(value) if isinstance(value, int) else format(Decimal(str(value)).normalize(), "f")


def header_money_unit(table_text: str, default: str = "万元") -> str:
    """The money unit a table's header prints, when it prints exactly one; else the template's."""
    found = set(re.findall(HEADER_MONEY_UNIT, re.sub(r"\s", "", table_text)))
    return found.pop() if len(found) == 1 else default


def same_unit(a: str, b: str) -> bool:
    """Whether two printed units are one (件 and 个 both count items)."""
    return a == b or (a in COUNT_UNITS and b in COUNT_UNITS)


def convert(value: Number, printed: str, target: str) -> Number | None:
    """`value` printed in `printed` as an amount in `target`; None when the two units measure different things."""
    if same_unit(printed, target):
        return value
    if printed in MONEY_UNITS and target in MONEY_UNITS:
        exact = Decimal(str(value)) * MONEY_UNITS[printed] / MONEY_UNITS[target]
        return int(exact) if exact == exact.to_integral_value() else float(exact)
    return None


def in_column_unit(value: Number, printed: str, header: str, target: str) -> tuple[Number | None, str]:
    """The stored value of a cell and its note. `printed` is the cell's own unit ("" = none printed), `header`
    the unit its column header prints, `target` the template's unit for the column."""
    unit = printed or header
    if unit == target or not unit:
        return value, ""
    amount = convert(value, unit, target)
    shown = f"{_text(value)}{unit}"
    conflict = printed and not same_unit(printed, header)
    head = f"{CONFLICT}“{shown}”，与表头单位“{header}”不同；" if conflict else f"原表单位为{unit}（“{shown}”）；"
    if amount is None:
        return None, f"{head}单位与本栏“{target}”不相容，无法确定"
    if amount == value:
        return value, head.rstrip("；") if conflict else ""
    return amount, f"{head}已按{unit}换算为{_text(amount)}{target}"
