"""Every corpus file of the formats beyond the first list: what the instrument wrote, and its signals."""
import pytest

from records.extractors import extract
from tests.conftest import corpus_file
from tests.records.extractors.expected import CORPUS, SIGNALS, check

MORE = [name for name in CORPUS if name.startswith("more/")]


@pytest.mark.corpus
@pytest.mark.parametrize("name", MORE)
def test_it_reads_what_the_instrument_wrote(name):
    check(extract(corpus_file(name)), name)


@pytest.mark.corpus
@pytest.mark.parametrize("name", sorted(SIGNALS))
def test_each_further_signal_is_its_own_extraction(name):
    extraction = extract(corpus_file(name))
    assert [signal.metadata["signal_type"] for signal in extraction.signals] == SIGNALS[name]
    for signal in extraction.signals:
        assert signal.loader is not None and signal.data_bytes > 0
        assert signal.metadata["acceleration_voltage"] == extraction.metadata["acceleration_voltage"]
