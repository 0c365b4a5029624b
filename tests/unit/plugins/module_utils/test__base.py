# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the module base: the apply/run/fail/exit logic of ZadarmaModule.

The ZadarmaModule methods are exercised on an instance built without ``__init__``, with a stand-in for
AnsibleModule and for the client, so no process exits and no request is sent.
"""

from __future__ import annotations

import json

import pytest

from ansible.module_utils.testing import patch_module_args

from ansible_collections.zadarma.telephony.plugins.module_utils._api import Session, Write
from ansible_collections.zadarma.telephony.plugins.module_utils._base import AUTH_ARGUMENT_SPEC, ZadarmaModule
from ansible_collections.zadarma.telephony.plugins.module_utils._client import ZadarmaClient, ZadarmaError


# ZadarmaModule logic with stand-ins --------------------------------------------------------------------
class Failed(Exception):
    def __init__(self, result):
        super(Failed, self).__init__(result.get('msg'))
        self.result = result


class Exited(Exception):
    def __init__(self, result):
        super(Exited, self).__init__('exit')
        self.result = result


class FakeAnsibleModule(object):
    def __init__(self, check_mode=False, diff=False):
        self.check_mode = check_mode
        self._diff = diff

    def fail_json(self, **result):
        raise Failed(result)

    def exit_json(self, **result):
        raise Exited(result)


class FakeClient(object):
    def __init__(self, fail_on=None):
        self.sent = []
        self.fail_on = fail_on or {}

    def request(self, http_method, method, params=None, file=None, before_resend=None):
        self.sent.append((http_method, method, params) + ((file,) if file else ()))
        if method in self.fail_on:
            raise self.fail_on[method]
        return {'status': 'success', 'method': method}


def make_module(check_mode=False, diff=False, client=None):
    module = ZadarmaModule.__new__(ZadarmaModule)
    module.module = FakeAnsibleModule(check_mode=check_mode, diff=diff)
    module.params = {'user_id': None}
    module.check_mode = check_mode
    module.result = dict(changed=False)
    module.client = client or FakeClient()
    module.api = Session(module.client)
    return module


WRITES = [
    Write('PUT', 'direct_numbers/set_caller_name', {'number': '1', 'caller_name': 'X'}, 'set caller name'),
    Write('PUT', 'direct_numbers/set_sip_id', {'number': '1', 'sip_id': '00001'}, 'route'),
    Write('POST', 'direct_numbers/prolong', {'number': '1', 'months': 1}, 'prolong', cost=2.0, currency='EUR'),
]


def test_apply_in_check_mode_sends_nothing_and_reports_changed():
    module = make_module(check_mode=True)
    assert module.apply(WRITES) == [None, None, None]
    assert module.client.sent == []
    assert module.api.done == []
    assert module.result['changed'] is True


def test_apply_sends_in_order_and_records_done():
    module = make_module()
    responses = module.apply(WRITES)
    assert [r['method'] for r in responses] == [w.endpoint for w in WRITES]
    assert module.client.sent == [(w.http_method, w.endpoint, w.params) for w in WRITES]
    assert module.api.done == WRITES
    assert module.result['changed'] is True


def test_apply_nothing_is_unchanged():
    module = make_module()
    assert module.apply([]) == []
    assert module.result['changed'] is False


def test_apply_failure_reports_what_was_done_and_the_error_keys():
    error = ZadarmaError('the API refused the request (HTTP 400): Wrong SIP id',
                         method='PUT /v1/direct_numbers/set_sip_id/', http_status=400, api_message='Wrong SIP id')
    module = make_module(client=FakeClient(fail_on={'direct_numbers/set_sip_id': error}))
    with pytest.raises(Failed) as info:
        module.apply(WRITES)
    result = info.value.result
    assert result['msg'] == str(error)
    assert result['msg'].startswith('PUT /v1/direct_numbers/set_sip_id/: ')
    assert result['writes_done'] == [WRITES[0].describe()]
    assert result['method'] == 'PUT /v1/direct_numbers/set_sip_id/'
    assert result['http_status'] == 400
    assert result['api_message'] == 'Wrong SIP id'
    assert result['ambiguous'] is False
    # the third write was never sent
    assert [sent[1] for sent in module.client.sent] == ['direct_numbers/set_caller_name',
                                                        'direct_numbers/set_sip_id']


def test_fail_without_writes_has_no_writes_done():
    module = make_module()
    with pytest.raises(Failed) as info:
        module.fail('boom', extra=1)
    assert info.value.result == dict(msg='boom', changed=False, extra=1)


def test_run_turns_value_error_into_failure_before_any_request():
    module = make_module()

    def validator(value, option):
        raise ValueError('%s: %r is wrong' % (option, value))

    with pytest.raises(Failed) as info:
        module.run(validator, 'x', option='number')
    assert info.value.result['msg'] == "number: 'x' is wrong"
    assert module.client.sent == []
    assert module.run(lambda value: value * 2, 21) == 42


def test_run_turns_an_api_error_into_failure_with_its_keys():
    error = ZadarmaError('the API refused the request (HTTP 401): Not authorized', method='GET /v1/sip/',
                         http_status=401, api_message='Not authorized')
    module = make_module(client=FakeClient(fail_on={'sip': error}))
    with pytest.raises(Failed) as info:
        module.run(module.api.request, 'GET', 'sip')
    assert info.value.result['msg'] == str(error) and info.value.result['http_status'] == 401
    assert 'writes_done' not in info.value.result


def test_upload_error_is_a_failure_with_error_keys():
    error = ZadarmaError('HTTP 502. ... NOT sent again ...', method='POST /v1/documents/upload/', http_status=502,
                         ambiguous=True)
    module = make_module(client=FakeClient(fail_on={'documents/upload': error}))
    upload = Write('POST', 'documents/upload', {'group_id': 1}, 'upload a.pdf', file=('a.pdf', b'%PDF', 'application/pdf'))
    with pytest.raises(Failed) as info:
        module.apply([upload])
    assert module.client.sent == [('POST', 'documents/upload', {'group_id': 1}, ('a.pdf', b'%PDF', 'application/pdf'))]
    assert info.value.result['ambiguous'] is True
    assert info.value.result['http_status'] == 502


@pytest.mark.parametrize('diff', [True, False])
def test_exit_adds_diff_only_with_diff_mode(diff):
    module = make_module(diff=diff)
    with pytest.raises(Exited) as info:
        module.exit(before={'a': 1}, after={'a': 2}, number='1')
    result = info.value.result
    assert result['number'] == '1'
    assert result['changed'] is False
    if diff:
        assert result['diff'] == dict(before={'a': 1}, after={'a': 2})
    else:
        assert 'diff' not in result


def test_exit_diff_with_one_side_missing():
    module = make_module(diff=True)
    with pytest.raises(Exited) as info:
        module.exit(before=None, after={'a': 2})
    assert info.value.result['diff'] == dict(before={}, after={'a': 2})


def test_user_id_property():
    module = make_module()
    module.params = {'user_id': 7}
    assert module.user_id == 7


# The real constructor, with module args patched -----------------------------------------------------------
def test_api_secret_is_no_log():
    assert AUTH_ARGUMENT_SPEC['api_secret']['no_log'] is True


def test_constructor_builds_the_client():
    args = dict(api_key='k', api_secret='s', api_url='https://api.zadarma.com/', timeout=12)
    with patch_module_args(args):
        module = ZadarmaModule(dict(number=dict(type='str')), user_id=True)
    assert isinstance(module.client, ZadarmaClient)
    assert module.client.api_url == 'https://api.zadarma.com'
    assert module.client.timeout == 12
    assert module.client.validate_certs is True
    assert 'user_id' in module.params


def test_constructor_allows_validate_certs_false_to_loopback():
    args = dict(api_key='k', api_secret='s', api_url='https://127.0.0.1:8443', validate_certs=False)
    with patch_module_args(args):
        module = ZadarmaModule({})
    assert module.client.validate_certs is False


def _refusal(capsys, args):
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            ZadarmaModule({})
    result = json.loads(capsys.readouterr().out)
    assert result['failed'] is True
    assert 'Traceback' not in json.dumps(result)
    return result


@pytest.mark.parametrize('timeout', [0, -1])
def test_constructor_refuses_a_timeout_not_above_zero(capsys, timeout):
    result = _refusal(capsys, dict(api_key='k', api_secret='top-secret-value', timeout=timeout))
    assert result['msg'].startswith('timeout: must be a number of seconds above 0')


def test_constructor_refuses_validate_certs_false_to_a_remote_host(capsys):
    result = _refusal(capsys, dict(api_key='k', api_secret='top-secret-value', validate_certs=False))
    assert result['msg'].startswith('validate_certs: false is only allowed for a loopback api_url')


@pytest.mark.parametrize('missing, variable', [('api_key', 'ZADARMA_API_KEY'), ('api_secret', 'ZADARMA_API_SECRET')])
@pytest.mark.parametrize('value', [None, '', '  '])
def test_constructor_names_the_variable_of_a_missing_credential(capsys, monkeypatch, missing, variable, value):
    monkeypatch.delenv('ZADARMA_API_KEY', raising=False)
    monkeypatch.delenv('ZADARMA_API_SECRET', raising=False)
    args = dict(api_key='k', api_secret='top-secret-value')
    if value is None:
        del args[missing]
    else:
        args[missing] = value
    result = _refusal(capsys, args)
    assert result['msg'] == '%s is required: set it or %s' % (missing, variable)
    assert 'top-secret-value' not in json.dumps(result)


def test_constructor_reads_the_credentials_from_the_environment(monkeypatch):
    monkeypatch.setenv('ZADARMA_API_KEY', 'env-key')
    monkeypatch.setenv('ZADARMA_API_SECRET', 'env-secret')
    with patch_module_args({}):
        module = ZadarmaModule({})
    assert module.client.api_key == 'env-key'


def test_constructor_refuses_plain_http_to_a_remote_host(capsys):
    args = dict(api_key='k', api_secret='top-secret-value', api_url='http://api.zadarma.com')
    with patch_module_args(args):
        with pytest.raises(SystemExit):
            ZadarmaModule({})
    result = json.loads(capsys.readouterr().out)
    assert result['failed'] is True
    assert 'api_url' in result['msg']
    assert 'top-secret-value' not in json.dumps(result)
