"""Builds small records for tests and benchmarks: real files and PNG previews on disk, rows, index."""
import hashlib
import io
import json
from datetime import datetime, timedelta, timezone

from django.conf import settings

START = datetime(2025, 3, 14, 9, 0, tzinfo=timezone.utc)


def png_bytes(shade: int = 128, size: int = 32) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (size, size), shade).save(buffer, "PNG")
    return buffer.getvalue()


def make_record(instrument, user="alice", account=None, *, title=None, project="", sample="", notes="",
                visibility="private", start=START, files=(), modes=("imaging",)):
    """A built record; `files` are dicts: name, content (bytes), format, metadata, original_metadata (the vendor
    tree), warnings, error, preview (bool), activity."""
    from lims.records.models import ExtractionResult, Record
    from lims.search.index import index_record
    from lims.sessions.models import DataFile, Session

    session = Session.objects.create(
        instrument=instrument, user=user, account=account, start=start, end=start + timedelta(hours=2),
        project=project, sample=sample, notes=notes, visibility=visibility, state=Session.State.COMPLETED,
    )
    rows = []
    for number, spec in enumerate(files):
        content = spec.get("content", f"data of {spec['name']}".encode())
        data_file = DataFile(
            session=session, relative_path=spec["name"], size=len(content),
            sha256=hashlib.sha256(content).hexdigest(), format=spec.get("format", ""),
            signal_type=spec.get("signal_type", "image"), acquired=start + timedelta(minutes=number),
            metadata=spec.get("metadata", {}), activity=spec.get("activity", 1), extracted=True,
            warnings=spec.get("warnings", []), error=spec.get("error", ""),
        )
        path = data_file.absolute_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        if spec.get("preview", True):
            preview = f"previews/{session.pk}/{number}.png"
            (settings.DATA_ROOT / preview).parent.mkdir(parents=True, exist_ok=True)
            (settings.DATA_ROOT / preview).write_bytes(png_bytes(40 + (number * 37) % 200))
            data_file.preview = preview
        rows.append(data_file)
    DataFile.objects.bulk_create(rows)
    ExtractionResult.objects.bulk_create(
        [ExtractionResult(sha256=row.sha256, extractor_version="test", format=row.format, metadata=row.metadata,
                          original_metadata=spec.get("original_metadata", {"File": {"Name": spec["name"]}}))
         for row, spec in zip(rows, files)], ignore_conflicts=True)
    saved = list(DataFile.objects.filter(session=session).order_by("acquired"))
    activity_ids = sorted({f.activity for f in saved}) or [1]
    activities = [
        {"index": index, "start": start.isoformat(), "end": (start + timedelta(hours=1)).isoformat(),
         "mode": modes[(index - 1) % len(modes)] if modes else "", "setup": _setup(saved, index), "notes": "",
         "file_count": sum(1 for f in saved if f.activity == index)}
        for index in activity_ids
    ]
    with_preview = [f.pk for f in saved if f.preview]
    record = Record.objects.create(
        session=session, title=title or f"{instrument.pid} session of {user}",
        xml=f'<?xml version="1.0"?><Experiment><title>{title or user}</title></Experiment>',
        data={"activities": activities, "preview_file": with_preview[0] if with_preview else None},
        schema_version="1.0", file_count=len(saved), activity_count=len(activities),
        error_count=sum(1 for f in saved if f.error),
        formats=sorted({f.format for f in saved if f.format}), modes=sorted({m for m in modes if m}),
        built=start + timedelta(hours=3),
    )
    index_record(record)
    return record


def _setup(files, index) -> dict:
    """Parameters every file of an activity shares (what a real build reports as its setup)."""
    members = [f.metadata for f in files if f.activity == index]
    if not members:
        return {}
    shared = dict(members[0])
    for metadata in members[1:]:
        shared = {k: v for k, v in shared.items() if json.dumps(metadata.get(k)) == json.dumps(v)}
    return shared


def quantity(value, unit):
    return {"value": value, "unit": unit}


