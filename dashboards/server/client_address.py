"""The address of the client behind the reverse proxies we trust (``TRACKER_TRUSTED_PROXIES``).

Behind a reverse proxy every request comes from the proxy's address, so limits per address
(log-in throttling) would lump all users together. A proxy adds the address it received the
request from to ``X-Forwarded-For``; anyone can send that header, so it is read only when
the request comes from a trusted proxy, and then from the right: each trusted hop is passed
over, and the first address that is not a trusted proxy is the client. A request from any
other address is taken at its own address, whatever its headers say. Pure functions.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from tracker.config import Network


def _trusted(address: str, trusted: Sequence[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in trusted)


def client_address(remote_addr: str, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The client's address: ``remote_addr`` unless it is a trusted proxy, else the
    right-most address of ``forwarded_for`` that is not a trusted proxy (the left-most when
    all are). An entry that is not an IP address ends the walk at the hop after it: what is
    left of a trusted proxy's entry came from the client and proves nothing."""
    if not trusted or not forwarded_for or not _trusted(remote_addr, trusted):
        return remote_addr
    client = remote_addr
    for hop in reversed(forwarded_for.split(",")):
        hop = hop.strip()
        try:
            ipaddress.ip_address(hop)
        except ValueError:
            return client
        client = hop
        if not _trusted(hop, trusted):
            return client
    return client
