"""Logging: a size-capped rotating file in the log folder, stderr when there is one, secrets masked.

A windowed Windows build has sys.stderr = None, so nothing here may depend on a console.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
from pathlib import Path

from cpa_manager_desktop.redact import mask_secret, register_secret, scrub_text

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FILE_NAME = "cpa-manager.log"
MAX_LOG_BYTES = 2 * 1024 * 1024
LOG_BACKUPS = 5


class SecretFilter(logging.Filter):
    """Masks registered secrets (the Management Key) and anything key-shaped in every record."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def add_secret(self, secret: str) -> None:
        if secret and len(secret) >= 4:
            with self._lock:
                self._secrets.add(secret)
        # Dead letters, exports and the raw journal mask it too (redact.scrub_text).
        register_secret(secret)

    def redact(self, text: str) -> str:
        """The text with every registered secret masked and anything key-shaped scrubbed."""
        with self._lock:
            secrets = tuple(self._secrets)
        for secret in secrets:
            if secret in text:
                text = text.replace(secret, mask_secret(secret))
        return scrub_text(text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = scrub_text(logging.Formatter().formatException(record.exc_info))
        return True


SECRETS = SecretFilter()


def replace_missing_stdio() -> None:
    """Windowed builds have no console: give print-happy libraries somewhere harmless to write."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 - lives for the process


def setup_logging(log_dir: Path | None, level: str = "info") -> Path | None:
    """Configure the root logger; returns the log file path, or None when it could not be created."""
    root = logging.getLogger()
    root.setLevel(level.upper())
    for handler in list(root.handlers):
        root.removeHandler(handler)
    formatter = logging.Formatter(LOG_FORMAT)
    stream = logging.StreamHandler(sys.stderr)
    stream.setFormatter(formatter)
    stream.addFilter(SECRETS)
    root.addHandler(stream)
    log_file = None
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            if os.name == "posix":
                os.chmod(log_dir, 0o700)
            log_file = log_dir / LOG_FILE_NAME
            handler = logging.handlers.RotatingFileHandler(
                log_file, maxBytes=MAX_LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
            )
            handler.setFormatter(formatter)
            handler.addFilter(SECRETS)
            root.addHandler(handler)
        except OSError as exc:
            logging.getLogger(__name__).warning("file logging disabled dir=%s reason=%s", log_dir, exc.strerror)
            log_file = None
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    return log_file


def install_excepthooks() -> None:
    log = logging.getLogger("cpa_manager_desktop")

    def on_thread_error(args: threading.ExceptHookArgs) -> None:
        thread_name = args.thread.name if args.thread else "?"
        log.error("uncaught error in thread %s", thread_name,
                  exc_info=(args.exc_type, args.exc_value, args.exc_traceback))  # type: ignore[arg-type]

    def on_error(exc_type, exc_value, traceback) -> None:  # type: ignore[no-untyped-def]
        log.critical("uncaught error", exc_info=(exc_type, exc_value, traceback))

    threading.excepthook = on_thread_error
    sys.excepthook = on_error
