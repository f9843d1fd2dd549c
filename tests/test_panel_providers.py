"""The Client API keys and AI providers pages in Chromium, against the real server and the CPA double (v7 and v8).

Every write is checked in the double's own state (its config file, its names file, its /api-call log), so a
page that shows success without CPA having the change fails here. Needs the built panel
(`cd panel && npm run build`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser import TIMEOUT_MS, VIEWPORT, go_to, log_in, panel_url, wait_stored
from tests.client import call
from tests.conftest import CPA_KEY as KEY
from tests.conftest import wait_until
from tests.cpa_double import CpaDouble, make_record
from tests.cpa_double.api_call import UpstreamDown
from tests.cpa_double.client_keys import read_names
from tests.cpa_double.quota_upstream import is_quota_call

PANEL = Path(__file__).resolve().parents[1] / "assets" / "management.html"
VERSIONS = {"v7": "v7.2.140", "v8": "v8.0.47"}
# (family, label on the page); Meta is a v8 family.
FAMILIES = [
    ("gemini-api-key", "Gemini"),
    ("codex-api-key", "Codex"),
    ("claude-api-key", "Claude"),
    ("vertex-api-key", "Vertex"),
    ("xai-api-key", "xAI"),
    ("interactions-api-key", "Gemini Interactions"),
    ("openai-compatibility", "OpenAI-compatible"),
]
UPSTREAM = "https://upstream.example/v1"


@pytest.fixture(params=list(VERSIONS), name="double")
def double_fixture(request: pytest.FixtureRequest) -> Iterator[CpaDouble]:
    """A CPA double of each version, with two client keys."""
    cpa = CpaDouble(KEY, version=VERSIONS[request.param]).start()
    put(cpa, "/api-keys", ["sk-client-one-0001", "sk-client-two-0002"])
    yield cpa
    cpa.stop()


def state(cpa: CpaDouble, path: str) -> Any:
    """What the double holds now, read through its own management API."""
    reply = call("GET", f"{cpa.base_url}/v0/management{path}", key=KEY)
    assert reply.status == 200, reply
    return reply.json[path.strip("/")]


def put(cpa: CpaDouble, path: str, body: Any) -> None:
    reply = call("PUT", f"{cpa.base_url}/v0/management{path}", key=KEY, json_body=body)
    assert reply.status == 200, reply


def entries(cpa: CpaDouble, family: str) -> list[dict[str, Any]]:
    return state(cpa, f"/{family}") or []


def open_page(page: Page, app_url: str, route: str, heading: str) -> None:
    log_in(page, app_url, KEY)
    page.goto(panel_url(app_url, route))
    expect(page.get_by_role("heading", level=1, name=heading, exact=True)).to_be_visible()


def family_section(page: Page, label: str) -> Locator:
    return page.get_by_role("region", name=re.compile(f"^{re.escape(label)} \\(\\d+\\)$"))


def app_for(start_app, cpa: CpaDouble):
    return start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"})


# --- client API keys ---------------------------------------------------------------------------------------


def test_client_keys_add_rename_delete(page: Page, start_app, double: CpaDouble) -> None:
    app = app_for(start_app, double)
    open_page(page, app.base_url, "keys", "Client API keys")
    keys_list = page.get_by_role("list", name="2 keys")
    expect(keys_list.get_by_role("listitem")).to_have_count(2)
    # Masked, and revealed on request.
    expect(keys_list.get_by_text("sk-…0001", exact=True)).to_be_visible()
    page.get_by_role("button", name="Reveal: Key 1").click()
    expect(keys_list.get_by_text("sk-client-one-0001", exact=True)).to_be_visible()

    add = page.get_by_role("form", name="Add a key")
    add.get_by_role("button", name="Generate").click()
    new_key = add.get_by_label("Key", exact=True).input_value()
    assert re.fullmatch(r"sk-[0-9A-Za-z]{48}", new_key)
    if double.is_v8:
        add.get_by_label("Display name").fill("Team laptop")
    add.get_by_role("button", name="Add key").click()
    expect(page.get_by_role("list", name="3 keys")).to_be_visible()
    assert state(double, "/api-keys") == ["sk-client-one-0001", "sk-client-two-0002", new_key]
    digest = hashlib.sha256(new_key.encode()).hexdigest()
    if double.is_v8:
        assert read_names(double) == {digest: "Team laptop"}
        expect(page.get_by_text("Team laptop", exact=True)).to_be_visible()
        # Rename: only the name changes, the key list is not rewritten.
        page.get_by_role("button", name="Edit: Key 3").click()
        edit = page.get_by_role("form", name="Edit key 3")
        edit.get_by_label("Display name").fill("CI runner")
        edit.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Name saved in CPA.")).to_be_visible()
        assert read_names(double) == {digest: "CI runner"}
    else:
        expect(page.get_by_label("Display name")).to_have_count(0)

    page.get_by_role("button", name="Delete: Key 1").click()
    page.get_by_role("button", name="Delete key", exact=True).click()
    expect(page.get_by_role("list", name="2 keys")).to_be_visible()
    assert state(double, "/api-keys") == ["sk-client-two-0002", new_key]


def test_a_key_list_changed_elsewhere_is_not_overwritten(page: Page, start_app, double: CpaDouble) -> None:
    app = app_for(start_app, double)
    open_page(page, app.base_url, "keys", "Client API keys")
    expect(page.get_by_role("list", name="2 keys")).to_be_visible()
    put(double, "/api-keys", ["sk-client-one-0001", "sk-client-two-0002", "sk-from-elsewhere-3"])

    page.get_by_role("button", name="Delete: Key 2").click()
    page.get_by_role("button", name="Delete key", exact=True).click()
    expect(page.get_by_text("The key list changed in CPA")).to_be_visible()
    assert state(double, "/api-keys") == ["sk-client-one-0001", "sk-client-two-0002", "sk-from-elsewhere-3"]
    page.get_by_role("button", name="Re-apply my change").click()
    expect(page.get_by_role("list", name="2 keys")).to_be_visible()
    assert state(double, "/api-keys") == ["sk-client-one-0001", "sk-from-elsewhere-3"]


# --- provider families ---------------------------------------------------------------------------------------


def fill_new_entry(form: Locator, family: str, api_key: str) -> None:
    if family == "openai-compatibility":
        form.get_by_label("Provider name", exact=True).fill("added")
        form.get_by_label("API key 1", exact=True).fill(api_key)
    else:
        form.get_by_label("API key", exact=True).fill(api_key)
    form.get_by_label("Prefix", exact=True).fill("team")


def index_of(cpa: CpaDouble, family: str, api_key: str) -> int:
    for i, entry in enumerate(entries(cpa, family)):
        keys = [k.get("api-key") for k in entry.get("api-key-entries") or []] or [entry.get("api-key")]
        if api_key in keys:
            return i
    raise AssertionError(f"{api_key} is not in {family}")


def card_label(family: str, label: str, index: int) -> str:
    return f"{label} added" if family == "openai-compatibility" else f"{label} key {index + 1}"


def check_family(page: Page, cpa: CpaDouble, family: str, label: str) -> None:
    before = entries(cpa, family)
    section = family_section(page, label)
    section.get_by_role("button", name=f"Add a {label} key").click()
    form = section.get_by_role("form", name=f"Add a {label} key")
    api_key = f"sk-added-{family}-0123456789"
    fill_new_entry(form, family, api_key)
    if family in ("codex-api-key", "xai-api-key", "openai-compatibility"):
        # CPA would drop this entry silently: the page refuses and says why.
        form.get_by_role("button", name="Save", exact=True).click()
        expect(form).to_contain_text(f"CPA silently drops {label} entries without a base URL")
        assert entries(cpa, family) == before
    form.get_by_label("Base URL", exact=True).fill(UPSTREAM)
    form.get_by_role("button", name="Save", exact=True).click()
    expect(section.get_by_text(f"Saved in CPA ({label}).")).to_be_visible()
    after = entries(cpa, family)
    assert len(after) == len(before) + 1
    added = after[index_of(cpa, family, api_key)]
    assert (added["prefix"], added["base-url"]) == ("team", UPSTREAM)

    name = card_label(family, label, index_of(cpa, family, api_key))
    section.get_by_role("button", name=f"Edit: {name}").click()
    edit = section.get_by_role("form", name=f"Edit {name}")
    edit.get_by_label("Prefix", exact=True).fill("team2")
    edit.get_by_role("button", name="Save", exact=True).click()
    expect(section.get_by_role("listitem", name=name)).to_contain_text("team2")
    assert entries(cpa, family)[index_of(cpa, family, api_key)]["prefix"] == "team2"

    section.get_by_role("button", name=f"Delete: {name}").click()
    section.get_by_role("button", name="Delete", exact=True).click()
    wait_until(lambda: len(entries(cpa, family)) == len(before), 10, f"{family} entry deleted")
    expect(section.get_by_role("listitem", name=name)).to_have_count(0)
    assert [e.get("api-key") for e in entries(cpa, family)] == [e.get("api-key") for e in before]


def test_each_provider_family_add_edit_delete(page: Page, start_app, double: CpaDouble) -> None:
    app = app_for(start_app, double)
    open_page(page, app.base_url, "providers", "AI providers")
    families = FAMILIES + ([("meta-api-key", "Meta")] if double.is_v8 else [])
    for family, label in families:
        check_family(page, double, family, label)
    # Ampcode is only offered while CPA still serves its routes (before v7.2.0).
    expect(page.get_by_role("heading", name="Ampcode")).to_have_count(0)


def test_discovery_and_connectivity_test_go_through_api_call(page: Page, start_app, double: CpaDouble) -> None:
    put(double, "/codex-api-key", [{"api-key": "sk-dead-host-key-9999", "base-url": "https://dead.example/v1"}])
    fake = double.upstream

    def upstream(method: str, url: str, headers: dict[str, str], data: str) -> Any:
        if "dead.example" in url:
            raise UpstreamDown("dead.example")
        return fake(method, url, headers, data)

    double.upstream = upstream
    app = app_for(start_app, double)
    open_page(page, app.base_url, "providers", "AI providers")
    compat = family_section(page, "OpenAI-compatible")
    compat.get_by_role("button", name="Test connection: OpenAI-compatible x").click()
    listed_ok = re.compile(r"Upstream answered HTTP 200 in \d+ ms; \d+ models listed")
    expect(compat.get_by_role("status")).to_contain_text(listed_ok)
    # The browser sent $TOKEN$ and the credential's auth_index; CPA put the key in.
    entry = entries(double, "openai-compatibility")[0]
    # The quota collector may poll the canned credentials meanwhile; those calls are not the panel's.
    call_made = [c for c in double.api_calls if not is_quota_call(c.url)][-1]
    assert call_made.auth_index == entry["api-key-entries"][0]["auth-index"]
    assert call_made.headers["Authorization"] == f"Bearer {entry['api-key-entries'][0]['api-key']}"

    codex = family_section(page, "Codex")
    codex.get_by_role("button", name="Test connection: Codex key 1").click()
    expect(codex.get_by_role("status")).to_contain_text("CPA could not make the call: request failed")

    compat.get_by_role("button", name="Edit: OpenAI-compatible x").click()
    form = compat.get_by_role("form", name="Edit OpenAI-compatible x")
    form.get_by_role("button", name="Fetch models").click()
    add_all = form.get_by_role("button", name=re.compile(r"^Add (all \d+ new models|the 1 new model)$"))
    add_all.click()
    form.get_by_role("button", name="Save", exact=True).click()
    expect(compat.get_by_text("Saved in CPA (OpenAI-compatible).")).to_be_visible()
    upstream_list = double.upstream("GET", f"{entry['base-url']}/models", {"Authorization": "Bearer k"}, "")[2]
    listed = {m["id"] for m in json.loads(upstream_list)["data"]}
    saved = {m["name"] for m in entries(double, "openai-compatibility")[0]["models"]}
    assert listed <= saved and listed

    # CPA's own catalogue, for when the upstream cannot list its models.
    catalogue = call("GET", f"{double.base_url}/v0/management/model-definitions/claude", key=KEY).json["models"]
    claude = family_section(page, "Claude")
    claude.get_by_role("button", name="Edit: Claude key 1").click()
    claude_form = claude.get_by_role("form", name="Edit Claude key 1")
    claude_form.get_by_role("button", name="CPA's model list").click()
    offered = claude_form.get_by_role("list", name="Models the upstream offers").get_by_role("listitem")
    expect(offered).to_have_count(len({m["id"] for m in catalogue}))


def test_two_tabs_editing_the_providers_lose_nothing(browser: Browser, start_app, double: CpaDouble) -> None:
    app = app_for(start_app, double)
    context = browser.new_context(locale="en-US", timezone_id="UTC", viewport=VIEWPORT)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        first, second = context.new_page(), context.new_page()
        # The Management Key lives in each tab's session, so each tab signs in.
        open_page(first, app.base_url, "providers", "AI providers")
        open_page(second, app.base_url, "providers", "AI providers")
        expect(family_section(second, "Gemini").get_by_role("listitem")).to_have_count(1)

        edit_prefix(first, "Gemini", "Gemini key 1", "from-first")
        expect(family_section(first, "Gemini").get_by_text("Saved in CPA (Gemini).")).to_be_visible()
        # The second tab still shows the old Gemini list; its Claude edit keeps the first tab's change.
        edit_prefix(second, "Claude", "Claude key 1", "from-second")
        expect(family_section(second, "Claude").get_by_text("Saved in CPA (Claude).")).to_be_visible()
        assert entries(double, "gemini-api-key")[0]["prefix"] == "from-first"
        assert entries(double, "claude-api-key")[0]["prefix"] == "from-second"

        # Both edit the same Gemini entry: the stale tab is refused, nothing is overwritten...
        second.get_by_role("button", name="Reload").click()
        expect(family_section(second, "Gemini")).to_contain_text("from-first")
        edit_prefix(first, "Gemini", "Gemini key 1", "first-again")
        expect(family_section(first, "Gemini").get_by_text("Saved in CPA (Gemini).")).to_be_visible()
        edit_prefix(second, "Gemini", "Gemini key 1", "second-again")
        gemini = family_section(second, "Gemini")
        expect(gemini.get_by_text("this entry was changed in CPA")).to_be_visible()
        assert entries(double, "gemini-api-key")[0]["prefix"] == "first-again"
        # ...until the user re-applies the edit to CPA's current entry.
        gemini.get_by_role("button", name="Re-apply my edit").click()
        expect(gemini.get_by_text("Saved in CPA (Gemini).")).to_be_visible()
        assert entries(double, "gemini-api-key")[0]["prefix"] == "second-again"
        assert entries(double, "claude-api-key")[0]["prefix"] == "from-second"
    finally:
        context.close()


def edit_prefix(page: Page, family_label: str, card: str, prefix: str) -> None:
    section = family_section(page, family_label)
    section.get_by_role("button", name=f"Edit: {card}").click()
    form = section.get_by_role("form", name=f"Edit {card}")
    form.get_by_label("Prefix", exact=True).fill(prefix)
    form.get_by_role("button", name="Save", exact=True).click()


def test_key_health_comes_from_the_usage_data(page: Page, start_app, double: CpaDouble) -> None:
    gemini = entries(double, "gemini-api-key")[0]
    now = datetime.now(UTC).replace(microsecond=0)
    records = []
    for i, failed in enumerate([False, False, True]):
        record = make_record(provider="claude", model="claude-sonnet-4", seq=i, failed=failed, status_code=429,
                             request_id=f"health-{i}", timestamp=now - timedelta(minutes=10 - i), auth_type="apikey")
        record["auth_index"] = gemini["auth-index"]
        records.append(record)
    double.enqueue(*records)
    app = app_for(start_app, double)
    wait_stored(app.base_url, KEY, 3)
    open_page(page, app.base_url, "providers", "AI providers")
    card = family_section(page, "Gemini").get_by_role("listitem", name="Gemini key 1")
    expect(card).to_contain_text("3 requests, 1 failed in 24 h. Last error: HTTP 429")
    card.get_by_role("button", name="Why?").click()
    expect(card).to_contain_text("rate_limit_error")
    expect(family_section(page, "Claude").get_by_role("listitem", name="Claude key 1")).to_contain_text(
        "No requests in 24 h")


def test_ampcode_is_offered_while_cpa_serves_it(page: Page, start_app) -> None:
    cpa = CpaDouble(KEY, version="v7.1.9").start()
    try:
        app = app_for(start_app, cpa)
        open_page(page, app.base_url, "providers", "AI providers")
        form = page.get_by_role("form", name="Ampcode")
        form.get_by_label("Upstream URL").fill("https://amp.example")
        form.get_by_role("button", name="Add mapping").click()
        form.get_by_label("From model 1").fill("amp-default")
        form.get_by_label("To model 1").fill("claude-sonnet-4")
        form.get_by_role("button", name="Save Ampcode").click()
        expect(page.get_by_text("Saved in CPA (Ampcode).")).to_be_visible()
        ampcode = call("GET", f"{cpa.base_url}/v0/management/ampcode", key=KEY).json["ampcode"]
        assert ampcode["upstream-url"] == "https://amp.example"
        assert ampcode["model-mappings"] == [{"from": "amp-default", "to": "claude-sonnet-4"}]
    finally:
        cpa.stop()


# --- CPA panel mode -----------------------------------------------------------------------------------------


def test_keys_and_providers_pages_in_cpa_panel_mode(page: Page, double: CpaDouble) -> None:
    double.management_html = PANEL.read_bytes()
    page.goto(f"{double.base_url}/management.html")
    page.get_by_label("Management Key", exact=True).fill(KEY)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Dashboard", exact=True)).to_be_visible()

    go_to(page, "Client API keys", "Client API keys")
    add = page.get_by_role("form", name="Add a key")
    add.get_by_label("Key", exact=True).fill("sk-panel-mode-key-42")
    add.get_by_role("button", name="Add key").click()
    expect(page.get_by_role("list", name="3 keys")).to_be_visible()
    assert state(double, "/api-keys")[-1] == "sk-panel-mode-key-42"

    go_to(page, "AI providers", "AI providers")
    no_service = "No usage service is connected, so requests and failures per key are not shown."
    expect(page.get_by_text(no_service)).to_be_visible()
    gemini = family_section(page, "Gemini")
    expect(gemini.get_by_role("listitem", name="Gemini key 1")).to_contain_text("No usage service: health unknown")
    check_family(page, double, "gemini-api-key", "Gemini")


# --- Request Monitoring uses the names ---------------------------------------------------------------------


def test_monitoring_names_api_keys_with_cpa_v8_names(page: Page, start_app) -> None:
    cpa = CpaDouble(KEY, version=VERSIONS["v8"]).start()
    try:
        keys = ["sk-client-alpha-0001", "sk-client-beta-0002"]
        put(cpa, "/api-keys", keys)
        reply = call("PATCH", f"{cpa.base_url}/v8/management/access/api-key-names", key=KEY,
                     json_body={"names": {hashlib.sha256(keys[0].encode()).hexdigest(): "Team laptop"}})
        assert reply.status == 200, reply
        now = datetime.now(UTC).replace(microsecond=0)
        cpa.enqueue(*[make_record(api_key=keys[i % 2], seq=i, request_id=f"named-{i}",
                                  timestamp=now - timedelta(minutes=i + 1)) for i in range(4)])
        app = app_for(start_app, cpa)
        wait_stored(app.base_url, KEY, 4)
        open_page(page, app.base_url, "monitoring", "Request monitoring")
        breakdown = page.get_by_role("region", name="Breakdown")
        breakdown.get_by_role("group", name="Group by").get_by_role("button", name="API key").click()
        names = breakdown.locator("tbody td:first-child")
        expect(names).to_have_count(2)
        labels = names.all_inner_texts()
        assert sum(label.startswith("Team laptop (") for label in labels) == 1, labels
        key_filter = page.get_by_role("combobox", name="API key")
        expect(key_filter.locator("option", has_text="Team laptop (")).to_have_count(1)
    finally:
        cpa.stop()
