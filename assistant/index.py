"""Index stage: passages -> embedded sentence windows in Chroma + a BM25 index, built as a new
*version* beside the live one and switched to atomically. The only module that imports chromadb.

Layout under ``<data_dir>/index``::

    CURRENT                 id of the live version (replaced atomically with os.replace)
    .lock                   flock held while building: a second builder fails clearly
    versions/<id>/          manifest.json (written last = complete), passages.jsonl, documents.json,
                            bm25/, readers.lock, and in embedded mode chroma/ (this version's own
                            Chroma store; with a Chroma server, collection ``<prefix>-<id>`` there)

The version owns its data: passages are read from its ``passages.jsonl`` (by search, answers,
``show`` and ``passages`` alike) and vectors from its Chroma collection (the in-memory matrix for
filtered search is loaded from it, never written beside it).

Nothing a running process may read is deleted. Every process that opens a version holds a shared
``flock`` on its ``readers.lock`` (a *reader lease*) until it drops the version; a build deletes
only versions that are not live and whose lease it can take exclusively, so versions live exactly
as long as someone reads them, across processes and workers sharing the data dir. A killed build
leaves CURRENT untouched and its incomplete folder is collected by the next build. Because each
embedded version has its own store, deleting a version removes every file Chroma wrote for it
(``delete_collection`` leaves segment folders behind). Long-running processes follow CURRENT
between requests (``Follower``).
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import logging
import os
import shutil
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar
from urllib.parse import urlparse

import numpy as np

from assistant.corpus import Corpus, CorpusError, corpus_fingerprint
from assistant.embed import CachedEmbedder, export_onnx, get_embedder, onnx_path
from assistant.errors import (
    BackendUnavailableError,
    IndexBusyError,
    IndexCorruptError,
    IndexMissingError,
    IndexWriteError,
    TipguideError,
)
from assistant.ingest import ingest_corpus, parser_fingerprint
from assistant.models import Document, Passage
from assistant.settings import Settings, apply_offline_env
from assistant.text import (
    RE_INSTRUMENT_TYPE,
    RE_PRINTED_PROVISION,
    RE_TITLED_PROVISION,
    sentence_spans,
    tokenize,
)

Progress = Callable[[str, float], None]
LAYOUT = 2  # versions with their own Chroma store and no copy of the vectors
log = logging.getLogger(__name__)
REBUILD = "run `tipguide index --rebuild`"


# ----------------------------------------------------------------------------- units
@dataclass
class Unit:
    """One embedded piece of a passage: a window of consecutive sentences."""

    id: str
    passage_id: str
    start: int
    end: int
    text: str


def passage_units(p: Passage, max_words: int, with_head: bool = False, with_title: bool = False,
                  doc: Document | None = None) -> list[Unit]:
    """Pack consecutive sentences into windows of at most ``max_words`` (a longer sentence alone);
    ``with_head`` adds a whole-paragraph unit for multi-window paragraphs, ``with_title`` one that
    reads the provision's title before its first window (``Settings.embed_provision_titles``)."""
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
    heading = provision_title(p, doc)
    if with_title and heading:
        first = units[0]
        units.append(Unit(f"{p.id}#title", p.id, first.start, first.end, f"{heading}: {first.text}"))
    return units


def provision_title(p: Passage, doc: Document | None = None) -> str:
    """The titled provision a paragraph belongs to ("Article 18 – Return of smuggled migrants"; in an
    instrument ``doc``, also as printed: "Guideline 2: Identification of trafficked persons…"), or ""."""
    heading = p.section_path[-1] if p.section_path else ""
    if RE_TITLED_PROVISION.match(heading):
        return heading
    instrument = doc is not None and RE_INSTRUMENT_TYPE.search(doc.type) is not None
    return heading if instrument and RE_PRINTED_PROVISION.match(heading) else ""


def corpus_units(passages: list[Passage], index_settings: dict[str, Any],
                 documents: dict[str, Document] | None = None) -> list[Unit]:
    """Every unit of a version, derived from its passages, documents and the window settings it was
    built with (so units are never stored: they follow from the version's own passages)."""
    words = int(index_settings.get("embed_window_words", 60))
    head = bool(index_settings.get("embed_paragraph_head", False))
    title = bool(index_settings.get("embed_provision_titles", False))  # versions built before it: off
    docs = documents or {}
    return [u for p in passages for u in passage_units(p, words, head, title, docs.get(p.document_id))]


