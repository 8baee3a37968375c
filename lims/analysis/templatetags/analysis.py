"""`{% analysis_panel record %}`: on a record page, "Analyse", what it was derived from and what was derived from it."""
from django import template

from lims.analysis.models import Run
from lims.records.permissions import visible_records

register = template.Library()


@register.inclusion_tag("analysis/lineage.html", takes_context=True)
def analysis_panel(context, record):
    user = context["request"].user
    visible = visible_records(user)
    source = Run.objects.filter(output_session_id=record.session_id).select_related("method", "record").first()
    if source is not None and not visible.filter(pk=source.record_id).exists():
        source = None
    derived = [run for run in Run.objects.filter(record=record, state=Run.State.SUCCEEDED)
               .select_related("method", "output_session__record").order_by("-finished")[:50]
               if run.output_record is not None and visible.filter(pk=run.output_record.pk).exists()]
    return {"record": record, "source": source, "derived": derived}
