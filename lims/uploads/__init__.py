"""Resumable (tus 1.0) uploads of session files."""
