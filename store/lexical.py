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
# Full-width ASCII forms and the ideographic space (，（）：； in nearly every paragraph) → their compatibility
# decomposition, one character each: NFKC would make the same replacement (NFKC = compose(NFKD)), so the text
# after it is as NFKC leaves it, and is most often already normalized (a quick check instead of normalizing).
_WIDE = {c: unicodedata.normalize("NFKD", chr(c)) for c in [*range(0xFF01, 0xFF5F), 0x3000]}
_WIDE_CHARS = re.compile("[\uff01-\uff5e\u3000]")


def _nfkc(text: str) -> str:
    """unicodedata.normalize("NFKC", text), faster for text whose only compatibility characters are full-width."""
    text = _WIDE_CHARS.sub(lambda m: _WIDE[ord(m.group())], text)
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def bigrams(text: str, simplified: bool = False) -> list[str]:
    """Character bigrams of each Han run (a lone character stays a unigram) and latin words, lower case.

    Digits and punctuation are separators: figures are matched by the table code, not here. Pass
    simplified=True for text already in simplified script (Paragraph.plain): script conversion is the slow part.
    """
    text = _nfkc(text) if simplified else fold(text)
    out: list[str] = []
    for run in WORDS.findall(text.lower()):
        if run[0] < "\u3400" or len(run) == 1:
            out.append(run)  # a latin word, or a lone Han character
        else:
            out += [run[i : i + 2] for i in range(len(run) - 1)]
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
    """The bigrams stored for a citable paragraph, in order (their count is the paragraph's length for BM25).

    SQLite's index keeps no copy of them: a paragraph's row is removed, and a search within a few reports scored,
    with its terms computed again here. Whatever changes what this returns for a stored paragraph (this function,
    `document`, `citable`, `bigrams`; a new Python's Unicode tables, for characters they newly assign) needs a
    migration that indexes every paragraph again (as schema._lexical_without_copy does): a row removed with other
    terms than it was indexed with leaves its postings behind in FTS5's index."""
    return bigrams(document(p), simplified=True)


def _report_token(report_id: str) -> str:
    """A report id as one token of FTS5's ascii tokenizer (ids may hold '_', '-' or Han characters)."""
    return "r" + report_id.encode("utf-8").hex()
