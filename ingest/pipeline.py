"""Files → stored reports: read → clean → sections → tables → checks → store and index, one report at a time."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path

from core.errors import ReportError
from core.records import Cell, Check, Chunk, Finding, Paragraph, Place, Report
from core.template import SCAN_NOTE
from core.text import clean_field, to_simplified
from ingest import limits
from ingest.check.across_years import recheck
from ingest.check.rules import KIND_LABELS, narrative_figures, report_checks
from ingest.index.vectors import NarrativeIndex
from ingest.parse.chunks import chunks as make_chunks
from ingest.parse.clean import clean_text
from ingest.parse.metadata import metadata
from ingest.parse.places import places
from ingest.parse.sections import paragraphs
from ingest.parse.tables import parse_tables
from ingest.read.document import SUPPORTED, read_document
from store import Store, audit, database_errors

# A county-level government name that a fuller name may prefix with its city ("淮安市" + "洪泽区人民政府").
INDEX_AHEAD = 32  # prepared reports whose chunks the writer adds to the index in one call
_LOCAL_GOVERNMENT = re.compile(r"^[\u4e00-\u9fff]{1,8}[区县旗市]人民政府$")


@dataclass(frozen=True)
class Outcome:
    """What happened to one file: ingested, unchanged, or failed with a reason."""

    path: str
    status: str  # "ingested" | "unchanged" | "failed"
    report: Report | None = None
    paragraphs: int = 0
    cells: int = 0
    unknown: int = 0  # cells whose value the layout left undecidable
    passed: int = 0
    failed: int = 0
    findings: tuple[str, ...] = field(default_factory=tuple)
    error: str = ""

    def as_dict(self) -> dict:
        r = self.report
        return {"file": self.path, "status": self.status, "report": r.id if r else None,
                "agency": r.agency if r else None, "year": r.year if r else None, "paragraphs": self.paragraphs,
                "cells": self.cells, "unknown_cells": self.unknown, "checks_passed": self.passed,
                "checks_failed": self.failed, "findings": list(self.findings), "error": self.error or None}

    def line(self) -> str:
        if self.status == "failed":
            return f"FAILED {self.path}: {self.error}"
        r = self.report
        head = f"{r.id}  {r.agency}  {r.year or '年份不详'}"
        if self.status == "unchanged":
            return f"{head}  unchanged (same content as stored)"
        unknown = f" ({self.unknown} unknown)" if self.unknown else ""
        return (f"{head}  paragraphs={self.paragraphs} cells={self.cells}{unknown} "
                f"checks: {self.passed} passed, {self.failed} failed")


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and supported files inside folders named (sorted, recursively)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED)
        else:
            out.append(p)
    return out


def report_id(path: Path, store: Store) -> str:
    """Stable id from the file name; a different file with the same stem gets its extension added."""
    stem = re.sub(r"[^\w.-]+", "_", path.stem).strip("_") or "report"
    owner = store.report(stem)
    if owner and owner.source != path.name:
        return f"{stem}-{path.suffix.lstrip('.').lower()}"
    return stem


def same_agency(name: str, store: Store, text: str = "") -> str:
    """One name per agency across years: “洪泽区人民政府” and “淮安市洪泽区人民政府” become the fuller one, but only
    where one stored name alone fits, and the report's `text` names the fuller name's parent place: a
    “鼓楼区人民政府” beside 福州市's and 南京市's (or one that never says which city) stays as printed.
    Indexed lookups only (never a scan of every report): stored names ending with this one, and this name's
    endings that are a county-level government's name."""
    if not _LOCAL_GOVERNMENT.search(name):
        return name
    fuller = sorted(store.agencies_ending(name) - {name})
    if fuller:
        return fuller[0] if len(fuller) == 1 and (not text or _parent(fuller[0][: -len(name)]) in text) else name
    endings = [name[i:] for i in range(1, len(name)) if _LOCAL_GOVERNMENT.search(name[i:])]
    for other in sorted(store.agencies_named(endings), key=len, reverse=True):
        if not store.agencies_ending(other) - {other, name}:
            store.rename_agency(other, name)
            return name
    return name


def _parent(prefix: str) -> str:
    """The place right before a name, as a text would say it: "淮安" of "淮安市", of "江苏省淮安市"."""
    base = prefix[:-1] if len(prefix) > 2 and prefix[-1] in "省市州盟" else prefix
    return re.split(r"省|自治区", base)[-1] or base