def is_window(unit: Unit) -> bool:
    """Sentence windows (used to score sentences), as opposed to whole-paragraph head vectors and
    titled copies of a first window."""
    return not unit.id.endswith(("#head", "#title"))


def unit_embedding_text(unit: Unit, p: Passage, doc: Document | None, header: bool = False) -> str:
    """What the embedder sees: the window, optionally after a context header (document + section).
    The header is off by default: repeated in every window of a document, it made windows of the
    same document look alike and lowered dense recall on the dev split."""
    if not header:
        return unit.text
    where = p.section_path[-1] if p.section_path else ""
    head = " — ".join(x for x in ((doc.short_title if doc else ""), where) if x)
    return f"{head}: {unit.text}" if head else unit.text


# ----------------------------------------------------------------------------- chroma adapter
class VectorStore:
    """The vectors of one version: its own embedded Chroma store, or its collection on a server."""

    def __init__(self, settings: Settings, version: str) -> None:
        apply_offline_env()
        self.settings = settings
        self.version = version
        self.url = settings.chroma_url
        self.path = version_dir(settings, version) / "chroma"
        self._client: Any = None

    @property
    def where(self) -> str:
        """What to name in an error: the server URL or the store's folder."""
        return self.url or str(self.path)

    @property
    def name(self) -> str:
        return collection_name(self.settings, self.version)

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = connect(self.settings, self.path)
        return self._client

    def create(self) -> Any:
        """A fresh collection for the version; embeddings are always ours, never Chroma's."""
        with contextlib.suppress(Exception):  # a server-side leftover of a killed build
            self.client.delete_collection(self.name)
        return self.client.create_collection(name=self.name, embedding_function=None,
                                             metadata={"hnsw:space": "cosine"})

    def get(self) -> Any:
        try:
            return self.client.get_collection(self.name, embedding_function=None)
        except TipguideError:
            raise
        except Exception as exc:
            raise IndexCorruptError(f"vector collection for index version {self.version} is missing or "
                                    f"unreadable in {self.where} ({type(exc).__name__}); {REBUILD}") from exc

    def close(self) -> None:
        """Release an embedded store's files (Chroma keeps one shared system per path)."""
        if self._client is not None and not self.url:
            with contextlib.suppress(Exception):
                self._client.close()
        self._client = None


def collection_name(settings: Settings, version: str) -> str:
    return f"{settings.chroma_collection_prefix}-{version}"[:500]


def connect(settings: Settings, path: Path) -> Any:
    """A Chroma client: the configured server, or the embedded store at ``path``."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        url = settings.chroma_url
        u = urlparse(url if "://" in url else f"http://{url}")
        try:
            client = chromadb.HttpClient(host=u.hostname or "127.0.0.1", port=u.port or 8000,
                                         ssl=u.scheme == "https", settings=chroma_settings)
            client.heartbeat()
        except Exception as exc:
            raise BackendUnavailableError(
                f"Chroma server at {url} is unreachable ({type(exc).__name__}); "
                "start it (`chroma run --path DIR --host 127.0.0.1 --port N`) or unset TIPGUIDE_CHROMA_URL"
            ) from exc
        return client
    try:
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except Exception as exc:
        raise IndexCorruptError(f"the Chroma store at {path} cannot be opened "
                                f"({type(exc).__name__}: {_first_line(exc)}); {REBUILD}") from exc


def add_vectors(collection: Any, units: list[Unit], vecs: np.ndarray) -> None:
    """Insert in batches below Chroma's maximum batch size (no metadata: nothing queries it)."""
    step = 4000
    for i in range(0, len(units), step):
        collection.add(ids=[u.id for u in units[i : i + step]], embeddings=vecs[i : i + step].tolist())


