"""Layout-aware PDF loading: words with positions, sizes and fonts (PDFium) -> paragraphs.

General rules, measured on the page rather than guessed from text:
- running headers and footers are lines in the top or bottom margin whose text (digits ignored)
  repeats on many pages; page numbers ("3", "3/9", "Page 3 of 9", "- 3 -") and UN job numbers
  ("V.99-01234 (E)", "GE.20-12345(E)") in those margins go whatever their repetition;
- footnotes are the run of lines at the foot of a page set in a smaller size than the body text;
  they are emitted as ``<sup>N</sup> text`` definitions so the parser attaches them;
- superscript digits in body lines become ``<sup>N</sup>`` markers;
- two-column pages are read column by column (a vertical gutter free of words), full-width lines
  in between keep their place;
- a new paragraph starts at extra vertical space, a change of size, a centred line, a numbered /
  lettered start after a finished sentence; lines are joined with hyphenation undone;
- a paragraph cut by a page or column break (its text ends mid-sentence) is joined to its rest.
The output is the Markdown-ish text the block parser reads, ``\\f`` between pages.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.ingest.notes import LoadNotes
from assistant.text import RE_JOB_NUMBER

TERMINAL = (".", ":", ";", "?", "!", '"', "”", "’", ")", "]", ",")
RE_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$", re.I
)
RE_PARA_START = re.compile(
    r"^(?:\d{1,4}\.\s|\(?[a-z]{1,4}\)\s|[•■▪●◦–-]\s|(?:Article|Principle|Guideline|Recommendation|"
    r"Chapter|Annex)\s+[\dIVXL])"
)
RE_UNIT_HEADING = re.compile(
    r"^(?:Article|Principle|Guideline|Recommendation|Chapter|Part|Section|Annex)\b|^[IVXL]{1,5}\.\s",
    re.I,
)
HYPHEN_PREFIXES = {
    "non", "socio", "self", "co", "anti", "cross", "multi", "well", "ex", "post", "pre", "inter",
    "intra", "semi", "sub", "re", "long", "short", "high", "low", "child", "gender", "human",
    "state", "non-", "follow", "so", "de",
}
MARGIN_TOP, MARGIN_BOTTOM = 0.085, 0.915


@dataclass
class Line:
    """One line of words in one column of one page."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    page: int
    column: int = 0
    col_x0: float = 0.0
    col_x1: float = 0.0
    col_edges: tuple[float, ...] = ()  # left edges many lines of the column share (body text, indents)

    @property
    def centred(self) -> bool:
        width = self.col_x1 - self.col_x0
        left, right = self.x0 - self.col_x0, self.col_x1 - self.x1
        if any(abs(self.x0 - edge) < 1.5 for edge in self.col_edges):
            return False  # a short wrapped line starts where the body text does: it is not centred
        return width > 0 and left > 0.08 * width and abs(left - right) < 0.06 * width + 6


@dataclass
class PdfBlock:
    """A paragraph or heading assembled from lines."""

    lines: list[Line] = field(default_factory=list)
    text: str = ""
    heading: bool = False

    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def size(self) -> float:
        return self.lines[0].size


def load_pdf(path: Path, notes: LoadNotes) -> str:
    """Parser-ready text of a PDF, or raise ``ValueError`` with a one-line reason."""
    pages = _read_pages(path, notes)
    notes.pages = len(pages)
    _drop_running_lines(pages, notes)
    body_size = _body_size(pages)
    out: list[str] = []
    blocks: list[PdfBlock] = []
    footnotes: dict[int, list[str]] = {}
    for number, lines in enumerate(pages, 1):
        before = footnotes.get(number - 1) or []
        continued = bool(before) and not _finished(before[-1])
        body, feet = _split_footnotes(lines, body_size, continued)
        lead, footnotes[number] = _footnote_definitions(feet)
        if lead and before:
            before[-1] = _join(before[-1], lead)  # a footnote carried over from the page before
        notes.footnotes += len(footnotes[number])
        blocks += _paragraphs(body, body_size)
    blocks = _join_across_breaks(blocks, notes)
    _emit(blocks, footnotes, len(pages), body_size, out)
    return "\n\n".join(out)


