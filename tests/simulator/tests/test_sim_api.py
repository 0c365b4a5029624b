# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Behaviour of the simulated API over HTTP: auth, rate limit, faults, money, documents, accounts, log."""

import datetime
import json
import socket
import time

import pytest
import requests

from zadarma_sim.server import DEFAULT_API_KEY as KEY, DEFAULT_API_SECRET as SECRET

LONDON, NEW_YORK, BERLIN, VIENNA = '13755', '1212', '3766', '4301'
OWNED = '442037691880'
GROUP_FIELDS = {
    'email': 'jane@example.com', 'salutation': 'MS', 'first_name': 'Jane', 'last_name': 'Doe', 'country': 'DE',
    'city': 'Berlin', 'address': 'Hauptstrasse 1, 10115', 'zip_code': '10115', 'street': 'Hauptstrasse',
    'building_number': '1', 'phone': '4930123456',
}


def balance(api, user_id=None):
    state = api.state()
    return state['balance'] if user_id is None else state['sub_accounts'][str(user_id)]['balance']


def first_available(api, direction):
    return api.ok('GET', '/v1/direct_numbers/available/%s/' % direction)['numbers'][0]


def parse(date):
    return datetime.datetime.strptime(date, '%Y-%m-%d %H:%M:%S')


# Auth -------------------------------------------------------------------------------------------
def test_signed_request_is_accepted(api):
    body = api.ok('GET', '/v1/info/balance/')
    assert body == {'status': 'success', 'balance': 100.0, 'currency': 'USD'}


@pytest.mark.parametrize('client_kwargs', [{'secret': 'wrong-secret'}, {'key': 'wrong-key'}])
def test_wrong_credentials_are_refused(api, make_client, client_kwargs):
    response = make_client(api.base_url, **client_kwargs).get('/v1/info/balance/')
    assert response.status_code == 401
    assert response.json() == {'status': 'error', 'message': 'Not authorized'}
    assert 'X-RateLimit-Remaining' in response.headers


def test_missing_or_tampered_signature_is_refused(api, base_url):
    assert requests.get(base_url + '/v1/info/balance/', timeout=5).status_code == 401
    # signed for other parameters than those sent
    response = api.put('/v1/direct_numbers/set_caller_name/', {'number': OWNED, 'caller_name': 'Hack'},
                       sign_params={'number': OWNED, 'caller_name': 'Other', 'format': 'json'})
    assert response.status_code == 401
    assert api.state()['numbers'][0]['number_name'] == 'Reception'


def test_path_without_trailing_slash_is_signed_as_sent(api):
    assert api.ok('GET', '/v1/info/balance')['balance'] == 100.0
    assert api.log()[-1]['path'] == '/v1/info/balance/'


def test_unknown_path_is_404(api):
    response = api.get('/v1/no_such_method/')
    assert response.status_code == 404
    assert response.json()['status'] == 'error'


def test_json_body_is_refused(api):
    response = requests.post(api.base_url + '/v1/direct_numbers/prolong/', json={'number': OWNED}, timeout=5)
    assert response.status_code == 400
    assert 'Content-Type' in response.json()['message']


# Rate limit -------------------------------------------------------------------------------------
def test_rate_limit_headers_on_every_answer(api):
    response = api.get('/v1/info/balance/')
    limit, remaining, reset = (int(response.headers[h]) for h in
                               ('X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'))
    assert (limit, remaining) == (100, 99)
    assert time.time() < reset <= time.time() + 61
    error = api.get('/v1/direct_numbers/number/', {'number': '49000000000'})
    assert error.status_code == 400
    assert error.headers['X-RateLimit-Remaining'] == '98'


def test_429_after_the_limit_and_a_new_window(api):
    api.ctl('POST', '/_sim/config', {'rate_limit': 3, 'rate_window': 1})
    statuses = [api.get('/v1/info/balance/').status_code for dummy in range(4)]
    assert statuses == [200, 200, 200, 429]
    over = api.post('/v1/direct_numbers/prolong/', {'number': OWNED, 'months': 1})
    assert over.status_code == 429
    assert over.json() == {'status': 'error', 'message': 'You exceeded the rate limit'}
    assert over.headers['X-RateLimit-Remaining'] == '0'
    assert balance(api) == 100.0  # not processed
    assert [entry['status'] for entry in api.log()][-2:] == [429, 429]
    time.sleep(max(int(over.headers['X-RateLimit-Reset']) - time.time(), 0) + 0.05)
    assert api.get('/v1/info/balance/').status_code == 200


# Faults -----------------------------------------------------------------------------------------
def test_fault_status(api):
    api.ctl('POST', '/_sim/faults', {'path': '/v1/direct_numbers/order', 'kind': 'status', 'status': 502, 'count': 2})
    for dummy in range(2):
        response = api.post('/v1/direct_numbers/order/', {'direction_id': LONDON, 'documents_group_id': 0})
        assert response.status_code == 502
        assert response.json()['status'] == 'error'
    assert balance(api) == 100.0
    assert api.post('/v1/direct_numbers/order/', {'direction_id': LONDON, 'documents_group_id': 0}).status_code == 200


