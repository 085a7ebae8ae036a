"""The run folder: ``summary.json`` (for diffing), ``questions.jsonl`` (per-question records, what
``--compare`` pairs), ``report.md`` and a self-contained ``report.html`` — matplotlib (Agg) PNGs
embedded as base64, every piece of text HTML-escaped (answers quote documents and questions may
contain markup)."""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path
from typing import Any

from assistant.evaluate.aggregate import RETRIEVERS
from assistant.evaluate.scoring import KS

KIND_METRICS = ("retrieval.hybrid.recall@5", "citation.recall", "answer.kp_coverage", "crag")
NOTES = [
    "Headline numbers are on the split named above; thresholds are tuned on dev only.",
    "Retrieval: a hit is any gold paragraph; averaged over answerable questions.",
    "Baseline: LangChain tutorial (1000/200 recursive splitter, same MiniLM, Chroma top-k). A chunk "
    "counts as a hit when it covers a gold paragraph; a chunk spans several paragraphs, so this is "
    "generous to the baseline. Its answer is its top chunk.",
    "Citation recall/precision are ALCE-style with the project's support checker as judge "
    "(supported = support; weak does not count).",
    "Key points: offline matcher (numbers must match; content-word recall >= 0.6, or MiniLM cosine "
    ">= 0.75 with recall >= 0.34) - see assistant/evaluate/keypoints.py.",
    "CRAG: +1 answered with >= half the key points and >= 80 % supported sentences, 0 refused, "
    "-1 otherwise (including any answer to an unanswerable question).",
    "Intervals: percentile bootstrap over questions, 2,000 resamples, fixed seed.",
]


def fmt(x: Any, digits: int = 3) -> str:
    """A number for a table; '-' for None."""
    if x is None:
        return "-"
    return f"{x:.{digits}f}" if isinstance(x, float) else str(x)


def fmt_ci(ci: dict[str, Any] | None) -> str:
    """'0.812 [0.74, 0.88] (n=45)'."""
    if not ci:
        return "-"
    return f"{ci['mean']:.3f} [{ci['low']:.2f}, {ci['high']:.2f}] (n={ci['n']})"


