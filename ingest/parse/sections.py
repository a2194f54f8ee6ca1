"""Cleaned report text → narrative paragraphs addressed by section path.

A section path joins the printed headings, simplified and with full-width brackets:
"一、总体情况/（三）持续强化公开平台建设/一是健全平台管理机制". Text before the first 一、 is "前言".
A heading printed with inline text ("（一）主动公开情况。主要通过…") keeps the text as its paragraph; an
enumeration lead ("一是健全平台管理机制。…") also names a section but stays in its paragraph, since it is
part of the sentence flow. Table cells of parts 二/三/四 are left out: only real sentences are kept there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.records import Paragraph
from core.template import OTHER_MATTERS, PREAMBLE, TABLE_HEADINGS
from core.text import norm, to_simplified

NUMERALS = "一二三四五六七八九十"

# Web-page furniture and metadata lines, matched whole in simplified script.
FURNITURE = (
    r"扫一扫在手机打开当前页",
    r"(?:标题|发布时间|发布日期|文号|发布机构|栏目|原文链接|本地目录|来源|索引号|主题分类|成文日期|发文字号)\s*[:：].*",
    r"页面链接与图片详见.*",
    r"=*\s*正文\s*=*",
    r"当前位置[:：].{0,120}",
    r"《[^》]*》\s*(?:政策)?解读",
    r"附件下载|打印本页|关闭窗口|【打印】|【关闭】",
)
# Furniture glued to the body on one line: the breadcrumb before it, a download link after it.
FURNITURE_PREFIX = r"^当前位置[:：].*?相关链接[:：][\s>-]*"
FURNITURE_SUFFIX = r"\s*附件下载$"
# A signature date on its own line ("2024年2月5日", "(2026年1月23日)").
DATE_LINE = r"[（(]?(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日[)）]?"
# Top-level parts holding the standard tables (二/三/四): only real sentences are kept there.
TABLE_PARTS = (r"主动公开政府信息情况", r"收到和处理", r"行政(?:法)?复议.{0,2}行政诉讼")
# Row labels of table 三 printed like top-level headings ("一、本年新收政府信息公开申请数量").
TABLE_ROWS = (r"本年新收", r"上年结转", r"本年度办理结果", r"结转下")

# Where a standard table's text begins when a one-line page runs it on after a part's sentences ("…其他90条。第二十条
# 第（一）项信息内容…", "…共收到政府信息公开申请0条。（本列数据的勾稽关系为…"): its first label, never a sentence's.
TABLE_STARTS = re.compile(r"第二十条第[（(]一[)）]项|[（(]本列数据的勾稽关系|行政复议行政诉讼结果维持")
SENTENCE_END = "。！？!?"
HEADING_AFTER = SENTENCE_END + "；;"  # an inline 一、/（一） heading follows one of these, a space or a digit (table)
TITLE_MAX = 30  # longer "titles" are sentences, not headings
ENUM_TITLE_MAX = 25  # a 一是 lead this short reads as a heading ("一是健全平台管理机制。")
WRAP_MIN = 20  # a line this long that does not end a sentence was wrapped by the PDF layout

_FURNITURE = re.compile("|".join(f"(?:{p})" for p in FURNITURE))
_MARKER = re.compile(r"([一二三四五六七八九十]{1,2})、|[（(]\s*([一二三四五六七八九十]{1,2})\s*[)）]")
_ENUM = re.compile(r"([一二三四五六七八九十]{1,2})是")
_TITLE_END = re.compile(r"[\s。！？!?；;：:，,（(|]|\d")
_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")
_COUNTED = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?=[\u4e00-\u9fff%％])")  # a figure with its measure word (121条)
# The standard titles of the six parts. On a one-line page a part's heading runs into its first sentence or its
# table's labels ("一、总体情况今年我局共制作…", "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持…"):
# the heading is the standard title at its start, the rest is text.
STANDARD_TITLES = (r"总体情况", *(f"(?:政府信息公开)?{t}" for t in TABLE_HEADINGS.values()),
                   r"存在的主要问题(?:及|和|与)?改进(?:情况|措施)", OTHER_MATTERS)
_STANDARD_TITLE = re.compile("|".join(f"(?:{t})" for t in STANDARD_TITLES))
# A part's heading alone on its line whose numeral a scan lost ("、总体情况", "主动公开政府信息情况"): the standard
# title names the part when it is the next one (parts 一 to 四 by their title, the closing ones after 四).
_BARE_TITLE = re.compile(r"[、，,.．·\-—－]{0,2}\s*(?:" + "|".join(f"({t})" for t in STANDARD_TITLES) + ")")


@dataclass(frozen=True)
class _Line:
    text: str
    markdown: bool = False  # was a markdown heading: stands alone


def _number(numeral: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12."""
    if numeral == "十":
        return 10
    if numeral.startswith("十"):
        return 10 + NUMERALS.index(numeral[1]) + 1
    if len(numeral) == 2:
        return (NUMERALS.index(numeral[0]) + 1) * 10
    return NUMERALS.index(numeral) + 1


