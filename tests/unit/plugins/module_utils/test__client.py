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
    RateLimitedError,
    RetryPolicy,
    ZadarmaClient,
    ZadarmaError,
    build_query,
    check_api_url,
    endpoint_path,
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
    return BASE + endpoint_path(method)


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
def test_endpoint_path(method, path):
    assert endpoint_path(method) == path


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
    client.request('GET', 'statistics', params)
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
    client.request('GET', 'direct_numbers/number', params)
    sent = urlsplit(mocked.calls[0].request.url)
    received = dict(parse_qsl(sent.query, keep_blank_values=True))
    assert received == dict(params, format='json')
    assert auth_of(mocked.calls[0]) == '%s:%s' % (KEY, ref_signature(sent.path, ref_param_string(received)))


def test_get_query_on_the_wire_is_exactly_the_signed_string_with_tilde(mocked, client):
    mocked.add('GET', url('direct_numbers/number'), json=OK)
    params = {'number': '442037691880', 'note': 'a~b'}
    client.request('GET', 'direct_numbers/number', params)
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
    assert sent.path == endpoint_path(method)
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
    result = client.request('POST', 'documents/upload', params, file=('passport.pdf', content, 'application/pdf'))
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
        client.request('GET', 'info/balance')
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
    assert client.request('GET', 'info/balance')['balance'] == 1
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
    client.request('GET', 'info/balance')
    assert bounds == [(0, 2.5)]
    assert fake_time.sleeps == [12.5]


def test_429_jitter_zero_waits_exactly_until_reset(mocked, make_client, fake_time):
    client = make_client(jitter=0)
    mocked.add('GET', url('info/balance'), **limited(int(NOW) + 17))
    mocked.add('GET', url('info/balance'), json=OK)
    client.request('GET', 'info/balance')
    assert fake_time.sleeps == [17]


def test_429_wait_is_capped_by_rate_limit_max_wait(mocked, make_client, fake_time):
    client = make_client(jitter=0, rate_limit_max_wait=65.0)
    mocked.add('GET', url('info/balance'), **limited(int(NOW) + 3600))
    mocked.add('GET', url('info/balance'), json=OK)
    client.request('GET', 'info/balance')
    assert fake_time.sleeps == [65.0]


def test_429_small_reset_is_read_as_seconds(mocked, client, fake_time):
    mocked.add('GET', url('info/balance'), **limited(5))
    mocked.add('GET', url('info/balance'), json=OK)
    client.request('GET', 'info/balance')
    assert len(mocked.calls) == 2
    assert len(fake_time.sleeps) == 1
    assert 5 <= fake_time.sleeps[0] <= 5 + JITTER


def test_429_is_retried_for_put(mocked, client):
    mocked.add('PUT', url('direct_numbers/set_sip_id'), **limited(3))
    mocked.add('PUT', url('direct_numbers/set_sip_id'), json=OK)
    assert client.request('PUT', 'direct_numbers/set_sip_id', {'number': '1', 'sip_id': '00001'}) == OK
    assert len(mocked.calls) == 2
    assert mocked.calls[0].request.body == mocked.calls[1].request.body


@pytest.mark.parametrize('kind', ['direct_numbers/order', 'direct_numbers/prolong', 'documents/groups/create',
                                  'upload'])
def test_429_on_a_post_is_not_sent_again_without_before_resend(mocked, client, fake_time, kind):
    mocked.add('POST', _post_url(kind), **limited(3))
    mocked.add('POST', _post_url(kind), json=OK)  # would be answered if it were sent again
    with pytest.raises(RateLimitedError) as info:
        _post_like(client, kind)
    error = info.value
    assert len(mocked.calls) == 1
    assert fake_time.sleeps == []
    assert error.http_status == 429
    assert error.ambiguous is False  # the vendor's 429: not processed
    assert error.still_needed is None
    assert 'rate limited' in str(error) and 'not processed' in str(error) and 'not sent again' in str(error)
    assert error.api_message == 'You exceeded the rate limit'


