#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, zadarma.telephony contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: zadarma_numbers
short_description: Converge many Zadarma numbers in one task, at the cost of one read
version_added: 0.1.0
description:
  - Manages a set of numbers in one task. The owned numbers are read once, every entry is validated and
    planned, the account checks (SIP ids, cost guards, documents, balance) run once for the whole set, and
    only the writes that differ are sent, paced to the account's rate limit.
  - A no-op run of entries that name their numbers costs one request, whatever their count; entries that
    choose their number add one read per destination (to know its numbers' prefix).
  - Each entry takes the options of M(zadarma.telephony.zadarma_number). An entry without O(numbers[].number)
    but with O(numbers[].direction_id) and O(numbers[].sip_id) adopts a number the account already owns in
    that destination and routes to that target, or else one of that destination routed nowhere, or else
    orders the first available one. This makes ordering idempotent without recording the number, and a
    re-run after a crash or an ambiguous order adopts the number bought (still unrouted) instead of buying another.
  - Such an entry never adopts or orders a number that another entry names. Two such entries with the same
    O(numbers[].sip_id) whose destinations overlap (the same one, or one whose prefix starts the other's) could
    swap their numbers from run to run, whatever their masks, so the later one is refused; give each entry its
    number, or route them to different targets.
  - Nothing is written unless every entry passed its checks. After a failure during the writes, the result
    lists the writes already done, and a re-run picks up from the real state.
author: zadarma.telephony contributors (@zadarma)
options:
  numbers:
    description:
      - The numbers and their desired settings. An option left unset in an entry is not touched.
    type: list
    elements: dict
    required: true
    suboptions:
      key:
        description:
          - An opaque label of the entry (roles pass the inventory host name), echoed back unchanged in
            RV(numbers[].key) and RV(refused[].key).
        type: str
      number:
        description:
          - The number in international format. Required unless O(numbers[].direction_id) is given.
          - Read like O(zadarma.telephony.zadarma_number#module:number)'s (C(+), spaces, dots, dashes and
            brackets ignored, a leading C(00) dropped, a national number with a leading C(0) refused).
        type: str
      state:
        description:
          - V(absent) turns auto-renewal off so that the number lapses; see M(zadarma.telephony.zadarma_number).
        type: str
        choices: [present, absent]
        default: present
      sip_id:
        description: A 5-digit SIP id of the account or a SIP URI C(user@host[:port]).
        type: str
      test_mode:
        description: Whether the number is in test mode.
        type: bool
      caller_name:
        description: Up to 30 Latin letters, digits and spaces; empty clears it.
        type: str
      autoprolongation:
        description: Whether the number renews automatically.
        type: bool
      paid_until:
        description: Prolong by the fewest whole months that bring C(stop_date) to or past this date (V(YYYY-MM-DD)).
        type: str
      channels:
        description:
          - Incoming channels, 1 or more. The API publishes no price for more channels, so the change is
            handled like a payment (see O(zadarma.telephony.zadarma_number#module:channels)).
        type: int
      receive_sms:
        description:
          - Whether the number receives SMS (see O(zadarma.telephony.zadarma_number#module:receive_sms)). Each
            owned number that sets it costs one more read, the list of owned numbers does not carry it.
        type: bool
      direction_id:
        description: The destination to order in, for a number not owned (or to choose one from).
        type: int
      mask:
        description: When choosing a number, only numbers containing these digits.
        type: str
      country:
        description: ISO code of the destination's country, to read its fees without an extra lookup.
        type: str
      documents_group_id:
        description: The documents group to order for (V(0) = main group).
        type: int
        default: 0
      period:
        description: What an order pays for up front.
        type: str
        choices: [month, 3month]
        default: month
      autorenew_period:
        description: The renewal period after the first one.
        type: str
        choices: [month, year]
      purpose:
        description: The purpose of use, where the destination asks for it.
        type: str
      max_connect_fee:
        description: Refuse to order above this connection fee.
        type: float
      max_monthly_fee:
        description: Refuse to order above this monthly fee.
        type: float
  fail_on_refusal:
    description:
      - Whether an entry refused by its checks fails the task before any write. An entry is refused when its
        number is not owned and it has no O(numbers[].direction_id) to order it, the number is not available,
        a cost guard or the documents group's validity forbids the order, its SIP id is not on the account, or
        its settings cannot be applied (such as O(numbers[].test_mode) on a number routed nowhere).
      - With V(false) refused entries are left out and listed in RV(refused), and the other entries are applied.
        Roles use this to fail only the inventory host an entry belongs to.
      - A balance that cannot pay for every purchase always fails the task, before any write.
    type: bool
    default: true
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
    details: Plans the whole set, reports what would be bought or paid, and sends no write request.
  diff_mode:
    details: The diff holds, per number that changes, its managed settings before and after.
seealso:
  - module: zadarma.telephony.zadarma_number
  - module: zadarma.telephony.zadarma_number_info
'''

EXAMPLES = r'''
- name: Route the reception and support lines
  zadarma.telephony.zadarma_numbers:
    numbers:
      - number: "442037691880"
        sip_id: "00001"
        caller_name: Reception
      - number: "12125550199"
        sip_id: "00002"
        autoprolongation: true

- name: Have one London number ringing on the Manchester PBX, buying it only the first time
  zadarma.telephony.zadarma_numbers:
    numbers:
      - direction_id: 13755
        country: GB
        sip_id: manchester@pbx.example.com
        max_monthly_fee: 5
  register: office

- name: Show the numbers and what was spent
  ansible.builtin.debug:
    msg: "{{ office.numbers | map(attribute='number') }} cost {{ office.cost }}"
'''

RETURN = r'''
numbers:
  description:
    - Every entry's number after the run (predicted in check mode), in the order of O(numbers), with the
      keys of C(numbers[]) of M(zadarma.telephony.zadarma_number_info) and the keys below. Entries listed in
      RV(refused) are left out.
  returned: always
  type: list
  elements: dict
  contains:
    index:
      description: The entry's position in O(numbers).
      type: int
    key:
      description: The entry's O(numbers[].key), or V(null).
      type: str
    decision:
      description:
        - V(ordered) when a number is bought for the entry, V(adopted) when an owned number of the destination
          is taken instead of buying one, V(owned) when the entry's number was already owned (settings only).
        - In check mode, what would be decided.
      type: str
      choices: [ordered, adopted, owned]
    cost:
      description: What the entry spends in this run (order or prolongation), V(0.0) when nothing.
      type: float
    changes:
      description: What was (in check mode, would be) changed.
      type: list
      elements: str
    receive_sms:
      description: Whether the number receives SMS; null when it cannot (its destination has no SMS).
      returned: when the entry sets O(numbers[].receive_sms)
      type: bool
  sample: [{"number": "442037691880", "sip": "00001", "caller_name": "Reception", "autoprolongation": true,
            "test_mode": false, "status": "on", "stop_date": "2026-12-22 10:00:00", "index": 0, "key": "office1",
            "decision": "owned", "cost": 0.0, "changes": []}]
ordered:
  description: The numbers bought (in check mode, that would be bought).
  returned: always
  type: list
  elements: str
  sample: ["442030000000"]
refused:
  description: The entries left out by O(fail_on_refusal=false), each with the keys below.
  returned: always
  type: list
  elements: dict
  contains:
    index:
      description: The entry's position in O(numbers).
      type: int
    key:
      description: The entry's O(numbers[].key), or V(null).
      type: str
    number:
      description: The entry's number (digits), or V(null).
      type: str
    option:
      description: The bare name of the option the refusal is about, such as V(max_monthly_fee) or V(sip_id).
      type: str
    reason:
      description: The reason alone, without the option or the entry's position.
      type: str
    msg:
      description: The full message, the option prefixed by the entry's position.
      type: str
  sample: [{"index": 3, "key": "office3", "number": "4930999999", "option": "number",
            "reason": "4930999999 is not owned by this account, and there is no direction_id to order it",
            "msg": "numbers[3].number: 4930999999 is not owned by this account, and there is no direction_id to order it"}]
purchases:
  description:
    - What was bought or paid (in check mode, what would be), with its cost.
    - C(action) is C(order), C(prolong) or C(channels). A C(channels) change has a null C(cost) and a C(note)
      saying that the API publishes no price for it.
  returned: always
  type: list
  elements: dict
  sample: [{"action": "order", "number": "442030000000", "cost": 2.0, "currency": "USD"}]
cost:
  description: The total of RV(purchases) whose cost is known.
  returned: always
  type: float
  sample: 2.0
'''

from ansible_collections.zadarma.telephony.plugins.module_utils._base import ZadarmaModule
from ansible_collections.zadarma.telephony.plugins.module_utils._numbers import reconcile
from ansible_collections.zadarma.telephony.plugins.module_utils._planner import (
    ORDER_OPTIONS,
    SETTINGS_OPTIONS,
    Entry,
    Refusal,
)
from ansible_collections.zadarma.telephony.plugins.module_utils._values import number_digits


def entries_from(params, fail_on_refusal):
    """Validate every entry locally; refuse a number listed twice (two desired states for one number).

    Returns the entries (None where one was refused) and {index: (number, Refusal)} of the refused ones.
    With fail_on_refusal, the first invalid entry fails the module before any request.
    """
    entries, refused, seen = [], {}, {}
    for index, item in enumerate(params):
        try:
            entry = Entry(item, 'numbers[%d]' % index, item['state'])
            if entry.number in seen:
                raise entry.refusal('number', '%s is already listed at numbers[%d]' % (entry.number, seen[entry.number]))
        except Refusal as refusal:
            if fail_on_refusal:
                raise
            refused[index] = (number_digits(item.get('number')) or None, refusal)
            entry = None
        if entry is not None and entry.number:
            seen[entry.number] = index
        entries.append(entry)
    return entries, refused


def main():
    entry_options = dict(
        key=dict(type='str', no_log=False),
        number=dict(type='str'),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        mask=dict(type='str'),
    )
    entry_options.update(SETTINGS_OPTIONS)
    entry_options.update(ORDER_OPTIONS)
    zm = ZadarmaModule(dict(
        numbers=dict(type='list', elements='dict', required=True, options=entry_options),
        fail_on_refusal=dict(type='bool', default=True),
    ), user_id=True)
    fail_on_refusal = zm.params['fail_on_refusal']
    entries, refused = zm.run(entries_from, zm.params['numbers'], fail_on_refusal)

    outcome = zm.run(reconcile, zm.api, entries, zm.check_mode, fail_on_refusal, refused, zm.user_id, zm.account_lock)
    for warning in outcome.warnings:
        zm.module.warn(warning)
    zm.result['changed'] = outcome.changed
    zm.exit(before=outcome.before or None, after=outcome.after or None, numbers=outcome.numbers,
            ordered=outcome.ordered, refused=outcome.refused, purchases=outcome.purchases, cost=outcome.cost)


if __name__ == '__main__':
    main()
