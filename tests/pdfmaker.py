"""Build valid PDFs in tests: tiny text pages, a page with no text layer, encryption, and laid-out
UN-style documents (sizes, positions, running header, page numbers, footnotes, two columns)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


def make_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF with one Helvetica text line per string; an empty list is a page without text."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]
    kids = []
    font_id = 3
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for lines in pages:
        ops = ["BT /F1 11 Tf 50 780 Td 14 TL"]
        for line in lines:
            safe = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({safe}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1") if lines else b""
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (content_id, font_id)
        )
        kids.append(len(objects))
    return _write_pdf(path, objects, kids)


def _write_pdf(path: Path, objects: list[bytes], kids: list[int]) -> Path:
    """Serialise PDF objects (object 2 is the page tree, filled in here) with a correct xref table."""
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def encrypt_pdf(src: Path, dest: Path, password: str = "secret", algorithm: str = "RC4-128") -> Path:
    """An encrypted copy (``password`` "" = opens without one, as many AES-encrypted UN PDFs do)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(src)))
    writer.encrypt(user_password=password, owner_password=password + "-owner", algorithm=algorithm)
    with dest.open("wb") as fh:
        writer.write(fh)
    return dest


# ----------------------------------------------------------------------------- laid-out documents
# Real UN PDFs put text at positions, in several sizes, with running headers, page numbers, footnotes
# at the foot in a smaller size and sometimes two columns. ``LayoutPdf`` sets text like that with the
# standard Helvetica metrics, so the loader sees what it sees in real files.
A4 = (595.0, 842.0)


_GLYPHS = {"quotedblleft": "“", "quotedblright": "”", "quoteleft": "‘", "quoteright": "’",
           "endash": "–", "emdash": "—", "bullet": "•"}


