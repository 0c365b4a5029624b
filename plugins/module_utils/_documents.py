# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Document groups and document files: the records, what users give, and how they compare.

Private to this collection. Pure functions, no Ansible imports, so they are unit-tested with pytest.
Validators raise ``ValueError`` with a message that names the option, like ``_values``.
"""

from __future__ import annotations

import os

from ansible_collections.zadarma.telephony.plugins.module_utils._values import (
    check_country,
    check_date,
    check_email,
    check_non_negative,
    check_number,
    empty_to_none,
    number_digits,
    to_bool,
    to_int,
)

# Document groups ---------------------------------------------------------------------------------

# The group record as the API returns it (list and get), in the API's order.
GROUP_FIELDS = (
    'email', 'salutation', 'nationality', 'first_name', 'middle_name', 'last_name',
    'organization', 'organization_description', 'organization_reg_number',
    'country', 'region', 'city', 'address', 'zip_code', 'street', 'street_code', 'municipality_code',
    'building_number', 'building_letter', 'phone',
    'type_of_id', 'id_number', 'issuing_authority', 'issuing_date',
)
# Accepted by create and update, never returned.
WRITE_ONLY_FIELDS = ('date_of_birth',)
# What create and update require (the spec's `required`).
REQUIRED_FIELDS = ('email', 'salutation', 'first_name', 'last_name', 'country', 'city', 'address', 'zip_code',
                   'street', 'building_number', 'phone')
# What identifies a group when no group_id is given.
MATCH_FIELDS = ('salutation', 'first_name', 'last_name', 'organization', 'email')
# Personal data kept out of the diff; id_number is masked in the returned group.
SECRET_FIELDS = ('id_number', 'date_of_birth')
MASK = '********'

SALUTATIONS = ('MR', 'MS', 'COMPANY')
TYPES_OF_ID = ('PASSPORT', 'DNI', 'NIE', 'RESIDENCE_PERMIT', 'NATIONAL_ID_CARD', 'BUSINESS_REGISTRATION')


def group_argument_spec():
    spec = dict((field, dict(type='str')) for field in GROUP_FIELDS + WRITE_ONLY_FIELDS)
    spec['salutation'] = dict(type='str', choices=list(SALUTATIONS))
    spec['type_of_id'] = dict(type='str', choices=list(TYPES_OF_ID))
    spec['id_number'] = dict(type='str', no_log=True)
    spec['date_of_birth'] = dict(type='str', no_log=True)
    spec['group_id'] = dict(type='int')
    spec['direction_id'] = dict(type='int')
    return spec


def _flag(value):
    """An API boolean ("true"/"false", "on"/"off", ...); None when absent or not recognised."""
    try:
        return to_bool(value)
    except ValueError:
        return None


def _date_text(value):
    """'2020-01-01' or '2020-01-01 00:00:00' -> '2020-01-01'; anything else unchanged."""
    text = str(value)
    return text[:10] if len(text) >= 10 and text[4:5] == '-' and text[7:8] == '-' else text


def normalise_group(raw):
    """The API's group record: id int, is_readonly bool, empty strings as None, phone digits only."""
    raw = raw or {}
    group = dict(id=to_int(raw.get('id')), is_readonly=bool(_flag(raw.get('is_readonly'))))
    for field in GROUP_FIELDS:
        value = empty_to_none(raw.get(field))
        if value is not None:
            value = str(value)
            if field == 'phone':
                value = number_digits(value)
            elif field == 'issuing_date':
                value = _date_text(value)
            elif field in ('country', 'nationality', 'salutation', 'type_of_id'):
                value = value.upper()
        group[field] = value
    return group


def desired_group(params):
    """Validate the user's fields and return them normalised like normalise_group.

    Unset options are left out. An empty string means "clear this optional field" and is kept as ''.
    """
    desired = {}
    for field in GROUP_FIELDS + WRITE_ONLY_FIELDS:
        value = params.get(field)
        if value is None:
            continue
        value = str(value).strip()
        if value == '':
            if field in REQUIRED_FIELDS:
                raise ValueError('%s: must not be empty (the API requires it)' % field)
            desired[field] = ''
            continue
        if field == 'email':
            value = check_email(value, 'email')
        elif field in ('country', 'nationality'):
            value = check_country(value, field)
        elif field == 'date_of_birth':  # personal data: the message does not repeat the value
            try:
                value = check_date(value, field).isoformat()
            except ValueError:
                raise ValueError('date_of_birth: not a date in the form YYYY-MM-DD (the value is not shown)') from None
        elif field == 'issuing_date':
            value = check_date(value, field).isoformat()
        elif field == 'phone':
            value = check_number(value, 'phone')
        desired[field] = value
    return desired


def check_group_ids(params):
    check_non_negative(params.get('group_id'), 'group_id')
    check_non_negative(params.get('direction_id'), 'direction_id')


def missing_for_create(desired):
    """The options a new group needs that are not set (empty list when none)."""
    return [field for field in REQUIRED_FIELDS if not desired.get(field)]


def find_group(groups, desired):
    """The groups (normalised) that have the desired salutation, names, organization and e-mail, lowest id first."""
    matches = [group for group in groups
               if all(group.get(field) == empty_to_none(desired.get(field)) for field in MATCH_FIELDS)]
    return sorted(matches, key=lambda group: (group['id'] is None, group['id']))


def group_changes(current, desired):
    """The returned fields the user set that differ from the current group (write-only fields never count)."""
    return [field for field in GROUP_FIELDS
            if field in desired and empty_to_none(desired[field]) != current.get(field)]


def merged_group(current, desired):
    """The full record to send: the current values, overridden by what the user set ('' clears)."""
    merged = dict((field, current.get(field)) for field in GROUP_FIELDS)
    merged.update((field, desired[field]) for field in GROUP_FIELDS if field in desired)
    return merged


