"""``tipguide eval``: run the question set through tipguide (or score an external answers file),
score every question, aggregate and write the run folder.

One process, one model load: the retriever's MiniLM serves retrieval, answering, the support
checker, the key-point matcher and the baseline. Embeddings the evaluator needs repeatedly (the
sentences of cited paragraphs) are memoised in memory; the baseline's chunk vectors go through the
project's on-disk embedding cache, so a second run does not re-embed them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import TipguideError
from assistant.evaluate.aggregate import summarize
from assistant.evaluate.keypoints import KeyPointMatcher
from assistant.evaluate.llm_metrics import llm_scores
from assistant.evaluate.questions import (
    DEFAULT_PATH,
    Question,
    QuestionSetError,
    load_questions,
    select_split,
    validate_questions,
)
from assistant.evaluate.report import write_run
from assistant.evaluate.scoring import (
    AnswerView,
    SentenceView,
    SupportFn,
    retrieval_scores,
    score_answer,
)
from assistant.models import Answer, Passage
from assistant.settings import Settings

METHODS = ("bm25", "dense", "hybrid")
K = 10


@dataclass
class EvalOptions:
    """What ``tipguide eval`` was asked to do."""

    split: str = "test"
    out: Path | None = None
    answers: Path | None = None
    baseline: bool = True
    questions_path: Path = DEFAULT_PATH
    limit: int | None = None
    progress: bool = True
    meta: dict[str, Any] = field(default_factory=dict)


class MemoEmbedder:
    """In-memory memo over an embedder: the support checker re-embeds the same paragraph
    sentences for every citation it checks."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = getattr(inner, "name", "embedder")
        self._memo: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if missing:
            for t, v in zip(missing, self.inner.embed(missing), strict=True):
                self._memo[t] = v
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._memo[t] for t in texts])


def default_out(settings: Settings) -> Path:
    """``<data_dir>/eval/<timestamp>``."""
    return settings.data_dir / "eval" / datetime.now().strftime("%Y%m%d-%H%M%S")


def support_fn(settings: Settings, embedder: Any) -> SupportFn:
    """The project's support checker, with the configured thresholds, as the citation judge."""
    from assistant.verify import check_support

    def judge(sentence: str, passages: list[Passage]) -> str:
        verdict, _score = check_support(sentence, passages, embedder,
                                        settings.support_threshold, settings.weak_threshold)
        return verdict

    return judge


def answer_view(answer: Answer) -> AnswerView:
    """tipguide's ``Answer`` as the metrics see it (marker-free sentence text)."""
    sentences = [SentenceView(s.text, list(s.citations)) for s in answer.sentences]
    text = answer.answer if answer.refused or not sentences else " ".join(s.text for s in sentences)
    return AnswerView(text, answer.refused, sentences, timings=dict(answer.timings))


def _progress(items: list[Question], enabled: bool, desc: str) -> Any:
    from tqdm import tqdm

    return tqdm(items, desc=desc, unit="q", disable=not enabled)


def _load_questions(opts: EvalOptions, passages: list[Passage]) -> tuple[list[Question], dict[str, str]]:
    questions = select_split(load_questions(opts.questions_path), opts.split)
    if opts.limit:
        questions = questions[: opts.limit]
    report = validate_questions(questions, passages)
    if not report.ok:
        raise QuestionSetError("question set does not match the corpus: " + "; ".join(report.errors[:5]))
    return questions, report.remapped


def _record(q: Question, scores: dict[str, Any], details: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": q.id, "kind": q.kind, "split": q.split, "answerable": q.answerable,
            "question": q.question, "history": [t.model_dump() for t in q.history],
            "gold": sorted(q.gold_ids), "scores": scores, "details": details, **extra}


