# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reconciling owned numbers: shared by zadarma_number (one) and zadarma_numbers (many).

The flow, whatever the count, costs O(1) reads:
1. read the owned numbers once;
2. validate every entry and plan it: settings writes for owned numbers, an order for the others;
3. check what needs the account: SIP ids against the SIP list, cost guards, document validity and the
   balance against the total cost -- all before the first write;
4. send the orders, read the owned numbers again once if anything was bought, then send the settings.
Orders and prolongations are POSTs: the client never repeats them after an ambiguous failure, and a
re-run finds a bought number owned (step 1) instead of buying it again.
"""

from __future__ import annotations

import datetime

from ansible_collections.zadarma.telephony.plugins.module_utils._base import Write
from ansible_collections.zadarma.telephony.plugins.module_utils._values import (
    API_DATETIME,
    add_months,
    check_caller_name,
    check_country,
    check_date,
    check_non_negative,
    check_number,
    Invalid,
    check_sip_target,
    empty_to_none,
    months_to_reach,
    number_digits,
    on_off,
    to_bool,
    to_float,
    to_int,
)

SETTINGS_OPTIONS = dict(
    sip_id=dict(type='str'),
    test_mode=dict(type='bool'),
    caller_name=dict(type='str'),
    autoprolongation=dict(type='bool'),
    paid_until=dict(type='str'),
)

ORDER_OPTIONS = dict(
    direction_id=dict(type='int'),
    country=dict(type='str'),
    documents_group_id=dict(type='int', default=0),
    period=dict(type='str', choices=['month', '3month'], default='month'),
    autorenew_period=dict(type='str', choices=['month', 'year']),
    receive_sms=dict(type='bool'),
    purpose=dict(type='str'),
    max_connect_fee=dict(type='float'),
    max_monthly_fee=dict(type='float'),
)

PERIOD_MONTHS = dict(month=1, **{'3month': 3})

# The keys a diff shows: what the modules manage.
MANAGED_KEYS = ('status', 'sip', 'test_mode', 'caller_name', 'autoprolongation', 'stop_date')


def normalize_number(item):
    """One owned number from the list or the info method, in the collection's words and types."""
    return dict(
        number=number_digits(item.get('number')),
        status=item.get('status'),
        country=item.get('country'),
        sip=empty_to_none(item.get('sip')),
        sip_name=empty_to_none(item.get('sip_name')),
        caller_name=empty_to_none(item.get('number_name')),
        autoprolongation=to_bool(item.get('autorenew')),
        test_mode=bool(to_bool(item.get('is_on_test'))),
        start_date=item.get('start_date'),
        stop_date=item.get('stop_date'),
        monthly_fee=to_float(item.get('monthly_fee')),
        currency=item.get('currency'),
        channels=to_int(item.get('channels')),
        minutes=to_int(item.get('minutes')),
        type=item.get('type'),
    )


def normalize_destination(item):
    restrictions = item.get('restrictions') or {}
    return dict(
        id=to_int(item.get('id')),
        name=item.get('name'),
        country_code=item.get('countryCode'),
        area_code=item.get('areaCode'),
        connect_fee=to_float(item.get('connect_fee')),
        monthly_fee=to_float(item.get('monthly_fee')),
        currency=item.get('currency'),
        documents_required=list(restrictions.get('upload') or []),
        data_required=list(restrictions.get('specify') or []),
        receive_sms=to_bool(item.get('receive_sms')),
        is_toll=to_bool(item.get('is_toll')),
        feature=item.get('feature'),
        connect_time=item.get('connect_time'),
    )


def normalize_available(item):
    return dict(id=item.get('id'), direction_id=to_int(item.get('direction_id')), number=number_digits(item.get('number')))


def read_owned(zm):
    """{digits: normalised record} of every owned number: one request."""
    items = zm.read('direct_numbers').get('info') or []
    return dict((record['number'], record) for record in (normalize_number(item) for item in items))


