"""The national report layout (国办公开办函〔2021〕30号, and the 2019 layout) as data.

Labels are canonical simplified Chinese as in FORMAT.md. `patterns` are regular expressions
searched in *normalised* text (see clean.norm: NFKC, simplified script, no spaces), so one
pattern covers full/half-width brackets, traditional script and labels split by spaces.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """A row of a standard table that carries numbers (or a group heading that may)."""

    path: str  # canonical row path
    patterns: tuple[str, ...]  # any of these in a label means this row
    columns: tuple[str, ...]  # canonical column paths, in printed order
    unit: str = "件"
    group: bool = False  # a heading over leaf rows; carries numbers only when printed without leaves


@dataclass(frozen=True)
class Table:
    name: str  # "二" | "三" | "四"
    title: str  # 表二 主动公开政府信息情况 …
    rows: tuple[Row, ...]
    layout: str = "2021"  # which national layout this is

    def value_rows(self, present: set[str] | None = None) -> list[Row]:
        """Rows that carry numbers: leaves, plus groups printed without their leaves."""
        out = []
        for row in self.rows:
            if not row.group:
                out.append(row)
            elif present is not None and row.path in present and not any(
                r.path.startswith(row.path + "/") and r.path in present for r in self.rows
            ):
                out.append(row)
        if present is not None:
            # a group printed alone replaces its leaves
            groups = {r.path for r in out if r.group}
            out = [r for r in out if not any(r.path.startswith(g + "/") for g in groups)]
        return out

    def row(self, path: str) -> Row:
        return next(r for r in self.rows if r.path == path)


# The section of the text before "一、总体情况" (a report's preface), as paragraph addresses name it.
PREAMBLE = "前言"


# ---- 表二 主动公开政府信息情况 -------------------------------------------------------

ITEM_1 = "第二十条第（一）项"
ITEM_5 = "第二十条第（五）项"
ITEM_6 = "第二十条第（六）项"
ITEM_8 = "第二十条第（八）项"
ITEM_9 = "第二十条第（九）项"
DOCS = ("本年制发件数", "本年废止件数", "现行有效件数")
DECISIONS = ("本年处理决定数量",)
FEES = "本年收费金额（单位：万元）"

TABLE_2 = Table(
    "二",
    "主动公开政府信息情况",
    (
        Row(f"{ITEM_1}/规章", (r"规章",), DOCS),
        Row(f"{ITEM_1}/行政规范性文件", (r"规范性文件",), DOCS),
        Row(f"{ITEM_5}/行政许可", (r"行政许可",), DECISIONS),
        Row(f"{ITEM_6}/行政处罚", (r"行政处罚",), DECISIONS),
        Row(f"{ITEM_6}/行政强制", (r"行政强制",), DECISIONS),
        Row(f"{ITEM_8}/行政事业性收费", (r"事业性收费",), (FEES,), unit="万元"),
    ),
)

# The 2019 layout (reports for 2019 and 2020): other columns, and items (五)(九) differ.
MADE = ("本年新制作数量", "本年新公开数量", "对外公开总数量")
ITEMS = ("上一年项目数量", "本年增/减", "处理决定数量")
TABLE_2_2019 = Table(
    "二",
    "主动公开政府信息情况",
    (
        Row(f"{ITEM_1}/规章", (r"规章",), MADE),
        Row(f"{ITEM_1}/规范性文件", (r"规范性文件",), MADE),
        Row(f"{ITEM_5}/行政许可", (r"行政许可",), ITEMS),
        Row(f"{ITEM_5}/其他对外管理服务事项", (r"其他对外管理服务",), ITEMS),
        Row(f"{ITEM_6}/行政处罚", (r"行政处罚",), ITEMS),
        Row(f"{ITEM_6}/行政强制", (r"行政强制",), ITEMS),
        Row(f"{ITEM_8}/行政事业性收费", (r"事业性收费",), ITEMS[:2]),
        Row(f"{ITEM_9}/政府集中采购", (r"集中采购",), ("采购项目数量", "采购总金额（单位：万元）")),
    ),
    layout="2019",
)
# Header words that only the 2019 layout of table 二 prints.
LAYOUT_2019_MARKERS = (r"新制作", r"上一年项目数量", r"对外公开总数量")

# ---- 表三 收到和处理政府信息公开申请情况 ---------------------------------------------

APPLICANTS = (
    "自然人",
    "法人或其他组织/商业企业",
    "法人或其他组织/科研机构",
    "法人或其他组织/社会公益组织",
    "法人或其他组织/法律服务机构",
    "法人或其他组织/其他",
    "总计",
)
TOTAL_COLUMN = "总计"
RESULTS = "三、本年度办理结果"
WITHHELD = f"{RESULTS}/（三）不予公开"
CANNOT = f"{RESULTS}/（四）无法提供"
NOT_PROCESSED = f"{RESULTS}/（五）不予处理"
OTHER = f"{RESULTS}/（六）其他处理"


def _rows3(*specs: tuple) -> tuple[Row, ...]:
    return tuple(
        Row(path, patterns, APPLICANTS, group=bool(rest and rest[0])) for path, patterns, *rest in specs
    )


TABLE_3 = Table(
    "三",
    "收到和处理政府信息公开申请情况",
    _rows3(
        ("一、本年新收政府信息公开申请数量", (r"本年新收",)),
        ("二、上年结转政府信息公开申请数量", (r"上年结转",)),
        (RESULTS, (r"本年度办理结果",), True),
        (f"{RESULTS}/（一）予以公开", (r"予以公开",)),
        (f"{RESULTS}/（二）部分公开（区分处理的，只计这一情形，不计其他情形）", (r"部分公开",)),
        (WITHHELD, (r"不予公开",), True),
        (f"{WITHHELD}/1.属于国家秘密", (r"国家秘密",)),
        (f"{WITHHELD}/2.其他法律行政法规禁止公开", (r"其他法律", r"法规禁止公开", r"行政止公开")),
        (f"{WITHHELD}/3.危及“三安全一稳定”", (r"三安全", r"危及")),
        (f"{WITHHELD}/4.保护第三方合法权益", (r"第三方合法",)),
        (f"{WITHHELD}/5.属于三类内部事务信息", (r"内部事务",)),
        (f"{WITHHELD}/6.属于四类过程性信息", (r"过程性信息",)),
        (f"{WITHHELD}/7.属于行政执法案卷", (r"执法案卷",)),
        (f"{WITHHELD}/8.属于行政查询事项", (r"行政查询",)),
        (CANNOT, (r"无法提供", r"\(四\)无"), True),
        (f"{CANNOT}/1.本机关不掌握相关政府信息", (r"不掌握",)),
        (f"{CANNOT}/2.没有现成信息需要另行制作", (r"没有现成", r"另行制作")),
        (f"{CANNOT}/3.补正后申请内容仍不明确", (r"补正后", r"仍不明确")),
        (NOT_PROCESSED, (r"不予处理",), True),
        (f"{NOT_PROCESSED}/1.信访举报投诉类申请", (r"信访",)),
        (f"{NOT_PROCESSED}/2.重复申请", (r"重复申请",)),
        (f"{NOT_PROCESSED}/3.要求提供公开出版物", (r"出版物",)),
        (f"{NOT_PROCESSED}/4.无正当理由大量反复申请", (r"大量反复",)),
        (f"{NOT_PROCESSED}/5.要求行政机关确认或重新出具已获取信息", (r"重新出具", r"确认或重")),
        (OTHER, (r"其他处理", r"\(六\)其他(?!法律)", r"\(六\)其$"), True),
        (f"{OTHER}/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", (r"不补正", r"逾期不补", r"无正当理由逾期")),
        (f"{OTHER}/2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", (r"收费通知", r"缴纳费用")),
        (f"{OTHER}/3.其他", (r"(?:^|[^\d])3[.、,]其他(?!法律|处理|组织)",)),
        (f"{RESULTS}/（七）总计", (r"\(七\)总计", r"七[、.]总计")),
        ("四、结转下年度继续办理", (r"结转下年", r"结转下一年")),
    ),
)

# ---- 表四 政府信息公开行政复议、行政诉讼情况 -----------------------------------------

OUTCOMES = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
APPEAL_GROUPS = ("行政复议", "行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉")
TABLE_4 = Table(
    "四",
    "政府信息公开行政复议、行政诉讼情况",
    (
        Row(
            "政府信息公开行政复议、行政诉讼情况",
            (r"结果维持", r"未经复议"),
            tuple(f"{g}/{o}" for g in APPEAL_GROUPS for o in OUTCOMES),
        ),
    ),
)

# Table 四's header is made of these characters only (labels are split anywhere: "结果 结果 其他 尚未", "总 计"),
# with markdown marks and a unit; other text after its numbers is another table or section.
TABLE_4_HEADER = r"[#*:行政复议诉讼未经直接起后结果维持纠正其他尚审总计情况单位件、()]+"

TABLES = {"二": TABLE_2, "三": TABLE_3, "四": TABLE_4}

# Headings that open each table's part of the report (searched in normalised text).
TABLE_HEADINGS = {
    "二": r"主动公开政府信息情况",
    "三": r"收到和处理政府信息公开申请情况",
    "四": r"行政(?:法)?复议[、及和与]?(?:提起)?行政诉讼情况",
}
# A label that only the table itself prints: the heading before it opens the table.
TABLE_ANCHORS = {"二": r"第二十条", "三": r"本年新收|申请人情况", "四": r"结果维持|未经复议"}
# What ends the last table: section 五 or a closing heading.
# Part 六's title, as printed ("其他需报告的事项": 海坛片区 2025).
OTHER_MATTERS = r"其他需要?(?:报告|说明)的事项"
AFTER_TABLES = r"存在的主要问题|\(一\)主要问题|" + OTHER_MATTERS

# ---- 叙述与表格 figures quoted in the narrative, matched to cells -----------------------


@dataclass(frozen=True)
class Phrase:
    """A narrative phrase that names one cell or a sum of cells (e.g. 予以公开及部分公开 = （一）+（二））."""

    table: str
    sums: tuple[tuple[str, ...], ...]  # alternatives, each a sum of row paths (a group row = its leaves)
    column: str  # the column of every term ("总计" for the whole table's figure)
    patterns: tuple[str, ...]  # regexes with one number group, searched in normalised paragraph text
    scoped: bool = False  # not taken when its clause names a sub-unit (区政府办代表区政府受理…)

    @property
    def row(self) -> str:
        """The row the figure is filed under: the first term of the first alternative, or the sum written out."""
        return "+".join(self.sums[0])


NEW, CARRIED = "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"
DISCLOSED, PARTLY = f"{RESULTS}/（一）予以公开", f"{RESULTS}/（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
CLOSED, NEXT_YEAR = f"{RESULTS}/（七）总计", "四、结转下年度继续办理"
_G = r"[^,。;:\d]"  # words between a phrase and its number (never another clause or number)
_DOCS = r"(?:行政)?规范性文件"
_RULES = r"(?:政府)?规章"
# Words between 制发 and its number that make it another measure: “发布现行有效规范性文件12件” counts documents in
# force, “累计制发…” all years; neither is this year's 制发.
_OTHER_MEASURE = r"(?:(?!现行|有效|废止|失效|累计|历年|以来|清理)[^,。;:\d])"


def _docs(row: str, kind: str) -> tuple[Phrase, ...]:
    """本年制发 / 废止 / 现行有效 of 规章 or 行政规范性文件, as reports word them."""
    made = (rf"(?<!累计|历年|至今|以来)(?:制发|制定|出台|印发|发布){_OTHER_MEASURE}{{0,6}}?{kind}(\d+)件", rf"本年度?制发的?{kind}(\d+)件",
            rf"(?<!累计|历年|至今|以来){kind}(?:本年度?)?(?:制发|印发|出台)(\d+)件")
    repealed = (rf"{kind}\d+件,(?:废止或失效|废止)(\d+)件", rf"(?:废止或失效|废止)的?{kind}(\d+)件",
                rf"{kind}(?:本年度?)?(?:废止或失效|废止|失效)(\d+)件")
    valid = (rf"{kind}\d+件,(?:废止或失效|废止)\d+件,现行有效(\d+)件", rf"现行有效的?{kind}(\d+)件", rf"{kind}现行有效(\d+)件")
    return tuple(Phrase("二", ((f"{ITEM_1}/{row}",),), column, p, scoped=True)
                 for column, p in zip(DOCS, (made, repealed, valid), strict=True))


# Combined phrases come first: a printed number belongs to the first phrase that claims it.
NARRATIVE_PHRASES = (
    Phrase("三", ((DISCLOSED, PARTLY),), TOTAL_COLUMN,
           (rf"(?:予以公开|同意公开|全部公开)(?:及|和|与|、|或)部分公开{_G}{{0,6}}?(\d+)件",)),
    Phrase("三", ((WITHHELD,),), TOTAL_COLUMN, (rf"不予公开{_G}{{0,6}}?(\d+)件",)),
    Phrase("三", ((CANNOT,),), TOTAL_COLUMN, (rf"无法提供{_G}{{0,6}}?(\d+)件",)),
    Phrase("三", ((NOT_PROCESSED,),), TOTAL_COLUMN, (rf"不予处理{_G}{{0,6}}?(\d+)件",)),
    Phrase("三", ((OTHER,),), TOTAL_COLUMN, (rf"其他处理{_G}{{0,6}}?(\d+)件",)),
    Phrase("三", ((PARTLY,),), TOTAL_COLUMN, (rf"部分公开{_G}{{0,6}}?(\d+)件",)),
    Phrase("三", ((DISCLOSED,),), TOTAL_COLUMN, (rf"(?:予以公开|同意公开){_G}{{0,6}}?(\d+)件",)),
    # “受理申请749件” often counts the requests carried over from last year as well (新收 + 上年结转)
    Phrase("三", ((NEW,), (NEW, CARRIED)), TOTAL_COLUMN,
           (r"(?:受理|收到|新收)[^,。;\d]{0,16}?(?:申请|事项)[^,。;\d]{0,4}?(\d+)件", r"共收到(\d+)件申请",
            # 条 counts requests too where 申请 is said right before it ("共收到政府信息公开申请0条"); not 事项
            r"(?:受理|收到|新收)[^,。;\d]{0,16}?申请[^,。;\d]{0,4}?(\d+)条"), scoped=True),
    Phrase("三", ((CARRIED,),), TOTAL_COLUMN, (rf"(?:自|从)?上一?年度?结转{_G}{{0,8}}?(\d+)件",), scoped=True),
    Phrase("三", ((CLOSED,),), TOTAL_COLUMN, (rf"办结{_G}{{0,4}}?(\d+)件", r"共办理(\d+)件"), scoped=True),
    Phrase("三", ((NEXT_YEAR,),), TOTAL_COLUMN,
           (rf"结转(?:到|至)?下一?年度?{_G}{{0,8}}?(\d+)件", r"(\d+)件(?:申请)?(?:结转|顺延)(?:到|至)?下一?年度?"),
           scoped=True),
    *_docs("行政规范性文件", _DOCS),
    *_docs("规章", _RULES),
    Phrase("四", (("政府信息公开行政复议、行政诉讼情况",),), "行政复议/总计", (r"行政复议(\d+)件",)),
)
# The kinds of result a request can have: a phrase quoting one of them must not name another in between.
OUTCOME_WORDS = ("予以公开", "同意公开", "部分公开", "不予公开", "无法提供", "不予处理", "其他处理")
# Words that make a clause speak of a part of the agency (“区政府办代表区政府受理…”; not the agency itself: 本局, 我委员会),
# of one channel (“其中网上申请办结…”) or of another period (“去年同期受理…”), not of the whole report's table.
SUB_UNIT = (r"代表|政府办|(?<![本我])办公室|(?<!本)部门|(?<!本)单位|镇|乡|街道|(?<![本我该])局|(?<![本我该])委员会|分局|"
            r"(?<![本我])中心|其中|网上|网络|在线|当面|现场|信函|"
            r"传真|邮件|邮寄|去年|同期|同比|较上年|比上年")

# ---- units printed beside numbers --------------------------------------------------------------
# Money units and their size in yuan; counts (件, 个) are the same unit under two names.
MONEY_UNITS = {"元": 1, "万元": 10_000, "亿元": 100_000_000}
COUNT_UNITS = ("件", "个")
# A table cell that prints its unit after the number: "251000元", "12个".
# A cell of a scanned table the OCR could not read with confidence (ingest/read/scan_pdf.py prints it, the parser
# keeps the cell unknown with SCAN_UNREAD_NOTE unless the table's identities decide it).
SCAN_UNREAD = "〓"
# What the scan saw in such a cell, after the mark: "〓2:11/17" = ink of 2 figures, readings (however unsure) 11 and
# 17; "〓1:" = one figure no reading gave a number for; "〓?:1" = ink too faint to count where the page read 1. A bare
# 〓 says nothing was seen (an identity never decides it).
SCAN_SEEN = r"〓(\d+|\?):((?:\d+(?:\.\d+)?)(?:/\d+(?:\.\d+)?)*)?"
SCAN_SEEN_SPLIT = "/"
SCAN_UNREAD_NOTE = "扫描件此格识别不清"
# An identity gives such a cell a value its ink does not show (another count of figures, or no reading of it): the
# report's own figures may break that identity (a 总计 printed 0 beside parts adding to 11), so the value is not taken.
SCAN_INK_NOTE = "扫描件此格识别不清；按勾稽关系可推得此格，但与扫描件此格的字迹不符，未采用"
SCAN_NOTE = "由扫描件文字识别（OCR）读出"
# Before a scanned number whose two readings agree only at low confidence: kept unless an identity over it fails.
SCAN_WEAK = "≈"
SCAN_WEAK_NOTE = "扫描件此格识别不清（识别把握不大，且所在的勾稽关系不成立）"
CELL_WITH_UNIT = r"^([-+]?\d+(?:\.\d+)?)(万元|亿元|元|个|件)$"
# A column header's money unit: "本年收费金额（单位：万元）".
HEADER_MONEY_UNIT = r"单位[:：]?(万元|亿元|元)"
