"""The question vocabulary as data: everyday words → canonical rows and columns of the template, and operation words."""

# Questions are normalised with clean.norm (NFKC, simplified script, no spaces) before matching, so traditional
# script, full-width forms and stray spaces need no entries here. Aliases are matched longest first and each span
# of the question is used once: "部分公开" never also counts as "公开", and "上年结转" is a row, not a year.
# The template's own labels (leaf text without numbering) are aliases too; qa.parse adds them.

from __future__ import annotations

from dataclasses import dataclass

from core.template import (
    APPLICANTS,
    CANNOT,
    DECISIONS,
    DOCS,
    FEES,
    ITEM_1,
    ITEM_5,
    ITEM_6,
    ITEM_8,
    ITEM_9,
    NOT_PROCESSED,
    OTHER,
    RESULTS,
    TOTAL_COLUMN,
    WITHHELD,
)


@dataclass(frozen=True)
class Term:
    """Words that name one thing in a table: rows (二/三), columns (二/三), appeal groups or outcomes (四)."""

    table: str  # "二" | "三" | "四"
    kind: str  # "row" | "column" | "group" | "outcome"
    targets: tuple[str, ...]  # canonical paths (group: appeal group prefix, outcome: outcome name)
    aliases: tuple[str, ...]  # simplified words that mean it
    label: str = ""  # display label when targets are several
    combine: str = "sum"  # several targets: "sum" (one figure) or "each" (one line each)


# How the requests were dealt with, asked as a whole: the figures of each result (a row of TERMS, and a question
# asking for figures, QUANTITY)
HANDLED = ("怎么处理", "如何处理", "怎么办理", "如何办理", "怎么答复", "如何答复", "处理情况", "答复情况",
           "处理结果分别", "办理结果分别", "各项办理结果")
NEW = "一、本年新收政府信息公开申请数量"
CARRIED = "二、上年结转政府信息公开申请数量"
DONE = f"{RESULTS}/（七）总计"
NEXT = "四、结转下年度继续办理"
PARTLY = f"{RESULTS}/（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
LEGAL = "法人或其他组织"
T3 = "三"

# "申请都公开了吗": no one cell says yes or no; the figures do — what was disclosed, in whole and in part, beside
# all that was done. Said, these ask for figures as 多少 does (QUANTITY).
ALL_DISCLOSED = ("都公开了", "都公开", "全都公开", "是否都公开", "都给公开", "全公开了", "都予以公开")
# "收到几件申请，公开了几件": 公开 said bare before a count, of requests, is 予以公开 (the result, 表三); the words
# before 公开 that make it another measure (主动公开, 部分公开, 不予公开, 依申请公开 …) are not bare. Said with no
# request in sight ("公开了多少？" alone) it is 予以公开 only after a question about requests (qa.conversation).
BARE_DISCLOSED_NOT_AFTER = ("主动", "依申请", "申请", "予以", "部分", "不予", "不", "没", "未", "给", "都", "全", "再",
                            "拒绝", "同意", "准予", "批准", "最终", "最后")
BARE_DISCLOSED = Term("三", "row", (f"{RESULTS}/（一）予以公开",), ())

