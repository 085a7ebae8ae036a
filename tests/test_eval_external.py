"""``tipguide eval --answers`` on a tiny fixture (hash embedder, real corpus, real support checker)
and ``tipguide eval --compare`` on the two resulting run folders."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from assistant.cli import cli
from assistant.evaluate.external import to_view
from assistant.models import Passage

QUESTIONS = [
    {"id": "s02", "question": "Which OHCHR guidelines elaborate the non-punishment principle?",
     "kind": "single", "answerable": True, "split": "test", "key_points": ["guidelines 2.5, 4.5 and 7.5"],
     "gold": [{"passage_id": "wg4-2022-2:para-5", "document_id": "wg4-2022-2",
               "quote": "the principle is elaborated in guidelines 2.5, 4.5 and 7.5"}]},
    {"id": "n01", "question": "How many victims were identified in Greece in 2018?",
     "kind": "near_miss", "answerable": False, "split": "test"},
]
GOOD = [
    {"id": "s02", "answer": "The principle is elaborated in guidelines 2.5, 4.5 and 7.5 of the "
     "OHCHR Recommended Principles. [1]",
     "citations": [{"document": "wg4-2022-2", "quote": "elaborated in guidelines 2.5, 4.5 and 7.5"}],
     "retrieved": ["wg4-2022-2:para-4", "wg4-2022-2:para-5"]},
    {"id": "n01", "answer": "The indexed documents do not address this question.", "citations": []},
]
BAD = [
    {"id": "s02", "answer": "The principle is elaborated in guidelines 2.5, 4.5 and 7.5 of the "
     "OHCHR Recommended Principles. [1]", "citations": ["wg4-2020-recs:recommendation-3"]},
    {"id": "n01", "answer": "About 120 victims were identified.", "citations": ["wg4-2020-recs:para-1"]},
]


def _jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _eval(tmp_path: Path, answers: Path, out: Path, questions: Path) -> dict:  # type: ignore[type-arg]
    result = CliRunner().invoke(cli, [
        "--data-dir", str(tmp_path / "data"), "--embedder", "hash", "eval", "--answers", str(answers),
        "--questions", str(questions), "--split", "all", "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads((out / "summary.json").read_text())


def test_answers_file_scored_then_compared(tmp_path: Path) -> None:
    questions = _jsonl(tmp_path / "q.jsonl", QUESTIONS)  # type: ignore[arg-type]
    good = _eval(tmp_path, _jsonl(tmp_path / "good.jsonl", GOOD), tmp_path / "A", questions)  # type: ignore[arg-type]
    m = {k: v["overall"]["mean"] if v["overall"] else None for k, v in good["metrics"].items()}
    assert m["citation.recall"] == 1.0 and m["citation.precision"] == 1.0
    assert m["citation.gold_hit"] == 1.0 and m["answer.kp_coverage"] == 1.0
    assert m["retrieval.external.recall@1"] == 0.0 and m["retrieval.external.mrr@10"] == 0.5
    assert m["refusal.recall"] == 1.0 and m["crag"] == 0.5  # +1 correct, 0 refused
    assert good["confusion"]["unanswerable_refused"] == 1

    bad = _eval(tmp_path, _jsonl(tmp_path / "bad.jsonl", BAD), tmp_path / "B", questions)  # type: ignore[arg-type]
    assert bad["metrics"]["citation.recall"]["overall"]["mean"] == 0.0
    assert bad["metrics"]["crag"]["overall"]["mean"] == -1.0  # wrong support + answered a near miss
    html = (tmp_path / "B" / "report.html").read_text()
    assert "data:image/png;base64," in html and "About 120 victims" in html

    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "eval", "--compare",
                                      str(tmp_path / "A"), str(tmp_path / "B"), "--json"])
    assert result.exit_code == 0, result.output
    rows = {r["metric"]: r for r in json.loads(result.output)["rows"]}
    assert rows["citation.recall"]["diff"]["mean"] == -1.0
    assert rows["citation.recall"]["verdict"] == "B worse"
    assert rows["refusal.recall"]["verdict"] == "B worse"


def test_markers_pick_citations_per_sentence_and_unmarked_sentences_get_all() -> None:
    ps = [Passage(id=f"d:{i}", document_id="d", label=str(i), text=f"text number {i} here") for i in (1, 2)]
    by_id = {p.id: p for p in ps}
    row = {"answer": "First claim [2]. Second claim.", "citations": ["d:1", {"document": "d", "quote": "NUMBER 2"}, "nope"]}
    view = to_view(row, by_id, ps)
    assert [(s.text, s.citations) for s in view.sentences] == [("First claim.", ["d:2"]), ("Second claim.", ["d:1", "d:2"])]
    assert view.unresolved_citations == 1 and not view.refused


def test_bad_answers_file_is_a_clean_error(tmp_path: Path) -> None:
    bad = tmp_path / "x.jsonl"
    bad.write_text('{"id": "s02", "answer": "x"}\nnot json\n')
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "data"), "--embedder", "hash", "eval",
                                      "--answers", str(bad)])
    assert result.exit_code == 1 and "x.jsonl:2: not JSON" in result.output
