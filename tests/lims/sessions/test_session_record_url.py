"""record_url: the record's page once it exists, else the page that waits for it."""
from django.utils import timezone

from lims.records.models import Record
from lims.sessions.models import Session


def test_it_points_at_the_waiting_page_before_the_record_exists(titan, start, settings):
    data = start()
    assert data["record_url"] == f"{settings.SITE_URL}/records/session/{data['id']}/"


def test_it_points_at_the_record_once_it_is_built(titan, start, settings):
    settings.SITE_URL = "https://lims.example.org"
    data = start()
    record = Record.objects.create(session=Session.objects.get(pk=data["id"]), title="t", xml="<r/>",
                                   schema_version="1", built=timezone.now())
    response = titan.get(f"/api/v1/sessions/{data['id']}/")
    assert response.json()["record_url"] == f"https://lims.example.org/records/{record.pk}/"
