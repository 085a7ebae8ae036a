"""The off-topic gate on questions written for it: what it declines, and what it wrongly declines.

    .venv/bin/python scripts/gate_bench.py [--probes eval/gate_probes.jsonl] [--split dev]

Each probe is ``{"id", "split", "kind", "question"}`` with kind ``adjacent`` (a subject next to the
field that the texts do not cover), ``unrelated`` or ``in_scope`` (a question about trafficking or
smuggling, often told as a case that looks like an ordinary offence at first). Per split: how many
out-of-scope probes are declined (for any reason, as the evaluator counts them), how many in-scope
ones are declined as off-topic, and the largest neighbouring-subject margin of an in-scope probe —
how close the gate's bar (``Settings.effective_neighbour_margin``) comes to refusing one (a question
naming the texts or one of their paragraphs is never declined by this gate, whatever its margin).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def load_probes(path: Path, split: str) -> list[dict[str, str]]:
    """The probes of ``split`` ("all" for every one); a malformed line stops with its number."""
    probes = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            p = json.loads(line)
            if p["kind"] not in ("adjacent", "unrelated", "in_scope") or not p["question"].strip():
                raise ValueError(f"unknown kind {p['kind']!r} or empty question")
        except (ValueError, KeyError) as exc:
            raise SystemExit(f"{path.name}:{n}: {exc}") from None
        if split in ("all", p["split"]):
            probes.append(p)
    return probes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--probes", type=Path, default=ROOT / "eval" / "gate_probes.jsonl")
    ap.add_argument("--split", default="all", help="dev, blind or all (each split reported apart)")
    args = ap.parse_args()

    from assistant.chat import Assistant
    from assistant.settings import Settings

    assistant = Assistant.from_settings(Settings())
    retriever = assistant.retriever
    rows: dict[str, dict[str, list[tuple[bool, str, float, str]]]] = defaultdict(lambda: defaultdict(list))
    for p in load_probes(args.probes, args.split):
        answer = assistant.ask(p["question"])
        hits = retriever.search(p["question"])
        _, margin = retriever.nearest_neighbour_field(p["question"], hits[:10])
        rows[p["split"]][p["kind"]].append((answer.refused, answer.refusal_kind, margin, p["question"]))
    print(f"neighbour margin bar: {assistant.settings.effective_neighbour_margin}")
    for split, kinds in sorted(rows.items()):
        out = kinds["adjacent"] + kinds["unrelated"]
        ins = kinds["in_scope"]
        print(f"[{split}] out of scope declined {sum(r[0] for r in out)}/{len(out)} "
              f"(adjacent {sum(r[0] for r in kinds['adjacent'])}/{len(kinds['adjacent'])}, "
              f"unrelated {sum(r[0] for r in kinds['unrelated'])}/{len(kinds['unrelated'])}); "
              f"in scope declined as off-topic {sum(r[1] == 'off_topic' for r in ins)}/{len(ins)}, "
              f"refused for any reason {sum(r[0] for r in ins)}/{len(ins)}; "
              f"largest in-scope margin {max((r[2] for r in ins), default=float('nan')):.3f}")
        for refused, _kind, margin, question in out:
            if not refused:
                print(f"  answered (margin {margin:+.3f}): {question[:110]}")
        for _refused, kind, margin, question in ins:
            if kind == "off_topic":
                print(f"  in scope, declined (margin {margin:+.3f}): {question[:110]}")


if __name__ == "__main__":
    main()