@pytest.mark.parametrize('kind', ['direct_numbers/order', 'upload'])
def test_429_on_a_post_is_sent_again_when_before_resend_says_still_needed(mocked, client, fake_time, kind):
    events = []
    mocked.add('POST', _post_url(kind), **limited(int(NOW) + 10))
    mocked.add('POST', _post_url(kind), json=OK)

    def still_needed():
        events.append(('asked', list(fake_time.sleeps)))
        return True

    if kind == 'upload':
        result = client.request('POST', 'documents/upload', {'group_id': 1}, file=('p.png', b'\x89PNG\r\n', 'image/png'),
                                before_resend=still_needed)
    else:
        result = client.request('POST', kind, {'number_id': 'abc'}, before_resend=still_needed)
    assert result == OK
    assert len(mocked.calls) == 2
    assert mocked.calls[0].request.body == mocked.calls[1].request.body
    assert len(events) == 1 and len(events[0][1]) == 1  # asked once, after the wait
    assert 10 <= events[0][1][0] <= 10 + JITTER


def test_429_on_a_post_is_not_sent_again_when_before_resend_says_done(mocked, client, fake_time):
    mocked.add('POST', url('direct_numbers/order'), **limited(5))
    mocked.add('POST', url('direct_numbers/order'), json=OK)
    with pytest.raises(RateLimitedError) as info:
        client.request('POST', 'direct_numbers/order', {'number_id': 'x'}, before_resend=lambda: False)
    error = info.value
    assert len(mocked.calls) == 1
    assert len(fake_time.sleeps) == 1
    assert error.still_needed is False
    assert error.ambiguous is True  # something processed it: perhaps this request after all
    assert 'no longer needed' in str(error)


def test_before_resend_is_asked_after_every_429(mocked, client):
    asked = []
    for answer in (limited(1), limited(1), limited(1), dict(json=OK)):
        mocked.add('POST', url('direct_numbers/order'), **answer)
    assert client.request('POST', 'direct_numbers/order', {'number_id': 'x'},
                          before_resend=lambda: asked.append(1) or True) == OK
    assert len(mocked.calls) == 4 and len(asked) == 3


def test_pacing_waits_for_the_window_before_sending(mocked, client, fake_time):
    sent_at = []

    def answer(request):
        sent_at.append(fake_time.now)
        return 200, {}, '{"status": "success"}'

    mocked.add('GET', url('info/balance'), json=OK,
               headers={'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': str(int(NOW) + 20)})
    mocked.add_callback('GET', url('info/timezone'), callback=answer)
    client.request('GET', 'info/balance')
    assert fake_time.sleeps == []
    client.request('GET', 'info/timezone')
    assert len(fake_time.sleeps) == 1
    assert 20 <= fake_time.sleeps[0] <= 20 + JITTER
    assert sent_at == [fake_time.now]  # the request went out after the wait
    assert sent_at[0] >= NOW + 20
    assert len(mocked.calls) == 2


def test_no_pacing_while_requests_remain(mocked, client, fake_time):
    mocked.add('GET', url('info/balance'), json=OK,
               headers={'X-RateLimit-Remaining': '1', 'X-RateLimit-Reset': str(int(NOW) + 20)})
    client.request('GET', 'info/balance')
    client.request('GET', 'info/balance')
    assert fake_time.sleeps == []


def test_too_many_429_is_an_error(mocked, make_client, fake_time):
    client = make_client(rate_limit_retries=3)
    mocked.add('GET', url('direct_numbers'), **limited(2))
    with pytest.raises(ZadarmaError) as info:
        client.request('GET', 'direct_numbers')
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
        client.request('POST', 'direct_numbers/order', {'number_id': 'x'}, before_resend=lambda: True)
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
        client.request('GET', 'info/balance')
    assert len(mocked.calls) == 1
    assert fake_time.sleeps == []
    assert info.value.http_status == 503
    assert info.value.ambiguous is True


