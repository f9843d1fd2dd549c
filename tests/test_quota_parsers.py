"""Each provider's parser on its recorded answers: whole readings, credential states, unknown shapes."""

from __future__ import annotations

import json

import pytest

from cpa_manager_desktop.quota.parsers import claude_plan, parse_claude, parse_gemini
from cpa_manager_desktop.quota.providers import PROVIDERS, credential_from
from cpa_manager_desktop.quota.reading import (
    ApiAnswer,
    CredentialProblem,
    CredentialState,
    Credits,
    QuotaReading,
    Unrecognised,
    Window,
)
from tests.quota_fixtures import CASES, answer
from tests.quota_fixtures import PROVIDERS as FIXTURE_PROVIDERS


def ms(text: str) -> int:
    from datetime import datetime
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000)


def parse(provider: str, case: str) -> object:
    extra = {"claude": "profile", "gemini-cli": "code_assist"}.get(provider)
    answers = [answer(provider, case)] + ([answer(provider, extra)] if extra else [])
    return PROVIDERS[provider].parse(answers)


EXPECTED_NORMAL = {
    "codex": QuotaReading("codex", "plus", (
        Window("five_hour", 23.0, 1796990460000, 18000), Window("weekly", 41.5, 1797333000000, 604800)),
        Credits(False, False, 0.0)),
    "claude": QuotaReading("claude", "max_20x", (
        Window("five_hour", 12.0, ms("2026-12-05T23:59:59.514+00:00"), 18000),
        Window("weekly", 35.0, ms("2026-12-10T08:00:00.514+00:00"), 604800),
        Window("weekly:sonnet", 20.0, ms("2026-12-10T08:00:00.514+00:00"), 604800))),
    "gemini-cli": QuotaReading("gemini-cli", "standard-tier", (
        Window("model:gemini-2.5-pro", 18.0, ms("2026-12-06T07:00:00Z")),
        Window("model:gemini-2.5-flash", 3.0, ms("2026-12-06T07:00:00Z")))),
    "antigravity": QuotaReading("antigravity", None, (
        Window("model:claude-sonnet-4-5", 0.0, ms("2026-12-06T03:12:00Z")),
        Window("model:gemini-3-pro-high", 40.0, ms("2026-12-06T03:12:00Z")))),
    "kimi": QuotaReading("kimi", "intermediate", (
        Window("weekly", 25.0, ms("2026-12-09T00:00:00Z"), 604800),
        Window("five_hour", 15.0, ms("2026-12-06T01:00:00Z"), 18000))),
    "xai": QuotaReading("xai", "SuperGrok", (Window("monthly_spend", 24.68, ms("2027-01-01T00:00:00Z")),),
                        Credits(True, False, 37.66)),
}


@pytest.mark.parametrize("provider", FIXTURE_PROVIDERS)
def test_normal_answer_is_read_whole(provider: str) -> None:
    assert parse(provider, "normal") == EXPECTED_NORMAL[provider]


@pytest.mark.parametrize("provider", FIXTURE_PROVIDERS)
def test_exhausted_answer_reads_every_window_full(provider: str) -> None:
    reading = parse(provider, "exhausted")
    assert isinstance(reading, QuotaReading) and reading.exhausted
    assert [w.key for w in reading.windows if w.used_percent < 100] == []


def test_codex_exhausted_keeps_plan_and_reset_credits() -> None:
    reading = parse("codex", "exhausted")
    assert isinstance(reading, QuotaReading)
    assert (reading.plan, reading.credits) == ("pro", Credits(True, False, 12.5))


def test_claude_exhausted_reads_the_per_model_weekly_window() -> None:
    reading = parse("claude", "exhausted")
    assert isinstance(reading, QuotaReading)
    assert [w.key for w in reading.windows] == ["five_hour", "weekly", "weekly:opus"]


@pytest.mark.parametrize("provider", FIXTURE_PROVIDERS)
def test_401_is_an_expired_credential(provider: str) -> None:
    assert parse(provider, "expired") == CredentialProblem(CredentialState.EXPIRED, 401, None)


@pytest.mark.parametrize("provider", FIXTURE_PROVIDERS)
def test_429_is_rate_limited_with_its_retry_after(provider: str) -> None:
    problem = parse(provider, "rate_limited")
    assert problem == CredentialProblem(CredentialState.RATE_LIMITED, 429, 120)
    assert isinstance(problem, CredentialProblem) and not problem.stops_polling


def test_403_stops_polling_and_500_does_not() -> None:
    forbidden = PROVIDERS["kimi"].parse([ApiAnswer(403, "{}")])
    failed = PROVIDERS["kimi"].parse([ApiAnswer(500, "oops")])
    assert isinstance(forbidden, CredentialProblem) and forbidden.stops_polling
    assert failed == CredentialProblem(CredentialState.FAILED, 500, None)


@pytest.mark.parametrize("provider", FIXTURE_PROVIDERS)
def test_unknown_shape_is_unrecognised_with_a_redacted_sample(provider: str) -> None:
    result = parse(provider, "unknown")
    assert isinstance(result, Unrecognised)
    assert result.reason.startswith(f"unrecognised {provider} quota format")
    assert json.loads(result.sample)  # still readable
    assert "secretpayload" not in result.sample and "alice@example.com" not in result.sample


def test_codex_unknown_sample_masks_the_token_field() -> None:
    result = parse("codex", "unknown")
    assert isinstance(result, Unrecognised)
    assert json.loads(result.sample)["access_token"] == "[redacted]"


def test_a_body_that_is_not_json_is_unrecognised() -> None:
    result = PROVIDERS["codex"].parse([ApiAnswer(200, "<html>login</html>")])
    assert isinstance(result, Unrecognised) and result.sample == "<html>login</html>"


def test_claude_plan_falls_back_to_the_account_flags() -> None:
    assert claude_plan(ApiAnswer(200, json.dumps({"account": {"has_claude_pro": True}}))) == "pro"
    assert claude_plan(ApiAnswer(401, "{}")) is None
    usage = answer("claude", "normal")
    reading = parse_claude(usage, ApiAnswer(500, "down"))
    assert isinstance(reading, QuotaReading) and reading.plan is None and len(reading.windows) == 3


def test_gemini_without_the_tier_answer_still_reads_buckets() -> None:
    reading = parse_gemini(answer("gemini-cli", "normal"))
    assert isinstance(reading, QuotaReading) and reading.plan is None and len(reading.windows) == 2


def test_every_fixture_case_exists_for_every_provider() -> None:
    for provider in FIXTURE_PROVIDERS:
        for case in CASES:
            assert answer(provider, case).status_code in (200, 401, 429)


def test_credential_from_reads_the_auth_file_entry() -> None:
    entry = {"auth_index": "a1b2c3d4e5f60718", "name": "codex-alice.json", "type": "codex", "label": "alice@x.io",
             "status": "active", "disabled": False, "id_token": {"chatgpt_account_id": "acc-1", "plan_type": "plus"}}
    credential = credential_from(entry)
    assert credential is not None
    assert (credential.provider, credential.account_id, credential.disabled) == ("codex", "acc-1", False)
    request = PROVIDERS["codex"].requests(credential)[0]
    assert request.header["Chatgpt-Account-Id"] == "acc-1" and request.header["Authorization"] == "Bearer $TOKEN$"
    assert credential_from({**entry, "type": "gemini", "status": "disabled"}).provider == "gemini-cli"  # type: ignore[union-attr]
    assert credential_from({**entry, "status": "disabled"}).disabled  # type: ignore[union-attr]
    assert credential_from({"name": "x"}) is None
