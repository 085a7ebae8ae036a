"""Index build/refresh/versioning and hybrid retrieval, on real embedded Chroma with the hash embedder."""

from __future__ import annotations

import itertools
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import BadQueryError, IndexBusyError, IndexCorruptError, IndexMissingError
from assistant.index import (
    build_index,
    build_lock,
    current_version,
    is_window,
    open_index,
    passage_units,
    provision_title,
    version_dir,
)
from assistant.lc import LcEmbeddings, TipguideRetriever
from assistant.models import Document, Filters, Hit, Passage
from assistant.retrieve import (
    FUSION_FEATURES,
    LearnedFusion,
    QuestionMemory,
    Retriever,
    _article_together,
    _provisions_spread,
    fusion_features,
)
from assistant.settings import REPO_ROOT, Settings
from assistant.text import split_sentences


@pytest.fixture
def built(settings: Settings) -> Settings:
    build_index(settings)
    return settings


def test_missing_index_is_a_clear_error(settings: Settings) -> None:
    with pytest.raises(IndexMissingError, match="tipguide index"):
        Retriever.open(settings)


def test_build_then_refresh_is_a_no_op_and_uses_the_cache(built: Settings) -> None:
    v1 = current_version(built)
    again = build_index(built)
    assert again.up_to_date and again.version == v1
    rebuilt = build_index(built, rebuild=True)
    # --rebuild is from scratch: the cache is not read (only identical windows share a vector)
    assert rebuilt.version != v1 and rebuilt.embedded >= 0.99 * rebuilt.units
    assert build_index(built).up_to_date
    assert not (version_dir(built, v1 or "")).exists()  # old version cleaned up


