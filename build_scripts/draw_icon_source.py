"""Draw assets/icon.png, the single source image every icon (.ico, .icns, tray states) derives from.

Run once when the design changes: `python build_scripts/draw_icon_source.py`. The output is committed.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 512
BACKGROUND = (31, 111, 235, 255)
FOREGROUND = (255, 255, 255, 255)


def draw() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    canvas = ImageDraw.Draw(image)
    canvas.rounded_rectangle((16, 16, SIZE - 16, SIZE - 16), radius=112, fill=BACKGROUND)
    # Three rising bars: usage over time.
    for index, height in enumerate((150, 230, 320)):
        left = 112 + index * 104
        canvas.rounded_rectangle((left, 400 - height, left + 72, 400), radius=18, fill=FOREGROUND)
    canvas.rounded_rectangle((96, 412, 416, 432), radius=10, fill=FOREGROUND)
    return image


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "assets" / "icon.png"
    draw().save(target, optimize=True)
    print(target)
