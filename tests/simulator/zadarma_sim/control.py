# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run-time knobs of the simulator: configuration, rate limiter, injected faults, request log.

None of these lock by themselves: the server calls them under its lock.
"""

import fnmatch
import math
import random

from .common import ApiError

FAULT_KINDS = ('status', 'delay', 'malformed', 'drop_after_commit', 'rate_limit')
# A 'random' fault stays until cleared and, with a seeded generator, turns a matching request into one of
# these faults with the given probability; the same seed and the same request sequence give the same faults.
RANDOM_STATUSES = (500, 502, 503, 504)


def normalise_path(path):
    """'/v1/sip' -> '/v1/sip/'; patterns ending in '*' are left alone."""
    return path if path.endswith(('/', '*')) else path + '/'


class Config:
    """What POST /_sim/config changes."""

    FIELDS = {'rate_limit': int, 'rate_window': float, 'latency_ms': float, 'auto_verify': bool,
              'reveal_personal_data': bool}

    def __init__(self, rate_limit=100, rate_window=60.0, latency_ms=0.0, auto_verify=True,
                 reveal_personal_data=False):
        self.rate_limit = rate_limit
        self.rate_window = rate_window
        self.latency_ms = latency_ms
        self.auto_verify = auto_verify
        self.reveal_personal_data = reveal_personal_data  # /_sim/log and /_sim/state show personal values

    def update(self, values):
        """Validate everything first, then apply: a refused update changes nothing."""
        unknown = set(values) - set(self.FIELDS)
        if unknown:
            raise ApiError('Unknown config key(s): ' + ', '.join(sorted(unknown)))
        checked = {key: self._check(key, value) for key, value in values.items()}
        for key, value in checked.items():
            setattr(self, key, value)

    def _check(self, key, value):
        kind = self.FIELDS[key]
        if kind is bool:
            if not isinstance(value, bool):
                raise ApiError('{0} must be true or false'.format(key))
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0 or (kind is int and value != int(value)):
            raise ApiError('{0} must be a non-negative number'.format(key))
        if key in ('rate_limit', 'rate_window') and value <= 0:
            raise ApiError('{0} must be positive'.format(key))
        return kind(value)

    def as_dict(self):
        return {key: getattr(self, key) for key in self.FIELDS}


class RateLimiter:
    """Fixed window per API key: ``limit`` requests per ``window`` seconds from the window's first request."""

    def __init__(self):
        self.windows = {}  # key -> [window start, requests counted]

    def clear(self):
        self.windows.clear()

    def check(self, key, limit, window, clock, consume=True):
        """(allowed, remaining, reset epoch seconds); ``consume`` False only peeks."""
        start, count = self.windows.get(key, (None, 0))
        if start is None or clock >= start + window:
            start, count = clock, 0
            if consume:
                self.windows[key] = [start, count]
        allowed = count < limit
        if consume and allowed:
            count += 1
            self.windows[key][1] = count
        return allowed, max(limit - count, 0), int(math.ceil(start + window))


class Faults:
    """Faults injected by POST /_sim/faults, each for the next ``count`` matching API requests (a 'random'
    fault for every matching request until cleared, see RANDOM_STATUSES)."""

    def __init__(self):
        self.items = []

    def clear(self):
        self.items = []

    def add(self, spec):
        if not isinstance(spec, dict):
            raise ApiError('a fault is a JSON object')
        fault = dict(spec)
        if fault.get('kind') == 'random':
            self._random(fault)
        elif fault.get('kind') not in FAULT_KINDS:
            raise ApiError('kind must be one of: ' + ', '.join(FAULT_KINDS + ('random',)))
        if not isinstance(fault.get('path'), str) or not fault['path'].startswith(('/', '*')):
            raise ApiError('path is required: an API path such as /v1/direct_numbers/order/, or "*"')
        fault['path'] = fault['path'] if fault['path'] == '*' else normalise_path(fault['path'])
        fault['count'] = self._number(fault, 'count', 1, int, 1)
        fault['seconds'] = self._number(fault, 'seconds', 1.0, float, 0)
        fault['status'] = self._number(fault, 'status', 503, int, 100)
        if fault['status'] > 599:
            raise ApiError('status must be an HTTP status code')
        if fault.get('http_method') is not None:
            fault['http_method'] = str(fault['http_method']).upper()
        self.items.append(fault)
        return fault

    def _random(self, fault):
        """Check a random fault: seed, probability (0..1], kinds (a subset of FAULT_KINDS); counts in 'injected'."""
        kinds = fault.setdefault('kinds', list(FAULT_KINDS))
        if not isinstance(kinds, list) or not kinds or not set(kinds) <= set(FAULT_KINDS):
            raise ApiError('kinds must be a non-empty list of: ' + ', '.join(FAULT_KINDS))
        probability = fault.setdefault('probability', 0.1)
        if isinstance(probability, bool) or not isinstance(probability, (int, float)) or not 0 < probability <= 1:
            raise ApiError('probability must be a number in (0, 1]')
        seed = fault.setdefault('seed', 0)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise ApiError('seed must be an integer')
        fault['injected'] = dict.fromkeys(kinds, 0)
        fault['_rng'] = random.Random(seed)

    def listing(self):
        """The faults as GET /_sim/faults shows them (without the random generators)."""
        return [{key: value for key, value in fault.items() if not key.startswith('_')} for fault in self.items]

    @staticmethod
    def _number(fault, key, default, kind, minimum):
        value = fault.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
            raise ApiError('{0} must be a number >= {1}'.format(key, minimum))
        return kind(value)

    def take(self, http_method, path):
        """The first fault matching this request, its count used up by one; None when no fault matches."""
        for fault in self.items:
            if fault.get('http_method') not in (None, http_method):
                continue
            if fault['path'] != '*' and not fnmatch.fnmatchcase(path, fault['path']):
                continue
            if fault['kind'] == 'random':
                drawn = self._draw(fault)
                if drawn is None:
                    continue
                return drawn
            fault['count'] -= 1
            if fault['count'] <= 0:
                self.items.remove(fault)
            return fault
        return None

    @staticmethod
    def _draw(fault):
        """A concrete fault for this request, or None (the generator always draws three numbers)."""
        rng = fault['_rng']
        hit, kind, status = rng.random(), rng.choice(fault['kinds']), rng.choice(RANDOM_STATUSES)
        if hit >= fault['probability']:
            return None
        fault['injected'][kind] += 1
        return {'kind': kind, 'status': status, 'seconds': fault['seconds'], 'message': 'Simulated random fault'}


class RequestLog:
    """API requests, oldest first; ``seq`` keeps growing across resets so ``since`` never goes backwards."""

    def __init__(self):
        self.entries = []
        self.seq = 0

    def clear(self):
        self.entries = []

    def add(self, entry):
        self.seq += 1
        entry['seq'] = self.seq
        self.entries.append(entry)
        return entry

    def since(self, seq):
        """Entries with a seq greater than ``seq``; seq numbers are contiguous, so this is a slice."""
        if not self.entries:
            return []
        return self.entries[max(seq - self.entries[0]['seq'] + 1, 0):]
