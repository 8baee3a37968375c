"""Groups a session's datasets into acquisition activities by time gaps and mode, and finds their setup.

Method (chosen from how instrument sessions look: files arrive at a steady cadence while someone
works, and pauses are where they move, re-align or change mode):

1. Datasets with an acquisition time are sorted by it; let g be the gaps between neighbours, in
   seconds (gaps under 0.5 s count as 0.5 s).
2. The session's own cadence sets the threshold. With at least MIN_GAPS_FOR_SPREAD gaps the typical
   gap is their median and the spread is the median absolute deviation (MAD) of log(g), scaled by
   1.4826 to estimate a standard deviation; the gap threshold is
   median * max(MIN_RATIO, exp(SPREAD_SIGMAS * sigma)). With fewer gaps there is nothing to estimate
   a spread from, so the typical gap is the smallest one and the ratio is MIN_RATIO.
3. The threshold is clamped to [FLOOR_SECONDS, CEILING_SECONDS] and divided by `sensitivity`
   (2.0 halves it, giving more activities). The floor keeps bursts (several files a second, then a
   few seconds of rest) together; the ceiling means a pause of more than half an hour always starts
   a new activity, which is what splits sessions of 2 or 3 files taken hours apart.
4. A gap above the threshold starts a new activity, and so does a change of mode (from the signal
   type, so image and stack are both imaging) between two datasets that both have one; text and
   other files (notes, logs, unknown formats) have no mode for this purpose, so a notes file
   written between two images does not cut the run. A change of file format starts one too, once
   the old format has run for MIN_FORMAT_RUN files: software that writes each spectrum twice (.spc
   and .msa, alternating) keeps one activity. Datasets without a time form one last activity.
5. The setup of an activity is every parameter that each of its datasets has with an equal value;
   quantities compare after conversion to SI base units with `records.units` (200000 V equals
   200 kV), numbers to 12 significant digits. The mode is the datasets' common mode ("other"
   counts only when it is the only one), or "mixed".

Everything is O(n log n) (one sort, one median) and needs no tuning per instrument. Compared with a
kernel density estimate whose bandwidth is grid-searched (minutes for a few hundred files, unable to
split 2 or 3 files, blind to a 10-minute pause in a 30-second cadence) this finds those cases and
groups 10,000 files in about a tenth of a second.
"""
import functools
import math
from collections.abc import Iterable
from datetime import datetime, timezone

import numpy as np

from records import units
from records.model import Activity, Dataset

MIN_GAP_SECONDS = 0.5
MIN_GAPS_FOR_SPREAD = 5
MIN_RATIO = 5.0
SPREAD_SIGMAS = 3.0
MAD_TO_SIGMA = 1.4826
FLOOR_SECONDS = 60.0
CEILING_SECONDS = 1800.0
MIN_FORMAT_RUN = 2  # a format change splits only after a run of this many files in the old format
SIGNIFICANT_DIGITS = 12
SKIPPED_IN_SETUP = frozenset({"acquisition_time", "signals"})  # differ between files by nature; a file's own
MODES = {
    "image": "imaging",
    "stack": "imaging",
    "diffraction": "diffraction",
    "spectrum": "spectroscopy",
    "spectrum_image": "spectrum_imaging",
    "4d": "4d_stem",
    "point_cloud": "point_cloud",
    "text": "other",
    "other": "other",
}
NEUTRAL_MODES = frozenset({"other"})  # notes, logs and unknown files never start an activity by themselves
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def mode_of(signal_type: str) -> str | None:
    """The acquisition mode a signal type belongs to, None when the type is unknown or empty."""
    return MODES.get(signal_type or "")


def _round(value: float) -> float:
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def _is_quantity(value) -> bool:
    return isinstance(value, dict) and "value" in value and "unit" in value


@functools.lru_cache(maxsize=4096)
def _quantity(magnitude: float, unit: str) -> tuple:
    """("q", magnitude in SI base units, rounded); cached since sessions repeat their settings."""
    if not unit:
        return ("q", _round(magnitude), "")
    try:
        return ("q", _round(units.to_base({"value": magnitude, "unit": unit})), "base")
    except Exception:  # pint raises many unrelated types for unit strings it cannot read
        return ("q", _round(magnitude), unit)


def _comparable(value):
    """A hashable form of a metadata value in which equal physical values are equal."""
    if isinstance(value, dict):
        if _is_quantity(value) and isinstance(value["value"], (int, float)) and not isinstance(value["value"], bool):
            return _quantity(float(value["value"]), str(value["unit"] or ""))
        return ("d", tuple(sorted((str(k), _comparable(v)) for k, v in value.items())))
    if type(value).__module__ == "numpy" and hasattr(value, "tolist"):
        return _comparable(value.tolist())
    if isinstance(value, (list, tuple)):
        return ("l", tuple(_comparable(v) for v in value))
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float)):
        return ("q", _round(float(value)), "")
    return ("s", str(value))


def _equal(a, b) -> bool:
    """Whether two metadata values are physically equal; pint is consulted only when units differ."""
    try:
        if a is b or a == b:
            return True
    except ValueError:  # numpy arrays compare element-wise; their comparable forms are compared below
        pass
    if _is_quantity(a) and _is_quantity(b) and a["unit"] == b["unit"] \
            and isinstance(a["value"], (int, float)) and isinstance(b["value"], (int, float)):
        return _round(float(a["value"])) == _round(float(b["value"]))
    return _comparable(a) == _comparable(b)


