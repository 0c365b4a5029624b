# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The simulated Zadarma back end: catalogue, accounts and the API method handlers. No HTTP here.

Every handler is ``handler(account, params, *path_args) -> dict`` (the success body without ``status``) and
raises ``ApiError`` to refuse. Callers hold ``State.lock`` around a handler call.
"""

import copy
import hashlib
import threading

from .common import ApiError, days_from_now, flag, money, to_int, NUMBER_RE
from .direct_numbers import NumbersApi, STATUSES
from .documents import DocumentsApi, group_record
from .sips import SipApi, sip_record

NUMBER_DEFAULTS = {
    'status': 'on', 'number_name': None, 'sip': '', 'channels': 2, 'minutes': 0, 'autorenew': 'true',
    'is_on_test': 'false', 'receive_sms': None, 'group_id': None, 'autorenew_period': 'month', 'purpose': None,
}
NUMBER_KEYS = frozenset(NUMBER_DEFAULTS) | {
    'number', 'country', 'description', 'sip_name', 'start_date', 'stop_date', 'monthly_fee', 'currency',
    'direction_id', 'start_days_ago', 'stop_in_days',
}


def number_id(direction_id, index, number):
    """A deterministic, unique, opaque id in the style of the vendor's (e.g. ``1712p0D1643D0t42r198658``)."""
    digest = int(hashlib.sha1('{0}:{1}'.format(direction_id, number).encode('ascii')).hexdigest()[:16], 16)
    return '{0}p{1}D{2}D{3}t{4}r{5}'.format(direction_id, index, digest % 10000, (digest >> 14) % 10,
                                            (digest >> 18) % 100, (digest >> 25) % 1000000)


class Catalog:
    """Countries, destinations (directions) and the pool of numbers available to order."""

    def __init__(self, countries):
        self.countries = {}      # ISO code -> {'iso', 'name', 'code', 'destinations': [ids]}
        self.destinations = {}   # id -> destination record, plus 'country', 'country_name', 'country_code'
        self.available = {}      # id -> [{'id', 'number'}], in order
        self.by_number_id = {}   # number id -> (direction id, number)
        for country in countries:
            self.countries[country['iso']] = {key: country[key] for key in ('iso', 'name', 'code')}
            self.countries[country['iso']]['destinations'] = [self._add(country, dest) for dest in country['destinations']]
        # Longest prefix first, to map an owned number to its destination.
        self.prefixes = sorted(((d['country_code'] + d['area_code'], d) for d in self.destinations.values()),
                               key=lambda item: -len(item[0]))

    def _add(self, country, dest):
        record = dict(dest, id=int(dest['id']), country=country['iso'], country_name=country['name'],
                      country_code=country['code'])
        record['restrictions'] = {'upload': list(dest.get('restrictions', {}).get('upload', [])),
                                  'specify': list(dest.get('restrictions', {}).get('specify', []))}
        self.destinations[record['id']] = record
        spec = dest.get('numbers') or {}
        prefix, length = spec.get('prefix', ''), int(spec.get('length', 0))
        pool = []
        for index in range(int(spec.get('count', 0))):
            number = prefix + str(index).zfill(max(length - len(prefix), 0))
            entry = {'id': number_id(record['id'], index, number), 'number': number}
            pool.append(entry)
            self.by_number_id[entry['id']] = (record['id'], number)
        self.available[record['id']] = pool
        return record['id']

    def destination(self, value):
        dest = self.destinations.get(to_int(value, 'direction_id'))
        if dest is None:
            raise ApiError('Wrong parameter: direction_id (no such destination)')
        return dest

    def match(self, number):
        """The destination whose country and area code start ``number``, or None."""
        for prefix, dest in self.prefixes:
            if number.startswith(prefix):
                return dest
        return None


