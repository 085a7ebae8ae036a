"""Thumbs up/down with an optional comment, appended as JSONL to ``<data_dir>/feedback.jsonl``.

The record carries the question, the answer text and its citations, so feedback can be read later
without the session that produced it. Appends are serialised by a lock: several browser sessions
share one server process.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from assistant.models import Answer

Rating = Literal["up", "down"]
MAX_COMMENT_CHARS = 2000
_LOCK = threading.Lock()


def feedback_record(answer: Answer, rating: Rating, comment: str = "") -> dict[str, object]:
    """The JSON object stored for one vote."""
    return {
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


def append_feedback(data_dir: Path, answer: Answer, rating: Rating, comment: str = "") -> Path:
    """Append one vote to ``feedback.jsonl`` under ``data_dir`` and return the file's path."""
    if rating not in ("up", "down"):
        raise ValueError(f"rating must be 'up' or 'down', not {rating!r}")
    path = Path(data_dir) / "feedback.jsonl"
    line = json.dumps(feedback_record(answer, rating, comment), ensure_ascii=False)
    with _LOCK:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")
    return path
