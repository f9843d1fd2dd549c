"""Where the saved Management Key lives (issue 11 §6): the OS credential store when one works, the
database otherwise; /status says which."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import null

from cpa_manager_desktop.app import App
from tests.client import call
from tests.conftest import CPA_KEY as KEY
from tests.cpa_double import CpaDouble


class MemoryKeyring(KeyringBackend):
    """A credential store held in memory: keyring's real API, no desktop session needed."""

    priority = 1  # type: ignore[assignment]
    name = "Memory test store"  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.passwords.pop((service, username), None)


@pytest.fixture
def store() -> Iterator[MemoryKeyring]:
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(null.Keyring())


def setup(app: App, cpa: CpaDouble) -> None:
    reply = call("POST", f"{app.base_url}/setup", json_body={"cpaBaseUrl": cpa.base_url, "managementKey": KEY})
    assert reply.status == 200, reply.body


def database_text(app: App) -> bytes:
    app.db.close()
    conn = sqlite3.connect(app.settings.db_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return app.settings.db_path.read_bytes()


def status(app: App) -> dict:
    return call("GET", f"{app.base_url}/status", key=KEY).json


def test_the_key_goes_to_the_credential_store(start_app, cpa: CpaDouble, store: MemoryKeyring) -> None:
    app = start_app()
    setup(app, cpa)

    assert list(store.passwords.values()) == [KEY]
    assert (status(app)["keyStore"], status(app)["keyStoreName"]) == ("credential-store", "Memory test store")
    app.stop()
    again = start_app()
    assert again.controller.current_upstream().management_key == KEY
    assert KEY.encode() not in database_text(again)


def test_without_a_credential_store_the_key_stays_in_the_database(start_app, cpa: CpaDouble) -> None:
    app = start_app()
    setup(app, cpa)
    assert (status(app)["keyStore"], status(app)["keyStoreName"]) == ("database", "")
    app.stop()
    assert start_app().controller.current_upstream().management_key == KEY


def test_a_key_saved_in_the_database_moves_to_the_store(start_app, cpa: CpaDouble) -> None:
    app = start_app()
    setup(app, cpa)
    app.stop()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    try:
        again = start_app()
        assert status(again)["keyStore"] == "credential-store"
        assert list(memory.passwords.values()) == [KEY]
        assert KEY.encode() not in database_text(again)
    finally:
        keyring.set_keyring(null.Keyring())


def test_environment_setup_is_reported(start_app, cpa: CpaDouble) -> None:
    app = start_app({"CPA_UPSTREAM_URL": cpa.base_url, "CPA_MANAGEMENT_KEY": KEY})
    assert status(app)["keyStore"] == "environment"
