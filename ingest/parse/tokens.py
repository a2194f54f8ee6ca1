"""Table text → a stream of label and number tokens, whatever the layout (pipes, spaces, or no separator)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.template import CELL_WITH_UNIT, MONEY_UNITS, SCAN_SEEN, SCAN_SEEN_SPLIT, SCAN_UNREAD, SCAN_WEAK
from core.text import norm

# Placeholders printed in empty cells.
EMPTY_MARKS = {"", "-", "—", "－", "--", "/", "／", "\\"}
_MD_RULE = re.compile(r"^:?-{3,}:?$")
_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
# A sign glued to the number before it is a cell of its own: "行政许可0+11" (2019 layout) is 0 | +1 | 1
_RUN = re.compile(r"(?:(?<=\d)[-+]|^[-+])?\d+(?:\.\d+)?")
_WITH_UNIT = re.compile(CELL_WITH_UNIT)
_SEEN = re.compile(SCAN_SEEN)
_MONEY_AFTER = tuple(sorted(MONEY_UNITS, key=len, reverse=True))  # "万元" before "元"
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # "1,200" is one number
# A digit followed by these is an enumerator ("1.属于…", "3、其他") when a non-digit comes next.
_ENUM_MARK = ".、,"
# A number followed by these is part of a phrase ("2023年", "第3项"), not a table value.
_UNIT_AFTER = "年月日号条项款页%个"


@dataclass(frozen=True)
class Seen:
    """What the scan saw in a cell OCR could not read (扫描件此格识别不清), printed "〓2:11/17" by the reader."""

    glyphs: int | None = None  # figures counted in the cell's ink; None: not counted (too faint, or a bare 〓)
    readings: tuple[str, ...] = ()  # the numbers the readings of the cell gave, however unsure


@dataclass(frozen=True)
class Token:
    kind: str  # "text" | "num" | "empty" | "unread" (a scanned cell OCR could not read) | "break"
    text: str  # as printed (width-folded, simplified)
    unit: str = ""  # num: the unit printed right after the number ("元", "万元", "个"…), if any
    weak: bool = False  # num: a scanned number OCR read without full confidence (printed "≈12")
    seen: Seen | None = None  # unread: what the scan saw in the cell

    @property
    def norm(self) -> str:
        return norm(self.text)


def _split_mixed(piece: str) -> list[Token]:
    """'规章000行政规范性文件693665' → text/num tokens; a digit glued to '.属于' is an enumerator."""
    out: list[Token] = []
    pos = 0
    for m in _RUN.finditer(piece):
        run, end = m.group(), m.end()
        nxt = piece[end : end + 1]
        after = piece[end + 1 : end + 2]
        if (nxt and nxt in _UNIT_AFTER) or (m.start() > 0 and piece[m.start() - 1] == "第"):
            continue  # part of a phrase; stays in the text
        if nxt and nxt in _ENUM_MARK and after and not after.isdigit() and "." not in run:
            run = run[:-1]  # the last digit opens the next label
            end -= 1
        if not run:
            continue
        if m.start() > pos:
            out.append(Token("text", piece[pos : m.start()]))
        unit = next((u for u in _MONEY_AFTER if piece.startswith(u, end)), "")
        out.append(Token("num", run, unit))
        pos = end + len(unit)
    if pos < len(piece):
        out.append(Token("text", piece[pos:]))
    return out


def _pieces(text: str) -> list[Token]:
    """Tokens of text without cell borders: numbers, empty-cell marks, labels with digit runs split off."""
    out: list[Token] = []
    for piece in text.split():
        piece = _THOUSANDS.sub("", piece)
        if _NUMBER.match(piece):
            out.append(Token("num", piece))
        elif m := _WITH_UNIT.match(piece):
            out.append(Token("num", m.group(1), m.group(2)))
        elif piece in EMPTY_MARKS:
            out.append(Token("empty", ""))
        elif piece == SCAN_UNREAD:
            out.append(Token("unread", "", seen=Seen()))
        elif m := _SEEN.fullmatch(piece):
            readings = tuple(m.group(2).split(SCAN_SEEN_SPLIT)) if m.group(2) else ()
            glyphs = None if m.group(1) == "?" else int(m.group(1))
            out.append(Token("unread", "", seen=Seen(glyphs, readings)))
        elif piece.startswith(SCAN_WEAK) and _NUMBER.match(piece[1:]):
            out.append(Token("num", piece[1:], weak=True))
        else:
            out.extend(_split_mixed(piece))
    return out


def _cell_tokens(cell: str) -> list[Token]:
    cell = cell.strip()
    if _MD_RULE.match(cell):
        return []
    if cell in EMPTY_MARKS:
        return [Token("empty", "")]
    return _pieces(cell)


def tokenize(text: str) -> list[Token]:
    """Tokens of a table region. 'break' marks where a printed row ends (a line holding a whole row)."""
    out: list[Token] = []
    for line in text.split("\n"):
        if "|" in line:
            cells = line.split("|")
            if not cells[0].strip():
                cells = cells[1:]  # "| a | b |": the pipes at both ends are not cells
            if cells and not cells[-1].strip():
                cells = cells[:-1]
            for cell in cells:
                out.extend(_cell_tokens(cell))
            if len(cells) > 1:
                out.append(Token("break", ""))  # a markdown/HTML row; one-cell lines (web flattening) are not rows
            continue
        out.extend(_pieces(line))
        out.append(Token("break", ""))
    return out
