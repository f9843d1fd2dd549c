"""The Configuration page in Chromium against the real server and the CPA double, on a v7 and a v8 CPA.

On v8 the double's file is first rewritten into the v8 tree by a v8 write (as CPA does), so the page
edits the nested layout; a hand-written comment is then added to the file in both modes, and every
save must keep it. The panel is the built assets/management.html (run `npm run build` in panel/).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser import go_to, log_in
from tests.client import call
from tests.conftest import CPA_KEY as KEY
from tests.cpa_double import CpaDouble

PANEL = Path(__file__).resolve().parents[1] / "assets" / "management.html"
HAND_COMMENT = "# routing: tuned by hand, keep this comment"
VERSIONS = ["v7.2.140", "v8.0.47"]


def comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


@pytest.fixture(params=VERSIONS, name="double")
def double_fixture(request: pytest.FixtureRequest) -> Iterator[CpaDouble]:
    double = CpaDouble(KEY, version=request.param, management_html=PANEL.read_bytes()).start()
    try:
        if double.is_v8:
            path = f"{double.base_url}/v8/management/config/observability/logs/debug"
            assert call("PUT", path, key=KEY, json_body=False).status == 200
            assert "config-version: 8" in double.read_config_text()
        text = double.read_config_text()
        double.write_config_text(text.replace("\nrouting:\n", f"\n{HAND_COMMENT}\nrouting:\n", 1))
        assert HAND_COMMENT in double.read_config_text()
        yield double
    finally:
        double.stop()


@pytest.fixture(name="open_config")
def open_config_fixture(page: Page, start_app, double: CpaDouble) -> Callable[[], None]:
    def open_page() -> None:
        app = start_app({"CPA_UPSTREAM_URL": double.base_url, "CPA_MANAGEMENT_KEY": KEY})
        log_in(page, app.base_url, KEY)
        go_to(page, "Configuration", "Configuration")
        layout = "v8 tree" if double.is_v8 else "flat"
        expect(page.get_by_test_id("config-layout")).to_contain_text(layout)
    return open_page


def diff_dialog(page: Page) -> Locator:
    return page.get_by_role("dialog", name="Review the changes before saving")


def source_tab(page: Page) -> Locator:
    page.get_by_role("tab", name="Source").click()
    editor = page.get_by_role("textbox", name="config.yaml")
    expect(editor).to_be_visible()
    return editor


def replace_in_source(page: Page, editor: Locator, find: str, replacement: str) -> None:
    """CodeMirror's own search panel (Ctrl-F), with its replace-all; \\n in the fields is a newline."""
    editor.click()
    page.keyboard.press("Control+f")
    page.get_by_role("textbox", name="Find").fill(find)
    page.get_by_role("textbox", name="Replace").fill(replacement)
    page.get_by_role("button", name="replace all").click()
    page.keyboard.press("Escape")


def test_visual_edit_is_saved_with_comments_intact(page: Page, double: CpaDouble, open_config) -> None:
    before = double.read_config_text()
    open_config()
    retries = page.get_by_role("textbox", name="Retries per request")
    expect(retries).to_have_value("3")
    retries.fill("5")
    page.get_by_role("checkbox", name="Log every request").check()
    page.get_by_role("button", name="Save", exact=True).click()
    dialog = diff_dialog(page)
    expect(dialog.get_by_test_id("config-diff")).to_contain_text("request-retry: 5")
    dialog.get_by_role("button", name="Save to CPA").click()
    expect(page.get_by_text("Saved. CPA reloads")).to_be_visible()

    after = double.read_config_text()
    runtime = double.runtime_config()
    assert runtime["request-retry"] == 5 and runtime["request-log"] is True
    assert comment_lines(after) == comment_lines(before)
    if double.is_v8:
        assert "config-version: 8" in after and "\nrequest-retry:" not in after
        assert "    request-retry: 5" in after
    else:
        assert "\nrequest-retry: 5 # retries on 403/408/429/5xx\n" in after
    # Only the two edited lines differ.
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert len(changed) == 2, changed
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_disabled()


