"""``tipguide eval --compare RUN_A RUN_B``: paired differences per metric between two runs.

Questions are paired by id (only questions both runs scored on that metric); the difference B - A
gets a paired bootstrap interval, and the verdict is "B better" / "B worse" when the interval
excludes zero, else "no significant difference". For latency lower is better.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.errors import TipguideError
from assistant.evaluate.aggregate import metric_names
from assistant.evaluate.metrics import paired_bootstrap, verdict


class RunFolderError(TipguideError):
    """A run folder lacks the files a comparison needs."""


def load_records(run: Path) -> list[dict[str, Any]]:
    """The per-question records of a run folder."""
    path = run / "questions.jsonl"
    if not path.exists():
        raise RunFolderError(f"{run} is not an evaluation run folder (no questions.jsonl)")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def compare_records(a: list[dict[str, Any]], b: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per metric both runs have: means, paired difference with interval, verdict."""
    by_a = {r["id"]: r["scores"] for r in a}
    by_b = {r["id"]: r["scores"] for r in b}
    shared = sorted(set(by_a) & set(by_b))
    rows = []
    for metric in metric_names([*a, *b]):
        pairs = [(by_a[i].get(metric), by_b[i].get(metric)) for i in shared]
        pairs = [(x, y) for x, y in pairs if x is not None and y is not None]
        if not pairs:
            continue
        xs, ys = [float(x) for x, _ in pairs], [float(y) for _, y in pairs]
        diff = paired_bootstrap(xs, ys)
        rows.append({
            "metric": metric, "n": len(pairs), "a": sum(xs) / len(xs), "b": sum(ys) / len(ys),
            "diff": diff.as_dict() if diff else None,
            "verdict": verdict(diff, higher_is_better=not metric.startswith("latency.")),
        })
    return rows


def compare_runs(run_a: Path, run_b: Path) -> dict[str, Any]:
    """The comparison object (also written as ``compare.json`` / ``compare.md`` when asked)."""
    rows = compare_records(load_records(run_a), load_records(run_b))
    return {"run_a": str(run_a), "run_b": str(run_b), "rows": rows}


def compare_markdown(result: dict[str, Any]) -> str:
    """A plain table: metric, A, B, B - A [95 % CI], verdict."""
    lines = [f"# Comparison\n\nA = `{result['run_a']}`  \nB = `{result['run_b']}`\n",
             "| metric | n | A | B | B - A [95 % CI] | verdict |", "|---|---:|---:|---:|---|---|"]
    for r in result["rows"]:
        d = r["diff"]
        ci = f"{d['mean']:+.3f} [{d['low']:+.3f}, {d['high']:+.3f}]" if d else "-"
        lines.append(f"| {r['metric']} | {r['n']} | {r['a']:.3f} | {r['b']:.3f} | {ci} | {r['verdict']} |")
    return "\n".join(lines) + "\n"
