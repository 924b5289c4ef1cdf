"""The client's address behind trusted reverse proxies (issue 15, finding 6): worked out by
hand from the X-Forwarded-For convention (each proxy appends the address it received the
request from)."""

from __future__ import annotations

import pytest

from dashboards.server.client_address import client_address
from tracker.config import Settings, parse_trusted_proxies

PROXIES = parse_trusted_proxies("10.0.0.5, 192.168.1.0/24")


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "expected"),
    [
        # Not from a trusted proxy: the header is anyone's to send and is ignored.
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),
        ("10.0.0.6", "198.51.100.1", "10.0.0.6"),
        # From the trusted proxy: the address it appended.
        ("10.0.0.5", "198.51.100.1", "198.51.100.1"),
        ("10.0.0.5", None, "10.0.0.5"),
        # A client forging an entry: only the right-most, appended by the proxy, counts.
        ("10.0.0.5", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        # Two trusted proxies in a row: both passed over.
        ("10.0.0.5", "198.51.100.1, 192.168.1.20", "198.51.100.1"),
        # Every hop trusted: the left-most.
        ("10.0.0.5", "192.168.1.7, 192.168.1.20", "192.168.1.7"),
        # Rubbish left of a trusted hop ends the walk at that hop.
        ("10.0.0.5", "not-an-ip, 192.168.1.20", "192.168.1.20"),
        ("10.0.0.5", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_address(remote_addr: str, forwarded_for: str | None, expected: str) -> None:
    assert client_address(remote_addr, forwarded_for, PROXIES) == expected


def test_no_trusted_proxy_means_the_header_is_ignored() -> None:
    assert client_address("10.0.0.5", "198.51.100.1", ()) == "10.0.0.5"


def test_trusted_proxies_setting() -> None:
    settings = Settings.from_env({"TRACKER_TRUSTED_PROXIES": " 10.0.0.5 ,192.168.1.0/24,::1"})
    assert [str(n) for n in settings.trusted_proxies] == [
        "10.0.0.5/32",
        "192.168.1.0/24",
        "::1/128",
    ]
    assert Settings.from_env({}).trusted_proxies == ()
    with pytest.raises(ValueError, match=r"TRACKER_TRUSTED_PROXIES: 'proxy\.local' is not an IP"):
        Settings.from_env({"TRACKER_TRUSTED_PROXIES": "10.0.0.5, proxy.local"})
