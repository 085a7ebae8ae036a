"""Index versions live as long as someone reads them; builds never take a reader down; caches heal;
a full disk is one line. Real embedded Chroma, the hash embedder, real ``tipguide`` processes where
the one-line error or the kernel's limits matter."""

from __future__ import annotations

import gc
import resource
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from assistant.chat import Assistant
from assistant.corpus import add_document
from assistant.index import build_index, current_version, orphaned_segments, version_dir
from assistant.retrieve import Retriever
from assistant.settings import REPO_ROOT, Settings
from tests.test_faults import BIN, QUERY, assert_one_line_error, cli_env

NEW_TEXT = "# Annex\n\n1. Labour inspectors should visit {where} farms unannounced to find forced labour.\n"


@pytest.fixture
def live(tmp_path: Path) -> Settings:
    """A private corpus copy and a built index (documents can be added to the copy)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    settings = Settings(corpus_dir=corpus, data_dir=tmp_path / "data", embedder="hash")
    build_index(settings)
    return settings


def _add(settings: Settings, where: str) -> str:
    src = settings.data_dir.parent / f"{where}.md"
    src.write_text(NEW_TEXT.format(where=where), encoding="utf-8")
    return add_document(settings.corpus_dir, src, {"title": f"Annex {where}"}).id


def _versions(settings: Settings) -> set[str]:
    return {d.name for d in (settings.index_dir / "versions").iterdir()}


def _env(settings: Settings) -> dict[str, str]:
    env = cli_env(settings.data_dir)
    env["TIPGUIDE_CORPUS_DIR"] = str(settings.corpus_dir)
    return env


def test_a_reader_keeps_its_version_through_builds_until_it_lets_go(live: Settings) -> None:
    v1 = current_version(live)
    reader = Retriever.open(live)  # holds v1's reader lease, like a running server
    _add(live, "coastal")
    v2 = build_index(live).version
    _add(live, "upland")
    v3 = build_index(live).version
    # v2 was never read: collected; v1 is still read: kept, and answers from its own vectors.
    assert _versions(live) == {v1, v3} and v2 not in _versions(live)
    assert reader.handle.version == v1 and reader.search(QUERY, method="dense")
    del reader
    gc.collect()
    _add(live, "island")
    v4 = build_index(live).version
    assert _versions(live) == {v4}
    assert orphaned_segments(live) == []


def test_rebuild_builds_beside_the_live_version(live: Settings) -> None:
    v1 = current_version(live)
    reader = Retriever.open(live)
    summary = build_index(live, rebuild=True)
    assert summary.version != v1 and summary.embedded >= 0.99 * summary.units  # from scratch
    assert _versions(live) == {v1, summary.version}
    assert reader.search(QUERY)


def test_a_server_follows_the_live_version_without_restart(live: Settings) -> None:
    root = Assistant.from_settings(live)
    old = root.current()
    doc_id = _add(live, "orchard")
    build_index(live)
    deadline = time.monotonic() + 30
    while root.current() is old and time.monotonic() < deadline:
        time.sleep(0.1)  # the new version opens in the background; requests meanwhile use `old`
    new = root.current()
    assert new is not old and doc_id in new.corpus.documents
    answer = new.ask("Should labour inspectors visit orchard farms unannounced?")
    assert any(c.document_id == doc_id for c in answer.citations)
    assert old.ask(QUERY).citations  # a request still holding the old version completes
    first, held = old.retriever.handle.version, new.retriever.handle.version
    del old
    gc.collect()
    _add(live, "vineyard")
    latest = build_index(live).version
    assert first not in _versions(live) and _versions(live) == {held, latest}  # the lease was let go


def test_corrupt_embedding_cache_is_set_aside_with_one_warning(live: Settings) -> None:
    cache = live.data_dir / "embed_cache.sqlite"
    cache.write_bytes(cache.read_bytes()[:3000])  # truncated mid-page
    _add(live, "delta")
    out = subprocess.run([str(BIN / "tipguide"), "index"], env=_env(live), capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    warnings = [line for line in out.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and str(cache) in warnings[0] and "moved it to" in warnings[0], out.stderr
    assert len(list(live.data_dir.glob("embed_cache.sqlite.corrupt-*"))) == 1
    _add(live, "epsilon")
    again = build_index(live)
    assert again.cached >= 0.99 * again.units - 2  # the new cache works


def _limit_file_size(limit: int) -> None:
    """In the child: files may not grow past ``limit`` bytes (the kernel says EFBIG, like a full
    disk says ENOSPC), and the signal that would kill the process instead is ignored."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


# A limit of one page: no page of the embedding cache past its header can be written (writes past
# the limit fail even inside the file). The cache's size + 100 kB: only the new version cannot be.
@pytest.mark.parametrize("room", [None, 100_000], ids=["cache-full", "version-full"])
def test_a_full_disk_is_one_line_and_the_live_index_keeps_serving(live: Settings, room: int | None) -> None:
    """No room for the embedding cache to grow, or room for the cache but not the new version."""
    v1 = current_version(live)
    reader = Retriever.open(live)
    _add(live, "gamma")
    cache = live.data_dir / "embed_cache.sqlite"
    limit = 4096 if room is None else cache.stat().st_size + room
    where = cache if room is None else live.index_dir / "versions"
    for args in (["index"], ["index", "--rebuild"]):
        out = subprocess.run([str(BIN / "tipguide"), *args], env=_env(live), capture_output=True,
                             text=True, timeout=120, preexec_fn=lambda: _limit_file_size(limit))
        assert out.returncode == 1
        assert_one_line_error(out.stderr, "cannot write", str(where), "previous index keeps serving")
        assert current_version(live) == v1 and _versions(live) == {v1}
    assert reader.search(QUERY) and Retriever.open(live).search(QUERY)
    assert build_index(live).version != v1  # with room again, the same command works


def test_index_files_are_the_versions_own(live: Settings) -> None:
    """One source of truth: passages and vectors live in the version folder and its store only."""
    v1 = str(current_version(live))
    files = {p.name for p in version_dir(live, v1).iterdir()}
    assert files == {"manifest.json", "passages.jsonl", "documents.json", "bm25", "chroma", "readers.lock"}
    assert not (live.data_dir / "passages.jsonl").exists()
    handle = Retriever.open(live).handle
    got = handle.collection.get(ids=[handle.units[5].id], include=["embeddings", "metadatas"])
    assert abs(float(got["embeddings"][0] @ handle.unit_vecs[5]) - 1.0) < 1e-5
    assert got["metadatas"] == [None]  # nothing stored that nobody queries