class Account:
    """The main account (user_id None) or one sub-account."""

    def __init__(self, user_id, balance):
        self.user_id = user_id
        self.balance = money(balance)
        self.sips = []       # sip records, see sips.sip_record
        self.sips_left = 0
        self.numbers = {}    # digits -> owned number record (internal fields included)
        self.groups = {}     # id -> document group record (date_of_birth included)
        self.files = []      # uploaded files: group_id, name, type, is_verified, source, size, sha256
        self.wrongs = {}     # str(group id) -> checking-wrongs info

    def sip(self, sip_id):
        return next((sip for sip in self.sips if sip['id'] == sip_id), None)

    def number(self, digits):
        record = self.numbers.get(digits)
        if record is None:
            raise ApiError('Number not found')
        return record

    def group(self, group_id):
        record = self.groups.get(group_id)
        if record is None:
            raise ApiError('Document group not found')
        return record

    def debit(self, amount):
        if self.balance + 1e-9 < amount:
            raise ApiError('Not enough money on the balance')
        self.balance = money(self.balance - amount)

    def snapshot(self):
        return copy.deepcopy({
            'user_id': self.user_id, 'balance': self.balance, 'sips': self.sips, 'sips_left': self.sips_left,
            'numbers': list(self.numbers.values()), 'groups': [self.groups[key] for key in sorted(self.groups)],
            'files': self.files, 'wrongs': self.wrongs,
        })


