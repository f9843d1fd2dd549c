"""The coverage ledger in the built panel: a shaded, named band on the monitoring and dashboard charts,
and the gap listed by the "why is monitoring empty?" checklist. The ledger is driven on a fake clock
against the app's own database; the panel reads it over the real HTTP API."""

from __future__ import annotations

import re
import time

from playwright.sync_api import Page, expect

from cpa_manager_desktop.app import App
from cpa_manager_desktop.store.coverage import CoverageStore
from cpa_manager_desktop.watch.coverage import CoverageLedger
from tests.browser import go_to
from tests.cpa_double import CpaDouble
from tests.test_coverage_ledger import FakeClock, FakeCollection, pause, resume, run_for
from tests.test_panel_browser import collecting_app, monitoring_with, recent_records

PAUSE_S = 2 * 3600   # long enough to be a band some pixels wide on a 24-hour chart
BAND = re.compile(r"^Not collected: paused \(.+ – .+, 119 min\)$")


def record_pause(app: App, paused_at_s: float, length_s: float) -> None:
    clock, collection = FakeClock(wall=paused_at_s - 30), FakeCollection()
    ledger = CoverageLedger(CoverageStore(app.db), collection, clocks=clock.clocks())
    run_for(ledger, clock, 30)
    pause(collection, clock.wall)
    run_for(ledger, clock, length_s, step_s=60)
    resume(collection)
    ledger.tick(clock.wall)


PIXEL = """([x, y]) => {
  const canvas = document.querySelector(".u-wrap canvas");
  const rect = canvas.getBoundingClientRect();
  const scale = canvas.width / rect.width;
  return Array.from(canvas.getContext("2d").getImageData((x - rect.left) * scale, (y - rect.top) * scale, 1, 1).data);
}"""


def hover_finds_band(page: Page) -> tuple[str, float, float]:
    """Move the pointer across the first chart's plot until its tooltip names a band; returns the tooltip
    and where the pointer was (page coordinates)."""
    over = page.locator(".u-over").first
    box = over.bounding_box()
    assert box is not None
    y = box["y"] + 3
    for step in range(0, int(box["width"]), 3):
        page.mouse.move(box["x"] + step, y)
        title = over.get_attribute("title") or ""
        if title:
            return title, box["x"] + step + 1, y
    return "", 0.0, y


SHORT_TIME = """(ms) => new Intl.DateTimeFormat(document.documentElement.lang || "en",
  { month: "numeric", day: "numeric", hour: "2-digit", minute: "2-digit" }).format(ms)"""


def test_a_pause_shows_as_a_named_band_and_in_the_checklist(page: Page, start_app, cpa: CpaDouble) -> None:
    app = collecting_app(start_app, cpa)
    paused_at_s = (time.time() - 6 * 3600) // 60 * 60    # on a minute, so the times shown are exact
    record_pause(app, paused_at_s, PAUSE_S)
    monitoring_with(page, app, cpa, recent_records())

    legend = page.get_by_role("list", name="Intervals not collected")
    expect(legend).to_have_count(3)    # requests, tokens and cost charts
    expect(legend.first.get_by_role("listitem")).to_have_text(BAND)
    title, x, y = hover_finds_band(page)
    assert BAND.match(title), title
    # The band is painted: under the tooltip the plot is tinted, to its left (before the pause) it is not.
    assert page.evaluate(PIXEL, [x, y]) != page.evaluate(PIXEL, [x - 40, y])
    chart = page.get_by_role("img", name=re.compile(r"^Requests\. "))
    expect(chart).to_have_attribute("aria-label", re.compile(r"Not collected: paused \("))

    go_to(page, "Dashboard", "Dashboard")
    expect(page.get_by_role("list", name="Intervals not collected").get_by_role("listitem")).to_have_text(BAND)

    go_to(page, "Why is it empty?", "Why is monitoring empty?")
    item = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=re.compile("^Collection coverage")))
    expect(item).to_contain_text(re.compile(
        r"Not collected in 1 interval of the last 24 hours: Not collected: paused \(.+, 119 min\)\. "
        r"Requests CPA served then are missing here"))
    # Event time: from the pause until one retention (60 s) before the resume, not a minute later.
    missing_from, missing_to = (page.evaluate(SHORT_TIME, ms) for ms in (paused_at_s * 1000,
                                                                          (paused_at_s + PAUSE_S - 60) * 1000))
    expect(item).to_contain_text(f"Not collected: paused ({missing_from} – {missing_to}, 119 min)")


def test_no_band_when_collection_saw_everything(page: Page, start_app, cpa: CpaDouble) -> None:
    app = collecting_app(start_app, cpa)
    monitoring_with(page, app, cpa, recent_records())
    expect(page.get_by_role("img", name=re.compile(r"^Requests\. "))).to_be_visible()
    expect(page.get_by_role("list", name="Intervals not collected")).to_have_count(0)
    go_to(page, "Why is it empty?", "Why is monitoring empty?")
    item = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=re.compile("^Collection coverage")))
    expect(item).to_contain_text("Collection could see every event in the last 24 hours.")
