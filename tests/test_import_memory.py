"""A JSON-array import is streamed (issue 11 §5): the server's peak memory stays far below the ~9x the
file size that parsing the whole document took (bench/import_memory.py measures 256 MiB)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.import_files import import_in_server, write_json_array

FILE_MIB = 24
# An idle server peaks near 50 MB; reading 24 MiB whole took over 200 MB.
PEAK_RSS_LIMIT_MB = 130


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the peak memory")
def test_a_json_array_import_is_streamed(tmp_path: Path) -> None:
    file = tmp_path / "usage.json"
    count = write_json_array(file, FILE_MIB * 2**20)

    status, reply, peak_mb = import_in_server(tmp_path, file)

    assert (status, reply["format"], reply["added"]) == (200, "json_array", count), reply.get("error")
    assert peak_mb < PEAK_RSS_LIMIT_MB, f"server peak RSS {peak_mb:.0f} MB for a {FILE_MIB} MiB file"
