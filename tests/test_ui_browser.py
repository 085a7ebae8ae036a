"""The web app in a real browser: headless Debian Chromium driven by Python Playwright.

One real ``Assistant`` (hash embedder, for speed) serves a copy of the corpus plus a poisoned
document whose text carries XSS payloads. The app runs in-process on a free loopback port; each test
opens a fresh page. Never ``playwright install``: the browser is ``/usr/bin/chromium``.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.settings import REPO_ROOT, Settings, apply_offline_env
from tests.pdfmaker import make_pdf
from tests.servers import free_port

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = REPO_ROOT / "artifacts"
SCRIPT = "<script>window.__xss=1</script>"
IMG = '<img src=x onerror="window.__xss=1">'
POISON_DOC = f"""# Poisoned quokka inspection note {SCRIPT}

## I. Quokka inspections

1. Labour inspectors of the quokka inspection unit must report forced labour on quokka farms {SCRIPT} to the prosecutor within three days.

2. Quokka inspectors boarding fishing vessels look for signs of trafficking for forced labour {IMG} and record them in the quokka register.
"""
POISON_MANIFEST = f"""
[[document]]
id = "poison"
file = "documents/poison.md"
title = 'Poisoned note {IMG}'
short_title = "Poison note"
symbol = "XSS/TEST/1"
body = "Quokka Unit"
type = "test"
date = "2024-01-01"
language = "en"
url = "javascript:window.__xss=1"
"""
QUESTION = "What is the non-punishment principle?"
UNANSWERABLE = "What is the population of the Moon in 1850?"

import playwright.sync_api as playwright_api  # noqa: E402 - a missing browser stack must fail, not skip

# A two-page PDF written by the test (tests/pdfmaker.py), so "show on the page" and the link to the
# original at the page have a real PDF to work on. The text is invented for the test.
PDF_PAGES = [
    ["Wombat ranger handbook", "",
     "1. Wombat rangers patrol the reserve at dawn and report snares to the district office."],
    ["2. Wombat rangers record every rescued animal in the wombat ledger within two days.",
     "3. The ledger is kept for ten years."],
]
PDF_MANIFEST = """
[[document]]
id = "wombat"
file = "documents/wombat.pdf"
title = "Wombat ranger handbook"
short_title = "Wombat handbook"
symbol = "WOMBAT/1"
body = "Wombat Office"
type = "test"
date = "2019-05-01"
language = "en"
url = "https://example.org/wombat.pdf"
"""


def _poisoned_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    (corpus / "documents" / "poison.md").write_text(POISON_DOC, encoding="utf-8")
    make_pdf(corpus / "documents" / "wombat.pdf", PDF_PAGES)
    with (corpus / "sources.toml").open("a", encoding="utf-8") as fh:
        fh.write(POISON_MANIFEST + PDF_MANIFEST)
    return corpus


@pytest.fixture(scope="module")
def app_server() -> Iterator[dict[str, Any]]:
    """The real app on a free loopback port, over the corpus plus the poisoned document."""
    if not CHROMIUM.exists():
        pytest.fail("no /usr/bin/chromium: run scripts/system-deps.sh (make test does)")
    apply_offline_env()
    from assistant.chat import Assistant
    from ui.app import launch_app

    root = Path(tempfile.mkdtemp(prefix="tipguide-ui-"))
    settings = Settings.model_validate(
        {"corpus_dir": _poisoned_corpus(root), "data_dir": root / "data", "embedder": "hash",
         "ui_allow_upload": True})
    assistant = Assistant.from_settings(settings, build_if_missing=True)
    port = free_port()
    demo = launch_app(assistant, host="127.0.0.1", port=port, block=False)
    yield {"url": f"http://127.0.0.1:{port}/", "settings": settings, "assistant": assistant}
    demo.close()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, app_server: dict[str, Any]) -> Iterator[Any]:
    """A fresh page (new context, clipboard allowed) on the app, loaded and ready to type into."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_server["url"][:-1])
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    hosts: set[str] = set()
    pg.on("request", lambda r: hosts.add(r.url.split("/")[2]))
    pg.goto(app_server["url"], wait_until="load")  # never networkidle: Gradio keeps a stream open
    pg.locator("#tg-question textarea").wait_for()
    pg.hosts = hosts
    yield pg
    ctx.close()


