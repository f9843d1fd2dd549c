"""One pure parser per provider: CPA's api-call answer → QuotaResult. No I/O, no clock.

The shapes are those the reference panels read (reference-panel.md §2; cpa-management-api.md §7).
A non-2xx status is a credential state; a 2xx body without the provider's fields is Unrecognised
with a redacted sample, so one odd answer marks one card and never fails the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cpa_manager_desktop.quota.fields import number, obj, optional_number, percent, time_ms
from cpa_manager_desktop.quota.reading import (
    ApiAnswer,
    CredentialProblem,
    CredentialState,
    Credits,
    QuotaReading,
    QuotaResult,
    ShapeError,
    Unrecognised,
    Window,
    redacted_sample,
)

FIVE_HOURS_S = 5 * 3600
WEEK_S = 7 * 24 * 3600
PROBLEM_STATES = {401: CredentialState.EXPIRED, 403: CredentialState.FORBIDDEN, 429: CredentialState.RATE_LIMITED}


def window_key(seconds: float | None) -> str:
    if seconds == FIVE_HOURS_S:
        return "five_hour"
    if seconds == WEEK_S:
        return "weekly"
    return f"window_{int(seconds)}s" if seconds else "window"


def problem_of(answer: ApiAnswer) -> CredentialProblem | None:
    if 200 <= answer.status_code < 300:
        return None
    retry = answer.header_value("Retry-After")
    retry_s = int(retry) if retry and retry.strip().isdigit() else None
    state = PROBLEM_STATES.get(answer.status_code, CredentialState.FAILED)
    return CredentialProblem(state, answer.status_code, retry_s)


def guarded(provider: str, answer: ApiAnswer, read: Callable[[Any], QuotaReading]) -> QuotaResult:
    """The common frame: status first, then JSON, then the provider's reader."""
    problem = problem_of(answer)
    if problem is not None:
        return problem
    try:
        return read(answer.json())
    except (ShapeError, ValueError) as exc:
        return Unrecognised(f"unrecognised {provider} quota format: {exc}", redacted_sample(answer.body))


# ---- Codex: chatgpt.com/backend-api/wham/usage ----

def parse_codex(answer: ApiAnswer) -> QuotaResult:
    return guarded("codex", answer, _codex)


def _codex(body: Any) -> QuotaReading:
    data = obj(body, "body")
    limits = obj(data.get("rate_limit"), "rate_limit")
    windows = []
    for name in ("primary_window", "secondary_window"):
        raw = limits.get(name)
        if raw is None:
            continue
        window = obj(raw, name)
        seconds = optional_number(window.get("limit_window_seconds"), f"{name}.limit_window_seconds")
        windows.append(Window(window_key(seconds), percent(number(window.get("used_percent"), f"{name}.used_percent")),
                              time_ms(window.get("reset_at"), f"{name}.reset_at"), int(seconds) if seconds else None))
    if not windows:
        raise ShapeError("rate_limit has no window")
    credits = None
    if isinstance(data.get("credits"), dict):
        raw_credits = data["credits"]
        credits = Credits(bool(raw_credits.get("has_credits")), bool(raw_credits.get("unlimited")),
                          optional_number(raw_credits.get("balance"), "credits.balance"))
    plan = data.get("plan_type")
    return QuotaReading("codex", plan if isinstance(plan, str) else None, tuple(windows), credits)


# ---- Claude: api.anthropic.com/api/oauth/usage, plan from /api/oauth/profile ----

CLAUDE_WINDOWS = {"five_hour": ("five_hour", FIVE_HOURS_S), "seven_day": ("weekly", WEEK_S)}
# The seven_day_<family> windows that cap one model family ("weekly:sonnet"); others, like
# seven_day_oauth_apps, cap every model the credential serves.
CLAUDE_MODEL_FAMILIES = ("opus", "sonnet", "haiku")


