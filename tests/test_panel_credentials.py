"""The Credentials page in Chromium, against the real server and the CPA double in v7 and v8 modes.

Upload, enable/disable, download, delete, batch work with an injected failure, and our usage per credential
(joined by auth_index) checked against the records the double delivered. Needs a built panel
(`cd panel && npm run build`).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import pytest
from playwright.sync_api import Locator, Page, expect

from cpa_manager_desktop.app import App
from tests.browser import go_to, log_in, wait_stored
from tests.conftest import CPA_KEY as KEY
from tests.cpa_double import CpaDouble, make_record

VERSIONS = ("v7.2.140", "v8.0.47")


@pytest.fixture(params=VERSIONS)
def double(request: pytest.FixtureRequest) -> Iterator[CpaDouble]:
    cpa = CpaDouble(KEY, version=request.param).start()
    yield cpa
    cpa.stop()


def open_credentials(page: Page, start_app: Callable[..., App], cpa: CpaDouble) -> App:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"})
    log_in(page, app.base_url, KEY)
    go_to(page, "Credentials", "Credentials")
    return app


def row(page: Page, name: str) -> Locator:
    return page.get_by_role("listitem", name=name, exact=True)


def credential_paths(cpa: CpaDouble) -> tuple[str, str]:
    """The management path prefix and the credential route this version's panel uses."""
    return ("/v8/management", "/credentials") if cpa.is_v8 else ("/v0/management", "/auth-files")


def test_upload_three_files_one_invalid_then_disable_enable_download_delete(
        page: Page, start_app, double: CpaDouble) -> None:
    open_credentials(page, start_app, double)
    expect(row(page, "codex-alice@example.com.json")).to_be_visible()

    good_a = {"type": "codex", "email": "carol@example.com", "proxy-url": "http://proxy:3128", "access_token": "t1"}
    good_b = {"type": "claude", "email": "dave@example.com", "access_token": "t2"}
    page.get_by_label("Choose JSON files (or drop them here)").set_input_files([
        {"name": "codex-carol.json", "mimeType": "application/json", "buffer": json.dumps(good_a).encode()},
        {"name": "broken.json", "mimeType": "application/json", "buffer": b'{"type": "codex", '},
        {"name": "claude-dave.json", "mimeType": "application/json", "buffer": json.dumps(good_b).encode()},
    ])
    results = page.get_by_role("list", name="Upload results").get_by_role("listitem")
    expect(results).to_have_text(["codex-carol.json uploaded.",
                                  "broken.json was not uploaded: it is not valid JSON.",
                                  "claude-dave.json uploaded."])
    assert double.credentials.get("broken.json") is None
    # CPA re-saves what it registers: compact, keys sorted, legacy keys renamed, "disabled" added.
    assert double.credentials.raw("codex-carol.json") == (
        b'{"access_token":"t1","disabled":false,"email":"carol@example.com","proxy_url":"http://proxy:3128",'
        b'"type":"codex"}')
    prefix, route = credential_paths(double)
    uploads = [r for r in double.recorded() if r.method == "POST" and r.path == f"{prefix}{route}"]
    assert sorted(r.query for r in uploads) == ["name=claude-dave.json", "name=codex-carol.json"]

    carol = row(page, "codex-carol.json")
    expect(carol).to_contain_text("carol@example.com")
    carol.get_by_role("button", name="Disable", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="codex-carol.json is disabled.")).to_be_visible()
    expect(carol.get_by_role("button", name="Enable", exact=True)).to_be_visible()
    assert json.loads(double.credentials.raw("codex-carol.json"))["disabled"] is True
    assert double.credentials.entries("codex-carol.json")[0]["status"] == "disabled"
    carol.get_by_role("button", name="Enable", exact=True).click()
    expect(carol.get_by_role("button", name="Disable", exact=True)).to_be_visible()
    assert json.loads(double.credentials.raw("codex-carol.json"))["disabled"] is False

    with page.expect_download() as info:
        carol.get_by_role("button", name="Download codex-carol.json").click()
    download = info.value
    assert download.suggested_filename == "codex-carol.json"
    with open(download.path(), "rb") as handle:
        assert handle.read() == double.credentials.raw("codex-carol.json")

    carol.get_by_role("button", name="Delete", exact=True).click()
    dialog = page.get_by_role("dialog", name="Delete this credential?")
    expect(dialog).to_contain_text("codex-carol.json will be deleted")
    dialog.get_by_role("button", name="Delete", exact=True).click()
    expect(carol).to_have_count(0)
    assert double.credentials.get("codex-carol.json") is None
    assert double.credentials.get("claude-dave.json") is not None


