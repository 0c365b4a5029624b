#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: zadarma_number_info
short_description: Read Zadarma numbers, countries, destinations and numbers available to order
version_added: 0.1.0
description:
  - Reads, never changes anything.
  - With no selector it returns every owned number in RV(numbers). O(number) narrows that to one number.
  - O(countries=true) returns the countries numbers can be ordered in; O(country) returns that country's
    destinations (cities) with their fees and document requirements; O(direction_id) without O(country)
    returns the numbers available to order in that destination.
  - Each selector costs one request (O(number) two); an empty result is an empty list, not an error.
  - O(user_id) is accepted like in every module of the collection (so that C(module_defaults) can set it for the
    whole group), but none of the methods this module calls takes it, so it reads the account of the API key.
author: zadarma.telephony contributors (@zadarma)
options:
  number:
    description:
      - Return only this owned number, with its RV(numbers[].receive_sms) (one more request). Fails if the
        account does not own it.
    type: str
  countries:
    description:
      - Return RV(countries).
    type: bool
    default: false
  country:
    description:
      - ISO 3166-1 alpha-2 code. Return the country's RV(destinations).
    type: str
  direction_id:
    description:
      - With O(country), return only that destination.
      - Without O(country), return the RV(available_numbers) of that destination.
    type: int
  mask:
    description:
      - With O(direction_id) alone, only available numbers containing these digits.
    type: str
  language:
    description:
      - Language of country and destination names, where the API takes it (for example V(en), V(de), V(ru)).
    type: str
  balance:
    description:
      - Also return the account's RV(balance).
    type: bool
    default: false
extends_documentation_fragment:
  - zadarma.telephony.attributes.info_module
  - zadarma.telephony.auth
  - zadarma.telephony.auth.user_id
attributes:
  check_mode:
    details: Reads only, in check mode as in a normal run.
  diff_mode:
    details: Changes nothing.
seealso:
  - module: zadarma.telephony.zadarma_number
'''

EXAMPLES = r'''
- name: List every owned number
  zadarma.telephony.zadarma_number_info:
  register: owned

- name: Show the numbers that ring nowhere
  ansible.builtin.debug:
    msg: "{{ owned.numbers | selectattr('sip', 'none') | map(attribute='number') }}"

- name: Read one number
  zadarma.telephony.zadarma_number_info:
    number: "+44 20 3769 1880"

- name: Countries numbers can be ordered in
  zadarma.telephony.zadarma_number_info:
    countries: true

- name: German destinations, their fees and the documents they need
  zadarma.telephony.zadarma_number_info:
    country: DE
  register: germany

- name: Berlin numbers available to order, containing 30000
  zadarma.telephony.zadarma_number_info:
    direction_id: "{{ (germany.destinations | selectattr('name', 'equalto', 'Berlin') | first).id }}"
    mask: "30000"
