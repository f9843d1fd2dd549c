"""Start at login: each backend against a tmp home or a fake registry, read back the way the OS would."""

from __future__ import annotations

import configparser
import os
import plistlib
import sys
from pathlib import Path
from typing import Any

import pytest

from cpa_manager_desktop.desktop import autostart
from cpa_manager_desktop.desktop.autostart import (
    AutostartError,
    LaunchAgentAutostart,
    LaunchCommand,
    WindowsRunKeyAutostart,
    XdgAutostart,
    current_launch_command,
    for_this_platform,
)

# Every character the Desktop Entry spec treats specially, inside one realistic command.
TRICKY_ARGV = (
    "/opt/CPA Manager/bin/python3",
    "-m",
    "cpa_manager_desktop",
    'say "hi"',
    "$HOME",
    "back\\slash",
    "`tick`",
    "100%",
    "tab\there",
    "",
)


# --- a spec-compliant reader for Exec, written independently of the code under test ---------------

KEY_FILE_ESCAPES = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}
QUOTED_ESCAPABLE = '"`$\\'


def unescape_key_file_string(value: str) -> str:
    """The key-file layer; like GLib, an unknown escape is an error rather than a guess."""
    out: list[str] = []
    chars = iter(value)
    for char in chars:
        if char != "\\":
            out.append(char)
            continue
        escaped = next(chars, None)
        if escaped not in KEY_FILE_ESCAPES:
            raise ValueError(f"invalid key-file escape \\{escaped}")
        out.append(KEY_FILE_ESCAPES[escaped])
    return "".join(out)


def split_exec(value: str) -> list[str]:
    """The quoting layer: space-separated, double quotes with \\-escapes for " ` $ \\ only."""
    args: list[str] = []
    current: str | None = None
    in_quotes = False
    chars = iter(value)
    for char in chars:
        if in_quotes:
            if char == '"':
                in_quotes = False
            elif char == "\\":
                escaped = next(chars, None)
                if escaped is None or escaped not in QUOTED_ESCAPABLE:
                    raise ValueError(f"invalid escape inside quotes: \\{escaped}")
                current = (current or "") + escaped
            else:
                current = (current or "") + char
        elif char == " ":
            if current is not None:
                args.append(current)
            current = None
        elif char == '"':
            in_quotes = True
            current = current or ""
        elif char in "\t\n'\\><~|&;*?#()`$":
            raise ValueError(f"reserved character {char!r} outside quotes")
        else:
            current = (current or "") + char
    if in_quotes:
        raise ValueError("unterminated quote")
    if current is not None:
        args.append(current)
    return args


def expand_field_codes(arg: str) -> str:
    """Only %% is expected: any real field code would mean a % in the argv was left unescaped."""
    out: list[str] = []
    chars = iter(arg)
    for char in chars:
        if char != "%":
            out.append(char)
            continue
        code = next(chars, None)
        if code != "%":
            raise ValueError(f"unexpected field code %{code}")
        out.append("%")
    return "".join(out)


def parse_exec(raw_value: str) -> tuple[str, ...]:
    return tuple(expand_field_codes(arg) for arg in split_exec(unescape_key_file_string(raw_value)))


def read_desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # desktop keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser["Desktop Entry"]


# --- XDG -------------------------------------------------------------------------------------------


@pytest.fixture
def xdg(tmp_path: Path) -> XdgAutostart:
    return XdgAutostart(LaunchCommand(TRICKY_ARGV), tmp_path / "config")


def test_xdg_enable_writes_entry_whose_exec_round_trips(xdg: XdgAutostart, tmp_path: Path) -> None:
    xdg.enable()

    path = tmp_path / "config" / "autostart" / "cpa-manager.desktop"
    assert xdg.description == str(path)
    entry = read_desktop_entry(path)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "CPA Manager"
    assert entry["Comment"]
    assert entry["Terminal"] == "false"
    assert entry["X-GNOME-Autostart-enabled"] == "true"
    assert entry["NoDisplay"] == "false"
    assert parse_exec(entry["Exec"]) == TRICKY_ARGV
    assert xdg.is_enabled()


