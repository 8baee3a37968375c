"""The client against a live server: lazy search across pages, counts, tables, downloads checked by sha256
(a second call transfers nothing), and typed errors that never show the token."""
import hashlib
from datetime import datetime, timezone

import pytest
from record_factory import make_record, make_sample_set, quantity

import lims_client

RECORDS = 250


def client_for(server, cast, who: str = "alice"):
    return lims_client.Client(server.url, cast.tokens[who])


def test_it_iterates_every_record_across_pages(server, cast):
    for number in range(RECORDS):
        make_record(cast.titan, "alice", cast.alice, title=f"run {number:03d}", project="bulk")
    make_record(cast.quanta, "alice", cast.alice, title="elsewhere", project="bulk")
    client = lims_client.Client(server.url, cast.tokens["alice"])
    search = client.records.search("instrument:titan project:bulk", page_size=100)
    assert search.count() == RECORDS
    titles = [record.title for record in search]
    assert sorted(titles) == [f"run {n:03d}" for n in range(RECORDS)]  # each once, over three pages
    assert client.records.search("instrument:nowhere").count() == 0


def test_to_pandas_gives_metadata_columns_with_their_units(server, cast):
    pytest.importorskip("pandas")
    make_sample_set(cast)
    make_record(cast.titan, "alice", cast.alice, title="in volts", start=datetime(2025, 6, 2, tzinfo=timezone.utc), files=[
        {"name": "x.dm3", "metadata": {"acceleration_voltage": quantity(80000, "V")}}])
    frame = client_for(server, cast).records.search("instrument:titan", sort="oldest").to_pandas(
        columns=["title", "acceleration_voltage"])
    assert list(frame.columns) == ["title", "acceleration_voltage [kV]"]
    assert frame.to_dict("records") == [{"title": "EELS of platinum nanoparticles", "acceleration_voltage [kV]": 200},
                                        {"title": "in volts", "acceleration_voltage [kV]": 80.0}]


def test_a_record_downloads_with_checksums_and_a_second_call_transfers_nothing(server, cast, tmp_path):
    contents = {"area1/a.dm3": b"a" * 300_000, "b.msa": b"spectrum data"}
    record = make_record(cast.titan, "alice", cast.alice, title="downloads",
                         files=[{"name": name, "content": content, "metadata": {"acceleration_voltage":
                                                                               quantity(300, "kV")}}
                                for name, content in contents.items()])
    client = lims_client.Client(server.url, cast.tokens["alice"])
    fetched = client.records.get(record.pk)
    assert {f.name for f in fetched.files} == set(contents)
    assert fetched.files[0].metadata["acceleration_voltage"] == {"value": 300, "unit": "kV"}
    paths = fetched.download(tmp_path / "out")
    assert {p.relative_to(tmp_path / "out").as_posix(): p.read_bytes() for p in paths} == contents
    transferred = client.connection.bytes_downloaded
    assert transferred == sum(len(c) for c in contents.values())
    fetched.download(tmp_path / "out")
    assert client.connection.bytes_downloaded == transferred  # local copies matched: nothing sent again
    changed = tmp_path / "out" / "b.msa"
    changed.write_bytes(b"edited locally")
    next(f for f in fetched.files if f.name == "b.msa").download(tmp_path / "out")
    assert hashlib.sha256(changed.read_bytes()).hexdigest() == hashlib.sha256(contents["b.msa"]).hexdigest()


def test_a_private_record_raises_permission_denied_without_the_token_in_the_text(server, cast):
    record = make_record(cast.titan, "charlie", cast.charlie, title="charlie's secret", visibility="private")
    token = cast.tokens["alice"]
    client = lims_client.Client(server.url, token)
    with pytest.raises(lims_client.PermissionDenied) as caught:
        client.records.get(record.pk)
    assert isinstance(caught.value, lims_client.NotFound)  # the server does not say which
    assert token not in str(caught.value) and token not in repr(caught.value) and token not in repr(client)
    with pytest.raises(lims_client.NotFound):
        client.records.get(10**9)
    wrong = lims_client.Client(server.url, "0" * 40)
    with pytest.raises(lims_client.PermissionDenied) as caught:
        wrong.records.search("").count()
    assert "0" * 40 not in str(caught.value)


def test_saved_searches_and_subscriptions(server, cast):
    make_sample_set(cast)
    client = lims_client.Client(server.url, cast.tokens["alice"])
    with pytest.raises(lims_client.ValidationError) as caught:
        client.searches.create("broken", "(titan")
    assert "query" in caught.value.fields
    saved = client.searches.create("Titan", "instrument:titan")
    assert [s.name for s in client.searches] == ["Titan"]
    preview = saved.preview(days=30)
    assert preview["count"] == 1 and preview["records"][0].title == "EELS of platinum nanoparticles"
    subscription = client.subscriptions.create(saved, "email")
    assert client.subscriptions.backfill_count(subscription["id"]) == 1
    with pytest.raises(lims_client.ValidationError) as caught:
        client.subscriptions.create(saved, "webhook")
    assert "endpoint" in caught.value.fields


def test_a_file_loads_as_a_hyperspy_signal(server, cast, tmp_path):
    pytest.importorskip("hyperspy")
    from tests.data.make_msa import CHANNELS, make_msa

    content = make_msa(tmp_path).read_bytes()
    record = make_record(cast.titan, "alice", cast.alice, title="a spectrum",
                         files=[{"name": "spectrum.msa", "content": content, "format": "msa"}])
    data_file = client_for(server, cast).records.get(record.pk).files[0]
    signal = data_file.load(tmp_path / "cache")
    assert signal.data.shape == (CHANNELS,)
    assert (tmp_path / "cache" / "spectrum.msa").read_bytes() == content