@dataclass(frozen=True)
class Prepared:
    """A file read, parsed and checked, ready to be written: what a worker process hands to the one writer."""

    path: str
    report: Report
    paragraphs: tuple[Paragraph, ...]
    cells: tuple[Cell, ...]
    checks: tuple[Check, ...]
    findings: tuple[Finding, ...]
    chunks: tuple[Chunk, ...]
    vectors: dict[str, list[float]] | None = None  # chunk id → embedding, when computed off the writer
    original: bytes = b""  # a PDF's own bytes, kept to show its pages beside citations
    places: dict[str, tuple[Place, ...]] = field(default_factory=dict)  # rows and paragraphs on those pages


def ingest_file(path: Path, store: Store, index: NarrativeIndex, by: str = audit.CLI, url: str = "",
                replaces: str | None = None) -> Outcome:
    """Ingest one file; raises ReportError when the file cannot be taken (nothing is written then).

    `by` (a staff account, or "cli") and `url` (the page it was published on) are recorded as its provenance;
    `replaces` names the stored report a corrected file takes the place of (else the id comes from the name)."""
    prepared = prepare(path, store, by, url, replaces)
    return prepared if isinstance(prepared, Outcome) else commit(prepared, store, index, by)


def prepare(path: Path, store: Store, by: str = audit.CLI, url: str = "",
            replaces: str | None = None) -> Prepared | Outcome:
    """Read, parse and check one file without writing it (an "unchanged" Outcome when the store has it already)."""
    if path.is_file():
        limits.check_size(path.stat().st_size, path.name)
    url = limits.check_url(url, path.name)
    doc = read_document(path)
    limits.check_text(doc.text, path.name)
    if replaces is not None and store.report(replaces) is None:
        raise ReportError(f"要替换的报告 {replaces} 已不存在", "请刷新页面后重新选择", path.name)
    rid = replaces or report_id(path, store)
    old = store.report(rid)
    if old and old.sha256 == doc.sha256:
        return Outcome(str(path), "unchanged", old)
    text = clean_text(doc.text)
    paras = paragraphs(rid, text)
    figures = narrative_figures(paras)
    cells, findings = parse_tables(text, rid, figures)
    if doc.layout.endswith("-ocr"):  # every figure of a scan or a table picture says it was read by OCR
        cells = [replace(c, note=c.note or SCAN_NOTE) for c in cells]
    if not any(c.value is not None for c in cells):
        raise ReportError("标准表格（表二、表三、表四）中没有找到任何数字",
                          "请确认这是政府信息公开工作年度报告，而不是空白模板或其他文件", path.name)
    meta = metadata(text, path.name)
    agency = clean_field(to_simplified(meta.get("agency") or ""), limits.MAX_FIELD_CHARS["agency"])
    agency = agency or "未知机关"
    title = clean_field(meta.get("title") or "", limits.MAX_FIELD_CHARS["title"]) or clean_field(path.stem)
    report = Report(rid, agency, meta.get("year"), title, meta.get("published"), path.name, doc.sha256, doc.layout,
                    size=path.stat().st_size, ingested_by=by, ingested_at=audit.now("seconds"), source_url=url)
    checks: list[Check] = report_checks(rid, cells, figures)
    return Prepared(str(path), report, tuple(paras), tuple(cells), tuple(checks), tuple(findings),
                    tuple(make_chunks(paras)), original=doc.original,
                    places=places(doc.lines, paras, cells) if doc.original else {})


def commit(prep: Prepared, store: Store, index: NarrativeIndex, by: str = audit.CLI, indexed: bool = False) -> Outcome:
    """Write a prepared report to the index and the store; the one writer of a batch, however many workers.
    `indexed`: its chunks were added to the index already (_index_ahead)."""
    report, paras, cells, checks, findings = prep.report, prep.paragraphs, prep.cells, prep.checks, prep.findings
    old = store.report(report.id)
    if old and old.sha256 == report.sha256:  # another ingester wrote the same file meanwhile
        return Outcome(prep.path, "unchanged", old)
    # decided by the writer: workers preparing two years of one agency at once do not see each other's name
    report = replace(report, agency=same_agency(report.agency, store, "\n".join(p.plain for p in paras)))
    # Index first, database last: if the database write fails, the stored hash still differs and the next
    # run redoes both; retrieval only cites paragraphs the database holds, so stray chunks are never shown.
    index.replace_report(report.id, prep.chunks, prep.vectors, added=indexed)
    store.replace_report(report, list(paras), list(cells), list(checks), list(findings),
                         audit.change(by, old, report), prep.original, prep.places)
    checks = (*checks, *(c for c in _recheck_years(store, report.agency, old.agency if old else "")
                        if c.report == report.id))
    return Outcome(prep.path, "ingested", report, len(paras), len(cells),
                   sum(c.value is None for c in cells), sum(c.status == "pass" for c in checks),
                   sum(c.status == "fail" for c in checks), tuple(_describe(f) for f in findings)
                   + tuple(f"{KIND_LABELS.get(c.kind, c.kind)}不符：{c.description}"
                           f"（{c.left} ≠ {c.right}）" for c in checks if c.status == "fail"))


