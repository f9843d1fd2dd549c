"""Issue 12 §6: /usage details carry the Go service's credential snapshot fields, taken from CPA's
credential list at collection time, read at most every few minutes, and kept through renames."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cpa_manager_desktop.analytics.compat import CredentialNames
from cpa_manager_desktop.app import App
from cpa_manager_desktop.collector.credentials import CredentialSnapshots
from cpa_manager_desktop.store.credentials import CredentialStore
from cpa_manager_desktop.store.db import Database
from tests.client import call
from tests.conftest import CPA_KEY as KEY
from tests.cpa_double import CpaDouble, records


def auth_file_reads(cpa: CpaDouble) -> int:
    return sum(1 for r in cpa.recorded() if r.path == "/v0/management/auth-files")


def test_usage_details_carry_the_snapshot_fields(start_app: Callable[..., App], cpa: CpaDouble) -> None:
    app = start_app()
    assert call("POST", f"{app.base_url}/setup", json_body={"cpaBaseUrl": cpa.base_url, "managementKey": KEY}
                ).status == 200
    for batch in range(3):  # three batches, one credential-list read (refreshed at most every 5 minutes)
        cpa.enqueue(*(records.make_record(seq=batch * 10 + i, source="alice@example.com") for i in range(10)))
        assert app.collector.wait_for(lambda s, n=(batch + 1) * 10: s.total_inserted == n, 15)
    assert auth_file_reads(cpa) == 1
    payload = call("GET", f"{app.base_url}/v0/management/usage", key=KEY).json
    details = [d for api in payload["apis"].values() for m in api["models"].values() for d in m["details"]]
    assert len(details) == 30
    for detail in details:
        assert {k: detail[k] for k in ("account_snapshot", "auth_label_snapshot", "auth_file_snapshot",
                                       "auth_provider_snapshot")} == {
            "account_snapshot": "ali***@example.com", "auth_label_snapshot": "ali***@example.com",
            "auth_file_snapshot": "codex-ali***@example.com.json", "auth_provider_snapshot": "codex"}
        assert isinstance(detail["auth_snapshot_at_ms"], int) and detail["auth_snapshot_at_ms"] > 0
    assert "alice@example.com" not in str(payload)


def test_renamed_and_deleted_credentials_keep_their_names(tmp_path: Path) -> None:
    db = Database(tmp_path / "usage.sqlite")
    try:
        store = CredentialStore(db)
        listing: dict[str, Any] = {"files": [
            {"auth_index": "aaaa000000000001", "label": "old-name", "name": "a.json", "provider": "codex"},
            {"auth_index": "bbbb000000000002", "label": "gone-soon", "name": "b.json", "provider": "claude"}]}
        now = [1000.0]
        snapshots = CredentialSnapshots(lambda: listing, store, clock=lambda: now[0], refresh_s=300)
        snapshots.refresh_if_due()
        listing = {"files": [{"auth_index": "aaaa000000000001", "label": "new-name", "name": "a.json",
                              "provider": "codex"}]}
        now[0] = 1100.0
        snapshots.refresh_if_due()  # too soon: not read
        now[0] = 1400.0
        snapshots.refresh_if_due()  # renamed a, deleted b
        names = CredentialNames(store.history())
        assert names.fields("aaaa000000000001", 1_200 * 10**9)["auth_label_snapshot"] == "old-name"
        assert names.fields("aaaa000000000001", 1_500 * 10**9) == {
            "account_snapshot": "new-name", "auth_label_snapshot": "new-name", "auth_file_snapshot": "a.json",
            "auth_provider_snapshot": "codex",
            "auth_snapshot_at_ms": 1_400_000}
        # An event before the first snapshot gets the first; a deleted credential keeps its last names.
        assert names.fields("aaaa000000000001", 10**9)["auth_label_snapshot"] == "old-name"
        assert names.fields("bbbb000000000002", 2_000 * 10**9)["auth_label_snapshot"] == "gone-soon"
        assert names.fields("cccc000000000003", 2_000 * 10**9) == {}
        assert sum(len(v) for v in store.history().values()) == 3
    finally:
        db.close()


def test_a_failing_credential_list_never_holds_up_collection(tmp_path: Path) -> None:
    db = Database(tmp_path / "usage.sqlite")
    try:
        def broken() -> Any:
            raise OSError("CPA went away")

        CredentialSnapshots(broken, CredentialStore(db)).refresh_if_due()
        assert CredentialStore(db).history() == {}
    finally:
        db.close()


class _Row:
    """The one field the sink reads of an event row."""

    def __init__(self, auth_index: str | None) -> None:
        self.auth_index = auth_index


def test_a_slow_credential_list_never_holds_up_a_batch(tmp_path: Path) -> None:
    db = Database(tmp_path / "usage.sqlite")
    release, reading = threading.Event(), threading.Event()
    committed: list[int] = []

    def slow_listing() -> Any:
        reading.set()
        release.wait(10)
        return {"files": [{"auth_index": "aaaa000000000001", "label": "a", "name": "a.json", "provider": "codex"}]}

    snapshots = CredentialSnapshots(slow_listing, CredentialStore(db))
    try:
        sink = snapshots.sink(lambda rows, dead: committed.append(len(rows)))  # type: ignore[arg-type,return-value]
        sink([_Row("aaaa000000000001")], [])  # type: ignore[list-item]
        # The batch went in while CPA is still answering the list.
        assert reading.wait(5) and committed == [1] and CredentialStore(db).history() == {}
        sink([_Row("aaaa000000000001")], [])  # type: ignore[list-item]
        assert committed == [1, 1]
        release.set()
        assert snapshots.stop(5)
        assert list(CredentialStore(db).history()) == ["aaaa000000000001"]
    finally:
        release.set()
        snapshots.stop(5)
        db.close()
