# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Document groups and document files: the records, what users give, and how they compare.

Private to this collection. Pure functions, no Ansible imports, so they are unit-tested with pytest.
Validators raise ``ValueError`` with a message that names the option, like ``_values``.
"""

from __future__ import annotations

import errno
import os
import stat

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
# Personal data: every field but the two enumerations. Masked in the result, the diff and the task's
# arguments unless show_personal_data is set; never repeated in a message.
PERSONAL_FIELDS = tuple(field for field in GROUP_FIELDS + WRITE_ONLY_FIELDS if field not in ('salutation', 'type_of_id'))
# Never shown, whatever show_personal_data says.
SECRET_FIELDS = ('id_number', 'date_of_birth')
MASK = '********'
CHANGED_MASK = MASK + ' (changed)'
# What a value must be, for the messages that cannot repeat it.
RULES = {
    'email': 'not an e-mail address (name@example.com)',
    'country': 'not an ISO 3166-1 alpha-2 country code (e.g. DE, GB, US)',
    'nationality': 'not an ISO 3166-1 alpha-2 country code (e.g. DE, GB, US)',
    'phone': 'not a phone number in international format (7 to 15 digits, e.g. 442037691880)',
    'issuing_date': 'not a date in the form YYYY-MM-DD',
    'date_of_birth': 'not a date in the form YYYY-MM-DD',
}

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
    spec['show_personal_data'] = dict(type='bool', default=False)
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


_VALIDATORS = {
    'email': check_email,
    'country': check_country,
    'nationality': check_country,
    'phone': check_number,
    'issuing_date': lambda value, field: check_date(value, field).isoformat(),
    'date_of_birth': lambda value, field: check_date(value, field).isoformat(),
}


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
        try:
            value = _VALIDATORS.get(field, lambda text, _field: text)(value, field)
        except ValueError:  # personal data: the message names the field and the rule, never the value
            raise ValueError('%s: %s (the value is not shown)' % (field, RULES[field])) from None
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


def public_group(group, show_personal_data=False):
    """The group as returned to the user: personal values masked unless shown; id_number always masked."""
    if group is None:
        return None
    shown = dict(group)
    for field in PERSONAL_FIELDS:
        if field in shown and (field in SECRET_FIELDS or not show_personal_data) and shown[field] is not None:
            shown[field] = MASK
    return shown


def diff_views(before, after, fields, show_personal_data=False):
    """(before, after) of the managed (user-set) fields for the diff; id_number and date_of_birth left out.

    Unless shown, a personal value is masked; on the after side a value that differs from the before side
    reads CHANGED_MASK, so the diff still says which fields changed.
    """
    fields = [field for field in fields if field not in SECRET_FIELDS]

    def view(group, other):
        if group is None:
            return {}
        shown = {}
        for field in fields:
            value = group.get(field)
            if not show_personal_data and field in PERSONAL_FIELDS and value is not None:
                value = CHANGED_MASK if other is not None and other.get(field) != value else MASK
            shown[field] = value
        return shown

    return view(before, None), view(after, before)


def masked_arguments(params):
    """The task's arguments as the result shows them (-vvv): personal values masked unless shown."""
    if params.get('show_personal_data'):
        return params
    return dict((key, MASK if key in PERSONAL_FIELDS and value not in (None, '') else value)
                for key, value in params.items())


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


def _read_at_most(fd, size):
    chunks = []
    while size > 0:
        chunk = os.read(fd, min(size, 1024 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b''.join(chunks)


def read_document(path, limit=MAX_UPLOAD_BYTES, follow_symlinks=False):
    """Check a local file for upload and return dict(name, content, content_type, format, size).

    The file is opened once (not following a symbolic link unless ``follow_symlinks``; non-blocking, so a
    FIFO cannot hang the run), the open file is checked, and at most ``limit`` + 1 bytes are read: what is
    checked is what is sent, even if the path is swapped or the file grows meanwhile.
    Refused (ValueError naming ``path``): missing, a symbolic link, a directory or not a regular file,
    unreadable, empty, over ``limit`` bytes, not PDF/JPEG/PNG by content, or an extension that does not
    name that content.
    """
    flags = os.O_RDONLY | getattr(os, 'O_NONBLOCK', 0) | getattr(os, 'O_CLOEXEC', 0)
    if not follow_symlinks:
        flags |= getattr(os, 'O_NOFOLLOW', 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise ValueError('path: %s does not exist' % path) from None
        if exc.errno == errno.ELOOP and not follow_symlinks:
            raise ValueError('path: %s is a symbolic link; set follow_symlinks=true to upload the file it points to'
                             % path) from None
        raise ValueError('path: %s is not readable (%s)' % (path, exc.strerror or exc)) from None
    try:
        opened = os.fstat(fd)
        if stat.S_ISDIR(opened.st_mode):
            raise ValueError('path: %s is a directory, not a file' % path)
        if not stat.S_ISREG(opened.st_mode):
            raise ValueError('path: %s is not a regular file' % path)
        if opened.st_size > limit:
            raise ValueError('path: %s is %d bytes, over the upload limit of %d bytes (%d MiB)'
                             % (path, opened.st_size, limit, limit // (1024 * 1024)))
        content = _read_at_most(fd, limit + 1)
    except OSError as exc:
        raise ValueError('path: %s is not readable (%s)' % (path, exc.strerror or exc)) from None
    finally:
        os.close(fd)
    if not content:
        raise ValueError('path: %s is empty' % path)
    if len(content) > limit:
        raise ValueError('path: %s grew over the upload limit of %d bytes (%d MiB) while it was read'
                         % (path, limit, limit // (1024 * 1024)))
    found = sniff_format(content)
    if found is None:
        raise ValueError('path: %s is not a PDF, JPEG or PNG file (judged by its content, whatever its name); '
                         'only these formats can be uploaded' % path)
    mime, fmt = found
    extension = os.path.splitext(path)[1].lower()
    if EXTENSIONS.get(extension) != fmt:
        raise ValueError('path: %s is named %s but its content is %s; name it %s to match'
                         % (path, extension or 'without an extension', fmt,
                            ' or '.join(ext for ext, name in sorted(EXTENSIONS.items()) if name == fmt)))
    return dict(name=os.path.basename(path), content=content, content_type=mime, format=fmt, size=len(content))


def normalise_file(raw):
    return dict(name=empty_to_none(raw.get('name')), type=empty_to_none(raw.get('type')),
                verified=bool(_flag(raw.get('is_verified'))), source=empty_to_none(raw.get('source')))


def matching_files(files, name, document_type):
    """The group's files (normalised, see ``_api.group_files``) with this name and type, in the API's order."""
    return [item for item in files if item['name'] == name and item['type'] == document_type]
