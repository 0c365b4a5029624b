#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: zadarma_number
short_description: Order a Zadarma virtual number and manage its routing, caller name, renewal and payment
version_added: 0.1.0
description:
  - Manages one virtual phone number of a Zadarma account.
  - If the number is not owned and O(state=present), it is ordered in destination O(direction_id), after
    the cost guards, the documents group's validity for the destination and the balance have been checked.
  - Settings are applied only where they differ from the current state; an option left unset is never touched.
  - Ordering and prolonging spend money and the API has no idempotency key. They are never retried after an
    ambiguous failure (timeout, dropped connection, 5xx); a re-run reads the owned numbers first and so never
    buys or pays twice.
  - To manage many numbers at the cost of one read, use M(zadarma.telephony.zadarma_numbers).
author: zadarma.telephony contributors (@zadarma)
options:
  number:
    description:
      - The number in international format. C(+), spaces, dots, dashes and brackets are ignored wherever they
        stand, and a leading international prefix C(00) is dropped (C(0049 30 5550004) is C(49305550004)).
      - A national number (a leading C(0), such as C(030 5550004)) is refused before any request; give the
        country code.
    type: str
    required: true
  state:
    description:
      - V(present) orders the number if it is not owned and applies the settings.
      - V(absent) turns auto-renewal off, so that the number lapses at its C(stop_date) and is then
        parked for 7 days. The API cannot cancel a number. It never orders.
    type: str
    choices: [present, absent]
    default: present
  sip_id:
    description:
      - Where calls to the number ring. Either a 5-digit SIP id of the account (checked against the account's
        SIP list) or an external SIP URI C(user@host[:port]) (a leading C(sip:) is dropped).
    type: str
  test_mode:
    description:
      - Whether the number is in test mode. Sent together with the routing target, so the number must be
        routed (now or by O(sip_id)).
    type: bool
  caller_name:
    description:
      - The name shown with calls from the number, up to 30 Latin letters, digits and spaces.
        An empty string clears it.
      - Set with the API's C(set_caller_name) and read back from the number's C(number_name).
    type: str
  autoprolongation:
    description:
      - Whether the number is renewed automatically.
    type: bool
  paid_until:
    description:
      - A date (V(YYYY-MM-DD)). The number is prolonged by the fewest whole months that bring its
        C(stop_date) to or past that date; nothing is paid if it already is. At most 12 months at once.
    type: str
  channels:
    description:
      - The number of incoming channels (calls at once), 1 or more, compared with the number's C(channels).
      - More channels may cost money and the API publishes no price, so the change is handled like a payment.
        It is listed in RV(purchases) with a null cost, shown in check mode, and never sent twice after an
        ambiguous failure (a re-run reads the channels first).
    type: int
  receive_sms:
    description:
      - Whether the number receives SMS. Sent with an order; for an owned number, read with the API's per-number
        read (one more request, made only when this is set) and changed with C(receive_sms), together with
        O(documents_group_id) when that is not V(0).
      - V(true) is refused before any write when the number's destination has no SMS (the API reads C(null)
        for it). V(false) on such a number is already so and changes nothing.
    type: bool
  direction_id:
    description:
      - The destination (city) to order the number in, from M(zadarma.telephony.zadarma_number_info).
      - Required to order a number that is not owned.
    type: int
  country:
    description:
      - The ISO 3166-1 alpha-2 code of the destination's country, to read its fees.
      - When omitted it is found from the number's country code, at the cost of one more request.
    type: str
  documents_group_id:
    description:
      - The documents group the number is ordered for. V(0) is the account's main group.
    type: int
    default: 0
  period:
    description:
      - What the order pays for up front.
    type: str
    choices: [month, 3month]
    default: month
  autorenew_period:
    description:
      - The renewal period after the first one.
    type: str
    choices: [month, year]
  purpose:
    description:
      - The purpose of use, where the destination asks for it.
    type: str
  max_connect_fee:
    description:
      - Refuse to order if the destination's connection fee is above this amount (in the destination's currency).
    type: float
  max_monthly_fee:
    description:
      - Refuse to order if the destination's monthly fee is above this amount (in the destination's currency).
    type: float
notes:
  - With O(user_id), ordering and prolonging are refused before anything is sent. The API orders for a
    sub-account but cannot list a sub-account's numbers, so a re-run could not find the number bought and
    would pay again. Use the sub-account's own API key for that.
extends_documentation_fragment:
  - zadarma.telephony.attributes
  - zadarma.telephony.auth
  - zadarma.telephony.auth.user_id
attributes:
  check_mode:
    details: Reports what would be bought or paid, with its cost, and sends no write request.
seealso:
  - module: zadarma.telephony.zadarma_numbers
  - module: zadarma.telephony.zadarma_number_info
  - module: zadarma.telephony.zadarma_document_group
'''

EXAMPLES = r'''
- name: Route an owned number to a SIP of the account and name it
  zadarma.telephony.zadarma_number:
    number: "+44 20 3769 1880"
    sip_id: "00002"
    caller_name: Support

- name: Order a London number, at most 5 USD a month, and route it to a PBX
  zadarma.telephony.zadarma_number:
    number: "442030000042"
    direction_id: 13755
    country: GB
    max_monthly_fee: 5
    sip_id: pbx@sip.example.com:5060
  register: london

