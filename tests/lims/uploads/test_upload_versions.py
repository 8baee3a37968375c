"""The same file twice is one DataFile; a changed file with the same name becomes version 2."""
from lims.sessions.models import DataFile
from lims.uploads.models import Upload

from .conftest import sha256


def test_it_keeps_one_datafile_when_the_same_file_arrives_twice(titan_tus, session):
    titan_tus.send(session.pk, "a.txt", b"same bytes")
    # A new upload of identical content (e.g. no sha256 announced, so no deduplication at creation).
    response = titan_tus.send(session.pk, "a.txt", b"same bytes", announce_sha=False)
    assert response.status_code == 204
    datafile = DataFile.objects.get()
    assert datafile.version == 1
    assert Upload.objects.filter(datafile=datafile).count() == 2
    assert [p.name for p in session.storage_dir.iterdir()] == ["a.txt"]


def test_it_stores_a_changed_file_as_the_next_version(titan_tus, session):
    titan_tus.send(session.pk, "run/a.txt", b"first")
    titan_tus.send(session.pk, "run/a.txt", b"second!")
    titan_tus.send(session.pk, "run/a.txt", b"third!!!")
    versions = list(DataFile.objects.order_by("version").values_list("version", "sha256", "size"))
    assert versions == [(1, sha256(b"first"), 5), (2, sha256(b"second!"), 7), (3, sha256(b"third!!!"), 8)]
    folder = session.storage_dir / "run"
    assert (folder / "a.txt").read_bytes() == b"first"
    assert (folder / "a.v2.txt").read_bytes() == b"second!"
    assert (folder / "a.v3.txt").read_bytes() == b"third!!!"


def test_it_returns_the_first_version_when_old_content_comes_back(titan_tus, session):
    titan_tus.send(session.pk, "a.txt", b"first")
    titan_tus.send(session.pk, "a.txt", b"second")
    titan_tus.send(session.pk, "a.txt", b"first", announce_sha=False)
    assert DataFile.objects.count() == 2
    assert Upload.objects.order_by("created").last().datafile.version == 1


def test_it_never_overwrites_another_files_version(titan_tus, session):
    titan_tus.send(session.pk, "a.txt", b"first")
    titan_tus.send(session.pk, "a.txt", b"second")  # stored as a.v2.txt
    response = titan_tus.send(session.pk, "a.v2.txt", b"a file really named a.v2.txt")
    assert response.status_code == 204
    assert (session.storage_dir / "a.v2.txt").read_bytes() == b"second"
    # The file really named a.v2.txt is kept too, under a safe name, and keeps its own name in the record.
    named = DataFile.objects.get(relative_path="a.v2.txt")
    assert named.stored_as.startswith(".renamed/") and named.stored_as.endswith(".txt")
    assert named.absolute_path.read_bytes() == b"a file really named a.v2.txt"
    assert DataFile.objects.count() == 3
