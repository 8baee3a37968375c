"""MRC 2014 files (.mrc, .ali, .st, .rec): images, image stacks and tomographic volumes from cryo-EM,
tomography and Direct Electron cameras, with the FEI extended header (tilt, stage, exposure, pixel
size, magnification, high tension) when present and the SerialEM .mdoc autodoc beside the file
(voltage, magnification, spot size, exposure, binning, tilt, date), read with rsciio.mrc. Format
described at ccpem.ac.uk/mrc_format and in the SerialEM autodoc documentation.
"""
from pathlib import Path

from records.extractors.base import iso_time, nonzero
from records.extractors.headers import mdoc_tree
from records.extractors.rsciio_result import extraction, lazy_for

NAME = "mrc"
EXTENSIONS = (".mrc", ".ali", ".st", ".rec", ".mrcs")
MAX_MDOC_BYTES = 4 * 1024**2
_MDOC_DATES = ("%d-%b-%y %H:%M:%S", "%d-%b-%Y %H:%M:%S")


def _first(value):
    return float(str(value).split()[0])


def _second(value):
    return float(str(value).split()[1])


def _binning(value):
    return int(float(value))


MAPPING = (
    ("fei_header.a_tilt", "stage_alpha", "deg", float),
    ("fei_header.b_tilt", "stage_beta", "deg", float),
    ("fei_header.x_stage", "stage_x", "m", float),
    ("fei_header.y_stage", "stage_y", "m", float),
    ("fei_header.z_stage", "stage_z", "m", float),
    ("fei_header.exp_time", "exposure_time", "s", nonzero),
    ("fei_header.magnification", "magnification", None, nonzero),
    ("fei_header.ht", "acceleration_voltage", "V", nonzero),
    ("fei_header.binning", "binning", None, _binning),
)
MDOC_ROWS = (  # SerialEM autodoc keys (global, then the first section's); also read by the sidecar module
    ("mdoc.Voltage", "acceleration_voltage", "kV", nonzero),
    ("mdoc.Magnification", "magnification", None, nonzero),
    ("mdoc.SpotSize", "spot_size", None, float),
    ("mdoc.ExposureTime", "exposure_time", "s", nonzero),
    ("mdoc.Binning", "binning", None, _binning),
    ("mdoc.TiltAngle", "stage_alpha", "deg", float),
    ("mdoc.StagePosition", "stage_x", "um", _first),
    ("mdoc.StagePosition", "stage_y", "um", _second),
    ("mdoc.StageZ", "stage_z", "um", float),
    ("mdoc.NumSubFrames", "frame_count", None, int),
    ("mdoc.PixelSpacing", "pixel_size_x", "angstrom", nonzero),
    ("mdoc.PixelSpacing", "pixel_size_y", "angstrom", nonzero),
    ("mdoc.CameraIndex", "detector", None, lambda v: f"camera {v}"),
)
MAPPING = MAPPING + MDOC_ROWS


def _mdoc(path: Path) -> tuple[dict, str | None]:
    """The autodoc of `path` (name.mrc.mdoc or name.mdoc) as one flat tree: its global keys with the
    first section's on top; and the autodoc's file name."""
    for candidate in (path.with_name(path.name + ".mdoc"), path.with_suffix(".mdoc")):
        if candidate.is_file() and candidate.stat().st_size <= MAX_MDOC_BYTES:
            return mdoc_tree(candidate.read_text(encoding="latin-1")), candidate.name
    return {}, None


def _volume(entry: dict) -> bool:
    """An MRC whose space group says volume (1-230), not image stack (0) or stack of volumes (401+)."""
    space_group = (entry["original_metadata"].get("std_header") or {}).get("ISPG", 0)
    return 0 < int(space_group) < 401


def extract(path):
    """Read the MRC header (and FEI extended header, and .mdoc) and the calibrated axes."""
    from rsciio.mrc import file_reader

    path = Path(path)
    entries = file_reader(str(path), lazy=lazy_for(path))
    mdoc, mdoc_name = _mdoc(path)
    for entry in entries:
        if mdoc:
            entry["original_metadata"]["mdoc"] = mdoc
        if entry["data"].ndim == 3:  # name the third axis for the preview: a volume's z or a stack's frame
            depth, width = entry["axes"][0], entry["axes"][-1]
            depth["name"] = "z" if _volume(entry) else "frame"
            if depth["name"] == "z" and not depth.get("units"):  # voxels share the header's length unit
                depth["units"] = width.get("units")
    common = {"companion": mdoc_name} if mdoc_name else {}
    if mdoc.get("DateTime"):
        acquired = iso_time(" ".join(mdoc["DateTime"].split()), "", _MDOC_DATES)
        if acquired:
            common["acquisition_time"] = acquired
    return extraction(path, "MRC", NAME, entries, MAPPING, common=common)
