"""``tipguide serve``: the web chat and passage finder on loopback (what ``make run`` ends in).

Gradio is imported inside the command so ``tipguide --help`` stays instant.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable

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
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "bm25s", "chromadb"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    from assistant.chat import Assistant

    click.echo("loading the index (built on first run; this can take a minute)…")
    progress, close = _progress_printer()
    try:
        assistant = Assistant.from_settings(settings, build_if_missing=True, progress=progress)
    finally:
        close()
    if settings.llm_enabled:
        click.echo("loading the LLM client" + (" and the local model…" if settings.llm == "local" else "…"))
        problem = assistant.warm_up()
        if problem:
            click.echo(f"warning: {problem}; answers will be extractive until it is fixed", err=True)
    from ui.app import launch_app

    click.echo(f"tipguide on http://{settings.host}:{settings.port}  (Ctrl+C to stop)")
    launch_app(assistant, host=settings.host, port=settings.port, block=True)


COMMANDS = [serve]
