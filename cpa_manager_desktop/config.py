"""Settings: one table of name, env var, config.json key, default and parser.

Precedence is command-line flag > environment > config.json > default. Every invalid value raises
ConfigError naming where it came from (the env var, the config.json key or the flag), never a traceback.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cpa_manager_desktop import paths
from cpa_manager_desktop.errors import ConfigError

log = logging.getLogger(__name__)

DEFAULT_ADDR = "127.0.0.1:18317"
DEFAULT_KEY_FILE = "/run/secrets/cpa_management_key"
TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Address:
    host: str
    port: int

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def is_loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def parse_addr(text: str) -> Address:
    host, sep, port_text = text.strip().rpartition(":")
    if not sep or not port_text.isdigit():
        raise ValueError("expected HOST:PORT, e.g. 127.0.0.1:18317")
    port = int(port_text)
    if not 0 <= port <= 65535:
        raise ValueError("port must be between 0 and 65535")
    host = host.strip("[]") or "0.0.0.0"
    return Address(host, port)


def _int_between(low: int, high: int) -> Callable[[Any], int]:
    def parse(raw: Any) -> int:
        if isinstance(raw, bool):
            raise ValueError("expected a whole number")
        try:
            number = int(str(raw).strip())
        except ValueError:
            raise ValueError("expected a whole number") from None
        if not low <= number <= high:
            raise ValueError(f"must be between {low} and {high}")
        return number

    return parse


def _parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    word = str(raw).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError("expected true or false")


def _choice(*allowed: str, aliases: Mapping[str, str] | None = None) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        word = str(raw).strip().lower()
        word = (aliases or {}).get(word, word)
        if word not in allowed:
            raise ValueError(f"must be one of {', '.join(allowed)}")
        return word

    return parse


def _text(raw: Any) -> str:
    if not isinstance(raw, str):
        raise ValueError("expected a string")
    return raw.strip()


def _string_list(raw: Any) -> tuple[str, ...]:
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list | tuple) or not all(isinstance(i, str) for i in items):
        raise ValueError("expected a comma-separated string or a list of strings")
    return tuple(i.strip() for i in items if i.strip())


def _queue_name(raw: Any) -> str:
    name = _text(raw)
    if not name or any(c.isspace() for c in name):
        raise ValueError("must be a single word")
    return name


MAX_RETENTION_DAYS = 3650


def parse_retention_days(raw: Any) -> int | None:
    """Days to keep raw events: a whole number from 1 to 3650; None, 0 or "" keep every event. Raises
    ValueError with a sentence for anything else (negative, fractional, absurd)."""
    if raw is None or raw == 0 or (isinstance(raw, str) and raw.strip() in ("", "0")):
        return None
    text = raw.strip() if isinstance(raw, str) else raw
    if isinstance(raw, bool) or not (isinstance(text, int) or (isinstance(text, str) and text.isdigit())):
        raise ValueError(f"retention must be a whole number of days from 1 to {MAX_RETENTION_DAYS}, "
                         "or 0 to keep every event")
    days = int(text)
    if days < 0:
        raise ValueError(f"retention must be a whole number of days from 1 to {MAX_RETENTION_DAYS}, "
                         "or 0 to keep every event")
    if days > MAX_RETENTION_DAYS:
        raise ValueError(f"retention of {days} days is more than {MAX_RETENTION_DAYS} days (ten years); "
                         "use 0 to keep every event")
    return days


@dataclass(frozen=True)
class Setting:
    name: str
    env: str | None
    json_key: str | None
    default: Any
    parse: Callable[[Any], Any]
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("http_addr", "HTTP_ADDR", "httpAddr", DEFAULT_ADDR, lambda v: parse_addr(_text(v)),
            "Listen address. Loopback by default; containers use 0.0.0.0:18317"),
    Setting("data_dir", "USAGE_DATA_DIR", "dataDir", None, _text, "Data folder (database, logs)"),
    Setting("db_path", "USAGE_DB_PATH", "dbPath", None, _text, "SQLite database file"),
    Setting("cpa_upstream_url", "CPA_UPSTREAM_URL", "cpaUpstreamUrl", "", _text,
            "CPA base URL for unattended start"),
    Setting("management_key", "CPA_MANAGEMENT_KEY", None, "", _text, "CPA Management Key for unattended start"),
    Setting("management_key_file", "CPA_MANAGEMENT_KEY_FILE", "managementKeyFile", DEFAULT_KEY_FILE, _text,
            "File holding the Management Key"),
    Setting("collector_mode", "USAGE_COLLECTOR_MODE", "collectorMode", "auto", _choice("auto", "http", "resp"),
            "auto: HTTP queue first, RESP fallback; http; resp"),
    Setting("resp_queue", "USAGE_RESP_QUEUE", "queue", "usage", _queue_name, "RESP queue key"),
    Setting("pop_side", "USAGE_RESP_POP_SIDE", "popSide", "right",
            _choice("right", "left", aliases={"rpop": "right", "lpop": "left"}),
            "right uses RPOP, left uses LPOP (both are FIFO on CPA)"),
    Setting("batch_size", "USAGE_BATCH_SIZE", "batchSize", 100, _int_between(1, 10_000),
            "Maximum records per pop"),
    Setting("poll_interval_ms", "USAGE_POLL_INTERVAL_MS", "pollIntervalMs", 500, _int_between(50, 600_000),
            "Idle polling interval"),
    Setting("quota_interval_s", "QUOTA_INTERVAL_S", "quotaIntervalS", 900, _int_between(60, 86_400),
            "Seconds between quota checks of each credential (jittered ±10 %)"),
    Setting("query_limit", "USAGE_QUERY_LIMIT", "queryLimit", 50_000, _int_between(1, 5_000_000),
            "Maximum details returned by /v0/management/usage"),
    Setting("cors_origins", "USAGE_CORS_ORIGINS", "corsOrigins", ("*",), _string_list,
            "Browser origins allowed to call the API"),
    Setting("tls_skip_verify", "USAGE_RESP_TLS_SKIP_VERIFY", "tlsSkipVerify", False, _parse_bool,
            "Skip TLS certificate checks towards CPA"),
    Setting("panel_path", "PANEL_PATH", "panelPath", "", _text, "Serve this management.html instead of ours"),
    Setting("allowed_hosts", "USAGE_ALLOWED_HOSTS", "allowedHosts", (), _string_list,
            "Extra Host names accepted besides localhost/127.0.0.1/[::1]"),
    Setting("litellm_prices_url", "LITELLM_PRICES_URL", "litellmPricesUrl",
            "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json", _text,
            "Where model price sync downloads LiteLLM's price list"),
    Setting("retention_days", "USAGE_RETENTION_DAYS", "retentionDays", None, parse_retention_days,
            "Keep raw events this many days, then fold them into hourly totals (0: keep all; unset: the panel's "
            "choice)"),
    Setting("log_level", "CPA_MANAGER_LOG_LEVEL", "logLevel", "info",
            _choice("debug", "info", "warning", "error"), "Log verbosity"),
)
SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}
JSON_KEYS = {s.json_key for s in SETTINGS if s.json_key}


@dataclass(frozen=True)
class Settings:
    config_path: Path
    data_dir: Path
    db_path: Path
    log_dir: Path
    http_addr: Address
    cpa_upstream_url: str
    management_key: str = field(repr=False)
    collector_mode: str
    resp_queue: str
    pop_side: str
    batch_size: int
    poll_interval_ms: int
    query_limit: int
    quota_interval_s: int
    cors_origins: tuple[str, ...]
    tls_skip_verify: bool
    panel_path: Path | None
    allowed_hosts: tuple[str, ...]
    litellm_prices_url: str
    log_level: str
    is_portable: bool
    warnings: tuple[str, ...] = ()
    retention_days: int | None = None       # None: keep every raw event
    retention_configured: bool = False      # set by the environment or config.json, not by the panel

    @property
    def is_env_setup(self) -> bool:
        return bool(self.cpa_upstream_url and self.management_key)


@dataclass(frozen=True)
class Overrides:
    """Values given on the command line; None means not given."""

    config_path: str | None = None
    data_dir: str | None = None
    http_addr: str | None = None


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"Cannot read config file {path}: {exc.strerror}") from None
    try:
        data = json.loads(text) if text.strip() else {}
    except json.JSONDecodeError as exc:
        raise ConfigError(f"Config file {path} is not valid JSON (line {exc.lineno}): {exc.msg}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"Config file {path} must hold a JSON object")
    return data


def _write_default_config(path: Path, base: paths.BaseDirs) -> None:
    data_dir = "./data" if base.is_portable or path.parent != base.config_dir else str(base.default_data_dir)
    content = {"httpAddr": DEFAULT_ADDR, "dataDir": data_dir}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
        paths.make_private_file(path)
    except OSError as exc:
        log.warning("config file not created path=%s reason=%s", path, exc.strerror)


class _Resolver:
    """Looks a setting up in env then file, parsing and naming the source on error."""

    def __init__(self, env: Mapping[str, str], file_values: Mapping[str, Any], config_path: Path) -> None:
        self.env = env
        self.file_values = file_values
        self.config_path = config_path

    def raw(self, name: str) -> tuple[Any, str] | None:
        setting = SETTINGS_BY_NAME[name]
        if setting.env and self.env.get(setting.env, "").strip() != "":
            return self.env[setting.env], f"environment variable {setting.env}"
        if setting.json_key and setting.json_key in self.file_values:
            value = self.file_values[setting.json_key]
            if value is not None and value != "":
                return value, f"config.json key '{setting.json_key}' ({self.config_path})"
        return None

    def get(self, name: str, override: tuple[Any, str] | None = None) -> Any:
        found = override or self.raw(name)
        if found is None:
            return SETTINGS_BY_NAME[name].default
        value, origin = found
        try:
            return SETTINGS_BY_NAME[name].parse(value)
        except ValueError as exc:
            raise ConfigError(f"Invalid {origin}: {exc} (got {_describe(value)})") from None


def _describe(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def resolve_config_path(overrides: Overrides, env: Mapping[str, str], base: paths.BaseDirs) -> Path:
    explicit = overrides.config_path or env.get("CPA_MANAGER_CONFIG", "").strip()
    if explicit:
        return Path(explicit).expanduser().resolve()
    return base.config_dir / paths.CONFIG_FILE_NAME


def _relative_to(folder: Path, text: str) -> Path:
    path = Path(text).expanduser()
    return path if path.is_absolute() else (folder / path).resolve()


def _read_key(env: Mapping[str, str], resolver: _Resolver, config_dir: Path) -> str:
    key = resolver.get("management_key")
    if key:
        return key
    key_file = _relative_to(config_dir, resolver.get("management_key_file"))
    try:
        return key_file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""
    except OSError as exc:
        raise ConfigError(f"Cannot read the Management Key file {key_file}: {exc.strerror}") from None


def load_settings(
    overrides: Overrides | None = None,
    env: Mapping[str, str] | None = None,
    base: paths.BaseDirs | None = None,
) -> Settings:
    """Resolve every setting; create config.json with defaults on first start."""
    overrides = overrides or Overrides()
    env = os.environ if env is None else env
    base = base or paths.choose_base_dirs()
    config_path = resolve_config_path(overrides, env, base)
    if not config_path.exists():
        _write_default_config(config_path, base)
    file_values = _read_config_file(config_path)
    resolver = _Resolver(env, file_values, config_path)
    config_dir = config_path.parent

    data_dir_override = (overrides.data_dir, "--data-dir") if overrides.data_dir else None
    data_dir_text = resolver.get("data_dir", data_dir_override)
    data_dir = _relative_to(config_dir, data_dir_text) if data_dir_text else config_dir / "data"
    db_path = _resolve_db_path(resolver, env, config_dir, data_dir, bool(overrides.data_dir))
    addr_override = (overrides.http_addr, "--addr") if overrides.http_addr else None
    panel_path = resolver.get("panel_path")
    unknown = sorted(set(file_values) - JSON_KEYS)
    warnings = tuple(f"config.json key '{k}' is not a known setting and was ignored" for k in unknown)
    return Settings(
        config_path=config_path,
        data_dir=data_dir,
        db_path=db_path,
        log_dir=config_dir / "logs" if base.is_portable else data_dir / "logs",
        http_addr=resolver.get("http_addr", addr_override),
        cpa_upstream_url=resolver.get("cpa_upstream_url"),
        management_key=_read_key(env, resolver, config_dir),
        collector_mode=resolver.get("collector_mode"),
        resp_queue=resolver.get("resp_queue"),
        pop_side=resolver.get("pop_side"),
        batch_size=resolver.get("batch_size"),
        poll_interval_ms=resolver.get("poll_interval_ms"),
        query_limit=resolver.get("query_limit"),
        quota_interval_s=resolver.get("quota_interval_s"),
        cors_origins=resolver.get("cors_origins"),
        tls_skip_verify=resolver.get("tls_skip_verify"),
        panel_path=_relative_to(config_dir, panel_path) if panel_path else None,
        allowed_hosts=tuple(h.lower() for h in resolver.get("allowed_hosts")),
        litellm_prices_url=resolver.get("litellm_prices_url"),
        log_level=resolver.get("log_level"),
        is_portable=base.is_portable,
        warnings=warnings,
        retention_days=resolver.get("retention_days"),
        retention_configured=resolver.raw("retention_days") is not None,
    )


def _resolve_db_path(
    resolver: _Resolver, env: Mapping[str, str], config_dir: Path, data_dir: Path, data_dir_flag: bool
) -> Path:
    env_db = env.get("USAGE_DB_PATH", "").strip()
    if env_db:
        return _relative_to(config_dir, resolver.get("db_path"))
    data_dir_forced = data_dir_flag or env.get("USAGE_DATA_DIR", "").strip() != ""
    file_db = None if data_dir_forced else resolver.get("db_path")
    return _relative_to(config_dir, file_db) if file_db else data_dir / "usage.sqlite"