def test_changed_corpus_marks_index_stale_and_rebuild_embeds_only_the_change(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    s = Settings(corpus_dir=corpus, data_dir=tmp_path / "data", embedder="hash")
    first = build_index(s)
    doc = corpus / "documents" / "wg-tip-2020-recommendations-adopted.md"
    doc.write_text(doc.read_text() + "\n\nRecommendation 27\n\nStates parties should test new things.\n")
    assert Retriever.open(s).stale
    second = build_index(s)
    assert not second.up_to_date and 0 < second.embedded <= 3 and second.units == first.units + 1
    assert not Retriever.open(s).stale


def test_new_parsing_rules_make_the_index_stale(built: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """An upgrade that cuts passages differently re-indexes: the parser's code is in the fingerprint."""
    import assistant.index as index_mod

    assert build_index(built).up_to_date
    monkeypatch.setattr(index_mod, "parser_fingerprint", lambda: "a-newer-parser")
    assert Retriever.open(built).stale
    assert not build_index(built).up_to_date
    assert build_index(built).up_to_date


def test_an_assistant_that_refreshes_serves_todays_passages_or_else_the_previous_version(
        built: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """`tipguide serve` and `eval` bring a stale index up to date before serving; a build that
    fails leaves the previous version serving (logged); with no version at all, the failure stands."""
    import assistant.index as index_mod
    from assistant.chat import Assistant

    live = current_version(built)
    monkeypatch.setattr(index_mod, "parser_fingerprint", lambda: "an-upgrade")
    assert Assistant.from_settings(built).retriever.stale  # without refresh: served as it is
    fresh = Assistant.from_settings(built, refresh=True)
    assert not fresh.retriever.stale and current_version(built) != live
    now = current_version(built)

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("disk full mid-build")

    monkeypatch.setattr(index_mod, "parser_fingerprint", lambda: "another-upgrade")
    monkeypatch.setattr(index_mod, "_save_bm25", boom)
    served = Assistant.from_settings(built, refresh=True)
    assert served.retriever.handle.version == now and served.ask("What is the non-punishment principle?").sentences
    assert "could not be brought up to date" in caplog.text and "disk full mid-build" in caplog.text
    empty = built.model_copy(update={"data_dir": built.data_dir.parent / "empty"})
    with pytest.raises(Exception, match="disk full mid-build"):
        Assistant.from_settings(empty, build_if_missing=True, refresh=True)


def test_failed_build_leaves_previous_version_serving(built: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    live = current_version(built)
    import assistant.index as index_mod

    def boom(*_a: object, **_k: object) -> None:
        raise RuntimeError("killed mid-build")

    monkeypatch.setattr(index_mod, "_save_bm25", boom)
    with pytest.raises(RuntimeError):
        build_index(built, rebuild=True)
    assert current_version(built) == live
    assert [d.name for d in (built.index_dir / "versions").iterdir()] == [live]  # nothing half-built left
    assert Retriever.open(built).search("non-punishment principle")  # still serving
    monkeypatch.undo()
    build_index(built, rebuild=True)
    assert current_version(built) != live


def test_second_builder_fails_clearly(built: Settings) -> None:
    with build_lock(built), pytest.raises(IndexBusyError, match="being built"):
        build_index(built, rebuild=True)


def test_corrupt_bm25_names_the_file_and_the_remedy(built: Settings) -> None:
    d = version_dir(built, current_version(built) or "")
    for f in (d / "bm25").iterdir():
        f.write_bytes(b"garbage")
    with pytest.raises(IndexCorruptError, match=r"bm25.*--rebuild"):
        open_index(built)


def test_search_finds_labelled_paragraphs_and_keeps_scores(built: Settings) -> None:
    r = Retriever.open(built)
    hits = r.search("temporary residence permits for family members of victims", k=5)
    assert hits[0].passage.id == "wg4-2020-recs:recommendation-3"
    assert hits[0].citation == "WG TIP 2020 recommendations, Recommendation 3"
    assert hits[0].bm25 is not None and hits[0].bm25_rank is not None
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))
    assert set(hits[0].to_json()) >= {"passage_id", "document_id", "citation", "text", "score"}


def test_an_adapted_question_orders_the_dense_search_but_scores_stay_plain(built: Settings) -> None:
    r = Retriever.open(built)
    query = "temporary residence permits for family members of victims"
    plain = r.embed_query(query)
    target = "wg4-2022-2:para-6"
    toward = r.handle.unit_vecs[r.units_by_passage[target][0]]
    r.adapter = lambda vec: toward  # an adapter that sends the question to one paragraph's window
    ranked = r.dense_search(query, 5, None)
    assert ranked[0][0] == target
    best = max(float(r.handle.unit_vecs[i] @ plain) for i in r.units_by_passage[target])
    assert ranked[0][1] == pytest.approx(best)  # what the gate and evidence bars read: the plain cosine


def test_forget_makes_the_next_search_embed_its_question_again(built: Settings) -> None:
    """The benchmark's timings are of unseen queries: a question that differs only in whitespace is
    the same query once cleaned, and its embedding would be remembered."""
    r = Retriever.open(built)
    calls: list[str] = []
    embed = r.embedder.embed
    r.embedder.embed = lambda texts: calls.extend(texts) or embed(texts)  # type: ignore[method-assign]
    r.search("temporary residence permits")
    r.search("temporary residence permits ")
    assert len(calls) == 1
    r.forget()
    r.search("temporary residence permits  ")
    assert len(calls) == 2


def test_fusion_features_read_both_lists_ranks_and_scores() -> None:
    bm = [("a", 8.0), ("b", 4.0)]
    de = [("c", 0.2), ("a", 0.1)]
    pids, rows = fusion_features(bm, de, [0.6, 0.5])
    assert pids == ["a", "b", "c"] and rows.shape == (3, len(FUSION_FEATURES))
    got = {pid: dict(zip(FUSION_FEATURES, row, strict=True)) for pid, row in zip(pids, rows, strict=True)}
    assert got["a"]["dense_rrf"] == pytest.approx(1 / 62) and got["a"]["bm25_rrf"] == pytest.approx(1 / 61)
    assert got["b"]["bm25_share"] == pytest.approx(0.5) and got["b"]["dense_rrf"] == 0.0
    assert got["c"]["dense_gap"] == 0.0 and got["a"]["dense_gap"] == pytest.approx(-0.1)
    # one the dense search did not return is counted at most as close as its last one, one past both lists
    assert got["b"]["dense_gap"] == pytest.approx(-0.1) and got["b"]["dense_log_rank"] == pytest.approx(np.log1p(5))
    # no memory: no paragraph has a vote; with one, a vote's share of the best and whether it has one
    assert all(got[p]["vote_share"] == got[p]["voted"] == 0.0 for p in pids)
    _, voted = fusion_features(bm, de, [0.6, 0.5], {"c": 1.2, "b": 0.6, "z": 2.4})
    assert voted[:, FUSION_FEATURES.index("vote_share")].tolist() == pytest.approx([0.0, 0.25, 0.5])
    assert voted[:, FUSION_FEATURES.index("voted")].tolist() == [0.0, 1.0, 1.0]


def test_the_nearest_read_questions_vote_for_their_paragraphs() -> None:
    """Each of the ``k`` nearest questions adds its similarity to each paragraph that answered it;
    a question pointing away adds nothing."""
    vectors = np.array([[1.0, 0.0], [0.8, 0.6], [0.0, 1.0], [-1.0, 0.0]], dtype=np.float32)
    memory = QuestionMemory(vectors, [["a"], ["a", "b"], ["c"], ["d"]], k=2)
    assert memory.votes(np.array([1.0, 0.0], dtype=np.float32)) == pytest.approx({"a": 1.8, "b": 0.8})
    everyone = QuestionMemory(vectors, [["a"], ["a", "b"], ["c"], ["d"]], k=9)
    assert everyone.votes(np.array([1.0, 0.0], dtype=np.float32))["d"] == 0.0


def test_a_memory_file_is_read_through_the_adapter(tmp_path: Path) -> None:
    """The weights file keeps plain embeddings (float16); loading adapts them, so a retrained
    adapter and the memory never disagree."""
    from scripts.train_fusion import memory_spec

    plain = np.array([[0.6, 0.8], [1.0, 0.0]], dtype=np.float32)
    data = type("D", (), {"queries": plain, "gold_pids": [{"x", "w"}, {"y"}]})()
    path = tmp_path / "memory.json"
    path.write_text(json.dumps(memory_spec(data)))  # type: ignore[arg-type]
    swap = QuestionMemory.load(path, lambda v: v[::-1].copy())
    assert swap.gold == [["w", "x"], ["y"]] and swap.vectors == pytest.approx(plain[:, ::-1], abs=1e-3)
    assert memory_spec(data) == memory_spec(data)  # type: ignore[arg-type]


def test_the_memorys_votes_reorder_a_learned_fusion(built: Settings, dense_first_fusion: Path) -> None:
    """Weights that read only the vote put the paragraph a near read question was answered by
    first (after BM25's clear winner, which leads any fusion), though both searches put it lower;
    without a memory the same fusion follows the dense rank. The memory only reorders what the
    searches returned."""
    query = "temporary residence permits for family members of victims"
    spec = json.loads(dense_first_fusion.read_text())
    spec["weights"] = [5.0 if f == "vote_share" else w for f, w in zip(FUSION_FEATURES, spec["weights"], strict=True)]
    dense_first_fusion.write_text(json.dumps(spec))
    r = Retriever.open(built)
    r.fusion, r.adapter = LearnedFusion(dense_first_fusion), (lambda v: v)
    # (both searches put one paragraph first here: a memory would be silent, test below)
    r.settings = r.settings.model_copy(update={"memory_silent_agreed": False})
    before = [h.passage.id for h in r.search(query, k=50)]
    low = before[7]
    # the nearest read question was answered by ``low``; a far one by a paragraph of every document
    every = list({p.document_id: p.id for p in r.passages.values()}.values())
    vec = r.embed_query(query)
    r.memory = QuestionMemory(np.vstack([vec, -vec]), [[low, "not-in-the-corpus"], every], k=1)
    after = [h.passage.id for h in r.search(query, k=50)]
    assert after[:2] == [before[0], low] and sorted(after) == sorted(before)
    # a memory that knows nothing of a document the searches put first stays silent
    r = Retriever.open(built)
    r.fusion, r.adapter = LearnedFusion(dense_first_fusion), (lambda v: v)
    r.settings = r.settings.model_copy(update={"memory_silent_agreed": False})
    doc_of = {pid: p.document_id for pid, p in r.passages.items()}
    unknown = next(doc_of[pid] for pid in before[:5] if doc_of[pid] != doc_of[low])
    r.memory = QuestionMemory(np.vstack([vec, -vec]), [[low], [p for p in every if doc_of[p] != unknown]], k=1)
    assert [h.passage.id for h in r.search(query, k=50)] == before


def test_the_memory_is_silent_when_both_searches_put_one_paragraph_first(built: Settings) -> None:
    """A paragraph first for BM25 and for the dense search alike is what a question in the texts'
    own terms asks for: the memory's votes could only push it down (the curated test split lost
    5 of 61 at 5 to them)."""
    r = Retriever.open(built)
    r.adapter = lambda v: v
    pids = list(r.passages)
    every = list({p.document_id: p.id for p in r.passages.values()}.values())
    r.memory = QuestionMemory(r.embed_query("victims")[None, :], [every], k=1)
    assert r._votes("victims", [(pids[0], 3.0)], [(pids[1], 0.5)])
    assert r._votes("victims", [(pids[0], 3.0)], [(pids[0], 0.5)]) == {}


def test_a_learned_fusion_that_trusts_the_dense_list_orders_by_it(built: Settings, dense_first_fusion: Path) -> None:
    """Fused by reciprocal ranks, BM25's favourites share the top with the dense search's; weights
    that read only the dense rank put the dense order first, while each hit keeps both retrievers'
    scores and ranks, and ``learned=False`` still fuses by reciprocal rank."""
    query = "temporary residence permits for family members of victims"
    r = Retriever.open(built)
    rrf = [h.passage.id for h in r.search(query, k=10)]
    r.fusion = LearnedFusion(dense_first_fusion)
    dense = [pid for pid, _ in r.dense_search(query, built.candidates, None)]
    hits = r.search(query, k=10)
    assert [h.passage.id for h in hits][:5] == dense[:5] != rrf[:5]
    assert all(h.dense_rank == i for i, h in enumerate(hits[:5], 1))
    assert [h.passage.id for h in r.search(query, k=10, learned=False)] == rrf


def test_a_clear_bm25_winner_leads_a_learned_fusion_too(built: Settings, dense_first_fusion: Path) -> None:
    """Weights that read only the dense rank would put it lower; BM25's clear winner still leads,
    whatever the scale of the learned scores (here all well above reciprocal rank's)."""
    query = "cultivation pickpocketing victims trafficking protection"
    spec = json.loads(dense_first_fusion.read_text())
    spec["mean"] = [10.0] * len(FUSION_FEATURES)  # scores 10 - log(1 + dense rank): 5 to 9
    dense_first_fusion.write_text(json.dumps(spec))
    r = Retriever.open(built)
    r.fusion = LearnedFusion(dense_first_fusion)
    assert r.dense_search(query, 5, None)[0][0] != "wg4-2022-2:para-6"
    hits = r.search(query, k=5)
    assert hits[0].passage.id == "wg4-2022-2:para-6"
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))


