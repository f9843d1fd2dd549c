from __future__ import annotations

import json
from pathlib import Path

import pytest

from cpa_manager_desktop import paths
from cpa_manager_desktop.config import SETTINGS, Address, Overrides, load_settings
from cpa_manager_desktop.errors import ConfigError


def test_first_start_writes_default_config_next_to_portable_binary(base_dirs: paths.BaseDirs) -> None:
    settings = load_settings(env={}, base=base_dirs)
    config_file = base_dirs.config_dir / "config.json"
    assert json.loads(config_file.read_text()) == {"httpAddr": "127.0.0.1:18317", "dataDir": "./data"}
    assert settings.http_addr == Address("127.0.0.1", 18317)
    assert settings.db_path == base_dirs.config_dir / "data" / "usage.sqlite"
    assert settings.log_dir == base_dirs.config_dir / "logs"
    assert oct(config_file.stat().st_mode & 0o777) == "0o600"


def test_env_beats_config_file_beats_default(base_dirs: paths.BaseDirs) -> None:
    base_dirs.config_dir.mkdir(parents=True)
    (base_dirs.config_dir / "config.json").write_text(json.dumps({"batchSize": 250, "pollIntervalMs": 900}))
    settings = load_settings(env={"USAGE_BATCH_SIZE": "700"}, base=base_dirs)
    assert (settings.batch_size, settings.poll_interval_ms, settings.query_limit) == (700, 900, 50_000)


def test_flags_beat_env(base_dirs: paths.BaseDirs, tmp_path: Path) -> None:
    env = {"HTTP_ADDR": "0.0.0.0:1", "USAGE_DATA_DIR": str(tmp_path / "env-data")}
    settings = load_settings(Overrides(http_addr="127.0.0.1:9", data_dir=str(tmp_path / "flag")), env=env,
                             base=base_dirs)
    assert settings.http_addr == Address("127.0.0.1", 9)
    assert settings.db_path == tmp_path / "flag" / "usage.sqlite"


def test_relative_paths_resolve_from_config_folder(tmp_path: Path, base_dirs: paths.BaseDirs) -> None:
    config = tmp_path / "elsewhere" / "my.json"
    config.parent.mkdir()
    config.write_text(json.dumps({"dataDir": "store", "panelPath": "panel/x.html", "managementKeyFile": "key.txt"}))
    (config.parent / "key.txt").write_text("  secret-from-file \n")
    settings = load_settings(Overrides(config_path=str(config)), env={}, base=base_dirs)
    assert settings.data_dir == config.parent / "store"
    assert settings.panel_path == config.parent / "panel" / "x.html"
    assert settings.management_key == "secret-from-file"


def test_config_env_var_names_the_file(tmp_path: Path, base_dirs: paths.BaseDirs) -> None:
    config = tmp_path / "c.json"
    settings = load_settings(env={"CPA_MANAGER_CONFIG": str(config)}, base=base_dirs)
    assert settings.config_path == config and config.exists()


def test_db_path_env_wins_and_data_dir_env_ignores_file_db_path(tmp_path: Path, base_dirs: paths.BaseDirs) -> None:
    base_dirs.config_dir.mkdir(parents=True)
    (base_dirs.config_dir / "config.json").write_text(json.dumps({"dbPath": "custom.sqlite"}))
    assert load_settings(env={}, base=base_dirs).db_path == base_dirs.config_dir / "custom.sqlite"
    env = {"USAGE_DATA_DIR": str(tmp_path / "d")}
    assert load_settings(env=env, base=base_dirs).db_path == tmp_path / "d" / "usage.sqlite"
    env["USAGE_DB_PATH"] = str(tmp_path / "x.db")
    assert load_settings(env=env, base=base_dirs).db_path == tmp_path / "x.db"


def test_management_key_env_beats_key_file(tmp_path: Path, base_dirs: paths.BaseDirs) -> None:
    key_file = tmp_path / "k"
    key_file.write_text("from-file\n")
    env = {"CPA_MANAGEMENT_KEY_FILE": str(key_file), "CPA_UPSTREAM_URL": "http://cpa:8317"}
    assert load_settings(env=env, base=base_dirs).management_key == "from-file"
    env["CPA_MANAGEMENT_KEY"] = "from-env"
    settings = load_settings(env=env, base=base_dirs)
    assert settings.management_key == "from-env" and settings.is_env_setup
    assert "from-env" not in repr(settings)


