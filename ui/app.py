"""The Gradio app: a chat tab for officials and a passage finder for drafters.

This is the only module that imports Gradio. Handlers are small and delegate to pure modules:
``ui.render`` draws escaped HTML, ``ui.export`` writes files, ``ui.feedback`` appends votes. Every
handler turns failures into a one-line message on the page; a traceback never reaches the user.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.errors import for_user, log_failure
from assistant.models import Answer, Citation, Document, Draft, Filters
from ui.conversation import (
    Exchange,
    find_citation,
    from_state,
    history_turns,
    last_answered,
    to_state,
)
from ui.export import ExportFolder, conversation_docx, conversation_markdown
from ui.feedback import Rating, record_vote
from ui.render import (
    EMPTY_SOURCE,
    esc,
    render_conversation,
    render_health,
    render_hits,
    render_source,
)
from ui.style import CSS

if TYPE_CHECKING:  # the Assistant lands in a sibling module; the app only needs its interface
    from assistant.chat import Assistant

log = logging.getLogger(__name__)

EXAMPLES = [
    "What is the non-punishment principle for victims of trafficking?",
    "Should victims who were compelled to commit offences be prosecuted?",
    "What does the Working Group recommend on identifying victims early?",
    "How can a gender-sensitive approach be applied to the smuggling of migrants?",
]
GENERIC_ERROR = "Something went wrong while answering. The error was logged; please try again."
EXPORTS = ExportFolder()  # one temp folder per process, pruned and removed at exit
STREAM_INTERVAL_S = 0.05  # repaint at most 20 times a second while an answer streams
# An empty question this soon after the previous one is the second click of a double click on Ask
# (the first already sent and cleared the box): ignored, not answered with "Please type a question".
DOUBLE_SUBMIT_S = 3.0
# Where the browser keeps the conversation. Both values must be the same on every worker behind a
# proxy, or a reload served by another worker would not find (or not decrypt) it. Gradio encrypts the
# stored value in the page with this "secret", which the page config carries to the browser: it
# protects nothing and is not a credential, so a fixed value is right.
STATE_KEY = "tipguide-conversation-v1"
STATE_SECRET = "tipguide-conversation"

# The chat log's own script: a chip click opens the source (and asks the source panel to take focus
# once it has updated); a vote button sends the vote. The guard keeps a single listener: Gradio may
# re-run js_on_load when the HTML is re-rendered.
LOG_JS = """
if (!element.dataset.tgChips) {
  element.dataset.tgChips = "1";
  element.addEventListener("click", (e) => {
    const chip = e.target.closest && e.target.closest(".tg-chip");
    if (chip) {
      element.querySelectorAll(".tg-chip.tg-active").forEach((c) => c.classList.remove("tg-active"));
      chip.classList.add("tg-active");
      window.__tgWantSource = "source";
      trigger("click", {turn: Number(chip.dataset.turn), n: Number(chip.dataset.n),
                        sent: Number(chip.dataset.sent)});
      return;
    }
    const vote = e.target.closest && e.target.closest(".tg-vote");
    if (vote) {
      window.__tgFocusVote = {turn: vote.dataset.turn, vote: vote.dataset.vote};
      const status = vote.closest(".tg-feedback").querySelector(".tg-vote-status");
      if (status) status.textContent = "Saving your vote…";
      trigger("vote", {turn: Number(vote.dataset.turn), vote: vote.dataset.vote});
    }
  });
  watch("value", () => {
    const f = window.__tgFocusVote;
    if (!f) return;
    window.__tgFocusVote = null;
    const b = element.querySelector(`.tg-vote[data-turn="${f.turn}"][data-vote="${f.vote}"]`);
    if (b) b.focus({preventScroll: true});
  });
}
"""

# The source panel: a labelled live region. When it updates after a chip click it is brought into
# view (on a phone it sits below the chat) and takes focus, so keyboard and screen-reader users land
# on the paragraph; "Back to the answer" returns to the chip. "Show on the page" asks for the PDF page.
SOURCE_JS = """
element.setAttribute("role", "region");
element.setAttribute("aria-label", "Source");
element.setAttribute("aria-live", "polite");
if (!element.dataset.tgSource) {
  element.dataset.tgSource = "1";
  element.addEventListener("click", (e) => {
    const show = e.target.closest && e.target.closest(".tg-show-page");
    if (show) {
      show.disabled = true;
      show.textContent = "Rendering the page…";
      window.__tgWantSource = "page";
      trigger("showpage", {turn: Number(show.dataset.turn), n: Number(show.dataset.n),
                       sent: Number(show.dataset.sent)});
      return;
    }
    const back = e.target.closest && e.target.closest(".tg-back");
    if (back) {
      const chip = document.querySelector(
        `#tg-conv .tg-chip[data-turn="${back.dataset.turn}"][data-n="${back.dataset.n}"]`);
      if (chip) { chip.scrollIntoView({block: "center"}); chip.focus({preventScroll: true}); }
    }
  });
  watch("value", () => {
    const want = window.__tgWantSource;
    window.__tgWantSource = null;
    const panel = element.querySelector(".tg-source[data-passage]");
    if (!want || !panel) return;
    const target = want === "page" ? (element.querySelector(".tg-page") || panel) : panel;
    const r = target.getBoundingClientRect();
    if (r.top < 0 || r.top > window.innerHeight * 0.6) target.scrollIntoView({block: "start"});
    panel.focus({preventScroll: true});
  });
}
"""

# Page-wide behaviour. Enter sends the question and Shift+Enter starts a new line (Gradio's
# multi-line textbox does the reverse): handled in the capture phase, before Gradio's own handler.
# "Copy cite block" buttons (finder results and the source panel): if the user selected text inside
# the paragraph, the block quotes that selection instead of the whole paragraph; the format mirrors
# ui.citeblock.cite_block. The selection is read on mousedown, before the click collapses it.
PAGE_JS = """
() => {
  if (window.__tgPageBound) return;
  window.__tgPageBound = true;
  const enterKey = (e) => {
    const box = e.target && e.target.closest && e.target.closest("#tg-question");
    if (!box || e.target.tagName !== "TEXTAREA" || e.key !== "Enter") return;
    if (e.isComposing || e.keyCode === 229) return;  // an input method is composing text
    e.stopPropagation();
    if (e.shiftKey) return;  // the browser inserts the new line
    e.preventDefault();
    if (e.type === "keydown") document.querySelector("#tg-ask").click();
  };
  document.addEventListener("keydown", enterKey, true);
  document.addEventListener("keypress", enterKey, true);
  const quote = (s) => "\\u201c" + s.split("\\n").map((l) => l.replace(/[ \\t]+/g, " ").trim())
    .filter(Boolean).join("\\n") + "\\u201d";
  const selectionIn = (box) => {
    const para = box.parentElement && box.parentElement.querySelector(".tg-para");
    const sel = window.getSelection();
    if (!para || !sel || sel.isCollapsed) return "";
    if (!para.contains(sel.anchorNode) || !para.contains(sel.focusNode)) return "";
    return sel.toString().trim();
  };
  document.addEventListener("mousedown", (e) => {
    const btn = e.target.closest && e.target.closest(".tg-copy");
    if (btn) btn.dataset.selection = selectionIn(btn.closest(".tg-citable"));
  }, true);
  const copyText = async (text) => {
    try { await navigator.clipboard.writeText(text); return true; } catch (err) {}
    const ta = document.createElement("textarea");
    ta.value = text; document.body.appendChild(ta); ta.select();
    let ok = false; try { ok = document.execCommand("copy"); } catch (err) {}
    ta.remove(); return ok;
  };
  document.addEventListener("click", async (e) => {
    const btn = e.target.closest && e.target.closest(".tg-copy");
    if (!btn) return;
    const box = btn.closest(".tg-citable");
    const pre = box.querySelector(".tg-block");
    if (!box.dataset.full) box.dataset.full = pre.textContent;
    const selected = btn.dataset.selection || selectionIn(box);
    btn.dataset.selection = "";
    let text = box.dataset.full;
    if (selected) {
      const lines = [quote(selected), box.dataset.cite];
      if (box.dataset.url) lines.push(box.dataset.url);
      text = lines.join("\\n");
    }
    pre.textContent = text;  // what is on the clipboard is always what the page shows
    const ok = await copyText(text);
    box.querySelector(".tg-copied").textContent =
      ok ? "Copied" : "Copy failed: select the text above";
  });
}
"""

def _alert(message: str) -> str:
    return f'<div class="tg-alert" role="alert">{esc(message)}</div>' if message else ""


def _ok(message: str) -> str:
    return f'<div class="tg-ok" role="status">{esc(message)}</div>'


def check_question(question: str, limit: int) -> str:
    """A user-facing problem with the question, or "" when it can be asked."""
    if not question.strip():
        return "Please type a question."
    if len(question) > limit:
        return (f"Your question is {len(question):,} characters long; the limit is {limit:,}. "
                "Please shorten it.")
    return ""


def _year(value: object) -> int | None:
    """A year from a dropdown value ("" / None mean no bound)."""
    try:
        return int(str(value)) if value not in (None, "") else None
    except ValueError:
        return None


def make_filters(documents: list[str] | None, bodies: list[str] | None,
                 types: list[str] | None, year_from: object = None,
                 year_to: object = None) -> Filters:
    """Filters from the dropdowns (empty means no restriction); a reversed year range is swapped."""
    lo, hi = _year(year_from), _year(year_to)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return Filters(documents=list(documents or []), bodies=list(bodies or []),
                   types=list(types or []), year_from=lo, year_to=hi)


def describe_filters(filters: Filters, documents: dict[str, Document]) -> str:
    """The filters in words, e.g. "Issuing body: UNODC; Years: 2020 to 2022"."""
    parts = []
    if filters.documents:
        names = [documents[d].short_title or documents[d].title if d in documents else d
                 for d in filters.documents]
        parts.append("Documents: " + ", ".join(names))
    if filters.bodies:
        parts.append("Issuing body: " + ", ".join(filters.bodies))
    if filters.types:
        parts.append("Type: " + ", ".join(filters.types))
    if filters.year_from or filters.year_to:
        parts.append(f"Years: {filters.year_from or 'any'} to {filters.year_to or 'any'}")
    return "; ".join(parts)


def filter_choices(documents: dict[str, Document]) -> tuple[list[tuple[str, str]], list[str],
                                                            list[str], list[int]]:
    """Choices for the document, issuing body, type and year dropdowns."""
    docs = [(d.short_title or d.title or d.id, d.id) for d in documents.values()]
    bodies = sorted({d.body for d in documents.values() if d.body})
    types = sorted({d.type for d in documents.values() if d.type})
    years = sorted({d.year for d in documents.values() if d.year})
    return docs, bodies, types, years


def source_location(assistant: Assistant, citation: Citation) -> tuple[int | None, Path | None]:
    """The cited paragraph's page, and the corpus PDF it is on (None unless the source is a PDF)."""
    corpus = assistant.current().corpus
    passage = corpus.passages.get(citation.passage_id)
    doc = corpus.documents.get(citation.document_id)
    page = passage.page if passage else None
    if doc is None or not doc.file.lower().endswith(".pdf"):
        return page, None
    path = (assistant.settings.corpus_dir / doc.file).resolve()
    return page, path if path.is_file() else None


