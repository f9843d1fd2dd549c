"""The frozen build: build_scripts/build.py makes the release archive, build_scripts/smoke_test.py runs it.

Slow (a real PyInstaller build, about a minute on 2 cores). Set CPA_SKIP_FROZEN=1 to skip it; nothing else
skips it, and a missing PyInstaller is a failure, not a skip (`pip install -e '.[build]'`).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "build_scripts"))
import bundle_meta as meta  # noqa: E402 - build_scripts is not a package

MAX_ARCHIVE_BYTES = 80 * 1024 * 1024
BUILD_TIMEOUT_S = 360
SMOKE_TIMEOUT_S = 180

pytestmark = [
    pytest.mark.skipif(os.environ.get("CPA_SKIP_FROZEN") == "1", reason="CPA_SKIP_FROZEN=1"),
    pytest.mark.timeout(BUILD_TIMEOUT_S + SMOKE_TIMEOUT_S + 60),
]


def run_script(args: list[str], timeout_s: float) -> subprocess.CompletedProcess[str]:
    """Run a script in its own process group, so a timeout kills it and everything it started."""
    process = subprocess.Popen([sys.executable, *args], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=(os.name == "posix"))
    try:
        output, _ = process.communicate(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False)
        output, _ = process.communicate()
        pytest.fail(f"{args[0]} did not finish within {timeout_s} s:\n{output[-6000:]}")
    return subprocess.CompletedProcess(process.args, process.returncode, output, None)


def archive_members(archive: Path) -> dict[str, int]:
    """Member name -> Unix mode bits, for files and symlinks."""
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as zipped:
            return {i.filename: (i.external_attr >> 16) & 0o7777 for i in zipped.infolist() if not i.is_dir()}
    with tarfile.open(archive) as tar:
        return {m.name: m.mode for m in tar.getmembers() if not m.isdir()}


def test_frozen_build_runs(tmp_path: Path) -> None:
    if importlib.util.find_spec("PyInstaller") is None:
        pytest.fail("PyInstaller is not installed, so the frozen build cannot be tested: "
                    "pip install -e '.[build]' (or set CPA_SKIP_FROZEN=1 to skip this test)")
    dist = tmp_path / "dist"
    built = run_script(["build_scripts/build.py", "--skip-panel", "--dist", str(dist),
                        "--build-dir", str(tmp_path / "pyinstaller")], BUILD_TIMEOUT_S)
    assert built.returncode == 0, f"build.py failed:\n{built.stdout[-6000:]}"

    archive = dist / (meta.release_name() + meta.archive_suffix())
    assert archive.is_file(), f"no {archive.name} in {sorted(p.name for p in dist.iterdir())}"
    size = archive.stat().st_size
    assert size < MAX_ARCHIVE_BYTES, f"{archive.name} is {size / 2**20:.1f} MB (limit 80 MB)"
    checksums = (dist / "checksums.txt").read_text()
    assert checksums.endswith(f"  {archive.name}\n") and len(checksums.split()[0]) == 64

    members = archive_members(archive)
    top = meta.release_name()
    assert all(name.startswith(top + "/") for name in members), "everything sits in one top-level folder"
    executable = {
        "linux": f"{top}/cpa-manager",
        "darwin": f"{top}/{meta.MAC_APP_NAME}/Contents/MacOS/cpa-manager",
        "windows": f"{top}/cpa-manager.exe",
    }[meta.os_name()]
    assert executable in members, f"no executable {executable}"
    assert members[executable] == 0o755, f"{executable} has mode {members[executable]:o}, expected 755"
    for asset in ("management.html", "icon.png"):
        assert any(name.endswith(f"/cpa_manager_desktop/assets/{asset}") for name in members), \
            f"cpa_manager_desktop/assets/{asset} is not in the bundle"

    smoke_args = ["build_scripts/smoke_test.py", str(archive)]
    has_display = bool(os.environ.get("DISPLAY") or shutil.which("Xvfb"))
    if sys.platform.startswith("linux") and has_display:
        smoke_args.append("--tray")  # the bundled tray backend must import, too
    smoked = run_script(smoke_args, SMOKE_TIMEOUT_S)
    print(smoked.stdout)
    assert smoked.returncode == 0, f"smoke test failed:\n{smoked.stdout[-6000:]}"
    assert "smoke test passed" in smoked.stdout
