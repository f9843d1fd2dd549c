"""The Quota page in Chromium against the real server and the CPA double (v7 and v8): a card per credential in a
section per provider with the right used %, exhausted/rejected/rate-limited/unrecognised cards, our usage inside
the current windows, the sort orders and the provider filter, refreshing one credential (one api-call for it and
none for the others) and all of them with progress, and the same quota on the Credentials page.

Needs a built panel (`cd panel && npm run build`).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from cpa_manager_desktop.app import App
from tests.browser import VIEWPORT, go_to, log_in, wait_stored
from tests.client import call
from tests.conftest import CPA_KEY as KEY
from tests.conftest import wait_until
from tests.cpa_double import CpaDouble, make_record
from tests.cpa_double.quota_upstream import recorded

VERSIONS = ("v7.2.140", "v8.0.47")
MODEL = "quota-page-model"
CAROL, DAVE, ERIN, FRED, GINA, HANK = ("car***@example.com", "dav***@example.com", "eri***@example.com",
                                       "fre***@example.com", "gin***@example.com", "han***@example.com")


@pytest.fixture(params=VERSIONS)
def double(request: pytest.FixtureRequest) -> Iterator[CpaDouble]:
    cpa = CpaDouble(KEY, version=request.param).start()
    yield cpa
    cpa.stop()


def codex_now(provider: str, second: str | None) -> tuple[int, dict, str]:
    """Codex's recorded answer with its windows ending an hour and a day from now, so they are current."""
    status, header, body = recorded("codex", "normal")
    value = json.loads(body)
    now = int(time.time())
    value["rate_limit"]["primary_window"].update(reset_at=now + 3600, reset_after_seconds=3600)
    value["rate_limit"]["secondary_window"].update(reset_at=now + 86_400, reset_after_seconds=86_400)
    return status, header, json.dumps(value)


def accounts(cpa: CpaDouble) -> dict[str, str]:
    cpa.credentials.clear()
    made = {
        CAROL: cpa.quota_accounts.add("codex", "carol@example.com"),
        DAVE: cpa.quota_accounts.add("codex", "dave@example.com", "exhausted"),
        ERIN: cpa.quota_accounts.add("claude", "erin@example.com", "expired"),
        FRED: cpa.quota_accounts.add("kimi", "fred@example.com", "unknown"),
        GINA: cpa.quota_accounts.add("gemini-cli", "gina@example.com"),
        HANK: cpa.quota_accounts.add("claude", "hank@example.com", "rate_limited"),
    }
    cpa.quota_accounts.scripted[made[CAROL]] = codex_now
    return made


def open_quota(page: Page, start_app: Callable[..., App], cpa: CpaDouble) -> tuple[App, dict[str, str]]:
    made = accounts(cpa)
    now = datetime.now(UTC).replace(microsecond=0)
    records = []
    for i in range(2):
        rec = make_record(provider="codex", model=MODEL, seq=i, request_id=f"quota-{i}",
                          timestamp=now - timedelta(minutes=10 + i), tokens={"input": 1000, "output": 100})
        rec["auth_index"] = made[CAROL]
        records.append(rec)
    cpa.enqueue(*records)
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_POLL_INTERVAL_MS": "50"})
    assert call("PUT", f"{app.base_url}/v0/management/model-prices", key=KEY,
                json_body={"prices": {MODEL: {"input": 1, "output": 10}}}).status == 200
    wait_stored(app.base_url, KEY, 2)

    def checked() -> bool:
        found = call("GET", f"{app.base_url}/quota/latest", key=KEY).json["credentials"]
        return sorted(c["auth_index"] for c in found if c["snapshot"]) == sorted(made.values())
    wait_until(checked, 20.0, "every credential's first quota reading")
    log_in(page, app.base_url, KEY)
    go_to(page, "Quota", "Quota")
    return app, made


def card_names(page: Page) -> list[str]:
    return [a.get_attribute("aria-label") or "" for a in page.get_by_role("article").all()]


