"""The curated question set stays valid: schema, unique ids, quotes found in their documents,
and the mix of kinds/splits the evaluator's report relies on. Also the validator's own behaviour."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from assistant.evaluate.questions import (
    DEFAULT_PATH,
    PRACTITIONERS_PATH,
    QuestionSetError,
    load_questions,
    select_split,
    validate_questions,
)
from assistant.ingest import ingest_corpus
from assistant.models import Passage
from assistant.settings import Settings


@pytest.fixture(scope="module")
def passages(tmp_path_factory: pytest.TempPathFactory) -> list[Passage]:
    data_dir = tmp_path_factory.mktemp("data")
    settings = Settings.model_validate({"data_dir": data_dir, "embedder": "hash"})
    return ingest_corpus(settings, write=False).passages


def test_committed_set_is_valid_against_the_corpus(passages: list[Passage]) -> None:
    questions = load_questions(DEFAULT_PATH)
    report = validate_questions(questions, passages)
    assert report.errors == []
    assert report.warnings == []  # every quote is an exact substring
    ids = {p.id for p in passages}
    assert all(g.passage_id in ids for q in questions for g in q.gold)


def test_committed_set_has_the_required_mix() -> None:
    questions = load_questions(DEFAULT_PATH)
    kinds = Counter(q.kind for q in questions)
    assert len(questions) >= 110
    assert kinds["near_miss"] + kinds["out_of_scope"] >= 20
    assert kinds["follow_up"] >= 10 and kinds["list"] >= 12 and kinds["multi_doc"] >= 10
    docs = {g.document_id for q in questions for g in q.gold}
    assert docs == {
        "unodc-np-2023", "wg4-2022-2", "unodc-toolkit-1", "wg4-2020-recs", "unodc-ares-72-179"
    }
    multi = [q for q in questions if q.kind == "multi_doc"]
    assert all(len({g.document_id for g in q.gold}) >= 2 for q in multi)
    for kind in kinds:  # stratified split: roughly 40 % dev in every kind
        share = sum(q.split == "dev" for q in questions if q.kind == kind) / kinds[kind]
        assert 0.25 <= share <= 0.5, kind
    dev, test = select_split(questions, "dev"), select_split(questions, "test")
    assert len(dev) + len(test) == len(questions)


def test_practitioners_set_is_valid_and_keeps_a_blind_split(passages: list[Passage]) -> None:
    questions = load_questions(PRACTITIONERS_PATH)
    report = validate_questions(questions, passages)
    assert report.errors == [] and report.warnings == []
    splits = Counter(q.split for q in questions)
    assert set(splits) == {"dev", "test", "blind"} and min(splits.values()) >= 25
    for split in ("dev", "test", "blind"):  # every split has unanswerable questions to refuse
        part = [q for q in questions if q.split == split]
        assert sum(not q.answerable for q in part) >= 5
        assert {q.kind for q in part} >= {"out_of_scope", "near_miss", "paraphrase"}
    # "all" never silently includes the blind split
    assert all(q.split != "blind" for q in select_split(questions, "all"))
    assert {q.split for q in select_split(questions, "blind")} == {"blind"}


@pytest.mark.parametrize(("name", "n"), [("practitioners2.jsonl", 60), ("practitioners3.jsonl", 50), ("practitioners4.jsonl", 50),
                                         ("practitioners5.jsonl", 50), ("practitioners6.jsonl", 50), ("practitioners7.jsonl", 50),
                                         ("practitioners8.jsonl", 50), ("practitioners9.jsonl", 50),
                                         ("practitioners10.jsonl", 50), ("practitioners11.jsonl", 50),
                                         ("practitioners12.jsonl", 60), ("practitioners13.jsonl", 60), ("practitioners14.jsonl", 60),
                                         ("practitioners15.jsonl", 60), ("practitioners16.jsonl", 60),
                                         ("practitioners17.jsonl", 60), ("practitioners18.jsonl", 60),
                                         ("practitioners19.jsonl", 60), ("practitioners20.jsonl", 60),
                                         ("practitioners21.jsonl", 60), ("practitioners22.jsonl", 60),
                                         ("practitioners23.jsonl", 60), ("practitioners24.jsonl", 60),
                                         ("practitioners25.jsonl", 60), ("practitioners26.jsonl", 60),
                                         ("practitioners27.jsonl", 60), ("practitioners28.jsonl", 60),
                                         ("practitioners29.jsonl", 60), ("practitioners30.jsonl", 60),
                                         ("practitioners31.jsonl", 60), ("practitioners32.jsonl", 60),
                                         ("practitioners33.jsonl", 60), ("practitioners34.jsonl", 60),
                                         ("practitioners35.jsonl", 60), ("practitioners36.jsonl", 60),
                                         ("practitioners37.jsonl", 60), ("practitioners38.jsonl", 60),
                                         ("practitioners39.jsonl", 60), ("practitioners40.jsonl", 60),
                                         ("practitioners41.jsonl", 60), ("practitioners42.jsonl", 60),
                                         ("practitioners43.jsonl", 60), ("practitioners44.jsonl", 60),
                                         ("practitioners45.jsonl", 60), ("practitioners46.jsonl", 60),
                                         ("practitioners47.jsonl", 60), ("practitioners48.jsonl", 60),
                                         ("practitioners49.jsonl", 60), ("practitioners50.jsonl", 60),
                                         ("practitioners51.jsonl", 60), ("practitioners52.jsonl", 60),
                                         ("practitioners53.jsonl", 60), ("practitioners54.jsonl", 60),
                                         ("practitioners55.jsonl", 60), ("practitioners56.jsonl", 60),
                                         ("practitioners57.jsonl", 60), ("practitioners58.jsonl", 60),
                                         ("practitioners59.jsonl", 60), ("practitioners60.jsonl", 60),
                                         ("practitioners61.jsonl", 60), ("practitioners62.jsonl", 60),
                                         ("practitioners63.jsonl", 60), ("practitioners64.jsonl", 60),
                                         ("practitioners65.jsonl", 60), ("practitioners66.jsonl", 60),
                                         ("practitioners67.jsonl", 60), ("practitioners68.jsonl", 60),
                                         ("practitioners69.jsonl", 60), ("practitioners70.jsonl", 60),
                                         ("practitioners71.jsonl", 60), ("practitioners72.jsonl", 60),
                                         ("practitioners73.jsonl", 60), ("practitioners74.jsonl", 60),
                                         ("practitioners75.jsonl", 60), ("practitioners76.jsonl", 60),
                                         ("practitioners77.jsonl", 60), ("practitioners78.jsonl", 60),
                                         ("practitioners79.jsonl", 60), ("practitioners80.jsonl", 60),
                                         ("practitioners81.jsonl", 60), ("practitioners82.jsonl", 60),
                                         ("practitioners83.jsonl", 60), ("practitioners84.jsonl", 60),
                                         ("practitioners85.jsonl", 60), ("practitioners86.jsonl", 60),
                                         ("practitioners87.jsonl", 60), ("practitioners88.jsonl", 60),
                                         ("practitioners89.jsonl", 60), ("practitioners90.jsonl", 60),
                                         ("practitioners91.jsonl", 60),
                                         ("terse_terms.jsonl", 80)])
def test_later_practitioners_sets_are_valid_and_held_out_whole(passages: list[Passage], name: str, n: int) -> None:
    questions = load_questions(PRACTITIONERS_PATH.with_name(name))
    report = validate_questions(questions, passages)
    assert report.errors == [] and report.warnings == [] and len(questions) == n
    assert {q.split for q in questions} == {"blind"} and select_split(questions, "all") == []
    assert {q.kind for q in questions if not q.answerable} >= {"out_of_scope", "near_miss"}


def test_instrument_set_is_valid_against_the_corpus_with_the_added_protocol(
        passages: list[Passage], settings: Settings) -> None:
    """eval/instruments.jsonl and instruments2 to 27 ask about the Smuggling of Migrants Protocol as
    `tipguide add` files it (id from the symbol the PDF prints), beside the seed texts."""
    from assistant.ingest import parse_file
    from assistant.models import Document
    from assistant.settings import REPO_ROOT

    pdf = REPO_ROOT / "tests" / "fixtures" / "realdocs" / "files" / "A_RES_55_25_Annex_III_Smuggling_of_Migrants_Protocol.pdf"
    added = parse_file(Document(id="a-res-55-25-annex-iii", file=str(pdf), title="x"), pdf, settings).passages
    for name, n, on_protocol in (("instruments.jsonl", 36, 40), ("instruments2.jsonl", 40, 50),
                                   ("instruments3.jsonl", 40, 50), ("instruments4.jsonl", 40, 40),
                                   ("instruments5.jsonl", 40, 40), ("instruments6.jsonl", 40, 40),
                                   ("instruments7.jsonl", 40, 40), ("instruments8.jsonl", 40, 40),
                                   ("instruments9.jsonl", 40, 40), ("instruments10.jsonl", 40, 40),
                                   ("instruments11.jsonl", 40, 40), ("instruments12.jsonl", 40, 40),
                                   ("instruments13.jsonl", 40, 40), ("instruments14.jsonl", 40, 40),
                                   ("instruments15.jsonl", 40, 40), ("instruments16.jsonl", 40, 40),
                                   ("instruments17.jsonl", 40, 40), ("instruments18.jsonl", 40, 40),
                                   ("instruments19.jsonl", 40, 40), ("instruments20.jsonl", 40, 40),
                                   ("instruments21.jsonl", 40, 40), ("instruments22.jsonl", 40, 40),
                                   ("instruments23.jsonl", 40, 40), ("instruments24.jsonl", 40, 40),
                                   ("instruments25.jsonl", 40, 40), ("instruments26.jsonl", 40, 40),
                                   ("instruments27.jsonl", 40, 40)):
        questions = load_questions(PRACTITIONERS_PATH.with_name(name))
        report = validate_questions(questions, [*passages, *added])
        assert report.errors == [] and report.warnings == [] and len(questions) == n
        assert {q.split for q in questions} == {"blind"}
        assert sum(g.document_id == "a-res-55-25-annex-iii" for q in questions for g in q.gold) >= on_protocol


def _write(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "q.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


GOOD = {
    "id": "x1", "question": "What is the non-punishment principle?", "kind": "single",
    "answerable": True, "split": "dev", "key_points": ["not punished"],
    "gold": [{"passage_id": "wg4-2022-2:para-12", "document_id": "wg4-2022-2",
              "quote": "even an unpenalized conviction is in fact a punishment"}],
}


def test_duplicate_ids_and_schema_errors_name_the_line(tmp_path: Path) -> None:
    with pytest.raises(QuestionSetError, match="duplicate ids x1"):
        load_questions(_write(tmp_path, [GOOD, GOOD]))
    bad = {**GOOD, "id": "x2", "kind": "near_miss"}
    with pytest.raises(QuestionSetError, match=r"q.jsonl:2: .*cannot be answerable"):
        load_questions(_write(tmp_path, [GOOD, bad]))
    no_gold = {**GOOD, "answerable": False}
    with pytest.raises(QuestionSetError, match="no gold"):
        load_questions(_write(tmp_path, [no_gold]))


def test_moved_ids_are_re_resolved_from_the_quote(tmp_path: Path, passages: list[Passage]) -> None:
    ref = dict(GOOD["gold"][0])  # type: ignore[index]
    moved = {**GOOD, "gold": [{**ref, "passage_id": "wg4-2022-2:old-id"}]}
    missing = {**GOOD, "id": "x3", "gold": [{**ref, "quote": "words that appear in no paragraph"}]}
    questions = load_questions(_write(tmp_path, [moved, missing]))
    report = validate_questions(questions, passages)
    assert report.remapped == {"x1:wg4-2022-2:old-id": "wg4-2022-2:para-12"}
    assert questions[0].gold[0].passage_id == "wg4-2022-2:para-12"
    assert len(report.errors) == 1 and report.errors[0].startswith("x3: quote not found")


def test_second_off_topic_set_is_all_out_of_scope_and_held_out() -> None:
    questions = load_questions(PRACTITIONERS_PATH.with_name("offtopic2.jsonl"))
    assert len(questions) == 40 and select_split(questions, "all") == []
    assert {(q.kind, q.answerable) for q in questions} == {("out_of_scope", False)}
    assert {q.role for q in questions} == {"unrelated", "adjacent", "conversational"}


def _gate_bench() -> ModuleType:
    """scripts/gate_bench.py as a module (the scripts are not a package)."""
    spec = importlib.util.spec_from_file_location("gate_bench", PRACTITIONERS_PATH.parents[1] / "scripts" / "gate_bench.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


def test_gate_probes_are_split_and_of_known_kinds() -> None:
    path = PRACTITIONERS_PATH.with_name("gate_probes.jsonl")
    bench = _gate_bench()
    dev, blind = bench.load_probes(path, "dev"), bench.load_probes(path, "blind")
    assert len(dev) + len(blind) == len(bench.load_probes(path, "all")) == 90
    for probes in (dev, blind):
        assert {p["kind"] for p in probes} >= {"adjacent", "in_scope"}
    assert len({p["question"] for p in dev + blind}) == 90


def test_a_malformed_gate_probe_stops_with_its_line(tmp_path: Path) -> None:
    bench = _gate_bench()
    bad = tmp_path / "p.jsonl"
    bad.write_text('{"id": "a", "split": "dev", "kind": "adjacent", "question": "q?"}\n'
                   '{"id": "b", "split": "dev", "kind": "sideways", "question": "q?"}\n')
    with pytest.raises(SystemExit, match=r"p\.jsonl:2: unknown kind"):
        bench.load_probes(bad, "all")