@lru_cache(maxsize=2)
def _widths(bold: bool) -> dict[str, int]:
    """Helvetica advance widths from the Adobe font metrics matplotlib ships (standard-14 fonts)."""
    import matplotlib

    afm = Path(matplotlib.get_data_path()) / "fonts" / "afm" / ("phvb8a.afm" if bold else "phvr8a.afm")
    out: dict[str, int] = {}
    for line in afm.read_text(encoding="latin-1").splitlines():
        m = re.match(r"C (-?\d+) ; WX (\d+) ; N (\S+)", line)
        if m:
            code, width, name = int(m.group(1)), int(m.group(2)), m.group(3)
            if 32 <= code < 127:
                out[chr(code)] = width
            if name in _GLYPHS:
                out[_GLYPHS[name]] = width
    return out


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width of ``text`` in points in Helvetica (bold) at ``size``."""
    widths = _widths(bold)
    return sum(widths.get(c, 556) for c in text) * size / 1000.0


@dataclass
class Span:
    """A run of text at (x, baseline-from-top) in one size."""

    text: str
    x: float
    y: float
    size: float = 10.0
    bold: bool = False


@dataclass
class LayoutPdf:
    """Sets paragraphs into pages: margins, optional two columns, header/footer, footnotes."""

    header: str = ""
    footer: str = "{n}/{total}"  # "Page {n} of {total}", "" for none
    job_number: str = ""  # printed at the foot of page 1, e.g. "V.99-01234 (E)"
    columns: int = 1
    body_size: float = 10.0
    leading: float = 12.0
    para_gap: float = 6.0
    top: float = 72.0
    bottom: float = 770.0
    left: float = 72.0
    right: float = 523.0
    pages: list[list[Span]] = field(default_factory=list)
    y: float = 0.0
    column: int = 0
    columns_top: float = 0.0
    feet: list[list[tuple[str, str]]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.new_page()

    # -- geometry
    def col_bounds(self) -> tuple[float, float]:
        if self.columns == 1:
            return self.left, self.right
        gutter = 24.0
        width = (self.right - self.left - gutter) / 2
        x0 = self.left + self.column * (width + gutter)
        return x0, x0 + width

    def foot_room(self) -> float:
        """Space kept free at every page foot for up to four footnotes (so a note added after the
        page's last lines were set never overlaps them)."""
        return 54.0

    def new_page(self) -> None:
        self.pages.append([])
        self.feet.append([])
        self.y, self.column = self.top, 0
        self.columns_top = self.top

    def advance(self, height: float) -> None:
        if self.y + height > self.bottom - self.foot_room():
            if self.columns == 2 and self.column == 0:
                self.column, self.y = 1, self.columns_top
            else:
                self.new_page()

    # -- content
    def heading(self, text: str, size: float = 12.0, centred: bool = True, bold: bool = True,
                full_width: bool = False) -> None:
        """A heading; ``full_width`` spans both columns (a title above them)."""
        self.y += self.para_gap
        self.advance(size * 1.4 * 2)
        x0, x1 = (self.left, self.right) if full_width else self.col_bounds()
        w = text_width(text, size, bold)
        x = x0 + (x1 - x0 - w) / 2 if centred else x0
        self.y += size * 1.2
        self.pages[-1].append(Span(text, x, self.y, size, bold))
        self.y += size * 0.4
        if full_width:
            self.columns_top = self.y

    def paragraph(self, text: str, indent: float = 0.0, first: float = 0.0, size: float | None = None,
                  notes: list[tuple[str, str]] | None = None, hyphenate: bool = False) -> None:
        """Wrap ``text``; ``notes`` are (marker, footnote text) placed at this page's foot, their
        markers set as raised small digits after the word ending in "^marker"."""
        size = size or self.body_size
        self.y += self.para_gap
        x0, x1 = self.col_bounds()
        words = text.split()
        line: list[str] = []
        first_line = True
        while words:
            width = x1 - x0 - indent - (first if first_line else 0)
            word = words[0]
            trial = " ".join([*line, word]).replace("^", "")
            if text_width(trial, size) <= width or not line:
                line.append(words.pop(0))
                continue
            if hyphenate and len(word) > 8 and word.isalpha():
                head = word[: len(word) // 2] + "-"
                if text_width(" ".join([*line, head]), size) <= width:
                    line.append(head)
                    words[0] = word[len(word) // 2 :]
            self._line(line, indent + (first if first_line else 0), size, notes)
            line, first_line = [], False
        if line:
            self._line(line, indent + (first if first_line else 0), size, notes)

    def _line(self, words: list[str], offset: float, size: float, notes: list[tuple[str, str]] | None) -> None:
        self.advance(self.leading)
        self.y += self.leading
        x = self.col_bounds()[0] + offset  # the column may have changed
        spans = self.pages[-1]
        for i, word in enumerate(words):
            marker = ""
            if "^" in word:
                word, marker = word.split("^", 1)
            spans.append(Span(word, x, self.y, size))
            x += text_width(word, size)
            if marker:
                spans.append(Span(marker, x + 0.5, self.y - size * 0.35, size * 0.6))
                x += text_width(marker, size * 0.6) + 0.5
                note = next((n for n in notes or [] if n[0] == marker), None)
                if note:
                    self.feet[-1].append(note)
            if i < len(words) - 1:
                x += text_width(" ", size)

    def save(self, path: Path) -> Path:
        total = len(self.pages)
        pages: list[list[Span]] = []
        for n, spans in enumerate(self.pages, 1):
            page = list(spans)
            if self.header:
                w = text_width(self.header, 9, True)
                x = self.left if n % 2 == 0 else self.right - w
                page.append(Span(self.header, x, 40.0, 9.0, True))
            y = self.bottom - self.foot_room() + 14
            for marker, note in self.feet[n - 1]:
                page.append(Span(f"{marker} {note}"[:140], self.left, y, 8.0))
                y += 10.0
            if self.footer:
                label = self.footer.format(n=n, total=total)
                page.append(Span(label, self.right - text_width(label, 9), 810.0, 9.0))
            if n == 1 and self.job_number:
                page.append(Span(self.job_number, self.left, 810.0, 8.0))
            pages.append(page)
        return write_spans_pdf(path, pages)


def write_spans_pdf(path: Path, pages: list[list[Span]]) -> Path:
    """A PDF with each span placed absolutely (Helvetica / Helvetica-Bold, WinAnsi encoding)."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"",
                            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
                            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"]
    kids = []
    for spans in pages:
        ops = []
        for s in spans:
            raw = s.text.encode("cp1252", errors="replace")
            safe = raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
            font = b"/F2" if s.bold else b"/F1"
            ops.append(b"BT %s %.1f Tf 1 0 0 1 %.2f %.2f Tm (%s) Tj ET"
                       % (font, s.size, s.x, A4[1] - s.y, safe))
        stream = b"\n".join(ops)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_id = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> >>" % content_id
        )
        kids.append(len(objects))
    return _write_pdf(path, objects, kids)
