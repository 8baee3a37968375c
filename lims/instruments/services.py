"""Registering instruments: create or update one by PID, validated like the admin form would."""
from lims.instruments.models import Instrument


def register_instrument(pid: str, *, rotate_token: bool = False, **fields) -> tuple[Instrument, bool]:
    """Create the instrument `pid`, or update the given fields of the existing one; True when created.

    Raises ValidationError (with every problem) before anything is saved.
    """
    instrument = Instrument.objects.filter(pid=pid).first()
    created = instrument is None
    if created:
        instrument = Instrument(pid=pid)
    for name, value in fields.items():
        if value is not None:
            setattr(instrument, name, value)
    instrument.full_clean(exclude=["api_token"])
    instrument.save()
    if rotate_token and not created:
        instrument.rotate_token()
    return instrument, created