def _post_like(client, kind):
    if kind == 'upload':
        return client.request('POST', 'documents/upload', {'group_id': 1, 'document_type': 'passport'},
                              file=('p.png', b'\x89PNG\r\n', 'image/png'))
    return client.request('POST', kind, {'number_id': 'abc', 'period': 'month'})


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
        client.request('POST', 'direct_numbers/order', {'number_id': 'x'})
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
        client.request('POST', 'direct_numbers/order', {'number_id': 'x'})
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
    assert client.request('POST', 'direct_numbers/order', {'number_id': 'x'}) == OK
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
        client.request('POST', 'direct_numbers/order', {'number_id': 'x'})
    assert info.value.ambiguous is False
    assert info.value.retryable is True
    assert 'could not connect' in str(info.value)
    assert client.stats['requests'] == 2  # retried once although POST
    assert len(fake_time.sleeps) == 1


# Error mapping -----------------------------------------------------------------------------------------
def test_401_names_authorization_and_the_options(mocked, client, fake_time):
    mocked.add('GET', url('info/balance'), status=401, json={'status': 'error', 'message': 'Not authorized'})
    with pytest.raises(ZadarmaError) as info:
        client.request('GET', 'info/balance')
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
        client.request('PUT', 'direct_numbers/set_sip_id', {'number': '1', 'sip_id': '00001'})
    assert 'api_key' in str(info.value) and 'api_secret' in str(info.value)
    assert info.value.http_status == 401
    assert len(mocked.calls) == 1


def test_400_carries_the_api_message(mocked, client):
    mocked.add('GET', url('direct_numbers/number'), status=400,
               json={'status': 'error', 'message': "Check phone's number"})
    with pytest.raises(ZadarmaError) as info:
        client.request('GET', 'direct_numbers/number', {'number': '1'})
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
        client.request('GET', 'direct_numbers/number')
    assert info.value.http_status == 404
    assert info.value.api_message is None
    assert 'no message' in str(info.value)
    assert len(mocked.calls) == 1


def test_200_with_status_error_is_an_error(mocked, client):
    mocked.add('PUT', url('direct_numbers/set_sip_id'), status=200,
               json={'status': 'error', 'message': 'Wrong SIP id'})
    with pytest.raises(ZadarmaError) as info:
        client.request('PUT', 'direct_numbers/set_sip_id', {'number': '442037691880', 'sip_id': '99999'})
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
    assert client.request('GET', 'info/balance') == body


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
            client.request('POST', method, {'group_id': 1}, file=('a.pdf', b'%PDF', 'application/pdf'))
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


# check_api_url: the security review's table of inputs ---------------------------------------------------
ACCEPTED_API_URLS = [
    ('http://127.0.0.1:8080', 'http://127.0.0.1:8080'),
    ('http://127.0.0.1:8080/', 'http://127.0.0.1:8080'),
    ('http://127.1.2.3', 'http://127.1.2.3'),
    ('http://[::1]:8080', 'http://[::1]:8080'),
    ('http://[::1]', 'http://[::1]'),
    ('http://localhost:8000/', 'http://localhost:8000'),
    ('http://LOCALHOST:8000', 'http://LOCALHOST:8000'),
    ('HTTP://127.0.0.1:8765', 'HTTP://127.0.0.1:8765'),
    ('https://api.zadarma.com', 'https://api.zadarma.com'),
    ('https://api.zadarma.com/', 'https://api.zadarma.com'),
    ('https://api.zadarma.com:443', 'https://api.zadarma.com:443'),
    ('https://10.0.0.5:8443', 'https://10.0.0.5:8443'),
    ('https://[2001:db8::1]', 'https://[2001:db8::1]'),
    (DEFAULT_API_URL, 'https://api.zadarma.com'),
]

