"""Calm, abstract illustrations for the demo content, drawn with Pillow.

Nothing is downloaded: every picture is drawn from a seed, so re-running `seed_demo` gives the
same images and the demo works offline. Shapes are drawn at twice the size and scaled down,
which gives smooth edges for little cost (a hero takes well under a second).
"""

import functools
import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

HERO_SIZE = (1600, 900)
PORTRAIT_SIZE = (900, 900)
_SCALE = 2

# Soft clinical palettes: (background top, background bottom, main shape, accent, highlight).
PALETTES = {
    "teal": ((226, 243, 241), (183, 221, 219), (47, 122, 128), (242, 180, 120), (255, 255, 255)),
    "blue": ((230, 238, 250), (188, 206, 236), (52, 92, 156), (120, 190, 180), (255, 255, 255)),
    "sage": ((236, 243, 230), (200, 219, 190), (74, 115, 84), (226, 160, 130), (255, 255, 255)),
    "lilac": ((240, 234, 248), (208, 196, 230), (98, 78, 150), (238, 190, 110), (255, 255, 255)),
    "sand": ((250, 243, 230), (234, 214, 184), (156, 98, 60), (90, 150, 160), (255, 255, 255)),
}


def _canvas(size, palette):
    """A vertical gradient between the palette's two background colours, at drawing scale."""
    width, height = size[0] * _SCALE, size[1] * _SCALE
    top, bottom = (Image.new("RGB", (width, height), colour) for colour in palette[:2])
    column = Image.frombytes("L", (1, height), bytes(255 * row // (height - 1) for row in range(height)))
    return Image.composite(bottom, top, column.resize((width, height), Image.Resampling.NEAREST))


def _finish(image, size):
    return image.reduce(_SCALE) if image.size == (size[0] * _SCALE, size[1] * _SCALE) else image.resize(size)


def _soft_circles(draw, rng, width, height, colour, count=6):
    """Large faint circles in the background, like light through a window."""
    for _ in range(count):
        radius = rng.randint(height // 6, height // 2)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*colour, 28))


def _overlay(image, painter):
    """Let `painter(draw)` draw with transparency on a layer, then blend it onto `image`."""
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    painter(ImageDraw.Draw(layer))
    image.paste(layer, (0, 0), layer)
    return image


def draw_spine(seed, palette="teal"):
    """A gently curved column of vertebrae with discs between them."""
    rng = random.Random(seed)
    colours = PALETTES[palette]
    image = _canvas(HERO_SIZE, colours)
    width, height = image.size

    def paint(draw):
        _soft_circles(draw, rng, width, height, colours[4])
        bones = 11
        top, bottom = height * 0.08, height * 0.92
        step = (bottom - top) / bones
        centre = width * rng.uniform(0.58, 0.68)
        for index in range(bones):
            y = top + index * step
            curve = math.sin(index / (bones - 1) * math.pi * 1.3 + 0.4) * width * 0.04
            x = centre + curve
            bone_width = width * (0.085 + 0.025 * index / bones)
            draw.rounded_rectangle(
                (x - bone_width, y + step * 0.12, x + bone_width, y + step * 0.78),
                radius=int(step * 0.25),
                fill=(*colours[2], 215),
            )
            # The spinous process: a soft wing behind each vertebra.
            draw.ellipse(
                (x - bone_width * 1.6, y + step * 0.3, x - bone_width * 0.7, y + step * 0.6),
                fill=(*colours[2], 120),
            )
            if index < bones - 1:
                draw.ellipse(
                    (x - bone_width * 0.8, y + step * 0.76, x + bone_width * 0.8, y + step * 1.14),
                    fill=(*colours[3], 200),
                )
        # A calm horizon line on the left, where a title could sit.
        for offset in range(3):
            y = height * (0.62 + offset * 0.07)
            draw.line((width * 0.06, y, width * 0.38, y), fill=(*colours[2], 70), width=10)

    return _finish(_overlay(image, paint), HERO_SIZE)


def draw_joint(seed, palette="sage"):
    """Two rounded bones meeting at a joint, with a cushion of cartilage between them."""
    rng = random.Random(seed)
    colours = PALETTES[palette]
    image = _canvas(HERO_SIZE, colours)
    width, height = image.size

    def paint(draw):
        _soft_circles(draw, rng, width, height, colours[4])
        cx, cy = width * rng.uniform(0.55, 0.62), height * 0.5
        head = height * 0.16
        shaft = head * 0.55
        draw.rounded_rectangle(
            (cx - shaft, height * -0.1, cx + shaft, cy - head * 0.6), radius=int(shaft), fill=(*colours[2], 200)
        )
        draw.ellipse((cx - head * 1.25, cy - head * 1.55, cx + head * 1.25, cy - head * 0.1), fill=(*colours[2], 225))
        draw.rounded_rectangle(
            (cx - shaft, cy + head * 0.6, cx + shaft, height * 1.1), radius=int(shaft), fill=(*colours[2], 200)
        )
        draw.ellipse((cx - head * 1.25, cy + head * 0.1, cx + head * 1.25, cy + head * 1.55), fill=(*colours[2], 225))
        draw.ellipse((cx - head * 1.05, cy - head * 0.22, cx + head * 1.05, cy + head * 0.22), fill=(*colours[3], 230))
        for ring in range(1, 4):
            radius = head * (1.6 + ring * 0.45)
            draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=(*colours[4], 90), width=6)

    return _finish(_overlay(image, paint), HERO_SIZE)


def draw_waves(seed, palette="blue"):
    """Layered waves, for nerves, signals and the ups and downs of pain."""
    rng = random.Random(seed)
    colours = PALETTES[palette]
    image = _canvas(HERO_SIZE, colours)
    width, height = image.size

    def paint(draw):
        _soft_circles(draw, rng, width, height, colours[4], count=4)
        for layer in range(7):
            amplitude = height * rng.uniform(0.03, 0.08)
            wavelength = width * rng.uniform(0.25, 0.5)
            phase = rng.uniform(0, math.tau)
            base = height * (0.3 + layer * 0.08)
            points = [
                (x, base + amplitude * math.sin(x / wavelength * math.tau + phase)) for x in range(0, width + 40, 40)
            ]
            colour = colours[2] if layer % 2 == 0 else colours[3]
            draw.line(points, fill=(*colour, 90 + layer * 20), width=14, joint="curve")
        for _ in range(5):
            x, y = rng.uniform(0.1, 0.9) * width, rng.uniform(0.3, 0.8) * height
            radius = height * 0.015
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*colours[4], 220))

    return _finish(_overlay(image, paint), HERO_SIZE)


