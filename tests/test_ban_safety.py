"""CPA bans an IP after 5 failed logins (issue 11 §3): nobody without the key can cost more than one
failed login in 30 minutes, a rejected key is never sent again, and the count survives restarts."""

from __future__ import annotations

import secrets
from concurrent.futures import ThreadPoolExecutor

from cpa_manager_desktop.app import App
from tests.client import Reply, assert_error, call
from tests.conftest import CPA_KEY as KEY
from tests.cpa_double import CpaDouble

ROTATED = "rotated-management-key"


def setup(app: App, url: str, key: str, bearer: str | None = None) -> Reply:
    return call("POST", f"{app.base_url}/setup", key=bearer, json_body={"cpaBaseUrl": url, "managementKey": key})


def concurrent_random_setups(app: App, url: str, count: int = 12) -> list[int]:
    keys = [f"random-{secrets.token_hex(8)}" for _ in range(count)]
    with ThreadPoolExecutor(count) as pool:
        return sorted(reply.status for reply in pool.map(lambda k: setup(app, url, k), keys))


def set_up_and_collecting(start_app, cpa: CpaDouble) -> App:
    app = start_app()
    assert setup(app, cpa.base_url, KEY).status == 200
    assert app.collector.wait_for(lambda s: s.state == "running", 10)
    return app


def rejected_by_cpa(app: App, cpa: CpaDouble) -> None:
    """CPA's key changes under a running collector: it costs exactly one failed login."""
    cpa.management_key = ROTATED
    assert app.collector.wait_for(lambda s: s.state == "error", 10)
    assert cpa.failed_logins() == 1


def test_concurrent_unauthenticated_setups_never_reach_cpa(start_app, cpa: CpaDouble) -> None:
    app = set_up_and_collecting(start_app, cpa)

    assert concurrent_random_setups(app, cpa.base_url) == [401] * 12

    assert cpa.failed_logins() == 0
    assert app.controller.current_upstream().management_key == KEY
    assert app.collector.status().state == "running"


def test_a_rejected_saved_key_lets_one_unauthenticated_attempt_through(start_app, cpa: CpaDouble) -> None:
    app = set_up_and_collecting(start_app, cpa)
    rejected_by_cpa(app, cpa)

    statuses = concurrent_random_setups(app, cpa.base_url)

    assert cpa.failed_logins() == 2, "at most one of the twelve may reach CPA"
    assert statuses.count(401) == 1 and statuses.count(429) == 11, statuses
    # The attempt budget for callers without the key is spent, even for the right key, for 30 minutes.
    assert_error(setup(app, cpa.base_url, ROTATED), 429, "A new key can be tried without the saved key")
    # The owner of the saved key may still fix the setup.
    assert setup(app, cpa.base_url, ROTATED, bearer=KEY).status == 200
    assert cpa.failed_logins() == 2


def test_a_rejected_saved_key_is_not_sent_on_restarts(start_app, cpa: CpaDouble) -> None:
    app = set_up_and_collecting(start_app, cpa)
    rejected_by_cpa(app, cpa)

    for _ in range(3):
        reply = call("POST", f"{app.base_url}/collector/restart", key=KEY)
        assert reply.status == 200, reply.body
        assert reply.json["collector"] == "error", reply.json
        assert_error(setup(app, cpa.base_url, KEY, bearer=KEY), 401, "CPA already rejected this Management Key")
    app.stop()
    for _ in range(3):
        again = start_app()
        status = call("GET", f"{again.base_url}/status", key=KEY).json
        assert status["collector"]["collector"] == "error"
        assert status["collector"]["lastError"].startswith("CPA rejected the Management Key")
        again.stop()

    assert cpa.failed_logins() == 1


def test_the_failure_count_survives_a_restart(start_app, cpa: CpaDouble) -> None:
    app = start_app()
    for attempt in range(3):
        assert setup(app, cpa.base_url, f"wrong-{attempt}").status == 401
    app.stop()

    again = start_app()
    assert setup(again, cpa.base_url, "wrong-3").status == 401
    assert_error(setup(again, cpa.base_url, "wrong-4"), 429, "CPA rejected 4 keys in a row")
    assert (cpa.failed_logins(), cpa.is_banned()) == (4, False)


def test_a_rejected_key_is_never_sent_twice(start_app, cpa: CpaDouble) -> None:
    app = start_app()
    for _ in range(3):
        assert setup(app, cpa.base_url, "wrong").status == 401
    assert cpa.failed_logins() == 1
    assert setup(app, cpa.base_url, KEY).status == 200


def test_the_proxy_does_not_forward_a_rejected_saved_key(start_app, cpa: CpaDouble) -> None:
    app = set_up_and_collecting(start_app, cpa)
    assert call("GET", f"{app.base_url}/v0/management/config", key=KEY).status == 200
    rejected_by_cpa(app, cpa)

    for _ in range(6):
        assert_error(call("GET", f"{app.base_url}/v0/management/config", key=KEY), 502,
                     "CPA rejected the Management Key, so calls to CPA are not forwarded")

    assert (cpa.failed_logins(), cpa.is_banned()) == (1, False)
