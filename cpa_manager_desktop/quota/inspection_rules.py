"""Codex account inspection, the pure part: its settings, the credentials it looks at, and the rule that
turns what one check found into a suggested action (keep / disable / enable / delete) with a reason.

No I/O and no clock. The rules (reference-panel.md §2, "Codex Account Inspection"):
- 401 → delete;
- used % at or over the threshold (the weekly window first) and enabled → disable;
- healthy but disabled → enable, but only when our inspection disabled it: automation never overrides a
  person's disable (reference-panel.md §5 item 7);
- missing auth_index or status → keep; 429, timeouts and answers of unknown shape → keep, with the reason.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from cpa_manager_desktop.quota.reading import CredentialProblem, CredentialState, QuotaReading, QuotaResult, Window

CODEX = "codex"


class Action(Enum):
    KEEP = "keep"
    DISABLE = "disable"
    ENABLE = "enable"
    DELETE = "delete"


class Disabler(Enum):
    """Who disabled a credential, as far as we know: our inspection, or anyone else ("manual")."""

    INSPECTION = "inspection"
    MANUAL = "manual"


class Reason(Enum):
    NO_AUTH_INDEX = "no_auth_index"
    NO_STATUS = "no_status"
    EXPIRED = "expired"
    OVER_THRESHOLD = "over_threshold"
    OVER_THRESHOLD_DISABLED = "over_threshold_disabled"
    HEALTHY = "healthy"
    RECOVERED = "recovered"
    MANUAL_DISABLE = "manual_disable"
    RATE_LIMITED = "rate_limited"
    FORBIDDEN = "forbidden"
    HTTP_ERROR = "http_error"
    UNRECOGNISED = "unrecognised"
    TIMEOUT = "timeout"
    CPA_ERROR = "cpa_error"


SENTENCES = {
    Reason.NO_AUTH_INDEX: "CPA lists no auth_index for this credential, so its quota cannot be read; it is left alone.",
    Reason.NO_STATUS: "CPA reports no status for this credential, so it is left alone.",
    Reason.EXPIRED: "The account answered 401: its token is no longer accepted, so the credential can be deleted.",
    Reason.OVER_THRESHOLD: "{used}% of the {window} window is used, at or over the {threshold}% threshold: "
                           "disable it until the window resets.",
    Reason.OVER_THRESHOLD_DISABLED: "{used}% of the {window} window is used; it is already disabled.",
    Reason.HEALTHY: "{used}% of the {window} window is used, under the {threshold}% threshold.",
    Reason.RECOVERED: "{used}% of the {window} window is used, under the {threshold}% threshold again, and "
                      "inspection disabled it: it can be enabled.",
    Reason.MANUAL_DISABLE: "{used}% of the {window} window is used, but it was disabled by hand: inspection never "
                           "re-enables a credential it did not disable.",
    Reason.RATE_LIMITED: "The account answered 429 (rate limited): check it again later.",
    Reason.FORBIDDEN: "The account answered 403 (forbidden): check it by hand.",
    Reason.HTTP_ERROR: "The account answered HTTP {status}: check it again later.",
    Reason.UNRECOGNISED: "The quota answer has a shape we do not recognise, so the credential is left alone.",
    Reason.TIMEOUT: "No answer within {timeout} s: check it again later.",
    Reason.CPA_ERROR: "CPA could not make the call ({message}): check it again later.",
}


def sentence(reason: Reason, values: dict[str, Any]) -> str:
    return SENTENCES[reason].format(**values)


# ---- settings ----

LIMITS = {"workers": (1, 16), "timeout_s": (1, 120), "threshold_percent": (1, 100), "sample_size": (0, 100_000)}


@dataclass(frozen=True)
class InspectionSettings:
    workers: int = 4
    timeout_s: float = 15.0
    threshold_percent: float = 100.0
    sample_size: int = 0  # 0 = every Codex credential

    def problems(self) -> list[str]:
        """Every invalid setting as a sentence; empty when all are valid."""
        found = []
        if not _within(self.workers, *LIMITS["workers"], whole=True):
            found.append("Workers must be a whole number from 1 to 16.")
        if not _within(self.timeout_s, *LIMITS["timeout_s"]):
            found.append("The timeout must be between 1 and 120 seconds.")
        if not _within(self.threshold_percent, *LIMITS["threshold_percent"]):
            found.append("The used-% threshold must be between 1 and 100.")
        if not _within(self.sample_size, *LIMITS["sample_size"], whole=True):
            found.append("The sample size must be a whole number from 0 (every account) to 100000.")
        return found

    def normalised(self) -> InspectionSettings:
        """The same settings with whole numbers as int (JSON may send 4.0); call after problems() is empty."""
        return InspectionSettings(int(self.workers), float(self.timeout_s), float(self.threshold_percent),
                                  int(self.sample_size))


def _within(value: object, low: float, high: float, *, whole: bool = False) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if whole and not (isinstance(value, int) or float(value).is_integer()):
        return False
    return low <= value <= high


# ---- the credentials looked at ----

@dataclass(frozen=True)
class Subject:
    """One Codex credential as CPA listed it. disabled is None when CPA gave no status at all."""

    auth_index: str
    name: str
    label: str
    plan: str | None
    account_id: str
    disabled: bool | None


def subject_from(entry: Any) -> Subject | None:
    """One `GET /auth-files` entry → Subject, or None when it is not a Codex credential."""
    if not isinstance(entry, dict) or str(entry.get("type") or entry.get("provider") or "").lower() != CODEX:
        return None
    id_token = entry.get("id_token") if isinstance(entry.get("id_token"), dict) else {}
    plan = id_token.get("plan_type") or entry.get("account_type")
    return Subject(
        auth_index=entry["auth_index"] if isinstance(entry.get("auth_index"), str) else "",
        name=str(entry.get("name") or entry.get("id") or ""),
        label=str(entry.get("email") or entry.get("label") or ""),
        plan=plan if isinstance(plan, str) and plan else None,
        account_id=str(id_token.get("chatgpt_account_id") or ""),
        disabled=listed_disabled(entry))


def listed_disabled(entry: dict[str, Any]) -> bool | None:
    """Whether CPA lists the credential as disabled; None when the entry has neither field."""
    if isinstance(entry.get("disabled"), bool):
        return entry["disabled"] or entry.get("status") == "disabled"
    status = entry.get("status")
    return status == "disabled" if isinstance(status, str) and status else None


def listed_stamp(entry: dict[str, Any]) -> str | None:
    """The credential's modification time as CPA lists it (`modtime`, else `updated_at`), compared as text."""
    for key in ("modtime", "updated_at"):
        if isinstance(entry.get(key), str) and entry[key]:
            return str(entry[key])
    return None