TERMS: tuple[Term, ...] = (
    # ---- 表三 rows ----
    Term(T3, "row", (NEW,), ("本年新收", "新收", "收到", "受理", "接收", "接到", "收了", "新申请", "申请量",
                             "申请数量", "申请件数", "提出申请", "提交申请", "申请了")),
    Term(T3, "row", (CARRIED,), ("上年结转", "上一年结转", "上年度结转", "去年结转", "从上年结转", "上年转来")),
    Term(T3, "row", (CARRIED, NEXT), ("结转",), "上年结转与结转下年", combine="each"),
    # 办了 only said of requests or pieces: "办了几场活动" is no 办结
    Term(T3, "row", (DONE,), ("办结", "办理了", "办理完", "办完了", "申请办了", "办了多少件", "办了几件", "处理了",
                              "答复了", "办理结果总计", "本年度办理结果", "办理结果", "办理总数", "总共办理", "共办理",
                              "办理数量", "办理的申请", "答复")),
    Term(T3, "row", (NEXT,), ("结转下年", "结转下一年", "结转到下年", "结转至下年", "转到下年", "留到下年",
                              "下年继续办理", "继续办理", "没办完", "未办结", "还没办完", "尚未办结", "结转到下一年",
                              "结转至下一年", "结转下一年度", "转下一年", "转到下一年", "转入下一年", "顺延到下年",
                              "顺延至下年", "下一年度继续办理", "下一年继续办理", "下一年度办理", "转到明年",
                              "留到明年", "明年继续办理", "结转到明年", "转入明年", "拖到明年", "明年接着办")),
    Term(T3, "row", (f"{RESULTS}/（一）予以公开",), ("予以公开", "全部公开", "同意公开", "准予公开", "给公开",
                                                "最后公开", "最终公开", "批准公开", "答应公开", "同意了公开")),
    Term(T3, "row", (f"{RESULTS}/（一）予以公开", PARTLY, DONE), ALL_DISCLOSED, "予以公开、部分公开与办理结果总计",
         combine="each"),
    # how the requests were dealt with, asked as a whole ("申请都怎么处理的"): each result, groups summed
    Term(T3, "row", (f"{RESULTS}/（一）予以公开", PARTLY, WITHHELD, CANNOT, NOT_PROCESSED, OTHER), HANDLED,
         "各项办理结果", "each"),
    Term(T3, "row", (PARTLY,), ("部分公开", "区分处理", "公开一部分", "公开了一部分")),
    Term(T3, "row", (WITHHELD,), ("不予公开", "被拒", "拒绝公开", "不公开", "没公开", "没给公开", "不给公开",
                                  "拒绝", "驳回")),
    Term(T3, "row", (f"{WITHHELD}/1.属于国家秘密",), ("国家秘密", "涉密", "保密")),
    Term(T3, "row", (f"{WITHHELD}/2.其他法律行政法规禁止公开",), ("法律行政法规禁止", "法律法规禁止", "法规禁止")),
    Term(T3, "row", (f"{WITHHELD}/3.危及“三安全一稳定”",), ('三安全一稳定', "危及安全", "危及稳定", "危及国家安全")),
    Term(T3, "row", (f"{WITHHELD}/4.保护第三方合法权益",), ("第三方合法权益", "第三方", "个人隐私", "商业秘密")),
    Term(T3, "row", (f"{WITHHELD}/5.属于三类内部事务信息",), ("内部事务",)),
    Term(T3, "row", (f"{WITHHELD}/6.属于四类过程性信息",), ("过程性信息", "过程性")),
    Term(T3, "row", (f"{WITHHELD}/7.属于行政执法案卷",), ("执法案卷", "案卷")),
    Term(T3, "row", (f"{WITHHELD}/8.属于行政查询事项",), ("行政查询", "查询事项")),
    Term(T3, "row", (CANNOT,), ("无法提供", "提供不了", "没法提供", "不能提供", "没能提供", "未能提供", "提供不出")),
    Term(T3, "row", (f"{CANNOT}/1.本机关不掌握相关政府信息",),
         ("不掌握", "没有这个信息", "没有相关信息", "信息不存在", "找不到这个信息", "找不到相关信息", "找不到",
          "查无此信息", "没有这条信息", "手里没有", "没掌握", "没有掌握", "未掌握")),
    Term(T3, "row", (f"{CANNOT}/2.没有现成信息需要另行制作",), ("没有现成", "另行制作", "需要另外制作")),
    Term(T3, "row", (f"{CANNOT}/3.补正后申请内容仍不明确",), ("补正后", "仍不明确", "申请内容不明确")),
    Term(T3, "row", (NOT_PROCESSED,), ("不予处理", "不处理", "不受理", "没处理", "没有处理", "未处理", "未予处理")),
    Term(T3, "row", (f"{NOT_PROCESSED}/1.信访举报投诉类申请",), ("信访", "举报", "投诉", "信访类申请", "举报类申请",
                                                               "投诉类申请", "信访举报投诉类")),
    Term(T3, "row", (f"{NOT_PROCESSED}/2.重复申请",), ("重复申请",)),
    Term(T3, "row", (f"{NOT_PROCESSED}/3.要求提供公开出版物",), ("公开出版物", "出版物")),
    Term(T3, "row", (f"{NOT_PROCESSED}/4.无正当理由大量反复申请",), ("大量反复", "反复申请")),
    Term(T3, "row", (f"{NOT_PROCESSED}/5.要求行政机关确认或重新出具已获取信息",), ("重新出具", "确认或重新出具")),
    Term(T3, "row", (OTHER,), ("其他处理",)),
    Term(T3, "row", (f"{OTHER}/3.其他",),
         ("其他处理中的其他", "其他处理里的其他", "其他处理的其他情形", "其他处理其他")),
    Term(T3, "row", (f"{OTHER}/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",),
         ("逾期不补正", "不补正", "逾期未补正", "未补正", "没有补正", "没补正", "不予补正")),
    Term(T3, "row", (f"{OTHER}/2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",),
         ("缴纳费用", "未缴费", "不缴费", "收费通知", "没有缴费", "没缴费", "未交费", "没交费")),
    # ---- 表三 columns (申请人情况) ----
    Term(T3, "column", ("自然人",), ("自然人", "个人", "老百姓", "百姓", "群众", "公民", "市民", "居民", "普通人")),
    Term(T3, "column", (f"{LEGAL}/商业企业",), ("商业企业", "企业", "公司", "商户", "厂家")),
    Term(T3, "column", (f"{LEGAL}/科研机构",), ("科研机构", "科研单位", "研究机构", "研究所", "高校", "大学")),
    Term(T3, "column", (f"{LEGAL}/社会公益组织",), ("社会公益组织", "公益组织", "社会组织", "公益机构")),
    Term(T3, "column", (f"{LEGAL}/法律服务机构",), ("法律服务机构", "律师事务所", "律所", "律师")),
    Term(T3, "column", (f"{LEGAL}/其他",), ("其他组织",)),
    Term(T3, "column", tuple(f"{LEGAL}/{c}" for c in ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")),
         ("法人或其他组织", "法人和其他组织", "法人", "单位申请"), LEGAL),
    # the applicants asked as a whole ("申请人主要是谁"): each kind, one figure each
    Term(T3, "column", tuple(c for c in APPLICANTS if c != TOTAL_COLUMN),
         ("哪类申请人", "哪一类申请人", "哪种申请人", "什么人申请", "申请人构成", "申请人类型", "申请人类别",
          "申请人分布", "申请人主要", "申请人都是", "各类申请人", "申请人分别", "申请人里哪", "申请人中哪", "谁申请"),
         "各类申请人", "each"),
    # ---- 表二 rows and columns ----
    Term("二", "row", (f"{ITEM_1}/规章",), ("规章",)),
    Term("二", "row", (f"{ITEM_1}/行政规范性文件",), ("行政规范性文件", "规范性文件", "红头文件")),
    Term("二", "row", (f"{ITEM_5}/行政许可",), ("行政许可", "许可", "审批")),
    Term("二", "row", (f"{ITEM_6}/行政处罚",), ("行政处罚", "处罚", "罚款")),
    Term("二", "row", (f"{ITEM_6}/行政强制",), ("行政强制", "强制措施", "强制执行")),
    Term("二", "row", (f"{ITEM_8}/行政事业性收费",), (
        "行政事业性收费", "事业性收费", "收费", "收了多少钱", "收了多少费", "收多少费", "收取了多少费")),
    Term("二", "column", (DOCS[0],), ("本年制发", "制发", "发布", "出台", "印发", "新制定", "制定", "新发")),
    Term("二", "column", (DOCS[1],), ("本年废止", "废止", "失效", "取消")),
    Term("二", "column", (DOCS[2],), ("现行有效", "有效", "现行")),
    Term("二", "column", (DECISIONS[0],), ("处理决定", "决定数", "决定")),
    Term("二", "column", (FEES,), ("收费金额", "金额", "多少钱")),
    # the 2019 layout of 表二 (reports for 2019 and 2020): its own rows and columns
    Term("二", "row", (f"{ITEM_5}/其他对外管理服务事项",),
         ("其他对外管理服务事项", "其他对外管理服务", "对外管理服务")),
    Term("二", "row", (f"{ITEM_9}/政府集中采购",),
         ("政府集中采购", "集中采购", "政府采购", "采购")),
    Term("二", "column", ("本年新制作数量",), ("本年新制作", "新制作", "新做了")),
    Term("二", "column", ("本年新公开数量",), ("本年新公开", "新公开")),
    Term("二", "column", ("对外公开总数量",), ("对外公开总数", "对外公开", "公开总数")),
    Term("二", "column", ("上一年项目数量",), ("上一年项目数量", "上一年项目数", "上年项目数量", "上年项目数",
                                             "去年的项目数", "上一年项目")),
    Term("二", "column", ("本年增/减",), ("本年增/减", "本年增减", "增/减", "增减", "增加或减少", "增减变化")),
    Term("二", "column", ("采购项目数量",),
         ("采购项目数量", "采购项目数", "采购项目", "采购了几个项目", "项目数量", "项目数")),
    Term("二", "column", ("采购总金额（单位：万元）",),
         ("采购总金额", "采购金额", "采购总额", "采购了多少钱", "采购花了多少", "花了多少钱", "花了多少")),
    # ---- 表四 groups and outcomes ----
    Term("四", "group", ("行政复议",), ("行政复议", "复议", "申请复议", "行政覆议", "覆议")),
    Term("四", "group", ("行政诉讼/未经复议直接起诉",),
         ("未经复议直接起诉", "直接起诉", "直接诉讼", "直接告", "直接去法院告", "直接去法院", "直接上法院",
          "直接到法院")),
    Term("四", "group", ("行政诉讼/复议后起诉",), ("复议后起诉", "复议后再起诉", "复议后诉讼", "复议后告")),
    # 诉讼 alone = both lawsuit groups, summed, with both cells cited
    Term("四", "group", ("行政诉讼/未经复议直接起诉", "行政诉讼/复议后起诉"),
         ("行政诉讼", "诉讼", "打官司", "起诉", "告政府", "被告", "告到法院", "被起诉", "官司", "去法院告",
          "上法院", "去法院", "被人告", "被人起诉", "被告上法庭", "告他们", "告它们", "告了他们", "告过他们"),
         "行政诉讼"),
    Term("四", "outcome", ("结果维持",), ("结果维持", "维持", "胜诉", "赢了", "打赢", "赢了官司")),  # the act upheld
    # 纠正: the agency's act was corrected, i.e. the agency lost
    Term("四", "outcome", ("结果纠正",), ("结果纠正", "纠正", "被纠正", "撤销", "败诉", "输了", "打输", "输掉")),
    Term("四", "outcome", ("其他结果",), ("其他结果",)),
    Term("四", "outcome", ("尚未审结",), (
        "尚未审结", "未审结", "没审完", "还在审", "审理中", "没结案", "未结案", "没审结", "没有审结", "还未审结",
        "未审理完", "尚在审理", "正在审理")),
)

# Rows and columns the two layouts of 表二 print under other names: the same cell, looked up in either layout.
TABLE_2_TWINS = {f"{ITEM_1}/行政规范性文件": f"{ITEM_1}/规范性文件", "本年处理决定数量": "处理决定数量"}

# Taiwan/Hong Kong words written in simplified script, → the mainland word (traditional script goes through OpenCC's
# tw2sp phrase dictionary first, see qa.parse.mainland).
REGIONAL_WORDS = (("资讯", "信息"), ("咨讯", "信息"))

# Connectives inside a label and how people also write them: an alias with "或" matches "或者", "及", "和" … too.
CONNECTIVES = {"或": ("或者", "及", "以及", "和", "与", "、")}
# Those words joining two things a question asks about ("复议或者起诉") qualify neither (qa.plan.uncovered).
JOINERS = ("或", *CONNECTIVES["或"])

# Operation words. "share" needs a denominator (see qa.parse), "diff" two reports, "max"/"min" a ranking.
OPERATIONS: dict[str, tuple[str, ...]] = {
    "sum": ("一共", "合计", "总共", "共计", "加起来", "加在一起", "合起来", "总和", "之和", "累计", "总计", "共多少",
            "共有多少", "共几", "共有几", "加上"),
    "share": ("占比", "比例", "比重", "百分比", "百分之", "占", "所占", "率"),
    "diff": ("增长", "增加", "减少", "下降", "上升", "变化", "变动", "多了", "少了", "相比", "比较", "对比",
             "同比", "差距", "相差", "差多少", "多多少", "少多少", "多出", "比"),
    "max": ("最多", "最高", "最大", "第一多", "排第一", "更多", "多一些", "较多"),
    "min": ("最少", "最低", "最小", "更少", "少一些", "较少"),
    "rank": ("排名", "排序", "排行", "谁", "哪个多", "哪个少", "哪个", "哪一个", "哪一年", "哪年", "哪家", "哪些",
             "哪种", "哪一种", "哪类", "哪一类", "哪项", "哪一项"),
    # change over the years of one agency: a series answer (every year, each year-to-year difference, a line chart)
    "trend": ("趋势", "走势", "历年", "逐年", "这几年", "近几年", "这些年", "近年来", "多了还是少了", "多还是少",
              "增加还是减少", "增多还是减少", "上升还是下降", "涨了还是降了", "变多还是变少", "变化情况", "有什么变化",
              "有何变化", "怎么变化", "如何变化", "怎样变化", "变化如何", "年年", "每一年"),
}
# A ranking over reports (not over rows) when any of these is said.
RANK_OVER_REPORTS = ("部门", "地区", "单位", "机关", "政府", "哪个区", "哪个市", "哪个县", "哪里", "哪家", "哪一年",
                     "哪年", "年份", "哪个地方")
# A ranking over one level of agency ("哪个县…最多"): the level said → the place suffixes of the governments ranked;
# ANY_DEPARTMENT ranks departments only (every organ but a government and its office).
ANY_DEPARTMENT = "部门"
RANK_LEVELS = {"县": ("县",), "区": ("区",), "市": ("市",), "区县": ("区", "县"), "县区": ("县", "区"),
               "县市": ("县", "市"), "市县": ("市", "县"), "镇": ("镇",), "乡": ("乡",), "乡镇": ("乡", "镇"),
               "街道": ("街道",), "省": ("省",), "部门": (ANY_DEPARTMENT,), "局": (ANY_DEPARTMENT,), "片区": ("片区",),
               "开发区": ("开发区",), "乡镇街道": ("乡", "镇", "街道"), "镇街": ("镇", "街道")}
# Cross-footing questions; NARRATIVE_CHECK words turn them to the text-vs-table checks.
CHECK_WORDS = ("勾稽", "对得上", "对不上", "对上", "对得起来", "平衡", "相符", "吻合", "核对", "校验", "核验",
               "算得对", "有没有错", "对不对", "等于总计", "等于合计", "一致", "相等", "等不等于", "有出入",
               "差错", "有误", "准不准", "核实", "矛盾", "打架", "加起来对", "加得对", "加起来等于", "算错", "算对",
               "不成立", "成立吗", "是否成立", "没通过", "未通过", "通过核对", "出错", "有错", "不一致", "不符",
               "不吻合", "对应不上", "加总对", "核对", "为什么是", "为何是", "怎么是", "为什么为",
               # problems of a report's figures (not 存在的主要问题, which is narrative): "哪些报告的数据有问题"
               "数据有问题", "数字有问题", "报告有问题", "年报有问题", "表格有问题", "有问题的报告", "数据不对",
               "数字不对", "数据有错", "数字有错", "数据错误", "数字错误", "数据有没有问题", "数字有没有问题",
               "数据对吗", "数字对吗", "数据准确吗", "数据是否准确", "数字准确吗", "数据可靠吗")
# What is stored, asked ("财金局有几年的报告？"): no report says it; the catalog does (never a paragraph's quote).
STORED_ASKED = ("几年的报告", "哪几年的报告", "哪些年的报告", "哪些年份的报告", "几份报告", "几份年报", "哪几份报告",
                "收录了哪些", "收录了几", "收录哪些", "有哪些报告", "有哪些年报", "有几年的", "报告有几年",
                "报告有哪几年", "报告有哪些年")
# A check question about every report: "哪些报告的核对不成立" lists the reports whose checks fail.
WHICH_REPORTS = ("哪些报告", "哪份报告", "哪个报告", "哪几份", "哪些年报", "哪份年报", "哪个年报", "有没有报告",
                 "哪些机关", "哪些单位", "哪些部门", "哪几家", "哪些地方", "哪些", "有哪份", "有报告")
# One figure per item, not their sum ("分别是多少").
EACH_WORDS = ("分别", "各是", "各有", "各自", "各为")
# Which identities a check question means; none of these = every identity of the tables asked about.
CHECK_FOCUS = {
    "收支": ("结转", "新收", "收支", "一加二", "收到的和办理的"),
    "办理结果": ("办理结果", "各项结果", "处理结果", "各种结果"),
    "行": ("申请人", "各类", "各列", "每一行", "自然人", "企业", "法人"),
}
# Said of a table named ("表三有问题吗", "表二对吗"), these ask whether its figures add up: a check (the figures were
# listed instead). Alone they may ask about the work ("工作有没有问题"): only with a table.
TABLE_CHECK_WORDS = ("有问题", "有没有问题", "有什么问题", "哪里不对", "不对", "对吗", "对么", "正确吗", "准确吗",
                     "有错误", "有没有错误", "靠谱吗")
NARRATIVE_CHECK = ("正文", "文字", "叙述", "文中", "报告里写", "文字部分")
# Words asking for a number; without one (and without an operation) a question goes to the narrative. A yes or no
# about what a cell counts ("有没有人申请", "是否被起诉") is answered by that cell too: 0 is no, more is yes.
QUANTITY = ("多少", "几件", "几个", "几次", "几项", "几", "数量", "数目", "总数", "件数", "金额", "数字", "数据",
            *HANDLED, "统计", "是多少", "有多少", "多大", "多高", *ALL_DISCLOSED, "有没有", "是否", "有无")
# Words asking how many: a paragraph quoted for such a question must state a count, or the answer says it has none.
COUNT_WORDS = ("多少", "几件", "几个", "几次", "几场", "几项", "几条", "几名", "几人", "几家", "几期", "几篇", "几批",
               "几轮", "几份", "几位", "几场次", "数量是", "数目")
# Topics no annual report on information disclosure holds: unanswerable, never a near-miss.
OFF_TOPIC = ("GDP", "生产总值", "人口", "天气", "气温", "降雨", "空气质量", "房价", "工资", "失业率", "股票", "股市",
             "股价", "国土面积", "人均收入", "居民收入", "经济增速", "经济增长率", "财政收入", "税收收入", "招商引资",
             "游客", "旅游收入", "进出口", "零售总额", "粮食产量", "高考", "床位", "可支配收入", "降水", "降雨量",
             "出生人口", "新生儿", "公务员招录", "研发投入", "科研经费", "成交量", "营业收入", "利润")
# Verbs that name a 表三 row only when said of requests: "办理了多少条市长信箱留言" is not 办结, "收了多少信息处理费"
# is not 新收. With no other table word, a question whose object is something else goes to the narrative.
WEAK_VERBS = ("收到", "受理", "接收", "接到", "收了", "办结", "办理了", "办理完", "办完了", "处理了", "答复了", "答复",
              "共办理", "总共办理", "办理数量")
# What a question about requests may say besides table words: these name the table's own object, not another one.
TABLE_OBJECTS = (
    "政府信息公开申请", "信息公开申请", "依申请公开", "政府信息公开", "信息公开", "政府信息",
    "申请人", "申请", "申请件", "案件", "事项", "数量", "多少", "总数", "件数", "一共",
    "共计", "全年", "全部", "提出", "提交", "作出", "政府", "信息", "本年度", "本年",
    "今年", "当年", "年度", "地方", "地区", "部门", "单位", "哪个", "各地", "排名", "最多",
    "最少", "麻烦", "一下", "帮我", "帮忙", "查查", "查询", "查一下", "告诉我", "想知道",
    "知道", "了解", "请问", "问一下", "我想问", "想问", "问下", "我想", "谢谢", "您好", "你好",
    "总共", "共", "公开申请", "报告", "年报", "年度报告", "工作",
    "两家", "三家", "四家", "几家", "各家", "这些家",
)
# Units a question may count in that no table counts in (the tables count 件 and 万元), with the tables that do.
NARRATIVE_UNITS = {"条": (), "篇": (), "期": (), "场": (), "处": (), "家": (), "轮": (), "名": (), "位": (), "批次": (),
                   "人次": (), "次": ("四",), "人": ("三",), "元": ("二",), "个百分点": (),
                   # durations: no table counts time ("平均办理时间是多少天")
                   "天": (), "个工作日": (), "工作日": (), "日": (), "小时": (), "分钟": (), "个月": ()}
# A question about the future: the reports hold what happened, never a forecast.
FUTURE_WORDS = ("预计", "预测", "预估", "估计会", "将会有", "会有多少", "会收到", "计划收到", "能收到", "目标是")
# Words a narrative question and a report say differently: a paragraph holding any word of the group counts as
# holding the question's word ("有啥不足" is answered by "仍存在短板"). Single characters never: they match anything.
NARRATIVE_SYNONYMS = (
    ("问题", "不足", "短板", "差距", "薄弱", "欠缺", "弱项"),
    ("改进", "整改", "下一步", "下阶段", "打算", "改进措施"),
    ("收取", "收费", "收缴"),
    ("处理费", "信息处理费", "收费"),
    ("电话", "联系电话", "联系方式"),
    ("地址", "联系地址", "办公地址"),
    ("公报", "政府公报"),
    ("网站", "门户网站", "政府网站"),
    ("措施", "举措", "做法"),
    ("看到", "查看", "查阅", "下载", "电子版"),  # "年报在哪里可以看到": "本报告的电子版在…网站公布"
    ("追责", "问责", "责任追究"),
    # "统计期限是什么时候": 苏平片区 2019 says "内容涵盖2019年9月1日至12月31日期间" (it was set up in September)
    ("统计期限", "统计期间", "统计时段", "时间范围", "涵盖"),
)
# What a narrative question asks for → words that mark the paragraphs saying it, in their text or their section's
# headings: the plans after the problems, and the problems (the national format's 五、存在的主要问题及改进情况).
NARRATIVE_CUES = (
    (("下一步", "打算", "今后", "改进措施", "怎么改进", "如何改进", "计划"),
     ("下一步", "下阶段", "今后", "我们将", "将切实", "将进一步", "将着力", "将采取", "采取以下措施", "改进措施",
      "改进举措", "整改措施")),  # "（二）改进举措": 交通与建设局 2022 answered "有哪些改进措施" with its problems
    (("问题", "不足", "短板", "差距", "薄弱", "欠缺", "弱项"),
     ("存在的主要问题", "存在问题", "主要问题", "存在的问题", "不足", "薄弱", "欠缺")),  # not 短板: "补短板" is a plan
)
# The national format's part 六 (其他需要报告的事项) is where a report states the 信息处理费 it charged: a
# question about fees that no paragraph answers is answered by that part when it says only "无。", quoted.
OTHER_MATTERS = "其他需要报告的事项"
OTHER_MATTERS_TOPICS = ("处理费", "收费", "收取费用", "收了费", "收钱")
# A question asking for a telephone number: the sentence printing one is quoted ("联系电话" found the sentence
# saying 联系 and stopped before "电话：0591-23165250"); PHONE_NUMBER is such a number as printed.
PHONE_WORDS = ("电话", "号码", "联系方式", "热线")
PHONE_NUMBER = r"(?<!\d)(?:\d{3,4}[-－—]?)?\d{7,8}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)"
# A narrative sentence saying no request came ("全年未收到政府信息公开申请"): quoted for 本年新收 when the report's
# 表三 is not printed (a page cut short), never turned into a figure.
NO_REQUESTS = r"(?:未|没有|无)(?:收到|受理|接到)[^。；;，,]{0,12}?申请"
# A narrative question asking for a list ("存在什么问题", "有哪些改进措施"): a paragraph listing its answer as 一是…
# 二是… is quoted for the whole list, not the one item nearest the question's words (qa.sentences.whole_list).
LIST_WORDS = ("什么", "哪些", "哪几", "有何", "哪方面", "哪几方面")
# A person's name (as jieba tags it) counts only next to these: "申请人李四", "张三向浏阳市申请".
PERSON_BEFORE = ("申请人", "当事人", "市民", "村民", "居民", "群众", "公民", "本人", "名叫", "叫做", "我叫", "老人")
PERSON_AFTER = ("向", "申请", "提出", "先生", "女士", "反映", "本人", "老师", "同志")
# "其他呢" after a question about one kind of applicant ("法律服务机构申请了多少件") is the column 其他 of 法人或其他
#组织 (it was read as "六、其他需要报告的事项"): these words, said alone in a follow-up to a 表三 column.
OTHER_WORDS = ("其他", "其它", "其他的", "其它的")
OTHER_APPLICANTS = "法人或其他组织/其他"
# A follow-up question leans on the previous one ("那自然人呢？", "和2022年比呢？", "其中企业有多少？").
FOLLOWUP_PREFIXES = ("那么", "那", "其中", "还有", "另外", "再问", "同样", "换成")
FOLLOWUP_SUFFIXES = ("呢", "呢吗")

# Years. Calendar words are relative to today's date (今年 = the current calendar year); the context words are
# relative to the year the conversation is about (上一年 after "2023年…" is 2022). "本年/本年度" is not here: in
# these reports it means the year reported on, as in the row labels.
CALENDAR_YEARS = {"大前年": -3, "前年": -2, "去年": -1, "今年": 0, "明年": 1, "后年": 2, "来年": 1}
# Said right before a year, these make it the year requests are carried into ("结转到2026年"): the report is the
# year before's, and the row its 结转下年度继续办理 (qa.year_words).
CARRIED_INTO = ("结转到", "结转至", "转到", "转入", "顺延到", "顺延至", "留到", "拖到")
CONTEXT_YEARS = {"上一年度": -1, "上一年": -1, "上年度": -1, "上年": -1, "前一年": -1, "次年": 1, "下一年": 1,
                 "后一年": 1, "同一年": 0, "同一年度": 0, "同年": 0, "同年度": 0, "那一年": 0, "这一年": 0, "该年": 0,
                 "该年度": 0}
# Calendar words that mean "the latest report" when the calendar year's report is not out yet (the answer says so).
FALLBACK_YEARS = ("今年", "去年")
# The latest stored report of each agency in scope.
LATEST_WORDS = ("最新一年", "最新一期", "最新一份", "最新的", "最新", "最近一年", "最近一期", "最近一份", "最近的一份")
# Every stored year ("历年"); "近三年", "这三年" are read as spans by qa.year_words.
ALL_YEARS = ("历年来", "历年", "这几年", "近几年", "最近几年", "这些年", "每一年", "每年", "各年度", "各年", "逐年",
             "所有年份", "哪几年", "历次")
# Words joining the two ends of a range of years ("2021到2023年", "2021—2023年").
RANGE_WORDS = ("到", "至", "-", "—", "–", "~", "～", "－", "一直到")

# Agencies: the endings of place names, and of department names (for places a question names that no report is from).
ADMIN_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "综合实验区", "经济开发区", "开发区", "新区", "省", "市",
                  "州", "盟", "县", "片区", "区", "旗", "镇", "乡", "街道")
