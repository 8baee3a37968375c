"""Plain data passed between the pipeline stages: a session's datasets, activities and experiment."""
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Dataset:
    """One file of a session with what extraction found in it."""

    name: str  # file name, e.g. "image_001.dm3"
    location: str  # path relative to the session folder, e.g. "grid2/image_001.dm3"
    size: int
    sha256: str
    format: str = ""  # e.g. "DigitalMicrograph 3"
    extractor: str = ""  # module name of the extractor, e.g. "dm"
    signal_type: str = ""  # image, spectrum, spectrum_image, diffraction, stack, 4d, point_cloud, text, other
    acquired: datetime | None = None  # acquisition time (aware), else file mtime
    preview: str = ""  # URL or path of the preview PNG, "" when none
    metadata: dict = field(default_factory=dict)  # canonical keys; quantities are {"value", "unit"}
    warnings: list[str] = field(default_factory=list)
    error: str = ""
    url: str = ""  # where the file can be downloaded


@dataclass
class Activity:
    """A run of datasets acquired close together in time in one mode."""

    index: int  # 1-based, in time order
    start: datetime
    end: datetime
    mode: str  # imaging, diffraction, spectroscopy, spectrum_imaging, point_cloud, other, mixed ...
    setup: dict = field(default_factory=dict)  # canonical parameters equal across all its datasets
    datasets: list[Dataset] = field(default_factory=list)
    notes: str = ""


@dataclass
class Experiment:
    """Everything a record says about one session."""

    id: str  # session UUID
    title: str
    experimenter: str
    instrument_pid: str
    instrument_name: str
    start: datetime
    end: datetime
    instrument_location: str = ""
    purpose: str = ""
    project: str = ""
    sample_name: str = ""
    sample_id: str = ""
    sample_description: str = ""
    collaborators: list[str] = field(default_factory=list)
    notes: str = ""
    url: str = ""  # the record's page
    activities: list[Activity] = field(default_factory=list)
