"""Build the release archive twice from scratch and require byte-identical results.

    python build_scripts/reproducible_check.py [--skip-panel]

Both builds use the same SOURCE_DATE_EPOCH (the last commit's time unless set) and PYTHONHASHSEED=0, each
in its own work folder under build/repro/. On a mismatch it names the archive members that differ, which
is where to look (a timestamp, a path, an unsorted list). Exit 0 when identical, 1 otherwise. For the
release workflow; too slow for every CI run.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build
import bundle_meta as meta  # this import and the next come after the path tweak above

REPRO = meta.REPO / "build" / "repro"


def member_digests(archive: Path) -> dict[str, str]:
    digests = {}
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as zipped:
            for info in zipped.infolist():
                digests[info.filename] = f"{info.date_time} {info.external_attr:o} " + hashlib.sha256(
                    zipped.read(info)).hexdigest()
    else:
        with tarfile.open(archive) as tar:
            for info in tar:
                content = tar.extractfile(info).read() if info.isfile() else info.linkname.encode()
                digests[info.name] = f"{info.mtime} {info.mode:o} " + hashlib.sha256(content).hexdigest()
    return digests


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--skip-panel", action="store_true", help="passed on to build.py")
    args = parser.parse_args(argv)
    epoch = str(build.source_date_epoch())
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch)
    shutil.rmtree(REPRO, ignore_errors=True)
    archives = []
    for run in ("1", "2"):
        cmd = [sys.executable, str(meta.REPO / "build_scripts" / "build.py"), "--dist", str(REPRO / run / "dist"),
               "--build-dir", str(REPRO / run / "pyinstaller")]
        if args.skip_panel:
            cmd.append("--skip-panel")
        print(f"[repro] build {run}: {' '.join(cmd)}", flush=True)
        subprocess.run(cmd, env=env, check=True)
        archives.append(REPRO / run / "dist" / (meta.release_name() + meta.archive_suffix()))
    first, second = (build.sha256_of(a) for a in archives)
    print(f"[repro] build 1 sha256 {first}\n[repro] build 2 sha256 {second}")
    if first == second:
        print(f"[repro] identical: {archives[0].name} ({archives[0].stat().st_size:,} bytes)")
        return 0
    one, two = (member_digests(a) for a in archives)
    differing = sorted(name for name in one.keys() | two.keys() if one.get(name) != two.get(name))
    print(f"[repro] DIFFERENT: {len(differing)} member(s) differ:")
    for name in differing[:50]:
        print(f"  {name}\n    1: {one.get(name)}\n    2: {two.get(name)}")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
