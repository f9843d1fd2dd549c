"""Where quota answers come from: CPA's credential list and its `POST /api-call`, through cpa/."""

from __future__ import annotations

from typing import Any, Protocol

from cpa_manager_desktop.cpa.api import CpaApi
from cpa_manager_desktop.cpa.errors import SourceUnavailable
from cpa_manager_desktop.quota.providers import ApiRequest, Credential, credential_from
from cpa_manager_desktop.quota.reading import ApiAnswer

API_CALL_TIMEOUT_S = 30.0


class QuotaSource(Protocol):
    def credentials(self) -> list[Credential]: ...

    def call(self, auth_index: str, request: ApiRequest) -> ApiAnswer: ...


class CpaQuotaSource:
    """`GET /auth-files` and `POST /api-call` on the connected CPA. `$TOKEN$` is filled in by CPA."""

    def __init__(self, api: CpaApi) -> None:
        self._api = api

    def credentials(self) -> list[Credential]:
        return [c for c in (credential_from(entry) for entry in self.entries()) if c is not None]

    def entries(self) -> list[Any]:
        """CPA's credential list as it sent it (v0 `/auth-files`, which v8 keeps: cpa-v8.md §3)."""
        listing = self._api.get_json("/auth-files")
        files = listing.get("files") if isinstance(listing, dict) else None
        if not isinstance(files, list):
            raise SourceUnavailable("CPA answered /auth-files without a files list")
        return files

    def call(self, auth_index: str, request: ApiRequest, timeout_s: float = API_CALL_TIMEOUT_S) -> ApiAnswer:
        """Raises CallTimedOut when CPA has not answered within timeout_s."""
        answer = self._api.post_json("/api-call", request.body(auth_index), timeout_s=timeout_s)
        return answer_from(answer)


def answer_from(value: Any) -> ApiAnswer:
    if not isinstance(value, dict) or not isinstance(value.get("status_code"), int):
        raise SourceUnavailable("CPA answered /api-call without a status_code")
    header = value.get("header") if isinstance(value.get("header"), dict) else {}
    clean = {str(k): [str(v) for v in (vs if isinstance(vs, list) else [vs])] for k, vs in header.items()}
    body = value.get("body")
    return ApiAnswer(value["status_code"], body if isinstance(body, str) else "", clean)
