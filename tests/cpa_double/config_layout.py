"""The two config.yaml layouts: flat (v6–v7, "legacy") and the ``config-version: 8`` tree.

Spec: cpa-v8.md §5.2 (paths) and the provider group shape. Everything here works on plain
Python values (dicts, lists, scalars); comment handling lives in ``config_file``.

Inferred, not read in CPA's source (marked [I] in the spec or absent from it): the v8 homes of
``routing.session-affinity*`` and ``disable-cooling``; that legacy keys with no v8 name
(``quota-exceeded.switch-*``, ``streaming``, ``payload``, …) stay at the root of a v8 file; and
how a flattened provider list regroups (entries sharing every group field form one group).
"""

from __future__ import annotations

import copy
import json
from typing import Any

Path = tuple[str, ...]
MISSING: Any = object()

# Legacy path → v8 path. A legacy path may be a whole subtree (``tls``) or one leaf.
SCALAR_MAP: tuple[tuple[Path, Path], ...] = (
    (("usage-statistics-enabled",), ("observability", "usage", "usage-statistics-enabled")),
    (("redis-usage-queue-retention-seconds",), ("observability", "usage", "redis-usage-queue-retention-seconds")),
    (("debug",), ("observability", "logs", "debug")),
    (("logging-to-file",), ("observability", "logs", "logging-to-file")),
    (("logs-max-total-size-mb",), ("observability", "logs", "logs-max-total-size-mb")),
    (("error-logs-max-files",), ("observability", "logs", "error-logs-max-files")),
    (("request-log",), ("observability", "logs", "request-log")),
    (("proxy-url",), ("requests", "proxy-url")),
    (("request-retry",), ("routing", "retry", "request-retry")),
    (("max-retry-credentials",), ("routing", "retry", "max-retry-credentials")),
    (("max-retry-interval",), ("routing", "retry", "max-retry-interval")),
    (("routing", "strategy"), ("routing", "strategy")),
    (("routing", "session-affinity"), ("routing", "session-affinity")),
    (("routing", "session-affinity-ttl"), ("routing", "session-affinity-ttl")),
    (("force-model-prefix",), ("routing", "force-model-prefix")),
    (("disable-cooling",), ("routing", "cooldown", "disable-cooling")),
    (("quota-exceeded", "antigravity-credits"), ("oauth", "providers", "antigravity", "antigravity-credits")),
    (("ws-auth",), ("oauth", "providers", "aistudio", "ws-auth")),
    (("api-keys",), ("access", "api-keys")),
    (("auth-dir",), ("oauth", "auth-dir")),
    (("auth-auto-refresh-workers",), ("oauth", "auth-auto-refresh-workers")),
    (("oauth-excluded-models",), ("oauth", "excluded-models")),
    (("oauth-model-alias",), ("oauth", "model-alias")),
    (("oauth-request-scoped-errors",), ("oauth", "request-scoped-errors")),
    (("remote-management", "allow-remote"), ("management", "allow-remote")),
    (("remote-management", "secret-key"), ("management", "secret-key")),
    (("remote-management", "disable-control-panel"), ("management", "disable-control-panel")),
    (("remote-management", "disable-auto-update-panel"), ("management", "disable-auto-update-panel")),
    (("remote-management", "panel-github-repository"), ("management", "panel-github-repository")),
    (("host",), ("server", "host")),
    (("port",), ("server", "port")),
    (("tls",), ("server", "tls")),
    (("trusted-proxies",), ("server", "trusted-proxies")),
    (("commercial-mode",), ("server", "commercial-mode")),
)
# Legacy list name → v8 provider name under ``api-keys``.
FAMILIES: dict[str, str] = {
    "gemini-api-key": "gemini",
    "interactions-api-key": "interactions",
    "vertex-api-key": "vertex",
    "codex-api-key": "codex",
    "claude-api-key": "claude",
    "xai-api-key": "xai",
    "meta-api-key": "meta",
    "openai-compatibility": "openai-compatibility",
}
GROUPS_NEED_BASE_URL = frozenset({"codex-api-key", "xai-api-key", "openai-compatibility"})
GROUP_FIELDS = (
    "name", "base-url", "priority", "prefix", "proxy-url", "headers", "models", "excluded-models",
    "disable-cooling", "request-retry", "request-scoped-errors",
)
V8_ROOTS = frozenset({
    "config-version", "server", "management", "access", "api-keys", "observability", "requests", "routing",
    "oauth", "plugins", "upstream", "client", "payload", "streaming", "pprof", "quota-exceeded", "credentials",
})
# Root names a v8 write refuses: they moved (cpa-v8 §2 item 6). ``routing`` and ``api-keys`` exist in both.
LEGACY_ROOTS = frozenset({legacy[0] for legacy, _ in SCALAR_MAP if legacy[0] not in V8_ROOTS} | set(FAMILIES))
READ_ONLY = frozenset({
    ("credentials", "concurrency", "lifecycle-config-revision"),
    ("credentials", "concurrency", "observation-barrier-revision"),
    ("plugins", "auth-revision"),
})


