# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the signed Zadarma client: signing, the request on the wire, rate limits, retries, errors.

HTTP is mocked with ``responses``; time is a fake clock whose ``sleep`` only moves the clock forward,
so no test ever waits.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import socket

from urllib.parse import parse_qsl, quote, urlsplit

import pytest
import requests
import responses

from ansible_collections.zadarma.telephony.plugins.module_utils import _client
from ansible_collections.zadarma.telephony.plugins.module_utils._client import (
    DEFAULT_API_URL,
    RetryPolicy,
    ZadarmaClient,
    ZadarmaError,
    build_query,
    check_api_url,
    method_path,
    php_urlencode,
    sign,
)

KEY = 'test_key_1234567890'
SECRET = 'test_secret_abcdef'
BASE = 'https://api.zadarma.com'
NOW = 1700000000.0
JITTER = 0.5


# Independent reference implementation, written from the rules in zadarma-api-notes.md ------------------
def ref_encode(text):
    """RFC 1738 as PHP does it, derived from urllib's RFC 3986 quoting: '~' and space differ."""
    # quote(safe='') leaves only A-Z a-z 0-9 - _ . ~ literal and uses upper-case hex.
    return quote(str(text), safe='').replace('~', '%7E').replace('%20', '+')


def ref_param_string(params):
    pairs = []
    for key in sorted(params):
        value = params[key]
        if value is None:
            continue
        if value is True:
            value = '1'
        elif value is False:
            value = '0'
        pairs.append(ref_encode(key) + '=' + ref_encode(value))
    return '&'.join(pairs)


def ref_signature(path, param_string, secret=SECRET):
    to_sign = path + param_string + hashlib.md5(param_string.encode('utf-8')).hexdigest()
    hex_digest = hmac.new(secret.encode('utf-8'), to_sign.encode('utf-8'), hashlib.sha1).hexdigest()
    return base64.b64encode(hex_digest.encode('ascii')).decode('ascii')


# The five vectors of the notes (computed by the official PHP SDK) ------------------------------------
VECTORS = [
    ('/v1/info/balance/', {},
     'NTFmYmQ2ZGQzNWU2ZGY4YzQ5M2U3NDY1Y2VjYzI2MGFkOGI4OTgwZQ=='),
    ('/v1/info/balance/', {'format': 'json'},
     'ODY5MGNmNDVmMzkxYjM2YzBlMWJkOTg2OWQzYjJjY2JkNTkxMTU3ZA=='),
    ('/v1/statistics/', {'start': '2024-01-01 00:00:00', 'end': '2024-01-31 23:59:59', 'sip': '00001',
                         'format': 'json'},
     'NjI3NGJjYWIxNmIzYzdjYTA3YTcyMTE5ZTkwM2U5MjZiODc3NzNhMA=='),
    ('/v1/direct_numbers/order/', {'direction_id': '3766', 'documents_group_id': '12',
                                   'number_id': '1712p0D1643D0t42r198658', 'period': 'month', 'format': 'json'},
     'YzFjZTJhMzk0MTBkNjgzYzEyNjNkMmVjNDE0YTI5MWE4YTFkNWI0Yg=='),
    ('/v1/direct_numbers/set_caller_name/', {'number': '442037691880', 'caller_name': '', 'format': 'json'},
     'NWE5NDMzZDkyMzM4ZmM1NzllMDIyZTBmYTc4NDE2MzZjZGYxNjBmOA=='),
]
VECTOR_IDS = ['balance-no-params', 'balance-format', 'statistics', 'order', 'set_caller_name-empty']


# Fixtures ---------------------------------------------------------------------------------------------
class FakeTime(object):
    """clock() returns the fake now; sleep() records the wait and moves now forward."""

    def __init__(self, now=NOW):
        self.now = now
        self.sleeps = []

    def clock(self):
        return self.now

    def sleep(self, seconds):
        assert seconds >= 0
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time():
    return FakeTime()


@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def make_client(fake_time):
    def factory(api_url=BASE, **policy):
        retry = dict(jitter=JITTER, backoff=1.0, transient_retries=3)
        retry.update(policy)
        return ZadarmaClient(KEY, SECRET, api_url=api_url, timeout=7, retry=RetryPolicy(**retry),
                             sleep=fake_time.sleep, clock=fake_time.clock)
    return factory


@pytest.fixture
def client(make_client):
    return make_client()


def url(method):
    return BASE + method_path(method)


OK = {'status': 'success'}


def auth_of(call):
    return call.request.headers['Authorization']