def test_fault_status_default_503_and_http_method(api):
    api.ctl('POST', '/_sim/faults', {'path': '*', 'kind': 'status', 'http_method': 'PUT'})
    assert api.get('/v1/info/balance/').status_code == 200
    response = api.put('/v1/direct_numbers/autoprolongation/', {'number': OWNED, 'value': 'off'})
    assert response.status_code == 503
    assert api.state()['numbers'][0]['autorenew'] == 'true'


def test_fault_delay(api):
    api.ctl('POST', '/_sim/faults', {'path': '/v1/info/balance/', 'kind': 'delay', 'seconds': 0.3})
    started = time.monotonic()
    assert api.ok('GET', '/v1/info/balance/')['balance'] == 100.0
    assert time.monotonic() - started >= 0.3


def test_fault_malformed(api):
    api.ctl('POST', '/_sim/faults', {'path': '/v1/direct_numbers/prolong/', 'kind': 'malformed'})
    response = api.post('/v1/direct_numbers/prolong/', {'number': OWNED, 'months': 1})
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()
    assert balance(api) == 100.0


def test_fault_rate_limit(api):
    api.ctl('POST', '/_sim/faults', {'path': '*', 'kind': 'rate_limit'})
    response = api.get('/v1/info/balance/')
    assert response.status_code == 429
    assert api.get('/v1/info/balance/').status_code == 200


def test_fault_drop_after_commit(api):
    api.ctl('POST', '/_sim/faults', {'path': '/v1/direct_numbers/order/', 'kind': 'drop_after_commit'})
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post('/v1/direct_numbers/order/', {'direction_id': LONDON, 'documents_group_id': 0})
    assert balance(api) == 98.0  # processed: London has no connect fee, 2.0 a month
    assert api.log()[-1]['status'] == 200
    assert len(api.state()['numbers']) == 3


def test_faults_cleared(api):
    api.ctl('POST', '/_sim/faults', {'path': '*', 'kind': 'status', 'count': 5})
    assert len(api.ctl('GET', '/_sim/faults')['faults']) == 1
    api.ctl('DELETE', '/_sim/faults')
    assert api.get('/v1/info/balance/').status_code == 200


def test_bad_fault_is_refused(api):
    response = requests.post(api.base_url + '/_sim/faults', json={'path': '*', 'kind': 'explode'}, timeout=5)
    assert response.status_code == 400


def test_random_faults_follow_the_seed(api):
    def outcomes(seed):
        api.ctl('POST', '/_sim/reset')
        api.ctl('POST', '/_sim/faults', {'path': '*', 'kind': 'random', 'seed': seed, 'probability': 0.5,
                                         'kinds': ['status', 'malformed', 'rate_limit']})
        codes = []
        for dummy in range(40):
            response = api.get('/v1/info/balance/')
            codes.append((response.status_code, response.headers.get('Content-Type')))
        return codes, api.ctl('GET', '/_sim/faults')['faults'][0]['injected']

    first, injected = outcomes(7)
    assert outcomes(7) == (first, injected)
    assert outcomes(8)[0] != first
    assert sum(injected.values()) == sum(1 for code in first if code != (200, 'application/json'))
    assert 0 < sum(injected.values()) < 40
    assert {code for code, dummy in first} <= {200, 429, 500, 502, 503, 504}


def test_random_fault_drops_a_committed_order(api):
    api.ctl('POST', '/_sim/faults', {'path': '/v1/direct_numbers/order/', 'kind': 'random', 'probability': 1,
                                     'kinds': ['drop_after_commit']})
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post('/v1/direct_numbers/order/', {'direction_id': LONDON, 'documents_group_id': 0})
    assert [entry['kind'] for entry in api.state()['ledger']] == ['order']


@pytest.mark.parametrize('spec', [{'probability': 0}, {'probability': 1.5}, {'kinds': ['explode']}, {'kinds': []},
                                  {'seed': 'x'}])
def test_bad_random_fault_is_refused(api, spec):
    response = requests.post(api.base_url + '/_sim/faults', json=dict({'path': '*', 'kind': 'random'}, **spec),
                             timeout=5)
    assert response.status_code == 400


def test_ledger_records_every_paid_write(api):
    number = api.ok('POST', '/v1/direct_numbers/order/', {'direction_id': LONDON, 'documents_group_id': 0})['number']
    api.ok('POST', '/v1/direct_numbers/prolong/', {'number': OWNED, 'months': 2})
    assert api.post('/v1/direct_numbers/prolong/', {'number': OWNED, 'months': 13}).status_code == 400
    ledger = api.state()['ledger']
    assert [(entry['kind'], entry['number'], entry['user_id']) for entry in ledger] == [
        ('order', number, None), ('prolong', OWNED, None)]
    assert round(100.0 - sum(entry['amount'] for entry in ledger), 2) == balance(api)
    api.ctl('POST', '/_sim/reset')
    assert api.state()['ledger'] == []


