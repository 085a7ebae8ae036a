"""Faults: a build killed mid-way, a corrupt index, two builders at once, the Chroma server and the
LLM server going away. Each test checks the user sees a clear one-line error (never a traceback,
never a silent empty result) and that the system recovers.

Index builds use the hash embedder (fast, deterministic); the real-server tests are ``e2e``.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from assistant.chat import Assistant
from assistant.cli import cli
from assistant.errors import BackendUnavailableError, IndexBusyError, IndexCorruptError
from assistant.index import build_index, build_lock, current_version, open_index
from assistant.retrieve import Retriever
from assistant.settings import REPO_ROOT, Settings
from tests.servers import free_port

BIN = Path(sys.executable).parent
QUERY = "non-punishment of victims of trafficking"



def cli_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIPGUIDE_")}
    env.update(TIPGUIDE_DATA_DIR=str(data_dir), TIPGUIDE_EMBEDDER="hash",
               TIPGUIDE_CORPUS_DIR=str(REPO_ROOT / "corpus"), PYTHONUNBUFFERED="1", **extra)
    return env


def run_cli(args: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "tipguide"), *args], env=env, capture_output=True, text=True,
                          timeout=timeout)


def assert_one_line_error(stderr: str, *needles: str) -> None:
    """The CLI's error is one ``error:`` line naming what matters, with no traceback."""
    assert "Traceback" not in stderr, stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    for needle in needles:
        assert needle in errors[0], errors[0]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data dir with one complete hash-embedder index (copied by tests that damage it)."""
    data = tmp_path_factory.mktemp("built") / "data"
    build_index(hash_settings(data))
    return data


def hash_settings(data: Path, **extra: Any) -> Settings:
    """Settings on the real corpus with the hash embedder (dict-splat: mypy and pydantic Fields)."""
    values: dict[str, Any] = {"data_dir": data, "embedder": "hash", **extra}
    return Settings(**values)


def copy_of(built: Path, tmp_path: Path) -> Settings:
    data = tmp_path / "data"
    shutil.copytree(built, data)
    return hash_settings(data)


# ----------------------------------------------------------------------------- killed build
def test_killed_build_keeps_previous_index_and_next_build_recovers(built: Path, tmp_path: Path) -> None:
    settings = copy_of(built, tmp_path)
    old = current_version(settings)
    versions = settings.index_dir / "versions"
    env = cli_env(settings.data_dir)
    # --rebuild would delete the live index first; a changed corpus forces a real new version.
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    extra = corpus / "documents" / "extra.md"
    extra.write_text("# Extra\n\n1. States should protect victims of trafficking in persons.\n")
    with (corpus / "sources.toml").open("a") as fh:
        fh.write('\n[[document]]\nid = "extra"\nfile = "documents/extra.md"\ntitle = "Extra"\n')
    env["TIPGUIDE_CORPUS_DIR"] = str(corpus)
    caught = False
    for _attempt in range(3):
        proc = subprocess.Popen([str(BIN / "tipguide"), "index"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while proc.poll() is None and time.monotonic() < deadline:
            if any(d.name != old for d in versions.iterdir()):
                os.kill(proc.pid, signal.SIGSTOP)  # freeze first, then look, then kill
                break
            time.sleep(0.002)
        caught = proc.poll() is None and current_version(settings) == old
        proc.kill()
        proc.wait()
        if caught:
            break
        shutil.rmtree(settings.data_dir)  # the build won the race: start over
        shutil.copytree(built, settings.data_dir)
    assert caught, "could not stop the build between its version dir and the switch"
    leftovers = [d.name for d in versions.iterdir() if d.name != old]
    assert leftovers, "the killed build should have left an incomplete version behind"
    # The previous index keeps serving, same version, real results.
    retriever = Retriever.open(settings)
    assert retriever.handle.version == old
    assert retriever.search(QUERY)
    # The next build recovers: a new complete version; the killed build's leftovers are removed,
    # the previous version is kept because this process still reads it (its reader lease).
    out = run_cli(["index"], env)
    assert out.returncode == 0, out.stderr
    new = current_version(settings)
    assert new not in (None, old)
    assert sorted(d.name for d in versions.iterdir()) == sorted([old, new])
    handle = open_index(settings.with_overrides(corpus_dir=corpus))
    assert any(p.document_id == "extra" for p in handle.passages)
    prefix = settings.chroma_collection_prefix
    names = {c if isinstance(c, str) else c.name
             for c in handle.collection._client.list_collections()}
    assert names == {f"{prefix}-{new}"}  # each version has its own store
    # ... and the process that opened the old version before the switch still answers from it.
    assert retriever.search(QUERY, method="dense")


# ----------------------------------------------------------------------------- corruption
def _chroma_dir(s: Settings) -> Path:
    return s.index_dir / "versions" / str(current_version(s)) / "chroma"


def _corrupt_chroma(s: Settings) -> Path:
    path = _chroma_dir(s) / "chroma.sqlite3"
    data = bytearray(path.read_bytes())
    for off in range(4096, len(data), 8192):
        data[off : off + 2048] = os.urandom(2048)
    path.write_bytes(bytes(data))
    return _chroma_dir(s)


def _corrupt_bm25(s: Settings) -> Path:
    bm25 = s.index_dir / "versions" / str(current_version(s)) / "bm25"
    for f in bm25.iterdir():
        f.write_bytes(os.urandom(256))
    return bm25


def _corrupt_passages(s: Settings) -> Path:
    path = s.index_dir / "versions" / str(current_version(s)) / "passages.jsonl"
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path.parent


def _delete_chroma(s: Settings) -> Path:
    shutil.rmtree(_chroma_dir(s))
    return _chroma_dir(s)


@pytest.mark.parametrize("damage", [_corrupt_chroma, _corrupt_bm25, _corrupt_passages, _delete_chroma])
def test_corrupt_index_gives_clear_error_and_rebuild_repairs(built: Path, tmp_path: Path,
                                                              damage: object) -> None:
    settings = copy_of(built, tmp_path)
    where = damage(settings)  # type: ignore[operator]
    with pytest.raises(IndexCorruptError) as err:
        Retriever.open(settings)
    assert str(where) in str(err.value) and "--rebuild" in str(err.value)
    assert "\n" not in str(err.value)
    runner = CliRunner()
    res = runner.invoke(cli, ["--data-dir", str(settings.data_dir), "--embedder", "hash", "search", QUERY])
    assert res.exit_code != 0
    assert "error:" in res.output and "--rebuild" in res.output and "no passages found" not in res.output
    res = runner.invoke(cli, ["--data-dir", str(settings.data_dir), "--embedder", "hash", "index", "--rebuild"])
    assert res.exit_code == 0, res.output
    assert Retriever.open(settings).search(QUERY)


def test_corrupt_index_cli_subprocess_one_line(built: Path, tmp_path: Path) -> None:
    """The real process (not CliRunner) prints one line and exits 1."""
    settings = copy_of(built, tmp_path)
    where = _corrupt_chroma(settings)
    out = run_cli(["search", QUERY], cli_env(settings.data_dir))
    assert out.returncode == 1
    assert_one_line_error(out.stderr, str(where), "--rebuild")
    assert out.stdout.strip() == ""


# ----------------------------------------------------------------------------- two builders
def test_second_builder_fails_clearly_while_lock_held(built: Path, tmp_path: Path) -> None:
    settings = copy_of(built, tmp_path)
    old = current_version(settings)
    with build_lock(settings):
        with pytest.raises(IndexBusyError, match=f"pid {os.getpid()}"):
            build_index(settings, rebuild=True)
        res = CliRunner().invoke(cli, ["--data-dir", str(settings.data_dir), "--embedder", "hash",
                                       "index", "--rebuild"])
        assert res.exit_code == 1 and "being built" in res.output
    assert current_version(settings) == old  # the refused rebuild deleted nothing
    assert Retriever.open(settings).search(QUERY)


def test_two_processes_indexing_at_once_never_mix(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = cli_env(data)
    procs = [subprocess.Popen([str(BIN / "tipguide"), "index", "--rebuild"], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = [(p.wait(timeout=120), p.communicate()[1]) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes[0] == 0, results
    for code, err in results:
        if code != 0:
            # "by pid N", or "by another process" when it reads the lock between truncate and write
            assert_one_line_error(err, "the index is being built by")
    settings = hash_settings(data)
    handle = open_index(settings)  # consistent: counts checked against the manifest
    assert [d.name for d in (settings.index_dir / "versions").iterdir()] == [handle.version]
    assert handle.collection.count() == len(handle.units)


# ----------------------------------------------------------------------------- Chroma server
def _start_chroma(path: Path, port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([str(BIN / "chroma"), "run", "--path", str(path), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise AssertionError("chroma run did not start")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.mark.e2e
@pytest.mark.server
def test_chroma_server_down_and_back(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    settings = hash_settings(tmp_path / "data", chroma_url=url)
    env = cli_env(settings.data_dir, TIPGUIDE_CHROMA_URL=url)
    server = _start_chroma(tmp_path / "chroma-server", port)
    try:
        build_index(settings)
        retriever = Retriever.open(settings)
        # a corpus past ``exact_dense_max_windows`` asks Chroma's ANN index at every search
        ann = Retriever.open(settings.model_copy(update={"exact_dense_max_windows": 0}))
        assert retriever.search(QUERY, method="dense") and ann.search(QUERY, method="dense")
        _stop(server)
        out = run_cli(["search", QUERY], env)
        assert out.returncode == 1
        assert_one_line_error(out.stderr, url, "unreachable", "chroma run")
        # A long-running process (the UI) holding the index keeps answering from the window vectors
        # it read at open; one that needs the server says so clearly, not with a library traceback.
        assert retriever.search(QUERY, method="dense")
        with pytest.raises(BackendUnavailableError, match="unreachable"):
            ann.search(QUERY)
        server = _start_chroma(tmp_path / "chroma-server", port)
        assert ann.search(QUERY, method="dense")  # the same retriever recovers
        out = run_cli(["search", QUERY, "--k", "3"], env)
        assert out.returncode == 0, out.stderr
        assert "1. " in out.stdout
    finally:
        _stop(server)


# ----------------------------------------------------------------------------- LLM server
class _Handler(http.server.BaseHTTPRequestHandler):
    mode = "slow"
    sleep_s = 30.0

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._reply()

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self._reply()

    def _reply(self) -> None:
        if self.mode == "slow":
            time.sleep(self.sleep_s)
        body = b'{"id": "x", "choices": [{"delta": {"content": "Vict' if self.mode == "garbage" else b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(OSError):  # the client gave up (the point of the slow test)
            self.wfile.write(body)


@pytest.fixture
def fake_llm_server(request: pytest.FixtureRequest) -> Iterator[str]:
    handler = type("H", (_Handler,), {"mode": request.param})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def _closed_port_url() -> str:
    return f"http://127.0.0.1:{free_port()}/v1"


TIMEOUT_S = 2.0


def _ask_with_llm(built: Path, tmp_path: Path, url: str) -> tuple[object, float]:
    settings = copy_of(built, tmp_path).with_overrides(llm_base_url=url, llm_model="fake",
                                                      llm_timeout_s=TIMEOUT_S)
    assistant = Assistant.from_settings(settings)
    assistant.warm_up()  # the one-time client import is start-up cost, not the answer's deadline
    t0 = time.monotonic()
    answer = assistant.ask("What is the non-punishment principle for victims of trafficking?")
    return answer, time.monotonic() - t0


@pytest.mark.parametrize("fake_llm_server", ["slow", "garbage"], indirect=True)
def test_llm_slow_or_garbage_falls_back_to_extractive(built: Path, tmp_path: Path,
                                                     fake_llm_server: str) -> None:
    answer, seconds = _ask_with_llm(built, tmp_path, fake_llm_server)
    _assert_fallback(answer, seconds)


def test_llm_down_falls_back_to_extractive(built: Path, tmp_path: Path) -> None:
    answer, seconds = _ask_with_llm(built, tmp_path, _closed_port_url())
    _assert_fallback(answer, seconds)
    assert "unreachable" in answer.notice  # type: ignore[attr-defined]


def _assert_fallback(answer: object, seconds: float) -> None:
    from assistant.models import Answer

    assert isinstance(answer, Answer)
    assert seconds < TIMEOUT_S + 8, f"took {seconds:.1f} s with a {TIMEOUT_S} s LLM timeout"
    assert answer.mode == "extractive" and not answer.refused
    assert answer.notice.startswith("LLM unavailable") and "\n" not in answer.notice
    assert answer.citations and all(s.citations for s in answer.sentences)
