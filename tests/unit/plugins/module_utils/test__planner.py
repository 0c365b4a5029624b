# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the planner: Entry validation, settings_writes, adoption, orders, guards, documents, money.

No HTTP and no module: the account's state is a dict of raw API answers, read through the API layer's
normalisers by a recording stand-in client, so the tests also prove how many reads a plan costs.
"""

from __future__ import annotations

import copy
import datetime

import pytest

from ansible_collections.zadarma.telephony.plugins.module_utils import _planner as nums
from ansible_collections.zadarma.telephony.plugins.module_utils._api import (
    Session,
    Write,
    normalise_available,
    normalise_destination,
    normalise_number,
    owned_numbers,
)
from ansible_collections.zadarma.telephony.plugins.module_utils._numbers import AccountCatalogue
from ansible_collections.zadarma.telephony.plugins.module_utils._planner import (
    Entry,
    Refusal,
    Refusals,
    check_money,
    check_sip_known,
    choose_numbers,
    plan_run,
    settings_writes,
)

ENTRY_KEYS = ('number', 'mask') + tuple(nums.SETTINGS_OPTIONS) + tuple(nums.ORDER_OPTIONS)


def params(**values):
    """An entry's parameters as AnsibleModule hands them over: every option present, defaults applied."""
    result = dict((key, None) for key in ENTRY_KEYS)
    result.update(documents_group_id=0, period='month')
    result.update(values)
    return result


def entry(label='number', state='present', **values):
    values.setdefault('number', '442037691880')
    return Entry(params(**values), label, state)


def record(**changes):
    """A normalised owned number."""
    value = dict(number='442037691880', status='on', country='United Kingdom', sip='00001', sip_name='Reception',
                 caller_name='Reception', autoprolongation=True, test_mode=False, start_date='2026-02-10 10:00:00',
                 stop_date='2026-03-10 10:00:00', monthly_fee=2.0, currency='USD', channels=2, minutes=0,
                 type='common')
    value.update(changes)
    return value


def requests_of(writes):
    return [(w.http_method, w.endpoint, w.params) for w in writes]


# Entry validation ------------------------------------------------------------------------------------------
def test_entry_normalises_its_values():
    e = entry(number='+44 (20) 3769-1880', sip_id='sip:pbx@sip.example.com:5060', mask='+44 20', country='gb',
              paid_until='2026-05-01', caller_name='')
    assert e.number == '442037691880'
    assert (e.sip_kind, e.sip_id) == ('uri', 'pbx@sip.example.com:5060')
    assert e.mask == '4420'
    assert e.order['country'] == 'GB'
    assert e.paid_until == datetime.date(2026, 5, 1)
    assert e.caller_name == ''  # empty clears: kept, not turned into None
    assert e.settings_given()
    assert entry(sip_id='00002').sip_kind == 'sip_id'
    assert not entry().settings_given()


def test_entry_numberless_with_direction_and_sip_is_valid():
    e = Entry(params(direction_id=13755, sip_id='00001'), 'numbers[0]')
    assert e.number is None and e.order['direction_id'] == 13755


BAD_ENTRIES = [
    (dict(number='call me'), 'number', "'call me' is not a phone number in international format"),
    (dict(number='+44 20'), 'number', 'is not a phone number in international format'),
    (dict(number='4420376918801234567'), 'number', 'is not a phone number in international format'),
    (dict(sip_id='123'), 'sip_id', "'123' is neither a 5-digit SIP id of the account"),
    (dict(sip_id='pbx@'), 'sip_id', 'is neither a 5-digit SIP id'),
    (dict(caller_name='A' * 31), 'caller_name', 'must be at most 30 Latin letters, digits and spaces'),
    (dict(caller_name=u'M\u00fcller'), 'caller_name', 'must be at most 30 Latin letters, digits and spaces'),
    (dict(caller_name=u'\u041e\u0444\u0438\u0441'), 'caller_name', 'must be at most 30 Latin letters'),
    (dict(caller_name='Sales & Co'), 'caller_name', 'must be at most 30 Latin letters'),
    (dict(paid_until='tomorrow'), 'paid_until', "'tomorrow' is not a date in the form YYYY-MM-DD"),
    (dict(paid_until='2026-02-30'), 'paid_until', 'is not a date in the form YYYY-MM-DD'),
    (dict(paid_until='01.05.2026'), 'paid_until', 'is not a date in the form YYYY-MM-DD'),
    (dict(max_connect_fee=-0.01), 'max_connect_fee', 'must not be negative, got -0.01'),
    (dict(max_monthly_fee=-1.0), 'max_monthly_fee', 'must not be negative, got -1.0'),
    (dict(direction_id=0), 'direction_id', 'must be a positive destination id'),
    (dict(direction_id=-3766), 'direction_id', 'must be a positive destination id'),
    (dict(country='XX'), 'country', "'XX' is not an ISO 3166-1 alpha-2 country code"),
    (dict(number=None), 'number', 'give the number, or direction_id to choose one'),
    (dict(number=''), 'number', 'give the number, or direction_id to choose one'),
    (dict(number=None, direction_id=13755), 'sip_id', 'without an exact number, sip_id is required'),
]


@pytest.mark.parametrize('values, option, message', BAD_ENTRIES)
def test_entry_refuses_single(values, option, message):
    with pytest.raises(ValueError) as caught:
        entry(**values)
    assert str(caught.value).startswith(option + ': ')
    assert message in str(caught.value)


@pytest.mark.parametrize('values, option, message', BAD_ENTRIES)
def test_entry_refuses_bulk_with_prefix(values, option, message):
    with pytest.raises(ValueError) as caught:
        entry(label='numbers[3]', **values)
    assert str(caught.value).startswith('numbers[3].%s: ' % option)
    assert message in str(caught.value)