def _title(text: str) -> str:
    """A heading as it appears in a path: simplified, no spaces, full-width brackets, no trailing stop."""
    text = re.sub(r"\s+", "", to_simplified(text)).rstrip("。．.:：")
    return text.replace("(", "（").replace(")", "）").replace("/", "／")


def report_lines(text: str) -> list[_Line | None]:
    """Physical lines without furniture and signatures; None where a table row breaks the flow."""
    out: list[_Line | None] = []
    for raw in text.split("\n"):
        markdown = re.match(r"\s*#{1,6}\s", raw) is not None
        line = re.sub(FURNITURE_SUFFIX, "", re.sub(FURNITURE_PREFIX, "", raw.strip().lstrip("#")))
        line = re.sub(r"\s+", " ", line).strip()
        if not line:
            continue  # blank lines do not end paragraphs: PDF→markdown copies break sentences at them
        if "|" in line:
            out.append(None)
        elif re.fullmatch(DATE_LINE, line):
            # a signature: the date, and the agency name printed above it
            if out and out[-1] and len(out[-1].text) <= 20 and not re.search(r"[。，,：:]|报告$", out[-1].text):
                out.pop()
        elif not _FURNITURE.fullmatch(to_simplified(line)):
            out.append(_Line(line, markdown))
    return out


def _is_cells(line: str) -> bool:
    """A line of table cells or labels (inside parts 二/三/四), not a sentence: its figures stand alone. A sentence
    wrapped before its full stop (a PDF's or a scan's line: "2022年，主动公开政府信息121条，涵盖…8条、…") counts
    with measure words, and is kept."""
    if "。" in line:
        return False
    loose = len(_NUMBER.findall(line)) - len(_COUNTED.findall(line))
    return loose >= 2 or len(line) <= 12 or not re.search(r"[\u4e00-\u9fff]", line)


@dataclass(frozen=True)
class _Heading:
    level: int  # 1 = 一、  2 = （一）
    n: int  # its number, for the sequence check of inline headings
    title: str  # as it appears in a path
    start: int  # where the marker starts in the line
    end: int  # where the text after the heading (and its own full stop) starts


def _split_title(rest: str) -> tuple[str, int]:
    """The heading title at the start of `rest` and how many characters it takes, with its own stop."""
    s = rest.lstrip()
    found = _TITLE_END.search(s)
    cut = found.start() if found else len(s)
    # "（二）改进措施一是不断加大交流培训指导。…": the title ends where its list's first item begins
    if lead := re.search(r"(?<=..)一是", s[:cut]):
        cut = lead.start()
    # "（二）政府信息依申请公开办理情况为进一步推进…": the title ends with its closing word where a sentence runs on
    elif run := re.search(r"(?<=...)(?:情况|方面)(?=[^\s。，,；;：:]{4})", s[:cut]):
        cut = run.end()
    after = s[cut:]
    return s[:cut], len(rest) - len(s) + cut + len(after) - len(after.lstrip(" 。．.：:，,；;"))


