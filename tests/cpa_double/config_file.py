"""The double's config.yaml: a real file on disk, edited the way CPA edits it.

CPA merges its in-memory config into the file's yaml.v3 node tree, so comments, key order and
quoting survive a save (cpa-management-api §0 "How YAML is written"). ruamel.yaml's round-trip
mode does the same job here: every write loads the file, changes plain values, merges them back
into the comment-carrying document and saves. Reads always go to the file, so a test's
out-of-band edit (``write_text``) is what the next request sees, as after CPA's hot reload.
"""

from __future__ import annotations

import copy
import io
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.scanner import ScannerError

from .config_layout import (
    FAMILIES,
    apply_legacy_change,
    is_v8,
    legacy_target,
    legacy_to_v8,
    v8_to_legacy,
)
from .config_view import runtime_view, type_errors, v8_groups_view, validation_error

# libyaml's wording where the Python port words the same problem differently.
_PROBLEMS = {
    "mapping values are not allowed here": "mapping values are not allowed in this context",
    "found character '\\t' that cannot start any token": "found character that cannot start any token",
}
_DUPLICATE_RE = re.compile(r'found duplicate key "([^"]*)"')


class ConfigRejected(Exception):
    """A write CPA refuses: the status and JSON body it answers with."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(body)
        self.status = status
        self.body = body


def _yaml() -> YAML:
    yaml = YAML()  # round-trip; one instance per call because YAML objects are not thread-safe
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)  # yaml.v3 with SetIndent(2): "  - item"
    yaml.width = 4096
    # yaml.v3 writes a stored null as `null`; ruamel would leave the value empty.
    yaml.representer.add_representer(type(None), _represent_null)
    return yaml


def _represent_null(representer: Any, _: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def parse(text: str) -> Any:
    """Load YAML like yaml.v3 does, raising ConfigRejected(400, invalid_yaml) with Go's wording."""
    try:
        doc = _yaml().load(text)
    except MarkedYAMLError as exc:
        raise ConfigRejected(400, {"error": "invalid_yaml", "message": go_yaml_message(exc)}) from None
    return CommentedMap() if doc is None else doc


def go_yaml_message(exc: MarkedYAMLError) -> str:
    """yaml.v3 ``parser.fail``: the context line if any, else the problem line; +1 only for scanner errors."""
    problem = str(exc.problem or "unknown problem parsing YAML content")
    duplicate = _DUPLICATE_RE.search(problem)
    if duplicate:
        key_line = exc.context_mark.line + 1 if exc.context_mark else 0
        line = exc.problem_mark.line + 1 if exc.problem_mark else 0
        key = duplicate.group(1)
        return f'yaml: unmarshal errors:\n  line {line}: mapping key "{key}" already defined at line {key_line}'
    problem = _PROBLEMS.get(problem, problem)
    if problem.startswith("expected <block end>"):
        problem = "did not find expected key"
    elif problem.startswith("expected ',' or ']'"):
        problem = "did not find expected ',' or ']'"
    elif problem.startswith("expected ',' or '}'"):
        problem = "did not find expected ',' or '}'"
    scanner = isinstance(exc, ScannerError)
    line = 0
    for mark in (exc.context_mark, exc.problem_mark):
        if mark is not None and mark.line != 0:
            line = mark.line + (1 if scanner else 0)
            break
    where = f"line {line}: " if line else ""
    return f"yaml: {where}{problem}"


def to_plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): to_plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return str(node)


def merge(node: Any, new: Any) -> Any:
    """yaml.v3-style node merge: keep the node (and its comments) where the value allows."""
    if isinstance(node, CommentedMap) and isinstance(new, dict):
        for key in [k for k in node if k not in new]:
            del node[key]
        for key, value in new.items():
            node[key] = merge(node[key], value) if key in node else _fresh(value)
        return node
    if isinstance(node, CommentedSeq) and isinstance(new, list):
        # Sequences merge item by item, then truncate or extend.
        for index, value in enumerate(new[: len(node)]):
            node[index] = merge(node[index], value)
        del node[len(new) :]
        node.extend(_fresh(value) for value in new[len(node) :])
        return node
    old = to_plain(node)
    if type(old) is type(new) and old == new:
        return node  # unchanged scalars keep their quoting style
    return _fresh(new)


def _fresh(value: Any) -> Any:
    if isinstance(value, dict):
        return merge(CommentedMap(), value)
    if isinstance(value, list):
        return merge(CommentedSeq(), value)
    return value


def migrate(doc: CommentedMap) -> CommentedMap:
    """The v8 rewrite: the same settings as a ``config-version: 8`` tree, keeping what comments it can.

    The header comment survives, and so do comments inside any section that moves whole
    (``tls`` → ``server.tls``, ``payload``, …); comments on moved single keys are lost.
    """
    tree = _fresh(legacy_to_v8(to_plain(doc)))
    for key in doc:
        if key in FAMILIES or key == "config-version":
            continue
        if isinstance(doc[key], CommentedMap) and legacy_target((key,)) is None:
            for sub in doc[key]:
                _graft(tree, legacy_target((key, sub)) or (key, sub), doc[key][sub])
        else:
            _graft(tree, legacy_target((key,)) or (key,), doc[key])
    if doc.ca.comment:
        tree.ca.comment = copy.copy(doc.ca.comment)
    return tree


