"""The multi-worker deployment of docs/deploying.md, run for real on loopback (``make deploy-test``).

One ``chroma run`` server, N ``tipguide serve`` workers sharing one data dir, and nginx (the Debian
package; scripts/system-deps.sh installs it) in front with sticky sessions by cookie. Simulated
users ask questions and follow-ups through nginx for a fixed time while, in turn:

1. a document is added and ``tipguide index`` builds a new version: every worker must serve it
   without a restart (checked on each worker directly);
2. one worker is stopped (SIGTERM: it stops accepting, finishes what is in flight, exits; or
   ``--kill-signal KILL``, a crash) and started again.

Also checked: a follow-up asked on another worker than the first question (the conversation is
kept in the browser), and that the Chroma server holds no collection of a deleted version.
Prints the figures; exit status 1 when any user request failed or a check did not hold.

    .venv/bin/python scripts/deploy_test.py [--workers 3] [--users 12] [--duration 60] [--embedder hash]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_test import QUESTIONS, Stats, answer_error, free_port, pct, wait_up

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NGINX = "/usr/sbin/nginx"
FOLLOW_UPS = ["What about their training?", "And what do they say about that?", "Which States did that?"]
NEW_DOC = ("# Seasonal work annex\n\n1. Labour inspectors should make unannounced visits to {word} farms "
           "employing seasonal migrant workers, to identify victims of trafficking for forced labour.\n")

NGINX_CONF = """
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  log_format tg '$status $request_method $uri $upstream_addr $upstream_status $request_time $msec $tg_route';
  access_log {root}/nginx-access.log tg;
  # A question carries the conversation (the browser keeps it): keep request bodies in memory.
  client_body_buffer_size 4m;
  client_max_body_size 8m;
  client_body_temp_path {root}/nginx-tmp/body;
  proxy_temp_path {root}/nginx-tmp/proxy;
  fastcgi_temp_path {root}/nginx-tmp/fastcgi;
  uwsgi_temp_path {root}/nginx-tmp/uwsgi;
  scgi_temp_path {root}/nginx-tmp/scgi;
  # Sticky sessions: a Gradio answer is a POST (join) and a stream (data) that must reach the same
  # worker. A browser without the cookie gets one naming a random route; the hash of the route
  # picks its worker. A worker that is down is skipped by every request of the route alike.
  map $cookie_tg_route $tg_route {{ "" $request_id; default $cookie_tg_route; }}
  map $cookie_tg_route $tg_set_cookie {{ "" "tg_route=$request_id; Path=/; HttpOnly; SameSite=Lax"; default ""; }}
  map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
  upstream tipguide {{
    zone tipguide 64k;
    hash $tg_route consistent;
{servers}
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://tipguide;
      proxy_http_version 1.1;
      proxy_set_header Host $host;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_buffering off;
      proxy_read_timeout 300s;
      # A worker that refuses the connection (down) or says 503 (stopping: nothing was queued;
      # or asked for an answer it does not hold) is skipped: the request goes to the next worker.
      # Nothing is retried once a worker has started answering.
      proxy_next_upstream error timeout http_503 non_idempotent;
      proxy_next_upstream_tries 3;
      add_header Set-Cookie $tg_set_cookie always;
    }}
  }}
}}
"""


@dataclass
class Site:
    """Everything started for one run, and where it lives."""

    root: Path
    env: dict[str, str]
    worker_ports: list[int]
    nginx_port: int
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.nginx_port}/"

    def worker_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.worker_ports[i]}/"

    def start(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        with (self.root / f"{name}.log").open("ab") as log:
            proc = subprocess.Popen(args, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.procs[name] = proc
        return proc

    def start_worker(self, i: int, attempts: int = 3) -> subprocess.Popen[bytes]:
        """Start worker ``i``; like a supervisor (systemd ``Restart=on-failure``), try again if it
        exits while starting (Gradio's start-up self-check can time out on a loaded machine)."""
        for attempt in range(1, attempts + 1):
            proc = self.start(f"worker{i}", [str(BIN / "tipguide"), "serve", "--port", str(self.worker_ports[i])])
            try:
                wait_up(self.worker_url(i), proc, 300)
                return proc
            except SystemExit:
                if attempt == attempts:
                    raise
                print(f"worker{i} exited while starting; starting it again", flush=True)
        raise AssertionError("unreachable")

    def tipguide(self, *args: str) -> str:
        out = subprocess.run([str(BIN / "tipguide"), *args], env=self.env, capture_output=True, text=True,
                             timeout=600)
        if out.returncode != 0:
            raise SystemExit(f"tipguide {' '.join(args)} failed: {out.stderr.strip()[-500:]}")
        return out.stdout

    def stop_all(self) -> None:
        """nginx first, then the workers (they finish what is in flight), Chroma last."""
        order = sorted(self.procs, key=lambda name: {"nginx": 0, "chroma": 2}.get(name, 1))
        for group in (0, 1, 2):
            names = [n for n in order if {"nginx": 0, "chroma": 2}.get(n, 1) == group]
            for name in names:
                if self.procs[name].poll() is None:
                    self.procs[name].send_signal(signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
            for name in names:
                try:
                    self.procs[name].wait(timeout=70)
                except subprocess.TimeoutExpired:
                    self.procs[name].kill()


def setup(args: argparse.Namespace, root: Path) -> Site:
    """Corpus copy, Chroma server, first index, workers, nginx: the deployment of docs/deploying.md."""
    shutil.copytree(REPO / "corpus", root / "corpus")
    chroma_port = free_port()
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", ANONYMIZED_TELEMETRY="False",
               TIPGUIDE_DATA_DIR=str(root / "data"), TIPGUIDE_CORPUS_DIR=str(root / "corpus"),
               TIPGUIDE_CHROMA_URL=f"http://127.0.0.1:{chroma_port}", TIPGUIDE_LLM_BASE_URL="",
               TIPGUIDE_EMBEDDER=args.embedder, TIPGUIDE_CONCURRENCY="2")
    site = Site(root, env, [free_port() for _ in range(args.workers)], free_port())
    chroma = site.start("chroma", [str(BIN / "chroma"), "run", "--path", str(root / "chroma"),
                                   "--host", "127.0.0.1", "--port", str(chroma_port)])
    wait_up(f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat", chroma, 60)
    site.tipguide("index")
    for i in range(args.workers):
        site.start_worker(i)
    root.chmod(0o755)  # nginx's worker processes run as an unprivileged user
    (root / "nginx-tmp").mkdir(mode=0o1777)
    # max_fails=0: a 503 of a healthy worker must not take it out; a worker that is down costs one
    # refused connect per request, and every request of a route then skips it alike.
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=0;" for p in site.worker_ports)
    conf = root / "nginx.conf"
    conf.write_text(NGINX_CONF.format(root=root, servers=servers, port=site.nginx_port), encoding="utf-8")
    nginx = site.start("nginx", [NGINX, "-c", str(conf), "-p", str(root), "-g", "daemon off;"])
    wait_up(site.url, nginx, 30)
    return site


def client(url: str) -> Any:
    """A Gradio client as patient as a browser (the default 5 s timeouts are not a user's)."""
    from gradio_client import Client

    return Client(url, verbose=False, analytics_enabled=False, httpx_kwargs={"timeout": 120})


def user(url: str, stop: threading.Event, stats: Stats, follow: Stats, seed: int) -> None:
    """A browser through nginx: a question, then a follow-up carrying the conversation."""
    import random

    rng = random.Random(seed)
    browser = client(url)  # keeps nginx's route cookie
    while not stop.is_set():
        state: list[object] = []
        for turn, question in enumerate((rng.choice(QUESTIONS), rng.choice(FOLLOW_UPS))):
            t0 = time.monotonic()
            try:
                result = browser.predict(question, state, [], [], [], api_name="/ask")
                problem = answer_error(result)
                state = result[3] if isinstance(result[3], list) else state
            except Exception as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if problem:
                stats.fail(problem)
                break
            stats.ok(time.monotonic() - t0)
            if turn == 1:  # the follow-up was searched with the first question as context
                standalone = str(state[-1].get("answer", {}).get("standalone_question", ""))  # type: ignore[union-attr]
                (follow.ok(0.0) if "context:" in standalone else follow.fail(standalone[:120]))
        time.sleep(rng.uniform(0.2, 1.0))


def follow_up_across_workers(site: Site) -> str:
    """Ask worker 0, then the follow-up on worker 1 with the conversation the browser kept."""
    out = client(site.worker_url(0)).predict(QUESTIONS[0], [], [], [], [], api_name="/ask")
    out = client(site.worker_url(1)).predict(FOLLOW_UPS[0], out[3], [], [], [], api_name="/ask")
    standalone = str(out[3][-1]["answer"]["standalone_question"])
    if QUESTIONS[0] not in standalone:
        raise SystemExit(f"the follow-up on another worker lost the conversation: {standalone!r}")
    return standalone


def serves(url: str, word: str) -> bool:
    html = client(url).predict(f"{word} farms seasonal", [], [], [], 3, api_name="/find")
    return f"{word} farms" in str(html)


def add_and_reindex(site: Site, word: str) -> dict[str, float]:
    """Add a document, build a new version on the Chroma server, and time until each worker
    (asked directly, not through nginx) finds the new text."""
    doc = site.root / f"{word}.md"
    doc.write_text(NEW_DOC.format(word=word), encoding="utf-8")
    t0 = time.monotonic()
    site.tipguide("add", str(doc), "--title", f"Seasonal work annex ({word})")
    site.tipguide("index")
    built = time.monotonic() - t0
    seen: dict[str, float] = {"add + index s": built}
    deadline = time.monotonic() + 60
    pending = set(range(len(site.worker_ports)))
    while pending and time.monotonic() < deadline:
        for i in sorted(pending):
            if serves(site.worker_url(i), word):
                seen[f"worker{i} serves it after s"] = time.monotonic() - t0
                pending.discard(i)
        time.sleep(0.5)
    if pending:
        raise SystemExit(f"workers {sorted(pending)} did not serve the new version within 60 s")
    return seen


def restart_worker(site: Site, i: int, sig: signal.Signals) -> dict[str, float]:
    t0 = time.monotonic()
    proc = site.procs[f"worker{i}"]
    proc.send_signal(sig)
    proc.wait(timeout=90)
    stopped = time.monotonic() - t0
    site.start_worker(i)
    return {f"worker{i} stopped after s": stopped, f"worker{i} back after s": time.monotonic() - t0}


def orphan_collections(site: Site) -> list[str]:
    """Collections on the Chroma server whose index version folder is gone."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    port = int(site.env["TIPGUIDE_CHROMA_URL"].rsplit(":", 1)[1])
    client = chromadb.HttpClient(host="127.0.0.1", port=port, settings=ChromaSettings(anonymized_telemetry=False))
    versions = {d.name for d in (site.root / "data" / "index" / "versions").iterdir()}
    names = [c if isinstance(c, str) else c.name for c in client.list_collections()]
    return [n for n in names if n.split("-", 1)[1] not in versions]


def run(args: argparse.Namespace) -> int:
    root = Path(tempfile.mkdtemp(prefix="tipguide-deploy-"))
    print(f"deployment in {root}: chroma run + {args.workers} workers + nginx", flush=True)
    t_setup = time.monotonic()
    site = setup(args, root)
    events: dict[str, float] = {"setup s": time.monotonic() - t_setup}
    try:
        print(f"follow-up on another worker: {follow_up_across_workers(site)!r}", flush=True)
        stats, follow, stop = Stats(), Stats(), threading.Event()
        users = [threading.Thread(target=user, args=(site.url, stop, stats, follow, i), daemon=True)
                 for i in range(args.users)]
        t0 = time.monotonic()
        for t in users:
            t.start()
        # The events happen under load; the load goes on for at least --duration and 10 s after.
        time.sleep(args.duration * 0.15)
        events |= add_and_reindex(site, "hopfield")
        events |= restart_worker(site, args.workers - 1, signal.Signals[f"SIG{args.kill_signal}"])
        time.sleep(max(10.0, args.duration - (time.monotonic() - t0)))
        stop.set()
        for t in users:
            t.join(timeout=300)
        wall = time.monotonic() - t0
        orphans = orphan_collections(site)
    finally:
        site.stop_all()
    report(args, stats, follow, events, wall, root)
    if orphans:
        print(f"orphaned Chroma collections: {orphans}")
    failed = bool(stats.errors or follow.errors or orphans or not stats.latencies)
    if not args.keep and not failed:
        shutil.rmtree(root, ignore_errors=True)
    return 1 if failed else 0


def report(args: argparse.Namespace, stats: Stats, follow: Stats, events: dict[str, float], wall: float,
           root: Path) -> None:
    lat = stats.latencies
    n = len(lat) + len(stats.errors)
    retried = sum(line.split()[3].endswith(",") for line in (root / "nginx-access.log").read_text().splitlines()
                  if len(line.split()) > 3)
    print(f"workers    {args.workers} behind nginx, one chroma run, {args.embedder} embedder")
    print(f"requests   {n} user answers ({n / wall:.1f}/s over {wall:.0f} s, {args.users} users)")
    print(f"errors     {len(stats.errors)}")
    for reason in sorted(set(stats.errors))[:5]:
        print(f"           {reason}")
    print(f"follow-ups {len(follow.latencies)} carried their context, {len(follow.errors)} did not")
    print(f"latency    p50 {pct(lat, 50):.2f} s   p95 {pct(lat, 95):.2f} s   max {max(lat, default=0):.2f} s")
    print(f"proxy      {retried} requests passed on to another worker by nginx")
    print("events     " + json.dumps({k: round(v, 1) for k, v in events.items()}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--users", type=int, default=12)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--embedder", choices=["minilm", "hash"], default="minilm")
    parser.add_argument("--kill-signal", choices=["TERM", "KILL"], default="TERM",
                        help="TERM: a graceful stop (rolling restart); KILL: a crash")
    parser.add_argument("--keep", action="store_true", help="keep the run's folder (logs, data)")
    if not Path(NGINX).exists():
        raise SystemExit(f"{NGINX} not found: run scripts/system-deps.sh (installs Debian's nginx)")
    sys.exit(run(parser.parse_args()))


if __name__ == "__main__":
    main()
