"""The OAuth login page in Chromium against the real server and the CPA double (v7 per-provider routes, v8 unified
routes): a login to ok, to error and cancelled, the pasted callback, Vertex import, and the two OAuth model-map
editors. Needs a built panel (`cd panel && npm run build`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from cpa_manager_desktop.app import App
from tests.browser import go_to, log_in
from tests.conftest import CPA_KEY as KEY
from tests.cpa_double import CpaDouble

VERSIONS = ("v7.2.140", "v8.0.47")
POLL_S = 3.0  # the panel's status poll interval (features/oauth/logic.ts POLL_MS)


@pytest.fixture(params=VERSIONS)
def double(request: pytest.FixtureRequest) -> Iterator[CpaDouble]:
    cpa = CpaDouble(KEY, version=request.param).start()
    yield cpa
    cpa.stop()


def open_oauth(page: Page, start_app: Callable[..., App], cpa: CpaDouble) -> None:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"})
    log_in(page, app.base_url, KEY)
    go_to(page, "OAuth login", "OAuth login")


def card(page: Page, title: str) -> Locator:
    return page.get_by_role("region", name=title, exact=True)


def status_polls(cpa: CpaDouble, state: str) -> int:
    path = "/v8/management/oauth/status" if cpa.is_v8 else "/v0/management/get-auth-status"
    return sum(1 for r in cpa.recorded() if r.path == path and parse_qs(r.query).get("state") == [state])


def started_state(box: Locator) -> str:
    url = box.get_by_label("Login URL").input_value()
    return parse_qs(urlsplit(url).query)["state"][0]


def test_login_to_ok_saves_a_credential_and_highlights_it(page: Page, start_app, double: CpaDouble) -> None:
    open_oauth(page, start_app, double)
    box = card(page, "Codex (OpenAI)")
    box.get_by_role("button", name="Log in to Codex (OpenAI)").click()
    expect(box.get_by_label("Login URL")).to_have_value(re.compile(r"^https://auth\.openai\.com/oauth/authorize\?"))
    state = started_state(box)
    route = "/v8/management/oauth/auth-url" if double.is_v8 else "/v0/management/codex-auth-url"
    assert any(r.path == route for r in double.recorded())

    saved = double.oauth.complete(state, email="erin@example.com")
    expect(box.get_by_text("Login finished")).to_be_visible()
    box.get_by_role("link", name=f"Show {saved} in Credentials").click()
    expect(page.get_by_role("heading", level=1, name="Credentials")).to_be_visible()
    expect(page.get_by_role("listitem", name=saved, exact=True)).to_be_visible()
    assert f"highlight={saved}" in page.url.replace("%40", "@")


def test_login_error_shows_cpas_message_and_stops_polling(page: Page, start_app, double: CpaDouble) -> None:
    open_oauth(page, start_app, double)
    title = "Kimi (kimi.ai)" if double.is_v8 else "xAI (Grok)"
    box = card(page, title)
    box.get_by_role("button", name=f"Log in to {title}").click()
    expect(box.get_by_label("Code", exact=True)).to_be_visible()  # a device flow shows its user code
    [flow] = double.oauth.pending()
    double.oauth.fail(flow.state, "Authentication failed: access_denied")
    expect(box.get_by_role("alert")).to_contain_text("Authentication failed: access_denied")
    polls = status_polls(double, flow.state)
    # Absence can only be shown by waiting: one more poll interval must pass without a status request.
    page.wait_for_timeout(POLL_S * 1000 + 700)
    assert status_polls(double, flow.state) == polls


def test_cancel_ends_the_session_on_cpa_and_polling(page: Page, start_app, double: CpaDouble) -> None:
    open_oauth(page, start_app, double)
    box = card(page, "Claude (Anthropic)")
    box.get_by_role("button", name="Log in to Claude (Anthropic)").click()
    state = started_state(box)
    box.get_by_role("button", name="Cancel login").click()
    expect(box.get_by_text("Login cancelled; CPA dropped the pending session.")).to_be_visible()
    session = "/v8/management/oauth/session" if double.is_v8 else "/v0/management/oauth-session"
    deadline_polls = status_polls(double, state)
    page.wait_for_timeout(POLL_S * 1000 + 700)
    assert [r.method for r in double.recorded() if r.path == session] == ["DELETE"]
    assert double.oauth.cancelled == [state]
    assert status_polls(double, state) == deadline_polls


def test_pasted_callback_finishes_the_login(page: Page, start_app, double: CpaDouble) -> None:
    open_oauth(page, start_app, double)
    box = card(page, "Antigravity")
    box.get_by_role("button", name="Log in to Antigravity").click()
    state = started_state(box)
    box.get_by_label("Callback URL").fill(f"http://localhost:51121/oauth-callback?code=abc123&state={state}")
    box.get_by_role("button", name="Send callback").click()
    expect(box.get_by_text("Login finished")).to_be_visible()
    path = "/v8/management/oauth/callback" if double.is_v8 else "/v0/management/oauth-callback"
    [sent] = [r for r in double.recorded() if r.path == path]
    assert sent.json() == {"provider": "antigravity",
                           "redirect_url": f"http://localhost:51121/oauth-callback?code=abc123&state={state}"}
    assert any(n.startswith("antigravity-") for n in double.credentials.names())


def test_vertex_import_with_a_region(page: Page, start_app, double: CpaDouble) -> None:
    open_oauth(page, start_app, double)
    box = card(page, "Vertex service account")
    account = {"type": "service_account", "project_id": "acme-prod",
               "client_email": "bot@acme-prod.iam.gserviceaccount.com",
               "private_key": "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n"}
    box.get_by_label("Service-account JSON file").set_input_files(
        {"name": "sa.json", "mimeType": "application/json", "buffer": json.dumps(account).encode()})
    box.get_by_label("Region").fill("europe-west4")
    box.get_by_role("button", name="Import").click()
    expect(box.get_by_role("status")).to_contain_text("Service account imported")
    expect(box).to_contain_text("acme-prod")
    expect(box.get_by_role("link", name="vertex-acme-prod.json")).to_be_visible()
    stored = json.loads(double.credentials.raw("vertex-acme-prod.json"))
    assert (stored["type"], stored["location"], stored["project_id"]) == ("vertex", "europe-west4", "acme-prod")


def test_excluded_models_and_alias_edits_are_saved(page: Page, start_app, double: CpaDouble) -> None:
    open_oauth(page, start_app, double)
    excluded = page.get_by_role("region", name="OAuth excluded models")
    excluded.get_by_label("Provider").fill("claude")
    excluded.get_by_label("Excluded models for claude").fill("Claude-Opus-*\nclaude-haiku-4-5-20251001")
    excluded.get_by_role("button", name="Save excluded models").click()
    expect(excluded.get_by_role("status")).to_have_text("Saved 2 patterns for claude.")
    assert double.config.legacy()["oauth-excluded-models"] == {"claude": ["claude-opus-*", "claude-haiku-4-5-20251001"]}

    aliases = page.get_by_role("region", name="OAuth model aliases")
    aliases.get_by_role("button", name="Add alias").click()
    aliases.get_by_label("Model, row 1").fill("gpt-5.4")
    aliases.get_by_label("Alias, row 1").fill("gpt-5.4")
    expect(aliases.get_by_text("Row 1: the alias must differ from the model name.")).to_be_visible()
    expect(aliases.get_by_role("button", name="Save aliases")).to_be_disabled()
    aliases.get_by_label("Alias, row 1").fill("fast")
    aliases.get_by_role("button", name="Save aliases").click()
    expect(aliases.get_by_role("status")).to_have_text("Saved 1 alias for codex.")
    assert double.config.legacy()["oauth-model-alias"] == {"codex": [{"name": "gpt-5.4", "alias": "fast"}]}


def test_the_cards_follow_the_version_and_a_v8_plugin_provider_logs_in(
        page: Page, start_app, double: CpaDouble) -> None:
    double.oauth.plugin_providers.add("acme")
    open_oauth(page, start_app, double)
    v8_only = ("Kimi (kimi.ai)", "Devin", "Meta", "Plugin provider")
    for title in ("Codex (OpenAI)", "Claude (Anthropic)", "Antigravity", "xAI (Grok)", "Kimi (kimi.com)"):
        expect(card(page, title)).to_be_visible()
    for title in v8_only:
        expect(card(page, title)).to_have_count(1 if double.is_v8 else 0)
    if not double.is_v8:
        return
    box = card(page, "Plugin provider")
    box.get_by_label("Provider ID").fill("acme")
    box.get_by_role("button", name="Log in to acme").click()
    expect(box.get_by_label("Login URL")).to_have_value(re.compile(r"^https://acme\.example/oauth/authorize\?"))
    double.oauth.complete(started_state(box), email="plug@example.com")
    expect(box.get_by_text("Login finished")).to_be_visible()
    assert "acme-plug@example.com.json" in double.credentials.names()
