"""The client's address, read one way for rate limits, the vote limit and lock-out.

Without CLIENT_IP_HEADER it is the connection's address (REMOTE_ADDR). Behind a proxy that
sets a header, it is read from that header: a single address (X-Real-IP) or a chain
(X-Forwarded-For: client, proxy1, proxy2), where only the entries appended by the proxies
we trust can be believed, so the address is taken CLIENT_IP_TRUSTED_PROXIES entries from
the right (1: the address the one proxy in front saw). A missing or malformed header falls
back to the connection's address, with one warning a process, never an error: a client
cannot choose its address by forging the start of a chain, nor break a page by sending junk.
"""

from __future__ import annotations

import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

log = logging.getLogger(__name__)
_warned: set[str] = set()


def client_ip(request: HttpRequest) -> str:
    """The client's address as settings say to read it; the connection's if unreadable."""
    connection = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"
    header = settings.CLIENT_IP_HEADER
    if not header:
        return connection
    raw = request.META.get(header)
    found = from_chain(raw or "", settings.CLIENT_IP_TRUSTED_PROXIES)
    if found is None:
        warn_once(header, "missing" if not raw else "malformed")
        return connection
    return found


def from_chain(raw: str, trusted: int) -> str | None:
    """The address `trusted` entries from the right of a comma-separated chain, if valid."""
    entries = [entry.strip() for entry in raw.split(",")]
    if not raw.strip() or len(entries) < trusted or trusted < 1:
        return None
    return valid_address(entries[-trusted])


def valid_address(text: str) -> str | None:
    """An IPv4 or IPv6 address, without a port or brackets; None if it is not one."""
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def warn_once(header: str, problem: str) -> None:
    if problem not in _warned:
        _warned.add(problem)
        log.warning(
            "client address: %s header %s; using the connection's address (said once)",
            problem,
            header,
        )


def ratelimit_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit's key: the client's address."""
    return client_ip(request)
