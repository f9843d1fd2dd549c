"""The log routes (cpa-management-api §8; v8 names from cpa-v8 §5.1) over ``log_files.LogDir``.

``GET /logs`` has CPA's three modes: cursor (lines after an opaque cursor; the same cursor back when
nothing is new), tail (the last ``limit`` lines) and scan (lines newer than ``after``). A cursor the
double cannot decode, or one made on a main.log that has since been truncated, rotated or rewritten,
gives ``cursor-reset: true`` and a tail. Every route but the error-log ones is 400 while
``logging-to-file`` is false.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import unquote

from .log_files import Cursor, fingerprint, line_timestamp
from .messages import Reply, Request, json_reply

if TYPE_CHECKING:
    from .server import CpaDouble

Handler = Callable[["CpaDouble", Request], Reply]
_INT = re.compile(r"^[+-]?\d+$")
TEXT_TYPE = "text/plain; charset=utf-8"


def _logging_on(double: CpaDouble) -> bool:
    return bool(double.config.runtime()["logging-to-file"])


def _limit(req: Request) -> tuple[int | None, Reply | None]:
    raw = req.arg("limit")
    if raw is None or raw == "":
        return None, None
    if not _INT.match(raw):
        return None, json_reply(400, {"error": "invalid limit: must be a positive integer"})
    if int(raw) <= 0:
        return None, json_reply(400, {"error": "invalid limit: must be greater than zero"})
    return int(raw), None


def _after(req: Request) -> int:
    raw = req.arg("after") or ""
    return max(int(raw), 0) if _INT.match(raw) else 0


def get_logs(double: CpaDouble, req: Request) -> Reply:
    if not _logging_on(double):
        return json_reply(400, {"error": "logging to file disabled"})
    limit, error = _limit(req)
    if error is not None:
        return error
    data = double.logs.read_main()
    # Only newline-terminated lines count; an unfinished last line waits for its newline.
    end = data.rfind(b"\n") + 1
    mod_ns = double.logs.mod_time_ns()
    raw_cursor = req.arg("cursor")
    if raw_cursor:
        cursor = Cursor.decode(raw_cursor)
        if cursor is None or len(data) < cursor.offset or fingerprint(data, cursor.size) != cursor.fingerprint:
            return _tail(data, end, limit, mod_ns, reset=True)
        fresh = _split(data[cursor.offset : end])[: limit or None]
        if not fresh:
            return _answer([], 0, cursor.latest, raw_cursor)
        latest = max(cursor.latest, _newest(fresh))
        after = cursor.offset + sum(len(line) + 1 for line in fresh)
        made = Cursor(after, len(data), latest, fingerprint(data, len(data))).encode(mod_ns)
        return _answer(fresh, len(fresh), latest, made)
    after_ts = _after(req)
    if after_ts == 0 and limit:
        return _tail(data, end, limit, mod_ns, reset=False)
    return _scan(data, end, after_ts, limit, mod_ns)


def _split(block: bytes) -> list[bytes]:
    """Complete lines of a block that ends at a newline (or is empty). Lengths stay raw: offsets are summed."""
    return block.split(b"\n")[:-1] if block else []


def _newest(lines: list[bytes]) -> int:
    """The newest timestamp among chronological lines: the last line that has one."""
    for line in reversed(lines):
        stamp = line_timestamp(line)
        if stamp is not None:
            return stamp
    return 0


def _tail(data: bytes, end: int, limit: int | None, mod_ns: int, *, reset: bool) -> Reply:
    lines = _split(data[:end])
    chosen = lines[-limit:] if limit else lines
    latest = _newest(chosen)
    made = Cursor(end, len(data), latest, fingerprint(data, len(data))).encode(mod_ns)
    return _answer(chosen, len(chosen), latest, made, reset=reset)


def _scan(data: bytes, end: int, after: int, limit: int | None, mod_ns: int) -> Reply:
    lines = _split(data[:end])
    kept: list[bytes] = []
    latest = after
    keeping = False
    for text in lines:
        stamp = line_timestamp(text)
        if stamp is not None:
            # A line without a timestamp continues the one before it and goes where its parent goes.
            keeping = stamp > after
            latest = max(latest, stamp)
        if keeping:
            kept.append(text)
    if limit:
        kept = kept[-limit:]
    made = Cursor(end, len(data), latest, fingerprint(data, len(data))).encode(mod_ns)
    # line-count is every line scanned, not every line returned (a legacy quirk the spec keeps).
    return _answer(kept, len(lines), latest, made)


def _answer(lines: list[bytes], count: int, latest: int, cursor: str, *, reset: bool = False) -> Reply:
    # Go's JSON encoder turns invalid UTF-8 into U+FFFD; decoding with "replace" does the same.
    shown = [text.decode("utf-8", "replace").removesuffix("\r") for text in lines]
    body: dict[str, object] = {"latest-timestamp": latest, "line-count": count, "lines": shown, "next-cursor": cursor}
    if reset:
        body = {"cursor-reset": True, **body}
    return json_reply(200, body)


def delete_logs(double: CpaDouble, req: Request) -> Reply:
    if not _logging_on(double):
        return json_reply(400, {"error": "logging to file disabled"})
    removed = double.logs.clear()
    return json_reply(200, {"message": "Logs cleared successfully", "removed": removed, "success": True})


def error_logs(double: CpaDouble, req: Request) -> Reply:
    if double.config.runtime()["request-log"]:
        return json_reply(200, {"files": []})  # CPA writes error-*.log only while full request logs are off
    files = [{"name": name, "size": size, "modified": modified} for name, size, modified in double.logs.error_logs()]
    return json_reply(200, {"files": files})


def _attachment(name: str, content: bytes) -> Reply:
    return Reply(200, content, TEXT_TYPE, headers=[("Content-Disposition", f'attachment; filename="{name}"')])


def error_log_file(prefix: str) -> Handler:
    def handler(double: CpaDouble, req: Request) -> Reply:
        name = unquote(req.path.split(prefix, 1)[1])
        if "/" in name or "\\" in name:
            return json_reply(400, {"error": "invalid log file name"})
        content = double.logs.file(name) if name.startswith("error-") and name.endswith(".log") else None
        if content is None:
            return json_reply(404, {"error": "log file not found"})
        return _attachment(name, content)

    return handler


def request_log(prefix: str) -> Handler:
    def handler(double: CpaDouble, req: Request) -> Reply:
        request_id = unquote(req.path.split(prefix, 1)[1]).strip()
        if not request_id:
            return json_reply(400, {"error": "missing request ID"})
        if not re.fullmatch(r"[A-Za-z0-9_-]+", request_id):
            return json_reply(400, {"error": "invalid request ID"})
        name = double.logs.by_request_id(request_id)
        if name is None:
            return json_reply(404, {"error": "log file not found for the given request ID"})
        return _attachment(name, double.logs.file(name) or b"")

    return handler


LOG_ROUTES: dict[str, dict[str, Handler]] = {
    "/logs": {"GET": get_logs, "DELETE": delete_logs},
    "/request-error-logs": {"GET": error_logs},
}
V8_LOG_ROUTES: dict[str, dict[str, Handler]] = {
    "/observability/logs": {"GET": get_logs, "DELETE": delete_logs},
    "/observability/logs/errors": {"GET": error_logs},
}
LOG_PREFIX_ROUTES: tuple[tuple[str, dict[str, Handler]], ...] = (
    ("/request-error-logs/", {"GET": error_log_file("/request-error-logs/")}),
    ("/request-log-by-id/", {"GET": request_log("/request-log-by-id/")}),
)
V8_LOG_PREFIX_ROUTES: tuple[tuple[str, dict[str, Handler]], ...] = (
    ("/observability/logs/errors/", {"GET": error_log_file("/observability/logs/errors/")}),
    ("/observability/logs/requests/", {"GET": request_log("/observability/logs/requests/")}),
)
