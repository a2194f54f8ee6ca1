"""A table's token stream → number groups → template rows, by the labels printed with them or by order."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.template import TABLE_4_HEADER, Row, Table
from core.text import norm
from ingest.parse.digits import can_fill
from ingest.parse.tokens import Seen, Token


@dataclass
class Group:
    """Numbers printed together (one table row, as far as the layout shows)."""

    tokens: list[str | None]  # number text, None for an empty cell
    labels: list[Row]  # rows named by the text since the previous group
    source: str = ""
    inline: list[Row] = field(default_factory=list)  # rows named on the same printed line, before the numbers
    units: list[str] = field(default_factory=list)  # the unit printed after each token ("" = none), as tokens
    # per token: what the scan saw in a cell OCR could not read (token None), None for every other cell
    unread: list[Seen | None] = field(default_factory=list)
    weak: list[bool] = field(default_factory=list)  # per token: a scanned number read without full confidence
    text: str = ""  # the (normalised) text since the previous group: its label as printed

    @property
    def blank(self) -> bool:
        return all(t is None for t in self.tokens)


def rows_named(text: str, table: Table) -> list[Row]:
    """Rows whose label patterns occur in the (normalised) text, in the order they are printed."""
    hits = [(m.start(), row) for row in table.rows for p in row.patterns if (m := re.search(p, text))]
    return [row for _, row in sorted(hits, key=lambda h: h[0])]


def groups(tokens: list[Token], table: Table) -> tuple[list[Group], set[str]]:
    """Split the stream into number groups, each with the rows named by the text since the previous group
    (joined, so a label broken over lines or spaces still matches) and on its own line.

    A printed row of empty cells only is a group when its own line names a row (an HTML row of blanks)."""
    out: list[Group] = []
    present: set[str] = set()
    pending: list[str] = []  # text since the previous group
    line: list[str] = []  # text on the current line before the numbers
    current: list[Token] = []

    def close() -> None:
        nonlocal pending, current
        nums = [t.text if t.kind == "num" else None for t in current]
        inline = rows_named("".join(line), table) if current else []
        if any(n is not None for n in nums) or (nums and inline):
            labels = rows_named("".join(pending), table)
            present.update(r.path for r in labels)
            source = " ".join("？" if t.kind == "unread" else t.text + t.unit or "□" for t in current)
            out.append(Group(nums, labels, source, inline, [t.unit for t in current],
                             [t.seen if t.kind == "unread" else None for t in current], [t.weak for t in current],
                             "".join(pending)))
            pending = []
        current = []

    for tok in tokens:
        if tok.kind == "text":
            if current:
                close()
                line.clear()
            pending.append(tok.norm)
            line.append(tok.norm)
        elif tok.kind == "break":
            close()
            line.clear()
        else:
            current.append(tok)
    close()
    present.update(r.path for r in rows_named("".join(pending), table))
    return out, present


def trim(tokens: list, columns: int, empty: list[bool] | None = None) -> list:
    """Drop empty cells at the ends beyond the row's width (merged cells leave them); `empty` says which are
    empty when the tokens are something else (their positions)."""
    tokens = list(tokens)
    empty = list(empty) if empty is not None else [t is None for t in tokens]
    while len(tokens) > columns and tokens and empty[-1]:
        tokens.pop()
        empty.pop()
    while len(tokens) > columns and tokens and empty[0]:
        tokens.pop(0)
        empty.pop(0)
    return tokens


def _fits(group: Group, row: Row) -> bool:
    return can_fill(trim(group.tokens, len(row.columns)), len(row.columns))


def _anchored(found: list[Group], rows: list[Row], inline_only: bool = False) -> dict[str, Group]:
    """Each group to the value row named just before it (label-then-numbers layouts)."""
    wanted = {r.path for r in rows}
    out: dict[str, Group] = {}
    for g in found:
        named = [r for r in (g.inline if inline_only else g.labels) if r.path in wanted]
        if named and named[-1].path not in out and _fits(g, named[-1]):
            out[named[-1].path] = g
    return out


def _in_order(assigned: dict[str, Group], rows: list[Row], found: list[Group]) -> bool:
    at = [next(i for i, g in enumerate(found) if g is assigned[r.path]) for r in rows if r.path in assigned]
    return at == sorted(at)


def _ordinal(found: list[Group], rows: list[Row]) -> dict[str, Group] | None:
    """Groups in printed order to rows in template order (labels drift away from numbers).

    Only when the groups that can hold a row's numbers are exactly as many as the rows, each fits
    its row, and no label printed on a group's own line names another row."""
    fits = [g for g in found if not g.blank and any(_fits(g, r) for r in rows)]
    if len(fits) != len(rows):
        return None
    wanted = {r.path for r in rows}
    for row, g in zip(rows, fits, strict=True):
        inline = [r.path for r in g.inline if r.path in wanted]
        if not _fits(g, row) or (inline and inline[-1] != row.path):
            return None
    return {r.path: g for r, g in zip(rows, fits, strict=True)}


