"""Which api-call requests read a provider's quota, and which parser reads the answers.

Header values carry `$TOKEN$`, which CPA replaces with the credential's token on its side
(cpa-management-api.md §7): this process never holds a provider token.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cpa_manager_desktop.quota import parsers
from cpa_manager_desktop.quota.reading import ApiAnswer, QuotaResult

TOKEN = "$TOKEN$"
CODEX_URL = "https://chatgpt.com/backend-api/wham/usage"
CLAUDE_USAGE_URL = "https://api.anthropic.com/api/oauth/usage"
CLAUDE_PROFILE_URL = "https://api.anthropic.com/api/oauth/profile"
GEMINI_QUOTA_URL = "https://cloudcode-pa.googleapis.com/v1internal:retrieveUserQuota"
GEMINI_TIER_URL = "https://cloudcode-pa.googleapis.com/v1internal:loadCodeAssist"
ANTIGRAVITY_URL = "https://cloudcode-pa.googleapis.com/v1internal:fetchAvailableModels"
KIMI_URL = "https://api.kimi.com/coding/v1/usages"
XAI_URL = "https://cli-chat-proxy.grok.com/v1/billing"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
JSON_POST = {**BEARER, "Content-Type": "application/json"}


@dataclass(frozen=True)
class Credential:
    """What the collector needs of one entry of CPA's credential list (no token: CPA keeps those)."""

    auth_index: str
    name: str
    provider: str
    label: str = ""
    disabled: bool = False
    account_id: str = ""  # Codex: id_token.chatgpt_account_id
    project_id: str = ""  # Gemini CLI


@dataclass(frozen=True)
class ApiRequest:
    method: str
    url: str
    header: dict[str, str] = field(default_factory=dict)
    data: str = ""

    def body(self, auth_index: str) -> dict[str, Any]:
        return {"auth_index": auth_index, "method": self.method, "url": self.url, "header": self.header,
                "data": self.data}


@dataclass(frozen=True)
class Provider:
    name: str
    requests: Callable[[Credential], Sequence[ApiRequest]]
    parse: Callable[[Sequence[ApiAnswer]], QuotaResult]


def _codex(credential: Credential) -> list[ApiRequest]:
    header = {**BEARER, "Accept": "application/json"}
    if credential.account_id:
        header["Chatgpt-Account-Id"] = credential.account_id
    return [ApiRequest("GET", CODEX_URL, header)]


def _claude(_: Credential) -> list[ApiRequest]:
    header = {**BEARER, "anthropic-beta": "oauth-2025-04-20", "Accept": "application/json"}
    return [ApiRequest("GET", CLAUDE_USAGE_URL, header), ApiRequest("GET", CLAUDE_PROFILE_URL, header)]


def _gemini(credential: Credential) -> list[ApiRequest]:
    project = json.dumps({"project": credential.project_id}) if credential.project_id else "{}"
    metadata = json.dumps({"metadata": {"ideType": "IDE_UNSPECIFIED", "pluginType": "GEMINI"}})
    return [ApiRequest("POST", GEMINI_QUOTA_URL, JSON_POST, project),
            ApiRequest("POST", GEMINI_TIER_URL, JSON_POST, metadata)]


PROVIDERS: dict[str, Provider] = {p.name: p for p in (
    Provider("codex", _codex, lambda a: parsers.parse_codex(a[0])),
    Provider("claude", _claude, lambda a: parsers.parse_claude(a[0], a[1] if len(a) > 1 else None)),
    Provider("gemini-cli", _gemini, lambda a: parsers.parse_gemini(a[0], a[1] if len(a) > 1 else None)),
    Provider("antigravity", lambda _: [ApiRequest("POST", ANTIGRAVITY_URL, JSON_POST, "{}")],
             lambda a: parsers.parse_antigravity(a[0])),
    Provider("kimi", lambda _: [ApiRequest("GET", KIMI_URL, BEARER)], lambda a: parsers.parse_kimi(a[0])),
    Provider("xai", lambda _: [ApiRequest("GET", XAI_URL, BEARER)], lambda a: parsers.parse_xai(a[0])),
)}
# CPA's credential `type` → our provider. `gemini` files keep their raw type (cpa-management-api §5.1).
ALIASES = {"gemini": "gemini-cli", "grok": "xai", "x-ai": "xai"}


def provider_for(credential_type: str) -> Provider | None:
    kind = credential_type.strip().lower()
    return PROVIDERS.get(ALIASES.get(kind, kind))


def credential_from(entry: Any) -> Credential | None:
    """One `GET /auth-files` entry → Credential; None when it has no auth_index."""
    if not isinstance(entry, dict) or not isinstance(entry.get("auth_index"), str) or not entry["auth_index"]:
        return None
    id_token = entry.get("id_token") if isinstance(entry.get("id_token"), dict) else {}
    kind = str(entry.get("type") or entry.get("provider") or "unknown").lower()
    provider = provider_for(kind)
    disabled = bool(entry.get("disabled")) or entry.get("status") == "disabled"
    return Credential(
        auth_index=entry["auth_index"], name=str(entry.get("name") or entry.get("id") or ""),
        provider=provider.name if provider else kind, label=str(entry.get("label") or entry.get("email") or ""),
        disabled=disabled, account_id=str(id_token.get("chatgpt_account_id") or ""),
        project_id=str(entry.get("project_id") or ""))
