"""What every build of a record takes from curation: the title, descriptions and the activities people arranged.

`lims.records.pipeline` calls `summary` on the experiment it builds and `arrange` on the activities
it grouped, so edits survive any rebuild of the session.
"""
from datetime import datetime

from records.activities import activity_mode, common_setup
from records.model import Activity, Dataset, Experiment

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


def _when(dataset: Dataset) -> tuple:
    return (dataset.acquired is None, dataset.acquired or datetime.min, dataset.location)


def _activity(datasets: list[Dataset]) -> Activity:
    datasets = sorted(datasets, key=_when)
    stamps = [d.acquired for d in datasets if d.acquired is not None]
    start, end = (min(stamps), max(stamps)) if stamps else (None, None)
    return Activity(index=0, start=start, end=end, mode=activity_mode(datasets), setup=common_setup(datasets),
                    datasets=datasets)


def arrange(session, activities: list[Activity], by_file: dict[int, Dataset]) -> list[Activity]:
    """The built activities as people arranged them, renumbered in time order; file descriptions set.

    Files named in the curated groups go where people put them; files they never placed (sent
    later, for example) stay grouped as the build grouped them.
    """
    curation = _curation(session)
    if curation is None:
        return activities
    for file_id, text in (curation.file_descriptions or {}).items():
        dataset = by_file.get(int(file_id))
        if dataset is not None:
            dataset.description = text
    if not curation.groups:
        return activities
    placed, groups = set(), []
    for ids in curation.groups:
        members = [by_file[i] for i in ids if i in by_file]
        placed.update(id(d) for d in members)
        groups.append(members)
    groups += [[d for d in activity.datasets if id(d) not in placed] for activity in activities]
    arranged = [_activity(members) for members in groups if members]
    fallback = min((a.start for a in arranged if a.start), default=session.start)
    for activity in arranged:
        activity.start = activity.start or fallback
        activity.end = activity.end or activity.start
    arranged.sort(key=lambda a: (a.start is None, a.start or datetime.min, _when(a.datasets[0])))
    for index, activity in enumerate(arranged, start=1):
        activity.index = index
    return arranged
