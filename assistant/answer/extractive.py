"""Extractive answering (the embedded default: no LLM, no network) and the evidence gate.

The answer is built from sentences (and list items) of the retrieved paragraphs, scored against the
question by dense similarity of their sentence window, IDF-weighted word overlap and the paragraph's
rank; redundant sentences are dropped, a list introduced by a colon brings its items, and the result
is ordered by paragraph rank then text order and kept to ~180 words. Every sentence is a verbatim
extract with its paragraph's citation, so it is faithful by construction.

The gate refuses when the question names something the corpus never mentions (a country, a case,
a year), asks for a figure that no relevant sentence gives, or the evidence is weak overall.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from assistant.index import is_window
from assistant.models import AnswerSentence, Hit
from assistant.retrieve import Retriever
from assistant.text import STOPWORDS, content_words, sentence_spans, stem, tokenize

# What kind of figure a question asks for, and what counts as one in a sentence.
FIGURE_QUESTIONS = {
    "money": re.compile(r"\bhow much (money|funding)|\b(spend|spent|cost|budget|fund(ing|ed)?|fine)\b.*\bhow much\b|"
                        r"\bhow much\b.*\b(spend|spent|cost|budget|fund(ing|ed)?|pay|paid|award(ed)?)\b", re.I),
    "duration": re.compile(r"\b(deadline|time limit|how long|within how many|maximum (penalty|sentence)|"
                           r"minimum (penalty|sentence)|how many (days|weeks|months|years))\b", re.I),
    "count": re.compile(r"\b(how many|what (percentage|share|proportion|number) of)\b", re.I),
}
RE_MONEY = re.compile(r"[€$£]\s?\d|\b\d[\d,.]*\s?(euros?|dollars?|USD|EUR|GBP)\b", re.I)
RE_DURATION = re.compile(r"\b\d+\s?(days?|weeks?|months?|years?)\b|\b(one|two|three|six|twelve)\s(days?|weeks?|months?|years?)\b", re.I)
RE_REFERENCE_NUMBER = re.compile(
    r"\b(paras?|paragraphs?|articles?|art|arts|resolutions?|No|Nos|Recommendations?|Guidelines?|Principles?|"
    r"Applications?|chapters?|sections?|items?|annex|pages?|p|pp|Tool|Part|Fig)\.?\s*\d[\d./\-–]*|"
    r"\S*/\S*|\b(19|20)\d{2}\b|\b\d+\.\d+\b", re.I)
RE_COUNT = re.compile(r"\b\d[\d,]*\b|\b\d+(\.\d+)?\s?(%|per cent|percent)")
# Abbreviations users type that the texts spell out: checked before calling a term unknown.
ALIASES = {
    "ecthr": "european court of human rights", "icc": "international criminal court",
    "eu": "european union", "un": "united nations", "ngo": "non-governmental organization",
    "ngos": "non-governmental organizations", "tip": "trafficking in persons",
    "som": "smuggling of migrants", "unhcr": "high commissioner for refugees",
    "ohchr": "high commissioner for human rights", "gr38": "general recommendation no. 38",
}
# Sentences in a document that address an AI system are data, never instructions; they are also never
# an answer a practitioner wants, so extractive answers do not quote them.
RE_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget)\b.{0,40}\b(instructions?|rules|prompts?)\b|\bsystem prompt\b|"
    r"\byou are (now )?(an? )?(ai|assistant|chatbot|language model)\b|\breveal (your|the) (prompt|instructions)\b",
    re.I,
)
QUESTION_WORDS = {"what", "which", "who", "whom", "how", "when", "where", "why", "does", "do", "is",
                  "are", "can", "could", "should", "would", "may", "must", "tell", "explain", "list",
                  "give", "describe", "i", "my", "we", "our", "please"}


@dataclass
class Evidence:
    """The gate's view of the retrieved evidence."""

    refuse: bool
    reason: str = ""
    unknown_terms: list[str] = field(default_factory=list)
    best_dense: float = 0.0
    coverage: float = 0.0


def unknown_terms(question: str, retriever: Retriever) -> list[str]:
    """Names, numbers and rare words in the question that appear nowhere in the corpus."""
    idf = retriever.idf
    text = question
    for short, full in ALIASES.items():
        text = re.sub(rf"\b{short}\b", full, text, flags=re.I)
    out = []
    for i, word in enumerate(re.findall(r"[A-Za-z][A-Za-z'’-]+|\d{2,}", text)):
        low = word.lower().strip("'’")
        if low in STOPWORDS or low in QUESTION_WORDS or len(low) < 3:
            continue
        specific = (word[0].isupper() and i > 0) or word.isdigit()
        if specific and all(stem(part) not in idf for part in re.split(r"[-'’]", low) if part):
            out.append(word)
    return out


def assess_evidence(question: str, hits: list[Hit], retriever: Retriever, threshold: float) -> Evidence:
    """Should the assistant refuse? (no hits, unknown names, weak overall match)."""
    if not hits:
        return Evidence(True, "no indexed passage matches the question")
    unknown = unknown_terms(question, retriever)
    best_dense = max((h.dense or 0.0) for h in hits[:5])
    q_words = content_words(question) - {stem(w) for w in QUESTION_WORDS}
    top_words: set[str] = set()
    for h in hits[:5]:
        top_words |= content_words(h.passage.text)
    coverage = len(q_words & top_words) / max(len(q_words), 1)
    ev = Evidence(False, "", unknown, best_dense, coverage)
    if unknown:
        ev.refuse, ev.reason = True, "the indexed texts never mention " + ", ".join(f"“{t}”" for t in unknown)
    elif best_dense < threshold and coverage < 0.5:
        ev.refuse, ev.reason = True, "the indexed texts do not address this question (weak match)"
    return ev