def test_entry_accepts_limits():
    assert entry(caller_name='A' * 30).caller_name == 'A' * 30
    assert entry(max_connect_fee=0.0, max_monthly_fee=0.0).order['max_monthly_fee'] == 0.0
    assert entry(direction_id=1).order['direction_id'] == 1
    assert entry(number='1234567').number == '1234567'


@pytest.mark.parametrize('setting', [
    dict(sip_id='00001'), dict(test_mode=False), dict(caller_name=''), dict(autoprolongation=True),
    dict(paid_until='2026-05-01'), dict(channels=1),
])
@pytest.mark.parametrize('label, prefix', [('number', 'state: '), ('numbers[3]', 'numbers[3].state: ')])
def test_entry_absent_takes_no_settings(setting, label, prefix):
    with pytest.raises(ValueError) as caught:
        entry(label=label, state='absent', **setting)
    assert str(caught.value).startswith(prefix + 'absent lets the number lapse; it takes no settings')


def test_entry_absent_accepts_order_options():
    # direction_id is harmless with absent: it never orders.
    assert entry(state='absent', direction_id=13755).state == 'absent'


# settings_writes (pure) ------------------------------------------------------------------------------------
def writes_and_after(current, an_entry):
    change = settings_writes(current, an_entry)
    return change.writes, change.after


def plan(current, **values):
    before = copy.deepcopy(current)
    change = settings_writes(current, entry(**values))
    assert current == before, 'settings_writes changed the record it was given'
    return change.writes, change.after


def test_plan_nothing_asked_nothing_written():
    writes, after = plan(record())
    assert writes == [] and after == record()


def test_plan_settings_as_they_are_no_writes():
    writes, after = plan(record(), sip_id='00001', test_mode=False, caller_name='Reception', autoprolongation=True,
                         paid_until='2026-03-01')
    assert writes == [] and after == record()


def test_plan_sip_change():
    writes, after = plan(record(), sip_id='00002')
    assert requests_of(writes) == [
        ('PUT', 'direct_numbers/set_sip_id', dict(number='442037691880', type='common', sip_id='00002'))]
    assert writes[0].cost is None
    assert writes[0].summary == 'route 442037691880 to 00002'
    assert after == record(sip='00002')


def test_plan_sip_uri():
    writes, after = plan(record(sip=None), sip_id='sip:pbx@sip.example.com')
    assert requests_of(writes) == [('PUT', 'direct_numbers/set_sip_id',
                                    dict(number='442037691880', type='common', sip_id='pbx@sip.example.com'))]
    assert after['sip'] == 'pbx@sip.example.com'
    assert plan(record(sip='pbx@sip.example.com'), sip_id='sip:pbx@sip.example.com')[0] == []


def test_plan_test_mode_only_resends_the_current_sip():
    writes, after = plan(record(), test_mode=True)
    assert requests_of(writes) == [('PUT', 'direct_numbers/set_sip_id',
                                    dict(number='442037691880', type='common', sip_id='00001', test_mode='on'))]
    assert 'test mode on' in writes[0].summary
    assert after == record(test_mode=True)


def test_plan_sip_and_test_mode_in_one_request():
    writes, after = plan(record(test_mode=True), sip_id='00003', test_mode=False)
    assert requests_of(writes) == [('PUT', 'direct_numbers/set_sip_id',
                                    dict(number='442037691880', type='common', sip_id='00003', test_mode='off'))]
    assert after == record(sip='00003', test_mode=False)


def test_plan_sip_change_keeps_test_mode_unsent_when_unset():
    writes, _after = plan(record(test_mode=True), sip_id='00002')
    assert 'test_mode' not in writes[0].params


@pytest.mark.parametrize('label, option', [('number', 'test_mode'), ('numbers[2]', 'numbers[2].test_mode')])
def test_plan_test_mode_on_unrouted_number_fails(label, option):
    with pytest.raises(ValueError) as caught:
        writes_and_after(record(sip=None), entry(label=label, test_mode=True))
    assert str(caught.value) == ('%s: test_mode needs a routing target and 442037691880 is not routed: set sip_id too'
                                 % option)


def test_plan_test_mode_unchanged_on_unrouted_number_is_fine():
    assert plan(record(sip=None), test_mode=False)[0] == []


def test_plan_test_mode_on_unrouted_number_with_sip_id():
    writes, _after = plan(record(sip=None), sip_id='00002', test_mode=True)
    assert writes[0].params == dict(number='442037691880', type='common', sip_id='00002', test_mode='on')


def test_plan_caller_name_set():
    writes, after = plan(record(), caller_name='Support')
    assert requests_of(writes) == [('PUT', 'direct_numbers/set_caller_name',
                                    dict(number='442037691880', type='common', caller_name='Support'))]
    assert after['caller_name'] == 'Support'


def test_plan_caller_name_cleared():
    writes, after = plan(record(), caller_name='')
    assert requests_of(writes) == [('PUT', 'direct_numbers/set_caller_name',
                                    dict(number='442037691880', type='common', caller_name=''))]
    assert after['caller_name'] is None


def test_plan_caller_name_empty_equals_none():
    assert plan(record(caller_name=None), caller_name='')[0] == []


def test_plan_caller_name_unset_is_not_touched():
    assert plan(record(caller_name='Reception'))[0] == []