DEPARTMENT_SUFFIXES = ("委员会", "局", "厅", "委", "办", "署", "院")
# An organ's last word said after its name's nouns ("社会/事业/局", "融/媒体/中心", "区委/宣传部", "党工委/办"):
# with them, a body the question names; not one stored, it is refused as such, never read as a person or nothing.
ORGAN_TAILS = (*DEPARTMENT_SUFFIXES, "部", "中心")
# An organ said with no name ("管理局2024年…", "这个局…"): it names no agency, so a question that says nothing else is
# asked which one is meant (or, in a conversation, means the agency it is about). POINTED_ONLY count only after a
# pointing word ("该局", "这个政府"): alone they begin other words ("局长", "政府网站").
NAMELESS_ORGANS = ("人民政府", "管理委员会", "管委会", "委员会", "管理局", "办公室", "办公厅", "办事处",
                   "政府", "局", "委", "厅", "办")
POINTED_ONLY = ("政府", "局", "委", "厅", "办")
POINTING_WORDS = ("这个", "那个", "这家", "该", "本", "贵", "你们", "我们")
# Organs of a place (qa.agencies): a name ends in one of these words, or in a department below, or in nothing
# (then it is the place's government: "平潭综合实验区"). The office words are the government's general office.
GOVERNMENT_WORDS = ("人民政府", "政府", "管理委员会", "管委会")
OFFICE_WORDS = ("人民政府办公室", "人民政府办公厅", "政府办公室", "政府办公厅", "政府办", "府办", "办公室", "办公厅")
# Zones said in other words: "乐平开发区" for 乐平经济开发区, "白沙实验区" for 白沙综合实验区.
ZONE_FORMS = (("经济技术开发区", "经济开发区", "开发区", "经开区"), ("高新技术产业开发区", "高新技术开发区", "高新区"),
              ("综合实验区", "实验区"))