def test_source_edit_shows_the_diff_then_is_refused_after_an_out_of_band_change(
        page: Page, double: CpaDouble, open_config) -> None:
    open_config()
    editor = source_tab(page)
    replace_in_source(page, editor, "max-retry-interval: 30", "max-retry-interval: 45")
    page.keyboard.press("Control+s")
    dialog = diff_dialog(page)
    expect(dialog.get_by_test_id("config-diff")).to_contain_text("max-retry-interval: 45")

    # Someone else edits CPA's file while the diff is open.
    theirs = double.read_config_text().replace("strategy: round-robin", "strategy: fill-first")
    double.write_config_text(theirs)
    dialog.get_by_role("button", name="Save to CPA").click()
    conflict = page.get_by_role("dialog", name="CPA's config.yaml changed")
    expect(conflict).to_be_visible()
    assert double.read_config_text() == theirs
    assert not [r for r in double.requests if r.method == "PUT" and r.path.endswith("/config.yaml")]

    conflict.get_by_role("button", name="Reload and re-apply my edits").click()
    expect(page.get_by_text("the page now shows CPA's version with your edits on top")).to_be_visible()
    page.get_by_role("button", name="Save", exact=True).click()
    diff_dialog(page).get_by_role("button", name="Save to CPA").click()
    expect(page.get_by_text("Saved. CPA reloads")).to_be_visible()
    runtime = double.runtime_config()
    assert runtime["max-retry-interval"] == 45 and runtime["routing"]["strategy"] == "fill-first"
    assert HAND_COMMENT in double.read_config_text()


def test_cpa_refusals_are_shown_in_cpas_words_at_their_line(page: Page, double: CpaDouble, open_config) -> None:
    before = double.read_config_text()
    open_config()
    editor = source_tab(page)
    replace_in_source(page, editor, "debug: false", "debug: maybe")
    page.get_by_role("button", name="Save", exact=True).click()
    diff_dialog(page).get_by_role("button", name="Save to CPA").click()

    sent = before.replace("debug: false", "debug: maybe")
    line = sent.splitlines().index(next(s for s in sent.splitlines() if "debug: maybe" in s)) + 1
    alert = page.get_by_role("alert").filter(has_text="CPA refused the configuration")
    expect(alert).to_contain_text(f"CPA refused the configuration (line {line})")
    expect(alert.get_by_test_id("cpa-refusal")).to_contain_text(
        f"line {line}: cannot unmarshal !!str `maybe` into bool")
    # The editor marks that line too: CodeMirror's lint gutter has one marker, level with that line's number.
    expect(page.locator(".cm-lint-marker-error")).to_have_count(1)
    marked = page.evaluate("""(line) => {
        const top = (el) => el.getBoundingClientRect().top;
        const marker = document.querySelector(".cm-lint-marker-error").closest(".cm-gutterElement");
        const number = [...document.querySelectorAll(".cm-lineNumbers .cm-gutterElement")]
            .find((el) => el.textContent === String(line));
        return Boolean(number) && Math.abs(top(marker) - top(number)) < 2;
    }""", line)
    assert marked, f"the lint marker is not on line {line}"
    assert double.read_config_text() == before

    # A 422 from CPA's validation, in its words; nothing changes either.
    replace_in_source(page, editor, "debug: maybe", "debug: false")
    family = "  gemini:" if double.is_v8 else "gemini-api-key:"
    entry = r"\n    - keys:\n        - api-key: extra\n          weight: 2000000" if double.is_v8 \
        else r"\n  - api-key: extra\n    weight: 2000000"
    replace_in_source(page, editor, family + r"\n", family + entry + r"\n")
    page.get_by_role("button", name="Save", exact=True).click()
    diff_dialog(page).get_by_role("button", name="Save to CPA").click()
    expect(page.get_by_test_id("cpa-refusal")).to_have_text(
        "gemini-api-key[0].weight: weight must not exceed 1000000")
    if not double.is_v8:
        expect(page.get_by_role("alert").filter(has_text="CPA refused")).to_contain_text(re.compile(r"\(line \d+\)"))
    assert double.read_config_text() == before


