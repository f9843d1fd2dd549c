"""What a quota check yields, typed: a reading (windows, plan, credits), a credential state, or an
answer we did not recognise (kept only as a redacted sample)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from cpa_manager_desktop.redact import cap_text, redact_json, scrub_text

SAMPLE_BYTES = 1024
_EMAIL = re.compile(r"([A-Za-z0-9._%+-]{1,3})[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})")


@dataclass(frozen=True)
class ApiAnswer:
    """CPA's `POST /api-call` answer: the upstream's status, headers and raw body (an upstream 401 is
    still HTTP 200 from CPA)."""

    status_code: int
    body: str
    header: dict[str, list[str]] = field(default_factory=dict)

    def header_value(self, name: str) -> str | None:
        for key, values in self.header.items():
            if key.lower() == name.lower() and values:
                return values[0]
        return None

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass(frozen=True)
class Window:
    """One quota window: `key` is stable (five_hour, weekly, model:<id> …), used_percent 0–100."""

    key: str
    used_percent: float
    resets_at_ms: int | None = None
    window_s: int | None = None


@dataclass(frozen=True)
class Credits:
    has_credits: bool
    unlimited: bool
    balance: float | None = None


@dataclass(frozen=True)
class QuotaReading:
    provider: str
    plan: str | None
    windows: tuple[Window, ...]
    credits: Credits | None = None

    @property
    def exhausted(self) -> bool:
        return any(w.used_percent >= 100 for w in self.windows)


class CredentialState(Enum):
    """Why a credential gave no reading; these are states of the credential, not errors of ours."""

    EXPIRED = "expired"            # 401: the token is no longer accepted
    FORBIDDEN = "forbidden"        # 403
    RATE_LIMITED = "rate_limited"  # 429: ask again later
    FAILED = "failed"              # any other non-2xx from the provider


@dataclass(frozen=True)
class CredentialProblem:
    state: CredentialState
    status_code: int
    retry_after_s: int | None = None

    @property
    def stops_polling(self) -> bool:
        return self.state in (CredentialState.EXPIRED, CredentialState.FORBIDDEN)


@dataclass(frozen=True)
class Unrecognised:
    """A 2xx answer of a shape no parser knows: the card says so; the sample helps diagnosis."""

    reason: str
    sample: str


QuotaResult = QuotaReading | CredentialProblem | Unrecognised


class ShapeError(ValueError):
    """Raised inside a parser when the body lacks what the provider's shape promises."""


def redacted_sample(body: str) -> str:
    """At most SAMPLE_BYTES of the body with secret fields and secret-looking strings masked."""
    try:
        text = json.dumps(redact_json(json.loads(body)), separators=(",", ":"), sort_keys=True)
    except ValueError:
        text = scrub_text(body)
    # Account emails are identifiers, not secrets, but a diagnosis sample does not need them whole.
    return cap_text(_EMAIL.sub(r"\1***@\2", text), SAMPLE_BYTES)
