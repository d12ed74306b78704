"""Errors under ``/api/`` answer JSON, whatever raised them.

A view of the API builds its own error bodies; this catches what never reaches one (an unknown
URL, a wrong method turned away by ``require_GET``, an ``Http404`` from a shortcut) so a client
always gets ``{"error", "status"}`` and never Django's HTML pages.
"""

from django.http import JsonResponse

API_PREFIX = "/api/"
_MESSAGES = {
    404: "لا يوجد شيء بهذا العنوان: {path}",
    405: "الطريقة {method} غير مسموح بها هنا؛ المسموح: {allowed}",
}


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.path_info.startswith(API_PREFIX)
            and response.status_code in _MESSAGES
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return self._as_json(request, response)
        return response

    @staticmethod
    def _as_json(request, response):
        status = response.status_code
        allowed = response.get("Allow", "")
        message = _MESSAGES[status].format(path=request.path, method=request.method, allowed=allowed)
        json = JsonResponse({"error": message, "status": status}, status=status, json_dumps_params={"ensure_ascii": False})
        if allowed:
            json["Allow"] = allowed
        return json
