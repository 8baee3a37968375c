"""The form that adds a webhook endpoint from the pages."""
from django import forms

from lims.webhooks.addresses import RefusedAddress, check_url
from lims.webhooks.models import Endpoint


class EndpointForm(forms.ModelForm):
    url = forms.URLField(max_length=2000, assume_scheme="https", label="URL")

    class Meta:
        model = Endpoint
        fields = ["url", "description"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        try:
            check_url(url)
        except RefusedAddress as exc:
            raise forms.ValidationError(str(exc))
        return url
