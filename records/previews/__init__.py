"""Registry of previews: one renderer per signal type, a placeholder for files with errors."""
import importlib
from pathlib import Path

# signal_type -> module in records/previews/
RENDERERS = {
    "image": "image",
    "diffraction": "diffraction",
    "spectrum": "spectrum",
    "spectrum_image": "spectrum_image",
    "stack": "stack",
    "4d": "fourd",
    "point_cloud": "pointcloud",
    "text": "text",
}


def render(extraction, out_path, size: int = 500) -> Path | None:
    """Write the preview PNG of `extraction`; None for files that have neither data nor an error."""
    if extraction.loader is None or extraction.signal_type not in RENDERERS:
        if extraction.error:
            return importlib.import_module("records.previews.placeholder").render(extraction, out_path, size)
        return None
    renderer = importlib.import_module(f"records.previews.{RENDERERS[extraction.signal_type]}")
    return renderer.render(extraction, Path(out_path), size)
