"""Generated layouts: the three tables rendered the many ways real reports print them, then parsed back.

Every test renders known cells (liuyang_2023's, or random identity-consistent values) into one
realistic layout and asserts `parse_tables` gives back exactly those cells — or, where the layout
makes a value undecidable, an unknown cell with the reason; never a wrong value.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.records import Cell, Finding
from core.template import APPEAL_GROUPS, APPLICANTS, OTHER, OUTCOMES, RESULTS, TABLE_2, TABLE_3, TABLE_4
from core.text import fold, to_traditional
from ingest.check.rules import ROW_CARRIED, ROW_NEW, ROW_NEXT, ROW_TOTAL
from ingest.parse.clean import clean_text
from ingest.parse.tables import parse_tables
from ingest.parse.tokens import tokenize
from tests.render import LAYOUTS, format_value
from tests.test_tables import LIUYANG_2, LIUYANG_3, LIUYANG_4

Key = tuple[str, str, str]  # (table, row path, column path)
Values = dict[Key, int | float]
HEADINGS = {"二": "二、主动公开政府信息情况", "三": "三、收到和处理政府信息公开申请情况",
            "四": "四、政府信息公开行政复议、行政诉讼情况"}
FOUR = TABLE_4.rows[0].path


def liuyang() -> Values:
    """liuyang_2023's 200 cells, typed from the printed report."""
    out: Values = {("二", r, c): v for r, cols in LIUYANG_2.items() for c, v in cols.items()}
    for row, values in zip((r.path for r in TABLE_3.value_rows()), LIUYANG_3, strict=True):
        out.update({("三", row, c): v for c, v in zip(APPLICANTS, values, strict=True)})
    out.update({("四", FOUR, c): v for c, v in zip(TABLE_4.rows[0].columns, LIUYANG_4, strict=True)})
    return out


# ---- printed rows of the national layout ----------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One printed table row: its label cells (a group label only on its first leaf) and value cells."""

    labels: tuple[str, ...]
    values: tuple[str, ...]
    row: str = ""  # canonical row path; "" for a header row
    groups: tuple[tuple[str, int], ...] = ()  # merged group cells starting here: (label, rows spanned)


def lines(table: str, values: Values, show: Callable[[int | float | None], str] = format_value) -> list[Line]:
    layout = next(lay for lay in LAYOUTS if lay.table == table)
    out = []
    for r in layout.rows:
        labels = tuple(s.text.replace("\n", "") for s in r.labels)
        groups = tuple((s.text, s.rows) for s in r.labels if s.rows > 1) if r.row else ()
        out.append(Line(labels, tuple(show(values.get((table, r.row, c))) for c in r.columns), r.row, groups))
    return out


def report(tables: dict[str, str], order: str = "二三四", between: str = "") -> str:
    """A whole report around the rendered tables: title, narrative, sections 五 and 六."""
    parts = ["某市人民政府2023年政府信息公开工作年度报告",
             "本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等内容。",
             "一、总体情况", "（一）主动公开", "全年主动公开政府信息3200条，根据《条例》第二十条规定公开。"]
    for i, name in enumerate(order):
        parts += [HEADINGS[name], tables[name]]
        if i == 0 and between:
            parts.append(between)
    parts += ["五、存在的主要问题及改进情况", "一是公开质量有待提高，共2项问题。", "六、其他需要报告的事项", "无。"]
    return "\n".join(parts)


def parse(text: str) -> tuple[dict[Key, Cell], list[Finding]]:
    cells, findings = parse_tables(clean_text(text), "x")
    return {(c.table, c.row, c.column): c for c in cells}, findings


def assert_exact(text: str, values: Values) -> None:
    got, findings = parse(text)
    wrong = {k: (got[k].value if k in got else "missing", v) for k, v in values.items()
             if k not in got or got[k].value != v}
    assert not wrong, wrong
    assert set(got) == set(values)
    assert findings == [], findings


def assert_never_wrong(text: str, values: Values) -> dict[Key, Cell]:
    """Every parsed cell is right or unknown with a reason; unknowns are reported as findings."""
    got, findings = parse(text)
    wrong = {k: (c.value, values.get(k)) for k, c in got.items() if c.value is not None and c.value != values.get(k)}
    assert not wrong, wrong
    for k, c in got.items():
        if c.value is None:
            assert c.note, k
            assert any(k[1] in f.message for f in findings), k
    return got


# ---- line layouts --------------------------------------------------------------------------


def joined(sep: str) -> Callable[[list[Line]], str]:
    return lambda rows: "\n".join(sep.join(r.labels + r.values) for r in rows)