def ask(page: Any, question: str, n: int) -> Any:
    """Type a question, send it, and wait for exchange ``n`` (1-based) to be answered."""
    page.locator("#tg-question textarea").fill(question)
    page.locator("#tg-ask").click()
    reply = page.locator("#tg-conv .tg-exchange").nth(n - 1).locator(".tg-bot, .tg-error")
    page.wait_for_function(
        """n => { const ex = document.querySelectorAll('#tg-conv .tg-exchange')[n - 1];
                  return ex && !ex.querySelector('.tg-streaming')
                     && ex.querySelector('.tg-bot, .tg-error'); }""", arg=n)
    return reply


def xss_fired(page: Any) -> bool:
    return bool(page.evaluate("() => window.__xss !== undefined"))


def test_cited_answer_source_panel_and_screenshot(page: Any) -> None:
    t0 = time.monotonic()
    reply = ask(page, QUESTION, 1)
    assert reply.locator(".tg-chip").count() >= 1, reply.inner_text()
    assert reply.locator(".tg-badge").count() >= 1
    assert "non-punishment" in reply.inner_text().lower()
    answered_s = time.monotonic() - t0
    chip = reply.locator(".tg-chip").first
    chip.click()
    source = page.locator("#tg-source .tg-source[data-passage]")
    source.wait_for()
    # the whole paragraph, with its document's details and the supporting part highlighted
    assert source.locator(".tg-source-label").inner_text().startswith("[1] ")
    meta = source.locator(".tg-meta").inner_text()
    assert "Issued by" in meta and "Type" in meta
    assert source.locator(".tg-para mark").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "chat.png"), full_page=True)
    assert page.hosts <= {page.url.split("/")[2]}, f"requests left loopback: {page.hosts}"
    assert answered_s < 20


def test_whole_paragraph_matches_the_index(page: Any, app_server: dict[str, Any]) -> None:
    reply = ask(page, QUESTION, 1)
    reply.locator(".tg-chip").first.click()
    source = page.locator("#tg-source .tg-source[data-passage]")
    source.wait_for()
    passage = app_server["assistant"].retriever.passages[source.get_attribute("data-passage")]
    shown = " ".join(source.locator(".tg-para").inner_text().split())
    assert shown == " ".join(passage.text.split())  # the whole paragraph, not a chunk of it
    for fn in passage.footnotes:
        assert fn.text[:40] in source.locator(".tg-footnotes").inner_text()


def test_follow_up_uses_the_conversation(page: Any) -> None:
    ask(page, QUESTION, 1)
    reply = ask(page, "Who should apply it?", 2)
    assert page.locator("#tg-conv .tg-exchange").count() == 2
    # "it" only makes sense through the first question: the answer must be about that principle
    assert reply.locator(".tg-chip").count() >= 1, reply.inner_text()
    assert "non-punishment" in reply.inner_text().lower()
    page.locator("#tg-new").click()
    page.locator("#tg-conv .tg-welcome").wait_for()
    assert page.locator("#tg-conv .tg-exchange").count() == 0
    assert page.locator("#tg-examples").is_visible()


def test_refusal_shows_what_was_searched(page: Any) -> None:
    reply = ask(page, UNANSWERABLE, 1)
    assert reply.locator(".tg-refusal").count() == 1, reply.inner_text()
    assert reply.locator(".tg-chip").count() == 0
    assert reply.locator(".tg-searched li").count() >= 1
    assert "Nearest passages searched" in reply.inner_text()


