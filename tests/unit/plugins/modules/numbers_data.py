# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Number API URLs, sample records and ``add_*`` helpers shared by the unit tests of the number modules.

Import this as ``ansible_collections.zadarma.telephony.tests.unit.plugins.modules.numbers_data``.
The sample records are shared by several test files: copy them (``dict(LONDON, ...)``), never change them.
"""

from __future__ import annotations

from ansible_collections.zadarma.telephony.tests.unit.plugins.modules.module_harness import API, success

LIST = API + '/v1/direct_numbers/'
SIPS = API + '/v1/sip/'
BALANCE = API + '/v1/info/balance/'
COUNTRIES = API + '/v1/direct_numbers/countries/'
COUNTRY = API + '/v1/direct_numbers/country/'
AVAILABLE = API + '/v1/direct_numbers/available/%d/'
VALID = API + '/v1/documents/groups/valid/%d/'
ORDER = API + '/v1/direct_numbers/order/'
PROLONG = API + '/v1/direct_numbers/prolong/'
SET_SIP = API + '/v1/direct_numbers/set_sip_id/'
SET_CALLER = API + '/v1/direct_numbers/set_caller_name/'
AUTOPROLONG = API + '/v1/direct_numbers/autoprolongation/'
CHANNELS = API + '/v1/direct_numbers/incoming_channels/'
DETAIL = API + '/v1/direct_numbers/number/'
RECEIVE_SMS = API + '/v1/direct_numbers/receive_sms/'


def owned(number, **changes):
    """An owned number as the list method returns it."""
    item = dict(number=number, status='on', country='United Kingdom', description='London', number_name=None, sip='',
                sip_name=None, start_date='2026-02-10 10:00:00', stop_date='2026-03-10 10:00:00', monthly_fee=2.0,
                currency='USD', channels=2, minutes=0, autorenew='true', is_on_test='false', type='common')
    item.update(changes)
    return item


RECEPTION = owned('442037691880', sip='00001', sip_name='Reception', number_name='Reception')
US = owned('12125550199', country='United States', description='New York', autorenew='false', monthly_fee=3.0,
           stop_date='2026-02-15 10:00:00')
LONDON = dict(id='13755', countryCode='44', areaCode='20', name='London', connect_fee=0.0, monthly_fee=2.0,
              currency='USD', restrictions=dict(upload=[], specify=[]), receive_sms='false', is_toll='false',
              feature=None, connect_time='0')
BERLIN = dict(LONDON, id='3766', countryCode='49', areaCode='30', name='Berlin', connect_fee=3.0, monthly_fee=4.0,
              restrictions=dict(upload=['passport'], specify=['address']))
NEW = '442030000042'
NEW_ID = '13755p42D1D2t3r4'
ORDER_ARGS = dict(number=NEW, direction_id=13755, country='GB')


def add_list(api, *items):
    api.get(LIST, json=success(info=list(items)))


def add_sips(api):
    api.get(SIPS, json=success(sips=[dict(id='00001', display_name='Reception', lines=3),
                                     dict(id='00002', display_name='Support', lines=3)], left=0))


def add_balance(api, amount=100.0):
    api.get(BALANCE, json=success(balance=amount, currency='USD'))


def add_catalogue(api, available=((NEW_ID, NEW),), destination=None, direction_id=13755):
    """Register the available numbers of a destination and the destination itself (LONDON by default)."""
    destination = destination or LONDON
    api.get(AVAILABLE % direction_id, json=success(numbers=[dict(id=i, direction_id=direction_id, number=n)
                                                            for i, n in available]))
    api.get(COUNTRY, json=success(info=[destination]))


def add_detail(api, item, receive_sms):
    """The per-number read of an owned number (``item`` as the list gives it): '+' before the digits, no
    ``minutes`` nor ``type``, and ``receive_sms`` (None when the number cannot receive SMS)."""
    info = dict((k, v) for k, v in item.items() if k not in ('minutes', 'type'))
    api.get(DETAIL, json=success(info=dict(info, number='+' + item['number'], channels=str(item['channels']),
                                           receive_sms=receive_sms)))