def split_multipart(request):
    """{name: (filename or None, content type or None, raw bytes)} of a multipart/form-data request."""
    content_type = request.headers['Content-Type']
    assert content_type.startswith('multipart/form-data; boundary=')
    boundary = content_type.split('boundary=', 1)[1].encode('ascii')
    body = request.body
    parts = body.split(b'--' + boundary)
    assert parts[0] == b'' and parts[-1] in (b'--\r\n', b'--')
    fields = {}
    for part in parts[1:-1]:
        assert part.startswith(b'\r\n') and part.endswith(b'\r\n')
        head, content = part[2:-2].split(b'\r\n\r\n', 1)
        headers = {}
        for line in head.decode('utf-8').split('\r\n'):
            name, value = line.split(':', 1)
            headers[name.strip().lower()] = value.strip()
        disposition = dict(
            item.strip().split('=', 1) for item in headers['content-disposition'].split(';')[1:])
        name = disposition['name'].strip('"')
        filename = disposition['filename'].strip('"') if 'filename' in disposition else None
        fields[name] = (filename, headers.get('content-type'), content)
    return fields


# The reference encoder itself is checked against the notes ------------------------------------------
def test_reference_encoder_matches_the_notes():
    assert ref_param_string(VECTORS[2][1]) == \
        'end=2024-01-31+23%3A59%3A59&format=json&sip=00001&start=2024-01-01+00%3A00%3A00'
    assert ref_encode('~*@ ') == '%7E%2A%40+'


# Signer ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize('path, params, signature', VECTORS, ids=VECTOR_IDS)
def test_sign_vectors(path, params, signature):
    query = build_query(params)
    assert sign(path, query, SECRET) == signature
    assert len(signature) == 56
    assert ref_signature(path, ref_param_string(params)) == signature


def test_sign_is_base64_of_the_hex_digest_not_of_the_raw_digest():
    signature = sign('/v1/info/balance/', 'format=json', SECRET)
    assert len(signature) == 56
    decoded = base64.b64decode(signature).decode('ascii')
    assert len(decoded) == 40 and all(c in '0123456789abcdef' for c in decoded)


def test_statistics_param_string_from_the_notes():
    assert build_query(VECTORS[2][1]) == \
        'end=2024-01-31+23%3A59%3A59&format=json&sip=00001&start=2024-01-01+00%3A00%3A00'


@pytest.mark.parametrize('text, expected', [
    ('~', '%7E'),
    ('*', '%2A'),
    ('@', '%40'),
    (' ', '+'),
    ('a b  c', 'a+b++c'),
    ('-_.', '-_.'),
    ('AZaz09', 'AZaz09'),
    ('+', '%2B'),
    ('%', '%25'),
    ('/:?#[]!$&\'()=,;', '%2F%3A%3F%23%5B%5D%21%24%26%27%28%29%3D%2C%3B'),
    ('Привет', '%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82'),
    ('ё', '%D1%91'),
    ('\u20ac', '%E2%82%AC'),
    ('\n\t', '%0A%09'),
    ('', ''),
])
def test_php_urlencode(text, expected):
    assert php_urlencode(text) == expected
    assert ref_encode(text) == expected


@pytest.mark.parametrize('params', [
    {'caller_name': 'Отдел продаж', 'number': '442037691880'},
    {'uri': 'user~name*x@sip.example.com:5060'},
    {'z': 'last', 'a': 'first', 'M': 'upper', 'm_': 'x', 'm': 'y'},
    {'empty': '', 'dropped': None, 'kept': 'x'},
    {'flag': True, 'other': False, 'n': 3, 'f': 2.5},
    {'space': 'a b', 'plus': '+44 20', 'amp': 'a&b=c'},
    {},
])
def test_build_query_matches_reference(params):
    assert build_query(params) == ref_param_string(params)
    path = '/v1/direct_numbers/set_caller_name/'
    assert sign(path, build_query(params), SECRET) == ref_signature(path, ref_param_string(params))


def test_build_query_drops_none_keeps_empty_sorts_keys():
    assert build_query({'b': '2', 'c': None, 'a': '', 'format': 'json'}) == 'a=&b=2&format=json'
    assert build_query(None) == ''


def test_build_query_booleans_as_php():
    # PHP http_build_query: true -> 1, false -> 0
    assert build_query({'on': True, 'off': False}) == 'off=0&on=1'


def test_build_query_cyrillic():
    assert build_query({'name': 'Иван Петров'}) == 'name=%D0%98%D0%B2%D0%B0%D0%BD+%D0%9F%D0%B5%D1%82%D1%80%D0%BE%D0%B2'


@pytest.mark.parametrize('method, path', [
    ('info/balance', '/v1/info/balance/'),
    ('/v1/direct_numbers/order/', '/v1/direct_numbers/order/'),
    ('v1/direct_numbers/order', '/v1/direct_numbers/order/'),
    ('documents/groups/get/12', '/v1/documents/groups/get/12/'),
])
def test_method_path(method, path):
    assert method_path(method) == path


