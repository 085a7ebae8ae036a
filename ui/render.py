"""HTML for the chat and the passage finder, built only from escaped text.

Everything that comes from a document, a question or an answer goes through ``esc`` before it
reaches markup: Gradio's ``gr.HTML`` assigns ``innerHTML`` without sanitising, so escaping here is
the one thing standing between a poisoned document and the user's browser. The markup carries
``data-*`` attributes that the page's JavaScript reads (chip clicks, copy buttons); those values
are escaped too.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

from assistant.models import Answer, AnswerSentence, Citation, Document, Draft, Footnote, Hit
from assistant.text import (  # strip_markers is re-exported for ui.export and tests
    CITATION_MARKER,
    marker_numbers,
    markers_in,
    question_language,
    sentence_spans,
    strip_markers,
)
from ui.citeblock import citation_cite_block, passage_cite_block
from ui.conversation import Exchange

_WORD = re.compile(r"\w+", re.UNICODE)

SUPPORT_LABEL = {"supported": "supported", "weak": "weak support", "unsupported": "unsupported"}
# Extractive sentences are verbatim quotes (always "supported" by their own paragraph); what a reader
# needs to know is whether the quote answers the question. Label + tooltip for each relevance level.
RELEVANCE_LABEL = {
    "direct": ("answers", "This quote addresses what you asked."),
    "related": ("related", "On the topic of your question, but may not answer it directly."),
    "background": ("background", "Context from a relevant paragraph; it does not answer your question."),
}
RELEVANCE_LEGEND = (
    "Each sentence is quoted word for word from the numbered paragraph. The label says how closely "
    "it answers your question: ANSWERS · RELATED · BACKGROUND (hover a label for its meaning)."
)
EMPTY_SOURCE = (
    '<div class="tg-source tg-source-empty"><h2 class="tg-h2">Source</h2>Click a numbered chip in '
    "an answer to read the cited paragraph here, whole.</div>"
)
VOTE_WORD = {"up": "helpful", "down": "not helpful"}


# A parenthetical aside carrying a decimal figure ("(closeness 0.23, below the 0.31 …)") is a
# score: meaningful in a log, noise to the reader. Reasons are shown without such asides.
_SCORE_ASIDE = re.compile(r"\s*\([^()]*\d\.\d+[^()]*\)")


def sentence_case(text: str) -> str:
    """``text`` without score asides, its first letter capitalised and one final full stop."""
    text = _SCORE_ASIDE.sub("", text).strip().rstrip(".")
    return (text[:1].upper() + text[1:] + ".") if text else ""


def language_note(question: str) -> str:
    """A note for a question that is not in English (the texts are searched in English), or ""."""
    language = question_language(question)
    if language in ("", "English"):
        return ""
    return (f"Your question seems to be in {language}. The texts are in English and are searched in "
            "English only (no multilingual model is available offline), so passages may be missed: "
            "for the best results, ask in English.")


def esc(text: object) -> str:
    """Escape text for HTML and keep its line breaks visible."""
    return html.escape(str(text), quote=True).replace("\n", "<br>")


def attr(text: object) -> str:
    """Escape a value for a double-quoted attribute (line breaks kept as-is)."""
    return html.escape(str(text), quote=True)


def safe_url(url: str) -> str:
    """The URL if it is plain http(s), else "" — a ``javascript:`` link must never be clickable."""
    url = (url or "").strip()
    return url if re.match(r"^https?://[^\s\"'<>]+$", url, re.I) else ""


# --------------------------------------------------------------------------- conversation


def render_conversation(exchanges: list[Exchange]) -> str:
    """The whole chat log; the empty screen when nothing has been asked yet."""
    if not exchanges:
        return render_welcome()
    body = "".join(render_exchange(i, ex) for i, ex in enumerate(exchanges))
    return f'<div class="tg-conv">{body}</div>'


def render_welcome() -> str:
    """The empty screen above the example questions."""
    return (
        '<div class="tg-conv tg-welcome"><p>Every sentence of an answer cites the UN paragraph '
        "that says it; click a numbered chip to read that paragraph whole.</p></div>"
    )


def render_exchange(turn: int, ex: Exchange) -> str:
    """A user bubble followed by the answer, the streaming draft or the error."""
    user = (
        f'<div class="tg-msg tg-user"><div class="tg-role">You</div>'
        f'<div class="tg-text">{esc(ex.question)}</div></div>'
    )
    if ex.error:
        reply = render_error(ex.error)
    elif ex.answer is not None:
        reply = render_answer(turn, ex.answer, vote=ex.vote, note=ex.note,
                              language=language_note(ex.question))
    else:
        body = render_draft(turn, ex.draft) if ex.draft else esc(ex.partial)
        reply = (
            f'<div class="tg-msg tg-bot tg-streaming"><div class="tg-role">tipguide</div>'
            f'<div class="tg-text">{body or "Searching the texts…"}'
            '<span class="tg-cursor">▍</span></div></div>'
        )
    return f'<div class="tg-exchange" data-turn="{turn}">{user}{reply}</div>'


def render_draft(turn: int, draft: Draft) -> str:
    """A streaming LLM answer: verified sentences with marks, the one being written, withdrawn ones."""
    shown = " ".join(render_sentence(turn, j, s, draft.numbers) for j, s in enumerate(draft.sentences))
    pending = f'<span class="tg-pending">{esc(draft.pending)}</span>' if draft.pending else ""
    return f"{shown} {pending}".strip() + render_withdrawn(draft.withdrawn)


def render_withdrawn(sentences: list[AnswerSentence]) -> str:
    """Model sentences that failed verification: struck through, apart, without citation chips."""
    if not sentences:
        return ""
    items = "".join(f"<li><s>{esc(strip_markers(s.text))}</s></li>" for s in sentences)
    return (f'<div class="tg-withdrawn"><div class="tg-withdrawn-title">Not supported by the '
            f"sources (withdrawn from the answer):</div><ul>{items}</ul></div>")


def render_error(message: str) -> str:
    """A one-line error shown in place of an answer (never a traceback)."""
    return f'<div class="tg-msg tg-error" role="alert">{esc(message)}</div>'


def render_answer(turn: int, answer: Answer, vote: str = "", note: str = "",
                  language: str = "") -> str:
    """A final answer: cited sentences with badges, or the refusal view, then feedback buttons.

    ``note`` explains a refusal the chat filters caused; ``language`` is the note for a question
    not asked in English.
    """
    notices = [answer.notice, "" if answer.refusal_kind == "language" else language]
    notice = "".join(f'<div class="tg-notice">{esc(n)}</div>' for n in notices if n)
    body = render_refusal(answer, note) if answer.refused else _render_sentences(turn, answer)
    body += render_withdrawn(answer.withdrawn)
    return (
        f'<div class="tg-msg tg-bot" data-mode="{attr(answer.mode)}">'
        f'<div class="tg-role">tipguide <span class="tg-mode-tag">{esc(answer.mode)}</span></div>'
        f"{notice}{body}{render_votes(turn, vote)}</div>"
    )


def render_votes(turn: int, vote: str) -> str:
    """Helpful / Not helpful on one answer: one vote, shown pressed, which the user can change."""
    buttons = "".join(
        f'<button type="button" class="tg-vote tg-vote-{v}" data-turn="{turn}" data-vote="{v}" '
        f'aria-pressed="{"true" if vote == v else "false"}">{label}</button>'
        for v, label in (("up", "▲ Helpful"), ("down", "▼ Not helpful"))
    )
    status = (f"Recorded as {VOTE_WORD[vote]}; you can change your vote." if vote in VOTE_WORD
              else "")
    return (f'<div class="tg-feedback" role="group" aria-label="Feedback on answer {turn + 1}">'
            f'{buttons}<span class="tg-vote-status" role="status">{esc(status)}</span></div>')


def _render_sentences(turn: int, answer: Answer) -> str:
    """Sentences from ``answer.sentences``, or the plain text with its markers as chips."""
    n_by_pid = {c.passage_id: c.n for c in answer.citations}
    if not answer.sentences:
        return f'<div class="tg-answer">{_chips_in_text(turn, answer)}</div>'
    parts = [render_sentence(turn, j, s, n_by_pid, answer.citations)
             for j, s in enumerate(answer.sentences)]
    legend = ""
    if any(s.relevance_level for s in answer.sentences):
        legend = f'<div class="tg-legend">{esc(RELEVANCE_LEGEND)}</div>'
    return f'<div class="tg-answer">{" ".join(parts)}</div>{legend}'


def render_sentence(
    turn: int,
    j: int,
    sentence: AnswerSentence,
    n_by_pid: Mapping[str, int],
    citations: list[Citation] | None = None,
) -> str:
    """One sentence, its citation chips and its support badge."""
    numbers = [n_by_pid[pid] for pid in sentence.citations if pid in n_by_pid]
    if not numbers:  # no passage ids: fall back to the sentence's own "[n]" markers
        known = {c.n for c in citations or []}
        numbers = [n for n in markers_in(sentence.text) if n in known]
    chips = "".join(chip(turn, n, j) for n in dict.fromkeys(numbers))
    flags = " ".join(sentence.flags)
    layout = " tg-li" if "list_item" in sentence.flags else ""
    gap = '<span class="tg-gap"></span>' if "new_paragraph" in sentence.flags and j > 0 else ""
    mark = relevance_badge(sentence.relevance_level) if sentence.relevance_level else badge(sentence.support)
    return gap + (
        f'<span class="tg-sentence tg-{attr(sentence.support)}{layout}" data-sent="{j}" '
        f'title="{attr(flags)}">{esc(strip_markers(sentence.text))}{chips}'
        f"{mark}</span>"
    )


def relevance_badge(level: str) -> str:
    """How well a quoted sentence answers the question, with a tooltip that says so in words."""
    label, meaning = RELEVANCE_LABEL.get(level, (level, ""))
    return (f'<span class="tg-badge tg-badge-rel-{attr(level)}" title="{attr(meaning)}">'
            f"{esc(label)}</span>")


def chip(turn: int, n: int, sent: int = -1) -> str:
    """A numbered citation chip; clicking it opens the source panel (see ``ui.app.CHIP_JS``)."""
    return (
        f'<button type="button" class="tg-chip" data-turn="{turn}" data-n="{n}" '
        f'data-sent="{sent}" aria-label="Open source {n}">{n}</button>'
    )


def badge(support: str) -> str:
    """A small support verdict badge: supported / weak support / unsupported."""
    label = SUPPORT_LABEL.get(support, support)
    return f'<span class="tg-badge tg-badge-{attr(support)}">{esc(label)}</span>'


def _chips_in_text(turn: int, answer: Answer) -> str:
    """Escaped answer text with each "[n]" marker turned into a chip."""
    known = {c.n for c in answer.citations}
    out, last = [], 0
    text = answer.answer
    for m in CITATION_MARKER.finditer(text):
        numbers = [n for n in marker_numbers(m.group(1)) if n in known]
        if not numbers:
            continue
        out.append(esc(text[last:m.start()].rstrip()))
        out += [chip(turn, n) for n in numbers]
        last = m.end()
    out.append(esc(text[last:]))
    return "".join(out)


def render_refusal(answer: Answer, note: str = "") -> str:
    """Why no answer was given (said once), and the nearest passages searched, so the user can
    judge; ``note`` names the filters when they caused the refusal."""
    if answer.refusal_kind in ("small_talk", "language"):  # no question was read: nothing was searched
        return f'<div class="tg-refusal"><p class="tg-refusal-reason">{esc(answer.answer)}</p></div>'
    reason = sentence_case(answer.refusal_reason or "the texts searched do not answer this question")
    filters = f'<p class="tg-filter-note">{esc(note)}</p>' if note else ""
    return (
        f'<div class="tg-refusal"><p class="tg-refusal-reason"><strong>No answer.</strong> '
        f"{esc(reason)}</p>{filters}{render_searched(answer.searched)}</div>"
    )


def render_searched(searched: list[dict[str, object]], limit: int = 5) -> str:
    """The nearest passages searched: citation and the paragraph (folded). No scores: a number
    such as 0.028 means nothing to the reader."""
    if not searched:
        return '<p class="tg-searched-none">No passages matched.</p>'
    items = []
    for hit in searched[:limit]:
        text = str(hit.get("text", ""))
        items.append(
            f'<li><details><summary><span class="tg-cite">{esc(hit.get("citation", ""))}</span>'
            f' — {esc(_snippet(text))}</summary><div class="tg-para">{esc(text)}</div>'
            "</details></li>"
        )
    return (
        '<div class="tg-searched"><div class="tg-searched-title">Nearest passages searched, so you '
        'can judge for yourself:</div>'
        f'<ol>{"".join(items)}</ol></div>'
    )


def _snippet(text: str, limit: int = 160) -> str:
    """The first ``limit`` characters of a paragraph, cut at a word boundary."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