def test_batch_disable_200_of_1000_with_one_failure_reports_it_and_undo_restores(
        page: Page, start_app, double: CpaDouble) -> None:
    double.credentials.clear()
    double.credentials.add_many(1000)  # 200 per provider
    codex = sorted(n for n in double.credentials.names() if n.startswith("codex-"))
    broken = codex[57]
    double.credentials.fail_for(broken, 500, "failed to save auth file: disk full")
    open_credentials(page, start_app, double)

    page.get_by_role("group", name="Providers").get_by_role("button", name=re.compile(r"^codex")).click()
    expect(page.get_by_text("200 of 1,000 shown")).to_be_visible()
    page.get_by_role("button", name="Select all shown (200)").click()
    expect(page.get_by_text("200 selected")).to_be_visible()
    batch = page.get_by_role("region", name="Selection and batch actions")
    batch.get_by_role("button", name="Disable", exact=True).click()

    report = page.get_by_role("region", name="Batch report")
    expect(report.get_by_role("progressbar")).to_be_visible()
    expect(report.get_by_role("status")).to_have_text("Disable: 199 succeeded, 1 failed, of 200.", timeout=30_000)
    expect(report.get_by_role("progressbar")).to_have_attribute("value", "200")
    expect(report.get_by_role("list", name="Failed items")).to_have_text(
        f"{broken}: failed to save auth file: disk full")
    report.get_by_text("Show the 199 that succeeded").click()
    succeeded = report.get_by_role("list", name="Succeeded items").get_by_role("listitem")
    expect(succeeded).to_have_count(199)
    assert broken not in succeeded.all_inner_texts()
    disabled = {n for n in double.credentials.names() if double.credentials.get(n).disabled}  # type: ignore[union-attr]
    assert disabled == set(codex) - {broken}
    prefix, route = credential_paths(double)
    status_calls = [r for r in double.recorded() if r.method == "PATCH" and r.path == f"{prefix}{route}/status"]
    assert len(status_calls) == 200

    report.get_by_role("button", name="Undo (199 credentials)").click()
    expect(report.get_by_role("status")).to_have_text("Enable: 199 succeeded, 0 failed, of 199.", timeout=30_000)
    assert not any(double.credentials.get(n).disabled for n in codex)  # type: ignore[union-attr]


def usage_records(cpa: CpaDouble, index: str, count: int, failed: set[int]) -> list[dict[str, Any]]:
    now = datetime.now(UTC).replace(microsecond=0)
    out = []
    for i in range(count):
        age = timedelta(hours=2 + i * 10)  # 2 h, 12 h, 22 h, 32 h, …: some inside 24 h, the rest inside 7 d
        rec = make_record(provider="codex", model="gpt-5.4", seq=i, failed=i in failed, request_id=f"use-{i:03d}",
                          timestamp=now - age, tokens={"input": 100 + i, "output": 10})
        rec["auth_index"] = index
        out.append(rec)
    return out


