# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of zadarma_number_info: every selector, its keys and its single request; never a write.

HTTP is mocked with ``responses`` (every registered answer must be used, and an unregistered request fails).
"""

from __future__ import annotations

import functools

import pytest

from ansible_collections.zadarma.telephony.plugins.modules import zadarma_number_info as module
from ansible_collections.zadarma.telephony.tests.unit.plugins.modules import module_harness as harness
from ansible_collections.zadarma.telephony.tests.unit.plugins.modules.module_harness import calls, success, writes
from ansible_collections.zadarma.telephony.tests.unit.plugins.modules.numbers_data import (
    AVAILABLE, BERLIN, COUNTRIES, COUNTRY, LIST, LONDON, NEW, NEW_ID, RECEPTION, US, add_balance, add_detail, add_list,
)

ok = functools.partial(harness.ok, module)
failed = functools.partial(harness.failed, module)


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
    add_detail(api, US, 'true')
    result = ok(dict(number='+1 (212) 555-0199'))
    assert [n['number'] for n in result['numbers']] == ['12125550199']
    assert result['numbers'][0]['receive_sms'] is True and result['numbers'][0]['minutes'] == 0  # list + detail
    assert calls(api) == [('GET', '/v1/direct_numbers/', {}),
                          ('GET', '/v1/direct_numbers/number/', dict(number='12125550199'))]


def test_every_number_without_receive_sms_is_one_read(api):
    add_list(api, RECEPTION, US)
    result = ok(dict())
    assert len(api.calls) == 1 and all('receive_sms' not in n for n in result['numbers'])


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
