"""Default resource limits for reading one file: wall time and decoded data size."""

TIME_LIMIT_SECONDS = 120.0  # per file, extraction and preview together
MAX_DATA_BYTES = 2 * 1024**3  # decoded array size above which the data is not loaded for a preview
