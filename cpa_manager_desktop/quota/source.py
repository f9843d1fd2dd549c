"""Where quota answers come from: CPA's credential list, its `POST /api-call`, and, when CPA has a quota
provider for a credential, its own quota fetch (quota/native.py), all through cpa/."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from cpa_manager_desktop.cpa.api import ApiStatusError, CpaApi
from cpa_manager_desktop.cpa.errors import SourceUnavailable
from cpa_manager_desktop.quota.native import (
    NO_NATIVE_QUOTA,
    NOT_AVAILABLE,
    PROVIDER_FAILED,
    NativeQuota,
    NativeRoute,
    fetch_body,
    native_quota_from,
    routes_for,
)
from cpa_manager_desktop.quota.native_parse import NativeAnswer
from cpa_manager_desktop.quota.providers import ApiRequest, Credential, credential_from
from cpa_manager_desktop.quota.reading import ApiAnswer

log = logging.getLogger(__name__)
API_CALL_TIMEOUT_S = 30.0
PROVIDERS_TIMEOUT_S = 10.0


class QuotaSource(Protocol):
    def credentials(self) -> list[Credential]: ...

    def native_quota(self) -> NativeQuota:
        """Which providers CPA reads quota for itself; asked once per pass, after credentials()."""
        ...

    def call(self, auth_index: str, request: ApiRequest) -> ApiAnswer: ...

    def fetch(self, auth_index: str, route: NativeRoute) -> NativeAnswer: ...


class CpaQuotaSource:
    """`GET /auth-files` and `POST /api-call` on the connected CPA. `$TOKEN$` is filled in by CPA.
    One instance serves one pass: the version CPA sent with the credential list picks the quota routes."""

    def __init__(self, api: CpaApi) -> None:
        self._api = api
        self._version: str | None = None
        self._native = NO_NATIVE_QUOTA

    def credentials(self) -> list[Credential]:
        return [c for c in (credential_from(entry) for entry in self.entries()) if c is not None]

    def entries(self) -> list[Any]:
        """CPA's credential list as it sent it (v0 `/auth-files`, which v8 keeps: cpa-v8.md §3). Notes CPA's
        version on the way, for the native quota routes."""
        listing, self._version = self._api.get_json_versioned("/auth-files")
        files = listing.get("files") if isinstance(listing, dict) else None
        if not isinstance(files, list):
            raise SourceUnavailable("CPA answered /auth-files without a files list")
        return files

    def native_quota(self) -> NativeQuota:
        """CPA's quota providers; none when its version has no such route, or it answers 404/501 or fails
        (the quota is then read through api-call). A rejected key (AuthRejected) is raised."""
        routes = routes_for(self._version)
        self._native = NO_NATIVE_QUOTA
        if routes is None:
            return self._native
        try:
            listing = self._api.get_json(routes.providers_path, prefix=routes.prefix, timeout_s=PROVIDERS_TIMEOUT_S)
        except ApiStatusError as exc:
            if exc.status not in NOT_AVAILABLE:
                log.info("CPA quota providers unavailable, using api-call: %s", exc)
            return self._native
        except SourceUnavailable as exc:
            log.info("CPA quota providers unavailable, using api-call: %s", exc)
            return self._native
        self._native = native_quota_from(routes, listing)
        return self._native

    def call(self, auth_index: str, request: ApiRequest, timeout_s: float = API_CALL_TIMEOUT_S) -> ApiAnswer:
        """Raises CallTimedOut when CPA has not answered within timeout_s."""
        answer = self._api.post_json("/api-call", request.body(auth_index), timeout_s=timeout_s)
        return answer_from(answer)

    def fetch(self, auth_index: str, route: NativeRoute) -> NativeAnswer:
        """CPA's own quota fetch. 404/501/502 come back as answers (no provider; the provider failed);
        other failures raise like call()."""
        routes = self._native.routes
        if routes is None:
            return NativeAnswer(501)
        try:
            value = self._api.post_json(routes.fetch_path, fetch_body(auth_index, route), prefix=routes.prefix,
                                        timeout_s=API_CALL_TIMEOUT_S)
        except ApiStatusError as exc:
            if exc.status in NOT_AVAILABLE or exc.status == PROVIDER_FAILED:
                return NativeAnswer(exc.status)
            raise
        return NativeAnswer(200, value)


def answer_from(value: Any) -> ApiAnswer:
    if not isinstance(value, dict) or not isinstance(value.get("status_code"), int):
        raise SourceUnavailable("CPA answered /api-call without a status_code")
    header = value.get("header") if isinstance(value.get("header"), dict) else {}
    clean = {str(k): [str(v) for v in (vs if isinstance(vs, list) else [vs])] for k, vs in header.items()}
    body = value.get("body")
    return ApiAnswer(value["status_code"], body if isinstance(body, str) else "", clean)
