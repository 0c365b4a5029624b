# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Signed client for the Zadarma REST API v1.

Private to this collection (the leading underscore): it may change without notice.
It has no Ansible imports, so it is unit-tested with plain pytest.

One place for the transport rules (docs/security.md and docs/failures.md explain them):
- ``api_url`` is parsed the way the transport parses it and anything two parsers could read differently
  is refused; every prepared request is checked to go to that host before it is sent;
- every request carries ``format=json`` and is signed (``sign``); the Authorization header is set on the
  prepared request, so nothing in the environment (``~/.netrc``) can replace it;
- loopback traffic never goes through a proxy; other hosts honour HTTPS_PROXY/NO_PROXY and
  REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE;
- HTTP 429 is waited out and retried for GET and PUT; a POST (order, prolong, create, upload) is sent
  again only when the caller's ``before_resend`` says, from the state, that it is still needed;
- requests are paced from the ``X-RateLimit-*`` headers, so one process flows at the limit;
- idempotent methods (GET, PUT) are retried after a connection error, a timeout, a 5xx or an
  unreadable body; POST never is after such an ambiguous failure: the error says so and the caller
  must look at the state first;
- nothing here ever puts the secret, the signature or the Authorization header into an error.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import math
import os
import random
import re
import time

from urllib.parse import parse_qsl, urlsplit

try:
    import requests
    from urllib3.exceptions import LocationParseError, NewConnectionError
    from urllib3.util import parse_url
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module base
    requests = LocationParseError = NewConnectionError = parse_url = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

DEFAULT_API_URL = 'https://api.zadarma.com'
USER_AGENT = 'zadarma.telephony-ansible-collection'

# PHP http_build_query(..., PHP_QUERY_RFC1738): only these bytes stay literal, space becomes '+'.
_LITERAL = frozenset(b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.')

IDEMPOTENT_METHODS = ('GET', 'PUT')


def php_urlencode(text):
    """Encode one key or value like PHP's urlencode (RFC 1738: '~' is %7E, space is '+')."""
    out = []
    for byte in text.encode('utf-8'):
        if byte in _LITERAL:
            out.append(chr(byte))
        elif byte == 0x20:
            out.append('+')
        else:
            out.append('%%%02X' % byte)
    return ''.join(out)


def _as_text(value):
    if isinstance(value, bool):
        return '1' if value else '0'  # as PHP's http_build_query does
    return value if isinstance(value, str) else str(value)


def build_query(params):
    """The parameter string that is both sent and signed: None dropped, keys sorted, RFC 1738 encoded."""
    items = sorted((str(k), _as_text(v)) for k, v in (params or {}).items() if v is not None)
    return '&'.join('%s=%s' % (php_urlencode(k), php_urlencode(v)) for k, v in items)


def sign(path, query, secret):
    """base64 of the hex HMAC-SHA1 of path + query + md5(query): 56 characters."""
    to_sign = path + query + hashlib.md5(query.encode('utf-8')).hexdigest()
    digest = hmac.new(secret.encode('utf-8'), to_sign.encode('utf-8'), hashlib.sha1).hexdigest()
    return base64.b64encode(digest.encode('ascii')).decode('ascii')


def endpoint_path(endpoint):
    """'direct_numbers/order' or '/v1/direct_numbers/order/' -> '/v1/direct_numbers/order/'."""
    path = endpoint.strip('/')
    if not path.startswith('v1/'):
        path = 'v1/' + path
    return '/' + path + '/'


def is_loopback(host):
    """127.0.0.0/8, ::1 (bracketed or not) and the name localhost, in any case."""
    host = (host or '').lower()
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host[1:-1] if host.startswith('[') else host).is_loopback
    except ValueError:
        return False


# scheme://host[:port][/]: a DNS name or IPv4 address, or an IPv6 literal in brackets; nothing else.
_API_URL = re.compile(r'(?P<scheme>https?)://(?P<host>[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::(?P<port>[0-9]{1,5}))?/?',
                      re.IGNORECASE)
_DEFAULT_PORTS = {'http': 80, 'https': 443}


