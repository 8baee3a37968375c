"""Instrument sessions: their lifecycle, events and data files, and the sessions API."""
