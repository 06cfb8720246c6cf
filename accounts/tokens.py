"""API keys: how they are made from randomness, and what of them is stored (a SHA-256, never the
key). Shared by the token services, the authentication class and the data migration."""

import hashlib
import secrets

KEY_BYTES = 20  # 160 bits, written as 40 hexadecimal characters (the shape of DRF's keys)
PREFIX_LENGTH = 8


def new_key() -> str:
    return secrets.token_hex(KEY_BYTES)


def key_hash(key: str) -> str:
    """A key has 160 random bits: a fast hash is enough (nothing to brute-force, unlike a
    password), and a lookup stays one indexed query."""
    return hashlib.sha256(key.encode()).hexdigest()


def password_fingerprint(password_hash: str) -> str:
    """What a key remembers of the password it was made under: a change of password (a new
    hash, new salt) makes every older key stop answering."""
    return hashlib.sha256(f"minga-api-token:{password_hash}".encode()).hexdigest()
