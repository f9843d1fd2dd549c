"""The double's credential (auth file) store: name → JSON bytes plus CPA's runtime state (cpa-management-api §5).

Files live only in memory, under a made-up absolute auth-dir, so ``auth_index`` is computed exactly as CPA does:
sha256(``<lower(type)>:<absolute path>``)[:8] as 16 hex. The two seeded files keep the index the usage-record
builders use (``auth_index_for(provider, email)``), so records made with ``make_record`` join them.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from . import model_definitions
from .clock import FakeClock
from .records import auth_index_for, format_go_time

AUTH_DIR = "/home/cpa/.cli-proxy-api"
MAX_WEIGHT = 1_000_000
# Legacy spellings CPA renames when it re-saves a file (§5.3, §5.6).
LEGACY_KEYS = {"proxy-url": "proxy_url", "api-key": "api_key", "request-retry": "request_retry",
               "excluded-models": "excluded_models", "disable-cooling": "disable_cooling", "project-id": "project_id"}
QUOTA_PROVIDERS = ("claude", "codex", "devin")
_CHANNELS = {"claude": "claude", "codex": "codex", "gemini": "gemini", "vertex": "vertex", "kimi": "kimi",
             "kimi-ai": "kimi", "antigravity": "antigravity", "xai": "xai", "aistudio": "aistudio"}


class StoreError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Credential:
    name: str
    content: bytes
    created_at: str
    updated_at: str
    status: str = "active"
    status_message: str = ""
    unavailable: bool = False
    next_retry_after: str | None = None
    success: int = 0
    failed: int = 0
    runtime_only: bool = False
    auth_index_override: str | None = None
    quota: dict[str, Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def data(self) -> dict[str, Any]:
        try:
            parsed = json.loads(self.content)
        except ValueError:
            return {}
        return parsed if isinstance(parsed, dict) else {}

    @property
    def path(self) -> str:
        return f"{AUTH_DIR}/{self.name}"

    @property
    def type(self) -> str:
        raw = self.data().get("type")
        if not isinstance(raw, str) or not raw.strip():
            return "unknown"
        return raw if raw in ("gemini", "gemini-cli") else raw.strip().lower()

    @property
    def auth_index(self) -> str:
        if self.auth_index_override:
            return self.auth_index_override
        return hashlib.sha256(f"{self.type.lower()}:{self.path}".encode()).hexdigest()[:16]

    @property
    def disabled(self) -> bool:
        return self.data().get("disabled") is True


def canonical(data: dict[str, Any]) -> dict[str, Any]:
    """Legacy keys renamed, snake_case winning when both spellings are present."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        target = LEGACY_KEYS.get(key, key)
        if target != key and target in data:
            continue
        out[target] = value
    return out


