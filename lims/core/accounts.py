"""Password reset by e-mail, offered only where e-mail works, and never said to be sent when it was not."""
import logging

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.core.mail import EmailMessage
from django.shortcuts import render
from django.template import loader

log = logging.getLogger(__name__)
NOT_SENT = "The e-mail could not be sent just now; try again later or ask the facility staff."


class _ResetForm(PasswordResetForm):
    """Django's form logs a failed e-mail and carries on; this one lets the failure through."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        EmailMessage(subject, body, from_email, [to_email]).send()


class PasswordResetView(auth_views.PasswordResetView):
    """Without EMAIL_URL, a page saying whom to ask; when the mail server fails, the form says so."""

    form_class = _ResetForm

    def dispatch(self, request, *args, **kwargs):
        if not settings.EMAIL_CONFIGURED:
            return render(request, "registration/password_reset_unavailable.html")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except Exception:  # noqa: BLE001 - SMTP refused, timed out, unreachable ...
            log.exception("a password reset e-mail could not be sent")
            form.add_error(None, NOT_SENT)
            response = self.form_invalid(form)
            response.status_code = 503
            return response
