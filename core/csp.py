"""django-csp's middleware, with the policy text built once per process instead of per response.

Our policy only varies by the nonce, yet django-csp assembles the header from the settings on
every response (about a tenth of the cost of a page served from the cache). The text is built
once with a marker where the nonce goes. Responses that carry their own policy changes (django-csp's
view decorators), report-only policies and debug error pages go through django-csp unchanged.
"""

from functools import cache

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed

_NONCE_MARKER = "CSPNONCEMARKER"
_PER_RESPONSE_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


@cache
def _policy(with_nonce):
    return build_policy(nonce=_NONCE_MARKER if with_nonce else None)


def _forget_policy(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _policy.cache_clear()


setting_changed.connect(_forget_policy, dispatch_uid="clinic-csp-policy")


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request, response):
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        if (
            settings.DEBUG
            or not policy
            or policy.get("EXCLUDE_URL_PREFIXES")
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or HEADER in response
            or any(hasattr(response, attribute) for attribute in _PER_RESPONSE_POLICY)
        ):
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        if isinstance(nonce, str):
            response[HEADER] = _policy(True).replace(_NONCE_MARKER, nonce)
        else:
            response[HEADER] = _policy(False)
            # As django-csp does: a nonce asked for after the header is written would not be in it.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
