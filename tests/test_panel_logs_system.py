"""The built panel's Logs and System pages and the dashboard's CPA cards, in Chromium, against the real
server and the CPA double as v7 and as v8 (whose log routes live under /v8/management/observability/logs).

Build the panel first (`cd panel && npm run build`): the tests serve assets/management.html.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from cpa_manager_desktop.app import App
from cpa_manager_desktop.logs import LOG_FILE_NAME
from tests.browser import go_to, log_in, wait_stored
from tests.client import call
from tests.conftest import CPA_KEY as KEY
from tests.cpa_double import CpaDouble, make_record
from tests.cpa_double.config_text import BCRYPT_PLACEHOLDER
from tests.cpa_double.records import SECRET_VALUES
from tests.cpa_double.routes import MODELS

VERSIONS = ["v7.2.140", "8.0.47"]


@pytest.fixture(params=VERSIONS)
def double(request: pytest.FixtureRequest) -> Iterator[CpaDouble]:
    cpa = CpaDouble(KEY, version=request.param, api_keys=["sk-client-alpha-0001", "sk-client-beta-0002"]).start()
    yield cpa
    cpa.stop()


def collecting_app(start_app: Callable[..., App], cpa: CpaDouble) -> App:
    return start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"})


def set_cpa(cpa: CpaDouble, setting: str, value: object) -> None:
    reply = call("PUT", f"{cpa.base_url}/v0/management/{setting}", key=KEY, json_body={"value": value})
    assert reply.status == 200, reply.body


def viewer(page: Page) -> Locator:
    return page.get_by_role("log", name="CPA log lines")


def open_logs(page: Page, app: App) -> None:
    log_in(page, app.base_url, KEY)
    go_to(page, "Logs", "Logs")


def log_paths(cpa: CpaDouble) -> set[str]:
    return {r.path for r in cpa.recorded() if r.path.endswith("/logs") and r.method == "GET"}


def test_file_logging_off_is_fixed_in_one_click_and_follow_mode_picks_up_new_lines(
        page: Page, start_app, double: CpaDouble) -> None:
    double.logs.log("info", "API server started on :8317")
    app = collecting_app(start_app, double)
    open_logs(page, app)
    expect(page.get_by_text("File logging is off")).to_be_visible()
    expect(viewer(page)).to_have_count(0)

    page.get_by_role("button", name="Turn on file logging").click()
    expect(viewer(page)).to_contain_text("API server started on :8317")
    assert double.settings["logging-to-file"] is True
    want = "/v8/management/observability/logs" if double.is_v8 else "/v0/management/logs"
    assert log_paths(double) == {want}

    page.get_by_label("Every").select_option("1")
    page.get_by_label("Follow new lines").check()
    double.logs.log("warn", "credential cooling down after 429", "a1b2c3d4")
    expect(viewer(page)).to_contain_text("credential cooling down after 429")
    expect(page.get_by_text("Showing 2 of 2 lines")).to_be_visible()
    # Follow reads only what is new: every read after the first sent the cursor CPA handed out.
    reads = [r for r in double.recorded() if r.path == want]
    assert "cursor=" not in reads[0].query and all("cursor=" in r.query for r in reads[1:])


def test_filters_highlight_and_hide_management_traffic(page: Page, start_app) -> None:
    cpa = CpaDouble(KEY).start()
    try:
        set_cpa(cpa, "logging-to-file", True)
        cpa.logs.log("info", '200 | 1.2ms | 127.0.0.1 | GET "/v0/management/config"')
        cpa.logs.log("info", '200 | 830ms | 127.0.0.1 | POST "/v1/chat/completions"', "c0ffee12")
        cpa.logs.log("error", "upstream 500 from codex for alice@example.com", "deadbeef")
        cpa.logs.log("debug", "refreshing token")
        app = collecting_app(start_app, cpa)
        open_logs(page, app)
        expect(page.get_by_text("Showing 4 of 4 lines")).to_be_visible()

        page.get_by_label("Hide management traffic").check()
        expect(page.get_by_text("Showing 3 of 4 lines")).to_be_visible()
        expect(viewer(page)).not_to_contain_text("/v0/management/config")

        page.get_by_label("Search").fill("CODEX")
        expect(page.get_by_text("Showing 1 of 4 lines")).to_be_visible()
        expect(viewer(page).locator("mark")).to_have_text("codex")

        page.get_by_label("Search").fill("")
        page.get_by_role("group", name="Filters").get_by_label("Info", exact=True).uncheck()
        page.get_by_role("group", name="Filters").get_by_label("Debug", exact=True).uncheck()
        expect(page.get_by_text("Showing 1 of 4 lines")).to_be_visible()
        expect(viewer(page)).to_contain_text("upstream 500")

        with page.expect_download() as download:
            page.get_by_role("button", name="Download shown lines").click()
        saved = download.value.path().read_text()
        assert saved.count("\n") == 1 and "upstream 500 from codex" in saved
    finally:
        cpa.stop()


def test_a_cursor_reset_replaces_the_view(page: Page, start_app, double: CpaDouble) -> None:
    set_cpa(double, "logging-to-file", True)
    for i in range(3):
        double.logs.log("info", f"before rotation {i}")
    app = collecting_app(start_app, double)
    open_logs(page, app)
    expect(viewer(page)).to_contain_text("before rotation 2")
    page.get_by_label("Every").select_option("1")
    page.get_by_label("Follow new lines").check()

    double.logs.rotate()
    double.logs.log("error", "after rotation")
    expect(viewer(page)).to_contain_text("after rotation")
    expect(viewer(page)).not_to_contain_text("before rotation")
    expect(page.get_by_text("CPA started a new log file")).to_be_visible()
    expect(page.get_by_text("Showing 1 of 1 lines")).to_be_visible()


def test_clear_asks_before_it_acts(page: Page, start_app, double: CpaDouble) -> None:
    set_cpa(double, "logging-to-file", True)
    double.logs.log("info", "keep me until asked")
    double.logs.rotate()
    double.logs.log("info", "the newest line")
    app = collecting_app(start_app, double)
    open_logs(page, app)
    expect(viewer(page)).to_contain_text("the newest line")

    def deletes() -> int:
        return len([r for r in double.recorded() if r.method == "DELETE"])

    page.get_by_role("button", name="Clear CPA's logs").click()
    expect(page.get_by_text("Clear CPA's log files?")).to_be_visible()
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_text("Clear CPA's log files?")).to_have_count(0)
    assert deletes() == 0 and double.logs.read_main() != b""

    page.get_by_role("button", name="Clear CPA's logs").click()
    page.get_by_role("button", name="Clear the logs").click()
    expect(page.get_by_text("Logs cleared (1 rotated file removed).")).to_be_visible()
    assert deletes() == 1 and double.logs.read_main() == b""
    expect(page.get_by_text("No lines yet.")).to_be_visible()


def test_an_error_log_file_downloads(page: Page, start_app, double: CpaDouble) -> None:
    name = "error-v1-chat-completions-2026-08-29T104000-bbbb2222.log"
    content = "=== REQUEST INFO ===\nURL: /v1/chat/completions\n=== RESPONSE ===\n502 upstream failed\n"
    double.logs.add_error_log(name, content)
    app = collecting_app(start_app, double)
    open_logs(page, app)
    with page.expect_download() as download:
        page.get_by_role("button", name=f"Download {name}").click()
    assert download.value.suggested_filename == name
    assert download.value.path().read_text() == content


def test_odd_lines_show_safely(page: Page, start_app) -> None:
    cpa = CpaDouble(KEY).start()
    try:
        set_cpa(cpa, "logging-to-file", True)
        cpa.logs.append(b"[2026-08-29 10:40:00] [--------] [info ] [x.go:1] bytes \xff\xfe here \x1b[31m")
        cpa.logs.append("[2026-08-29 10:40:01] [--------] [warn ] [x.go:2] huge " + "x" * 1_048_576)
        app = collecting_app(start_app, cpa)
        open_logs(page, app)
        expect(viewer(page)).to_contain_text("bytes \ufffd\ufffd here \ufffd[31m")
        page.get_by_role("button", name=re.compile(r"^Show all \(1,048,6\d\d characters\)$")).click()
        full = page.get_by_label("Full line")
        expect(full).to_contain_text("huge xxxx")
        assert len(full.inner_text()) > 1_048_576
    finally:
        cpa.stop()


def test_a_monitoring_row_links_to_its_request_log(page: Page, start_app, double: CpaDouble) -> None:
    set_cpa(double, "request-log", True)
    double.logs.add_request_log("c0ffee12", "=== REQUEST INFO ===\nrequest c0ffee12\n=== RESPONSE ===\n200\n")
    now = datetime.now(UTC).replace(microsecond=0)
    double.enqueue(make_record(request_id="c0ffee12", timestamp=now - timedelta(minutes=1)))
    app = collecting_app(start_app, double)
    wait_stored(app.base_url, KEY, 1)
    log_in(page, app.base_url, KEY)
    go_to(page, "Monitoring", "Request monitoring")
    page.get_by_role("link", name="Open the request log of c0ffee12").click()
    expect(page.get_by_role("heading", level=1, name="Logs")).to_be_visible()
    expect(page.get_by_label(re.compile(r"-c0ffee12\.log$"))).to_contain_text("request c0ffee12")
    want = "/v8/management/observability/logs/requests/c0ffee12" if double.is_v8 else \
        "/v0/management/request-log-by-id/c0ffee12"
    assert want in {r.path for r in double.recorded()}


# --- the dashboard's CPA cards -------------------------------------------------------------------------------


def card(page: Page, name: str) -> Locator:
    return page.get_by_role("region", name=name, exact=True)


def test_the_dashboards_cpa_cards_equal_the_doubles_counts(page: Page, start_app, double: CpaDouble) -> None:
    runtime = double.runtime_config()
    families = {"Gemini": "gemini-api-key", "Codex": "codex-api-key", "Claude": "claude-api-key"}
    want = {label: len(runtime[key] or []) for label, key in families.items()}
    want["OpenAI-compatible"] = sum(len(p["api-key-entries"]) for p in runtime["openai-compatibility"] or [])
    app = collecting_app(start_app, double)
    log_in(page, app.base_url, KEY)

    expect(card(page, "Client API keys").get_by_role("link")).to_have_text(str(len(double.api_keys)))
    providers = card(page, "Provider keys")
    expect(providers.get_by_role("link")).to_have_text(str(sum(want.values())))
    for label, count in want.items():
        expect(providers.get_by_role("listitem").filter(has_text=f"{label}:")).to_have_text(f"{label}: {count}")
    credentials = card(page, "Credentials")
    expect(credentials.get_by_role("link", name="2", exact=True)).to_be_visible()
    expect(credentials.get_by_role("link", name="0 with problems")).to_have_attribute(
        "href", "#/credentials?filter=problems")
    expect(card(page, "Models available").get_by_role("link")).to_have_text(str(len(MODELS)))
    pills = card(page, "Current config").get_by_role("link")
    expect(pills).to_have_text(["Debug: off", "File logging: off", "Retries: 3", "Proxy: none",
                                "Routing: round-robin"])
    assert {pills.nth(i).get_attribute("href") for i in range(5)} == {"#/config"}
    # One round: the config and the credentials once each, then the model list with a client key.
    models = [r for r in double.recorded() if r.path == "/v1/models"]
    assert models and models[0].headers["authorization"] == f"Bearer {double.api_keys[0]}"


def test_a_failing_cpa_call_greys_only_its_own_card(page: Page, start_app) -> None:
    cpa = CpaDouble(KEY, api_keys=[]).start()
    try:
        app = collecting_app(start_app, cpa)
        # The quota collector and the credential-name cache read /auth-files too, once each at start; queue
        # more failures than they can take so the panel's own read is refused whichever comes first.
        for _ in range(5):
            cpa.fail_next("GET", "/v0/management/auth-files", 500, {"error": "auth manager unavailable"})
        log_in(page, app.base_url, KEY)
        expect(card(page, "Credentials")).to_contain_text("Not available: auth manager unavailable")
        expect(card(page, "Client API keys").get_by_role("link")).to_have_text("0")
        expect(card(page, "Models available")).to_contain_text("only to a client API key")
        expect(page.get_by_role("heading", level=2, name="Requests per hour, last 24 hours")).to_be_visible()
    finally:
        cpa.stop()


# --- the System page -----------------------------------------------------------------------------------------


def test_the_system_page_shows_both_versions_and_an_available_update(page: Page, start_app, double: CpaDouble) -> None:
    double.latest_version = "v8.0.48" if double.is_v8 else "v7.2.141"
    app = collecting_app(start_app, double)
    log_in(page, app.base_url, KEY)
    go_to(page, "System", "System")
    versions = page.get_by_role("region", name="Versions")
    expect(versions).to_contain_text(double.version)
    expect(versions).to_contain_text("2026-08-22T09:41:07Z")
    expect(versions.get_by_text(f"Update available: {double.latest_version}")).to_be_visible()
    status = call("GET", f"{app.base_url}/status", key=KEY).json
    expect(versions).to_contain_text(f"CPA Manager{status['version']}")
    want = "/v8/management/server/latest-version" if double.is_v8 else "/v0/management/latest-version"
    assert want in {r.path for r in double.recorded()}
    models = page.get_by_role("region", name="Models CPA serves")
    expect(models).to_contain_text("8 models")
    expect(models.get_by_role("listitem")).to_have_count(8)
    service = page.get_by_role("region", name="Usage service")
    expect(service).to_contain_text(status["paths"]["data"])
    expect(service).to_contain_text(status["paths"]["logs"])


def test_an_offline_cpa_says_it_could_not_look_up_the_latest_release(page: Page, start_app) -> None:
    cpa = CpaDouble(KEY, latest_version=None, api_keys=[]).start()
    try:
        app = collecting_app(start_app, cpa)
        log_in(page, app.base_url, KEY)
        go_to(page, "System", "System")
        expect(page.get_by_role("region", name="Versions")).to_contain_text("CPA could not look it up")
        expect(page.get_by_role("region", name="Models CPA serves")).to_contain_text("only to a client API key")
    finally:
        cpa.stop()


def test_the_diagnostic_bundle_holds_none_of_the_doubles_secrets(page: Page, start_app) -> None:
    plain_client_key = "plainclientkey"
    cpa = CpaDouble(KEY, api_keys=["sk-client-alpha-0001", plain_client_key]).start()
    try:
        set_cpa(cpa, "proxy-url", "http://proxyuser:hunter2@proxy.local:3128")
        app = collecting_app(start_app, cpa)
        log_file = app.settings.log_dir / LOG_FILE_NAME
        log_file.parent.mkdir(parents=True, exist_ok=True)
        with log_file.open("a") as handle:
            handle.write(f"2026-12-05 10:00:00 INFO test: client {plain_client_key} and {KEY} seen\n")
        secrets = {*SECRET_VALUES, *cpa.api_keys, KEY, BCRYPT_PLACEHOLDER, "hunter2", "fake-access-token",
                   "fake-refresh-token"}
        config_text = cpa.read_config_text()
        assert {s for s in secrets if s in config_text} >= {plain_client_key, "hunter2"}

        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        log_in(page, app.base_url, KEY)
        go_to(page, "System", "System")
        with page.expect_download() as download:
            page.get_by_role("button", name="Copy diagnostic bundle").click()
        expect(page.get_by_text("Copied to the clipboard and saved as")).to_be_visible()
        saved = download.value.path().read_text()
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == saved
        leaked = sorted(s for s in secrets if s in saved)
        assert leaked == [], leaked
        bundle = json.loads(saved)
        assert bundle["versions"]["cpa"] == cpa.version and bundle["os"]["userAgent"]
        assert bundle["cpaConfig"]["request-retry"] == 3 and bundle["status"]["configured"] is True
        assert any("client [redacted] and" in line for line in bundle["ourLog"]["lines"])
        assert bundle["missing"] == {}
    finally:
        cpa.stop()
