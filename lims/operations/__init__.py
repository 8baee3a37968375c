"""Keeping an installation healthy: backups, restores, fixity audits, the staff overview and preflight checks."""
