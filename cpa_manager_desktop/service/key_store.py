"""Where the saved Management Key is kept: the operating system's credential store (Windows Credential
Manager, macOS Keychain, Secret Service on Linux) through `keyring` when one works, otherwise the
settings table of usage.sqlite as before (a 0600 file in a 0700 folder).

A headless machine or container has no credential store: keyring then offers only its `fail` or `null`
backend (priority 0), and the key stays in the database. The choice is made per save, so a key saved
while the store was unavailable moves into it at the next start where it is available.
"""

from __future__ import annotations

import hashlib
import logging
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)
KEYRING_SERVICE = "cpa-manager"


class KeyStoreKind(StrEnum):
    CREDENTIAL_STORE = "credential-store"
    DATABASE = "database"
    ENVIRONMENT = "environment"
    NONE = "none"


def _usable_keyring() -> Any | None:
    """The keyring backend if a real credential store is behind it, else None."""
    try:
        import keyring
        from keyring.backends import fail, null
    except Exception as exc:  # not installed, or a backend import broke (frozen build): the database it is
        log.info("OS credential store unavailable: %s", exc)
        return None
    try:
        backend = keyring.get_keyring()
        if isinstance(backend, fail.Keyring | null.Keyring) or getattr(backend, "priority", 0) <= 0:
            return None
    except Exception as exc:
        log.info("OS credential store unavailable: %s", exc)
        return None
    return backend


class KeyStore:
    """Saves and loads one Management Key; `account` tells installations on one machine apart."""

    def __init__(self, install_id: str) -> None:
        self._account = "management-key-" + hashlib.sha256(install_id.encode()).hexdigest()[:16]
        self._backend = _usable_keyring()

    @property
    def name(self) -> str:
        """The credential store's name for /status ("" when there is none)."""
        if self._backend is None:
            return ""
        return str(getattr(self._backend, "name", type(self._backend).__name__))

    @property
    def is_available(self) -> bool:
        return self._backend is not None

    def save(self, key: str) -> bool:
        """True when the key is now in the credential store (read back to be sure)."""
        if self._backend is None:
            return False
        try:
            self._backend.set_password(KEYRING_SERVICE, self._account, key)
            if self._backend.get_password(KEYRING_SERVICE, self._account) == key:
                return True
            log.warning("the OS credential store did not keep the key; keeping it in the database")
        except Exception as exc:  # a locked or broken store: fall back, never fail the setup
            log.warning("could not save the key in the OS credential store (%s); keeping it in the database",
                        type(exc).__name__)
        return False

    def load(self) -> str | None:
        if self._backend is None:
            return None
        try:
            return self._backend.get_password(KEYRING_SERVICE, self._account)
        except Exception as exc:
            log.warning("could not read the key from the OS credential store (%s)", type(exc).__name__)
            return None

    def delete(self) -> None:
        if self._backend is None:
            return
        try:
            self._backend.delete_password(KEYRING_SERVICE, self._account)
        except Exception as exc:  # already gone, or the store is locked: nothing else to do
            log.info("could not delete the key from the OS credential store (%s)", type(exc).__name__)
