# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of zadarma_numbers: one read for a no-op set, every check before the first write, adoption.

HTTP is mocked with ``responses`` (every registered answer must be used, and an unregistered request fails),
so each test proves which requests are sent.
"""

from __future__ import annotations

import functools

import pytest

from ansible_collections.zadarma.telephony.plugins.modules import zadarma_numbers as module
from ansible_collections.zadarma.telephony.tests.unit.plugins.modules import module_harness as harness
from ansible_collections.zadarma.telephony.tests.unit.plugins.modules.module_harness import calls, success, writes
from ansible_collections.zadarma.telephony.tests.unit.plugins.modules.numbers_data import (
    AUTOPROLONG, LONDON, NEW, ORDER, RECEPTION, SET_CALLER, SET_SIP, US, add_balance, add_catalogue, add_list, add_sips,
    owned,
)

run = functools.partial(harness.run, module)
ok = functools.partial(harness.ok, module)
failed = functools.partial(harness.failed, module)


MANCHESTER = dict(LONDON, id='13756', areaCode='161', name='Manchester')


def entry(number, **options):
    return dict(options, number=number)


# No-op, settings, validation ---------------------------------------------------------------------------
def test_noop_set_is_one_read(api):
    add_list(api, RECEPTION, US)
    result = ok(dict(numbers=[entry('442037691880', sip_id='00001', caller_name='Reception', autoprolongation=True),
                              entry('+1 212 555 0199', state='absent')]), diff=True)
    assert calls(api) == [('GET', '/v1/direct_numbers/', {})]
    assert result['changed'] is False and 'diff' not in result
    assert [n['number'] for n in result['numbers']] == ['442037691880', '12125550199']
    assert all(n['changes'] == [] for n in result['numbers'])
    assert result['ordered'] == [] and result['refused'] == [] and result['purchases'] == [] and result['cost'] == 0


def test_changes_in_entry_order_with_one_sip_read(api):
    add_list(api, RECEPTION, US)
    add_sips(api)
    api.put(SET_SIP, json=success())
    api.put(SET_SIP, json=success())
    api.put(AUTOPROLONG, json=success())
    result = ok(dict(numbers=[entry('12125550199', sip_id='00002', autoprolongation=True),
                              entry('442037691880', sip_id='00002', test_mode=True)]), diff=True)
    assert calls(api) == [
        ('GET', '/v1/direct_numbers/', {}),
        ('GET', '/v1/sip/', {}),
        ('PUT', '/v1/direct_numbers/set_sip_id/', dict(number='12125550199', type='common', sip_id='00002')),
        ('PUT', '/v1/direct_numbers/autoprolongation/', dict(number='12125550199', type='common', value='on')),
        ('PUT', '/v1/direct_numbers/set_sip_id/', dict(number='442037691880', type='common', sip_id='00002',
                                                       test_mode='on')),
    ]
    assert result['changed'] is True
    assert sorted(result['diff']['before']) == ['12125550199', '442037691880']
    assert result['diff']['before']['12125550199']['sip'] is None
    assert result['diff']['after']['12125550199'] == dict(status='on', sip='00002', test_mode=False, caller_name=None,
                                                          autoprolongation=True, stop_date='2026-02-15 10:00:00',
                                                          channels=2)


def test_diff_lists_only_the_numbers_that_change(api):
    add_list(api, RECEPTION, US)
    api.put(SET_CALLER, json=success())
    result = ok(dict(numbers=[entry('442037691880', caller_name='Reception'), entry('12125550199', caller_name='NY')]),
                diff=True)
    assert list(result['diff']['before']) == ['12125550199']
    assert result['numbers'][0]['changes'] == [] and len(result['numbers'][1]['changes']) == 1


def test_check_mode_sends_no_write(api):
    add_list(api, RECEPTION, US)
    add_sips(api)
    result = ok(dict(numbers=[entry('12125550199', sip_id='00002'), entry('442037691880', state='absent')]),
                check_mode=True)
    assert writes(api) == []
    assert result['changed'] is True
    assert result['numbers'][0]['sip'] == '00002' and result['numbers'][1]['autoprolongation'] is False


@pytest.mark.parametrize('numbers, message', [
    ([entry('442037691880'), entry('12125550199', caller_name='x' * 31)], 'numbers[1].caller_name: '),
    ([entry('442037691880', sip_id='abc')], "numbers[0].sip_id: 'abc' is neither"),
    ([entry(None, direction_id=13755)], 'numbers[0].sip_id: without an exact number, sip_id is required'),
    ([entry(None)], 'numbers[0].number: give the number, or direction_id to choose one'),
    ([entry('442037691880'), entry('12125550199'), entry('12125550199', state='absent', paid_until='2026-05-01')],
     'numbers[2].state: absent lets the number lapse'),
    ([entry('442037691880'), entry('+44 20 3769 1880', caller_name='X')],
     'numbers[1].number: 442037691880 is already listed at numbers[0]'),
    ([entry('442037691880', max_monthly_fee=-2)], 'numbers[0].max_monthly_fee: must not be negative'),
])
def test_bad_entry_sends_nothing(api, numbers, message):
    result = failed(dict(numbers=numbers))
    assert result['msg'].startswith(message)
    assert len(api.calls) == 0


def test_nothing_is_written_unless_every_entry_passes(api):
    add_list(api, RECEPTION, US)
    add_sips(api)
    result = failed(dict(numbers=[entry('442037691880', caller_name='Front desk', sip_id='00002'),
                                  entry('12125550199', sip_id='00007')]))
    assert result['msg'].startswith('numbers[1].sip_id: SIP id 00007 is not a SIP of this account')
    assert writes(api) == []


def test_missing_fails_before_any_write(api):
    add_list(api, RECEPTION)
    result = failed(dict(numbers=[entry('442037691880', caller_name='Desk'), entry(NEW, sip_id='00001')]))
    assert result['msg'] == ('numbers[1].number: %s is not owned by this account, and there is no direction_id to '
                             'order it' % NEW)
    assert len(api.calls) == 1


def test_refused_entries_skipped_with_fail_on_refusal_false(api):
    add_list(api, RECEPTION)
    api.put(SET_CALLER, json=success())
    result = ok(dict(fail_on_refusal=False, numbers=[entry(NEW, sip_id='00001'), entry('442037691880',
                                                                                       caller_name='Desk')]))
    why = 'numbers[0].number: %s is not owned by this account, and there is no direction_id to order it' % NEW
    assert result['refused'] == [dict(index=0, key=None, number=NEW, option='number', reason=why.split(': ', 1)[1],
                                      msg=why)]
    assert [n['number'] for n in result['numbers']] == ['442037691880']
    assert writes(api) == [('PUT', '/v1/direct_numbers/set_caller_name/', dict(number='442037691880', type='common',
                                                                               caller_name='Desk'))]


def test_failure_during_the_writes_lists_what_was_done(api):
    add_list(api, RECEPTION, US)
    api.put(SET_CALLER, json=success())
    api.put(SET_CALLER, json=dict(status='error', message='Number not found'))
    result = failed(dict(numbers=[entry('442037691880', caller_name='Desk'), entry('12125550199', caller_name='NY')]))
    assert 'Number not found' in result['msg']
    assert result['writes_done'] == [dict(request='PUT direct_numbers/set_caller_name',
                                          summary="set the caller name of 442037691880 to 'Desk'")]


# Ordering and adoption ---------------------------------------------------------------------------------
def test_orders_two_numbers_of_one_destination(api):
    add_list(api, RECEPTION)
    add_catalogue(api, available=(('m0', '441610000000'), ('m1', '441610000001')), destination=MANCHESTER,
                  direction_id=13756)
    add_sips(api)
    add_balance(api)
    api.post(ORDER, json=success(number='441610000000'))
    api.post(ORDER, json=success(number='441610000001'))
    add_list(api, RECEPTION, owned('441610000000'), owned('441610000001'))
    api.put(SET_SIP, json=success())
    api.put(SET_SIP, json=success())
    spec = dict(direction_id=13756, country='GB', max_monthly_fee=5)
    result = ok(dict(numbers=[dict(spec, sip_id='00002'), dict(spec, sip_id='00001')]))
    orders = [params for method, path, params in writes(api) if path == '/v1/direct_numbers/order/']
    assert [o['number_id'] for o in orders] == ['m0', 'm1']
    assert [path for _m, path, _p in calls(api)].count('/v1/info/balance/') == 1
    assert [path for _m, path, _p in calls(api)].count('/v1/direct_numbers/available/13756/') == 1  # cached
    assert writes(api)[2:] == [
        ('PUT', '/v1/direct_numbers/set_sip_id/', dict(number='441610000000', type='common', sip_id='00002')),
        ('PUT', '/v1/direct_numbers/set_sip_id/', dict(number='441610000001', type='common', sip_id='00001'))]
    assert result['ordered'] == ['441610000000', '441610000001'] and result['cost'] == 4.0
    assert [n['number'] for n in result['numbers']] == ['441610000000', '441610000001']


def test_total_cost_checked_against_the_balance(api):
    add_list(api)
    add_catalogue(api, available=(('m0', '441610000000'), ('m1', '441610000001')), destination=MANCHESTER,
                  direction_id=13756)
    add_sips(api)
    add_balance(api, amount=3.0)
    spec = dict(direction_id=13756, country='GB')
    result = failed(dict(numbers=[dict(spec, sip_id='00002'), dict(spec, sip_id='00001')]))
    assert result['msg'].startswith('the balance (3.00 USD) cannot pay for order 441610000000')
    assert result['msg'].endswith('(4.00 USD); nothing was bought')
    assert writes(api) == []


def test_check_mode_reports_orders_and_cost(api):
    add_list(api)
    add_catalogue(api, available=(('m0', '441610000000'),), destination=MANCHESTER, direction_id=13756)
    add_sips(api)
    add_balance(api)
    result = ok(dict(numbers=[dict(direction_id=13756, country='GB', sip_id='00002')]), check_mode=True, diff=True)
    assert writes(api) == []
    assert result['changed'] is True and result['ordered'] == ['441610000000'] and result['cost'] == 2.0
    assert result['purchases'][0]['action'] == 'order'
    assert result['diff']['before'] == {'441610000000': {}}


def test_adopts_an_owned_number_instead_of_buying(api):
    add_list(api, RECEPTION, owned('441610000007', sip='manchester@pbx.example.com'))
    add_catalogue(api, available=(('m0', '441610000000'),), destination=MANCHESTER, direction_id=13756)
    api.assert_all_requests_are_fired = False  # adopting never reads the available numbers
    result = ok(dict(numbers=[dict(direction_id=13756, country='GB', sip_id='manchester@pbx.example.com',
                                   max_monthly_fee=5)]))
    assert [path for _m, path, _p in calls(api)] == ['/v1/direct_numbers/', '/v1/direct_numbers/country/']
    assert writes(api) == []
    assert result['changed'] is False and result['ordered'] == []
    assert result['numbers'][0]['number'] == '441610000007'


def test_adopting_noop_costs_the_list_and_one_read_per_destination(api):
    add_list(api, RECEPTION, owned('441610000007', sip='manchester@pbx.example.com'), owned('441610000008', sip='desk@pbx.example.com'))
    add_catalogue(api, available=(('m0', '441610000000'),), destination=MANCHESTER, direction_id=13756)
    api.assert_all_requests_are_fired = False
    result = ok(dict(numbers=[dict(direction_id=13756, country='GB', sip_id='manchester@pbx.example.com'),
                              dict(direction_id=13756, country='GB', sip_id='desk@pbx.example.com')]))
    assert len(api.calls) == 2 and result['changed'] is False
    assert [n['number'] for n in result['numbers']] == ['441610000007', '441610000008']


def test_two_numberless_entries_for_one_target_refuse_the_later_before_any_write(api):
    add_list(api, owned('441610000007', sip='manchester@pbx.example.com'), owned('441610000008', sip=''))
    add_catalogue(api, available=(('m0', '441610000000'),), destination=MANCHESTER, direction_id=13756)
    api.assert_all_requests_are_fired = False
    spec = dict(direction_id=13756, country='GB', sip_id='manchester@pbx.example.com')
    result = failed(dict(numbers=[spec, dict(spec, test_mode=True)]))
    assert result['msg'].startswith('numbers[1].number: numbers[0] also asks for a number of destination 13756')
    assert writes(api) == []


def test_user_id_rerun_does_not_buy_again(api):
    spec = dict(direction_id=13756, country='GB', sip_id='manchester@pbx.example.com')
    add_list(api)  # the main account's numbers: the list method has no user_id
    add_catalogue(api, available=(('m0', '441610000000'),), destination=MANCHESTER, direction_id=13756)
    add_balance(api)
    api.post(ORDER, json=success(number='441610000000'))
    api.assert_all_requests_are_fired = False
    add_list(api)
    api.put(SET_SIP, json=dict(status='error', message='Number not found'))
    run(dict(user_id=1001, numbers=[spec]))
    # Second run: the simulator and the API list the main account again, the number bought for 1001 is not there.
    api.reset()
    add_list(api)
    add_catalogue(api, available=(('m1', '441610000001'),), destination=MANCHESTER, direction_id=13756)
    add_balance(api)
    api.post(ORDER, json=success(number='441610000001'))
    add_list(api)
    api.put(SET_SIP, json=success())
    run(dict(user_id=1001, numbers=[spec]))
    assert [path for _m, path, _p in writes(api)].count('/v1/direct_numbers/order/') == 0


def test_a_refused_entry_does_not_stop_the_others(api):
    add_list(api, RECEPTION, US)
    add_sips(api)
    api.put(SET_SIP, json=success())
    result = ok(dict(fail_on_refusal=False, numbers=[entry('442037691880', sip_id='00009'),
                                                     entry('12125550199', sip_id='00002')]))
    assert [r['index'] for r in result['refused']] == [0]
    assert result['refused'][0]['msg'].startswith('numbers[0].sip_id: SIP id 00009 is not a SIP of this account')
    assert writes(api) == [('PUT', '/v1/direct_numbers/set_sip_id/', dict(number='12125550199', type='common',
                                                                          sip_id='00002'))]
    assert [(n['number'], n['index']) for n in result['numbers']] == [('12125550199', 1)]


# The interface the roles build on: keys, decisions, costs and refusals ---------------------------------
@pytest.mark.parametrize('check_mode', [False, True])
def test_every_entry_reports_its_key_decision_and_cost(api, check_mode):
    add_list(api, RECEPTION, owned('441610000007', sip='manchester@pbx.example.com'))
    add_catalogue(api, available=(('m0', '441610000000'), ('m1', '441610000001')), destination=MANCHESTER,
                  direction_id=13756)
    add_sips(api)
    add_balance(api)
    if not check_mode:
        api.post(ORDER, json=success(number='441610000000'))
        add_list(api, RECEPTION, owned('441610000007', sip='manchester@pbx.example.com'), owned('441610000000'))
        api.put(SET_SIP, json=success())
    spec = dict(direction_id=13756, country='GB', max_monthly_fee=5)
    numbers = [entry('442037691880', key='reception', caller_name='Reception'),
               dict(spec, key='manchester', sip_id='manchester@pbx.example.com'),
               dict(spec, key='support', sip_id='00002'),
               dict(spec, sip_id='00001', max_monthly_fee=1.5)]
    result = ok(dict(numbers=numbers, fail_on_refusal=False), check_mode=check_mode)
    assert [(n['key'], n['decision'], n['cost'], n['number']) for n in result['numbers']] == [
        ('reception', 'owned', 0.0, '442037691880'),
        ('manchester', 'adopted', 0.0, '441610000007'),
        ('support', 'ordered', 2.0, '441610000000')]
    assert result['refused'] == [dict(
        index=3, key=None, number=None, option='max_monthly_fee',
        reason='the monthly fee of Manchester is 2.00 USD, above the limit of 1.50',
        msg='numbers[3].max_monthly_fee: the monthly fee of Manchester is 2.00 USD, above the limit of 1.50')]


def test_a_prolongation_is_the_entry_cost(api):
    add_list(api, RECEPTION)
    add_balance(api)
    result = ok(dict(numbers=[entry('442037691880', key='reception', paid_until='2026-04-01')]), check_mode=True)
    assert [(n['key'], n['decision'], n['cost']) for n in result['numbers']] == [('reception', 'owned', 2.0)]


def test_refusals_before_any_request_carry_the_key(api):
    add_list(api, RECEPTION)
    result = ok(dict(fail_on_refusal=False, numbers=[
        entry('442037691880', key='a'), entry('+44 20 3769 1880', key='b', caller_name='X'),
        entry('call me', key='c'), entry('12125550199', key='d', state='absent', sip_id='00001')]))
    assert [(r['index'], r['key'], r['number'], r['option']) for r in result['refused']] == [
        (1, 'b', '442037691880', 'number'), (2, 'c', None, 'number'), (3, 'd', '12125550199', 'state')]
    assert result['refused'][0]['reason'] == '442037691880 is already listed at numbers[0]'
    assert result['refused'][1]['msg'] == "numbers[2].number: %s" % result['refused'][1]['reason']
    assert [n['key'] for n in result['numbers']] == ['a']


# A number taken elsewhere between the read and the order ----------------------------------------------
TAKEN = dict(status='error', message='The selected number is no longer available')


def test_an_order_answered_taken_orders_the_next_free_number(api):
    add_list(api, RECEPTION)
    add_catalogue(api, available=(('m0', '441610000000'), ('m1', '441610000001')), destination=MANCHESTER,
                  direction_id=13756)
    add_sips(api)
    add_balance(api)
    api.post(ORDER, json=TAKEN)
    api.post(ORDER, json=success(number='441610000001'))
    api.put(SET_SIP, json=success())
    result = ok(dict(numbers=[dict(direction_id=13756, country='GB', sip_id='00002', key='office')]))
    orders = [params['number_id'] for _m, path, params in writes(api) if path == '/v1/direct_numbers/order/']
    assert orders == ['m0', 'm1']  # never m0 again, and one number for the entry
    assert result['ordered'] == ['441610000001'] and result['cost'] == 2.0
    assert [(n['key'], n['decision'], n['number']) for n in result['numbers']] == [('office', 'ordered', '441610000001')]


def test_an_order_answered_taken_adopts_the_number_this_account_owns_now(api):
    add_list(api, RECEPTION)
    add_catalogue(api, available=(('m0', '441610000000'),), destination=MANCHESTER, direction_id=13756)
    add_balance(api)
    api.post(ORDER, json=TAKEN)
    add_list(api, RECEPTION, owned('441610000000'))  # bought meanwhile by a run elsewhere for this account
    api.put(SET_SIP, json=success())
    result = ok(dict(numbers=[dict(direction_id=13756, country='GB', sip_id='manchester@pbx.example.com')]))
    assert [path for _m, path, _p in writes(api)] == ['/v1/direct_numbers/order/', '/v1/direct_numbers/set_sip_id/']
    assert result['ordered'] == [] and result['cost'] == 0
    assert [(n['decision'], n['number'], n['sip']) for n in result['numbers']] == [
        ('adopted', '441610000000', 'manchester@pbx.example.com')]


def test_an_exact_number_taken_elsewhere_fails_with_the_api_message(api):
    add_list(api)
    add_catalogue(api, available=(('m0', '441610000000'),), destination=MANCHESTER, direction_id=13756)
    add_balance(api)
    api.post(ORDER, json=TAKEN)
    result = failed(dict(numbers=[dict(number='441610000000', direction_id=13756, country='GB')]))
    assert 'no longer available' in result['msg']
    assert len(writes(api)) == 1


# Numbers read the same in every form -------------------------------------------------------------------
@pytest.mark.parametrize('written', ['442037691880', '+44 (20) 3769-1880', '(+44) 20-3769-1880', '0044 20 3769 1880',
                                     '00 44.20.3769.1880'])
def test_every_form_of_a_number_is_the_owned_number(api, written):
    add_list(api, RECEPTION)
    result = ok(dict(numbers=[entry(written, caller_name='Reception')]))
    assert [(n['number'], n['decision']) for n in result['numbers']] == [('442037691880', 'owned')]
    assert writes(api) == []


def test_a_national_number_fails_before_any_request(api):
    result = failed(dict(numbers=[entry('442037691880'), entry('020 3769 1880', caller_name='X')]))
    assert result['msg'].startswith("numbers[1].number: '020 3769 1880' is a national number")
    assert 'country code' in result['msg']
    assert len(api.calls) == 0
