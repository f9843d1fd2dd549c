"""Build the release archive for this OS and architecture in one command.

    python build_scripts/build.py [--dist DIR] [--skip-panel | --build-panel] [--verbose]

Steps: (1) build the panel with npm when panel/ exists and assets/management.html is older than its
sources; (2) draw build/icons/ (.ico, .icns, PNGs) from assets/icon.png; (3) run PyInstaller on
release.spec with SOURCE_DATE_EPOCH (default: the last commit's time) and PYTHONHASHSEED=0; (4) write
dist/cpa-manager_<version>_<os>_<arch>.tar.gz (.zip on Windows) — one top-level folder, execute bits
kept, sorted entries, mtimes = SOURCE_DATE_EPOCH, uid/gid 0, gzip mtime 0 — and dist/checksums.txt.
Two builds of the same commit with the same toolchain give byte-identical archives
(build_scripts/reproducible_check.py verifies that).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib.util
import io
import os
import shutil
import stat
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle_meta as meta  # after the path tweak above

REPO = meta.REPO
PANEL_DIR = REPO / "panel"
PANEL_SKIP = {"node_modules", "dist", ".vite", ".cache", "coverage"}
ZIP_MIN_EPOCH = 315532800  # 1980-01-01: the earliest time a zip entry can carry
CHECKSUMS = "checksums.txt"


def say(message: str) -> None:
    print(f"[build] {message}", flush=True)


def run(cmd: list[str], *, cwd: Path = REPO, env: dict[str, str] | None = None) -> None:
    say("$ " + " ".join(cmd))
    subprocess.run(cmd, cwd=cwd, env=env, check=True)


# ---- 1. panel -----------------------------------------------------------------------------------------


def panel_sources() -> Iterator[Path]:
    for path in PANEL_DIR.rglob("*"):
        if path.is_file() and not PANEL_SKIP.intersection(path.relative_to(PANEL_DIR).parts):
            yield path


def build_panel(mode: str) -> None:
    if not PANEL_DIR.is_dir():
        say("panel: no panel/ folder; using the committed assets/management.html")
        return
    if mode == "skip":
        say("panel: skipped (--skip-panel); using assets/management.html as it is")
        return
    html = meta.PANEL_HTML
    newest = max((p.stat().st_mtime for p in panel_sources()), default=0.0)
    if mode == "auto" and html.is_file() and html.stat().st_mtime >= newest:
        say("panel: assets/management.html is newer than the panel sources; not rebuilding")
        return
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("panel: assets/management.html is older than panel/ sources and npm is not installed "
                         "(install Node.js, or pass --skip-panel to ship the committed file)")
    before = html.stat().st_mtime if html.is_file() else 0.0
    run([npm, "ci"], cwd=PANEL_DIR)
    run([npm, "run", "build"], cwd=PANEL_DIR)
    if not html.is_file() or html.stat().st_mtime <= before:
        raise SystemExit("panel: `npm run build` did not write assets/management.html")
    say(f"panel: built assets/management.html ({html.stat().st_size:,} bytes)")


# ---- 3. PyInstaller --------------------------------------------------------------------------------------


def source_date_epoch() -> int:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        return int(value)
    try:
        # Read-only: the time of the last commit, so every build of one commit stamps the same time.
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=REPO, capture_output=True, text=True,
                             timeout=30, check=True).stdout.strip()
        return int(out)
    except (OSError, subprocess.SubprocessError, ValueError):
        say(f"SOURCE_DATE_EPOCH is not set and git gave no commit time; using {ZIP_MIN_EPOCH} (1980-01-01)")
        return ZIP_MIN_EPOCH


def run_pyinstaller(epoch: int, work: Path, out: Path, verbose: bool) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(epoch), PYTHONHASHSEED="0")
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "INFO" if verbose else "WARN",
         "--distpath", str(out), "--workpath", str(work), str(REPO / "release.spec")], env=env)


def bundle_root(out: Path) -> Path:
    """What goes inside the archive's top folder: the .app on macOS, the onedir folder elsewhere."""
    if meta.os_name() == "darwin":
        return out / meta.MAC_APP_NAME
    return out / meta.APP_NAME


# ---- 4. archive --------------------------------------------------------------------------------------


def walk(root: Path) -> list[tuple[str, Path]]:
    """(name relative to root, "" for root itself; path) for root and everything below it, sorted."""
    entries = []
    for path in [root, *root.rglob("*")]:
        entries.append(("/".join(path.relative_to(root).parts), path))
    return sorted(entries)


def normalised_mode(path: Path) -> int:
    st = path.lstat()
    if stat.S_ISDIR(st.st_mode):
        return 0o755
    return 0o755 if st.st_mode & stat.S_IXUSR else 0o644


