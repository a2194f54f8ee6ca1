"""Untrusted text (report text, questions, file names) → HTML or Markdown that shows it as text, never as markup."""

from __future__ import annotations

import html
import re

from core.text import to_simplified

# Every ASCII punctuation mark may be backslash-escaped in CommonMark; Streamlit adds :emoji:, :color[…] and $math$.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:&=\"'^%@/])")
# Pieces of a quote that was shortened with an ellipsis: each piece is highlighted on its own.
_ELLIPSIS = re.compile(r"…+|\.{3,}")


def esc(value: object) -> str:
    """Any value as HTML text: <, >, &, quotes escaped."""
    return html.escape("" if value is None else str(value), quote=True)


def md_escape(value: object) -> str:
    """Any value as Markdown text: specials backslash-escaped, so links, HTML and emphasis stay literal."""
    text = "" if value is None else str(value)
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def _find(text: str, needle: str, start: int = 0) -> int:
    """Offset of needle in text from start; a simplified needle is also found in traditional text."""
    at = text.find(needle, start)
    simple = to_simplified(text)
    if at < 0 and len(simple) == len(text):  # same offsets when conversion is character by character
        at = simple.find(to_simplified(needle), start)
    return at


def _spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Where the quote (or each piece of it around an ellipsis) occurs in text, in order, not overlapping."""
    quote = quote.strip()
    at = _find(text, quote)
    if at >= 0:
        return [(at, at + len(quote))]
    spans, start = [], 0
    for piece in (p.strip() for p in _ELLIPSIS.split(quote)):
        at = _find(text, piece, start) if len(piece) >= 2 else -1
        if at >= 0:
            spans.append((at, at + len(piece)))
            start = at + len(piece)
    return spans


def highlight(text: str, quote: str) -> tuple[str, bool]:
    """(escaped text with the quote wrapped in <mark>, whether the quote was found)."""
    spans = _spans(text, quote) if quote and quote.strip() else []
    out, last = [], 0
    for start, end in spans:
        out += [esc(text[last:start]), "<mark>", esc(text[start:end]), "</mark>"]
        last = end
    out.append(esc(text[last:]))
    return "".join(out), bool(spans)
