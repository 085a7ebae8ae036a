"""``make bench``: the performance targets, measured (never asserted by a timing test).

Every figure is a median (or p95) over repeated runs, reported beside the LangChain-tutorial
baseline (RecursiveCharacterTextSplitter 1000/200 -> same MiniLM -> Chroma top-k) run in the same
process, so machine noise affects both sides alike. Results go to stdout and
``<data_dir>/bench/summary.json``.

    python -m assistant.bench [--synthetic 100000] [--queries 60]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from assistant.settings import REPO_ROOT, Settings, apply_offline_env


def pct(values: list[float], q: float) -> float:
    """The q-th percentile in milliseconds."""
    return float(np.percentile(np.array(values) * 1000, q)) if values else float("nan")


def timed(fn: Any, *args: Any, **kwargs: Any) -> float:
    t = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - t


def questions(n: int) -> list[str]:
    """Realistic queries, alternating between the curated set and the practitioners' set (written
    blind, longer and chattier) without its blind split; only the question text is used, never the gold."""
    sets = []
    for name in ("questions.jsonl", "practitioners.jsonl"):
        path = REPO_ROOT / "eval" / name
        rows = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        parsed = [json.loads(x) for x in rows if x.strip()]
        sets.append([r["question"] for r in parsed if r.get("split") != "blind"])  # blind stays unseen
    mixed = [q for pair in zip(*sets, strict=False) for q in pair] or [q for qs in sets for q in qs]
    return (mixed or ["non-punishment of victims of trafficking"])[:n]


def bench_build(base: Path) -> dict[str, float]:
    """Ingest + index from scratch (empty data dir, no embedding cache), then no-op refreshes."""
    from assistant.embed import MiniLMEmbedder, export_onnx, onnx_path
    from assistant.index import build_index

    s = Settings(data_dir=base / "scratch", embedder="minilm")
    MiniLMEmbedder.model()  # model load and the one-time ONNX export are reported apart from indexing
    export = timed(export_onnx, onnx_path(s))
    scratch = timed(build_index, s)
    noop = statistics.median(timed(build_index, s) for _ in range(5))
    return {"onnx_export_once_s": export, "index_from_scratch_s": scratch, "reindex_unchanged_median_s": noop}


def baseline_pipeline(base: Path) -> tuple[Any, float]:
    """The tutorial pipeline over the same documents; returns (vectorstore, build seconds)."""
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from assistant.corpus import load_manifest
    from assistant.embed import MiniLMEmbedder
    from assistant.lc import LcEmbeddings

    t = time.perf_counter()
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    chunks = []
    for doc in load_manifest(REPO_ROOT / "corpus"):
        chunks += splitter.split_text((REPO_ROOT / "corpus" / doc.file).read_text(encoding="utf-8"))
    import chromadb
    from chromadb.config import Settings as CS

    client = chromadb.PersistentClient(path=str(base / "baseline"), settings=CS(anonymized_telemetry=False))
    store = Chroma(client=client, collection_name="baseline", embedding_function=LcEmbeddings(MiniLMEmbedder()))
    store.add_texts(chunks)
    return store, time.perf_counter() - t


def bench_queries(base: Path, n: int) -> dict[str, float]:
    """Warm search and warm extractive answers vs the baseline's similarity_search."""
    from assistant.chat import Assistant

    s = Settings(data_dir=base / "scratch", embedder="minilm")
    assistant = Assistant.from_settings(s)
    qs = questions(n)
    store, baseline_build = baseline_pipeline(base)
    for q in qs[:5]:  # warm-up both
        assistant.retriever.search(q)
        store.similarity_search(q, k=10)
    # No query embedding remembered from the warm-up or the loop before flatters a timing.
    assistant.retriever.forget()
    ours = [timed(assistant.retriever.search, q) for q in qs]
    base_t = [timed(store.similarity_search, q + "  ", k=10) for q in qs]
    assistant.retriever.forget()
    answers = [timed(assistant.ask, q) for q in qs]
    return {
        "baseline_build_s": baseline_build,
        "search_p50_ms": pct(ours, 50), "search_p95_ms": pct(ours, 95),
        "baseline_search_p50_ms": pct(base_t, 50), "baseline_search_p95_ms": pct(base_t, 95),
        "search_p50_ratio_vs_baseline": pct(ours, 50) / pct(base_t, 50),
        "answer_p50_ms": pct(answers, 50), "answer_p95_ms": pct(answers, 95),
    }


def bench_cold_ask(base: Path) -> dict[str, float]:
    """`tipguide ask` from a cold process (median of 3), vs `tipguide --help`."""
    env_cmd = [sys.executable, "-m", "assistant.cli", "--data-dir", str(base / "scratch")]
    ask = [timed(subprocess.run, [*env_cmd, "ask", "Should victims be punished for forced criminality?"],
                 capture_output=True, check=True) for _ in range(3)]
    helps = [timed(subprocess.run, [*env_cmd, "--help"], capture_output=True, check=True) for _ in range(3)]
    return {"cold_ask_median_s": statistics.median(ask), "help_median_s": statistics.median(helps)}


