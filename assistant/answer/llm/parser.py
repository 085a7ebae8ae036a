"""The reply parser: a model's reply, streamed or whole, into sentences that cite real passages.

Two reply shapes are understood, told apart by the first character:
- **JSON** (the schema path): ``{"quotes": [3, 7], "answer": "One bottom-line sentence."}``. Each
  quote number names a numbered source sentence, which becomes an answer sentence *verbatim*, citing
  its paragraph; the ``answer`` string is the model's own bottom line and cites the paragraphs of the
  quoted sentences. The JSON is read incrementally, so quotes and the bottom line stream out while
  the model is still writing.
- **text** (a server that ignores the schema): prose with ``[n]`` markers after sentences.

Every number is checked against the numbered sources: one naming no source is dropped and flagged
``invalid_marker``. The parser never decides support (the chat stage verifies each sentence); it
only flags what it can see: ``uncited``, ``not_addressed``, ``prompt_echo``, ``quote`` (a verbatim
source sentence) and ``bottom_line``.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.answer.base import AnswerEvent, Delta
from assistant.models import AnswerSentence, Hit
from assistant.text import CITATION_MARKER, marker_numbers, markers_in
from assistant.text import split_sentences as text_sentences

NOT_ADDRESSED = "The provided sources do not address this question."

_BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_WORD = re.compile(r"[^\W\d_]+")
_WHOLE_TAG = re.compile(r"</?\s*(?:source|question|conversation)\b[^>]{0,40}>", re.IGNORECASE)
_QUOTES_KEY = re.compile(r'"(?:quotes|sentences)"\s*:\s*\[')
_ANSWER_KEY = re.compile(r'"(?:answer|bottom_line)"\s*:\s*"')
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


# ---------------------------------------------------------------- markers and sentences


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text`` with their trailing markers; each line and list item stands alone."""
    return [s for raw in text.splitlines() for s in text_sentences(_BULLET.sub("", raw).strip())]


