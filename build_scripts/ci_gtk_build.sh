#!/usr/bin/env bash
# Build the Linux archive with GTK + AppIndicator bundled (the tray with a real menu) and smoke-test
# it, tray included. Needs Debian's python3 (3.11) with python3-gi: PyGObject from pip would need a
# compiler and girepository headers. Used by .ci/run; the release workflow does the same on Ubuntu.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=build/gtk-venv
/usr/bin/python3 -m venv --system-site-packages "$venv"
# ruamel.yaml: the smoke test runs the CPA test double, whose config.yaml keeps comments as CPA's does.
"$venv/bin/python" -m pip install --quiet -e '.[build]' 'ruamel.yaml>=0.18'
"$venv/bin/python" -c "import gi; gi.require_version('Gtk', '3.0'); gi.require_version('AyatanaAppIndicator3', '0.1')"
rm -rf build/gtk-dist
"$venv/bin/python" build_scripts/build.py --skip-panel --dist build/gtk-dist --build-dir build/gtk-pyinstaller
archive=$(ls build/gtk-dist/*.tar.gz)
echo "GTK archive: $archive ($(du -h "$archive" | cut -f1))"
dbus-run-session -- "$venv/bin/python" build_scripts/smoke_test.py --tray "$archive"