def test_latency(api):
    api.ctl('POST', '/_sim/config', {'latency_ms': 200})
    started = time.monotonic()
    api.ok('GET', '/v1/info/balance/')
    assert time.monotonic() - started >= 0.2


# Numbers ----------------------------------------------------------------------------------------
def test_numbers_list_and_info(api):
    info = api.ok('GET', '/v1/direct_numbers/')['info']
    assert [entry['number'] for entry in info] == [OWNED, '12125550199']
    london = info[0]
    assert (london['sip'], london['sip_name'], london['number_name'], london['type']) == ('00001', 'Reception', 'Reception', 'common')
    assert london['channels'] == 2
    assert info[1]['sip'] == '' and info[1]['autorenew'] == 'false' and info[1]['number_name'] is None
    for number in (OWNED, '+' + OWNED):
        one = api.ok('GET', '/v1/direct_numbers/number/', {'number': number, 'type': 'common'})['info']
        assert one['number'] == '+' + OWNED and one['channels'] == '2'
    response = api.get('/v1/direct_numbers/number/', {'number': '4930999999'})
    assert response.status_code == 400 and response.json()['message'] == 'Number not found'


def test_autoprolongation(api):
    assert api.ok('GET', '/v1/direct_numbers/autoprolongation/', {'number': OWNED})['autoprolongation'] == 'on'
    body = api.ok('PUT', '/v1/direct_numbers/autoprolongation/', {'number': OWNED, 'value': 'off', 'type': 'common'})
    assert body['autoprolongation'] == 'off'
    assert api.ok('GET', '/v1/direct_numbers/number/', {'number': OWNED})['info']['autorenew'] == 'false'
    assert api.put('/v1/direct_numbers/autoprolongation/', {'number': OWNED, 'value': 'maybe'}).status_code == 400


def test_incoming_channels(api):
    api.ok('GET', '/v1/direct_numbers/incoming_channels/', {'number': OWNED})
    api.ok('PUT', '/v1/direct_numbers/incoming_channels/', {'number': OWNED, 'channels': 4})
    assert api.ok('GET', '/v1/direct_numbers/')['info'][0]['channels'] == 4
    assert api.ok('GET', '/v1/direct_numbers/number/', {'number': OWNED})['info']['channels'] == '4'
    for wrong in (0, 101, 'four'):
        assert api.put('/v1/direct_numbers/incoming_channels/', {'number': OWNED, 'channels': wrong}).status_code == 400
    assert api.put('/v1/direct_numbers/incoming_channels/', {'number': '4930999999', 'channels': 2}).status_code == 400
    assert api.ok('GET', '/v1/direct_numbers/')['info'][0]['channels'] == 4


def test_receive_sms_reads_null_where_the_destination_has_no_sms(api):
    new_york = '12125550199'

    def read(number):
        return api.ok('GET', '/v1/direct_numbers/number/', {'number': number})['info']['receive_sms']

    assert read(OWNED) is None and read(new_york) == 'false'
    assert 'receive_sms' not in api.ok('GET', '/v1/direct_numbers/')['info'][0]  # the list does not carry it
    body = api.ok('PUT', '/v1/direct_numbers/receive_sms/', {'number': new_york, 'value': 'on', 'documents_group_id': 0})
    assert body['receive_sms'] == 'on' and read(new_york) == 'true'
    for value in ('on', 'off'):
        assert api.put('/v1/direct_numbers/receive_sms/', {'number': OWNED, 'value': value}).status_code == 400
    assert read(OWNED) is None
    unknown_group = {'number': new_york, 'value': 'off', 'documents_group_id': 999}
    assert api.put('/v1/direct_numbers/receive_sms/', unknown_group).status_code == 400
    assert api.put('/v1/direct_numbers/receive_sms/', {'number': new_york, 'value': 'maybe'}).status_code == 400
    assert read(new_york) == 'true'


def test_caller_name(api):
    api.ok('PUT', '/v1/direct_numbers/set_caller_name/', {'number': OWNED, 'caller_name': 'Front Desk 2'})
    assert api.ok('GET', '/v1/direct_numbers/')['info'][0]['number_name'] == 'Front Desk 2'
    api.ok('PUT', '/v1/direct_numbers/set_caller_name/', {'number': OWNED, 'caller_name': ''})
    assert api.ok('GET', '/v1/direct_numbers/')['info'][0]['number_name'] is None
    for bad in ('Ümlaut', 'x' * 31, 'semi;colon'):
        assert api.put('/v1/direct_numbers/set_caller_name/', {'number': OWNED, 'caller_name': bad}).status_code == 400