def get_path(tree: Any, path: Path) -> Any:
    node = tree
    for seg in path:
        if not isinstance(node, dict) or seg not in node:
            return MISSING
        node = node[seg]
    return node


def set_path(tree: dict[str, Any], path: Path, value: Any) -> None:
    node = tree
    for seg in path[:-1]:
        child = node.get(seg)
        if not isinstance(child, dict):
            child = node[seg] = {}
        node = child
    node[path[-1]] = value


def delete_path(tree: dict[str, Any], path: Path) -> bool:
    """Remove a field and prune the parent maps it leaves empty (v8 DELETE)."""
    parents: list[dict[str, Any]] = []
    node: Any = tree
    for seg in path[:-1]:
        if not isinstance(node, dict) or not isinstance(node.get(seg), dict):
            return False
        parents.append(node)
        node = node[seg]
    if not isinstance(node, dict) or path[-1] not in node:
        return False
    del node[path[-1]]
    for depth in range(len(path) - 2, -1, -1):
        parent = parents[depth]
        if parent[path[depth]] == {}:
            del parent[path[depth]]
        else:
            break
    return True


def is_v8(tree: Any) -> bool:
    return isinstance(tree, dict) and tree.get("config-version") == 8


# --- provider groups -----------------------------------------------------------------------


def flatten(family: str, groups: Any) -> list[dict[str, Any]] | None:
    """v8 groups → one legacy entry per key (openai-compatibility: one entry per group)."""
    if not isinstance(groups, list):
        return None
    out: list[dict[str, Any]] = []
    for group in groups:
        if not isinstance(group, dict) or (family in GROUPS_NEED_BASE_URL and not group.get("base-url")):
            continue  # the loader drops these groups (cpa-v8 §5.2)
        shared = {k: v for k, v in group.items() if k != "keys"}
        keys = group.get("keys") or []
        if family == "openai-compatibility":
            entry = dict(shared)
            if keys:
                entry["api-key-entries"] = copy.deepcopy(keys)
            out.append(entry)
            continue
        for key in keys:
            if not isinstance(key, dict):
                continue
            entry = {k: copy.deepcopy(v) for k, v in shared.items() if k != "name"}
            # A missing or null key field inherits the group's value.
            entry.update({k: copy.deepcopy(v) for k, v in key.items() if v is not None})
            out.append(entry)
    return out


