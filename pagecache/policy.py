"""Which requests may be answered from, or stored in, the page cache, and under which key.

A view opts in with `@cached_page(query=(...))` (or a `page_cache` attribute on a class-based
view) and names the query parameters it reads. Only those are keyed, and only as positive whole
numbers; any other parameter is ignored, so a campaign tag neither splits a page into copies nor
reaches the stored bytes. A text parameter (a search) is declared with the function that
normalises it (`text={"q": normalise}`) and keyed by the normalised value, which the view must be
built from alone: spellings that normalise alike share one stored page.

The key holds the scheme and the host as the site writes it (lower case, the server's own port or
none); a request with another spelling of the host is answered fresh and never stored,
so Host variants cannot fill the cache.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote

from django.conf import settings
from django.http.request import split_domain_port, validate_host
from django.urls import Resolver404, resolve
from django.utils.encoding import escape_uri_path

from pagecache.versions import SITE

_WHOLE_NUMBER = re.compile(r"[1-9][0-9]{0,17}")
# The longest normalised text value keyed; a normaliser that gives more is not trusted with the cache.
MAX_TEXT_LENGTH = 256
_DEFAULT_PORTS = {"http": "80", "https": "443"}
# Parameters and cookies that make a request one reader's own (a reply form, a held comment);
# apps add theirs with `bypass()` in AppConfig.ready().
_bypass_parameters = set()
_bypass_cookies = {"messages"}


@dataclass(frozen=True)
class CachePolicy:
    """What a cached view reads from the query string: positive whole numbers (`query`), and text
    values by name with the function that normalises each (`text`, a mapping)."""

    query: tuple = ()
    text: tuple = ()

    def __post_init__(self):
        object.__setattr__(self, "query", tuple(sorted(self.query)))
        text = self.text.items() if isinstance(self.text, dict) else self.text
        object.__setattr__(self, "text", tuple(sorted(text)))


def cached_page(*, query=(), text=None):
    """Opt a view in to the page cache; `query` names the whole-number parameters the page depends
    on, `text` maps text parameters to their normalisers."""
    policy = CachePolicy(tuple(query), dict(text or {}))

    def decorator(view):
        view.page_cache = policy
        return view

    return decorator


def bypass(*, parameters=(), cookies=()):
    """Requests carrying any of these are rendered for their reader alone: never served a stored
    page, never stored."""
    _bypass_parameters.update(parameters)
    _bypass_cookies.update(cookies)


def policy_for(view):
    policy = getattr(view, "page_cache", None)
    if policy is None:
        policy = getattr(getattr(view, "view_class", None), "page_cache", None)
    return policy if isinstance(policy, CachePolicy) else None


def is_shared_read(request):
    """A GET or HEAD by a reader who is anonymous for certain and has nothing of their own waiting."""
    if request.method not in ("GET", "HEAD") or not settings.PAGE_CACHE_SECONDS:
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or any(name in cookies for name in _bypass_cookies):
        return False
    if not request.META.get("QUERY_STRING"):
        return True
    return not any(name in request.GET for name in _bypass_parameters)


def site_host(request):
    """The host as the site writes it, or None when the request spells it another way."""
    return _canonical_host(
        request._get_raw_host(), request.scheme, str(request.get_port()), tuple(settings.ALLOWED_HOSTS)
    )


@lru_cache(maxsize=256)
def _canonical_host(host, scheme, server_port, allowed_hosts):
    domain, port = split_domain_port(host)
    if not domain or not validate_host(domain, allowed_hosts):
        return None
    # The port the reader connected to: the server's own, or the proxy's (USE_X_FORWARDED_PORT).
    if port and (port == _DEFAULT_PORTS.get(scheme) or port != server_port):
        return None
    canonical = f"{domain}:{port}" if port else domain
    return canonical if canonical == host else None


def keyed_query(request, policy):
    """The query parameters the page reads, as `a=1&b=2`, or None when one is not a valid value."""
    if not request.META.get("QUERY_STRING"):
        return ""
    parts = []
    for name in policy.query:
        values = request.GET.getlist(name)
        if not values:
            continue
        if len(values) != 1 or not _WHOLE_NUMBER.fullmatch(values[0]):
            return None
        parts.append((name, values[0]))
    for name, normalise in policy.text:
        values = request.GET.getlist(name)
        if not values:
            continue
        if len(values) != 1:
            return None
        value = normalise(values[0])
        if len(value) > MAX_TEXT_LENGTH:
            return None
        if value:
            parts.append((name, quote(value, safe="")))
    return "&".join(f"{name}={value}" for name, value in sorted(parts))


def path_tag(path):
    """The tag every stored page at `path` carries, whatever its keyed query (`?page=2`)."""
    return "path:" + escape_uri_path(unquote(path.split("?", 1)[0]))


def view_tag(view_name):
    """The tag every stored page of one view carries, by URL name (`articles:detail`)."""
    return f"view:{view_name}"


@dataclass
class CacheableRequest:
    """A request the cache may answer: its address (the key), the path that links built from it
    may contain, and the tags of the page (the site, its path, its view, and any `tag()` adds)."""

    address: str
    path: str
    tags: list


@lru_cache(maxsize=4096)
def _policy_for_path(urlconf, path_info):
    """(policy, URL name) of the view at `path_info`, resolved once per path in each process:
    resolving costs more than the rest of a hit together. The bound keeps junk paths from growing it."""
    try:
        match = resolve(path_info, urlconf)
    except Resolver404:
        return None, ""
    return policy_for(match.func), match.view_name


def cacheable(request):
    """The request's `CacheableRequest`, or None when the page must be rendered for it alone."""
    if not is_shared_read(request):
        return None
    policy, view_name = _policy_for_path(getattr(request, "urlconf", None) or settings.ROOT_URLCONF, request.path_info)
    if policy is None:
        return None
    host = site_host(request)
    query = keyed_query(request, policy)
    if host is None or query is None:
        return None
    escaped, own_tag = _path_parts(request.path)
    path = f"{escaped}?{query}" if query else escaped
    tags = [SITE, own_tag, view_tag(view_name)]
    return CacheableRequest(address=f"{request.scheme}://{host}{path}", path=path, tags=tags)


@lru_cache(maxsize=4096)
def _path_parts(path):
    """(the path as printed in addresses, its tag), worked out once per path in each process."""
    return escape_uri_path(path), path_tag(path)


def page_path(request):
    """The request's path for links printed on the page (`next`, say): on a cached page only the
    keyed parameters, so nothing another reader typed is stored with the page."""
    shared = getattr(request, "page_cache", None)
    if shared is not None:
        return shared.path
    return request.get_full_path()
