#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: zadarma_document_group
short_description: Manage a Zadarma document group (the identity data used to order numbers)
version_added: 0.1.0
description:
  - Creates or updates a document group, the personal or company data that Zadarma checks before it
    connects a virtual number of a destination that requires documents.
  - With O(group_id), manages that group; options left unset are not touched.
  - Without O(group_id), adopts the existing group with the same O(salutation), O(first_name), O(last_name),
    O(organization) and O(email), or creates one. If several match, the one with the lowest id is managed and
    a warning says so.
  - An update is sent only when an option that is set differs from what the API returns; it then sends the
    full record, the current values merged with the options that are set.
  - Every value is checked before any request is sent.
  - The API has no way to delete a document group, so this module has no O(ignore:state) option.
  - With O(direction_id), also returns whether the group satisfies that destination's requirements and the
    verification errors the API reports for the group.
  - Personal data stays out of the output by default (see O(show_personal_data)); messages name a field and
    the rule it breaks, never its value.
author: zadarma.telephony contributors (@zadarma)
extends_documentation_fragment:
  - zadarma.telephony.attributes
  - zadarma.telephony.auth
  - zadarma.telephony.auth.user_id
attributes:
  check_mode:
    details: Reads the current state and reports what would change; no write is sent.
  diff_mode:
    details:
      - Shows the options that are set, before and after. O(id_number) and O(date_of_birth) never appear.
      - Unless O(show_personal_data=true), the values of personal fields are masked as C(********), and a field
        whose value changes reads C(******** (changed)) after, so the diff says which fields change.
options:
  show_personal_data:
    description:
      - Show the values of the group's personal fields (everything but O(salutation) and O(type_of_id)) in
        RV(group), in the diff and in the task's arguments shown at C(-vvv).
      - By default they are masked as C(********), so job logs (AWX keeps them) hold no one's identity.
      - O(id_number) and O(date_of_birth) are never shown, whatever this option says.
    type: bool
    default: false
  group_id:
    description:
      - The id of the group to manage. V(0) is the account's main group.
      - Without it, the group is found by O(salutation), O(first_name), O(last_name), O(organization) and
        O(email), or created; then the options the API requires to create a group must be set
        (O(email), O(salutation), O(first_name), O(last_name), O(country), O(city), O(address), O(zip_code),
        O(street), O(building_number), O(phone)).
    type: int
  direction_id:
    description:
      - A destination id (see the destinations of a country). When set, the module returns RV(validity) and
        RV(errors) for this destination, and passes the id on with a create or an update, which the API uses
        for its compliance check.
    type: int
  email:
    description:
      - Contact e-mail address. Required by the API.
    type: str
  salutation:
    description:
      - V(MR), V(MS), or V(COMPANY) for a legal entity. Required by the API.
    type: str
    choices: [MR, MS, COMPANY]
  first_name:
    description:
      - First name. Required by the API.
    type: str
  middle_name:
    description:
      - Middle name.
    type: str
  last_name:
    description:
      - Last name. Required by the API.
    type: str
  date_of_birth:
    description:
      - Date of birth, V(YYYY-MM-DD).
      - B(Write-only:) the API accepts it but never returns it, so it cannot be compared. It is sent when the
        group is created and with every update that happens because another option differs; it never causes
        a change by itself. To correct it, change it together with another option.
      - Keep it set in every task that manages the group. An update replaces the whole record, so the API may
        clear a date of birth that an update does not carry.
      - Personal data, never logged or shown in the diff.
    type: str
  nationality:
    description:
      - Nationality, an ISO 3166-1 alpha-2 country code such as V(DE).
    type: str
  organization:
    description:
      - Company name, for O(salutation=COMPANY).
    type: str
  organization_description:
    description:
      - What the company does.
    type: str
  organization_reg_number:
    description:
      - Company registration number.
    type: str
  country:
    description:
      - Country of the address, an ISO 3166-1 alpha-2 code such as V(DE). Required by the API.
    type: str
  region:
    description:
      - Region or state.
    type: str
  city:
    description:
      - City. Required by the API.
    type: str
  address:
    description:
      - The full address on one line. Required by the API.
    type: str
  zip_code:
    description:
      - ZIP or postal code. Required by the API.
    type: str
  street:
    description:
      - Street name. Required by the API.
    type: str
  street_code:
    description:
      - Street code (Denmark only).
    type: str
  municipality_code:
    description:
      - Municipality code (Denmark only).
    type: str
  building_number:
    description:
      - Building number. Required by the API.
    type: str
  building_letter:
    description:
      - Letter of the building number.
    type: str
  phone:
    description:
      - Contact phone number in international format; compared and sent as digits only. Required by the API.
    type: str
  type_of_id:
    description:
      - Type of the identity document.
    type: str
    choices: [PASSPORT, DNI, NIE, RESIDENCE_PERMIT, NATIONAL_ID_CARD, BUSINESS_REGISTRATION]
  id_number:
    description:
      - Number of the identity document.
      - Personal data, never logged or shown in the diff; masked in the returned RV(group).
    type: str
  issuing_authority:
    description:
      - Authority that issued the identity document.
    type: str
  issuing_date:
    description:
      - Date the identity document was issued, V(YYYY-MM-DD).
    type: str
