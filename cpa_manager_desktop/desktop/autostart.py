"""Start at login: one small backend per OS, all behind the `Autostart` protocol.

No PyPI package for this is maintained (spec §4), so it is written here on stdlib only. Each backend
reads the real OS state on every `is_enabled()` call, because the user can switch the entry off
elsewhere (Task Manager, GNOME Tweaks, deleting the file) and the tray must not show a stale tick.
"""

from __future__ import annotations

import contextlib
import logging
import os
import plistlib
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cpa_manager_desktop.errors import AppError
from cpa_manager_desktop.paths import is_frozen

log = logging.getLogger(__name__)

APP_DISPLAY_NAME = "CPA Manager"
# File and label names are a contract with entries written by earlier versions: changing them would
# leave an orphaned entry that the app can no longer see or remove.
DESKTOP_FILE_NAME = "cpa-manager.desktop"
DEFAULT_LAUNCH_AGENT_LABEL = "io.github.cpa-manager"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
STARTUP_APPROVED_KEY = r"Software\Microsoft\Windows\CurrentVersion\Explorer\StartupApproved\Run"
RUN_VALUE_NAME = APP_DISPLAY_NAME


class AutostartError(AppError):
    """The login entry could not be written or removed; the message names the path."""

    code = "autostart_failed"


@dataclass(frozen=True)
class LaunchCommand:
    """What the OS should run at login, as an argv (quoted per platform by each backend)."""

    argv: tuple[str, ...]

    def __post_init__(self) -> None:
        if not self.argv:
            raise ValueError("a launch command needs at least the program to run")


class Autostart(Protocol):
    description: str

    def is_enabled(self) -> bool: ...

    def enable(self) -> None: ...

    def disable(self) -> None: ...


def current_launch_command() -> LaunchCommand:
    if not is_frozen():
        return LaunchCommand((sys.executable, "-m", "cpa_manager_desktop"))
    # An AppImage runs from a temporary mount whose path changes every start; $APPIMAGE is the real file.
    appimage = os.environ.get("APPIMAGE")
    if appimage:
        return LaunchCommand((appimage,))
    return LaunchCommand((sys.executable,))


def for_this_platform(command: LaunchCommand | None = None) -> Autostart:
    command = command or current_launch_command()
    if sys.platform == "win32":
        import winreg  # only importable on Windows

        return WindowsRunKeyAutostart(command, winreg)
    if sys.platform == "darwin":
        return LaunchAgentAutostart(command, Path.home())
    return XdgAutostart(command, xdg_config_home())