# (input, what the message must say). The first rows are the ways to make two parsers disagree.
REFUSED_API_URLS = [
    ('http://evil.example\\@127.0.0.1', 'user information'),     # the review's finding: requests went to evil.example
    ('http://evil.example\\.127.0.0.1', 'backslash'),
    ('http://127.0.0.1\\evil.example', 'backslash'),
    ('http://user:pass@127.0.0.1:8765', 'user information'),
    ('https://user@api.zadarma.com', 'user information'),
    ('http://127.0.0.1#@evil.example', 'user information'),
    ('http://%31%32%37.0.0.1', 'scheme://host'),                  # urllib3 decodes it to 127.0.0.1, urlsplit does not
    ('http://127.0.0.1 .evil.example', 'whitespace'),
    (' http://127.0.0.1', 'whitespace'),
    ('http://127.0.0.1:8765\n', 'whitespace'),
    ('http://127.0.0.1\t:8765', 'whitespace'),
    ('http://127.0.0.1\x00.evil.example', 'control'),
    ('https://\u0430pi.zadarma.com', 'non-ASCII'),                # Cyrillic a
    ('http://127.0.0.1#frag', 'scheme://host'),
    ('http://127.0.0.1?x=1', 'scheme://host'),
    ('http://127.0.0.1/v1', 'scheme://host'),
    ('http://127.0.0.1:99999', 'scheme://host'),
    ('http://127.0.0.1:0', 'scheme://host'),
    ('http://127.0.0.1:port', 'scheme://host'),
    ('https://[::1', 'scheme://host'),
    ('https://[not-an-ip]', 'scheme://host'),
    ('http://api.zadarma.com', 'plain http'),
    ('http://10.0.0.5:8080', 'plain http'),
    ('http://192.168.1.1', 'plain http'),
    ('http://[2001:db8::1]', 'plain http'),
    ('http://localhost.example.com', 'plain http'),
    ('http://127.0.0.1.nip.io', 'plain http'),
    ('http://0177.0.0.1', 'plain http'),                          # octal and decimal forms are not taken as loopback
    ('http://2130706433', 'plain http'),
    ('', 'scheme://host'),
    (None, 'scheme://host'),
    ('api.zadarma.com', 'scheme://host'),
    ('//api.zadarma.com', 'scheme://host'),
    ('ftp://api.zadarma.com', 'scheme://host'),
    ('file:///etc/passwd', 'scheme://host'),
    ('javascript:alert(1)', 'scheme://host'),
    ('https://', 'scheme://host'),
]


@pytest.mark.parametrize('value, expected', ACCEPTED_API_URLS)
def test_check_api_url_accepts(value, expected):
    assert check_api_url(value) == expected


@pytest.mark.parametrize('value, reason', REFUSED_API_URLS)
def test_check_api_url_refuses(value, reason):
    with pytest.raises(ValueError) as info:
        check_api_url(value)
    assert str(info.value).startswith('api_url: ')
    assert reason in str(info.value)
    if '@' in (value or ''):
        assert value not in str(info.value)  # userinfo is never repeated


@pytest.mark.parametrize('value', [value for value, _reason in REFUSED_API_URLS])
def test_the_client_refuses_what_check_api_url_refuses(value):
    with pytest.raises(ValueError):
        ZadarmaClient(KEY, SECRET, api_url=value)


@pytest.mark.parametrize('value', ['https://127.0.0.1:8443', 'https://[::1]', 'https://localhost'])
def test_validate_certs_false_is_allowed_to_loopback(value):
    assert ZadarmaClient(KEY, SECRET, api_url=value, validate_certs=False).validate_certs is False


@pytest.mark.parametrize('value', ['https://api.zadarma.com', 'https://10.0.0.5:8443'])
def test_validate_certs_false_is_refused_elsewhere(value):
    with pytest.raises(ValueError) as info:
        ZadarmaClient(KEY, SECRET, api_url=value, validate_certs=False)
    assert str(info.value).startswith('validate_certs: false is only allowed for a loopback api_url')
    assert 'REQUESTS_CA_BUNDLE' in str(info.value)


@pytest.mark.parametrize('timeout', [0, -1, -0.5, float('nan'), float('inf'), None, '30', True])
def test_timeout_must_be_a_number_above_zero(timeout):
    with pytest.raises(ValueError) as info:
        ZadarmaClient(KEY, SECRET, timeout=timeout)
    assert str(info.value).startswith('timeout: must be a number of seconds above 0')


@pytest.mark.parametrize('http_method', ['GET', 'POST', 'PUT', 'UPLOAD'])
def test_the_prepared_request_is_checked_against_the_api_url_host(mocked, client, http_method):
    client.api_url = 'http://evil.example\\@api.zadarma.com'  # as if a check had been bypassed
    with pytest.raises(ZadarmaError) as info:
        if http_method == 'UPLOAD':
            client.request('POST', 'documents/upload', {'group_id': 1}, file=('a.pdf', b'%PDF', 'application/pdf'))
        else:
            client.request(http_method, 'direct_numbers/order', {'number_id': 'x'})
    assert 'does not go to the host of api_url' in str(info.value)
    assert info.value.ambiguous is False
    assert client.stats['requests'] == 0 and not mocked.calls


