# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Properties of the pure planner (hypothesis), over generated owned numbers and desired entries.

- applying a plan to a model of the API, then planning again, gives no write;
- no plan orders a number that is owned, or that another entry names or is given;
- an entry refused (by its own checks or by the planner) produces no write;
- planning is repeatable and leaves its inputs alone;
- the whole flow in check mode (reads, plan) shows what the real run then does against the model of the API,
  write for write; only a number bought in the run is compared without its dates and channels;
- every written form of a number (``+``, brackets, spaces, ``00``) gives the same plan.
Shrunk failures are pinned as ordinary tests at the end.
"""

from __future__ import annotations

import copy
import datetime
import re

import pytest

hypothesis = pytest.importorskip('hypothesis')
from hypothesis import given, settings, strategies as st  # noqa: E402  pylint: disable=wrong-import-position

from ansible_collections.zadarma.telephony.plugins.module_utils._api import Session  # noqa: E402
from ansible_collections.zadarma.telephony.plugins.module_utils._numbers import reconcile  # noqa: E402
from ansible_collections.zadarma.telephony.plugins.module_utils._planner import (  # noqa: E402
    ORDER_OPTIONS,
    PERIOD_MONTHS,
    SETTINGS_OPTIONS,
    plan_run,
)
from ansible_collections.zadarma.telephony.plugins.module_utils._values import API_DATETIME, add_months  # noqa: E402
from ansible_collections.zadarma.telephony.plugins.modules.zadarma_numbers import entries_from  # noqa: E402

SIPS = ('00001', '00002')
DESTINATIONS = {13755: ('4420', 'London'), 13756: ('44161', 'Manchester')}
SMS_DESTINATIONS = {13756}  # Manchester receives SMS, London does not (the per-number read gives null)
POOL = dict((did, ['%s%08d' % (prefix, index) for index in range(6)]) for did, (prefix, dummy) in DESTINATIONS.items())
ENTRY_KEYS = ('number', 'mask') + tuple(SETTINGS_OPTIONS) + tuple(ORDER_OPTIONS)


def destination_of(number):
    return next(did for did, (prefix, dummy) in DESTINATIONS.items() if number.startswith(prefix))


def record(number, sip=None, caller_name=None, autoprolongation=True, test_mode=False, channels=2, receive_sms=False,
           stop_date='2026-12-01 10:00:00'):
    """An owned number as the model holds it: the list's keys, plus receive_sms (None where there is no SMS)."""
    return dict(number=number, status='on', country='United Kingdom', sip=sip, sip_name=None, caller_name=caller_name,
                autoprolongation=autoprolongation, test_mode=test_mode, start_date='2026-01-01 10:00:00',
                stop_date=stop_date, monthly_fee=2.0, currency='USD', channels=channels, minutes=0, type='common',
                receive_sms=receive_sms if destination_of(number) in SMS_DESTINATIONS else None)


def listed(state):
    """The owned numbers as the API's list gives them (normalised): without receive_sms."""
    return dict((n, dict((k, v) for k, v in r.items() if k != 'receive_sms')) for n, r in state.items())


def destinations():
    return [dict(id=did, name=name, country_code='44', area_code=prefix[2:], connect_fee=0.0, monthly_fee=2.0,
                 currency='USD', documents_required=[], data_required=[], receive_sms=did in SMS_DESTINATIONS,
                 is_toll=False, feature=None) for did, (prefix, name) in sorted(DESTINATIONS.items())]


class Catalogue(object):
    """The account as the pure planner sees it: one country, two destinations, a pool of numbers."""

    def __init__(self, state):
        self.state = state

    def countries(self):
        return [dict(code='GB', dialing_code='44', name='United Kingdom')]

    def destinations(self, country):
        return destinations() if country == 'GB' else []

    def available(self, direction_id, mask=None):
        return [dict(id='id-%s' % number, direction_id=direction_id, number=number) for number in POOL[direction_id]
                if number not in self.state and (mask or '') in number]

    def validity(self, group_id, direction_id):
        return dict(information=True, documents_uploaded=True, documents_verified=True, address=True)

    def sip_ids(self):
        return set(SIPS)

    def balance(self):
        return dict(amount=1000.0, currency='USD')

    def receive_sms(self, number):
        return self.state[number]['receive_sms']


# A model of the API, answering the layers' requests in the API's raw words ---------------------------------
def flag(value):
    return None if value is None else 'true' if value else 'false'


