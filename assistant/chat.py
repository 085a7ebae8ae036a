"""Chat stage: the ``Assistant`` that turns a question (and its conversation) into a cited ``Answer``.

rewrite follow-up -> retrieve -> evidence gate (refuse?) -> answer (extractive, or LLM when
configured, falling back to extractive with a notice) -> verify every sentence -> assemble citations.
Used by the CLI, the web UI and the evaluator alike.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from assistant.answer.extractive import assess_evidence, missing_detail, select_sentences
from assistant.corpus import Corpus
from assistant.errors import (
    BackendUnavailableError,
    BadQueryError,
    IndexMissingError,
)
from assistant.models import Answer, AnswerSentence, Citation, Filters, Hit, Turn
from assistant.retrieve import Retriever, clean_query, fuse_hits
from assistant.settings import Settings
from assistant.text import content_words
from assistant.verify import check_support

RE_ANAPHORA = re.compile(r"\b(it|its|they|them|their|theirs|this|that|these|those|he|she|his|her|"
                         r"such|the same|the court|the report|the paper|the recommendation)\b", re.I)
Progress = Callable[[str, float], None]


def rewrite_followup(question: str, history: list[Turn]) -> str:
    """Deterministic follow-up resolution: a question leaning on a pronoun (or too short to stand
    alone) is searched together with the previous user question."""
    previous = [t.content for t in history if t.role == "user"]
    if not previous:
        return question
    if RE_ANAPHORA.search(question) or len(content_words(question)) < 3:
        return f"{question} (context: {previous[-1]})"
    return question


class Assistant:
    """Answers questions from the indexed documents, every sentence cited and verified."""

    def __init__(self, settings: Settings, retriever: Retriever) -> None:
        self.settings = settings
        self.retriever = retriever
        self._llm: Any = None
        self._follower: Any = None

    @property
    def corpus(self) -> Corpus:
        """The documents and passages of the index version this assistant answers from."""
        return self.retriever.corpus

    def current(self) -> Assistant:
        """The assistant on the live index version: this one until a build switches versions, then
        one on the new version (opened in the background, swapped in between requests, no restart).
        A long-running server calls this once per request and uses the result for the whole request."""
        if self._follower is None:
            from assistant.index import Follower

            def opener() -> tuple[Assistant, str]:
                fresh = Assistant(self.settings, Retriever.open(self.settings))
                fresh._llm = self._llm  # one LLM client per process
                return fresh, fresh.retriever.handle.version

            self._follower = Follower(self.settings, self, self.retriever.handle.version, opener)
        return self._follower.get()

    @classmethod
    def from_settings(cls, settings: Settings, build_if_missing: bool = False,
                      progress: Progress | None = None) -> Assistant:
        """Open the live index, building it first when asked and none exists."""
        try:
            return cls(settings, Retriever.open(settings))
        except IndexMissingError:
            if not build_if_missing:
                raise
        from assistant.index import build_index

        build_index(settings, progress=progress)
        return cls(settings, Retriever.open(settings))

    # ------------------------------------------------------------------ public API
    def ask(self, question: str, history: list[Turn] | None = None,
            filters: Filters | None = None) -> Answer:
        """Answer ``question`` in the context of ``history``."""
        answer: Answer | None = None
        for item in self.ask_stream(question, history, filters):
            if isinstance(item, Answer):
                answer = item
        assert answer is not None
        return answer

    def ask_stream(self, question: str, history: list[Turn] | None = None,
                   filters: Filters | None = None) -> Iterator[str | Answer]:
        """Yield text deltas as the answer forms, then the complete ``Answer``."""
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        q = self._check_question(question)
        history = history or []
        standalone, mode_llm = self._standalone(q, history, timings)
        t = time.perf_counter()
        hits = self._search(q, standalone, filters)
        timings["retrieve"] = time.perf_counter() - t
        evidence = assess_evidence(standalone if not history else q, hits, self.retriever,
                                   self.settings.refuse_threshold, self.settings.effective_domain_threshold,
                                   topic_query=standalone)
        if evidence.refuse:
            yield self._refusal(q, standalone, hits, evidence.reason, timings, t0, evidence.kind)
            return
        notice = ""
        sentences: list[AnswerSentence] = []
        if mode_llm:
            try:
                t = time.perf_counter()
                # Raw model deltas are not streamed: they can carry prompt echoes or uncited text
                # that parsing drops. The verified sentences stream below instead.
                sentences = self._llm_answerer().answer(standalone, hits)
                timings["answer"] = time.perf_counter() - t
                sentences = self._verify(sentences, timings, thorough=True)
                if not any(s.support != "unsupported" for s in sentences):
                    raise BackendUnavailableError("the model's answer was not supported by the sources")
            except BackendUnavailableError as exc:
                notice = f"LLM unavailable ({exc}); showing the extractive answer instead."
                mode_llm, sentences = False, []
        if not mode_llm:
            t = time.perf_counter()
            sentences = self._select(q, standalone, hits, history)
            timings["answer"] = time.perf_counter() - t
            why = missing_detail(q, sentences, self.retriever) if sentences else "no sentence answers the question"
            if why:
                yield self._refusal(q, standalone, hits, why, timings, t0, "missing_detail")
                return
            sentences = self._verify(sentences, timings, thorough=False)
        answer = self._assemble(q, standalone, sentences, hits, "llm" if mode_llm else "extractive",
                                notice, timings, t0)
        yield from (line + " " for line in answer.answer.split("\n"))
        yield answer

    def health(self) -> dict[str, Any]:
        """Mode, LLM server health and index state, for the UI's indicator."""
        llm: str | None = None
        if self.settings.llm_enabled:
            try:
                llm = "ok" if self._llm_answerer().health() else "down"
            except Exception:
                llm = "down"
        h = self.retriever.handle
        return {"mode": "llm" if self.settings.llm_enabled else "extractive", "llm": llm,
                "index": {"version": h.version, "passages": len(h.passages), "stale": h.stale,
                          "chroma": self.settings.chroma_url or "embedded"}}

    # ------------------------------------------------------------------ steps
    def _check_question(self, question: str) -> str:
        limit = self.settings.max_question_chars
        q = " ".join((question or "").split())
        if len(q) > limit:
            raise BadQueryError(f"the question is {len(q):,} characters long; please keep it under {limit:,}")
        return clean_query(q, limit)

    def _standalone(self, q: str, history: list[Turn], timings: dict[str, float]) -> tuple[str, bool]:
        t = time.perf_counter()
        mode_llm = self.settings.llm_enabled
        standalone = rewrite_followup(q, history)
        if mode_llm and history:
            try:
                standalone = self._llm_answerer().condense(q, history) or standalone
            except BackendUnavailableError:
                mode_llm = False  # the answer step would fail the same way
        timings["rewrite"] = time.perf_counter() - t
        return clean_query(standalone, self.settings.max_query_chars * 2), mode_llm

    def _search(self, q: str, standalone: str, filters: Filters | None) -> list[Hit]:
        """Hits for the question. A follow-up rewritten with its context is searched both ways and
        fused, so a new condition it adds ("…and administrative fines?") is searched for itself
        rather than drowned by the previous question's words."""
        k = self.settings.k
        hits = self.retriever.search(standalone, k, filters)
        if standalone == q or len(content_words(q)) < 2:
            return hits
        return fuse_hits([hits, self.retriever.search(q, k, filters)], k, self.settings.rrf_k)

    def _select(self, q: str, standalone: str, hits: list[Hit], history: list[Turn]) -> list[AnswerSentence]:
        """Extractive sentences. In a conversation they are scored against the new question when it
        stands on its own, and sentences the previous answer already quoted are demoted."""
        s = self.settings
        said = next((t.content for t in reversed(history) if t.role == "assistant"), "")
        focus = q if standalone != q and len(content_words(q)) >= 3 else standalone
        return select_sentences(focus, hits, self.retriever, s.answer_words, s.max_sentences,
                                already_said=said, direct_at=s.relevance_direct, related_at=s.relevance_related)

    def _llm_answerer(self) -> Any:
        if self._llm is None:
            from assistant.answer.llm import LlmAnswerer

            self._llm = LlmAnswerer(self.settings)
        return self._llm

    def _verify(self, sentences: list[AnswerSentence], timings: dict[str, float],
                thorough: bool) -> list[AnswerSentence]:
        """Verdict per sentence against what it cites (embeddings only for generated text)."""
        t = time.perf_counter()
        s = self.settings
        for sent in sentences:
            cited = [self.corpus.passages[c] for c in sent.citations if c in self.corpus.passages]
            embedder = self.retriever.embedder if thorough else None
            sent.support, sent.support_score = check_support(
                sent.text, cited, embedder, s.support_threshold, s.weak_threshold)
            if not cited and "uncited" not in sent.flags:
                sent.flags.append("uncited")
        timings["verify"] = time.perf_counter() - t
        return sentences

    def _citation(self, n: int, pid: str, pinpoint: str = "") -> Citation:
        p = self.corpus.passages[pid]
        d = self.corpus.document_of(p)
        return Citation(n=n, passage_id=pid, document_id=p.document_id,
                        citation=pinpoint or self.corpus.citation(p),
                        text=p.text, footnotes=p.footnotes, url=d.url if d else "",
                        title=d.title if d else "", symbol=d.symbol if d else "",
                        body=d.body if d else "", type=d.type if d else "", date=d.date if d else "",
                        section=p.section_path)

    def _assemble(self, q: str, standalone: str, sentences: list[AnswerSentence], hits: list[Hit],
                  mode: str, notice: str, timings: dict[str, float], t0: float) -> Answer:
        numbers: dict[str, int] = {}
        parts = []
        for s in sentences:
            for pid in s.citations:
                numbers.setdefault(pid, len(numbers) + 1)
            marks = "".join(f"[{numbers[c]}]" for c in s.citations)
            parts.append(f"{s.text} {marks}".strip())
        timings["total"] = time.perf_counter() - t0
        return Answer(
            question=q, standalone_question=standalone, answer="\n".join(parts), sentences=sentences,
            citations=[self._citation(n, pid, _pinpoint(sentences, pid)) for pid, n in numbers.items()],
            searched=_searched(hits), mode=mode, notice=notice,  # type: ignore[arg-type]
            timings={k: round(v, 4) for k, v in timings.items()},
            settings_hash=self.settings.answer_hash(),
        )

    def _refusal(self, q: str, standalone: str, hits: list[Hit], reason: str,
                 timings: dict[str, float], t0: float, kind: str = "") -> Answer:
        timings["total"] = time.perf_counter() - t0
        text = ("The indexed documents do not answer this question: " + reason + ". "
                "The nearest passages searched are listed so you can judge for yourself.")
        return Answer(question=q, standalone_question=standalone, answer=text, refused=True,
                      refusal_reason=reason, refusal_kind=kind,  # type: ignore[arg-type]
                      searched=_searched(hits),
                      mode="llm" if self.settings.llm_enabled else "extractive",
                      timings={k: round(v, 4) for k, v in timings.items()},
                      settings_hash=self.settings.answer_hash())


def _searched(hits: list[Hit], n: int = 5) -> list[dict[str, object]]:
    return [h.to_json() for h in hits[:n]]



__all__ = ["Assistant", "rewrite_followup"]


def _pinpoint(sentences: list[AnswerSentence], pid: str) -> str:
    """The sub-item citation of ``pid`` when every sentence citing it was taken from that one sub-item."""
    pins = {s.pinpoints.get(pid, "") for s in sentences if pid in s.citations}
    return pins.pop() if len(pins) == 1 else ""