# Vectors through the client: the Authorization header actually sent ----------------------------------
@pytest.mark.parametrize('http_method, path, params, signature', [
    ('GET', VECTORS[1][0], {}, VECTORS[1][2]),
    ('GET', VECTORS[2][0], {k: v for k, v in VECTORS[2][1].items() if k != 'format'}, VECTORS[2][2]),
    ('POST', VECTORS[3][0], {k: v for k, v in VECTORS[3][1].items() if k != 'format'}, VECTORS[3][2]),
    ('PUT', VECTORS[4][0], {'number': '442037691880', 'caller_name': ''}, VECTORS[4][2]),
], ids=['balance', 'statistics', 'order', 'set_caller_name'])
def test_vectors_through_client(mocked, client, http_method, path, params, signature):
    mocked.add(http_method, BASE + path, json=OK)
    assert client.request(http_method, path, params) == OK
    assert len(mocked.calls) == 1
    assert auth_of(mocked.calls[0]) == '%s:%s' % (KEY, signature)


# The request on the wire -------------------------------------------------------------------------------
def test_get_sends_the_signed_query_string(mocked, client):
    mocked.add('GET', url('statistics'), json=OK)
    params = {'start': '2024-01-01 00:00:00', 'end': '2024-01-31 23:59:59', 'sip': '00001'}
    client.get('statistics', params)
    request = mocked.calls[0].request
    sent = urlsplit(request.url)
    assert sent.scheme == 'https' and sent.netloc == 'api.zadarma.com'
    assert sent.path == '/v1/statistics/'
    assert sent.query == 'end=2024-01-31+23%3A59%3A59&format=json&sip=00001&start=2024-01-01+00%3A00%3A00'
    assert ('format', 'json') in parse_qsl(sent.query)
    assert request.body is None
    assert auth_of(mocked.calls[0]) == '%s:%s' % (KEY, ref_signature(sent.path, sent.query))
    assert request.headers['User-Agent'] == _client.USER_AGENT


def test_get_signature_recomputed_from_the_sent_parameters(mocked, client):
    """What a server that re-encodes the received parameters (as PHP's http_build_query) would check."""
    mocked.add('GET', url('direct_numbers/number'), json=OK)
    params = {'number': '442037691880', 'note': 'a~b *c@d Тест', 'empty': ''}
    client.get('direct_numbers/number', params)
    sent = urlsplit(mocked.calls[0].request.url)
    received = dict(parse_qsl(sent.query, keep_blank_values=True))
    assert received == dict(params, format='json')
    assert auth_of(mocked.calls[0]) == '%s:%s' % (KEY, ref_signature(sent.path, ref_param_string(received)))


def test_get_query_on_the_wire_is_exactly_the_signed_string_with_tilde(mocked, client):
    mocked.add('GET', url('direct_numbers/number'), json=OK)
    params = {'number': '442037691880', 'note': 'a~b'}
    client.get('direct_numbers/number', params)
    sent = urlsplit(mocked.calls[0].request.url)
    assert sent.query == build_query(dict(params, format='json'))  # 'format=json&note=a%7Eb&number=...'


@pytest.mark.parametrize('http_method, method', [('PUT', 'direct_numbers/set_caller_name'),
                                                 ('POST', 'direct_numbers/order')])
def test_put_and_post_send_the_signed_string_as_form_body(mocked, client, http_method, method):
    mocked.add(http_method, url(method), json=OK)
    params = {'number': '442037691880', 'caller_name': 'Sales Team', 'extra': 'a~b*c@d Привет', 'gone': None,
              'empty': ''}
    client.request(http_method, method, params)
    assert len(mocked.calls) == 1
    request = mocked.calls[0].request
    sent = urlsplit(request.url)
    assert sent.path == method_path(method)
    assert sent.query == ''
    expected = ref_param_string(dict(params, format='json'))
    assert 'format=json' in expected.split('&')
    body = request.body if isinstance(request.body, bytes) else request.body.encode('ascii')
    assert body == expected.encode('ascii')
    assert request.headers['Content-Type'] == 'application/x-www-form-urlencoded'
    assert auth_of(mocked.calls[0]) == '%s:%s' % (KEY, ref_signature(sent.path, body.decode('ascii')))


def test_upload_is_multipart_with_signed_fields_and_raw_bytes(mocked, client):
    mocked.add('POST', url('documents/upload'), json={'status': 'success', 'doc_name': 'passport.pdf'})
    content = b'%PDF-1.4\r\n\x00\xff\xfe binary\r\n--not-a-boundary\r\n' + bytes(range(256))
    params = {'group_id': 12, 'document_type': 'passport', 'user_id': None, 'comment': 'Скан ~ 1'}
    result = client.upload('documents/upload', params, 'passport.pdf', content, 'application/pdf')
    assert result['doc_name'] == 'passport.pdf'
    assert len(mocked.calls) == 1
    request = mocked.calls[0].request
    assert request.method == 'POST'
    sent = urlsplit(request.url)
    assert sent.path == '/v1/documents/upload/' and sent.query == ''
    parts = split_multipart(request)
    assert set(parts) == {'group_id', 'document_type', 'comment', 'format', 'file'}
    filename, content_type, raw = parts['file']
    assert filename == 'passport.pdf'
    assert content_type == 'application/pdf'
    assert raw == content
    fields = {}
    for name, (fname, _ctype, value) in parts.items():
        if name != 'file':
            assert fname is None
            fields[name] = value.decode('utf-8')
    assert fields == {'group_id': '12', 'document_type': 'passport', 'comment': 'Скан ~ 1', 'format': 'json'}
    # The signature covers the non-file fields exactly as sent, and nothing of the file.
    assert auth_of(mocked.calls[0]) == '%s:%s' % (KEY, ref_signature(sent.path, ref_param_string(fields)))


