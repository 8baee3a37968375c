"""Where a webhook may go: http(s) only, and never to a private, loopback or otherwise internal address
unless its host is listed in WEBHOOK_ALLOWED_HOSTS. Every address the name resolves to is checked.

`check_url` vets a URL when it is saved and before each attempt; `permitted_addresses` is what the sending
transport (lims.webhooks.transport) connects to, so the address checked is the address used."""
import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings


class RefusedAddress(ValueError):
    """A URL a webhook must not be sent to; the message says why."""


def _internal(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
            or ip.is_unspecified or not ip.is_global)


def _resolve(host: str, port: int) -> list[str]:
    try:
        found = [info[4][0] for info in socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)]
    except (socket.gaierror, UnicodeError) as exc:
        raise RefusedAddress(f"The host {host!r} cannot be resolved.") from exc
    return list(dict.fromkeys(found))


def check_url(url: str) -> None:
    """Raise RefusedAddress unless `url` is http(s) and every address of its host may be reached."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise RefusedAddress("Only http and https URLs can receive webhooks.")
    host = parts.hostname
    if not host:
        raise RefusedAddress("The URL has no host.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise RefusedAddress("The URL's port is not a number from 0 to 65535.") from exc
    permitted_addresses(host, port)


def permitted_addresses(host: str, port: int) -> list[str]:
    """The addresses `host` resolves to, in resolver order; RefusedAddress if any of them is internal and
    neither the host nor that address is listed in WEBHOOK_ALLOWED_HOSTS."""
    allowed = {name.lower() for name in settings.WEBHOOK_ALLOWED_HOSTS}
    addresses = _resolve(host, port)
    if host.lower() in allowed:
        return addresses
    for address in addresses:
        if _internal(address) and address not in allowed:
            raise RefusedAddress(f"{host} resolves to {address}, a private or internal address; "
                                 "ask an administrator to list it in WEBHOOK_ALLOWED_HOSTS.")
    return addresses
