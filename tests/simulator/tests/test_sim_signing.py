# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""zadarma_sim.signing against the test vectors of the API notes (computed with the official PHP SDK)."""

import pytest

from zadarma_sim import signing

KEY, SECRET = 'test_key_1234567890', 'test_secret_abcdef'
VECTORS = [
    ('/v1/info/balance/', {}, 'NTFmYmQ2ZGQzNWU2ZGY4YzQ5M2U3NDY1Y2VjYzI2MGFkOGI4OTgwZQ=='),
    ('/v1/info/balance/', {'format': 'json'}, 'ODY5MGNmNDVmMzkxYjM2YzBlMWJkOTg2OWQzYjJjY2JkNTkxMTU3ZA=='),
    ('/v1/statistics/', {'start': '2024-01-01 00:00:00', 'end': '2024-01-31 23:59:59', 'sip': '00001', 'format': 'json'},
     'NjI3NGJjYWIxNmIzYzdjYTA3YTcyMTE5ZTkwM2U5MjZiODc3NzNhMA=='),
    ('/v1/direct_numbers/order/', {'direction_id': '3766', 'documents_group_id': '12',
                                   'number_id': '1712p0D1643D0t42r198658', 'period': 'month', 'format': 'json'},
     'YzFjZTJhMzk0MTBkNjgzYzEyNjNkMmVjNDE0YTI5MWE4YTFkNWI0Yg=='),
    ('/v1/direct_numbers/set_caller_name/', {'number': '442037691880', 'caller_name': '', 'format': 'json'},
     'NWE5NDMzZDkyMzM4ZmM1NzllMDIyZTBmYTc4NDE2MzZjZGYxNjBmOA=='),
]


@pytest.mark.parametrize('path, params, expected', VECTORS)
def test_vectors(path, params, expected):
    assert signing.signature(path, params, SECRET) == expected
    assert len(expected) == 56
    assert signing.authorization(KEY, SECRET, path, params) == KEY + ':' + expected
    assert signing.verify(KEY + ':' + expected, KEY, SECRET, path, params)


def test_param_string_of_the_notes():
    params = {'start': '2024-01-01 00:00:00', 'end': '2024-01-31 23:59:59', 'sip': '00001', 'format': 'json'}
    assert signing.param_string(params) == 'end=2024-01-31+23%3A59%3A59&format=json&sip=00001&start=2024-01-01+00%3A00%3A00'


def test_rfc1738_encoding():
    assert signing.rfc1738('a~b*c@d e-f_g.h') == 'a%7Eb%2Ac%40d+e-f_g.h'
    assert signing.rfc1738('ü') == '%C3%BC'
    assert signing.param_string({'b': None, 'a': ''}) == 'a='


@pytest.mark.parametrize('header', [
    None, '', 'no-colon', KEY + ':' + 'x' * 56, 'other_key:ODY5MGNmNDVmMzkxYjM2YzBlMWJkOTg2OWQzYjJjY2JkNTkxMTU3ZA==',
])
def test_verify_refuses(header):
    assert not signing.verify(header, KEY, SECRET, '/v1/info/balance/', {'format': 'json'})


def test_verify_is_bound_to_path_and_params():
    header = signing.authorization(KEY, SECRET, '/v1/info/balance/', {'format': 'json'})
    assert not signing.verify(header, KEY, SECRET, '/v1/info/balance', {'format': 'json'})
    assert not signing.verify(header, KEY, SECRET, '/v1/info/balance/', {'format': 'json', 'x': '1'})
    assert not signing.verify(header, KEY, 'other-secret', '/v1/info/balance/', {'format': 'json'})
