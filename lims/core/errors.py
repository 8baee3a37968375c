"""Django's error pages (400, 403, 404, 500) in the API's JSON error format for /api/, HTML elsewhere."""
from django.http import JsonResponse
from django.views import defaults

from lims.core.exceptions import error_body

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def bad_request(request, exception):
    if _is_api(request):
        return JsonResponse(error_body("Bad request.", "bad_request"), status=400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception):
    if _is_api(request):
        return JsonResponse(error_body("You do not have permission to perform this action.", "permission_denied"),
                            status=403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse(error_body("Not found.", "not_found"), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse(error_body("Internal server error; the details are in the server's log.",
                                       "server_error"), status=500)
    return defaults.server_error(request)
