"""Any other HDF5 file (.h5, .hdf5, .hdf, .nxs that no other reader claims): the attributes of the root
group and the structure (groups, datasets with shape and type), and the largest numeric dataset as its
signal, read with h5py. Format described by The HDF Group's HDF5 specification.
"""
from records.extractors.axes import arrange, classify
from records.extractors.base import Data, Extraction, array_bytes, jsonable

NAME = "hdf5"
EXTENSIONS = (".h5", ".hdf5", ".hdf", ".he5")
MAPPING = ()  # no vendor vocabulary: the attributes are kept as they are in original_metadata
MAX_OBJECTS = 2000  # groups and datasets listed; a file with more is summarised


def _structure(handle) -> tuple[dict, str | None, int]:
    """(name -> "shape dtype" of datasets, the largest numeric dataset, how many objects were seen)."""
    import numpy as np

    listed, largest, count = {}, (0, None), 0

    def visit(name, obj):
        nonlocal largest, count
        count += 1
        if count > MAX_OBJECTS:
            return True  # stops the walk
        shape = getattr(obj, "shape", None)
        if shape is None:
            return None
        listed[name] = f"{shape} {obj.dtype}"
        size = int(np.prod(shape)) if shape else 0
        if obj.dtype.kind in "iufc" and len(shape) >= 1 and size > largest[0]:
            largest = (size, name)
        return None

    handle.visititems(visit)
    return listed, largest[1], count


def extract(path) -> Extraction:
    """Describe an HDF5 file by its attributes and structure; its largest numeric dataset is the signal."""
    import h5py

    from records.errors import UnreadableFile

    try:
        with h5py.File(path, "r") as handle:
            attributes = {str(k): v for k, v in list(handle.attrs.items())[:MAX_OBJECTS]}
            listed, largest, count = _structure(handle)
            shape, dtype = (handle[largest].shape, handle[largest].dtype) if largest else ((), None)
    except OSError as exc:
        raise UnreadableFile(f"not a readable HDF5 file: {exc}") from exc
    warnings = [f"more than {MAX_OBJECTS} groups and datasets; only the first are listed"] if count > MAX_OBJECTS else []
    metadata = {"signal_type": "other"}
    loader, size = None, 0
    if largest:
        axes = [{"name": f"axis{i}", "size": int(n), "scale": 1.0, "offset": 0.0, "unit": "", "navigate": False}
                for i, n in enumerate(shape)]
        signal_type = classify(axes)
        arranged, _ = arrange(axes, signal_type)
        metadata.update({"signal_type": signal_type, "dimensions": arranged, "data_type": str(dtype),
                         "title": largest})
        size = array_bytes(shape, dtype)

        def loader() -> Data:
            with h5py.File(path, "r") as again:
                return Data(again[largest][()], tuple(arranged))

    return Extraction(path=str(path), format="HDF5", extractor=NAME, metadata=metadata,
                      original_metadata=jsonable({"attributes": attributes, "datasets": listed}),
                      warnings=tuple(warnings), loader=loader, data_bytes=size)
