from __future__ import annotations

import json

import pytest

from cpa_manager_desktop import redact
from cpa_manager_desktop.ingest.normalise import CONTROL, classify
from cpa_manager_desktop.ingest.timestamps import format_ns, parse_timestamp_ns
from cpa_manager_desktop.store.rows import DeadLetter, EventRow
from tests.fixtures.spec_records import CLAUDE_APIKEY_FAILED, CODEX_OAUTH, V610_GEMINI, record


def row(item: object) -> EventRow:
    outcome = classify(item)
    assert isinstance(outcome, EventRow), outcome
    return outcome


def test_codex_record_prefers_token_breakdown() -> None:
    event = row(CODEX_OAUTH)
    assert (event.in_uncached, event.in_cache_read, event.in_cache_write, event.out_total, event.out_reasoning,
            event.token_quality) == (4000, 8000, 0, 900, 320, "complete")
    assert (event.input_tokens, event.cached_tokens, event.total_tokens) == (12000, 8000, 12900)
    assert event.ts_ns == 1787407391482913507
    assert event.source_label == "ali***@example.com"
    assert event.api_key_hash == redact.sha256_hex("sk-client-1-aaaaaaaaaaaa")
    assert event.api_key_label == "sk-c…aaaa"
    assert (event.failed, event.status_code, event.latency_ms, event.ttft_ms) == (0, 200, 8421, 1312)


def test_claude_provider_key_is_hashed_and_masked_and_body_scrubbed() -> None:
    event = row(CLAUDE_APIKEY_FAILED)
    assert event.source_hash == redact.sha256_hex("sk-ant-api03-PROVIDERKEY0123456789abcdef")
    assert event.source_label == "sk-a…cdef"
    assert (event.failed, event.status_code) == (1, 429)
    assert "PROVIDERKEY" not in (event.fail_body or "") and "rate_limit_error" in (event.fail_body or "")
    assert "PROVIDERKEY" not in repr(event)


@pytest.mark.parametrize(("provider", "expected"), [
    # (uncached, cache read, cache write, output total, reasoning)
    ("claude", (1000, 300, 50, 200, 40)),       # independent buckets
    ("codex", (650, 300, 50, 200, 40)),         # cache inside input, reasoning inside output
    ("gemini", (650, 300, 50, 240, 40)),        # cache inside input, reasoning outside output
])
def test_provider_token_semantics_without_breakdown(provider: str, expected: tuple[int, ...]) -> None:
    tokens = {"input_tokens": 1000, "output_tokens": 200, "reasoning_tokens": 40, "cached_tokens": 300,
              "cache_read_tokens": 300, "cache_creation_tokens": 50, "total_tokens": 0}
    event = row(record(CODEX_OAUTH, provider=provider, tokens=tokens, token_breakdown=None))
    assert (event.in_uncached, event.in_cache_read, event.in_cache_write, event.out_total,
            event.out_reasoning) == expected
    assert event.total_tokens == sum(expected[:4]) and event.token_quality == "derived"


def test_v610_minimal_record() -> None:
    event = row(V610_GEMINI)
    assert format_ns(event.ts_ns) == "2026-03-01T00:00:00.5Z"
    assert (event.in_uncached, event.in_cache_read, event.out_total, event.total_tokens) == (600, 400, 250, 1250)
    assert event.api_key_hash is None and event.source_label == "my-vertex-project"
    assert event.status_code is None and event.ttft_ms is None


@pytest.mark.parametrize("frame", ['{"refresh":true}', b'{"support_refresh":true}', {"refresh": True}])
def test_control_frames_are_not_usage(frame: object) -> None:
    assert classify(frame) is CONTROL


@pytest.mark.parametrize(("item", "error"), [
    (b"\xff\xfe", "payload is not UTF-8 text"),
    ("not json at all", "payload is not JSON"),
    ("[1, 2]", "payload is a JSON list, not an object"),
    (42, "payload is a JSON int, not an object"),
    ({"model": "x", "api_key": "sk-secret-in-dead-letter-123"}, "bad timestamp: missing timestamp"),
    ({"timestamp": "yesterday"}, "bad timestamp: unrecognised timestamp"),
    (record(CODEX_OAUTH, tokens={"input_tokens": "many"}), "token count 'many' is not a whole number"),
])
def test_malformed_items_become_dead_letters(item: object, error: str) -> None:
    outcome = classify(item)
    assert isinstance(outcome, DeadLetter)
    assert outcome.error.startswith(error)
    assert "sk-secret-in-dead-letter-123" not in outcome.payload
    assert "sk-client-1-aaaaaaaaaaaa" not in outcome.payload


def test_dead_letter_payload_keeps_non_secret_fields() -> None:
    outcome = classify({"model": "gpt-x", "api_key": "sk-abcdefghijklmnop", "source": "sk-ant-api03-zzzzzzzzzzzzzzzz"})
    assert isinstance(outcome, DeadLetter)
    assert json.loads(outcome.payload) == {"model": "gpt-x", "api_key": "[redacted]", "source": "sk-a…zzzz"}


def test_content_key_is_stable_and_distinguishes_attempts() -> None:
    first = row(CODEX_OAUTH)
    assert row(json.dumps(CODEX_OAUTH)).event_key == first.event_key
    assert row(json.dumps(CODEX_OAUTH).encode()).event_key == first.event_key
    retry = row(record(CODEX_OAUTH, auth_index="ffff000011112222", latency_ms=900))
    assert retry.event_key != first.event_key and retry.request_id == first.request_id


def test_json_string_wrapping_a_record_is_unwrapped() -> None:
    assert row(json.dumps(json.dumps(CODEX_OAUTH))).event_key == row(CODEX_OAUTH).event_key


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-08-22T14:03:11.482913507Z", 1787407391482913507),
    ("2026-08-22T22:03:11.482913507+08:00", 1787407391482913507),
    ("2026-08-22T14:03:11Z", 1787407391000000000),
    (1787407391, 1787407391000000000),
    (1787407391482, 1787407391482000000),
    ("1787407391482", 1787407391482000000),
])
def test_timestamp_forms(value: object, expected: int) -> None:
    assert parse_timestamp_ns(value) == expected


def test_masking_rules() -> None:
    assert redact.mask_label("sk-abcdefghij9f3c", is_key=True) == "sk-a…9f3c"
    assert redact.mask_label("alice@example.com") == "ali***@example.com"
    # sha256("short") starts f9b0: short keys keep apart without showing any of the key.
    assert redact.mask_label("short", is_key=True) == "****f9b0"
    assert redact.mask_label("other", is_key=True) != redact.mask_label("short", is_key=True)
    assert redact.mask_label("AIzaSyA-abcdefghijklmnopqrstuvwxyz012") == "AIza…z012"
    assert redact.mask_label("my-project-123") == "my-project-123"


def test_scrub_text_masks_embedded_secrets() -> None:
    text = ('Authorization: Bearer abcdefghijklmnopqrstuvwxyz sk-proj-ABCDEFGHIJKLMNOP '
            'AIzaSyA-abcdefghijklmnopqrstuvwxyz012 refresh_token=r0123456789 ghp_0123456789abcdefghij')
    scrubbed = redact.scrub_text(text)
    for secret in ("abcdefghijklmnopqrstuvwxyz", "sk-proj-ABCDEFGHIJKLMNOP", "AIzaSyA-abcdefghijklmnopqrstuvwxyz012",
                   "r0123456789", "ghp_0123456789abcdefghij"):
        assert secret not in scrubbed
    assert scrubbed.startswith("Authorization: Bearer abcd…wxyz")
