"""The reader's address, as the site's own proxies saw it.

`X-Forwarded-For` is believed only when the request comes from a proxy listed in
`TRUSTED_PROXIES`, and only as far as the proxies go: the chain is read from the right (each proxy
appends the address it was connected from) and the first address that is not a trusted proxy is
the reader. Whatever a reader writes further left, and every other header (`X-Real-IP`,
`Forwarded`, `Client-IP`), is ignored, so no one can borrow another address to dodge a rate limit
or a lockout. A unix socket has no peer address: with `TRUSTED_PROXY_UNIX_SOCKET` on, whoever can
write to the socket (the proxy: the socket is not writable by other users) is trusted the same way.

Limits, votes, address hashes and lockouts count a reader's network (`client_network`): an IPv4
address alone, an IPv6 address by its `CLIENT_IPV6_PREFIX` (a /64 is one household or one phone,
which can take any of its 2^64 addresses at will). reCAPTCHA gets the full address.
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


def _reader_address(request):
    remote_addr = request.META.get("REMOTE_ADDR") or ""
    remote = parse_address(remote_addr)
    networks = trusted_networks()
    if remote is None:
        # gunicorn on a unix socket gives an empty REMOTE_ADDR: the peer is whoever may write to it.
        if remote_addr.strip() or not settings.TRUSTED_PROXY_UNIX_SOCKET:
            return None
    elif not networks or not _is_trusted(remote, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    nearest = remote
    for hop in reversed(forwarded.split(",")[:100]):
        address = parse_address(hop)
        if address is None:
            # A trusted proxy passed on something that is no address: stop at the last proxy
            # we can vouch for rather than guess further left.
            return nearest
        if not _is_trusted(address, networks):
            return address
        nearest = address
    return nearest


def client_ip(request):
    """The reader's address as text, or "" when the request carries none that can be read."""
    address = _reader_address(request)
    return "" if address is None else str(address)


def network_of(address):
    """The network a limit counts `address` under, written as its first address ("" for none)."""
    if address is None:
        return ""
    if address.version == 6:
        prefix = min(max(settings.CLIENT_IPV6_PREFIX, 0), 128)
        return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False).network_address)
    return str(address)


def client_network(request):
    """The reader's network for limits, votes and address hashes, or "" when unknown."""
    return network_of(_reader_address(request))


# Where the address cannot be read (a unix socket without a proxy header), every such request
# shares one lockout record rather than escaping the address limits.
UNKNOWN_NETWORK = "0.0.0.0"  # noqa: S104 (a record's key, never an address to listen on)


def lockout_network(request):
    """django-axes' address: the reader's network, or one shared record when it is unknown."""
    return client_network(request) or UNKNOWN_NETWORK