# ----------------------------------------------------------------------------- reading
def _read_pages(path: Path, notes: LoadNotes) -> list[list[Line]]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path), password="")  # AES/RC4 with an empty user password opens
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ValueError("encrypted PDF that needs a password; save an unencrypted copy") from exc
        raise ValueError(f"corrupt PDF ({exc})") from exc
    pages: list[list[Line]] = []
    try:
        for number in range(len(pdf)):
            page = pdf[number]
            width, height = float(page.get_width()), float(page.get_height())
            words = _page_words(page, height)
            lines, columns = _page_lines(words, width, number + 1)
            lines = _split_margin_lines(lines, words, height, number + 1)
            notes.two_column_pages += columns == 2
            pages.append(_with_height(lines, height))
            page.close()
    finally:
        pdf.close()
    return pages


def _page_words(page: Any, height: float) -> list[dict[str, Any]]:
    """Words with their boxes (top-down coordinates), font size and font name, from PDFium's text
    layer: a word ends at a space or line break (PDFium's own or the file's), a gap, or a change
    of size (a superscript marker is a word of its own)."""
    import ctypes

    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    tp = textpage.raw
    name = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    words: list[dict[str, Any]] = []
    cur: dict[str, Any] | None = None
    for i in range(textpage.count_chars()):
        code = raw.FPDFText_GetUnicode(tp, i)
        ch = "-" if code == 2 else chr(code)  # PDFium reports a line-end hyphen as U+0002
        if ch.isspace() or code in (0, 0xFFFE, 0xFEFF):
            cur = None
            continue
        left, bottom, right, top = textpage.get_charbox(i, loose=True)
        size = round(float(raw.FPDFText_GetFontSize(tp, i)), 1)
        box = (float(left), height - float(top), float(right), height - float(bottom))
        if cur is not None and cur["size"] == size and box[0] - cur["x1"] < 0.25 * size \
                and abs(box[3] - cur["bottom"]) < 0.3 * size:
            cur["text"] += ch
            cur["x1"] = max(cur["x1"], box[2])
            continue
        raw.FPDFText_GetFontInfo(tp, i, name, 128, ctypes.byref(flags))
        cur = {"text": ch, "x0": box[0], "top": box[1], "x1": box[2], "bottom": box[3], "size": size,
               "fontname": name.value.decode("latin-1", "replace")}
        words.append(cur)
    textpage.close()
    return words


def _split_margin_lines(lines: list[Line], words: list[dict[str, Any]], height: float,
                        page: int) -> list[Line]:
    """A margin line with wide gaps holds separate items ("V.99-01234 (E)" … "Page 1 of 5")."""
    out: list[Line] = []
    for ln in lines:
        if MARGIN_TOP * height <= ln.top and ln.bottom <= MARGIN_BOTTOM * height:
            out.append(ln)
            continue
        row = sorted((w for w in words if ln.top - 1 <= w["top"] <= ln.bottom + 1
                      and ln.x0 - 1 <= w["x0"] <= ln.x1 + 1), key=lambda w: w["x0"])
        groups: list[list[dict[str, Any]]] = []
        for w in row:
            if groups and w["x0"] - groups[-1][-1]["x1"] < max(18.0, 2 * float(w["size"])):
                groups[-1].append(w)
            else:
                groups.append([w])
        if len(groups) < 2:
            out.append(ln)
            continue
        for g in groups:
            part = _line(g, page, ln.column)
            part.col_x0, part.col_x1 = ln.col_x0, ln.col_x1
            out.append(part)
    return out


def _with_height(lines: list[Line], height: float) -> list[Line]:
    for line in lines:
        line.top, line.bottom = line.top / height, line.bottom / height  # page-relative
    return lines


