"""``tipguide serve``: --help stays instant (no Gradio import) and a real first run builds the
index with visible progress, then serves the app on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.settings import REPO_ROOT
from tests.servers import free_port, wait_for_page


def test_serve_help_does_not_import_gradio() -> None:
    code = ("import sys; from assistant.cli import cli; "
            "assert 'serve' in cli.commands; assert 'gradio' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO_ROOT)
    from assistant.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "--host" in result.output and "--port" in result.output



@pytest.mark.e2e
def test_serve_first_run_builds_index_then_serves(tmp_path: Path) -> None:
    port = free_port()
    exe = Path(sys.executable).with_name("tipguide")
    env = {**os.environ, "GRADIO_ANALYTICS_ENABLED": "False", "PYTHONUNBUFFERED": "1"}
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(exe), "--data-dir", str(tmp_path / "data"), "--embedder", "hash", "serve",
             "--port", str(port)], stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO_ROOT)
        try:
            page = wait_for_page(f"http://127.0.0.1:{port}/", proc, timeout=180)
            # `serve` prints its address once launch returns, a moment after the server answers
            deadline = time.monotonic() + 30
            while f"http://127.0.0.1:{port}" not in log.read_text(errors="replace") and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert "<title>tipguide</title>" in page or "tipguide" in page
    assert "building index" in text or "%" in text, text[-2000:]
    assert f"http://127.0.0.1:{port}" in text
    assert "Traceback" not in text