def test_learned_fusion_weights_on_other_features_are_refused(dense_first_fusion: Path) -> None:
    path = dense_first_fusion
    spec = json.loads(path.read_text())
    path.write_text(json.dumps({**spec, "features": ["dense_rrf", "bm25_rrf"]}))
    with pytest.raises(ValueError, match="retrain"):
        LearnedFusion(path)


def test_a_clear_bm25_winner_leads_the_fusion(built: Settings) -> None:
    """Two rare words only one paragraph holds: BM25 scores it well clear of the rest, and fused by
    ranks alone it would not come first (hash embedder); ``bm25_margin_first`` puts it first, with
    the score of a paragraph both rankers put first, so scores still fall down the list."""
    query = "cultivation pickpocketing victims trafficking protection"
    on = Retriever.open(built)
    bm = on.bm25_search(query, 5, None)
    assert bm[0][0] == "wg4-2022-2:para-6" and bm[0][1] >= built.bm25_margin_first * bm[1][1]
    hits = on.search(query, k=5)
    assert hits[0].passage.id == "wg4-2022-2:para-6"
    assert all(a.score >= b.score for a, b in itertools.pairwise(hits))
    off = Retriever.open(built.model_copy(update={"bm25_margin_first": 0.0}))
    assert off.search(query, k=5)[0].passage.id != "wg4-2022-2:para-6"


