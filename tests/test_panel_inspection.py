"""The Codex inspection page in Chromium, against the real server and the CPA double: a dry run that changes
nothing, then one suggestion executed after the confirmation, the credential disabled at the double, and the
credential a person disabled left alone. Needs a built panel (`cd panel && npm run build`)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser import go_to, log_in
from tests.conftest import CPA_KEY as KEY
from tests.conftest import wait_until


def disabled_at(cpa, name: str) -> bool:
    credential = cpa.credentials.get(name)
    assert credential is not None
    return credential.disabled


def writes(cpa) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in cpa.requests if r.method in ("PATCH", "DELETE", "PUT")]


# Run in the page: the results table's Execute buttons lie inside the card whatever its width (the table may scroll
# sideways, the action column stays in view; from 1280 px wide it fits without scrolling), every file name is on one
# line with its full name as a tooltip.
RESULT_PROBLEMS = """(mustFit) => {
  const table = document.querySelector('table');
  const wrap = table.parentElement.getBoundingClientRect();
  const out = [];
  const widths = [...table.querySelectorAll('th')].map((th) => `${th.textContent}=${Math.round(th.offsetWidth)}`);
  if (mustFit && table.scrollWidth > table.parentElement.clientWidth + 1) out.push(`table too wide: ${widths}`);
  for (const button of document.querySelectorAll('tbody button')) {
    const r = button.getBoundingClientRect();
    if (r.left < wrap.left || r.right > wrap.right + 0.5) out.push(`${button.textContent}: outside the card`);
    if (button.scrollWidth > button.clientWidth + 1 || r.height > 44) out.push(`${button.textContent}: clipped`);
  }
  for (const cell of document.querySelectorAll('tbody span[title]')) {
    const lines = cell.getClientRects().length;
    if (lines !== 1 || cell.getBoundingClientRect().height > 30) out.push(`${cell.title}: wraps`);
    if (cell.textContent !== cell.title) out.push(`${cell.title}: title differs`);
  }
  if (document.querySelectorAll('tbody span[title]').length === 0) out.push('no file names with a tooltip');
  return out;
}"""


def assert_results_fit(page: Page, width: int) -> None:
    problems: list[str] = []

    def fits() -> bool:
        problems[:] = page.evaluate(RESULT_PROBLEMS, width >= 1280)
        return not problems
    try:
        wait_until(fits, 5.0, f"results that fit at {width} px")
    except AssertionError as error:
        raise AssertionError(f"at {width} px: {problems}") from error


def test_a_dry_run_then_one_suggestion_executed_after_confirmation(page: Page, start_app, cpa) -> None:
    cpa.credentials.clear()
    cpa.quota_accounts.add("codex", "alice.ok@example.com")
    cpa.quota_accounts.add("codex", "bob.full@example.com", "exhausted")
    cpa.quota_accounts.add("codex", "carol.old@example.com", "expired")
    cpa.quota_accounts.add("codex", "fay.off@example.com", disabled=True)
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"})
    wait_until(lambda: app.controller.collector_status().state == "running", message="collection running")
    log_in(page, app.base_url, KEY)
    go_to(page, "Codex inspection", "Codex inspection")

    page.get_by_label("Workers").fill("2")
    page.get_by_role("button", name="Run (dry run)").click()
    expect(page.get_by_text("4 of 4 checked")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Inspection progress")).to_be_visible()
    bob = page.get_by_role("row").filter(has_text="codex-bob.full@example.com.json")
    expect(bob).to_contain_text("bob***@example.com")
    expect(bob).to_contain_text("Disable")
    expect(bob).to_contain_text("100% of the weekly window is used, at or over the 100% threshold")
    carol = page.get_by_role("row").filter(has_text="codex-carol.old@example.com.json")
    expect(carol).to_contain_text("401")
    expect(carol).to_contain_text("Delete")
    fay = page.get_by_role("row").filter(has_text="codex-fay.off@example.com.json")
    expect(fay).to_contain_text("disabled by hand: inspection never re-enables")
    expect(fay.get_by_role("button")).to_have_count(0)
    assert writes(cpa) == []  # the dry run changed nothing at CPA
    for width in (1280, 800):
        page.set_viewport_size({"width": width, "height": 900})
        assert_results_fit(page, width)

    bob.get_by_role("button", name="Execute Disable for codex-bob.full@example.com.json").click()
    dialog = page.get_by_role("dialog", name="Disable this credential at CPA?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    assert writes(cpa) == [] and not disabled_at(cpa, "codex-bob.full@example.com.json")

    bob.get_by_role("button", name="Execute Disable for codex-bob.full@example.com.json").click()
    page.get_by_role("dialog").get_by_role("button", name="Execute").click()
    expect(bob).to_contain_text("Done")
    assert disabled_at(cpa, "codex-bob.full@example.com.json")
    assert writes(cpa) == [("PATCH", "/v0/management/auth-files/status")]
    assert cpa.credentials.get("codex-carol.old@example.com.json") is not None  # not executed: still there
    assert disabled_at(cpa, "codex-fay.off@example.com.json")
    expect(page.get_by_role("button", name="Execute 1 suggestion")).to_be_visible()  # the delete is still pending
    past = page.get_by_role("region", name="Past runs")
    expect(past).to_contain_text("disable 1, enable 0, delete 1, keep 2")
