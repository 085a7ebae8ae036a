"""Answering commands: ``ask`` (one question or a JSONL batch) and ``chat`` (a terminal conversation)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import click

from assistant.cli.common import clean_errors, echo_json, fail, for_terminal
from assistant.cli.index_cmds import filter_options, make_filters
from assistant.settings import Settings

BADGE = {"supported": ("✓", "green"), "weak": ("~", "yellow"), "unsupported": ("✗", "red")}
# Extractive sentences are verbatim quotes: their mark says how well they answer the question.
RELEVANCE_BADGE = {"direct": ("●", "green"), "related": ("◐", "yellow"), "background": ("○", "white")}
RELEVANCE_LEGEND = "● answers your question · ◐ related · ○ background (every sentence is quoted verbatim)"


def print_answer(answer, width: int = 100) -> None:
    """Human-readable answer: sentences with badges, then the cited paragraphs whole."""
    answer = for_terminal(answer)
    if answer.notice:
        click.secho(f"note: {answer.notice}", fg="yellow")
    if answer.refused:
        click.secho(textwrap.fill(answer.answer, width), fg="magenta")
        for i, h in enumerate(answer.searched, 1):
            click.secho(f"  searched {i}. {h['citation']}", dim=True)
        return
    numbers = {c.passage_id: c.n for c in answer.citations}
    for s in answer.sentences:
        mark, color = RELEVANCE_BADGE[s.relevance_level] if s.relevance_level else BADGE[s.support]
        cites = "".join(f"[{numbers[c]}]" for c in s.citations if c in numbers)
        click.echo(textwrap.fill(f"{s.text} {cites}", width, initial_indent=click.style(mark, fg=color) + " ",
                                 subsequent_indent="  "))
    if any(s.relevance_level for s in answer.sentences):
        click.secho(RELEVANCE_LEGEND, dim=True)
    click.echo()
    for c in answer.citations:
        click.secho(f"[{c.n}] {c.citation}", bold=True)
        click.secho(textwrap.fill(c.text.replace("\n", " "), width, initial_indent="    ",
                                  subsequent_indent="    "), dim=True)


def _batch(assistant, questions: Path, out: Path, filters) -> None:
    from tqdm import tqdm

    from assistant.errors import TipguideError
    from assistant.models import Turn

    lines = [json.loads(x) for x in questions.read_text(encoding="utf-8").splitlines() if x.strip()]
    failed = 0
    with out.open("w", encoding="utf-8") as fout:
        for i, item in enumerate(tqdm(lines, desc="ask", unit="q")):
            row: dict[str, object] = {"id": item.get("id", i)}
            try:
                history = [Turn(**t) for t in item.get("history", [])]
                row |= assistant.ask(str(item.get("question", "")), history, filters).model_dump()
            except TipguideError as exc:
                row["error"] = str(exc)
            except Exception as exc:  # a fault on one question must not lose the rest
                failed += 1
                row["error"] = f"internal error ({type(exc).__name__}: {exc})"
            fout.write(json.dumps(row, ensure_ascii=False) + "\n")
    click.echo(f"{len(lines)} answers -> {out}", err=True)
    if failed:
        # every answer is written; the run still fails, so a script or CI reading it notices
        raise click.ClickException(f"{failed} of {len(lines)} questions failed with an internal error "
                                   f"(each marked \"error\" in {out})")


@click.command()
@click.argument("question", required=False)
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print the answer object as JSON.")
@click.option("--questions", type=click.Path(exists=True, path_type=Path),
              help="Batch input JSONL: {id, question, history}.")
@click.option("--out", type=click.Path(path_type=Path), help="Batch output JSONL: {id, ...answer}.")
@click.pass_obj
@clean_errors
def ask(settings: Settings, question: str | None, as_json: bool, questions: Path | None,
        out: Path | None, **flt: object) -> None:
    """Answer QUESTION from the indexed documents, each sentence cited and verified."""
    from assistant.chat import Assistant

    filters = make_filters(**flt)  # type: ignore[arg-type]
    if questions is None and question is None:
        fail("give a QUESTION or --questions IN.jsonl --out OUT.jsonl")
    assistant = Assistant.from_settings(settings)
    if questions is not None:
        if out is None:
            fail("--questions needs --out")
        _batch(assistant, questions, out, filters)  # type: ignore[arg-type]
        return
    answer = assistant.ask(str(question), filters=filters)
    if as_json:
        echo_json(answer.model_dump())
    else:
        print_answer(answer)


@click.command()
@click.pass_obj
@clean_errors
def chat(settings: Settings) -> None:
    """A conversation in the terminal (empty line or Ctrl-D to quit, /new to start over)."""
    from assistant.chat import Assistant
    from assistant.errors import TipguideError
    from assistant.models import Turn

    assistant = Assistant.from_settings(settings)
    history: list[Turn] = []
    click.secho(f"tipguide chat ({assistant.health()['mode']} mode) — ask about trafficking in persons "
                "and smuggling of migrants.", bold=True)
    while True:
        try:
            q = click.prompt("\nyou", default="", show_default=False)
        except (EOFError, click.Abort):
            break
        if not q.strip():
            break
        if q.strip() == "/new":
            history = []
            continue
        try:
            answer = assistant.ask(q, history)
        except TipguideError as exc:
            click.secho(f"error: {exc}", fg="red")
            continue
        print_answer(answer)
        history += [Turn(role="user", content=q), Turn(role="assistant", content=answer.answer)]


COMMANDS = [ask, chat]
