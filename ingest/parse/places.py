"""A PDF's placed lines + the parsed paragraphs and table rows → where each sits on the original pages (原件位置).

Nothing here decides a value: a row or paragraph that cannot be found for sure gets no place (its citation then
offers no page), never a guessed one."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from core.records import Cell, Paragraph, Place, paragraph_place, row_place
from ingest.read.page_lines import RULE, Line

NEAR = 12  # lines between a row's numbers and its label (a text layer prints a wrapped label around them)
SKIPS = 3  # lines inside a paragraph that are not its text (a page's footer, its number) before it is given up
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十]+）|\d+[.．、])")


def squeeze(text: str) -> str:
    """Text compared across readings: width folded (NFKC), every space gone."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def places(lines: Sequence[Line], paragraphs: Sequence[Paragraph], cells: Sequence[Cell]) -> dict[str, tuple]:
    """Place key (core.records.row_place / paragraph_place) → its Places, for what was found."""
    if not lines:
        return {}
    texts = [line for line in lines if line.kind != RULE]
    rules = [line for line in lines if line.kind == RULE]
    return {**_paragraphs(texts, paragraphs), **_rows(texts, rules, cells)}


def _paragraphs(lines: list[Line], paragraphs: Sequence[Paragraph]) -> dict[str, tuple[Place, ...]]:
    """Each paragraph's lines, in reading order: it starts on the first line (at or after the last paragraph's end)
    whose text begins it, and goes on line by line while the lines are its text."""
    out: dict[str, tuple[Place, ...]] = {}
    flat = [squeeze(line.text) for line in lines]
    cursor = 0
    for p in paragraphs:
        want = squeeze(p.text)
        if len(want) < 4:
            continue
        found = _paragraph_at(lines, flat, want, cursor)
        if found:
            out[paragraph_place(p.section, p.number)] = tuple(place for place, _ in found)
            cursor = found[-1][1]
    return out


def _paragraph_at(lines: list[Line], flat: list[str], want: str, cursor: int) -> list[tuple[Place, int]]:
    """The lines of one paragraph from the first place (line `cursor` on) where they all follow: the first line
    from where the paragraph begins in it (after a heading printed on the same line), the next ones whole."""
    for i in range(cursor, len(lines)):
        at = flat[i].find(want[:4])
        while at >= 0:
            got = _follow(lines, flat, want, i, flat[i][at:])
            if got:
                return got
            at = flat[i].find(want[:4], at + 1)
    return []


def _follow(lines: list[Line], flat: list[str], want: str, i: int, part: str) -> list[tuple[Place, int]]:
    got: list[tuple[Place, int]] = []
    done, skipped, j = 0, 0, i
    while j < len(lines) and done < len(want) and skipped <= SKIPS:
        rest = want[done:]
        if part and (rest.startswith(part) or (part.startswith(rest) and got)):
            got.append((Place(lines[j].page, lines[j].box, done), j + 1))
            done += min(len(part), len(rest))
            skipped = 0
        elif not got:
            return []
        else:
            skipped += 1
        j += 1
        part = flat[j] if j < len(lines) else ""
    return got if done >= len(want) else []


def _label_key(row: str) -> str:
    """The first characters of a row's own label, its numbering left off: what a printed label is found by."""
    leaf = row.split("/")[-1]
    return squeeze(_NUMBERING.sub("", leaf))[:6]


def _rows(lines: list[Line], rules: list[Line], cells: Sequence[Cell]) -> dict[str, tuple[Place, ...]]:
    """Each printed table row: the line (after the last row found) printing exactly its numbers, nearest its label.
    The mark is the ruled row holding that line (a text layer's table), else the line with its label."""
    printed: dict[tuple[str, str], str] = {}
    for c in cells:
        printed.setdefault((c.table, c.row), c.source)
    numbers = [_NUMBER.findall(line.text) for line in lines]
    flat = [squeeze(line.text) for line in lines]
    out: dict[str, tuple[Place, ...]] = {}
    cursor = 0
    for (table, row), source in printed.items():
        wanted = _NUMBER.findall(source)
        key = _label_key(row)
        if not wanted or len(key) < 2:
            continue
        best: tuple[int, int, int] | None = None  # (distance to the label, line, label's line)
        for i in range(cursor, len(lines)):
            have = numbers[i]
            if have[-len(wanted):] != wanted or len(have) - len(wanted) > 1:
                continue
            near = [j for j in range(max(cursor, i - NEAR), min(len(lines), i + 3)) if key in flat[j]]
            if near:
                j = min(near, key=lambda j: abs(j - i))
                if best is None or abs(j - i) < best[0]:
                    best = (abs(j - i), i, j)
        if best is None:
            continue
        _, i, j = best
        out[row_place(table, row)] = (_mark(lines[i], lines[j], rules),)
        cursor = i + 1
    return out


def _mark(numbers: Line, label: Line, rules: list[Line]) -> Place:
    """The band between the rulings just above and below the numbers' line, across its table (a merged label cell
    spans several bands: the band is where every cell at that height overlaps); else the numbers' line and its
    label's together."""
    x, y = (numbers.box[0] + numbers.box[2]) / 2, (numbers.box[1] + numbers.box[3]) / 2
    tables = {r.text for r in rules if r.page == numbers.page and r.box[0] <= x <= r.box[2]
              and r.box[1] <= y <= r.box[3]}
    across = [r for r in rules if r.page == numbers.page and r.text in tables and r.box[1] <= y <= r.box[3]]
    if len(tables) == 1 and across:
        return Place(numbers.page, (min(r.box[0] for r in across), max(r.box[1] for r in across),
                                    max(r.box[2] for r in across), min(r.box[3] for r in across)))
    boxes = [numbers.box] + ([label.box] if label.page == numbers.page else [])
    return Place(numbers.page, (min(b[0] for b in boxes), min(b[1] for b in boxes),
                                max(b[2] for b in boxes), max(b[3] for b in boxes)))
