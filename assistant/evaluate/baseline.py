"""The baseline row: the LangChain RAG-tutorial pipeline on the same questions and gold.

``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)`` over each raw source file ->
the same MiniLM embedder through ``LcEmbeddings`` -> ``langchain_chroma.Chroma`` in a temporary
directory (telemetry off, our embeddings, never Chroma's downloading default) -> top-k chunks.

To score it on paragraph gold, each chunk is mapped to the passages it covers by character span
(``Passage.span`` is the span in the source file; the splitter's ``start_index`` gives the chunk's).
A chunk covers a passage when they overlap by at least ``min(MIN_OVERLAP_CHARS, half the passage)``
characters, so a chunk that merely grazes a paragraph's last words does not count. The baseline's
ranked list is its top-k chunks, each standing for the passages it covers; a chunk is a hit when it
covers a gold passage. This is generous to the baseline — a 1000-character chunk spans two to four
paragraphs — and is said so in the report. Its "answer" is the text of its top chunk.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.models import Document, Passage
from assistant.settings import Settings

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
MIN_OVERLAP_CHARS = 200


@dataclass
class BaselineResult:
    """Top-k chunks for one query: each chunk's covered passage ids, and the top chunk's text."""

    chunks: list[list[str]] = field(default_factory=list)
    top_text: str = ""
    seconds: float = 0.0


def covered_passages(doc_id: str, start: int, end: int, passages: list[Passage]) -> list[str]:
    """Ids of ``doc_id``'s passages that the span [start, end) covers (largest overlap first)."""
    found = []
    for p in passages:
        if p.document_id != doc_id:
            continue
        overlap = min(end, p.span[1]) - max(start, p.span[0])
        need = min(MIN_OVERLAP_CHARS, max(1, (p.span[1] - p.span[0]) // 2))
        if overlap >= need:
            found.append((overlap, p.id))
    return [pid for _, pid in sorted(found, key=lambda t: -t[0])]


def _lc_embeddings(embedder: Any) -> Any:
    """The project's LangChain adapter over our embedder (same MiniLM as tipguide)."""
    from assistant.lc import LcEmbeddings

    return LcEmbeddings(embedder)


class TutorialBaseline:
    """Splitter + Chroma built once per evaluation run, in a temporary directory."""

    def __init__(self, store: Any, tmpdir: Path, n_chunks: int, build_seconds: float) -> None:
        self.store = store
        self.tmpdir = tmpdir
        self.n_chunks = n_chunks
        self.build_seconds = build_seconds

    @classmethod
    def build(cls, settings: Settings, documents: list[Document], passages: list[Passage],
              embedder: Any) -> TutorialBaseline:
        """Split every document's source file, embed and load the chunks into a fresh Chroma."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma
        from langchain_core.documents import Document as LcDocument
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        t0 = time.perf_counter()
        splitter = RecursiveCharacterTextSplitter(
            chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True)
        docs = []
        for d in documents:
            raw = (settings.corpus_dir / d.file).read_text(encoding="utf-8", errors="replace")
            docs.append(LcDocument(page_content=raw, metadata={"document_id": d.id}))
        chunks = splitter.split_documents(docs)
        for c in chunks:
            start = int(c.metadata["start_index"])
            covered = covered_passages(c.metadata["document_id"], start, start + len(c.page_content),
                                       passages)
            c.metadata["passages"] = "|".join(covered)  # Chroma metadata must be scalar
        tmpdir = Path(tempfile.mkdtemp(prefix="tipguide-baseline-"))
        client = chromadb.PersistentClient(
            path=str(tmpdir), settings=ChromaSettings(anonymized_telemetry=False))
        store = Chroma(client=client, collection_name="baseline",
                       embedding_function=_lc_embeddings(embedder))
        store.add_documents(chunks)
        return cls(store, tmpdir, len(chunks), time.perf_counter() - t0)

    def search(self, query: str, k: int = 10) -> BaselineResult:
        """Top-k chunks as lists of covered passage ids."""
        t0 = time.perf_counter()
        found = self.store.similarity_search(query, k=k)
        chunks = [[p for p in str(c.metadata.get("passages", "")).split("|") if p] for c in found]
        top = found[0].page_content if found else ""
        return BaselineResult(chunks, top, time.perf_counter() - t0)

    def close(self) -> None:
        """Remove the temporary Chroma directory."""
        shutil.rmtree(self.tmpdir, ignore_errors=True)


def chunk_ranking(chunks: list[list[str]], gold: set[str]) -> list[str]:
    """A ranked list for the ranking metrics: one entry per chunk, the gold id it covers if any
    (so a chunk covering gold is a hit at its rank), else a placeholder that matches nothing."""
    ranked = []
    for i, covered in enumerate(chunks):
        hit = next((p for p in covered if p in gold), None)
        ranked.append(hit if hit is not None and hit not in ranked else f"<chunk-{i}>")
    return ranked