def write_tar_gz(contents: list[tuple[str, Path]], top: str, target: Path, epoch: int) -> int:
    count = 0
    with target.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                                                 compresslevel=9) as gz, \
            tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for rel, path in contents:
            info = tarfile.TarInfo(f"{top}/{rel}" if rel else top)
            info.mtime = epoch
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if path.is_symlink():
                info.type = tarfile.SYMTYPE
                info.linkname = os.readlink(path)
                info.mode = 0o777
                tar.addfile(info)
                count += 1
            elif path.is_dir():
                info.type = tarfile.DIRTYPE
                info.mode = 0o755
                tar.addfile(info)
            else:
                info.size = path.stat().st_size
                info.mode = normalised_mode(path)
                with path.open("rb") as handle:
                    tar.addfile(info, handle)
                count += 1
    return count


def write_zip(contents: list[tuple[str, Path]], top: str, target: Path, epoch: int) -> int:
    stamp = time.gmtime(max(epoch, ZIP_MIN_EPOCH))[:6]
    count = 0
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for rel, path in contents:
            if path.is_symlink():
                raise SystemExit(f"zip archives cannot hold the symlink {path}")
            name = f"{top}/{rel}" if rel else top
            if path.is_dir():
                info = zipfile.ZipInfo(name + "/", date_time=stamp)
                info.external_attr = (stat.S_IFDIR | 0o755) << 16 | 0x10
                info.create_system = 3
                archive.writestr(info, b"")
                continue
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = (stat.S_IFREG | normalised_mode(path)) << 16
            info.create_system = 3  # "unix", so unzip on Linux/macOS restores the modes above
            info.compress_type = zipfile.ZIP_DEFLATED
            with path.open("rb") as src, archive.open(info, "w") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            count += 1
    return count


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_archive(out: Path, dist: Path, epoch: int) -> tuple[Path, int]:
    top = meta.release_name()
    root = bundle_root(out)
    if not root.exists():
        raise SystemExit(f"PyInstaller did not produce {root}")
    contents = walk(root)
    if meta.os_name() == "darwin":  # the .app itself is the one entry inside the top folder
        contents = [(f"{root.name}/{rel}" if rel else root.name, path) for rel, path in contents]
        contents = [("", root.parent), *contents]
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / (top + meta.archive_suffix())
    partial = target.with_name(target.name + ".partial")
    writer = write_zip if target.suffix == ".zip" else write_tar_gz
    count = writer(contents, top, partial, epoch)
    os.replace(partial, target)
    return target, count


def write_checksums(dist: Path, archive: Path) -> Path:
    """sha256sum format. One line per build; the release job merges the per-OS files."""
    target = dist / CHECKSUMS
    lines = {}
    if target.is_file():  # keep other archives' lines that are still present (several builds into one dist/)
        for line in target.read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition("  ")
            if name and name != archive.name and (dist / name).is_file():
                lines[name] = digest
    lines[archive.name] = sha256_of(archive)
    buffer = io.StringIO()
    for name in sorted(lines):
        buffer.write(f"{lines[name]}  {name}\n")
    target.write_text(buffer.getvalue(), encoding="utf-8", newline="\n")
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="where the archive goes (default: dist/)")
    parser.add_argument("--build-dir", type=Path, default=REPO / "build" / "pyinstaller",
                        help="PyInstaller's work and output folders (default: build/pyinstaller/)")
    panel = parser.add_mutually_exclusive_group()
    panel.add_argument("--skip-panel", action="store_const", const="skip", dest="panel", default="auto",
                       help="never run npm; ship assets/management.html as it is")
    panel.add_argument("--build-panel", action="store_const", const="force", dest="panel",
                       help="always rebuild the panel when panel/ exists")
    parser.add_argument("--verbose", action="store_true", help="PyInstaller at INFO instead of WARN")
    args = parser.parse_args(argv)

    if importlib.util.find_spec("PyInstaller") is None:
        raise SystemExit(f"PyInstaller is not installed in this interpreter ({sys.executable}): pip install '.[build]'")
    started = time.monotonic()
    ver = meta.version()
    say(f"cpa-manager {ver} for {meta.os_name()}/{meta.arch()} with Python {sys.version.split()[0]}")
    build_panel(args.panel)

    icons = meta.make_icons()
    say(f"icons: {', '.join(sorted(p.name for p in icons.values()))} in {meta.ICONS_DIR.relative_to(REPO)}")

    epoch = source_date_epoch()
    say(f"SOURCE_DATE_EPOCH={epoch} PYTHONHASHSEED=0")
    build_dir = args.build_dir.resolve()
    out = build_dir / "dist"
    frozen_started = time.monotonic()
    run_pyinstaller(epoch, build_dir / "work", out, args.verbose)
    frozen_s = time.monotonic() - frozen_started

    archive, count = write_archive(out, args.dist.resolve(), epoch)
    checksums = write_checksums(args.dist.resolve(), archive)
    size = archive.stat().st_size
    say(f"PyInstaller {frozen_s:.1f} s, total {time.monotonic() - started:.1f} s")
    say(f"archive {archive} — {size / 2**20:.1f} MB ({size:,} bytes), {count} files")
    say(f"sha256 {sha256_of(archive)}  ({checksums})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
