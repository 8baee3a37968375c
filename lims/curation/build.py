"""What every build of a record takes from curation: the title, descriptions and the activities people arranged.

`lims.records.pipeline` calls `summary` on the experiment it builds, `descriptions` for the files'
descriptions and `arrange` on the file ids of the activities it grouped, so edits survive any
rebuild of the session.
"""
from collections.abc import Callable

from records.model import Experiment

from lims.curation.models import Curation


def _curation(session) -> Curation | None:
    return Curation.objects.filter(session=session).first()


def summary(session, experiment: Experiment) -> Experiment:
    """The experiment with its curated title (when one is set) and description."""
    curation = _curation(session)
    if curation is not None:
        experiment.title = curation.title or experiment.title
        experiment.description = curation.description
    return experiment


def descriptions(session) -> dict[int, str]:
    """File id -> the description people wrote for that file."""
    curation = _curation(session)
    return {int(file_id): text for file_id, text in ((curation.file_descriptions or {}) if curation else {}).items()}


def arrange(session, groups: list[list[int]], when: Callable[[int], tuple]) -> list[list[int]] | None:
    """The file ids of each activity as people arranged them, in time order; None when nobody did.

    `groups` are the file ids of the activities the build found and `when(file_id)` gives the sort
    key of a file (untimed files last). Files named in the curated groups go where people put them;
    files they never placed (sent later, for example) stay grouped as the build grouped them. Each
    activity's files are in time order, and activities are ordered by their first file.
    """
    curation = _curation(session)
    if curation is None or not curation.groups:
        return None
    known = {file_id for group in groups for file_id in group}
    placed, arranged = set(), []
    for ids in curation.groups:
        members = [file_id for file_id in ids if file_id in known and file_id not in placed]
        placed.update(members)
        arranged.append(members)
    arranged += [[file_id for file_id in group if file_id not in placed] for group in groups]
    arranged = [sorted(members, key=when) for members in arranged if members]
    arranged.sort(key=lambda members: when(members[0]))
    return arranged
