"""The built panel (assets/management.html) in a real Chromium against the real server and the CPA double.

Each test drives the panel the way a user does (labels, roles, buttons) and checks what it shows against
numbers computed here from the records the double delivered.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from playwright.sync_api import Locator, Page, expect

from cpa_manager_desktop.app import App
from tests.browser import (
    go_to,
    kpi_cards,
    kpi_detail,
    kpi_value,
    log_in,
    nav,
    panel_url,
    report_value,
    wait_stored,
)
from tests.client import call
from tests.conftest import CPA_KEY as KEY
from tests.cpa_double import CpaDouble, make_record

# Models the shipped default price table (cpa_manager_desktop/prices/default_prices.json) does not price,
# so the pages start with unpriced requests and the cost comes only from prices typed in the panel.
CODEX_MODEL = "gpt-5.4-pro"
CLAUDE_MODEL = "claude-opus-4-1-20250805"
# (provider, model, failed, tokens): OpenAI-style codex counts cache inside input and reasoning inside output;
# Claude keeps input, cache read, cache write and output apart. Every total stays below 10,000, where the
# panel shows exact counts rather than "12.3K".
SPECS: tuple[tuple[str, str, bool, dict[str, int] | None], ...] = (
    ("codex", CODEX_MODEL, False, {"input": 1200, "output": 300, "reasoning": 100, "cached": 400}),
    ("codex", CODEX_MODEL, False, {"input": 800, "output": 200}),
    ("codex", CODEX_MODEL, False, {"input": 500, "output": 150, "reasoning": 50, "cached": 256}),
    ("codex", CODEX_MODEL, True, None),
    ("claude", CLAUDE_MODEL, False, {"input": 100, "output": 400, "cached": 2000, "cache_creation": 512}),
    ("claude", CLAUDE_MODEL, False, {"input": 60, "output": 90}),
    ("claude", CLAUDE_MODEL, True, None),
)


def recent_records() -> list[dict[str, Any]]:
    """CPA v7.2 records from the last hour, so the monitoring page's default 24-hour range holds them all."""
    now = datetime.now(UTC).replace(microsecond=0)
    return [
        make_record(version="7.2", provider=provider, model=model, failed=failed, tokens=tokens, seq=i,
                    request_id=f"browser-{i:02d}", timestamp=now - timedelta(minutes=5 * (len(SPECS) - i)),
                    status_code=500 if provider == "claude" else 429, auth_type="oauth")
        for i, (provider, model, failed, tokens) in enumerate(SPECS)
    ]


def expected_kpis(recs: list[dict[str, Any]]) -> dict[str, int]:
    """What the KPI cards must add up to, from CPA's token_breakdown: input is uncached + cache read + cache
    write and output is output + reasoning for every provider (issue 12), not the raw provider fields."""
    inputs = [rec["token_breakdown"]["input"] for rec in recs]
    outputs = [rec["token_breakdown"]["output"] for rec in recs]
    failures = sum(1 for rec in recs if rec["failed"])
    return {
        "requests": len(recs), "successes": len(recs) - failures, "failures": failures,
        "input": sum(i["total_tokens"] for i in inputs), "output": sum(o["total_tokens"] for o in outputs),
        "reasoning": sum(o["reasoning_tokens"] for o in outputs),
        "cacheRead": sum(i["cache_read_tokens"] for i in inputs),
        "cacheWrite": sum(i["cache_write_tokens"] for i in inputs),
    }


def exact(count: int) -> str:
    """formatCompact in English below 10,000: the integer with thousands separators."""
    assert count < 10_000, "keep test totals below the panel's compact-notation threshold"
    return f"{count:,}"


def percent(successes: int, requests: int) -> str:
    """formatPercent: no decimals for 0 % and 100 %, one otherwise."""
    ratio = Decimal(successes) / Decimal(requests)
    if ratio in (0, 1):
        return f"{int(ratio * 100)}%"
    return f"{(ratio * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def usd(amount: Decimal) -> str:
    """formatUsd in English: 2 decimals, or up to 4 below one dollar (trailing zeros past 2 dropped)."""
    places = 4 if 0 < abs(amount) < 1 else 2
    text = f"{amount.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):,.{places}f}"
    whole, _, fraction = text.partition(".")
    return f"${whole}.{fraction.rstrip('0').ljust(2, '0')}"