class ModelApi(object):
    """What each request reads or does, over a copy of ``state``; ``writes`` lists the writes received."""

    def __init__(self, state):
        self.state = copy.deepcopy(state)
        self.writes = []

    def request(self, http_method, endpoint, params=None, file=None, before_resend=None, **options):
        params = dict(params or {})
        if http_method == 'GET':
            return self.read(endpoint, params)
        self.writes.append((http_method, endpoint, params))
        return self.write(endpoint, params)

    def raw(self, r):
        return dict(number=r['number'], status=r['status'], country=r['country'], sip=r['sip'] or '',
                    sip_name=r['sip_name'], number_name=r['caller_name'], autorenew=flag(r['autoprolongation']),
                    is_on_test=flag(r['test_mode']), start_date=r['start_date'], stop_date=r['stop_date'],
                    monthly_fee=r['monthly_fee'], currency=r['currency'], channels=r['channels'],
                    minutes=r['minutes'], type=r['type'])

    def read(self, endpoint, params):
        if endpoint == 'direct_numbers':
            return dict(info=[self.raw(r) for r in self.state.values()])
        if endpoint == 'direct_numbers/number':
            r = self.state[params['number']]
            return dict(info=dict(self.raw(r), number='+' + r['number'], receive_sms=flag(r['receive_sms'])))
        if endpoint == 'direct_numbers/countries':
            return dict(info=[dict(countryCodeIso='GB', countryCode='44', name='United Kingdom')])
        if endpoint == 'direct_numbers/country':
            return dict(info=[dict(id=str(d['id']), countryCode=d['country_code'], areaCode=d['area_code'],
                                   name=d['name'], connect_fee=d['connect_fee'], monthly_fee=d['monthly_fee'],
                                   currency='USD', restrictions=dict(upload=[], specify=[]),
                                   receive_sms=flag(d['receive_sms']), is_toll='false') for d in destinations()]
                        if params['country'] == 'GB' else [])
        if endpoint.startswith('direct_numbers/available/'):
            return dict(numbers=Catalogue(self.state).available(int(endpoint.rsplit('/', 1)[1]), params.get('mask')))
        if endpoint == 'sip':
            return dict(sips=[dict(id=sip) for sip in SIPS])
        if endpoint == 'info/balance':
            return dict(balance=1000.0, currency='USD')
        raise AssertionError('the model has no GET %s' % endpoint)

    def write(self, endpoint, params):
        if endpoint == 'direct_numbers/order':
            number = params['number_id'][len('id-'):]
            months = PERIOD_MONTHS[params['period']]
            stop = add_months(datetime.datetime.now().replace(microsecond=0), months).strftime(API_DATETIME)
            sms = params.get('receive_sms')
            self.state[number] = record(number, channels=2, stop_date=stop,  # 2: as the simulator gives
                                        receive_sms=None if sms is None else bool(sms))
            return dict(number=number)
        current = self.state[params['number']]
        if endpoint == 'direct_numbers/set_sip_id':
            current['sip'] = params['sip_id'] or None
            if params.get('test_mode') is not None:
                current['test_mode'] = params['test_mode'] == 'on'
        elif endpoint == 'direct_numbers/set_caller_name':
            current['caller_name'] = params['caller_name'] or None
        elif endpoint == 'direct_numbers/autoprolongation':
            current['autoprolongation'] = params['value'] == 'on'
        elif endpoint == 'direct_numbers/incoming_channels':
            current['channels'] = params['channels']
        elif endpoint == 'direct_numbers/receive_sms':
            assert current['receive_sms'] is not None, 'SMS turned %s on a number without SMS' % params['value']
            current['receive_sms'] = params['value'] == 'on'
        elif endpoint == 'direct_numbers/prolong':
            stop = datetime.datetime.strptime(current['stop_date'], API_DATETIME)
            current['stop_date'] = add_months(stop, params['months']).strftime(API_DATETIME)
            return dict(stop_date=current['stop_date'])
        else:
            raise AssertionError('the model has no write %s' % endpoint)
        return {}


def apply(plan, state):
    """The state after the plan's writes, as the model of the API makes it."""
    model = ModelApi(state)
    for write in [order.write for order in plan.orders] + [w for p in plan.entries for w in p.writes]:
        model.request(write.http_method, write.endpoint, write.params)
    return model.state


# Generated states and entries -------------------------------------------------------------------------------
ALL_NUMBERS = sorted(number for pool in POOL.values() for number in pool)
sip_values = st.sampled_from((None,) + SIPS + ('pbx@sip.example.com',))
owned_states = st.dictionaries(
    st.sampled_from(ALL_NUMBERS),
    st.fixed_dictionaries(dict(sip=sip_values, caller_name=st.sampled_from((None, 'Reception', 'Desk 2')),
                               autoprolongation=st.booleans(), test_mode=st.booleans(),
                               channels=st.sampled_from((1, 2)), receive_sms=st.booleans())),
    max_size=6,
).map(lambda found: dict((n, record(n, **values)) for n, values in found.items()))

