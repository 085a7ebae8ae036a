"""Scoring another system's answers (``tipguide eval --answers FILE.jsonl``).

Each line: ``{"id": ..., "answer": "...", "citations": [...]}`` plus, optionally,
``"refused": true|false`` and ``"retrieved": [...]`` (a ranked list scored like a retriever).
A citation is a passage id (``"wg4-2022-2:para-12"``) or ``{"document": id, "quote": "..."}``,
matched to the passage of that document containing the quote (whitespace- and case-insensitive).
The answer is split into sentences; a sentence's citations are the markers it carries (``[1]``,
``[2][3]``, 1-based into ``citations``) and, when it carries none, all the answer's citations.
Without a ``refused`` field, an answer is a refusal when it is empty or cites nothing and reads
like one ("do not address", "cannot answer", ...).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from assistant.errors import TipguideError
from assistant.evaluate.scoring import AnswerView, SentenceView
from assistant.lookup import find_by_quote
from assistant.models import Passage
from assistant.text import markers_in, split_sentences, strip_markers

RE_REFUSAL = re.compile(
    r"\b(do(?:es)? not (?:address|answer|cover|say|mention|contain)|cannot (?:answer|find)|"
    r"can't (?:answer|find)|no (?:information|relevant passage)|not (?:addressed|covered|stated)|"
    r"i don't know|unable to answer|outside (?:the|my) scope)\b", re.I)


class AnswersFileError(TipguideError):
    """The ``--answers`` file is unreadable or a line breaks the format."""


def load_answers(path: Path) -> dict[str, dict[str, Any]]:
    """Lines by id; raises ``AnswersFileError`` naming the line."""
    if not path.exists():
        raise AnswersFileError(f"answers file not found: {path}")
    out: dict[str, dict[str, Any]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise AnswersFileError(f"{path.name}:{n}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict) or "id" not in row or not isinstance(row.get("answer", ""), str):
            raise AnswersFileError(f"{path.name}:{n}: needs an \"id\" and a string \"answer\"")
        if not isinstance(row.get("citations", []), list):
            raise AnswersFileError(f"{path.name}:{n}: \"citations\" must be a list")
        out[str(row["id"])] = row
    return out


def resolve_citation(cite: Any, by_id: dict[str, Passage], passages: list[Passage]) -> str | None:
    """A passage id for one citation (an id, or a {document, quote} object), or None."""
    if isinstance(cite, str):
        return cite if cite in by_id else None
    if isinstance(cite, dict) and isinstance(cite.get("quote"), str):
        doc = cite.get("document") or cite.get("document_id")
        found = find_by_quote(passages, str(doc) if doc else None, cite["quote"])
        return found.id if found else None
    if isinstance(cite, dict) and isinstance(cite.get("passage_id"), str):
        return cite["passage_id"] if cite["passage_id"] in by_id else None
    return None


def _sentence_citations(sentence: str, resolved: list[str | None]) -> list[str]:
    marks = markers_in(sentence)
    if not marks:
        return [r for r in resolved if r]
    return [r for m in marks if 1 <= m <= len(resolved) and (r := resolved[m - 1])]


def to_view(row: dict[str, Any], by_id: dict[str, Passage], passages: list[Passage]) -> AnswerView:
    """One external answer as the metrics see it."""
    text = str(row.get("answer", "")).strip()
    resolved = [resolve_citation(c, by_id, passages) for c in row.get("citations", [])]
    refused = row.get("refused")
    if refused is None:
        refused = not text or (not any(resolved) and bool(RE_REFUSAL.search(text)))
    sentences = [] if refused else [
        SentenceView(strip_markers(s), _sentence_citations(s, resolved))
        for s in split_sentences(text) if strip_markers(s)
    ]
    plain = " ".join(s.text for s in sentences) if sentences else text
    return AnswerView(plain, bool(refused), sentences,
                      unresolved_citations=sum(r is None for r in resolved))


def retrieved_ids(row: dict[str, Any], by_id: dict[str, Passage], passages: list[Passage]) -> list[str] | None:
    """The optional ranked ``retrieved`` list as passage ids (unresolvable entries kept as misses)."""
    items = row.get("retrieved")
    if not isinstance(items, list):
        return None
    return [resolve_citation(c, by_id, passages) or f"<unresolved-{i}>" for i, c in enumerate(items)]
