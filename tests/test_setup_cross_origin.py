"""Issue 12 §7: the upstream CPA panel's exact `POST /setup` in CPA panel mode with the default
`USAGE_CORS_ORIGINS=*` (the key only in the JSON body), and /status before setup seen from elsewhere."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from cpa_manager_desktop.app import App
from tests.client import assert_error, call
from tests.conftest import CPA_KEY as KEY
from tests.cpa_double import CpaDouble


def panel_setup(app: App, origin: str, cpa_url: str, key: str):
    """What the upstream panel sends: a preflight, then JSON with no Authorization header."""
    preflight = call("OPTIONS", f"{app.base_url}/setup", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"})
    assert preflight.status == 204 and preflight.headers["access-control-allow-origin"] == "*"
    return call("POST", f"{app.base_url}/setup", headers={"Origin": origin},
                json_body={"cpaBaseUrl": cpa_url, "managementKey": key})


def config_checks(cpa: CpaDouble) -> int:
    return sum(1 for r in cpa.recorded() if r.path == "/v0/management/config")


@pytest.mark.parametrize("origin", ["http://127.0.0.1:8317", "http://localhost:8317", "http://192.168.1.20:8317",
                                    "http://10.0.0.5:8317", "http://[fd00::7]:8317"])
def test_first_setup_from_this_machine_or_the_lan(start_app: Callable[..., App], cpa: CpaDouble, origin: str) -> None:
    app = start_app()
    reply = panel_setup(app, origin, cpa.base_url, KEY)
    assert reply.status == 200, reply.body
    assert reply.json["upstream"] == cpa.base_url and app.controller.is_configured


@pytest.mark.parametrize("origin", ["http://evil.example", "http://93.184.216.34:8317", "http://203.0.113.5", "null"])
def test_first_setup_from_a_public_origin_is_refused(start_app: Callable[..., App], cpa: CpaDouble,
                                                     origin: str) -> None:
    app = start_app()
    checks = config_checks(cpa)
    reply = call("POST", f"{app.base_url}/setup", headers={"Origin": origin},
                 json_body={"cpaBaseUrl": cpa.base_url, "managementKey": KEY})
    assert_error(reply, 403, "Cross-origin request")
    assert not app.controller.is_configured and config_checks(cpa) == checks


def test_later_setup_from_any_origin_needs_the_saved_key_in_the_body(start_app: Callable[..., App],
                                                                      cpa: CpaDouble) -> None:
    app = start_app()
    assert panel_setup(app, "http://127.0.0.1:8317", cpa.base_url, KEY).status == 200
    # CPA panel mode on a public address, same key: accepted (nothing changed, CPA not asked again).
    again = panel_setup(app, "https://cpa.example.com", cpa.base_url, KEY)
    assert again.status == 200 and again.json["changed"] is False
    # A wrong key is refused at the door, from the LAN too once a setup exists: CPA never sees it.
    for origin in ("https://cpa.example.com", "http://192.168.1.20:8317"):
        assert_error(panel_setup(app, origin, cpa.base_url, "wrong-key"), 403, "Cross-origin request")
    assert not [r for r in cpa.recorded() if "wrong-key" in str(getattr(r, "headers", ""))]


def test_status_before_setup_gives_no_paths_to_another_origin(start_app: Callable[..., App], cpa: CpaDouble) -> None:
    app = start_app()
    foreign = call("GET", f"{app.base_url}/status", headers={"Origin": "http://192.168.1.20:8317"})
    assert foreign.status == 200 and foreign.json["paths"] is None
    assert str(app.settings.data_dir) not in foreign.body.decode()
    own = call("GET", f"{app.base_url}/status", headers={"Origin": app.base_url})
    assert own.json["paths"]["data"] == str(app.settings.data_dir)
    assert panel_setup(app, "http://127.0.0.1:8317", cpa.base_url, KEY).status == 200
    keyed = call("GET", f"{app.base_url}/status", key=KEY, headers={"Origin": "http://192.168.1.20:8317"})
    assert keyed.json["paths"]["data"] == str(app.settings.data_dir)