def managed(record):
    return dict((key, record.get(key)) for key in MANAGED_KEYS) if record else {}


class Refusal(ValueError):
    """Why one entry cannot be applied: its key, the bare option name and the reason.

    ``str()`` gives the full message, the option prefixed by the entry's label (``numbers[3].sip_id: ...``).
    """

    def __init__(self, label, option, reason, key=None):
        self.label, self.option, self.reason, self.key = label, option, reason, key
        super(Refusal, self).__init__('%s: %s' % (option if label == 'number' else '%s.%s' % (label, option), reason))

    @property
    def msg(self):
        return str(self)


class Entry(object):
    """One validated request: which number (or which destination to pick one from) and its settings."""

    def __init__(self, params, label, state='present'):
        self.label = label  # 'number' or 'numbers[3]': prefixes every message about this entry
        self.key = params.get('key')  # opaque, echoed back in every result about this entry
        self.state = state
        try:
            self._validate(params, state)
        except Invalid as exc:
            raise self.refusal(exc.option, exc.reason)

    def refusal(self, option, reason):
        return Refusal(self.label, option, reason, self.key)

    def _validate(self, params, state):
        self.number = check_number(params['number'], 'number') if params.get('number') else None
        self.mask = number_digits(params.get('mask')) or None
        self.sip_id = None
        if params.get('sip_id') is not None:
            self.sip_kind, self.sip_id = check_sip_target(params['sip_id'], 'sip_id')
        self.test_mode = params.get('test_mode')
        self.caller_name = params.get('caller_name')
        if self.caller_name is not None:
            check_caller_name(self.caller_name, 'caller_name')
        self.autoprolongation = params.get('autoprolongation')
        self.paid_until = check_date(params['paid_until'], 'paid_until') if params.get('paid_until') else None
        self.order = dict((key, params.get(key)) for key in ORDER_OPTIONS)
        if self.order['country']:
            self.order['country'] = check_country(self.order['country'], 'country')
        for key in ('max_connect_fee', 'max_monthly_fee'):
            check_non_negative(self.order[key], key)
        if self.order['direction_id'] is not None and self.order['direction_id'] <= 0:
            raise Invalid('direction_id', 'must be a positive destination id')
        if self.number is None and self.order['direction_id'] is None:
            raise Invalid('number', 'give the number, or direction_id to choose one')
        if self.number is None and self.sip_id is None:
            raise Invalid('sip_id', 'without an exact number, sip_id is required: a number of the destination already '
                          'routed to that target is adopted instead of buying another')
        if state == 'absent' and (self.settings_given() or self.paid_until):
            raise Invalid('state', 'absent lets the number lapse; it takes no settings (sip_id, test_mode, '
                          'caller_name, autoprolongation, paid_until)')

    def settings_given(self):
        return any(value is not None for value in (self.sip_id, self.test_mode, self.caller_name, self.autoprolongation))

    def adoptable(self, record, destination):
        """An owned number in the entry's destination, routed to the entry's target or to nothing at all.

        The unrouted case is what makes a crash or an ambiguous order safe: a number bought by a run that
        died before routing it rings nowhere, and the re-run adopts it instead of buying another.
        """
        prefix = (destination.get('country_code') or '') + (destination.get('area_code') or '')
        return record['sip'] in (self.sip_id, None) and record['status'] != 'parking' and \
            record['number'].startswith(prefix) and (self.mask is None or self.mask in record['number'])


