"""Stage 0 of ingestion: turn a PDF, DOCX, HTML or Markdown/text file into the Markdown-ish text the
parser reads (blank lines between paragraphs, ``#`` headings, ``<sup>N</sup>`` markers, tab-separated
table rows, form feeds between PDF pages so page numbers survive).

Every failure is an ``IngestError`` naming the file and the reason, never a library traceback.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Callable
from pathlib import Path

from assistant.errors import TipguideError
from assistant.ingest.notes import LoadNotes

SUPPORTED = {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt"}


class IngestError(TipguideError):
    """A document could not be read; ``str()`` is a one-line message naming the file."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{Path(path).name}: {reason}")
        self.path = str(path)
        self.reason = reason


def load_text(path: Path, max_mb: float = 50.0) -> str:
    """Read any supported file as parser-ready text, or raise ``IngestError``."""
    return load_document(path, max_mb)[0]


def load_document(path: Path, max_mb: float = 50.0, symbol: str = "") -> tuple[str, LoadNotes]:
    """Parser-ready text of any supported file and what the loader noticed; ``IngestError`` if not.
    ``symbol`` (the document's own, e.g. "A/RES/55/25") lets a one-page PDF's header be recognised."""
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
    notes = LoadNotes(format=suffix.lstrip("."), symbol=symbol)
    try:
        text = _LOADERS.get(suffix, _plain)(path, notes)
    except IngestError:
        raise
    except ValueError as exc:  # a loader's own one-line reason
        raise IngestError(path, str(exc).splitlines()[0][:300]) from exc
    except Exception as exc:  # a parser library failed on a malformed file
        raise IngestError(path, f"could not be parsed ({type(exc).__name__}: {exc})".replace("\n", " ")[:300]) from exc
    if not text.strip():
        raise IngestError(path, "no text found (a scanned PDF without a text layer?)")
    notes.chars = len(text)
    return text, notes


def decode_bytes(data: bytes, notes: LoadNotes | None = None) -> str:
    """Text of ``data`` in whatever encoding it has: BOMs first (UTF-8/16/32), then strict UTF-8,
    then charset-normalizer's best guess; ``ValueError`` when it is not text at all."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _note(notes, codec, data[len(bom):].decode(codec, errors="replace"))
    try:
        return _note(notes, "utf-8", data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 4 * 1024 * 1024]).best()
    if best is None or (b"\x00" in data[:8192] and "16" not in best.encoding and "32" not in best.encoding):
        raise ValueError("binary data, not text in any known encoding")
    text = data.decode(best.encoding, errors="replace")
    if text.count("\ufffd") > len(text) / 100:
        raise ValueError("not a readable text encoding")
    return _note(notes, best.encoding, text)


def _note(notes: LoadNotes | None, encoding: str, text: str) -> str:
    if notes is not None:
        notes.encoding = encoding
    return text


_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
]


def _plain(path: Path, notes: LoadNotes) -> str:
    text = decode_bytes(path.read_bytes(), notes)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")


def _pdf(path: Path, notes: LoadNotes) -> str:
    head = path.read_bytes()[:1024]
    if b"%PDF" not in head:
        raise IngestError(path, "not a PDF (no %PDF header)")
    from assistant.ingest.pdf import load_pdf

    return load_pdf(path, notes)


def _docx(path: Path, notes: LoadNotes) -> str:
    if not zipfile.is_zipfile(path):
        raise IngestError(path, "not a DOCX (not a zip archive)")
    with zipfile.ZipFile(path) as zf:
        if "word/document.xml" not in zf.namelist():
            raise IngestError(path, "not a DOCX (zip without word/document.xml)")
    from assistant.ingest.docx import load_docx

    return load_docx(path, notes)


def _html(path: Path, notes: LoadNotes) -> str:
    from assistant.ingest.html import load_html

    return load_html(decode_bytes(path.read_bytes(), notes), notes)


_LOADERS: dict[str, Callable[[Path, LoadNotes], str]] = {
    ".pdf": _pdf, ".docx": _docx, ".html": _html, ".htm": _html,
}
