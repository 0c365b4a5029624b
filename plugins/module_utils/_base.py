# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module shares: auth options, the client, failing, check mode, diff. The only layer that talks to Ansible.

A module declares its options, then runs each step with ``run``: a validator, a read of the API layer
(``_api``, through the run's ``api`` session) or the reconcile. Any ``ValueError`` (bad input, a refusal)
or ``ZadarmaError`` fails the module with its message, and the writes already sent. Writes built by the
API layer go to ``apply``: in check mode nothing is sent. ``exit`` adds the diff (only of the keys the
module manages) when ``--diff`` is on.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.zadarma.telephony.plugins.module_utils._api import Session, send
from ansible_collections.zadarma.telephony.plugins.module_utils._client import (
    DEFAULT_API_URL,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    ZadarmaClient,
    ZadarmaError,
)
from ansible_collections.zadarma.telephony.plugins.module_utils._lock import account_lock

# api_key and api_secret are required, checked by ``_check_credentials`` so the message names the variable.
AUTH_ARGUMENT_SPEC = dict(
    api_key=dict(type='str', no_log=False, fallback=(env_fallback, ['ZADARMA_API_KEY'])),
    api_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['ZADARMA_API_SECRET'])),
    api_url=dict(type='str', default=DEFAULT_API_URL, fallback=(env_fallback, ['ZADARMA_API_URL'])),
    timeout=dict(type='int', default=30),
    validate_certs=dict(type='bool', default=True),
)

USER_ID_ARGUMENT_SPEC = dict(user_id=dict(type='int'))


class ZadarmaModule(object):
    def __init__(self, argument_spec, user_id=False, arguments_view=None, **kwargs):
        """``arguments_view``: params -> the arguments every result shows (``invocation``, seen at -vvv), for
        modules whose options carry personal data."""
        spec = dict(AUTH_ARGUMENT_SPEC)
        if user_id:
            spec.update(USER_ID_ARGUMENT_SPEC)
        spec.update(argument_spec)
        self.module = AnsibleModule(argument_spec=spec, supports_check_mode=True, **kwargs)
        self.params = self.module.params
        self.check_mode = self.module.check_mode
        self.result = dict(changed=False)
        self.api = None
        if arguments_view is not None:
            self.result['invocation'] = dict(module_args=arguments_view(self.params))
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
        self._check_credentials()
        # api_url, timeout and validate_certs are checked by the client, before any request.
        self.client = self.run(ZadarmaClient, self.params['api_key'], self.params['api_secret'],
                               self.params['api_url'], timeout=self.params['timeout'],
                               validate_certs=self.params['validate_certs'])
        self.api = Session(self.client)  # what the API layer's functions take: GETs cached, writes recorded

    def _check_credentials(self):
        for option, variable in (('api_key', 'ZADARMA_API_KEY'), ('api_secret', 'ZADARMA_API_SECRET')):
            if not (self.params[option] or '').strip():
                self.fail('%s is required: set it or %s' % (option, variable))

    @property
    def user_id(self):
        return self.params.get('user_id')

    # Failing -------------------------------------------------------------------------------------
    def fail(self, msg, **extra):
        result = dict(self.result)
        result.update(extra)
        if self.api and self.api.done:
            result['writes_done'] = [write.describe() for write in self.api.done]
        self.module.fail_json(msg=msg, **result)

    def run(self, step, *args, **kwargs):
        """Run a step (a validator, a read, the reconcile); a ValueError or an API error fails the module."""
        try:
            return step(*args, **kwargs)
        except ZadarmaError as error:
            self.fail(str(error), **error.to_result())
        except ValueError as exc:
            self.fail(str(exc))

    def account_lock(self):
        """The account's lock on this controller (see ``_lock``), for the paid writes."""
        return account_lock(self.client.api_url, self.params['api_key'])

    # Writing -------------------------------------------------------------------------------------
    def apply(self, writes):
        """Send the writes in order, or none of them in check mode. Returns the responses (None in check mode)."""
        responses = [None if self.check_mode else self.run(send, self.api, write) for write in writes]
        if writes:
            self.result['changed'] = True
        return responses

    # Finishing -----------------------------------------------------------------------------------
    def exit(self, before=None, after=None, **result):
        self.result.update(result)
        if self.module._diff and (before is not None or after is not None):
            self.result['diff'] = dict(before=before or {}, after=after or {})
        self.module.exit_json(**self.result)