@pytest.mark.parametrize('current, wanted, value', [(True, False, 'off'), (False, True, 'on'), (None, True, 'on')])
def test_plan_autoprolongation(current, wanted, value):
    writes, after = plan(record(autoprolongation=current), autoprolongation=wanted)
    assert requests_of(writes) == [('PUT', 'direct_numbers/autoprolongation',
                                    dict(number='442037691880', type='common', value=value))]
    assert after['autoprolongation'] is wanted


def test_plan_every_setting_in_order():
    writes, after = plan(record(), sip_id='00002', caller_name='Support', autoprolongation=False,
                         paid_until='2026-04-01')
    assert [w.endpoint for w in writes] == ['direct_numbers/set_sip_id', 'direct_numbers/set_caller_name',
                                            'direct_numbers/autoprolongation', 'direct_numbers/prolong']
    assert after == record(sip='00002', caller_name='Support', autoprolongation=False,
                           stop_date='2026-04-10 10:00:00')


@pytest.mark.parametrize('paid_until, months, stop_after', [
    ('2026-03-11', 1, '2026-04-10 10:00:00'),
    ('2026-04-10', 1, '2026-04-10 10:00:00'),   # Apr 10 10:00 is on that day
    ('2026-04-11', 2, '2026-05-10 10:00:00'),
    ('2026-05-01', 2, '2026-05-10 10:00:00'),
    ('2027-03-10', 12, '2027-03-10 10:00:00'),
])
def test_plan_paid_until_prolongs_the_fewest_months(paid_until, months, stop_after):
    writes, after = plan(record(), paid_until=paid_until)
    assert requests_of(writes) == [('POST', 'direct_numbers/prolong', dict(number='442037691880', months=months))]
    assert writes[0].cost == round(2.0 * months, 2)
    assert writes[0].currency == 'USD'
    assert writes[0].describe()['cost'] == writes[0].cost
    assert after['stop_date'] == stop_after


def test_plan_paid_until_cost_uses_the_monthly_fee():
    writes, _after = plan(record(monthly_fee=3.33, currency='EUR'), paid_until='2026-05-01')
    assert (writes[0].cost, writes[0].currency) == (6.66, 'EUR')


def test_plan_paid_until_month_end_clamps():
    writes, after = plan(record(stop_date='2026-01-31 10:00:00'), paid_until='2026-02-28')
    assert writes[0].params['months'] == 1
    assert after['stop_date'] == '2026-02-28 10:00:00'


@pytest.mark.parametrize('paid_until', ['2026-01-01', '2026-03-09'])
def test_plan_paid_until_already_reached_pays_nothing(paid_until):
    assert plan(record(), paid_until=paid_until)[0] == []


def test_plan_paid_until_on_the_stop_day_is_reached():
    # Dates are compared by day, as the module documents ("to or past that date") and test__values pins.
    assert plan(record(), paid_until='2026-03-10')[0] == []
    assert [w.params['months'] for w in plan(record(), paid_until='2026-03-11')[0]] == [1]


def test_plan_paid_until_too_far_fails():
    with pytest.raises(ValueError, match='more than 12 months after the current stop_date 2026-03-10 10:00:00'):
        writes_and_after(record(), entry(paid_until='2027-03-11'))


def test_plan_paid_until_too_far_names_the_entry_in_bulk():
    with pytest.raises(ValueError) as caught:
        writes_and_after(record(), entry(label='numbers[3]', paid_until='2027-03-11'))
    assert str(caught.value).startswith('numbers[3].paid_until: ')


@pytest.mark.parametrize('channels', [0, -1])
def test_entry_refuses_channels_below_one(channels):
    with pytest.raises(Refusal, match='^numbers\\[2\\].channels: must be 1 or more incoming channels, not %d$' % channels):
        entry('numbers[2]', channels=channels)


def test_plan_channels_only_where_different():
    assert settings_writes(record(channels=2), entry(channels=2)).writes == []
    assert settings_writes(record(channels=2), entry()).writes == []
    change = settings_writes(record(channels=2), entry(channels=4))
    assert requests_of(change.writes) == [('PUT', 'direct_numbers/incoming_channels',
                                           dict(number='442037691880', channels=4))]
    assert change.after['channels'] == 4 and change.writes[0].paid and change.writes[0].cost is None
    assert change.writes[0].summary == 'set the incoming channels of 442037691880 to 4 (from 2)'


def test_plan_channels_is_paid_but_needs_no_balance():
    account = Account([LIST_ITEM], london_answers())
    plan = plan_run([entry(channels=3)], account.owned, account.catalogue)
    assert [w.endpoint for w in plan.paid_writes] == ['direct_numbers/incoming_channels']
    check_money(plan, account.catalogue)
    check_money(plan, account.catalogue, user_id=7)  # not an order nor a prolongation of a sub-account's number
    assert [endpoint for endpoint, dummy in account.reads] == ['direct_numbers']


def test_plan_absent_turns_autoprolongation_off_once():
    writes, after = writes_and_after(record(), entry(state='absent'))
    assert requests_of(writes) == [('PUT', 'direct_numbers/autoprolongation',
                                    dict(number='442037691880', type='common', value='off'))]
    assert writes[0].summary == 'turn auto-renewal off for 442037691880: it lapses at 2026-03-10 10:00:00'
    assert after == record(autoprolongation=False)
    assert writes_and_after(after, entry(state='absent')) == ([], after)


def test_plan_absent_when_renewal_unknown_turns_it_off():
    writes, _after = writes_and_after(record(autoprolongation=None), entry(state='absent'))
    assert [w.params['value'] for w in writes] == ['off']


def test_plan_absent_already_off_nothing():
    current = record(autoprolongation=False)
    assert writes_and_after(current, entry(state='absent')) == ([], current)


