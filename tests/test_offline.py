"""Nothing leaves the machine: ingest, index, ask and the web UI's start, with the default settings
(real MiniLM, embedded Chroma), run as real processes under an audit hook that logs every socket
connect, sendto and DNS lookup; the test asserts zero non-loopback attempts.

The hook is a ``sitecustomize.py`` on the subprocesses' PYTHONPATH (so it is installed before any
library is imported, in every Python process the commands start). The offline environment variables
are *removed* from the subprocesses' environment: the product has to set them itself.
"""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.settings import OFFLINE_ENV, REPO_ROOT
from tests.servers import free_port, wait_for_page

BIN = Path(sys.executable).parent

SITECUSTOMIZE = '''
import json, os, sys

_LOG = os.environ["TIPGUIDE_AUDIT_LOG"]
_EVENTS = {"socket.connect", "socket.sendto", "socket.sendmsg", "socket.getaddrinfo",
           "socket.gethostbyname", "socket.gethostbyaddr"}


def _hook(event, args):
    if event not in _EVENTS:
        return
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        target = args[1] if len(args) > 1 else None
    else:
        target = args[0] if args else None
    if isinstance(target, tuple):
        target = list(target[:2])
    elif isinstance(target, bytes):
        target = target.decode("latin-1")
    with open(_LOG, "a") as fh:
        fh.write(json.dumps({"pid": os.getpid(), "event": event, "target": target,
                             "argv": sys.argv[:2]}, default=str) + "\\n")


sys.addaudithook(_hook)
with open(_LOG, "a") as fh:
    fh.write(json.dumps({"pid": os.getpid(), "event": "hook.installed", "target": None,
                         "argv": sys.argv[:2]}) + "\\n")
'''


def is_loopback(event: str, target: object) -> bool:
    if isinstance(target, str) and event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        return True  # AF_UNIX path
    host = target[0] if isinstance(target, list) and target else target
    if host is None or host in ("localhost", "", "0.0.0.0"):
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False  # a host name other than localhost: a DNS lookup is an attempt to go out



@pytest.mark.e2e
def test_default_pipeline_and_ui_start_never_leave_loopback(tmp_path: Path) -> None:
    hook_dir = tmp_path / "hook"
    hook_dir.mkdir()
    (hook_dir / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "connects.jsonl"
    log.touch()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("TIPGUIDE_") and k not in OFFLINE_ENV and k != "TIKTOKEN_CACHE_DIR"}
    env.update(PYTHONPATH=str(hook_dir), TIPGUIDE_AUDIT_LOG=str(log),
               TIPGUIDE_DATA_DIR=str(tmp_path / "data"), TIPGUIDE_CORPUS_DIR=str(REPO_ROOT / "corpus"))
    tipguide = str(BIN / "tipguide")
    for args in (["ingest"], ["index"], ["ask", "What is the non-punishment principle?"]):
        out = subprocess.run([tipguide, *args], env=env, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, (args, out.stderr[-2000:])
    assert "sitecustomize" not in out.stderr
    port = free_port()
    server = subprocess.Popen([tipguide, "serve", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        page = wait_for_page(f"http://127.0.0.1:{port}/", server, timeout=180)
        assert "tipguide" in page.lower()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=10) as r:
            assert r.status == 200
        time.sleep(3)  # anything the server does right after start (update checks, analytics)
    finally:
        server.terminate()
        server.wait(timeout=30)
    events = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    installed = [e for e in events if e["event"] == "hook.installed"]
    assert len(installed) >= 4, f"the audit hook did not run in every command: {installed}"
    events = [e for e in events if e["event"] != "hook.installed"]
    assert any(e["event"] == "socket.connect" for e in events), "no connect seen at all: hook not working?"
    outside = [e for e in events if not is_loopback(e["event"], e["target"])]
    assert outside == [], outside[:10]


def test_audit_classifier_catches_outside_addresses() -> None:
    """The check above is not vacuous: remote addresses and host names count as leaving."""
    assert not is_loopback("socket.connect", ["93.184.216.34", 443])
    assert not is_loopback("socket.getaddrinfo", "huggingface.co")
    assert not is_loopback("socket.connect", ["2606:4700::6810:85e5", 443])
    assert is_loopback("socket.connect", ["127.0.0.1", 7860])
    assert is_loopback("socket.connect", ["::1", 7860])
    assert is_loopback("socket.getaddrinfo", "localhost")
