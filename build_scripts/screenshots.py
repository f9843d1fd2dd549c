"""Retake the README's dashboard and monitoring screenshots from a real stack. Run from the repository root:

    python build_scripts/screenshots.py [--out docs/screenshots]

Starts the CPA test double with a day of synthetic traffic (tests/cpa_double: the same records the tests use,
spread over the last 20 hours), runs the app from source against it until every record is collected, gives
every model a price, then signs in with Debian's Chromium and saves dashboard.png and monitoring.png.
The other screenshots (setup, checklist, CPA panel mode, phone) need hand-set scenes and are left as they are.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from screenshot_kit import KEY, app_from_source, out_dir, signed_in  # first: it puts the repository on sys.path

# isort: split
from playwright.sync_api import Page, expect

from tests.browser import go_to, wait_stored
from tests.client import call
from tests.cpa_double import CpaDouble, records

EVENTS = 300
SPREAD = timedelta(hours=20)
# USD per 1M tokens: input, output, cache read. Round, plausible figures; the point is a costed chart.
PRICE_TIERS = {"opus": (15, 75, 1.5), "sonnet": (3, 15, 0.3), "haiku": (1, 5, 0.1), "-mini": (0.25, 2, 0.025),
               "flash": (0.3, 2.5, 0.03)}   # "-mini", not "mini": gemini-2.5-pro is no mini model
DEFAULT_PRICE = (1.25, 10, 0.125)


def day_of_traffic(now: datetime) -> list[dict[str, Any]]:
    """The tests' mixed records, re-stamped to spread over the last SPREAD in order."""
    jitter = random.Random(7)
    recs = records.mixed_records(EVENTS, seed=7)
    step = SPREAD / EVENTS
    for index, rec in enumerate(recs):
        moment = now - SPREAD + step * index + timedelta(seconds=jitter.uniform(0, step.total_seconds()))
        rec["timestamp"] = records.format_go_time(moment)
    return recs


def prices() -> dict[str, dict[str, float]]:
    table = {}
    for models in records.MODELS.values():
        for model in models:
            tier = next((p for name, p in PRICE_TIERS.items() if name in model), DEFAULT_PRICE)
            table[model] = {"input": tier[0], "output": tier[1], "cacheRead": tier[2]}
    return table


def shoot(page: Page, out: Path) -> None:
    page.wait_for_load_state("networkidle")
    expect(page.locator("main canvas")).to_have_count(1)
    page.screenshot(path=str(out / "dashboard.png"))
    page.set_viewport_size({"width": 1280, "height": 1300})
    go_to(page, "Monitoring", "Request monitoring")
    page.wait_for_load_state("networkidle")
    expect(page.locator("main canvas")).to_have_count(3)
    page.screenshot(path=str(out / "monitoring.png"))


def main() -> int:
    out = out_dir(__doc__)
    cpa = CpaDouble(KEY).start()
    cpa.enqueue(*day_of_traffic(datetime.now(UTC)))
    try:
        with app_from_source(cpa, fast_poll=True) as base_url:
            wait_stored(base_url, KEY, EVENTS)
            assert call("PUT", f"{base_url}/v0/management/model-prices", key=KEY,
                        json_body={"prices": prices()}).status == 200
            with signed_in(base_url, height=860) as page:
                shoot(page, out)
    finally:
        cpa.stop()
    print(f"wrote {out / 'dashboard.png'} and {out / 'monitoring.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
