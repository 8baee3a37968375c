"""Turns an ended session into its record: extract each file, group activities, build, validate, store.

The same functions run inline (`build_now`, the embedded default and `build_records`) and as
Celery tasks (`lims.records.tasks`). Every step can run twice safely:

- a build is claimed with a conditional update (ENDED -> BUILDING);
- a file is extracted at most once per content: results are cached by sha256 and extractor
  version in ExtractionResult, and a file is marked extracted with a conditional update;
- the last file to finish queues `finish`, which locks the session row, builds the record in
  place (one record per session, by a one-to-one key) and moves the session to its final state.

Each step notes progress on the session (`builds.note_progress`), which is how a stalled build
is told from a slow one. A database or broker that is briefly away (TRANSIENT) is never a file's
error: the step raises, and its task is retried.
"""
import logging
import re
import tempfile
import time
from datetime import datetime, timezone as dt_timezone
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from lims.curation import build as curation
from lims.events.models import Event
from lims.events.outbox import emit
from lims.instruments import times
from lims.records import grouping, routing
from lims.records.models import XML_FOLDER, ExtractionResult, Record
from lims.search.index import index_record
from lims.sessions import builds, collect, objects
from lims.sessions.models import DataFile, Session

log = logging.getLogger(__name__)

PROGRESS_EVERY = 20.0  # seconds between two progress notes of one build step
# Errors that say "try again later", not "this file is bad".
TRANSIENT = (OperationalError, InterfaceError)
# Facts of one stored file that extractors report (records.extractors.base.file_facts): never cached
# by content, always taken from the DataFile itself.
PER_FILE_KEYS = ("size", "modified_time")
UNSTORED_METADATA = "the metadata read from this file could not be stored; see the worker's log"


class _Pulse:
    """Notes a build's progress at most every PROGRESS_EVERY seconds."""

    def __init__(self, session_id):
        self.session_id = session_id
        self.last = 0.0

    def __call__(self) -> None:
        if time.monotonic() - self.last >= PROGRESS_EVERY:
            builds.note_progress(self.session_id)
            self.last = time.monotonic()


def schedule_extraction(datafile) -> None:
    """Queue reading a file that arrived in an active session, so its page and the logger see it at once.

    Only with workers (without a broker the task would run inside the upload request) and unless
    EXTRACT_DURING_SESSION is off.
    """
    from lims.records.tasks import extract_files

    if settings.EXTRACT_DURING_SESSION and not settings.CELERY_TASK_ALWAYS_EAGER:
        file_id, queue = datafile.pk, routing.queue_for(datafile)
        # Best effort: with the broker down the upload still succeeds; the build reads the file later.
        transaction.on_commit(lambda: extract_files.apply_async(([file_id],), queue=queue, retry=False), robust=True)


# --- stage 1: claim the build and fan out -----------------------------------------------------

def _awaits_run(session: Session) -> bool:
    run = getattr(session, "derived_by", None)  # the reverse one-to-one raises AttributeError when absent
    return run is not None and run.state != run.State.SUCCEEDED


def start(session_id: str) -> list[tuple[str, list[int]]]:
    """Claim the build; return batches of file ids still to extract, each with its queue (empty: ready to finish).

    Heavy files go in batches of their own to the heavy queue (lims.records.routing); whichever batch
    ends last, on whichever queue, finds nothing left and queues `finish`.

    Returns None when there is nothing to do (session missing, still active, already built, or
    holding the outputs of a run that has not succeeded yet: its success queues the build).
    """
    session = Session.objects.filter(pk=session_id).first()
    if session is None:
        log.warning("build of unknown session %s skipped", session_id)
        return None
    if _awaits_run(session):
        return None
    if session.state == Session.State.ENDED:
        session.claim_build()
        session.refresh_from_db(fields=["state"])
    if session.state != Session.State.BUILDING:
        return None
    Session.objects.filter(pk=session.pk).update(build_attempts=session.build_attempts + 1)
    builds.note_progress(session.pk)
    if settings.COLLECT_FROM_SHARE:
        collect.collect(session)
    pending = session.files.filter(extracted=False).only("id", "relative_path", "size", "signal_type").order_by("id")
    return routing.batches(pending)


# --- stage 2: extract files ---------------------------------------------------------------------

def _preview_relpath(sha256: str) -> str:
    return f"previews/{sha256[:2]}/{sha256}.png"