class CommonSetup:
    """Folds metadata in one dataset at a time into the parameters all of them share, so a setup is
    found while reading files in chunks; `common_setup` is this over a list."""

    def __init__(self):
        self.first: dict | None = None  # the candidates' values, as the first dataset has them, in its order

    def add(self, metadata: dict) -> None:
        if self.first is None:
            self.first = {key: value for key, value in metadata.items()
                          if key not in SKIPPED_IN_SETUP and value is not None}
            return
        for key in [key for key, value in self.first.items()
                    if key not in metadata or not _equal(value, metadata[key])]:
            del self.first[key]

    def result(self) -> dict:
        return dict(self.first or {})


def common_setup(datasets: list[Dataset]) -> dict:
    """Parameters every dataset has with an equal value (after unit normalisation), as the first has them."""
    setup = CommonSetup()
    for dataset in datasets:
        if setup.first == {}:
            break
        setup.add(dataset.metadata)
    return setup.result()


def common_mode(modes: Iterable[str | None]) -> str:
    """The mode shared by these (ignoring "other" beside a real mode, and None), "mixed" when they differ."""
    found = set(modes) - {None}
    if len(found) > 1:
        found.discard("other")  # notes and unknown files beside acquisitions do not make them mixed
    if len(found) == 1:
        return found.pop()
    return "mixed" if found else "other"


def activity_mode(datasets: Iterable[Dataset]) -> str:
    """The mode shared by the datasets (ignoring "other" beside a real mode), "mixed" when they differ."""
    return common_mode(mode_of(dataset.signal_type) for dataset in datasets)


def gap_threshold(gaps: np.ndarray, sensitivity: float = 1.0) -> float:
    """Seconds above which a gap between two files starts a new activity (see the module docstring)."""
    if len(gaps) == 0:
        return CEILING_SECONDS / sensitivity
    gaps = np.maximum(gaps, MIN_GAP_SECONDS)
    if len(gaps) >= MIN_GAPS_FOR_SPREAD:
        logs = np.log(gaps)
        centre = float(np.median(logs))
        sigma = MAD_TO_SIGMA * float(np.median(np.abs(logs - centre)))
        ratio = max(MIN_RATIO, math.exp(min(SPREAD_SIGMAS * sigma, 50.0)))
        typical = math.exp(centre)
    else:
        ratio = MIN_RATIO
        typical = float(gaps.min())
    return min(CEILING_SECONDS, max(FLOOR_SECONDS, typical * ratio)) / sensitivity


def _make(index: int, datasets: list[Dataset], start: datetime, end: datetime) -> Activity:
    return Activity(index=index, start=start, end=end, mode=activity_mode(datasets),
                    setup=common_setup(datasets), datasets=datasets)


def runs(stamps: np.ndarray, modes: list, formats: list, sensitivity: float = 1.0) -> list[np.ndarray]:
    """Positions of each run of timed files, given per file (sorted by time) its timestamp in seconds, its
    mode (`mode_of` its signal type) and its format; compact inputs, so 100,000 files cost a few MB."""
    gaps = np.diff(stamps)
    cut_after = gaps > gap_threshold(gaps, sensitivity)
    starts = [0]
    mode, fmt, fmt_run, members = None, "", 0, 0
    for position in range(len(stamps)):
        if position and cut_after[position - 1]:
            if members:
                starts.append(position)
            mode, fmt, fmt_run, members = None, "", 0, 0
        this_mode = modes[position]
        if this_mode is None or this_mode in NEUTRAL_MODES:
            members += 1  # joins the current run and leaves its mode and format alone
            continue
        this_format = formats[position]
        new_mode = bool(mode and this_mode != mode)
        new_format = bool(this_format and fmt and this_format != fmt and fmt_run >= MIN_FORMAT_RUN)
        if (new_mode or new_format) and members:
            starts.append(position)
            fmt, fmt_run, members = "", 0, 0
        members += 1
        mode = this_mode
        if this_format:
            fmt_run = fmt_run + 1 if this_format == fmt else 1
            fmt = this_format
    bounds = starts + [len(stamps)]
    return [np.arange(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def _runs(timed: list[Dataset], sensitivity: float) -> list[list[Dataset]]:
    stamps = np.fromiter((dataset.acquired.timestamp() for dataset in timed), dtype=float, count=len(timed))
    found = runs(stamps, [mode_of(d.signal_type) for d in timed], [d.format for d in timed], sensitivity)
    return [[timed[position] for position in run] for run in found]


def group(datasets: Iterable[Dataset], sensitivity: float = 1.0, enabled: bool = True,
          untimed_at: datetime | None = None) -> list[Activity]:
    """Acquisition activities of `datasets`, in time order, numbered from 1.

    `sensitivity` > 1 splits more, < 1 less; `enabled=False` gives one activity with every dataset.
    Datasets without a time go to a last activity dated at the end of the timed ones (or
    `untimed_at`, or the Unix epoch when nothing has a time).
    """
    if not sensitivity > 0:
        raise ValueError(f"sensitivity must be a positive number, got {sensitivity!r}")
    datasets = list(datasets)
    timed = sorted((d for d in datasets if d.acquired is not None), key=lambda d: d.acquired)
    untimed = [d for d in datasets if d.acquired is None]
    if not enabled and timed:
        runs, untimed = [timed + untimed], []
    else:
        runs = _runs(timed, sensitivity) if timed else []
    activities = [_make(i, run, run[0].acquired, max(d.acquired for d in run if d.acquired is not None))
                  for i, run in enumerate(runs, start=1)]
    if untimed:
        when = activities[-1].end if activities else (untimed_at or EPOCH)
        activities.append(_make(len(activities) + 1, untimed, when, when))
    return activities