@pytest.mark.parametrize('kind', ['common', 'order'])
def test_plan_sends_the_type_of_the_record(kind):
    writes, _after = plan(record(type=kind), sip_id='00002', caller_name='X', autoprolongation=False)
    assert [w.params['type'] for w in writes] == [kind] * 3
    writes, _after = writes_and_after(record(type=kind), entry(state='absent'))
    assert writes[0].params['type'] == kind


def test_plan_without_type_sends_none():
    writes, _after = plan(record(type=None), sip_id='00002', caller_name='X', autoprolongation=False)
    assert all('type' not in w.params for w in writes)


# Normalisation ----------------------------------------------------------------------------------------------
LIST_ITEM = dict(number='442037691880', status='on', country='United Kingdom', description='London',
                 number_name='Reception', sip='00001', sip_name='Reception', start_date='2026-02-10 10:00:00',
                 stop_date='2026-03-10 10:00:00', monthly_fee=2, currency='USD', channels=2, minutes=0,
                 autorenew='true', is_on_test='false', type='common')


def test_normalise_number_from_the_list():
    assert normalise_number(LIST_ITEM) == record(minutes=0)


def test_normalise_number_from_info_with_the_quirks():
    item = dict(LIST_ITEM, number='+442037691880', channels='2', autorenew='false', is_on_test='true',
                monthly_fee='2.00', number_name='', sip='', sip_name='')
    del item['minutes'], item['type']
    result = normalise_number(item)
    assert result['number'] == '442037691880'
    assert result['channels'] == 2 and result['monthly_fee'] == 2.0
    assert result['autoprolongation'] is False and result['test_mode'] is True
    assert result['caller_name'] is None and result['sip'] is None and result['sip_name'] is None
    assert result['minutes'] is None and result['type'] is None


@pytest.mark.parametrize('raw, value', [('true', True), ('false', False), ('on', True), ('off', False),
                                        (True, True), (False, False), (None, None), ('', None)])
def test_normalise_number_autorenew(raw, value):
    assert normalise_number(dict(LIST_ITEM, autorenew=raw))['autoprolongation'] is value


@pytest.mark.parametrize('raw, value', [('true', True), ('false', False), (None, False), ('', False), ('1', True)])
def test_normalise_number_test_mode_is_always_a_bool(raw, value):
    assert normalise_number(dict(LIST_ITEM, is_on_test=raw))['test_mode'] is value


def test_normalise_number_equal_records_compare_equal():
    assert normalise_number(LIST_ITEM) == normalise_number(dict(LIST_ITEM, number='+442037691880', channels='2',
                                                                monthly_fee='2.0', autorenew='on'))


def test_normalise_destination():
    item = dict(id='3766', countryCode='49', areaCode='30', name='Berlin', connect_fee='3.00', monthly_fee=4,
                currency='USD', restrictions=dict(upload=['passport'], specify=['address']), receive_sms='false',
                is_toll='false', feature=None, connect_time='0')
    assert normalise_destination(item) == dict(
        id=3766, name='Berlin', country_code='49', area_code='30', connect_fee=3.0, monthly_fee=4.0, currency='USD',
        documents_required=['passport'], data_required=['address'], receive_sms=False, is_toll=False, feature=None,
        connect_time='0')


def test_normalise_destination_without_restrictions():
    result = normalise_destination(dict(id=13755, restrictions=None, receive_sms='true', is_toll='true'))
    assert result['documents_required'] == [] and result['data_required'] == []
    assert result['receive_sms'] is True and result['is_toll'] is True
    assert normalise_destination(dict(id='1'))['documents_required'] == []


def test_normalise_available():
    assert normalise_available(dict(id='1712p0', direction_id='3766', number='+49 301 0000000')) == dict(
        id='1712p0', direction_id=3766, number='493010000000')


def test_managed_keys():
    assert nums.managed(record()) == dict(status='on', sip='00001', test_mode=False, caller_name='Reception',
                                          autoprolongation=True, stop_date='2026-03-10 10:00:00', channels=2)
    assert nums.managed(None) == {}


# Choosing numbers, on the account's state -----------------------------------------------------------------
COUNTRIES = [dict(countryCode='44', countryCodeIso='GB', name='United Kingdom'),
             dict(countryCode='1', countryCodeIso='US', name='United States'),
             dict(countryCode='1242', countryCodeIso='BS', name='Bahamas'),
             dict(countryCode='49', countryCodeIso='DE', name='Germany')]
GB = [dict(id='13755', countryCode='44', areaCode='20', name='London', connect_fee=0, monthly_fee=2, currency='USD',
           restrictions=dict(upload=[], specify=[])),
      dict(id='13756', countryCode='44', areaCode='161', name='Manchester', connect_fee=0, monthly_fee=2,
           currency='USD', restrictions=dict(upload=[], specify=[]))]
DE = [dict(id='3766', countryCode='49', areaCode='30', name='Berlin', connect_fee=3, monthly_fee=4, currency='USD',
           restrictions=dict(upload=['passport'], specify=['address']))]


def available(direction_id, *numbers):
    return dict(numbers=[dict(id='%dp%d' % (direction_id, i), direction_id=direction_id, number=n)
                         for i, n in enumerate(numbers)])