def test_client_refuses_plain_http_to_a_remote_host():
    with pytest.raises(ValueError) as info:
        ZadarmaClient(KEY, SECRET, api_url='http://api.zadarma.com')
    assert 'api_url' in str(info.value)
    assert SECRET not in str(info.value)


def test_client_to_loopback_http(mocked, fake_time):
    client = ZadarmaClient(KEY, SECRET, api_url='http://127.0.0.1:8080/', sleep=fake_time.sleep,
                           clock=fake_time.clock)
    mocked.add('GET', 'http://127.0.0.1:8080/v1/info/balance/', json=OK)
    assert client.request('GET', 'info/balance') == OK
    assert mocked.calls[0].request.url == 'http://127.0.0.1:8080/v1/info/balance/?format=json'


# Nothing in the environment replaces the signature or reroutes loopback traffic ---------------------------
@pytest.fixture
def netrc_home(tmp_path, monkeypatch):
    """A HOME whose ~/.netrc has an entry for the API host and a default entry."""
    netrc = tmp_path / '.netrc'
    netrc.write_text('machine api.zadarma.com login netrc-user password netrc-password\n'
                     'machine 127.0.0.1 login netrc-user password netrc-password\n'
                     'default login default-user password default-password\n')
    netrc.chmod(0o600)
    monkeypatch.setenv('HOME', str(tmp_path))
    monkeypatch.delenv('NETRC', raising=False)
    return netrc


@pytest.mark.parametrize('http_method', ['GET', 'POST', 'PUT', 'UPLOAD'])
def test_netrc_never_replaces_the_signature(mocked, client, netrc_home, http_method):
    assert requests.utils.get_netrc_auth(BASE) == ('netrc-user', 'netrc-password')  # requests would use it
    if http_method == 'UPLOAD':
        mocked.add('POST', url('documents/upload'), json=OK)
        client.request('POST', 'documents/upload', {'group_id': 1}, file=('a.pdf', b'%PDF', 'application/pdf'))
        signed = {'group_id': '1', 'format': 'json'}
    else:
        mocked.add(http_method, url('direct_numbers/number'), json=OK)
        client.request(http_method, 'direct_numbers/number', {'number': '1'})
        signed = {'number': '1', 'format': 'json'}
    header = auth_of(mocked.calls[0])
    assert header == '%s:%s' % (KEY, ref_signature('/v1/direct_numbers/number/' if http_method != 'UPLOAD'
                                                   else '/v1/documents/upload/', ref_param_string(signed)))
    assert 'Basic' not in header


class LocalApi(object):
    """A real HTTP server on 127.0.0.1 that answers every request with success and records what it saw."""

    def __init__(self):
        import http.server
        import threading
        seen = self.seen = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get('Content-Length') or 0)
                self.rfile.read(length)
                seen.append((self.command, self.path, self.headers.get('Authorization')))
                body = b'{"status": "success"}'
                self.send_response(200)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = _answer

            def log_message(self, *args):  # pylint: disable=arguments-differ
                pass

        self.server = http.server.HTTPServer(('127.0.0.1', 0), Handler)
        self.url = 'http://127.0.0.1:%d' % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def local_api():
    api = LocalApi()
    yield api
    api.close()


@pytest.mark.parametrize('variable', ['HTTP_PROXY', 'http_proxy', 'ALL_PROXY'])
@pytest.mark.parametrize('http_method', ['GET', 'POST'])
def test_loopback_traffic_never_goes_through_a_proxy(local_api, fake_time, monkeypatch, variable, http_method):
    for name in ('NO_PROXY', 'no_proxy'):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, 'http://127.0.0.1:%d' % _closed_port())  # a proxy that would refuse
    client = ZadarmaClient(KEY, SECRET, api_url=local_api.url, retry=RetryPolicy(transient_retries=0),
                           sleep=fake_time.sleep, clock=fake_time.clock)
    assert client.request(http_method, 'direct_numbers/order', {'number_id': 'x'}) == OK
    assert [(seen[0], seen[1].split('?')[0]) for seen in local_api.seen] == [(http_method, '/v1/direct_numbers/order/')]


