"""One error format for the API: {"detail": "...", "code": "..."} plus field errors when any."""
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and "detail" in data:
        code = getattr(data["detail"], "code", None)
        if code and "code" not in data:
            data["code"] = code
    elif isinstance(data, (dict, list)):
        response.data = {"detail": _summarise(data), "code": "invalid", "errors": data}
    return response


def _summarise(errors) -> str:
    """A one-line message from DRF's field errors: 'user: This field is required.'"""
    if isinstance(errors, list):
        return "; ".join(str(item) for item in errors)
    parts = []
    for field, messages in errors.items():
        if isinstance(messages, (list, tuple)):
            messages = " ".join(str(m) for m in messages)
        parts.append(f"{field}: {messages}")
    return "; ".join(parts)
