"""The Gradio app: a chat tab for officials and a passage finder for drafters.

This is the only module that imports Gradio. Handlers are small and delegate to pure modules:
``ui.render`` draws escaped HTML, ``ui.export`` writes files, ``ui.feedback`` appends votes. Every
handler turns failures into a one-line message on the page; a traceback never reaches the user.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import gradio as gr

from assistant.errors import for_user, log_failure
from assistant.models import Answer, Document, Filters
from ui.conversation import (
    Exchange,
    find_citation,
    from_state,
    history_turns,
    last_answered,
    to_state,
)
from ui.export import ExportFolder, conversation_docx, conversation_markdown
from ui.feedback import Rating, append_feedback
from ui.render import (
    EMPTY_SOURCE,
    esc,
    render_conversation,
    render_health,
    render_hits,
    render_source,
)

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
# Where the browser keeps the conversation. Both values must be the same on every worker behind a
# proxy, or a reload served by another worker would not find (or not decrypt) it. Gradio encrypts the
# stored value in the page with this "secret", which the page config carries to the browser: it
# protects nothing and is not a credential, so a fixed value is right.
STATE_KEY = "tipguide-conversation-v1"
STATE_SECRET = "tipguide-conversation"

# Chip clicks in the chat log become a Gradio "click" event carrying the chip's numbers. The guard
# keeps a single listener: Gradio may re-run js_on_load when the HTML is re-rendered.
CHIP_JS = """
if (!element.dataset.tgChips) {
  element.dataset.tgChips = "1";
  element.addEventListener("click", (e) => {
    const chip = e.target.closest && e.target.closest(".tg-chip");
    if (!chip) return;
    element.querySelectorAll(".tg-chip.tg-active").forEach((c) => c.classList.remove("tg-active"));
    chip.classList.add("tg-active");
    trigger("click", {turn: Number(chip.dataset.turn), n: Number(chip.dataset.n),
                      sent: Number(chip.dataset.sent)});
  });
}
"""

# "Copy cite block" buttons (finder results and the source panel). If the user selected text inside
# the paragraph, the block quotes that selection instead of the whole paragraph; the format mirrors
# ui.citeblock.cite_block. The selection is read on mousedown, before the click collapses it.
PAGE_JS = """
() => {
  if (window.__tgCopyBound) return;
  window.__tgCopyBound = true;
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

CSS = """
.tg-conv { display: flex; flex-direction: column; gap: 10px; min-height: 320px; }
.tg-welcome h3 { margin: 0.2em 0; }
.tg-exchange { display: flex; flex-direction: column; gap: 6px; }
.tg-msg { padding: 10px 12px; border-radius: 10px; line-height: 1.5; max-width: 100%; }
.tg-user { background: var(--color-accent-soft); align-self: flex-end; max-width: 85%; }
.tg-bot { background: var(--background-fill-secondary);
  border: 1px solid var(--border-color-primary); }
.tg-error { background: #fdecea; color: #8a1c12; border: 1px solid #f5c2bd; }
.tg-role { font-size: 0.75em; font-weight: 600; opacity: 0.7; margin-bottom: 2px; }
.tg-mode-tag { font-weight: 400; border: 1px solid currentColor; border-radius: 4px;
  padding: 0 4px; }
.tg-notice { font-size: 0.85em; background: #fff7e0; color: #6b4e00; padding: 4px 6px;
  border-radius: 6px; margin-bottom: 6px; }
.tg-chip { display: inline-block; min-width: 1.5em; margin: 0 1px 0 3px; padding: 0 5px;
  font-size: 0.75em; line-height: 1.5; border-radius: 9px; border: 1px solid #2f5da8;
  background: #e8f0fd; color: #1d3f7a; cursor: pointer; vertical-align: super; }
.tg-chip.tg-active, .tg-chip:hover { background: #2f5da8; color: #fff; }
.tg-badge { font-size: 0.65em; margin-left: 3px; padding: 0 4px; border-radius: 4px;
  vertical-align: super; text-transform: uppercase; letter-spacing: 0.03em; }
.tg-badge-supported { background: #e3f4e6; color: #1f6b2c; }
.tg-badge-weak { background: #fff3d6; color: #7a5300; }
.tg-badge-unsupported { background: #fde4e1; color: #8a1c12; }
.tg-badge-rel-direct { background: #e3f4e6; color: #1f6b2c; }
.tg-badge-rel-related { background: #fff3d6; color: #7a5300; }
.tg-badge-rel-background { background: #eceff3; color: #4a5563; }
.tg-li { display: block; margin-left: 1.2em; }
.tg-gap { display: block; height: 6px; }
.tg-legend { font-size: 0.75em; opacity: 0.75; margin-top: 6px; }
.tg-refusal-reason { margin-bottom: 6px; }
.tg-searched { font-size: 0.9em; }
.tg-searched ol { margin: 4px 0 0 1.2em; padding: 0; }
.tg-cite { font-weight: 600; }
.tg-score { font-size: 0.8em; opacity: 0.6; }
.tg-source { padding: 10px 12px; border: 1px solid var(--border-color-primary); border-radius: 10px;
  background: var(--background-fill-primary); }
.tg-source-empty { opacity: 0.7; font-style: italic; }
.tg-source-label { font-weight: 700; }
.tg-source-title { font-style: italic; margin: 2px 0 6px; }
.tg-meta { display: grid; grid-template-columns: max-content 1fr; gap: 1px 10px; font-size: 0.85em;
  margin: 0 0 8px; }
.tg-meta dt { font-weight: 600; opacity: 0.75; }
.tg-meta dd { margin: 0; }
.tg-supports { font-size: 0.85em; margin-bottom: 6px; }
.tg-para { white-space: normal; line-height: 1.55; margin: 6px 0; }
.tg-para mark { background: #fff1a8; padding: 0 1px; }
.tg-footnotes { font-size: 0.8em; opacity: 0.85; margin: 4px 0 4px 1.2em; padding: 0; }
.tg-fn-marker { font-weight: 600; }
.tg-url { font-size: 0.85em; word-break: break-all; }
.tg-citable { margin-top: 8px; }
.tg-block { white-space: pre-wrap; font-size: 0.8em; background: var(--background-fill-secondary);
  padding: 6px 8px; border-radius: 6px; margin: 0 0 4px; }
.tg-source .tg-block { max-height: 9em; overflow: auto; }
.tg-copied { font-size: 0.8em; margin-left: 6px; color: #1f6b2c; }
.tg-hits ol { padding-left: 1.4em; }
.tg-hit { margin-bottom: 14px; }
.tg-hit-doc { font-size: 0.85em; opacity: 0.75; }
.tg-health { font-size: 0.85em; }
.tg-health-down strong { color: #8a1c12; }
.tg-status:empty { display: none; }
.tg-alert { color: #8a1c12; font-weight: 600; }
.tg-ok { color: #1f6b2c; }
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


def make_filters(documents: list[str] | None, bodies: list[str] | None,
                 types: list[str] | None) -> Filters:
    """Filters from the three multiselect dropdowns (empty means no restriction)."""
    return Filters(documents=list(documents or []), bodies=list(bodies or []),
                   types=list(types or []))


def filter_choices(documents: dict[str, Document]) -> tuple[list[tuple[str, str]], list[str],
                                                            list[str]]:
    """Choices for the document, issuing body and type dropdowns."""
    docs = [(d.short_title or d.title or d.id, d.id) for d in documents.values()]
    bodies = sorted({d.body for d in documents.values() if d.body})
    types = sorted({d.type for d in documents.values() if d.type})
    return docs, bodies, types


class ChatHandlers:
    """Event handlers bound to one Assistant (shared by every browser session)."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.settings = assistant.settings

    # ------------------------------------------------------------------ asking
    def ask(self, question: str, state: list[Any], documents: list[str] | None,
            bodies: list[str] | None, types: list[str] | None) -> Iterator[tuple[Any, ...]]:
        """Stream an answer into the chat log; outputs: log, textbox, status, state, examples.

        ``state`` is the conversation the browser keeps; it is written back only once the answer
        is final (a reload mid-answer shows the conversation before the question).
        """
        exchanges = from_state(state)
        question = (question or "").strip()
        problem = check_question(question, self.settings.max_question_chars)
        if problem:
            yield gr.skip(), gr.skip(), _alert(problem), gr.skip(), gr.skip()
            return
        history = history_turns(exchanges)
        ex = Exchange(question, asked_at=time.time())
        exchanges = [*exchanges, ex]
        yield render_conversation(exchanges), "", "", gr.skip(), gr.update(visible=False)
        last = time.monotonic()
        for _ in self._fill(ex, history, make_filters(documents, bodies, types)):
            if time.monotonic() - last >= STREAM_INTERVAL_S:
                last = time.monotonic()
                yield render_conversation(exchanges), gr.skip(), gr.skip(), gr.skip(), gr.skip()
        yield render_conversation(exchanges), gr.skip(), "", to_state(exchanges), gr.skip()

    def restore(self, state: list[Any]) -> tuple[Any, ...]:
        """On page load: the conversation the browser kept; outputs: log, examples."""
        exchanges = from_state(state)
        return render_conversation(exchanges), gr.update(visible=not exchanges)

    def _fill(self, ex: Exchange, history: list[Any], filters: Filters) -> Iterator[None]:
        """Run ``ask_stream`` into ``ex``, yielding after each delta; errors become messages."""
        try:
            # current(): the live index version, picked up between requests after a re-index
            for item in self.assistant.current().ask_stream(ex.question, history=history, filters=filters):
                if isinstance(item, Answer):
                    ex.answer = item
                else:
                    ex.partial += str(item)
                    yield
            if ex.answer is None:
                ex.error = GENERIC_ERROR
        except Exception as exc:  # users read a plain sentence; the log gets the cause and remedy
            log_failure(log, f"answering {ex.question[:200]!r}", exc)
            ex.error = for_user(exc)

    def new_conversation(self) -> tuple[Any, ...]:
        """Outputs: log, textbox, status, state, examples, source panel, export file."""
        return (render_conversation([]), "", "", [], gr.update(visible=True), EMPTY_SOURCE,
                gr.update(value=None, visible=False))

    # ------------------------------------------------------------------ sources
    def open_source(self, state: list[Any], evt: gr.EventData) -> str:
        """The source panel for the chip the user clicked."""
        exchanges = from_state(state)
        data = getattr(evt, "_data", None) or {}
        try:
            ex = exchanges[int(data.get("turn", -1))]
            n, sent = int(data.get("n", 0)), int(data.get("sent", -1))
        except (IndexError, TypeError, ValueError):
            return EMPTY_SOURCE
        citation = find_citation(ex.answer, n) if ex.answer else None
        if citation is None:
            return EMPTY_SOURCE
        sentences = ex.answer.sentences if ex.answer else []
        sentence = sentences[sent].text if 0 <= sent < len(sentences) else ""
        return render_source(citation, sentence)

    # ------------------------------------------------------------------ feedback & export
    def feedback(self, rating: Rating, comment: str,
                 state: list[Any]) -> tuple[str, str]:
        """Record a vote on the latest answer; outputs: feedback status, comment box."""
        ex = last_answered(from_state(state))
        if ex is None or ex.answer is None:
            return _alert("Ask a question first; feedback is about the latest answer."), comment
        try:
            append_feedback(self.settings.data_dir, ex.answer, rating, comment or "")
        except OSError as exc:
            log.exception("writing feedback failed")
            return _alert(f"Could not save feedback: {exc.strerror or exc}"), comment
        word = "helpful" if rating == "up" else "not helpful"
        return _ok(f"Thank you: recorded as {word}."), ""

    def export(self, kind: str, state: list[Any]) -> tuple[Any, str]:
        """Write the conversation as Markdown or DOCX; outputs: file, status."""
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
             types: list[str] | None, k: float) -> str:
        """Ranked paragraphs for the passage finder."""
        query = (query or "").strip()
        problem = check_question(query, self.settings.max_query_chars)
        if problem:
            return _alert(problem.replace("question", "search"))
        assistant = self.assistant.current()
        try:
            hits = assistant.retriever.search(query, k=int(k), filters=make_filters(documents, bodies, types))
        except Exception as exc:
            log_failure(log, f"search {query[:200]!r}", exc)
            return _alert(for_user(exc))
        return render_hits(hits, assistant.corpus.documents, query)

    def health(self) -> str:
        """The mode indicator's HTML."""
        try:
            return render_health(self.assistant.current().health())
        except Exception:
            log.exception("health check failed")
            return _alert("Mode unknown: the health check failed.")


