"""A circuit breaker for the LLM server: after repeated failures it is skipped for a while.

Closed: every answer tries the server. After ``failures`` failures in a row the breaker opens and
answers come from the extractive path, with a notice, for ``cooldown_s`` seconds. Then one answer
is let through (half-open): success closes the breaker, failure opens it again. Thread-safe: the web
UI shares one assistant between sessions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class CircuitBreaker:
    """Counts consecutive failures and says whether the next call may go through."""

    def __init__(self, failures: int = 3, cooldown_s: float = 60.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.failures = max(1, failures)
        self.cooldown_s = cooldown_s
        self.clock = clock
        self._lock = threading.Lock()
        self._count = 0
        self._open_until = 0.0
        self._probing = False
        self.last_reason = ""

    def allow(self) -> bool:
        """True when a call may be made now (closed, or the one half-open probe)."""
        with self._lock:
            if self._count < self.failures:
                return True
            if self.clock() < self._open_until or self._probing:
                return False
            self._probing = True
            return True

    def success(self) -> None:
        """The server answered: close the breaker."""
        with self._lock:
            self._count, self._probing, self.last_reason = 0, False, ""

    def failure(self, reason: str) -> None:
        """The server failed: count it, and open (again) at the threshold."""
        with self._lock:
            self._count += 1
            self._probing = False
            self.last_reason = reason
            if self._count >= self.failures:
                self._open_until = self.clock() + self.cooldown_s

    def retry_in(self) -> float:
        """Seconds until the next probe is allowed (0 when closed)."""
        with self._lock:
            if self._count < self.failures:
                return 0.0
            return max(0.0, self._open_until - self.clock())

    def notice(self) -> str:
        """The line shown to users while the server is being skipped."""
        return (f"The LLM server failed {self.failures} times in a row ({self.last_reason}); it is "
                f"skipped for the next {self.retry_in():.0f} s and answers are extractive.")
