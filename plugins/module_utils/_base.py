# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module shares: auth options, the client, validation, fetch/compare/apply, check mode, diff.

A module declares its options, reads the current state with ``read``, validates with ``check``,
lists the writes it needs as ``Write`` objects, and hands them to ``apply``: in check mode nothing is
sent; otherwise they are sent in order and a failure reports what was already done. ``exit`` adds the
diff (only of the keys the module manages) when ``--diff`` is on.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.zadarma.telephony.plugins.module_utils._client import (
    DEFAULT_API_URL,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    ZadarmaClient,
    ZadarmaError,
)

# api_key and api_secret are required, checked by ``_check_credentials`` so the message names the variable.
AUTH_ARGUMENT_SPEC = dict(
    api_key=dict(type='str', no_log=False, fallback=(env_fallback, ['ZADARMA_API_KEY'])),
    api_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['ZADARMA_API_SECRET'])),
    api_url=dict(type='str', default=DEFAULT_API_URL, fallback=(env_fallback, ['ZADARMA_API_URL'])),
    timeout=dict(type='int', default=30),
    validate_certs=dict(type='bool', default=True),
)

USER_ID_ARGUMENT_SPEC = dict(user_id=dict(type='int'))


class Write(object):
    """One write request: what is sent, what it is for, and what it costs (None = free)."""

    def __init__(self, http_method, method, params, summary, cost=None, currency=None, file=None):
        self.http_method = http_method
        self.method = method
        self.params = params
        self.summary = summary
        self.cost = cost
        self.currency = currency
        self.file = file  # (filename, bytes, content type) for a multipart upload

    def describe(self):
        item = dict(request='%s %s' % (self.http_method, self.method), summary=self.summary)
        if self.cost is not None:
            item.update(cost=self.cost, currency=self.currency)
        return item


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
        if arguments_view is not None:
            self.result['invocation'] = dict(module_args=arguments_view(self.params))
        self.done = []  # writes sent so far, reported on failure
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=str(REQUESTS_IMPORT_ERROR))
        self._check_credentials()
        # api_url, timeout and validate_certs are checked by the client, before any request.
        self.client = self.check(ZadarmaClient, self.params['api_key'], self.params['api_secret'],
                                 self.params['api_url'], timeout=self.params['timeout'],
                                 validate_certs=self.params['validate_certs'])

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
        if self.done:
            result['writes_done'] = [write.describe() for write in self.done]
        self.module.fail_json(msg=msg, **result)

    def check(self, validator, *args, **kwargs):
        """Run a local validator; a ValueError fails the module before any request is sent."""
        try:
            return validator(*args, **kwargs)
        except ValueError as exc:
            self.fail(str(exc))

    # Talking to the API --------------------------------------------------------------------------
    def call(self, http_method, method, params=None, file=None):
        try:
            return self.client.request(http_method, method, params, file=file)
        except ZadarmaError as error:
            self.fail(str(error), **error.to_result())

    def read(self, method, params=None):
        return self.call('GET', method, params)

    def apply(self, writes):
        """Send the writes in order, or none of them in check mode. Returns the responses (None in check mode)."""
        responses = []
        for write in writes:
            if self.check_mode:
                responses.append(None)
                continue
            responses.append(self.call(write.http_method, write.method, write.params, file=write.file))
            self.done.append(write)
        if writes:
            self.result['changed'] = True
        return responses

    # Finishing -----------------------------------------------------------------------------------
    def exit(self, before=None, after=None, **result):
        self.result.update(result)
        if self.module._diff and (before is not None or after is not None):
            self.result['diff'] = dict(before=before or {}, after=after or {})
        self.module.exit_json(**self.result)


def changed_keys(current, desired):
    """The keys whose desired value is set (not None) and differs from the current one."""
    return sorted(key for key, value in desired.items() if value is not None and current.get(key) != value)
