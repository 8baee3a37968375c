"""Tests of the record library."""
