"""Where the config file and data live.

Frozen builds keep everything next to the executable (portable: the extracted folder holds program
and data); a macOS bundle uses the folder containing the `.app`, because writing inside the bundle
breaks its signature. When that folder is not writable (e.g. Program Files, a translocated app) or
when running from source, the platformdirs user folders are used instead.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "cpa-manager"
CONFIG_FILE_NAME = "config.json"


@dataclass(frozen=True)
class BaseDirs:
    """The folder holding config.json and the default data folder beneath it."""

    config_dir: Path
    default_data_dir: Path
    is_portable: bool


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def executable_home(executable: Path | None = None) -> Path:
    """The folder a user sees the program in: beside the binary, or beside the `.app` bundle."""
    exe = (executable or Path(sys.executable)).resolve()
    for parent in exe.parents:
        if parent.suffix == ".app":
            return parent.parent
    return exe.parent


def is_writable_dir(folder: Path) -> bool:
    """True when a file can really be created in folder (os.access lies on some network shares)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".write-test-"):
            return True
    except OSError:
        return False


def user_dirs() -> BaseDirs:
    return BaseDirs(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        default_data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "data",
        is_portable=False,
    )


# Installed-program locations: writable perhaps, but never where a user expects their data.
SYSTEM_PARTS = ("program files", "/applications/", "apptranslocation", "/tmp/.mount_", "/usr/", "/opt/")


def is_system_location(folder: Path) -> bool:
    text = str(folder).replace("\\", "/").lower() + "/"
    return any(part in text for part in SYSTEM_PARTS)


def choose_base_dirs(*, frozen: bool | None = None, executable: Path | None = None) -> BaseDirs:
    """Portable (next to the program) when frozen and sensible; platformdirs otherwise. A config.json
    already present in either place wins, so data never splits between two folders."""
    frozen = is_frozen() if frozen is None else frozen
    user = user_dirs()
    if not frozen:
        return user
    home = executable_home(executable)
    portable = BaseDirs(config_dir=home, default_data_dir=home / "data", is_portable=True)
    if (home / CONFIG_FILE_NAME).exists() and is_writable_dir(home):
        return portable
    if (user.config_dir / CONFIG_FILE_NAME).exists() or is_system_location(home):
        return user
    return portable if is_writable_dir(home) else user


def resource_path(name: str) -> Path:
    """A file shipped with the program (panel, icons): inside the bundle when frozen."""
    bundle_root = getattr(sys, "_MEIPASS", None)
    if bundle_root:
        return Path(bundle_root) / "cpa_manager_desktop" / "assets" / name
    try:
        import cpa_manager_desktop.assets as assets
    except ImportError:  # a plain checkout on PYTHONPATH: the package mapping exists only once installed
        return Path(__file__).resolve().parent.parent / "assets" / name
    return Path(assets.__file__).resolve().parent / name


def make_private_dir(folder: Path) -> None:
    """Create folder readable only by the user (POSIX); Windows user folders are private already."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, 0o700)


def make_private_file(path: Path) -> None:
    if os.name == "posix" and path.exists():
        os.chmod(path, 0o600)
