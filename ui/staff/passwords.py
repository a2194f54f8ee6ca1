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

# scrypt cost: 2^14 × 8 × 1 takes ~16 MB and tens of milliseconds per try, slow for guessing, quick for staff.
N, R, P = 2**14, 8, 1
MIN_LENGTH = 10
FREE_TRIES, WAIT_FIRST, WAIT_MAX = 3, 30.0, 900.0  # wrong passwords in a row before a wait; its first and longest


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



def wait_seconds(failures: int, since_last: float) -> int:
    """Seconds before the next sign-in is even checked, after `failures` wrong passwords in a row, the latest
    `since_last` seconds ago (0: try now). FREE_TRIES cost nothing (typing slips); after that each failure locks
    sign-in for WAIT_FIRST seconds, doubling up to WAIT_MAX."""
    if failures < FREE_TRIES:
        return 0
    return max(0, math.ceil(min(WAIT_FIRST * 2 ** (failures - FREE_TRIES), WAIT_MAX) - since_last))
