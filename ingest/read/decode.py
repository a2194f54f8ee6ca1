"""Bytes → text: detect the encoding (BOM, UTF-8, GB18030, Big5), and refuse binary data with a clear reason."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from core.errors import ReportError

BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Two-byte legacy encodings of Chinese, tried in this order; a tie goes to the first (mainland reports).
_LEGACY = ("gb18030", "big5", "cp950")


@lru_cache(maxsize=1)
def _common_hanzi() -> frozenset[str]:
    """The most used characters: GB2312 level 1 (simplified) and Big5 常用字 (traditional).

    A wrong two-byte decoding still decodes, but into rare characters and private-use code points,
    so the count of common characters tells the right encoding apart.
    """
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):
        chars.update(bytes([lead, t]).decode("gb2312", "ignore") for t in range(0xA1, 0xFF))
    for lead in range(0xA4, 0xC7):
        for t in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            chars.add(bytes([lead, t]).decode("big5", "ignore"))
    chars.discard("")
    return frozenset(chars)


def decode_text(data: bytes, where: str = "") -> tuple[str, str]:
    """Decode the bytes of a text file; return (text, encoding). The text is otherwise unchanged."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as e:
                raise _undecodable(where, f"it starts with a {enc} byte-order mark but does not decode") from e
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    common = _common_hanzi()
    best: tuple[int, str, str] | None = None
    for enc in _LEGACY:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = sum(ch in common for ch in text)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None:
        raise _undecodable(where, "it is neither UTF-8 nor GB18030 nor Big5")
    return best[1], "big5" if best[2] == "cp950" else best[2]


def _undecodable(where: str, why: str) -> ReportError:
    return ReportError(f"无法识别文字编码：{why}", hint="请另存为 UTF-8 后重试", where=where)


# Signatures of binary formats that get renamed to .txt/.html by mistake.
_MAGIC = (
    (b"%PDF", "PDF 文件", "请把扩展名改为 .pdf"),
    (b"PK\x03\x04", "ZIP 压缩包（DOCX、XLSX 等）", "如果是 Word 文件，请把扩展名改为 .docx"),
    (b"\xd0\xcf\x11\xe0", "旧版 Office 文件（DOC/XLS）", "请另存为 .docx 或 .pdf"),
    (b"\x89PNG", "PNG 图片", "请先做文字识别（OCR）"),
    (b"\xff\xd8\xff", "JPEG 图片", "请先做文字识别（OCR）"),
    (b"GIF8", "GIF 图片", "请先做文字识别（OCR）"),
    (b"{\\rtf", "RTF 文件", "请另存为 .docx 或 .txt"),
)


def refuse_binary(data: bytes, where: str) -> None:
    for magic, what, hint in _MAGIC:
        if data.startswith(magic):
            raise ReportError(f"这是{what}，不是文本文件", hint=hint, where=where)
    # NUL bytes never occur in UTF-8 or GB/Big5 text; UTF-16 (which has them) comes with a BOM.
    if b"\x00" in data[:65536] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReportError("文件内容是二进制数据，不是文字", hint="请提供文本、HTML、DOCX 或 PDF 报告", where=where)


def refuse_control_chars(text: str, where: str) -> None:
    sample = text[:65536]
    control = sum(unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v" for ch in sample)
    if control > max(2, len(sample) // 100):
        raise ReportError("文件内容是二进制数据，不是文字", hint="请提供文本、HTML、DOCX 或 PDF 报告", where=where)
