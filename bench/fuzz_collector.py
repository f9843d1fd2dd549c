"""Fuzzing the collector: valid records mixed with seeded mutations and the issue 11 poison cases, over
CPA's HTTP queue and over RESP, through the real app. Prints records sent, stored and dead-lettered and
how long the collector ran; asserts nothing.

    python bench/fuzz_collector.py [--valid 5000] [--mutants 5000]
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpa_manager_desktop import paths  # noqa: E402
from cpa_manager_desktop.app import build_app  # noqa: E402
from cpa_manager_desktop.config import Overrides, load_settings  # noqa: E402
from tests.cpa_double import CpaDouble, records  # noqa: E402
from tests.cpa_double.poison import mutate, poison_records  # noqa: E402

KEY = "bench-management-key"


def run(mode: str, valid_count: int, mutant_count: int, workdir: Path) -> dict[str, object]:
    rng = random.Random(f"bench-{mode}")
    valid = records.mixed_records(valid_count, seed=41)
    items: list[object] = [*valid, *(mutate(rng.choice(valid), rng) for _ in range(mutant_count)),
                           *poison_records(valid[0]).values()]
    rng.shuffle(items)
    double = CpaDouble(KEY, retention_s=3600).start()
    double.enqueue(*items)
    base = paths.BaseDirs(config_dir=workdir / mode, default_data_dir=workdir / mode / "data", is_portable=True)
    env = {"CPA_UPSTREAM_URL": double.base_url, "CPA_MANAGEMENT_KEY": KEY, "USAGE_COLLECTOR_MODE": mode,
           "USAGE_BATCH_SIZE": "200", "USAGE_POLL_INTERVAL_MS": "50"}
    app = build_app(load_settings(Overrides(http_addr="127.0.0.1:0"), env=env, base=base))
    started = time.perf_counter()
    try:
        app.start()
        drained = app.collector.wait_for(lambda s: s.total_popped >= len(items) and s.pending_items == 0, 600)
        status = app.controller.status()
        state = status.collector.state
        alive = app.collector.status().state not in ("stopped", "error")
    finally:
        uptime_s = time.perf_counter() - started
        app.stop()
        double.stop()
    return {"mode": mode, "sent": len(items), "valid": len(valid), "stored": status.events,
            "dead": status.dead_letters,
            "duplicates": status.collector.total_skipped, "drained": drained, "state": state, "alive": alive,
            "uptime_s": uptime_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--valid", type=int, default=5000)
    parser.add_argument("--mutants", type=int, default=5000)
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # thousands of dead-letter warnings would bury the figures
    print(f"{'transport':<10}{'sent':>8}{'valid':>8}{'stored':>8}{'dead':>8}{'dup':>8}  collector")
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("http", "resp"):
            r = run(mode, args.valid, args.mutants, Path(tmp))
            verdict = "running" if r["alive"] else f"NOT running ({r['state']})"
            drained = "" if r["drained"] else ", queue NOT drained"
            counts = "".join(f"{r[name]:>8,}" for name in ("sent", "valid", "stored", "dead", "duplicates"))
            print(f"{r['mode']:<10}{counts}  {verdict} for {r['uptime_s']:.1f} s{drained}")
    print("stored: valid records plus mutants still readable as usage; dup: mutants whose stored content "
          "equals a record already stored")


if __name__ == "__main__":
    main()