notes:
  - Optional text options set to an empty string are cleared. Options the API requires cannot be empty.
  - The group is read once (one request for the list without O(group_id)); a second run with the same options
    sends no write.
  - In check mode, RV(validity) describes the group as it is now, not as it would be after an update, and is
    unknown for a group that would be created.
seealso:
  - module: zadarma.telephony.zadarma_document_file
'''

EXAMPLES = r'''
- name: Create or adopt the document group of a person
  zadarma.telephony.zadarma_document_group:
    email: anna.schmidt@example.com
    salutation: MS
    first_name: Anna
    last_name: Schmidt
    date_of_birth: '1985-04-12'
    nationality: DE
    country: DE
    city: Berlin
    address: Unter den Linden 5, 10117 Berlin
    zip_code: '10117'
    street: Unter den Linden
    building_number: '5'
    phone: '+49 30 1234567'
    type_of_id: PASSPORT
    id_number: C01X00T47
    issuing_authority: Stadt Berlin
    issuing_date: '2019-06-01'
  register: anna

- name: Add the region to that group, leaving every other field as it is
  zadarma.telephony.zadarma_document_group:
    group_id: "{{ anna.group.id }}"
    region: Berlin
    date_of_birth: '1985-04-12'  # write-only: sent with the update so that it is kept
  # In check mode a new group is not created: there is nothing to update yet.
  when: not (ansible_check_mode and anna is changed)

- name: Check whether the main group satisfies a destination
  zadarma.telephony.zadarma_document_group:
    group_id: 0
    direction_id: 3766
  register: main_group

- name: Show what is missing
  ansible.builtin.debug:
    msg: "{{ main_group.errors | map(attribute='message') | list }}"
  when: not main_group.validity.valid
'''

RETURN = r'''
group:
  description:
    - The group after the run, normalised; empty values are V(null).
    - The value of every personal field that is set reads V(********) unless O(show_personal_data=true); the
      samples below show the values as they are with it.
    - In check mode, the group as it would be; RV(group.id) is V(null) for a group that would be created.
  returned: success
  type: dict
  contains:
    id:
      description: Group id; V(0) is the main group.
      type: int
      sample: 12
    is_readonly:
      description: Whether the API refuses changes to the group (for example once verified).
      type: bool
      sample: false
    email:
      description: Contact e-mail address.
      type: str
      sample: anna.schmidt@example.com
    salutation:
      description: V(MR), V(MS) or V(COMPANY).
      type: str
      sample: MS
    nationality:
      description: ISO 3166-1 alpha-2 code.
      type: str
      sample: DE
    first_name:
      description: First name.
      type: str
      sample: Anna
    middle_name:
      description: Middle name.
      type: str
      sample: null
    last_name:
      description: Last name.
      type: str
      sample: Schmidt
    organization:
      description: Company name.
      type: str
      sample: null
    organization_description:
      description: What the company does.
      type: str
      sample: null
    organization_reg_number:
      description: Company registration number.
      type: str
      sample: null
    country:
      description: ISO 3166-1 alpha-2 code of the address.
      type: str
      sample: DE
    region:
      description: Region or state.
      type: str
      sample: null
    city:
      description: City.
      type: str
      sample: Berlin
    address:
      description: Full address.
      type: str
      sample: Unter den Linden 5, 10117 Berlin
    zip_code:
      description: ZIP or postal code.
      type: str
      sample: '10117'
    street:
      description: Street name.
      type: str
      sample: Unter den Linden
    street_code:
      description: Street code (Denmark).
      type: str
      sample: null
    municipality_code:
      description: Municipality code (Denmark).
      type: str
      sample: null
    building_number:
      description: Building number.
      type: str
      sample: '5'
    building_letter:
      description: Letter of the building number.
      type: str
      sample: null
    phone:
      description: Contact phone number, digits only.
      type: str
      sample: '49301234567'
    type_of_id:
      description: Type of the identity document.
      type: str
      sample: PASSPORT
    id_number:
      description: V(********) when a document number is set, otherwise V(null). The number itself is never returned.
      type: str
      sample: '********'
    issuing_authority:
      description: Authority that issued the identity document.
      type: str
      sample: Stadt Berlin
    issuing_date:
      description: Issue date of the identity document.
      type: str
      sample: '2019-06-01'