def _article_hit(doc: str, article: str, para: str, bm25_rank: int | None, kind: str = "article") -> Hit:
    p = Passage(id=f"{doc}:art-{article}-{para}", document_id=doc, section_path=[f"Article {article}"],
                label=f"art. {article}({para})", label_kind=kind, text="Each State Party shall adopt measures.")
    return Hit(passage=p, citation=p.label, score=0.0, bm25_rank=bm25_rank)


def test_the_first_articles_other_paragraphs_follow_it_when_bm25_reaches_them() -> None:
    """Art. 6(1) first: 6(2) and 6(3), which BM25 ranks within 20, follow it; 6(4), which BM25 ranks
    below, another article and another document's "Article 6" keep their places."""
    first, far, other, elsewhere, near2, near3, unranked = (
        _article_hit("p", "6", "1", 1), _article_hit("p", "6", "4", 40), _article_hit("p", "8", "1", 2),
        _article_hit("q", "6", "2", 3), _article_hit("p", "6", "2", 12), _article_hit("p", "6", "3", 20),
        _article_hit("p", "6", "5", None))
    hits = [first, far, other, elsewhere, near2, near3, unranked]
    ids = [h.passage.id for h in _article_together(hits, 20)]
    assert ids == ["p:art-6-1", "p:art-6-2", "p:art-6-3", "p:art-6-4", "p:art-8-1", "q:art-6-2", "p:art-6-5"]
    # a paragraph of a report, or an article that is not first, moves nothing
    para = _article_hit("p", "6", "1", 1, kind="para")
    assert _article_together([para, far, near2], 20) == [para, far, near2]
    assert _article_together([other, first, near2], 20) == [other, first, near2]


