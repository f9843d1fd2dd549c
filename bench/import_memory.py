"""Peak memory of the server importing a large JSON array (default 256 MiB) over HTTP, in a fresh server
process (Linux: /proc VmHWM). Prints figures; asserts nothing.

    python bench/import_memory.py [--mib 256]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.import_files import import_in_server, write_json_array  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mib", type=int, default=256)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        file = Path(tmp) / "usage.json"
        # Just under the size given: the import limit (256 MiB) is inclusive.
        count = write_json_array(file, args.mib * 2**20 - 8192)
        size_mib = file.stat().st_size / 2**20
        started = time.perf_counter()
        status, reply, peak_mb = import_in_server(Path(tmp), file)
        elapsed = time.perf_counter() - started
    print(f"file                {size_mib:>8.1f} MiB JSON array, {count:,} records")
    print(f"import              HTTP {status}, added {reply.get('added', 0):,} in {elapsed:.1f} s "
          "(server start included)")
    print(f"server peak RSS     {peak_mb:>8.1f} MB   (target < 300 MB)")


if __name__ == "__main__":
    main()
