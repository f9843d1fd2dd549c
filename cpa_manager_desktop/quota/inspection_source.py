"""Where inspection reads and acts: CPA's credential list, `POST /api-call` with a deadline, and the two
writes an executed suggestion makes (`PATCH /auth-files/status`, `DELETE /auth-files`). The v0 routes are
used on every CPA from v6.10 to v8, which keeps them (cpa-v8.md §3). `$TOKEN$` is filled in by CPA."""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import quote

from cpa_manager_desktop.quota.providers import ApiRequest
from cpa_manager_desktop.quota.reading import ApiAnswer
from cpa_manager_desktop.quota.source import CpaQuotaSource


class InspectionSource(Protocol):
    def entries(self) -> list[Any]: ...

    def call(self, auth_index: str, request: ApiRequest, timeout_s: float) -> ApiAnswer: ...

    def set_disabled(self, name: str, auth_index: str, disabled: bool) -> None: ...

    def delete(self, name: str) -> None: ...


class CpaInspectionSource(CpaQuotaSource):
    def set_disabled(self, name: str, auth_index: str, disabled: bool) -> None:
        # auth_index must match too (cpa-management-api §5.5): a file replaced under the same name is refused.
        self._api.patch_json("/auth-files/status", {"name": name, "auth_index": auth_index, "disabled": disabled})

    def delete(self, name: str) -> None:
        self._api.delete(f"/auth-files?name={quote(name, safe='')}")