def assert_kpis(page: Page, want: dict[str, int]) -> None:
    expect(kpi_value(page, "Requests")).to_have_text(exact(want["requests"]))
    expect(kpi_detail(page, "Requests")).to_have_text(f"{want['successes']} succeeded · {want['failures']} failed")
    expect(kpi_value(page, "Success rate")).to_have_text(percent(want["successes"], want["requests"]))
    expect(kpi_value(page, "Input tokens")).to_have_text(exact(want["input"]))
    expect(kpi_value(page, "Output tokens")).to_have_text(exact(want["output"]))
    expect(kpi_value(page, "Reasoning tokens")).to_have_text(exact(want["reasoning"]))
    expect(kpi_value(page, "Cache tokens")).to_have_text(exact(want["cacheRead"] + want["cacheWrite"]))
    expect(kpi_detail(page, "Cache tokens")).to_have_text(
        f"{exact(want['cacheRead'])} read · {exact(want['cacheWrite'])} write")


def column_total(table: Locator, column: int) -> int:
    """The sum of a chart table's value column (1 = the first series), as the page formats integers."""
    cells = table.locator(f"tbody td:nth-of-type({column})").all_inner_texts()
    return sum(int(text.replace(",", "")) for text in cells)


def collecting_app(start_app: Callable[..., App], cpa: CpaDouble, **overrides: str) -> App:
    """The real app, set up from the environment to collect from the double (fast polling)."""
    return start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"},
                     **overrides)


def monitoring_with(page: Page, app: App, cpa: CpaDouble, recs: list[dict[str, Any]]) -> None:
    """Deliver the records through the double, wait until they are stored, sign in and open monitoring."""
    cpa.enqueue(*recs)
    wait_stored(app.base_url, KEY, len(recs))
    log_in(page, app.base_url, KEY)
    go_to(page, "Monitoring", "Request monitoring")


# --- a. setup, login, logout -------------------------------------------------------------------------------


def test_first_setup_logout_and_wrong_keys_on_the_login_page(page: Page, start_app, cpa: CpaDouble) -> None:
    app = start_app({"USAGE_POLL_INTERVAL_MS": "50"})
    page.goto(panel_url(app.base_url))
    setup_heading = page.get_by_role("heading", name="Connect to CLIProxyAPI")
    expect(setup_heading).to_be_visible()
    page.get_by_label("CPA address").fill(cpa.base_url)

    # A key CPA rejects: the server's sentence, still on the setup form, nothing saved.
    page.get_by_label("Management Key", exact=True).fill("not-the-key")
    page.get_by_role("button", name="Connect", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("CPA rejected the Management Key")
    expect(setup_heading).to_be_visible()
    assert call_status(app) == {"configured": False}
    assert cpa.auth_failures() == 1

    page.get_by_label("Management Key", exact=True).fill(KEY)
    page.get_by_role("button", name="Connect", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Dashboard", exact=True)).to_be_visible()
    expect(nav(page).get_by_role("link", name="Dashboard")).to_have_attribute("aria-current", "page")
    assert call_status(app, KEY) == {"configured": True, "upstream": cpa.base_url}

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="Sign in to CPA Manager")).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="You have logged out")).to_be_visible()
    expect(nav(page)).to_have_count(0)
    assert page.evaluate("() => [sessionStorage.length, localStorage.getItem('cpa-manager:management-key')]") == \
        [0, None]

    # A wrong key at the login page is checked by CPA Manager itself: a plain error, no new CPA login attempt.
    page.get_by_label("Management Key", exact=True).fill("still-not-the-key")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("alert")).to_have_text("The Management Key was not accepted.")
    expect(page.get_by_role("heading", name="Sign in to CPA Manager")).to_be_visible()
    expect(nav(page)).to_have_count(0)
    assert not [r for r in cpa.recorded() if "still-not-the-key" in " ".join(r.headers.values())]
    assert cpa.auth_failures() == 0  # the double, like CPA, forgot the first failure at the good setup

    page.get_by_label("Management Key", exact=True).fill(KEY)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", level=1, name="Dashboard", exact=True)).to_be_visible()


def call_status(app: App, key: str | None = None) -> dict[str, Any]:
    if key is None:
        return {"configured": call("GET", f"{app.base_url}/usage-service/info").json["configured"]}
    status = call("GET", f"{app.base_url}/status", key=key).json
    return {"configured": status["configured"], "upstream": status["collector"]["upstream"]}


# --- b, c. monitoring KPIs and the model filter ------------------------------------------------------------


