"""Template context every page gets: the facility's name and logo."""
from django.conf import settings


def facility(request) -> dict:
    return {"facility_name": settings.FACILITY_NAME, "facility_logo": settings.FACILITY_LOGO_URL}
