"""Embedders: the hash fake, the cache, and the ONNX export matching sentence-transformers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.embed import (
    CachedEmbedder,
    HashEmbedder,
    MiniLMEmbedder,
    OnnxMiniLM,
    QueryAdapter,
    export_onnx,
    load_query_adapter,
)
from assistant.settings import Settings


def test_hash_embedder_is_deterministic_and_normalised() -> None:
    a, b = HashEmbedder().embed(["victims of trafficking", "victims of trafficking"])
    assert np.allclose(a, b) and abs(float(np.linalg.norm(a)) - 1) < 1e-5


def test_cache_embeds_each_text_once(tmp_path: Path) -> None:
    cache = CachedEmbedder(HashEmbedder(), tmp_path / "c.sqlite")
    first = cache.embed(["a b", "c d", "a b"])
    assert cache.misses == 2 and cache.hits == 1
    again = CachedEmbedder(HashEmbedder(), tmp_path / "c.sqlite").embed(["c d", "a b"])
    assert np.allclose(again, first[[1, 0]])


def test_query_adapter_maps_a_question_and_keeps_it_unit_length(tmp_path: Path) -> None:
    path = tmp_path / "w.npy"
    np.save(path, np.diag([2.0, 1.0, 1.0]).astype(np.float32))
    out = QueryAdapter(path)(np.array([0.6, 0.8, 0.0], dtype=np.float32))
    assert np.allclose(out, np.array([1.2, 0.8, 0.0]) / np.linalg.norm([1.2, 0.8, 0.0]))
    assert abs(float(np.linalg.norm(out)) - 1) < 1e-6


def test_the_shipped_adapter_is_for_minilm_only_and_can_be_turned_off() -> None:
    adapter = load_query_adapter(Settings(embedder="minilm"))
    assert adapter is not None and adapter.matrix.shape == (384, 384)
    # learned close to the identity: a question moves, it is not replaced
    assert float(np.linalg.norm(adapter.matrix - np.eye(384))) < 0.25 * np.sqrt(384)
    assert load_query_adapter(Settings(embedder="minilm", query_adapter=False)) is None
    assert load_query_adapter(Settings(embedder="hash")) is None


@pytest.mark.e2e
def test_onnx_export_matches_sentence_transformers(tmp_path: Path) -> None:
    path = tmp_path / "m.onnx"
    assert export_onnx(path)
    texts = ["non-punishment", "A much longer sentence about vacating the criminal records of "
             "trafficked persons convicted of offences they were compelled to commit. " * 8, "x"]
    onnx = OnnxMiniLM(path, batch_size=2).embed(texts)
    torch_vecs = MiniLMEmbedder().embed(texts)
    assert onnx.shape == (3, 384)
    assert np.min(np.sum(onnx * torch_vecs, axis=1)) > 0.9999  # same model, same pooling, same truncation
