"""Retake the README's Configuration screenshots from a real stack. Run from the repository root:

    python build_scripts/screenshots_config.py [--out docs/screenshots]

Starts the CPA test double (its commented flat config.yaml), runs the app from source against it, signs in
with Debian's Chromium (build the panel first: `npm run build` in panel/) and saves config.png (the Visual
tab) and config-diff.png (the side-by-side diff shown before a save, after two edits).
"""

from __future__ import annotations

import sys
from pathlib import Path

from screenshot_kit import KEY, app_from_source, out_dir, signed_in  # first: it puts the repository on sys.path

# isort: split
from playwright.sync_api import Page, expect

from tests.browser import go_to
from tests.cpa_double import CpaDouble


def shoot_config(page: Page, out: Path) -> None:
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
    out = out_dir(__doc__)
    with CpaDouble(KEY) as cpa, app_from_source(cpa) as base_url, signed_in(base_url, height=1000) as page:
        shoot_config(page, out)
    print(f"wrote {out / 'config.png'} and {out / 'config-diff.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
