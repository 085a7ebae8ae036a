"""Serving as one of several workers behind a reverse proxy (docs/deploying.md).

A Gradio answer is two requests: a POST that queues it (``/queue/join``) and a stream that
delivers it (``/queue/data``). A sticky proxy sends both to the same worker, except in the moment a
worker goes away or comes back. ``WorkerGuard`` keeps every answer whole through those moments:

- a stream request for a session with no answer pending here gets a 503 *before* streaming, so
  the proxy passes it on to the next worker — the one holding the answer (a worker that just came
  back, asked for the stream of an answer queued elsewhere while it was down);
- while stopping (``drain``), new questions get a 503, so the proxy queues them on another worker,
  while the answers already queued here finish and stream out; only then does the server close.

The proxy must pass 503s on (nginx: ``proxy_next_upstream error http_503 non_idempotent``; a 503
here means nothing was queued). No Gradio import: it reads the running app's queue only.
"""

from __future__ import annotations

import logging
import time
from typing import Any
from urllib.parse import parse_qs

Scope = dict[str, Any]
log = logging.getLogger(__name__)


class WorkerGuard:
    """ASGI wrapper around the Gradio app of one worker."""

    def __init__(self, app: Any, demo: Any) -> None:
        self.app = app
        self.demo = demo
        self.draining = False

    def _queue(self) -> Any:
        return getattr(self.demo, "_queue", None)

    def _refuse(self, scope: Scope) -> bool:
        if scope.get("type") != "http":
            return False
        path, method = str(scope.get("path", "")), scope.get("method")
        if self.draining and method == "POST" and path.endswith("/queue/join"):
            return True
        if method != "GET" or not path.endswith("/queue/data"):
            return False
        # A stream is only ever opened after its question was queued, so no answer pending here
        # for the session means the question went to another worker.
        session = (parse_qs(scope.get("query_string", b"").decode()).get("session_hash") or [""])[0]
        pending = getattr(self._queue(), "pending_event_ids_session", None)
        return pending is not None and not pending.get(session)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if self._refuse(scope):
            await send({"type": "http.response.start", "status": 503,
                        "headers": [(b"content-type", b"text/plain"), (b"retry-after", b"1")]})
            await send({"type": "http.response.body", "body": b"not here: ask another worker\n"})
            return
        await self.app(scope, receive, send)

    def busy(self) -> int:
        """Answers queued or running on this worker."""
        pending = getattr(self._queue(), "pending_event_ids_session", None) or {}
        return sum(len(ids) for ids in list(pending.values()))

    def drain(self, timeout: float) -> None:
        """Stop taking questions, wait for the queued ones to finish (up to ``timeout``)."""
        self.draining = True
        deadline = time.monotonic() + timeout
        while self.busy() and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)  # the last stream messages reach their browsers
        if self.busy():
            log.warning("stopping with %d answers unfinished after %.0f s", self.busy(), timeout)


def guard(demo: Any) -> WorkerGuard:
    """Wrap the running server's app (each new connection picks the wrapper up)."""
    config = demo.server.config
    wrapper = WorkerGuard(config.loaded_app, demo)
    config.loaded_app = wrapper
    return wrapper
