"""Fixtures for exporter tests."""

from __future__ import annotations

import pytest

from exports.model import TenderDocument
from tests.exports.factory import sample_tender


@pytest.fixture
def sample() -> TenderDocument:
    return sample_tender()
