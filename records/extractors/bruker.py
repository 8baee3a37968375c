"""Bruker Esprit files: .bcf hypermaps (SEM images and the EDS spectrum image, one signal each) and
.spx single EDS spectra (XML), with the microscope (HV, WD, magnification, stage), detector (type,
serial, window, angles) and spectrum (calibration, live/real/dead time, elements) headers, read with
rsciio.bruker. Formats described by the RosettaSciIO Bruker docs.
"""
from records.extractors.base import nonzero
from records.extractors.rsciio_result import extraction, lazy_for

NAME = "bruker"
EXTENSIONS = (".bcf", ".spx")


MAPPING = (
    ("Microscope.HV", "acceleration_voltage", "kV", nonzero),
    ("Analysis.PrimaryEnergy", "acceleration_voltage", "kV", nonzero),
    ("Microscope.WD", "working_distance", "mm", nonzero),
    ("Analysis.WorkingDistance", "working_distance", "mm", nonzero),
    ("Microscope.Mag", "magnification", None, nonzero),
    ("Analysis.Magnification", "magnification", None, nonzero),
    ("Stage.X", "stage_x", "um", float),
    ("Stage.Y", "stage_y", "um", float),
    ("Stage.Z", "stage_z", "um", float),
    ("Stage.Rotation", "stage_rotation", "deg", float),
    ("DSP Configuration.TiltAngle", "stage_alpha", "deg", float),
    ("DSP Configuration.PixelTime", "dwell_time", "us", nonzero),
    ("Detector.Type", "detector", None, str),
    ("Detector.Technology", "detector_type", None, str),
    ("Detector.Serial", "serial_number", None, str),
    ("Detector.WindowType", "detector_window", None, str),
    ("Analysis.ElevationAngle", "detector_elevation", "deg", float),
    ("Analysis.AzimutAngle", "detector_azimuth", "deg", float),
    ("Hardware.RealTime", "real_time", "ms", float),
    ("Hardware.LifeTime", "live_time", "ms", float),
    ("Hardware.DeadTime", "dead_time", "%", float),
    ("Spectrum.CalibLin", "energy_dispersion", "keV", float),
    ("Spectrum.CalibAbs", "energy_offset", "keV", float),
)


def extract(path):
    """Read every signal of a Bruker file with its headers; data is read only by the loaders."""
    from rsciio.bruker import file_reader

    entries = file_reader(str(path), lazy=lazy_for(path))
    kind = "Bruker SPX" if str(path).lower().endswith(".spx") or len(entries) == 1 and \
        entries[0]["data"].ndim == 1 else "Bruker BCF"
    return extraction(path, kind, NAME, entries, MAPPING, common={"vendor": "Bruker", "acquisition_mode": "SEM"})
