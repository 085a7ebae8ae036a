"""Misspelt questions: retrieval and refusals with and without spelling correction.

    .venv/bin/python scripts/typo_bench.py [--sets practitioners:dev,questions:test]

Each answerable question (follow-ups aside) gets one random edit — a letter dropped, two swapped or
one doubled — in up to two of its words of six letters or more (seed 7, so every run sees the same
typos). It is then asked with ``spelling`` off and on, in the same process: hybrid recall@5 on the
question as the assistant searched it, and how many of these answerable questions were refused.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_SETS = "practitioners:dev,questions:dev,practitioners:test,questions:test"


def misspell(question: str, rng: random.Random) -> str:
    """One edit in each of up to two long words of ``question``."""
    from assistant.text import STOPWORDS

    words = [m for m in re.finditer(r"[A-Za-z]{6,}", question) if m.group(0).lower() not in STOPWORDS]
    rng.shuffle(words)
    out = question
    for m in sorted(words[:2], key=lambda m: -m.start()):
        w, i = m.group(0), rng.randrange(1, len(m.group(0)) - 1)
        edit = rng.choice("dsx")
        new = w[:i] + w[i + 1:] if edit == "d" else w[:i] + w[i + 1] + w[i] + w[i + 2:] if edit == "s" \
            else w[:i] + w[i] + w[i:]
        out = out[: m.start()] + new + out[m.end():]
    return out


def run(sets: list[tuple[str, str]]) -> None:
    from assistant.chat import Assistant
    from assistant.evaluate.questions import load_questions, select_split
    from assistant.settings import Settings, apply_offline_env

    apply_offline_env()
    print("| set · split | n | recall@5 spelling off / on | answerable refused off / on |")
    print("|---|---|---|---|")
    for name, split in sets:
        questions = [q for q in select_split(load_questions(ROOT / "eval" / f"{name}.jsonl"), split)
                     if q.answerable and not q.history]
        rng = random.Random(7)
        typed = [misspell(q.question, rng) for q in questions]
        cells = []
        for spelling in (False, True):
            assistant = Assistant.from_settings(Settings(spelling=spelling))
            found = refused = 0
            for q, text in zip(questions, typed, strict=True):
                answer = assistant.ask(text)
                hits = assistant.retriever.search(answer.standalone_question or text, k=5)
                found += any(h.passage.id in q.gold_ids for h in hits)
                refused += answer.refused
            cells.append((found / len(questions), refused))
        (r_off, n_off), (r_on, n_on) = cells
        print(f"| {name} · {split} | {len(questions)} | {r_off:.3f} / {r_on:.3f} | {n_off} / {n_on} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default=DEFAULT_SETS, help="name:split,… (files in eval/)")
    args = parser.parse_args()
    run([(name, split) for name, _, split in (s.partition(":") for s in args.sets.split(","))])


if __name__ == "__main__":
    main()
