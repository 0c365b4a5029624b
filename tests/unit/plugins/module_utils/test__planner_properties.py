# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Properties of the pure planner (hypothesis), over generated owned numbers and desired entries.

- applying a plan to a model of the API, then planning again, gives no write;
- no plan orders a number that is owned, or that another entry names or is given;
- an entry refused (by its own checks or by the planner) produces no write;
- planning is repeatable and leaves its inputs alone (the check-mode plan is the real plan);
- every written form of a number (``+``, brackets, spaces, ``00``) gives the same plan.
Shrunk failures are pinned as ordinary tests at the end.
"""

from __future__ import annotations

import copy

import pytest

hypothesis = pytest.importorskip('hypothesis')
from hypothesis import given, settings, strategies as st  # noqa: E402  pylint: disable=wrong-import-position

from ansible_collections.zadarma.telephony.plugins.module_utils._planner import (  # noqa: E402
    ORDER_OPTIONS,
    SETTINGS_OPTIONS,
    plan_run,
)
from ansible_collections.zadarma.telephony.plugins.modules.zadarma_numbers import entries_from  # noqa: E402

SIPS = ('00001', '00002')
DESTINATIONS = {13755: ('4420', 'London'), 13756: ('44161', 'Manchester')}
POOL = dict((did, ['%s%08d' % (prefix, index) for index in range(6)]) for did, (prefix, dummy) in DESTINATIONS.items())
ENTRY_KEYS = ('number', 'mask') + tuple(SETTINGS_OPTIONS) + tuple(ORDER_OPTIONS)


class Catalogue(object):
    """The account's catalogue as the planner sees it: one country, two destinations, a pool of numbers."""

    def __init__(self, owned):
        self.owned = owned

    def countries(self):
        return [dict(code='GB', dialing_code='44', name='United Kingdom')]

    def destinations(self, country):
        return [dict(id=did, name=name, country_code='44', area_code=prefix[2:], connect_fee=0.0, monthly_fee=2.0,
                     currency='USD', documents_required=[], data_required=[], receive_sms=False, is_toll=False,
                     feature=None) for did, (prefix, name) in sorted(DESTINATIONS.items())] if country == 'GB' else []

    def available(self, direction_id, mask=None):
        return [dict(id='id-%s' % number, direction_id=direction_id, number=number) for number in POOL[direction_id]
                if number not in self.owned and (mask or '') in number]

    def validity(self, group_id, direction_id):
        return dict(information=True, documents_uploaded=True, documents_verified=True, address=True)

    def sip_ids(self):
        return set(SIPS)

    def balance(self):
        return dict(amount=1000.0, currency='USD')


def record(number, sip=None, caller_name=None, autoprolongation=True, test_mode=False):
    return dict(number=number, status='on', country='United Kingdom', sip=sip, sip_name=None, caller_name=caller_name,
                autoprolongation=autoprolongation, test_mode=test_mode, start_date='2026-01-01 10:00:00',
                stop_date='2026-12-01 10:00:00', monthly_fee=2.0, currency='USD', channels=2, minutes=0, type='common')


def destination_of(number):
    return next(did for did, (prefix, dummy) in DESTINATIONS.items() if number.startswith(prefix))


# A model of the API: what each write does to the owned numbers --------------------------------------------
def apply(plan, owned):
    owned = copy.deepcopy(owned)
    for order in plan.orders:
        owned[order.number] = record(order.number)
    for entry_plan in plan.entries:
        for write in entry_plan.writes:
            params = write.params
            current = owned[params['number']]
            if write.endpoint == 'direct_numbers/set_sip_id':
                current['sip'] = params['sip_id'] or None
                if params.get('test_mode') is not None:
                    current['test_mode'] = params['test_mode'] == 'on'
            elif write.endpoint == 'direct_numbers/set_caller_name':
                current['caller_name'] = params['caller_name'] or None
            elif write.endpoint == 'direct_numbers/autoprolongation':
                current['autoprolongation'] = params['value'] == 'on'
            else:
                raise AssertionError('the model has no %s' % write.endpoint)
    return owned


# Generated states and entries -------------------------------------------------------------------------------
ALL_NUMBERS = sorted(number for pool in POOL.values() for number in pool)
sip_values = st.sampled_from((None,) + SIPS + ('pbx@sip.example.com',))
owned_states = st.dictionaries(
    st.sampled_from(ALL_NUMBERS),
    st.fixed_dictionaries(dict(sip=sip_values, caller_name=st.sampled_from((None, 'Reception', 'Desk 2')),
                               autoprolongation=st.booleans(), test_mode=st.booleans())),
    max_size=6,
).map(lambda found: dict((n, record(n, **values)) for n, values in found.items()))

settings_values = dict(
    sip_id=st.sampled_from((None, None) + SIPS + ('sip:pbx@sip.example.com', '00009', '123')),
    caller_name=st.sampled_from((None, 'Reception', '', 'Sales & Co', 'A' * 31)),
    autoprolongation=st.sampled_from((None, True, False)),
    test_mode=st.sampled_from((None, None, False, True)),
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


def plan_for(owned, raw_entries):
    entries, refused = validated_and_refused(raw_entries)
    return plan_run(entries, owned, Catalogue(owned), fail_on_refusal=False, refused=refused)


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
