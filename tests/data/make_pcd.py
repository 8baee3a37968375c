"""Small PCD point clouds written with pypcd4 in each encoding: a 20 x 10 grid bent into a bowl."""
from pathlib import Path

import numpy as np

POINTS = 200


def bowl(points: int = POINTS) -> np.ndarray:
    """Regular coordinates, so LZF finds repeats and binary_compressed really is compressed."""
    index = np.arange(points)
    x, y = index % 20, index // 20
    return np.column_stack([x, y, ((x - 10) ** 2 + (y - 5) ** 2) / 4]).astype(np.float32)


def make_pcd(folder: Path, encoding: str = "binary", name: str | None = None) -> Path:
    """`encoding` is one of ascii, binary, binary_compressed."""
    import pypcd4

    path = Path(folder) / (name or f"bowl_{encoding}.pcd")
    cloud = pypcd4.PointCloud.from_xyz_points(bowl())
    cloud.save(path, encoding=pypcd4.Encoding(encoding))
    return path