def _cached_results(sha256s) -> dict:
    """Cached extraction results for these contents, by sha256 (the vendor tree left unloaded)."""
    from records.process import EXTRACTOR_VERSION

    found = ExtractionResult.objects.filter(sha256__in=set(sha256s), extractor_version=EXTRACTOR_VERSION)
    return {result.sha256: result for result in found.defer("original_metadata")}


def _extract_content(path: Path, sha256: str, cache: dict, pulse=None) -> ExtractionResult:
    """Extraction result for this content, from `cache` or freshly computed (and cached)."""
    from records.process import EXTRACTOR_VERSION, process_file

    if sha256 in cache:
        return cache[sha256]
    preview_rel = _preview_relpath(sha256)
    preview_abs = objects.staging_path(preview_rel)
    preview_abs.parent.mkdir(parents=True, exist_ok=True)
    found = process_file(path, preview_path=preview_abs, time_limit=settings.EXTRACT_TIME_LIMIT,
                         max_bytes=settings.EXTRACT_MEMORY_LIMIT_MB * 1024 * 1024, heartbeat=pulse)
    for drawn in sorted(preview_abs.parent.glob(f"{sha256}*.png")):  # the main preview and further signals'
        objects.store_staged(f"{preview_rel.rpartition('/')[0]}/{drawn.name}")
    metadata = {k: v for k, v in (found.get("metadata") or {}).items() if k not in PER_FILE_KEYS}
    result = ExtractionResult(
        sha256=sha256,
        extractor_version=EXTRACTOR_VERSION,
        format=_storable(found.get("format") or ""),
        extractor=_storable(found.get("extractor") or ""),
        signal_type=_storable(found.get("signal_type") or ""),
        acquired=_parse_time(found.get("acquisition_time")),
        metadata=_storable(metadata),
        original_metadata=_storable(found.get("original_metadata") or {}),
        warnings=_storable(list(found.get("warnings") or [])),
        preview=preview_rel if found.get("preview") else "",
        error=_storable(found.get("error") or ""),
    )
    try:
        with transaction.atomic():
            result.save()
    except IntegrityError:  # another worker cached the same content meanwhile
        result = ExtractionResult.objects.get(sha256=sha256, extractor_version=EXTRACTOR_VERSION)
    except TRANSIENT:
        raise
    except DatabaseError:  # should not happen once cleaned; the file keeps a plain message, the log the details
        log.exception("the extraction result of %s could not be stored", path)
        result = ExtractionResult(sha256=sha256, extractor_version=EXTRACTOR_VERSION, format=result.format,
                                  extractor=result.extractor, error=UNSTORED_METADATA)
    cache[sha256] = result
    return result


def _file_facts(datafile: DataFile) -> dict:
    """The per-file facts that extraction reports, from the DataFile (never from another file's cache)."""
    facts = {"size": datafile.size}
    if datafile.mtime:
        facts["modified_time"] = datafile.mtime.isoformat(timespec="seconds")
    return facts


def extract_one(datafile: DataFile, cache: dict | None = None, pulse=None) -> None:
    """Fill a DataFile from its content's extraction result; a bad file is recorded, never raised.

    TRANSIENT errors (the database or broker away) are raised, for the task to be retried.
    """
    path = datafile.storage_key
    try:
        if cache is None:
            cache = _cached_results([datafile.sha256])
        if not objects.exists(path):
            raise FileNotFoundError(f"stored file is missing: {datafile.storage_name}")
        if datafile.sha256 not in cache:  # only a file still to read is fetched (object storage: into the cache)
            path = objects.readable_path(path)
        result = _extract_content(path, datafile.sha256, cache, pulse)
        # Instruments write local times without a zone: read them in the instrument's zone.
        zone = _zone(datafile.session.instrument.timezone)
        acquired = _parse_time((result.metadata or {}).get("acquisition_time"), zone)
        fields = {
            "format": result.format,
            "extractor": result.extractor,
            "signal_type": result.signal_type,
            "acquired": acquired or datafile.mtime,
            "metadata": {**(result.metadata or {}), **_file_facts(datafile)},
            "warnings": result.warnings,
            "preview": result.preview,
            "error": result.error,
        }
    except TRANSIENT:
        raise
    except DatabaseError:
        log.exception("extraction of %s failed in the database", path)
        fields = {"error": UNSTORED_METADATA, "acquired": datafile.mtime, "extractor": "none"}
    except Exception as exc:  # noqa: BLE001 - one bad file must never fail the session
        log.exception("extraction of %s failed", path)
        fields = {"error": _storable(f"{type(exc).__name__}: {exc}"), "acquired": datafile.mtime, "extractor": "none"}
    DataFile.objects.filter(pk=datafile.pk, extracted=False).update(extracted=True, **fields)


