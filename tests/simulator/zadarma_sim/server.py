# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP front of the simulator: routing, signature check, rate limit, latency, faults, log, control API.

An API request goes: latency -> parse parameters -> route (404) -> signature (401) -> rate limit (429)
-> injected fault -> handler under the state lock (400 on ApiError) -> log entry. Every API answer carries
the X-RateLimit-* headers. The control API (/_sim/...) has no auth, no rate limit and is not logged.
"""

import json
import re
import socket
import socketserver
import threading
import time
from collections import namedtuple
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from . import multipart, signing
from .common import ApiError, to_int
from .control import Config, Faults, RateLimiter, RequestLog, normalise_path
from .documents import mask_personal
from .state import State

DEFAULT_API_KEY = 'sim-key-0123456789'
DEFAULT_API_SECRET = 'sim-secret-never-printed-4f9a'

# (http method, path with {arg} placeholders, State handler, accepts user_id)
ROUTES = (
    ('GET', '/v1/info/balance/', 'balance', False),
    ('GET', '/v1/sip/', 'sips', False),
    ('GET', '/v1/sip/{sip}/status/', 'sip_status', False),
    ('PUT', '/v1/sip/callerid/', 'set_sip_caller_id', False),
    ('GET', '/v1/sip/redirection/', 'redirection', False),
    ('PUT', '/v1/sip/redirection/', 'set_redirection', False),
    ('POST', '/v1/sip/create/', 'create_sip', True),
    ('PUT', '/v1/sip/{sip}/password/', 'set_sip_password', True),
    ('GET', '/v1/direct_numbers/', 'numbers', False),
    ('GET', '/v1/direct_numbers/number/', 'number_info', False),
    ('GET', '/v1/direct_numbers/autoprolongation/', 'autoprolongation', False),
    ('PUT', '/v1/direct_numbers/autoprolongation/', 'set_autoprolongation', False),
    ('GET', '/v1/direct_numbers/checking-wrongs/', 'checking_wrongs', False),
    ('GET', '/v1/direct_numbers/countries/', 'countries', False),
    ('GET', '/v1/direct_numbers/country/', 'country', False),
    ('PUT', '/v1/direct_numbers/set_caller_name/', 'set_caller_name', False),
    ('PUT', '/v1/direct_numbers/set_sip_id/', 'set_sip_id', False),
    ('GET', '/v1/direct_numbers/available/{direction_id}/', 'available', False),
    ('POST', '/v1/direct_numbers/order/', 'order', True),
    ('POST', '/v1/direct_numbers/prolong/', 'prolong', True),
    ('GET', '/v1/direct_numbers/incoming_channels/', 'incoming_channels', True),
    ('PUT', '/v1/direct_numbers/incoming_channels/', 'set_incoming_channels', True),
    ('PUT', '/v1/direct_numbers/receive_sms/', 'set_receive_sms', True),
    ('GET', '/v1/documents/files/', 'files', True),
    ('GET', '/v1/documents/groups/list/', 'groups', True),
    ('GET', '/v1/documents/groups/get/{id}/', 'group', True),
    ('GET', '/v1/documents/groups/valid/{id}/', 'group_valid', True),
    ('POST', '/v1/documents/groups/create/', 'create_group', True),
    ('PUT', '/v1/documents/groups/update/{groupid}/', 'update_group', True),
    ('POST', '/v1/documents/upload/', 'upload', True),
)
_COMPILED = [(method, re.compile('^' + re.sub(r'\\\{\w+\\\}', '([^/]+)', re.escape(path)) + '$'), name, user)
             for method, path, name, user in ROUTES]
MALFORMED_BODY = b'<html><body><h1>502 Bad Gateway</h1></body></html>'

Request = namedtuple('Request', 'method path query headers body')


class Response:
    """What the HTTP handler writes; ``drop`` closes the connection without writing anything."""

    def __init__(self, status, body, headers=None, content_type='application/json', drop=False):
        self.status = status
        self.body = body if isinstance(body, bytes) else json.dumps(body).encode('utf-8')
        self.headers = dict(headers or {}, **{'Content-Type': content_type})
        self.drop = drop


def error_body(message):
    return {'status': 'error', 'message': message}


def match_route(method, path):
    """(handler name, accepts user_id, path args) for a normalised path, or None."""
    for route_method, pattern, name, accepts_user in _COMPILED:
        found = pattern.match(path)
        if found and route_method == method:
            return name, accepts_user, found.groups()
    return None


def read_params(request):
    """(params, uploaded file or None): query for GET, the form body for POST/PUT."""
    if request.method not in ('POST', 'PUT'):
        return dict(parse_qsl(request.query, keep_blank_values=True)), None
    content_type = request.headers.get('Content-Type') or ''
    kind = multipart.header_params(content_type)[0] if content_type else ''
    if kind == 'multipart/form-data':
        return multipart.parse(content_type, request.body)
    if kind == 'application/x-www-form-urlencoded' or (not kind and not request.body):
        try:
            return dict(parse_qsl(request.body.decode('utf-8'), keep_blank_values=True)), None
        except UnicodeDecodeError:
            raise ApiError('The form body is not UTF-8') from None
    raise ApiError('Unsupported Content-Type {0!r}: send application/x-www-form-urlencoded'.format(kind))


def log_params(path, params, upload):
    """The parameters as logged: secrets masked, the file reduced to its name and size."""
    logged = dict(params)
    secret = ['password'] + (['value'] if path.endswith('/password/') else [])  # SIP login passwords
    logged.update((name, '********') for name in secret if name in logged)
    if upload is not None:
        logged['file'] = {'name': upload['filename'], 'size': len(upload['content'])}
    return logged


class Simulator:
    """The simulator without the socket: feed it Requests, get Responses."""

    def __init__(self, seed, api_key=DEFAULT_API_KEY, api_secret=DEFAULT_API_SECRET, config=None):
        self.state = State(seed)
        self.lock = self.state.lock  # one lock for state, log, rate counters and faults
        self.api_key = api_key
        self._secret = api_secret
        self.config = config or Config()
        self.limiter = RateLimiter()
        self.faults = Faults()
        self.log = RequestLog()

    def __repr__(self):  # never show the secret
        return 'Simulator(api_key={0!r})'.format(self.api_key)

    # API ----------------------------------------------------------------------------------------
    def handle_api(self, request):
        if self.config.latency_ms > 0:
            time.sleep(self.config.latency_ms / 1000.0)
        path = normalise_path(request.path)
        entry = {'time': round(time.time(), 3), 'http_method': request.method, 'path': path, 'params': {},
                 'status': None, 'write': request.method in ('POST', 'PUT'), 'user_id': None}
        response = self._api(request, path, entry)
        with self.lock:
            entry['status'] = response.status
            self.log.add(entry)
        return response

    def _api(self, request, path, entry):
        try:
            params, upload = read_params(request)
        except ApiError as exc:
            return self._answer(exc.status, error_body(exc.message))
        entry['params'] = log_params(path, params, upload)
        route = match_route(request.method, path)
        if route is None:
            return self._answer(404, error_body('Method not found: {0} {1}'.format(request.method, path)))
        if not signing.verify(request.headers.get('Authorization'), self.api_key, self._secret, request.path, params):
            return self._answer(401, error_body('Not authorized'))
        with self.lock:
            allowed, remaining, reset = self.limiter.check(self.api_key, self.config.rate_limit,
                                                           self.config.rate_window, time.time())
            fault = self.faults.take(request.method, path) if allowed else None
        limits = (remaining, reset)
        if not allowed or (fault and fault['kind'] == 'rate_limit'):
            return self._answer(429, error_body('You exceeded the rate limit'), (0, reset))
        kind = fault['kind'] if fault else None
        if kind == 'status':
            return self._answer(fault['status'], error_body(fault.get('message') or 'Simulated fault'), limits)
        if kind == 'malformed':
            return Response(200, MALFORMED_BODY, self._limit_headers(limits), content_type='text/html')
        if kind == 'delay':
            time.sleep(fault['seconds'])
        response = self._call(route, params, upload, entry, limits)
        response.drop = kind == 'drop_after_commit'
        return response

    def _call(self, route, params, upload, entry, limits):
        name, accepts_user, args = route
        with self.lock:
            try:
                if accepts_user and params.get('user_id') not in (None, ''):
                    entry['user_id'] = to_int(params['user_id'], 'user_id')
                account = self.state.account(entry['user_id'])
                if upload is not None:
                    params = dict(params, file=upload)
                self.state.auto_verify = self.config.auto_verify
                body = getattr(self.state, name)(account, params, *args)
            except ApiError as exc:
                return self._answer(exc.status, error_body(exc.message), limits)
        return self._answer(200, dict({'status': 'success'}, **body), limits)

    def _answer(self, status, body, limits=None):
        if limits is None:  # answered before the rate limiter: show the window without counting
            with self.lock:
                limits = self.limiter.check(self.api_key, self.config.rate_limit, self.config.rate_window,
                                            time.time(), consume=False)[1:]
        return Response(status, body, self._limit_headers(limits))

    def _limit_headers(self, limits):
        return {'X-RateLimit-Limit': str(self.config.rate_limit), 'X-RateLimit-Remaining': str(limits[0]),
                'X-RateLimit-Reset': str(limits[1])}

    # Control API --------------------------------------------------------------------------------
    def handle_control(self, request):
        handlers = {
            ('GET', '/_sim/log/'): self._ctl_log, ('POST', '/_sim/reset/'): self._ctl_reset,
            ('GET', '/_sim/config/'): self._ctl_config, ('POST', '/_sim/config/'): self._ctl_config,
            ('GET', '/_sim/faults/'): self._ctl_faults, ('POST', '/_sim/faults/'): self._ctl_faults,
            ('DELETE', '/_sim/faults/'): self._ctl_faults,
            ('GET', '/_sim/state/'): self._ctl_state, ('POST', '/_sim/state/'): self._ctl_state,
        }
        handler = handlers.get((request.method, normalise_path(request.path)))
        if handler is None:
            return Response(404, error_body('Unknown control request: {0} {1}'.format(request.method, request.path)))
        try:
            payload = json.loads(request.body.decode('utf-8')) if request.body.strip() else {}
        except ValueError as exc:
            return Response(400, error_body('Invalid JSON: {0}'.format(exc)))
        try:
            with self.lock:
                return Response(200, dict({'status': 'success'}, **handler(request, payload)))
        except ApiError as exc:
            return Response(400, error_body(exc.message))
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            return Response(400, error_body('Bad control request: {0!r}'.format(exc)))

    def _ctl_log(self, request, _payload):
        since = to_int(dict(parse_qsl(request.query)).get('since', '0'), 'since')
        entries = self.log.since(since)
        if not self.config.reveal_personal_data:
            entries = [dict(entry, params=mask_personal(entry['params'])) if entry['path'].startswith('/v1/documents/')
                       else entry for entry in entries]
        return {'requests': entries}

    def _ctl_reset(self, _request, _payload):
        self.state.reset()
        self.log.clear()
        self.faults.clear()
        self.limiter.clear()
        return {}

    def _ctl_config(self, request, payload):
        if request.method == 'POST':
            if not isinstance(payload, dict):
                raise ApiError('config is a JSON object')
            self.config.update(payload)
            if 'rate_limit' in payload or 'rate_window' in payload:
                self.limiter.clear()  # a new limit starts a new window
        return {'config': self.config.as_dict()}

    def _ctl_faults(self, request, payload):
        if request.method == 'DELETE':
            self.faults.clear()
        elif request.method == 'POST':
            for spec in payload if isinstance(payload, list) else [payload]:
                self.faults.add(spec)
        return {'faults': self.faults.listing()}

    def _ctl_state(self, request, payload):
        if request.method == 'POST':
            if not isinstance(payload, dict):
                raise ApiError('state update is a JSON object')
            return self.state.control_update(payload)
        state = self.state.snapshot()
        if not self.config.reveal_personal_data:
            for account in [state] + list(state['sub_accounts'].values()):
                account['groups'] = [mask_personal(group) for group in account.get('groups', [])]
        return state


class Handler(BaseHTTPRequestHandler):
    """Reads one request, hands it to the Simulator, writes the Response (or drops the connection)."""

    protocol_version = 'HTTP/1.1'
    server_version = 'ZadarmaSimulator/1.0'
    close_connection = True

    def version_string(self):
        return self.server_version

    def setup(self):
        super().setup()
        # Headers and body are written separately: without this, Nagle + delayed ACK add ~40 ms per answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self):  # pylint: disable=invalid-name
        self._handle()

    do_POST = do_PUT = do_DELETE = do_GET

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        """Quiet: the request log is at /_sim/log."""

    def _handle(self):
        split = urlsplit(self.path)
        try:
            body = self._read_body()
        except ValueError:
            self.close_connection = True
            self._write(Response(400, error_body('Unreadable request body')))
            return
        request = Request(self.command, split.path, split.query, self.headers, body)
        simulator = self.server.simulator
        is_control = split.path == '/_sim' or split.path.startswith('/_sim/')
        response = simulator.handle_control(request) if is_control else simulator.handle_api(request)
        if response.drop:
            self._drop()
        else:
            self._write(response)

    def _read_body(self):
        if 'chunked' in (self.headers.get('Transfer-Encoding') or '').lower():
            return self._read_chunked()
        length = int(self.headers.get('Content-Length') or 0)
        if length < 0:
            raise ValueError('negative Content-Length')
        return self.rfile.read(length) if length else b''

    def _read_chunked(self):
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b';')[0].strip() or b'0', 16)
            if size == 0:
                while self.rfile.readline().strip():  # trailers
                    pass
                return b''.join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _write(self, response):
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header('Content-Length', str(len(response.body)))
            self.end_headers()
            self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _drop(self):
        """drop_after_commit: the request was processed; close without a byte of answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128  # parallel forks connect at once; the default 5 makes the kernel reset them

    def __init__(self, address, simulator):
        self.simulator = simulator
        if ':' in address[0]:
            self.address_family = socket.AF_INET6
        super().__init__(address, Handler)

    def server_bind(self):
        # HTTPServer.server_bind resolves the host name (getfqdn), which can hang without DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


def start(simulator, host='127.0.0.1', port=0):
    """Serve in a daemon thread; returns the server (``server.server_address[1]`` is the port)."""
    server = SimulatorServer((host, port), simulator)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.1}, name='zadarma-sim', daemon=True)
    thread.start()
    return server
