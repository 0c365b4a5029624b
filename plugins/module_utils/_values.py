# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Normalising what the API returns and validating what users give, before any request.

The API returns booleans as "true"/"false" or "on"/"off", numbers with or without '+', fees as
numbers or strings. Everything is normalised here so that comparisons are exact. Validators raise
``ValueError`` with a message that names the option and the reason. No Ansible imports.
"""

from __future__ import annotations

import calendar
import datetime
import math
import re

API_DATETIME = '%Y-%m-%d %H:%M:%S'

# ISO 3166-1 alpha-2.
COUNTRY_CODES = frozenset((
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ '
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO '
    'FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE '
    'JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO '
    'MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW '
    'PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM '
    'TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split())


class Invalid(ValueError):
    """A value refused by a validator: the bare option name and the reason, ``option: reason`` as text."""

    def __init__(self, option, reason):
        super(Invalid, self).__init__('%s: %s' % (option, reason))
        self.option = option
        self.reason = reason


_NUMBER = re.compile(r'[0-9 ().+-]*[0-9][0-9 ().+-]*')
_SIP_ID = re.compile(r'[0-9]{5}')
_SIP_URI = re.compile(r'(?:sip:)?([A-Za-z0-9._~+!$&\'*,;=%-]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,}|[0-9]{1,3}(?:\.[0-9]{1,3}){3})(?::([0-9]{1,5}))?')
_CALLER_NAME = re.compile(r'[A-Za-z0-9 ]{0,30}')
_EMAIL = re.compile(r'[^@\s]+@[^@\s]+\.[A-Za-z]{2,}')
_DATE = re.compile(r'[0-9]{4}-[0-9]{2}-[0-9]{2}')


# Normalising API values --------------------------------------------------------------------------
def number_digits(value):
    """'+44 20 3769-1880' -> '442037691880'; None stays None."""
    if value is None:
        return None
    return re.sub(r'[^0-9]', '', str(value))


def to_bool(value):
    """'true'/'on'/'1'/1/True -> True, 'false'/'off'/'0'/0/False -> False, None/'' -> None."""
    if value is None or value == '':
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ('true', 'on', '1', 'yes'):
        return True
    if text in ('false', 'off', '0', 'no'):
        return False
    raise ValueError('not a boolean: %r' % (value,))


def on_off(value):
    return 'on' if value else 'off'


def to_float(value):
    """2, '2.00', '+2', ' 2 ' -> 2.0; None/'' -> None."""
    if value is None or value == '':
        return None
    return float(str(value).strip())


def to_int(value):
    if value is None or value == '':
        return None
    return int(float(str(value).strip()))


def empty_to_none(value):
    return None if value is None or value == '' else value


def parse_api_datetime(value):
    if not value:
        return None
    return datetime.datetime.strptime(str(value)[:19], API_DATETIME)


def days_until(stop_date, today):
    """Whole days from ``today`` (a date) to an API date (negative once passed); None when there is none."""
    try:
        stop = parse_api_datetime(stop_date)
    except ValueError:
        return None
    return None if stop is None else (stop.date() - today).days


def add_months(moment, months):
    """Calendar months, the day clamped to the month's end (Jan 31 + 1 month = Feb 28/29)."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def months_to_reach(stop_date, paid_until, limit=12):
    """The fewest calendar months that bring stop_date's day to paid_until or past it (0 if it already is)."""
    months = 0
    while add_months(stop_date, months).date() < paid_until:
        months += 1
        if months > limit:
            raise ValueError('%s is more than %d months after the current stop_date %s'
                             % (paid_until, limit, stop_date.strftime(API_DATETIME)))
    return months


# Validating user input ---------------------------------------------------------------------------
def check_number(value, option='number'):
    """A phone number in international format -> its digits.

    '+', spaces, dots, dashes and brackets are ignored wherever they stand; a leading international prefix 00 is
    dropped. What is left must be 7 to 15 digits and must not start with 0: a national number (030 ...) lacks its
    country code, and no account owns it as written.
    """
    text = str(value).strip() if value is not None else ''
    if not _NUMBER.fullmatch(text):
        raise Invalid(option, '%r is not a phone number in international format (7 to 15 digits, e.g. 442037691880)'
                      % (value,))
    digits = number_digits(text)
    if digits.startswith('00'):
        digits = digits[2:]  # 0049 30 ... is +49 30 ...
    if digits.startswith('0'):
        raise Invalid(option, '%r is a national number (it starts with 0): give it with its country code, in '
                      'international format, e.g. 49 30 5550004 for the Berlin number 030 5550004' % (value,))
    if not 7 <= len(digits) <= 15:
        raise Invalid(option, '%r is not a phone number in international format (7 to 15 digits, e.g. 442037691880)'
                      % (value,))
    return digits


def check_sip_target(value, option='sip_id'):
    """Return ('sip_id', '00001') or ('uri', 'user@host[:port]')."""
    text = str(value).strip()
    if _SIP_ID.fullmatch(text):
        return 'sip_id', text
    match = _SIP_URI.fullmatch(text)
    if match and (match.group(3) is None or 0 < int(match.group(3)) < 65536):
        return 'uri', text[4:] if text.startswith('sip:') else text
    raise Invalid(option, '%r is neither a 5-digit SIP id of the account (e.g. 00001) nor a SIP URI user@host[:port]'
                  % (value,))


def check_caller_name(value, option='caller_name'):
    if not _CALLER_NAME.fullmatch(value):
        raise Invalid(option, '%r must be at most 30 Latin letters, digits and spaces (empty clears it)' % (value,))
    return value


def check_email(value, option='email'):
    if not _EMAIL.fullmatch(value):
        raise Invalid(option, '%r is not an e-mail address' % (value,))
    return value


def check_country(value, option='country'):
    code = str(value).strip().upper()
    if code not in COUNTRY_CODES:
        raise Invalid(option, '%r is not an ISO 3166-1 alpha-2 country code (e.g. DE, GB, US)' % (value,))
    return code


def check_date(value, option):
    """'YYYY-MM-DD' (a date that exists) -> datetime.date."""
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    try:
        if not _DATE.fullmatch(text):
            raise ValueError
        return datetime.datetime.strptime(text, '%Y-%m-%d').date()
    except ValueError:
        raise Invalid(option, '%r is not a date in the form YYYY-MM-DD' % (value,))


def check_non_negative(value, option):
    if value is not None and value < 0:
        raise Invalid(option, 'must not be negative, got %s' % (value,))
    return value


def check_amount(value, option):
    """A fee limit or other amount of money: unset, or a finite number that is not negative."""
    if value is None:
        return None
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise Invalid(option, 'must be a finite amount, got %s' % (value,))
    return check_non_negative(value, option)