settings_values = dict(
    sip_id=st.sampled_from((None, None) + SIPS + ('sip:pbx@sip.example.com', '00009', '123')),
    caller_name=st.sampled_from((None, 'Reception', '', 'Sales & Co', 'A' * 31)),
    autoprolongation=st.sampled_from((None, True, False)),
    test_mode=st.sampled_from((None, None, False, True)),
    channels=st.sampled_from((None, None, None, 1, 2, 0)),
    receive_sms=st.sampled_from((None, None, True, False)),
    paid_until=st.sampled_from((None, None, None, '2027-02-15', '2026-11-01')),
)


def spelled(number, form):
    """A written form of a number."""
    return ('+%s' % number, '00%s' % number, '+%s (%s) %s-%s' % (number[:2], number[2:4], number[4:8], number[8:]),
            number)[form]


@st.composite
def entries(draw):
    """Desired entries: owned or pool numbers in any form, or numberless orders by destination; some invalid."""
    result = []
    for dummy in range(draw(st.integers(0, 5))):
        values = dict((key, draw(strategy)) for key, strategy in settings_values.items())
        if draw(st.booleans()):
            digits = draw(st.sampled_from(ALL_NUMBERS))
            values['number'] = spelled(digits, draw(st.integers(0, 3)))
            if draw(st.booleans()):
                values['direction_id'] = destination_of(digits)
        else:
            values['direction_id'] = draw(st.sampled_from(sorted(DESTINATIONS)))
            values['sip_id'] = draw(st.sampled_from(SIPS + ('office@pbx.example.com',)))
        result.append(values)
    return result


def module_params(raw_entries):
    """The entries as AnsibleModule hands them over: every option present, defaults applied."""
    result = []
    for values in raw_entries:
        full = dict((key, None) for key in ENTRY_KEYS)
        full.update(documents_group_id=0, period='month', state='present', key=None)
        full.update(values)
        result.append(full)
    return result


def validated_and_refused(raw_entries):
    """As zadarma_numbers validates them: entries (None where refused, a number listed twice included)."""
    entries, refused = entries_from(module_params(raw_entries), fail_on_refusal=False)
    return entries, dict((index, why) for index, (dummy, why) in refused.items())


def validated(raw_entries):
    return validated_and_refused(raw_entries)[0]


def requests_of(plan):
    return ([('POST', o.write.endpoint, o.write.params) for o in plan.orders]
            + [(w.http_method, w.endpoint, w.params) for p in plan.entries for w in p.writes])


def plan_for(state, raw_entries):
    entries, refused = validated_and_refused(raw_entries)
    return plan_run(entries, listed(state), Catalogue(state), fail_on_refusal=False, refused=refused)


def run(state, raw_entries, check_mode):
    """The whole flow of zadarma_numbers (reads, plan, writes) against a model of the API in ``state``."""
    entries, refused = entries_from(module_params(raw_entries), fail_on_refusal=False)
    model = ModelApi(state)
    outcome = reconcile(Session(model), entries, check_mode=check_mode, fail_on_refusal=False, refused=refused)
    return outcome, model


def seen(outcome, ordered):
    """What a user is shown of a run. A number bought in the run is compared without what only the API knows
    once it is bought (PROVISIONAL), so a ``channels`` change check mode shows for it may not be needed."""
    def channels_of_bought(number, change):
        return number in ordered and change.startswith('set the incoming channels')

    numbers = [dict(((k, v) for k, v in item.items() if item['number'] not in ordered or k not in PROVISIONAL),
                    changes=[c for c in item['changes'] if not channels_of_bought(item['number'], c)])
               for item in outcome.numbers]
    after = dict((n, dict((k, v) for k, v in values.items() if n not in ordered or k not in PROVISIONAL))
                 for n, values in outcome.after.items())
    purchases = [p for p in outcome.purchases if not channels_of_bought(p['number'], p['summary'])]
    return dict(changed=outcome.changed, numbers=numbers, ordered=outcome.ordered, refused=outcome.refused,
                purchases=purchases, cost=outcome.cost, before=outcome.before, after=after)


# Of a number just bought, what only the API knows (check mode shows its best guess).
PROVISIONAL = ('start_date', 'stop_date', 'channels', 'status', 'country', 'sip_name', 'minutes', 'type')


# Properties -----------------------------------------------------------------------------------------------
@settings(max_examples=100, deadline=None)
@given(owned_states, entries())
def test_applying_the_plan_then_planning_again_writes_nothing(owned, raw_entries):
    plan = plan_for(owned, raw_entries)
    after = apply(plan, owned)
    again = plan_for(after, raw_entries)
    assert requests_of(again) == [], 'second plan still writes'


