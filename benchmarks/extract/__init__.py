"""Benchmark of extraction plus preview against just reading the same files with the format libraries."""
