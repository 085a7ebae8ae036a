"""From per-question records to the run summary: every metric's mean with a bootstrap 95 %
interval overall and per question kind, the refusal confusion matrix, latency percentiles per stage.

A record is the dict the runner writes per question (``questions.jsonl`` in the run folder):
``{"id", "kind", "answerable", ..., "scores": {metric: value | None}}``; ``None`` means "does not
apply" and is left out of that metric's mean (so retrieval is averaged over answerable questions,
citation metrics over answered ones, refusal recall over unanswerable ones).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assistant.evaluate.metrics import bootstrap_ci, confusion, percentile

RETRIEVERS = ("bm25", "dense", "hybrid", "baseline", "external")
HEADLINE = (
    "retrieval.hybrid.recall@5", "retrieval.hybrid.recall@10", "retrieval.hybrid.mrr@10",
    "retrieval.baseline.recall@5", "citation.recall", "citation.precision", "citation.gold_hit",
    "citation.evidence_hit",
    "answer.kp_coverage", "answer.kp_all", "baseline.kp_coverage", "refusal.recall",
    "refusal.false_refusal", "crag", "llm.answered", "llm.fallback", "llm.withdrawn_share",
)


def metric_names(records: Iterable[dict[str, Any]]) -> list[str]:
    """Every metric any record has, sorted (latency last)."""
    names = {m for r in records for m in r["scores"]}
    return sorted(names, key=lambda m: (m.startswith("latency."), m))


def values(records: Iterable[dict[str, Any]], metric: str) -> list[float]:
    """The applicable (non-None) values of one metric."""
    return [float(v) for r in records if (v := r["scores"].get(metric)) is not None]


def summarize_metric(records: list[dict[str, Any]], metric: str) -> dict[str, Any]:
    """Mean + interval overall and per kind."""
    overall = bootstrap_ci(values(records, metric))
    by_kind = {}
    for kind in sorted({r["kind"] for r in records}):
        ci = bootstrap_ci(values([r for r in records if r["kind"] == kind], metric))
        if ci is not None:
            by_kind[kind] = ci.as_dict()
    return {"overall": overall.as_dict() if overall else None, "by_kind": by_kind}


def latency_table(records: list[dict[str, Any]]) -> dict[str, dict[str, float | int | None]]:
    """p50/p95 seconds per stage (from ``Answer.timings``)."""
    out: dict[str, dict[str, float | int | None]] = {}
    for metric in metric_names(records):
        if metric.startswith("latency."):
            vals = values(records, metric)
            out[metric.removeprefix("latency.")] = {
                "p50": percentile(vals, 50), "p95": percentile(vals, 95), "n": len(vals)}
    return out


def summarize(records: list[dict[str, Any]], meta: dict[str, Any]) -> dict[str, Any]:
    """The ``summary.json`` object."""
    metrics = {m: summarize_metric(records, m) for m in metric_names(records)
               if not m.startswith("latency.")}
    matrix = confusion([bool(r["answerable"]) for r in records],
                       [bool(r["scores"].get("refusal.refused")) for r in records])
    headline = {m: (metrics[m]["overall"] or {}).get("mean") for m in HEADLINE if m in metrics}
    kinds: dict[str, int] = {}
    for r in records:
        kinds[r["kind"]] = kinds.get(r["kind"], 0) + 1
    return {
        "meta": meta, "n_questions": len(records), "kinds": kinds, "headline": headline,
        "metrics": metrics, "confusion": matrix.as_dict(), "latency": latency_table(records),
    }
