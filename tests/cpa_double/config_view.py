"""CPA's runtime ``Config`` as ``GET /v0/management/config`` shows it (cpa-management-api §1.1), and the
typing rules ``PUT /config.yaml`` and v8 writes enforce.

The runtime view lists the keys in struct order with load defaults filled in; sections the double
has no use for are reduced to the fields the spec names. Provider entries pass through as stored
(their own normalisation is the provider handlers' business).
"""

from __future__ import annotations

import copy
from typing import Any

from .config_layout import FAMILIES, MISSING, Path, flatten, get_path, legacy_target

DEFAULT_RETENTION = 60
MAX_RETENTION = 3600
MAX_WEIGHT = 1_000_000
STRATEGIES = {
    "": "round-robin", "rr": "round-robin", "roundrobin": "round-robin", "round-robin": "round-robin",
    "wrr": "weighted-round-robin", "weightedroundrobin": "weighted-round-robin",
    "weighted-round-robin": "weighted-round-robin",
    "ff": "fill-first", "fillfirst": "fill-first", "fill-first": "fill-first",
}

# Struct order of config.Config's json tags, with load defaults (None = a nil list or pointer).
_DEFAULTS: tuple[tuple[str, Any], ...] = (
    ("proxy-url", ""),
    ("disable-image-generation", False),
    ("force-model-prefix", False),
    ("request-log", False),
    ("claude-code", {"disable-cloaking-model-list": None}),
    ("api-keys", None),
    ("passthrough-headers", False),
    ("streaming", {}),
    ("tls", {"enable": False, "cert": "", "key": ""}),
    ("credential-concurrency", {"max-limit": 0}),
    ("credential-in-flight", {"snapshot-interval": "2s", "stale-after": "10s"}),
    ("plugins", {"enabled": False, "dir": "plugins", "configs": {}}),
    ("debug", False),
    ("pprof", {"enable": False, "addr": "127.0.0.1:8316"}),
    ("commercial-mode", False),
    ("logging-to-file", False),
    ("logs-max-total-size-mb", 0),
    ("error-logs-max-files", 10),
    ("usage-statistics-enabled", False),
    ("redis-usage-queue-retention-seconds", DEFAULT_RETENTION),
    ("disable-cooling", False),
    ("save-cooldown-status", False),
    ("transient-error-cooldown-seconds", 0),
    ("auth-auto-refresh-workers", 0),
    ("request-retry", 0),
    ("max-retry-credentials", 0),
    ("max-retry-interval", 0),
    ("quota-exceeded", {"switch-project": False, "switch-preview-model": False, "antigravity-credits": False}),
    ("routing", {}),
    ("ws-auth", True),
    ("antigravity", {}),
    ("gemini-api-key", None),
    ("interactions-api-key", None),
    ("codex-api-key", None),
    ("xai-api-key", None),
    ("xai", {"inject-x-search": False}),
    ("codex", {"identity-confuse": False, "disable-codex-cloaking": False, "stream-bootstrap-buffering": False,
               "optimize-multi-agent-v2": False, "live-media-relay": {}}),
    ("codex-header-defaults", {"user-agent": "", "beta-features": ""}),
    ("claude-api-key", None),
    ("claude-header-defaults", {"user-agent": "", "package-version": "", "runtime-version": "", "os": "",
                                "arch": "", "timeout": "", "timezone": ""}),
    ("disable-claude-cloak-mode", False),
    ("openai-compatibility", None),
    ("vertex-api-key", None),
    ("meta-api-key", MISSING),  # a v8-era family: only shown when the file has it
    ("oauth-excluded-models", MISSING),
    ("oauth-model-alias", MISSING),
    ("oauth-request-scoped-errors", MISSING),
    ("ampcode", MISSING),  # CPA < v7.2.0 only
    ("payload", {"default": None, "default-raw": None, "override": None, "override-raw": None, "filter": None}),
)
# Scalar fields whose YAML type CPA's decoder checks (legacy paths; str fields take any scalar).
FIELD_TYPES: dict[Path, type] = {
    **{(k,): bool for k in ("debug", "logging-to-file", "usage-statistics-enabled", "request-log", "ws-auth",
                            "force-model-prefix", "commercial-mode", "disable-cooling")},
    ("quota-exceeded", "switch-project"): bool,
    ("quota-exceeded", "switch-preview-model"): bool,
    ("remote-management", "allow-remote"): bool,
    ("tls", "enable"): bool,
    **{(k,): int for k in ("port", "request-retry", "max-retry-credentials", "max-retry-interval",
                           "logs-max-total-size-mb", "error-logs-max-files", "redis-usage-queue-retention-seconds",
                           "auth-auto-refresh-workers")},
    **{(k,): str for k in ("proxy-url", "host", "auth-dir")},
    ("routing", "strategy"): str,
    ("api-keys",): list,
    **{(family,): list for family in FAMILIES},
}


