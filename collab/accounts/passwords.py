"""Password hashing with argon2id (OWASP's first choice)."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_LENGTH = 10


@functools.cache
def _hasher_with(parameters: tuple[tuple[str, int], ...]) -> PasswordHasher:
    return PasswordHasher(**dict(parameters))


def _hasher() -> PasswordHasher:
    """The hasher COLLAB_PASSWORD_HASHING sets up (argon2-cffi's own parameters when empty, as in production).
    A hash records its parameters, so hashes made with other ones still verify, and are renewed on sign-in."""
    return _hasher_with(tuple(sorted(current_app.config["COLLAB_PASSWORD_HASHING"].items())))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def verify_nothing(password: str) -> None:
    """Check `password` against a hash no account has, so a wrong email costs the same time as a wrong password."""
    verify_password(_dummy_hash(_hasher()), password)


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("not-a-real-password")
