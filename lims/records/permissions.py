"""Who may see which record: the one rule every list, page, facet count, file and download uses.

A record is visible to its experimenter (the session's account), to members of any group of the
experimenter, to everyone logged in when the session's visibility is `facility`, to everyone
(even anonymous visitors) when `public`, and to staff. An instrument token sees public records only.
"""
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from lims.core.authentication import InstrumentAgent
from lims.records.models import Record, RecordSearch
from lims.sessions.models import Session, Visibility


def _visibility_q(user, prefix: str = "") -> Q:
    """The visibility rule as a filter on a Session reached through `prefix` ("" or "session__")."""
    public = Q(**{f"{prefix}visibility": Visibility.PUBLIC})
    if user is None or not user.is_authenticated or isinstance(user, InstrumentAgent):
        return public
    if user.is_staff:
        return Q()
    group_mates = get_user_model().objects.filter(groups__in=user.groups.all()).values("pk")
    return (
        public
        | Q(**{f"{prefix}visibility": Visibility.FACILITY})
        | Q(**{f"{prefix}account": user})
        | Q(**{f"{prefix}account__in": group_mates})
    )


def visible_records(user) -> QuerySet:
    """Records `user` may see (None or an anonymous user: public records only)."""
    return Record.objects.filter(_visibility_q(user, "session__"))


def searchable_records(user) -> QuerySet:
    """The search rows of the records `user` may see: the same rule on the copies search keeps of
    each session's visibility and account, so searching never joins the sessions table."""
    return RecordSearch.objects.filter(_visibility_q(user))


def visible_sessions(user) -> QuerySet:
    """Sessions `user` may see, by the same rule (for the "record being built" page)."""
    return Session.objects.filter(_visibility_q(user))
