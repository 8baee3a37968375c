"""Interactive plots of a record's files: downsampled arrays served by the API, drawn by the page with uPlot.

A file's plot is read once per content (cached under DATA_ROOT/plots/ by sha256); later requests
read the small cached arrays, and a spectrum image's pixel spectrum is one small read from the
cached cube. While one request prepares a file, others get 503 with Retry-After instead of doing
the same work again.
"""
import fcntl
import os
from contextlib import contextmanager

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from records import plotdata

from lims.records.api import NOT_FOUND, VisibleFileMixin
from lims.sessions import objects

PLOTTED = plotdata.PLOTTED
RETRY_SECONDS = 2
# A web request reads at most this much decoded data to prepare a plot; larger files keep their preview.
MAX_DATA_BYTES = 512 * 1024**2


class Busy(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "This file's plot is being prepared; ask again in a moment."
    default_code = "plot_busy"


def _folder(data_file):
    return settings.DATA_ROOT / "plots" / data_file.sha256[:2] / data_file.sha256


@contextmanager
def _only_one(folder):
    """Hold the folder's lock for the block, or raise Busy when another request holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    handle = os.open(folder / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Busy()
        yield
    finally:
        os.close(handle)


def plot_of(data_file) -> dict:
    """The file's plot (see `records.plotdata.prepare`), prepared on first use."""
    if data_file.signal_type not in PLOTTED or data_file.error:
        raise exceptions.NotFound("This file has no spectrum to plot.")
    folder = _folder(data_file)
    found = plotdata.cached(folder)
    if found is not None:
        return found
    try:
        path = objects.readable_path(data_file.storage_key)
    except FileNotFoundError:
        raise exceptions.NotFound("The file is not in storage.") from None
    if not path.is_file():
        raise exceptions.NotFound("The file is not in storage.")
    with _only_one(folder):
        found = plotdata.cached(folder)  # prepared while this request waited for the lock
        if found is not None:
            return found
        try:
            return plotdata.prepare(path, folder, max_bytes=MAX_DATA_BYTES)
        except plotdata.NotPlottable as exc:
            raise exceptions.NotFound(str(exc))


def _index(request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: f"must be a whole number, not {raw[:20]!r}."})


class FilePlotView(VisibleFileMixin, APIView):
    """A spectrum's points, or a spectrum image's navigator and summed spectrum; with x and y, one pixel's spectrum."""

    @extend_schema(
        parameters=[OpenApiParameter("x", int, description="Navigator column (spectrum images)."),
                    OpenApiParameter("y", int, description="Navigator row (spectrum images).")],
        responses={200: OpenApiTypes.OBJECT, 404: NOT_FOUND,
                   503: OpenApiResponse(description="Being prepared; retry after the Retry-After seconds.")},
    )
    def get(self, request, pk: int, file_id: int):
        data_file = self.visible_file(pk, file_id)
        try:
            plot = plot_of(data_file)
        except Busy:
            return Response({"detail": Busy.default_detail, "code": Busy.default_code},
                            status=status.HTTP_503_SERVICE_UNAVAILABLE, headers={"Retry-After": str(RETRY_SECONDS)})
        x, y = _index(request, "x"), _index(request, "y")
        if x is None and y is None:
            return Response(plot)
        if plot["kind"] != "spectrum_image" or x is None or y is None:
            raise exceptions.ValidationError({"x": "x and y pick a pixel of a spectrum image's navigator."})
        spectrum = plotdata.pixel(_folder(data_file), x, y)
        if spectrum is None:
            raise exceptions.ValidationError({"x": "The pixel is outside the navigator."})
        return Response({"x": x, "y": y, "values": spectrum})
