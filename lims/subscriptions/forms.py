"""The form that makes a subscription from the pages."""
from django import forms

from lims.searches.models import SavedSearch
from lims.subscriptions.models import Subscription
from lims.subscriptions.services import check_subscription
from lims.webhooks.models import Endpoint


class SubscriptionForm(forms.ModelForm):
    class Meta:
        model = Subscription
        fields = ["search", "event", "action", "endpoint", "max_generation"]
        labels = {"max_generation": "Derived records up to generation (0: instrument data only)"}

    def __init__(self, *args, owner, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner
        self.fields["search"].queryset = SavedSearch.objects.filter(owner=owner)
        self.fields["endpoint"].queryset = Endpoint.objects.filter(owner=owner)
        self.fields["endpoint"].required = False

    def clean(self):
        data = super().clean()
        if not self.errors:
            check_subscription(self.owner, data.get("search"), data.get("action"), data.get("endpoint"), {})
        return data
