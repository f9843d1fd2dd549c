"""The Credentials page in a real browser at pool scale. Prints figures against targets; asserts nothing.

    python bench/panel_credentials.py [--size 5000] [--version v8.0.47] [--batch 1000] [--repeat 5]

Starts the CPA double holding --size credentials (five providers in turn, so a provider chip shows a fifth of them)
with two usage records per credential inside the last 24 hours, the real app collecting from it (both in this
process), opens the bundled panel in Debian's Chromium through Playwright, signs in and measures:

  page ready   from setting location.hash to "#/credentials" (from an idle page) until the list shows rows, the
               toolbar counts every credential, and the first row's 24 h usage reads "2 requests" (CPA's list
               and our usage service's analytics both arrived and were joined). Target < 1 s.
  search       from the search box's input event until the toolbar count and the first row reflect the new text
               (one credential matches). Target < 100 ms.
  filter       from a provider chip's click until the count shows that provider's credentials. Target < 100 ms.
  batch        --batch credentials selected (one provider's chip, then "Select all shown"), Disable clicked, until
               the report says all succeeded; every animation frame samples the progress bar, and the longest gap
               between two progress changes is printed ("progress visible throughout": the bar is on screen from
               the click to the report, and never stalls long).

Times are taken inside the page with performance.now() (start in a capture-phase listener or just before the
hash is set; end by a requestAnimationFrame check), so they are at most one frame late. The double and the
app share this Python process (and its GIL) with nothing else; CPA itself would answer faster.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpa_manager_desktop import paths  # noqa: E402
from cpa_manager_desktop.app import App, build_app  # noqa: E402
from cpa_manager_desktop.config import Overrides, load_settings  # noqa: E402
from tests.conftest import wait_until  # noqa: E402
from tests.cpa_double import CpaDouble, make_record  # noqa: E402

KEY = "bench-management-key"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--no-default-browser-check"]
VIEWPORT = {"width": 1440, "height": 1000}
READY_TARGET_MS = 1000.0
CHANGE_TARGET_MS = 100.0
WAIT_MS = 120_000
IDLE_HASH = "#/bench-idle"

STATE_JS = """
() => {
  const main = document.getElementById("main");
  const count = [...(main?.querySelectorAll('[role="status"]') ?? [])].map((s) => s.textContent ?? "")
    .find((t) => / of [\\d,]+ shown$/.test(t)) ?? "";
  const rows = [...(main?.querySelectorAll('[role="list"] [role="listitem"]') ?? [])];
  const byIndex = (a, b) => (Number(a.dataset.index) <= Number(b.dataset.index) ? a : b);
  const first = rows.length ? rows.reduce(byIndex) : null;
  const day = first?.querySelector('[role="group"][aria-label="24 h"]')?.textContent ?? "";
  const report = main?.querySelector('[role="region"][aria-label="Batch report"]');
  const bar = report?.querySelector("progress");
  return { count, rows: rows.length, first: first?.getAttribute("aria-label") ?? "", day,
           progress: bar ? Number(bar.value) : null,
           report: report?.querySelector('p[role="status"]')?.textContent ?? "" };
}
"""


def start_stack(size: int, version: str, workdir: Path) -> tuple[CpaDouble, App]:
    cpa = CpaDouble(KEY, version=version, retention_s=3600).start()
    cpa.credentials.clear()
    cpa.credentials.add_many(size)
    now = datetime.now(UTC).replace(microsecond=0)
    records = []
    for i, name in enumerate(cpa.credentials.names()):
        cred = cpa.credentials.get(name)
        assert cred is not None
        for j in range(2):
            rec = make_record(provider=cred.type, seq=2 * i + j, request_id=f"b{i}-{j}",
                              timestamp=now - timedelta(minutes=5 + j * 60 + i % 300))
            rec["auth_index"] = cred.auth_index
            records.append(rec)
    cpa.enqueue(*records)
    base = paths.BaseDirs(config_dir=workdir, default_data_dir=workdir / "data", is_portable=True)
    env = {"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"}
    app = build_app(load_settings(Overrides(http_addr="127.0.0.1:0"), env=env, base=base))
    app.start()
    wait_until(lambda: cpa.queue_length() == 0, 120.0, "the collector to drain the usage queue")
    return cpa, app


def wait_js(page: Page, predicate: str, arg: object = None) -> float:
    return float(page.wait_for_function(predicate, arg=arg, timeout=WAIT_MS, polling="raf").json_value())


def page_ready(page: Page, size: int) -> float:
    page.evaluate(f"() => {{ window.location.hash = '{IDLE_HASH}'; }}")
    page.wait_for_function("() => !document.querySelector('main h1') || "
                           "document.querySelector('main h1').textContent !== 'Credentials'")
    start = float(page.evaluate(
        "() => { const t = performance.now(); window.location.hash = '#/credentials'; return t; }"))
    done = wait_js(page, f"""() => {{ const s = ({STATE_JS})();
        return s.rows > 0 && s.count === "{size:,} of {size:,} shown" && s.day.includes("2 requests")
          ? performance.now() : false; }}""")
    return done - start


def search_change(page: Page, text: str, size: int) -> float:
    box = page.get_by_role("searchbox", name="Search")
    box.fill("")
    page.wait_for_function(f"() => ({STATE_JS})().count === '{size:,} of {size:,} shown'")
    page.evaluate("() => { window.__t = null; document.addEventListener('input', () => { "
                  "window.__t = performance.now(); }, { capture: true, once: true }); }")
    box.fill(text)
    return wait_js(page, f"""(name) => {{ const s = ({STATE_JS})();
        return window.__t !== null && s.count === "1 of {size:,} shown" && s.first === name
          ? performance.now() - window.__t : false; }}""", f"codex-{text}.json")


def chip_change(page: Page, size: int) -> float:
    page.get_by_role("searchbox", name="Search").fill("")
    page.wait_for_function(f"() => ({STATE_JS})().count === '{size:,} of {size:,} shown'")
    chip = page.get_by_role("group", name="Providers").get_by_role("button").filter(has_text="claude")
    page.evaluate("() => { window.__t = null; document.addEventListener('click', () => { "
                  "window.__t = performance.now(); }, { capture: true, once: true }); }")
    chip.click()
    done = wait_js(page, f"""() => {{ const s = ({STATE_JS})();
        return window.__t !== null && s.count === "{size // 5:,} of {size:,} shown" && s.first.startsWith("claude-")
          ? performance.now() - window.__t : false; }}""")
    chip.click()  # off again
    return done


def batch_toggle(page: Page, batch: int) -> tuple[float, float, int]:
    """(end-to-end ms, longest stall between progress changes in ms, progress samples)."""
    page.get_by_role("group", name="Providers").get_by_role("button").filter(has_text="codex").click()
    page.get_by_role("button", name=f"Select all shown ({batch:,})").click()
    page.evaluate(f"""() => {{
      window.__samples = []; window.__t = null;
      document.addEventListener('click', () => {{ window.__t = performance.now(); }}, {{ capture: true, once: true }});
      const sample = () => {{ const s = ({STATE_JS})();
        window.__samples.push([performance.now(), s.progress]);
        if (!s.report.startsWith("Disable: ") || !s.report.includes("succeeded")) requestAnimationFrame(sample); }};
      requestAnimationFrame(sample);
    }}""")
    bar = page.get_by_role("region", name="Selection and batch actions")
    bar.get_by_role("button", name="Disable", exact=True).click()
    report = f"Disable: {batch:,} succeeded, 0 failed, of {batch:,}."
    total = wait_js(page, f"""(report) => {{ const s = ({STATE_JS})();
        return s.report === report ? performance.now() - window.__t : false; }}""", report)
    samples = page.evaluate("() => window.__samples.filter(([t]) => t >= window.__t)")
    changes = [now[0] for before, now in pairwise(samples) if now[1] != before[1]]
    stamps = [float(samples[0][0]), *changes, float(samples[-1][0])] if samples else [0.0]
    stall = max((b - a for a, b in pairwise(stamps)), default=0.0)
    missing = sum(1 for _, v in samples if v is None)
    return total, stall, missing


def line(name: str, values: list[float], target: float | None) -> None:
    median = statistics.median(values)
    verdict = "" if target is None else ("  ok" if median < target else "  OVER TARGET")
    shown = " ".join(f"{v:.0f}" for v in values)
    goal = "" if target is None else f" (target < {target:.0f} ms)"
    print(f"{name:<12} median {median:8.1f} ms{goal}{verdict}   runs: {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--version", default="v8.0.47")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if args.batch != args.size // 5:
        raise SystemExit("--batch is one provider's share: use --size / 5")
    panel = ROOT / "assets" / "management.html"
    if not panel.exists():
        raise SystemExit("build the panel first: cd panel && npm run build")
    with tempfile.TemporaryDirectory(prefix="bench-credentials-") as tmp:
        cpa, app = start_stack(args.size, args.version, Path(tmp))
        try:
            print(f"CPA double {args.version}: {args.size:,} credentials, {2 * args.size:,} usage events stored")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
                page = browser.new_page(viewport=VIEWPORT)
                page.goto(f"{app.base_url}/management.html")
                page.get_by_label("Management Key", exact=True).fill(KEY)
                page.get_by_role("button", name="Sign in", exact=True).click()
                page.wait_for_selector("main h1")
                ready = [page_ready(page, args.size) for _ in range(args.repeat)]
                line("page ready", ready, READY_TARGET_MS)
                names = sorted(n for n in cpa.credentials.names() if n.startswith("codex-"))
                probe = names[len(names) // 2].removeprefix("codex-").removesuffix(".json")
                line("search", [search_change(page, probe, args.size) for _ in range(args.repeat)], CHANGE_TARGET_MS)
                line("filter", [chip_change(page, args.size) for _ in range(args.repeat)], CHANGE_TARGET_MS)
                total, stall, missing = batch_toggle(page, args.batch)
                print(f"batch        {args.batch:,} disabled end to end in {total / 1000:.2f} s "
                      f"({args.batch / (total / 1000):.0f}/s); longest progress stall {stall:.0f} ms; "
                      f"progress bar missing in {missing} frames")
                browser.close()
        finally:
            app.stop()
            cpa.stop()


if __name__ == "__main__":
    main()
