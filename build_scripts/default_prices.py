"""Regenerates cpa_manager_desktop/prices/default_prices.json, the price table shipped with the app.

The source is the price file the `litellm` PyPI package bundles
(`litellm/model_prices_and_context_window_backup.json`). litellm is NOT a dependency of the app:
install it only where this script runs, without its dependencies (the package is never imported,
only its JSON file is read):

    python -m venv /tmp/litellm-venv && /tmp/litellm-venv/bin/pip install --no-deps litellm
    python build_scripts/default_prices.py --litellm /tmp/litellm-venv/lib/python3.*/site-packages/litellm

Only the models CPA serves (MODELS below) are kept, so the file stays small; users sync the rest.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cpa_manager_desktop.prices.sync import litellm_price, match_litellm  # noqa: E402

TARGET = REPO / "cpa_manager_desktop" / "prices" / "default_prices.json"
# (model as CPA reports it, provider) for the providers CPA serves: Codex/OpenAI, Claude, Gemini, xAI.
MODELS: tuple[tuple[str, str], ...] = (
    *((m, "codex") for m in ("gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-5-codex", "gpt-5-codex-mini", "gpt-5.1",
                             "gpt-5.1-codex", "gpt-5.1-codex-mini", "gpt-5.1-codex-max", "gpt-5.2", "gpt-5.2-codex",
                             "gpt-5.4", "gpt-5.4-mini", "gpt-4.1", "gpt-4.1-mini", "gpt-4o", "gpt-4o-mini", "o3",
                             "o4-mini")),
    *((m, "claude") for m in ("claude-opus-4-6", "claude-opus-4-5", "claude-opus-4-1", "claude-opus-4",
                              "claude-sonnet-4-6", "claude-sonnet-4-5", "claude-sonnet-4", "claude-3-7-sonnet",
                              "claude-haiku-4-5", "claude-3-5-haiku")),
    *((m, "gemini") for m in ("gemini-3-pro-preview", "gemini-3-flash-preview", "gemini-2.5-pro",
                              "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash")),
    *((m, "xai") for m in ("grok-4", "grok-4-fast", "grok-code-fast-1", "grok-3", "grok-3-mini")),
)


def _dated_key(model: str, table: dict) -> str | None:
    """LiteLLM lists some models only under a dated name (`claude-opus-4-1-20250805`)."""
    pattern = re.compile(rf"^([a-z_]+/)?{re.escape(model)}-(\d{{8}}|\d{{4}}-\d{{2}}-\d{{2}}|\d{{4}})$")
    dated = sorted(key for key in table if pattern.match(key) and isinstance(table[key], dict))
    return min(dated, key=len) if dated else None


def entry_of(model: str, provider: str, table: dict) -> dict | None:
    key = match_litellm(model, provider, table) or _dated_key(model, table)
    if key is None:
        return None
    price = litellm_price(model, key, table[key], 0)
    if price is None:
        return None
    entry = {"input": price.input_per_1m, "output": price.output_per_1m, "sourceModelId": key}
    for name, value in (("cacheRead", price.cache_read_per_1m), ("cacheWrite", price.cache_write_per_1m),
                        ("cacheWrite1h", price.cache_write_1h_per_1m)):
        if value is not None:
            entry[name] = value
    if price.tiers_json:
        entry["tiers"] = json.loads(price.tiers_json)
    return entry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--litellm", type=Path, required=True, help="the installed litellm package folder")
    args = parser.parse_args()
    source = args.litellm / "model_prices_and_context_window_backup.json"
    table = json.loads(source.read_text("utf-8"))
    version = next((p.name.split("-")[1] for p in args.litellm.parent.glob("litellm-*.dist-info")), "unknown")
    prices, missing = {}, []
    for model, provider in MODELS:
        entry = entry_of(model, provider, table)
        if entry is None:
            missing.append(model)
        else:
            prices[model] = entry
    document = {"generated": datetime.now(UTC).strftime("%Y-%m-%d"), "source": f"litellm {version}",
                "prices": prices}
    TARGET.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{len(prices)} models written to {TARGET.relative_to(REPO)}; not in LiteLLM: {', '.join(missing) or '-'}")


if __name__ == "__main__":
    main()
