"""Host names as the server's guard reads them: the Host and Origin headers parsed strictly (the
forms RFC 9110 and RFC 6454 allow, nothing else), and which names are this machine.

DNS rebinding is why this is strict: a page on another site points a name of its own at
127.0.0.1, and the browser then sends that name as Host. Only the parsed name or address is
ever compared, never a prefix or a substring of the header (``127.0.0.1.evil.com`` and
``[::1].evil.com`` are names of someone else's)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

# A bracketed IPv6 address (no zone id) or a registered name / IPv4 address, then an optional
# port. ASCII only: no userinfo, path, whitespace, comma (two values folded into one) or empty value.
_AUTHORITY = re.compile(r"(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9.-]+))(?::(?P<port>[0-9]{1,5}))?")
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True, slots=True)
class Authority:
    host: str  # lower case; an IPv6 address compressed and bracketed
    port: int | None  # None: none given


def parse_authority(value: str) -> Authority | None:
    """``host[:port]`` as a Host header carries it, or None for any other value."""
    found = _AUTHORITY.fullmatch(value)
    if found is None:
        return None
    port = int(found["port"]) if found["port"] is not None else None
    if port is not None and not 0 < port <= 65535:
        return None
    if found["ipv6"] is None:
        return Authority(found["name"].lower(), port)
    try:
        address = ipaddress.IPv6Address(found["ipv6"])
    except ValueError:
        return None
    return Authority(f"[{address.compressed}]", port)


def parse_origin(value: str) -> tuple[str, Authority] | None:
    """The scheme and authority of an http(s) Origin header (a default port dropped, as
    browsers drop it from Host), or None for anything else ('null', a path, userinfo...)."""
    scheme, separator, rest = value.partition("://")
    scheme = scheme.lower()
    authority = parse_authority(rest) if separator and scheme in DEFAULT_PORTS else None
    if authority is None:
        return None
    if authority.port == DEFAULT_PORTS[scheme]:
        authority = Authority(authority.host, None)
    return scheme, authority


def is_loopback(host: str) -> bool:
    """Whether ``host`` (no port; an IPv6 address with or without brackets) is this machine:
    ``localhost`` in any case, or an address in 127.0.0.0/8, ::1, or IPv4-mapped 127.0.0.0/8.

    ``localhost.`` and ``*.localhost`` are refused: a resolver may send them to DNS, and no
    browser needs them (a user who types ``localhost.`` gets a 400 that names the accepted ones)."""
    name = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if name.lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback  # Python 3.11 says False for ::ffff:127.0.0.1
    return address.is_loopback
