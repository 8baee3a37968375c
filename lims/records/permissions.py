"""Who may see which record: the one rule every list, page, facet count, file and download uses.

A record is visible to its experimenter (the session's account), to members of any group of the
experimenter, to everyone logged in when the session's visibility is `facility`, to everyone
(even anonymous visitors) when `public`, and to staff. An instrument token sees public records only.
"""
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from lims.core.authentication import InstrumentAgent
from lims.records.models import Record
from lims.sessions.models import Session, Visibility


@dataclass(frozen=True)
class Audience:
    """The rule for one reader: everything, or sessions of these visibilities or these accounts."""

    everything: bool = False
    visibilities: frozenset = frozenset({Visibility.PUBLIC})
    accounts: frozenset = frozenset()


def audience(user) -> Audience:
    """What `user` may see (None or an anonymous user: public records only)."""
    if user is None or not user.is_authenticated or isinstance(user, InstrumentAgent):
        return Audience()
    if user.is_staff:
        return Audience(everything=True)
    group_mates = get_user_model().objects.filter(groups__in=user.groups.all()).values_list("pk", flat=True)
    return Audience(visibilities=frozenset({Visibility.PUBLIC, Visibility.FACILITY}),
                    accounts=frozenset({user.pk, *group_mates}))


def _visibility_q(user, prefix: str = "") -> Q:
    """The visibility rule as a filter on a Session reached through `prefix` ("" or "session__")."""
    rule = audience(user)
    if rule.everything:
        return Q()
    condition = Q(**{f"{prefix}visibility__in": sorted(rule.visibilities)})
    if rule.accounts:
        condition |= Q(**{f"{prefix}account__in": sorted(rule.accounts)})
    return condition


def visible_records(user) -> QuerySet:
    """Records `user` may see (None or an anonymous user: public records only)."""
    return Record.objects.filter(_visibility_q(user, "session__"))


def visible_record_or_404(user, record_id: int, without_xml: bool = False) -> Record:
    """One record `user` may see, with its session and instrument, else Http404 (the record's existence is not
    revealed); `without_xml` leaves the (large) XML unread."""
    records = visible_records(user).select_related("session__instrument")
    return get_object_or_404(records.defer("xml_text") if without_xml else records, pk=record_id)


def visible_sessions(user) -> QuerySet:
    """Sessions `user` may see, by the same rule (for the "record being built" page)."""
    return Session.objects.filter(_visibility_q(user))
