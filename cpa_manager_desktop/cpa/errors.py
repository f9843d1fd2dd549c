"""What can go wrong talking to CPA, each described in a plain sentence for /status and the tray."""

from __future__ import annotations


class SourceError(Exception):
    """A transport problem, described in a plain sentence for /status and the tray."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SourceUnavailable(SourceError):
    """Transient: network down, CPA restarting, 5xx. Retried with backoff."""


class CallTimedOut(SourceUnavailable):
    """CPA did not answer within the read timeout the caller set (a slow upstream behind /api-call)."""


class QueueUnsupported(SourceError):
    """This CPA has no HTTP usage queue (older than v6.10.8): auto mode falls back to RESP."""


class FatalSourceError(SourceError):
    """Retrying cannot help (and may get our IP banned): stop until the user acts."""


class AuthRejected(FatalSourceError):
    """CPA refused to let us in. `is_bad_key` when it refused the key itself (a failed login on its
    ban counter), not when the IP is banned or remote management is off."""

    def __init__(self, message: str, *, is_bad_key: bool = False) -> None:
        super().__init__(message)
        self.is_bad_key = is_bad_key


def is_bad_key_reply(detail: str) -> bool:
    """CPA's words for a rejected key (HTTP 401 bodies and RESP AUTH errors alike)."""
    text = detail.lower()
    return "invalid management key" in text or "missing management key" in text


KEY_REJECTED = "CPA rejected the Management Key"


def explain_auth_failure(detail: str) -> str:
    """CPA's terse auth errors as sentences that say what to do."""
    text = detail.lower()
    if "banned" in text:
        return (f"CPA has temporarily banned this computer's IP after too many failed logins ({detail}). "
                "Wait for the ban to expire, then restart collection")
    if "remote management disabled" in text:
        return ("CPA does not allow remote management: set remote-management.allow-remote to true "
                "in CPA's config.yaml, or run CPA Manager on the same machine as CPA")
    if "key not set" in text:
        return "CPA has no Management Key configured (remote-management.secret-key in config.yaml)"
    if "missing" in text:
        return "No Management Key is saved: enter it in the panel"
    return f"{KEY_REJECTED}. Enter the current key in the panel to resume collection"