def sample(subjects: Sequence[Subject], size: int, rng: random.Random) -> list[Subject]:
    """Every subject when size is 0 or covers them all; otherwise `size` of them at random, in list order
    (repeated small runs then look at different accounts)."""
    if size <= 0 or size >= len(subjects):
        return list(subjects)
    chosen = set(rng.sample(range(len(subjects)), size))
    return [s for i, s in enumerate(subjects) if i in chosen]


# ---- one check's outcome → the suggestion ----

@dataclass(frozen=True)
class CallFailed:
    """We got no answer from the provider: CPA timed out (timed_out) or refused the call."""

    timed_out: bool
    message: str = ""


Finding = QuotaResult | CallFailed


@dataclass(frozen=True)
class Suggestion:
    action: Action
    reason: Reason
    values: dict[str, Any]
    http_status: int | None = None
    used_percent: float | None = None
    plan: str | None = None

    @property
    def sentence(self) -> str:
        return sentence(self.reason, self.values)


def deciding_window(reading: QuotaReading) -> Window:
    """The weekly window when there is one (it decides how long an account stays out), else the fullest."""
    weekly = [w for w in reading.windows if w.key == "weekly"]
    return weekly[0] if weekly else max(reading.windows, key=lambda w: w.used_percent)


def unchecked(subject: Subject) -> Suggestion | None:
    """The suggestion for a credential that must not be checked at all, or None when it can be."""
    if not subject.auth_index:
        return Suggestion(Action.KEEP, Reason.NO_AUTH_INDEX, {}, plan=subject.plan)
    if subject.disabled is None:
        return Suggestion(Action.KEEP, Reason.NO_STATUS, {}, plan=subject.plan)
    return None


def suggest(subject: Subject, finding: Finding, disabled_by: Disabler | None, settings: InspectionSettings,
            ) -> Suggestion:
    """The action for one checked credential. disabled_by is our record of who disabled it (None: no record)."""
    if isinstance(finding, CallFailed):
        if finding.timed_out:
            return Suggestion(Action.KEEP, Reason.TIMEOUT, {"timeout": _number(settings.timeout_s)}, plan=subject.plan)
        return Suggestion(Action.KEEP, Reason.CPA_ERROR, {"message": finding.message}, plan=subject.plan)
    if isinstance(finding, CredentialProblem):
        return _problem(subject, finding)
    if not isinstance(finding, QuotaReading):
        return Suggestion(Action.KEEP, Reason.UNRECOGNISED, {}, 200, plan=subject.plan)
    window = deciding_window(finding)
    values = {"used": _number(window.used_percent), "window": window.key,
              "threshold": _number(settings.threshold_percent)}
    plan = finding.plan or subject.plan
    if window.used_percent >= settings.threshold_percent:
        action, reason = (Action.KEEP, Reason.OVER_THRESHOLD_DISABLED) if subject.disabled else (
            Action.DISABLE, Reason.OVER_THRESHOLD)
    elif not subject.disabled:
        action, reason = Action.KEEP, Reason.HEALTHY
    elif disabled_by is Disabler.INSPECTION:
        action, reason = Action.ENABLE, Reason.RECOVERED
    else:
        action, reason = Action.KEEP, Reason.MANUAL_DISABLE
    return Suggestion(action, reason, values, 200, window.used_percent, plan)


def _problem(subject: Subject, problem: CredentialProblem) -> Suggestion:
    if problem.state is CredentialState.EXPIRED:
        return Suggestion(Action.DELETE, Reason.EXPIRED, {}, problem.status_code, plan=subject.plan)
    reason = {CredentialState.RATE_LIMITED: Reason.RATE_LIMITED,
              CredentialState.FORBIDDEN: Reason.FORBIDDEN}.get(problem.state, Reason.HTTP_ERROR)
    return Suggestion(Action.KEEP, reason, {"status": problem.status_code}, problem.status_code, plan=subject.plan)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)