'''

RETURN = r'''
numbers:
  description: Owned numbers (all, or the one asked for with O(number)).
  returned: unless another selector is given
  type: list
  elements: dict
  contains:
    number:
      description: Digits only.
      type: str
      sample: "442037691880"
    status:
      description: C(on), C(parking), C(checking), C(checking_upload), C(reserved_on), C(reserved_checking) or C(reserved_checking_upload).
      type: str
      sample: "on"
    country:
      description: The number's country.
      type: str
      sample: United Kingdom
    sip:
      description: The routing target (SIP id or SIP URI); null when not routed.
      type: str
      sample: "00001"
    sip_name:
      description: The SIP's display name, when routed to a SIP of the account.
      type: str
      sample: Reception
    caller_name:
      description: The caller name (the API's C(number_name)); null when unset.
      type: str
      sample: Reception
    autoprolongation:
      description: Whether the number renews automatically (the API's C(autorenew)).
      type: bool
      sample: true
    test_mode:
      description: Whether the number is in test mode (the API's C(is_on_test)).
      type: bool
      sample: false
    start_date:
      description: Start of the subscription.
      type: str
      sample: "2026-01-01 10:00:00"
    stop_date:
      description: End of the paid period.
      type: str
      sample: "2026-12-22 10:00:00"
    monthly_fee:
      description: Monthly fee.
      type: float
      sample: 2.0
    currency:
      description: Currency of the fee.
      type: str
      sample: USD
    channels:
      description: Incoming channels.
      type: int
      sample: 2
    minutes:
      description: Included minutes.
      type: int
      sample: 0
    type:
      description: C(common) (active) or C(order) (ordered, not yet connected).
      type: str
      sample: common
    receive_sms:
      description:
        - Whether the number receives SMS; null when it cannot (its destination has no SMS).
        - The list of owned numbers does not carry it, so it costs one more request (the API's per-number read).
      returned: with O(number)
      type: bool
      sample: false
countries:
  description: Countries numbers can be ordered in.
  returned: when O(countries=true)
  type: list
  elements: dict
  sample: [{"code": "DE", "dialing_code": "49", "name": "Germany"}]
destinations:
  description: Destinations of O(country).
  returned: when O(country) is given
  type: list
  elements: dict
  contains:
    id:
      description: The destination's C(direction_id).
      type: int
      sample: 3766
    name:
      description: Name, usually the city.
      type: str
      sample: Berlin
    country_code:
      description: Dialing code of the country.
      type: str
      sample: "49"
    area_code:
      description: Area code; numbers of the destination start with RV(destinations[].country_code) and this.
      type: str
      sample: "30"
    connect_fee:
      description: One-off connection fee.
      type: float
      sample: 3.0
    monthly_fee:
      description: Monthly fee.
      type: float
      sample: 4.0
    currency:
      description: Currency of the fees.
      type: str
      sample: USD
    documents_required:
      description: Document types that must be uploaded to the documents group (the API's C(restrictions.upload)).
      type: list
      elements: str
      sample: [passport]
    data_required:
      description: Data the documents group must hold (the API's C(restrictions.specify)).
      type: list
      elements: str
      sample: [address]
    receive_sms:
      description: Whether numbers of the destination can receive SMS.
      type: bool
      sample: false
    is_toll:
      description: Whether calls to the number are toll-free for the caller.
      type: bool
      sample: false
available_numbers:
  description: Numbers available to order in O(direction_id).
  returned: when O(direction_id) is given without O(country)
  type: list
  elements: dict
  sample: [{"id": "1712p0D1643D0t42r198658", "direction_id": 3766, "number": "4930000000"}]
balance:
  description: The account's balance.
  returned: when O(balance=true)
  type: dict
  sample: {"amount": 100.0, "currency": "USD"}
'''

from ansible_collections.zadarma.telephony.plugins.module_utils import _api as api
from ansible_collections.zadarma.telephony.plugins.module_utils._base import ZadarmaModule
from ansible_collections.zadarma.telephony.plugins.module_utils._values import (
    check_country,
    check_number,
    number_digits,
)


def main():
    zm = ZadarmaModule(dict(
        number=dict(type='str'),
        countries=dict(type='bool', default=False),
        country=dict(type='str'),
        direction_id=dict(type='int'),
        mask=dict(type='str'),
        language=dict(type='str'),
        balance=dict(type='bool', default=False),
    ), user_id=True, mutually_exclusive=[('number', 'country'), ('number', 'direction_id'), ('number', 'countries')])
    p = zm.params
    number = zm.run(check_number, p['number']) if p['number'] else None
    country = zm.run(check_country, p['country']) if p['country'] else None
    if p['mask'] and (country or p['direction_id'] is None):
        zm.fail('mask: only applies to direction_id without country (available numbers)')
    result = {}

    if p['countries']:
        result['countries'] = zm.run(api.countries, zm.api, p['language'])
    if country:  # direction_id is filtered here: an unknown one gives an empty list
        result['destinations'] = [destination for destination in zm.run(api.destinations, zm.api, country, p['language'])
                                  if p['direction_id'] is None or destination['id'] == p['direction_id']]
    elif p['direction_id'] is not None:
        result['available_numbers'] = zm.run(api.available_numbers, zm.api, p['direction_id'],
                                             number_digits(p['mask']) if p['mask'] else None)
    if not (p['countries'] or country or p['direction_id'] is not None):
        owned = zm.run(api.owned_numbers, zm.api)
        if number and number not in owned:
            zm.fail('number: %s is not owned by this account' % number)
        if number:
            detail = zm.run(api.number_detail, zm.api, number)
            result['numbers'] = [dict(owned[number], receive_sms=detail['receive_sms'])]
        else:
            result['numbers'] = [owned[n] for n in sorted(owned)]
    if p['balance']:
        result['balance'] = zm.run(api.balance, zm.api)
    zm.exit(**result)


if __name__ == '__main__':
    main()