@pytest.mark.parametrize(("env", "expected"), [
    ({"USAGE_BATCH_SIZE": "0"}, "Invalid environment variable USAGE_BATCH_SIZE: must be between 1 and 10000"),
    ({"USAGE_POLL_INTERVAL_MS": "fast"}, "Invalid environment variable USAGE_POLL_INTERVAL_MS: expected a whole"),
    ({"USAGE_COLLECTOR_MODE": "redis"}, "Invalid environment variable USAGE_COLLECTOR_MODE: must be one of auto"),
    ({"USAGE_RESP_POP_SIDE": "middle"}, "Invalid environment variable USAGE_RESP_POP_SIDE"),
    ({"USAGE_RESP_TLS_SKIP_VERIFY": "maybe"}, "Invalid environment variable USAGE_RESP_TLS_SKIP_VERIFY: expected"),
    ({"HTTP_ADDR": "localhost"}, "Invalid environment variable HTTP_ADDR: expected HOST:PORT"),
    ({"HTTP_ADDR": "127.0.0.1:99999"}, "Invalid environment variable HTTP_ADDR: port must be between"),
])
def test_invalid_env_values_name_the_variable(base_dirs: paths.BaseDirs, env: dict[str, str], expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(env=env, base=base_dirs)
    assert caught.value.message.startswith(expected)


def test_invalid_file_value_names_key_and_file(base_dirs: paths.BaseDirs) -> None:
    base_dirs.config_dir.mkdir(parents=True)
    (base_dirs.config_dir / "config.json").write_text(json.dumps({"batchSize": "lots"}))
    with pytest.raises(ConfigError, match=r"Invalid config.json key 'batchSize' \(.*config.json\): expected"):
        load_settings(env={}, base=base_dirs)


def test_broken_json_reports_line(base_dirs: paths.BaseDirs) -> None:
    base_dirs.config_dir.mkdir(parents=True)
    (base_dirs.config_dir / "config.json").write_text('{\n  "batchSize": 5,\n}')
    with pytest.raises(ConfigError, match=r"is not valid JSON \(line 3\)"):
        load_settings(env={}, base=base_dirs)


def test_unknown_keys_become_warnings(base_dirs: paths.BaseDirs) -> None:
    base_dirs.config_dir.mkdir(parents=True)
    (base_dirs.config_dir / "config.json").write_text(json.dumps({"batchSzie": 5}))
    assert load_settings(env={}, base=base_dirs).warnings == (
        "config.json key 'batchSzie' is not a known setting and was ignored",)


def test_pop_side_aliases_and_cors_list(base_dirs: paths.BaseDirs) -> None:
    env = {"USAGE_RESP_POP_SIDE": "LPOP", "USAGE_CORS_ORIGINS": "http://a:1, http://b:2"}
    settings = load_settings(env=env, base=base_dirs)
    assert settings.pop_side == "left" and settings.cors_origins == ("http://a:1", "http://b:2")


def test_every_upstream_env_var_is_a_setting() -> None:
    upstream = {"HTTP_ADDR", "USAGE_DB_PATH", "USAGE_DATA_DIR", "CPA_UPSTREAM_URL", "CPA_MANAGEMENT_KEY",
                "CPA_MANAGEMENT_KEY_FILE", "USAGE_COLLECTOR_MODE", "USAGE_RESP_QUEUE", "USAGE_RESP_POP_SIDE",
                "USAGE_BATCH_SIZE", "USAGE_POLL_INTERVAL_MS", "USAGE_QUERY_LIMIT", "USAGE_CORS_ORIGINS",
                "USAGE_RESP_TLS_SKIP_VERIFY", "PANEL_PATH"}
    assert upstream <= {s.env for s in SETTINGS}


def test_every_setting_is_documented_in_readme() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text()
    missing = [s.env for s in SETTINGS if s.env and f"`{s.env}`" not in readme]
    assert not missing and "`CPA_MANAGER_CONFIG`" in readme, f"undocumented: {missing}"


def test_unwritable_binary_folder_falls_back_to_user_dirs(tmp_path: Path) -> None:
    exe_dir = tmp_path / "ro"
    exe_dir.mkdir()
    exe_dir.chmod(0o500)
    try:
        chosen = paths.choose_base_dirs(frozen=True, executable=exe_dir / "cpa-manager")
        writable = paths.is_writable_dir(exe_dir)  # root can write anywhere; then portable is right
        assert chosen.is_portable == writable
        if not writable:
            assert chosen == paths.user_dirs()
    finally:
        exe_dir.chmod(0o700)


def test_frozen_app_bundle_keeps_data_beside_the_bundle(tmp_path: Path) -> None:
    exe = tmp_path / "Apps" / "CPA Manager.app" / "Contents" / "MacOS" / "cpa-manager"
    assert paths.executable_home(exe) == tmp_path / "Apps"
    chosen = paths.choose_base_dirs(frozen=True, executable=exe)
    assert chosen.config_dir == tmp_path / "Apps" and chosen.is_portable


def test_source_run_uses_platformdirs() -> None:
    chosen = paths.choose_base_dirs(frozen=False)
    assert not chosen.is_portable and "cpa-manager" in str(chosen.config_dir)


@pytest.mark.parametrize("folder", ["/opt/cpa-manager", "/Applications/x", "C:\\Program Files\\CPA Manager",
                                    "/private/var/folders/x/AppTranslocation/y", "/tmp/.mount_cpaXyz"])
def test_system_install_locations_are_not_portable(folder: str) -> None:
    assert paths.is_system_location(Path(folder))


def test_existing_user_config_is_sticky(tmp_path: Path) -> None:
    user = paths.user_dirs()
    user.config_dir.mkdir(parents=True)
    (user.config_dir / "config.json").write_text("{}")
    assert paths.choose_base_dirs(frozen=True, executable=tmp_path / "app" / "cpa-manager") == user


def test_existing_portable_config_wins(tmp_path: Path) -> None:
    user = paths.user_dirs()
    user.config_dir.mkdir(parents=True)
    (user.config_dir / "config.json").write_text("{}")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "config.json").write_text("{}")
    chosen = paths.choose_base_dirs(frozen=True, executable=tmp_path / "app" / "cpa-manager")
    assert chosen.is_portable and chosen.config_dir == tmp_path / "app"