def load_vectors(collection: Any, units: list[Unit], where: str) -> np.ndarray:
    """The version's vectors, read back from its collection in unit order (the matrix filtered
    search scans)."""
    row = {u.id: i for i, u in enumerate(units)}
    out = np.zeros((len(units), 384), dtype=np.float32)
    seen = 0
    step = 5000
    try:
        for offset in range(0, max(len(units), 1), step):
            got = collection.get(include=["embeddings"], limit=step, offset=offset)
            for uid, vec in zip(got["ids"], got["embeddings"], strict=True):
                if uid in row:
                    out[row[uid]] = vec
                    seen += 1
    except Exception as exc:
        raise IndexCorruptError(f"the vectors in {where} cannot be read ({type(exc).__name__}); {REBUILD}") from exc
    if seen != len(units):
        raise IndexCorruptError(f"the vectors in {where} hold {seen} of {len(units)} windows; {REBUILD}")
    return out


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:200]


# ----------------------------------------------------------------------------- versions & leases
def current_version(settings: Settings) -> str | None:
    """The live version id, or None when no index was ever completed."""
    f = settings.index_dir / "CURRENT"
    try:
        return f.read_text().strip() or None
    except FileNotFoundError:
        return None


def version_dir(settings: Settings, version: str) -> Path:
    return settings.index_dir / "versions" / version


READERS = "readers.lock"


class ReaderLease:
    """A shared flock on a version's ``readers.lock``: while held, no build deletes the version."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._fd: int | None = os.open(folder / READERS, os.O_RDONLY)
        fcntl.flock(self._fd, fcntl.LOCK_SH)

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)  # closing drops the flock
            self._fd = None


def _lease(folder: Path) -> ReaderLease | None:
    """A lease on a complete version, or None when it vanished (a build collected it between our
    reading CURRENT and locking: the caller reads CURRENT again)."""
    try:
        lease = ReaderLease(folder)
    except FileNotFoundError:
        return None
    if not (folder / "manifest.json").exists():
        lease.release()
        return None
    return lease


def _unread(folder: Path) -> int | None:
    """An exclusive lock fd on a version nobody reads, or None while someone holds a lease."""
    try:
        fd = os.open(folder / READERS, os.O_RDONLY)
    except FileNotFoundError:  # a build killed before it made the file: nobody ever read it
        return os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def collect_garbage(settings: Settings, keep: set[str]) -> list[str]:
    """Delete versions that are not in ``keep`` and that no process reads; return their ids.
    Called only under the build lock, so an incomplete version here is a dead build's."""
    root = settings.index_dir / "versions"
    removed = []
    for d in sorted(root.iterdir()) if root.exists() else []:
        if d.name in keep:
            continue
        fd = _unread(d)
        if fd is None:
            continue
        try:
            shutil.rmtree(d, ignore_errors=True)
        finally:
            os.close(fd)
        removed.append(d.name)
    _drop_orphan_collections(settings, {d.name for d in root.iterdir()} if root.exists() else set())
    legacy = settings.index_dir / "chroma"  # the shared store of the first layout
    if legacy.exists() and not settings.chroma_url:
        shutil.rmtree(legacy, ignore_errors=True)
    return removed


def orphaned_segments(settings: Settings) -> list[Path]:
    """Chroma segment folders no version's catalogue references (embedded mode): what
    ``delete_collection`` leaves behind. With a store per version there should never be any."""
    import sqlite3

    out: list[Path] = []
    for store in sorted((settings.index_dir / "versions").glob("*/chroma")):
        db = store / "chroma.sqlite3"
        if not db.exists():
            out += [d for d in store.iterdir() if d.is_dir()]
            continue
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
            known = {row[0] for row in con.execute("SELECT id FROM segments")}
        out += [d for d in store.iterdir() if d.is_dir() and d.name not in known]
    legacy = settings.index_dir / "chroma"
    return out + ([legacy] if legacy.exists() else [])


def _drop_orphan_collections(settings: Settings, versions: set[str]) -> None:
    """With a Chroma server: drop this project's collections whose version folder is gone."""
    if not settings.chroma_url:
        return
    prefix = settings.chroma_collection_prefix + "-"
    client = connect(settings, Path())
    for col in client.list_collections():
        name = col if isinstance(col, str) else col.name
        if name.startswith(prefix) and name[len(prefix):] not in versions:
            with contextlib.suppress(Exception):
                client.delete_collection(name)