def test_example_question_and_length_cap(page: Any, app_server: dict[str, Any]) -> None:
    page.locator("#tg-examples button").first.click()
    page.locator("#tg-conv .tg-exchange .tg-bot:not(.tg-streaming)").wait_for()
    limit = app_server["settings"].max_question_chars
    page.locator("#tg-question textarea").fill("trafficking " * (limit // 10))
    page.locator("#tg-ask").click()
    alert = page.locator("#tg-status [role=alert]")
    alert.wait_for()
    assert f"the limit is {limit:,}" in alert.inner_text()
    assert page.locator("#tg-conv .tg-exchange").count() == 1  # nothing was sent


def test_filter_restricts_the_chat(page: Any) -> None:
    # filters are in sight, not folded away (waited for: on a loaded machine they render a moment
    # after the question box)
    page.locator("#tg-chat-bodies").wait_for(state="visible")
    assert page.locator("#tg-chat-bodies").is_visible()
    pick(page, "#tg-chat-bodies", "Quokka Unit")
    reply = ask(page, "What must labour inspectors report on quokka farms?", 1)
    page.locator("#tg-conv .tg-chip").first.wait_for()
    for i in range(reply.locator(".tg-chip").count()):
        reply.locator(".tg-chip").nth(i).click()
        page.wait_for_function(
            "n => document.querySelector('#tg-source .tg-source-label')?.textContent"
            ".startsWith('[' + n + ']')", arg=reply.locator(".tg-chip").nth(i).inner_text())
        assert "XSS/TEST/1" in page.locator("#tg-source .tg-source-label").inner_text()


def pick(page: Any, dropdown: str, option: str) -> None:
    """Choose ``option`` in a Gradio multiselect dropdown."""
    page.locator(f"{dropdown} input").click()
    page.locator(f"{dropdown} input").fill(option)
    page.locator(f"{dropdown} [role=option]", has_text=option).first.click()
    page.locator(f"{dropdown}").get_by_text(option).first.wait_for()
    page.keyboard.press("Escape")


def test_passage_finder_filters_and_copies_a_cite_block(page: Any) -> None:
    page.locator("#tg-tab-finder-button, button[role=tab]:has-text('Passage finder')").first.click()
    page.locator("#tg-find-query textarea, #tg-find-query input").first.fill("forced labour")
    pick(page, "#tg-find-docs", "Poison note")
    page.locator("#tg-find-go").click()
    hits = page.locator("#tg-find-results .tg-hit")
    hits.first.wait_for()
    cites = [hits.nth(i).locator(".tg-cite").inner_text() for i in range(hits.count())]
    assert cites and all(c.startswith("XSS/TEST/1, ") for c in cites), cites
    first = hits.first
    block = first.locator(".tg-block").inner_text()
    first.locator(".tg-copy").click()
    first.locator(".tg-copied", has_text="Copied").wait_for()
    clip = page.evaluate("() => navigator.clipboard.readText()")
    assert clip == block
    assert block.startswith("“") and f"\n{cites[0]}" in block
    # a selected sentence is quoted instead of the whole paragraph
    page.evaluate("""() => { const p = document.querySelector('#tg-find-results .tg-hit .tg-para');
        const r = document.createRange(); r.setStart(p.firstChild, 0); r.setEnd(p.firstChild, 30);
        const s = window.getSelection(); s.removeAllRanges(); s.addRange(r); }""")
    selected = page.evaluate("() => window.getSelection().toString()")
    first.locator(".tg-copy").click()
    page.wait_for_function("() => document.querySelector('.tg-hit .tg-block').textContent"
                           ".split('\\n').length === 2")
    clip = page.evaluate("() => navigator.clipboard.readText()")
    assert clip == f"“{selected.strip()}”\n{cites[0]}"
    assert not xss_fired(page)


def test_export_markdown_and_docx(page: Any, tmp_path: Path) -> None:
    ask(page, QUESTION, 1)
    page.locator("#tg-export-md").click()
    link = page.locator("#tg-export-file a[download$='.md']").first
    link.wait_for()
    with page.expect_download() as dl:
        link.click()
    md = Path(dl.value.path()).read_text(encoding="utf-8")
    assert f"## Q1. {QUESTION}" in md and "[^1]: " in md and "para." in md
    page.locator("#tg-export-docx").click()
    page.locator("#tg-export-file a[download$='.docx']").first.wait_for()
    with page.expect_download() as dl:
        page.locator("#tg-export-file a[download$='.docx']").first.click()
    docx_path = tmp_path / "c.docx"
    shutil.copy(dl.value.path(), docx_path)
    with zipfile.ZipFile(docx_path) as z:
        assert "word/footnotes.xml" in z.namelist()
        assert b"w:footnoteReference" in z.read("word/document.xml")


def test_feedback_on_any_answer_one_vote_that_can_change(page: Any, app_server: dict[str, Any]) -> None:
    ask(page, QUESTION, 1)
    ask(page, "How should victims be identified early?", 2)
    first = page.locator("#tg-conv .tg-exchange").nth(0)
    page.locator("#tg-comment textarea, #tg-comment input").first.fill("clear and cited")
    first.locator(".tg-vote[data-vote=up]").click()  # the earlier answer, not the latest
    first.locator(".tg-vote-status", has_text="Recorded as helpful").wait_for()
    assert first.locator(".tg-vote[data-vote=up]").get_attribute("aria-pressed") == "true"
    focused = page.evaluate("() => document.activeElement.dataset.vote")
    assert focused == "up"  # the re-rendered log gives focus back to the button pressed
    first.locator(".tg-vote[data-vote=down]").click()  # changed: replaces the first vote
    first.locator(".tg-vote-status", has_text="Recorded as not helpful").wait_for()
    assert first.locator(".tg-vote[data-vote=up]").get_attribute("aria-pressed") == "false"
    second = page.locator("#tg-conv .tg-exchange").nth(1)
    assert second.locator(".tg-vote-status").inner_text() == ""  # its own status line
    assert page.locator("#tg-export-status").inner_text() == ""  # not shared with export
    log = app_server["settings"].data_dir / "feedback.jsonl"
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    mine = [r for r in records if r["question"] == QUESTION]
    assert len(mine) == 1, mine  # one vote per answer
    assert mine[0]["rating"] == "down" and mine[0]["comment"] == "clear and cited"
    assert mine[0]["citations"]
    page.reload(wait_until="load")  # the vote is part of the kept conversation
    page.locator("#tg-conv .tg-exchange .tg-vote[data-vote=down][aria-pressed=true]").wait_for()


def test_xss_payloads_stay_inert(page: Any) -> None:
    question = f"What must quokka inspectors record {IMG} {SCRIPT} on fishing vessels?"
    reply = ask(page, question, 1)
    user = page.locator("#tg-conv .tg-user .tg-text").first
    assert IMG in user.inner_text() and SCRIPT in user.inner_text()
    chips = reply.locator(".tg-chip")
    assert chips.count() >= 1, reply.inner_text()
    shown = ""
    for i in range(chips.count()):
        chips.nth(i).click()
        page.locator("#tg-source .tg-source[data-passage]").wait_for()
        time.sleep(0.3)
        shown += page.locator("#tg-source").inner_text()
    assert "<img src=x" in shown or "<script>" in shown, shown
    # the poisoned title and the javascript: URL are text, never a live link
    assert page.locator("#tg-source a[href^='javascript']").count() == 0
    assert page.locator("#tg-conv img, #tg-source img, #tg-conv script, #tg-source script").count() == 0
    assert not xss_fired(page)


# --------------------------------------------------------------------------- layouts, themes, a11y

AXE = REPO_ROOT / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
LAYOUTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
THREE_TURNS = [QUESTION, "Who should apply it?", "How should victims be identified early?"]


def open_app(browser: Any, url: str, layout: str, theme: str) -> Any:
    """A fresh context at ``layout``'s size in ``theme`` (Gradio reads ``__theme``), loaded."""
    ctx = browser.new_context(viewport=LAYOUTS[layout], color_scheme=theme,
                              is_mobile=layout == "phone", has_touch=layout == "phone")
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    pg.goto(f"{url}?__theme={theme}", wait_until="load")
    pg.locator("#tg-question textarea").wait_for()
    return pg


def in_viewport(page: Any, selector: str) -> bool:
    """True when the element's top edge is on screen (what the user sees after the click). A
    fractional layout leaves an element scrolled to the top at -0.016 px: within a pixel is on screen."""
    return bool(page.evaluate("""s => { const r = document.querySelector(s).getBoundingClientRect();
        return r.top > -1 && r.top < window.innerHeight && r.height > 0; }""", selector))


def contrast(page: Any, selector: str) -> float:
    """WCAG contrast ratio of an element's text colour against its own background colour."""
    fg, bg = page.evaluate("""s => { const cs = getComputedStyle(document.querySelector(s));
        return [cs.color, cs.backgroundColor]; }""", selector)

    def luminance(css: str) -> float:
        r, g, b = (float(v) / 255 for v in re.findall(r"[\d.]+", css)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Serious and critical axe-core violations on the page (WCAG 2.0/2.1 A and AA rules)."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))  # the pinned npm file, no CDN
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}});
        return r.violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ': ' + n.failureSummary)})); }""")
    return [v for v in found if v["impact"] in ("serious", "critical")]


def ask_with_enter(page: Any, question: str, n: int) -> Any:
    """Type a question and press Enter (no click), then wait for answer ``n``."""
    box = page.locator("#tg-question textarea")
    box.click()
    box.type(question)
    box.press("Enter")
    page.wait_for_function(
        """n => { const ex = document.querySelectorAll('#tg-conv .tg-exchange')[n - 1];
                  return ex && ex.querySelector('.tg-bot:not(.tg-streaming)'); }""", arg=n)
    return page.locator("#tg-conv .tg-exchange").nth(n - 1)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("layout", ["desktop", "phone"])
def test_chat_in_each_layout_and_theme(browser: Any, app_server: dict[str, Any], layout: str,
                                       theme: str) -> None:
    pg = open_app(browser, app_server["url"], layout, theme)
    try:
        height = LAYOUTS[layout]["height"]
        assert pg.locator("h1").count() == 1
        # the question box is on the first screen (on a phone the title line is compact)
        assert pg.locator("#tg-question textarea").bounding_box()["y"] < height * 0.6
        assert pg.locator("#tg-header").bounding_box()["height"] < (80 if layout == "phone" else 120)
        # Shift+Enter makes a new line and sends nothing; Enter sends
        box = pg.locator("#tg-question textarea")
        box.click()
        box.type("first line")
        box.press("Shift+Enter")
        box.type("second line")
        assert box.input_value() == "first line\nsecond line"
        assert pg.locator("#tg-conv .tg-exchange").count() == 0
        box.fill("")
        for i, question in enumerate(THREE_TURNS, 1):
            ask_with_enter(pg, question, i)
        assert box.input_value() == ""
        third = pg.locator("#tg-conv .tg-exchange").nth(2)
        chip = third.locator(".tg-chip").first
        chip.scroll_into_view_if_needed()
        chip.click()
        pg.locator("#tg-source .tg-source[data-passage]").wait_for()
        pg.wait_for_function("() => document.activeElement?.classList.contains('tg-source')")
        assert in_viewport(pg, "#tg-source .tg-source")  # the paragraph is in view, and focused
        live = pg.locator("#tg-source [aria-live=polite][role=region]")
        assert live.count() == 1 and live.get_attribute("aria-label") == "Source"
        if layout == "desktop":  # sticky column: the answer stays in view beside its source
            assert in_viewport(pg, "#tg-conv .tg-exchange:nth-child(3) .tg-chip.tg-active")
        else:  # phone: the source is below the chat; "Back to the answer" returns to the chip
            pg.locator("#tg-source .tg-back").click()
            pg.wait_for_function("() => document.activeElement?.classList.contains('tg-chip')")
            assert in_viewport(pg, "#tg-conv .tg-chip.tg-active")
        mark = "#tg-source .tg-para mark"
        if pg.locator(mark).count():
            assert contrast(pg, mark) >= 4.5, "highlight unreadable"
        badge = pg.locator(".tg-badge").first
        assert float(badge.evaluate("b => parseFloat(getComputedStyle(b).fontSize)")) >= 12
        assert contrast(pg, "#tg-ask") >= 4.5
        violations = axe_violations(pg)
        assert violations == [], json.dumps(violations, indent=1)
        ARTIFACTS.mkdir(exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS / f"chat-{layout}-{theme}.png"))
    finally:
        pg.context.close()


def test_double_click_on_ask_shows_no_error(page: Any) -> None:
    page.locator("#tg-question textarea").fill(QUESTION)
    page.locator("#tg-ask").dblclick()
    page.locator("#tg-conv .tg-exchange .tg-bot:not(.tg-streaming)").first.wait_for()
    time.sleep(1.0)  # let the second click's event finish
    assert page.locator("#tg-conv .tg-exchange").count() == 1
    assert page.locator("#tg-status [role=alert]").count() == 0
    page.locator("#tg-ask").click()  # a real empty submit later still gets the hint
    time.sleep(3.2)
    page.locator("#tg-ask").click()
    page.locator("#tg-status [role=alert]", has_text="Please type a question.").wait_for()


def test_year_filter_named_in_the_refusal_it_caused_and_reset(page: Any) -> None:
    pick_one(page, "#tg-chat-year-to", "2019")  # only the 2019 PDF is this old
    question = "Should victims who were compelled to commit offences be prosecuted?"
    reply = ask(page, question, 1)
    assert reply.locator(".tg-refusal").count() == 1, reply.inner_text()
    note = reply.locator(".tg-filter-note").inner_text()
    assert "Years: any to 2019" in note and "excluded the passages that answer this" in note
    assert reply.inner_text().count("No answer.") == 1
    reason = reply.locator(".tg-refusal-reason").inner_text()
    assert reason.split("No answer.", 1)[1].strip()[0].isupper()  # capitalised
    page.locator("#tg-new").click()
    page.locator("#tg-conv .tg-welcome").wait_for()
    assert page.locator("#tg-chat-year-to input").input_value() in ("", "Any")  # reset
    reply = ask(page, question, 1)
    assert reply.locator(".tg-chip").count() >= 1


def pick_one(page: Any, dropdown: str, option: str) -> None:
    """Choose ``option`` in a Gradio single-select dropdown."""
    page.locator(f"{dropdown} input").click()
    page.locator(f"{dropdown} [role=option]", has_text=option).first.click()
    page.wait_for_function("([d, o]) => document.querySelector(d + ' input').value === o",
                           arg=[dropdown, option])


def test_finder_warns_on_weak_matches_and_shows_no_scores(page: Any) -> None:
    page.locator("button[role=tab]:has-text('Passage finder')").first.click()
    query = page.locator("#tg-find-query textarea, #tg-find-query input").first
    query.fill("zebra xylophone quantum marmalade")
    page.locator("#tg-find-go").click()
    page.locator("#tg-find-results .tg-weak").wait_for()
    assert "No paragraph matches this well" in page.locator("#tg-find-results").inner_text()
    query.fill("non-punishment of victims of trafficking")
    page.locator("#tg-find-go").click()
    page.wait_for_function("() => !document.querySelector('#tg-find-results .tg-weak')"
                           " && document.querySelector('#tg-find-results .tg-hit')")
    assert "score" not in page.locator("#tg-find-results").inner_text().lower()


def test_question_in_another_language_gets_a_note(page: Any) -> None:
    reply = ask(page, "Quelles sont les obligations des États envers les victimes de la traite ?", 1)
    note = reply.locator(".tg-refusal-reason").inner_text()  # one line, said once, no passages listed
    assert "seems to be in French" in note and "searched in English" in note and "please ask in English" in note
    assert reply.locator(".tg-notice").count() == 0 and reply.locator(".tg-searched").count() == 0
    english = ask(page, QUESTION, 2)
    assert english.locator(".tg-notice").count() == 0


def test_pdf_source_opens_the_original_at_the_page_and_shows_the_page(
        page: Any, app_server: dict[str, Any]) -> None:
    reply = ask(page, "What do wombat rangers record in the wombat ledger?", 1)
    chips = reply.locator(".tg-chip")
    assert chips.count() >= 1, reply.inner_text()
    for i in range(chips.count()):
        chips.nth(i).click()
        page.wait_for_function("n => document.querySelector('#tg-source .tg-source-label')"
                               "?.textContent.startsWith('[' + n + ']')", arg=chips.nth(i).inner_text())
        if "WOMBAT/1" in page.locator("#tg-source .tg-source-label").inner_text():
            break
    label = page.locator("#tg-source .tg-source-label").inner_text()
    assert "WOMBAT/1" in label, label
    pid = page.locator("#tg-source .tg-source").get_attribute("data-passage")
    passage = app_server["assistant"].corpus.passages[pid]
    assert "wombat ledger" in passage.text and passage.page == 2  # the paragraph on page 2
    link = page.locator("#tg-source a.tg-url")
    assert link.get_attribute("href") == "https://example.org/wombat.pdf#page=2"
    assert link.get_attribute("target") == "_blank"
    page.locator("#tg-source .tg-show-page").click()
    img = page.locator("#tg-source .tg-page img")
    img.wait_for()
    assert "Page 2" in img.get_attribute("alt")
    assert page.locator("#tg-source .tg-page-problem").count() == 0  # the paragraph was found
    size = img.evaluate("i => [i.naturalWidth, i.naturalHeight]")
    assert size[0] > 500 and size[1] > 700
    # the highlight is painted on the page image: yellowish pixels exist where the text is
    yellow = img.evaluate("""i => { const c = document.createElement('canvas');
        c.width = i.naturalWidth; c.height = i.naturalHeight; const x = c.getContext('2d');
        x.drawImage(i, 0, 0); const d = x.getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let k = 0; k < d.length; k += 4) if (d[k] > 200 && d[k+1] > 180 && d[k+2] < 150) n++;
        return n; }""")
    assert yellow > 1000, yellow


UPLOAD_MD = """# Numbat keeper circular

