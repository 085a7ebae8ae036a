"""Export a conversation as Markdown or as DOCX, with every citation as a footnote.

Markdown uses footnote syntax (``[^3]`` in the text, ``[^3]: …`` at the end), which GitHub, Pandoc
and most editors render as footnotes. DOCX gets *real* Word footnotes: python-docx 1.2 has no
footnote API, so this module adds the ``word/footnotes.xml`` part and ``w:footnoteReference`` runs
itself. The first reference to a paragraph in an answer carries the citation, the paragraph quoted
whole and the URL; later references to the same paragraph in that answer carry the citation only.
"""

from __future__ import annotations

import atexit
import contextlib
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from docx import Document as new_docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

from assistant.models import Answer, Citation
from assistant.text import markers_in, strip_markers
from ui.conversation import Exchange
from ui.render import safe_url, sentence_case

# Characters XML 1.0 forbids; a document or a question could carry them and break the file.
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
SUPPORT_NOTE = {"weak": " (weak support)", "unsupported": " (unsupported)"}


def xml_safe(text: str) -> str:
    """Text with XML-illegal control characters removed."""
    return _XML_BAD.sub("", text)


# Stored text (documents, questions, answers) must read as text in the Markdown file: a "<script>",
# a "[link](javascript:…)", an "![image](http://tracker)", a fake "[^1]:" footnote or a "# heading"
# inside it would otherwise be obeyed by the viewer. Everything punctuation-like that Markdown
# reads is backslash-escaped, and line breaks are folded so text cannot start a block of its own.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_MD_LINE_START = re.compile(r"^([#>+=-]|\d+[.)])")


def md_escape(text: str) -> str:
    """``text`` as literal Markdown: one line, every Markdown-significant character escaped."""
    line = _MD_SPECIAL.sub(r"\\\1", " ".join(xml_safe(text).split()))
    return _MD_LINE_START.sub(lambda m: "\\" + m.group(1) if m.group(1)[0] in "#>+=-"
                              else m.group(1)[:-1] + "\\" + m.group(1)[-1], line)


def _md_part(text: str) -> str:
    """A piece of an answer, escaped, keeping the spaces that separate it from its neighbours."""
    lead = " " if text[:1].isspace() else ""
    tail = " " if text[-1:].isspace() else ""
    return lead + md_escape(text) + tail if text.strip() else (" " if text else "")


def md_url(url: str) -> str:
    """A URL as a Markdown autolink when it is plain http(s); anything else is dropped."""
    url = safe_url(url)
    return f"<{url}>" if url and ">" not in url else ""


@dataclass
class Note:
    """One footnote: its number, the citation and, on first use, the quoted paragraph."""

    number: int
    citation: Citation
    full: bool

    def text(self, markdown: bool = False) -> str:
        """The footnote's text (escaped, and its URL an autolink, for Markdown)."""
        if markdown:
            return self._markdown()
        if not self.full:
            return f"{self.citation.citation}."
        parts = [f"{self.citation.citation}: “{' '.join(self.citation.text.split())}”"]
        parts += [f"[{f.marker}] {f.text}" for f in self.citation.footnotes]
        if self.citation.url:
            parts.append(self.citation.url)
        return " ".join(parts)

    def _markdown(self) -> str:
        c = self.citation
        if not self.full:
            return f"{md_escape(c.citation)}."
        parts = [f"{md_escape(c.citation)}: “{md_escape(c.text)}”"]
        parts += [f"\\[{md_escape(f.marker)}\\] {md_escape(f.text)}" for f in c.footnotes]
        parts.append(md_url(c.url))
        return " ".join(p for p in parts if p)


@dataclass
class Part:
    """A piece of an answer paragraph: a sentence's text or a footnote reference."""

    text: str = ""
    note: Note | None = None


class NoteCounter:
    """Numbers footnotes across the whole conversation."""

    def __init__(self) -> None:
        self.count = 0

    def next(self, citation: Citation, full: bool) -> Note:
        self.count += 1
        return Note(self.count, citation, full)


def answer_parts(answer: Answer, counter: NoteCounter) -> Iterator[Part]:
    """An answer as text pieces and footnote references, in reading order."""
    by_pid = {c.passage_id: c for c in answer.citations}
    by_n = {c.n: c for c in answer.citations}
    seen: set[int] = set()
    for sentence in answer.sentences:
        yield Part(text=strip_markers(sentence.text))
        cited = [by_pid[p] for p in sentence.citations if p in by_pid]
        if not cited:  # no passage ids: use the sentence's own "[n]" markers
            cited = [by_n[n] for n in markers_in(sentence.text) if n in by_n]
        for c in cited:
            yield Part(note=counter.next(c, full=c.n not in seen))
            seen.add(c.n)
        yield Part(text=SUPPORT_NOTE.get(sentence.support, "") + " ")
    if not answer.sentences:
        yield Part(text=strip_markers(answer.answer))


def refusal_lines(answer: Answer) -> list[str]:
    """Why the question was not answered and the nearest passages searched."""
    reason = sentence_case(answer.refusal_reason or "the texts searched do not answer this question")
    lines = [f"No answer. {reason}"]
    if answer.searched:
        lines.append("Nearest passages searched: " + "; ".join(
            str(h.get("citation", "")) for h in answer.searched[:5]))
    return lines