# --------------------------------------------------------------------------- source panel


def render_source(citation: Citation, sentence: str = "", turn: int = -1, page: int | None = None,
                  pdf: bool = False, sent: int = -1, can_render: bool = False,
                  page_image: str = "", page_problem: str = "") -> str:
    """The cited paragraph whole, its document's details, footnotes, and a cite block to copy.

    ``sentence`` is the answer sentence the chip belongs to: the part of the paragraph that
    supports it is highlighted, and the sentence itself is quoted above the paragraph. ``turn``
    is the answer the chip is in (the "Back to the answer" button returns there), ``sent`` the
    sentence's index. For a PDF with a known ``page`` the link opens the original at that page;
    ``can_render`` offers "Show on the page" (the PDF is in the corpus), and ``page_image`` is that
    rendering (a data: URL) once asked for, ``page_problem`` why it is missing or unmarked.
    """
    meta = _meta_rows(citation, page)
    supports = (
        f'<div class="tg-supports">Cited for: <q>{esc(strip_markers(sentence))}</q></div>'
        if sentence else ""
    )
    return (
        f'<div class="tg-source" data-passage="{attr(citation.passage_id)}" tabindex="-1" '
        f'aria-labelledby="tg-source-label">'
        f'<h2 class="tg-h2">Source</h2>{_back(turn, citation.n)}'
        f'<div class="tg-source-label" id="tg-source-label">[{citation.n}] '
        f"{esc(citation.citation)}</div>"
        f'<div class="tg-source-title">{esc(citation.title)}</div>{meta}{supports}'
        f'<div class="tg-para">{highlight(citation.text, strip_markers(sentence))}</div>'
        f"{render_footnotes(citation.footnotes)}"
        f"{_original(citation, page, pdf, (turn, sent, can_render), page_image, page_problem)}"
        f"{citable(citation_cite_block(citation), citation.citation, safe_url(citation.url))}</div>"
    )