class Account(object):
    """The account's state as raw API answers keyed by endpoint; records every read (endpoint, params)."""

    def __init__(self, owned=(), answers=None, user_id=None):
        self.reads = []
        self.answers = dict(answers or {})
        self.answers.setdefault('direct_numbers', dict(info=list(owned)))
        self.catalogue = AccountCatalogue(Session(self), user_id)
        self.owned = owned_numbers(self)
        self.user_id = user_id

    def request(self, http_method, endpoint, params=None, file=None, before_resend=None):
        assert http_method == 'GET', 'the planner never writes'
        self.reads.append((endpoint, params))
        return self.answers[endpoint]

    def choose(self, entries, fail_fast=True):
        refusals = Refusals(fail_fast)
        choice = choose_numbers(entries, self.owned, self.catalogue, refusals, self.user_id)
        return choice, refusals.by_index


def owned_item(number, sip, **changes):
    return dict(LIST_ITEM, number=number, sip=sip, **changes)


def london_answers(*numbers, **extra):
    answers = {'direct_numbers/countries': dict(info=COUNTRIES), 'direct_numbers/country': dict(info=GB),
               'direct_numbers/available/13755': available(13755, *numbers), 'sip': dict(sips=[
                   dict(id='00001'), dict(id='00002')]), 'info/balance': dict(balance='100.00', currency='USD')}
    answers.update(extra)
    return answers


def test_owned_numbers_need_no_other_read():
    account = Account([LIST_ITEM])
    choice, refused = account.choose([entry(sip_id='00001')])
    assert choice.orders == {} and choice.numbers == {0: '442037691880'} and refused == {}
    assert account.reads == [('direct_numbers', None)]


def test_missing_without_direction():
    account = Account([LIST_ITEM])
    with pytest.raises(Refusal, match='number: 442030000042 is not owned by this account, and there is no direction_id'):
        account.choose([entry(number='442030000042'), entry(number='442037691880')])
    choice, refused = account.choose([entry(number='442030000042'), entry(number='442037691880')], fail_fast=False)
    assert choice.orders == {} and list(refused) == [0]
    assert (refused[0].option, refused[0].reason) == (
        'number', '442030000042 is not owned by this account, and there is no direction_id to order it')
    assert len(account.reads) == 1


def test_absent_never_orders():
    account = Account([])
    choice, refused = account.choose([entry(state='absent', direction_id=13755)])
    assert choice.orders == {} and refused == {} and len(account.reads) == 1


def test_orders_the_number_with_its_cost():
    account = Account([], london_answers('442030000041', '442030000042'))
    e = entry(number='442030000042', direction_id=13755, country='GB', period='3month', receive_sms=False)
    order = account.choose([e])[0].orders[0]
    write = order.write
    assert (write.http_method, write.endpoint) == ('POST', 'direct_numbers/order')
    assert write.params == dict(number_id='13755p1', direction_id=13755, documents_group_id=0, period='3month',
                                autorenew_period=None, purpose=None, receive_sms=0, user_id=None)
    assert (write.cost, write.currency, order.number) == (6.0, 'USD', '442030000042')
    assert write.summary == 'order 442030000042 in London (13755) for 3 month(s)'
    assert ('direct_numbers/available/13755', dict(mask='442030000042')) in account.reads
    assert ('direct_numbers/country', dict(country='GB')) in account.reads
    assert ('direct_numbers/countries', None) not in account.reads
    assert e.number == '442030000042' and e.order['direction_id'] == 13755  # the entry is not changed


def test_finds_the_country_from_the_longest_dialing_code():
    account = Account([], dict(london_answers(), **{'direct_numbers/available/1242': available(1242, '12423000001'),
                                                    'direct_numbers/country': dict(info=[dict(
                                                        id='1242', countryCode='1242', areaCode='3', name='Nassau',
                                                        connect_fee=1, monthly_fee=5, currency='USD')])}))
    account.choose([entry(number='12423000001', direction_id=1242)])
    assert ('direct_numbers/country', dict(country='BS')) in account.reads


def test_destination_not_found():
    account = Account([], london_answers(**{'direct_numbers/available/3766': available(3766)}))
    with pytest.raises(Refusal, match='direction_id: destination 3766 was not found in GB'):
        account.choose([Entry(params(number='442030000042', direction_id=3766), 'number')])
    with pytest.raises(Refusal) as caught:
        account.choose([Entry(params(number='442030000042', direction_id=3766), 'numbers[1]')])
    assert str(caught.value).startswith('numbers[1].direction_id: ')


def test_number_not_available():
    account = Account([], london_answers())
    with pytest.raises(Refusal) as caught:
        account.choose([Entry(params(number='442030000042', direction_id=13755), 'numbers[1]')])
    assert str(caught.value).startswith('numbers[1].number: 442030000042 is not available to order in destination '
                                        '13755 (it may have been taken)')


def test_no_number_left_to_choose():
    account = Account([], london_answers())
    with pytest.raises(Refusal, match='numbers\\[0\\].direction_id: destination 13755 has no number available to '
                                      'order; give country'):
        account.choose([Entry(params(direction_id=13755, sip_id='00001'), 'numbers[0]')])
    with pytest.raises(Refusal, match='numbers\\[0\\].number: no number is available to order in destination'):
        account.choose([Entry(params(direction_id=13755, sip_id='00001', country='GB'), 'numbers[0]')])


@pytest.mark.parametrize('guard, limit, message', [
    ('max_monthly_fee', 1.99, 'max_monthly_fee: the monthly fee of London is 2.00 USD, above the limit of 1.99'),
    ('max_connect_fee', 0.0, None),
    ('max_monthly_fee', 2.0, None),
])
def test_cost_guards(guard, limit, message):
    account = Account([], london_answers('442030000042'))
    e = entry(number='442030000042', direction_id=13755, country='GB', **{guard: limit})
    if message is None:
        assert list(account.choose([e])[0].orders) == [0]
    else:
        with pytest.raises(Refusal) as caught:
            account.choose([e])
        assert str(caught.value) == message
        assert (caught.value.option, caught.value.key) == (guard, None)