def test_at_most_two_paragraphs_of_one_article_come_in_the_first_five() -> None:
    """Four paragraphs of art. 8 first: the third and fourth wait until five others are in; an
    article of another document and a report's paragraphs (one provision each) are not counted with
    them, nor articles printed with no heading over them with each other."""
    a8 = [_article_hit("p", "8", str(n), n) for n in range(1, 5)]
    a9, other_doc = _article_hit("p", "9", "1", 5), _article_hit("q", "8", "1", 6)
    report = [_article_hit("r", "1", str(n), None, kind="para") for n in range(1, 4)]
    hits = [*a8, a9, other_doc, *report]
    ids = [h.passage.id for h in _provisions_spread(hits, 2, 5)]
    assert ids == ["p:art-8-1", "p:art-8-2", "p:art-9-1", "q:art-8-1", "r:art-1-1",
                   "p:art-8-3", "p:art-8-4", "r:art-1-2", "r:art-1-3"]
    assert _provisions_spread(report, 2, 5) == report
    # articles printed with no heading over them are not one provision
    bare = [_article_hit("s", str(n), "1", n) for n in range(1, 4)]
    for h in bare:
        h.passage.section_path = []
    assert _provisions_spread([*bare, *report], 2, 5) == [*bare, *report]
    assert _provisions_spread(hits, 2, 0) == hits


def test_filters_restrict_every_retriever(built: Settings) -> None:
    r = Retriever.open(built)
    for method in ("hybrid", "bm25", "dense"):
        hits = r.search("non-punishment of victims", k=10, method=method,  # type: ignore[arg-type]
                        filters=Filters(documents=["wg4-2020-recs"]))
        assert hits and {h.passage.document_id for h in hits} == {"wg4-2020-recs"}
    by_body = r.search("victims", k=20, filters=Filters(bodies=["UNODC"]))
    assert {h.passage.document_id for h in by_body} <= {"unodc-np-2023", "unodc-toolkit-1", "unodc-ares-72-179"}
    years = r.search("victims", k=20, filters=Filters(year_from=2021, year_to=2022))
    assert {h.passage.document_id for h in years} == {"wg4-2022-2"}


@pytest.mark.parametrize("query,match", [("", "empty"), ("\x00\x07  ", "empty"), ("x" * 100_000, "limit")])
def test_bad_queries_are_clear_errors(built: Settings, query: str, match: str) -> None:
    with pytest.raises(BadQueryError, match=match):
        Retriever.open(built).search(query)


def test_unknown_document_filter(built: Settings) -> None:
    with pytest.raises(BadQueryError, match="unknown document 'nope'"):
        Retriever.open(built).search("victims", filters=Filters(documents=["nope"]))


def test_langchain_retriever_and_embeddings(built: Settings) -> None:
    r = Retriever.open(built)
    docs = TipguideRetriever(retriever=r, k=3).invoke("joint investigation teams")
    assert len(docs) == 3 and docs[0].metadata["citation"].startswith("WG TIP 2020 recommendations")
    emb = LcEmbeddings(r.embedder)
    assert len(emb.embed_query("x")) == 384 and len(emb.embed_documents(["a", "b"])) == 2


