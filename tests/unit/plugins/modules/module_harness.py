# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The harness shared by the module unit tests: run a module's ``main()`` and read the requests it sent.

``exit_json``/``fail_json`` are patched (see ``conftest.py``) to raise :class:`ModuleExit`/:class:`ModuleFail`,
so :func:`run` catches the result. Each test file binds the module under test, for example
``ok = functools.partial(harness.ok, module)``. Import this as
``ansible_collections.zadarma.telephony.tests.unit.plugins.modules.module_harness``.
"""

from __future__ import annotations

import json

from urllib.parse import parse_qsl, urlsplit

import pytest

from ansible.module_utils import basic

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    import contextlib
    from unittest import mock

    @contextlib.contextmanager
    def patch_module_args(args=None):
        with mock.patch.object(basic, '_ANSIBLE_ARGS', json.dumps(dict(ANSIBLE_MODULE_ARGS=args or {})).encode()):
            yield

API = 'https://api.zadarma.com'


class ModuleExit(Exception):
    def __init__(self, result):
        super(ModuleExit, self).__init__(result)
        self.result = result


class ModuleFail(ModuleExit):
    pass


def exit_json(self, **result):  # pylint: disable=unused-argument
    raise ModuleExit(result)


def fail_json(self, **result):  # pylint: disable=unused-argument
    raise ModuleFail(result)


def run(module, args, check_mode=False, diff=False):
    args = dict(args, api_key='key', api_secret='secret', _ansible_check_mode=check_mode, _ansible_diff=diff)
    with patch_module_args(args):
        with pytest.raises(ModuleExit) as caught:
            module.main()
    return caught.value


def ok(module, args, **kwargs):
    outcome = run(module, args, **kwargs)
    assert not isinstance(outcome, ModuleFail), outcome.result
    return outcome.result


def failed(module, args, **kwargs):
    outcome = run(module, args, **kwargs)
    assert isinstance(outcome, ModuleFail), outcome.result
    return outcome.result


def sent(call):
    """(method, path, params) of a request that was sent, without format=json."""
    request = call.request
    parts = urlsplit(request.url)
    body = request.body.decode() if isinstance(request.body, bytes) else request.body
    params = dict(parse_qsl(parts.query if request.method == 'GET' else body or '', keep_blank_values=True))
    params.pop('format', None)
    return request.method, parts.path, params


def calls(api):
    return [sent(call) for call in api.calls]


def writes(api):
    return [entry for entry in calls(api) if entry[0] != 'GET']


def success(**body):
    return dict(status='success', **body)