class State(NumbersApi, DocumentsApi, SipApi):
    """All accounts plus the catalogue. ``lock`` guards every read and change."""

    def __init__(self, seed):
        self.lock = threading.RLock()
        self.seed = copy.deepcopy(seed)
        self.auto_verify = True
        self.next_group_id = 1
        self.catalog = Catalog(self.seed['countries'])  # never changes: ordering only marks numbers as owned
        self.reset()

    def reset(self):
        with self.lock:
            self.currency = self.seed.get('currency', 'USD')
            self.accounts = {}
            self.owned = set()          # every owned number, whatever the account: not available to order
            self.ledger = []            # every paid write, oldest first: kind, number, amount, user_id
            self.next_group_id = 1
            for spec in copy.deepcopy(self.seed['accounts']):
                self._load_account(spec)

    def _load_account(self, spec):
        account = Account(spec.get('user_id'), spec.get('balance', 0.0))
        self.accounts[account.user_id] = account
        self.set_sips(account, spec.get('sips', []), spec.get('sips_left', 0))
        for values in spec.get('groups') or [{'id': 0}]:
            account.groups[int(values['id'])] = group_record(values, int(values['id']))
        account.groups.setdefault(0, group_record({}, 0))
        self.next_group_id = max([self.next_group_id] + [gid + 1 for gid in account.groups])
        for item in spec.get('files', []):
            account.files.append(dict({'group_id': 0, 'is_verified': 'true', 'source': 'upload', 'size': 0,
                                       'sha256': None}, **item))
        account.wrongs = {str(key): value for key, value in (spec.get('wrongs') or {}).items()}
        self.add_numbers(account, spec.get('numbers', []))

    def new_group_id(self):
        self.next_group_id += 1
        return self.next_group_id - 1

    def charge(self, account, kind, number, amount):
        """Debit a paid write (order, prolong) and record it in the ledger."""
        account.debit(amount)
        self.ledger.append({'kind': kind, 'number': number, 'amount': amount, 'user_id': account.user_id})

    def account(self, user_id):
        if user_id not in self.accounts:
            raise ApiError('User not found')
        return self.accounts[user_id]

    # Owned numbers ------------------------------------------------------------------------------
    def add_numbers(self, account, entries):
        for entry in entries:
            record = self.number_record(account, entry)
            account.numbers[record['number']] = record
            self.owned.add(record['number'])

    def number_record(self, account, entry):
        """A full owned-number record from a partial one; defaults from the matching destination."""
        unknown = set(entry) - NUMBER_KEYS
        if unknown:
            raise ApiError('Unknown field(s) in a number: ' + ', '.join(sorted(unknown)))
        match = NUMBER_RE.match(str(entry.get('number', '')).strip())
        if not match:
            raise ApiError('Wrong number: {0!r}'.format(entry.get('number')))
        digits = match.group(1)
        dest = (self.catalog.destinations.get(int(entry['direction_id'])) if entry.get('direction_id')
                else self.catalog.match(digits)) or {}
        start = days_from_now(-float(entry.get('start_days_ago', 0)))
        record = dict(NUMBER_DEFAULTS, number=digits, country=dest.get('country_name', 'Unknown'),
                      description=dest.get('name', ''), monthly_fee=dest.get('monthly_fee', 2.0),
                      currency=self.currency, direction_id=dest.get('id'), start_date=start,
                      stop_date=days_from_now(float(entry.get('stop_in_days', 30))))
        record.update((key, value) for key, value in entry.items() if key not in ('start_days_ago', 'stop_in_days'))
        record.update(number=digits, autorenew=flag(record['autorenew']), is_on_test=flag(record['is_on_test']),
                      monthly_fee=money(record['monthly_fee']), channels=int(record['channels']),
                      minutes=int(record['minutes']), sip='' if record['sip'] is None else str(record['sip']))
        if record['status'] not in STATUSES:
            raise ApiError('Wrong status: {0!r}'.format(record['status']))
        if 'sip_name' not in entry:
            sip = account.sip(record['sip'])
            record['sip_name'] = sip['display_name'] if sip else None
        return record

    def set_sips(self, account, sips, left=None):
        account.sips = [sip_record(item) for item in sips]
        if left is not None:
            account.sips_left = int(left)

    # Control API --------------------------------------------------------------------------------
    def snapshot(self):
        """The whole state: the main account's fields at the top, sub-accounts under ``sub_accounts``."""
        with self.lock:
            state = self.accounts[None].snapshot() if None in self.accounts else {}
            state['currency'] = self.currency
            state['sub_accounts'] = {str(uid): acct.snapshot() for uid, acct in self.accounts.items() if uid is not None}
            state['available'] = {str(did): sum(1 for item in pool if item['number'] not in self.owned)
                                  for did, pool in self.catalog.available.items()}
            state['next_group_id'] = self.next_group_id
            state['ledger'] = copy.deepcopy(self.ledger)
            return state

    def control_update(self, payload):
        """POST /_sim/state: balance, add_numbers, sips (+ sips_left), wrongs, verify_files for one account."""
        known = {'user_id', 'balance', 'add_numbers', 'sips', 'sips_left', 'wrongs', 'verify_files'}
        unknown = set(payload) - known
        if unknown:
            raise ApiError('Unknown key(s): ' + ', '.join(sorted(unknown)))
        with self.lock:
            account = self.account(payload.get('user_id'))
            old_sips, old_left = account.sips, account.sips_left
            try:  # everything is checked before anything changes
                if 'sips' in payload:
                    self.set_sips(account, payload['sips'], payload.get('sips_left'))
                elif 'sips_left' in payload:
                    account.sips_left = int(payload['sips_left'])
                balance = money(payload['balance']) if 'balance' in payload else account.balance
                records = [self.number_record(account, entry) for entry in payload.get('add_numbers') or []]
                if not isinstance(payload.get('wrongs') or {}, dict):
                    raise ApiError('wrongs: an object keyed by group id')
            except (ApiError, TypeError, ValueError):
                account.sips, account.sips_left = old_sips, old_left
                raise
            account.balance = balance
            for record in records:
                account.numbers[record['number']] = record
                self.owned.add(record['number'])
            for key, value in (payload.get('wrongs') or {}).items():
                if value:
                    account.wrongs[str(key)] = value
                else:
                    account.wrongs.pop(str(key), None)
            if payload.get('verify_files'):
                for item in account.files:
                    item['is_verified'] = 'true'
                self.activate_numbers(account)
            return {'added': len(records)}
