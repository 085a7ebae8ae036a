"""Ingest stage: manifest + files -> ``Passage`` records written as JSONL under the data dir.

One bad file never stops the rest: it is reported with a one-line reason and the run's exit status
says something failed. The passages file is replaced atomically, so readers never see half of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from assistant.corpus import corpus_fingerprint, load_manifest
from assistant.ingest.loaders import IngestError, load_document
from assistant.ingest.metadata import read_metadata
from assistant.ingest.parser import ParseResult, parse_text
from assistant.models import Document, Passage
from assistant.settings import Settings

__all__ = ["IngestError", "IngestReport", "ingest_corpus", "load_passages", "parse_file", "parser_fingerprint"]


def parser_fingerprint() -> str:
    """Hash of this package's own code: a new parsing rule (an upgrade) makes the live index stale,
    so the passages it serves are always the ones today's rules cut (the embedding cache keeps the
    rebuild to seconds)."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class IngestReport:
    """What an ingest run produced and what it could not do."""

    documents: list[Document] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    fingerprint: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


@contextlib.contextmanager
def _time_limit(seconds: float, path: Path) -> Iterator[None]:
    """Abort a parse that runs too long (only possible in the main thread, where signals work)."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def _raise(signum: int, frame: object) -> None:
        raise IngestError(path, f"parsing took longer than {seconds:g} s")

    old = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def parse_file(doc: Document, path: Path, settings: Settings, details: bool = False) -> ParseResult:
    """Load and parse one document; raises ``IngestError`` with a clear reason. ``details``: also
    read what the file states about itself (``ParseResult.metadata``), for ``add`` — not at every build."""
    with _time_limit(settings.parse_timeout_s, path):
        text, notes = load_document(path, settings.max_file_mb, doc.symbol)
        furniture = {" ".join(t.split()).lower() for t in [*notes.running_texts, doc.symbol] if t}
        result = parse_text(doc.id, text, frozenset(furniture))
    result.notes = notes
    if details:
        result.metadata = read_metadata(text, notes, path)
    if not result.passages:
        raise IngestError(path, "no paragraphs found")
    return result


def ingest_corpus(
    settings: Settings, progress: Callable[[str], None] | None = None, write: bool = True
) -> IngestReport:
    """Parse every manifest document; write passages JSONL (atomically) when ``write``."""
    start = time.perf_counter()
    report = IngestReport(documents=load_manifest(settings.corpus_dir))
    for doc in report.documents:
        if progress:
            progress(doc.id)
        try:
            result = parse_file(doc, settings.corpus_dir / doc.file, settings)
        except IngestError as exc:
            report.errors.append(str(exc))
            continue
        report.passages.extend(result.passages)
        report.warnings += [f"{doc.id}: footnote {f} cites no passage" for f in result.unattached_footnotes]
    report.seconds = time.perf_counter() - start
    report.fingerprint = corpus_fingerprint(settings.corpus_dir)
    if write:
        write_passages(settings, report)
    return report


def write_passages(settings: Settings, report: IngestReport) -> None:
    """Write passages.jsonl and documents.json via temporary files and atomic renames."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    ok_ids = {p.document_id for p in report.passages}
    docs = [d.model_dump() for d in report.documents if d.id in ok_ids]
    _atomic_write(settings.data_dir / "documents.json", json.dumps(docs, indent=1, ensure_ascii=False))
    lines = "".join(p.model_dump_json() + "\n" for p in report.passages)
    _atomic_write(settings.passages_path, lines)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def load_passages(settings: Settings) -> tuple[list[Document], list[Passage]]:
    """Read what the last ingest wrote (documents, passages)."""
    docs_path = settings.data_dir / "documents.json"
    if not settings.passages_path.exists() or not docs_path.exists():
        return [], []
    docs = [Document(**d) for d in json.loads(docs_path.read_text(encoding="utf-8"))]
    with settings.passages_path.open(encoding="utf-8") as fh:
        passages = [Passage.model_validate_json(line) for line in fh if line.strip()]
    return docs, passages
