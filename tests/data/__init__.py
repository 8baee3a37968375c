"""Makers of the small files the tests need, each written into a folder the test gives."""
