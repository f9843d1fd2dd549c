"""Provider quota endpoints behind the double's ``/api-call`` (issue 16).

``double.quota_accounts`` holds extra credentials, each with a scripted case (normal, exhausted,
expired, rate_limited, unknown) answered with the recorded shapes in tests/fixtures/quota/. They are
listed by ``/auth-files`` like the canned files; CPA fills ``$TOKEN$`` with a token naming the
credential, which is how the upstream knows whose quota is asked. ``delay_s`` makes every quota call
take that long (the benchmark's 50 ms); ``max_in_flight`` is the most calls seen at once. The case
``held`` is a slow upstream on cue: its calls wait until a test sets ``released`` (at most
HOLD_LIMIT_S), then answer like ``normal`` (timeouts and cancelling, without sleeping in the test).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .records import auth_index_for

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "quota"
TOKEN_PREFIX = "fake-access-token:"
# (host, path) → provider, and which fixture case a second request of that provider reads.
QUOTA_ROUTES = {
    ("chatgpt.com", "/backend-api/wham/usage"): ("codex", None),
    ("api.anthropic.com", "/api/oauth/usage"): ("claude", None),
    ("api.anthropic.com", "/api/oauth/profile"): ("claude", "profile"),
    ("cloudcode-pa.googleapis.com", "/v1internal:retrieveUserQuota"): ("gemini-cli", None),
    ("cloudcode-pa.googleapis.com", "/v1internal:loadCodeAssist"): ("gemini-cli", "code_assist"),
    ("cloudcode-pa.googleapis.com", "/v1internal:fetchAvailableModels"): ("antigravity", None),
    ("api.kimi.com", "/coding/v1/usages"): ("kimi", None),
    ("cli-chat-proxy.grok.com", "/v1/billing"): ("xai", None),
}
Answer = tuple[int, dict[str, Any], str]
HOLD_LIMIT_S = 30.0


@dataclass
class QuotaAccount:
    provider: str
    email: str
    case: str = "normal"
    disabled: bool = False

    @property
    def auth_index(self) -> str:
        return auth_index_for(self.provider, self.email)


class QuotaAccounts:
    def __init__(self, on_add: Callable[[QuotaAccount], None] | None = None) -> None:
        # Lists a new account among CPA's credentials (the double's credential store), as CPA would.
        self._on_add = on_add
        self._accounts: dict[str, QuotaAccount] = {}
        self._lock = threading.Lock()
        self.delay_s = 0.0
        self.calls = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.calls_by: dict[str, int] = {}   # auth_index → quota calls answered for that credential
        # A test may script a body per credential (auth_index → fn(provider, second) → answer).
        self.scripted: dict[str, Callable[[str, str | None], Answer]] = {}
        self.released = threading.Event()

    def add(self, provider: str, email: str, case: str = "normal", *, disabled: bool = False) -> str:
        account = QuotaAccount(provider, email, case, disabled)
        with self._lock:
            self._accounts[account.auth_index] = account
        if self._on_add is not None:
            self._on_add(account)
        return account.auth_index

    def set_case(self, auth_index: str, case: str) -> None:
        with self._lock:
            self._accounts[auth_index].case = case

    def accounts(self) -> list[QuotaAccount]:
        with self._lock:
            return list(self._accounts.values())

    def get(self, auth_index: str) -> QuotaAccount | None:
        with self._lock:
            return self._accounts.get(auth_index)

    def answer(self, method: str, url: str, headers: dict[str, str], fallback: Callable[[], Answer]) -> Answer:
        parts = urlsplit(url)
        route = QUOTA_ROUTES.get(((parts.hostname or "").lower(), parts.path))
        if route is None:
            return fallback()
        with self._lock:
            self.calls += 1
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.delay_s:
                time.sleep(self.delay_s)  # the upstream's latency, not test synchronisation
            return self._answer(route, headers)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer(self, route: tuple[str, str | None], headers: dict[str, str]) -> Answer:
        provider, second = route
        token = headers.get("Authorization", "").removeprefix("Bearer ")
        account = self.get(token.removeprefix(TOKEN_PREFIX)) if token.startswith(TOKEN_PREFIX) else None
        if account is None:
            return 401, {"Content-Type": "application/json"}, '{"error":"invalid token"}'
        with self._lock:
            self.calls_by[account.auth_index] = self.calls_by.get(account.auth_index, 0) + 1
        script = self.scripted.get(account.auth_index)
        if script is not None:
            return script(provider, second)
        if account.case == "held":
            self.released.wait(HOLD_LIMIT_S)
            return recorded(provider, second or "normal")
        case = second if second and account.case in ("normal", "exhausted") else account.case
        return recorded(provider, case)


def is_quota_call(url: str) -> bool:
    parts = urlsplit(url)
    return ((parts.hostname or "").lower(), parts.path) in QUOTA_ROUTES


def recorded(provider: str, case: str) -> Answer:
    data = json.loads((FIXTURES / provider / f"{case}.json").read_text(encoding="utf-8"))
    return data["status_code"], data["header"], data["body"]


def credential_for(account: QuotaAccount) -> tuple[str, dict[str, Any]]:
    """The auth file CPA would hold for the account: its token names it, so the upstream knows whose quota to answer."""
    data: dict[str, Any] = {"type": account.provider, "email": account.email, "disabled": account.disabled,
                            "access_token": f"{TOKEN_PREFIX}{account.auth_index}"}
    if account.provider == "codex":
        data.update(chatgpt_account_id=f"acct-{account.auth_index[:8]}", plan_type="plus")
    return f"{account.provider}-{account.email}.json", data
