"""PyInstaller hook for pystray, used instead of the one in pyinstaller-hooks-contrib.

The contrib hook runs `collect_submodules("pystray")`, which imports pystray in a subprocess; on Linux
without a display that raises Xlib's DisplayNameError and the build logs "Failed to collect submodules
for 'pystray'". pystray's backend imports are static (`from . import _xorg` inside functions), so the
analysis finds them without importing anything; release.spec lists the backends each OS needs as hidden
imports and excludes the others.
"""

hiddenimports: list[str] = []
