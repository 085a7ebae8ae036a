"""Corpus-stage commands: ``ingest``, ``passages``, ``show``, ``add``."""

from __future__ import annotations

import textwrap
from pathlib import Path

import click

from assistant.cli.common import clean_errors, echo_json, fail, for_terminal
from assistant.corpus import MANIFEST, Corpus
from assistant.ingest.metadata import ReadMetadata
from assistant.ingest.parser import ParseResult
from assistant.models import Document, Passage
from assistant.settings import Settings
from assistant.text import terminal_safe


def print_passage(p: Passage, doc: Document | None, width: int = 100) -> None:
    """Human-readable passage: citation, text, footnotes."""
    p, doc = for_terminal(p), for_terminal(doc) if doc else None
    page = f"  (p. {p.page})" if p.page else ""
    click.secho(f"{p.citation_label(doc)}{page}", bold=True)
    click.secho(f"  id: {p.id}   section: {' › '.join(p.section_path) or '-'}", dim=True)
    for para in p.text.split("\n"):
        click.echo(textwrap.fill(para, width, initial_indent="  ", subsequent_indent="  "))
    for fn in p.footnotes:
        click.secho(textwrap.fill(f"[{fn.marker}] {fn.text}", width, initial_indent="    ",
                                  subsequent_indent="      "), dim=True)


def _load(settings: Settings) -> Corpus:
    """The live index version's texts (what search and answers read); before the first build,
    the corpus parsed now, without writing anything."""
    from assistant.index import live_corpus

    return live_corpus(settings)


@click.command()
@click.pass_obj
@clean_errors
def ingest(settings: Settings) -> None:
    """Parse every corpus document and report its passages (a check: nothing is written;
    `tipguide index` builds the version that search, answers, `show` and `passages` read)."""
    from tqdm import tqdm

    from assistant.ingest import ingest_corpus

    with tqdm(desc="ingest", unit="doc", leave=False) as bar:

        def tick(_doc: str) -> None:
            bar.update(1)

        report = ingest_corpus(settings, progress=tick, write=False)
    counts: dict[str, int] = {}
    for p in report.passages:
        counts[p.document_id] = counts.get(p.document_id, 0) + 1
    for doc_id, n in counts.items():
        click.echo(f"  {doc_id:<28} {n:>5} passages")
    for warning in report.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    for error in report.errors:
        click.secho(f"error: {error}", fg="red", err=True)
    click.echo(f"{len(report.passages)} passages from {len(counts)} documents in {report.seconds:.2f} s")
    if not report.ok:
        raise SystemExit(1)


@click.command()
@click.argument("doc", required=False)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per passage.")
@click.pass_obj
@clean_errors
def passages(settings: Settings, doc: str | None, as_json: bool) -> None:
    """List the passages of DOC (a document id), or of every document, with their labels."""
    corpus = _load(settings)
    docs, items = corpus.documents, list(corpus.passages.values())
    if doc is not None:
        if doc not in docs:
            fail(f"no document {doc!r} in the index; known: {', '.join(docs)} "
                 "(run `tipguide index` after `tipguide add`)")
        items = corpus.of_document(doc)
    if as_json:
        echo_json([p.to_json(p.citation_label(docs.get(p.document_id))) for p in items])
        return
    for p in map(for_terminal, items):
        preview = p.text.replace("\n", " ")
        label = terminal_safe(p.citation_label(docs.get(p.document_id)))
        click.echo(f"{label:<60}  {preview[:70]}…")  # padded, never cut: a label is whole


@click.command()
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
@clean_errors
def show(settings: Settings, ref: str, as_json: bool) -> None:
    """Print one passage whole: REF is a passage id or e.g. "CTOC/COP/WG.4/2022/2 para 12"."""
    from assistant.lookup import find_reference

    corpus = _load(settings)
    found = find_reference(list(corpus.documents.values()), list(corpus.passages.values()), ref)
    if found is None:
        fail(f"no passage matches {ref!r} (try `tipguide passages` to list labels)")
        return
    p, sub = found.passage, found.sub_item
    citation = corpus.citation(p)
    if as_json:
        data = p.to_json(citation)
        if sub is not None:  # the sub-item the reference names, inside its whole paragraph
            data["sub_item"] = {"citation": p.sub_item_citation(citation, sub), "text": sub.text}
        echo_json(data)
        return
    if sub is not None:
        click.secho(p.sub_item_citation(citation, sub), bold=True)
        click.echo(textwrap.fill(sub.text, 100, initial_indent="  ", subsequent_indent="  "))
        click.secho("  in the whole paragraph:", dim=True)
    print_passage(p, corpus.document_of(p))


@click.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--title")
@click.option("--short-title")
@click.option("--symbol", help="UN document symbol, e.g. E/2002/68/Add.1")
@click.option("--body", help="Issuing body: UNODC, OHCHR, CEDAW, Working Group on Trafficking in Persons…")
@click.option("--type", "doc_type", help="treaty, soft law, guidance/toolkit, background paper, report, presentation…")
@click.option("--date", help="YYYY or YYYY-MM-DD")
@click.option("--url")
@click.option("--id", "doc_id", help="Document id (default: derived from symbol or title)")
@click.pass_obj
@clean_errors
def add(settings: Settings, file: Path, doc_type: str | None, doc_id: str | None, **meta: str | None) -> None:
    """Add a PDF, DOCX, HTML or Markdown/text FILE to the corpus (checked to parse first)."""
    from assistant.corpus import add_document, check_field
    from assistant.ingest import parse_file
    from assistant.ingest.metadata import completed

    if meta.get("date") and not (str(meta["date"])[:4].isdigit()):
        fail("--date must look like YYYY or YYYY-MM-DD")
    for name, value in {**meta, "type": doc_type, "id": doc_id}.items():
        check_field(name, value or "")  # before the (slow) parse: a one-line error at once
    probe = Document(id="probe", file=str(file), title=str(meta.get("title") or file.stem))
    result = parse_file(probe, file, settings, details=True)  # raises a clean IngestError on bad files
    given = {k: str(v) for k, v in {**meta, "type": doc_type, "id": doc_id}.items() if v}
    doc = add_document(settings.corpus_dir, file, completed(given, result.metadata))
    click.echo(f"added {doc.id} ({len(result.passages)} passages) -> {settings.corpus_dir / doc.file}")
    _echo_read(result.metadata, given, settings.corpus_dir / MANIFEST)
    _echo_recognition(result)
    click.echo("run `tipguide index` to make it searchable")


def _echo_read(read: ReadMetadata, given: dict[str, str], manifest: Path) -> None:
    """What was taken from the file itself for the fields left empty, and where it was read."""
    used = {k: v for k, v in read.fields.items() if not given.get(k)}
    for name, value in used.items():
        click.echo(f"read from the file: {name} = {value} ({read.sources[name]})")
    if used:
        click.secho(f"  a wrong reading is corrected in {manifest}; re-index after", dim=True)


def _echo_recognition(result: ParseResult) -> None:
    """What ``add`` recognised in the file, and a loud warning for text it could not place."""
    from assistant.ingest.report import recognition_report

    summary, warnings = recognition_report(result)
    click.echo(f"recognised: {summary}")
    for warning in warnings:
        click.secho(f"WARNING: {warning}", fg="yellow", bold=True, err=True)


COMMANDS = [ingest, passages, show, add]