@contextlib.contextmanager
def build_lock(settings: Settings) -> Iterator[None]:
    """Only one builder at a time; a second one fails clearly instead of mixing versions."""
    try:
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        fh = (settings.index_dir / ".lock").open("a+")
    except OSError as exc:
        raise IndexWriteError(_write_message(exc, settings.index_dir)) from exc
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError as exc:
        fh.seek(0)
        holder = fh.read().strip() or "another process"
        fh.close()
        raise IndexBusyError(f"the index is being built by {holder}; wait for it to finish") from exc
    with contextlib.suppress(OSError):  # a full disk must not hide the real error below
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
    tmp = settings.index_dir / "CURRENT.tmp"
    tmp.write_text(version)
    os.replace(tmp, settings.index_dir / "CURRENT")


_DISK_ERRNOS = {errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EPERM, errno.EDQUOT, errno.EFBIG}


def _write_message(exc: BaseException, where: Path) -> str:
    """One line naming the path that could not be written and why."""
    if isinstance(exc, OSError):
        path = exc.filename or where
        reason = exc.strerror or type(exc).__name__
    else:  # Chroma reports its own disk errors as library exceptions
        path, reason = where, f"{type(exc).__name__}: {_first_line(exc)}"
    return (f"cannot write {path}: {reason}; free disk space or fix permissions, then run "
            "`tipguide index` again (the previous index keeps serving)")


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
    collected: list[str] = field(default_factory=list)


def index_fingerprint(settings: Settings) -> dict[str, Any]:
    """What the live index must match to be fresh: corpus bytes, index settings and the parser's
    code."""
    return {"corpus": corpus_fingerprint(settings.corpus_dir), "settings": settings.index_fingerprint(),
            "parser": parser_fingerprint()}


def read_manifest(settings: Settings, version: str) -> dict[str, Any]:
    path = version_dir(settings, version) / "manifest.json"
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError) as exc:
        raise IndexCorruptError(f"{path} is missing or unreadable; {REBUILD}") from exc


def build_index(settings: Settings, rebuild: bool = False, progress: Progress | None = None) -> BuildSummary:
    """Ingest, embed, write Chroma + BM25 as a new version beside the live one, then switch.

    ``rebuild`` builds from scratch — every window embedded again, the embedding cache written but
    not read — and switches only once the new version is complete: it never deletes first."""
    start = time.perf_counter()
    say = progress or (lambda _msg, _frac: None)
    with build_lock(settings):
        live = current_version(settings)
        fingerprint = index_fingerprint(settings)
        if live and not rebuild and _is_fresh(settings, live, fingerprint):
            m = read_manifest(settings, live)
            return BuildSummary(live, m["passages"], m["units"], 0, 0,
                                time.perf_counter() - start, up_to_date=True)
        collect_garbage(settings, {live} if live else set())  # leftovers of killed builds
        # Unique even for two builds in the same second of one process: a version directory is
        # never reused, so the live one is never written to.
        version = time.strftime("%Y%m%d-%H%M%S") + f"-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        summary = _build_new_version(settings, version, fingerprint, rebuild, say)
        try:
            _switch(settings, version)
        except OSError as exc:
            raise IndexWriteError(_write_message(exc, settings.index_dir)) from exc
        summary.collected = collect_garbage(settings, {version})
        summary.seconds = time.perf_counter() - start
        say("done", 1.0)
        return summary


def _build_new_version(settings: Settings, version: str, fingerprint: dict[str, Any], rebuild: bool,
                       say: Progress) -> BuildSummary:
    """Build into a new folder; on any failure remove it, so a failed build leaves nothing."""
    out = version_dir(settings, version)
    try:
        return _build_version(settings, out, version, fingerprint, rebuild, say)
    except TipguideError:
        shutil.rmtree(out, ignore_errors=True)
        raise
    except Exception as exc:
        shutil.rmtree(out, ignore_errors=True)
        if isinstance(exc, OSError) and exc.errno not in _DISK_ERRNOS:
            raise
        if not isinstance(exc, OSError) and not _looks_like_disk_error(exc):
            raise
        raise IndexWriteError(_write_message(exc, out.parent)) from exc


