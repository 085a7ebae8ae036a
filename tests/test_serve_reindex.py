"""An operator's day while ``tipguide serve`` answers a steady stream of questions: two add+index
rounds, a ``--rebuild`` killed mid-way, a ``--rebuild`` to the end, a corrupted embedding cache, an
add with a control character in its title and one in its file name, eight parallel adds with the
same title. Zero failed answers or searches, every added text findable afterwards (from the CLI and
from the running server, which picks the new versions up without a restart), every command still
working, no orphaned Chroma segments, no traceback in the server log.

Real processes throughout (``tipguide serve`` through Gradio's client, ``tipguide`` commands); the
hash embedder keeps each build to a few seconds on a 2-core CI machine.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assistant.index import current_version, orphaned_segments
from assistant.settings import REPO_ROOT, Settings
from tests.servers import free_port, wait_for_page
from tests.test_faults import BIN, assert_one_line_error, cli_env

pytestmark = [pytest.mark.e2e, pytest.mark.server]

WORDS = ["quillwort", "marramgrass", "saltmarsh", "fenland", "heathland", "moorland", "sedgebed",
         "reedbank", "tidepool", "shingle", "dunescape", "bogland", "estuary", "mudflat"]
QUESTIONS = ["What is the non-punishment principle?",
             "Should victims of trafficking be prosecuted for offences they were compelled to commit?",
             "What does the Working Group recommend on identification of victims?"]


@dataclass
class Traffic:
    """A steady stream of chat questions and passage searches against the server."""

    url: str
    answers: int = 0
    searches: int = 0
    failures: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run_chat(self) -> None:
        from gradio_client import Client

        client = Client(self.url, verbose=False, analytics_enabled=False)
        state: list[object] = []
        for i in range(10**6):
            if self.stop.is_set():
                return
            try:
                out = client.predict(QUESTIONS[i % 3], state if i % 4 else [], [], [], [], api_name="/ask")
                html, status, state = out[0], out[2], out[3]
                if "tg-bot" not in html or "tg-error" in html or "tg-alert" in str(status):
                    self.failures.append(f"answer {i}: {html[-300:]} {status}")
                self.answers += 1
            except Exception as exc:
                self.failures.append(f"answer {i}: {type(exc).__name__}: {exc}")
            time.sleep(0.2)

    def run_finder(self) -> None:
        from gradio_client import Client

        client = Client(self.url, verbose=False, analytics_enabled=False)
        for i in range(10**6):
            if self.stop.is_set():
                return
            try:
                html = client.predict("victims compelled to commit offences", [], [], [], 5, api_name="/find")
                if "tg-hit" not in html or "tg-alert" in html:
                    self.failures.append(f"search {i}: {html[:300]}")
                self.searches += 1
            except Exception as exc:
                self.failures.append(f"search {i}: {type(exc).__name__}: {exc}")
            time.sleep(0.3)

    def finder(self) -> Callable[[str], str]:
        """A passage-finder call on one client: query -> result HTML."""
        from gradio_client import Client

        client = Client(self.url, verbose=False, analytics_enabled=False)
        return lambda query: str(client.predict(query, [], [], [], 3, api_name="/find"))


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Settings, dict[str, str], Traffic, Path]]:
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    settings = Settings(corpus_dir=corpus, data_dir=tmp_path / "data", embedder="hash")
    env = cli_env(settings.data_dir)
    env["TIPGUIDE_CORPUS_DIR"] = str(corpus)
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as fh:
        proc = subprocess.Popen([str(BIN / "tipguide"), "serve", "--port", str(port)], env=env,
                                stdout=fh, stderr=subprocess.STDOUT)
    traffic = Traffic(f"http://127.0.0.1:{port}/")
    threads = [threading.Thread(target=traffic.run_chat, daemon=True),
               threading.Thread(target=traffic.run_finder, daemon=True)]
    try:
        wait_for_page(traffic.url, proc, timeout=180)
        for t in threads:
            t.start()
        yield settings, env, traffic, log
    finally:
        traffic.stop.set()
        for t in threads:
            t.join(timeout=60)
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def tipguide(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    print(f"{time.strftime('%H:%M:%S')} tipguide {' '.join(args)[:60]}", flush=True)  # shown on failure
    return subprocess.run([str(BIN / "tipguide"), *args], env=env, capture_output=True, text=True,
                          timeout=300)


def ok(env: dict[str, str], *args: str) -> str:
    out = tipguide(env, *args)
    assert out.returncode == 0, (args, out.stderr[-2000:])
    assert "Traceback" not in out.stderr
    return out.stdout


def new_doc(folder: Path, name: str, word: str) -> Path:
    path = folder / name
    path.write_text(f"# The {word} annex\n\n1. Labour inspectors should visit every {word} site "
                    f"unannounced to find victims of forced labour.\n", encoding="utf-8")
    return path


def kill_rebuild_midway(settings: Settings, env: dict[str, str]) -> None:
    """Start ``index --rebuild`` and SIGKILL it once its new version folder exists, before the
    switch (retried if a build is fast enough to finish first)."""
    versions = settings.index_dir / "versions"
    for _attempt in range(5):
        live = current_version(settings)
        before = {d.name for d in versions.iterdir()}
        proc = subprocess.Popen([str(BIN / "tipguide"), "index", "--rebuild"], env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while proc.poll() is None and not ({d.name for d in versions.iterdir()} - before):
            time.sleep(0.005)
        proc.kill()
        proc.wait()
        if current_version(settings) == live:
            return
    raise AssertionError("every --rebuild finished before it could be killed")


def test_operator_day_under_steady_questions(site: tuple[Settings, dict[str, str], Traffic, Path],
                                             tmp_path: Path) -> None:
    settings, env, traffic, log = site
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    added: dict[str, str] = {}  # unique word -> document id

    def add(name: str, word: str, *extra: str) -> None:
        out = ok(env, "add", str(new_doc(inbox, name, word)), *extra)
        added[word] = out.split()[1]

    for round_words in (WORDS[0:1], WORDS[1:2]):  # two add + index rounds
        add(f"{round_words[0]}.md", round_words[0])
        ok(env, "index")
    kill_rebuild_midway(settings, env)
    ok(env, "index", "--rebuild")
    cache = settings.data_dir / "embed_cache.sqlite"
    cache.write_bytes(cache.read_bytes()[: cache.stat().st_size // 3])
    add("cache.md", WORDS[2])
    out = tipguide(env, "index")
    assert out.returncode == 0 and "warning: the embedding cache" in out.stderr, out.stderr[-2000:]
    bad = tipguide(env, "add", str(new_doc(inbox, "bell.md", "nowhere")), "--title", "Bell\x07title")
    assert bad.returncode == 1
    assert_one_line_error(bad.stderr, "control character")
    add("ctrl\x1bname.md", WORDS[3])
    ok(env, "index")
    procs = [subprocess.Popen([str(BIN / "tipguide"), "add", str(new_doc(inbox, f"par{i}.md", WORDS[4 + i])),
                               "--title", "Same title"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(8)]
    for i, p in enumerate(procs):
        stdout, stderr = p.communicate(timeout=120)
        assert p.returncode == 0, stderr
        added[WORDS[4 + i]] = stdout.split()[1]
    ok(env, "index")
    live = current_version(settings)

    # Every added text is findable from the CLI, and from the server once it follows the switch.
    queries, results = inbox / "queries.jsonl", inbox / "hits.jsonl"
    queries.write_text("".join(json.dumps({"id": doc_id, "query": f"{word} site labour inspectors"}) + "\n"
                               for word, doc_id in added.items()), encoding="utf-8")
    ok(env, "search", "--queries", str(queries), "--out", str(results), "--k", "1")
    for line in results.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        assert row["hits"][0]["document_id"] == row["id"], row
    finder = traffic.finder()
    deadline = time.monotonic() + 60
    while f"The {WORDS[-1]} annex" not in finder(f"{WORDS[-1]} site") and time.monotonic() < deadline:
        time.sleep(0.5)
    for word in added:
        assert f"The {word} annex" in finder(f"{word} site labour inspectors"), word
    traffic.stop.set()
    time.sleep(1)

    assert not traffic.failures, traffic.failures[:5]
    assert traffic.answers >= 20 and traffic.searches >= 20, (traffic.answers, traffic.searches)
    # Every command still works.
    ok(env, "ask", "Should labour inspectors visit quillwort sites unannounced?")
    first = json.loads(ok(env, "passages", added[WORDS[0]], "--json"))[0]["passage_id"]
    assert "Labour inspectors" in ok(env, "show", first)
    ok(env, "passages", added[WORDS[3]])
    ok(env, "ingest")
    assert "up to date" in ok(env, "index")
    assert current_version(settings) == live
    assert orphaned_segments(settings) == []
    assert len(os.listdir(settings.index_dir / "versions")) <= 2  # live + the one the server may still hold
    server_log = log.read_text(errors="replace")
    assert "Traceback" not in server_log and "now serving index version" in server_log


def test_workers_started_together_on_a_stale_index_serve_then_follow_the_new_version(tmp_path: Path) -> None:
    """Three ``tipguide serve`` workers started at once on an index an added document made stale
    (an upgrade, or a deploy after ``tipguide add``): one brings it up to date, the others serve the
    previous version meanwhile, never an error, and every one of them finds the added text once
    the new version is live. One build, not three."""
    from gradio_client import Client

    corpus = tmp_path / "corpus"
    shutil.copytree(REPO_ROOT / "corpus", corpus)
    settings = Settings(corpus_dir=corpus, data_dir=tmp_path / "data", embedder="hash")
    env = {**cli_env(settings.data_dir), "TIPGUIDE_CORPUS_DIR": str(corpus)}
    ok(env, "index")
    before = current_version(settings)
    word = WORDS[-1]
    ok(env, "add", str(new_doc(tmp_path, "stale.md", word)))
    ports = [free_port() for _ in range(3)]
    logs = [tmp_path / f"serve{i}.log" for i in range(3)]
    procs = []
    for port, log in zip(ports, logs, strict=True):
        with log.open("wb") as fh:
            procs.append(subprocess.Popen([str(BIN / "tipguide"), "serve", "--port", str(port)], env=env,
                                          stdout=fh, stderr=subprocess.STDOUT))
    try:
        urls = [f"http://127.0.0.1:{port}/" for port in ports]
        for url, proc in zip(urls, procs, strict=True):
            wait_for_page(url, proc, timeout=180)
        clients = [Client(url, verbose=False, analytics_enabled=False) for url in urls]
        for client in clients:  # every worker answers from the first request on
            html = str(client.predict(QUESTIONS[0], [], [], [], [], api_name="/ask")[0])
            assert "tg-bot" in html and "tg-error" not in html, html[-300:]
        deadline = time.monotonic() + 120
        found = [False] * 3
        while not all(found) and time.monotonic() < deadline:
            found = [f"The {word} annex" in str(c.predict(f"{word} site labour inspectors", [], [], [], 3,
                                                          api_name="/find")) for c in clients]
            time.sleep(0.5)
        assert all(found), found
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGINT)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    assert current_version(settings) != before
    assert len(os.listdir(settings.index_dir / "versions")) <= 2  # the new version, and the previous one at most
    texts = [log.read_text(errors="replace") for log in logs]
    assert all("Traceback" not in text for text in texts), texts
    assert sum("building index: done" in text for text in texts) == 1, texts  # one build, not three