def _back(turn: int, n: int) -> str:
    """The way back from the source to the chip that opened it (on a phone, far up the page)."""
    if turn < 0:
        return ""
    return (f'<button type="button" class="tg-back" data-turn="{turn}" data-n="{n}">'
            "↑ Back to the answer</button>")


def page_url(url: str, page: int | None, pdf: bool) -> str:
    """The document's URL, at ``page`` when it is a PDF (``#page=N`` is what PDF viewers read)."""
    url = safe_url(url)
    if url and pdf and page and "#" not in url:
        return f"{url}#page={page}"
    return url


def _original(citation: Citation, page: int | None, pdf: bool, where: tuple[int, int, bool],
              image: str, problem: str) -> str:
    """Link to the original document, and for a PDF in the corpus the cited page, highlighted.

    ``where`` is (turn, sentence index, whether the page can be rendered).
    """
    turn, sent, can_render = where
    url = page_url(citation.url, page, pdf)
    parts = []
    if url:
        at = f" at page {page}" if pdf and page else ""
        parts.append(f'<a class="tg-url" href="{attr(url)}" target="_blank" '
                     f'rel="noopener noreferrer">Open the original{at}</a>')
    if can_render and page and not image:
        parts.append(f'<button type="button" class="tg-show-page" data-turn="{turn}" '
                     f'data-n="{citation.n}" data-sent="{sent}">Show on the page</button>')
    out = f'<div class="tg-original">{" ".join(parts)}</div>' if parts else ""
    if problem:
        out += f'<p class="tg-page-problem" role="status">{esc(problem)}</p>'
    if image.startswith("data:image/"):
        out += (f'<figure class="tg-page"><img src="{attr(image)}" alt="Page {page} of the '
                f'document, the cited paragraph highlighted"><figcaption>Page {page}, the cited '
                "paragraph highlighted</figcaption></figure>")
    return out


