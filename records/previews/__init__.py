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


def _is_volume(extraction) -> bool:
    from records.previews.volume import is_volume

    return is_volume(extraction.metadata.get("dimensions") or [])


def render(extraction, out_path, size: int = 500) -> Path | None:
    """Write the preview PNG of `extraction`; None for files that have neither data nor an error."""
    if extraction.loader is None or extraction.signal_type not in RENDERERS:
        if extraction.error:
            return importlib.import_module("records.previews.placeholder").render(extraction, out_path, size)
        return None
    kind = RENDERERS[extraction.signal_type]
    if kind == "stack" and _is_volume(extraction):
        kind = "volume"
    renderer = importlib.import_module(f"records.previews.{kind}")
    return renderer.render(extraction, Path(out_path), size)
