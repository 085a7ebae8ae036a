"""Chat stage: the ``Assistant`` that turns a question (and its conversation) into a cited ``Answer``.

rewrite follow-up -> retrieve -> evidence gate (refuse?) -> answer (extractive, or LLM when
configured, falling back to extractive with a notice) -> verify every sentence -> assemble citations.
Used by the CLI, the web UI and the evaluator alike.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.answer.base import Deadline, Delta, ExtractiveAnswerer
from assistant.answer.extractive import (
    RE_INSTRUCTION,
    assess_evidence,
    missing_detail,
    unanswered_part,
)
from assistant.answer.llm.breaker import CircuitBreaker
from assistant.answer.llm.transport import DeadlineExceededError
from assistant.corpus import Corpus
from assistant.errors import (
    BackendUnavailableError,
    BadQueryError,
    IndexMissingError,
)
from assistant.models import Answer, AnswerSentence, Citation, Draft, Filters, Hit, Turn
from assistant.retrieve import Retriever, clean_query, fuse_hits
from assistant.settings import Settings
from assistant.text import (
    Respelling,
    content_words,
    is_small_talk,
    question_language,
    requested_length,
    unshouted,
    with_context,
    without_form_request,
)
from assistant.verify import check_support

# A question that leans on the last one: a pronoun, or words that continue it.
RE_FOLLOW_UP = re.compile(r"\b(it|its|they|them|their|theirs|this|that|these|those|he|she|his|her|"
                          r"such|the same|the court|the report|the paper|the recommendation)\b"
                          # a question that continues the last one: "And if the victim is a child?",
                          # "What about smuggled migrants, same thing?"
                          # "Anything specifically about the private sector?": no verb, nothing of its own
                          r"|^\W*(and|but|or|so|also|anything|any)\b|\b(what|how) about\b|\bwhat if\b|\bsame (thing|rules?|goes)\b"
                          r"|\b(as well|instead)\b"
                          # words pointing back at what was just read: "was there anything in there about
                          # training?", "what else did the document say?", "you mentioned shelters"
                          r"|\b(in|from) there\b|\btherein\b|\bin it\b|\bwhat else\b|\banything else\b"
                          # (one document: "what do the texts say about X?" asks all of them)
                          r"|\bthe (same )?(document|text|slides|answer)\b"
                          r"|\byou (said|mentioned|quoted|cited)\b", re.I)
Progress = Callable[[str, float], None]
# The reply to "hello" or "thanks": what tipguide does, and a question to start from.
SMALL_TALK_REPLY = ("tipguide answers questions on trafficking in persons and the smuggling of migrants from "
                    "the indexed UN texts, quoting and citing each paragraph it relies on: ask one, for example "
                    "“Can victims be punished for offences they were compelled to commit?”.")

if TYPE_CHECKING:
    from assistant.answer.llm import StreamStats


@dataclass
class LlmOutcome:
    """How an LLM answer ended: sentences to show, a refusal, or nothing (use extractive)."""

    sentences: list[AnswerSentence] = field(default_factory=list)
    withdrawn: list[AnswerSentence] = field(default_factory=list)
    notice: str = ""
    refusal: str = ""


def _same_text(a: str, b: str, at: float = 0.85) -> bool:
    """True when two sentences say the same words (a bottom line copied from a quote)."""
    wa, wb = content_words(a), content_words(b)
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= at


def withdraw_reason(sentence: AnswerSentence) -> str:
    """Why a model sentence may not stand as part of the answer ("" when it may).

    Only verbatim quotes and sentences the checker rates "supported" are shown; a sentence that
    addresses an AI system, was cut off, or cites nothing is withdrawn whatever its score.
    """
    if not sentence.citations:
        return "cites no source"
    if "truncated" in sentence.flags:
        return "cut off"
    if RE_INSTRUCTION.search(sentence.text):
        return "reads as an instruction, not an answer"
    if sentence.support != "supported":
        return f"{sentence.support} by the cited passages"
    return ""


def _leans_back(question: str) -> bool:
    """Does a question lean on an earlier one (a pronoun, "and if…", or too short to stand alone)?"""
    return bool(RE_FOLLOW_UP.search(question)) or len(content_words(question)) < 3


def rewrite_followup(question: str, history: list[Turn], turns: int = 3) -> str:
    """Deterministic follow-up resolution: a question leaning on a pronoun (or too short to stand
    alone) is searched together with the previous user question — and, while that one leans on
    an earlier one too, with those before it (up to ``turns``): in "summarise the 2020
    recommendations" → "which of them deal with non-punishment?" → "were any of those addressed to
    UNODC?", "those" are the 2020 recommendations, which only the first question names."""
    previous = [t.content for t in history if t.role == "user"]
    if not previous or not _leans_back(question):
        return question
    context = [previous[-1]]
    for earlier in reversed(previous[-turns:-1]):
        if not _leans_back(context[0]):
            break
        context.insert(0, earlier)
    return with_context(question, context)


