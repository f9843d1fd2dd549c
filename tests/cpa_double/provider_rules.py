"""Provider-key entries (cpa-management-api §3.1–§3.3): field order, binding types, normalisation, auth-index.

Inferred where the spec is silent: the exact struct field order, the auth-id kinds and parts used
for Vertex and key-less openai-compatibility entries, the ``-n`` duplicate suffix numbering, the
known Claude ``fingerprint-profile`` names, and that ``meta-api-key`` (v8 only) behaves like Gemini.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

MAX_WEIGHT = 1_000_000
GEMINI_LIKE = frozenset({"gemini-api-key", "interactions-api-key", "meta-api-key"})
NEEDS_BASE_URL = frozenset({"codex-api-key", "xai-api-key", "openai-compatibility"})
FINGERPRINT_PROFILES = frozenset({"", "default", "claude-code", "macos", "linux", "windows"})

_COMMON_HEAD = ("api-key", "priority", "weight", "prefix", "base-url")
_COMMON_TAIL = ("headers", "excluded-models", "disable-cooling", "request-retry", "request-scoped-errors")
ORDER: dict[str, tuple[str, ...]] = {
    "gemini-api-key": (*_COMMON_HEAD, "proxy-url", "models", *_COMMON_TAIL),
    "codex-api-key": (*_COMMON_HEAD, "websockets", "alpha-search", "proxy-url", "models", *_COMMON_TAIL),
    "claude-api-key": (*_COMMON_HEAD, "proxy-url", "models", "headers", "excluded-models",
                       "rebuild-mid-system-message", "cloak", "fingerprint-profile", "experimental-cch-signing",
                       "disable-cooling", "request-retry", "request-scoped-errors"),
    "vertex-api-key": (*_COMMON_HEAD, "proxy-url", "models", *_COMMON_TAIL),
    "openai-compatibility": ("name", "priority", "disabled", "prefix", "base-url", "api-key-entries", "models",
                             "headers", "support-prompt-cache-key", "disable-cooling", "request-retry",
                             "request-scoped-errors"),
}
ORDER["interactions-api-key"] = ORDER["meta-api-key"] = ORDER["gemini-api-key"]
ORDER["xai-api-key"] = ORDER["codex-api-key"]
# Fields shown even when empty (no omitempty in CPA's struct tags).
ALWAYS: dict[str, dict[str, Any]] = {
    "codex-api-key": {"base-url": "", "proxy-url": "", "models": None},
    "xai-api-key": {"base-url": "", "proxy-url": "", "models": None},
    "claude-api-key": {"base-url": "", "proxy-url": "", "models": None},
    "openai-compatibility": {"disabled": False, "base-url": ""},
}
_INT_FIELDS = frozenset({"priority", "weight", "request-retry"})
_BOOL_FIELDS = frozenset({"disable-cooling", "websockets", "alpha-search", "disabled", "support-prompt-cache-key",
                          "rebuild-mid-system-message", "experimental-cch-signing", "request-scoped-errors"})
_POINTERS = frozenset({"weight", "disable-cooling", "request-retry"})
_STR_FIELDS = frozenset({"api-key", "prefix", "base-url", "proxy-url", "name", "fingerprint-profile"})


class EntryError(Exception):
    """A 400 with CPA's message."""


# --- binding ------------------------------------------------------------------------------------


def binds(entry: Any) -> bool:
    """Go's strict JSON binding into the entry struct: wrong types fail the whole body."""
    if not isinstance(entry, dict):
        return False
    for key, value in entry.items():
        if value is None:
            continue
        if key in _INT_FIELDS and not (isinstance(value, int) and not isinstance(value, bool)):
            return False
        if key in _BOOL_FIELDS and not isinstance(value, bool):
            return False
        if key in _STR_FIELDS and not isinstance(value, str):
            return False
        if key == "headers" and not (isinstance(value, dict) and all(isinstance(v, str) for v in value.values())):
            return False
        if key == "excluded-models" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            return False
        if key in ("models", "api-key-entries") and not (
                isinstance(value, list) and all(isinstance(v, dict) for v in value)):
            return False
    return True


# --- normalisation (PUT and PATCH) -----------------------------------------------------------------


