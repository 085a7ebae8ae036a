"""Unit tests for the UI's pure pieces: rendering, cite blocks, export, feedback, handlers.

No browser and no index: answers and hits are built by hand, the Assistant is a scripted fake.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.errors import BadQueryError, IndexCorruptError
from assistant.models import (
    Answer,
    AnswerSentence,
    Citation,
    Document,
    Filters,
    Footnote,
    Hit,
    Passage,
)
from assistant.settings import REPO_ROOT, Settings
from ui.citeblock import citation_cite_block, cite_block, passage_cite_block
from ui.conversation import (
    MAX_KEPT_EXCHANGES,
    Exchange,
    find_citation,
    from_state,
    history_turns,
    last_answered,
    to_state,
)
from ui.export import conversation_docx, conversation_markdown, xml_safe
from ui.feedback import read_feedback, record_vote
from ui.render import (
    esc,
    highlight,
    render_answer,
    render_conversation,
    render_health,
    render_hits,
    render_source,
    safe_url,
    strip_markers,
)

SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=1">'
PARA = ("Victims of trafficking should not be punished for offences they were compelled to commit. "
        "States should review their legislation accordingly.")


def citation(n: int = 1, text: str = PARA, **kw: Any) -> Citation:
    base: dict[str, Any] = {
        "n": n, "passage_id": f"wg4:para-{11 + n}", "document_id": "wg4",
        "citation": f"CTOC/COP/WG.4/2022/2, para. {11 + n}", "text": text,
        "footnotes": [Footnote(marker="3", text="See A/RES/55/25.")],
        "url": "https://www.unodc.org/x.pdf", "title": "Guidance on non-punishment",
        "symbol": "CTOC/COP/WG.4/2022/2", "body": "Working Group on Trafficking in Persons",
        "type": "background paper", "date": "2022-04-07", "section": ["III. Background"],
    }
    base.update(kw)
    return Citation(**base)


def answer(question: str = "Should victims be punished?", **kw: Any) -> Answer:
    cits = [citation(1), citation(2, text="A second paragraph about review of laws.")]
    sentences = [
        AnswerSentence(text="Victims of trafficking should not be punished. [1]",
                       citations=[cits[0].passage_id], support="supported"),
        AnswerSentence(text="Laws should be reviewed. [2]", citations=[cits[1].passage_id],
                       support="weak"),
    ]
    base: dict[str, Any] = {
        "question": question, "answer": " ".join(s.text for s in sentences),
        "sentences": sentences, "citations": cits, "settings_hash": "abc123",
    }
    base.update(kw)
    return Answer(**base)


def refusal() -> Answer:
    return Answer(question="Moon?", answer="", refused=True, refusal_reason="nothing close enough",
                  searched=[{"citation": "X, para. 1", "text": f"near {SCRIPT}", "score": 0.12}])


# --------------------------------------------------------------------------- render


def test_esc_and_safe_url() -> None:
    assert esc(f"{SCRIPT}\n{IMG}") == (
        "&lt;script&gt;window.__xss=1&lt;/script&gt;<br>"
        "&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;")
    assert safe_url("https://example.org/a") == "https://example.org/a"
    for bad in ("javascript:alert(1)", "data:text/html,x", 'https://x" onclick="y', ""):
        assert safe_url(bad) == ""


def test_answer_has_chips_and_badges() -> None:
    out = render_answer(0, answer())
    assert out.count('class="tg-chip"') == 2
    assert 'data-turn="0" data-n="1" data-sent="0"' in out
    assert 'data-n="2" data-sent="1"' in out
    assert "tg-badge-supported" in out and "tg-badge-weak" in out
    assert "[1]" not in out  # markers become chips, not text


def test_extractive_sentences_show_relevance_not_self_support_with_a_legend() -> None:
    a = answer()
    a.sentences[0].relevance_level, a.sentences[0].flags = "direct", ["new_paragraph"]
    a.sentences[1].relevance_level, a.sentences[1].flags = "background", ["new_paragraph", "list_item"]
    out = render_answer(0, a)
    assert "tg-badge-rel-direct" in out and "tg-badge-rel-background" in out
    assert "tg-badge-supported" not in out  # a quote always matches itself: not what a reader needs
    assert 'title="This quote addresses what you asked."' in out and 'class="tg-legend"' in out
    assert "tg-li" in out and out.count('class="tg-gap"') == 1  # a gap between paragraphs only


def test_sentence_without_passage_ids_uses_markers() -> None:
    a = answer()
    a.sentences[0].citations = []
    assert 'data-n="1" data-sent="0"' in render_answer(0, a)


def test_plain_answer_text_markers_become_chips() -> None:
    a = answer(sentences=[], answer=f"Quoted {SCRIPT} text [1] and [9].")
    out = render_answer(3, a)
    assert 'data-turn="3" data-n="1"' in out and "<script>" not in out
    assert "[9]" in out  # unknown marker stays text


def test_everything_is_escaped_in_the_conversation() -> None:
    a = answer(question=IMG, notice=SCRIPT)
    a.sentences[0].text = f"{IMG} [1]"
    a.citations[0].citation = SCRIPT
    html = render_conversation([Exchange(question=f"{SCRIPT}{IMG}", answer=a),
                                Exchange(question="x", error=IMG),
                                Exchange(question="y", partial=SCRIPT)])
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=" in html


def test_refusal_lists_searched_passages_escaped() -> None:
    out = render_answer(0, refusal())
    assert "No answer.</strong> Nothing close enough." in out  # capitalised, said once
    assert out.lower().count("nothing close enough") == 1
    assert "Nearest passages searched" in out and "X, para. 1" in out
    assert "0.12" not in out and "score" not in out  # no raw scores in front of users
    assert "<script" not in out


def test_refusal_reason_shows_no_scores() -> None:
    a = refusal()
    a.refusal_reason = ("the question is outside what the texts are about: even the closest passage "
                        "is far from it (closeness 0.23, below the 0.31 the texts' questions reach)")
    out = render_answer(0, a)
    assert "0.23" not in out and "closeness" not in out
    assert "No answer.</strong> The question is outside what the texts are about" in out


def test_a_greeting_or_a_foreign_language_question_is_one_message_not_a_refusal_view() -> None:
    a = refusal()
    a.refusal_kind, a.answer, a.searched = "language", "The question seems to be in French <b>.", []
    out = render_answer(0, a, language="Your question seems to be in French.")
    assert "The question seems to be in French &lt;b&gt;." in out and "Your question seems" not in out
    assert "No answer." not in out and "No passages matched" not in out


def test_refusal_names_the_filters_that_caused_it() -> None:
    out = render_answer(0, refusal(), note="Filters in use: Issuing body: UNODC.")
    assert "Filters in use: Issuing body: UNODC." in out


def test_every_answer_has_its_own_vote_buttons() -> None:
    out = render_answer(3, answer(), vote="down")
    assert 'data-turn="3" data-vote="up" aria-pressed="false"' in out
    assert 'data-turn="3" data-vote="down" aria-pressed="true"' in out
    assert "Recorded as not helpful" in out
    assert 'role="status"></span>' in render_answer(0, refusal())  # refusals get feedback too


def test_language_note_for_a_question_in_another_language() -> None:
    from ui.render import language_note

    assert "French" in language_note("Quelles sont les obligations des États envers les victimes ?")
    assert "searched in English" in language_note("¿Qué deben hacer los Estados por las víctimas?")
    assert language_note("What must States do for victims?") == ""
    html = render_conversation([Exchange("Was müssen die Staaten für die Opfer tun?", answer())])
    assert "German" in html and "tg-notice" in html


def test_source_panel_shows_the_whole_paragraph_with_details() -> None:
    out = render_source(citation(1), "Victims of trafficking should not be punished [1]")
    for field in ("CTOC/COP/WG.4/2022/2, para. 12", "Working Group on Trafficking in Persons",
                  "2022-04-07", "background paper", "III. Background", "Guidance on non-punishment",
                  "See A/RES/55/25.", "https://www.unodc.org/x.pdf", "Copy cite block"):
        assert field in out
    assert 'tabindex="-1"' in out  # the panel takes focus when a chip opens it
    assert "<mark>Victims of trafficking should not be punished</mark>" in out
    assert "States should review their legislation accordingly." in out  # whole, not a chunk


def test_source_panel_escapes_a_poisoned_paragraph() -> None:
    out = render_source(citation(1, text=f"Bad {SCRIPT} and {IMG}", title=IMG,
                                 url="javascript:window.__xss=1"), "")
    assert "<script" not in out and "<img" not in out and "href=" not in out


def test_source_links_the_original_at_the_page_of_a_pdf() -> None:
    out = render_source(citation(1), "", turn=2, page=7, pdf=True, sent=0, can_render=True)
    assert 'href="https://www.unodc.org/x.pdf#page=7"' in out and "Open the original at page 7" in out
    assert 'class="tg-show-page" data-turn="2" data-n="1" data-sent="0"' in out
    assert 'class="tg-back" data-turn="2" data-n="1"' in out
    assert "tg-show-page" not in render_source(citation(1), "", turn=2, page=7, pdf=True)
    html_doc = render_source(citation(1, url="https://u.org/doc.html"), "", page=7, pdf=False)
    assert 'href="https://u.org/doc.html"' in html_doc and "#page" not in html_doc
    shown = render_source(citation(1), "", 0, 7, pdf=True, page_image="data:image/png;base64,AA==")
    assert '<img src="data:image/png;base64,AA==" alt="Page 7' in shown
    assert "<img" not in render_source(citation(1), "", 0, 7, pdf=True, page_image="javascript:x")


def test_highlight_by_word_overlap() -> None:
    out = highlight(PARA, "legislation should be reviewed by States")
    assert "<mark>States should review their legislation accordingly.</mark>" in out
    assert highlight(PARA, "unrelated words entirely") == esc(PARA)
    assert "<mark>" not in highlight(f"{SCRIPT} x", "")


def test_strip_markers() -> None:
    assert strip_markers("A sentence [1] [12].") == "A sentence."


def test_welcome_and_health() -> None:
    assert "numbered chip" in render_conversation([])
    assert "extractive" in render_health({"mode": "extractive", "index": {"passages": 263}})
    assert "263 passages" in render_health({"mode": "extractive", "index": {"passages": 263}})
    down = render_health({"mode": "llm", "llm": "down"})
    assert "tg-health-down" in down and "LLM server" in down
    assert "tg-health-ok" in render_health({"mode": "llm", "llm": "ok"})


def _hit(text: str = PARA) -> tuple[Hit, dict[str, Document]]:
    doc = Document(id="wg4", file="x.md", title=f"Guidance {IMG}", symbol="CTOC/COP/WG.4/2022/2",
                   body="WG", type="background paper", date="2022", url="https://u.org/p")
    p = Passage(id="wg4:para-12", document_id="wg4", label="12", text=text)
    return Hit(passage=p, citation=p.citation_label(doc), score=0.5), {"wg4": doc}


def test_finder_results_carry_cite_blocks_and_escape() -> None:
    hit, docs = _hit(f"Text {SCRIPT}")
    out = render_hits([hit], docs, "q")
    assert "CTOC/COP/WG.4/2022/2, para. 12" in out and 'data-cite="CTOC/COP/WG.4/2022/2, para. 12"'
    assert "&lt;script&gt;" in out and "<script" not in out and "<img" not in out
    assert "https://u.org/p" in out and "tg-copy" in out
    assert "No paragraph matches <q>&lt;b&gt;</q>" in render_hits([], docs, "<b>")
    assert "score" not in out and "0.5" not in out
    weak = render_hits([hit], docs, "q", weak="the indexed texts do not address this")
    assert "No paragraph matches this well." in weak and "The indexed texts do not address this." in weak


# --------------------------------------------------------------------------- cite blocks


def test_cite_block_format() -> None:
    assert cite_block("  A   quote\n (b) item ", "Sym, para. 3", "https://u") == (
        "“A quote\n(b) item”\nSym, para. 3\nhttps://u")
    assert cite_block("q", "Sym, para. 3") == "“q”\nSym, para. 3"


def test_passage_cite_block_whole_or_selection() -> None:
    hit, docs = _hit()
    whole = passage_cite_block(hit.passage, docs["wg4"])
    assert whole == f"“{PARA}”\nCTOC/COP/WG.4/2022/2, para. 12\nhttps://u.org/p"
    part = passage_cite_block(hit.passage, docs["wg4"], selection="States should review")
    assert part.startswith("“States should review”\nCTOC/COP/WG.4/2022/2, para. 12")
    no_symbol = Document(id="t", file="t.md", title="Toolkit", short_title="UNODC Toolkit")
    p = Passage(id="t:1", document_id="t", label="§1.4 Protection, ¶3", label_kind="ordinal",
                text="x")
    assert passage_cite_block(p, no_symbol) == "“x”\nUNODC Toolkit, §1.4 Protection, ¶3"


def test_citation_cite_block() -> None:
    assert citation_cite_block(citation(1)).endswith(
        "”\nCTOC/COP/WG.4/2022/2, para. 12\nhttps://www.unodc.org/x.pdf")


# --------------------------------------------------------------------------- conversation


def test_history_skips_failed_exchanges() -> None:
    exchanges = [Exchange("q1", answer()), Exchange("q2", error="boom"), Exchange("q3")]
    turns = history_turns(exchanges)
    assert [t.role for t in turns] == ["user", "assistant"] and turns[0].content == "q1"
    assert last_answered(exchanges) is exchanges[0]
    assert find_citation(answer(), 2) is not None and find_citation(answer(), 7) is None


def test_state_round_trips_through_json() -> None:
    exchanges = [Exchange("q1", answer(), vote="up"), Exchange("q2", error="boom"),
                 Exchange("streaming")]
    state = json.loads(json.dumps(to_state(exchanges)))
    assert len(state) == 2  # an unfinished exchange is not kept
    back = from_state(state)
    assert back[0].answer == exchanges[0].answer.model_copy(update={"timings": {}})  # type: ignore[union-attr]
    assert back[0].vote == "up" and back[0].id == exchanges[0].id and back[1].error == "boom"
    assert history_turns(back)[0].content == "q1"


def test_state_from_the_browser_is_validated() -> None:
    good = to_state([Exchange("q1", answer())])[0]
    junk: list[object] = ["x", 3, None, {"question": 5}, {"question": "q", "answer": {"bad": 1}},
                          {"question": "q"}, {**good, "vote": "<script>", "id": 7}]
    back = from_state(junk)
    assert len(back) == 1 and back[0].vote == "" and back[0].id != "7"
    assert from_state("not a list") == [] and from_state(None) == []
    many = to_state([Exchange(f"q{i}", answer()) for i in range(MAX_KEPT_EXCHANGES + 5)])
    assert len(many) == MAX_KEPT_EXCHANGES and many[-1]["question"] == f"q{MAX_KEPT_EXCHANGES + 4}"


# --------------------------------------------------------------------------- export


def conversation() -> list[Exchange]:
    return [Exchange(f"What about {SCRIPT}?", answer()), Exchange("Moon?", refusal()),
            Exchange("bad", error="the query is empty")]


def test_markdown_export_has_footnotes() -> None:
    md = conversation_markdown(conversation())
    assert "## Q1. What about \\<script\\>window.\\_\\_xss=1\\</script\\>?" in md
    assert "Victims of trafficking should not be punished.[^1]" in md
    assert "Laws should be reviewed.[^2] (weak support)" in md
    assert "[^1]: CTOC/COP/WG.4/2022/2, para. 12: “Victims of trafficking" in md
    assert "\\[3\\] See A/RES/55/25. <https://www.unodc.org/x.pdf>" in md
    assert "_No answer. Nothing close enough._" in md and "_Error: the query is empty_" in md


def test_markdown_export_escapes_stored_text() -> None:
    evil = ("![pixel](http://tracker.example/p.png) [click](javascript:alert(1)) <img src=x "
            "onerror=alert(1)>\n# Heading\n[^9]: fake note\n- list")
    a = answer(question=evil)
    a.sentences[0].text = evil + " [1]"
    a.citations[0].text = evil
    a.citations[0].url = "javascript:alert(1)"
    md = conversation_markdown([Exchange(evil, a)])
    # rendered as a Markdown viewer would (CommonMark with raw HTML allowed): text only, no markup
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark", {"html": True}).render(md)
    for tag in ("<img", '<a href="javascript', '<a href="http://tracker', "<script", "<ul",
                "<h1>Heading"):
        assert tag not in html, tag
    assert html.count("<a ") == 1  # the one real link: the second citation's document URL
    assert html.count("<h1>") == 1 and html.count("<h2>") == 1  # the title and the one question
    assert "<javascript:" not in md  # the bad URL is never made a link
    assert md.count("\n[^") == 2  # only the two real footnote definitions start a line


def test_docx_export_has_real_footnotes(tmp_path: Path) -> None:
    exchanges = conversation()
    exchanges[0].answer.citations[0].text += "\x00\x0b control chars"  # type: ignore[union-attr]
    path = conversation_docx(exchanges, tmp_path / "c.docx")
    with zipfile.ZipFile(path) as z:
        notes = z.read("word/footnotes.xml").decode()
        body = z.read("word/document.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
        types = z.read("[Content_Types].xml").decode()
    assert body.count("w:footnoteReference") == 2
    assert 'w:id="1"' in notes and 'w:id="2"' in notes and "para. 12" in notes
    assert "footnotes.xml" in rels and "footnotes+xml" in types
    import docx

    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "Q1. What about <script>" in text and "No answer." in text


def test_xml_safe() -> None:
    assert xml_safe("a\x00b\x1fc\td\ne") == "abc\td\ne"


# --------------------------------------------------------------------------- feedback


def test_one_vote_per_answer_which_can_be_changed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = record_vote(data, "a1", answer(), "up", "  good  ")
    record_vote(data, "a2", answer("Another question?"), "down")
    record_vote(data, "a1", answer(), "down")  # changed: replaces, keeps the comment
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert path == data / "feedback.jsonl" and len(rows) == 2
    first = next(r for r in rows if r["answer_id"] == "a1")
    assert first["rating"] == "down" and first["comment"] == "good"
    assert first["question"] == "Should victims be punished?"
    assert first["citations"][0]["citation"] == "CTOC/COP/WG.4/2022/2, para. 12"
    assert len(read_feedback(data)) == 2
    with pytest.raises(ValueError):
        record_vote(data, "a1", answer(), "meh")  # type: ignore[arg-type]


def test_parallel_votes_from_several_processes_lose_nothing(tmp_path: Path) -> None:
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(4) as pool:
        pool.starmap(record_vote, [(tmp_path, f"a{i}", answer(), "up") for i in range(24)])
    assert sorted(str(r["answer_id"]) for r in read_feedback(tmp_path)) == sorted(
        f"a{i}" for i in range(24))


# --------------------------------------------------------------------------- handlers (no browser)


class FakeRetriever:
    def __init__(self) -> None:
        hit, self.documents = _hit()
        self.hits = [hit]
        self.passages = {hit.passage.id: hit.passage}
        self.idf: dict[str, float] = {}  # what the evidence test reads; no rare names here

    def neighbourhood(self, query: str, hits: list[Hit]) -> float:
        return 1.0  # every query is on topic for this fake

    def asked_passages(self, query: str) -> list[str]:
        return []  # no question names a paragraph of this fake's one passage

    def search(self, query: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        if query == "bad":
            raise BadQueryError("unknown document 'zz'")
        return self.hits[:k]


class FakeAssistant:
    """Scripted: streams two deltas then an answer; special questions fail."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.retriever = FakeRetriever()
        self.corpus = self.retriever  # the corpus interface the UI reads: ``documents``
        self.calls: list[dict[str, Any]] = []

    def current(self) -> FakeAssistant:
        return self

    def ask_stream(self, question: str, history: Any = None,
                   filters: Filters | None = None) -> Iterator[str | Answer]:
        self.calls.append({"q": question, "history": history, "filters": filters})
        if question == "crash":
            raise RuntimeError("secret internal detail")
        if question == "refuse me":
            raise BadQueryError("the question is empty")
        if question == "index broken":
            raise IndexCorruptError("the Chroma store at /srv/x cannot be opened; run `tipguide index --rebuild`")
        yield "Victims "
        yield "should not be punished."
        yield answer(question)

    def health(self) -> dict[str, Any]:
        return {"mode": "extractive", "llm": None, "index": {"passages": 1}}


