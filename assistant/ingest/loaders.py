"""Stage 0 of ingestion: turn a PDF, DOCX, HTML or Markdown/text file into the Markdown-ish text the
parser reads (blank lines between paragraphs, ``#`` headings, ``<sup>N</sup>`` markers, tab-separated
table rows, form feeds between PDF pages so page numbers survive).

Every failure is an ``IngestError`` naming the file and the reason, never a library traceback.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from assistant.errors import TipguideError

SUPPORTED = {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt"}


class IngestError(TipguideError):
    """A document could not be read; ``str()`` is a one-line message naming the file."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{Path(path).name}: {reason}")
        self.path = str(path)
        self.reason = reason


def load_text(path: Path, max_mb: float = 50.0) -> str:
    """Read any supported file as parser-ready text, or raise ``IngestError``."""
    if not path.is_file():
        raise IngestError(path, "file not found")
    size = path.stat().st_size
    if size == 0:
        raise IngestError(path, "file is empty")
    if size > max_mb * 1024 * 1024:
        raise IngestError(path, f"file is larger than {max_mb:g} MB")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise IngestError(path, f"unsupported file type {suffix or '(none)'}; use PDF, DOCX, HTML, MD or TXT")
    try:
        text = {".pdf": _pdf, ".docx": _docx, ".html": _html, ".htm": _html}.get(suffix, _plain)(path)
    except IngestError:
        raise
    except Exception as exc:  # a parser library failed on a malformed file
        raise IngestError(path, f"could not be parsed ({type(exc).__name__}: {exc})"[:300]) from exc
    if not text.strip():
        raise IngestError(path, "no text found (a scanned PDF without a text layer?)")
    return text


def _plain(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise IngestError(path, "binary data, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if text.count("\ufffd") > len(text) / 100:
        raise IngestError(path, "not a readable text encoding")
    return text.replace("\r\n", "\n").replace("\f", "\n")


def _pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    head = path.read_bytes()[:1024]
    if b"%PDF" not in head:
        raise IngestError(path, "not a PDF (no %PDF header)")
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(path, "encrypted PDF; save an unencrypted copy")
        pages = [reflow_pdf_page(page.extract_text() or "") for page in reader.pages]
    except PdfReadError as exc:
        raise IngestError(path, f"corrupt PDF ({exc})") from exc
    return "\n\f\n".join(pages)


RE_PDF_PARA_START = re.compile(r"^\s*(\d{1,3}\.\s|\([a-z]{1,4}\)\s|[•■-]\s|(Recommendation|Guideline|Principle)\s+\d)")
RE_PDF_FOOTNOTE = re.compile(r"^\s*(\d{1,3})\s+[A-Z*]")


def reflow_pdf_page(text: str) -> str:
    """PDF text comes as wrapped lines: rebuild paragraphs (a new one after a sentence-final short
    line or at a numbered / lettered / labelled start) and mark bottom-of-page footnotes."""
    lines = [line.rstrip() for line in text.splitlines()]
    width = max((len(line) for line in lines), default=0)
    paras: list[str] = []
    prev_line = ""
    for line in lines:
        if not line.strip():
            paras.append("")
            prev_line = ""
            continue
        prev = paras[-1] if paras else ""
        last = len(prev_line)
        # A short previous line ends its paragraph (or is a heading); full-width lines wrap.
        ends_short = last < 0.5 * width or (prev.endswith((".", ":", ";")) and last < 0.8 * width)
        prev_line = line.strip()
        if not prev or RE_PDF_PARA_START.match(line) or ends_short or len(line.strip()) < 4:
            paras.append(line.strip())
        else:
            joiner = "" if prev.endswith("-") and line[:1].islower() else " "
            paras[-1] = (prev[:-1] if joiner == "" else prev) + joiner + line.strip()
    out: list[str] = []
    for para in (p for p in paras if p):
        m = RE_PDF_FOOTNOTE.match(para)
        # Footnotes sit after the body; "12 Ibid." style lines once the page has had text.
        out.append(f"<sup>{m.group(1)}</sup> {para[len(m.group(1)):].strip()}" if m and out else para)
    return "\n\n".join(out)


def _docx(path: Path) -> str:
    if not zipfile.is_zipfile(path):
        raise IngestError(path, "not a DOCX (not a zip archive)")
    with zipfile.ZipFile(path) as zf:
        if "word/document.xml" not in zf.namelist():
            raise IngestError(path, "not a DOCX (zip without word/document.xml)")
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    out: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(_docx_paragraph(Paragraph(block, document)))
        elif tag == "tbl":
            table = Table(block, document)
            out.append("\n".join("\t".join(c.text.strip() for c in row.cells) for row in table.rows))
    return "\n\n".join(p for p in out if p.strip())


def _docx_paragraph(paragraph: object) -> str:
    text = "".join(
        f"<sup>{run.text.strip()}</sup>" if run.font.superscript and run.text.strip().isdigit() else run.text
        for run in paragraph.runs  # type: ignore[attr-defined]
    ) or paragraph.text  # type: ignore[attr-defined]
    style = (paragraph.style.name or "").lower() if paragraph.style else ""  # type: ignore[attr-defined]
    if style.startswith("heading") and style[-1:].isdigit():
        return "#" * int(style[-1]) + " " + text.strip()
    if style == "title":
        return "# " + text.strip()
    return text


def _html(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(_plain(path), "html.parser")
    for bad in soup(["script", "style", "noscript", "template", "iframe", "nav"]):
        bad.decompose()
    for sup in soup.find_all("sup"):
        sup.replace_with(f"<sup>{sup.get_text(strip=True)}</sup>")
    out: list[str] = []
    for el in soup.find_all(["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "tr", "blockquote"]):
        if el.find_parent(["p", "li", "tr"]) is not None:
            continue  # nested: its text is part of the parent's
        if el.name == "tr":
            out.append("\t".join(c.get_text(" ", strip=True) for c in el.find_all(["td", "th"])))
        elif el.name.startswith("h"):
            out.append("#" * int(el.name[1]) + " " + el.get_text(" ", strip=True))
        else:
            out.append(el.get_text(" ", strip=True))
    if not out:
        out = [soup.get_text("\n\n", strip=True)]
    return "\n\n".join(p for p in out if p.strip())
