# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reconciling owned numbers: shared by zadarma_number (one) and zadarma_numbers (many).

The flow, whatever the count, costs O(1) reads:
1. read the owned numbers once and plan every entry (``_planner``: settings for owned numbers, adoption or an
   order for the others, SIP ids, cost guards, documents, and the balance against the total cost);
2. (not in check mode) all of this runs under the account's lock (``_lock``): a second run on this controller
   waits, then reads the owned numbers with what the first one bought among them;
3. send the orders; an order answered "not available" (taken elsewhere meanwhile) reads the owned numbers and
   plans again: the entry adopts the number when this account owns it now, else orders the next free one;
4. read the owned numbers again once if anything was bought, then send the settings.
Orders and prolongations are POSTs: the client never repeats them after an ambiguous failure, and a
re-run finds a bought number owned (step 1) instead of buying it again. No Ansible imports: errors are
raised (``Refusal``, ``ZadarmaError``) for the module's ``main`` to report.
"""

from __future__ import annotations

import contextlib
import re

from dataclasses import dataclass

from ansible_collections.zadarma.telephony.plugins.module_utils import _api as api
from ansible_collections.zadarma.telephony.plugins.module_utils._client import ZadarmaError
from ansible_collections.zadarma.telephony.plugins.module_utils._planner import (
    check_money,
    managed,
    plan_entries,
    plan_run,
    Refusals,
)

# The API's answer to an order of a number that someone else took meanwhile.
_TAKEN = re.compile(r'(no longer|not) available', re.I)
ORDER_RETRIES = 3


class AccountCatalogue(object):
    """The planner's view of the account, read through the run's Session (each read once)."""

    def __init__(self, session, user_id=None):
        self.session = session
        self.user_id = user_id
        self._sip_ids = None  # no write of this collection changes the SIPs: kept after writes too
        self._receive_sms = {}  # read before any settings write; an order changes no owned number's SMS

    def countries(self):
        return api.countries(self.session)

    def destinations(self, country):
        return api.destinations(self.session, country)

    def available(self, direction_id, mask=None):
        return api.available_numbers(self.session, direction_id, mask)

    def validity(self, group_id, direction_id):
        return api.group_validity(self.session, group_id, direction_id, self.user_id)

    def sip_ids(self):
        if self._sip_ids is None:
            self._sip_ids = api.sip_ids(self.session)
        return self._sip_ids

    def balance(self):
        return api.balance(self.session)

    def receive_sms(self, number):
        if number not in self._receive_sms:
            self._receive_sms[number] = api.number_detail(self.session, number)['receive_sms']
        return self._receive_sms[number]


@dataclass
class Outcome:
    """What a run did (or, in check mode, would do)."""
    changed: bool
    numbers: list     # one item per planned entry: its record after, index, key, decision, cost, changes
    ordered: list     # the numbers bought
    refused: list     # one item per refused entry: index, key, number, option, reason, msg
    purchases: list   # what was paid, with its cost
    cost: float
    before: dict      # number -> managed settings before (diff)
    after: dict       # number -> managed settings after (diff)
    warnings: list


def _taken(error):
    return error.http_status != 429 and bool(_TAKEN.search(error.api_message or error.message or ''))


def reconcile(session, entries, check_mode=False, fail_on_refusal=True, refused=None, user_id=None,
              lock=contextlib.nullcontext):
    """The whole flow for validated entries (None where ``refused`` holds {index: (number, Refusal)}).

    Every check runs before the first write. A refusal raises (``Refusal``) unless ``fail_on_refusal`` is false,
    in which case the entry is left out and reported; a failed request raises ``ZadarmaError`` and
    ``session.done`` lists the writes already sent. ``lock`` makes the account's lock, held from the first read
    to the last write (not in check mode).
    """
    refused = dict(refused or {})
    known = dict((index, why) for index, (_number, why) in refused.items())
    catalogue = AccountCatalogue(session, user_id)

    unavailable = set()  # numbers an order was refused for: taken elsewhere since they were listed

    def plan_now():
        plan = plan_run(entries, api.owned_numbers(session), catalogue, fail_on_refusal, known, user_id, unavailable)
        check_money(plan, catalogue, user_id)
        return plan

    if check_mode:
        plan = plan_now()
        bought = dict((order.number, order) for order in plan.orders)
        return _outcome(entries, plan, plan.entries, bought, {}, refused, check_mode)

    bought = {}  # number -> OrderPlan, in the order bought
    with lock():  # the owned numbers are read under it: what another run on this controller bought is owned
        plan = plan_now()
        for attempt in range(ORDER_RETRIES + 1):
            try:
                for order in plan.orders:
                    api.send(session, order.write)
                    bought[order.number] = order
                break
            except ZadarmaError as error:
                if attempt == ORDER_RETRIES or not _taken(error):
                    raise
                session.forget()
                exact = entries[order.index].number is not None
                if exact and order.number not in api.owned_numbers(session):
                    raise  # the number asked for is someone else's now
                unavailable.add(order.number)
                plan = plan_now()  # adopts the number if this account owns it now, else orders the next free one
        entry_plans = plan.entries
        if bought:
            session.forget()  # the bought numbers as the API now reports them
            entry_plans = [p for p in plan_entries(entries, api.owned_numbers(session), plan.choice, catalogue,
                                                   Refusals(fail_on_refusal, plan.refused)) if p.index not in plan.refused]
        responses = {}
        for entry_plan in entry_plans:
            responses[entry_plan.index] = [api.send(session, write) for write in entry_plan.writes]
    return _outcome(entries, plan, entry_plans, bought, responses, refused, check_mode)


def _outcome(entries, plan, entry_plans, bought, responses, refused, check_mode):
    numbers, before, after, warnings = [], {}, {}, []
    purchases = [dict(order.write.describe(), number=number, action='order') for number, order in bought.items()]
    changed = bool(bought)
    for p in entry_plans:
        after_record = dict(p.after)
        for write, response in zip(p.writes, responses.get(p.index) or []):
            if response and response.get('stop_date'):
                after_record['stop_date'] = response['stop_date']  # the API's word on a prolongation
                if response['stop_date'][:10] < str(p.entry.paid_until):
                    warnings.append('the API extended %s only to %s, short of paid_until %s: its months are shorter '
                                    'than calendar months, and a re-run would prolong again'
                                    % (p.number, response['stop_date'], p.entry.paid_until))
        purchases.extend(dict(w.describe(), number=p.number, action='channels' if w.price_unknown else 'prolong')
                         for w in p.writes if w.paid)
        changed = changed or bool(p.writes)
        new = p.number in bought
        if p.writes or new:
            before[p.number] = {} if new else managed(p.before)
            after[p.number] = managed(after_record)
        spent = [w.cost for w in p.writes if w.cost is not None]
        if new:
            spent.append(bought[p.number].write.cost)
        decision = 'ordered' if new else 'adopted' if p.index in plan.choice.adopted else 'owned'
        numbers.append(dict(after_record, index=p.index, key=p.entry.key, decision=decision,
                            cost=round(float(sum(spent)), 2), changes=[w.summary for w in p.writes]))
    numbers_of = dict((index, number) for index, (number, _why) in refused.items())
    refusals = [dict(index=index, key=why.key, number=entries[index].number if entries[index] else numbers_of[index],
                     option=why.option, reason=why.reason, msg=why.msg)
                for index, why in sorted(plan.refused.items())]
    return Outcome(changed=changed, numbers=numbers, ordered=sorted(bought), refused=refusals, purchases=purchases,
                   cost=round(sum(item['cost'] for item in purchases if item['cost'] is not None), 2),
                   before=before, after=after,
                   warnings=warnings)