# Place endings of one level with another ("哪个县" ranks 自治县 too, "哪个区" 新区 but no 片区 or 开发区).
SAME_LEVEL = {"新区": "区", "综合实验区": "区", "经济开发区": "开发区", "自治县": "县", "自治州": "州"}
# Levels a question may put before an organ without naming the place: "市政府", "县发改局", "区人社局".
LEVEL_WORDS = ("自治区", "自治州", "自治县", "省", "市", "州", "盟", "县", "片区", "区", "旗", "镇", "乡", "街道")
# Departments (组成部门 and common bodies), each as (its standard name, other names and short forms). A stored
# name in any of these forms is that department; a question naming any form means it, never the government.
DEPARTMENTS: tuple[tuple[str, ...], ...] = (
    ("发展和改革委员会", "发展和改革局", "发展改革委员会", "发展改革委", "发展改革局", "发改委", "发改局"),
    ("教育局", "教育委员会", "教委", "教育厅"),
    ("教育和体育局", "教育体育局", "教体局"),
    ("科学技术局", "科学技术委员会", "科技局", "科委", "科学技术厅", "科技厅"),
    ("工业和信息化局", "工业和信息化委员会", "工业和信息化厅", "工信局", "工信委", "工信厅"),
    ("经济和信息化局", "经济和信息化委员会", "经信局", "经信委"),
    ("公安局", "公安厅"),
    ("民政局", "民政厅"),
    ("司法局", "司法厅"),
    ("财政局", "财政厅"),
    ("人力资源和社会保障局", "人力资源社会保障局", "人力资源和社会保障厅", "人社局", "人力社保局", "人社厅"),
    ("自然资源局", "自然资源和规划局", "自然资源厅", "自然资源和规划委员会", "自规局", "规划和自然资源局"),
    ("生态环境局", "生态环境厅", "环境保护局", "环保局"),
    ("住房和城乡建设局", "住房城乡建设局", "住房和城乡建设委员会", "住房和城乡建设厅", "住建局", "住建委", "住建厅"),
    ("交通运输局", "交通运输委员会", "交通运输厅", "交通局", "交委"),
    ("水利局", "水务局", "水利厅", "水务厅"),
    ("农业农村局", "农业农村委员会", "农业农村厅", "农业局", "农委"),
    ("商务局", "商务委员会", "商务厅", "商委"),
    ("文化和旅游局", "文化广电和旅游局", "文化广电旅游局", "文化旅游局", "文化和旅游厅", "文旅局", "文广旅局",
     "文广旅体局"),
    ("卫生健康委员会", "卫生健康局", "卫生和健康委员会", "卫生健康委", "卫健委", "卫健局", "卫生健康厅"),
    ("退役军人事务局", "退役军人事务厅", "退役军人局"),
    ("应急管理局", "应急管理厅", "应急局"),
    ("审计局", "审计厅"),
    ("市场监督管理局", "市场监管局", "市场监督管理厅", "市监局"),
    ("统计局",),
    ("医疗保障局", "医保局"),
    ("林业局", "林业和草原局", "林草局"),
    ("体育局",),
    ("国有资产监督管理委员会", "国资委"),
    ("国有资产管理局", "国有资产监督管理局", "国资局"),
    ("城市管理局", "城市管理和综合执法局", "城市管理综合执法局", "城市管理委员会", "城管局", "城管委"),
    ("信访局",),
    ("机关事务管理局", "机关事务局"),
    ("政务服务管理局", "政务服务和数据管理局", "政务服务局", "政务服务管理办公室", "政务办"),
    ("数据局", "大数据局", "大数据管理局", "大数据发展管理局", "数据资源管理局"),
    ("行政审批局", "行政审批服务局", "审批局"),
    ("粮食和物资储备局", "粮食局", "粮储局"),
    ("人民防空办公室", "人防办"),
    ("管委会办公室", "管理委员会办公室", "管委办"),  # a zone's 管委会's office: "管委办" named nothing (平潭)
    ("民族宗教事务局", "民族宗教事务委员会", "民宗局", "民宗委"),
    ("档案局",),
    ("气象局",),
    ("税务局",),
    ("地方金融监督管理局", "地方金融管理局", "金融工作局", "金融局", "金融办"),
    ("乡村振兴局", "扶贫开发办公室", "扶贫办"),
    ("外事办公室", "外事办", "外办"),
    ("台湾事务办公室", "台办"),
    ("侨务办公室", "侨办"),
    ("广播电视局", "广电局"),
    ("知识产权局",),
    ("住房公积金管理中心", "公积金中心"),
)
# The governing body of an area below the county is that area's government (qa.agencies): "君山片区管理局" is
# 君山片区's, "苏平街道办事处" 苏平街道's; the area alone ("君山片区", "君山") names it, and "哪个片区" ranks them.
AREA_GOVERNMENTS = {"片区": ("管理局",), "街道": ("办事处", "办")}
# Organ suffixes of a department's name and their short forms (qa.agencies.organ_forms): "财政金融局" is also said
# "财政金融"; 委员会 → 委, 管理委员会 → 管委会, 办公室 → 办. Longest first.
ORGAN_SUFFIXES = (("管理委员会", ("管委会", "管委")), ("委员会", ("委",)), ("办公室", ("办",)), ("管理中心", ("中心",)),
                  ("中心", ()), ("局", ()), ("委", ()), ("办", ()), ("厅", ()), ("署", ()))
