"""An answer's chart points → an Altair chart: a line for years, bars for agencies or rows; every point a cited cell."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

from core.records import Answer, Citation, Point
from store import Store
from ui.citations import report_name
from ui.table_view import fmt, label

if TYPE_CHECKING:
    import altair as alt

MOST_BARS = 15  # a ranking over many agencies draws its first bars only; the text lists them all
_ID = str


def _cell_text(addresses: tuple[str, ...], cited: dict[str, Citation]) -> str:
    """“表三 一、本年新收… › 总计 = 224” for each cell the point adds up."""
    parts = []
    for a in addresses:
        c = cited.get(a)
        if c is not None:
            parts.append(f"表{c.table} {label(c.row)} | {label(c.column)} = {fmt(c.value)}")
    return "；".join(parts)


def rows(answer: Answer, store: Store, conv: Callable[[str], str] = _ID) -> list[dict]:
    """The plotted points as records (unknown values left out), each with the report and the cells it comes from."""
    cited = {f"{c.report}/{c.table}/{c.row}/{c.column}": c for c in answer.citations if c.type == "cell"}
    names: dict[str, str] = {}
    out = []
    for p in answer.points:
        if p.value is None:
            continue
        if p.report not in names:
            names[p.report] = report_name(store.report(p.report), p.report)
        out.append({"系列": conv(p.series), "类别": conv(p.x), "数值": float(p.value), "单位": p.unit,
                    "报告": conv(names[p.report]), "出处": conv(_cell_text(p.cells, cited))})
    return out


def left_out(answer: Answer) -> list[Point]:
    """Points the chart cannot draw: their value is unknown (the text says why)."""
    return [p for p in answer.points if p.value is None]


def altair() -> ModuleType:
    """Altair, imported on first use or by the warm-up (it and pandas take a second of the start otherwise).

    pandas goes first and whole: altair looks it up in sys.modules, where another thread's unfinished import of it
    would break a chart; `import pandas` waits for such an import to finish."""
    import pandas  # noqa: F401, I001  (first, see above)
    import altair

    return altair


def _axis(alt: ModuleType, across: bool = False) -> alt.Axis:
    """A value axis with plain numbers (70, 4068.2) and its unit written level, at the axis' end."""
    if across:
        return alt.Axis(format="~f", titleAlign="right", titleAnchor="end")
    return alt.Axis(format="~f", titleAngle=0, titleAlign="left", titleAnchor="end", titleY=-10, titleX=0)


def chart(answer: Answer, store: Store, conv: Callable[[str], str] = _ID) -> alt.Chart | None:
    """The chart under an answer; None with nothing to compare (under two known points, or mixed units)."""
    data = rows(answer, store, conv)
    if answer.chart not in ("line", "bar") or len(data) < 2 or len({d["单位"] for d in data}) > 1:
        return None
    alt = altair()
    unit = data[0]["单位"]
    order = list(dict.fromkeys(d["类别"] for d in data))
    if answer.chart == "bar" and len(order) > MOST_BARS:
        order = order[:MOST_BARS]
        data = [d for d in data if d["类别"] in order]
    several = len({d["系列"] for d in data}) > 1
    tooltip = [alt.Tooltip("类别:N", title="项目"), alt.Tooltip("数值:Q", title=f"数值（{unit}）"),
               alt.Tooltip("报告:N", title="报告"), alt.Tooltip("出处:N", title="单元格")]
    if several:
        tooltip.insert(0, alt.Tooltip("系列:N", title="系列"))
    color = alt.Color("系列:N", title=None, legend=alt.Legend(orient="bottom")) if several else alt.value("#b71c1c")
    base = alt.Chart(alt.Data(values=data))
    if answer.chart == "line":
        return base.mark_line(point=alt.OverlayMarkDef(size=80)).encode(
            x=alt.X("类别:O", title=None, sort=order, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("数值:Q", title=f"（{unit}）", axis=_axis(alt)), color=color, tooltip=tooltip,
        ).properties(height=260)
    offset = {"yOffset": alt.YOffset("系列:N")} if several else {}
    return base.mark_bar().encode(
        y=alt.Y("类别:N", title=None, sort=order, axis=alt.Axis(labelLimit=220)),
        x=alt.X("数值:Q", title=f"（{unit}）", axis=_axis(alt, across=True)), color=color, tooltip=tooltip, **offset,
    ).properties(height=max(90, 34 * len(data)))
