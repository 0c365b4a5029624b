# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the API layer: Write, the run's Session (GET cache cleared by a write) and the normalised reads.

The client is a stand-in that answers from a dict keyed by endpoint and records every request: no HTTP.
"""

from __future__ import annotations

import json
import pathlib
import re

from ansible_collections.zadarma.telephony.plugins.module_utils import _api as api
from ansible_collections.zadarma.telephony.plugins.module_utils._api import Session, Write


class FakeClient(object):
    def __init__(self, answers=None):
        self.answers = answers or {}
        self.sent = []

    def request(self, http_method, endpoint, params=None, file=None):
        self.sent.append((http_method, endpoint, params))
        return self.answers.get(endpoint, dict(status='success'))


# Write -------------------------------------------------------------------------------------------------
def test_write_describe_free():
    write = Write('PUT', 'direct_numbers/set_sip_id', {'number': '1', 'sip_id': '00001'}, 'route to 00001')
    assert write.describe() == dict(request='PUT direct_numbers/set_sip_id', summary='route to 00001')


def test_write_describe_with_cost():
    write = Write('POST', 'direct_numbers/prolong', {'number': '1', 'months': 2}, 'prolong 2 months',
                  cost=4.0, currency='EUR')
    assert write.describe() == dict(request='POST direct_numbers/prolong', summary='prolong 2 months', cost=4.0,
                                    currency='EUR')


def test_write_describe_never_shows_params():
    write = Write('POST', 'documents/groups/create', {'secret_like': 'passport 123'}, 'create group')
    assert 'passport 123' not in json.dumps(write.describe())


# Session -----------------------------------------------------------------------------------------------
def test_session_reads_each_get_once_and_forgets_after_a_write():
    client = FakeClient(dict(sip=dict(sips=[dict(id='00001')])))
    session = Session(client)
    assert api.sip_ids(session) == {'00001'}
    assert api.sip_ids(session) == {'00001'}
    assert api.available_numbers(session, 13755, '44') == [] and api.available_numbers(session, 13755, '44') == []
    assert len(client.sent) == 2  # one per (endpoint, params)
    write = api.caller_name_write(dict(number='1', type='common'), 'X', 'name it')
    api.send(session, write)
    assert session.done == [write]
    api.sip_ids(session)
    assert client.sent[-2:] == [('PUT', 'direct_numbers/set_caller_name', dict(number='1', type='common',
                                                                                caller_name='X')), ('GET', 'sip', None)]


def test_functions_take_a_plain_client_too():
    client = FakeClient({'info/balance': dict(balance='12.50', currency='EUR'),
                         'direct_numbers': dict(info=[dict(number='+44 20 3769 1880', sip='', autorenew='on')])})
    assert api.balance(client) == dict(amount=12.5, currency='EUR')
    owned = api.owned_numbers(client)
    assert list(owned) == ['442037691880'] and owned['442037691880']['sip'] is None
    assert owned['442037691880']['autoprolongation'] is True
    assert api.owned_numbers(client) == owned and len(client.sent) == 3  # no cache without a Session


def test_validity_has_one_shape():
    client = FakeClient({'documents/groups/valid/5': dict(is_information_match='true', is_documents_uploaded='true',
                                                          is_documents_verified='false', is_address_match='true')})
    assert api.group_validity(client, 5, 3766, 1001) == dict(information=True, documents_uploaded=True,
                                                             documents_verified=False, address=True, valid=False)
    assert client.sent == [('GET', 'documents/groups/valid/5', dict(direction_id=3766, user_id=1001))]


def test_route_write_sends_test_mode_only_when_given():
    record = dict(number='442037691880', type='common')
    assert api.route_write(record, '00001', None, 'route').params == dict(number='442037691880', type='common',
                                                                           sip_id='00001')
    assert api.route_write(dict(number='1'), '00001', 'on', 'route').params == dict(number='1', sip_id='00001',
                                                                                    test_mode='on')


def test_no_other_file_spells_an_endpoint():
    root = pathlib.Path(api.__file__).resolve().parents[1]
    endpoint = re.compile(r"""/v1/|['"]direct_numbers['"]|\b(?:direct_numbers|documents|info|sip)/[a-z_-]""")

    def code(path):  # a module's documentation may name the API's paths; its code may not
        text = path.read_text()
        return text.rsplit("\'\'\'", 1)[-1] if path.parent.name == 'modules' else text

    spelled = [str(path.relative_to(root)) for path in root.rglob('*.py')
               if path.name not in ('_api.py', '_client.py') and endpoint.search(code(path))]
    assert spelled == []
