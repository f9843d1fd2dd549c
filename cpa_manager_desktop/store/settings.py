"""Small JSON values kept in the settings table (the saved setup, UI preferences)."""

from __future__ import annotations

import json
import time
from typing import Any

from cpa_manager_desktop.store.db import Database


class SettingsStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    def get(self, key: str) -> Any | None:
        row = self._db.read(lambda c: c.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone())
        return json.loads(row[0]) if row else None

    def put(self, key: str, value: Any) -> None:
        text = json.dumps(value, separators=(",", ":"))
        self._db.write(lambda c: c.execute(
            "INSERT INTO settings (key, value, updated_ns) VALUES (?, ?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_ns = excluded.updated_ns",
            (key, text, time.time_ns()),
        ))

    def delete(self, key: str) -> None:
        self._db.write(lambda c: c.execute("DELETE FROM settings WHERE key = ?", (key,)))
