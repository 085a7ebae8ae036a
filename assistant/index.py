"""Index stage: passages -> embedded sentence windows in Chroma + a BM25 index, built as a new
*version* and switched to atomically. The only module that imports chromadb.

Layout under ``<data_dir>/index``::

    CURRENT                 id of the live version (replaced atomically with os.replace)
    .lock                   flock held while building: a second builder fails clearly
    versions/<id>/          manifest.json (written last = complete), passages.jsonl, documents.json,
                            units.jsonl, units.npy, bm25/
    chroma/                 the embedded Chroma store; collection ``<prefix>-<id>`` per version

A crash or kill mid-build leaves CURRENT untouched (the previous version keeps serving); the next
build removes the incomplete version. After a switch the previous version is kept until the next
build, so a process that opened it before the switch (a running UI) keeps serving from it. In server mode (``chroma_url``) the same collections live on
the Chroma server.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from assistant.corpus import corpus_fingerprint
from assistant.embed import CachedEmbedder, export_onnx, get_embedder, onnx_path
from assistant.errors import (
    BackendUnavailableError,
    IndexBusyError,
    IndexCorruptError,
    IndexMissingError,
    TipguideError,
)
from assistant.ingest import ingest_corpus
from assistant.models import Document, Passage
from assistant.settings import Settings, apply_offline_env
from assistant.text import sentence_spans, tokenize

Progress = Callable[[str, float], None]


# ----------------------------------------------------------------------------- units
@dataclass
class Unit:
    """One embedded piece of a passage: a window of consecutive sentences."""

    id: str
    passage_id: str
    start: int
    end: int
    text: str


def passage_units(p: Passage, max_words: int, with_head: bool = False) -> list[Unit]:
    """Pack consecutive sentences into windows of at most ``max_words`` (a longer sentence alone);
    ``with_head`` adds a whole-paragraph unit for multi-window paragraphs."""
    units: list[Unit] = []
    spans = sentence_spans(p.text) or [(0, len(p.text))]
    cur_start, cur_end, words = spans[0][0], spans[0][1], len(p.text[slice(*spans[0])].split())
    for a, b in spans[1:]:
        n = len(p.text[a:b].split())
        if words + n > max_words:
            units.append(Unit(f"{p.id}#{len(units)}", p.id, cur_start, cur_end, p.text[cur_start:cur_end]))
            cur_start, words = a, 0
        cur_end, words = b, words + n
    units.append(Unit(f"{p.id}#{len(units)}", p.id, cur_start, cur_end, p.text[cur_start:cur_end]))
    if with_head and len(units) > 1:
        # The whole paragraph as one more vector (MiniLM reads its first 256 word pieces): the
        # paragraph's overall topic, which no single window carries.
        units.append(Unit(f"{p.id}#head", p.id, 0, len(p.text), p.text))
    return units


def is_window(unit: Unit) -> bool:
    """Sentence windows (used to score sentences), as opposed to whole-paragraph head vectors."""
    return not unit.id.endswith("#head")


def unit_embedding_text(unit: Unit, p: Passage, doc: Document | None, header: bool = False) -> str:
    """What the embedder sees: the window, optionally after a context header (document + section).
    The header is off by default: repeated in every window of a document, it made windows of the
    same document look alike and lowered dense recall on the dev split."""
    if not header:
        return unit.text
    where = p.section_path[-1] if p.section_path else ""
    head = " — ".join(x for x in ((doc.short_title if doc else ""), where) if x)
    return f"{head}: {unit.text}" if head else unit.text


def unit_metadata(p: Passage, doc: Document | None) -> dict[str, Any]:
    """Filterable fields stored with every vector (Chroma metadata values must be scalars)."""
    return {
        "passage_id": p.id,
        "document_id": p.document_id,
        "body": doc.body if doc else "",
        "type": doc.type if doc else "",
        "year": (doc.year or -1) if doc else -1,
    }


# ----------------------------------------------------------------------------- chroma adapter
class VectorStore:
    """Thin adapter over a Chroma client (embedded PersistentClient or HttpClient)."""

    def __init__(self, settings: Settings) -> None:
        apply_offline_env()
        self.settings = settings
        self.url = settings.chroma_url
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = self._connect()
        return self._client

    def _connect(self) -> Any:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False)
        if self.url:
            u = urlparse(self.url if "://" in self.url else f"http://{self.url}")
            try:
                client = chromadb.HttpClient(
                    host=u.hostname or "127.0.0.1", port=u.port or 8000,
                    ssl=u.scheme == "https", settings=chroma_settings,
                )
                client.heartbeat()
            except Exception as exc:
                raise BackendUnavailableError(
                    f"Chroma server at {self.url} is unreachable ({type(exc).__name__}); "
                    "start it (`chroma run --path DIR --host 127.0.0.1 --port N`) or unset TIPGUIDE_CHROMA_URL"
                ) from exc
            return client
        path = self.settings.index_dir / "chroma"
        try:
            return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        except Exception as exc:
            raise IndexCorruptError(
                f"the Chroma store at {path} cannot be opened ({type(exc).__name__}: {exc}); "
                "run `tipguide index --rebuild`"
            ) from exc

    def collection_name(self, version: str) -> str:
        return f"{self.settings.chroma_collection_prefix}-{version}"[:500]

    def create(self, version: str) -> Any:
        """A fresh collection for a version; embeddings are always ours, never Chroma's."""
        name = self.collection_name(version)
        with contextlib.suppress(Exception):
            self.client.delete_collection(name)
        return self.client.create_collection(
            name=name, embedding_function=None, metadata={"hnsw:space": "cosine"}
        )

    def get(self, version: str) -> Any:
        try:
            return self.client.get_collection(self.collection_name(version), embedding_function=None)
        except TipguideError:
            raise
        except Exception as exc:
            where = self.url or str(self.settings.index_dir / "chroma")
            raise IndexCorruptError(
                f"vector collection for index version {version} is missing or unreadable in {where} "
                f"({type(exc).__name__}); run `tipguide index --rebuild`"
            ) from exc

    def drop_except(self, keep: set[str]) -> None:
        """Delete this project's collections for versions not in ``keep``."""
        prefix = self.settings.chroma_collection_prefix + "-"
        for col in self.client.list_collections():
            name = col if isinstance(col, str) else col.name
            if name.startswith(prefix) and name[len(prefix):] not in keep:
                with contextlib.suppress(Exception):
                    self.client.delete_collection(name)