def bench_synthetic_isolated(base: Path, n: int, n_queries: int) -> dict[str, float]:
    """Run ``bench_synthetic`` in its own process so its peak RSS is its own (no torch, no baseline)."""
    out = subprocess.run([sys.executable, "-m", "assistant.bench", "--synthetic-only", str(n),
                          "--queries", str(n_queries), "--base", str(base)],
                         capture_output=True, text=True, check=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def bench_synthetic(base: Path, n: int, n_queries: int) -> dict[str, float]:
    """A synthetic n-paragraph index (real BM25, real Chroma, random unit vectors, real query
    embeddings) to measure search latency with/without a filter and peak memory at scale."""
    from assistant.corpus import Corpus
    from assistant.embed import OnnxMiniLM, onnx_path
    from assistant.index import (
        IndexHandle,
        Unit,
        VectorStore,
        _load_bm25,
        _save_bm25,
        add_vectors,
        load_vectors,
    )
    from assistant.ingest import ingest_corpus
    from assistant.models import Document, Filters, Passage
    from assistant.retrieve import Retriever

    rng = random.Random(7)
    s = Settings(data_dir=base / "synthetic", embedder="minilm")
    sentences = [x for p in ingest_corpus(Settings(), write=False).passages for x in p.text.split(". ")]
    docs = {f"doc{i}": Document(id=f"doc{i}", file="-", title=f"Synthetic {i}", body="UNODC" if i % 5 else "OHCHR",
                                type="report", date=str(2000 + i % 24)) for i in range(50)}
    passages = [Passage(id=f"doc{i % 50}:para-{i}", document_id=f"doc{i % 50}", label=str(i),
                        text=". ".join(rng.sample(sentences, 3))) for i in range(n)]
    units = [Unit(f"{p.id}#0", p.id, 0, len(p.text), p.text) for p in passages]
    vecs = np.random.default_rng(7).standard_normal((n, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    t = time.perf_counter()
    store = VectorStore(s, "synthetic")
    col = store.create()
    add_vectors(col, units, vecs)
    (base / "synthetic").mkdir(parents=True, exist_ok=True)
    _save_bm25(base / "synthetic" / "bm25", passages, docs)
    build_s = time.perf_counter() - t
    corpus = Corpus("synthetic", list(docs.values()), passages)
    handle = IndexHandle(s, "synthetic", {}, corpus, units, load_vectors(col, units, store.where),
                         _load_bm25(base / "synthetic" / "bm25", n), col)
    r = Retriever(handle, OnnxMiniLM(onnx_path(Settings(data_dir=base / "scratch"))))
    qs = questions(n_queries)
    for q in qs[:5]:
        r.search(q)
    r.forget()
    plain = [timed(r.search, q) for q in qs]
    flt = Filters(bodies=["OHCHR"])  # 20 % of the documents, like OFFLINE.md's measurement
    r.forget()
    filtered = [timed(r.search, q, filters=flt) for q in qs]
    return {"synthetic_paragraphs": n, "synthetic_build_s": build_s,
            "synthetic_search_p50_ms": pct(plain, 50), "synthetic_search_p95_ms": pct(plain, 95),
            "synthetic_filtered_p50_ms": pct(filtered, 50), "synthetic_filtered_p95_ms": pct(filtered, 95),
            "synthetic_peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's peak RSS. VmHWM belongs to the address space created at exec, whereas
    ru_maxrss carries the parent's peak across fork/exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Run every measurement and print a table."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--synthetic", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=60)
    ap.add_argument("--synthetic-only", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--base", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    apply_offline_env()
    if args.synthetic_only:  # the child process of bench_synthetic_isolated
        print(json.dumps(bench_synthetic(args.base, args.synthetic_only, args.queries)))
        return
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="tipguide-bench-") as tmp:
        base = Path(tmp)
        t = time.perf_counter()
        from assistant.embed import MiniLMEmbedder

        MiniLMEmbedder.model()
        out["model_import_and_load_s"] = time.perf_counter() - t
        out |= bench_build(base)
        out |= bench_queries(base, args.queries)
        out |= bench_cold_ask(base)
        out["peak_rss_mb"] = peak_rss_mb()
        if args.synthetic:
            out |= bench_synthetic_isolated(base, args.synthetic, args.queries)
    width = max(map(len, out))
    for k, v in out.items():
        print(f"{k:<{width}}  {v:10.3f}" if isinstance(v, float) else f"{k:<{width}}  {v:>10}")
    dest = Settings().data_dir / "bench"
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "summary.json").write_text(json.dumps(out, indent=1))
    print(f"-> {dest / 'summary.json'}")


if __name__ == "__main__":
    main()
