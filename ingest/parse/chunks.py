"""Paragraphs → chunks sized for embedding, each keeping its report/section/paragraph address.

A paragraph longer than `max_chars` is split at sentence ends (。！？；), a sentence longer than that at
commas, and a clause still too long every `max_chars` characters. Chunk text is simplified script, prefixed
with the section's last heading ("（二）依法做好依申请公开：…") so that a piece keeps its topic when
embedded alone; the prefix is not counted in `max_chars`, and is left out when the text already opens with it.
"""

from __future__ import annotations

import re

from core.records import Chunk, Paragraph
from core.template import PREAMBLE

_SENTENCE = re.compile(r"[^。！？；;!?]*[。！？；;!?]+[”’」』）)]*|[^。！？；;!?]+$")
_CLAUSE = re.compile(r"[^，,、]*[，,、]+|[^，,、]+$")


def _pieces(text: str, pattern: re.Pattern, max_chars: int) -> list[str]:
    """Units of `text` (sentences or clauses), each at most max_chars, splitting finer when needed."""
    out: list[str] = []
    for unit in pattern.findall(text):
        if len(unit) <= max_chars:
            out.append(unit)
        elif pattern is _SENTENCE:
            out.extend(_pieces(unit, _CLAUSE, max_chars))
        else:
            out.extend(unit[i : i + max_chars] for i in range(0, len(unit), max_chars))
    return out


def split(text: str, max_chars: int = 300) -> list[str]:
    """Text cut into consecutive parts of at most max_chars, at sentence ends where possible."""
    parts: list[str] = []
    for unit in _pieces(text.strip(), _SENTENCE, max_chars):
        if parts and len(parts[-1]) + len(unit) <= max_chars:
            parts[-1] += unit
        else:
            parts.append(unit)
    return [p.strip() for p in parts if p.strip()]


def chunks(paras: list[Paragraph], max_chars: int = 300) -> list[Chunk]:
    """One chunk per paragraph, or several for a long one; id "<report>/<section>/<paragraph>#<part>"."""
    out: list[Chunk] = []
    for p in paras:
        heading = p.section.rsplit("/", 1)[-1]
        for part, piece in enumerate(split(p.plain, max_chars), start=1):
            text = piece if heading == PREAMBLE or piece.startswith(heading) else f"{heading}：{piece}"
            out.append(Chunk(f"{p.address}#{part}", p.report, p.section, p.number, text))
    return out
