"""Codex inspection's rules on the recorded Codex answers: each suggestion and its reason, the weekly window
first, never re-enabling a credential a person disabled, the settings' sentences, and the sample."""

from __future__ import annotations

import json
import random

import pytest

from cpa_manager_desktop.quota.inspection_rules import (
    Action,
    CallFailed,
    Disabler,
    InspectionSettings,
    Reason,
    Subject,
    sample,
    subject_from,
    suggest,
    unchecked,
)
from cpa_manager_desktop.quota.parsers import parse_codex
from cpa_manager_desktop.quota.reading import ApiAnswer
from tests.quota_fixtures import answer

DEFAULTS = InspectionSettings()


def subject(*, disabled: bool | None = False, auth_index: str = "a1b2c3d4e5f60718") -> Subject:
    return Subject(auth_index, "codex-a@example.com.json", "a@example.com", "plus", "acct-1", disabled)


def decide(case: str, *, disabled: bool = False, by: Disabler | None = None,
           settings: InspectionSettings = DEFAULTS) -> tuple[str, str, int | None, float | None, str]:
    s = suggest(subject(disabled=disabled), parse_codex(answer("codex", case)), by, settings)
    return s.action.value, s.reason.value, s.http_status, s.used_percent, s.sentence


@pytest.mark.parametrize(("case", "disabled", "by", "expected"), [
    ("normal", False, None, ("keep", "healthy", 200, 41.5,
                             "41.5% of the weekly window is used, under the 100% threshold.")),
    ("exhausted", False, None, ("disable", "over_threshold", 200, 100.0,
                                "100% of the weekly window is used, at or over the 100% threshold: "
                                "disable it until the window resets.")),
    ("exhausted", True, Disabler.INSPECTION, ("keep", "over_threshold_disabled", 200, 100.0,
                                              "100% of the weekly window is used; it is already disabled.")),
    ("normal", True, Disabler.INSPECTION, ("enable", "recovered", 200, 41.5,
                                           "41.5% of the weekly window is used, under the 100% threshold again, "
                                           "and inspection disabled it: it can be enabled.")),
    ("expired", False, None, ("delete", "expired", 401, None, "The account answered 401: its token is no longer "
                                                              "accepted, so the credential can be deleted.")),
    ("rate_limited", False, None, ("keep", "rate_limited", 429, None,
                                   "The account answered 429 (rate limited): check it again later.")),
    ("unknown", False, None, ("keep", "unrecognised", 200, None, "The quota answer has a shape we do not "
                                                                 "recognise, so the credential is left alone.")),
])
def test_each_recorded_answer_gets_its_action_and_reason(case, disabled, by, expected) -> None:
    assert decide(case, disabled=disabled, by=by) == expected


@pytest.mark.parametrize("by", [Disabler.MANUAL, None])
def test_a_healthy_credential_disabled_by_hand_is_never_enabled(by) -> None:
    """None is a disabled credential we hold no record of: someone else disabled it, so it counts as manual."""
    assert decide("normal", disabled=True, by=by) == (
        "keep", "manual_disable", 200, 41.5, "41.5% of the weekly window is used, but it was disabled by hand: "
                                             "inspection never re-enables a credential it did not disable.")


def test_the_weekly_window_decides_before_the_five_hour_one() -> None:
    body = {"plan_type": "plus", "rate_limit": {
        "primary_window": {"used_percent": 100, "limit_window_seconds": 18000, "reset_at": 1796990460},
        "secondary_window": {"used_percent": 12, "limit_window_seconds": 604800, "reset_at": 1797333000}}}
    reading = parse_codex(ApiAnswer(200, json.dumps(body)))
    s = suggest(subject(), reading, None, DEFAULTS)
    assert (s.action, s.reason, s.used_percent, s.values["window"]) == (Action.KEEP, Reason.HEALTHY, 12.0, "weekly")
    only_five_hour = {"rate_limit": {"primary_window": body["rate_limit"]["primary_window"]}}
    s = suggest(subject(), parse_codex(ApiAnswer(200, json.dumps(only_five_hour))), None, DEFAULTS)
    assert (s.action, s.used_percent, s.values["window"]) == (Action.DISABLE, 100.0, "five_hour")