def runtime_view(legacy: dict[str, Any]) -> dict[str, Any]:
    """The flat runtime Config, in struct order, from a legacy reading of the file."""
    out: dict[str, Any] = {}
    for key, default in _DEFAULTS:
        value = legacy.get(key, MISSING)
        if default is MISSING:
            if value not in (MISSING, None, [], {}):
                out[key] = copy.deepcopy(value)
            continue
        if isinstance(default, dict):
            merged = copy.deepcopy(default)
            if isinstance(value, dict):
                merged.update(copy.deepcopy(value))
            out[key] = merged
        elif value is MISSING or (value is None and default is not None):
            out[key] = copy.deepcopy(default)
        else:
            out[key] = copy.deepcopy(value)
    _apply_load_rules(out)
    return out


def _apply_load_rules(out: dict[str, Any]) -> None:
    # config_load.go: the clamps and normalisations that happen on every load.
    retention = out["redis-usage-queue-retention-seconds"]
    out["redis-usage-queue-retention-seconds"] = (
        DEFAULT_RETENTION if not isinstance(retention, int) or retention <= 0 else min(retention, MAX_RETENTION)
    )
    if out["error-logs-max-files"] < 0:
        out["error-logs-max-files"] = 10
    for key in ("logs-max-total-size-mb", "max-retry-credentials"):
        out[key] = max(out[key], 0)
    routing = {k: v for k, v in out["routing"].items() if v not in ("", None)}
    out["routing"] = routing
    for family in FAMILIES:
        if out.get(family) == []:
            out[family] = None
    if out["api-keys"] == []:
        out["api-keys"] = None


def normalise_strategy(value: Any) -> str | None:
    """The canonical strategy name, or None for one CPA refuses."""
    return STRATEGIES.get(str(value).strip().lower())


# --- typing ---------------------------------------------------------------------------------


def type_errors(doc: Any, v8: bool) -> list[str]:
    """yaml.v3 ``unmarshal errors`` lines for mistyped known fields of a ruamel document."""
    errors: list[tuple[int, str]] = []
    for legacy_path, kind in FIELD_TYPES.items():
        path = (legacy_target(legacy_path) or legacy_path) if v8 else legacy_path
        if v8 and legacy_path[0] in FAMILIES:
            path = ("api-keys", FAMILIES[legacy_path[0]])
        parent = get_path(doc, path[:-1]) if len(path) > 1 else doc
        if not isinstance(parent, dict) or path[-1] not in parent:
            continue
        value = parent[path[-1]]
        if value is None or _fits(value, kind):
            continue
        line = _line_of(parent, path[-1])
        target = {bool: "bool", int: "int", str: "string", list: "[]" + ("string" if path[-1] == "api-keys"
                                                                          else "config.Entry")}[kind]
        shown = "" if isinstance(value, dict | list) else f" `{value}`"
        errors.append((line, f"line {line}: cannot unmarshal {yaml_tag(value)}{shown} into {target}"))
    return [text for _, text in sorted(errors)]


def _fits(value: Any, kind: type) -> bool:
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is list:
        return isinstance(value, list)
    return not isinstance(value, dict | list)


def yaml_tag(value: Any) -> str:
    if isinstance(value, bool):
        return "!!bool"
    if isinstance(value, int):
        return "!!int"
    if isinstance(value, float):
        return "!!float"
    if isinstance(value, dict):
        return "!!map"
    if isinstance(value, list):
        return "!!seq"
    return "!!str"


def _line_of(parent: Any, key: str) -> int:
    lc = getattr(parent, "lc", None)
    try:
        return int(lc.value(key)[0]) + 1 if lc is not None else 0
    except (KeyError, TypeError, AttributeError):
        return 0


def validation_error(legacy: dict[str, Any]) -> str | None:
    """The first rule of CPA's full config validation that the document breaks, as CPA words it."""
    for family in FAMILIES:
        entries = legacy.get(family)
        if not isinstance(entries, list):
            continue
        for index, entry in enumerate(entries):
            weight = entry.get("weight") if isinstance(entry, dict) else None
            if isinstance(weight, int) and not isinstance(weight, bool) and weight > MAX_WEIGHT:
                return f"{family}[{index}].weight: weight must not exceed {MAX_WEIGHT}"
    return None


def v8_groups_view(tree: dict[str, Any]) -> dict[str, Any]:
    """Legacy lists computed from a v8 tree's provider groups (for validation messages)."""
    providers = tree.get("api-keys") if isinstance(tree.get("api-keys"), dict) else {}
    return {family: flatten(family, providers.get(name)) for family, name in FAMILIES.items() if name in providers}