# Words joining the fields of a merged department ("旅游与文化体育局"); a stem of four characters and no joining
# word is two fields run together ("财政金融", "经济发展", "文化体育").
COMPOUND_JOINS = ("与", "和", "及", "、")
# Fields that alone name no department: "应急管理局" is never "管理局", "机关事务局" never "事务局".
GENERIC_FIELDS = ("管理", "事务", "服务", "综合", "行政", "工作", "监督", "发展", "建设", "保障", "资源")
# OCR slips seen in agency names, (right, as printed): either spelling names the report (沐阳 printed for 沭阳), and
# a printed slip is shown with the right name beside it ("沐阳县（即沭阳县）"). Whole place words, not characters:
# 沐川县 is a real county.
NAME_SLIPS = (("沭阳", "沐阳"),)
# Place-like words that name no agency ("全市", "哪个地区").
PLACE_STOPWORDS = ("全市", "本市", "我市", "全区", "本区", "我区", "全县", "本县", "我县", "各区", "各市", "各县",
                   "全省", "本省", "全国", "中国", "国家", "该市", "该区", "地区", "城区", "市区", "辖区", "社区",
                   "园区", "景区", "小区", "山区", "哪个区", "哪个市", "哪个县", "哪个地区", "中华人民共和国", "国务院")


