# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event-Driven Ansible source: changes of a Zadarma account's numbers and balance, found by polling.

The API has no webhooks, so the source reads the owned numbers (and the balance) every ``interval`` seconds
with the collection's own client and normalisation, and emits what changed since the previous poll.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import os
import sys

DOCUMENTATION = r'''
---
short_description: Events when a Zadarma number changes, nears its stop date, or the balance runs low
description:
  - Polls the Zadarma API every O(interval) seconds (the API has no webhooks): the owned numbers, and the balance
    when O(balance_below) is set. That is one or two requests per poll, paced by the collection's client.
  - The first poll sets the baseline and emits only what is already true (C(number_expiring), C(balance_low));
    later polls emit the changes.
  - 'Every event is C({"zadarma": {"type": ..., ...}}). Number events carry C(number) (digits) and C(record)
    (the keys of M(zadarma.telephony.zadarma_number_info) C(numbers[])). Types: C(number_added),
    C(number_removed), C(number_status_changed) (C(from), C(to)), C(number_changed) (C(changes), each
    C({"from": ..., "to": ...}), over C(sip), C(caller_name), C(autoprolongation), C(test_mode), C(stop_date)),
    C(number_expiring) (C(days_left); once per number and stop date, so a prolongation re-arms it), and
    C(balance_low) (C(balance), C(currency), C(threshold); once per fall below O(balance_below)).'
  - A failed poll (API error, rate limit, network) is logged and tried again at the next interval; the source
    never stops on its own. Bad arguments fail at start.
  - Needs the Python library C(requests) where ansible-rulebook runs (the collection's client).
options:
  api_key:
    description:
      - The Zadarma API key. If not set, E(ZADARMA_API_KEY) is used.
    type: str
  api_secret:
    description:
      - The Zadarma API secret that signs every request; never logged. If not set, E(ZADARMA_API_SECRET) is used.
    type: str
  api_url:
    description:
      - Base URL of the API. Plain C(http://) is refused unless the host is a loopback address.
      - If not set, E(ZADARMA_API_URL) is used, else C(https://api.zadarma.com).
    type: str
  interval:
    description: Seconds between polls, at least 10.
    type: int
    default: 300
  expiring_days:
    description: A number whose stop date is this many days away or less is C(number_expiring).
    type: int
    default: 14
  balance_below:
    description: Emit C(balance_low) when the balance falls below this amount. Unset, the balance is not read.
    type: float
  timeout:
    description: Seconds to wait for each HTTP response.
    type: int
    default: 30
  validate_certs:
    description: Whether to verify the API's TLS certificate.
    type: bool
    default: true
'''

EXAMPLES = r'''
- name: React to Zadarma numbers
  hosts: localhost
  sources:
    - zadarma.telephony.number_events:
        interval: 600
        expiring_days: 7
        balance_below: 10
  rules:
    - name: A number became active
      condition: event.zadarma.type == "number_status_changed" and event.zadarma.to == "on"
      action:
        run_playbook:
          name: zadarma.telephony.route_numbers
'''


def _make_collection_importable():
    """ansible-rulebook runs this file by path: put the collections root on sys.path for the shared module_utils."""
    try:
        import ansible_collections.zadarma.telephony.plugins.module_utils  # noqa: F401 pylint: disable=unused-import
    except ImportError:
        root = os.path.abspath(__file__)
        for _level in range(8):  # .../ansible_collections/zadarma/telephony/extensions/eda/plugins/event_source/x.py
            root = os.path.dirname(root)
        sys.path.insert(0, root)


_make_collection_importable()

# pylint: disable=wrong-import-position
from ansible_collections.zadarma.telephony.plugins.module_utils._client import (  # noqa: E402
    DEFAULT_API_URL,
    RetryPolicy,
    ZadarmaClient,
    check_api_url,
)
from ansible_collections.zadarma.telephony.plugins.module_utils._api import balance, owned_numbers  # noqa: E402
from ansible_collections.zadarma.telephony.plugins.module_utils._values import days_until, to_bool  # noqa: E402

LOG = logging.getLogger(__name__)
MIN_INTERVAL = 10
WATCHED_KEYS = ('sip', 'caller_name', 'autoprolongation', 'test_mode', 'stop_date')


def parse_args(args):
    """The source's settings from the rulebook's args and the environment; ValueError names the bad argument."""
    args = dict(args or {})
    unknown = sorted(set(args) - {'api_key', 'api_secret', 'api_url', 'interval', 'expiring_days', 'balance_below',
                                  'timeout', 'validate_certs'})
    if unknown:
        raise ValueError('number_events: unknown argument(s): %s' % ', '.join(unknown))
    settings = {}
    for name, variable in (('api_key', 'ZADARMA_API_KEY'), ('api_secret', 'ZADARMA_API_SECRET')):
        settings[name] = args.get(name) or os.environ.get(variable)
        if not settings[name]:
            raise ValueError('number_events: %s is not set; give it in the rulebook or in the environment '
                             'variable %s' % (name, variable))
    try:
        settings['validate_certs'] = to_bool(args.get('validate_certs', True))
    except ValueError:
        raise ValueError('number_events: validate_certs must be true or false, got %r' % args['validate_certs'])
    try:
        settings['api_url'] = check_api_url(args.get('api_url') or os.environ.get('ZADARMA_API_URL') or DEFAULT_API_URL,
                                            validate_certs=settings['validate_certs'] is not False)
    except ValueError as exc:
        raise ValueError('number_events: %s' % exc)
    settings['interval'] = _number(args, 'interval', int, 300, minimum=MIN_INTERVAL)
    settings['expiring_days'] = _number(args, 'expiring_days', int, 14)
    settings['balance_below'] = _number(args, 'balance_below', float, None)
    settings['timeout'] = _number(args, 'timeout', int, 30, minimum=1)
    return settings


