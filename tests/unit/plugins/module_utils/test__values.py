# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the value helpers: normalising API values and validating user input."""

from __future__ import annotations

import datetime

import pytest

from hypothesis import given, strategies as st

from ansible_collections.zadarma.telephony.plugins.module_utils._values import (
    add_months,
    check_caller_name,
    check_country,
    check_date,
    check_email,
    check_non_negative,
    check_number,
    check_sip_target,
    empty_to_none,
    months_to_reach,
    number_digits,
    on_off,
    parse_api_datetime,
    to_bool,
    to_float,
    to_int,
)

D = datetime.datetime


# Normalising -------------------------------------------------------------------------------------------
@pytest.mark.parametrize('value, expected', [
    ('+44 20 3769-1880', '442037691880'),
    ('442037691880', '442037691880'),
    ('+442037691880', '442037691880'),
    ('(44) 20.3769.1880', '442037691880'),
    (442037691880, '442037691880'),
    ('', ''),
    (None, None),
])
def test_number_digits(value, expected):
    assert number_digits(value) == expected


@pytest.mark.parametrize('value, expected', [
    ('true', True), ('True', True), ('TRUE', True), (' true ', True), ('on', True), ('ON', True), ('1', True),
    (1, True), (True, True), ('yes', True),
    ('false', False), ('False', False), ('off', False), ('Off', False), ('0', False), (0, False),
    (False, False), ('no', False),
    (None, None), ('', None),
])
def test_to_bool(value, expected):
    assert to_bool(value) is expected


@pytest.mark.parametrize('value', ['maybe', 'enabled', '2', 'tru'])
def test_to_bool_refuses_other_values(value):
    with pytest.raises(ValueError):
        to_bool(value)


def test_on_off():
    assert on_off(True) == 'on'
    assert on_off(False) == 'off'


@pytest.mark.parametrize('value, expected', [
    ('+2', 2.0), ('2.00', 2.0), ('2', 2.0), (2, 2.0), (' 2 ', 2.0), (2.5, 2.5), ('0.10', 0.1), ('-1.5', -1.5),
    (None, None), ('', None),
])
def test_to_float(value, expected):
    assert to_float(value) == expected


def test_to_float_refuses_text():
    with pytest.raises(ValueError):
        to_float('two')


@pytest.mark.parametrize('value, expected', [('3', 3), (3, 3), ('3.0', 3), (' 4 ', 4), (None, None), ('', None)])
def test_to_int(value, expected):
    assert to_int(value) == expected


def test_empty_to_none():
    assert empty_to_none('') is None
    assert empty_to_none(None) is None
    assert empty_to_none('x') == 'x'
    assert empty_to_none(0) == 0


def test_parse_api_datetime():
    assert parse_api_datetime('2024-03-15 12:30:45') == D(2024, 3, 15, 12, 30, 45)
    assert parse_api_datetime('2024-03-15 12:30:45.123') == D(2024, 3, 15, 12, 30, 45)
    assert parse_api_datetime('') is None
    assert parse_api_datetime(None) is None


# Months ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize('moment, months, expected', [
    (D(2023, 1, 31), 1, D(2023, 2, 28)),
    (D(2024, 1, 31), 1, D(2024, 2, 29)),
    (D(2024, 1, 31, 13, 5, 7), 1, D(2024, 2, 29, 13, 5, 7)),
    (D(2024, 1, 31), 2, D(2024, 3, 31)),
    (D(2024, 3, 31), 1, D(2024, 4, 30)),
    (D(2024, 11, 15), 1, D(2024, 12, 15)),
    (D(2024, 12, 15), 1, D(2025, 1, 15)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2024, 5, 10), 0, D(2024, 5, 10)),
    (D(2024, 5, 10), 25, D(2026, 6, 10)),
    (D(2024, 3, 31), -1, D(2024, 2, 29)),
    (D(2024, 1, 15), -1, D(2023, 12, 15)),
])
def test_add_months(moment, months, expected):
    assert add_months(moment, months) == expected


def test_add_months_counts_from_the_start_not_cumulatively():
    # Jan 31 + 2 is Mar 31, not (Jan 31 + 1) + 1 = Mar 28/29
    assert add_months(D(2023, 1, 31), 2) == D(2023, 3, 31)


@pytest.mark.parametrize('stop_date, paid_until, expected', [
    (D(2024, 6, 1, 10, 0), datetime.date(2024, 5, 1), 0),       # already well past
    (D(2024, 6, 1, 10, 0), datetime.date(2024, 6, 1), 0),       # past the start of the day
    (D(2024, 1, 15, 10, 0), datetime.date(2024, 2, 10), 1),
    (D(2024, 1, 15, 10, 0), datetime.date(2024, 2, 15), 1),
    (D(2024, 1, 15, 10, 0), datetime.date(2024, 2, 16), 2),
    (D(2024, 1, 31, 0, 0), datetime.date(2024, 2, 29), 1),      # Jan 31 + 1 month = Feb 29
    (D(2023, 1, 31, 0, 0), datetime.date(2023, 3, 1), 2),       # Feb 28 is short of Mar 1
    (D(2024, 1, 15, 10, 0), datetime.date(2024, 12, 31), 12),   # 12 months is within the default limit
])
def test_months_to_reach(stop_date, paid_until, expected):
    assert months_to_reach(stop_date, paid_until) == expected


