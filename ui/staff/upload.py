"""Uploaded files (staff only) → a temp folder with their own names → ingest_paths, with a progress bar (a scan's
pages as OCR reads them) and one result per file; each report recorded as brought in by the signed-in account."""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st

from core.errors import ReportError
from ingest.index.vectors import NarrativeIndex
from ingest.limits import MAX_FILE_MB, MAX_FILES, check_count, check_url
from ingest.pipeline import Outcome, ingest_file, ingest_paths
from ingest.read.document import SUPPORTED
from store import Store
from ui.safe import md_escape

TYPES = [s.lstrip(".") for s in SUPPORTED]


def safe_name(name: str) -> str:
    """The file's own name without any folder part (an upload cannot write outside the temp folder)."""
    return Path(name.replace("\\", "/")).name.strip() or "upload"


PAGES = "ingest.read.scan_pdf"  # the logger a scan's reader reports each page to (as on the command line)
_listening = [0, logging.NOTSET]  # pages followed by this many uploads, and the logger's level before the first
_listening_lock = threading.Lock()


class _Pages(logging.Handler):
    """A scan's page-by-page progress, from the reader's log records of this thread (this upload) only."""

    def __init__(self, page: Callable[[str, int, int], None]) -> None:
        super().__init__(logging.INFO)
        self.page, self.thread = page, threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, tuple) else ()
        if record.thread == self.thread and len(args) == 3:
            self.page(*args)


@contextmanager
def pages_followed(page: Callable[[str, int, int], None]) -> Iterator[None]:
    """`page(file name, pages read, pages)` after each page a scan's OCR reads, while the block runs."""
    logger, handler = logging.getLogger(PAGES), _Pages(page)
    with _listening_lock:
        if not _listening[0]:
            _listening[1] = logger.level
        _listening[0] += 1
        if logger.getEffectiveLevel() > logging.INFO:
            logger.setLevel(logging.INFO)
        logger.addHandler(handler)
    try:
        yield
    finally:
        with _listening_lock:
            logger.removeHandler(handler)
            _listening[0] -= 1
            if not _listening[0]:
                logger.setLevel(_listening[1])


def ingest_uploads(files: Iterable, store: Store, index: NarrativeIndex,
                   step: Callable[[int, int, str], None] = lambda i, n, name: None, by: str = "",
                   url: str = "", page: Callable[[str, int, int], None] = lambda name, done, pages: None
                   ) -> list[Outcome]:
    """Ingest uploaded files (objects with .name and .getvalue()) as brought in `by` a staff account, from `url`;
    step(i, n, name) is called before each file, page(name, done, pages) after each page a scan's OCR reads."""
    if not by:
        raise ReportError("只有登录的工作人员可以导入报告", "请先登录")
    with tempfile.TemporaryDirectory(prefix="upload-") as folder:
        paths = []
        for f in files:
            path = Path(folder) / safe_name(f.name)
            path.write_bytes(f.getvalue())
            paths.append(path)

        def progress(items: Iterable[Path]) -> Iterator[Path]:
            items = list(items)
            for i, path in enumerate(items):
                step(i, len(items), path.name)
                yield path
            step(len(items), len(items), "")

        with pages_followed(page):
            return ingest_paths(paths, store, index, progress=progress, by=by, url=url)


def replace_upload(file, report_id: str, store: Store, index: NarrativeIndex, by: str, url: str = "") -> Outcome:
    """A corrected file takes the place of stored report `report_id` (same id, new content), audited."""
    with tempfile.TemporaryDirectory(prefix="replace-") as folder:
        path = Path(folder) / safe_name(file.name)
        path.write_bytes(file.getvalue())
        try:
            return ingest_file(path, store, index, by=by, url=url, replaces=report_id)
        except ReportError as e:
            e.where = e.where or path.name
            return Outcome(str(path), "failed", error=str(e))