def test_set_sip_id(api):
    body = api.ok('PUT', '/v1/direct_numbers/set_sip_id/', {'number': '12125550199', 'sip_id': '00002'})
    assert body['sip_id'] == '00002'
    entry = api.ok('GET', '/v1/direct_numbers/')['info'][1]
    assert (entry['sip'], entry['sip_name']) == ('00002', 'Support')
    api.ok('PUT', '/v1/direct_numbers/set_sip_id/', {'number': OWNED, 'sip_id': 'pbx@sip.example.com:5060',
                                                     'test_mode': 'on'})
    entry = api.ok('GET', '/v1/direct_numbers/')['info'][0]
    assert (entry['sip'], entry['sip_name'], entry['is_on_test']) == ('pbx@sip.example.com:5060', None, 'true')
    for bad in ('00009', '123', 'no-at-sign', 'sip:user@host'):
        response = api.put('/v1/direct_numbers/set_sip_id/', {'number': OWNED, 'sip_id': bad})
        assert response.status_code == 400 and response.json()['message'] == 'Wrong sip_id'


def test_catalogue(api):
    countries = api.ok('GET', '/v1/direct_numbers/countries/')['info']
    assert {c['countryCodeIso'] for c in countries} == {'DE', 'GB', 'AT', 'US'}
    germany = api.ok('GET', '/v1/direct_numbers/country/', {'country': 'DE'})['info']
    assert [d['id'] for d in germany] == ['3766', '3767', '3753']
    assert germany[0]['restrictions'] == {'upload': ['passport'], 'specify': ['address']}
    one = api.ok('GET', '/v1/direct_numbers/country/', {'country': 'DE', 'direction_id': '3753'})['info']
    assert [(d['is_toll'], d['monthly_fee']) for d in one] == [('true', 15.0)]
    assert api.get('/v1/direct_numbers/country/', {'country': 'ZZ'}).status_code == 400


def test_available_numbers(api):
    numbers = api.ok('GET', '/v1/direct_numbers/available/%s/' % LONDON)['numbers']
    assert len(numbers) == 250 and numbers[0]['number'] == '442030000000' and numbers[0]['direction_id'] == 13755
    assert len({n['id'] for n in numbers}) == 250
    new_york = api.ok('GET', '/v1/direct_numbers/available/%s/' % NEW_YORK)['numbers']
    assert new_york[0]['number'] == '12125550000' and '12125550199' not in {n['number'] for n in new_york}
    lengths = {len(n['number']) for d in ('3766', '3767', '3753') for n in
               api.ok('GET', '/v1/direct_numbers/available/%s/' % d)['numbers']}
    assert lengths <= {11, 12}
    masked = api.ok('GET', '/v1/direct_numbers/available/%s/' % LONDON, {'mask': ' 000-12'})['numbers']
    assert [n['number'] for n in masked] == ['442030000012', '442030000120', '442030000121', '442030000122',
                                             '442030000123', '442030000124', '442030000125', '442030000126',
                                             '442030000127', '442030000128', '442030000129']
    assert api.get('/v1/direct_numbers/available/999/').status_code == 400


def test_order_debits_once_and_removes_from_available(api):
    wanted = api.ok('GET', '/v1/direct_numbers/available/%s/' % NEW_YORK)['numbers'][5]
    params = {'direction_id': NEW_YORK, 'documents_group_id': 0, 'number_id': wanted['id'], 'period': '3month',
              'receive_sms': 1}
    body = api.ok('POST', '/v1/direct_numbers/order/', params)
    assert body == {'status': 'success', 'number': wanted['number'], 'is_reserved': 'false', 'is_activated': 'true'}
    assert balance(api) == 100.0 - 1.0 - 3 * 3.0
    available = api.ok('GET', '/v1/direct_numbers/available/%s/' % NEW_YORK)['numbers']
    assert wanted['number'] not in {n['number'] for n in available}
    entry = api.ok('GET', '/v1/direct_numbers/')['info'][-1]
    assert (entry['number'], entry['status'], entry['sip'], entry['autorenew'], entry['type']) == \
        (wanted['number'], 'on', '', 'true', 'common')
    start = parse(entry['start_date'])  # calendar months: the same day three months on (clamped)
    assert parse(entry['stop_date']).day in (start.day, 28, 29, 30)
    assert (parse(entry['stop_date']).year * 12 + parse(entry['stop_date']).month) - (start.year * 12 + start.month) == 3
    again = api.post('/v1/direct_numbers/order/', params)
    assert again.status_code == 400 and again.json()['message'] == 'Number is not available'
    assert balance(api) == 90.0


def test_order_without_number_id_takes_the_first(api):
    first = first_available(api, LONDON)
    assert api.ok('POST', '/v1/direct_numbers/order/', {'direction_id': LONDON, 'documents_group_id': 0})['number'] == first['number']
    assert first_available(api, LONDON)['number'] != first['number']


def test_order_insufficient_balance_changes_nothing(api):
    api.ctl('POST', '/_sim/state', {'balance': 12.0})
    before = api.state()
    response = api.post('/v1/direct_numbers/order/', {'direction_id': '3753', 'documents_group_id': 0})
    assert response.status_code == 400
    assert response.json() == {'status': 'error', 'message': 'Not enough money on the balance'}
    after = api.state()
    assert after['balance'] == 12.0 and after['numbers'] == before['numbers'] and after['available'] == before['available']