class _Walker:
    """One pass over the lines: joins wrapped lines, tracks the headings in force, collects paragraphs."""

    def __init__(self, report: str) -> None:
        self.report = report
        self.top: str | None = None
        self.sub: str | None = None
        self.enum: str | None = None
        self.top_n = self.sub_n = 0
        self.enum_next = 0  # number the next 一是-heading of an open run must have; 0 = no run
        self.table = False  # inside part 二/三/四: keep sentences only
        self.buffer = ""  # the paragraph being joined
        self.open = False  # the buffer continues on the next line
        self.enum_lead = False  # the buffer opens with a markdown 一是 heading
        self.paras: list[Paragraph] = []
        self.counts: dict[str, int] = {}

    @property
    def section(self) -> str:
        return "/".join(p for p in (self.top or PREAMBLE, self.sub, self.enum) if p)

    def feed(self, line: _Line | None) -> None:
        if line is None:
            self.flush()
            return
        text = line.text
        found = self.heading(text, 0, start=not self.open) or (None if self.open else self._bare(text))
        if self.table and (found is None or found.start > 0) and _is_cells(text):
            self.flush()
            return
        if line.markdown and _ENUM.match(text):
            self.flush()
            self.buffer, self.open, self.enum_lead = text, True, True  # its body is on the next line
            return
        pos = 0
        while found is not None:
            self.add(text[pos : found.start])
            self.flush()
            self.enter(found)
            pos = found.end
            found = self.heading(text, pos, start=True)
        self.add(text[pos:])
        self.open = bool(self.buffer) and not line.markdown and self.continues(text)
        if not self.open:
            self.flush()

    def continues(self, line: str) -> bool:
        """Whether the buffer goes on in the next line: no sentence end, and the line looks wrapped."""
        plain = to_simplified(self.buffer)
        if plain[-1] in SENTENCE_END or plain.endswith("报告"):
            return False
        if self.top is None and not self.paras:
            return True  # the title block, printed over several short lines until …年度报告
        return len(line) >= WRAP_MIN

    def heading(self, text: str, pos: int, start: bool) -> _Heading | None:
        """The first 一、/（一） heading in text[pos:]; mid-line ones must follow a sentence end."""
        for m in _MARKER.finditer(text, pos):
            i = m.start()
            at_start = start and i == pos
            before = text[i - 1] if i > pos else self.buffer[-1:]
            # a part's standard title heads its part after anything, a table cell's unit too ("…元三、收到和处理")
            if not at_start and not (before and (before in HEADING_AFTER or before.isspace() or before.isdigit())) \
                    and not (m.group(1) and _STANDARD_TITLE.match(text, m.end())):
                continue
            found = self._make(m, text, at_start)
            if found:
                return found
        return None

    def _bare(self, text: str) -> _Heading | None:
        """A line that is only a part's standard title, its numeral lost, as that part's heading when it comes next
        (a repeated caption of the part in force is not)."""
        m = _BARE_TITLE.fullmatch(text)
        if m is None:
            return None
        which = next(i for i, group in enumerate(m.groups()) if group)
        n = which + 1 if which < 4 else self.top_n + 1
        if n != self.top_n + 1 or (which >= 4 and self.top_n < 4) or n > len(NUMERALS):
            return None
        return _Heading(1, n, f"{NUMERALS[n - 1]}、{_title(m.group(which + 1))}", 0, len(text))

    def _make(self, m: re.Match, text: str, at_start: bool) -> _Heading | None:
        numeral = m.group(1) or m.group(2)
        n = _number(numeral)
        rest = text[m.end() :]
        title, used = _split_title(rest)
        standard = _STANDARD_TITLE.match(title) if m.group(1) else None
        if standard and standard.end() < len(title):
            title, used = standard.group(0), len(rest) - len(rest.lstrip()) + standard.end()
        if not 0 < len(title) <= TITLE_MAX:
            return None
        if m.group(1):
            if any(re.search(p, norm(title)) for p in TABLE_ROWS):
                return None
            if self.table and n <= self.top_n:  # a table's own row label, cut by its wrap ("三、本年" | "度办理结果")
                return None
            if not at_start and n != self.top_n + 1:
                return None
            return _Heading(1, n, f"{numeral}、{_title(title)}", m.start(), m.end() + used)
        if not at_start and n not in (1, self.sub_n + 1):
            return None
        return _Heading(2, n, f"（{numeral}）{_title(title)}", m.start(), m.end() + used)

    def enter(self, h: _Heading) -> None:
        if h.level == 1:
            self.top, self.sub, self.top_n, self.sub_n = h.title, None, h.n, 0
            self.table = any(re.search(p, norm(h.title)) for p in TABLE_PARTS)
        else:
            self.sub, self.sub_n = h.title, h.n
        self.enum, self.enum_next = None, 0

    def add(self, text: str) -> None:
        self.buffer += text.strip()

    def flush(self) -> None:
        text, lead = self.buffer, self.enum_lead
        self.buffer, self.open, self.enum_lead = "", False, False
        if text:
            self.emit(text, lead)

    def emit(self, text: str, lead: bool) -> None:
        """Store a joined paragraph, starting a new section at each 一是 lead that reads as a heading."""
        pos = 0
        for m in _ENUM.finditer(text):
            i = m.start()
            if i < pos or (i > 0 and text[i - 1] not in SENTENCE_END):
                continue
            title = self.enum_title(text, m, forced=lead and i == 0)
            if title:
                self.paragraph(text[pos:i])
                self.enum, self.enum_next, pos = title, _number(m.group(1)) + 1, i
        self.paragraph(text[pos:])

    def enum_title(self, text: str, m: re.Match, forced: bool) -> str | None:
        """The section title of an enumeration lead, or None when it is an inline list item."""
        end = next((j for j in range(m.start(), len(text)) if text[j] in SENTENCE_END), len(text))
        lead, body = text[m.start() : end], text[end + 1 :].strip()
        n = _number(m.group(1))
        if forced:
            return _title(lead)
        if n == 1:
            # a run opens only with a short lead that has a body of its own ("一是健全平台管理机制。健全…")
            ok = len(lead) <= ENUM_TITLE_MAX and body and not _ENUM.match(body)
            return _title(lead) if ok else None
        if n == self.enum_next:
            lead = lead if len(lead) <= TITLE_MAX else re.split(r"[，,；;：:]", lead)[0]
            return _title(lead) if len(lead) <= TITLE_MAX else None
        return None

    def paragraph(self, text: str) -> None:
        text = re.sub(r"\s+", " ", text).strip()
        if not re.search(r"[\u4e00-\u9fffA-Za-z0-9]", text):
            return
        plain = to_simplified(text)
        cut = TABLE_STARTS.search(plain) if self.table and len(plain) == len(text) else None
        if cut and cut.start() and plain[:cut.start()].rstrip()[-1:] in SENTENCE_END:  # sentences, then a table
            text, plain = text[:cut.start()].rstrip(), plain[:cut.start()].rstrip()  # run on: the sentences
        if self.table and ("。" not in plain or "勾稽" in plain):
            return  # table cells and notes, not narrative
        section = self.section
        self.counts[section] = self.counts.get(section, 0) + 1
        self.paras.append(Paragraph(self.report, section, self.counts[section], text, plain))


def paragraphs(report_id: str, text: str) -> list[Paragraph]:
    """Narrative paragraphs of a cleaned report (clean.clean_text output), numbered within their section."""
    walker = _Walker(report_id)
    for line in report_lines(text):
        walker.feed(line)
    walker.flush()
    return walker.paras


def outline(paras: list[Paragraph]) -> list[str]:
    """The distinct section paths, in reading order."""
    return list(dict.fromkeys(p.section for p in paras))