def _header(exchanges: list[Exchange], when: datetime | None) -> tuple[str, str]:
    when = when or datetime.now()
    answered = [ex.answer for ex in exchanges if ex.answer is not None]
    mode = answered[-1].mode if answered else "extractive"
    stamp = answered[-1].settings_hash if answered else ""
    sub = f"Exported {when:%Y-%m-%d %H:%M} · mode: {mode}"
    sub += f" · settings {stamp}" if stamp else ""
    return "tipguide conversation", sub


# --------------------------------------------------------------------------- Markdown


def conversation_markdown(exchanges: list[Exchange], when: datetime | None = None) -> str:
    """The conversation as Markdown with ``[^n]`` footnotes."""
    title, sub = _header(exchanges, when)
    out, notes, counter = [f"# {title}", "", f"_{sub}_", ""], [], NoteCounter()
    for i, ex in enumerate(exchanges, 1):
        out += [f"## Q{i}. {md_escape(ex.question)}", ""]
        if ex.error:
            out += [f"_Error: {md_escape(ex.error)}_", ""]
        elif ex.answer is not None and ex.answer.refused:
            for line in refusal_lines(ex.answer):
                out += [f"_{md_escape(line)}_", ""]
        elif ex.answer is not None:
            text = ""
            for part in answer_parts(ex.answer, counter):
                if part.note:
                    notes.append(part.note)
                    text += f"[^{part.note.number}]"
                else:
                    text += _md_part(part.text)
            out += [text.strip(), ""]
    if notes:
        out += ["---", ""] + [f"[^{n.number}]: {n.text(markdown=True)}" for n in notes]
    return "\n".join(out).rstrip() + "\n"


# --------------------------------------------------------------------------- DOCX

_FOOTNOTES_XML = (
    f"<w:footnotes {nsdecls('w')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote></w:footnotes>"
)


class DocxFootnotes:
    """The ``word/footnotes.xml`` part of a python-docx document, added on creation."""

    def __init__(self, document: object) -> None:
        doc_part = document.part  # type: ignore[attr-defined]
        self.part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES,
                            parse_xml(_FOOTNOTES_XML), doc_part.package)
        doc_part.relate_to(self.part, RT.FOOTNOTES)

    def add(self, paragraph: Paragraph, note: Note) -> None:
        """Add footnote ``note`` and its superscript reference at the end of ``paragraph``."""
        footnote = OxmlElement("w:footnote", {qn("w:id"): str(note.number)})
        p = OxmlElement("w:p")
        p.append(_run(mark="w:footnoteRef"))
        p.append(_run(text=" " + xml_safe(note.text()), size=18))
        footnote.append(p)
        self.part.element.append(footnote)
        paragraph._p.append(_run(mark="w:footnoteReference", note_id=note.number))


def _run(text: str = "", mark: str = "", note_id: int | None = None,
         size: int | None = None) -> Any:
    """A ``w:r`` with text, or with a superscript footnote mark/reference."""
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    if mark:
        rpr.append(OxmlElement("w:vertAlign", {qn("w:val"): "superscript"}))
    if size:
        rpr.append(OxmlElement("w:sz", {qn("w:val"): str(size)}))
    r.append(rpr)
    if mark:
        attrs = {qn("w:id"): str(note_id)} if note_id is not None else None
        r.append(OxmlElement(mark, attrs))
    else:
        t = OxmlElement("w:t", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
        t.text = text
        r.append(t)
    return r


def conversation_docx(exchanges: list[Exchange], path: Path, when: datetime | None = None) -> Path:
    """Write the conversation as a DOCX with real footnotes; return ``path``."""
    title, sub = _header(exchanges, when)
    doc = new_docx()
    notes = DocxFootnotes(doc)
    doc.add_heading(title, level=1)
    doc.add_paragraph(sub).runs[0].italic = True
    counter = NoteCounter()
    for i, ex in enumerate(exchanges, 1):
        doc.add_heading(xml_safe(f"Q{i}. {' '.join(ex.question.split())}"), level=2)
        if ex.error:
            doc.add_paragraph(xml_safe(f"Error: {ex.error}")).runs[0].italic = True
        elif ex.answer is not None and ex.answer.refused:
            for line in refusal_lines(ex.answer):
                doc.add_paragraph(xml_safe(line)).runs[0].italic = True
        elif ex.answer is not None:
            para = doc.add_paragraph()
            for part in answer_parts(ex.answer, counter):
                if part.note:
                    notes.add(para, part.note)
                else:
                    para.add_run(xml_safe(part.text))
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path


class ExportFolder:
    """Where downloads are written: one temporary folder per server process, not one per export.
    Files older than ``max_age_s`` are removed at each export (the browser fetched them long ago)
    and the folder itself when the process exits, so nothing accumulates in the system temp dir."""

    def __init__(self, max_age_s: float = 3600.0) -> None:
        self.max_age_s = max_age_s
        self._folder: Path | None = None
        self._lock = threading.Lock()

    def new_path(self, kind: str) -> Path:
        """A fresh, unique file path for one export (names never collide between sessions)."""
        with self._lock:
            if self._folder is None or not self._folder.is_dir():
                self._folder = Path(tempfile.mkdtemp(prefix="tipguide-export-"))
                atexit.register(shutil.rmtree, self._folder, True)
            self._prune(self._folder)
            stamp = f"{datetime.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:6]}"
            return self._folder / f"tipguide-conversation-{stamp}.{kind}"

    def _prune(self, folder: Path) -> None:
        cutoff = time.time() - self.max_age_s
        for f in folder.iterdir():
            with contextlib.suppress(OSError):
                if f.stat().st_mtime < cutoff:
                    f.unlink()