def test_long_paragraphs_are_windowed_but_stay_one_citation() -> None:
    text = " ".join(f"Sentence number {i} talks about victims of trafficking." for i in range(60))
    p = Passage(id="d:para-1", document_id="d", label="1", text=text)
    units = passage_units(p, Settings().embed_window_words)
    assert len(units) > 5 and {u.passage_id for u in units} == {"d:para-1"}
    assert all(len(u.text.split()) <= 60 for u in units)
    assert "".join(text[u.start:u.end] for u in units).replace(" ", "") == text.replace(" ", "")


def test_a_titled_articles_paragraph_also_reads_its_title() -> None:
    """"Each State Party agrees to facilitate … the return …" is about returning smuggled migrants
    only by its article's title: one more vector reads the two together (not a sentence window)."""
    text = "Each State Party agrees to facilitate and accept the return of a person who is its national."
    p = Passage(id="d:art-18-1", document_id="d", label="art. 18(1)", text=text,
                section_path=["III. Prevention", "Article 18 – Return of smuggled migrants"])
    units = passage_units(p, 60, with_title=True)
    titled = [u for u in units if not is_window(u)]
    assert [u.text for u in titled] == [f"Article 18 – Return of smuggled migrants: {text}"]
    assert len(passage_units(p, 60)) == 1  # off: windows only
    plain = p.model_copy(update={"section_path": ["1.5 Return and reintegration"]})
    assert all(is_window(u) for u in passage_units(plain, 60, with_title=True))  # a section, not a provision


def test_a_printed_provision_heading_is_a_title_only_in_an_instrument() -> None:
    """"Guideline 2: Identification of trafficked persons and traffickers" titles the guideline's
    measures in the Principles and Guidelines; the same heading in a toolkit quotes another text."""
    text = "Developing guidelines and procedures for relevant State authorities and officials."
    heading = "Guideline 2: Identification of trafficked persons and traffickers"
    p = Passage(id="pg:guideline-2-1", document_id="pg", label="Guideline 2.1", text=text,
                section_path=["Recommended Guidelines", heading])
    principles = Document(id="pg", file="pg.pdf", title="Recommended Principles and Guidelines", type="soft law")
    toolkit = principles.model_copy(update={"title": "Toolkit", "type": "guidance/toolkit"})
    assert provision_title(p, principles) == heading
    assert [u.text for u in passage_units(p, 60, with_title=True, doc=principles) if not is_window(u)] == \
        [f"{heading}: {text}"]
    assert provision_title(p, toolkit) == "" and provision_title(p) == ""
    assert all(is_window(u) for u in passage_units(p, 60, with_title=True, doc=toolkit))
    for typed in ("treaty", "Convention", "general recommendation", "GA resolution"):
        assert provision_title(p, principles.model_copy(update={"type": typed})) == heading
    numbered = p.model_copy(update={"section_path": ["Article 6. Criminalization"]})
    assert provision_title(numbered, principles.model_copy(update={"type": "treaty"})) == "Article 6. Criminalization"
    # a numbered list item is not a provision's title
    item = p.model_copy(update={"section_path": ["Article 6. the States Parties"]})
    assert provision_title(item, principles) == ""


def test_manifest_records_corpus_and_settings(built: Settings) -> None:
    m = json.loads((version_dir(built, current_version(built) or "") / "manifest.json").read_text())
    assert m["fingerprint"]["settings"]["embedder"] == "hash" and len(m["fingerprint"]["corpus"]) == 16


def test_builds_in_the_same_second_get_distinct_versions(built: Settings) -> None:
    first = current_version(built)
    second = build_index(built, rebuild=True).version
    third = build_index(built, rebuild=True).version
    assert len({first, second, third}) == 3