def test_requests_do_not_follow_redirects_and_use_timeout_and_verify(client):
    seen = {}

    class Session(requests.Session):
        def send(self, request, **kwargs):
            seen.update(kwargs)
            raise requests.exceptions.SSLError('certificate verify failed')

    client.session = Session()
    with pytest.raises(ZadarmaError) as info:
        client.get('info/balance')
    assert seen['allow_redirects'] is False
    assert seen['timeout'] == 7
    assert seen['verify'] not in (False, None)  # True, or the CA bundle named by REQUESTS_CA_BUNDLE
    assert 'TLS error' in str(info.value)
    assert info.value.ambiguous is False


# Rate limit --------------------------------------------------------------------------------------------
def limited(reset, remaining='0'):
    return dict(status=429, json={'status': 'error', 'message': 'You exceeded the rate limit'},
                headers={'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': remaining,
                         'X-RateLimit-Reset': str(reset)})


def test_429_then_200_waits_until_reset_epoch(mocked, client, fake_time):
    mocked.add('GET', url('info/balance'), **limited(int(NOW) + 10))
    mocked.add('GET', url('info/balance'), json={'status': 'success', 'balance': 1},
               headers={'X-RateLimit-Remaining': '99', 'X-RateLimit-Reset': str(int(NOW) + 70)})
    assert client.get('info/balance')['balance'] == 1
    assert len(mocked.calls) == 2
    assert len(fake_time.sleeps) == 1
    assert 10 <= fake_time.sleeps[0] <= 10 + JITTER
    # the retry is the same request, same signature
    assert mocked.calls[0].request.url == mocked.calls[1].request.url
    assert auth_of(mocked.calls[0]) == auth_of(mocked.calls[1])
    assert client.stats['rate_limited'] == 1


def test_429_jitter_is_bounded_by_the_policy(mocked, make_client, fake_time, monkeypatch):
    bounds = []

    def uniform(low, high):
        bounds.append((low, high))
        return high  # the largest jitter allowed

    monkeypatch.setattr(_client.random, 'uniform', uniform)
    client = make_client(jitter=2.5)
    mocked.add('GET', url('info/balance'), **limited(int(NOW) + 10))
    mocked.add('GET', url('info/balance'), json=OK)
    client.get('info/balance')
    assert bounds == [(0, 2.5)]
    assert fake_time.sleeps == [12.5]


def test_429_jitter_zero_waits_exactly_until_reset(mocked, make_client, fake_time):
    client = make_client(jitter=0)
    mocked.add('GET', url('info/balance'), **limited(int(NOW) + 17))
    mocked.add('GET', url('info/balance'), json=OK)
    client.get('info/balance')
    assert fake_time.sleeps == [17]


def test_429_wait_is_capped_by_rate_limit_max_wait(mocked, make_client, fake_time):
    client = make_client(jitter=0, rate_limit_max_wait=65.0)
    mocked.add('GET', url('info/balance'), **limited(int(NOW) + 3600))
    mocked.add('GET', url('info/balance'), json=OK)
    client.get('info/balance')
    assert fake_time.sleeps == [65.0]


def test_429_small_reset_is_read_as_seconds(mocked, client, fake_time):
    mocked.add('GET', url('info/balance'), **limited(5))
    mocked.add('GET', url('info/balance'), json=OK)
    client.get('info/balance')
    assert len(mocked.calls) == 2
    assert len(fake_time.sleeps) == 1
    assert 5 <= fake_time.sleeps[0] <= 5 + JITTER


@pytest.mark.parametrize('http_method', ['POST', 'PUT'])
def test_429_is_retried_for_every_method(mocked, client, http_method):
    mocked.add(http_method, url('direct_numbers/order'), **limited(3))
    mocked.add(http_method, url('direct_numbers/order'), json=OK)
    assert client.request(http_method, 'direct_numbers/order', {'number_id': 'x'}) == OK
    assert len(mocked.calls) == 2
    assert mocked.calls[0].request.body == mocked.calls[1].request.body


