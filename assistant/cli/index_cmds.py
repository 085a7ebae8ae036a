"""Index and search commands: ``index``, ``search`` (single query or a JSONL batch)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import click

from assistant.cli.common import clean_errors, echo_json, fail, for_terminal
from assistant.settings import Settings


def filter_options(func):
    """--doc/--body/--type/--year-from/--year-to, shared by search and ask."""
    for option in reversed([
        click.option("--doc", "docs", multiple=True, help="Only this document id (repeatable)."),
        click.option("--body", "bodies", multiple=True, help="Only this issuing body (repeatable)."),
        click.option("--type", "types", multiple=True, help="Only this document type (repeatable)."),
        click.option("--year-from", type=int),
        click.option("--year-to", type=int),
    ]):
        func = option(func)
    return func


def make_filters(docs: tuple[str, ...], bodies: tuple[str, ...], types: tuple[str, ...],
                 year_from: int | None, year_to: int | None):
    from assistant.models import Filters

    return Filters(documents=list(docs), bodies=list(bodies), types=list(types),
                   year_from=year_from, year_to=year_to)


@click.command()
@click.option("--rebuild", is_flag=True,
              help="Build from scratch (every window embedded again, the embedding cache refreshed), "
                   "then switch; the live index serves until the new one is complete.")
@click.pass_obj
@clean_errors
def index(settings: Settings, rebuild: bool) -> None:
    """Build (or refresh) the index; the previous version serves until the new one is complete."""
    from tqdm import tqdm

    from assistant.index import build_index

    with tqdm(total=100, desc="index", bar_format="{desc}: {percentage:3.0f}%|{bar}| {postfix}") as bar:
        def progress(msg: str, frac: float) -> None:
            bar.n = int(frac * 100)
            bar.set_postfix_str(msg)

        s = build_index(settings, rebuild=rebuild, progress=progress)
    for w in s.warnings:
        click.secho(f"warning: {w}", fg="yellow", err=True)
    for e in s.errors:
        click.secho(f"error: {e}", fg="red", err=True)
    if s.up_to_date:
        click.echo(f"index {s.version} is up to date ({s.passages} passages) — checked in {s.seconds:.2f} s")
    else:
        click.echo(f"index {s.version}: {s.passages} passages, {s.units} windows "
                   f"({s.embedded} embedded, {s.cached} from cache) in {s.seconds:.1f} s")
    if s.errors:
        raise SystemExit(1)


def _print_hits(hits: list, width: int = 100) -> None:
    if not hits:
        click.echo("no passages found")
    for i, h in enumerate(map(for_terminal, hits), 1):
        scores = f"fused {h.score:.4f}  bm25 {h.bm25 or 0:.2f} (#{h.bm25_rank or '-'})  dense {h.dense or 0:.3f} (#{h.dense_rank or '-'})"
        click.secho(f"{i:>2}. {h.citation}", bold=True)
        click.secho(f"    {h.passage.id}   {scores}", dim=True)
        text = h.passage.text.replace("\n", " ")
        click.echo(textwrap.fill(text[:600] + ("…" if len(text) > 600 else ""), width,
                                 initial_indent="    ", subsequent_indent="    "))


@click.command()
@click.argument("query", required=False)
@click.option("--k", type=int, default=None, help="How many passages (default 10).")
@click.option("--method", type=click.Choice(["hybrid", "bm25", "dense"]), default="hybrid")
@filter_options
@click.option("--json", "as_json", is_flag=True)
@click.option("--queries", type=click.Path(exists=True, path_type=Path), help="Batch input JSONL: {id, query}.")
@click.option("--out", type=click.Path(path_type=Path), help="Batch output JSONL: {id, hits}.")
@click.pass_obj
@clean_errors
def search(settings: Settings, query: str | None, k: int | None, method: str, as_json: bool,
           queries: Path | None, out: Path | None, **flt: object) -> None:
    """Ranked paragraphs for QUERY, with citation labels, scores and text."""
    from assistant.errors import BadQueryError
    from assistant.retrieve import Retriever

    filters = make_filters(**flt)  # type: ignore[arg-type]
    if queries is not None:
        if out is None:
            fail("--queries needs --out")
        retriever = Retriever.open(settings)
        n = 0
        with queries.open(encoding="utf-8") as fin, out.open("w", encoding="utf-8") as fout:  # type: ignore[union-attr]
            for line_no, line in enumerate(fin, 1):
                if not line.strip():
                    continue
                item = json.loads(line)
                try:
                    hits = [h.to_json() for h in retriever.search(str(item.get("query", "")), k, filters, method)]  # type: ignore[arg-type]
                    row = {"id": item.get("id", line_no), "hits": hits}
                except BadQueryError as exc:
                    row = {"id": item.get("id", line_no), "hits": [], "error": str(exc)}
                fout.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
        click.echo(f"{n} queries -> {out}", err=True)
        return
    if query is None:
        fail("give a QUERY or --queries IN.jsonl --out OUT.jsonl")
    retriever = Retriever.open(settings)
    if retriever.stale:
        click.secho("warning: the corpus or settings changed since the index was built; run `tipguide index`",
                    fg="yellow", err=True)
    found = retriever.search(str(query), k, filters, method)  # type: ignore[arg-type]
    if as_json:
        echo_json([h.to_json() for h in found])
    else:
        _print_hits(found)


COMMANDS = [index, search]
