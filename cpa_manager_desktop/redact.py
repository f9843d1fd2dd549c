"""Keeping secrets out of everything we store, log or export.

Client API keys and provider keys are stored only as an unsalted sha256 (so the panel can match them
against CPA's configured keys) plus a masked label. Raw JSON we keep (dead letters, failure bodies) is
redacted twice: by field name, and by value pattern for secrets embedded in free text. Registered
secrets (the configured Management Key, which has no telltale shape) are masked wherever text is
scrubbed: logs, dead letters, exports and the raw journal.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import threading
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


_registered: tuple[str, ...] = ()
_registered_lock = threading.Lock()
MIN_REGISTERED_CHARS = 4


def register_secret(secret: str) -> None:
    """Mask this exact string from now on wherever text is scrubbed (the Management Key)."""
    global _registered
    if not secret or len(secret) < MIN_REGISTERED_CHARS:
        return
    with _registered_lock:
        if secret not in _registered:
            # Longest first, so a key that contains another registered key is masked whole.
            _registered = tuple(sorted((*_registered, secret), key=len, reverse=True))


def mask_registered(text: str) -> str:
    for secret in _registered:
        if secret in text:
            text = text.replace(secret, mask_secret(secret))
    return text


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def looks_secret(value: str) -> bool:
    """A credential-shaped string: a known key prefix, or a long opaque token with no spaces."""
    if not value or any(c.isspace() for c in value) or "@" in value:
        return False
    return value.startswith(_KNOWN_PREFIXES) or bool(_LONG_OPAQUE.match(value))


def mask_secret(value: str) -> str:
    """`sk-a…9f3c`: enough to recognise a key you own, useless to anyone else. A key too short to show
    any of it gets four hex digits of its sha256 (`****3f9c`), so two short keys keep apart."""
    if len(value) <= 12:
        return f"****{sha256_hex(value)[:4]}"
    return f"{value[:4]}…{value[-4:]}"


_MASKED = re.compile(r"^(?:m:)?(?:[^\s…]{1,4}(?:…|\.\.\.)[^\s…]{1,4}|\*{4}[0-9a-f]{0,4})$")


def is_masked(label: str) -> bool:
    """A label already in one of the masked forms (ours `sk-a…9f3c` / `****3f9c`, or the Go service's
    `m:sk-a...9f3c` / `m:****`): masking it again would turn every such label into the same `****`."""
    return bool(_MASKED.match(label)) or (bool(_EMAIL.match(label)) and "***@" in label)


def panel_source(label: str) -> str:
    """A masked key label as the upstream panel expects a masked source: `m:sk-a...9f3c` (the Go
    service's form, which the panel recognises as masked); any other label unchanged."""
    match = _MASKED.match(label)
    if not match or label.startswith("m:"):
        return label
    return "m:" + label.replace("…", "...")


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
    text = mask_registered(text)
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


def scrub_if_needed(text: str) -> str:
    """scrub_text, with a single regex search first: exports pass millions of harmless labels."""
    suspect = _ANY_SECRET.search(text) or _BEARER.search(text) or _SECRET_ASSIGNMENT.search(text)
    if suspect or any(secret in text for secret in _registered):
        return scrub_text(text)
    return text


# ---- the raw journal: masked, yet replayable ----
# The journal keeps popped records as received so a crash loses nothing, but must not keep keys in
# clear. A key-shaped string (or any api_key value) is replaced by a marker holding what normalising
# would have kept of it, its mask and its sha256, so a replayed record hashes and labels exactly as the
# live one did and its content key still matches.
MARK = "\u2063"
_MARKED = re.compile(f"^{MARK}([^{MARK}]*){MARK}([0-9a-f]{{64}}){MARK}$")
_API_KEY_FIELD = re.compile(r'("api_key"\s*:\s*")((?:[^"\\]|\\.)+)"')


def _marker(value: str) -> str:
    return f"{MARK}{mask_secret(value)}{MARK}{sha256_hex(value)}{MARK}"


@functools.lru_cache(maxsize=1024)
def _marker_json(value: str) -> str:
    """Cached: a batch repeats a handful of keys hundreds of times."""
    try:
        marker = _marker(value)
    except UnicodeEncodeError:  # a lone surrogate: no live row can hold it either, keep nothing of it
        return REDACTED
    return json.dumps(marker, ensure_ascii=False)[1:-1]


def _mark_api_key(match: re.Match[str]) -> str:
    try:
        value = json.loads(f'"{match.group(2)}"')
    except ValueError:
        return match.group(0)
    return f'{match.group(1)}{_marker_json(value)}"' if value and not _MARKED.match(value) else match.group(0)


def mask_raw_payload(data: bytes) -> bytes:
    """Raw queue bytes with the Management Key masked and credentials replaced by markers."""
    text = mask_registered(data.decode("utf-8", "surrogateescape"))
    text = _API_KEY_FIELD.sub(_mark_api_key, text)
    pieces, last = [], 0
    for start, end in _secret_spans(text):
        pieces += [text[last:start], _marker_json(text[start:end])]
        last = end
    pieces.append(text[last:])
    return "".join(pieces).encode("utf-8", "surrogateescape")


# Where a _SECRET_PATTERNS match can begin: a literal to find, and how far before it the match starts
# ("k-" finds sk-, pk- and rk-). Finding these with str.find and matching only there is several times
# faster than _ANY_SECRET.finditer over a whole batch (its leading \b defeats the regex engine's
# literal search), and this runs on every popped batch.
_SECRET_ANCHORS = (("k-", 1), ("k_", 1), ("AIza", 0), ("gh", 0), ("xai", 0), ("hf", 0), ("sess", 0),
                   ("ya29.", 0), ("eyJ", 0))


def _secret_spans(text: str) -> list[tuple[int, int]]:
    """Non-overlapping (start, end) of every _ANY_SECRET match in text, in order."""
    spans = []
    for anchor, back in _SECRET_ANCHORS:
        index = text.find(anchor)
        while index != -1:
            start = index - back
            before = text[start - 1] if start > 0 else " "
            if start >= 0 and not (before.isalnum() or before == "_"):
                match = _ANY_SECRET.match(text, start)
                if match:
                    spans.append(match.span())
            index = text.find(anchor, index + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            continue
        merged.append((start, end))
    return merged


def unmark(value: str) -> tuple[str, str] | None:
    """(sha256 hex, mask) of a journal marker, or None for any other string."""
    match = _MARKED.match(value)
    return (match.group(2), match.group(1)) if match else None