def _looks_like_disk_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(w in text for w in ("disk", "space", "read-only", "readonly", "permission", "too large"))


def _is_fresh(settings: Settings, live: str, fingerprint: dict[str, Any]) -> bool:
    try:
        m = read_manifest(settings, live)
    except IndexCorruptError:
        return False
    return m.get("fingerprint") == fingerprint and m.get("layout") == LAYOUT


def _ingest(settings: Settings, say: Progress) -> tuple[list[Document], list[Passage]]:
    """Parse the whole manifest; any document that cannot be read fails the build (the index
    always holds the whole corpus, and nothing is switched)."""
    say("parsing documents", 0.02)
    report = ingest_corpus(settings, write=False)
    if report.errors:
        raise CorpusError("; ".join(report.errors) + " — fix or remove it in sources.toml; "
                          "the index was not changed")
    if not report.passages:
        raise TipguideError("no passages to index: the corpus is empty")
    ids = {p.document_id for p in report.passages}
    return [d for d in report.documents if d.id in ids], report.passages


def _build_version(settings: Settings, out: Path, version: str, fingerprint: dict[str, Any],
                   rebuild: bool, say: Progress) -> BuildSummary:
    documents, passages = _ingest(settings, say)
    docs = {d.id: d for d in documents}
    units = corpus_units(passages, fingerprint["settings"], docs)
    by_id = {p.id: p for p in passages}
    texts = [unit_embedding_text(u, by_id[u.passage_id], docs.get(by_id[u.passage_id].document_id),
                                 settings.embed_context_header) for u in units]
    if settings.embedder == "minilm" and not onnx_path(settings).exists():
        say("exporting the embedding model to ONNX (once)", 0.03)
        export_onnx(onnx_path(settings))
    embedder = get_embedder(settings, cached=True)
    if isinstance(embedder, CachedEmbedder):
        embedder.read = not rebuild  # from scratch: embed everything, refresh the cache
    vecs = _embed_with_progress(embedder, texts, say)
    out.mkdir(parents=True)
    (out / READERS).touch()
    say("writing vectors", 0.85)
    store = VectorStore(settings, version)
    try:
        add_vectors(store.create(), units, vecs)
    finally:
        store.close()
    say("writing BM25", 0.93)
    _save_bm25(out / "bm25", passages, docs)
    Corpus(version, documents, passages).write(out)
    warnings = embedder.warnings if isinstance(embedder, CachedEmbedder) else []
    cached = embedder.hits if isinstance(embedder, CachedEmbedder) else 0
    manifest = {"version": version, "layout": LAYOUT, "created": time.time(), "fingerprint": fingerprint,
                "passages": len(passages), "units": len(units), "embedder": embedder.name,
                "chroma": settings.chroma_url or "embedded"}
    _write_json(out / "manifest.json", manifest)  # written last: its presence marks completion
    return BuildSummary(version, len(passages), len(units), len(units) - cached, cached,
                        warnings=list(warnings))


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
    """Everything a retriever needs from one complete version. While the handle lives, the
    process holds the version's reader lease (released when the handle is garbage-collected)."""

    settings: Settings
    version: str
    manifest: dict[str, Any]
    corpus: Corpus
    units: list[Unit]
    unit_vecs: np.ndarray
    bm25: Any
    collection: Any
    stale: bool = False

    @property
    def documents(self) -> dict[str, Document]:
        return self.corpus.documents

    @property
    def passages(self) -> list[Passage]:
        return list(self.corpus.passages.values())


def open_index(settings: Settings) -> IndexHandle:
    """Open the live version under a reader lease; clear errors for a missing, corrupt or
    unreachable index."""
    for _attempt in range(5):
        version = current_version(settings)
        if version is None:
            raise IndexMissingError("no index yet: run `tipguide index` (or `tipguide serve`, which builds one)")
        lease = _lease(version_dir(settings, version))
        if lease is not None:
            break
        time.sleep(0.05)  # CURRENT moved on and the old version was collected: read it again
    else:
        raise IndexCorruptError(f"index version {version} in {settings.index_dir} is incomplete; {REBUILD}")
    store = VectorStore(settings, version)
    try:
        handle = _open_version(settings, version, store)
    except BaseException:
        store.close()
        lease.release()
        raise
    weakref.finalize(handle, _release, lease, store)
    return handle