# ---- named measures (qa.rates): rates people ask for by name, each a formula over template cells ----------------


@dataclass(frozen=True)
class Rate:
    """A rate asked for by name: the sum of some cells over the sum of others, as a percentage.

    表三: `numerator`/`denominator` are rows, the column is the question's (总计 when it names none).
    表四: they are outcomes, the appeal group is the question's (行政复议 and 行政诉讼 each when it names none).
    table "": the question's own figure this year against the year before — (本年 − 上年) ÷ 上年."""

    name: str  # "公开率"
    aliases: tuple[str, ...]  # how people say it; matched in normalised text, longest first
    table: str  # "三" | "四" | ""
    numerator: tuple[tuple[str, str], ...]  # (row path or outcome, short label printed in the formula)
    denominator: tuple[tuple[str, str], ...]
    none: str  # said when the denominator is 0 ("没有已办结的申请"): never 0% or 100%


DISCLOSED_ROW = f"{RESULTS}/（一）予以公开"
# What a sentence printing a rate of a table must speak of to be that rate ("12345热线…办理率达100%" is not 办结率).
RATE_TOPICS = {"三": ("申请",), "四": ("复议", "诉讼")}
RATES: tuple[Rate, ...] = (
    Rate("公开率", ("公开率", "申请公开率", "依申请公开率"), T3,
         ((DISCLOSED_ROW, "予以公开"), (PARTLY, "部分公开")), ((DONE, "办理结果总计"),), "没有已办结的申请"),
    # as the reports print it: "1件公开申请已办结，办结率100%" — 办结 of what there was to handle (新收 + 上年结转)
    Rate("办结率", ("办结率", "结案率", "按时办结率", "办理率"), T3,
         ((DONE, "办理结果总计"),), ((NEW, "本年新收"), (CARRIED, "上年结转")), "没有需要办理的申请"),
    Rate("不予公开比例", ("不予公开比例", "不予公开比率", "不予公开率", "不予公开的比例", "不公开率", "不公开比例",
                        "拒绝公开率", "拒绝率"), T3,
         ((WITHHELD, "不予公开"),), ((DONE, "办理结果总计"),), "没有已办结的申请"),
    Rate("纠错率", ("纠错率", "被纠错率", "纠正率", "被纠正率", "败诉率"), "四",
         (("结果纠正", "结果纠正"),), (("总计", "总计"),), "没有案件"),
    Rate("增长率", ("同比增长率", "增长率", "增幅", "增长幅度", "增速", "增长百分比", "下降率", "降幅", "减少率"), "",
         (), (), "上一年为0"),
)
# What the rates of a table are rates of: said with the rate ("依申请公开的办结率"), these words qualify nothing.
RATE_SUBJECTS = {"三": "政府信息公开申请依申请公开办理", "四": "政府信息公开行政复议行政诉讼案件"}
RATE_SUBJECT_NAMES = {"三": "政府信息公开申请（表三）", "四": "政府信息公开行政复议、行政诉讼案件（表四）"}
# Words ending in 率 that name no rate a report's tables hold, nor any rate (比率 is "share"): not an unknown rate.
NOT_RATES = ("比率", "占比率", "效率", "概率", "频率")
# What a rate question may say besides the rate, the agency, the year and the table's words: the frame.
RATE_FRAME = ("按表格算", "按表格计算", "按表算", "根据表格", "按表格", "表格", "计算", "算出", "算", "有多高", "多高",
              "多大", "高不高", "百分之几", "百分比", "几成", "情况", "怎么样", "如何")
