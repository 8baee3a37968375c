"""HyperSpy's own files: .hspy (HDF5) and .zspy (zarr, zipped), one signal per saved signal, with the
HyperSpy metadata tree (Acquisition_instrument, Sample, General) that HyperSpy and RosettaSciIO fill
from every vendor format, read with rsciio.hspy and rsciio.zspy. Format described by the HyperSpy
user guide ("HSpy - HyperSpy's HDF5 Specification") and the RosettaSciIO docs.
"""
from records.extractors.rsciio_result import extraction, lazy_for

NAME = "hspy"
EXTENSIONS = (".hspy", ".zspy")
MAPPING = ()  # the metadata tree is HyperSpy's own: rsciio_result.HYPERSPY_MAPPING reads it


def extract(path):
    """Read every signal of a HyperSpy file with its metadata tree; data is read only by the loaders."""
    if str(path).lower().endswith(".zspy"):
        from rsciio.zspy import file_reader
    else:
        from rsciio.hspy import file_reader

    entries = file_reader(str(path), lazy=lazy_for(path))
    return extraction(path, "HyperSpy", NAME, entries, MAPPING)
