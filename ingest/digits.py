"""Number tokens of one printed row → every reading with the row's column count (digit runs split)."""

from __future__ import annotations

from collections.abc import Iterator

Number = int | float
Reading = tuple[Number | None, ...]  # None: the cell was printed empty

LIMIT = 20000  # readings per row before the row is declared undecidable


class TooMany(Exception):
    """A digit run admits too many splits to enumerate."""


def number(text: str) -> Number:
    return float(text) if "." in text else int(text)


def _valid(part: str) -> bool:
    return part == "0" or (part[:1] not in ("", "0") or part[:2] == "0.")


def splits(run: str, k: int) -> Iterator[tuple[str, ...]]:
    """Ways to cut a digit run into k numbers without leading zeros: '640020470', 7 → ('64','0','0',…)."""
    if k == 1:
        if _valid(run):
            yield (run,)
        return
    for i in range(1, len(run) - k + 2):
        head = run[:i]
        if not _valid(head):
            break  # a longer head keeps the leading zero
        for rest in splits(run[i:], k - 1):
            yield (head, *rest)


def readings(tokens: list[str | None], columns: int) -> list[Reading]:
    """All ways the printed tokens (numbers, digit runs, None for empty) fill `columns` cells."""
    out: list[Reading] = []

    def walk(i: int, acc: tuple) -> None:
        if len(out) > LIMIT:
            raise TooMany
        if i == len(tokens):
            if len(acc) == columns:
                out.append(acc)
            return
        left = len(tokens) - i - 1  # tokens after this one, each needs a cell
        room = columns - len(acc) - left
        token = tokens[i]
        if room < 1:
            return
        if token is None or "." in token or token.startswith(("-", "+")):
            walk(i + 1, (*acc, None if token is None else number(token)))
            return
        for k in range(1, min(room, len(token)) + 1):
            for parts in splits(token, k):
                walk(i + 1, (*acc, *map(number, parts)))

    walk(0, ())
    return out


def can_fill(tokens: list[str | None], columns: int) -> bool:
    """Cheap test: could these tokens give exactly `columns` cells?"""
    most = sum(1 if t is None or "." in t else len(t.lstrip("+-")) for t in tokens)
    return len(tokens) <= columns <= most