def draw_ripples(seed, palette="lilac"):
    """Concentric ripples spreading from one point, for headache and migraine."""
    rng = random.Random(seed)
    colours = PALETTES[palette]
    image = _canvas(HERO_SIZE, colours)
    width, height = image.size

    def paint(draw):
        cx, cy = width * rng.uniform(0.6, 0.7), height * rng.uniform(0.4, 0.55)
        for ring in range(12, 0, -1):
            radius = height * 0.07 * ring
            alpha = 30 + (12 - ring) * 12
            colour = colours[2] if ring % 3 else colours[3]
            draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=(*colour, alpha), width=12)
        core = height * 0.09
        draw.ellipse((cx - core, cy - core, cx + core, cy + core), fill=(*colours[3], 230))

    return _finish(_overlay(image, paint), HERO_SIZE)


def draw_landscape(seed, palette="sand"):
    """Rolling hills under a low sun: the long view of living well with pain."""
    rng = random.Random(seed)
    colours = PALETTES[palette]
    image = _canvas(HERO_SIZE, colours)
    width, height = image.size

    def paint(draw):
        sun = height * 0.13
        sx, sy = width * rng.uniform(0.62, 0.78), height * 0.34
        draw.ellipse((sx - sun, sy - sun, sx + sun, sy + sun), fill=(*colours[3], 210))
        for layer in range(4):
            base = height * (0.55 + layer * 0.11)
            amplitude = height * (0.06 - layer * 0.01)
            phase = rng.uniform(0, math.tau)
            points = [(0, height)]
            points += [
                (x, base + amplitude * math.sin(x / width * math.tau * (0.8 + layer * 0.3) + phase))
                for x in range(0, width + 40, 40)
            ]
            points.append((width, height))
            draw.polygon(points, fill=(*colours[2], 90 + layer * 40))

    return _finish(_overlay(image, paint), HERO_SIZE)


def draw_portrait(seed, palette="teal"):
    """A neutral avatar for a clinician: a plain head-and-shoulders silhouette on a soft disc, as
    profile pages show before a real photograph is uploaded. Deliberately no face."""
    rng = random.Random(seed)
    colours = PALETTES[palette]
    image = _canvas(PORTRAIT_SIZE, colours)
    width, height = image.size

    def paint(draw):
        _soft_circles(draw, rng, width, height, colours[4], count=2)
        cx = width / 2
        disc = width * 0.42
        draw.ellipse((cx - disc, height / 2 - disc, cx + disc, height / 2 + disc), fill=(*colours[4], 150))
        # Shoulders: the top of a wide rounded shape, cut off by the bottom edge.
        shoulders_top = height * 0.66
        draw.rounded_rectangle(
            (cx - width * 0.34, shoulders_top, cx + width * 0.34, height * 1.2),
            radius=width * 0.22,
            fill=(*colours[2], 235),
        )
        head = width * 0.15
        head_y = height * 0.44
        draw.ellipse((cx - head, head_y - head * 1.1, cx + head, head_y + head * 1.1), fill=(*colours[2], 235))

    image = _overlay(image, paint).filter(ImageFilter.SMOOTH)
    return _finish(image, PORTRAIT_SIZE)


DRAWINGS = {
    "spine": draw_spine,
    "joint": draw_joint,
    "waves": draw_waves,
    "ripples": draw_ripples,
    "landscape": draw_landscape,
    "portrait": draw_portrait,
}


@functools.lru_cache(maxsize=32)
def render_jpeg(kind, seed, palette):
    """The drawing as JPEG bytes, ready to hand to an ImageField (cached: drawings are deterministic)."""
    image = DRAWINGS[kind](seed, palette)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()