def strip_markers(sentence: str) -> tuple[str, list[int]]:
    """The sentence without numeric markers or our tags, and the numbers named, in order."""
    numbers = markers_in(sentence)
    text = CITATION_MARKER.sub(" ", _WHOLE_TAG.sub(" ", sentence))
    text = re.sub(r"\s+([.,;:!?])", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip(), numbers


def is_usable(text: str) -> bool:
    """A sentence worth showing: two words, or one long run of a script written without spaces."""
    words = _WORD.findall(text)
    if len(words) >= 2:
        return sum(len(w) for w in words) >= 4
    return bool(words) and len(words[0]) >= 6 and not words[0].isascii()


# ---------------------------------------------------------------- prompt echoes


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

    A short sentence (2-5 words) echoes if it occurs whole in the prompt; a longer one if most of
    its 4-word runs come from the prompt.
    """
    words = tuple(w.lower() for w in _WORD.findall(sentence))
    if 2 <= len(words) <= 5:
        return words in prompt
    own = _shingles(sentence)
    return bool(own) and len(own & prompt) / len(own) >= threshold


def _label_key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def is_not_addressed(text: str) -> bool:
    """The model's short "sources do not address this" sentence (not a long echo of the rules)."""
    low = text.lower().replace("’", "'")
    if len(_WORD.findall(low)) > 12:
        return False
    return bool(re.search(r"sources? (?:do not|don't|does not|doesn't) (?:address|answer)", low))


# ---------------------------------------------------------------- sentences from markers


def make_sentence(text: str, numbers: Sequence[int], hits: Sequence[Hit],
                  shingles: set[tuple[str, ...]], flags: Sequence[str] = ()) -> AnswerSentence:
    """One ``AnswerSentence``: marker ``n`` cites ``hits[n - 1]``; invalid numbers are flagged."""
    valid = [n for n in numbers if 1 <= n <= len(hits)]
    citations = list(dict.fromkeys(hits[n - 1].passage.id for n in valid))
    out = list(flags)
    if len(valid) < len(numbers):
        out.append("invalid_marker")
    labels = {_label_key(h.citation) for h in hits}
    if is_not_addressed(text):
        out.append("not_addressed")
    elif echoes(text, shingles) or _label_key(text) in labels:
        out.append("prompt_echo")
    if not citations and "not_addressed" not in out:
        out.append("uncited")
    return AnswerSentence(text=text, citations=citations, flags=out)


def parse_answer(text: str, hits: Sequence[Hit],
                 shingles: set[tuple[str, ...]] | None = None) -> list[AnswerSentence]:
    """Sentences of a prose reply, ``[n]`` mapped to ``hits[n - 1]``; support left unchecked."""
    shingles = shingles or set()
    out: list[AnswerSentence] = []
    pending: list[int] = []
    for piece in split_sentences(text):
        clean, numbers = strip_markers(piece)
        if not is_usable(clean):
            if out and numbers:  # a line of bare markers ("[2]") belongs to the sentence before
                prev = out.pop()
                old = [i + 1 for i, h in enumerate(hits) if h.passage.id in prev.citations]
                merged = make_sentence(prev.text, old + numbers, hits, shingles)
                if "invalid_marker" in prev.flags and "invalid_marker" not in merged.flags:
                    merged.flags.insert(0, "invalid_marker")
                out.append(merged)
            else:
                pending.extend(numbers)
            continue
        out.append(make_sentence(clean, pending + numbers, hits, shingles))
        pending = []
    return out


# ---------------------------------------------------------------- incremental JSON reading


def read_int_list(text: str) -> tuple[list[int], bool]:
    """The whole numbers at the start of a JSON array body, and whether ``]`` closed it.

    A number at the very end may still be growing ("1" of "12"), so it counts only once something
    follows it.
    """
    numbers: list[int] = []
    for match in re.finditer(r"\s*(-?\d+)(?=[\s,\]])\s*,?|\s*(\])|\s*\"?([^\d\s\],\"]+)", text):
        if match.group(2):
            return numbers, True
        if match.group(1) is None:
            break
        numbers.append(int(match.group(1)))
    return numbers, False


def read_json_string(text: str) -> tuple[str, bool]:
    """The decoded prefix of a JSON string body, and whether its closing quote was seen."""
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == '"':
            return "".join(out), True
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        if i + 1 >= len(text):
            break
        code = text[i + 1]
        if code == "u":
            if i + 6 > len(text):
                break
            with contextlib.suppress(ValueError):
                out.append(chr(int(text[i + 2 : i + 6], 16)))
            i += 6
        else:
            out.append(_ESCAPES.get(code, code))
            i += 2
    return "".join(out), False


@dataclass
class JsonView:
    """What a (possibly unfinished) JSON reply says so far."""

    quotes: list[int] = field(default_factory=list)
    quotes_closed: bool = False
    answer: str = ""
    answer_started: bool = False
    answer_closed: bool = False


def read_reply_json(buffer: str) -> JsonView:
    """Read the ``quotes`` array and ``answer`` string from a partial JSON reply."""
    view = JsonView()
    q = _QUOTES_KEY.search(buffer)
    if q:
        view.quotes, view.quotes_closed = read_int_list(buffer[q.end():])
    a = _ANSWER_KEY.search(buffer)
    if a:
        view.answer_started = True
        view.answer, view.answer_closed = read_json_string(buffer[a.end():])
    return view


# ---------------------------------------------------------------- the streaming parser


@dataclass(frozen=True)
class Numbered:
    """A numbered source sentence shown to the model: ``[n] text``, from ``hit``'s paragraph."""

    n: int
    text: str
    hit: Hit


class ReplyParser:
    """Feeds on reply text as it streams and returns events as soon as they are certain."""

    def __init__(self, numbered: Sequence[Numbered], shingles: set[tuple[str, ...]],
                 max_quotes: int = 6) -> None:
        self.numbered = list(numbered)
        self.hits = [s.hit for s in self.numbered]
        self.shingles = shingles
        self.max_quotes = max_quotes
        self.buffer = ""
        self.kind = ""  # "json" or "text" once the first character has been seen
        self._quoted: list[int] = []
        self._invalid = 0
        self._done_text = 0  # text mode: sentences already emitted
        self._answer_sent = False
        self._shown = ""
        self.declined = False  # the model said, in the reply's own terms, that nothing answers

    # -- public

    def feed(self, text: str) -> list[AnswerEvent]:
        """Events made certain by ``text`` (appended to what came before)."""
        self.buffer += text
        if not self.kind:
            head = self.buffer.lstrip().lstrip("`").removeprefix("json").lstrip()
            if not head or "json".startswith(self.buffer.lstrip().lstrip("`")):
                return []  # a code fence may still turn out to hold JSON
            self.kind = "json" if head[0] == "{" else "text"
        return self._json(final=False) if self.kind == "json" else self._text(final=False)

    def finish(self) -> list[AnswerEvent]:
        """Whatever the complete reply still holds."""
        if self.kind == "json":
            return self._json(final=True)
        return self._text(final=True) if self.kind else []

    @property
    def invalid_numbers(self) -> int:
        """Quote numbers that named no numbered sentence (dropped)."""
        return self._invalid

    # -- JSON

    def _json(self, final: bool) -> list[AnswerEvent]:
        view = read_reply_json(self.buffer)
        events: list[AnswerEvent] = [self._quote(n) for n in self._new_quotes(view.quotes)]
        if view.answer_started and not self._answer_sent:
            ready = view.answer_closed and (view.quotes_closed or final)
            if (ready or final) and is_usable(view.answer):
                events.append(self._bottom_line(view.answer, cut=not view.answer_closed))
            elif ready or final:
                self._answer_sent = True  # an empty bottom line: nothing to add
                self.declined = self.declined or (view.quotes_closed and not self._quoted)
            else:
                events.extend(self._draft(view.answer))
        return events

    def _new_quotes(self, numbers: list[int]) -> list[int]:
        fresh = []
        for n in numbers[len(self._quoted) + self._invalid:]:
            if not 1 <= n <= len(self.numbered):
                self._invalid += 1
            elif n not in self._quoted and len(self._quoted) < self.max_quotes:
                self._quoted.append(n)
                fresh.append(n)
            else:
                self._invalid += 1  # a repeat or one past the cap: ignored, never shown
        return fresh

    def _quote(self, n: int) -> AnswerSentence:
        s = self.numbered[n - 1]
        return AnswerSentence(text=s.text, citations=[s.hit.passage.id], flags=["quote"])

    def _bottom_line(self, raw: str, cut: bool = False) -> AnswerSentence:
        self._answer_sent = True
        clean, numbers = strip_markers(" ".join(raw.split()))
        cited = numbers or self._quoted
        flags = ["bottom_line"] + (["invalid_marker"] if self._invalid else [])
        flags += ["truncated"] if cut else []
        return make_sentence(clean, cited, self.hits, self.shingles, flags)

    def _draft(self, text: str) -> list[AnswerEvent]:
        """The unfinished sentence for display, hidden while it repeats our prompt wording."""
        shown, _ = strip_markers(text)
        if len(shown.split()) >= 4 and echoes(shown, self.shingles, threshold=0.3):
            shown = ""
        if shown == self._shown:
            return []
        self._shown = shown
        return [Delta(shown)]

    # -- prose with markers

    def _text(self, final: bool) -> list[AnswerEvent]:
        pieces = split_sentences(self.buffer)
        ready = pieces if final else pieces[:-1]
        if not final and pieces and not _WORD.search(strip_markers(pieces[-1])[0]):
            ready = pieces[:-2]  # "[" or "[2" may still belong to the sentence before
        events: list[AnswerEvent] = []
        if len(ready) > self._done_text:
            done = parse_answer("\n".join(ready), self.hits, self.shingles)
            self.declined = self.declined or any("not_addressed" in s.flags for s in done)
            events.extend(done[self._done_text:])
            self._done_text = len(done)
        if not final and pieces:
            events.extend(self._draft(pieces[-1]))
        return events


__all__ = [
    "NOT_ADDRESSED", "JsonView", "Numbered", "ReplyParser", "echoes", "is_not_addressed",
    "is_usable", "make_sentence", "marker_numbers", "parse_answer", "prompt_runs",
    "read_int_list", "read_json_string", "read_reply_json", "split_sentences", "strip_markers",
]