@pytest.fixture
def handlers(settings: Settings) -> Any:
    from ui.app import ChatHandlers

    return ChatHandlers(FakeAssistant(settings))  # type: ignore[arg-type]


def gr_skip() -> Any:
    import gradio as gr

    return gr.skip()


def _last(gen: Iterator[tuple[Any, ...]]) -> tuple[Any, ...]:
    return list(gen)[-1]


def test_ask_streams_then_answers_and_passes_history_and_filters(handlers: Any) -> None:
    steps = list(handlers.ask("Should victims be punished?", [], ["wg4"], [], None))
    assert "Searching the texts" in steps[0][0]  # the question shows at once
    html, _, status, state, _ = steps[-1]
    assert 'class="tg-chip"' in html and status == "" and state[0]["answer"]["citations"]
    assert json.loads(json.dumps(state)) == state  # what the browser keeps is plain JSON
    _last(handlers.ask("And then?", state, None, ["UNODC"], ["report"]))
    call = handlers.assistant.calls[-1]
    assert call["history"][0].content == "Should victims be punished?"
    assert call["filters"] == Filters(bodies=["UNODC"], types=["report"])


def test_ask_rejects_long_and_empty_questions(handlers: Any) -> None:
    limit = handlers.settings.max_question_chars
    _, _, status, state, _ = _last(handlers.ask("x" * (limit + 1), [], None, None, None))
    assert f"the limit is {limit:,}" in status and 'role="alert"' in status
    assert state == gr_skip()  # the stored conversation is left as it was
    assert "Please type a question." in _last(handlers.ask("   ", [], None, None, None))[2]


