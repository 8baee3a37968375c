"""A subscription with the e-mail action sends through a real SMTP server: the search, the record and its link."""
from lims.events.models import Event
from lims.events.outbox import emit
from lims.searches.models import SavedSearch
from lims.subscriptions.models import Subscription


def test_a_matching_record_is_mailed_to_the_subscriber(cast, records, smtp, django_capture_on_commit_callbacks):
    search = SavedSearch.objects.create(owner=cast.bob, name="Catalysis", query="project:catalysis")
    Subscription.objects.create(owner=cast.bob, search=search, action="email")
    with django_capture_on_commit_callbacks(execute=True):
        emit(Event.Type.RECORD_COMPLETED, record=records["platinum"])  # alice's, private, bob in her group
    mails = [m for m in smtp.messages if m["To"] == "bob@example.org"]
    assert len(mails) == 1
    assert mails[0]["Subject"] == "Catalysis: record.completed EELS of platinum nanoparticles"
    assert f"https://lims.example.org/records/{records['platinum'].pk}/" in mails[0].get_content()
