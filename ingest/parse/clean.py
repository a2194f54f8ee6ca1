"""Clean text: raw report text → the text as quoted, without pinyin readings or page footers."""

from __future__ import annotations

import re
from functools import lru_cache

from core.text import to_simplified

# A CJK character followed by a parenthesised latin syllable (with or without tone marks).
_READING = re.compile(r"([\u3400-\u9fff])[(（]([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,7}\d?)[)）]")
# Page footers in PDF text layers: "- 4 -", "— 4 —", "第 4 页", "4 / 12".
_FOOTER = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$"
)
# Style sheets of a page exported from MS Word, left in its text: the document settings line ("Normal 0 7.8 磅 0 2
# false false false EN-US ZH-CN X-NONE"), style comments, and rules with mso- properties ("table.MsoNormalTable {…}").
_WORD_SETTINGS = re.compile(
    r"Normal\s+0\s+[\d.]+\s*(?:磅|pt)(?:\s+\d+)*(?:\s+(?:false|true))+(?:\s+(?:[A-Z]{2}-[A-Z]{2,4}|X-NONE))*")
_WORD_RULES = re.compile(r"(?:/\*[^*]*\*/\s*)*(?:[\w.#:-]+\s*\{[^{}]*mso-[^{}]*\}\s*)+|/\*\s*Style Definitions\s*\*/")
_TONES = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ", "aaaaeeeeiiiioooouuuuvvvv")


@lru_cache(maxsize=8192)
def _readings(char: str) -> frozenset[str]:
    """Every reading of a character, with and without tone marks ("bào", "bao")."""
    from pypinyin import Style, pinyin  # its dictionary takes a second to load: only once a reading is met

    out: set[str] = set()
    for c in {char, to_simplified(char)}:
        for reading in pinyin(c, style=Style.TONE, heteronym=True, errors="ignore")[0:1]:
            for r in reading:
                out.add(r)
                out.add(r.translate(_TONES).replace("ü", "v"))
    return frozenset(out)


def strip_pinyin(text: str) -> str:
    """Remove readings such as 報(bào)告 → 報告, only where the reading fits the character."""

    def keep_or_drop(m: re.Match) -> str:
        reading = m.group(2).lower().rstrip("12345").replace("ü", "v")
        bare = reading.translate(_TONES)
        known = _readings(m.group(1))
        return m.group(1) if (reading in known or bare in known) else m.group(0)

    return _READING.sub(keep_or_drop, text)


def drop_footers(text: str) -> str:
    """Remove page-number lines that PDF text layers leave inside tables and paragraphs."""
    return "\n".join(line for line in text.split("\n") if not _FOOTER.match(line))


def drop_styles(text: str) -> str:
    """Remove the MS-Word style sheet a web page exported from Word prints as text ("Normal 0 7.8 磅 … {mso-…}")."""
    return _WORD_RULES.sub(" ", _WORD_SETTINGS.sub(" ", text))


def clean_text(text: str) -> str:
    """The text as it will be quoted: pinyin readings, footers and Word style sheets removed, original script kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\u3000", " ")
    text = text.replace("\xa0", " ")
    return drop_footers(strip_pinyin(drop_styles(text)))


