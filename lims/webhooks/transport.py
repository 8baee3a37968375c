"""The HTTP transport webhooks are sent with: it resolves the host itself, checks every address
(lims.webhooks.addresses) and connects to a checked one, so a name that points elsewhere after the check
(DNS rebinding) cannot reach an internal address. TLS still verifies the certificate against the host name."""
import httpcore
import httpx

from lims.webhooks.addresses import permitted_addresses


class _CheckedBackend(httpcore.SyncBackend):
    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = permitted_addresses(host, port)
        for address in addresses[:-1]:
            try:
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except httpcore.ConnectError:
                continue
        return super().connect_tcp(addresses[-1], port, timeout, local_address, socket_options)


def checked_transport() -> httpx.HTTPTransport:
    """An httpx transport (no proxies from the environment) whose connections go only to checked addresses."""
    transport = httpx.HTTPTransport(trust_env=False)
    # httpx builds its connection pool itself; its network backend is the one place a connection is made.
    transport._pool._network_backend = _CheckedBackend()
    return transport
