"""Which worker queue reads a file: heavy files go to the queue "heavy", everything else stays on "celery".

A file is heavy when it is large (EXTRACT_HEAVY_MB or more), when its extension is one of
EXTRACT_HEAVY_EXTENSIONS (formats that usually hold spectrum images or 4D datasets), or when an earlier
read found a spectrum image or 4D data in it (a rebuild that reads files again). The decision uses only
what is known when the file is queued, never its bytes. Workers started with `-Q celery` never take heavy
work, `-Q heavy` takes it, and a worker started without -Q serves both (settings.CELERY_TASK_QUEUES).
"""
from collections.abc import Iterable
from pathlib import PurePosixPath

from django.conf import settings

LIGHT_QUEUE = "celery"
HEAVY_QUEUE = "heavy"
QUEUES = (LIGHT_QUEUE, HEAVY_QUEUE)
HEAVY_SIGNALS = frozenset({"spectrum_image", "4d"})
LIGHT_BATCH = 20  # light files per extraction task: fewer messages, still spread over workers
HEAVY_BATCH = 1  # a heavy file each: one slow file never holds up another behind it


def is_heavy(name: str, size: int, signal_type: str = "") -> bool:
    """Whether a file of this name and size (and signal type, when it was read before) is heavy work."""
    extensions = {f".{extension.lower().lstrip('.')}" for extension in settings.EXTRACT_HEAVY_EXTENSIONS}
    return (size >= settings.EXTRACT_HEAVY_MB * 1024 * 1024 or PurePosixPath(name).suffix.lower() in extensions
            or signal_type in HEAVY_SIGNALS)


def queue_for(datafile) -> str:
    """The queue whose workers extract this DataFile."""
    heavy = is_heavy(datafile.relative_path, datafile.size or 0, datafile.signal_type)
    return HEAVY_QUEUE if heavy else LIGHT_QUEUE


def batches(datafiles: Iterable) -> list[tuple[str, list[int]]]:
    """The files' ids in extraction batches, each with the queue that reads it (light batches first)."""
    ids = {queue: [] for queue in QUEUES}
    for datafile in datafiles:
        ids[queue_for(datafile)].append(datafile.pk)
    size = {LIGHT_QUEUE: LIGHT_BATCH, HEAVY_QUEUE: HEAVY_BATCH}
    return [(queue, ids[queue][i:i + size[queue]]) for queue in QUEUES for i in range(0, len(ids[queue]), size[queue])]
