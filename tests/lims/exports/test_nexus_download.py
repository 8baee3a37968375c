"""Downloading a record as a NIST Nexus Experiment document, valid against NIST's schema when present."""
from pathlib import Path

import pytest
from lxml import etree

from lims.records import pipeline
from lims.sessions.models import Session, Visibility
from tests.conftest import REPO
from tests.data.make_session_files import png_bytes, tiff_bytes

NEXUS_XSD = REPO.parent / "shared" / "external" / "nexus-experiment-v1.0.xsd"
NEXUS_NS = "https://data.nist.gov/od/dm/nexus/experiment/v1.0"


@pytest.fixture
def record(cast, make_session):
    session = make_session(cast.titan, {"a.tif": tiff_bytes(1), "b.png": png_bytes(2)}, user="alice",
                           sample="Au grid")
    Session.objects.filter(pk=session.pk).update(account=cast.alice)
    pipeline.build_now(str(session.pk))
    return Session.objects.get(pk=session.pk).record


def test_the_owner_downloads_a_valid_nexus_document(record, cast, api):
    response = api(cast.tokens["alice"]).get(f"/api/v1/records/{record.pk}/nexus")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    assert root.tag == f"{{{NEXUS_NS}}}Experiment"
    assert b"a.tif" in response.content and b"Au grid" in response.content
    if not NEXUS_XSD.exists():
        pytest.skip(f"NIST's schema not found at {NEXUS_XSD}; the document was not validated")
    schema = etree.XMLSchema(etree.parse(str(NEXUS_XSD)))
    assert schema.validate(root), schema.error_log


def test_an_outsider_gets_404(record, cast, api, client):
    assert api(cast.tokens["charlie"]).get(f"/api/v1/records/{record.pk}/nexus").status_code == 404
    client.force_login(cast.charlie)
    assert client.get(f"/records/{record.pk}/nexus.xml").status_code == 404


def test_a_public_record_downloads_without_login(record, client):
    session = record.session
    session.visibility = Visibility.PUBLIC
    session.save()
    response = client.get(f"/records/{record.pk}/nexus.xml")
    assert response.status_code == 200
    assert 'filename="record-' in response["Content-Disposition"]
