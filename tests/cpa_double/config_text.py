"""The config.yaml a fresh double starts with: a commented flat (v7) file like a user's own."""

from __future__ import annotations

import json

from .records import PROVIDER_KEYS

# The hash CPA writes back for a plaintext secret; the double's real key is its constructor argument.
BCRYPT_PLACEHOLDER = "$2a$10$3Qy1bS8fVvQd6m0m4wJ8Ee0xk1T3uHq9p3cY6e1mWk2rB4f5tG7aK"
OPENROUTER_BASE = "https://openrouter.example/api/v1"


def default_config_yaml(
    *, usage_statistics_enabled: bool = True, retention_s: int = 60, api_keys: list[str] | None = None,
    allow_remote: bool = False,
) -> str:
    keys = "".join(f"  - {json.dumps(key)}\n" for key in api_keys or [])
    client_keys = f"api-keys:\n{keys}" if keys else "api-keys: []\n"
    return f"""# CLIProxyAPI configuration (written by hand, then by the management panel)
# Docs: https://help.router-for.me/configuration/options

host: ""
port: 8317

# Management API: keep it on loopback unless you know why not
remote-management:
  allow-remote: {json.dumps(allow_remote)}
  secret-key: "{BCRYPT_PLACEHOLDER}"

auth-dir: "~/.cli-proxy-api"
debug: false
logging-to-file: false

# CPA Manager reads usage from the queue; keep this on
usage-statistics-enabled: {json.dumps(usage_statistics_enabled)}
redis-usage-queue-retention-seconds: {retention_s}

request-log: false
request-retry: 3 # retries on 403/408/429/5xx
max-retry-interval: 30
proxy-url: ""

routing:
  strategy: round-robin

# Client keys: who may call this proxy
{client_keys}
# Upstream keys
gemini-api-key:
  - api-key: "{PROVIDER_KEYS["gemini"][0]}"

claude-api-key:
  - api-key: "{PROVIDER_KEYS["claude"][0]}"

openai-compatibility:
  - name: "x"
    base-url: "{OPENROUTER_BASE}"
    api-key-entries:
      - api-key: "{PROVIDER_KEYS["openai-compatible-x"][0]}"
"""