def test_xdg_exec_uses_the_spec_spelling_for_dollar_and_backslash(tmp_path: Path) -> None:
    # The spec's own examples: a literal $ in a quoted argument is "\\$", a literal backslash is four.
    entry = XdgAutostart(LaunchCommand(("/usr/bin/app", "$x", "a\\b")), tmp_path)
    entry.enable()
    assert 'Exec="/usr/bin/app" "\\\\$x" "a\\\\\\\\b"\n' in entry.path.read_text(encoding="utf-8")


def test_xdg_disable_removes_entry_and_is_idempotent(xdg: XdgAutostart) -> None:
    xdg.enable()
    xdg.disable()
    assert not xdg.path.exists()
    assert not xdg.is_enabled()
    xdg.disable()
    assert not xdg.is_enabled()


def test_xdg_is_enabled_false_when_never_enabled(xdg: XdgAutostart) -> None:
    assert not xdg.is_enabled()


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("Hidden=true\n", False),
        ("X-GNOME-Autostart-enabled=false\n", False),
        ("Hidden = true\n", False),
        ("Hidden=false\nX-GNOME-Autostart-enabled=true\n", True),
        ("\n[Desktop Action other]\nHidden=true\n", True),
    ],
)
def test_xdg_reads_the_users_own_switches(xdg: XdgAutostart, extra: str, expected: bool) -> None:
    xdg.path.parent.mkdir(parents=True)
    xdg.path.write_text("[Desktop Entry]\nType=Application\nName=CPA Manager\nExec=cpa-manager\n" + extra)
    assert xdg.is_enabled() is expected


def test_xdg_enable_overrides_a_user_disabled_entry_without_leaving_temp_files(xdg: XdgAutostart) -> None:
    xdg.path.parent.mkdir(parents=True)
    xdg.path.write_text("[Desktop Entry]\nType=Application\nExec=old\nHidden=true\n")
    xdg.enable()
    assert xdg.is_enabled()
    assert [p.name for p in xdg.path.parent.iterdir()] == ["cpa-manager.desktop"]


def test_xdg_enable_raises_naming_the_path_when_folder_cannot_be_created(tmp_path: Path) -> None:
    config_home = tmp_path / "config"
    config_home.mkdir()
    (config_home / "autostart").write_text("a file where the folder should be")
    entry = XdgAutostart(LaunchCommand(("/usr/bin/app",)), config_home)

    with pytest.raises(AutostartError) as caught:
        entry.enable()
    assert str(entry.path) in caught.value.message
    assert not entry.is_enabled()


