"""LLM answering: numbered sources in, streamed text out, sentences with passage citations back.

The model sees the retrieved paragraphs as numbered ``<source>`` blocks, budgeted with tiktoken,
and must end each sentence with ``[n]``. ``parse`` maps the markers back to passage ids; it never
decides support (the verifier does), it only flags what it can see: ``invalid_marker`` (a number
naming no source, removed from the text), ``uncited`` (no valid marker), ``not_addressed`` (the
model's "sources do not address this" sentence) and ``prompt_echo`` (the sentence repeats our
instructions; ``answer`` drops those so the prompts are never shown).

Every failure of the server (down, HTTP error, timeout, a total wall-clock overrun while streaming,
empty or unusable output) becomes ``BackendUnavailableError`` with a one-line reason, which the
orchestrator turns into the extractive answer with a notice.
"""

from __future__ import annotations

import queue
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant import prompts, tokens
from assistant.errors import BackendUnavailableError
from assistant.models import AnswerSentence, Hit, Turn
from assistant.settings import Settings
from assistant.text import CITATION_MARKER, marker_numbers
from assistant.text import split_sentences as text_sentences

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langchain_core.messages import BaseMessage

# tiktoken counts only estimate the server's own tokenizer (Gemma splits digits one by one, ...):
# keep a tenth of the budget in reserve so the real prompt still fits the server's context.
BUDGET_MARGIN = 0.9
# Below this many tokens a source is not worth sending even truncated.
MIN_SOURCE_TOKENS = 48
HISTORY_TURNS = 6
HISTORY_TURN_TOKENS = 300
NOT_ADDRESSED = "The provided sources do not address this question."

_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_WORD = re.compile(r"[^\W\d_]+")
_TAG = re.compile(r"</?\s*(?:source|question|conversation)\b", re.IGNORECASE)
_WHOLE_TAG = re.compile(r"</?\s*(?:source|question|conversation)\b[^>]{0,40}>", re.IGNORECASE)


