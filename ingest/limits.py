"""What one upload may hold → a clear ReportError (naming the file and the limit) before anything is written.

Real reports are far below every limit (the longest bundled sample is 7,200 characters in 18 table blocks); the
limits keep one oversized or hostile file from tying up the parser or the page for everyone else.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from core.errors import ReportError

MAX_FILE_MB = 20  # per file; .streamlit/config.toml server.maxUploadSize is the same number
MAX_FILES = 50  # per upload batch on the page (the command line takes any number)
MAX_TEXT_CHARS = 200_000  # characters of text read from one file
MAX_TABLES = 200  # table blocks (runs of `| … |` rows) in one file
MAX_FIELD_CHARS = {"agency": 60, "title": 200}  # longest agency name and title kept
MAX_URL_CHARS = 500  # a source page's address


def check_size(size: int, name: str) -> None:
    """A file larger than MAX_FILE_MB is refused."""
    if size > MAX_FILE_MB * 1024 * 1024:
        raise ReportError(f"文件过大（{size / 1024 / 1024:.1f} MB，上限 {MAX_FILE_MB} MB）",
                          "请上传报告本身，或压缩其中的图片后重试", name)


def check_count(count: int) -> None:
    """A batch of more than MAX_FILES files is refused as a whole (nothing is ingested)."""
    if count > MAX_FILES:
        raise ReportError(f"一次选择了 {count} 个文件，每次最多 {MAX_FILES} 个", "请分批上传")


def table_blocks(text: str) -> int:
    """How many tables the text holds: runs of `|` rows (blank lines inside a run do not split it)."""
    blocks, inside = 0, False
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        row = stripped.startswith("|")
        blocks += row and not inside
        inside = row
    return blocks


def check_text(text: str, name: str) -> None:
    """Text longer than MAX_TEXT_CHARS, or with more than MAX_TABLES tables, is refused."""
    if len(text) > MAX_TEXT_CHARS:
        raise ReportError(f"文字过长（{len(text):,} 字，上限 {MAX_TEXT_CHARS:,} 字）",
                          "请确认文件只含一份年度报告", name)
    if (tables := table_blocks(text)) > MAX_TABLES:
        raise ReportError(f"表格过多（{tables} 个，上限 {MAX_TABLES} 个）", "请确认文件只含一份年度报告", name)


def check_url(url: str, name: str = "") -> str:
    """The source page's address, trimmed; "" stays ""; anything but a plain http(s) address is refused."""
    url = (url or "").strip()
    if not url:
        return ""
    parsed = urlsplit(url)
    if (parsed.scheme not in ("http", "https") or not parsed.netloc or len(url) > MAX_URL_CHARS
            or any(c.isspace() or ord(c) < 32 or c in "<>\"'`" for c in url)):
        raise ReportError("来源网址无效", "请填写发布该报告的政府网页地址，以 http:// 或 https:// 开头", name)
    return url
