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
)


def _tiff_family(path) -> str:
    import tifffile

    try:
        with tifffile.TiffFile(os.fspath(path)) as handle:
            page_tags = handle.pages[0].tags
            if any(code in page_tags for code in FEI_TAGS):
                return "tiff_fei"
            if ZEISS_TAG in page_tags:
                return "tiff_zeiss"
    except Exception:  # noqa: BLE001 - a damaged TIFF is still a TIFF; its reader reports the damage
        pass
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        handle.seek(max(0, handle.tell() - TAIL_BYTES))
        tail = handle.read()
    if b"[User]" in tail and (b"[Beam]" in tail or b"[EBeam]" in tail or b"[Scan]" in tail):
        return "tiff_fei"
    return "tiff"


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
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    if _looks_like_text(head):
        return "text"
    return None