@pytest.mark.parametrize('params, message', [
    ({'direction_id': '99', 'documents_group_id': 0}, 'direction_id'),
    ({'direction_id': LONDON, 'documents_group_id': 77}, 'Document group not found'),
    ({'direction_id': LONDON, 'documents_group_id': 0, 'number_id': 'nope'}, 'Number is not available'),
    ({'direction_id': LONDON, 'documents_group_id': 0, 'period': 'year'}, 'period'),
    ({'direction_id': LONDON}, 'documents_group_id'),
])
def test_order_checks(api, params, message):
    response = api.post('/v1/direct_numbers/order/', params)
    assert response.status_code == 400 and message in response.json()['message']
    assert balance(api) == 100.0


def test_order_status_follows_documents(api):
    # Berlin needs a passport and an address; the main group is in DE with an address.
    assert api.ok('POST', '/v1/direct_numbers/order/', {'direction_id': BERLIN, 'documents_group_id': 0})['is_activated'] == 'false'
    assert api.state()['numbers'][-1]['status'] == 'checking_upload'
    api.ctl('POST', '/_sim/config', {'auto_verify': False})
    api.ok('POST', '/v1/documents/upload/', {'group_id': 0, 'document_type': 'passport'},
           files={'file': ('passport.pdf', b'%PDF-1.4 x', 'application/pdf')})
    api.ok('POST', '/v1/direct_numbers/order/', {'direction_id': BERLIN, 'documents_group_id': 0})
    assert api.state()['numbers'][-1]['status'] == 'checking'
    api.ctl('POST', '/_sim/state', {'verify_files': True})
    body = api.ok('POST', '/v1/direct_numbers/order/', {'direction_id': BERLIN, 'documents_group_id': 0})
    assert body['is_activated'] == 'true'
    numbers = api.ok('GET', '/v1/direct_numbers/')['info']
    expected = [('on', 'common')] * 3  # the verified documents activate the numbers ordered before too
    assert [(n['status'], n['type']) for n in numbers[-3:]] == expected


def test_ordered_number_turns_on_once_its_documents_are_verified(api):
    api.ctl('POST', '/_sim/config', {'auto_verify': False})
    api.ok('POST', '/v1/direct_numbers/order/', {'direction_id': BERLIN, 'documents_group_id': 0})
    number = api.state()['numbers'][-1]['number']

    def status():
        return next(n['status'] for n in api.ok('GET', '/v1/direct_numbers/')['info'] if n['number'] == number)

    assert status() == 'checking_upload'
    api.ok('POST', '/v1/documents/upload/', {'group_id': 0, 'document_type': 'passport'},
           files={'file': ('passport.pdf', b'%PDF-1.4 x', 'application/pdf')})
    assert status() == 'checking'
    api.ctl('POST', '/_sim/state', {'balance': 50.0})
    assert status() == 'checking'
    api.ctl('POST', '/_sim/state', {'verify_files': True})
    assert status() == 'on'
    assert api.ok('GET', '/v1/direct_numbers/number/', {'number': number})['info']['status'] == 'on'


def test_prolong(api):
    before = api.ok('GET', '/v1/direct_numbers/')['info'][1]
    body = api.ok('POST', '/v1/direct_numbers/prolong/', {'number': '12125550199', 'months': 2})
    assert body['total_paid'] == {'amount': 6.0, 'currency': 'USD'}
    old, new = parse(before['stop_date']), parse(body['stop_date'])  # two calendar months on
    assert (new.year * 12 + new.month) - (old.year * 12 + old.month) == 2 and new.time() == old.time()
    assert balance(api) == 94.0
    for months in ('0', '13', 'x'):
        assert api.post('/v1/direct_numbers/prolong/', {'number': '12125550199', 'months': months}).status_code == 400
    api.ctl('POST', '/_sim/state', {'balance': 5.0})
    response = api.post('/v1/direct_numbers/prolong/', {'number': '12125550199', 'months': 2})
    assert response.status_code == 400 and response.json()['message'] == 'Not enough money on the balance'
    assert api.ok('GET', '/v1/direct_numbers/')['info'][1]['stop_date'] == body['stop_date']
    assert balance(api) == 5.0


def test_checking_wrongs(api):
    assert api.ok('GET', '/v1/direct_numbers/checking-wrongs/', {'group_id': 0})['info'] == {}
    wrongs = {'wrong_address': {'message': 'Invalid address'}}
    api.ctl('POST', '/_sim/state', {'wrongs': {'0': wrongs}})
    assert api.ok('GET', '/v1/direct_numbers/checking-wrongs/', {'group_id': 0})['info'] == wrongs