def _filter_dropdowns(documents: dict[str, Document], prefix: str) -> list[gr.Dropdown]:
    """Multiselect dropdowns for documents, issuing bodies and types."""
    docs, bodies, types = filter_choices(documents)
    return [
        gr.Dropdown(docs, multiselect=True, label="Documents", elem_id=f"{prefix}-docs"),
        gr.Dropdown(bodies, multiselect=True, label="Issuing body", elem_id=f"{prefix}-bodies"),
        gr.Dropdown(types, multiselect=True, label="Type", elem_id=f"{prefix}-types"),
    ]


def _chat_tab(h: ChatHandlers, documents: dict[str, Document]) -> list[Any]:
    """The chat: log, examples, question box, filters, feedback, export, source panel.

    Returns what the page-load event restores: [state, log, examples].
    """
    # The conversation lives in the browser (see ui.conversation): it survives a reload and any
    # worker can answer a follow-up; the server keeps no conversation between requests.
    state = gr.BrowserState([], storage_key=STATE_KEY, secret=STATE_SECRET)
    with gr.Row():
        with gr.Column(scale=3):
            log_html = gr.HTML(render_conversation([]), elem_id="tg-conv", js_on_load=CHIP_JS,
                               autoscroll=True)
            with gr.Row(visible=True, elem_id="tg-examples") as examples:
                example_buttons = [gr.Button(q, size="sm", elem_classes=["tg-example"])
                                   for q in EXAMPLES]
            question = gr.Textbox(label="Your question", lines=2, max_lines=8,
                                  elem_id="tg-question",
                                  placeholder="Ask about trafficking in persons or migrant "
                                  "smuggling. Enter sends; Shift+Enter for a new line.",
                                  info=f"Up to {h.settings.max_question_chars:,} characters.")
            status = gr.HTML("", elem_id="tg-status", elem_classes=["tg-status"])
            with gr.Row():
                ask = gr.Button("Ask", variant="primary", elem_id="tg-ask")
                new = gr.Button("New conversation", elem_id="tg-new")
            with gr.Accordion("Filters", open=False, elem_id="tg-chat-filters"):
                filters = _filter_dropdowns(documents, "tg-chat")
            with gr.Accordion("Feedback and export", open=True):
                comment = gr.Textbox(label="Comment on the latest answer (optional)", lines=1,
                                     elem_id="tg-comment")
                with gr.Row():
                    up = gr.Button("▲ Helpful", elem_id="tg-up", size="sm")
                    down = gr.Button("▼ Not helpful", elem_id="tg-down", size="sm")
                    export_md = gr.Button("Export Markdown", elem_id="tg-export-md", size="sm")
                    export_docx = gr.Button("Export DOCX", elem_id="tg-export-docx", size="sm")
                feedback_status = gr.HTML("", elem_id="tg-feedback-status")
                export_file = gr.File(label="Download", elem_id="tg-export-file",
                                      interactive=False, visible=False)
        with gr.Column(scale=2):
            gr.Markdown("### Source")
            source = gr.HTML(EMPTY_SOURCE, elem_id="tg-source", js_on_load=None)

    ask_io: dict[str, Any] = {"fn": h.ask, "inputs": [question, state, *filters],
              "outputs": [log_html, question, status, state, examples],
              "show_progress": "hidden"}
    ask.click(**ask_io)
    question.submit(**ask_io)
    for button in example_buttons:
        button.click(lambda q: q, inputs=button, outputs=question).then(**ask_io)
    new.click(h.new_conversation,
              outputs=[log_html, question, status, state, examples, source, export_file])
    log_html.click(h.open_source, inputs=state, outputs=source, show_progress="hidden")
    up.click(lambda c, s: h.feedback("up", c, s), inputs=[comment, state],
             outputs=[feedback_status, comment])
    down.click(lambda c, s: h.feedback("down", c, s), inputs=[comment, state],
               outputs=[feedback_status, comment])
    export_md.click(lambda s: h.export("md", s), inputs=state,
                    outputs=[export_file, feedback_status])
    export_docx.click(lambda s: h.export("docx", s), inputs=state,
                      outputs=[export_file, feedback_status])
    return [state, log_html, examples]