def test_loopback_with_netrc_sends_the_signature(local_api, fake_time, netrc_home):
    client = ZadarmaClient(KEY, SECRET, api_url=local_api.url, sleep=fake_time.sleep, clock=fake_time.clock)
    client.request('POST', 'direct_numbers/order', {'number_id': 'x'})
    signature = sign('/v1/direct_numbers/order/', build_query({'number_id': 'x', 'format': 'json'}), SECRET)
    assert local_api.seen[0][2] == '%s:%s' % (KEY, signature)


class Recorder(requests.Session):
    """Records the keyword arguments of send and answers success without any network."""

    def __init__(self):
        super(Recorder, self).__init__()
        self.sent = []

    def send(self, request, **kwargs):  # pylint: disable=arguments-differ
        self.sent.append(kwargs)
        response = requests.Response()
        response.status_code = 200
        response._content = b'{"status": "success"}'  # pylint: disable=protected-access
        return response


def test_the_real_host_honours_https_proxy_no_proxy_and_the_ca_bundle(monkeypatch, tmp_path):
    bundle = tmp_path / 'ca.pem'
    bundle.write_text('')
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example:3128')
    monkeypatch.setenv('NO_PROXY', 'internal.example')
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', str(bundle))
    session = Recorder()
    ZadarmaClient(KEY, SECRET, session=session).request('GET', 'info/balance')
    assert session.sent[0]['proxies'].get('https') == 'http://proxy.example:3128'
    assert session.sent[0]['verify'] == str(bundle)
    assert session.sent[0]['allow_redirects'] is False
    session = Recorder()
    ZadarmaClient(KEY, SECRET, api_url='https://internal.example', session=session).request('GET', 'info/balance')
    assert not session.sent[0]['proxies'].get('https')


def test_validate_certs_false_on_loopback_is_not_overridden_by_the_ca_bundle(monkeypatch):
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/nonexistent/ca.pem')
    session = Recorder()
    ZadarmaClient(KEY, SECRET, api_url='https://127.0.0.1:8443', validate_certs=False, session=session).request('GET', 'x')
    assert session.sent[0]['verify'] is False


# After a POST went out: never a traceback, never a false "not processed" ----------------------------------
@pytest.mark.parametrize('remaining, reset', [('inf', '60'), ('0', 'inf'), ('99', '1e400'), ('-inf', 'nan'),
                                              ('1e400', '-1e400'), ('NaN', 'x')])
@pytest.mark.parametrize('http_method', ['GET', 'POST'])
def test_rate_limit_headers_that_are_not_finite_are_ignored(mocked, client, fake_time, http_method, remaining, reset):
    mocked.add(http_method, url('direct_numbers/order'), json=OK,
               headers={'X-RateLimit-Remaining': remaining, 'X-RateLimit-Reset': reset})
    assert client.request(http_method, 'direct_numbers/order', {'number_id': 'x'}) == OK
    assert client.request(http_method, 'direct_numbers/order', {'number_id': 'x'}) == OK
    assert all(seconds < 70 for seconds in fake_time.sleeps)


def test_a_429_with_an_infinite_reset_waits_the_capped_time(mocked, make_client, fake_time):
    client = make_client(jitter=0, rate_limit_max_wait=65.0)
    mocked.add('GET', url('info/balance'), **limited('1e400'))
    mocked.add('GET', url('info/balance'), json=OK)
    assert client.request('GET', 'info/balance') == OK
    assert fake_time.sleeps == [65.0]


def tls_error_while_reading():
    from urllib3.exceptions import SSLError
    return requests.exceptions.SSLError(SSLError('[SSL: DECRYPTION_FAILED_OR_BAD_RECORD_MAC] decryption failed or '
                                                 'bad record mac (_ssl.c:2580)'))


