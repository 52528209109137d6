"""The SSRF guard: a fetch may reach public addresses only, unless the user allows more.

A feed is data from strangers: an entry (or a redirect) pointing at ``http://169.254.169.254/`` or
``http://localhost:8080/admin`` must not make crosswire read a cloud metadata service or an
intranet page into the store. The check runs where the socket is opened, on the address actually
connected to, so neither a redirect nor a DNS answer that changes between check and use gets past.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

from crosswire.errors import InputError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
_ALL = frozenset({"all", "any", "true", "yes", "1", "*"})


def _embedded_ipv4(ip: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one carries (mapped, 6to4, NAT64), else ``ip`` itself."""
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return ip.ipv4_mapped
        if ip.sixtofour is not None:
            return ip.sixtofour
        if ip in ipaddress.IPv6Network("64:ff9b::/96"):
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip


def is_public(ip: IPAddress) -> bool:
    """True for a globally routable unicast address: not private, loopback, link-local,
    multicast, reserved, shared (CGNAT) or unspecified."""
    ip = _embedded_ipv4(ip)
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified or ip.is_loopback)


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which non-public addresses a fetch may reach: none (the default), all, or some networks."""

    allow_all: bool = False
    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, value: str) -> AddressPolicy:
        """``""`` (public only), ``"all"``, or comma-separated addresses and networks
        (``"127.0.0.1, 10.0.0.0/8"``)."""
        value = value.strip().lower()
        if value in _ALL:
            return cls(allow_all=True)
        networks = []
        for part in value.split(","):
            if part.strip():
                try:
                    networks.append(ipaddress.ip_network(part.strip(), strict=False))
                except ValueError as err:
                    raise InputError("bad-setting", f"allow_private: {err}") from err
        return cls(networks=tuple(networks))

    def allows(self, ip: IPAddress) -> bool:
        return self.allow_all or is_public(ip) or any(ip in network for network in self.networks)


def resolve_allowed(host: str, port: int, policy: AddressPolicy) -> list[str]:
    """Resolve ``host`` and return the addresses to connect to, in order; refuse the host when
    any of them is not allowed (a name that also resolves to an internal address is not trusted)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise InputError("network", f"cannot resolve {host}: {err}") from err
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        if not policy.allows(ipaddress.ip_address(address.split("%", 1)[0])):
            raise InputError(
                "blocked-address",
                f"{host} is {address}, a private, loopback, link-local or reserved address "
                "(set allow_private to fetch from it)",
            )
    if not addresses:
        raise InputError("network", f"cannot resolve {host}")
    return addresses
