"""Write the README's screenshots of the chat as it is: docs/screenshot.png (desktop, 1280×900, an
answer with its source open) and docs/screenshot-phone.png (phone, 390×844, question box and answer
first). Runs the real app over the repository's corpus (MiniLM) in headless Debian Chromium.

    .venv/bin/python scripts/ui_screenshots.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from assistant.settings import REPO_ROOT, Settings, apply_offline_env

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
QUESTION = "Should victims who were compelled to commit offences be prosecuted?"


def free_port() -> int:
    """A TCP port free on loopback right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    apply_offline_env()
    import playwright.sync_api as pw

    from assistant.chat import Assistant
    from ui.app import launch_app

    data = Path(tempfile.mkdtemp(prefix="tipguide-shots-"))
    assistant = Assistant.from_settings(Settings(data_dir=data), build_if_missing=True)
    port = free_port()
    demo = launch_app(assistant, host="127.0.0.1", port=port, block=False)
    try:
        with pw.sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            shoot(browser, f"http://127.0.0.1:{port}/", {"width": 1280, "height": 900},
                  REPO_ROOT / "docs" / "screenshot.png", open_source=True)
            shoot(browser, f"http://127.0.0.1:{port}/", {"width": 390, "height": 844},
                  REPO_ROOT / "docs" / "screenshot-phone.png", open_source=False)
            browser.close()
    finally:
        demo.close()


def shoot(browser: object, url: str, viewport: dict[str, int], out: Path, open_source: bool) -> None:
    """Ask the question, optionally open the first citation, and capture the viewport."""
    ctx = browser.new_context(viewport=viewport, color_scheme="light")  # type: ignore[attr-defined]
    page = ctx.new_page()
    page.goto(url + "?__theme=light", wait_until="load")
    box = page.locator("#tg-question textarea")
    box.wait_for()
    box.fill(QUESTION)
    box.press("Enter")
    page.locator("#tg-conv .tg-bot:not(.tg-streaming)").first.wait_for(timeout=60_000)
    if open_source:
        page.locator("#tg-conv .tg-chip").first.click()
        page.locator("#tg-source .tg-source[data-passage]").wait_for()
    page.evaluate("() => window.scrollTo(0, 0)")
    time.sleep(0.5)
    page.screenshot(path=str(out))
    print("wrote", out.relative_to(REPO_ROOT))
    ctx.close()


if __name__ == "__main__":
    main()
