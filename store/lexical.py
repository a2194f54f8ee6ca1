"""A paragraph → the terms stored for lexical search (character bigrams), written with the report in one transaction."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

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
    terms than it was indexed with leaves its postings behind in FTS5's index. PostgreSQL computes them with its own
    function (PG_FUNCTIONS, below), which must change with this one."""
    return bigrams(document(p), simplified=True)


def counted(documents: Iterable[list[str]]) -> Counter:
    """What indexed paragraphs of these terms count in the term statistics: document frequencies under their terms,
    and the keys "" (paragraphs) and " " (terms in all)."""
    out: Counter = Counter()
    for words in documents:
        out.update(set(words))
        out.update({"": 1, " ": len(words)})
    return out


def _report_token(report_id: str) -> str:
    """A report id as one token of FTS5's ascii tokenizer (ids may hold '_', '-' or Han characters)."""
    return "r" + report_id.encode("utf-8").hex()


# ---- PostgreSQL: the same terms computed by the server (schema migration 12) ----
# PostgreSQL indexes the paragraphs table itself: a GIN index over lexical_terms(section, plain), an IMMUTABLE SQL
# function computing what `terms` computes (None for a paragraph that is not citable). The index, the document
# frequencies, the counters and the term frequencies a search scores are all read from the server's function, so a
# removal always takes back exactly what was added; tests/test_postgres.py checks it equals `terms` on every real
# paragraph, on every code point and on adversarial text. Where the two could still differ (a server whose Unicode
# tables differ from this Python's for characters assigned in between) only whether such a paragraph matches a
# question's bigrams differs: a ranking, never a figure. A change to either side needs a migration (REINDEX and the
# document frequencies counted again).
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_HAN = WORDS.pattern.split("+")[0]  # "[\u3400-\u9fff]" as an ARE class (AREs read \uXXXX escapes)


def _plain_chars() -> str:
    """The characters a text may hold for the server to skip NFKC (`normalize` is most of the function's cost):
    ASCII, Han (no decomposition, no composition) and common punctuation whose NFKC form holds no letter or Han
    character and whose decomposition has no combining mark (nothing can compose with a neighbour), so that NFKC
    changes no Han run or latin word of such a text: a full-width ，→ , stays a separator. As an ARE class body."""
    candidates = [*range(0x20, 0x7F), 0xB7, 0xD7, *range(0x2010, 0x2060), *range(0x2460, 0x24A0),
                  *range(0x25A0, 0x2600), *range(0x3000, 0x3040), *range(0xFF01, 0xFF5F)]
    kept = [c for c in candidates
            if not any(unicodedata.combining(x) for x in unicodedata.normalize("NFKD", chr(c)))
            and (unicodedata.normalize("NFKC", chr(c)) == chr(c)
                 or not WORDS.search(unicodedata.normalize("NFKC", chr(c)).lower()))]
    spans: list[list[int]] = []
    for c in kept:
        if spans and spans[-1][1] == c - 1:
            spans[-1][1] = c
        else:
            spans.append([c, c])
    return "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in spans)


def _pg_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# lexical_text: the document as matched (headings and text; the preface's outline sentence dropped), NFKC'd unless
# it holds only `_plain_chars`, and lower case as Python's str.lower leaves Han runs and latin words: ASCII A-Z
# (lower() under the "C" collation changes only those, whatever the database's locale) and İ → i + U+0307 (the one
# character besides A-Z, K (Kelvin, gone by NFKC) whose str.lower() holds a latin letter).
_PLAIN_TEXT = _pg_literal(f"^[{_plain_chars()}\\u3400-\\u9fff\\n]*$")
_DOTTED_I = _pg_literal(chr(0x130)), _pg_literal("i" + chr(0x307))
_HEADINGS = "replace(section, '/', E'\\n') || E'\\n' || plain"
_TEXT = f"""SELECT lower(CASE WHEN d ~ {_PLAIN_TEXT} THEN d
                  ELSE replace(normalize(d, NFKC), {_DOTTED_I[0]}, {_DOTTED_I[1]}) END COLLATE "C")
FROM (SELECT CASE WHEN section = {_pg_literal(PREAMBLE)}
             THEN regexp_replace(plain, {_pg_literal(_OUTLINE.pattern)}, '', 'g') ELSE {_HEADINGS} END AS d) document"""
# (lexical_terms holds lexical_text's body rather than calling it: a function called by name from another is not
# found while pg_restore builds the expression index, with its search_path emptied)
PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION lexical_text(section TEXT, plain TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
{_TEXT}
$$;
CREATE OR REPLACE FUNCTION lexical_terms(section TEXT, plain TEXT) RETURNS TEXT[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
SELECT CASE WHEN section = {_pg_literal(PREAMBLE)} AND char_length(plain) <= 60 AND plain !~ '[。；;]' THEN NULL
       ELSE ARRAY(SELECT CASE WHEN single THEN w ELSE substr(w, i, 2) END
                  FROM regexp_matches(({_TEXT}), {_pg_literal(WORDS.pattern)}, 'g') WITH ORDINALITY AS m (g, at)
                  CROSS JOIN LATERAL (SELECT m.g[1] AS w, m.g[1] ~ '^[a-z]' OR char_length(m.g[1]) = 1 AS single) r
                  CROSS JOIN LATERAL generate_series(1, CASE WHEN single THEN 1 ELSE char_length(w) - 1 END) AS i
                  ORDER BY at, i) END
$$
"""


def pg_count(term: str) -> str | None:
    """How the server counts a term in lexical_text (PostgreSQL's search: the paragraph's terms are not stored):
    None for a bigram of two different Han characters (its occurrences cannot overlap, so counted by replace());
    else an ARE counted by regexp_count: a doubled character overlapping, a lone character or a latin word only
    where it is a whole run. Terms hold only Han characters and a-z (WORDS): nothing to escape."""
    if "a" <= term[0] <= "z":
        return f"(?<![a-z]){term}(?![a-z])"
    if len(term) == 1:
        return f"(?<!{_HAN}){term}(?!{_HAN})"
    return f"{term[0]}(?={term[1]})" if term[0] == term[1] else None
