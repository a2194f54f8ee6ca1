"""Stored check results (勾稽关系, text vs table) → answers with the numbers on both sides and their cells cited."""

from __future__ import annotations

import re

from core.records import Answer, Cell, Check, Citation
from core.text import norm
from core.vocabulary import CHECK_FOCUS
from qa.focus import Focus
from qa.intent import Intent
from qa.labels import cell_label, number
from qa.scope import Catalog
from store import Store

STATUS = {"pass": "成立", "fail": "不成立", "unknown": "无法判断（有数值无法确定）",
          "note": "已按表头单位换算（说明，不是错误）"}
SHOWN = 5  # checks written out per report
REPORTS_SHOWN = 10  # reports listed by "哪些报告…有问题"; the rest are counted (the staff tab lists them all)


def _table(check: Check) -> str:
    parts = check.name.split("/")
    return parts[1] if check.kind == "narrative" else parts[0]


def _about(check: Check, focus: Focus | None) -> bool:
    """Whether a check concerns what the question names: its table, and its rows or appeal groups if named."""
    if focus is None:
        return True
    if _table(check) != focus.table:
        return False
    named = [t for p in focus.first for t in p.targets]
    return not named or any(f"/{t}/" in check.name + "/" for t in named)


def _selected(checks: list[Check], intent: Intent, text: str) -> list[Check]:
    """The checks a question asks about; a question naming nothing the checks name gets all of its kind."""
    kind = "narrative" if "叙述" in intent.tables else "identity"
    tables = [t for t in intent.tables if t != "叙述"]
    out = [c for c in checks if c.kind == kind and (not tables or _table(c) in tables)]
    words = [k for k, ws in CHECK_FOCUS.items() if any(w in text for w in ws)]
    scoped = [c for c in out if kind == "identity" and c.name.startswith("三/") and any(
        c.name.endswith("/" + k) or c.name.startswith(f"三/{k}/") for k in words)]
    return scoped or [c for c in out if _about(c, intent.focus)] or out


def _headline(check: Check) -> bool:
    return "/总计/" in check.name or check.name.startswith("四/")