def _recheck_years(store: Store, *agencies: str) -> list[Check]:
    """Cross-year checks of the agencies a change touched; the report is stored already, so a failure here
    leaves those checks as they were rather than failing the file."""
    try:
        return recheck(store, *agencies)
    except Exception:  # noqa: BLE001 - never lose a stored report over a neighbour's check
        return []


def _describe(f: Finding) -> str:
    return f.message if f.message.startswith(f.where) else f"{f.where}：{f.message}"


def ingest_paths(paths: Iterable[str | Path], store: Store, index: NarrativeIndex,
                 progress: Callable[[Iterable], Iterable] = iter, by: str = audit.CLI,
                 url: str = "", workers: int = 1, folder: str | Path | None = None) -> list[Outcome]:
    """Ingest every file (recorded as brought in `by` whom, from `url`); a failure is recorded with its reason and
    the batch goes on. With workers > 1, worker processes read, parse, check and embed (opening the store in
    `folder` or DATABASE_URL to read it) while this process alone writes."""
    files = expand(paths)
    if workers > 1 and len(files) > 1:
        from ingest.workers import prepare_all

        prepared = prepare_all(files, folder, (index.embedder_name, index.dimension), workers, by, url)
        return commit_all(prepared, store, index, by, progress)
    return [guard(path, lambda path=path: ingest_file(path, store, index, by, url)) for path in progress(files)]


def commit_all(prepared: Iterable[Prepared | Outcome], store: Store, index: NarrativeIndex, by: str = audit.CLI,
               progress: Callable[[Iterable], Iterable] = iter) -> list[Outcome]:
    """Write reports prepared elsewhere (ingest.workers), each guarded like a file of a batch; the chunks of
    INDEX_AHEAD reports at a time go to the index first, in one call."""
    prepared = iter(progress(prepared))
    out: list[Outcome] = []
    while batch := list(islice(prepared, INDEX_AHEAD)):
        ahead = _index_ahead(batch, store, index)
        out += [guard(Path(p.path), lambda p=p, ahead=ahead: p if isinstance(p, Outcome)
                      else commit(p, store, index, by, indexed=p.report.id in ahead)) for p in batch]
    return out


def _index_ahead(batch: list[Prepared | Outcome], store: Store, index: NarrativeIndex) -> set[str]:
    """The chunks of several prepared reports written to the index in one call, before each report's commit()
    (which then finds them stored and writes them no more): an embedded Chroma's cost is mostly per call (measured
    here 25 ms a chunk written 10 at a time, 5 ms written 200 at a time). Returns the ids of the reports written;
    after a failure none (each commit writes its own chunks and fails alone)."""
    todo = [p for p in batch if isinstance(p, Prepared) and p.vectors is not None
            and getattr(store.report(p.report.id), "sha256", None) != p.report.sha256]
    try:
        index.add([c for p in todo for c in p.chunks], {i: v for p in todo for i, v in p.vectors.items()},
                  batch_size=INDEX_AHEAD * 64)
    except Exception:  # noqa: BLE001 - commit() writes the same chunks per report and fails alone
        return set()
    return {p.report.id for p in todo}


def guard(path: Path, step: Callable[[], Outcome | Prepared]) -> Outcome | Prepared:
    """Run one file's step; a ReportError or any other failure becomes a "failed" Outcome naming the file."""
    try:
        return step()
    except ReportError as e:
        e.where = e.where or path.name
        return Outcome(str(path), "failed", error=str(e))
    except database_errors():  # never a database message to the user: say what happened and what to do
        return Outcome(str(path), "failed", error=f"{path.name}: 保存到数据库时出错，该报告未保存；"
                       "请稍后重试，如仍失败请联系管理员")
    except Exception as e:  # a bug or a library failure on odd input: still one line, batch goes on
        return Outcome(str(path), "failed", error=f"{path.name}: 处理该文件时程序出错（{type(e).__name__}），"
                       "该报告未保存；请联系管理员并提供此文件")