## I. Duties

1. Numbat keepers must photograph every numbat enclosure each Tuesday and send the photographs to the regional numbat registry.

2. Numbat keepers report any sign of forced labour among enclosure cleaners to the labour inspectorate.
"""


def choose_file(page: Any, path: Path) -> None:
    """Upload ``path`` through the File component's own file chooser, as a user does."""
    seen: list[str] = []  # the upload's requests, to say where a rare stall under a full run stops
    page.on("response", lambda r: seen.append(f"{r.status} {r.url.split('?')[0].rsplit('/', 1)[-1]}")
            if "upload" in r.url else None)
    with page.expect_file_chooser() as chooser:
        page.locator("#tg-upload-file button.upload-container").click()
    chooser.value.set_files(str(path))
    try:
        page.locator("#tg-upload-file", has_text=path.name).wait_for()
    except playwright_api.TimeoutError as exc:
        box = page.locator("#tg-upload-file").inner_text()
        raise AssertionError(f"{path.name} not shown after upload; responses {seen}; box {box!r}") from exc


def test_checking_a_file_fills_the_details_it_states(page: Any) -> None:
    """A UN PDF chosen with nothing typed: "Check the file" fills symbol, title, body and type from
    its running header and masthead, for the user to correct before adding."""
    page.locator("button[role=tab]:has-text('Add a document')").first.click()
    pdf = REPO_ROOT / "tests" / "fixtures" / "realdocs" / "files" / "A_RES_55_25_Annex_III_Smuggling_of_Migrants_Protocol.pdf"
    choose_file(page, pdf)
    page.locator("#tg-upload-check").click()
    page.locator("#tg-upload-report .tg-recognised").wait_for()

    def field(name: str) -> Any:
        return page.locator(f"#tg-upload-{name} input, #tg-upload-{name} textarea").first

    page.wait_for_function("() => document.querySelector('#tg-upload-symbol input, #tg-upload-symbol textarea')"
                           "?.value === 'A/RES/55/25, annex III'")
    assert field("title").input_value().startswith("Protocol against the Smuggling of Migrants")
    assert field("body").input_value() == "General Assembly" and field("type").input_value() == "treaty"
    assert "Read from the file" in page.locator("#tg-upload-report").inner_text()  # nothing added yet


