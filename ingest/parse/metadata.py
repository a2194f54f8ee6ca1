"""Report text → its metadata: issuing agency, the year reported on, title as printed, publication date."""

from __future__ import annotations

import re

from core.text import to_simplified
from ingest.parse.clean import clean_text
from ingest.parse.sections import DATE_LINE, report_lines

# A line that is only an issuing body's name (a signature, or a name line under a title that lacks it).
AGENCY_LINE = r"[\u4e00-\u9fff（）()]{2,30}?(?:人民政府|政府|办公室|办公厅|委员会|管委会|局|厅|委|署|院|中心|实验区)"


def metadata(text: str, filename: str) -> dict:
    """agency, year (the year reported on), title (as printed) and published (ISO date or None)."""
    text = clean_text(text)
    title = _printed_title(text)
    plain = re.sub(r"\s+", "", to_simplified(title))
    simplified = to_simplified(text)  # once: converting a whole report costs tens of milliseconds
    return {
        "agency": _agency(plain) or _signed_agency(text) or _stated_agency(simplified),
        "year": _year(plain, simplified, filename),
        "title": title,
        "published": _published(simplified),
    }


def _printed_title(text: str) -> str:
    """The 标题: line of a web copy, else the first lines up to the one ending in 报告."""
    found = re.search(r"^\s*(?:标题|標題)\s*[:：]\s*(.+?)\s*$", text, re.M)
    if found:
        return found.group(1)
    head: list[str] = []
    for line in [x for x in report_lines(text) if x][:3]:
        head.append(line.text)
        if re.search(r"报告[)）]?$", to_simplified(line.text)):
            return "".join(head)
    return head[0] if head else ""


def _agency(title: str) -> str:
    """The issuing body as printed in the title: before the year, or between the year and 政府信息公开."""
    year = re.search(r"\d{4}年度?", title)
    agency = title if not year else title[: year.start()] or title[year.end() :]
    return re.split(r"政府信息公开|政务公开", agency)[0].strip("关于的")


def _signed_agency(text: str) -> str:
    """A title without the body's name: the agency line near the top, else the signature above the date."""
    lines = [re.sub(r"\s+", "", to_simplified(x)).lstrip("#") for x in text.split("\n")]
    lines = [x for x in lines if x]
    signed = [lines[i - 1] for i in range(1, len(lines)) if re.fullmatch(DATE_LINE, lines[i])]
    for line in lines[:5] + signed[::-1]:
        if re.fullmatch(AGENCY_LINE, line):
            return line
    return ""


# The opening sentence naming who drew the report up ("本报告…由保康县农业农村局编制", "现将某县人民政府2021年政府信息
# 公开工作年度报告…"): a page titled only "政府信息公开工作年度报告", with neither a name line nor a signature.
_STATED = re.compile(r"由(" + AGENCY_LINE + r")(?:负责)?(?:编制|编写|起草)|现将(" + AGENCY_LINE + r")(?:\d{4}年度?)"
                     r"政府信息公开工作年度报告")


def _stated_agency(text: str) -> str:
    """The body the report's opening says drew it up (in its first 600 characters, simplified), else ""."""
    found = _STATED.search(re.sub(r"\s+", "", text[:600]))
    return (found.group(1) or found.group(2)) if found else ""


def _year(title: str, text: str, filename: str) -> int | None:
    """The year reported on: from the title, else the statistics period of the (simplified) text, else the file
    name."""
    for pattern, where in (
        (r"(\d{4})年", title),
        (r"统计(?:期限|时限|周期|区间|范围)[^。]{0,12}?(\d{4})\s*年", text),
        (r"(?<!\d)(20\d\d)(?!\d)", filename),
    ):
        found = re.search(pattern, where)
        if found and 1990 <= int(found.group(1)) <= 2100:
            return int(found.group(1))
    return None


def _published(text: str) -> str | None:
    """The publication date in the (simplified) text: a 发布时间 line, else the last date printed alone on a line
    (signature)."""
    plain = text
    found = re.search(r"发布(?:时间|日期)\s*[:：]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})", plain)
    if not found:
        dates = [re.fullmatch(DATE_LINE, line.strip().lstrip("#").strip()) for line in plain.split("\n")]
        found = next((d for d in reversed(dates) if d), None)
    if not found:
        return None
    y, m, d = (int(g) for g in found.groups())
    return f"{y:04d}-{m:02d}-{d:02d}" if 1 <= m <= 12 and 1 <= d <= 31 else None
