"""Words found in a question: longest match first, each character used once, found spans masked."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

MASK = "□"  # stands in for a matched span, so later matchers cannot reuse its characters


@dataclass(frozen=True)
class Found:
    """One word of a vocabulary found in the question."""

    start: int
    end: int
    word: str
    value: Any  # what the word means (a Term, an agency key, an operation name …)


def find(text: str, vocabulary: Iterable[tuple[str, Any]]) -> tuple[list[Found], str]:
    """Non-overlapping matches, longest words first, in order of position; and the text with them masked."""
    chars = list(text)
    found: list[Found] = []
    for word, value in sorted(vocabulary, key=lambda wv: -len(wv[0])):
        if not word:
            continue
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if MASK not in "".join(chars[start:end]):
                found.append(Found(start, end, word, value))
                chars[start:end] = MASK * len(word)
            start = text.find(word, start + 1)
    return sorted(found, key=lambda f: f.start), "".join(chars)


def contains(text: str, words: Iterable[str]) -> bool:
    return any(w in text for w in words)
