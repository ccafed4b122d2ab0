"""A guarded HTTP client for union robots: the address a union chair types must not reach inside.

Group robots are addresses a chair types in, and the worker posts to them from inside the network
(security review: ``http://127.0.0.1:6379/``, ``http://169.254.169.254/`` were accepted). So:

- the host must be the official robot host of the preset (https only), or a message gateway on the
  system administrator's allow-list (``WebhookAllowedHost``; https unless the entry allows http);
- the host name is resolved once (``resolve``) and every address is checked: loopback, private,
  link-local, multicast, unspecified, reserved and shared addresses are refused, also inside
  IPv4-mapped, 6to4 and NAT64 IPv6 addresses, unless the host's allow-list entry names them;
- the connection goes to a checked address itself, never through a second lookup, so an answer
  that changes between the check and the connection (DNS rebinding) cannot slip through; TLS still
  sends and verifies the host name (SNI, certificate) and the Host header is the host name;
- no redirect is followed, no proxy from the environment is used, every socket operation times out.

Public API: ``Refused`` (a reason that retrying will not change), ``HTTPFailure``, ``resolve``,
``check`` (at save and before sending), ``post`` and ``get`` (a work notice's access token).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from notifications import errors

TIMEOUT = 5.0
MAX_ANSWER = 65536
DEFAULT_PORTS = {"https": 443, "http": 80}
# RFC 6052: a NAT64 gateway turns 64:ff9b::a00:1 into 10.0.0.1; the embedded address is what counts.
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):  # noqa: N818 (a refusal, not an error of the program)
    """The address may not be used. ``message`` and ``params`` as for a ``ValidationError``."""

    def __init__(self, message, **params):
        self.message = message
        self.params = params
        super().__init__(message)

    def __str__(self) -> str:
        return str(self.message) % self.params if self.params else str(self.message)


class HTTPFailure(Exception):
    """The address was allowed but the exchange failed (status 3xx and above)."""


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str
    port: int
    target: str  # path and query, as sent in the request line
    addresses: tuple[tuple[str, int], ...] = ()  # checked (ip, port) pairs, connected to in order


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


def resolve(host: str, port: int) -> list[tuple[str, int]]:
    """Every address ``host`` has now, as (ip, port). The only name lookup of a check or a send:
    numeric forms (``2130706433``, ``0x7f000001``, ``127.1``) come back as the address they mean."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    found: list[tuple[str, int]] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        pair = (sockaddr[0], sockaddr[1])
        if pair not in found:
            found.append(pair)
    return found


def normalise_host(host: str) -> str:
    """Lower case, no trailing dot, IDNA (ASCII) form: the form the allow-list is compared in."""
    host = host.strip().rstrip(".").lower()
    try:
        return host.encode("idna").decode("ascii") if host else ""
    except UnicodeError:
        return ""


def parse(url: str) -> Destination:
    """The destination an address names, without looking anything up. Refused if not http(s)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise Refused(errors.WEBHOOK_URL, value=url) from None
    host = normalise_host(parts.hostname or "")
    if parts.scheme not in DEFAULT_PORTS or not host:
        raise Refused(errors.WEBHOOK_URL, value=url)
    if parts.username is not None or parts.password is not None:
        # http://qyapi.weixin.qq.com@evil.example/ reads like the robot host and is not
        raise Refused(errors.WEBHOOK_CREDENTIALS)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Destination(parts.scheme, host, port or DEFAULT_PORTS[parts.scheme], target)


def allow_list_entry(destination: Destination):
    """The administrator's entry for this host and port: the exact port, else an entry without a
    port when the address uses its scheme's standard port."""
    from notifications.models import WebhookAllowedHost  # models import this module while they load

    entries = {e.port: e for e in WebhookAllowedHost.objects.filter(host=destination.host)}
    if destination.port in entries:
        return entries[destination.port]
    if destination.port == DEFAULT_PORTS[destination.scheme]:
        return entries.get(None)
    return None


def check(url: str, *, official_host: str | None = None, lookup: bool = True) -> Destination:
    """The destination of ``url`` with its checked addresses, or ``Refused`` with the reason.

    ``official_host``: the only host a WeCom or DingTalk robot may have (https, port 443).
    Otherwise the host must be on the allow-list. ``lookup=False`` checks the address as typed only
    (the model's ``clean``); the form and every send resolve it and check each address."""
    destination = parse(url)
    entry = allow_list_entry(destination)
    if official_host is not None:
        robot = (destination.scheme, destination.host, destination.port)
        if robot != ("https", official_host, 443):
            raise Refused(errors.WEBHOOK_OFFICIAL_HOST, host=official_host)
    elif entry is None:
        raise Refused(errors.WEBHOOK_NOT_ALLOWED, host=_shown_host(destination))
    elif destination.scheme != "https" and not entry.allow_http:
        raise Refused(errors.WEBHOOK_HTTPS)
    if not lookup:
        return destination
    network = entry.network() if entry is not None else None
    return _resolved(destination, network)


