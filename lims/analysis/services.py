"""Submitting and cancelling runs: the checks every entry point (API, pages, command) shares.

`submit` checks the method, the record (it must be visible to the person asking), the files (of
that record, of a signal type the method accepts) and the parameters, then either offers an earlier
identical run (same method version, parameters and input hashes) or creates a QUEUED run and hands
its supervisor to the broker once the transaction commits.
"""
import hashlib
import json
import logging

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from lims.analysis import params as parameters
from lims.analysis import registry, runs
from lims.analysis.models import Run
from lims.records.permissions import visible_records

log = logging.getLogger(__name__)
MAX_FILES = 1000


class SubmissionError(ValueError):
    """A run that cannot be submitted; `errors` maps each bad field to a message."""

    def __init__(self, errors: dict):
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors


def idempotency_key(method, params: dict, sha256s) -> str:
    text = json.dumps([method.slug, method.version, params, sorted(sha256s)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _reads(method, datafile) -> bool:
    """Whether the method reads this kind of file (a method that names no kinds reads every file)."""
    return not method.accepts or datafile.signal_type in method.accepts


def _files(record, file_ids, method) -> list:
    files = record.session.files.filter(error="").order_by("acquired", "relative_path", "version")
    if file_ids:
        if not isinstance(file_ids, list) or len(file_ids) > MAX_FILES or not all(
                isinstance(i, int) and not isinstance(i, bool) for i in file_ids):
            raise SubmissionError({"files": f"a list of at most {MAX_FILES} file ids"})
        chosen = list(record.session.files.filter(pk__in=file_ids))
        missing = sorted(set(file_ids) - {f.pk for f in chosen})
        if missing:
            raise SubmissionError({"files": f"not files of record {record.pk}: {missing[:10]}"})
        refused = [f.relative_path for f in chosen if not _reads(method, f) or f.error]
        if refused:
            raise SubmissionError({"files": f"{method.slug} reads {', '.join(method.accepts)}; refused: "
                                            f"{', '.join(refused[:10])}"})
        return chosen
    chosen = [f for f in files if _reads(method, f)]
    if not chosen:
        raise SubmissionError({"files": f"record {record.pk} has no file {method.slug} reads "
                                        f"({', '.join(method.accepts) or 'any'})"})
    return chosen[:MAX_FILES]


def _method_and_params(method_slug, params, version, errors: dict):
    """(method, canonical params), each None when bad; what is wrong goes into `errors` by field."""
    method = registry.latest(str(method_slug), str(version) if version else None) if method_slug else None
    if method is None:
        errors["version" if version and registry.latest(str(method_slug)) else "method"] = (
            f"unknown method {method_slug!r}" + (f" version {version!r}" if version else ""))
    canonical = None
    if method is not None:
        try:
            canonical = parameters.canonical(parameters.validate(registry.params_model(method), params))
        except parameters.ParamsError as exc:
            errors.update(exc.errors)
    return method, canonical


def validate_method(method_slug, params=None, version=None):
    """(method, canonical params) before any record is chosen, else SubmissionError naming each bad field."""
    errors = {}
    method, canonical = _method_and_params(method_slug, params, version, errors)
    if errors:
        raise SubmissionError(errors)
    return method, canonical


def validate(user, method_slug, record_id, file_ids=None, params=None, version=None):
    """(method, record, files, canonical params) for a submission, else SubmissionError naming each bad field."""
    errors = {}
    method, canonical = _method_and_params(method_slug, params, version, errors)
    record = None
    if isinstance(record_id, int) and not isinstance(record_id, bool):
        record = visible_records(user).select_related("session").filter(pk=record_id).first()
    if record is None:
        errors["record"] = f"no record {record_id!r} you can see"
    if errors:
        raise SubmissionError(errors)
    return method, record, _files(record, file_ids, method), canonical


def earlier_result(user, key: str) -> Run | None:
    """A succeeded run with the same key whose derived record `user` can see."""
    for run in Run.objects.filter(idempotency_key=key, state=Run.State.SUCCEEDED).select_related("output_session"):
        record = run.output_record
        if record is not None and visible_records(user).filter(pk=record.pk).exists():
            return run
    return None


def submit(user, method_slug, record_id, file_ids=None, params=None, version=None,
           reuse: bool = True, request_key: str | None = None) -> tuple[Run, bool]:
    """Create and queue a run; returns (run, reused). With `reuse`, an identical earlier result is returned.

    `request_key` names the request itself (a subscription's delivery, say): a second submission with the
    same key returns the run of the first, reused, and never starts another.
    """
    if request_key:
        asked = Run.objects.filter(request_key=request_key).first()
        if asked is not None:
            return asked, True
    method, record, files, canonical = validate(user, method_slug, record_id, file_ids, params, version)
    key = idempotency_key(method, canonical, [f.sha256 for f in files])
    if reuse:
        earlier = earlier_result(user, key)
        if earlier is not None:
            return earlier, True
    try:
        with transaction.atomic():
            run = Run.objects.create(
                method=method, record=record, params=canonical, idempotency_key=key, request_key=request_key,
                requested_by=user if isinstance(user, AbstractBaseUser) else None,
                inputs=[{"file_id": f.pk, "name": f.relative_path, "sha256": f.sha256} for f in files],
            )
            queue_run(run)
    except IntegrityError:
        if not request_key:
            raise
        return Run.objects.get(request_key=request_key), True  # the same request submitted at the same moment
    return run, False


def _queue(name: str):
    """The broker queue of a method. Given as a kombu Queue, not a name: a name would be added to this process's
    known queues, and the sweep of record builds (which waits while those queues hold messages) would then wait
    for queued analysis too."""
    from kombu import Exchange, Queue

    return Queue(name, Exchange(name, type="direct"), routing_key=name)


def send_run(run_id) -> bool:
    """Hand a run's supervisor to the broker now; False when the broker is away (the sweep sends it later)."""
    from lims.analysis.tasks import supervise_run

    run = Run.objects.filter(pk=run_id).select_related("method").first()
    if run is None or run.state != Run.State.QUEUED:
        return False
    if run.method.queue not in settings.ANALYSIS_CELERY_QUEUES:  # runners on other hosts claim it themselves
        Run.objects.filter(pk=run_id, queued__isnull=True).update(queued=timezone.now())
        return True
    try:
        supervise_run.apply_async((str(run_id),), queue=_queue(run.method.queue), retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure: the sweep sends it later
        log.warning("run %s stays owed: the broker did not take it (%s)", run_id, exc)
        return False
    Run.objects.filter(pk=run_id, queued__isnull=True).update(queued=timezone.now())
    return True


def queue_run(run: Run) -> None:
    """Send the run's supervisor once the current transaction commits."""
    run_id = run.pk
    transaction.on_commit(lambda: send_run(run_id))


def cancel(run: Run) -> bool:
    """Cancel a run: a queued one never starts; a running one is stopped by its supervisor. False when final."""
    if runs.move(run.pk, Run.State.CANCELLED, [Run.State.QUEUED], message="cancelled before it started"):
        return True
    return Run.objects.filter(pk=run.pk, state=Run.State.RUNNING).update(cancel_requested=True) == 1