class Consistency:
    """Answers "表三勾稽关系成立吗？" from the checks stored at ingest time."""

    def __init__(self, store: Store, catalog: Catalog) -> None:
        self.store = store
        self.catalog = catalog

    def answer(self, intent: Intent) -> Answer:
        if intent.operation == "list":
            return self.failing(intent)
        text = norm(intent.question)
        lines: list[str] = []
        citations: list[Citation] = []
        for report in intent.reports:
            checks = _selected(self.store.checks(report), intent, text)
            if not checks:
                what = "正文数字" if "叙述" in intent.tables else "勾稽关系"
                lines.append(f"{self.catalog.label(report)}报告没有可核对的{what}。")
                continue
            cells = {c.address: c for c in self.store.cells(report=report)}
            lines.append(self._summary(report, checks))
            shown = [c for c in checks if c.status != "pass"][:SHOWN] or [c for c in checks if _headline(c)][:3]
            for check in shown or checks[:1]:
                line, cited = self.explain(check, cells)
                lines.append(f"- {line}")
                citations += cited
        cites = tuple(dict.fromkeys(citations))
        return Answer(intent.question, bool(cites), "\n".join(lines), cites, "check" if cites else "unanswerable",
                      tuple(intent.reports))

    def failing(self, intent: Intent) -> Answer:
        """"哪些报告的核对不成立": exactly the reports in scope with a failed or undecidable check, failures first."""
        failed = self.store.open_reports(sorted(set(intent.reports)))
        if not failed:
            return Answer(intent.question, True, f"已收录的{'、'.join(self.catalog.label(r) for r in intent.reports)}"
                          "报告，勾稽关系和正文与表格的核对全部成立。", (), "check", tuple(intent.reports))
        order = sorted(failed, key=lambda r: (not failed[r], r))
        shown = tuple(order[:REPORTS_SHOWN])
        bad: dict[str, list[Check]] = {}
        for report, check in self.store.problems(reports=shown):  # the staff findings view's source
            if check.status != "note":  # a unit converted exactly is said to staff, no problem of the report
                bad.setdefault(report.id, []).append(check)
        lines: list[str] = []
        citations: list[Citation] = []
        for report in shown:
            involved = {report} | {a.split("/", 1)[0] for c in bad[report] for a in c.left_terms + c.right_terms}
            cells = {c.address: c for r in involved for c in self.store.cells(report=r)}  # across years: both
            checks = sorted(bad[report], key=lambda c: c.status != "fail")
            fails = any(c.status == "fail" for c in checks)
            what = "有核对不成立：" if fails else "有核对因数值无法确定无法判断："
            lines.append(f"{self.catalog.label(report)}报告：{what}")
            for check in checks[:SHOWN]:
                line, cited = self.explain(check, cells)
                lines.append(f"- {line}")
                citations += cited
        if len(order) > REPORTS_SHOWN:
            lines.append(f"……共 {len(order)} 份报告有核对问题，以上为前 {REPORTS_SHOWN} 份；"
                         "全部见“报表与核对”中的核对问题清单（可按机关、年度筛选并下载 CSV）。")
        return Answer(intent.question, True, "\n".join(lines), tuple(dict.fromkeys(citations)), "check", shown)

    def _summary(self, report: str, checks: list[Check]) -> str:
        """No counts: every number an answer states is a cited figure."""
        what = "正文与表格数字核对" if checks[0].kind == "narrative" else "勾稽关系核对"
        head = f"{self.catalog.label(report)}报告{what}"
        statuses = {c.status for c in checks}
        if statuses == {"pass"}:
            return f"{head}全部成立。"
        parts = (["以下各项不成立"] if "fail" in statuses else []) + \
            (["有的项目因数值无法确定无法判断"] if "unknown" in statuses else [])
        return f"{head}：{'；'.join(parts)}（其余成立）："

    def explain(self, check: Check, cells: dict[str, Cell]) -> tuple[str, list[Citation]]:
        """One check in words with the numbers on both sides, and the cells and paragraphs behind them."""
        if check.kind == "narrative":
            return self._narrative(check, cells)
        sides, cited = [], []
        for terms, total in ((check.left_terms, check.left), (check.right_terms, check.right)):
            found = [cells[a] for a in terms if a in cells]
            cited += [Citation.from_cell(c) for c in found]
            shown = " + ".join("?" if c.value is None else number(c.value) for c in found)
            sides.append(f"{shown} = {number(total)}" if len(found) > 1 and total is not None else
                         (number(total) if total is not None else f"{shown}（含无法确定的数值）"))
        return f"{check.description}：左边 {sides[0]}，右边 {sides[1]}，{STATUS[check.status]}。", cited

    def _narrative(self, check: Check, cells: dict[str, Cell]) -> tuple[str, list[Citation]]:
        cited: list[Citation] = []
        for address in check.left_terms:
            head, _, num = address.rpartition("/")
            report, _, section = head.partition("/")
            if num.isdigit() and (p := self.store.paragraph(report, section, int(num))):
                cited.append(Citation.from_paragraph(p))
        found = [cells[a] for a in check.right_terms if a in cells]
        cited += [Citation.from_cell(c) for c in found]
        where = "、".join(cell_label(c.table, c.row, c.column) for c in found) or "表格"
        values = " + ".join("?" if c.value is None else number(c.value) for c in found)
        if len(found) > 1:
            where += "之和"
            values += f" = {number(check.right)}" if check.right is not None else ""
        left = number(check.left) if check.left is not None else "?"
        verdict = {"pass": "一致", "fail": "不一致"}.get(check.status, "无法判断（表中数值无法确定）")
        return f"{quoted(check)}：正文 {left}，{where} {values or '无法确定'}，{verdict}。", cited


def quoted(check: Check) -> str:
    """The narrative words a text-vs-table check is about: "正文“受理政府信息公开申请17件”"."""
    m = re.match(r"正文“[^”]*”", check.description)
    return m.group(0) if m else check.description
