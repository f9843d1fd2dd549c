"""Tray icons for each collector state, drawn from the one source image in assets/.

States are told apart by the badge's shape, not only its colour: no badge (collecting), a round badge
with two bars (paused), a triangle with an exclamation mark (error), an amber square with an
exclamation mark (a watcher's warning: a budget threshold, a quota running out).
"""

from __future__ import annotations

from functools import lru_cache

from PIL import Image, ImageDraw

from cpa_manager_desktop import paths
from cpa_manager_desktop.service.glance import Tint
from cpa_manager_desktop.service.status import CollectorState

NORMAL, PAUSED, ERROR, WARNING = "normal", "paused", "error", "warning"
STATES = (NORMAL, PAUSED, ERROR, WARNING)
BADGE_WARNING = (230, 150, 0, 255)
BADGE_DARK = (40, 40, 40, 255)
BADGE_ERROR = (200, 30, 30, 255)
WHITE = (255, 255, 255, 255)


@lru_cache(maxsize=1)
def _source() -> Image.Image:
    with Image.open(paths.resource_path("icon.png")) as image:
        return image.convert("RGBA")


@lru_cache(maxsize=16)
def render(state: str, size: int = 64) -> Image.Image:
    """The icon for a state at size×size pixels (RGBA)."""
    if state not in STATES:
        raise ValueError(f"unknown icon state {state!r}")
    image = _source().resize((size, size), Image.Resampling.LANCZOS)
    if state == PAUSED:
        _paused_badge(ImageDraw.Draw(image), size)
    elif state == ERROR:
        _error_badge(ImageDraw.Draw(image), size)
    elif state == WARNING:
        _warning_badge(ImageDraw.Draw(image), size)
    return image


def _badge_box(size: int) -> tuple[float, float, float, float]:
    badge = size * 0.52
    return size - badge, size - badge, size - 1, size - 1


def _paused_badge(canvas: ImageDraw.ImageDraw, size: int) -> None:
    left, top, right, bottom = _badge_box(size)
    outline = max(1, size // 32)
    canvas.ellipse((left, top, right, bottom), fill=BADGE_DARK, outline=WHITE, width=outline)
    width, height = (right - left), (bottom - top)
    for offset in (0.30, 0.58):
        x = left + width * offset
        canvas.rectangle((x, top + height * 0.28, x + width * 0.13, top + height * 0.72), fill=WHITE)


def _error_badge(canvas: ImageDraw.ImageDraw, size: int) -> None:
    left, top, right, bottom = _badge_box(size)
    outline = max(1, size // 32)
    canvas.polygon(((left + right) / 2, top, right, bottom, left, bottom), fill=BADGE_ERROR, outline=WHITE,
                   width=outline)
    width, height = (right - left), (bottom - top)
    middle = (left + right) / 2
    stroke = width * 0.07
    canvas.rectangle((middle - stroke, top + height * 0.35, middle + stroke, top + height * 0.70), fill=WHITE)
    canvas.rectangle((middle - stroke, top + height * 0.78, middle + stroke, top + height * 0.90), fill=WHITE)


def _warning_badge(canvas: ImageDraw.ImageDraw, size: int) -> None:
    left, top, right, bottom = _badge_box(size)
    outline = max(1, size // 32)
    canvas.rectangle((left, top, right, bottom), fill=BADGE_WARNING, outline=WHITE, width=outline)
    width, height = (right - left), (bottom - top)
    middle = (left + right) / 2
    stroke = width * 0.07
    canvas.rectangle((middle - stroke, top + height * 0.18, middle + stroke, top + height * 0.62), fill=WHITE)
    canvas.rectangle((middle - stroke, top + height * 0.72, middle + stroke, top + height * 0.86), fill=WHITE)


def state_for(collector_state: CollectorState, tint: Tint = Tint.NONE) -> str:
    """The collector's own state wins (pause and error are about collection itself); then a tint."""
    if collector_state == CollectorState.PAUSED:
        return PAUSED
    if collector_state == CollectorState.ERROR or tint == Tint.ALERT:
        return ERROR
    if tint == Tint.WARNING:
        return WARNING
    return NORMAL