# ---------------------------------------------------------------------------- plots
def _png(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def _mean(summary: dict[str, Any], metric: str) -> float | None:
    entry = summary["metrics"].get(metric)
    return entry["overall"]["mean"] if entry and entry["overall"] else None


def plot_recall_curves(summary: dict[str, Any]) -> str | None:
    """Recall@k for each retriever present."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.5))
    drawn = False
    for method in RETRIEVERS:
        ys = [_mean(summary, f"retrieval.{method}.recall@{k}") for k in KS]
        if all(y is not None for y in ys):
            ax.plot(KS, [float(y or 0.0) for y in ys], marker="o", label=method)
            drawn = True
    if not drawn:
        plt.close(fig)
        return None
    ax.set(xlabel="k", ylabel="recall@k", ylim=(0, 1.02), xticks=list(KS), title="Retrieval recall@k")
    ax.grid(alpha=0.3)
    ax.legend()
    return _png(fig)


def plot_by_kind(summary: dict[str, Any]) -> str | None:
    """Grouped bars: a few key metrics per question kind."""
    import matplotlib.pyplot as plt
    import numpy as np

    kinds = sorted(summary["kinds"])
    metrics = [m for m in KIND_METRICS if m in summary["metrics"]]
    if not metrics:
        return None
    fig, ax = plt.subplots(figsize=(8, 3.8))
    width = 0.8 / len(metrics)
    for i, m in enumerate(metrics):
        by_kind = summary["metrics"][m]["by_kind"]
        ys = [by_kind.get(k, {}).get("mean", np.nan) for k in kinds]
        ax.bar(np.arange(len(kinds)) + i * width, ys, width, label=m)
    ax.set_xticks(np.arange(len(kinds)) + width * (len(metrics) - 1) / 2, kinds, rotation=20)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set(ylim=(-1.05, 1.05), title="Metrics per question kind")
    ax.legend(fontsize=7, loc="lower left")
    return _png(fig)


def plot_confusion(summary: dict[str, Any]) -> str:
    """The 2x2 answerable x answered/refused matrix."""
    import matplotlib.pyplot as plt

    c = summary["confusion"]
    cells = [[c["answerable_answered"], c["answerable_refused"]],
             [c["unanswerable_answered"], c["unanswerable_refused"]]]
    fig, ax = plt.subplots(figsize=(3.8, 3.2))
    ax.imshow(cells, cmap="Blues")
    for i in range(2):
        for j in range(2):
            ax.text(j, i, str(cells[i][j]), ha="center", va="center", fontsize=14)
    ax.set_xticks([0, 1], ["answered", "refused"])
    ax.set_yticks([0, 1], ["answerable", "unanswerable"])
    ax.set_title("Refusal confusion matrix")
    return _png(fig)


def plot_latency(summary: dict[str, Any]) -> str | None:
    """p50 and p95 per stage, milliseconds."""
    import matplotlib.pyplot as plt
    import numpy as np

    lat = summary["latency"]
    if not lat:
        return None
    stages = list(lat)
    fig, ax = plt.subplots(figsize=(6, 3.2))
    x = np.arange(len(stages))
    ax.bar(x - 0.2, [1000 * (lat[s]["p50"] or 0) for s in stages], 0.4, label="p50")
    ax.bar(x + 0.2, [1000 * (lat[s]["p95"] or 0) for s in stages], 0.4, label="p95")
    ax.set_xticks(x, stages, rotation=20)
    ax.set(ylabel="ms", title="Latency per stage")
    ax.legend()
    return _png(fig)


# ---------------------------------------------------------------------------- markdown
def _metric_rows(summary: dict[str, Any], prefix: str) -> list[str]:
    return [f"| {m} | {fmt_ci(v['overall'])} |" for m, v in summary["metrics"].items()
            if m.startswith(prefix)]


def retrieval_table(summary: dict[str, Any]) -> list[str]:
    """Retrievers side by side: recall@1/3/5/10, MRR@10, nDCG@10."""
    cols = [f"recall@{k}" for k in KS] + ["mrr@10", "ndcg@10"]
    lines = ["| retriever | " + " | ".join(cols) + " |", "|---" * (len(cols) + 1) + "|"]
    for method in RETRIEVERS:
        vals = [_mean(summary, f"retrieval.{method}.{c}") for c in cols]
        if any(v is not None for v in vals):
            lines.append(f"| {method} | " + " | ".join(fmt(v) for v in vals) + " |")
    return lines


def kind_table(summary: dict[str, Any]) -> list[str]:
    """Key metrics per kind with intervals."""
    metrics = [m for m in KIND_METRICS if m in summary["metrics"]]
    lines = ["| kind | n | " + " | ".join(metrics) + " |", "|---" * (len(metrics) + 2) + "|"]
    for kind, n in sorted(summary["kinds"].items()):
        cells = [fmt_ci(summary["metrics"][m]["by_kind"].get(kind)) for m in metrics]
        lines.append(f"| {kind} | {n} | " + " | ".join(cells) + " |")
    return lines


def markdown(summary: dict[str, Any], records: list[dict[str, Any]]) -> str:
    """``report.md``."""
    meta, c = summary["meta"], summary["confusion"]
    out = [f"# tipguide evaluation — split `{meta.get('split')}`, {summary['n_questions']} questions",
           "", f"System: `{meta.get('system')}` · settings hash `{meta.get('settings_hash')}` · "
           f"{meta.get('started')} · {fmt(meta.get('seconds'), 1)} s", "", "## Headline", "",
           "| metric | mean [95 % CI] (n) |", "|---|---|"]
    out += [f"| {m} | {fmt_ci(summary['metrics'][m]['overall'])} |" for m in summary["headline"]]
    out += ["", "## Retrieval (answerable questions)", "", *retrieval_table(summary)]
    out += ["", "## Citations and answers", "", "| metric | mean [95 % CI] (n) |", "|---|---|"]
    for prefix in ("citation.", "answer.", "baseline.", "refusal.", "crag"):
        out += _metric_rows(summary, prefix)
    out += ["", "## Refusal", "", "| | answered | refused |", "|---|---:|---:|",
            f"| answerable | {c['answerable_answered']} | {c['answerable_refused']} |",
            f"| unanswerable | {c['unanswerable_answered']} | {c['unanswerable_refused']} |", "",
            f"Refusal recall {fmt(c['refusal_recall'])} · false-refusal rate "
            f"{fmt(c['false_refusal_rate'])}", "", "## Per kind", "", *kind_table(summary)]
    out += ["", "## Latency (seconds)", "", "| stage | p50 | p95 | n |", "|---|---:|---:|---:|"]
    out += [f"| {s} | {fmt(v['p50'], 4)} | {fmt(v['p95'], 4)} | {v['n']} |"
            for s, v in summary["latency"].items()]
    out += ["", "## Per question", "", "| id | kind | refused | kp coverage | citation recall | crag |",
            "|---|---|---|---:|---:|---:|"]
    for r in records:
        s = r["scores"]
        out.append(f"| {r['id']} | {r['kind']} | {s.get('refusal.refused')} | "
                   f"{fmt(s.get('answer.kp_coverage'))} | {fmt(s.get('citation.recall'))} | "
                   f"{fmt(s.get('crag'), 0)} |")
    out += ["", "## Notes", "", *[f"- {n}" for n in NOTES]]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------- html
def _md_table_to_html(lines: list[str]) -> str:
    rows = [ln.strip("|").split(" | ") for ln in lines if not ln.startswith("|---")]
    head = "".join(f"<th>{html.escape(c.strip())}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c.strip())}</td>" for c in r) + "</tr>"
                   for r in rows[1:])
    return f"<table><tr>{head}</tr>{body}</table>"


def _question_row(r: dict[str, Any]) -> str:
    esc = html.escape
    d, s = r.get("details", {}), r["scores"]
    sentences = "".join(
        f"<li class='{'ok' if x['supported'] else 'bad'}'>{esc(x['text'])} "
        f"<small>{esc(', '.join(x['citations']) or 'no citation')}</small></li>"
        for x in d.get("sentences", []))
    answer = f"<ol>{sentences}</ol>" if sentences else f"<p>{esc(d.get('answer', ''))}</p>"
    kps = "".join(f"<li class='{'ok' if k['conveyed'] else 'bad'}'>{esc(k['text'])}</li>"
                  for k in d.get("key_points", []))
    history = "".join(f"<div class='hist'>{esc(t['role'])}: {esc(t['content'])}</div>"
                      for t in r.get("history", []))
    verdict = "refused" if s.get("refusal.refused") else "answered"
    return (f"<tr><td>{esc(r['id'])}<br><small>{esc(r['kind'])}</small></td>"
            f"<td>{history}{esc(r['question'])}<br><small>gold: {esc(', '.join(r.get('gold', [])))}"
            f"</small></td><td>{answer}{esc(d.get('error', ''))}</td><td><ul>{kps}</ul></td>"
            f"<td>{verdict}<br>crag {fmt(s.get('crag'), 0)}<br>cite recall "
            f"{fmt(s.get('citation.recall'), 2)}<br>hybrid rank {esc(str(r.get('hybrid_rank')))}"
            f"</td></tr>")


CSS = """body{font-family:sans-serif;margin:2em;max-width:1200px}table{border-collapse:collapse;
margin:1em 0}td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top;font-size:13px}
.ok{color:#176e2c}.bad{color:#a11}.hist{color:#666;font-style:italic}img{margin:0.5em}"""


def html_report(summary: dict[str, Any], records: list[dict[str, Any]], md: str) -> str:
    """``report.html``: tables from the markdown sections, plots and the per-question table."""
    esc = html.escape
    plots = [p for p in (plot_recall_curves(summary), plot_by_kind(summary),
                         plot_confusion(summary), plot_latency(summary)) if p]
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>tipguide evaluation</title>"
             f"<style>{CSS}</style></head><body>"]
    block: list[str] = []
    for line in md.splitlines():
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            parts.append(_md_table_to_html(block))
            block = []
        if line.startswith("## Per question"):
            break
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            parts.append(f"<h{level}>{esc(line.lstrip('# '))}</h{level}>")
            if line.startswith("## Retrieval"):
                parts += [f"<img src='data:image/png;base64,{p}'>" for p in plots]
        elif line.strip():
            parts.append(f"<p>{esc(line.lstrip('- '))}</p>")
    parts.append("<h2>Per question</h2><table><tr><th>id</th><th>question</th><th>answer "
                 "(green = supported by its citations)</th><th>key points</th><th>verdicts</th></tr>")
    parts += [_question_row(r) for r in records]
    parts.append("</table><h2>Notes</h2><ul>" + "".join(f"<li>{esc(n)}</li>" for n in NOTES))
    return "\n".join(parts) + "</ul></body></html>\n"


def write_run(out_dir: Path, summary: dict[str, Any], records: list[dict[str, Any]]) -> None:
    """Write the four files of a run folder."""
    import matplotlib

    matplotlib.use("Agg")
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False),
                                          encoding="utf-8")
    (out_dir / "questions.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    md = markdown(summary, records)
    (out_dir / "report.md").write_text(md, encoding="utf-8")
    (out_dir / "report.html").write_text(html_report(summary, records, md), encoding="utf-8")