- name: Show what was bought
  ansible.builtin.debug:
    msg: "{{ london.purchases }}"

- name: Keep it paid until the end of next quarter, renewing automatically
  zadarma.telephony.zadarma_number:
    number: "442030000042"
    paid_until: >-
      {{ '%d-%02d-%02d' % (now().year + (now().month > 9) | int, next_quarter_end | int,
                           31 if next_quarter_end | int in [3, 12] else 30) }}
    autoprolongation: true
  vars:
    next_quarter_end: "{{ ((now().month - 1) // 3 + 1) % 4 * 3 + 3 }}"
  # In check mode the order above only pretends: there is no number to prolong yet.
  when: not (ansible_check_mode and london is changed)

- name: Take up to four calls at once (the API publishes no price for it; see purchases)
  zadarma.telephony.zadarma_number:
    number: "+44 20 3769 1880"
    channels: 4

- name: Let a number lapse at the end of its paid period
  zadarma.telephony.zadarma_number:
    number: "12125550199"
    state: absent
'''

RETURN = r'''
number:
  description: The number after the run (predicted in check mode). Same keys as C(numbers[]) of M(zadarma.telephony.zadarma_number_info).
  returned: when the number is or would be owned
  type: dict
  contains:
    number:
      description: Digits only.
      type: str
      sample: "442037691880"
    status:
      description: C(on), C(parking), C(checking), C(checking_upload), C(reserved_on), C(reserved_checking) or C(reserved_checking_upload).
      type: str
      sample: "on"
    sip:
      description: The routing target, a SIP id or a SIP URI; null when not routed.
      type: str
      sample: "00001"
    caller_name:
      description: The caller name (the API's C(number_name)); null when unset.
      type: str
      sample: Reception
    autoprolongation:
      description: Whether the number renews automatically.
      type: bool
      sample: true
    test_mode:
      description: Whether the number is in test mode.
      type: bool
      sample: false
    stop_date:
      description: End of the paid period.
      type: str
      sample: "2026-12-22 10:00:00"
    monthly_fee:
      description: Monthly fee.
      type: float
      sample: 2.0
    currency:
      description: Currency of the fees.
      type: str
      sample: USD
    channels:
      description: Incoming channels; null when the API does not say (a number just ordered, in check mode).
      type: int
      sample: 2
    receive_sms:
      description: Whether the number receives SMS; null when it cannot (its destination has no SMS).
      returned: when O(receive_sms) is set
      type: bool
      sample: true
    changes:
      description: What was (or would be) changed, one line each.
      type: list
      elements: str
      sample: ["route 442037691880 to 00002"]
ordered:
  description: Whether the number was (or, in check mode, would be) ordered.
  returned: always
  type: bool
  sample: false
purchases:
  description:
    - What was bought or paid (in check mode, what would be), with its cost.
    - C(action) is C(order), C(prolong) or C(channels). A C(channels) change has a null C(cost) and a C(note)
      saying that the API publishes no price for it.
  returned: always
  type: list
  elements: dict
  sample: [{"action": "order", "number": "442030000042", "cost": 2.0, "currency": "USD",
            "request": "POST direct_numbers/order", "summary": "order 442030000042 in London (13755) for 1 month(s)"}]
cost:
  description: The total of RV(purchases) whose cost is known.
  returned: always
  type: float
  sample: 2.0
lapses_at:
  description: With O(state=absent), when the number stops working.
  returned: when O(state=absent) and the number is owned
  type: str
  sample: "2026-12-02 10:00:00"
'''

from ansible_collections.zadarma.telephony.plugins.module_utils._base import ZadarmaModule
from ansible_collections.zadarma.telephony.plugins.module_utils._numbers import reconcile
from ansible_collections.zadarma.telephony.plugins.module_utils._planner import (
    ORDER_OPTIONS,
    SETTINGS_OPTIONS,
    Entry,
)


def main():
    argument_spec = dict(
        number=dict(type='str', required=True),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
    )
    argument_spec.update(SETTINGS_OPTIONS)
    argument_spec.update(ORDER_OPTIONS)
    zm = ZadarmaModule(argument_spec, user_id=True)
    entry = zm.run(Entry, zm.params, 'number', zm.params['state'])

    outcome = zm.run(reconcile, zm.api, [entry], zm.check_mode, user_id=zm.user_id, lock=zm.account_lock)
    for warning in outcome.warnings:
        zm.module.warn(warning)
    zm.result['changed'] = outcome.changed
    result = dict(ordered=bool(outcome.ordered), purchases=outcome.purchases, cost=outcome.cost)
    if outcome.numbers:
        result['number'] = dict((k, v) for k, v in outcome.numbers[0].items()
                                if k not in ('index', 'key', 'decision', 'cost'))
    if entry.state == 'absent':
        if outcome.numbers:
            result['lapses_at'] = result['number']['stop_date']
            result['msg'] = 'The API cannot cancel a number: auto-renewal is off and %s lapses at %s' % (
                entry.number, result['lapses_at'])
        else:
            result['msg'] = '%s is not owned by this account' % entry.number
    zm.exit(before=outcome.before.get(entry.number), after=outcome.after.get(entry.number), **result)


if __name__ == '__main__':
    main()
