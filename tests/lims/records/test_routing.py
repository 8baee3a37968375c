"""Which queue extracts a file: large files and heavy formats go to "heavy", the rest to "celery"."""
from types import SimpleNamespace

import pytest

from lims.records import routing

MiB = 1024 * 1024


def _file(pk, name, size, signal_type=""):
    return SimpleNamespace(pk=pk, relative_path=name, size=size, signal_type=signal_type)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.EXTRACT_HEAVY_MB = 100
    settings.EXTRACT_HEAVY_EXTENSIONS = [".bcf", ".MIB", "blo"]


@pytest.mark.parametrize(("name", "size", "signal_type", "heavy"), [
    ("frame.tif", 1 * MiB, "", False),
    ("frame.tif", 100 * MiB, "", True),  # the threshold itself is heavy
    ("frame.tif", 100 * MiB - 1, "", False),
    ("map.bcf", 10, "", True),
    ("scan/4D.mib", 10, "", True),  # extensions compare without case
    ("MAP.BCF", 10, "", True),
    ("scan.blo", 10, "", True),  # an extension given without its dot
    ("notes.txt", 10, "spectrum_image", True),  # read before as a spectrum image
    ("data.h5", 10, "4d", True),
    ("spectrum.msa", 10, "spectrum", False),
])
def test_it_decides_from_size_extension_and_known_signal(name, size, signal_type, heavy):
    assert routing.is_heavy(name, size, signal_type) is heavy
    assert routing.queue_for(_file(1, name, size, signal_type)) == ("heavy" if heavy else "celery")


def test_it_batches_light_files_together_and_heavy_files_one_each():
    files = [_file(i, f"frame{i}.tif", 10) for i in range(1, 46)] + [_file(100, "a.bcf", 10), _file(101, "b.bcf", 10)]

    batches = routing.batches(files)

    assert [(queue, len(ids)) for queue, ids in batches] == [("celery", 20), ("celery", 20), ("celery", 5),
                                                             ("heavy", 1), ("heavy", 1)]
    assert batches[-2:] == [("heavy", [100]), ("heavy", [101])]


def test_the_two_queues_are_what_a_worker_without_queues_serves(settings):
    from lims.celery import app

    assert [queue.name for queue in settings.CELERY_TASK_QUEUES] == ["celery", "heavy"]
    assert set(app.amqp.queues) >= {"celery", "heavy"}
    assert app.conf.task_default_queue == "celery"