# ---------------------------------------------------------------------------- tipguide itself
class SystemRun:
    """Everything loaded once for scoring tipguide: assistant, judge, matcher, baseline."""

    def __init__(self, settings: Settings, opts: EvalOptions) -> None:
        from assistant.chat import Assistant

        self.settings = settings
        self.internal_errors: list[str] = []  # ids of questions an internal fault left unanswered
        self.assistant = Assistant.from_settings(settings, build_if_missing=True, refresh=True)
        self.retriever = self.assistant.retriever
        self.corpus = self.assistant.corpus
        self.by_id: dict[str, Passage] = dict(self.corpus.passages)
        self.embedder = MemoEmbedder(self.retriever.embedder)
        self.support = support_fn(settings, self.embedder)
        self.matcher = KeyPointMatcher(self.embedder)
        self.baseline = self._baseline() if opts.baseline else None

    def _baseline(self) -> Any:
        from assistant.embed import CachedEmbedder
        from assistant.evaluate.baseline import TutorialBaseline

        cached = CachedEmbedder(self.retriever.embedder, self.settings.data_dir / "embed_cache.sqlite")
        docs = list(self.corpus.documents.values())
        return TutorialBaseline.build(self.settings, docs, list(self.by_id.values()), cached)

    def ask(self, q: Question) -> tuple[AnswerView, str]:
        """The answer (an error becomes a flagged non-answer) and the query retrieval used."""
        self.last_answer: Answer | None = None
        try:
            answer = self.assistant.ask(q.question, history=list(q.history))
        except TipguideError as exc:
            return AnswerView("", True, error=str(exc)), q.question
        except Exception as exc:  # a fault on one question must not lose the run; it is reported
            self.internal_errors.append(q.id)
            return AnswerView("", True, error=f"internal error ({type(exc).__name__}: {exc})"), q.question
        self.last_answer = answer  # LLM-mode figures (assistant.evaluate.llm_metrics)
        return answer_view(answer), answer.standalone_question or q.question

    def retrieval(self, q: Question, query: str) -> tuple[dict[str, float], dict[str, list[str]]]:
        """Scores for the three retrievers and the baseline (answerable questions only)."""
        scores: dict[str, float] = {}
        ranked: dict[str, list[str]] = {}
        if not q.answerable:
            return scores, ranked
        for method in METHODS:
            ranked[method] = self._ranking(query, method)
            scores.update(retrieval_scores(f"retrieval.{method}", ranked[method], q.gold_ids))
        return scores, ranked

    def _ranking(self, query: str, method: str) -> list[str]:
        """Passage ids one retriever ranks for ``query``. Hybrid is what the answer itself searched
        (``Answer.ranked``): a follow-up is searched twice and fused, and scoring the rewritten
        question alone would measure a ranking no answer used."""
        used = self.last_answer.ranked if self.last_answer is not None else []
        if method == "hybrid" and used:
            return used[:K]
        try:
            hits = self.retriever.search(query, k=K, method=method)  # type: ignore[arg-type]
        except TipguideError:
            hits = []
        return [h.passage.id for h in hits]

    def baseline_scores(self, q: Question, query: str) -> tuple[dict[str, float], str]:
        """The tutorial pipeline's retrieval and top-chunk key-point coverage."""
        from assistant.evaluate.baseline import chunk_ranking

        if self.baseline is None or not q.answerable:
            return {}, ""
        result = self.baseline.search(query, K)
        scores = retrieval_scores("retrieval.baseline", chunk_ranking(result.chunks, q.gold_ids),
                                  q.gold_ids)
        conveyed = self.matcher.conveyed(q.key_points, result.top_text)
        scores["baseline.kp_coverage"] = sum(conveyed) / len(conveyed)
        scores["baseline.kp_all"] = float(all(conveyed))
        return scores, result.top_text

    def score(self, q: Question) -> dict[str, Any]:
        """One question end to end."""
        view, query = self.ask(q)
        scores, details = score_answer(q, view, self.by_id, self.support, self.matcher)
        scores.update(llm_scores(self.last_answer, self.settings))
        retrieval, ranked = self.retrieval(q, query)
        base, base_text = self.baseline_scores(q, query)
        scores.update(retrieval)
        scores.update(base)
        hybrid = ranked.get("hybrid", [])
        rank = next((i for i, p in enumerate(hybrid, 1) if p in q.gold_ids), None)
        return _record(q, scores, details, query=query, retrieved=ranked, hybrid_rank=rank,
                       baseline_answer=base_text[:800])

    def meta(self) -> dict[str, Any]:
        mode = "llm" if self.settings.llm_enabled else "extractive"
        return {"system": f"tipguide ({mode})", "settings_hash": self.settings.answer_hash(),
                "embedder": self.settings.embedder, "internal_errors": self.internal_errors,
                "baseline_chunks": self.baseline.n_chunks if self.baseline else None,
                "baseline_build_seconds": round(self.baseline.build_seconds, 2) if self.baseline else None}

    def close(self) -> None:
        if self.baseline is not None:
            self.baseline.close()


def run_system(settings: Settings, opts: EvalOptions) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Score tipguide on the question set."""
    run = SystemRun(settings, opts)
    try:
        questions, remapped = _load_questions(opts, list(run.by_id.values()))
        records = [run.score(q) for q in _progress(questions, opts.progress, "eval")]
        return records, {**run.meta(), "gold_ids_re_resolved": remapped}
    finally:
        run.close()


# ---------------------------------------------------------------------------- another system
def run_external(settings: Settings, opts: EvalOptions) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Score the answers in ``opts.answers`` against the same questions, judge and matcher."""
    from assistant.embed import get_embedder
    from assistant.evaluate.external import load_answers, retrieved_ids, to_view
    from assistant.index import live_corpus

    assert opts.answers is not None
    rows = load_answers(opts.answers)
    passages = list(live_corpus(settings).passages.values())
    questions, remapped = _load_questions(opts, passages)
    by_id = {p.id: p for p in passages}
    embedder = MemoEmbedder(get_embedder(settings))
    support, matcher = support_fn(settings, embedder), KeyPointMatcher(embedder)
    records, missing = [], []
    for q in _progress(questions, opts.progress, "score"):
        row = rows.get(q.id)
        if row is None:
            missing.append(q.id)
            view = AnswerView("", True, error="no answer in the file")
        else:
            view = to_view(row, by_id, passages)
        scores, details = score_answer(q, view, by_id, support, matcher)
        ranked = retrieved_ids(row, by_id, passages) if row else None
        if ranked is not None and q.answerable:
            scores.update(retrieval_scores("retrieval.external", ranked, q.gold_ids))
        records.append(_record(q, scores, details))
    return records, {"system": f"external: {opts.answers.name}", "settings_hash": "",
                     "embedder": settings.embedder, "missing_answers": missing,
                     "gold_ids_re_resolved": remapped}


def run_eval(settings: Settings, opts: EvalOptions) -> tuple[Path, dict[str, Any]]:
    """Run, aggregate, write the run folder; returns (folder, summary)."""
    started = datetime.now().isoformat(timespec="seconds")
    out = opts.out or default_out(settings)  # named by start time
    t0 = time.perf_counter()
    records, meta = (run_external if opts.answers else run_system)(settings, opts)
    meta.update(opts.meta, split=opts.split, started=started,
                seconds=round(time.perf_counter() - t0, 1), questions_file=str(opts.questions_path))
    summary = summarize(records, meta)
    write_run(out, summary, records)
    return out, summary
