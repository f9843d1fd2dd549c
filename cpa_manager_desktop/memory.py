"""Keep a long-running process's memory flat.

glibc gives each thread that allocates its own malloc arena and keeps freed memory there; with 16
web server threads each occasionally building a large reply, resident memory grew by ~20 MB per
thread (measured with bench/query.py). Capping the arenas makes threads share and reuse them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import sys

log = logging.getLogger(__name__)
M_ARENA_MAX = -8
ARENAS = 2


def limit_malloc_arenas() -> bool:
    """Cap glibc malloc arenas; a no-op elsewhere. Call before starting threads."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(M_ARENA_MAX, ARENAS))
    except (OSError, AttributeError) as exc:  # musl and other libcs have no mallopt
        log.debug("malloc arena cap unavailable: %s", exc)
        return False