def _number(args, name, kind, default, minimum=None):
    value = args.get(name)
    if value is None:
        return default
    try:
        if isinstance(value, bool):
            raise ValueError
        number = kind(value)
    except (TypeError, ValueError):
        raise ValueError('number_events: %s must be a%s number, got %r' % (name, 'n integer' if kind is int else '', value))
    if minimum is not None and number < minimum:
        raise ValueError('number_events: %s must be at least %s, got %s' % (name, minimum, value))
    return number


def read_account(client, with_balance):
    """One poll: {digits: record} of the owned numbers, and dict(amount, currency) or None. One or two requests."""
    return owned_numbers(client), balance(client) if with_balance else None


def _event(kind, **fields):
    return {'zadarma': dict(type=kind, **fields)}


class Watcher(object):
    """What has been seen and sent: turns each poll into the events that are new (pure, no I/O)."""

    def __init__(self, expiring_days, balance_below):
        self.expiring_days = expiring_days
        self.balance_below = balance_below
        self.numbers = None          # the last poll's {digits: record}; None until the baseline
        self.expiry_sent = set()     # (number, stop_date) already reported as expiring
        self.balance_low_sent = False

    def update(self, numbers, account_balance, today):
        events = []
        if self.numbers is not None:
            events += self._changes(numbers)
        events += self._expiring(numbers, today)
        events += self._balance(account_balance)
        self.numbers = numbers
        return events

    def _changes(self, numbers):
        events = []
        for number in sorted(set(self.numbers) - set(numbers)):
            events.append(_event('number_removed', number=number, record=self.numbers[number]))
        for number in sorted(numbers):
            record, before = numbers[number], self.numbers.get(number)
            if before is None:
                events.append(_event('number_added', number=number, record=record))
                continue
            if record['status'] != before['status']:
                events.append(_event('number_status_changed', number=number, record=record,
                                     **{'from': before['status'], 'to': record['status']}))
            changes = dict((key, {'from': before.get(key), 'to': record.get(key)})
                           for key in WATCHED_KEYS if before.get(key) != record.get(key))
            if changes:
                events.append(_event('number_changed', number=number, record=record, changes=changes))
        return events

    def _expiring(self, numbers, today):
        events = []
        current = set()
        for number in sorted(numbers):
            record = numbers[number]
            days_left = days_until(record.get('stop_date'), today)
            if days_left is None or days_left > self.expiring_days:
                continue
            key = (number, record.get('stop_date'))
            current.add(key)
            if key not in self.expiry_sent:
                events.append(_event('number_expiring', number=number, record=record, days_left=days_left))
        self.expiry_sent = current  # a new stop date (a prolongation) or a number gone: forgotten, so re-armed
        return events

    def _balance(self, account_balance):
        if self.balance_below is None or account_balance is None or account_balance['amount'] is None:
            return []
        amount = account_balance['amount']
        if amount >= self.balance_below:
            self.balance_low_sent = False
            return []
        if self.balance_low_sent:
            return []
        self.balance_low_sent = True
        return [_event('balance_low', balance=amount, currency=account_balance['currency'], threshold=self.balance_below)]


def today_utc():
    return datetime.datetime.now(datetime.timezone.utc).date()


async def watch(queue, client, settings, sleep=asyncio.sleep, today=today_utc):
    """Poll forever: put each new event on the queue; a failed poll is logged and the next one tries again."""
    watcher = Watcher(settings['expiring_days'], settings['balance_below'])
    with_balance = settings['balance_below'] is not None
    while True:
        try:
            numbers, account_balance = await asyncio.to_thread(read_account, client, with_balance)
        except Exception as exc:  # pylint: disable=broad-exception-caught
            # The client's errors name the request and the API's message, never a credential.
            LOG.warning('zadarma.telephony.number_events: poll failed, trying again in %d s: %s',
                        settings['interval'], exc)
        else:
            for event in watcher.update(numbers, account_balance, today()):
                await queue.put(event)
                await asyncio.sleep(0)
        await sleep(settings['interval'])


async def main(queue, args):
    """Entry point for ansible-rulebook."""
    settings = parse_args(args)
    # A poll never waits out the rate limit for longer than the interval: the next poll tries again.
    client = ZadarmaClient(settings['api_key'], settings['api_secret'], settings['api_url'],
                           timeout=settings['timeout'], validate_certs=settings['validate_certs'],
                           retry=RetryPolicy(max_total_wait=float(settings['interval'])))
    await watch(queue, client, settings)


if __name__ == '__main__':
    class _PrintQueue(object):
        async def put(self, event):
            print(event)

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(_PrintQueue(), {'interval': MIN_INTERVAL}))
