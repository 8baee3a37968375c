"""Recognising a file's format from its first bytes (and TIFF tags), whatever its name says."""
import os

HEAD_BYTES = 4096
TAIL_BYTES = 65536
FEI_TAGS = (34680, 34682)  # FEI_SFEG, FEI_HELIOS
ZEISS_TAG = 34118  # CZ_SEM
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image"),
    (b"\xff\xd8\xff", "image"),
    (b"GIF87a", "image"),
    (b"GIF89a", "image"),
    (b"II\x97\x01", "tia"),  # SER: byte order II, series id 0x0197
    (b"#FORMAT", "msa"),
    (b"# .PCD", "pcd"),
    (b"VERSION .7", "pcd"),
    (b"VERSION 0.7", "pcd"),
    (b"AAMVHFSS", "bruker"),  # Bruker .bcf: an SFS container
    (b"MQ1,", "mib"),  # Quantum Detectors Merlin frame header
    (b"HDR,", "sidecar"),  # Merlin acquisition header
    (b"PK\x03\x04", "zip"),  # resolved below: Nion Swift .ndata is a zip of metadata.json and data.npy
    (b"\x93NUMPY", "rsciio_any"),
    (b"\x89HDF\r\n\x1a\n", "hdf5"),  # resolved below by the groups and attributes inside
)
TEXT_SIGNATURES = (  # text formats recognised by what they contain, tried on the first kilobytes
    (b"<TRTSpectrum", "bruker"),  # Bruker .spx
    (b"[MAIN]", "sidecar"),  # TESCAN .hdr
    (b"[SEM]", "sidecar"),
    (b"[FIB]", "sidecar"),
    (b"PixelSpacing =", "sidecar"),  # SerialEM .mdoc
    (b"[ZValue =", "sidecar"),
    (b"<raw_file", "rsciio_any"),  # EMPAD .xml
    (b"<LSX_Tree", "rsciio_any"),  # Horiba Jobin Yvon .xml
    (b"Protochips", "rsciio_any"),
)
HIM_TAGS = (65000, 51023)  # Zeiss Orion <ImageTags> XML, Fibics XML
TESCAN_TAG = 50431
TVIPS_TAG = 37706


def _tiff_family(path) -> str:
    import tifffile

    try:
        with tifffile.TiffFile(os.fspath(path)) as handle:
            page_tags = handle.pages[0].tags
            if any(code in page_tags for code in FEI_TAGS):
                return "tiff_fei"
            if any(code in page_tags and b"<" in _raw(page_tags[code])[:64] for code in HIM_TAGS):
                return "tiff_him"
            if ZEISS_TAG in page_tags:
                return "tiff_zeiss"
            if TESCAN_TAG in page_tags:
                return "tiff_tescan"
    except Exception:  # noqa: BLE001 - a damaged TIFF is still a TIFF; its reader reports the damage
        pass
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - TAIL_BYTES))
        tail = handle.read()
    if b"[User]" in tail and (b"[Beam]" in tail or b"[EBeam]" in tail or b"[Scan]" in tail):
        return "tiff_fei"
    return "tiff"


def _raw(tag) -> bytes:
    value = tag.value
    return value if isinstance(value, bytes) else str(value).encode("latin-1", "replace")


def _hdf5_family(path) -> str:
    """Which reader an HDF5 file belongs to, from its top-level groups and attributes."""
    import h5py

    try:
        with h5py.File(path, "r") as handle:
            keys, attrs = set(handle.keys()), set(handle.attrs.keys())
            if "Data" in keys and ("Version" in keys or "Application" in keys) or "version_major" in attrs:
                return "emd"  # Velox EMD, NCEM EMD
            if "Experiments" in keys or handle.attrs.get("file_format") in (b"HyperSpy", "HyperSpy"):
                return "hspy"
            if "TofDAQ Version" in attrs or "FullSpectra" in keys:
                return "tofwerk"
            if "data" in keys and "properties" in handle["data"].attrs:
                return "nion"
            if "Acquisition0" in keys:
                return "rsciio_any"  # Delmic
    except Exception:  # noqa: BLE001 - a damaged HDF5 file is still HDF5; its reader reports the damage
        pass
    return "hdf5"


def _zip_family(path) -> str | None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    return "nion" if {"metadata.json", "data.npy"} <= names else None


def _looks_like_text(head: bytes) -> bool:
    if not head or b"\x00" in head:
        return head.startswith((b"\xff\xfe", b"\xfe\xff"))
    controls = sum(1 for byte in head if byte < 9 or 13 < byte < 32)
    return controls == 0


def _is_dm(head: bytes) -> bool:
    """DM3: version 3, 4-byte length, byte order 0/1; DM4: version 4, 8-byte length, byte order 0/1."""
    if len(head) < 16:
        return False
    version = int.from_bytes(head[:4], "big")
    order = head[8:12] if version == 3 else head[12:16]
    return version in (3, 4) and order in (b"\x00\x00\x00\x00", b"\x00\x00\x00\x01")


def sniff(path) -> str | None:
    """Name of the extractor module the content belongs to, or None when nothing is recognised."""
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return _tiff_family(path)
    if _is_dm(head):
        return "dm"
    if head[:2] == b"BM" and len(head) >= 26 and int.from_bytes(head[2:6], "little") == os.path.getsize(path):
        return "image"
    if len(head) >= 212 and head[208:212] in (b"MAP ", b"MAP\x00") and not _looks_like_text(head[:64]):
        return "mrc"
    if head[4:12] == b"JED-2200":
        return "jeol"
    if head[:2] == b"IM" and os.fspath(path).lower().endswith(".img"):
        return "rsciio_any"  # Hamamatsu HPD-TA image
    for magic, name in _MAGIC:
        if head.startswith(magic):
            if name == "hdf5":
                return _hdf5_family(path)
            if name == "zip":
                return _zip_family(path)
            return name
    if _looks_like_text(head):
        for signature, name in TEXT_SIGNATURES:
            if signature in head:
                return name
        return "text"
    return None
