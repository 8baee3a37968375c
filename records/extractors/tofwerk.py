"""Tofwerk TofDAQ / fibTOF ToF-SIMS HDF5 files (.h5) from a FIB: the sum mass spectrum and the FIB
secondary-electron images of the depth slices, with the FIB (voltage, current, field of view), ToF
(ion polarity, mass calibration), DAQ (hardware, TofDAQ version) and chamber pressure attributes,
read with rsciio.tofwerk. Format described by the RosettaSciIO Tofwerk docs and Tofwerk's TofDAQ
HDF5 documentation.
"""
from records.extractors.base import nonzero
from records.extractors.rsciio_result import extraction

NAME = "tofwerk"
EXTENSIONS = (".h5",)
_FIB = "Acquisition_instrument.FIB_SIMS."


MAPPING = (
    (_FIB + "FIB.voltage_kV", "acceleration_voltage", "kV", nonzero),
    (_FIB + "FIB.current_A", "beam_current", "A", nonzero),
    (_FIB + "FIB.view_field_mm", "horizontal_field_width", "mm", nonzero),
    (_FIB + "FIB.pixel_size_um", "pixel_size_x", "um", nonzero),
    (_FIB + "FIB.pixel_size_um", "pixel_size_y", "um", nonzero),
    (_FIB + "FIB.hardware", "model", None, lambda v: f"{v} FIB"),
    (_FIB + "ToF.ion_mode", "polarity", None, str),
    (_FIB + "chamber_pressure_Pa", "chamber_pressure", "Pa", nonzero),
    (_FIB + "DAQ.hardware", "detector", None, str),
    (_FIB + "DAQ.tofdaq_version", "software_version", None, lambda v: f"TofDAQ {v}"),
    (_FIB + "n_depth_slices", "frame_count", None, int),
)


def extract(path):
    """Read the sum spectrum and the FIB images of a Tofwerk file with their attributes."""
    from rsciio.tofwerk import file_reader

    try:
        entries = file_reader(str(path), lazy=True, signal=["sum_spectrum", "fib_images"], show_progressbar=False)
    except (KeyError, ValueError):  # pre-processed files may hold no FIB images
        entries = file_reader(str(path), lazy=True, show_progressbar=False)
    return extraction(path, "Tofwerk ToF-SIMS HDF5", NAME, entries, MAPPING, tree=lambda e: e["metadata"],
                      common={"vendor": "Tofwerk", "acquisition_mode": "ToF-SIMS", "beam_species": "ion"})