def test_adopts_an_owned_number_routed_to_the_target():
    account = Account([LIST_ITEM, owned_item('442030000001', '00002')], london_answers('442030000042'))
    entries = [Entry(params(direction_id=13755, country='GB', sip_id='00002'), 'numbers[0]'),
               Entry(params(direction_id=13755, country='GB', sip_id='00001'), 'numbers[1]')]
    choice = account.choose(entries)[0]
    assert choice.orders == {} and choice.adopted == {0, 1}
    assert choice.numbers == {0: '442030000001', 1: '442037691880'}
    assert [e.number for e in entries] == [None, None]  # the entries are not changed


def test_never_adopts_a_number_listed_elsewhere_nor_twice():
    account = Account([LIST_ITEM], london_answers('442030000041', '442030000042'))
    entries = [Entry(params(direction_id=13755, country='GB', sip_id=target), 'numbers[%d]' % i)
               for i, target in enumerate(('00001', '00002', 'pbx@sip.example.com'))]
    choice = account.choose(entries)[0]
    assert choice.numbers[0] == '442037691880'
    assert sorted(choice.orders) == [1, 2]
    assert [choice.orders[i].number for i in (1, 2)] == ['442030000041', '442030000042']  # never the same number
    # Listed explicitly elsewhere: not adopted.
    account = Account([LIST_ITEM], london_answers('442030000041'))
    entries = [Entry(params(direction_id=13755, country='GB', sip_id='00001'), 'numbers[0]'),
               Entry(params(number='442037691880', caller_name='X'), 'numbers[1]')]
    choice = account.choose(entries)[0]
    assert list(choice.orders) == [0] and choice.numbers[0] == '442030000041'


def test_never_orders_a_number_another_entry_names():
    account = Account([], london_answers('442030000041', '442030000042'))
    entries = [Entry(params(number='442030000041', direction_id=13755, country='GB'), 'numbers[0]'),
               Entry(params(direction_id=13755, country='GB', sip_id='00001'), 'numbers[1]')]
    choice = account.choose(entries)[0]
    assert [choice.orders[i].number for i in (0, 1)] == ['442030000041', '442030000042']
    # Even when the entry naming it is refused: the numberless one orders the next free number.
    entries[0] = Entry(params(number='442030000041'), 'numbers[0]')
    choice, refused = account.choose(entries, fail_fast=False)
    assert list(refused) == [0] and choice.orders[1].number == '442030000042'


@pytest.mark.parametrize('second', [
    dict(direction_id=13755, sip_id='00001', test_mode=True),
    dict(direction_id=13755, sip_id='00001', mask='42'),  # a number can match two masks
    dict(direction_id=1375, sip_id='00001'),  # a destination whose prefix (442) starts London's (4420)
])
def test_two_numberless_entries_that_could_adopt_the_same_numbers_refuse_the_later(second):
    wider = dict(id='1375', countryCode='44', areaCode='2', name='London wide', connect_fee=0, monthly_fee=2,
                 currency='USD', restrictions=dict(upload=[], specify=[]))
    account = Account([LIST_ITEM], london_answers('442030000041', **{'direct_numbers/country': dict(info=GB + [wider])}))
    entries = [Entry(params(direction_id=13755, country='GB', sip_id='00001'), 'numbers[0]'),
               Entry(params(country='GB', **second), 'numbers[1]')]
    choice, refused = account.choose(entries, fail_fast=False)
    assert choice.numbers == {0: '442037691880'} and choice.orders == {} and list(refused) == [1]
    assert str(refused[1]).startswith('numbers[1].number: numbers[0] also asks for a number of destination %s routed '
                                      'to 00001 without naming it' % second['direction_id'])
    assert str(refused[1]).endswith('give each entry its number, or route them to different targets')


def test_numberless_entries_of_other_targets_or_destinations_are_fine():
    account = Account([LIST_ITEM, owned_item('441610000001', '00001')], london_answers('442030000041'))
    entries = [Entry(params(direction_id=13755, country='GB', sip_id='00001'), 'numbers[0]'),
               Entry(params(direction_id=13756, country='GB', sip_id='00001'), 'numbers[1]'),
               Entry(params(direction_id=13755, country='GB', sip_id='00002'), 'numbers[2]')]
    choice, refused = account.choose(entries)
    assert refused == {} and choice.numbers == {0: '442037691880', 1: '441610000001', 2: '442030000041'}
    assert list(choice.orders) == [2]


# Shrunk failures of the planner's properties (branch chaos), pinned --------------------------------------------
def applied(plan, owned):
    """The owned numbers after the plan's orders and routing writes, as the API would leave them."""
    owned = copy.deepcopy(owned)
    for order in plan.orders:
        owned[order.number] = record(number=order.number, sip=None, caller_name=None)
    for write in [w for p in plan.entries for w in p.writes]:
        assert write.endpoint == 'direct_numbers/set_sip_id', 'this model only routes'
        owned[write.params['number']].update(sip=write.params['sip_id'])
        if write.params.get('test_mode') is not None:
            owned[write.params['number']]['test_mode'] = write.params['test_mode'] == 'on'
    return owned


def all_requests(plan):
    return [(o.write.http_method, o.write.endpoint, o.write.params) for o in plan.orders] + \
        requests_of([w for p in plan.entries for w in p.writes])


def pinned_account(owned):
    return Account([owned_item(n, None, autorenew='false') for n in owned], london_answers(
        '442030000041', '442030000042', **{'direct_numbers/available/13756': available(13756, '4416100000000',
                                                                                       '4416100000001')}))