def _gutter(words: list[dict[str, Any]], width: float) -> float | None:
    """The x of a vertical gap that splits most of the page's lines into two columns, if any: the
    middle of the widest band (in the middle third of the page) that almost no line crosses —
    a title or a table row across both columns may."""
    if len(words) < 40:
        return None
    import numpy as np

    lo, hi = int(width * 0.3), int(width * 0.7)
    rows = _rows(words)
    covered = np.zeros(hi - lo, dtype=int)
    for row in rows:
        mask = np.zeros(hi - lo, dtype=bool)
        for w in row:
            a, b = max(int(w["x0"]) - lo, 0), min(int(w["x1"]) + 1 - lo, hi - lo)
            if a < b:
                mask[a:b] = True
        covered += mask
    free = covered <= max(1, int(0.05 * len(rows)))
    best = _longest_run(free, 0)
    if best[0] < 8:
        return None
    # Inside the band, the part no more lines cross than its emptiest point: hanging paragraph
    # numbers of the right-hand column ("12.") sit in the band's right part, titles cross all of it.
    band = covered[best[1]:best[1] + best[0]]
    best = _longest_run(band == band.min(), best[1])
    x = float(lo + best[1] + best[0] // 2)
    left = sum(1 for row in rows if any(w["x1"] <= x for w in row))
    right = sum(1 for row in rows if any(w["x0"] >= x for w in row))
    # A last page may end early in the right-hand column: a few rows there still make two columns.
    return x if min(left, right) >= max(5, 0.15 * len(rows)) else None


def _longest_run(flags: Any, offset: int) -> tuple[int, int]:
    """(length, start + offset) of the longest run of true values."""
    best, start = (0, 0), None
    for i, ok in enumerate([*flags.tolist(), False]):
        if ok and start is None:
            start = i
        elif not ok and start is not None:
            best = max(best, (i - start, start + offset))
            start = None
    return best


def _page_lines(words: list[dict[str, Any]], width: float, page: int) -> tuple[list[Line], int]:
    """Lines in reading order; on a two-column page, column by column between full-width lines."""
    gutter = _gutter(words, width)
    if gutter is None:
        lines = _cluster(words, page, 0)
        _set_columns(lines)
        return lines, 1
    rows = _rows(words)
    full_lines: list[Line] = []
    left_lines: list[Line] = []
    right_lines: list[Line] = []
    for row in rows:
        left = [w for w in row if w["x1"] <= gutter]
        right = [w for w in row if w["x0"] >= gutter]
        across = left and right and min(w["x0"] for w in right) - max(w["x1"] for w in left) \
            < 0.6 * float(row[0]["size"])  # an ordinary word space, not the gutter
        if across or any(w["x0"] < gutter < w["x1"] for w in row):
            full_lines.append(_line(row, page, 0))  # a title or table row across both columns
            continue
        if left:
            left_lines.append(_line(left, page, 1))
        if right:
            right_lines.append(_line(right, page, 2))
    for group in (full_lines, left_lines, right_lines):
        _set_columns(group)
    ordered: list[Line] = []
    lower = float("-inf")
    cuts: list[Line | None] = [*sorted(full_lines, key=lambda ln: ln.top), None]
    for cut in cuts:
        upper = cut.top if cut is not None else float("inf")
        for side in (left_lines, right_lines):
            ordered += sorted((ln for ln in side if lower <= ln.top < upper), key=lambda ln: ln.top)
        if cut is not None:
            ordered.append(cut)
        lower = upper
    return ordered, 2


def _cluster(words: list[dict[str, Any]], page: int, column: int) -> list[Line]:
    """Group words into lines: a word belongs to a line its vertical middle falls within."""
    return [_line(row, page, column) for row in _rows(words)]


def _rows(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words on one baseline form a row; a run of smaller raised words (footnote markers) joins the
    row just below it, whose baseline it sits above."""
    rows: list[list[dict[str, Any]]] = []
    for w in sorted(words, key=lambda w: (w["bottom"], w["x0"])):
        for row in reversed(rows[-4:]):
            if abs(w["bottom"] - row[0]["bottom"]) <= 0.25 * max(float(w["size"]), float(row[0]["size"])):
                row.append(w)
                break
        else:
            rows.append([w])
    merged: list[list[dict[str, Any]]] = []
    for i, row in enumerate(rows):
        small = max(float(w["size"]) for w in row)
        below = rows[i + 1] if i + 1 < len(rows) else None
        if below is not None:
            size = max(float(w["size"]) for w in below)
            if small < 0.85 * size and 0 < below[0]["bottom"] - row[0]["bottom"] < 0.6 * size:
                below.extend(row)  # raised markers belong to the line below
                continue
        merged.append(row)
    return merged


def _line(row: list[dict[str, Any]], page: int, column: int) -> Line:
    row.sort(key=lambda w: w["x0"])
    sizes: Counter[float] = Counter()
    for w in row:
        sizes[round(float(w["size"]), 1)] += len(w["text"])
    size = sizes.most_common(1)[0][0]
    base = max(w["bottom"] for w in row if round(float(w["size"]), 1) == size)
    parts: list[str] = []
    for w in row:
        raised = float(w["size"]) < 0.85 * size and w["bottom"] < base - 1
        if raised and re.fullmatch(r"\d{1,3}|[*†‡]", w["text"]):
            parts.append(f"<sup>{w['text']}</sup>")
        elif parts and parts[-1].startswith("<sup>") and len(parts) == 1:
            parts.append(" " + w["text"])
        else:
            parts.append((" " if parts else "") + w["text"])
    main = [w for w in row if round(float(w["size"]), 1) == size]
    return Line(
        text="".join(parts).strip(),
        x0=float(row[0]["x0"]), x1=float(row[-1]["x1"]),
        top=float(min(w["top"] for w in main)), bottom=float(base),
        size=size, bold=all("bold" in str(w["fontname"]).lower() for w in main),
        page=page, column=column,
    )


def _set_columns(lines: list[Line]) -> None:
    if not lines:
        return
    x0 = min(ln.x0 for ln in lines)
    x1 = max(ln.x1 for ln in lines)
    starts = Counter(round(ln.x0) for ln in lines)
    # A left edge shared by several lines and by at least a fifth of them is where body text starts;
    # centred lines of different lengths do not share one.
    edges = tuple(float(x) for x, n in starts.items() if n >= max(3, len(lines) // 5))
    body = [ln.x1 for ln in lines if round(ln.x0) in edges]
    if body:
        x1 = max(body)  # the body's right edge; a running header or page number may stick out
    for ln in lines:
        ln.col_x0, ln.col_x1, ln.col_edges = x0, x1, edges


# ----------------------------------------------------------------------------- chrome and footnotes
def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"\d+", "#", text)).strip().lower()


def _in_margin(line: Line) -> bool:
    return line.top < MARGIN_TOP or line.bottom > MARGIN_BOTTOM


def _is_symbol(text: str, symbol: str) -> bool:
    """The line is the document's own symbol ("A/HRC/99/1", spacing and case aside): a header even
    when there is no second page to show it repeats."""
    def squeeze(s: str) -> str:
        return re.sub(r"\s+", "", s).lower()

    return bool(symbol.strip()) and squeeze(text) == squeeze(symbol)


def _drop_running_lines(pages: list[list[Line]], notes: LoadNotes) -> None:
    """Remove running headers/footers (repeated margin text) and page / job numbers."""
    seen: Counter[str] = Counter()
    for lines in pages:
        seen.update({_norm(ln.text) for ln in lines if _in_margin(ln)})
    threshold = max(2, int(0.4 * len(pages) + 0.5))
    for i, lines in enumerate(pages):
        keep = []
        for ln in lines:
            text = re.sub(r"</?sup>", "", ln.text).strip()
            if _in_margin(ln) and (RE_PAGE_NUMBER.match(text) or RE_JOB_NUMBER.match(text)):
                notes.page_numbers_removed += 1
            elif (_in_margin(ln) and len(pages) > 1 and seen[_norm(ln.text)] >= threshold) \
                    or (ln.top < MARGIN_TOP and _is_symbol(text, notes.symbol)):
                notes.running_lines_removed += 1
                notes.running_texts[text] += 1
            elif RE_JOB_NUMBER.match(text):
                notes.page_numbers_removed += 1
            else:
                keep.append(ln)
        pages[i] = keep


def _body_size(pages: list[list[Line]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for ln in lines:
            sizes[ln.size] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


RE_FOOTNOTE_START = re.compile(r"^(?:<sup>)?\s*(\d{1,3}|[*†‡])\s*(?:</sup>)?\s+(\S.*)$")


def _split_footnotes(lines: list[Line], body_size: float, continued: bool = False) -> tuple[list[Line], list[Line]]:
    """The page's body lines and the footnote lines: the smaller-type run at the page foot, starting
    with a footnote marker — or without one when the last footnote of the page before is unfinished."""
    if not lines:
        return lines, []
    by_position = sorted(lines, key=lambda ln: ln.top)
    lowest_body = max((ln.bottom for ln in by_position if ln.size >= body_size - 0.3), default=0.0)
    feet = [ln for ln in by_position if ln.size < body_size - 0.5 and ln.top > lowest_body]
    if not feet or not (continued or RE_FOOTNOTE_START.match(feet[0].text)):
        return lines, []
    ids = {id(ln) for ln in feet}
    return [ln for ln in lines if id(ln) not in ids], feet


def _footnote_definitions(feet: list[Line]) -> tuple[str, list[str]]:
    """The text before the first marker (the rest of a footnote from the page before) and the
    page's own footnote definitions."""
    lead = ""
    defs: list[list[str]] = []
    for ln in feet:
        m = RE_FOOTNOTE_START.match(ln.text)
        if m:
            defs.append([m.group(1), m.group(2)])
        elif defs:
            defs[-1][1] = _join(defs[-1][1], ln.text)
        else:
            lead = _join(lead, ln.text) if lead else ln.text
    return lead, [f"<sup>{marker}</sup> {text}" for marker, text in defs]


# ----------------------------------------------------------------------------- paragraphs
def _leading(lines: list[Line]) -> float:
    gaps = [b.top - a.top for a, b in itertools.pairwise(lines)
            if b.column == a.column and 0 < b.top - a.top < 0.05 and abs(a.size - b.size) < 0.3]
    # The line pitch inside a paragraph: a low quantile, because in a text of short paragraphs most
    # consecutive lines are separated by paragraph spacing.
    return sorted(gaps)[len(gaps) // 5] if gaps else 0.015


def _starts_block(prev: Line, line: Line, block: PdfBlock, leading: float) -> bool:
    if line.column != prev.column or line.top < prev.top:
        return False  # a column break: decided later, like a page break
    if abs(line.size - prev.size) > 0.6 or (line.bold != prev.bold and (line.bold or prev.bold)):
        return True
    if line.top - prev.top > leading * 1.3:
        return True
    if line.centred != prev.centred or (block.heading and RE_UNIT_HEADING.match(line.text)):
        return True
    ended = prev.text.rstrip().endswith((".", ":", ";", "?", "!"))
    if ended and RE_PARA_START.match(line.text):
        return True
    width = prev.col_x1 - prev.col_x0
    short = prev.x1 < prev.col_x1 - 0.25 * width and _next_word_fits(prev, line)
    if short and not prev.text.rstrip().endswith((",", "-")) and line.text[:1].isupper():
        return True  # a deliberately broken line: list of contents, address, heading, verse
    indented = line.x0 > prev.col_x0 + 0.02 * width and line.x0 > prev.x0 + 4
    return prev.x1 < prev.col_x1 - 0.2 * width and indented and (ended or line.text[:1].isupper())


def _next_word_fits(prev: Line, line: Line) -> bool:
    """Whether the first word of ``line`` would have fitted at the end of ``prev``: only then was the
    short line broken on purpose; otherwise a long word merely wrapped (narrow columns)."""
    first = line.text.split()[0] if line.text.split() else ""
    char = (line.x1 - line.x0) / max(len(line.text), 1)
    return prev.col_x1 - prev.x1 > (len(first) + 1) * char


def _paragraphs(lines: list[Line], body_size: float) -> list[PdfBlock]:
    leading = _leading(lines)
    blocks: list[PdfBlock] = []
    for line in lines:
        cur = blocks[-1] if blocks else None
        if cur is None or _starts_block(cur.lines[-1], line, cur, leading) or _column_break(cur, line):
            cur = PdfBlock(heading=_is_heading(line, body_size))
            blocks.append(cur)
        cur.lines.append(line)
        cur.text = _join(cur.text, line.text) if cur.text else line.text
    return blocks


def _column_break(block: PdfBlock, line: Line) -> bool:
    prev = block.lines[-1]
    if line.column == prev.column and line.top >= prev.top:
        return False
    return block.heading or _finished(block.text) or bool(RE_PARA_START.match(line.text))


def _is_heading(line: Line, body_size: float) -> bool:
    short = len(line.text) < 160 and not line.text.rstrip().endswith((".", ";", ","))
    return short and (line.size > body_size + 0.5 or line.centred or line.bold)


def _finished(text: str) -> bool:
    return text.rstrip().endswith((".", "?", "!", ":", ";", "”.", '."'))


def _join(left: str, right: str) -> str:
    """Join two wrapped lines, undoing a line-end hyphenation ("traffick-" + "ing")."""
    if left.endswith("\u00ad"):
        return left[:-1] + right
    m = re.search(r"(\w+)-$", left)
    if m and right[:1].islower() and not left.endswith("--"):
        if m.group(1).lower() in HYPHEN_PREFIXES:
            return left + right
        return left[:-1] + right
    return f"{left} {right}"


def _join_across_breaks(blocks: list[PdfBlock], notes: LoadNotes) -> list[PdfBlock]:
    """A paragraph cut by a page break (ends mid-sentence, the next page goes on) is one paragraph."""
    out: list[PdfBlock] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (
            prev is not None and block.page != prev.lines[-1].page and not prev.heading
            and not block.heading and not _finished(prev.text) and not RE_PARA_START.match(block.text)
            and abs(prev.size - block.size) < 0.6
        ):
            prev.text = _join(prev.text, block.text)
            prev.lines += block.lines
            notes.joined_across_pages += 1
            continue
        out.append(block)
    return out


def _heading_levels(blocks: list[PdfBlock], body_size: float) -> dict[float, int]:
    sizes = sorted({b.size for b in blocks if b.heading and b.size > body_size + 0.5}, reverse=True)
    return {s: min(i + 1, 5) for i, s in enumerate(sizes)}


def _emit(blocks: list[PdfBlock], footnotes: dict[int, list[str]], n_pages: int, body_size: float,
          out: list[str]) -> None:
    levels = _heading_levels(blocks, body_size)
    page = 1
    for block in blocks:
        while block.page > page:
            out.extend(footnotes.get(page, []))
            out.append("\f")
            page += 1
        if block.heading:
            out.append("#" * levels.get(block.size, 6) + " " + block.text)
        else:
            out.append(block.text)
    while page <= n_pages:
        out.extend(footnotes.get(page, []))
        if page < n_pages or n_pages == 1:
            out.append("\f")  # also on a one-page file: the parser counts pages only in paged text
        page += 1