def test_months_to_reach_is_the_fewest():
    stop_date = D(2024, 1, 15, 10, 0)
    paid_until = datetime.date(2024, 7, 1)
    months = months_to_reach(stop_date, paid_until)
    assert months == 6
    assert add_months(stop_date, months) >= D(2024, 7, 1)
    assert add_months(stop_date, months - 1) < D(2024, 7, 1)


def test_months_to_reach_limit():
    with pytest.raises(ValueError) as info:
        months_to_reach(D(2024, 1, 15, 10, 0), datetime.date(2025, 2, 1))
    text = str(info.value)
    assert '2025-02-01 is more than 12 months' in text  # the caller prefixes the option
    assert '2024-01-15 10:00:00' in text


def test_months_to_reach_custom_limit():
    assert months_to_reach(D(2024, 1, 15), datetime.date(2024, 3, 15), limit=2) == 2
    with pytest.raises(ValueError):
        months_to_reach(D(2024, 1, 15), datetime.date(2024, 3, 16), limit=2)


def test_months_to_reach_compares_days():
    # A number that stops on the paid_until day itself already reaches it: nothing to pay.
    assert months_to_reach(D(2024, 3, 15, 12, 0), datetime.date(2024, 3, 15)) == 0
    assert months_to_reach(D(2024, 3, 15, 12, 0), datetime.date(2024, 3, 16)) == 1


# Validators: every error names the option --------------------------------------------------------------
@pytest.mark.parametrize('value, expected', [
    ('442037691880', '442037691880'),
    ('+44 20 3769 1880', '442037691880'),
    ('+44 (20) 3769-1880', '442037691880'),
    ('44.20.3769.1880', '442037691880'),
    (' +442037691880 ', '442037691880'),
    (442037691880, '442037691880'),
    ('1234567', '1234567'),                   # 7 digits
    ('123456789012345', '123456789012345'),   # 15 digits
    ('(+49) 30-555-0004', '49305550004'),     # brackets and '+' wherever they stand
    ('+49 (30) 555-0004', '49305550004'),
    ('44+2037691880', '442037691880'),
    ('0049 30 5550004', '49305550004'),       # the international prefix 00 is dropped
    ('+0049305550004', '49305550004'),
    ('(0049) 30.555.0004', '49305550004'),
])
def test_check_number_valid(value, expected):
    assert check_number(value) == expected


@pytest.mark.parametrize('value', ['030 5550004', '0305550004', '(030) 555-0004', '+0 30 5550004'])
@pytest.mark.parametrize('option', ['number', 'numbers[2].number', 'phone'])
def test_check_number_refuses_a_national_number_asking_for_the_country_code(value, option):
    with pytest.raises(ValueError) as info:
        check_number(value, option=option)
    assert str(info.value).startswith(option + ': %r is a national number' % value)
    assert 'country code' in str(info.value)


SEPARATORS = st.sampled_from(['', ' ', '.', '-', '(', ')', '+'])


@given(digits=st.text('0123456789', min_size=7, max_size=15).filter(lambda d: not d.startswith('0')),
       separators=st.lists(SEPARATORS, min_size=16, max_size=16), prefix=st.sampled_from(['', '+', '00', '+00', '(00)']))
def test_check_number_every_form_reads_the_same(digits, separators, prefix):
    written = prefix + ''.join(sep + digit for sep, digit in zip(separators, digits))
    assert check_number(written) == digits


@pytest.mark.parametrize('value', [
    '', '   ', None, '123456', '1234567890123456', '44203769188O', '+44 20 3769 1880 ext 1',
    'abc', '+', '44/2037691880', '00', '0012345',
])
@pytest.mark.parametrize('option', ['number', 'forward_to'])
def test_check_number_invalid(value, option):
    with pytest.raises(ValueError) as info:
        check_number(value, option=option)
    assert str(info.value).startswith(option + ': ')
    assert 'international format' in str(info.value)


@pytest.mark.parametrize('value', ['+\uff14\uff14\uff12\uff10\uff13\uff17\uff16\uff19\uff11\uff18\uff18\uff10',
                                   '\u0664\u0664\u0662\u0660\u0663\u0667\u0666\u0669\u0661\u0668\u0668\u0660'])
def test_check_number_refuses_non_ascii_digits(value):
    with pytest.raises(ValueError):
        check_number(value)


