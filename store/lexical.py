"""A paragraph → the terms stored for lexical search (character bigrams), written with the report in one transaction."""

from __future__ import annotations

import re
import unicodedata

from core.records import Paragraph
from core.template import PREAMBLE
from core.text import fold

WORDS = re.compile(r"[\u3400-\u9fff]+|[a-z]+")  # Han runs and latin words: what bigrams are cut from
# The preface sentence that lists the report's six parts names every topic, so it answers none.
_OUTLINE = re.compile(r"[^。]*总体情况[^。]*其他需要报告的事项[^。]*。?")


def bigrams(text: str, simplified: bool = False) -> list[str]:
    """Character bigrams of each Han run (a lone character stays a unigram) and latin words, lower case.

    Digits and punctuation are separators: figures are matched by the table code, not here. Pass
    simplified=True for text already in simplified script (Paragraph.plain): script conversion is the slow part.
    """
    text = unicodedata.normalize("NFKC", text) if simplified else fold(text)
    out: list[str] = []
    for run in WORDS.findall(text.lower()):
        if run[0] < "\u3400" or len(run) == 1:
            out.append(run)  # a latin word, or a lone Han character
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


def document(p: Paragraph) -> str:
    """What is matched for a paragraph: the headings of its section path ("五、存在的主要问题…") and its text."""
    if p.section == PREAMBLE:
        return _OUTLINE.sub("", p.plain)
    return "\n".join([*p.section.split("/"), p.plain])


def citable(p: Paragraph) -> bool:
    """Whether a paragraph can answer anything: the report's title line printed as a preface paragraph cannot."""
    return not (p.section == PREAMBLE and len(p.plain) <= 60 and not any(m in p.plain for m in "。；;"))


def terms(p: Paragraph) -> list[str]:
    """The bigrams stored for a citable paragraph, in order (their count is the paragraph's length for BM25)."""
    return bigrams(document(p), simplified=True)
