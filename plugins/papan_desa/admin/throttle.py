"""Slowing down password guessing: failed logins are counted per account and per address.

After ``per_account`` failures for one account name (or ``per_address`` from one
address) within ``window`` seconds, further attempts are refused without looking
at the password until the oldest of those failures is ``window`` seconds old.
Kept in memory: Papan Admin runs as one process (waitress threads), and a restart
that forgets the counts still leaves the argon2 hash to slow each guess. A small
class rather than a rate-limiting library: what is counted is *failed passwords*,
not requests, and the answer must be an Indonesian "coba lagi dalam N menit".
"""
from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque


class Throttle:
    def __init__(self, per_account: int = 5, per_address: int = 20, window: float = 15 * 60,
                 clock=time.monotonic):
        self.limits = {"akun": per_account, "alamat": per_address}
        self.window = window
        self.clock = clock
        self._fails: dict[tuple[str, str], deque] = defaultdict(deque)
        self._lock = threading.Lock()

    def _trim(self, key, now):
        q = self._fails[key]
        while q and now - q[0] >= self.window:
            q.popleft()
        return q

    def wait(self, account: str, address: str) -> int:
        """Seconds to wait before the next attempt is looked at (0: go ahead)."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key in (("akun", account.lower()), ("alamat", address)):
                q = self._trim(key, now)
                if len(q) >= self.limits[key[0]]:
                    wait = max(wait, q[0] + self.window - now)
        return math.ceil(wait)

    def failed(self, account: str, address: str) -> None:
        now = self.clock()
        with self._lock:
            for key in (("akun", account.lower()), ("alamat", address)):
                self._trim(key, now).append(now)

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._fails.pop(("akun", account.lower()), None)


def minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))