@pytest.mark.parametrize(("question", "named"), [
    ("what does the smuggling protocol say about boarding?", ["som"]),
    ("does the protocol require states to take back nationals?", ["som"]),
    ("under the SOM protocol can migrants be prosecuted", ["som"]),
    ("What does the trafficking protocol say about consent?", []),  # another protocol, not indexed
    ("Under the Palermo Protocol, is consent irrelevant?", []),
    ("what does the protocol on trafficking say about compensation", []),
    ("what does A/RES/55/25 say about return?", ["som"]),  # by its symbol, the annex left out
    ("is CTOC/COP/WG.4/2022/2 clear on compulsion?", ["wg4-2022-2"]),
    ("under A/RES/55/251 what applies", []),  # another symbol
    # users call a protocol or a convention itself "the treaty"
    ("Does the treaty itself say anything about refugees?", ["som"]),
    ("does the UN treaty expect states to punish the organisers?", ["som"]),
    ("What does the ASEAN treaty say about victims?", []),
])
def test_an_instrument_kind_names_a_document_only_as_qualified(question: str, named: list[str]) -> None:
    """The texts discuss protocols that are not indexed: "the trafficking protocol" is not the one
    protocol a user added, the Smuggling of Migrants Protocol; a document's symbol names it."""
    from assistant.corpus import load_manifest, named_documents
    from assistant.models import Document

    som = Document(id="som", file="x.pdf", symbol="A/RES/55/25, annex III", body="General Assembly", type="treaty",
                   title="Protocol against the Smuggling of Migrants by Land, Sea and Air, supplementing the "
                         "United Nations Convention against Transnational Organized Crime")
    assert named_documents(question, [*load_manifest(REPO_ROOT / "corpus"), som]) == named


@pytest.mark.parametrize(("question", "named"), [
    ("Do the 2023 UNODC slides and the background paper agree on timing?", ["unodc-np-2023", "wg4-2022-2"]),
    ("what does the toolkit say, and UNODC's contribution to the SG report?", ["unodc-toolkit-1", "unodc-ares-72-179"]),
    ("What did the 2020 report recommend on data?", ["wg4-2020-recs"]),  # "report": two, told apart by the year
    ("what does the report say about data?", []),  # two reports, nothing to tell them apart
    ("Can a victim be detained in a shelter?", []),
    ("What did the WG on TIP recommend in 2020 on data?", ["wg4-2020-recs"]),  # its body and year
    ("What did UNODC do in 2020?", []),  # no UNODC document of 2020
    ("Does the working group's 2020 recommendation match the 2023 slides?", ["wg4-2020-recs", "unodc-np-2023"]),
    ("What does general recommendation No. 38 say?", []),  # CEDAW's kind of document: none indexed here
    ("Does the treaty say anything about data?", []),  # a report about a convention is not one
    # a number after the kind noun names one instrument: this one only if its title carries it
    ("what did UNODC say pursuant to resolution 72/179?", ["unodc-ares-72-179"]),
    # what the document calls a contribution, users call an input or a submission "to" something
    ("what did UNODC say in its input to the Secretary-General on migrants?", ["unodc-ares-72-179"]),
    ("Any input from NGOs on shelters?", []),  # "input" alone names nothing
    # what the asker is writing names nothing indexed
    ("For my lecture slides: which instruments refer to non-punishment?", []),
    ("bullet points for a training slide on what the toolkit says", ["unodc-toolkit-1"]),
    ("what should our report say about shelters?", []),
    ("In its resolution 75/158 the General Assembly encouraged States to protect victims", []),
    ("the Review Mechanism envisaged in resolution 5/1 of the Conference of the Parties", []),
])
def test_documents_named_by_their_kind(question: str, named: list[str]) -> None:
    from assistant.corpus import Corpus, load_manifest, named_documents

    docs = load_manifest(REPO_ROOT / "corpus")
    assert named_documents(question, docs) == named
    assert Corpus("", docs, []).documents_named_in(question) == named


def test_named_documents_each_get_their_best_paragraphs_first(built: Settings) -> None:
    r = Retriever.open(built)
    q = "What do the 2020 recommendations and the toolkit say about joint investigation teams?"
    hits = r.search(q, k=10)
    assert {h.passage.document_id for h in hits[:2]} == {"wg4-2020-recs", "unodc-toolkit-1"}
    plain = Retriever.open(built.with_overrides(route_named_documents=False)).search(q, k=10)
    assert [h.passage.id for h in hits] != [h.passage.id for h in plain]
    assert len({h.passage.id for h in hits}) == len(hits) == 10
    # an explicit document filter wins over what the question names
    only = r.search(q, k=5, filters=Filters(documents=["unodc-toolkit-1"]))
    assert {h.passage.document_id for h in only} == {"unodc-toolkit-1"}


