"""Activity grouping: time gaps from the session's own cadence, mode and format boundaries, common setup."""
import random
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from records.activities import CEILING_SECONDS, FLOOR_SECONDS, EPOCH, gap_threshold, group
from records.model import Dataset

START = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


def _files(seconds: list[float], signal_type: str = "image", fmt: str = "DigitalMicrograph 3",
           metadata: dict | None = None) -> list[Dataset]:
    return [Dataset(name=f"f{i:05}", location=f"f{i:05}", size=1, sha256="0" * 64, format=fmt,
                    signal_type=signal_type, acquired=START + timedelta(seconds=s), metadata=dict(metadata or {}))
            for i, s in enumerate(seconds)]


def _sizes(activities) -> list[int]:
    return [len(activity.datasets) for activity in activities]


def test_one_file_makes_one_activity_spanning_its_time():
    [activity] = group(_files([0]))
    assert (activity.index, activity.start, activity.end, activity.mode) == (1, START, START, "imaging")


def test_two_files_seconds_apart_stay_together():
    assert _sizes(group(_files([0, 5]))) == [2]


def test_two_files_hours_apart_are_split():
    activities = group(_files([0, 3 * 3600]))
    assert _sizes(activities) == [1, 1]
    assert activities[1].start == START + timedelta(hours=3)


def test_three_files_split_where_the_long_gap_is():
    assert _sizes(group(_files([0, 8, 2 * 3600]))) == [2, 1]
    assert _sizes(group(_files([0, 2 * 3600, 2 * 3600 + 8]))) == [1, 2]


def test_three_files_minutes_apart_with_seconds_between_two_are_split():
    assert _sizes(group(_files([0, 5, 900]))) == [2, 1]


def test_a_ten_minute_pause_in_a_thirty_second_cadence_gives_two_activities():
    seconds = [30 * i for i in range(40)] + [30 * 39 + 600 + 30 * i for i in range(40)]
    activities = group(_files(seconds))
    assert _sizes(activities) == [40, 40]
    assert activities[0].end == START + timedelta(seconds=1170)
    assert activities[1].start == START + timedelta(seconds=1770)


def test_a_jittery_cadence_without_a_pause_stays_one_activity():
    rng = random.Random(7)
    seconds = np.cumsum([rng.uniform(15, 60) for _ in range(200)]).tolist()
    assert _sizes(group(_files(seconds))) == [200]


def test_bursts_with_short_rests_are_not_shattered():
    seconds = [burst * 20 + shot * 0.5 for burst in range(10) for shot in range(5)]
    assert _sizes(group(_files(seconds))) == [50]


def test_a_higher_sensitivity_splits_a_pause_the_default_keeps():
    seconds = [30 * i for i in range(20)] + [570 + 120 + 30 * i for i in range(20)]
    assert _sizes(group(_files(seconds))) == [40]
    assert _sizes(group(_files(seconds), sensitivity=2.0)) == [20, 20]


def test_the_threshold_is_clamped_between_floor_and_ceiling():
    assert gap_threshold(np.array([1.0] * 10)) == FLOOR_SECONDS
    assert gap_threshold(np.array([3600.0] * 10)) == CEILING_SECONDS
    assert gap_threshold(np.array([30.0] * 10)) == pytest.approx(150.0)
    assert gap_threshold(np.array([30.0] * 10), sensitivity=2.0) == pytest.approx(75.0)


def test_a_change_of_signal_type_starts_a_new_activity():
    files = _files([0, 30, 60]) + _files([90, 120], signal_type="spectrum", fmt="DigitalMicrograph 3")
    activities = group(files)
    assert _sizes(activities) == [3, 2]
    assert [a.mode for a in activities] == ["imaging", "spectroscopy"]


def test_a_change_of_file_format_starts_a_new_activity():
    files = _files([0, 30]) + _files([60, 90], fmt="TIFF (FEI)")
    assert _sizes(group(files)) == [2, 2]


def test_alternating_formats_of_one_mode_stay_one_activity():
    files = [d for i in range(4) for d in (_files([60 * i], signal_type="spectrum", fmt="EDAX SPC")
                                           + _files([60 * i + 1], signal_type="spectrum", fmt="EMSA/MSA"))]
    [activity] = group(files)
    assert len(activity.datasets) == 8 and activity.mode == "spectroscopy"


def test_a_notes_file_between_images_joins_their_activity_and_keeps_its_mode():
    files = _files([0, 30]) + _files([45], signal_type="text", fmt="text") + _files([60, 90])
    [activity] = group(files)
    assert len(activity.datasets) == 5
    assert activity.mode == "imaging"


def test_images_and_stacks_share_the_imaging_mode_and_one_activity():
    files = _files([0, 30]) + _files([60], signal_type="stack")
    [activity] = group(files)
    assert activity.mode == "imaging"


def test_a_file_of_unknown_type_does_not_break_an_activity():
    files = _files([0, 30]) + _files([60], signal_type="", fmt="") + _files([90])
    assert _sizes(group(files)) == [4]