# Documents --------------------------------------------------------------------------------------
def test_group_create_update_never_return_date_of_birth(api):
    created = api.ok('POST', '/v1/documents/groups/create/', dict(GROUP_FIELDS, date_of_birth='1980-01-01'))['group']
    group_id = created['id']
    assert group_id > 0 and created['is_readonly'] is False and 'date_of_birth' not in created
    assert created['middle_name'] is None and created['region'] == ''
    listed = api.ok('GET', '/v1/documents/groups/list/')['groups']
    assert [g['id'] for g in listed] == [0, group_id]
    assert all('date_of_birth' not in g for g in listed)
    updated = api.ok('PUT', '/v1/documents/groups/update/%d/' % group_id,
                     dict(GROUP_FIELDS, first_name='Janet', middle_name='M', date_of_birth='1981-02-02'))['group']
    assert (updated['first_name'], updated['middle_name']) == ('Janet', 'M')
    got = api.ok('GET', '/v1/documents/groups/get/%d/' % group_id)['group']
    assert got == updated and 'date_of_birth' not in got
    api.ctl('POST', '/_sim/config', {'reveal_personal_data': True})
    stored = [g for g in api.state()['groups'] if g['id'] == group_id][0]
    assert stored['date_of_birth'] == '1981-02-02'
    api.ctl('POST', '/_sim/config', {'reveal_personal_data': False})
    # update replaces the record: an omitted optional field is cleared
    replaced = api.ok('PUT', '/v1/documents/groups/update/%d/' % group_id, GROUP_FIELDS)['group']
    assert replaced['middle_name'] is None
    second = api.ok('POST', '/v1/documents/groups/create/', GROUP_FIELDS)['group']
    assert second['id'] not in (0, group_id)


@pytest.mark.parametrize('change', [{'email': ''}, {'salutation': 'DR'}, {'country': 'Germany'}, {'email': 'x'}])
def test_group_create_validation(api, change):
    response = api.post('/v1/documents/groups/create/', dict(GROUP_FIELDS, **change))
    assert response.status_code == 400 and response.json()['status'] == 'error'


def test_unknown_group(api):
    assert api.get('/v1/documents/groups/get/555/').status_code == 400
    assert api.put('/v1/documents/groups/update/555/', GROUP_FIELDS).status_code == 400
    assert api.get('/v1/documents/files/', {'group_id': 555}).status_code == 400


def test_upload_and_valid(api):
    valid = api.ok('GET', '/v1/documents/groups/valid/0/', {'direction_id': BERLIN})
    assert valid == {'status': 'success', 'is_information_match': 'true', 'is_documents_uploaded': 'false',
                     'is_documents_verified': 'false', 'is_address_match': 'true'}
    content = bytes(range(256)) * 4 + b'\r\n--boundary-like\r\n'
    body = api.ok('POST', '/v1/documents/upload/', {'group_id': 0, 'document_type': 'passport'},
                  files={'file': ('scan.png', content, 'image/png')})
    assert body['doc_name'] == 'scan.png' and 'scan.png' in body['message']
    files = api.ok('GET', '/v1/documents/files/', {'group_id': 0})['documents']
    assert files == [{'type': 'passport', 'is_verified': 'true', 'source': 'upload', 'name': 'scan.png'}]
    assert api.state()['files'][0]['size'] == len(content)
    valid = api.ok('GET', '/v1/documents/groups/valid/0/', {'direction_id': BERLIN})
    assert set(valid.values()) == {'success', 'true'}
    # Vienna: organization fields missing, company letter missing, address in DE, not AT
    vienna = api.ok('GET', '/v1/documents/groups/valid/0/', {'direction_id': VIENNA})
    assert (vienna['is_information_match'], vienna['is_documents_uploaded'], vienna['is_address_match']) == ('false', 'false', 'false')
    entry = api.log()[-4]
    assert entry['params']['file'] == {'name': 'scan.png', 'size': len(content)}


def test_upload_refusals(api):
    empty = api.post('/v1/documents/upload/', {'group_id': 0, 'document_type': 'passport'},
                     files={'file': ('empty.pdf', b'', 'application/pdf')})
    assert empty.status_code == 400
    wrong_type = api.post('/v1/documents/upload/', {'group_id': 0, 'document_type': 'selfie'},
                          files={'file': ('a.pdf', b'x', 'application/pdf')})
    assert wrong_type.status_code == 400
    no_file = api.post('/v1/documents/upload/', {'group_id': 0, 'document_type': 'passport'})
    assert no_file.status_code == 400
    assert api.state()['files'] == []


def test_upload_refuses_base64_transfer_encoding(api, base_url):
    fields = {'group_id': '0', 'document_type': 'passport', 'format': 'json'}
    boundary = 'XyZ'
    parts = [b'--XyZ\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (k.encode(), v.encode())
             for k, v in fields.items()]
    parts.append(b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n'
                 b'Content-Transfer-Encoding: base64\r\n\r\nJVBERg==\r\n--XyZ--\r\n')
    response = requests.post(base_url + '/v1/documents/upload/', data=b''.join(parts), timeout=5,
                             headers={'Content-Type': 'multipart/form-data; boundary=' + boundary,
                                      'Authorization': api.authorization('/v1/documents/upload/', fields)})
    assert response.status_code == 400 and 'Transfer-Encoding' in response.json()['message']


