"""Management commands of the records app live in `commands/`."""