def test_the_threshold_is_inclusive() -> None:
    assert decide("normal", settings=InspectionSettings(threshold_percent=41.5))[:2] == ("disable", "over_threshold")
    assert decide("normal", settings=InspectionSettings(threshold_percent=42))[:2] == ("keep", "healthy")


def test_no_answer_keeps_the_credential_with_the_reason() -> None:
    timed_out = suggest(subject(), CallFailed(timed_out=True), None, InspectionSettings(timeout_s=15))
    assert (timed_out.action, timed_out.sentence) == (Action.KEEP, "No answer within 15 s: check it again later.")
    refused = suggest(subject(), CallFailed(False, "CPA answered /api-call with HTTP 502"), None, DEFAULTS)
    assert (refused.action, refused.sentence) == (
        Action.KEEP, "CPA could not make the call (CPA answered /api-call with HTTP 502): check it again later.")


def test_missing_auth_index_or_status_is_kept_unchecked() -> None:
    assert unchecked(subject()) is None
    no_index = unchecked(subject(auth_index=""))
    no_status = unchecked(subject(disabled=None))
    assert no_index is not None and (no_index.action, no_index.reason) == (Action.KEEP, Reason.NO_AUTH_INDEX)
    assert no_status is not None and (no_status.action, no_status.reason) == (Action.KEEP, Reason.NO_STATUS)


def test_subjects_are_the_codex_entries_of_cpas_list() -> None:
    entry = {"auth_index": "ab12", "name": "codex-x.json", "type": "codex", "email": "x@example.com",
             "status": "active", "disabled": False, "id_token": {"chatgpt_account_id": "acct-9", "plan_type": "team"}}
    assert subject_from(entry) == Subject("ab12", "codex-x.json", "x@example.com", "team", "acct-9", False)
    assert subject_from({**entry, "disabled": True}).disabled is True  # type: ignore[union-attr]
    no_status = {k: v for k, v in entry.items() if k not in ("status", "disabled")}
    assert subject_from(no_status).disabled is None  # type: ignore[union-attr]
    assert subject_from({k: v for k, v in entry.items() if k != "auth_index"}).auth_index == ""  # type: ignore[union-attr]
    assert subject_from({**entry, "type": "claude"}) is None


def test_settings_problems_are_sentences() -> None:
    assert DEFAULTS.problems() == []
    assert (DEFAULTS.workers, DEFAULTS.timeout_s, DEFAULTS.threshold_percent, DEFAULTS.sample_size) == (4, 15, 100, 0)
    bad = InspectionSettings(workers=0, timeout_s=500, threshold_percent=0, sample_size=2.5)  # type: ignore[arg-type]
    assert bad.problems() == [
        "Workers must be a whole number from 1 to 16.",
        "The timeout must be between 1 and 120 seconds.",
        "The used-% threshold must be between 1 and 100.",
        "The sample size must be a whole number from 0 (every account) to 100000.",
    ]
    assert InspectionSettings(workers="4").problems() == ["Workers must be a whole number from 1 to 16."]  # type: ignore[arg-type]
    assert InspectionSettings(workers=4.0).normalised().workers == 4  # type: ignore[arg-type]


def test_a_sample_keeps_list_order_and_zero_means_all() -> None:
    subjects = [subject(auth_index=f"i{n}") for n in range(10)]
    assert sample(subjects, 0, random.Random(1)) == subjects
    assert sample(subjects, 20, random.Random(1)) == subjects
    picked = sample(subjects, 3, random.Random(1))
    assert len(picked) == 3 and picked == [s for s in subjects if s in picked]
