"""The config.yaml side of ``CpaDouble``: the file, its runtime view, and the attributes older tests use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .config_file import ConfigStore
from .config_layout import set_path
from .state import UsageQueue

SETTINGS_KEYS = ("debug", "request-retry", "logging-to-file", "request-log", "max-retry-interval", "proxy-url")


class ConfigAccess:
    config: ConfigStore
    usage_queue: UsageQueue
    _stats_enabled: bool

    @property
    def config_path(self) -> Path:
        return self.config.path

    def read_config_text(self) -> str:
        return self.config.read_text()

    def write_config_text(self, text: str) -> None:
        """Simulate an out-of-band edit of config.yaml (another panel, an editor); applied at once."""
        self.config.write_text(text)

    def rewrite_to_v8(self) -> None:
        """What another panel's first v8 save does to the file: the same settings as a v8 tree."""
        self.config.edit_v8(lambda tree: None)

    def runtime_config(self) -> dict[str, Any]:
        """What ``GET /v0/management/config`` answers now."""
        return self.config.runtime()

    def _config_changed(self) -> None:
        # CPA hot-reloads asynchronously after a save; the double applies the file at once.
        runtime = self.config.runtime()
        self._stats_enabled = bool(runtime["usage-statistics-enabled"])
        self.usage_queue.set_retention(runtime["redis-usage-queue-retention-seconds"])

    def _set_config(self, path: tuple[str, ...], value: Any) -> None:
        self.config.edit_legacy(lambda legacy: set_path(legacy, path, value))

    @property
    def api_keys(self) -> list[str]:
        """Client API keys from config.yaml (guarding /v1/models)."""
        return list(self.config.runtime()["api-keys"] or [])

    @api_keys.setter
    def api_keys(self, keys: list[str]) -> None:
        self._set_config(("api-keys",), list(keys))

    @property
    def settings(self) -> dict[str, Any]:
        """A snapshot of the runtime values the v0 single-field setters touch most."""
        runtime = self.config.runtime()
        return {key: runtime[key] for key in SETTINGS_KEYS}
