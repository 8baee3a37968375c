"""Nion Swift data items: .ndata (a zip of metadata.json and data.npy) and .h5 (a "data" dataset with a
JSON "properties" attribute), with the Swift properties: title, creation time, spatial and intensity
calibrations, and the hardware-source metadata (autostem high tension, camera exposure, binning).
Read with zipfile, numpy and h5py. Formats described in the Nion Swift documentation ("Data items")
and its nionswift-io source.
"""
import json
import zipfile

from records.errors import UnreadableFile
from records.extractors.axes import arrange, classify, pixel_sizes
from records.extractors.base import Data, Extraction, apply_mapping, array_bytes, dimensions, jsonable, nonzero

NAME = "nion"
EXTENSIONS = (".ndata",)
MAX_PROPERTIES_BYTES = 16 * 1024**2


MAPPING = (
    ("metadata.hardware_source.autostem.high_tension", "acceleration_voltage", "V", nonzero),
    ("metadata.instrument.high_tension", "acceleration_voltage", "V", nonzero),
    ("metadata.hardware_source.autostem.beam_current", "beam_current", "A", nonzero),
    ("metadata.hardware_source.autostem.convergence_angle", "convergence_angle", "rad", nonzero),
    ("metadata.hardware_source.exposure", "exposure_time", "s", nonzero),
    ("metadata.hardware_source.binning", "binning", None, int),
    ("metadata.hardware_source.hardware_source_name", "detector", None, str),
    ("metadata.scan.pixel_time_us", "dwell_time", "us", nonzero),
    ("metadata.hardware_source.pixel_time_us", "dwell_time", "us", nonzero),
    ("title", "title", None, str),
)


def _properties_from_zip(path) -> tuple[dict, object]:
    import numpy as np

    try:
        archive = zipfile.ZipFile(path)
        with archive:
            if archive.getinfo("metadata.json").file_size > MAX_PROPERTIES_BYTES:
                raise UnreadableFile("metadata.json is too large")
            properties = json.loads(archive.read("metadata.json"))
            with archive.open("data.npy") as handle:
                version = np.lib.format.read_magic(handle)
                read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) \
                    else np.lib.format.read_array_header_2_0
                shape, _, dtype = read_header(handle)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile(f"not a Nion Swift .ndata: {exc}") from exc

    def read():
        with zipfile.ZipFile(path) as again, again.open("data.npy") as handle:
            return np.load(handle)

    return properties, (shape, dtype, read)


def _properties_from_h5(path) -> tuple[dict, object]:
    import h5py

    with h5py.File(path, "r") as handle:
        data = handle["data"]
        text = data.attrs["properties"]
        properties = json.loads(text if isinstance(text, str) else bytes(text).decode("utf-8"))
        shape, dtype = data.shape, data.dtype

    def read():
        with h5py.File(path, "r") as again:
            return again["data"][()]

    return properties, (shape, dtype, read)


def _axes(properties: dict, shape: tuple) -> list[dict]:
    calibrations = properties.get("spatial_calibrations") or [{} for _ in shape]
    names = ["z", "y", "x"][-len(shape):] if len(shape) <= 3 else [f"axis{i}" for i in range(len(shape))]
    return dimensions([{"name": name, "size": size, "scale": c.get("scale", 1.0), "offset": c.get("offset", 0.0),
                        "units": c.get("units", "")} for name, size, c in zip(names, shape, calibrations)])


def extract(path) -> Extraction:
    """Read the properties and the data header of a Swift data item; the data is read by the loader."""
    if str(path).lower().endswith(".ndata"):
        properties, (shape, dtype, read) = _properties_from_zip(path)
    else:
        properties, (shape, dtype, read) = _properties_from_h5(path)
    metadata, warnings = apply_mapping(properties, MAPPING)
    axes = _axes(properties, tuple(shape))
    signal_type = classify(axes)
    arranged, permutation = arrange(axes, signal_type)
    metadata.update({"signal_type": signal_type, "dimensions": arranged, "data_type": str(dtype), "vendor": "Nion"})
    metadata.update(pixel_sizes(arranged, signal_type))
    if properties.get("created"):
        metadata["acquisition_time"] = str(properties["created"])[:19]

    def load() -> Data:
        import numpy as np

        return Data(np.transpose(read(), permutation), tuple(arranged))

    return Extraction(path=str(path), format="Nion Swift", extractor=NAME, metadata=metadata,
                      original_metadata=jsonable(properties), warnings=tuple(warnings), loader=load,
                      data_bytes=array_bytes(shape, dtype))
