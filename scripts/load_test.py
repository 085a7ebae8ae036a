"""Bounded load test of the web app (``make load``): loopback only, stops by itself.

Starts ``tipguide serve`` (extractive mode, embedded Chroma) on a free loopback port, then runs N
simulated chat users for a fixed time through ``gradio_client`` against the chat's ``/ask``
endpoint (each user keeps one conversation for a few questions, then starts a new one), and prints:
requests, errors, answer latency p50/p95/max, throughput, and the server's RSS at start/middle/end.
Exit status 1 when any request failed.

    .venv/bin/python scripts/load_test.py [--users 20] [--duration 60] [--data-dir DIR] [--embedder hash]
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

QUESTIONS = [
    "What is the non-punishment principle?",
    "Should victims of trafficking be prosecuted for offences they were compelled to commit?",
    "What does the Working Group recommend on identification of victims?",
    "How should States protect the human rights of trafficked persons?",
    "What is the difference between trafficking in persons and smuggling of migrants?",
    "What assistance should be given to victims of trafficking?",
    "How can gender be taken into account in responses to trafficking?",
    "What should prosecutors consider when a victim has committed an offence?",
    "Which measures protect smuggled migrants?",
    "What training do criminal justice practitioners need on non-punishment?",
    "How does the toolkit describe a human rights-based approach?",
    "What does the background paper say about the causation test?",
]
QUESTIONS_PER_CONVERSATION = 4


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def ok(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)

    def fail(self, reason: str) -> None:
        with self.lock:
            self.errors.append(reason[:200])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MB (from /proc; no psutil needed)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_server(port: int, args: argparse.Namespace) -> subprocess.Popen[bytes]:
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", TIPGUIDE_LLM_BASE_URL="",
               TIPGUIDE_CHROMA_URL="", TIPGUIDE_CONCURRENCY=str(args.concurrency),
               TIPGUIDE_MAX_SESSIONS=str(args.max_sessions))
    if args.data_dir:
        env["TIPGUIDE_DATA_DIR"] = str(args.data_dir)
    if args.embedder:
        env["TIPGUIDE_EMBEDDER"] = args.embedder
    tipguide = Path(sys.executable).parent / "tipguide"
    log = open(args.log, "wb")  # noqa: SIM115 - the server writes to it until it stops
    return subprocess.Popen([str(tipguide), "serve", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_up(url: str, proc: subprocess.Popen[bytes], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}; see the log")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not come up within {timeout_s:g} s")


def answer_error(result: object) -> str:
    """A non-empty reason when the /ask outputs show an error instead of an answer."""
    if not isinstance(result, (list, tuple)) or len(result) < 3:
        return f"unexpected result shape: {type(result).__name__}"
    conversation, _box, status = result[0], result[1], result[2]
    if isinstance(status, str) and "tg-alert" in status:
        return "alert: " + status
    if not isinstance(conversation, str) or "tg-bot" not in conversation:
        return "no answer in the conversation"
    if "tg-error" in conversation:
        return "error shown: " + conversation[conversation.index("tg-error"):][:150]
    return ""


def user(url: str, deadline: float, stats: Stats, seed: int) -> None:
    from gradio_client import Client

    rng = random.Random(seed)
    try:
        client = Client(url, verbose=False, analytics_enabled=False)
    except Exception as exc:
        stats.fail(f"connect: {type(exc).__name__}: {exc}")
        return
    asked, state = 0, []  # the conversation, kept by the client as a browser keeps it
    while time.monotonic() < deadline:
        if asked and asked % QUESTIONS_PER_CONVERSATION == 0:
            state = []  # a new conversation
        question = rng.choice(QUESTIONS)
        t0 = time.monotonic()
        try:
            result = client.predict(question, state, [], [], [], api_name="/ask")
            problem = answer_error(result)
            state = result[-1] if isinstance(result[-1], list) else state
        except Exception as exc:
            problem = f"{type(exc).__name__}: {exc}"
        if problem:
            stats.fail(problem)
        else:
            stats.ok(time.monotonic() - t0)
        asked += 1
        time.sleep(rng.uniform(0.0, 1.0))  # a user reading / typing


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def run(args: argparse.Namespace) -> int:
    port = args.port or free_port()
    url = f"http://127.0.0.1:{port}/"
    proc = start_server(port, args)
    try:
        print(f"starting tipguide serve on {url} (log: {args.log}) …", flush=True)
        wait_up(url, proc, args.startup_timeout)
        from gradio_client import Client

        Client(url, verbose=False, analytics_enabled=False).predict(QUESTIONS[0], [], [], [], [], api_name="/ask")  # warm-up
        rss = {"start": rss_mb(proc.pid)}
        stats = Stats()
        deadline = time.monotonic() + args.duration
        threads = [threading.Thread(target=user, args=(url, deadline, stats, i), daemon=True)
                   for i in range(args.users)]
        print(f"{args.users} users for {args.duration:g} s (server keeps {args.max_sessions} sessions) …", flush=True)
        t0 = time.monotonic()
        for t in threads:
            t.start()
        samples = sample_rss(proc.pid, deadline)
        rss["middle"] = samples[len(samples) // 2]
        for t in threads:
            t.join(timeout=args.duration + 120)
        wall = time.monotonic() - t0
        rss["end"] = rss_mb(proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    lat = stats.latencies
    n = len(lat) + len(stats.errors)
    print(f"requests   {n}  ({n / wall:.1f}/s over {wall:.0f} s, {args.users} users)")
    print(f"errors     {len(stats.errors)}")
    for reason in sorted(set(stats.errors))[:5]:
        print(f"           {reason}")
    print(f"latency    p50 {pct(lat, 50):.2f} s   p95 {pct(lat, 95):.2f} s   max {max(lat, default=0):.2f} s")
    print(f"server RSS start {rss['start']:.0f} MB   middle {rss['middle']:.0f} MB   end {rss['end']:.0f} MB")
    half = samples[len(samples) // 2 :]
    print(f"RSS every 5 s (MB): {' '.join(f'{x:.0f}' for x in samples)}")
    print(f"RSS growth over the second half: {half[-1] - half[0]:+.0f} MB")
    return 1 if stats.errors or not lat else 0


def sample_rss(pid: int, deadline: float, every: float = 5.0) -> list[float]:
    """The server's RSS every ``every`` seconds until ``deadline`` (flat = no leak under load)."""
    samples = [rss_mb(pid)]
    while time.monotonic() + every <= deadline:
        time.sleep(every)
        samples.append(rss_mb(pid))
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0)
    # 20 users start a conversation every few questions: ~100 sessions in 20 s. A cap of that size
    # makes the plateau visible within a one-minute run (the server's default is 1000 sessions).
    parser.add_argument("--max-sessions", type=int, default=100)
    parser.add_argument("--port", type=int, default=0, help="default: a free loopback port")
    parser.add_argument("--data-dir", type=Path, default=None, help="default: TIPGUIDE_DATA_DIR / data/")
    parser.add_argument("--embedder", choices=["minilm", "hash"], default=None)
    parser.add_argument("--concurrency", type=int, default=4, help="Gradio queue workers (TIPGUIDE_CONCURRENCY)")
    parser.add_argument("--startup-timeout", type=float, default=600.0)
    parser.add_argument("--log", type=Path, default=Path("/tmp/tipguide-load-serve.log"))
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
