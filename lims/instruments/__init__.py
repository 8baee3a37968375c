"""Instruments: registration, tokens and their read-only API."""