class ChatHandlers:
    """Event handlers bound to one Assistant (shared by every browser session)."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.settings = assistant.settings

    # ------------------------------------------------------------------ asking
    def ask(self, question: str, state: list[Any], documents: list[str] | None,
            bodies: list[str] | None, types: list[str] | None, year_from: object = None,
            year_to: object = None) -> Iterator[tuple[Any, ...]]:
        """Stream an answer into the chat log; outputs: log, textbox, status, state, examples.

        ``state`` is the conversation the browser keeps; it is written back only once the answer
        is final (a reload mid-answer shows the conversation before the question).
        """
        exchanges = from_state(state)
        question = (question or "").strip()
        problem = check_question(question, self.settings.max_question_chars)
        if problem:
            recent = exchanges and time.time() - exchanges[-1].asked_at < DOUBLE_SUBMIT_S
            alert = "" if not question and recent else _alert(problem)
            yield gr.skip(), gr.skip(), alert, gr.skip(), gr.skip()
            return
        filters = make_filters(documents, bodies, types, year_from, year_to)
        history = history_turns(exchanges)
        ex = Exchange(question, asked_at=time.time())
        exchanges = [*exchanges, ex]
        yield render_conversation(exchanges), "", "", gr.skip(), gr.update(visible=False)
        last = time.monotonic()
        for _ in self._fill(ex, history, filters):
            if time.monotonic() - last >= STREAM_INTERVAL_S:
                last = time.monotonic()
                yield render_conversation(exchanges), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        if ex.answer is not None and ex.answer.refused and not filters.is_empty():
            ex.note = self._filter_note(ex, history, filters)
        yield render_conversation(exchanges), gr.skip(), "", to_state(exchanges), gr.skip()

    def _fill(self, ex: Exchange, history: list[Any], filters: Filters) -> Iterator[None]:
        """Run ``ask_stream`` into ``ex``, yielding after each delta; errors become messages."""
        try:
            # current(): the live index version, picked up between requests after a re-index
            for item in self.assistant.current().ask_stream(ex.question, history=history,
                                                            filters=filters):
                if isinstance(item, Answer):
                    ex.answer = item
                elif isinstance(item, Draft):
                    ex.draft = item
                    yield
                else:
                    ex.partial += str(item)
                    yield
            if ex.answer is None:
                ex.error = GENERIC_ERROR
        except Exception as exc:  # users read a plain sentence; the log gets the cause and remedy
            log_failure(log, f"answering {ex.question[:200]!r}", exc)
            ex.error = for_user(exc)

    def _filter_note(self, ex: Exchange, history: list[Any], filters: Filters) -> str:
        """Name the filters in a refusal; say so when the question is answered without them."""
        assistant = self.assistant.current()
        named = describe_filters(filters, assistant.corpus.documents)
        try:
            unfiltered = assistant.ask(ex.question, history=history)
        except Exception:  # the note is a courtesy: never fail the answer over it
            log.exception("re-asking without filters failed")
            unfiltered = None
        if unfiltered is not None and not unfiltered.refused:
            return (f"The chat filters excluded the passages that answer this ({named}). "
                    "Clear the filters, or start a new conversation, to see the answer.")
        return f"Filters in use: {named}."

    def restore(self, state: list[Any]) -> tuple[Any, ...]:
        """On page load: the conversation the browser kept; outputs: log, examples."""
        exchanges = from_state(state)
        return render_conversation(exchanges), gr.update(visible=not exchanges)

    def new_conversation(self) -> tuple[Any, ...]:
        """Outputs: log, textbox, status, state, examples, source, export file, export status,
        comment, then the five chat filters (cleared)."""
        return (render_conversation([]), "", "", [], gr.update(visible=True), EMPTY_SOURCE,
                gr.update(value=None, visible=False), "", "", [], [], [], None, None)

    # ------------------------------------------------------------------ sources
    def _chosen(self, state: list[Any], evt: gr.EventData) -> tuple[Citation, str, int, int] | None:
        """The citation a click event names: (citation, its sentence, turn, sentence index)."""
        data = getattr(evt, "_data", None) or {}
        exchanges = from_state(state)
        try:
            turn, n, sent = int(data.get("turn", -1)), int(data.get("n", 0)), int(data.get("sent", -1))
            ex = exchanges[turn] if turn >= 0 else None
        except (IndexError, TypeError, ValueError, AttributeError):
            return None
        citation = find_citation(ex.answer, n) if ex and ex.answer else None
        if ex is None or ex.answer is None or citation is None:
            return None
        sentences = ex.answer.sentences
        sentence = sentences[sent].text if 0 <= sent < len(sentences) else ""
        return citation, sentence, turn, sent

    def open_source(self, state: list[Any], evt: gr.EventData) -> str:
        """The source panel for the chip the user clicked."""
        chosen = self._chosen(state, evt)
        if chosen is None:
            return EMPTY_SOURCE
        citation, sentence, turn, sent = chosen
        page, pdf = source_location(self.assistant, citation)
        return render_source(citation, sentence, turn, page, pdf=bool(pdf) or _is_pdf_url(citation),
                             sent=sent, can_render=pdf is not None)

    def show_page(self, state: list[Any], evt: gr.EventData) -> str:
        """The source panel again, with the cited PDF page rendered and the paragraph marked."""
        chosen = self._chosen(state, evt)
        if chosen is None:
            return EMPTY_SOURCE
        citation, sentence, turn, sent = chosen
        page, pdf = source_location(self.assistant, citation)
        image, problem = "", ""
        if pdf is not None and page:
            from ui.pdfpage import render_page  # pypdfium2 is loaded only when a page is asked for

            try:
                image, found = render_page(pdf, page, citation.text)
                problem = "" if found else "The paragraph could not be located on the page."
            except Exception:
                log.exception("rendering page %s of %s failed", page, pdf)
                problem = "The page could not be rendered."
        return render_source(citation, sentence, turn, page, pdf=True, sent=sent,
                             can_render=False, page_image=image, page_problem=problem)

    # ------------------------------------------------------------------ feedback & export
    def vote(self, state: list[Any], comment: str, evt: gr.EventData) -> tuple[Any, ...]:
        """One vote per answer, which a later vote replaces; outputs: log, state, comment, status."""
        data = getattr(evt, "_data", None) or {}
        exchanges = from_state(state)
        rating = data.get("vote")
        try:
            ex = exchanges[int(data.get("turn", -1))]
        except (IndexError, TypeError, ValueError):
            ex = None
        if ex is None or ex.answer is None or rating not in ("up", "down"):
            return gr.skip(), gr.skip(), gr.skip(), _alert("That answer is no longer here.")
        try:
            record_vote(self.settings.data_dir, ex.id, ex.answer, rating, comment or "")
        except OSError as exc:
            log.exception("writing feedback failed")
            return (render_conversation(exchanges), gr.skip(), comment,
                    _alert(f"Could not save your vote: {exc.strerror or exc}"))
        ex.vote = rating
        return render_conversation(exchanges), to_state(exchanges), "", ""

    def feedback(self, rating: Rating, comment: str, state: list[Any]) -> tuple[str, str]:
        """Vote on the latest answer (the API's way to vote); outputs: status, comment box."""
        exchanges = from_state(state)
        ex = last_answered(exchanges)
        if ex is None or ex.answer is None:
            return _alert("Ask a question first; feedback is about an answer."), comment
        try:
            record_vote(self.settings.data_dir, ex.id, ex.answer, rating, comment or "")
        except OSError as exc:
            log.exception("writing feedback failed")
            return _alert(f"Could not save feedback: {exc.strerror or exc}"), comment
        word = "helpful" if rating == "up" else "not helpful"
        return _ok(f"Thank you: recorded as {word}."), ""

    def export(self, kind: str, state: list[Any]) -> tuple[Any, str]:
        """Write the conversation as Markdown or DOCX; outputs: file, export status."""
        exchanges = from_state(state)
        if not exchanges:
            return None, _alert("Nothing to export yet.")
        path = EXPORTS.new_path(kind)
        try:
            if kind == "md":
                path.write_text(conversation_markdown(exchanges), encoding="utf-8")
            else:
                conversation_docx(exchanges, path)
        except Exception:  # a bug in export must not look like a crash to the user
            log.exception("export failed")
            return None, _alert("Export failed; the error was logged.")
        return gr.update(value=str(path), visible=True), _ok(f"Ready: {path.name}")

    # ------------------------------------------------------------------ finder & health
    def find(self, query: str, documents: list[str] | None, bodies: list[str] | None,
             types: list[str] | None, k: float, year_from: object = None,
             year_to: object = None) -> str:
        """Ranked paragraphs for the passage finder, with a warning when none matches well."""
        query = (query or "").strip()
        problem = check_question(query, self.settings.max_query_chars)
        if problem:
            return _alert(problem.replace("question", "search"))
        assistant = self.assistant.current()
        try:
            hits = assistant.retriever.search(query, k=int(k), filters=make_filters(
                documents, bodies, types, year_from, year_to))
            weak = weak_match(query, hits, assistant.retriever, self.settings.refuse_threshold,
                              self.settings.effective_domain_threshold)
        except Exception as exc:
            log_failure(log, f"search {query[:200]!r}", exc)
            return _alert(for_user(exc))
        return render_hits(hits, assistant.corpus.documents, query, weak)

    def health(self) -> str:
        """The mode indicator's HTML."""
        try:
            return render_health(self.assistant.current().health())
        except Exception:
            log.exception("health check failed")
            return _alert("Mode unknown: the health check failed.")


def _is_pdf_url(citation: Citation) -> bool:
    """True when the document's own URL is a PDF (its link can then open at the page)."""
    return citation.url.lower().split("#")[0].endswith(".pdf")


def weak_match(query: str, hits: list[Any], retriever: Any, threshold: float,
               domain_threshold: float = 0.0) -> str:
    """Why the best paragraphs match ``query`` only weakly, or "" when they match well.

    The same evidence test the chat uses before it refuses, so the finder and the chat agree on
    what "nothing matches" means.
    """
    if not hits:
        return ""
    from assistant.answer.extractive import assess_evidence

    evidence = assess_evidence(query, hits, retriever, threshold, domain_threshold)
    return evidence.reason if evidence.refuse else ""


def _filter_controls(documents: dict[str, Document], prefix: str) -> list[Any]:
    """Dropdowns for documents, issuing bodies, types, and a year range (from, to)."""
    docs, bodies, types, years = filter_choices(documents)
    year_choices: list[Any] = [("Any", None), *[(str(y), y) for y in years]]
    with gr.Row():
        controls = [
            gr.Dropdown(docs, multiselect=True, label="Documents", elem_id=f"{prefix}-docs"),
            gr.Dropdown(bodies, multiselect=True, label="Issuing body", elem_id=f"{prefix}-bodies"),
            gr.Dropdown(types, multiselect=True, label="Type", elem_id=f"{prefix}-types"),
        ]
    with gr.Row():
        controls += [
            gr.Dropdown(year_choices, value=None, label="From year", elem_id=f"{prefix}-year-from"),
            gr.Dropdown(year_choices, value=None, label="To year", elem_id=f"{prefix}-year-to"),
        ]
    return controls


def _chat_tab(h: ChatHandlers, documents: dict[str, Document]) -> list[Any]:
    """The chat: log, question box, examples, filters, comment, export, and the source column.

    Returns what the page-load event restores: [state, log, examples].
    """
    # The conversation lives in the browser (see ui.conversation): it survives a reload and any
    # worker can answer a follow-up; the server keeps no conversation between requests.
    state = gr.BrowserState([], storage_key=STATE_KEY, secret=STATE_SECRET)
    with gr.Row(elem_id="tg-main"):
        with gr.Column(scale=3, elem_id="tg-chat-col"):
            log_html = gr.HTML(render_conversation([]), elem_id="tg-conv", js_on_load=LOG_JS,
                               autoscroll=True)
            question = gr.Textbox(
                label="Your question", lines=2, max_lines=8, elem_id="tg-question",
                placeholder="Ask about trafficking in persons or migrant smuggling",
                info=(f"Enter sends · Shift+Enter for a new line · up to "
                      f"{h.settings.max_question_chars:,} characters"))
            status = gr.HTML("", elem_id="tg-status", elem_classes=["tg-status"])
            with gr.Row():
                ask = gr.Button("Ask", variant="primary", elem_id="tg-ask")
                new = gr.Button("New conversation", elem_id="tg-new")
            with gr.Row(visible=True, elem_id="tg-examples") as examples:
                example_buttons = [gr.Button(q, size="sm", elem_classes=["tg-example"])
                                   for q in EXAMPLES]
            with gr.Accordion("Filters for the chat", open=True, elem_id="tg-chat-filters"):
                filters = _filter_controls(documents, "tg-chat")
            with gr.Accordion("Comment and export", open=True):
                comment = gr.Textbox(label="Comment (optional), sent with your next vote on an "
                                     "answer", lines=1, elem_id="tg-comment")
                feedback_status = gr.HTML("", elem_id="tg-feedback-status")
                with gr.Row():
                    export_md = gr.Button("Export Markdown", elem_id="tg-export-md", size="sm")
                    export_docx = gr.Button("Export DOCX", elem_id="tg-export-docx", size="sm")
                export_status = gr.HTML("", elem_id="tg-export-status")
                export_file = gr.File(label="Download", elem_id="tg-export-file",
                                      interactive=False, visible=False)
        with gr.Column(scale=2, elem_id="tg-source-col"):
            source = gr.HTML(EMPTY_SOURCE, elem_id="tg-source", js_on_load=SOURCE_JS)

    ask_io: dict[str, Any] = {"fn": h.ask, "inputs": [question, state, *filters],
                              "outputs": [log_html, question, status, state, examples],
                              "show_progress": "hidden"}
    # Enter is turned into a click on Ask by PAGE_JS, so the textbox's own submit is not bound.
    ask.click(**ask_io, api_name="ask")
    for button in example_buttons:
        button.click(lambda q: q, inputs=button, outputs=question).then(**ask_io)
    new.click(h.new_conversation,
              outputs=[log_html, question, status, state, examples, source, export_file,
                       export_status, comment, *filters])
    log_html.click(h.open_source, inputs=state, outputs=source, show_progress="hidden")
    log_html.vote(h.vote, inputs=[state, comment],
                  outputs=[log_html, state, comment, feedback_status], show_progress="hidden")
    source.showpage(h.show_page, inputs=state, outputs=source,
                show_progress="hidden")
    export_md.click(lambda s: h.export("md", s), inputs=state,
                    outputs=[export_file, export_status])
    export_docx.click(lambda s: h.export("docx", s), inputs=state,
                      outputs=[export_file, export_status])
    return [state, log_html, examples]


def _finder_tab(h: ChatHandlers, documents: dict[str, Document]) -> None:
    """The passage finder: a phrase or question in, ranked whole paragraphs with cite blocks out."""
    with gr.Row():
        query = gr.Textbox(label="Find passages", scale=4, elem_id="tg-find-query",
                           placeholder="A phrase or a question, e.g. non-punishment of victims")
        k = gr.Slider(1, 30, value=10, step=1, label="Results", scale=1, elem_id="tg-find-k")
    filters = _filter_controls(documents, "tg-find")
    search = gr.Button("Search", variant="primary", elem_id="tg-find-go")
    results = gr.HTML("", elem_id="tg-find-results", js_on_load=None)
    io: dict[str, Any] = {"fn": h.find, "inputs": [query, *filters[:3], k, *filters[3:]],
                          "outputs": results}
    search.click(**io)
    query.submit(**io)


def build_app(assistant: Assistant) -> gr.Blocks:
    """The whole app for one Assistant; launch it with ``launch_app``."""
    h = ChatHandlers(assistant)
    documents = assistant.corpus.documents
    with gr.Blocks(title="tipguide", analytics_enabled=False) as demo:
        with gr.Row(elem_id="tg-header"):
            gr.HTML('<h1>tipguide</h1><p class="tg-sub">UN guidance on trafficking in persons and '
                    "migrant smuggling, cited paragraph by paragraph</p>", elem_id="tg-title")
            health = gr.HTML("", elem_id="tg-health")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat", elem_id="tg-tab-chat"):
                state, log_html, examples = _chat_tab(h, documents)
            with gr.Tab("Passage finder", id="finder", elem_id="tg-tab-finder"):
                _finder_tab(h, documents)
            if assistant.settings.ui_allow_upload:
                from ui.upload import upload_tab  # only deployments that allow it load this

                with gr.Tab("Add a document", id="upload", elem_id="tg-tab-upload"):
                    upload_tab(assistant)
        demo.load(h.health, outputs=health)
        # BrowserState has read localStorage by the time the load event runs: show what it kept.
        demo.load(h.restore, inputs=state, outputs=[log_html, examples], show_progress="hidden")
    return demo


def launch_app(assistant: Assistant, host: str | None = None, port: int | None = None,
               block: bool = True) -> gr.Blocks:
    """Queue and launch on loopback by default; ``block=False`` returns once the server is up."""
    settings = assistant.settings
    demo = build_app(assistant)
    demo.queue(default_concurrency_limit=settings.concurrency)
    demo.launch(
        server_name=host or settings.host,
        server_port=port or settings.port,
        prevent_thread_lock=not block,
        show_error=False,  # our handlers report errors themselves; never ship a traceback
        footer_links=[],
        ssr_mode=False,  # no Node server: one process, nothing else listening
        quiet=not block,
        css=CSS,
        js=PAGE_JS,
        # Gradio keeps every session's last component values in an LRU of 10,000 sessions by
        # default: memory grew linearly under `make load`. This caps it.
        state_session_capacity=settings.max_sessions,
        # Gradio's start-up self-check (HEAD of its own URL, 3 s timeout) fails on a loaded machine,
        # and the worker then exits after nginx has already sent it questions, which are lost. We
        # always listen on a reachable address of our own choosing, so the check tells us nothing.
        _frontend=False,
    )
    return demo
