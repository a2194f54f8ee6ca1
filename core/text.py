"""Text folding every layer matches with: script (OpenCC), width and spacing; short fields made plain."""

from __future__ import annotations

import html
import re
import unicodedata

from opencc import OpenCC

_T2S = OpenCC("t2s")
_S2T = OpenCC("s2t")

# Markup and invisible characters that must not reach a stored agency name or title: tags (after entities are
# decoded, so "&lt;b&gt;" goes too), control and format characters (zero-width, bidi overrides).
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^<>]{0,200}>", re.I | re.S)
_INVISIBLE = {"Cc", "Cf", "Cs"}


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