@pytest.mark.parametrize('value, expected', [
    ('00001', ('sip_id', '00001')),
    (' 12345 ', ('sip_id', '12345')),
    ('user@sip.example.com', ('uri', 'user@sip.example.com')),
    ('sip:user@sip.example.com', ('uri', 'user@sip.example.com')),
    ('user@sip.example.com:5060', ('uri', 'user@sip.example.com:5060')),
    ('user@sip.example.com:65535', ('uri', 'user@sip.example.com:65535')),
    ('100@192.0.2.10', ('uri', '100@192.0.2.10')),
    ('100@192.0.2.10:5080', ('uri', '100@192.0.2.10:5080')),
    ('first.last+tag@pbx.example.org', ('uri', 'first.last+tag@pbx.example.org')),
])
def test_check_sip_target_valid(value, expected):
    assert check_sip_target(value) == expected


@pytest.mark.parametrize('value', [
    '1234', '123456', 'abcde', '', 'user@', '@host.com', 'user@host', 'user@localhost', 'user@host.com:0',
    'user@host.com:65536', 'user@host.com:port', 'us er@host.com', 'user@@host.com', 'sips:user@host.com',
    'sip:00001',
])
@pytest.mark.parametrize('option', ['sip_id', 'route_to'])
def test_check_sip_target_invalid(value, option):
    with pytest.raises(ValueError) as info:
        check_sip_target(value, option=option)
    assert str(info.value).startswith(option + ': ')


@pytest.mark.parametrize('value', ['', 'Sales', 'Sales Team 2', 'A' * 30, '   ', '0123456789'])
def test_check_caller_name_valid(value):
    assert check_caller_name(value) == value


@pytest.mark.parametrize('value', ['A' * 31, 'Продажи', 'Sales-Team', 'Sales_Team', 'Sales!', 'caf\u00e9',
                                   'tab\there'])
@pytest.mark.parametrize('option', ['caller_name', 'name'])
def test_check_caller_name_invalid(value, option):
    with pytest.raises(ValueError) as info:
        check_caller_name(value, option=option)
    assert str(info.value).startswith(option + ': ')
    assert '30' in str(info.value)


@pytest.mark.parametrize('value', ['Sales\n', 'A' * 30 + '\n'])
def test_check_caller_name_refuses_trailing_newline(value):
    with pytest.raises(ValueError):
        check_caller_name(value)


@pytest.mark.parametrize('value', ['a@example.com', 'first.last+tag@mail.example.co.uk', 'x@y.de'])
def test_check_email_valid(value):
    assert check_email(value) == value


@pytest.mark.parametrize('value', ['', 'plain', 'a@b', 'a@b.c', 'a b@example.com', 'a@@example.com',
                                   '@example.com', 'a@example.com ', 'a@exa mple.com'])
@pytest.mark.parametrize('option', ['email', 'contact_email'])
def test_check_email_invalid(value, option):
    with pytest.raises(ValueError) as info:
        check_email(value, option=option)
    assert str(info.value).startswith(option + ': ')


def test_check_email_refuses_trailing_newline():
    with pytest.raises(ValueError):
        check_email('a@example.com\n')


@pytest.mark.parametrize('value, expected', [('DE', 'DE'), ('de', 'DE'), (' gb ', 'GB'), ('Us', 'US')])
def test_check_country_valid(value, expected):
    assert check_country(value) == expected


@pytest.mark.parametrize('value', ['', 'XX', 'UK', 'DEU', 'D', 'germany', '12', None])
@pytest.mark.parametrize('option', ['country', 'citizenship'])
def test_check_country_invalid(value, option):
    with pytest.raises(ValueError) as info:
        check_country(value, option=option)
    assert str(info.value).startswith(option + ': ')
    assert 'ISO 3166-1' in str(info.value)


@pytest.mark.parametrize('value, expected', [
    ('2024-02-29', datetime.date(2024, 2, 29)),
    (' 2024-12-31 ', datetime.date(2024, 12, 31)),
    (datetime.date(2024, 1, 2), datetime.date(2024, 1, 2)),
])
def test_check_date_valid(value, expected):
    assert check_date(value, 'paid_until') == expected


@pytest.mark.parametrize('value', ['', '2023-02-29', '2024-13-01', '2024-00-10', '2024-2-1', '24-02-01',
                                   '2024/02/01', '2024-02-01 00:00:00', '2024-02-01T00:00', 'tomorrow', None])
@pytest.mark.parametrize('option', ['paid_until', 'date_of_birth'])
def test_check_date_invalid(value, option):
    with pytest.raises(ValueError) as info:
        check_date(value, option)
    assert str(info.value).startswith(option + ': ')
    assert 'YYYY-MM-DD' in str(info.value)


def test_check_non_negative():
    assert check_non_negative(0, 'months') == 0
    assert check_non_negative(None, 'months') is None
    assert check_non_negative(3, 'months') == 3
    with pytest.raises(ValueError) as info:
        check_non_negative(-1, 'months')
    assert str(info.value).startswith('months: ')