def plan_settings(record, entry):
    """The writes that bring an owned number to the entry's settings, and the record after them (pure)."""
    number, after, writes = record['number'], dict(record), []
    per_number = dict(number=number)
    if record.get('type'):
        per_number['type'] = record['type']  # the vendor's guide sends it; the spec does not list it
    if entry.state == 'absent':
        if record['autoprolongation'] is not False:
            writes.append(Write('PUT', 'direct_numbers/autoprolongation', dict(per_number, value='off'),
                                'turn auto-renewal off for %s: it lapses at %s' % (number, record['stop_date'])))
            after['autoprolongation'] = False
        return writes, after

    route_to = entry.sip_id if entry.sip_id is not None else record['sip']
    if (entry.sip_id is not None and entry.sip_id != record['sip']) or \
            (entry.test_mode is not None and entry.test_mode != record['test_mode']):
        if route_to is None:
            raise entry.refusal('test_mode', 'test_mode needs a routing target and %s is not routed: set sip_id too'
                                % number)
        params = dict(per_number, sip_id=route_to)
        if entry.test_mode is not None:
            params['test_mode'] = on_off(entry.test_mode)
            after['test_mode'] = entry.test_mode
        writes.append(Write('PUT', 'direct_numbers/set_sip_id', params, 'route %s to %s%s' % (
            number, route_to, '' if entry.test_mode is None else ', test mode %s' % on_off(entry.test_mode))))
        after['sip'] = route_to
    if entry.caller_name is not None and (entry.caller_name or None) != record['caller_name']:
        writes.append(Write('PUT', 'direct_numbers/set_caller_name', dict(per_number, caller_name=entry.caller_name),
                            'set the caller name of %s to %r' % (number, entry.caller_name)))
        after['caller_name'] = entry.caller_name or None
    if entry.autoprolongation is not None and entry.autoprolongation != record['autoprolongation']:
        writes.append(Write('PUT', 'direct_numbers/autoprolongation',
                            dict(per_number, value=on_off(entry.autoprolongation)),
                            'turn auto-renewal %s for %s' % (on_off(entry.autoprolongation), number)))
        after['autoprolongation'] = entry.autoprolongation
    if entry.paid_until is not None:
        stop = datetime.datetime.strptime(record['stop_date'], API_DATETIME)
        try:
            months = months_to_reach(stop, entry.paid_until)
        except ValueError as exc:
            raise entry.refusal('paid_until', str(exc))
        if months:
            cost = round(months * (record['monthly_fee'] or 0.0), 2)
            params = dict(number=number, months=months)
            writes.append(Write('POST', 'direct_numbers/prolong', params, 'prolong %s by %d month(s) to reach %s'
                                % (number, months, entry.paid_until), cost=cost, currency=record['currency']))
            after['stop_date'] = add_months(stop, months).strftime(API_DATETIME)  # until the API says (apply)
    return writes, after


