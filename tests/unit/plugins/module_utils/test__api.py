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

    def request(self, http_method, endpoint, params=None, file=None, before_resend=None):
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
    caller_name_write = ('PUT', 'direct_numbers/set_caller_name', dict(number='1', type='common', caller_name='X'))
    assert client.sent[-2:] == [caller_name_write, ('GET', 'sip', None)]


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
    expected = dict(number='442037691880', type='common', sip_id='00001')
    assert api.route_write(record, '00001', None, 'route').params == expected
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


# After a 429 on a POST: re-sent only while the state it would change is as planned -------------------------
class RateLimitedOnce(FakeClient):
    """Answers the first POST like the client after a 429: asks before_resend, sends again only if it says so."""

    def request(self, http_method, endpoint, params=None, file=None, before_resend=None):
        if http_method == 'POST':
            self.sent.append((http_method, endpoint, params))
            if before_resend is None or not before_resend():
                return dict(status='error', message='not sent again')
        return super(RateLimitedOnce, self).request(http_method, endpoint, params, file)


def owned_list(*numbers, **record):
    return dict(info=[dict(dict(number=n, stop_date='2026-03-10 10:00:00'), **record) for n in numbers])


def test_an_order_is_sent_again_only_while_the_number_is_not_owned():
    write = api.order_write('442030000042', dict(number_id='x'), 'order it', 2.0, 'USD')
    assert write.still_needed(FakeClient({'direct_numbers': owned_list('442037691880')})) is True
    assert write.still_needed(FakeClient({'direct_numbers': owned_list('442030000042')})) is False
    client = RateLimitedOnce({'direct_numbers': owned_list('442037691880')})
    session = Session(client)
    api.owned_numbers(session)  # cached before the write
    assert api.send(session, write) == dict(status='success')
    assert client.sent == [('GET', 'direct_numbers', None), ('POST', 'direct_numbers/order', dict(number_id='x')),
                           ('GET', 'direct_numbers', None), ('POST', 'direct_numbers/order', dict(number_id='x'))]
    api.owned_numbers(session)
    assert client.sent[-1] == ('GET', 'direct_numbers', None)  # what before_resend read is not kept


def test_a_prolongation_is_sent_again_only_while_the_stop_date_has_not_moved():
    record = dict(number='442037691880', stop_date='2026-03-10 10:00:00', currency='USD')
    write = api.prolong_write(record, 1, 'prolong', 2.0)
    assert write.still_needed(FakeClient({'direct_numbers': owned_list('442037691880')})) is True
    moved = owned_list('442037691880', stop_date='2026-04-10 10:00:00')
    assert write.still_needed(FakeClient({'direct_numbers': moved})) is False


def test_a_channels_change_is_paid_at_no_published_price_and_never_sent_as_idempotent():
    record = dict(number='442037691880', channels=2, currency='USD', type='common')
    write = api.channels_write(record, 4, 'set channels to 4')
    assert (write.http_method, write.endpoint, write.params) == ('PUT', 'direct_numbers/incoming_channels',
                                                                 dict(number='442037691880', channels=4))
    assert write.paid and write.cost is None
    assert write.describe() == dict(request='PUT direct_numbers/incoming_channels', summary='set channels to 4',
                                    cost=None, currency='USD', note=api.NO_PRICE)
    assert write.still_needed(FakeClient({'direct_numbers': owned_list('442037691880', channels='2')})) is True
    assert write.still_needed(FakeClient({'direct_numbers': owned_list('442037691880', channels='4')})) is False
    sent = []

    class Recording(FakeClient):
        def request(self, http_method, endpoint, params=None, file=None, before_resend=None, **options):
            sent.append((http_method, endpoint, before_resend is not None, options))
            return dict(status='success')

    session = Session(Recording())
    api.send(session, write)
    api.send(session, api.autoprolongation_write(record, 'on', 'renew'))
    assert sent == [('PUT', 'direct_numbers/incoming_channels', True, dict(idempotent=False)),
                    ('PUT', 'direct_numbers/autoprolongation', False, {})]


def test_a_group_creation_is_sent_again_only_while_no_group_matches():
    desired = dict(salutation='MS', first_name='Anna', last_name='Schmidt', email='anna@example.com')
    write = api.create_group_write(dict(desired), 'create a document group', desired, 1001)
    assert write.still_needed(FakeClient({'documents/groups/list': dict(groups=[])})) is True
    created = dict(groups=[dict(desired, id=7)])
    client = FakeClient({'documents/groups/list': created})
    assert write.still_needed(client) is False
    assert client.sent == [('GET', 'documents/groups/list', dict(user_id=1001))]


def test_an_upload_is_sent_again_only_while_the_group_holds_as_many_copies():
    write = api.upload_write(5, 'passport', None, ('p.pdf', b'%PDF-', 'application/pdf'), 'upload', 0)
    assert write.still_needed(FakeClient({'documents/files': dict(documents=[])})) is True
    uploaded = dict(documents=[dict(name='p.pdf', type='passport', is_verified='false')])
    assert write.still_needed(FakeClient({'documents/files': uploaded})) is False