def regroup(family: str, entries: Any) -> list[dict[str, Any]] | None:
    """Legacy entries → v8 groups; entries sharing every group field become one group."""
    if not isinstance(entries, list):
        return None
    if family == "openai-compatibility":
        groups = []
        for entry in entries:
            group = {k: copy.deepcopy(v) for k, v in entry.items() if k != "api-key-entries"}
            if entry.get("api-key-entries"):
                group["keys"] = copy.deepcopy(entry["api-key-entries"])
            groups.append(group)
        return groups
    by_shape: dict[str, dict[str, Any]] = {}
    for entry in entries:
        shared = {k: copy.deepcopy(entry[k]) for k in GROUP_FIELDS if k in entry}
        shape = json.dumps(shared, sort_keys=True)
        group = by_shape.setdefault(shape, {**shared, "keys": []})
        group["keys"].append({k: copy.deepcopy(v) for k, v in entry.items() if k not in GROUP_FIELDS})
    return list(by_shape.values())


# --- whole documents -----------------------------------------------------------------------


def v8_to_legacy(tree: dict[str, Any]) -> dict[str, Any]:
    """The legacy (flat) reading of a v8 tree, as CPA's loader builds its runtime Config."""
    legacy: dict[str, Any] = {}
    for legacy_path, v8_path in SCALAR_MAP:
        value = get_path(tree, v8_path)
        if value is not MISSING:
            set_path(legacy, legacy_path, copy.deepcopy(value))
    providers = tree.get("api-keys")
    for family, name in FAMILIES.items():
        if isinstance(providers, dict) and name in providers:
            legacy[family] = flatten(family, providers[name])
    if isinstance(tree.get("quota-exceeded"), dict):
        for key, value in tree["quota-exceeded"].items():
            legacy.setdefault("quota-exceeded", {})[key] = copy.deepcopy(value)
    for key, value in tree.items():
        if key not in V8_ROOTS or key in ("streaming", "payload", "pprof", "plugins"):
            legacy.setdefault(key, copy.deepcopy(value))
    legacy.pop("config-version", None)
    return legacy


def legacy_target(legacy_path: Path) -> Path | None:
    """Where a legacy leaf or subtree lives in the v8 tree; None when it stays where it is."""
    for lpath, vpath in SCALAR_MAP:
        if legacy_path[: len(lpath)] == lpath:
            return vpath + legacy_path[len(lpath) :]
    return None


def legacy_to_v8(legacy: dict[str, Any]) -> dict[str, Any]:
    """The v8 tree a legacy document migrates to (plain values; comments are ``config_file``'s job)."""
    tree: dict[str, Any] = {"config-version": 8}
    for key, value in legacy.items():
        if key == "config-version":
            continue
        if key in FAMILIES:
            set_path(tree, ("api-keys", FAMILIES[key]), regroup(key, value))
        elif isinstance(value, dict) and legacy_target((key,)) is None:
            for sub, subvalue in value.items():
                set_path(tree, legacy_target((key, sub)) or (key, sub), copy.deepcopy(subvalue))
        else:
            set_path(tree, legacy_target((key,)) or (key,), copy.deepcopy(value))
    return tree


def apply_legacy_change(tree: dict[str, Any], before: dict[str, Any], after: dict[str, Any]) -> None:
    """Write a change made to the legacy view of a v8 file back at the v8 paths (v0 setters on v8)."""
    for key in set(before) | set(after):
        old, new = before.get(key, MISSING), after.get(key, MISSING)
        if old == new:
            continue
        if key in FAMILIES:
            _put(tree, ("api-keys", FAMILIES[key]), MISSING if new is MISSING else regroup(key, new))
        elif isinstance(old, dict) and isinstance(new, dict) and legacy_target((key,)) is None:
            for sub in set(old) | set(new):
                if old.get(sub, MISSING) != new.get(sub, MISSING):
                    _put(tree, legacy_target((key, sub)) or (key, sub), new.get(sub, MISSING))
        else:
            _put(tree, legacy_target((key,)) or (key,), new)


def _put(tree: dict[str, Any], path: Path, value: Any) -> None:
    if value is MISSING:
        delete_path(tree, path)
    else:
        set_path(tree, path, copy.deepcopy(value))
