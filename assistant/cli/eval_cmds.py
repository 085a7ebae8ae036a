"""``tipguide eval``: score tipguide (or another system's answers) on the curated question set, or
compare two runs. Heavy imports happen inside the command so ``tipguide --help`` stays instant."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from assistant.cli.common import clean_errors, echo_json
from assistant.settings import Settings


def _headline(out: Path, summary: dict[str, Any]) -> None:
    from assistant.evaluate.report import fmt_ci, retrieval_table

    meta = summary["meta"]
    click.echo(f"{meta['system']} · split {meta['split']} · {summary['n_questions']} questions · "
               f"{meta['seconds']} s")
    for line in retrieval_table(summary):
        click.echo(line)
    for metric in summary["headline"]:
        if not metric.startswith("retrieval."):
            click.echo(f"  {metric:<26} {fmt_ci(summary['metrics'][metric]['overall'])}")
    c = summary["confusion"]
    click.echo(f"  refusal matrix: answerable {c['answerable_answered']} answered / "
               f"{c['answerable_refused']} refused; unanswerable {c['unanswerable_answered']} "
               f"answered / {c['unanswerable_refused']} refused")
    for stage, v in summary["latency"].items():
        click.echo(f"  latency {stage:<10} p50 {1000 * (v['p50'] or 0):7.1f} ms  "
                   f"p95 {1000 * (v['p95'] or 0):7.1f} ms")
    click.echo(f"report: {out / 'report.html'}")


def _compare(runs: tuple[Path, Path], out: Path | None, as_json: bool) -> None:
    from assistant.evaluate.compare import compare_markdown, compare_runs

    result = compare_runs(*runs)
    md = compare_markdown(result)
    if out:
        import json

        out.mkdir(parents=True, exist_ok=True)
        (out / "compare.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
        (out / "compare.md").write_text(md, encoding="utf-8")
    if as_json:
        echo_json(result)
    else:
        click.echo(md)


@click.command("eval")
@click.option("--split", type=click.Choice(["test", "dev", "blind", "all"]), default="test", show_default=True,
              help="Which part of the question set (headline numbers are test; blind only by name; "
                   "all = dev + test).")
@click.option("--out", type=click.Path(path_type=Path),
              help="Run folder (default: <data_dir>/eval/<timestamp>).")
@click.option("--answers", type=click.Path(path_type=Path, dir_okay=False),
              help="Score another system's answers: JSONL of {id, answer, citations}.")
@click.option("--compare", nargs=2, type=click.Path(path_type=Path, file_okay=False),
              metavar="RUN_A RUN_B", help="Paired comparison of two run folders.")
@click.option("--no-baseline", is_flag=True, help="Skip the LangChain-tutorial baseline row.")
@click.option("--questions", "questions_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Question file (default: eval/questions.jsonl; the practitioners' set is "
                   "eval/practitioners.jsonl).")
@click.option("--limit", type=int, help="Only the first N questions of the split (smoke runs).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary (or comparison) as JSON.")
@click.pass_obj
@clean_errors
def eval_cmd(settings: Settings, split: str, out: Path | None, answers: Path | None,
             compare: tuple[Path, Path] | None, no_baseline: bool, questions_path: Path | None,
             limit: int | None, as_json: bool) -> None:
    """Evaluate retrieval, citations, answers, refusals and latency on the curated question set."""
    if compare:
        _compare(compare, out, as_json)
        return
    from assistant.evaluate.questions import DEFAULT_PATH
    from assistant.evaluate.runner import EvalOptions, run_eval

    opts = EvalOptions(split=split, out=out, answers=answers, baseline=not no_baseline,
                       questions_path=questions_path or DEFAULT_PATH, limit=limit,
                       progress=not as_json)
    folder, summary = run_eval(settings, opts)
    if as_json:
        echo_json({"out": str(folder), **summary})
    else:
        _headline(folder, summary)
    failed = summary["meta"].get("internal_errors") or []
    if failed:
        # the run folder is written; the figures count these as refused, so the run still fails
        raise click.ClickException(f"{len(failed)} of {summary['n_questions']} questions failed with an internal "
                                   f"error and are scored as refused ({', '.join(failed[:5])}); see {folder}")


COMMANDS = [eval_cmd]
