# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers shared by the API handlers: errors, parameter parsing, dates."""

import calendar
import datetime
import re

DATE_FORMAT = '%Y-%m-%d %H:%M:%S'
NUMBER_RE = re.compile(r'^\+?([0-9]{7,15})$')


class ApiError(Exception):
    """A refused request: answered with ``{"status": "error", "message": ...}`` and this HTTP status."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.message = message
        self.status = status


def now():
    """Current time, UTC, whole seconds (the simulator's clock for every date it writes)."""
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)


def fmt_date(moment):
    return moment.strftime(DATE_FORMAT)


def parse_date(text):
    return datetime.datetime.strptime(text, DATE_FORMAT)


def days_from_now(days):
    return fmt_date(now() + datetime.timedelta(days=days))


def add_days(text, days):
    return fmt_date(parse_date(text) + datetime.timedelta(days=days))


def add_months(text, months):
    """Calendar months, the day clamped to the month's end (Jan 31 + 1 month = Feb 28/29)."""
    moment = parse_date(text)
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return fmt_date(moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])))


def flag(value):
    """true/false/on/off/1/0 or a bool -> "true" / "false"."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    return 'true' if str(value).lower() in ('true', 'on', '1', 'yes') else 'false'


def money(value):
    return round(float(value), 2)


# Parameters -------------------------------------------------------------------------------------
def required(params, name):
    value = params.get(name)
    if value is None or value == '':
        raise ApiError('Missing parameter: ' + name)
    return value


def to_int(value, name):
    try:
        return int(str(value).strip())
    except ValueError:
        raise ApiError('Wrong parameter: ' + name) from None


def int_param(params, name, default=None):
    """An integer parameter; ``default`` None means required."""
    value = params.get(name)
    if value is None or value == '':
        if default is None:
            raise ApiError('Missing parameter: ' + name)
        return default
    return to_int(value, name)


def choice(params, name, choices, default=None):
    """One of ``choices``; absent -> ``default`` (None with no default given)."""
    value = params.get(name)
    if value is None or value == '':
        return default
    if value not in choices:
        raise ApiError('Wrong parameter: {0} (one of {1})'.format(name, ', '.join(choices)))
    return value


def number_param(params, name='number'):
    """A phone number parameter, with or without '+': returned as digits."""
    match = NUMBER_RE.match(str(required(params, name)).strip())
    if not match:
        raise ApiError('Wrong parameter: ' + name)
    return match.group(1)


class Backend:
    """What the handler mixins (direct_numbers, documents, sips) rely on; state.State provides it."""

    accounts: dict        # user_id (None = main account) -> state.Account
    catalog: object       # state.Catalog
    currency: str
    owned: set            # every owned number, whatever the account
    auto_verify: bool
    number_record: object  # method: (account, partial record) -> full owned-number record
    new_group_id: object   # method: () -> a group id unique across accounts
    validity: object       # method: (account, group, destination) -> the four documents/groups/valid checks