def test_invalid_yaml_is_never_sent(page: Page, double: CpaDouble, open_config) -> None:
    open_config()
    editor = source_tab(page)
    replace_in_source(page, editor, "routing:", "routing: [")
    expect(page.get_by_text(re.compile(r"^Line \d+: "))).to_be_visible()
    expect(page.get_by_role("button", name="Save", exact=True)).to_be_disabled()
    page.keyboard.press("Control+s")
    assert not [r for r in double.requests if r.method == "PUT" and r.path.endswith("/config.yaml")]


def test_a_save_cut_off_midway_keeps_the_edits_and_retries(page: Page, double: CpaDouble, open_config) -> None:
    before = double.read_config_text()
    open_config()
    page.get_by_role("textbox", name="Outbound proxy URL").fill("socks5://127.0.0.1:1080")
    double.fail_next("PUT", "/v0/management/config.yaml", drop=True)
    page.get_by_role("button", name="Save", exact=True).click()
    diff_dialog(page).get_by_role("button", name="Save to CPA").click()
    alert = page.get_by_role("alert").filter(has_text="The save did not complete")
    expect(alert).to_be_visible()
    assert double.read_config_text() == before
    expect(page.get_by_role("textbox", name="Outbound proxy URL")).to_have_value("socks5://127.0.0.1:1080")

    alert.get_by_role("button", name="Try again").click()
    diff_dialog(page).get_by_role("button", name="Save to CPA").click()
    expect(page.get_by_text("Saved. CPA reloads")).to_be_visible()
    assert double.runtime_config()["proxy-url"] == "socks5://127.0.0.1:1080"


def test_cpa_panel_mode_edits_the_configuration(page: Page, double: CpaDouble) -> None:
    page.goto(f"{double.base_url}/management.html")
    page.get_by_label("Management Key", exact=True).fill(KEY)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Dashboard", exact=True)).to_be_visible()
    go_to(page, "Configuration", "Configuration")
    page.get_by_role("combobox", name="Credential selection").select_option("fill-first")
    page.keyboard.press("Control+s")
    dialog = diff_dialog(page)
    expect(dialog.get_by_test_id("config-diff")).to_contain_text("strategy: fill-first")
    dialog.get_by_role("button", name="Save to CPA").click()
    expect(page.get_by_text("Saved. CPA reloads")).to_be_visible()
    assert double.runtime_config()["routing"]["strategy"] == "fill-first"
    assert HAND_COMMENT in double.read_config_text()


def test_visual_edits_follow_the_file_when_cpa_rewrites_it_into_the_v8_tree(page: Page, start_app) -> None:
    double = CpaDouble(KEY, version="v8.0.47").start()
    try:
        app = start_app({"CPA_UPSTREAM_URL": double.base_url, "CPA_MANAGEMENT_KEY": KEY})
        log_in(page, app.base_url, KEY)
        go_to(page, "Configuration", "Configuration")
        expect(page.get_by_test_id("config-layout")).to_contain_text("flat")
        page.get_by_role("textbox", name="Usage queue retention (seconds, 1–3600)").fill("600")

        double.rewrite_to_v8()  # another panel's first v8 save, while this page is open
        page.get_by_role("button", name="Save", exact=True).click()
        page.get_by_role("dialog", name="CPA's config.yaml changed").get_by_role(
            "button", name="Reload and re-apply my edits").click()
        expect(page.get_by_test_id("config-layout")).to_contain_text("v8 tree")
        expect(page.get_by_role("textbox", name="Usage queue retention (seconds, 1–3600)")).to_have_value("600")
        page.get_by_role("button", name="Save", exact=True).click()
        dialog = diff_dialog(page)
        expect(dialog.get_by_test_id("config-diff")).to_contain_text("redis-usage-queue-retention-seconds: 600")
        dialog.get_by_role("button", name="Save to CPA").click()
        expect(page.get_by_text("Saved. CPA reloads")).to_be_visible()

        text = double.read_config_text()
        assert "config-version: 8" in text and "\nredis-usage-queue-retention-seconds:" not in text
        assert double.runtime_config()["redis-usage-queue-retention-seconds"] == 600
    finally:
        double.stop()