def _resolved(destination: Destination, network) -> Destination:
    try:
        addresses = resolve(destination.host, destination.port)
    except (OSError, UnicodeError):
        addresses = []
    if not addresses:
        raise Refused(errors.WEBHOOK_UNRESOLVED, host=destination.host)
    for ip_text, _port in addresses:
        ip = ipaddress.ip_address(ip_text.split("%", 1)[0])
        if network is not None:
            if ip.is_unspecified or ip.is_multicast or _plain(ip) not in network:
                raise Refused(errors.WEBHOOK_OUTSIDE_NAMED, host=destination.host, address=ip_text)
        elif not is_public(ip):
            raise Refused(errors.WEBHOOK_INTERNAL, address=ip_text)
    return Destination(
        destination.scheme, destination.host, destination.port, destination.target, tuple(addresses)
    )


def _plain(ip: IPAddress) -> IPAddress:
    """An IPv4-mapped IPv6 address (::ffff:10.0.0.1) as the IPv4 address it is on the wire."""
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _embedded(ip: IPAddress) -> list[IPAddress]:
    """The address itself and any IPv4 address it carries (mapped, 6to4, NAT64)."""
    found: list[IPAddress] = [ip]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            found.append(ip.ipv4_mapped)
        if ip.sixtofour is not None:
            found.append(ip.sixtofour)
        if ip in NAT64:
            found.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    return found


def is_public(ip: IPAddress) -> bool:
    """A public internet address. ``is_global`` leaves out private, shared (100.64/10), loopback
    and most special ranges; multicast and a few others count as global, hence the explicit tests."""
    for candidate in _embedded(ip):
        if (
            not candidate.is_global
            or candidate.is_loopback
            or candidate.is_private
            or candidate.is_link_local
            or candidate.is_multicast
            or candidate.is_unspecified
            or candidate.is_reserved
            or (candidate.version == 6 and candidate.is_site_local)
        ):
            return False
    return True


def _shown_host(destination: Destination) -> str:
    if destination.port == DEFAULT_PORTS[destination.scheme]:
        return destination.host
    return f"{destination.host}:{destination.port}"


# --- sending ---------------------------------------------------------------------------------------


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to a checked address; the Host header still names the host (and its port)."""

    def __init__(self, host: str, port: int, *, address: tuple[str, int], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self.pinned = address

    def _pinned_socket(self) -> socket.socket:
        sock = socket.create_connection(self.pinned, self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    def connect(self) -> None:
        self.sock = self._pinned_socket()


class _PinnedHTTPSConnection(_PinnedHTTPConnection, http.client.HTTPSConnection):
    """Connects to a checked address; SNI and certificate verification use the host name."""

    def __init__(self, host: str, port: int, *, address: tuple[str, int], timeout: float):
        http.client.HTTPSConnection.__init__(
            self, host, port, timeout=timeout, context=ssl.create_default_context()
        )
        self.pinned = address

    def connect(self) -> None:
        self.sock = self._context.wrap_socket(self._pinned_socket(), server_hostname=self.host)


def _connected(destination: Destination, timeout: float) -> http.client.HTTPConnection:
    """A connection to the first checked address that answers. A refused or unreachable address is
    passed over; a TLS failure is not (the host presents the same certificate on each address)."""
    kind = _PinnedHTTPSConnection if destination.scheme == "https" else _PinnedHTTPConnection
    last_error: OSError = OSError(f"{destination.host}: no address")
    for address in destination.addresses:
        connection = kind(destination.host, destination.port, address=address, timeout=timeout)
        try:
            connection.connect()
        except ssl.SSLError:
            connection.close()
            raise
        except OSError as exc:
            connection.close()
            last_error = exc
            continue
        return connection
    raise last_error


def post(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str],
    official_host: str | None = None,
    timeout: float = TIMEOUT,
) -> Answer:
    """POST ``body`` to ``url`` after ``check``. Raises ``Refused``, ``HTTPFailure`` (status 3xx and
    above: a redirect is never followed) or ``OSError`` (connection, TLS, timeout)."""
    return exchange("POST", url, body=body, headers=headers, official_host=official_host, timeout=timeout)


def get(url: str, *, official_host: str | None = None, timeout: float = TIMEOUT) -> Answer:
    """GET ``url`` after ``check`` (a work notice's access token); the same guard and errors as ``post``."""
    return exchange("GET", url, body=None, headers={}, official_host=official_host, timeout=timeout)


def exchange(
    method: str,
    url: str,
    *,
    body: bytes | None,
    headers: dict[str, str],
    official_host: str | None,
    timeout: float,
) -> Answer:
    destination = check(url, official_host=official_host)
    connection = _connected(destination, timeout)
    try:
        # sent once only: after the request is out, a failure is not repeated on another address
        connection.request(method, destination.target, body=body, headers=headers)
        response = connection.getresponse()
        answer = Answer(response.status, response.read(MAX_ANSWER))
    finally:
        connection.close()
    if 300 <= answer.status < 400:
        raise HTTPFailure(str(errors.WEBHOOK_REDIRECT) % {"status": answer.status})
    if answer.status >= 400:
        raise HTTPFailure(f"HTTP {answer.status}")
    return answer