# Run in the page: what in each drawn card would be cut off or broken. A card must be as tall as its content (its
# buttons inside it), a countdown or usage item must stay on one line, the usage line must not end in "…", and a
# short account name must not be cut for its badge.
CARD_PROBLEMS = """() => [...document.querySelectorAll('article')].flatMap((card) => {
  const name = card.getAttribute('aria-label');
  const box = card.getBoundingClientRect();
  const out = [];
  if (card.scrollHeight > card.clientHeight + 1) out.push(`${name}: content taller than the card`);
  for (const button of card.querySelectorAll('button')) {
    const r = button.getBoundingClientRect();
    if (r.bottom > box.bottom + 0.5 || r.right > box.right + 0.5) out.push(`${name}: ${button.textContent} outside`);
    if (r.height > 44) out.push(`${name}: ${button.textContent} wraps`);
  }
  for (const span of card.querySelectorAll('li span')) {
    const leaf = span.children.length === 0;
    if (leaf && span.getClientRects().length > 1) out.push(`${name}: "${span.textContent}" broken`);
    const usage = span.textContent.startsWith('This window:');
    if (usage && span.scrollWidth > span.clientWidth + 1) out.push(`${name}: usage cut`);
  }
  const title = card.querySelector('header span[title]');
  if (title && title.scrollWidth > title.clientWidth + 1) out.push(`${name}: name cut`);
  return out;
})"""