@settings(max_examples=100, deadline=None)
@given(owned_states, entries())
def test_no_order_of_an_owned_or_claimed_number(owned, raw_entries):
    plan = plan_for(owned, raw_entries)
    ordered = [order.number for order in plan.orders]
    assert len(ordered) == len(set(ordered)), 'one number ordered twice'
    assert not set(ordered) & set(owned), 'an owned number ordered'
    for order in plan.orders:
        others = set(p.number for p in plan.entries if p.index != order.index)
        named = set(e.number for i, e in enumerate(validated(raw_entries)) if e and e.number and i != order.index)
        assert order.number not in others | named, 'ordered a number another entry names or is given'


@settings(max_examples=100, deadline=None)
@given(owned_states, entries())
def test_a_refused_entry_writes_nothing(owned, raw_entries):
    built = validated(raw_entries)
    plan = plan_for(owned, raw_entries)
    refused = set(plan.refused) | set(i for i, e in enumerate(built) if e is None)
    assert not refused & set(o.index for o in plan.orders)
    assert not refused & set(p.index for p in plan.entries if p.writes)


@settings(max_examples=100, deadline=None)
@given(owned_states, entries())
def test_planning_is_repeatable_and_leaves_its_inputs_alone(owned, raw_entries):
    before = copy.deepcopy(owned)
    first = requests_of(plan_for(owned, raw_entries))
    assert owned == before
    assert requests_of(plan_for(owned, raw_entries)) == first


@settings(max_examples=100, deadline=None)
@given(owned_states, entries())
def test_the_check_mode_run_shows_what_the_real_run_does(state, raw_entries):
    check, check_model = run(state, raw_entries, check_mode=True)
    real, real_model = run(state, raw_entries, check_mode=False)
    assert check_model.writes == [], 'check mode wrote'
    assert seen(check, real.ordered) == seen(real, real.ordered)

    def changes(outcome):  # "set the incoming channels of N to 3 (from 2)": the "from" of a bought number is a guess
        return set(re.sub(r' \(from [^)]*\)$', '', change) for item in outcome.numbers for change in item['changes'])

    assert changes(real) <= changes(check), 'the real run did more than check mode showed'
    assert len(real_model.writes) == len(real.ordered) + sum(len(item['changes']) for item in real.numbers)


@settings(max_examples=100, deadline=None)
@given(owned_states, entries(), st.integers(0, 3))
def test_every_form_of_a_number_gives_the_same_plan(owned, raw_entries, form):
    def respelled(values):
        if not values.get('number'):
            return values
        digits = values['number'].replace('+', '').replace('(', '').replace(')', '').replace('-', '').replace(' ', '')
        digits = digits[2:] if digits.startswith('00') else digits
        return dict(values, number=spelled(digits, form))

    assert requests_of(plan_for(owned, [respelled(v) for v in raw_entries])) == requests_of(plan_for(owned, raw_entries))


# Shrunk failures, pinned ---------------------------------------------------------------------------------
def test_pinned_a_number_listed_twice_is_refused_not_ordered():
    raw = [dict(number='+4416100000000'), dict(number='+4416100000000', direction_id=13756)]
    plan = plan_for({}, raw)
    assert plan.orders == [] and plan.entries == []
    assert sorted(plan.refused) == [0, 1]  # 0: not owned, no direction_id; 1: already listed at numbers[0]


def test_pinned_two_numberless_entries_for_one_target_converge():
    owned = dict((n, record(n, autoprolongation=False)) for n in ('442000000001', '4416100000000'))
    raw = [dict(direction_id=13755, sip_id='00001'), dict(direction_id=13755, sip_id='00001', test_mode=True)]
    after = apply(plan_for(owned, raw), owned)
    assert requests_of(plan_for(after, raw)) == []


def test_pinned_a_numberless_entry_never_orders_a_number_another_entry_names():
    raw = [dict(number='+4416100000000'), dict(direction_id=13756, sip_id='00001')]
    plan = plan_for({}, raw)
    assert '4416100000000' not in [order.number for order in plan.orders]
    after = apply(plan, {})
    assert [r for r in requests_of(plan_for(after, raw)) if r[1] == 'direct_numbers/order'] == []


def test_pinned_check_mode_shows_no_sms_for_a_number_bought_where_there_is_none():
    raw = [dict(direction_id=13755, sip_id='00001', receive_sms=False)]  # London: no SMS
    check, dummy = run({}, raw, check_mode=True)
    real, dummy = run({}, raw, check_mode=False)
    assert check.numbers[0]['receive_sms'] is None and real.numbers[0]['receive_sms'] is None