class NumberEngine(object):
    """Fetch, compare and apply for a set of entries, with every read cached for the run."""

    def __init__(self, zm, fail_on_refusal=True, refused=None):
        self.zm = zm
        self.fail_on_refusal = fail_on_refusal
        self.refused = dict(refused or {})  # entry index -> its Refusal (with fail_on_refusal false)
        self.adopted = set()  # indexes of the entries that adopted an owned number
        self._cache = {}
        self.owned = read_owned(zm)

    def attempt(self, index, plan, *args):
        """Plan one entry; a refusal fails the module, or (fail_on_refusal false) sets the entry aside."""
        try:
            return plan(*args)
        except Refusal as refusal:
            if self.fail_on_refusal:
                self.zm.fail(str(refusal))
            self.refused[index] = refusal
            return None

    def _read_once(self, key, method, params=None):
        if key not in self._cache:
            self._cache[key] = self.zm.read(method, params)
        return self._cache[key]

    def sip_ids(self):
        return set(sip.get('id') for sip in self._read_once('sips', 'sip').get('sips') or [])

    def balance(self):
        body = self._read_once('balance', 'info/balance')
        return to_float(body.get('balance')), body.get('currency')

    def available(self, direction_id, mask=None):
        body = self._read_once(('available', direction_id, mask), 'direct_numbers/available/%d' % direction_id,
                               dict(mask=mask) if mask else None)
        return [normalize_available(item) for item in body.get('numbers') or []]

    def destination(self, direction_id, country=None, number=None):
        """The destination's fees and requirements; the country comes from the entry or the number's code."""
        candidates = [country] if country else self._countries_for(number)
        for iso in candidates:
            body = self._read_once(('country', iso), 'direct_numbers/country', dict(country=iso))
            for item in body.get('info') or []:
                if to_int(item.get('id')) == direction_id:
                    return normalize_destination(item)
        raise ValueError('destination %d was not found in %s; list them with '
                         'zadarma.telephony.zadarma_number_info country=<ISO code>'
                         % (direction_id, ', '.join(candidates) or 'any country matching the number'))

    def _countries_for(self, number):
        countries = self._read_once('countries', 'direct_numbers/countries').get('info') or []
        matches = [c for c in countries if number and number.startswith(str(c.get('countryCode')))]
        longest = max([len(str(c.get('countryCode'))) for c in matches] or [0])
        return [c.get('countryCodeIso') for c in matches if len(str(c.get('countryCode'))) == longest]

    def validity(self, group_id, direction_id):
        params = dict(direction_id=direction_id, user_id=self.zm.user_id)
        body = self._read_once(('valid', group_id, direction_id), 'documents/groups/valid/%d' % group_id, params)
        return dict((key, to_bool(body.get('is_%s' % key))) for key in
                    ('information_match', 'documents_uploaded', 'documents_verified', 'address_match'))

    # Planning ------------------------------------------------------------------------------------
    def plan_orders(self, entries):
        """Give every present entry an owned number (adopted) or an order. Returns {entry index: order Write}."""
        orders, taken = {}, set(self.owned)
        adopted = set(entry.number for entry in entries if entry and entry.number)  # never adopt one listed elsewhere
        for index, entry in enumerate(entries):
            if entry is not None and entry.state == 'present' and not (entry.number and entry.number in self.owned):
                chosen = entry.number
                order = self.attempt(index, self.plan_entry_order, entry, taken, adopted)
                if order is None and chosen is None and entry.number is not None:
                    self.adopted.add(index)
                if order is not None:
                    taken.add(order.number)
                    orders[index] = order
        return orders

    def plan_entry_order(self, entry, taken, adopted):
        """The order for an entry whose number is not owned, or None when it adopts an owned one."""
        if entry.order['direction_id'] is None:
            raise entry.refusal('number', '%s is not owned by this account, and there is no direction_id to order it'
                                % entry.number)
        destination = self.destination_for(entry)
        if entry.number is None:
            owned = sorted((r for n, r in self.owned.items() if n not in adopted and entry.adoptable(r, destination)),
                           key=lambda r: (r['sip'] != entry.sip_id, r['number']))  # routed to the target first
            if owned:
                entry.number = owned[0]['number']
                adopted.add(entry.number)
                return None
        free = [c for c in self.available(destination['id'], entry.number or entry.mask) if c['number'] not in taken]
        order = self.plan_order(entry, destination, free)
        entry.number = order.number
        return order

    def destination_for(self, entry):
        """The entry's destination. Its country comes from the entry, else from a number's country code."""
        direction_id = entry.order['direction_id']
        number = entry.number
        if not entry.order['country'] and not number:
            candidates = self.available(direction_id, entry.mask)
            number = candidates[0]['number'] if candidates else None
            if not number:
                raise entry.refusal('direction_id', 'destination %d has no number available to order%s; give country '
                                    'to look it up' % (direction_id,
                                    ' matching mask %s' % entry.mask if entry.mask else ''))
        try:
            return self.destination(direction_id, entry.order['country'], number)
        except ValueError as exc:
            raise entry.refusal('direction_id', str(exc))

    def plan_order(self, entry, destination, free):
        """The order of the entry's number (or of the first free one), after the cost and document checks."""
        direction_id = destination['id']
        choice = [c for c in free if c['number'] == entry.number] if entry.number else free[:1]
        if not choice:
            raise entry.refusal('number', '%s available to order in destination %d (it may have been taken); see '
                                'zadarma.telephony.zadarma_number_info direction_id=%d'
                                % ('%s is not' % entry.number if entry.number else 'no number is',
                                direction_id, direction_id))
        choice = choice[0]
        self._check_guards(entry, destination)
        self._check_documents(entry, destination)
        order = entry.order
        months = PERIOD_MONTHS[order['period']]
        cost = round((destination['connect_fee'] or 0.0) + months * (destination['monthly_fee'] or 0.0), 2)
        params = dict(number_id=choice['id'], direction_id=direction_id, documents_group_id=order['documents_group_id'],
                      period=order['period'], autorenew_period=order['autorenew_period'], purpose=order['purpose'],
                      receive_sms=None if order['receive_sms'] is None else int(order['receive_sms']),
                      user_id=self.zm.user_id)
        summary = 'order %s in %s (%d) for %d month(s)' % (choice['number'], destination['name'], direction_id, months)
        write = Write('POST', 'direct_numbers/order', params, summary, cost=cost, currency=destination['currency'])
        write.number, write.destination = choice['number'], destination
        return write

    def settings_plan(self, entries, orders):
        """[(index, entry, record before, writes, record after)] for every entry that has (or will have) a number."""
        plan = []
        for index, entry in enumerate(entries):
            if entry is None or index in self.refused:
                continue
            record = self.owned.get(entry.number) or (provisional_record(orders[index]) if index in orders else None)
            if record is not None:
                planned = self.attempt(index, plan_settings, record, entry)
                if planned is not None:
                    plan.append((index, entry, record) + planned)
        return plan

    def _check_guards(self, entry, destination):
        for fee, guard in (('connect_fee', 'max_connect_fee'), ('monthly_fee', 'max_monthly_fee')):
            limit = entry.order[guard]
            if limit is not None and (destination[fee] or 0.0) > limit:
                raise entry.refusal(guard, 'the %s of %s is %.2f %s, above the limit of %.2f'
                                    % (fee.replace('_', ' '), destination['name'],
                                    destination[fee], destination['currency'], limit))

    def _check_documents(self, entry, destination):
        if not (destination['documents_required'] or destination['data_required']):
            return
        group_id = entry.order['documents_group_id']
        validity = self.validity(group_id, destination['id'])
        unmet = []
        if validity['information_match'] is False:
            unmet.append('the group lacks the data the destination asks for (%s)' % ', '.join(destination['data_required']))
        if validity['documents_uploaded'] is False:
            unmet.append('documents not uploaded (%s)' % ', '.join(destination['documents_required']))
        if validity['address_match'] is False:
            unmet.append("the group's address is not in the destination's country")
        if unmet:
            raise entry.refusal('documents_group_id', 'documents group %d does not satisfy destination %d (%s): %s; see '
                             'zadarma.telephony.zadarma_document_group with direction_id=%d'
                             % (group_id, destination['id'], destination['name'],
                                '; '.join(unmet), destination['id']))

    def check_sip_target(self, entry, writes):
        """A 5-digit SIP id that the entry routes to must be a SIP of the account (the SIP list is read once)."""
        if entry.sip_id and entry.sip_kind == 'sip_id' and any(w.method == 'direct_numbers/set_sip_id' for w in writes):
            if entry.sip_id not in self.sip_ids():
                raise entry.refusal('sip_id', 'SIP id %s is not a SIP of this account (see GET /v1/sip/); use one of: %s'
                                    % (entry.sip_id, ', '.join(sorted(self.sip_ids())) or 'none'))

    def check_balance(self, writes):
        cost = round(sum(w.cost or 0.0 for w in writes), 2)
        if cost <= 0:
            return
        balance, currency = self.balance()
        if balance is not None and cost > balance:
            raise ValueError('the balance (%.2f %s) cannot pay for %s (%.2f %s); nothing was bought'
                             % (balance, currency, '; '.join(w.summary for w in writes if w.cost), cost, currency))


