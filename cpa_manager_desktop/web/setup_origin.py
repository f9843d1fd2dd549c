"""Cross-origin `POST /setup` from the upstream CPA panel (issue 12 §7).

In CPA panel mode the panel is served by CPA (another origin) and sends the key only in the JSON body
of `POST /setup`, never as a header. With the default `USAGE_CORS_ORIGINS=*` such a request is let
through when the body's key equals the saved key, or, before the first setup, when the page comes from
this machine or the local network (CPA on this machine or the LAN). Any other foreign origin still has
to be listed. The body is read here once, bounded, and handed on unchanged.
"""

from __future__ import annotations

import io
import ipaddress
import json
from typing import Any
from urllib.parse import urlsplit

SETUP_PATH = "/setup"
MAX_SETUP_BODY = 64 * 1024
# Loopback, RFC 1918, link-local and IPv6 unique-local: spelled out, because Python's is_private also
# counts documentation and other reserved ranges that are not anybody's LAN.
LOCAL_NETWORKS = tuple(ipaddress.ip_network(n) for n in (
    "127.0.0.0/8", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16",
    "::1/128", "fc00::/7", "fe80::/10"))


def is_local_network_origin(origin: str) -> bool:
    """An origin on a loopback, private or link-local address (names other than localhost do not count:
    a public name may resolve anywhere)."""
    try:
        host = urlsplit(origin).hostname
    except ValueError:
        return False
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in LOCAL_NETWORKS if network.version == address.version)


def setup_body_key(environ: dict[str, Any]) -> str | None:
    """The `managementKey` of a JSON setup body, or None; leaves the body readable for the route."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if length <= 0 or length > MAX_SETUP_BODY:
        return None
    body = environ["wsgi.input"].read(length)
    environ["wsgi.input"] = io.BytesIO(body)
    environ["CONTENT_LENGTH"] = str(len(body))
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return None
    key = document.get("managementKey") if isinstance(document, dict) else None
    return key if isinstance(key, str) and key else None
