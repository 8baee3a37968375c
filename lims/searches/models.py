"""A saved search: a named query in the ordinary search language, owned by one person."""
from django.conf import settings
from django.db import models

from lims.search.query import MAX_QUERY_LENGTH


class SavedSearch(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=200)
    query = models.TextField(max_length=MAX_QUERY_LENGTH, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_search_name_per_owner")]

    def __str__(self) -> str:
        return f"{self.name}: {self.query}"
