from __future__ import annotations

from cpa_manager_desktop.collector.health import HealthReport
from cpa_manager_desktop.collector.status import CollectorState, CollectorStatus
from cpa_manager_desktop.desktop.alerts import AlertPolicy


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def status(state: str = "running", *, retry: int = 0, error: str = "", enabled: bool | None = True,
           last_ms: int = 0) -> CollectorStatus:
    return CollectorStatus(state=CollectorState(state), next_retry_ms=retry, last_error=error,
                           health=HealthReport(usage_statistics_enabled=enabled), last_inserted_ms=last_ms,
                           last_consumed_ms=last_ms)


def kinds(alerts: list) -> list[str]:
    return [a.kind for a in alerts]


def test_auth_stop_alerts_once_per_incident() -> None:
    policy = AlertPolicy(Clock())
    stopped = status("error", error="CPA rejected the Management Key")
    first = policy.observe(stopped)
    assert kinds(first) == ["stopped"] and first[0].message == "CPA rejected the Management Key"
    assert policy.observe(stopped) == []
    assert policy.observe(status()) == []
    assert kinds(policy.observe(stopped)) == ["stopped"]


def test_unreachable_only_after_a_minute() -> None:
    clock = Clock()
    policy = AlertPolicy(clock)
    down = status("error", retry=1, error="Cannot reach CPA at http://x: connection refused")
    assert policy.observe(down) == []
    clock.now += 59
    assert policy.observe(down) == []
    clock.now += 2
    alerts = policy.observe(down)
    assert kinds(alerts) == ["unreachable"] and "Cannot reach CPA" in alerts[0].message
    clock.now += 600
    assert policy.observe(down) == []
    policy.observe(status())
    assert policy.observe(down) == []


def test_publishing_off_alerts_once() -> None:
    policy = AlertPolicy(Clock())
    assert kinds(policy.observe(status(enabled=False))) == ["publishing_off"]
    assert policy.observe(status(enabled=False)) == []
    assert policy.observe(status(enabled=True)) == []
    assert kinds(policy.observe(status(enabled=False))) == ["publishing_off"]


def test_idle_while_reachable_and_publishing() -> None:
    clock = Clock()
    policy = AlertPolicy(clock, idle_after_s=3600)
    recent = int(clock.now * 1000)
    assert policy.observe(status(last_ms=recent)) == []
    clock.now += 3601
    assert kinds(policy.observe(status(last_ms=recent))) == ["idle"]
    assert policy.observe(status(last_ms=recent)) == []
    assert policy.observe(status(last_ms=int(clock.now * 1000))) == []


def test_no_idle_alert_when_publishing_is_unknown_or_paused() -> None:
    clock = Clock()
    policy = AlertPolicy(clock, idle_after_s=10)
    policy.observe(status(enabled=None))
    clock.now += 100
    assert policy.observe(status(enabled=None)) == []
    assert policy.observe(status("paused")) == []
