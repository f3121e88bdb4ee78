"""API token format: ``mst_<prefix>_<secret>``, kept only as a SHA-256 hash.

The secret is 32 random bytes, so a fast hash is enough: there is nothing to brute-force
that a slow hash would protect. The prefix is random too and stored in clear: it finds
the row without a scan and lets an administrator tell tokens apart.
"""

import hashlib
import hmac
import re
import secrets
from typing import NamedTuple

TOKEN_KIND = "mst"
PREFIX_LENGTH = 8
_TOKEN = re.compile(r"^mst_([0-9a-f]{8})_([A-Za-z0-9_-]{43})$")


class NewToken(NamedTuple):
    prefix: str
    plaintext: str


def generate() -> NewToken:
    prefix = secrets.token_hex(PREFIX_LENGTH // 2)
    return NewToken(prefix, f"{TOKEN_KIND}_{prefix}_{secrets.token_urlsafe(32)}")


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def prefix_of(plaintext: str) -> str | None:
    """The prefix of a well-formed token, else None (malformed tokens never reach the DB)."""
    match = _TOKEN.match(plaintext)
    return match.group(1) if match else None


def matches(plaintext: str, token_hash: str) -> bool:
    return hmac.compare_digest(hash_token(plaintext), token_hash)