def resave(data: dict[str, Any]) -> bytes:
    """CPA's re-save on registration: json.Marshal of the metadata (compact, keys sorted, ``disabled`` added)."""
    clean = canonical(data)
    clean["disabled"] = clean.get("disabled") is True
    return json.dumps(clean, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def parse_upload(name: str, raw: bytes) -> dict[str, Any]:
    """Validate one uploaded file as CPA does; raises StoreError with CPA's status and sentence."""
    if not name.endswith(".json"):
        raise StoreError(400, "file must be .json")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise StoreError(500, f"invalid auth file: {exc}") from exc
    if not isinstance(data, dict):
        raise StoreError(500, "invalid auth file: json: cannot unmarshal array into Go value of type "
                              "map[string]interface {}")
    weight = data.get("weight")
    if isinstance(weight, int) and weight > MAX_WEIGHT:
        raise StoreError(500, f"invalid auth file: invalid weight in {name}: weight must not exceed {MAX_WEIGHT}")
    return data


class CredentialStore:
    """Thread-safe: handlers run on one thread per connection, and batch clients send many at once."""

    def __init__(self, clock: FakeClock, *, is_v8: bool = False) -> None:
        self.clock = clock
        self.is_v8 = is_v8
        self._lock = threading.Lock()
        self._files: dict[str, Credential] = {}
        # name → (status, message): the next write naming this credential fails (batch tests).
        self._failures: dict[str, tuple[int, str]] = {}
        # The whole list, rebuilt only after a change: a 5,000-credential pool is 6 MB of JSON, and the benchmarks
        # must measure the panel, not the double's Python.
        self._listing: list[dict[str, Any]] | None = None
        self.seed_default()

    # --- test hooks -----------------------------------------------------------------------------

    def seed_default(self) -> None:
        for provider, email, plan in (("codex", "alice@example.com", "plus"), ("claude", "bob@example.com", "max")):
            cred = self.add(f"{provider}-{email}.json", {"type": provider, "email": email, "account_type": plan,
                                                          "access_token": "fake-access-token",
                                                          "refresh_token": "fake-refresh-token"})
            cred.auth_index_override = auth_index_for(provider, email)
            cred.success, cred.failed = 120, 3

    def clear(self) -> None:
        with self._lock:
            self._files.clear()
            self._listing = None

    def add(self, name: str, data: dict[str, Any]) -> Credential:
        """Store a file as an upload would (re-saved); an existing name keeps its created_at."""
        stamp = self._now()
        with self._lock:
            old = self._files.get(name)
            cred = Credential(name, resave(data), old.created_at if old else stamp, stamp)
            if old is not None:
                cred.auth_index_override = old.auth_index_override
            self._files[name] = cred
            self._listing = None
            return cred

    def add_many(self, count: int, providers: tuple[str, ...] = ("codex", "claude", "antigravity", "kimi", "xai"),
                 ) -> None:
        for i in range(count):
            provider = providers[i % len(providers)]
            email = f"user{i:05d}@example.com"
            self.add(f"{provider}-{email}.json", {"type": provider, "email": email, "priority": i % 7,
                                                  "access_token": f"tok-{i}"})

    def get(self, name: str) -> Credential | None:
        with self._lock:
            return self._files.get(name)

    def by_auth_index(self, index: str) -> Credential | None:
        with self._lock:
            return next((c for c in self._files.values() if c.auth_index == index), None)

    def names(self) -> list[str]:
        with self._lock:
            return sorted(self._files, key=str.lower)

    def raw(self, name: str) -> bytes:
        cred = self.get(name)
        if cred is None:
            raise KeyError(name)
        return cred.content

    def set_state(self, name: str, **state: Any) -> None:
        """Runtime state CPA keeps beside the file: status, status_message, unavailable, next_retry_after, quota."""
        cred = self.get(name)
        if cred is None:
            raise KeyError(name)
        for key, value in state.items():
            setattr(cred, key, value)
        self.changed()

    def fail_for(self, name: str, status: int = 500, message: str = "injected failure") -> None:
        """The next status, fields or delete request naming ``name`` answers ``status`` with ``message``."""
        with self._lock:
            self._failures[name] = (status, message)

    def take_failure(self, name: str) -> None:
        with self._lock:
            failure = self._failures.pop(name, None)
        if failure is not None:
            raise StoreError(*failure)

    # --- operations -----------------------------------------------------------------------------

    def entries(self, name: str | None = None, index: str | None = None) -> list[dict[str, Any]]:
        if not name and not index and self._listing is not None:
            return self._listing
        with self._lock:
            creds = sorted(self._files.values(), key=lambda c: c.name.lower())
        listing = [self.entry(c) for c in creds
                   if (not name or name == c.name) and (not index or c.auth_index == index)]
        if not name and not index:
            self._listing = listing
        return listing

    def changed(self) -> None:
        self._listing = None

    def entry(self, cred: Credential) -> dict[str, Any]:
        data = cred.data()
        kind = cred.type
        email = data.get("email") if isinstance(data.get("email"), str) else None
        out: dict[str, Any] = {
            "id": cred.name, "name": cred.name, "path": cred.path, "auth_index": cred.auth_index,
            "type": kind, "provider": kind, "label": email or data.get("label") or kind,
            "status": cred.status, "status_message": cred.status_message, "disabled": cred.disabled,
            "unavailable": cred.unavailable, "runtime_only": cred.runtime_only, "source": "file",
            "size": len(cred.content), "success": cred.success, "failed": cred.failed,
            "recent_requests": self._buckets(cred), "created_at": cred.created_at, "updated_at": cred.updated_at,
            "modtime": cred.updated_at,
        }
        if cred.disabled:
            out["status"], out["status_message"] = "disabled", "disabled via management API"
        if email:
            out["email"] = email
        for key in ("project_id", "account_type", "note", "websockets", "priority", "weight"):
            if key in data:
                out[key] = data[key].strip() if key == "note" and isinstance(data[key], str) else data[key]
        if cred.next_retry_after:
            out["next_retry_after"] = cred.next_retry_after
        if kind == "codex" and ("plan_type" in data or "chatgpt_account_id" in data):
            out["id_token"] = {key: data[key] for key in ("chatgpt_account_id", "plan_type") if key in data}
        if self.is_v8 and cred.quota is not None and kind in QUOTA_PROVIDERS:
            out["quota"] = cred.quota
        return dict(sorted(out.items()))

    def _buckets(self, cred: Credential) -> list[dict[str, Any]]:
        return [{"time": f"b{i:02d}", "success": 0, "failed": 0} for i in range(20)]

    def delete(self, name: str) -> None:
        self.take_failure(name)
        with self._lock:
            if name not in self._files:
                raise StoreError(404, "auth file not found")
            del self._files[name]
            self._listing = None

    def delete_all(self) -> int:
        with self._lock:
            count = len(self._files)
            self._files.clear()
            self._listing = None
            return count

    def set_disabled(self, name: str, disabled: bool, index: str | None = None) -> None:
        self.take_failure(name)
        cred = self.get(name)
        if cred is None or (index and cred.auth_index != index):
            raise StoreError(404, "auth file not found")
        data = cred.data()
        data["disabled"] = disabled
        self._rewrite(cred, data)

    def patch_fields(self, name: str, fields: dict[str, Any]) -> None:
        self.take_failure(name)
        cred = self.get(name)
        if cred is None:
            raise StoreError(404, "auth file not found")
        data = canonical(cred.data())
        seen: dict[str, str] = {}
        for key, value in fields.items():
            target = LEGACY_KEYS.get(key, key)
            if target in seen:
                raise StoreError(400, f'auth file fields "{seen[target]}" and "{key}" refer to the same field')
            seen[target] = key
            _apply_field(data, target, value)
        self._rewrite(cred, data)

    def models(self, name: str) -> list[dict[str, Any]]:
        cred = self.get(name)
        if cred is None or cred.disabled:
            return []
        found = model_definitions.definitions(_CHANNELS.get(cred.type, cred.type)) or []
        return [{"display_name": m["display_name"], "id": m["id"], "owned_by": m["owned_by"], "type": m["type"]}
                for m in found]

    def _rewrite(self, cred: Credential, data: dict[str, Any]) -> None:
        with self._lock:
            self._listing = None
            cred.content = resave(data)
            cred.updated_at = self._now()
            if cred.disabled:
                cred.status, cred.status_message = "disabled", "disabled via management API"
            elif cred.status == "disabled":
                cred.status, cred.status_message = "active", ""

    def _now(self) -> str:
        return format_go_time(datetime.fromtimestamp(self.clock.now(), UTC).replace(microsecond=0))


def _apply_field(data: dict[str, Any], key: str, value: Any) -> None:
    if key == "weight":
        if value is None:
            data.pop("weight", None)
            return
        if not isinstance(value, int) or isinstance(value, bool):
            raise StoreError(400, "weight must be an integer")
        if value > MAX_WEIGHT:
            raise StoreError(400, f"weight must not exceed {MAX_WEIGHT}")
    if key == "request_retry":
        if value is None or (isinstance(value, int) and value < 0):
            data.pop("request_retry", None)
            return
        if not isinstance(value, int) or isinstance(value, bool):
            raise StoreError(400, "request_retry must be an integer or null")
    if key == "headers" and isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        merged = dict(data.get("headers") or {}) if isinstance(data.get("headers"), dict) else {}
        for header, text in value.items():
            if text == "":
                merged.pop(header, None)
            else:
                merged[header] = text
        data["headers"] = merged
        return
    parts = key.split(".")
    node = data
    for part in parts[:-1]:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[parts[-1]] = value
