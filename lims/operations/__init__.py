"""Keeping an installation healthy: backups and restores, fixity audits, the administrator's overview and preflight checks."""
