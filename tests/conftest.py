"""Shared fixtures: network blocked beyond loopback, a small corpus, settings in a temp data dir."""

from __future__ import annotations

import ipaddress
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.settings import REPO_ROOT, Settings, apply_offline_env

apply_offline_env()

_real_connect = socket.socket.connect


def _is_loopback(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX
        return True
    host = address[0] if isinstance(address, tuple) else ""
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def block_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test: any connection beyond loopback fails loudly."""

    def guarded(self: socket.socket, address: object) -> object:
        if not _is_loopback(address):
            raise RuntimeError(f"network access blocked in tests: {address!r}")
        return _real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture
def dense_first_fusion(tmp_path: Path) -> Path:
    """Learned-fusion weights (``retrieve.LearnedFusion``) that read only the dense rank."""
    from assistant.retrieve import FUSION_FEATURES

    path = tmp_path / "fusion.json"
    path.write_text(json.dumps({"features": list(FUSION_FEATURES), "mean": [0.0] * len(FUSION_FEATURES),
                                "scale": [1.0] * len(FUSION_FEATURES),
                                "weights": [-1.0 if f == "dense_log_rank" else 0.0 for f in FUSION_FEATURES]}))
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on the real corpus, a fresh data dir, and the deterministic hash embedder."""
    return Settings(corpus_dir=REPO_ROOT / "corpus", data_dir=tmp_path / "data", embedder="hash")


@pytest.fixture
def minilm_settings(tmp_path: Path) -> Iterator[Settings]:
    """Settings with the real MiniLM embedder (e2e tests)."""
    yield Settings(corpus_dir=REPO_ROOT / "corpus", data_dir=tmp_path / "data", embedder="minilm")
