"""An httpx transport whose every TCP connection passes the SSRF guard.

httpx resolves and connects inside httpcore; the guard sits in httpcore's network backend, where
the host name becomes an address, so the address checked is the address connected to (TLS still
verifies the certificate against the host name).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import httpcore
import httpx
from httpx._config import DEFAULT_LIMITS, create_ssl_context

from crosswire.sources.guard import AddressPolicy, resolve_allowed


class GuardedBackend(httpcore.SyncBackend):
    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        failure: httpcore.ConnectError | None = None
        for address in resolve_allowed(host, port, self.policy):  # as the OS would: the next on failure
            try:
                return super().connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except httpcore.ConnectError as err:
                failure = err
        raise failure or httpcore.ConnectError(f"cannot connect to {host}")


def guarded_transport(allow_private: str = "") -> httpx.HTTPTransport:
    """A transport like httpx's own (no proxy, certificates verified) over the guarded backend."""
    transport = httpx.HTTPTransport(trust_env=False)
    transport._pool = httpcore.ConnectionPool(  # httpx offers no hook for the network backend
        ssl_context=create_ssl_context(trust_env=False),
        max_connections=DEFAULT_LIMITS.max_connections,
        max_keepalive_connections=DEFAULT_LIMITS.max_keepalive_connections,
        keepalive_expiry=DEFAULT_LIMITS.keepalive_expiry,
        network_backend=GuardedBackend(AddressPolicy.parse(allow_private)),
    )
    return transport
