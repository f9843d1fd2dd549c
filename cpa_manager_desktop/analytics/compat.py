"""The usage payload existing CPA panels read from `GET /v0/management/usage`.

Shape: `total_requests, success_count, failure_count, total_tokens, apis.<endpoint>.models.<model>
{total_requests, total_tokens, details[]}` plus the legacy `requests_by_day/hour` and
`tokens_by_day/hour` (the server's local time zone, hours folded across days, as CPA did).
Totals cover the whole requested range; details are the newest `limit` events, newest first.
All reads finish before the first byte is sent, so a slow client never holds a read transaction.
"""

from __future__ import annotations

import bisect
import json
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, tzinfo
from typing import Any

from cpa_manager_desktop import redact
from cpa_manager_desktop.analytics.window import zone_has_whole_hour_offsets
from cpa_manager_desktop.ingest.timestamps import format_ns
from cpa_manager_desktop.store.credentials import CredentialSnapshot, CredentialStore
from cpa_manager_desktop.store.db import Database
from cpa_manager_desktop.store.queries import DETAIL_COLUMNS, Filters, Window, aggregate, event_page
from cpa_manager_desktop.store.retention import aggregated_before_ms
from cpa_manager_desktop.store.rollups import NS_PER_HOUR

DETAIL_PAGE = 5000
NS_PER_S = 1_000_000_000
NS_PER_MINUTE = 60 * NS_PER_S
QUARTER_HOUR_NS = 15 * 60 * 1_000_000_000
COUNTS = ("requests", "failures", "total_tokens")
UNKNOWN = "-"