# Accounts ---------------------------------------------------------------------------------------
def test_sub_accounts_are_kept_apart(api):
    assert api.ok('GET', '/v1/documents/groups/list/', {'user_id': 1001})['groups'][0]['last_name'] == 'Berger'
    created = api.ok('POST', '/v1/documents/groups/create/', dict(GROUP_FIELDS, user_id=1001))['group']
    assert created['id'] not in [g['id'] for g in api.ok('GET', '/v1/documents/groups/list/')['groups']]
    assert api.get('/v1/documents/groups/get/%d/' % created['id']).status_code == 400
    api.ok('POST', '/v1/documents/upload/', {'group_id': created['id'], 'document_type': 'passport', 'user_id': 1001},
           files={'file': ('p.jpg', b'jpg', 'image/jpeg')})
    assert api.ok('GET', '/v1/documents/files/', {'group_id': 0})['documents'] == []
    order = {'direction_id': LONDON, 'documents_group_id': created['id'], 'user_id': 1001}
    body = api.ok('POST', '/v1/direct_numbers/order/', order)
    state = api.state()
    assert state['balance'] == 100.0 and state['sub_accounts']['1001']['balance'] == 18.0
    assert [n['number'] for n in state['sub_accounts']['1001']['numbers']] == [body['number']]
    assert body['number'] not in [n['number'] for n in state['numbers']]
    assert state['sub_accounts']['1002']['numbers'] == []
    api.ok('POST', '/v1/direct_numbers/prolong/', {'number': body['number'], 'months': 1, 'user_id': 1001})
    assert api.post('/v1/direct_numbers/prolong/', {'number': body['number'], 'months': 1}).status_code == 400
    assert api.log()[-2]['user_id'] == 1001
    unknown = api.get('/v1/documents/groups/list/', {'user_id': 4242})
    assert unknown.status_code == 400 and unknown.json()['message'] == 'User not found'


# Control API and log ------------------------------------------------------------------------------
def test_log_never_holds_the_signature(api, make_client):
    since = api.log()[-1]['seq'] if api.log() else 0
    api.ok('PUT', '/v1/direct_numbers/set_caller_name/', {'number': OWNED, 'caller_name': 'Desk'})
    make_client(api.base_url, secret='wrong').get('/v1/info/balance/')
    entries = api.log(since)
    assert [(e['http_method'], e['path'], e['status'], e['write']) for e in entries] == [
        ('PUT', '/v1/direct_numbers/set_caller_name/', 200, True), ('GET', '/v1/info/balance/', 401, False)]
    assert entries[0]['params'] == {'number': OWNED, 'caller_name': 'Desk', 'format': 'json'}
    text = str(api.ctl('GET', '/_sim/log'))
    assert SECRET not in text and KEY not in text and 'Authorization' not in text
    assert api.log(entries[-1]['seq']) == []


def test_reset_restores_the_seed(api):
    api.ok('POST', '/v1/direct_numbers/order/', {'direction_id': LONDON, 'documents_group_id': 0})
    api.ctl('POST', '/_sim/faults', {'path': '*', 'kind': 'status'})
    api.ctl('POST', '/_sim/reset')
    assert api.log() == []
    assert api.ok('GET', '/v1/info/balance/')['balance'] == 100.0
    assert len(api.ok('GET', '/v1/direct_numbers/')['info']) == 2


def test_state_add_numbers_is_fast_and_filled(api):
    numbers = [{'number': '4930%07d' % i} for i in range(1000)] + [{'number': '+442030000003', 'sip': '00003'}]
    started = time.monotonic()
    result = api.ctl('POST', '/_sim/state', {'add_numbers': numbers})
    assert result['added'] == 1001 and time.monotonic() - started < 2
    info = api.ok('GET', '/v1/direct_numbers/')['info']
    assert len(info) == 1003
    berlin = info[2]
    assert (berlin['country'], berlin['monthly_fee'], berlin['status'], berlin['sip'], berlin['autorenew']) == \
        ('Germany', 4.0, 'on', '', 'true')
    assert info[-1]['sip_name'] == 'Berlin office'
    assert '442030000003' not in [n['number'] for n in api.ok('GET', '/v1/direct_numbers/available/%s/' % LONDON)['numbers']]
    api.ctl('POST', '/_sim/state', {'user_id': 1002, 'add_numbers': [{'number': '99912345678', 'autorenew': False}]})
    other = api.state()['sub_accounts']['1002']['numbers'][0]
    assert (other['monthly_fee'], other['autorenew']) == (2.0, 'false')


def test_state_sips(api):
    api.ctl('POST', '/_sim/state', {'sips': [{'id': '00007', 'display_name': 'Lab'}], 'sips_left': 0})
    expected = {'status': 'success', 'sips': [{'id': '00007', 'display_name': 'Lab', 'lines': 3}], 'left': 0}
    assert api.ok('GET', '/v1/sip/') == expected


