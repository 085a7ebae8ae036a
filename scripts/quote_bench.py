"""Finding where a pasted sentence comes from: a drafter copies a sentence and searches for its source.

    .venv/bin/python scripts/quote_bench.py [--every 1] [--words 12]

Every sentence of at least ``--words`` words that only one paragraph of the live index contains
(title pages left out) is searched three ways — as pasted, wrapped in a question ('Where does it
say "…"?') and cut to its first ``--words`` words — and the rank of its paragraph is counted: how
often it comes first and how often in the top 5. ``--every N`` takes every N-th such sentence (a
quick run). Sentences several paragraphs share (a table header repeated on each row) have no single
source and are not counted.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--every", type=int, default=1, help="take every N-th sentence")
    ap.add_argument("--words", type=int, default=12, help="shortest sentence counted, in words")
    args = ap.parse_args()

    from assistant.retrieve import Retriever
    from assistant.settings import Settings
    from assistant.text import split_sentences

    r = Retriever.open(Settings())
    texts = {pid: p.text for pid, p in r.passages.items() if p.label_kind != "front"}
    sentences = [(pid, s) for pid, text in texts.items() for s in split_sentences(text)
                 if len(s.split()) >= args.words]
    unique = [(pid, s) for pid, s in sentences if sum(s in t for t in texts.values()) == 1][::args.every]
    ways = {"as pasted": lambda s: s, "in a question": lambda s: f'Where does it say "{s}"?',
            f"first {args.words} words": lambda s: " ".join(s.split()[:args.words])}
    print(f"{len(unique)} sentences found in one paragraph each ({len(texts)} paragraphs)")
    for name, shape in ways.items():
        ranks: Counter[str] = Counter()
        missed = []
        for pid, sentence in unique:
            ids = [h.passage.id for h in r.search(shape(sentence), k=5)]
            rank = ids.index(pid) + 1 if pid in ids else 0
            ranks["first" if rank == 1 else "top 5" if rank else "below 5"] += 1
            if rank != 1:
                missed.append(f"    rank {rank or '>5'}: {r.citation(r.passages[pid])}: {sentence[:80]}")
        n = len(unique)
        print(f"{name:16s} first {ranks['first']}/{n} ({ranks['first'] / n:.3f}), "
              f"top 5 {ranks['first'] + ranks['top 5']}/{n}")
        print("\n".join(missed[:8]))


if __name__ == "__main__":
    main()