# The search test set: (title, instrument, experimenter, account, project, visibility, start, modes, files, notes)
def make_sample_set(cast) -> dict:
    """Four records with known metadata; alice sees platinum/zeolite/pollen, charlie zeolite/cathode/pollen."""
    q = quantity
    return {
        "platinum": make_record(
            cast.titan, "alice", cast.alice, title="EELS of platinum nanoparticles", project="catalysis",
            sample="Pt on carbon", visibility="private", start=datetime(2025, 3, 14, 9, tzinfo=timezone.utc),
            modes=("imaging", "spectroscopy"),
            files=[
                {"name": "area1/survey_001.dm3", "format": "dm3", "activity": 1,
                 "metadata": {"acceleration_voltage": q(200, "kV"), "pixel_size_x": q(0.5, "nm"),
                              "pixel_size_y": q(0.5, "nm"), "magnification": 20000, "detector": "HAADF"}},
                {"name": "area1/edge.msa", "format": "msa", "activity": 2, "signal_type": "spectrum",
                 "metadata": {"acceleration_voltage": q(200000, "V"), "exposure_time": q(2, "s")}},
            ]),
        "zeolite": make_record(
            cast.quanta, "bob", cast.bob, title="SEM of zeolite crystals", project="catalysis",
            visibility="facility", start=datetime(2024, 11, 2, 14, tzinfo=timezone.utc),
            files=[{"name": "img.tif", "format": "tiff_fei",
                    "metadata": {"acceleration_voltage": q(5, "kV"), "pixel_size_x": q(12, "nm"),
                                 "magnification": q(5000, ""), "working_distance": q(10, "mm")}}]),
        "cathode": make_record(
            cast.titan, "charlie", cast.charlie, title="Cathode diffraction study", project="batteries",
            visibility="private", start=datetime(2025, 6, 1, 8, tzinfo=timezone.utc), modes=("diffraction",),
            files=[{"name": "pattern.dm4", "format": "dm4", "signal_type": "diffraction",
                    "metadata": {"acceleration_voltage": q(300, "kV"), "pixel_size_x": q(20, "pm"),
                                 "camera_length": q(100, "mm")}}]),
        "pollen": make_record(
            cast.quanta, "dave", None, title="Public demo of pollen", visibility="public",
            notes="<script>alert(1)</script>", start=datetime(2023, 1, 20, 10, tzinfo=timezone.utc),
            files=[{"name": "pollen.png", "format": "png", "metadata": {"magnification": 1000,
                                                                          "detector": "<script>alert(1)</script>"}}]),
    }


# Queries whose results both backends must agree on, with the titles alice should get.
EXPECTED_FOR_ALICE = {
    "": ["EELS of platinum nanoparticles", "SEM of zeolite crystals", "Public demo of pollen"],
    "platinum": ["EELS of platinum nanoparticles"],
    '"platinum nanoparticles"': ["EELS of platinum nanoparticles"],
    '"nanoparticles platinum"': [],
    "survey_001": ["EELS of platinum nanoparticles"],
    "haadf": ["EELS of platinum nanoparticles"],
    "voltage >= 200 kV": ["EELS of platinum nanoparticles"],
    "voltage < 10 kV": ["SEM of zeolite crystals"],
    "pixel size < 1 nm": ["EELS of platinum nanoparticles"],
    "magnification 10k..50k": ["EELS of platinum nanoparticles"],
    "magnification ..6k": ["SEM of zeolite crystals", "Public demo of pollen"],
    "acceleration_voltage:200kV": ["EELS of platinum nanoparticles"],
    "acceleration_voltage:200000V": ["EELS of platinum nanoparticles"],
    "working_distance:1cm": ["SEM of zeolite crystals"],
    "instrument:quanta": ["SEM of zeolite crystals", "Public demo of pollen"],
    "user:bob": ["SEM of zeolite crystals"],
    "project:catalysis": ["EELS of platinum nanoparticles", "SEM of zeolite crystals"],
    "format:dm3": ["EELS of platinum nanoparticles"],
    "mode:spectroscopy": ["EELS of platinum nanoparticles"],
    "year:2025": ["EELS of platinum nanoparticles"],
    "month:2024-11": ["SEM of zeolite crystals"],
    "catalysis voltage >= 1 kV instrument:quanta": ["SEM of zeolite crystals"],
    "catalysis pixel size < 1 nm": ["EELS of platinum nanoparticles"],
    "crystals magnification 1k..10k voltage <= 5 kV": ["SEM of zeolite crystals"],
    "user:charlie": [],
    "cathode": [],
    "-platinum": ["SEM of zeolite crystals", "Public demo of pollen"],
    "platinum OR pollen": ["EELS of platinum nanoparticles", "Public demo of pollen"],
    "(zeolite OR platinum) NOT instrument:titan": ["SEM of zeolite crystals"],
    'instrument:"FEI Quanta"': ["SEM of zeolite crystals", "Public demo of pollen"],
    "user:alice,bob": ["EELS of platinum nanoparticles", "SEM of zeolite crystals"],
    "voltage 5 kV": ["SEM of zeolite crystals"],
    "date:2024-11..2025-03": ["EELS of platinum nanoparticles", "SEM of zeolite crystals"],
    "before:2024": ["Public demo of pollen"],
    "area1/survey_001.dm3": ["EELS of platinum nanoparticles"],
    '"of platinum"': ["EELS of platinum nanoparticles"],
    "magnification 1k..<5k": ["Public demo of pollen"],
    "instrument:titn": [],
    "catalysis zeolite platinum": [],
}


def run_queries(users: dict, using: str = "default") -> dict:
    """Titles and facet counts for every query of EXPECTED_FOR_ALICE, for each user (None: anonymous)."""
    from lims.search.service import search

    answers = {}
    for name, user in users.items():
        for q in EXPECTED_FOR_ALICE:
            result = search(user, q, page_size=50, using=using)
            answers[f"{name}|{q}"] = {
                "titles": [r.title for r in result.records],
                "total": result.total,
                "facets": {k: [list(item) for item in v] for k, v in result.facets.items()},
                "buckets": result.buckets,
                "suggestions": result.suggestions,
            }
    return answers