def _release(lease: ReaderLease, store: VectorStore) -> None:
    store.close()
    lease.release()


def _open_version(settings: Settings, version: str, store: VectorStore) -> IndexHandle:
    manifest = read_manifest(settings, version)
    d = version_dir(settings, version)
    if manifest.get("layout") != LAYOUT:
        raise IndexCorruptError(f"the index in {d} was built by an older tipguide; {REBUILD}")
    corpus = Corpus.read(d, version)
    if len(corpus.passages) != manifest.get("passages"):
        raise IndexCorruptError(f"index files in {d} disagree with its manifest; {REBUILD}")
    bm25 = _load_bm25(d / "bm25", len(corpus.passages))
    units = corpus_units(list(corpus.passages.values()), manifest["fingerprint"]["settings"], corpus.documents)
    collection = store.get()
    vecs = load_vectors(collection, units, store.where)
    stale = manifest.get("fingerprint") != _fingerprint_or_none(settings)
    return IndexHandle(settings, version, manifest, corpus, units, vecs, bm25, collection, stale)


def _fingerprint_or_none(settings: Settings) -> dict[str, Any] | None:
    """The corpus fingerprint, or None when the manifest cannot be read (a reader still serves)."""
    try:
        return index_fingerprint(settings)
    except (CorpusError, OSError):
        return None


def _load_bm25(path: Path, n_passages: int) -> Any:
    import bm25s

    try:
        bm25 = bm25s.BM25.load(str(path), show_progress=False)
        n_docs = int(bm25.scores["num_docs"])
    except Exception as exc:
        raise IndexCorruptError(f"BM25 index at {path} is unreadable ({type(exc).__name__}); {REBUILD}") from exc
    if n_docs != n_passages:
        raise IndexCorruptError(f"BM25 index at {path} has {n_docs} documents, expected {n_passages}; {REBUILD}")
    return bm25


def live_corpus(settings: Settings) -> Corpus:
    """The live version's corpus (what ``show`` and ``passages`` print); when no index was built
    yet, the corpus parsed now, without writing anything."""
    version = current_version(settings)
    if version is not None:
        lease = _lease(version_dir(settings, version))
        if lease is not None:
            try:
                return Corpus.read(version_dir(settings, version), version)
            finally:
                lease.release()
    report = ingest_corpus(settings, write=False)
    if report.errors and not report.passages:
        raise CorpusError("; ".join(report.errors))
    ids = {p.document_id for p in report.passages}
    return Corpus("", [d for d in report.documents if d.id in ids], report.passages)


# ----------------------------------------------------------------------------- follow
T = TypeVar("T")


class Follower(Generic[T]):
    """Hands out the object open on the live version (an Assistant, a Retriever). When a build
    switches CURRENT, the new version is opened in a background thread and swapped in between
    requests; until then — and if it cannot be opened — the current one keeps answering.
    Requests in flight keep their object, and with it its version's reader lease."""

    def __init__(self, settings: Settings, value: T, version: str, opener: Callable[[], tuple[T, str]],
                 poll_s: float = 0.5) -> None:
        self.settings = settings
        self.value = value
        self.version = version
        self._opener = opener
        self._poll_s = poll_s
        self._checked = 0.0
        self._failed: str | None = None
        self._loading = threading.Lock()

    def get(self) -> T:
        """The newest opened object; starts opening a newer version when CURRENT moved."""
        now = time.monotonic()
        if now - self._checked >= self._poll_s:
            self._checked = now
            live = current_version(self.settings)
            if live and live not in (self.version, self._failed) and self._loading.acquire(blocking=False):
                threading.Thread(target=self._open, args=(live,), daemon=True, name="index-follow").start()
        return self.value

    def _open(self, live: str) -> None:
        try:
            value, version = self._opener()
            self.value, self.version = value, version
            log.info("now serving index version %s", version)
        except TipguideError as exc:
            self._failed = live
            log.error("index version %s cannot be opened, still serving %s: %s", live, self.version, exc)
        except Exception:
            self._failed = live
            log.exception("index version %s cannot be opened, still serving %s", live, self.version)
        finally:
            self._loading.release()