def test_ask_errors_are_one_line_messages(handlers: Any) -> None:
    html = _last(handlers.ask("crash", [], None, None, None))[0]
    assert "Something went wrong" in html and "secret internal detail" not in html
    assert "Traceback" not in html
    assert "the question is empty" in _last(handlers.ask("refuse me", [], None, None, None))[0]


def test_operator_errors_reach_the_log_not_the_user(handlers: Any,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    """Users read a plain sentence; the server log gets the cause and the command."""
    html = _last(handlers.ask("index broken", [], None, None, None))[0]
    assert "try again in a minute" in html
    assert "--rebuild" not in html and "/srv/x" not in html
    logged = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any("IndexCorruptError" in m and "--rebuild" in m and "/srv/x" in m for m in logged), logged


def test_open_source_feedback_export_find_health(handlers: Any, tmp_path: Path) -> None:
    from ui.app import EMPTY_SOURCE

    state = _last(handlers.ask("Should victims be punished?", [], None, None, None))[3]

    class Evt:
        _data = {"turn": 0, "n": 2, "sent": 1}  # noqa: RUF012

    assert "para. 13" in handlers.open_source(state, Evt())
    Evt._data = {"turn": 5, "n": 1, "sent": 0}
    assert handlers.open_source(state, Evt()) == EMPTY_SOURCE
    status, comment = handlers.feedback("down", "too short", state)
    assert "not helpful" in status and comment == ""
    assert "Ask a question first" in handlers.feedback("up", "", [])[0]

    class Vote:
        _data = {"turn": 0, "vote": "up"}  # noqa: RUF012

    html, state, comment, status = handlers.vote(state, "nice", Vote())
    assert state[0]["vote"] == "up" and 'data-vote="up" aria-pressed="true"' in html
    Vote._data = {"turn": 0, "vote": "down"}
    html, state, _, _ = handlers.vote(state, "", Vote())
    assert state[0]["vote"] == "down"
    rows = read_feedback(handlers.settings.data_dir)
    assert len(rows) == 1 and rows[0]["rating"] == "down" and rows[0]["comment"] == "nice"
    Vote._data = {"turn": 9, "vote": "up"}
    assert "no longer here" in handlers.vote(state, "", Vote())[3]
    update, _ = handlers.export("md", state)
    assert Path(update["value"]).read_text(encoding="utf-8").startswith("# tipguide")
    assert "Nothing to export" in handlers.export("docx", [])[1]
    assert "tg-hit" in handlers.find("punished", None, None, None, 5)
    assert "No paragraph matches this well" in handlers.find("zzqx wibble", None, None, None, 5)
    assert "unknown document" in handlers.find("bad", None, None, None, 5)
    assert "extractive" in handlers.health()


def test_upload_tab_only_where_the_setting_allows_it(settings: Settings) -> None:
    from ui.app import build_app

    def tabs(allow: bool) -> list[str]:
        fake = FakeAssistant(settings.with_overrides(ui_allow_upload=allow))
        demo = build_app(fake)  # type: ignore[arg-type]
        return [str(getattr(b, "label", "")) for b in demo.blocks.values() if type(b).__name__ == "Tab"]

    assert Settings().ui_allow_upload is False  # off unless a deployment turns it on
    assert "Add a document" not in tabs(False)
    assert "Add a document" in tabs(True)


def test_upload_checks_fields_and_files(settings: Settings, tmp_path: Path) -> None:
    from ui.upload import META_FIELDS, Uploader, render_progress

    up = Uploader(FakeAssistant(settings))  # type: ignore[arg-type]
    assert "Choose a file first" in up.check(None)
    md = tmp_path / "note.md"
    md.write_text("# Note\n\n1. Wardens must report forced labour to the inspectorate at once.\n",
                  encoding="utf-8")
    assert "YYYY" in up.check(str(md), "T", "", "", "", "", "March 2020", "")
    assert "control character" in up.check(str(md), "Bad\x07title", "", "", "", "", "", "")
    ok = up.check(str(md), "Note", "", "N/1", "", "", "2020", "")
    assert "Recognised:" in ok and "Nothing has been added yet" in ok
    assert "tg-alert" in up.check(str(tmp_path / "missing.pdf"), "", "", "", "", "", "", "")
    page = REPO_ROOT / "tests" / "fixtures" / "realdocs" / "files" / "CEDAW_C_GC_38_General_recommendation_38_EXCERPT.html"
    report, *fills = up.check_and_fill(str(page), "", "", "", "", "", "", "")  # what the file says fills the form
    filled = {name: u.get("value") for name, u in zip(META_FIELDS, fills, strict=True)}  # gr.update / gr.skip
    assert filled["symbol"] == "CEDAW/C/GC/38" and filled["date"] == "2020-11-20"
    assert filled["type"] == "general recommendation" and filled["title"].startswith("General recommendation No. 38")
    assert "Read from the file and filled in above" in report and "symbol (page meta box)" in report
    _, *kept = up.check_and_fill(str(page), "My title", "", "", "", "", "", "")
    assert "value" not in kept[0] and kept[2]["value"] == "CEDAW/C/GC/38"  # what was typed stays
    from ui.upload import BuildJob

    bar = render_progress(BuildJob("running", "embedding <b>", 0.42))
    assert 'value="42"' in bar and "&lt;b&gt;" in bar