# A follow-up that turns away from the documents named so far: "and the other texts?", "what do the
# rest say?", "anything elsewhere?".
RE_OTHER_DOCUMENTS = re.compile(r"\b(?:other|others|rest|remaining|all|every|any)\b(?:\s+(?:of\s+)?(?:the\s+)?\w+)?"
                                r"\s+(?:documents?|texts?|sources?|papers?|instruments?|materials?|ones)\b|"
                                r"\belsewhere\b|\bthe (?:others|rest)\b", re.I)


def _asked(message: str) -> str:
    """What a message asks besides a request about the answer's length: "" for "shorter please", the
    message itself when it makes no such request."""
    return without_form_request(message) if requested_length(message) else message


class Assistant:
    """Answers questions from the indexed documents, every sentence cited and verified."""

    def __init__(self, settings: Settings, retriever: Retriever) -> None:
        self.settings = settings
        self._retriever: Retriever | None = retriever
        self._llm: Any = None
        self._follower: Any = None
        self.breaker = CircuitBreaker(settings.llm_breaker_failures, settings.llm_breaker_cooldown_s)

    @property
    def retriever(self) -> Retriever:
        """The retriever this assistant answers from (once ``current()`` was called: the newest
        opened version's — the follower alone holds versions, so old ones can be released)."""
        if self._follower is not None:
            return self._follower.value.retriever
        assert self._retriever is not None
        return self._retriever

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
                fresh.breaker = self.breaker  # and one view of its health
                return fresh, fresh.retriever.handle.version

            first = Assistant(self.settings, self.retriever)
            first._llm = self._llm
            self._follower = Follower(self.settings, first, first.retriever.handle.version, opener)
            self._retriever = None  # no reference of ours keeps the first version's lease alive
        return self._follower.get()

    @classmethod
    def from_settings(cls, settings: Settings, build_if_missing: bool = False,
                      progress: Progress | None = None, refresh: bool = False) -> Assistant:
        """Open the live index, building it first when asked and none exists. With ``refresh``, a
        stale index (the corpus, the index settings or the parser changed since it was built: a
        document added, an upgrade) is brought up to date first; if that fails, the version built
        before serves and the failure is logged."""
        from assistant.index import build_index, current_version

        if refresh:
            try:
                build_index(settings, progress=progress)  # a no-op in milliseconds when fresh
            except Exception as exc:  # any failure: the previous version, if there is one, serves
                if current_version(settings) is None:
                    raise
                logging.getLogger(__name__).warning(
                    "the index could not be brought up to date (%s); serving the version built before", exc)
        try:
            return cls(settings, Retriever.open(settings))
        except IndexMissingError:
            if not build_if_missing:
                raise
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
                   filters: Filters | None = None) -> Iterator[str | Draft | Answer]:
        """Yield the answer as it forms, then the complete ``Answer``.

        Extractive answers stream as text lines. LLM answers stream as ``Draft`` snapshots: the
        sentence being written, then each sentence once verified (with its support mark) or
        withdrawn; one deadline (``llm_timeout_s``) bounds the whole LLM answer.
        """
        typed = self._check_question(question)
        read = unshouted(typed)
        unread = self._not_a_question(read)  # read as typed: spelling would "correct" French words
        if unread is not None:
            yield unread
            return
        spelled = self.corpus.respell(read) if self.settings.spelling else Respelling(read)
        length = requested_length(spelled.text)
        q, turns = self._without_form_request(spelled.text, history or []) if length else (spelled.text, history or [])
        said = [spelled.notice() if spelled.fixes else "",  # what the question was read as
                f"At most {length} sentence{'s' if length > 1 else ''}, as asked." if length else ""]
        for item in self._answer_stream(q, turns, filters, length):
            if isinstance(item, Answer):
                notice = " ".join(n for n in (*said, item.notice) if n)
                item = item.model_copy(update={"question": typed, "notice": notice})
            yield item

    @staticmethod
    def _without_form_request(q: str, history: list[Turn]) -> tuple[str, list[Turn]]:
        """A message asking for a shorter answer: the question it asks besides ("shorter pls, and
        which resolution was it?"), or, when it asks nothing else ("can you give me that in 3 bullet
        points?"), the last question that did ask something ("shorter" twice goes back past the first)
        with the history it was asked in — answered anew, not as a follow-up that must say something new."""
        if rest := _asked(q):
            return rest, history
        last = next((i for i in range(len(history) - 1, -1, -1)
                     if history[i].role == "user" and _asked(history[i].content)), None)
        return (q, history) if last is None else (_asked(history[last].content), history[:last])

    def _not_a_question(self, typed: str) -> Answer | None:
        """One line for a greeting or thanks, and for a question in another language (MiniLM and
        BM25 read English only: a French question matched passages by accident); None otherwise."""
        t0, timings = time.perf_counter(), dict[str, float]()
        if is_small_talk(typed):
            return self._refusal(typed, typed, [], SMALL_TALK_REPLY, timings, t0, "small_talk")
        language = question_language(typed)
        if language in ("", "English"):
            return None
        return self._refusal(typed, typed, [], f"The question seems to be in {language}, and the texts are "
                             "searched in English only (no multilingual model is available offline): please "
                             "ask in English.", timings, t0, "language")

    def _answer_stream(self, q: str, history: list[Turn], filters: Filters | None,
                       length: int | None = None) -> Iterator[str | Draft | Answer]:
        t0 = time.perf_counter()
        timings: dict[str, float] = {}
        deadline, notice = self._llm_gate()
        standalone, mode_llm = self._standalone(q, history, timings, deadline)
        if deadline is not None and not mode_llm and not notice:
            notice = f"LLM unavailable ({self.breaker.last_reason}); showing the extractive answer instead."
        t = time.perf_counter()
        hits = self._search(q, standalone, filters)
        # the off-topic gate and the weak-match bars were set on the reciprocal-rank fusion's hits:
        # the learned fusion puts more of the dense search's paragraphs first, whose plain
        # similarity to any question is higher, so they keep reading that ranking
        checked = self._search(q, standalone, filters, learned=False) if self.retriever.fusion else hits
        timings["retrieve"] = time.perf_counter() - t
        evidence = assess_evidence(standalone if not history else q, checked, self.retriever,
                                   self.settings.refuse_threshold, self.settings.effective_domain_threshold,
                                   topic_query=standalone,
                                   neighbour_margin=self.settings.effective_neighbour_margin)
        if evidence.refuse:
            yield self._refusal(q, standalone, hits, evidence.reason, timings, t0, evidence.kind)
            return
        if mode_llm and deadline is not None:
            outcome = yield from self._llm_stream(standalone, hits, deadline, timings)
            if outcome.refusal:
                yield self._refusal(q, standalone, hits, outcome.refusal, timings, t0, "model_declined")
                return
            why = missing_detail(q, outcome.sentences, self.retriever) if outcome.sentences else ""
            if why:  # the same rule as extractive answers: the asked-for detail must be quoted
                yield self._refusal(q, standalone, hits, why, timings, t0, "missing_detail")
                return
            if outcome.sentences:
                yield self._assemble(q, standalone, outcome.sentences[:length], hits, "llm", outcome.notice,
                                     timings, t0, outcome.withdrawn)
                return
            notice = outcome.notice
        yield from self._extractive(q, standalone, hits, history, notice, timings, t0, length)

    def _extractive(self, q: str, standalone: str, hits: list[Hit], history: list[Turn], notice: str,
                    timings: dict[str, float], t0: float, length: int | None = None) -> Iterator[str | Answer]:
        t = time.perf_counter()
        sentences = self._select(q, standalone, hits, history)[:length]  # as short as the user asked
        timings["answer"] = time.perf_counter() - t
        why = missing_detail(q, sentences, self.retriever) if sentences else "no sentence answers the question"
        part = unanswered_part(q, sentences, self.retriever) if why and sentences else ""
        if part:  # several questions in one message: answer the rest, say what is missing
            notice = " ".join(n for n in (notice, f"Part of the question is not answered: {part}.") if n)
            why = ""
        if why:
            yield self._refusal(q, standalone, hits, why, timings, t0, "missing_detail")
            return
        sentences = self._verify(sentences, timings, thorough=False)
        notice = " ".join(n for n in (notice, self._more_items(standalone, sentences)) if n)
        answer = self._assemble(q, standalone, sentences, hits, "extractive", notice, timings, t0)
        yield from (line + " " for line in answer.answer.split("\n"))
        yield answer

    def _more_items(self, question: str, sentences: list[AnswerSentence]) -> str:
        """When a document's items were asked for as a list and the answer's length quotes only
        some of them, say how many there are and how to read the rest ("" otherwise)."""
        items = self.retriever.corpus.items_listed(question)
        quoted = {pid for s in sentences for pid in s.citations} & {p.id for p in items}
        if not items or len(quoted) >= len(items):
            return ""
        unquoted = next(p for p in items if p.id not in quoted)
        doc = self.retriever.corpus.document_of(unquoted)
        name = (doc.short_title or doc.title) if doc else unquoted.document_id
        return (f"{name}: {len(items)} {unquoted.label_kind}s in all, {len(quoted)} quoted here. Ask for one by "
                f"its number (“{unquoted.label}”) to read any other.")

    # ------------------------------------------------------------------ LLM mode
    def _llm_gate(self) -> tuple[Deadline | None, str]:
        """The answer's deadline when the LLM may be tried now; else None and why not."""
        if not self.settings.llm_enabled:
            return None, ""
        if not self.breaker.allow():
            return None, self.breaker.notice()
        try:
            # One-time set-up (client import, local model load) is not part of an answer's deadline.
            self._llm_answerer().prepare()
        except BackendUnavailableError as exc:
            self.breaker.failure(str(exc))
            return None, f"LLM unavailable ({exc}); showing the extractive answer instead."
        return Deadline(self.settings.llm_timeout_s), ""

    def _llm_stream(self, question: str, hits: list[Hit], deadline: Deadline,
                    timings: dict[str, float]) -> Generator[Draft, None, LlmOutcome]:
        """Stream the model's answer as verified ``Draft`` snapshots; the outcome decides the rest."""
        draft = Draft()
        llm = self._llm_answerer()
        t = time.perf_counter()
        error: BackendUnavailableError | None = None
        try:
            for event in llm.stream(question, hits, deadline):
                if isinstance(event, Delta):
                    draft.pending = event.text
                else:
                    draft.pending = ""
                    self._present(event, draft)
                yield draft.model_copy(deep=True)
        except BackendUnavailableError as exc:
            error = exc
        finally:
            timings["answer"] = time.perf_counter() - t
            if llm.stats.first_token_s is not None:
                timings["first_token"] = llm.stats.first_token_s
        return self._llm_outcome(draft, error, llm.stats)

    def _llm_outcome(self, draft: Draft, error: BackendUnavailableError | None,
                     stats: StreamStats) -> LlmOutcome:
        """What to show: the verified sentences, a refusal, or (empty) the extractive fallback."""
        if error is not None:
            self.breaker.failure(str(error))
            if draft.sentences and isinstance(error, DeadlineExceededError):
                return LlmOutcome(draft.sentences, draft.withdrawn, notice=(
                    f"The model was stopped at the {self.settings.llm_timeout_s:g} s deadline; "
                    "the answer below is what had been verified by then."))
            return LlmOutcome(notice=f"LLM unavailable ({error}); showing the extractive answer instead.")
        self.breaker.success()
        notice = "The model's reply was cut at the output limit." if stats.capped else ""
        if draft.sentences:
            return LlmOutcome(draft.sentences, draft.withdrawn, notice=notice)
        if stats.declined and not draft.withdrawn:
            return LlmOutcome(refusal="the model found no sentence in the sources that answers it")
        if not draft.withdrawn:
            return LlmOutcome(notice="The model's reply held no usable answer; showing the "
                                     "extractive answer instead.")
        return LlmOutcome(notice="The model's answer was not supported by the sources; showing the "
                                 "extractive answer instead.")

    def _present(self, sentence: AnswerSentence, draft: Draft) -> None:
        """Verify one finished sentence; show it with its mark, withdraw it, or drop an echo."""
        if "prompt_echo" in sentence.flags or "not_addressed" in sentence.flags:
            return  # our own wording or "sources do not address this": never part of an answer
        if any(_same_text(sentence.text, seen.text) for seen in draft.sentences + draft.withdrawn):
            return  # a bottom line that repeats a quote, or a rambling repeat, adds nothing
        self._verify([sentence], {}, thorough="quote" not in sentence.flags)
        if withdraw_reason(sentence):
            sentence.flags.append("withdrawn")
            sentence.citations = []  # a withdrawn sentence never carries citation chips
            draft.withdrawn.append(sentence)
            return
        for pid in sentence.citations:
            draft.numbers.setdefault(pid, len(draft.numbers) + 1)
        draft.sentences.append(sentence)

    def warm_up(self) -> str:
        """Build now what the first answer would wait for: the spelling dictionary (a quarter of a
        second; a worker that moves to a new version builds that version's on its first question),
        the neighbouring subjects' embeddings (most of a second on a first start, read from the
        vector cache after), and the LLM client (and the local model). "" or why the LLM is not
        ready."""
        if self.settings.spelling:
            _ = self.corpus.speller
        if self.settings.effective_neighbour_margin is not None:
            _ = self.retriever.neighbour_fields
        if not self.settings.llm_enabled:
            return ""
        try:
            self._llm_answerer().prepare()
        except BackendUnavailableError as exc:
            return str(exc)
        return ""

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

    def _standalone(self, q: str, history: list[Turn], timings: dict[str, float],
                    deadline: Deadline | None) -> tuple[str, bool]:
        t = time.perf_counter()
        mode_llm = deadline is not None
        standalone = rewrite_followup(q, history)
        if mode_llm and history:
            try:
                standalone = self._llm_answerer().condense(q, history, deadline) or standalone
            except BackendUnavailableError as exc:
                self.breaker.failure(str(exc))
                mode_llm = False  # the answer step would fail the same way
        timings["rewrite"] = time.perf_counter() - t
        return clean_query(standalone, self.settings.max_query_chars * 2), mode_llm

    def _search(self, q: str, standalone: str, filters: Filters | None, learned: bool = True) -> list[Hit]:
        """Hits for the question (``learned``: see ``Retriever.search``). A follow-up rewritten
        with its context is searched both ways and fused, so a new condition it adds ("…and
        administrative fines?") is searched for itself rather than drowned by the previous
        question's words."""
        k = self.settings.k
        hits = self.retriever.search(standalone, k, filters, learned=learned)
        if standalone == q or len(content_words(q)) < 2:
            return hits
        still = self._still_about(q, standalone, filters)
        return fuse_hits([hits, self.retriever.search(q, k, still, learned=learned)], k, self.settings.rrf_k)

    def _still_about(self, q: str, standalone: str, filters: Filters | None) -> Filters | None:
        """The filters for a follow-up searched on its own: the documents the conversation was
        about, when the follow-up names none and does not turn to the others ("did they say anything
        about children?" after a question on the 2020 recommendations is still about them; "what do
        the other texts say?" is not), else ``filters`` as given."""
        if (filters is not None and filters.documents) or RE_OTHER_DOCUMENTS.search(q):
            return filters
        corpus = self.corpus
        named = corpus.documents_named_in(standalone)
        if not named or corpus.documents_named_in(q):
            return filters
        return (filters or Filters()).model_copy(update={"documents": named})

    def _select(self, q: str, standalone: str, hits: list[Hit], history: list[Turn]) -> list[AnswerSentence]:
        """Extractive sentences. In a conversation they are scored against the new question when it
        stands on its own, and sentences the previous answer already quoted are demoted."""
        said = next((t.content for t in reversed(history) if t.role == "assistant"), "")
        focus = q if standalone != q and len(content_words(q)) >= 3 else standalone
        return ExtractiveAnswerer(self.settings, self.retriever, already_said=said).answer(focus, hits)

    def _llm_answerer(self) -> Any:
        if self._llm is None:
            from assistant.answer.llm import LlmAnswerer

            self._llm = LlmAnswerer(self.settings, retriever=self.retriever)
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
                  mode: str, notice: str, timings: dict[str, float], t0: float,
                  withdrawn: list[AnswerSentence] | None = None) -> Answer:
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
            searched=_searched(hits), ranked=[h.passage.id for h in hits],
            mode=mode, notice=notice,  # type: ignore[arg-type]
            timings={k: round(v, 4) for k, v in timings.items()},
            settings_hash=self.settings.answer_hash(), withdrawn=withdrawn or [],
        )

    def _refusal(self, q: str, standalone: str, hits: list[Hit], reason: str,
                 timings: dict[str, float], t0: float, kind: str = "") -> Answer:
        timings["total"] = time.perf_counter() - t0
        if kind in ("language", "small_talk"):  # not a judgement on the texts: there was no question to read
            text = reason
        else:
            text = "The indexed documents do not answer this question: " + reason + "."
        if hits:
            text += " The nearest passages searched are listed so you can judge for yourself."
        return Answer(question=q, standalone_question=standalone, answer=text, refused=True,
                      refusal_reason=reason, refusal_kind=kind,  # type: ignore[arg-type]
                      searched=_searched(hits), ranked=[h.passage.id for h in hits],
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