@pytest.mark.parametrize('kind', POST_KINDS)
def test_a_tls_error_after_a_post_was_sent_is_ambiguous(mocked, client, fake_time, kind):
    mocked.add('POST', _post_url(kind), body=tls_error_while_reading())
    mocked.add('POST', _post_url(kind), json=OK)
    with pytest.raises(ZadarmaError) as info:
        _post_like(client, kind)
    assert len(mocked.calls) == 1
    assert info.value.ambiguous is True
    assert 'TLS error after the request was sent' in str(info.value)
    assert 'not sent again' in str(info.value).lower()


def test_a_tls_error_while_reading_a_get_is_retried(mocked, client):
    mocked.add('GET', url('info/balance'), body=tls_error_while_reading())
    mocked.add('GET', url('info/balance'), json=OK)
    assert client.request('GET', 'info/balance') == OK
    assert len(mocked.calls) == 2


def test_a_tls_handshake_failure_is_not_ambiguous(mocked, client):
    mocked.add('POST', url('direct_numbers/order'), body=requests.exceptions.SSLError(
        "HTTPSConnectionPool(host='api.zadarma.com', port=443): Max retries exceeded (Caused by SSLError("
        "SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed')))"))
    with pytest.raises(ZadarmaError) as info:
        client.request('POST', 'direct_numbers/order', {'number_id': 'x'})
    assert info.value.ambiguous is False
    assert 'TLS error' in str(info.value)


REDIRECTS = {
    '302-json-success': dict(status=302, json=OK, headers={'Location': 'https://elsewhere.example/'}),
    '301-no-body': dict(status=301, body='', headers={'Location': 'https://elsewhere.example/'}),
    '307-html': dict(status=307, body='<html>moved</html>'),
    '308-json-error': dict(status=308, json={'status': 'error', 'message': 'moved'}),
}


@pytest.mark.parametrize('redirect', sorted(REDIRECTS))
@pytest.mark.parametrize('kind', POST_KINDS)
def test_a_redirect_after_a_post_is_not_success_and_is_ambiguous(mocked, client, kind, redirect):
    mocked.add('POST', _post_url(kind), **REDIRECTS[redirect])
    with pytest.raises(ZadarmaError) as info:
        _post_like(client, kind)
    assert len(mocked.calls) == 1
    assert info.value.ambiguous is True
    assert 'redirect' in str(info.value) and 'not sent again' in str(info.value).lower()


@pytest.mark.parametrize('redirect', sorted(REDIRECTS))
def test_a_redirect_on_a_get_is_an_error_not_retried(mocked, client, redirect):
    mocked.add('GET', url('info/balance'), **REDIRECTS[redirect])
    with pytest.raises(ZadarmaError) as info:
        client.request('GET', 'info/balance')
    assert len(mocked.calls) == 1
    assert 'redirect' in str(info.value)


@pytest.mark.parametrize('exception', [OverflowError('int too large'), RuntimeError('boom'), KeyError('x')])
def test_an_unexpected_error_while_sending_a_post_is_ambiguous_not_a_traceback(client, exception):
    class Broken(requests.Session):
        def send(self, request, **kwargs):  # pylint: disable=arguments-differ
            raise exception

    client.session = Broken()
    with pytest.raises(ZadarmaError) as info:
        client.request('POST', 'direct_numbers/order', {'number_id': 'x'})
    assert info.value.ambiguous is True
    assert type(exception).__name__ in str(info.value)
    assert client.stats['requests'] == 1


@pytest.mark.parametrize('failure', sorted(AMBIGUOUS_FAILURES))
def test_a_put_that_may_cost_money_is_never_retried_after_ambiguous_failure(mocked, client, fake_time, failure):
    mocked.add('PUT', url('direct_numbers/incoming_channels'), **AMBIGUOUS_FAILURES[failure]())
    mocked.add('PUT', url('direct_numbers/incoming_channels'), json=OK)  # would be answered if it were sent again
    with pytest.raises(ZadarmaError) as info:
        client.request('PUT', 'direct_numbers/incoming_channels', {'number': '442037691880', 'channels': 4},
                       idempotent=False)
    assert len(mocked.calls) == 1 and fake_time.sleeps == []
    assert info.value.ambiguous is True and info.value.retryable is False
