# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Handlers of /v1/info/balance/ and /v1/direct_numbers/* (mixed into state.State)."""

import re

from .common import ApiError, Backend, add_months, choice, fmt_date, now, flag, int_param, money, number_param, required

STATUSES = ('on', 'parking', 'checking', 'checking_upload', 'reserved_on', 'reserved_checking',
            'reserved_checking_upload')
LIST_FIELDS = ('number', 'status', 'country', 'description', 'number_name', 'sip', 'sip_name', 'start_date',
               'stop_date', 'monthly_fee', 'currency', 'channels', 'minutes', 'autorenew', 'is_on_test')
INFO_FIELDS = ('number', 'status', 'country', 'description', 'number_name', 'sip', 'sip_name', 'start_date',
               'stop_date', 'monthly_fee', 'currency', 'channels', 'autorenew', 'receive_sms', 'is_on_test')
# Group fields that a destination's restrictions.specify entry requires.
SPECIFY_FIELDS = {
    'address': ('country', 'city', 'street', 'building_number', 'zip_code'),
    'organization': ('organization', 'organization_reg_number'),
    'id': ('type_of_id', 'id_number'),
}
CALLER_NAME_RE = re.compile(r'^[A-Za-z0-9 ]{0,30}$')
SIP_ID_RE = re.compile(r'^[0-9]{5}$')
SIP_URI_RE = re.compile(r'^[^@:\s]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?$')
PERIOD_MONTHS = {'month': 1, '3month': 3}


def list_entry(record):
    entry = {key: record[key] for key in LIST_FIELDS}
    entry['type'] = 'common' if record['status'] in ('on', 'parking') else 'order'
    return entry


def info_entry(record, dest):
    entry = {key: record[key] for key in INFO_FIELDS}
    entry['number'] = '+' + record['number']  # the vendor's quirk: info has '+', the list has not
    entry['channels'] = str(record['channels'])
    # The spec: null when the number cannot receive SMS (its destination has none); else on or off.
    entry['receive_sms'] = (record['receive_sms'] or 'false') if sms_capable(dest) else None
    return entry


def sms_capable(dest):
    return bool(dest) and dest.get('receive_sms') == 'true'


def destination_entry(dest, currency):
    return {
        'id': str(dest['id']), 'countryCode': dest['country_code'], 'areaCode': dest['area_code'],
        'name': dest['name'], 'connect_fee': dest['connect_fee'], 'monthly_fee': dest['monthly_fee'],
        'currency': currency, 'restrictions': dest['restrictions'], 'receive_sms': dest['receive_sms'],
        'is_toll': dest['is_toll'], 'feature': dest['feature'], 'connect_time': str(dest['connect_time']),
    }


