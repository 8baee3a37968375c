"""Plain data passed between the pipeline stages: a session's datasets, activities and experiment."""
from dataclasses import dataclass, field, replace
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
    description: str = ""  # written by people after the build (curation)
    signal: int = 0  # which signal of the file this is (0: the main one)
    signal_count: int = 1  # how many signals the file holds

    def split(self) -> list["Dataset"]:
        """One Dataset per signal of the file: itself when it holds one, else the main signal followed
        by each entry of `metadata["signals"]` (its preview is the file's with `?signal=N`)."""
        further = self.metadata.get("signals") or []
        if not further:
            return [self]
        count = len(further) + 1
        main = {key: value for key, value in self.metadata.items() if key != "signals"}
        parts = [replace(self, metadata=main, signal_count=count)]
        for index, entry in enumerate(further, start=1):
            metadata = dict(entry.get("metadata") or {})
            parts.append(replace(
                self, metadata=metadata, signal=index, signal_count=count,
                signal_type=metadata.get("signal_type") or "other",
                preview=f"{self.preview}?signal={index}" if self.preview and entry.get("preview") else "",
                warnings=list(entry.get("warnings") or []), error=entry.get("error") or "",
            ))
        return parts


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
    description: str = ""  # written by people after the build (curation)
    activities: list[Activity] = field(default_factory=list)
    # A derived record's run: method, version, kind, parameters, inputs [{record, name, sha256}], agent,
    # started, ended, url (see lims.analysis.provenance.derivation); None for an instrument session.
    derivation: dict | None = None
