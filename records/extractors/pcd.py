"""Point Cloud Library .pcd point clouds (ascii, binary, binary_compressed; organized or not): the
header (FIELDS, WIDTH, HEIGHT, POINTS, VIEWPOINT, DATA) and the points, read with pypcd4.
Format described at pointclouds.org, "The PCD (Point Cloud Data) file format".
"""
from records.extractors.base import Data, Extraction, apply_mapping, jsonable

NAME = "pcd"
EXTENSIONS = (".pcd",)

MAPPING = (
    ("points", "n_points", None, int),
    ("data", "encoding", None, None),
    ("fields", "fields", None, list),
)


def _header(metadata) -> dict:
    return {
        "version": metadata.version, "fields": list(metadata.fields), "size": list(metadata.size),
        "type": list(metadata.type), "count": list(metadata.count), "width": metadata.width,
        "height": metadata.height, "points": metadata.points, "viewpoint": list(metadata.viewpoint),
        "data": getattr(metadata.data, "value", str(metadata.data)),
    }


def extract(path) -> Extraction:
    """Read the header and points of a PCD file (small: the points are kept for the preview)."""
    import numpy as np
    import pypcd4

    from records.errors import UnreadableFile

    try:
        cloud = pypcd4.PointCloud.from_path(str(path))
    except (ValueError, KeyError, IndexError, EOFError) as exc:
        raise UnreadableFile(f"not a readable PCD file: {exc}") from exc
    header = _header(cloud.metadata)
    metadata, warnings = apply_mapping(header, MAPPING)
    fields = header["fields"]
    if not {"x", "y", "z"} <= set(fields):
        raise UnreadableFile(f"a point cloud needs x, y and z fields; this one has {', '.join(fields)}")
    points = cloud.pc_data
    xyz = np.column_stack([points["x"], points["y"], points["z"]]).astype(np.float32)
    height, width = int(header["height"]), int(header["width"])
    axes = [{"name": "point", "size": len(xyz), "scale": 1.0, "offset": 0.0, "unit": "", "navigate": True}]
    if height > 1:
        axes = [{"name": "row", "size": height, "scale": 1.0, "offset": 0.0, "unit": "", "navigate": True},
                {"name": "column", "size": width, "scale": 1.0, "offset": 0.0, "unit": "", "navigate": True}]
    metadata.update({"signal_type": "point_cloud", "dimensions": axes, "data_type": str(points.dtype)})
    if len(xyz) != int(header["points"]):
        warnings.append(f"header says {header['points']} points, {len(xyz)} were read")
    return Extraction(
        path=str(path), format="PCD point cloud", extractor=NAME, metadata=metadata,
        original_metadata=jsonable(header), warnings=tuple(warnings),
        loader=lambda: Data(xyz, tuple(axes)), data_bytes=xyz.nbytes,
    )