def test_usage_per_credential_equals_the_delivered_events(page: Page, start_app, double: CpaDouble) -> None:
    carol = double.credentials.add("codex-carol.json", {"type": "codex", "email": "carol@example.com"})
    recs = usage_records(double, carol.auth_index, 6, failed={1, 4})
    other = usage_records(double, double.credentials.entries("claude-bob@example.com.json")[0]["auth_index"], 2, set())
    for i, rec in enumerate(other):
        rec["request_id"] = f"other-{i}"
    double.enqueue(*recs, *other)
    app = open_credentials(page, start_app, double)
    wait_stored(app.base_url, KEY, len(recs) + len(other))
    page.get_by_role("button", name="Refresh", exact=True).click()

    day = [r for i, r in enumerate(recs) if 2 + i * 10 < 24]
    day_failed = sum(1 for i in range(len(recs)) if 2 + i * 10 < 24 and i in {1, 4})
    line = row(page, "codex-carol.json")
    day_tokens = sum(r["tokens"]["total_tokens"] for r in day)
    week_tokens = sum(r["tokens"]["total_tokens"] for r in recs)
    expect(line.get_by_role("group", name="24 h")).to_contain_text(
        f"{len(day)} requests{day_failed} failure")
    expect(line.get_by_role("group", name="24 h")).to_contain_text(f"{day_tokens} tokens")
    expect(line.get_by_role("group", name="7 d")).to_contain_text(f"{len(recs)} requests2 failures")
    expect(line.get_by_role("group", name="7 d")).to_contain_text(f"{week_tokens:,} tokens")
    expect(line).to_contain_text("Last used: 2 hours ago")


def test_credentials_page_says_so_without_a_usage_service(page: Page, start_app, double: CpaDouble) -> None:
    panel = (__import__("pathlib").Path(__file__).resolve().parents[1] / "assets" / "management.html").read_bytes()
    double.management_html = panel
    page.goto(f"{double.base_url}/management.html")
    page.get_by_label("Management Key", exact=True).fill(KEY)
    page.get_by_role("button", name="Sign in", exact=True).click()
    go_to(page, "Credentials", "Credentials")
    expect(page.get_by_text("No usage service is connected, so per-credential usage")).to_be_visible()
    expect(row(page, "claude-bob@example.com.json")).to_be_visible()
    expect(row(page, "claude-bob@example.com.json").get_by_role("group", name="24 h")).to_have_count(0)