def test_sip_methods(api):
    assert api.ok('GET', '/v1/sip/00001/status/')['is_online'] == 'false'
    api.ok('PUT', '/v1/sip/callerid/', {'id': '00001', 'number': OWNED})
    api.ok('PUT', '/v1/sip/redirection/', {'id': '00002', 'type': 'phone', 'number': '4930123456'})
    assert api.ok('PUT', '/v1/sip/redirection/', {'id': '00002', 'status': 'on'})['current_status'] == 'on'
    info = api.ok('GET', '/v1/sip/redirection/', {'id': '00002'})['info']
    assert info == [{'sip_id': '00002', 'status': 'on', 'condition': 'always', 'destination': 'phone',
                     'destination_value': '4930123456'}]
    created = api.ok('POST', '/v1/sip/create/', {'name': 'New', 'password': 'S3cret-pass', 'callerid': OWNED})['sip']
    assert api.ok('GET', '/v1/sip/')['left'] == 1
    api.ok('PUT', '/v1/sip/%s/password/' % created, {'value': 'An0ther-pass'})
    logged = str(api.log())
    assert 'S3cret-pass' not in logged and 'An0ther-pass' not in logged


def test_dropped_connection_does_not_hurt_the_server(api, base_url):
    host, port = base_url[len('http://'):].split(':')
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(b'POST /v1/direct_numbers/order/ HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial')
    assert api.get('/v1/info/balance/').status_code == 200


def test_parallel_orders_never_overspend(api, make_client):
    from concurrent.futures import ThreadPoolExecutor  # pylint: disable=import-outside-toplevel
    api.ctl('POST', '/_sim/state', {'balance': 20.0})  # London: 2.0 a month, so exactly ten orders fit

    def order(_index):
        return make_client(api.base_url).post('/v1/direct_numbers/order/', {'direction_id': LONDON, 'documents_group_id': 0})

    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(pool.map(order, range(30)))
    ordered = [r.json()['number'] for r in responses if r.status_code == 200]
    assert len(ordered) == 10 and len(set(ordered)) == 10
    assert sorted(r.status_code for r in responses) == [200] * 10 + [400] * 20
    assert balance(api) == 0.0
    assert len(api.log()) == 30


def test_state_update_is_all_or_nothing(api):
    response = requests.post(api.base_url + '/_sim/state', timeout=5,
                             json={'balance': 1.0, 'sips': [], 'add_numbers': [{'number': '4930111'}, {'number': 'bad'}]})
    assert response.status_code == 400 and response.json()['status'] == 'error'
    state = api.state()
    assert state['balance'] == 100.0 and len(state['numbers']) == 2 and len(state['sips']) == 3


def test_upload_keeps_a_utf8_filename(api):
    body = api.ok('POST', '/v1/documents/upload/', {'group_id': 0, 'document_type': 'receipt'},
                  files={'file': ('Übersicht 2024.pdf', b'%PDF', 'application/pdf')})
    assert body['doc_name'] == 'Übersicht 2024.pdf'
    assert api.ok('GET', '/v1/documents/files/')['documents'][0]['name'] == 'Übersicht 2024.pdf'


def test_personal_data_is_masked_in_the_log_and_the_state_unless_revealed(api):
    personal = dict(GROUP_FIELDS, city='Kleinmachnow', date_of_birth='1980-01-01', id_number='X1234567',
                    issuing_authority='Landesamt Nord', type_of_id='PASSPORT', user_id=1001)
    created = api.ok('POST', '/v1/documents/groups/create/', personal)['group']
    api.ok('PUT', '/v1/direct_numbers/set_caller_name/', {'number': OWNED, 'caller_name': 'Desk'})
    values = [value for key, value in personal.items()  # long enough not to occur by chance (not '1', 'DE')
              if key not in ('salutation', 'type_of_id', 'user_id') and len(str(value)) >= 4]
    masked = api.ctl('GET', '/_sim/log')['requests'] + [api.state()]
    text = json.dumps(masked)
    for value in values + ['Anna', 'Berger', 'John', 'Smith']:  # the seed's groups too
        assert value not in text, value
    create = [e for e in masked[:-1] if e['path'] == '/v1/documents/groups/create/'][0]
    assert create['params']['first_name'] == '********' and create['params']['salutation'] == 'MS'
    assert create['params']['user_id'] == '1001'
    assert [e for e in masked[:-1] if e['path'] == '/v1/direct_numbers/set_caller_name/'][0]['params'] == \
        {'number': OWNED, 'caller_name': 'Desk', 'format': 'json'}
    stored = [g for g in api.state()['sub_accounts']['1001']['groups'] if g['id'] == created['id']][0]
    assert stored['id_number'] == stored['date_of_birth'] == stored['first_name'] == '********'
    assert stored['type_of_id'] == 'PASSPORT' and stored['middle_name'] is None

    api.ctl('POST', '/_sim/config', {'reveal_personal_data': True})
    text = json.dumps(api.ctl('GET', '/_sim/log')['requests'] + [api.state()])
    assert all(value in text for value in values)