def test_pinned_two_numberless_entries_for_one_target_converge():
    account = pinned_account(['442000000001', '4416100000000'])
    entries = [Entry(params(direction_id=13755, sip_id='00001'), 'numbers[0]'),
               Entry(params(direction_id=13755, sip_id='00001', test_mode=True), 'numbers[1]')]
    plan = plan_run(entries, account.owned, account.catalogue, fail_on_refusal=False)
    assert list(plan.refused) == [1] and plan.orders == []
    assert [(p.number, p.decision) for p in plan.entries] == [('442000000001', 'adopted')]
    again = plan_run(entries, applied(plan, account.owned), account.catalogue, fail_on_refusal=False)
    assert all_requests(again) == [] and list(again.refused) == [1]


def test_pinned_a_numberless_entry_never_orders_a_number_another_entry_names():
    account = pinned_account([])
    entries = [Entry(params(number='+4416100000000'), 'numbers[0]'),
               Entry(params(direction_id=13756, sip_id='00001'), 'numbers[1]')]
    plan = plan_run(entries, account.owned, account.catalogue, fail_on_refusal=False)
    assert [order.number for order in plan.orders] == ['4416100000001']
    again = plan_run(entries, applied(plan, account.owned), account.catalogue, fail_on_refusal=False)
    assert all_requests(again) == []


def test_does_not_adopt_another_destination_or_target():
    account = Account([owned_item('441610000001', '00001'), LIST_ITEM], london_answers('442030000041'))
    e = Entry(params(direction_id=13755, country='GB', sip_id='00002'), 'numbers[0]')
    assert list(account.choose([e])[0].orders) == [0]


def test_mask_limits_adoption_and_choice():
    account = Account([LIST_ITEM], london_answers('442030000042'))
    e = Entry(params(direction_id=13755, country='GB', sip_id='00001', mask='0000'), 'numbers[0]')
    assert account.choose([e])[0].orders[0].number == '442030000042'
    assert ('direct_numbers/available/13755', dict(mask='0000')) in account.reads


def test_documents_checked_for_a_destination_that_needs_them():
    answers = {'direct_numbers/country': dict(info=DE),
               'direct_numbers/available/3766': available(3766, '49301000000'),
               'documents/groups/valid/5': dict(is_information_match='false', is_documents_uploaded='false',
                                                is_documents_verified='false', is_address_match='false')}
    account = Account([], answers, user_id=1001)
    with pytest.raises(Refusal) as caught:
        account.choose([entry(number='49301000000', direction_id=3766, country='DE', documents_group_id=5)])
    assert str(caught.value) == (
        'documents_group_id: documents group 5 does not satisfy destination 3766 (Berlin): the group lacks the data '
        'the destination asks for (address); documents not uploaded (passport); the group\'s address is not in the '
        "destination's country; see zadarma.telephony.zadarma_document_group with direction_id=3766")
    assert ('documents/groups/valid/5', dict(direction_id=3766, user_id=1001)) in account.reads
    # Uploaded but not verified yet: the order goes ahead (Zadarma verifies after the order).
    answers['documents/groups/valid/5'] = dict(is_information_match='true', is_documents_uploaded='true',
                                               is_documents_verified='false', is_address_match='true')
    account = Account([], answers, user_id=1001)
    order = account.choose([entry(number='49301000000', direction_id=3766, country='DE', documents_group_id=5)])[0].orders[0]
    assert order.write.params['documents_group_id'] == 5 and order.write.params['user_id'] == 1001
    assert order.write.cost == 7.0


def test_no_document_read_without_requirements():
    account = Account([], london_answers('442030000042'))
    account.choose([entry(number='442030000042', direction_id=13755, country='GB')])
    assert not [r for r in account.reads if r[0].startswith('documents/')]


def test_sip_targets_checked_only_when_routed_to_an_account_sip():
    account = Account([LIST_ITEM], london_answers())
    ok_entry, uri_entry, same = entry(sip_id='00002'), entry(sip_id='pbx@sip.example.com'), entry(sip_id='00001')
    check_sip_known(uri_entry, settings_writes(record(), uri_entry), account.catalogue)
    check_sip_known(same, settings_writes(record(), same), account.catalogue)
    assert ('sip', None) not in account.reads
    check_sip_known(ok_entry, settings_writes(record(), ok_entry), account.catalogue)
    check_sip_known(ok_entry, settings_writes(record(), ok_entry), account.catalogue)
    assert account.reads.count(('sip', None)) == 1


def test_sip_target_unknown():
    account = Account([LIST_ITEM], london_answers())
    bad = Entry(params(number='442037691880', sip_id='00009', key='office9'), 'numbers[1]')
    with pytest.raises(Refusal) as caught:
        check_sip_known(bad, settings_writes(record(), bad), account.catalogue)
    assert str(caught.value) == 'numbers[1].sip_id: SIP id 00009 is not a SIP of this account; use one of: 00001, 00002'
    assert (caught.value.key, caught.value.option) == ('office9', 'sip_id')
    assert caught.value.reason == 'SIP id 00009 is not a SIP of this account; use one of: 00001, 00002'


def money_plan(*writes):
    return nums.Plan(nums.NumberChoice(), [], [nums.EntryPlan(0, entry(), '442037691880', 'owned', record(),
                                                              list(writes), record())], {})