def model_family(key: str) -> str:
    """The lower-case model-family word a window's requests must contain ("weekly:sonnet" → "sonnet": a
    claude-sonnet-4-5 request counts, an opus one does not); "" when the window counts every model."""
    name = key.removeprefix("weekly:")
    return name if name != key and name in CLAUDE_MODEL_FAMILIES else ""


def window_model(key: str) -> str:
    """The lower-case model id a per-model window counts (Gemini's and Antigravity's "model:<id>"): only
    requests whose model is exactly that id, in any case ("model:gemini-2.5-pro" counts gemini-2.5-pro, not
    gemini-2.5-pro-preview); "" when the window counts every model. With model_family, the whole rule for
    which requests a window's usage counts."""
    return key.removeprefix("model:").lower() if key.startswith("model:") else ""


def parse_claude(usage: ApiAnswer, profile: ApiAnswer | None = None) -> QuotaResult:
    plan = claude_plan(profile) if profile is not None else None
    return guarded("claude", usage, lambda body: _claude(body, plan))


def _claude(body: Any, plan: str | None) -> QuotaReading:
    data = obj(body, "body")
    if not any(name in data for name in CLAUDE_WINDOWS):
        raise ShapeError("no five_hour or seven_day window")
    windows = []
    for name, raw in data.items():
        if raw is None or not (name in CLAUDE_WINDOWS or name.startswith("seven_day_")):
            continue
        window = obj(raw, name)
        key, seconds = CLAUDE_WINDOWS.get(name, (f"weekly:{name.removeprefix('seven_day_')}", WEEK_S))
        windows.append(Window(key, percent(number(window.get("utilization"), f"{name}.utilization")),
                              time_ms(window.get("resets_at"), f"{name}.resets_at"), seconds))
    return QuotaReading("claude", plan, tuple(windows))


def claude_plan(profile: ApiAnswer) -> str | None:
    """max_20x, max, pro or free from the profile; None when it cannot be read (the usage still can)."""
    try:
        data = obj(profile.json(), "profile") if 200 <= profile.status_code < 300 else {}
    except (ShapeError, ValueError):
        return None
    org = data.get("organization") if isinstance(data.get("organization"), dict) else {}
    tier = org.get("rate_limit_tier")
    if isinstance(tier, str) and tier.startswith("default_claude_"):
        return tier.removeprefix("default_claude_")
    account = data.get("account") if isinstance(data.get("account"), dict) else {}
    if not account and not org:
        return None
    if account.get("has_claude_max"):
        return "max"
    return "pro" if account.get("has_claude_pro") else "free"


# ---- Gemini CLI: cloudcode-pa …:retrieveUserQuota; tier from loadCodeAssist ----

def parse_gemini(quota: ApiAnswer, code_assist: ApiAnswer | None = None) -> QuotaResult:
    plan = gemini_tier(code_assist) if code_assist is not None else None
    return guarded("gemini-cli", quota, lambda body: _gemini(body, plan))


def _gemini(body: Any, plan: str | None) -> QuotaReading:
    buckets = obj(body, "body").get("buckets")
    if not isinstance(buckets, list) or not buckets:
        raise ShapeError("no buckets")
    windows = []
    for index, raw in enumerate(buckets):
        bucket = obj(raw, f"buckets[{index}]")
        remaining = number(bucket.get("remainingFraction"), f"buckets[{index}].remainingFraction")
        model = bucket.get("modelId") or f"bucket{index}"
        windows.append(Window(f"model:{model}", percent((1 - remaining) * 100),
                              time_ms(bucket.get("resetTime"), f"buckets[{index}].resetTime")))
    return QuotaReading("gemini-cli", plan, tuple(windows))


def gemini_tier(answer: ApiAnswer) -> str | None:
    try:
        data = answer.json() if 200 <= answer.status_code < 300 else None
    except ValueError:
        return None
    tier = data.get("currentTier") if isinstance(data, dict) else None
    value = tier.get("id") if isinstance(tier, dict) else None
    return value if isinstance(value, str) else None