# Words that name the 表二 cell another way for one row: "政府集中采购的金额" is its 采购总金额, not a fee.
TABLE_2_ALIKE = {(f"{ITEM_9}/政府集中采购", FEES): "采购总金额（单位：万元）"}
# 表二 columns only one row prints: said alone ("采购总金额是多少"), they name that row too.
TABLE_2_IMPLIED = {"采购项目数量": f"{ITEM_9}/政府集中采购", "采购总金额（单位：万元）": f"{ITEM_9}/政府集中采购",
                   FEES: f"{ITEM_8}/行政事业性收费"}

# ---- What a table cell covers (qa.plan.uncovered): every word of a figure question must be accounted for by the
# cell's row and column labels, the agency, the year or the question frame; a word left over (a channel "网上", a
# programme "12345热线", a kind of case, a line of work) narrows the question below what the cell counts, and the
# question goes to the narrative instead. These are the frame's words, not a list of banned qualifiers.
FRAME_WORDS = ("所以", "因此", "因而", "从而", "导致",
               "因为", "因", "由于", "而", "被", "到", "从", "过来", "还", "各", "最后", "最终", "来", "为", "后",
               "新", "多", "少", "一类", "这类", "情形", "情况", "涉及", "属于", "收取", "作出", "做出", "给", "对",
               "所", "得", "结果", "被人", "一年", "下来", "这些", "那些", "一些", "其", "啥", "什么", "怎么样",
               "如何", "怎样", "有没有", "是不是", "多少钱", "统计", "总数", "合计数", "理由", "原因", "其中",
               "里面", "当中", "认定为", "认定")
