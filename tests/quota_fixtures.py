"""Loads the recorded api-call answers under tests/fixtures/quota/ (see its README)."""

from __future__ import annotations

import json
from pathlib import Path

from cpa_manager_desktop.quota.reading import ApiAnswer

FIXTURES = Path(__file__).parent / "fixtures" / "quota"
PROVIDERS = ("codex", "claude", "gemini-cli", "antigravity", "kimi", "xai")
CASES = ("normal", "exhausted", "expired", "rate_limited", "unknown")


def raw(provider: str, case: str) -> dict:
    return json.loads((FIXTURES / provider / f"{case}.json").read_text(encoding="utf-8"))


def answer(provider: str, case: str) -> ApiAnswer:
    data = raw(provider, case)
    return ApiAnswer(data["status_code"], data["body"], data["header"])
