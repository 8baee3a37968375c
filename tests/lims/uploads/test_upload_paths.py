"""Upload paths stay inside the session folder; anything that could escape is refused with 400."""
import pytest

from lims.uploads.models import Upload
from lims.uploads.storage import UnsafePath, safe_relative_path

ESCAPES = ["../x", "/etc/passwd", "C:\\x", "a/../../b", "..\\..\\windows\\win.ini", "c:relative", "", "  ",
           "a\x00b", "line\nbreak", "dir/ /x"]


@pytest.mark.parametrize("name", ESCAPES)
def test_it_refuses_a_path_that_is_not_a_safe_relative_path(titan_tus, session, settings, name):
    response = titan_tus.create(session.pk, name, b"secret")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("filename: ")
    assert Upload.objects.count() == 0
    # Nothing was written anywhere but the (empty) upload area.
    written = [p for p in settings.DATA_ROOT.parent.rglob("*") if p.is_file()]
    assert written == []


def test_it_says_what_is_wrong_with_a_path():
    with pytest.raises(UnsafePath, match="contains '..'"):
        safe_relative_path("a/../../b")
    with pytest.raises(UnsafePath, match="absolute path"):
        safe_relative_path("/etc/passwd")
    with pytest.raises(UnsafePath, match="drive letter"):
        safe_relative_path("C:\\x")
    with pytest.raises(UnsafePath, match="control characters"):
        safe_relative_path("a\x00b")


def test_it_normalises_backslashes_and_redundant_parts():
    assert safe_relative_path("run1\\sub\\a.dm3") == "run1/sub/a.dm3"
    assert safe_relative_path("./run1//a.dm3") == "run1/a.dm3"
    assert safe_relative_path("spaces in name.tif") == "spaces in name.tif"


def test_it_refuses_a_symlink_that_leads_out_of_the_session_folder(titan_tus, session, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    session.storage_dir.mkdir(parents=True)
    (session.storage_dir / "link").symlink_to(outside)
    response = titan_tus.create(session.pk, "link/x.txt", b"secret")
    assert response.status_code == 400
    assert "resolves outside the session folder" in response.json()["detail"]
    assert list(outside.iterdir()) == []
