"""``tipguide serve``: the web chat and passage finder on loopback (what ``make run`` ends in).

Gradio is imported inside the command so ``tipguide --help`` stays instant.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
from collections.abc import Callable
from typing import Any

import click

from assistant.cli.common import clean_errors
from assistant.settings import Settings


def _progress_printer() -> tuple[Callable[[str, float], None], Callable[[], None]]:
    """A progress callback for the first-run index build, and a function that closes its bar.

    The bar is created on the first report, so a server with an index already built prints none.
    """
    from tqdm import tqdm

    bars: list[tqdm] = []

    def progress(message: str, fraction: float) -> None:
        if not bars:
            bars.append(tqdm(total=100, unit="%", bar_format="{desc}: {percentage:3.0f}%|{bar}|"))
        bars[0].n = round(max(0.0, min(1.0, fraction)) * 100)
        bars[0].set_description_str(f"building index: {message}")

    def close() -> None:
        for bar in bars:
            bar.close()

    return progress, close


@click.command()
@click.option("--host", default=None, help="Interface (default 127.0.0.1; TIPGUIDE_HOST).")
@click.option("--port", type=int, default=None, help="Port (default 7860; TIPGUIDE_PORT).")
@click.option("--llm", type=click.Choice(["local"]), default=None,
              help="Answer with the local chat model from the local-llm extra (TIPGUIDE_LLM).")
@click.pass_obj
@clean_errors
def serve(settings: Settings, host: str | None, port: int | None, llm: str | None) -> None:
    """Serve the web chat and passage finder (builds the index on first run)."""
    # Gradio reads this at import; without it the server contacts analytics hosts at launch.
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
    settings = settings.with_overrides(host=host, port=port, llm=llm)
    # The server log is the operator's: every failed request with its cause, and version switches.
    # Libraries' chatter (bm25s, httpx) stays out unless it is a warning.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(lambda r: r.levelno >= logging.WARNING or r.name.split(".")[0] in ("assistant", "ui"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    from assistant.chat import Assistant

    click.echo("loading the index (built on first run, brought up to date when the documents or tipguide changed; this can take a minute)…")
    progress, close = _progress_printer()
    try:
        assistant = Assistant.from_settings(settings, build_if_missing=True, progress=progress, refresh=True)
    finally:
        close()
    if settings.llm_enabled:
        click.echo("loading the LLM client" + (" and the local model…" if settings.llm == "local" else "…"))
    problem = assistant.warm_up()
    if problem:
        click.echo(f"warning: {problem}; answers will be extractive until it is fixed", err=True)
    from ui.app import launch_app
    from ui.workers import guard

    demo = launch_app(assistant, host=settings.host, port=settings.port, block=False)
    worker = guard(demo)  # several workers behind a proxy: see ui/workers.py
    click.echo(f"tipguide on http://{settings.host}:{settings.port}  (Ctrl+C to stop)")
    _serve_until_signalled(demo, worker)


DRAIN_TIMEOUT_S = 60.0


def _serve_until_signalled(demo: Any, worker: Any) -> None:
    """Serve until SIGTERM or Ctrl+C, then stop gracefully: new questions are turned away with a
    503 (a proxy passes them to the other workers), the answers queued here finish and reach their
    users, then the server closes and the process exits. A rolling restart (`systemctl restart`,
    `kill PID`) relies on it; the answer queue keeps running until the end."""
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    while not stop.wait(0.5):
        if not demo.server.thread.is_alive():
            return
    log = logging.getLogger("assistant.serve")
    log.info("stopping: new questions go to other workers; finishing %d here (up to %.0f s)",
             worker.busy(), DRAIN_TIMEOUT_S)
    worker.drain(DRAIN_TIMEOUT_S)
    demo.server.config.timeout_graceful_shutdown = 10
    demo.server.should_exit = True
    demo.server.thread.join(15)
    log.info("stopped")


COMMANDS = [serve]
