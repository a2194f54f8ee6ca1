"""Clean text: drop pinyin readings and page footers; normalise script, width and spacing for matching."""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

_T2S = OpenCC("t2s")
_S2T = OpenCC("s2t")

# A CJK character followed by a parenthesised latin syllable (with or without tone marks).
_READING = re.compile(r"([\u3400-\u9fff])[(（]([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,7}\d?)[)）]")
# Page footers in PDF text layers: "- 4 -", "— 4 —", "第 4 页", "4 / 12".
_FOOTER = re.compile(
    r"^\s*(?:[-—–]\s*\d{1,3}\s*[-—–]|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$"
)
# Markup and invisible characters that must not reach a stored agency name or title: tags (after entities are
# decoded, so "&lt;b&gt;" goes too), control and format characters (zero-width, bidi overrides).
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^<>]{0,200}>", re.I | re.S)
_INVISIBLE = {"Cc", "Cf", "Cs"}
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


def clean_text(text: str) -> str:
    """The text as it will be quoted: pinyin readings and footers removed, original script kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "").replace("\u3000", " ")
    text = text.replace("\xa0", " ")
    return drop_footers(strip_pinyin(text))


def _changes(cc: OpenCC) -> tuple[frozenset[str], re.Pattern | None] | None:
    """What a conversion can change: the single characters it maps to another, and a pattern of its phrases;
    None when the converter's tables are not laid out as expected (then every text is converted)."""
    try:
        tables = [t for group in cc._dict_chain_data for t in group]
        chars = frozenset(k for _, _, table in tables for k, v in table.items() if len(k) == 1 and v.split(" ")[0] != k)
        phrases = sorted((k for _, _, table in tables for k in table if len(k) > 1), key=len, reverse=True)
    except (AttributeError, TypeError, ValueError):
        return None
    return chars, re.compile("|".join(map(re.escape, phrases))) if phrases else None


_T2S.convert("")  # loads the tables
_T2S_CHANGES = _changes(_T2S)


def to_simplified(text: str) -> str:
    # Most text is simplified already: converting it character by character (pure Python) was most of a
    # report's parsing time. Text holding no character the tables change and none of their phrases is unchanged.
    if _T2S_CHANGES is not None:
        chars, phrases = _T2S_CHANGES
        if chars.isdisjoint(text) and (phrases is None or not phrases.search(text)):
            return text
    return _T2S.convert(text)


def to_traditional(text: str) -> str:
    return _S2T.convert(text)


def fold(text: str) -> str:
    """Width-fold and simplify without removing spaces (numbers stay separated)."""
    return to_simplified(unicodedata.normalize("NFKC", text))


def norm(text: str) -> str:
    """Matching form: NFKC (full→half width), simplified script, no whitespace, unified quotes."""
    text = re.sub(r"\s+", "", fold(text))
    return text.replace("．", ".").replace("“", '"').replace("”", '"')


def clean_field(text: str, limit: int = 200) -> str:
    """A short metadata value (agency, title) as plain text: no markup, control or invisible characters, spaces
    collapsed, at most `limit` characters. Shown escaped all the same."""
    text = _TAG.sub("", html.unescape(_TAG.sub("", text or "")))
    text = "".join(" " if c in "\t\n\r" else c for c in text if c in "\t\n\r"
                   or unicodedata.category(c) not in _INVISIBLE)
    text = re.sub(r"\s+", " ", text.replace("<", "").replace(">", "")).strip()
    return text[:limit].strip()