def test_the_words_naming_a_document_are_left_out_of_the_search_inside_it(built: Settings) -> None:
    """"…its SG report contribution and the human rights toolkit about detention": inside the named
    documents, "SG report contribution" matches title-like lines and nothing of the subject. Words of
    a title that most of its paragraphs use are its subject and stay; so does the items' own word."""
    c = Retriever.open(built).corpus
    q = ("What does UNODC say across its SG report contribution and the human rights toolkit about immigration "
         "detention of smuggled migrants?")
    named = c.documents_named_in(q)
    assert named == ["unodc-ares-72-179", "unodc-toolkit-1"]
    assert c.without_naming(q, named) == \
        "What does UNODC say across human rights about immigration detention of smuggled migrants?"
    assert {"secretarygener", "contribut"} <= c._naming_words("unodc-ares-72-179")
    assert "traffick" not in c._naming_words("wg4-2022-2")  # the body's name, and the subject
    # a protocol the slides discuss is no name of the slides; the recommendations are what is asked
    slides = "is there a non-punishment clause in the Palermo TIP Protocol itself, per UNODC's 2023 presentation?"
    assert "Palermo TIP Protocol itself" in c.without_naming(slides, c.documents_named_in(slides))
    recs = "What do the 2020 WG recommendations say about data?"
    assert c.without_naming(recs, c.documents_named_in(recs)) == recs
    # nothing left to search but the name: the question as it is
    assert c.without_naming("what does the toolkit say?", ["unodc-toolkit-1"]) == "what does the toolkit say?"
    # for the meaning of the question (the dense search), every title word beside the kind noun goes:
    # an embedding of "the human rights toolkit" is about the toolkit's name
    assert c.without_naming(q, named, every_title_word=True) == \
        "What does UNODC say across about immigration detention of smuggled migrants?"
    assert c.without_naming("what does the toolkit say?", ["unodc-toolkit-1"], every_title_word=True) == \
        "what does the toolkit say?"


@pytest.mark.parametrize(("pid", "pasted"), [
    ("wg4-2022-2:para-2", "At previous meetings of the Working Group, the principle was"),
    ("wg4-2022-2:para-6", "Victims of trafficking in persons are often made to commit"),
    ("wg4-2022-2:para-4", "While the Protocol to Prevent, Suppress and Punish Trafficking in"),
])
def test_a_pasted_extract_finds_the_paragraph_holding_it_word_for_word(built: Settings, pid: str,
                                                                       pasted: str) -> None:
    """A drafter pastes a sentence's first words, or the whole sentence in a question, with typed
    quotes and line breaks as they come: the paragraph holding it comes first (without the rule, the
    hash embedder's fusion puts another first for each of these)."""
    r = Retriever.open(built)
    assert [p.id for p in r.passages.values() if pasted in p.text] == [pid]
    assert r.search(pasted, k=5)[0].passage.id == pid
    sentence = next(s for s in split_sentences(r.passages[pid].text) if s.startswith(pasted))
    assert r.search(f"Where does it say “{sentence}”?", k=5)[0].passage.id == pid
    assert r.search(sentence.replace(" ", "\n", 3), k=5)[0].passage.id == pid


def test_a_title_page_is_found_only_for_what_a_cover_tells(built: Settings) -> None:
    """Covers share the title's words with every question on the subject; they rank only for a
    question asking a date, a name or a place, and otherwise come after every paragraph."""
    r = Retriever.open(built)
    when = [h.passage.id for h in r.search("On what date was the 2023 UNODC presentation given, 25 April?", k=10)]
    assert "unodc-np-2023:title-page" in when
    topic = r.search("criminal justice responses to victims compelled to commit offences", k=500)
    kinds = [h.passage.label_kind for h in topic]
    assert "front" not in kinds[:10] and kinds[kinds.index("front"):] == ["front"] * (len(kinds) - kinds.index("front"))


def test_dense_search_is_exact_and_the_ann_path_still_answers(built: Settings) -> None:
    r = Retriever.open(built)
    vec = r.embed_query("joint investigation teams")
    sims = r.handle.unit_vecs @ vec
    best: dict[str, float] = {}
    for unit, sim in zip(r.handle.units, sims, strict=True):
        pid = unit.id.rsplit("#", 1)[0]
        best[pid] = max(best.get(pid, -1.0), float(sim))
    brute = sorted(best, key=lambda pid: -best[pid])[:10]
    assert [pid for pid, _ in r.dense_search("joint investigation teams", 10, None)] == brute
    ann = Retriever.open(built.model_copy(update={"exact_dense_max_windows": 0}))
    assert {pid for pid, _ in ann.dense_search("joint investigation teams", 10, None)} & set(brute[:3])