def test_pacing_waits_for_the_window_before_sending(mocked, client, fake_time):
    sent_at = []

    def answer(request):
        sent_at.append(fake_time.now)
        return 200, {}, '{"status": "success"}'

    mocked.add('GET', url('info/balance'), json=OK,
               headers={'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': str(int(NOW) + 20)})
    mocked.add_callback('GET', url('info/timezone'), callback=answer)
    client.get('info/balance')
    assert fake_time.sleeps == []
    client.get('info/timezone')
    assert len(fake_time.sleeps) == 1
    assert 20 <= fake_time.sleeps[0] <= 20 + JITTER
    assert sent_at == [fake_time.now]  # the request went out after the wait
    assert sent_at[0] >= NOW + 20
    assert len(mocked.calls) == 2


def test_no_pacing_while_requests_remain(mocked, client, fake_time):
    mocked.add('GET', url('info/balance'), json=OK,
               headers={'X-RateLimit-Remaining': '1', 'X-RateLimit-Reset': str(int(NOW) + 20)})
    client.get('info/balance')
    client.get('info/balance')
    assert fake_time.sleeps == []


def test_too_many_429_is_an_error(mocked, make_client, fake_time):
    client = make_client(rate_limit_retries=3)
    mocked.add('GET', url('direct_numbers'), **limited(2))
    with pytest.raises(ZadarmaError) as info:
        client.get('direct_numbers')
    error = info.value
    assert len(mocked.calls) == 4  # the first try and 3 retries
    assert len(fake_time.sleeps) == 3
    assert error.http_status == 429
    assert error.method == 'GET /v1/direct_numbers/'
    assert str(error).startswith('GET /v1/direct_numbers/: ')
    assert 'rate limit' in str(error)
    assert error.api_message == 'You exceeded the rate limit'
    assert error.ambiguous is False


def test_429_total_wait_is_bounded(mocked, make_client, fake_time):
    client = make_client(rate_limit_retries=100, max_total_wait=100.0, jitter=0)
    mocked.add('POST', url('direct_numbers/order'), **limited(60))
    with pytest.raises(ZadarmaError) as info:
        client.post('direct_numbers/order', {'number_id': 'x'})
    assert info.value.http_status == 429
    assert fake_time.sleeps == [60, 60]
    assert len(mocked.calls) == 3


# Retry rules -------------------------------------------------------------------------------------------
def dropped():
    return requests.exceptions.ConnectionError(
        "('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))")


def reset_by_peer():
    return requests.exceptions.ConnectionError(
        "('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))")


def read_timeout():
    return requests.exceptions.ReadTimeout(
        "HTTPSConnectionPool(host='api.zadarma.com', port=443): Read timed out. (read timeout=7)")


def refused():
    return requests.exceptions.ConnectionError(
        "HTTPSConnectionPool(host='api.zadarma.com', port=443): Max retries exceeded with url: /v1/x/ "
        "(Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x7f>: "
        "Failed to establish a new connection: [Errno 111] Connection refused'))")


def connect_timeout():
    return requests.exceptions.ConnectTimeout(
        "HTTPSConnectionPool(host='api.zadarma.com', port=443): Max retries exceeded with url: /v1/x/ "
        "(Caused by ConnectTimeoutError(<urllib3.connection.HTTPSConnection object>, 'Connection timed out'))")


AMBIGUOUS_FAILURES = {
    'dropped': lambda: dict(body=dropped()),
    'reset-by-peer': lambda: dict(body=reset_by_peer()),
    'read-timeout': lambda: dict(body=read_timeout()),
    'http-500': lambda: dict(status=500, body='Internal Server Error'),
    'http-502': lambda: dict(status=502, body='<html>Bad Gateway</html>'),
    'http-503-json': lambda: dict(status=503, json={'status': 'error', 'message': 'maintenance'}),
    'non-json-200': lambda: dict(status=200, body='<html>oops</html>'),
    'json-list-200': lambda: dict(status=200, json=['not', 'an', 'object']),
    'truncated-200': lambda: dict(status=200, body='{"status": "succ'),
}


@pytest.mark.parametrize('failure', sorted(AMBIGUOUS_FAILURES))
@pytest.mark.parametrize('http_method', ['GET', 'PUT'])
def test_idempotent_methods_retried_after_transient_failure(mocked, client, fake_time, http_method, failure):
    mocked.add(http_method, url('direct_numbers/autoprolongation'), **AMBIGUOUS_FAILURES[failure]())
    mocked.add(http_method, url('direct_numbers/autoprolongation'), json={'status': 'success', 'value': 'on'})
    result = client.request(http_method, 'direct_numbers/autoprolongation', {'number': '442037691880'})
    assert result['value'] == 'on'
    assert len(mocked.calls) == 2
    assert len(fake_time.sleeps) == 1
    assert 1.0 <= fake_time.sleeps[0] <= 1.0 + JITTER
    assert auth_of(mocked.calls[0]) == auth_of(mocked.calls[1])
    assert client.stats['retried'] == 1


