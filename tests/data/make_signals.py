"""Small files of the formats RosettaSciIO writes (HyperSpy .hspy, NCEM .emd, blockfile, Ripple,
DigitalSurf), made with RosettaSciIO's own writers from one signal dict, plus HDF5 files the tests
shape themselves with h5py (a second NCEM signal, Nion Swift, a plain HDF5) and a Nion .ndata zip."""
import io
import json
import zipfile
from pathlib import Path

import numpy as np

TEM = {"beam_energy": 200.0, "magnification": 50000.0, "camera_length": 120.0, "convergence_angle": 21.0,
       "Stage": {"tilt_alpha": 12.0, "x": 0.5}, "Detector": {"EDS": {"live_time": 30.0, "elevation_angle": 18.0}}}


def axis(name: str, size: int, scale: float, units: str, navigate: bool, offset: float = 0.0) -> dict:
    return {"name": name, "size": size, "scale": scale, "offset": offset, "units": units, "navigate": navigate}


def signal(data: np.ndarray, axes: list[dict], title: str = "test", signal_type: str = "", **sample) -> dict:
    """A RosettaSciIO signal dict with HyperSpy's metadata tree (a TEM at 200 kV)."""
    metadata = {"General": {"title": title, "date": "2024-03-05", "time": "10:20:30"},
                "Signal": {"signal_type": signal_type},
                "Acquisition_instrument": {"TEM": TEM}}
    if sample:
        metadata["Sample"] = sample
    return {"data": data, "axes": axes, "metadata": metadata, "original_metadata": {"vendor": {"key": 1}},
            "tmp_parameters": {}, "attributes": {"_lazy": False}, "learning_results": {}, "models": {},
            "package_info": {"name": "lims tests", "version": "1"}}


def spectrum_image() -> dict:
    """A 6 x 8 EDS spectrum image of 512 channels (10 eV) with Fe and Cu peaks; elements named."""
    energy = np.arange(512) * 0.01
    spectrum = 5 + 200 * np.exp(-((energy - 6.4) ** 2) / 0.005) + 100 * np.exp(-((energy - 8.05) ** 2) / 0.005)
    data = np.tile(spectrum, (6, 8, 1)).astype(np.float32)
    axes = [axis("y", 6, 2.0, "nm", True), axis("x", 8, 2.0, "nm", True), axis("Energy", 512, 0.01, "keV", False)]
    return signal(data, axes, "EDS map", "EDS_TEM", elements=["Fe", "Cu"])


def image(shape=(48, 64)) -> dict:
    y, x = np.mgrid[: shape[0], : shape[1]]
    return signal((x * 3 + y).astype(np.uint16), [axis("y", shape[0], 0.5, "nm", False),
                                                  axis("x", shape[1], 0.5, "nm", False)], "HAADF")


def make_hspy(folder: Path, name: str = "map.hspy") -> Path:
    from rsciio.hspy import file_writer

    path = Path(folder) / name
    file_writer(str(path), spectrum_image(), show_progressbar=False)
    return path


def make_ncem_emd(folder: Path, name: str = "two.emd") -> Path:
    """An NCEM EMD holding an image and, copied in beside it, a second signal group."""
    import h5py
    from rsciio.emd import file_writer

    path = Path(folder) / name
    file_writer(str(path), image())
    with h5py.File(path, "r+") as handle:
        signals = handle["signals"]
        handle.copy(signals["HAADF"], signals, name="BF")
        signals["BF"]["data"][...] = signals["BF"]["data"][...][::-1]
        handle["microscope"].attrs["voltage"] = "200 kV"
    return path


def make_blockfile(folder: Path, name: str = "scan.blo") -> Path:
    """A 4 x 5 scan of 32 x 32 diffraction patterns (NanoMegas blockfile, 4-D)."""
    from rsciio.blockfile import file_writer

    patterns = np.zeros((4, 5, 32, 32), dtype=np.uint8)
    patterns[:, :, 14:18, 14:18] = 200
    patterns[1, 2, 14:18, 14:18] = 20
    axes = [axis("y", 4, 1.5, "nm", True), axis("x", 5, 1.5, "nm", True), axis("ky", 32, 0.1, "1/nm", False),
            axis("kx", 32, 0.1, "1/nm", False)]
    path = Path(folder) / name
    file_writer(str(path), signal(patterns, axes, "patterns", "electron_diffraction"), show_progressbar=False)
    return path


def make_ripple(folder: Path, name: str = "map.rpl") -> Path:
    from rsciio.ripple import file_writer

    path = Path(folder) / name
    file_writer(str(path), spectrum_image())
    return path


def make_digitalsurf(folder: Path, name: str = "surface.sur") -> Path:
    from rsciio.digitalsurf import file_writer

    path = Path(folder) / name
    heights = image(shape=(24, 32))
    heights["data"] = heights["data"].astype(np.float32)
    heights["axes"] = [axis("y", 24, 0.5, "um", False), axis("x", 32, 0.5, "um", False)]
    file_writer(str(path), heights)
    return path


NION_PROPERTIES = {"title": "HAADF 4", "created": "2024-03-05T10:20:30.123",
                   "spatial_calibrations": [{"offset": 0.0, "scale": 0.2, "units": "nm"},
                                            {"offset": 0.0, "scale": 0.2, "units": "nm"}],
                   "metadata": {"hardware_source": {"autostem": {"high_tension": 100000.0},
                                                    "hardware_source_name": "HAADF", "pixel_time_us": 4.0}}}


def make_nion(folder: Path, name: str = "haadf.ndata", h5: bool = False) -> Path:
    """A Nion Swift data item: 40 x 50 float32 at 0.2 nm, 100 kV."""
    data = np.add.outer(np.arange(40), np.arange(50)).astype(np.float32)
    path = Path(folder) / name
    if h5:
        import h5py

        with h5py.File(path, "w") as handle:
            handle.create_dataset("data", data=data).attrs["properties"] = json.dumps(NION_PROPERTIES)
        return path
    buffer = io.BytesIO()
    np.save(buffer, data)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps(NION_PROPERTIES))
        archive.writestr("data.npy", buffer.getvalue())
    return path


def make_plain_hdf5(folder: Path, name: str = "results.h5") -> Path:
    import h5py

    path = Path(folder) / name
    with h5py.File(path, "w") as handle:
        handle.attrs["instrument"] = "beamline 7"
        handle.attrs["energy_keV"] = 12.4
        handle.create_dataset("scan/counts", data=np.arange(300, dtype=np.int32).reshape(10, 30))
        handle.create_dataset("scan/labels", data=np.array([b"a", b"b"]))
    return path
