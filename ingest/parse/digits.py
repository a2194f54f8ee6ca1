"""Number tokens of one printed row → every reading with the row's column count (digit runs split)."""

from __future__ import annotations

from collections.abc import Iterator

Number = int | float
Reading = tuple[Number | None, ...]  # None: the cell was printed empty

LIMIT = 20000  # readings per row before the row is declared undecidable
STEPS = 200_000  # partial splits tried per row before the row is declared undecidable
Sums = tuple[tuple[int, tuple[int, ...]], ...]  # (total column, its part columns) of one row


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


def readings(tokens: list[str | None], columns: int, sums: Sums = ()) -> list[Reading]:
    """All ways the printed tokens (numbers, digit runs, None for empty) fill `columns` cells.

    A digit run is cut cell by cell; `sums` are the row's own totals, (total column, part columns),
    and a cut that breaks one is dropped as soon as those cells are known (long runs stay cheap)."""
    out: list[Reading] = []
    steps = 0
    checks = [(max(total, *parts), total, parts) for total, parts in sums]
    # a signed run ("+11" of "0+11") is cut like any run, its sign going with the first cell ("+1", "1")
    whole = [t is None or "." in t or (t.startswith(("-", "+")) and len(t) == 2) for t in tokens]
    room = [0] * (len(tokens) + 1)  # most cells the tokens from i on can fill
    for i in range(len(tokens) - 1, -1, -1):
        room[i] = room[i + 1] + (1 if whole[i] else len((tokens[i] or "").lstrip("+-")))

    def adds_up(acc: tuple) -> bool:
        return all(acc[total] == sum(acc[p] for p in parts) for last, total, parts in checks
                   if last == len(acc) - 1 and None not in (acc[total], *(acc[p] for p in parts)))

    def walk(i: int, pos: int, acc: tuple) -> None:
        nonlocal steps
        steps += 1
        if len(out) > LIMIT or steps > STEPS:
            raise TooMany
        if i == len(tokens):
            if len(acc) == columns:
                out.append(acc)
            return
        token = tokens[i]
        if whole[i]:
            nxt = (*acc, None if token is None else number(token))
            if adds_up(nxt):
                walk(i + 1, 0, nxt)
            return
        sign = token[0] if pos == 0 and token[0] in "+-" else ""
        rest = token[pos + len(sign):]
        for cut in range(1, len(rest) + 1):
            part = rest[:cut]
            if not _valid(part):
                break  # a longer part keeps the leading zero
            left = columns - len(acc) - 1  # cells still to fill after this one
            more = len(rest) > cut
            if not (more + len(tokens) - i - 1 <= left <= len(rest) - cut + room[i + 1]):
                continue
            nxt = (*acc, int(sign + part))
            if adds_up(nxt):
                walk(i, pos + len(sign) + cut, nxt) if more else walk(i + 1, 0, nxt)

    walk(0, 0, ())
    return out


def can_fill(tokens: list[str | None], columns: int) -> bool:
    """Cheap test: could these tokens give exactly `columns` cells?"""
    most = sum(1 if t is None or "." in t else len(t.lstrip("+-")) for t in tokens)
    return len(tokens) <= columns <= most


class Blank(int):
    """0 read from a cell printed empty ("—", "/", blank), kept apart so an identity can take it back."""

    def __new__(cls) -> Blank:
        return super().__new__(cls, 0)

    def __repr__(self) -> str:
        return "Blank()"
