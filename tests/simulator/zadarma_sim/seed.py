# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The default seed: catalogue (countries, destinations, available numbers) and accounts.

``--seed FILE`` replaces it with a JSON document of the same structure. Dates of owned numbers are
relative (``start_days_ago``, ``stop_in_days``) so a seed never goes stale; absolute ``start_date`` /
``stop_date`` strings (``YYYY-MM-DD HH:MM:SS``) are accepted too. Destination ids are fixed: tests rely on them.
Available numbers are generated: ``prefix`` followed by a running suffix, zero-padded to ``length`` digits.
"""

import copy
import json

NO_RESTRICTIONS = {'upload': [], 'specify': []}


def _dest(dest_id, name, area, fees, numbers, **extra):
    """One destination; ``fees`` = (connect_fee, monthly_fee), ``numbers`` = (prefix, length)."""
    record = {
        'id': dest_id, 'name': name, 'area_code': area, 'connect_fee': fees[0], 'monthly_fee': fees[1],
        'restrictions': NO_RESTRICTIONS, 'receive_sms': 'false', 'is_toll': 'false', 'feature': None,
        'connect_time': '0', 'numbers': {'prefix': numbers[0], 'length': numbers[1], 'count': 250},
    }
    record.update(extra)
    return record


COUNTRIES = [
    {'iso': 'DE', 'name': 'Germany', 'code': '49', 'destinations': [
        _dest(3766, 'Berlin', '30', (3.0, 4.0), ('49301', 11),
              restrictions={'upload': ['passport'], 'specify': ['address']}),
        _dest(3767, 'Munich', '89', (3.0, 4.0), ('49891', 11)),
        _dest(3753, '800 number (Toll-free)', '800', (10.0, 15.0), ('49800', 12), is_toll='true',
              feature='Available from all networks'),
    ]},
    {'iso': 'GB', 'name': 'United Kingdom', 'code': '44', 'destinations': [
        _dest(13755, 'London', '20', (0.0, 2.0), ('442030', 12)),
        _dest(13756, 'Manchester', '161', (0.0, 2.0), ('441610', 12)),
    ]},
    {'iso': 'AT', 'name': 'Austria', 'code': '43', 'destinations': [
        _dest(4301, 'Vienna', '1', (5.0, 6.0), ('43150', 11),
              restrictions={'upload': ['company_letter'], 'specify': ['organization', 'address']}),
    ]},
    {'iso': 'US', 'name': 'United States', 'code': '1', 'destinations': [
        _dest(1212, 'New York', '212', (1.0, 3.0), ('1212555', 11), receive_sms='true'),
        _dest(1415, 'San Francisco', '415', (1.0, 3.0), ('1415555', 11), receive_sms='true'),
    ]},
]


def _group(salutation, first, last, email, place, phone):
    """The main document group (id 0) of an account; ``place`` = (country, city, street, building, zip)."""
    country, city, street, building, zip_code = place
    return {
        'id': 0, 'email': email, 'salutation': salutation, 'first_name': first, 'last_name': last,
        'country': country, 'city': city, 'street': street, 'building_number': building, 'zip_code': zip_code,
        'address': '{0} {1}, {2}'.format(street, building, zip_code), 'phone': phone,
    }


ACCOUNTS = [
    {
        'user_id': None, 'balance': 100.0, 'sips_left': 2,
        'sips': [
            {'id': '00001', 'display_name': 'Reception', 'lines': 3},
            {'id': '00002', 'display_name': 'Support', 'lines': 3},
            {'id': '00003', 'display_name': 'Berlin office', 'lines': 3},
        ],
        'numbers': [
            {'number': '442037691880', 'direction_id': 13755, 'status': 'on', 'sip': '00001',
             'number_name': 'Reception', 'autorenew': 'true', 'start_days_ago': 5, 'stop_in_days': 25},
            {'number': '12125550199', 'direction_id': 1212, 'status': 'on', 'sip': '', 'number_name': None,
             'autorenew': 'false', 'start_days_ago': 25, 'stop_in_days': 5},
        ],
        'groups': [_group('MR', 'John', 'Smith', 'john.smith@example.com',
                          ('DE', 'Berlin', 'Brudden Strasse', '8', '10115'), '4930000000')],
        'files': [],
        'wrongs': {},
    },
    {
        'user_id': 1001, 'balance': 20.0, 'sips_left': 0, 'sips': [], 'numbers': [], 'files': [], 'wrongs': {},
        'groups': [_group('MS', 'Anna', 'Berger', 'anna.berger@example.com',
                          ('AT', 'Vienna', 'Ringstrasse', '12', '1010'), '43100000000')],
    },
    {
        'user_id': 1002, 'balance': 20.0, 'sips_left': 0, 'sips': [], 'numbers': [], 'files': [], 'wrongs': {},
        'groups': [_group('MR', 'Oliver', 'Brown', 'oliver.brown@example.com',
                          ('GB', 'London', 'Baker Street', '221', 'NW1 6XE'), '442070000000')],
    },
]

DEFAULT_SEED = {'currency': 'USD', 'countries': COUNTRIES, 'accounts': ACCOUNTS}


def default_seed():
    """A private copy of the default seed."""
    return copy.deepcopy(DEFAULT_SEED)


def load_seed(path):
    """Read a seed JSON file; raise ValueError when it lacks the top-level keys."""
    with open(path, encoding='utf-8') as handle:
        seed = json.load(handle)
    missing = [key for key in ('countries', 'accounts') if key not in seed]
    if missing:
        raise ValueError('seed {0}: missing key(s) {1}'.format(path, ', '.join(missing)))
    seed.setdefault('currency', 'USD')
    return seed
