"""Preview of a point cloud: an oblique orthographic projection, points coloured by depth."""
from pathlib import Path

import numpy as np

from records.previews.canvas import BACKGROUND, colours, save

YAW = np.radians(35.0)
PITCH = np.radians(25.0)
MARGIN = 10
DOT = 2  # half-size of a drawn point in pixels
DEPTH_COLOURS = 255  # palette entries 1..255 run along the depth colour map; a palette PNG encodes fast


def _rotate(xyz: np.ndarray) -> np.ndarray:
    yaw = np.array([[np.cos(YAW), -np.sin(YAW), 0], [np.sin(YAW), np.cos(YAW), 0], [0, 0, 1]])
    pitch = np.array([[1, 0, 0], [0, np.cos(PITCH), -np.sin(PITCH)], [0, np.sin(PITCH), np.cos(PITCH)]])
    return xyz @ (pitch @ yaw).T


def render(extraction, out_path, size: int = 500) -> Path:
    """Write a PNG of the points seen from an oblique angle, near points drawn over far ones."""
    from PIL import Image

    xyz = np.asarray(extraction.loader().array, dtype=np.float64).reshape(-1, 3)
    xyz = xyz[np.isfinite(xyz).all(axis=1)]
    canvas = np.zeros((size, size), dtype=np.uint8)  # palette index 0 is the background
    if len(xyz):
        view = _rotate(xyz - xyz.mean(axis=0))
        span = float(np.ptp(view[:, :2], axis=0).max()) or 1.0
        pixels = ((view[:, :2] - view[:, :2].min(axis=0)) / span * (size - 2 * MARGIN - 1) + MARGIN).astype(int)
        depth = view[:, 2]
        shade = (depth - depth.min()) / (np.ptp(depth) or 1.0)
        order = np.argsort(shade, kind="stable")
        index = 1 + (shade[order] * (DEPTH_COLOURS - 1)).round().astype(np.uint8)
        cols, rows = pixels[order, 0], size - 1 - pixels[order, 1]
        for dy in range(-DOT, DOT + 1):
            for dx in range(-DOT, DOT + 1):
                canvas[np.clip(rows + dy, 0, size - 1), np.clip(cols + dx, 0, size - 1)] = index
    image = Image.fromarray(canvas, "P")
    image.putpalette([*BACKGROUND, *colours(np.linspace(0, 1, DEPTH_COLOURS)).ravel().tolist()])
    return save(image, out_path)