def origin(url):
    """(scheme, host, port) of a URL as the transport (urllib3's parse_url) reads it; None if unparsable."""
    try:
        parts = parse_url(url)
    except (LocationParseError, ValueError):
        return None
    scheme = (parts.scheme or '').lower()
    return scheme, (parts.host or '').lower(), parts.port or _DEFAULT_PORTS.get(scheme)


def _read_alike(url, expected):
    """True when urllib3 (the transport) and urlsplit both read this origin from the URL."""
    try:
        split = urlsplit(url)
        return origin(url) == expected and (split.hostname, split.port or _DEFAULT_PORTS[expected[0]]) == \
            (expected[1].strip('[]'), expected[2])
    except ValueError:  # a port out of range
        return False


def check_api_url(api_url, validate_certs=True):
    """Return the URL without a trailing slash, or raise ValueError saying why it is refused.

    Only ``scheme://host[:port]`` is accepted, and only when urllib3's parser (the one requests connects
    with) and urlsplit read the same host and port from it: userinfo, backslashes, whitespace, control and
    non-ASCII characters, %-escapes, a path, a query or a fragment are refused. Plain http and
    ``validate_certs=false`` are allowed only to a loopback host.
    """
    example = 'such as %s or http://127.0.0.1:8765' % DEFAULT_API_URL
    text = api_url if isinstance(api_url, str) else ''
    if '@' in text:  # the value is not repeated: it may hold a password
        raise ValueError('api_url: user information (user:password@) is not allowed; requests are authenticated '
                         'by their signature alone')
    if '\\' in text or any(char.isspace() or not char.isprintable() or ord(char) > 126 for char in text):
        raise ValueError('api_url: backslashes, whitespace, control and non-ASCII characters are not allowed, '
                         'got %r' % text)
    match = _API_URL.fullmatch(text)
    scheme = match.group('scheme').lower() if match else ''
    host = match.group('host').lower() if match else ''
    port = int(match.group('port') or _DEFAULT_PORTS[scheme]) if match else 0
    valid_literal = not host.startswith('[') or _is_ip(host[1:-1])
    if not (match and 0 < port < 65536 and valid_literal and _read_alike(text, (scheme, host, port))):
        raise ValueError('api_url: must be scheme://host[:port] with nothing after it (no user, path, query or '
                         'fragment), %s; got %r' % (example, api_url))
    if not is_loopback(host):
        if scheme == 'http':
            raise ValueError('api_url: plain http is only allowed to a loopback host (127.0.0.1, ::1, localhost): '
                             'Zadarma signatures have no nonce, so a request seen on the wire can be replayed')
        if not validate_certs:
            raise ValueError('validate_certs: false is only allowed for a loopback api_url (a local test server); '
                             'to trust a private certificate authority, set REQUESTS_CA_BUNDLE instead')
    return text.rstrip('/')


