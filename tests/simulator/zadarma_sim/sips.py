# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Handlers of /v1/sip/* (mixed into state.State). Minimal: SIP logins exist to route numbers to."""

import re

from .common import ApiError, Backend, choice, number_param, required

SIP_ID_RE = re.compile(r'^[0-9]{5}$')


def sip_record(values):
    """A stored SIP login; ``redirection`` is its call forwarding."""
    sip_id = str(values.get('id', ''))
    if not SIP_ID_RE.match(sip_id):
        raise ApiError('Wrong SIP id: {0!r} (5 digits)'.format(sip_id))
    return {
        'id': sip_id, 'display_name': str(values.get('display_name') or 'SIP ' + sip_id),
        'lines': int(values.get('lines', 3)), 'caller_id': values.get('caller_id'),
        'redirection': dict({'status': 'off', 'condition': 'always', 'destination': 'phone', 'destination_value': ''},
                            **(values.get('redirection') or {})),
    }


class SipApi(Backend):
    """SIP logins of an account."""

    def sips(self, account, _params):
        return {'sips': [{key: sip[key] for key in ('id', 'display_name', 'lines')} for sip in account.sips],
                'left': account.sips_left}

    @staticmethod
    def _sip(account, sip_id):
        sip = account.sip(str(sip_id))
        if sip is None:
            raise ApiError('Wrong sip_id')
        return sip

    def sip_status(self, account, _params, sip_id):
        return {'sip': self._sip(account, sip_id)['id'], 'is_online': 'false'}

    def set_sip_caller_id(self, account, params):
        sip = self._sip(account, required(params, 'id'))
        number = number_param(params)
        account.number(number)  # must be a number of the account
        sip['caller_id'] = number
        return {'sip': sip['id'], 'new_caller_id': number}

    def redirection(self, account, params):
        sips = [self._sip(account, params['id'])] if params.get('id') else account.sips
        return {'info': [dict(sip['redirection'], sip_id=sip['id']) for sip in sips]}

    def set_redirection(self, account, params):
        sip = self._sip(account, required(params, 'id'))
        if params.get('status'):
            sip['redirection']['status'] = choice(params, 'status', ('on', 'off'))
            return {'sip': sip['id'], 'current_status': sip['redirection']['status']}
        if choice(params, 'type', ('phone',)) is None:
            required(params, 'type')
        number = number_param(params)
        condition = choice(params, 'condition', ('always', 'unavailable'), 'always')
        sip['redirection'].update(destination='phone', destination_value=number, condition=condition)
        return {'sip': sip['id'], 'destination': number}

    def create_sip(self, account, params):
        name = required(params, 'name')
        required(params, 'password')
        number_param(params, 'callerid')
        if params.get('redirect_to_phone'):
            number_param(params, 'redirect_to_phone')
        if account.sips_left <= 0:
            raise ApiError('No SIP logins left on this account')
        used = {int(sip['id']) for acct in self.accounts.values() for sip in acct.sips}
        sip = sip_record({'id': '{0:05d}'.format(max(used | {0}) + 1), 'display_name': name})
        account.sips.append(sip)
        account.sips_left -= 1
        return {'sip': sip['id']}

    def set_sip_password(self, account, params, sip_id):
        sip = self._sip(account, sip_id)
        if len(required(params, 'value')) < 8:
            raise ApiError('Wrong parameter: value (at least 8 characters)')
        return {'sip': sip['id']}