def add_vectors(collection: Any, units: list[Unit], vecs: np.ndarray, metas: list[dict[str, Any]]) -> None:
    """Insert in batches below Chroma's maximum batch size."""
    step = 4000
    for i in range(0, len(units), step):
        collection.add(
            ids=[u.id for u in units[i : i + step]],
            embeddings=vecs[i : i + step].tolist(),
            metadatas=metas[i : i + step],
        )


# ----------------------------------------------------------------------------- versions & lock
def current_version(settings: Settings) -> str | None:
    """The live version id, or None when no index was ever completed."""
    f = settings.index_dir / "CURRENT"
    return f.read_text().strip() or None if f.exists() else None


def version_dir(settings: Settings, version: str) -> Path:
    return settings.index_dir / "versions" / version


@contextlib.contextmanager
def build_lock(settings: Settings) -> Iterator[None]:
    """Only one builder at a time; a second one fails clearly instead of mixing versions."""
    settings.index_dir.mkdir(parents=True, exist_ok=True)
    fh = (settings.index_dir / ".lock").open("a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        fh.seek(0)
        holder = fh.read().strip() or "another process"
        fh.close()
        raise IndexBusyError(f"the index is being built by {holder}; wait for it to finish") from exc
    fh.seek(0)
    fh.truncate()
    fh.write(f"pid {os.getpid()}")
    fh.flush()
    try:
        yield
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def _write_json(path: Path, obj: Any) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(obj, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def _switch(settings: Settings, version: str) -> None:
    _write_json(settings.index_dir / "CURRENT.json", {"version": version})  # for humans
    tmp = settings.index_dir / "CURRENT.tmp"
    tmp.write_text(version)
    os.replace(tmp, settings.index_dir / "CURRENT")


def _cleanup(settings: Settings, store: VectorStore | None, keep: set[str]) -> None:
    """Remove versions (dirs and collections) not in ``keep``: incomplete builds and old versions."""
    root = settings.index_dir / "versions"
    if root.exists():
        for d in root.iterdir():
            if d.name not in keep:
                shutil.rmtree(d, ignore_errors=True)
    if store is not None:
        store.drop_except(keep)


# ----------------------------------------------------------------------------- build
@dataclass
class BuildSummary:
    """What ``tipguide index`` prints."""

    version: str
    passages: int = 0
    units: int = 0
    embedded: int = 0
    cached: int = 0
    seconds: float = 0.0
    up_to_date: bool = False
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def index_fingerprint(settings: Settings) -> dict[str, Any]:
    """What the live index must match to be fresh: corpus bytes + index settings."""
    return {"corpus": corpus_fingerprint(settings.corpus_dir), "settings": settings.index_fingerprint()}


def read_manifest(settings: Settings, version: str) -> dict[str, Any]:
    path = version_dir(settings, version) / "manifest.json"
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"{path} is missing or unreadable; run `tipguide index --rebuild`") from exc


def build_index(settings: Settings, rebuild: bool = False, progress: Progress | None = None) -> BuildSummary:
    """Ingest, embed (cache-aware), write Chroma + BM25 as a new version, then switch to it."""
    start = time.perf_counter()
    say = progress or (lambda _msg, _frac: None)
    with build_lock(settings):
        live = current_version(settings)
        if rebuild:
            with contextlib.suppress(OSError):
                os.remove(settings.index_dir / "CURRENT")
            _cleanup(settings, _reset_store(settings), set())
            live = None
        fingerprint = index_fingerprint(settings)
        if live and not rebuild and _is_fresh(settings, live, fingerprint):
            m = read_manifest(settings, live)
            return BuildSummary(live, m["passages"], m["units"], 0, 0,
                                time.perf_counter() - start, up_to_date=True)
        # Unique even for two builds in the same second of one process: a version directory is
        # never reused, so the live one is never written to.
        version = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        store = VectorStore(settings)
        _cleanup(settings, store, {live} if live else set())  # leftovers of killed builds
        summary = _build_version(settings, store, version, fingerprint, say)
        _switch(settings, version)
        # Keep the previous version one generation: a running server (the UI) still reads it and
        # would otherwise lose its vectors mid-session; the next build removes it.
        _cleanup(settings, store, {version, live} if live else {version})
        summary.seconds = time.perf_counter() - start
        say("done", 1.0)
        return summary


def _reset_store(settings: Settings) -> VectorStore:
    """A usable store for a rebuild: an unreadable embedded Chroma directory is wiped."""
    store = VectorStore(settings)
    try:
        store.client.list_collections()
    except BackendUnavailableError:
        raise
    except Exception:
        if settings.chroma_url:
            raise
        from chromadb.api.client import SharedSystemClient

        SharedSystemClient.clear_system_cache()  # the cached client still points at the broken files
        shutil.rmtree(settings.index_dir / "chroma", ignore_errors=True)
        store = VectorStore(settings)
    return store


def _is_fresh(settings: Settings, live: str, fingerprint: dict[str, Any]) -> bool:
    try:
        return read_manifest(settings, live).get("fingerprint") == fingerprint
    except IndexCorruptError:
        return False


def _build_version(
    settings: Settings, store: VectorStore, version: str, fingerprint: dict[str, Any], say: Progress
) -> BuildSummary:
    say("parsing documents", 0.02)
    report = ingest_corpus(settings)
    if not report.passages:
        raise TipguideError("no passages to index: " + ("; ".join(report.errors) or "the corpus is empty"))
    docs = {d.id: d for d in report.documents}
    units = [u for p in report.passages
             for u in passage_units(p, settings.embed_window_words, settings.embed_paragraph_head)]
    by_id = {p.id: p for p in report.passages}
    texts = [unit_embedding_text(u, by_id[u.passage_id], docs.get(by_id[u.passage_id].document_id),
                                 settings.embed_context_header) for u in units]
    if settings.embedder == "minilm" and not onnx_path(settings).exists():
        say("exporting the embedding model to ONNX (once)", 0.03)
        export_onnx(onnx_path(settings))
    embedder = get_embedder(settings, cached=True)
    vecs = _embed_with_progress(embedder, texts, say)
    out = version_dir(settings, version)
    out.mkdir(parents=True, exist_ok=True)
    say("writing vectors", 0.85)
    metas = [unit_metadata(by_id[u.passage_id], docs.get(by_id[u.passage_id].document_id)) for u in units]
    add_vectors(store.create(version), units, vecs, metas)
    say("writing BM25", 0.93)
    _save_bm25(out / "bm25", report.passages, docs)
    np.save(out / "units.npy", vecs.astype(np.float16))
    (out / "units.jsonl").write_text(
        "".join(json.dumps(u.__dict__, ensure_ascii=False) + "\n" for u in units), encoding="utf-8"
    )
    (out / "passages.jsonl").write_text("".join(p.model_dump_json() + "\n" for p in report.passages), "utf-8")
    _write_json(out / "documents.json", [d.model_dump() for d in report.documents if d.id in
                                           {p.document_id for p in report.passages}])
    cached = embedder.hits if isinstance(embedder, CachedEmbedder) else 0
    summary = BuildSummary(version, len(report.passages), len(units), len(units) - cached, cached,
                           errors=report.errors, warnings=report.warnings)
    manifest = {"version": version, "created": time.time(), "fingerprint": fingerprint,
                "passages": len(report.passages), "units": len(units), "embedder": embedder.name,
                "chroma": settings.chroma_url or "embedded", "errors": report.errors}
    _write_json(out / "manifest.json", manifest)  # written last: its presence marks completion
    return summary


def _embed_with_progress(embedder: Any, texts: list[str], say: Progress) -> np.ndarray:
    parts = []
    step = 256
    for i in range(0, len(texts), step):
        say(f"embedding {min(i + step, len(texts))}/{len(texts)}", 0.05 + 0.8 * i / max(len(texts), 1))
        parts.append(embedder.embed(texts[i : i + step]))
    return np.concatenate(parts) if parts else np.zeros((0, 384), np.float32)


def _bm25_text(p: Passage, doc: Document | None) -> str:
    # Section titles and the citation label are searchable ("Recommendation 13", "non-punishment").
    return " ".join([*p.section_path, p.label, doc.short_title if doc else "", p.text])


def _save_bm25(path: Path, passages: list[Passage], docs: dict[str, Document]) -> None:
    import bm25s

    retriever = bm25s.BM25()
    retriever.index([tokenize(_bm25_text(p, docs.get(p.document_id))) or ["∅"] for p in passages],
                    show_progress=False)
    retriever.save(str(path), show_progress=False)


# ----------------------------------------------------------------------------- open
@dataclass
class IndexHandle:
    """Everything a retriever needs from one complete version."""

    settings: Settings
    version: str
    manifest: dict[str, Any]
    documents: dict[str, Document]
    passages: list[Passage]
    units: list[Unit]
    unit_vecs: np.ndarray
    bm25: Any
    collection: Any
    stale: bool = False


def open_index(settings: Settings) -> IndexHandle:
    """Open the live version; clear errors for a missing, corrupt or unreachable index."""
    version = current_version(settings)
    if version is None:
        raise IndexMissingError("no index yet: run `tipguide index` (or `tipguide serve`, which builds one)")
    manifest = read_manifest(settings, version)
    d = version_dir(settings, version)
    try:
        docs = {x["id"]: Document(**x) for x in json.loads((d / "documents.json").read_text("utf-8"))}
        passages = [Passage.model_validate_json(line) for line in (d / "passages.jsonl").open(encoding="utf-8")]
        units = [Unit(**json.loads(line)) for line in (d / "units.jsonl").open(encoding="utf-8")]
        vecs = np.load(d / "units.npy").astype(np.float32)
    except (OSError, ValueError, TypeError) as exc:
        raise IndexCorruptError(f"index files in {d} are unreadable ({exc}); run `tipguide index --rebuild`") from exc
    bm25 = _load_bm25(d / "bm25", len(passages))
    if len(units) != len(vecs) or len(passages) != manifest.get("passages"):
        raise IndexCorruptError(f"index files in {d} disagree with its manifest; run `tipguide index --rebuild`")
    collection = VectorStore(settings).get(version)
    stale = manifest.get("fingerprint") != index_fingerprint(settings)
    return IndexHandle(settings, version, manifest, docs, passages, units, vecs, bm25, collection, stale)


def _load_bm25(path: Path, n_passages: int) -> Any:
    import bm25s

    try:
        bm25 = bm25s.BM25.load(str(path), show_progress=False)
        n_docs = int(bm25.scores["num_docs"])
    except Exception as exc:
        raise IndexCorruptError(f"BM25 index at {path} is unreadable ({type(exc).__name__}); "
                                "run `tipguide index --rebuild`") from exc
    if n_docs != n_passages:
        raise IndexCorruptError(f"BM25 index at {path} has {n_docs} documents, expected {n_passages}; "
                                "run `tipguide index --rebuild`")
    return bm25
