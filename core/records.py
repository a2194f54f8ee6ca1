"""Records that flow from ingest to storage to answers: reports, paragraphs, chunks, cells, checks."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Report:
    """One annual report (政府信息公开工作年度报告) as stored."""

    id: str  # stable id, from the file name: "liuyang_2023"
    agency: str  # 发布机关, e.g. 浏阳市人民政府 (simplified script)
    year: int | None  # the year reported on (not the publication year)
    title: str  # title as printed, pinyin readings removed
    published: str | None  # publication date as ISO "YYYY-MM-DD", when stated
    source: str  # file name it was ingested from
    sha256: str  # content hash of the source file
    layout: str = ""  # reader that produced the text: txt, md, html, docx, pdf; pdf-ocr, html-ocr: read by OCR
    # provenance (来源): who brought the file in, when, and where it was published
    size: int = 0  # bytes of the source file
    ingested_by: str = ""  # staff account that uploaded it, or "cli" for the command line
    ingested_at: str = ""  # when, ISO "YYYY-MM-DDTHH:MM:SS+00:00" (UTC)
    source_url: str = ""  # the government web page it was published on, when given (http/https only)

    def provenance(self) -> str:
        """“来源：xx.pdf · 2026-11-30 导入” — the one line shown under every citation of this report."""
        when = f" · {self.ingested_at[:10]} 导入" if self.ingested_at else ""
        ocr = " · 扫描件，数字经文字识别（OCR）读出" if self.layout.endswith("-ocr") else ""
        return f"来源：{self.source}{when}{ocr}"


@dataclass(frozen=True)
class AuditEntry:
    """One entry of the audit log (审计记录): a report added, replaced or removed; a staff sign-in or a refused one."""

    at: str  # when, ISO UTC with microseconds (orders the log)
    who: str  # staff account, or "cli"
    action: str  # "add" | "replace" | "remove" | "signin" | "signin_failed" (labels: store.audit.ACTIONS)
    report: str = ""  # report id ("" for a sign-in)
    file: str = ""  # source file name involved
    before_sha256: str = ""  # content hash of the version taken out ("" when none)
    after_sha256: str = ""  # content hash of the version put in ("" when none)
    detail: str = ""  # anything else worth reading later (agency and year, why a sign-in failed)


@dataclass(frozen=True)
class Paragraph:
    """A narrative paragraph; address report/section/number."""

    report: str  # report id
    section: str  # section path, "一、总体情况/（二）依法做好依申请公开"
    number: int  # 1-based position inside its section
    text: str  # original text (original script, pinyin readings removed)
    plain: str  # the same text in simplified script, for matching and display

    @property
    def address(self) -> str:
        return f"{self.report}/{self.section}/{self.number}"


@dataclass(frozen=True)
class Chunk:
    """A piece of a paragraph sized for embedding."""

    id: str  # "<report>/<section>/<paragraph>#<part>"
    report: str
    section: str
    paragraph: int
    text: str  # simplified script; what is embedded


@dataclass(frozen=True)
class Cell:
    """One number of a standard table; address report/table/row/column."""

    report: str
    table: str  # "二" | "三" | "四"
    row: str  # canonical row path, "三、本年度办理结果/（三）不予公开/1.属于国家秘密"
    column: str  # canonical column path, "法人或其他组织/商业企业"
    value: float | int | None  # None when the source makes the value undecidable
    unit: str  # "件" or "万元"
    source: str = ""  # the source text the value came from
    note: str = ""  # why the value is unknown, or how it was decided (e.g. digit-run split)

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def address(self) -> str:
        return f"{self.report}/{self.table}/{self.row}/{self.column}"


@dataclass(frozen=True)
class Check:
    """One cross-footing identity (勾稽关系) or narrative-vs-table comparison, as computed."""

    report: str
    name: str  # stable key, e.g. "三/列恒等式/总计" or "叙述/三/一、本年新收…/总计"
    kind: str  # "identity" | "narrative"
    description: str  # human-readable rule, in Chinese
    left: float | None  # value of the left-hand side (None when a term is unknown)
    right: float | None  # value of the right-hand side
    left_terms: tuple[str, ...] = field(default_factory=tuple)  # cell addresses or quoted text
    right_terms: tuple[str, ...] = field(default_factory=tuple)
    status: str = "pass"  # "pass" | "fail" | "unknown" (undecidable) | "note" (shown to staff, not a failure)

    @property
    def passed(self) -> bool:
        return self.status == "pass"


@dataclass(frozen=True)
class Finding:
    """A problem met while parsing that a user should know of (table not matched, value unknown)."""

    report: str
    where: str  # "表三" or a cell address
    message: str


@dataclass(frozen=True)
class Figure:
    """A figure quoted in the narrative that names a table cell (e.g. 受理…224件 → 表三 一/总计)."""

    table: str
    row: str
    column: str
    value: int
    quote: str  # the matched words, simplified script
    paragraph: str  # address of the paragraph it is quoted from
    # cells the phrase may name, as alternatives each summed: (("…（一）予以公开", "…（二）部分公开"),);
    # empty means just (row,). A group row stands for the sum of its leaves.
    sums: tuple[tuple[str, ...], ...] = ()
    position: int = 0  # where the number is printed in the paragraph's normalised text

    @property
    def alternatives(self) -> tuple[tuple[str, ...], ...]:
        return self.sums or ((self.row,),)

    @property
    def single(self) -> bool:
        """Names exactly one cell (so it may decide a digit run)."""
        return self.alternatives == ((self.row,),)


@dataclass(frozen=True)
class Place:
    """Where a printed table row or a line of a paragraph sits on a page of the original PDF (原件位置)."""

    page: int  # 1-based page number
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 as shares of the page's width and height
    start: int = 0  # a paragraph's line: where it starts in the paragraph's text without spaces


def row_place(table: str, row: str) -> str:
    """The place key of a printed table row: “表三/三、本年度办理结果/（七）总计”."""
    return f"表{table}/{row}"


def paragraph_place(section: str, number: int) -> str:
    """The place key of a paragraph: its address without the report, “一、总体情况/2”."""
    return f"{section}/{number}"


@dataclass(frozen=True)
class Citation:
    """Where a figure or fact in an answer comes from: one stored cell or one stored paragraph."""

    type: str  # "cell" | "paragraph"
    report: str
    table: str = ""  # cell: "二" | "三" | "四"
    row: str = ""  # cell: canonical row path
    column: str = ""  # cell: canonical column path
    value: float | int | None = None  # cell: the stored value (None = unknown, see note)
    unit: str = ""  # cell: 件 | 万元
    section: str = ""  # paragraph: section path
    paragraph: int = 0  # paragraph: number inside its section
    text: str = ""  # paragraph: the paragraph's original text
    quote: str = ""  # paragraph: the sentence(s) that answer, verbatim from text
    note: str = ""  # cell: why a value is unknown

    @classmethod
    def from_cell(cls, cell: Cell) -> Citation:
        return cls("cell", cell.report, cell.table, cell.row, cell.column, cell.value, cell.unit, note=cell.note)

    @classmethod
    def from_paragraph(cls, p: Paragraph, quote: str = "") -> Citation:
        return cls("paragraph", p.report, section=p.section, paragraph=p.number, text=p.text, quote=quote)

    @property
    def place(self) -> str:
        """The key of its printed row or paragraph among the report's places on the original pages."""
        return row_place(self.table, self.row) if self.type == "cell" else paragraph_place(self.section,
                                                                                            self.paragraph)

    def as_dict(self) -> dict:
        """The JSON shape of `python -m qa ask --json` (a contract: keys do not change)."""
        if self.type == "cell":
            out = {"type": "cell", "report": self.report, "table": self.table, "row": self.row,
                   "column": self.column, "value": self.value, "unit": self.unit}
            if self.value is None:
                out["note"] = self.note
            return out
        return {"type": "paragraph", "report": self.report, "section": self.section, "paragraph": self.paragraph,
                "text": self.text, "quote": self.quote}