def test_batch_download_is_one_zip_of_the_stored_files_and_batch_delete_asks_twice(
        page: Page, start_app, double: CpaDouble) -> None:
    open_credentials(page, start_app, double)
    names = ["claude-bob@example.com.json", "codex-alice@example.com.json"]
    page.get_by_role("button", name="Select all shown (2)").click()
    batch = page.get_by_role("region", name="Selection and batch actions")
    with page.expect_download() as info:
        batch.get_by_role("button", name="Download", exact=True).click()
    with open(info.value.path(), "rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    assert sorted(archive.namelist()) == names
    for name in names:
        assert archive.read(name) == double.credentials.raw(name)

    batch.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_role("dialog", name="Delete 2 credentials?").get_by_role("button", name="Continue").click()
    assert double.credentials.names() == names  # nothing deleted after the first confirmation
    page.get_by_role("dialog", name="This cannot be undone").get_by_role("button", name="Delete 2 credentials").click()
    expect(page.get_by_role("region", name="Batch report").get_by_role("status")).to_have_text(
        "Delete: 2 succeeded, 0 failed, of 2.")
    assert double.credentials.names() == []
    expect(page.get_by_text("No credentials match this view.")).to_be_visible()


def test_field_editor_writes_only_changes_and_refuses_a_stale_save(page: Page, start_app, double: CpaDouble) -> None:
    double.credentials.add("codex-carol.json", {"type": "codex", "email": "carol@example.com", "prefix": "team",
                                                "headers": {"X-A": "1", "X-B": "2"}, "priority": 1})
    open_credentials(page, start_app, double)
    row(page, "codex-carol.json").get_by_role("button", name="Edit", exact=True).click()
    editor = page.get_by_role("dialog", name="Edit codex-carol.json")
    expect(editor.get_by_label("Prefix")).to_have_value("team")
    note = ("replaces the provider's global OAuth exclusions" if double.is_v8
            else "These add to the provider's global OAuth exclusions")
    expect(editor).to_contain_text(note)
    editor.get_by_label("Headers").fill("X-A: 9")
    editor.get_by_label("Excluded models").fill("GPT-5*-mini\nclaude-*")
    editor.get_by_label("Weight").fill("-3")
    expect(editor.get_by_text("Enter a whole number of 0 or more.")).to_be_visible()
    expect(editor.get_by_role("button", name="Save")).to_be_disabled()
    editor.get_by_label("Weight").fill("40")
    editor.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status").filter(has_text="codex-carol.json saved.")).to_be_visible()
    stored = json.loads(double.credentials.raw("codex-carol.json"))
    assert stored["headers"] == {"X-A": "9"} and stored["excluded_models"] == ["gpt-5*-mini", "claude-*"]
    assert (stored["weight"], stored["prefix"], stored["priority"]) == (40, "team", 1)
    prefix, route = credential_paths(double)
    [patch] = [r for r in double.recorded() if r.method == "PATCH" and r.path == f"{prefix}{route}/fields"]
    assert patch.json() == {"name": "codex-carol.json", "weight": 40, "headers": {"X-A": "9", "X-B": ""},
                            "excluded_models": ["gpt-5*-mini", "claude-*"]}

    # Another panel changes the file while the editor is open: the save is refused and shows the new value.
    row(page, "codex-carol.json").get_by_role("button", name="Edit", exact=True).click()
    editor = page.get_by_role("dialog", name="Edit codex-carol.json")
    expect(editor.get_by_label("Weight")).to_have_value("40")
    double.credentials.patch_fields("codex-carol.json", {"note": "rotated by ops"})
    editor.get_by_label("Prefix").fill("mine")
    editor.get_by_role("button", name="Save").click()
    expect(editor.get_by_role("status")).to_contain_text("The file changed on CPA since you opened it.")
    expect(editor.get_by_label("Note")).to_have_value("rotated by ops")
    assert json.loads(double.credentials.raw("codex-carol.json"))["prefix"] == "team"
    page.keyboard.press("Escape")
    expect(editor).to_have_count(0)


def test_models_dialog_and_keyboard_moves_between_rows(page: Page, start_app, double: CpaDouble) -> None:
    alice = "codex-alice@example.com.json"
    double.credentials.set_state(alice, quota={"observed_at": "2026-12-05T09:00:00Z",
                                               "signals": {"x-codex-primary-used-percent": "42"}})
    open_credentials(page, start_app, double)
    row(page, alice).get_by_role("button", name="Models").click()
    models = page.get_by_role("dialog", name=f"Models of {alice}")
    expect(models.get_by_role("list", name="Models")).to_contain_text("gpt-5.4")
    # v8 only: quota signals from /credentials and an on-demand refresh.
    expect(models.get_by_role("region", name="Quota signals")).to_have_count(1 if double.is_v8 else 0)
    expect(models.get_by_role("button", name="Refresh tokens now")).to_have_count(1 if double.is_v8 else 0)
    if double.is_v8:
        expect(models.get_by_role("region", name="Quota signals")).to_contain_text("x-codex-primary-used-percent42")
        models.get_by_role("button", name="Refresh tokens now").click()
        expect(models.get_by_role("status")).to_have_text(f"CPA refreshed {alice}.")
        assert [parse_qs(r.query) for r in double.recorded()
                if r.method == "POST" and r.path == "/v8/management/credentials/refresh"] == [{"name": [alice]}]
    models.get_by_role("button", name="Close").click()

    first = row(page, "claude-bob@example.com.json").get_by_role("checkbox")
    first.focus()
    page.keyboard.press("ArrowDown")
    second = row(page, "codex-alice@example.com.json").get_by_role("checkbox")
    expect(second).to_be_focused()
    page.keyboard.press("Space")
    expect(second).to_be_checked()
    expect(page.get_by_text("1 selected")).to_be_visible()
    page.keyboard.press("Home")
    expect(first).to_be_focused()
