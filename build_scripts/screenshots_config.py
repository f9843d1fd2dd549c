"""Retake the README's Configuration screenshots from a real stack. Run from the repository root:

    python build_scripts/screenshots_config.py [--out docs/screenshots]

Starts the CPA test double (its commented flat config.yaml), runs the app from source against it, signs in
with Debian's Chromium (build the panel first: `npm run build` in panel/) and saves config.png (the Visual
tab) and config-diff.png (the side-by-side diff shown before a save, after two edits).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from tests import conftest  # noqa: E402  (first: it loads tests.browser, which needs it, in that order)
from tests.browser import CHROMIUM, CHROMIUM_ARGS, go_to, log_in  # noqa: E402
from tests.cpa_double import CpaDouble  # noqa: E402
from tests.processes import free_port, healthy, launch  # noqa: E402

KEY = "screenshot-management-key"


def shoot_config(page: Page, base_url: str, out: Path) -> None:
    log_in(page, base_url, KEY)
    go_to(page, "Configuration", "Configuration")
    expect(page.get_by_role("textbox", name="Retries per request")).to_have_value("3")
    page.screenshot(path=str(out / "config.png"))
    page.get_by_role("textbox", name="Retries per request").fill("5")
    page.get_by_role("combobox", name="Credential selection").select_option("fill-first")
    page.get_by_role("button", name="Save", exact=True).click()
    dialog = page.get_by_role("dialog", name="Review the changes before saving")
    expect(dialog.get_by_test_id("config-diff")).to_contain_text("strategy: fill-first")
    page.screenshot(path=str(out / "config-diff.png"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    cpa = CpaDouble(KEY).start()
    with tempfile.TemporaryDirectory() as work:
        port = free_port()
        env = {"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY}
        app = launch(Path(work) / "config.json", port, env=env, stdout=subprocess.DEVNULL)
        try:
            conftest.wait_until(lambda: healthy(port), 20, "the app")
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1280, "height": 1000}, color_scheme="light")
                shoot_config(page, f"http://127.0.0.1:{port}", args.out)
                browser.close()
        finally:
            app.terminate()
            app.wait(20)
            cpa.stop()
    print(f"wrote {args.out / 'config.png'} and {args.out / 'config-diff.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