def xdg_config_home() -> Path:
    # The Base Directory spec says a relative value is invalid and must be ignored.
    value = os.environ.get("XDG_CONFIG_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".config"


# --- shared file helpers -------------------------------------------------------------------------


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _write_failed(target: object, exc: OSError) -> AutostartError:
    return AutostartError(f"Could not turn on start at login: {target} could not be written ({_reason(exc)}).")


def _remove_failed(target: object, exc: OSError) -> AutostartError:
    return AutostartError(f"Could not turn off start at login: {target} could not be removed ({_reason(exc)}).")


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace path in one step so a crash or full disk never leaves a half-written login entry."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private; launchd and desktop sessions expect an ordinary readable file.
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_entry(path: Path, data: bytes) -> None:
    try:
        _write_atomically(path, data)
    except OSError as exc:
        raise _write_failed(path, exc) from exc


def _remove_entry(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise _remove_failed(path, exc) from exc


def _read_bytes(path: Path) -> bytes | None:
    """The file's content, or None when it is missing or unreadable (then the entry cannot run either)."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("cannot read autostart entry %s: %s", path, _reason(exc))
        return None


# --- Linux / BSD: XDG autostart ------------------------------------------------------------------


def quote_exec_argument(arg: str) -> str:
    """Quote one argument for a Desktop Entry Exec key, as it must appear in the file.

    Three layers, innermost first: `%` is doubled because it starts field codes; the argument is
    double-quoted with `"`, `` ` ``, `$`, `\\` backslash-escaped; then the whole thing gets the
    key-file string escapes, which is why a literal backslash ends up as four.
    """
    arg = arg.replace("%", "%%")
    for char in ("\\", '"', "`", "$"):
        arg = arg.replace(char, "\\" + char)
    return _escape_string_value(f'"{arg}"')


def _escape_string_value(value: str) -> str:
    value = value.replace("\\", "\\\\")
    return value.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def exec_line(argv: tuple[str, ...]) -> str:
    return " ".join(quote_exec_argument(arg) for arg in argv)


def _desktop_entry_keys(text: str) -> dict[str, str]:
    """Key/value pairs of the [Desktop Entry] group; other groups (actions, vendor ones) are skipped."""
    keys: dict[str, str] = {}
    in_entry = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            in_entry = line == "[Desktop Entry]"
            continue
        if in_entry and "=" in line:
            key, _, value = line.partition("=")
            keys[key.strip()] = value.strip()
    return keys


def _is_true(value: str | None) -> bool:
    # GLib, which reads these files for GNOME and most other sessions, accepts 1/0 as well as true/false.
    return value is not None and value.lower() in ("true", "1")


def _is_false(value: str | None) -> bool:
    return value is not None and value.lower() in ("false", "0")


class XdgAutostart:
    def __init__(self, command: LaunchCommand, config_home: Path) -> None:
        self.command = command
        self.path = config_home / "autostart" / DESKTOP_FILE_NAME
        self.description = str(self.path)

    def render(self) -> str:
        lines = [
            "[Desktop Entry]",
            "Type=Application",
            f"Name={APP_DISPLAY_NAME}",
            "Comment=Collect CLIProxyAPI usage and serve the management panel",
            f"Exec={exec_line(self.command.argv)}",
            "Terminal=false",
            "X-GNOME-Autostart-enabled=true",
            "NoDisplay=false",
        ]
        return "\n".join(lines) + "\n"

    def is_enabled(self) -> bool:
        data = _read_bytes(self.path)
        if data is None:
            return False
        keys = _desktop_entry_keys(data.decode("utf-8", errors="replace"))
        # Hidden=true is how the spec says "deleted by the user"; GNOME's own toggle writes the X- key.
        return not _is_true(keys.get("Hidden")) and not _is_false(keys.get("X-GNOME-Autostart-enabled"))

    def enable(self) -> None:
        _write_entry(self.path, self.render().encode("utf-8"))

    def disable(self) -> None:
        _remove_entry(self.path)


# --- macOS: per-user LaunchAgent -----------------------------------------------------------------


class LaunchAgentAutostart:
    def __init__(self, command: LaunchCommand, home: Path, label: str = DEFAULT_LAUNCH_AGENT_LABEL) -> None:
        self.command = command
        self.label = label
        self.path = home / "Library" / "LaunchAgents" / f"{label}.plist"
        self.description = str(self.path)

    def render(self) -> dict[str, Any]:
        # Interactive keeps launchd from throttling the app like a background daemon.
        return {
            "Label": self.label,
            "ProgramArguments": list(self.command.argv),
            "RunAtLoad": True,
            "ProcessType": "Interactive",
        }

    def is_enabled(self) -> bool:
        data = _read_bytes(self.path)
        if data is None:
            return False
        try:
            agent = plistlib.loads(data)
        except Exception:  # plistlib raises several unrelated types for damaged files
            log.warning("autostart entry %s is not a valid property list", self.path)
            return False
        if not isinstance(agent, dict):
            return False
        arguments = agent.get("ProgramArguments")
        return agent.get("RunAtLoad") is True and isinstance(arguments, list) and len(arguments) > 0

    def enable(self) -> None:
        _write_entry(self.path, plistlib.dumps(self.render(), fmt=plistlib.FMT_XML))

    def disable(self) -> None:
        _remove_entry(self.path)


# --- Windows: HKCU Run key -----------------------------------------------------------------------


class Registry(Protocol):
    """The part of the `winreg` module this backend uses; tests pass a fake with the same names."""

    HKEY_CURRENT_USER: Any
    KEY_READ: int
    KEY_SET_VALUE: int
    REG_SZ: int

    def OpenKey(self, key: Any, sub_key: str, reserved: int = ..., access: int = ...) -> Any: ...

    def CreateKey(self, key: Any, sub_key: str) -> Any: ...

    def QueryValueEx(self, key: Any, name: str) -> tuple[Any, int]: ...

    def SetValueEx(self, key: Any, name: str, reserved: int, type: int, value: Any) -> None: ...

    def DeleteValue(self, key: Any, name: str) -> None: ...

    def CloseKey(self, key: Any) -> None: ...


class WindowsRunKeyAutostart:
    def __init__(self, command: LaunchCommand, registry: Registry) -> None:
        self.command = command
        self.registry = registry
        self.description = f'HKCU\\{RUN_KEY} (value "{RUN_VALUE_NAME}")'

    def command_line(self) -> str:
        return subprocess.list2cmdline(self.command.argv)

    @contextlib.contextmanager
    def _key(self, sub_key: str, access: int) -> Iterator[Any]:
        handle = self.registry.OpenKey(self.registry.HKEY_CURRENT_USER, sub_key, 0, access)
        try:
            yield handle
        finally:
            self.registry.CloseKey(handle)

    def _query(self, sub_key: str) -> Any:
        """Our value under sub_key, or None when the key or value does not exist."""
        try:
            with self._key(sub_key, self.registry.KEY_READ) as handle:
                value, _type = self.registry.QueryValueEx(handle, RUN_VALUE_NAME)
                return value
        except FileNotFoundError:
            return None

    def _delete(self, sub_key: str) -> None:
        try:
            with self._key(sub_key, self.registry.KEY_SET_VALUE) as handle:
                self.registry.DeleteValue(handle, RUN_VALUE_NAME)
        except FileNotFoundError:
            pass

    def _disabled_in_task_manager(self) -> bool:
        # Explorer stores 12 bytes per entry; an odd first byte (0x03, 0x01) means switched off.
        approval = self._query(STARTUP_APPROVED_KEY)
        return isinstance(approval, bytes | bytearray) and len(approval) > 0 and approval[0] % 2 == 1

    def is_enabled(self) -> bool:
        try:
            command = self._query(RUN_KEY)
            return isinstance(command, str) and bool(command) and not self._disabled_in_task_manager()
        except OSError as exc:
            log.warning("cannot read autostart entry %s: %s", self.description, _reason(exc))
            return False

    def enable(self) -> None:
        try:
            handle = self.registry.CreateKey(self.registry.HKEY_CURRENT_USER, RUN_KEY)
            try:
                self.registry.SetValueEx(handle, RUN_VALUE_NAME, 0, self.registry.REG_SZ, self.command_line())
            finally:
                self.registry.CloseKey(handle)
            # A Task Manager "disabled" mark would otherwise keep overriding the user's new choice.
            self._delete(STARTUP_APPROVED_KEY)
        except OSError as exc:
            raise _write_failed(self.description, exc) from exc

    def disable(self) -> None:
        try:
            self._delete(RUN_KEY)
            self._delete(STARTUP_APPROVED_KEY)
        except OSError as exc:
            raise _remove_failed(self.description, exc) from exc