@dataclass
class _Candidate:
    hit_rank: int
    pid: str
    start: int
    end: int
    text: str
    score: float = 0.0


def _window_vec(retriever: Retriever, pid: str, start: int) -> np.ndarray | None:
    handle = retriever.handle
    for i in retriever.units_by_passage.get(pid, []):
        u = handle.units[i]
        if is_window(u) and u.start <= start < max(u.end, u.start + 1):
            return handle.unit_vecs[i]
    return None


def _candidates(hits: list[Hit], n_passages: int) -> list[_Candidate]:
    out = []
    for rank, h in enumerate(hits[:n_passages]):
        text = h.passage.text
        for a, b in sentence_spans(text):
            if not RE_INSTRUCTION.search(text[a:b]):
                out.append(_Candidate(rank, h.passage.id, a, b, text[a:b]))
    return out


def _score(cands: list[_Candidate], question: str, retriever: Retriever) -> None:
    idf = retriever.idf
    qvec = retriever.embed_query(question)
    q_tokens = set(tokenize(question)) - {stem(w) for w in QUESTION_WORDS}
    q_weight = sum(idf.get(t, 1.0) for t in q_tokens) or 1.0
    for c in cands:
        vec = _window_vec(retriever, c.pid, c.start)
        dense = float(vec @ qvec) if vec is not None else 0.0
        lex = sum(idf.get(t, 1.0) for t in q_tokens & set(tokenize(c.text))) / q_weight
        prior = 1.0 / (1.0 + 0.25 * c.hit_rank)
        short = 0.6 if len(c.text.split()) < 6 else 1.0
        c.score = (0.45 * dense + 0.4 * lex + 0.15 * prior) * short


def _redundant(text: str, chosen: list[_Candidate]) -> bool:
    words = content_words(text)
    for c in chosen:
        other = content_words(c.text)
        if words and len(words & other) / len(words | other) > 0.55:
            return True
    return False


def _with_list_items(best: _Candidate, cands: list[_Candidate], limit: int = 5) -> list[_Candidate]:
    """A sentence ending in ":" introduces items: bring the ones that follow it in its paragraph."""
    if not best.text.rstrip().endswith(":"):
        return [best]
    same = [c for c in cands if c.pid == best.pid and c.start > best.start]
    return [best, *sorted(same, key=lambda c: c.start)[:limit]]


def select_sentences(question: str, hits: list[Hit], retriever: Retriever, max_words: int,
                     max_sentences: int, n_passages: int = 8) -> list[AnswerSentence]:
    """The extractive answer: query-focused, non-redundant, ordered, each with its citation."""
    cands = _candidates(hits, n_passages)
    if not cands:
        return []
    _score(cands, question, retriever)
    ranked = sorted(cands, key=lambda c: -c.score)
    floor = 0.6 * ranked[0].score
    chosen: list[_Candidate] = []
    words = 0
    for cand in ranked:
        if cand.score < floor or len(chosen) >= max_sentences or words >= max_words:
            break
        for c in _with_list_items(cand, cands):
            if c in chosen or _redundant(c.text, chosen):
                continue
            n = len(c.text.split())
            if chosen and words + n > max_words * 1.15:
                continue
            chosen.append(c)
            words += n
    chosen.sort(key=lambda c: (c.hit_rank, c.start))
    return [AnswerSentence(text=c.text, citations=[c.pid], pinpoints=_pinpoint(c, hits)) for c in chosen]


def _pinpoint(c: _Candidate, hits: list[Hit]) -> dict[str, str]:
    """A sentence taken from a sub-item cites it: "art. 6(3)(b)" rather than "art. 6(3)"."""
    hit = hits[c.hit_rank]
    sub = hit.passage.sub_item_at(c.start, c.end)
    return {c.pid: hit.passage.sub_item_citation(hit.citation, sub)} if sub and sub.label else {}


def requested_figure(question: str) -> str | None:
    """"money", "duration" or "count" when the question asks for a figure of that kind."""
    return next((kind for kind, rx in FIGURE_QUESTIONS.items() if rx.search(question)), None)


def has_figure(kind: str, text: str) -> bool:
    """Does ``text`` state a figure of ``kind``? Years, paragraph numbers and symbols don't count."""
    if kind == "money":
        return bool(RE_MONEY.search(text))
    if kind == "duration":
        return bool(RE_DURATION.search(text)) or bool(RE_MONEY.search(text))
    return bool(RE_COUNT.search(RE_REFERENCE_NUMBER.sub(" ", text)))


def lacks_requested_figure(question: str, sentences: list[AnswerSentence]) -> bool:
    """A question asking for an amount, a count or a time limit that no selected sentence gives."""
    kind = requested_figure(question)
    return kind is not None and not any(has_figure(kind, s.text) for s in sentences)
