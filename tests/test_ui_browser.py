"""The web app in a real browser: headless Debian Chromium driven by Python Playwright.

One real ``Assistant`` (hash embedder, for speed) serves a copy of the corpus plus a poisoned
document whose text carries XSS payloads. The app runs in-process on a free loopback port; each test
opens a fresh page. Never ``playwright install``: the browser is ``/usr/bin/chromium``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.settings import REPO_ROOT, Settings, apply_offline_env
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


def _poisoned_corpus(root: Path) -> Path:
    corpus = root / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    (corpus / "documents" / "poison.md").write_text(POISON_DOC, encoding="utf-8")
    with (corpus / "sources.toml").open("a", encoding="utf-8") as fh:
        fh.write(POISON_MANIFEST)
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
        {"corpus_dir": _poisoned_corpus(root), "data_dir": root / "data", "embedder": "hash"})
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
    page.locator("#tg-chat-filters").get_by_text("Filters").click()
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


def test_feedback_is_logged(page: Any, app_server: dict[str, Any]) -> None:
    ask(page, QUESTION, 1)
    page.locator("#tg-comment textarea, #tg-comment input").first.fill("clear and cited")
    page.locator("#tg-up").click()
    page.locator("#tg-feedback-status", has_text="Thank you").wait_for()
    log = app_server["settings"].data_dir / "feedback.jsonl"
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert records[-1]["rating"] == "up" and records[-1]["comment"] == "clear and cited"
    assert records[-1]["question"] == QUESTION and records[-1]["citations"]


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
