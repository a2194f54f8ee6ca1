"""A staff password → the scrypt hash kept in STAFF_PASSWORD_HASH; a typed password checked against it.

Only the hash is ever stored (salted scrypt from the standard library); the comparison takes the same time
whether the first or the last byte differs (hmac.compare_digest).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import secrets
import threading
import time
from collections.abc import Callable

# scrypt cost: 2^14 × 8 × 1 takes ~16 MB and tens of milliseconds per try, slow for guessing, quick for staff.
N, R, P = 2**14, 8, 1
MIN_LENGTH = 10


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, n: int = N, r: int = R, p: int = P) -> str:
    """"scrypt$n$r$p$salt$hash", salt random per hash."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024)
    return f"scrypt${n}${r}${p}${_b64(salt)}${_b64(digest)}"


def valid_hash(stored: str) -> bool:
    """Whether a setting holds a hash this module made (a plain password there is refused, not compared)."""
    parts = (stored or "").strip().split("$")
    return len(parts) == 6 and parts[0] == "scrypt" and all(x.isdigit() for x in parts[1:4])


def verify(password: str, stored: str) -> bool:
    """Whether the typed password matches the stored hash; False for an unusable hash."""
    if not valid_hash(stored):
        return False
    _, n, r, p, salt, digest = stored.strip().split("$")
    try:
        expected = _unb64(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                             maxmem=64 * 1024 * 1024, dklen=len(expected))
    except ValueError:
        return False
    return hmac.compare_digest(got, expected)


class Throttle:
    """Failed sign-ins → a wait before the next try, shared by every session of one store.

    FREE failures in a row cost nothing (typing slips); after that each failure locks sign-in for BASE seconds,
    doubling up to CAP. A success clears the count. The clock is passed in so the policy is testable."""

    FREE, BASE, CAP = 3, 30.0, 900.0

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.failures = 0
        self.until = 0.0
        self._lock = threading.Lock()

    def wait(self) -> int:
        """Seconds left before the next try is even checked (0: try now)."""
        return max(0, math.ceil(self.until - self.clock()))

    def failed(self) -> None:
        with self._lock:
            self.failures += 1
            if self.failures >= self.FREE:
                self.until = self.clock() + min(self.BASE * 2 ** (self.failures - self.FREE), self.CAP)

    def succeeded(self) -> None:
        with self._lock:
            self.failures, self.until = 0, 0.0