def _table_four(found: list[Group], table: Table) -> tuple[dict[str, Group], list[str]]:
    """Table 四 is one printed row of 15 numbers under its header."""
    row = table.rows[0]
    merged = [t for g in found for t in g.tokens]
    unread = [u for g in found for u in (g.unread or [None] * len(g.tokens))]
    weak = [u for g in found for u in (g.weak or [False] * len(g.tokens))]
    kept = trim(list(range(len(merged))), len(row.columns), [t is None for t in merged])
    tokens = [merged[i] for i in kept]
    if any(unread[i] for i in range(len(merged)) if i not in kept):  # a cell OCR missed fell off: all doubtful
        unread, weak = [Seen()] * len(tokens), []  # which cell is which is not known
    else:
        unread, weak = [unread[i] for i in kept], [weak[i] for i in kept]
    return {row.path: Group(tokens, [row], " ".join(g.source for g in found), unread=unread, weak=weak)}, []


def four_tokens(tokens: list[Token]) -> list[Token]:
    """Table 四's tokens up to the first text after its numbers that is not its header (another table)."""
    seen_number = False
    for i, tok in enumerate(tokens):
        if tok.kind == "num":
            seen_number = True
        elif tok.kind == "text" and seen_number and not re.fullmatch(TABLE_4_HEADER, tok.norm):
            return tokens[:i]
    return tokens


def assign(table: Table, tokens: list[Token]) -> tuple[dict[str, Group], list[str]]:
    """Which printed numbers belong to which template row; notes say what could not be matched.

    A table without a single printed number is not filled in (an empty template): its blanks are not 0."""
    if not any(t.kind == "num" for t in tokens):
        return {}, [f"表{table.name}：未找到数字"]
    if table.name == "四":
        return _table_four(groups(four_tokens(tokens), table)[0], table)
    found, present = groups(tokens, table)
    rows = table.value_rows(present)
    anchored = _anchored(found, rows)
    anchored |= _by_place(found, rows, anchored)
    if len(anchored) == len(rows) and _in_order(anchored, rows, found):
        return anchored, []
    for candidate in (rows, table.value_rows(set())):
        ordinal = _ordinal(found, candidate)
        if ordinal:
            return ordinal, []
    # Labels and numbers do not line up: keep only numbers whose label is on their own line.
    anchored = _anchored(found, rows, inline_only=True)
    if not anchored:
        return {}, [f"表{table.name}：无法与国家模板对应（找到{len(found)}组数字、{len(present)}个行标签）"]
    anchored |= _by_place(found, rows, anchored)
    anchored |= _short_of_cells(found, rows, anchored)
    return anchored, [f"表{table.name}：未找到“{r.path}”行的数字" for r in rows if r.path not in anchored]


def _short_of_cells(found: list[Group], rows: list[Row], anchored: dict[str, Group]) -> dict[str, Group]:
    """Rows left out whose label is printed right before a group with fewer digits than the row has cells (a cell
    lost in conversion, "结转下年度继续办理 000000"): the group is that row's print all the same, so the row's
    cells are stored — unknown with the reason, or decided by the table's identities (tables.solve)."""
    used = {id(g) for g in anchored.values()}
    wanted = {r.path: r for r in rows if r.path not in anchored}
    out: dict[str, Group] = {}
    for g in found:
        named = [r for r in g.labels if r.path in wanted]
        digits = sum(len(t) for t in g.tokens if t is not None and t.isdigit())
        if named and id(g) not in used and named[-1].path not in out and not g.blank \
                and all(t is None or t.isdigit() for t in g.tokens) and digits < len(named[-1].columns):
            out[named[-1].path] = g
    return out


_ENUMERATOR = re.compile(r"^(?:[(（][一二三四五六七八九十]+[)）]|\d+[.、]|[一二三四五六七八九十]+、)")


def _slips(label: str, text: str) -> int:
    """The fewest characters changed, added or dropped to find `label` within `text` (Sellers' approximate match)."""
    above = [0] * (len(text) + 1)
    for i, ch in enumerate(label, start=1):
        row = [i] + [0] * len(text)
        for j, other in enumerate(text, start=1):
            row[j] = min(above[j - 1] + (ch != other), above[j] + 1, row[j - 1] + 1)
        above = row
    return min(above)


def _misread(row: Row, text: str) -> bool:
    """The row's own label (its last part, without its enumerator or a note in brackets) printed in the text with
    at most one character in four misread ("子以公开" for 予以公开: a scan's slip)."""
    label = re.sub(r"[(（][^)）]*[)）]$", "", _ENUMERATOR.sub("", row.path.rsplit("/", 1)[-1]))
    return len(label) >= 4 and _slips(norm(label), text) <= len(label) // 4


def _by_place(found: list[Group], rows: list[Row], anchored: dict[str, Group]) -> dict[str, Group]:
    """A row whose label no pattern finds, taken by its place in the fixed template: its neighbours above and below
    are anchored, exactly one group of numbers is printed between theirs, it fits the row, names no other row, and
    its label is the row's own with at most one character in four misread (an OCR slip). Never a guess: both the
    place and the label must say so."""
    at = {id(g): i for i, g in enumerate(found)}
    named = {r.path for g in found for r in g.labels if r in rows}
    out: dict[str, Group] = {}
    for k in range(1, len(rows) - 1):
        row, above, below = rows[k], rows[k - 1], rows[k + 1]
        if row.path in anchored or row.path in named or above.path not in anchored or below.path not in anchored:
            continue
        between = [g for g in found[at[id(anchored[above.path])] + 1 : at[id(anchored[below.path])]] if not g.blank]
        if len(between) == 1 and not any(r in rows for r in between[0].labels) and _fits(between[0], row) \
                and _misread(row, between[0].text):
            out[row.path] = between[0]
    return out