def test_xdg_enable_reports_permission_denied_even_when_run_as_root(
    xdg: XdgAutostart, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Root ignores chmod, so the denial is injected where the OS would raise it.
    def deny(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(autostart.tempfile, "mkstemp", deny)
    with pytest.raises(AutostartError, match="Permission denied") as caught:
        xdg.enable()
    assert str(xdg.path) in caught.value.message
    assert not xdg.path.exists()


def test_xdg_disable_raises_naming_the_path_when_entry_cannot_be_removed(xdg: XdgAutostart) -> None:
    (xdg.path / "something").mkdir(parents=True)
    with pytest.raises(AutostartError) as caught:
        xdg.disable()
    assert str(xdg.path) in caught.value.message


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores folder permissions")
def test_xdg_enable_raises_naming_the_path_when_folder_is_read_only(tmp_path: Path) -> None:
    folder = tmp_path / "config" / "autostart"
    folder.mkdir(parents=True)
    folder.chmod(0o500)
    entry = XdgAutostart(LaunchCommand(("/usr/bin/app",)), tmp_path / "config")
    try:
        with pytest.raises(AutostartError, match="Permission denied") as caught:
            entry.enable()
        assert str(entry.path) in str(caught.value)
    finally:
        folder.chmod(0o700)


# --- macOS LaunchAgent -----------------------------------------------------------------------------

BUNDLE_EXE = "/Applications/CPA Manager.app/Contents/MacOS/cpa-manager"


@pytest.fixture
def agent(tmp_path: Path) -> LaunchAgentAutostart:
    return LaunchAgentAutostart(LaunchCommand((BUNDLE_EXE, "--tray")), tmp_path / "home")


def test_launch_agent_enable_writes_exact_plist(agent: LaunchAgentAutostart, tmp_path: Path) -> None:
    agent.enable()

    path = tmp_path / "home" / "Library" / "LaunchAgents" / "io.github.cpa-manager.plist"
    assert agent.description == str(path)
    with path.open("rb") as handle:
        assert plistlib.load(handle) == {
            "Label": "io.github.cpa-manager",
            "ProgramArguments": [BUNDLE_EXE, "--tray"],
            "RunAtLoad": True,
            "ProcessType": "Interactive",
        }
    assert agent.is_enabled()


def test_launch_agent_disable_is_idempotent(agent: LaunchAgentAutostart) -> None:
    agent.enable()
    agent.disable()
    assert not agent.path.exists()
    assert not agent.is_enabled()
    agent.disable()


def test_launch_agent_custom_label_names_the_file(tmp_path: Path) -> None:
    agent = LaunchAgentAutostart(LaunchCommand((BUNDLE_EXE,)), tmp_path, label="com.example.cpa")
    agent.enable()
    assert agent.path == tmp_path / "Library" / "LaunchAgents" / "com.example.cpa.plist"
    assert plistlib.loads(agent.path.read_bytes())["Label"] == "com.example.cpa"


@pytest.mark.parametrize(
    "content",
    [
        b"not a property list",
        b'<?xml version="1.0"?><plist version="1.0"><dict><key>Label',
        plistlib.dumps({"Label": "x", "ProgramArguments": [BUNDLE_EXE], "RunAtLoad": False}),
        plistlib.dumps({"Label": "x", "ProgramArguments": [], "RunAtLoad": True}),
        plistlib.dumps({"Label": "x", "RunAtLoad": True}),
        plistlib.dumps(["not", "a", "dict"]),
    ],
)
def test_launch_agent_reports_false_for_damaged_or_inert_plists(agent: LaunchAgentAutostart, content: bytes) -> None:
    agent.path.parent.mkdir(parents=True)
    agent.path.write_bytes(content)
    assert not agent.is_enabled()


def test_launch_agent_enable_raises_naming_the_path(tmp_path: Path) -> None:
    (tmp_path / "Library").mkdir()
    (tmp_path / "Library" / "LaunchAgents").write_text("in the way")
    agent = LaunchAgentAutostart(LaunchCommand((BUNDLE_EXE,)), tmp_path)
    with pytest.raises(AutostartError, match=str(agent.path)):
        agent.enable()


# --- Windows Run key -------------------------------------------------------------------------------

RUN = r"Software\Microsoft\Windows\CurrentVersion\Run"
APPROVED = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
EXE = r"C:\Program Files\CPA Manager\cpa-manager.exe"


class FakeHandle:
    def __init__(self, path: str, access: int) -> None:
        self.path = path
        self.access = access


class FakeRegistry:
    """Just enough winreg: keys under HKCU as dicts of name -> (value, type), errors as winreg raises them."""

    HKEY_CURRENT_USER = "HKCU"
    KEY_READ = 0x20019
    KEY_SET_VALUE = 0x0002
    KEY_ALL_ACCESS = 0xF003F
    REG_SZ = 1
    REG_BINARY = 3

    def __init__(self) -> None:
        self.keys: dict[str, dict[str, tuple[Any, int]]] = {}
        self.open_handles = 0
        self.fail_writes = False

    def _open(self, root: str, path: str, access: int) -> FakeHandle:
        assert root == self.HKEY_CURRENT_USER
        self.open_handles += 1
        return FakeHandle(path, access)

    def OpenKey(self, key: str, sub_key: str, reserved: int = 0, access: int = KEY_READ) -> FakeHandle:
        if sub_key not in self.keys:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return self._open(key, sub_key, access)

    def CreateKey(self, key: str, sub_key: str) -> FakeHandle:
        if self.fail_writes:
            raise PermissionError(5, "Access is denied")
        self.keys.setdefault(sub_key, {})
        return self._open(key, sub_key, self.KEY_ALL_ACCESS)

    def QueryValueEx(self, key: FakeHandle, name: str) -> tuple[Any, int]:
        try:
            return self.keys[key.path][name]
        except KeyError:
            raise FileNotFoundError(2, "The system cannot find the file specified") from None

    def SetValueEx(self, key: FakeHandle, name: str, reserved: int, type: int, value: Any) -> None:
        assert key.access & self.KEY_SET_VALUE, "key opened without write access"
        self.keys[key.path][name] = (value, type)

    def DeleteValue(self, key: FakeHandle, name: str) -> None:
        assert key.access & self.KEY_SET_VALUE, "key opened without write access"
        if name not in self.keys[key.path]:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        del self.keys[key.path][name]

    def CloseKey(self, key: FakeHandle) -> None:
        self.open_handles -= 1


@pytest.fixture
def registry() -> FakeRegistry:
    return FakeRegistry()


@pytest.fixture
def run_key(registry: FakeRegistry) -> WindowsRunKeyAutostart:
    return WindowsRunKeyAutostart(LaunchCommand((EXE, "--tray")), registry)


def test_run_key_enable_writes_quoted_command_line(run_key: WindowsRunKeyAutostart, registry: FakeRegistry) -> None:
    assert not run_key.is_enabled()
    run_key.enable()

    assert registry.keys[RUN]["CPA Manager"] == ('"C:\\Program Files\\CPA Manager\\cpa-manager.exe" --tray', 1)
    assert run_key.is_enabled()
    assert registry.open_handles == 0


def test_run_key_quotes_every_argument_with_spaces(registry: FakeRegistry) -> None:
    command = LaunchCommand((r"C:\Python 311\python.exe", "-m", "cpa_manager_desktop", "a b"))
    WindowsRunKeyAutostart(command, registry).enable()
    value, _ = registry.keys[RUN]["CPA Manager"]
    assert value == '"C:\\Python 311\\python.exe" -m cpa_manager_desktop "a b"'


def test_run_key_disable_is_idempotent(run_key: WindowsRunKeyAutostart, registry: FakeRegistry) -> None:
    registry.keys[RUN] = {"Other App": ("other.exe", 1)}
    run_key.enable()
    run_key.disable()
    assert "CPA Manager" not in registry.keys[RUN]
    assert registry.keys[RUN] == {"Other App": ("other.exe", 1)}
    assert not run_key.is_enabled()
    run_key.disable()
    assert registry.open_handles == 0


def test_run_key_disable_when_keys_do_not_exist(run_key: WindowsRunKeyAutostart, registry: FakeRegistry) -> None:
    run_key.disable()
    assert registry.keys == {}


@pytest.mark.parametrize(
    ("approval", "expected"),
    [
        (b"\x03" + bytes(11), False),
        (b"\x01" + bytes(11), False),
        (b"\x02" + bytes(11), True),
        (b"\x06" + bytes(11), True),
        (b"", True),
    ],
)
def test_run_key_honours_task_manager_switch(
    run_key: WindowsRunKeyAutostart, registry: FakeRegistry, approval: bytes, expected: bool
) -> None:
    run_key.enable()
    registry.keys[APPROVED] = {"CPA Manager": (approval, FakeRegistry.REG_BINARY)}
    assert run_key.is_enabled() is expected
    assert registry.open_handles == 0


def test_run_key_approval_for_another_app_is_ignored(run_key: WindowsRunKeyAutostart, registry: FakeRegistry) -> None:
    run_key.enable()
    registry.keys[APPROVED] = {"Other App": (b"\x03" + bytes(11), FakeRegistry.REG_BINARY)}
    assert run_key.is_enabled()


def test_run_key_enable_clears_task_manager_disable(run_key: WindowsRunKeyAutostart, registry: FakeRegistry) -> None:
    run_key.enable()
    registry.keys[APPROVED] = {"CPA Manager": (b"\x03" + bytes(11), FakeRegistry.REG_BINARY)}
    run_key.enable()
    assert run_key.is_enabled()


def test_run_key_enable_raises_naming_the_key(run_key: WindowsRunKeyAutostart, registry: FakeRegistry) -> None:
    registry.fail_writes = True
    with pytest.raises(AutostartError) as caught:
        run_key.enable()
    assert RUN in caught.value.message
    assert "Access is denied" in caught.value.message


# --- launch command and platform choice ------------------------------------------------------------


@pytest.fixture
def unfrozen(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.delenv("APPIMAGE", raising=False)
    return monkeypatch


def test_launch_command_from_source(unfrozen: pytest.MonkeyPatch) -> None:
    assert current_launch_command() == LaunchCommand((sys.executable, "-m", "cpa_manager_desktop"))


def test_launch_command_from_source_ignores_appimage(unfrozen: pytest.MonkeyPatch) -> None:
    unfrozen.setenv("APPIMAGE", "/home/u/CPA-Manager.AppImage")
    assert current_launch_command().argv == (sys.executable, "-m", "cpa_manager_desktop")


def test_launch_command_frozen_app_bundle(unfrozen: pytest.MonkeyPatch) -> None:
    unfrozen.setattr(sys, "frozen", True, raising=False)
    unfrozen.setattr(sys, "executable", "/Apps/CPA Manager.app/Contents/MacOS/cpa-manager")
    assert current_launch_command().argv == ("/Apps/CPA Manager.app/Contents/MacOS/cpa-manager",)


def test_launch_command_frozen_appimage(unfrozen: pytest.MonkeyPatch) -> None:
    unfrozen.setattr(sys, "frozen", True, raising=False)
    unfrozen.setattr(sys, "executable", "/tmp/.mount_CPAabc/usr/bin/cpa-manager")
    unfrozen.setenv("APPIMAGE", "/home/u/Apps/CPA Manager.AppImage")
    assert current_launch_command().argv == ("/home/u/Apps/CPA Manager.AppImage",)


def test_launch_command_needs_a_program() -> None:
    with pytest.raises(ValueError):
        LaunchCommand(())


def test_for_this_platform_linux_honours_xdg_config_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    command = LaunchCommand(("/usr/bin/cpa-manager",))

    backend = for_this_platform(command)

    assert isinstance(backend, XdgAutostart)
    assert backend.path == tmp_path / "cfg" / "autostart" / "cpa-manager.desktop"
    backend.enable()
    assert parse_exec(read_desktop_entry(backend.path)["Exec"]) == command.argv


def test_for_this_platform_linux_ignores_relative_xdg_config_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "freebsd14")
    monkeypatch.setenv("XDG_CONFIG_HOME", "relative/cfg")
    backend = for_this_platform(LaunchCommand(("/usr/bin/cpa-manager",)))
    assert isinstance(backend, XdgAutostart)
    assert backend.path == Path.home() / ".config" / "autostart" / "cpa-manager.desktop"


def test_for_this_platform_defaults_to_current_command(unfrozen: pytest.MonkeyPatch) -> None:
    unfrozen.setattr(sys, "platform", "linux")
    backend = for_this_platform()
    assert isinstance(backend, XdgAutostart)
    assert backend.command == current_launch_command()


def test_for_this_platform_macos_uses_home(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    backend = for_this_platform(LaunchCommand((BUNDLE_EXE,)))
    assert isinstance(backend, LaunchAgentAutostart)
    assert backend.path == Path.home() / "Library" / "LaunchAgents" / "io.github.cpa-manager.plist"


def test_for_this_platform_windows_passes_winreg(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_winreg = FakeRegistry()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setitem(sys.modules, "winreg", fake_winreg)
    backend = for_this_platform(LaunchCommand((EXE,)))
    assert isinstance(backend, WindowsRunKeyAutostart)
    assert backend.registry is fake_winreg


def test_module_does_not_import_winreg_at_load_time() -> None:
    assert "winreg" not in vars(autostart)
