"""Mapping the tutorial baseline's chunks onto paragraph gold."""

from __future__ import annotations

from assistant.evaluate.baseline import chunk_ranking, covered_passages
from assistant.evaluate.metrics import mrr_at_k, recall_at_k
from assistant.models import Passage


def _p(pid: str, start: int, end: int, doc: str = "d") -> Passage:
    return Passage(id=pid, document_id=doc, label=pid, text="x", span=(start, end))


PASSAGES = [_p("p1", 0, 300), _p("p2", 300, 1500), _p("p3", 1500, 1560), _p("q1", 0, 900, doc="e")]


def test_a_chunk_covers_passages_it_overlaps_enough() -> None:
    # chunk [250, 1250): 50 chars of p1 (< min(200, 150)) do not count; 950 of p2 do
    assert covered_passages("d", 250, 1250, PASSAGES) == ["p2"]
    # a short passage counts once half of it is inside the chunk
    assert covered_passages("d", 1000, 1535, PASSAGES) == ["p2", "p3"]
    assert covered_passages("d", 1000, 1520, PASSAGES) == ["p2"]
    assert covered_passages("e", 0, 1000, PASSAGES) == ["q1"]  # other documents are ignored


def test_chunk_ranking_marks_the_rank_of_the_first_chunk_covering_gold() -> None:
    ranked = chunk_ranking([["p1"], ["p2", "p3"], ["p3"]], {"p3"})
    assert ranked == ["<chunk-0>", "p3", "<chunk-2>"]  # the same gold passage counts once
    assert recall_at_k(ranked, {"p3"}, 1) == 0.0 and mrr_at_k(ranked, {"p3"}) == 0.5