# ---- Antigravity: cloudcode-pa …:fetchAvailableModels ----

def parse_antigravity(answer: ApiAnswer) -> QuotaResult:
    return guarded("antigravity", answer, _antigravity)


def _antigravity(body: Any) -> QuotaReading:
    models = obj(obj(body, "body").get("models"), "models")
    windows = []
    for model, raw in sorted(models.items()):
        info = raw.get("quotaInfo") if isinstance(raw, dict) else None
        if not isinstance(info, dict):
            continue  # models without a quota are listed too
        remaining = number(info.get("remainingFraction", 0), f"{model}.remainingFraction")
        windows.append(Window(f"model:{model}", percent((1 - remaining) * 100),
                              time_ms(info.get("resetTime"), f"{model}.resetTime")))
    if not windows:
        raise ShapeError("no model carries quotaInfo")
    return QuotaReading("antigravity", None, tuple(windows))


# ---- Kimi: api.kimi.com/coding/v1/usages ----

TIME_UNITS_S = {"TIME_UNIT_SECOND": 1, "TIME_UNIT_MINUTE": 60, "TIME_UNIT_HOUR": 3600, "TIME_UNIT_DAY": 86400}


def parse_kimi(answer: ApiAnswer) -> QuotaResult:
    return guarded("kimi", answer, _kimi)


def _kimi_window(raw: Any, what: str, key: str | None, seconds: int | None) -> Window:
    detail = obj(raw, what)
    limit = number(detail.get("limit"), f"{what}.limit")
    used = number(detail.get("used"), f"{what}.used") if "used" in detail else \
        limit - number(detail.get("remaining"), f"{what}.remaining")
    share = 100.0 * used / limit if limit > 0 else 100.0
    return Window(key or window_key(seconds), percent(share), time_ms(detail.get("resetTime"), f"{what}.resetTime"),
                  seconds)


def _kimi(body: Any) -> QuotaReading:
    data = obj(body, "body")
    windows = [_kimi_window(data.get("usage"), "usage", "weekly", WEEK_S)]
    for index, raw in enumerate(data.get("limits") or []):
        item = obj(raw, f"limits[{index}]")
        span = obj(item.get("window"), f"limits[{index}].window")
        unit = TIME_UNITS_S.get(str(span.get("timeUnit")), 0)
        seconds = int(number(span.get("duration"), f"limits[{index}].duration")) * unit or None
        windows.append(_kimi_window(item.get("detail"), f"limits[{index}].detail", None, seconds))
    user = data.get("user") if isinstance(data.get("user"), dict) else {}
    membership = user.get("membership") if isinstance(user.get("membership"), dict) else {}
    level = membership.get("level")
    plan = level.removeprefix("LEVEL_").lower() if isinstance(level, str) else None
    return QuotaReading("kimi", plan, tuple(windows))


# ---- xAI: cli-chat-proxy.grok.com/v1/billing (pay-as-you-go spend against a monthly limit) ----

def parse_xai(answer: ApiAnswer) -> QuotaResult:
    return guarded("xai", answer, _xai)


def _xai(body: Any) -> QuotaReading:
    data = obj(body, "body")
    usage = obj(data.get("usage"), "usage")
    limit = number(usage.get("limitCents"), "usage.limitCents")
    used = number(usage.get("usedCents"), "usage.usedCents")
    cycle = data.get("billingCycle") if isinstance(data.get("billingCycle"), dict) else {}
    window = Window("monthly_spend", percent(100.0 * used / limit) if limit > 0 else 100.0,
                    time_ms(cycle.get("end"), "billingCycle.end"))
    plan = data.get("plan")
    return QuotaReading("xai", plan if isinstance(plan, str) else None, (window,),
                        Credits(limit > used, False, round((limit - used) / 100, 2)))
