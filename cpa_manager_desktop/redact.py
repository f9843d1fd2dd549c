"""Keeping secrets out of everything we store, log or export.

Client API keys and provider keys are stored only as an unsalted sha256 (so the panel can match them
against CPA's configured keys) plus a masked label. Raw JSON we keep (dead letters, failure bodies) is
redacted twice: by field name, and by value pattern for secrets embedded in free text.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

REDACTED = "[redacted]"
MAX_TEXT_BYTES = 4096

_SECRET_NAMES = frozenset({
    "api_key", "apikey", "key", "authorization", "proxy_authorization", "access_token", "refresh_token",
    "id_token", "token", "password", "passwd", "cookie", "set_cookie", "x_api_key", "x_goog_api_key",
    "management_key", "secret_key", "client_secret", "private_key", "session", "bearer",
})
_NOT_SECRET_NAMES = frozenset({"access_token_sha256", "api_key_hash", "source_hash", "api_key_label"})
_KNOWN_PREFIXES = ("sk-", "AIza", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xai-", "hf_",
                   "sess-", "pk_", "rk_", "ya29.", "1//")
_EMAIL = re.compile(r"^([^@\s]+)@([^@\s]+\.[^@\s]+)$")
_BEARER = re.compile(r"(?i)\b(bearer\s+)([A-Za-z0-9._~+/=-]{8,})")
_SECRET_PATTERNS = (
    re.compile(r"\bsk-[A-Za-z0-9_-]{8,}"),
    re.compile(r"\bAIza[0-9A-Za-z_-]{20,}"),
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{16,}"),
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,}"),
    re.compile(r"\b(?:xai|hf|sess|pk|rk)[-_][A-Za-z0-9]{16,}"),
    re.compile(r"\bya29\.[A-Za-z0-9._-]{16,}"),
    re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"),
)
# One pass for every token shape instead of one pass each: failure bodies are scrubbed during ingestion.
_ANY_SECRET = re.compile("|".join(f"(?:{pattern.pattern})" for pattern in _SECRET_PATTERNS))
_SECRET_ASSIGNMENT = re.compile(
    r"(?i)\b(api[_-]?key|access[_-]?token|refresh[_-]?token|id[_-]?token|token|password|secret)"
    r"(\s*[=:]\s*\"?)([^\s&\"',;]{6,})"
)
_LONG_OPAQUE = re.compile(r"^[A-Za-z0-9_\-.+/=]{32,}$")


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def looks_secret(value: str) -> bool:
    """A credential-shaped string: a known key prefix, or a long opaque token with no spaces."""
    if not value or any(c.isspace() for c in value) or "@" in value:
        return False
    return value.startswith(_KNOWN_PREFIXES) or bool(_LONG_OPAQUE.match(value))


def mask_secret(value: str) -> str:
    """`sk-a…9f3c`: enough to recognise a key you own, useless to anyone else."""
    if len(value) <= 12:
        return "****"
    return f"{value[:4]}…{value[-4:]}"


def mask_email(value: str) -> str:
    match = _EMAIL.match(value)
    if not match:
        return mask_secret(value)
    local, domain = match.groups()
    return f"{local[:3]}***@{domain}"


def mask_label(value: str, *, is_key: bool = False) -> str:
    """Display label for a credential: keys masked, emails half-masked, other labels kept."""
    if not value:
        return ""
    if is_key or looks_secret(value):
        return mask_secret(value)
    if _EMAIL.match(value):
        return mask_email(value)
    return scrub_text(value)[:200]


def scrub_text(text: str) -> str:
    """Mask secrets embedded anywhere in free text (failure bodies, malformed payloads)."""
    text = _BEARER.sub(lambda m: m.group(1) + mask_secret(m.group(2)), text)
    text = _ANY_SECRET.sub(lambda m: mask_secret(m.group(0)), text)
    return _SECRET_ASSIGNMENT.sub(lambda m: m.group(1) + m.group(2) + REDACTED, text)


def cap_text(text: str, limit_bytes: int = MAX_TEXT_BYTES) -> str:
    data = text.encode("utf-8")
    if len(data) <= limit_bytes:
        return text
    return data[:limit_bytes].decode("utf-8", errors="ignore") + "…[truncated]"


def _is_secret_name(name: str) -> bool:
    normalised = name.strip().lower().replace("-", "_")
    if normalised in _NOT_SECRET_NAMES:
        return False
    return (
        normalised in _SECRET_NAMES
        or "secret" in normalised
        or "password" in normalised
        or normalised.endswith("_token")
        or normalised.endswith("_key")
    )


def redact_json(value: Any) -> Any:
    """A copy of value with secret fields replaced and secret-looking strings masked."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for name, item in value.items():
            if _is_secret_name(str(name)) and item not in (None, ""):
                out[name] = REDACTED
            elif str(name).lower() == "source" and isinstance(item, str):
                out[name] = mask_label(item)
            else:
                out[name] = redact_json(item)
        return out
    if isinstance(value, list):
        return [redact_json(item) for item in value]
    if isinstance(value, str):
        return scrub_text(value)
    return value