def extract_batch(file_ids: list[int]) -> str | None:
    """Extract these files; return the session id when no file of the session is left to extract."""
    session_id = None
    pending = list(DataFile.objects.filter(pk__in=file_ids, extracted=False).select_related("session__instrument"))
    cache = _cached_results(f.sha256 for f in pending)
    pulse = _Pulse(pending[0].session_id) if pending else None
    for datafile in pending:
        session_id = datafile.session_id
        pulse()
        extract_one(datafile, cache, pulse)
    if session_id is None:
        first = DataFile.objects.filter(pk__in=file_ids).values_list("session_id", flat=True).first()
        session_id = first
    if session_id is None:
        return None
    if DataFile.objects.filter(session_id=session_id, extracted=False).exists():
        return None
    return str(session_id)


# --- stage 3: group, build, validate, store ---------------------------------------------------

def finish(session_id: str) -> str:
    """Build, validate and store the record of a session whose files are all extracted."""
    from records.errors import InvalidRecord

    builds.note_progress(session_id)  # the row is locked from here on; the sweep leaves locked rows alone
    with transaction.atomic():
        session = (
            Session.objects.select_for_update(of=("self",)).select_related("instrument").filter(pk=session_id).first()
        )
        if session is None or session.state != Session.State.BUILDING:
            return session.state if session else "MISSING"
        if session.files.filter(extracted=False).exists():
            return session.state  # another extraction is still running; it will call finish
        try:
            state = _store_record(session)
        except InvalidRecord as exc:
            details = "; ".join(f"line {e.line}: {e.element}: {e.message}" for e in exc.errors[:5])
            session.finish_build(Session.State.ERROR, f"record does not validate: {exc} {details}".strip())
            return session.state
        except TRANSIENT:
            raise
        except Exception as exc:  # noqa: BLE001 - the reason is kept on the session
            log.exception("building the record of %s failed", session_id)
            session.finish_build(Session.State.ERROR, f"{type(exc).__name__}: {exc}")
            return session.state
        session.finish_build(state)
        if state == Session.State.COMPLETED:
            record = Record.objects.defer("xml_text").get(session=session)
            emit(Event.Type.RECORD_COMPLETED, record=record, generation=record.generation)
    return state


def rebuild_in_place(session: Session) -> bool:
    """Rebuild a built record from its extracted files, in the caller's transaction (after a curation edit).

    The caller holds the session row locked. False when the session has no built record to
    rebuild: a build under way applies the edit itself. Raises InvalidRecord like a build.
    """
    if session.state != Session.State.COMPLETED:
        return False
    _store_record(session)
    return True


def _store_record(session: Session) -> str:
    """Group, write, validate, store and index the record of `session`, in flat memory (`grouping`)."""
    from records.validate import check_file
    from records.xml import SCHEMA_VERSION, write_record

    files = grouping.session_files(session)
    if not len(files):
        Record.objects.filter(session=session).delete()
        return Session.State.NO_FILES
    record = Record.objects.filter(session=session).defer("xml_text").first()
    if record is None:
        record = Record.objects.create(session=session, title="", schema_version="", built=timezone.now())
    activities = grouping.activities(session, record, files)
    experiment = _experiment(session, record, activities)
    staging = objects.staging_path(f"{XML_FOLDER}/{session.pk}")  # beside where it goes: moved, not copied
    staging.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=staging) as folder:
        path = Path(folder) / "record.xml"
        write_record(experiment, path)
        check_file(path, max_size=settings.RECORD_MAX_BYTES)
        record.store_xml(path)

    for activity in activities:
        ids = activity.datasets.ids
        for begin in range(0, len(ids), grouping.FILE_CHUNK):
            DataFile.objects.filter(pk__in=ids[begin:begin + grouping.FILE_CHUNK]).update(activity=activity.index)
    record.title = experiment.title
    record.kind = Record.Kind.DERIVED if experiment.derivation else Record.Kind.ACQUISITION
    record.generation = _generation(session)
    record.schema_version = SCHEMA_VERSION
    record.file_count = len(files)
    record.error_count = files.error_count
    record.activity_count = len(activities)
    record.formats = sorted({f for f in files.formats if f})
    record.modes = sorted({a.mode for a in activities})
    record.built = timezone.now()
    record.data = {
        "activities": [
            {
                "index": a.index,
                "start": a.start.isoformat() if a.start else None,
                "end": a.end.isoformat() if a.end else None,
                "mode": a.mode,
                "setup": a.setup,
                "notes": a.notes,
                "file_count": len(a.datasets),
            }
            for a in activities
        ],
        "preview_file": files.preview_file,
    }
    record.save()
    index_record(record)
    return Session.State.COMPLETED