def test_monitoring_kpis_match_the_delivered_records_and_follow_a_model_filter(
        page: Page, start_app, cpa: CpaDouble) -> None:
    app = collecting_app(start_app, cpa)
    recs = recent_records()
    monitoring_with(page, app, cpa, recs)

    assert_kpis(page, expected_kpis(recs))
    expect(kpi_detail(page, "Estimated cost")).to_have_text(f"{len(recs)} unpriced requests")
    breakdown = page.get_by_role("region", name="Breakdown")
    expect(breakdown.locator("tbody tr")).to_have_count(2)
    events = page.get_by_role("region", name="Recent events")
    expect(events.locator("tbody tr")).to_have_count(len(recs))

    model = page.get_by_role("combobox", name="Model")
    expect(model.locator("option")).to_have_text(["All", CLAUDE_MODEL, CODEX_MODEL])
    model.select_option(CODEX_MODEL)
    codex = [rec for rec in recs if rec["model"] == CODEX_MODEL]
    assert_kpis(page, expected_kpis(codex))
    expect(kpi_detail(page, "Estimated cost")).to_have_text(f"{len(codex)} unpriced requests")
    expect(breakdown.locator("tbody tr")).to_have_count(1)
    expect(breakdown.locator("tbody tr td").first).to_have_text(CODEX_MODEL)
    expect(events.locator("tbody tr")).to_have_count(len(codex))
    assert f"model={CODEX_MODEL}" in page.url

    # The request chart's numbers, shown as a table, add up to the filtered records.
    page.get_by_text("Show the numbers (Requests)").click()
    table = page.get_by_role("table", name=re.compile(r"^Requests"))
    expect(table).to_be_visible()
    assert table.locator("thead th").all_inner_texts() == ["Time", "Requests", "Failures"]
    assert column_total(table, 1) == len(codex)
    assert column_total(table, 2) == sum(1 for rec in codex if rec["failed"])

    page.get_by_role("button", name="Clear filters").click()
    assert_kpis(page, expected_kpis(recs))


# --- d. prices and cost ------------------------------------------------------------------------------------


