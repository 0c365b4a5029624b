# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Planning owned numbers: the desired entries and the account's state in, named plans and refusals out.

Pure: no request, no Ansible, no module. The account's state comes as ``owned`` (the normalised owned numbers)
and a *catalogue*, any object that answers ``countries()``, ``destinations(country)``,
``available(direction_id, mask)``, ``validity(group_id, direction_id)``, ``sip_ids()``, ``balance()`` and
``receive_sms(number)`` (the one setting the list of owned numbers lacks) with normalised records (see
``_api``); the run reads them lazily, the tests answer from dicts.
An entry that cannot be applied raises :class:`Refusal` (the entry's key, the bare option, the reason);
:class:`Refusals` decides whether that stops the plan or sets the entry aside. Entries are never changed.
"""

from __future__ import annotations

import datetime
import math

from dataclasses import dataclass, field

from ansible_collections.zadarma.telephony.plugins.module_utils._api import (
    Write,
    autoprolongation_write,
    caller_name_write,
    channels_write,
    order_write,
    prolong_write,
    receive_sms_write,
    route_write,
)
from ansible_collections.zadarma.telephony.plugins.module_utils._values import (
    API_DATETIME,
    Invalid,
    add_months,
    check_amount,
    check_caller_name,
    check_country,
    check_date,
    check_number,
    check_sip_target,
    months_to_reach,
    number_digits,
    on_off,
)

SETTINGS_OPTIONS = dict(
    sip_id=dict(type='str'),
    test_mode=dict(type='bool'),
    caller_name=dict(type='str'),
    autoprolongation=dict(type='bool'),
    paid_until=dict(type='str'),
    channels=dict(type='int'),
    receive_sms=dict(type='bool'),
)

ORDER_OPTIONS = dict(
    direction_id=dict(type='int'),
    country=dict(type='str'),
    documents_group_id=dict(type='int', default=0),
    period=dict(type='str', choices=['month', '3month'], default='month'),
    autorenew_period=dict(type='str', choices=['month', 'year']),
    purpose=dict(type='str'),
    max_connect_fee=dict(type='float'),
    max_monthly_fee=dict(type='float'),
)

PERIOD_MONTHS = dict(month=1, **{'3month': 3})

# The keys a diff shows: what the modules manage. receive_sms only where it was read (set by the entry).
MANAGED_KEYS = ('status', 'sip', 'test_mode', 'caller_name', 'autoprolongation', 'stop_date', 'channels',
                'receive_sms')


def managed(record):
    return dict((key, record[key]) for key in MANAGED_KEYS if key in record) if record else {}


# Refusals ----------------------------------------------------------------------------------------
class Refusal(ValueError):
    """Why an entry (or, with no label, the run) cannot be applied: key, bare option name and reason.

    ``str()`` is the full message: the option prefixed by the entry's label (``numbers[3].sip_id: ...``);
    the single-number module's label is ``number``, whose options need no prefix.
    """

    def __init__(self, label, option, reason, key=None):
        self.label, self.option, self.reason, self.key = label, option, reason, key
        where = option if label in (None, 'number') else '%s.%s' % (label, option)
        super(Refusal, self).__init__('%s: %s' % (where, reason) if where else reason)

    @property
    def msg(self):
        return str(self)


class Refusals(object):
    """The refused entries of a run: with ``fail_fast`` the first refusal is raised, else it is set aside."""

    def __init__(self, fail_fast=True, refused=None):
        self.fail_fast = fail_fast
        self.by_index = dict(refused or {})  # entry index -> Refusal

    def attempt(self, index, plan, *args):
        """plan(*args), or None when it refuses the entry (set aside)."""
        try:
            return plan(*args)
        except Refusal as refusal:
            if self.fail_fast:
                raise
            self.by_index[index] = refusal
            return None

    def __contains__(self, index):
        return index in self.by_index


# Entries -----------------------------------------------------------------------------------------
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
        self.sip_id = self.sip_kind = None
        if params.get('sip_id') is not None:
            self.sip_kind, self.sip_id = check_sip_target(params['sip_id'], 'sip_id')
        self.test_mode = params.get('test_mode')
        self.caller_name = params.get('caller_name')
        if self.caller_name is not None:
            check_caller_name(self.caller_name, 'caller_name')
        self.autoprolongation = params.get('autoprolongation')
        self.paid_until = check_date(params['paid_until'], 'paid_until') if params.get('paid_until') else None
        self.channels = params.get('channels')
        if self.channels is not None and self.channels < 1:
            raise Invalid('channels', 'must be 1 or more incoming channels, not %d' % self.channels)
        self.receive_sms = params.get('receive_sms')
        self.order = dict((key, params.get(key)) for key in ORDER_OPTIONS)
        if self.order['country']:
            self.order['country'] = check_country(self.order['country'], 'country')
        for key in ('max_connect_fee', 'max_monthly_fee'):
            check_amount(self.order[key], key)
        if self.order['direction_id'] is not None and self.order['direction_id'] <= 0:
            raise Invalid('direction_id', 'must be a positive destination id')
        if self.number is None and self.order['direction_id'] is None:
            raise Invalid('number', 'give the number, or direction_id to choose one')
        if self.number is None and self.sip_id is None:
            raise Invalid('sip_id', 'without an exact number, sip_id is required: a number of the destination already '
                          'routed to that target is adopted instead of buying another')
        if state == 'absent' and (self.settings_given() or self.paid_until):
            raise Invalid('state', 'absent lets the number lapse; it takes no settings (sip_id, test_mode, '
                          'caller_name, autoprolongation, paid_until, channels, receive_sms)')

    def settings_given(self):
        settings = (self.sip_id, self.test_mode, self.caller_name, self.autoprolongation, self.channels,
                    self.receive_sms)
        return any(value is not None for value in settings)

    def adoptable(self, record, destination):
        """An owned number in the entry's destination, routed to the entry's target or to nothing at all.

        The unrouted case is what makes a crash or an ambiguous order safe: a number bought by a run that
        died before routing it rings nowhere, and the re-run adopts it instead of buying another.
        """
        prefix = (destination.get('country_code') or '') + (destination.get('area_code') or '')
        return record['sip'] in (self.sip_id, None) and record['status'] != 'parking' and \
            record['number'].startswith(prefix) and (self.mask is None or self.mask in record['number'])


# Money -------------------------------------------------------------------------------------------
def amount(value, what, refuse):
    """A fee, cost or balance: a finite number that is not negative, else ``refuse(reason)`` is raised."""
    if value is None:
        raise refuse('%s is missing' % what)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise refuse('%s is %r, not a number' % (what, value))
    if not math.isfinite(number) or number < 0:
        raise refuse('%s is %r, not a finite amount of 0 or more' % (what, value))
    return number


# Plans -------------------------------------------------------------------------------------------
@dataclass
class SettingsChange:
    """The writes that bring one owned number to an entry's settings, and the record after them."""
    writes: list
    after: dict
    routes: bool = False  # whether a write routes the number (sends sip_id)


@dataclass
class OrderPlan:
    """The order of one entry: the number chosen, its destination and the write (with its cost)."""
    index: int
    number: str
    destination: dict
    write: Write


@dataclass
class NumberChoice:
    """Which number each present entry gets: owned already, adopted, or ordered."""
    numbers: dict = field(default_factory=dict)   # entry index -> number
    adopted: set = field(default_factory=set)     # entry indexes that adopt an owned number
    orders: dict = field(default_factory=dict)    # entry index -> OrderPlan


@dataclass
class EntryPlan:
    """One entry's number, its record before (provisional when ordered), its settings writes and the record after."""
    index: int
    entry: Entry
    number: str
    decision: str  # ordered, adopted or owned
    before: dict
    writes: list
    after: dict


def settings_writes(record, entry):
    """The settings writes for an owned number (or one about to be ordered) and the record after them."""
    number, after, writes = record['number'], dict(record), []
    if entry.state == 'absent':
        if record['autoprolongation'] is not False:
            writes.append(autoprolongation_write(record, 'off', 'turn auto-renewal off for %s: it lapses at %s'
                                                 % (number, record['stop_date'])))
            after['autoprolongation'] = False
        return SettingsChange(writes, after)

    routes = False
    route_to = entry.sip_id if entry.sip_id is not None else record['sip']
    if (entry.sip_id is not None and entry.sip_id != record['sip']) or \
            (entry.test_mode is not None and entry.test_mode != record['test_mode']):
        if route_to is None:
            raise entry.refusal('test_mode', 'test_mode needs a routing target and %s is not routed: set sip_id too'
                                % number)
        test_mode = None if entry.test_mode is None else on_off(entry.test_mode)
        writes.append(route_write(record, route_to, test_mode, 'route %s to %s%s' % (
            number, route_to, '' if test_mode is None else ', test mode %s' % test_mode)))
        after['sip'], routes = route_to, True
        if test_mode is not None:
            after['test_mode'] = entry.test_mode
    if entry.caller_name is not None and (entry.caller_name or None) != record['caller_name']:
        writes.append(caller_name_write(record, entry.caller_name, 'set the caller name of %s to %r'
                                        % (number, entry.caller_name)))
        after['caller_name'] = entry.caller_name or None
    if entry.autoprolongation is not None and entry.autoprolongation != record['autoprolongation']:
        writes.append(autoprolongation_write(record, on_off(entry.autoprolongation), 'turn auto-renewal %s for %s'
                                             % (on_off(entry.autoprolongation), number)))
        after['autoprolongation'] = entry.autoprolongation
    if entry.channels is not None and entry.channels != record['channels']:
        writes.append(channels_write(record, entry.channels, 'set the incoming channels of %s to %d (from %s)'
                                     % (number, entry.channels, record['channels'])))
        after['channels'] = entry.channels
    if entry.receive_sms and record.get('receive_sms') is None:  # the API reads null: its destination has no SMS
        raise entry.refusal('receive_sms', '%s cannot receive SMS: the API reports no SMS for it (its destination '
                            'has none, see destinations[].receive_sms of zadarma.telephony.zadarma_number_info)'
                            % number)
    if entry.receive_sms is not None and record.get('receive_sms') not in (None, entry.receive_sms):
        writes.append(receive_sms_write(record, on_off(entry.receive_sms), entry.order['documents_group_id'],
                                        'turn SMS reception %s for %s' % (on_off(entry.receive_sms), number)))
        after['receive_sms'] = entry.receive_sms
    if entry.paid_until is not None:
        stop = datetime.datetime.strptime(record['stop_date'], API_DATETIME)
        try:
            months = months_to_reach(stop, entry.paid_until)
        except ValueError as exc:
            raise entry.refusal('paid_until', str(exc))
        if months:
            fee = amount(record['monthly_fee'], "the monthly fee of %s (from the API's list of owned numbers)" % number,
                         lambda reason: entry.refusal('paid_until', reason + '; nothing is prolonged'))
            writes.append(prolong_write(record, months, 'prolong %s by %d month(s) to reach %s'
                                        % (number, months, entry.paid_until), round(months * fee, 2)))
            after['stop_date'] = add_months(stop, months).strftime(API_DATETIME)  # until the API says (apply)
    return SettingsChange(writes, after, routes)


def destination_of(entry, catalogue):
    """The entry's destination. Its country comes from the entry, else from a number's dialing code."""
    direction_id = entry.order['direction_id']
    number = entry.number
    if not entry.order['country'] and not number:
        candidates = catalogue.available(direction_id, entry.mask)
        number = candidates[0]['number'] if candidates else None
        if not number:
            raise entry.refusal('direction_id', 'destination %d has no number available to order%s; give country to '
                                'look it up' % (direction_id, ' matching mask %s' % entry.mask if entry.mask else ''))
    if entry.order['country']:
        countries = [entry.order['country']]
    else:
        matches = [c for c in catalogue.countries() if number.startswith(str(c['dialing_code']))]
        longest = max([len(str(c['dialing_code'])) for c in matches] or [0])
        countries = [c['code'] for c in matches if len(str(c['dialing_code'])) == longest]
    for country in countries:
        for destination in catalogue.destinations(country):
            if destination['id'] == direction_id:
                return destination
    raise entry.refusal('direction_id', 'destination %d was not found in %s; list them with '
                        'zadarma.telephony.zadarma_number_info country=<ISO code>'
                        % (direction_id, ', '.join(countries) or 'any country matching the number'))


def check_fee_guards(entry, destination):
    """The destination's fees must be amounts the API really gave, and within the entry's limits."""
    fees = {}
    for fee, guard in (('connect_fee', 'max_connect_fee'), ('monthly_fee', 'max_monthly_fee')):
        fees[fee] = amount(destination[fee], "the %s of destination %d (%s) from the API"
                           % (fee.replace('_', ' '), destination['id'], destination['name']),
                           lambda reason: entry.refusal('direction_id', reason + '; nothing is ordered'))
        limit = entry.order[guard]
        if limit is not None and fees[fee] > limit:
            raise entry.refusal(guard, 'the %s of %s is %.2f %s, above the limit of %.2f'
                                % (fee.replace('_', ' '), destination['name'], fees[fee], destination['currency'], limit))
    return fees


def check_documents(entry, destination, catalogue):
    """A destination that asks for documents or data: the entry's group must satisfy it (unverified is fine)."""
    if not (destination['documents_required'] or destination['data_required']):
        return
    group_id = entry.order['documents_group_id']
    validity = catalogue.validity(group_id, destination['id'])
    unmet = []
    if validity['information'] is False:
        unmet.append('the group lacks the data the destination asks for (%s)' % ', '.join(destination['data_required']))
    if validity['documents_uploaded'] is False:
        unmet.append('documents not uploaded (%s)' % ', '.join(destination['documents_required']))
    if validity['address'] is False:
        unmet.append("the group's address is not in the destination's country")
    if unmet:
        raise entry.refusal('documents_group_id', 'documents group %d does not satisfy destination %d (%s): %s; see '
                            'zadarma.telephony.zadarma_document_group with direction_id=%d'
                            % (group_id, destination['id'], destination['name'], '; '.join(unmet), destination['id']))


def plan_order(index, entry, number, destination, free, user_id):
    """The order of the entry's number (or of the first free one), after the cost and document checks."""
    direction_id = destination['id']
    choice = [c for c in free if c['number'] == number] if number else free[:1]
    if not choice:
        raise entry.refusal('number', '%s available to order in destination %d (it may have been taken); see '
                            'zadarma.telephony.zadarma_number_info direction_id=%d'
                            % ('%s is not' % number if number else 'no number is', direction_id, direction_id))
    choice = choice[0]
    fees = check_fee_guards(entry, destination)
    if entry.receive_sms and not destination['receive_sms']:
        raise entry.refusal('receive_sms', 'numbers of %s (%d) cannot receive SMS; nothing is ordered'
                            % (destination['name'], direction_id))
    order = entry.order
    months = PERIOD_MONTHS[order['period']]
    cost = round(fees['connect_fee'] + months * fees['monthly_fee'], 2)
    params = dict(number_id=choice['id'], direction_id=direction_id, documents_group_id=order['documents_group_id'],
                  period=order['period'], autorenew_period=order['autorenew_period'], purpose=order['purpose'],
                  receive_sms=None if entry.receive_sms is None else int(entry.receive_sms), user_id=user_id)
    summary = 'order %s in %s (%d) for %d month(s)' % (choice['number'], destination['name'], direction_id, months)
    return OrderPlan(index, choice['number'], destination,
                     order_write(choice['number'], params, summary, cost, destination['currency']))


def choose_numbers(entries, owned, catalogue, refusals, user_id=None, unavailable=()):
    """Give every present entry a number: its own when owned, an owned one adopted, or one to order.

    A numberless entry never adopts nor orders a number that another entry names: the next run would give
    that number to the entry naming it and buy another for the numberless one. Two numberless entries whose
    adoption could reach the same numbers (one routing target, destinations of which one's prefix starts the
    other's) are not told apart by the owned numbers: which one adopts which number could change from run to
    run, rewriting their settings every time. The later one is refused, whatever its mask (a number can match
    two masks), so the outcome depends on the entries alone; naming the numbers, or routing the entries to
    different targets, is always stable.
    ``unavailable``: numbers never to order (an order for them was refused: taken elsewhere).
    """
    choice = NumberChoice()
    taken = set(owned) | set(unavailable)
    listed = set(entry.number for entry in entries if entry and entry.number)  # never adopt one listed elsewhere
    claims = []  # (sip_id, prefix, label) of the numberless entries so far
    for index, entry in enumerate(entries):
        if entry is None or index in refusals:
            continue
        if entry.number and (entry.number in owned or entry.state == 'absent'):
            choice.numbers[index] = entry.number
            continue
        if entry.state == 'absent':
            continue
        picked = refusals.attempt(index, _choose_one, index, entry, owned, catalogue, taken, listed, claims, user_id)
        if isinstance(picked, OrderPlan):
            taken.add(picked.number)
            choice.orders[index] = picked
            choice.numbers[index] = picked.number
        elif picked is not None:
            listed.add(picked)
            choice.adopted.add(index)
            choice.numbers[index] = picked
    return choice


def _choose_one(index, entry, owned, catalogue, taken, listed, claims, user_id):
    """An adopted owned number (its digits) or an OrderPlan, for an entry whose number is not owned."""
    if entry.order['direction_id'] is None:
        raise entry.refusal('number', '%s is not owned by this account, and there is no direction_id to order it'
                            % entry.number)
    destination = destination_of(entry, catalogue)
    if entry.number is None:
        check_claim(entry, destination, claims)
        adoptable = sorted((r for n, r in owned.items() if n not in listed and entry.adoptable(r, destination)),
                           key=lambda r: (r['sip'] != entry.sip_id, r['number']))  # routed to the target first
        if adoptable:
            return adoptable[0]['number']
    blocked = taken if entry.number else taken | listed
    free = [c for c in catalogue.available(destination['id'], entry.number or entry.mask) if c['number'] not in blocked]
    planned = plan_order(index, entry, entry.number, destination, free, user_id)
    check_documents(entry, destination, catalogue)
    return planned


def check_claim(entry, destination, claims):
    """Refuse a numberless entry that could adopt the numbers of an earlier one (see ``choose_numbers``)."""
    prefix = (destination.get('country_code') or '') + (destination.get('area_code') or '')
    for sip_id, other_prefix, label in claims:
        if sip_id == entry.sip_id and (prefix.startswith(other_prefix) or other_prefix.startswith(prefix)):
            raise entry.refusal('number', '%s also asks for a number of destination %d routed to %s without naming '
                                'it, so which owned number each one adopts could change from run to run; give each '
                                'entry its number, or route them to different targets'
                                % (label, destination['id'], entry.sip_id))
    claims.append((entry.sip_id, prefix, entry.label))


def provisional_record(order):
    """What a number just ordered looks like before the API is read again (check mode)."""
    now = datetime.datetime.now().replace(microsecond=0)
    months = PERIOD_MONTHS[order.write.params['period']]
    record = dict(number=order.number, status='on', country=None, sip=None, sip_name=None, caller_name=None,
                  autoprolongation=True, test_mode=False, start_date=now.strftime(API_DATETIME),
                  stop_date=add_months(now, months).strftime(API_DATETIME), monthly_fee=order.destination['monthly_fee'],
                  currency=order.destination['currency'], channels=None, minutes=None, type='order')
    if order.write.params['receive_sms'] is not None:  # ordered with it; null where the destination has no SMS
        record['receive_sms'] = bool(order.write.params['receive_sms']) if order.destination['receive_sms'] else None
    return record


def check_sip_known(entry, change, catalogue):
    """A 5-digit SIP id the entry routes to must be a SIP of the account (the SIP list is read only then)."""
    if entry.sip_kind == 'sip_id' and change.routes:
        known = catalogue.sip_ids()
        if entry.sip_id not in known:
            raise entry.refusal('sip_id', 'SIP id %s is not a SIP of this account; use one of: %s'
                                % (entry.sip_id, ', '.join(sorted(known)) or 'none'))


def plan_entries(entries, owned, choice, catalogue, refusals):
    """[EntryPlan] of every entry that has (or will have) a number, its settings checked."""
    plans = []
    for index, entry in enumerate(entries):
        if entry is None or index in refusals or index not in choice.numbers:
            continue
        number = choice.numbers[index]
        order = choice.orders.get(index)
        record = owned.get(number) or (provisional_record(order) if order else None)
        if record is None:
            continue  # state=absent for a number not owned: nothing to do
        if number in owned and entry.receive_sms is not None and entry.state == 'present':
            record = dict(record, receive_sms=catalogue.receive_sms(number))  # one read, only where it is set
        change = refusals.attempt(index, settings_writes, record, entry)
        if change is not None:
            refusals.attempt(index, check_sip_known, entry, change, catalogue)
        if change is None or index in refusals:
            continue
        decision = 'ordered' if order else 'adopted' if index in choice.adopted else 'owned'
        plans.append(EntryPlan(index, entry, number, decision, record, change.writes, change.after))
    return plans


@dataclass
class Plan:
    """Everything a run would do, before any write."""
    choice: NumberChoice
    orders: list        # [OrderPlan], in entry order
    entries: list       # [EntryPlan], in entry order
    refused: dict       # entry index -> Refusal

    @property
    def paid_writes(self):
        """Orders, prolongations and channels: every write with a cost (0 included) or an unpublished price."""
        return [o.write for o in self.orders] + [w for p in self.entries for w in p.writes if w.paid]


def plan_run(entries, owned, catalogue, fail_on_refusal=True, refused=None, user_id=None, unavailable=()):
    """The whole plan for validated entries (None where one was refused before): orders, settings, refusals."""
    refusals = Refusals(fail_on_refusal, refused)
    choice = choose_numbers(entries, owned, catalogue, refusals, user_id, unavailable)
    plans = plan_entries(entries, owned, choice, catalogue, refusals)
    orders = [choice.orders[i] for i in sorted(choice.orders) if i not in refusals]
    return Plan(choice, orders, [p for p in plans if p.index not in refusals], refusals.by_index)


def check_money(plan, catalogue, user_id=None):
    """Refuse the whole run before any write when it would pay for a sub-account or more than the balance."""
    money = [w for w in plan.paid_writes if not w.price_unknown]  # a channels write has no price to check
    if not money:
        return
    if user_id is not None:
        raise Refusal(None, 'user_id', "the API cannot list a sub-account's numbers (its list of owned numbers takes no "
                      'user_id), so a number ordered or prolonged for user %d could not be found again and a re-run '
                      "would pay twice. Nothing was bought: order or prolong with the sub-account's own API key. "
                      'Would have done: %s' % (user_id, '; '.join(w.summary for w in money)))

    def refuse(reason):
        return Refusal(None, None, reason + '; nothing was bought')

    total = round(sum(amount(w.cost, 'the cost of %s' % w.summary, refuse) for w in money), 2)
    account = catalogue.balance()
    balance = amount(account['amount'], "the account's balance from the API", refuse)
    if total > balance:
        raise refuse('the balance (%.2f %s) cannot pay for %s (%.2f %s)'
                     % (balance, account['currency'], '; '.join(w.summary for w in money), total, account['currency']))
