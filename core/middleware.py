from django.conf import settings


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy, and no caching of admin pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.path.startswith("/" + settings.ADMIN_URL):
            response.headers.setdefault("Cache-Control", "no-store, private")
        return response