def test_a_price_saved_on_the_prices_page_gives_the_hand_computed_cost(page: Page, start_app, cpa: CpaDouble) -> None:
    app = collecting_app(start_app, cpa)
    recs = recent_records()
    monitoring_with(page, app, cpa, recs)
    expect(kpi_value(page, "Estimated cost")).to_have_text("$0.00")

    go_to(page, "Model prices", "Model prices")
    unpriced = page.get_by_role("region", name="Models without a price")
    codex = [rec for rec in recs if rec["model"] == CODEX_MODEL]
    expect(unpriced.get_by_role("listitem").filter(has_text=CODEX_MODEL)).to_contain_text(
        f"{len(codex)} unpriced requests")
    unpriced.get_by_role("button", name=f"Add {CODEX_MODEL} to the price table").click()
    # USD per 1M tokens; cache write stays empty ("= input").
    price = {"Input": Decimal("1.25"), "Output": Decimal("10"), "Cache read": Decimal("0.125")}
    for field, value in price.items():
        page.get_by_label(f"{CODEX_MODEL}: {field}", exact=True).fill(str(value))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Saved — costs everywhere now use the new prices.")) \
        .to_be_visible()
    expect(unpriced.get_by_role("listitem").filter(has_text=CODEX_MODEL)).to_have_count(0)
    # The saved row says it is the user's own price; the shipped table is listed, dated, below.
    saved_row = page.locator("tr").filter(has=page.get_by_label(f"{CODEX_MODEL}: Input", exact=True))
    expect(saved_row.get_by_role("cell", name="Your price", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Built-in prices \(dated \d{4}-\d{2}-\d{2}\)$"))) \
        .to_be_visible()

    # By hand: codex counts cache inside input, so uncached input = input - cache read, and output
    # (reasoning included) is billed at the output price.
    uncached = sum(r["tokens"]["input_tokens"] - r["tokens"]["cached_tokens"] for r in codex)  # 800+800+244
    cache_read = sum(r["tokens"]["cached_tokens"] for r in codex)  # 400+0+256
    output = sum(r["tokens"]["output_tokens"] for r in codex)  # 300+200+150
    assert (uncached, cache_read, output) == (1844, 656, 650)
    cost = (uncached * price["Input"] + cache_read * price["Cache read"] + output * price["Output"]) / 1_000_000
    assert cost == Decimal("0.008887")

    go_to(page, "Monitoring", "Request monitoring")
    expect(kpi_value(page, "Estimated cost")).to_have_text(usd(cost))  # "$0.0089"
    claude = len(recs) - len(codex)
    expect(kpi_detail(page, "Estimated cost")).to_have_text(f"{claude} unpriced requests")
    # The by-model breakdown says which source priced the model.
    breakdown_row = page.get_by_role("region", name="Breakdown").locator("tbody tr").filter(has_text=CODEX_MODEL)
    expect(breakdown_row.get_by_title("Priced by your price.", exact=True)).to_have_text(
        re.compile(r"^your price"))


# --- e. export and import into a second instance -----------------------------------------------------------


def test_export_then_import_into_a_fresh_instance_reproduces_monitoring(
        page: Page, start_app, cpa: CpaDouble, tmp_path: Path) -> None:
    app = collecting_app(start_app, cpa)
    recs = recent_records()
    monitoring_with(page, app, cpa, recs)
    assert_kpis(page, expected_kpis(recs))
    first_cards = kpi_cards(page)

    go_to(page, "Export & import", "Export & import")
    export = page.get_by_role("region", name="Export usage")
    export.get_by_role("radio", name="All time").check()
    export.get_by_role("radio", name="JSONL").check()
    with page.expect_download() as download_info:
        export.get_by_role("button", name="Download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".jsonl"), download.suggested_filename
    exported = tmp_path / download.suggested_filename
    download.save_as(exported)
    lines = exported.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(recs)
    assert sorted(json.loads(line)["model"] for line in lines) == sorted(rec["model"] for rec in recs)
    expect(export.get_by_role("status")).to_contain_text(f"Downloaded {download.suggested_filename}")

    second_cpa = CpaDouble(KEY).start()
    try:
        second_dir = tmp_path / "second"
        second = collecting_app(start_app, second_cpa, data_dir=str(second_dir / "data"),
                                config_path=str(second_dir / "config.json"))
        assert second.base_url != app.base_url
        wait_stored(second.base_url, KEY, 0)
        log_in(page, second.base_url, KEY)
        go_to(page, "Export & import", "Export & import")
        importer = page.get_by_role("region", name="Import usage")
        with page.expect_file_chooser() as chooser:
            importer.get_by_role("button", name="Choose a file to import").click()
        chooser.value.set_files(exported)
        expect(importer.get_by_role("heading", name="Check before importing")).to_be_visible()
        expect(importer.locator("dd").filter(has_text=download.suggested_filename)).to_be_visible()
        expect(importer.locator("dd").filter(has_text="JSONL events")).to_be_visible()
        importer.get_by_role("button", name="Import", exact=True).click()

        report = importer.get_by_role("status").filter(has_text="Import finished")
        expect(report).to_be_visible()
        for term, value in (("Records read", len(recs)), ("Added", len(recs)), ("Skipped as duplicates", 0),
                            ("Failed", 0), ("Unsupported", 0)):
            expect(report_value(report, term)).to_have_text(str(value))
        wait_stored(second.base_url, KEY, len(recs))

        go_to(page, "Monitoring", "Request monitoring")
        assert_kpis(page, expected_kpis(recs))
        assert kpi_cards(page) == first_cards
    finally:
        second_cpa.stop()


# --- f. language and theme ---------------------------------------------------------------------------------


def test_language_and_theme_switch_and_survive_a_reload(page: Page, start_app, cpa: CpaDouble) -> None:
    app = collecting_app(start_app, cpa)
    log_in(page, app.base_url, KEY)
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    expect(html).not_to_have_attribute("data-theme", re.compile(".*"))
    light_bg = background(page)
    assert light_bg == "rgb(245, 246, 248)"

    page.get_by_role("combobox", name="Language").select_option(label="简体中文")
    expect(html).to_have_attribute("lang", "zh-CN")
    expect_chinese_shell(page)

    page.get_by_role("combobox", name="主题").select_option("dark")
    expect(html).to_have_attribute("data-theme", "dark")
    expect(page.locator("body")).to_have_css("background-color", "rgb(17, 20, 24)")

    page.reload()
    expect_chinese_shell(page)
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(html).to_have_attribute("data-theme", "dark")
    expect(page.locator("body")).to_have_css("background-color", "rgb(17, 20, 24)")
    expect(page.get_by_role("combobox", name="主题")).to_have_value("dark")
    expect(page.get_by_role("combobox", name="语言")).to_have_value("zh-CN")

    # And back: light theme and English restore the original look and words.
    page.get_by_role("combobox", name="主题").select_option("light")
    page.get_by_role("combobox", name="语言").select_option("en")
    expect(html).to_have_attribute("data-theme", "light")
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1, name="Dashboard", exact=True)).to_be_visible()
    assert background(page) == light_bg


def expect_chinese_shell(page: Page) -> None:
    """Strings from panel/src/i18n/zh-CN.ts."""
    navigation = page.get_by_role("navigation", name="主导航")
    for link in ("仪表盘", "请求监控", "模型价格", "导出与导入"):
        expect(navigation.get_by_role("link", name=link, exact=True)).to_be_visible()
    expect(navigation.get_by_role("link", name="Dashboard")).to_have_count(0)
    expect(page.get_by_role("heading", level=1, name="仪表盘", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="退出登录")).to_be_visible()


def background(page: Page) -> str:
    return page.evaluate("() => getComputedStyle(document.body).backgroundColor")
