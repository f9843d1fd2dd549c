"""The two opt-in quota notifications (both off by default), kept in the settings table. The tray reads
them every 2 s, so the value is read from the store once and then kept; a change goes through here."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, replace

from cpa_manager_desktop.store.settings import SettingsStore

SETTINGS_KEY = "quota_notifications"


@dataclass(frozen=True)
class QuotaNotifications:
    on_reset: bool = False              # a credential's nearly used-up window reset
    on_provider_exhausted: bool = False  # every credential of a provider is out of quota


class QuotaNotifySettings:
    def __init__(self, saved: SettingsStore) -> None:
        self._saved = saved
        self._lock = threading.Lock()
        self._value: QuotaNotifications | None = None

    def get(self) -> QuotaNotifications:
        with self._lock:
            if self._value is None:
                self._value = _from_json(self._saved.get(SETTINGS_KEY))
            return self._value

    def update(self, *, on_reset: bool | None = None, on_provider_exhausted: bool | None = None) -> QuotaNotifications:
        """Change the switches given; the others keep their value."""
        current = self.get()
        value = replace(current,
                        on_reset=current.on_reset if on_reset is None else on_reset,
                        on_provider_exhausted=(current.on_provider_exhausted if on_provider_exhausted is None
                                               else on_provider_exhausted))
        with self._lock:
            self._saved.put(SETTINGS_KEY, asdict(value))
            self._value = value
        return value


def _from_json(value: object) -> QuotaNotifications:
    if not isinstance(value, dict):
        return QuotaNotifications()
    return QuotaNotifications(on_reset=value.get("on_reset") is True,
                              on_provider_exhausted=value.get("on_provider_exhausted") is True)