def _is_ip(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def check_timeout(timeout):
    """Seconds to wait for each answer: a finite number above 0."""
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not math.isfinite(timeout) \
            or timeout <= 0:
        raise ValueError('timeout: must be a number of seconds above 0, got %r' % (timeout,))
    return timeout


class ZadarmaError(Exception):
    """A failed API call: what was called, what the API said and whether it may have been processed."""

    def __init__(self, message, method=None, http_status=None, api_message=None, ambiguous=False, retryable=False):
        super(ZadarmaError, self).__init__(message)
        self.message = message
        self.method = method            # e.g. 'POST /v1/direct_numbers/order/'
        self.http_status = http_status
        self.api_message = api_message
        self.ambiguous = ambiguous      # the request may have been processed
        self.retryable = retryable      # transient: an idempotent request may be sent again

    def __str__(self):
        return '%s: %s' % (self.method, self.message) if self.method else self.message

    def to_result(self):
        """Keys added to a module's failure result."""
        return dict(method=self.method, http_status=self.http_status, api_message=self.api_message,
                    ambiguous=self.ambiguous)


class RateLimitedError(ZadarmaError):
    """HTTP 429 on a POST that was not sent again.

    The vendor documents 429 as "You exceeded the rate limit", a refusal: the request was not processed.
    The API offers no way to confirm that, so a POST is re-sent only when the caller's ``before_resend``
    confirms from the state that it is still needed. ``still_needed`` is None when no ``before_resend``
    was given (the request was not processed, by the vendor's semantics) and False when it said the write
    is no longer needed (something processed it: the request may have been, after all).
    """

    def __init__(self, message, method=None, api_message=None, still_needed=None):
        super(RateLimitedError, self).__init__(message, method=method, http_status=429, api_message=api_message,
                                               ambiguous=still_needed is False)
        self.still_needed = still_needed


class RetryPolicy(object):
    """How long the client waits and how often it tries again. Documented in docs/failures.md."""

    def __init__(self, rate_limit_retries=30, rate_limit_max_wait=65.0, transient_retries=3, backoff=1.0,
                 jitter=1.0, max_total_wait=600.0):
        self.rate_limit_retries = rate_limit_retries    # 429s absorbed per request
        self.rate_limit_max_wait = rate_limit_max_wait  # longest single wait for a rate-limit window
        self.transient_retries = transient_retries      # extra tries of GET/PUT after 5xx, timeout, dropped connection
        self.backoff = backoff                          # seconds, doubled on each transient retry
        self.jitter = jitter                            # up to this many seconds added to every wait
        self.max_total_wait = max_total_wait            # all waits of one request together


class ZadarmaClient(object):
    """Raises ValueError for a refused ``api_url``, ``timeout`` or ``validate_certs`` (before any request)."""

    def __init__(self, api_key, api_secret, api_url=DEFAULT_API_URL, timeout=30, validate_certs=True,
                 retry=None, session=None, sleep=time.sleep, clock=time.time):
        if not HAS_REQUESTS:
            raise ImportError('the Python library requests is required')
        self.api_key = api_key
        self._secret = api_secret
        self.api_url = check_api_url(api_url, validate_certs)
        self._origin = origin(self.api_url)
        self._loopback = is_loopback(self._origin[1])
        self.timeout = check_timeout(timeout)
        self.validate_certs = validate_certs
        self.retry = retry or RetryPolicy()
        self.session = session or requests.Session()
        self._sleep = sleep
        self._clock = clock
        self._remaining = None   # from the last response's X-RateLimit-Remaining
        self._reset_at = None    # epoch seconds when the current window ends
        self.stats = dict(requests=0, rate_limited=0, retried=0, waited=0.0)

    def __repr__(self):  # never show the secret
        return 'ZadarmaClient(api_url=%r, api_key=%r)' % (self.api_url, self.api_key)

    # Transport -----------------------------------------------------------------------------------
    def request(self, http_method, endpoint, params=None, file=None, before_resend=None, idempotent=None):
        """Send one API request and return the decoded body, or raise ZadarmaError.

        ``endpoint``: the API method's path (``direct_numbers/order``); ``file``: (name, bytes, content type)
        for a multipart/form-data upload, whose non-file fields are signed and whose file part is sent raw.
        ``before_resend`` (for POSTs): called after a 429 and the wait; the POST is sent again only if it
        returns True ("still needed", judged from the state the POST would change). Without it, a POST
        that drew a 429 is not sent again (RateLimitedError).
        ``idempotent=False`` treats a PUT that may cost money like a POST (the rules above).
        """
        path = endpoint_path(endpoint)
        label = '%s %s' % (http_method, path)
        fields = dict(params or {})
        fields['format'] = 'json'
        query = build_query(fields)
        prepared = self._prepare(label, http_method, path, query, file)
        idempotent = (http_method in IDEMPOTENT_METHODS if idempotent is None else idempotent) and file is None
        rate_limited = transient = 0
        waited = 0.0
        while True:
            self._pace()
            try:
                response = self._send(prepared)
            except requests.exceptions.RequestException as exc:
                error = self._transport_error(label, exc, idempotent)
                if error.retryable and transient < self.retry.transient_retries:
                    transient += 1
                    waited += self._backoff(transient)
                    continue
                raise error
            except Exception as exc:  # pylint: disable=broad-except  # the request may have left: never a traceback
                raise self._ambiguous(label, 'an unexpected %s while waiting for the answer' % type(exc).__name__,
                                      idempotent) from None
            self._remember_limits(response)
            if response.status_code == 429:
                rate_limited += 1
                self.stats['rate_limited'] += 1
                if rate_limited > self.retry.rate_limit_retries or waited > self.retry.max_total_wait:
                    raise ZadarmaError('still rate limited after %d tries; the account allows about 100 requests '
                                       'per minute, shared by every fork and job' % rate_limited,
                                       method=label, http_status=429, api_message=_api_message(response))
                if not idempotent and before_resend is None:
                    raise RateLimitedError('rate limited (HTTP 429); by the vendor\'s definition of 429 the request '
                                           'was not processed, and it was not sent again because it is not '
                                           'idempotent. Run again when fewer jobs share the account',
                                           method=label, api_message=_api_message(response))
                waited += self._wait_for_window()
                if not idempotent and not before_resend():
                    raise RateLimitedError('rate limited (HTTP 429), and after the wait the current state shows '
                                           'this write is no longer needed, so it was not sent again. The request '
                                           'may have been processed despite the 429: check the current state',
                                           method=label, api_message=_api_message(response), still_needed=False)
                continue
            try:
                return self._decode(label, response, idempotent)
            except ZadarmaError as error:
                if error.retryable and transient < self.retry.transient_retries and waited <= self.retry.max_total_wait:
                    transient += 1
                    waited += self._backoff(transient)
                    continue
                raise

    def _prepare(self, label, http_method, path, query, file):
        """The request as it will be sent, checked to go to the api_url's host and signed last.

        ``Request.prepare`` reads nothing from the environment (no ~/.netrc, no session defaults), and the
        Authorization header is set after preparation, so nothing can replace the signature.
        """
        url = self.api_url + path
        request = requests.Request(http_method, url, headers={'User-Agent': USER_AGENT})
        if file is not None:
            request.data, request.files = dict(parse_qsl(query, keep_blank_values=True)), {'file': file}
        elif http_method != 'GET':
            request.data = query.encode('ascii')
            request.headers['Content-Type'] = 'application/x-www-form-urlencoded'
        prepared = request.prepare()
        if http_method == 'GET':
            # The signed query byte for byte: requests would otherwise re-quote it ('%7E' -> '~').
            prepared.url = url + ('?' + query if query else '')
        if origin(prepared.url) != self._origin:
            raise ZadarmaError('refused to send: the prepared request does not go to the host of api_url',
                               method=label)
        prepared.headers['Authorization'] = '%s:%s' % (self.api_key, sign(path, query, self._secret))
        return prepared

    def _send(self, prepared):
        """Loopback: no proxy ever. Elsewhere: HTTPS_PROXY/NO_PROXY and REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE."""
        self.stats['requests'] += 1
        proxies = {} if self._loopback else requests.utils.get_environ_proxies(prepared.url)
        verify = self.validate_certs and (os.environ.get('REQUESTS_CA_BUNDLE') or os.environ.get('CURL_CA_BUNDLE')
                                          or True)
        return self.session.send(prepared, timeout=self.timeout, allow_redirects=False, proxies=proxies,
                                 verify=verify)

    def _decode(self, label, response, idempotent):
        status = response.status_code
        if 300 <= status < 400:
            what = 'HTTP %d, a redirect, which is never followed' % status
            if idempotent:
                raise ZadarmaError(what, method=label, http_status=status)
            raise self._ambiguous(label, what, idempotent, status)
        try:
            body = response.json()
        except (ValueError, RecursionError):
            body = None
        if status >= 500 or (status < 400 and not isinstance(body, dict)):
            what = 'HTTP %d' % status if status >= 500 else 'an unreadable response (not JSON)'
            raise self._ambiguous(label, what, idempotent, status)
        message = _api_message(response, body)
        if status == 401:
            raise ZadarmaError('authorization failed (HTTP 401: %s); check api_key and api_secret'
                               % (message or 'Not authorized'), method=label, http_status=401, api_message=message)
        if status >= 400 or body.get('status') == 'error':
            raise ZadarmaError('the API refused the request (HTTP %d): %s' % (status, message or 'no message'),
                               method=label, http_status=status, api_message=message)
        return body

    def _transport_error(self, label, exc, idempotent):
        if isinstance(exc, requests.exceptions.SSLError) and _handshake_failed(exc):
            return ZadarmaError('TLS error: %s' % _short(exc), method=label)
        if isinstance(exc, requests.exceptions.ConnectTimeout) or _never_connected(exc):
            # Nothing reached the server: safe to try again whatever the method.
            return ZadarmaError('could not connect to %s: %s' % (self.api_url, _short(exc)), method=label,
                                retryable=True)
        if isinstance(exc, requests.exceptions.SSLError):
            what = 'a TLS error after the request was sent (%s)' % _short(exc)
        elif isinstance(exc, requests.exceptions.Timeout):
            what = 'no answer within %s seconds' % self.timeout
        else:
            what = 'the connection was dropped (%s)' % _short(exc)
        return self._ambiguous(label, what, idempotent)

    @staticmethod
    def _ambiguous(label, what, idempotent, http_status=None):
        if idempotent:
            return ZadarmaError(what, method=label, http_status=http_status, ambiguous=True, retryable=True)
        return ZadarmaError('%s. The request may have been processed; it was NOT sent again because it is not '
                            'idempotent (it may spend money or create a duplicate). Check the current state '
                            '(owned numbers, balance, document groups) before running again' % what,
                            method=label, http_status=http_status, ambiguous=True)

    # Rate limit ----------------------------------------------------------------------------------
    def _remember_limits(self, response):
        remaining = _number_header(response, 'X-RateLimit-Remaining')
        reset = _number_header(response, 'X-RateLimit-Reset')
        if remaining is not None:
            self._remaining = remaining
        if reset is not None:
            # The vendor's example is an epoch; a small value is read as seconds to wait.
            self._reset_at = reset if reset > 10 ** 9 else self._clock() + reset

    def _pace(self):
        """Before sending: if the window is used up, wait for the next one instead of drawing a 429."""
        if self._remaining is not None and self._remaining <= 0 and self._reset_at is not None:
            self._wait_for_window()

    def _wait_for_window(self):
        now = self._clock()
        delay = (self._reset_at - now) if self._reset_at is not None else self.retry.rate_limit_max_wait
        delay = min(max(delay, 0.0), self.retry.rate_limit_max_wait) + random.uniform(0, self.retry.jitter)
        self._remaining = None  # unknown until the next response
        return self._wait(delay)

    def _backoff(self, attempt):
        self.stats['retried'] += 1
        return self._wait(self.retry.backoff * (2 ** (attempt - 1)) + random.uniform(0, self.retry.jitter))

    def _wait(self, seconds):
        self.stats['waited'] += seconds
        self._sleep(seconds)
        return seconds


# What OpenSSL says when the handshake itself failed: no request byte was sent.
_HANDSHAKE_FAILURES = ('certificate verify failed', 'certificate_verify_failed', "doesn't match", 'hostname mismatch',
                       'wrong version number', 'wrong_version_number', 'handshake')


def _handshake_failed(exc):
    text = repr(exc).lower()
    return any(mark in text for mark in _HANDSHAKE_FAILURES)


def _never_connected(exc):
    """True when no byte can have reached the server: the connection itself (or the DNS look-up) failed."""
    reason = getattr(exc.args[0], 'reason', None) if exc.args else None
    if NewConnectionError is not None and isinstance(reason, NewConnectionError):  # includes NameResolutionError
        return True
    text = repr(exc)
    return any(mark in text for mark in ('NewConnectionError', 'NameResolutionError', 'Connection refused'))


def _short(exc):
    text = str(exc)
    return text if len(text) < 200 else text[:200] + '...'


def _number_header(response, name):
    """A finite number from a header, or None ('inf', '1e400', 'nan' and garbage are ignored)."""
    try:
        value = float(response.headers.get(name))
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _api_message(response, body=None):
    if body is None:
        try:
            body = response.json()
        except ValueError:
            body = None
    if isinstance(body, dict) and body.get('message'):
        return str(body['message'])
    return None