# Measure words people count requests, cases and documents in besides 件 ("几份申请", "几起诉讼", "几宗复议"): a
# question asking in one of them asks in 件, the unit the tables and the reports' sentences print.
LIKE_PIECES = ("份", "宗", "起", "例")
# Negations: a single one left over is never the frame ("有多少没有公开" is not 新收): the cell does not cover it.
NEGATIONS = ("没", "未", "不", "无", "非", "否")
# Words for money a cell in 万元 accounts for ("花了多少钱", "金额"): its unit, said in everyday words.
MONEY_WORDS = ("钱", "金额", "费用", "花费", "资金")
# Everyday words for words of the labels: a label said in these words is still covered ("没按…交费" = 未按…缴纳费用).
LABEL_PARAPHRASES = (("交费", "缴纳费用"), ("缴费", "缴纳费用"), ("没按", "未按"), ("继续办", "继续办理"),
                     ("不再处理", "不予处理"), ("涉密", "国家秘密"), ("机关", "行政机关"))
# Aliases that name a 表三 row only when said of requests: "信访举报投诉类申请" are requests; "处理了多少件群众信访"
# asks about the agency's own petitions, which no table counts. REQUEST_WORDS (or the row's own group, 不予处理)
# say that the question is about requests.
REQUEST_ONLY = ("信访", "举报", "投诉")
REQUEST_WORDS = ("申请",)
# Measure words a stated count ends in ("161条", "抽检12批次", "三场"), longest first when matched; a question asking
# "多少条" is answered only by a count in 条 (qa.answer.gives_count). Dates ("1月5日") are no counts.
# 个 is the measure word that stands for any other said of a counted thing: "政策解读21个" answers 多少篇, and "新闻
# 发布会12场" answers 几个. Never for money, time or shares (万元, 天, %).
GENERIC_MEASURE = "个"
# Measure words of occurrences, each answering a count asked in another: "开了几次培训会" is answered by "培训会2场",
# "几场发布会" by "12次", "网上调查几次" by "4期".
EVENT_MEASURES = ("次", "场", "期", "轮", "批", "批次")
# Measure words of pieces published, each answering a count asked in the other: "政策解读发了几篇" is answered by
# "解读类信息发布21条".
PIECE_MEASURES = ("篇", "条")
COUNTED_THINGS = ("件", "次", "场", "项", "条", "名", "人", "家", "期", "篇", "批", "批次", "轮", "份", "位", "户",
                  "所", "张", "人次")
COUNT_MEASURES = ("批次", "人次", "万元", "亿元", "个百分点", "元", "件", "个", "次", "场", "项", "条", "名", "人",
                  "家", "期", "篇", "批", "轮", "份", "位", "户", "所", "张", "吨", "天", "%", "％")
# Words that state a count of none ("未收取", "没有产生").
NONE_WORDS = ("未", "没有", "均无", "为零", "无")
# Questions asking who holds an office ("局长是谁"): only a quote that names a person answers them (qa.answer).
WHO_WORDS = ("是谁", "是哪位", "哪位", "姓名", "姓什么", "由谁")