created:
  description: Whether the group was created (in check mode, would be created).
  returned: success
  type: bool
  sample: false
validity:
  description:
    - Whether the group satisfies the requirements of O(direction_id), as the API reports it after the run.
    - All values are V(null) and RV(validity.note) says why when the group would be created in check mode.
  returned: when O(direction_id) is set
  type: dict
  contains:
    information:
      description: The group's data match the destination's requirements.
      type: bool
      sample: true
    documents_uploaded:
      description: The required documents are uploaded.
      type: bool
      sample: true
    documents_verified:
      description: The uploaded documents are verified.
      type: bool
      sample: false
    address:
      description: The address matches the destination's requirements.
      type: bool
      sample: true
    valid:
      description: All of the above are true.
      type: bool
      sample: false
    note:
      description: Why the validity is not known.
      type: str
      returned: when the group would be created in check mode
      sample: the group does not exist yet (check mode), so its validity is not known
errors:
  description:
    - The verification errors the API reports for the group (C(GET /v1/direct_numbers/checking-wrongs/)); empty
      when there are none, V(null) when the group would be created in check mode.
  returned: when O(direction_id) is set
  type: list
  elements: dict
  contains:
    kind:
      description: V(document) or V(address).
      type: str
      sample: document
    document_type:
      description: The document concerned, for RV(errors[].kind=document).
      type: str
      sample: passport
    message:
      description: The API's explanation.
      type: str
      sample: The passport has expired. It is considered invalid.
  sample:
    - kind: document
      document_type: passport
      message: The passport has expired. It is considered invalid.
'''

from ansible_collections.zadarma.telephony.plugins.module_utils import _api as api
from ansible_collections.zadarma.telephony.plugins.module_utils._base import ZadarmaModule
from ansible_collections.zadarma.telephony.plugins.module_utils._documents import (
    check_group_ids,
    create_params,
    desired_group,
    diff_views,
    find_group,
    group_argument_spec,
    group_changes,
    masked_arguments,
    merged_group,
    missing_for_create,
    predicted_group,
    public_group,
    unknown_validity,
    update_params,
)


def read_group(zm, group_id, desired):
    """The group to manage (normalised), or None when it must be created."""
    if group_id is not None:
        return zm.run(api.document_group, zm.api, group_id, zm.user_id)
    matches = find_group(zm.run(api.document_groups, zm.api, zm.user_id), desired)
    if len(matches) > 1:
        zm.module.warn('%d document groups have this salutation, name, organization and e-mail (ids %s); managing '
                       'the lowest, %s. Set group_id to choose another.'
                       % (len(matches), ', '.join(str(group['id']) for group in matches), matches[0]['id']))
    return matches[0] if matches else None


def read_validity(zm, group_id, direction_id):
    """validity and errors of the group for a destination; unknown for a group not created yet (check mode)."""
    if group_id is None:
        return dict(validity=unknown_validity('the group does not exist yet (check mode), so its validity is not '
                                              'known'), errors=None)
    return dict(validity=zm.run(api.group_validity, zm.api, group_id, direction_id, zm.user_id),
                errors=zm.run(api.verification_errors, zm.api, group_id))


def main():
    zm = ZadarmaModule(group_argument_spec(), user_id=True, arguments_view=masked_arguments)
    group_id, direction_id = zm.params['group_id'], zm.params['direction_id']
    show = zm.params['show_personal_data']
    zm.run(check_group_ids, zm.params)
    desired = zm.run(desired_group, zm.params)
    missing = missing_for_create(desired)
    if group_id is None and missing:
        zm.fail('without group_id the group may have to be created, so these options are required: %s'
                % ', '.join(missing))

    current = read_group(zm, group_id, desired)
    if current is None:
        write = api.create_group_write(create_params(desired, zm.user_id, direction_id), 'create a document group',
                                       desired, zm.user_id)
        after = api.written_group(zm.apply([write])[0]) or predicted_group({}, merged_group({}, desired))
    else:
        changes = group_changes(current, desired)
        if changes and current['is_readonly']:
            zm.fail('document group %s is read-only (the API reports is_readonly), so it cannot be changed; '
                    'options that differ: %s' % (current['id'], ', '.join(changes)))
        after = current
        if changes:
            write = api.update_group_write(current['id'], update_params(current, desired, zm.user_id, direction_id),
                                           'update document group %s: %s' % (current['id'], ', '.join(changes)))
            after = api.written_group(zm.apply([write])[0]) or predicted_group(current, merged_group(current, desired))

    result = dict(group=public_group(after, show), created=current is None)
    if direction_id is not None:
        result.update(read_validity(zm, after['id'], direction_id))
    before, after = diff_views(current, after, desired, show)
    zm.exit(before=before, after=after, **result)


if __name__ == '__main__':
    main()
