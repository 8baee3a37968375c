"""Telling experimenters that their record is ready: at once, or in a daily digest, as each person chose.

`on_record_completed` is an event handler (`lims.events.outbox.HANDLERS`): it owes a notice to the
experimenter's account when it has an address and has not switched this off. A notice is unique
per person and record, so a rebuild never sends a second e-mail; one that could not be sent stays
unsent and the event is dispatched again.
"""
from django.utils import timezone

from lims.mail.messages import send_digest, send_record_ready
from lims.mail.models import Notice, Preference


def choice_of(user) -> str:
    preference = Preference.objects.filter(user=user).first()
    return preference.record_ready if preference else Preference.ReadyMail.EACH


def on_record_completed(event) -> None:
    record = event.record
    if record is None or event.generation > 0:
        return
    user = record.session.account
    if user is None or not user.email or not user.is_active:
        return
    choice = choice_of(user)
    if choice == Preference.ReadyMail.OFF:
        return
    notice, _ = Notice.objects.get_or_create(user=user, record=record)
    if notice.sent is None and choice == Preference.ReadyMail.EACH:
        send_record_ready(user, record)
        Notice.objects.filter(pk=notice.pk).update(sent=timezone.now())


def send_digests() -> int:
    """One e-mail per person who chose the digest and is owed notices (beat, daily); returns how many."""
    owed = Notice.objects.filter(sent__isnull=True, user__mail_preference__record_ready=Preference.ReadyMail.DIGEST)
    sent = 0
    for user_id in list(owed.order_by().values_list("user", flat=True).distinct()):
        notices = list(owed.filter(user_id=user_id).select_related("user", "record__session__instrument"))
        send_digest(notices[0].user, [n.record for n in notices])
        Notice.objects.filter(pk__in=[n.pk for n in notices]).update(sent=timezone.now())
        sent += 1
    return sent
