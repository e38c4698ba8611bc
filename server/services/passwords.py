"""Password and activation-code hashing with Argon2id (a slow KDF), and the password policy."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Unambiguous alphabet for codes read over the phone: no 0/O, 1/I/L.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(hashed: str | None, secret: str) -> bool:
    if not hashed:
        return False
    try:
        return _hasher.verify(hashed, secret)
    except (VerificationError, InvalidHashError):
        return False


def new_activation_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def normalise_code(code: str) -> str:
    raw = code.strip().upper().replace("-", "").replace(" ", "")
    return f"{raw[:5]}-{raw[5:]}"


MIN_LENGTH = 10
MAX_LENGTH = 200
_COMMON_FILE = Path(__file__).resolve().parent.parent / "common_passwords.txt"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords (lower case), read once."""
    lines = _COMMON_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def password_problems(password: str, email: str = "") -> list[str]:
    """Why this password is refused, in French (empty list: accepted)."""
    if len(password) < MIN_LENGTH:
        return [f"Le mot de passe doit contenir au moins {MIN_LENGTH} caractères."]
    if len(password) > MAX_LENGTH:
        return [f"Le mot de passe ne peut pas dépasser {MAX_LENGTH} caractères."]
    lowered = password.lower()
    stem = lowered.rstrip("0123456789!?.*_-@#$ ")
    common = common_passwords()
    if lowered in common or (len(stem) >= 6 and stem in common) or len(set(lowered)) <= 2:
        return ["Ce mot de passe est trop courant : choisissez-en un moins facile à deviner."]
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and local in lowered:
        return ["Le mot de passe ne doit pas contenir votre adresse e-mail."]
    return []
