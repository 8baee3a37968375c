"""The page where a person chooses which e-mails they receive."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from lims.mail.models import Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["record_ready"]
        widgets = {"record_ready": forms.RadioSelect}


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request):
    """/accounts/notifications/: "your record is ready" for each record, as a daily digest, or not at all."""
    preference, _ = Preference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST or None, instance=preference)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Saved your e-mail choices.")
        return redirect("mail:preferences")
    return render(request, "mail/preferences.html", {"form": form})