@dataclass(frozen=True)
class Point:
    """One plotted value under an answer (a year of a series, an agency of a ranking): stored cells, never a guess."""

    series: str  # the line or bar colour: an agency, or the measure when the bars are rows of one report
    x: str  # the category: "2023年", an agency, a row label
    value: float | int | None  # the cells' sum; None when a cell is unknown (the point is left out of the chart)
    unit: str  # 件 | 万元
    report: str  # report id the cells are from
    cells: tuple[str, ...] = ()  # addresses (report/table/row/column) of the cited cells the value adds up


@dataclass(frozen=True)
class Answer:
    """One answer: the text shown, whether the reports hold it, and every citation behind it."""

    question: str
    answered: bool
    text: str  # Chinese answer, simplified script
    citations: tuple[Citation, ...] = ()
    kind: str = ""  # figure | derived | narrative | check | compare | rank | series | unanswerable
    reports: tuple[str, ...] = ()  # report ids the answer covers
    arithmetic: str = ""  # derived figures: the sum or share, written out with each term
    notice: str = ""  # e.g. "LLM unreachable; deterministic answer shown"
    chart: str = ""  # "line" (one agency over years) | "bar" (agencies, rows, two reports) | "" (no chart)
    points: tuple[Point, ...] = ()  # what the chart draws, each point from cited cells

    def as_dict(self) -> dict:
        return {"question": self.question, "answered": self.answered, "answer": self.text,
                "citations": [c.as_dict() for c in self.citations]}
