"""Words found in a question: longest match first, each character used once, found spans masked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from core.overlay import Overlay

MASK = "□"  # stands in for a matched span, so later matchers cannot reuse its characters


@cache
def _posseg() -> Any:
    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(60)  # its dictionary may load on the first cut: no "Building prefix dict" on stderr
    return pseg


def tagged(text: str) -> Iterable[Any]:
    """jieba's words of the text with their part-of-speech tags (`.word`, `.flag`); jieba (seconds to load its
    dictionary) is imported on the first call only."""
    return _posseg().cut(text)


@dataclass(frozen=True)
class Found:
    """One word of a vocabulary found in the question."""

    start: int
    end: int
    word: str
    value: Any  # what the word means (a Term, an agency key, an operation name …)


class Lexicon:
    """A vocabulary too large to test word by word (the place names of every stored agency): a question's pieces
    are looked up instead, as many lookups however many words.

    A copy shares this one's words and keeps its own changes beside them (a catalog brought forward after a write
    changes a few of half a million names): a core.overlay.Overlay."""

    def __init__(self, pairs: Iterable[tuple[str, Any]]) -> None:
        self._words = Overlay(pairs)
        self._lengths = Counter(map(len, self._words))
        self.longest = max(self._lengths, default=0)

    @classmethod
    def of(cls, words: dict[str, Any]) -> Lexicon:
        """A lexicon over this dict (kept, not copied: never change it afterwards)."""
        out = cls(())
        out._words, out._lengths = Overlay.of(words), Counter(map(len, words))
        out.longest = max(out._lengths, default=0)
        return out

    @property
    def words(self) -> dict[str, Any]:
        """Every word and its value (the changes folded in: reads every word)."""
        return self._words.plain()

    def get(self, word: str, default: Any = None) -> Any:
        return self._words.get(word, default)

    def copy(self) -> Lexicon:
        """A copy to change while readers use this one: it shares the words, copying only the changes."""
        out = Lexicon(())
        out._words, out._lengths, out.longest = self._words.copy(), self._lengths.copy(), self.longest
        return out

    def put(self, word: str, value: Any) -> None:
        if word not in self._words:
            self._lengths[len(word)] += 1
            self.longest = max(self.longest, len(word))
        self._words[word] = value

    def drop(self, word: str) -> None:
        if word in self._words:
            del self._words[word]
            self._lengths[len(word)] -= 1
            if not self._lengths[len(word)]:
                del self._lengths[len(word)]
                self.longest = max(self._lengths, default=0)

    def within(self, text: str) -> list[tuple[str, Any]]:
        """The words that occur in the text, with their values."""
        pieces = {text[i:j] for i in range(len(text)) for j in range(i + 1, min(i + self.longest, len(text)) + 1)}
        words = self._words.base if self._words.base is not None else self._words  # (a plain dict: C-speed lookups)
        return [(w, words[w]) for w in sorted(pieces) if w in words]


def find(text: str, vocabulary: Iterable[tuple[str, Any]] | Lexicon) -> tuple[list[Found], str]:
    """Non-overlapping matches, longest words first and, among words of one length, leftmost first ("重复申请数量" is
    重复申请 + 数量, not 重复 + 申请数量); in order of position; and the text with them masked."""
    chars = list(text)
    found: list[Found] = []
    by_length: dict[int, list[tuple[str, Any]]] = {}
    for word, value in vocabulary.within(text) if isinstance(vocabulary, Lexicon) else vocabulary:
        if word and word in text:  # most words of a vocabulary are not in a question: test them at C speed
            by_length.setdefault(len(word), []).append((word, value))
    for length in sorted(by_length, reverse=True):
        spots = []
        for order, (word, value) in enumerate(by_length[length]):
            start = text.find(word)
            while start >= 0:
                spots.append((start, order, word, value))
                start = text.find(word, start + 1)
        for start, _, word, value in sorted(spots, key=lambda s: s[:2]):
            end = start + length
            if MASK not in "".join(chars[start:end]):
                found.append(Found(start, end, word, value))
                chars[start:end] = MASK * length
    return sorted(found, key=lambda f: f.start), "".join(chars)


def contains(text: str, words: Iterable[str]) -> bool:
    return any(w in text for w in words)


def holds(text: str, word: str) -> bool:
    """Whether the text holds the word, whole or bigram by bigram ("网上申请" in "…网上…申请…"): how a question's
    leftover word is accounted for by a label, a quote or a rate's subject."""
    return word in text or (len(word) > 2 and all(word[i : i + 2] in text for i in range(len(word) - 1)))