@dataclass
class Context:
    """The numbered sources actually sent: ``sources[i]`` is ``[i + 1]``."""

    sources: list[Hit]
    text: str
    dropped: int = 0
    truncated: bool = False
    tokens: int = 0
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- parsing (pure functions)


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` with their trailing markers; each line and list item stands alone."""
    return [s for raw in text.splitlines() for s in text_sentences(_BULLET.sub("", raw).strip())]


def _strip_markers(sentence: str) -> tuple[str, list[int]]:
    """The sentence without numeric markers, and the numbers they named, in order."""
    numbers = [n for m in CITATION_MARKER.finditer(sentence) for n in marker_numbers(m.group(1))]
    # Our own delimiter tags are prompt structure, never answer text (a base model echoes them).
    text = CITATION_MARKER.sub(" ", _WHOLE_TAG.sub(" ", sentence))
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip(), numbers


def is_usable(text: str) -> bool:
    """A sentence worth showing: two words, or one long run of a script written without spaces.

    Rejects lone headings ("Rules:"), digits and symbols; accepts "第三条规定了定义" (no spaces).
    """
    words = _WORD.findall(text)
    if len(words) >= 2:
        return sum(len(w) for w in words) >= 4
    return bool(words) and len(words[0]) >= 6 and not words[0].isascii()


def _shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORD.findall(text)]
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def prompt_runs(text: str) -> set[tuple[str, ...]]:
    """Every run of 2 to 5 words of ``text``: what ``echoes`` compares a sentence against."""
    out: set[tuple[str, ...]] = set()
    for n in range(2, 6):
        out |= _shingles(text, n)
    return out


def echoes(sentence: str, prompt: set[tuple[str, ...]], threshold: float = 0.5) -> bool:
    """True when ``sentence`` repeats our prompt wording (``prompt`` from ``prompt_runs``).

    A short sentence (2-5 words) echoes if it occurs whole in the prompt, as a truncated base-model
    echo such as "Do not use" does; a longer one if most of its 4-word runs come from the prompt.
    """
    words = tuple(w.lower() for w in _WORD.findall(sentence))
    if 2 <= len(words) <= 5:
        return words in prompt
    own = _shingles(sentence)
    return bool(own) and len(own & prompt) / len(own) >= threshold


def _label_key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _is_source_label(text: str, hits: list[Hit]) -> bool:
    """True for a bare source header such as "CTOC/COP/WG.4/2022/2, para. 12" (a prompt echo)."""
    key = _label_key(text)
    return any(key == _label_key(h.citation) for h in hits)


def _is_not_addressed(text: str) -> bool:
    """The model's short "sources do not address this" sentence (not a long echo of rule 4)."""
    low = text.lower().replace("’", "'")
    if len(_WORD.findall(low)) > 12:
        return False
    return bool(re.search(r"sources? (?:do not|don't|does not|doesn't) (?:address|answer)", low))


def _sentence(
    text: str, numbers: list[int], hits: list[Hit], prompt_shingles: set[tuple[str, ...]]
) -> AnswerSentence:
    """One ``AnswerSentence`` with citations mapped to passage ids and flags set."""
    valid = [n for n in numbers if 1 <= n <= len(hits)]
    citations = list(dict.fromkeys(hits[n - 1].passage.id for n in valid))
    flags: list[str] = []
    if len(valid) < len(numbers):
        flags.append("invalid_marker")
    if _is_not_addressed(text):
        flags.append("not_addressed")
    elif echoes(text, prompt_shingles) or _is_source_label(text, hits):
        flags.append("prompt_echo")
    if not citations and "not_addressed" not in flags:
        flags.append("uncited")
    return AnswerSentence(text=text, citations=citations, flags=flags)


def parse_answer(
    text: str, hits: list[Hit], prompt_shingles: set[tuple[str, ...]] | None = None
) -> list[AnswerSentence]:
    """Sentences of a model answer, ``[n]`` mapped to ``hits[n - 1]``; support is left to the
    verifier ("unsupported")."""
    shingles = prompt_shingles or set()
    out: list[AnswerSentence] = []
    pending: list[int] = []
    for piece in split_sentences(text):
        clean, numbers = _strip_markers(piece)
        if not is_usable(clean):
            # A line of bare markers ("[2]") belongs to the sentence before it.
            if out and numbers:
                prev = out.pop()
                out.append(_merge(prev, numbers, hits, shingles))
            else:
                pending.extend(numbers)
            continue
        out.append(_sentence(clean, pending + numbers, hits, shingles))
        pending = []
    return out


def _merge(
    prev: AnswerSentence, numbers: list[int], hits: list[Hit], shingles: set[tuple[str, ...]]
) -> AnswerSentence:
    """``prev`` re-built with more marker numbers (its existing citations kept)."""
    index = {h.passage.id: i + 1 for i, h in enumerate(hits)}
    old = [index[c] for c in prev.citations]
    merged = _sentence(prev.text, old + numbers, hits, shingles)
    if "invalid_marker" in prev.flags and "invalid_marker" not in merged.flags:
        merged.flags.insert(0, "invalid_marker")
    return merged


# ---------------------------------------------------------------- prompt construction


def neutralize(text: str) -> str:
    """Data text with our delimiter tags defused, so a document cannot close its ``<source>``."""
    return _TAG.sub(lambda m: m.group(0).replace("<", "‹"), text)


def source_block(n: int, hit: Hit, text: str | None = None) -> str:
    """The numbered block the model sees for one passage."""
    body = neutralize(hit.passage.text if text is None else text)
    return f'<source n="{n}">\n[{n}] {neutralize(hit.citation)}\n{body}\n</source>'


def history_text(history: list[Turn], encoding_name: str = tokens.DEFAULT_ENCODING) -> str:
    """The last turns as "User: …" / "Assistant: …" lines, each trimmed to a token budget."""
    lines = []
    for turn in history[-HISTORY_TURNS:]:
        who = "User" if turn.role == "user" else "Assistant"
        text = tokens.trim_to_budget(turn.content.strip(), HISTORY_TURN_TOKENS, encoding_name)
        lines.append(f"{who}: {neutralize(text)}")
    return "\n".join(lines)


# ---------------------------------------------------------------- the answerer


class LlmAnswerer:
    """Answers with a chat model over numbered sources; see the module docstring."""

    def __init__(self, settings: Settings, chat_model: BaseChatModel | None = None) -> None:
        self.settings = settings
        self._injected = chat_model is not None
        self._model = chat_model
        self._encoding = ""
        tokens.ensure_cache(settings.data_dir / "cache" / "tiktoken")

    # -- plumbing

    @property
    def model(self) -> BaseChatModel:
        """The chat model, built from settings on first use."""
        if self._model is None:
            from assistant.llm_adapter import build_chat_model

            self._model = build_chat_model(self.settings)
        return self._model

    @property
    def encoding_name(self) -> str:
        """The tiktoken encoding used to budget prompts for ``settings.llm_model``."""
        if not self._encoding:
            self._encoding = tokens.encoding_name_for_model(self.settings.llm_model)
        return self._encoding

    def _count(self, text: str) -> int:
        return tokens.count_tokens(text, self.encoding_name)

    def system_prompt(self) -> str:
        """The fixed system prompt (nothing from documents or questions is ever put in it)."""
        return prompts.render("system", self.settings.prompts_dir)

    def prompt_shingles(self) -> set[tuple[str, ...]]:
        """Word runs of our fixed prompt wording, used to spot an answer that repeats them."""
        out: set[tuple[str, ...]] = set()
        for name in prompts.PROMPT_NAMES:
            out |= prompt_runs(prompts.static_text(name, self.settings.prompts_dir))
        return out

    # -- context

    def build_context(self, question: str, hits: list[Hit]) -> Context:
        """Numbered sources within ``settings.llm_context_tokens``, best-ranked first.

        The budget covers the whole prompt (system + template + question + sources). Whole sources
        are dropped from the lowest rank up; only if not even the best one fits is it cut, at a
        sentence end and with a visible "[…]" mark.
        """
        fixed = self._count(self.system_prompt()) + self._count(self._user_prompt(question, ""))
        room = int(self.settings.llm_context_tokens * BUDGET_MARGIN) - fixed
        blocks = [source_block(i + 1, h) for i, h in enumerate(hits)]
        kept = tokens.fit_count([b + "\n\n" for b in blocks], room, self.encoding_name)
        text = "\n\n".join(blocks[:kept])
        ctx = Context(sources=hits[:kept], text=text, dropped=len(hits) - kept)
        if kept == 0 and hits and room >= MIN_SOURCE_TOKENS:
            ctx = self._truncated_first(hits, room)
        ctx.tokens = fixed + self._count(ctx.text)
        return ctx

    def _truncated_first(self, hits: list[Hit], room: int) -> Context:
        """Only the best source, cut to fit ``room`` (visibly marked)."""
        overhead = self._count(source_block(1, hits[0], ""))
        cut = tokens.trim_to_budget(hits[0].passage.text, room - overhead, self.encoding_name)
        if not cut:
            return Context(sources=[], text="", dropped=len(hits))
        text = source_block(1, hits[0], cut)
        return Context(sources=hits[:1], text=text, dropped=len(hits) - 1, truncated=True)

    def _user_prompt(self, question: str, sources_text: str) -> str:
        return prompts.render(
            "answer",
            self.settings.prompts_dir,
            sources=sources_text or "(no sources)",
            question=neutralize(question.strip()),
        )

    def messages(self, question: str, context: Context) -> list[BaseMessage]:
        """System rules + one user message holding the numbered sources and the question."""
        from langchain_core.messages import HumanMessage, SystemMessage

        return [
            SystemMessage(content=self.system_prompt()),
            HumanMessage(content=self._user_prompt(question, context.text)),
        ]

    # -- streaming with a hard wall-clock bound

    def _bounded(self, messages: list[BaseMessage]) -> Iterator[str]:
        """Text deltas of ``model.stream``; raises ``BackendUnavailableError`` past the deadline.

        The model is consumed in a worker thread so that a server that stalls mid-stream (or
        trickles one byte at a time, which resets a per-read timeout forever) cannot hold the
        caller beyond ``settings.llm_timeout_s`` in total.
        """
        deadline = time.monotonic() + self.settings.llm_timeout_s
        inbox: queue.Queue[tuple[str, Any]] = queue.Queue()
        stop = threading.Event()
        worker = threading.Thread(
            target=_pump, args=(self.model.stream, messages, inbox, stop), daemon=True
        )
        worker.start()
        try:
            yield from _drain(inbox, deadline, self.settings.llm_timeout_s, self._where())
        finally:
            stop.set()

    def _where(self) -> str:
        return self.settings.llm_base_url or type(self._model).__name__

    def stream(self, question: str, hits: list[Hit]) -> Iterator[str]:
        """Raw text deltas of the answer to ``question`` over the budgeted numbered ``hits``."""
        yield from self._stream_context(question, self.build_context(question, hits))

    def _stream_context(self, question: str, context: Context) -> Iterator[str]:
        produced = False
        for delta in self._bounded(self.messages(question, context)):
            produced = produced or bool(delta.strip())
            yield delta
        if not produced:
            raise BackendUnavailableError(f"LLM server at {self._where()} returned an empty answer")

    # -- public answering API

    def parse(self, text: str, hits: list[Hit]) -> list[AnswerSentence]:
        """Sentences with ``[n]`` mapped to ``hits[n - 1]`` (pass the sources as numbered)."""
        return parse_answer(text, hits, self.prompt_shingles())

    def answer(
        self,
        question: str,
        hits: list[Hit],
        on_delta: Callable[[str], None] | None = None,
    ) -> list[AnswerSentence]:
        """Stream, parse and return the sentences; prompt echoes are dropped, never shown."""
        context = self.build_context(question, hits)
        parts = []
        for delta in self._stream_context(question, context):
            parts.append(delta)
            if on_delta is not None:
                on_delta(delta)
        sentences = [s for s in self.parse("".join(parts), context.sources)
                     if "prompt_echo" not in s.flags]
        if not sentences:
            raise BackendUnavailableError(
                f"LLM server at {self._where()} returned no usable sentence"
            )
        return sentences

    def condense(self, question: str, history: list[Turn]) -> str:
        """A standalone version of a follow-up ``question``; unchanged when there is no history."""
        if not history:
            return question
        from langchain_core.messages import HumanMessage

        prompt = prompts.render(
            "condense",
            self.settings.prompts_dir,
            history=history_text(history, self.encoding_name),
            question=neutralize(question.strip()),
        )
        text = "".join(self._bounded([HumanMessage(content=prompt)]))
        return self._clean_condensed(text, question)

    def _clean_condensed(self, text: str, question: str) -> str:
        """First non-empty line without a "Standalone question:" prefix or quotes; else an error."""
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        line = re.sub(r"^(?:standalone question|question)\s*:\s*", "", lines[0], flags=re.I) \
            if lines else ""
        line = line.strip("\"'“”` ")
        if not is_usable(line) or len(line) > max(400, 3 * len(question)):
            raise BackendUnavailableError(
                f"LLM server at {self._where()} returned no usable standalone question"
            )
        return line

    def health(self) -> bool:
        """True when the configured server answers; an injected model without a URL counts as up."""
        if self.settings.llm_base_url:
            from assistant.llm_adapter import check_health

            return check_health(self.settings)
        return self._injected


