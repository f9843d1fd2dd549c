"""What a new user hit on Request Monitoring, in the built panel in Chromium (real server, CPA double):
older data outside the range, the chart legend's language and readout, masked account names, long latencies.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from playwright.sync_api import Page, expect

from tests.browser import go_to, kpi_value, log_in, wait_stored
from tests.conftest import CPA_KEY as KEY
from tests.cpa_double import CpaDouble, make_record

ACCOUNT = "alexandra.longname@example-company.com"


def records_at(when: datetime, count: int, **fields: Any) -> list[dict[str, Any]]:
    """`count` successful CPA v7.2 codex records one minute apart from `when`, from one OAuth account."""
    out = []
    for seq in range(count):
        record = make_record(version="7.2", seq=seq, request_id=f"polish-{seq:02d}", source=ACCOUNT,
                             timestamp=when + timedelta(minutes=seq), auth_type="oauth")
        out.append({**record, **fields})
    return out


def open_monitoring(page: Page, start_app: Callable[..., Any], cpa: CpaDouble, recs: list[dict[str, Any]]) -> None:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"})
    cpa.enqueue(*recs)
    wait_stored(app.base_url, KEY, len(recs))
    log_in(page, app.base_url, KEY)
    go_to(page, "Monitoring", "Request monitoring")


def test_older_data_is_named_and_one_click_shows_it(page: Page, start_app, cpa: CpaDouble) -> None:
    recs = records_at(datetime.now(UTC).replace(microsecond=0) - timedelta(days=3), 4)
    open_monitoring(page, start_app, cpa, recs)

    empty = page.get_by_role("status").filter(has_text="No requests in this range")
    expect(empty).to_contain_text("The stored events are older than this range: the newest is from")
    # /status knows CPA publishes usage (the double does): publishing is not blamed.
    expect(empty).not_to_contain_text("publishing")
    empty.get_by_role("button", name="Show all").click()
    expect(kpi_value(page, "Requests")).to_have_text(str(len(recs)))
    expect(page.get_by_role("button", name="All", exact=True)).to_have_attribute("aria-pressed", "true")
    assert "range=all" in page.url


def test_masked_accounts_stay_on_one_line_and_long_latencies_read_in_seconds(
        page: Page, start_app, cpa: CpaDouble) -> None:
    recs = records_at(datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1), 2, latency_ms=24_007)
    open_monitoring(page, start_app, cpa, recs)
    page.set_viewport_size({"width": 900, "height": 900})

    events = page.get_by_role("region", name="Recent events")
    expect(events.locator("tbody tr")).to_have_count(len(recs))
    row = events.locator("tbody tr").first
    expect(row).to_contain_text("24.0 s")
    expect(row).not_to_contain_text("24,007")
    label = row.locator("span[title]").first
    masked = label.get_attribute("title")
    assert masked and "***" in masked and label.inner_text() == masked
    expect(label).to_have_css("white-space", "nowrap")
    line_height = label.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert label.bounding_box()["height"] <= line_height * 1.5, "the masked account wrapped onto a second line"


def test_chart_legend_speaks_chinese_and_shows_totals_without_hovering(page: Page, start_app, cpa: CpaDouble) -> None:
    recs = records_at(datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2), 3)
    open_monitoring(page, start_app, cpa, recs)
    page.get_by_role("combobox", name="Language").select_option(label="简体中文")
    expect(page.get_by_role("heading", level=1, name="请求监控", exact=True)).to_be_visible()

    legend = page.locator(".u-legend").first
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("时间")
    expect(legend).not_to_contain_text("Time")
    # Away from the chart: "合计" in the time column and each series' total, not bare names.
    expect(legend).to_contain_text("合计")
    values = legend.locator(".u-value").all_inner_texts()
    assert values[:3] == ["合计", str(len(recs)), "0"], values
