""""Add a document" in the browser, for deployments that allow it (``TIPGUIDE_UI_ALLOW_UPLOAD``).

A user uploads a PDF, DOCX, HTML or Markdown/text file with its metadata, sees what was recognised
(units, removed headers and footers, how much text was placed in citable paragraphs) before anything
changes, then adds it: the file joins the corpus (``add_document``: checked, locked, never a half
entry) and the index is rebuilt in a background thread with its progress on the page. The live index
keeps serving every chat until the new version is complete; the app then follows it between
requests (``Assistant.current``). One build runs at a time per process; the index's own build lock
serialises builds across processes.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.errors import for_user, log_failure
from assistant.models import Document
from ui.render import esc

if TYPE_CHECKING:
    from assistant.chat import Assistant
    from assistant.ingest.parser import ParseResult

log = logging.getLogger(__name__)
FILE_TYPES = [".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt"]
META_FIELDS = ("title", "short_title", "symbol", "body", "type", "date", "url")


@dataclass
class BuildJob:
    """The background build's state, read by the page's progress timer."""

    state: str = "idle"  # idle | running | done | failed
    message: str = ""
    fraction: float = 0.0
    doc_id: str = ""


class Uploader:
    """Check, add and index uploaded documents for one Assistant."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.settings = assistant.settings
        self.job = BuildJob()
        self._lock = threading.Lock()

    def _meta(self, values: list[str]) -> dict[str, str]:
        """The metadata fields, checked like ``tipguide add`` checks its options."""
        from assistant.corpus import CorpusError, check_field

        meta = {k: (v or "").strip() for k, v in zip(META_FIELDS, values, strict=True)}
        if meta["date"] and not (meta["date"][:4].isdigit() and len(meta["date"]) in (4, 7, 10)):
            raise UploadError("The date must look like YYYY or YYYY-MM-DD.")
        for name, value in meta.items():
            try:
                check_field(name, value)  # the manifest's own rule, worded here for the browser
            except CorpusError as exc:
                label = name.replace("_", " ")
                raise UploadError(f"The {label} contains a control character; remove it.") from exc
        return {k: v for k, v in meta.items() if v}

    def _parse(self, path: Path, meta: dict[str, str]) -> ParseResult:
        from assistant.ingest import parse_file

        probe = Document(id="upload", file=str(path), title=meta.get("title") or path.stem)
        return parse_file(probe, path, self.settings, details=True)

    def check(self, file: str | None, *values: str) -> str:
        """What the parser recognised in the file; nothing is changed yet."""
        return self.check_and_fill(file, *values)[0]

    def check_and_fill(self, file: str | None, *values: str) -> tuple[Any, ...]:
        """The recognition report, and each empty field filled with what the file states about
        itself (symbol, title, body, type, date — ``ingest.metadata``) for the user to correct;
        outputs: report, then one update per field of ``META_FIELDS``."""
        keep = tuple(gr.skip() for _ in META_FIELDS)
        if not file:
            return (_alert("Choose a file first."), *keep)
        try:
            meta = self._meta(list(values))
            result = self._parse(Path(file), meta)
        except Exception as exc:  # a bad file is a one-line message, never a traceback
            return (_alert(_reason(exc)), *keep)
        read = {k: v for k, v in result.metadata.fields.items() if k in META_FIELDS and not meta.get(k)}
        lead = "Nothing has been added yet. Check the details, then press “Add and index”."
        if read:
            lead += " Read from the file and filled in above: " + ", ".join(
                f"{k.replace('_', ' ')} ({result.metadata.sources[k]})" for k in read) + " — correct them if wrong."
        fills = tuple(gr.update(value=read[k]) if k in read else gr.skip() for k in META_FIELDS)
        return (render_recognition(result, lead), *fills)

    def add(self, file: str | None, *values: str) -> tuple[str, Any]:
        """Add the file to the corpus and start the background build; outputs: report, timer."""
        if not file:
            return _alert("Choose a file first."), gr.skip()
        if self.job.state == "running":
            return _alert("A document is being indexed; wait until it is done."), gr.skip()
        from assistant.corpus import add_document
        from assistant.ingest.metadata import completed

        try:
            meta = self._meta(list(values))
            result = self._parse(Path(file), meta)
            doc = add_document(self.settings.corpus_dir, Path(file), completed(meta, result.metadata))
        except Exception as exc:
            return _alert(_reason(exc)), gr.skip()
        self._start(doc.id)
        return (render_recognition(result, f"Added as “{doc.id}”. Indexing in the background; the "
                                   "current index answers until the new one is ready."),
                gr.Timer(active=True))

    def _start(self, doc_id: str) -> None:
        with self._lock:
            self.job = BuildJob("running", "Starting…", 0.0, doc_id)
        threading.Thread(target=self._build, name="tipguide-upload-index", daemon=True).start()

    def _build(self) -> None:
        from assistant.index import build_index

        def progress(message: str, fraction: float) -> None:
            self.job.message, self.job.fraction = message, max(0.0, min(1.0, fraction))

        try:
            summary = build_index(self.settings, progress=progress)
            self.assistant.current()  # start following the new version at once
            self.job.state = "done"
            self.job.message = f"Indexed: {summary.passages} passages are searchable."
            self.job.fraction = 1.0
        except Exception as exc:
            log_failure(log, "indexing an uploaded document", exc)
            self.job.state, self.job.message = "failed", for_user(exc)

    def progress(self) -> tuple[str, Any]:
        """The progress line; outputs: progress HTML, timer (stopped once the build ends)."""
        job = self.job
        if job.state == "idle":
            return "", gr.Timer(active=False)
        html = render_progress(job)
        return html, gr.Timer(active=job.state == "running")


