# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Handlers of /v1/documents/* (mixed into state.State): document groups, uploads, validity."""

import hashlib
import os
import re

from .common import ApiError, Backend, choice, flag, int_param, required, to_int

# Every field of the spec's group schema, in its order.
GROUP_FIELDS = ('id', 'email', 'salutation', 'nationality', 'first_name', 'middle_name', 'last_name', 'organization',
                'organization_description', 'organization_reg_number', 'country', 'region', 'city', 'address',
                'zip_code', 'street', 'street_code', 'municipality_code', 'building_number', 'building_letter',
                'phone', 'type_of_id', 'id_number', 'issuing_authority', 'issuing_date', 'is_readonly')
REQUIRED_FIELDS = ('email', 'salutation', 'first_name', 'last_name', 'country', 'city', 'address', 'zip_code',
                   'street', 'building_number', 'phone')
EMPTY_STRING_FIELDS = ('region', 'type_of_id', 'id_number')  # optional, but strings (not nullable) in the spec
WRITE_ONLY_FIELDS = ('date_of_birth',)  # accepted and stored, never returned
SALUTATIONS = ('MR', 'MS', 'COMPANY')
ID_TYPES = ('PASSPORT', 'DNI', 'NIE', 'RESIDENCE_PERMIT', 'NATIONAL_ID_CARD', 'BUSINESS_REGISTRATION')
DOCUMENT_TYPES = ('certificate', 'contract', 'company_letter', 'inn_ua', 'passport', 'phone_bill', 'photo_with_doc',
                  'photo_with_passport', 'receipt', 'driver_id_us_ca', 'driver_id_other')
# Personal data: masked in /_sim/log and /_sim/state unless the config reveals it.
PERSONAL_FIELDS = tuple(field for field in GROUP_FIELDS + WRITE_ONLY_FIELDS
                        if field not in ('id', 'salutation', 'type_of_id', 'is_readonly'))
MASK = '********'
EMAIL_RE = re.compile(r'^[^@\s]+@[^@\s]+\.[^@\s]+$')
ISO_RE = re.compile(r'^[A-Z]{2}$')
DATE_RE = re.compile(r'^[0-9]{4}-[0-9]{2}-[0-9]{2}$')


def mask_personal(values):
    """A copy of a group record or of request parameters with every personal value that is set masked."""
    return {key: MASK if key in PERSONAL_FIELDS and value not in (None, '') else value
            for key, value in values.items()}


def group_record(values, group_id):
    """A full stored group: required and empty-string fields as strings, other absent fields None."""
    record = {'id': group_id, 'is_readonly': bool(values.get('is_readonly', False))}
    for field in GROUP_FIELDS[1:-1]:
        value = values.get(field)
        if field in REQUIRED_FIELDS or field in EMPTY_STRING_FIELDS:
            record[field] = '' if value is None else str(value)
        else:
            record[field] = str(value) if value not in (None, '') else None
    for field in WRITE_ONLY_FIELDS:
        record[field] = values.get(field) or None
    return record


def group_entry(record):
    """What the API returns: every schema field, never the write-only ones."""
    return {field: record[field] for field in GROUP_FIELDS}


def check_group_params(params):
    """Refuse a group create/update request with a missing or malformed field."""
    for field in REQUIRED_FIELDS:
        if not str(params.get(field) or '').strip():
            raise ApiError('Missing parameter: ' + field)
    choice(params, 'salutation', SALUTATIONS)
    choice(params, 'type_of_id', ID_TYPES)
    checks = (('email', EMAIL_RE), ('country', ISO_RE), ('nationality', ISO_RE), ('date_of_birth', DATE_RE),
              ('issuing_date', DATE_RE))
    for field, pattern in checks:
        if params.get(field) and not pattern.match(params[field]):
            raise ApiError('Wrong parameter: ' + field)
    if params.get('direction_id'):
        to_int(params['direction_id'], 'direction_id')


class DocumentsApi(Backend):
    """Document groups and files. Relies on State: catalog, next_group_id, auto_verify, validity()."""

    def groups(self, account, _params):
        return {'groups': [group_entry(account.groups[key]) for key in sorted(account.groups)]}

    def group(self, account, _params, group_id):
        return {'group': group_entry(account.group(to_int(group_id, 'id')))}

    def create_group(self, account, params):
        check_group_params(params)
        group_id = self.new_group_id()
        account.groups[group_id] = group_record(params, group_id)
        return {'group': group_entry(account.groups[group_id])}

    def update_group(self, account, params, group_id):
        group_id = to_int(group_id, 'groupid')
        account.group(group_id)
        check_group_params(params)
        account.groups[group_id] = group_record(params, group_id)  # the request replaces the record
        return {'group': group_entry(account.groups[group_id])}

    def group_valid(self, account, params, group_id):
        group = account.group(to_int(group_id, 'id'))
        dest = self.catalog.destination(required(params, 'direction_id'))
        return {key: flag(value) for key, value in self.validity(account, group, dest).items()}

    def upload(self, account, params):
        group = account.group(int_param(params, 'group_id'))
        kind = choice(params, 'document_type', DOCUMENT_TYPES) or required(params, 'document_type')
        upload = params.get('file')
        if not isinstance(upload, dict):
            raise ApiError('Missing parameter: file')
        if not upload['content']:
            raise ApiError('The file is empty')
        name = os.path.basename((upload.get('filename') or 'document').replace('\\', '/')) or 'document'
        account.files.append({
            'group_id': group['id'], 'name': name, 'type': kind, 'is_verified': flag(self.auto_verify),
            'source': 'upload', 'size': len(upload['content']),
            'sha256': hashlib.sha256(upload['content']).hexdigest(),
        })
        return {'message': 'The File {0} has been successfully uploaded to the website.'.format(name), 'doc_name': name}

    def files(self, account, params):
        group = account.group(int_param(params, 'group_id', default=0))
        return {'documents': [{key: item[key] for key in ('type', 'is_verified', 'source', 'name')}
                              for item in account.files if item['group_id'] == group['id']]}