def normalise(family: str, entry: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in entry.items():
        if key == "auth-index" or value is None:
            continue  # read-only on the wire; null means unset
        if isinstance(value, str):
            value = value.strip()
        if key == "prefix":
            value = value.strip("/")
            value = "" if "/" in value else value
        elif key == "headers":
            value = {k.strip(): v.strip() for k, v in value.items() if k.strip() and v.strip()}
        elif key == "excluded-models":
            value = list(dict.fromkeys(m.strip().lower() for m in value if m.strip()))
        elif key == "models" and family == "claude-api-key":
            value = [m for m in value if str(m.get("name") or "").strip() or str(m.get("alias") or "").strip()]
        elif key == "api-key-entries":
            value = [{k: v.strip() if isinstance(v, str) else v for k, v in e.items() if k != "auth-index"}
                     for e in value]
        out[key] = value
    return out


def check_entry(family: str, index: int, entry: dict[str, Any]) -> None:
    weight = entry.get("weight")
    if isinstance(weight, int) and weight > MAX_WEIGHT:
        raise EntryError(f"{family}[{index}].weight: weight must not exceed {MAX_WEIGHT}")
    for key_index, key in enumerate(entry.get("api-key-entries") or []):
        if isinstance(key.get("weight"), int) and key["weight"] > MAX_WEIGHT:
            raise EntryError(f"{family}[{index}].api-key-entries[{key_index}].weight: weight must not exceed "
                             f"{MAX_WEIGHT}")
    profile = entry.get("fingerprint-profile", "")
    if family == "claude-api-key" and profile not in FINGERPRINT_PROFILES:
        raise EntryError(f'{family}[{index}].fingerprint-profile: unknown fingerprint profile "{profile}"')
    if family == "vertex-api-key" and not entry.get("api-key"):
        raise EntryError(f"{family}[{index}].api-key is required")


def keep(family: str, entry: dict[str, Any]) -> bool:
    """PUT's silent drops: Codex, xAI and OpenAI-compatible entries need a base-url (§3.3)."""
    if family in NEEDS_BASE_URL:
        return bool(entry.get("base-url"))
    if family in GEMINI_LIKE:
        return bool(entry.get("api-key") or entry.get("base-url"))
    return True


def normalise_list(family: str, entries: list[Any]) -> list[dict[str, Any]]:
    """The list PUT stores, or EntryError; assumes every entry ``binds``."""
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, raw in enumerate(entries):
        entry = normalise(family, raw)
        check_entry(family, index, entry)
        if not keep(family, entry):
            continue
        if family in GEMINI_LIKE:
            identity = json.dumps([entry.get(k) for k in ("api-key", "base-url", "proxy-url", "prefix", "headers")],
                                  sort_keys=True)
            if identity in seen:
                continue
            seen.add(identity)
        out.append(entry)
    return out


# --- reading (GET) ---------------------------------------------------------------------------------


def auth_index(seed: str) -> str:
    """Hex of the first 8 bytes of sha256(seed) (§3.2): the ``auth_index`` of usage records and /api-call."""
    return hashlib.sha256(seed.encode("utf-8")).digest()[:8].hex()


def auth_id(kind: str, *parts: str) -> str:
    return f"{kind}:" + hashlib.sha256("\0".join((kind, *parts)).encode("utf-8")).hexdigest()[:12]


def key_seed(family: str, base_url: str, api_key: str) -> str:
    return f"{family}:{base_url}+{api_key}"


def shown(family: str, entries: list[dict[str, Any]] | None) -> list[dict[str, Any]] | None:
    """GET's view: struct order, omitempty, and a trailing ``auth-index``."""
    if not entries:
        return None
    ids: dict[str, int] = {}
    out = []
    for entry in entries:
        view = _ordered(family, entry)
        base = str(entry.get("base-url") or "")
        if family == "openai-compatibility":
            keys = entry.get("api-key-entries") or []
            if keys:
                view["api-key-entries"] = [_shown_key(family, base, key) for key in keys]
            else:
                view.pop("api-key-entries", None)
                view["auth-index"] = auth_index("id:" + _unique(ids, auth_id(family, str(entry.get("name")), base)))
        elif family == "vertex-api-key":
            view["auth-index"] = auth_index(
                "id:" + _unique(ids, auth_id("vertex-apikey", str(entry.get("api-key") or ""), base)))
        else:
            view["auth-index"] = auth_index(key_seed(family, base, str(entry.get("api-key") or "")))
        out.append(view)
    return out


def _shown_key(family: str, base: str, key: dict[str, Any]) -> dict[str, Any]:
    api_key = str(key.get("api-key") or "")
    rest = {k: v for k, v in key.items() if k != "api-key" and v not in (None, "")}
    return {"api-key": api_key, **rest, "auth-index": auth_index(key_seed(family, base, api_key))}


def _unique(seen: dict[str, int], ident: str) -> str:
    count = seen.get(ident, 0)
    seen[ident] = count + 1
    return ident if count == 0 else f"{ident}-{count}"


def _ordered(family: str, entry: dict[str, Any]) -> dict[str, Any]:
    always = ALWAYS.get(family, {})
    view: dict[str, Any] = {}
    order = ORDER[family]
    for key in (*order, *(k for k in entry if k not in order)):
        value = entry.get(key)
        if key in always:
            view[key] = copy.deepcopy(value) if value not in (None, []) else always[key]
        elif key in _POINTERS and value is not None:
            view[key] = copy.deepcopy(value)  # pointer fields: an explicit 0 or false is shown
        elif value not in (None, "", [], {}, 0, False) and key != "auth-index":
            view[key] = copy.deepcopy(value)
    return view
