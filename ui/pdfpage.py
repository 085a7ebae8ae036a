""""Show on the page": the cited page of a PDF in the corpus, rendered with the paragraph marked.

pypdfium2 renders the page and reports where characters sit; the paragraph is found on the page by
its opening words (the longest opening that PDFium's text search finds, so hyphenation or a line
break late in the paragraph does not matter), and the rectangles of as many characters as the
paragraph has are painted over in translucent yellow. The result is a PNG ``data:`` URL the source
panel shows as an image; nothing is written to disk.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

import pypdfium2 as pdfium
from PIL import Image, ImageDraw

SCALE = 1.5  # 108 dpi: the paragraph stays legible on a phone without a huge image
HIGHLIGHT = (255, 214, 0, 110)
OPENINGS = (12, 8, 5, 3)  # words of the paragraph tried, longest first


def _find(textpage: pdfium.PdfTextPage, text: str) -> tuple[int, int] | None:
    """(first char index, char count) of ``text`` on the page, located by its opening words."""
    words = text.split()
    for n in OPENINGS:
        if len(words) < n and n != OPENINGS[-1]:
            continue
        searcher = textpage.search(" ".join(words[:n]), match_case=False)
        found = searcher.get_next()
        if found:
            start = found[0]
            total = textpage.count_chars()
            # the paragraph's length in characters, plus the line breaks PDFium counts
            return start, max(1, min(total - start, len(text) + len(words) // 8))
    return None


def render_page(pdf_path: Path, page: int, paragraph: str) -> tuple[str, bool]:
    """PNG data URL of 1-based ``page`` with ``paragraph`` highlighted, and whether it was found."""
    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        pg = pdf[page - 1]
        textpage = pg.get_textpage()
        image = pg.render(scale=SCALE).to_pil().convert("RGBA")
        found = _find(textpage, paragraph)
        if found:
            _paint(image, textpage, *found, height=pg.get_height())
        buf = io.BytesIO()
        image.convert("RGB").save(buf, format="PNG", optimize=True)
    finally:
        pdf.close()
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii"), bool(found)


def _paint(image: Image.Image, textpage: pdfium.PdfTextPage, start: int, count: int,
           height: float) -> None:
    """Translucent boxes over the characters ``start .. start+count`` (PDF points, origin bottom-left)."""
    overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    for i in range(textpage.count_rects(start, count)):
        left, bottom, right, top = textpage.get_rect(i)
        draw.rectangle([left * SCALE, (height - top) * SCALE, right * SCALE,
                        (height - bottom) * SCALE], fill=HIGHLIGHT)
    image.alpha_composite(overlay)
