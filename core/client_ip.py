"""The reader's address, as the site's own proxies saw it.

`X-Forwarded-For` is believed only when the request comes from a proxy listed in
`TRUSTED_PROXIES`, and only as far as the proxies go: the chain is read from the right (each proxy
appends the address it was connected from) and the first address that is not a trusted proxy is
the reader. Whatever a reader writes further left, and every other header (`X-Real-IP`,
`Forwarded`, `Client-IP`), is ignored, so no one can borrow another address to dodge a rate limit
or a lockout. Used by rate limits, votes, address hashes, reCAPTCHA and django-axes.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(entries):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_networks():
    """`TRUSTED_PROXIES` as networks (a bare address is a network of one)."""
    return _networks(tuple(settings.TRUSTED_PROXIES))


def parse_address(value):
    """An address from a header or REMOTE_ADDR, or None when it is not one.

    Accepts `[v6]:port`, `v4:port` and IPv4-mapped IPv6, which is read as the IPv4 address.
    """
    text = (value or "").strip().strip('"')
    if not text or len(text) > 64:
        return None
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.version == 6 and address.scope_id:
        return None
    return address


def _is_trusted(address, networks):
    return any(address in network for network in networks)


def client_ip(request):
    """The reader's address as text, or "" when the request carries none that can be read."""
    remote = parse_address(request.META.get("REMOTE_ADDR"))
    if remote is None:
        return ""
    networks = trusted_networks()
    if not networks or not _is_trusted(remote, networks):
        return str(remote)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    nearest = remote
    for hop in reversed(forwarded.split(",")[:100]):
        address = parse_address(hop)
        if address is None:
            # A trusted proxy passed on something that is no address: stop at the last proxy
            # we can vouch for rather than guess further left.
            return str(nearest)
        if not _is_trusted(address, networks):
            return str(address)
        nearest = address
    return str(nearest)
