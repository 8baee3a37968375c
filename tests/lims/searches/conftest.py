"""Fixtures for saved search tests: the records test set (from tests/lims/records)."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "records"))

from record_factory import make_sample_set  # noqa: E402


@pytest.fixture
def records(cast):
    """platinum (alice, private), zeolite (bob, facility), cathode (charlie, private), pollen (public)."""
    return make_sample_set(cast)