def test_balance():
    account = Account([], london_answers(**{'info/balance': dict(balance='3.50', currency='USD')}))
    writes = [Write('POST', 'direct_numbers/order', {}, 'order A', cost=2.0, currency='USD'),
              Write('POST', 'direct_numbers/prolong', {}, 'prolong B', cost=1.5, currency='USD')]
    check_money(money_plan(*writes), account.catalogue)  # exactly the balance: fine
    with pytest.raises(Refusal) as caught:
        check_money(money_plan(*(writes + [Write('POST', 'direct_numbers/order', {}, 'order C', cost=0.01)])),
                    account.catalogue)
    assert str(caught.value) == ('the balance (3.50 USD) cannot pay for order A; prolong B; order C (3.51 USD); '
                                 'nothing was bought')
    assert account.reads.count(('info/balance', None)) == 1  # cached


def test_balance_not_read_when_free():
    account = Account([], london_answers())
    check_money(money_plan(Write('PUT', 'direct_numbers/set_sip_id', {}, 'route')), account.catalogue)
    assert ('info/balance', None) not in account.reads


def test_provisional_record_of_an_order():
    account = Account([], london_answers('442030000042'))
    e = entry(number='442030000042', direction_id=13755, country='GB', sip_id='00002', period='3month')
    plan_ = plan_run([e], account.owned, account.catalogue)
    (entry_plan,) = plan_.entries
    before, after = entry_plan.before, entry_plan.after
    assert entry_plan.decision == 'ordered'
    assert before['type'] == 'order' and before['sip'] is None and before['monthly_fee'] == 2.0
    stop = datetime.datetime.strptime(before['stop_date'], nums.API_DATETIME)
    start = datetime.datetime.strptime(before['start_date'], nums.API_DATETIME)
    assert stop == nums.add_months(start, 3)
    assert requests_of(entry_plan.writes) == [('PUT', 'direct_numbers/set_sip_id',
                                               dict(number='442030000042', type='order', sip_id='00002'))]
    assert after['sip'] == '00002'


# Money guards fail closed: every fee, limit, cost and balance is a finite amount of 0 or more ---------------
@pytest.mark.parametrize('limit', [float('nan'), float('inf'), -1.0])
@pytest.mark.parametrize('guard', ['max_monthly_fee', 'max_connect_fee'])
def test_a_limit_that_is_not_a_finite_amount_is_refused(guard, limit):
    with pytest.raises(Refusal) as caught:
        entry(label='numbers[0]', **{guard: limit})
    assert caught.value.option == guard and str(limit) in caught.value.reason


@pytest.mark.parametrize('fee', ['NaN', 'nan', 'inf', -1e9, -0.01, None])
@pytest.mark.parametrize('which', ['monthly_fee', 'connect_fee'])
def test_an_api_fee_that_is_not_a_finite_amount_refuses_the_order(which, fee):
    answers = london_answers('442030000042', **{'direct_numbers/country': dict(info=[dict(GB[0], **{which: fee})])})
    account = Account([], answers)
    with pytest.raises(Refusal) as caught:
        account.choose([entry(label='numbers[0]', number='442030000042', direction_id=13755, country='GB',
                              max_monthly_fee=5, max_connect_fee=5)])
    assert caught.value.option == 'direction_id'
    assert 'the %s of destination 13755 (London) from the API' % which.replace('_', ' ') in caught.value.reason
    assert ('is missing' if fee is None else repr(float(fee))) in caught.value.reason
    assert caught.value.reason.endswith('; nothing is ordered')


@pytest.mark.parametrize('fee', [None, float('nan'), -2.0, float('inf')])
def test_a_prolongation_without_a_finite_fee_is_refused(fee):
    with pytest.raises(Refusal) as caught:
        settings_writes(record(monthly_fee=fee), entry(label='numbers[1]', paid_until='2026-04-01'))
    assert caught.value.option == 'paid_until'
    assert 'the monthly fee of 442037691880' in caught.value.reason


def test_a_free_prolongation_stays_a_paid_write():
    change = settings_writes(record(monthly_fee=0.0), entry(paid_until='2026-04-01'))
    assert [w.cost for w in change.writes] == [0.0]
    plan_ = money_plan(*change.writes)
    assert plan_.paid_writes == change.writes
    account = Account([], london_answers())
    check_money(plan_, account.catalogue)
    assert ('info/balance', None) in account.reads  # the balance check runs
    with pytest.raises(Refusal) as caught:  # and the user_id refusal
        check_money(plan_, account.catalogue, user_id=1001)
    assert caught.value.option == 'user_id'


@pytest.mark.parametrize('balance', [None, '', 'NaN', 'inf', '-5.00'])
def test_a_balance_that_is_not_a_finite_amount_refuses_the_run(balance):
    account = Account([], london_answers(**{'info/balance': dict(balance=balance, currency='USD')}))
    with pytest.raises(Refusal) as caught:
        check_money(money_plan(Write('POST', 'direct_numbers/order', {}, 'order A', cost=2.0)), account.catalogue)
    assert str(caught.value).startswith("the account's balance from the API is")
    assert str(caught.value).endswith('; nothing was bought')


@pytest.mark.parametrize('cost', [float('nan'), -100.0, None])
def test_a_cost_that_is_not_a_finite_amount_never_offsets_another(cost):
    account = Account([], london_answers(**{'info/balance': dict(balance='3.00', currency='USD')}))
    writes = [Write('POST', 'direct_numbers/order', {}, 'order A', cost=50.0),
              Write('POST', 'direct_numbers/order', {}, 'order B', cost=cost)]
    plan_ = money_plan(*writes)
    if cost is None:  # a write without a cost is free: not a paid write, and order A alone is above the balance
        plan_ = money_plan(writes[0])
    with pytest.raises(Refusal) as caught:
        check_money(plan_, account.catalogue)
    assert 'nothing was bought' in str(caught.value)
