"""Helpful / not helpful votes with an optional comment, kept in ``<data_dir>/feedback.jsonl``.

One line per answer: the record carries the answer's id (the chat exchange), the question, the
answer text and its citations, so feedback can be read later without the session that produced it.
A user can change their vote: the new vote *replaces* that answer's line instead of adding a second
one. Writes are serialised across threads and processes (several workers share a data dir) by an
exclusive lock on a side file, and the file is replaced atomically, so a reader never sees half of it.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from assistant.models import Answer

Rating = Literal["up", "down"]
MAX_COMMENT_CHARS = 2000
_LOCK = threading.Lock()


def feedback_record(answer_id: str, answer: Answer, rating: Rating,
                    comment: str = "") -> dict[str, object]:
    """The JSON object stored for one answer's vote."""
    return {
        "answer_id": answer_id,
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "rating": rating,
        "comment": comment.strip()[:MAX_COMMENT_CHARS],
        "question": answer.question,
        "answer": answer.answer,
        "refused": answer.refused,
        "mode": answer.mode,
        "settings_hash": answer.settings_hash,
        "citations": [
            {"n": c.n, "passage_id": c.passage_id, "citation": c.citation}
            for c in answer.citations
        ],
        "sentences": [
            {"text": s.text, "citations": s.citations, "support": s.support}
            for s in answer.sentences
        ],
    }


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Exclusive across this process's threads and across processes sharing the data dir."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _LOCK, open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read_feedback(data_dir: Path) -> list[dict[str, object]]:
    """Every stored vote, one per answer (lines that do not parse are skipped)."""
    path = Path(data_dir) / "feedback.jsonl"
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if isinstance(row, dict):
            out.append(row)
    return out


def record_vote(data_dir: Path, answer_id: str, answer: Answer, rating: Rating,
                comment: str = "") -> Path:
    """Store ``rating`` for answer ``answer_id``, replacing an earlier vote on the same answer.

    A changed vote without a new comment keeps the comment given before.
    """
    if rating not in ("up", "down"):
        raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
    path = Path(data_dir) / "feedback.jsonl"
    record = feedback_record(answer_id, answer, rating, comment)
    with _locked(path):
        rows = read_feedback(data_dir)
        previous = next((r for r in rows if r.get("answer_id") == answer_id), None)
        if previous is not None and not record["comment"]:
            record["comment"] = previous.get("comment", "")
        rows = [r for r in rows if r.get("answer_id") != answer_id] + [record]
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                       encoding="utf-8")
        os.replace(tmp, path)
    return path
