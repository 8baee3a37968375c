"""The form that saves a search from the pages."""
from django import forms

from lims.searches.models import SavedSearch
from lims.searches.services import QueryError, check_query


class SavedSearchForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["name", "query"]
        widgets = {"query": forms.TextInput(attrs={"size": 60})}

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        taken = SavedSearch.objects.filter(owner=self.owner, name=name).exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError("You already have a saved search of this name.")
        return name

    def clean_query(self) -> str:
        try:
            return check_query(self.cleaned_data["query"])
        except QueryError as exc:
            raise forms.ValidationError(f"Invalid query: {exc}")