class UploadError(ValueError):
    """A problem with what the user typed into the form."""


def _reason(exc: Exception) -> str:
    """A one-line reason for a rejected upload (the user's own input's problem verbatim)."""
    text = str(exc) if isinstance(exc, UploadError) else for_user(exc)
    return text.splitlines()[0] if text else "The file could not be read."


def _alert(message: str) -> str:
    return f'<div class="tg-alert" role="alert">{esc(message)}</div>'


def render_recognition(result: ParseResult, lead: str) -> str:
    """The recognition report: summary, warnings, and the first citations found."""
    from assistant.ingest.report import recognition_report

    summary, warnings = recognition_report(result)
    labels = [p.label for p in result.passages[:8]]
    more = f" … ({len(result.passages)} in all)" if len(result.passages) > 8 else ""
    warn = "".join(f'<li class="tg-alert">{esc(w)}</li>' for w in warnings)
    return (f'<div class="tg-recognised" role="status"><p>{esc(lead)}</p>'
            f"<p><strong>Recognised:</strong> {esc(summary)}</p>"
            f"<p><strong>First units:</strong> {esc(', '.join(labels))}{esc(more)}</p>"
            f"{f'<ul>{warn}</ul>' if warn else ''}</div>")


def render_progress(job: BuildJob) -> str:
    """A labelled progress bar for the background build."""
    pct = round(job.fraction * 100)
    label = {"running": "Indexing", "done": "Done", "failed": "Failed"}.get(job.state, "")
    cls = "tg-alert" if job.state == "failed" else "tg-ok" if job.state == "done" else ""
    return (f'<div class="tg-progress" data-state="{esc(job.state)}">'
            f'<progress max="100" value="{pct}" aria-label="Indexing progress">{pct}%</progress> '
            f'<span class="{cls}" role="status">{esc(label)} {pct}% — {esc(job.message)}</span></div>')


def upload_tab(assistant: Assistant) -> None:
    """The tab's components and events (built inside ``gr.Tab`` by ``ui.app.build_app``)."""
    up = Uploader(assistant)
    gr.Markdown("Upload a PDF, DOCX, HTML or Markdown file. “Check the file” fills the details the file "
                "states about itself (symbol, title, issuing body, type, date); leave a field empty "
                "rather than guess.")
    file = gr.File(label="Document", file_types=FILE_TYPES, type="filepath", elem_id="tg-upload-file")
    with gr.Row():
        title = gr.Textbox(label="Title", elem_id="tg-upload-title")
        short = gr.Textbox(label="Short title", elem_id="tg-upload-short")
        symbol = gr.Textbox(label="UN symbol", elem_id="tg-upload-symbol")
    with gr.Row():
        body = gr.Textbox(label="Issuing body", elem_id="tg-upload-body")
        kind = gr.Textbox(label="Type (e.g. guidance, report)", elem_id="tg-upload-type")
        date = gr.Textbox(label="Date (YYYY or YYYY-MM-DD)", elem_id="tg-upload-date")
    url = gr.Textbox(label="Official URL", elem_id="tg-upload-url")
    with gr.Row():
        check = gr.Button("Check the file", elem_id="tg-upload-check")
        add = gr.Button("Add and index", variant="primary", elem_id="tg-upload-go")
    report = gr.HTML("", elem_id="tg-upload-report")
    progress = gr.HTML("", elem_id="tg-upload-progress")
    timer = gr.Timer(1.0, active=False)
    fields = [file, title, short, symbol, body, kind, date, url]
    check.click(up.check_and_fill, inputs=fields, outputs=[report, *fields[1:]])
    add.click(up.add, inputs=fields, outputs=[report, timer])
    timer.tick(up.progress, outputs=[progress, timer], show_progress="hidden")
