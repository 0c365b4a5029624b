# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures: one in-process simulator per session, reset before every test, and a tiny signed client.

Test modules use the fixtures (``api``, ``make_client``, ``sim_dir``), never ``import conftest``.
"""

import base64
import hashlib
import hmac
import os
import sys

import pytest
import requests

SIM_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if SIM_DIR not in sys.path:
    sys.path.insert(0, SIM_DIR)

from zadarma_sim import seed, server  # noqa: E402  pylint: disable=wrong-import-position

KEY = server.DEFAULT_API_KEY
SECRET = server.DEFAULT_API_SECRET
DEFAULT_CONFIG = {'rate_limit': 100, 'rate_window': 60, 'latency_ms': 0, 'auto_verify': True,
                  'reveal_personal_data': False}


def php_encode(text):
    """Independent of zadarma_sim.signing on purpose: PHP urlencode (RFC 1738)."""
    safe = b'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'
    return ''.join(chr(b) if b in safe else '+' if b == 0x20 else '%%%02X' % b for b in str(text).encode('utf-8'))


def sign(path, params, secret=SECRET, key=KEY):
    query = '&'.join('%s=%s' % (php_encode(k), php_encode(v)) for k, v in sorted(params.items()))
    digest = hmac.new(secret.encode(), (path + query + hashlib.md5(query.encode()).hexdigest()).encode(),
                      hashlib.sha1).hexdigest()
    return '%s:%s' % (key, base64.b64encode(digest.encode()).decode())


class Client:
    """Signs like the SDKs: ``format=json`` added and signed; GET in the query, POST/PUT form-encoded."""

    def __init__(self, base_url, key=KEY, secret=SECRET):
        self.base_url = base_url
        self.key = key
        self.secret = secret
        self.session = requests.Session()

    def authorization(self, path, params):
        return sign(path, params, self.secret, self.key)

    def call(self, method, path, params=None, files=None, sign_params=None, headers=None):
        params = dict(params or {}, format='json')
        auth = self.authorization(path, params if sign_params is None else sign_params)
        all_headers = dict({'Authorization': auth}, **(headers or {}))
        url = self.base_url + path
        if method == 'GET':
            return self.session.get(url, params=params, headers=all_headers, timeout=10)
        return self.session.request(method, url, data=params, files=files, headers=all_headers, timeout=10)

    def get(self, path, params=None, **kwargs):
        return self.call('GET', path, params, **kwargs)

    def post(self, path, params=None, **kwargs):
        return self.call('POST', path, params, **kwargs)

    def put(self, path, params=None, **kwargs):
        return self.call('PUT', path, params, **kwargs)

    def ok(self, method, path, params=None, **kwargs):
        """The JSON body of a call that must succeed."""
        response = self.call(method, path, params, **kwargs)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body['status'] == 'success', body
        return body

    # control API
    def ctl(self, method, path, payload=None):
        response = self.session.request(method, self.base_url + path, json=payload, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def log(self, since=0):
        return self.ctl('GET', '/_sim/log?since=%d' % since)['requests']

    def state(self):
        return self.ctl('GET', '/_sim/state')


@pytest.fixture(scope='session')
def sim_dir():
    return SIM_DIR


@pytest.fixture(scope='session')
def sim_server():
    srv = server.start(server.Simulator(seed.default_seed()), '127.0.0.1', 0)
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def base_url(sim_server):
    return 'http://127.0.0.1:%d' % sim_server.server_address[1]


@pytest.fixture
def make_client():
    """Client(base_url, key=..., secret=...): test modules never import conftest (its name is not unique)."""
    return Client


@pytest.fixture
def api(base_url):
    client = Client(base_url)
    client.ctl('POST', '/_sim/reset')
    client.ctl('POST', '/_sim/config', DEFAULT_CONFIG)
    yield client
    client.session.close()
