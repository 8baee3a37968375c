"""Limits on guessing: who the client is behind trusted proxies, and failed token guesses per client.

Password guesses on the login pages (the site's and the admin's) are counted and locked out by
django-axes (settings AXES_*), which asks `client_ip` for the address. Token guesses on the API are
counted here with DRF's throttle machinery: a client address with TOKEN_FAILURE_RATE failed tokens
is answered 429 for any token until the window has passed.
"""
import logging

from rest_framework.exceptions import Throttled
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

log = logging.getLogger(__name__)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the address the trusted proxies in front saw.

    With TRUSTED_PROXIES=N (REST_FRAMEWORK["NUM_PROXIES"]), the N-th address from the right of
    X-Forwarded-For is the client's; anything further left was written by the client and is ignored.
    """
    return BaseThrottle().get_ident(request)


class TokenGuessThrottle(SimpleRateThrottle):
    """Failed token authentications per client address (the rate `token_guess`)."""

    scope = "token_guess"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]  # read when used, not when imported

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

    def _recent(self, request) -> list:
        self.key = self.get_cache_key(request)
        self.now = self.timer()
        self.history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
        return self.history

    def check(self, request) -> None:
        """Throttled when this client already failed too often (counts nothing).

        With the cache unreachable nothing is throttled: the API must keep working without it.
        """
        try:
            blocked = len(self._recent(request)) >= self.num_requests
        except Exception as exc:  # noqa: BLE001 - a cache outage must not take the API down
            log.warning("token throttling skipped, the cache is unreachable: %s", exc)
            return
        if blocked:
            raise Throttled(self.wait(), detail="Too many invalid tokens from this address; try again later.")

    def failed(self, request) -> None:
        """Count one failed token of this client."""
        try:
            self._recent(request)
            self.throttle_success()
        except Exception as exc:  # noqa: BLE001
            log.warning("an invalid token was not counted, the cache is unreachable: %s", exc)