def _finder_tab(h: ChatHandlers, documents: dict[str, Document]) -> None:
    """The passage finder: a phrase or question in, ranked whole paragraphs with cite blocks out."""
    with gr.Row():
        query = gr.Textbox(label="Find passages", scale=4, elem_id="tg-find-query",
                           placeholder="A phrase or a question, e.g. non-punishment of victims")
        k = gr.Slider(1, 30, value=10, step=1, label="Results", scale=1, elem_id="tg-find-k")
    with gr.Row():
        filters = _filter_dropdowns(documents, "tg-find")
    search = gr.Button("Search", variant="primary", elem_id="tg-find-go")
    results = gr.HTML("", elem_id="tg-find-results", js_on_load=None)
    io: dict[str, Any] = {"fn": h.find, "inputs": [query, *filters, k], "outputs": results}
    search.click(**io)
    query.submit(**io)


def build_app(assistant: Assistant) -> gr.Blocks:
    """The whole app for one Assistant; launch it with ``launch_app``."""
    h = ChatHandlers(assistant)
    documents = assistant.corpus.documents
    with gr.Blocks(title="tipguide", analytics_enabled=False) as demo:
        with gr.Row():
            gr.Markdown("## tipguide — UN guidance on trafficking in persons and migrant smuggling")
            health = gr.HTML("", elem_id="tg-health")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat", elem_id="tg-tab-chat"):
                state, log_html, examples = _chat_tab(h, documents)
            with gr.Tab("Passage finder", id="finder", elem_id="tg-tab-finder"):
                _finder_tab(h, documents)
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
        # Gradio keeps every session's last component values (the rendered conversation, ~180 KB)
        # in an LRU of 10,000 sessions by default: memory grew linearly under `make load`. This
        # caps it; the oldest idle conversations go first.
        state_session_capacity=settings.max_sessions,
    )
    return demo
