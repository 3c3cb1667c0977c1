"""The reader's address: X-Forwarded-For is believed only from the site's own proxies."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory

from core.client_ip import client_ip

PROXY = "10.0.0.5"


def request_from(remote_addr, **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.1.0.0/16", "fd00::/8"]


def test_without_trusted_proxies_the_connecting_address_is_the_reader(settings):
    settings.TRUSTED_PROXIES = []
    request = request_from("203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_ip(request) == "203.0.113.9"


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_X_FORWARDED_FOR": "198.51.100.1"},
        {"HTTP_X_REAL_IP": "198.51.100.1"},
        {"HTTP_FORWARDED": "for=198.51.100.1"},
        {"HTTP_CLIENT_IP": "198.51.100.1"},
        {"HTTP_X_FORWARDED_FOR": "198.51.100.1", "HTTP_X_REAL_IP": "198.51.100.2", "HTTP_FORWARDED": "for=1.2.3.4"},
    ],
)
def test_an_untrusted_client_cannot_borrow_an_address_with_any_header(behind_proxy, headers):
    assert client_ip(request_from("203.0.113.9", **headers)) == "203.0.113.9"


def test_behind_a_trusted_proxy_the_address_it_saw_is_the_reader(behind_proxy):
    request = request_from(PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_a_forged_entry_left_of_the_proxys_own_is_ignored(behind_proxy):
    request = request_from(PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_other_headers_are_ignored_even_from_a_trusted_proxy(behind_proxy):
    request = request_from(PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9", HTTP_X_REAL_IP="198.51.100.1")
    assert client_ip(request) == "203.0.113.9"


def test_several_trusted_hops_are_walked_to_the_first_untrusted_one(behind_proxy):
    request = request_from(PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9, 10.1.2.3, 10.1.9.9")
    assert client_ip(request) == "203.0.113.9"


def test_a_proxy_without_a_forwarded_header_is_the_address(behind_proxy):
    assert client_ip(request_from(PROXY)) == PROXY


def test_a_chain_of_only_proxies_gives_the_furthest_one(behind_proxy):
    assert client_ip(request_from(PROXY, HTTP_X_FORWARDED_FOR="10.1.0.7, 10.1.0.8")) == "10.1.0.7"


def test_ipv6_readers_and_proxies(behind_proxy):
    request = request_from("fd00::1", HTTP_X_FORWARDED_FOR="2001:db8::42")
    assert client_ip(request) == "2001:db8::42"
    assert client_ip(request_from("2001:db8::7", HTTP_X_FORWARDED_FOR="203.0.113.9")) == "2001:db8::7"


def test_ipv4_mapped_ipv6_and_ports_are_read_as_the_plain_address(behind_proxy):
    assert client_ip(request_from("::ffff:10.0.0.5", HTTP_X_FORWARDED_FOR="[2001:db8::42]:443")) == "2001:db8::42"
    assert client_ip(request_from(PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9:5123")) == "203.0.113.9"


@pytest.mark.parametrize("garbage", ["", "unknown", "not-an-ip", "999.1.1.1", "<script>", "1.2.3.4.5", "x" * 500])
def test_garbage_from_the_proxy_stops_at_the_last_address_vouched_for(behind_proxy, garbage):
    assert client_ip(request_from(PROXY, HTTP_X_FORWARDED_FOR=garbage)) == PROXY
    assert client_ip(request_from(PROXY, HTTP_X_FORWARDED_FOR=f"{garbage}, 10.1.0.7")) == "10.1.0.7"
    assert client_ip(request_from(PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.9, {garbage}")) == PROXY


@pytest.mark.parametrize("remote_addr", ["", "garbage", None])
def test_no_readable_address_gives_an_empty_one(behind_proxy, remote_addr):
    request = RequestFactory().get("/")
    request.META["REMOTE_ADDR"] = remote_addr
    assert client_ip(request) == ""


def test_address_hashes_and_axes_use_the_same_address(behind_proxy, settings):
    from axes.helpers import get_client_ip_address

    from submissions.privacy import hash_ip, hash_value

    request = request_from(PROXY, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert hash_ip(request) == hash_value("203.0.113.9")
    assert get_client_ip_address(request) == "203.0.113.9"

    ipv6 = request_from(PROXY, HTTP_X_FORWARDED_FOR="2001:db8:1:2::99")
    assert hash_ip(ipv6) == hash_value("2001:db8:1:2::")
    assert get_client_ip_address(ipv6) == "2001:db8:1:2::"


def test_a_proxy_setting_without_trusted_proxies_fails_the_deploy_check(settings):
    settings.BEHIND_TLS_PROXY = True
    settings.TRUSTED_PROXIES = []
    with pytest.raises(SystemCheckError, match="clinic.E004"):
        call_command("check", "--deploy", "--fail-level", "ERROR", tags=["security"])


def test_a_malformed_trusted_proxy_fails_the_check(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/33"]
    with pytest.raises(SystemCheckError, match="clinic.E003"):
        call_command("check")


def unix_socket_request(**headers):
    """What gunicorn gives for a request through its unix socket: an empty REMOTE_ADDR."""
    request = RequestFactory().get("/", **headers)
    request.META["REMOTE_ADDR"] = ""
    return request


def test_behind_a_trusted_unix_socket_the_address_nginx_saw_is_the_reader(settings):
    settings.TRUSTED_PROXY_UNIX_SOCKET = True
    settings.TRUSTED_PROXIES = []
    request = unix_socket_request(HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_a_unix_socket_is_not_trusted_unless_the_setting_says_so(settings):
    settings.TRUSTED_PROXY_UNIX_SOCKET = False
    assert client_ip(unix_socket_request(HTTP_X_FORWARDED_FOR="203.0.113.9")) == ""


def test_a_trusted_unix_socket_without_a_forwarded_address_has_no_reader_address(settings):
    settings.TRUSTED_PROXY_UNIX_SOCKET = True
    assert client_ip(unix_socket_request(HTTP_X_REAL_IP="203.0.113.9")) == ""


@pytest.mark.parametrize(
    ("address", "network"),
    [
        ("203.0.113.9", "203.0.113.9"),
        ("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),
        ("2001:db8:1:2::1", "2001:db8:1:2::"),
        ("2001:db8:1:3::1", "2001:db8:1:3::"),
        ("::ffff:203.0.113.9", "203.0.113.9"),
    ],
)
def test_limits_count_an_ipv6_reader_by_their_64(settings, address, network):
    from core.client_ip import client_network

    settings.CLIENT_IPV6_PREFIX = 64
    assert client_network(request_from(address)) == network


def test_the_ipv6_prefix_is_a_setting(settings):
    from core.client_ip import client_network

    settings.CLIENT_IPV6_PREFIX = 56
    assert client_network(request_from("2001:db8:1:2ff::1")) == "2001:db8:1:200::"
