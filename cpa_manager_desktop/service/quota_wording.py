"""How quota reads in the tray: credential labels (masked), window names, percentages, durations."""

from __future__ import annotations

from cpa_manager_desktop.redact import mask_label

WINDOW_NAMES = {"five_hour": "5-hour", "weekly": "weekly", "monthly_spend": "monthly spend"}


def credential_label(label: str, auth_index: str) -> str:
    """The account as the panel shows it (emails half-masked, keys masked), or a short auth_index."""
    return mask_label(label) or f"#{auth_index[:8]}"


def window_name(key: str) -> str:
    """five_hour → 5-hour, weekly:opus → weekly opus, model:gemini-2.5-pro → gemini-2.5-pro."""
    if key in WINDOW_NAMES:
        return WINDOW_NAMES[key]
    kind, _, rest = key.partition(":")
    if kind == "model" and rest:
        return rest
    if kind == "weekly" and rest:
        return f"weekly {rest}"
    return key.replace("_", " ")


def percent_left(remaining: float) -> str:
    """Whole percent, rounded down (never promise more than is left); a sliver is not a misleading 0 %."""
    if 0 < remaining < 1:
        return "<1 %"
    return f"{int(remaining)} %"


def duration(seconds: float) -> str:
    minutes = int(max(seconds, 0) // 60)
    if minutes < 1:
        return "less than a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h {minutes % 60} min"
    return f"{hours // 24} d {hours % 24} h"


def joined(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"