def _derivation(session: Session) -> dict | None:
    """What the run whose outputs a derived session holds did (see lims.analysis), or None."""
    run = getattr(session, "derived_by", None)  # the reverse one-to-one raises AttributeError when absent
    return run.derivation() if run is not None else None


def _generation(session: Session) -> int:
    """0 for instrument data, else one more than the record the run that made this session read."""
    run = getattr(session, "derived_by", None)
    return run.record.generation + 1 if run is not None else 0


def _experiment(session: Session, record: Record, activities):
    from records.model import Experiment

    instrument = session.instrument
    when = times.local(session.start, instrument.timezone)
    derivation = _derivation(session)
    if derivation:
        records = sorted({str(item["record"]) for item in derivation["inputs"]})
        title = f"{derivation['method_title']} of record {', '.join(records)} ({when}, {session.user})"
    else:
        title = f"{instrument.name}: {session.sample or session.project or 'session'} ({when}, {session.user})"
    return curation.summary(session, Experiment(
        id=str(session.pk),
        title=title,
        experimenter=session.user,
        instrument_pid=instrument.pid,
        instrument_name=instrument.name,
        instrument_location=instrument.location,
        start=session.start,
        end=session.end or session.start,
        purpose=session.purpose,
        project=session.project,
        sample_name=session.sample,
        sample_id=session.sample_id,
        sample_description=session.sample_description,
        collaborators=[c.strip() for c in session.collaborators.split(",") if c.strip()],
        notes=session.notes,
        url=f"{settings.SITE_URL}/records/{record.pk}/",
        activities=activities,
        derivation=derivation,
    ))


def experiment_for(record: Record):
    """The Experiment of a built record, read back from the database (for exports)."""
    from records.model import Activity

    session = record.session
    files = list(session.files.order_by("acquired", "relative_path", "version"))
    by_index = {}
    for f in files:
        by_index.setdefault(f.activity or 0, []).append(grouping.dataset(record, f))
    activities = []
    for stored in record.data.get("activities", []):
        datasets = by_index.get(stored["index"], [])
        activities.append(Activity(
            index=stored["index"], start=_parse_time(stored.get("start")) or session.start,
            end=_parse_time(stored.get("end")) or session.start, mode=stored.get("mode") or "other",
            setup=stored.get("setup") or {}, datasets=datasets, notes=stored.get("notes") or "",
        ))
    return _experiment(session, record, activities)


# --- inline build (embedded default, management commands) --------------------------------------

def build_now(session_id: str) -> str:
    """Run every stage in this process; returns the session's final state."""
    batches = start(session_id)
    if batches is None:
        return Session.objects.get(pk=session_id).state
    for _queue, batch in batches:
        extract_batch(batch)
    return finish(session_id)


# --- helpers ------------------------------------------------------------------------------------

def _zone(name: str):
    import zoneinfo

    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt_timezone.utc


def _parse_time(value, zone=dt_timezone.utc) -> datetime | None:
    """An aware datetime from ISO text; a time without zone is taken to be in `zone`."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed


_UNSTORABLE = re.compile("[\ud800-\udfff]")  # lone surrogates: no UTF-8 for them


def _storable(value):
    """A JSON-ready copy of what a file gave, holding only what every database stores.

    NUL characters (C strings padded with them, as in EDAX .spc files; PostgreSQL refuses them in
    text and JSON) are dropped, lone surrogates become U+FFFD, non-finite numbers become null
    (JSON has none), and anything else that is not JSON (bytes, numpy scalars ...) becomes text.
    """
    if isinstance(value, str):
        return _UNSTORABLE.sub("\ufffd", value.replace("\x00", ""))
    if isinstance(value, dict):
        return {_storable(str(key)): _storable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_storable(item) for item in value]
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if value is None or isinstance(value, (bool, int)):
        return value
    return _storable(str(value))