@pytest.mark.parametrize('failure', sorted(AMBIGUOUS_FAILURES))
@pytest.mark.parametrize('http_method', ['GET', 'PUT'])
def test_idempotent_retries_are_bounded_then_ambiguous_error(mocked, make_client, fake_time, http_method,
                                                             failure):
    client = make_client(transient_retries=3, jitter=0)
    mocked.add(http_method, url('direct_numbers/autoprolongation'), **AMBIGUOUS_FAILURES[failure]())
    with pytest.raises(ZadarmaError) as info:
        client.request(http_method, 'direct_numbers/autoprolongation', {'number': '442037691880'})
    error = info.value
    assert len(mocked.calls) == 1 + 3
    assert fake_time.sleeps == [1.0, 2.0, 4.0]  # exponential backoff
    assert error.ambiguous is True
    assert error.method == '%s /v1/direct_numbers/autoprolongation/' % http_method


def test_transient_retries_zero_means_one_try(mocked, make_client, fake_time):
    client = make_client(transient_retries=0)
    mocked.add('GET', url('info/balance'), status=503, body='down')
    with pytest.raises(ZadarmaError) as info:
        client.get('info/balance')
    assert len(mocked.calls) == 1
    assert fake_time.sleeps == []
    assert info.value.http_status == 503
    assert info.value.ambiguous is True


def _post_like(client, kind):
    if kind == 'upload':
        return client.upload('documents/upload', {'group_id': 1, 'document_type': 'passport'}, 'p.png',
                             b'\x89PNG\r\n', 'image/png')
    return client.post(kind, {'number_id': 'abc', 'period': 'month'})


POST_KINDS = ['direct_numbers/order', 'direct_numbers/prolong', 'documents/groups/create', 'upload']


def _post_url(kind):
    return url('documents/upload' if kind == 'upload' else kind)


@pytest.mark.parametrize('failure', sorted(AMBIGUOUS_FAILURES))
@pytest.mark.parametrize('kind', POST_KINDS)
def test_post_and_upload_never_retried_after_ambiguous_failure(mocked, client, fake_time, kind, failure):
    mocked.add('POST', _post_url(kind), **AMBIGUOUS_FAILURES[failure]())
    mocked.add('POST', _post_url(kind), json=OK)  # would be answered if it were sent again
    with pytest.raises(ZadarmaError) as info:
        _post_like(client, kind)
    error = info.value
    assert len(mocked.calls) == 1
    assert fake_time.sleeps == []
    assert error.ambiguous is True
    assert error.retryable is False
    text = str(error).lower()
    assert 'not sent again' in text
    assert 'check the current state' in text
    assert str(error).startswith('POST %s: ' % urlsplit(_post_url(kind)).path)


def test_post_ambiguous_error_says_what_happened(mocked, client):
    mocked.add('POST', url('direct_numbers/order'), body=read_timeout())
    with pytest.raises(ZadarmaError) as info:
        client.post('direct_numbers/order', {'number_id': 'x'})
    assert 'no answer within 7 seconds' in str(info.value)
    assert info.value.to_result()['ambiguous'] is True


@pytest.mark.parametrize('failure', [refused, connect_timeout], ids=['refused', 'connect-timeout'])
@pytest.mark.parametrize('kind', POST_KINDS + ['GET', 'PUT'])
def test_never_connected_is_retried_for_any_method(mocked, client, fake_time, kind, failure):
    if kind in ('GET', 'PUT'):
        mocked.add(kind, url('info/balance'), body=failure())
        mocked.add(kind, url('info/balance'), json=OK)
        result = client.request(kind, 'info/balance')
    else:
        mocked.add('POST', _post_url(kind), body=failure())
        mocked.add('POST', _post_url(kind), json=OK)
        result = _post_like(client, kind)
    assert result == OK
    assert len(mocked.calls) == 2
    assert len(fake_time.sleeps) == 1


def test_never_connected_retries_are_bounded_and_not_ambiguous(mocked, make_client, fake_time):
    client = make_client(transient_retries=2)
    mocked.add('POST', url('direct_numbers/order'), body=refused())
    with pytest.raises(ZadarmaError) as info:
        client.post('direct_numbers/order', {'number_id': 'x'})
    assert len(mocked.calls) == 3
    assert info.value.ambiguous is False
    assert 'could not connect' in str(info.value)


def temporary_dns_failure():
    """Built from urllib3 2's own classes: a resolver failure (EAI_AGAIN); no byte reached the server."""
    from urllib3.exceptions import MaxRetryError, NameResolutionError
    reason = NameResolutionError('api.zadarma.com', None, socket.gaierror(-3, 'Temporary failure in name resolution'))
    return requests.exceptions.ConnectionError(MaxRetryError(None, '/v1/direct_numbers/order/', reason))


