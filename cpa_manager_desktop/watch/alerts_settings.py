"""Which alerts are on and their thresholds: defaults, validation with sentences, kept in the settings table.

Every kind has its own switch (all on by default). The thresholds are one table, so the API, its
validation and the documentation list the same names, ranges and defaults.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from cpa_manager_desktop.errors import BadRequest
from cpa_manager_desktop.store.settings import SettingsStore

log = logging.getLogger(__name__)
SETTINGS_KEY = "alerts"


class AlertKind(StrEnum):
    STALLED = "stalled"                  # CPA answers, yet nothing was popped for longer than its retention
    UNREACHABLE = "unreachable"          # CPA does not answer
    STOPPED = "stopped"                  # collection halted by an error only the user can fix (a rejected key)
    PUBLISHING_OFF = "publishing_off"    # usage-statistics-enabled is off on CPA
    IDLE = "idle"                        # no usage for hours although CPA answers and publishes
    DATA_GAP = "data_gap"                # the coverage ledger opened an interval we could not see
    FAILURE_SPIKE = "failure_spike"      # one credential or API key fails far more than in its last 7 days
    SPEND_SPIKE = "spend_spike"          # the last hour cost far more than that hour usually does


@dataclass(frozen=True)
class Threshold:
    name: str              # as the API and the stored JSON spell it
    minimum: float
    maximum: float
    default: float
    description: str
    whole: bool = False    # an integer count


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold("unreachable_after_seconds", 10, 86400, 60,
              "CPA unreachable: how long CPA must fail to answer before it alerts", whole=True),
    Threshold("idle_after_hours", 1, 720, 6,
              "No usage: hours without a recorded request although CPA answers and publishes"),
    Threshold("failure_min_requests", 1, 1_000_000, 20,
              "Failure spike: requests a credential or API key needs in the last hour, and in its 7-day "
              "baseline, to be judged", whole=True),
    Threshold("failure_factor", 1, 100, 3,
              "Failure spike: the last hour's failure rate must exceed this many times the 7-day rate"),
    Threshold("failure_points", 1, 100, 20,
              "Failure spike: ...and exceed the 7-day rate by this many percentage points"),
    Threshold("spend_factor", 1, 100, 3,
              "Spend spike: the last hour's cost must exceed this many times that hour's 7-day average"),
    Threshold("spend_floor_usd", 0.01, 1_000_000, 1,
              "Spend spike: an hour costing less than this (USD) never alerts"),
    Threshold("renotify_minutes", 1, 1440, 30,
              "The same alert notifies at most once in this many minutes, and again only after clearing",
              whole=True),
)
_BY_NAME = {t.name: t for t in THRESHOLDS}


@dataclass(frozen=True)
class AlertSettings:
    enabled: frozenset[AlertKind] = frozenset(AlertKind)
    thresholds: Mapping[str, float] = field(default_factory=lambda: {t.name: t.default for t in THRESHOLDS})

    def is_on(self, kind: AlertKind) -> bool:
        return kind in self.enabled

    def value(self, name: str) -> float:
        return self.thresholds.get(name, _BY_NAME[name].default)

    @property
    def renotify_s(self) -> float:
        return self.value("renotify_minutes") * 60


def apply_changes(current: AlertSettings, body: Any) -> AlertSettings:
    """`current` with the changes in `body` ({"kinds": {kind: bool}, "thresholds": {name: number}}, both
    optional, only the named ones change). Raises BadRequest naming the first bad value."""
    if not isinstance(body, Mapping):
        raise BadRequest("Alert settings must be a JSON object with kinds and thresholds",
                         code="invalid_alert_settings")
    unknown = set(body) - {"kinds", "thresholds"}
    if unknown:
        raise BadRequest(f"Unknown alert setting {sorted(unknown)[0]!r}; use kinds and thresholds",
                         code="invalid_alert_settings")
    enabled = set(current.enabled)
    for name, on in _section(body, "kinds").items():
        kind = _kind(name)
        if not isinstance(on, bool):
            raise BadRequest(f"kinds.{name} must be true or false", code="invalid_alert_settings")
        (enabled.add if on else enabled.discard)(kind)
    thresholds = dict(current.thresholds)
    for name, value in _section(body, "thresholds").items():
        thresholds[name] = _checked(name, value)
    return replace(current, enabled=frozenset(enabled), thresholds=thresholds)


def _section(body: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    section = body.get(name, {})
    if not isinstance(section, Mapping):
        raise BadRequest(f"{name} must be an object", code="invalid_alert_settings")
    return section


def _kind(name: str) -> AlertKind:
    try:
        return AlertKind(name)
    except ValueError:
        raise BadRequest(f"There is no alert kind {name!r}; the kinds are {', '.join(AlertKind)}",
                         code="invalid_alert_settings") from None


def _checked(name: str, value: Any) -> float:
    threshold = _BY_NAME.get(name)
    if threshold is None:
        raise BadRequest(f"There is no alert threshold {name!r}; the thresholds are {', '.join(_BY_NAME)}",
                         code="invalid_alert_settings")
    number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
    if number is None or not math.isfinite(number) or not threshold.minimum <= number <= threshold.maximum:
        raise BadRequest(f"{name} must be a number from {threshold.minimum:g} to {threshold.maximum:g}",
                         code="invalid_alert_settings")
    if threshold.whole and number != int(number):
        raise BadRequest(f"{name} must be a whole number", code="invalid_alert_settings")
    return int(number) if threshold.whole else float(number)


class AlertSettingsStore:
    """The settings in the settings table; a stored value this version cannot read falls back to its default."""

    def __init__(self, settings: SettingsStore) -> None:
        self._settings = settings

    def load(self) -> AlertSettings:
        stored = self._settings.get(SETTINGS_KEY)
        if not isinstance(stored, Mapping):
            return AlertSettings()
        result = AlertSettings()
        for section in ("kinds", "thresholds"):
            values = stored.get(section)
            for name, value in (values.items() if isinstance(values, Mapping) else ()):
                try:
                    result = apply_changes(result, {section: {name: value}})
                except BadRequest as exc:
                    log.warning("ignoring a stored alert setting: %s", exc.message)
        return result

    def save(self, settings: AlertSettings) -> None:
        self._settings.put(SETTINGS_KEY, {"kinds": {k.value: settings.is_on(k) for k in AlertKind},
                                          "thresholds": dict(settings.thresholds)})
