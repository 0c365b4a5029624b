# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of zadarma_number_info: every selector, its keys and its single request; never a write.

HTTP is mocked with ``responses`` (every registered answer must be used, and an unregistered request fails).
"""

from __future__ import annotations

import json

from urllib.parse import parse_qsl, urlsplit

import pytest
import responses

from ansible.module_utils import basic

from ansible_collections.zadarma.telephony.plugins.modules import zadarma_number_info as module

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    import contextlib
    from unittest import mock

    @contextlib.contextmanager
    def patch_module_args(args=None):
        with mock.patch.object(basic, '_ANSIBLE_ARGS', json.dumps(dict(ANSIBLE_MODULE_ARGS=args or {})).encode()):
            yield

API = 'https://api.zadarma.com'
LIST = API + '/v1/direct_numbers/'
SIPS = API + '/v1/sip/'
BALANCE = API + '/v1/info/balance/'
COUNTRIES = API + '/v1/direct_numbers/countries/'
COUNTRY = API + '/v1/direct_numbers/country/'
AVAILABLE = API + '/v1/direct_numbers/available/%d/'
VALID = API + '/v1/documents/groups/valid/%d/'
ORDER = API + '/v1/direct_numbers/order/'
PROLONG = API + '/v1/direct_numbers/prolong/'
SET_SIP = API + '/v1/direct_numbers/set_sip_id/'
SET_CALLER = API + '/v1/direct_numbers/set_caller_name/'
AUTOPROLONG = API + '/v1/direct_numbers/autoprolongation/'


class ModuleExit(Exception):
    def __init__(self, result):
        super(ModuleExit, self).__init__(result)
        self.result = result


class ModuleFail(ModuleExit):
    pass


@pytest.fixture(autouse=True)
def module_exits(monkeypatch):
    def exit_json(self, **result):
        raise ModuleExit(result)

    def fail_json(self, **result):
        raise ModuleFail(result)

    monkeypatch.setattr(basic.AnsibleModule, 'exit_json', exit_json)
    monkeypatch.setattr(basic.AnsibleModule, 'fail_json', fail_json)


@pytest.fixture
def api():
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps


def run(args, check_mode=False, diff=False):
    args = dict(args, api_key='key', api_secret='secret', _ansible_check_mode=check_mode, _ansible_diff=diff)
    with patch_module_args(args):
        with pytest.raises(ModuleExit) as caught:
            module.main()
    return caught.value


def ok(args, **kwargs):
    outcome = run(args, **kwargs)
    assert not isinstance(outcome, ModuleFail), outcome.result
    return outcome.result


def failed(args, **kwargs):
    outcome = run(args, **kwargs)
    assert isinstance(outcome, ModuleFail), outcome.result
    return outcome.result


def sent(call):
    """(method, path, params) of a request that was sent, without format=json."""
    request = call.request
    parts = urlsplit(request.url)
    body = request.body.decode() if isinstance(request.body, bytes) else request.body
    params = dict(parse_qsl(parts.query if request.method == 'GET' else body or '', keep_blank_values=True))
    params.pop('format', None)
    return request.method, parts.path, params


def calls(api):
    return [sent(call) for call in api.calls]


def writes(api):
    return [entry for entry in calls(api) if entry[0] != 'GET']


def success(**body):
    return dict(status='success', **body)


def owned(number, **changes):
    """An owned number as the list method returns it."""
    item = dict(number=number, status='on', country='United Kingdom', description='London', number_name=None, sip='',
                sip_name=None, start_date='2026-02-10 10:00:00', stop_date='2026-03-10 10:00:00', monthly_fee=2.0,
                currency='USD', channels=2, minutes=0, autorenew='true', is_on_test='false', type='common')
    item.update(changes)
    return item


RECEPTION = owned('442037691880', sip='00001', sip_name='Reception', number_name='Reception')
US = owned('12125550199', country='United States', description='New York', autorenew='false', monthly_fee=3.0,
           stop_date='2026-02-15 10:00:00')
LONDON = dict(id='13755', countryCode='44', areaCode='20', name='London', connect_fee=0.0, monthly_fee=2.0,
              currency='USD', restrictions=dict(upload=[], specify=[]), receive_sms='false', is_toll='false',
              feature=None, connect_time='0')
BERLIN = dict(LONDON, id='3766', countryCode='49', areaCode='30', name='Berlin', connect_fee=3.0, monthly_fee=4.0,
              restrictions=dict(upload=['passport'], specify=['address']))
NEW = '442030000042'
NEW_ID = '13755p42D1D2t3r4'
ORDER_ARGS = dict(number=NEW, direction_id=13755, country='GB')


def add_list(api, *items):
    api.get(LIST, json=success(info=list(items)))


def add_sips(api):
    api.get(SIPS, json=success(sips=[dict(id='00001', display_name='Reception', lines=3),
                                     dict(id='00002', display_name='Support', lines=3)], left=0))


def add_balance(api, amount=100.0):
    api.get(BALANCE, json=success(balance=amount, currency='USD'))


def add_catalogue(api, available=((NEW_ID, NEW),), destination=None, direction_id=13755):
    destination = destination or LONDON
    api.get(AVAILABLE % direction_id, json=success(numbers=[dict(id=i, direction_id=direction_id, number=n)
                                                            for i, n in available]))
    api.get(COUNTRY, json=success(info=[destination]))


NUMBER_KEYS = {'number', 'status', 'country', 'sip', 'sip_name', 'caller_name', 'autoprolongation', 'test_mode',
               'start_date', 'stop_date', 'monthly_fee', 'currency', 'channels', 'minutes', 'type'}
DESTINATION_KEYS = {'id', 'name', 'country_code', 'area_code', 'connect_fee', 'monthly_fee', 'currency',
                    'documents_required', 'data_required', 'receive_sms', 'is_toll', 'feature', 'connect_time'}


def test_all_owned_numbers_sorted(api):
    add_list(api, RECEPTION, US)
    result = ok({})
    assert calls(api) == [('GET', '/v1/direct_numbers/', {})]
    assert result['changed'] is False
    assert [n['number'] for n in result['numbers']] == ['12125550199', '442037691880']
    assert all(set(n) == NUMBER_KEYS for n in result['numbers'])
    us, reception = result['numbers']
    assert us['sip'] is None and us['autoprolongation'] is False and us['caller_name'] is None
    assert reception['sip'] == '00001' and reception['caller_name'] == 'Reception' and reception['test_mode'] is False
    assert 'countries' not in result and 'destinations' not in result and 'available_numbers' not in result


def test_no_owned_numbers_is_an_empty_list(api):
    api.get(LIST, json=success(info=[]))
    assert ok({})['numbers'] == []


def test_one_number_in_any_format(api):
    add_list(api, RECEPTION, US)
    result = ok(dict(number='+1 (212) 555-0199'))
    assert [n['number'] for n in result['numbers']] == ['12125550199']
    assert len(api.calls) == 1


def test_not_owned_number_fails(api):
    add_list(api, RECEPTION)
    result = failed(dict(number='12125550100'))
    assert result['msg'] == 'number: 12125550100 is not owned by this account'


def test_countries(api):
    api.get(COUNTRIES, json=success(info=[dict(countryCode='49', countryCodeIso='DE', name='Germany'),
                                          dict(countryCode='44', countryCodeIso='GB', name='United Kingdom')]))
    result = ok(dict(countries=True, language='de'))
    assert calls(api) == [('GET', '/v1/direct_numbers/countries/', dict(language='de'))]
    assert result['countries'] == [dict(code='DE', dialing_code='49', name='Germany'),
                                   dict(code='GB', dialing_code='44', name='United Kingdom')]
    assert 'numbers' not in result


def test_destinations_of_a_country(api):
    api.get(COUNTRY, json=success(info=[BERLIN, dict(BERLIN, id='3767', name='Munich', areaCode='89',
                                                     restrictions=dict(upload=[], specify=[]))]))
    result = ok(dict(country='de'))
    assert calls(api) == [('GET', '/v1/direct_numbers/country/', dict(country='DE'))]
    berlin, munich = result['destinations']
    assert set(berlin) == DESTINATION_KEYS
    assert berlin['id'] == 3766 and berlin['documents_required'] == ['passport']
    assert berlin['data_required'] == ['address'] and berlin['connect_fee'] == 3.0 and berlin['receive_sms'] is False
    assert munich['documents_required'] == [] and munich['area_code'] == '89'
    assert 'numbers' not in result


def test_one_destination_of_a_country(api):
    api.get(COUNTRY, json=success(info=[BERLIN]))
    result = ok(dict(country='DE', direction_id=3766))
    assert calls(api) == [('GET', '/v1/direct_numbers/country/', dict(country='DE'))]  # filtered locally
    assert [d['id'] for d in result['destinations']] == [3766]


def test_country_without_destinations_is_an_empty_list(api):
    api.get(COUNTRY, json=success(info=[]))
    assert ok(dict(country='AT'))['destinations'] == []


def test_available_numbers(api):
    api.get(AVAILABLE % 13755, json=success(numbers=[dict(id=NEW_ID, direction_id='13755', number='+' + NEW)]))
    result = ok(dict(direction_id=13755, mask='+44 20 3000'))
    assert calls(api) == [('GET', '/v1/direct_numbers/available/13755/', dict(mask='44203000'))]
    assert result['available_numbers'] == [dict(id=NEW_ID, direction_id=13755, number=NEW)]
    assert 'numbers' not in result


def test_no_available_numbers_is_an_empty_list(api):
    api.get(AVAILABLE % 13755, json=success(numbers=[]))
    assert ok(dict(direction_id=13755))['available_numbers'] == []


def test_balance_with_the_numbers(api):
    add_list(api, RECEPTION)
    add_balance(api, amount='99.50')
    result = ok(dict(balance=True))
    assert result['balance'] == dict(amount=99.5, currency='USD')
    assert [n['number'] for n in result['numbers']] == ['442037691880']


def test_selectors_together(api):
    api.get(COUNTRIES, json=success(info=[]))
    api.get(COUNTRY, json=success(info=[LONDON]))
    result = ok(dict(countries=True, country='GB'))
    assert result['countries'] == [] and [d['name'] for d in result['destinations']] == ['London']
    assert 'numbers' not in result and 'available_numbers' not in result


def test_never_writes_even_in_check_mode(api):
    add_list(api, RECEPTION)
    result = ok({}, check_mode=True)
    assert writes(api) == [] and result['changed'] is False


@pytest.mark.parametrize('args, message', [
    (dict(mask='3000'), 'mask: only applies to direction_id without country'),
    (dict(country='DE', direction_id=3766, mask='3000'), 'mask: only applies to direction_id without country'),
    (dict(country='Germany'), "country: 'Germany' is not an ISO 3166-1 alpha-2 country code"),
    (dict(number='12'), "number: '12' is not a phone number in international format"),
    (dict(number='442037691880', country='GB'), 'mutually exclusive'),
    (dict(number='442037691880', countries=True), 'mutually exclusive'),
    (dict(number='442037691880', direction_id=13755), 'mutually exclusive'),
])
def test_bad_input_sends_nothing(api, args, message):
    result = failed(args)
    assert message in result['msg']
    assert len(api.calls) == 0