def assert_cards_fit(page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    problems: list[str] = []

    def fits() -> bool:
        problems[:] = page.evaluate(CARD_PROBLEMS)
        return not problems
    try:
        wait_until(fits, 5.0, f"cards that fit their content at {width} px")
    except AssertionError as error:
        raise AssertionError(f"at {width} px: {problems}") from error


def test_cards_states_usage_and_order(page: Page, start_app, double: CpaDouble) -> None:
    open_quota(page, start_app, double)
    cards = page.get_by_role("region", name="Quota by credential")
    expect(cards.get_by_role("heading", level=2)).to_have_text(
        ["claude 2 credentials", "codex 2 credentials", "gemini-cli 1 credential", "kimi 1 credential"])
    # Soonest recovery: waiting for quota first (exhausted, then rate-limited), usable next, rejected last.
    assert card_names(page) == [HANK, ERIN, DAVE, CAROL, GINA, FRED]

    carol = page.get_by_role("article", name=CAROL)
    expect(carol).to_contain_text("OK")
    expect(carol).to_contain_text("Plan: plus")
    windows = carol.get_by_role("list", name="Quota windows").get_by_role("listitem")
    expect(windows.nth(0)).to_contain_text("5 hours23% used")
    expect(windows.nth(0)).to_contain_text(re.compile(r"resets in (59 min \d+ s|1 h 0 min)"))
    expect(windows.nth(1)).to_contain_text("Weekly41.5% used")
    expect(windows.nth(1)).to_contain_text(re.compile(r"resets in 23 h 59 min|resets in 1 d 0 h"))
    # Two requests of 1,000 input and 100 output tokens at $1 and $10 per million, inside both windows:
    # $0.004, shown as money under a cent.
    for i in range(2):
        expect(windows.nth(i)).to_contain_text("This window: 2 requests · 2,200 tokens · < $0.01")
    expect(carol.get_by_role("img")).to_have_accessible_name(
        "Used % over 7 days: 5 hours peak 23%, Weekly peak 41.5%")

    dave = page.get_by_role("article", name=DAVE)
    expect(dave).to_contain_text("Exhausted")
    expect(dave.get_by_role("listitem").first).to_contain_text("100% used")
    expect(page.get_by_role("article", name=ERIN)).to_contain_text("Credential rejected")
    expect(page.get_by_role("article", name=ERIN)).to_contain_text("The provider refused this credential (HTTP 401)")
    expect(page.get_by_role("article", name=HANK)).to_contain_text("Rate-limited")
    expect(page.get_by_role("article", name=GINA)).to_contain_text("gemini-2.5-pro18% used")

    for width in (800, 1440, 1280):
        assert_cards_fit(page, width)
    page.set_viewport_size(VIEWPORT)  # every card drawn again for what follows

    fred = page.get_by_role("article", name=FRED)
    expect(fred).to_contain_text("Unrecognised quota format")
    fred.get_by_role("button", name="Show the redacted answer").click()
    dialog = page.get_by_role("dialog", name=f"Redacted answer for {FRED}")
    expect(dialog).to_contain_text('"quota\\":\\"unlimited\\"')
    page.keyboard.press("Escape")

    page.get_by_label("Sort").select_option(label="Name")
    assert card_names(page) == [ERIN, HANK, CAROL, DAVE, GINA, FRED]
    page.get_by_role("group", name="Providers").get_by_role("button", name=re.compile(r"^codex")).click()
    expect(page.get_by_text("2 of 6 shown")).to_be_visible()
    assert card_names(page) == [CAROL, DAVE]


def test_refresh_one_asks_once_for_that_credential_then_all_with_progress(
        page: Page, start_app, double: CpaDouble) -> None:
    _app, made = open_quota(page, start_app, double)
    before = dict(double.quota_accounts.calls_by)
    page.get_by_role("button", name=f"Refresh {CAROL}").click()
    progress = page.get_by_role("region", name="Refresh progress")
    expect(progress.get_by_role("status")).to_have_text(f"{CAROL} checked.")
    after = dict(double.quota_accounts.calls_by)
    assert {k: after[k] - before.get(k, 0) for k in after if after[k] != before.get(k, 0)} == {made[CAROL]: 1}

    page.get_by_role("button", name="Refresh all").click()
    expect(progress.get_by_role("status")).to_have_text("Checked 6 credentials.")
    expect(progress.get_by_role("progressbar")).to_have_attribute("value", "6")
    # Every credential was asked again, the rejected one too (a refresh is how a person retries it).
    assert all(double.quota_accounts.calls_by[index] > after[index] for index in made.values())


def test_credentials_page_shows_the_quota_badge(page: Page, start_app, double: CpaDouble) -> None:
    open_quota(page, start_app, double)
    go_to(page, "Credentials", "Credentials")
    carol = page.get_by_role("listitem", name="codex-carol@example.com.json", exact=True)
    expect(carol.get_by_role("group", name="Quota")).to_have_text(
        re.compile(r"Quota: 58\.5% left · resets in (23 h 59 min|1 d 0 h)"))
    dave = page.get_by_role("listitem", name="codex-dave@example.com.json", exact=True)
    expect(dave.get_by_role("group", name="Quota")).to_have_text(re.compile(r"Quota: Exhausted · 0% left · back in "))
    erin = page.get_by_role("listitem", name="claude-erin@example.com.json", exact=True)
    expect(erin.get_by_role("group", name="Quota")).to_have_text("Quota: Credential rejected")


def test_quota_page_says_so_without_a_usage_service(page: Page, double: CpaDouble) -> None:
    """In CPA panel mode with no service connected there is no quota to show, and the Credentials page no badge."""
    double.management_html = (Path(__file__).resolve().parents[1] / "assets" / "management.html").read_bytes()
    page.goto(f"{double.base_url}/management.html")
    page.get_by_label("Management Key", exact=True).fill(KEY)
    page.get_by_role("button", name="Sign in", exact=True).click()
    go_to(page, "Quota", "Quota")
    expect(page.get_by_text("No usage service connected")).to_be_visible()
    expect(page.get_by_role("article")).to_have_count(0)
    go_to(page, "Credentials", "Credentials")
    expect(page.get_by_role("listitem", name="claude-bob@example.com.json", exact=True)).to_be_visible()
    expect(page.get_by_role("group", name="Quota")).to_have_count(0)
    assert not [r for r in double.recorded() if r.path.startswith("/quota/")]