def pipes(rows: list[Line]) -> str:
    out = []
    for i, r in enumerate(rows):
        out.append("| " + " | ".join(r.labels + r.values) + " |")
        if i == 0:
            out.append("|" + "---|" * (len(r.labels) + len(r.values)))
    return "\n".join(out)


def all_tables(values: Values, layout: Callable[[list[Line]], str], **kw) -> str:
    return report({t: layout(lines(t, values)) for t in "二三四"}, **kw)


@pytest.mark.parametrize("sep", ["\t", "  ", "   ", " "], ids=["tabs", "two-spaces", "three-spaces", "one-space"])
def test_one_row_per_line(sep):
    assert_exact(all_tables(liuyang(), joined(sep)), liuyang())


def test_markdown_pipe_tables():
    assert_exact(all_tables(liuyang(), pipes), liuyang())


# ---- PDF text layers -------------------------------------------------------------------------

PAGE_BREAKS = ("- 3 -", "某市人民政府2023年政府信息公开工作年度报告", "第 4 页")


def pdf_text(rows: list[Line]) -> str:
    """A PDF text layer: one row per line, single spaces; a group cell spanning rows is printed
    vertically one character per line (三/、/本/年/…) between the rows, its sub-groups in the middle
    of their span, and page footers fall inside the table."""
    out: list[str] = []
    vertical: list[str] = []  # characters still to print of the outer group label
    middle: dict[int, str] = {}  # row index → sub-group label printed before it
    for i, r in enumerate(rows):
        leaf_labels = r.labels[len(r.groups):]
        for label, span in r.groups:
            if r.row.split("/").index(label) == 0:
                vertical = list(label)
            else:
                middle[i + span // 2] = label
        if i in middle:
            out.append(middle.pop(i))
        if vertical:
            ch = vertical.pop(0)
            if i % 2:
                out.append(ch)
            else:
                leaf_labels = (ch, *leaf_labels)
        out.append(" ".join((*leaf_labels, *r.values)))
        if i in (12, 21):
            out += PAGE_BREAKS[:2] if i == 12 else PAGE_BREAKS[2:]
    return "\n".join(out + vertical)


def test_pdf_vertical_group_labels_and_footers():
    values = liuyang()
    text = report({"二": joined(" ")(lines("二", values)), "三": pdf_text(lines("三", values)),
                   "四": joined(" ")(lines("四", values))})
    assert "\n度\n" in text and "\n- 3 -\n" in text
    assert_exact(text, values)


WRAPS = ("after", "before", "middle")


def hongze(rows: list[Line], seed: int, wraps: tuple[str, ...] = WRAPS) -> str:
    """Labels wrapped around their numbers: numbers after, before, or in the middle of their label."""
    rng = random.Random(seed)
    out = []
    for r in rows:
        label = "".join(r.labels)
        numbers = " ".join(r.values)
        if not r.row or not label:
            out.append(" ".join((*r.labels, *r.values)))
            continue
        how = rng.choice(wraps if len(label) > 9 else tuple(w for w in wraps if w != "middle") or ("after",))
        if how == "after":
            out.append(f"{label} {numbers}")
        elif how == "before":
            out += [numbers, label]
        else:
            cut = rng.randrange(6, len(label) - 2)  # a long label wraps in its cell
            out += [label[:cut], numbers, label[cut:]]
    return "\n".join(out)


@pytest.mark.parametrize("seed", range(6))
def test_labels_wrapped_around_numbers(seed):
    values = liuyang()
    text = report({t: hongze(lines(t, values), seed * 3 + i) for i, t in enumerate("二三四")})
    assert_exact(text, values)


@pytest.mark.parametrize("wraps", [("before",), ("middle",), ("before", "middle")], ids="+".join)
def test_every_row_wrapped_the_same_way(wraps):
    values = liuyang()
    assert_exact(report({t: hongze(lines(t, values), 0, wraps) for t in "二三四"}), values)


# ---- PDF→markdown: rows that lost their label, a header repeated after a page break -----------


def kewei(rows: list[Line], lost: set[int]) -> str:
    """Markdown pipe tables as a PDF converter leaves them: the rows in `lost` keep only their numbers
    (their labels drift into plain lines before the table part), and the header repeats mid-table."""
    head = [r for r in rows if not r.row]
    body = [r for r in rows if r.row]
    out = [*(pipes([r]) for r in head)]
    for i, r in enumerate(body):
        if i == len(body) // 2:
            out += ["", "".join(head[-1].labels), pipes(head[-1:])]  # page break: the header again
        if i in lost:
            out += ["", "".join(r.labels)[:12], pipes([Line((), r.values, r.row)])]
        else:
            out.append("| " + " | ".join((*r.labels, *r.values)) + " |")
    return "\n".join(out)


@pytest.mark.parametrize("lost", [{1}, {3, 4, 5}, {0, 8, 9, 10, 20}], ids=str)
def test_markdown_rows_that_lost_their_labels(lost):
    values = liuyang()
    text = report({"二": pipes(lines("二", values)), "三": kewei(lines("三", values), lost),
                   "四": pipes(lines("四", values))})
    assert_exact(text, values)


# ---- empty cells ------------------------------------------------------------------------------


@pytest.mark.parametrize("mark", ["", "—", "-", "/", "－"])
def test_empty_cells_mean_zero_where_identities_allow(mark):
    values = liuyang()
    blank = lambda v: mark if v == 0 else format_value(v)  # noqa: E731
    text = report({t: pipes(lines(t, values, blank)) for t in "二三四"})
    got = assert_never_wrong(text, values)
    # 表三 and 表四 rows carry their own totals: a blank there is 0 by the identities
    assert all(got[k].value == v for k, v in values.items() if k[0] in "三四"), mark
    # 表二 has no identity: a blank stays unknown, with the reason
    rule = got[("二", "第二十条第（一）项/规章", "本年制发件数")]
    assert rule.value is None and "空" in rule.note


def test_blank_row_that_breaks_a_column_identity_is_decided_by_the_identities_or_stays_unknown():
    """A row printed blank whose column identities refuse 0: each column's identity has it as its one unknown term and
    the row's own identity confirms the figures (a second witness), so they are stored with the rule in the note
    (stranger test on a held-out sample: 上海市政府办公厅 printed most 总计 cells blank); with a second row blank in the
    same columns nothing decides either, and both stay unknown."""
    values = liuyang()
    row = "三、本年度办理结果/（一）予以公开"  # 86 3 0 0 0 0 89, printed as a row of blanks
    shown = {k: v for k, v in values.items() if k[1] != row}
    text = report({t: pipes(lines(t, shown)) for t in "二三四"})
    got = assert_never_wrong(text, values)
    for column in ("自然人", "法人或其他组织/商业企业", "总计"):  # the column identities refuse 0 here
        cell = got[("三", row, column)]
        assert cell.value == values[("三", row, column)] and "原表此格为空" in cell.note and "推得" in cell.note
    assert got[("三", row, "法人或其他组织/科研机构")].value == 0  # and allow it here
    other = "三、本年度办理结果/（三）不予公开/5.属于三类内部事务信息"  # 5 0 0 0 0 0 5
    shown = {k: v for k, v in shown.items() if k[1] != other}
    got = assert_never_wrong(report({t: pipes(lines(t, shown)) for t in "二三四"}), values)
    for r in (row, other):
        assert got[("三", r, "自然人")].value is None and "空" in got[("三", r, "自然人")].note


def test_an_empty_template_is_not_read_as_zeros():
    text = report({t: pipes(lines(t, {})) for t in "二三四"})
    got, findings = parse(text)
    assert got == {} and {f.where for f in findings} == {"表二", "表三", "表四"}


# ---- web text with no separators ----------------------------------------------------------------


def flat(rows: list[Line]) -> str:
    return "".join("".join((*r.labels, *r.values)) for r in rows)


def test_no_separators_split_by_identities():
    values = liuyang()
    text = report({t: flat(lines(t, values)) for t in "二三四"}).replace("\n", "")
    got = assert_never_wrong(text, values)
    assert all(got[k].value == v for k, v in values.items() if k[0] == "三")
    docs = got[("二", "第二十条第（一）项/行政规范性文件", "本年制发件数")]
    assert docs.value is None and "112775" in docs.note  # 11|27|75, 1|127|75, 112|7|75…
    assert "11、27、75" in docs.note  # the reason lists the possible readings


# ---- script, width and label variants ---------------------------------------------------------

FULL_WIDTH = str.maketrans("0123456789.,()", "０１２３４５６７８９．，（）")


def test_traditional_script_and_full_width_digits():
    values = liuyang()
    text = to_traditional(all_tables(values, joined(" "))).translate(FULL_WIDTH)
    assert "１２３４" not in text and "４９７２４４" in text and "報告" in text
    assert_exact(text, values)


LABEL_VARIANTS = (("本年废止件数", "本年废止或失效件数"), ("行政规范性文件", "规范性文件"), ("3.其他", "3、其他"),
                  ("1.", "1、"), ("（一）", "(一)"), ("“三安全一稳定”", "\"三安全一稳定\""))


@pytest.mark.parametrize("old,new", LABEL_VARIANTS)
def test_label_variants(old, new):
    values = liuyang()
    text = all_tables(values, joined("  "))
    assert old in text
    assert_exact(text.replace(old, new), values)


def test_2019_layout_of_table_three_prints_other_handling_as_one_row():
    values = liuyang()
    rows = lines("三", values)
    leaves = [r for r in rows if r.row.startswith(OTHER + "/")]
    merged = Line(("（六）其他处理",), tuple(str(sum(int(r.values[i]) for r in leaves)) for i in range(7)), OTHER)
    at = rows.index(leaves[0])
    rows[at: at + len(leaves)] = [merged]
    expected = {k: v for k, v in values.items() if not k[1].startswith(OTHER + "/")}
    expected.update({("三", OTHER, c): int(v) for c, v in zip(APPLICANTS, merged.values, strict=True)})
    for sep in (" ", "\t"):
        text = report({"二": joined(sep)(lines("二", values)), "三": joined(sep)(rows),
                       "四": joined(sep)(lines("四", values))})
        assert_exact(text, expected)


# ---- other tables around the standard ones ------------------------------------------------------

NEW_MEDIA = "\n".join(["（六）政务新媒体情况", "| 名称 | 类型 | 发布信息数 | 关注人数 |", "|---|---|---|---|",
                       "| 浏阳发布 | 微信公众号 | 1523 | 204,311 |", "| 浏阳政务 | 微博 | 867 | 51200 |",
                       "政府网站共发布信息 3 4 5 6 7 8 9 条。"])


@pytest.mark.parametrize("order", ["二三四", "三二四", "四三二", "二四三"])
def test_tables_in_another_order(order):
    values = liuyang()
    assert_exact(all_tables(values, joined(" "), order=order), values)


@pytest.mark.parametrize("layout", [joined(" "), pipes, flat], ids=["spaces", "pipes", "flat"])
def test_extra_table_between_standard_tables(layout):
    values = liuyang()
    text = all_tables(values, layout, between=NEW_MEDIA)
    got = assert_never_wrong(text, values)
    assert not any(c.value in (1523, 867, 204311, 51200) for c in got.values())
    if layout is not flat:
        assert all(got[k].value == v for k, v in values.items())


def test_extra_table_after_the_last_standard_table():
    values = liuyang()
    text = all_tables(values, joined(" ")).replace("五、存在的主要问题", NEW_MEDIA + "\n五、存在的主要问题")
    assert_exact(text, values)


# ---- incomplete tables -------------------------------------------------------------------------


def test_table_three_cut_off_half_way():
    values = liuyang()
    rows = lines("三", values)
    cut = rows[: len(rows) // 2 + 2]
    kept = {r.row for r in cut if r.row}
    text = report({"二": joined(" ")(lines("二", values)), "三": joined(" ")(cut),
                   "四": joined(" ")(lines("四", values))})
    got, findings = parse(text)
    for k, v in values.items():
        if k[0] != "三" or k[1] in kept:
            assert got[k].value == v, k
    missing = [r.path for r in TABLE_3.value_rows() if r.path not in kept]
    assert all(("三", m, "总计") not in got or got[("三", m, "总计")].value is None for m in missing)
    assert any(missing[0] in f.message for f in findings), findings


@pytest.mark.parametrize("layout", [joined(" "), flat], ids=["spaces", "flat"])
def test_table_four_with_only_ten_numbers_is_reported(layout):
    values = liuyang()
    rows = lines("四", values)
    rows[-1] = Line((), rows[-1].values[:10], rows[-1].row)
    text = report({"二": layout(lines("二", values)), "三": layout(lines("三", values)), "四": layout(rows)})
    got, findings = parse(text)
    assert not any(v.value is not None for k, v in got.items() if k[0] == "四")
    assert any(f.where == "表四" for f in findings), findings


# ---- number formats -------------------------------------------------------------------------------


def test_thousands_separators_decimals_and_fees_in_wan_yuan():
    values = liuyang()
    values[("二", "第二十条第（八）项/行政事业性收费", "本年收费金额（单位：万元）")] = 7730.28
    show = lambda v: f"{v:,}" if isinstance(v, int) and v >= 1000 else format_value(v)  # noqa: E731
    text = report({t: joined(" ")(lines(t, values, show)) for t in "二三四"})
    assert "497,244" in text and "7730.28" in text
    assert_exact(text, values)
    got, _ = parse(text)
    fee = got[("二", "第二十条第（八）项/行政事业性收费", "本年收费金额（单位：万元）")]
    assert fee.unit == "万元"


# ---- properties over random identity-consistent tables ---------------------------------------------


@st.composite
def tables(draw, most: int = 400) -> Values:
    """Random cells of the three tables that satisfy every identity of the format."""
    n = st.integers(0, most)
    out: Values = {}
    for row in TABLE_2.rows:
        for col in row.columns:
            out[("二", row.path, col)] = draw(n)
    fee = draw(st.integers(0, 10**6)) / draw(st.sampled_from([1, 10, 100]))
    out[("二", TABLE_2.rows[-1].path, TABLE_2.rows[-1].columns[0])] = int(fee) if fee.is_integer() else fee
    rows = [r.path for r in TABLE_3.value_rows()]
    results = [r for r in rows if r.startswith(RESULTS + "/") and r != ROW_TOTAL]
    for col in APPLICANTS[:-1]:
        cell = {r: draw(st.integers(0, most // 10)) for r in results}
        cell[ROW_TOTAL] = sum(cell.values())
        cell[ROW_NEXT] = draw(st.integers(0, most // 10))
        cell[ROW_CARRIED] = draw(st.integers(0, cell[ROW_TOTAL] + cell[ROW_NEXT]))
        cell[ROW_NEW] = cell[ROW_TOTAL] + cell[ROW_NEXT] - cell[ROW_CARRIED]
        out.update({("三", r, col): v for r, v in cell.items()})
    for r in rows:
        out[("三", r, "总计")] = sum(out[("三", r, c)] for c in APPLICANTS[:-1])
    for group in APPEAL_GROUPS:
        parts = [draw(st.integers(0, 20)) for _ in OUTCOMES[:-1]]
        out.update({("四", FOUR, f"{group}/{o}"): v for o, v in zip(OUTCOMES, (*parts, sum(parts)), strict=True)})
    return out


FAST = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LINE_LAYOUTS = {"tabs": joined("\t"), "spaces": joined("  "), "pdf": joined(" "), "pipes": pipes}


@FAST
@given(values=tables(), layout=st.sampled_from(sorted(LINE_LAYOUTS)), seed=st.integers(0, 99))
def test_random_tables_survive_render_and_parse(values, layout, seed):
    text = report({t: LINE_LAYOUTS[layout](lines(t, values)) for t in "二三四"})
    assert_exact(text, values)
    wrapped = report({t: hongze(lines(t, values), seed) for t in "二三四"})
    assert_exact(wrapped, values)


@FAST
@given(values=tables(most=30))
def test_random_tables_without_separators_are_never_wrong(values):
    assert_never_wrong(report({t: flat(lines(t, values)) for t in "二三四"}).replace("\n", ""), values)


@FAST
@given(values=tables(most=60), mark=st.sampled_from(["", "—", "-", "/"]))
def test_random_blanks_are_zero_only_where_identities_allow(values, mark):
    blank = lambda v: mark if v == 0 else format_value(v)  # noqa: E731
    got = assert_never_wrong(report({t: pipes(lines(t, values, blank)) for t in "二三四"}), values)
    printed = {k[0] for k, v in values.items() if v}  # a table of blanks only is an empty template
    assert all(got[k].value == v for k, v in values.items() if k[0] in printed & {"三", "四"})


@given(st.lists(st.integers(0, 10**7), min_size=1, max_size=8), st.text(alphabet="報告數據總計處理結果（）、"))
def test_digits_never_change_under_script_conversion(numbers, label):
    line = label + " " + " ".join(map(str, numbers))
    for variant in (line, to_traditional(line), fold(line), fold(to_traditional(line)), line.translate(FULL_WIDTH)):
        printed = [t.text for t in tokenize(fold(variant)) if t.kind == "num"]
        assert printed == [str(n) for n in numbers], variant


def four_blocks(values: Values) -> str:
    """Table 四 as three markdown tables, one per group under its own heading (shuyang style)."""
    out = []
    titles = ("行政复议", "行政诉讼（未经复议直接起诉）", "行政诉讼（复议后起诉）")
    for group, title in zip(APPEAL_GROUPS, titles, strict=True):
        cells = [format_value(values[("四", FOUR, f"{group}/{o}")]) for o in OUTCOMES]
        out += [f"### {title}", pipes([Line(OUTCOMES, ()), Line((), tuple(cells), FOUR)]), ""]
    return "\n".join(out)


def test_table_four_in_three_blocks_then_another_table():
    values = liuyang()
    text = report({"二": pipes(lines("二", values)), "三": pipes(lines("三", values)), "四": four_blocks(values)})
    assert_exact(text.replace("五、存在的主要问题", NEW_MEDIA + "\n五、存在的主要问题"), values)