def provisional_record(order_write):
    """What a number just ordered looks like before the API is read again (check mode)."""
    destination = order_write.destination
    now = datetime.datetime.now().replace(microsecond=0)
    months = PERIOD_MONTHS[order_write.params['period']]
    return dict(number=order_write.number, status='on', country=None, sip=None, sip_name=None, caller_name=None,
                autoprolongation=True, test_mode=False, start_date=now.strftime(API_DATETIME),
                stop_date=add_months(now, months).strftime(API_DATETIME), monthly_fee=destination['monthly_fee'],
                currency=destination['currency'], channels=None, minutes=None, type='order')


def reconcile(zm, entries, fail_on_refusal=True, refused=None):
    """The whole flow for validated entries; every check runs before the first write. Returns the result.

    An entry refused by a check (not owned and nothing to order it with, not available, a cost guard, the
    documents, a SIP id, its settings) fails the module, or with fail_on_refusal false is left out and reported.
    """
    engine = NumberEngine(zm, fail_on_refusal, dict((i, why) for i, (_number, why) in (refused or {}).items()))
    orders = engine.plan_orders(entries)
    plan = engine.settings_plan(entries, orders)
    for index, entry, record, writes, after in plan:
        engine.attempt(index, engine.check_sip_target, entry, writes)
    plan = [item for item in plan if item[0] not in engine.refused]
    orders = dict((index, order) for index, order in orders.items() if index not in engine.refused)
    money = list(orders.values()) + [w for p in plan for w in p[3] if w.cost]
    if zm.user_id is not None and money:
        zm.fail('user_id: the API cannot list a sub-account\'s numbers (GET /v1/direct_numbers/ takes no user_id), '
                'so a number ordered or prolonged for user %d could not be found again and a re-run would pay twice. '
                'Nothing was bought: order or prolong with the sub-account\'s own API key. Would have done: %s'
                % (zm.user_id, '; '.join(w.summary for w in money)))
    zm.check(engine.check_balance, money)

    zm.apply(list(orders.values()))
    if orders and not zm.check_mode:
        engine.owned = read_owned(zm)  # the bought numbers as the API now reports them
        plan = [p for p in engine.settings_plan(entries, orders) if p[0] not in engine.refused]
    ordered = dict((w.number, w) for w in orders.values())
    purchases = [dict(w.describe(), number=n, action='order') for n, w in ordered.items()]
    numbers, before, after = [], {}, {}
    for index, entry, record, writes, after_record in plan:
        for write, response in zip(writes, zm.apply(writes)):
            if response and response.get('stop_date'):
                after_record['stop_date'] = response['stop_date']  # the API's word on a prolongation
                if response['stop_date'][:10] < str(entry.paid_until):
                    zm.module.warn('the API extended %s only to %s, short of paid_until %s: its months are shorter '
                                   'than calendar months, and a re-run would prolong again'
                                   % (entry.number, response['stop_date'], entry.paid_until))
        purchases.extend(dict(w.describe(), number=entry.number, action='prolong') for w in writes if w.cost)
        if writes or entry.number in ordered:
            before[entry.number] = {} if entry.number in ordered else managed(record)
            after[entry.number] = managed(after_record)
        spent = [w.cost for w in writes if w.cost] + ([orders[index].cost] if index in orders else [])
        decision = 'ordered' if index in orders else 'adopted' if index in engine.adopted else 'owned'
        numbers.append(dict(after_record, index=index, key=entry.key, decision=decision,
                            cost=round(float(sum(spent)), 2), changes=[w.summary for w in writes]))
    numbers_of = dict((i, number) for i, (number, _why) in (refused or {}).items())
    refused = [dict(index=index, key=why.key, number=entries[index].number if entries[index] else numbers_of[index],
                    option=why.option, reason=why.reason, msg=why.msg)
               for index, why in sorted(engine.refused.items())]
    return dict(numbers=numbers, ordered=sorted(ordered), refused=refused, purchases=purchases,
                cost=round(sum(p['cost'] for p in purchases), 2), before=before, after=after)