@pytest.mark.parametrize("signal_type, mode", [
    ("image", "imaging"), ("stack", "imaging"), ("diffraction", "diffraction"), ("spectrum", "spectroscopy"),
    ("spectrum_image", "spectrum_imaging"), ("4d", "4d_stem"), ("point_cloud", "point_cloud"),
    ("text", "other"), ("other", "other"), ("", "other"),
])
def test_the_mode_is_inferred_from_the_signal_type(signal_type, mode):
    [activity] = group(_files([0], signal_type=signal_type))
    assert activity.mode == mode


def test_datasets_without_a_time_go_to_a_last_activity():
    files = _files([0, 30])
    files.insert(1, Dataset(name="notes.txt", location="notes.txt", size=3, sha256="1" * 64, signal_type="text"))
    activities = group(files)
    assert _sizes(activities) == [2, 1]
    assert activities[1].datasets[0].name == "notes.txt"
    assert activities[1].start == activities[1].end == START + timedelta(seconds=30)
    assert activities[1].index == 2


def test_datasets_all_without_time_form_one_activity_at_the_given_time():
    files = [Dataset(name=f"n{i}", location=f"n{i}", size=1, sha256="") for i in range(3)]
    [activity] = group(files, untimed_at=START)
    assert activity.start == START and len(activity.datasets) == 3
    assert group(files)[0].start == EPOCH


def test_disabled_grouping_gives_one_mixed_activity_in_time_order():
    files = _files([3 * 3600]) + _files([0], signal_type="spectrum")
    [activity] = group(files, enabled=False)
    assert activity.mode == "mixed"
    assert [d.signal_type for d in activity.datasets] == ["spectrum", "image"]
    assert (activity.start, activity.end) == (START, START + timedelta(hours=3))


def test_unsorted_input_gives_activities_in_time_order():
    files = _files([7200, 0, 7230, 30])
    activities = group(files)
    assert [a.index for a in activities] == [1, 2]
    assert [[d.name for d in a.datasets] for a in activities] == [["f00001", "f00003"], ["f00000", "f00002"]]


def test_no_datasets_give_no_activities():
    assert group([]) == []


def test_it_rejects_a_sensitivity_that_is_not_positive():
    with pytest.raises(ValueError, match="sensitivity must be a positive number"):
        group(_files([0]), sensitivity=0)


def test_the_setup_holds_a_voltage_given_in_volts_and_kilovolts():
    files = _files([0, 30, 60], metadata={"detector": "HAADF"})
    files[0].metadata["acceleration_voltage"] = {"value": 200, "unit": "kV"}
    files[1].metadata["acceleration_voltage"] = {"value": 200000, "unit": "V"}
    files[2].metadata["acceleration_voltage"] = {"value": 200.0, "unit": "kilovolt"}
    [activity] = group(files)
    assert activity.setup == {"detector": "HAADF", "acceleration_voltage": {"value": 200, "unit": "kV"}}


def test_the_setup_leaves_out_values_that_differ_or_are_missing_anywhere():
    files = _files([0, 30, 60], metadata={"detector": "HAADF", "spot_size": 3})
    files[0].metadata["working_distance"] = {"value": 5, "unit": "mm"}
    files[1].metadata["working_distance"] = {"value": 5000, "unit": "um"}
    files[2].metadata["working_distance"] = {"value": 5.1, "unit": "mm"}
    files[2].metadata.pop("spot_size")
    files[1].metadata["detector"] = "BF"
    [activity] = group(files)
    assert activity.setup == {}


def test_the_setup_compares_lists_and_nested_values():
    dims = [{"name": "x", "size": 512, "scale": 1.0, "unit": "nm"}]
    files = _files([0, 30], metadata={"dimensions": dims, "extras": {"lens": "SA"}, "beam_blanked": False})
    files[1].metadata["dimensions"] = [{"name": "x", "size": 512, "scale": 1, "unit": "nm"}]
    [activity] = group(files)
    assert activity.setup == {"dimensions": dims, "extras": {"lens": "SA"}, "beam_blanked": False}


def test_the_setup_compares_numpy_values_by_value():
    files = _files([0, 30, 60], metadata={"shape": np.array([512, 512]), "spot_size": np.float32(3.0)})
    files[1].metadata["shape"] = [512, 512]
    files[2].metadata["spot_size"] = 3
    [activity] = group(files)
    assert sorted(activity.setup) == ["shape", "spot_size"]


def test_the_acquisition_time_is_never_a_setup_parameter():
    [activity] = group(_files([0], metadata={"acquisition_time": START.isoformat(), "detector": "SE"}))
    assert activity.setup == {"detector": "SE"}


def test_ten_thousand_files_with_one_pause_are_grouped_in_two():
    rng = random.Random(3)
    seconds = np.cumsum([rng.uniform(20, 40) for _ in range(10_000)])
    seconds[5000:] += 900
    activities = group(_files(seconds.tolist(), metadata={"acceleration_voltage": {"value": 300, "unit": "kV"}}))
    assert _sizes(activities) == [5000, 5000]
    assert activities[1].setup == {"acceleration_voltage": {"value": 300, "unit": "kV"}}
