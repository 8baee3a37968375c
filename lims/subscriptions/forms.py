"""The form that makes a subscription from the pages."""
from django import forms
from django.core.exceptions import ValidationError

from lims.analysis import registry
from lims.searches.models import SavedSearch
from lims.subscriptions.models import Subscription
from lims.subscriptions.services import check_subscription
from lims.webhooks.models import Endpoint


class SubscriptionForm(forms.ModelForm):
    method = forms.ChoiceField(required=False, label="Method (to run a method)")
    method_params = forms.JSONField(required=False, label="Parameters of the method (JSON)",
                                    widget=forms.Textarea(attrs={"rows": 3, "placeholder": "{}"}))

    class Meta:
        model = Subscription
        fields = ["search", "event", "action", "endpoint", "method", "method_params", "max_generation"]
        labels = {"max_generation": "Derived records up to generation (0: instrument data only)"}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["search"].queryset = SavedSearch.objects.filter(owner=owner)
        self.fields["endpoint"].queryset = Endpoint.objects.filter(owner=owner)
        self.fields["endpoint"].required = False
        self.fields["method"].choices = [("", "—")] + [(m.slug, f"{m.title} ({m.slug} {m.version})")
                                                      for m in registry.catalogue()]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        params = {}
        if data.get("action") == Subscription.Action.RUN:
            params = {"method": data.get("method") or None, "params": data.get("method_params") or {}}
        try:
            check_subscription(self.owner, data.get("search"), data.get("action"), data.get("endpoint"), params)
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                # The method's own fields ("params.x") are shown on the parameters box.
                field = "method_params" if key.startswith("params") else "method" if key == "version" else key
                self.add_error(field if field in self.fields else None, [f"{key}: {m}" if field != key else m
                                                                         for m in messages])
            return data
        self.instance.params = params
        return data