def test_add_a_document_from_the_browser(page: Any, tmp_path: Path) -> None:
    page.locator("button[role=tab]:has-text('Add a document')").first.click()
    bad = tmp_path / "empty.pdf"
    bad.write_bytes(b"not a pdf at all")
    choose_file(page, bad)
    page.locator("#tg-upload-check").click()
    page.locator("#tg-upload-report [role=alert]").wait_for()  # one line, nothing added
    src = tmp_path / "numbat-circular.md"
    src.write_text(UPLOAD_MD, encoding="utf-8")
    page.locator("#tg-upload-file button[aria-label='Clear']").first.click()
    choose_file(page, src)
    page.locator("#tg-upload-title input, #tg-upload-title textarea").first.fill("Numbat keeper circular")
    page.locator("#tg-upload-symbol input, #tg-upload-symbol textarea").first.fill("NUMBAT/2025/1")
    page.locator("#tg-upload-date input, #tg-upload-date textarea").first.fill("2025-03-01")
    page.locator("#tg-upload-check").click()
    report = page.locator("#tg-upload-report .tg-recognised")
    report.wait_for()
    assert "Recognised:" in report.inner_text() and "Nothing has been added yet" in report.inner_text()
    page.locator("#tg-upload-go").click()
    page.locator("#tg-upload-report", has_text="Added as").wait_for()
    # the old index answers while the new one is built
    page.locator("#tg-upload-progress .tg-progress").wait_for()
    page.locator("#tg-upload-progress [data-state=done]").wait_for(timeout=120_000)
    assert "100%" in page.locator("#tg-upload-progress").inner_text()
    page.locator("button[role=tab]:has-text('Chat')").first.click()
    reply = ask(page, "What must numbat keepers photograph each Tuesday?", 1)
    chips = reply.locator(".tg-chip")
    assert chips.count() >= 1, reply.inner_text()
    seen = ""
    for i in range(chips.count()):
        chips.nth(i).click()
        page.locator("#tg-source .tg-source[data-passage]").wait_for()
        time.sleep(0.3)
        seen += page.locator("#tg-source .tg-source-label").inner_text()
    assert "NUMBAT/2025/1" in seen, seen