def _graft(tree: CommentedMap, path: tuple[str, ...], node: Any) -> None:
    parent = tree
    for seg in path[:-1]:
        parent = parent[seg]
    if isinstance(node, CommentedMap | CommentedSeq):
        parent[path[-1]] = node


class ConfigStore:
    """config.yaml in a directory of its own; every change goes through ``edit_*`` or ``put_text``."""

    def __init__(self, directory: Path, text: str, on_change: Callable[[], None]) -> None:
        self.path = directory / "config.yaml"
        self.lock = threading.RLock()
        self._on_change = on_change
        # (file bytes, plain values): reads of an unchanged file skip the YAML parse, which takes
        # about half a second for the 5,000-line files the panel benchmarks use.
        self._cache: tuple[bytes, Any] | None = None
        self.path.write_bytes(text.encode("utf-8"))

    # --- raw file -------------------------------------------------------------------------

    def read_bytes(self) -> bytes:
        with self.lock:
            return self.path.read_bytes()

    def read_text(self) -> str:
        return self.read_bytes().decode("utf-8")

    def write_text(self, text: str) -> None:
        """An out-of-band edit (someone else's editor) followed by CPA's hot reload."""
        with self.lock:
            self.path.write_bytes(text.encode("utf-8"))
        self._on_change()

    # --- reading ----------------------------------------------------------------------------

    def load(self) -> CommentedMap:
        doc = parse(self.read_text())
        return doc if isinstance(doc, CommentedMap) else CommentedMap()

    def plain(self) -> dict[str, Any]:
        """The file as plain values (a fresh copy the caller may change)."""
        with self.lock:
            raw = self.read_bytes()
            if self._cache is None or self._cache[0] != raw:
                doc = parse(raw.decode("utf-8"))
                self._cache = (raw, to_plain(doc) if isinstance(doc, dict) else {})
            return copy.deepcopy(self._cache[1])

    def is_v8(self) -> bool:
        return is_v8(self.plain())

    def legacy(self) -> dict[str, Any]:
        """The file read as CPA's loader reads it: a flat (legacy) document whatever the layout."""
        plain = self.plain()
        return v8_to_legacy(plain) if is_v8(plain) else plain

    def runtime(self) -> dict[str, Any]:
        return runtime_view(self.legacy())

    def v8_tree(self) -> dict[str, Any]:
        """The v8 view (what ``GET /v8/management/config`` shows), without writing anything."""
        plain = self.plain()
        return plain if is_v8(plain) else legacy_to_v8(plain)

    def v8_yaml(self) -> bytes:
        with self.lock:
            doc = self.load()
            if is_v8(to_plain(doc)):
                return self.read_bytes()
            return self._dump(migrate(doc)).encode("utf-8")

    # --- writing ----------------------------------------------------------------------------

    def edit_legacy(self, change: Callable[[dict[str, Any]], None]) -> None:
        """A v0 write: a flat file stays flat; on a v8 file the change lands at the v8 paths."""
        with self.lock:
            doc = self.load()
            plain = to_plain(doc)
            original = copy.deepcopy(plain)
            if is_v8(plain):
                before = v8_to_legacy(plain)
                after = copy.deepcopy(before)
                change(after)
                apply_legacy_change(plain, before, after)
            else:
                change(plain)
            if plain != original:  # a no-op leaves the file's bytes alone
                self._save(doc, plain)

    def edit_v8(self, change: Callable[[dict[str, Any]], None]) -> None:
        """A v8 write; the first one rewrites a flat file into the v8 tree (cpa-v8 §2 item 1)."""
        with self.lock:
            doc = self.load()
            if not is_v8(to_plain(doc)):
                doc = migrate(doc)
            plain = to_plain(doc)
            change(plain)
            plain["config-version"] = 8
            error = validation_error(v8_groups_view(plain))
            if error:
                raise ConfigRejected(400, {"error": "invalid_config", "message": error})
            self._save(doc, plain)

    def put_text(self, text: str) -> None:
        """``PUT /v0/management/config.yaml``: validate, then write the bytes verbatim."""
        doc = parse(text)
        if not isinstance(doc, dict):
            raise ConfigRejected(400, {"error": "invalid_yaml", "message": (
                "yaml: unmarshal errors:\n  line 1: cannot unmarshal !!seq into config.Config")})
        plain = to_plain(doc)
        errors = type_errors(doc, is_v8(plain))
        if errors:
            raise ConfigRejected(400, {"error": "invalid_yaml", "message": "yaml: unmarshal errors:\n  "
                                       + "\n  ".join(errors)})
        error = validation_error(v8_to_legacy(plain) if is_v8(plain) else plain)
        if error:
            raise ConfigRejected(422, {"error": "invalid_config", "message": error})
        self.write_text(text)

    def _save(self, doc: CommentedMap, plain: dict[str, Any]) -> None:
        raw = self._dump(merge(doc, plain)).encode("utf-8")
        self.path.write_bytes(raw)
        self._cache = (raw, copy.deepcopy(plain))
        self._on_change()

    @staticmethod
    def _dump(doc: Any) -> str:
        out = io.StringIO()
        _yaml().dump(doc, out)
        return out.getvalue()