def create_params(desired, user_id=None, direction_id=None):
    """Form fields of a create: what the user set (empty values left out), user_id, direction_id."""
    params = dict((field, value) for field, value in desired.items() if value)
    params.update(user_id=user_id, direction_id=direction_id)
    return params


def update_params(current, desired, user_id=None, direction_id=None):
    """Form fields of an update: the full record (current merged with the user's), the write-only fields."""
    params = dict((field, value) for field, value in merged_group(current, desired).items() if value is not None)
    params.update((field, desired[field]) for field in WRITE_ONLY_FIELDS if field in desired)
    params.update(user_id=user_id, direction_id=direction_id)
    return params


def predicted_group(current, merged):
    """What the group would look like after the write (check mode, or a response without the record)."""
    group = normalise_group(merged)
    group.update(id=current.get('id'), is_readonly=current.get('is_readonly', False))
    return group


def public_group(group):
    """The group as returned to the user: id_number masked."""
    if group is None:
        return None
    shown = dict(group)
    shown['id_number'] = MASK if group.get('id_number') else None
    return shown


def diff_view(group, fields):
    """The managed (user-set) fields of a group for the diff, personal data left out."""
    if group is None:
        return {}
    return dict((field, group.get(field)) for field in fields if field not in SECRET_FIELDS)


def normalise_validity(raw):
    validity = dict(
        information=_flag(raw.get('is_information_match')),
        documents_uploaded=_flag(raw.get('is_documents_uploaded')),
        documents_verified=_flag(raw.get('is_documents_verified')),
        address=_flag(raw.get('is_address_match')),
    )
    validity['valid'] = all(value is True for value in validity.values())
    return validity


def unknown_validity(reason):
    return dict(information=None, documents_uploaded=None, documents_verified=None, address=None, valid=None,
                note=reason)


def _as_list(value):
    if not value:
        return []
    return value if isinstance(value, list) else [value]


def normalise_errors(info):
    """checking-wrongs' ``info`` -> a list of {kind: document|address, document_type, message}."""
    errors = []
    for item in _as_list(info):
        if not isinstance(item, dict):
            continue
        for kind, key in (('document', 'wrong_document'), ('address', 'wrong_address')):
            for wrong in _as_list(item.get(key)):
                if isinstance(wrong, dict) and (wrong.get('message') or wrong.get('document_type')):
                    errors.append(dict(kind=kind, document_type=empty_to_none(wrong.get('document_type')),
                                       message=empty_to_none(wrong.get('message'))))
    return errors


# Document files ----------------------------------------------------------------------------------

UPLOAD_TYPES = ('certificate', 'contract', 'company_letter', 'inn_ua', 'passport', 'phone_bill', 'photo_with_doc',
                'photo_with_passport', 'receipt', 'driver_id_us_ca', 'driver_id_other')
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# (leading bytes, MIME type, name) of the formats accepted for upload.
FORMATS = (
    (b'%PDF-', 'application/pdf', 'PDF'),
    (b'\xff\xd8\xff', 'image/jpeg', 'JPEG'),
    (b'\x89PNG\r\n\x1a\n', 'image/png', 'PNG'),
)
EXTENSIONS = {'.pdf': 'PDF', '.jpg': 'JPEG', '.jpeg': 'JPEG', '.png': 'PNG'}


def sniff_format(head):
    """(MIME type, name) of PDF, JPEG or PNG content, or None."""
    for magic, mime, name in FORMATS:
        if head.startswith(magic):
            return mime, name
    return None


def read_document(path, limit=MAX_UPLOAD_BYTES):
    """Check a local file for upload and return dict(name, content, content_type, format, size).

    Refused (ValueError naming ``path``): missing, a directory or not a regular file, unreadable, empty,
    over ``limit`` bytes, not PDF/JPEG/PNG by content, or an extension that contradicts the content.
    """
    if not os.path.exists(path):
        raise ValueError('path: %s does not exist' % path)
    if os.path.isdir(path):
        raise ValueError('path: %s is a directory, not a file' % path)
    if not os.path.isfile(path):
        raise ValueError('path: %s is not a regular file' % path)
    size = os.path.getsize(path)
    if size == 0:
        raise ValueError('path: %s is empty' % path)
    if size > limit:
        raise ValueError('path: %s is %d bytes, over the upload limit of %d bytes (%d MiB)'
                         % (path, size, limit, limit // (1024 * 1024)))
    try:
        with open(path, 'rb') as handle:
            content = handle.read(limit + 1)
    except OSError as exc:
        raise ValueError('path: %s is not readable (%s)' % (path, exc.strerror or exc))
    found = sniff_format(content)
    if found is None:
        raise ValueError('path: %s is not a PDF, JPEG or PNG file (judged by its content, whatever its name); '
                         'only these formats can be uploaded' % path)
    mime, fmt = found
    extension = os.path.splitext(path)[1].lower()
    if EXTENSIONS.get(extension, fmt) != fmt:
        raise ValueError('path: %s is named %s but its content is %s; rename it to match'
                         % (path, extension, fmt))
    return dict(name=os.path.basename(path), content=content, content_type=mime, format=fmt, size=len(content))


def normalise_file(raw):
    return dict(name=empty_to_none(raw.get('name')), type=empty_to_none(raw.get('type')),
                verified=bool(_flag(raw.get('is_verified'))), source=empty_to_none(raw.get('source')))


def matching_files(files, name, document_type):
    """The group's files (normalised, see ``_api.group_files``) with this name and type, in the API's order."""
    return [item for item in files if item['name'] == name and item['type'] == document_type]
