"""Embedders: the hash fake, the cache, and the ONNX export matching sentence-transformers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from assistant.embed import CachedEmbedder, HashEmbedder, MiniLMEmbedder, OnnxMiniLM, export_onnx


def test_hash_embedder_is_deterministic_and_normalised() -> None:
    a, b = HashEmbedder().embed(["victims of trafficking", "victims of trafficking"])
    assert np.allclose(a, b) and abs(float(np.linalg.norm(a)) - 1) < 1e-5


def test_cache_embeds_each_text_once(tmp_path: Path) -> None:
    cache = CachedEmbedder(HashEmbedder(), tmp_path / "c.sqlite")
    first = cache.embed(["a b", "c d", "a b"])
    assert cache.misses == 2 and cache.hits == 1
    again = CachedEmbedder(HashEmbedder(), tmp_path / "c.sqlite").embed(["c d", "a b"])
    assert np.allclose(again, first[[1, 0]])


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
