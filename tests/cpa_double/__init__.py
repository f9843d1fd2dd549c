"""Test double of CLIProxyAPI for the cpa_manager_desktop tests (see ``server`` for scope)."""

from . import records
from .bodies import download_chunk, download_sha256, iter_download
from .clock import FakeClock, wait_for
from .config_text import default_config_yaml
from .messages import RecordedRequest
from .records import SECRET_VALUES, make_record, mixed_records, secrets_in
from .respclient import RespClient, RespError
from .server import CpaDouble

__all__ = [
    "SECRET_VALUES",
    "CpaDouble",
    "FakeClock",
    "RecordedRequest",
    "RespClient",
    "RespError",
    "default_config_yaml",
    "download_chunk",
    "download_sha256",
    "iter_download",
    "make_record",
    "mixed_records",
    "records",
    "secrets_in",
    "wait_for",
]