def test_temporary_dns_failure_is_never_connected(mocked, client):
    mocked.add('POST', url('direct_numbers/order'), body=temporary_dns_failure())
    mocked.add('POST', url('direct_numbers/order'), json=OK)
    assert client.post('direct_numbers/order', {'number_id': 'x'}) == OK
    assert len(mocked.calls) == 2


def _closed_port():
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def test_real_connection_refused_is_recognised(make_client, fake_time):
    """No mock: urllib3's own error text for a refused connection must be classified as 'never connected'."""
    client = make_client(api_url='http://127.0.0.1:%d' % _closed_port(), transient_retries=1)
    with pytest.raises(ZadarmaError) as info:
        client.post('direct_numbers/order', {'number_id': 'x'})
    assert info.value.ambiguous is False
    assert info.value.retryable is True
    assert 'could not connect' in str(info.value)
    assert client.stats['requests'] == 2  # retried once although POST
    assert len(fake_time.sleeps) == 1


# Error mapping -----------------------------------------------------------------------------------------
def test_401_names_authorization_and_the_options(mocked, client, fake_time):
    mocked.add('GET', url('info/balance'), status=401, json={'status': 'error', 'message': 'Not authorized'})
    with pytest.raises(ZadarmaError) as info:
        client.get('info/balance')
    error = info.value
    text = str(error)
    assert 'authoriz' in text.lower()
    assert 'api_key' in text and 'api_secret' in text
    assert error.http_status == 401
    assert error.api_message == 'Not authorized'
    assert error.ambiguous is False
    assert len(mocked.calls) == 1
    assert fake_time.sleeps == []


def test_401_without_body(mocked, client):
    mocked.add('PUT', url('direct_numbers/set_sip_id'), status=401, body='')
    with pytest.raises(ZadarmaError) as info:
        client.put('direct_numbers/set_sip_id', {'number': '1', 'sip_id': '00001'})
    assert 'api_key' in str(info.value) and 'api_secret' in str(info.value)
    assert info.value.http_status == 401
    assert len(mocked.calls) == 1


def test_400_carries_the_api_message(mocked, client):
    mocked.add('GET', url('direct_numbers/number'), status=400,
               json={'status': 'error', 'message': "Check phone's number"})
    with pytest.raises(ZadarmaError) as info:
        client.get('direct_numbers/number', {'number': '1'})
    error = info.value
    assert str(error).startswith('GET /v1/direct_numbers/number/')
    assert "Check phone's number" in str(error)
    assert '400' in str(error)
    assert error.api_message == "Check phone's number"
    assert error.http_status == 400
    assert error.method == 'GET /v1/direct_numbers/number/'
    assert len(mocked.calls) == 1  # a refusal is not retried


def test_4xx_without_json_body(mocked, client):
    mocked.add('GET', url('direct_numbers/number'), status=404, body='<html>Not Found</html>')
    with pytest.raises(ZadarmaError) as info:
        client.get('direct_numbers/number')
    assert info.value.http_status == 404
    assert info.value.api_message is None
    assert 'no message' in str(info.value)
    assert len(mocked.calls) == 1


def test_200_with_status_error_is_an_error(mocked, client):
    mocked.add('PUT', url('direct_numbers/set_sip_id'), status=200,
               json={'status': 'error', 'message': 'Wrong SIP id'})
    with pytest.raises(ZadarmaError) as info:
        client.put('direct_numbers/set_sip_id', {'number': '442037691880', 'sip_id': '99999'})
    error = info.value
    assert error.http_status == 200
    assert error.api_message == 'Wrong SIP id'
    assert 'Wrong SIP id' in str(error)
    assert str(error).startswith('PUT /v1/direct_numbers/set_sip_id/: ')
    assert error.ambiguous is False
    assert len(mocked.calls) == 1


def test_success_returns_the_body(mocked, client):
    body = {'status': 'success', 'balance': 10.5, 'currency': 'EUR'}
    mocked.add('GET', url('info/balance'), json=body)
    assert client.get('info/balance') == body


def test_to_result_keys():
    error = ZadarmaError('boom', method='GET /v1/x/', http_status=400, api_message='bad', ambiguous=False)
    assert error.to_result() == dict(method='GET /v1/x/', http_status=400, api_message='bad', ambiguous=False)
    assert str(error) == 'GET /v1/x/: boom'
    assert str(ZadarmaError('plain')) == 'plain'
    assert ZadarmaError('plain').to_result() == dict(method=None, http_status=None, api_message=None,
                                                     ambiguous=False)