def show_outcome(o: Outcome, pages: tuple[int, int] | None = None) -> None:
    """One line per file: 已导入 / 未变化 / 导入失败 with the reason; findings listed under a success; for a scan,
    the `pages` (read, of) its OCR went through."""
    name = md_escape(Path(o.path).name)
    if pages:
        st.caption(f"📄 {name}：扫描件，逐页文字识别（OCR）{pages[0]}/{pages[1]} 页")
    if o.status == "failed":
        reason = o.error.split(": ", 1)[-1] if o.error.startswith(Path(o.path).name) else o.error
        st.error(f"**{name}** 导入失败：{md_escape(reason)}  \n请确认这是一份政府信息公开工作年度报告"
                 f"（支持 {' '.join(SUPPORTED)}），修改后重新上传。", icon="❌")
        return
    r = o.report
    who = md_escape(f"{r.agency} {f'{r.year}年' if r.year else '（年份不详）'}") if r else ""
    if o.status == "unchanged":
        st.info(f"**{name}**：{who} 与已存内容相同，未重复导入。", icon="ℹ️")
        return
    unknown = f"（其中 {o.unknown} 个无法确定）" if o.unknown else ""
    st.success(f"**{name}** 已导入：{who}，{o.paragraphs} 段正文，{o.cells} 个表格数字{unknown}，"
               f"核对 {o.passed} 项一致、{o.failed} 项不符。", icon="✅")
    for finding in o.findings:
        st.caption(f"⚠️ {md_escape(finding)}")


def _refused(files: list, url: str) -> str:
    """Why a batch is refused as a whole before anything is read ("" when it may go in)."""
    try:
        check_count(len(files))
        check_url(url)
    except ReportError as e:
        return str(e)
    if url and len(files) > 1:
        return "来源网址对应一份报告：填写网址时请只上传一个文件"
    return ""


def upload_view(store: Store, index: NarrativeIndex, by: str) -> None:
    """The staff upload panel: pick files, press 导入, watch the bar, read one result per file."""
    files = st.file_uploader(f"上传新的年度报告（可多选，每个文件不超过 {MAX_FILE_MB} MB，每次最多 {MAX_FILES} 个）",
                             type=TYPES, accept_multiple_files=True, key="uploads", max_upload_size=MAX_FILE_MB)
    url = st.text_input("来源网址（可选：发布该报告的政府网页）", key="upload_url", max_chars=500)
    if st.button("导入", type="primary", disabled=not files, key="do_upload"):
        if refused := _refused(files, url):
            st.error(md_escape(refused), icon="❌")
            return
        bar = st.progress(0.0, text="准备导入…")
        at = [0, len(files)]  # the file being read, of how many
        scanned: dict[str, tuple[int, int]] = {}  # file → (pages read by OCR, pages)

        def step(i: int, n: int, name: str) -> None:
            at[:] = [i, n]
            bar.progress(i / n if n else 1.0, text=f"正在导入 {md_escape(name)}（{i + 1}/{n}）" if name else "导入完成")

        def page(name: str, done: int, pages: int) -> None:
            scanned[name] = (done, pages)
            i, n = at
            bar.progress(min(1.0, (i + done / pages) / n) if n and pages else 1.0,
                         text=f"正在导入 {md_escape(name)}（{i + 1}/{n}）：扫描件文字识别第 {done}/{pages} 页")

        results = ingest_uploads(files, store, index, step, by=by, url=url, page=page)
        st.session_state["upload_results"] = results
        st.session_state["upload_pages"] = scanned
        if any(o.status == "ingested" for o in results):
            st.rerun()  # the picker and the examples list the new reports at once
    results = st.session_state.get("upload_results", [])
    if results:
        ok = sum(o.status != "failed" for o in results)
        st.progress(1.0, text=f"导入完成：{ok} 个文件成功，{len(results) - ok} 个失败")
    scanned = st.session_state.get("upload_pages", {})
    for outcome in results:
        show_outcome(outcome, scanned.get(Path(outcome.path).name))
