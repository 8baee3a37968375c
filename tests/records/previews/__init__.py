"""Tests of the previews."""