def _meta_rows(citation: Citation, page: int | None = None) -> str:
    """Symbol, issuing body, date, type, section, page: only those the manifest knows."""
    rows = [
        ("Symbol", citation.symbol), ("Issued by", citation.body), ("Date", citation.date),
        ("Type", citation.type), ("Section", " › ".join(citation.section)),
        ("Paragraph", citation.citation), ("Page", str(page) if page else ""),
    ]
    cells = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in rows if v)
    return f'<dl class="tg-meta">{cells}</dl>'


def render_footnotes(footnotes: Iterable[Footnote]) -> str:
    """The paragraph's footnotes as a list under it (not glued into its text)."""
    items = "".join(
        f'<li><span class="tg-fn-marker">{esc(f.marker)}</span> {esc(f.text)}</li>'
        for f in footnotes
    )
    # The marker is the footnote's own number: an <ol> would number it a second time ("1. 8 …").
    return f'<ul class="tg-footnotes" style="list-style: none">{items}</ul>' if items else ""


def highlight(text: str, sentence: str) -> str:
    """Escaped paragraph with the part that supports ``sentence`` wrapped in ``<mark>``.

    An extractive answer quotes the paragraph, so an exact (case-insensitive) match is tried
    first; otherwise the paragraph sentence sharing most words with ``sentence`` is marked.
    """
    if not sentence.strip():
        return esc(text)
    start = text.lower().find(sentence.strip().rstrip(".").lower())
    if start >= 0:
        end = start + len(sentence.strip().rstrip("."))
        return _mark(text, start, end)
    span = _best_overlap(text, sentence)
    return _mark(text, *span) if span else esc(text)


