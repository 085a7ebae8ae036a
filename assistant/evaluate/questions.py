"""The curated question set: schema, loading and validation against the ingested passages.

A question's gold is stored as passage ids *and* exact quotes. Ids can change when ingestion changes
(a section renamed, a paragraph split differently); the quote does not. So validation checks each
quote against the passage its id names and, when the id is gone or no longer holds the quote,
re-resolves the id from the quote within the named document. Only a quote found nowhere in its
document is an error.

Run ``python -m assistant.evaluate.questions [FILE]`` to validate the set against the last ingest.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError, model_validator

from assistant.errors import TipguideError
from assistant.models import Passage, Turn
from assistant.settings import REPO_ROOT

Kind = Literal[
    "single", "list", "multi_doc", "paraphrase", "near_miss", "out_of_scope", "follow_up", "multi_part"
]
KINDS: tuple[str, ...] = (
    "single", "list", "multi_doc", "paraphrase", "near_miss", "out_of_scope", "follow_up", "multi_part"
)
# "blind" questions are kept aside: never used for tuning, run only when asked for by name.
Split = Literal["dev", "test", "blind"]
SPLITS = ("dev", "test", "blind", "all")
DEFAULT_PATH = REPO_ROOT / "eval" / "questions.jsonl"
# The second set: practitioners' questions written blind (without reading the documents).
PRACTITIONERS_PATH = REPO_ROOT / "eval" / "practitioners.jsonl"


class QuestionSetError(TipguideError):
    """The question file is unreadable or breaks the schema (message names the line)."""


class GoldRef(BaseModel):
    """One gold paragraph: its id at authoring time and the exact supporting quote."""

    passage_id: str
    document_id: str
    quote: str = Field(min_length=8)


class Question(BaseModel):
    """One curated question (see eval/README.md for the meaning of each field)."""

    id: str = Field(min_length=1)
    question: str = Field(min_length=3)
    kind: Kind
    answerable: bool
    split: Split
    gold: list[GoldRef] = Field(default_factory=list)
    key_points: list[str] = Field(default_factory=list)
    history: list[Turn] = Field(default_factory=list)
    role: str = ""  # who asks (prosecutor, shelter worker, ...), where the set records it
    asks_for: str = ""  # what the question asks for (name, date, count, list, ...), where recorded

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        if self.kind in ("near_miss", "out_of_scope") and self.answerable:
            raise ValueError(f"a {self.kind} question cannot be answerable")
        if not self.answerable and (self.gold or self.key_points):
            raise ValueError("an unanswerable question has no gold and no key points")
        if self.answerable and not self.gold:
            raise ValueError("an answerable question needs at least one gold passage")
        if self.answerable and not 1 <= len(self.key_points) <= 4:
            raise ValueError("an answerable question needs 1-4 key points")
        if self.kind == "follow_up" and not self.history:
            raise ValueError("a follow_up question needs its history")
        return self

    @property
    def gold_ids(self) -> set[str]:
        """The gold passage ids (after re-resolution, if any)."""
        return {g.passage_id for g in self.gold}


def load_questions(path: Path = DEFAULT_PATH) -> list[Question]:
    """Parse and schema-check the JSONL file; ids must be unique. Raises ``QuestionSetError``."""
    if not path.exists():
        raise QuestionSetError(f"question file not found: {path}")
    questions: list[Question] = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            questions.append(Question.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as exc:
            if isinstance(exc, ValidationError):
                reason = "; ".join(e["msg"] for e in exc.errors())
            else:
                reason = str(exc)
            raise QuestionSetError(f"{path.name}:{n}: {reason}") from None
    dupes = [i for i, c in Counter(q.id for q in questions).items() if c > 1]
    if dupes:
        raise QuestionSetError(f"{path.name}: duplicate ids {', '.join(sorted(dupes))}")
    return questions


def select_split(questions: list[Question], split: str) -> list[Question]:
    """``dev``, ``test``, ``blind`` or ``all`` (= dev + test: the blind split is only ever run
    when asked for by name, so it cannot leak into tuning by accident)."""
    if split == "all":
        return [q for q in questions if q.split != "blind"]
    if split not in SPLITS:
        raise QuestionSetError(f"unknown split {split!r}; use {', '.join(SPLITS)}")
    return [q for q in questions if q.split == split]


@dataclass
class ValidationReport:
    """What validation found: hard errors, re-resolved ids and soft warnings."""

    errors: list[str] = field(default_factory=list)
    remapped: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _locate(
    ref: GoldRef, by_id: dict[str, Passage], by_doc: dict[str, list[Passage]]
) -> tuple[str | None, bool]:
    """(passage id holding the quote, exact?): the named id first, then the whole document."""
    named = by_id.get(ref.passage_id)
    if named is not None and named.document_id == ref.document_id and ref.quote in named.text:
        return named.id, True
    candidates = by_doc.get(ref.document_id, [])
    exact = [p for p in candidates if ref.quote in p.text]
    if exact:
        return exact[0].id, True
    # Whitespace can change when a converter re-flows lines; accept that, but say so.
    loose = [p for p in candidates if _squash(ref.quote) in _squash(p.text)]
    return (loose[0].id, False) if loose else (None, False)


def validate_questions(questions: list[Question], passages: list[Passage]) -> ValidationReport:
    """Check every gold quote against the passages and re-resolve moved ids in place."""
    report = ValidationReport()
    by_id = {p.id: p for p in passages}
    by_doc: dict[str, list[Passage]] = {}
    for p in passages:
        by_doc.setdefault(p.document_id, []).append(p)
    for q in questions:
        for ref in q.gold:
            if ref.document_id not in by_doc:
                report.errors.append(f"{q.id}: unknown document {ref.document_id!r}")
                continue
            found, exact = _locate(ref, by_id, by_doc)
            if found is None:
                where = f"{q.id}: quote not found in {ref.document_id}"
                report.errors.append(f"{where}: {ref.quote[:60]!r}")
                continue
            if not exact:
                report.warnings.append(f"{q.id}: quote matches {found} only up to whitespace")
            if found != ref.passage_id:
                report.remapped[f"{q.id}:{ref.passage_id}"] = found
                ref.passage_id = found
    return report


def main(argv: list[str] | None = None) -> int:
    """Validate a question file against the live index's passages (or the corpus parsed now)."""
    from assistant.index import live_corpus
    from assistant.settings import Settings

    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_PATH
    settings = Settings.model_validate({})
    passages = list(live_corpus(settings).passages.values())
    try:
        questions = load_questions(path)
    except QuestionSetError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    report = validate_questions(questions, passages)
    for line in report.errors + report.warnings:
        print(line)
    print(f"{len(questions)} questions, {len(report.errors)} errors, "
          f"{len(report.remapped)} ids re-resolved, {len(report.warnings)} warnings")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
