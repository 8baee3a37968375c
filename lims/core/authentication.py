"""Token authentication for people and instruments with one header: `Authorization: Token <key>`.

A personal token (DRF's authtoken) authenticates its user. An instrument token authenticates an
`InstrumentAgent`, and `request.auth` is the Instrument: permission classes then keep it to
that instrument's own sessions and uploads. A `SessionsAgent` (a runner on the tus endpoints it is
given, see lims.analysis.runner_api) may write only the sessions it was given. Invalid tokens are
counted per client address; too many of them are answered 429 (lims.core.throttling).
"""
from functools import wraps

from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from rest_framework import authentication, exceptions

from lims.core.throttling import TokenGuessThrottle


class _Agent(AnonymousUser):
    """A caller that is authenticated without being a person: no account, no staff, no permissions."""

    @property
    def is_authenticated(self):
        return True

    @property
    def is_anonymous(self):
        return False


class InstrumentAgent(_Agent):
    """The caller behind an instrument token: authenticated, but no person and no staff."""

    def __init__(self, instrument):
        self.instrument = instrument

    def __str__(self):
        return f"instrument {self.instrument.pid}"


class SessionsAgent(_Agent):
    """A caller allowed to upload into a few sessions only (`sessions`, a queryset), and to do nothing else."""

    def __init__(self, name: str, sessions):
        self.name = name
        self.sessions = sessions

    def __str__(self):
        return self.name


class TokenAuthentication(authentication.TokenAuthentication):
    """Accepts personal API tokens and instrument tokens; throttles clients that guess."""

    def authenticate(self, request):
        if not authentication.get_authorization_header(request):
            return None
        guesses = TokenGuessThrottle()
        guesses.check(request)
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            guesses.failed(request)
            raise

    def authenticate_credentials(self, key):
        from lims.instruments.models import Instrument

        instrument = Instrument.objects.filter(api_token=key).first()
        if instrument is not None:
            if not instrument.active:
                raise exceptions.AuthenticationFailed("This instrument is disabled.")
            return InstrumentAgent(instrument), instrument
        try:
            return super().authenticate_credentials(key)
        except exceptions.AuthenticationFailed:
            raise exceptions.AuthenticationFailed("Invalid token: no user or instrument has it.")


def instrument_of(request):
    """The Instrument a request acts for through an instrument token, or None."""
    return getattr(request.user, "instrument", None) if isinstance(request.user, InstrumentAgent) else None


def token_or_session(view):
    """Let a page URL (a download, a preview) accept `Authorization: Token <key>` besides the browser session.

    Without the header the browser session decides as usual; a wrong token gets 401, never the
    anonymous view.
    """
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if authentication.get_authorization_header(request)[:6].lower() == b"token ":
            try:
                found = TokenAuthentication().authenticate(request)
            except exceptions.AuthenticationFailed as exc:
                response = JsonResponse({"detail": str(exc.detail), "code": "authentication_failed"}, status=401)
                response["WWW-Authenticate"] = "Token"
                return response
            if found is not None:
                request.user = found[0]
        return view(request, *args, **kwargs)

    return wrapped