def _dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class CredentialNames:
    """The Go service's credential snapshot fields for a detail: the names CPA's credential list gave
    its auth_index as of the event (the latest snapshot taken before it, else the first one after)."""

    def __init__(self, history: dict[str, list[CredentialSnapshot]]) -> None:
        self._history = history
        self._times = {index: [s.at_ms for s in snaps] for index, snaps in history.items()}
        self._json: dict[tuple[str, int], str] = {}

    def fields(self, auth_index: str | None, ts_ns: int) -> dict[str, Any]:
        snapshots = self._history.get(auth_index or "")
        if not snapshots:
            return {}
        return self._fields(snapshots[self._at(auth_index or "", ts_ns)])

    def json_members(self, auth_index: str | None, ts_ns: int) -> str:
        """fields() as JSON object members after a comma (`,"a":1,"b":2`), or "" when there are none;
        made once per snapshot, since a payload repeats them for thousands of details."""
        snapshots = self._history.get(auth_index or "")
        if not snapshots:
            return ""
        key = (auth_index or "", self._at(auth_index or "", ts_ns))
        members = self._json.get(key)
        if members is None:
            members = self._json[key] = "," + _dump(self._fields(snapshots[key[1]]))[1:-1]
        return members

    def _at(self, auth_index: str, ts_ns: int) -> int:
        return max(bisect.bisect_right(self._times[auth_index], ts_ns // 1_000_000) - 1, 0)

    @staticmethod
    def _fields(snapshot: CredentialSnapshot) -> dict[str, Any]:
        names = {"account_snapshot": snapshot.account, "auth_label_snapshot": snapshot.label,
                 "auth_file_snapshot": snapshot.file, "auth_provider_snapshot": snapshot.provider}
        return {**{k: v for k, v in names.items() if v}, "auth_snapshot_at_ms": snapshot.at_ms}


class DetailWriter:
    """One detail of the payload as JSON, written out in json.dumps' member order and spacing instead
    of through it: with 50,000 details the dict-and-dump path was most of the call's time. The texts
    that repeat (source, account, credential names, the minute of the timestamp) are encoded once."""

    def __init__(self, names: CredentialNames) -> None:
        self._names = names
        self._sources: dict[str | None, str] = {}
        self._accounts: dict[str, str] = {}
        self._minute = -1
        self._minute_text = ""

    def json(self, row: tuple[Any, ...]) -> str:
        (_id, ts_ns, _endpoint, _model, source_label, auth_index, latency_ms, uncached, cache_read, cache_write,
         output_total, reasoning, total_tokens, failed) = row
        source = self._sources.get(source_label)
        if source is None:
            source = self._sources[source_label] = _dump(redact.panel_source(source_label or ""))
        account = ""
        if auth_index:
            account = self._accounts.get(auth_index) or self._account(auth_index)
        latency = "" if latency_ms is None else f',"latency_ms":{latency_ms}'
        # The canonical buckets (ingest/tokens.py) in OpenAI terms, whatever the provider: input includes
        # the cache reads and writes, output includes reasoning. cached_tokens and cache_tokens carry the
        # same cache-read count: panels price max(cached_tokens, cache_tokens) inside input.
        return (f'{{"timestamp":"{self._timestamp(ts_ns)}","source":{source}{account}{latency},'
                f'"tokens":{{"input_tokens":{uncached + cache_read + cache_write},"output_tokens":{output_total},'
                f'"reasoning_tokens":{reasoning},"cached_tokens":{cache_read},"cache_tokens":{cache_read},'
                f'"cache_read_tokens":{cache_read},"cache_creation_tokens":{cache_write},'
                f'"total_tokens":{total_tokens}}},"failed":{"true" if failed else "false"}'
                f'{self._names.json_members(auth_index, ts_ns)}}}')

    def _account(self, auth_index: str) -> str:
        text = self._accounts[auth_index] = ',"auth_index":' + _dump(auth_index)
        return text

    def _timestamp(self, ts_ns: int) -> str:
        """format_ns(ts_ns), with the date and time up to the minute made once per minute."""
        minute, rest_ns = divmod(ts_ns, NS_PER_MINUTE)
        if minute != self._minute:
            self._minute, self._minute_text = minute, format_ns(minute * NS_PER_MINUTE)[:-3]
        seconds, nanos = divmod(rest_ns, NS_PER_S)
        if nanos:
            return f"{self._minute_text}{seconds:02d}.{nanos:09d}".rstrip("0") + "Z"
        return f"{self._minute_text}{seconds:02d}Z"


class UsageSnapshot:
    """Everything the payload needs, read up front in short statements."""

    def __init__(self, db: Database, window: Window, limit: int, zone: tzinfo) -> None:
        self.groups = db.read(lambda c: aggregate(c, window, ["endpoint", "model"], Filters(), measures=COUNTS))
        # Hourly rollups fold into local hours only in zones whose offsets are whole hours; +09:30 or
        # +05:45 cut every UTC hour in two, so those count quarter-hours from the raw rows instead.
        whole = zone_has_whole_hour_offsets(zone, window)
        self.slot, self.slot_ns = ("hour", NS_PER_HOUR) if whole else ("slot", QUARTER_HOUR_NS)
        self.slots = db.read(lambda c: aggregate(c, window, [self.slot], Filters(), slot_ns=self.slot_ns,
                                                 measures=COUNTS))
        self.details: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.zone = zone
        self._details = DetailWriter(CredentialNames(CredentialStore(db).history()))
        self._read_details(db, window, limit)
        # Additive: details stop where retention folded raw events into hourly totals (totals do not).
        self.aggregated_before_ms = db.read(aggregated_before_ms)

    def _read_details(self, db: Database, window: Window, limit: int) -> None:
        before: tuple[int, int] | None = None
        remaining = limit
        while remaining > 0:
            size = min(DETAIL_PAGE, remaining)
            page = db.read(lambda c, b=before, n=size: event_page(c, window, DETAIL_COLUMNS, limit=n, cursor=b))
            for row in page:
                self.details[(row[2] or UNKNOWN, row[3] or UNKNOWN)].append(self._details.json(row))
            if len(page) < size:
                return
            remaining -= len(page)
            before = (page[-1][1], page[-1][0])

    def chunks(self) -> Iterator[str]:
        total = sum(g["requests"] for g in self.groups)
        failures = sum(g["failures"] for g in self.groups)
        yield (f'{{"total_requests":{total},"success_count":{total - failures},'
               f'"failure_count":{failures},"total_tokens":{sum(g["total_tokens"] for g in self.groups)},'
               f'"failed_requests":{failures},"apis":{{')
        yield from self._apis()
        # Present only once retention has folded something, so the Go service's shape is unchanged until then.
        aggregated = "" if self.aggregated_before_ms is None else f',"aggregated_before_ms":{self.aggregated_before_ms}'
        yield "}," + self._time_buckets() + aggregated + "}"

    def _apis(self) -> Iterator[str]:
        by_endpoint: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for group in self.groups:
            by_endpoint[group["endpoint"] or UNKNOWN].append(group)
        for n, endpoint in enumerate(sorted(by_endpoint)):
            models = sorted(by_endpoint[endpoint], key=lambda g: g["model"] or UNKNOWN)
            yield (("," if n else "") + f'{_dump(endpoint)}:{{"total_requests":{sum(m["requests"] for m in models)},'
                   f'"total_tokens":{sum(m["total_tokens"] for m in models)},"models":{{')
            for i, group in enumerate(models):
                model = group["model"] or UNKNOWN
                details = self.details.get((endpoint, model), [])
                yield (("," if i else "") + f'{_dump(model)}:{{"total_requests":{group["requests"]},'
                       f'"total_tokens":{group["total_tokens"]},"details":[' + ",".join(details) + "]}")
            yield "}}"

    def _time_buckets(self) -> str:
        requests_by_day: dict[str, int] = defaultdict(int)
        tokens_by_day: dict[str, int] = defaultdict(int)
        requests_by_hour: dict[str, int] = defaultdict(int)
        tokens_by_hour: dict[str, int] = defaultdict(int)
        for bucket in self.slots:
            local = datetime.fromtimestamp(bucket[self.slot] * self.slot_ns / 1e9, self.zone)
            day, hour = local.strftime("%Y-%m-%d"), local.strftime("%H")
            requests_by_day[day] += bucket["requests"]
            tokens_by_day[day] += bucket["total_tokens"]
            requests_by_hour[hour] += bucket["requests"]
            tokens_by_hour[hour] += bucket["total_tokens"]
        parts = {"requests_by_day": requests_by_day, "requests_by_hour": requests_by_hour,
                 "tokens_by_day": tokens_by_day, "tokens_by_hour": tokens_by_hour}
        return ",".join(f'"{name}":{_dump(dict(sorted(values.items())))}' for name, values in parts.items())
