"""A scanned page (grayscale pixels) → the page turned straight; its tables as bands of cells between rulings."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_BAND = 14  # pixels: a band between two ruling lines lower than this is a doubled line, not a row
MIN_CELL = 12  # pixels: narrower cells are doubled vertical lines
ONE_ROW_CELLS = 5  # a lone band of this many cells is a table's row (表四's figures alone atop its page), not a box


@dataclass(frozen=True)
class Box:
    x0: int
    y0: int
    x1: int
    y1: int

    def holds(self, x: float, y: float) -> bool:
        return self.x0 <= x < self.x1 and self.y0 <= y < self.y1


@dataclass(frozen=True)
class Band:
    """One printed row of a table: the cells between two horizontal ruling lines, left to right."""

    top: int
    bottom: int
    cells: tuple[Box, ...]


@dataclass(frozen=True)
class Grid:
    box: Box  # the table's outline on the page
    bands: tuple[Band, ...]


def ink(gray: np.ndarray) -> np.ndarray:
    """Dark pixels as 255 (Otsu's threshold, so grey shading and JPEG noise stay paper)."""
    import cv2

    _, out = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return out


def straighten(gray: np.ndarray) -> np.ndarray:
    """The page turned back by the angle (±3°) at which its printed lines and rulings run most level."""
    import cv2

    small = ink(cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA))
    h, w = small.shape

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
        rows = cv2.warpAffine(small, m, (w, h), flags=cv2.INTER_NEAREST).sum(axis=1, dtype=np.float64)
        return float((rows**2).sum())

    best = max(np.arange(-3, 3.01, 0.25), key=score)
    best = max(np.arange(best - 0.2, best + 0.21, 0.05), key=score)
    if abs(best) < 0.05:
        return gray
    m = cv2.getRotationMatrix2D((gray.shape[1] / 2, gray.shape[0] / 2), best, 1.0)
    return cv2.warpAffine(gray, m, (gray.shape[1], gray.shape[0]), flags=cv2.INTER_CUBIC, borderValue=255)


def rulings(binary: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal and vertical ruling lines of a page as masks (long thin runs of ink)."""
    import cv2

    h, w = binary.shape
    horizontal = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (w // 20, 1)))
    vertical = cv2.morphologyEx(binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, h // 80)))
    close = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
    return cv2.dilate(horizontal, close), cv2.dilate(vertical, close)


def _runs(profile: np.ndarray, floor: float) -> list[int]:
    """Centres of the runs where a projection profile reaches the floor."""
    on = np.flatnonzero(profile >= floor)
    if not len(on):
        return []
    out, start = [], on[0]
    for a, b in zip(on[:-1], on[1:], strict=True):
        if b != a + 1:
            out.append((start + a) // 2)
            start = b
    out.append((start + on[-1]) // 2)
    return [int(v) for v in out]


def _spans(column: np.ndarray) -> bool:
    """A vertical ruling meets the band's top line or its bottom line (a scanned ruling may be broken at the other
    end); a figure's stroke (a 1 of large print, taller than the opening that finds rulings) stands clear of both."""
    on = column.any(axis=1)
    return bool(on[:3].any() or on[-3:].any())


def grids(binary: np.ndarray) -> list[Grid]:
    """Every ruled table of a page: its outline, and each band's cells between the vertical lines crossing it."""
    import cv2

    horizontal, vertical = rulings(binary)
    count, _, stats, _ = cv2.connectedComponentsWithStats(cv2.bitwise_or(horizontal, vertical))
    out = []
    for x, y, w, h, _ in stats[1:count]:
        if w < binary.shape[1] // 4 or h < 40:
            continue
        box = Box(int(x), int(y), int(x + w), int(y + h))
        hs = horizontal[y : y + h, x : x + w] > 0
        lines = _runs(hs.sum(axis=1), 40)
        # a table broken over pages has no closing line: its vertical rulings end the last row
        lines = [*([0] if not lines or lines[0] > MIN_BAND else []), *lines,
                 *([h - 1] if not lines or h - 1 - lines[-1] > MIN_BAND else [])]
        bands = []
        for top, bottom in zip(lines[:-1], lines[1:], strict=True):
            if bottom - top < MIN_BAND:
                continue
            middle = vertical[y + top + 3 : y + bottom - 2, x : x + w] > 0
            xs = [a for a in _runs(middle.sum(axis=0), 0.7 * middle.shape[0])
                  if _spans(vertical[y + top : y + bottom + 1, max(0, x + a - 2) : x + a + 3])]
            cells = tuple(Box(int(x + a), int(y + top), int(x + b), int(y + bottom))
                          for a, b in zip(xs[:-1], xs[1:], strict=True) if b - a >= MIN_CELL)
            if cells:
                bands.append(Band(int(y + top), int(y + bottom), cells))
        if len(bands) >= 2 or (bands and len(bands[0].cells) >= ONE_ROW_CELLS):
            out.append(Grid(box, tuple(bands)))
    return sorted(out, key=lambda g: g.box.y0)
