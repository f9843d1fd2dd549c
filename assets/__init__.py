"""Files shipped with the program: the built management panel and the icon source.

Installed as the package `cpa_manager_desktop.assets` (see pyproject.toml) so they travel with the code.
"""