# ---------------------------------------------------------------- worker-thread helpers


def _pump(
    stream: Callable[[list[BaseMessage]], Iterable[Any]],
    messages: list[BaseMessage],
    inbox: queue.Queue[tuple[str, Any]],
    stop: threading.Event,
) -> None:
    """Runs in the worker: put each chunk's text, then "end" or the exception, into ``inbox``."""
    try:
        for chunk in stream(messages):
            if stop.is_set():
                return  # the consumer gave up; closing the generator closes the HTTP stream
            inbox.put(("delta", _chunk_text(chunk)))
        inbox.put(("end", None))
    except BaseException as exc:  # handed to the consumer, which re-raises it as one line
        inbox.put(("error", exc))


def _chunk_text(chunk: Any) -> str:
    text = getattr(chunk, "text", chunk)
    return str(text) if text is not None else ""


def _drain(
    inbox: queue.Queue[tuple[str, Any]], deadline: float, timeout_s: float, where: str
) -> Iterator[str]:
    """Yield deltas from ``inbox`` until "end"; errors and the deadline raise one-line errors."""
    while True:
        remaining = deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise queue.Empty
            kind, value = inbox.get(timeout=remaining)
        except queue.Empty:
            raise BackendUnavailableError(
                f"LLM server at {where} did not finish within {timeout_s:g} s"
            ) from None
        if kind == "end":
            return
        if kind == "error":
            raise BackendUnavailableError(describe_error(value, where)) from value
        if value:
            yield value


def describe_error(exc: BaseException, where: str) -> str:
    """A one-line reason for a failed call (connection, timeout, HTTP status, malformed reply)."""
    name = type(exc).__name__
    status = getattr(exc, "status_code", None)
    first = (str(exc).strip().splitlines() or [""])[0][:200]
    if "Timeout" in name:
        return f"LLM server at {where} timed out ({name})"
    if "Connection" in name or "Connect" in name:
        return f"LLM server at {where} is unreachable ({name})"
    if status is not None:
        return f"LLM server at {where} answered HTTP {status}: {first}"
    return f"LLM server at {where} sent an unusable reply ({name}: {first})"