# Secrets never leak ------------------------------------------------------------------------------------
SECRET_SCENARIOS = {
    '401': ('GET', dict(status=401, json={'status': 'error', 'message': 'Not authorized'})),
    '400': ('GET', dict(status=400, json={'status': 'error', 'message': "Check phone's number"})),
    '200-error': ('PUT', dict(status=200, json={'status': 'error', 'message': 'nope'})),
    '429-bounded': ('GET', limited(1)),
    'get-500': ('GET', dict(status=500, body='boom')),
    'get-timeout': ('GET', dict(body=read_timeout())),
    'put-dropped': ('PUT', dict(body=dropped())),
    'post-timeout': ('POST', dict(body=read_timeout())),
    'post-dropped': ('POST', dict(body=dropped())),
    'post-500': ('POST', dict(status=500, body='boom')),
    'post-non-json': ('POST', dict(status=200, body='not json')),
    'post-refused': ('POST', dict(body=refused())),
    'ssl': ('GET', dict(body=requests.exceptions.SSLError('certificate verify failed'))),
    'upload-timeout': ('UPLOAD', dict(body=read_timeout())),
    'upload-500': ('UPLOAD', dict(status=502, body='bad gateway')),
}


@pytest.mark.parametrize('scenario', sorted(SECRET_SCENARIOS))
def test_no_secret_in_errors(mocked, make_client, scenario):
    http_method, answer = SECRET_SCENARIOS[scenario]
    client = make_client(rate_limit_retries=1, transient_retries=1)
    method = 'documents/upload' if http_method == 'UPLOAD' else 'direct_numbers/number'
    mocked.add('POST' if http_method == 'UPLOAD' else http_method, url(method), **answer)
    with pytest.raises(ZadarmaError) as info:
        if http_method == 'UPLOAD':
            client.upload(method, {'group_id': 1}, 'a.pdf', b'%PDF', 'application/pdf')
        else:
            client.request(http_method, method, {'number': '442037691880'})
    error = info.value
    assert mocked.calls
    forbidden = {SECRET}
    for call in mocked.calls:
        header = auth_of(call)
        forbidden.update([header, header.split(':', 1)[1]])
    shown = [str(error), repr(error), repr(error.to_result()), str(error.to_result()), repr(client),
             str(error.args), repr(vars(error))]
    for text in shown:
        for secret in forbidden:
            assert secret not in text


def test_repr_of_client_hides_the_secret(client):
    text = repr(client)
    assert SECRET not in text
    assert KEY in text and BASE in text


# check_api_url -----------------------------------------------------------------------------------------
@pytest.mark.parametrize('value, expected', [
    ('http://127.0.0.1:8080', 'http://127.0.0.1:8080'),
    ('http://127.0.0.1:8080/', 'http://127.0.0.1:8080'),
    ('http://127.1.2.3', 'http://127.1.2.3'),
    ('http://[::1]:8080', 'http://[::1]:8080'),
    ('http://localhost:8000/', 'http://localhost:8000'),
    ('http://LOCALHOST:8000', 'http://LOCALHOST:8000'),
    ('https://api.zadarma.com', 'https://api.zadarma.com'),
    ('https://api.zadarma.com/', 'https://api.zadarma.com'),
    ('https://10.0.0.5:8443', 'https://10.0.0.5:8443'),
    ('https://[2001:db8::1]', 'https://[2001:db8::1]'),
    (DEFAULT_API_URL, 'https://api.zadarma.com'),
])
def test_check_api_url_accepts(value, expected):
    assert check_api_url(value) == expected


@pytest.mark.parametrize('value', [
    'http://api.zadarma.com',
    'http://10.0.0.5:8080',
    'http://192.168.1.1',
    'http://[2001:db8::1]',
    'http://localhost.example.com',
    'http://127.0.0.1.nip.io',
])
def test_check_api_url_refuses_plain_http_elsewhere(value):
    with pytest.raises(ValueError) as info:
        check_api_url(value)
    assert 'api_url' in str(info.value)
    assert 'http' in str(info.value)


@pytest.mark.parametrize('value', [
    '', None, 'api.zadarma.com', 'ftp://api.zadarma.com', 'file:///etc/passwd', 'https://', 'not a url',
    'javascript:alert(1)', '//api.zadarma.com',
])
def test_check_api_url_refuses_garbage(value):
    with pytest.raises(ValueError) as info:
        check_api_url(value)
    assert 'api_url' in str(info.value)


def test_client_refuses_plain_http_to_a_remote_host():
    with pytest.raises(ValueError) as info:
        ZadarmaClient(KEY, SECRET, api_url='http://api.zadarma.com')
    assert 'api_url' in str(info.value)
    assert SECRET not in str(info.value)


def test_client_to_loopback_http(mocked, fake_time):
    client = ZadarmaClient(KEY, SECRET, api_url='http://127.0.0.1:8080/', sleep=fake_time.sleep,
                           clock=fake_time.clock)
    mocked.add('GET', 'http://127.0.0.1:8080/v1/info/balance/', json=OK)
    assert client.get('info/balance') == OK
    assert mocked.calls[0].request.url == 'http://127.0.0.1:8080/v1/info/balance/?format=json'
