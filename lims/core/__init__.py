"""Shared plumbing for the API: authentication, pagination, error format and health checks."""
