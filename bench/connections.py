"""/health latency while N idle or half-sent connections are held open against the real server
(half of them sent a request line and went silent). Prints figures; asserts nothing.

    python bench/connections.py [--counts 0,100,500,900] [--probes 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cpa_manager_desktop import paths  # noqa: E402
from cpa_manager_desktop.app import build_app  # noqa: E402
from cpa_manager_desktop.config import Overrides, load_settings  # noqa: E402
from cpa_manager_desktop.web.server import SERVER_LIMITS  # noqa: E402
from tests.idle_connections import idle_connections, probe  # noqa: E402


def latencies_ms(port: int, probes: int) -> list[float] | str:
    try:
        return [probe(port, timeout_s=5.0)[1] * 1000 for _ in range(probes)]
    except OSError as exc:
        return f"no answer within 5 s ({type(exc).__name__})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--counts", default="0,100,500,900")
    parser.add_argument("--probes", type=int, default=20)
    args = parser.parse_args()
    print(f"connection_limit {SERVER_LIMITS['connection_limit']}, channel_timeout {SERVER_LIMITS['channel_timeout']} s")
    print(f"{'idle':>6}  {'p50 ms':>8}  {'p95 ms':>8}  {'max ms':>8}")
    with tempfile.TemporaryDirectory() as tmp:
        base = paths.BaseDirs(config_dir=Path(tmp), default_data_dir=Path(tmp) / "data", is_portable=True)
        app = build_app(load_settings(Overrides(http_addr="127.0.0.1:0"), env={}, base=base))
        app.start()
        try:
            for count in (int(c) for c in args.counts.split(",")):
                with idle_connections(app.port, count):
                    result = latencies_ms(app.port, args.probes)
                if isinstance(result, str):
                    print(f"{count:>6}  {result}")
                    continue
                p95 = statistics.quantiles(result, n=20)[-1]
                print(f"{count:>6}  {statistics.median(result):>8.1f}  {p95:>8.1f}  {max(result):>8.1f}")
        finally:
            app.stop()


if __name__ == "__main__":
    main()