def _mark(text: str, start: int, end: int) -> str:
    return f"{esc(text[:start])}<mark>{esc(text[start:end])}</mark>{esc(text[end:])}"


def _best_overlap(text: str, sentence: str, minimum: float = 0.3) -> tuple[int, int] | None:
    """Span of the paragraph sentence covering the largest share of ``sentence``'s words."""
    target = {w.lower() for w in _WORD.findall(sentence) if len(w) > 2}
    if not target:
        return None
    best, best_span = 0.0, None
    for start, end in sentence_spans(text):
        piece = text[start:end]
        words = {w.lower() for w in _WORD.findall(piece) if len(w) > 2}
        share = len(words & target) / len(target)
        if piece.strip() and share > best:
            best, best_span = share, (start, end)
    return best_span if best >= minimum else None


def citable(block: str, citation: str, url: str = "") -> str:
    """A cite block shown as text plus a button that copies it (see ``ui.app.PAGE_JS``)."""
    return (
        f'<div class="tg-citable" data-cite="{attr(citation)}" data-url="{attr(url)}">'
        f'<pre class="tg-block" tabindex="0" aria-label="Cite block">{html.escape(block)}</pre>'
        '<button type="button" class="tg-copy">Copy cite block</button>'
        '<span class="tg-copied" aria-live="polite"></span></div>'
    )


# --------------------------------------------------------------------------- passage finder


def render_hits(hits: list[Hit], documents: Mapping[str, Document], query: str = "",
                weak: str = "") -> str:
    """Ranked paragraphs for the passage finder, each whole, with its cite block.

    ``weak`` is why nothing matches well (shown as a warning above the closest paragraphs).
    """
    if not hits:
        return (f'<div class="tg-hits tg-hits-none" role="status">No paragraph matches '
                f"<q>{esc(query)}</q> with these filters.</div>")
    warning = (f'<div class="tg-weak" role="status"><strong>No paragraph matches this well.</strong>'
               f" {esc(sentence_case(weak))} The closest paragraphs are listed below; check them "
               "before you cite them.</div>" if weak else "")
    items = "".join(render_hit(rank, hit, documents.get(hit.passage.document_id))
                    for rank, hit in enumerate(hits, 1))
    return f'<div class="tg-hits">{warning}<ol>{items}</ol></div>'


def render_hit(rank: int, hit: Hit, doc: Document | None) -> str:
    """One finder result: citation, document details, the paragraph, footnotes, cite block."""
    p = hit.passage
    details = " · ".join(x for x in (doc.title, doc.body, doc.type, doc.date) if x) if doc else ""
    url = safe_url(doc.url) if doc else ""
    return (
        f'<li class="tg-hit" data-passage="{attr(p.id)}"><div class="tg-hit-head">'
        f'<span class="tg-cite">{esc(hit.citation)}</span></div>'
        f'<div class="tg-hit-doc">{esc(details)}</div>'
        f'<div class="tg-para">{esc(p.text)}</div>{render_footnotes(p.footnotes)}'
        f"{citable(passage_cite_block(p, doc), hit.citation, url)}</li>"
    )


# --------------------------------------------------------------------------- status line


def render_health(health: Mapping[str, object]) -> str:
    """The mode indicator: extractive or LLM server, the server's health, the index size.

    The part in ``tg-health-detail`` is hidden on a phone, where the line must stay one line.
    """
    mode = str(health.get("mode", "extractive"))
    llm = health.get("llm")
    if mode == "llm":
        label, detail = ("LLM", " server ok") if llm == "ok" else (
            "LLM server down", " — answering extractively")
    else:
        label, detail = "extractive", " (quotes the texts; no LLM)"
    index = health.get("index")
    size = ""
    if isinstance(index, Mapping):
        count = index.get("passages") or index.get("count")
        size = f" · index: {count} passages" if count else ""
    cls = "tg-health-down" if mode == "llm" and llm != "ok" else "tg-health-ok"
    return (f'<div class="tg-health {cls}" data-mode="{attr(mode)}">Mode: '
            f'<strong>{esc(label)}</strong><span class="tg-health-detail">{esc(detail)}'
            f"{esc(size)}</span></div>")