class NumbersApi(Backend):
    """Balance and virtual numbers. Relies on State: catalog, currency, owned, auto_verify."""

    def balance(self, account, _params):
        return {'balance': account.balance, 'currency': self.currency}

    def numbers(self, account, _params):
        return {'info': [list_entry(record) for record in account.numbers.values()]}

    def number_info(self, account, params):
        record = account.number(number_param(params))
        return {'info': info_entry(record, self.catalog.destinations.get(record.get('direction_id')))}

    # Per-number settings --------------------------------------------------------------------------
    def autoprolongation(self, account, params):
        record = account.number(number_param(params))
        return {'number': record['number'], 'autoprolongation': 'on' if record['autorenew'] == 'true' else 'off'}

    def set_autoprolongation(self, account, params):
        record = account.number(number_param(params))
        value = choice(params, 'value', ('on', 'off')) or required(params, 'value')
        record['autorenew'] = flag(value)
        return {'number': record['number'], 'autoprolongation': value}

    def set_caller_name(self, account, params):
        record = account.number(number_param(params))
        name = params.get('caller_name')
        if name is None:
            raise ApiError('Missing parameter: caller_name')
        if not CALLER_NAME_RE.match(name):
            raise ApiError('Wrong parameter: caller_name (up to 30 Latin letters, digits and spaces)')
        record['number_name'] = name or None
        return {'number': record['number'], 'caller_name': name}

    def set_sip_id(self, account, params):
        record = account.number(number_param(params))
        target = required(params, 'sip_id').strip()
        test_mode = choice(params, 'test_mode', ('on', 'off'))
        sip = account.sip(target) if SIP_ID_RE.match(target) else None
        if sip is None and not SIP_URI_RE.match(target):
            raise ApiError('Wrong sip_id')
        record['sip'] = target
        record['sip_name'] = sip['display_name'] if sip else None
        if test_mode:
            record['is_on_test'] = flag(test_mode)
        return {'number': record['number'], 'sip_id': target}

    def incoming_channels(self, account, params):
        if params.get('number'):
            account.number(number_param(params))
        elif params.get('direction_id'):
            self.catalog.destination(params['direction_id'])
        return {}

    def set_incoming_channels(self, account, params):
        record = account.number(number_param(params))
        channels = int_param(params, 'channels')
        if not 1 <= channels <= 100:
            raise ApiError('Wrong parameter: channels')
        record['channels'] = channels
        return {}

    def set_receive_sms(self, account, params):
        record = account.number(number_param(params))
        value = choice(params, 'value', ('on', 'off')) or required(params, 'value')
        if not sms_capable(self.catalog.destinations.get(record.get('direction_id'))):
            raise ApiError('SMS reception is not available for this number')
        if params.get('documents_group_id') not in (None, ''):
            account.group(int_param(params, 'documents_group_id'))  # 0 is the main group
        record['receive_sms'] = flag(value)
        return {'number': record['number'], 'receive_sms': value}

    # Catalogue -------------------------------------------------------------------------------------
    def countries(self, _account, _params):
        return {'info': [{'countryCode': c['code'], 'countryCodeIso': c['iso'], 'name': c['name']}
                         for c in self.catalog.countries.values()]}

    def country(self, _account, params):
        country = self.catalog.countries.get(str(required(params, 'country')).upper())
        if country is None:
            raise ApiError('Wrong parameter: country (no such country)')
        dests = [self.catalog.destinations[did] for did in country['destinations']]
        if params.get('direction_id'):
            wanted = self.catalog.destination(params['direction_id'])
            dests = [dest for dest in dests if dest['id'] == wanted['id']]
            if not dests:
                raise ApiError('Wrong parameter: direction_id (not in this country)')
        return {'info': [destination_entry(dest, self.currency) for dest in dests]}

    def available(self, _account, params, direction_id):
        dest = self.catalog.destination(direction_id)
        mask = ''.join(ch for ch in params.get('mask') or '' if ch.isdigit())
        return {'numbers': [{'id': item['id'], 'direction_id': dest['id'], 'number': item['number']}
                            for item in self.catalog.available[dest['id']]
                            if item['number'] not in self.owned and mask in item['number']]}

    def checking_wrongs(self, account, params):
        group_id = int_param(params, 'group_id')
        return {'info': dict(account.wrongs.get(str(group_id)) or {})}

    # Paid operations ---------------------------------------------------------------------------------
    def order(self, account, params):
        dest = self.catalog.destination(required(params, 'direction_id'))
        group = account.group(int_param(params, 'documents_group_id'))
        months = PERIOD_MONTHS[choice(params, 'period', tuple(PERIOD_MONTHS), 'month')]
        autorenew_period = choice(params, 'autorenew_period', ('month', 'year'), 'month')
        receive_sms = choice(params, 'receive_sms', ('0', '1'))
        number = self._pick_number(dest, params.get('number_id'))
        self.charge(account, 'order', number, money(dest['connect_fee'] + dest['monthly_fee'] * months))
        status = self.order_status(account, group, dest)
        record = self.number_record(account, {
            'number': number, 'direction_id': dest['id'], 'status': status, 'autorenew': 'true',
            'stop_date': add_months(fmt_date(now()), months), 'group_id': group['id'], 'autorenew_period': autorenew_period,
            'purpose': params.get('purpose') or None, 'receive_sms': None if receive_sms is None else flag(receive_sms),
        })
        account.numbers[number] = record
        self.owned.add(number)
        return {'number': number, 'is_reserved': 'false', 'is_activated': flag(status == 'on')}

    def _pick_number(self, dest, wanted_id):
        for item in self.catalog.available[dest['id']]:
            if item['number'] not in self.owned and (not wanted_id or item['id'] == wanted_id):
                return item['number']
        raise ApiError('Number is not available')

    def order_status(self, account, group, dest):
        restrictions = dest['restrictions']
        if not restrictions['upload'] and not restrictions['specify']:
            return 'on'
        check = self.validity(account, group, dest)
        if all(check.values()):
            return 'on'
        return 'checking' if check['is_documents_uploaded'] else 'checking_upload'

    def prolong(self, account, params):
        record = account.number(number_param(params))
        months = int_param(params, 'months')
        if not 1 <= months <= 12:
            raise ApiError('Wrong parameter: months (1 to 12)')
        amount = money(record['monthly_fee'] * months)
        self.charge(account, 'prolong', record['number'], amount)
        record['stop_date'] = add_months(record['stop_date'], months)
        if record['status'] == 'parking':
            record['status'] = 'on'
        return {'number': record['number'], 'stop_date': record['stop_date'],
                'total_paid': {'amount': amount, 'currency': self.currency}}

    def activate_numbers(self, account):
        """As the API does: an ordered number moves on (checking_upload -> checking -> on) once its group passes."""
        progress = ('checking_upload', 'checking', 'on')
        for record in account.numbers.values():
            dest = self.catalog.destinations.get(record.get('direction_id'))
            group = account.groups.get(record.get('group_id'))
            if record['status'] in progress[:2] and dest and group:
                status = self.order_status(account, group, dest)
                if progress.index(status) > progress.index(record['status']):
                    record['status'] = status

    def validity(self, account, group, dest):
        """The four checks of GET /v1/documents/groups/valid/<id>/, as booleans."""
        upload, specify = dest['restrictions']['upload'], dest['restrictions']['specify']
        files = [item for item in account.files if item['group_id'] == group['id'] and item['type'] in upload]
        return {
            'is_information_match': all(group.get(field) for name in specify for field in SPECIFY_FIELDS.get(name, ())),
            'is_documents_uploaded': all(any(item['type'] == kind for item in files) for kind in upload),
            'is_documents_verified': all(item['is_verified'] == 'true' for item in files)
            and all(any(item['type'] == kind for item in files) for kind in upload),
            'is_address_match': 'address' not in specify or group.get('country') == dest['country'],
        }
