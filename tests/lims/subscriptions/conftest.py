"""Fixtures for subscription tests: the records test set and a subscription factory."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "records"))

from record_factory import make_sample_set  # noqa: E402


@pytest.fixture
def records(cast):
    """platinum (alice, private, titan), zeolite (bob, facility, quanta), cathode (charlie, private, titan),
    pollen (public, quanta)."""
    return make_sample_set(cast)


@pytest.fixture
def subscribe(cast):
    """subscribe(owner, query, action="email", event="record.completed", **fields) -> a Subscription."""
    from lims.searches.models import SavedSearch
    from lims.subscriptions.models import Subscription

    def make(owner, query, action="email", event="record.completed", **fields):
        search = SavedSearch.objects.create(owner=owner, name=f"{query} {SavedSearch.objects.count()}", query=query)
        return Subscription.objects.create(owner=owner, search=search, event=event, action=action, **fields)

    return make


from tests.lims.analysis.conftest import built_record, run_inline  # noqa: E402,F401 - shared fixtures
