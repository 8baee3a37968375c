"""Any file: size, modification time and a MIME type guessed from the name, with the standard
library only. It reads no content and never fails, so every file gets a description.
"""
import mimetypes
import os

from records.extractors.base import Extraction, file_facts

NAME = "basic"
EXTENSIONS = ()
MAPPING = ()


def extract(path) -> Extraction:
    """Describe a file by its name and file-system facts."""
    metadata = {"signal_type": "other"}
    warnings = []
    try:
        metadata.update(file_facts(path))
    except OSError as exc:
        warnings.append(f"file facts unavailable: {exc.strerror or exc}")
    mime, _ = mimetypes.guess_type(os.fspath(path))
    if mime:
        metadata["mime_type"] = mime
    return Extraction(path=os.fspath(path), format="unknown", extractor=NAME, metadata=metadata,
                      warnings=tuple(warnings))
