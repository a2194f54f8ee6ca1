"""Test helper: a PDF with a text layer → an image-only "scan" of it (turned a little, speckled, JPEG-compressed)."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Variant:
    name: str
    dpi: int  # scan resolution
    angle: float  # degrees the page is turned on the scanner glass
    speckle: float  # share of pixels flipped to dark or light noise
    quality: int  # JPEG quality
    blur: float = 0.0  # Gaussian blur radius in pixels (a soft scan)


VARIANTS = (
    Variant("clean", 200, 0.3, 0.0005, 85),
    Variant("office", 150, -0.8, 0.002, 60),
    Variant("rough", 150, 1.5, 0.006, 35, 0.6),
    Variant("skewed", 180, -1.2, 0.003, 50, 0.3),  # another resolution and angle than the three above
    Variant("soft", 160, 1.0, 0.005, 40, 0.7),  # added with the median-filtered look: not tuned to the four above
)


def scan_page(image, v: Variant, seed: int = 0):
    """One rendered page (PIL, grayscale) → the same page as it comes off a cheap scanner."""
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    page = image.convert("L").rotate(v.angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    if v.blur:
        page = page.filter(ImageFilter.GaussianBlur(v.blur))
    px = page.load()
    w, h = page.size
    for _ in range(int(w * h * v.speckle)):
        x, y = rng.randrange(w), rng.randrange(h)
        px[x, y] = rng.choice((0, 40, 90, 255))
    out = io.BytesIO()
    page.save(out, "JPEG", quality=v.quality)
    return Image.open(io.BytesIO(out.getvalue()))


def make_scan(pdf: Path, out: Path, v: Variant, pages: list[int] | None = None,
              edit: Callable[[int, object], object] | None = None) -> Path:
    """Render the PDF's pages (all, or these 0-based ones), degrade them, and wrap them into an image-only PDF;
    `edit(page index, image)`, when given, changes a rendered page before it is scanned (a cell blurred on purpose)."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    images = []
    for i in pages if pages is not None else range(len(doc)):
        image = doc[i].render(scale=v.dpi / 72, grayscale=True).to_pil()
        if edit:
            image = edit(i, image)
        images.append(scan_page(image, v, seed=i))
    doc.close()
    images[0].save(str(out), "PDF", resolution=v.dpi, save_all=True, append_images=images[1:])
    return Path(out)
